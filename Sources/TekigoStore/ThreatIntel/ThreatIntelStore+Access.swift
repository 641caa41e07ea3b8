import Foundation
import SQLKit

/// What one member organization may do in one collection (a row of `collection_access`).
public struct CollectionAccessGrant: Sendable, Hashable {
    public let collection: TAXIICollectionID
    public let organizationID: String
    public let canRead: Bool
    public let canWrite: Bool
}

extension ThreatIntelStore {
    /// Every member's access to the community's collections in one query (the administrators' and the operator's view
    /// of a community, which asked `collection(id:for:)` once per collection and member): by collection, then by
    /// organization id. Only organizations that are members and may read or write.
    public func memberAccess(in community: SharingCommunityID,
                             on s: (any SQLDatabase)? = nil) async throws -> [TAXIICollectionID: [String: CollectionAccessGrant]] {
        let rows = try await (s ?? db.sql).raw("""
            SELECT a.collection_id, a.organization_id, a.can_read, a.can_write FROM collection_access a \
            JOIN taxii_collections c ON c.id = a.collection_id \
            JOIN community_members m ON m.community_id = c.community_id AND m.organization_id = a.organization_id \
            WHERE c.community_id = \(bind: community.rawValue) AND (a.can_read <> 0 OR a.can_write <> 0)
            """).all()
        var out: [TAXIICollectionID: [String: CollectionAccessGrant]] = [:]
        for row in rows {
            let g = CollectionAccessGrant(collection: TAXIICollectionID(try Self.text(row, "collection_id")),
                                          organizationID: try Self.text(row, "organization_id"),
                                          canRead: try Self.flag(row, "can_read"), canWrite: try Self.flag(row, "can_write"))
            out[g.collection, default: [:]][g.organizationID] = g
        }
        return out
    }
}
