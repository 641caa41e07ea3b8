import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

/// An organization's cyber incidents in the browser (issue 13, items 1–3): the list with each incident's next
/// deadline, the record form (new and edit, at a version), one incident with its clocks in the viewer's and the
/// organization's zone, its phase, timeline (with sealed evidence files), submissions and report drafts, and the
/// settings (the hours of the rules marked as a setting, the incident team). Need-to-know is the use cases'
/// (`IncidentQueries`, `IncidentUseCases`): a member without the grant gets a 403 page that says who can give it.
/// These pages parse forms, call the use cases and render; every rule is theirs.
struct IncidentPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "incidents"
    static let utc = TimeZone(identifier: "UTC")!

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.incidents(org: .key).pattern, use: guarded(list))
        pages.post(PageRoute.incidents(org: .key).pattern, use: guarded(create))
        pages.get(PageRoute.newIncident(org: .key).pattern, use: guarded(newForm))
        pages.get(PageRoute.incidentSettings(org: .key).pattern, use: guarded(settings))
        pages.post(PageRoute.incidentHours(org: .key).pattern, use: guarded(saveHours))
        pages.post(PageRoute.incidentTeam(org: .key).pattern, use: guarded(grant))
        pages.post(PageRoute.revokeIncidentTeam(org: .key, user: .key).pattern, use: guarded(revoke))
        pages.get(PageRoute.incident(org: .key, incident: .key).pattern, use: guarded(detail))
        pages.get(PageRoute.editIncident(org: .key, incident: .key).pattern, use: guarded(editForm))
        pages.post(PageRoute.editIncident(org: .key, incident: .key).pattern, use: guarded(save))
        pages.post(PageRoute.incidentPhase(org: .key, incident: .key).pattern, use: guarded(movePhase))
        pages.post(PageRoute.incidentTimeline(org: .key, incident: .key).pattern, use: guarded(addEntry))
        pages.post(PageRoute.incidentSubmissions(org: .key, incident: .key).pattern, use: guarded(recordSubmission))
        pages.get(PageRoute.incidentReport(org: .key, incident: .key).pattern, use: guarded(report))
        IncidentReportFieldPages(web: web).register(pages)
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the use cases decide need-to-know. Their refusal becomes the 403 page saying
    /// who may grant access, a stale version the conflict page.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let web = web
        return { request, context in
            let page = try await web.orgPage(request, context, .read)
            do {
                return try await handler(request, context, page)
            } catch IncidentUseCaseError.notAllowed(let action) {
                return Self.forbidden(web, page, request, action)
            } catch IncidentUseCaseError.staleVersion {
                return try await PageErrorMiddleware(web: web).errorPage(request, context, .conflict, "error_conflict")
            }
        }
    }

    static func forbidden(_ web: WebApp, _ page: OrgPage, _ request: Request, _ action: TenantAction) -> Response {
        let model = IncidentForbiddenPage(message: IncidentUseCaseError.notAllowed(action).text[page.language],
                                          homeURL: PageRoute.organization(org: page.org).path)
        return web.orgView("incident-forbidden", page, titleKey: "incident_forbidden_title", section: section, model: model,
                           request: request, status: .forbidden)
    }

    func queries(_ page: OrgPage) -> IncidentQueries { IncidentQueries(services.tenantEnvironment, page.member.scope) }
    func useCases(_ page: OrgPage) -> IncidentUseCases { IncidentUseCases(services.tenantEnvironment, page.member.scope) }

    // MARK: list

    func list(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let q = queries(page)
        let incidents = try await q.list()
        let lang = page.language, zone = page.viewer.locale.timeZone
        let canManage = try await q.canManage()
        let model = IncidentListPage(
            incidents: incidents.map { i in
                .init(title: i.title, url: PageRoute.incident(org: page.org, incident: i.id).path, phase: i.phase.label[lang],
                      phaseID: i.phase.rawValue, discovered: instant(i.discoveredAt, zone, lang),
                      next: i.nextDeadline.map { "\($0.rule.label[lang]): \(stateText($0, zone, lang))" }, overdue: i.overdue,
                      exercise: i.exercise)
            },
            hasIncidents: !incidents.isEmpty, canManage: canManage, newURL: PageRoute.newIncident(org: page.org).path,
            settingsURL: page.member.role.allows(.manageIncidents) ? PageRoute.incidentSettings(org: page.org).path : nil,
            readinessURL: PageRoute.incidentReadiness(org: page.org).path, noticesURL: PageRoute.incidentNotices(org: page.org).path)
        return web.orgView("incident-list", page, titleKey: "incident_list_title", section: Self.section, model: model, request: request)
    }

    // MARK: new / edit

    func newForm(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        guard try await queries(page).canManage() else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let now = services.clock.now()
        let zone = page.member.organization.timeZone
        let input = WebForm(fields: ["discovered_at": [Self.localText(now, TimeZone(identifier: zone) ?? WebLocale.defaultTimeZone)],
                                     "time_zone": [zone], "discovered_by": [page.viewer.user.displayName],
                                     "information_kind": ["none-known"]])
        return try await formView(page, request: request, incidentID: nil, input: input, version: nil, errors: [:])
    }

    func create(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            let detail = try await useCases(page).open(Self.draft(form))
            return WebApp.redirect(PageRoute.incident(org: page.org, incident: detail.id).path + "?notice=saved")
        } catch let e where Self.formField(e) != nil {
            return try await formView(page, request: request, incidentID: nil, input: form, version: nil,
                                      errors: [Self.formField(e)!: Self.text(e, page.language)], status: .badRequest)
        }
    }

    func editForm(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let q = queries(page)
        guard try await q.canManage() else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let d = try await q.dossier(id: id)
        let f = d.dossier.facts
        var fields: [String: [String]] = [
            "title": [f.title], "discovered_at": [Self.localText(f.discoveredAt, TimeZone(identifier: f.discoveredTimeZone) ?? Self.utc)],
            "time_zone": [f.discoveredTimeZone], "discovered_by": [f.discoveredBy], "detection_method": [f.detectionMethod.rawValue],
            "compromise_type": [f.compromiseType.rawValue], "outcome": [f.outcome.rawValue], "technique": [f.technique],
            "narrative": [f.narrative], "systems": d.systems.map(\.systemId), "contracts": d.contracts.map(\.contractId),
        ]
        switch f.information {
        case .cui(let c): fields["information_kind"] = ["cui"]; fields["information_reference"] = [c]
        case .protectedInformation(let r): fields["information_kind"] = ["protected-information"]; fields["information_reference"] = [r]
        case .noneKnown: fields["information_kind"] = ["none-known"]
        }
        if d.dossier.exercise { fields["exercise"] = ["1"] }
        return try await formView(page, request: request, incidentID: id, input: WebForm(fields: fields), version: d.version, errors: [:])
    }

    /// Saves the facts at the version the form was read at: a stale form gets the conflict page and changes nothing.
    func save(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        guard let version = Int(form["version"].trimmingCharacters(in: .whitespaces)) else { throw WebError.badForm }
        do {
            _ = try await useCases(page).update(id: id, Self.draft(form), expectedVersion: version)
            return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=saved")
        } catch let e where Self.formField(e) != nil {
            return try await formView(page, request: request, incidentID: id, input: form, version: version,
                                      errors: [Self.formField(e)!: Self.text(e, page.language)], status: .badRequest)
        }
    }

    static func draft(_ form: WebForm) -> IncidentDraft {
        IncidentDraft(title: form["title"], discoveredAt: form["discovered_at"], discoveredTimeZone: form["time_zone"],
                      discoveredBy: form["discovered_by"], detectionMethod: form["detection_method"],
                      compromiseType: form["compromise_type"], outcome: form["outcome"], informationKind: form["information_kind"],
                      informationReference: form["information_reference"], technique: form["technique"], narrative: form["narrative"],
                      systemIDs: form.values("systems"), contractIDs: form.values("contracts"), exercise: form.has("exercise"))
    }

    func formView(_ page: OrgPage, request: Request, incidentID: String?, input: WebForm, version: Int?,
                  errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, o = page.org
        let linkable = try await queries(page).linkable()
        func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ field: String, _ label: (T) -> LocalizedText) -> [SelectOption]
            where T.RawValue == String {
            T.allCases.map { SelectOption(value: $0.rawValue, label: label($0)[lang], selected: input[field] == $0.rawValue) }
        }
        let infoKinds = ["none-known", "cui", "protected-information"].map {
            SelectOption(value: $0, label: web.messages.text("incident_information_" + $0.replacingOccurrences(of: "-", with: "_"), lang),
                         selected: input["information_kind"] == $0)
        }
        let model = IncidentFormPage(
            heading: web.messages.text(incidentID == nil ? "incident_new_title" : "incident_edit_title", lang),
            action: incidentID.map { PageRoute.editIncident(org: o, incident: $0).path } ?? PageRoute.incidents(org: o).path,
            cancelURL: incidentID.map { PageRoute.incident(org: o, incident: $0).path } ?? PageRoute.incidents(org: o).path,
            version: version, title: input["title"], discoveredAt: input["discovered_at"],
            zones: zoneOptions(input["time_zone"], page), discoveredBy: input["discovered_by"],
            methods: options(DetectionMethod.self, "detection_method", \.label),
            compromises: options(CompromiseType.self, "compromise_type", \.label),
            outcomes: options(IncidentOutcome.self, "outcome", \.label), informationKinds: infoKinds,
            informationReference: input["information_reference"], technique: input["technique"], narrative: input["narrative"],
            systems: linkable.systems.map { .init(value: $0.id, label: $0.name, checked: input.values("systems").contains($0.id)) },
            hasSystems: !linkable.systems.isEmpty,
            contracts: linkable.contracts.map {
                .init(value: $0.id, label: "\($0.number) — \($0.customerName)", checked: input.values("contracts").contains($0.id))
            },
            hasContracts: !linkable.contracts.isEmpty, exercise: input.has("exercise"), exerciseFixed: incidentID != nil,
            errors: errors, errorList: Self.summary(errors, order: Self.formFields), hasErrors: !errors.isEmpty)
        return web.orgView("incident-form", page, titleKey: incidentID == nil ? "incident_new_title" : "incident_edit_title",
                           section: Self.section, model: model, request: request, status: status)
    }

    static let formFields = ["title", "discovered_at", "time_zone", "discovered_by", "detection_method", "compromise_type", "outcome",
                             "information_kind", "information_reference", "technique", "narrative", "systems", "contracts"]

    /// The form field a refusal of the incident form belongs to (nil: not a form error — an error page).
    static func formField(_ e: any Error) -> String? {
        switch e {
        case let e as IncidentError:
            switch e {
            case .emptyTitle: return "title"
            case .textTooLong(let field, _): return ["technique", "narrative"].contains(field) ? field : "title"
            case .discoveredInFuture, .malformedInstant, .instantWithoutOffset, .submissionBeforeDiscovery: return "discovered_at"
            case .unknownTimeZone: return "time_zone"
            case .emptyDiscoverer: return "discovered_by"
            case .emptyInformationReference: return "information_reference"
            default: return nil
            }
        case let e as IncidentUseCaseError:
            switch e {
            case .unknownValue(let field, _, _):
                return ["detectionMethod": "detection_method", "compromiseType": "compromise_type", "outcome": "outcome",
                        "informationKind": "information_kind"][field]
            case .zoneRequired: return "time_zone"
            case .unknownSystem: return "systems"
            case .unknownContract: return "contracts"
            default: return nil
            }
        default: return nil
        }
    }

    /// The refusal's own words in the viewer's language.
    static func text(_ e: any Error, _ lang: Language) -> String {
        if let e = e as? IncidentError { return e.text[lang] }
        if let e = e as? IncidentUseCaseError { return e.text[lang] }
        return String(describing: e)
    }

    static func summary(_ errors: [String: String], order: [String]) -> [IncidentFieldError] {
        order.compactMap { f in errors[f].map { IncidentFieldError(field: f, message: $0) } }
    }

    // MARK: detail

    func detail(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await detailView(page, request: request, id: try context.parameters.require("incident"))
    }

    /// The submission form's values and errors, the timeline's and the phase form's error, when a post comes back.
    struct Returned {
        var submission = WebForm()
        var submissionErrors: [String: String] = [:]
        var timelineText = ""
        var timelineError: String?
        var phaseError: String?
    }

    static let submissionFields = ["kind", "submitted_at", "submission_zone", "channel", "report_number", "cites"]

    func detailView(_ page: OrgPage, request: Request, id: String, returned: Returned = Returned(),
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let d = try await queries(page).dossier(id: id)
        let lang = page.language, o = page.org
        let viewerZone = page.viewer.locale.timeZone
        let orgZone = TimeZone(identifier: page.member.organization.timeZone) ?? WebLocale.defaultTimeZone
        let f = d.dossier.facts
        let names = try await memberNames(page)
        let given = TimeZone(identifier: f.discoveredTimeZone) ?? Self.utc
        var facts: [IncidentDetailPage.Fact] = [
            .init(label: web.messages.text("incident_field_discovered_at", lang),
                  value: given.secondsFromGMT(for: f.discoveredAt) == viewerZone.secondsFromGMT(for: f.discoveredAt)
                      && given.identifier == viewerZone.identifier ? instant(f.discoveredAt, given, lang)
                      : web.messages.text("incident_discovered_value", lang, [
                          "given": instant(f.discoveredAt, given, lang), "viewer": instant(f.discoveredAt, viewerZone, lang)])),
            .init(label: web.messages.text("incident_field_discovered_by", lang), value: f.discoveredBy),
            .init(label: web.messages.text("incident_field_detection_method", lang), value: f.detectionMethod.label[lang]),
            .init(label: web.messages.text("incident_field_compromise_type", lang), value: f.compromiseType.label[lang]),
            .init(label: web.messages.text("incident_field_outcome", lang), value: f.outcome.label[lang]),
            .init(label: web.messages.text("incident_field_information", lang), value: f.information.text[lang]),
        ]
        if !f.technique.isEmpty { facts.append(.init(label: web.messages.text("incident_field_technique", lang), value: f.technique)) }
        if !f.narrative.isEmpty { facts.append(.init(label: web.messages.text("incident_field_narrative", lang), value: f.narrative)) }
        let none = web.messages.text("incident_none", lang)
        facts.append(.init(label: web.messages.text("incident_field_systems", lang),
                           value: d.dossier.affectedSystems.isEmpty ? none : d.dossier.affectedSystems.joined(separator: "、")))
        facts.append(.init(label: web.messages.text("incident_field_contracts", lang),
                           value: d.dossier.affectedContracts.isEmpty ? none
                               : d.dossier.affectedContracts.map { "\($0.number) — \($0.customerName)" }.joined(separator: "、")))
        let phase = d.dossier.phase
        let moves = IncidentPhase.allCases.filter { phase.canMove(to: $0) }
        let kinds = SubmissionKind.allCases.map {
            SelectOption(value: $0.rawValue, label: $0.label[lang],
                         selected: (returned.submission.has("kind") ? returned.submission["kind"] : SubmissionKind.dodInitial.rawValue) == $0.rawValue)
        }
        let sub = returned.submission
        var model = IncidentDetailPage(
            title: f.title, phase: phase.label[lang], phaseID: phase.rawValue, exercise: d.dossier.exercise,
            listURL: PageRoute.incidents(org: o).path, editURL: PageRoute.editIncident(org: o, incident: id).path,
            settingsURL: PageRoute.incidentSettings(org: o).path, registersURL: PageRoute.incidentRegisters(org: o, incident: id).path,
            noticeSendURL: d.canManage && !d.dossier.exercise ? PageRoute.incidentNoticeSend(org: o, incident: id).path : nil,
            reportFieldsURL: d.canManage ? PageRoute.incidentReportFields(org: o, incident: id).path : nil,
            stixURL: PageRoute.incidentSTIX(org: o, incident: id).path,
            tlpOptions: TLPMarking.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0 == .amber) },
            canManage: d.canManage, facts: facts,
            clocks: d.deadlines.map { clock($0, viewerZone: viewerZone, orgZone: orgZone, lang) }, hasClocks: !d.deadlines.isEmpty,
            viewerZone: Self.zoneName(viewerZone, d.now), organizationZone: Self.zoneName(orgZone, d.now),
            phaseAction: PageRoute.incidentPhase(org: o, incident: id).path,
            phases: moves.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: false) }, hasPhases: !moves.isEmpty,
            phaseError: returned.phaseError,
            timeline: d.timeline.map { t in
                .init(at: page.viewer.locale.dateTime(t.at), author: names[t.author] ?? t.author, text: t.text,
                      phase: t.phase.flatMap(IncidentPhase.init(rawValue:))?.label[lang],
                      files: t.evidenceFiles.map { .init(name: $0.filename, url: APILink.evidence(o, $0.sha256)) })
            },
            hasTimeline: !d.timeline.isEmpty, timelineAction: PageRoute.incidentTimeline(org: o, incident: id).path,
            timelineText: returned.timelineText, timelineError: returned.timelineError,
            submissions: d.dossier.submissions.map { s in
                .init(kind: s.kind.label[lang], submittedAt: instant(s.submittedAt, viewerZone, lang), channel: s.channel,
                      by: names[s.submittedBy] ?? s.submittedBy, reportNumber: s.reportNumber, cites: s.cites)
            },
            hasSubmissions: !d.dossier.submissions.isEmpty,
            submissionAction: PageRoute.incidentSubmissions(org: o, incident: id).path, kinds: kinds,
            submittedAt: sub.has("submitted_at") ? sub["submitted_at"] : Self.localText(d.now, orgZone),
            zones: zoneOptions(sub.has("submission_zone") ? sub["submission_zone"] : page.member.organization.timeZone, page),
            channel: sub["channel"], reportNumber: sub["report_number"], cites: sub["cites"],
            submissionErrors: returned.submissionErrors,
            submissionErrorList: Self.summary(returned.submissionErrors, order: Self.submissionFields),
            hasSubmissionErrors: !returned.submissionErrors.isEmpty,
            exports: IncidentReportKind.allCases.map { k in
                func link(_ format: String) -> String {
                    PageRoute.incidentReport(org: o, incident: id).path + "?kind=\(k.rawValue)&format=\(format)&lang=\(lang.rawValue)"
                }
                return .init(label: k.label[lang], html: link("html"), markdown: link("md"), json: link("json"))
            })
        // Sharing from the incident (IncidentSharePages): its observables and the share button.
        model.sharing = try await IncidentSharePages(web: web).section(page, incident: id, canManage: d.canManage)
        return web.orgView("incident-detail", page, titleKey: "incident_detail_title", section: Self.section, model: model,
                           request: request, status: status, title: f.title)
    }

    func clock(_ c: IncidentDeadline, viewerZone: TimeZone, orgZone: TimeZone, _ lang: Language) -> IncidentDetailPage.Clock {
        let id: String
        switch c.state {
        case .notStarted: id = "not-started"
        case .open: id = "open"
        case .overdue: id = "overdue"
        case .met(_, let late): id = late ? "late" : "met"
        case .holding: id = "holding"
        case .elapsed: id = "elapsed"
        }
        return .init(regime: c.regime.title[lang],
                     what: web.messages.text("incident_clock_hours", lang, ["rule": c.rule.label[lang], "hours": "\(c.hours)"]),
                     dueViewer: c.due.map { instant($0, viewerZone, lang) }, dueOrganization: c.due.map { instant($0, orgZone, lang) },
                     state: stateText(c, viewerZone, lang), stateID: id, source: c.rule.source, setting: c.rule.setting)
    }

    /// Time left, overdue by, met at (on time or late), hold running until (in `zone`), or not started yet.
    func stateText(_ c: IncidentDeadline, _ zone: TimeZone, _ lang: Language) -> String {
        switch c.state {
        case .notStarted: return web.messages.text("incident_state_not_started", lang)
        case .open(let r): return web.messages.text("incident_state_open", lang, ["time": IncidentClock.duration(r, lang)])
        case .overdue(let by): return web.messages.text("incident_state_overdue", lang, ["time": IncidentClock.duration(by, lang)])
        case .met(let at, let late):
            return web.messages.text(late ? "incident_state_met_late" : "incident_state_met", lang, ["at": instant(at, zone, lang)])
        case .holding(let r):
            return web.messages.text("incident_state_holding", lang, ["until": c.due.map { instant($0, zone, lang) } ?? "",
                                                                      "time": IncidentClock.duration(r, lang)])
        case .elapsed: return web.messages.text("incident_state_elapsed", lang)
        }
    }

    // MARK: phase, timeline, submissions

    func movePhase(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        do {
            _ = try await useCases(page).movePhase(id: id, to: form["phase"], note: form["note"])
        } catch let e where e is IncidentError || (e as? IncidentUseCaseError).map({ if case .unknownValue = $0 { true } else { false } }) == true {
            return try await detailView(page, request: request, id: id, returned: Returned(phaseError: Self.text(e, page.language)),
                                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=saved")
    }

    /// A timeline entry with optional evidence files (multipart, like the assessment editor's upload), sealed by the
    /// evidence vault in the entry's transaction.
    func addEntry(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        let lang = page.language
        let files = form.files.filter { !$0.data.isEmpty }
        if files.contains(where: { $0.data.count > services.evidence.maxSize }) {
            return try await detailView(page, request: request, id: id, returned: Returned(
                timelineText: form["text"],
                timelineError: web.messages.text("error_file_too_large", lang, ["size": "\(services.evidence.maxSize / 1024 / 1024)"])),
                status: .badRequest)
        }
        do {
            _ = try await useCases(page).addTimelineEntry(id: id, text: form["text"], evidence: files.map {
                IncidentEvidenceUpload(data: $0.data, filename: $0.filename, contentType: $0.contentType)
            })
        } catch let e where e is IncidentError || (e as? IncidentUseCaseError) == .emptyTimelineEntry {
            return try await detailView(page, request: request, id: id,
                                        returned: Returned(timelineText: form["text"], timelineError: Self.text(e, lang)), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=saved")
    }

    func recordSubmission(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        let lang = page.language
        do {
            let zoneID = form["submission_zone"].trimmingCharacters(in: .whitespaces)
            guard let zone = TimeZone(identifier: zoneID) else { throw IncidentError.unknownTimeZone(zoneID) }
            let local = form["submitted_at"].trimmingCharacters(in: .whitespaces)
            // A datetime-local field has no offset: read it in the chosen zone; a typed offset is taken as written.
            let instant: String
            if let written = try? OffsetInstant.parse(local) { instant = written.description } else {
                instant = OffsetInstant.format(try IncidentDraft.local(local, in: zone), in: zone)
            }
            _ = try await useCases(page).recordSubmission(id: id, kind: form["kind"], submittedAt: instant, channel: form["channel"],
                                                          reportNumber: form["report_number"], cites: form["cites"])
        } catch let e where Self.submissionField(e) != nil {
            return try await detailView(page, request: request, id: id,
                                        returned: Returned(submission: form, submissionErrors: [Self.submissionField(e)!: Self.text(e, lang)]),
                                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=saved")
    }

    static func submissionField(_ e: any Error) -> String? {
        switch e {
        case let e as IncidentError:
            switch e {
            case .malformedInstant, .instantWithoutOffset, .submissionInFuture, .submissionBeforeDiscovery: return "submitted_at"
            case .unknownTimeZone: return "submission_zone"
            case .reportNumberInUse, .emptyReportNumber: return "report_number"
            case .followOnWithoutInitial: return "cites"
            default: return nil
            }
        case let e as IncidentUseCaseError:
            switch e {
            case .unknownValue: return "kind"
            case .tooLong(let field, _): return field == "channel" ? "channel" : "report_number"
            default: return nil
            }
        default: return nil
        }
    }

    // MARK: report drafts (TekigoReports' renderers, through IncidentExports)

    /// A report draft of the incident (`?kind=dod-initial&format=html|md|json&lang=ja`), times in the viewer's zone:
    /// `IncidentQueries.reportDraft`, the same export the API and the command line give (audited as an export, with the
    /// reporting channel the organization configured on the readiness page).
    func report(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let q = request.uri.queryParameters
        guard let kind = IncidentReportKind(rawValue: q["kind"].map(String.init) ?? ""),
              let format = IncidentDraftFormat(rawValue: q["format"].map(String.init) ?? "") else { throw WebError.badForm }
        let lang = q["lang"].flatMap { Language(rawValue: String($0)) } ?? page.language
        let doc = try await queries(page).reportDraft(id: id, kind: kind, format: format, language: lang,
                                                      timeZone: page.viewer.locale.timeZone)
        var headers: HTTPFields = [.contentType: doc.contentType]
        if let language = doc.language { headers[.contentLanguage] = language.rawValue }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: doc.body)))
    }

    // MARK: settings

    func settings(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await settingsView(page, request: request)
    }

    func settingsView(_ page: OrgPage, request: Request, input: WebForm = WebForm(), hourErrors: [String: String] = [:],
                      teamError: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard page.member.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let lang = page.language, o = page.org
        let q = queries(page)
        let hours = try await q.hourSettings()
        let team = try await q.team()
        let members = try await MembershipUseCases(services.accountEnvironment).members(organizationID: o)
        let onTeam = Set(team.map(\.userID))
        let candidates = members.filter { !$0.1.allows(.manageIncidents) && !onTeam.contains($0.0.id) }
        let model = IncidentSettingsPage(
            listURL: PageRoute.incidents(org: o).path, hoursAction: PageRoute.incidentHours(org: o).path,
            hours: hours.map { h in
                let field = "hours_" + h.rule.id
                return .init(ruleID: field, regime: h.regime.title[lang], what: h.rule.label[lang],
                             value: input.has(field) ? input[field] : h.hours.map(String.init) ?? "", defaultHours: h.rule.hours,
                             source: h.rule.source, error: hourErrors[field])
            },
            teamAction: PageRoute.incidentTeam(org: o).path,
            team: team.map {
                .init(name: $0.displayName, email: $0.email, role: web.messages.text("role_" + $0.role.rawValue, lang),
                      granted: page.viewer.locale.dateTime($0.grantedAt), revokeURL: PageRoute.revokeIncidentTeam(org: o, user: $0.userID).path)
            },
            hasTeam: !team.isEmpty,
            candidates: candidates.map { SelectOption(value: $0.0.id, label: "\($0.0.displayName) (\($0.0.email))", selected: false) },
            hasCandidates: !candidates.isEmpty, teamError: teamError)
        return web.orgView("incident-settings", page, titleKey: "incident_settings_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Every setting rule's hours from one form: empty goes back to Tekigo's default.
    func saveHours(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let uc = useCases(page)
        var errors: [String: String] = [:]
        for h in try await queries(page).hourSettings() {
            let field = "hours_" + h.rule.id
            guard form.has(field) else { continue }
            let text = form[field].trimmingCharacters(in: .whitespaces)
            let hours: Int?
            if text.isEmpty { hours = nil } else if let n = Int(text) { hours = n } else {
                errors[field] = IncidentError.badHourSetting(rule: h.rule.id, hours: 0).text[page.language]
                continue
            }
            if hours == h.hours { continue }
            do { try await uc.setHourSetting(ruleID: h.rule.id, hours: hours) } catch let e as IncidentError {
                errors[field] = e.text[page.language]
            }
        }
        if !errors.isEmpty { return try await settingsView(page, request: request, input: form, hourErrors: errors, status: .badRequest) }
        return WebApp.redirect(PageRoute.incidentSettings(org: page.org).path + "?notice=saved")
    }

    func grant(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        do { try await useCases(page).grantIncidentAccess(userID: form["user"]) } catch let e as IncidentUseCaseError where e.field == "userId" {
            return try await settingsView(page, request: request, teamError: e.text[page.language], status: .badRequest)
        }
        return WebApp.redirect(PageRoute.incidentSettings(org: page.org).path + "?notice=saved")
    }

    func revoke(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await useCases(page).revokeIncidentAccess(userID: try context.parameters.require("user"))
        return WebApp.redirect(PageRoute.incidentSettings(org: page.org).path + "?notice=saved")
    }

    // MARK: helpers

    /// Display names of the organization's members by user id (timeline authors, who submitted).
    func memberNames(_ page: OrgPage) async throws -> [String: String] {
        Dictionary(try await MembershipUseCases(services.accountEnvironment).members(organizationID: page.org).map { ($0.0.id, $0.0.displayName) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// The zones offered: the common ones, the organization's and the chosen one.
    func zoneOptions(_ chosen: String, _ page: OrgPage) -> [SelectOption] {
        var zones = AuthPages.timeZones
        for z in [page.member.organization.timeZone, chosen] where !z.isEmpty && !zones.contains(z) { zones.append(z) }
        return zones.map { SelectOption(value: $0, label: $0, selected: $0 == chosen) }
    }

    /// An instant as the pages show dates and times, in `zone`, with the zone and its UTC offset at that instant:
    /// `2026年12月5日 2:13（Asia/Tokyo、UTC+09:00）` / `Dec 5, 2026 at 2:13 AM (Asia/Tokyo, UTC+09:00)`.
    func instant(_ date: Date, _ zone: TimeZone, _ lang: Language) -> String {
        let locale = WebLocale(language: lang, timeZone: zone)
        let text = date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: locale.localeIdentifier),
                                                   timeZone: zone))
        return web.messages.text("incident_instant", lang, ["time": text, "zone": Self.zoneName(zone, date)])
    }

    /// `Asia/Tokyo, UTC+09:00` (`UTC` alone for UTC).
    static func zoneName(_ zone: TimeZone, _ at: Date) -> String {
        let s = zone.secondsFromGMT(for: at)
        let sign = s < 0 ? "-" : "+", h = abs(s) / 3600, m = abs(s) % 3600 / 60
        let offset = "UTC\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
        return zone.identifier == "UTC" || zone.identifier == "GMT" ? "UTC" : "\(zone.identifier), \(offset)"
    }

    /// The text of a `datetime-local` field for `date` in `zone` (`2026-12-05T02:13`).
    static func localText(_ date: Date, _ zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute))"
    }
}

/// Message keys built in code from values (`IncidentPageTests` checks each exists in both catalogs).
enum IncidentLabels {
    static var allKeys: [String] {
        ["none_known", "cui", "protected_information"].map { "incident_information_" + $0 }
            + ["incident_state_met", "incident_state_met_late", "incident_new_title", "incident_edit_title"]
            + IncidentReportFieldPages.contactParts.map { "incident_rf_contact_" + $0 }
    }
}
