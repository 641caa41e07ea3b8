import Foundation
import SQLKit
import TekigoCore

/// The rows behind the members page's colleague operations (issue #12 item 1): one open invitation per address, a
/// new link replacing an old one, a member's authenticator cleared. Each runs in the caller's transaction (`on:`);
/// the use cases (`MembershipUseCases`, `SecondFactorUseCases`) open it and write the audit entry in it.
extension MembershipStore {
    /// The invitation for `email` into `organizationID` that can still be accepted, if any.
    static func openInvitation(email: String, organizationID: String, now: Date,
                               on s: any SQLDatabase) async throws -> MembershipInvitationRecord? {
        try await s.select().columns("*").from("membership_invitations").where("organization_id", .equal, organizationID)
            .where("email", .equal, email.lowercased()).where("accepted_at", .is, SQLLiteral.null)
            .where("revoked_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, Timestamp.string(now)).first()?
            .decode(model: MembershipInvitationRecord.self, with: fromSnake)
    }

    /// Replaces the invitation `id` of this organization (not accepted or withdrawn; an expired one may be sent again)
    /// by a new one for the same address and role, valid for `days` from `now`: the old link stops working at once.
    /// Nil when there is no such invitation. The organization's row is locked first, as `invite` does.
    public func reissueInvitation(id: String, days: Int, invitedBy: String, now: Date,
                                  on s: any SQLDatabase) async throws -> (old: MembershipInvitationRecord, new: MembershipInvitationRecord, token: String)? {
        guard storableID(id) else { return nil }
        try await SupplyChainLocks.organization(organizationID, on: s)
        guard let old = try await s.select().columns("*").from("membership_invitations").where("id", .equal, id)
            .where("organization_id", .equal, organizationID).where("accepted_at", .is, SQLLiteral.null)
            .where("revoked_at", .is, SQLLiteral.null).first()?
            .decode(model: MembershipInvitationRecord.self, with: Self.fromSnake) else { return nil }
        try await s.update("membership_invitations").set("revoked_at", to: Timestamp.string(now)).where("id", .equal, id).run()
        let token = RelationshipStore.newToken()
        let record = MembershipInvitationRecord(
            id: UUID().uuidString.lowercased(), tokenHash: RelationshipStore.tokenHash(token), organizationId: organizationID,
            email: old.email, role: old.role, invitedBy: invitedBy, createdAt: Timestamp.string(now),
            expiresAt: Timestamp.string(now.addingTimeInterval(TimeInterval(days) * 86_400)), acceptedAt: nil, acceptedBy: nil,
            revokedAt: nil)
        try await s.insert(into: "membership_invitations").model(record, with: Self.snake).run()
        return (old, record, token)
    }

    /// The invitation `id` of this organization, whatever its state (for recording what became of its e-mail).
    public func invitation(id: String) async throws -> MembershipInvitationRecord? {
        guard storableID(id) else { return nil }
        return try await db.sql.select().columns("*").from("membership_invitations").where("id", .equal, id)
            .where("organization_id", .equal, organizationID).first()?
            .decode(model: MembershipInvitationRecord.self, with: Self.fromSnake)
    }

    /// The member's role here, read in `s` (nil: not a member).
    public func role(userID: String, on s: any SQLDatabase) async throws -> Role? {
        guard storableID(userID) else { return nil }
        return try await Self.role(userID: userID, organizationID: organizationID, on: s)
    }
}
