/// The words a page or report uses for one regime in one language (issue #17 item 3): under the Japanese standard
/// the information is 保護すべき情報 designated in a 情報セキュリティ指定書, the plan is the システムセキュリティ実装計画書
/// and the 事業計画 goes with it; SPRS and CMMC are US terms and stay out of view unless the US regime applies too.
/// One typed table, read by the dashboard, the assessment overview, the SSP report and the organization's settings,
/// instead of a condition in each page.
public struct RegimeTerms: Sendable, Hashable {
    public let regime: ComplianceRegime
    public let language: Language

    public init(_ regime: ComplianceRegime, _ language: Language) {
        self.regime = regime
        self.language = language
    }

    private func pick(us: LocalizedText, japanese: LocalizedText, both: LocalizedText? = nil) -> String {
        switch regime {
        case .us: return us[language]
        case .japanese: return japanese[language]
        case .both: return (both ?? LocalizedText(en: "\(japanese.en) / \(us.en)", ja: "\(japanese.ja)／\(us.ja)"))[language]
        }
    }

    /// Whether SPRS scores (DoD Assessment Methodology) are shown: only where the US regime applies.
    public var showsSPRS: Bool { regime.includesUS }
    /// Whether CMMC Level 2 status is shown: only where the US regime applies.
    public var showsCMMC: Bool { regime.includesUS }

    /// The information the system protects: CUI (US), 保護すべき情報 (Japan).
    public var protectedInformation: String {
        pick(us: LocalizedText(en: "CUI", ja: "CUI"),
             japanese: LocalizedText(en: "protected information", ja: "保護すべき情報"))
    }

    /// The document that designates it: the contract's CUI marking (US), the 情報セキュリティ指定書 (Japan).
    public var designationDocument: String {
        pick(us: LocalizedText(en: "CUI designation in the contract", ja: "契約上の CUI 指定"),
             japanese: LocalizedText(en: "information security designation document (情報セキュリティ指定書)", ja: "情報セキュリティ指定書"))
    }

    /// The system security plan's name: SSP (US), システムセキュリティ実装計画書 (Japan).
    public var securityPlan: String {
        pick(us: LocalizedText(en: "System Security Plan", ja: "システムセキュリティ計画書（SSP）"),
             japanese: LocalizedText(en: "System Security Implementation Plan (システムセキュリティ実装計画書)", ja: "システムセキュリティ実装計画書"))
    }

    /// The business plan filed with it under the Japanese standard; nil under the US regime (no such document).
    public var businessPlan: String? {
        regime.includesJapanese ? LocalizedText(en: "business plan (事業計画)", ja: "事業計画")[language] : nil
    }

    /// The standard the organization is held to, as a page's subtitle names it.
    public var standard: String {
        pick(us: LocalizedText(en: "NIST SP 800-171 (DFARS 252.204-7012 / CMMC)", ja: "NIST SP 800-171（DFARS 252.204-7012・CMMC）"),
             japanese: LocalizedText(en: "Japan defense industry cybersecurity standard (防衛産業サイバーセキュリティ基準)",
                                     ja: "防衛産業サイバーセキュリティ基準"))
    }

    /// Whether every requirement (item) of the assessment is met, as one line: the Japanese standard has no score, only
    /// "all items met" (全項目適合), which is also the flow-down minimum `all-met`. The pages, the reports and
    /// `tekigo score` all say it through this.
    public func allMetLine(_ report: AssessmentReport) -> String {
        let met = report.requirements.filter(\.status.countsAsMet).count
        return allMetLine(met: met, total: report.requirements.count, allMet: met == report.requirements.count)
    }

    /// The line that says whether every item or requirement is met, where no SPRS score is shown.
    public func allMetLine(met: Int, total: Int, allMet: Bool) -> String {
        switch language {
        case .ja: return allMet ? "全項目適合（\(met) / \(total)）" : "全項目適合に未達（適合 \(met) / \(total)）"
        case .en: return allMet ? "All items met (\(met) / \(total))" : "Not all items met (\(met) of \(total) met)"
        }
    }
}
