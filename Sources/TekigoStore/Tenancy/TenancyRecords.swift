import Foundation
import SQLKit
import TekigoCore

// Rows of the server tables (migration 2), as Codable records read and written through SQLKit with snake_case
// column names. Booleans are stored as integers (0/1) and times as ISO 8601 text so one schema serves SQLite
// and PostgreSQL.

public struct OrganizationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// JSON array of CAGE codes.
    public var cageCodes: String
    public var uei: String?
    public var corporateNumber: String?
    public var createdAt: String
    public var version: Int
    /// IANA time zone of the organization's calendar (migration 7; `OrganizationCalendar`).
    public var timeZone: String = OrganizationCalendar.defaultTimeZone

    public var cageCodeList: [String] { (try? JSONDecoder().decode([String].self, from: Data(cageCodes.utf8))) ?? [] }
}

public struct MembershipRecord: Codable, Sendable, Hashable {
    public var userId: String
    public var organizationId: String
    public var role: String
    public var createdAt: String

    public var roleValue: Role? { Role(rawValue: role) }
}
