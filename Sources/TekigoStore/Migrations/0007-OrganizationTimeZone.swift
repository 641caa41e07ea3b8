/// Migration 7: the organization's time zone, the one rule for its "today" (`OrganizationCalendar`): finding dates,
/// the posting-date check, POA&M due dates and "overdue", reminder due dates, attestation validity and the score
/// history's day. The default is Asia/Tokyo because Tekigo serves Japanese suppliers first and the organizations
/// stored before this migration had no zone; an owner sets another on the organization's settings.
extension Migrations {
    static let organizationTimeZone = Migration(version: 7, name: "organizations: the time zone of the organization's calendar",
                                                statements: [
        "ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo'",
    ])
}
