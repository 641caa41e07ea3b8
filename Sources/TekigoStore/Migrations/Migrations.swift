import SQLKit

/// Numbered schema changes, one per file in this folder (`NNNN-Purpose.swift`, the number being the version) and
/// listed here in order; `run` applies those a database lacks. Each is small and never edited after it lands (databases
/// in the field have it applied; `MigrationTests` pins every statement's text): add a new one instead.
enum Migrations {
    struct Migration: Sendable {
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

    static let all: [Migration] = [
        importedCatalogs,
        serverTables,
        supplyChain,
        webApplication,
        accountSafety,
        resultsPosting,
    ]

    static var latest: Int { all.map(\.version).max() ?? 0 }

    static func run(on db: TekigoDatabase) async throws(StoreError) {
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
        for m in all {
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
