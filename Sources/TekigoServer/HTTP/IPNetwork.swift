import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16). An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, as a
/// dual-stack socket reports it) is taken as the IPv4 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]` and `fe80::1%eth0` (the zone is dropped); nil otherwise.
    public init?(_ text: some StringProtocol) {
        var s = String(text)
        if s.hasPrefix("["), s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        if let zone = s.firstIndex(of: "%"), s.contains(":") { s = String(s[..<zone]) }
        guard !s.isEmpty, s.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if s.contains("."), !s.contains(":") {
            // inet_pton takes only the four-decimal form, so `0x7f.1` or `127.1` are not addresses here.
            guard inet_pton(AF_INET, s, &v4) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, s, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
            bytes = Array(b[12..<16])
        } else {
            bytes = b
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var copy = bytes
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return copy.withUnsafeMutableBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
                ? String(cString: buffer) : "?"
        }
    }

    /// Addresses that are not on the public Internet: private (RFC 1918, RFC 4193 unique-local), link-local
    /// (169.254.0.0/16, with cloud metadata services, and fe80::/10), shared (100.64.0.0/10), unspecified, multicast,
    /// reserved and broadcast. Loopback is reported separately (`isLoopback`).
    public var isPrivateOrLinkLocal: Bool { Self.nonPublic.contains { $0.contains(self) } }

    public var isLoopback: Bool { Self.loopback.contains { $0.contains(self) } }

    static let loopback: [IPNetwork] = ["127.0.0.0/8", "::1/128"].map { IPNetwork($0)! }
    static let nonPublic: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "64:ff9b:1::/48", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].map { IPNetwork($0)! }
}

/// An address range written as CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a single address.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefix: Int

    /// nil for text that is not an address or `address/prefix` with a prefix in range.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...bits).contains(p), parts[1].allSatisfy(\.isASCII) else { return nil }
            prefix = p
        } else {
            prefix = bits
        }
        self.address = address
    }

    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = prefix
        for i in 0..<address.bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xff : ~(0xff >> UInt8(take))
            if address.bytes[i] & mask != other.bytes[i] & mask { return false }
            remaining -= take
        }
        return true
    }

    public var description: String { "\(address)/\(prefix)" }

    /// Parses each item, or says which one is not a network and what one looks like.
    public static func list(_ items: [String], option: String) throws -> [IPNetwork] {
        try items.flatMap { $0.split(separator: ",") }.map { raw in
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard let n = IPNetwork(item) else {
                throw InvalidNetwork(option: option, value: item)
            }
            return n
        }
    }
}

/// A setting that names an address range wrongly.
public struct InvalidNetwork: Error, CustomStringConvertible {
    public let option: String
    public let value: String
    public var description: String {
        "\(option): '\(value)' is not an IP address or range; write one as 192.0.2.10, 10.0.0.0/8 or 2001:db8::/32"
    }
}
