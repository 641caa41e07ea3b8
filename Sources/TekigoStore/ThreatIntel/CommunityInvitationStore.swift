import Foundation
import SQLKit

/// Where an invitation to a community stands.
public enum CommunityInvitationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, accepted, declined, withdrawn
}

/// An invitation of an organization to a sharing community (migration 17), with the community and the organizations'
/// names for lists.
public struct CommunityInvitation: Sendable, Hashable, Codable {
    public let id: String
    public let community: SharingCommunity
    public let organizationID: String
    public let organizationName: String
    public let invitedByOrganization: String
    public let invitedByOrganizationName: String
    /// A user id.
    public let invitedByPerson: String
    /// `Timestamp` text.
    public let invitedAt: String
    public let status: CommunityInvitationStatus
    public let decidedAt: String?
    /// A user id.
    public let decidedBy: String?
    /// Whether the organization chose, when it accepted, to be listed to the other members.
    public let listed: Bool?
}

/// The invitations' rows (migration 17). The rules (who may invite whom, who decides) are `CommunityUseCases`'; the
/// store keeps one pending invitation per (community, organization) and moves an invitation out of `pending` only
/// once (`decide` answers false when it was not pending any more, under the row's update).
public struct CommunityInvitationStore: Sendable {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) {
        self.db = db
    }

    func write<R: Sendable>(_ s: (any SQLDatabase)?, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let s { return try await body(s) }
        return try await db.transaction(body)
    }

    static let columns = """
        i.id, i.organization_id, o.name AS organization_name, i.invited_by_org, b.name AS invited_by_name, i.invited_by_person, \
        i.invited_at, i.status, i.decided_at, i.decided_by, i.listed, \
        c.id AS c_id, c.slug AS c_slug, c.name AS c_name, c.kind AS c_kind, c.created_at AS c_created_at
        """
    static let from = """
        community_invitations i JOIN organizations o ON o.id = i.organization_id \
        JOIN organizations b ON b.id = i.invited_by_org JOIN sharing_communities c ON c.id = i.community_id
        """

    static func invitation(_ row: any SQLRow) throws -> CommunityInvitation {
        let t = ThreatIntelStore.text, opt = ThreatIntelStore.optionalText
        let status = try t(row, "status"), kind = try t(row, "c_kind")
        guard let st = CommunityInvitationStatus(rawValue: status) else { throw ThreatIntelStoreError.corruptRow("invitation status '\(status)'") }
        guard let k = SharingCommunityKind(rawValue: kind) else { throw ThreatIntelStoreError.corruptRow("community kind '\(kind)'") }
        let listed: Bool? = try row.decodeNil(column: "listed") ? nil : try row.decode(column: "listed", as: Int.self) != 0
        return CommunityInvitation(
            id: try t(row, "id"),
            community: SharingCommunity(id: SharingCommunityID(try t(row, "c_id")), slug: try t(row, "c_slug"), name: try t(row, "c_name"),
                                        kind: k, createdAt: try t(row, "c_created_at")),
            organizationID: try t(row, "organization_id"), organizationName: try t(row, "organization_name"),
            invitedByOrganization: try t(row, "invited_by_org"), invitedByOrganizationName: try t(row, "invited_by_name"),
            invitedByPerson: try t(row, "invited_by_person"), invitedAt: try t(row, "invited_at"), status: st,
            decidedAt: try opt(row, "decided_at"), decidedBy: try opt(row, "decided_by"), listed: listed)
    }

    /// Records a pending invitation; `CommunityInvitationStoreError.invitationPending` when the organization has one already.
    public func invite(_ community: SharingCommunityID, organization: String, by inviter: STIXPublisher, now: Date = Date(),
                       on s: (any SQLDatabase)? = nil) async throws -> String {
        let id = UUID().uuidString.lowercased()
        return try await write(s) { s in
            if try await s.select().column("id").from("community_invitations").where("community_id", .equal, community.rawValue)
                .where("organization_id", .equal, organization).where("status", .equal, CommunityInvitationStatus.pending.rawValue)
                .first() != nil {
                throw CommunityInvitationStoreError.invitationPending(organization)
            }
            try await s.insert(into: "community_invitations")
                .columns("id", "community_id", "organization_id", "invited_by_org", "invited_by_person", "invited_at", "status",
                         "decided_at", "decided_by", "listed")
                .values(SQLBind(id), SQLBind(community.rawValue), SQLBind(organization), SQLBind(inviter.organizationID),
                        SQLBind(inviter.personID), SQLBind(Timestamp.string(now)), SQLBind(CommunityInvitationStatus.pending.rawValue),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind(Int?.none)).run()
            return id
        }
    }

    public func invitation(id: String, on s: (any SQLDatabase)? = nil) async throws -> CommunityInvitation? {
        try await (s ?? db.sql).raw("SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.from) WHERE i.id = \(bind: id)")
            .first().map(Self.invitation)
    }

    /// Moves a pending invitation to `status`; false (nothing changed) when it was not pending.
    public func decide(id: String, status: CommunityInvitationStatus, by person: String, listed: Bool?, now: Date = Date(),
                       on s: (any SQLDatabase)? = nil) async throws -> Bool {
        try await write(s) { s in
            let rows = try await s.update("community_invitations").set("status", to: SQLBind(status.rawValue))
                .set("decided_at", to: SQLBind(Timestamp.string(now))).set("decided_by", to: SQLBind(person))
                .set("listed", to: SQLBind(listed.map { $0 ? 1 : 0 }))
                .where("id", .equal, id).where("status", .equal, CommunityInvitationStatus.pending.rawValue)
                .returning("id").all()
            return !rows.isEmpty
        }
    }

    /// The organization's invitations (pending ones when `pendingOnly`), newest first.
    public func invitations(for organization: String, pendingOnly: Bool = true, on s: (any SQLDatabase)? = nil) async throws -> [CommunityInvitation] {
        var q: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.from) WHERE i.organization_id = \(bind: organization)"
        if pendingOnly { q += " AND i.status = \(bind: CommunityInvitationStatus.pending.rawValue)" }
        q += " ORDER BY i.invited_at DESC, i.id"
        return try await (s ?? db.sql).raw(q).all().map(Self.invitation)
    }

    /// Holds the community's row until the transaction ends (a no-op UPDATE: PostgreSQL keeps its row lock; SQLite's
    /// BEGIN IMMEDIATE holds the database already), so that changes judged on the member list (the last administrator)
    /// are taken one at a time.
    public func lockCommunity(_ community: SharingCommunityID, on s: any SQLDatabase) async throws {
        try await s.raw("UPDATE sharing_communities SET name = name WHERE id = \(bind: community.rawValue)").run()
    }

    /// Every invitation of the community (the administrators' view), newest first.
    public func invitations(in community: SharingCommunityID, on s: (any SQLDatabase)? = nil) async throws -> [CommunityInvitation] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.from) WHERE i.community_id = \(bind: community.rawValue) \
            ORDER BY i.invited_at DESC, i.id
            """).all().map(Self.invitation)
    }
}

/// What the invitations' store refuses.
public enum CommunityInvitationStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The organization has a pending invitation to the community already.
    case invitationPending(String)

    public var description: String {
        switch self {
        case .invitationPending(let o): return "organization \(o) has a pending invitation to this community already; wait for its answer or withdraw it."
        }
    }
}
