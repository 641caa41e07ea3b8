import Foundation

/// An instant as a person wrote it: ISO 8601 / RFC 3339 with its UTC offset (`2026-12-05T02:13:00+09:00`,
/// `2026-12-05T17:13Z`). A time without an offset is refused — "02:13" means a different instant in Tokyo and in
/// Virginia, and a reporting clock started at the wrong instant is off by up to a day.
public struct OffsetInstant: Sendable, Hashable, CustomStringConvertible {
    public let date: Date
    /// The offset the text carried, in seconds east of UTC.
    public let offsetSeconds: Int

    public init(date: Date, offsetSeconds: Int) {
        self.date = date
        self.offsetSeconds = offsetSeconds
    }

    /// A fixed-offset zone for the written offset (`GMT+0900`); UTC for `Z`.
    public var timeZone: TimeZone { TimeZone(secondsFromGMT: offsetSeconds) ?? TimeZone(identifier: "UTC")! }

    /// Parses `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)`; a space instead of `T` is accepted, a missing offset is not.
    ///
    /// Hand-written on purpose: ISO8601DateFormatter quietly accepts a missing offset with some option sets and does
    /// not report which offset it read; both matter here. It also reads bytes instead of compiling a regular
    /// expression per call (on Linux that compile, with a Calendar per call, was a tenth of the prime's incident view).
    public static func parse(_ text: String) throws(IncidentError) -> OffsetInstant {
        let b = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), take(45), let mo = digits(2), take(45), let d = digits(2),
              take(84) || take(32), let h = digits(2), take(58), let mi = digits(2) else { throw .malformedInstant(text) }
        var sec = 0, fraction = 0.0
        if take(58) {
            guard let s2 = digits(2) else { throw .malformedInstant(text) }
            sec = s2
            if take(46) {
                let from = i
                while i < b.count, b[i] >= 48, b[i] <= 57, i - from < 9 { i += 1 }
                guard i > from, let f = Double("0." + String(decoding: b[from..<i], as: UTF8.self)) else { throw .malformedInstant(text) }
                fraction = f
            }
        }
        let offset: Int
        if i == b.count {
            // Well formed up to here: only the offset is missing.
            throw .instantWithoutOffset(text)
        } else if take(90) || take(122) {
            offset = 0
        } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let hh = digits(2) else { throw .malformedInstant(text) }
            _ = take(58)
            guard let mm = digits(2), hh <= 18, mm < 60 else { throw .malformedInstant(text) }
            offset = sign * (hh * 3600 + mm * 60)
        } else {
            throw .malformedInstant(text)
        }
        guard i == b.count, Day(year: y, month: mo, day: d) != nil, h < 24, mi < 60, sec < 61 else { throw .malformedInstant(text) }
        let local = CivilCalendar.days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + sec
        let date = Date(timeIntervalSince1970: TimeInterval(local - offset) + fraction)
        return OffsetInstant(date: date, offsetSeconds: offset)
    }

    /// `2026-12-05T02:13:00+09:00`: the instant in its own offset, whole seconds.
    public var description: String { Self.format(date, in: timeZone) }

    /// ISO 8601 with the offset of `zone` at that instant (`Z` when the offset is zero), whole seconds (truncated) —
    /// what ISO8601DateFormatter's `.withInternetDateTime` writes. Arithmetic instead of that formatter: on Linux each
    /// formatter opens an ICU date format (about 0.1 ms), and a page of 50 incident notices formats hundreds of
    /// instants (it was a third of the prime's incident view).
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let whole = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = zone.secondsFromGMT(for: date)
        let local = whole + offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let (y, m, d) = CivilCalendar.date(days: days)
        let t = local - days * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = y < 1000 ? String(repeating: "0", count: 4 - String(y).count) + "\(y)" : "\(y)"
        out += "-\(two(m))-\(two(d))T\(two(t / 3600)):\(two(t % 3600 / 60)):\(two(t % 60))"
        if offset == 0 { return out + "Z" }
        let a = abs(offset)
        return out + (offset < 0 ? "-" : "+") + "\(two(a / 3600)):\(two(a % 3600 / 60))"
    }
}
