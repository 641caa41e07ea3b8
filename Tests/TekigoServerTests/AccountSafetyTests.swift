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

/// The sign-in, enrolment and membership defects an outside probe found (issue: defects, items 1–5 and 10), each
/// tested the way an attacker or a confused user would meet it: over real HTTP on loopback, on both engines.
@Suite("Account safety: second factor, enrolment, platform administrators, memberships", .serialized)
struct AccountSafetyTests {
    static let password = "correct horse battery staple 7"

    /// A session from the sign-in page's password step: its second factor is still to come.
    static func halfOpenSession(_ client: any TestClientProtocol, email: String) async throws -> Browser {
        let page = try await client.execute(uri: "/login", method: .get)
        let csrfCookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
        let ok = try await client.execute(uri: "/login", method: .post,
                                          headers: [.contentType: "application/x-www-form-urlencoded", .cookie: csrfCookie],
                                          body: WebPageTests.urlEncoded([("csrf", token), ("email", email), ("password", password)]))
        try #require(ok.status == .seeOther && ok.headers[.location] == "/login/mfa")
        let b = Browser(client)
        b.cookie = try #require(ok.headers[.setCookie]?.split(separator: ";").first.map { String($0.dropFirst("tekigo_session=".count)) })
        // The code page carries the session's CSRF token, so an attacker holding the half-open session has it too.
        b.csrf = WebPageTests.formToken(try await WebPageTests.page(b, .get, "/login/mfa").html)
        return b
    }

    static func auditActions(_ services: Services, _ action: String) async throws -> Int {
        try await services.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log")
            .where("action", .equal, action).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A member of `orgID` with `role`, created directly (as an accepted invitation would), without an authenticator.
    static func member(_ services: Services, _ orgID: String, _ role: Role, email: String) async throws -> UserRecord {
        let user = try await services.accounts.createUser(email: email, displayName: "Member \(role.rawValue)",
                                                          passwordHash: try await PasswordHasher.hash(password), platformAdmin: false)
        try await services.accounts.setMembership(userID: user.id, organizationID: orgID, role: role)
        return user
    }

    static func enrol(_ b: Browser) async throws -> String {
        let enrol = try await b.send(.post, "/api/v1/me/mfa")
        let secret = try #require(enrol.json["secret"] as? String)
        let confirm = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret)])
        try #require(confirm.status == .ok, "enrolment: \(confirm.status)")
        return secret
    }

    @Test("Item 1: a half-open session can only give the code or sign out; confirming enrolment from it is refused and replaces nothing",
          arguments: TestDatabases.engines)
    func halfOpenSessionCannotConfirm(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)
            let before = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let attacker = try await Self.halfOpenSession(client, email: "admin@example.jp")
            // Even the right code (which an attacker would find by guessing) gets nothing through the enrolment route.
            let confirm = try await attacker.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret)])
            #expect(confirm.status == .forbidden && confirm.errorCode == "mfa_required")
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/me"), (.post, "/api/v1/me/mfa"), (.get, "/api/v1/organizations")] {
                let r = try await attacker.send(method, path)
                #expect(r.status == .forbidden && r.errorCode == "mfa_required", "\(method) \(path): \(r.status)")
            }
            let after = try #require(try await services.accounts.user(email: "admin@example.jp"))
            #expect(after.recoveryCodes == before.recoveryCodes, "the owner's recovery codes stay")
            #expect(after.totpSecret == before.totpSecret && after.totpPendingSecret == nil)
            // Wrong codes on the code page count toward the lockout (SP 800-171 3.1.8) and are audited.
            let failuresBefore = try await Self.auditActions(services, "login.failure")
            var last: (status: HTTPResponse.Status, headers: HTTPFields, html: String)?
            for _ in 0..<Lockout.threshold {
                last = try await WebPageTests.page(attacker, .post, "/login/mfa", form: [("csrf", attacker.csrf ?? ""), ("code", "000000")])
                if last?.status == .seeOther { break }
            }
            #expect(last?.headers[.location] == "/login?notice=locked", "the lockout ends the half-open session")
            #expect(try await Self.auditActions(services, "login.failure") - failuresBefore == Lockout.threshold - 1 + 1)
            #expect(try await Self.auditActions(services, "login.locked") >= 1)
            // Signing out is the other thing a half-open session may do.
            let other = try await Self.halfOpenSessionAfterUnlock(client, services: services)
            #expect(try await other.send(.delete, "/api/v1/session").status == .noContent)
        }
    }

    static func halfOpenSessionAfterUnlock(_ client: any TestClientProtocol, services: Services) async throws -> Browser {
        let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
        try await services.accounts.resetFailedLogins(userID: user.id)
        return try await halfOpenSession(client, email: "admin@example.jp")
    }

    @Test("Item 1: a wrong code while confirming enrolment counts toward the lockout and is audited", arguments: TestDatabases.engines)
    func wrongEnrolmentCodesCount(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let user = try await Self.member(services, orgID, .viewer, email: "viewer@example.jp")
            let b = Browser(client)
            try #require(try await b.login("viewer@example.jp", Self.password).status == .ok)
            #expect(try await b.send(.post, "/api/v1/me/mfa").status == .ok)
            let wrong = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": "000000"])
            #expect(wrong.status == .badRequest)
            #expect(try await services.accounts.user(id: user.id)?.failedLogins == 1)
            #expect(try await Self.auditActions(services, "login.failure") >= 1)
        }
    }

    @Test("Item 2: a member below admin who never enrolled cannot read or write through the API (SP 800-171 3.5.3)",
          arguments: TestDatabases.engines)
    func unenrolledMemberIsRefused(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, assessment) = try await WebPageTests.assessment(services, orgID)
            _ = try await Self.member(services, orgID, .contributor, email: "contributor@example.jp")
            let b = Browser(client)
            let login = try await b.login("contributor@example.jp", Self.password)
            #expect(login.json["mfaEnrollmentRequired"] as? Bool == true)
            let base = "/api/v1/organizations/\(orgID)"
            let read = try await b.send(.get, "\(base)/assessments/\(assessment.id)/findings")
            #expect(read.status == .forbidden && read.errorCode == "mfa_required")
            let write = try await b.send(.put, "\(base)/assessments/\(assessment.id)/findings/3.1.1[a]", json: ["status": "met"])
            #expect(write.status == .forbidden && write.errorCode == "mfa_required")
            let systems = try await b.send(.get, "\(base)/systems")
            #expect(systems.status == .forbidden)
            // Enrolled, the same calls work.
            _ = try await Self.enrol(b)
            #expect(try await b.send(.get, "\(base)/assessments/\(assessment.id)/findings").status == .ok)
        }
    }

    @Test("Item 3: only the first account (or a link made for it) is a platform administrator; others cannot create organizations",
          arguments: TestDatabases.engines)
    func platformAdministrationIsExplicit(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let first = Browser(client)
            _ = try await bootstrapAdmin(first, services: services)
            #expect(try await first.send(.get, "/api/v1/me").json["platformAdmin"] as? Bool == true)
            // `tekigo admin create` without --platform-admin: an owner of a new organization, nothing more.
            let token = SecureRandom.token()
            try await services.accounts.createSetupToken(hash: SecureRandom.sha256Hex(token),
                                                         expiresAt: Timestamp.string(Date().addingTimeInterval(600)), platformAdmin: false)
            let setup = try await client.execute(uri: "/api/v1/setup", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: [
                                                     "token": token, "email": "second@example.jp", "password": Self.password,
                                                     "displayName": "二番目", "organization": "株式会社サプライヤー"])))
            #expect(setup.status == .created)
            let second = Browser(client)
            try #require(try await second.login("second@example.jp", Self.password).status == .ok)
            _ = try await Self.enrol(second)
            #expect(try await second.send(.get, "/api/v1/me").json["platformAdmin"] as? Bool == false)
            let create = try await second.send(.post, "/api/v1/organizations", json: ["name": "Forged"])
            #expect(create.status == .forbidden)
        }
    }

    @Test("Item 4: starting enrolment again through the API keeps the active authenticator until the new one is confirmed",
          arguments: TestDatabases.engines)
    func reEnrolmentKeepsTheLiveSecret(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)
            let restart = try await admin.send(.post, "/api/v1/me/mfa")
            let newSecret = try #require(restart.json["secret"] as? String)
            #expect(newSecret != secret)
            // Not confirmed: the old authenticator still signs in, the new one does not.
            let later = Date().addingTimeInterval(30)
            #expect(try await Browser(client).login("admin@example.jp", Self.password, code: currentTOTP(newSecret, at: later)).status
                    == .badRequest)
            #expect(try await Browser(client).login("admin@example.jp", Self.password, code: currentTOTP(secret, at: later)).status == .ok)
            // Confirmed: the new one replaces it.
            let confirm = try await admin.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(newSecret)])
            #expect(confirm.status == .ok)
            let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
            #expect(user.totpSecret == newSecret && user.totpPendingSecret == nil)
            #expect(try await Self.auditActions(services, "mfa.replaced") == 1)
        }
    }

    @Test("Item 5: one recovery code spent by simultaneous sign-ins lets exactly one in", arguments: TestDatabases.engines)
    func recoveryCodeSpentOnce(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            _ = try await bootstrapAdmin(admin, services: services)
            // Replace the recovery codes with known ones, as enrolment would have shown them.
            let codes = RecoveryCodes.generate()
            let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
            #expect(try await services.accounts.replaceRecoveryCodes(userID: user.id, previous: user.recoveryCodes, remaining: codes.hashed))
            // A stale read loses: the store refuses to write over a list that changed since.
            #expect(try await !services.accounts.replaceRecoveryCodes(userID: user.id, previous: user.recoveryCodes, remaining: []))
            let code = codes.plain[0]
            let results = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await Browser(client).send(.post, "/api/v1/session", json: [
                            "email": "admin@example.jp", "password": Self.password, "recoveryCode": code]).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == .ok }.count == 1, "statuses: \(results)")
            let left = try #require(try await services.accounts.user(email: "admin@example.jp")).recoveryCodeHashes
            #expect(left.count == codes.hashed.count - 1)
        }
    }

    @Test("Item 10: nobody is attached without accepting; invitations are single-use; the last owner stays on every path",
          arguments: TestDatabases.engines)
    func membershipsNeedAcceptance(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let base = "/api/v1/organizations/\(orgID)"
            // An account elsewhere on the platform cannot be attached by knowing its address.
            let stranger = try await services.accounts.createUser(email: "stranger@example.jp", displayName: "Stranger",
                                                                  passwordHash: try await PasswordHasher.hash(Self.password), platformAdmin: false)
            let attach = try await owner.send(.put, "\(base)/members", json: ["email": "stranger@example.jp", "role": "viewer"])
            #expect(attach.status == .badRequest)
            #expect(try await services.accounts.role(userID: stranger.id, organizationID: orgID) == nil)
            // Invited, a new person creates the account by accepting.
            let invite = try await owner.send(.post, "\(base)/member-invitations", json: ["email": "new@example.jp", "role": "assessor"])
            #expect(invite.status == .created)
            let token = try #require(invite.json["token"] as? String)
            let accept = try await Browser(client).send(.post, "/api/v1/member-invitations/accept", json: [
                "token": token, "displayName": "新人", "password": Self.password])
            #expect(accept.status == .created)
            let newcomer = try #require(try await services.accounts.user(email: "new@example.jp"))
            #expect(!newcomer.isPlatformAdmin)
            #expect(try await services.accounts.role(userID: newcomer.id, organizationID: orgID) == .assessor)
            let again = try await Browser(client).send(.post, "/api/v1/member-invitations/accept", json: [
                "token": token, "displayName": "二回目", "password": Self.password])
            #expect(again.status == .badRequest || again.status == .conflict)
            // An invitation for another address is refused to a signed-in account.
            let forOther = try await owner.send(.post, "\(base)/member-invitations", json: ["email": "other@example.jp", "role": "viewer"])
            let otherToken = try #require(forOther.json["token"] as? String)
            let wrongPerson = try await owner.send(.post, "/api/v1/member-invitations/accept", json: ["token": otherToken])
            #expect(wrongPerson.status == .forbidden)
            // The last owner cannot leave or be demoted, through the API or the operator's CLI path.
            let me = try #require(try await owner.send(.get, "/api/v1/me").json["id"] as? String)
            let leave = try await owner.send(.delete, "\(base)/members/\(me)")
            #expect(leave.status == .conflict)
            await #expect(throws: MembershipRuleError.lastOwner) {
                try await MembershipStore(services.db, organizationID: orgID).grant(userID: me, role: .viewer,
                                                                                    actor: Actor(id: "cli", sourceIP: "local"))
            }
            #expect(try await services.accounts.role(userID: me, organizationID: orgID) == .owner)
            // A member is removed (audited), and their access ends.
            let remove = try await owner.send(.delete, "\(base)/members/\(newcomer.id)")
            #expect(remove.status == .noContent)
            #expect(try await services.accounts.role(userID: newcomer.id, organizationID: orgID) == nil)
            #expect(try await Self.auditActions(services, "membership.removed") == 1)
        }
    }

    @Test("Item 10 in the browser: the members page invites instead of attaching; the link creates the account and joins; a forged link is a clear page")
    func invitationPages() async throws {
        try await WebPageTests.withServer(.sqlite) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let members = try await WebPageTests.page(owner, .get, "/o/\(orgID)/members")
            let csrf = try #require(WebPageTests.formToken(members.html))
            let invited = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members",
                                                      form: [("csrf", csrf), ("email", "newcomer@example.jp"), ("role", "contributor")])
            #expect(invited.status == .ok && invited.html.contains("招待を作成しました"))
            #expect(try await services.accounts.user(email: "newcomer@example.jp") == nil, "nobody is created or attached yet")
            let link = try #require(AccountSafetyTests.firstMatch(#"/account/invitation\?token=[A-Za-z0-9_-]+"#, in: invited.html))
            let token = String(link.split(separator: "=").last!)
            let anonymous = Browser(client)
            let form = try await WebPageTests.page(anonymous, .get, link)
            #expect(form.status == .ok && form.html.contains("newcomer@example.jp") && form.html.contains("name=\"display_name\""))
            let weak = try await WebPageTests.page(anonymous, .post, "/account/invitation", form: [
                ("token", token), ("display_name", "新人 三郎"), ("password", "newcomer-2026-pass"), ("password_again", "newcomer-2026-pass")])
            #expect(weak.status == .badRequest && weak.html.contains("aria-invalid=\"true\""))
            let joined = try await WebPageTests.page(anonymous, .post, "/account/invitation", form: [
                ("token", token), ("display_name", "新人 三郎"), ("password", Self.password), ("password_again", Self.password)])
            #expect(joined.status == .seeOther && joined.headers[.location] == "/login?notice=invitation_account")
            let user = try #require(try await services.accounts.user(email: "newcomer@example.jp"))
            #expect(try await services.accounts.role(userID: user.id, organizationID: orgID) == .contributor && !user.isPlatformAdmin)
            let used = try await WebPageTests.page(anonymous, .get, link)
            #expect(used.status == .notFound && used.html.contains("この招待は無効です"))
            // The owner removes the member from the page; the last owner cannot remove themselves.
            let list = try await WebPageTests.page(owner, .get, "/o/\(orgID)/members")
            #expect(list.html.contains("/o/\(orgID)/members/\(user.id)/remove"))
            let removed = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(user.id)/remove", form: [("csrf", csrf)])
            #expect(removed.status == .seeOther)
            #expect(try await services.accounts.role(userID: user.id, organizationID: orgID) == nil)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let leave = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members/\(me.id)/remove", form: [("csrf", csrf)])
            #expect(leave.status == .badRequest && leave.html.contains("最後の所有者"))
        }
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let r = text.range(of: pattern, options: .regularExpression) else { return nil }
        return String(text[r])
    }

    @Test("Membership rules: only an owner makes or changes an owner; an organization keeps one (SP 800-171 3.1.5)")
    func membershipRules() throws {
        #expect(throws: MembershipRuleError.onlyOwnerMakesOwner) { try MembershipRules.check(actor: .admin, before: .viewer, after: .owner, owners: 1) }
        #expect(throws: MembershipRuleError.onlyOwnerChangesOwner) { try MembershipRules.check(actor: .admin, before: .owner, after: nil, owners: 2) }
        #expect(throws: MembershipRuleError.lastOwner) { try MembershipRules.check(actor: .owner, before: .owner, after: .admin, owners: 1) }
        #expect(throws: MembershipRuleError.lastOwner) { try MembershipRules.check(actor: nil, before: .owner, after: nil, owners: 1) }
        try MembershipRules.check(actor: .owner, before: .owner, after: nil, owners: 2)
        try MembershipRules.check(actor: .admin, before: .viewer, after: nil, owners: 1)
    }
}
