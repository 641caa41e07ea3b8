import Hummingbird
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Who made a request, once authenticated.
public enum Identity: Sendable {
    /// A signed-in person with a server-side session.
    case session(user: UserRecord, session: SessionRecord)
    /// A machine with an API token: bound to one organization and a scope. `membership` is the token's organization
    /// and its user's role there, read with the token (nil if the user is no longer a member).
    case token(user: UserRecord, token: APITokenRecord, membership: (OrganizationRecord, Role)?)

    public var user: UserRecord {
        switch self {
        case .session(let u, _), .token(let u, _, _): return u
        }
    }

    /// Whether the second factor has been passed in this session (tokens are created by MFA-protected users).
    public var mfaPassed: Bool {
        switch self {
        case .session(_, let s): return s.mfaPassed != 0
        case .token: return true
        }
    }

    public var actorID: String {
        switch self {
        case .session(let u, _): return u.id
        case .token(_, let t, _): return "token:\(t.id)"
        }
    }
}

/// The request context every route sees.
public struct AppContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    public var identity: Identity?
    public var requestID: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.identity = nil
        self.clientAddress = nil
        self.requestID = Self.newRequestID()
    }

    /// 12 URL-safe base64 characters of 9 random bytes (as `SecureRandom.token(bytes: 9)` makes them), from two
    /// 64-bit draws of the system's CSPRNG: `SecureRandom.bytes` draws once per byte (nine `getrandom` calls) and
    /// encodes through Foundation, together a fiftieth of a small request's CPU time (docs/PERFORMANCE.md).
    static func newRequestID() -> String {
        var rng = SystemRandomNumberGenerator()
        let high = rng.next() as UInt64, low = UInt8(truncatingIfNeeded: rng.next() as UInt64)
        return String(unsafeUninitializedCapacity: 12) { out in
            let alphabet = Self.base64URL
            // 72 bits: the 64 of `high`, then the 8 of `low`, six at a time.
            for i in 0..<12 {
                let shift = 66 - 6 * i
                let six: UInt64 = shift >= 8
                    ? (high >> UInt64(shift - 8)) & 0x3F
                    : ((high << UInt64(8 - shift)) | (UInt64(low) >> UInt64(shift))) & 0x3F
                out[i] = alphabet[Int(six)]
            }
            return 12
        }
    }

    private static let base64URL: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// The client's address as `ClientAddressMiddleware` worked it out (the TCP peer, or behind a trusted proxy the
    /// right-most untrusted `X-Forwarded-For` address).
    public var clientAddress: String?

    /// The client address for the audit log and the per-address sign-in cap.
    public var sourceIP: String { clientAddress ?? remoteAddress?.ipAddress ?? "unknown" }

    /// 1 MiB for JSON; evidence uploads raise it per route.
    public var maxUploadSize: Int { 1024 * 1024 }

    public func actor() throws -> Actor {
        guard let identity else { throw APIError.unauthenticated }
        return Actor(id: identity.actorID, sourceIP: sourceIP)
    }

    /// The signed-in identity whose second factor has passed, or 401 / 403.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthenticated }
        guard identity.mfaPassed else { throw APIError.mfaRequired }
        return identity
    }
}
