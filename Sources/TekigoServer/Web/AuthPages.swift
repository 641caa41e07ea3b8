import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoQR
import TekigoStore
import TekigoUseCases

/// Signing in (password, then the second factor), signing out, enrolling an authenticator, and the user's own
/// settings (language, time zone). Forms post and redirect; no JavaScript is needed.
struct AuthPages {
    let web: WebApp
    static let formCSRFCookie = "tekigo_form_csrf"
    var services: Services { web.services }
    var account: AccountRoutes { AccountRoutes(services: services) }
    var secondFactor: SecondFactorUseCases { SecondFactorUseCases(services.accountEnvironment) }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.home.pattern, use: home)
        pages.get(PageRoute.login.pattern, use: loginPage)
        pages.post(PageRoute.login.pattern, use: loginPost)
        pages.get(PageRoute.loginSecondFactor.pattern, use: secondFactorPage)
        pages.post(PageRoute.loginSecondFactor.pattern, use: secondFactorPost)
        pages.post(PageRoute.logout.pattern, use: logout)
        pages.get(PageRoute.enrolMFA.pattern, use: enrolPage)
        pages.post(PageRoute.enrolMFA.pattern, use: enrolPost)
        pages.get(PageRoute.settings.pattern, use: settingsPage)
        pages.post(PageRoute.settings.pattern, use: settingsPost)
        pages.get("/static/:file", use: staticFile)
        pages.get(PageRoute.setup.pattern, use: setupPage)
        pages.post(PageRoute.setup.pattern, use: setupPost)
        pages.get(PageRoute.acceptInvitation.pattern, use: invitationPage)
        pages.post(PageRoute.acceptInvitation.pattern, use: invitationPost)
    }

    /// Signed in: the first organization's dashboard (or the list when there are several); otherwise sign-in.
    func home(_ request: Request, context: AppContext) async throws -> Response {
        guard context.identity != nil else {
            let locale = try await web.locale(request, context: context)
            return web.page("landing", title: web.messages.text("landing_title", locale.language),
                            model: LandingPage(loginURL: PageRoute.login.path), locale: locale, viewer: nil)
        }
        let viewer = try await web.viewer(request, context: context)
        let orgs = try await AccountUseCases(services.accountEnvironment).organizations(of: viewer.user)
        if orgs.count == 1 { return WebApp.redirect(PageRoute.organization(org: orgs[0].0.id).path) }
        let t = web.messages.table(viewer.language)
        let model = OrganizationsPage(organizations: orgs.map {
            .init(name: $0.0.name, url: PageRoute.organization(org: $0.0.id).path, role: $0.1.label[viewer.language])
        })
        return web.page("organizations", title: t["organizations_title"] ?? "", model: model, locale: viewer.locale, viewer: viewer)
    }

    // MARK: sign-in

    func loginPage(_ request: Request, context: AppContext) async throws -> Response {
        let locale = try await web.locale(request, context: context)
        return try loginForm(locale: locale, email: "", error: nil, notice: web.notice(request, locale), next: Self.next(request))
    }

    /// The page to go on to after signing in (`?next=`, checked by `PageRoute.returnPath`); nil: the home page.
    static func next(_ request: Request) -> String? {
        PageRoute.returnPath(request.uri.queryParameters["next"].flatMap { String($0).removingPercentEncoding })
    }

    /// `base` carrying `next` on to the following step of signing in.
    static func passing(_ base: String, next: String?) -> String {
        guard let next, let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return base }
        return base + "?next=" + encoded
    }

    /// A double-submit CSRF token (SameSite=Strict cookie + the same value in the form): there is no session yet.
    func loginForm(locale: WebLocale, email: String, error: String?, notice: String? = nil, next: String? = nil,
                   status: HTTPResponse.Status = .ok) throws -> Response {
        let token = SecureRandom.token(bytes: 24)
        let cookie = try Cookie.validated(name: Self.formCSRFCookie, value: token, maxAge: 3600, path: PageRoute.login.path,
                                          secure: services.config.secureCookies, httpOnly: true, sameSite: .strict)
        return web.page("login", title: web.messages.text("login_title", locale.language),
                        model: LoginPage(formCSRF: token, email: email, error: error, action: Self.passing(PageRoute.login.path, next: next)),
                        locale: locale, viewer: nil, notice: notice, status: status, cookies: [cookie])
    }

    func loginPost(_ request: Request, context: AppContext) async throws -> Response {
        let locale = try await web.locale(request, context: context)
        let lang = locale.language
        let form: WebForm
        do { form = try await WebForm.read(request, limit: 16 * 1024) } catch WebError.badForm {
            return try loginForm(locale: locale, email: "", error: web.messages.text("login_error_characters", lang), status: .badRequest)
        }
        let email = form["email"], next = Self.next(request)
        guard let cookie = request.cookies[Self.formCSRFCookie]?.value, SecureRandom.constantTimeEquals(cookie, form["csrf"]) else {
            return try loginForm(locale: locale, email: email, error: web.messages.text("login_error_expired", lang), next: next,
                                 status: .forbidden)
        }
        let code = form["code"].trimmed.isEmpty ? nil : form["code"]
        do {
            let (view, sessionCookie) = try await account.signIn(email: email, password: form["password"], code: code, recoveryCode: nil,
                                                                 request: request, context: context, pendingSecondFactor: true)
            var response = WebApp.redirect(view.mfaPassed ? (view.mfaEnrollmentRequired ? PageRoute.enrolMFA.path : next ?? PageRoute.home.path)
                                                          : Self.passing(PageRoute.loginSecondFactor.path, next: next))
            response.setCookie(sessionCookie)
            return response
        } catch let e as AccountError {
            switch e {
            case .locked, .rateLimited:
                return try loginForm(locale: locale, email: email, error: web.messages.text("login_error_locked", lang), next: next,
                                     status: .tooManyRequests)
            default:
                return try loginForm(locale: locale, email: email, error: web.messages.text("login_error_wrong", lang), next: next,
                                     status: .badRequest)
            }
        }
    }

    func secondFactorPage(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context, stage: .secondFactorPending)
        if viewer.session.mfaPassed != 0 { return WebApp.redirect(Self.next(request) ?? PageRoute.home.path) }
        return secondFactorForm(viewer, error: nil, next: Self.next(request))
    }

    func secondFactorForm(_ viewer: Viewer, error: String?, next: String?, status: HTTPResponse.Status = .ok) -> Response {
        web.page("login-mfa", title: web.messages.text("mfa_challenge_title", viewer.language),
                 model: SecondFactorPage(action: Self.passing(PageRoute.loginSecondFactor.path, next: next), error: error),
                 locale: viewer.locale, viewer: viewer, status: status)
    }

    func secondFactorPost(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context, stage: .secondFactorPending)
        let form = try await web.postedForm(request, viewer: viewer)
        let code = form["code"].trimmed, recovery = form["recovery_code"].trimmed, next = Self.next(request)
        guard !code.isEmpty || !recovery.isEmpty else {
            return secondFactorForm(viewer, error: web.messages.text("mfa_error_empty", viewer.language), next: next, status: .badRequest)
        }
        do {
            try await secondFactor.pass(session: viewer.session, user: viewer.user, code: code.isEmpty ? nil : code,
                                        recoveryCode: recovery.isEmpty ? nil : recovery, sourceIP: context.sourceIP)
        } catch AccountError.locked {
            // The lockout ended the half-signed-in session too.
            return WebApp.redirect(PageRoute.login.path + "?notice=locked")
        } catch let e as AccountError {
            return secondFactorForm(viewer, error: web.messages.text(e == .rateLimited ? "login_error_locked" : "mfa_error_wrong",
                                                                     viewer.language), next: next, status: .badRequest)
        }
        return WebApp.redirect(next ?? PageRoute.home.path)
    }

    func logout(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context, stage: .secondFactorPending)
        _ = try await web.postedForm(request, viewer: viewer)
        try await AccountUseCases(services.accountEnvironment).signOut(sessionToken: request.cookies[Services.sessionCookie]?.value ?? "",
                                                                       actor: Actor(id: viewer.user.id, sourceIP: context.sourceIP))
        var response = WebApp.redirect(PageRoute.login.path + "?notice=signed_out")
        response.setCookie(try account.sessionCookie("", maxAge: 0))
        return response
    }

    // MARK: MFA enrolment (SP 800-171 3.5.3)

    func enrolPage(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context, stage: .enrolling)
        return enrolView(viewer, enrollment: nil, error: nil)
    }

    func enrolView(_ viewer: Viewer, enrollment: MFAEnrollment?, error: String?, recoveryCodes: [String]? = nil,
                   status: HTTPResponse.Status = .ok) -> Response {
        let grouped = enrollment.map { e in
            stride(from: 0, to: e.secret.count, by: 4).map { i -> String in
                let start = e.secret.index(e.secret.startIndex, offsetBy: i)
                return String(e.secret[start..<(e.secret.index(start, offsetBy: 4, limitedBy: e.secret.endIndex) ?? e.secret.endIndex)])
            }.joined(separator: " ")
        }
        // The QR code of the otpauth:// URI for the app to scan (issue 17 item 6); the key and the URI stay on the page as
        // text for whoever types them. Only an address of some 250 non-ASCII characters, percent-encoded, passes the
        // 2,331 bytes of the largest code: the picture is then left out and the text remains.
        let qr = enrollment.flatMap { try? QRCode(text: $0.otpauthURI) }?
            .svg(label: web.messages.text("mfa_qr_label", viewer.language))
        let model = EnrolPage(action: PageRoute.enrolMFA.path, enabled: viewer.user.hasMFA && recoveryCodes == nil, secret: grouped,
                              secretRaw: enrollment?.secret, otpauth: enrollment?.otpauthURI, qrSVG: qr, error: error,
                              recoveryList: recoveryCodes, hasRecovery: recoveryCodes != nil, continueURL: PageRoute.home.path)
        return web.page("mfa-enrol", title: web.messages.text("mfa_enrol_title", viewer.language), model: model, locale: viewer.locale,
                        viewer: viewer, status: status)
    }

    func enrolPost(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context, stage: .enrolling)
        let form = try await web.postedForm(request, viewer: viewer)
        if form["step"] == "confirm" {
            do {
                let codes = try await secondFactor.confirm(user: viewer.user, session: viewer.session, code: form["code"].trimmed,
                                                           sourceIP: context.sourceIP)
                return enrolView(viewer, enrollment: nil, error: nil, recoveryCodes: codes)
            } catch AccountError.locked {
                try await AccountUseCases(services.accountEnvironment).endLockedSession(idHash: viewer.session.idHash)
                return WebApp.redirect(PageRoute.login.path + "?notice=locked")
            } catch AccountError.wrongEnrolmentCode {
                let pending = try await secondFactor.pending(user: viewer.user)
                return enrolView(viewer, enrollment: pending.map { MFAEnrollment(secret: $0.secret, otpauthURI: $0.otpauthURI) },
                                 error: web.messages.text("mfa_error_wrong", viewer.language), status: .badRequest)
            }
        }
        // The page starts enrolment only for an account without an active authenticator (it offers no button to
        // replace one; a crafted post gets the page). The API may start a replacement: it stays pending until confirmed.
        guard !viewer.user.hasMFA else { return enrolView(viewer, enrollment: nil, error: nil) }
        let e = try await secondFactor.start(user: viewer.user, session: viewer.session)
        return enrolView(viewer, enrollment: MFAEnrollment(secret: e.secret, otpauthURI: e.otpauthURI), error: nil)
    }

    // MARK: settings

    static let timeZones = ["Asia/Tokyo", "UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                            "Pacific/Honolulu", "Europe/London", "Asia/Seoul", "Asia/Singapore", "Australia/Sydney"]

    func settingsPage(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context)
        return settingsView(viewer, language: viewer.language.rawValue, timeZone: viewer.locale.timeZone.identifier, error: nil,
                            notice: web.notice(request, viewer.locale))
    }

    func settingsView(_ viewer: Viewer, language: String, timeZone: String, error: String?, notice: String?,
                      status: HTTPResponse.Status = .ok) -> Response {
        let t = web.messages.table(viewer.language)
        var zones = Self.timeZones
        if !zones.contains(timeZone) { zones.append(timeZone) }
        let model = SettingsPage(
            action: PageRoute.settings.path, error: error,
            languages: Language.allCases.map {
                .init(value: $0.rawValue, label: t["language_\($0.rawValue)"] ?? $0.rawValue, selected: $0.rawValue == language)
            },
            zones: zones.map { .init(value: $0, selected: $0 == timeZone) }, mfaURL: PageRoute.enrolMFA.path)
        return web.page("settings", title: t["settings_title"] ?? "", model: model, locale: viewer.locale, viewer: viewer,
                        notice: notice, status: status)
    }

    func settingsPost(_ request: Request, context: AppContext) async throws -> Response {
        let viewer = try await web.viewer(request, context: context)
        let form = try await web.postedForm(request, viewer: viewer)
        do {
            _ = try await SettingsUseCases(services.accountEnvironment)
                .save(user: viewer.user, language: form["language"], timeZone: form["time_zone"],
                      by: Actor(id: viewer.user.id, sourceIP: context.sourceIP))
        } catch let e as SettingsError {
            let key = e == .unknownLanguage(form["language"]) ? "settings_error_language" : "settings_error_zone"
            return settingsView(viewer, language: form["language"], timeZone: form["time_zone"],
                                error: web.messages.text(key, viewer.language), notice: nil, status: .badRequest)
        }
        return WebApp.redirect(PageRoute.settings.path + "?notice=saved")
    }

    // MARK: first-run setup (the one-time link `tekigo serve` prints on an empty database)

    func setupPage(_ request: Request, context: AppContext) async throws -> Response {
        let locale = try await web.locale(request, context: context)
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        return setupView(locale, token: token, input: WebForm(), errors: [:])
    }

    func setupView(_ locale: WebLocale, token: String, input: WebForm, errors: [String: String],
                   status: HTTPResponse.Status = .ok) -> Response {
        let model = SetupPage(
            action: PageRoute.setup.path, token: token, organization: input["organization"], displayName: input["display_name"],
            email: input["email"], errors: errors, hasErrors: !errors.isEmpty,
            passwordLabel: web.messages.text("field_new_password", locale.language, ["minimum": "\(PasswordPolicy.minimumLength)"]))
        return web.page("setup", title: web.messages.text("setup_title", locale.language), model: model, locale: locale, viewer: nil,
                        status: status)
    }

    func setupPost(_ request: Request, context: AppContext) async throws -> Response {
        let locale = try await web.locale(request, context: context)
        let lang = locale.language
        let form = try await WebForm.read(request, limit: 16 * 1024)
        var errors: [String: String] = [:]
        if form["organization"].trimmed.isEmpty { errors["organization"] = web.messages.text("error_required", lang) }
        if form["display_name"].trimmed.isEmpty { errors["display_name"] = web.messages.text("error_required", lang) }
        let email = try? AccountUseCases.normalizedEmail(form["email"])
        if email == nil { errors["email"] = web.messages.text("error_email", lang) }
        if form["password"] != form["password_again"] {
            errors["password"] = web.messages.text("setup_error_mismatch", lang)
        } else if let problem = PasswordPolicy.standard.check(form["password"], email: email ?? "", displayName: form["display_name"].trimmed).first {
            errors["password"] = problem.message[lang]
        }
        if errors.isEmpty {
            do {
                _ = try await AccountUseCases(services.accountEnvironment).createAccountWithSetupLink(
                    token: form["token"], email: email ?? "", password: form["password"], displayName: form["display_name"],
                    organization: form["organization"], sourceIP: context.sourceIP)
                return WebApp.redirect(PageRoute.login.path + "?notice=setup_done")
            } catch AccountError.setupLinkInvalid {
                errors["form"] = web.messages.text("setup_error_token", lang)
            } catch AccountError.emailTaken {
                errors["email"] = web.messages.text("setup_error_exists", lang)
            } catch AccountError.weakPassword(let problem) {
                // The owner's password gets the administrator check in the use case, stricter than the form's.
                errors["password"] = problem.message[lang]
            }
        }
        return setupView(locale, token: form["token"], input: form, errors: errors, status: .badRequest)
    }

    // MARK: accepting an invitation into an organization

    /// Signed in (second factor passed, authenticator enrolled): a button to join. Not signed in: create the account
    /// with the invited address, or sign in first and open the link again.
    func invitationPage(_ request: Request, context: AppContext) async throws -> Response {
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        return try await invitationView(request, context: context, token: token, input: WebForm(), errors: [:])
    }

    func invitationView(_ request: Request, context: AppContext, token: String, input: WebForm, errors: [String: String],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let (viewer, locale) = try await web.viewerIfSignedIn(request, context: context)
        let lang = locale.language
        let title = web.messages.text("invitation_title", lang)
        guard let (invitation, org, hasAccount) = try await MembershipUseCases(services.accountEnvironment).invitationView(token: token) else {
            return web.page("invitation", title: title, model: InvitationPage(offer: nil), locale: locale, viewer: viewer,
                            status: .notFound)
        }
        let offer = InvitationPage.Offer(
            action: PageRoute.acceptInvitation.path, token: token, organization: org.name, email: invitation.email,
            role: web.messages.text("role_\(invitation.role)", lang),
            signedIn: viewer != nil, otherAccount: viewer.map { $0.user.email != invitation.email } ?? false,
            createAccount: viewer == nil && !hasAccount, signInFirst: viewer == nil && hasAccount,
            loginURL: PageRoute.login(returningTo: PageRoute.acceptInvitation.path + "?token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
            displayName: input["display_name"], errors: errors, hasErrors: !errors.isEmpty,
            passwordLabel: web.messages.text("field_new_password", lang, ["minimum": "\(PasswordPolicy.minimumLength)"]))
        return web.page("invitation", title: title, model: InvitationPage(offer: offer), locale: locale, viewer: viewer, status: status)
    }

    func invitationPost(_ request: Request, context: AppContext) async throws -> Response {
        let form: WebForm
        if context.identity != nil {
            form = try await web.postedForm(request, viewer: try await web.viewer(request, context: context))
        } else {
            // No session to carry a CSRF token: the invitation token itself is the secret this form needs.
            form = try await WebForm.read(request, limit: 16 * 1024)
        }
        let locale = try await web.locale(request, context: context)
        let lang = locale.language
        var errors: [String: String] = [:]
        if context.identity == nil {
            if form["display_name"].trimmed.isEmpty { errors["display_name"] = web.messages.text("error_required", lang) }
            if form["password"] != form["password_again"] {
                errors["password"] = web.messages.text("setup_error_mismatch", lang)
            } else if let invitation = try await MembershipUseCases(services.accountEnvironment).openInvitation(token: form["token"]),
                      let problem = PasswordPolicy.standard.check(form["password"], email: invitation.email,
                                                           displayName: form["display_name"].trimmed).first {
                errors["password"] = problem.message[lang]
            }
        }
        if errors.isEmpty {
            do {
                let (org, _) = try await account.acceptInvitation(
                    AcceptMemberInvitationBody(token: form["token"], displayName: form["display_name"].trimmed, password: form["password"]),
                    context: context)
                return WebApp.redirect(context.identity == nil ? PageRoute.login.path + "?notice=invitation_account"
                                                               : PageRoute.organization(org: org.id).path)
            } catch let e as InvitationError {
                switch e {
                case .accountExists: errors["form"] = web.messages.text("invitation_error_sign_in", lang)
                case .otherAddress: errors["form"] = web.messages.text("invitation_error_other_account", lang)
                default: errors["form"] = web.messages.text("invitation_error_invalid", lang)
                }
            } catch let e as AccountError {
                switch e {
                case .weakPassword(let problem): errors["password"] = problem.message[lang]
                case .missing: errors["display_name"] = web.messages.text("error_required", lang)
                default: throw e
                }
            }
        }
        return try await invitationView(request, context: context, token: form["token"], input: form, errors: errors, status: .badRequest)
    }

    // MARK: static files

    func staticFile(_ request: Request, context: AppContext) async throws -> Response {
        let name = try context.parameters.require("file")
        guard let (data, type) = web.assets.statics[name] else { throw APIError.notFound("File \(name)") }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `landing`: the signed-out home page.
struct LandingPage: PageModel {
    let loginURL: String
}

/// `organizations`: the viewer's organizations (when there are several).
struct OrganizationsPage: PageModel {
    struct Organization: Encodable, Sendable {
        let name: String
        let url: String
        let role: String?
    }
    let organizations: [Organization]
}

/// `login`: the password form, with its double-submit CSRF token.
struct LoginPage: PageModel {
    let formCSRF: String
    let email: String
    let error: String?
    let action: String
}

/// `login-mfa`: the second factor's code or a recovery code.
struct SecondFactorPage: PageModel {
    let action: String
    let error: String?
}

/// `mfa-enrol`: the authenticator's key to enter, or the recovery codes once it is confirmed.
struct EnrolPage: PageModel {
    let action: String
    let enabled: Bool
    /// The key in groups of four, for reading.
    let secret: String?
    let secretRaw: String?
    let otpauth: String?
    /// The otpauth URI as an inline SVG QR code (TekigoQR), rendered unescaped: it is our own markup, and its only
    /// text, the label, is escaped by the encoder.
    let qrSVG: String?
    let error: String?
    let recoveryList: [String]?
    let hasRecovery: Bool
    let continueURL: String
}

/// `settings`: the viewer's language and time zone.
struct SettingsPage: PageModel {
    struct Zone: Encodable, Sendable {
        let value: String
        let selected: Bool
    }
    let action: String
    let error: String?
    let languages: [SelectOption]
    let zones: [Zone]
    let mfaURL: String
}

/// `setup`: the first account and organization, from the one-time setup link.
struct SetupPage: PageModel {
    let action: String
    let token: String
    let organization: String
    let displayName: String
    let email: String
    /// The form's errors by field (`{{errors.email}}`).
    let errors: [String: String]
    let hasErrors: Bool
    let passwordLabel: String
}

/// `invitation`: an invitation to join (`offer`), or `invalid` when the link is unknown, used or expired.
struct InvitationPage: PageModel {
    struct Offer: Encodable, Sendable {
        let action: String
        let token: String
        let organization: String
        let email: String
        let role: String
        let signedIn: Bool
        let otherAccount: Bool
        let createAccount: Bool
        let signInFirst: Bool
        let loginURL: String
        let displayName: String
        let errors: [String: String]
        let hasErrors: Bool
        let passwordLabel: String
    }
    let offer: Offer?

    enum CodingKeys: CodingKey { case invalid }
    func encode(to encoder: any Encoder) throws {
        if let offer {
            try offer.encode(to: encoder)
        } else {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(true, forKey: .invalid)
        }
    }
}
