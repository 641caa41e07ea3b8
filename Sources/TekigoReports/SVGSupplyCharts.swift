import Foundation
import TekigoCore

/// Charts of a prime's supply-chain roll-up (the web pages' roll-up page). Like the assessment charts: pure functions
/// of their data, `role="img"` with a title and a description, escaped text, stable numbers. The words (title,
/// description, row and series labels) come from the caller, who takes them from its message catalog.
extension SVGCharts {
    /// One series of a stacked chart: its colour and label (shown in the legend).
    public struct Series: Sendable, Hashable {
        public let color: String
        public let label: String

        public init(color: String, label: String) {
            self.color = color
            self.label = label
        }
    }

    /// One row of a stacked chart: its label and one value per series.
    public struct StackedRow: Sendable, Hashable {
        public let label: String
        public let values: [Int]

        public init(label: String, values: [Int]) {
            self.label = label
            self.values = values
        }

        public var total: Int { values.reduce(0, +) }
    }

    /// Colours for the SPRS score buckets, worst to best, and for "no score".
    public static let scoreBucketColors = ["#b71c1c", "#e65100", "#f9a825", "#558b2f", "#1b5e20"]
    public static let noScoreColor = notAssessedColor
    public static let failingColor = notMetColor

    /// Horizontal bars, one per row, each split into its series, on a common scale (the largest row fills the width);
    /// every bar is as wide as its share of the largest row, and its total is written after it.
    public static func stackedRows(_ rows: [StackedRow], series: [Series], title: String, desc: String, id: String) -> String {
        let fontSize = 11.0
        let labelWidth = min(200, (rows.map { textWidth($0.label, size: fontSize) }.max() ?? 40) + 12)
        let barWidth = 260.0, rowHeight = 22.0, barHeight = 14.0
        let legendRows = legendLines(series.map { ($0.color, $0.label) }, width: labelWidth + barWidth + 60)
        let top = 14.0 + 18.0 * Double(legendRows.count) + 6
        let w = labelWidth + barWidth + 60, h = top + rowHeight * Double(max(rows.count, 1)) + 8
        let maxTotal = max(1, rows.map(\.total).max() ?? 1)
        let unit = barWidth / Double(maxTotal)
        var body = ""
        for (i, line) in legendRows.enumerated() { body += legend(line, x: 4, y: 14 + 18 * Double(i)) }
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            body += text(x: labelWidth - 8, y: y + barHeight - 3, row.label, size: fontSize, anchor: "end")
            var x = labelWidth
            for (value, s) in zip(row.values, series) where value > 0 {
                let width = Double(value) * unit
                body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(barHeight))\" fill=\"\(s.color)\"/>"
                x += width
            }
            body += text(x: x + 6, y: y + barHeight - 3, "\(row.total)", size: fontSize, anchor: "start")
        }
        return svg(id: id, width: w, height: h, title: title, desc: desc, body: body)
    }

    /// Horizontal bars of one colour, one per row (label and count), the largest filling the width.
    public static func countBars(_ rows: [(label: String, count: Int)], color: String, title: String, desc: String, id: String) -> String {
        let fontSize = 11.0
        let labelWidth = min(240, (rows.map { textWidth($0.label, size: fontSize) }.max() ?? 40) + 12)
        let barWidth = 240.0, rowHeight = 22.0, barHeight = 14.0, top = 8.0
        let w = labelWidth + barWidth + 60, h = top + rowHeight * Double(max(rows.count, 1)) + 8
        let unit = barWidth / Double(max(1, rows.map(\.count).max() ?? 1))
        var body = ""
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            body += text(x: labelWidth - 8, y: y + barHeight - 3, row.label, size: fontSize, anchor: "end")
            let width = Double(row.count) * unit
            if width > 0 {
                body += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(barHeight))\" fill=\"\(color)\"/>"
            }
            body += text(x: labelWidth + width + 6, y: y + barHeight - 3, "\(row.count)", size: fontSize, anchor: "start")
        }
        return svg(id: id, width: w, height: h, title: title, desc: desc, body: body)
    }

    /// Legend items split into lines that fit `width`.
    static func legendLines(_ items: [(color: String, label: String)], width: Double) -> [[(color: String, label: String)]] {
        var lines: [[(color: String, label: String)]] = [[]]
        var used = 0.0
        for item in items {
            let w = 16 + textWidth(item.label, size: 11) + 18
            if used + w > width, !lines[lines.count - 1].isEmpty {
                lines.append([])
                used = 0
            }
            lines[lines.count - 1].append(item)
            used += w
        }
        return lines
    }
}
