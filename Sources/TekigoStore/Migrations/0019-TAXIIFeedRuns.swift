/// Migration 19: the run history of TAXII feeds (issue 14 item 3, the per-feed status page): each pull, scheduled or
/// asked for, with when it started and ended, how it ended, the pages read and objects added, and why it failed in
/// both languages. Bounded by the store: the newest 100 runs of each feed are kept (`TAXIIFeedStore.keptRuns`).
extension Migrations {
    static let taxiiFeedRuns = Migration(version: 19, name: "threat intel: TAXII feed run history", statements: [
        // result: ok / error. started_by: the audit actor (a person, `cli`, or `taxii-scheduler`). error_en / _ja: NULL
        // when the run ended ok.
        """
        CREATE TABLE taxii_feed_runs (
            id TEXT PRIMARY KEY, feed_id TEXT NOT NULL REFERENCES taxii_feeds(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL, ended_at TEXT NOT NULL, started_by TEXT NOT NULL, result TEXT NOT NULL,
            pages BIGINT NOT NULL, added BIGINT NOT NULL, error_en TEXT, error_ja TEXT)
        """,
        "CREATE INDEX taxii_feed_runs_feed ON taxii_feed_runs (feed_id, started_at)",
    ])
}
