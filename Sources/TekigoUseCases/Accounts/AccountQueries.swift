import Foundation
import TekigoCore
import TekigoStore

/// What the pages read about people and organizations. Reads check nothing beyond what the adapter's membership
/// check already did; they live here so adapters reach the store only through this layer.
extension AccountUseCases {
    /// The organizations the user belongs to, with the user's role in each.
    public func organizations(of user: UserRecord) async throws -> [(OrganizationRecord, Role)] {
        try await env.accounts.organizations(of: user.id)
    }

    /// The organization with this id, if any.
    public func organization(id: String) async throws -> OrganizationRecord? { try await env.accounts.organization(id: id) }

    /// The account with this e-mail address, if any.
    public func user(email: String) async throws -> UserRecord? { try await env.accounts.user(email: email) }

    /// Ends a session without an audit entry of its own: the lockout that ends a half-open session is audited
    /// (`login.locked`) by the second-factor check that locked it.
    public func endLockedSession(idHash: String) async throws {
        try await env.accounts.deleteSession(idHash: idHash)
    }
}

extension MembershipUseCases {
    /// An organization's members with their roles.
    public func members(organizationID: String) async throws -> [(UserRecord, Role)] {
        try await env.accounts.members(organizationID: organizationID)
    }

    /// An open invitation as its page shows it: the invitation, its organization, and whether an account with the
    /// invited address exists (sign in first) or not (create one). Nil when the link is unknown, used or expired.
    public func invitationView(token: String) async throws -> (invitation: MembershipInvitationRecord, organization: OrganizationRecord,
                                                               hasAccount: Bool)? {
        guard let invitation = try await openInvitation(token: token),
              let organization = try await env.accounts.organization(id: invitation.organizationId) else { return nil }
        return (invitation, organization, try await env.accounts.user(email: invitation.email) != nil)
    }
}

extension TokenUseCases {
    /// An organization's API tokens (never their secrets: only hashes are stored), newest first.
    public func list(organizationID: String) async throws -> [APITokenRecord] {
        try await env.accounts.apiTokens(organizationID: organizationID)
    }
}

extension SettingsUseCases {
    /// The person's saved display settings; nil until saved (the pages then follow Accept-Language).
    public func current(userID: String) async throws -> UserSettings? {
        try await env.accounts.settings(userID: userID)
    }
}
