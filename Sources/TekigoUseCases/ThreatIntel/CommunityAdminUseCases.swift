import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// Why a sharing community cannot be set up as asked, in both languages, saying what to do.
public enum CommunityAdminError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The slug is the TAXII API root's path segment (`/taxii2/<slug>/`).
    case badSlug(String)
    case badName
    case badTitle
    case unknownCommunity(String)
    case unknownCollection(String)
    /// Access to a collection is for members of its community only.
    case notAMember(organization: String, community: String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .badSlug(let s):
            return LocalizedText(en: "'\(s)' cannot be a community's slug: use 3–63 characters of a–z, 0–9 and '-', starting with a letter (it becomes the TAXII API root /taxii2/<slug>/).",
                                 ja: "「\(s)」はコミュニティの識別名に使えません。英小文字で始まる a–z・0–9・「-」の 3～63 文字にしてください（TAXII の API ルート /taxii2/<識別名>/ になります）。")
        case .badName:
            return LocalizedText(en: "The community needs a name of 1–200 characters.", ja: "コミュニティの名前を 1～200 文字で入力してください。")
        case .badTitle:
            return LocalizedText(en: "The collection needs a title of 1–200 characters.", ja: "コレクションの題名を 1～200 文字で入力してください。")
        case .unknownCommunity(let c):
            return LocalizedText(en: "There is no sharing community '\(c)'; `tekigo community list` shows the slugs.",
                                 ja: "共有コミュニティ「\(c)」はありません。`tekigo community list` で識別名を確認してください。")
        case .unknownCollection(let c):
            return LocalizedText(en: "The community has no collection '\(c)' (id or alias); `tekigo community show` lists them.",
                                 ja: "このコミュニティにコレクション「\(c)」（ID 又は別名）はありません。`tekigo community show` で確認してください。")
        case .notAMember(let o, let c):
            return LocalizedText(en: "Organization \(o) is not a member of '\(c)': add it with `tekigo community add-member` first; collections are for members only.",
                                 ja: "組織 \(o) は「\(c)」に参加していません。先に `tekigo community add-member` で追加してください（コレクションは参加組織だけが使えます）。")
        }
    }
}

/// A community with its members (every one, listed or not: this is the operator's view) and collections with who may
/// read and write each.
public struct CommunityOverview: Sendable, Hashable {
    public struct Access: Sendable, Hashable, Codable {
        public let organizationID: String
        public let canRead: Bool
        public let canWrite: Bool
    }
    public let community: SharingCommunity
    public let members: [CommunityMember]
    public let collections: [(collection: TAXIICollection, access: [Access])]

    public static func == (a: CommunityOverview, b: CommunityOverview) -> Bool {
        a.community == b.community && a.members == b.members && a.collections.map(\.collection) == b.collections.map(\.collection)
            && a.collections.map(\.access) == b.collections.map(\.access)
    }
    public func hash(into h: inout Hasher) { h.combine(community) }
}

/// The operator's administration of sharing communities on the server (`tekigo community …`, issue 14 item 4): a
/// community (an ISAC, or a supply-chain community), its member organizations with their standing (administrator or
/// member, listed to other members or not, authorized for CUI or not), its TAXII collections and each member's read
/// and write access. Each change is one transaction with its audit entry (actor `cli`). Who is a member is the
/// operator's and the community administrators' to see; the TAXII server never lists members.
public struct CommunityAdminUseCases: Sendable {
    public let env: TenantEnvironment
    static let actor = Actor(id: "cli", sourceIP: "local")

    public init(_ env: TenantEnvironment) {
        self.env = env
    }

    var store: ThreatIntelStore { ThreatIntelStore(env.db) }

    /// 3–63 of a–z, 0–9 and '-', starting with a letter: a URL path segment that needs no escaping.
    static func isSlug(_ s: String) -> Bool {
        guard (3...63).contains(s.utf8.count), let first = s.utf8.first, (0x61...0x7A).contains(first) else { return false }
        return s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    func audit(_ action: AuditAction, _ object: String, organization: String? = nil, on s: any SQLDatabase) async throws {
        _ = try await env.audit.append(AuditEvent(actor: Self.actor.id, organizationID: organization, sourceIP: Self.actor.sourceIP,
                                                  action: action, object: object), on: s)
    }

    public func create(slug: String, name: String, kind: SharingCommunityKind) async throws -> SharingCommunity {
        guard Self.isSlug(slug) else { throw CommunityAdminError.badSlug(slug) }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw CommunityAdminError.badName }
        let store = store, now = env.clock.now()
        return try await env.db.transaction { s in
            let c = try await store.createCommunity(slug: slug, name: name, kind: kind, now: now, on: s)
            try await audit(.communityCreated, "community/\(c.slug)", on: s)
            return c
        }
    }

    public func community(_ slug: String) async throws -> SharingCommunity {
        guard let c = try await store.community(slug: slug) else { throw CommunityAdminError.unknownCommunity(slug) }
        return c
    }

    /// Adds the organization, or changes its standing.
    public func setMember(community slug: String, organizationID: String, role: CommunityRole, listed: Bool,
                          cuiAuthorized: Bool) async throws -> CommunityMember {
        let c = try await community(slug)
        let store = store, now = env.clock.now()
        return try await env.db.transaction { s in
            try await store.addMember(c.id, organization: organizationID, role: role, listed: listed, cuiAuthorized: cuiAuthorized,
                                      now: now, on: s)
            try await audit(.communityMemberSet, "community/\(c.slug)/member/\(organizationID)", organization: organizationID, on: s)
            guard let m = try await store.member(c.id, organization: organizationID, on: s) else {
                throw CommunityAdminError.notAMember(organization: organizationID, community: slug)
            }
            return m
        }
    }

    public func createCollection(community slug: String, title: String, description: String, alias: String?) async throws -> TAXIICollection {
        let c = try await community(slug)
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw CommunityAdminError.badTitle }
        if let alias, !Self.isSlug(alias) { throw CommunityAdminError.badSlug(alias) }
        let store = store, now = env.clock.now()
        return try await env.db.transaction { s in
            let collection = try await store.createCollection(in: c.id, title: title, description: description, alias: alias, now: now, on: s)
            try await audit(.communityCollectionCreated, "community/\(c.slug)/collection/\(collection.id.rawValue)", on: s)
            return collection
        }
    }

    /// What a member organization may do in a collection of its community (both false: nothing).
    public func setAccess(community slug: String, collection: String, organizationID: String, canRead: Bool, canWrite: Bool) async throws {
        let c = try await community(slug)
        let target = try await self.collection(collection, in: c)
        let store = store
        try await env.db.transaction { s in
            guard try await store.member(c.id, organization: organizationID, on: s) != nil else {
                throw CommunityAdminError.notAMember(organization: organizationID, community: slug)
            }
            try await store.setAccess(collection: target.id, organization: organizationID, canRead: canRead, canWrite: canWrite, on: s)
            try await audit(.communityAccessSet, "community/\(c.slug)/collection/\(target.id.rawValue)/access/\(organizationID)",
                            organization: organizationID, on: s)
        }
    }

    func collection(_ idOrAlias: String, in c: SharingCommunity) async throws -> TAXIICollection {
        if let byAlias = try await store.collection(alias: idOrAlias, in: c.id) { return byAlias }
        if let byID = try await store.collection(id: TAXIICollectionID(idOrAlias)), byID.community == c.id { return byID }
        throw CommunityAdminError.unknownCollection(idOrAlias)
    }

    public func list() async throws -> [SharingCommunity] { try await store.communities() }

    public func overview(_ slug: String) async throws -> CommunityOverview {
        let c = try await community(slug)
        let members = try await store.members(of: c.id)
        return CommunityOverview(community: c, members: members, collections: try await Self.collectionsWithAccess(c.id, members, store))
    }

    /// Each collection of the community with every member's access (read or write), in `members`' order: the operator's
    /// overview and a community administrator's page (`CommunityUseCases.community`) both, in two queries.
    static func collectionsWithAccess(_ c: SharingCommunityID, _ members: [CommunityMember],
                                      _ store: ThreatIntelStore) async throws -> [(collection: TAXIICollection, access: [CommunityOverview.Access])] {
        let grants = try await store.memberAccess(in: c)
        return try await store.collections(in: c).map { collection in
            let byMember = grants[collection.id] ?? [:]
            return (collection, members.compactMap { m in
                byMember[m.organizationID].map { CommunityOverview.Access(organizationID: m.organizationID, canRead: $0.canRead, canWrite: $0.canWrite) }
            })
        }
    }
}
