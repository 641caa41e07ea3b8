import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// A real SMTP server on loopback: Python's aiosmtpd (installed by scripts/validators.sh), started by the test. It
/// keeps every message it accepts as a file, or refuses every recipient; in `tls` mode it requires STARTTLS (with the
/// given certificate) and AUTH PLAIN as tekigo / s3cret before it takes a message.
final class LoopbackSMTPServer: @unchecked Sendable {
    /// `silent` listens (connections are made) but never says a word: a mail server that hangs.
    enum Mode: String { case accept, refuse, tls, silent }

    static let script = #"""
    import os, socket, ssl, sys
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
    mode, outdir = sys.argv[1], sys.argv[2]
    if mode == "silent":
        listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(16)
        print("ready %d" % listener.getsockname()[1], flush=True)
        sys.stdin.read()
        sys.exit(0)
    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if mode == "refuse":
                return "550 5.1.1 mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"
        async def handle_DATA(self, server, session, envelope):
            n = len(os.listdir(outdir))
            with open(os.path.join(outdir, "%d.eml" % n), "wb") as f:
                f.write(envelope.original_content or envelope.content)
            return "250 Message accepted for delivery"
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    options = {}
    if mode == "tls":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        def authenticate(server, session, envelope, mechanism, auth_data):
            # handled=False: aiosmtpd then answers 535 itself (its default, True, answers nothing).
            return AuthResult(success=auth_data.login == b"tekigo" and auth_data.password == b"s3cret", handled=False)
        options = dict(tls_context=context, require_starttls=True, authenticator=authenticate, auth_required=True,
                       auth_require_tls=True)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()
    """#

    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let mailbox: URL
    private(set) var port = 0

    static var python: URL { TestEnvironment.validatorsVenv.appendingPathComponent("bin/python") }

    static var available: Bool {
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        return (try? runProcess(python, ["-c", "import aiosmtpd"]).status) == 0
    }

    init(_ mode: Mode, certificate: (cert: String, key: String)? = nil) throws {
        guard Self.available else { throw MissingExternal("aiosmtpd is missing from .venv-validators: run scripts/validators.sh") }
        mailbox = try TestEnvironment.temporaryDirectory("tekigo-smtp")
        let scriptURL = mailbox.deletingLastPathComponent().appendingPathComponent("smtp-\(UUID().uuidString).py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        process.executableURL = Self.python
        process.arguments = [scriptURL.path, mode.rawValue, mailbox.path] + (certificate.map { [$0.cert, $0.key] } ?? [])
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line says the server listens, and on which port.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("ready "), let p = Int(text.dropFirst(6)) else {
            stop()
            throw MissingExternal("the SMTP test server did not start: \(text)")
        }
        port = p
    }

    /// Ends the server this test started (closing its standard input lets it stop cleanly).
    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
        }
    }

    /// The messages received, as stored.
    func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: mailbox.path).sorted()
            .map { try String(contentsOf: mailbox.appendingPathComponent($0), encoding: .utf8) }
    }
}

/// A received message's parts, read the way a mail program would: headers, the RFC 2047 subject and the base64 body.
struct ReceivedMail {
    let headers: [String: String]
    let subject: String
    let body: String

    init(_ raw: String) throws {
        let normalized = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let parts = normalized.components(separatedBy: "\n\n")
        var headers: [String: String] = [:]
        var last: String?
        for line in parts[0].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last {
                headers[last, default: ""] += line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = name
            }
        }
        self.headers = headers
        var subject = ""
        let encoded = headers["subject"] ?? ""
        for word in encoded.components(separatedBy: "?=") where word.contains("=?UTF-8?B?") {
            let b64 = word.components(separatedBy: "=?UTF-8?B?").last ?? ""
            subject += String(decoding: Data(base64Encoded: b64) ?? Data(), as: UTF8.self)
        }
        self.subject = subject
        let b64 = parts.dropFirst().joined(separator: "\n").replacingOccurrences(of: "\n", with: "")
        body = String(decoding: try #require(Data(base64Encoded: b64)), as: UTF8.self)
    }
}

/// Invitations by e-mail (issue #12 item 1): sent through a real SMTP server when one is configured, in Japanese and
/// English with the link; with the mail server refusing or down, the invitation still succeeds, the page shows the
/// link and says the e-mail failed, and the failure is audited.
@Suite("Colleagues: invitation e-mail through a real SMTP server", .serialized,
       .enabled(if: LoopbackSMTPServer.available || TestEnvironment.externalsRequired, "needs aiosmtpd in .venv-validators (scripts/validators.sh)"))
struct ColleagueMailTests {
    static func withServer(_ engine: TestDatabases.Engine, smtp: SMTPConfiguration,
                           _ body: @escaping @Sendable (any TestClientProtocol, Services) async throws -> Void) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-server")
        var config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path,
                                         environment: [:], logLevel: .warning)
        config.smtp = smtp
        let (app, services) = try await buildApplication(config)
        do {
            try await app.test(.live) { client in try await body(client, services) }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    static func invite(_ owner: Browser, _ orgID: String, _ email: String) async throws -> (status: HTTPResponse.Status, html: String, link: String?) {
        let csrf = try #require(WebPageTests.formToken(try await WebPageTests.page(owner, .get, "/o/\(orgID)/members").html))
        let r = try await WebPageTests.page(owner, .post, "/o/\(orgID)/members", form: [("csrf", csrf), ("email", email), ("role", "contributor")])
        return (r.status, r.html, AccountSafetyTests.firstMatch(#"http://[^"]+/account/invitation\?token=[A-Za-z0-9_-]+"#, in: r.html))
    }

    @Test("Sent: the message arrives at the SMTP server with the page's link, both languages, and is audited; a re-send mails the new link",
          arguments: TestDatabases.engines)
    func sent(engine: TestDatabases.Engine) async throws {
        let smtp = try LoopbackSMTPServer(.accept)
        defer { smtp.stop() }
        try await Self.withServer(engine, smtp: SMTPConfiguration(host: "127.0.0.1", port: smtp.port, from: "tekigo@example.jp")) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let (status, html, link) = try await Self.invite(owner, orgID, "tanaka@example.jp")
            #expect(status == .ok && html.contains("招待メールを tanaka@example.jp に送信しました"))
            let pageLink = try #require(link)
            let messages = try smtp.messages()
            try #require(messages.count == 1)
            let mail = try ReceivedMail(messages[0])
            #expect(mail.headers["to"] == "<tanaka@example.jp>" && mail.headers["from"] == "<tekigo@example.jp>")
            #expect(mail.headers["content-type"] == "text/plain; charset=UTF-8")
            #expect(mail.subject.contains("株式会社プライム") && mail.subject.contains("Invitation"))
            #expect(mail.body.contains(pageLink), "the e-mail carries the link the page shows")
            #expect(mail.body.contains("管理者 一郎 さんから") && mail.body.contains("invited you") && mail.body.contains("回答者"))
            #expect(try await AccountSafetyTests.auditActions(services, "membership.invitation-mailed") == 1)
            // The link in the e-mail works.
            let token = String(pageLink.split(separator: "=").last!)
            #expect(try await MembershipStore.openInvitation(services.db, token: token)?.email == "tanaka@example.jp")

            // Re-sent: a second message with the new link; the first link no longer works.
            let pending = try await MembershipUseCases(services.accountEnvironment).pendingInvitations(organizationID: orgID)
            let csrf = try #require(WebPageTests.formToken(try await WebPageTests.page(owner, .get, "/o/\(orgID)/members").html))
            let resent = try await WebPageTests.page(owner, .post, "/o/\(orgID)/invitations/\(pending[0].id)/resend", form: [("csrf", csrf)],
                                                     language: "en")
            #expect(resent.status == .ok && resent.html.contains("The invitation e-mail was sent to tanaka@example.jp"))
            let again = try smtp.messages()
            try #require(again.count == 2)
            let second = try ReceivedMail(again[1])
            let newLink = try #require(AccountSafetyTests.firstMatch(#"http://[^\s]+/account/invitation\?token=[A-Za-z0-9_-]+"#, in: second.body))
            #expect(newLink != pageLink && resent.html.contains(newLink))
            #expect(try await MembershipStore.openInvitation(services.db, token: token) == nil)
            // The API reports the e-mail too.
            let api = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations",
                                           json: ["email": "suzuki@example.jp", "role": "viewer"])
            #expect(api.status == .created && api.json["mail"] as? String == "sent")
            #expect(try smtp.messages().count == 3)
        }
    }

    @Test("Refused or down: the invitation is made, the page shows its link and says the e-mail failed; logged and audited",
          arguments: TestDatabases.engines)
    func failed(engine: TestDatabases.Engine) async throws {
        let refusing = try LoopbackSMTPServer(.refuse)
        defer { refusing.stop() }
        try await Self.withServer(engine, smtp: SMTPConfiguration(host: "127.0.0.1", port: refusing.port, from: "tekigo@example.jp")) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let (status, html, link) = try await Self.invite(owner, orgID, "refused@example.jp")
            #expect(status == .ok && link != nil && html.contains("招待メールを送信できませんでした") && html.contains("role=\"alert\""))
            #expect(try refusing.messages().isEmpty)
            #expect(try await MembershipUseCases(services.accountEnvironment).pendingInvitations(organizationID: orgID).count == 1)
            #expect(try await AccountSafetyTests.auditActions(services, "membership.invitation-mail-failed") == 1)
        }
        // Nothing listens on the port: connection refused at once.
        let closedPort = try LoopbackSMTPServer(.accept)
        let port = closedPort.port
        closedPort.stop()
        try await Self.withServer(engine, smtp: SMTPConfiguration(host: "127.0.0.1", port: port, from: "tekigo@example.jp")) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let (status, html, link) = try await Self.invite(owner, orgID, "down@example.jp")
            #expect(status == .ok && link != nil && html.contains("招待メールを送信できませんでした"))
            let api = try await owner.send(.post, "/api/v1/organizations/\(orgID)/member-invitations",
                                           json: ["email": "down2@example.jp", "role": "viewer"])
            #expect(api.status == .created && api.json["mail"] as? String == "failed" && api.json["token"] != nil)
            #expect(try await AccountSafetyTests.auditActions(services, "membership.invitation-mail-failed") == 2)
        }
    }

    @Test("STARTTLS with the server's certificate checked, then AUTH PLAIN; a wrong password, an untrusted certificate and a server without STARTTLS get nothing")
    func startTLS() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-smtp-tls")
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let made = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        try #require(made.status == 0, "\(made.stderr)")
        let server = try LoopbackSMTPServer(.tls, certificate: (cert, key))
        defer { server.stop() }
        let message = MailMessage(from: "tekigo@example.jp", to: "tanaka@example.jp", subject: "招待", body: "リンク: https://x/invite")
        func config(password: String = "s3cret", caFile: String? = cert) -> SMTPConfiguration {
            SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "tekigo@example.jp", username: "tekigo", password: password,
                              startTLS: true, caFile: caFile, timeout: 10)
        }
        try await SMTPClient(config()).send(message)
        let received = try server.messages()
        try #require(received.count == 1)
        #expect(try ReceivedMail(received[0]).body == "リンク: https://x/invite")
        do {
            try await SMTPClient(config(password: "wrong")).send(message)
            Issue.record("a wrong password was accepted")
        } catch let e as SMTPError {
            guard case .rejected(let step, let code, _) = e else { Issue.record("unexpected \(e)"); return }
            #expect(step == "AUTH" && code == 535)
        }
        // The system's roots do not trust the test's own certificate: nothing is sent.
        await #expect(throws: SMTPError.self) { try await SMTPClient(config(caFile: nil)).send(message) }
        #expect(try server.messages().count == 1)
        let plain = try LoopbackSMTPServer(.accept)
        defer { plain.stop() }
        await #expect(throws: SMTPError.startTLSNotOffered) {
            try await SMTPClient(SMTPConfiguration(host: "127.0.0.1", port: plain.port, from: "tekigo@example.jp", startTLS: true)).send(message)
        }
        #expect(try plain.messages().isEmpty)
    }

    @Test("A mail server that hangs: the page answers after its bounded wait with the link and 'being sent'; the delivery goes on off the request and its failure is audited")
    func hanging() async throws {
        let silent = try LoopbackSMTPServer(.silent)
        defer { silent.stop() }
        let smtp = SMTPConfiguration(host: "127.0.0.1", port: silent.port, from: "tekigo@example.jp", timeout: 10)
        try await Self.withServer(.sqlite, smtp: smtp) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let started = ContinuousClock.now
            let (status, html, link) = try await Self.invite(owner, orgID, "slow@example.jp")
            let waited = ContinuousClock.now - started
            #expect(status == .ok && link != nil && html.contains("招待メールを送信しています"))
            #expect(waited < .seconds(9.5), "the page waited \(waited)")
            #expect(try await AccountSafetyTests.auditActions(services, "membership.invitation-mail-failed") == 0)
            // The delivery times out by itself later and is audited.
            let deadline = ContinuousClock.now + .seconds(30)
            var failed = 0
            while failed == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                failed = try await AccountSafetyTests.auditActions(services, "membership.invitation-mail-failed")
            }
            #expect(failed == 1)
        }
    }

    @Test("The SMTP client's message: RFC 2047 subject, base64 UTF-8 body, no header injection through an address")
    func messageFormat() async throws {
        let message = MailMessage(from: "tekigo@example.jp", to: "a@example.jp", subject: String(repeating: "適合の招待", count: 8),
                                  body: "一行目\n.二行目", date: Date(timeIntervalSince1970: 0))
        let text = message.rendered(messageID: "x@example.jp")
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        let mail = try ReceivedMail(text)
        #expect(mail.subject == String(repeating: "適合の招待", count: 8))
        #expect(mail.body == "一行目\r\n.二行目")
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "line too long: \(line)") }
        await #expect(throws: SMTPError.badAddress("a@example.jp\r\nBcc: x@evil.example")) {
            try await SMTPClient(SMTPConfiguration(host: "127.0.0.1", port: 1, from: "tekigo@example.jp"))
                .send(MailMessage(from: "tekigo@example.jp", to: "a@example.jp\r\nBcc: x@evil.example", subject: "s", body: "b"))
        }
        #expect(SMTPConfiguration(host: "mail.example.jp", from: "t@example.jp", username: "u", password: "p").problem != nil,
                "a password is never sent without STARTTLS to a remote server")
        #expect(SMTPConfiguration(host: "mail.example.jp", from: "t@example.jp", username: "u", password: "p", startTLS: true).problem == nil)
    }
}
