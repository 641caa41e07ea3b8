import SQLKit

/// Numbered schema changes, one per file in this folder (`NNNN-Purpose.swift`, the number being the version) and
/// listed here in order; `run` applies those a database lacks. Each is small and never edited after it lands (databases
/// in the field have it applied; `MigrationTests` pins every statement's text): add a new one instead.
package enum Migrations {
    package struct Migration: Sendable {
        let version: Int
        let name: String
        /// The statements for an engine; they differ only in type names (`BLOB` / `BYTEA`).
        let statements: @Sendable (SQLEngine) -> [String]

        init(version: Int, name: String, statements: [String]) {
            self.version = version
            self.name = name
            self.statements = { _ in statements }
        }

        init(version: Int, name: String, perEngine: @escaping @Sendable (SQLEngine) -> [String]) {
            self.version = version
            self.name = name
            self.statements = perEngine
        }
    }

    package static let all: [Migration] = [
        importedCatalogs,
        serverTables,
        supplyChain,
        webApplication,
        accountSafety,
        resultsPosting,
        organizationTimeZone,
        supplierInvitationContact,
        incidents,
        incidentRegisters,
        incidentNotices,
        exercises,
        incidentReadiness,
        threatIntel,
        taxiiFeeds,
        stixValueIndex,
        communityInvitations,
        incidentSharing,
        taxiiFeedRuns,
        cloudRegistry,
        cloudServices,
        cloudResponsibility,
        carriedOverFindings,
        organizationRegime,
        evidenceLibrary,
    ]

    package static var latest: Int { all.map(\.version).max() ?? 0 }

    /// The newest version applied to `db`, or nil when it has no `tekigo_migration` table (an empty database, or one
    /// that is not Tekigo's). Reads only.
    static func appliedVersion(on db: TekigoDatabase) async throws -> Int? {
        let exists: Bool
        switch db.engine {
        case .sqlite:
            exists = try await db.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'tekigo_migration'")
                .first() != nil
        case .postgres:
            exists = try await db.sql.raw("SELECT to_regclass('tekigo_migration') IS NOT NULL AS present").first()?
                .decode(column: "present", as: Bool.self) ?? false
        }
        guard exists else { return nil }
        return try await db.sql.raw("SELECT MAX(version) AS v FROM tekigo_migration").first()?
            .decode(column: "v", as: Int?.self) ?? 0
    }

    /// Applies the migrations `db` lacks, up to `version` (default: all of them). Tests build a database at an older
    /// schema with a lower `version`; everything else migrates all the way (`TekigoDatabase.open`).
    package static func run(on db: TekigoDatabase, upTo version: Int = Migrations.latest) async throws(StoreError) {
        // Several app instances may start at once: each step runs in a transaction that first takes a lock
        // (SQLite: BEGIN IMMEDIATE's write lock; PostgreSQL: a transaction-scoped advisory lock).
        let lock = db.engine == .postgres ? "SELECT pg_advisory_xact_lock(7355608)" : nil
        do {
            try await db.transaction { s in
                if let lock { _ = try await s.raw(SQLQueryString(lock)).all() }
                try await s.raw("""
                    CREATE TABLE IF NOT EXISTS tekigo_migration (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                    """).run()
            }
        } catch {
            throw .migrationFailed(0, String(describing: error))
        }
        for m in all where m.version <= version {
            do {
                try await db.transaction { s in
                    if let lock { _ = try await s.raw(SQLQueryString(lock)).all() }
                    // Re-check inside the lock: another process may have migrated meanwhile.
                    let done = try await s.select().column("version").from("tekigo_migration")
                        .where("version", .equal, m.version).first()
                    if done != nil { return }
                    for statement in m.statements(db.engine) { try await s.raw(SQLQueryString(statement)).run() }
                    try await s.insert(into: "tekigo_migration").columns("version", "name", "applied_at")
                        .values(SQLBind(m.version), SQLBind(m.name), SQLBind(Timestamp.now()))
                        .run()
                }
            } catch {
                throw .migrationFailed(m.version, String(describing: error))
            }
        }
        let newest: Int?
        do {
            newest = try await db.sql.select().column("version").from("tekigo_migration")
                .orderBy("version", .descending).limit(1).first()?.decode(column: "version", as: Int.self)
        } catch {
            throw .migrationFailed(0, String(describing: error))
        }
        if let newest, newest > latest { throw .newerSchema(found: newest, known: latest) }
    }
}
