import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Issue 17 item 6: an editor page survives the idle timeout. A save posted after the session ended goes to sign-in
/// with the editor as the page to come back to; the page itself keeps what was typed (app.js, in the browser test)
/// and carries the message it shows then.
@Suite("The editor across the idle timeout (issue 17 item 6)")
struct EditorIdleTimeoutTests {
    @Test("Item 6: a save after the session ended leads to sign-in and back to the same editor page; nothing is written",
          arguments: TestDatabases.engines)
    func saveAfterIdleTimeout(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let fixture = try await AssessmentFixture.make(admin, services: services)
            let (orgID, store, a) = (fixture.orgID, fixture.store, fixture.assessment)
            let path = "/o/\(orgID)/assessments/\(a.id)/requirements/3.1.1"
            let editor = try await WebPageTests.page(admin, .get, path)
            let csrf = try #require(WebPageTests.formToken(editor.html))
            // The page carries the message app.js shows after putting the input back, hidden until then.
            #expect(editor.html.contains("id=\"draft-restored\" role=\"status\" hidden"))
            #expect(editor.html.contains("サインインし直す前に入力した内容を元に戻しました"))

            // The session ends (idle past the limit); the person presses save.
            try await services.db.sql.raw("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run()
            let saved = try await WebPageTests.page(admin, .post, path, form: [
                ("csrf", csrf), ("answer_version", "0"), ("o0_status", "met"), ("o0_rationale", "入力した根拠")])
            let encoded = try #require(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/login?notice=expired&next=\(encoded)")
            #expect(try await store.findings(assessmentID: a.id).isEmpty, "nothing written")
            // The sign-in page carries the way back on to its form.
            let login = try await WebPageTests.page(Browser(client), .get, try #require(saved.headers[.location]))
            #expect(login.html.contains("action=\"/login?next=\(encoded)\""))
            // A page address only: another site or the sign-in itself is never a way back.
            #expect(PageRoute.returnPath("//evil.example/x") == nil && PageRoute.returnPath("/login") == nil)
        }
    }
}
