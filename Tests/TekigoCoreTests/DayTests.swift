import Foundation
import Testing
@testable import TekigoCore

@Suite("Day")
struct DayTests {
    @Test("Dates are YYYY-MM-DD with a four-digit year; impossible dates are refused")
    func days() {
        #expect(Day("2026-11-27")?.description == "2026-11-27")
        #expect(Day("2027-02-29") == nil)
        #expect(Day("0683-06-29") == nil)
        #expect(Day("2026-1-5")?.description == "2026-01-05")
        #expect(Day("2026-11-27")!.adding(days: 180).description == "2027-05-26")
    }

    @Test("Validity follows the Gregorian calendar: the same answer as Foundation's Calendar for 1900–2100")
    func sameAsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...31 {
                    var c = DateComponents()
                    c.year = year; c.month = month; c.day = day
                    let expected = calendar.date(from: c).map { calendar.component(.day, from: $0) == day } ?? false
                    #expect((Day(year: year, month: month, day: day) != nil) == expected, "\(year)-\(month)-\(day)")
                }
            }
        }
    }

    @Test("Leap years, month ends and text", arguments: [
        ("2024-02-29", true), ("2000-02-29", true), ("1900-02-29", false), ("2026-02-29", false), ("2026-04-31", false),
        ("2026-12-31", true), ("2026-13-01", false), ("2026-00-10", false), ("0999-01-01", false), ("2026-1-5", true),
        ("26-01-05", false), ("2026-01", false), ("2026-01-05x", false),
    ])
    func text(_ input: String, _ valid: Bool) {
        #expect((Day(input) != nil) == valid, "\(input)")
    }
}
