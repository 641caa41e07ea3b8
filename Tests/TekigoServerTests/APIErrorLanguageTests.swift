import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Issue 17 item 6: no English in Japanese mode — the API's error messages for people follow the request's
/// Accept-Language; the machine code and status never change, and without the header (a script) they stay English.
@Suite("API error messages in the request's language (issue 17 item 6)", .serialized)
struct APIErrorLanguageTests {
    static let japanese: HTTPFields = [.acceptLanguage: "ja-JP,ja;q=0.9,en;q=0.5"]

    static func message(_ reply: Browser.Reply) -> String {
        ((reply.json["error"] as? [String: Any])?["message"] as? String) ?? ""
    }

    /// True when the text has kana or kanji: what a Japanese message is made of.
    static func isJapanese(_ text: String) -> Bool { JapaneseText.isJapanese(text) }

    @Test("Issue 17 item 6: sign-in missing, a viewer on an answer, a read-only token, a malformed body, a stale version, an unknown system and no such route — Japanese for Accept-Language ja, English otherwise, same codes",
          arguments: TestDatabases.engines)
    func languages(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let anonymous = Browser(client)
            let noSignIn = try await anonymous.send(.get, "/api/v1/organizations", headers: Self.japanese)
            #expect(noSignIn.status == .unauthorized && noSignIn.errorCode == "unauthenticated")
            #expect(Self.message(noSignIn).contains("サインイン"), "\(Self.message(noSignIn))")
            let noSignInEn = try await anonymous.send(.get, "/api/v1/organizations")
            #expect(noSignInEn.errorCode == "unauthenticated" && Self.message(noSignInEn).hasPrefix("Sign in"))

            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "本社工場ネットワーク"])
            let systemID = try #require(system.json["id"] as? String)
            let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                           json: ["systemId": systemID, "catalog": "sp800-171r2", "date": "2026-11-27"])
            let assessment = try #require(created.json["id"] as? String)
            let base = "/api/v1/organizations/\(org)/assessments/\(assessment)"

            // A use case's refusal (AssessmentError) in its Japanese wording.
            let unknownSystem = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                                 json: ["systemId": "no-such-system", "catalog": "sp800-171r2", "date": "2026-11-27"],
                                                 headers: Self.japanese)
            #expect(unknownSystem.status.code >= 400 && unknownSystem.status.code < 500)
            #expect(Self.message(unknownSystem).contains("システム no-such-system"), "\(Self.message(unknownSystem))")
            let unknownSystemEn = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                                   json: ["systemId": "no-such-system", "catalog": "sp800-171r2", "date": "2026-11-27"])
            #expect(unknownSystemEn.errorCode == unknownSystem.errorCode && !Self.isJapanese(Self.message(unknownSystemEn)))

            // A malformed body names the field in both languages.
            let malformed = try await b.send(.put, "\(base)/findings/3.1.1%5Ba%5D", json: ["rationale": 5], headers: Self.japanese)
            #expect(malformed.status == .badRequest && malformed.errorCode == "invalid")
            #expect(Self.isJapanese(Self.message(malformed)), "\(Self.message(malformed))")

            // A stale version: the same 412 and ETag, the message in Japanese.
            _ = try await b.send(.put, "\(base)/findings/3.1.1%5Ba%5D", json: ["status": "met"], headers: [.ifMatch: "\"0\""])
            var staleHeaders = Self.japanese
            staleHeaders[.ifMatch] = "\"0\""
            let stale = try await b.send(.put, "\(base)/findings/3.1.1%5Ba%5D", json: ["status": "not-met"], headers: staleHeaders)
            #expect(stale.status == .preconditionFailed && stale.errorCode == "version_mismatch" && stale.headers[.eTag] == "\"1\"")
            #expect(Self.message(stale).contains("バージョン 1"), "\(Self.message(stale))")

            // A read-only token writing, and a viewer answering: refused in Japanese, code `forbidden`.
            let token = try await b.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "read", "scope": "read", "expiresInDays": 1])
            let readOnly = Browser(client)
            readOnly.bearer = try #require(token.json["token"] as? String)
            let byToken = try await readOnly.send(.put, "\(base)/findings/3.1.2%5Ba%5D", json: ["status": "met"], headers: Self.japanese)
            #expect(byToken.status == .forbidden && byToken.errorCode == "forbidden")
            #expect(Self.message(byToken).contains("読み取り専用"), "\(Self.message(byToken))")
            let viewer = try await CloudServicePageTests.member(client, services, org, .viewer, "viewer-lang@example.jp")
            let byViewer = try await viewer.send(.put, "\(base)/findings/3.1.2%5Ba%5D", json: ["status": "met"], headers: Self.japanese)
            #expect(byViewer.status == .forbidden && Self.message(byViewer).contains("役割（viewer）"), "\(Self.message(byViewer))")
            let byViewerEn = try await viewer.send(.put, "\(base)/findings/3.1.2%5Ba%5D", json: ["status": "met"],
                                                   headers: [.acceptLanguage: "en-US,en;q=0.9,ja;q=0.3"])
            #expect(byViewerEn.errorCode == "forbidden" && Self.message(byViewerEn).hasPrefix("Your role (viewer)"))

            // Refusals the use cases word in both languages: a wrong password (AccountError), an unknown evidence
            // library item (EvidenceLibraryError), a plan-of-action date (POAMError).
            let wrong = try await Browser(client).send(.post, "/api/v1/session", json: ["email": "admin@example.jp", "password": "wrong one"],
                                                       headers: Self.japanese)
            #expect(wrong.status.code >= 400 && Self.message(wrong).contains("パスワード"), "\(Self.message(wrong))")
            let item = try await b.send(.get, "/api/v1/organizations/\(org)/evidence-library/no-such-item", headers: Self.japanese)
            #expect(item.status == .notFound && Self.message(item).contains("証跡"), "\(item.status) \(Self.message(item))")

            // A route's own refusal (an unknown body member) and a not-found name the thing in Japanese.
            let unknownField = try await b.send(.put, "\(base)/findings/3.1.3%5Ba%5D", json: ["status": "met", "colour": "blue"],
                                                headers: Self.japanese)
            #expect(unknownField.status == .badRequest && Self.message(unknownField).contains("「colour」という項目はありません"),
                    "\(Self.message(unknownField))")
            let missing = try await b.send(.get, "/api/v1/organizations/\(org)/assessments/no-such-assessment", headers: Self.japanese)
            #expect(missing.status == .notFound && Self.message(missing) == "評価 no-such-assessment が見つかりません。", "\(Self.message(missing))")

            let noRoute = try await b.send(.get, "/api/v1/no-such-thing", headers: Self.japanese)
            #expect(noRoute.status == .notFound && Self.isJapanese(Self.message(noRoute)))
        }
    }

    @Test("Issue 17 item 6: every fixed API refusal has a Japanese wording, and a free-form one given in Japanese keeps its status and code")
    func fixedRefusals() {
        let fixed: [APIError] = [.unauthenticated, .mfaRequired, .preconditionFailed(current: 3), .locked(until: "2026-12-07T10:00:00Z"),
                                 .tooLarge(limit: 1024), .unsupportedMediaType("application/json"), .rateLimited, .notFound("x")]
        for e in fixed {
            #expect(Self.isJapanese(e.message(in: .ja)), "\(e.code)")
            #expect(!Self.isJapanese(e.message(in: .en)), "\(e.code)")
        }
        let said = APIError.invalid(field: "name", message: "name is required.").ja("name は必須です。")
        #expect(said.status == .badRequest && said.code == "invalid" && said.field == "name")
        #expect(said.message(in: .ja) == "name は必須です。" && said.message == "name is required.")
    }
}
