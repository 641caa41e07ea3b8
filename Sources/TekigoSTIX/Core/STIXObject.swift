import Foundation

/// One STIX 2.1 object with every property it has (its own, custom ones, extensions), checked on construction for
/// the common rules every object follows: `type` and `id` agree and are well formed, `spec_version` is 2.1,
/// `created` / `modified` are STIX timestamps in order, `created_by_ref` names an identity and `object_marking_refs`
/// name marking definitions. What a particular type requires is checked where that type is read (the incident
/// importer) or, later, by the object store.
public struct STIXObject: Sendable, Hashable {
    public let id: STIXIdentifier
    public let properties: [String: JSONValue]

    /// The STIX version Tekigo reads and writes.
    public static let specVersion = "2.1"

    public init(properties: [String: JSONValue]) throws(STIXProblem) {
        guard let typeValue = properties["type"] else { throw .missingProperty("type") }
        guard let type = typeValue.stringValue else { throw .wrongKind(property: "type", expected: "a string", found: typeValue.kind) }
        guard STIXIdentifier.isValidType(type) else {
            throw .valueNotAllowed(property: "type", value: type, allowed: ["3–250 characters of a–z, 0–9 and '-'"])
        }
        guard let idValue = properties["id"] else { throw .missingProperty("id") }
        guard let idText = idValue.stringValue else { throw .wrongKind(property: "id", expected: "a string", found: idValue.kind) }
        guard let id = STIXIdentifier(idText) else { throw .malformedIdentifier(property: "id", value: idText) }
        guard id.type == type else { throw .idDoesNotMatchType(id: idText, type: type) }
        self.id = id
        self.properties = properties
        if let v = try string("spec_version"), v != Self.specVersion { throw .unsupportedSpecVersion(v) }
        let created = try timestamp("created")
        let modified = try timestamp("modified")
        // Objects with a creation time are domain, relationship or meta objects, which STIX 2.1 requires to say their
        // version; without one they are most likely STIX 2.0.
        if created != nil, properties["spec_version"] == nil { throw .missingProperty("spec_version") }
        if let created, let modified, modified < created {
            throw .modifiedBeforeCreated(created: properties["created"]?.stringValue ?? "", modified: properties["modified"]?.stringValue ?? "")
        }
        _ = try identifier("created_by_ref", ofType: "identity")
        _ = try identifiers("object_marking_refs", ofType: "marking-definition")
    }

    /// An object Tekigo makes: `type`, `id` and `spec_version` are set from `id`. Traps if the properties break the
    /// common rules, which would be a bug in Tekigo's exporter, not bad input.
    init(made id: STIXIdentifier, _ properties: [String: JSONValue]) {
        var p = properties
        p["type"] = .string(id.type)
        p["id"] = .string(id.rawValue)
        p["spec_version"] = .string(Self.specVersion)
        do { self = try STIXObject(properties: p) } catch { preconditionFailure("Tekigo made an invalid STIX object \(id): \(error)") }
    }

    public var type: String { id.type }

    /// The object as JSON (sorted keys).
    public func jsonData() throws -> Data { try JSONValue.object(properties).encoded() }

    public subscript(_ name: String) -> JSONValue? { properties[name] }

    public var created: STIXTimestamp? { try? timestamp("created") }
    public var modified: STIXTimestamp? { try? timestamp("modified") }
    public var createdByRef: STIXIdentifier? { try? identifier("created_by_ref", ofType: "identity") }
    public var objectMarkingRefs: [STIXIdentifier] { (try? identifiers("object_marking_refs", ofType: "marking-definition")) ?? [] }

    // MARK: typed reads: nil when absent, a problem naming the property when present but wrong

    public func string(_ name: String) throws(STIXProblem) -> String? {
        try Self.string(properties[name], name)
    }

    public func strings(_ name: String) throws(STIXProblem) -> [String]? {
        try Self.strings(properties[name], name)
    }

    public func timestamp(_ name: String) throws(STIXProblem) -> STIXTimestamp? {
        try Self.timestamp(properties[name], name)
    }

    public func identifier(_ name: String, ofType type: String? = nil) throws(STIXProblem) -> STIXIdentifier? {
        try Self.identifier(properties[name], name, ofType: type)
    }

    public func identifiers(_ name: String, ofType type: String? = nil) throws(STIXProblem) -> [STIXIdentifier]? {
        guard let texts = try strings(name) else { return nil }
        var out: [STIXIdentifier] = []
        for text in texts {
            guard let id = STIXIdentifier(text) else { throw .malformedIdentifier(property: name, value: text) }
            if let type, id.type != type { throw .identifierOfWrongType(property: name, value: text, expectedType: type) }
            out.append(id)
        }
        return out
    }

    static func string(_ value: JSONValue?, _ name: String) throws(STIXProblem) -> String? {
        guard let value else { return nil }
        guard let s = value.stringValue else { throw .wrongKind(property: name, expected: "a string", found: value.kind) }
        return s
    }

    static func strings(_ value: JSONValue?, _ name: String) throws(STIXProblem) -> [String]? {
        guard let value else { return nil }
        guard let list = value.stringArray else { throw .wrongKind(property: name, expected: "a list of strings", found: value.kind) }
        guard !list.isEmpty else { throw .emptyList(property: name) }
        return list
    }

    static func timestamp(_ value: JSONValue?, _ name: String) throws(STIXProblem) -> STIXTimestamp? {
        guard let text = try string(value, name) else { return nil }
        guard let t = STIXTimestamp(text) else { throw .malformedTimestamp(property: name, value: text) }
        return t
    }

    static func identifier(_ value: JSONValue?, _ name: String, ofType type: String?) throws(STIXProblem) -> STIXIdentifier? {
        guard let text = try string(value, name) else { return nil }
        guard let id = STIXIdentifier(text) else { throw .malformedIdentifier(property: name, value: text) }
        if let type, id.type != type { throw .identifierOfWrongType(property: name, value: text, expectedType: type) }
        return id
    }
}

/// A STIX 2.1 bundle (§8): a wrapper that carries objects; it has no version and no meaning of its own.
public struct STIXBundle: Sendable, Hashable {
    public let id: STIXIdentifier
    public var objects: [STIXObject]

    public init(id: STIXIdentifier, objects: [STIXObject]) {
        precondition(id.type == "bundle", "a bundle's id must be bundle--UUID")
        self.id = id
        self.objects = objects
    }

    /// The bundle as JSON: sorted keys, so the same bundle always gives the same bytes.
    public func jsonData() throws -> Data {
        let value: JSONValue = .object([
            "type": "bundle",
            "id": .string(id.rawValue),
            "objects": .array(objects.map { .object($0.properties) }),
        ])
        return try value.encoded()
    }

    /// The first object with `id` (a bundle may carry several versions of one object).
    public func object(_ id: STIXIdentifier) -> STIXObject? { objects.first { $0.id == id } }
}

/// STIX content as it was read: the objects and the form they came in.
public struct STIXContent: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
        case bundle(STIXIdentifier)
        /// One object at the top level (the specification's examples often are).
        case singleObject
        /// A JSON list of objects: not a STIX form, but some published examples use it.
        case list
    }

    public let form: Form
    public let objects: [STIXObject]

    /// Reads a bundle, a single object or a list of objects. Every object is checked for the common rules
    /// (`STIXObject.init(properties:)`); the first object that breaks one fails the whole read, naming it.
    public static func read(_ data: Data) throws(STIXError) -> STIXContent {
        let top: JSONValue
        do {
            top = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(ctx) {
            let underlying = (ctx.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            throw .invalidJSON(detail: underlying ?? ctx.debugDescription)
        } catch {
            throw .invalidJSON(detail: String(describing: error))
        }
        switch top {
        case .array(let items):
            return STIXContent(form: .list, objects: try objects(items, prefix: ""))
        case .object(let o) where o["type"] == "bundle":
            return try bundle(o)
        case .object(let o):
            do {
                return STIXContent(form: .singleObject, objects: [try STIXObject(properties: o)])
            } catch {
                throw .invalidObject(id: o["id"]?.stringValue ?? "the top-level object", problem: error)
            }
        default:
            throw .notSTIXContent(found: top.kind)
        }
    }

    static func bundle(_ o: [String: JSONValue]) throws(STIXError) -> STIXContent {
        let name = o["id"]?.stringValue ?? "the bundle"
        guard let idText = o["id"]?.stringValue else {
            throw .invalidObject(id: name, problem: o["id"] == nil ? .missingProperty("id")
                                 : .wrongKind(property: "id", expected: "a string", found: o["id"]!.kind))
        }
        guard let id = STIXIdentifier(idText) else { throw .invalidObject(id: name, problem: .malformedIdentifier(property: "id", value: idText)) }
        guard id.type == "bundle" else { throw .invalidObject(id: name, problem: .idDoesNotMatchType(id: idText, type: "bundle")) }
        // STIX 2.0 bundles carry spec_version; 2.1 bundles do not.
        if let v = o["spec_version"] { throw .invalidObject(id: name, problem: .unsupportedSpecVersion(v.stringValue ?? v.kind)) }
        guard let list = o["objects"] else { return STIXContent(form: .bundle(id), objects: []) }
        guard let items = list.arrayValue else {
            throw .invalidObject(id: name, problem: .wrongKind(property: "objects", expected: "a list of objects", found: list.kind))
        }
        return STIXContent(form: .bundle(id), objects: try objects(items, prefix: "objects"))
    }

    static func objects(_ items: [JSONValue], prefix: String) throws(STIXError) -> [STIXObject] {
        var out: [STIXObject] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let position = "\(prefix)[\(i)]"
            guard let o = item.objectValue else {
                throw .invalidObject(id: position, problem: .wrongKind(property: position, expected: "an object", found: item.kind))
            }
            do {
                out.append(try STIXObject(properties: o))
            } catch {
                let id = o["id"]?.stringValue.flatMap { STIXIdentifier($0) != nil ? $0 : nil } ?? position
                throw .invalidObject(id: id, problem: error)
            }
        }
        return out
    }
}
