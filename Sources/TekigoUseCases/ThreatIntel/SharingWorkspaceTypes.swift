import Foundation
import TekigoCore
import TekigoSTIX
import TekigoStore

/// A community as a member sees it in the workspace: its name and kind and the organization's own standing there.
/// Who the other members are is not here (community membership is private: issue 14 item 4).
public struct SharingCommunityView: Sendable, Hashable {
    public let slug: String
    public let name: String
    public let kind: SharingCommunityKind
    public let isAdministrator: Bool
    public let listed: Bool
    public let cuiAuthorized: Bool
}

/// A collection the organization may read or write, with its community.
public struct SharingCollectionView: Sendable, Hashable {
    public let id: String
    public let title: String
    public let description: String
    public let alias: String?
    public let communitySlug: String
    public let communityName: String
    public let canRead: Bool
    /// The organization's `can_write` and the viewer's role (owner, administrator, assessor, contributor).
    public let canWrite: Bool
}

/// Who published an object, as the viewer may know it: their own organization, or another member (which one is
/// never said: community membership is private).
public enum SharingObjectSource: String, Sendable, Hashable {
    case yourOrganization = "your-organization"
    case anotherMember = "another-member"

    public var label: LocalizedText {
        switch self {
        case .yourOrganization: return LocalizedText(en: "your organization", ja: "あなたの組織")
        case .anotherMember: return LocalizedText(en: "another member", ja: "他のメンバー")
        }
    }
}

/// One stored object version as the workspace lists it.
public struct SharingObjectView: Sendable, Hashable {
    public let collectionID: String
    public let collectionTitle: String
    public let objectID: String
    public let type: String
    public let version: String
    public let dateAdded: String
    public let tlp: STIXObjectTLP
    public let cui: Bool
    /// The object's name, value or pattern (whichever it has), or a short description of a sighting or relationship.
    public let summary: String
    /// The CVE ids it names.
    public let cves: [String]
    public let publisher: SharingObjectSource
    /// The object's JSON as stored.
    public let json: String

    /// `TLP:AMBER`, or "" when the object carries no TLP marking.
    public var tlpName: String { tlp == .none ? "" : "TLP:" + tlp.rawValue.uppercased() }
}

/// The sharing hub's front page: the organization's communities, the collections it may use, the newest objects
/// across those it may read.
public struct SharingHub: Sendable, Hashable {
    public let communities: [SharingCommunityView]
    public let collections: [SharingCollectionView]
    public let newest: [SharingObjectView]
}

/// What a collection's feed shows: everything, or one kind of object.
public enum SharingFeedFilter: String, Sendable, Hashable, CaseIterable {
    case all
    case indicators
    case reports
    case sightings
    case observables
    case vulnerabilities
    case threats
    case incidents

    /// The STIX types the filter keeps (empty: all).
    public var types: [String] {
        switch self {
        case .all: return []
        case .indicators: return ["indicator"]
        case .reports: return ["report", "grouping", "note"]
        case .sightings: return ["sighting", "observed-data"]
        case .observables: return ["ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file"]
        case .vulnerabilities: return ["vulnerability"]
        case .threats: return ["malware", "threat-actor", "intrusion-set", "campaign", "attack-pattern", "tool", "infrastructure"]
        case .incidents: return ["incident"]
        }
    }

    public var label: LocalizedText {
        switch self {
        case .all: return LocalizedText(en: "All", ja: "すべて")
        case .indicators: return LocalizedText(en: "Indicators", ja: "インディケーター")
        case .reports: return LocalizedText(en: "Reports", ja: "レポート")
        case .sightings: return LocalizedText(en: "Sightings", ja: "目撃情報")
        case .observables: return LocalizedText(en: "Observables", ja: "観測値")
        case .vulnerabilities: return LocalizedText(en: "Vulnerabilities", ja: "脆弱性")
        case .threats: return LocalizedText(en: "Threats", ja: "脅威")
        case .incidents: return LocalizedText(en: "Incidents", ja: "インシデント")
        }
    }
}

/// One page of a collection's feed, newest first; `next` is the `before` of the following page.
public struct SharingFeed: Sendable, Hashable {
    public let collection: SharingCollectionView
    public let filter: SharingFeedFilter
    public let objects: [SharingObjectView]
    public let next: String?
}

/// What a search found: the value as understood (its kind and normal form) and the matching objects across every
/// collection the organization may read, newest first, each object once (the newest version that carries the value).
public struct SharingSearchResult: Sendable, Hashable {
    public let understood: STIXSearchValue
    public let objects: [SharingObjectView]
    /// More matched than are shown (`SharingWorkspace.searchLimit`).
    public let truncated: Bool
}

/// One object's page: its versions the viewer may see, oldest to newest, and the relationships and sightings that
/// point at it.
public struct SharingObjectHistory: Sendable, Hashable {
    public let collection: SharingCollectionView
    public let objectID: String
    public let type: String
    public let versions: [SharingObjectView]
    public let pointing: [SharingObjectView]

    public var newest: SharingObjectView { versions[versions.count - 1] }
}

/// "We saw this too": a sighting of an object, as the viewer fills it in.
public struct SharingSightingDraft: Sendable, Hashable {
    /// How many times it was seen (1 when not given).
    public var count: Int?
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// Name the viewer's organization as where it was sighted (off unless the person ticks it).
    public var nameOrganization: Bool
    /// The sighting's TLP: never less restrictive than the object's.
    public var tlp: TLPMarking

    public init(count: Int? = nil, firstSeen: Date? = nil, lastSeen: Date? = nil, nameOrganization: Bool = false, tlp: TLPMarking) {
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.nameOrganization = nameOrganization
        self.tlp = tlp
    }
}

/// A published sighting.
public struct SharingSightingResult: Sendable, Hashable {
    public let sightingID: String
    public let status: TAXIIStatusView
}

/// An export's file.
public struct SharingExportFile: Sendable, Hashable {
    public let data: Data
    public let fileName: String
    public let contentType: String
    public let count: Int
}
