import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Several instances on one PostgreSQL database (issue 16, item 6): two real servers, each on its own loopback port,
/// built by `buildApplication` with the same database and the same evidence key, as two hosts behind a load balancer
/// would be. Either may stop while the other keeps serving.
@Suite("Two servers on one PostgreSQL database", .serialized)
struct TwoInstanceTests {
    static let skipMessage: Comment = "TwoInstanceTests need PostgreSQL: set TEKIGO_TEST_POSTGRES_URL (eval \"$(bash scripts/postgres.sh)\")"

    /// The timing of both servers: passes twice a second; the scheduler's lease lasts 30 s but is renewed, and tried by
    /// the other server, every 0.2 s; jobs looked for every 0.2 s.
    static let timing = BackgroundTiming(jobPoll: 0.2, jobLease: 30, reminderLease: 30, reminderLeaseCheck: 0.2)

    /// Polls `condition` every 50 ms until it holds or `limit` passes.
    static func eventually(_ limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test("Both serve; a session made on one works on the other; each job runs on exactly one; the scheduler's lease moves when its holder stops",
          .enabled(if: TestDatabases.engines.contains(.postgres), skipMessage))
    func twoServers() async throws {
        let location = try await TestDatabases.fresh(.postgres)
        let env = ["TEKIGO_EVIDENCE_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()]
        func config() throws -> ServerConfiguration {
            // Each its own data directory: nothing is shared but the database and the key.
            ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location,
                                dataDirectory: try TestEnvironment.temporaryDirectory("tekigo-instance").path, environment: env,
                                logLevel: .warning, reminderInterval: 0.5, background: Self.timing)
        }
        let (app1, s1) = try await buildApplication(try config())
        let (app2, s2) = try await buildApplication(try config())
        let services = [s1, s2]
        #expect(s1.instance != s2.instance)
        // Each server runs in a child task until told to stop; it hands its client out when it is listening.
        let listening = (0..<2).map { _ in AsyncStream.makeStream(of: (any TestClientProtocol).self) }
        let stops = (0..<2).map { _ in AsyncStream.makeStream(of: Void.self) }
        do {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, app) in [app1, app2].enumerated() {
                    group.addTask {
                        defer { listening[i].continuation.finish() }
                        try await app.test(.live) { client in
                            listening[i].continuation.yield(client)
                            for await _ in stops[i].stream {}
                        }
                        // `test` returns once the server's service group has shut down, background services included.
                        return i
                    }
                }
                var clients: [any TestClientProtocol] = []
                for i in 0..<2 {
                    var next = listening[i].stream.makeAsyncIterator()
                    clients.append(try #require(await next.next(), "server \(i + 1) did not start"))
                }
                do {
                    try await Self.scenario(clients: clients, services: services) { i in
                        stops[i].continuation.finish()
                        // Returns when that server has stopped (the other keeps running).
                        let stopped = try await group.next()
                        #expect(stopped == i)
                    }
                } catch {
                    for s in stops { s.continuation.finish() }
                    throw error
                }
                for s in stops { s.continuation.finish() }
                try await group.waitForAll()
            }
        } catch {
            await s1.db.close()
            await s2.db.close()
            throw error
        }
        // Both stopped gracefully: nobody holds the scheduler's lease.
        #expect(try await SchedulerLease(s1.db, name: ReminderScheduler.leaseName, holder: "test").current() == nil)
        await s1.db.close()
        await s2.db.close()
    }

    static func scenario(clients: [any TestClientProtocol], services: [Services],
                         stop: (Int) async throws -> Void) async throws {
        let (c1, c2) = (clients[0], clients[1])
        let (s1, s2) = (services[0], services[1])

        // Both serve, each on its own port.
        #expect(c1.port != nil && c1.port != c2.port)
        for c in clients {
            #expect(try await Browser(c).send(.get, "/healthz").status == .ok)
            #expect(try await Browser(c).send(.get, "/readyz").status == .ok)
        }

        // A session made on server 1 (setup, sign-in, second factor) works on server 2, for the API and the pages.
        let b1 = Browser(c1)
        let (_, org) = try await bootstrapAdmin(b1, services: s1)
        let b2 = Browser(c2)
        b2.cookie = b1.cookie
        b2.csrf = b1.csrf
        #expect(try await b2.send(.get, "/api/v1/me").status == .ok)
        #expect(try await b2.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "made on server 2"]).status == .created)
        #expect(String(decoding: try await b1.send(.get, "/api/v1/organizations/\(org)/systems").body, as: UTF8.self)
            .contains("made on server 2"))
        #expect(try await WebPageTests.page(b2, .get, "/o/\(org)").status == .ok)

        // Jobs: four all-documents exports queued through the pages, two on each server (each page wakes its own
        // server's runner). Each job is claimed exactly once: the claims over both servers add up to four.
        let (_, assessment) = try await WebPageTests.assessment(s1, org)
        var locations: [String] = []
        for (i, b) in [b1, b2, b1, b2].enumerated() {
            let exports = try await WebPageTests.page(b, .get, "/o/\(org)/assessments/\(assessment.id)/exports")
            let csrf = try #require(WebPageTests.formToken(exports.html))
            let started = try await WebPageTests.page(b, .post, "/o/\(org)/assessments/\(assessment.id)/exports",
                                                      form: [("csrf", csrf), ("language", i % 2 == 0 ? "ja" : "en")])
            try #require(started.status == .seeOther)
            locations.append(try #require(started.headers[.location]))
        }
        // Progress pages work on either server, whichever runs the job.
        for (i, location) in locations.enumerated() {
            let html = try await WebPageTests.jobEnded(i % 2 == 0 ? b2 : b1, location)
            #expect(html.contains("data-state=\"finished\""), "job \(location) did not finish")
        }
        var a1 = s1.jobs.activity
        var a2 = s2.jobs.activity
        #expect(a1.claimed + a2.claimed == 4, "claims: server 1 \(a1.claimed), server 2 \(a2.claimed)")
        #expect(a1.finished + a2.finished == 4 && a1.failed + a2.failed == 0 && a1.leaseLost + a2.leaseLost == 0)
        // Then eight queued at once, and both runners woken together: they read the same queue, oldest first, and
        // ask for the same jobs; each is still claimed once, eight claims in all.
        let me = try #require(try await s1.accounts.user(email: "admin@example.jp"))
        let jobs = JobStore(s1.db, organizationID: org)
        var burst: [String] = []
        for i in 0..<8 {
            let parameters = JSONBundleParameters(assessment: assessment.id, language: i % 2 == 0 ? "ja" : "en")
            burst.append(try await jobs.create(kind: BundleJob.kind, parameters: parameters.encoded, total: 1, createdBy: me.id).id)
        }
        s1.jobs.nudge()
        s2.jobs.nudge()
        #expect(try await eventually(.seconds(120)) {
            var finished = 0
            for id in burst where try await jobs.job(id: id)?.state == .finished { finished += 1 }
            return finished == burst.count
        }, "the burst of jobs did not finish")
        a1 = s1.jobs.activity
        a2 = s2.jobs.activity
        #expect(a1.claimed + a2.claimed == 12, "claims: server 1 \(a1.claimed), server 2 \(a2.claimed)")
        #expect(a1.finished + a2.finished == 12 && a1.failed + a2.failed == 0 && a1.leaseLost + a2.leaseLost == 0)
        // The result, sealed by whichever server made it, opens on the other: the evidence key is shared.
        for b in [b1, b2] {
            let zip = try await b.client.execute(uri: locations[0] + "/result", method: .get,
                                                 headers: [.cookie: "tekigo_session=\(b.cookie!)"])
            #expect(zip.status == .ok && zip.body.readableBytesView.starts(with: Array("PK".utf8)))
        }

        // The reminder scheduler: one server holds the lease and renews it. When that server stops gracefully it
        // gives the lease up, and the other takes it within its next check (0.2 s), long before the 30-second lease
        // could have run out.
        let lease = SchedulerLease(s1.db, name: ReminderScheduler.leaseName, holder: "test")
        let names = services.map(\.instance)
        #expect(try await eventually { try await lease.current().map { names.contains($0.holder) } == true }, "nobody took the lease")
        let held = try #require(try await lease.current())
        let holder = try #require(names.firstIndex(of: held.holder))
        let other = 1 - holder
        try await stop(holder)
        let stoppedAt = Date()
        if let now = try await lease.current() {
            #expect(now.holder == names[other], "the stopped server still holds the lease")
        }
        #expect(try await eventually(.seconds(10)) { try await lease.current()?.holder == names[other] },
                "the lease did not move to the other server")
        let expiry = try #require(Timestamp.date(held.expiresAt))
        #expect(Date() < expiry, "taken only after the old lease ran out (\(Date().timeIntervalSince(stoppedAt)) s after the stop)")
        // The other server still serves, the session too.
        let remaining = Browser(clients[other])
        remaining.cookie = b1.cookie
        remaining.csrf = b1.csrf
        #expect(try await remaining.send(.get, "/api/v1/me").status == .ok)

        // Signing out on the remaining server ends the session everywhere.
        #expect(try await remaining.send(.delete, "/api/v1/session").status == .noContent)
        #expect(try await remaining.send(.get, "/api/v1/me").status == .unauthorized)
        #expect(try await AuditLog(s2.db).verify().isIntact)
    }
}
