import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// A customer's invitation opened by the person it was sent to, before any organization of theirs is chosen: what it
/// offers, and accepting it for a new organization — the signed-in person's, or a new account's. Accepting for an
/// organization the person already administers is `SupplierLinkUseCases.accept` in that organization's scope.
/// Each acceptance runs in one transaction with its audit entries: the account (`account.created`), the organization
/// (`organization.created`) and the link (`supplier.linked` / `customer.linked`, the store's), so a refused
/// invitation (used, expired, unknown) leaves no account and no organization behind.
public struct SupplierOnboardingUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    /// Stands for an organization the person may not see, in the path of a refused cycle
    /// (`RelationshipError.wouldCloseCycle`): the pages put their own words in its place.
    public static let hiddenOrganization = RelationshipStore.hiddenOrganization

    /// The invitation the token stands for, with its customer's name; refused when unknown, used or expired.
    public func offer(token: String) async throws -> SupplierInvitationOffer {
        try await RelationshipStore.offer(env.db, token: token, now: env.clock.now())
    }

    /// A signed-in person creates an organization (they become its owner) that accepts the invitation at once.
    public func acceptAsNewOrganization(token: String, user: UserRecord, organization: String,
                                        sourceIP: String) async throws -> (organization: OrganizationRecord, customer: String) {
        let name = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.missing(field: "organization") }
        let offer = try await offer(token: token)
        let env = env, now = env.clock.now()
        let org = try await env.db.transaction { s in
            let org = try await Self.createOrganization(env, name: name, owner: user.id, sourceIP: sourceIP, on: s)
            try await Self.accept(env, token: token, organization: org, actor: Actor(id: user.id, sourceIP: sourceIP), now: now, on: s)
            return org
        }
        return (org, offer.customerName)
    }

    /// A person without an account creates one (never a platform administrator) and the organization that accepts
    /// the invitation, of which they are the owner. They then sign in and enrol an authenticator (SP 800-171 3.5.3).
    public func acceptCreatingAccount(token: String, email rawEmail: String, displayName: String, password: String,
                                      organization: String, sourceIP: String) async throws -> (user: UserRecord, organization: OrganizationRecord) {
        let email = try AccountUseCases.normalizedEmail(rawEmail)
        let displayName = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !displayName.isEmpty else { throw AccountError.missing(field: "displayName") }
        guard !name.isEmpty else { throw AccountError.missing(field: "organization") }
        // The account owns the organization it creates: an administrator's password (`checkAdministrator`).
        try AccountUseCases.checkPassword(password, email: email, displayName: displayName, administrator: true, organization: name)
        _ = try await offer(token: token)
        if try await env.accounts.user(email: email) != nil { throw AccountError.emailTaken }
        let hash = try await PasswordHasher.hash(password)
        let env = env, now = env.clock.now()
        return try await env.db.transaction { s in
            let user = try await env.accounts.createUser(email: email, displayName: displayName, passwordHash: hash, platformAdmin: false, on: s)
            let org = try await Self.createOrganization(env, name: name, owner: user.id, sourceIP: sourceIP, on: s)
            _ = try await env.audit.append(AuditEvent(actor: user.id, organizationID: org.id, sourceIP: sourceIP, action: .accountCreated,
                                                      object: "user/\(user.id)"), on: s)
            try await Self.accept(env, token: token, organization: org, actor: Actor(id: user.id, sourceIP: sourceIP), now: now, on: s)
            return (user, org)
        }
    }

    static func createOrganization(_ env: AccountEnvironment, name: String, owner: String, sourceIP: String,
                                   on s: any SQLDatabase) async throws -> OrganizationRecord {
        let org = try await env.accounts.createOrganization(name: name, owner: owner, on: s)
        _ = try await env.audit.append(AuditEvent(actor: owner, organizationID: org.id, sourceIP: sourceIP, action: .organizationCreated,
                                                  object: "organization/\(org.id)"), on: s)
        return org
    }

    /// The store's acceptance for the new organization, at its calendar's today (its time zone is the default one).
    static func accept(_ env: AccountEnvironment, token: String, organization: OrganizationRecord, actor: Actor, now: Date,
                       on s: any SQLDatabase) async throws {
        let today = OrganizationCalendar(identifier: organization.timeZone).today(env.clock)
        try await RelationshipStore(env.db, organizationID: organization.id).accept(token: token, by: actor, now: now, today: today, on: s)
    }
}
