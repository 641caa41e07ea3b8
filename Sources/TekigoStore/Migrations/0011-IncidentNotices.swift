/// Migration 11: incident notices up the supply chain (issue 13 item 4; DFARS 252.204-7012(m)(2), 48 CFR
/// 204.7302(b)). One row per signed notice delivered from a supplier to a customer, with the signed file as it was
/// sent and the columns the views read without parsing it (report number, dates, tier, the reporting organization);
/// the acknowledgements that travel back down the chain; and each organization's choice to pass notices on
/// automatically.
extension Migrations {
    static let incidentNotices = Migration(version: 11, name: "incident notices: signed notices up the chain, acknowledgements, forwarding setting",
                                           statements: [
        // incident_id: the sender's incident, for a notice the reporting supplier sent (tier 1); NULL for a forward.
        // parent_id: the notice this one passes on. signed: the file (`tekigo-incident-notice/1`) exactly as signed.
        // forward_state: pending (waits for a one-click forward), forwarded, or top (no DFARS 7012 contract above).
        """
        CREATE TABLE incident_notices (
            id TEXT PRIMARY KEY,
            sender_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            recipient_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            origin_id TEXT NOT NULL, incident_id TEXT, parent_id TEXT REFERENCES incident_notices(id) ON DELETE CASCADE,
            tier BIGINT NOT NULL, report_number TEXT NOT NULL, report_kind TEXT NOT NULL, discovered_at TEXT NOT NULL,
            submitted_at TEXT NOT NULL, contracts TEXT NOT NULL, included TEXT NOT NULL, key_id TEXT NOT NULL,
            signed TEXT NOT NULL, sent_at TEXT NOT NULL, forward_state TEXT NOT NULL, forwarded_at TEXT,
            acknowledged_at TEXT, acknowledged_by TEXT)
        """,
        "CREATE INDEX incident_notices_recipient ON incident_notices (recipient_id, submitted_at)",
        "CREATE INDEX incident_notices_sender ON incident_notices (sender_id, sent_at)",
        "CREATE INDEX incident_notices_incident ON incident_notices (incident_id)",
        "CREATE INDEX incident_notices_parent ON incident_notices (parent_id)",
        // One notice of a report number from one sender to one recipient.
        "CREATE UNIQUE INDEX incident_notices_once ON incident_notices (recipient_id, sender_id, report_number)",
        // An acknowledgement by `by_organization` of a notice that reached it, recorded on that notice (hops 0) and on
        // every notice below it in the chain (hops 1, 2 …), so each sender sees that it arrived.
        """
        CREATE TABLE incident_notice_acknowledgements (
            notice_id TEXT NOT NULL REFERENCES incident_notices(id) ON DELETE CASCADE,
            by_organization TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            hops BIGINT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (notice_id, by_organization))
        """,
        // No row: notices are passed on automatically.
        """
        CREATE TABLE incident_notice_settings (
            organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
            auto_forward BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
        """,
    ])
}
