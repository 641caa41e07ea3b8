import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

struct UserView: Encodable, Sendable {
    let id: String
    let email: String
    let displayName: String
    let mfaEnabled: Bool
    let platformAdmin: Bool

    init(_ u: UserRecord) {
        id = u.id
        email = u.email
        displayName = u.displayName
        mfaEnabled = u.hasMFA
        platformAdmin = u.isPlatformAdmin
    }
}

struct SessionView: Encodable, Sendable {
    let user: UserView
    /// Send back as `X-CSRF-Token` on every write made with the session cookie.
    let csrfToken: String
    let mfaPassed: Bool
    /// True when the account must enrol an authenticator before doing anything else (admins, SP 800-171 3.5.3).
    let mfaEnrollmentRequired: Bool
}

struct SetupBody: StrictBody {
    static let fields: Set<String> = ["token", "email", "password", "displayName", "organization"]
    let token: String
    let email: String
    let password: String
    let displayName: String
    let organization: String
}

struct LoginBody: StrictBody {
    static let fields: Set<String> = ["email", "password", "code", "recoveryCode"]
    let email: String
    let password: String
    let code: String?
    let recoveryCode: String?
}

struct AcceptMemberInvitationBody: StrictBody {
    static let fields: Set<String> = ["token", "displayName", "password"]
    let token: String
    let displayName: String?
    let password: String?
}

struct MemberInvitationAccepted: Encodable, Sendable {
    let organization: OrganizationView
}

struct CodeBody: StrictBody {
    static let fields: Set<String> = ["code"]
    let code: String
}

struct MFAEnrollment: Encodable, Sendable {
    let secret: String
    let otpauthURI: String
}

struct RecoveryCodesView: Encodable, Sendable {
    let recoveryCodes: [String]
}

/// First-run setup, sign-in and sign-out, the caller's own account and MFA: a thin adapter over the use-case layer
/// (`AccountUseCases`, `SecondFactorUseCases`, `MembershipUseCases`), which holds the rules, the transactions and
/// the audit entries.
struct AccountRoutes {
    let services: Services
    var accountsUseCases: AccountUseCases { AccountUseCases(services.accountEnvironment) }
    var secondFactor: SecondFactorUseCases { SecondFactorUseCases(services.accountEnvironment) }
    /// Signing out (`DELETE`): the one API call a half-open session may make.
    static let sessionPath = "/api/v1/session"

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1")
        api.post("/setup", use: setup)
        api.post("/session", use: login)
        api.delete("/session", use: logout)
        api.post("/member-invitations/accept", use: acceptMemberInvitation)
        // The caller's own account: signed in, second factor passed (an account still to enrol gets here to enrol).
        let me = api.group("/me", context: SignedInContext.self)
        me.get("", use: self.me)
        me.post("/mfa", use: enrollMFA)
        me.post("/mfa/confirm", use: confirmMFA)
    }

    /// Accepts an invitation into an organization: signed in, as the invited address; or, without an account yet,
    /// by creating it (display name and password; the address is the invited one) — the new account then signs in
    /// and enrols an authenticator like any other. Never a platform administrator, never a new organization.
    func acceptMemberInvitation(_ request: Request, context: AppContext) async throws -> JSONResponse<MemberInvitationAccepted> {
        let body = try await request.decodeStrict(AcceptMemberInvitationBody.self, context: context)
        let (org, role) = try await acceptInvitation(body, context: context)
        return JSONResponse(value: MemberInvitationAccepted(organization: OrganizationView(org, role: role)), status: .created)
    }

    /// Shared by the API and the invitation page.
    func acceptInvitation(_ body: AcceptMemberInvitationBody, context: AppContext) async throws -> (OrganizationRecord, Role) {
        let memberships = MembershipUseCases(services.accountEnvironment)
        if context.identity != nil {
            guard case .session(let user, _) = try await services.ready(context) else { throw AccountError.sessionOnly }
            return try await memberships.accept(token: body.token, user: user, sourceIP: context.sourceIP)
        }
        return try await memberships.acceptCreatingAccount(token: body.token, displayName: body.displayName ?? "",
                                                           password: body.password ?? "", sourceIP: context.sourceIP)
    }

    /// The one-time setup link creates an account and the organization it owns. No default password exists.
    func setup(_ request: Request, context: AppContext) async throws -> JSONResponse<UserView> {
        let b = try await request.decodeStrict(SetupBody.self, context: context)
        let user = try await accountsUseCases.createAccountWithSetupLink(token: b.token, email: b.email, password: b.password,
                                                                         displayName: b.displayName, organization: b.organization,
                                                                         sourceIP: context.sourceIP)
        return JSONResponse(value: UserView(user), status: .created)
    }

    func login(_ request: Request, context: AppContext) async throws -> Response {
        let b = try await request.decodeStrict(LoginBody.self, context: context)
        let (view, cookie) = try await signIn(email: b.email, password: b.password, code: b.code, recoveryCode: b.recoveryCode,
                                              request: request, context: context)
        var response = try JSONResponse(value: view).response(from: request, context: context)
        response.setCookie(cookie)
        return response
    }

    /// Signs in and builds the session cookie. With `pendingSecondFactor` (the sign-in form), an account with MFA and
    /// no code yet gets a session whose second factor is still to come (`POST /login/mfa`); the API asks for both.
    func signIn(email: String, password: String, code: String?, recoveryCode: String?, request: Request, context: AppContext,
                pendingSecondFactor: Bool = false) async throws -> (view: SessionView, cookie: Cookie) {
        let signedIn = try await accountsUseCases.signIn(
            email: email, password: password, code: code, recoveryCode: recoveryCode, allowPendingSecondFactor: pendingSecondFactor,
            replacing: request.cookies[Services.sessionCookie]?.value, sourceIP: context.sourceIP)
        let view = SessionView(user: UserView(signedIn.user), csrfToken: signedIn.csrfToken, mfaPassed: signedIn.secondFactorPassed,
                               mfaEnrollmentRequired: signedIn.mustEnrol)
        return (view, try sessionCookie(signedIn.sessionToken))
    }

    func sessionCookie(_ value: String, maxAge: Int? = nil) throws -> Cookie {
        try Cookie.validated(name: Services.sessionCookie, value: value, maxAge: maxAge ?? Int(services.config.absoluteTimeout),
                             path: "/", secure: services.config.secureCookies, httpOnly: true, sameSite: .strict)
    }

    func logout(_ request: Request, context: AppContext) async throws -> Response {
        if let token = request.cookies[Services.sessionCookie]?.value {
            try await accountsUseCases.signOut(sessionToken: token,
                                               actor: context.identity.map { Actor(id: $0.actorID, sourceIP: context.sourceIP) })
        }
        var response = Response(status: .noContent)
        response.setCookie(try sessionCookie("", maxAge: 0))
        return response
    }

    func me(_ request: Request, context: SignedInContext) async throws -> JSONResponse<UserView> {
        JSONResponse(value: UserView(context.identity.user))
    }

    /// Starts enrolment: a new secret, pending until confirmed with a code; an active authenticator stays in force
    /// until then. Only a session whose second factor has passed (or that has none yet) gets here.
    func enrollMFA(_ request: Request, context: SignedInContext) async throws -> JSONResponse<MFAEnrollment> {
        guard case .session(let user, let session) = context.identity else { throw AccountError.sessionOnly }
        let e = try await secondFactor.start(user: user, session: session)
        return JSONResponse(value: MFAEnrollment(secret: e.secret, otpauthURI: e.otpauthURI))
    }

    /// Confirms enrolment with a code from the authenticator; returns recovery codes, shown only now.
    func confirmMFA(_ request: Request, context: SignedInContext) async throws -> JSONResponse<RecoveryCodesView> {
        guard case .session(let user, let session) = context.identity else { throw AccountError.sessionOnly }
        let body = try await request.decodeStrict(CodeBody.self, context: context)
        let codes = try await secondFactor.confirm(user: user, session: session, code: body.code, sourceIP: context.sourceIP)
        return JSONResponse(value: RecoveryCodesView(recoveryCodes: codes))
    }
}
