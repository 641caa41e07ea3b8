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
                     invitationLink: String? = nil, zone: String? = nil, zoneError: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        // The organization's time zone: its calendar's "today" (`OrganizationCalendar`); owners and admins set it.
        let zone = zone ?? page.member.organization.timeZone
        var zones = AuthPages.timeZones
        if !zones.contains(zone) { zones.append(zone) }
        let list = try await memberships.members(organizationID: page.org)
        let canManage = page.member.role.allows(.manageMembers)
        let pending = canManage ? try await memberships.pendingInvitations(organizationID: page.org) : []
        return web.orgView("members", page, titleKey: "members_title", section: "members", data: [
            "members": list.map { ["name": $0.0.displayName, "email": $0.0.email, "role": roleLabel($0.1, lang),
                                   "mfa": $0.0.hasMFA, "self": $0.0.id == page.viewer.user.id,
                                   "remove_url": PageRoute.removeMember(org: page.org, user: $0.0.id).path] },
            "can_manage": canManage, "action": PageRoute.members(org: page.org).path,
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": roleLabel($0, lang), "selected": $0.rawValue == role] },
            "email": email, "error": error as Any, "invitation_link": invitationLink as Any,
            "invitations": pending.map { ["email": $0.email, "role": $0.roleValue.map { roleLabel($0, lang) } ?? $0.role,
                                          "expires": page.viewer.locale.dateTime($0.expiresAt),
                                          "revoke_url": PageRoute.revokeInvitation(org: page.org, invitation: $0.id).path] },
            "has_invitations": !pending.isEmpty,
            "can_manage_org": page.member.role.allows(.manageOrganization),
            "zone_action": PageRoute.organizationTimeZone(org: page.org).path, "org_time_zone": page.member.organization.timeZone,
            "zones": zones.map { ["value": $0, "selected": $0 == zone] }, "zone_error": zoneError as Any,
        ], request: request, status: status)
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
            if case .invited(_, let token) = outcome {
                let link = web.absoluteURL(request, PageRoute.acceptInvitation.path + "?token=" + token)
                return try await membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil,
                                             invitationLink: link)
            }
        } catch let e as MembershipRuleError {
            return try await membersView(page, request: request, email: form["email"], role: role.rawValue,
                                         error: web.messages.text(Self.messageKey(e), lang), status: .badRequest)
        } catch AccountError.invalidEmail {
            return try await membersView(page, request: request, email: form["email"], role: role.rawValue,
                                         error: web.messages.text("error_email", lang), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=saved")
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
        return web.orgView("tokens", page, titleKey: "tokens_title", section: "tokens", data: [
            "tokens": list.map { t -> [String: Any] in
                ["name": t.name, "scope": web.messages.text("scope_\(t.scope)", lang), "expires": locale.dateTime(t.expiresAt),
                 "created": locale.dateTime(t.createdAt), "revoked": t.revokedAt != nil,
                 "expired": t.expiresAt <= Timestamp.string(services.clock.now()), "revoke_url": PageRoute.revokeToken(org: page.org, token: t.id).path] },
            "action": PageRoute.tokens(org: page.org).path, "created": created.map { ["name": $0.name, "token": $0.token ?? ""] } as Any,
            "scopes": ["read", "write"].map { ["value": $0, "label": web.messages.text("scope_\($0)", lang), "selected": $0 == scope] },
            "name": name, "days": days, "errors": errors, "has_errors": !errors.isEmpty,
        ], request: request, status: status)
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
        var data: [String: Any] = [
            "entries": entries.map { ["seq": $0.seq, "at": page.viewer.locale.dateTime($0.at), "actor": $0.actor, "ip": $0.sourceIP,
                                      "action": $0.action, "label": $0.knownAction?.label[lang] as Any, "object": $0.object,
                                      "hash": String($0.hash.prefix(16))] },
            "action": action, "actor": actor, "filter_url": PageRoute.audit(org: page.org).path, "empty": entries.isEmpty,
            // One filter per group of the log's vocabulary (`AuditAction`), in the order the enum lists them.
            "actions": AuditAction.allCases.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                .map { ["value": $0, "label": $0, "selected": $0 == action] },
        ]
        if entries.count == pageSize, let last = entries.last {
            var next = "\(PageRoute.audit(org: page.org).path)?before=\(last.seq)"
            if !action.isEmpty { next += "&action=\(action.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            if !actor.isEmpty { next += "&actor=\(actor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            data["older_url"] = next
        }
        data["verify_url"] = "\(PageRoute.audit(org: page.org).path)?verify=1"
        if q["verify"] == "1" {
            let v = try await AuditQueries(db: services.db).verify()
            data["verification"] = ["intact": v.isIntact, "entries": page.viewer.locale.number(v.entries),
                                    "text": web.messages.text(v.isIntact ? "audit_intact" : "audit_broken", lang,
                                                              ["count": page.viewer.locale.number(v.entries),
                                                               "problems": "\(v.problems.count)"])]
        }
        return web.orgView("audit", page, titleKey: "audit_title", section: "audit", data: data, request: request)
    }
}
