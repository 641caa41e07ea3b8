import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct CommunityView: Encodable, Sendable {
    let id: String
    let slug: String
    let name: String
    /// isac / supply_chain.
    let kind: String
    let createdAt: String
    /// `/taxii2/<slug>/`.
    let apiRoot: String

    init(_ c: SharingCommunity) {
        id = c.id.rawValue
        slug = c.slug
        name = c.name
        kind = c.kind.rawValue
        createdAt = c.createdAt
        apiRoot = "/taxii2/\(c.slug)/"
    }
}

struct CommunityMembershipView: Encodable, Sendable {
    let community: CommunityView
    let role: String
    let listed: Bool
    let cuiAuthorized: Bool
}

struct CommunityInvitationView: Encodable, Sendable {
    let id: String
    let community: CommunityView
    let organizationId: String
    let organizationName: String
    let invitedByOrganizationId: String
    let invitedByOrganizationName: String
    let invitedAt: String
    let status: String
    let decidedAt: String?
    let listed: Bool?

    init(_ i: CommunityInvitation) {
        id = i.id
        community = CommunityView(i.community)
        organizationId = i.organizationID
        organizationName = i.organizationName
        invitedByOrganizationId = i.invitedByOrganization
        invitedByOrganizationName = i.invitedByOrganizationName
        invitedAt = i.invitedAt
        status = i.status.rawValue
        decidedAt = i.decidedAt
        listed = i.listed
    }
}

struct CommunityListView: Encodable, Sendable {
    let communities: [CommunityMembershipView]
    /// The organization's pending invitations.
    let invitations: [CommunityInvitationView]
}

struct CommunityMemberView: Encodable, Sendable {
    let organizationId: String
    let organizationName: String
    let role: String
    let listed: Bool
    let cuiAuthorized: Bool
    let joinedAt: String

    init(_ m: CommunityMember) {
        organizationId = m.organizationID
        organizationName = m.organizationName
        role = m.role.rawValue
        listed = m.listed
        cuiAuthorized = m.cuiAuthorized
        joinedAt = m.joinedAt
    }
}

struct CommunityAccessView: Encodable, Sendable {
    let organizationId: String
    let canRead: Bool
    let canWrite: Bool
}

struct CommunityCollectionAPIView: Encodable, Sendable {
    let id: String
    let title: String
    let description: String
    let alias: String?
    let createdAt: String
    /// The caller's organization's access.
    let canRead: Bool
    let canWrite: Bool
    /// Every member's access: administrators only (empty for a member).
    let access: [CommunityAccessView]

    init(_ v: CommunityCollectionView) {
        id = v.collection.id.rawValue
        title = v.collection.title
        description = v.collection.description
        alias = v.collection.alias
        createdAt = v.collection.createdAt
        canRead = v.canRead
        canWrite = v.canWrite
        access = v.access.map { CommunityAccessView(organizationId: $0.organizationID, canRead: $0.canRead, canWrite: $0.canWrite) }
    }

    init(_ c: TAXIICollection, canRead: Bool, canWrite: Bool) {
        id = c.id.rawValue
        title = c.title
        description = c.description
        alias = c.alias
        createdAt = c.createdAt
        self.canRead = canRead
        self.canWrite = canWrite
        access = []
    }
}

struct CommunityCandidateView: Encodable, Sendable {
    let organizationId: String
    let name: String
    let tier: Int
}

struct CommunityDetailView: Encodable, Sendable {
    let community: CommunityView
    let role: String
    let listed: Bool
    let cuiAuthorized: Bool
    /// Administrators: every member; a member: the listed members and itself.
    let members: [CommunityMemberView]
    let collections: [CommunityCollectionAPIView]
    /// Administrators only.
    let invitations: [CommunityInvitationView]
    /// Administrators of a supply-chain community only.
    let candidates: [CommunityCandidateView]

    init(_ d: CommunityDetail) {
        community = CommunityView(d.community)
        role = d.own.role.rawValue
        listed = d.own.listed
        cuiAuthorized = d.own.cuiAuthorized
        members = d.members.map(CommunityMemberView.init)
        collections = d.collections.map(CommunityCollectionAPIView.init)
        invitations = d.invitations.map(CommunityInvitationView.init)
        candidates = d.candidates.map { CommunityCandidateView(organizationId: $0.organizationID, name: $0.name, tier: $0.tier) }
    }
}

// MARK: - bodies

struct CommunityCreateBody: StrictBody {
    static let fields: Set<String> = ["name", "slug"]
    let name: String
    let slug: String?
}

struct CommunityInviteBody: StrictBody {
    static let fields: Set<String> = ["organizationId"]
    let organizationId: String
}

struct CommunityAcceptBody: StrictBody {
    static let fields: Set<String> = ["listed"]
    let listed: Bool
}

struct CommunityMemberBody: StrictBody {
    static let fields: Set<String> = ["role", "cuiAuthorized"]
    let role: String
    let cuiAuthorized: Bool
}

struct CommunityCollectionBody: StrictBody {
    static let fields: Set<String> = ["title", "description", "alias"]
    let title: String
    let description: String?
    let alias: String?
}

struct CommunityAccessBody: StrictBody {
    static let fields: Set<String> = ["canRead", "canWrite"]
    let canRead: Bool
    let canWrite: Bool
}

struct CommunityListingBody: StrictBody {
    static let fields: Set<String> = ["listed"]
    let listed: Bool
}

// MARK: - routes

/// Sharing communities inside `/api/v1/organizations/{org}/sharing` (issue 14 item 4), with the rules of the pages
/// (`CommunityUseCases`): the organization's communities and pending invitations, creating a supply-chain community,
/// one community as the organization may see it, inviting and withdrawing, answering an invitation, members, collections
/// and access, the organization's own listing, leaving. Every handler starts with the membership's `.read`; the use
/// cases decide who may change what (a read-only token changes nothing).
struct CommunityRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/sharing/communities", use: list)
        org.post("/sharing/communities", use: create)
        org.post("/sharing/invitations/:invitation/accept", use: accept)
        org.post("/sharing/invitations/:invitation/decline", use: decline)
        org.get("/sharing/communities/:community", use: detail)
        org.post("/sharing/communities/:community/invitations", use: invite)
        org.post("/sharing/communities/:community/invitations/:invitation/withdraw", use: withdraw)
        org.put("/sharing/communities/:community/members/:member", use: setMember)
        org.delete("/sharing/communities/:community/members/:member", use: removeMember)
        org.post("/sharing/communities/:community/collections", use: createCollection)
        org.put("/sharing/communities/:community/collections/:collection/access/:member", use: setAccess)
        org.put("/sharing/communities/:community/listing", use: setListing)
        org.post("/sharing/communities/:community/leave", use: leave)
    }

    /// The use cases for the caller; a change needs a token that may write (`write` true).
    func useCases(_ context: TenantContext, write: Bool) throws -> CommunityUseCases {
        let m = try context.membership(for: .read)
        if write, case .token(_, let t, _) = context.identity, t.scope == "read" {
            throw APIError.forbidden("This API token is read-only.").ja("この API トークンは読み取り専用です。書き込みには読み書きできるトークンを使ってください。")
        }
        return CommunityUseCases(services.tenantEnvironment, m.scope, personID: context.identity.user.id)
    }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityListView> {
        let u = try useCases(context, write: false)
        return JSONResponse(value: CommunityListView(
            communities: try await u.communities().map {
                CommunityMembershipView(community: CommunityView($0.community), role: $0.role.rawValue, listed: $0.listed,
                                        cuiAuthorized: $0.cuiAuthorized)
            },
            invitations: try await u.pendingInvitations().map(CommunityInvitationView.init)))
    }

    func create(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityDetailView> {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityCreateBody.self, context: context)
        let c = try await u.create(name: b.name, slug: b.slug ?? "")
        return JSONResponse(value: CommunityDetailView(try await u.community(c.slug)), status: .created)
    }

    func accept(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityDetailView> {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityAcceptBody.self, context: context)
        let c = try await u.accept(invitation: try context.parameters.require("invitation"), listed: b.listed)
        return JSONResponse(value: CommunityDetailView(try await u.community(c.slug)))
    }

    func decline(_ request: Request, context: TenantContext) async throws -> Response {
        try await useCases(context, write: true).decline(invitation: try context.parameters.require("invitation"))
        return Response(status: .noContent)
    }

    func detail(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityDetailView> {
        let u = try useCases(context, write: false)
        return JSONResponse(value: CommunityDetailView(try await u.community(try context.parameters.require("community"))))
    }

    func invite(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityInvitationView> {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityInviteBody.self, context: context)
        let i = try await u.invite(community: try context.parameters.require("community"), organizationID: b.organizationId)
        return JSONResponse(value: CommunityInvitationView(i), status: .created)
    }

    func withdraw(_ request: Request, context: TenantContext) async throws -> Response {
        try await useCases(context, write: true).withdraw(community: try context.parameters.require("community"),
                                                          invitation: try context.parameters.require("invitation"))
        return Response(status: .noContent)
    }

    func setMember(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityMemberView> {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityMemberBody.self, context: context)
        guard let role = CommunityRole(rawValue: b.role) else {
            throw APIError.invalid(field: "role", message: "role must be administrator or member.").ja("role は administrator か member にしてください。")
        }
        let m = try await u.setMember(community: try context.parameters.require("community"),
                                      organizationID: try context.parameters.require("member"), role: role, cuiAuthorized: b.cuiAuthorized)
        return JSONResponse(value: CommunityMemberView(m))
    }

    func removeMember(_ request: Request, context: TenantContext) async throws -> Response {
        try await useCases(context, write: true).removeMember(community: try context.parameters.require("community"),
                                                              organizationID: try context.parameters.require("member"))
        return Response(status: .noContent)
    }

    func createCollection(_ request: Request, context: TenantContext) async throws -> JSONResponse<CommunityCollectionAPIView> {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityCollectionBody.self, context: context)
        let c = try await u.createCollection(community: try context.parameters.require("community"), title: b.title,
                                             description: b.description ?? "", alias: b.alias)
        return JSONResponse(value: CommunityCollectionAPIView(c, canRead: true, canWrite: true), status: .created)
    }

    func setAccess(_ request: Request, context: TenantContext) async throws -> Response {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityAccessBody.self, context: context)
        try await u.setAccess(community: try context.parameters.require("community"), collection: try context.parameters.require("collection"),
                              organizationID: try context.parameters.require("member"), canRead: b.canRead, canWrite: b.canWrite)
        return Response(status: .noContent)
    }

    func setListing(_ request: Request, context: TenantContext) async throws -> Response {
        let u = try useCases(context, write: true)
        let b = try await request.decodeStrict(CommunityListingBody.self, context: context)
        try await u.setListing(community: try context.parameters.require("community"), listed: b.listed)
        return Response(status: .noContent)
    }

    func leave(_ request: Request, context: TenantContext) async throws -> Response {
        try await useCases(context, write: true).leave(community: try context.parameters.require("community"))
        return Response(status: .noContent)
    }
}

extension CommunityError: APIErrorConvertible {
    var apiError: APIError? {
        switch httpStatus {
        case 403: return .forbidden(description)
        case 404: return .notFound(description)
        case 409: return .conflict(description)
        default: return .invalid(field: nil, message: description)
        }
    }
}
