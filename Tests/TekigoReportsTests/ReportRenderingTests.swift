import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoReports

@Suite("Report rendering (Markdown, HTML, SVG)")
struct ReportRenderingTests {
    static let hostileName = "<b>&\"x\"</b>"

    func report(_ a: Assessment) throws -> AssessmentReport { try AssessmentReport(a, library: try BuiltInLibrary.shared) }

    // MARK: SSP

    @Test("Japanese SSP uses the Japanese standard's terms and carries the 是正計画 and the score")
    func japaneseSSP() throws {
        let r = try SampleAssessment.report()
        for text in [MarkdownReport.render(.ssp, report: r, language: .ja), HTMLReport.render(.ssp, report: r, language: .ja)] {
            #expect(text.contains("システムセキュリティ実装計画書"))
            #expect(text.contains("是正計画"))
            #expect(text.contains("95 / 110"))
            #expect(text.contains("保護すべき情報（CUI）"))
            #expect(text.contains("適合") && text.contains("不適合") && text.contains("該当なし"))
            // Our title from the catalog, in Japanese, and the POA&M items themselves.
            #expect(text.contains("システムアクセスを認可された利用者・その代理プロセス・デバイスに限定"))
            #expect(text.contains("Configure lockout GPO"))
            #expect(text.contains("8ABC1") && text.contains("1234567890123") && text.contains("ABCDEF123456"))
            #expect(text.contains("sha256:abababababab"))
        }
    }

    @Test("English SSP is a System Security Plan with the organization, system, summary and every requirement")
    func englishSSP() throws {
        let r = try SampleAssessment.report()
        let md = MarkdownReport.render(.ssp, report: r, language: .en)
        #expect(md.hasPrefix("# System Security Plan\n"))
        #expect(md.contains("95 / 110"))
        #expect(md.contains("Not eligible"))
        #expect(md.contains("not yet planned"))
        #expect(md.contains("System access limited to authorized users, their processes, and devices"))
        #expect(md.contains("Accounts are created by the IT lead"))
        #expect(md.contains("Lockout is not enforced on the CNC workstations."))
        for e in r.catalog.entries { #expect(md.contains("### \(e.id) ") || md.contains("#### \(e.id) "), "\(e.id)") }
        let html = HTMLReport.render(.ssp, report: r, language: .en)
        #expect(html.contains("System Security Plan"))
        #expect(html.contains("<html lang=\"en\">"))
    }

    // MARK: HTML is self-contained

    @Test("HTML pages have no scripts and no external assets; SSP and SPRS pages carry three charts", arguments: ExportDocument.allCases)
    func selfContained(_ document: ExportDocument) throws {
        let r = try SampleAssessment.report()
        for lang in Language.allCases {
            let html = HTMLReport.render(document, report: r, language: lang)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<html lang=\"\(lang.rawValue)\">"))
            #expect(html.contains("<meta charset=\"utf-8\" />"))
            #expect(html.contains("@page"))
            #expect(!html.lowercased().contains("<script"))
            #expect(!html.lowercased().contains("@import"))
            #expect(!html.lowercased().contains("url("))
            #expect(!html.lowercased().contains("<link"))
            #expect(!html.lowercased().contains("<img"))
            let external = try Regex(#"(?i)(src|href)\s*=\s*["']?\s*(https?:)?//"#)
            #expect(html.firstMatch(of: external) == nil)
            let svgs = html.components(separatedBy: "<svg").count - 1
            #expect(svgs == (document == .ssp || document == .sprs ? 3 : 0))
        }
    }

    @Test("Every chart is an accessible image followed by its data table")
    func chartsAreAccessible() throws {
        let html = HTMLReport.render(.ssp, report: try SampleAssessment.report(), language: .ja)
        let figures = html.components(separatedBy: "<figure class=\"chart\">").dropFirst()
        #expect(figures.count == 3)
        for f in figures {
            let svg = try #require(Self.svgFragments(f).first)
            #expect(svg.contains("role=\"img\""))
            let ids = try #require(svg.firstMatch(of: /aria-labelledby="([^"]+)"/)).1.split(separator: " ")
            #expect(ids.count == 2)
            #expect(svg.contains("<title id=\"\(ids[0])\">"))
            #expect(svg.contains("<desc id=\"\(ids[1])\">"))
            let afterSVG = try #require(f.components(separatedBy: "</svg>").dropFirst().first)
            let endOfFigure = try #require(afterSVG.range(of: "</figure>"))
            #expect(afterSVG[..<endOfFigure.lowerBound].contains("<table class=\"chart-data\">"))
        }
    }

    // MARK: Charts

    @Test("The gauge marks the CMMC threshold 88 and shows the score, or the no-score state")
    func gauge() throws {
        let scored = SVGCharts.sprsGauge(score: 95, language: .en)
        #expect(scored.contains(">88</text>"))
        #expect(scored.contains(">95 / 110</text>"))
        #expect(scored.contains(">−203</text>") && scored.contains(">110</text>"))
        #expect(scored.contains("<title id=\"chart-sprs-title\">SPRS score</title>"))
        let none = SVGCharts.sprsGauge(score: nil, language: .ja)
        #expect(none.contains(">88</text>"))
        #expect(none.contains(">スコアなし</text>"))
        #expect(!none.contains("<circle"))
        // Out-of-range scores stay on the dial.
        for s in [-500, -203, 0, 88, 110, 500] { try Self.parse(SVGCharts.sprsGauge(score: s, language: .en)) }
        // The sample page's gauge is the one with the sample's score.
        let html = HTMLReport.render(.sprs, report: try SampleAssessment.report(), language: .en)
        let first = try #require(Self.svgFragments(html).first)
        #expect(first.contains(">88</text>") && first.contains(">95 / 110</text>"))
    }

    @Test("Family and CSF charts draw every family and function with its numbers")
    func barCharts() throws {
        let r = try SampleAssessment.report()
        let rows = SVGCharts.familyRows(r, language: .en)
        #expect(rows.count == 14)
        #expect(rows.reduce(0) { $0 + $1.total } == 110)
        let fam = SVGCharts.familyBars(rows, language: .en)
        for row in rows { #expect(fam.contains(">\(row.met)/\(row.total)</text>")) }
        let cov = SVGCharts.coverageRows(r, language: .ja)
        #expect(cov.map { $0.label.prefix(2) } == ["GV", "ID", "PR", "DE", "RS", "RC"])
        let csf = SVGCharts.csfCoverage(cov + [SVGCharts.CoverageRow(label: "XX", met: 0, total: 0)], language: .ja)
        #expect(csf.contains("対応する要件なし"))
        for svg in [fam, csf] { try Self.parse(svg) }
        #expect(SVGCharts.n(-0.001) == "0" && SVGCharts.n(12.5) == "12.5" && SVGCharts.n(3.14159) == "3.14")
        #expect(SVGCharts.n(-7.05) == "-7.05" && SVGCharts.n(40) == "40")
    }

    // MARK: Escaping

    @Test("A hostile organization name is escaped everywhere and never emitted as a tag")
    func hostileName() throws {
        var a = try SampleAssessment.make()
        a.organization.name = Self.hostileName
        a.system.name = "LAN | <script>alert(1)</script>"
        a.answers["3.1.1"]?.implementation = "Line one\n# not a heading | [link](javascript:x) <i>"
        let r = try report(a)
        for document in ExportDocument.allCases {
            for lang in Language.allCases {
                let html = HTMLReport.render(document, report: r, language: lang)
                #expect(!html.contains("<b>") && !html.contains("</b>"))
                #expect(!html.contains("<script") && !html.contains("<i>"))
                #expect(html.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"))
                try Self.parse(html)  // still well-formed
                let md = MarkdownReport.render(document, report: r, language: lang)
                #expect(!md.contains("<b>") && !md.contains("</b>") && !md.contains("<script>") && !md.contains("<i>"))
                #expect(Self.unescapedAngles(md).isEmpty, "\(Self.unescapedAngles(md).prefix(3))")
                #expect(md.contains(#"\<b\>&"x"\</b\>"#))
                #expect(!md.contains("[link]("))
            }
        }
        let md = MarkdownReport.render(.ssp, report: r, language: .en)
        #expect(md.contains(#"LAN \| \<script\>"#))
        #expect(md.contains(##"Line one<br>\# not a heading \| \[link\](javascript:x) \<i\>"##))
        #expect(!md.contains("\n# not a heading"))
    }

    @Test("Markdown table cells keep their column count when values contain pipes")
    func markdownPipes() throws {
        var a = try SampleAssessment.make()
        a.poam[0].owner = "IT | plant"
        a.poam[0].weakness = "a|b|c"
        let md = MarkdownReport.render(.poam, report: try report(a), language: .en)
        let lines = md.split(separator: "\n").filter { $0.hasPrefix("| ") }
        let header = try #require(lines.first)
        let columns = Self.cellCount(header)
        #expect(columns == 8)
        for line in lines { #expect(Self.cellCount(line) == columns, "\(line)") }
        #expect(md.contains(#"IT \| plant"#) && md.contains(#"a\|b\|c"#))
    }

    @Test("The well-formedness check itself rejects broken markup")
    func parserCatchesErrors() {
        #expect(Self.xmlError("<svg><g></svg>") != nil)
        #expect(Self.xmlError("<svg><text>a & b</text></svg>") != nil)
        #expect(Self.xmlError("<p>\(Self.hostileName)</p>") != nil)
        #expect(Self.xmlError("<p>\(Markup.escape(Self.hostileName))</p>") == nil)
    }

    @Test("The escape function handles markup characters and characters XML forbids")
    func escapeFunction() throws {
        #expect(Markup.escape(#"<a href="x">&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(Markup.escape("a\u{0}b\u{1B}c\td") == "a\u{FFFD}b\u{FFFD}c\td")
        var a = try SampleAssessment.make()
        a.organization.name = "Bad\u{0}\u{7}Name"
        try Self.parse(HTMLReport.render(.ssp, report: try report(a), language: .en))
    }

    // MARK: SPRS summary

    @Test("The SPRS summary gives what SPRS asks for and explains every deduction")
    func sprsSummary() throws {
        let r = try SampleAssessment.report()
        #expect(r.expectedFullCompliance == nil)
        let expectations: [(Language, String, String)] = [(.en, "not yet planned", "Basic (self-assessment)"),
                                                          (.ja, "未計画", "Basic（自己評価）")]
        for (lang, notPlanned, kind) in expectations {
            for text in [MarkdownReport.render(.sprs, report: r, language: lang),
                         HTMLReport.render(.sprs, report: r, language: lang)] {
                #expect(text.contains("8ABC1") && text.contains("8ABC2"))
                #expect(text.contains("2026-11-27"))
                #expect(text.contains(notPlanned))
                #expect(text.contains("95 / 110"))
                #expect(text.contains("本社工場ネットワーク"))
                #expect(text.contains(kind))
                for d in r.sprs!.deductions {
                    #expect(text.contains(d.requirement))
                    #expect(text.contains(d.reason.text(lang)), "\(d.requirement)")
                }
                #expect(text.contains("−15"))  // total deducted
                #expect(text.contains(CreditReason.notPermitted.text(lang)))
            }
        }
    }

    @Test("With no SSP there is no score, and every document says why")
    func noScore() throws {
        var a = try SampleAssessment.make()
        a.findings["3.12.4[a]"] = Finding(status: .notMet, rationale: "No SSP yet.")
        let r = try report(a)
        #expect(r.sprs?.score == nil)
        let md = MarkdownReport.render(.sprs, report: r, language: .en)
        #expect(md.contains("No score"))
        #expect(md.contains(CMMCReason.noScore.text(.en)))
        let html = HTMLReport.render(.ssp, report: r, language: .ja)
        #expect(html.contains(">スコアなし</text>"))
    }

    // MARK: POA&M and results

    @Test("The POA&M shows milestones, owners, dates and CMMC eligibility from poamReason")
    func poam() throws {
        let r = try SampleAssessment.report()
        let md = MarkdownReport.render(.poam, report: r, language: .en)
        #expect(md.contains("2027-01-15 Configure lockout GPO (done)"))
        #expect(md.contains("2027-02-01 Verify on all workstations"))
        #expect(md.contains("¥800,000") && md.contains("IT lead") && md.contains("In progress"))
        #expect(md.contains("eligible (−1)"))                                   // 3.1.8, 1 point
        #expect(md.contains("eligible (−3)"))                                   // 3.13.11 not FIPS-validated: the exception
        #expect(md.contains("not eligible: \(CMMCReason.valueTooHigh(requirement: "3.4.8", points: 5).text(.en))"))
        #expect(md.contains("not eligible: \(CMMCReason.valueTooHigh(requirement: "3.5.3", points: 3).text(.en))"))
        let ja = HTMLReport.render(.poam, report: r, language: .ja)
        #expect(ja.contains("<h1>是正計画</h1>"))
        #expect(ja.contains("class=\"doc-poam landscape\""))
        #expect(ja.contains("未計画"))
    }

    @Test("The assessment results list every objective's finding")
    func results() throws {
        let r = try SampleAssessment.report(complete: false)
        let md = MarkdownReport.render(.results, report: r, language: .ja)
        #expect(md.hasPrefix("# 評価結果\n"))
        for o in r.catalog.objectiveIDs { #expect(md.contains("| `\(o)` |"), "\(o)") }
        #expect(md.contains("ローカルの特権アクセスに多要素認証がない。"))
        #expect(md.contains("| `3.14.7[b]` | **未評価** |"))
        #expect(md.contains("山田 花子") && md.contains("2026-11-25"))
    }

    // MARK: Every document, both languages, stable

    @Test("Every document renders in both languages, not empty, and the same every time", arguments: ExportDocument.allCases)
    func everyDocument(_ document: ExportDocument) throws {
        let r = try SampleAssessment.report()
        let again = try SampleAssessment.report()
        for lang in Language.allCases {
            let md = MarkdownReport.render(document, report: r, language: lang)
            let html = HTMLReport.render(document, report: r, language: lang)
            #expect(md.count > 500 && html.count > 2000)
            #expect(md == MarkdownReport.render(document, report: again, language: lang))
            #expect(html == HTMLReport.render(document, report: again, language: lang))
            #expect(html.contains("<html lang=\"\(lang.rawValue)\">"))
            try Self.parse(html)
            for svg in Self.svgFragments(html) { try Self.parse(svg) }
        }
    }

    @Test("A rev3 assessment (no SPRS values) renders every document and says why there is no score")
    func rev3() throws {
        let a = Assessment(organization: Organization(name: "Rev3 Co."), system: SystemProfile(name: "Enclave"),
                           catalog: .sp800171r3, date: Day("2026-12-01")!)
        let r = try report(a)
        #expect(r.sprs == nil)
        for document in ExportDocument.allCases {
            for lang in Language.allCases {
                let md = MarkdownReport.render(document, report: r, language: lang)
                let html = HTMLReport.render(document, report: r, language: lang)
                #expect(!md.isEmpty && !html.isEmpty)
                try Self.parse(html)
                if document == .ssp || document == .sprs {
                    #expect(md.contains(ReportText.noSPRSForCatalog(lang)))
                    #expect(html.components(separatedBy: "<svg").count - 1 == 2)  // no gauge without SPRS values
                }
            }
        }
    }

    @Test("Every report label has both languages")
    func labels() {
        for key in ReportText.allCases {
            #expect(!key.text.en.isEmpty && !key.text.ja.isEmpty, "\(key)")
        }
        #expect(ReportText.sspTitle(.ja) == "システムセキュリティ実装計画書")
        #expect(ReportText.poamTitle(.ja) == "是正計画")
        #expect(ReportText.resultsTitle(.ja) == "評価結果")
        #expect(ReportText.notYetPlanned(.ja) == "未計画")
    }

    /// Writes every rendered document when `TEKIGO_REPORT_SAMPLES` names a directory (to look at them).
    @Test("Samples for review")
    func samples() throws {
        guard let dir = ProcessInfo.processInfo.environment["TEKIGO_REPORT_SAMPLES"], !dir.isEmpty else { return }
        let r = try SampleAssessment.report()
        let url = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for document in ExportDocument.allCases {
            for lang in Language.allCases {
                let base = "sample-\(document.rawValue)-\(lang.rawValue)"
                try MarkdownReport.render(document, report: r, language: lang)
                    .write(to: url.appendingPathComponent(base + ".md"), atomically: true, encoding: .utf8)
                try HTMLReport.render(document, report: r, language: lang)
                    .write(to: url.appendingPathComponent(base + ".html"), atomically: true, encoding: .utf8)
            }
        }
    }

    // MARK: Helpers

    static func svgFragments(_ html: some StringProtocol) -> [String] {
        var out: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// Every `<` in Markdown must be backslash-escaped or one of our own `<br>`s; returns the lines that break the rule.
    static func unescapedAngles(_ md: String) -> [Substring] {
        md.split(separator: "\n").filter { line in
            var previous: Character = " "
            for (i, c) in zip(line.indices, line) {
                defer { previous = c }
                if c == "<", previous != "\\", !line[i...].hasPrefix("<br>") { return true }
            }
            return false
        }
    }

    static func cellCount(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for c in line {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "|" { count += 1 }
        }
        return count - 1
    }

    final class ErrorCollector: NSObject, XMLParserDelegate {
        var error: (any Error)?
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = error ?? parseError }
    }

    /// Foundation's XMLParser verdict: nil when well-formed, else the error and line. On Linux `parse()` can return
    /// true after reporting an error (a mismatched end tag), so the delegate's errors and `parserError` count too.
    static func xmlError(_ markup: String) -> String? {
        let parser = XMLParser(data: Data(markup.utf8))
        let collector = ErrorCollector()
        parser.delegate = collector
        let ok = parser.parse()
        guard let error = collector.error ?? parser.parserError ?? (ok ? nil : CocoaError(.fileReadCorruptFile)) else { return nil }
        return "\(error) at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    /// Fails the test when the markup is not well-formed XML.
    static func parse(_ markup: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = xmlError(markup)
        #expect(error == nil, "XML parse failed: \(error ?? "")", sourceLocation: sourceLocation)
    }
}
