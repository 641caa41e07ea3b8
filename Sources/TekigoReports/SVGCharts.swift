import Foundation
import TekigoCore

/// Inline SVG charts for the HTML reports: pure functions of their data, no scripts, no external assets, no CSS
/// imports. Every chart is `role="img"` with a `<title>` and `<desc>` named by `aria-labelledby`, all text is
/// escaped with `Markup.escape`, and numbers are printed with fixed rules so the output is byte-for-byte stable.
public enum SVGCharts {
    /// One family's requirements: met (N/A counts as met), not met, not assessed.
    public struct FamilyRow: Sendable, Hashable {
        public var label: String
        public var met: Int
        public var notMet: Int
        public var notAssessed: Int
        public var total: Int { met + notMet + notAssessed }

        public init(label: String, met: Int, notMet: Int, notAssessed: Int) {
            self.label = label
            self.met = met
            self.notMet = notMet
            self.notAssessed = notAssessed
        }
    }

    /// One CSF 2.0 function: how many of the requirements mapped to it are met.
    public struct CoverageRow: Sendable, Hashable {
        public var label: String
        public var met: Int
        public var total: Int

        public init(label: String, met: Int, total: Int) {
            self.label = label
            self.met = met
            self.total = total
        }
    }

    public static func familyRows(_ report: AssessmentReport, language: Language) -> [FamilyRow] {
        report.familySummary.filter { $0.total > 0 }.map { s in
            FamilyRow(label: s.family.abbr.isEmpty ? "\(s.family.id) \(s.family.title[language])"
                                                   : "\(s.family.abbr) \(s.family.title[language])",
                      met: s.met, notMet: s.notMet, notAssessed: s.notAssessed)
        }
    }

    public static func coverageRows(_ report: AssessmentReport, language: Language) -> [CoverageRow] {
        report.csfCoverage.map { CoverageRow(label: "\($0.function.id) \($0.function.title[language])", met: $0.met, total: $0.total) }
    }

    // MARK: Colors (also used by the HTML legend styles)

    static let metColor = "#2e7d32"
    static let notMetColor = "#c62828"
    static let notAssessedColor = "#9e9e9e"
    static let trackColor = "#e0e0e0"
    static let inkColor = "#212121"
    static let fontFamily = "'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif"

    // MARK: (1) SPRS gauge

    /// A half-circle gauge from −203 to 110 with the CMMC conditional threshold (88) marked, and the score — or,
    /// when no score can be produced, a grey track and "no score".
    public static func sprsGauge(score: Int?, language lang: Language, id: String = "chart-sprs") -> String {
        let (w, h) = (360.0, 230.0)
        let (cx, cy, r, stroke) = (180.0, 170.0, 130.0, 26.0)
        let lo = SPRSResult.minimum, hi = SPRSResult.maximum, threshold = CMMCRules.minimumConditionalScore
        func angle(_ v: Int) -> Double {
            let c = min(max(v, lo), hi)
            return Double.pi * (1 - Double(c - lo) / Double(hi - lo))
        }
        func point(_ v: Int, radius: Double) -> (Double, Double) {
            let a = angle(v)
            return (cx + radius * cos(a), cy - radius * sin(a))
        }
        func arc(_ from: Int, _ to: Int, color: String) -> String {
            let (x0, y0) = point(from, radius: r), (x1, y1) = point(to, radius: r)
            return "<path d=\"M \(n(x0)) \(n(y0)) A \(n(r)) \(n(r)) 0 0 1 \(n(x1)) \(n(y1))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(n(stroke))\"/>"
        }
        let title = ReportText.chartGauge(lang)
        var body = ""
        if score == nil {
            body += arc(lo, hi, color: trackColor)
        } else {
            body += arc(lo, threshold, color: "#f2c4c4")
            body += arc(threshold, hi, color: "#bfe3c1")
        }
        // Threshold tick and label.
        let (tx0, ty0) = point(threshold, radius: r - stroke / 2 - 6), (tx1, ty1) = point(threshold, radius: r + stroke / 2 + 6)
        body += "<line x1=\"\(n(tx0))\" y1=\"\(n(ty0))\" x2=\"\(n(tx1))\" y2=\"\(n(ty1))\" stroke=\"\(inkColor)\" stroke-width=\"3\"/>"
        let (lx, ly) = point(threshold, radius: r + stroke / 2 + 18)
        body += text(x: lx, y: ly, "\(threshold)", size: 12, anchor: "middle", weight: "bold")
        body += text(x: lx, y: ly - 14, "CMMC", size: 10, anchor: "middle")
        // Scale ends.
        body += text(x: cx - r, y: cy + 32, "\(ReportValue.deduction(-lo))", size: 12, anchor: "middle")
        body += text(x: cx + r, y: cy + 32, "\(hi)", size: 12, anchor: "middle")
        if let score {
            let (nx, ny) = point(score, radius: r - stroke / 2 - 10)
            let color = score >= threshold ? metColor : notMetColor
            body += "<line x1=\"\(n(cx))\" y1=\"\(n(cy))\" x2=\"\(n(nx))\" y2=\"\(n(ny))\" stroke=\"\(inkColor)\" stroke-width=\"4\" stroke-linecap=\"round\"/>"
            body += "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"7\" fill=\"\(inkColor)\"/>"
            body += text(x: cx, y: cy - 44, ReportValue.score(score), size: 28, anchor: "middle", weight: "bold", color: color)
        } else {
            body += text(x: cx, y: cy - 44, ReportText.noScore(lang), size: 24, anchor: "middle", weight: "bold",
                         color: "#616161")
        }
        body += text(x: cx, y: cy + 34, "\(ReportText.threshold(lang)): \(threshold)", size: 11, anchor: "middle")
        return svg(id: id, width: w, height: h, title: title,
                   desc: ReportText.gaugeDescription(score: score, lang: lang), body: body)
    }

    // MARK: (2) Families

    /// Horizontal stacked bars, one per family, on a common scale (the largest family fills the width).
    public static func familyBars(_ rows: [FamilyRow], language lang: Language, id: String = "chart-families") -> String {
        let fontSize = 11.0
        let labelWidth = min(280, (rows.map { textWidth($0.label, size: fontSize) }.max() ?? 60) + 12)
        let barWidth = 300.0, rowHeight = 22.0, barHeight = 14.0, top = 40.0
        let w = labelWidth + barWidth + 70, h = top + rowHeight * Double(rows.count) + 10
        let maxTotal = max(1, rows.map(\.total).max() ?? 1)
        let unit = barWidth / Double(maxTotal)
        var body = legend([(metColor, ReportText.metOrNA(lang)), (notMetColor, ReportText.notMet(lang)),
                           (notAssessedColor, ReportText.notAssessed(lang))], x: 4, y: 14)
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            body += text(x: labelWidth - 8, y: y + barHeight - 3, row.label, size: fontSize, anchor: "end")
            var x = labelWidth
            for (count, color) in [(row.met, metColor), (row.notMet, notMetColor), (row.notAssessed, notAssessedColor)]
            where count > 0 {
                let width = Double(count) * unit
                body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(barHeight))\" fill=\"\(color)\"/>"
                x += width
            }
            body += text(x: x + 6, y: y + barHeight - 3, "\(row.met)/\(row.total)", size: fontSize, anchor: "start")
        }
        let met = rows.reduce(0) { $0 + $1.met }, notMet = rows.reduce(0) { $0 + $1.notMet }
        let notAssessed = rows.reduce(0) { $0 + $1.notAssessed }
        return svg(id: id, width: w, height: h, title: ReportText.chartFamilies(lang),
                   desc: ReportText.familiesDescription(families: rows.count, met: met, notMet: notMet,
                                                        notAssessed: notAssessed, lang: lang), body: body)
    }

    // MARK: (3) CSF 2.0 coverage

    /// One bar per CSF 2.0 function: the percentage of the requirements mapped to it that are met.
    public static func csfCoverage(_ rows: [CoverageRow], language lang: Language, id: String = "chart-csf") -> String {
        let fontSize = 12.0
        let labelWidth = min(220, (rows.map { textWidth($0.label, size: fontSize) }.max() ?? 60) + 12)
        let barWidth = 300.0, rowHeight = 26.0, barHeight = 16.0, top = 12.0
        let w = labelWidth + barWidth + 130, h = top + rowHeight * Double(rows.count) + 8
        var body = ""
        var parts: [String] = []
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            body += text(x: labelWidth - 8, y: y + barHeight - 4, row.label, size: fontSize, anchor: "end")
            body += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(barWidth))\" height=\"\(n(barHeight))\" fill=\"\(trackColor)\"/>"
            let value: String
            if row.total == 0 {
                value = ReportText.noMapped(lang)
            } else {
                let pct = ReportValue.percent(row.met, of: row.total)
                let width = barWidth * Double(row.met) / Double(row.total)
                if width > 0 {
                    body += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(barHeight))\" fill=\"\(metColor)\"/>"
                }
                value = "\(pct)% (\(row.met)/\(row.total))"
            }
            body += text(x: labelWidth + barWidth + 6, y: y + barHeight - 4, value, size: fontSize, anchor: "start")
            parts.append("\(row.label) \(value)")
        }
        return svg(id: id, width: w, height: h, title: ReportText.chartCSF(lang),
                   desc: ReportText.csfDescription(parts, lang: lang), body: body)
    }

    // MARK: Drawing helpers

    static func svg(id: String, width: Double, height: Double, title: String, desc: String, body: String) -> String {
        let id = Markup.escape(id)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "font-family=\"\(fontFamily)\" fill=\"\(inkColor)\">"
            + "<title id=\"\(id)-title\">\(Markup.escape(title))</title>"
            + "<desc id=\"\(id)-desc\">\(Markup.escape(desc))</desc>"
            + body + "</svg>"
    }

    static func text(x: Double, y: Double, _ s: String, size: Double, anchor: String, weight: String? = nil,
                     color: String? = nil) -> String {
        var attrs = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\""
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if let color { attrs += " fill=\"\(color)\"" }
        return "<text \(attrs)>\(Markup.escape(s))</text>"
    }

    static func legend(_ items: [(color: String, label: String)], x: Double, y: Double) -> String {
        var out = ""
        var cursor = x
        for item in items {
            out += "<rect x=\"\(n(cursor))\" y=\"\(n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
            out += text(x: cursor + 16, y: y, item.label, size: 11, anchor: "start")
            cursor += 16 + textWidth(item.label, size: 11) + 18
        }
        return out
    }

    /// A rough width for laying out labels: East Asian wide characters are one em, others about 0.6 em.
    static func textWidth(_ s: String, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { w, u in
            let wide = (0x1100...0x115F).contains(u.value) || (0x2E80...0xA4CF).contains(u.value)
                || (0xAC00...0xD7A3).contains(u.value) || (0xF900...0xFAFF).contains(u.value)
                || (0xFE30...0xFE4F).contains(u.value) || (0xFF00...0xFF60).contains(u.value)
                || (0xFFE0...0xFFE6).contains(u.value)
            return w + (wide ? size : size * 0.6)
        }
    }

    /// Fixed-point number text with at most two decimals and no locale, exponent or negative zero.
    static func n(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let m = abs(hundredths)
        let whole = m / 100, frac = m % 100
        if frac == 0 { return "\(sign)\(whole)" }
        if frac % 10 == 0 { return "\(sign)\(whole).\(frac / 10)" }
        return "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}
