import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// A requirement as the editor saves it: every objective's finding (with the version it was read at and a link to
/// add), new files per objective, and the requirement's answer.
public struct RequirementEdit: Sendable {
    public struct Objective: Sendable {
        public let id: String
        public let finding: Finding
        public let version: Int
        public let newLink: String

        public init(id: String, finding: Finding, version: Int, newLink: String) {
            self.id = id
            self.finding = finding
            self.version = version
            self.newLink = newLink
        }
    }

    public struct File: Sendable {
        public let objectiveIndex: Int
        public let data: Data
        public let filename: String
        public let contentType: String

        public init(objectiveIndex: Int, data: Data, filename: String, contentType: String) {
            self.objectiveIndex = objectiveIndex
            self.data = data
            self.filename = filename
            self.contentType = contentType
        }
    }

    public let objectives: [Objective]
    public let files: [File]
    public let answer: RequirementAnswer
    public let answerVersion: Int

    public init(objectives: [Objective], files: [File], answer: RequirementAnswer, answerVersion: Int) {
        self.objectives = objectives
        self.files = files
        self.answer = answer
        self.answerVersion = answerVersion
    }
}

/// What is wrong with one field of a requirement edit.
public enum RequirementEditProblem: String, Sendable, Equatable {
    /// A link added as evidence is not an http(s) URL with a host.
    case link
    /// A scoring exception without its note (DoD Assessment Methodology §5: the exception is documented).
    case exceptionNote
}

extension RequirementEdit {
    /// Field → problem: `o<i>` (the i-th objective's new link), `exceptionNote`. Empty when the edit may be saved.
    public var problems: [String: RequirementEditProblem] {
        var found: [String: RequirementEditProblem] = [:]
        for (i, o) in objectives.enumerated() where !o.newLink.isEmpty && !Self.isWebLink(o.newLink) { found["o\(i)"] = .link }
        if answer.exception != nil, answer.exceptionNote == nil { found["exceptionNote"] = .exceptionNote }
        return found
    }

    /// An http(s) URL with a host: what a link to evidence may be (and what the pages show as a link).
    public static func isWebLink(_ s: String) -> Bool {
        guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "https" || scheme == "http", u.host != nil else {
            return false
        }
        return true
    }
}

/// Systems, assessments and their answers: each check once, each change in one transaction with its audit entry
/// (the store writes the entry beside the row). Optimistic concurrency: a stale version throws `VersionConflict`.
public struct AssessmentUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// The organization's today (`OrganizationCalendar`): finding dates and the posting-date check.
    var today: Day { scope.calendar.today(env.clock) }

    public func createSystem(name: String, boundary: String, environment: String, informationTypes: [String],
                             userCount: Int) async throws -> SystemRecord {
        try await scope.store.createSystem(try Self.systemProfile(name: name, boundary: boundary, environment: environment,
                                                                  informationTypes: informationTypes, userCount: userCount),
                                           by: scope.actor)
    }

    /// A system's profile as created or changed: a name is required, the user count is not negative.
    static func systemProfile(name: String, boundary: String, environment: String, informationTypes: [String],
                              userCount: Int) throws -> SystemProfile {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AssessmentError.missing(field: "name", what: "Name the system.") }
        guard userCount >= 0 else { throw AssessmentError.negativeUserCount }
        return SystemProfile(name: name, boundary: boundary, environment: environment, informationTypes: informationTypes,
                             userCount: userCount)
    }

    /// Changes a system's name, boundary, environment, information types and user count (issue 17 item 6) under the
    /// same rules as `createSystem`. `ifVersion` is the version the form or client read: a second tab saving stale data
    /// gets `VersionConflict` and nothing changes. Another organization's or an unknown id is `NotFound`.
    public func updateSystem(id: String, name: String, boundary: String, environment: String, informationTypes: [String],
                             userCount: Int, ifVersion: Int?) async throws -> SystemRecord {
        let profile = try Self.systemProfile(name: name, boundary: boundary, environment: environment,
                                             informationTypes: informationTypes, userCount: userCount)
        let store = scope.store, actor = scope.actor
        return try await env.db.transaction { s in
            let current = try await store.lockedSystem(id: id, ifVersion: ifVersion, on: s)
            return try await store.updateSystem(current, to: profile, by: actor, on: s)
        }
    }

    /// Deletes a system that nothing uses (issue 17 item 6): an assessment of it or a cloud service listing it refuses
    /// the delete (`systemInUse`, naming them) — both would otherwise go with it. Checked on the locked row in the
    /// delete's transaction, so an assessment created meanwhile is seen. `ifVersion` as in `updateSystem`.
    public func deleteSystem(id: String, ifVersion: Int?) async throws {
        let store = scope.store, actor = scope.actor
        try await env.db.transaction { s in
            let current = try await store.lockedSystem(id: id, ifVersion: ifVersion, on: s)
            let usage = try await store.usage(systemID: id, on: s)
            guard usage.isEmpty else {
                throw AssessmentError.systemInUse(name: current.name, assessments: usage.assessmentDates, cloudServices: usage.cloudServices)
            }
            try await store.deleteSystem(current, by: actor, on: s)
        }
    }

    public func createAssessment(systemID: String, catalog: String?, date: String, kind: String?, assessor: String) async throws -> AssessmentRecord {
        let catalog = CatalogID(catalog ?? CatalogID.sp800171r2.rawValue)
        guard env.library.catalogs[catalog] != nil else { throw AssessmentError.unknownCatalog(catalog.rawValue) }
        guard let day = Day(date) else { throw AssessmentError.badDate(field: "date") }
        guard let kind = AssessmentKind(rawValue: kind ?? AssessmentKind.basic.rawValue) else { throw AssessmentError.badKind }
        do {
            return try await scope.store.createAssessment(systemID: systemID, catalog: catalog, date: day, kind: kind, assessor: assessor,
                                                          by: scope.actor)
        } catch is NotFound {
            throw AssessmentError.unknownSystem(systemID)
        }
    }

    /// Records or clears the date the results were posted (32 CFR 170.21(b): the POA&M closeout counts from it).
    public func setResultsPosted(_ a: AssessmentRecord, on text: String?, ifVersion: Int?) async throws -> AssessmentRecord {
        var day: Day?
        if let text {
            guard let d = Day(text) else { throw AssessmentError.badDate(field: "resultsPostedOn") }
            if let assessed = Day(a.assessedOn), let problem = CMMCRules.postingProblem(d, assessed: assessed, today: today) {
                throw AssessmentError.postingDate(problem)
            }
            day = d
        }
        return try await scope.store.setResultsPosted(assessmentID: a.id, on: day, ifVersion: ifVersion, by: scope.actor)
    }

    /// One objective's finding, from the API. Returns the stored row and the requirement the objective belongs to.
    public func putFinding(_ a: AssessmentRecord, objective: String, status: String, rationale: String, evidence: [EvidenceRef],
                           assessedBy: String?, ifVersion: Int?) async throws -> (record: FindingRecord, requirement: String) {
        try await putFinding(assessmentID: a.id, objective: objective, status: status, rationale: rationale, evidence: evidence,
                             assessedBy: assessedBy, ifVersion: ifVersion)
    }

    /// The same by the assessment's id (the API's PUT): the assessment is read once, as its row is locked at the start
    /// of the transaction; another organization's or an unknown id is `NotFound`, and nothing is written.
    public func putFinding(assessmentID: String, objective: String, status: String, rationale: String, evidence: [EvidenceRef],
                           assessedBy: String?, ifVersion: Int?) async throws -> (record: FindingRecord, requirement: String) {
        guard let status = FindingStatus(rawValue: status) else { throw AssessmentError.badStatus }
        try await EvidenceUseCases(env, scope).checkPinned(evidence) { "evidence[\($0)].sha256" }
        let f = Finding(status: status, rationale: rationale, evidence: evidence, assessedBy: assessedBy, assessedOn: today)
        let store = scope.store, actor = scope.actor, library = env.library
        return try await env.db.transaction { s in
            // The assessment's row first, then the writes and their audit entries: every change to an assessment takes
            // its locks in this order (see `recordScore`), so two of them cannot deadlock on PostgreSQL.
            let locked = try await store.lockedAssessment(id: assessmentID, on: s)
            let catalog = try library.catalog(CatalogID(locked.catalog))
            guard let entry = catalog.entries.first(where: { $0.assessmentObjectives.contains(objective) }) else {
                throw AssessmentError.unknownObjective(objective, catalog: catalog.id.rawValue)
            }
            let write = try await store.putFinding(assessmentID: assessmentID, objective: objective, f, ifVersion: ifVersion, by: actor, on: s)
            // A new rationale or evidence list leaves the score and the answered count as they were, so the history
            // already holds them (every change of a status records its point).
            if write.changesStatus { try await recordScore(locked, on: s) }
            return (write.record, entry.id)
        }
    }

    /// The editor's save (`RequirementEdit.problems` first: links are http(s), an exception has its note): new files into the vault, every changed objective and the answer, in one transaction
    /// (version checks; `VersionConflict` when someone saved meanwhile, and then nothing is written). Unchanged
    /// objectives are not rewritten (no new version, no audit entry), except that a carried-over one is confirmed.
    public func saveRequirement(_ a: AssessmentRecord, requirement: String, _ edit: RequirementEdit, by who: String) async throws {
        let problems = edit.problems
        guard problems.isEmpty else { throw AssessmentError.requirementEdit(problems) }
        try await EvidenceUseCases(env, scope).checkPinned(edit.objectives.flatMap(\.finding.evidence)) { _ in "evidence" }
        let store = scope.store, vault = env.evidence, audit = env.audit, scope = scope, today = today
        let assessed = try await store.load(a, organization: scope.organization.domainOrganization)
        try await env.db.transaction { s in
            let locked = try await store.lockedAssessment(id: a.id, on: s)  // the assessment's row first (see `recordScore`)
            var changed = false
            var uploaded: [Int: [EvidenceRef]] = [:]
            for file in edit.files where !file.data.isEmpty {
                let r = try await vault.put(organizationID: scope.organizationID, data: file.data, filename: file.filename,
                                            contentType: file.contentType, uploadedBy: scope.actor.id, on: s)
                _ = try await audit.append(EvidenceUseCases.uploaded(r, scope), on: s)
                uploaded[file.objectiveIndex, default: []].append(EvidenceRef(location: r.filename, sha256: r.sha256, size: r.size, date: today))
            }
            for (i, o) in edit.objectives.enumerated() {
                var f = o.finding
                f.evidence += uploaded[i] ?? []
                if !o.newLink.isEmpty { f.evidence.append(EvidenceRef(location: o.newLink, date: today)) }
                let before = assessed.findings[o.id]
                if before?.status == f.status, before?.rationale == f.rationale, before?.evidence == f.evidence {
                    // Saved unchanged: a carried-over answer is confirmed as it is (issue 17 item 4).
                    if before?.needsReview == true {
                        _ = try await store.confirmCarriedOver(assessmentID: a.id, objectives: [o.id], ifVersion: o.version, by: scope.actor, on: s)
                    }
                    continue
                }
                if before == nil, f.status == .notAssessed, f.rationale.isEmpty, f.evidence.isEmpty { continue }
                f.assessedBy = who
                f.assessedOn = today
                _ = try await store.putFinding(assessmentID: a.id, objective: o.id, f, ifVersion: o.version, by: scope.actor, on: s)
                changed = true
            }
            if edit.answer != assessed.answer(for: requirement) {
                _ = try await store.putAnswer(assessmentID: a.id, requirement: requirement, edit.answer, ifVersion: edit.answerVersion,
                                              by: scope.actor, on: s)
                changed = true
            }
            // New files alone change no score.
            if changed { try await recordScore(locked, on: s) }
        }
    }

    // MARK: score history

    /// The point the score history keeps for an assessment: its SPRS score (nil while it cannot be scored: no system
    /// security plan, or a catalog without SPRS values) and how many objectives are answered — what the dashboard
    /// shows (`AssessmentReport.sprs`, `Assessment.progress`). Nil when the assessment's catalog is unknown.
    public static func scorePoint(_ a: Assessment, library: Library) -> (score: Int?, answered: Int)? {
        guard let catalog = library.catalogs[a.catalog] else { return nil }
        return ((try? SPRSScoring.score(a, catalog: catalog))?.score, a.progress(in: catalog).answered)
    }

    /// Recomputes the assessment's score from what the transaction `s` sees (its own writes included) and records it
    /// as the organization's today's point (one per assessment and day; a later change the same day replaces it).
    /// Every operation that changes findings, answers or the plan of action calls this inside its transaction, so
    /// "score over time" never depends on someone opening a page. The assessment's row is locked first
    /// (`TenantStore.lockedAssessment`): two writers of one assessment score one after the other, the second with
    /// the first's change. Callers lock that row at the start of their transaction, before any write or audit entry,
    /// and pass the record it returned:
    /// locking it only here, after the audit entry, deadlocked against a change that updates the row first and then
    /// appends its entry (the results-posting date, found by schemathesis on PostgreSQL).
    /// `locked` is the record `lockedAssessment` returned at the start of the transaction `s`.
    func recordScore(_ locked: AssessmentRecord, on s: any SQLDatabase) async throws {
        let store = scope.store
        let assessment = try await store.scoringAssessment(locked, organization: scope.organization.domainOrganization, on: s)
        guard let point = Self.scorePoint(assessment, library: env.library) else { return }
        try await store.recordScore(assessmentID: locked.id, day: today, score: point.score, answered: point.answered,
                                    at: env.clock.now(), on: s)
    }
}
