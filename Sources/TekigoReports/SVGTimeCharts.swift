import Foundation
import TekigoCore

/// Charts over time: the SPRS score history and the POA&M burndown. Same rules as the other charts: pure functions of
/// their data, `role="img"` with `<title>` and `<desc>`, escaped text, no scripts or external references, and numbers
/// printed with `n(_:)` so the output is byte-for-byte stable.
extension SVGCharts {
    /// One recorded SPRS score.
    public struct ScorePoint: Sendable, Hashable {
        public var day: Day
        public var score: Int

        public init(day: Day, score: Int) {
            self.day = day
            self.score = score
        }
    }

    /// How many POA&M items are open on one day.
    public struct BurndownPoint: Sendable, Hashable {
        public var day: Day
        public var open: Int

        public init(day: Day, open: Int) {
            self.day = day
            self.open = open
        }
    }

    /// The drawing area inside a chart, in SVG user units.
    struct PlotArea: Sendable {
        let left: Double, right: Double, top: Double, bottom: Double
        var height: Double { bottom - top }
    }

    static let historyWidth = 520.0, historyHeight = 290.0
    static let historyArea = PlotArea(left: 60, right: 468, top: 28, bottom: 248)
    /// Gridlines of the history chart: both ends of the SPRS scale, −100, 0 and the CMMC conditional threshold.
    static let historyTicks = [SPRSResult.minimum, -100, 0, CMMCRules.minimumConditionalScore, SPRSResult.maximum]

    static let burndownWidth = 520.0, burndownHeight = 270.0
    static let burndownArea = PlotArea(left: 48, right: 468, top: 36, bottom: 226)

    static let lineColor = "#1565c0"
    static let plannedColor = "#757575"
    static let gridColor = trackColor
    static let axisColor = "#9e9e9e"
    static let mutedColor = "#616161"
    static let dash = "6 4"

    // MARK: (4) SPRS score history

    /// A line chart of the SPRS score over time. The y axis is fixed at −203…110 with the CMMC conditional threshold
    /// (88) dashed; points are placed by date between the first and the last (one point is centred; none draws the
    /// empty axes and says there is no history yet). Scores outside the scale are drawn at its ends.
    public static func scoreHistory(_ points: [ScorePoint], language lang: Language, id: String = "chart-history") -> String {
        let a = historyArea
        let sorted = stableSorted(points, by: \.day)
        let threshold = CMMCRules.minimumConditionalScore
        var body = ""
        for tick in historyTicks {
            let y = historyY(tick)
            if tick == threshold {
                body += hline(y, area: a, color: inkColor, width: 1.5, dashed: true)
                body += text(x: a.left + 4, y: y - 4, "\(ReportText.threshold(lang)) \(threshold)", size: 10, anchor: "start")
            } else {
                body += hline(y, area: a, color: tick == SPRSResult.minimum ? axisColor : gridColor, width: 1, dashed: false)
            }
            body += text(x: a.left - 6, y: y + 4, signed(tick), size: 11, anchor: "end",
                         weight: tick == threshold ? "bold" : nil)
        }
        body += "<line x1=\"\(n(a.left))\" y1=\"\(n(a.top))\" x2=\"\(n(a.left))\" y2=\"\(n(a.bottom))\" stroke=\"\(axisColor)\" stroke-width=\"1\"/>"
        if let first = sorted.first, let last = sorted.last {
            let xy = sorted.map { (timeX($0.day, first: first.day, last: last.day, area: a), historyY($0.score)) }
            if xy.count > 1 { body += polyline(xy, color: lineColor, dashed: false) }
            for (p, (x, y)) in zip(sorted, xy) {
                body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4\" fill=\"\(p.score >= threshold ? metColor : notMetColor)\"/>"
            }
            let (lx, ly) = xy[xy.count - 1]
            body += text(x: lx + 8, y: ly + 4, signed(last.score), size: 12, anchor: "start", weight: "bold")
            body += dateLabels(first: first.day, last: last.day, area: a)
        } else {
            body += text(x: (a.left + a.right) / 2, y: a.top + a.height / 2 + 5, ReportText.noHistory(lang), size: 14,
                         anchor: "middle", color: mutedColor)
        }
        return svg(id: id, width: historyWidth, height: historyHeight, title: ReportText.chartScoreHistory(lang),
                   desc: ReportText.historyDescription(count: sorted.count, first: sorted.first, last: sorted.last,
                                                       lang: lang), body: body)
    }

    /// The y position of a score on the history chart (clamped to the scale).
    static func historyY(_ score: Int) -> Double {
        let lo = SPRSResult.minimum, hi = SPRSResult.maximum
        let c = min(max(score, lo), hi)
        return historyArea.top + historyArea.height * Double(hi - c) / Double(hi - lo)
    }

    // MARK: (5) POA&M burndown

    /// Open POA&M items every 7 days from `start` through `end`, and on `end` itself (empty when `end` is before
    /// `start`).
    ///
    /// - `actual`: items not yet closed that day. An item closes on its `completedOn`; an item whose status is
    ///   `.completed` with no `completedOn` counts as closed from the start.
    /// - `planned`: items whose `plannedCompletion` (scheduled completion, else the last milestone) is after that day,
    ///   or that have no planned date at all.
    public static func burndown(items: [POAMItem], from start: Day, to end: Day)
        -> (actual: [BurndownPoint], planned: [BurndownPoint]) {
        guard start <= end else { return ([], []) }
        var days: [Day] = []
        var day = start
        while day <= end {
            days.append(day)
            day = day.adding(days: 7)
        }
        if days.last != end { days.append(end) }
        func closed(_ item: POAMItem, on d: Day) -> Bool {
            if let done = item.completedOn { return done <= d }
            return item.status == .completed
        }
        func plannedOpen(_ item: POAMItem, on d: Day) -> Bool {
            guard let planned = item.plannedCompletion else { return true }
            return planned > d
        }
        let actual = days.map { d in BurndownPoint(day: d, open: items.filter { !closed($0, on: d) }.count) }
        let planned = days.map { d in BurndownPoint(day: d, open: items.filter { plannedOpen($0, on: d) }.count) }
        return (actual, planned)
    }

    /// The actual and planned open-item counts as two lines (planned dashed) on a common date axis, y from 0 to the
    /// largest count, with a legend.
    public static func poamBurndown(actual: [BurndownPoint], planned: [BurndownPoint], language lang: Language,
                                    id: String = "chart-burndown") -> String {
        let a = burndownArea
        let actual = stableSorted(actual, by: \.day), planned = stableSorted(planned, by: \.day)
        let maxOpen = max(1, (actual + planned).map(\.open).max() ?? 1)
        func y(_ open: Int) -> Double { a.bottom - a.height * Double(min(max(open, 0), maxOpen)) / Double(maxOpen) }
        var body = legend([(lineColor, ReportText.burndownActual(lang)), (plannedColor, ReportText.burndownPlanned(lang))],
                          x: 4, y: 14)
        var ticks = [0, maxOpen]
        if maxOpen >= 4 { ticks.insert(maxOpen / 2, at: 1) }
        for tick in ticks {
            body += hline(y(tick), area: a, color: tick == 0 ? axisColor : gridColor, width: 1, dashed: false)
            body += text(x: a.left - 6, y: y(tick) + 4, "\(tick)", size: 11, anchor: "end")
        }
        body += "<line x1=\"\(n(a.left))\" y1=\"\(n(a.top))\" x2=\"\(n(a.left))\" y2=\"\(n(a.bottom))\" stroke=\"\(axisColor)\" stroke-width=\"1\"/>"
        let allDays = (actual + planned).map(\.day)
        if let first = allDays.min(), let last = allDays.max() {
            let plannedXY = planned.map { (timeX($0.day, first: first, last: last, area: a), y($0.open)) }
            if plannedXY.count > 1 {
                body += polyline(plannedXY, color: plannedColor, dashed: true)
            } else if let p = plannedXY.first {
                body += "<circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"4\" fill=\"none\" stroke=\"\(plannedColor)\" stroke-width=\"2\"/>"
            }
            let actualXY = actual.map { (timeX($0.day, first: first, last: last, area: a), y($0.open)) }
            if actualXY.count > 1 { body += polyline(actualXY, color: lineColor, dashed: false) }
            for (x, yy) in actualXY {
                body += "<circle cx=\"\(n(x))\" cy=\"\(n(yy))\" r=\"3\" fill=\"\(lineColor)\"/>"
            }
            if let lastPoint = actual.last, let p = actualXY.last {
                body += text(x: p.0 + 8, y: p.1 + 4, "\(lastPoint.open)", size: 12, anchor: "start", weight: "bold")
            }
            body += dateLabels(first: first, last: last, area: a)
        } else {
            body += text(x: (a.left + a.right) / 2, y: a.top + a.height / 2 + 5, ReportText.noHistory(lang), size: 14,
                         anchor: "middle", color: mutedColor)
        }
        return svg(id: id, width: burndownWidth, height: burndownHeight, title: ReportText.chartBurndown(lang),
                   desc: ReportText.burndownDescription(actual: actual, planned: planned, lang: lang), body: body)
    }

    // MARK: Time-axis helpers

    /// Whole days from `a` to `b` (both are UTC midnights, so the division is exact).
    static func daysBetween(_ a: Day, _ b: Day) -> Int {
        Int((b.date.timeIntervalSince(a.date) / 86_400).rounded())
    }

    /// The x position of `day` between `first` (left edge) and `last` (right edge); the centre when they coincide.
    static func timeX(_ day: Day, first: Day, last: Day, area a: PlotArea) -> Double {
        let span = daysBetween(first, last)
        guard span > 0 else { return (a.left + a.right) / 2 }
        return a.left + (a.right - a.left) * Double(daysBetween(first, day)) / Double(span)
    }

    /// Sorted by day, equal days kept in their given order (so the output never depends on the sort algorithm).
    static func stableSorted<T>(_ items: [T], by day: (T) -> Day) -> [T] {
        items.enumerated().sorted { l, r in
            let (dl, dr) = (day(l.element), day(r.element))
            return dl != dr ? dl < dr : l.offset < r.offset
        }.map(\.element)
    }

    /// `−203`: a real minus sign, as the gauge prints its scale.
    static func signed(_ v: Int) -> String { v < 0 ? ReportValue.deduction(-v) : "\(v)" }

    static func hline(_ y: Double, area a: PlotArea, color: String, width: Double, dashed: Bool) -> String {
        "<line x1=\"\(n(a.left))\" y1=\"\(n(y))\" x2=\"\(n(a.right))\" y2=\"\(n(y))\" stroke=\"\(color)\" stroke-width=\"\(n(width))\""
            + (dashed ? " stroke-dasharray=\"\(dash)\"" : "") + "/>"
    }

    static func polyline(_ xy: [(Double, Double)], color: String, dashed: Bool) -> String {
        let points = xy.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        return "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\""
            + (dashed ? " stroke-dasharray=\"\(dash)\"" : "") + "/>"
    }

    /// The first and last dates under the x axis (one label when they are the same day).
    static func dateLabels(first: Day, last: Day, area a: PlotArea) -> String {
        let y = a.bottom + 18
        guard first != last else {
            return text(x: timeX(first, first: first, last: last, area: a), y: y, first.description, size: 11, anchor: "middle")
        }
        return text(x: a.left, y: y, first.description, size: 11, anchor: "middle")
            + text(x: a.right, y: y, last.description, size: 11, anchor: "middle")
    }
}
