import Foundation
import NIOPosix
import TekigoStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a webhook may send (SP 800-171 3.13.1: the server must not become a way into the networks behind it).
///
/// A webhook's host is resolved and every address it resolves to is checked, when the webhook is added and again
/// before each delivery (DNS answers change): `https` may go to public addresses and to this machine (loopback);
/// private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud metadata services answer, and
/// fe80::/10), shared (100.64/10), multicast, reserved and unspecified addresses are refused unless a range of
/// `allowedNetworks` (`tekigo serve --webhook-allow-network`) holds them. `http` goes only to loopback.
///
/// The check cannot pin the connection to the address it checked: a DNS answer that changes in the moment between
/// the check and URLSession's own lookup is not caught.
public struct WebhookAddressPolicy: Sendable {
    /// Private or link-local ranges the operator allows (e.g. an internal ticketing system).
    public var allowedNetworks: [IPNetwork]
    /// Host name → addresses. `system` asks the machine's resolver (getaddrinfo); tests give a table.
    public var resolve: @Sendable (String) async throws -> [IPAddress]

    public init(allowedNetworks: [IPNetwork] = [], resolve: @escaping @Sendable (String) async throws -> [IPAddress] = WebhookAddressPolicy.system) {
        self.allowedNetworks = allowedNetworks
        self.resolve = resolve
    }

    /// Refuses `url` (already checked for its form by `ReminderUseCases.validatedURL`) when its host resolves to no
    /// address, or to any address it may not go to.
    public func check(_ url: String) async throws(WebhookAddressRefused) {
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else {
            throw WebhookAddressRefused(host: url, reason: "it has no host")
        }
        let plainHTTP = c.scheme?.lowercased() == "http"
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            do {
                addresses = try await resolve(host)
            } catch {
                throw WebhookAddressRefused(host: host, reason: "the host name does not resolve (\(error))")
            }
            guard !addresses.isEmpty else { throw WebhookAddressRefused(host: host, reason: "the host name resolves to no address") }
        }
        for address in addresses {
            if address.isLoopback { continue }
            if plainHTTP {
                throw WebhookAddressRefused(host: host, reason: "http:// goes only to this machine, and \(host) is \(address); use https://")
            }
            if address.isPrivateOrLinkLocal && !allowedNetworks.contains(where: { $0.contains(address) }) {
                throw WebhookAddressRefused(
                    host: host,
                    reason: "\(host == address.description ? "it" : "it resolves to \(address), which") is a private, link-local or reserved "
                        + "address; webhooks go only to public addresses unless the server's operator allows the range "
                        + "(tekigo serve --webhook-allow-network \(address.isIPv4 ? "10.0.0.0/8" : "fd00::/8"))")
            }
        }
    }

    /// The machine's resolver (getaddrinfo), off the event loops.
    public static let system: @Sendable (String) async throws -> [IPAddress] = { host in
        try await NIOThreadPool.singleton.runIfActive { try getaddrinfoAddresses(host) }
    }

    static func getaddrinfoAddresses(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0 else { throw ResolveError(message: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(result) }
        var out: [IPAddress] = []
        var next = result
        while let info = next {
            if let sa = info.pointee.ai_addr {
                switch Int32(sa.pointee.sa_family) {
                case AF_INET:
                    var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                case AF_INET6:
                    var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    let bytes = withUnsafeBytes(of: &a) { Array($0) }
                    out.append(IPAddress(IPAddress(bytes: bytes).description) ?? IPAddress(bytes: bytes))
                default: break
                }
            }
            next = info.pointee.ai_next
        }
        return Array(Set(out)).sorted { $0.description < $1.description }
    }

    struct ResolveError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// A webhook URL whose host may not receive deliveries, and why.
public struct WebhookAddressRefused: Error, CustomStringConvertible {
    public let host: String
    public let reason: String
    public var description: String { "the webhook URL is not acceptable: \(reason)" }
}
