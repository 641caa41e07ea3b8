import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// One evidence library item as the API shows it: where it is (text: a share path is never turned into a link), its
/// owner, dates and state today, and — for one item — where it is used.
struct EvidenceItemView: Encodable, Sendable {
    struct Use: Encodable, Sendable {
        let assessment: String
        let assessedOn: String
        let catalog: String
        let system: String
        let objective: String
    }
    let id: String
    let kind: String
    let location: String
    let title: String
    let ownerMember: String?
    let owner: String
    let documentDate: String
    let expiresOn: String?
    /// none, valid, expiring-soon or expired on the organization's today.
    let expiry: String
    let note: String
    let useCount: Int
    let usedBy: [Use]?
    let version: Int

    init(_ s: EvidenceItemSummary, uses: [EvidenceUse]? = nil) {
        let r = s.item
        id = r.id
        kind = r.kind
        location = r.location
        title = r.title
        ownerMember = r.ownerUserId
        owner = s.owner
        documentDate = r.documentDate
        expiresOn = r.expiresOn
        expiry = s.expiry.rawValue
        note = r.note
        useCount = uses?.count ?? s.useCount
        usedBy = uses?.map { Use(assessment: $0.assessmentId, assessedOn: $0.assessedOn, catalog: $0.catalog, system: $0.systemName,
                                 objective: $0.objective) }
        version = r.version
    }
}

struct EvidenceItemBody: StrictBody {
    static let fields: Set<String> = ["kind", "location", "title", "ownerMember", "ownerName", "documentDate", "expiresOn", "note", "version"]
    let kind: String
    let location: String
    let title: String
    let ownerMember: String?
    let ownerName: String?
    let documentDate: String?
    let expiresOn: String?
    let note: String?
    /// Required on PUT: the version read.
    let version: Int?

    var draft: EvidenceItemDraft {
        EvidenceItemDraft(kind: kind, location: location, title: title, ownerMember: ownerMember ?? "", ownerName: ownerName ?? "",
                          documentDate: documentDate ?? "", expiresOn: expiresOn ?? "", note: note ?? "")
    }
}

struct EvidenceAttachmentBody: StrictBody {
    static let fields: Set<String> = ["assessment", "objective"]
    let assessment: String
    let objective: String
}

/// The evidence library inside `/api/v1/organizations/{org}` (issue 17 item 5): list (`?filter=expired|expiring-soon`),
/// add, one item with where it is used, change at the version read, delete (409 while attached, naming where), attach
/// to and detach from an objective. Who may is the use cases' (`EvidenceLibraryUseCases`); every handler starts with
/// the membership's `.read`. The vault's files stay at `/evidence` (their content); the library is `/evidence-library`.
struct EvidenceLibraryRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/evidence-library", use: list)
        org.post("/evidence-library", use: add)
        org.get("/evidence-library/:item", use: one)
        org.put("/evidence-library/:item", use: update)
        org.delete("/evidence-library/:item", use: remove)
        org.get("/evidence-library/:item/attachments", use: usedBy)
        org.post("/evidence-library/:item/attachments", use: attach)
        org.delete("/evidence-library/:item/attachments", use: detach)
    }

    func useCases(_ m: Membership) -> EvidenceLibraryUseCases { EvidenceLibraryUseCases(services.tenantEnvironment, m.scope) }
    func queries(_ m: Membership) -> EvidenceLibraryQueries { EvidenceLibraryQueries(services.tenantEnvironment, m.scope) }

    func itemID(_ context: TenantContext) throws -> EvidenceItemID { EvidenceItemID(try context.parameters.require("item")) }

    func full(_ m: Membership, _ id: EvidenceItemID) async throws -> EvidenceItemView {
        let found = try await queries(m).item(id)
        return EvidenceItemView(found.summary, uses: found.uses)
    }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<[EvidenceItemView]> {
        let m = try context.membership(for: .read)
        let raw = request.uri.queryParameters["filter"].map(String.init) ?? "all"
        guard let filter = EvidenceLibraryFilter(rawValue: raw) else {
            throw APIError.invalid(field: "filter", message: "filter: '\(raw)' is not one of all, expired, expiring-soon.").ja("filter の「\(raw)」は使えません。all・expired・expiring-soon のいずれかにしてください。")
        }
        return JSONResponse(value: try await queries(m).list(filter).map { EvidenceItemView($0) })
    }

    func add(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceItemView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(EvidenceItemBody.self, context: context)
        let r = try await useCases(m).add(b.draft)
        return JSONResponse(value: try await full(m, r.itemID), status: .created)
    }

    func one(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceItemView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await full(m, try itemID(context)))
    }

    func update(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceItemView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(EvidenceItemBody.self, context: context)
        guard let version = b.version else { throw APIError.invalid(field: "version", message: "Send the version you read (\"version\").").ja("読み込んだときのバージョン（\"version\"）を送ってください。") }
        let id = try itemID(context)
        _ = try await useCases(m).update(id, b.draft, ifVersion: version)
        return JSONResponse(value: try await full(m, id))
    }

    func remove(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).delete(try itemID(context))
        return Response(status: .noContent)
    }

    func usedBy(_ request: Request, context: TenantContext) async throws -> JSONResponse<[EvidenceItemView.Use]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await full(m, try itemID(context)).usedBy ?? [])
    }

    func attach(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceItemView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(EvidenceAttachmentBody.self, context: context)
        let id = try itemID(context)
        let added = try await useCases(m).attach(id, assessmentID: b.assessment, objective: b.objective)
        return JSONResponse(value: try await full(m, id), status: added ? .created : .ok)
    }

    /// `?assessment=…&objective=…` (a DELETE carries no body).
    func detach(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceItemView> {
        let m = try context.membership(for: .read)
        let q = request.uri.queryParameters
        guard let assessment = q["assessment"].map(String.init), !assessment.isEmpty else {
            throw APIError.invalid(field: "assessment", message: "assessment: required (the assessment's id, as a query parameter).").ja("assessment（評価の ID。クエリーパラメーター）は必須です。")
        }
        guard let objective = q["objective"].map(String.init), !objective.isEmpty else {
            throw APIError.invalid(field: "objective", message: "objective: required (e.g. 3.1.1[a], as a query parameter).").ja("objective（例 3.1.1[a]。クエリーパラメーター）は必須です。")
        }
        let id = try itemID(context)
        try await useCases(m).detach(id, assessmentID: assessment, objective: objective)
        return JSONResponse(value: try await full(m, id))
    }
}

/// A role that may not is 403, an item or assessment this organization does not have is 404, an item in use or changed
/// meanwhile is 409, an objective not attached is 404, every other refusal 400 naming the field.
extension EvidenceLibraryError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAllowed: return .forbidden(description)
        case .notFound(let id): return .notFound("Evidence item \(id) in this organization")
        case .unknownAssessment(let id): return .notFound("Assessment \(id) in this organization")
        case .notAttached(let o): return .notFound("An attachment of the item to \(o) in this assessment")
        case .inUse, .staleVersion: return .conflict(description)
        default: return .invalid(field: field, message: description)
        }
    }
}
