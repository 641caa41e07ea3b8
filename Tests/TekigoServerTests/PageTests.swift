import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

@Suite("Pages: / and /login (no JavaScript)")
struct PageTests {
    @Test("The sign-in form posts with a CSRF token, keeps the e-mail on errors, and signs in with the second factor")
    func loginForm() async throws {
        let (app, services) = try await TestServer.make(.sqlite)
        try await app.test(.live) { client in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)

            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .ok)
            #expect(String(buffer: home.body).contains("/login"))
            #expect(home.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(home.headers[.xContentTypeOptions] == "nosniff")

            let page = try await client.execute(uri: "/login", method: .get)
            let html = String(buffer: page.body)
            #expect(!html.contains("<script"))
            let csrfCookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
            #expect(html.contains("value=\"\(token)\""))

            func post(_ form: String, cookie: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                if let cookie { headers[.cookie] = cookie }
                return try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: form))
            }
            let forged = try await post("csrf=nope&email=admin%40example.jp&password=x", cookie: nil)
            #expect(forged.status == .forbidden)
            let wrong = try await post("csrf=\(token)&email=admin%40example.jp&password=wrong+password+123", cookie: csrfCookie)
            #expect(wrong.status == .badRequest)
            #expect(String(buffer: wrong.body).contains("value=\"admin@example.jp\""))
            let noCode = try await post("csrf=\(token)&email=admin%40example.jp&password=correct+horse+battery+staple+7", cookie: csrfCookie)
            #expect(String(buffer: noCode.body).contains("認証コードを入力してください"))
            // A code from the next step (one step of drift is accepted), not the one used at enrolment.
            let code = currentTOTP(secret, at: Date().addingTimeInterval(30))
            let ok = try await post("csrf=\(token)&email=admin%40example.jp&password=correct+horse+battery+staple+7&code=\(code)",
                                    cookie: csrfCookie)
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/")
            let session = try #require(ok.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let signedIn = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(String(buffer: signedIn.body).contains("管理者 一郎"))
            #expect(String(buffer: signedIn.body).contains("株式会社プライム"))
        }
        await services.db.close()
    }
}
