import Foundation
import SQLKit
import TekigoCore

/// One organization's cyber incidents (migration 9): the record, the systems and contracts it affects, its timeline,
/// the reports submitted, the organization's hours for clocks marked as a setting, and the need-to-know team.
///
/// Isolation is a property of this type, as in `TenantStore`: every query is scoped to `organizationID`. The one
/// exception is `dodReportNumberInUse`, which looks across every organization because DoD numbers each report once.
/// Writes run in the caller's transaction (`on:`): the use-case layer (`IncidentUseCases`) opens it, checks the rules
/// and appends the audit entry; the times are the caller's (its clock).
public struct IncidentStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    /// PostgreSQL advisory lock key serializing submissions (the report-number check, then the insert); SQLite's
    /// BEGIN IMMEDIATE already does. Migrations use 7355608, relationships 7355609.
    static let submissionLockKey: Int64 = 7_355_610

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)?) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    /// Rows of a child table for the organization's incidents (joined through `incidents`).
    func children<T: Decodable>(_ table: String, _ type: T.Type, incidentID: String?, order: String,
                                on s: (any SQLDatabase)?) async throws -> [T] {
        var q = (s ?? db.sql).select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier(table))).from(table)
            .join("incidents", on: SQLColumn("incident_id", table: table), .equal, SQLColumn("id", table: "incidents"))
            .where(SQLColumn("organization_id", table: "incidents"), .equal, SQLBind(organizationID))
        if let incidentID { q = q.where(SQLColumn("incident_id", table: table), .equal, SQLBind(incidentID)) }
        return try await q.orderBy(SQLColumn(order, table: table)).all().map { try $0.decode(model: T.self, with: Self.fromSnake) }
    }

    // MARK: - Reads

    /// The organization's incidents, latest discovery first.
    public func incidents(on s: (any SQLDatabase)? = nil) async throws -> [IncidentRecord] {
        try await scoped("incidents", s).orderBy("discovered_at", .descending).orderBy("id").all()
            .map { try $0.decode(model: IncidentRecord.self, with: Self.fromSnake) }
    }

    public func incident(id: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentRecord? {
        try await scoped("incidents", s).where("id", .equal, id).first()?.decode(model: IncidentRecord.self, with: Self.fromSnake)
    }

    /// The incident, or `NotFound` when this organization has none with that id.
    public func existing(id: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentRecord {
        guard let r = try await incident(id: id, on: s) else { throw NotFound(what: "Incident \(id)") }
        return r
    }

    /// Systems of one incident, or of all the organization's incidents when `incidentID` is nil.
    public func systems(incidentID: String?, on s: (any SQLDatabase)? = nil) async throws -> [IncidentSystemRecord] {
        try await children("incident_systems", IncidentSystemRecord.self, incidentID: incidentID, order: "system_name", on: s)
    }

    public func contracts(incidentID: String?, on s: (any SQLDatabase)? = nil) async throws -> [IncidentContractRecord] {
        try await children("incident_contracts", IncidentContractRecord.self, incidentID: incidentID, order: "number", on: s)
    }

    public func timeline(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [IncidentTimelineRecord] {
        try await children("incident_timeline", IncidentTimelineRecord.self, incidentID: incidentID, order: "at", on: s)
    }

    public func submissions(incidentID: String?, on s: (any SQLDatabase)? = nil) async throws -> [IncidentSubmissionRecord] {
        try await children("incident_submissions", IncidentSubmissionRecord.self, incidentID: incidentID, order: "submitted_at", on: s)
    }

    /// The organization's hours by rule id.
    public func hourSettings(on s: (any SQLDatabase)? = nil) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for r in try await scoped("incident_hour_settings", s).all().map({ try $0.decode(model: IncidentHourSettingRecord.self, with: Self.fromSnake) }) {
            out[r.ruleId] = r.hours
        }
        return out
    }

    public func team(on s: (any SQLDatabase)? = nil) async throws -> [IncidentTeamRecord] {
        try await scoped("incident_team", s).orderBy("granted_at").all()
            .map { try $0.decode(model: IncidentTeamRecord.self, with: Self.fromSnake) }
    }

    public func isOnTeam(userID: String, on s: (any SQLDatabase)? = nil) async throws -> Bool {
        try await scoped("incident_team", s).where("user_id", .equal, userID).first() != nil
    }

    /// The contracts the organization holds as a supplier, with the customer's name: what an incident may name.
    public func linkableContracts(on s: (any SQLDatabase)? = nil) async throws -> [LinkableContract] {
        try await (s ?? db.sql).raw("""
            SELECT c.id, c.number, c.customer_id, c.clauses, o.name FROM contracts c JOIN organizations o ON o.id = c.customer_id \
            WHERE c.supplier_id = \(bind: organizationID) ORDER BY o.name, c.number, c.id
            """).all().map {
            let clauses = JSONText.decode([String].self, try $0.decode(column: "clauses", as: String.self)) ?? []
            return LinkableContract(id: try $0.decode(column: "id", as: String.self), number: try $0.decode(column: "number", as: String.self),
                                    customerID: try $0.decode(column: "customer_id", as: String.self),
                                    customerName: try $0.decode(column: "name", as: String.self),
                                    clauses: Set(clauses.compactMap(ContractClause.init(rawValue:))))
        }
    }

    /// Names of organizations by id (customers named on affected contracts).
    public func organizationNames(_ ids: [String], on s: (any SQLDatabase)? = nil) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for row in try await (s ?? db.sql).select().columns("id", "name").from("organizations").where("id", .in, Array(Set(ids))).all() {
            out[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        return out
    }

    /// The person behind an audit actor: the user id itself, or for `token:<id>` the token's owner (grants are
    /// per person, whichever way they sign in).
    public func userID(ofActor actorID: String) async throws -> String? {
        guard actorID.hasPrefix("token:") else { return actorID }
        return try await db.sql.select().column("user_id").from("api_tokens").where("id", .equal, String(actorID.dropFirst(6)))
            .first()?.decode(column: "user_id", as: String.self)
    }

    /// The organization an incident belongs to, whichever it is (the command line names incidents by id alone).
    public static func organizationID(ofIncident id: String, db: TekigoDatabase) async throws -> String? {
        try await db.sql.select().column("organization_id").from("incidents").where("id", .equal, id).first()?
            .decode(column: "organization_id", as: String.self)
    }

    /// Whether a real incident of any organization has recorded this DoD report number (the one unscoped read).
    public func dodReportNumberInUse(_ number: String, on s: any SQLDatabase) async throws -> Bool {
        try await s.select().column("id").from("incident_submissions").where("dod_report_number", .equal, number).first() != nil
    }

    // MARK: - Writes (in the caller's transaction)

    public func insert(_ r: IncidentRecord, systems: [IncidentSystemRecord], contracts: [IncidentContractRecord],
                       on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incidents").model(r, with: Self.snake).run()
        try await replaceLinks(incidentID: r.id, systems: systems, contracts: contracts, on: s)
    }

    func replaceLinks(incidentID: String, systems: [IncidentSystemRecord], contracts: [IncidentContractRecord],
                      on s: any SQLDatabase) async throws {
        try await s.delete(from: "incident_systems").where("incident_id", .equal, incidentID).run()
        try await s.delete(from: "incident_contracts").where("incident_id", .equal, incidentID).run()
        if !systems.isEmpty { try await s.insert(into: "incident_systems").models(systems, with: Self.snake).run() }
        if !contracts.isEmpty { try await s.insert(into: "incident_contracts").models(contracts, with: Self.snake).run() }
    }

    /// Writes the row as given, only while the stored version is `expectedVersion` (then `r.version` must be the next
    /// one); `VersionConflict` with the current version otherwise, `NotFound` when there is no such incident here.
    public func update(_ r: IncidentRecord, expectedVersion: Int, systems: [IncidentSystemRecord]? = nil,
                       contracts: [IncidentContractRecord]? = nil, on s: any SQLDatabase) async throws {
        let updated = try await s.update("incidents").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty {
            guard let current = try await incident(id: r.id, on: s) else { throw NotFound(what: "Incident \(r.id)") }
            throw VersionConflict(current: current.version)
        }
        if let systems, let contracts { try await replaceLinks(incidentID: r.id, systems: systems, contracts: contracts, on: s) }
    }

    /// Marks the incident changed (a timeline entry or a submission) without a new version.
    public func touch(incidentID: String, at: String, on s: any SQLDatabase) async throws {
        try await s.update("incidents").set("updated_at", to: at).where("id", .equal, incidentID)
            .where("organization_id", .equal, organizationID).run()
    }

    public func addTimeline(_ t: IncidentTimelineRecord, on s: any SQLDatabase) async throws {
        precondition(t.organizationId == organizationID)
        try await s.insert(into: "incident_timeline").model(t, with: Self.snake).run()
    }

    /// Takes the submission lock (PostgreSQL; SQLite's write transaction is the lock already), so the report number
    /// check and the insert that follows see every committed submission.
    public func lockSubmissions(on s: any SQLDatabase) async throws {
        if db.engine == .postgres { try await s.raw("SELECT pg_advisory_xact_lock(\(bind: Self.submissionLockKey))").run() }
    }

    public func addSubmission(_ r: IncidentSubmissionRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_submissions").model(r, with: Self.snake).run()
    }

    public func setHours(ruleID: String, hours: Int?, by actor: String, at: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "incident_hour_settings").where("organization_id", .equal, organizationID)
            .where("rule_id", .equal, ruleID).run()
        if let hours {
            try await s.insert(into: "incident_hour_settings")
                .model(IncidentHourSettingRecord(organizationId: organizationID, ruleId: ruleID, hours: hours, updatedBy: actor, updatedAt: at),
                       with: Self.snake).run()
        }
    }

    /// Adds a grant; false when the person had one already.
    public func grant(userID: String, by actor: String, at: String, on s: any SQLDatabase) async throws -> Bool {
        if try await isOnTeam(userID: userID, on: s) { return false }
        try await s.insert(into: "incident_team")
            .model(IncidentTeamRecord(organizationId: organizationID, userId: userID, grantedBy: actor, grantedAt: at), with: Self.snake).run()
        return true
    }

    /// Removes a grant; `NotFound` when there was none.
    public func revoke(userID: String, on s: any SQLDatabase) async throws {
        guard try await isOnTeam(userID: userID, on: s) else { throw NotFound(what: "Incident team member \(userID)") }
        try await s.delete(from: "incident_team").where("organization_id", .equal, organizationID).where("user_id", .equal, userID).run()
    }
}
