import Foundation
import SQLKit
import TekigoCore

/// What a customer's invitation offers, as the person holding its token may see it before accepting: who invites
/// and until when. Only the token's holder can ask (the token is the key), so the customer's name is no leak.
public struct SupplierInvitationOffer: Sendable, Hashable {
    public let invitation: SupplierInvitationRecord
    public let customerName: String
}

extension RelationshipStore {
    /// The invitation a token stands for with its customer's name, refused exactly as `accept` would refuse it for
    /// the token alone (unknown, already used, expired); reading only. Whether the organization that accepts may
    /// (its own invitation, an existing link, a cycle) is decided when it accepts.
    /// - Throws: `RelationshipError.unknownInvitation`, `.invitationUsed`, `.invitationExpired`.
    public static func offer(_ db: TekigoDatabase, token: String, now: Date) async throws -> SupplierInvitationOffer {
        let hash = tokenHash(token)
        guard let inv = try await db.sql.select().columns("*").from("supplier_invitations").where("token_hash", .equal, hash)
            .first()?.decode(model: SupplierInvitationRecord.self, with: fromSnake)
        else { throw RelationshipError.unknownInvitation }
        if let at = inv.acceptedAt { throw RelationshipError.invitationUsed(at: at, byYou: false) }
        if inv.isExpired(at: now) { throw RelationshipError.invitationExpired(at: inv.expiresAt) }
        let name = try await db.sql.select().column("name").from("organizations").where("id", .equal, inv.customerId).first()?
            .decode(column: "name", as: String.self)
        return SupplierInvitationOffer(invitation: inv, customerName: name ?? inv.customerId)
    }
}
