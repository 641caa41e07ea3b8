/// The one Japanese term Tekigo uses for each concept that the catalogs and pages once named in several ways,
/// with the variants it does not use. docs/GLOSSARY.md gives the reason for each choice; the tests read this
/// table to refuse a rejected variant in a built-in catalog title or a Japanese page or report label.
public enum JapaneseTerms {
    public struct Term: Sendable, Hashable {
        /// The concept in English, as the standards name it.
        public let concept: String
        /// The term used in Japanese text.
        public let chosen: String
        /// Variants not used; each is refused as a substring of Japanese text (see `variants(in:)`).
        public let rejected: [String]
    }

    public static let all: [Term] = [
        Term(concept: "incident handling", chosen: "インシデントハンドリング",
             rejected: ["インシデント処理", "インシデント対応体制"]),
        Term(concept: "continuous monitoring", chosen: "継続的モニタリング", rejected: ["継続的監視"]),
        Term(concept: "plan of action and milestones (POA&M)", chosen: "是正計画", rejected: ["是正措置計画"]),
        Term(concept: "sanitization (media, equipment)", chosen: "サニタイズ", rejected: ["消去"]),
        Term(concept: "user (of the system)", chosen: "利用者", rejected: ["ユーザー", "ユーザ"]),
        Term(concept: "screening (personnel)", chosen: "スクリーニング", rejected: ["審査"]),
        Term(concept: "risk management", chosen: "リスクマネジメント", rejected: ["リスク管理"]),
        Term(concept: "managed access control point", chosen: "アクセス制御ポイント", rejected: ["アクセスポイント"]),
        Term(concept: "controlled unclassified information (CUI)", chosen: "管理された非格付け情報",
             rejected: ["管理対象非機密情報", "非機密情報", "非分類情報"]),
        Term(concept: "folder (an assessment folder, a file share)", chosen: "フォルダー", rejected: ["フォルダ"]),
    ]

    /// Each rejected variant the text contains, with its term. A variant that is part of a longer rejected
    /// variant found at the same place (ユーザ inside ユーザー) is named once, by the longer one. A variant inside the
    /// chosen term itself (フォルダ inside フォルダー) is not one.
    public static func variants(in text: String) -> [(variant: String, term: Term)] {
        var found: [(variant: String, term: Term)] = []
        for term in all {
            let rest = text.replacingOccurrences(of: term.chosen, with: "")
            let hits = term.rejected.filter { rest.contains($0) }
            for v in hits where !hits.contains(where: { $0 != v && $0.contains(v) }) {
                found.append((v, term))
            }
        }
        return found
    }
}
