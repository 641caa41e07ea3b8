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
    /// The regime the organization works under (migration 24; `ComplianceRegime`, US until an owner chooses).
    public var regime: ComplianceRegime = .default

    public var cageCodeList: [String] { (try? JSONDecoder().decode([String].self, from: Data(cageCodes.utf8))) ?? [] }
}

public struct MembershipRecord: Codable, Sendable, Hashable {
    public var userId: String
    public var organizationId: String
    public var role: String
    public var createdAt: String

    public var roleValue: Role? { Role(rawValue: role) }
}

extension OrganizationRecord {
    /// The names of the organization's columns in a row, each with the same prefix (`o_` beside another table's).
    struct Columns: Sendable {
        let id, name, cageCodes, uei, corporateNumber, createdAt, version, timeZone, regime: String

        init(prefix: String) {
            id = prefix + "id"; name = prefix + "name"; cageCodes = prefix + "cage_codes"; uei = prefix + "uei"
            corporateNumber = prefix + "corporate_number"; createdAt = prefix + "created_at"; version = prefix + "version"
            timeZone = prefix + "time_zone"; regime = prefix + "regime"
        }

        static let plain = Columns(prefix: "")
        static let prefixed = Columns(prefix: "o_")
    }

    /// Reads an organization row column by column (read on every request inside an organization; see `ColumnReader`).
    /// `id` is the caller's when the query does not select it (the lookup knows the organization it asked for).
    init(row: any SQLRow, columns c: Columns = .plain, id: String? = nil) throws {
        let r = ColumnReader(row: row)
        self.init(id: try id ?? r.text(c.id), name: try r.text(c.name), cageCodes: try r.text(c.cageCodes),
                  uei: try r.optionalText(c.uei), corporateNumber: try r.optionalText(c.corporateNumber),
                  createdAt: try r.text(c.createdAt), version: try r.int(c.version), timeZone: try r.text(c.timeZone),
                  regime: ComplianceRegime(rawValue: try r.text(c.regime)) ?? .default)
    }

    private enum CodingKeys: String, CodingKey { case id, name, cageCodes, uei, corporateNumber, createdAt, version, timeZone, regime }

    /// Decodes a row; a database read before migration 24 (no regime column) gives the default regime.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
                  cageCodes: try c.decode(String.self, forKey: .cageCodes), uei: try c.decodeIfPresent(String.self, forKey: .uei),
                  corporateNumber: try c.decodeIfPresent(String.self, forKey: .corporateNumber),
                  createdAt: try c.decode(String.self, forKey: .createdAt), version: try c.decode(Int.self, forKey: .version),
                  timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? OrganizationCalendar.defaultTimeZone,
                  regime: (try c.decodeIfPresent(String.self, forKey: .regime)).flatMap(ComplianceRegime.init(rawValue:)) ?? .default)
    }
}
