import Foundation
import Metrics
import SQLKit
import TekigoCore
import TekigoStore

/// What the account operations work with: the database, the account store (which seals TOTP secrets), one clock, and
/// the session lifetime (SP 800-171 3.1.11).
public struct AccountEnvironment: Sendable {
    public let db: TekigoDatabase
    public let accounts: AccountStore
    public let clock: any WallClock
    public let sessionLifetime: TimeInterval

    public init(db: TekigoDatabase, accounts: AccountStore, clock: any WallClock = SystemClock(), sessionLifetime: TimeInterval = 8 * 3600) {
        self.db = db
        self.accounts = accounts
        self.clock = clock
        self.sessionLifetime = sessionLifetime
    }

    /// The same over the database's own account store (the command line's way in).
    public init(db: TekigoDatabase, clock: any WallClock = SystemClock()) {
        self.init(db: db, accounts: AccountStore(db), clock: clock)
    }

    var audit: AuditLog { AuditLog(db) }
}

/// Counts for `/metrics`: sign-ins that passed and failed (every wrong password or code).
public enum AccountMetrics {
    public static let signInFailures = Counter(label: "tekigo_login_failures_total")
    public static let signInSuccesses = Counter(label: "tekigo_login_successes_total")
}

/// A new session: the token goes into the cookie, the CSRF token back to the client.
public struct SignedIn: Sendable {
    public let user: UserRecord
    public let sessionToken: String
    public let csrfToken: String
    /// False while the second factor is still to come (the sign-in page's first step).
    public let secondFactorPassed: Bool
    /// The account must enrol an authenticator before it does anything else (SP 800-171 3.5.3).
    public let mustEnrol: Bool
}

/// Creating accounts with a setup link, signing in and out (SP 800-171 3.5.x, 3.1.8, 3.1.10/11).
public struct AccountUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    /// Failed sign-ins allowed from one source address per window, across all accounts (password spraying).
    public static let maxFailuresPerAddress = 30
    public static let failureWindow: TimeInterval = 10 * 60

    /// The address as stored: trimmed, lower case, one `@` with a dotted domain, at most 254 characters.
    public static func normalizedEmail(_ raw: String) throws(AccountError) -> String {
        let e = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), e.count <= 254 else { throw .invalidEmail(raw) }
        return e
    }

    /// Checks the password against the policy (SP 800-63B 5.1.1.2) for this address and name.
    /// An account that administers an organization (`administrator`: an owner or an administrator) gets the stricter
    /// `PasswordPolicy.checkAdministrator`, with the organization's name.
    public static func checkPassword(_ password: String, email: String, displayName: String,
                                     administrator: Bool = false, organization: String? = nil) throws(AccountError) {
        let problems = administrator
            ? PasswordPolicy.standard.checkAdministrator(password, email: email, displayName: displayName, organization: organization)
            : PasswordPolicy.standard.check(password, email: email, displayName: displayName)
        if let problem = problems.first { throw .weakPassword(problem) }
    }

    /// The one-time setup link creates an account and the organization it owns, in one transaction with its audit
    /// entry. The account administers the platform only when the link was made for that.
    public func createAccountWithSetupLink(token: String, email rawEmail: String, password: String, displayName: String,
                                           organization: String, sourceIP: String) async throws -> UserRecord {
        let email = try Self.normalizedEmail(rawEmail)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        let orgName = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.missing(field: "displayName") }
        guard !orgName.isEmpty else { throw AccountError.missing(field: "organization") }
        // The setup link's account owns the organization it creates: an administrator's password.
        try Self.checkPassword(password, email: email, displayName: name, administrator: true, organization: orgName)
        if try await env.accounts.user(email: email) != nil { throw AccountError.emailTaken }
        let hash = try await PasswordHasher.hash(password)
        let accounts = env.accounts, audit = env.audit, now = Timestamp.string(env.clock.now())
        return try await env.db.transaction { s in
            guard let grant = try await accounts.useSetupToken(hash: SecureRandom.sha256Hex(token), now: now, on: s) else {
                throw AccountError.setupLinkInvalid
            }
            let u = try await accounts.createUser(email: email, displayName: name, passwordHash: hash, platformAdmin: grant.platformAdmin, on: s)
            let org = try await accounts.createOrganization(name: orgName, owner: u.id, on: s)
            _ = try await audit.append(AuditEvent(actor: u.id, organizationID: org.id, sourceIP: sourceIP, action: .setupAccountCreated,
                                                  object: "user/\(u.id)",
                                                  afterDigest: grant.platformAdmin ? AuditLog.digest(Data("platform-admin".utf8)) : nil), on: s)
            return u
        }
    }

    /// Password, then the second factor; a new session on success (a new id every time: no fixation; the session
    /// the request came with, if any, ends). With `allowPendingSecondFactor` (the sign-in page), an account with MFA
    /// and no code yet gets a session whose second factor is still to come; the API asks for both at once.
    public func signIn(email: String, password: String, code: String?, recoveryCode: String?, allowPendingSecondFactor: Bool,
                       replacing oldSessionToken: String?, sourceIP: String) async throws -> SignedIn {
        let accounts = env.accounts
        let now = env.clock.now()
        if try await accounts.failuresFrom(sourceIP: sourceIP, window: Self.failureWindow, now: now) >= Self.maxFailuresPerAddress {
            throw AccountError.rateLimited
        }
        func fail(_ userID: String?, _ reason: String) async throws -> Never {
            AccountMetrics.signInFailures.increment()
            _ = try await accounts.recordFailureFrom(sourceIP: sourceIP, window: Self.failureWindow, now: now)
            _ = try await env.audit.append(AuditEvent(actor: userID ?? AuditEvent.anonymousActor, organizationID: nil, sourceIP: sourceIP,
                                                      action: .loginFailure, object: "user/\(userID ?? email.lowercased())",
                                                      afterDigest: AuditLog.digest(Data(reason.utf8))))
            throw AccountError.wrongCredentials
        }
        guard let user = try await accounts.user(email: email.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            _ = await PasswordHasher.dummyVerify(password)
            try await fail(nil, "unknown user")
        }
        if let until = user.lockedUntil, until > Timestamp.string(now) { throw AccountError.locked(until: until) }
        guard await PasswordHasher.verify(password, hash: user.passwordHash) else {
            let (_, lockedUntil) = try await accounts.recordFailedLogin(userID: user.id, now: now)
            if let lockedUntil {
                _ = try await env.audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: sourceIP, action: .loginLocked,
                                                          object: "user/\(user.id)"))
                throw AccountError.locked(until: Timestamp.string(lockedUntil))
            }
            try await fail(user.id, "wrong password")
        }
        var passed = !user.hasMFA
        if user.hasMFA {
            if code != nil || recoveryCode != nil {
                try await SecondFactorUseCases(env).verify(user: user, code: code, recoveryCode: recoveryCode, sourceIP: sourceIP)
                passed = true
            } else if !allowPendingSecondFactor {
                throw AccountError.codeRequired
            }
        }
        // The failure count is cleared only when both factors passed: a password alone must not reset the count of
        // wrong codes, or codes could be guessed without end.
        if passed { try await accounts.resetFailedLogins(userID: user.id) }
        AccountMetrics.signInSuccesses.increment()
        if let oldSessionToken { try await accounts.deleteSession(idHash: SecureRandom.sha256Hex(oldSessionToken)) }
        let sessionToken = SecureRandom.token()
        let csrf = SecureRandom.token()
        let nowText = Timestamp.string(now)
        try await accounts.createSession(SessionRecord(
            idHash: SecureRandom.sha256Hex(sessionToken), userId: user.id, csrfToken: csrf, mfaPassed: passed ? 1 : 0,
            createdAt: nowText, lastSeen: nowText, expiresAt: Timestamp.string(now.addingTimeInterval(env.sessionLifetime)),
            sourceIp: sourceIP))
        _ = try await env.audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: sourceIP, action: .loginSuccess,
                                                  object: "user/\(user.id)"))
        return SignedIn(user: user, sessionToken: sessionToken, csrfToken: csrf, secondFactorPassed: passed,
                        mustEnrol: try await mustEnrol(user))
    }

    /// A platform administrator creates an organization (a tenant) and becomes its owner, in one transaction with
    /// its audit entry.
    public func createOrganization(by user: UserRecord, name: String, cageCodes: [String], uei: String?, corporateNumber: String?,
                                   sourceIP: String) async throws -> OrganizationRecord {
        guard user.isPlatformAdmin else { throw AccountError.notPlatformAdmin }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.missing(field: "name") }
        let accounts = env.accounts, audit = env.audit
        return try await env.db.transaction { s in
            let o = try await accounts.createOrganization(name: name, cageCodes: cageCodes, uei: uei, corporateNumber: corporateNumber,
                                                          owner: user.id, on: s)
            _ = try await audit.append(AuditEvent(actor: user.id, organizationID: o.id, sourceIP: sourceIP, action: .organizationCreated,
                                                  object: "organization/\(o.id)"), on: s)
            return o
        }
    }

    /// Ends the session the token names (audited when someone was signed in with it).
    public func signOut(sessionToken: String, actor: Actor?) async throws {
        try await env.accounts.deleteSession(idHash: SecureRandom.sha256Hex(sessionToken))
        if let actor {
            _ = try await env.audit.append(AuditEvent(actor: actor.id, organizationID: nil, sourceIP: actor.sourceIP, action: .logout,
                                                      object: "user/\(actor.id)"))
        }
    }

    /// SP 800-171 3.5.3 (MFA for network access to privileged and non-privileged accounts): an account without an
    /// authenticator must enrol before doing anything else — a platform administrator, a member in any role that
    /// requires it (`Role.requiresMFA`: all of them), and an account that belongs nowhere yet. The API, the sign-in
    /// response and the pages all ask this one question.
    public func mustEnrol(_ user: UserRecord) async throws -> Bool {
        guard !user.hasMFA else { return false }
        if user.isPlatformAdmin { return true }
        let roles = try await env.accounts.organizations(of: user.id).map(\.1)
        return roles.isEmpty || roles.contains { $0.requiresMFA }
    }
}
