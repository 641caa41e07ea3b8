import Foundation
import TekigoCore
import TekigoStore

/// Who calls the TAXII server: an API token's organization (the caller), the person the token belongs to (RED objects
/// reach named people) and their role there, with the audit actor. Made once per request by the server's TAXII
/// middleware from a Bearer token or HTTP Basic with the token as the password.
public struct TAXIICaller: Sendable {
    public let organizationID: String
    public let personID: String
    public let role: Role
    /// The token may only read (`scope == "read"`): adding or deleting objects is refused.
    public let readOnly: Bool
    public let actor: Actor

    public init(organizationID: String, personID: String, role: Role, readOnly: Bool, actor: Actor) {
        self.organizationID = organizationID
        self.personID = personID
        self.role = role
        self.readOnly = readOnly
        self.actor = actor
    }

    /// Reading shared intelligence: every member of the organization except an external auditor (who is not one of
    /// the organization's people: TLP:AMBER+STRICT stays inside the recipient organization).
    public var mayRead: Bool { role != .auditor }

    /// Publishing or deleting: the roles that change the organization's records (owner, administrator, assessor,
    /// contributor) with a token that may write.
    public var mayWrite: Bool { !readOnly && [.owner, .admin, .assessor, .contributor].contains(role) }
}

/// Which versions of each object a request wants (`match[version]`): TAXII 2.1's `last` (the default), `first`, `all`,
/// or the listed `version` timestamps.
public enum TAXIIVersionMatch: Sendable, Hashable {
    case last
    case first
    case all
    case specific([String])
    /// Several at once (`first,last`, `last,2026-01-01T00:00:00Z`): each item `first`, `last` or a time (UTC, µs).
    case combined([String])
}

/// The filters of a TAXII request (`added_after`, `match[id|type|version|spec_version]`, `limit`, `next`), read and
/// checked by `TAXIIFilter.parse`.
public struct TAXIIFilter: Sendable, Hashable {
    public var addedAfter: Date?
    public var ids: [String]
    public var types: [String]
    public var versions: TAXIIVersionMatch
    public var specVersions: [String]
    public var limit: Int
    public var next: String?

    public static let defaultLimit = 100
    public static let maxLimit = 1000

    public init(addedAfter: Date? = nil, ids: [String] = [], types: [String] = [], versions: TAXIIVersionMatch = .last,
                specVersions: [String] = [], limit: Int = TAXIIFilter.defaultLimit, next: String? = nil) {
        self.addedAfter = addedAfter
        self.ids = ids
        self.types = types
        self.versions = versions
        self.specVersions = specVersions
        self.limit = limit
        self.next = next
    }

    /// Whether anything but paging narrows the result.
    public var narrows: Bool {
        addedAfter != nil || !ids.isEmpty || !types.isEmpty || versions != .last || !specVersions.isEmpty
    }

    /// Reads the query parameters of a TAXII request. A filter this server does not know is refused (a client that
    /// thinks it filtered must not get everything); a value out of range is refused with what is allowed.
    /// `allowed`: the `match[…]` fields the endpoint takes (the one-object endpoints take no `id` or `type`).
    public static func parse(_ parameters: [(String, String)],
                             allowed: Set<String> = ["id", "type", "version", "spec_version"]) throws(ThreatIntelError) -> TAXIIFilter {
        var f = TAXIIFilter()
        var seen = Set<String>()
        for (name, value) in parameters {
            guard seen.insert(name).inserted else { throw .badParameter(name: name, reason: .repeated) }
            func list() -> [String] {
                value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            switch name {
            case "added_after":
                guard let d = TAXIITime.parse(value) else { throw .badParameter(name: name, reason: .timestamp(value)) }
                f.addedAfter = d
            case "limit":
                guard let n = Int(value), (1...maxLimit).contains(n) else {
                    throw .badParameter(name: name, reason: .limit(value, max: maxLimit))
                }
                f.limit = n
            case "next":
                guard !value.isEmpty, value.count <= 200 else { throw .badParameter(name: name, reason: .cursor) }
                f.next = value
            default:
                guard name.hasPrefix("match["), name.hasSuffix("]") else { throw .badParameter(name: name, reason: .unknown) }
                let field = String(name.dropFirst(6).dropLast())
                guard allowed.contains(field) else { throw .badParameter(name: name, reason: .unknown) }
                let values = list()
                guard !values.isEmpty, values.count <= 100 else { throw .badParameter(name: name, reason: .emptyList) }
                switch field {
                case "id": f.ids = values
                case "type": f.types = values
                case "spec_version": f.specVersions = values
                default:
                    let words = Set(values)
                    if words.contains("all") {
                        f.versions = .all
                    } else if words == ["last"] {
                        f.versions = .last
                    } else if words == ["first"] {
                        f.versions = .first
                    } else {
                        var items: [String] = []
                        for v in values {
                            if v == "first" || v == "last" { items.append(v); continue }
                            guard let d = TAXIITime.parse(v) else { throw .badParameter(name: name, reason: .version(v)) }
                            items.append(TAXIITime.format(d))
                        }
                        f.versions = items.contains("first") || items.contains("last") ? .combined(items) : .specific(items)
                    }
                }
            }
        }
        return f
    }
}

/// RFC 3339 times as TAXII 2.1 carries them: read with any precision and offset, written in UTC with microseconds
/// (`2026-12-06T17:31:48.123456Z`), so text order is time order.
public enum TAXIITime {
    public static func format(_ date: Date) -> String {
        var micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        if micros < 0 { micros = 0 }
        let whole = Int64(micros)
        let seconds = whole / 1_000_000, fraction = whole % 1_000_000
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        func pad(_ v: Int?, _ n: Int) -> String { let s = String(v ?? 0); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))."
            + pad(Int(fraction), 6) + "Z"
    }

    /// An RFC 3339 date-time (`T` or `t`, `Z` or an offset, any number of fraction digits; microseconds kept).
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard (0x30...0x39).contains(s[i]) else { return nil }
                v = v * 10 + Int(s[i] - 0x30)
            }
            return v
        }
        guard s.count >= 20, let y = digits(0, 4), s[4] == 0x2D, let mo = digits(5, 2), s[7] == 0x2D, let d = digits(8, 2),
              s[10] == 0x54 || s[10] == 0x74, let h = digits(11, 2), s[13] == 0x3A, let mi = digits(14, 2), s[16] == 0x3A,
              let sec = digits(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var i = 19
        var micros = 0
        if i < s.count, s[i] == 0x2E {
            i += 1
            var n = 0
            while i < s.count, (0x30...0x39).contains(s[i]) {
                if n < 6 { micros = micros * 10 + Int(s[i] - 0x30) }
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            if n < 6 { for _ in n..<6 { micros *= 10 } }
        }
        guard i < s.count else { return nil }
        var offset = 0
        if s[i] == 0x5A || s[i] == 0x7A {
            i += 1
        } else if s[i] == 0x2B || s[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < s.count, s[i + 3] == 0x3A, let om = digits(i + 4, 2) else { return nil }
            offset = (oh * 60 + om) * 60 * (s[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let base = cal.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: min(sec, 59))),
              cal.component(.day, from: base) == d else { return nil }
        let whole = Int64(base.timeIntervalSince1970) - Int64(offset)
        return Date(timeIntervalSince1970: TimeInterval(whole) + TimeInterval(micros) / 1_000_000)
    }
}

/// An API root: one sharing community the caller's organization belongs to, at `/taxii2/{slug}/`.
public struct TAXIIRoot: Sendable, Hashable {
    public let slug: String
    public let title: String
    public let description: String
}

/// A collection as the caller sees it (its own access).
public struct TAXIICollectionView: Sendable, Hashable {
    public let id: String
    public let title: String
    public let description: String?
    public let alias: String?
    public let canRead: Bool
    public let canWrite: Bool
}

/// One stored version of an object: for the envelope with its JSON, for the manifest and the versions list without.
public struct TAXIIObjectEntry: Sendable, Hashable {
    public let id: String
    public let version: String
    public let dateAdded: Date
    public let mediaType: String
    /// The object as stored (nil in manifests and version lists).
    public let json: String?
}

/// One page of objects, manifest entries or versions, with TAXII's paging (`more`, `next`) and the page's first and
/// last `date_added` (`X-TAXII-Date-Added-First/Last`).
public struct TAXIIPage: Sendable, Hashable {
    public let entries: [TAXIIObjectEntry]
    public let more: Bool
    public let next: String?

    public init(entries: [TAXIIObjectEntry], more: Bool, next: String?) {
        self.entries = entries
        self.more = more
        self.next = next
    }

    public var firstAdded: Date? { entries.map(\.dateAdded).min() }
    public var lastAdded: Date? { entries.map(\.dateAdded).max() }
}

/// The outcome of adding objects (TAXII's status resource). Tekigo stores a request whole or not at all, so a status
/// is always complete, with every object a success.
public struct TAXIIStatusView: Sendable, Hashable {
    public struct Detail: Sendable, Hashable {
        public let id: String
        public let version: String
        public let message: String?
    }

    public let id: String
    public let requestTimestamp: Date
    public let totalCount: Int
    public let successCount: Int
    public let successes: [Detail]
    public let failures: [Detail]
    public let pendingCount: Int

    public var failureCount: Int { failures.count }
    public var status: String { pendingCount == 0 ? "complete" : "pending" }
}

extension TAXIICaller {
    /// The operator at this machine acting for an organization (`tekigo stix import | export`): the owner's role, as
    /// `TenantScope.commandLine`; the person and the audit actor are `cli` (a TLP:RED object imported so names `cli` as
    /// its one recipient, so it reaches nobody over TAXII but the command line).
    public static func commandLine(organizationID: String) -> TAXIICaller {
        TAXIICaller(organizationID: organizationID, personID: "cli", role: .owner, readOnly: false,
                    actor: Actor(id: "cli", sourceIP: "local"))
    }
}
