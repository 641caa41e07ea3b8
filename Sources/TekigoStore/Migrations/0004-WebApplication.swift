/// Migration 4: what the web application keeps beside the assessment data (issue: web application): each
/// user's language and time zone, a daily score history per assessment (the dashboard's "score over time"),
/// and background jobs with progress (exports that take more than a moment).
extension Migrations {
    static let webApplication = Migration(version: 4, name: "web application: user settings, score history, jobs",
                                          perEngine: { engine in
        let blob = engine == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE user_settings (
                user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                language TEXT NOT NULL, time_zone TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            // One row per assessment and day: the score after the last change that day (NULL: no score yet).
            """
            CREATE TABLE score_history (
                organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                day TEXT NOT NULL, score BIGINT, answered BIGINT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (assessment_id, day))
            """,
            "CREATE INDEX score_history_org ON score_history (organization_id, assessment_id)",
            // A job is claimed with a lease; a job whose lease ran out (the server stopped) is run again from the
            // start by the next instance that looks, so a user can leave the page and come back.
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                kind TEXT NOT NULL, parameters TEXT NOT NULL, state TEXT NOT NULL, done BIGINT NOT NULL,
                total BIGINT NOT NULL, message TEXT NOT NULL, input \(blob), result_name TEXT, result_type TEXT, result \(blob),
                created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, lease_until TEXT)
            """,
            "CREATE INDEX jobs_org ON jobs (organization_id, created_at)",
        ]
    })
}
