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
    public static func parse(_ text: String) throws(IncidentError) -> OffsetInstant {
        let s = text.trimmingCharacters(in: .whitespaces)
        // Hand-written on purpose: ISO8601DateFormatter quietly accepts a missing offset with some option sets and
        // does not report which offset it read; both matter here.
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else {
            throw .malformedInstant(text)
        }
        func group(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: s) else { return nil }
            return String(s[r])
        }
        guard let zone = group(8) else { throw .instantWithoutOffset(text) }
        let offset: Int
        if zone == "Z" || zone == "z" {
            offset = 0
        } else {
            let sign = zone.hasPrefix("-") ? -1 : 1
            let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
            guard let hh = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)), hh <= 18, mm < 60 else {
                throw .malformedInstant(text)
            }
            offset = sign * (hh * 3600 + mm * 60)
        }
        var c = DateComponents()
        c.year = Int(group(1)!); c.month = Int(group(2)!); c.day = Int(group(3)!)
        c.hour = Int(group(4)!); c.minute = Int(group(5)!); c.second = Int(group(6) ?? "0")
        guard let y = c.year, let mo = c.month, let d = c.day, Day(year: y, month: mo, day: d) != nil,
              c.hour! < 24, c.minute! < 60, c.second! < 61 else { throw .malformedInstant(text) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        guard var date = calendar.date(from: c) else { throw .malformedInstant(text) }
        if let fraction = group(7), let f = Double("0." + fraction) { date.addTimeInterval(f) }
        return OffsetInstant(date: date, offsetSeconds: offset)
    }

    /// `2026-12-05T02:13:00+09:00`: the instant in its own offset, whole seconds.
    public var description: String { Self.format(date, in: timeZone) }

    /// ISO 8601 with the offset of `zone` at that instant (`Z` for UTC).
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
