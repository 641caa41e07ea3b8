import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Colleagues in the browser and the API (issue #12 item 1 and its bad input): the members page's role form,
/// authenticator reset and re-sent invitations, over real HTTP on loopback on both engines, with the refusals a
/// confused user or an attacker meets (CSRF, a viewer posting an admin's form, another organization's member, the last
/// owner), and invitation links that are expired, used, forged or opened by a member of another organization.
@Suite("Colleagues: members page, invitations, authenticator reset", .serialized)
struct ColleagueTests {
    static let password = AccountSafetyTests.password

    static func withServer(_ engine: TestDatabases.Engine, clock: any WallClock = SystemClock(),
                           _ body: @escaping @Sendable (any TestClientProtocol, Services) async throws -> Void) async throws {
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in try await body(client, services) }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// A member of `orgID` with `role`, signed in (API session) and enrolled; returns the browser and the secret.
    static func enrolledMember(_ client: any TestClientProtocol, _ services: Services, _ orgID: String, _ role: Role,
                               email: String) async throws -> (Browser, UserRecord, String) {
        let user = try await AccountSafetyTests.member(services, orgID, role, email: email)
        let b = Browser(client)
        try #require(try await b.login(email, password).status == .ok)
        let secret = try await AccountSafetyTests.enrol(b)
        return (b, user, secret)
    }

    static func csrf(_ b: Browser, _ orgID: String) async throws -> String {
        try #require(WebPageTests.formToken(try await WebPageTests.page(b, .get, "/o/\(orgID)/members").html))
    }

    static func count(_ services: Services, _ action: AuditAction) async throws -> Int {
        try await AccountSafetyTests.auditActions(services, action.rawValue)
    }

    @Test("Members page: a role changed from the member's row; CSRF, a viewer, an admin making an owner and the last owner are refused and change nothing",
          arguments: TestDatabases.engines)
    func roleForm(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let colleague = try await AccountSafetyTests.member(services, orgID, .contributor, email: "colleague@example.jp")
            let (viewer, _, _) = try await Self.enrolledMember(client, services, orgID, .viewer, email: "viewer@example.jp")
            let (admin, _, _) = try await Self.enrolledMember(client, services, orgID, .admin, email: "admin2@example.jp")
            let members = try await WebPageTests.page(owner, .get, "/o/\(orgID)/members")
            #expect(members.html.contains("/o/\(orgID)/members/\(colleague.id)/role"))
            #expect(!members.html.contains("/o/\(orgID)/members/\(me.id)/role"), "no role form on your own row")
            #expect(members.html.contains("aria-label=\"Member contributor の役割\""), "the select has an accessible name")
            let csrf = try await Self.csrf(owner, orgID)
            let rolePath = "/o/\(orgID)/members/\(colleague.id)/role"
            let changesBefore = try await Self.count(services, .membershipRoleChanged)

            let changed = try await WebPageTests.page(owner, .post, rolePath, form: [("csrf", csrf), ("role", "assessor")])
            #expect(changed.status == .seeOther && changed.headers[.location] == "/o/\(orgID)/members?notice=role_changed")
            #expect(try await services.accounts.role(userID: colleague.id, organizationID: orgID) == .assessor)
            #expect(try await WebPageTests.page(owner, .get, changed.headers[.location]!).html.contains("役割を変更しました"))

            // A wrong CSRF token, a viewer, an unknown role: a page in the user's language, nothing changed.
            let forged = try await WebPageTests.page(owner, .post, rolePath, form: [("csrf", "forged"), ("role", "viewer")])
            #expect(forged.status == .forbidden && forged.html.contains("フォームの有効期限切れ"))
            let viewerCSRF = try #require(WebPageTests.formToken(try await WebPageTests.page(viewer, .get, "/o/\(orgID)/members").html))
            let byViewer = try await WebPageTests.page(viewer, .post, rolePath, form: [("csrf", viewerCSRF), ("role", "viewer")])
            #expect(byViewer.status == .forbidden && byViewer.html.contains("権限がありません"))
            let englishViewer = try await WebPageTests.page(viewer, .post, rolePath, form: [("csrf", viewerCSRF), ("role", "viewer")],
                                                            language: "en")
            #expect(englishViewer.status == .forbidden && englishViewer.html.contains("lang=\"en\""))
            let unknown = try await WebPageTests.page(owner, .post, rolePath, form: [("csrf", csrf), ("role", "boss")])
            #expect(unknown.status == .badRequest)
            // An admin cannot make an owner; the last owner cannot be demoted, even by posting the form by hand.
            let adminCSRF = try await Self.csrf(admin, orgID)
            let adminPage = try await WebPageTests.page(admin, .get, "/o/\(orgID)/members")
            #expect(adminPage.html.contains(rolePath), "an admin manages the contributor's row")
            #expect(!adminPage.html.contains("/o/\(orgID)/members/\(me.id)/") && !adminPage.html.contains("value=\"owner\""),
                    "an admin's page offers no owner role and no form on an owner's row")
            let makeOwner = try await WebPageTests.page(admin, .post, rolePath, form: [("csrf", adminCSRF), ("role", "owner")])
            #expect(makeOwner.status == .forbidden && makeOwner.html.contains("所有者の付与・変更は所有者だけ"))
            let demoteLast = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(me.id)/role",
                                                         form: [("csrf", csrf), ("role", "viewer")])
            #expect(demoteLast.status == .conflict && demoteLast.html.contains("最後の所有者"))
            // Removing yourself as the last owner: the same clear refusal.
            let leave = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(me.id)/remove", form: [("csrf", csrf)])
            #expect(leave.status == .badRequest && leave.html.contains("最後の所有者"))
            // Another organization's member, named under this one: not found, nothing changed.
            let elsewhere = try await services.accounts.createOrganization(name: "別会社", owner: colleague.id)
            let stranger = try await AccountSafetyTests.member(services, elsewhere.id, .viewer, email: "stranger@example.jp")
            let foreign = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(stranger.id)/role",
                                                      form: [("csrf", csrf), ("role", "admin")])
            #expect(foreign.status == .notFound && foreign.html.contains("メンバーではありません"))
            #expect(try await services.accounts.role(userID: stranger.id, organizationID: elsewhere.id) == .viewer)
            #expect(try await services.accounts.role(userID: stranger.id, organizationID: orgID) == nil)

            #expect(try await services.accounts.role(userID: colleague.id, organizationID: orgID) == .assessor)
            #expect(try await services.accounts.role(userID: me.id, organizationID: orgID) == .owner)
            #expect(try await Self.count(services, .membershipRoleChanged) - changesBefore == 1, "only the one change is audited")

            // The API twin: PUT …/members/{user}.
            let api = try await owner.send(.put, "/api/v1/organizations/\(orgID)/members/\(colleague.id)", json: ["role": "viewer"])
            #expect(api.status == .ok && api.json["role"] as? String == "viewer")
            let apiLast = try await owner.send(.put, "/api/v1/organizations/\(orgID)/members/\(me.id)", json: ["role": "admin"])
            #expect(apiLast.status == .conflict)
        }
    }

    @Test("Authenticator reset: the member's secret, recovery codes and sessions go and they must enrol again; never your own, an owner's by an admin, a platform administrator's, or by a viewer",
          arguments: TestDatabases.engines)
    func resetAuthenticator(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let (colleagueBrowser, colleague, _) = try await Self.enrolledMember(client, services, orgID, .contributor,
                                                                                email: "colleague@example.jp")
            let (viewer, _, _) = try await Self.enrolledMember(client, services, orgID, .viewer, email: "viewer@example.jp")
            let (admin, adminUser, _) = try await Self.enrolledMember(client, services, orgID, .admin, email: "admin2@example.jp")
            let csrf = try await Self.csrf(owner, orgID)
            let resetPath = "/o/\(orgID)/members/\(colleague.id)/reset-mfa"
            #expect(try await WebPageTests.page(owner, .get, "/o/\(orgID)/members").html.contains(resetPath))

            // Refusals first: each a page in the user's language, the member's authenticator untouched.
            let viewerCSRF = try await Self.csrf(viewer, orgID)
            let byViewer = try await WebPageTests.page(viewer, .post, resetPath, form: [("csrf", viewerCSRF)])
            #expect(byViewer.status == .forbidden && byViewer.html.contains("権限がありません"))
            let forged = try await WebPageTests.page(owner, .post, resetPath, form: [("csrf", "nope")])
            #expect(forged.status == .forbidden)
            let own = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(me.id)/reset-mfa", form: [("csrf", csrf)])
            #expect(own.status == .forbidden && own.html.contains("自分の認証アプリはここではリセットできません"))
            let adminCSRF = try await Self.csrf(admin, orgID)
            let ownerByAdmin = try await WebPageTests.page(admin, .post, "/o/\(orgID)/members/\(me.id)/reset-mfa",
                                                           form: [("csrf", adminCSRF)], language: "en")
            #expect(ownerByAdmin.status == .forbidden && ownerByAdmin.html.contains("Only an owner can reset an owner"))
            // A second owner cannot reset the platform administrator's authenticator (the operator does, on the server).
            try await services.accounts.setMembership(userID: adminUser.id, organizationID: orgID, role: .owner)
            let platform = try await WebPageTests.page(admin, .post, "/o/\(orgID)/members/\(me.id)/reset-mfa", form: [("csrf", adminCSRF)])
            #expect(platform.status == .forbidden && platform.html.contains("プラットフォーム管理者"))
            try await services.accounts.setMembership(userID: adminUser.id, organizationID: orgID, role: .admin)
            #expect(try await services.accounts.user(id: colleague.id)?.hasMFA == true)
            #expect(try await services.accounts.user(id: me.id)?.hasMFA == true)
            #expect(try await Self.count(services, .mfaReset) == 0)

            // The reset itself.
            #expect(try await colleagueBrowser.send(.get, "/api/v1/me").status == .ok)
            let reset = try await WebPageTests.page(owner, .post, resetPath, form: [("csrf", csrf)])
            #expect(reset.status == .seeOther && reset.headers[.location] == "/o/\(orgID)/members?notice=mfa_reset")
            #expect(try await WebPageTests.page(owner, .get, reset.headers[.location]!).html.contains("認証アプリをリセットしました"))
            let after = try #require(try await services.accounts.user(id: colleague.id))
            #expect(!after.hasMFA && after.totpSecret == nil && after.totpPendingSecret == nil && after.recoveryCodeHashes.isEmpty)
            #expect(try await colleagueBrowser.send(.get, "/api/v1/me").status == .unauthorized, "the member's session ended")
            #expect(try await Self.count(services, .mfaReset) == 1)
            // Signing in again with the password leads to enrolment before anything else (SP 800-171 3.5.3).
            let again = try await colleagueBrowser.login("colleague@example.jp", Self.password)
            #expect(again.status == .ok && again.json["mfaEnrollmentRequired"] as? Bool == true)
            let page = try await WebPageTests.page(colleagueBrowser, .get, "/o/\(orgID)")
            #expect(page.status == .seeOther && page.headers[.location] == "/account/mfa")
            _ = try await AccountSafetyTests.enrol(colleagueBrowser)
            #expect(try await services.accounts.user(id: colleague.id)?.hasMFA == true)

            // The API twin, with its refusals.
            let apiReset = try await owner.send(.post, "/api/v1/organizations/\(orgID)/members/\(colleague.id)/mfa-reset")
            #expect(apiReset.status == .noContent)
            let apiOwn = try await owner.send(.post, "/api/v1/organizations/\(orgID)/members/\(me.id)/mfa-reset")
            #expect(apiOwn.status == .forbidden)
            let apiUnknown = try await owner.send(.post, "/api/v1/organizations/\(orgID)/members/\(UUID().uuidString)/mfa-reset")
            #expect(apiUnknown.status == .notFound)
            #expect(try await Self.count(services, .mfaReset) == 2)
            #expect(try await AuditLog(services.db).verify().isIntact)
        }
    }

    @Test("Invitations: a second invitation of one address is refused; re-sending replaces the link; expired, used and forged links are clear pages that change nothing",
          arguments: TestDatabases.engines)
    func invitationLinks(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Date())
        try await Self.withServer(engine, clock: clock) { client, services in
            let owner = Browser(client)
            let (secret, orgID) = try await bootstrapAdmin(owner, services: services)
            let csrf = try await Self.csrf(owner, orgID)
            let invited = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members",
                                                      form: [("csrf", csrf), ("email", "new@example.jp"), ("role", "assessor")])
            #expect(invited.status == .ok)
            #expect(!invited.html.contains("招待メール"), "without a mail server the page says nothing about e-mail")
            let first = try #require(AccountSafetyTests.firstMatch(#"/account/invitation\?token=[A-Za-z0-9_-]+"#, in: invited.html))

            // Invited twice: refused with a message that says what to do; still one invitation.
            let twice = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members",
                                                    form: [("csrf", csrf), ("email", "NEW@example.jp"), ("role", "viewer")])
            #expect(twice.status == .conflict && twice.html.contains("未承諾の招待があります"))
            let twiceEn = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members",
                                                      form: [("csrf", csrf), ("email", "new@example.jp"), ("role", "viewer")], language: "en")
            #expect(twiceEn.status == .conflict && twiceEn.html.contains("open invitation already"))
            let apiTwice = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations",
                                                json: ["email": "new@example.jp", "role": "viewer"])
            #expect(apiTwice.status == .conflict && apiTwice.errorCode == "conflict")
            let pending = try await MembershipUseCases(services.accountEnvironment).pendingInvitations(organizationID: orgID)
            #expect(pending.count == 1 && pending[0].role == "assessor")

            // Re-sent: a new link; the old one is a clear page; audited.
            let list = try await WebPageTests.page(owner, .get, "/o/\(orgID)/members")
            let resendPath = "/o/\(orgID)/invitations/\(pending[0].id)/resend"
            #expect(list.html.contains(resendPath))
            // A forged CSRF token and a viewer are refused before anything is replaced.
            let forgedResend = try await WebPageTests.page(owner, .post, resendPath, form: [("csrf", "forged")])
            #expect(forgedResend.status == .forbidden)
            let (viewer, _, _) = try await Self.enrolledMember(client, services, orgID, .viewer, email: "viewer@example.jp")
            let byViewer = try await WebPageTests.page(viewer, .post, resendPath, form: [("csrf", try await Self.csrf(viewer, orgID))])
            #expect(byViewer.status == .forbidden && byViewer.html.contains("権限がありません"))
            #expect(try await Self.count(services, .membershipInvitationResent) == 0)
            let resent = try await WebPageTests.page(owner, .post, resendPath, form: [("csrf", csrf)])
            #expect(resent.status == .ok && resent.html.contains("新しいリンクで作り直しました"))
            let second = try #require(AccountSafetyTests.firstMatch(#"/account/invitation\?token=[A-Za-z0-9_-]+"#, in: resent.html))
            #expect(second != first)
            let anonymous = Browser(client)
            let old = try await WebPageTests.page(anonymous, .get, first)
            #expect(old.status == .notFound && old.html.contains("この招待は無効です"))
            #expect(try await WebPageTests.page(anonymous, .get, second).status == .ok)
            #expect(try await Self.count(services, .membershipInvitationResent) == 1)
            // Re-sending the replaced invitation again: it is gone (a clear page, nothing new).
            let stale = try await WebPageTests.page(owner, .post, resendPath, form: [("csrf", csrf)])
            #expect(stale.status == .notFound && stale.html.contains("既に承諾されたか、取り消されています"))
            #expect(try await MembershipUseCases(services.accountEnvironment).pendingInvitations(organizationID: orgID).count == 1)

            // Forged: a clear page in the user's language.
            let forged = try await WebPageTests.page(anonymous, .get, "/account/invitation?token=forged-token-123", language: "en")
            #expect(forged.status == .notFound && forged.html.contains("lang=\"en\""))
            let forgedPost = try await WebPageTests.page(anonymous, .post, "/account/invitation", form: [
                ("token", "forged-token-123"), ("display_name", "偽物"), ("password", Self.password), ("password_again", Self.password)])
            #expect(forgedPost.status == .notFound && forgedPost.html.contains("この招待は無効です"))

            // Expired: after its 7 days the link is a clear page and accepting creates nobody.
            clock.advance(by: 8 * 86_400)
            let expired = try await WebPageTests.page(anonymous, .get, second)
            #expect(expired.status == .notFound && expired.html.contains("この招待は無効です"))
            let secondToken = String(second.split(separator: "=").last!)
            let late = try await WebPageTests.page(anonymous, .post, "/account/invitation", form: [
                ("token", secondToken), ("display_name", "遅刻 太郎"), ("password", Self.password), ("password_again", Self.password)])
            #expect(late.status == .notFound && late.html.contains("この招待は無効です"))
            #expect(try await services.accounts.user(email: "new@example.jp") == nil)
            // An expired invitation can be sent again (not listed as pending any more, but the API reaches it). The
            // owner's session ended with the 8 days: sign in again at the server's clock.
            try #require(try await owner.login("admin@example.jp", Self.password, code: currentTOTP(secret, at: clock.now())).status == .ok)
            let apiResend = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations/\(pending[0].id)/resend")
            #expect(apiResend.status == .notFound, "the replaced invitation stays replaced")
            let expiredID = try #require(try await services.db.sql.select().column("id").from("membership_invitations")
                .where("revoked_at", .is, SQLLiteral.null).first()?.decode(column: "id", as: String.self))
            let revived = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations/\(expiredID)/resend")
            #expect(revived.status == .created && (revived.json["token"] as? String)?.isEmpty == false && revived.json["mail"] == nil)
            let third = try #require(revived.json["token"] as? String)

            // Used: accepted once, then a clear page.
            let joined = try await WebPageTests.page(anonymous, .post, "/account/invitation", form: [
                ("token", third), ("display_name", "新人 花子"), ("password", Self.password), ("password_again", Self.password)])
            #expect(joined.status == .seeOther)
            let used = try await WebPageTests.page(anonymous, .get, "/account/invitation?token=\(third)")
            #expect(used.status == .notFound && used.html.contains("この招待は無効です"))
            let newcomer = try #require(try await services.accounts.user(email: "new@example.jp"))
            #expect(try await services.accounts.role(userID: newcomer.id, organizationID: orgID) == .assessor && !newcomer.isPlatformAdmin)
        }
    }

    @Test("An invitation opened by someone signed in as a member of another organization: they join this one as well — never a new organization, never platform administrator",
          arguments: TestDatabases.engines)
    func memberOfAnotherOrganizationAccepts(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            // Someone who owns another organization (and has enrolled there).
            let other = try await services.accounts.createUser(email: "multi@example.jp", displayName: "兼務 次郎",
                                                               passwordHash: try await PasswordHasher.hash(Self.password), platformAdmin: false)
            let elsewhere = try await services.accounts.createOrganization(name: "株式会社ティア2", owner: other.id)
            let multi = Browser(client)
            try #require(try await multi.login("multi@example.jp", Self.password).status == .ok)
            _ = try await AccountSafetyTests.enrol(multi)
            let orgCount = try await services.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("organizations").first()?.decode(column: "n", as: Int.self)

            let invite = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations",
                                              json: ["email": "multi@example.jp", "role": "viewer"])
            let token = try #require(invite.json["token"] as? String)
            // A third person signed in with another address sees a clear refusal, and cannot accept.
            let (bystander, _, _) = try await Self.enrolledMember(client, services, elsewhere.id, .viewer, email: "bystander@example.jp")
            let wrong = try await WebPageTests.page(bystander, .get, "/account/invitation?token=\(token)")
            #expect(wrong.status == .ok && wrong.html.contains("別のメールアドレス宛て") && !wrong.html.contains("name=\"token\""))

            let offer = try await WebPageTests.page(multi, .get, "/account/invitation?token=\(token)")
            #expect(offer.status == .ok && offer.html.contains("株式会社プライム") && offer.html.contains("name=\"token\""))
            let csrf = try #require(WebPageTests.formToken(offer.html))
            let accepted = try await WebPageTests.page(multi, .post, "/account/invitation", form: [("csrf", csrf), ("token", token)])
            #expect(accepted.status == .seeOther && accepted.headers[.location] == "/o/\(orgID)")
            #expect(try await services.accounts.role(userID: other.id, organizationID: orgID) == .viewer)
            #expect(try await services.accounts.role(userID: other.id, organizationID: elsewhere.id) == .owner)
            let after = try #require(try await services.accounts.user(id: other.id))
            #expect(!after.isPlatformAdmin)
            let orgCountAfter = try await services.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("organizations").first()?.decode(column: "n", as: Int.self)
            #expect(orgCountAfter == orgCount, "no organization was created")
            let landing = try await WebPageTests.page(multi, .get, "/o/\(orgID)")
            #expect(landing.status == .ok)
        }
    }

    @Test("Use cases: one open invitation per address even when two arrive at once; the reset and re-send rules hold without HTTP",
          arguments: TestDatabases.engines)
    func rules(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let memberships = MembershipUseCases(services.accountEnvironment)
            let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        (try? await memberships.invite(organizationID: orgID, email: "race@example.jp", role: .viewer, days: 7,
                                                        actorRole: .owner, actor: actor)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1, "\(results)")
            #expect(try await memberships.pendingInvitations(organizationID: orgID).count == 1)
            await #expect(throws: InvitationError.alreadyInvited("race@example.jp")) {
                try await memberships.invite(organizationID: orgID, email: "Race@Example.jp", role: .admin, days: 7, actorRole: .owner, actor: actor)
            }
            // An owner's invitation is re-sent only by an owner.
            let ownerInvite = try await memberships.invite(organizationID: orgID, email: "co-owner@example.jp", role: .owner, days: 7,
                                                           actorRole: .owner, actor: actor)
            await #expect(throws: MembershipRuleError.onlyOwnerMakesOwner) {
                try await memberships.resendInvitation(organizationID: orgID, id: ownerInvite.invitation.id, days: 7, actorRole: .admin,
                                                       actor: actor)
            }
            await #expect(throws: InvitationError.lifetime) {
                try await memberships.resendInvitation(organizationID: orgID, id: ownerInvite.invitation.id, days: 0, actorRole: .owner,
                                                       actor: actor)
            }
            #expect(try await MembershipStore.openInvitation(services.db, token: ownerInvite.token) != nil, "refused re-sends replace nothing")
            // Another organization's invitation is not found under this one.
            let elsewhere = try await services.accounts.createOrganization(name: "他社", owner: me.id)
            let foreign = try await memberships.invite(organizationID: elsewhere.id, email: "x@example.jp", role: .viewer, days: 7,
                                                       actorRole: .owner, actor: actor)
            await #expect(throws: InvitationError.notFound(foreign.invitation.id)) {
                try await memberships.resendInvitation(organizationID: orgID, id: foreign.invitation.id, days: 7, actorRole: .owner, actor: actor)
            }
            // Reset rules.
            let factors = SecondFactorUseCases(services.accountEnvironment)
            let member = try await AccountSafetyTests.member(services, orgID, .contributor, email: "m@example.jp")
            try await services.accounts.setMFA(userID: member.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 1,
                                               recoveryCodeHashes: ["x"])
            await #expect(throws: SecondFactorResetError.notAllowed) {
                try await factors.reset(organizationID: orgID, userID: member.id, actorRole: .assessor, actor: actor)
            }
            await #expect(throws: SecondFactorResetError.ownAccount) {
                try await factors.reset(organizationID: orgID, userID: me.id, actorRole: .owner, actor: actor)
            }
            await #expect(throws: SecondFactorResetError.notAMember) {
                try await factors.reset(organizationID: elsewhere.id, userID: member.id, actorRole: .owner, actor: actor)
            }
            #expect(try await services.accounts.user(id: member.id)?.hasMFA == true)
            // Someone who belongs to another organization too: one organization's administrators may not remove the
            // second factor that guards the other (a stolen password would then be enough there); the operator may.
            let consultant = try await AccountSafetyTests.member(services, orgID, .viewer, email: "consultant@example.jp")
            try await services.accounts.setMembership(userID: consultant.id, organizationID: elsewhere.id, role: .owner)
            try await services.accounts.setMFA(userID: consultant.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 1,
                                               recoveryCodeHashes: ["x"])
            await #expect(throws: SecondFactorResetError.memberElsewhere) {
                try await factors.reset(organizationID: orgID, userID: consultant.id, actorRole: .owner, actor: actor)
            }
            let refused = try await owner.send(.post, "/api/v1/organizations/\(orgID)/members/\(consultant.id)/mfa-reset")
            #expect(refused.status == .forbidden && String(decoding: refused.body, as: UTF8.self).contains("another organization"))
            #expect(try await services.accounts.user(id: consultant.id)?.hasMFA == true, "a refused reset clears nothing")
            #expect(try await factors.resetAsOperator(email: "consultant@example.jp")?.hasMFA == true)
            #expect(try await services.accounts.user(id: consultant.id)?.hasMFA == false)

            let before = try await factors.reset(organizationID: orgID, userID: member.id, actorRole: .admin,
                                                 actor: Actor(id: "someone-else", sourceIP: "127.0.0.1"))
            #expect(before.hasMFA)
            #expect(try await services.accounts.user(id: member.id)?.hasMFA == false)
        }
    }
}
