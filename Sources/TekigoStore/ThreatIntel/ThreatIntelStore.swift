import Foundation
import SQLKit

/// The sharing hub's store (migration 14, issue 14): sharing communities and their members, TAXII collections and
/// each organization's access, STIX objects by (id, version) with TAXII's paging (`ThreatIntelStore+Objects`), and
/// the status of each POST.
///
/// Every call runs in one transaction of its own, or in the caller's when given `on:` (the use-case layer opens one
/// to add its audit entry beside the change; it must be a transaction, `TekigoDatabase.transaction`'s, never the
/// pooled `db.sql`: `add` relies on it to hold the collection's lock until the commit). The rules (who may create a community, publish, see the member list,
/// the TLP and CUI rules on publishing) are the use-case layer's; the store keeps the rows and applies the audience
/// filter when serving objects.
public struct ThreatIntelStore: Sendable {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) {
        self.db = db
    }

    /// Runs `body` in the caller's transaction, or in a new one.
    func write<R: Sendable>(_ s: (any SQLDatabase)?, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let s { return try await body(s) }
        return try await db.transaction(body)
    }

    static func text(_ row: any SQLRow, _ column: String) throws -> String { try row.decode(column: column, as: String.self) }
    static func optionalText(_ row: any SQLRow, _ column: String) throws -> String? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
    }
    static func flag(_ row: any SQLRow, _ column: String) throws -> Bool { try row.decode(column: column, as: Int.self) != 0 }

    // MARK: - Communities

    static func community(_ row: any SQLRow) throws -> SharingCommunity {
        let kind = try text(row, "kind")
        guard let k = SharingCommunityKind(rawValue: kind) else { throw ThreatIntelStoreError.corruptRow("community kind '\(kind)'") }
        return SharingCommunity(id: SharingCommunityID(try text(row, "id")), slug: try text(row, "slug"), name: try text(row, "name"),
                                kind: k, createdAt: try text(row, "created_at"))
    }

    /// Creates a community; `slugTaken` when the slug is in use.
    public func createCommunity(slug: String, name: String, kind: SharingCommunityKind, now: Date = Date(),
                                on s: (any SQLDatabase)? = nil) async throws -> SharingCommunity {
        let c = SharingCommunity(id: .make(), slug: slug, name: name, kind: kind, createdAt: Timestamp.string(now))
        return try await write(s) { s in
            if try await s.select().column("id").from("sharing_communities").where("slug", .equal, slug).first() != nil {
                throw ThreatIntelStoreError.slugTaken(slug)
            }
            try await s.insert(into: "sharing_communities").columns("id", "slug", "name", "kind", "created_at")
                .values(SQLBind(c.id.rawValue), SQLBind(c.slug), SQLBind(c.name), SQLBind(c.kind.rawValue), SQLBind(c.createdAt)).run()
            return c
        }
    }

    public func community(slug: String, on s: (any SQLDatabase)? = nil) async throws -> SharingCommunity? {
        try await (s ?? db.sql).select().columns("*").from("sharing_communities").where("slug", .equal, slug).first().map(Self.community)
    }

    public func community(id: SharingCommunityID, on s: (any SQLDatabase)? = nil) async throws -> SharingCommunity? {
        try await (s ?? db.sql).select().columns("*").from("sharing_communities").where("id", .equal, id.rawValue).first().map(Self.community)
    }

    /// Every community, by name (the operator's view).
    public func communities(on s: (any SQLDatabase)? = nil) async throws -> [SharingCommunity] {
        try await (s ?? db.sql).select().columns("*").from("sharing_communities").orderBy("name").orderBy("id").all().map(Self.community)
    }

    /// Adds the organization to the community, or sets its role and choices when it is a member already.
    /// `unknownCommunity` when there is no such community.
    public func addMember(_ community: SharingCommunityID, organization: String, role: CommunityRole, listed: Bool,
                          cuiAuthorized: Bool, now: Date = Date(), on s: (any SQLDatabase)? = nil) async throws {
        try await write(s) { s in
            guard try await s.select().column("id").from("sharing_communities").where("id", .equal, community.rawValue).first() != nil else {
                throw ThreatIntelStoreError.unknownCommunity(community.rawValue)
            }
            let updated = try await s.update("community_members").set("role", to: SQLBind(role.rawValue))
                .set("listed", to: SQLBind(listed ? 1 : 0)).set("cui_authorized", to: SQLBind(cuiAuthorized ? 1 : 0))
                .where("community_id", .equal, community.rawValue).where("organization_id", .equal, organization)
                .returning("organization_id").all()
            if updated.isEmpty {
                try await s.insert(into: "community_members")
                    .columns("community_id", "organization_id", "role", "listed", "cui_authorized", "joined_at")
                    .values(SQLBind(community.rawValue), SQLBind(organization), SQLBind(role.rawValue), SQLBind(listed ? 1 : 0),
                            SQLBind(cuiAuthorized ? 1 : 0), SQLBind(Timestamp.string(now))).run()
            }
        }
    }

    /// Removes the organization from the community and its access to the community's collections; false when it
    /// was not a member. Objects it published stay.
    @discardableResult
    public func removeMember(_ community: SharingCommunityID, organization: String, on s: (any SQLDatabase)? = nil) async throws -> Bool {
        try await write(s) { s in
            let gone = try await s.delete(from: "community_members").where("community_id", .equal, community.rawValue)
                .where("organization_id", .equal, organization).returning("organization_id").all()
            try await s.raw("""
                DELETE FROM collection_access WHERE organization_id = \(bind: organization) \
                AND collection_id IN (SELECT id FROM taxii_collections WHERE community_id = \(bind: community.rawValue))
                """).run()
            return !gone.isEmpty
        }
    }

    static func member(_ row: any SQLRow) throws -> CommunityMember {
        let role = try text(row, "role")
        guard let r = CommunityRole(rawValue: role) else { throw ThreatIntelStoreError.corruptRow("member role '\(role)'") }
        return CommunityMember(community: SharingCommunityID(try text(row, "community_id")), organizationID: try text(row, "organization_id"),
                               organizationName: try text(row, "name"), role: r, listed: try flag(row, "listed"),
                               cuiAuthorized: try flag(row, "cui_authorized"), joinedAt: try text(row, "joined_at"))
    }

    /// Every member, listed or not, by name (the use-case layer shows the unlisted ones to administrators only).
    public func members(of community: SharingCommunityID, on s: (any SQLDatabase)? = nil) async throws -> [CommunityMember] {
        try await (s ?? db.sql).raw("""
            SELECT m.community_id, m.organization_id, o.name, m.role, m.listed, m.cui_authorized, m.joined_at \
            FROM community_members m JOIN organizations o ON o.id = m.organization_id \
            WHERE m.community_id = \(bind: community.rawValue) ORDER BY o.name, m.organization_id
            """).all().map(Self.member)
    }

    /// The organization's row in the community, or nil when it is not a member.
    public func member(_ community: SharingCommunityID, organization: String, on s: (any SQLDatabase)? = nil) async throws -> CommunityMember? {
        try await (s ?? db.sql).raw("""
            SELECT m.community_id, m.organization_id, o.name, m.role, m.listed, m.cui_authorized, m.joined_at \
            FROM community_members m JOIN organizations o ON o.id = m.organization_id \
            WHERE m.community_id = \(bind: community.rawValue) AND m.organization_id = \(bind: organization)
            """).first().map(Self.member)
    }

    /// The communities the organization belongs to, by name.
    public func communities(forOrganization organization: String, on s: (any SQLDatabase)? = nil) async throws -> [CommunityMembership] {
        try await (s ?? db.sql).raw("""
            SELECT c.id, c.slug, c.name, c.kind, c.created_at, m.role, m.listed, m.cui_authorized \
            FROM community_members m JOIN sharing_communities c ON c.id = m.community_id \
            WHERE m.organization_id = \(bind: organization) ORDER BY c.name, c.id
            """).all().map { row in
            let role = try Self.text(row, "role")
            guard let r = CommunityRole(rawValue: role) else { throw ThreatIntelStoreError.corruptRow("member role '\(role)'") }
            return CommunityMembership(community: try Self.community(row), role: r, listed: try Self.flag(row, "listed"),
                                       cuiAuthorized: try Self.flag(row, "cui_authorized"))
        }
    }

    // MARK: - Collections

    static let collectionColumns = "c.id, c.community_id, c.title, c.description, c.alias, c.created_at"

    static func collection(_ row: any SQLRow) throws -> TAXIICollection {
        TAXIICollection(id: TAXIICollectionID(try text(row, "id")), community: SharingCommunityID(try text(row, "community_id")),
                        title: try text(row, "title"), description: try text(row, "description"), alias: try optionalText(row, "alias"),
                        createdAt: try text(row, "created_at"))
    }

    /// Creates a collection in the community; `unknownCommunity`, or `aliasTaken` when the community has the alias.
    public func createCollection(in community: SharingCommunityID, title: String, description: String, alias: String?,
                                 now: Date = Date(), on s: (any SQLDatabase)? = nil) async throws -> TAXIICollection {
        let c = TAXIICollection(id: .make(), community: community, title: title, description: description, alias: alias,
                                createdAt: Timestamp.string(now))
        return try await write(s) { s in
            guard try await s.select().column("id").from("sharing_communities").where("id", .equal, community.rawValue).first() != nil else {
                throw ThreatIntelStoreError.unknownCommunity(community.rawValue)
            }
            if let alias, try await s.select().column("id").from("taxii_collections").where("community_id", .equal, community.rawValue)
                .where("alias", .equal, alias).first() != nil {
                throw ThreatIntelStoreError.aliasTaken(alias)
            }
            try await s.insert(into: "taxii_collections")
                .columns("id", "community_id", "title", "description", "alias", "created_at", "last_seq", "last_date_added")
                .values(SQLBind(c.id.rawValue), SQLBind(community.rawValue), SQLBind(title), SQLBind(description), SQLBind(alias),
                        SQLBind(c.createdAt), SQLBind(0), SQLBind(String?.none)).run()
            return c
        }
    }

    /// Sets what the organization may do in the collection; both false removes its access.
    public func setAccess(collection: TAXIICollectionID, organization: String, canRead: Bool, canWrite: Bool,
                          on s: (any SQLDatabase)? = nil) async throws {
        try await write(s) { s in
            guard try await s.select().column("id").from("taxii_collections").where("id", .equal, collection.rawValue).first() != nil else {
                throw ThreatIntelStoreError.unknownCollection(collection.rawValue)
            }
            try await s.delete(from: "collection_access").where("collection_id", .equal, collection.rawValue)
                .where("organization_id", .equal, organization).run()
            if canRead || canWrite {
                try await s.insert(into: "collection_access").columns("collection_id", "organization_id", "can_read", "can_write")
                    .values(SQLBind(collection.rawValue), SQLBind(organization), SQLBind(canRead ? 1 : 0), SQLBind(canWrite ? 1 : 0)).run()
            }
        }
    }

    public func collection(id: TAXIICollectionID, on s: (any SQLDatabase)? = nil) async throws -> TAXIICollection? {
        try await (s ?? db.sql).raw("SELECT \(unsafeRaw: Self.collectionColumns) FROM taxii_collections c WHERE c.id = \(bind: id.rawValue)")
            .first().map(Self.collection)
    }

    public func collection(alias: String, in community: SharingCommunityID, on s: (any SQLDatabase)? = nil) async throws -> TAXIICollection? {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.collectionColumns) FROM taxii_collections c \
            WHERE c.community_id = \(bind: community.rawValue) AND c.alias = \(bind: alias)
            """).first().map(Self.collection)
    }

    /// Every collection of the community, whoever may use it (the administrators' view), oldest first.
    public func collections(in community: SharingCommunityID, on s: (any SQLDatabase)? = nil) async throws -> [TAXIICollection] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.collectionColumns) FROM taxii_collections c \
            WHERE c.community_id = \(bind: community.rawValue) ORDER BY c.created_at, c.id
            """).all().map(Self.collection)
    }

    /// The collections the organization may read or write, in one community or (nil) in all, oldest first.
    public func collections(in community: SharingCommunityID?, for organization: String,
                            on s: (any SQLDatabase)? = nil) async throws -> [TAXIICollectionGrant] {
        var q: SQLQueryString = """
            SELECT \(unsafeRaw: Self.collectionColumns), a.can_read, a.can_write FROM taxii_collections c \
            JOIN collection_access a ON a.collection_id = c.id WHERE a.organization_id = \(bind: organization)
            """
        if let community { q += " AND c.community_id = \(bind: community.rawValue)" }
        q += " ORDER BY c.created_at, c.id"
        return try await (s ?? db.sql).raw(q).all().map {
            TAXIICollectionGrant(collection: try Self.collection($0), canRead: try Self.flag($0, "can_read"), canWrite: try Self.flag($0, "can_write"))
        }
    }

    /// The collection with the organization's access, or nil when the organization has none there (or there is no
    /// such collection: a caller answers both the same way, so that ids do not leak).
    public func collection(id: TAXIICollectionID, for organization: String, on s: (any SQLDatabase)? = nil) async throws -> TAXIICollectionGrant? {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.collectionColumns), a.can_read, a.can_write FROM taxii_collections c \
            JOIN collection_access a ON a.collection_id = c.id WHERE c.id = \(bind: id.rawValue) AND a.organization_id = \(bind: organization)
            """).first().map {
            TAXIICollectionGrant(collection: try Self.collection($0), canRead: try Self.flag($0, "can_read"), canWrite: try Self.flag($0, "can_write"))
        }
    }
}
