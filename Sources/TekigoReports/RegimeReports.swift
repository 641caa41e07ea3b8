import Foundation
import TekigoCore

// Issue 17 item 3: the reports speak the organization's regime. Under `japanese` the SSP is the
// システムセキュリティ実装計画書 about 保護すべき情報 designated in a 情報セキュリティ指定書, and SPRS scores and CMMC status
// stay out; under `us` every document is exactly what it was before the regime existed; `both` carries both.

extension ExportDocument {
    /// Whether the document exists under `regime`: the SPRS summary is a US document (DFARS 252.204-7019 / 7020) and
    /// has no place where only the Japanese standard applies; every other document exists under every regime.
    public func applies(under regime: ComplianceRegime) -> Bool { self != .sprs || regime.includesUS }

    /// Why the SPRS summary cannot be exported under `regime`, in both languages (nil when it can).
    public func notApplicable(under regime: ComplianceRegime) -> LocalizedText? {
        guard !applies(under: regime) else { return nil }
        return LocalizedText(
            en: "The SPRS summary is a US (DFARS) document and the organization works under the Japanese standard only: export the SSP, POA&M or results, or set the regime to us or both.",
            ja: "SPRS スコア報告は米国（DFARS）の文書で、この組織の適用基準は日本の基準のみです。SSP・是正計画・評価結果を出力するか、適用基準を us または both にしてください。")
    }
}

extension RegimeTerms {
    /// Tekigo's own wording (catalog titles, guidance) in the regime's terms: where only the Japanese standard applies,
    /// "CUI" becomes 保護すべき情報 / "protected information". Under `us` and `both` the text is returned unchanged.
    public func speaking(_ text: String) -> String {
        guard regime == .japanese, text.contains("CUI") else { return text }
        let word = protectedInformation
        var out = text.replacingOccurrences(of: "CUI", with: word)
        if language == .en, out.hasPrefix(word), let first = out.first {
            out = first.uppercased() + out.dropFirst()
        }
        return out
    }
}

extension RegimeTerms {
    /// Words that mark a sentence of Tekigo's guidance as a remark about the US regime alone.
    static let usRemarkMarkers = ["SPRS", "CMMC", "DFARS", "DoD"]

    /// Tekigo's guidance in the regime's terms: where only the Japanese standard applies, the sentences about SPRS,
    /// CMMC or DoD contracts are left out and the rest is `speaking`'s; under `us` and `both` it is unchanged.
    public func guidance(_ text: String) -> String {
        guard regime == .japanese else { return text }
        let kept = Self.sentences(text).filter { s in !Self.usRemarkMarkers.contains { s.contains($0) } }
        return speaking(kept.joined().trimmingCharacters(in: .whitespaces))
    }

    /// A guidance list (typical evidence) in the regime's terms: items about the US regime alone left out.
    public func guidance(_ items: [String]) -> [String] {
        guard regime == .japanese else { return items }
        return items.filter { s in !Self.usRemarkMarkers.contains { s.contains($0) } }.map(speaking)
    }

    /// Sentences with their end marks and following spaces: a Japanese one ends at 。, an English one at ". ".
    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previous: Character?
        for c in text {
            if previous == ".", c == " " {
                out.append(current + " ")
                current = ""
            } else {
                current.append(c)
                if c == "。" {
                    out.append(current)
                    current = ""
                }
            }
            previous = c
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

/// The report labels whose words depend on the regime (used when it is not `us`; under `us` the `ReportText`
/// labels stay as they were).
enum RegimeReportText {
    static func informationTypes(_ terms: RegimeTerms) -> String {
        terms.language == .ja
            ? "保存・処理・送信する\(terms.protectedInformation)の種類"
            : "Types of \(terms.protectedInformation) stored, processed or transmitted"
    }

    static func designatedIn(_ lang: Language) -> String { lang == .ja ? "指定の根拠" : "Designated in" }

    static func filedWith(_ lang: Language) -> String { lang == .ja ? "併せて提出する文書" : "Filed together with" }

    static func encryption(_ terms: RegimeTerms) -> String {
        terms.language == .ja ? "\(terms.protectedInformation)の暗号化" : "Encryption of \(terms.protectedInformation)"
    }

    static func itemsMet(_ lang: Language) -> String { lang == .ja ? "適合状況" : "Items met" }

    static func expectedAllMet(_ lang: Language) -> String {
        lang == .ja ? "全項目適合の見込み日" : "Expected date every item is met"
    }

    static func standard(_ lang: Language) -> String { lang == .ja ? "適用基準" : "Standard" }

    static func sheetName(_ terms: RegimeTerms) -> String {
        terms.language == .ja ? "実装計画書" : "Security plan"
    }
}
