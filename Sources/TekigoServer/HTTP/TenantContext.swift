import Foundation
import Hummingbird
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Resolves the caller's membership of the organization named by the path's `{org}` — the one membership lookup of
/// a request inside `/api/v1/organizations/{org}` — and hands it on in `SignedInContext.tenant`, from which the
/// routes' `TenantContext` is made. Another tenant's organization is 404, a role that needs an enrolled authenticator
/// without one 403 `mfa_required` (`Services.membership(of:in:sourceIP:)`); which action the role may take is each
/// route's own check (`TenantContext.membership(for:)`), made without another query.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = SignedInContext
    let services: Services

    func handle(_ request: Request, context: SignedInContext,
                next: (Request, SignedInContext) async throws -> Response) async throws -> Response {
        var context = context
        context.tenant = try await services.membership(of: context.identity, in: try context.parameters.require("org"),
                                                       sourceIP: context.sourceIP)
        return try await next(request, context)
    }
}

/// A request inside one organization: the signed-in caller and their membership there (organization, role, actor,
/// the tenant-scoped store), resolved once by `TenantMiddleware`. Routes register on a group made with
/// `group(context: TenantContext.self)` below that middleware and start with `try context.membership(for: action)`.
///
/// Moving a route collection still on `Services.member` here (as `TenantRoutes.register` does): register on
/// `router.group("/api/v1/organizations/:org", context: SignedInContext.self).add(middleware: TenantMiddleware(services:
/// services)).group(context: TenantContext.self)`; take `context: TenantContext`; replace
/// `try await services.member(context, try orgID(context), .x)` with `try context.membership(for: .x)`, `orgID(context)`
/// with `m.organization.id`, `context.identity?` / `try context.requireIdentity()` with `context.identity`.
struct TenantContext: ChildRequestContext, AppChildContext {
    typealias ParentContext = SignedInContext
    /// The request's context, holding the identity (see `SignedInContext.app`).
    private(set) var app: AppContext
    /// Not checked against any action yet: routes reach it through `membership(for:)`.
    private let resolved: Membership

    init(context: SignedInContext) throws {
        // Only a group registered below `TenantMiddleware` is made of this context; anything else is a wiring mistake.
        guard let membership = context.tenant else { throw TenantContextError.noMembership }
        self.app = context.app
        self.resolved = membership
    }

    var coreContext: CoreRequestContextStorage {
        get { app.coreContext }
        set { app.coreContext = newValue }
    }

    /// The signed-in caller (`SignedInContext.identity`).
    var identity: Identity { app.identity! }

    /// The organization in the path (the caller is a member of it).
    var organization: OrganizationRecord { resolved.organization }

    /// The membership, if the caller's role (and an API token's scope) allows `action`; 403 `forbidden` otherwise.
    func membership(for action: TenantAction) throws -> Membership {
        try resolved.allowing(action, to: identity)
    }
}

enum TenantContextError: Error, CustomStringConvertible {
    case noMembership
    var description: String { "A TenantContext route was registered without TenantMiddleware in front of it." }
}

/// Counts membership lookups (`Services.membership(of:in:sourceIP:)`), so a test can show a request inside an
/// organization makes exactly one.
final class LookupCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
