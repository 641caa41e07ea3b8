import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Sharing communities in the browser (issue 14 item 4), ja/en, no script: the organization's communities, its
/// pending invitations (accept — choosing whether to be listed to the other members — or decline) and the form that
/// creates a supply-chain community; one community with what the organization may see there (administrators: every
/// member, the invitations, invite from the supply chain or by id for an ISAC, role and CUI authorization, removal,
/// collections and each member's access; members: the listed members and itself, its own listing, leave). Every form
/// is CSRF-checked; `CommunityUseCases` decides, and its refusals are shown beside the form or as the forbidden page.
struct CommunityPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "sharing"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.sharingCommunities(org: .key).pattern, use: guarded(list))
        pages.post(PageRoute.sharingCommunities(org: .key).pattern, use: guarded(create))
        pages.post(PageRoute.sharingInvitation(org: .key, invitation: .key).pattern, use: guarded(answer))
        pages.get(PageRoute.sharingCommunity(org: .key, community: .key).pattern, use: guarded(detail))
        pages.post(PageRoute.sharingCommunityInvite(org: .key, community: .key).pattern, use: guarded(invite))
        pages.post(PageRoute.sharingCommunityWithdraw(org: .key, community: .key, invitation: .key).pattern, use: guarded(withdraw))
        pages.post(PageRoute.sharingCommunityMember(org: .key, community: .key, member: .key).pattern, use: guarded(setMember))
        pages.post(PageRoute.sharingCommunityRemoveMember(org: .key, community: .key, member: .key).pattern, use: guarded(removeMember))
        pages.post(PageRoute.sharingCommunityCollections(org: .key, community: .key).pattern, use: guarded(createCollection))
        pages.post(PageRoute.sharingCommunityAccess(org: .key, community: .key, collection: .key).pattern, use: guarded(setAccess))
        pages.post(PageRoute.sharingCommunityListing(org: .key, community: .key).pattern, use: guarded(setListing))
        pages.post(PageRoute.sharingCommunityLeave(org: .key, community: .key).pattern, use: guarded(leave))
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the use cases decide, and a refusal of who may act is the forbidden page, an
    /// unknown community or invitation the not-found page.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let web = web
        return { request, context in
            let page = try await web.orgPage(request, context, .read)
            do {
                return try await handler(request, context, page)
            } catch let e as CommunityError {
                switch e {
                case .roleMayNotRead, .roleMayNotChange, .notAdministrator:
                    return try await PageErrorMiddleware(web: web).errorPage(request, context, .forbidden, "error_forbidden")
                case .unknownCommunity, .unknownInvitation:
                    return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found")
                default:
                    throw e
                }
            }
        }
    }

    func useCases(_ page: OrgPage) -> CommunityUseCases {
        CommunityUseCases(services.tenantEnvironment, page.member.scope, personID: page.viewer.user.id)
    }

    /// The message of a refusal shown beside the form (nil: the forbidden or not-found page).
    static func formError(_ e: any Error, _ lang: Language) -> (String, HTTPResponse.Status)? {
        guard let e = e as? CommunityError else { return nil }
        switch e {
        case .roleMayNotRead, .roleMayNotChange, .notAdministrator, .unknownCommunity, .unknownInvitation: return nil
        default: return (e.text[lang], e.httpStatus == 409 ? .conflict : .badRequest)
        }
    }

    func kindLabel(_ k: SharingCommunityKind, _ lang: Language) -> String {
        web.messages.text(k == .isac ? "community_kind_isac" : "community_kind_supply_chain", lang)
    }

    func roleLabel(_ r: CommunityRole, _ lang: Language) -> String {
        web.messages.text(r == .administrator ? "community_role_administrator" : "community_role_member", lang)
    }

    func statusLabel(_ s: CommunityInvitationStatus, _ lang: Language) -> String {
        web.messages.text("community_invitation_\(s.rawValue)", lang)
    }

    // MARK: the list, create, answer an invitation

    struct ListInput {
        var name = ""
        var slug = ""
        var createError: String?
        var answerError: String?
    }

    func list(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await listView(page, request: request, input: ListInput())
    }

    func listView(_ page: OrgPage, request: Request, input: ListInput, status: HTTPResponse.Status = .ok) async throws -> Response {
        let u = useCases(page), lang = page.language, o = page.org
        let communities = try await u.communities()
        let invitations = try await u.pendingInvitations()
        let model = CommunityListPage(
            communities: communities.map { m in
                .init(name: m.community.name, url: PageRoute.sharingCommunity(org: o, community: m.community.slug).path,
                      slug: m.community.slug, kind: kindLabel(m.community.kind, lang), role: roleLabel(m.role, lang),
                      isAdministrator: m.role == .administrator, listed: m.listed)
            },
            hasCommunities: !communities.isEmpty,
            invitations: invitations.map { i in
                .init(community: i.community.name, kind: kindLabel(i.community.kind, lang), invitedBy: i.invitedByOrganizationName,
                      invitedAt: page.viewer.locale.dateTime(i.invitedAt), action: PageRoute.sharingInvitation(org: o, invitation: i.id).path,
                      id: i.id)
            },
            hasInvitations: !invitations.isEmpty, mayChange: u.mayChange, answerError: input.answerError,
            createAction: PageRoute.sharingCommunities(org: o).path, nameValue: input.name, slugValue: input.slug,
            createError: input.createError, sharingURL: PageRoute.sharing(org: o).path)
        return web.orgView("sharing-community-list", page, titleKey: "community_list_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func create(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            let c = try await useCases(page).create(name: form["name"], slug: form["slug"])
            return WebApp.redirect(PageRoute.sharingCommunity(org: page.org, community: c.slug).path + "?notice=saved")
        } catch let e where Self.formError(e, page.language) != nil {
            let (text, status) = Self.formError(e, page.language)!
            return try await listView(page, request: request, input: ListInput(name: form["name"], slug: form["slug"], createError: text),
                                      status: status)
        }
    }

    /// `decision` accept (with `listed` when the organization chooses to be listed) or decline.
    func answer(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("invitation")
        do {
            switch form["decision"] {
            case "accept":
                let c = try await useCases(page).accept(invitation: id, listed: form["listed"] == "1")
                return WebApp.redirect(PageRoute.sharingCommunity(org: page.org, community: c.slug).path + "?notice=saved")
            case "decline":
                try await useCases(page).decline(invitation: id)
                return WebApp.redirect(PageRoute.sharingCommunities(org: page.org).path + "?notice=saved")
            default:
                return try await listView(page, request: request,
                                          input: ListInput(answerError: web.messages.text("community_decision_missing", page.language)),
                                          status: .badRequest)
            }
        } catch let e where Self.formError(e, page.language) != nil {
            let (text, status) = Self.formError(e, page.language)!
            return try await listView(page, request: request, input: ListInput(answerError: text), status: status)
        }
    }

    // MARK: one community

    func detail(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await detailView(page, request: request, slug: try context.parameters.require("community"), error: nil)
    }

    func detailView(_ page: OrgPage, request: Request, slug: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let u = useCases(page), lang = page.language, o = page.org
        let d = try await u.community(slug)
        let c = d.community
        let manage = d.isAdministrator && d.personMayChange
        let names = Dictionary(d.members.map { ($0.organizationID, $0.organizationName) }, uniquingKeysWith: { a, _ in a })
        let model = CommunityDetailPage(
            name: c.name, slug: c.slug, kind: kindLabel(c.kind, lang), isSupplyChain: c.kind == .supplyChain,
            apiRoot: "/taxii2/\(c.slug)/", role: roleLabel(d.own.role, lang), isAdministrator: d.isAdministrator,
            listed: d.own.listed, cuiAuthorized: d.own.cuiAuthorized, mayChange: d.personMayChange, manage: manage, error: error,
            listingAction: PageRoute.sharingCommunityListing(org: o, community: slug).path,
            leaveAction: PageRoute.sharingCommunityLeave(org: o, community: slug).path,
            members: d.members.map { m in
                let own = m.organizationID == o
                return .init(name: m.organizationName, id: m.organizationID, own: own, role: roleLabel(m.role, lang),
                             listed: m.listed, cuiAuthorized: m.cuiAuthorized, joined: page.viewer.locale.dateTime(m.joinedAt),
                             action: manage ? PageRoute.sharingCommunityMember(org: o, community: slug, member: m.organizationID).path : nil,
                             removeAction: manage && !own ? PageRoute.sharingCommunityRemoveMember(org: o, community: slug, member: m.organizationID).path : nil,
                             roles: CommunityRole.allCases.map { SelectOption(value: $0.rawValue, label: roleLabel($0, lang), selected: $0 == m.role) })
            },
            collections: d.collections.map { v in
                .init(title: v.collection.title, id: v.collection.id.rawValue, alias: v.collection.alias,
                      description: v.collection.description.isEmpty ? nil : v.collection.description,
                      canRead: v.canRead, canWrite: v.canWrite, hasAccess: d.isAdministrator,
                      access: d.isAdministrator ? d.members.map { m in
                          let a = v.access.first { $0.organizationID == m.organizationID }
                          return .init(name: names[m.organizationID] ?? m.organizationID, organizationID: m.organizationID,
                                       canRead: a?.canRead ?? false, canWrite: a?.canWrite ?? false,
                                       action: manage ? PageRoute.sharingCommunityAccess(org: o, community: slug, collection: v.collection.id.rawValue).path : nil)
                      } : [])
            },
            hasCollections: !d.collections.isEmpty,
            collectionAction: PageRoute.sharingCommunityCollections(org: o, community: slug).path,
            invitations: d.invitations.map { i in
                .init(organization: i.organizationName, status: statusLabel(i.status, lang), statusID: i.status.rawValue,
                      invitedAt: page.viewer.locale.dateTime(i.invitedAt),
                      decidedAt: i.decidedAt.map { page.viewer.locale.dateTime($0) },
                      withdrawAction: manage && i.status == .pending ? PageRoute.sharingCommunityWithdraw(org: o, community: slug, invitation: i.id).path : nil)
            },
            hasInvitations: !d.invitations.isEmpty,
            inviteAction: PageRoute.sharingCommunityInvite(org: o, community: slug).path,
            candidates: d.candidates.map {
                SelectOption(value: $0.organizationID, label: web.messages.text("community_candidate", lang, ["name": $0.name, "tier": "\($0.tier)"]),
                             selected: false)
            },
            hasCandidates: !d.candidates.isEmpty,
            listURL: PageRoute.sharingCommunities(org: o).path)
        return web.orgView("sharing-community-detail", page, titleKey: "community_detail_title", section: Self.section, model: model,
                           request: request, status: status, title: c.name)
    }

    /// Runs a change of one community and goes back to its page, or shows the page with the refusal.
    func change(_ request: Request, _ context: AppContext, _ page: OrgPage,
                _ body: @Sendable (WebForm, String, CommunityUseCases) async throws -> String?) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let slug = try context.parameters.require("community")
        do {
            let next = try await body(form, slug, useCases(page))
            return WebApp.redirect((next ?? PageRoute.sharingCommunity(org: page.org, community: slug).path) + "?notice=saved")
        } catch let e where Self.formError(e, page.language) != nil {
            let (text, status) = Self.formError(e, page.language)!
            return try await detailView(page, request: request, slug: slug, error: text, status: status)
        }
    }

    func invite(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await change(request, context, page) { form, slug, u in
            _ = try await u.invite(community: slug, organizationID: form["organization"])
            return nil
        }
    }

    func withdraw(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("invitation")
        return try await change(request, context, page) { _, slug, u in
            try await u.withdraw(community: slug, invitation: id)
            return nil
        }
    }

    func setMember(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let member = try context.parameters.require("member")
        return try await change(request, context, page) { form, slug, u in
            try await u.setMember(community: slug, organizationID: member, role: CommunityRole(rawValue: form["role"]) ?? .member,
                                  cuiAuthorized: form["cui_authorized"] == "1")
            return nil
        }
    }

    func removeMember(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let member = try context.parameters.require("member")
        return try await change(request, context, page) { _, slug, u in
            try await u.removeMember(community: slug, organizationID: member)
            return nil
        }
    }

    func createCollection(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await change(request, context, page) { form, slug, u in
            _ = try await u.createCollection(community: slug, title: form["title"], description: form["description"], alias: form["alias"])
            return nil
        }
    }

    func setAccess(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let collection = try context.parameters.require("collection")
        return try await change(request, context, page) { form, slug, u in
            try await u.setAccess(community: slug, collection: collection, organizationID: form["organization"],
                                  canRead: form["can_read"] == "1", canWrite: form["can_write"] == "1")
            return nil
        }
    }

    func setListing(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await change(request, context, page) { form, slug, u in
            try await u.setListing(community: slug, listed: form["listed"] == "1")
            return nil
        }
    }

    func leave(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let org = page.org
        return try await change(request, context, page) { _, slug, u in
            try await u.leave(community: slug)
            return PageRoute.sharingCommunities(org: org).path
        }
    }
}

// MARK: page models

/// `sharing-community-list`: the organization's communities, its pending invitations with their answer forms, and
/// the form creating a supply-chain community.
struct CommunityListPage: PageModel {
    struct Row: Encodable, Sendable {
        let name: String
        let url: String
        let slug: String
        let kind: String
        let role: String
        let isAdministrator: Bool
        let listed: Bool
    }
    struct Invitation: Encodable, Sendable {
        let community: String
        let kind: String
        let invitedBy: String
        let invitedAt: String
        let action: String
        let id: String
    }

    let communities: [Row]
    let hasCommunities: Bool
    let invitations: [Invitation]
    let hasInvitations: Bool
    let mayChange: Bool
    let answerError: String?
    let createAction: String
    let nameValue: String
    let slugValue: String
    let createError: String?
    let sharingURL: String
}

/// `sharing-community-detail`: one community as the organization may see it, with the forms its standing allows.
struct CommunityDetailPage: PageModel {
    struct Member: Encodable, Sendable {
        let name: String
        let id: String
        let own: Bool
        let role: String
        let listed: Bool
        let cuiAuthorized: Bool
        let joined: String
        let action: String?
        let removeAction: String?
        let roles: [SelectOption]
    }
    struct Access: Encodable, Sendable {
        let name: String
        let organizationID: String
        let canRead: Bool
        let canWrite: Bool
        let action: String?
    }
    struct Collection: Encodable, Sendable {
        let title: String
        let id: String
        let alias: String?
        let description: String?
        let canRead: Bool
        let canWrite: Bool
        let hasAccess: Bool
        let access: [Access]
    }
    struct Invitation: Encodable, Sendable {
        let organization: String
        let status: String
        let statusID: String
        let invitedAt: String
        let decidedAt: String?
        let withdrawAction: String?
    }

    let name: String
    let slug: String
    let kind: String
    let isSupplyChain: Bool
    let apiRoot: String
    let role: String
    let isAdministrator: Bool
    let listed: Bool
    let cuiAuthorized: Bool
    let mayChange: Bool
    let manage: Bool
    let error: String?
    let listingAction: String
    let leaveAction: String
    let members: [Member]
    let collections: [Collection]
    let hasCollections: Bool
    let collectionAction: String
    let invitations: [Invitation]
    let hasInvitations: Bool
    let inviteAction: String
    let candidates: [SelectOption]
    let hasCandidates: Bool
    let listURL: String
}
