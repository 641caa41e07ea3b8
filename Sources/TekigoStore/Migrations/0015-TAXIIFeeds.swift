/// Migration 15: TAXII feeds (issue 14 item 3): a local collection subscribed to a collection of an outside TAXII 2.1
/// server (a national ISAC, a CERT), pulled on a schedule and resumable from the last `X-TAXII-Date-Added-Last`.
extension Migrations {
    static let taxiiFeeds = Migration(version: 15, name: "threat intel: TAXII feeds pulled from outside servers", perEngine: { engine in
        let blob = engine == .postgres ? "BYTEA" : "BLOB"
        return [
            // url: the outside collection's full URL (…/collections/{id}/). auth: none / basic / bearer; username for
            // basic; sealed_secret: the password or token sealed with the evidence key (bound to the organization and
            // the feed), NULL for none. resume_after: the last X-TAXII-Date-Added-Last stored, exactly as the outside
            // server sent it (the next pull's added_after). last_result: ok / error, NULL before the first run;
            // last_error_en / _ja: why the last run failed.
            """
            CREATE TABLE taxii_feeds (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                collection_id TEXT NOT NULL REFERENCES taxii_collections(id) ON DELETE CASCADE,
                url TEXT NOT NULL, auth TEXT NOT NULL, username TEXT, sealed_secret \(blob),
                interval_minutes BIGINT NOT NULL, enabled BIGINT NOT NULL, created_at TEXT NOT NULL,
                resume_after TEXT, last_run_at TEXT, last_result TEXT, last_error_en TEXT, last_error_ja TEXT,
                last_added BIGINT NOT NULL, total_added BIGINT NOT NULL)
            """,
            "CREATE INDEX taxii_feeds_org ON taxii_feeds (organization_id, created_at)",
        ]
    })
}
