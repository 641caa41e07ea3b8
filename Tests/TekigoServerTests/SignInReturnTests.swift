import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// An invitation link opened signed out offers "sign in first"; signing in (password, then the second factor) comes back
/// to that invitation instead of the home page — and to no other place than a page of this server (no open redirect).
@Suite("Signing in comes back to the invitation it was started from", .serialized)
struct SignInReturnTests {
    @Test("Only a page of this server is a place to come back to")
    func returnPaths() {
        for good in ["/account/invitation?token=abc", "/account/supplier-invitation?token=a%2Bb", "/o/123/customers", "/"] {
            #expect(PageRoute.returnPath(good) == good, "\(good)")
        }
        for bad in [nil, "", "//evil.example/account/invitation", "/\\evil.example", "https://evil.example/o/1", "evil.example",
                    "/login?next=/o/1", "/login/mfa", "/logout", "/api/v1/organizations", "/static/app.css",
                    "/o/1\r\nSet-Cookie: x=1", "/o/1 x", "/o/" + String(repeating: "a", count: 2001)] {
            #expect(PageRoute.returnPath(bad) == nil, "\(bad ?? "nil")")
        }
        #expect(PageRoute.login(returningTo: "/account/invitation?token=t-1") == "/login?next=%2Faccount%2Finvitation%3Ftoken%3Dt%2D1")
    }

    /// The sign-in page's password step with `next`, as a browser following the invitation page's link would post it.
    static func passwordStep(_ client: any TestClientProtocol, next: String, email: String) async throws -> (location: String?, cookie: String?) {
        let login = "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let page = try await client.execute(uri: login, method: .get)
        let html = String(buffer: page.body)
        // A return address is carried on only when it is one of this server's pages.
        #expect(html.contains("action=\"/login?next=") == (PageRoute.returnPath(next) != nil), "the form's action")
        let csrfCookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
        let posted = try await client.execute(uri: login, method: .post,
                                              headers: [.contentType: "application/x-www-form-urlencoded", .cookie: csrfCookie],
                                              body: WebPageTests.urlEncoded([("csrf", token), ("email", email),
                                                                             ("password", AccountSafetyTests.password)]))
        #expect(posted.status == .seeOther)
        return (posted.headers[.location], posted.headers[.setCookie]?.split(separator: ";").first.map { String($0.dropFirst("tekigo_session=".count)) })
    }

    @Test("Password, then the code: back at the invitation; a forged return address leads home", arguments: TestDatabases.engines)
    func comesBack(_ engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Date())
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (secret, _) = try await bootstrapAdmin(admin, services: services, password: AccountSafetyTests.password)
                let invitation = "/account/invitation?token=some-token"
                for (next, expected) in [(invitation, invitation), ("//evil.example/x", "/")] {
                    let (location, cookie) = try await Self.passwordStep(client, next: next, email: "admin@example.jp")
                    let mfa = try #require(location)
                    #expect(mfa.hasPrefix("/login/mfa"))
                    let b = Browser(client)
                    b.cookie = try #require(cookie)
                    let page = try await WebPageTests.page(b, .get, mfa)
                    let csrf = try #require(WebPageTests.formToken(page.html))
                    // The next time step: a code is good once, and the last sign-in used the current one.
                    clock.advance(by: 30)
                    let done = try await WebPageTests.page(b, .post, mfa, form: [("csrf", csrf), ("code", currentTOTP(secret, at: clock.now()))])
                    #expect(done.status == .seeOther && done.headers[.location] == expected, "\(next) → \(done.headers[.location] ?? "none")")
                }
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("The invitation pages' sign-in links carry the invitation back")
    func invitationPagesLinkBack() async throws {
        let (app, services) = try await TestServer.make(.sqlite)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (_, org) = try await bootstrapAdmin(admin, services: services, password: AccountSafetyTests.password)
                // A customer's invitation to a supplier, opened signed out: its sign-in link comes back to it.
                let created = try await admin.send(.post, "/api/v1/organizations/\(org)/supplier-invitations", json: ["note": "部品A"])
                let token = try #require(created.json["token"] as? String)
                let supplier = try await WebPageTests.page(Browser(client), .get, "/account/supplier-invitation?token=\(token)")
                let link = PageRoute.login(returningTo: "/account/supplier-invitation?token=" + token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                #expect(supplier.status == .ok && supplier.html.contains("href=\"\(link.replacingOccurrences(of: "&", with: "&amp;"))\""),
                        "the sign-in link: \(supplier.html.components(separatedBy: "login").dropFirst().first?.prefix(120) ?? "none")")
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }
}
