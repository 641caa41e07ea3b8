import Foundation
import TekigoCore
import TekigoStore

/// A POA&M item as typed in a form, before any check: text fields as given (trimmed by the adapter), dates as text.
public struct POAMDraft: Sendable, Equatable {
    public struct MilestoneRow: Sendable, Equatable {
        public var description: String
        public var due: String
        public var done: Bool

        public init(description: String, due: String, done: Bool) {
            self.description = description
            self.due = due
            self.done = done
        }
    }

    public var weakness: String
    public var owner: String
    public var resources: String
    /// A `POAMStatus` raw value.
    public var status: String
    /// The scheduled completion, YYYY-MM-DD or empty.
    public var scheduled: String
    /// The completion date, YYYY-MM-DD or empty (a completed item without one is completed today).
    public var completed: String
    public var milestones: [MilestoneRow]

    public init(weakness: String, owner: String = "", resources: String = "", status: String = POAMStatus.open.rawValue,
                scheduled: String = "", completed: String = "", milestones: [MilestoneRow] = []) {
        self.weakness = weakness
        self.owner = owner
        self.resources = resources
        self.status = status
        self.scheduled = scheduled
        self.completed = completed
        self.milestones = milestones
    }
}

/// What is wrong with one field of a POA&M draft.
public enum POAMProblem: String, Sendable, Equatable, CaseIterable {
    /// The weakness is empty.
    case required
    /// The status is not one of `POAMStatus`.
    case choice
    /// A date is not YYYY-MM-DD.
    case date
    /// A milestone has a due date but no description.
    case milestoneDescription
    /// A milestone has a description but no (valid) due date.
    case milestoneDate

    var text: String {
        switch self {
        case .required: return "is required"
        case .choice: return "must be one of \(POAMStatus.allCases.map(\.rawValue).joined(separator: ", "))"
        case .date: return "must be a date YYYY-MM-DD"
        case .milestoneDescription: return "needs a description (a milestone is what will be done by its date)"
        case .milestoneDate: return "needs a due date YYYY-MM-DD"
        }
    }
}

/// Why a POA&M operation was refused; each case says what to do.
public enum POAMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Field → what is wrong with it. Fields: `weakness`, `status`, `scheduled`, `completed`, `m<i>` (the i-th
    /// milestone row as typed, from 0).
    case invalid([String: POAMProblem])
    /// The assessment's catalog has no such requirement.
    case unknownRequirement(String, catalog: String)
    /// The role does not allow editing the plan (the adapters check it first: `TenantContext.membership(for:)`, the pages' `orgPage`).
    case notAllowed

    public var description: String {
        switch self {
        case .invalid(let problems):
            return problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.text)" }.joined(separator: "; ") + "."
        case .unknownRequirement(let id, let catalog):
            return "Requirement \(id) is not in \(catalog): plan items are kept per requirement of the assessment's catalog."
        case .notAllowed:
            return "Only an owner, an administrator, an assessor or a contributor can edit the plan of action."
        }
    }

    /// The first field with a problem (in name order).
    public var field: String? {
        switch self {
        case .invalid(let problems): return problems.keys.sorted().first
        case .unknownRequirement: return "requirement"
        case .notAllowed: return nil
        }
    }
}

/// The plan of action and milestones (是正計画; SP 800-171 3.12.2, 32 CFR 170.21): one item per requirement, checked
/// here and saved in one transaction with its audit entry and the day's score (a plan of action changes the SPRS
/// score: a temporary deficiency counts only under an operational plan, and 3.12.2 is deducted for not-met
/// requirements without one). The results-posting date that the closeout counts from is
/// `AssessmentUseCases.setResultsPosted`.
public struct POAMUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// The organization's today: the completion date of an item completed without one.
    var today: Day { scope.calendar.today(env.clock) }

    /// Plan items are kept per requirement of the assessment's catalog.
    public func checkRequirement(_ a: AssessmentRecord, _ requirement: String) throws(POAMError) {
        guard env.library.catalogs[CatalogID(a.catalog)]?[requirement] != nil else {
            throw .unknownRequirement(requirement, catalog: a.catalog)
        }
    }

    /// The item a draft describes. A weakness is required; dates are YYYY-MM-DD; a milestone with a description needs
    /// a due date (and a due date needs a description; a row with neither is ignored); milestones are kept in date
    /// order; a completed item gets `today` as its completion date when none is given, and only a completed item
    /// keeps one. Pure.
    public static func item(_ d: POAMDraft, requirement: String, today: Day) throws(POAMError) -> POAMItem {
        var problems: [String: POAMProblem] = [:]
        if d.weakness.isEmpty { problems["weakness"] = .required }
        let status = POAMStatus(rawValue: d.status)
        if status == nil { problems["status"] = .choice }
        let scheduled = d.scheduled.isEmpty ? nil : Day(d.scheduled)
        if !d.scheduled.isEmpty, scheduled == nil { problems["scheduled"] = .date }
        var completed = d.completed.isEmpty ? nil : Day(d.completed)
        if !d.completed.isEmpty, completed == nil { problems["completed"] = .date }
        var milestones: [Milestone] = []
        for (i, m) in d.milestones.enumerated() where !(m.description.isEmpty && m.due.isEmpty) {
            guard !m.description.isEmpty else { problems["m\(i)"] = .milestoneDescription; continue }
            guard let due = Day(m.due) else { problems["m\(i)"] = .milestoneDate; continue }
            milestones.append(Milestone(description: m.description, due: due, done: m.done))
        }
        guard problems.isEmpty, let status else { throw .invalid(problems) }
        if status == .completed, completed == nil { completed = today }
        return POAMItem(requirement: requirement, weakness: d.weakness, milestones: milestones.sorted { $0.due < $1.due },
                        owner: d.owner, resources: d.resources, status: status, scheduledCompletion: scheduled,
                        completedOn: status == .completed ? completed : nil)
    }

    /// Creates or replaces the plan item for `requirement` (`ifVersion` 0: there is none yet; a stale version is
    /// `VersionConflict` and nothing changes), audited and with the day's score recorded, in one transaction.
    @discardableResult
    public func save(_ a: AssessmentRecord, requirement: String, _ draft: POAMDraft, ifVersion: Int?) async throws -> POAMItemRecord {
        guard scope.role.allows(.editFindings) else { throw POAMError.notAllowed }
        try checkRequirement(a, requirement)
        let item = try Self.item(draft, requirement: requirement, today: today)
        let store = scope.store, scoring = AssessmentUseCases(env, scope)
        return try await env.db.transaction { s in
            let locked = try await store.lockedAssessment(id: a.id, on: s)  // the assessment's row first (see `recordScore`)
            let r = try await store.savePOAMItem(assessmentID: a.id, item, ifVersion: ifVersion, by: scope.actor, on: s)
            try await scoring.recordScore(locked, on: s)
            return r
        }
    }
}

extension POAMProblem {
    var japanese: String {
        switch self {
        case .required: return "は必須です"
        case .choice: return "は \(POAMStatus.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください"
        case .date: return "は YYYY-MM-DD 形式の日付にしてください"
        case .milestoneDescription: return "には内容が必要です（マイルストーンは期日までに行うことです）"
        case .milestoneDate: return "には YYYY-MM-DD 形式の期日が必要です"
        }
    }
}

extension POAMError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .invalid(let problems):
            return problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.japanese)" }.joined(separator: "。") + "。"
        case .unknownRequirement(let id, let catalog):
            return "要件 \(id) は \(catalog) にありません。是正計画の項目は評価のカタログの要件ごとに作ります。"
        case .notAllowed:
            return "是正計画を編集できるのは、所有者・管理者・評価者・回答者です。"
        }
    }
}
