import Testing
import TekigoCore
@testable import TekigoReports

/// Issue 11 item 11: ids shown as code spans (objective and requirement ids, which an imported catalog may fill with
/// anything) reached the Markdown export as they were, HTML included.
@Suite("Markdown: ids in code spans")
struct MarkdownCodeEscapeTests {
    @Test("Markup in an id is escaped text, never a raw tag, also inside a table")
    func markupInCode() {
        let hostile = "<img src=x onerror=alert(1)>"
        let md = MarkdownReport.inline([.code(hostile)])
        #expect(!Self.hasRawTag(md), "\(md)")
        #expect(md == #"\<img src=x onerror=alert(1)\>"#)
        #expect(MarkdownReport.inline([.code(#"3.1.1\"#)]) == #"3.1.1\\"#)
        let table = MarkdownReport.table(ReportOutline.Table(caption: nil, header: ["id"], numeric: [],
                                                             rows: [[[.code("<script>alert(1)</script>")]]]))
        #expect(!Self.hasRawTag(table), "\(table)")
        // Ordinary ids stay code spans.
        #expect(MarkdownReport.inline([.code("3.1.1[a]")]) == "`3.1.1[a]`")
        #expect(MarkdownReport.inline([.code("AC.L2-3.1.1")]) == "`AC.L2-3.1.1`")
    }

    /// A `<` that is not backslash-escaped (Markdown renderers would pass it on as HTML).
    static func hasRawTag(_ md: String) -> Bool {
        var previous: Character = " "
        for c in md {
            if c == "<", previous != "\\" { return true }
            previous = c
        }
        return false
    }
}
