import Foundation

/// Reading STIX content for the store (issue 14): all or nothing. The size is checked before a byte is parsed; the
/// JSON is read as a bundle, one object or a list of objects (`STIXContent.read`, which checks the common rules);
/// then every object is validated (`STIXObjectValidator`). The first failure throws
/// `STIXError.invalidObject(id:problem:)` naming the object — its id, or its position (`objects[3]`) when it has no
/// usable id — and nothing is returned, so a caller that stores only what this returns never stores part of a bundle.
public enum STIXIngest {
    /// The validated objects, in the order they came.
    public static func read(_ data: Data, maxBytes: Int, now: STIXTimestamp) throws(STIXError) -> [STIXObject] {
        guard data.count <= maxBytes else { throw .bundleTooLarge(bytes: data.count, limit: maxBytes) }
        let content = try STIXContent.read(data)
        let validator = STIXObjectValidator(now: now)
        for object in content.objects {
            do {
                try validator.validate(object)
            } catch {
                throw .invalidObject(id: object.id.rawValue, problem: error)
            }
        }
        return content.objects
    }

    /// As `read`, with what the store keys each object by (`STIXIngestedObject`).
    public static func entries(_ data: Data, maxBytes: Int, now: STIXTimestamp) throws(STIXError) -> [STIXIngestedObject] {
        try read(data, maxBytes: maxBytes, now: now).map(STIXIngestedObject.init)
    }
}

/// One validated object with its TAXII version and STIX version, for the store's (id, version) key and the
/// `match[version]` / `match[spec_version]` filters.
public struct STIXIngestedObject: Sendable, Hashable {
    public let object: STIXObject
    /// `STIXObject.taxiiVersion`: nil for an object without `modified` or `created` (an observable).
    public let version: STIXTimestamp?
    public let specVersion: String

    public init(_ object: STIXObject) {
        self.object = object
        self.version = object.taxiiVersion
        self.specVersion = object.declaredSpecVersion
    }
}

extension STIXObject {
    /// The object's version in TAXII 2.1's sense: its `modified`; for an object without one, its `created` (a
    /// marking definition, never versioned); nil for an object with neither — a cyber-observable, which STIX 2.1
    /// never versions: its id is derived from its contents, so a changed observable is a new object. For those the
    /// store uses the date it added the object as the version (as the OASIS reference server, medallion, does), and a
    /// second copy of the same observable is the same version, not a new one.
    public var taxiiVersion: STIXTimestamp? { modified ?? created }

    /// `spec_version` as written; "2.1" when absent, which only an observable may be (STIX 2.1 makes it optional on
    /// cyber-observables and defaults it to 2.1 — observables were not top-level objects before 2.1 — while every
    /// other object without it was refused as STIX 2.0 by `init(properties:)`).
    public var declaredSpecVersion: String { properties["spec_version"]?.stringValue ?? STIXObject.specVersion }
}
