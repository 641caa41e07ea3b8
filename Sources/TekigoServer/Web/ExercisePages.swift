import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Incident-response exercises in the browser (issue 13 item 7; SP 800-171 rev2 3.6.3, rev3 03.06.03): the list with
/// the schedule (the frequency the organization set and the next due day), planning from a scenario, one exercise with
/// its injects and questions, running it as an exercise incident, recording decisions and findings, completing it,
/// then the evidence it OFFERS in an assessment the user picks — a confirmation page listing exactly which objective
/// gets which evidence text — written only when the user confirms, and findings turned into POA&M items on the
/// requirement the user names. Need-to-know like incidents: the use cases decide. No script needed.
struct ExercisePages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "exercises"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.exercises(org: .key).pattern, use: guarded(list))
        pages.post(PageRoute.exercises(org: .key).pattern, use: guarded(plan))
        pages.post(PageRoute.exerciseFrequency(org: .key).pattern, use: guarded(setFrequency))
        pages.get(PageRoute.exercise(org: .key, exercise: .key).pattern, use: guarded(detail))
        pages.post(PageRoute.exerciseStart(org: .key, exercise: .key).pattern, use: guarded(start))
        pages.post(PageRoute.exerciseEntries(org: .key, exercise: .key).pattern, use: guarded(addEntry))
        pages.post(PageRoute.exerciseComplete(org: .key, exercise: .key).pattern, use: guarded(complete))
        pages.get(PageRoute.exerciseEvidence(org: .key, exercise: .key).pattern, use: guarded(evidence))
        pages.post(PageRoute.exerciseEvidence(org: .key, exercise: .key).pattern, use: guarded(confirmEvidence))
        pages.post(PageRoute.exercisePOAM(org: .key, exercise: .key, entry: .key).pattern, use: guarded(poam))
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the use cases decide need-to-know, and their refusal is the forbidden page.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let web = web
        return { request, context in
            let page = try await web.orgPage(request, context, .read)
            do {
                return try await handler(request, context, page)
            } catch IncidentUseCaseError.notAllowed(let action) {
                return IncidentPages.forbidden(web, page, request, action)  // exercises are need-to-know like incidents
            } catch POAMError.notAllowed {
                return try await PageErrorMiddleware(web: web).errorPage(request, context, .forbidden, "error_forbidden")
            } catch let e as ExerciseError {
                if case .unknownAssessment = e { return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found") }
                if case .unknownEntry = e { return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found") }
                throw e
            }
        }
    }

    func queries(_ page: OrgPage) -> ExerciseQueries { ExerciseQueries(services.tenantEnvironment, page.member.scope) }
    func useCases(_ page: OrgPage) -> ExerciseUseCases { ExerciseUseCases(services.tenantEnvironment, page.member.scope) }

    /// The message of a refusal a form shows beside itself (nil: not a form error, an error page).
    static func formError(_ e: any Error, _ lang: Language) -> String? {
        switch e {
        case let e as ExerciseError:
            switch e {
            case .unknownAssessment, .unknownEntry, .invalidScenarios: return nil
            default: return e.text[lang]
            }
        case let e as IncidentUseCaseError:
            if case .notAllowed = e { return nil }
            return e.text[lang]
        case let e as IncidentError: return e.text[lang]
        case let e as POAMError:
            if case .notAllowed = e { return nil }
            return e.description
        case is VersionConflict:
            return nil
        default: return nil
        }
    }

    // MARK: list, plan, frequency

    struct ListInput {
        var form = WebForm()
        var planError: String?
        var frequencyError: String?
    }

    func list(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let today = page.member.scope.calendar.today(services.clock)
        var input = ListInput()
        input.form = WebForm(fields: ["planned_on": [today.description], "kind": [ExerciseKind.tabletop.rawValue],
                                      "facilitator": [page.viewer.user.displayName]])
        return try await listView(page, request: request, input: input)
    }

    func listView(_ page: OrgPage, request: Request, input: ListInput, status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = queries(page), lang = page.language, o = page.org
        let exercises = try await q.list()
        let schedule = try await q.schedule()
        let canManage = try await q.canManage()
        let members = canManage ? try await MembershipUseCases(services.accountEnvironment).members(organizationID: o) : []
        let form = input.form
        let library = ExerciseScenarioLibrary.builtIn
        let model = ExerciseListPage(
            frequency: "\(schedule.frequencyMonths)", frequencyDefault: schedule.isDefault,
            lastCompleted: schedule.lastCompleted.map {
                .init(title: $0.title, url: PageRoute.exercise(org: o, exercise: $0.id).path,
                      day: $0.completedDay.map { page.viewer.locale.day($0) } ?? "")
            },
            nextDue: schedule.nextDue.map { page.viewer.locale.day($0) }, overdue: schedule.overdue,
            canSetFrequency: page.member.role.allows(.manageIncidents),
            frequencyAction: PageRoute.exerciseFrequency(org: o).path,
            frequencyValue: form["frequency_months"].isEmpty ? (schedule.isDefault ? "" : "\(schedule.frequencyMonths)") : form["frequency_months"],
            frequencyError: input.frequencyError,
            exercises: exercises.map { r in
                let status = r.exerciseStatus ?? .planned
                return .init(title: r.title, url: PageRoute.exercise(org: o, exercise: r.id).path,
                             kind: (r.exerciseKind ?? .tabletop).label[lang], status: status.label[lang], statusID: status.rawValue,
                             planned: Day(r.plannedOn).map { page.viewer.locale.day($0) } ?? r.plannedOn,
                             completed: r.completedDay.map { page.viewer.locale.day($0) })
            },
            hasExercises: !exercises.isEmpty, canManage: canManage, planAction: PageRoute.exercises(org: o).path,
            scenarios: library.scenarios.map { s in
                ExerciseListPage.Scenario(value: s.id, label: s.title[lang], summary: s.summary[lang],
                      selected: form["scenario"] == s.id || (form["scenario"].isEmpty && s.id == library.scenarios.first?.id))
            },
            kinds: ExerciseKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: form["kind"] == $0.rawValue) },
            titleValue: form["title"], plannedOn: form["planned_on"], facilitator: form["facilitator"],
            members: members.map { user, _ in
                ExerciseListPage.Check(value: user.id, label: user.displayName, checked: form.values("participants").contains(user.id))
            },
            hasMembers: !members.isEmpty, participantNames: form["participant_names"], planError: input.planError,
            incidentsURL: PageRoute.incidents(org: o).path)
        return web.orgView("exercise-list", page, titleKey: "exercise_list_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func plan(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let names = form["participant_names"].split(whereSeparator: \.isNewline).map(String.init)
        do {
            let r = try await useCases(page).plan(ExerciseDraft(
                scenarioID: form["scenario"], kind: form["kind"], title: form["title"], plannedOn: form["planned_on"],
                facilitator: form["facilitator"], participantUserIDs: form.values("participants"), participantNames: names))
            return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: r.id).path + "?notice=saved")
        } catch let e where Self.formError(e, page.language) != nil {
            return try await listView(page, request: request, input: ListInput(form: form, planError: Self.formError(e, page.language)),
                                      status: .badRequest)
        }
    }

    func setFrequency(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let text = form["frequency_months"].trimmingCharacters(in: .whitespaces)
        let lang = page.language
        do {
            if text.isEmpty {
                try await useCases(page).setFrequency(months: nil)
            } else {
                guard let months = Int(text) else { throw ExerciseError.badFrequency(0) }
                try await useCases(page).setFrequency(months: months)
            }
        } catch let e where Self.formError(e, lang) != nil {
            return try await listView(page, request: request, input: ListInput(form: form, frequencyError: Self.formError(e, lang)),
                                      status: .badRequest)
        }
        return WebApp.redirect(PageRoute.exercises(org: page.org).path + "?notice=saved")
    }

    // MARK: one exercise

    struct DetailInput {
        var entryText = ""
        var entryError: String?
        var summary = ""
        var completeError: String?
        var poamError: String?
        var startError: String?
    }

    func detail(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await detailView(page, request: request, id: try context.parameters.require("exercise"), input: DetailInput())
    }

    func detailView(_ page: OrgPage, request: Request, id: String, input: DetailInput,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let d = try await queries(page).detail(id: id)
        let lang = page.language, o = page.org, r = d.record
        let assessments = d.status == .completed ? try await queries(page).assessmentsForEvidence() : []
        let systems = d.status == .completed ? try await services.reads(page.member).systems() : []
        func assessmentLabel(_ a: AssessmentRecord) -> String {
            let system = systems.first { $0.id == a.systemId }?.name ?? a.systemId
            return "\(system) — \(a.catalog) — \(a.assessedOn)"
        }
        let injects = d.scenario.injects.map { i in
            ExerciseDetailPage.Inject(minute: web.messages.text("exercise_inject_minute", lang, ["minute": "\(i.minute)"]),
                                      text: i.text[lang], questions: i.questions.map { $0[lang] },
                                      entries: d.entries.filter { $0.injectId == i.id }.map { entryRow($0, d, page, assessments: assessments, label: assessmentLabel) })
        }
        let model = ExerciseDetailPage(
            title: r.title, status: d.status.label[lang], statusID: d.status.rawValue,
            kind: (r.exerciseKind ?? .tabletop).label[lang], scenario: d.scenario.title[lang], summaryText: d.scenario.summary[lang],
            planned: Day(r.plannedOn).map { page.viewer.locale.day($0) } ?? r.plannedOn, facilitator: r.facilitator,
            participants: r.participantList.map(\.name).joined(separator: lang == .ja ? "、" : ", "),
            objectives: objectivesText(d.scenario),
            incidentURL: r.incidentId.map { PageRoute.incident(org: o, incident: $0).path },
            incidentState: d.incident.map { i in
                i.nextDeadline.map { "\($0.rule.label[lang]): \(clockText($0, lang))" } ?? i.phase.label[lang]
            },
            canManage: d.canManage, isPlanned: d.status == .planned, isRunning: d.status == .running,
            isCompleted: d.status == .completed,
            startAction: PageRoute.exerciseStart(org: o, exercise: id).path, startError: input.startError,
            injects: injects,
            otherEntries: d.entries.filter { $0.injectId == nil }.map { entryRow($0, d, page, assessments: assessments, label: assessmentLabel) },
            entryAction: PageRoute.exerciseEntries(org: o, exercise: id).path,
            entryKinds: ExerciseEntryKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0 == .decision) },
            injectOptions: [SelectOption(value: "", label: web.messages.text("exercise_no_inject", lang), selected: true)]
                + d.scenario.injects.map { SelectOption(value: $0.id, label: "\(web.messages.text("exercise_inject_minute", lang, ["minute": "\($0.minute)"])) \($0.text[lang].prefix(40))…", selected: false) },
            entryText: input.entryText, entryError: input.entryError,
            completeAction: PageRoute.exerciseComplete(org: o, exercise: id).path, summary: input.summary,
            completeError: input.completeError, resultSummary: r.summary.isEmpty ? nil : r.summary,
            completed: r.completedDay.map { page.viewer.locale.day($0) },
            evidenceAction: PageRoute.exerciseEvidence(org: o, exercise: id).path,
            assessments: assessments.map { SelectOption(value: $0.id, label: assessmentLabel($0), selected: false) },
            hasAssessments: !assessments.isEmpty,
            evidence: d.evidence.map { e in
                .init(objective: e.objective, assessment: assessments.first { $0.id == e.assessmentId }.map(assessmentLabel) ?? e.assessmentId,
                      url: PageRoute.requirement(org: o, assessment: e.assessmentId, requirement: requirementOf(e.objective)).path,
                      location: e.location)
            },
            hasEvidence: !d.evidence.isEmpty, poamError: input.poamError,
            listURL: PageRoute.exercises(org: o).path)
        return web.orgView("exercise-detail", page, titleKey: "exercise_detail_title", section: Self.section, model: model,
                           request: request, status: status, title: r.title)
    }

    /// The requirement an objective belongs to (`3.6.1[a]` → `3.6.1`, `A.03.06.02.a.01` → `03.06.02`).
    func requirementOf(_ objective: String) -> String {
        for catalog in ExerciseEvidence.catalogs {
            if let entry = services.library.catalogs[catalog]?.entries.first(where: { $0.assessmentObjectives.contains(objective) }) {
                return entry.id
            }
        }
        return objective
    }

    func objectivesText(_ s: ExerciseScenario) -> String {
        let rev2 = [ExerciseEvidence.testObjective[.sp800171r2] ?? ""] + s.objectives(in: .sp800171r2)
        return rev2.joined(separator: ", ")
    }

    func entryRow(_ e: ExerciseEntryRecord, _ d: ExerciseDetail, _ page: OrgPage, assessments: [AssessmentRecord],
                  label: (AssessmentRecord) -> String) -> ExerciseDetailPage.Entry {
        let lang = page.language, o = page.org
        let kind = e.entryKind ?? .note
        let canPlan = kind == .finding && d.canManage && d.status == .completed && e.poamAssessmentId == nil && !assessments.isEmpty
        return .init(kind: kind.label[lang], kindID: kind.rawValue, text: e.text, at: page.viewer.locale.dateTime(e.at),
                     poamURL: e.poamAssessmentId.map { PageRoute.poamItem(org: o, assessment: $0, requirement: e.poamRequirement ?? "").path },
                     poamLabel: e.poamRequirement,
                     poamAction: canPlan ? PageRoute.exercisePOAM(org: o, exercise: d.id, entry: e.id).path : nil,
                     poamAssessments: canPlan ? assessments.map { SelectOption(value: $0.id, label: label($0), selected: false) } : nil,
                     entryID: e.id)
    }

    func clockText(_ c: IncidentDeadline, _ lang: Language) -> String {
        switch c.state {
        case .open(let r): return web.messages.text("exercise_clock_open", lang, ["time": IncidentClock.duration(r, lang)])
        case .overdue(let by): return web.messages.text("exercise_clock_overdue", lang, ["time": IncidentClock.duration(by, lang)])
        default: return c.rule.label[lang]
        }
    }

    func start(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("exercise")
        do {
            _ = try await useCases(page).start(id: id)
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id, input: DetailInput(startError: Self.formError(e, page.language)),
                                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: id).path + "?notice=exercise_started")
    }

    func addEntry(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("exercise")
        do {
            _ = try await useCases(page).addEntry(id: id, kind: form["kind"], text: form["text"], injectID: form["inject"])
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id,
                                        input: DetailInput(entryText: form["text"], entryError: Self.formError(e, page.language)),
                                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: id).path + "?notice=saved")
    }

    func complete(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("exercise")
        do {
            _ = try await useCases(page).complete(id: id, summary: form["summary"])
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id,
                                        input: DetailInput(summary: form["summary"], completeError: Self.formError(e, page.language)),
                                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: id).path + "?notice=exercise_completed")
    }

    func poam(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("exercise"), entry = try context.parameters.require("entry")
        do {
            let item = try await useCases(page).findingToPOAM(id: id, entryID: entry, assessmentID: form["assessment"],
                                                              requirement: form["requirement"])
            return WebApp.redirect(PageRoute.poamItem(org: page.org, assessment: item.assessmentId, requirement: item.requirement).path
                                   + "?notice=saved")
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id, input: DetailInput(poamError: Self.formError(e, page.language)),
                                        status: .badRequest)
        }
    }

    // MARK: evidence: offer, then confirm

    /// The full address of the exercise's page: part of the evidence text, so a reader of the assessment finds it.
    func link(_ request: Request, _ page: OrgPage, _ id: String) -> String {
        Self.link(services, request, org: page.org, exercise: id)
    }

    /// The same for the pages and the API (so an objective is never given the same evidence twice under two texts):
    /// the host the client used, as `WebApp.absoluteURL` builds it.
    static func link(_ services: Services, _ request: Request, org: String, exercise: String) -> String {
        let host = request.head.authority ?? "\(services.config.hostname):\(services.config.port)"
        return (services.config.secureCookies ? "https://" : "http://") + host + PageRoute.exercise(org: org, exercise: exercise).path
    }

    /// The confirmation: for the chosen assessment, every objective the exercise offers evidence for, with the exact
    /// text each would get; nothing is written until the user confirms.
    func evidence(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("exercise")
        guard let assessment = request.uri.queryParameters["assessment"].map(String.init), !assessment.isEmpty else {
            return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: id).path)
        }
        return try await evidenceView(page, request: request, id: id, assessmentID: assessment, error: nil)
    }

    func evidenceView(_ page: OrgPage, request: Request, id: String, assessmentID: String, error: String?,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, o = page.org
        let offer: ExerciseEvidenceOffer
        do {
            offer = try await useCases(page).evidenceOffer(id: id, assessmentID: assessmentID, link: link(request, page, id))
        } catch let e as ExerciseError where e != .unknownAssessment(assessmentID) {
            return try await detailView(page, request: request, id: id, input: DetailInput(poamError: e.text[lang]), status: .badRequest)
        }
        let d = try await queries(page).detail(id: id)
        let canConfirm = d.canManage && page.member.role.allows(.editFindings)
        let model = ExerciseEvidencePage(
            title: d.record.title, assessment: "\(offer.assessment.catalog) — \(offer.assessment.assessedOn)",
            action: PageRoute.exerciseEvidence(org: o, exercise: id).path, assessmentID: offer.assessment.id,
            items: offer.items.map { i in
                .init(objective: i.objective, requirement: "\(i.requirementID) \(i.requirementTitle[lang])", location: i.location,
                      status: i.status.label[lang], version: "\(i.version)", alreadyAdded: i.alreadyAdded,
                      url: PageRoute.requirement(org: o, assessment: offer.assessment.id, requirement: i.requirementID).path,
                      field: "v_\(i.objective)")
            },
            canConfirm: canConfirm, error: error, backURL: PageRoute.exercise(org: o, exercise: id).path)
        return web.orgView("exercise-evidence", page, titleKey: "exercise_evidence_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func confirmEvidence(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("exercise")
        let assessment = form["assessment"]
        var versions: [String: Int] = [:]
        for o in form.values("objectives") { if let v = Int(form["v_\(o)"]) { versions[o] = v } }
        do {
            _ = try await useCases(page).confirmEvidence(id: id, assessmentID: assessment, objectives: form.values("objectives"),
                                                         link: link(request, page, id), versions: versions)
        } catch let e where Self.formError(e, page.language) != nil {
            return try await evidenceView(page, request: request, id: id, assessmentID: assessment, error: Self.formError(e, page.language),
                                          status: .badRequest)
        } catch is VersionConflict {
            return try await evidenceView(page, request: request, id: id, assessmentID: assessment,
                                          error: web.messages.text("exercise_evidence_conflict", page.language), status: .conflict)
        }
        return WebApp.redirect(PageRoute.exercise(org: page.org, exercise: id).path + "?notice=exercise_evidence_added")
    }
}

// MARK: page models

/// `exercise-list`: the schedule and its frequency form, the exercises, and the plan form.
struct ExerciseListPage: PageModel {
    struct Last: Encodable, Sendable { let title: String; let url: String; let day: String }
    struct Row: Encodable, Sendable {
        let title: String
        let url: String
        let kind: String
        let status: String
        let statusID: String
        let planned: String
        let completed: String?
    }
    struct Scenario: Encodable, Sendable { let value: String; let label: String; let summary: String; let selected: Bool }
    struct Check: Encodable, Sendable { let value: String; let label: String; let checked: Bool }

    let frequency: String
    let frequencyDefault: Bool
    let lastCompleted: Last?
    let nextDue: String?
    let overdue: Bool
    let canSetFrequency: Bool
    let frequencyAction: String
    let frequencyValue: String
    let frequencyError: String?
    let exercises: [Row]
    let hasExercises: Bool
    let canManage: Bool
    let planAction: String
    let scenarios: [Scenario]
    let kinds: [SelectOption]
    let titleValue: String
    let plannedOn: String
    let facilitator: String
    let members: [Check]
    let hasMembers: Bool
    let participantNames: String
    let planError: String?
    let incidentsURL: String
}

/// `exercise-detail`: one exercise — plan, injects with their questions and the entries answering them, the forms of
/// its status (start; record; complete), and once completed the evidence choice, what was confirmed, and each
/// finding's POA&M form.
struct ExerciseDetailPage: PageModel {
    struct Entry: Encodable, Sendable {
        let kind: String
        let kindID: String
        let text: String
        let at: String
        let poamURL: String?
        let poamLabel: String?
        let poamAction: String?
        let poamAssessments: [SelectOption]?
        let entryID: String
    }
    struct Inject: Encodable, Sendable { let minute: String; let text: String; let questions: [String]; let entries: [Entry] }
    struct Evidence: Encodable, Sendable { let objective: String; let assessment: String; let url: String; let location: String }

    let title: String
    let status: String
    let statusID: String
    let kind: String
    let scenario: String
    let summaryText: String
    let planned: String
    let facilitator: String
    let participants: String
    let objectives: String
    let incidentURL: String?
    let incidentState: String?
    let canManage: Bool
    let isPlanned: Bool
    let isRunning: Bool
    let isCompleted: Bool
    let startAction: String
    let startError: String?
    let injects: [Inject]
    let otherEntries: [Entry]
    let entryAction: String
    let entryKinds: [SelectOption]
    let injectOptions: [SelectOption]
    let entryText: String
    let entryError: String?
    let completeAction: String
    let summary: String
    let completeError: String?
    let resultSummary: String?
    let completed: String?
    let evidenceAction: String
    let assessments: [SelectOption]
    let hasAssessments: Bool
    let evidence: [Evidence]
    let hasEvidence: Bool
    let poamError: String?
    let listURL: String
}

/// `exercise-evidence`: the confirmation — each objective with the exact evidence text it would get, ticked by the
/// user; only the ticked ones are written.
struct ExerciseEvidencePage: PageModel {
    struct Item: Encodable, Sendable {
        let objective: String
        let requirement: String
        let location: String
        let status: String
        let version: String
        let alreadyAdded: Bool
        let url: String
        let field: String
    }

    let title: String
    let assessment: String
    let action: String
    let assessmentID: String
    let items: [Item]
    let canConfirm: Bool
    let error: String?
    let backURL: String
}
