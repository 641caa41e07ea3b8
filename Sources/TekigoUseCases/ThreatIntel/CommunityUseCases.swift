import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// An organization that may be invited to a supply-chain community: one of the creator's suppliers, or a deeper-tier
/// supplier its roll-up lets it see by name.
public struct CommunityCandidate: Sendable, Hashable, Codable {
    public let organizationID: String
    public let name: String
    /// 1 = a direct supplier.
    public let tier: Int
}

/// A collection of a community as the caller sees it: its own access, and (administrators only) every member's.
public struct CommunityCollectionView: Sendable, Hashable {
    public typealias Access = CommunityOverview.Access
    public let collection: TAXIICollection
    public let canRead: Bool
    public let canWrite: Bool
    /// Each member with access (administrators' view); empty for a member.
    public let access: [Access]
}

/// One community as the caller's organization sees it. A member that is not an administrator sees only the members
/// that chose to be listed, and itself; administrators see every member, the invitations and the candidates.
public struct CommunityDetail: Sendable, Hashable {
    public let community: SharingCommunity
    /// The caller's organization's row.
    public let own: CommunityMember
    public var isAdministrator: Bool { own.role == .administrator }
    /// Whether the person may change anything for the organization (owner or administrator of it).
    public let personMayChange: Bool
    public let members: [CommunityMember]
    public let collections: [CommunityCollectionView]
    /// Administrators only: every invitation, newest first.
    public let invitations: [CommunityInvitation]
    /// Administrators of a supply-chain community only: the organizations of the supply chain not yet members nor
    /// invited.
    public let candidates: [CommunityCandidate]
}

/// Sharing communities as a signed-in person of an organization uses them (issue 14 item 4): create a supply-chain
/// community drawn from the organization's suppliers, invite them (each one joins only when its owner or
/// administrator accepts), withdraw; answer the organization's own invitations (accept, choosing whether to be listed
/// to the other members, or decline); and, for the community's administrators, members (role, CUI authorization,
/// removal), collections and each member's access. A member sees the community, its collections with its own access,
/// and only the members that chose to be listed; it may change its own listing and leave. The last administrator
/// can neither leave nor be removed or demoted.
///
/// Owners and administrators of the organization change anything; other roles read; an external auditor sees
/// nothing. Each change is one transaction with its typed audit entry; a refusal is a `CommunityError` and changes
/// nothing.
public struct CommunityUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    /// The person (a user id) acting for the organization.
    public let personID: String

    public init(_ env: TenantEnvironment, _ scope: TenantScope, personID: String) {
        self.env = env
        self.scope = scope
        self.personID = personID
    }

    var store: ThreatIntelStore { ThreatIntelStore(env.db) }
    var invitationStore: CommunityInvitationStore { CommunityInvitationStore(env.db) }
    var org: String { scope.organizationID }

    /// Owners and administrators change; the others read.
    public var mayChange: Bool { [.owner, .admin].contains(scope.role) }

    func requireRead() throws(CommunityError) {
        guard scope.role != .auditor else { throw .roleMayNotRead(scope.role) }
    }

    func requireChange() throws(CommunityError) {
        try requireRead()
        guard mayChange else { throw .roleMayNotChange(scope.role) }
    }

    func audit(_ action: AuditAction, _ object: String, on s: any SQLDatabase) async throws {
        _ = try await env.audit.append(AuditEvent(actor: scope.actor.id, organizationID: org, sourceIP: scope.actor.sourceIP,
                                                  action: action, object: object), on: s)
    }

    // MARK: - reading

    /// The communities the organization belongs to, by name.
    public func communities() async throws -> [CommunityMembership] {
        try requireRead()
        return try await store.communities(forOrganization: org)
    }

    /// The organization's pending invitations, newest first.
    public func pendingInvitations() async throws -> [CommunityInvitation] {
        try requireRead()
        return try await invitationStore.invitations(for: org)
    }

    /// The organizations of the caller's supply chain it may invite: its direct suppliers and the deeper tiers its
    /// roll-up shows by name (the supply chain's consent rules decide which), by tier then name.
    public func supplyChainCandidates() async throws -> [CommunityCandidate] {
        try requireRead()
        var byID: [String: CommunityCandidate] = [:]
        for s in try await SupplierLinkUseCases(env, scope).suppliers() {
            byID[s.id] = CommunityCandidate(organizationID: s.id, name: s.name, tier: 1)
        }
        let rollup = RollupUseCases(env, scope)
        let view = try await rollup.view().view
        var offset = 0
        while true {
            let page = try await rollup.members(view, tier: nil, status: nil, limit: 1_000, offset: offset)
            for e in page.entries where byID[e.organization] == nil && e.organization != org {
                byID[e.organization] = CommunityCandidate(organizationID: e.organization, name: e.name, tier: e.tier)
            }
            offset += page.entries.count
            if page.entries.isEmpty || offset >= page.visibleTotal { break }
        }
        return byID.values.sorted { ($0.tier, $0.name, $0.organizationID) < ($1.tier, $1.name, $1.organizationID) }
    }

    /// Whether a value from a request can be sent to the database at all (PostgreSQL refuses text holding NUL): one
    /// that cannot names nothing, and is answered as an unknown id.
    static func storable(_ s: String) -> Bool { !s.utf8.contains(0) && s.utf8.count <= 200 }

    /// The community and the caller's organization's row in it; `unknownCommunity` when it is not a member.
    func membership(_ slug: String, on s: (any SQLDatabase)? = nil) async throws -> (SharingCommunity, CommunityMember) {
        guard Self.storable(slug), let c = try await store.community(slug: slug, on: s),
              let m = try await store.member(c.id, organization: org, on: s) else { throw CommunityError.unknownCommunity(slug) }
        return (c, m)
    }

    /// One community as the caller's organization may see it.
    public func community(_ slug: String) async throws -> CommunityDetail {
        try requireRead()
        let (c, own) = try await membership(slug)
        let admin = own.role == .administrator
        let all = try await store.members(of: c.id)
        let members = admin ? all : all.filter { $0.listed || $0.organizationID == org }
        var collections: [CommunityCollectionView] = []
        if admin {
            collections = try await CommunityAdminUseCases.collectionsWithAccess(c.id, all, store).map { collection, access in
                let mine = access.first { $0.organizationID == org }
                return CommunityCollectionView(collection: collection, canRead: mine?.canRead ?? false, canWrite: mine?.canWrite ?? false,
                                               access: access)
            }
        } else {
            collections = try await store.collections(in: c.id, for: org).map {
                CommunityCollectionView(collection: $0.collection, canRead: $0.canRead, canWrite: $0.canWrite, access: [])
            }
        }
        let invitations = admin ? try await invitationStore.invitations(in: c.id) : []
        var candidates: [CommunityCandidate] = []
        if admin, c.kind == .supplyChain {
            let taken = Set(all.map(\.organizationID)).union(invitations.filter { $0.status == .pending }.map(\.organizationID))
            candidates = try await supplyChainCandidates().filter { !taken.contains($0.organizationID) }
        }
        return CommunityDetail(community: c, own: own, personMayChange: mayChange, members: members, collections: collections,
                               invitations: invitations, candidates: candidates)
    }

    // MARK: - creating, inviting

    /// A supply-chain community whose first administrator is the caller's organization (listed), with a first
    /// collection it may read and write. `slug` empty: one is made (`sc-` and 8 hex digits).
    public func create(name: String, slug: String) async throws -> SharingCommunity {
        try requireChange()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw CommunityError.badName }
        let given = slug.trimmingCharacters(in: .whitespaces)
        let slug = given.isEmpty ? "sc-" + UUID().uuidString.lowercased().prefix(8) : given
        guard CommunityAdminUseCases.isSlug(slug) else { throw CommunityError.badSlug(slug) }
        let store = store, org = org, now = env.clock.now()
        do {
            return try await env.db.transaction { s in
                let c = try await store.createCommunity(slug: slug, name: name, kind: .supplyChain, now: now, on: s)
                try await store.addMember(c.id, organization: org, role: .administrator, listed: true, cuiAuthorized: false, now: now, on: s)
                let collection = try await store.createCollection(in: c.id, title: name, description: "", alias: "shared", now: now, on: s)
                try await store.setAccess(collection: collection.id, organization: org, canRead: true, canWrite: true, on: s)
                try await audit(.communityCreated, "community/\(c.slug)", on: s)
                return c
            }
        } catch ThreatIntelStoreError.slugTaken(let s) {
            throw CommunityError.slugTaken(s)
        }
    }

    /// The community with the caller's organization an administrator there, for a change by an owner or administrator.
    func administered(_ slug: String, on s: (any SQLDatabase)? = nil) async throws -> SharingCommunity {
        try requireChange()
        let (c, own) = try await membership(slug, on: s)
        guard own.role == .administrator else { throw CommunityError.notAdministrator(slug) }
        return c
    }

    /// Invites an organization: in a supply-chain community one of the candidates of the caller's supply chain; in an
    /// ISAC any organization by its id. It becomes a member only when it accepts. Returns the invitation.
    public func invite(community slug: String, organizationID: String) async throws -> CommunityInvitation {
        let c = try await administered(slug)
        let target = organizationID.trimmingCharacters(in: .whitespaces)
        guard Self.storable(target) else { throw CommunityError.unknownOrganization(target) }
        switch c.kind {
        case .supplyChain:
            guard try await supplyChainCandidates().contains(where: { $0.organizationID == target }) else {
                throw CommunityError.notACandidate(target)
            }
        case .isac:
            guard try await !DirectoryQueries(db: env.db).organizations(id: target).isEmpty else {
                throw CommunityError.unknownOrganization(target)
            }
        }
        let store = store, invitations = invitationStore, inviter = STIXPublisher(organizationID: org, personID: personID)
        let now = env.clock.now()
        let id: String = try await env.db.transaction { s in
            guard try await store.member(c.id, organization: target, on: s) == nil else { throw CommunityError.alreadyMember(target) }
            let id: String
            do {
                id = try await invitations.invite(c.id, organization: target, by: inviter, now: now, on: s)
            } catch CommunityInvitationStoreError.invitationPending(let o) {
                throw CommunityError.invitationPending(o)
            }
            try await audit(.communityInvited, "community/\(c.slug)/invitation/\(id)/\(target)", on: s)
            return id
        }
        guard let invitation = try await invitations.invitation(id: id) else { throw CommunityError.unknownInvitation(id) }
        return invitation
    }

    /// Withdraws a pending invitation of the community.
    public func withdraw(community slug: String, invitation id: String) async throws {
        let c = try await administered(slug)
        let invitations = invitationStore, person = personID, now = env.clock.now()
        try await env.db.transaction { s in
            guard Self.storable(id), let i = try await invitations.invitation(id: id, on: s), i.community.id == c.id else {
                throw CommunityError.unknownInvitation(id)
            }
            guard try await invitations.decide(id: id, status: .withdrawn, by: person, listed: nil, now: now, on: s) else {
                throw CommunityError.invitationNotPending(i.status)
            }
            try await audit(.communityInvitationWithdrawn, "community/\(c.slug)/invitation/\(id)/\(i.organizationID)", on: s)
        }
    }

    // MARK: - answering an invitation (the invited organization)

    func ownInvitation(_ id: String, on s: any SQLDatabase) async throws -> CommunityInvitation {
        guard Self.storable(id), let i = try await invitationStore.invitation(id: id, on: s), i.organizationID == org else {
            throw CommunityError.unknownInvitation(id)
        }
        return i
    }

    /// Accepts the organization's pending invitation: it becomes a member (listed to the other members only when
    /// `listed`), not authorized for CUI, with read and write on each of the community's collections.
    @discardableResult
    public func accept(invitation id: String, listed: Bool) async throws -> SharingCommunity {
        try requireChange()
        let store = store, invitations = invitationStore, org = org, person = personID, now = env.clock.now()
        return try await env.db.transaction { s in
            let i = try await ownInvitation(id, on: s)
            guard try await invitations.decide(id: id, status: .accepted, by: person, listed: listed, now: now, on: s) else {
                throw CommunityError.invitationNotPending(i.status)
            }
            if try await store.member(i.community.id, organization: org, on: s) == nil {
                try await store.addMember(i.community.id, organization: org, role: .member, listed: listed, cuiAuthorized: false, now: now, on: s)
                for collection in try await store.collections(in: i.community.id, on: s) {
                    try await store.setAccess(collection: collection.id, organization: org, canRead: true, canWrite: true, on: s)
                }
            }
            try await audit(.communityInvitationAccepted, "community/\(i.community.slug)/invitation/\(id)/\(org)", on: s)
            return i.community
        }
    }

    /// Declines the organization's pending invitation; nothing else changes.
    public func decline(invitation id: String) async throws {
        try requireChange()
        let invitations = invitationStore, org = org, person = personID, now = env.clock.now()
        try await env.db.transaction { s in
            let i = try await ownInvitation(id, on: s)
            guard try await invitations.decide(id: id, status: .declined, by: person, listed: nil, now: now, on: s) else {
                throw CommunityError.invitationNotPending(i.status)
            }
            try await audit(.communityInvitationDeclined, "community/\(i.community.slug)/invitation/\(id)/\(org)", on: s)
        }
    }

    // MARK: - the administrators: members, collections, access

    /// The rule of the last administrator, in one place (a change of role, a removal, leaving): `target`'s row in the
    /// community, read under the community's lock (`CommunityInvitationStore.lockCommunity`) so that two changes judged
    /// on the member list are taken one at a time; `lastAdministrator` when `becoming` (nil: it leaves or is removed)
    /// would leave the community without an administrator; nil when `target` is not a member.
    func standing(of target: String, in c: SharingCommunity, becoming role: CommunityRole?,
                  on s: any SQLDatabase) async throws -> CommunityMember? {
        try await invitationStore.lockCommunity(c.id, on: s)
        guard let m = try await store.member(c.id, organization: target, on: s) else { return nil }
        if m.role == .administrator, role != .administrator,
           try await store.members(of: c.id, on: s).filter({ $0.role == .administrator }).count <= 1 {
            throw CommunityError.lastAdministrator
        }
        return m
    }

    /// Sets a member's role and CUI authorization (its listing is its own to choose). The last administrator cannot
    /// become a member only.
    @discardableResult
    public func setMember(community slug: String, organizationID target: String, role: CommunityRole,
                          cuiAuthorized: Bool) async throws -> CommunityMember {
        let c = try await administered(slug)
        let store = store, now = env.clock.now()
        guard Self.storable(target) else { throw CommunityError.unknownMember(target) }
        return try await env.db.transaction { s in
            guard let m = try await standing(of: target, in: c, becoming: role, on: s) else { throw CommunityError.unknownMember(target) }
            try await store.addMember(c.id, organization: target, role: role, listed: m.listed, cuiAuthorized: cuiAuthorized, now: now, on: s)
            try await audit(.communityMemberSet, "community/\(c.slug)/member/\(target)", on: s)
            guard let updated = try await store.member(c.id, organization: target, on: s) else { throw CommunityError.unknownMember(target) }
            return updated
        }
    }

    /// Removes a member and its access to the community's collections (objects it published stay). The last
    /// administrator cannot be removed.
    public func removeMember(community slug: String, organizationID target: String) async throws {
        let c = try await administered(slug)
        guard Self.storable(target) else { throw CommunityError.unknownMember(target) }
        let store = store
        try await env.db.transaction { s in
            guard try await standing(of: target, in: c, becoming: nil, on: s) != nil else { throw CommunityError.unknownMember(target) }
            try await store.removeMember(c.id, organization: target, on: s)
            try await audit(.communityMemberRemoved, "community/\(c.slug)/member/\(target)", on: s)
        }
    }

    /// A new collection of the community; the caller's organization may read and write it, the other members get
    /// access as the administrators set it.
    public func createCollection(community slug: String, title: String, description: String, alias: String?) async throws -> TAXIICollection {
        let c = try await administered(slug)
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw CommunityError.badTitle }
        let alias = alias.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let alias, !CommunityAdminUseCases.isSlug(alias) { throw CommunityError.badSlug(alias) }
        let store = store, org = org, now = env.clock.now()
        let description = String(description.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2_000))
        do {
            return try await env.db.transaction { s in
                let collection = try await store.createCollection(in: c.id, title: title, description: description, alias: alias, now: now, on: s)
                try await store.setAccess(collection: collection.id, organization: org, canRead: true, canWrite: true, on: s)
                try await audit(.communityCollectionCreated, "community/\(c.slug)/collection/\(collection.id.rawValue)", on: s)
                return collection
            }
        } catch ThreatIntelStoreError.aliasTaken(let a) {
            throw CommunityError.aliasTaken(a)
        }
    }

    /// What a member may do in a collection of the community (both false: nothing).
    public func setAccess(community slug: String, collection id: String, organizationID target: String, canRead: Bool,
                          canWrite: Bool) async throws {
        let c = try await administered(slug)
        guard Self.storable(id) else { throw CommunityError.unknownCollection(id) }
        guard Self.storable(target) else { throw CommunityError.unknownMember(target) }
        let store = store
        try await env.db.transaction { s in
            guard let collection = try await store.collection(id: TAXIICollectionID(id), on: s), collection.community == c.id else {
                throw CommunityError.unknownCollection(id)
            }
            guard try await store.member(c.id, organization: target, on: s) != nil else { throw CommunityError.unknownMember(target) }
            try await store.setAccess(collection: collection.id, organization: target, canRead: canRead, canWrite: canWrite, on: s)
            try await audit(.communityAccessSet, "community/\(c.slug)/collection/\(id)/access/\(target)", on: s)
        }
    }

    // MARK: - the organization's own standing

    /// Whether the other members see the organization in the community's member list.
    public func setListing(community slug: String, listed: Bool) async throws {
        try requireChange()
        let store = store, org = org, now = env.clock.now()
        try await env.db.transaction { s in
            let (c, m) = try await membership(slug, on: s)
            try await store.addMember(c.id, organization: org, role: m.role, listed: listed, cuiAuthorized: m.cuiAuthorized, now: now, on: s)
            try await audit(.communityListingSet, "community/\(c.slug)/member/\(org)", on: s)
        }
    }

    /// Leaves the community (its access to the collections goes with it). The last administrator cannot leave.
    public func leave(community slug: String) async throws {
        try requireChange()
        let store = store, org = org
        try await env.db.transaction { s in
            let (c, _) = try await membership(slug, on: s)
            guard try await standing(of: org, in: c, becoming: nil, on: s) != nil else { throw CommunityError.unknownCommunity(slug) }
            try await store.removeMember(c.id, organization: org, on: s)
            try await audit(.communityMemberLeft, "community/\(c.slug)/member/\(org)", on: s)
        }
    }
}
