import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

/// Sharing from an incident in the browser (issue 14 item 5): the incident page's observables (add, delete) and its
/// "共有 / Share" button; the share form (a collection the organization may write, the TLP, what else to include, each
/// observable ticked) → the preview (the exact JSON that would leave and a line per object, with its digest) →
/// publish → the share's page with the 3.6.2 evidence offer when the community is an authority (never set without the
/// user's confirmation). Need-to-know and every sharing rule are the use cases' (`IncidentShareUseCases`); these pages
/// parse, call and render.
struct IncidentSharePages {
    let web: WebApp
    var services: Services { web.services }
    var incidents: IncidentPages { IncidentPages(web: web) }

    func register(_ pages: RouterGroup<AppContext>) {
        let g = incidents
        pages.get(PageRoute.incidentShare(org: .key, incident: .key).pattern, use: g.guarded(form))
        pages.post(PageRoute.incidentSharePreview(org: .key, incident: .key).pattern, use: g.guarded(preview))
        pages.post(PageRoute.incidentSharePublish(org: .key, incident: .key).pattern, use: g.guarded(publish))
        pages.get(PageRoute.incidentShareRecord(org: .key, incident: .key, share: .key).pattern, use: g.guarded(record))
        pages.post(PageRoute.incidentShareEvidence(org: .key, incident: .key, share: .key).pattern, use: g.guarded(confirmEvidence))
        pages.post(PageRoute.incidentObservables(org: .key, incident: .key).pattern, use: g.guarded(addObservable))
        pages.post(PageRoute.incidentObservableDelete(org: .key, incident: .key, observable: .key).pattern, use: g.guarded(deleteObservable))
    }

    func useCases(_ page: OrgPage) -> IncidentShareUseCases { IncidentShareUseCases(services.tenantEnvironment, page.member.scope) }

    /// Where the incident's record is, as the evidence text names it (the host the client used).
    func link(_ request: Request, _ page: OrgPage, _ incident: String) -> String {
        web.absoluteURL(request, PageRoute.incident(org: page.org, incident: incident).path)
    }

    static func text(_ e: any Error, _ lang: Language) -> String? {
        (e as? IncidentShareError)?.text[lang]
    }

    // MARK: the incident page's section

    /// The incident page's observables and share button.
    func section(_ page: OrgPage, incident: String, canManage: Bool) async throws -> IncidentShareSection {
        let lang = page.language, o = page.org
        let observables = try await useCases(page).observables(incidentID: incident)
        return IncidentShareSection(
            observables: observables.map { r in
                .init(kind: STIXObservableKind(rawValue: r.kind)?.label[lang] ?? r.kind, value: r.value, note: r.note,
                      deleteAction: PageRoute.incidentObservableDelete(org: o, incident: incident, observable: r.id).path)
            },
            hasObservables: !observables.isEmpty, canManage: canManage,
            addAction: PageRoute.incidentObservables(org: o, incident: incident).path,
            shareURL: PageRoute.incidentShare(org: o, incident: incident).path)
    }

    func addObservable(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        do {
            _ = try await useCases(page).addObservable(incidentID: id, value: form["value"], note: form["note"])
        } catch is IncidentShareError {
            return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=observable_refused#observables")
        }
        return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=observable_added#observables")
    }

    func deleteObservable(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        try await useCases(page).deleteObservable(incidentID: id, observableID: try context.parameters.require("observable"))
        return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=observable_deleted#observables")
    }

    // MARK: the share form

    func form(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let q = request.uri.queryParameters
        let input = WebForm(fields: ["tlp": [q["tlp"].map(String.init) ?? TLPMarking.amber.rawValue],
                                     "collection": [q["collection"].map(String.init) ?? ""]])
        return try await formView(page, request: request, id: id, input: input, tickAll: true, error: nil)
    }

    static func choice(_ form: WebForm) -> IncidentShareChoice {
        IncidentShareChoice(collectionID: form["collection"], tlp: form["tlp"], includeNarrative: form["narrative"] == "1",
                            includeContracts: form["contracts"] == "1", includeReportNumbers: form["report_numbers"] == "1",
                            includeNames: form["names"] == "1", markCUI: form["cui"] == "1", observableIDs: form.values("observables"))
    }

    func formView(_ page: OrgPage, request: Request, id: String, input: WebForm, tickAll: Bool, error: String?,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, o = page.org
        let uc = useCases(page)
        let q = incidents.queries(page)
        guard try await q.canManage() else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let detail = try await q.dossier(id: id)
        let targets = try await uc.targets()
        let observables = try await uc.observables(incidentID: id)
        let ticked = Set(input.values("observables"))
        let shares = try await uc.shares(incidentID: id)
        let communities = Dictionary(targets.map { ($0.collectionID, $0) }, uniquingKeysWith: { a, _ in a })
        let model = IncidentShareFormPage(
            title: detail.dossier.facts.title, incidentURL: PageRoute.incident(org: o, incident: id).path,
            action: PageRoute.incidentSharePreview(org: o, incident: id).path,
            collections: targets.map { t in
                SelectOption(value: t.collectionID, label: "\(t.communityName) — \(t.collectionTitle)"
                             + (t.authority ? " (\(web.messages.text("incident_share_authority", lang)))" : ""),
                             selected: t.collectionID == input["collection"])
            },
            hasCollections: !targets.isEmpty,
            tlps: TLPMarking.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0.rawValue == input["tlp"]) },
            narrative: input["narrative"] == "1", contracts: input["contracts"] == "1", reportNumbers: input["report_numbers"] == "1",
            names: input["names"] == "1", cui: input["cui"] == "1",
            observables: observables.map { r in
                .init(id: r.id, kind: STIXObservableKind(rawValue: r.kind)?.label[lang] ?? r.kind, value: r.value,
                      checked: tickAll || ticked.contains(r.id))
            },
            hasObservables: !observables.isEmpty,
            shares: shares.map { s in
                let t = communities[s.collectionID]
                return .init(at: page.viewer.locale.dateTime(s.sharedAt),
                             to: t.map { "\($0.communityName) — \($0.collectionTitle)" } ?? s.collectionID,
                             tlp: TLPMarking(rawValue: s.tlp)?.name ?? s.tlp, objects: s.objectCount,
                             url: PageRoute.incidentShareRecord(org: o, incident: id, share: s.id).path)
            },
            hasShares: !shares.isEmpty, error: error)
        return web.orgView("incident-share", page, titleKey: "incident_share_title", section: IncidentPages.section, model: model,
                           request: request, status: status)
    }

    // MARK: preview and publish

    func preview(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        let preview: IncidentSharePreview
        do {
            preview = try await useCases(page).preview(incidentID: id, choice: Self.choice(form))
        } catch let e as IncidentShareError {
            return try await formView(page, request: request, id: id, input: form, tickAll: false, error: e.text[page.language], status: .badRequest)
        }
        return previewView(page, request: request, id: id, preview: preview, error: nil)
    }

    func previewView(_ page: OrgPage, request: Request, id: String, preview p: IncidentSharePreview, error: String?,
                     status: HTTPResponse.Status = .ok) -> Response {
        let lang = page.language, o = page.org
        let c = p.choice
        var hidden: [IncidentSharePreviewPage.Hidden] = [
            .init(name: "collection", value: c.collectionID), .init(name: "tlp", value: c.tlp),
            .init(name: "prepared_at", value: p.preparedAt), .init(name: "digest", value: p.digest),
        ]
        for (name, on) in [("narrative", c.includeNarrative), ("contracts", c.includeContracts), ("report_numbers", c.includeReportNumbers),
                           ("names", c.includeNames), ("cui", c.markCUI)] where on {
            hidden.append(.init(name: name, value: "1"))
        }
        hidden += c.observableIDs.map { .init(name: "observables", value: $0) }
        let model = IncidentSharePreviewPage(
            incidentURL: PageRoute.incident(org: o, incident: id).path, shareURL: PageRoute.incidentShare(org: o, incident: id).path,
            action: PageRoute.incidentSharePublish(org: o, incident: id).path,
            destination: "\(p.target.communityName) — \(p.target.collectionTitle)",
            tlp: TLPMarking(rawValue: c.tlp)?.label[lang] ?? c.tlp, cui: c.markCUI, authority: p.target.authority,
            lines: p.lines.map { .init(id: $0.id, summary: $0.summary[lang]) }, objectCount: p.objectCount,
            json: Self.pretty(p.json), digest: p.digest, hidden: hidden, error: error)
        return web.orgView("incident-share-preview", page, titleKey: "incident_share_preview_title", section: IncidentPages.section,
                           model: model, request: request, status: status)
    }

    /// The JSON indented for reading (the digest is of the compact bytes the bundle is sent as).
    static func pretty(_ json: String) -> String {
        guard let v = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
              let d = try? JSONSerialization.data(withJSONObject: v, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return json }
        return String(decoding: d, as: UTF8.self)
    }

    func publish(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        let uc = useCases(page)
        do {
            let r = try await uc.publish(incidentID: id, choice: Self.choice(form), preparedAt: form["prepared_at"], digest: form["digest"])
            return WebApp.redirect(PageRoute.incidentShareRecord(org: page.org, incident: id, share: r.id).path + "?notice=incident_shared")
        } catch let e as IncidentShareError {
            // The refusal on the form, with the choices kept; a fresh preview is one click away.
            return try await formView(page, request: request, id: id, input: form, tickAll: false, error: e.text[page.language], status: .badRequest)
        }
    }

    // MARK: one share and its evidence

    func record(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let shareID = try context.parameters.require("share")
        let assessment = request.uri.queryParameters["assessment"].map(String.init) ?? ""
        return try await recordView(page, request: request, id: id, shareID: shareID, assessmentID: assessment, error: nil)
    }

    func recordView(_ page: OrgPage, request: Request, id: String, shareID: String, assessmentID: String, error: String?,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, o = page.org
        let uc = useCases(page)
        let share = try await uc.share(incidentID: id, shareID: shareID)
        let target = try await uc.targets().first { $0.collectionID == share.collectionID }
        var offer: IncidentShareEvidenceOffer?
        var offerError = error
        if share.authority, !assessmentID.isEmpty {
            do {
                offer = try await uc.evidenceOffer(incidentID: id, shareID: shareID, assessmentID: assessmentID, link: link(request, page, id))
            } catch let e as IncidentShareError {
                offerError = e.text[lang]
            }
        }
        let assessments = share.authority ? try await AssessmentQueries(services.tenantEnvironment, page.member.scope).assessments() : []
        let canConfirm = try await incidents.queries(page).canManage() && page.member.role.allows(.editFindings)
        let confirmed = share.evidenceObjectives.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        let model = IncidentShareRecordPage(
            incidentURL: PageRoute.incident(org: o, incident: id).path, shareURL: PageRoute.incidentShare(org: o, incident: id).path,
            destination: target.map { "\($0.communityName) — \($0.collectionTitle)" } ?? share.collectionID,
            tlp: TLPMarking(rawValue: share.tlp)?.label[lang] ?? share.tlp,
            at: page.viewer.locale.dateTime(share.sharedAt),
            objects: share.objectCount, digest: share.bundleSHA256, authority: share.authority,
            confirmed: confirmed.joined(separator: ", "), hasConfirmed: !confirmed.isEmpty,
            offerURL: PageRoute.incidentShareRecord(org: o, incident: id, share: shareID).path,
            assessments: assessments.filter { IncidentShareUseCases.evidenceObjectives[CatalogID($0.catalog)] != nil }.map { a in
                SelectOption(value: a.id, label: "\(a.catalog) — \(a.assessedOn)", selected: a.id == assessmentID)
            },
            offer: offer.map { offer in
                .init(assessment: "\(offer.assessment.catalog) — \(offer.assessment.assessedOn)", assessmentID: offer.assessment.id,
                      action: PageRoute.incidentShareEvidence(org: o, incident: id, share: shareID).path,
                      items: offer.items.map { i in
                          .init(objective: i.objective, requirement: "\(i.requirementID) \(i.requirementTitle[lang])", location: i.location,
                                status: i.status.label[lang], version: "\(i.version)", alreadyAdded: i.alreadyAdded,
                                url: PageRoute.requirement(org: o, assessment: offer.assessment.id, requirement: i.requirementID).path,
                                field: "v_\(i.objective)")
                      }, canConfirm: canConfirm)
            },
            error: offerError)
        return web.orgView("incident-share-record", page, titleKey: "incident_share_record_title", section: IncidentPages.section,
                           model: model, request: request, status: status)
    }

    func confirmEvidence(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        let shareID = try context.parameters.require("share")
        let assessment = form["assessment"]
        var versions: [String: Int] = [:]
        for o in form.values("objectives") { if let v = Int(form["v_\(o)"]) { versions[o] = v } }
        do {
            _ = try await useCases(page).confirmEvidence(incidentID: id, shareID: shareID, assessmentID: assessment,
                                                         objectives: form.values("objectives"), link: link(request, page, id), versions: versions)
        } catch let e as IncidentShareError {
            return try await recordView(page, request: request, id: id, shareID: shareID, assessmentID: assessment, error: e.text[page.language],
                                        status: .badRequest)
        } catch is VersionConflict {
            return try await recordView(page, request: request, id: id, shareID: shareID, assessmentID: assessment,
                                        error: web.messages.text("incident_share_evidence_conflict", page.language), status: .conflict)
        }
        return WebApp.redirect(PageRoute.incidentShareRecord(org: page.org, incident: id, share: shareID).path + "?notice=incident_share_evidence_added")
    }
}

// MARK: page models

/// The incident page's sharing section: the observables (with the add and delete forms for managers) and the share
/// button.
struct IncidentShareSection: Encodable, Sendable {
    struct Observable: Encodable, Sendable {
        let kind: String
        let value: String
        let note: String
        let deleteAction: String
    }
    let observables: [Observable]
    let hasObservables: Bool
    let canManage: Bool
    let addAction: String
    let shareURL: String
}

/// `incident-share`: where to, the TLP, what else to include, each observable; the incident's earlier shares.
struct IncidentShareFormPage: PageModel {
    struct Observable: Encodable, Sendable {
        let id: String
        let kind: String
        let value: String
        let checked: Bool
    }
    struct Share: Encodable, Sendable {
        let at: String
        let to: String
        let tlp: String
        let objects: Int
        let url: String
    }
    let title: String
    let incidentURL: String
    let action: String
    let collections: [SelectOption]
    let hasCollections: Bool
    let tlps: [SelectOption]
    let narrative: Bool
    let contracts: Bool
    let reportNumbers: Bool
    let names: Bool
    let cui: Bool
    let observables: [Observable]
    let hasObservables: Bool
    let shares: [Share]
    let hasShares: Bool
    let error: String?
}

/// `incident-share-preview`: every object that would leave, the exact JSON and its digest; publish sends the same
/// choices back with the preview's instant and digest.
struct IncidentSharePreviewPage: PageModel {
    struct Line: Encodable, Sendable {
        let id: String
        let summary: String
    }
    struct Hidden: Encodable, Sendable {
        let name: String
        let value: String
    }
    let incidentURL: String
    let shareURL: String
    let action: String
    let destination: String
    let tlp: String
    let cui: Bool
    let authority: Bool
    let lines: [Line]
    let objectCount: Int
    let json: String
    let digest: String
    let hidden: [Hidden]
    let error: String?
}

/// `incident-share-record`: one share, and for a share to an authority the evidence offer in a chosen assessment.
struct IncidentShareRecordPage: PageModel {
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
    struct Offer: Encodable, Sendable {
        let assessment: String
        let assessmentID: String
        let action: String
        let items: [Item]
        let canConfirm: Bool
    }
    let incidentURL: String
    let shareURL: String
    let destination: String
    let tlp: String
    let at: String
    let objects: Int
    let digest: String
    let authority: Bool
    let confirmed: String
    let hasConfirmed: Bool
    let offerURL: String
    let assessments: [SelectOption]
    let offer: Offer?
    let error: String?
}
