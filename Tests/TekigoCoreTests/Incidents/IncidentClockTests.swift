import Foundation
import Testing
@testable import TekigoCore

@Suite("Incident clocks")
struct IncidentClockTests {
    func instant(_ s: String) -> Date { try! OffsetInstant.parse(s).date }
    func local(_ date: Date, _ zone: String) -> String { OffsetInstant.format(date, in: TimeZone(identifier: zone)!) }

    func dfars(_ discovered: String, submissions: [SubmissionFact] = [], now: String) -> [IncidentDeadline] {
        IncidentClock.deadlines(clauses: [.dfars7012], discoveredAt: instant(discovered), submissions: submissions, now: instant(now))
    }

    @Test("DFARS 252.204-7012(a): report within 72 hours of discovery — the offset of the written time decides the instant")
    func seventyTwoHoursFromDiscovery() {
        let d = dfars("2026-12-05T02:13:00+09:00", now: "2026-12-05T03:13:00+09:00")
        let report = d.first { $0.rule.id == "dfars-7012.report" }!
        #expect(report.due == instant("2026-12-07T17:13:00Z"))
        #expect(local(report.due!, "Asia/Tokyo") == "2026-12-08T02:13:00+09:00")
        #expect(report.state == .open(remaining: 71 * 3600))
        // The same wall time written in Virginia is 14 hours later.
        let virginia = dfars("2026-12-05T02:13:00-05:00", now: "2026-12-05T08:00:00Z").first { $0.rule.id == "dfars-7012.report" }!
        #expect(virginia.due!.timeIntervalSince(report.due!) == 14 * 3600)
    }

    @Test("Every hour counts: across the US change from daylight saving time the deadline is 72 elapsed hours, one more on the wall clock")
    func daylightSavingChange() {
        // 2026-11-01 02:00 EDT → 01:00 EST in America/New_York.
        let d = dfars("2026-10-31T09:00:00-04:00", now: "2026-10-31T10:00:00-04:00").first { $0.rule.id == "dfars-7012.report" }!
        #expect(d.due == instant("2026-11-03T13:00:00Z"))
        #expect(local(d.due!, "America/New_York") == "2026-11-03T08:00:00-05:00")
        // Spring forward (2027-03-14): the wall clock shows one hour more.
        let spring = dfars("2027-03-13T12:00:00-05:00", now: "2027-03-13T12:00:00-05:00").first { $0.rule.id == "dfars-7012.report" }!
        #expect(local(spring.due!, "America/New_York") == "2027-03-16T13:00:00-04:00")
    }

    @Test("Month and year ends roll over; weekends and holidays do not stop the clock (New Year in Japan)")
    func monthEnds() {
        let d = dfars("2026-12-30T22:00:00+09:00", now: "2026-12-30T22:00:00+09:00").first { $0.rule.id == "dfars-7012.report" }!
        #expect(local(d.due!, "Asia/Tokyo") == "2027-01-02T22:00:00+09:00")
        let feb = dfars("2028-02-27T12:00:00Z", now: "2028-02-27T12:00:00Z").first { $0.rule.id == "dfars-7012.report" }!
        #expect(local(feb.due!, "UTC") == "2028-03-01T12:00:00Z")  // 2028 is a leap year: 29 February counts
    }

    @Test("Met, late and overdue: a DoD initial report meets the 72-hour clock; none by the deadline is overdue")
    func metAndOverdue() {
        let discovered = "2026-12-01T00:00:00Z"
        let overdue = dfars(discovered, now: "2026-12-04T01:30:00Z").first { $0.rule.id == "dfars-7012.report" }!
        #expect(overdue.state == .overdue(by: 5400))
        let onTime = SubmissionFact(kind: .dodInitial, submittedAt: instant("2026-12-03T23:00:00Z"))
        let met = dfars(discovered, submissions: [onTime], now: "2026-12-10T00:00:00Z").first { $0.rule.id == "dfars-7012.report" }!
        #expect(met.state == .met(at: onTime.submittedAt, late: false))
        let late = SubmissionFact(kind: .dodInitial, submittedAt: instant("2026-12-04T00:00:01Z"))
        let metLate = dfars(discovered, submissions: [late], now: "2026-12-10T00:00:00Z").first { $0.rule.id == "dfars-7012.report" }!
        #expect(metLate.state == .met(at: late.submittedAt, late: true))
        // A voluntary report does not meet the initial-report clock.
        let voluntary = SubmissionFact(kind: .dodVoluntary, submittedAt: instant("2026-12-02T00:00:00Z"))
        #expect(dfars(discovered, submissions: [voluntary], now: "2026-12-05T00:00:00Z").first { $0.rule.id == "dfars-7012.report" }!.isOverdue)
    }

    @Test("DFARS 252.204-7012(e): images kept at least 90 days from the report's submission, not from discovery")
    func preservationHold() {
        let discovered = "2026-12-01T00:00:00Z"
        let before = dfars(discovered, now: "2026-12-02T00:00:00Z").first { $0.rule.id == "dfars-7012.preserve" }!
        #expect(before.state == .notStarted && before.due == nil)
        let report = SubmissionFact(kind: .dodInitial, submittedAt: instant("2026-12-03T10:00:00+09:00"))
        let hold = dfars(discovered, submissions: [report], now: "2026-12-04T00:00:00Z").first { $0.rule.id == "dfars-7012.preserve" }!
        #expect(hold.due == instant("2027-03-03T10:00:00+09:00"))
        if case .holding = hold.state {} else { Issue.record("the hold should be running: \(hold.state)") }
        let after = dfars(discovered, submissions: [report], now: "2027-03-03T10:00:00+09:00").first { $0.rule.id == "dfars-7012.preserve" }!
        #expect(after.state == .elapsed)
    }

    @Test("Which regimes apply follows from the affected contracts' clauses; the MOD hours are settings, DFARS 72 is not")
    func regimesFromClauses() {
        let at = instant("2026-12-05T02:00:00+09:00")
        #expect(IncidentClock.deadlines(clauses: [.dfars7019], discoveredAt: at, submissions: [], now: at).isEmpty)
        let mod = IncidentClock.deadlines(clauses: [.japaneseStandard], discoveredAt: at, submissions: [], now: at)
        #expect(mod.map(\.rule.id) == ["mod.first-report", "mod.detail-report"])
        let allSettings = mod.allSatisfy { $0.rule.setting }
        #expect(allSettings)
        #expect(mod[0].due == at.addingTimeInterval(3600))
        let set = IncidentClock.deadlines(clauses: [.japaneseStandard, .dfars7012], discoveredAt: at, submissions: [],
                                          hourSettings: ["mod.first-report": 2, "dfars-7012.report": 24], now: at)
        #expect(set.first { $0.rule.id == "mod.first-report" }!.hours == 2)
        #expect(set.first { $0.rule.id == "dfars-7012.report" }!.hours == 72)  // the rule, not a setting
        #expect(Set(set.map(\.regime.id)) == ["dfars-252.204-7012", "mod-japan"])
    }

    @Test("Times are written with their offset; one without is refused, naming the fix")
    func offsets() throws {
        #expect(try OffsetInstant.parse("2026-12-05T02:13+09:00").offsetSeconds == 9 * 3600)
        #expect(try OffsetInstant.parse("2026-12-05 02:13:00-0500").offsetSeconds == -5 * 3600)
        let utc = try OffsetInstant.parse("2026-12-04T17:13:00Z"), tokyo = try OffsetInstant.parse("2026-12-05T02:13:00+09:00")
        #expect(utc.date == tokyo.date)
        #expect(throws: IncidentError.instantWithoutOffset("2026-12-05T02:13:00")) { try OffsetInstant.parse("2026-12-05T02:13:00") }
        #expect(throws: IncidentError.malformedInstant("2026-02-30T00:00Z")) { try OffsetInstant.parse("2026-02-30T00:00Z") }
        #expect(throws: IncidentError.malformedInstant("yesterday")) { try OffsetInstant.parse("yesterday") }
        #expect(IncidentError.instantWithoutOffset("x").text.ja.contains("+09:00"))
    }

    @Test("Discovery in the future is refused; a few minutes of clock drift is not")
    func discoveryNotInFuture() throws {
        let now = instant("2026-12-05T12:00:00Z")
        func facts(_ at: Date) throws(IncidentError) -> IncidentFacts {
            try IncidentFacts(title: "Ransomware", discoveredAt: at, discoveredTimeZone: "Asia/Tokyo", discoveredBy: "Takahashi",
                              detectionMethod: .messageFromAttacker, compromiseType: .unauthorizedAccess, outcome: .unknown,
                              information: .noneKnown, recordedAt: now)
        }
        _ = try facts(now.addingTimeInterval(120))
        #expect(throws: IncidentError.discoveredInFuture(now.addingTimeInterval(3600))) { try facts(now.addingTimeInterval(3600)) }
    }

    @Test("SP 800-61 phases move forward, or back to analysing when new evidence appears")
    func phases() {
        #expect(IncidentPhase.detected.canMove(to: .contained))
        #expect(IncidentPhase.closed.canMove(to: .analysing))
        #expect(!IncidentPhase.recovered.canMove(to: .contained))
        #expect(!IncidentPhase.analysing.canMove(to: .analysing))
    }

    @Test("The built-in table is versioned and every rule cites its source")
    func tableIsData() {
        let table = ReportingRegimeTable.builtIn
        #expect(!table.version.isEmpty)
        #expect(table.regimes.flatMap(\.rules).allSatisfy { !$0.source.isEmpty && !$0.label.ja.isEmpty })
        #expect(table.rule("dfars-7012.report")?.hours == 72 && table.rule("dfars-7012.preserve")?.hours == 90 * 24)
        let bad = #"{"version":"x","regimes":[{"id":"r","appliesWithClause":"cmmc","title":{"en":"r","ja":"r"},"rules":[{"id":"a","kind":"deadline","startsAt":"discovery","hours":1,"setting":false,"satisfiedBy":[],"label":{"en":"a","ja":"a"},"source":"s"}]}]}"#
        #expect(throws: (any Error).self) { try ReportingRegimeTable(json: Data(bad.utf8)) }
    }

    @Test("Time left reads in hours and minutes")
    func durationText() {
        #expect(IncidentClock.duration(71 * 3600 + 5 * 60 + 59, .en) == "71 h 05 min")
        #expect(IncidentClock.duration(-90 * 60, .ja) == "1 時間 30 分")
    }

    @Test("ISO 8601 / RFC 3339 instants: written and read by arithmetic, the same as Foundation's formatter for every zone, DST side and century (RFC 3339 §5.6)")
    func instantTextMatchesFoundation() throws {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        let zones = ["UTC", "Asia/Tokyo", "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Kolkata",
                     "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"].map { TimeZone(identifier: $0)! }
        var generator = SystemRandomNumberGenerator()
        // Leap days (2000, 2028), year ends, the US changes of 2026, the 2100 non-leap year, and random instants from
        // 1970 (before the 1900s zones had offsets in seconds, which RFC 3339 cannot write; incidents are not that old).
        var instants: [Double] = [0, 951_782_400, 951_868_799.5, 1_793_491_199, 1_793_491_200, 1_772_953_200, 1_793_512_800,
                                  1_835_395_200, 4_107_542_400, 4_102_444_799]
        instants += (0..<2000).map { _ in Double(Int64.random(in: 0...7_000_000_000, using: &generator)) + 0.75 }
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            for zone in zones {
                reference.timeZone = zone
                let ours = OffsetInstant.format(date, in: zone)
                #expect(ours == reference.string(from: date), "\(t) in \(zone.identifier)")
                let back = try OffsetInstant.parse(ours)
                #expect(back.date == Date(timeIntervalSince1970: t.rounded(.down)) && back.offsetSeconds == zone.secondsFromGMT(for: date))
            }
        }
        #expect(try OffsetInstant.parse("2026-12-05 02:13+0900").date == OffsetInstant.parse("2026-12-04T17:13:00Z").date)
        #expect(try OffsetInstant.parse("2026-12-05T02:13:00.250+09:00").date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0.25)
        for bad in ["2026-02-29T00:00Z", "2026-12-05T24:00Z", "2026-12-05T02:13:00+19:00", "2026-12-05T02:13:00+09:00 ", "2026-12-5T02:13Z",
                    "2026-12-05T02:13:00.+09:00", "２０２６-12-05T02:13Z", "2026-12-05T02:13:00+09:00x"] {
            #expect(throws: IncidentError.self, "\(bad)") { try OffsetInstant.parse(bad + (bad.hasSuffix(" ") ? "x" : "")) }
        }
        #expect(throws: IncidentError.instantWithoutOffset("2026-12-05T02:13:00.5")) { try OffsetInstant.parse("2026-12-05T02:13:00.5") }
    }
}
