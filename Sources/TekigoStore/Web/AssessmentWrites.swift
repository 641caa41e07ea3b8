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
    }

    /// Creates or replaces the plan item for `item.requirement` (one item per requirement, as `POAMPlanner` keeps
    /// them). `ifVersion` 0 means "there is none yet".
    public func savePOAMItem(assessmentID: String, _ item: POAMItem, ifVersion: Int?, by actor: Actor) async throws -> POAMItemRecord {
        guard try await assessment(id: assessmentID) != nil else { throw NotFound(what: "assessment \(assessmentID)") }
        return try await db.transaction { s in
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
    }

    // MARK: score history

    /// Records today's score when it differs from what today's row holds (one row per assessment and day).
    public func recordScore(assessmentID: String, day: Day, score: Int?, answered: Int) async throws {
        let existing = try await scoped("score_history").where("assessment_id", .equal, assessmentID)
            .where("day", .equal, day.description).first()
        if let existing {
            let oldScore = try existing.decodeNil(column: "score") ? nil : try existing.decode(column: "score", as: Int.self)
            let oldAnswered = try existing.decode(column: "answered", as: Int.self)
            if oldScore == score, oldAnswered == answered { return }
        }
        // An upsert: two requests recording the same day at once both succeed (the later one wins).
        try await db.sql.insert(into: "score_history")
            .columns("organization_id", "assessment_id", "day", "score", "answered", "recorded_at")
            .values(SQLBind(organizationID), SQLBind(assessmentID), SQLBind(day.description), SQLBind(score),
                    SQLBind(answered), SQLBind(Timestamp.now()))
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
