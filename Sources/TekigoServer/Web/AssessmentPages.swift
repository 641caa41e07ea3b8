import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoReports
import TekigoStore
import TekigoUseCases

/// A page inside one organization: who is looking, with which role there.
struct OrgPage: Sendable {
    let viewer: Viewer
    let member: Membership
    var org: String { member.organization.id }
    var language: Language { viewer.language }
}

extension WebApp {
    /// The viewer (signed in, second factor passed) and their membership, checked against `action`.
    func orgPage(_ request: Request, _ context: AppContext, _ action: TenantAction) async throws -> OrgPage {
        let viewer = try await self.viewer(request, context: context)
        let member = try await services.member(context, try orgID(context), action)
        return OrgPage(viewer: viewer, member: member)
    }

    func assessmentRecord(_ page: OrgPage, _ context: AppContext) async throws -> AssessmentRecord {
        let id = try context.parameters.require("assessment")
        guard let a = try await services.reads(page.member).assessment(id: id) else { throw APIError.notFound("Assessment \(id)") }
        return a
    }

    /// The viewer, their membership checked against `action`, the assessment named in the path, and its report.
    func assessmentPage(_ request: Request, _ context: AppContext, _ action: TenantAction) async throws
        -> (OrgPage, AssessmentRecord, AssessmentReport) {
        let page = try await orgPage(request, context, action)
        let a = try await assessmentRecord(page, context)
        return (page, a, try await report(page, a))
    }

    /// Scores the assessment for display. Reading only: the score history ("score over time") is recorded by the
    /// operations that change a score (`AssessmentUseCases`, `POAMUseCases`), never by a page being opened. The pages
    /// that call this show statuses and scores, never evidence, so evidence lists are not decoded.
    func report(_ page: OrgPage, _ a: AssessmentRecord) async throws -> AssessmentReport {
        try AssessmentReport(try await services.reads(page.member).load(a, evidence: false),
                             library: services.library, draftLanguage: page.language)
    }

    /// The message key of a status, for `{{t.…}}` lookups made in code.
    static func statusKey(_ raw: String) -> String { "status_" + raw.replacingOccurrences(of: "-", with: "_") }

    func statusLabel(_ raw: String, _ lang: Language) -> String { messages.text(Self.statusKey(raw), lang) }
}

/// The assessment workflow: dashboard, systems, assessments, the overview by family and the objective editor.
struct AssessmentPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.organization(org: .key).pattern, use: dashboard)
        pages.get(PageRoute.systems(org: .key).pattern, use: systems)
        pages.post(PageRoute.systems(org: .key).pattern, use: createSystem)
        SystemPages(web: web).register(pages)  // a system changed or deleted (issue 17 item 6)
        pages.get(PageRoute.assessments(org: .key).pattern, use: assessments)
        pages.post(PageRoute.assessments(org: .key).pattern, use: createAssessment)
        pages.get(PageRoute.assessment(org: .key, assessment: .key).pattern, use: overview)
        pages.get(PageRoute.requirement(org: .key, assessment: .key, requirement: .key).pattern, use: editor)
        pages.post(PageRoute.requirement(org: .key, assessment: .key, requirement: .key).pattern, use: saveRequirement)
        pages.post(PageRoute.requirementConfirm(org: .key, assessment: .key, requirement: .key).pattern, use: confirmCarriedOver)
    }

    // MARK: dashboard

    func dashboard(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let lang = page.language
        let records = try await services.reads(page.member).assessments()
        let systems = Dictionary(try await services.reads(page.member).systems().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var model = DashboardPage(
            assessments: records.map { assessmentRow(page, $0, systemName: systems[$0.systemId]) },
            systemsURL: PageRoute.systems(org: page.org).path, assessmentsURL: PageRoute.assessments(org: page.org).path,
            hasSystems: !systems.isEmpty, hasAssessments: !records.isEmpty)
        model.officialNotice = try await OfficialWordingNoticeModel.load(web, page)
        // The newest assessment (by its date, then creation) is the one the dashboard shows.
        if let latest = records.max(by: { ($0.assessedOn, $0.createdAt) < ($1.assessedOn, $1.createdAt) }) {
            let r = try await web.report(page, latest)
            let history = try await services.reads(page.member).scoreHistory(assessmentID: latest.id)
            model.latest = latestModel(page, latest, r, history: history, systemName: systems[latest.systemId],
                                       terms: try await services.organizations(page.member).terms(lang))  // issue 17 item 3
        }
        return web.orgView("dashboard", page, titleKey: "dashboard_title", section: "dashboard", model: model, request: request,
                           title: "\(web.messages.text("dashboard_title", lang)) — \(page.member.organization.name)")
    }

    func assessmentRow(_ page: OrgPage, _ a: AssessmentRecord, systemName: String?) -> AssessmentRow {
        let catalog = services.library.catalogs[CatalogID(a.catalog)]
        return AssessmentRow(url: PageRoute.assessment(org: page.org, assessment: a.id).path,
                             date: Day(a.assessedOn).map { page.viewer.locale.day($0) } ?? a.assessedOn,
                             system: systemName ?? "—", catalog: catalog?.name[page.language] ?? a.catalog,
                             kind: web.messages.text("kind_" + a.kind.replacingOccurrences(of: "-", with: "_"), page.language))
    }

    /// Charts (inline SVG) and the data tables beside them for the newest assessment.
    func latestModel(_ page: OrgPage, _ a: AssessmentRecord, _ r: AssessmentReport, history: [ScoreHistoryEntry],
                     systemName: String?, terms: RegimeTerms? = nil) -> DashboardPage.Latest {
        let lang = page.language
        let locale = page.viewer.locale
        let progress = r.assessment.progress(in: r.catalog)
        let familyRows = SVGCharts.familyRows(r, language: lang)
        let coverage = SVGCharts.coverageRows(r, language: lang)
        let points = history.compactMap { h in h.score.map { SVGCharts.ScorePoint(day: h.day, score: $0) } }
        let today = services.today(page.member)
        let start = min(r.assessment.date, today)
        let end = max(today, r.poam.compactMap(\.plannedCompletion).max() ?? today)
        let burn = SVGCharts.burndown(items: r.poam, from: start, to: end)
        return DashboardPage.Latest(
            score: scoreSummary(r, locale, terms: terms),
            url: PageRoute.assessment(org: page.org, assessment: a.id).path,
            poamURL: PageRoute.poam(org: page.org, assessment: a.id).path,
            exportsURL: PageRoute.exports(org: page.org, assessment: a.id).path,
            system: systemName ?? "—", date: locale.day(r.assessment.date),
            answered: locale.number(progress.answered), total: locale.number(progress.total),
            percent: progress.total == 0 ? 0 : progress.answered * 100 / progress.total,
            gaugeSVG: SVGCharts.sprsGauge(score: r.sprs?.score, language: lang),
            familiesSVG: SVGCharts.familyBars(familyRows, language: lang),
            csfSVG: SVGCharts.csfCoverage(coverage, language: lang),
            historySVG: SVGCharts.scoreHistory(points, language: lang),
            burndownSVG: SVGCharts.poamBurndown(actual: burn.actual, planned: burn.planned, language: lang),
            families: familyRows.map { .init(label: $0.label, met: $0.met, notMet: $0.notMet, notAssessed: $0.notAssessed, total: $0.total) },
            csf: coverage.map { .init(label: $0.label, met: $0.met, total: $0.total, percent: $0.total == 0 ? 0 : $0.met * 100 / $0.total) },
            history: history.reversed().map { .init(day: locale.day($0.day), score: $0.score.map { "\($0)" } ?? "—",
                                                    answered: locale.number($0.answered)) },
            burndown: zip(burn.actual, burn.planned).map { .init(day: locale.day($0.0.day), actual: $0.0.open, planned: $0.1.open) })
    }

    /// The score, the CMMC status and what keeps the score from being computed.
    func scoreSummary(_ r: AssessmentReport, _ locale: WebLocale, terms: RegimeTerms? = nil) -> ScoreFields {
        let lang = locale.language
        var fields = scoreFields(r, locale)
        // Issue 17 item 3: the SPRS score and CMMC status only where the US regime applies and the catalog has SPRS
        // values; otherwise whether every item is met (RegimeTerms).
        let terms = terms ?? RegimeTerms(.us, lang)
        if !terms.showsSPRS || !r.catalog.entries.contains(where: { $0.sprs != nil }) {
            fields.sprsShown = false
            fields.allMetLine = terms.allMetLine(r)
        }
        fields.standard = terms.standard
        return fields
    }

    func scoreFields(_ r: AssessmentReport, _ locale: WebLocale) -> ScoreFields {
        let lang = locale.language
        let cmmc: String?
        switch r.cmmc?.status {
        case .final?: cmmc = web.messages.text("cmmc_final", lang)
        case .conditional(let deadline)?:
            // 32 CFR 170.21(b) counts from the date the results are posted; from the assessment date it is an estimate.
            cmmc = web.messages.text(deadline.isEstimate ? "cmmc_conditional_estimate" : "cmmc_conditional", lang,
                                     ["date": locale.day(deadline.due), "from": locale.day(deadline.from)])
        case .notEligible?: cmmc = web.messages.text("cmmc_not_eligible", lang)
        case nil: cmmc = nil
        }
        return ScoreFields(score: r.sprs?.score.map { "\($0)" } ?? "—", maximum: SPRSResult.maximum,
                            threshold: CMMCRules.minimumConditionalScore,
                            scoreOK: r.sprs?.score.map { $0 >= CMMCRules.minimumConditionalScore }, cmmc: cmmc,
                            cmmcReasons: r.cmmc?.reasons.map { $0.text(lang) } ?? [], hasReasons: !(r.cmmc?.reasons.isEmpty ?? true),
                            reasonCount: r.cmmc?.reasons.count ?? 0)
    }

    // MARK: systems

    func systems(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await systemsView(page, request: request, input: WebForm(), errors: [:])
    }

    func systemsView(_ page: OrgPage, request: Request, input: WebForm, errors: [String: String],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let list = try await services.reads(page.member).systems()
        let canManage = page.member.role.allows(.manageSystems)
        let model = SystemsPage(
            systems: list.map {
                .init(name: $0.name, boundary: $0.boundary, environment: $0.environment,
                      types: $0.informationTypeList.joined(separator: ", "), users: $0.userCount,
                      editURL: canManage ? PageRoute.system(org: page.org, system: $0.id).path : nil)
            },
            canManage: canManage, action: PageRoute.systems(org: page.org).path, hasSystems: !list.isEmpty,
            input: ["name": input["name"], "boundary": input["boundary"], "environment": input["environment"],
                    "types": input["types"], "users": input["users"]],
            errors: errors, hasErrors: !errors.isEmpty)
        return web.orgView("systems", page, titleKey: "systems_title", section: "systems", model: model, request: request, status: status)
    }

    func createSystem(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let users = form["users"].trimmed.isEmpty ? 0 : Int(form["users"].trimmed) ?? -1
        let types = form["types"].split(whereSeparator: { $0 == "," || $0 == "、" || $0 == "\n" })
            .map { String($0).trimmed }.filter { !$0.isEmpty }
        do {
            _ = try await services.assessments(page.member).createSystem(name: form["name"], boundary: form["boundary"].trimmed,
                                                                         environment: form["environment"].trimmed,
                                                                         informationTypes: types, userCount: users)
        } catch let e as AssessmentError {
            // The use case stops at the first problem; the form shows every one beside its field.
            var errors: [String: String] = [:]
            if form["name"].trimmed.isEmpty { errors["name"] = web.messages.text("error_required", page.language) }
            if users < 0 { errors["users"] = web.messages.text("error_count", page.language) }
            if errors.isEmpty { errors["name"] = e.description }
            return try await systemsView(page, request: request, input: form, errors: errors, status: .badRequest)
        }
        return WebApp.redirect(PageRoute.systems(org: page.org).path + "?notice=saved")
    }

    // MARK: assessments

    /// Catalogs an assessment can be made against: those with assessment objectives (SP 800-171 rev2 and rev3).
    var assessableCatalogs: [Catalog] {
        [CatalogID.sp800171r2, .sp800171r3].compactMap { services.library.catalogs[$0] }
    }

    func assessments(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        var input = WebForm()
        input = WebForm(fields: ["date": [services.today(page.member).description], "catalog": [CatalogID.sp800171r2.rawValue],
                                 "kind": [AssessmentKind.basic.rawValue], "assessor": [page.viewer.user.displayName]])
        return try await assessmentsView(page, request: request, input: input, errors: [:])
    }

    func assessmentsView(_ page: OrgPage, request: Request, input: WebForm, errors: [String: String],
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let records = try await services.reads(page.member).assessments()
        let systems = try await services.reads(page.member).systems()
        let names = Dictionary(systems.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var model = AssessmentsPage(
            assessments: records.map { assessmentRow(page, $0, systemName: names[$0.systemId]) }, hasAssessments: !records.isEmpty,
            canManage: page.member.role.allows(.manageAssessments), action: PageRoute.assessments(org: page.org).path,
            hasSystems: !systems.isEmpty, systemsURL: PageRoute.systems(org: page.org).path,
            systems: systems.map { .init(id: $0.id, name: $0.name, selected: $0.id == input["system"]) },
            catalogs: assessableCatalogs.map { .init(id: $0.id.rawValue, title: $0.name[lang], selected: $0.id.rawValue == input["catalog"]) },
            kinds: AssessmentKind.allCases.map { k in
                .init(id: k.rawValue, label: web.messages.text("kind_" + k.rawValue.replacingOccurrences(of: "-", with: "_"), lang),
                      selected: k.rawValue == input["kind"])
            },
            input: ["date": input["date"], "assessor": input["assessor"]],
            errors: errors, hasErrors: !errors.isEmpty)
        model.previous = previousChoices(page, records, systemNames: names, selected: input["from"])  // issue 17 item 4
        return web.orgView("assessments", page, titleKey: "assessments_title", section: "assessments", model: model, request: request,
                           status: status)
    }

    func createAssessment(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageAssessments)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        var errors: [String: String] = [:]
        let date = Day(form["date"].trimmed)
        if date == nil { errors["date"] = web.messages.text("error_date", lang) }
        let catalog = CatalogID(form["catalog"])
        if !assessableCatalogs.contains(where: { $0.id == catalog }) { errors["catalog"] = web.messages.text("error_choice", lang) }
        let kind = AssessmentKind(rawValue: form["kind"])
        if kind == nil { errors["kind"] = web.messages.text("error_choice", lang) }
        guard errors.isEmpty, let date, let kind else {
            return try await assessmentsView(page, request: request, input: form, errors: errors, status: .badRequest)
        }
        if !form["from"].isEmpty {  // started from a previous assessment (issue 17 item 4): its system and catalog
            return try await createFromPrevious(page, previous: form["from"], date: date, kind: kind, assessor: form["assessor"].trimmed)
        }
        do {
            let r = try await services.assessments(page.member).createAssessment(systemID: form["system"], catalog: catalog.rawValue,
                                                                                 date: date.description, kind: kind.rawValue,
                                                                                 assessor: form["assessor"].trimmed)
            return WebApp.redirect(PageRoute.assessment(org: page.org, assessment: r.id).path)
        } catch AssessmentError.unknownSystem {
            errors["system"] = web.messages.text("error_choice", lang)
            return try await assessmentsView(page, request: request, input: form, errors: errors, status: .badRequest)
        }
    }

    // MARK: overview by family

    func overview(_ request: Request, context: AppContext) async throws -> Response {
        let (page, a, r) = try await web.assessmentPage(request, context, .read)
        let lang = page.language
        let locale = page.viewer.locale
        let progress = r.assessment.progress(in: r.catalog)
        let firstOpen = r.requirements.first { $0.status == .notAssessed }
        let review = CarryOverView(r.assessment, request: request)  // issue 17 item 4
        var model = OverviewPage(
            score: scoreSummary(r, locale, terms: try await services.organizations(page.member).terms(lang)),
            catalog: r.catalog.name[lang], date: locale.day(r.assessment.date), system: r.assessment.system.name,
            answered: locale.number(progress.answered), total: locale.number(progress.total),
            percent: progress.total == 0 ? 0 : progress.answered * 100 / progress.total,
            gaugeSVG: SVGCharts.sprsGauge(score: r.sprs?.score, language: lang),
            poamURL: PageRoute.poam(org: page.org, assessment: a.id).path,
            exportsURL: PageRoute.exports(org: page.org, assessment: a.id).path,
            workbookURL: PageRoute.assessmentWorkbook(org: page.org, assessment: a.id).path,
            nextURL: firstOpen.map { PageRoute.requirement(org: page.org, assessment: a.id, requirement: $0.entry.id).path },
            families: r.catalog.families.compactMap { f -> OverviewPage.Family? in
                let reqs = r.requirements.filter { $0.entry.family == f.id && review.shows($0) }
                guard !reqs.isEmpty else { return nil }
                return .init(
                    id: f.id, title: f.title[lang], met: reqs.filter { $0.status.countsAsMet }.count, count: reqs.count,
                    requirements: reqs.map { q in
                        let answered = q.objectives.filter { ($0.finding?.status ?? .notAssessed) != .notAssessed }.count
                        return .init(id: q.entry.id, title: q.entry.title[lang],
                                     url: PageRoute.requirement(org: page.org, assessment: a.id, requirement: q.entry.id).path,
                                     status: q.status.rawValue, statusLabel: web.statusLabel(q.status.rawValue, lang),
                                     answered: answered, objectives: q.objectives.count,
                                     points: q.entry.sprs.map { "\($0.value)" } ?? "—",
                                     toReview: review.count(q).map { web.messages.text("carry_requirement_count", lang, ["count": "\($0)"]) })
                    })
            })
        model.review = try await overviewReview(page, a, review)
        model.expiredEvidence = try await EvidenceLibraryPages.expiredObjectives(web, page, assessment: a)  // issue 17 item 5
        return web.orgView("overview", page, titleKey: "overview_title", section: "assessments", model: model, request: request)
    }

    // MARK: the objective editor

    func editor(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let a = try await web.assessmentRecord(page, context)
        return try await editorPage(page, request: request, a: a, entry: try requirementEntry(a, context))
    }

    /// The editor as stored now; `inheritance` keeps a refused confirmation's input and message in its service's block.
    func editorPage(_ page: OrgPage, request: Request, a: AssessmentRecord, entry: CatalogEntry, inheritance: InheritanceInput? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let fresh = try await services.reads(page.member).assessment(id: a.id) ?? a
        let assessment = try await services.reads(page.member).load(fresh)
        let stored = Dictionary(try await services.reads(page.member).findings(assessmentID: a.id).map { ($0.objective, $0.version) },
                                uniquingKeysWith: { x, _ in x })
        let draft = RequirementDraft(entry: entry, assessment: assessment, versions: stored, answerVersion: fresh.version)
        return try await editorView(page, request: request, a: fresh, entry: entry, draft: draft, errors: [:], inheritance: inheritance,
                                    status: status)
    }

    /// A confirmation of inheritance that was refused: the service it was for, why, and the form as posted.
    struct InheritanceInput: Sendable {
        let service: String
        let error: String
        let form: WebForm
    }

    /// The blocks "provided by X (inherited)" / "shared with X" for the requirement (issue 15 item 4): each service whose
    /// matrix covers it, with the provider's evidence reference and words, and — for those who edit findings — the form
    /// confirming objectives with a chosen status. Reading only: nothing is written until the person confirms.
    func inheritanceBlocks(_ page: OrgPage, a: AssessmentRecord, entry: CatalogEntry, draft: RequirementDraft,
                           input: InheritanceInput?) async throws -> [EditorPage.Inheritance] {
        let lang = page.language
        let offers = try await ResponsibilityUseCases(services.tenantEnvironment, page.member.scope).offers(assessmentID: a.id, requirement: entry.id)
        let canConfirm = page.member.role.allows(.editFindings)
        return offers.enumerated().map { n, offer in
            let kept = input?.service == offer.serviceRef ? input : nil
            let chosen = Set(kept?.form.values("objectives") ?? [])
            let status = kept?.form["status"] ?? ""
            let heading = web.messages.text(offer.inheritance == .inherited ? "cloud_inh_inherited" : "cloud_inh_shared", lang,
                                            ["name": offer.serviceName])
            return EditorPage.Inheritance(
                key: "inh\(n)", kind: offer.inheritance.rawValue, heading: heading, serviceRef: offer.serviceRef,
                evidence: offer.evidenceReference, importedOn: Day(offer.importedOn).map(page.viewer.locale.day) ?? offer.importedOn,
                statements: offer.statements.map {
                    .init(control: $0.control, side: $0.responsibility.label[lang], text: $0.text)
                },
                uncovered: offer.responsibility.uncoveredControls.isEmpty ? nil
                    : web.messages.text("cloud_inh_uncovered", lang, ["controls": offer.responsibility.uncoveredControls.joined(separator: ", ")]),
                objectives: draft.objectives.filter { offer.responsibility.objectives.contains($0.id) }.map { o in
                    .init(id: o.id, fieldID: "inh\(n)-\(o.id)", versionField: "v_\(o.id)", version: o.version,
                          current: web.statusLabel(o.finding.status.rawValue, lang),
                          confirmed: offer.confirmed[o.id].map { web.messages.text("cloud_inh_confirmed_as", lang, ["status": web.statusLabel($0, lang)]) },
                          checked: chosen.contains(o.id))
                },
                statuses: [SelectOption(value: "", label: web.messages.text("cloud_inh_status_choose", lang), selected: status.isEmpty)]
                    + FindingStatus.allCases.map { SelectOption(value: $0.rawValue, label: web.statusLabel($0.rawValue, lang), selected: $0.rawValue == status) },
                rationale: kept?.form["rationale"] ?? "",
                action: PageRoute.requirementInheritance(org: page.org, assessment: a.id, requirement: entry.id).path,
                canConfirm: canConfirm, error: kept?.error)
        }
    }

    func requirementEntry(_ a: AssessmentRecord, _ context: AppContext) throws -> CatalogEntry {
        let id = try context.parameters.require("requirement")
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        guard let e = catalog[id] else { throw APIError.notFound("Requirement \(id)") }
        return e
    }

    func editorView(_ page: OrgPage, request: Request, a: AssessmentRecord, entry: CatalogEntry, draft: RequirementDraft,
                    errors: [String: String], inheritance input: InheritanceInput? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let inheritance = try await inheritanceBlocks(page, a: a, entry: entry, draft: draft, input: input)
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        let official = try await services.reads(page.member).officialText(catalog: catalog.id, entryID: entry.id)
        let prose = Dictionary((official?.objectives ?? []).map { ($0.id, $0.prose) }, uniquingKeysWith: { x, _ in x })
        let help = try GuidanceLibrary.builtIn.guidance(for: entry)
        let carried = try await services.reads(page.member).carriedOverObjectives(a)  // issue 17 item 4
        // The assessable catalogs (SP 800-171 rev2 and rev3) hold requirements only: the editor walks them in order.
        let requirements = catalog.entries
        let index = requirements.firstIndex { $0.id == entry.id }
        let previous = index.flatMap { $0 > 0 ? requirements[$0 - 1] : nil }
        let next = index.flatMap { $0 + 1 < requirements.count ? requirements[$0 + 1] : nil }
        let canEdit = page.member.role.allows(.editFindings)
        let sprs = entry.sprs
        let answer = draft.answer
        let terms = try await services.organizations(page.member).terms(lang)  // issue 17 item 3
        var model = EditorPage(
            id: entry.id, title: terms.speaking(entry.title[lang]), catalog: catalog.name[lang], officialStatement: official?.statement,
            points: terms.showsSPRS ? sprs.map { "\($0.value)" } : nil,  // SPRS points only where the US regime applies
            overviewURL: PageRoute.assessment(org: page.org, assessment: a.id).path,
            action: PageRoute.requirement(org: page.org, assessment: a.id, requirement: entry.id).path,
            previousURL: previous.map { PageRoute.requirement(org: page.org, assessment: a.id, requirement: $0.id).path },
            previousID: previous?.id,
            nextURL: next.map { PageRoute.requirement(org: page.org, assessment: a.id, requirement: $0.id).path },
            nextID: next?.id,
            canEdit: canEdit, errors: errors, hasErrors: !errors.isEmpty, answerVersion: draft.answerVersion,
            position: index.map { "\($0 + 1) / \(requirements.count)" } ?? "",
            implementation: answer.implementation,
            objectives: draft.objectives.enumerated().map { i, o in
                .init(
                    index: i, id: o.id, prose: prose[o.id], guidance: help?.objectives[o.id]?[lang], version: o.version, rationale: o.finding.rationale, error: errors["o\(i)"],
                    carriedOver: carried.contains(o.id),
                    inheritedFrom: inheritance.filter { b in b.objectives.contains { $0.id == o.id } }.map(\.heading),
                    statuses: FindingStatus.allCases.map { s in
                        .init(value: s.rawValue, label: web.statusLabel(s.rawValue, lang), checked: s == o.finding.status)
                    },
                    // Each item names its objective's keep field itself: inside the evidence section a bare
                    // `index` would be the item's own position, which moved evidence between objectives on save.
                    evidence: o.finding.evidence.map { ref in
                        .init(keepField: "o\(i)_keep", label: ref.location,
                              url: ref.sha256.map { APILink.evidence(page.org, $0) } ?? (Self.isWebLink(ref.location) ? ref.location : ""),
                              sha: ref.sha256.map { String($0.prefix(12)) }, encoded: Self.encode(ref))
                    },
                    link: o.newLink)
            },
            hasMFA: sprs?.partialInput == .mfa, hasEncryption: sprs?.partialInput == .encryption, hasExceptions: sprs != nil,
            inheritance: inheritance, hasInheritance: !inheritance.isEmpty)
        model.guidance = help.map { GuidanceView($0, lang) }
        model.evidenceLibrary = try await EvidenceLibraryPages.editorBlock(web, page, assessment: a, requirement: entry.id,  // issue 17 item 5
                                                                           objectives: draft.objectives.map(\.id))
        model.review = try await editorReview(page, a, entry: entry, carried: carried)  // issue 17 item 4
        model.officialMethods = (official?.methods ?? []).map {
            GuidanceView.Item(label: $0.method, text: $0.objects.split(separator: "\n").filter { !$0.isEmpty }.joined(separator: "; "))
        }
        model.hasOfficialMethods = !model.officialMethods.isEmpty
        if sprs?.rule == .notPermittedAllowed { model.notPermitted = .init(checked: answer.notPermitted) }
        if sprs?.partialInput == .mfa { model.mfa = options(answer.mfa, key: "mfa", none: "unset", lang) }
        if sprs?.partialInput == .encryption { model.encryption = options(answer.encryption, key: "encryption", none: "unset", lang) }
        if sprs != nil {
            model.exceptions = options(answer.exception, key: "exception", none: "none", lang)
            model.exceptionNote = answer.exceptionNote ?? ""
        }
        return web.orgView("editor", page, titleKey: "editor_title", section: "assessments", model: model, request: request,
                           status: status, title: "\(entry.id) \(entry.title[lang])")
    }

    /// A `<select>`'s options for an optional answer: "none" first, then every case, labelled from the messages
    /// (`<key>_<value>`).
    func options<E: RawRepresentable & CaseIterable & Equatable>(_ selected: E?, key: String, none: String,
                                                                 _ lang: Language) -> [SelectOption] where E.RawValue == String {
        ([nil] + E.allCases.map { Optional($0) }).map { e in
            let suffix = e?.rawValue.replacingOccurrences(of: "-", with: "_") ?? none
            return SelectOption(value: e?.rawValue ?? "", label: web.messages.text("\(key)_\(suffix)", lang), selected: e == selected)
        }
    }
    static func isWebLink(_ s: String) -> Bool { RequirementEdit.isWebLink(s) }

    /// An evidence reference carried through the form as one field (kept unless its box is ticked for removal).
    static func encode(_ ref: EvidenceRef) -> String {
        String(decoding: (try? JSONEncoder().encode(ref)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ s: String) -> EvidenceRef? { try? JSONDecoder().decode(EvidenceRef.self, from: Data(s.utf8)) }

    /// Saves every objective of the requirement, its answer and any new evidence files in one transaction; on a
    /// validation error nothing is written and the form comes back with the input kept and the error beside the
    /// field; when someone else saved meanwhile, the same (their change is kept, this one is not applied).
    func saveRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let a = try await web.assessmentRecord(page, context)
        let entry = try requirementEntry(a, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        var draft = RequirementDraft(entry: entry, form: form)
        var errors = draft.validate()
            .mapValues { web.messages.text($0, lang, ["size": "\(services.evidence.maxSize / 1024 / 1024)"]) }
        // As in the API: evidence pinned by digest must be a file of this organization (kept references come back
        // through the form and could be edited).
        let evidence = services.evidenceUseCases(page.member)
        for (i, o) in draft.objectives.enumerated() {
            do { try await evidence.checkPinned(o.finding.evidence) { _ in "o\(i)" } } catch AssessmentError.unknownEvidence {
                errors["o\(i)"] = web.messages.text("error_evidence_unknown", lang)
            }
        }
        for file in form.files where file.data.count > services.evidence.maxSize {
            errors[file.field] = web.messages.text("error_file_too_large", lang, ["size": "\(services.evidence.maxSize / 1024 / 1024)"])
        }
        if !errors.isEmpty {
            return try await editorView(page, request: request, a: a, entry: entry, draft: draft, errors: errors, status: .badRequest)
        }
        let reads = services.reads(page.member)
        let edit = RequirementEdit(
            objectives: draft.edit.objectives,
            files: form.files.compactMap { file in
                // Field `o<i>_file` belongs to objective i.
                guard file.field.hasPrefix("o"), file.field.hasSuffix("_file"), let i = Int(file.field.dropFirst().dropLast(5)) else { return nil }
                return RequirementEdit.File(objectiveIndex: i, data: file.data, filename: file.filename, contentType: file.contentType)
            },
            answer: draft.answer, answerVersion: draft.answerVersion)
        do {
            try await services.assessments(page.member).saveRequirement(a, requirement: entry.id, edit, by: page.viewer.user.displayName)
        } catch is VersionConflict {
            errors["form"] = web.messages.text("error_changed_meanwhile", lang)
            // Show what is stored now, with this user's input on top, and the new versions so a second save works.
            let fresh = try await reads.findings(assessmentID: a.id)
            draft.refreshVersions(Dictionary(fresh.map { ($0.objective, $0.version) }, uniquingKeysWith: { x, _ in x }),
                                  answerVersion: try await reads.assessment(id: a.id)?.version ?? draft.answerVersion)
            return try await editorView(page, request: request, a: a, entry: entry, draft: draft, errors: errors, status: .conflict)
        }
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        let requirements = catalog.entries
        if form["go"] == "next", let i = requirements.firstIndex(where: { $0.id == entry.id }), i + 1 < requirements.count {
            let next = PageRoute.requirement(org: page.org, assessment: a.id, requirement: requirements[i + 1].id)
            return WebApp.redirect(next.path + "?notice=saved")
        }
        return WebApp.redirect(PageRoute.requirement(org: page.org, assessment: a.id, requirement: entry.id).path + "?notice=saved")
    }
}

/// The editor's content for one requirement: from the stored assessment, or from a posted form (then validated).
/// Pure, so it is tested without HTTP.
struct RequirementDraft: Sendable {
    struct Objective: Sendable {
        let id: String
        var finding: Finding
        var version: Int
        /// A link typed into the form, added as evidence on save.
        var newLink: String
    }

    var objectives: [Objective]
    var answer: RequirementAnswer
    var answerVersion: Int
    let entry: CatalogEntry

    init(entry: CatalogEntry, assessment: Assessment, versions: [String: Int], answerVersion: Int) {
        self.entry = entry
        objectives = entry.assessmentObjectives.map {
            Objective(id: $0, finding: assessment.findings[$0] ?? Finding(status: .notAssessed), version: versions[$0] ?? 0, newLink: "")
        }
        answer = assessment.answer(for: entry.id)
        self.answerVersion = answerVersion
    }

    /// Field names: `o<i>_status`, `o<i>_rationale`, `o<i>_version`, `o<i>_keep` (encoded evidence to keep),
    /// `o<i>_link`, `o<i>_file`; `implementation`, `not_permitted`, `mfa`, `encryption`, `exception`,
    /// `exception_note`, `answer_version`.
    init(entry: CatalogEntry, form: WebForm) {
        self.entry = entry
        objectives = entry.assessmentObjectives.enumerated().map { i, id in
            let status = FindingStatus(rawValue: form["o\(i)_status"]) ?? .notAssessed
            let evidence = form.values("o\(i)_keep").compactMap(AssessmentPages.decode)
            return Objective(id: id, finding: Finding(status: status, rationale: form["o\(i)_rationale"].trimmed, evidence: evidence),
                             version: Int(form["o\(i)_version"]) ?? 0, newLink: form["o\(i)_link"].trimmed)
        }
        answer = RequirementAnswer(implementation: form["implementation"].trimmed,
                                   mfa: MFAImplementation(rawValue: form["mfa"]),
                                   encryption: EncryptionImplementation(rawValue: form["encryption"]),
                                   notPermitted: form["not_permitted"] == "1" && entry.sprs?.rule == .notPermittedAllowed,
                                   exception: ScoringException(rawValue: form["exception"]),
                                   exceptionNote: form["exception_note"].trimmed.isEmpty ? nil : form["exception_note"].trimmed)
        answerVersion = Int(form["answer_version"]) ?? 0
        rawStatuses = entry.assessmentObjectives.indices.map { form["o\($0)_status"] }
        rawMFA = form["mfa"]
        rawEncryption = form["encryption"]
        rawException = form["exception"]
    }

    private var rawStatuses: [String] = []
    private var rawMFA = "", rawEncryption = "", rawException = ""

    /// Field → message key. Rules: each status is one of the four; a link is an http(s) URL; an exception needs
    /// its note (Methodology §5: the exception is documented); partial-credit answers are from their lists.
    func validate() -> [String: String] {
        var errors: [String: String] = [:]
        for (i, raw) in rawStatuses.enumerated() where !raw.isEmpty && FindingStatus(rawValue: raw) == nil {
            errors["o\(i)"] = "error_choice"
        }
        // The rules of what may be saved are the use case's (`RequirementEdit.problems`); the choices above and below
        // are the form's own parsing.
        let problems = edit.problems
        for i in objectives.indices where problems["o\(i)"] == .link { errors["o\(i)"] = "error_link" }
        if !rawMFA.isEmpty, answer.mfa == nil { errors["mfa"] = "error_choice" }
        if !rawEncryption.isEmpty, answer.encryption == nil { errors["encryption"] = "error_choice" }
        if !rawException.isEmpty, answer.exception == nil { errors["exception"] = "error_choice" }
        if problems["exceptionNote"] == .exceptionNote { errors["exception_note"] = "error_exception_note" }
        return errors
    }

    /// The edit the use case saves (new files are added by the handler).
    var edit: RequirementEdit {
        RequirementEdit(objectives: objectives.map { RequirementEdit.Objective(id: $0.id, finding: $0.finding, version: $0.version,
                                                                              newLink: $0.newLink) },
                        files: [], answer: answer, answerVersion: answerVersion)
    }

    mutating func refreshVersions(_ versions: [String: Int], answerVersion: Int) {
        for i in objectives.indices { objectives[i].version = versions[objectives[i].id] ?? 0 }
        self.answerVersion = answerVersion
    }
}

/// An assessment in a list (`assessment-list`, on the dashboard and the assessments page).
struct AssessmentRow: Encodable, Sendable {
    let url: String
    let date: String
    let system: String
    let catalog: String
    let kind: String
}

/// `systems`: the organization's systems and the form for a new one, as typed, with its errors by field.
struct SystemsPage: PageModel {
    struct System: Encodable, Sendable {
        let name: String
        let boundary: String
        let environment: String
        let types: String
        let users: Int
        /// The system's page (change, delete), for those who manage systems.
        let editURL: String?
    }
    let systems: [System]
    let canManage: Bool
    let action: String
    let hasSystems: Bool
    /// The form's fields as typed (`{{input.name}}`).
    let input: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
}

/// `assessments`: the organization's assessments and the form that starts one.
struct AssessmentsPage: PageModel {
    struct Choice: Encodable, Sendable {
        let id: String
        let name: String
        let selected: Bool
    }
    struct CatalogChoice: Encodable, Sendable {
        let id: String
        let title: String?
        let selected: Bool
    }
    struct KindChoice: Encodable, Sendable {
        let id: String
        let label: String
        let selected: Bool
    }
    let assessments: [AssessmentRow]
    let hasAssessments: Bool
    let canManage: Bool
    let action: String
    let hasSystems: Bool
    let systemsURL: String
    let systems: [Choice]
    let catalogs: [CatalogChoice]
    let kinds: [KindChoice]
    /// The form's fields as typed (`{{input.date}}`).
    let input: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
    /// "Start from": the organization's assessments to carry over (issue 17 item 4).
    var previous: [Choice] = []
}

/// The score, the CMMC status and its reasons (`overview`, and the dashboard's newest assessment).
struct ScoreFields: Encodable, Sendable {
    let score: String
    let maximum: Int
    let threshold: Int
    /// Whether the score reaches the conditional threshold; absent without a score.
    let scoreOK: Bool?
    let cmmc: String?
    let cmmcReasons: [String]
    let hasReasons: Bool
    let reasonCount: Int
    /// Whether the SPRS score and CMMC status are shown (issue 17 item 3: the US regime and a catalog with SPRS values).
    var sprsShown = true
    /// "All items met (n / m)" where no SPRS score is shown.
    var allMetLine: String? = nil
    /// The standard the organization is held to (`RegimeTerms.standard`).
    var standard: String? = nil
}

/// `overview`: the assessment's progress and score, and its requirements by family.
struct OverviewPage: PageModel {
    struct Requirement: Encodable, Sendable {
        let id: String
        let title: String?
        let url: String
        let status: String
        let statusLabel: String
        let answered: Int
        let objectives: Int
        let points: String
        /// "n to review" while objectives carried over from the previous assessment wait (issue 17 item 4).
        var toReview: String? = nil
    }
    struct Family: Encodable, Sendable {
        let id: String
        let title: String?
        let met: Int
        let count: Int
        let requirements: [Requirement]
    }
    let score: ScoreFields
    let catalog: String?
    let date: String
    let system: String
    let answered: String
    let total: String
    let percent: Int
    let gaugeSVG: String
    let poamURL: String
    let exportsURL: String
    let workbookURL: String
    let nextURL: String?
    let families: [Family]
    /// Objectives relying on expired library evidence (issue 17 item 5), nil when none.
    var expiredEvidence: ExpiredEvidenceSection? = nil
    /// What still needs review after starting from a previous assessment (issue 17 item 4).
    var review: CarryOverReview? = nil

    enum CodingKeys: CodingKey {
        case catalog, date, system, answered, total, percent, gaugeSVG, poamURL, exportsURL, workbookURL, nextURL, families, expiredEvidence, review
    }
    /// The score's fields sit beside the page's own (`{{score}}`, `{{#cmmc}}`).
    func encode(to encoder: any Encoder) throws {
        try score.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(catalog, forKey: .catalog)
        try c.encode(date, forKey: .date)
        try c.encode(system, forKey: .system)
        try c.encode(answered, forKey: .answered)
        try c.encode(total, forKey: .total)
        try c.encode(percent, forKey: .percent)
        try c.encode(gaugeSVG, forKey: .gaugeSVG)
        try c.encode(poamURL, forKey: .poamURL)
        try c.encode(exportsURL, forKey: .exportsURL)
        try c.encode(workbookURL, forKey: .workbookURL)
        try c.encodeIfPresent(nextURL, forKey: .nextURL)
        try c.encode(families, forKey: .families)
        try c.encodeIfPresent(expiredEvidence, forKey: .expiredEvidence)
        try c.encodeIfPresent(review, forKey: .review)
    }
}

/// `dashboard`: the organization's assessments and, for the newest, its charts with the data tables beside them.
struct DashboardPage: PageModel {
    struct Latest: Encodable, Sendable {
        struct FamilyRow: Encodable, Sendable {
            let label: String
            let met: Int
            let notMet: Int
            let notAssessed: Int
            let total: Int
        }
        struct CoverageRow: Encodable, Sendable {
            let label: String
            let met: Int
            let total: Int
            let percent: Int
        }
        struct HistoryRow: Encodable, Sendable {
            let day: String
            let score: String
            let answered: String
        }
        struct BurndownRow: Encodable, Sendable {
            let day: String
            let actual: Int
            let planned: Int
        }
        let score: ScoreFields
        let url: String
        let poamURL: String
        let exportsURL: String
        let system: String
        let date: String
        let answered: String
        let total: String
        let percent: Int
        let gaugeSVG: String
        let familiesSVG: String
        let csfSVG: String
        let historySVG: String
        let burndownSVG: String
        let families: [FamilyRow]
        let csf: [CoverageRow]
        let history: [HistoryRow]
        let burndown: [BurndownRow]

        enum CodingKeys: CodingKey {
            case url, poamURL, exportsURL, system, date, answered, total, percent, gaugeSVG, familiesSVG, csfSVG, historySVG,
                 burndownSVG, families, csf, history, burndown
        }
        /// The score's fields sit beside the assessment's own (`{{score}}`, `{{#cmmc}}`).
        func encode(to encoder: any Encoder) throws {
            try score.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(url, forKey: .url)
            try c.encode(poamURL, forKey: .poamURL)
            try c.encode(exportsURL, forKey: .exportsURL)
            try c.encode(system, forKey: .system)
            try c.encode(date, forKey: .date)
            try c.encode(answered, forKey: .answered)
            try c.encode(total, forKey: .total)
            try c.encode(percent, forKey: .percent)
            try c.encode(gaugeSVG, forKey: .gaugeSVG)
            try c.encode(familiesSVG, forKey: .familiesSVG)
            try c.encode(csfSVG, forKey: .csfSVG)
            try c.encode(historySVG, forKey: .historySVG)
            try c.encode(burndownSVG, forKey: .burndownSVG)
            try c.encode(families, forKey: .families)
            try c.encode(csf, forKey: .csf)
            try c.encode(history, forKey: .history)
            try c.encode(burndown, forKey: .burndown)
        }
    }
    let assessments: [AssessmentRow]
    let systemsURL: String
    let assessmentsURL: String
    let hasSystems: Bool
    let hasAssessments: Bool
    var latest: Latest?
    /// Where NIST publishes the official wording, while none is imported (issue 17 item 2's first-run notice).
    var officialNotice: OfficialWordingNoticeModel?
}

/// `editor`: one requirement's objectives (status, rationale, evidence, a new link) and its answer, as typed.
struct EditorPage: PageModel {
    struct Status: Encodable, Sendable {
        let value: String
        let label: String
        let checked: Bool
    }
    struct Evidence: Encodable, Sendable {
        /// The objective's keep field (`o<i>_keep`), named on the item: a bare `index` inside the section would be wrong.
        let keepField: String
        let label: String
        let url: String
        let sha: String?
        let encoded: String
    }
    struct Objective: Encodable, Sendable {
        let index: Int
        let id: String
        let prose: String?
        /// Our plain-language sentence for the objective (rev2), shown under NIST's wording.
        let guidance: String?
        let version: Int
        let rationale: String
        let error: String?
        /// Carried over from the previous assessment and not confirmed yet (issue 17 item 4).
        let carriedOver: Bool
        /// "provided by X (inherited)" / "shared with X" for each service whose matrix covers the objective.
        let inheritedFrom: [String]
        let statuses: [Status]
        let evidence: [Evidence]
        let link: String
    }
    struct Checkbox: Encodable, Sendable { let checked: Bool }
    /// One service's block: what its matrix says of the requirement, and the confirmation form.
    struct Inheritance: Encodable, Sendable {
        struct Statement: Encodable, Sendable {
            let control: String
            let side: String
            let text: String
        }
        struct Objective: Encodable, Sendable {
            let id: String
            let fieldID: String
            let versionField: String
            let version: Int
            let current: String
            let confirmed: String?
            let checked: Bool
        }
        let key: String
        let kind: String
        let heading: String
        let serviceRef: String
        let evidence: String
        let importedOn: String
        let statements: [Statement]
        let uncovered: String?
        let objectives: [Objective]
        let statuses: [SelectOption]
        let rationale: String
        let action: String
        let canConfirm: Bool
        let error: String?
    }
    let id: String
    let title: String?
    let catalog: String?
    let officialStatement: String?
    /// 800-171A's examine / interview / test lists from the imported catalog (shown as the CLI shows them).
    var officialMethods: [GuidanceView.Item] = []
    var hasOfficialMethods = false
    /// Tekigo's own guidance for the requirement, beside the official wording.
    var guidance: GuidanceView?
    /// The evidence library's items attached to each objective, expired ones flagged, and the attach form (issue 17 item 5).
    var evidenceLibrary: EvidenceLibraryEditorBlock?
    let points: String?
    let overviewURL: String
    let action: String
    let previousURL: String?
    let previousID: String?
    let nextURL: String?
    let nextID: String?
    let canEdit: Bool
    let errors: [String: String]
    let hasErrors: Bool
    let answerVersion: Int
    let position: String
    let implementation: String
    let objectives: [Objective]
    let hasMFA: Bool
    let hasEncryption: Bool
    let hasExceptions: Bool
    let inheritance: [Inheritance]
    let hasInheritance: Bool
    var notPermitted: Checkbox?
    var mfa: [SelectOption]?
    var encryption: [SelectOption]?
    var exceptions: [SelectOption]?
    var exceptionNote: String?
    /// The requirement's carried-over objectives and the assessment's remaining count (issue 17 item 4).
    var review: CarryOverReview?
}

/// A requirement's built-in guidance as the editor shows it: headed parts in the page's language.
struct GuidanceView: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let label: String
        let text: String
    }
    let heading: String
    let asksLabel: String
    let asks: String
    let optionsLabel: String
    let options: [String]
    /// Examine, interview and test, each with its heading.
    let assessor: [Item]
    let evidenceLabel: String
    let evidence: [String]

    init(_ g: RequirementGuidance, _ lang: Language) {
        heading = GuidancePart.heading[lang]
        asksLabel = GuidancePart.asks.label[lang]
        asks = g.asks[lang]
        optionsLabel = GuidancePart.options.label[lang]
        options = g.options.map { $0[lang] }
        assessor = [(GuidancePart.examine, g.examine), (.interview, g.interview), (.test, g.test)]
            .map { Item(label: $0.0.label[lang], text: $0.1[lang]) }
        evidenceLabel = GuidancePart.evidence.label[lang]
        evidence = g.evidence.map { $0[lang] }
    }
}
