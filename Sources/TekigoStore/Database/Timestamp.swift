import Foundation

/// ISO 8601 UTC timestamps with milliseconds as stored in the database (`2026-11-27T21:50:30.123Z`): sortable as
/// text on every engine. A format style, not an ISO8601DateFormatter: it is a Sendable value and far cheaper than
/// creating a formatter for every request (measured on the server's hot path).
public enum Timestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    public static func now() -> String { string(Date()) }

    public static func string(_ date: Date) -> String { style.format(date) }

    public static func date(_ text: String) -> Date? { try? style.parse(text) }
}
