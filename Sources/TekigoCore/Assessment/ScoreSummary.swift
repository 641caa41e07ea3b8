/// The score of an assessment in a stable, machine-readable shape: `tekigo score --format json` and the API's
/// `/score` both return it.
public struct ScoreSummary: Codable, Sendable {
    public struct Deduction: Codable, Sendable { public let requirement: String; public let points: Int; public let reason: String }
    public struct Credit: Codable, Sendable { public let requirement: String; public let reason: String }
    public struct FamilyRow: Codable, Sendable {
        public let family: String; public let met: Int; public let total: Int; public let notMet: Int; public let notAssessed: Int
    }
    public let catalog: String
    public let date: String
    public let score: Int?
    public let noScoreReason: String?
    public let maximum: Int
    public let deductions: [Deduction]
    public let credits: [Credit]
    public let notAssessed: [String]
    public let cmmcStatus: String?
    public let cmmcCloseoutDue: String?
    /// True while the closeout deadline counts from the assessment date because `resultsPostedOn` is not recorded
    /// (32 CFR 170.21(b) counts from the date the results are posted).
    public let cmmcCloseoutEstimated: Bool?
    public let resultsPostedOn: String?
    public let cmmcReasons: [String]
    public let poamCompletionDate: String?
    public let answered: Int
    public let objectives: Int
    public let families: [FamilyRow]

    public init(_ r: AssessmentReport) {
        catalog = r.catalog.id.rawValue
        date = r.assessment.date.description
        score = r.sprs?.score
        noScoreReason = r.sprs != nil && r.sprs?.score == nil ? CMMCReason.noScore.text(.en) : nil
        maximum = SPRSResult.maximum
        deductions = r.sprs?.deductions.map { Deduction(requirement: $0.requirement, points: $0.points, reason: $0.reason.text(.en)) } ?? []
        credits = r.sprs?.credits.map { Credit(requirement: $0.requirement, reason: $0.reason.text(.en)) } ?? []
        notAssessed = r.sprs?.notAssessed ?? []
        resultsPostedOn = r.assessment.resultsPostedOn?.description
        var closeout: CloseoutDeadline?
        switch r.cmmc?.status {
        case .final?: cmmcStatus = "final"
        case .conditional(let deadline)?: cmmcStatus = "conditional"; closeout = deadline
        case .notEligible?: cmmcStatus = "not-eligible"
        case nil: cmmcStatus = nil
        }
        cmmcCloseoutDue = closeout?.due.description
        cmmcCloseoutEstimated = closeout?.isEstimate
        cmmcReasons = r.cmmc?.reasons.map { $0.text(.en) } ?? []
        poamCompletionDate = r.expectedFullCompliance?.description
        let p = r.assessment.progress(in: r.catalog)
        answered = p.answered
        objectives = p.total
        families = r.familySummary.map { FamilyRow(family: $0.family.abbr, met: $0.met, total: $0.total, notMet: $0.notMet, notAssessed: $0.notAssessed) }
    }
}

