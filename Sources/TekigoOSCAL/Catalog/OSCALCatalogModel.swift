import Foundation

// The parts of the OSCAL 1.1 catalog model Tekigo reads and writes (JSON field names as in NIST's schema).

public struct OSCALProperty: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
    public var ns: String?
    public var `class`: String?

    public init(name: String, value: String, ns: String? = nil, class cls: String? = nil) {
        self.name = name
        self.value = value
        self.ns = ns
        self.class = cls
    }
}

public struct OSCALLink: Codable, Sendable, Hashable {
    public var href: String
    public var rel: String?
    public var text: String?
}

public struct OSCALPart: Codable, Sendable {
    public var id: String?
    public var name: String
    public var ns: String?
    public var `class`: String?
    public var title: String?
    public var props: [OSCALProperty]?
    public var prose: String?
    public var parts: [OSCALPart]?
    public var links: [OSCALLink]?

    public func prop(_ name: String) -> String? { props?.first { $0.name == name }?.value }

    public init(id: String? = nil, name: String, ns: String? = nil, class cls: String? = nil, title: String? = nil,
                props: [OSCALProperty]? = nil, prose: String? = nil, parts: [OSCALPart]? = nil, links: [OSCALLink]? = nil) {
        self.id = id
        self.name = name
        self.ns = ns
        self.class = cls
        self.title = title
        self.props = props
        self.prose = prose
        self.parts = parts
        self.links = links
    }
}

public struct OSCALGuideline: Codable, Sendable {
    public var prose: String
}

public struct OSCALSelection: Codable, Sendable {
    public var howMany: String?
    public var choice: [String]?

    enum CodingKeys: String, CodingKey {
        case howMany = "how-many"
        case choice
    }
}

public struct OSCALParameter: Codable, Sendable {
    public var id: String
    public var `class`: String?
    public var props: [OSCALProperty]?
    public var label: String?
    public var usage: String?
    public var guidelines: [OSCALGuideline]?
    public var values: [String]?
    public var select: OSCALSelection?
}

public struct OSCALControl: Codable, Sendable {
    public var id: String
    public var `class`: String?
    public var title: String
    public var params: [OSCALParameter]?
    public var props: [OSCALProperty]?
    public var links: [OSCALLink]?
    public var parts: [OSCALPart]?
    public var controls: [OSCALControl]?

    public init(id: String, class cls: String? = nil, title: String, params: [OSCALParameter]? = nil,
                props: [OSCALProperty]? = nil, links: [OSCALLink]? = nil, parts: [OSCALPart]? = nil,
                controls: [OSCALControl]? = nil) {
        self.id = id
        self.class = cls
        self.title = title
        self.params = params
        self.props = props
        self.links = links
        self.parts = parts
        self.controls = controls
    }

    enum CodingKeys: String, CodingKey { case id, `class`, title, params, props, links, parts, controls }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        `class` = try c.decodeIfPresent(String.self, forKey: .class)
        title = try c.decode(String.self, forKey: .title)
        params = try c.decodeIfPresent([OSCALParameter].self, forKey: .params)
        props = try c.decodeIfPresent([OSCALProperty].self, forKey: .props)
        // The importer reads no control-level links (SP 800-53 has ~30 "related" links per control); skipping them
        // when asked saves a large share of decoding time on big catalogs.
        links = decoder.userInfo[.skipControlLinks] as? Bool == true ? nil : try c.decodeIfPresent([OSCALLink].self, forKey: .links)
        parts = try c.decodeIfPresent([OSCALPart].self, forKey: .parts)
        controls = try c.decodeIfPresent([OSCALControl].self, forKey: .controls)
    }

    public func prop(_ name: String) -> String? { props?.first { $0.name == name }?.value }
    public var isWithdrawn: Bool { props?.contains { $0.name == "status" && $0.value == "withdrawn" } ?? false }
}

public struct OSCALGroup: Codable, Sendable {
    public var id: String?
    public var `class`: String?
    public var title: String
    public var params: [OSCALParameter]?
    public var props: [OSCALProperty]?
    public var parts: [OSCALPart]?
    public var groups: [OSCALGroup]?
    public var controls: [OSCALControl]?

    public init(id: String? = nil, class cls: String? = nil, title: String, params: [OSCALParameter]? = nil,
                props: [OSCALProperty]? = nil, parts: [OSCALPart]? = nil, groups: [OSCALGroup]? = nil,
                controls: [OSCALControl]? = nil) {
        self.id = id
        self.class = cls
        self.title = title
        self.params = params
        self.props = props
        self.parts = parts
        self.groups = groups
        self.controls = controls
    }
}

public struct OSCALCatalogMetadata: Codable, Sendable {
    public var title: String
    public var lastModified: String
    public var version: String
    public var oscalVersion: String

    public init(title: String, lastModified: String, version: String, oscalVersion: String) {
        self.title = title
        self.lastModified = lastModified
        self.version = version
        self.oscalVersion = oscalVersion
    }

    enum CodingKeys: String, CodingKey {
        case title
        case lastModified = "last-modified"
        case version
        case oscalVersion = "oscal-version"
    }
}

public struct OSCALCatalog: Codable, Sendable {
    public var uuid: String
    public var metadata: OSCALCatalogMetadata
    public var params: [OSCALParameter]?
    public var controls: [OSCALControl]?
    public var groups: [OSCALGroup]?

    public init(uuid: String, metadata: OSCALCatalogMetadata, params: [OSCALParameter]? = nil,
                controls: [OSCALControl]? = nil, groups: [OSCALGroup]? = nil) {
        self.uuid = uuid
        self.metadata = metadata
        self.params = params
        self.controls = controls
        self.groups = groups
    }
}

extension CodingUserInfoKey {
    /// Set to true to leave `OSCALControl.links` undecoded.
    static let skipControlLinks = CodingUserInfoKey(rawValue: "tekigo.skipControlLinks")!
}

struct OSCALCatalogDocument: Decodable {
    var catalog: OSCALCatalog
}
