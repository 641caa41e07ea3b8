/// Migration 23: an assessment started from a previous one (issue 17 item 4). `assessments.started_from` names the
/// assessment it was copied from (NULL for one started empty); `findings.carried_over_from` names the assessment a
/// finding was copied from while nobody has confirmed it yet — a person's save or "confirm as is" sets it back to NULL.
/// Both are plain ids, not foreign keys: the previous assessment may be removed with its system later, and the mark
/// only says where the answer came from.
extension Migrations {
    static let carriedOverFindings = Migration(version: 23, name: "assessments: started from a previous one, findings carried over", statements: [
        "ALTER TABLE assessments ADD COLUMN started_from TEXT",
        "ALTER TABLE findings ADD COLUMN carried_over_from TEXT",
        // The editor and the overview count what still needs review per assessment.
        "CREATE INDEX findings_carried_over ON findings (assessment_id) WHERE carried_over_from IS NOT NULL",
    ])
}
