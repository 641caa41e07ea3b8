import Foundation

/// The one rule for "today": a day that belongs to an organization (a finding's date, a posting-date check, a
/// POA&M item's due date and "overdue", a reminder's due date, an attestation's validity, the score history's day)
/// is the calendar day in the organization's time zone (`OrganizationRecord.timeZone`), at the server's clock.
/// A user's own time zone only formats times for display.
public struct OrganizationCalendar: Sendable, Hashable {
    /// Where the organization keeps its calendar.
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// From a stored IANA identifier; an unknown one falls back to `OrganizationCalendar.defaultTimeZone`.
    public init(identifier: String) {
        self.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: Self.defaultTimeZone)!
    }

    /// The zone an organization has until an owner sets another: Tekigo serves Japanese suppliers first, and the
    /// organizations made before zones were stored kept no zone of their own (migration 0007).
    public static let defaultTimeZone = "Asia/Tokyo"

    /// Whether `identifier` names a zone this system knows (`Asia/Tokyo`, `UTC`, `America/New_York`).
    public static func isKnown(_ identifier: String) -> Bool {
        !identifier.isEmpty && identifier.count <= 64 && TimeZone(identifier: identifier) != nil
    }

    /// The organization's calendar day at `date`.
    public func day(at date: Date) -> Day { Day(date, in: timeZone) }

    /// Today for the organization, by `clock`.
    public func today(_ clock: any WallClock) -> Day { day(at: clock.now()) }
}

extension Day {
    /// The calendar day at `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        let parts = c.dateComponents([.year, .month, .day], from: date)
        self = Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Today in `timeZone` by `clock` (`OrganizationCalendar`).
    public static func today(in timeZone: TimeZone, clock: any WallClock) -> Day { Day(clock.now(), in: timeZone) }
}
