import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoReports

/// Issue 17 item 3: the reports speak the organization's regime. Under `japanese` the SSP is the
/// システムセキュリティ実装計画書 about 保護すべき情報 and carries no SPRS score, CMMC status or CUI; under `us` every
/// document is byte for byte what it was before the regime existed; `both` carries both.
@Suite("Reports in the organization's regime (issue 17 item 3)")
struct RegimeReportTests {
    /// The sample shop as a Japanese-only supplier would record it: its information types name no CUI (the
    /// organization's own words are never rewritten).
    static func japaneseReport(guidance: Bool = false) throws -> AssessmentReport {
        var a = try SampleAssessment.make()
        a.system.informationTypes = ["保護すべき情報（図面）"]
        var r = try AssessmentReport(a, library: try BuiltInLibrary.shared)
        if guidance { r.guidance = try GuidanceLibrary.builtIn }
        return r
    }

    static let usWords = ["SPRS", "CMMC", "CUI"]

    /// Each line holding `word`, cut to 80 characters around it: what a failure shows.
    static func hits(_ word: String, in text: String) -> [String] {
        text.split(separator: "\n").filter { $0.contains(word) }.prefix(5).map { line in
            let r = line.range(of: word)!
            let from = line.index(r.lowerBound, offsetBy: -40, limitedBy: line.startIndex) ?? line.startIndex
            let to = line.index(r.upperBound, offsetBy: 40, limitedBy: line.endIndex) ?? line.endIndex
            return String(line[from..<to])
        }
    }

    static func sheetText(_ sheets: [Sheet]) -> String {
        sheets.map { s in ([s.name] + s.columns + s.rows.flatMap { $0.map(\.plainText) }).joined(separator: "\n") }.joined(separator: "\n")
    }

    @Test("issue 17 item 3: under japanese the SSP (md, html, csv, xlsx tables; with and without guidance) has no SPRS, CMMC or CUI and is the システムセキュリティ実装計画書 about 保護すべき情報 designated in the 情報セキュリティ指定書",
          arguments: Language.allCases)
    func japaneseSSP(_ lang: Language) throws {
        for guidance in [false, true] {
            let r = try Self.japaneseReport(guidance: guidance)
            let md = MarkdownReport.render(.ssp, report: r, language: lang, regime: .japanese)
            let html = HTMLReport.render(.ssp, report: r, language: lang, regime: .japanese)
            let sheets = Self.sheetText(SpreadsheetTables.sheets(.ssp, report: r, language: lang, regime: .japanese))
            for (name, text) in [("md", md), ("html", html), ("sheets", sheets)] {
                for word in Self.usWords {
                    #expect(Self.hits(word, in: text).isEmpty, "\(name) \(lang) guidance=\(guidance): \(Self.hits(word, in: text))")
                }
            }
            if lang == .ja {
                #expect(md.hasPrefix("# システムセキュリティ実装計画書\n"))
                for word in ["保護すべき情報", "情報セキュリティ指定書", "事業計画", "全項目適合に未達", "是正計画", "防衛産業サイバーセキュリティ基準"] {
                    #expect(md.contains(word) && html.contains(word), "\(word)")
                }
                // The catalog's CUI titles in the regime's word, and the plan of action inside the plan.
                #expect(md.contains("保護すべき情報の情報フロー制御"))
                #expect(md.contains("Configure lockout GPO"))
            } else {
                #expect(md.hasPrefix("# System Security Implementation Plan (システムセキュリティ実装計画書)\n"))
                #expect(md.contains("protected information") && md.contains("情報セキュリティ指定書") && md.contains("Not all items met"))
                #expect(md.contains("Protected information flow enforcement"))
            }
            // The gauge is the SPRS scale: only the family and CSF charts remain.
            #expect(html.components(separatedBy: "<svg").count - 1 == 2)
            #expect(!sheets.contains("CMMC ID"))
        }
    }

    @Test("issue 17 item 3: under japanese the POA&M and the results carry no SPRS or CMMC column; the SPRS summary does not apply",
          arguments: Language.allCases)
    func japaneseOtherDocuments(_ lang: Language) throws {
        let r = try Self.japaneseReport()
        for document in [ExportDocument.poam, .results] {
            let texts = [MarkdownReport.render(document, report: r, language: lang, regime: .japanese),
                         HTMLReport.render(document, report: r, language: lang, regime: .japanese),
                         Self.sheetText(SpreadsheetTables.sheets(document, report: r, language: lang, regime: .japanese))]
            for text in texts { for word in ["SPRS", "CMMC"] { #expect(!text.contains(word), "\(document) \(lang): \(word)") } }
        }
        #expect(!ExportDocument.sprs.applies(under: .japanese))
        #expect(ExportDocument.sprs.notApplicable(under: .japanese) != nil)
        for regime in [ComplianceRegime.us, .both] { #expect(ExportDocument.sprs.applies(under: regime)) }
        for document in [ExportDocument.ssp, .poam, .results] { #expect(document.applies(under: .japanese)) }
    }

    @Test("issue 17 item 3: under us every document in every format is what it was before (the default), with the SPRS score, CMMC status and CUI",
          arguments: ExportDocument.allCases)
    func usUnchanged(_ document: ExportDocument) throws {
        let r = try SampleAssessment.report()
        for lang in Language.allCases {
            #expect(MarkdownReport.render(document, report: r, language: lang, regime: .us)
                    == MarkdownReport.render(document, report: r, language: lang))
            #expect(HTMLReport.render(document, report: r, language: lang, regime: .us) == HTMLReport.render(document, report: r, language: lang))
            #expect(SpreadsheetTables.sheets(document, report: r, language: lang, regime: .us)
                    == SpreadsheetTables.sheets(document, report: r, language: lang))
        }
        let ssp = MarkdownReport.render(.ssp, report: r, language: .ja, regime: .us)
        #expect(ssp.contains("95 / 110") && ssp.contains("CMMC レベル2 ステータス") && ssp.contains("保護すべき情報（CUI）"))
        #expect(ssp.contains("CUIの情報フロー制御"))
        let en = MarkdownReport.render(.ssp, report: r, language: .en, regime: .us)
        #expect(en.hasPrefix("# System Security Plan\n") && en.contains("SPRS score") && !en.contains("情報セキュリティ指定書"))
    }

    @Test("issue 17 item 3: under both (a Japanese firm on a US contract) the SSP carries the Japanese terms and the SPRS score and CMMC status")
    func bothRegimes() throws {
        let r = try SampleAssessment.report()
        let ja = MarkdownReport.render(.ssp, report: r, language: .ja, regime: .both)
        #expect(ja.contains("システムセキュリティ実装計画書") && ja.contains("情報セキュリティ指定書") && ja.contains("事業計画"))
        #expect(ja.contains("95 / 110") && ja.contains("CMMC レベル2 ステータス") && ja.contains("CUIの情報フロー制御"))
        let html = HTMLReport.render(.ssp, report: r, language: .en, regime: .both)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3 && html.contains("SPRS score") && html.contains("情報セキュリティ指定書"))
        #expect(SpreadsheetTables.sheets(.poam, report: r, language: .en, regime: .both)[0].columns.contains("CMMC POA&M eligible"))
    }
}
