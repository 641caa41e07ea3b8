import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The supplier's side of the supply chain (issue #12 item 3): accepting a customer's invitation (for an organization
/// the person administers, a new one, or a new account and organization), the customers page (what each customer
/// requires, where the organization stands, the consent it gives each), and the attestations page (the preview of
/// what each customer will see, signing, history, the signed file and the signing keys). Each handler parses, calls
/// one operation of the use-case layer (`SupplierOnboardingUseCases`, `SupplierLinkUseCases.accept`,
/// `SupplierSideQueries`, `ConsentUseCases`, `AttestationUseCases`) and renders; refusals become messages in the
/// viewer's language and change nothing.
struct CustomerPages {
    let web: WebApp
    var services: Services { web.services }
    var onboarding: SupplierOnboardingUseCases { SupplierOnboardingUseCases(services.accountEnvironment) }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.supplierInvitation.pattern, use: invitationPage)
        pages.post(PageRoute.supplierInvitation.pattern, use: invitationPost)
        pages.get(PageRoute.customers(org: .key).pattern, use: customers)
        pages.post(PageRoute.grantCustomerConsent(org: .key, customer: .key).pattern, use: grantConsent)
        pages.post(PageRoute.withdrawCustomerConsent(org: .key, customer: .key).pattern, use: withdrawConsent)
        pages.get(PageRoute.attestations(org: .key).pattern, use: attestations)
        pages.post(PageRoute.attestations(org: .key).pattern, use: issue)
        pages.get(PageRoute.attestationPreview(org: .key).pattern, use: preview)
        pages.get(PageRoute.attestationFile(org: .key, attestation: .key).pattern, use: attestationFile)
        pages.get(PageRoute.signingKeysFile(org: .key).pattern, use: signingKeysFile)
    }

    // MARK: a customer's invitation

    /// Why an invitation cannot be used or accepted, in the viewer's language, with the HTTP status to answer.
    func problem(_ e: RelationshipError, _ lang: Language) -> (String, HTTPResponse.Status)? {
        let t = web.messages
        switch e {
        case .unknownInvitation: return (t.text("customer_invitation_unknown", lang), .notFound)
        case .invitationExpired: return (t.text("customer_invitation_expired", lang), .gone)
        case .invitationUsed(_, let byYou):
            return (t.text(byYou ? "customer_invitation_used_by_you" : "customer_invitation_used", lang), .conflict)
        case .ownInvitation: return (t.text("customer_invitation_own", lang), .badRequest)
        case .alreadyLinked(let customer): return (t.text("customer_invitation_linked", lang, ["customer": customer]), .conflict)
        case .wouldCloseCycle(let path):
            let names = path.map { $0 == SupplierOnboardingUseCases.hiddenOrganization ? t.text("customer_hidden_organization", lang) : $0 }
            return (t.text("customer_invitation_cycle", lang, ["path": names.joined(separator: " → ")]), .conflict)
        default: return nil
        }
    }

    func invitationPage(_ request: Request, context: AppContext) async throws -> Response {
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        return try await invitationView(request, context: context, token: token, input: WebForm(), errors: [:])
    }

    /// The offer and the ways to accept it; a page that says why when the link cannot be used.
    func invitationView(_ request: Request, context: AppContext, token: String, input: WebForm, errors: [String: String],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let (viewer, locale) = try await web.viewerIfSignedIn(request, context: context)
        let lang = locale.language
        let title = web.messages.text("customer_invitation_title", lang)
        let offer: SupplierInvitationOffer
        do {
            offer = try await onboarding.offer(token: token)
        } catch let e as RelationshipError {
            guard let (text, problemStatus) = problem(e, lang) else { throw e }
            return web.page("customer-invitation", title: title, model: SupplierInvitationPage(offer: nil, problem: text), locale: locale,
                            viewer: viewer, status: problemStatus)
        }
        var choices: [SelectOption] = []
        if let viewer {
            let chosen = input["organization"]
            choices = try await AccountUseCases(services.accountEnvironment).organizations(of: viewer.user)
                .filter { $0.1.allows(.manageSuppliers) }
                .map { SelectOption(value: $0.0.id, label: $0.0.name, selected: $0.0.id == chosen) }
        }
        let model = SupplierInvitationPage.Offer(
            action: PageRoute.supplierInvitation.path, token: token, customer: offer.customerName,
            expires: locale.dateTime(offer.invitation.expiresAt), note: offer.invitation.note.isEmpty ? nil : offer.invitation.note,
            signedIn: viewer != nil, organizations: choices, hasOrganizations: !choices.isEmpty,
            loginURL: PageRoute.login(returningTo: PageRoute.supplierInvitation.path + "?token="
                                      + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
            email: input["email"], displayName: input["display_name"], organizationName: input["organization_name"],
            passwordLabel: web.messages.text("field_new_password", lang, ["minimum": "\(PasswordPolicy.minimumLength)"]),
            errors: errors, hasErrors: !errors.isEmpty)
        return web.page("customer-invitation", title: title, model: SupplierInvitationPage(offer: model, problem: nil), locale: locale,
                        viewer: viewer, status: status)
    }

    /// Signed in: accept for a chosen organization (owner or admin there) or a new one. Not signed in: create the
    /// account and its organization, which accepts; then sign in and enrol an authenticator.
    func invitationPost(_ request: Request, context: AppContext) async throws -> Response {
        guard context.identity != nil else { return try await acceptWithNewAccount(request, context: context) }
        let viewer = try await web.viewer(request, context: context)
        let form = try await web.postedForm(request, viewer: viewer)
        let lang = viewer.language
        let token = form["token"]
        var errors: [String: String] = [:]
        do {
            if form["mode"] == "new" {
                guard !form["organization_name"].trimmed.isEmpty else {
                    errors["organization_name"] = web.messages.text("error_required", lang)
                    return try await invitationView(request, context: context, token: token, input: form, errors: errors,
                                                    status: .badRequest)
                }
                let (org, _) = try await onboarding.acceptAsNewOrganization(token: token, user: viewer.user,
                                                                            organization: form["organization_name"],
                                                                            sourceIP: context.sourceIP)
                return WebApp.redirect(PageRoute.customers(org: org.id).path + "?notice=customer_linked")
            }
            guard !form["organization"].isEmpty else {
                errors["organization"] = web.messages.text("error_choice", lang)
                return try await invitationView(request, context: context, token: token, input: form, errors: errors, status: .badRequest)
            }
            // The one membership check, for the organization chosen in the form: another organization's id gets the
            // not-found page, a role below admin the permission page.
            let member = try await services.member(context, try plainText(form["organization"], field: "organization"), .manageSuppliers)
            _ = try await services.supplierLinks(member).accept(token: token)
            return WebApp.redirect(PageRoute.customers(org: member.organization.id).path + "?notice=customer_linked")
        } catch let e as RelationshipError {
            guard let (text, status) = problem(e, lang) else { throw e }
            errors["form"] = text
            // The form again while the invitation is still open (an own invitation, a link that exists, a cycle),
            // else the page that says why it cannot be used.
            return try await invitationView(request, context: context, token: token, input: form, errors: errors, status: status)
        }
    }

    func acceptWithNewAccount(_ request: Request, context: AppContext) async throws -> Response {
        // No session to carry a CSRF token: the invitation token itself is the secret this form needs.
        let form = try await WebForm.read(request, limit: 16 * 1024)
        let locale = try await web.locale(request, context: context)
        let lang = locale.language
        var errors: [String: String] = [:]
        if form["display_name"].trimmed.isEmpty { errors["display_name"] = web.messages.text("error_required", lang) }
        if form["organization_name"].trimmed.isEmpty { errors["organization_name"] = web.messages.text("error_required", lang) }
        let email = try? AccountUseCases.normalizedEmail(form["email"])
        if email == nil { errors["email"] = web.messages.text("error_email", lang) }
        if form["password"] != form["password_again"] {
            errors["password"] = web.messages.text("setup_error_mismatch", lang)
        } else if let problem = PasswordPolicy.standard.check(form["password"], email: email ?? "",
                                                              displayName: form["display_name"].trimmed).first {
            errors["password"] = problem.message[lang]
        }
        var status = HTTPResponse.Status.badRequest
        if errors.isEmpty {
            do {
                _ = try await onboarding.acceptCreatingAccount(token: form["token"], email: email ?? "", displayName: form["display_name"],
                                                               password: form["password"], organization: form["organization_name"],
                                                               sourceIP: context.sourceIP)
                return WebApp.redirect(PageRoute.login.path + "?notice=customer_account_created")
            } catch AccountError.emailTaken {
                errors["email"] = web.messages.text("customer_invitation_email_taken", lang)
                status = .conflict
            } catch AccountError.weakPassword(let problem) {
                // The new organization's owner gets the administrator check in the use case, stricter than the form's.
                errors["password"] = problem.message[lang]
            } catch let e as RelationshipError {
                guard let (text, problemStatus) = problem(e, lang) else { throw e }
                errors["form"] = text
                status = problemStatus
            }
        }
        return try await invitationView(request, context: context, token: form["token"], input: form, errors: errors, status: status)
    }

    // MARK: customers

    func customers(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await customersView(page, request: request, error: nil)
    }

    func minimumText(_ stored: String, _ lang: Language) -> String {
        switch FlowDownRequirement.Minimum(storedText: stored) {
        case .sprsAtLeast(let n)?: return web.messages.text("customer_minimum_sprs", lang, ["score": "\(n)"])
        case .allMet?: return web.messages.text("customer_minimum_all_met", lang)
        case .cmmcLevel2?: return web.messages.text("customer_minimum_cmmc_l2", lang)
        case nil: return stored
        }
    }

    func dayText(_ text: String, _ locale: WebLocale) -> String { Day(text).map(locale.day) ?? text }

    func customersView(_ page: OrgPage, request: Request, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, locale = page.viewer.locale, t = web.messages
        let side = try await SupplierSideQueries(services.tenantEnvironment, page.member.scope).supplierSide()
        let requirements = side.customers.flatMap { c in c.requirements.map { (c.customer.name, $0) } }
            .sorted { ($0.1.listing.record.dueOn, $0.0) < ($1.1.listing.record.dueOn, $1.0) }
            .map { name, r in
                let record = r.listing.record
                return CustomersPage.Requirement(
                    customer: name, minimum: minimumText(record.minimum, lang), catalog: record.catalog, due: dayText(record.dueOn, locale),
                    status: r.standing.kind.label[lang], statusKey: r.standing.kind.rawValue, overdue: r.standing.overdue,
                    shortfalls: r.standing.shortfalls.map { $0.text(lang) }, mustFlowDown: record.mustFlowDown != 0)
            }
        let customers = side.customers.map { c in
            let consentKey = c.consent.map { $0.onward != 0 ? "customer_consent_onward" : "customer_consent_granted" }
                ?? (c.seesDetail ? "customer_consent_through_onward" : "customer_consent_none")
            return CustomersPage.Customer(
                name: c.customer.name,
                linked: Timestamp.date(c.customer.linkedAt).map { locale.day(Day($0, in: locale.timeZone)) } ?? c.customer.linkedAt,
                consent: t.text(consentKey, lang), shared: c.seesDetail,
                granted: c.consent != nil, onward: c.consent?.onward ?? 0 != 0,
                grantURL: PageRoute.grantCustomerConsent(org: page.org, customer: c.customer.id).path,
                withdrawURL: PageRoute.withdrawCustomerConsent(org: page.org, customer: c.customer.id).path,
                grantLabel: t.text(c.consent == nil ? "customer_consent_grant_for" : "customer_consent_change_for", lang,
                                   ["customer": c.customer.name]),
                withdrawLabel: t.text("customer_consent_withdraw_for", lang, ["customer": c.customer.name]),
                unmet: c.unmet, overdue: c.overdue)
        }
        let unmet = side.customers.reduce(0) { $0 + $1.unmet }, overdue = side.customers.reduce(0) { $0 + $1.overdue }
        let model = CustomersPage(
            customers: customers, hasCustomers: !customers.isEmpty, requirements: requirements, hasRequirements: !requirements.isEmpty,
            summary: t.text("customer_summary", lang, ["customers": "\(customers.count)", "requirements": "\(requirements.count)",
                                                       "unmet": "\(unmet)", "overdue": "\(overdue)"]),
            otherGrants: side.otherGrants.map {
                .init(viewer: $0.viewerId, onward: $0.onward != 0,
                      withdrawURL: PageRoute.withdrawCustomerConsent(org: page.org, customer: $0.viewerId).path)
            },
            hasOtherGrants: !side.otherGrants.isEmpty, canManageConsent: page.member.role.allows(.manageConsent),
            attestationsURL: PageRoute.attestations(org: page.org).path, error: error)
        return web.orgView("customer-list", page, titleKey: "customer_title", section: "customers", model: model, request: request,
                           status: status)
    }

    /// Grants (or changes) consent to a customer, effective at once; `onward` lets it pass the detail on.
    func grantConsent(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageConsent)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let customer = try plainText(try context.parameters.require("customer"), field: "customer")
        do {
            _ = try await services.consent(page.member).grant(viewer: customer, onward: form["onward"] == "1")
        } catch let e as ConsentError {
            return try await customersView(page, request: request, error: consentMessage(e, page.language), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.customers(org: page.org).path + "?notice=customer_consent_granted")
    }

    /// Withdraws consent; the customer loses the detail when this commits.
    func withdrawConsent(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageConsent)
        _ = try await web.postedForm(request, viewer: page.viewer)
        let customer = try plainText(try context.parameters.require("customer"), field: "customer")
        do {
            try await services.consent(page.member).withdraw(viewer: customer)
        } catch let e as ConsentError {
            return try await customersView(page, request: request, error: consentMessage(e, page.language), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.customers(org: page.org).path + "?notice=customer_consent_withdrawn")
    }

    /// An unknown organization and one outside the supply chain get the same words (as in the API).
    func consentMessage(_ e: ConsentError, _ lang: Language) -> String {
        switch e {
        case .selfGrant: return web.messages.text("customer_consent_error_self", lang)
        case .unknownOrganization, .notUpstream: return web.messages.text("customer_consent_error_not_customer", lang)
        case .notGranted: return web.messages.text("customer_consent_error_not_granted", lang)
        }
    }

    // MARK: attestations

    func attestations(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await attestationsView(page, request: request, input: nil, error: nil)
    }

    struct IssueInput {
        let assessment: String
        let detail: String
        let systemScope: String

        init(assessment: String, detail: String, systemScope: String) {
            self.assessment = assessment
            self.detail = detail
            self.systemScope = systemScope
        }

        /// The scope as the use case takes it: nil (the system's name) when left empty.
        var scope: String? { systemScope.trimmed.isEmpty ? nil : systemScope }
    }

    func attestationsView(_ page: OrgPage, request: Request, input: IssueInput?, error: String?,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, locale = page.viewer.locale
        let uses = services.attestationUseCases(page.member)
        let history = try await uses.history()
        let payloads = try history.map { try $0.attestationPayload() }
        let today = page.member.scope.calendar.today(services.clock)
        let rows = zip(history, payloads).map { r, p in
            let validity = p.validity(at: today, among: payloads)
            return AttestationsPage.Attestation(
                issued: locale.dateTime(r.issuedAt), expires: dayText(r.expiresAt, locale), score: r.sprsScore.map(String.init) ?? "—",
                scope: p.systemScope, detail: p.detailLevel.label[lang], validity: validity.label[lang], validityKey: validity.rawValue,
                fileURL: PageRoute.attestationFile(org: page.org, attestation: r.id).path)
        }
        let keys = try await uses.publicKeys().map {
            AttestationsPage.Key(keyID: $0.keyID, publicKey: $0.publicKey, created: locale.dateTime($0.createdAt),
                                 retired: $0.retiredAt.map(locale.dateTime))
        }
        let canIssue = page.member.role.allows(.issueAttestations)
        var options: [SelectOption] = []
        if canIssue {
            let reads = services.reads(page.member)
            let systems = Dictionary(try await reads.systems().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            options = try await reads.assessments().map { a in
                SelectOption(value: a.id, label: web.messages.text("customer_assessment_option", lang, [
                    "system": systems[a.systemId] ?? a.systemId, "date": dayText(a.assessedOn, locale), "catalog": a.catalog,
                ]), selected: a.id == input?.assessment)
            }
        }
        let detail = input?.detail ?? DetailLevel.summary.rawValue
        let model = AttestationsPage(
            attestations: rows, hasAttestations: !rows.isEmpty, keys: keys, hasKeys: !keys.isEmpty,
            keysURL: PageRoute.signingKeysFile(org: page.org).path, canIssue: canIssue,
            previewAction: PageRoute.attestationPreview(org: page.org).path, assessments: options, hasAssessments: !options.isEmpty,
            details: DetailLevel.allCases.map { .init(value: $0.rawValue, label: $0.label[lang], selected: $0.rawValue == detail) },
            systemScope: input?.systemScope ?? "", customersURL: PageRoute.customers(org: page.org).path, error: error)
        return web.orgView("customer-attestations", page, titleKey: "customer_attestations_title", section: "customers", model: model,
                           request: request, status: status)
    }

    /// The refusal of an attestation (preview or signing) in the viewer's language; nil for what is not the user's
    /// to fix (the page error middleware reports it).
    func attestationMessage(_ error: any Error, _ lang: Language) -> String? {
        switch error {
        case let e as SupplyChainRuleError:
            switch e {
            case .unknownAssessment: return web.messages.text("customer_attest_error_assessment", lang)
            case .badDetail: return web.messages.text("error_choice", lang)
            case .emptySystemScope: return web.messages.text("customer_attest_error_scope", lang)
            default: return nil
            }
        case let e as SupplyChainError:
            return web.messages.text("customer_attest_error_payload", lang, ["reason": e.message(in: lang)])
        default: return nil
        }
    }

    /// What signing would put in the attestation and what each customer will see, with the confirm form.
    func preview(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .issueAttestations)
        let lang = page.language, locale = page.viewer.locale, t = web.messages
        let q = request.uri.queryParameters
        let input = IssueInput(assessment: try plainText(q["assessment"].map(String.init) ?? "", field: "assessment"),
                               detail: try plainText(q["detail"].map(String.init) ?? DetailLevel.summary.rawValue, field: "detail"),
                               systemScope: try plainText(q["scope"].map(String.init) ?? "", field: "scope"))
        let preview: AttestationPreview
        do {
            preview = try await SupplierSideQueries(services.tenantEnvironment, page.member.scope)
                .preview(assessmentID: input.assessment, detail: input.detail, systemScope: input.scope)
        } catch {
            guard let message = attestationMessage(error, lang) else { throw error }
            return try await attestationsView(page, request: request, input: input, error: message, status: .badRequest)
        }
        let p = preview.payload
        let none = t.text("customer_none", lang)
        let cmmc = p.cmmcStatus.map { t.text("customer_cmmc_\($0.replacingOccurrences(of: "-", with: "_"))", lang) } ?? none
        var facts: [(String, String)] = [
            ("customer_fact_organization", p.organization.name),
            ("customer_fact_identifiers", ([p.organization.id] + p.organization.cageCodes.map { "CAGE \($0)" }
                + [p.organization.uei.map { "UEI \($0)" }, p.organization.corporateNumber.map { t.text("customer_corporate_number", lang) + " \($0)" }]
                .compactMap { $0 }).joined(separator: " / ")),
            ("customer_fact_scope", p.systemScope),
            ("customer_fact_kind", p.assessmentKind.label[lang]),
            ("customer_fact_assessed", locale.day(p.assessmentDate)),
            ("customer_fact_catalog", p.catalog.rawValue),
            ("customer_fact_score", p.sprsScore.map(String.init) ?? none),
            ("customer_fact_cmmc", cmmc),
            ("customer_fact_totals", t.text("customer_totals", lang, ["met": "\(p.totals.met)", "not_met": "\(p.totals.notMet)",
                                                                      "na": "\(p.totals.notApplicable)", "unassessed": "\(p.totals.notAssessed)"])),
            ("customer_fact_detail", p.detailLevel.label[lang]),
            ("customer_fact_expires", locale.day(p.expiresAt)),
        ]
        if let due = p.cmmcCloseoutDue { facts.append(("customer_fact_closeout", locale.day(due))) }
        if let done = p.poamCompletionDate { facts.append(("customer_fact_poam", locale.day(done))) }
        facts.append(("customer_fact_supersedes", p.supersedes == nil ? none : t.text("customer_supersedes_current", lang)))
        facts.append(("cloud_chain_fact_services", p.cloudServices.map { $0.map(\.description).joined(separator: ", ") } ?? none))
        let catalog = try? services.library.catalog(p.catalog)
        let families = (p.families ?? []).map { f in
            let title = catalog?.families.first { $0.id == f.family }?.title[lang]
            return AttestationPreviewPage.FamilyRow(family: title.map { "\(f.family) \($0)" } ?? f.family, met: f.met, notMet: f.notMet,
                                                    notApplicable: f.notApplicable, notAssessed: f.notAssessed)
        }
        let customers = preview.customers.map { c in
            let why = c.consent.map { t.text($0.onward != 0 ? "customer_preview_sees_onward" : "customer_preview_sees", lang) }
                ?? t.text(c.seesDetail ? "customer_preview_sees_through" : "customer_preview_hidden", lang)
            let requirements = c.requirements.map { r in
                AttestationPreviewPage.Requirement(minimum: minimumText(r.listing.record.minimum, lang), due: dayText(r.listing.record.dueOn, locale),
                                                   status: r.standing.kind.label[lang], statusKey: r.standing.kind.rawValue,
                                                   overdue: r.standing.overdue)
            }
            return AttestationPreviewPage.Customer(name: c.customer.name, sees: c.seesDetail, why: why, requirements: requirements,
                                                   hasRequirements: !requirements.isEmpty)
        }
        let model = AttestationPreviewPage(
            facts: facts.map { .init(label: t.text($0.0, lang), value: $0.1) },
            signedJSON: String(decoding: try p.canonicalBytes(), as: UTF8.self), families: families, hasFamilies: !families.isEmpty,
            customers: customers, hasCustomers: !customers.isEmpty, action: PageRoute.attestations(org: page.org).path,
            assessment: input.assessment, detail: input.detail, systemScope: input.systemScope,
            backURL: PageRoute.attestations(org: page.org).path)
        return web.orgView("customer-preview", page, titleKey: "customer_preview_title", section: "customers", model: model, request: request)
    }

    /// Signs the attestation the preview showed (the confirm step's form).
    func issue(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .issueAttestations)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let input = IssueInput(assessment: form["assessment"], detail: form["detail"], systemScope: form["scope"])
        do {
            _ = try await services.attestationUseCases(page.member).issue(assessmentID: input.assessment, detail: input.detail,
                                                                           systemScope: input.scope)
        } catch {
            guard let message = attestationMessage(error, page.language) else { throw error }
            return try await attestationsView(page, request: request, input: input, error: message, status: .badRequest)
        }
        return WebApp.redirect(PageRoute.attestations(org: page.org).path + "?notice=customer_attestation_signed")
    }

    /// The signed file of one of the organization's attestations (verify it with `tekigo attest verify FILE`).
    func attestationFile(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let id = try plainText(try context.parameters.require("attestation"), field: "attestation")
        return AttestationRoutes.file(try await services.attestationUseCases(page.member).export(id: id), name: "attestation-\(id).json")
    }

    /// The organization's published signing keys, active and retired: what a customer trusts (`--trusted-key`).
    func signingKeysFile(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        struct KeysFile: Encodable {
            let organizationId: String
            let organizationName: String
            let keys: [PublishedKeyView]
        }
        let keys = try await services.attestationUseCases(page.member).publicKeys().map(PublishedKeyView.init)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(KeysFile(organizationId: page.org, organizationName: page.member.organization.name, keys: keys))
        return AttestationRoutes.file(data, name: "signing-keys-\(page.org).json")
    }
}
