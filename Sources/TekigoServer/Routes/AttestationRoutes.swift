import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoReports
import TekigoStore
import TekigoUseCases

// MARK: - views

struct AttestationView: Encodable, Sendable {
    let id: String
    let organizationId: String
    let assessmentId: String?
    let keyId: String
    let issuedAt: String
    let expiresAt: String
    let supersededBy: String?
    let sprsScore: Int?
    let current: Bool
    /// The signed payload (organization, scope, scores, per-family summary, dates).
    let payload: AttestationPayload

    init(_ r: AttestationRecord) throws {
        id = r.id
        organizationId = r.organizationId
        assessmentId = r.assessmentId
        keyId = r.keyId
        issuedAt = r.issuedAt
        expiresAt = r.expiresAt
        supersededBy = r.supersededBy
        sprsScore = r.sprsScore
        current = r.isCurrent
        payload = try r.attestationPayload()
    }
}

struct PublishedKeyView: Encodable, Sendable {
    let keyId: String
    let algorithm: String
    let publicKey: String
    let createdAt: String
    let retiredAt: String?

    init(_ k: PublishedKey) {
        keyId = k.keyID
        algorithm = k.algorithm
        publicKey = k.publicKey
        createdAt = k.createdAt
        retiredAt = k.retiredAt
    }
}

struct ConsentView: Encodable, Sendable {
    let supplierId: String
    let viewerId: String
    let onward: Bool
    let grantedAt: String

    init(_ r: ConsentRecord) {
        supplierId = r.supplierId
        viewerId = r.viewerId
        onward = r.onward != 0
        grantedAt = r.grantedAt
    }
}

struct RollupResponseView: Encodable, Sendable {
    let prime: String
    let asOf: String
    let version: Int
    let updatedAt: String
    let tiers: [TierSummary]
    let totals: TierSummary

    init(_ v: RollupView) {
        prime = v.prime
        asOf = v.asOf.description
        version = v.version
        updatedAt = v.updatedAt
        tiers = v.tierNumbers.map { TierSummary(tier: $0, v.tiers[$0]!) }
        totals = TierSummary(tier: nil, v.totals)
    }
}

struct NeedsActionView: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let organizationId: String
        let name: String?
        let tier: Int
        let status: String
        let overdue: Bool
    }

    let items: [Entry]
    /// Visible suppliers needing action in all (for paging).
    let total: Int
    /// Suppliers needing action that the prime may not see: counted only.
    let hidden: Int
    let limit: Int
    let offset: Int

    init(_ p: NeedsActionPage) {
        items = p.entries.map { Entry(organizationId: $0.organization, name: $0.name, tier: $0.tier, status: $0.status.rawValue,
                                      overdue: $0.overdue) }
        total = p.visibleTotal
        hidden = p.hiddenCount
        limit = p.limit
        offset = p.offset
    }
}

// MARK: - bodies

struct AttestationBody: StrictBody {
    static let fields: Set<String> = ["assessmentId", "detail", "systemScope"]
    let assessmentId: String
    let detail: String?
    let systemScope: String?
}

struct ConsentBody: StrictBody {
    static let fields: Set<String> = ["onward"]
    let onward: Bool?
}

// MARK: - routes

/// "Answer once, share with many": the organization's signed attestations and signing keys, the consent it gives
/// customers upstream, a supplier's attestation as far as consent allows, and the prime's roll-up of its tree.
/// On `TenantContext`: one membership lookup per request (`TenantMiddleware`), each handler's action checked first.
struct AttestationRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/attestations", use: history)
        org.post("/attestations", use: issue)
        org.get("/attestations/current", use: current)
        org.get("/attestations/:attestation/export", use: exportOwn)
        org.get("/signing-keys", use: keys)
        org.post("/signing-keys/rotate", use: rotate)
        org.get("/consents", use: consents)
        org.put("/consents/:viewer", use: grant)
        org.delete("/consents/:viewer", use: revoke)
        org.get("/supplier-attestations/:supplier", use: supplierAttestation)
        org.get("/supplier-attestations/:supplier/export", use: supplierExport)
        org.get("/rollup", use: rollup)
        org.get("/rollup/needs-action", use: needsAction)
        org.get("/rollup/export", use: exportRollup)
    }

    // MARK: own attestations

    func history(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<AttestationView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.attestationUseCases(m).history().map(AttestationView.init), request: request))
    }

    func current(_ request: Request, context: TenantContext) async throws -> JSONResponse<AttestationView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try AttestationView(try await services.attestationUseCases(m).current()))
    }

    func issue(_ request: Request, context: TenantContext) async throws -> JSONResponse<AttestationView> {
        let m = try context.membership(for: .issueAttestations)
        let b = try await request.decodeStrict(AttestationBody.self, context: context)
        let r = try await services.attestationUseCases(m).issue(assessmentID: b.assessmentId, detail: b.detail, systemScope: b.systemScope)
        return JSONResponse(value: try AttestationView(r), status: .created)
    }

    func exportOwn(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .export)
        let id = try context.parameters.require("attestation")
        return Self.file(try await services.attestationUseCases(m).export(id: id), name: "attestation-\(id).json")
    }

    /// The signed file, as a download (verify it offline with `tekigo attest verify FILE`).
    static func file(_ data: Data, name: String) -> Response {
        download(data, type: "application/json; charset=utf-8", name: name)
    }

    // MARK: keys

    func keys(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<PublishedKeyView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.attestationUseCases(m).publicKeys().map(PublishedKeyView.init), request: request))
    }

    func rotate(_ request: Request, context: TenantContext) async throws -> JSONResponse<PublishedKeyView> {
        let m = try context.membership(for: .issueAttestations)
        return JSONResponse(value: PublishedKeyView(try await services.attestationUseCases(m).rotateKey()), status: .created)
    }

    // MARK: consent

    func consents(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<ConsentView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.consent(m).grants().map(ConsentView.init), request: request))
    }

    func grant(_ request: Request, context: TenantContext) async throws -> JSONResponse<ConsentView> {
        let m = try context.membership(for: .manageConsent)
        let b = try await request.decodeStrict(ConsentBody.self, context: context)
        return JSONResponse(value: ConsentView(try await services.consent(m).grant(viewer: try context.parameters.require("viewer"), onward: b.onward)))
    }

    func revoke(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageConsent)
        try await services.consent(m).withdraw(viewer: try context.parameters.require("viewer"))
        return Response(status: .noContent)
    }

    // MARK: a supplier's attestation, as far as consent allows

    func supplierAttestation(_ request: Request, context: TenantContext) async throws -> JSONResponse<AttestationView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try AttestationView(try await services.attestationUseCases(m).shared(of: try context.parameters.require("supplier"))))
    }

    func supplierExport(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .export)
        let supplier = try context.parameters.require("supplier")
        return Self.file(try await services.attestationUseCases(m).sharedExport(of: supplier), name: "attestation-\(supplier).json")
    }

    // MARK: roll-up

    func rollup(_ request: Request, context: TenantContext) async throws -> JSONResponse<RollupResponseView> {
        let m = try context.membership(for: .read)
        let v = try await services.rollups(m).view().view
        return JSONResponse(value: RollupResponseView(v), headers: [.eTag: "\"\(v.version)\""])
    }

    func needsAction(_ request: Request, context: TenantContext) async throws -> JSONResponse<NeedsActionView> {
        let m = try context.membership(for: .read)
        let rollups = services.rollups(m)
        let view = try await rollups.view().view
        let q = request.uri.queryParameters
        let limit = try Page<Int>.int(q["limit"].map(String.init), "limit", default: 100, range: 1...500)
        let offset = try Page<Int>.int(q["offset"].map(String.init), "offset", default: 0, range: 0...Int.max)
        return JSONResponse(value: NeedsActionView(try await rollups.needsAction(view, limit: limit, offset: offset)))
    }
}

extension AttestationRoutes {
    /// The roll-up as a spreadsheet: `.xlsx` with three sheets (tiers, families failing, needs action), or one of them
    /// as CSV (`table=tiers|families|needs-action`). Needs action lists only suppliers the prime may see.
    func exportRollup(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .export)
        let q = request.uri.queryParameters
        let format = q["format"].map(String.init) ?? "xlsx"
        let lang = Language(rawValue: q["lang"].map(String.init) ?? "ja") ?? .ja
        let tables = ["tiers", "families", "needs-action"]
        let table = q["table"].map(String.init) ?? "tiers"
        guard ["csv", "xlsx"].contains(format) else {
            throw APIError.invalid(field: "format", message: "format must be csv or xlsx.").ja("format は csv か xlsx にしてください。")
        }
        guard let tableIndex = tables.firstIndex(of: table) else {
            throw APIError.invalid(field: "table", message: "table must be one of \(tables.joined(separator: ", ")) (CSV holds one table).").ja("table は \(tables.joined(separator: "、")) のいずれかにしてください（CSV は 1 つの表だけを持ちます）。")
        }
        let rollups = services.rollups(m)
        let view = try await rollups.view().view
        let (entries, hidden) = try await rollups.allNeedsAction(view)
        let sheets = RollupSheets.sheets(counts: view.counts, asOf: view.asOf, needsAction: entries, hiddenNeedingAction: hidden,
                                         language: lang)
        let stamp = view.asOf.description
        if format == "csv" {
            return Self.download(CSVExport.data(sheets[tableIndex]), type: "text/csv; charset=utf-8", name: "rollup-\(table)-\(stamp).csv")
        }
        return Self.download(try XLSXExport.data(sheets), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             name: "rollup-\(stamp).xlsx")
    }

    static func download(_ data: Data, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
