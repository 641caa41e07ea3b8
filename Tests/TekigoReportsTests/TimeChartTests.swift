import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TekigoCore
@testable import TekigoReports

@Suite("Time charts (SPRS score history, POA&M burndown)")
struct TimeChartTests {
    static func day(_ s: String) -> Day { Day(s)! }

    /// One of each kind the burndown has to tell apart. Sampled from 2026-01-01 to 2026-02-01, the days are
    /// 01-01, 01-08, 01-15, 01-22, 01-29 (every 7 days) and 02-01 (the end itself).
    static let items: [POAMItem] = [
        // A: completed on 01-15 (closed from that day on), planned for 01-08.
        POAMItem(requirement: "3.1.1", weakness: "A", status: .completed, scheduledCompletion: day("2026-01-08"),
                 completedOn: day("2026-01-15")),
        // B: completed with no date (closed from the start), planned before the range.
        POAMItem(requirement: "3.1.2", weakness: "B", status: .completed, scheduledCompletion: day("2025-12-20")),
        // C: open with a scheduled date (01-22), which wins over its later milestone.
        POAMItem(requirement: "3.1.3", weakness: "C",
                 milestones: [Milestone(description: "m", due: day("2026-02-15"))],
                 status: .open, scheduledCompletion: day("2026-01-22")),
        // D: in progress with milestones only; the last one (01-30) is its planned completion.
        POAMItem(requirement: "3.1.4", weakness: "D",
                 milestones: [Milestone(description: "m1", due: day("2026-01-05"), done: true),
                              Milestone(description: "m2", due: day("2026-01-30"))],
                 status: .inProgress),
        // E: open with no date at all: open in the plan too, always.
        POAMItem(requirement: "3.1.5", weakness: "E"),
    ]

    // MARK: Burndown counts

    @Test("Burndown samples every 7 days from the start and the end itself, with actual and planned counts worked by hand")
    func burndownCounts() {
        let (actual, planned) = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-01"), to: Self.day("2026-02-01"))
        let days = ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29", "2026-02-01"].map(Self.day)
        #expect(actual.map(\.day) == days)
        #expect(planned.map(\.day) == days)
        // Actual: B is closed throughout (completed, no date); A is open until its completedOn 01-15 (closed that day);
        // C, D and E are never completed.
        //   01-01 A C D E = 4 · 01-08 A C D E = 4 · 01-15 C D E = 3 · 01-22 = 3 · 01-29 = 3 · 02-01 = 3
        #expect(actual.map(\.open) == [4, 4, 3, 3, 3, 3])
        // Planned: open while the planned date is after the day, or with no date.
        //   A (01-08) open on 01-01 only; B (2025-12-20) never; C (01-22) open through 01-15; D (01-30) open
        //   through 01-29; E always.
        //   01-01 A C D E = 4 · 01-08 C D E = 3 · 01-15 C D E = 3 · 01-22 D E = 2 · 01-29 D E = 2 · 02-01 E = 1
        #expect(planned.map(\.open) == [4, 3, 3, 2, 2, 1])
    }

    @Test("Burndown: an end on a 7-day step is not repeated; a one-day range has one point; an end before the start has none")
    func burndownRanges() {
        let onStep = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-01"), to: Self.day("2026-01-29"))
        #expect(onStep.actual.map(\.day.description) == ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29"])
        let one = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-15"), to: Self.day("2026-01-15"))
        #expect(one.actual == [SVGCharts.BurndownPoint(day: Self.day("2026-01-15"), open: 3)])
        #expect(one.planned == [SVGCharts.BurndownPoint(day: Self.day("2026-01-15"), open: 3)])
        let none = SVGCharts.burndown(items: Self.items, from: Self.day("2026-02-01"), to: Self.day("2026-01-01"))
        #expect(none.actual.isEmpty && none.planned.isEmpty)
        // Across a month end the step is still 7 calendar days.
        let feb = SVGCharts.burndown(items: [], from: Self.day("2026-02-22"), to: Self.day("2026-03-10"))
        #expect(feb.actual.map(\.day.description) == ["2026-02-22", "2026-03-01", "2026-03-08", "2026-03-10"])
        #expect(feb.actual.allSatisfy { $0.open == 0 } && feb.planned.allSatisfy { $0.open == 0 })
    }

    // MARK: Score history

    static let history = [
        SVGCharts.ScorePoint(day: day("2026-01-11"), score: 0),
        SVGCharts.ScorePoint(day: day("2026-01-01"), score: 62),
        SVGCharts.ScorePoint(day: day("2026-01-31"), score: 95),
    ]

    @Test("History: the CMMC threshold is a dashed line at the y position for 88, labelled, on the fixed −203…110 scale")
    func thresholdLine() throws {
        let svg = SVGCharts.scoreHistory(Self.history, language: .en)
        // Plot area top 28, height 220, scale 110 … −203 (313 points): y(88) = 28 + 220 × 22 / 313 = 43.4633 → 43.46.
        #expect(svg.contains("<line x1=\"60\" y1=\"43.46\" x2=\"468\" y2=\"43.46\" stroke=\"#212121\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"))
        #expect(SVGCharts.n(SVGCharts.historyY(88)) == "43.46")
        // The other gridlines: 110 at the top (28), 0 at 28 + 220 × 110 / 313 = 105.32, −203 at the bottom (248).
        #expect(SVGCharts.historyY(110) == 28 && SVGCharts.historyY(-203) == 248)
        #expect(svg.contains("y1=\"105.32\" x2=\"468\" y2=\"105.32\""))
        for label in ["−203", "−100", "0", "88", "110"] { #expect(svg.contains(">\(label)</text>"), "\(label)") }
        #expect(svg.contains(">CMMC conditional threshold 88</text>"))
        // Only the threshold is dashed (no line is drawn for the score series with a dash).
        #expect(svg.components(separatedBy: "stroke-dasharray").count - 1 == 1)
        try Self.parse(svg)
    }

    @Test("History: points are placed by date between the first and last, circles coloured by the threshold, last one labelled")
    func historyPlacement() throws {
        let svg = SVGCharts.scoreHistory(Self.history, language: .en)
        // x from 60 to 468 over 30 days: 01-01 → 60, 01-11 → 60 + 408 × 10 / 30 = 196, 01-31 → 468.
        // y: 62 → 28 + 220 × 48 / 313 = 61.74; 0 → 105.32; 95 → 28 + 220 × 15 / 313 = 38.54.
        #expect(svg.contains("<polyline points=\"60,61.74 196,105.32 468,38.54\""))
        #expect(svg.contains("<circle cx=\"60\" cy=\"61.74\" r=\"4\" fill=\"\(SVGCharts.notMetColor)\"/>"))
        #expect(svg.contains("<circle cx=\"196\" cy=\"105.32\" r=\"4\" fill=\"\(SVGCharts.notMetColor)\"/>"))
        #expect(svg.contains("<circle cx=\"468\" cy=\"38.54\" r=\"4\" fill=\"\(SVGCharts.metColor)\"/>"))
        // The last point's score to its right (468 + 8, 38.54 + 4), and the first and last dates under the axis.
        #expect(svg.contains("<text x=\"476\" y=\"42.54\" font-size=\"12\" text-anchor=\"start\" font-weight=\"bold\">95</text>"))
        #expect(svg.contains(">2026-01-01</text>") && svg.contains(">2026-01-31</text>"))
        #expect(!svg.contains(">2026-01-11</text>"))
        // The order of the input does not matter; the output is the same every time.
        #expect(svg == SVGCharts.scoreHistory(Self.history.reversed(), language: .en))
        #expect(svg == SVGCharts.scoreHistory(Self.history, language: .en))
        // The description summarises the first and last scores and dates.
        #expect(svg.contains("<desc id=\"chart-history-desc\">SPRS score over 3 records: first 62 on 2026-01-01, latest 95 on 2026-01-31 (at or above the threshold)."))
        // Out-of-scale scores stay on the chart, labelled with their value.
        let wild = SVGCharts.scoreHistory([SVGCharts.ScorePoint(day: Self.day("2026-01-01"), score: 500),
                                           SVGCharts.ScorePoint(day: Self.day("2026-01-02"), score: -500)], language: .en)
        #expect(wild.contains("cy=\"28\"") && wild.contains("cy=\"248\"") && wild.contains(">−500</text>"))
        try Self.parse(svg)
        try Self.parse(wild)
    }

    @Test("History with no points is an empty chart saying there is no history yet; one point is centred; no NaN or infinity")
    func historyEdgeCases() throws {
        let empty = SVGCharts.scoreHistory([], language: .en)
        #expect(empty.contains(">No history yet</text>"))
        #expect(empty.contains("<desc id=\"chart-history-desc\">No SPRS score history yet."))
        #expect(!empty.contains("<circle") && !empty.contains("<polyline"))
        let one = SVGCharts.scoreHistory([SVGCharts.ScorePoint(day: Self.day("2026-03-03"), score: 88)], language: .en)
        // Centre of 60…468 is 264; y(88) is 43.46.
        #expect(one.contains("<circle cx=\"264\" cy=\"43.46\" r=\"4\" fill=\"\(SVGCharts.metColor)\"/>"))
        #expect(!one.contains("<polyline"))
        #expect(one.components(separatedBy: ">2026-03-03</text>").count - 1 == 1)
        #expect(one.contains("One SPRS score recorded: 88 on 2026-03-03 (at or above the threshold)."))
        // Several records on the same day: no zero-width division either.
        let sameDay = SVGCharts.scoreHistory([SVGCharts.ScorePoint(day: Self.day("2026-03-03"), score: 10),
                                              SVGCharts.ScorePoint(day: Self.day("2026-03-03"), score: 20)], language: .ja)
        for svg in [empty, one, sameDay] {
            Self.expectFinite(svg)
            try Self.parse(svg)
        }
    }

    // MARK: Burndown chart

    @Test("Burndown chart: planned dashed, actual solid, y from 0 to the largest count, legend, words in the description")
    func burndownChart() throws {
        let (actual, planned) = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-01"), to: Self.day("2026-02-01"))
        let svg = SVGCharts.poamBurndown(actual: actual, planned: planned, language: .en)
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("<title id=\"chart-burndown-title\">POA&amp;M burndown (open items)</title>"))
        #expect(svg.contains("<desc id=\"chart-burndown-desc\">Open POA&amp;M items by week from 2026-01-01 to 2026-02-01 (planned dashed): 4 at the start, 3 open on 2026-02-01 against 1 planned.</desc>"))
        #expect(svg.contains(">Open (actual)</text>") && svg.contains(">Open (planned)</text>"))
        // Max count 4: gridlines at 0 (y 226), 2 (226 − 190 × 2/4 = 131) and 4 (36).
        for (label, y) in [("0", "226"), ("2", "131"), ("4", "36")] {
            #expect(svg.contains("y1=\"\(y)\" x2=\"468\" y2=\"\(y)\""), "\(label)")
            #expect(svg.contains(">\(label)</text>"), "\(label)")
        }
        // x from 48 to 468 over 31 days. Planned: 4, 3, 3, 2, 2, 1 → y 36, 83.5, 83.5, 131, 131, 178.5;
        // x 48, 48 + 420 × 7/31 = 142.84, 237.68, 332.52, 427.35, 468.
        #expect(svg.contains("<polyline points=\"48,36 142.84,83.5 237.68,83.5 332.52,131 427.35,131 468,178.5\" fill=\"none\" stroke=\"\(SVGCharts.plannedColor)\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-dasharray=\"6 4\"/>"))
        // Actual: 4, 4, 3, 3, 3, 3, solid.
        #expect(svg.contains("<polyline points=\"48,36 142.84,36 237.68,83.5 332.52,83.5 427.35,83.5 468,83.5\" fill=\"none\" stroke=\"\(SVGCharts.lineColor)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"))
        #expect(svg.contains(">2026-01-01</text>") && svg.contains(">2026-02-01</text>"))
        #expect(svg == SVGCharts.poamBurndown(actual: actual.reversed(), planned: planned, language: .en))
        Self.expectFinite(svg)
        try Self.parse(svg)
    }

    @Test("Burndown chart with no points, one point, or all zero renders without NaN or infinity")
    func burndownEdgeCases() throws {
        let empty = SVGCharts.poamBurndown(actual: [], planned: [], language: .en)
        #expect(empty.contains(">No history yet</text>") && empty.contains("No POA&amp;M burndown data yet."))
        let oneDay = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-15"), to: Self.day("2026-01-15"))
        let one = SVGCharts.poamBurndown(actual: oneDay.actual, planned: oneDay.planned, language: .en)
        // One day: centred at (48 + 468) / 2 = 258, y for 3 of 3 is the top (36).
        #expect(one.contains("<circle cx=\"258\" cy=\"36\" r=\"3\""))
        let zeros = SVGCharts.burndown(items: [], from: Self.day("2026-01-01"), to: Self.day("2026-01-20"))
        let flat = SVGCharts.poamBurndown(actual: zeros.actual, planned: zeros.planned, language: .en)
        #expect(flat.contains(">0</text>") && flat.contains(">1</text>"))  // the scale is at least 0…1
        for svg in [empty, one, flat] {
            Self.expectFinite(svg)
            try Self.parse(svg)
        }
    }

    // MARK: Language, escaping, self-containment

    @Test("Japanese titles, legend and descriptions when the language is .ja")
    func japanese() throws {
        let history = SVGCharts.scoreHistory(Self.history, language: .ja)
        #expect(history.contains("<title id=\"chart-history-title\">SPRS スコアの推移</title>"))
        #expect(history.contains("最初は 2026-01-01 に 62、最新は 2026-01-31 に 95（基準以上）"))
        #expect(history.contains(">CMMC 条件付き基準 88</text>"))
        #expect(SVGCharts.scoreHistory([], language: .ja).contains(">履歴はまだない</text>"))
        let (actual, planned) = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-01"), to: Self.day("2026-02-01"))
        let burndown = SVGCharts.poamBurndown(actual: actual, planned: planned, language: .ja)
        #expect(burndown.contains("<title id=\"chart-burndown-title\">是正計画の未完了項目の推移</title>"))
        #expect(burndown.contains(">未完了（実績）</text>") && burndown.contains(">未完了（計画）</text>"))
        #expect(burndown.contains("開始時 4 件、2026-02-01 時点で 3 件（計画では 1 件）"))
        // Every new label has both languages and they differ.
        for f in [ReportText.chartScoreHistory, ReportText.chartBurndown, ReportText.burndownActual,
                  ReportText.burndownPlanned, ReportText.noHistory] {
            #expect(!f(.ja).isEmpty && !f(.en).isEmpty && f(.ja) != f(.en))
        }
        try Self.parse(history)
        try Self.parse(burndown)
    }

    @Test("Time charts are accessible images with no scripts or external references, and escape a hostile id")
    func selfContained() throws {
        let (actual, planned) = SVGCharts.burndown(items: Self.items, from: Self.day("2026-01-01"), to: Self.day("2026-02-01"))
        let charts = [SVGCharts.scoreHistory(Self.history, language: .en, id: "h\"<x>&"),
                      SVGCharts.poamBurndown(actual: actual, planned: planned, language: .ja, id: "b\"<x>&")]
        for svg in charts {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""))
            #expect(svg.contains("aria-labelledby=\""))
            #expect(svg.contains("&quot;&lt;x&gt;&amp;-title"))
            #expect(!svg.contains("<x>"))
            let lower = svg.lowercased()
            for banned in ["<script", "href", "url(", "@import", "<image", "<foreignobject", "onload="] {
                #expect(!lower.contains(banned), "\(banned)")
            }
            try Self.parse(svg)
        }
    }

    // MARK: Helpers

    /// No NaN or infinity anywhere, and every numeric attribute is a finite number.
    static func expectFinite(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lower = svg.lowercased()
        #expect(!lower.contains("nan") && !lower.contains("inf"), sourceLocation: sourceLocation)
        for m in svg.matches(of: /\s(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height)="([^"]*)"/) {
            #expect(Double(String(m.1)).map(\.isFinite) == true, "\(m.0)", sourceLocation: sourceLocation)
        }
        for m in svg.matches(of: /points="([^"]*)"/) {
            for pair in m.1.split(separator: " ") {
                #expect(pair.split(separator: ",").count == 2
                        && pair.split(separator: ",").allSatisfy { Double(String($0))?.isFinite == true },
                        "\(pair)", sourceLocation: sourceLocation)
            }
        }
    }

    final class ErrorCollector: NSObject, XMLParserDelegate {
        var error: (any Error)?
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = error ?? parseError }
    }

    /// Fails the test when FoundationXML's `XMLParser` reports the markup is not well-formed (on Linux `parse()` can
    /// return true after reporting an error, so the delegate's error and `parserError` count too).
    static func parse(_ markup: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let parser = XMLParser(data: Data(markup.utf8))
        let collector = ErrorCollector()
        parser.delegate = collector
        let ok = parser.parse()
        let error = collector.error ?? parser.parserError
        #expect(ok && error == nil, "XML parse failed: \(String(describing: error)) at line \(parser.lineNumber)",
                sourceLocation: sourceLocation)
    }
}
