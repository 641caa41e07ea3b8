import Foundation
import TekigoCore

/// Strict validation of one STIX 2.1 object for the store, on top of the common rules `STIXObject.init(properties:)`
/// already checked (type and id, spec_version, timestamps, created ≤ modified):
/// 1. property names: STIX 2.1's form (3–250 of a–z, 0–9, '_', starting with a letter; `id` aside), none of the
///    reserved names;
/// 2. the type: one the store keeps (`STIXTypeRules`), or a type an extension definition adds, or an `x-` custom
///    type (kept opaque); anything else is `.unsupportedType`;
/// 3. the common properties the kind needs: domain and relationship objects `created` and `modified`, precise to the
///    millisecond; marking definitions `created`; and the optional common properties in their form (labels,
///    confidence 0–100, revoked, lang, external references with CVE / CAPEC ids in form, extensions);
/// 4. granular markings (`STIXGranularMarkings`);
/// 5. the clock: `modified` or `created` later than `now` plus `clockSkewAllowance` is refused;
/// 6. the type's own rules (required properties, ranges, orders, value forms, indicator patterns).
/// The first failure is thrown; `STIXIngest` names the object it came from.
public struct STIXObjectValidator: Sendable {
    /// How far ahead of the receiver's clock a `created` or `modified` may be: producers' clocks differ by seconds
    /// to a few minutes in practice (NTP-synchronised hosts are within well under a second; laptops and appliances
    /// without it drift), and five minutes is the skew Kerberos has long tolerated for the same reason. Beyond that
    /// the time is not a clock difference but a version from the future, which would outrank every honest later
    /// version of the object (the newest `modified` wins in TAXII), so it is refused. The messages say "5 minutes".
    public static let clockSkewAllowance: Int64 = 5 * 60

    /// The receiver's clock, injected so tests and replays decide it.
    public let now: STIXTimestamp

    public init(now: STIXTimestamp) {
        self.now = now
    }

    public func validate(_ object: STIXObject) throws(STIXProblem) {
        let p = STIXPropertyChecks(object)
        for name in object.properties.keys.sorted() {
            guard Self.isPropertyName(name) else { throw .malformedPropertyName(name) }
            if Self.reservedNames.contains(name) { throw .reservedProperty(name) }
        }
        let (kind, rule) = try Self.kind(of: object)
        switch kind {
        case .domain, .relationship:
            for name in ["created", "modified"] {
                guard let text = try p.string(name) else { throw .missingProperty(name) }
                guard Self.isMillisecondPrecise(text) else { throw .timestampPrecision(property: name, value: text) }
            }
        case .marking:
            _ = try p.requiredTimestamp("created")
        case .observable:
            break
        }
        try Self.commonProperties(p)
        try STIXGranularMarkings.check(object)
        let latest = STIXTimestamp(seconds: now.seconds + Self.clockSkewAllowance, nanoseconds: now.nanoseconds)
        for name in ["modified", "created"] {
            if let t = try p.timestamp(name), t > latest {
                throw .futureTimestamp(property: name, value: object.properties[name]?.stringValue ?? "", now: now.description)
            }
        }
        try rule?.check(p)
    }

    /// The object's kind and its type's rule; nil rule for the opaque kinds (extension-defined or `x-` types).
    static func kind(of object: STIXObject) throws(STIXProblem) -> (STIXTypeRules.Kind, STIXTypeRules.Rule?) {
        if let rule = STIXTypeRules.rules[object.type] { return (rule.kind, rule) }
        if let extensions = object.properties["extensions"]?.objectValue {
            for (key, value) in extensions where key.hasPrefix("extension-definition--") {
                switch value.objectValue?["extension_type"]?.stringValue {
                case "new-sdo": return (.domain, nil)
                case "new-sro": return (.relationship, nil)
                case "new-sco": return (.observable, nil)
                default: continue
                }
            }
        }
        if object.type.hasPrefix("x-") { return (.domain, nil) }
        throw .unsupportedType(object.type, supported: STIXTypeRules.supportedTypes)
    }

    /// Names STIX 2.1 reserves for future use and forbids on objects (the OASIS `core.json` and
    /// `cyber-observable-core.json` refuse them).
    static let reservedNames: Set<String> = ["severity", "action", "username", "phone_numbers"]

    /// STIX 2.1 §3.1 / the OASIS `properties.json`: a–z, 0–9 and '_', starting with a letter, 3–250 characters; `id`
    /// is the one shorter name.
    static func isPropertyName(_ name: String) -> Bool {
        if name == "id" { return true }
        let u = Array(name.utf8)
        guard (3...250).contains(u.count), let first = u.first, (0x61...0x7A).contains(first) else { return false }
        return u.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// `created` / `modified` of domain and relationship objects "MUST be precise to the nearest millisecond": at
    /// least three fraction digits (the OASIS `core.json` pattern `T\d{2}:\d{2}:\d{2}\.\d{3,}Z$`).
    static func isMillisecondPrecise(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard let dot = u.lastIndex(of: UInt8(ascii: ".")), u.last == UInt8(ascii: "Z") else { return false }
        return u.count - dot - 2 >= 3
    }

    static let extensionTypes = ["new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"]

    static func commonProperties(_ p: STIXPropertyChecks) throws(STIXProblem) {
        _ = try p.strings("labels")
        _ = try p.integer("confidence", in: 0...100)
        _ = try p.boolean("revoked")
        _ = try p.boolean("defanged")
        _ = try p.string("lang")
        if let references = try p.list("external_references") {
            for (i, item) in references.enumerated() { try externalReference(item, at: "external_references[\(i)]") }
        }
        if let extensions = try p.dictionary("extensions") {
            for key in extensions.keys.sorted() {
                let at = "extensions.\(key)"
                guard let body = extensions[key]?.objectValue else {
                    throw .wrongKind(property: at, expected: "an object", found: extensions[key]!.kind)
                }
                if let id = STIXIdentifier(key), id.type == "extension-definition" {
                    guard let t = body["extension_type"] else { throw .missingProperty("\(at).extension_type") }
                    guard let s = t.stringValue, extensionTypes.contains(s) else {
                        throw .valueNotAllowed(property: "\(at).extension_type", value: t.stringValue ?? t.kind, allowed: extensionTypes)
                    }
                } else if isPredefinedExtensionName(key) {
                    guard !body.isEmpty else { throw .emptyList(property: at) }
                } else {
                    throw .malformedValue(property: "extensions", value: key,
                                          expected: LocalizedText(en: "an extension-definition id or a predefined extension name ending in '-ext'",
                                                                  ja: "extension-definition の id 又は「-ext」で終わる定義済み拡張の名前"))
                }
            }
        }
    }

    /// The predefined extensions of STIX 2.1 §6 are named `something-ext` (`ntfs-ext`, `archive-ext`, …); the
    /// Incident Core suite's sub-extensions follow the same form (`availability-ext`).
    static func isPredefinedExtensionName(_ key: String) -> Bool {
        guard key.hasSuffix("-ext"), key.count > 4, let first = key.utf8.first, (0x61...0x7A).contains(first) else { return false }
        return key.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D } && !key.contains("--")
    }

    /// STIX 2.1 §2.5: `source_name` required, and at least one of `description`, `url`, `external_id`; a `cve` or
    /// `capec` source carries its id in that registry's form; `hashes` in the hashes form.
    static func externalReference(_ value: JSONValue, at: String) throws(STIXProblem) {
        guard let o = value.objectValue else { throw .wrongKind(property: at, expected: "an object", found: value.kind) }
        guard let source = try STIXObject.string(o["source_name"], "\(at).source_name") else { throw .missingProperty("\(at).source_name") }
        guard !source.isEmpty else { throw .emptyText(property: "\(at).source_name") }
        for name in ["description", "url", "external_id"] { _ = try STIXObject.string(o[name], "\(at).\(name)") }
        guard o["description"] != nil || o["url"] != nil || o["external_id"] != nil else {
            throw .requiredChoice(properties: ["\(at).description", "\(at).url", "\(at).external_id"], exactlyOne: false)
        }
        let externalID = o["external_id"]?.stringValue
        switch source {
        case "cve":
            guard let externalID, isCVE(externalID) else {
                throw .malformedValue(property: "\(at).external_id", value: externalID ?? "",
                                      expected: LocalizedText(en: "a CVE id (CVE-YYYY-NNNN…)", ja: "CVE 番号（CVE-YYYY-NNNN…）"))
            }
        case "capec":
            guard let externalID, externalID.hasPrefix("CAPEC-"), externalID.count > 6,
                  externalID.dropFirst(6).utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw .malformedValue(property: "\(at).external_id", value: externalID ?? "",
                                      expected: LocalizedText(en: "a CAPEC id (CAPEC-N)", ja: "CAPEC 番号（CAPEC-N）"))
            }
        default:
            break
        }
        if let hashes = o["hashes"] { try STIXPropertyChecks.hashes(hashes, property: "\(at).hashes") }
    }

    /// `CVE-` four-digit year `-` four or more digits, no leading zero beyond four digits (the OASIS pattern).
    static func isCVE(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[2].count >= 4,
              (parts[1] + parts[2]).utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        return parts[2].count == 4 || parts[2].first != "0"
    }
}
