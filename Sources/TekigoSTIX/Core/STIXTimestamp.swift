import Foundation
import TekigoCore

/// A STIX 2.1 timestamp (§3.2): RFC 3339 in UTC with `Z`, `YYYY-MM-DDThh:mm:ss[.s+]Z`. `created` and `modified`
/// must be precise to the millisecond, so Tekigo writes at least three fraction digits and makes timestamps from a
/// `Date` truncated to the millisecond. Read: any number of fraction digits (others write `.0002Z` or microseconds);
/// they are kept to the nanosecond and written back with 3, 6 or 9 digits. Two timestamps are equal when they name the
/// same instant. Hand-written (integer civil-date arithmetic, no formatter): the pattern is the schema's, and a
/// formatter's locale, calendar or leniency cannot change what is accepted.
public struct STIXTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// 0 ..< 1_000_000_000.
    public let nanoseconds: Int32

    /// `date` truncated to the millisecond (the precision Tekigo publishes).
    public init(_ date: Date) {
        // Through whole microseconds first: 1.002 s as a Double is 1.00199999…, which would truncate to 1.001.
        let micro = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let millis = micro >= 0 ? micro / 1000 : -((-micro + 999) / 1000)
        let s = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
        self.seconds = s
        self.nanoseconds = Int32((millis - s * 1000) * 1_000_000)
    }

    init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Nil unless `text` matches the STIX timestamp pattern and names a real date (no 31 February).
    public init?(_ text: String) {
        let u = Array(text.utf8)
        // YYYY-MM-DDThh:mm:ss = 19 bytes, then an optional fraction, then Z.
        guard u.count >= 20, u.last == UInt8(ascii: "Z") else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                guard (0x30...0x39).contains(u[i]) else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2) else { return nil }
        var nanos: Int64 = 0
        if u.count > 20 {
            // A fraction: '.', at least one digit, up to the 'Z'.
            guard u[19] == UInt8(ascii: "."), u.count > 21 else { return nil }
            let fraction = u[20..<(u.count - 1)]
            guard fraction.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            var scale: Int64 = 100_000_000
            for c in fraction.prefix(9) {
                nanos += Int64(c - 0x30) * scale
                scale /= 10
            }
        }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
              hour < 24, minute < 60, second <= 60 else { return nil }
        let days = Int64(CivilCalendar.days(year: year, month: month, day: day))
        // A leap second (:60) is read as the first instant of the next minute.
        self.seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.nanoseconds = Int32(nanos)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000) }

    /// `2026-12-05T17:13:00.000Z`: three fraction digits, or six or nine when the value has more precision.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = CivilCalendar.date(days: Int(days))
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let fraction: String
        if nanoseconds % 1_000_000 == 0 {
            fraction = pad(Int(nanoseconds / 1_000_000), 3)
        } else if nanoseconds % 1000 == 0 {
            fraction = pad(Int(nanoseconds / 1000), 6)
        } else {
            fraction = pad(Int(nanoseconds), 9)
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2))"
            + ":\(pad(secondOfDay % 60, 2)).\(fraction)Z"
    }

    public static func < (a: STIXTimestamp, b: STIXTimestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = STIXTimestamp(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a STIX timestamp"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
