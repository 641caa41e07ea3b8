import Foundation
import TekigoCore
import TekigoStore

/// Why resetting a member's authenticator was refused. Each case says what to do instead.
public enum SecondFactorResetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Your own authenticator is replaced from your settings (enrol again), never reset by yourself this way.
    case ownAccount
    case notAMember
    /// Only owners and administrators reset a member's authenticator.
    case notAllowed
    /// Only an owner resets an owner's authenticator.
    case onlyOwnerResetsOwner
    /// A platform administrator's authenticator is reset by the operator on the server only.
    case platformAdministrator
    /// The person belongs to another organization too: the authenticator guards the account there as well, so one
    /// organization's administrators may not remove it (with a stolen password that would be a way past the second
    /// factor into the other organization); the operator resets it on the server.
    case memberElsewhere

    public var description: String {
        switch self {
        case .ownAccount: return "You cannot reset your own authenticator; enrol a new one in your settings instead."
        case .notAMember: return "This person is not a member of the organization."
        case .notAllowed: return "Only owners and administrators reset a member's authenticator."
        case .onlyOwnerResetsOwner: return "Only an owner can reset an owner's authenticator."
        case .platformAdministrator:
            return "This account administers the platform: its authenticator is reset by the operator (`tekigo admin reset-mfa`)."
        case .memberElsewhere:
            return "This person also belongs to another organization: their authenticator is reset by the operator (`tekigo admin reset-mfa`)."
        }
    }
}

/// What became of an invitation's e-mail, as the members page, the API and the audit log report it.
public enum InvitationMailOutcome: Sendable, Equatable {
    /// No mail server is configured: the link is only shown, to copy.
    case notConfigured
    /// The mail server accepted the message.
    case sent
    /// The mail server refused or could not be reached; the reason, for the log and the audit entry.
    case failed(String)
    /// Still under way when the page answered; the result goes to the log and the audit log.
    case pending
}

extension SecondFactorUseCases {
    /// Clears a member's authenticator (active and pending secret, recovery codes) and ends their sessions, in one
    /// transaction with its audit entry (`mfa.reset`): at their next sign-in they must enrol again (SP 800-171 3.5.3).
    /// For a member who lost their authenticator app. Owners and admins only; only an owner resets an owner; never
    /// your own; never a platform administrator's or that of someone who belongs to another organization as well (the
    /// operator does those on the server).
    public func reset(organizationID: String, userID: String, actorRole: Role, actor: Actor) async throws -> UserRecord {
        guard actorRole.allows(.manageMembers) else { throw SecondFactorResetError.notAllowed }
        guard userID != actor.id else { throw SecondFactorResetError.ownAccount }
        let db = env.db, accounts = env.accounts, audit = env.audit
        let members = MembershipStore(db, organizationID: organizationID)
        return try await db.transaction { s in
            guard let role = try await members.role(userID: userID, on: s) else { throw SecondFactorResetError.notAMember }
            if role == .owner, actorRole != .owner { throw SecondFactorResetError.onlyOwnerResetsOwner }
            if try await accounts.membershipCount(userID: userID, on: s) > 1 { throw SecondFactorResetError.memberElsewhere }
            guard let before = try await accounts.clearSecondFactor(userID: userID, on: s) else { throw SecondFactorResetError.notAMember }
            // Thrown inside the transaction: the clearing above is rolled back.
            if before.isPlatformAdmin { throw SecondFactorResetError.platformAdministrator }
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP,
                                                  action: .mfaReset, object: "organization/\(organizationID)/member/\(userID)",
                                                  beforeDigest: AuditLog.digest(Data((before.hasMFA ? "enrolled" : "none").utf8)),
                                                  afterDigest: AuditLog.digest(Data("none".utf8))), on: s)
            return before
        }
    }

    /// The operator's reset on the server (`tekigo admin reset-mfa`): any account, platform administrators included,
    /// audited with actor `cli`. Nil when no account has the address.
    public func resetAsOperator(email: String) async throws -> UserRecord? {
        guard let user = try await env.accounts.user(email: email.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let accounts = env.accounts, audit = env.audit
        return try await env.db.transaction { s in
            guard let before = try await accounts.clearSecondFactor(userID: user.id, on: s) else { return nil }
            _ = try await audit.append(AuditEvent(actor: "cli", organizationID: nil, sourceIP: "local", action: .mfaReset,
                                                  object: "user/\(user.id)",
                                                  beforeDigest: AuditLog.digest(Data((before.hasMFA ? "enrolled" : "none").utf8)),
                                                  afterDigest: AuditLog.digest(Data("none".utf8))), on: s)
            return before
        }
    }
}

extension MembershipUseCases {
    /// Changes the role of the member `userID` (the members page's per-row form), under `MembershipRules` in the
    /// store's transaction with its audit entry: only an owner makes or changes an owner; the last owner stays.
    public func changeRole(organizationID: String, userID: String, to role: Role, actorRole: Role, actor: Actor) async throws -> UserRecord {
        guard !userID.utf8.contains(0), let user = try await env.accounts.user(id: userID) else { throw MembershipRuleError.notAMember }
        try await MembershipStore(env.db, organizationID: organizationID).change(userID: user.id, to: role, actorRole: actorRole, actor: actor)
        return user
    }

    /// Sends an invitation again: a new single-use link valid for `days`, replacing the old one (which stops working),
    /// in one transaction with its audit entry (`membership.invitation-resent`). Only an owner re-sends an owner's
    /// invitation, as only an owner makes one.
    public func resendInvitation(organizationID: String, id: String, days: Int, actorRole: Role,
                                 actor: Actor) async throws -> (invitation: MembershipInvitationRecord, token: String) {
        guard Self.invitationDays.contains(days) else { throw InvitationError.lifetime }
        let db = env.db, audit = env.audit, now = env.clock.now()
        let store = MembershipStore(db, organizationID: organizationID)
        return try await db.transaction { s in
            guard let (old, new, token) = try await store.reissueInvitation(id: id, days: days, invitedBy: actor.id, now: now, on: s) else {
                throw InvitationError.notFound(id)
            }
            if new.roleValue == .owner, actorRole != .owner { throw MembershipRuleError.onlyOwnerMakesOwner }
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP,
                                                  action: .membershipInvitationResent,
                                                  object: "organization/\(organizationID)/invitation/\(new.id)",
                                                  beforeDigest: AuditLog.digest(Data(old.id.utf8)),
                                                  afterDigest: AuditLog.digest(Data("\(new.email) \(new.role)".utf8))), on: s)
            return (new, token)
        }
    }

    /// Records what became of an invitation's e-mail in the audit log (`membership.invitation-mailed` or
    /// `…-mail-failed` with a digest of the reason). Nothing is recorded when no mail server is configured.
    public func recordInvitationMail(organizationID: String, invitationID: String, outcome: InvitationMailOutcome,
                                     actor: Actor) async throws {
        let action: AuditAction, detail: String
        switch outcome {
        case .sent: (action, detail) = (.membershipInvitationMailed, "sent")
        case .failed(let reason): (action, detail) = (.membershipInvitationMailFailed, reason)
        case .notConfigured, .pending: return
        }
        _ = try await env.audit.append(AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP,
                                                  action: action, object: "organization/\(organizationID)/invitation/\(invitationID)",
                                                  afterDigest: AuditLog.digest(Data(detail.utf8))))
    }
}
