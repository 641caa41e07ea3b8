/// Migration 12: incident-response exercises (issue 13 item 7; SP 800-171 rev2 3.6.3, rev3 03.06.03). An exercise
/// planned from a scenario with its facilitator and participants, the exercise incident it opened when it ran (an
/// incident with `exercise` set: the clocks run, nothing is reported), the decisions, findings and notes recorded as
/// the injects were played (a finding may name the POA&M item it became), the evidence the user confirmed into an
/// assessment, and each organization's frequency (the rev3 ODP A.03.06.03.ODP.01).
extension Migrations {
    static let exercises = Migration(version: 12, name: "exercises: plans, entries, confirmed evidence, frequency",
                                     statements: [
        // participants: JSON array of {"name", "userId"?}. planned_on / completed_on: days (YYYY-MM-DD) in the
        // organization's calendar. incident_id: the exercise incident, once run.
        """
        CREATE TABLE exercises (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, planned_on TEXT NOT NULL,
            facilitator TEXT NOT NULL, participants TEXT NOT NULL, status TEXT NOT NULL, incident_id TEXT,
            started_at TEXT, completed_at TEXT, completed_on TEXT, summary TEXT NOT NULL, created_by TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
        "CREATE INDEX exercises_org ON exercises (organization_id, planned_on)",
        "CREATE INDEX exercises_completed ON exercises (organization_id, completed_on)",
        // kind: decision / finding / note; inject_id: the scenario's inject it answers, if any. poam_assessment_id and
        // poam_requirement: the POA&M item a finding became.
        """
        CREATE TABLE exercise_entries (
            id TEXT PRIMARY KEY, exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL, kind TEXT NOT NULL, inject_id TEXT, text TEXT NOT NULL, at TEXT NOT NULL,
            author TEXT NOT NULL, poam_assessment_id TEXT, poam_requirement TEXT)
        """,
        "CREATE INDEX exercise_entries_exercise ON exercise_entries (exercise_id, at)",
        // One row per objective the user confirmed: which evidence text went into which assessment's finding.
        """
        CREATE TABLE exercise_evidence (
            exercise_id TEXT NOT NULL REFERENCES exercises(id) ON DELETE CASCADE, organization_id TEXT NOT NULL,
            assessment_id TEXT NOT NULL, objective TEXT NOT NULL, location TEXT NOT NULL, added_by TEXT NOT NULL,
            added_at TEXT NOT NULL, PRIMARY KEY (exercise_id, assessment_id, objective))
        """,
        // No row: Tekigo's default frequency (ExerciseSchedule.defaultMonths).
        """
        CREATE TABLE exercise_settings (
            organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
            frequency_months BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)
        """,
    ])
}
