import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Supply-chain reminders end to end over real HTTP on loopback (issue: supply chain, item 5): a prime sets a
/// requirement on its supplier due in 20 days; one scheduler pass stores a reminder for each and POSTs them to their
/// webhooks — a second Hummingbird app in this test, whose `/ok` answers 200 and `/fail` 500. The 200 receiver gets a
/// body signed with the webhook's secret (HMAC-SHA256); the 500 one is retried with backoff, visible in the delivery
/// log; dismissing hides a reminder for good; a read-only token may read reminders but not dismiss them.
@Suite("Reminders over HTTP: webhooks, retries, dismissal", .serialized)
struct ReminderFlowTests {
    static let password = "correct horse battery staple 7"

    /// What the receiver got.
    actor Inbox {
        struct Received: Sendable {
            let path: String
            let signature: String?
            let delivery: String?
            let contentType: String?
            let body: Data
        }

        private(set) var received: [Received] = []
        func add(_ r: Received) { received.append(r) }
        func on(_ path: String) -> [Received] { received.filter { $0.path == path } }
    }

    /// The webhook receiver: `/ok` answers 200, `/fail` 500; both record what they got.
    static func receiver(_ inbox: Inbox) -> some ApplicationProtocol {
        let router = Router()
        for (path, status) in [("ok", HTTPResponse.Status.ok), ("fail", .internalServerError)] {
            router.post("/\(path)") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                await inbox.add(Inbox.Received(
                    path: path, signature: request.headers[HTTPField.Name("X-Tekigo-Signature")!],
                    delivery: request.headers[HTTPField.Name("X-Tekigo-Delivery")!],
                    contentType: request.headers[.contentType], body: Data(buffer: body)))
                return Response(status: status)
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("A pass stores reminders once and sends them signed; a 500 is retried with backoff; dismissing hides one",
          arguments: TestDatabases.engines)
    func flow(engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-reminders")
        // The loop is off: the test runs passes itself, at chosen times.
        let config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path,
                                         environment: [:], logLevel: .warning, reminderInterval: 0)
        let (app, services) = try await buildApplication(config)
        let inbox = Inbox()
        do {
            try await Self.receiver(inbox).test(.live) { receiver in
                let port = try #require(receiver.port)
                try await app.test(.live) { client in
                    try await Self.run(client: client, services: services, receiverPort: port, inbox: inbox)
                }
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("The loop runs passes in the background and stops at graceful shutdown", arguments: TestDatabases.engines)
    func backgroundLoop(engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-reminders")
        let config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path,
                                         environment: [:], logLevel: .warning, reminderInterval: 0.2)
        let (app, services) = try await buildApplication(config)
        do {
            try await Self.seedLinkedPair(services.db)
            let store = ReminderStore(services.db, organizationID: "prime-org", evidenceKey: services.evidence.key)
            try await app.test(.live) { _ in
                // Nobody calls runOnce: the service does.
                var found: [ReminderRecord] = []
                for _ in 0..<100 where found.isEmpty {
                    try await Task.sleep(for: .milliseconds(100))
                    found = try await store.reminders()
                }
                #expect(found.map(\.kind) == ["requirement-due"], "the background loop stored no reminder within 10 s")
            }
            // `test` returns once the service group, the scheduler included, has shut down (it would hang otherwise).
            #expect(try await SchedulerLease(services.db, name: "reminders", holder: "x").current() == nil,
                    "the lease is released at shutdown")
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    struct Party {
        let id: String
        let browser: Browser
        var base: String { "/api/v1/organizations/\(id)" }
    }

    static func items(_ r: Browser.Reply) -> [[String: Any]] { (r.json["items"] as? [[String: Any]]) ?? [] }

    static func date(_ text: Any?) -> Date? { (text as? String).flatMap(Timestamp.date) }

    static func run(client: any TestClientProtocol, services: Services, receiverPort: Int, inbox: Inbox) async throws {
        // setup: a prime (the first administrator's organization) and a supplier with its own owner, linked.
        let admin = Browser(client)
        let (_, primeID) = try await bootstrapAdmin(admin, services: services)
        let prime = Party(id: primeID, browser: admin)
        let created = try await admin.send(.post, "/api/v1/organizations", json: ["name": "浜松富士精機株式会社"])
        let supplierID = try #require(created.json["id"] as? String)
        let email = "owner-\(supplierID.prefix(8))@example.jp"
        let user = try await AccountStore(services.db).createUser(email: email, displayName: "供給者 太郎",
                                                                  passwordHash: try await PasswordHasher.hash(password),
                                                                  platformAdmin: false)
        try await AccountStore(services.db).setMembership(userID: user.id, organizationID: supplierID, role: .owner)
        let supplierBrowser = Browser(client)
        try #require(try await supplierBrowser.login(email, password).status == .ok)
        let mfa = try #require(try await supplierBrowser.send(.post, "/api/v1/me/mfa").json["secret"] as? String)
        try #require(try await supplierBrowser.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(mfa)]).status == .ok)
        let supplier = Party(id: supplierID, browser: supplierBrowser)
        let invitation = try await prime.browser.send(.post, "\(prime.base)/supplier-invitations", json: ["note": "supplier"])
        let token = try #require(invitation.json["token"] as? String)
        try #require(try await supplier.browser.send(.post, "\(supplier.base)/customer-invitations/accept", json: ["token": token])
            .status == .created)

        // The prime requires SPRS ≥ 88 within 20 days; the supplier has no attestation yet.
        // Whole seconds: the times a pass stores are read back at the stored precision, and a pass runs as of its instant.
        let t0 = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let due = Day(t0).adding(days: 20).description
        try #require(try await prime.browser.send(.post, "\(prime.base)/requirements", json: [
            "supplierId": supplier.id, "minimum": "sprs>=88", "dueOn": due,
        ]).status == .created)

        // Webhooks: https, or http to this machine only; the secret is shown once.
        let refused = try await prime.browser.send(.post, "\(prime.base)/webhooks", json: ["url": "http://example.com/hook"])
        #expect(refused.status == .badRequest && refused.errorCode == "invalid")
        #expect((refused.json["error"] as? [String: Any])?["field"] as? String == "url")
        let primeHook = try await prime.browser.send(.post, "\(prime.base)/webhooks", json: ["url": "http://127.0.0.1:\(receiverPort)/ok"])
        try #require(primeHook.status == .created, "\(String(decoding: primeHook.body, as: UTF8.self))")
        let primeSecret = try #require(primeHook.json["secret"] as? String)
        let primeHookID = try #require(primeHook.json["id"] as? String)
        let listed = try await prime.browser.send(.get, "\(prime.base)/webhooks")
        #expect(items(listed).map { $0["id"] as? String } == [primeHookID])
        #expect(!String(decoding: listed.body, as: UTF8.self).contains(primeSecret), "the secret is shown only once")
        let supplierHook = try await supplier.browser.send(.post, "\(supplier.base)/webhooks",
                                                           json: ["url": "http://127.0.0.1:\(receiverPort)/fail"])
        try #require(supplierHook.status == .created)
        let supplierHookID = try #require(supplierHook.json["id"] as? String)

        // act: one pass. Each organization gets its reminder; the prime's is delivered, the supplier's fails.
        let scheduler = ReminderScheduler(services: services, logger: Logger(label: "test.reminders"))
        let first = try await scheduler.runOnce(at: t0)
        #expect(first.ran && first.newReminders == 2 && first.delivered == 1 && first.failedAttempts == 1, "\(first)")
        // Nobody else holds the lease after a pass.
        #expect(try await SchedulerLease(services.db, name: "reminders", holder: "x").current() == nil)

        let primeReminders = items(try await prime.browser.send(.get, "\(prime.base)/reminders"))
        #expect(primeReminders.count == 1)
        let reminder = try #require(primeReminders.first)
        let key = try #require(reminder["key"] as? String)
        #expect(reminder["kind"] as? String == "requirement-due")
        #expect(reminder["subject"] as? String == supplier.id)
        let text = try #require(reminder["text"] as? [String: Any])
        #expect((text["ja"] as? String)?.contains("期限") == true && (text["en"] as? String)?.contains("is due") == true)
        #expect(items(try await supplier.browser.send(.get, "\(supplier.base)/reminders")).map { $0["key"] as? String } == [key])
        // Another organization's reminders are not found, like an organization that does not exist.
        // (The administrator created the supplier's organization, so it is the supplier that probes the prime.)
        #expect(try await supplier.browser.send(.get, "\(prime.base)/reminders").status == .notFound)
        #expect(try await supplier.browser.send(.get, "\(prime.base)/webhooks/\(primeHookID)/deliveries").status == .notFound)

        // The receiver got the prime's reminder, signed with the prime's secret.
        let got = await inbox.on("ok")
        try #require(got.count == 1)
        let delivery = try #require(got.first)
        let expected = HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Data(primeSecret.utf8)))
        #expect(delivery.signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
        #expect(delivery.contentType?.hasPrefix("application/json") == true)
        let payload = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
        #expect(Set(payload.keys) == ["key", "kind", "organizationId", "text", "createdAt"])
        #expect(payload["key"] as? String == key && payload["kind"] as? String == "requirement-due")
        #expect(payload["organizationId"] as? String == prime.id)
        #expect((payload["text"] as? [String: String]) == (text as? [String: String]))
        let primeLog = items(try await prime.browser.send(.get, "\(prime.base)/webhooks/\(primeHookID)/deliveries"))
        #expect(primeLog.count == 1)
        #expect(primeLog.first?["id"] as? String == delivery.delivery)
        #expect(primeLog.first?["status"] as? String == "delivered" && primeLog.first?["lastStatus"] as? Int == 200)
        #expect(primeLog.first?["reminderKey"] as? String == key)

        // The failing receiver: attempt 1 answered 500; the next is due a minute later.
        func supplierLog() async throws -> [String: Any] {
            let log = items(try await supplier.browser.send(.get, "\(supplier.base)/webhooks/\(supplierHookID)/deliveries"))
            try #require(log.count == 1)
            return log[0]
        }
        var log = try await supplierLog()
        #expect(log["status"] as? String == "pending" && log["attempts"] as? Int == 1 && log["lastStatus"] as? Int == 500)
        let next1 = try #require(date(log["nextAttemptAt"]))
        #expect(next1.timeIntervalSince(t0) >= 60 && next1.timeIntervalSince(t0) < 70, "retry after 1 minute: \(next1)")
        #expect(await inbox.on("fail").count == 1)

        // Before the backoff ends nothing is sent; after it, attempt 2, then 5 minutes.
        let early = try await scheduler.runOnce(at: t0.addingTimeInterval(30))
        #expect(early.failedAttempts == 0 && early.newReminders == 0)
        #expect(await inbox.on("fail").count == 1)
        let t1 = t0.addingTimeInterval(61)
        let second = try await scheduler.runOnce(at: t1)
        #expect(second.failedAttempts == 1 && second.delivered == 0 && second.newReminders == 0)
        let retried = await inbox.on("fail")
        #expect(retried.count == 2)
        #expect(Set(retried.map(\.delivery)).count == 1, "a retry carries the same delivery id")
        log = try await supplierLog()
        #expect(log["attempts"] as? Int == 2 && log["status"] as? String == "pending")
        #expect((log["lastError"] as? String)?.contains("500") == true)
        let next2 = try #require(date(log["nextAttemptAt"]))
        #expect(next2.timeIntervalSince(t1) >= 300 && next2.timeIntervalSince(t1) < 310, "retry after 5 minutes: \(next2)")
        // The prime's delivered reminder is not sent again.
        #expect(await inbox.on("ok").count == 1)

        // Reading is not enough to dismiss: a read-only token sees the reminder but may not hide it.
        let tokenReply = try await prime.browser.send(.post, "\(prime.base)/tokens", json: ["name": "reader", "scope": "read"])
        let reader = Browser(client)
        reader.bearer = try #require(tokenReply.json["token"] as? String)
        let encoded = try #require(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))))
        #expect(encoded.contains("%2F"))
        #expect(items(try await reader.send(.get, "\(prime.base)/reminders")).count == 1)
        #expect(try await reader.send(.post, "\(prime.base)/reminders/\(encoded)/dismiss").status == .forbidden)
        #expect(try await reader.send(.get, "\(prime.base)/webhooks").status == .forbidden)

        // Dismissing hides it; a later pass does not bring it back; an unknown key is 404.
        #expect(try await prime.browser.send(.post, "\(prime.base)/reminders/\(encoded)/dismiss").status == .noContent)
        #expect(try await prime.browser.send(.post, "\(prime.base)/reminders/\(encoded)/dismiss").status == .noContent)
        #expect(items(try await prime.browser.send(.get, "\(prime.base)/reminders")).isEmpty)
        #expect(try await scheduler.runOnce(at: t1.addingTimeInterval(1)).newReminders == 0)
        #expect(items(try await prime.browser.send(.get, "\(prime.base)/reminders")).isEmpty)
        #expect(try await prime.browser.send(.post, "\(prime.base)/reminders/no%2Fsuch/dismiss").status == .notFound)
        // The supplier's copy is its own and stays.
        #expect(items(try await supplier.browser.send(.get, "\(supplier.base)/reminders")).count == 1)

        // Deleting a webhook stops deliveries to it; its log goes with it.
        #expect(try await supplier.browser.send(.delete, "\(supplier.base)/webhooks/\(supplierHookID)").status == .noContent)
        #expect(try await supplier.browser.send(.get, "\(supplier.base)/webhooks/\(supplierHookID)/deliveries").status == .notFound)
        _ = try await scheduler.runOnce(at: t1.addingTimeInterval(400))
        #expect(await inbox.on("fail").count == 2)

        #expect(try await AuditLog(services.db).verify().isIntact)
    }

    /// Two linked organizations (prime-org → supplier-org) and a flow-down requirement due in 5 days, written directly.
    static func seedLinkedPair(_ db: TekigoDatabase) async throws {
        let now = Timestamp.now()
        for id in ["prime-org", "supplier-org"] {
            try await db.sql.insert(into: "organizations")
                .columns("id", "name", "cage_codes", "uei", "corporate_number", "created_at", "version")
                .values(SQLBind(id), SQLBind(id), SQLBind("[]"), SQLBind(String?.none), SQLBind(String?.none), SQLBind(now), SQLBind(1))
                .run()
        }
        try await db.sql.insert(into: "supplier_links").columns("customer_id", "supplier_id", "created_at")
            .values(SQLBind("prime-org"), SQLBind("supplier-org"), SQLBind(now)).run()
        try await db.sql.insert(into: "flow_down_requirements")
            .columns("id", "customer_id", "supplier_id", "contract_id", "catalog", "minimum", "due_on", "must_flow_down",
                     "created_at", "version")
            .values(SQLBind("req-1"), SQLBind("prime-org"), SQLBind("supplier-org"), SQLBind(String?.none),
                    SQLBind("sp800-171r2"), SQLBind("all-met"), SQLBind(Day(Date()).adding(days: 5).description), SQLBind(1),
                    SQLBind(now), SQLBind(1))
            .run()
    }
}
