import Foundation
import TekigoCore

/// An incident report draft as a self-contained, print-ready HTML page (the DoD report in Japanese or English; the
/// MOD 第一報 / 詳細報告 in Japanese with English alongside): inline styles with print rules, no scripts, no external
/// assets, every user text escaped with `Markup.escape`, well-formed XML. Each field's row carries
/// `data-field="<IncidentReportField>"`. Marked as a draft (and as an exercise) at the top, on every printed page's
/// header band and in the footer.
public enum IncidentReportHTML {
    public static func render(_ input: IncidentReportInput, language: Language) -> String {
        let o = IncidentReportOutline(input, language: language)
        let lang = input.kind.isDoD ? language : .ja
        var out = "<!DOCTYPE html>\n"
        out += "<html lang=\"\(lang.rawValue)\">\n<head>\n<meta charset=\"utf-8\" />\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        out += "<meta name=\"generator\" content=\"Tekigo\" />\n"
        out += "<meta name=\"robots\" content=\"noindex\" />\n"
        out += "<title>\(Markup.escape(o.header[0].value + " — " + o.title))</title>\n"
        out += "<style>\n\(HTMLReport.style)\(style)</style>\n</head>\n"
        out += "<body class=\"incident-report kind-\(input.kind.rawValue)\(o.exercise ? " exercise" : "")\">\n"
        out += "<div class=\"print-band\" aria-hidden=\"true\">\(Markup.escape(o.header[0].value))</div>\n"
        out += "<header class=\"doc-header\">\n"
        for (i, notice) in o.notices.enumerated() {
            out += "<p class=\"banner \(i == 0 ? "draft" : "exercise")\" role=\"note\">\(HTMLReport.lines(notice))</p>\n"
        }
        out += "<h1>\(Markup.escape(o.title))</h1>\n<table class=\"fields\">\n<tbody>\n"
        for h in o.header {
            out += "<tr><th scope=\"row\">\(Markup.escape(h.label))</th><td>\(HTMLReport.lines(h.value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</header>\n<main>\n"
        out += "<section id=\"missing\" class=\"missing\">\n<h2>\(Markup.escape(o.missingTitle))</h2>\n"
        if o.missing.isEmpty {
            out += "<p>\(Markup.escape(o.nothingMissing))</p>\n"
        } else {
            out += "<ul>\n" + o.missing.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        out += "</section>\n"
        for s in o.sections {
            out += "<section id=\"\(Markup.escape(s.id))\" class=\"section\">\n<h2>\(Markup.escape(s.title))</h2>\n"
            out += "<table class=\"fields\">\n<tbody>\n"
            for row in s.rows {
                out += "<tr data-field=\"\(row.field.rawValue)\"><th scope=\"row\">\(Markup.escape(row.label))</th>"
                out += "<td>\(value(row.value, o))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</section>\n"
        }
        out += "</main>\n<footer>\n"
        for notice in o.notices { out += "<p class=\"banner-small\">\(Markup.escape(notice))</p>\n" }
        out += "<p>\(Markup.escape(o.footer))</p>\n</footer>\n</body>\n</html>\n"
        return out
    }

    static func value(_ v: IncidentReportOutline.Value, _ o: IncidentReportOutline) -> String {
        switch v {
        case .text(let s): return HTMLReport.lines(s)
        case .list(let items):
            return "<ul>" + items.map { "<li>\(HTMLReport.lines($0))</li>" }.joined() + "</ul>"
        case .table(let t): return HTMLReport.table(t)
        case .empty: return "<span class=\"empty\">\(Markup.escape(o.emptyText))</span>"
        }
    }

    /// Added to `HTMLReport.style`: the draft and exercise banners, repeated on paper by a fixed band.
    static let style = """
    .banner { border: 3px solid #b71c1c; color: #b71c1c; font-weight: 700; font-size: 1.1rem; padding: 0.5rem 0.75rem; margin: 0 0 0.75rem; }
    .banner.exercise { border-color: #0d47a1; color: #0d47a1; }
    .banner-small { font-weight: 700; color: #b71c1c; }
    .missing { border: 1px dashed #b71c1c; padding: 0 0.75rem; }
    .empty { color: #757575; }
    .print-band { display: none; }
    table.fields td ul { margin: 0; padding-left: 1.2rem; }
    table.fields td table { margin: 0; font-size: 0.92em; }
    @media print {
      .banner { border-width: 2px; }
      .print-band { display: block; position: fixed; top: 0; right: 0; font-weight: 700; color: #b71c1c; border: 1px solid #b71c1c; padding: 0 0.3rem; font-size: 8pt; }
      section.section { break-inside: auto; }
      tr[data-field] { break-inside: avoid; page-break-inside: avoid; }
      .missing { break-inside: avoid; }
    }

    """
}
