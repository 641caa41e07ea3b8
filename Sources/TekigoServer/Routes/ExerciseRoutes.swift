import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct ExerciseTextView: Encodable, Sendable {
    let en: String
    let ja: String
    init(_ t: LocalizedText) { en = t.en; ja = t.ja }
}

struct ExerciseScenarioView: Encodable, Sendable {
    struct Inject: Encodable, Sendable {
        let id: String
        let minute: Int
        let text: ExerciseTextView
        let questions: [ExerciseTextView]
    }
    let id: String
    let title: ExerciseTextView
    let summary: ExerciseTextView
    let injects: [Inject]
    /// Catalog id → objective ids it exercises (the test objective of each catalog is offered besides).
    let objectives: [String: [String]]

    init(_ s: ExerciseScenario) {
        id = s.id
        title = ExerciseTextView(s.title)
        summary = ExerciseTextView(s.summary)
        injects = s.injects.map { Inject(id: $0.id, minute: $0.minute, text: ExerciseTextView($0.text), questions: $0.questions.map(ExerciseTextView.init)) }
        objectives = s.objectives
    }
}

struct ExerciseView: Encodable, Sendable {
    let id: String
    let scenario: String
    let kind: String
    let title: String
    let plannedOn: String
    let facilitator: String
    let participants: [ExerciseParticipant]
    let status: String
    /// The exercise incident (`exercise: true`) once run.
    let incidentId: String?
    let startedAt: String?
    let completedAt: String?
    let completedOn: String?
    let summary: String
    let version: Int

    init(_ r: ExerciseRecord) {
        id = r.id
        scenario = r.scenarioId
        kind = r.kind
        title = r.title
        plannedOn = r.plannedOn
        facilitator = r.facilitator
        participants = r.participantList
        status = r.status
        incidentId = r.incidentId
        startedAt = r.startedAt
        completedAt = r.completedAt
        completedOn = r.completedOn
        summary = r.summary
        version = r.version
    }
}

struct ExerciseEntryView: Encodable, Sendable {
    let id: String
    let kind: String
    let inject: String?
    let text: String
    let at: String
    let author: String
    let poamAssessmentId: String?
    let poamRequirement: String?

    init(_ e: ExerciseEntryRecord) {
        id = e.id
        kind = e.kind
        inject = e.injectId
        text = e.text
        at = e.at
        author = e.author
        poamAssessmentId = e.poamAssessmentId
        poamRequirement = e.poamRequirement
    }
}

struct ExerciseEvidenceView: Encodable, Sendable {
    let assessmentId: String
    let objective: String
    let location: String
    let addedBy: String
    let addedAt: String

    init(_ r: ExerciseEvidenceRecord) {
        assessmentId = r.assessmentId
        objective = r.objective
        location = r.location
        addedBy = r.addedBy
        addedAt = r.addedAt
    }
}

struct ExerciseDetailView: Encodable, Sendable {
    let exercise: ExerciseView
    let entries: [ExerciseEntryView]
    let evidence: [ExerciseEvidenceView]
    /// The exercise incident's next open or overdue deadline (ISO 8601), while one runs.
    let incidentNextDeadline: String?
}

struct ExerciseScheduleView: Encodable, Sendable {
    let frequencyMonths: Int
    let frequencyIsDefault: Bool
    let lastCompletedId: String?
    let lastCompletedOn: String?
    /// Nil: no exercise completed yet, so one is due now.
    let nextDue: String?
    let overdue: Bool
}

struct ExerciseListView: Encodable, Sendable {
    let schedule: ExerciseScheduleView
    let exercises: [ExerciseView]
}

struct ExerciseOfferView: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let objective: String
        let requirement: String
        let location: String
        let status: String
        let version: Int
        let alreadyAdded: Bool
    }
    let assessmentId: String
    let items: [Item]
}

// MARK: - bodies

struct ExercisePlanBody: StrictBody {
    static let fields: Set<String> = ["scenario", "kind", "title", "plannedOn", "facilitator", "participantUserIds", "participantNames"]
    let scenario: String
    let kind: String?
    let title: String?
    let plannedOn: String
    let facilitator: String
    let participantUserIds: [String]?
    let participantNames: [String]?
}

struct ExerciseEntryBody: StrictBody {
    static let fields: Set<String> = ["kind", "text", "inject"]
    let kind: String
    let text: String
    let inject: String?
}

struct ExerciseCompleteBody: StrictBody {
    static let fields: Set<String> = ["summary"]
    let summary: String
}

struct ExerciseEvidenceBody: StrictBody {
    static let fields: Set<String> = ["assessment", "objectives", "versions"]
    let assessment: String
    let objectives: [String]
    let versions: [String: Int]?
}

struct ExercisePOAMBody: StrictBody {
    static let fields: Set<String> = ["assessment", "requirement"]
    let assessment: String
    let requirement: String
}

struct ExerciseFrequencyBody: StrictBody {
    static let fields: Set<String> = ["frequencyMonths"]
    let frequencyMonths: Int?
}

// MARK: - routes

/// Incident-response exercises inside `/api/v1/organizations/{org}` (issue 13 item 7; SP 800-171 3.6.3, rev3
/// 03.06.03): the built-in scenarios, plans, running one as an exercise incident, entries, completing, the evidence
/// offer and its confirmation, findings to POA&M, and the frequency. Need-to-know is the use cases'
/// (`ExerciseUseCases`, `ExerciseQueries`); every handler starts with the membership's `.read`.
struct ExerciseRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/exercise-scenarios", use: scenarios)
        org.get("/exercises", use: list)
        org.post("/exercises", use: plan)
        org.put("/exercise-settings", use: setFrequency)
        org.get("/exercises/:exercise", use: detail)
        org.post("/exercises/:exercise/start", use: start)
        org.post("/exercises/:exercise/entries", use: addEntry)
        org.post("/exercises/:exercise/complete", use: complete)
        org.get("/exercises/:exercise/evidence", use: offer)
        org.post("/exercises/:exercise/evidence", use: confirm)
        org.post("/exercises/:exercise/entries/:entry/poam", use: poam)
    }

    func useCases(_ m: Membership) -> ExerciseUseCases { ExerciseUseCases(services.tenantEnvironment, m.scope) }
    func queries(_ m: Membership) -> ExerciseQueries { ExerciseQueries(services.tenantEnvironment, m.scope) }

    /// The exercise's page, as the evidence text names it (the same text the pages write).
    func link(_ request: Request, _ m: Membership, _ id: String) -> String {
        ExercisePages.link(services, request, org: m.organization.id, exercise: id)
    }

    func scenarios(_ request: Request, context: TenantContext) async throws -> JSONResponse<[ExerciseScenarioView]> {
        _ = try context.membership(for: .read)
        return JSONResponse(value: ExerciseScenarioLibrary.builtIn.scenarios.map(ExerciseScenarioView.init))
    }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseListView> {
        let m = try context.membership(for: .read)
        let q = queries(m)
        let s = try await q.schedule()
        return JSONResponse(value: ExerciseListView(
            schedule: ExerciseScheduleView(frequencyMonths: s.frequencyMonths, frequencyIsDefault: s.isDefault,
                                           lastCompletedId: s.lastCompleted?.id, lastCompletedOn: s.lastCompleted?.completedOn,
                                           nextDue: s.nextDue?.description, overdue: s.overdue),
            exercises: try await q.list().map(ExerciseView.init)))
    }

    func plan(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ExercisePlanBody.self, context: context)
        let r = try await useCases(m).plan(ExerciseDraft(
            scenarioID: b.scenario, kind: b.kind ?? ExerciseKind.tabletop.rawValue, title: b.title ?? "", plannedOn: b.plannedOn,
            facilitator: b.facilitator, participantUserIDs: b.participantUserIds ?? [], participantNames: b.participantNames ?? []))
        return JSONResponse(value: ExerciseView(r), status: .created)
    }

    func setFrequency(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ExerciseFrequencyBody.self, context: context)
        try await useCases(m).setFrequency(months: b.frequencyMonths)
        return Response(status: .noContent)
    }

    func detail(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseDetailView> {
        let m = try context.membership(for: .read)
        let d = try await queries(m).detail(id: try context.parameters.require("exercise"))
        let next = d.incident?.nextDeadline?.due.map { OffsetInstant.format($0, in: TimeZone(identifier: "UTC")!) }
        return JSONResponse(value: ExerciseDetailView(exercise: ExerciseView(d.record), entries: d.entries.map(ExerciseEntryView.init),
                                                      evidence: d.evidence.map(ExerciseEvidenceView.init), incidentNextDeadline: next))
    }

    func start(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: ExerciseView(try await useCases(m).start(id: try context.parameters.require("exercise"))))
    }

    func addEntry(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseEntryView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ExerciseEntryBody.self, context: context)
        let e = try await useCases(m).addEntry(id: try context.parameters.require("exercise"), kind: b.kind, text: b.text, injectID: b.inject)
        return JSONResponse(value: ExerciseEntryView(e), status: .created)
    }

    func complete(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ExerciseCompleteBody.self, context: context)
        return JSONResponse(value: ExerciseView(try await useCases(m).complete(id: try context.parameters.require("exercise"), summary: b.summary)))
    }

    /// What the exercise would add, per objective; writes nothing.
    func offer(_ request: Request, context: TenantContext) async throws -> JSONResponse<ExerciseOfferView> {
        let m = try context.membership(for: .read)
        let id = try context.parameters.require("exercise")
        guard let assessment = request.uri.queryParameters["assessment"].map(String.init), !assessment.isEmpty else {
            throw APIError.invalid(field: "assessment", message: "Name the assessment: ?assessment=<id>.").ja("評価を ?assessment=<id> で指定してください。")
        }
        let o = try await useCases(m).evidenceOffer(id: id, assessmentID: assessment, link: link(request, m, id))
        return JSONResponse(value: ExerciseOfferView(assessmentId: o.assessment.id, items: o.items.map {
            .init(objective: $0.objective, requirement: $0.requirementID, location: $0.location, status: $0.status.rawValue,
                  version: $0.version, alreadyAdded: $0.alreadyAdded)
        }))
    }

    /// Adds the evidence to the objectives named, and only to them.
    func confirm(_ request: Request, context: TenantContext) async throws -> JSONResponse<[ExerciseEvidenceView]> {
        let m = try context.membership(for: .read)
        let id = try context.parameters.require("exercise")
        let b = try await request.decodeStrict(ExerciseEvidenceBody.self, context: context)
        let added = try await useCases(m).confirmEvidence(id: id, assessmentID: b.assessment, objectives: b.objectives,
                                                          link: link(request, m, id), versions: b.versions ?? [:])
        return JSONResponse(value: added.map(ExerciseEvidenceView.init))
    }

    func poam(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ExercisePOAMBody.self, context: context)
        let item = try await useCases(m).findingToPOAM(id: try context.parameters.require("exercise"),
                                                       entryID: try context.parameters.require("entry"),
                                                       assessmentID: b.assessment, requirement: b.requirement)
        var response = Response(status: .created)
        response.headers[.location] = "/api/v1/organizations/\(m.organization.id)/assessments/\(item.assessmentId)/poam/\(item.requirement)"
        return response
    }
}

extension ExerciseError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .unknownAssessment(let id): return .notFound("Assessment \(id)")
        case .unknownEntry(let id): return .notFound("Exercise entry \(id)")
        case .wrongStatus: return .conflict(description)
        case .invalidScenarios: return nil
        default: return .invalid(field: field, message: description)
        }
    }
}
