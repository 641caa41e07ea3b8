import SQLKit

/// Numbered schema changes. Each is small and never edited after it lands; add a new one instead.
enum Migrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "imported catalogs and crosswalks", statements: [
            """
            CREATE TABLE catalog_import (
                catalog_id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                version TEXT NOT NULL,
                oscal_version TEXT NOT NULL,
                source_file TEXT NOT NULL,
                source_sha256 TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                entry_count INTEGER NOT NULL,
                warning_count INTEGER NOT NULL,
                families_json TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE official_text (
                catalog_id TEXT NOT NULL REFERENCES catalog_import(catalog_id) ON DELETE CASCADE,
                entry_id TEXT NOT NULL,
                oscal_id TEXT NOT NULL,
                title TEXT NOT NULL,
                statement TEXT NOT NULL,
                guidance TEXT NOT NULL,
                family TEXT NOT NULL,
                parent TEXT,
                sort_order INTEGER NOT NULL,
                objectives_json TEXT NOT NULL,
                methods_json TEXT NOT NULL,
                parameters_json TEXT NOT NULL,
                PRIMARY KEY (catalog_id, entry_id)
            )
            """,
            """
            CREATE TABLE imported_mapping (
                from_catalog TEXT NOT NULL,
                from_id TEXT NOT NULL,
                to_catalog TEXT NOT NULL,
                to_id TEXT NOT NULL,
                relation TEXT NOT NULL,
                rationale TEXT,
                source_file TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                PRIMARY KEY (from_catalog, from_id, to_catalog, to_id)
            )
            """,
        ]),
    ]

    static var latest: Int { all.map(\.version).max() ?? 0 }

    static func run(on db: TekigoDatabase) async throws(StoreError) {
        do {
            try await db.sql.raw("""
                CREATE TABLE IF NOT EXISTS tekigo_migration (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """).run()
        } catch {
            throw .migrationFailed(0, String(describing: error))
        }
        for m in all {
            do {
                try await db.transaction { s in
                    // Re-check inside the lock: another process may have migrated meanwhile.
                    let done = try await s.select().column("version").from("tekigo_migration")
                        .where("version", .equal, m.version).first()
                    if done != nil { return }
                    for statement in m.statements { try await s.raw(SQLQueryString(statement)).run() }
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
