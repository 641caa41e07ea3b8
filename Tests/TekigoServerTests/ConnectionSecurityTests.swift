import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoUseCases
import TekigoTestSupport
@testable import TekigoServer
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to the test server with nothing between: half requests and silence are exactly what a real client
/// can send and what an HTTP client library never would.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError("socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw RawError("connect: \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw RawError("send: \(errno)") }
            sent += n
        }
    }

    /// Reads until the server closes the connection or `limit` passes; what came, whether it closed, and when.
    /// Waits on a thread of its own, not on the Swift concurrency pool: the suite runs many tests at once on two cores,
    /// and a blocking `poll` there would starve the server under test (it could no longer accept the connections whose
    /// deadlines this test measures).
    func readUntilClosed(limit: Duration) async -> (text: String, closed: Bool, after: Duration) {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.blockingReadUntilClosed(limit: limit)) }
            thread.start()
        }
    }

    func blockingReadUntilClosed(limit: Duration) -> (text: String, closed: Bool, after: Duration) {
        let start = ContinuousClock.now
        var data = [UInt8]()
        while true {
            let left = limit - (ContinuousClock.now - start)
            if left <= .zero { return (String(decoding: data, as: UTF8.self), false, ContinuousClock.now - start) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&p, 1, ms)
            if ready <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (String(decoding: data, as: UTF8.self), true, ContinuousClock.now - start) }
            data += buffer[0..<n]
        }
    }

    /// Reads one complete response to a request without a body (headers up to the blank line, then Content-Length bytes).
    func readResponse(limit: Duration = .seconds(5)) throws -> String {
        let start = ContinuousClock.now
        var data = [UInt8]()
        while ContinuousClock.now - start < limit {
            let text = String(decoding: data, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return text }
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { throw RawError("closed before a whole response: \(String(decoding: data, as: UTF8.self))") }
            data += buffer[0..<n]
        }
        throw RawError("no whole response within \(limit)")
    }
}

struct RawError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("Connections: timeouts, client address behind a proxy, HSTS, webhook destinations", .serialized)
struct ConnectionSecurityTests {
    static func server(_ engine: TestDatabases.Engine = .sqlite, secureCookies: Bool = false, timeouts: HTTPTimeouts = HTTPTimeouts(),
                       trustedProxies: [IPNetwork] = [], webhooks: WebhookAddressPolicy = WebhookAddressPolicy())
        async throws -> (some ApplicationProtocol, Services) {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-conn")
        return try await buildApplication(ServerConfiguration(
            hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path, secureCookies: secureCookies,
            environment: [:], logLevel: .warning, reminderInterval: 0, httpTimeouts: timeouts, trustedProxies: trustedProxies,
            webhookAddresses: webhooks))
    }

    // MARK: - Item 8: read, idle and body timeouts

    static let fast = HTTPTimeouts(requestHead: .milliseconds(600), idle: .milliseconds(900), requestBody: .milliseconds(700))

    @Test("Half a request head, a trickled head, silence and a body that never ends are each closed within their timeout")
    func slowClientsAreClosed() async throws {
        let (app, services) = try await Self.server(timeouts: Self.fast)
        try await app.test(.live) { client in
            let port = try #require(client.port)

            // Many half-open requests (the issue held 300 for 65 s): every one is answered 408 and closed.
            let halves = try (0..<40).map { _ in try RawConnection(port: port) }
            for c in halves { try c.send("GET /healthz HTTP/1.1\r\nHost: tekigo\r\n") }
            for c in halves {
                let r = await c.readUntilClosed(limit: .seconds(5))
                #expect(r.closed, "a half-open request was still open after 5 s")
                #expect(r.text.hasPrefix("HTTP/1.1 408"), "answer: \(r.text)")
                #expect(r.after < .seconds(3))
            }

            // A head trickled one byte at a time: the deadline counts from its first byte, not its last.
            let trickle = try RawConnection(port: port)
            let start = ContinuousClock.now
            var closedEarly = false
            for byte in "GET /healthz HTTP/1.1\r\nHost: tekigo\r\nX-Slow: 1234567890\r\n".map(String.init) {
                do { try trickle.send(byte) } catch { closedEarly = true; break }
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - start > .seconds(4) { break }
            }
            let t = await trickle.readUntilClosed(limit: .seconds(5))
            #expect(closedEarly || t.closed, "the trickled head was never closed")
            #expect(ContinuousClock.now - start < .seconds(4))

            // A silent connection: closed after the idle timeout, without an answer.
            let silent = try RawConnection(port: port)
            let s = await silent.readUntilClosed(limit: .seconds(5))
            #expect(s.closed)
            #expect(s.text.isEmpty)
            #expect(s.after >= .milliseconds(700) && s.after < .seconds(3), "closed after \(s.after)")

            // A body announced and never finished.
            let body = try RawConnection(port: port)
            try body.send("POST /api/v1/session HTTP/1.1\r\nHost: tekigo\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":")
            let b = await body.readUntilClosed(limit: .seconds(5))
            #expect(b.closed)
            #expect(b.text.hasPrefix("HTTP/1.1 408"), "answer: \(b.text)")
            #expect(b.after < .seconds(3))

        }
        await services.db.close()
    }

    /// Its own server with timeouts of seconds: with the sub-second ones above, a pause of 400 ms between requests
    /// became more than the idle timeout when two loaded cores woke the test late (CI saw the server close it).
    static let keepAlive = HTTPTimeouts(requestHead: .seconds(2), idle: .seconds(3), requestBody: .seconds(2))

    @Test("A well-behaved client keeps its connection between requests within the idle timeout, then it is closed")
    func keepAliveWithinIdleTimeout() async throws {
        let (app, services) = try await Self.server(timeouts: Self.keepAlive)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let good = try RawConnection(port: port)
            for _ in 0..<3 {
                try good.send("GET /healthz HTTP/1.1\r\nHost: tekigo\r\n\r\n")
                #expect(try good.readResponse().hasPrefix("HTTP/1.1 200"))
                try await Task.sleep(for: .milliseconds(300))
            }
            let idle = await good.readUntilClosed(limit: .seconds(15))
            #expect(idle.closed, "an idle keep-alive connection was never closed")
            #expect(idle.after >= .seconds(2), "closed after \(idle.after), before the idle timeout")
        }
        await services.db.close()
    }

    // MARK: - Item 9: the client address behind a trusted reverse proxy

    @Test("X-Forwarded-For: the right-most address that is not a trusted proxy, only from a trusted peer")
    func resolution() {
        let proxies = ["10.0.0.0/8", "127.0.0.1"].map { IPNetwork($0)! }
        func r(_ peer: String, _ xff: [String], _ trusted: [IPNetwork] = proxies) -> String? {
            ClientAddress.resolve(peer: peer, forwardedFor: xff, trustedProxies: trusted)
        }
        #expect(r("127.0.0.1", ["203.0.113.7"]) == "203.0.113.7")
        // The client may write anything on the left; only the part the proxies appended counts.
        #expect(r("127.0.0.1", ["6.6.6.6, 203.0.113.7"]) == "203.0.113.7")
        #expect(r("127.0.0.1", ["6.6.6.6", "203.0.113.7, 10.1.2.3"]) == "203.0.113.7")
        // A peer that is not a trusted proxy: its header is ignored.
        #expect(r("198.51.100.1", ["203.0.113.7"]) == "198.51.100.1")
        #expect(r("127.0.0.1", ["203.0.113.7"], []) == "127.0.0.1")
        // No header, or only proxies: the nearest address known.
        #expect(r("127.0.0.1", []) == "127.0.0.1")
        #expect(r("127.0.0.1", ["10.9.9.9"]) == "10.9.9.9")
        // Garbage stops the walk at the last trusted hop.
        #expect(r("127.0.0.1", ["203.0.113.7, not-an-address, 10.1.2.3"]) == "10.1.2.3")
        // Ports, IPv6, and IPv4 written as IPv6.
        #expect(r("127.0.0.1", ["203.0.113.7:4711"]) == "203.0.113.7")
        #expect(r("::ffff:127.0.0.1", ["[2001:db8::7]:4711"]) == "2001:db8::7")
        #expect(r("127.0.0.1", ["2001:DB8::7"]) == "2001:db8::7")
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("nonsense") == nil && IPNetwork("fe80::/10") != nil)
    }

    @Test("Behind a trusted proxy one client's failed sign-ins lock out that client only, and the audit log names it",
          arguments: TestDatabases.engines)
    func capPerClientBehindProxy(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await Self.server(engine, trustedProxies: [IPNetwork("127.0.0.1")!])
        try await app.test(.live) { client in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)
            let attacker: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "6.6.6.6, 203.0.113.7"]
            let sprayer = Browser(client)
            for i in 0..<AccountUseCases.maxFailuresPerAddress {
                let r = try await sprayer.send(.post, "/api/v1/session", json: ["email": "user\(i)@example.jp", "password": "Spring2026 password!"],
                                               headers: attacker)
                #expect(r.status == .badRequest)
            }
            let capped = try await sprayer.send(.post, "/api/v1/session", json: ["email": "x@example.jp", "password": "Spring2026 password!"],
                                                headers: attacker)
            #expect(capped.status == .tooManyRequests)
            // Another client behind the same proxy still signs in.
            let colleague = Browser(client)
            let ok = try await colleague.send(.post, "/api/v1/session", json: [
                "email": "admin@example.jp", "password": "correct horse battery staple 7",
                "code": currentTOTP(secret, at: Date().addingTimeInterval(30)),
            ], headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9"])
            #expect(ok.status == .ok, "\(String(decoding: ok.body, as: UTF8.self))")
            let ips = try await services.db.sql.raw("SELECT source_ip, action FROM audit_log WHERE action LIKE 'login.%'").all()
                .map { (try $0.decode(column: "source_ip", as: String.self), try $0.decode(column: "action", as: String.self)) }
            #expect(ips.contains { $0 == ("203.0.113.7", "login.failure") })
            #expect(ips.contains { $0 == ("198.51.100.9", "login.success") })
            #expect(!ips.contains { $0.0 == "6.6.6.6" })
        }
        await services.db.close()
    }

    @Test("Without --trusted-proxy, X-Forwarded-For is ignored: a sprayer cannot escape the cap by inventing addresses")
    func forwardedForIgnoredByDefault() async throws {
        let (app, services) = try await Self.server()
        try await app.test(.live) { client in
            let sprayer = Browser(client)
            for i in 0...AccountUseCases.maxFailuresPerAddress {
                _ = try await sprayer.send(.post, "/api/v1/session", json: ["email": "u\(i)@example.jp", "password": "Spring2026 password!"],
                                           headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.\(i)"])
            }
            let r = try await sprayer.send(.post, "/api/v1/session", json: ["email": "u@example.jp", "password": "Spring2026 password!"],
                                           headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.200"])
            #expect(r.status == .tooManyRequests)
            let ips = Set(try await services.db.sql.raw("SELECT source_ip FROM audit_log").all()
                .map { try $0.decode(column: "source_ip", as: String.self) })
            #expect(ips == ["127.0.0.1"])
        }
        await services.db.close()
    }

    // MARK: - Item 11: HSTS

    @Test("Strict-Transport-Security is sent with --secure-cookies, and not without")
    func hsts() async throws {
        let (secure, s1) = try await Self.server(secureCookies: true)
        try await secure.test(.live) { client in
            let r = try await Browser(client).send(.get, "/healthz")
            #expect(r.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
            let missing = try await Browser(client).send(.get, "/api/v1/no-such-thing")
            #expect(missing.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
        }
        await s1.db.close()
        let (plain, s2) = try await Self.server(secureCookies: false)
        try await plain.test(.live) { client in
            let r = try await Browser(client).send(.get, "/healthz")
            #expect(r.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
        }
        await s2.db.close()
    }

    // MARK: - Item 7: TOTP secrets sealed at rest, through the API

    @Test("A TOTP secret enrolled through the API is stored sealed; the code still works", arguments: TestDatabases.engines)
    func enrolledSecretIsSealed(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await Self.server(engine)
        try await app.test(.live) { client in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)
            let stored = try await services.db.sql.raw("SELECT totp_secret FROM users").all()
                .map { try $0.decode(column: "totp_secret", as: String?.self) }
            #expect(stored.count == 1)
            #expect(stored.allSatisfy { $0 != nil && !$0!.contains(secret) }, "the secret is stored in clear")
            let again = try await Browser(client).login("admin@example.jp", "correct horse battery staple 7",
                                                         code: currentTOTP(secret, at: Date().addingTimeInterval(30)))
            #expect(again.status == .ok)
        }
        await services.db.close()
    }
}

/// Item 11: webhooks never reach private or link-local addresses unless the operator allows the range; checked when a
/// webhook is added and again before each delivery.
@Suite("Webhook destinations", .serialized)
struct WebhookDestinationTests {
    /// A resolver with fixed answers, changeable while the test runs (DNS rebinding).
    final class Table: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [String: [String]]
        init(_ answers: [String: [String]]) { self.answers = answers }
        func set(_ host: String, _ addresses: [String]) { lock.withLock { answers[host] = addresses } }
        func resolve(_ host: String) throws -> [IPAddress] {
            guard let a = lock.withLock({ answers[host] }) else { throw RawError("unknown host \(host)") }
            return a.compactMap { IPAddress($0) }
        }
    }

    static let table = Table([
        "hooks.example.com": ["203.0.113.10"],
        "intranet.example.com": ["10.1.2.3"],
        "split.example.com": ["203.0.113.11", "192.168.1.20"],
        "metadata.example.com": ["169.254.169.254"],
    ])

    static func policy(_ allowed: [String] = []) -> WebhookAddressPolicy {
        WebhookAddressPolicy(allowedNetworks: allowed.compactMap { IPNetwork($0) }, resolve: { try Self.table.resolve($0) })
    }

    @Test("Adding a webhook whose host is or resolves to a private or link-local address is refused, naming it")
    func refusedWhenAdded() async throws {
        let (app, services) = try await ConnectionSecurityTests.server(webhooks: Self.policy(["10.1.2.0/24"]))
        try await app.test(.live) { client in
            let admin = Browser(client)
            let (_, org) = try await bootstrapAdmin(admin, services: services)
            func add(_ url: String) async throws -> Browser.Reply {
                try await admin.send(.post, "/api/v1/organizations/\(org)/webhooks", json: ["url": url])
            }
            for url in ["https://10.0.0.5/hook", "https://192.168.0.10/hook", "https://172.16.5.5/", "https://169.254.169.254/latest",
                        "https://[fe80::1]/hook", "https://[fd00::5]/hook", "https://[::ffff:192.168.0.1]/hook", "https://100.64.0.1/",
                        "https://0.0.0.0/", "https://metadata.example.com/hook", "https://split.example.com/hook",
                        "https://unknown.example.com/hook"] {
                let r = try await add(url)
                #expect(r.status == .badRequest, "\(url) was accepted")
                let error = r.json["error"] as? [String: Any]
                #expect(error?["field"] as? String == "url")
                #expect((error?["message"] as? String)?.isEmpty == false)
            }
            let named = try await add("https://split.example.com/hook")
            #expect(String(decoding: named.body, as: UTF8.self).contains("192.168.1.20"))
            #expect(String(decoding: named.body, as: UTF8.self).contains("--webhook-allow-network"))
            // Public addresses, this machine, and a private range the operator allowed.
            for url in ["https://hooks.example.com/hook", "https://203.0.113.20/hook", "https://intranet.example.com/hook",
                        "https://10.1.2.9/hook", "http://127.0.0.1:9/hook", "https://[::1]/hook"] {
                let r = try await add(url)
                #expect(r.status == .created, "\(url): \(String(decoding: r.body, as: UTF8.self))")
            }
        }
        await services.db.close()
    }

    @Test("A delivery whose host now resolves to a link-local address is not sent, and the log says why")
    func checkedAgainAtDelivery() async throws {
        let location = try await TestDatabases.fresh(.sqlite)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-rebind")
        let table = Table(["rebind.example.com": ["203.0.113.50"]])
        let policy = WebhookAddressPolicy(resolve: { try table.resolve($0) })
        let (_, services) = try await buildApplication(ServerConfiguration(
            port: 0, database: location, dataDirectory: dir.path, environment: [:], logLevel: .warning, reminderInterval: 0,
            webhookAddresses: policy))
        do {
            try await ReminderFlowTests.seedLinkedPair(services.db)
            let store = ReminderStore(services.db, organizationID: "prime-org", evidenceKey: services.evidence.key)
            let url = "https://rebind.example.com/hook"
            try await policy.check(url)  // public when added
            let (_, hook) = try await store.createWebhook(url: url, by: TekigoStore.Actor(id: "test", sourceIP: "127.0.0.1"))
            table.set("rebind.example.com", ["169.254.169.254"])

            let pass = try await ReminderScheduler(services: services, logger: .init(label: "test")).runOnce(at: Date())
            #expect(pass.delivered == 0)
            #expect(pass.failedAttempts >= 1)
            let log = try await store.deliveries(webhookID: hook.id)
            #expect(!log.isEmpty)
            #expect(log.allSatisfy { $0.lastError?.contains("169.254.169.254") == true }, "\(log.map(\.lastError))")
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }
}
