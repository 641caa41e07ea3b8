import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

// MARK: - views

struct IncidentObservableView: Encodable, Sendable {
    let id: String
    let kind: String
    let value: String
    let note: String
    let addedBy: String
    let addedAt: String

    init(_ r: IncidentObservableRecord) {
        id = r.id
        kind = r.kind
        value = r.value
        note = r.note
        addedBy = r.addedBy
        addedAt = r.addedAt
    }
}

struct IncidentShareTargetView: Encodable, Sendable {
    let collection: String
    let collectionTitle: String
    let community: String
    let communityName: String
    let communityKind: String
    /// An ISAC, or a supply-chain community a customer of the organization administers: a share there is offered as
    /// 3.6.2 evidence.
    let authority: Bool

    init(_ t: IncidentShareTarget) {
        collection = t.collectionID
        collectionTitle = t.collectionTitle
        community = t.communitySlug
        communityName = t.communityName
        communityKind = t.communityKind.rawValue
        authority = t.authority
    }
}

struct IncidentShareLineView: Encodable, Sendable {
    let type: String
    let id: String
    let summary: ExerciseTextView
}

struct IncidentSharePreviewView: Encodable, Sendable {
    let target: IncidentShareTargetView
    let tlp: String
    let observables: [String]
    /// Give back to publish.
    let preparedAt: String
    /// SHA-256 hex of `bundle`'s UTF-8 bytes; give back to publish.
    let digest: String
    /// The bundle exactly as it would leave.
    let bundle: String
    let objectCount: Int
    let objects: [IncidentShareLineView]
}

struct IncidentShareView: Encodable, Sendable {
    let id: String
    let incident: String
    let community: String
    let collection: String
    let tlp: String
    let objectCount: Int
    let bundleSha256: String
    let statusId: String
    let authority: Bool
    let sharedBy: String
    let sharedAt: String
    let evidenceAssessment: String?
    let evidenceObjectives: [String]?

    init(_ r: IncidentShareRecord) {
        id = r.id
        incident = r.incidentID
        community = r.communityID
        collection = r.collectionID
        tlp = r.tlp
        objectCount = r.objectCount
        bundleSha256 = r.bundleSHA256
        statusId = r.statusID
        authority = r.authority
        sharedBy = r.sharedBy
        sharedAt = r.sharedAt
        evidenceAssessment = r.evidenceAssessment
        evidenceObjectives = r.evidenceObjectives.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }
}

struct IncidentShareOfferView: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let objective: String
        let requirement: String
        let location: String
        let status: String
        let version: Int
        let alreadyAdded: Bool
    }
    let share: String
    let assessmentId: String
    let items: [Item]
}

// MARK: - bodies

struct IncidentObservableBody: StrictBody {
    static let fields: Set<String> = ["value", "note"]
    let value: String
    let note: String?
}

struct IncidentShareBody: StrictBody {
    static let fields: Set<String> = ["collection", "tlp", "includeNarrative", "includeContracts", "includeReportNumbers", "includeNames",
                                      "markCUI", "observables", "preparedAt", "digest"]
    let collection: String
    let tlp: String
    let includeNarrative: Bool?
    let includeContracts: Bool?
    let includeReportNumbers: Bool?
    let includeNames: Bool?
    let markCUI: Bool?
    /// Observable ids to share.
    let observables: [String]?
    /// Publish only: the preview's `preparedAt` and `digest`.
    let preparedAt: String?
    let digest: String?

    var choice: IncidentShareChoice {
        IncidentShareChoice(collectionID: collection, tlp: tlp, includeNarrative: includeNarrative ?? false,
                            includeContracts: includeContracts ?? false, includeReportNumbers: includeReportNumbers ?? false,
                            includeNames: includeNames ?? false, markCUI: markCUI ?? false, observableIDs: observables ?? [])
    }
}

struct IncidentShareEvidenceBody: StrictBody {
    static let fields: Set<String> = ["assessment", "objectives", "versions"]
    let assessment: String
    let objectives: [String]
    let versions: [String: Int]?
}

// MARK: - routes

/// Sharing from an incident inside `/api/v1/organizations/{org}` (issue 14 item 5): the incident's observables, the
/// collections it may go to, the preview (writes nothing; the exact bundle and its digest), the publish (exactly what
/// was previewed, or nothing), the shares, and the 3.6.2 evidence offer and confirmation. Need-to-know and the sharing
/// rules are `IncidentShareUseCases`'; every handler starts with the membership's `.read`.
struct IncidentShareRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/incidents/:incident/observables", use: observables)
        org.post("/incidents/:incident/observables", use: addObservable)
        org.delete("/incidents/:incident/observables/:observable", use: deleteObservable)
        org.get("/incident-share-targets", use: targets)
        org.post("/incidents/:incident/share-preview", use: preview)
        org.post("/incidents/:incident/shares", use: publish)
        org.get("/incidents/:incident/shares", use: shares)
        org.get("/incidents/:incident/shares/:share/evidence", use: offer)
        org.post("/incidents/:incident/shares/:share/evidence", use: confirm)
    }

    func useCases(_ m: Membership) -> IncidentShareUseCases { IncidentShareUseCases(services.tenantEnvironment, m.scope) }

    /// The incident's page, as the evidence text names it (the same text the pages write).
    func link(_ request: Request, _ m: Membership, _ incident: String) -> String {
        let host = request.head.authority ?? "\(services.config.hostname):\(services.config.port)"
        return (services.config.secureCookies ? "https://" : "http://") + host + PageRoute.incident(org: m.organization.id, incident: incident).path
    }

    func observables(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentObservableView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await useCases(m).observables(incidentID: try context.parameters.require("incident"))
            .map(IncidentObservableView.init))
    }

    func addObservable(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentObservableView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentObservableBody.self, context: context)
        let r = try await useCases(m).addObservable(incidentID: try context.parameters.require("incident"), value: b.value, note: b.note ?? "")
        return JSONResponse(value: IncidentObservableView(r), status: .created)
    }

    func deleteObservable(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).deleteObservable(incidentID: try context.parameters.require("incident"),
                                               observableID: try context.parameters.require("observable"))
        return Response(status: .noContent)
    }

    func targets(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentShareTargetView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await useCases(m).targets().map(IncidentShareTargetView.init))
    }

    func preview(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentSharePreviewView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentShareBody.self, context: context)
        let p = try await useCases(m).preview(incidentID: try context.parameters.require("incident"), choice: b.choice)
        return JSONResponse(value: IncidentSharePreviewView(
            target: IncidentShareTargetView(p.target), tlp: p.choice.tlp, observables: p.choice.observableIDs, preparedAt: p.preparedAt,
            digest: p.digest, bundle: p.json, objectCount: p.objectCount,
            objects: p.lines.map { IncidentShareLineView(type: $0.type, id: $0.id, summary: ExerciseTextView($0.summary)) }))
    }

    func publish(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentShareView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentShareBody.self, context: context)
        guard let preparedAt = b.preparedAt, let digest = b.digest else {
            throw APIError.invalid(field: "digest", message: "Publish what you previewed: give the preview's preparedAt and digest.").ja("プレビューした内容を公開してください。プレビューの preparedAt と digest を指定します。")
        }
        let r = try await useCases(m).publish(incidentID: try context.parameters.require("incident"), choice: b.choice,
                                              preparedAt: preparedAt, digest: digest)
        return JSONResponse(value: IncidentShareView(r), status: .created)
    }

    func shares(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentShareView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await useCases(m).shares(incidentID: try context.parameters.require("incident")).map(IncidentShareView.init))
    }

    /// What the share would add, per objective; writes nothing.
    func offer(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentShareOfferView> {
        let m = try context.membership(for: .read)
        let incident = try context.parameters.require("incident")
        guard let assessment = request.uri.queryParameters["assessment"].map(String.init), !assessment.isEmpty else {
            throw APIError.invalid(field: "assessment", message: "Name the assessment: ?assessment=<id>.").ja("評価を ?assessment=<id> で指定してください。")
        }
        let o = try await useCases(m).evidenceOffer(incidentID: incident, shareID: try context.parameters.require("share"),
                                                    assessmentID: assessment, link: link(request, m, incident))
        return JSONResponse(value: IncidentShareOfferView(share: o.share.id, assessmentId: o.assessment.id, items: o.items.map {
            .init(objective: $0.objective, requirement: $0.requirementID, location: $0.location, status: $0.status.rawValue,
                  version: $0.version, alreadyAdded: $0.alreadyAdded)
        }))
    }

    /// Adds the evidence to the objectives named, and only to them.
    func confirm(_ request: Request, context: TenantContext) async throws -> JSONResponse<[String]> {
        let m = try context.membership(for: .read)
        let incident = try context.parameters.require("incident")
        let b = try await request.decodeStrict(IncidentShareEvidenceBody.self, context: context)
        let added = try await useCases(m).confirmEvidence(incidentID: incident, shareID: try context.parameters.require("share"),
                                                          assessmentID: b.assessment, objectives: b.objectives,
                                                          link: link(request, m, incident), versions: b.versions ?? [:])
        return JSONResponse(value: added)
    }
}

extension IncidentShareError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .unknownShare(let id): return .notFound("Incident share \(id)")
        case .unknownObservable(let id): return .notFound("Observable \(id)")
        case .unknownAssessment(let id): return .notFound("Assessment \(id)")
        case .digestMismatch: return .conflict(description)
        case .publishRefused: return .invalid(field: nil, message: description)
        default: return .invalid(field: field, message: description)
        }
    }
}
