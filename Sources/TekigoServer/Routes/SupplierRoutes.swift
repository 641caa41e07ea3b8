import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore

// MARK: - views

struct InvitationView: Encodable, Sendable {
    /// The SHA-256 of the token: names the invitation (to revoke it) without being able to accept it.
    let id: String
    let note: String
    let createdAt: String
    let expiresAt: String

    init(_ r: SupplierInvitationRecord) {
        id = r.tokenHash
        note = r.note
        createdAt = r.createdAt
        expiresAt = r.expiresAt
    }
}

struct InvitationCreatedView: Encodable, Sendable {
    let id: String
    /// Shown once: hand it to the supplier.
    let token: String
    let note: String
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

    init(_ l: RequirementListing, standing: SupplierStatus) {
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
    static let fields: Set<String> = ["note", "expiresInDays"]
    let note: String?
    let expiresInDays: Int?
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

    func contract() throws -> Contract {
        guard let d = ProtectedInformationDesignation(rawValue: designation) else {
            throw APIError.invalid(field: "designation", message: "designation must be one of "
                + ProtectedInformationDesignation.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        var set = Set<ContractClause>()
        for (i, c) in clauses.enumerated() {
            guard let clause = ContractClause(rawValue: c) else {
                throw APIError.invalid(field: "clauses[\(i)]", message: "Unknown clause '\(c)'. Known: "
                    + ContractClause.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            set.insert(clause)
        }
        return try Contract(number: number, designation: d, clauses: set, cmmcLevel: cmmcLevel)
    }
}

struct RequirementBody: StrictBody {
    static let fields: Set<String> = ["supplierId", "contractId", "catalog", "minimum", "dueOn", "mustFlowDown"]
    let supplierId: String?
    let contractId: String?
    let catalog: String?
    let minimum: String
    let dueOn: String
    let mustFlowDown: Bool?

    var parsedMinimum: FlowDownRequirement.Minimum {
        get throws {
            guard let m = FlowDownRequirement.Minimum(storedText: minimum) else {
                throw APIError.invalid(field: "minimum", message: "minimum must be 'sprs>=N' (N from -203 to 110), 'all-met' or 'cmmc-l2'.")
            }
            return m
        }
    }

    var due: Day {
        get throws {
            guard let d = Day(dueOn) else { throw APIError.invalid(field: "dueOn", message: "dueOn must be a date, YYYY-MM-DD.") }
            return d
        }
    }

    /// The catalog named (SP 800-171 rev2 by default), if the library has it.
    func catalogID(in library: Library) throws -> CatalogID {
        let id = CatalogID(catalog ?? CatalogID.sp800171r2.rawValue)
        guard (try? library.catalog(id)) != nil else {
            throw APIError.invalid(field: "catalog", message: "Unknown catalog '\(id.rawValue)'; use sp800-171r2 or another catalog id from `tekigo catalog list`.")
        }
        return id
    }
}

// MARK: - routes

/// Supplier relationships inside `/api/v1/organizations/{org}`: invitations (the customer side), accepting one (the
/// supplier side), the links both ways, contracts and flow-down requirements (DFARS 252.204-7012(m)).
struct SupplierRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org")
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

    func relationships(_ m: Membership) -> RelationshipStore { RelationshipStore(services.db, organizationID: m.organization.id) }

    // MARK: invitations

    func listInvitations(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<InvitationView>> {
        let m = try await services.member(context, try orgID(context), .read)
        return JSONResponse(value: try Page(try await relationships(m).invitations(now: services.clock.now()).map(InvitationView.init), request: request))
    }

    func invite(_ request: Request, context: AppContext) async throws -> JSONResponse<InvitationCreatedView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(InvitationBody.self, context: context)
        let days = b.expiresInDays ?? 7
        guard (1...30).contains(days) else {
            throw APIError.invalid(field: "expiresInDays", message: "expiresInDays must be 1–30 (default 7).")
        }
        let (token, r) = try await relationships(m).invite(note: b.note ?? "", expiresIn: TimeInterval(days) * 86_400, by: m.actor, now: services.clock.now())
        return JSONResponse(value: InvitationCreatedView(
            id: r.tokenHash, token: token, note: r.note, expiresAt: r.expiresAt,
            accept: "POST /api/v1/organizations/{supplier's organization}/customer-invitations/accept with {\"token\": …}"),
                            status: .created)
    }

    func revokeInvitation(_ request: Request, context: AppContext) async throws -> Response {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        try await relationships(m).revokeInvitation(tokenHash: try context.parameters.require("invitation"), by: m.actor)
        return Response(status: .noContent)
    }

    /// The supplier's side: the organization in the path accepts a customer's invitation.
    func accept(_ request: Request, context: AppContext) async throws -> JSONResponse<LinkedOrganizationView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(AcceptInvitationBody.self, context: context)
        let store = relationships(m)
        let link = try await store.accept(token: b.token, by: m.actor, now: services.clock.now())
        guard let customer = try await store.customers().first(where: { $0.id == link.customerId }) else {
            throw APIError.notFound("Customer \(link.customerId)")
        }
        return JSONResponse(value: LinkedOrganizationView(customer), status: .created)
    }

    // MARK: links

    func listSuppliers(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<LinkedOrganizationView>> {
        let m = try await services.member(context, try orgID(context), .read)
        return JSONResponse(value: try Page(try await relationships(m).suppliers().map(LinkedOrganizationView.init), request: request))
    }

    func listCustomers(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<LinkedOrganizationView>> {
        let m = try await services.member(context, try orgID(context), .read)
        return JSONResponse(value: try Page(try await relationships(m).customers().map(LinkedOrganizationView.init), request: request))
    }

    func removeSupplier(_ request: Request, context: AppContext) async throws -> Response {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        try await relationships(m).removeSupplier(id: try context.parameters.require("supplier"), by: m.actor)
        return Response(status: .noContent)
    }

    // MARK: contracts

    func listContracts(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<ContractView>> {
        let m = try await services.member(context, try orgID(context), .read)
        let supplier = try context.parameters.require("supplier")
        let store = relationships(m)
        guard try await store.suppliers().contains(where: { $0.id == supplier }) else {
            throw APIError.notFound("Supplier \(supplier)")
        }
        return JSONResponse(value: try Page(try await store.contracts(supplierID: supplier).map(ContractView.init), request: request))
    }

    func createContract(_ request: Request, context: AppContext) async throws -> JSONResponse<ContractView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(ContractBody.self, context: context)
        let r = try await relationships(m).createContract(try b.contract(), supplierID: try context.parameters.require("supplier"),
                                                          by: m.actor)
        return JSONResponse(value: ContractView(r), status: .created, headers: [.eTag: "\"\(r.version)\""])
    }

    func updateContract(_ request: Request, context: AppContext) async throws -> JSONResponse<ContractView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(ContractBody.self, context: context)
        let r = try await relationships(m).updateContract(id: try context.parameters.require("contract"), try b.contract(),
                                                          ifVersion: try ifMatch(request), by: m.actor)
        return JSONResponse(value: ContractView(r), headers: [.eTag: "\"\(r.version)\""])
    }

    func deleteContract(_ request: Request, context: AppContext) async throws -> Response {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        try await relationships(m).deleteContract(id: try context.parameters.require("contract"), ifVersion: try ifMatch(request),
                                                  by: m.actor)
        return Response(status: .noContent)
    }

    // MARK: requirements

    func listRequirements(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<RequirementView>> {
        let m = try await services.member(context, try orgID(context), .read)
        let supplier = try request.uri.queryParameters["supplier"].map { try plainText(String($0), field: "supplier") }
        return JSONResponse(value: try Page(try await views(try await relationships(m).requirements(supplierID: supplier), m),
                                            request: request))
    }

    func requirementsOnMe(_ request: Request, context: AppContext) async throws -> JSONResponse<Page<RequirementView>> {
        let m = try await services.member(context, try orgID(context), .read)
        return JSONResponse(value: try Page(try await views(try await relationships(m).requirementsOnMe(), m), request: request))
    }

    func createRequirement(_ request: Request, context: AppContext) async throws -> JSONResponse<RequirementView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(RequirementBody.self, context: context)
        guard let supplier = b.supplierId else {
            throw APIError.invalid(field: "supplierId", message: "supplierId is required: the supplier the requirement applies to.")
        }
        let store = relationships(m)
        let r = try await store.createRequirement(supplierID: supplier, contractID: b.contractId, catalog: try b.catalogID(in: services.library),
                                                  minimum: try b.parsedMinimum, due: try b.due,
                                                  mustFlowDown: b.mustFlowDown ?? true, by: m.actor)
        return JSONResponse(value: try await listing(store, r.id, m), status: .created, headers: [.eTag: "\"\(r.version)\""])
    }

    func updateRequirement(_ request: Request, context: AppContext) async throws -> JSONResponse<RequirementView> {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        let b = try await request.decodeStrict(RequirementBody.self, context: context)
        let id = try context.parameters.require("requirement")
        let store = relationships(m)
        if let s = b.supplierId, let current = try await store.requirement(id: id), current.record.supplierId != s {
            throw APIError.invalid(field: "supplierId", message: "A requirement's supplier cannot change; create a new requirement.")
        }
        let r = try await store.updateRequirement(id: id, contractID: b.contractId, catalog: try b.catalogID(in: services.library),
                                                  minimum: try b.parsedMinimum, due: try b.due,
                                                  mustFlowDown: b.mustFlowDown ?? true, ifVersion: try ifMatch(request), by: m.actor)
        return JSONResponse(value: try await listing(store, r.id, m), headers: [.eTag: "\"\(r.version)\""])
    }

    func deleteRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let m = try await services.member(context, try orgID(context), .manageSuppliers)
        try await relationships(m).deleteRequirement(id: try context.parameters.require("requirement"),
                                                     ifVersion: try ifMatch(request), by: m.actor)
        return Response(status: .noContent)
    }

    func listing(_ store: RelationshipStore, _ id: String, _ m: Membership) async throws -> RequirementView {
        guard let l = try await store.requirement(id: id) else { throw APIError.notFound("Requirement \(id)") }
        return try await views([l], m)[0]
    }

    /// Requirements with the supplier's standing today, judged on the attestation the acting organization may see:
    /// its own when it is the supplier, else the supplier's as far as consent allows. Flags unmet and overdue
    /// requirements on both sides of the link.
    func views(_ listings: [RequirementListing], _ m: Membership) async throws -> [RequirementView] {
        let me = m.organization.id
        let store = AttestationStore(services.db, organizationID: me, evidenceKey: services.evidence.key)
        var seen: [String: AttestationPayload?] = [:]
        let today = services.today(m)
        var out: [RequirementView] = []
        for l in listings {
            let supplier = l.record.supplierId
            if seen[supplier] == nil {
                let record = supplier == me ? try await store.current() : try await store.attestation(of: supplier, viewer: me)
                seen[supplier] = .some(try record?.attestationPayload())
            }
            let standing = SupplierStatus.evaluate(requirement: try l.requirement(), attestation: seen[supplier] ?? nil, at: today)
            out.append(RequirementView(l, standing: standing))
        }
        return out
    }
}

/// The organization id in the path.
func orgID(_ context: AppContext) throws -> String { try context.parameters.require("org") }

/// Text from a URL (query value or decoded path segment) on its way to the database: U+0000 cannot be stored or
/// compared in PostgreSQL and is never meaningful in an id, so it is refused as the client's error.
func plainText(_ value: String, field: String) throws -> String {
    guard !value.unicodeScalars.contains("\u{0}") else {
        throw APIError.invalid(field: field, message: "'\(field)' may not contain the NUL character (U+0000).")
    }
    return value
}

/// `If-Match: "3"` as a version; nil when absent.
func ifMatch(_ request: Request) throws -> Int? {
    guard let raw = request.headers[.ifMatch] else { return nil }
    guard let v = Int(raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
        throw APIError.invalid(field: "If-Match", message: "If-Match must be the ETag you read, e.g. \"3\".")
    }
    return v
}
