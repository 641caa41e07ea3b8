/// Migration 10: the incident registers of DFARS 252.204-7012 (d)–(g) (issue 13 item 5). Malware samples sealed with
/// the evidence key in a table of their own (never in `evidence`, whose download route serves files to every reader
/// of the organization), their transfers to DC3, media images and packet captures with their chain of custody, and
/// DoD's forensic-access and damage-assessment requests with the answers. Samples and media are never removed: a
/// disposal after the preservation hold keeps the row with `disposed_at` (a sample's sealed bytes are emptied). The
/// references to `incidents` have no ON DELETE CASCADE on purpose: no deletion upstream may take held items with it.
extension Migrations {
    static let incidentRegisters = Migration(version: 10, name: "incident registers: malware, transfers, media, custody, DoD requests",
                                             perEngine: { engine in
        let blob = engine == .postgres ? "BYTEA" : "BLOB"
        return [
            // sealed: AES-256-GCM with the evidence key, bound to organization, incident and SHA-256; empty once disposed.
            """
            CREATE TABLE incident_malware (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), organization_id TEXT NOT NULL,
                sha256 TEXT NOT NULL, size BIGINT NOT NULL, filename TEXT NOT NULL, description TEXT NOT NULL,
                sealed \(blob) NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                disposed_at TEXT, disposed_by TEXT, UNIQUE (incident_id, sha256))
            """,
            """
            CREATE TABLE incident_malware_transfers (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), organization_id TEXT NOT NULL,
                sample_sha256 TEXT NOT NULL, sent_at TEXT NOT NULL, method TEXT NOT NULL, sent_by TEXT NOT NULL,
                dc3_reference TEXT NOT NULL, note TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            "CREATE INDEX incident_malware_transfers_incident ON incident_malware_transfers (incident_id, sent_at)",
            // kind: image / packet-capture / monitoring. location: where the item is kept (Tekigo holds the record,
            // not the image); sha256 and size as the holder measured them.
            """
            CREATE TABLE incident_media (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), organization_id TEXT NOT NULL,
                kind TEXT NOT NULL, description TEXT NOT NULL, location TEXT NOT NULL, sha256 TEXT NOT NULL,
                size BIGINT, holder TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                version BIGINT NOT NULL, disposed_at TEXT, disposed_by TEXT)
            """,
            "CREATE INDEX incident_media_incident ON incident_media (incident_id, added_at)",
            // item_kind: media / malware; item_id the row's id. Entries are never changed or removed.
            """
            CREATE TABLE incident_custody (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), organization_id TEXT NOT NULL,
                item_kind TEXT NOT NULL, item_id TEXT NOT NULL, at TEXT NOT NULL, from_party TEXT NOT NULL,
                to_party TEXT NOT NULL, purpose TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            "CREATE INDEX incident_custody_item ON incident_custody (incident_id, item_id, at)",
            // kind: forensic-access (7012(f)) / damage-assessment (7012(g)).
            """
            CREATE TABLE incident_dod_requests (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), organization_id TEXT NOT NULL,
                kind TEXT NOT NULL, received_at TEXT NOT NULL, requested_by TEXT NOT NULL, reference TEXT NOT NULL,
                asked TEXT NOT NULL, due_at TEXT, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            "CREATE INDEX incident_dod_requests_incident ON incident_dod_requests (incident_id, received_at)",
            """
            CREATE TABLE incident_dod_responses (
                id TEXT PRIMARY KEY, request_id TEXT NOT NULL REFERENCES incident_dod_requests(id),
                incident_id TEXT NOT NULL, organization_id TEXT NOT NULL, responded_at TEXT NOT NULL,
                responded_by TEXT NOT NULL, text TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            "CREATE INDEX incident_dod_responses_request ON incident_dod_responses (request_id, responded_at)",
        ]
    })
}
