import Foundation
import TekigoCore

/// What each object type the STIX store keeps must carry, beyond the common rules `STIXObject.init(properties:)`
/// checks. The list is issue 14's; the facts are STIX 2.1's, checked against the OASIS JSON schemas
/// (`../shared/data/stix/stix2.1-json-schemas`), which are the authority where the prose and the schemas differ,
/// plus the ordering rules only the prose states (an indicator's `valid_until` after its `valid_from`, a `last_seen`
/// not before its `first_seen`, …).
///
/// Types outside the list. Refused with `STIXProblem.unsupportedType`, naming the list, except two kinds kept as
/// opaque objects (the common rules, markings and clock checks only, their own properties unread):
/// - a type an extension definition adds: the object's `extensions` holds an `extension-definition--…` entry with
///   `extension_type` `new-sdo`, `new-sco` or `new-sro` (STIX 2.1 §7.3). This is how STIX 2.1 adds types, and how the
///   Incident Core suite adds `task`, `event` and `impact` — Tekigo's own incident export carries a `task`;
/// - a custom type beginning with `x-` (STIX 2.1 §11.1: deprecated in favour of extensions but still valid; MITRE
///   ATT&CK's `x-mitre-…` objects are the common case). Like the domain objects they must carry `created` and
///   `modified`.
/// Beyond issue 14's list the store also keeps `campaign`, `infrastructure`, `location`, `software` and
/// `user-account`: published threat reports carry them (the OASIS Poison Ivy report has campaigns), and the store takes
/// a bundle whole or not at all, so refusing them would refuse the report. Any other type is refused: the store
/// promises to serve and mark what it keeps, and it keeps what it can check. Adding a type is one entry in `rules`.
public enum STIXTypeRules {
    /// What kind of object a type is, which decides the common properties it needs.
    public enum Kind: String, Sendable, Hashable {
        /// STIX domain object: `created` and `modified` required, to the millisecond.
        case domain
        /// STIX relationship object: as a domain object.
        case relationship
        /// STIX cyber-observable object: no `created` / `modified`; never versioned.
        case observable
        /// `marking-definition`: `created` required, never versioned (no `modified`).
        case marking
    }

    struct Rule: Sendable {
        let kind: Kind
        let check: @Sendable (STIXPropertyChecks) throws(STIXProblem) -> Void
    }

    /// The types the store keeps, sorted.
    public static var supportedTypes: [String] { rules.keys.sorted() }

    /// The kind of a supported type; nil for any other.
    public static func kind(of type: String) -> Kind? { rules[type]?.kind }

    /// The objects a reference may not name because they are not things (STIX 2.1 §5.1.1, §5.2.1).
    static let notReferenceable: Set<String> = ["relationship", "sighting", "bundle", "marking-definition", "language-content"]

    static let rules: [String: Rule] = [
        // MARK: domain objects (§4)
        "attack-pattern": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            try p.killChainPhases()
        },
        "campaign": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("aliases")
            try p.order("first_seen", "last_seen", strictly: false)
        },
        "course-of-action": Rule(kind: .domain) { p throws(STIXProblem) in _ = try p.requiredString("name") },
        "infrastructure": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("infrastructure_types")
            _ = try p.strings("aliases")
            try p.killChainPhases()
            try p.order("first_seen", "last_seen", strictly: false)
        },
        "location": Rule(kind: .domain) { p throws(STIXProblem) in
            // A region, a country, or a point (latitude with longitude); a precision only with a point (OASIS schema).
            let point = p.has("latitude") || p.has("longitude")
            if point {
                guard try p.number("latitude", in: -90...90) != nil, try p.number("longitude", in: -180...180) != nil else {
                    throw .requiredChoice(properties: ["latitude", "longitude"], exactlyOne: false)
                }
            } else if p.has("precision") {
                throw .requiredChoice(properties: ["latitude", "longitude"], exactlyOne: false)
            }
            guard point || p.has("region") || p.has("country") else {
                throw .requiredChoice(properties: ["region", "country", "latitude"], exactlyOne: false)
            }
            _ = try p.string("region")
            _ = try p.string("country")
        },
        "grouping": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("context")
            _ = try p.requiredIdentifiers("object_refs")
        },
        "identity": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("roles")
            _ = try p.strings("sectors")
        },
        "incident": Rule(kind: .domain) { p throws(STIXProblem) in _ = try p.requiredString("name") },
        "indicator": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("pattern")
            _ = try p.requiredString("pattern_type")
            _ = try p.requiredTimestamp("valid_from")
            try p.order("valid_from", "valid_until", strictly: true)
            _ = try p.strings("indicator_types")
            try p.killChainPhases()
            try STIXIndicatorPattern.check(p)
        },
        "intrusion-set": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("aliases")
            _ = try p.strings("goals")
            _ = try p.strings("secondary_motivations")
            try p.order("first_seen", "last_seen", strictly: false)
        },
        "malware": Rule(kind: .domain) { p throws(STIXProblem) in
            guard let family = try p.boolean("is_family") else { throw .missingProperty("is_family") }
            if family { _ = try p.requiredString("name") } else { _ = try p.string("name") }
            for list in ["aliases", "malware_types", "architecture_execution_envs", "implementation_languages", "capabilities"] {
                _ = try p.strings(list)
            }
            _ = try p.identifiers("operating_system_refs", ofTypes: ["software"])
            _ = try p.identifiers("sample_refs", ofTypes: ["file", "artifact"])
            try p.order("first_seen", "last_seen", strictly: false)
            try p.killChainPhases()
        },
        "note": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("content")
            _ = try p.requiredIdentifiers("object_refs")
            _ = try p.strings("authors")
        },
        "observed-data": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredTimestamp("first_observed")
            _ = try p.requiredTimestamp("last_observed")
            try p.order("first_observed", "last_observed", strictly: false)
            guard try p.integer("number_observed", in: 1...999_999_999) != nil else { throw .missingProperty("number_observed") }
            // `objects` (a dictionary of observables inside the object) is deprecated in 2.1 but valid; exactly one
            // of the two forms, as the OASIS schema's oneOf.
            switch (p.has("object_refs"), p.has("objects")) {
            case (true, false): _ = try p.requiredIdentifiers("object_refs")
            case (false, true): _ = try p.dictionary("objects")
            default: throw .requiredChoice(properties: ["object_refs", "objects"], exactlyOne: true)
            }
        },
        "report": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.requiredTimestamp("published")
            _ = try p.requiredIdentifiers("object_refs")
            _ = try p.strings("report_types")
        },
        "threat-actor": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            for list in ["threat_actor_types", "aliases", "roles", "goals", "secondary_motivations", "personal_motivations"] {
                _ = try p.strings(list)
            }
            try p.order("first_seen", "last_seen", strictly: false)
        },
        "tool": Rule(kind: .domain) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("aliases")
            _ = try p.strings("tool_types")
            try p.killChainPhases()
        },
        "vulnerability": Rule(kind: .domain) { p throws(STIXProblem) in _ = try p.requiredString("name") },

        // MARK: relationship objects (§5)
        "relationship": Rule(kind: .relationship) { p throws(STIXProblem) in
            let type = try p.requiredString("relationship_type")
            guard type.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
                throw .malformedValue(property: "relationship_type", value: type,
                                      expected: LocalizedText(en: "a relationship type (a–z, 0–9 and '-', e.g. indicates)",
                                                              ja: "関係の種類（a–z・0–9・「-」、例 indicates）"))
            }
            _ = try p.requiredIdentifier("source_ref", notOfTypes: notReferenceable)
            _ = try p.requiredIdentifier("target_ref", notOfTypes: notReferenceable)
            try p.order("start_time", "stop_time", strictly: true)
        },
        "sighting": Rule(kind: .relationship) { p throws(STIXProblem) in
            _ = try p.requiredIdentifier("sighting_of_ref", notOfTypes: notReferenceable)
            _ = try p.integer("count", in: 0...999_999_999)
            try p.order("first_seen", "last_seen", strictly: false)
            _ = try p.identifiers("observed_data_refs", ofTypes: ["observed-data"])
            _ = try p.identifiers("where_sighted_refs", ofTypes: ["identity", "location"])
            _ = try p.boolean("summary")
        },

        // MARK: cyber-observable objects (§6)
        "ipv4-addr": Rule(kind: .observable) { p throws(STIXProblem) in
            let v = try p.requiredString("value")
            guard STIXAddressForms.isIPv4(v, allowPrefix: true) else {
                throw .malformedValue(property: "value", value: v,
                                      expected: LocalizedText(en: "an IPv4 address or CIDR block (e.g. 198.51.100.3 or 198.51.100.0/24)",
                                                              ja: "IPv4 アドレス又は CIDR ブロック（例 198.51.100.3、198.51.100.0/24）"))
            }
            _ = try p.identifiers("resolves_to_refs", ofTypes: ["mac-addr"])
            _ = try p.identifiers("belongs_to_refs", ofTypes: ["autonomous-system"])
        },
        "ipv6-addr": Rule(kind: .observable) { p throws(STIXProblem) in
            let v = try p.requiredString("value")
            guard STIXAddressForms.isIPv6(v) else {
                throw .malformedValue(property: "value", value: v,
                                      expected: LocalizedText(en: "an IPv6 address or CIDR block (e.g. 2001:db8::1 or 2001:db8::/32)",
                                                              ja: "IPv6 アドレス又は CIDR ブロック（例 2001:db8::1、2001:db8::/32）"))
            }
            _ = try p.identifiers("resolves_to_refs", ofTypes: ["mac-addr"])
            _ = try p.identifiers("belongs_to_refs", ofTypes: ["autonomous-system"])
        },
        "domain-name": Rule(kind: .observable) { p throws(STIXProblem) in
            let v = try p.requiredString("value")
            guard STIXAddressForms.isDomainName(v) else {
                throw .malformedValue(property: "value", value: v,
                                      expected: LocalizedText(en: "a domain name (labels joined by '.', no spaces, e.g. example.com)",
                                                              ja: "ドメイン名（「.」で区切ったラベル、空白なし、例 example.com）"))
            }
            _ = try p.identifiers("resolves_to_refs", ofTypes: ["ipv4-addr", "ipv6-addr", "domain-name"])
        },
        "url": Rule(kind: .observable) { p throws(STIXProblem) in
            let v = try p.requiredString("value")
            guard STIXAddressForms.isURL(v) else {
                throw .malformedValue(property: "value", value: v,
                                      expected: LocalizedText(en: "a URL with a scheme and no spaces (RFC 3986, e.g. https://example.com/a)",
                                                              ja: "スキームを含み空白のない URL（RFC 3986、例 https://example.com/a）"))
            }
        },
        "email-addr": Rule(kind: .observable) { p throws(STIXProblem) in
            let v = try p.requiredString("value")
            guard STIXAddressForms.isEmailAddress(v) else {
                throw .malformedValue(property: "value", value: v,
                                      expected: LocalizedText(en: "an e-mail address (local-part@domain, no display name)",
                                                              ja: "メールアドレス（ローカル部@ドメイン、表示名なし）"))
            }
            _ = try p.string("display_name")
            _ = try p.identifier("belongs_to_ref", ofTypes: ["user-account"])
        },
        "file": Rule(kind: .observable) { p throws(STIXProblem) in
            guard p.has("hashes") || p.has("name") else { throw .requiredChoice(properties: ["hashes", "name"], exactlyOne: false) }
            if let h = p.properties["hashes"] { try STIXPropertyChecks.hashes(h, property: "hashes") }
            _ = try p.string("name")
            _ = try p.integer("size", in: 0...Int64.max)
            _ = try p.identifier("parent_directory_ref", ofTypes: ["directory"])
            _ = try p.identifiers("contains_refs")
            _ = try p.identifier("content_ref", ofTypes: ["artifact"])
        },

        "software": Rule(kind: .observable) { p throws(STIXProblem) in
            _ = try p.requiredString("name")
            _ = try p.strings("languages")
        },
        "user-account": Rule(kind: .observable) { p throws(STIXProblem) in
            // At least one property of its own (the OASIS schema's anyOf); the ones most reports carry are checked.
            let own = ["extensions", "user_id", "credential", "account_login", "account_type", "display_name", "is_service_account",
                       "is_privileged", "can_escalate_privs", "is_disabled", "account_created", "account_expires",
                       "credential_last_changed", "account_first_login", "account_last_login"]
            guard own.contains(where: p.has) else { throw .requiredChoice(properties: ["user_id", "account_login", "display_name"], exactlyOne: false) }
            _ = try p.string("user_id")
            _ = try p.string("account_login")
            _ = try p.boolean("is_privileged")
        },

        // MARK: meta objects (§7)
        "marking-definition": Rule(kind: .marking) { p throws(STIXProblem) in try STIXMarkingDefinitionRules.check(p) },
    ]
}

/// The text forms of the observables' `value`s. Hand-written and strict, so the store's search by value (issue 14
/// item 6) finds what was stored.
enum STIXAddressForms {
    /// Dotted quad without leading zeros, as the OASIS schema's pattern; with `allowPrefix`, a CIDR suffix /0–/32.
    static func isIPv4(_ text: String, allowPrefix: Bool) -> Bool {
        var address = Substring(text)
        if allowPrefix, let slash = text.firstIndex(of: "/") {
            let prefix = text[text.index(after: slash)...]
            guard let n = Int(prefix), (0...32).contains(n), String(n) == prefix else { return false }
            address = text[..<slash]
        }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let n = Int(part), n <= 255 else { return false }
            return String(n) == part
        }
    }

    /// RFC 4291 §2.2 text forms (full, `::`-compressed, with a trailing dotted IPv4), optionally /0–/128.
    static func isIPv6(_ text: String) -> Bool {
        var address = Substring(text)
        if let slash = text.firstIndex(of: "/") {
            let prefix = text[text.index(after: slash)...]
            guard let n = Int(prefix), (0...128).contains(n), String(n) == prefix else { return false }
            address = text[..<slash]
        }
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ s: String, last: Bool) -> Int? {
            if s.isEmpty { return 0 }
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (i, part) in parts.enumerated() {
                if last, i == parts.count - 1, part.contains(".") {
                    guard isIPv4(String(part), allowPrefix: false) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(part.count), part.utf8.allSatisfy(STIXPropertyChecks.isHex) else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(halves[0], last: true) == 8
        }
        guard let a = groups(halves[0], last: false), let b = groups(halves[1], last: true) else { return false }
        return a + b <= 7
    }

    /// Labels of 1–63 characters joined by '.', 253 characters at most, no spaces or control characters.
    /// Internationalized names are accepted as written (Unicode or punycode).
    static func isDomainName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.unicodeScalars.contains { forbidden($0) || $0 == "/" || $0 == "@" || $0 == ":" }
        }
    }

    /// A scheme (RFC 3986 §3.1) then ':' and more, without spaces or control characters.
    static func isURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else { return false }
        let scheme = text[..<colon].unicodeScalars
        guard let first = scheme.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        guard scheme.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." }) else {
            return false
        }
        return !text.unicodeScalars.contains(where: forbidden)
    }

    /// `local@domain` with one '@' and a domain name after it; no display name, angle brackets or spaces.
    static func isEmailAddress(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = String(text[text.index(after: at)...])
        guard !local.isEmpty, local.utf8.count <= 64, !local.unicodeScalars.contains(where: { forbidden($0) || $0 == "<" || $0 == ">" }) else { return false }
        return isDomainName(domain) || (domain.hasPrefix("[") && domain.hasSuffix("]"))
    }

    static func forbidden(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || c.value < 0x20 || c.value == 0x7F
    }
}
