import Foundation

// The organization's evidence library (issue 17 item 5): each piece of evidence kept once, with its owner, the date of
// the document and an optional expiry, and attached to any number of objectives across assessments. Pure rules: where
// an item is (read, never fetched) and whether it has expired on a given day.

/// An evidence library item's id (a UUID string), typed so it is never mixed up with another id.
public struct EvidenceItemID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ raw: String) { self.rawValue = raw }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }
}

/// Where an item is. A file in the organization's evidence vault (by the SHA-256 of its content), a web link, or a
/// path on a file share (`\\nas\share\policy.pdf`, `smb://nas/share/x`, `file:///srv/x`). Tekigo never fetches or
/// opens a share path: it is kept and shown as text, because it means something only inside the shop's network.
public enum EvidenceLocation: Sendable, Hashable {
    case vault(sha256: String)
    case link(String)
    case share(String)

    public enum Kind: String, Sendable, CaseIterable, Codable {
        case file, link, share
    }

    public var kind: Kind {
        switch self {
        case .vault: return .file
        case .link: return .link
        case .share: return .share
        }
    }

    /// The stored text: the SHA-256 for a file, else the link or path as entered.
    public var text: String {
        switch self {
        case .vault(let sha): return sha
        case .link(let s), .share(let s): return s
        }
    }

    /// Why a location was refused; the use case names the field.
    public enum Problem: Error, Sendable, Equatable {
        case empty
        case notSHA256
        case notWebLink
        case notSharePath
        case controlCharacters
    }

    /// Reads `text` as a location of `kind`. A file is 64 hexadecimal digits (lowercased); a link is http(s) with a
    /// host; a share path is a UNC path (`\\server\share…`), an `smb://` or `file:` URL, or an absolute path.
    public init(kind: Kind, text: String) throws(Problem) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw .empty }
        guard !t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacters }
        switch kind {
        case .file:
            let lower = t.lowercased()
            guard lower.count == 64, lower.allSatisfy({ $0.isHexDigit }) else { throw .notSHA256 }
            self = .vault(sha256: lower)
        case .link:
            guard Self.isWebLink(t) else { throw .notWebLink }
            self = .link(t)
        case .share:
            guard Self.isSharePath(t) else { throw .notSharePath }
            self = .share(t)
        }
    }

    /// An http or https URL with a host.
    public static func isWebLink(_ s: String) -> Bool {
        guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return !(u.host ?? "").isEmpty
    }

    /// `\\server\share…`, `smb://server/share…`, `file:…`, or an absolute path (`/srv/…`, `C:\…`).
    public static func isSharePath(_ s: String) -> Bool {
        let lower = s.lowercased()
        if s.hasPrefix("\\\\") { return s.count > 2 }
        if lower.hasPrefix("smb://") { return s.count > 6 }
        if lower.hasPrefix("file:") { return s.count > 5 }
        if s.hasPrefix("/") { return s.count > 1 }
        let chars = Array(s)
        return chars.count > 3 && chars[0].isLetter && chars[1] == ":" && (chars[2] == "\\" || chars[2] == "/")
    }
}

/// Whether an item is still good on a day: expired when its expiry day is before today (it is good through the day
/// it expires), expiring soon when that day is within `soonDays` from today.
public enum EvidenceExpiry: String, Sendable, Codable, CaseIterable {
    case none, valid, expiringSoon = "expiring-soon", expired

    /// How far ahead "expiring soon" looks (issue 17 item 5: within 30 days).
    public static let soonDays = 30

    public static func of(expiresOn: Day?, today: Day) -> EvidenceExpiry {
        guard let expiresOn else { return .none }
        if expiresOn < today { return .expired }
        if expiresOn <= today.adding(days: soonDays) { return .expiringSoon }
        return .valid
    }
}
