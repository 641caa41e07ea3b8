import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Reporting readiness in the browser (issue 13 item 6): the panel at `/o/{org}/incidents/readiness` — a checklist of
/// what is missing before an incident happens (certificate holders, the IR plan and its review, the contact chart,
/// the reporting channels, the incident team), each item saying what to do and linking where — with the forms that
/// add or delete a certificate, save the plan, add or delete a contact and configure the channels. Need-to-know like
/// incidents: the use cases decide. No script needed.
struct ReadinessPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "incidents"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.incidentReadiness(org: .key).pattern, use: guarded(panel))
        pages.post(PageRoute.readinessCertificates(org: .key).pattern, use: guarded(addCertificate))
        pages.post(PageRoute.deleteReadinessCertificate(org: .key, certificate: .key).pattern, use: guarded(deleteCertificate))
        pages.post(PageRoute.renewReadinessCertificate(org: .key, certificate: .key).pattern, use: guarded(renewCertificate))
        pages.post(PageRoute.readinessPlan(org: .key).pattern, use: guarded(savePlan))
        pages.post(PageRoute.readinessContacts(org: .key).pattern, use: guarded(addContact))
        pages.post(PageRoute.deleteReadinessContact(org: .key, contact: .key).pattern, use: guarded(deleteContact))
        pages.post(PageRoute.readinessChannels(org: .key).pattern, use: guarded(saveChannels))
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
                return IncidentPages.forbidden(web, page, request, action)  // readiness is need-to-know like incidents
            } catch is NotFound {
                return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found")
            }
        }
    }

    func queries(_ page: OrgPage) -> ReadinessQueries { ReadinessQueries(services.tenantEnvironment, page.member.scope) }
    func useCases(_ page: OrgPage) -> ReadinessUseCases { ReadinessUseCases(services.tenantEnvironment, page.member.scope) }

    /// Which form an error belongs to, with the input kept.
    enum Form: String { case certificate, plan, contact, channels }

    struct Input {
        var form = WebForm()
        var which: Form?
        var error: String?
    }

    func message(_ e: any Error, _ page: OrgPage) -> String? {
        switch e {
        case let e as ReadinessError: return e.text[page.language]
        case is VersionConflict: return web.messages.text("readiness_conflict", page.language)
        default: return nil
        }
    }

    func panel(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await panelView(page, request: request, input: Input())
    }

    func panelView(_ page: OrgPage, request: Request, input: Input, status: HTTPResponse.Status = .ok) async throws -> Response {
        let o = try await queries(page).overview()
        let lang = page.language, org = page.org, locale = page.viewer.locale
        let form = input.form
        func kept(_ which: Form, _ name: String, _ fallback: String) -> String { input.which == which ? form[name] : fallback }
        func anchor(_ area: ReadinessArea) -> String {
            area == .team ? PageRoute.incidentSettings(org: org).path : "#\(area.rawValue)"
        }
        let members = o.canManage ? try await MembershipUseCases(services.accountEnvironment).members(organizationID: org) : []
        let plan = o.plan
        let channels = o.channels
        let roleChosen = input.which == .contact ? form["role"] : ContactRole.internalResponder.rawValue
        let model = ReadinessPanelPage(
            ready: o.ready,
            items: o.checklist.map { i in
                .init(text: i.text[lang], severity: i.severity.rawValue,
                      severityLabel: web.messages.text("readiness_severity_\(i.severity.rawValue)", lang),
                      fixURL: anchor(i.kind.area), fixLabel: web.messages.text("readiness_fix_\(i.kind.area.rawValue)", lang))
            },
            validHolders: "\(o.validHolders)",
            certificates: o.certificates.map { c in
                .init(holder: c.holderName, issuer: c.issuer, identifier: [c.serial, c.fingerprint].filter { !$0.isEmpty }.joined(separator: " / "),
                      expires: Day(c.expiresOn).map(locale.day) ?? c.expiresOn, valid: c.fact?.isValid(on: o.today) ?? false,
                      deleteAction: PageRoute.deleteReadinessCertificate(org: org, certificate: c.id).path,
                      renewAction: PageRoute.renewReadinessCertificate(org: org, certificate: c.id).path, version: "\(c.version)",
                      renewID: "renew-\(c.id)")
            },
            hasCertificates: !o.certificates.isEmpty,
            certificateAction: PageRoute.readinessCertificates(org: org).path,
            members: [SelectOption(value: "", label: web.messages.text("readiness_holder_not_member", lang), selected: kept(.certificate, "user_id", "").isEmpty)]
                + members.map { u, _ in SelectOption(value: u.id, label: u.displayName, selected: kept(.certificate, "user_id", "") == u.id) },
            holderValue: kept(.certificate, "holder_name", ""), issuerValue: kept(.certificate, "issuer", ""),
            serialValue: kept(.certificate, "serial", ""), fingerprintValue: kept(.certificate, "fingerprint", ""),
            expiresValue: kept(.certificate, "expires_on", ""), certificateError: input.which == .certificate ? input.error : nil,
            plan: plan.map { p in
                .init(title: p.title, version: p.planVersion, location: p.location.isEmpty ? nil : p.location,
                      evidence: p.evidenceSha256, approvedBy: p.approvedBy, approvedOn: p.approvedOn.flatMap(Day.init).map(locale.day),
                      lastReviewed: Day(p.lastReviewedOn).map(locale.day) ?? p.lastReviewedOn, months: "\(p.reviewMonths)",
                      nextReview: o.nextReview.map(locale.day) ?? "")
            },
            planAction: PageRoute.readinessPlan(org: org).path, planVersion: "\(plan?.version ?? 0)",
            planTitleValue: kept(.plan, "title", plan?.title ?? ""), planVersionValue: kept(.plan, "plan_version", plan?.planVersion ?? ""),
            planLocationValue: kept(.plan, "location", plan?.location ?? ""),
            planEvidenceValue: kept(.plan, "evidence_sha256", plan?.evidenceSha256 ?? ""),
            approvedByValue: kept(.plan, "approved_by", plan?.approvedBy ?? ""), approvedOnValue: kept(.plan, "approved_on", plan?.approvedOn ?? ""),
            reviewedValue: kept(.plan, "last_reviewed_on", plan?.lastReviewedOn ?? ""),
            monthsValue: kept(.plan, "review_months", "\(plan?.reviewMonths ?? ReadinessRules.defaultReviewMonths)"),
            planError: input.which == .plan ? input.error : nil,
            contacts: o.contacts.map { c in
                .init(position: "\(c.position)", role: c.contactRole?.label[lang] ?? c.role, name: c.name, affiliation: c.affiliation,
                      purpose: c.purpose, phone: c.phone, email: c.email,
                      deleteAction: PageRoute.deleteReadinessContact(org: org, contact: c.id).path)
            },
            hasContacts: !o.contacts.isEmpty, contactAction: PageRoute.readinessContacts(org: org).path,
            roles: ContactRole.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0.rawValue == roleChosen) },
            contactPositionValue: kept(.contact, "position", ""), contactNameValue: kept(.contact, "name", ""),
            contactAffiliationValue: kept(.contact, "affiliation", ""), contactPurposeValue: kept(.contact, "purpose", ""),
            contactPhoneValue: kept(.contact, "phone", ""), contactEmailValue: kept(.contact, "email", ""),
            contactError: input.which == .contact ? input.error : nil,
            channelsAction: PageRoute.readinessChannels(org: org).path, channelsVersion: "\(channels?.version ?? 0)",
            dodNameValue: kept(.channels, "dod_channel_name", channels?.dodChannelName ?? ""),
            dodAddressValue: kept(.channels, "dod_channel_address", channels?.dodChannelAddress ?? ""),
            modNameValue: kept(.channels, "mod_contact_name", channels?.modContactName ?? ""),
            modPhoneValue: kept(.channels, "mod_contact_phone", channels?.modContactPhone ?? ""),
            modEmailValue: kept(.channels, "mod_contact_email", channels?.modContactEmail ?? ""),
            channelsError: input.which == .channels ? input.error : nil,
            canManage: o.canManage, canConfigure: o.canConfigure,
            incidentsURL: PageRoute.incidents(org: org).path, teamURL: PageRoute.incidentSettings(org: org).path)
        return web.orgView("readiness-panel", page, titleKey: "readiness_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Runs a form's change; a refusal shows the panel again with the input kept (400, 409 on a stale version).
    func submit(_ request: Request, _ page: OrgPage, _ which: Form, _ change: (WebForm) async throws -> Void) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            try await change(form)
        } catch let e where message(e, page) != nil {
            return try await panelView(page, request: request, input: Input(form: form, which: which, error: message(e, page)),
                                       status: e is VersionConflict ? .conflict : .badRequest)
        }
        return WebApp.redirect(PageRoute.incidentReadiness(org: page.org).path + "?notice=saved")
    }

    static func int(_ s: String, field: String) throws -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let v = Int(t) else {
            if field == "reviewMonths" { throw ReadinessError.badReviewMonths(0) }
            throw ReadinessError.empty(field: field)
        }
        return v
    }

    func addCertificate(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await submit(request, page, .certificate) { f in
            _ = try await useCases(page).addCertificate(CertificateDraft(
                holderName: f["holder_name"], userID: f["user_id"], issuer: f["issuer"], serial: f["serial"], fingerprint: f["fingerprint"],
                expiresOn: f["expires_on"]))
        }
    }

    func deleteCertificate(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("certificate")
        return try await submit(request, page, .certificate) { _ in try await useCases(page).deleteCertificate(id: id) }
    }

    /// A renewal: the new expiry day (and serial or fingerprint when entered), everything else kept, at the version read.
    func renewCertificate(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("certificate")
        return try await submit(request, page, .certificate) { f in
            let c = try await queries(page).certificate(id: id)
            let serial = f["serial"].trimmingCharacters(in: .whitespaces), fingerprint = f["fingerprint"].trimmingCharacters(in: .whitespaces)
            let renewed = serial.isEmpty && fingerprint.isEmpty
            _ = try await useCases(page).updateCertificate(id: id, CertificateDraft(
                holderName: c.holderName, userID: c.userId, issuer: c.issuer, serial: renewed ? c.serial : serial,
                fingerprint: renewed ? c.fingerprint : fingerprint, expiresOn: f["expires_on"], note: c.note), ifVersion: Int(f["version"]) ?? 0)
        }
    }

    func savePlan(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await submit(request, page, .plan) { f in
            var sha = f["evidence_sha256"]
            if let file = f.files.first(where: { $0.field == "plan_file" && !$0.data.isEmpty }) {
                sha = try await useCases(page).uploadPlanFile(file.data, filename: file.filename, contentType: file.contentType).sha256
            }
            _ = try await useCases(page).savePlan(PlanDraft(
                title: f["title"], planVersion: f["plan_version"], location: f["location"], evidenceSHA256: sha,
                approvedBy: f["approved_by"], approvedOn: f["approved_on"], lastReviewedOn: f["last_reviewed_on"],
                reviewMonths: try Self.int(f["review_months"], field: "reviewMonths")), ifVersion: Int(f["version"]) ?? 0)
        }
    }

    func addContact(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await submit(request, page, .contact) { f in
            _ = try await useCases(page).addContact(ContactDraft(
                position: try Self.int(f["position"], field: "position"), role: f["role"], name: f["name"], affiliation: f["affiliation"],
                purpose: f["purpose"], phone: f["phone"], email: f["email"]))
        }
    }

    func deleteContact(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("contact")
        return try await submit(request, page, .contact) { _ in try await useCases(page).deleteContact(id: id) }
    }

    func saveChannels(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await submit(request, page, .channels) { f in
            _ = try await useCases(page).saveChannels(ChannelDraft(
                dodChannelName: f["dod_channel_name"], dodChannelAddress: f["dod_channel_address"], modContactName: f["mod_contact_name"],
                modContactPhone: f["mod_contact_phone"], modContactEmail: f["mod_contact_email"]), ifVersion: Int(f["version"]) ?? 0)
        }
    }
}

// MARK: page models

/// `readiness-panel`: the checklist and the four areas with their forms.
struct ReadinessPanelPage: PageModel {
    struct Item: Encodable, Sendable {
        let text: String
        let severity: String
        let severityLabel: String
        let fixURL: String
        let fixLabel: String
    }
    struct Certificate: Encodable, Sendable {
        let holder: String
        let issuer: String
        let identifier: String
        let expires: String
        let valid: Bool
        let deleteAction: String
        let renewAction: String
        let version: String
        let renewID: String
    }
    struct Plan: Encodable, Sendable {
        let title: String
        let version: String
        let location: String?
        let evidence: String?
        let approvedBy: String
        let approvedOn: String?
        let lastReviewed: String
        let months: String
        let nextReview: String
    }
    struct Contact: Encodable, Sendable {
        let position: String
        let role: String
        let name: String
        let affiliation: String
        let purpose: String
        let phone: String
        let email: String
        let deleteAction: String
    }

    let ready: Bool
    let items: [Item]
    let validHolders: String
    let certificates: [Certificate]
    let hasCertificates: Bool
    let certificateAction: String
    let members: [SelectOption]
    let holderValue: String
    let issuerValue: String
    let serialValue: String
    let fingerprintValue: String
    let expiresValue: String
    let certificateError: String?
    let plan: Plan?
    let planAction: String
    let planVersion: String
    let planTitleValue: String
    let planVersionValue: String
    let planLocationValue: String
    let planEvidenceValue: String
    let approvedByValue: String
    let approvedOnValue: String
    let reviewedValue: String
    let monthsValue: String
    let planError: String?
    let contacts: [Contact]
    let hasContacts: Bool
    let contactAction: String
    let roles: [SelectOption]
    let contactPositionValue: String
    let contactNameValue: String
    let contactAffiliationValue: String
    let contactPurposeValue: String
    let contactPhoneValue: String
    let contactEmailValue: String
    let contactError: String?
    let channelsAction: String
    let channelsVersion: String
    let dodNameValue: String
    let dodAddressValue: String
    let modNameValue: String
    let modPhoneValue: String
    let modEmailValue: String
    let channelsError: String?
    let canManage: Bool
    let canConfigure: Bool
    let incidentsURL: String
    let teamURL: String
}
