import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore

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

/// First-run setup, sign-in and sign-out, the caller's own account and MFA.
struct AccountRoutes {
    let services: Services
    /// Sign-in failures allowed from one address per window before it must wait (password spraying).
    static let maxFailuresPerAddress = 30
    static let failureWindow: TimeInterval = 10 * 60
    /// Signing out (`DELETE`): the one API call a half-open session may make.
    static let sessionPath = "/api/v1/session"

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1")
        api.post("/setup", use: setup)
        api.post("/session", use: login)
        api.delete("/session", use: logout)
        api.get("/me", use: me)
        api.post("/me/mfa", use: enrollMFA)
        api.post("/me/mfa/confirm", use: confirmMFA)
        api.post("/member-invitations/accept", use: acceptMemberInvitation)
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
        let db = services.db
        let ip = context.sourceIP
        if context.identity != nil {
            let identity = try await services.ready(context)
            guard case .session(let user, _) = identity else { throw APIError.forbidden("Accept invitations signed in, not with an API token.") }
            return try await db.transaction { s in
                try await MembershipStore.accept(db, token: body.token, user: user, sourceIP: ip, on: s)
            }
        }
        guard let invitation = try await MembershipStore.openInvitation(db, token: body.token) else { throw InvitationError.notValid }
        guard try await services.accounts.user(email: invitation.email) == nil else {
            throw APIError.conflict("An account with the invited address exists already: sign in with it, then accept the invitation.")
        }
        let name = (body.displayName ?? "").trimmed
        guard !name.isEmpty else { throw APIError.invalid(field: "displayName", message: "Give a display name.") }
        let password = body.password ?? ""
        if let problem = PasswordPolicy().check(password, email: invitation.email, displayName: name).first {
            throw APIError.invalid(field: "password", message: problem.message.en)
        }
        let hash = try await PasswordHasher.hash(password)
        let accounts = services.accounts
        return try await db.transaction { s in
            let user = try await accounts.createUser(email: invitation.email, displayName: name, passwordHash: hash, platformAdmin: false, on: s)
            _ = try await AuditLog(db).append(AuditEvent(actor: user.id, organizationID: invitation.organizationId, sourceIP: ip,
                                                         action: "account.created", object: "user/\(user.id)"), on: s)
            return try await MembershipStore.accept(db, token: body.token, user: user, sourceIP: ip, on: s)
        }
    }

    static func email(_ raw: String) throws -> String {
        let e = raw.trimmed.lowercased()
        let parts = e.split(separator: "@")
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), e.count <= 254 else {
            throw APIError.invalid(field: "email", message: "'\(raw)' is not an e-mail address.")
        }
        return e
    }

    /// The one-time setup link creates the first administrator and its organization. No default password exists.
    func setup(_ request: Request, context: AppContext) async throws -> JSONResponse<UserView> {
        let body = try await request.decodeStrict(SetupBody.self, context: context)
        return JSONResponse(value: UserView(try await createFirstAdministrator(body, context: context)), status: .created)
    }

    /// Checks the setup token, the e-mail address and the password policy, then creates the administrator and the
    /// organization in one transaction. Shared by the API and the setup page.
    func createFirstAdministrator(_ body: SetupBody, context: AppContext) async throws -> UserRecord {
        let email = try Self.email(body.email)
        let name = body.displayName.trimmed
        guard !name.isEmpty else { throw APIError.invalid(field: "displayName", message: "Give a display name.") }
        guard !body.organization.trimmed.isEmpty else { throw APIError.invalid(field: "organization", message: "Name the organization.") }
        if let problem = PasswordPolicy().check(body.password, email: email, displayName: name).first {
            throw APIError.invalid(field: "password", message: problem.message.en)
        }
        if try await services.accounts.user(email: email) != nil {
            throw APIError.conflict("An account with this e-mail address exists already; sign in instead.")
        }
        let hash = try await PasswordHasher.hash(body.password)
        let accounts = services.accounts
        let audit = AuditLog(services.db)
        let ip = context.sourceIP
        let user = try await services.db.transaction { s -> UserRecord in
            guard let grant = try await accounts.useSetupToken(hash: SecureRandom.sha256Hex(body.token), now: Timestamp.now(), on: s) else {
                throw APIError.forbidden("This setup link is not valid: it was used already or has expired. Run `tekigo admin create`.")
            }
            // Platform administration is explicit: only a link made for it (the first run's, or
            // `tekigo admin create --platform-admin`) makes one.
            let u = try await accounts.createUser(email: email, displayName: name, passwordHash: hash, platformAdmin: grant.platformAdmin,
                                                  on: s)
            let org = try await accounts.createOrganization(name: body.organization.trimmed, owner: u.id, on: s)
            _ = try await audit.append(AuditEvent(actor: u.id, organizationID: org.id, sourceIP: ip, action: "setup.admin-created",
                                                  object: "user/\(u.id)", beforeDigest: nil,
                                                  afterDigest: grant.platformAdmin ? AuditLog.digest(Data("platform-admin".utf8)) : nil), on: s)
            return u
        }
        return user
    }

    func login(_ request: Request, context: AppContext) async throws -> Response {
        let (view, cookie) = try await signIn(try await request.decodeStrict(LoginBody.self, context: context), request: request,
                                              context: context)
        var response = try JSONResponse(value: view).response(from: request, context: context)
        response.setCookie(cookie)
        return response
    }

    /// Password, then the second factor; a new session on success. Shared by the API and the sign-in form.
    /// With `pendingSecondFactor` (the sign-in form), an account with MFA and no code yet gets a session whose
    /// second factor is still to come (`POST /login/mfa`); the API asks for both at once.
    func signIn(_ body: LoginBody, request: Request, context: AppContext,
                pendingSecondFactor: Bool = false) async throws -> (view: SessionView, cookie: Cookie) {
        let accounts = services.accounts
        let audit = AuditLog(services.db)
        let now = Date()
        // Per source address, across all accounts: at most `maxFailuresPerAddress` failures per window.
        if try await accounts.failuresFrom(sourceIP: context.sourceIP, window: Self.failureWindow) >= Self.maxFailuresPerAddress {
            throw APIError.rateLimited
        }
        func fail(_ userID: String?, _ reason: String) async throws -> Never {
            ServerMetrics.loginFailures.increment()
            _ = try await accounts.recordFailureFrom(sourceIP: context.sourceIP, window: Self.failureWindow)
            _ = try await audit.append(AuditEvent(actor: userID ?? "anonymous", organizationID: nil, sourceIP: context.sourceIP,
                                                  action: "login.failure", object: "user/\(userID ?? body.email.lowercased())",
                                                  beforeDigest: nil, afterDigest: AuditLog.digest(Data(reason.utf8))))
            throw APIError.invalid(field: nil, message: "The e-mail address, password or code is wrong.")
        }
        guard let user = try await accounts.user(email: body.email.trimmed) else {
            _ = await PasswordHasher.dummyVerify(body.password)
            try await fail(nil, "unknown user")
        }
        if let until = user.lockedUntil, until > Timestamp.string(now) { throw APIError.locked(until: until) }
        guard await PasswordHasher.verify(body.password, hash: user.passwordHash) else {
            let (_, lockedUntil) = try await accounts.recordFailedLogin(userID: user.id, now: now)
            if let lockedUntil {
                _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: context.sourceIP,
                                                      action: "login.locked", object: "user/\(user.id)", beforeDigest: nil,
                                                      afterDigest: nil))
                throw APIError.locked(until: Timestamp.string(lockedUntil))
            }
            try await fail(user.id, "wrong password")
        }
        var mfaPassed = false
        if user.hasMFA {
            if body.code != nil || body.recoveryCode != nil {
                try await verifySecondFactor(user: user, code: body.code, recoveryCode: body.recoveryCode, context: context)
                mfaPassed = true
            } else if !pendingSecondFactor {
                throw APIError.invalid(field: "code", message: "This account uses multifactor authentication: send the 6-digit code (or a recovery code).")
            }
        }
        // The failure count is cleared only when both factors passed: a password alone must not reset the count of
        // wrong codes, or codes could be guessed without end.
        if mfaPassed || !user.hasMFA { try await accounts.resetFailedLogins(userID: user.id) }
        ServerMetrics.loginSuccesses.increment()
        // A new session id at every sign-in (no fixation); the old cookie, if any, is dropped.
        if let old = request.cookies[Services.sessionCookie]?.value { try await accounts.deleteSession(idHash: SecureRandom.sha256Hex(old)) }
        let sessionToken = SecureRandom.token()
        let csrf = SecureRandom.token()
        let nowText = Timestamp.string(now)
        try await accounts.createSession(SessionRecord(
            idHash: SecureRandom.sha256Hex(sessionToken), userId: user.id, csrfToken: csrf,
            mfaPassed: mfaPassed || !user.hasMFA ? 1 : 0,
            createdAt: nowText, lastSeen: nowText, expiresAt: Timestamp.string(now.addingTimeInterval(services.config.absoluteTimeout)),
            sourceIp: context.sourceIP))
        _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: context.sourceIP, action: "login.success",
                                              object: "user/\(user.id)", beforeDigest: nil, afterDigest: nil))
        let mustEnrol = try await services.mustEnrolMFA(user)
        let view = SessionView(user: UserView(user), csrfToken: csrf, mfaPassed: mfaPassed || !user.hasMFA,
                               mfaEnrollmentRequired: mustEnrol)
        return (view, try sessionCookie(sessionToken))
    }

    /// Checks a TOTP code (never the same time step twice) or spends a recovery code. A wrong one counts as a
    /// failed sign-in (lockout, per-address cap, audit) and throws.
    func verifySecondFactor(user: UserRecord, code: String?, recoveryCode: String?, context: AppContext) async throws {
        let accounts = services.accounts
        let now = Date()
        try await checkSecondFactorAllowed(user, now: now, context: context)
        func fail(_ reason: String) async throws -> Never {
            try await secondFactorFailed(user, reason: reason, now: now, context: context)
            throw APIError.invalid(field: nil, message: "The e-mail address, password or code is wrong.")
        }
        guard let secret = user.totpSecret, user.hasMFA else { return }
        if let code {
            switch TOTPAuthenticator.verify(code: code, secret: secret, at: now, lastUsedStep: Int64(user.totpLastStep)) {
            case .accepted(let step):
                guard try await accounts.advanceTOTPStep(userID: user.id, to: Int(step)) else { try await fail("code replayed") }
            case .replayed, .invalid:
                try await fail("wrong code")
            }
        } else if let rc = recoveryCode {
            // Spent atomically: the stored list is replaced only if it is still the one this request read, so two
            // sign-ins with the same code cannot both pass; a race lost to a different code is read again.
            var current = user
            for _ in 0..<3 {
                guard let remaining = RecoveryCodes.consume(rc, hashed: current.recoveryCodeHashes) else { try await fail("wrong recovery code") }
                if try await accounts.replaceRecoveryCodes(userID: user.id, previous: current.recoveryCodes, remaining: remaining) { return }
                guard let fresh = try await accounts.user(id: user.id) else { try await fail("account removed") }
                current = fresh
            }
            try await fail("recovery code contended")
        } else {
            throw APIError.invalid(field: "code", message: "Enter the 6-digit code from the authenticator app.")
        }
    }

    /// Before any second-factor code is checked: the account is not locked and the source address is under its cap.
    func checkSecondFactorAllowed(_ user: UserRecord, now: Date, context: AppContext) async throws {
        if let until = user.lockedUntil, until > Timestamp.string(now) { throw APIError.locked(until: until) }
        if try await services.accounts.failuresFrom(sourceIP: context.sourceIP, window: Self.failureWindow) >= Self.maxFailuresPerAddress {
            throw APIError.rateLimited
        }
    }

    /// A wrong second-factor code, on any path (sign-in, enrolment): counts toward the account's lockout (SP 800-171
    /// 3.1.8) and the source address's cap, and is audited. Throws `locked` when this failure locks the account.
    func secondFactorFailed(_ user: UserRecord, reason: String, now: Date, context: AppContext) async throws {
        let accounts = services.accounts
        ServerMetrics.loginFailures.increment()
        let (_, lockedUntil) = try await accounts.recordFailedLogin(userID: user.id, now: now)
        _ = try await accounts.recordFailureFrom(sourceIP: context.sourceIP, window: Self.failureWindow)
        let audit = AuditLog(services.db)
        _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: context.sourceIP,
                                              action: "login.failure", object: "user/\(user.id)", beforeDigest: nil,
                                              afterDigest: AuditLog.digest(Data(reason.utf8))))
        if let lockedUntil {
            _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: context.sourceIP,
                                                  action: "login.locked", object: "user/\(user.id)", beforeDigest: nil, afterDigest: nil))
            throw APIError.locked(until: Timestamp.string(lockedUntil))
        }
    }

    func sessionCookie(_ value: String, maxAge: Int? = nil) throws -> Cookie {
        try Cookie.validated(name: Services.sessionCookie, value: value, maxAge: maxAge ?? Int(services.config.absoluteTimeout),
                             path: "/", secure: services.config.secureCookies, httpOnly: true, sameSite: .strict)
    }

    func logout(_ request: Request, context: AppContext) async throws -> Response {
        if let token = request.cookies[Services.sessionCookie]?.value {
            try await services.accounts.deleteSession(idHash: SecureRandom.sha256Hex(token))
            if let id = context.identity {
                _ = try await AuditLog(services.db).append(AuditEvent(actor: id.actorID, organizationID: nil, sourceIP: context.sourceIP,
                                                                      action: "logout", object: "user/\(id.user.id)",
                                                                      beforeDigest: nil, afterDigest: nil))
            }
        }
        var response = Response(status: .noContent)
        response.setCookie(try sessionCookie("", maxAge: 0))
        return response
    }

    func me(_ request: Request, context: AppContext) async throws -> JSONResponse<UserView> {
        JSONResponse(value: UserView(try context.requireIdentity().user))
    }

    /// Starts enrolment: a new secret, pending until confirmed with a code; an active authenticator stays in force
    /// until then. Only a session whose second factor has passed (or that has none yet) gets here.
    func enrollMFA(_ request: Request, context: AppContext) async throws -> JSONResponse<MFAEnrollment> {
        let identity = try context.requireIdentity()
        guard case .session = identity else { throw APIError.forbidden("Enrol MFA from a signed-in session, not with an API token.") }
        return JSONResponse(value: try await startEnrolment(identity.user))
    }

    /// Confirms enrolment with a code from the authenticator; returns recovery codes, shown only now.
    func confirmMFA(_ request: Request, context: AppContext) async throws -> JSONResponse<RecoveryCodesView> {
        let identity = try context.requireIdentity()
        guard case .session(let user, let session) = identity else { throw APIError.forbidden("Use a signed-in session.") }
        let body = try await request.decodeStrict(CodeBody.self, context: context)
        let codes = try await confirmEnrolment(user, session: session, code: body.code, context: context)
        return JSONResponse(value: RecoveryCodesView(recoveryCodes: codes))
    }

    /// A new TOTP secret for `user`, kept pending (never replacing an active one) until `confirmEnrolment`
    /// (API and enrolment page).
    func startEnrolment(_ user: UserRecord) async throws -> MFAEnrollment {
        let secret = TOTPAuthenticator.newSecret()
        try await services.accounts.setPendingMFA(userID: user.id, secret: secret)
        return MFAEnrollment(secret: secret, otpauthURI: TOTPAuthenticator.provisioningURI(secret: secret, account: user.email))
    }

    /// Makes the pending secret active when `code` matches it and returns the new recovery codes (shown once). Only
    /// for a session whose second factor has passed, or an account enrolling for the first time (whose session has
    /// no second factor to pass). A wrong code counts like a wrong sign-in code.
    func confirmEnrolment(_ user: UserRecord, session: SessionRecord, code: String, context: AppContext) async throws -> [String] {
        guard session.mfaPassed != 0 else { throw APIError.mfaRequired }
        let now = Date()
        guard let current = try await services.accounts.user(id: user.id), let pending = current.totpPendingSecret else {
            throw APIError.invalid(field: nil, message: "No enrolment is under way: start with POST /api/v1/me/mfa.")
        }
        try await checkSecondFactorAllowed(current, now: now, context: context)
        // A new secret has no steps used yet; the old secret's last step does not apply to it.
        guard case .accepted(let step) = TOTPAuthenticator.verify(code: code, secret: pending, at: now, lastUsedStep: 0) else {
            try await secondFactorFailed(current, reason: "wrong enrolment code", now: now, context: context)
            throw APIError.invalid(field: "code", message: "The code does not match; check the authenticator's clock and try the next code.")
        }
        let codes = RecoveryCodes.generate()
        let accounts = services.accounts, audit = AuditLog(services.db), ip = context.sourceIP
        let replaced = current.hasMFA
        try await services.db.transaction { s in
            guard try await accounts.activatePendingMFA(userID: user.id, pending: pending, step: Int(step),
                                                        recoveryCodeHashes: codes.hashed, on: s) else {
                throw APIError.conflict("Enrolment was started again meanwhile (another tab?): scan the newest key and confirm it.")
            }
            _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: ip,
                                                  action: replaced ? "mfa.replaced" : "mfa.enabled", object: "user/\(user.id)",
                                                  beforeDigest: nil, afterDigest: nil), on: s)
        }
        try await accounts.resetFailedLogins(userID: user.id)
        return codes.plain
    }
}
