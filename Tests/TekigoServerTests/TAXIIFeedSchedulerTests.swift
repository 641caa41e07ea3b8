import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// A server's services on a fresh database with scheduled pulls off (the tests call `runOnce(at:)`), and an
/// organization that may write the collection `cert` of the community `dib-isac`.
struct FeedWorld {
    let services: Services
    let org: String
    let slug = "dib-isac"

    var caller: TAXIICaller { .commandLine(organizationID: org) }
    var cases: TAXIIFeedUseCases { services.taxiiFeeds(caller) }

    /// Runs `body` on a fresh database (the server built, not started), closing it after.
    static func with(_ engine: TestDatabases.Engine, _ body: (FeedWorld) async throws -> Void) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-feeds")
        var config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path, environment: [:],
                                         logLevel: .warning, reminderInterval: 0)
        config.taxiiFeedCheckInterval = 0
        let (_, services) = try await buildApplication(config)
        do {
            try await body(try await world(services))
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// The community, its collection and the organization's write access, on an existing server's database; the
    /// organization is `org` when given, else a new one.
    static func world(_ services: Services, org given: String? = nil) async throws -> FeedWorld {
        var org = given ?? ""
        if given == nil {
            let u = try await services.accounts.createUser(email: "feeds-owner@example.jp", displayName: "o", passwordHash: "x", platformAdmin: false)
            org = try await services.accounts.createOrganization(name: "Prime", owner: u.id).id
        }
        let store = ThreatIntelStore(services.db)
        let community = try await store.createCommunity(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
        try await store.addMember(community.id, organization: org, role: .administrator, listed: true, cuiAuthorized: true)
        let collection = try await store.createCollection(in: community.id, title: "From the CERT", description: "", alias: "cert")
        try await store.setAccess(collection: collection.id, organization: org, canRead: true, canWrite: true)
        return FeedWorld(services: services, org: org)
    }

    func stored() async throws -> Int {
        try await services.db.sql.raw("SELECT COUNT(*) AS n FROM stix_objects").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() throws -> Int {
        let python = TestEnvironment.validatorsVenv.appendingPathComponent("bin/python")
        let found = try runProcess(FileManager.default.isExecutableFile(atPath: python.path) ? python : URL(fileURLWithPath: "/usr/bin/python3"),
                                   ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
        return Int(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 9
    }
}

/// Scheduled pulls (issue 14 item 3) against medallion, the OASIS reference TAXII 2.1 server started on loopback, with
/// the injectable clock: each pass given its instant. Both engines.
@Suite("TAXII feed scheduler: due, not due, disabled, backoff, one instance at a time, one failure never stops another",
       .serialized, .enabled(if: MedallionTool.run, "needs medallion in .venv-validators (scripts/validators.sh)"))
struct TAXIIFeedSchedulerTests {
    static let logger = Logger(label: "tekigo.test.feeds")

    @Test("Issue 14 item 3: a feed is pulled when its last run plus its interval has passed, not before; off means never; a failing feed is retried only after its interval and never stops the other",
          arguments: TestDatabases.engines)
    func dueNotDueDisabledBackoff(_ engine: TestDatabases.Engine) async throws {
        let medallion = try TAXIIFeedPullTests.Medallion(objects: (0..<3).map { TAXIIFeedPullTests.indicator($0) })
        defer { medallion.stop() }
        try await medallion.waitUntilServing()
        try await FeedWorld.with(engine) { w in
            let good = try await w.cases.subscribe(root: w.slug, collection: "cert", url: medallion.collectionURL, auth: .basic, username: "feed",
                                                   secret: "feed-password", intervalMinutes: 60)
            let bad = try await w.cases.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:\(try FeedWorld.closedPort())/r/collections/gone/",
                                                  auth: .none, intervalMinutes: 30)
            let scheduler = TAXIIFeedScheduler(services: w.services, logger: Self.logger)
            let t0 = Date().addingTimeInterval(120)
            func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

            // Both never ran: both due. The failing one does not stop the other.
            let p1 = try await scheduler.runOnce(at: t0)
            #expect(p1.ran && p1.due == 2 && p1.pulled == 1 && p1.failed == 1 && p1.added == 3 && p1.errors == 0, "\(p1)")
            #expect(try await w.stored() == 3)
            let badView = try await w.cases.feed(id: bad.id)
            #expect(badView.lastResult == "error" && badView.lastError?.en.contains("could not be reached") == true
                    && badView.lastError?.ja.contains("接続できません") == true, "\(String(describing: badView.lastError))")
            #expect(abs((badView.nextDueAt.flatMap(Timestamp.date) ?? .distantPast).timeIntervalSince(at(30))) < 1,
                    "a failed run waits its interval: \(badView.nextDueAt ?? "-")")

            // Ten minutes later nothing is due: the failing feed is not hammered.
            let p2 = try await scheduler.runOnce(at: at(10))
            #expect(p2.ran && p2.due == 0 && p2.pulled == 0 && p2.failed == 0, "\(p2)")

            // After 31 minutes only the failing feed (every 30) is due, and fails again.
            let p3 = try await scheduler.runOnce(at: at(31))
            #expect(p3.due == 1 && p3.failed == 1 && p3.pulled == 0, "\(p3)")
            #expect(try await w.cases.runs(feedID: bad.id).map(\.result) == ["error", "error"])
            #expect(try await w.cases.runs(feedID: good.id).map(\.result) == ["ok"])

            // Off: never pulled by the schedule, however late.
            _ = try await w.cases.setEnabled(feedID: good.id, false)
            #expect(try await w.cases.feed(id: good.id).nextDueAt == nil)
            let p4 = try await scheduler.runOnce(at: at(600))
            #expect(p4.due == 1 && p4.failed == 1 && p4.pulled == 0, "only the failing feed, still on: \(p4)")
            #expect(try await w.cases.runs(feedID: good.id).count == 1)

            // On again: due (its last run is long past), and it resumes, taking only what is new.
            _ = try await w.cases.setEnabled(feedID: good.id, true)
            try await medallion.post([TAXIIFeedPullTests.indicator(10), TAXIIFeedPullTests.indicator(11)])
            let p5 = try await scheduler.runOnce(at: at(700))
            #expect(p5.pulled == 1 && p5.added == 2, "\(p5)")
            #expect(try await w.stored() == 5)
            let runs = try await w.cases.runs(feedID: good.id)
            #expect(runs.first?.startedBy == TAXIIFeedScheduler.actorID && runs.first?.added == 2 && runs.count == 2)
        }
    }

    @Test("Issue 14 item 3: two instances running a pass at once pull each feed once; a held pass lease means no pass; a feed being pulled (its own lease) is left to that pull, and a pull now is refused meanwhile",
          arguments: TestDatabases.engines)
    func oneAtATime(_ engine: TestDatabases.Engine) async throws {
        let medallion = try TAXIIFeedPullTests.Medallion(objects: (0..<4).map { TAXIIFeedPullTests.indicator($0) })
        defer { medallion.stop() }
        try await medallion.waitUntilServing()
        try await FeedWorld.with(engine) { w in
            var feeds: [String] = []
            for _ in 0..<3 {
                feeds.append(try await w.cases.subscribe(root: w.slug, collection: "cert", url: medallion.collectionURL, auth: .basic,
                                                         username: "feed", secret: "feed-password", intervalMinutes: 60).id)
            }
            let first = TAXIIFeedScheduler(services: w.services, logger: Self.logger)
            let second = TAXIIFeedScheduler(copying: first, holder: "instance-2")
            let t0 = Date().addingTimeInterval(120)
            async let a = first.runOnce(at: t0)
            async let b = second.runOnce(at: t0)
            let (pa, pb) = try await (a, b)
            #expect(pa.pulled + pb.pulled == 3 && pa.failed + pb.failed == 0, "\(pa) \(pb)")
            for id in feeds { #expect(try await w.cases.runs(feedID: id).count == 1, "feed \(id) pulled once") }
            #expect(try await w.stored() == 4)

            // Another instance holds the pass lease: this one does nothing.
            let t1 = t0.addingTimeInterval(3 * 3600)
            let held = SchedulerLease(w.services.db, name: TAXIIFeedScheduler.leaseName, holder: "elsewhere")
            #expect(try await held.acquire(for: 600, at: t1))
            #expect(try await first.runOnce(at: t1).ran == false)
            try await held.release()

            // One feed is being pulled (as by "pull now" on another instance): the pass leaves it and pulls the others.
            let busy = SchedulerLease(w.services.db, name: "taxii-feed/\(feeds[0])", holder: "pull-now")
            #expect(try await busy.acquire(for: 600, at: t1))
            let p = try await first.runOnce(at: t1)
            #expect(p.due == 3 && p.inProgress == 1 && p.pulled == 2, "\(p)")
            #expect(try await w.cases.runs(feedID: feeds[0]).count == 1)
            await #expect(throws: TAXIIFeedError.pullInProgress(feeds[0])) { try await w.cases.pull(feedID: feeds[0]) }
            try await busy.release()
            #expect(try await w.cases.pull(feedID: feeds[0]).result == "ok")
        }
    }
}

/// Where a feed may go (issue 14 item 3, SP 800-171 3.13.1): the webhooks' address rule, `WebhookAddressPolicy`, asked
/// when subscribing and before each run. No outside server is needed: the policy is given a resolver table.
@Suite("TAXII feeds: the private-address rule of webhooks")
struct TAXIIFeedAddressTests {
    static let table: @Sendable (String) async throws -> [IPAddress] = { host in
        switch host {
        case "metadata.example": return [IPAddress("169.254.169.254")!]
        case "intranet.example": return [IPAddress("10.1.2.3")!]
        default: return [IPAddress("203.0.113.10")!]
        }
    }

    @Test("Issue 14 item 3: a feed URL resolving to a private or link-local address is refused unless the operator allowed the range; loopback is allowed; a run checks again before any request",
          arguments: TestDatabases.engines)
    func addressRule(_ engine: TestDatabases.Engine) async throws {
        try await FeedWorld.with(engine) { w in
            let noRequest = TAXIIFeedHTTP { _ in
                Issue.record("no request may leave for a refused address")
                throw TAXIIFeedError.transport("not sent")
            }
            let strict = TAXIIFeedUseCases(w.services.tenantEnvironment, w.caller,
                                           addressCheck: WebhookAddressPolicy(resolve: Self.table).feedCheck, http: noRequest)
            for url in ["https://10.0.0.5/api/collections/abc/", "https://metadata.example/api/collections/abc/",
                        "https://intranet.example/api/collections/abc/", "https://[fe80::1]/api/collections/abc/"] {
                do {
                    _ = try await strict.subscribe(root: w.slug, collection: "cert", url: url, auth: .none)
                    Issue.record("\(url) was accepted")
                } catch let e as TAXIIFeedError {
                    guard case .addressRefused(let why) = e else { Issue.record("\(url): \(e)"); continue }
                    #expect(why.contains("private, link-local or reserved"), "\(why)")
                    #expect(e.text.ja.contains("webhook-allow-network"))
                }
            }
            #expect(try await strict.feeds().isEmpty, "nothing stored")
            // Loopback (a TAXII server on this machine) and public addresses pass.
            _ = try await strict.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/x/", auth: .none)
            _ = try await strict.subscribe(root: w.slug, collection: "cert", url: "https://taxii.example.org/r/collections/x/", auth: .none)

            // The operator allows 10.0.0.0/8: the intranet feed is taken. Under the strict rule its run is refused before
            // any request, the reason recorded.
            let allowing = TAXIIFeedUseCases(w.services.tenantEnvironment, w.caller,
                                             addressCheck: WebhookAddressPolicy(allowedNetworks: [IPNetwork("10.0.0.0/8")!], resolve: Self.table).feedCheck,
                                             http: noRequest)
            let intranet = try await allowing.subscribe(root: w.slug, collection: "cert", url: "https://intranet.example/api/collections/abc/", auth: .none)
            let run = try await strict.pull(feedID: intranet.id)
            #expect(run.result == "error" && run.pages == 0 && run.error?.en.contains("10.1.2.3") == true, "\(run)")
            #expect(try await strict.runs(feedID: intranet.id).first?.error?.en.contains("may not be reached") == true)
        }
    }
}

/// The scheduler as the server runs it, and the history's bound.
@Suite("TAXII feed scheduler in the running server", .serialized)
struct TAXIIFeedSchedulerServiceTests {
    @Test("Issue 14 item 3: buildApplication runs the scheduler when taxiiFeedCheckInterval is above 0: a due feed is pulled without anyone asking, its run recorded as the scheduler's",
          arguments: TestDatabases.engines)
    func runsInTheServer(_ engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-feed-service")
        var config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path, environment: [:],
                                         logLevel: .warning, reminderInterval: 0)
        config.taxiiFeedCheckInterval = 0.2
        let (app, services) = try await buildApplication(config)
        let w = try await FeedWorld.world(services)
        let feed = try await w.cases.subscribe(root: w.slug, collection: "cert",
                                               url: "http://127.0.0.1:\(try FeedWorld.closedPort())/r/collections/gone/", auth: .none)
        do {
            try await app.test(.live) { _ in
                var runs: [TAXIIFeedRunRecord] = []
                for _ in 0..<100 {
                    runs = try await w.cases.runs(feedID: feed.id)
                    if !runs.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(runs.count == 1 && runs.first?.startedBy == TAXIIFeedScheduler.actorID && runs.first?.result == "error", "\(runs)")
                // Not due again for an hour: the failing feed is not retried at every look.
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await w.cases.runs(feedID: feed.id).count == 1)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("Issue 14 item 3: a feed's history keeps its newest 100 runs", arguments: TestDatabases.engines)
    func historyBounded(_ engine: TestDatabases.Engine) async throws {
        try await FeedWorld.with(engine) { w in
            let feed = try await w.cases.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/x/", auth: .none)
            let store = TAXIIFeedStore(w.services.db, evidenceKey: w.services.evidence.key)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for i in 0..<(TAXIIFeedStore.keptRuns + 5) {
                let at = start.addingTimeInterval(TimeInterval(i * 60))
                try await w.services.db.transaction { s in
                    try await store.appendRun(feed: feed.id, startedAt: at, endedAt: at, startedBy: "test", error: nil, pages: i, added: 0, on: s)
                }
            }
            let runs = try await w.cases.runs(feedID: feed.id)
            #expect(runs.count == TAXIIFeedStore.keptRuns)
            #expect(runs.first?.pages == TAXIIFeedStore.keptRuns + 4 && runs.last?.pages == 5, "newest first, the oldest five gone")
        }
    }
}
