/// Migration 9: cyber incidents (issue 13; DFARS 252.204-7012(c)–(g), 防衛産業サイバーセキュリティ基準's 報告). The
/// incident record with its phase and optimistic version, the systems and supply-chain contracts it affects (copied
/// at the time they were named, so a contract the customer later deletes still shows on the incident), the timeline
/// (evidence files stay in `evidence`, sealed by the vault; entries name them by SHA-256), the submissions with the
/// DoD report number unique across every organization, the organization's hours for clocks marked as a setting,
/// and the need-to-know team.
extension Migrations {
    static let incidents = Migration(version: 9, name: "incidents: record, systems, contracts, timeline, submissions, hour settings, team",
                                     statements: [
        // information_kind: cui / protected-information / none-known; information_reference its category or the
        // 情報セキュリティ指定書 ('' for none-known). report_fields: the report drafts' own fields as JSON, or NULL.
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            title TEXT NOT NULL, discovered_at TEXT NOT NULL, discovered_time_zone TEXT NOT NULL,
            discovered_by TEXT NOT NULL, detection_method TEXT NOT NULL, compromise_type TEXT NOT NULL,
            outcome TEXT NOT NULL, information_kind TEXT NOT NULL, information_reference TEXT NOT NULL,
            technique TEXT NOT NULL, narrative TEXT NOT NULL, phase TEXT NOT NULL, exercise BIGINT NOT NULL,
            report_fields TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            version BIGINT NOT NULL)
        """,
        "CREATE INDEX incidents_org ON incidents (organization_id, discovered_at)",
        """
        CREATE TABLE incident_systems (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE, system_id TEXT NOT NULL,
            system_name TEXT NOT NULL, PRIMARY KEY (incident_id, system_id))
        """,
        // Only contracts on which the organization is the supplier: the customers above it are the ones to tell
        // (DFARS 204.7302(b)). clauses: JSON array of ContractClause raw values, as in `contracts`.
        """
        CREATE TABLE incident_contracts (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE, contract_id TEXT NOT NULL,
            number TEXT NOT NULL, customer_id TEXT NOT NULL, clauses TEXT NOT NULL,
            PRIMARY KEY (incident_id, contract_id))
        """,
        "CREATE INDEX incident_contracts_customer ON incident_contracts (customer_id)",
        // evidence: JSON array of {"sha256", "filename"}, files sealed in `evidence` by EvidenceVault.
        """
        CREATE TABLE incident_timeline (
            id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL, at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, phase TEXT,
            evidence TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at)",
        // dod_report_number: the report number of a DoD report (NULL for other kinds); unique across every
        // organization, since DoD numbers each report once.
        """
        CREATE TABLE incident_submissions (
            id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL, kind TEXT NOT NULL, submitted_at TEXT NOT NULL, channel TEXT NOT NULL,
            submitted_by TEXT NOT NULL, report_number TEXT, dod_report_number TEXT, cites TEXT, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX incident_submissions_incident ON incident_submissions (incident_id, submitted_at)",
        "CREATE UNIQUE INDEX incident_submissions_dod_number ON incident_submissions (dod_report_number)",
        """
        CREATE TABLE incident_hour_settings (
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, rule_id TEXT NOT NULL,
            hours BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (organization_id, rule_id))
        """,
        """
        CREATE TABLE incident_team (
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, granted_by TEXT NOT NULL,
            granted_at TEXT NOT NULL, PRIMARY KEY (organization_id, user_id))
        """,
    ])
}
