
/// Migration 2: the server (issue: server): organizations, users, memberships, sessions, API tokens, setup tokens,
/// rate limits, the hash-chained audit log, systems, assessments, findings, POA&M items and sealed evidence.
extension Migrations {
    static let serverTables = Migration(version: 2, name: "server: tenants, users, sessions, tokens, audit log, assessments, evidence", perEngine: { engine in
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
    })
}
