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

    /// The value's kind and the form it is kept and shared in, or nil when it is none of the kinds.
    ///
    /// Read by `STIXSearchValues.understand`, the sharing hub's reading of a typed value, so that what an incident
    /// records and shares is in the normal form the hub's search by value indexes (domains, e-mail addresses and hashes
    /// lower case, IPv4 without leading zeros, IPv6 as RFC 5952 writes it, a URL's scheme and host lower case, a CVE id
    /// upper case; a defanged `198.51.100[.]7` or `hxxp://` read as the value it stands for). Narrower on purpose in
    /// two ways, because each observable becomes an indicator pattern on one property:
    /// - a hash is MD5, SHA-1 or SHA-256 told apart by its length (the search takes any algorithm it indexes, SHA-512
    ///   included, as one kind "hash"; the share must name the `file:hashes` key);
    /// - a URL names a host on a network scheme (http, https, ftp, ftps, sftp): `mailto:` and `urn:` values, which the
    ///   search reads as URLs, are no place an adversary served something from (a `mailto:` is recorded as its e-mail
    ///   address).
    public static func detect(_ text: String) -> (kind: STIXObservableKind, value: String)? {
        guard let understood = STIXSearchValues.understand(text) else { return nil }
        let v = understood.value
        switch understood.kind {
        case .ipv4: return (.ipv4, v)
        case .ipv6: return (.ipv6, v)
        case .domain: return (.domain, v)
        case .email: return (.email, v)
        case .cve: return (.cve, v)
        case .hash:
            switch v.count {
            case 32: return (.md5, v)
            case 40: return (.sha1, v)
            case 64: return (.sha256, v)
            default: return nil
            }
        case .url:
            guard let schemeEnd = v.range(of: "://"), urlSchemes.contains(String(v[..<schemeEnd.lowerBound])),
                  let host = URL(string: v)?.host, !host.isEmpty else { return nil }
            return (.url, v)
        case .fileName, .name, .ref:
            return nil
        }
    }

    /// The schemes a URL observable may have (lower case, as `STIXSearchValues` keeps a URL's scheme).
    public static let urlSchemes: Set<String> = ["http", "https", "ftp", "ftps", "sftp"]
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
