import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Reads who is calling: an API token (`Authorization: Bearer`) or the session cookie. Checks the session's idle
/// and absolute timeouts (SP 800-171 3.1.10/3.1.11) and, for cookie-authenticated writes, the CSRF token.
/// Unauthenticated requests pass through without an identity; routes decide what they need.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: Services

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        // The TAXII server authenticates its requests itself (Bearer or Basic, TAXII's error shape): `TAXIIAuthMiddleware`.
        if request.uri.path.hasPrefix(TAXIIRoutes.prefix + "/") || request.uri.path == TAXIIRoutes.prefix {
            return try await next(request, context)
        }
        var context = context
        let accounts = services.accounts
        let now = services.clock.now()
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            let token = String(auth.dropFirst(7)).trimmed
            guard let found = try await services.tokenLookup(hash: SecureRandom.sha256Hex(token)), case let t = found.token,
                  t.revokedAt == nil, t.expiresAt > Timestamp.string(now) else {
                throw APIError.unauthenticated
            }
            if t.scope == "read", ![.get, .head].contains(request.method) {
                throw APIError.forbidden("This API token is read-only.").ja("この API トークンは読み取り専用です。書き込みには読み書きできるトークンを使ってください。")
            }
            context.identity = .token(user: found.user, token: t, membership: found.membership)
        } else if let cookie = request.cookies[Services.sessionCookie]?.value, !cookie.isEmpty {
            let hash = SecureRandom.sha256Hex(cookie)
            if let found = try await services.sessionLookup(idHash: hash) {
                let (s, user) = (found.session, found.user)
                let lastSeen = Timestamp.date(s.lastSeen) ?? .distantPast
                let expired = s.expiresAt <= Timestamp.string(now) || now.timeIntervalSince(lastSeen) > services.config.idleTimeout
                if expired {
                    try await accounts.deleteSession(idHash: hash)
                } else {
                    // Writing last_seen on every request would make every read a write; a minute's precision is plenty.
                    if now.timeIntervalSince(lastSeen) > 60 { try await accounts.touchSession(idHash: hash, at: Timestamp.string(now)) }
                    // Pages post HTML forms that carry the token as a field: `WebRoutes` checks it before it reads
                    // anything else of the form. Everything else (the API) must send the header.
                    if ![.get, .head, .options].contains(request.method), !PageRoute.isPage(request.uri.path) {
                        let sent = request.headers[Services.csrfHeader] ?? ""
                        guard SecureRandom.constantTimeEquals(sent, s.csrfToken) else {
                            throw APIError.forbidden("Missing or wrong CSRF token: send the X-CSRF-Token header you received at sign-in.")
                                .ja("CSRF トークンがないか、違います。サインイン時に受け取った X-CSRF-Token ヘッダーを送ってください。")
                        }
                    }
                    // A half-open session (password given, second factor still to come) may give the code or sign
                    // out, nothing else (SP 800-171 3.5.3): the pages send it to the code page themselves, the API
                    // refuses everything but signing out.
                    if s.mfaPassed == 0, !PageRoute.isPage(request.uri.path),
                       !(request.method == .delete && request.uri.path == AccountRoutes.sessionPath) {
                        throw APIError.mfaRequired
                    }
                    context.identity = .session(user: user, session: s)
                }
            }
        }
        return try await next(request, context)
    }
}

/// The authorization check for everything inside an organization: the caller's organization, role, audit actor and
/// the tenant-scoped store. Made once per request (`Services.membership(of:in:sourceIP:)`); `allowing(_:to:)` checks
/// an action against it.
struct Membership: Sendable {
    let organization: OrganizationRecord
    let role: Role
    let store: TenantStore
    let actor: Actor

    /// This membership, if `role` may take `action` and, for an API token, its scope allows it; 403 otherwise.
    func allowing(_ action: TenantAction, to identity: Identity) throws -> Membership {
        if case .token(_, let t, _) = identity, t.scope == "read", ![.read, .export, .readAudit].contains(action) {
            throw APIError.forbidden("This API token is read-only.").ja("この API トークンは読み取り専用です。書き込みには読み書きできるトークンを使ってください。")
        }
        guard role.allows(action) else {
            throw APIError.forbidden("Your role (\(role.rawValue)) may not \(action.rawValue) in this organization.")
                .ja("この組織でのあなたの役割（\(role.rawValue)）では、この操作（\(action.rawValue)）はできません。組織の管理者に役割の変更を依頼してください。")
        }
        return self
    }
}

extension Services {
    /// The caller, ready to act: second factor passed, and enrolled if the account is privileged (SP 800-171 3.5.3).
    func ready(_ context: AppContext) async throws -> Identity {
        try await ready(context.requireIdentity())
    }

    /// A signed-in caller (second factor passed), ready to act: enrolled if the account is privileged (SP 800-171 3.5.3).
    @discardableResult
    func ready(_ identity: Identity) async throws -> Identity {
        guard identity.mfaPassed else { throw APIError.mfaRequired }
        if try await mustEnrolMFA(identity.user) { throw APIError.mfaRequired }
        return identity
    }

    /// SP 800-171 3.5.3: whether the account must enrol an authenticator first (`AccountUseCases.mustEnrol`).
    func mustEnrolMFA(_ user: UserRecord) async throws -> Bool {
        try await AccountUseCases(accountEnvironment).mustEnrol(user)
    }

    /// The caller's membership of `/organizations/{org}`, not yet checked against an action: the one membership
    /// lookup of a request (`TenantMiddleware` for the routes on `TenantContext`, `member(_:_:_:)` for the others).
    /// Another tenant's organization is reported as not found, so its existence is not revealed.
    func membership(of identity: Identity, in organizationID: String, sourceIP: String) async throws -> Membership {
        membershipLookups.increment()
        let found: (OrganizationRecord, Role)?
        if case .token(_, let t, let membership) = identity {
            // A token acts only in its own organization; its membership there came with the token.
            found = t.organizationId == organizationID ? membership : nil
        } else {
            found = try await membershipLookup(userID: identity.user.id, organizationID: organizationID).map { ($0.organization, $0.role) }
        }
        guard let (org, role) = found else { throw APIError.notFound("Organization \(organizationID)") }
        // SP 800-171 3.5.3: the roles that need MFA act only with an authenticator enrolled — checked here, once,
        // for every route inside an organization and for sessions and API tokens alike.
        if role.requiresMFA, !identity.user.hasMFA { throw APIError.mfaRequired }
        return Membership(organization: org, role: role, store: TenantStore(db, organizationID: organizationID),
                          actor: Actor(id: identity.actorID, sourceIP: sourceIP))
    }

    /// Resolves `/organizations/{org}` for the caller and checks `action` against the role matrix, for the routes
    /// and pages not yet on `TenantContext` (there: `TenantMiddleware` and `TenantContext.membership(for:)`).
    func member(_ context: AppContext, _ organizationID: String, _ action: TenantAction) async throws -> Membership {
        let identity = try context.requireIdentity()
        return try await membership(of: identity, in: organizationID, sourceIP: context.sourceIP).allowing(action, to: identity)
    }
}
