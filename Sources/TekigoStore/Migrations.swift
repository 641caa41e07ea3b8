import SQLKit

/// Numbered schema changes. Each is small and never edited after it lands; add a new one instead.
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
        Migration(version: 2, name: "server: tenants, users, sessions, tokens, audit log, assessments, evidence", perEngine: { engine in
            let blob = engine == .postgres ? "BYTEA" : "BLOB"
            return [
                """
                CREATE TABLE organizations (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, cage_codes TEXT NOT NULL, uei TEXT, corporate_number TEXT,
                    created_at TEXT NOT NULL, version BIGINT NOT NULL)
                """,
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
                    platform_admin BIGINT NOT NULL, totp_secret TEXT, totp_enabled BIGINT NOT NULL, totp_last_step BIGINT NOT NULL,
                    recovery_codes TEXT NOT NULL, failed_logins BIGINT NOT NULL, locked_until TEXT, created_at TEXT NOT NULL,
                    version BIGINT NOT NULL)
                """,
                """
                CREATE TABLE memberships (
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                    role TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, organization_id))
                """,
                """
                CREATE TABLE sessions (
                    id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL, mfa_passed BIGINT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL,
                    expires_at TEXT NOT NULL, source_ip TEXT NOT NULL)
                """,
                """
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE, scope TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT,
                    created_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE setup_tokens (
                    token_hash TEXT PRIMARY KEY, expires_at TEXT NOT NULL, used_at TEXT, created_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE rate_limits (
                    bucket TEXT PRIMARY KEY, window_start TEXT NOT NULL, hits BIGINT NOT NULL)
                """,
                """
                CREATE TABLE audit_log (
                    seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, organization_id TEXT,
                    source_ip TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL, before_digest TEXT,
                    after_digest TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
                """
                CREATE TABLE systems (
                    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, boundary TEXT NOT NULL, environment TEXT NOT NULL, information_types TEXT NOT NULL,
                    components TEXT NOT NULL, user_count BIGINT NOT NULL, created_at TEXT NOT NULL, version BIGINT NOT NULL)
                """,
                """
                CREATE TABLE assessments (
                    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                    system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE, catalog TEXT NOT NULL,
                    assessed_on TEXT NOT NULL, kind TEXT NOT NULL, assessor TEXT NOT NULL, answers TEXT NOT NULL,
                    created_at TEXT NOT NULL, version BIGINT NOT NULL)
                """,
                """
                CREATE TABLE findings (
                    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                    organization_id TEXT NOT NULL, objective TEXT NOT NULL, status TEXT NOT NULL, rationale TEXT NOT NULL,
                    evidence TEXT NOT NULL, assessed_by TEXT, assessed_on TEXT, version BIGINT NOT NULL,
                    PRIMARY KEY (assessment_id, objective))
                """,
                """
                CREATE TABLE poam_items (
                    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL,
                    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE, requirement TEXT NOT NULL,
                    weakness TEXT NOT NULL, milestones TEXT NOT NULL, owner TEXT NOT NULL, resources TEXT NOT NULL,
                    status TEXT NOT NULL, scheduled_completion TEXT, completed_on TEXT, version BIGINT NOT NULL)
                """,
                """
                CREATE TABLE evidence (
                    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, sha256 TEXT NOT NULL,
                    size BIGINT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL, sealed \(blob) NOT NULL,
                    uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL, PRIMARY KEY (organization_id, sha256))
                """,
                "CREATE INDEX findings_org ON findings (organization_id)",
                "CREATE INDEX assessments_org ON assessments (organization_id)",
                "CREATE INDEX systems_org ON systems (organization_id)",
                "CREATE INDEX poam_org ON poam_items (organization_id, assessment_id)",
                "CREATE INDEX sessions_user ON sessions (user_id)",
            ]
        }),
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
