import Foundation
import TekigoCore

/// What an indicator recorded on an incident is (issue 14 item 5), detected from the value as typed: an IPv4 or IPv6
/// address (a CIDR block too), a domain name, a URL, an e-mail address, an MD5 / SHA-1 / SHA-256 hash, or a CVE id.
public enum STIXObservableKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ipv4, ipv6, domain, url, email, md5, sha1, sha256
    case cve

    public var label: LocalizedText {
        switch self {
        case .ipv4: return LocalizedText(en: "IPv4 address", ja: "IPv4 アドレス")
        case .ipv6: return LocalizedText(en: "IPv6 address", ja: "IPv6 アドレス")
        case .domain: return LocalizedText(en: "Domain name", ja: "ドメイン名")
        case .url: return LocalizedText(en: "URL", ja: "URL")
        case .email: return LocalizedText(en: "E-mail address", ja: "メールアドレス")
        case .md5: return LocalizedText(en: "MD5 hash", ja: "MD5 ハッシュ")
        case .sha1: return LocalizedText(en: "SHA-1 hash", ja: "SHA-1 ハッシュ")
        case .sha256: return LocalizedText(en: "SHA-256 hash", ja: "SHA-256 ハッシュ")
        case .cve: return LocalizedText(en: "Vulnerability (CVE)", ja: "脆弱性（CVE）")
        }
    }

    /// The value's kind and the form it is kept and shared in (hashes and domains in lower case, a CVE id in upper
    /// case, surrounding spaces removed); nil when it is none of the kinds.
    public static func detect(_ text: String) -> (kind: STIXObservableKind, value: String)? {
        let v = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty, v.count <= 2048, !v.contains(where: { $0.isWhitespace }) else { return nil }
        let upper = v.uppercased()
        if upper.hasPrefix("CVE-") {
            let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].count == 4, parts[1].allSatisfy(\.isASCIIDigitChar),
                  parts[2].count >= 4, parts[2].count <= 19, parts[2].allSatisfy(\.isASCIIDigitChar) else { return nil }
            return (.cve, upper)
        }
        let lower = v.lowercased()
        if lower.allSatisfy(\.isASCIIHexChar) {
            switch lower.count {
            case 32: return (.md5, lower)
            case 40: return (.sha1, lower)
            case 64: return (.sha256, lower)
            default: break
            }
        }
        if isIPv4(v) { return (.ipv4, v) }
        if v.contains(":"), !v.contains("/") || v.split(separator: "/").count == 2, isIPv6(v) { return (.ipv6, lower) }
        if let schemeEnd = lower.range(of: "://") {
            let scheme = lower[..<schemeEnd.lowerBound]
            guard ["http", "https", "ftp", "ftps", "sftp"].contains(scheme), let u = URL(string: v), let host = u.host, !host.isEmpty else { return nil }
            return (.url, v)
        }
        if let at = v.lastIndex(of: "@") {
            let local = v[..<at], domain = String(v[v.index(after: at)...]).lowercased()
            guard !local.isEmpty, local.count <= 64, isDomain(domain) else { return nil }
            return (.email, String(local) + "@" + domain)
        }
        if isDomain(lower) { return (.domain, lower) }
        return nil
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 { guard let p = Int(parts[1]), (0...32).contains(p), parts[1].allSatisfy(\.isASCIIDigitChar) else { return false } }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        return octets.allSatisfy { o in
            !o.isEmpty && o.count <= 3 && o.allSatisfy(\.isASCIIDigitChar) && Int(o)! <= 255 && !(o.count > 1 && o.first == "0")
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 { guard let p = Int(parts[1]), (0...128).contains(p), parts[1].allSatisfy(\.isASCIIDigitChar) else { return false } }
        var address = String(parts[0])
        var groupsWanted = 8
        // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
        if let lastColon = address.lastIndex(of: ":"), address[address.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(address[address.index(after: lastColon)...])) else { return false }
            address = String(address[...lastColon]) + "0"
            groupsWanted = 7
        }
        let doubles = address.components(separatedBy: "::").count - 1
        guard doubles <= 1 else { return false }
        let groups = address.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isASCIIHexChar) }) else { return false }
        if doubles == 1 { return groups.count < groupsWanted }
        guard !address.hasPrefix(":"), !address.hasSuffix(":") else { return false }
        return groups.count == groupsWanted
    }

    static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.count <= 253, let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) || tld.hasPrefix("xn--") else {
            return false
        }
        return labels.allSatisfy { l in
            (1...63).contains(l.count) && l.first != "-" && l.last != "-"
                && l.allSatisfy { $0.isASCIILetterChar || $0.isASCIIDigitChar || $0 == "-" }
        }
    }
}

extension Character {
    var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
    var isASCIIHexChar: Bool { isASCIIDigitChar || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
    var isASCIILetterChar: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

/// One observable of an incident as the share takes it: its kind and value (as `STIXObservableKind.detect` kept it)
/// and when it was recorded (the indicator's `created` and `valid_from`).
public struct STIXShareObservable: Sendable, Hashable {
    public let kind: STIXObservableKind
    public let value: String
    public let recordedAt: Date

    public init(kind: STIXObservableKind, value: String, recordedAt: Date) {
        self.kind = kind
        self.value = value
        self.recordedAt = recordedAt
    }
}
