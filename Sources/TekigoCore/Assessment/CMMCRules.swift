/// CMMC Level 2 status after an assessment (32 CFR 170.21 and 170.24).
public enum CMMCStatus: Sendable, Hashable {
    /// Every requirement met: Final Level 2 status.
    case final
    /// Conditional Level 2 status; the POA&M must be closed out by `closeoutDue` (170.21(b)).
    case conditional(closeoutDue: Day)
    case notEligible

    public var label: LocalizedText {
        switch self {
        case .final: return LocalizedText(en: "Final Level 2", ja: "レベル2 最終")
        case .conditional: return LocalizedText(en: "Conditional Level 2", ja: "レベル2 条件付き")
        case .notEligible: return LocalizedText(en: "Not eligible", ja: "対象外（条件を満たさない）")
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
            return lang == .ja ? "SSP（3.12.4）がないためスコアを算出できない（32 CFR 170.24(c)(2)(i)(B)(5)）"
                : "no SSP (3.12.4), so no score (32 CFR 170.24(c)(2)(i)(B)(5))"
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
        return CMMCEvaluation(status: .conditional(closeoutDue: a.date.adding(days: closeoutDays)), reasons: [],
                              poamRequirements: onPOAM)
    }
}
