import Foundation
import TekigoCore

/// An incident report draft as GitHub-flavoured Markdown, laid out as the HTML page is. Every user text goes through
/// `MarkdownReport.escape` (tables through `MarkdownReport.table`), so a narrative can neither break the layout nor
/// inject markup. Marked as a draft (and as an exercise) first and last.
public enum IncidentReportMarkdown {
    public static func render(_ input: IncidentReportInput, language: Language) -> String {
        let o = IncidentReportOutline(input, language: language)
        var out = ""
        for notice in o.notices { out += "> **\(MarkdownReport.escape(notice))**\n>\n" }
        out = String(out.dropLast(2)) + "\n"
        out += "# \(MarkdownReport.escape(o.title))\n\n"
        out += o.header.map { "- **\(MarkdownReport.escape($0.label))**: \(MarkdownReport.escape($0.value))\n" }.joined() + "\n"
        out += "## \(MarkdownReport.escape(o.missingTitle))\n\n"
        if o.missing.isEmpty {
            out += MarkdownReport.escape(o.nothingMissing) + "\n\n"
        } else {
            out += o.missing.map { "- \(MarkdownReport.escape($0))\n" }.joined() + "\n"
        }
        for s in o.sections {
            out += "## \(MarkdownReport.escape(s.title))\n\n"
            for row in s.rows {
                let label = "**\(MarkdownReport.escape(row.label))**"
                switch row.value {
                case .text(let text):
                    out += "\(label): \(MarkdownReport.escape(text))\n\n"
                case .empty:
                    out += "\(label): _\(MarkdownReport.escape(o.emptyText))_\n\n"
                case .list(let items):
                    out += "\(label):\n\n" + items.map { "- \(MarkdownReport.escape($0))\n" }.joined() + "\n"
                case .table(let t):
                    out += "\(label):\n\n" + MarkdownReport.table(t)
                }
            }
        }
        out += "---\n\n"
        for notice in o.notices { out += "**\(MarkdownReport.escape(notice))**\n\n" }
        out += "_\(MarkdownReport.escape(o.footer))_\n"
        return out
    }
}
