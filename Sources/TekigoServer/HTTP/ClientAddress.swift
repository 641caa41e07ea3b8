import Hummingbird
import HTTPTypes
import NIOCore

/// The address of the client that made a request, for the per-address sign-in cap and the audit log (SP 800-171
/// 3.1.8, 3.3.1).
///
/// Without trusted proxies it is the peer of the TCP connection. Behind a reverse proxy every peer is the proxy, so
/// one client's failed sign-ins would lock everyone out; `tekigo serve --trusted-proxy` names the proxies (addresses or
/// ranges). Then, and only for a connection from one of them, `X-Forwarded-For` is read: its addresses, left to right,
/// are the client and the proxies in between, each proxy appending the peer it saw. The client address is the right-
/// most address that is not itself a trusted proxy. Everything to the left of it may have been written by the client,
/// so it is never believed. A request from any other peer has its `X-Forwarded-For` ignored.
public enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// `peer` as text (`SocketAddress.ipAddress`), `forwardedFor` the values of every `X-Forwarded-For` line in order.
    public static func resolve(peer: String?, forwardedFor: [String], trustedProxies: [IPNetwork]) -> String? {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer }
        let normalizedPeer = peerAddress.description
        guard !trustedProxies.isEmpty, isTrusted(peerAddress, trustedProxies) else { return normalizedPeer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var nearest = normalizedPeer
        for hop in hops.reversed() {
            // Something that is not an address: what lies beyond it cannot be trusted either; the client is the
            // nearest hop known (a trusted proxy).
            guard let address = parse(hop) else { return nearest }
            nearest = address.description
            if !isTrusted(address, trustedProxies) { return nearest }
        }
        // Every hop is a trusted proxy (or there was no header): the left-most one made the request.
        return nearest
    }

    static func isTrusted(_ a: IPAddress, _ proxies: [IPNetwork]) -> Bool { proxies.contains { $0.contains(a) } }

    /// An `X-Forwarded-For` item: an address, or an address with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
    static func parse(_ item: String) -> IPAddress? {
        if let a = IPAddress(item) { return a }
        if item.hasPrefix("["), let close = item.firstIndex(of: "]") {
            return IPAddress(item[item.index(after: item.startIndex)..<close])
        }
        if item.filter({ $0 == ":" }).count == 1, let colon = item.firstIndex(of: ":") {
            return IPAddress(item[..<colon])
        }
        return nil
    }
}

/// Works out the client address once per request (`AppContext.clientAddress`), before anything logs or audits it.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let trustedProxies: [IPNetwork]

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = ClientAddress.resolve(
            peer: context.remoteAddress?.ipAddress,
            forwardedFor: trustedProxies.isEmpty ? [] : request.headers[values: ClientAddress.forwardedFor],
            trustedProxies: trustedProxies)
        return try await next(request, context)
    }
}
