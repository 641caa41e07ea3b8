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

/// The platform-wide cloud provider registry (issue 15 items 1, 2), read by anyone signed in:
/// `GET /api/v1/cloud/products?q=`, `GET /api/v1/cloud/products/{packageId}` (with its links and changes),
/// `GET /api/v1/cloud/ismap?q=`, `GET /api/v1/cloud/ismap/{number}`. Importing and ISMAP entry are the operator's
/// (`tekigo cloud …`) and platform administrators'.
struct CloudRegistryRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1/cloud", context: SignedInContext.self)
        api.get("/products", use: search)
        api.get("/products/:packageId", use: product)
        api.get("/ismap", use: ismapList)
        api.get("/ismap/:number", use: ismapRecord)
    }

    var cases: CloudRegistryUseCases { CloudRegistryUseCases(db: services.db) }

    func search(_ request: Request, context: SignedInContext) async throws -> JSONResponse<CloudProductListView> {
        try await services.ready(context.identity)
        let q = request.uri.queryParameters.get("q") ?? ""
        guard q.count <= 200 else { throw APIError.invalid(field: "q", message: "The search text is longer than 200 characters.") }
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
        case .unreadable: return .invalid(field: "file", message: description)
        case .invalidISMAP(let e): return .invalid(field: e.field, message: description)
        }
    }
}
