import Foundation
import TekigoCore
import TekigoStore

/// Setup links: the one way an account comes into being outside an invitation — the first run's link and
/// `tekigo admin create`. The link makes a platform administrator only when asked (`--platform-admin`; the first
/// run's link always), and every link issued is an audit entry written in the transaction that stores it.
public struct SetupLinkUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    /// How long a link is valid unless the caller says otherwise.
    public static let defaultLifetime: TimeInterval = 3600

    /// Issues a one-time setup token valid for `lifetime` seconds from the clock's now; only its SHA-256 is stored, so
    /// the token returned here is the only copy.
    public func issue(platformAdmin: Bool, lifetime: TimeInterval = Self.defaultLifetime, by actor: Actor) async throws -> String {
        let token = SecureRandom.token()
        let hash = SecureRandom.sha256Hex(token)
        let now = env.clock.now()
        let accounts = env.accounts, audit = env.audit
        try await env.db.transaction { s in
            try await accounts.createSetupToken(hash: hash, expiresAt: Timestamp.string(now.addingTimeInterval(lifetime)),
                                                platformAdmin: platformAdmin, createdAt: Timestamp.string(now), on: s)
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: nil, sourceIP: actor.sourceIP, action: .setupLinkIssued,
                                                  object: platformAdmin ? "setup-link/platform-admin" : "setup-link"), on: s)
        }
        return token
    }

    /// The first run's link, on a database without accounts (nil otherwise): its account administers the platform,
    /// since nobody else could.
    public func firstRun(lifetime: TimeInterval) async throws -> String? {
        guard try await env.accounts.userCount() == 0 else { return nil }
        return try await issue(platformAdmin: true, lifetime: lifetime, by: Actor(id: "system", sourceIP: "local"))
    }
}
