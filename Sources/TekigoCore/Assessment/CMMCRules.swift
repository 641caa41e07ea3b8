/// The POA&M closeout deadline of a Conditional status: "within 180-days of the Conditional CMMC Status Date"
/// (32 CFR 170.21(b)), the date the results are posted. Until that date is recorded it is counted from the
/// assessment date and is only an estimate, and says so wherever it is shown.
public struct CloseoutDeadline: Sendable, Hashable {
    public enum Basis: String, Sendable, Hashable {
        /// Counted from `Assessment.resultsPostedOn`.
        case resultsPosted = "results-posted"
        /// Counted from the assessment date because the posting date is not recorded yet.
        case assessmentDateEstimate = "assessment-date-estimate"
    }

    public let due: Day
    /// The day the 180 days count from.
    public let from: Day
    public let basis: Basis

    public init(due: Day, from: Day, basis: Basis) {
        self.due = due
        self.from = from
        self.basis = basis
    }

    public var isEstimate: Bool { basis == .assessmentDateEstimate }

    /// The due date with what it counts from, e.g. "2027-05-26 (estimate: 180 days from the assessment date …)".
    public func text(_ lang: Language) -> String {
        let days = CMMCRules.closeoutDays
        switch (basis, lang) {
        case (.resultsPosted, .ja): return "\(due)（結果の登録日 \(from) から \(days) 日）"
        case (.resultsPosted, _): return "\(due) (\(days) days from the results posted on \(from))"
        case (.assessmentDateEstimate, .ja):
            return "\(due)（見込み: 評価日 \(from) から \(days) 日。結果を SPRS に登録したら登録日を記録してください）"
        case (.assessmentDateEstimate, _):
            return "\(due) (estimate: \(days) days from the assessment date \(from); record the date the results are posted in SPRS)"
        }
    }
}

/// CMMC Level 2 status after an assessment (32 CFR 170.21 and 170.24).
public enum CMMCStatus: Sendable, Hashable {
    /// Every requirement met: Final Level 2 status.
    case final
    /// Conditional Level 2 status; the POA&M must be closed out by the deadline's `due` (170.21(b)).
    case conditional(CloseoutDeadline)
    case notEligible

    public var label: LocalizedText {
        switch self {
        case .final: return LocalizedText(en: "Final Level 2", ja: "レベル2 最終")
        case .conditional: return LocalizedText(en: "Conditional Level 2", ja: "レベル2 条件付き")
        // Not 対象外: that reads "out of scope" (like 該当なし), the opposite of what it means. The supplier and
        // customer pages say the same words (docs/GLOSSARY.md, CMMC status).
        case .notEligible: return LocalizedText(en: "Not eligible", ja: "レベル2 の要件を満たしていない")
        }
    }
}

/// Why an assessment cannot reach a CMMC status, each naming its rule.
public enum CMMCReason: Sendable, Hashable {
    /// No SSP: no score, and CA.L2-3.12.4 may never be on a POA&M.
    case noScore
    case incomplete([String])
    /// 170.21(a)(2)(i): the score must be at least 80% of 110.
    case scoreBelowThreshold(Int)
    /// 170.21(a)(2)(ii): only 1-point requirements may be on the POA&M (3.13.11 partial excepted).
    case valueTooHigh(requirement: String, points: Int)
    /// 170.21(a)(2)(iii): these may never be on a POA&M.
    case excludedFromPOAM(String)

    public func text(_ lang: Language) -> String {
        switch self {
        case .noScore:
            return lang == .ja ? "SSP（3.12.4）がないためスコアを算出できない（3.12.4 が適合でない。SSP は「該当なし」にできない。32 CFR 170.24(c)(2)(i)(B)(5)）"
                : "no SSP (3.12.4 is not met; an SSP cannot be not applicable), so no score (32 CFR 170.24(c)(2)(i)(B)(5))"
        case .incomplete(let reqs):
            return lang == .ja ? "未評価の要件がある: \(reqs.count) 件" : "\(reqs.count) requirement(s) not fully assessed"
        case .scoreBelowThreshold(let s):
            return lang == .ja ? "スコア \(s) が \(CMMCRules.minimumConditionalScore) 未満（32 CFR 170.21(a)(2)(i)）"
                : "score \(s) is below \(CMMCRules.minimumConditionalScore) (32 CFR 170.21(a)(2)(i))"
        case .valueTooHigh(let r, let p):
            return lang == .ja ? "\(r) は \(p) 点の要件のため是正計画（POA&M）に記載できない（32 CFR 170.21(a)(2)(ii)）"
                : "\(r) is worth \(p) points and cannot be on a POA&M (32 CFR 170.21(a)(2)(ii))"
        case .excludedFromPOAM(let r):
            return lang == .ja ? "\(r) は是正計画（POA&M）に記載できない要件（32 CFR 170.21(a)(2)(iii)）"
                : "\(r) may never be on a POA&M (32 CFR 170.21(a)(2)(iii))"
        }
    }
}

public struct CMMCEvaluation: Sendable, Hashable {
    public let status: CMMCStatus
    public let reasons: [CMMCReason]
    /// The requirements that would be (or are) on the POA&M.
    public let poamRequirements: [String]
}

/// 32 CFR 170.21(a)(2) conditional Level 2 status and 170.21(b) closeout.
public enum CMMCRules {
    /// 170.21(a)(2)(i): score ÷ 110 ≥ 0.8, i.e. ≥ 88.
    public static let minimumConditionalScore = 88
    /// 170.21(a)(2)(iii): never on a POA&M.
    public static let neverOnPOAM: Set<String> = ["3.1.20", "3.1.22", "3.12.4", "3.10.3", "3.10.4", "3.10.5"]
    /// 170.21(b): closeout within 180 days of the Conditional CMMC Status Date.
    public static let closeoutDays = 180

    /// The closeout deadline: from the date the results were posted, else from the assessment date (an estimate).
    public static func closeout(_ a: Assessment) -> CloseoutDeadline {
        let from = a.resultsPostedOn ?? a.date
        return CloseoutDeadline(due: from.adding(days: closeoutDays), from: from,
                                basis: a.resultsPostedOn == nil ? .assessmentDateEstimate : .resultsPosted)
    }

    /// Why `posted` cannot be the date the results of an assessment made on `assessed` were posted, or nil. The
    /// same rule for the assessment folder, the command line, the API and the pages.
    public static func postingProblem(_ posted: Day, assessed: Day, today: Day) -> LocalizedText? {
        if posted < assessed {
            return LocalizedText(en: "the date the results were posted (\(posted)) is before the assessment date (\(assessed)); results are posted after the assessment",
                                 ja: "結果の登録日（\(posted)）が評価日（\(assessed)）より前です。登録は評価の後に行います")
        }
        // `today` is the organization's calendar day (`OrganizationCalendar`), so no slack for time zones is needed.
        if posted > today {
            return LocalizedText(en: "the date the results were posted (\(posted)) is in the future; record it once the results are posted",
                                 ja: "結果の登録日（\(posted)）が未来の日付です。登録した後に記録してください")
        }
        return nil
    }

    /// Whether one deduction may be carried on a POA&M (170.21(a)(2)(ii)-(iii)).
    public static func poamReason(for d: SPRSDeduction) -> CMMCReason? {
        if neverOnPOAM.contains(d.requirement) { return .excludedFromPOAM(d.requirement) }
        // The one exception to "1 point only": 3.13.11 when encryption is employed but not FIPS-validated.
        if d.points > 1, d.reason != .encryptionNotFIPSValidated { return .valueTooHigh(requirement: d.requirement, points: d.points) }
        return nil
    }

    public static func evaluate(_ a: Assessment, sprs: SPRSResult) -> CMMCEvaluation {
        guard let score = sprs.score else {
            return CMMCEvaluation(status: .notEligible, reasons: [.noScore], poamRequirements: [])
        }
        var reasons: [CMMCReason] = []
        if !sprs.notAssessed.isEmpty { reasons.append(.incomplete(sprs.notAssessed)) }
        if sprs.deductions.isEmpty && reasons.isEmpty {
            return CMMCEvaluation(status: .final, reasons: [], poamRequirements: [])
        }
        if score < minimumConditionalScore { reasons.append(.scoreBelowThreshold(score)) }
        for d in sprs.deductions { if let r = poamReason(for: d) { reasons.append(r) } }
        let onPOAM = sprs.deductions.map(\.requirement)
        if !reasons.isEmpty { return CMMCEvaluation(status: .notEligible, reasons: reasons, poamRequirements: onPOAM) }
        return CMMCEvaluation(status: .conditional(closeout(a)), reasons: [], poamRequirements: onPOAM)
    }
}
