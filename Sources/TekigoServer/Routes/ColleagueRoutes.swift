import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// `PUT /api/v1/organizations/{org}/members/{user}`: the member's new role.
struct MemberRoleBody: StrictBody {
    static let fields: Set<String> = ["role"]
    let role: String
}

/// The members page's colleague operations as API routes (issue #12 item 1), registered by `TenantRoutes.register`:
/// a member's role by id, resetting a member's authenticator, sending an invitation again with a new link. Each
/// calls the one use case the page calls.
extension TenantRoutes {
    /// Changes the role of the member `user` (owners and admins): only an owner makes or changes an owner; the last
    /// owner stays (`409`).
    func putMemberRole(_ request: Request, context: TenantContext) async throws -> JSONResponse<MemberView> {
        let m = try context.membership(for: .manageMembers)
        let body = try await request.decodeStrict(MemberRoleBody.self, context: context)
        let role = try Self.role(body.role)
        let user = try await MembershipUseCases(services.accountEnvironment).changeRole(
            organizationID: m.organization.id, userID: try context.parameters.require("user"), to: role, actorRole: m.role, actor: m.actor)
        return JSONResponse(value: MemberView(user: UserView(user), role: role.rawValue))
    }

    /// Clears the member's authenticator and recovery codes and ends their sessions; they enrol again at their next
    /// sign-in. Audited (`mfa.reset`).
    func resetMemberMFA(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageMembers)
        _ = try await SecondFactorUseCases(services.accountEnvironment).reset(
            organizationID: m.organization.id, userID: try context.parameters.require("user"), actorRole: m.role, actor: m.actor)
        return Response(status: .noContent)
    }

    /// A new link for a pending (or expired, never accepted or withdrawn) invitation; the old one stops working.
    /// E-mailed when a mail server is configured (`mail` says what became of it).
    func resendInvitation(_ request: Request, context: TenantContext) async throws -> JSONResponse<MemberInvitationView> {
        let m = try context.membership(for: .manageMembers)
        let (record, token) = try await MembershipUseCases(services.accountEnvironment).resendInvitation(
            organizationID: m.organization.id, id: try context.parameters.require("invitation"), days: 7, actorRole: m.role,
            actor: m.actor)
        let mail = await services.mailInvitation(record, token: token, organization: m.organization,
                                                 inviter: context.identity.user.displayName, baseURL: services.baseURL(request),
                                                 actor: m.actor)
        return JSONResponse(value: MemberInvitationView(record, token: token, mail: mail), status: .created)
    }
}

extension MemberInvitationView {
    init(_ r: MembershipInvitationRecord, token: String, mail: InvitationMailOutcome) {
        self.init(r, token: token)
        switch mail {
        case .notConfigured: self.mail = nil
        case .sent: self.mail = "sent"
        case .failed: self.mail = "failed"
        case .pending: self.mail = "pending"
        }
    }
}

extension SecondFactorResetError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAMember: return .notFound("Member")
        case .ownAccount, .notAllowed, .onlyOwnerResetsOwner, .platformAdministrator, .memberElsewhere: return .forbidden(description)
        }
    }
}
