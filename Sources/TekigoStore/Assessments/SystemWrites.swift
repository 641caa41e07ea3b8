import Foundation
import SQLKit
import TekigoCore

/// What uses a system: the assessments of it and the cloud services the organization lists it under. Both tables
/// delete their rows with the system (ON DELETE CASCADE, migrations 2 and 21), so a system in use is never deleted.
public struct SystemUsage: Sendable, Equatable {
    /// The dates of the assessments of the system, newest first.
    public let assessmentDates: [String]
    /// The names of the cloud services that list the system.
    public let cloudServices: [String]

    public var isEmpty: Bool { assessmentDates.isEmpty && cloudServices.isEmpty }
}

/// A system changed or deleted (issue 17 item 6: systems editable in the web), inside the caller's transaction with
/// its audit entry: `AssessmentUseCases.updateSystem` and `.deleteSystem` hold the rules and open the transaction.
extension TenantStore {
    /// The system as the transaction `s` sees it, locked until the transaction ends. On PostgreSQL `FOR UPDATE` also
    /// waits for a transaction that is adding an assessment or a cloud service's link to the system (their foreign key
    /// check holds a share lock on this row), so what `usage` reads next includes it; on SQLite, `BEGIN IMMEDIATE`
    /// already holds the database's write lock. With `ifVersion` (the version a form or client read), a system changed
    /// since is `VersionConflict`.
    public func lockedSystem(id: String, ifVersion: Int?, on s: any SQLDatabase) async throws -> SystemRecord {
        guard storableID(id) else { throw NotFound(what: "system \(id)") }
        let forUpdate = db.engine == .postgres ? " FOR UPDATE" : ""
        guard let row = try await s.raw("""
            SELECT * FROM systems WHERE organization_id = \(bind: organizationID) AND id = \(bind: id)\(unsafeRaw: forUpdate)
            """).first() else { throw NotFound(what: "system \(id)") }
        let r = try row.decode(model: SystemRecord.self, with: Self.fromSnake)
        if let ifVersion, ifVersion != r.version { throw VersionConflict(current: r.version) }
        return r
    }

    /// The assessments and cloud services that use the system.
    public func usage(systemID: String, on s: any SQLDatabase) async throws -> SystemUsage {
        let dates = try await s.select().column("assessed_on").from("assessments")
            .where("organization_id", .equal, organizationID).where("system_id", .equal, systemID)
            .orderBy("assessed_on", .descending).all().map { try $0.decode(column: "assessed_on", as: String.self) }
        let services = try await s.select().column(SQLColumn("name", table: "cloud_services")).from("cloud_services")
            .join("cloud_service_systems", on: SQLColumn("service_id", table: "cloud_service_systems"), .equal,
                  SQLColumn("id", table: "cloud_services"))
            .where(SQLColumn("organization_id", table: "cloud_service_systems"), .equal, SQLBind(organizationID))
            .where(SQLColumn("system_id", table: "cloud_service_systems"), .equal, SQLBind(systemID))
            .orderBy(SQLColumn("name", table: "cloud_services")).all().map { try $0.decode(column: "name", as: String.self) }
        return SystemUsage(assessmentDates: dates, cloudServices: services)
    }

    /// Replaces the locked system's profile (its components are kept) if `current` is still the stored version;
    /// `VersionConflict` otherwise. Audited `system.updated` with the row before and after.
    public func updateSystem(_ current: SystemRecord, to p: SystemProfile, by actor: Actor, on s: any SQLDatabase) async throws -> SystemRecord {
        var r = current
        r.name = p.name
        r.boundary = p.boundary
        r.environment = p.environment
        r.informationTypes = JSONText.encode(p.informationTypes)
        r.userCount = p.userCount
        r.version = current.version + 1
        let updated = try await s.update("systems")
            .set("name", to: SQLBind(r.name)).set("boundary", to: SQLBind(r.boundary)).set("environment", to: SQLBind(r.environment))
            .set("information_types", to: SQLBind(r.informationTypes)).set("user_count", to: SQLBind(r.userCount))
            .set("version", to: SQLBind(r.version))
            .where("organization_id", .equal, organizationID).where("id", .equal, current.id)
            .where("version", .equal, current.version).returning("version").all()
        if updated.isEmpty { throw VersionConflict(current: current.version) }
        _ = try await audit.append(event(actor, .systemUpdated, "system/\(r.id)", before: current, after: r), on: s)
        return r
    }

    /// Deletes the locked system (the caller has checked `usage` is empty). Audited `system.deleted`.
    public func deleteSystem(_ current: SystemRecord, by actor: Actor, on s: any SQLDatabase) async throws {
        try await s.delete(from: "systems").where("organization_id", .equal, organizationID).where("id", .equal, current.id).run()
        _ = try await audit.append(event(actor, .systemDeleted, "system/\(current.id)", before: current, after: nil), on: s)
    }
}
