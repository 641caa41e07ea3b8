import Foundation
import TekigoCore

/// What kind of value the sharing hub's search by value (issue 14 item 6) indexes and understands.
public enum STIXSearchKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ipv4
    case ipv6
    case domain
    case url
    case email
    /// A file hash (MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512): lower-case hex.
    case hash
    /// A CVE id, upper-case (`CVE-2021-44228`).
    case cve
    /// A file's `name`, as written.
    case fileName = "file-name"
    /// A vulnerability's `name` that is not a CVE id, as written.
    case name
    /// The id of the object a relationship or sighting points at (`source_ref`, `target_ref`, `sighting_of_ref`):
    /// "what points at this object" on its page.
    case ref

    /// How the page names the kind it understood.
    public var label: LocalizedText {
        switch self {
        case .ipv4: return LocalizedText(en: "IPv4 address", ja: "IPv4 アドレス")
        case .ipv6: return LocalizedText(en: "IPv6 address", ja: "IPv6 アドレス")
        case .domain: return LocalizedText(en: "domain name", ja: "ドメイン名")
        case .url: return LocalizedText(en: "URL", ja: "URL")
        case .email: return LocalizedText(en: "e-mail address", ja: "メールアドレス")
        case .hash: return LocalizedText(en: "file hash", ja: "ファイルハッシュ")
        case .cve: return LocalizedText(en: "CVE id", ja: "CVE 番号")
        case .fileName: return LocalizedText(en: "file name", ja: "ファイル名")
        case .name: return LocalizedText(en: "vulnerability name", ja: "脆弱性の名前")
        case .ref: return LocalizedText(en: "object reference", ja: "オブジェクト参照")
        }
    }
}

/// One searchable value of a stored object version: its kind and its normalised text.
public struct STIXSearchValue: Sendable, Hashable, Codable, Comparable {
    public let kind: STIXSearchKind
    public let value: String

    public init(kind: STIXSearchKind, value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: STIXSearchValue, b: STIXSearchValue) -> Bool {
        (a.kind.rawValue, a.value) < (b.kind.rawValue, b.value)
    }
}

/// The values an object is found by, and what a person typed read the same way. Pure: the use-case layer hands the
/// values to the store with each object (the store's value index, migration 16), and reads the search box with
/// `understand`.
///
/// What is indexed: the `value` of ipv4-addr, ipv6-addr, domain-name, url and email-addr; a file's hashes (MD5, SHA-1,
/// SHA-256, SHA-512, SHA3-256, SHA3-512) and name; a vulnerability's name and its CVE external ids; the values an
/// indicator's STIX pattern names positively on those properties (`=` and `IN`, `STIXPattern.namedValues`); and the
/// object a relationship or sighting points at. Normalised so that what is typed and what was stored meet: domains,
/// e-mail addresses and hashes lower-case, IP addresses in their canonical text (IPv4 without leading zeros, IPv6 as
/// RFC 5952 §4 writes it — an embedded IPv4 tail in hex too, `::ffff:c000:201`, not §5's mixed notation; a /32 or /128
/// prefix dropped), a URL's scheme and host lower-case, CVE ids upper-case.
public enum STIXSearchValues {
    /// Longer values are not indexed (a database index keeps a bounded key; no one types a 1,000-character URL).
    public static let maximumLength = 1000

    /// The hash algorithms indexed, as STIX names them.
    public static let hashAlgorithms: Set<String> = ["MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512"]

    /// The object's searchable values, each once, sorted.
    public static func values(of object: STIXObject) -> [STIXSearchValue] {
        values(type: object.type, properties: object.properties)
    }

    /// The searchable values of an object of `type` with `properties` (its JSON's top level), each once, sorted.
    public static func values(type: String, properties p: [String: JSONValue]) -> [STIXSearchValue] {
        var out = Set<STIXSearchValue>()
        func add(_ kind: STIXSearchKind, _ raw: String?) {
            guard let raw, let v = normalise(raw, as: kind) else { return }
            out.insert(STIXSearchValue(kind: kind, value: v))
        }
        switch type {
        case "ipv4-addr": add(.ipv4, p["value"]?.stringValue)
        case "ipv6-addr": add(.ipv6, p["value"]?.stringValue)
        case "domain-name": add(.domain, p["value"]?.stringValue)
        case "url": add(.url, p["value"]?.stringValue)
        case "email-addr": add(.email, p["value"]?.stringValue)
        case "file":
            for (algorithm, v) in p["hashes"]?.objectValue ?? [:] where hashAlgorithms.contains(algorithm) { add(.hash, v.stringValue) }
            add(.fileName, p["name"]?.stringValue)
        case "vulnerability":
            if let name = p["name"]?.stringValue {
                if normalise(name, as: .cve) != nil { add(.cve, name) } else { add(.name, name) }
            }
            for r in p["external_references"]?.arrayValue ?? [] {
                guard let o = r.objectValue, o["source_name"]?.stringValue?.lowercased() == "cve" else { continue }
                add(.cve, o["external_id"]?.stringValue)
            }
        case "indicator":
            guard p["pattern_type"]?.stringValue == "stix", let text = p["pattern"]?.stringValue,
                  let pattern = try? STIXPattern.parse(text) else { break }
            for (path, value) in pattern.namedValues {
                if let kind = kind(of: path) { add(kind, value) }
            }
        case "relationship":
            add(.ref, p["source_ref"]?.stringValue)
            add(.ref, p["target_ref"]?.stringValue)
        case "sighting":
            add(.ref, p["sighting_of_ref"]?.stringValue)
        default:
            break
        }
        return out.sorted()
    }

    /// The kind a pattern's object path names, or nil when it is not one the index keeps.
    static func kind(of path: STIXObjectPath) -> STIXSearchKind? {
        switch (path.objectType, path.property, path.steps) {
        case ("ipv4-addr", "value", []): return .ipv4
        case ("ipv6-addr", "value", []): return .ipv6
        case ("domain-name", "value", []): return .domain
        case ("url", "value", []): return .url
        case ("email-addr", "value", []): return .email
        case ("file", "name", []): return .fileName
        case ("file", "hashes", let steps):
            guard steps.count == 1, case .property(let algorithm) = steps[0], hashAlgorithms.contains(algorithm.uppercased()) else { return nil }
            return .hash
        case ("vulnerability", "name", []): return .cve
        default: return nil
        }
    }

    // MARK: - Reading what a person typed

    /// What was typed, read as a value of one kind: a CVE id, an IPv4 or IPv6 address (or CIDR block), a hash (32,
    /// 40, 64 or 128 hex digits), a URL (a scheme and `://`, or a `mailto:` / `urn:`), an e-mail address, a domain
    /// name; nil when it is none of those (the page then says what it takes). Surrounding spaces are removed and a
    /// "defanged" value read as the value it stands for first (`198.51.100[.]7`, `(.)`, `[@]`, `hxxp://`).
    public static func understand(_ typed: String) -> STIXSearchValue? {
        var text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumLength else { return nil }
        text = text.replacingOccurrences(of: "[.]", with: ".").replacingOccurrences(of: "(.)", with: ".")
            .replacingOccurrences(of: "[@]", with: "@")
        if text.lowercased().hasPrefix("hxxp") { text = "http" + text.dropFirst(4) }
        for kind in [STIXSearchKind.cve, .ipv4, .ipv6, .hash, .url, .email, .domain] {
            if let v = normalise(text, as: kind) { return STIXSearchValue(kind: kind, value: v) }
        }
        return nil
    }

    // MARK: - Normalising

    /// `text` in the kind's normal form, or nil when it is not a value of that kind.
    public static func normalise(_ text: String, as kind: STIXSearchKind) -> String? {
        guard !text.isEmpty, text.utf8.count <= maximumLength else { return nil }
        switch kind {
        case .ipv4: return ipv4(text)
        case .ipv6: return ipv6(text)
        case .domain:
            let name = (text.hasSuffix(".") ? String(text.dropLast()) : text).lowercased()
            // A domain has a dot and no label of digits only at its end (that is an IPv4 address or a number).
            guard name.contains("."), STIXAddressForms.isDomainName(name),
                  let last = name.split(separator: ".").last, !last.allSatisfy(\.isNumber) else { return nil }
            return name
        case .url:
            guard STIXAddressForms.isURL(text), let colon = text.firstIndex(of: ":") else { return nil }
            let scheme = text[..<colon].lowercased()
            var rest = String(text[colon...])
            // The authority (after "://", up to the first '/', '?' or '#') is case-insensitive.
            if rest.hasPrefix("://") {
                let after = rest.dropFirst(3)
                let end = after.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? after.endIndex
                rest = "://" + after[..<end].lowercased() + after[end...]
            } else {
                // Without an authority only a mailto: or urn: is read as a URL, typed or stored (anything else with a
                // colon, like "host:port", is not a URL here).
                guard scheme == "mailto" || scheme == "urn" else { return nil }
            }
            return scheme + rest
        case .email:
            let lower = text.lowercased()
            guard STIXAddressForms.isEmailAddress(lower), !lower.contains("://") else { return nil }
            return lower
        case .hash:
            let u = Array(text.utf8)
            guard [32, 40, 64, 128].contains(u.count), u.allSatisfy(STIXPropertyChecks.isHex) else { return nil }
            return text.lowercased()
        case .cve:
            let upper = text.uppercased()
            let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
                  parts[2].count >= 4, parts[2].count <= 19, parts[2].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return upper
        case .fileName, .name:
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case .ref:
            return STIXIdentifier(text) == nil ? nil : text
        }
    }

    /// The canonical dotted quad (leading zeros dropped), with its prefix unless it is /32.
    static func ipv4(_ text: String) -> String? {
        var address = Substring(text), prefix: Int? = nil
        if let slash = text.firstIndex(of: "/") {
            guard let n = Int(text[text.index(after: slash)...]), (0...32).contains(n) else { return nil }
            prefix = n
            address = text[..<slash]
        }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(part), n <= 255 else { return nil }
            octets.append(n)
        }
        let quad = octets.map(String.init).joined(separator: ".")
        guard let prefix, prefix != 32 else { return quad }
        return "\(quad)/\(prefix)"
    }

    /// RFC 5952 §4's text: lower-case hex without leading zeros, the longest run of two or more zero groups (the first
    /// when tied) as `::`; a /128 prefix dropped. An embedded IPv4 tail is written in hex as well (§5's mixed notation
    /// is not used: the same address always has one text, whichever way it was typed).
    static func ipv6(_ text: String) -> String? {
        guard STIXAddressForms.isIPv6(text) else { return nil }
        var address = Substring(text), prefix: Int? = nil
        if let slash = text.firstIndex(of: "/") {
            guard let n = Int(text[text.index(after: slash)...]) else { return nil }
            prefix = n
            address = text[..<slash]
        }
        func groups(_ s: Substring) -> [Int]? {
            if s.isEmpty { return [] }
            var out: [Int] = []
            for part in s.split(separator: ":", omittingEmptySubsequences: false) {
                if part.contains(".") {
                    guard let v4 = ipv4(String(part)) else { return nil }
                    let o = v4.split(separator: ".").compactMap { Int($0) }
                    out += [o[0] << 8 | o[1], o[2] << 8 | o[3]]
                } else {
                    guard let v = Int(part, radix: 16) else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        let halves = address.components(separatedBy: "::")
        var all: [Int]
        if halves.count == 2 {
            guard let a = groups(Substring(halves[0])), let b = groups(Substring(halves[1])) else { return nil }
            all = a + Array(repeating: 0, count: 8 - a.count - b.count) + b
        } else {
            guard let g = groups(address) else { return nil }
            all = g
        }
        guard all.count == 8 else { return nil }
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if all[i] == 0 {
                var j = i
                while j < 8, all[j] == 0 { j += 1 }
                if j - i > bestLength { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        let hex = all.map { String($0, radix: 16) }
        var out: String
        if bestLength >= 2 {
            out = hex[..<bestStart].joined(separator: ":") + "::" + hex[(bestStart + bestLength)...].joined(separator: ":")
        } else {
            out = hex.joined(separator: ":")
        }
        if let prefix, prefix != 128 { out += "/\(prefix)" }
        return out
    }
}
