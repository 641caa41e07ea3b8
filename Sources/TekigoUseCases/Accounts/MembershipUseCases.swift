import Foundation
import TekigoCore
import TekigoStore

/// Who belongs to an organization (SP 800-171 3.1.1, 3.1.5): role changes and removals under `MembershipRules`,
/// invitations that the invited person accepts. Every change runs in one transaction with its audit entry
/// (`MembershipStore`), so the last-owner rule holds however two changes interleave.
public struct MembershipUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    /// How long an invitation may stay open.
    public static let invitationDays = 1...30

    /// Changes a member's role. An address that is not a member's answers "not a member", whether or not an account
    /// has it: the members list is no way to probe which addresses have accounts on the platform.
    public func changeRole(organizationID: String, email: String, to role: Role, actorRole: Role, actor: Actor) async throws -> UserRecord {
        guard let user = try await env.accounts.user(email: email.trimmingCharacters(in: .whitespacesAndNewlines)),
              try await env.accounts.role(userID: user.id, organizationID: organizationID) != nil else {
            throw MembershipRuleError.notAMember
        }
        try await MembershipStore(env.db, organizationID: organizationID).change(userID: user.id, to: role, actorRole: actorRole, actor: actor)
        return user
    }

    /// What the members page's one form did with an address: a member's role changed, or anyone else was invited.
    public enum RoleOrInvitation: Sendable {
        case changed(UserRecord)
        case invited(MembershipInvitationRecord, token: String)
    }

    /// A member's role changes; anyone else is invited (for `days`) and joins on accepting — nobody is attached unasked.
    public func changeRoleOrInvite(organizationID: String, email: String, role: Role, days: Int, actorRole: Role,
                                   actor: Actor) async throws -> RoleOrInvitation {
        if let user = try await env.accounts.user(email: email.trimmingCharacters(in: .whitespacesAndNewlines)),
           try await env.accounts.role(userID: user.id, organizationID: organizationID) != nil {
            return .changed(try await changeRole(organizationID: organizationID, email: user.email, to: role, actorRole: actorRole, actor: actor))
        }
        let (invitation, token) = try await invite(organizationID: organizationID, email: email, role: role, days: days,
                                                   actorRole: actorRole, actor: actor)
        return .invited(invitation, token: token)
    }

    /// Removes a member (an owner or admin removes others; anyone may leave), never the last owner.
    public func remove(organizationID: String, userID: String, actorRole: Role, actor: Actor) async throws {
        try await MembershipStore(env.db, organizationID: organizationID).change(userID: userID, to: nil, actorRole: actorRole, actor: actor)
    }

    /// The operator's grant on the server (`tekigo admin grant`): adds or changes, keeping an owner.
    public func grantAsOperator(organizationID: String, userID: String, role: Role) async throws {
        try await MembershipStore(env.db, organizationID: organizationID).grant(userID: userID, role: role,
                                                                              actor: Actor(id: "cli", sourceIP: "local"))
    }

    /// Invites an address with a role for `days`; the token is returned once, to hand to the person.
    public func invite(organizationID: String, email rawEmail: String, role: Role, days: Int, actorRole: Role,
                       actor: Actor) async throws -> (invitation: MembershipInvitationRecord, token: String) {
        let email = try AccountUseCases.normalizedEmail(rawEmail)
        guard Self.invitationDays.contains(days) else { throw InvitationError.lifetime }
        if let user = try await env.accounts.user(email: email),
           try await env.accounts.role(userID: user.id, organizationID: organizationID) != nil {
            throw InvitationError.alreadyMember(email)
        }
        return try await MembershipStore(env.db, organizationID: organizationID)
            .invite(email: email, role: role, days: days, actorRole: actorRole, actor: actor, now: env.clock.now())
    }

    public func pendingInvitations(organizationID: String) async throws -> [MembershipInvitationRecord] {
        try await MembershipStore(env.db, organizationID: organizationID).pendingInvitations(now: env.clock.now())
    }

    public func revokeInvitation(organizationID: String, id: String, actor: Actor) async throws {
        guard try await MembershipStore(env.db, organizationID: organizationID).revokeInvitation(id: id, actor: actor, now: env.clock.now())
        else { throw InvitationError.notFound(id) }
    }

    /// The open invitation a token stands for (for the page that shows it), if any.
    public func openInvitation(token: String) async throws -> MembershipInvitationRecord? {
        try await MembershipStore.openInvitation(env.db, token: token, now: env.clock.now())
    }

    /// Accepts as a signed-in account whose address is the invited one.
    public func accept(token: String, user: UserRecord, sourceIP: String) async throws -> (OrganizationRecord, Role) {
        let db = env.db, now = env.clock.now()
        return try await db.transaction { s in
            try await MembershipStore.accept(db, token: token, user: user, sourceIP: sourceIP, now: now, on: s)
        }
    }

    /// Accepts by creating the account with the invited address (never a platform administrator), in one
    /// transaction: the account, its audit entry and the membership. The account then signs in and enrols.
    public func acceptCreatingAccount(token: String, displayName: String, password: String,
                                      sourceIP: String) async throws -> (OrganizationRecord, Role) {
        guard let invitation = try await openInvitation(token: token) else { throw InvitationError.notValid }
        guard try await env.accounts.user(email: invitation.email) == nil else { throw InvitationError.accountExists }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.missing(field: "displayName") }
        let administrator = invitation.roleValue == .owner || invitation.roleValue == .admin
        // An administrator's password may not contain the organization's name either (`checkAdministrator`).
        let organization = administrator ? try await env.accounts.organization(id: invitation.organizationId)?.name : nil
        try AccountUseCases.checkPassword(password, email: invitation.email, displayName: name,
                                          administrator: administrator, organization: organization)
        let hash = try await PasswordHasher.hash(password)
        let db = env.db, accounts = env.accounts, now = env.clock.now()
        return try await db.transaction { s in
            let user = try await accounts.createUser(email: invitation.email, displayName: name, passwordHash: hash, platformAdmin: false, on: s)
            _ = try await AuditLog(db).append(AuditEvent(actor: user.id, organizationID: invitation.organizationId, sourceIP: sourceIP,
                                                         action: .accountCreated, object: "user/\(user.id)"), on: s)
            return try await MembershipStore.accept(db, token: token, user: user, sourceIP: sourceIP, now: now, on: s)
        }
    }
}
