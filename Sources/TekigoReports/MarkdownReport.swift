import TekigoCore

/// GitHub-flavoured Markdown for the SSP (システムセキュリティ実装計画書), POA&M (是正計画), assessment results (評価結果) and the
/// SPRS summary. Text that comes from users is escaped, so an organization name or a rationale can neither break a table
/// (`|`) nor inject markup (`<`, `*`, `[` …). Charts appear as their data tables.
public enum MarkdownReport {
    /// `regime` (issue 17 item 3): the words the document uses and whether SPRS and CMMC appear; `.us` is the
    /// document as it was before the regime existed.
    public static func render(_ document: ExportDocument, report: AssessmentReport, language: Language,
                              regime: ComplianceRegime = .us) -> String {
        let outline = ReportOutline.make(document, report: report, language: language, regime: regime)
        var out = "# \(escape(outline.title))\n\n"
        if !outline.subtitle.isEmpty { out += "**\(escape(outline.subtitle))**\n\n" }
        out += fields(outline.header) + "---\n\n"  // keeps the header list from merging with a following list
        for block in outline.blocks { out += render(block, depth: 2) }
        out += "---\n\n_\(escape(ReportText.generatedBy(language)))_\n"
        return out
    }

    static func render(_ block: ReportOutline.Block, depth: Int) -> String {
        switch block {
        case .section(let title, _, _, let blocks):
            var out = String(repeating: "#", count: min(depth, 6)) + " " + escape(title) + "\n\n"
            for b in blocks { out += render(b, depth: depth + 1) }
            return out
        case .paragraph(let inlines):
            return inline(inlines) + "\n\n"
        case .fields(let f):
            return fields(f)
        case .table(let t):
            return table(t)
        case .bullets(let items):
            return items.map { "- " + inline($0) + "\n" }.joined() + "\n"
        case .chart(_, _, let t):
            return table(t)
        }
    }

    /// Label–value pairs as a list: readable both raw and rendered.
    static func fields(_ fields: [ReportOutline.Field]) -> String {
        fields.map { "- **\(escape($0.label))**: \(inline($0.value))\n" }.joined() + "\n"
    }

    static func table(_ t: ReportOutline.Table) -> String {
        var out = ""
        if let c = t.caption { out += "**\(escape(c))**\n\n" }
        out += "| " + t.header.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + t.header.indices.map { t.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in t.rows {
            var cells = row.map(inline)
            while cells.count < t.header.count { cells.append("") }
            out += "| " + cells.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    static func inline(_ parts: [ReportOutline.Inline]) -> String {
        parts.map { part in
            switch part {
            case .text(let s): return escape(s)
            case .code(let s):
                // A code span cannot hold a backtick, a pipe (inside a table) or a line break safely, and markup in it
                // (an id from an imported catalog can hold anything) would reach renderers that do not keep code
                // spans literal: such a value falls back to escaped text.
                if s.isEmpty || s.contains(where: { "`|\n\r<>&\\".contains($0) }) { return escape(s) }
                return "`\(s)`"
            case .strong(let s): return "**\(escape(s))**"
            case .status(_, let label): return "**\(escape(label))**"
            case .lineBreak: return "<br>"
            }
        }.joined()
    }

    /// Backslash-escapes the characters Markdown (CommonMark and GFM tables) gives meaning to inside a line, and
    /// turns line breaks into `<br>` so one value never spills into the next line's syntax.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {  // "\r\n" is one Character
            switch c {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~":
                out.append("\\"); out.append(c)
            case "\r\n", "\r", "\n":
                out += "<br>"
            default:
                out.append(c)
            }
        }
        return out
    }
}
