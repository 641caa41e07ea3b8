import Foundation
import SQLKit
import TekigoCore

/// One organization's reporting readiness (migration 13): certificates, the IR plan, the contact chart and the
/// reporting channels. Every query is scoped to `organizationID`; writes run in the caller's transaction (`on:`),
/// opened by `ReadinessUseCases`, which also appends the audit entries.
public struct ReadinessStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)?) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    // MARK: - Reads

    /// Certificates, soonest expiry first.
    public func certificates(on s: (any SQLDatabase)? = nil) async throws -> [CertificateRecord] {
        try await scoped("readiness_certificates", s).orderBy("expires_on").orderBy("id").all()
            .map { try $0.decode(model: CertificateRecord.self, with: Self.fromSnake) }
    }

    public func certificate(id: String, on s: (any SQLDatabase)? = nil) async throws -> CertificateRecord {
        guard let r = try await scoped("readiness_certificates", s).where("id", .equal, id).first()?
            .decode(model: CertificateRecord.self, with: Self.fromSnake) else { throw NotFound(what: "Certificate \(id)") }
        return r
    }

    public func plan(on s: (any SQLDatabase)? = nil) async throws -> PlanRecord? {
        try await scoped("readiness_plans", s).first()?.decode(model: PlanRecord.self, with: Self.fromSnake)
    }

    /// The contact chart in calling order.
    public func contacts(on s: (any SQLDatabase)? = nil) async throws -> [ContactRecord] {
        try await scoped("readiness_contacts", s).orderBy("position").orderBy("created_at").orderBy("id").all()
            .map { try $0.decode(model: ContactRecord.self, with: Self.fromSnake) }
    }

    public func contact(id: String, on s: (any SQLDatabase)? = nil) async throws -> ContactRecord {
        guard let r = try await scoped("readiness_contacts", s).where("id", .equal, id).first()?
            .decode(model: ContactRecord.self, with: Self.fromSnake) else { throw NotFound(what: "Contact \(id)") }
        return r
    }

    public func channels(on s: (any SQLDatabase)? = nil) async throws -> ChannelRecord? {
        try await scoped("readiness_channels", s).first()?.decode(model: ChannelRecord.self, with: Self.fromSnake)
    }

    /// Whether the organization has recorded anything about readiness (the reminder engine stays quiet until it has).
    public func hasAnything(on s: (any SQLDatabase)? = nil) async throws -> Bool {
        for table in ["readiness_certificates", "readiness_plans", "readiness_contacts", "readiness_channels"] {
            if try await (s ?? db.sql).select().column("organization_id").from(table)
                .where("organization_id", .equal, organizationID).limit(1).first() != nil { return true }
        }
        return false
    }

    /// The facts the readiness rules judge (`ReadinessRules`).
    public func facts(on s: (any SQLDatabase)? = nil) async throws -> ReadinessFacts {
        let channels = try await channels(on: s)
        let team = try await IncidentStore(db, organizationID: organizationID).team(on: s)
        return ReadinessFacts(certificates: try await certificates(on: s).compactMap(\.fact), plan: try await plan(on: s)?.fact,
                              contactRoles: try await contacts(on: s).compactMap(\.contactRole),
                              dodChannelConfigured: channels?.dodConfigured ?? false,
                              modContactConfigured: channels?.modConfigured ?? false, incidentTeamSize: team.count)
    }

    // MARK: - Writes (caller's transaction)

    public func insertCertificate(_ r: CertificateRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "readiness_certificates").model(r, with: Self.snake).run()
    }

    /// Replaces the row while its stored version is `expectedVersion` (`VersionConflict` otherwise).
    public func updateCertificate(_ r: CertificateRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        let updated = try await s.update("readiness_certificates").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: try await certificate(id: r.id, on: s).version) }
    }

    public func deleteCertificate(id: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "readiness_certificates").where("id", .equal, id).where("organization_id", .equal, organizationID).run()
    }

    /// Writes the plan: inserts it when `expectedVersion` is 0, else replaces it at that version.
    public func putPlan(_ r: PlanRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        let current = try await plan(on: s)
        guard (current?.version ?? 0) == expectedVersion else { throw VersionConflict(current: current?.version ?? 0) }
        if current == nil {
            try await s.insert(into: "readiness_plans").model(r, with: Self.snake).run()
        } else {
            try await s.update("readiness_plans").set(model: r, with: Self.snake).where("organization_id", .equal, organizationID).run()
        }
    }

    /// Deletes the plan and returns it (`NotFound` when there is none).
    @discardableResult
    public func deletePlan(on s: any SQLDatabase) async throws -> PlanRecord {
        guard let before = try await plan(on: s) else { throw NotFound(what: "Incident response plan") }
        try await s.delete(from: "readiness_plans").where("organization_id", .equal, organizationID).run()
        return before
    }

    public func insertContact(_ r: ContactRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "readiness_contacts").model(r, with: Self.snake).run()
    }

    public func updateContact(_ r: ContactRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        let updated = try await s.update("readiness_contacts").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: try await contact(id: r.id, on: s).version) }
    }

    public func deleteContact(id: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "readiness_contacts").where("id", .equal, id).where("organization_id", .equal, organizationID).run()
    }

    /// Writes the channels: inserts when `expectedVersion` is 0, else replaces at that version.
    public func putChannels(_ r: ChannelRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        let current = try await channels(on: s)
        guard (current?.version ?? 0) == expectedVersion else { throw VersionConflict(current: current?.version ?? 0) }
        if current == nil {
            try await s.insert(into: "readiness_channels").model(r, with: Self.snake).run()
        } else {
            try await s.update("readiness_channels").set(model: r, with: Self.snake).where("organization_id", .equal, organizationID).run()
        }
    }
}
