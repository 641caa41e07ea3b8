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
}

public struct OSCALCatalogMetadata: Codable, Sendable {
    public var title: String
    public var lastModified: String
    public var version: String
    public var oscalVersion: String

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
}

struct OSCALCatalogDocument: Decodable {
    var catalog: OSCALCatalog
}
