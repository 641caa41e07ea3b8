/// Migration 5: fixes to accounts found by a security review (issue: defects).
/// - A second factor being enrolled is kept apart from the active one until it is confirmed
///   (`users.totp_pending_secret`), so starting enrolment again never replaces a live secret.
/// - Platform administration is an explicit grant: a setup link says whether it makes one
///   (`setup_tokens.platform_admin`), and an existing database keeps only its first account as platform administrator
///   (until now every account created by a setup link became one).
/// - Colleagues join an organization by accepting an invitation (`membership_invitations`), never by being attached
///   to it by someone who knows their e-mail address.
extension Migrations {
    static let accountSafety = Migration(version: 5, name: "accounts: pending second factor, explicit platform administrators, membership invitations",
                                         statements: [
        "ALTER TABLE users ADD COLUMN totp_pending_secret TEXT",
        "ALTER TABLE setup_tokens ADD COLUMN platform_admin BIGINT NOT NULL DEFAULT 0",
        """
        UPDATE users SET platform_admin = 0 WHERE platform_admin <> 0 AND id NOT IN (
            SELECT id FROM (SELECT id FROM users ORDER BY created_at, id LIMIT 1) AS first_account)
        """,
        """
        CREATE TABLE membership_invitations (
            id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            email TEXT NOT NULL, role TEXT NOT NULL, invited_by TEXT NOT NULL, created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, accepted_at TEXT, accepted_by TEXT, revoked_at TEXT)
        """,
        "CREATE INDEX membership_invitations_org ON membership_invitations (organization_id, email)",
    ])
}
