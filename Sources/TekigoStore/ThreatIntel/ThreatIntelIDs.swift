import Foundation
import TekigoCore

// Typed ids of the sharing hub (migration 14): a community's id cannot be passed where a collection's is expected.
// Each is a lowercased UUID string, like every other id the store creates; `rawValue` is what the tables hold.

/// A sharing community (an ISAC, or one drawn from a prime's supply chain).
public struct SharingCommunityID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// A new random id.
    public static func make() -> Self { Self(UUID().uuidString.lowercased()) }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// A TAXII collection (its id is the collection's id in TAXII URLs).
public struct TAXIICollectionID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func make() -> Self { Self(UUID().uuidString.lowercased()) }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// The status resource of one TAXII POST. The caller chooses it (`make()`) before adding, so a status URL can be
/// named in the same response.
public struct TAXIIStatusID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func make() -> Self { Self(UUID().uuidString.lowercased()) }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// An instant to the microsecond, exactly (an integer count since 1970-01-01T00:00:00Z, never a floating-point
/// `Date` on the way): what TAXII's `date_added`, `added_after` and the stored versions are compared by. Its `text`
/// is RFC 3339 in UTC with six fractional digits (`2026-12-06T17:31:48.123456Z`), fixed width, so text order is time
/// order on every engine.
public struct MicrosecondInstant: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The nearest microsecond to `date` (a `Date` read from microsecond text comes back to the same microsecond).
    public init(_ date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func now() -> MicrosecondInstant { MicrosecondInstant(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public static func < (a: Self, b: Self) -> Bool { a.microseconds < b.microseconds }

    public func adding(microseconds n: Int64) -> MicrosecondInstant { MicrosecondInstant(microseconds: microseconds + n) }

    public var description: String { text }

    /// Reads an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any length (digits past the
    /// sixth are dropped: the instant is floored to the microsecond), then `Z` or a `±HH:MM` offset, which is
    /// applied. Nil for anything else (a date alone, a missing zone, a day that does not exist).
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                let c = b[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ set: [UInt8]) -> Bool {
            guard i < b.count, set.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect([0x2D]), let month = digits(2), expect([0x2D]), let day = digits(2),
              expect([0x54, 0x74]), let hour = digits(2), expect([0x3A]), let minute = digits(2), expect([0x3A]),
              let second = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year), hour <= 23, minute <= 59,
              second <= 60 else { return nil }
        var micros = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var n = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if n < 6 { micros = micros * 10 + Int(b[i] - 0x30) }
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in Swift.min(n, 6)..<6 { micros *= 10 }
        }
        var offsetMinutes = 0
        if expect([0x5A, 0x7A]) {
            offsetMinutes = 0
        } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2), expect([0x3A]), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // A leap second (:60) is read as the last microsecond of its minute.
        let leap = second == 60
        let seconds = Int64(CivilCalendar.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + (leap ? 59 : second))
            - Int64(offsetMinutes * 60)
        microseconds = seconds * 1_000_000 + Int64(leap ? 999_999 : micros)
    }

    /// `2026-12-06T17:31:48.123456Z`.
    public var text: String {
        var seconds = microseconds / 1_000_000
        var micros = microseconds % 1_000_000
        if micros < 0 { micros += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = CivilCalendar.date(days: Int(days))
        var out = [UInt8]()
        out.reserveCapacity(27)
        func put(_ v: Int, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var x = v
            for k in stride(from: width - 1, through: 0, by: -1) {
                digits[k] = UInt8(0x30 + x % 10)
                x /= 10
            }
            out.append(contentsOf: digits)
        }
        put(y, 4); out.append(0x2D); put(m, 2); out.append(0x2D); put(d, 2); out.append(0x54)
        put(Int(rest / 3600), 2); out.append(0x3A); put(Int(rest % 3600 / 60), 2); out.append(0x3A); put(Int(rest % 60), 2)
        out.append(0x2E); put(Int(micros), 6); out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }
}
