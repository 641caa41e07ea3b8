import Foundation
import TekigoCore
import TekigoStore

/// A new authenticator's secret, to show once (as text and as an `otpauth://` URI for a QR code).
public struct Enrolment: Sendable, Equatable {
    public let secret: String
    public let otpauthURI: String
}

/// The second factor (SP 800-171 3.5.3): checking a code at sign-in, enrolling an authenticator. A wrong code on any
/// path counts toward the account's lockout (3.1.8) and the source address's cap, and is audited.
public struct SecondFactorUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    /// Checks a TOTP code (never the same time step twice) or spends a recovery code. A wrong one counts as a failed
    /// sign-in and throws (`locked` when it locks the account).
    public func verify(user: UserRecord, code: String?, recoveryCode: String?, sourceIP: String) async throws {
        let accounts = env.accounts
        let now = env.clock.now()
        try await checkAllowed(user, now: now, sourceIP: sourceIP)
        func fail(_ reason: String) async throws -> Never {
            try await failed(user, reason: reason, now: now, sourceIP: sourceIP)
            throw AccountError.wrongCredentials
        }
        // The user as the request read it keeps its secret sealed; it is opened here, where the code is checked.
        guard user.hasMFA, let secret = try accounts.openTOTPSecret(user.totpSecret, userID: user.id) else { return }
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
            throw AccountError.codeMissing
        }
    }

    /// The sign-in page's second step: checks the code for a session whose second factor is still to come, then marks
    /// it passed and clears the failure count. A lockout ends the half-open session.
    public func pass(session: SessionRecord, user: UserRecord, code: String?, recoveryCode: String?, sourceIP: String) async throws {
        do {
            try await verify(user: user, code: code, recoveryCode: recoveryCode, sourceIP: sourceIP)
        } catch AccountError.locked(let until) {
            try await env.accounts.deleteSession(idHash: session.idHash)
            throw AccountError.locked(until: until)
        }
        try await env.accounts.resetFailedLogins(userID: user.id)
        try await env.accounts.markSessionMFA(idHash: session.idHash)
    }

    /// A new secret for `user`, kept pending beside any active one until `confirm` (starting again never replaces a
    /// live secret). Only for a session whose second factor has passed (or that has none yet).
    public func start(user: UserRecord, session: SessionRecord) async throws -> Enrolment {
        guard session.mfaPassed != 0 else { throw AccountError.secondFactorPending }
        let secret = TOTPAuthenticator.newSecret()
        try await env.accounts.setPendingMFA(userID: user.id, secret: secret)
        return Enrolment(secret: secret, otpauthURI: TOTPAuthenticator.provisioningURI(secret: secret, account: user.email))
    }

    /// The enrolment under way, if any (to show again after a wrong code).
    public func pending(user: UserRecord) async throws -> Enrolment? {
        guard let secret = try await env.accounts.user(id: user.id)?.totpPendingSecret else { return nil }
        return Enrolment(secret: secret, otpauthURI: TOTPAuthenticator.provisioningURI(secret: secret, account: user.email))
    }

    /// Makes the pending secret active when `code` matches it, in one transaction with its audit entry, and returns the
    /// new recovery codes (shown once). Only for a session whose second factor has passed, or an account enrolling for
    /// the first time (whose session has no second factor to pass).
    public func confirm(user: UserRecord, session: SessionRecord, code: String, sourceIP: String) async throws -> [String] {
        guard session.mfaPassed != 0 else { throw AccountError.secondFactorPending }
        let now = env.clock.now()
        guard let current = try await env.accounts.user(id: user.id), let pending = current.totpPendingSecret else {
            throw AccountError.enrolmentNotStarted
        }
        try await checkAllowed(current, now: now, sourceIP: sourceIP)
        // A new secret has no steps used yet; the old secret's last step does not apply to it.
        guard case .accepted(let step) = TOTPAuthenticator.verify(code: code, secret: pending, at: now, lastUsedStep: 0) else {
            try await failed(current, reason: "wrong enrolment code", now: now, sourceIP: sourceIP)
            throw AccountError.wrongEnrolmentCode
        }
        let codes = RecoveryCodes.generate()
        let accounts = env.accounts, audit = env.audit
        let replaced = current.hasMFA
        try await env.db.transaction { s in
            guard try await accounts.activatePendingMFA(userID: user.id, pending: pending, step: Int(step),
                                                        recoveryCodeHashes: codes.hashed, on: s) else {
                throw AccountError.enrolmentRestarted
            }
            _ = try await audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: sourceIP,
                                                  action: replaced ? .mfaReplaced : .mfaEnabled, object: "user/\(user.id)"), on: s)
        }
        try await accounts.resetFailedLogins(userID: user.id)
        return codes.plain
    }

    /// Before any code is checked: the account is not locked and the source address is under its cap.
    func checkAllowed(_ user: UserRecord, now: Date, sourceIP: String) async throws {
        if let until = user.lockedUntil, until > Timestamp.string(now) { throw AccountError.locked(until: until) }
        if try await env.accounts.failuresFrom(sourceIP: sourceIP, window: AccountUseCases.failureWindow, now: now)
            >= AccountUseCases.maxFailuresPerAddress {
            throw AccountError.rateLimited
        }
    }

    /// A wrong code: counts toward the lockout and the address's cap, audited; throws `locked` when this one locks it.
    func failed(_ user: UserRecord, reason: String, now: Date, sourceIP: String) async throws {
        let accounts = env.accounts
        AccountMetrics.signInFailures.increment()
        let (_, lockedUntil) = try await accounts.recordFailedLogin(userID: user.id, now: now)
        _ = try await accounts.recordFailureFrom(sourceIP: sourceIP, window: AccountUseCases.failureWindow, now: now)
        _ = try await env.audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: sourceIP, action: .loginFailure,
                                                  object: "user/\(user.id)", afterDigest: AuditLog.digest(Data(reason.utf8))))
        if let lockedUntil {
            _ = try await env.audit.append(AuditEvent(actor: user.id, organizationID: nil, sourceIP: sourceIP, action: .loginLocked,
                                                      object: "user/\(user.id)"))
            throw AccountError.locked(until: Timestamp.string(lockedUntil))
        }
    }
}
