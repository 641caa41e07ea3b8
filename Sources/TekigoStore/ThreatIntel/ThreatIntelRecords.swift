import Foundation

// Values of the sharing hub's store (migration 14). TekigoStore does not know STIX: the caller (the use-case layer,
// through TekigoSTIX) validates an object and hands over its primitive fields and its JSON exactly as received.

/// What a community is.
public enum SharingCommunityKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An information sharing and analysis center, members joining on their own.
    case isac
    /// Drawn from a prime's supply-chain tree, each supplier with its consent.
    case supplyChain = "supply_chain"
}

/// A member organization's role in a community.
public enum CommunityRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Manages the community and sees every member.
    case administrator
    case member
}

public struct SharingCommunity: Sendable, Hashable, Codable {
    public let id: SharingCommunityID
    /// Unique across the server; the TAXII API root's path segment.
    public let slug: String
    public let name: String
    public let kind: SharingCommunityKind
    /// `Timestamp` text.
    public let createdAt: String
}

/// An organization in a community. Who the members are is the administrators' to see; another member sees a member
/// only when it chose to be `listed` (the use-case layer applies that rule; the store returns every row).
public struct CommunityMember: Sendable, Hashable, Codable {
    public let community: SharingCommunityID
    public let organizationID: String
    /// The organization's name, for lists.
    public let organizationName: String
    public let role: CommunityRole
    public let listed: Bool
    /// May receive CUI-marked objects in this community.
    public let cuiAuthorized: Bool
    public let joinedAt: String
}

/// A community an organization belongs to, with its standing there.
public struct CommunityMembership: Sendable, Hashable, Codable {
    public let community: SharingCommunity
    public let role: CommunityRole
    public let listed: Bool
    public let cuiAuthorized: Bool
}

public struct TAXIICollection: Sendable, Hashable, Codable {
    public let id: TAXIICollectionID
    public let community: SharingCommunityID
    public let title: String
    public let description: String
    /// Unique within the community when given.
    public let alias: String?
    public let createdAt: String
}

/// A collection with what one organization may do in it (TAXII's `can_read` / `can_write`).
public struct TAXIICollectionGrant: Sendable, Hashable, Codable {
    public let collection: TAXIICollection
    public let canRead: Bool
    public let canWrite: Bool
}

/// An object's TLP 2.0 level as stored (the most restrictive of its markings; the caller decides it). `none`: no TLP
/// marking.
public enum STIXObjectTLP: String, Sendable, Hashable, Codable, CaseIterable {
    case clear, green, amber
    case amberStrict = "amber+strict"
    case red, none
}

/// One object to store, as the caller read and checked it.
public struct NewSTIXObject: Sendable, Hashable {
    /// `indicator--<uuid>`.
    public var objectID: String
    /// The object's `modified`, else its `created` (any RFC 3339 form: it is stored in UTC with microseconds); nil
    /// when it has neither (a cyber-observable): the version is then the date the store adds it.
    public var version: String?
    public var type: String
    public var specVersion: String
    public var tlp: STIXObjectTLP
    public var cui: Bool
    /// User ids of the people a TLP:RED object is addressed to (ignored for other levels: none but them and the
    /// publisher may read it).
    public var recipients: [String]
    /// The object exactly as received.
    public var json: String
    /// What the object is found by (search by value, migration 16): (kind, normalised value) pairs the caller took
    /// from it (TekigoSTIX's `STIXSearchValues`), written to the value index with the object.
    public var searchValues: [STIXIndexedValue]

    public init(objectID: String, version: String?, type: String, specVersion: String = "2.1", tlp: STIXObjectTLP, cui: Bool,
                recipients: [String] = [], json: String, searchValues: [STIXIndexedValue] = []) {
        self.searchValues = searchValues
        self.objectID = objectID
        self.version = version
        self.type = type
        self.specVersion = specVersion
        self.tlp = tlp
        self.cui = cui
        self.recipients = recipients
        self.json = json
    }
}

/// Who publishes: the organization and the person (a user id) acting for it.
public struct STIXPublisher: Sendable, Hashable {
    public let organizationID: String
    public let personID: String

    public init(organizationID: String, personID: String) {
        self.organizationID = organizationID
        self.personID = personID
    }
}

/// Who is reading. Objects reach them only when their organization has `can_read` on the collection, a TLP:RED
/// object only when the person is one of its recipients or published it, and a CUI-marked object only when the
/// organization is authorized for CUI in the collection's community. The filter runs in SQL.
public struct STIXAudience: Sendable, Hashable {
    public let organizationID: String
    public let personID: String

    public init(organizationID: String, personID: String) {
        self.organizationID = organizationID
        self.personID = personID
    }
}

/// TAXII's `match[version]` values. Several combine (`first,last`); `all` wins over the rest.
public enum STIXVersionSelector: Sendable, Hashable {
    /// The newest version of each object (the default).
    case last
    /// The oldest version of each object.
    case first
    case all
    /// One version, as a timestamp in any RFC 3339 form (compared to the microsecond).
    case version(String)
}

/// A TAXII query: its filters, page size and the cursor of the previous page.
public struct STIXObjectQuery: Sendable, Hashable {
    public static let maximumLimit = 1000

    /// Only objects added after this instant (compared to the microsecond: see `MicrosecondInstant`).
    public var addedAfter: Date?
    public var ids: [String]
    public var types: [String]
    /// `last` and `first` are judged among the versions the audience may see (of `specVersions`, when given), over
    /// the whole collection: with `addedAfter`, an object whose newest version was added earlier is left out, never
    /// served by an older version as if it were its newest.
    public var versions: [STIXVersionSelector]
    public var specVersions: [String]
    /// 1…1000 (clamped).
    public var limit: Int
    /// The `next` of the previous page.
    public var cursor: String?

    public init(addedAfter: Date? = nil, ids: [String] = [], types: [String] = [], versions: [STIXVersionSelector] = [.last],
                specVersions: [String] = [], limit: Int = 100, cursor: String? = nil) {
        self.addedAfter = addedAfter
        self.ids = ids
        self.types = types
        self.versions = versions
        self.specVersions = specVersions
        self.limit = limit
        self.cursor = cursor
    }
}

/// An object as stored.
public struct STIXStoredObject: Sendable, Hashable {
    public let objectID: String
    /// RFC 3339 UTC with microseconds.
    public let version: String
    /// RFC 3339 UTC with microseconds.
    public let dateAdded: String
    public let type: String
    public let specVersion: String
    public let tlp: STIXObjectTLP
    public let cui: Bool
    public let publishedByOrganization: String
    public let publishedByPerson: String
    /// The object exactly as received.
    public let json: String
}

/// A manifest entry (TAXII 2.1 section 5.6).
public struct STIXManifestEntry: Sendable, Hashable {
    public static let stixMediaType = "application/stix+json;version=2.1"

    public let objectID: String
    public let dateAdded: String
    public let version: String
    public let mediaType: String
}

/// One page of objects: `more` and `next` for the following page; the first and last `date_added` on it (the
/// `X-TAXII-Date-Added-First` / `-Last` headers), nil when the page is empty.
public struct STIXObjectPage: Sendable, Hashable {
    public let objects: [STIXStoredObject]
    public let more: Bool
    public let next: String?
    public let firstDateAdded: String?
    public let lastDateAdded: String?
}

public struct STIXManifestPage: Sendable, Hashable {
    public let entries: [STIXManifestEntry]
    public let more: Bool
    public let next: String?
    public let firstDateAdded: String?
    public let lastDateAdded: String?
}

/// One object in a status resource's lists (TAXII's status-details).
public struct TAXIIStatusDetail: Sendable, Hashable, Codable {
    public let id: String
    public let version: String?
    public let message: String?

    public init(id: String, version: String?, message: String? = nil) {
        self.id = id
        self.version = version
        self.message = message
    }
}

/// The status of one POST. Every POST is stored in its transaction, so it is always complete, with nothing pending.
public struct TAXIIStatus: Sendable, Hashable {
    public let id: TAXIIStatusID
    public let collection: TAXIICollectionID
    public let organizationID: String
    public let createdBy: String
    /// `Timestamp` text (RFC 3339 UTC).
    public let createdAt: String
    /// `complete`.
    public let status: String
    public let totalCount: Int
    public let successCount: Int
    public let failureCount: Int
    public let pendingCount: Int
    public let successes: [TAXIIStatusDetail]
    public let failures: [TAXIIStatusDetail]
}

/// What the sharing hub's store refuses. Each says what to do.
public enum ThreatIntelStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case slugTaken(String)
    case aliasTaken(String)
    case unknownCommunity(String)
    case unknownCollection(String)
    /// An object's version is not an RFC 3339 timestamp.
    case badVersion(objectID: String, version: String)
    /// A `next` this store did not hand out.
    case badCursor(String)
    case corruptRow(String)

    public var description: String {
        switch self {
        case .slugTaken(let s): return "a sharing community with the slug '\(s)' exists already; choose another slug."
        case .aliasTaken(let a): return "this community has a collection with the alias '\(a)' already; choose another alias or none."
        case .unknownCommunity(let c): return "there is no sharing community \(c); check the id or the slug."
        case .unknownCollection(let c): return "there is no TAXII collection \(c); list the collections of the API root for their ids."
        case .badVersion(let id, let v):
            return "\(id): the version '\(v)' is not an RFC 3339 timestamp (like 2026-12-06T09:30:00.000Z); check its modified or created."
        case .badCursor(let c): return "'\(c)' is not a next value from this server; start again without next."
        case .corruptRow(let what): return "stored sharing data cannot be read (\(what)); this is a server fault."
        }
    }
}
