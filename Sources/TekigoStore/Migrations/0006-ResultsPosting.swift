/// Migration 6: the date an assessment's results were posted (in SPRS). 32 CFR 170.21(b) counts the 180-day POA&M
/// closeout from the Conditional CMMC Status Date, the date the results are posted, not from the assessment date;
/// until it is recorded the deadline is counted from the assessment date and shown as an estimate.
extension Migrations {
    static let resultsPosting = Migration(version: 6, name: "assessments: the date the results were posted",
                                          statements: [
        "ALTER TABLE assessments ADD COLUMN results_posted_on TEXT",
    ])
}
