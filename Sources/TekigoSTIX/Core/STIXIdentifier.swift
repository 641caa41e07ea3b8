import Foundation

/// A STIX 2.1 identifier, `object-type--UUID` (STIX 2.1 §2.9): the type is 3–250 characters of a–z, 0–9 and `-`,
/// starting with a letter and ending with a letter or digit; the UUID is an RFC 4122 UUID (version 1–5, variant
/// 10xx), as the OASIS `identifier.json` schema checks it. The text is kept as written (the hex may be upper case in
/// someone else's file); Tekigo writes lower case.
public struct STIXIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    /// The object type before `--`.
    public let type: String
    public let uuid: UUID

    /// Nil when `text` is not `object-type--UUID` as above.
    public init?(_ text: String) {
        guard let range = text.range(of: "--") else { return nil }
        let type = String(text[..<range.lowerBound])
        let uuidText = String(text[range.upperBound...])
        guard Self.isValidType(type), uuidText.utf8.count == 36, let uuid = UUID(uuidString: uuidText) else { return nil }
        let bytes = Self.bytes(of: uuid)
        guard (1...5).contains(bytes[6] >> 4), bytes[8] & 0xC0 == 0x80 else { return nil }
        self.rawValue = text
        self.type = type
        self.uuid = uuid
    }

    /// A new identifier of `type` for `uuid`, written in lower case. `type` must be a valid STIX type (the callers pass
    /// literals such as "incident").
    public init(type: String, uuid: UUID) {
        precondition(Self.isValidType(type), "'\(type)' is not a STIX object type")
        self.type = type
        self.uuid = uuid
        self.rawValue = "\(type)--\(uuid.uuidString.lowercased())"
    }

    /// A name-based identifier (UUID version 5, RFC 9562 §5.5): the same `name` in the same `namespace` always gives the
    /// same identifier, so an object exported twice keeps its id and a receiver sees a new version, not a new object.
    public static func nameBased(type: String, namespace: UUID, name: String) -> STIXIdentifier {
        STIXIdentifier(type: type, uuid: uuidV5(namespace: namespace, name: name))
    }

    /// Tekigo's namespace for its name-based STIX identifiers. STIX 2.1 §2.9 lets a producer use UUIDv5 for domain
    /// objects with a namespace of its own, never the namespace it reserves for cyber-observables
    /// (`00abedb4-aa42-466c-9c01-fed23315a9b7`). Fixed for ever: changing it changes every id Tekigo has published.
    public static let tekigoNamespace = UUID(uuidString: "e733141d-d21a-47fc-a189-ff25898f3d09")!

    /// The namespace STIX 2.1 §2.9 gives for cyber-observable (SCO) identifiers.
    public static let observableNamespace = UUID(uuidString: "00abedb4-aa42-466c-9c01-fed23315a9b7")!

    public var description: String { rawValue }

    public static func < (a: STIXIdentifier, b: STIXIdentifier) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = STIXIdentifier(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a STIX identifier"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// STIX 2.1 §3.1 (the `type` property): 3–250 characters, a–z 0–9 and hyphen, starting with a letter, not
    /// ending with a hyphen, and no `--` (which would make the identifier ambiguous).
    public static func isValidType(_ type: String) -> Bool {
        let u = Array(type.utf8)
        guard (3...250).contains(u.count), let first = u.first, let last = u.last else { return false }
        func lowerOrDigit(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
        guard (0x61...0x7A).contains(first), lowerOrDigit(last) else { return false }
        guard u.allSatisfy({ lowerOrDigit($0) || $0 == 0x2D }) else { return false }
        return !type.contains("--")
    }

    static func bytes(of uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    /// RFC 9562 §5.5: SHA-1 of the namespace's 16 bytes followed by the name's UTF-8, version 5, variant 10.
    static func uuidV5(namespace: UUID, name: String) -> UUID {
        var hash = SHA1.digest(bytes(of: namespace) + Array(name.utf8))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        return UUID(uuid: (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7],
                           hash[8], hash[9], hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]))
    }
}
