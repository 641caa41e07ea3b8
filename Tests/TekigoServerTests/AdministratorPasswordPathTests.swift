import Foundation
import HTTPTypes
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Issue 17 item 6 walked through every path that sets an owner's or an administrator's password: the setup link's
/// page and API, a member invitation as administrator (and, for contrast, as assessor), and the supplier invitation
/// that creates the supplier's organization and its owner. `dragon20262026` passes SP 800-63B's checks for everyone
/// and fails only the administrator check (a breached word with digits added).
@Suite("Administrator passwords on every path (issue 17 item 6)")
struct AdministratorPasswordPathTests {
    static let weak = "dragon20262026"
    static let good = "correct horse battery staple 7"
    static let refusedText = PasswordProblem.commonWordWithDigits.message.ja

    @Test("The setup link's owner, an invitation as administrator and a supplier's new owner get the administrator check; an assessor does not (issue 17 item 6)",
          arguments: TestDatabases.engines)
    func everyPath(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            // The setup page: the password under its field, in Japanese, and no account created.
            let link = try #require(try await services.setupLinkIfNeeded(baseURL: "http://test"))
            let token = String(link.split(separator: "=").last!)
            let page = try await WebPageTests.page(Browser(client), .post, PageRoute.setup.path, form: [
                ("token", token), ("organization", "株式会社プライム"), ("display_name", "管理者 一郎"),
                ("email", "admin@example.jp"), ("password", Self.weak), ("password_again", Self.weak)])
            #expect(page.status == .badRequest)
            #expect(page.html.contains(Self.refusedText), "the setup page names the problem")
            // The setup API.
            let api = try await Browser(client).send(.post, "/api/v1/setup", json: [
                "token": token, "email": "admin@example.jp", "password": Self.weak, "displayName": "管理者 一郎",
                "organization": "株式会社プライム"])
            #expect(api.status == .badRequest)
            #expect(try await services.accounts.user(email: "admin@example.jp") == nil)

            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let base = "/api/v1/organizations/\(orgID)"
            func invite(_ email: String, _ role: String) async throws -> String {
                let r = try await owner.send(.post, "\(base)/member-invitations", json: ["email": email, "role": role])
                try #require(r.status == .created, "invite: \(String(decoding: r.body, as: UTF8.self))")
                return try #require(r.json["token"] as? String)
            }
            // An invitation as administrator: the breached word with digits, and the organization's name, refused.
            let adminToken = try await invite("second-admin@example.jp", "admin")
            for pw in [Self.weak, "株式会社プライムの青い傘と川"] {
                let r = try await Browser(client).send(.post, "/api/v1/member-invitations/accept", json: [
                    "token": adminToken, "displayName": "副管理者", "password": pw])
                #expect(r.status == .badRequest, "\(pw): \(r.status)")
            }
            #expect(try await services.accounts.user(email: "second-admin@example.jp") == nil)
            let adminAccepted = try await Browser(client).send(.post, "/api/v1/member-invitations/accept", json: [
                "token": adminToken, "displayName": "副管理者", "password": Self.good])
            #expect(adminAccepted.status == .created)
            // An assessor administers nothing: SP 800-63B's checks only.
            let assessorToken = try await invite("assessor@example.jp", "assessor")
            let assessor = try await Browser(client).send(.post, "/api/v1/member-invitations/accept", json: [
                "token": assessorToken, "displayName": "評価者", "password": Self.weak])
            #expect(assessor.status == .created)

            // A supplier invitation accepted with a new account: its person owns the organization it creates.
            let inv = try await owner.send(.post, "\(base)/supplier-invitations", json: ["note": "新しい仕入先"])
            try #require(inv.status == .created, "supplier invitation: \(String(decoding: inv.body, as: UTF8.self))")
            let supplierToken = try #require(inv.json["token"] as? String)
            let supplierPage = try await WebPageTests.page(Browser(client), .post, PageRoute.supplierInvitation.path, form: [
                ("token", supplierToken), ("organization_name", "燕精工株式会社"), ("display_name", "山田 太郎"),
                ("email", "yamada@tsubame.example.jp"), ("password", Self.weak), ("password_again", Self.weak)])
            #expect(supplierPage.status == .badRequest)
            #expect(supplierPage.html.contains(Self.refusedText), "the supplier invitation page names the problem")
            #expect(try await services.accounts.user(email: "yamada@tsubame.example.jp") == nil)
        }
    }
}
