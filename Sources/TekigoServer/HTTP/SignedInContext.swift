import Hummingbird
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// A child of `AppContext`: the routes of a group made with `group(context:)` get this instead, and keep what they
/// need of the request's own context (client address, request id) through `app`.
protocol AppChildContext: RequestContext, RemoteAddressRequestContext {
    /// The request's `AppContext`, as the global middleware left it.
    var app: AppContext { get }
}

extension AppChildContext {
    var remoteAddress: SocketAddress? { app.remoteAddress }
    /// The client address for the audit log (`AppContext.sourceIP`).
    var sourceIP: String { app.sourceIP }
    var requestID: String { app.requestID }
    /// 1 MiB for JSON, as `AppContext`; evidence uploads raise it per route.
    var maxUploadSize: Int { app.maxUploadSize }
}

extension Request {
    /// `decodeStrict` for the routes of a child context (the body rules are the same).
    func decodeStrict<T: StrictBody>(_ type: T.Type, context: some AppChildContext, limit: Int = 1024 * 1024) async throws -> T {
        try await decodeStrict(type, context: context.app, limit: limit)
    }
}

/// A request whose caller is signed in and has passed the second factor (SP 800-171 3.5.3): the identity is not
/// optional. Made from `AppContext` for every route of a group registered with `group(context: SignedInContext.self)`:
/// a request without an identity is refused there with 401 `unauthenticated`, one whose second factor is still to
/// come with 403 `mfa_required` (`AppContext.requireIdentity`), before any handler runs.
///
/// Whether the account must still enrol an authenticator is a query: routes that need it ask `Services.ready(_:)`;
/// inside an organization `TenantMiddleware` applies the enrolment rule with the membership.
struct SignedInContext: ChildRequestContext, AppChildContext {
    typealias ParentContext = AppContext
    /// Everything is kept once, in `app` (contexts are copied through every middleware: a second copy of the request's
    /// storage and of the identity cost a measurable share of a small request's CPU).
    private(set) var app: AppContext
    /// The caller's membership of the organization in the path, set by `TenantMiddleware` (nil outside
    /// `/organizations/{org}`); `TenantContext` is made from it.
    var tenant: Membership?

    init(context: AppContext) throws {
        _ = try context.requireIdentity()
        self.app = context
        self.tenant = nil
    }

    var coreContext: CoreRequestContextStorage {
        get { app.coreContext }
        set { app.coreContext = newValue }
    }

    /// The caller (never nil here: `init` refused a request without one).
    var identity: Identity { app.identity! }

    /// Who acts, for the audit log.
    var actor: Actor { Actor(id: identity.actorID, sourceIP: sourceIP) }
}
