import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - bodies

struct FeedSubscribeBody: StrictBody {
    static let fields: Set<String> = ["community", "collection", "url", "auth", "username", "secret", "intervalMinutes"]
    /// The community's slug (its TAXII API root) and the collection's alias or id there.
    let community: String
    let collection: String
    let url: String
    /// `none`, `basic` or `bearer`.
    let auth: String?
    let username: String?
    /// The password (basic) or the token (bearer): sealed, never returned.
    let secret: String?
    let intervalMinutes: Int?
}

struct FeedUpdateBody: StrictBody {
    static let fields: Set<String> = ["enabled", "intervalMinutes"]
    let enabled: Bool?
    let intervalMinutes: Int?
}

// MARK: - routes

/// TAXII feeds inside `/api/v1/organizations/{org}/sharing/feeds` (issue 14 item 3): the organization's feeds with
/// their status, subscribing one, one feed, its runs, a pull now, scheduled pulls on or off and the interval, and
/// deleting. `TAXIIFeedUseCases` decides who may (owners and administrators change; the other members read; an external
/// auditor nothing); a feed's password or token is never in an answer.
struct FeedRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/sharing/feeds", use: list)
        org.post("/sharing/feeds", use: subscribe)
        org.get("/sharing/feeds/:feed", use: feed)
        org.patch("/sharing/feeds/:feed", use: update)
        org.delete("/sharing/feeds/:feed", use: delete)
        org.get("/sharing/feeds/:feed/runs", use: runs)
        org.post("/sharing/feeds/:feed/pull", use: pull)
    }

    /// The caller as the feed use cases take it: the organization, the person, the role, whether an API token may
    /// only read, and the audit actor.
    func useCases(_ context: TenantContext) throws -> TAXIIFeedUseCases {
        let m = try context.membership(for: .read)
        var readOnly = false
        if case .token(_, let t, _) = context.identity, t.scope == "read" { readOnly = true }
        return services.taxiiFeeds(TAXIICaller(organizationID: m.organization.id, personID: context.identity.user.id, role: m.role,
                                               readOnly: readOnly, actor: m.actor))
    }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<[TAXIIFeedView]> {
        JSONResponse(value: try await Self.answer { try await useCases(context).feeds() })
    }

    func subscribe(_ request: Request, context: TenantContext) async throws -> JSONResponse<TAXIIFeedView> {
        let cases = try useCases(context)
        let b = try await request.decodeStrict(FeedSubscribeBody.self, context: context)
        guard let auth = TAXIIFeedAuth(rawValue: b.auth ?? "none") else {
            throw APIError.invalid(field: "auth", message: "auth is none, basic or bearer.").ja("auth は none・basic・bearer のいずれかにしてください。")
        }
        let view = try await Self.answer {
            try await cases.subscribe(root: b.community, collection: b.collection, url: b.url, auth: auth, username: b.username,
                                      secret: b.secret, intervalMinutes: b.intervalMinutes ?? 60)
        }
        return JSONResponse(value: view, status: .created)
    }

    func feed(_ request: Request, context: TenantContext) async throws -> JSONResponse<TAXIIFeedView> {
        let id = try context.parameters.require("feed")
        return JSONResponse(value: try await Self.answer { try await useCases(context).feed(id: id) })
    }

    func update(_ request: Request, context: TenantContext) async throws -> JSONResponse<TAXIIFeedView> {
        let cases = try useCases(context)
        let id = try context.parameters.require("feed")
        let b = try await request.decodeStrict(FeedUpdateBody.self, context: context)
        guard b.enabled != nil || b.intervalMinutes != nil else {
            throw APIError.invalid(field: nil, message: "Give enabled, intervalMinutes, or both.").ja("enabled か intervalMinutes（又は両方）を指定してください。")
        }
        return JSONResponse(value: try await Self.answer { try await cases.update(feedID: id, enabled: b.enabled, intervalMinutes: b.intervalMinutes) })
    }

    func delete(_ request: Request, context: TenantContext) async throws -> Response {
        let cases = try useCases(context)
        let id = try context.parameters.require("feed")
        try await Self.answer { try await cases.delete(feedID: id) }
        return Response(status: .noContent)
    }

    func runs(_ request: Request, context: TenantContext) async throws -> JSONResponse<[TAXIIFeedRunRecord]> {
        let id = try context.parameters.require("feed")
        return JSONResponse(value: try await Self.answer { try await useCases(context).runs(feedID: id) })
    }

    /// Runs a pull now and answers with how it ended (200 even when the run ended in an error: the run is the answer).
    func pull(_ request: Request, context: TenantContext) async throws -> JSONResponse<TAXIIFeedRun> {
        let cases = try useCases(context)
        let id = try context.parameters.require("feed")
        return JSONResponse(value: try await Self.answer { try await cases.pull(feedID: id) })
    }

    /// The use cases' refusals as the API's errors (English; the pages show both languages).
    static func answer<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as TAXIIFeedError {
            throw e.apiError
        }
    }
}

extension TAXIIFeedError {
    var apiError: APIError {
        switch self {
        case .badURL, .addressRefused: return .invalid(field: "url", message: text.en)
        case .badInterval: return .invalid(field: "intervalMinutes", message: text.en)
        case .badCredentials: return .invalid(field: "auth", message: text.en)
        case .local: return .invalid(field: "collection", message: text.en)
        case .unknownFeed(let id): return .notFound("TAXII feed \(id)")
        case .notAllowed: return .forbidden(text.en)
        case .pullInProgress: return .conflict(text.en)
        case .secretUnreadable, .httpStatus, .transport, .notAnEnvelope, .refusedObject: return .conflict(text.en)
        }
    }
}
