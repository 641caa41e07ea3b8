import Foundation
import TekigoCore

/// Typed reads of one object's properties for the type rules: each either returns the value or throws the
/// `STIXProblem` that names the property. Absent optional properties read as nil.
struct STIXPropertyChecks {
    let object: STIXObject

    init(_ object: STIXObject) { self.object = object }

    var properties: [String: JSONValue] { object.properties }

    func has(_ name: String) -> Bool { properties[name] != nil }

    /// A required, non-empty string.
    func requiredString(_ name: String) throws(STIXProblem) -> String {
        guard let s = try object.string(name) else { throw .missingProperty(name) }
        guard !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyText(property: name) }
        return s
    }

    func string(_ name: String) throws(STIXProblem) -> String? { try object.string(name) }

    func requiredTimestamp(_ name: String) throws(STIXProblem) -> STIXTimestamp {
        guard let t = try object.timestamp(name) else { throw .missingProperty(name) }
        return t
    }

    func timestamp(_ name: String) throws(STIXProblem) -> STIXTimestamp? { try object.timestamp(name) }

    func boolean(_ name: String) throws(STIXProblem) -> Bool? {
        guard let v = properties[name] else { return nil }
        guard case .bool(let b) = v else { throw .wrongKind(property: name, expected: "true or false", found: v.kind) }
        return b
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws(STIXProblem) -> Int64? {
        guard let v = properties[name] else { return nil }
        guard let i = v.integerValue else { throw .wrongKind(property: name, expected: "a whole number", found: v.kind) }
        guard range.contains(i) else {
            throw .outOfRange(property: name, value: String(i), minimum: range.lowerBound, maximum: range.upperBound)
        }
        return i
    }

    /// A number (integer or not) within `range`, e.g. a location's latitude.
    func number(_ name: String, in range: ClosedRange<Double>) throws(STIXProblem) -> Double? {
        guard let v = properties[name] else { return nil }
        let n: Double
        switch v {
        case .integer(let i): n = Double(i)
        case .number(let d): n = d
        default: throw .wrongKind(property: name, expected: "a number", found: v.kind)
        }
        guard range.contains(n) else {
            throw .malformedValue(property: name, value: "\(n)",
                                  expected: LocalizedText(en: "a number from \(range.lowerBound) to \(range.upperBound)",
                                                          ja: "\(range.lowerBound)～\(range.upperBound) の数値"))
        }
        return n
    }

    /// A non-empty list of strings (the STIX lists that may not be empty).
    func strings(_ name: String) throws(STIXProblem) -> [String]? { try object.strings(name) }

    func requiredIdentifiers(_ name: String, ofTypes types: Set<String>? = nil) throws(STIXProblem) -> [STIXIdentifier] {
        guard let ids = try identifiers(name, ofTypes: types) else { throw .missingProperty(name) }
        return ids
    }

    func identifiers(_ name: String, ofTypes types: Set<String>? = nil) throws(STIXProblem) -> [STIXIdentifier]? {
        guard let ids = try object.identifiers(name) else { return nil }
        if let types { for id in ids { try Self.check(id, property: name, ofTypes: types) } }
        return ids
    }

    func requiredIdentifier(_ name: String, ofTypes types: Set<String>? = nil, notOfTypes excluded: Set<String> = []) throws(STIXProblem) -> STIXIdentifier {
        guard let id = try identifier(name, ofTypes: types, notOfTypes: excluded) else { throw .missingProperty(name) }
        return id
    }

    func identifier(_ name: String, ofTypes types: Set<String>? = nil, notOfTypes excluded: Set<String> = []) throws(STIXProblem) -> STIXIdentifier? {
        guard let id = try object.identifier(name) else { return nil }
        if let types { try Self.check(id, property: name, ofTypes: types) }
        if excluded.contains(id.type) {
            throw .valueNotAllowed(property: name, value: id.rawValue,
                                   allowed: ["an identifier of any type but " + excluded.sorted().joined(separator: ", ")])
        }
        return id
    }

    static func check(_ id: STIXIdentifier, property: String, ofTypes types: Set<String>) throws(STIXProblem) {
        guard !types.contains(id.type) else { return }
        throw .identifierOfWrongType(property: property, value: id.rawValue, expectedType: types.sorted().joined(separator: " or "))
    }

    /// `later` must come after `earlier` (or at the same time unless `strictly`), when both are present.
    func order(_ earlier: String, _ later: String, strictly: Bool) throws(STIXProblem) {
        guard let a = try timestamp(earlier), let b = try timestamp(later) else { return }
        if strictly ? b <= a : b < a {
            throw .timesOutOfOrder(property: later, value: properties[later]?.stringValue ?? "", other: earlier,
                                   otherValue: properties[earlier]?.stringValue ?? "", strictly: strictly)
        }
    }

    /// `kill_chain_phases` (STIX 2.1 §2.8): a non-empty list of objects with `kill_chain_name` and `phase_name`.
    func killChainPhases() throws(STIXProblem) {
        guard let items = try list("kill_chain_phases") else { return }
        for (i, item) in items.enumerated() {
            let at = "kill_chain_phases[\(i)]"
            guard let o = item.objectValue else { throw .wrongKind(property: at, expected: "an object", found: item.kind) }
            for name in ["kill_chain_name", "phase_name"] {
                guard let v = o[name] else { throw .missingProperty("\(at).\(name)") }
                guard let s = v.stringValue else { throw .wrongKind(property: "\(at).\(name)", expected: "a string", found: v.kind) }
                guard !s.isEmpty else { throw .emptyText(property: "\(at).\(name)") }
            }
        }
    }

    /// A non-empty JSON list.
    func list(_ name: String) throws(STIXProblem) -> [JSONValue]? {
        guard let v = properties[name] else { return nil }
        guard let items = v.arrayValue else { throw .wrongKind(property: name, expected: "a list", found: v.kind) }
        guard !items.isEmpty else { throw .emptyList(property: name) }
        return items
    }

    /// A non-empty JSON object.
    func dictionary(_ name: String) throws(STIXProblem) -> [String: JSONValue]? {
        guard let v = properties[name] else { return nil }
        guard let o = v.objectValue else { throw .wrongKind(property: name, expected: "an object", found: v.kind) }
        guard !o.isEmpty else { throw .emptyList(property: name) }
        return o
    }

    /// STIX 2.1 §2.7 hashes: a non-empty dictionary; the algorithms of the hash-algorithm vocabulary must carry a
    /// value of their form (hex of the digest's length); other keys (3–250 characters of letters, digits, '_', '-')
    /// are custom algorithms whose values are kept as written.
    static func hashes(_ value: JSONValue, property: String) throws(STIXProblem) {
        guard let o = value.objectValue else { throw .wrongKind(property: property, expected: "an object", found: value.kind) }
        guard !o.isEmpty else { throw .emptyList(property: property) }
        for key in o.keys.sorted() {
            let at = "\(property).\(key)"
            guard let v = o[key]?.stringValue else { throw .wrongKind(property: at, expected: "a string", found: o[key]!.kind) }
            if let form = hashForms[key] {
                guard form.matches(v) else { throw .malformedValue(property: at, value: v, expected: form.text) }
            } else {
                let u = Array(key.utf8)
                let ok = (3...250).contains(u.count) && u.allSatisfy { isAlphanumeric($0) || $0 == 0x5F || $0 == 0x2D }
                guard ok else {
                    throw .malformedValue(property: property, value: key,
                                          expected: LocalizedText(en: "a hash algorithm name (MD5, SHA-1, SHA-256, SHA-512, … or 3–250 letters, digits, '_' and '-')",
                                                                  ja: "ハッシュアルゴリズム名（MD5、SHA-1、SHA-256、SHA-512 など、又は英数字・「_」・「-」の 3〜250 文字）"))
                }
            }
        }
    }

    struct HashForm {
        let length: ClosedRange<Int>
        let hex: Bool
        let text: LocalizedText

        func matches(_ v: String) -> Bool {
            let u = Array(v.utf8)
            guard length.contains(u.count) else { return false }
            if hex { return u.allSatisfy(isHex) }
            return u.allSatisfy { isAlphanumeric($0) || $0 == 0x2F || $0 == 0x2B || $0 == 0x3A || $0 == 0x2E }
        }
    }

    static func hexForm(_ digits: Int, _ name: String) -> HashForm {
        HashForm(length: digits...digits, hex: true,
                 text: LocalizedText(en: "a \(name) digest (\(digits) hexadecimal digits)", ja: "\(name) のダイジェスト（16 進 \(digits) 桁）"))
    }

    /// The hash-algorithm-ov values with a fixed form (the OASIS `hashes-type.json`).
    static let hashForms: [String: HashForm] = [
        "MD5": hexForm(32, "MD5"),
        "SHA-1": hexForm(40, "SHA-1"),
        "SHA-256": hexForm(64, "SHA-256"),
        "SHA-512": hexForm(128, "SHA-512"),
        "SHA3-256": hexForm(64, "SHA3-256"),
        "SHA3-512": hexForm(128, "SHA3-512"),
        "SSDEEP": HashForm(length: 1...128, hex: false,
                           text: LocalizedText(en: "an SSDEEP hash (up to 128 letters, digits and / + : .)", ja: "SSDEEP ハッシュ（英数字と / + : . の 128 文字以内）")),
        "TLSH": HashForm(length: 70...70, hex: false,
                         text: LocalizedText(en: "a TLSH hash (70 letters and digits)", ja: "TLSH ハッシュ（英数字 70 文字）")),
    ]

    static func isHex(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c) }
    static func isAlphanumeric(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
}
