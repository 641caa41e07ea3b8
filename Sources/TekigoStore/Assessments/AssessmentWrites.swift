import Foundation
import SQLKit
import TekigoCore

/// One day of an assessment's score history.
public struct ScoreHistoryEntry: Sendable, Hashable {
    public init(day: Day, score: Int?, answered: Int) {
        self.day = day
        self.score = score
        self.answered = answered
    }

    public let day: Day
    /// Nil while the assessment cannot be scored (objectives not assessed).
    public let score: Int?
    public let answered: Int
}

/// Requirement-level answers, POA&M items and the score history: the writes the web editor and POA&M board make.
/// Like every `TenantStore` write, each runs in one transaction with its audit entry.
extension TenantStore {
    // MARK: requirement answers

    /// Replaces the answer for one requirement (an empty answer removes it). Bumps the assessment's version; with
    /// `ifVersion`, a stale editor gets `VersionConflict` and nothing changes.
    public func putAnswer(assessmentID: String, requirement: String, _ answer: RequirementAnswer, ifVersion: Int?,
                          by actor: Actor) async throws -> AssessmentRecord {
        try await db.transaction { s in
            try await putAnswer(assessmentID: assessmentID, requirement: requirement, answer, ifVersion: ifVersion, by: actor, on: s)
        }
    }

    /// The same inside a caller's transaction.
    public func putAnswer(assessmentID: String, requirement: String, _ answer: RequirementAnswer, ifVersion: Int?,
                          by actor: Actor, on s: any SQLDatabase) async throws -> AssessmentRecord {
        do {
            guard var a = try await scoped("assessments", s).where("id", .equal, assessmentID).first()?
                .decode(model: AssessmentRecord.self, with: Self.fromSnake) else { throw NotFound(what: "assessment \(assessmentID)") }
            if let ifVersion, ifVersion != a.version { throw VersionConflict(current: a.version) }
            var answers = JSONText.decode([String: RequirementAnswer].self, a.answers) ?? [:]
            let before = answers[requirement]
            if answer.isEmpty { answers[requirement] = nil } else { answers[requirement] = answer }
            let current = a.version
            a.answers = JSONText.encode(answers)
            a.version = current + 1
            let updated = try await s.update("assessments").set("answers", to: SQLBind(a.answers)).set("version", to: SQLBind(a.version))
                .where("organization_id", .equal, organizationID).where("id", .equal, assessmentID)
                .where("version", .equal, current).returning("version").all()
            if updated.isEmpty { throw VersionConflict(current: current) }
            _ = try await audit.append(event(actor, .answerUpdated, "assessment/\(assessmentID)/requirement/\(requirement)",
                                             before: before, after: answer.isEmpty ? nil : answer), on: s)
            return a
        }
    }

    // MARK: POA&M

    public func poamItems(assessmentID: String) async throws -> [POAMItemRecord] {
        try await scoped("poam_items").where("assessment_id", .equal, assessmentID).all()
            .map { try $0.decode(model: POAMItemRecord.self, with: Self.fromSnake) }
            .sorted(byRequirement: \.requirement)  // 3.2.3 before 3.10.3, which ORDER BY cannot do
    }

    /// Creates or replaces the plan item for `item.requirement` (one item per requirement, as `POAMPlanner` keeps
    /// them). `ifVersion` 0 means "there is none yet".
    public func savePOAMItem(assessmentID: String, _ item: POAMItem, ifVersion: Int?, by actor: Actor) async throws -> POAMItemRecord {
        guard try await assessment(id: assessmentID) != nil else { throw NotFound(what: "assessment \(assessmentID)") }
        return try await db.transaction { s in
            try await savePOAMItem(assessmentID: assessmentID, item, ifVersion: ifVersion, by: actor, on: s)
        }
    }

    /// The same inside a caller's transaction (`POAMUseCases.save` records the day's score with it). The caller has
    /// checked the assessment belongs to this organization.
    public func savePOAMItem(assessmentID: String, _ item: POAMItem, ifVersion: Int?, by actor: Actor,
                             on s: any SQLDatabase) async throws -> POAMItemRecord {
        let before = try await scoped("poam_items", s).where("assessment_id", .equal, assessmentID)
            .where("requirement", .equal, item.requirement).first()?.decode(model: POAMItemRecord.self, with: Self.fromSnake)
        let current = before?.version ?? 0
        if let ifVersion, ifVersion != current { throw VersionConflict(current: current) }
        let r = POAMItemRecord(id: before?.id ?? UUID().uuidString.lowercased(), organizationId: organizationID,
                               assessmentId: assessmentID, requirement: item.requirement, weakness: item.weakness,
                               milestones: JSONText.encode(item.milestones), owner: item.owner, resources: item.resources,
                               status: item.status.rawValue, scheduledCompletion: item.scheduledCompletion?.description,
                               completedOn: item.completedOn?.description, version: current + 1)
        if before == nil {
            try await s.insert(into: "poam_items").model(r, with: Self.snake).run()
        } else {
            let updated = try await s.update("poam_items").set(model: r, with: Self.snake)
                .where("organization_id", .equal, organizationID).where("id", .equal, r.id)
                .where("version", .equal, current).returning("version").all()
            if updated.isEmpty { throw VersionConflict(current: current) }
        }
        _ = try await audit.append(event(actor, .poamUpdated, "assessment/\(assessmentID)/poam/\(item.requirement)",
                                         before: before, after: r), on: s)
        return r
    }

    // MARK: score history

    /// The assessment as the transaction `s` sees it, its row locked until the transaction ends: a writer that scores
    /// what it has just written waits here for another writer of the same assessment, and then reads its changes too
    /// (so the day's point is never computed from a snapshot missing a change committed before it).
    public func lockedAssessment(id: String, on s: any SQLDatabase) async throws -> AssessmentRecord {
        guard storableID(id), let row = try await s.raw("""
            UPDATE assessments SET version = version WHERE organization_id = \(bind: organizationID) AND id = \(bind: id) RETURNING *
            """).first() else { throw NotFound(what: "assessment \(id)") }
        return try row.decode(model: AssessmentRecord.self, with: Self.fromSnake)
    }

    /// The assessment as its score sees it, read inside the transaction `s` from the record `lockedAssessment` gave:
    /// every objective's status (without rationale, evidence or who answered), the requirement answers and the plan of
    /// action — all that `SPRSScoring` and `Assessment.progress` read, and a fraction of a full `load` (two columns of
    /// the findings instead of every one, no system). The system profile is left empty.
    public func scoringAssessment(_ a: AssessmentRecord, organization: Organization, on s: any SQLDatabase) async throws -> Assessment {
        guard a.organizationId == organizationID else { throw NotFound(what: "assessment \(a.id)") }
        var findings: [String: Finding] = [:]
        for row in try await s.select().columns("objective", "status").from("findings").where("organization_id", .equal, organizationID)
            .where("assessment_id", .equal, a.id).all() {
            guard let status = FindingStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            findings[try row.decode(column: "objective", as: String.self)] = Finding(status: status)
        }
        let poam = try await scoped("poam_items", s).where("assessment_id", .equal, a.id).all()
            .map { try $0.decode(model: POAMItemRecord.self, with: Self.fromSnake).item }
        return Assessment(organization: organization, system: SystemProfile(name: ""), catalog: CatalogID(a.catalog),
                          date: Day(a.assessedOn) ?? Day(Date()), kind: AssessmentKind(rawValue: a.kind) ?? .basic,
                          assessor: a.assessor, findings: findings,
                          answers: JSONText.decode([String: RequirementAnswer].self, a.answers) ?? [:], poam: poam,
                          resultsPostedOn: a.resultsPostedOn.flatMap(Day.init))
    }

    /// Records `day`'s score when it differs from what that day's row holds (one row per assessment and day).
    public func recordScore(assessmentID: String, day: Day, score: Int?, answered: Int) async throws {
        try await db.transaction { s in
            try await recordScore(assessmentID: assessmentID, day: day, score: score, answered: answered, at: Date(), on: s)
        }
    }

    /// The same inside a caller's transaction: the operations that change a score record it with their change.
    public func recordScore(assessmentID: String, day: Day, score: Int?, answered: Int, at now: Date,
                            on s: any SQLDatabase) async throws {
        let existing = try await scoped("score_history", s).where("assessment_id", .equal, assessmentID)
            .where("day", .equal, day.description).first()
        if let existing {
            let oldScore = try existing.decodeNil(column: "score") ? nil : try existing.decode(column: "score", as: Int.self)
            let oldAnswered = try existing.decode(column: "answered", as: Int.self)
            if oldScore == score, oldAnswered == answered { return }
        }
        // An upsert: two transactions recording the same day both succeed (the later one wins).
        try await s.insert(into: "score_history")
            .columns("organization_id", "assessment_id", "day", "score", "answered", "recorded_at")
            .values(SQLBind(organizationID), SQLBind(assessmentID), SQLBind(day.description), SQLBind(score),
                    SQLBind(answered), SQLBind(Timestamp.string(now)))
            .onConflict(with: ["assessment_id", "day"]) {
                $0.set(excludedValueOf: "score").set(excludedValueOf: "answered").set(excludedValueOf: "recorded_at")
            }
            .run()
    }

    /// Oldest first.
    public func scoreHistory(assessmentID: String) async throws -> [ScoreHistoryEntry] {
        try await scoped("score_history").where("assessment_id", .equal, assessmentID).orderBy("day").all().compactMap { row in
            guard let day = Day(try row.decode(column: "day", as: String.self)) else { return nil }
            let score = try row.decodeNil(column: "score") ? nil : try row.decode(column: "score", as: Int.self)
            return ScoreHistoryEntry(day: day, score: score, answered: try row.decode(column: "answered", as: Int.self))
        }
    }
}

extension POAMItemRecord {
    /// The plan item as the domain sees it (as `TenantStore.load` reads it).
    var item: POAMItem {
        POAMItem(requirement: requirement, weakness: weakness, milestones: JSONText.decode([Milestone].self, milestones) ?? [],
                 owner: owner, resources: resources, status: POAMStatus(rawValue: status) ?? .open,
                 scheduledCompletion: scheduledCompletion.flatMap(Day.init), completedOn: completedOn.flatMap(Day.init))
    }
}
