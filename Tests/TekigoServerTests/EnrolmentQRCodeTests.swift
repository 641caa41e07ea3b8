import Foundation
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The authenticator enrolment page shows the otpauth URI as a QR code (issue 17 item 6), with the key and the URI
/// still as text; a real decoder (cairosvg + zbarimg) reads the page's picture back as the URI the page states.
@Suite("Enrolment page QR code (issue 17 item 6)")
struct EnrolmentQRCodeTests {
    /// The first administrator through the setup link, signed in with a password only: the enrolment page is theirs.
    static func unenrolled(_ client: any TestClientProtocol, _ services: Services, email: String) async throws -> Browser {
        let b = Browser(client)
        let link = try #require(try await services.setupLinkIfNeeded(baseURL: "http://test"))
        let token = String(try #require(link.split(separator: "=").last))
        let setup = try await b.send(.post, "/api/v1/setup", json: [
            "token": token, "email": email, "password": "correct horse battery staple 7", "displayName": "山田 太郎",
            "organization": "株式会社テスト精機",
        ])
        #expect(setup.status == .created)
        #expect(try await b.login(email, "correct horse battery staple 7").status == .ok)
        return b
    }

    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#x3D;", with: "=")
            .replacingOccurrences(of: "&#61;", with: "=").replacingOccurrences(of: "&quot;", with: "\"")
    }

    /// What sits between `open` and `close` in the page, or nil.
    static func between(_ html: String, _ open: String, _ close: String) -> String? {
        guard let start = html.range(of: open), let end = html.range(of: close, range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test("Starting enrolment shows an inline SVG QR code (labelled, no script, no style) beside the key and the otpauth URI as text, ja and en",
          arguments: TestDatabases.engines)
    func pageShowsQRCode(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let b = try await Self.unenrolled(client, services, email: "山田@example.jp")
            let before = try await WebPageTests.page(b, .get, "/account/mfa")
            #expect(before.status == .ok && !before.html.contains("<svg"), "no code before enrolment starts")
            let csrf = try #require(WebPageTests.formToken(before.html))
            let started = try await WebPageTests.page(b, .post, "/account/mfa", form: [("csrf", csrf), ("step", "start")])
            #expect(started.status == .ok)
            let svg = try #require(Self.between(started.html, "<div id=\"mfa-qr\">", "</div>"))
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
            #expect(svg.contains("role=\"img\" aria-label=\"認証アプリで読み取る QR コード"))
            #expect(!svg.contains("style=") && !svg.contains("<script"))
            #expect(started.html.contains("カメラで次の QR コードを読み取ります"))
            let uri = Self.unescaped(try #require(Self.between(started.html, "<code id=\"mfa-uri\">", "</code>")))
            #expect(uri.hasPrefix("otpauth://totp/Tekigo:%E5%B1%B1%E7%94%B0%40example.jp?secret="))
            let secret = try #require(Self.between(started.html, "data-secret=\"", "\""))
            #expect(uri.contains("secret=\(secret)&"), "the code carries the key shown as text")
            // A wrong code shows the same pending key again, with its QR code, in English.
            let wrong = try await WebPageTests.page(b, .post, "/account/mfa", form: [("csrf", csrf), ("step", "confirm"), ("code", "000000")],
                                                    language: "en")
            #expect(wrong.status == .badRequest && wrong.html.contains("aria-label=\"QR code for your authenticator app"))
            #expect(wrong.html.contains("Scan this QR code"))
            #expect(Self.unescaped(try #require(Self.between(wrong.html, "<code id=\"mfa-uri\">", "</code>"))) == uri)
            // The key in the code is the one the confirmation checks: its current code turns the factor on.
            let confirmed = try await WebPageTests.page(b, .post, "/account/mfa",
                                                        form: [("csrf", csrf), ("step", "confirm"), ("code", currentTOTP(secret, at: services.clock.now()))])
            #expect(confirmed.status == .ok && confirmed.html.contains("id=\"recovery-codes\"") && !confirmed.html.contains("<svg"))
        }
    }

    @Test("zbarimg reads the page's QR code back as exactly the otpauth URI the page shows",
          .enabled(if: QRDecoder.run, "needs zbarimg (scripts/browser.sh) and cairosvg (scripts/validators.sh)"),
          arguments: TestDatabases.engines)
    func pageQRCodeDecodes(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let b = try await Self.unenrolled(client, services, email: "情報システム課.鈴木@example.jp")
            let csrf = try #require(WebPageTests.formToken(try await WebPageTests.page(b, .get, "/account/mfa").html))
            let started = try await WebPageTests.page(b, .post, "/account/mfa", form: [("csrf", csrf), ("step", "start")])
            let svg = try #require(Self.between(started.html, "<div id=\"mfa-qr\">", "</div>"))
            let uri = Self.unescaped(try #require(Self.between(started.html, "<code id=\"mfa-uri\">", "</code>")))
            #expect(try QRDecoder.decode([svg]) == [uri])
        }
    }
}
