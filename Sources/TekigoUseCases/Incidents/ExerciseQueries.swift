import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// When the next exercise is due (`ExerciseSchedule`): the organization's frequency, the last completed exercise and
/// the due day, judged on the organization's today.
public struct ExerciseScheduleStatus: Sendable, Hashable {
    public let frequencyMonths: Int
    /// The frequency is Tekigo's default (the organization has not set one).
    public let isDefault: Bool
    public let lastCompleted: ExerciseRecord?
    /// Nil: no exercise was ever completed, so one is due now.
    public let nextDue: Day?
    public let today: Day

    public var overdue: Bool { nextDue.map { $0 <= today } ?? true }
}

/// One exercise with everything its page and its JSON show.
public struct ExerciseDetail: Sendable, Hashable {
    public let record: ExerciseRecord
    public let scenario: ExerciseScenario
    public let entries: [ExerciseEntryRecord]
    public let evidence: [ExerciseEvidenceRecord]
    /// The exercise incident while or after it ran (its clocks at the clock's now), nil before.
    public let incident: IncidentSummary?
    public let canManage: Bool

    public var id: String { record.id }
    public var status: ExerciseStatus { record.exerciseStatus ?? .planned }
}

/// The reads of an organization's exercises, behind the incidents' need-to-know check (`.readIncidents`). A detail
/// read is audited (`exercise.read`), like an incident's.
public struct ExerciseQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    public let scenarios: ExerciseScenarioLibrary

    public init(_ env: TenantEnvironment, _ scope: TenantScope, scenarios: ExerciseScenarioLibrary = .builtIn) {
        self.env = env
        self.scope = scope
        self.scenarios = scenarios
    }

    var store: ExerciseStore { ExerciseStore(env.db, organizationID: scope.organizationID) }

    public func canRead() async throws -> Bool { try await IncidentQueries(env, scope).canRead() }
    public func canManage() async throws -> Bool { try await IncidentAccess.canManage(env, scope) }

    /// The organization's exercises, latest planned first.
    public func list() async throws -> [ExerciseRecord] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        return try await store.exercises()
    }

    /// The frequency, the last completed exercise and the next due day.
    public func schedule() async throws -> ExerciseScheduleStatus {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let months = try await store.frequencyMonths()
        let last = try await store.lastCompleted()
        let frequency = months ?? ExerciseSchedule.defaultMonths
        return ExerciseScheduleStatus(frequencyMonths: frequency, isDefault: months == nil, lastCompleted: last,
                                      nextDue: ExerciseSchedule.nextDue(lastCompleted: last?.completedDay, months: frequency),
                                      today: scope.calendar.today(env.clock))
    }

    /// One exercise, audited as read.
    public func detail(id: String) async throws -> ExerciseDetail {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let canManage = try await IncidentAccess.canManage(env, scope)
        let store = store, scope = scope, audit = env.audit, scenarios = scenarios
        let (r, entries, evidence) = try await env.db.transaction { s in
            let r = try await store.existing(id: id, on: s)
            let entries = try await store.entries(exerciseID: id, on: s)
            let evidence = try await store.evidence(exerciseID: id, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseRead, "exercise/\(id)"), on: s)
            return (r, entries, evidence)
        }
        guard let scenario = scenarios.scenario(id: r.scenarioId) else { throw ExerciseError.unknownScenario(r.scenarioId) }
        var incident: IncidentSummary?
        if let incidentID = r.incidentId { incident = try await summary(ofIncident: incidentID) }
        return ExerciseDetail(record: r, scenario: scenario, entries: entries, evidence: evidence, incident: incident, canManage: canManage)
    }

    /// The exercise incident's phase and next deadline at the clock's now, read for this exercise alone (the
    /// exercise's own read is the audited one; the incident list is not read).
    func summary(ofIncident id: String) async throws -> IncidentSummary? {
        let store = IncidentStore(env.db, organizationID: scope.organizationID)
        guard let r = try await store.incident(id: id), let discovered = r.discoveredDate else { return nil }
        let clauses = try await store.contracts(incidentID: id).reduce(into: Set<ContractClause>()) { $0.formUnion($1.clauseSet) }
        let facts = try await store.submissions(incidentID: id).compactMap(\.submission).map(\.fact)
        let deadlines = IncidentClock.deadlines(clauses: clauses, discoveredAt: discovered, submissions: facts,
                                                hourSettings: try await store.hourSettings(), now: env.clock.now())
        let pending = deadlines.filter { $0.isOpen || $0.isOverdue }.sorted { ($0.due ?? .distantFuture) < ($1.due ?? .distantFuture) }
        return IncidentSummary(id: r.id, title: r.title, phase: try r.incidentPhase(), discoveredAt: discovered,
                               discoveredTimeZone: r.discoveredTimeZone, exercise: r.isExercise, nextDeadline: pending.first,
                               overdue: deadlines.contains(where: \.isOverdue))
    }

    /// The assessments evidence may go into (SP 800-171 rev2 and rev3), newest first as the store lists them.
    public func assessmentsForEvidence() async throws -> [AssessmentRecord] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let catalogs = Set(ExerciseEvidence.catalogs.map(\.rawValue))
        return try await scope.store.assessments().filter { catalogs.contains($0.catalog) }
    }
}
