import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

/// One service with its standing today, as the API shows it.
struct CloudServiceView: Encodable, Sendable {
    struct Verdict: Encodable, Sendable {
        let regime: String
        let satisfied: Bool
        let basis: String
        let missing: [ExerciseTextView]
        let notes: [ExerciseTextView]
    }
    struct Evaluation: Encodable, Sendable {
        let id: String
        let regime: String
        let method: String
        let meets: Bool
        let ruleSetVersion: String?
        let checklist: EquivalencyChecklist?
        let registryStatus: String?
        let registryImpactLevel: String?
        let rationale: String
        let evidence: [String]
        let evaluatedBy: String
        let evaluatedOn: String
        let recordedAt: String
    }
    let id: String
    let ref: String
    let name: String
    let information: String
    let regimes: [String]
    let chosenRegimes: [String]
    let note: String
    let systems: [String]
    let inRegistry: Bool
    let registryTitle: String?
    let registryList: String?
    let satisfied: Bool
    let verdicts: [Verdict]
    let evaluations: [Evaluation]
    let commitments: [CloudCommitment]
    let commitmentsVersion: Int
    let version: Int

    init(_ s: CloudServiceStanding) {
        id = s.service.id
        ref = s.service.ref
        name = s.service.name
        information = s.service.information
        regimes = s.regimes.map(\.rawValue)
        chosenRegimes = s.service.chosenRegimes.map(\.rawValue)
        note = s.service.note
        systems = s.systems.map(\.id)
        inRegistry = s.inRegistry
        registryTitle = s.registry.title
        registryList = s.registry.listName
        satisfied = s.satisfied
        verdicts = s.verdicts.map { Verdict(regime: $0.regime.rawValue, satisfied: $0.satisfied, basis: $0.basis.rawValue,
                                            missing: $0.missing.map(ExerciseTextView.init), notes: $0.notes.map(ExerciseTextView.init)) }
        evaluations = s.evaluations.map {
            Evaluation(id: $0.id, regime: $0.regime, method: $0.method, meets: $0.meets, ruleSetVersion: $0.ruleSetVersion,
                       checklist: $0.checklistValue, registryStatus: $0.registryStatus, registryImpactLevel: $0.registryImpactLevel,
                       rationale: $0.rationale, evidence: $0.evidenceReferences, evaluatedBy: $0.evaluatedBy, evaluatedOn: $0.evaluatedOn,
                       recordedAt: $0.recordedAt)
        }
        commitments = s.commitmentValues
        commitmentsVersion = s.commitments?.version ?? 0
        version = s.service.version
    }
}

// MARK: - bodies

struct CloudServiceBody: StrictBody {
    static let fields: Set<String> = ["ref", "name", "information", "regimes", "systems", "note", "version"]
    let ref: String
    let name: String?
    let information: String
    let regimes: [String]?
    let systems: [String]?
    let note: String?
    /// Required on PUT: the version read.
    let version: Int?

    var draft: CloudServiceDraft {
        CloudServiceDraft(ref: ref, name: name ?? "", information: information, regimes: regimes ?? [], systems: systems ?? [], note: note ?? "")
    }
}

struct CloudEvaluationBody: StrictBody {
    static let fields: Set<String> = ["regime", "method", "meets", "ruleSetVersion", "documents", "assessor", "assessorRecognized",
                                      "baselineAssessedPercent", "lastAnnualAssessment", "openPOAMItems", "rationale", "evidence",
                                      "evaluatedBy", "evaluatedOn"]
    let regime: String
    let method: String
    let meets: Bool?
    let ruleSetVersion: String?
    let documents: [String: String]?
    let assessor: String?
    let assessorRecognized: Bool?
    let baselineAssessedPercent: Int?
    let lastAnnualAssessment: String?
    let openPOAMItems: [String]?
    let rationale: String?
    let evidence: [String]?
    let evaluatedBy: String?
    let evaluatedOn: String?

    var draft: CloudEvaluationDraft {
        CloudEvaluationDraft(regime: regime, method: method, meets: meets ?? false, ruleSetVersion: ruleSetVersion, documents: documents ?? [:],
                             assessor: assessor ?? "", assessorRecognized: assessorRecognized ?? false,
                             baselineAssessedPercent: baselineAssessedPercent ?? 0, lastAnnualAssessment: lastAnnualAssessment ?? "",
                             openPOAMItems: openPOAMItems ?? [], rationale: rationale ?? "", evidence: evidence ?? [],
                             evaluatedBy: evaluatedBy ?? "", evaluatedOn: evaluatedOn ?? "")
    }
}

struct CloudCommitmentsBody: StrictBody {
    static let fields: Set<String> = ["commitments", "version"]
    struct Item: Decodable, Sendable {
        let kind: String
        let committed: Bool
        let evidence: String?
    }
    let commitments: [Item]
    /// The version read; 0 the first time.
    let version: Int
}

// MARK: - routes

/// The cloud services an organization uses inside `/api/v1/organizations/{org}` (issue 15 item 3): list with each
/// standing, add, one, change, remove, record an evaluation, set the (c)–(g) commitments. Who may change is the use
/// cases' (`CloudServiceUseCases`: owners, administrators, assessors); every handler starts with the membership's `.read`.
struct CloudServiceRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/cloud-services", use: list)
        org.post("/cloud-services", use: add)
        org.get("/cloud-services/:service", use: one)
        org.put("/cloud-services/:service", use: update)
        org.delete("/cloud-services/:service", use: remove)
        org.post("/cloud-services/:service/evaluations", use: evaluate)
        org.put("/cloud-services/:service/commitments", use: commit)
    }

    func useCases(_ m: Membership) -> CloudServiceUseCases { CloudServiceUseCases(services.tenantEnvironment, m.scope) }
    func queries(_ m: Membership) -> CloudServiceQueries { CloudServiceQueries(services.tenantEnvironment, m.scope) }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<[CloudServiceView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await queries(m).list().map(CloudServiceView.init))
    }

    func add(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudServiceView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CloudServiceBody.self, context: context)
        let r = try await useCases(m).add(b.draft)
        return JSONResponse(value: CloudServiceView(try await queries(m).service(id: r.id)), status: .created)
    }

    func one(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudServiceView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: CloudServiceView(try await queries(m).service(id: try context.parameters.require("service"))))
    }

    func update(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudServiceView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CloudServiceBody.self, context: context)
        guard let version = b.version else { throw APIError.invalid(field: "version", message: "Send the version you read (\"version\").") }
        let id = try context.parameters.require("service")
        _ = try await useCases(m).update(id: id, b.draft, ifVersion: version)
        return JSONResponse(value: CloudServiceView(try await queries(m).service(id: id)))
    }

    func remove(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).remove(id: try context.parameters.require("service"))
        return Response(status: .noContent)
    }

    func evaluate(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudServiceView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CloudEvaluationBody.self, context: context)
        let id = try context.parameters.require("service")
        _ = try await useCases(m).recordEvaluation(serviceID: id, b.draft)
        return JSONResponse(value: CloudServiceView(try await queries(m).service(id: id)), status: .created)
    }

    func commit(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudServiceView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CloudCommitmentsBody.self, context: context)
        let id = try context.parameters.require("service")
        _ = try await useCases(m).setCommitments(serviceID: id, b.commitments.map {
            CloudCommitmentDraft(kind: $0.kind, committed: $0.committed, evidence: $0.evidence ?? "")
        }, ifVersion: b.version)
        return JSONResponse(value: CloudServiceView(try await queries(m).service(id: id)))
    }
}

extension CloudServiceError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAllowed: return .forbidden(description)
        case .staleVersion, .duplicate: return .conflict(description)
        default: return .invalid(field: field, message: description)
        }
    }
}
