/// Migration 13: reporting readiness (issue 13 item 6). Who holds a DoD-approved medium assurance certificate
/// (DFARS 252.204-7012(c)(3)) — holder, issuer, serial or fingerprint and expiry only, never the certificate or its
/// key —, the incident response plan with its review interval (SP 800-171 rev3 03.06.05), the contact chart in
/// calling order, and the reporting channels as organization configuration (the DoD channel's address, the MOD
/// contact), never code.
extension Migrations {
    static let incidentReadiness = Migration(version: 13, name: "incident readiness: certificates, IR plan, contacts, channels",
                                             statements: [
        // expires_on: YYYY-MM-DD. user_id: the member holding it, when the holder is a member.
        """
        CREATE TABLE readiness_certificates (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            holder_name TEXT NOT NULL, user_id TEXT, issuer TEXT NOT NULL, serial TEXT NOT NULL, fingerprint TEXT NOT NULL,
            expires_on TEXT NOT NULL, note TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
        "CREATE INDEX readiness_certificates_org ON readiness_certificates (organization_id, expires_on)",
        // One plan per organization. location: a link; evidence_sha256: the plan's file in the evidence vault.
        """
        CREATE TABLE readiness_plans (
            organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE, id TEXT NOT NULL,
            title TEXT NOT NULL, plan_version TEXT NOT NULL, location TEXT NOT NULL, evidence_sha256 TEXT,
            approved_by TEXT NOT NULL, approved_on TEXT, last_reviewed_on TEXT NOT NULL, review_months BIGINT NOT NULL,
            updated_by TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
        // position: calling order (1 first). role: ContactRole raw value.
        """
        CREATE TABLE readiness_contacts (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            position BIGINT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL, affiliation TEXT NOT NULL,
            purpose TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, created_by TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
        "CREATE INDEX readiness_contacts_org ON readiness_contacts (organization_id, position)",
        // No row: nothing configured.
        """
        CREATE TABLE readiness_channels (
            organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
            dod_channel_name TEXT NOT NULL, dod_channel_address TEXT NOT NULL, mod_contact_name TEXT NOT NULL,
            mod_contact_phone TEXT NOT NULL, mod_contact_email TEXT NOT NULL, updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
    ])
}
