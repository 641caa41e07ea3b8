import Foundation
import TekigoCore

/// The one escape function for everything Tekigo writes as HTML or SVG: element text and attribute values.
public enum Markup {
    /// Escapes `& < > " '` and replaces characters XML forbids (C0 controls other than tab, LF, CR; lone
    /// surrogates cannot occur in a Swift String; U+FFFE/U+FFFF) with U+FFFD, so the output stays well-formed.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// A self-contained, print-ready HTML5 page: embedded styles with A4 print rules, inline SVG charts, no scripts,
/// no external assets. The markup is also well-formed XML (void elements self-closed, only XML's own entities),
/// so it can be checked with any XML parser.
public enum HTMLReport {
    /// `regime` (issue 17 item 3): the words the document uses and whether SPRS and CMMC appear; `.us` is the
    /// document as it was before the regime existed.
    public static func render(_ document: ExportDocument, report: AssessmentReport, language: Language,
                              regime: ComplianceRegime = .us) -> String {
        let outline = ReportOutline.make(document, report: report, language: language, regime: regime)
        let fullTitle = outline.subtitle.isEmpty ? outline.title : "\(outline.title) — \(outline.subtitle)"
        var out = "<!DOCTYPE html>\n"
        out += "<html lang=\"\(language.rawValue)\">\n<head>\n<meta charset=\"utf-8\" />\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        out += "<meta name=\"generator\" content=\"Tekigo\" />\n"
        out += "<title>\(Markup.escape(fullTitle))</title>\n<style>\n\(style)</style>\n</head>\n"
        out += "<body class=\"doc-\(document.rawValue)\(outline.landscape ? " landscape" : "")\">\n"
        out += "<header class=\"doc-header\">\n<h1>\(Markup.escape(outline.title))</h1>\n"
        if !outline.subtitle.isEmpty { out += "<p class=\"subtitle\">\(Markup.escape(outline.subtitle))</p>\n" }
        out += fields(outline.header)
        out += "</header>\n<main>\n"
        for block in outline.blocks { out += render(block, depth: 2) }
        out += "</main>\n<footer><p>\(Markup.escape(ReportText.generatedBy(language)))</p></footer>\n</body>\n</html>\n"
        return out
    }

    // MARK: Blocks

    static func render(_ block: ReportOutline.Block, depth: Int) -> String {
        switch block {
        case .section(let title, let anchor, let style, let blocks):
            let level = min(depth, 6)
            let cls: String
            switch style {
            case .plain: cls = "section"
            case .family: cls = "section family"
            case .item: cls = "section item"
            }
            var out = "<section id=\"\(Markup.escape(anchor))\" class=\"\(cls)\">\n"
            out += "<h\(level)>\(Markup.escape(title))</h\(level)>\n"
            for b in blocks { out += render(b, depth: depth + 1) }
            return out + "</section>\n"
        case .paragraph(let inlines):
            return "<p>\(inline(inlines))</p>\n"
        case .fields(let f):
            return fields(f)
        case .table(let t):
            return table(t)
        case .bullets(let items):
            return "<ul>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n"
        case .chart(_, let svg, let t):
            // The table after the chart is its text alternative; the SVG carries its own title and description.
            let caption = t.caption.map { "<figcaption>\(Markup.escape($0))</figcaption>\n" } ?? ""
            var data = t
            data.caption = nil
            return "<figure class=\"chart\">\n\(caption)\(svg)\n\(table(data, cls: "chart-data"))</figure>\n"
        }
    }

    static func fields(_ fields: [ReportOutline.Field]) -> String {
        var out = "<table class=\"fields\">\n<tbody>\n"
        for f in fields {
            out += "<tr><th scope=\"row\">\(Markup.escape(f.label))</th><td>\(inline(f.value))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    static func table(_ t: ReportOutline.Table, cls: String = "data") -> String {
        var out = "<table class=\"\(cls)\">\n"
        if let c = t.caption { out += "<caption>\(Markup.escape(c))</caption>\n" }
        out += "<thead><tr>"
        for (i, h) in t.header.enumerated() {
            out += "<th scope=\"col\"\(t.numeric.contains(i) ? " class=\"num\"" : "")>\(Markup.escape(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                out += "<td\(t.numeric.contains(i) ? " class=\"num\"" : "")>\(inline(cell))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    static func inline(_ parts: [ReportOutline.Inline]) -> String {
        parts.map { part in
            switch part {
            case .text(let s): return lines(s)
            case .code(let s): return "<code>\(lines(s))</code>"
            case .strong(let s): return "<strong>\(lines(s))</strong>"
            case .status(let key, let label):
                return "<span class=\"status st-\(Markup.escape(key))\">\(Markup.escape(label))</span>"
            case .lineBreak: return "<br />"
            }
        }.joined()
    }

    /// Escaped text with its line breaks kept.
    static func lines(_ s: String) -> String {
        Markup.escape(s.replacingOccurrences(of: "\r\n", with: "\n")).split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "<br />")
    }

    // MARK: Style

    /// Local fonts only; no `@import`, no `url()`.
    static let style = """
    :root { --met: \(SVGCharts.metColor); --not-met: \(SVGCharts.notMetColor); --not-assessed: \(SVGCharts.notAssessedColor); --ink: \(SVGCharts.inkColor); --rule: #bdbdbd; }
    html { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif; color: var(--ink); line-height: 1.55; }
    body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font-size: 10.5pt; }
    h1 { font-size: 1.7rem; margin: 0 0 0.25rem; }
    h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.15rem; margin-top: 2rem; }
    h3 { font-size: 1.15rem; border-bottom: 1px solid var(--rule); margin-top: 1.6rem; }
    h4 { font-size: 1.02rem; margin: 1.2rem 0 0.4rem; }
    h5, h6 { font-size: 1rem; margin: 1rem 0 0.3rem; }
    .subtitle { font-size: 1.15rem; margin: 0 0 1rem; }
    table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
    th, td { border: 1px solid var(--rule); padding: 0.25rem 0.45rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
    thead th { background: #f1f1f1; }
    table.fields th { width: 32%; background: #f7f7f7; font-weight: 600; }
    caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    code { font-family: "Noto Sans Mono CJK JP", "Menlo", "Consolas", monospace; font-size: 0.92em; }
    .status { display: inline-block; padding: 0 0.4rem; border-radius: 0.2rem; font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
    .st-met { color: var(--met); }
    .st-not-met { color: var(--not-met); }
    .st-not-applicable { color: #455a64; }
    .st-not-assessed { color: #616161; border-style: dashed; }
    figure.chart { margin: 1rem 0 1.5rem; }
    figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0.3rem 0; }
    figcaption { font-weight: 600; }
    table.chart-data { font-size: 0.9em; }
    footer { margin-top: 2rem; border-top: 1px solid var(--rule); font-size: 0.85em; color: #616161; }
    @page { size: A4; margin: 16mm 14mm; }
    @page wide { size: A4 landscape; margin: 12mm 12mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 9.5pt; }
      body.landscape, section#poam { page: wide; }
      section.family { break-before: page; page-break-before: always; }
      section.item, figure.chart, tr, table.fields { break-inside: avoid; page-break-inside: avoid; }
      h2, h3, h4, h5, caption, figcaption { break-after: avoid; page-break-after: avoid; }
      thead { display: table-header-group; }
      .status { border-color: currentColor; }
    }

    """
}
