import Foundation
import TekigoCore
import SQLKit
import TekigoStore

/// One incident in a list: its title and where it stands, no details.
public struct IncidentSummary: Sendable, Hashable {
    public let id: String
    public let title: String
    public let phase: IncidentPhase
    public let discoveredAt: Date
    public let discoveredTimeZone: String
    public let exercise: Bool
    /// The earliest deadline still open or overdue (nil when every deadline is met or none applies).
    public let nextDeadline: IncidentDeadline?
    /// Whether any deadline is overdue.
    public let overdue: Bool
}

/// Everything the incident's page, its JSON and the exports read: the dossier (the exports' input), the clocks at
/// `now`, and what an editor needs besides (ids, version, evidence files, the report fields as JSON text).
public struct IncidentDetail: Sendable, Hashable {
    public let dossier: IncidentDossier
    /// For `update(expectedVersion:)` and `saveReportFields(expectedVersion:)`.
    public let version: Int
    /// `IncidentReportFields` as JSON text, nil until saved.
    public let reportFields: String?
    /// The organization's hours by rule id (rules marked as a setting).
    public let hourSettings: [String: Int]
    /// Every clock of the regimes the affected contracts bring, worked out at `now`.
    public let deadlines: [IncidentDeadline]
    public let now: Date
    /// Affected systems with their ids (the dossier has the names).
    public let systems: [IncidentSystemRecord]
    /// Affected contracts with their ids (the dossier has them with the customer's name).
    public let contracts: [IncidentContractRecord]
    /// The timeline with entry ids and the sealed files (SHA-256 and name) each entry names.
    public let timeline: [IncidentTimelineRecord]
    public let submissions: [IncidentSubmissionRecord]
    /// Whether the caller may change it (`Role.allowsIncidents(.manageIncidents, …)`).
    public let canManage: Bool

    public var id: String { dossier.id }

    /// The report fields decoded; nil until saved (or if the stored text no longer decodes).
    public var typedReportFields: IncidentReportFields? {
        reportFields.flatMap { try? JSONDecoder().decode(IncidentReportFields.self, from: Data($0.utf8)) }
    }
}

/// What a new incident may name: the organization's systems and the contracts it holds as a supplier.
public struct IncidentLinkables: Sendable, Hashable {
    public let systems: [SystemRecord]
    public let contracts: [LinkableContract]
}

/// A clock rule the organization may set hours for, with Tekigo's default and the organization's value.
public struct IncidentHourSetting: Sendable, Hashable {
    public let regime: ReportingRegime
    public let rule: ClockRule
    /// The organization's hours; nil: the rule's default (`rule.hours`).
    public let hours: Int?
    public var effectiveHours: Int { hours ?? rule.hours }
}

/// A member on the incident team.
public struct IncidentTeamMember: Sendable, Hashable {
    public let userID: String
    public let displayName: String
    public let email: String
    public let role: Role
    public let grantedBy: String
    public let grantedAt: String
}

/// Why a detail read happens, for its audit entry: shown (`incident.read`) or exported (`incident.exported`).
public enum IncidentReadPurpose: Sendable, Hashable {
    case show
    /// `format`: json, stix, html, md …
    case export(format: String)
}

/// The reads of an organization's incidents, behind the same need-to-know check as the changes
/// (`Role.allowsIncidents(.readIncidents, …)`). Every read of one incident's details writes `incident.read` (or
/// `incident.exported`) in the transaction that reads it; a list reads titles and states only and writes
/// `incident.listed` once. Clocks are worked out at the injected clock's now.
public struct IncidentQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    public let table: ReportingRegimeTable

    public init(_ env: TenantEnvironment, _ scope: TenantScope, table: ReportingRegimeTable = .builtIn) {
        self.env = env
        self.scope = scope
        self.table = table
    }

    var store: IncidentStore { IncidentStore(env.db, organizationID: scope.organizationID) }

    /// The organization an incident belongs to (the command line names incidents by id alone); nil when none has it.
    public static func organizationID(ofIncident id: String, db: TekigoDatabase) async throws -> String? {
        try await IncidentStore.organizationID(ofIncident: id, db: db)
    }

    /// Whether the caller may read incidents here (for a page deciding what to show; the reads check it themselves).
    public func canRead() async throws -> Bool {
        if scope.role.allows(.readIncidents) { return true }
        return scope.role.allowsIncidents(.readIncidents, granted: try await IncidentAccess.granted(env, scope))
    }

    /// Whether the caller may change incidents here.
    public func canManage() async throws -> Bool { try await IncidentAccess.canManage(env, scope) }

    /// The organization's incidents, latest discovery first, with their next deadline.
    public func list() async throws -> [IncidentSummary] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let now = env.clock.now()
        let store = store, scope = scope, audit = env.audit, table = table
        return try await env.db.transaction { s in
            let incidents = try await store.incidents(on: s)
            let contracts = Dictionary(grouping: try await store.contracts(incidentID: nil, on: s), by: \.incidentId)
            let submissions = Dictionary(grouping: try await store.submissions(incidentID: nil, on: s), by: \.incidentId)
            let hours = try await store.hourSettings(on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentListed, "incidents"), on: s)
            return try incidents.map { r in
                guard let discovered = r.discoveredDate else { throw IncidentStoreError.corruptRow("incident/\(r.id)") }
                let clauses = (contracts[r.id] ?? []).reduce(into: Set<ContractClause>()) { $0.formUnion($1.clauseSet) }
                let facts = try (submissions[r.id] ?? []).map { try Self.submission($0).fact }
                let deadlines = IncidentClock.deadlines(table: table, clauses: clauses, discoveredAt: discovered, submissions: facts,
                                                        hourSettings: hours, now: now)
                let pending = deadlines.filter { $0.isOpen || $0.isOverdue }.sorted { ($0.due ?? .distantFuture) < ($1.due ?? .distantFuture) }
                return IncidentSummary(id: r.id, title: r.title, phase: try r.incidentPhase(), discoveredAt: discovered,
                                       discoveredTimeZone: r.discoveredTimeZone, exercise: r.isExercise, nextDeadline: pending.first,
                                       overdue: deadlines.contains(where: \.isOverdue))
            }
        }
    }

    /// One incident's details, audited as read (`.show`) or exported (`.export(format:)`).
    public func dossier(id: String, for purpose: IncidentReadPurpose = .show) async throws -> IncidentDetail {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let canManage = try await IncidentAccess.canManage(env, scope)
        let store = store, scope = scope, audit = env.audit, env = env, table = table
        return try await env.db.transaction { s in
            let detail = try await Self.detail(id: id, store: store, env: env, scope: scope, table: table, canManage: canManage, on: s)
            let event: AuditEvent
            switch purpose {
            case .show: event = IncidentAccess.event(scope, .incidentRead, "incident/\(id)")
            case .export(let format): event = IncidentAccess.event(scope, .incidentExported, "incident/\(id)/export/\(format)")
            }
            _ = try await audit.append(event, on: s)
            return detail
        }
    }

    /// The organization's systems and the contracts it holds as a supplier (for the form).
    public func linkable() async throws -> IncidentLinkables {
        try await IncidentAccess.require(.readIncidents, env, scope)
        return IncidentLinkables(systems: try await scope.store.systems(), contracts: try await store.linkableContracts())
    }

    /// The clock rules marked as a setting, with the organization's hours.
    public func hourSettings() async throws -> [IncidentHourSetting] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let hours = try await store.hourSettings()
        return table.regimes.flatMap { regime in
            regime.rules.filter(\.setting).map { IncidentHourSetting(regime: regime, rule: $0, hours: hours[$0.id]) }
        }
    }

    /// The incident team (members granted need-to-know), in the order granted.
    public func team() async throws -> [IncidentTeamMember] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let members = try await AccountStore(env.db).members(organizationID: scope.organizationID)
        return try await store.team().compactMap { g in
            guard let (user, role) = members.first(where: { $0.0.id == g.userId }) else { return nil }
            return IncidentTeamMember(userID: user.id, displayName: user.displayName, email: user.email, role: role,
                                      grantedBy: g.grantedBy, grantedAt: g.grantedAt)
        }
    }

    static func submission(_ r: IncidentSubmissionRecord) throws -> IncidentSubmission {
        guard let s = r.submission else { throw IncidentStoreError.corruptRow("incident submission/\(r.id)") }
        return s
    }

    /// Reads and assembles one incident in the caller's transaction (no audit entry: the callers write theirs).
    static func detail(id: String, store: IncidentStore, env: TenantEnvironment, scope: TenantScope, table: ReportingRegimeTable,
                       canManage: Bool, on s: any SQLDatabase) async throws -> IncidentDetail {
        let r = try await store.existing(id: id, on: s)
        let facts = try r.facts()
        let systems = try await store.systems(incidentID: id, on: s)
        let contracts = try await store.contracts(incidentID: id, on: s)
        let timeline = try await store.timeline(incidentID: id, on: s)
        let submissions = try await store.submissions(incidentID: id, on: s)
        let hours = try await store.hourSettings(on: s)
        let names = try await store.organizationNames(contracts.map(\.customerId), on: s)
        let org = scope.organization
        let dossier = IncidentDossier(
            id: r.id,
            organization: ReportingOrganization(id: org.id, name: org.name, cageCodes: org.cageCodeList, uei: org.uei,
                                                corporateNumber: org.corporateNumber),
            facts: facts, phase: try r.incidentPhase(), affectedSystems: systems.map(\.systemName),
            affectedContracts: contracts.map {
                AffectedContract(contractID: $0.contractId, number: $0.number, customerID: $0.customerId,
                                 customerName: names[$0.customerId] ?? $0.customerId, clauses: $0.clauseSet)
            },
            submissions: try submissions.map(submission), timeline: timeline.map(\.entry),
            createdAt: Timestamp.date(r.createdAt) ?? .distantPast, updatedAt: Timestamp.date(r.updatedAt) ?? .distantPast,
            exercise: r.isExercise)
        let now = env.clock.now()
        return IncidentDetail(dossier: dossier, version: r.version, reportFields: r.reportFields, hourSettings: hours,
                              deadlines: dossier.deadlines(table: table, hourSettings: hours, now: now), now: now,
                              systems: systems, contracts: contracts, timeline: timeline, submissions: submissions,
                              canManage: canManage)
    }
}
