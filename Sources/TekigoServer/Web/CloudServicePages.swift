import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The cloud services an organization uses, in the browser (issue 15 item 3): `/o/{org}/cloud` lists each service
/// with its standing today (satisfied or what is missing; "not in the registry" said plainly) and adds one; a
/// service's page shows the systems using it, what it holds, each regime's verdict, the evaluations recorded, and the
/// forms: edit, record an evaluation (the equivalency checklist against a rule set version), the (c)–(g)
/// commitments, remove. Owners, administrators and assessors change (`.manageSystems`); other members read. No script.
struct CloudServicePages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "cloud"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.cloudServices(org: .key).pattern, use: list)
        pages.post(PageRoute.cloudServices(org: .key).pattern, use: add)
        pages.get(PageRoute.cloudService(org: .key, service: .key).pattern, use: detail)
        pages.post(PageRoute.cloudService(org: .key, service: .key).pattern, use: edit)
        pages.post(PageRoute.cloudServiceDelete(org: .key, service: .key).pattern, use: remove)
        pages.post(PageRoute.cloudServiceEvaluations(org: .key, service: .key).pattern, use: evaluate)
        pages.post(PageRoute.cloudServiceCommitments(org: .key, service: .key).pattern, use: commit)
        pages.post(PageRoute.cloudServiceMatrix(org: .key, service: .key).pattern, use: importMatrix)
        pages.post(PageRoute.requirementInheritance(org: .key, assessment: .key, requirement: .key).pattern, use: confirmInheritance)
    }

    func queries(_ page: OrgPage) -> CloudServiceQueries { CloudServiceQueries(services.tenantEnvironment, page.member.scope) }
    func useCases(_ page: OrgPage) -> CloudServiceUseCases { CloudServiceUseCases(services.tenantEnvironment, page.member.scope) }

    func message(_ e: any Error, _ page: OrgPage) -> String? {
        switch e {
        case let e as CloudServiceError: return e.text[page.language]
        case let e as ResponsibilityError: return e.text[page.language]
        case is VersionConflict: return web.messages.text("error_changed_meanwhile", page.language)
        default: return nil
        }
    }

    func text(_ key: String, _ page: OrgPage) -> String { web.messages.text(key, page.language) }

    func standingLabel(_ s: CloudServiceStanding, _ page: OrgPage) -> (id: String, label: String) {
        if s.regimes.isEmpty { return ("none", text("cloud_svc_standing_none", page)) }
        return s.satisfied ? ("met", text("cloud_svc_standing_met", page)) : ("not-met", text("cloud_svc_standing_not_met", page))
    }

    func registryText(_ s: CloudServiceStanding, _ page: OrgPage) -> String {
        guard s.inRegistry else { return text("cloud_svc_not_in_registry", page) }
        var parts = [s.registry.listName ?? "", s.registry.title ?? ""].filter { !$0.isEmpty }
        switch s.registry.standing {
        case .fedramp(let status, let level, _): parts.append("\(status), \(level)")
        case .ismap(_, _, let through): parts.append("\(text("cloud_svc_valid_through", page)) \(page.viewer.locale.day(through))")
        case .notInRegistry: break
        }
        return parts.joined(separator: " — ")
    }

    func informationOptions(_ chosen: String, _ page: OrgPage) -> [SelectOption] {
        CloudInformation.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[page.language], selected: $0.rawValue == chosen) }
    }

    func systemChecks(_ systems: [CloudServiceStanding.SystemUse], chosen: Set<String>) -> [CloudCheck] {
        systems.map { CloudCheck(value: $0.id, label: $0.name, checked: chosen.contains($0.id), fieldID: "system-\($0.id)") }
    }

    // MARK: list

    func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await listView(page, request: request, form: nil, error: nil)
    }

    func listView(_ page: OrgPage, request: Request, form: WebForm?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = queries(page), lang = page.language, org = page.org
        let all = try await q.list()
        let systems = try await q.systems()
        let matrices = try await responsibility(page).summaries()
        let model = CloudServiceListPage(
            matrices: matrices.map { matrixRow($0, page) }, hasMatrices: !matrices.isEmpty,
            services: all.map { s in
                let standing = standingLabel(s, page)
                return .init(name: s.service.name, url: PageRoute.cloudService(org: org, service: s.service.id).path, ref: s.service.ref,
                             information: s.service.informationKind.label[lang], regimes: s.regimes.map { $0.label[lang] },
                             standingID: standing.id, standing: standing.label, registry: registryText(s, page),
                             missing: s.missing.map { $0[lang] }, systems: s.systems.map(\.name).joined(separator: ", "))
            },
            hasServices: !all.isEmpty, canChange: q.canChange, addAction: PageRoute.cloudServices(org: org).path,
            refValue: form?["ref"] ?? "", nameValue: form?["name"] ?? "",
            informationOptions: informationOptions(form?["information"] ?? CloudInformation.cui.rawValue, page),
            systems: systemChecks(systems, chosen: Set(form?.values("systems") ?? [])), hasSystems: !systems.isEmpty,
            systemsURL: PageRoute.systems(org: org).path, registryURL: PageRoute.cloudRegistry(org: org).path, error: error)
        return web.orgView("cloud-service-list", page, titleKey: "cloud_svc_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func add(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            let r = try await useCases(page).add(CloudServiceDraft(ref: form["ref"], name: form["name"], information: form["information"],
                                                                   systems: form.values("systems")))
            return WebApp.redirect(PageRoute.cloudService(org: page.org, service: r.id).path + "?notice=saved")
        } catch let e where message(e, page) != nil {
            return try await listView(page, request: request, form: form, error: message(e, page), status: .badRequest)
        }
    }

    // MARK: one service

    func detail(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await detailView(page, request: request, id: try context.parameters.require("service"), which: nil, form: nil, error: nil)
    }

    enum Form: String { case edit, evaluation, commitments, matrix }

    func detailView(_ page: OrgPage, request: Request, id: String, which: Form?, form: WebForm?, error: String?,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = queries(page), lang = page.language, org = page.org, locale = page.viewer.locale
        let s: CloudServiceStanding
        do { s = try await q.service(id: id) } catch is NotFound {
            throw HTTPError(.notFound)
        }
        let systems = try await q.systems()
        func kept(_ w: Form, _ name: String, _ fallback: String) -> String { which == w ? (form?[name] ?? fallback) : fallback }
        let standing = standingLabel(s, page)
        let chosenSystems = which == .edit ? Set(form?.values("systems") ?? []) : Set(s.systems.map(\.id))
        let chosenRegimes = which == .edit ? Set(form?.values("regimes") ?? []) : Set(s.service.chosenRegimes.map(\.rawValue))
        let defaultRegime = s.regimes.first ?? .dfars7012
        let regimeChosen = kept(.evaluation, "regime", defaultRegime.rawValue)
        let methodChosen = kept(.evaluation, "method", defaultRegime == .japan ? CloudEvaluationMethod.documented.rawValue
                                    : (s.inRegistry ? CloudEvaluationMethod.marketplace.rawValue : CloudEvaluationMethod.equivalency.rawValue))
        let ruleChosen = kept(.evaluation, "rule_set_version", EquivalencyRuleSet.current.id)
        let last = s.evaluations.last { $0.methodKind == .equivalency }?.checklistValue
        let matrix = try await responsibility(page).matrix(service: s.service.ref)?.summary
        let model = CloudServiceDetailPage(
            matrix: matrix.map { matrixRow($0, page) }, matrixAction: PageRoute.cloudServiceMatrix(org: org, service: id).path,
            matrixEvidenceValue: kept(.matrix, "evidence_reference", matrix?.record.evidenceReference ?? ""),
            matrixNameValue: kept(.matrix, "provider_name", ""), matrixError: which == .matrix ? error : nil,
            name: s.service.name, ref: s.service.ref, registry: registryText(s, page), inRegistry: s.inRegistry,
            information: s.service.informationKind.label[lang], standingID: standing.id, standing: standing.label,
            systems: s.systems.map(\.name), hasSystems: !s.systems.isEmpty, note: s.service.note.isEmpty ? nil : s.service.note,
            verdicts: s.verdicts.map { v in
                .init(regime: v.regime.label[lang], satisfied: v.satisfied,
                      standing: text(v.satisfied ? "cloud_svc_standing_met" : "cloud_svc_standing_not_met", page),
                      basis: text("cloud_svc_basis_" + v.basis.rawValue.replacingOccurrences(of: "-", with: "_"), page), missing: v.missing.map { $0[lang] }, notes: v.notes.map { $0[lang] })
            },
            evaluations: s.evaluations.reversed().map { e in
                .init(day: Day(e.evaluatedOn).map(locale.day) ?? e.evaluatedOn, regime: e.regimeKind?.label[lang] ?? e.regime,
                      method: e.methodKind?.label[lang] ?? e.method, decision: text(e.meets ? "cloud_svc_decision_meets" : "cloud_svc_decision_not", page),
                      ruleSet: e.ruleSet?.title[lang] ?? e.ruleSetVersion, registryStatus: [e.registryStatus, e.registryImpactLevel].compactMap { $0 }.joined(separator: ", "),
                      evaluatedBy: e.evaluatedBy, rationale: e.rationale, evidence: e.evidenceReferences.joined(separator: ", "))
            },
            hasEvaluations: !s.evaluations.isEmpty,
            commitments: s.commitmentValues.map { c in
                .init(kind: c.kind.rawValue, label: c.kind.label[lang],
                      committed: which == .commitments ? form?["committed_\(c.kind.rawValue)"] == "on" : c.committed,
                      evidence: kept(.commitments, "evidence_\(c.kind.rawValue)", c.evidence), evidenced: c.isEvidenced)
            },
            canChange: q.canChange, listURL: PageRoute.cloudServices(org: org).path,
            editAction: PageRoute.cloudService(org: org, service: id).path, version: "\(s.service.version)",
            refValue: kept(.edit, "ref", s.service.ref), nameValue: kept(.edit, "name", s.service.name),
            informationOptions: informationOptions(kept(.edit, "information", s.service.information), page),
            regimeChecks: CloudRegime.allCases.map { CloudCheck(value: $0.rawValue, label: $0.label[lang], checked: chosenRegimes.contains($0.rawValue), fieldID: "regime-\($0.rawValue)") },
            systemChecks: systemChecks(systems, chosen: chosenSystems), noteValue: kept(.edit, "note", s.service.note),
            deleteAction: PageRoute.cloudServiceDelete(org: org, service: id).path,
            evaluationAction: PageRoute.cloudServiceEvaluations(org: org, service: id).path,
            regimeOptions: CloudRegime.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0.rawValue == regimeChosen) },
            methodOptions: CloudEvaluationMethod.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0.rawValue == methodChosen) },
            ruleSetOptions: EquivalencyRuleSet.all.map { SelectOption(value: $0.id, label: $0.title[lang], selected: $0.id == ruleChosen) },
            documents: EquivalencyDocument.allCases.map { d in
                .init(field: "doc_\(d.rawValue)", label: d.label[lang], value: kept(.evaluation, "doc_\(d.rawValue)", last?.documents[d] ?? ""))
            },
            meetsChecked: which == .evaluation && form?["meets"] == "on",
            assessorValue: kept(.evaluation, "assessor", last?.assessor ?? ""),
            recognizedChecked: which == .evaluation ? form?["assessor_recognized"] == "on" : (last?.assessorRecognized ?? false),
            percentValue: kept(.evaluation, "baseline_percent", last.map { "\($0.baselineAssessedPercent)" } ?? "100"),
            annualValue: kept(.evaluation, "last_annual_assessment", last?.lastAnnualAssessment?.description ?? ""),
            poamValue: kept(.evaluation, "open_poam_items", last?.openPOAMItems.map(\.line).joined(separator: "\n") ?? ""),
            rationaleValue: kept(.evaluation, "rationale", ""), evidenceValue: kept(.evaluation, "evidence", ""),
            evaluatedByValue: kept(.evaluation, "evaluated_by", page.viewer.user.displayName), evaluatedOnValue: kept(.evaluation, "evaluated_on", ""),
            commitmentsAction: PageRoute.cloudServiceCommitments(org: org, service: id).path,
            commitmentsVersion: "\(s.commitments?.version ?? 0)",
            editError: which == .edit ? error : nil, evaluationError: which == .evaluation ? error : nil,
            commitmentsError: which == .commitments ? error : nil)
        return web.orgView("cloud-service-detail", page, titleKey: "cloud_svc_detail_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Runs a form's change; a refusal shows the page again with the input kept (400, 409 on a stale version).
    func submit(_ request: Request, _ context: AppContext, _ which: Form,
                _ change: @escaping (OrgPage, String, WebForm) async throws -> String?) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let id = try context.parameters.require("service")
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            if let to = try await change(page, id, form) { return WebApp.redirect(to) }
        } catch is NotFound {
            throw HTTPError(.notFound)
        } catch let e where message(e, page) != nil {
            var conflict = e is VersionConflict
            if case .staleVersion = e as? CloudServiceError { conflict = true }
            return try await detailView(page, request: request, id: id, which: which, form: form, error: message(e, page),
                                        status: conflict ? .conflict : .badRequest)
        }
        return WebApp.redirect(PageRoute.cloudService(org: page.org, service: id).path + "?notice=saved")
    }

    func edit(_ request: Request, _ context: AppContext) async throws -> Response {
        try await submit(request, context, .edit) { page, id, f in
            _ = try await useCases(page).update(id: id, CloudServiceDraft(ref: f["ref"], name: f["name"], information: f["information"],
                                                                          regimes: f.values("regimes"), systems: f.values("systems"),
                                                                          note: f["note"]), ifVersion: Int(f["version"]) ?? 0)
            return nil
        }
    }

    func remove(_ request: Request, _ context: AppContext) async throws -> Response {
        try await submit(request, context, .edit) { page, id, _ in
            try await useCases(page).remove(id: id)
            return PageRoute.cloudServices(org: page.org).path + "?notice=saved"
        }
    }

    func evaluate(_ request: Request, _ context: AppContext) async throws -> Response {
        try await submit(request, context, .evaluation) { page, id, f in
            let percent = f["baseline_percent"].trimmingCharacters(in: .whitespaces)
            var documents: [String: String] = [:]
            for d in EquivalencyDocument.allCases { documents[d.rawValue] = f["doc_\(d.rawValue)"] }
            _ = try await useCases(page).recordEvaluation(serviceID: id, CloudEvaluationDraft(
                regime: f["regime"], method: f["method"], meets: f["meets"] == "on", ruleSetVersion: f["rule_set_version"],
                documents: documents, assessor: f["assessor"], assessorRecognized: f["assessor_recognized"] == "on",
                baselineAssessedPercent: percent.isEmpty ? 0 : (Int(percent) ?? -1), lastAnnualAssessment: f["last_annual_assessment"],
                openPOAMItems: f["open_poam_items"].split(whereSeparator: \.isNewline).map(String.init), rationale: f["rationale"],
                evidence: f["evidence"].split(whereSeparator: { $0 == "," || $0.isNewline }).map(String.init),
                evaluatedBy: f["evaluated_by"], evaluatedOn: f["evaluated_on"]))
            return nil
        }
    }

    // MARK: responsibility matrix (issue 15 item 4)

    func responsibility(_ page: OrgPage) -> ResponsibilityUseCases { ResponsibilityUseCases(services.tenantEnvironment, page.member.scope) }

    /// A stored matrix as the pages show it: file, format, when, the provider's evidence, controls by side, rows left out.
    func matrixRow(_ m: ResponsibilityMatrixSummary, _ page: OrgPage) -> CloudMatrixRow {
        let r = m.record, lang = page.language
        return CloudMatrixRow(
            serviceRef: r.serviceRef, serviceName: r.serviceName, fileName: r.fileName,
            format: text("cloud_mx_format_" + r.format.replacingOccurrences(of: "-", with: "_"), page),
            column: r.responsibilityColumn, importedAt: page.viewer.locale.dateTime(r.importedAt), evidence: r.evidenceReference,
            controls: r.entryCount,
            counts: ControlResponsibility.allCases.map { .init(side: $0.rawValue, label: $0.label[lang], count: m.counts[$0] ?? 0) },
            warnings: r.warningList.map { .init(location: $0.location, message: $0.message[lang]) }, hasWarnings: !r.warningList.isEmpty)
    }

    /// Imports the uploaded file as the service's matrix (replacing the earlier one whole); a file that cannot be read
    /// comes back beside the form with why, and nothing changes.
    func importMatrix(_ request: Request, _ context: AppContext) async throws -> Response {
        try await submit(request, context, .matrix) { page, id, f in
            let service = try await queries(page).service(id: id).service
            let file = f.files.first { $0.field == "file" }
            _ = try await responsibility(page).importMatrix(file?.data ?? Data(), fileName: file?.filename ?? "", service: service.ref,
                                                            name: f["provider_name"].isEmpty ? service.name : f["provider_name"],
                                                            evidenceReference: f["evidence_reference"])
            return PageRoute.cloudService(org: page.org, service: id).path + "?notice=saved#matrix-h"
        }
    }

    /// The editor's confirmation of objectives inherited from (or shared with) a service: `ResponsibilityUseCases.confirm`
    /// with the status the person chose and the versions the page was read at. A refusal or a finding changed meanwhile
    /// shows the editor again with the message in the service's block and the input kept; nothing is written.
    func confirmInheritance(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let a = try await web.assessmentRecord(page, context)
        let editor = AssessmentPages(web: web)
        let entry = try editor.requirementEntry(a, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let versions = Dictionary(entry.assessmentObjectives.compactMap { o in Int(form["v_\(o)"]).map { (o, $0) } }, uniquingKeysWith: { x, _ in x })
        let route = PageRoute.requirement(org: page.org, assessment: a.id, requirement: entry.id).path
        do {
            _ = try await responsibility(page).confirm(assessmentID: a.id, requirement: entry.id, service: form["service"],
                                                       objectives: form.values("objectives"), status: form["status"],
                                                       rationale: form["rationale"], versions: versions)
        } catch let e where message(e, page) != nil {
            let conflict = e is VersionConflict
            return try await editor.editorPage(page, request: request, a: a, entry: entry,
                                               inheritance: AssessmentPages.InheritanceInput(service: form["service"], error: message(e, page) ?? "", form: form),
                                               status: conflict ? .conflict : .badRequest)
        }
        return WebApp.redirect(route + "?notice=saved")
    }

    func commit(_ request: Request, _ context: AppContext) async throws -> Response {
        try await submit(request, context, .commitments) { page, id, f in
            _ = try await useCases(page).setCommitments(serviceID: id, CloudCommitmentKind.allCases.map {
                CloudCommitmentDraft(kind: $0.rawValue, committed: f["committed_\($0.rawValue)"] == "on", evidence: f["evidence_\($0.rawValue)"])
            }, ifVersion: Int(f["version"]) ?? 0)
            return nil
        }
    }
}

// MARK: page models

/// A checkbox of a list (systems, regimes).
struct CloudCheck: Encodable, Sendable {
    let value: String
    let label: String
    let checked: Bool
    let fieldID: String
}

/// A stored responsibility matrix (`cloud-service-list`, `cloud-service-detail`).
struct CloudMatrixRow: Encodable, Sendable {
    struct Count: Encodable, Sendable {
        let side: String
        let label: String
        let count: Int
    }
    struct Warning: Encodable, Sendable {
        let location: String
        let message: String
    }
    let serviceRef: String
    let serviceName: String
    let fileName: String
    let format: String
    let column: String?
    let importedAt: String
    let evidence: String
    let controls: Int
    let counts: [Count]
    let warnings: [Warning]
    let hasWarnings: Bool
}

/// `cloud-service-list`: the organization's services with their standing, the matrices imported, and the form adding one.
struct CloudServiceListPage: PageModel {
    let matrices: [CloudMatrixRow]
    let hasMatrices: Bool
    struct Row: Encodable, Sendable {
        let name: String
        let url: String
        let ref: String
        let information: String
        let regimes: [String]
        let standingID: String
        let standing: String
        let registry: String
        let missing: [String]
        let systems: String
    }
    let services: [Row]
    let hasServices: Bool
    let canChange: Bool
    let addAction: String
    let refValue: String
    let nameValue: String
    let informationOptions: [SelectOption]
    let systems: [CloudCheck]
    let hasSystems: Bool
    let systemsURL: String
    /// The platform-wide registry's search page, to find a FedRAMP package id or an ISMAP number before adding.
    let registryURL: String
    let error: String?
}

/// `cloud-service-detail`: one service, its verdicts, evaluations, its responsibility matrix and the forms.
struct CloudServiceDetailPage: PageModel {
    let matrix: CloudMatrixRow?
    let matrixAction: String
    let matrixEvidenceValue: String
    let matrixNameValue: String
    let matrixError: String?
    struct Verdict: Encodable, Sendable {
        let regime: String
        let satisfied: Bool
        let standing: String
        let basis: String
        let missing: [String]
        let notes: [String]
    }
    struct Evaluation: Encodable, Sendable {
        let day: String
        let regime: String
        let method: String
        let decision: String
        let ruleSet: String?
        let registryStatus: String
        let evaluatedBy: String
        let rationale: String
        let evidence: String
    }
    struct Commitment: Encodable, Sendable {
        let kind: String
        let label: String
        let committed: Bool
        let evidence: String
        let evidenced: Bool
    }
    struct Document: Encodable, Sendable {
        let field: String
        let label: String
        let value: String
    }
    let name: String
    let ref: String
    let registry: String
    let inRegistry: Bool
    let information: String
    let standingID: String
    let standing: String
    let systems: [String]
    let hasSystems: Bool
    let note: String?
    let verdicts: [Verdict]
    let evaluations: [Evaluation]
    let hasEvaluations: Bool
    let commitments: [Commitment]
    let canChange: Bool
    let listURL: String
    let editAction: String
    let version: String
    let refValue: String
    let nameValue: String
    let informationOptions: [SelectOption]
    let regimeChecks: [CloudCheck]
    let systemChecks: [CloudCheck]
    let noteValue: String
    let deleteAction: String
    let evaluationAction: String
    let regimeOptions: [SelectOption]
    let methodOptions: [SelectOption]
    let ruleSetOptions: [SelectOption]
    let documents: [Document]
    let meetsChecked: Bool
    let assessorValue: String
    let recognizedChecked: Bool
    let percentValue: String
    let annualValue: String
    let poamValue: String
    let rationaleValue: String
    let evidenceValue: String
    let evaluatedByValue: String
    let evaluatedOnValue: String
    let commitmentsAction: String
    let commitmentsVersion: String
    let editError: String?
    let evaluationError: String?
    let commitmentsError: String?
}
