import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Users and roles, API tokens and the audit log of one organization. The rules (who may make an owner, token
/// scopes and lifetimes) are the API's own functions in `TenantRoutes`; these pages only show and post them.
struct AdminPages {
    let web: WebApp
    var services: Services { web.services }
    var memberships: MembershipUseCases { MembershipUseCases(services.accountEnvironment) }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.members(org: .key).pattern, use: members)
        pages.post(PageRoute.members(org: .key).pattern, use: setMember)
        pages.post(PageRoute.organizationTimeZone(org: .key).pattern, use: setTimeZone)
        pages.post(PageRoute.removeMember(org: .key, user: .key).pattern, use: removeMember)
        pages.post(PageRoute.revokeInvitation(org: .key, invitation: .key).pattern, use: revokeInvitation)
        pages.post(PageRoute.changeMemberRole(org: .key, user: .key).pattern, use: changeMemberRole)
        pages.post(PageRoute.resetMemberMFA(org: .key, user: .key).pattern, use: resetMemberMFA)
        pages.post(PageRoute.resendInvitation(org: .key, invitation: .key).pattern, use: resendInvitation)
        pages.get(PageRoute.tokens(org: .key).pattern, use: tokens)
        pages.post(PageRoute.tokens(org: .key).pattern, use: createToken)
        pages.post(PageRoute.revokeToken(org: .key, token: .key).pattern, use: revokeToken)
        pages.get(PageRoute.audit(org: .key).pattern, use: audit)
    }

    func roleLabel(_ r: Role, _ lang: Language) -> String { web.messages.text("role_\(r.rawValue)", lang) }

    // MARK: members

    func members(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil)
    }

    func membersView(_ page: OrgPage, request: Request, email: String, role: String, error: String?,
                     invitationLink: String? = nil, resent: Bool = false, mail: InvitationMailOutcome = .notConfigured,
                     mailTo: String = "", zone: String? = nil, zoneError: String? = nil, regimeError: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        // The organization's time zone: its calendar's "today" (`OrganizationCalendar`); owners and admins set it.
        let zone = zone ?? page.member.organization.timeZone
        var zones = AuthPages.timeZones
        if !zones.contains(zone) { zones.append(zone) }
        let list = try await memberships.members(organizationID: page.org)
        let canManage = page.member.role.allows(.manageMembers)
        let pending = canManage ? try await memberships.pendingInvitations(organizationID: page.org) : []
        let isOwner = page.member.role == .owner
        let offered = Role.allCases.filter { isOwner || $0 != .owner }
        var model = MembersPage(
            members: list.map { (user, memberRole) in
                // Only an owner makes, changes or removes an owner (MembershipRules): an admin's page offers neither.
                let manageable = canManage && user.id != page.viewer.user.id && (isOwner || memberRole != .owner)
                return .init(name: user.displayName, email: user.email, role: roleLabel(memberRole, lang), mfa: user.hasMFA,
                             isSelf: user.id == page.viewer.user.id, removeURL: PageRoute.removeMember(org: page.org, user: user.id).path,
                             manageable: manageable, roleURL: PageRoute.changeMemberRole(org: page.org, user: user.id).path,
                             roleName: web.messages.text("members_role_of", lang, ["name": user.displayName]),
                             roleOptions: manageable ? offered.map {
                                 .init(value: $0.rawValue, label: roleLabel($0, lang), selected: $0 == memberRole)
                             } : [],
                             canReset: manageable && user.hasMFA,
                             resetURL: PageRoute.resetMemberMFA(org: page.org, user: user.id).path)
            },
            canManage: canManage, action: PageRoute.members(org: page.org).path,
            roles: offered.map { .init(value: $0.rawValue, label: roleLabel($0, lang), selected: $0.rawValue == role) },
            email: email, error: error, invitationLink: invitationLink,
            invitations: pending.map {
                .init(email: $0.email, role: $0.roleValue.map { roleLabel($0, lang) } ?? $0.role,
                      expires: page.viewer.locale.dateTime($0.expiresAt),
                      revokeURL: PageRoute.revokeInvitation(org: page.org, invitation: $0.id).path,
                      resendURL: PageRoute.resendInvitation(org: page.org, invitation: $0.id).path)
            },
            hasInvitations: !pending.isEmpty, canManageOrg: page.member.role.allows(.manageOrganization),
            zoneAction: PageRoute.organizationTimeZone(org: page.org).path, orgTimeZone: page.member.organization.timeZone,
            zones: zones.map { .init(value: $0, selected: $0 == zone) }, zoneError: zoneError,
            resent: resent, mailNotice: Self.mailNotice(mail, to: mailTo, messages: web.messages, lang),
            mailFailed: { if case .failed = mail { return true } else { return false } }())
        model.regime = try await RegimePages.section(web, page, error: regimeError)  // issue 17 item 3
        return web.orgView("members", page, titleKey: "members_title", section: "members", model: model, request: request,
                           status: status)
    }

    func setMember(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageMembers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        guard let role = Role(rawValue: form["role"]) else {
            return try await membersView(page, request: request, email: form["email"], role: form["role"],
                                         error: web.messages.text("error_choice", lang), status: .badRequest)
        }
        do {
            let outcome = try await memberships.changeRoleOrInvite(organizationID: page.org, email: form["email"], role: role, days: 7,
                                                                   actorRole: page.member.role, actor: page.member.actor)
            if case .invited(let invitation, let token) = outcome {
                let link = web.absoluteURL(request, PageRoute.acceptInvitation.path + "?token=" + token)
                let mail = await services.mailInvitation(invitation, token: token, organization: page.member.organization,
                                                         inviter: page.viewer.user.displayName, baseURL: services.baseURL(request),
                                                         actor: page.member.actor)
                return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil,
                                             invitationLink: link, mail: mail, mailTo: invitation.email)
            }
        } catch let e as MembershipRuleError {
            return try await membersView(page, request: request, email: form["email"], role: role.rawValue,
                                         error: web.messages.text(Self.messageKey(e), lang), status: .badRequest)
        } catch AccountError.invalidEmail {
            return try await membersView(page, request: request, email: form["email"], role: role.rawValue,
                                         error: web.messages.text("error_email", lang), status: .badRequest)
        } catch let e as InvitationError {
            return try await membersView(page, request: request, email: form["email"], role: role.rawValue,
                                         error: web.messages.text(Self.messageKey(e), lang), status: .conflict)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=saved")
    }

    /// A member's new role from their row (owners and admins; only an owner makes or changes an owner; the last
    /// owner stays: `MembershipRules` in the use case's transaction).
    func changeMemberRole(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageMembers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        guard let role = Role(rawValue: form["role"]) else {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text("error_choice", lang), status: .badRequest)
        }
        do {
            _ = try await memberships.changeRole(organizationID: page.org, userID: try context.parameters.require("user"), to: role,
                                                 actorRole: page.member.role, actor: page.member.actor)
        } catch let e as MembershipRuleError {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text(e == .notAMember ? "members_error_not_member_row" : Self.messageKey(e), lang),
                                         status: e == .lastOwner ? .conflict : e == .notAMember ? .notFound : .forbidden)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=role_changed")
    }

    /// Clears a member's authenticator and ends their sessions: they enrol again at their next sign-in (audited
    /// `mfa.reset`; owners and admins; never your own; only an owner resets an owner).
    func resetMemberMFA(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageMembers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        do {
            _ = try await SecondFactorUseCases(services.accountEnvironment).reset(
                organizationID: page.org, userID: try context.parameters.require("user"), actorRole: page.member.role,
                actor: page.member.actor)
        } catch let e as SecondFactorResetError {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text(Self.messageKey(e), page.language),
                                         status: e == .notAMember ? .notFound : .forbidden)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=mfa_reset")
    }

    /// Sends a pending invitation again with a new link (shown once, and e-mailed when a mail server is configured);
    /// the old link stops working.
    func resendInvitation(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageMembers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        do {
            let (invitation, token) = try await memberships.resendInvitation(
                organizationID: page.org, id: try context.parameters.require("invitation"), days: 7, actorRole: page.member.role,
                actor: page.member.actor)
            let link = web.absoluteURL(request, PageRoute.acceptInvitation.path + "?token=" + token)
            let mail = await services.mailInvitation(invitation, token: token, organization: page.member.organization,
                                                     inviter: page.viewer.user.displayName, baseURL: services.baseURL(request),
                                                     actor: page.member.actor)
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil,
                                         invitationLink: link, resent: true, mail: mail, mailTo: invitation.email)
        } catch let e as InvitationError {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text(Self.messageKey(e), lang), status: .notFound)
        } catch let e as MembershipRuleError {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text(Self.messageKey(e), lang), status: .forbidden)
        }
    }

    static func messageKey(_ e: InvitationError) -> String {
        switch e {
        case .alreadyInvited: return "members_error_already_invited"
        case .alreadyMember: return "members_error_already_member"
        case .lifetime: return "tokens_error_days"
        default: return "members_error_invitation_gone"
        }
    }

    static func messageKey(_ e: SecondFactorResetError) -> String {
        switch e {
        case .ownAccount: return "members_error_reset_own"
        case .onlyOwnerResetsOwner, .notAllowed: return "members_error_reset_owner"
        case .platformAdministrator: return "members_error_reset_platform"
        case .memberElsewhere: return "members_error_reset_elsewhere"
        case .notAMember: return "members_error_not_member_row"
        }
    }

    /// The line under an invitation's link that says what became of its e-mail (nothing without a mail server).
    static func mailNotice(_ outcome: InvitationMailOutcome, to email: String, messages: Messages, _ lang: Language) -> String? {
        switch outcome {
        case .notConfigured: return nil
        case .sent: return messages.text("members_mail_sent", lang, ["email": email])
        case .failed: return messages.text("members_mail_failed", lang)
        case .pending: return messages.text("members_mail_pending", lang)
        }
    }

    /// Sets the organization's time zone (owners and admins, audited: `OrganizationUseCases`).
    func setTimeZone(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageOrganization)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            _ = try await services.organizations(page.member).setTimeZone(form["time_zone"])
        } catch OrganizationError.unknownTimeZone {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil,
                                         zone: form["time_zone"], zoneError: web.messages.text("settings_error_zone", page.language),
                                         status: .badRequest)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=saved")
    }

    static func messageKey(_ e: MembershipRuleError) -> String {
        switch e {
        case .lastOwner: return "members_error_last_owner"
        case .onlyOwnerMakesOwner, .onlyOwnerChangesOwner: return "members_error_owner"
        case .notAMember: return "members_error_not_member"
        }
    }

    func removeMember(_ request: Request, context: AppContext) async throws -> Response {
        let userID = try context.parameters.require("user")
        let own = try await web.viewer(request, context: context).user.id == userID
        let page = try await web.orgPage(request, context, own ? .read : .manageMembers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        do {
            try await memberships.remove(organizationID: page.org, userID: userID, actorRole: page.member.role, actor: page.member.actor)
        } catch let e as MembershipRuleError {
            return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue,
                                         error: web.messages.text(Self.messageKey(e), page.language), status: .badRequest)
        }
        return WebApp.redirect(own ? PageRoute.home.path : PageRoute.members(org: page.org).path + "?notice=saved")
    }

    func revokeInvitation(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageMembers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("invitation")
        try await memberships.revokeInvitation(organizationID: page.org, id: id, actor: page.member.actor)
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=saved")
    }

    // MARK: API tokens

    func tokens(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageTokens)
        return try await tokensView(page, request: request, created: nil, name: "", scope: "read", days: "90", errors: [:])
    }

    func tokensView(_ page: OrgPage, request: Request, created: TokenView?, name: String, scope: String, days: String,
                    errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let locale = page.viewer.locale
        let list = try await TokenUseCases(services.accountEnvironment).list(organizationID: page.org)
        let now = Timestamp.string(services.clock.now())
        let model = TokensPage(
            tokens: list.map {
                .init(name: $0.name, scope: web.messages.text("scope_\($0.scope)", lang), expires: locale.dateTime($0.expiresAt),
                      created: locale.dateTime($0.createdAt), revoked: $0.revokedAt != nil, expired: $0.expiresAt <= now,
                      revokeURL: PageRoute.revokeToken(org: page.org, token: $0.id).path)
            },
            action: PageRoute.tokens(org: page.org).path, created: created.map { .init(name: $0.name, token: $0.token ?? "") },
            scopes: ["read", "write"].map { .init(value: $0, label: web.messages.text("scope_\($0)", lang), selected: $0 == scope) },
            name: name, days: days, errors: errors, hasErrors: !errors.isEmpty)
        return web.orgView("tokens", page, titleKey: "tokens_title", section: "tokens", model: model, request: request, status: status)
    }

    func createToken(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageTokens)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        let days = Int(form["days"].trimmed) ?? 0
        var errors: [String: String] = [:]
        for problem in TokenUseCases.problems(name: form["name"], scope: form["scope"], days: days) {
            switch problem {
            case .missingName: errors["name"] = web.messages.text("error_required", lang)
            case .lifetime: errors["days"] = web.messages.text("tokens_error_days", lang)
            default: errors["scope"] = web.messages.text("error_choice", lang)
            }
        }
        guard errors.isEmpty else {
            return try await tokensView(page, request: request, created: nil, name: form["name"], scope: form["scope"],
                                        days: form["days"], errors: errors, status: .badRequest)
        }
        // Shown once, on this response only (never stored; a reload does not show it again).
        let token = try await TenantRoutes.createToken(services, page.member, user: page.viewer.user, name: form["name"],
                                                       scope: form["scope"], days: days)
        return try await tokensView(page, request: request, created: token, name: "", scope: "read", days: "90", errors: [:],
                                    status: .created)
    }

    func revokeToken(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageTokens)
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await TenantRoutes.revokeToken(services, page.member, id: try context.parameters.require("token"))
        return WebApp.redirect(PageRoute.tokens(org: page.org).path + "?notice=revoked")
    }

    // MARK: audit log

    /// Newest first, 100 a page, filtered by the start of the action and by actor; `?verify=1` checks the whole
    /// hash chain (SP 800-171 3.3.8) and shows the result.
    func audit(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .readAudit)
        let lang = page.language
        let q = request.uri.queryParameters
        let action = q["action"].map(String.init)?.trimmed ?? ""
        let actor = q["actor"].map(String.init)?.trimmed ?? ""
        let before = q["before"].flatMap { Int64(String($0)) }
        let pageSize = 100
        let entries = try await AuditQueries(db: services.db).entries(of: page.member.scope, limit: pageSize, before: before,
                                                                       actionPrefix: action, actor: actor)
        var model = AuditPage(
            entries: entries.map {
                .init(seq: $0.seq, at: page.viewer.locale.dateTime($0.at), actor: $0.actor, ip: $0.sourceIP, action: $0.action,
                      label: $0.knownAction?.label[lang], object: $0.object, hash: String($0.hash.prefix(16)))
            },
            empty: entries.isEmpty, action: action, actor: actor, filterURL: PageRoute.audit(org: page.org).path,
            // One filter per group of the log's vocabulary (`AuditAction`), in the order the enum lists them.
            actions: AuditAction.allCases.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                .map { .init(value: $0, label: $0, selected: $0 == action) },
            verifyURL: "\(PageRoute.audit(org: page.org).path)?verify=1")
        if entries.count == pageSize, let last = entries.last {
            var next = "\(PageRoute.audit(org: page.org).path)?before=\(last.seq)"
            if !action.isEmpty { next += "&action=\(action.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            if !actor.isEmpty { next += "&actor=\(actor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            model.olderURL = next
        }
        if q["verify"] == "1" {
            let v = try await AuditQueries(db: services.db).verify()
            model.verification = .init(intact: v.isIntact,
                                       text: web.messages.text(v.isIntact ? "audit_intact" : "audit_broken", lang,
                                                               ["count": page.viewer.locale.number(v.entries),
                                                                "problems": "\(v.problems.count)"]))
        }
        return web.orgView("audit", page, titleKey: "audit_title", section: "audit", model: model, request: request)
    }
}

/// A choice in a `<select>`: its value, what it shows, and whether it is the one chosen.
struct SelectOption: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// `members`: the organization's members, pending invitations, the role form and the organization's time zone.
struct MembersPage: PageModel {
    struct Member: Encodable, Sendable {
        let name: String
        let email: String
        let role: String
        let mfa: Bool
        /// The viewer's own row (`{{#self}}`: leave instead of remove).
        let isSelf: Bool
        let removeURL: String
        /// Owners and admins manage every row but their own: a role form and, when enrolled, the authenticator reset.
        var manageable = false
        var roleURL = ""
        /// The role select's accessible name ("Role of Ann").
        var roleName = ""
        var roleOptions: [SelectOption] = []
        var canReset = false
        var resetURL = ""
        enum CodingKeys: String, CodingKey {
            case name, email, role, mfa, isSelf = "self", removeURL, manageable, roleURL, roleName, roleOptions, canReset, resetURL
        }
    }
    struct Invitation: Encodable, Sendable {
        let email: String
        let role: String
        let expires: String
        let revokeURL: String
        var resendURL = ""
    }
    struct Zone: Encodable, Sendable {
        let value: String
        let selected: Bool
    }
    let members: [Member]
    let canManage: Bool
    let action: String
    let roles: [SelectOption]
    let email: String
    let error: String?
    let invitationLink: String?
    let invitations: [Invitation]
    let hasInvitations: Bool
    let canManageOrg: Bool
    let zoneAction: String
    let orgTimeZone: String
    let zones: [Zone]
    let zoneError: String?
    /// The link shown is an invitation sent again (the old link no longer works).
    var resent = false
    /// What became of the invitation's e-mail; absent without a mail server.
    var mailNotice: String?
    var mailFailed = false
    /// The organization's regime and what its terms become (issue 17 item 3).
    var regime: RegimeSection? = nil
}

/// `tokens`: the organization's API tokens, the one just created (shown once) and the form for a new one.
struct TokensPage: PageModel {
    struct Token: Encodable, Sendable {
        let name: String
        let scope: String
        let expires: String
        let created: String
        let revoked: Bool
        let expired: Bool
        let revokeURL: String
    }
    struct Created: Encodable, Sendable {
        let name: String
        let token: String
    }
    let tokens: [Token]
    let action: String
    let created: Created?
    let scopes: [SelectOption]
    let name: String
    let days: String
    /// The form's errors by field (`{{errors.name}}`).
    let errors: [String: String]
    let hasErrors: Bool
}

/// `audit`: a page of the audit log, its filters and, on request, the hash chain's verification.
struct AuditPage: PageModel {
    struct Entry: Encodable, Sendable {
        let seq: Int64
        let at: String
        let actor: String
        let ip: String
        let action: String
        let label: String?
        let object: String
        let hash: String
    }
    struct Verification: Encodable, Sendable {
        let intact: Bool
        let text: String
    }
    let entries: [Entry]
    let empty: Bool
    let action: String
    let actor: String
    let filterURL: String
    let actions: [SelectOption]
    let verifyURL: String
    var olderURL: String?
    var verification: Verification?
}
