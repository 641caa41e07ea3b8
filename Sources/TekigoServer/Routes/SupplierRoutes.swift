import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct InvitationView: Encodable, Sendable {
    /// The SHA-256 of the token: names the invitation (to revoke it) without being able to accept it.
    let id: String
    let note: String
    let contactEmail: String?
    let createdAt: String
    let expiresAt: String

    init(_ r: SupplierInvitationRecord) {
        id = r.tokenHash
        note = r.note
        contactEmail = r.contactEmail
        createdAt = r.createdAt
        expiresAt = r.expiresAt
    }
}

struct InvitationCreatedView: Encodable, Sendable {
    let id: String
    /// Shown once: hand it to the supplier.
    let token: String
    let note: String
    let contactEmail: String?
    let expiresAt: String
    let accept: String
}

struct LinkedOrganizationView: Encodable, Sendable {
    let id: String
    let name: String
    let linkedAt: String

    init(_ o: LinkedOrganization) {
        id = o.id
        name = o.name
        linkedAt = o.linkedAt
    }
}

struct ContractView: Encodable, Sendable {
    let id: String
    let customerId: String
    let supplierId: String
    let number: String
    let designation: String
    let clauses: [String]
    let cmmcLevel: Int?
    let createdAt: String
    let version: Int

    init(_ r: ContractRecord) {
        id = r.id
        customerId = r.customerId
        supplierId = r.supplierId
        number = r.number
        designation = r.designation
        clauses = r.clauseList
        cmmcLevel = r.cmmcLevel
        createdAt = r.createdAt
        version = r.version
    }
}

struct RequirementView: Encodable, Sendable {
    let id: String
    let customerId: String
    let customerName: String
    let supplierId: String
    let supplierName: String
    let contractId: String?
    let contractNumber: String?
    let catalog: String
    /// `sprs>=88`, `all-met` or `cmmc-l2`.
    let minimum: String
    let dueOn: String
    let mustFlowDown: Bool
    let version: Int
    /// The supplier's standing against it today, from the attestation the viewer may see (`missing` when none is
    /// shared): current / expiring / expired / below-minimum / missing.
    let status: String
    /// The due date has passed and the minimum is not met.
    let overdue: Bool

    init(_ s: RequirementStanding) {
        let l = s.listing, standing = s.standing
        let r = l.record
        id = r.id
        customerId = r.customerId
        customerName = l.customerName
        supplierId = r.supplierId
        supplierName = l.supplierName
        contractId = r.contractId
        contractNumber = l.contractNumber
        catalog = r.catalog
        minimum = r.minimum
        dueOn = r.dueOn
        mustFlowDown = r.mustFlowDown != 0
        version = r.version
        status = standing.kind.rawValue
        overdue = standing.overdue
    }
}

// MARK: - bodies

struct InvitationBody: StrictBody {
    static let fields: Set<String> = ["note", "expiresInDays", "contactEmail"]
    let note: String?
    let expiresInDays: Int?
    let contactEmail: String?
}

struct AcceptInvitationBody: StrictBody {
    static let fields: Set<String> = ["token"]
    let token: String
}

struct ContractBody: StrictBody {
    static let fields: Set<String> = ["number", "designation", "clauses", "cmmcLevel"]
    let number: String
    let designation: String
    let clauses: [String]
    let cmmcLevel: Int?

    var terms: ContractTerms { ContractTerms(number: number, designation: designation, clauses: clauses, cmmcLevel: cmmcLevel) }
}

struct RequirementBody: StrictBody {
    static let fields: Set<String> = ["supplierId", "contractId", "catalog", "minimum", "dueOn", "mustFlowDown"]
    let supplierId: String?
    let contractId: String?
    let catalog: String?
    let minimum: String
    let dueOn: String
    let mustFlowDown: Bool?

    var terms: RequirementTerms {
        RequirementTerms(supplierID: supplierId, contractID: contractId, catalog: catalog, minimum: minimum, dueOn: dueOn,
                         mustFlowDown: mustFlowDown)
    }
}

// MARK: - routes

/// Supplier relationships inside `/api/v1/organizations/{org}`: invitations (the customer side), accepting one (the
/// supplier side), the links both ways, contracts and flow-down requirements (DFARS 252.204-7012(m)). Each handler
/// parses, calls one supply-chain use case (`SupplierLinkUseCases`, `ContractUseCases`, `FlowDownUseCases`) and renders.
/// On `TenantContext` (`TenantRoutes`' pattern): `TenantMiddleware` has looked the caller's membership up once, and each
/// handler first checks its action (`context.membership(for:)`), before it reads a body or a parameter.
struct SupplierRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/supplier-invitations", use: listInvitations)
        org.post("/supplier-invitations", use: invite)
        org.delete("/supplier-invitations/:invitation", use: revokeInvitation)
        org.post("/customer-invitations/accept", use: accept)
        org.get("/suppliers", use: listSuppliers)
        org.delete("/suppliers/:supplier", use: removeSupplier)
        org.get("/customers", use: listCustomers)
        org.get("/suppliers/:supplier/contracts", use: listContracts)
        org.post("/suppliers/:supplier/contracts", use: createContract)
        org.put("/contracts/:contract", use: updateContract)
        org.delete("/contracts/:contract", use: deleteContract)
        org.get("/requirements", use: listRequirements)
        org.post("/requirements", use: createRequirement)
        org.put("/requirements/:requirement", use: updateRequirement)
        org.delete("/requirements/:requirement", use: deleteRequirement)
        org.get("/requirements-on-me", use: requirementsOnMe)
    }

    // MARK: invitations

    func listInvitations(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<InvitationView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.supplierLinks(m).invitations().map(InvitationView.init), request: request))
    }

    func invite(_ request: Request, context: TenantContext) async throws -> JSONResponse<InvitationCreatedView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(InvitationBody.self, context: context)
        let (token, r) = try await services.supplierLinks(m).invite(note: b.note, expiresInDays: b.expiresInDays, contactEmail: b.contactEmail)
        return JSONResponse(value: InvitationCreatedView(
            id: r.tokenHash, token: token, note: r.note, contactEmail: r.contactEmail, expiresAt: r.expiresAt,
            accept: "POST /api/v1/organizations/{supplier's organization}/customer-invitations/accept with {\"token\": …}"),
                            status: .created)
    }

    func revokeInvitation(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSuppliers)
        try await services.supplierLinks(m).revokeInvitation(id: try context.parameters.require("invitation"))
        return Response(status: .noContent)
    }

    /// The supplier's side: the organization in the path accepts a customer's invitation.
    func accept(_ request: Request, context: TenantContext) async throws -> JSONResponse<LinkedOrganizationView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(AcceptInvitationBody.self, context: context)
        return JSONResponse(value: LinkedOrganizationView(try await services.supplierLinks(m).accept(token: b.token)), status: .created)
    }

    // MARK: links

    func listSuppliers(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<LinkedOrganizationView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.supplierLinks(m).suppliers().map(LinkedOrganizationView.init), request: request))
    }

    func listCustomers(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<LinkedOrganizationView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.supplierLinks(m).customers().map(LinkedOrganizationView.init), request: request))
    }

    func removeSupplier(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSuppliers)
        try await services.supplierLinks(m).removeSupplier(id: try context.parameters.require("supplier"))
        return Response(status: .noContent)
    }

    // MARK: contracts

    func listContracts(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<ContractView>> {
        let m = try context.membership(for: .read)
        let contracts = try await services.contracts(m).contracts(supplierID: try context.parameters.require("supplier"))
        return JSONResponse(value: try Page(contracts.map(ContractView.init), request: request))
    }

    func createContract(_ request: Request, context: TenantContext) async throws -> JSONResponse<ContractView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(ContractBody.self, context: context)
        let r = try await services.contracts(m).create(b.terms, supplierID: try context.parameters.require("supplier"))
        return JSONResponse(value: ContractView(r), status: .created, headers: [.eTag: "\"\(r.version)\""])
    }

    func updateContract(_ request: Request, context: TenantContext) async throws -> JSONResponse<ContractView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(ContractBody.self, context: context)
        let r = try await services.contracts(m).update(id: try context.parameters.require("contract"), b.terms, ifVersion: ifMatch(request))
        return JSONResponse(value: ContractView(r), headers: [.eTag: "\"\(r.version)\""])
    }

    func deleteContract(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSuppliers)
        try await services.contracts(m).delete(id: try context.parameters.require("contract"), ifVersion: try ifMatch(request))
        return Response(status: .noContent)
    }

    // MARK: requirements

    func listRequirements(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<RequirementView>> {
        let m = try context.membership(for: .read)
        let supplier = try request.uri.queryParameters["supplier"].map { try plainText(String($0), field: "supplier") }
        return JSONResponse(value: try Page(try await services.flowDown(m).requirements(supplierID: supplier).map(RequirementView.init),
                                            request: request))
    }

    func requirementsOnMe(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<RequirementView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.flowDown(m).requirementsOnMe().map(RequirementView.init), request: request))
    }

    func createRequirement(_ request: Request, context: TenantContext) async throws -> JSONResponse<RequirementView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(RequirementBody.self, context: context)
        let r = try await services.flowDown(m).create(b.terms)
        return JSONResponse(value: RequirementView(r), status: .created, headers: [.eTag: "\"\(r.listing.record.version)\""])
    }

    func updateRequirement(_ request: Request, context: TenantContext) async throws -> JSONResponse<RequirementView> {
        let m = try context.membership(for: .manageSuppliers)
        let b = try await request.decodeStrict(RequirementBody.self, context: context)
        let r = try await services.flowDown(m).update(id: try context.parameters.require("requirement"), b.terms, ifVersion: ifMatch(request))
        return JSONResponse(value: RequirementView(r), headers: [.eTag: "\"\(r.listing.record.version)\""])
    }

    func deleteRequirement(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSuppliers)
        try await services.flowDown(m).delete(id: try context.parameters.require("requirement"), ifVersion: try ifMatch(request))
        return Response(status: .noContent)
    }
}

/// The organization id in the path, for the pages still on `Services.member` (API routes have it from
/// `TenantContext.membership(for:)`).
func orgID(_ context: AppContext) throws -> String { try context.parameters.require("org") }

/// Text from a URL (query value or decoded path segment) on its way to the database: U+0000 cannot be stored or
/// compared in PostgreSQL and is never meaningful in an id, so it is refused as the client's error.
func plainText(_ value: String, field: String) throws -> String {
    guard !value.unicodeScalars.contains("\u{0}") else {
        throw APIError.invalid(field: field, message: "'\(field)' may not contain the NUL character (U+0000).").ja("\(field) に NUL 文字（U+0000）は使えません。")
    }
    return value
}

/// `If-Match: "3"` as a version; nil when absent.
func ifMatch(_ request: Request) throws -> Int? {
    guard let raw = request.headers[.ifMatch] else { return nil }
    guard let v = Int(raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
        throw APIError.invalid(field: "If-Match", message: "If-Match must be the ETag you read, e.g. \"3\".").ja("If-Match には読み込んだときの ETag を入れてください（例 \"3\"）。")
    }
    return v
}
