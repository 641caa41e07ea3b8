import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct CloudProductListView: Encodable, Sendable {
    let query: String
    let products: [CloudProduct]
}

struct ISMAPEntryView: Encodable, Sendable {
    let registrationNumber: String
    let kind: String
    let serviceName: String
    let provider: String
    let scope: String
    let controlObjectives: String
    let auditPeriodStart: String
    let auditPeriodEnd: String
    let subsequentEvents: String
    let validFrom: String
    let validThrough: String
    let updatedAt: String

    init(_ e: ISMAPEntry) {
        let r = e.record
        registrationNumber = r.registrationNumber
        kind = r.kind.rawValue
        serviceName = r.serviceName
        provider = r.provider
        scope = r.scope
        controlObjectives = r.controlObjectives
        auditPeriodStart = r.auditPeriodStart.description
        auditPeriodEnd = r.auditPeriodEnd.description
        subsequentEvents = r.subsequentEvents
        validFrom = r.validity.validFrom.description
        validThrough = e.validThrough.description
        updatedAt = e.updatedAt
    }
}

struct ISMAPListView: Encodable, Sendable {
    let records: [ISMAPEntryView]
}

/// `POST /api/v1/cloud/ismap` and `PUT /api/v1/cloud/ismap/{number}`: the record as typed (dates `YYYY-MM-DD`); on
/// PUT the number is the path's (a different `registrationNumber` in the body is refused).
struct ISMAPBody: StrictBody {
    static let fields: Set<String> = ["registrationNumber", "kind", "serviceName", "provider", "scope", "controlObjectives",
                                      "auditPeriodStart", "auditPeriodEnd", "subsequentEvents"]
    let registrationNumber: String?
    let kind: String?
    let serviceName: String
    let provider: String
    let scope: String?
    let controlObjectives: String?
    let auditPeriodStart: String
    let auditPeriodEnd: String
    let subsequentEvents: String?

    func draft(number: String) -> ISMAPDraft {
        ISMAPDraft(registrationNumber: number, kind: kind ?? ISMAPKind.ismap.rawValue, serviceName: serviceName, provider: provider,
                   scope: scope ?? "", controlObjectives: controlObjectives ?? "", auditPeriodStart: auditPeriodStart,
                   auditPeriodEnd: auditPeriodEnd, subsequentEvents: subsequentEvents ?? "")
    }
}

/// The platform-wide cloud provider registry (issue 15 items 1, 2), read by anyone signed in:
/// `GET /api/v1/cloud/products?q=`, `GET /api/v1/cloud/products/{packageId}` (with its links and changes),
/// `GET /api/v1/cloud/ismap?q=`, `GET /api/v1/cloud/ismap/{number}`. Importing and ISMAP entry are the operator's
/// (`tekigo cloud …`) and platform administrators': `POST /api/v1/cloud/imports` (the Marketplace file as the body,
/// imported at once: the answer is the import's record, warnings and changes), `POST /api/v1/cloud/ismap`,
/// `PUT` and `DELETE /api/v1/cloud/ismap/{number}`, with a person's session only (an API token belongs to one
/// organization; the registry is every organization's).
struct CloudRegistryRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1/cloud", context: SignedInContext.self)
        api.get("/products", use: search)
        api.get("/products/:packageId", use: product)
        api.get("/ismap", use: ismapList)
        api.get("/ismap/:number", use: ismapRecord)
        api.post("/imports", use: importFile)
        api.post("/ismap", use: ismapAdd)
        api.put("/ismap/:number", use: ismapReplace)
        api.delete("/ismap/:number", use: ismapDelete)
    }

    /// The Marketplace file is about 4.2 MB (2026-04-28); the limit leaves it room to grow.
    static let maxImport = 64 * 1024 * 1024

    /// A platform administrator's session: a token (bound to one organization) or anyone else is refused (403).
    func changer(_ context: SignedInContext) async throws -> CloudRegistryCaller {
        guard case .session(let user, _) = try await services.ready(context.identity) else { throw CloudRegistryError.notPlatformAdmin }
        let caller = CloudRegistryCaller.person(user, sourceIP: context.sourceIP)
        try CloudRegistryUseCases.checkMayChange(caller)
        return caller
    }

    func importFile(_ request: Request, context: SignedInContext) async throws -> JSONResponse<CloudRegistryImportResult> {
        let caller = try await changer(context)
        let data: Data
        do { data = Data(buffer: try await request.body.collect(upTo: Self.maxImport)) } catch { throw APIError.tooLarge(limit: Self.maxImport) }
        guard !data.isEmpty else { throw APIError.invalid(field: "file", message: "Send the Marketplace file (data.json) as the request body.").ja("Marketplace のファイル（data.json）をリクエストの本文で送ってください。") }
        let name = request.uri.queryParameters.get("filename") ?? "data.json"
        let result = try await cases.importMarketplace(data, fileName: name, by: caller)
        return JSONResponse(value: result, status: .created)
    }

    func ismapAdd(_ request: Request, context: SignedInContext) async throws -> JSONResponse<ISMAPEntryView> {
        let caller = try await changer(context)
        let b = try await request.decodeStrict(ISMAPBody.self, context: context)
        guard let number = b.registrationNumber else { throw APIError.invalid(field: "registrationNumber", message: "registrationNumber: required.").ja("registrationNumber は必須です。") }
        let e = try await cases.saveISMAP(b.draft(number: number), by: caller, expecting: .new)
        return JSONResponse(value: ISMAPEntryView(e), status: .created)
    }

    func ismapReplace(_ request: Request, context: SignedInContext) async throws -> JSONResponse<ISMAPEntryView> {
        let caller = try await changer(context)
        let number = try context.parameters.require("number")
        let b = try await request.decodeStrict(ISMAPBody.self, context: context)
        if let n = b.registrationNumber, n.trimmingCharacters(in: .whitespaces) != number {
            throw APIError.invalid(field: "registrationNumber", message: "registrationNumber: '\(n)' differs from the path's '\(number)'; a record's number is not changed (add the new one, delete the old).")
        }
        return JSONResponse(value: ISMAPEntryView(try await cases.saveISMAP(b.draft(number: number), by: caller, expecting: .existing)))
    }

    func ismapDelete(_ request: Request, context: SignedInContext) async throws -> Response {
        let caller = try await changer(context)
        try await cases.deleteISMAP(number: try context.parameters.require("number"), by: caller)
        return Response(status: .noContent)
    }

    var cases: CloudRegistryUseCases { CloudRegistryUseCases(db: services.db, clock: services.clock) }

    func search(_ request: Request, context: SignedInContext) async throws -> JSONResponse<CloudProductListView> {
        try await services.ready(context.identity)
        let q = request.uri.queryParameters.get("q") ?? ""
        guard q.count <= 200 else { throw APIError.invalid(field: "q", message: "The search text is longer than 200 characters.").ja("検索する文字列が 200 文字を超えています。") }
        return JSONResponse(value: CloudProductListView(query: q, products: try await cases.search(q)))
    }

    func product(_ request: Request, context: SignedInContext) async throws -> JSONResponse<CloudProductDetail> {
        try await services.ready(context.identity)
        let id = try context.parameters.require("packageId")
        return JSONResponse(value: try await cases.show(packageID: id))
    }

    func ismapList(_ request: Request, context: SignedInContext) async throws -> JSONResponse<ISMAPListView> {
        try await services.ready(context.identity)
        let q = request.uri.queryParameters.get("q") ?? ""
        return JSONResponse(value: ISMAPListView(records: try await cases.ismapEntries(matching: q).map(ISMAPEntryView.init)))
    }

    func ismapRecord(_ request: Request, context: SignedInContext) async throws -> JSONResponse<ISMAPEntryView> {
        try await services.ready(context.identity)
        let number = try context.parameters.require("number")
        return JSONResponse(value: ISMAPEntryView(try await cases.ismapEntry(number: number)))
    }
}

extension CloudRegistryError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notPlatformAdmin: return .forbidden(description)
        case .unknownProduct(let id): return .notFound("FedRAMP product \(id)")
        case .unknownISMAP(let n): return .notFound("ISMAP record \(n)")
        case .ismapExists: return .conflict(description)
        case .unreadable: return .invalid(field: "file", message: description)
        case .invalidISMAP(let e): return .invalid(field: e.field, message: description)
        }
    }
}
