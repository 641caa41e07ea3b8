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

/// A provider's responsibility matrix as stored for one service (issue 15 item 4): the file, how many controls fall on
/// each side, the rows left out with why, and (for one service) its controls.
struct CloudMatrixView: Encodable, Sendable {
    struct Warning: Encodable, Sendable {
        let location: String
        let message: ExerciseTextView
    }
    struct Entry: Encodable, Sendable {
        let control: String
        let responsibility: String
        let text: String
        let source: String
    }
    let service: String
    let serviceName: String
    let format: String
    let responsibilityColumn: String?
    let fileName: String
    let sha256: String
    let evidenceReference: String
    let importedAt: String
    let controls: Int
    let counts: [String: Int]
    let warnings: [Warning]
    let leveragedAuthorizations: [LeveragedAuthorizationInfo]
    let entries: [Entry]?

    init(_ m: ResponsibilityMatrixSummary, entries: [ResponsibilityEntryRecord]? = nil) {
        let r = m.record
        service = r.serviceRef
        serviceName = r.serviceName
        format = r.format
        responsibilityColumn = r.responsibilityColumn
        fileName = r.fileName
        sha256 = r.fileSha256
        evidenceReference = r.evidenceReference
        importedAt = r.importedAt
        controls = r.entryCount
        counts = Dictionary(uniqueKeysWithValues: m.counts.map { ($0.key.rawValue, $0.value) })
        warnings = r.warningList.map { Warning(location: $0.location, message: ExerciseTextView($0.message)) }
        leveragedAuthorizations = r.leveragedList
        self.entries = entries?.map { Entry(control: $0.controlId, responsibility: $0.responsibility, text: $0.text, source: $0.source) }
    }
}

/// What the organization's matrices mean for one requirement of an assessment: one offer per service covering it.
struct InheritanceOffersView: Encodable, Sendable {
    struct Offer: Encodable, Sendable {
        let service: String
        let serviceName: String
        let inheritance: String
        let evidenceReference: String
        let evidenceLocation: String
        let importedOn: String
        let objectives: [String]
        let providerControls: [String]
        let sharedControls: [String]
        let customerControls: [String]
        let uncoveredControls: [String]
        let statements: [CloudMatrixView.Entry]
        /// Objective → the status recorded when it was confirmed from this service.
        let confirmed: [String: String]
    }
    let assessment: String
    let requirement: String
    let offers: [Offer]

    init(assessment: String, requirement: String, _ offers: [ObjectiveInheritanceOffer]) {
        self.assessment = assessment
        self.requirement = requirement
        self.offers = offers.map { o in
            let r = o.responsibility
            return Offer(service: o.serviceRef, serviceName: o.serviceName, inheritance: o.inheritance.rawValue,
                         evidenceReference: o.evidenceReference, evidenceLocation: o.evidenceLocation, importedOn: o.importedOn,
                         objectives: r.objectives, providerControls: r.providerControls, sharedControls: r.sharedControls,
                         customerControls: r.customerControls, uncoveredControls: r.uncoveredControls,
                         statements: o.statements.map { .init(control: $0.control, responsibility: $0.responsibility.rawValue, text: $0.text, source: $0.source) },
                         confirmed: o.confirmed)
        }
    }
}

struct InheritanceConfirmationView: Encodable, Sendable {
    let objective: String
    let service: String
    let inheritance: String
    let status: String
    let evidenceLocation: String
    let confirmedBy: String
    let confirmedAt: String

    init(_ r: InheritanceConfirmationRecord) {
        objective = r.objective
        service = r.serviceRef
        inheritance = r.inheritance
        status = r.status
        evidenceLocation = r.evidenceLocation
        confirmedBy = r.confirmedBy
        confirmedAt = r.confirmedAt
    }
}

/// The person's confirmation: the service, the objectives, the status chosen (never implied), an optional rationale
/// and the finding versions read (objective → version; 0 for none yet).
struct InheritanceConfirmBody: StrictBody {
    static let fields: Set<String> = ["service", "objectives", "status", "rationale", "versions"]
    let service: String
    let objectives: [String]
    let status: String
    let rationale: String?
    let versions: [String: Int]?
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
        org.get("/cloud-matrices", use: matrices)
        org.get("/cloud-services/:service/matrix", use: matrix)
        org.post("/cloud-services/:service/matrix", use: importMatrix)
        org.get("/assessments/:assessment/requirements/:requirement/inheritance", use: offers)
        org.post("/assessments/:assessment/requirements/:requirement/inheritance", use: confirm)
    }

    func responsibility(_ m: Membership) -> ResponsibilityUseCases { ResponsibilityUseCases(services.tenantEnvironment, m.scope) }

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
        guard let version = b.version else { throw APIError.invalid(field: "version", message: "Send the version you read (\"version\").").ja("読み込んだときのバージョン（\"version\"）を送ってください。") }
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

extension CloudServiceRoutes {
    // MARK: responsibility matrices and inheritance (issue 15 item 4)

    func matrices(_ request: Request, context: TenantContext) async throws -> JSONResponse<[CloudMatrixView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await responsibility(m).summaries().map { CloudMatrixView($0) })
    }

    func matrix(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudMatrixView> {
        let m = try context.membership(for: .read)
        let service = try await queries(m).service(id: try context.parameters.require("service")).service
        guard let found = try await responsibility(m).matrix(service: service.ref) else {
            throw APIError.notFound("A responsibility matrix for \(service.ref)")
        }
        return JSONResponse(value: CloudMatrixView(found.summary, entries: found.entries))
    }

    /// The file is the body (CSV, or OSCAL JSON); `?evidence=` where the provider's evidence is (required), `?name=` the
    /// provider's name to show (default: the service's), `?filename=`.
    func importMatrix(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudMatrixView> {
        let m = try context.membership(for: .read)
        let service = try await queries(m).service(id: try context.parameters.require("service")).service
        let limit = services.evidence.maxSize
        let data: Data
        do { data = Data(buffer: try await request.body.collect(upTo: limit)) } catch { throw APIError.tooLarge(limit: limit) }
        let q = request.uri.queryParameters
        let uc = responsibility(m)
        _ = try await uc.importMatrix(data, fileName: q["filename"].map(String.init) ?? "", service: service.ref,
                                      name: q["name"].map(String.init) ?? service.name, evidenceReference: q["evidence"].map(String.init) ?? "")
        guard let found = try await uc.matrix(service: service.ref) else { throw APIError.notFound("A responsibility matrix for \(service.ref)") }
        return JSONResponse(value: CloudMatrixView(found.summary, entries: found.entries), status: .created)
    }

    func offers(_ request: Request, context: TenantContext) async throws -> JSONResponse<InheritanceOffersView> {
        let m = try context.membership(for: .read)
        let assessment = try context.parameters.require("assessment"), requirement = try context.parameters.require("requirement")
        return JSONResponse(value: InheritanceOffersView(assessment: assessment, requirement: requirement,
                                                         try await responsibility(m).offers(assessmentID: assessment, requirement: requirement)))
    }

    func confirm(_ request: Request, context: TenantContext) async throws -> JSONResponse<[InheritanceConfirmationView]> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(InheritanceConfirmBody.self, context: context)
        let records = try await responsibility(m).confirm(
            assessmentID: try context.parameters.require("assessment"), requirement: try context.parameters.require("requirement"),
            service: b.service, objectives: b.objectives, status: b.status, rationale: b.rationale ?? "", versions: b.versions ?? [:])
        return JSONResponse(value: records.map(InheritanceConfirmationView.init))
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

/// Responsibility matrices and inheritance (issue 15 item 4): a role that may not is 403, an assessment or requirement
/// this organization does not have is 404, a file that cannot be read and every other refusal is 400 naming the field
/// (`file`, `service`, `objectives`, `status`, …) with the use case's message.
extension ResponsibilityError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAllowed: return .forbidden(description)
        case .unknownAssessment(let id): return .notFound("Assessment \(id)")
        case .unknownRequirement(let id): return .notFound("Requirement \(id) in the assessment's catalog")
        default: return .invalid(field: field, message: description)
        }
    }
}
