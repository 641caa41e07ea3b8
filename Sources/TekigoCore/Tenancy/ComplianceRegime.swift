/// Which regime an organization works under (issue #17 item 3): the Japanese 防衛産業サイバーセキュリティ基準, the US
/// DFARS 252.204-7012 / CMMC regime, or both. It decides the words the pages and reports use (`RegimeTerms`) and
/// whether SPRS scores and CMMC status are shown; it never changes how an assessment is scored.
public enum ComplianceRegime: String, Sendable, Codable, CaseIterable {
    /// 防衛産業サイバーセキュリティ基準 (ATLA): 保護すべき情報, 情報セキュリティ指定書, システムセキュリティ実装計画書.
    case japanese
    /// DFARS 252.204-7012 / 7019 / 7020 and CMMC: CUI, SPRS, CMMC Level 2.
    case us
    /// Both at once: a Japanese firm in a US programme.
    case both

    /// What an organization has before anyone chooses: the US regime, which is what every page said before the choice
    /// existed — organizations stored earlier keep exactly the pages and reports they had (migration 24's default).
    public static let `default`: ComplianceRegime = .us

    /// SPRS, CMMC and CUI apply.
    public var includesUS: Bool { self != .japanese }
    /// The Japanese standard's terms apply.
    public var includesJapanese: Bool { self != .us }

    /// The regime with the US one added (a US contract on a Japanese organization).
    public func adding(_ other: ComplianceRegime) -> ComplianceRegime {
        if self == other { return self }
        return (includesUS || other.includesUS) && (includesJapanese || other.includesJapanese) ? .both : (includesUS ? .us : .japanese)
    }

    /// The regime that applies to the organization's work: its own, widened by the contracts it holds as a supplier
    /// (a contract carrying a DFARS or CMMC clause brings SPRS and CMMC back into view; one carrying the Japanese
    /// standard's special clause brings its terms).
    public func effective(contracts: [Contract]) -> ComplianceRegime {
        contracts.reduce(self) { $0.adding($1.regime) }
    }

    public var label: LocalizedText {
        switch self {
        case .japanese: return LocalizedText(en: "Japan: defense industry cybersecurity standard", ja: "日本: 防衛産業サイバーセキュリティ基準")
        case .us: return LocalizedText(en: "US: DFARS 252.204-7012 / CMMC", ja: "米国: DFARS 252.204-7012・CMMC")
        case .both: return LocalizedText(en: "Both (Japan and US)", ja: "両方（日本・米国）")
        }
    }

    /// Why `raw` is not a regime, in both languages.
    public static func problem(with raw: String) -> LocalizedText {
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        return LocalizedText(en: "'\(raw)' is not a regime: use one of \(known).",
                             ja: "「\(raw)」は適用基準の値ではありません。\(known) のいずれかを指定してください。")
    }
}

extension Contract {
    /// The regime the contract's clauses bring: DFARS / CMMC clauses the US one, the special clause (特約条項) the
    /// Japanese one, both kinds both.
    public var regime: ComplianceRegime {
        let japanese = clauses.contains(.japaneseStandard)
        let us = clauses.contains { $0 != .japaneseStandard }
        switch (japanese, us) {
        case (true, true): return .both
        case (true, false): return .japanese
        default: return .us
        }
    }
}
