import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SQLKit
import Testing
import TekigoCore
import TekigoServer
import TekigoStore
import TekigoTestSupport
@testable import TekigoUseCases

/// The TAXII client (issue 14 item 3) against medallion, the OASIS reference TAXII 2.1 server, started here on
/// 127.0.0.1 with its memory backend and HTTP Basic: a feed pulls every object once, paging with a small limit; a
/// second pull takes only what was added since (resumed from X-TAXII-Date-Added-Last); a page holding a bad object is
/// refused whole, the error recorded on the feed and the resume point unchanged. Skipped when medallion is not in the
/// validators' virtualenv (scripts/validators.sh); required in CI (TEKIGO_REQUIRE_EXTERNALS=1).
enum MedallionTool {
    static var binary: URL { TestEnvironment.validatorsVenv.appendingPathComponent("bin/medallion") }
    static var run: Bool { FileManager.default.isExecutableFile(atPath: binary.path) || TestEnvironment.externalsRequired }
}

@Suite("TAXII feeds: pulling an outside TAXII 2.1 server (medallion) into a collection",
       .enabled(if: MedallionTool.run, "needs medallion in .venv-validators (scripts/validators.sh)"))
struct TAXIIFeedPullTests {
    static let media = "application/taxii+json;version=2.1"

    static func indicator(_ n: Int, pattern: String? = nil) -> [String: Any] {
        ["type": "indicator", "spec_version": "2.1", "id": "indicator--\(UUID().uuidString.lowercased())",
         "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "Outside address \(n)",
         "pattern": pattern ?? "[ipv4-addr:value = '203.0.113.\(n % 250)']", "pattern_type": "stix",
         "valid_from": "2026-01-01T00:00:00Z", "indicator_types": ["malicious-activity"]]
    }

    /// medallion on a free loopback port, serving `objects` in one collection; stopped by its PID.
    final class Medallion: @unchecked Sendable {
        let process = Process()
        let work: URL
        let port: Int
        let collection = UUID().uuidString.lowercased()
        var base: String { "http://127.0.0.1:\(port)" }
        var collectionURL: String { "\(base)/feedroot/collections/\(collection)/" }
        let authorization = "Basic " + Data("feed:feed-password".utf8).base64EncodedString()

        init(objects: [[String: Any]]) throws {
            work = try TestEnvironment.temporaryDirectory("medallion")
            let python = TestEnvironment.validatorsVenv.appendingPathComponent("bin/python")
            let found = try runProcess(python, ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
            guard let p = Int(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw MissingExternal("no free port: \(found.stderr)") }
            port = p
            let manifest = objects.enumerated().map { i, o -> [String: Any] in
                ["id": o["id"]!, "date_added": String(format: "2026-12-01T00:00:%02d.000000Z", i), "version": o["modified"]!,
                 "media_type": "application/stix+json;version=2.1"]
            }
            let base = "http://127.0.0.1:\(port)"
            let data: [String: Any] = [
                "/discovery": ["title": "Outside", "default": "\(base)/feedroot/", "api_roots": ["\(base)/feedroot/"]],
                "feedroot": ["information": ["title": "Outside ISAC", "versions": [TAXIIFeedPullTests.media], "max_content_length": 10_485_760],
                             "status": [],
                             "collections": [["id": collection, "title": "Indicators", "can_read": true, "can_write": true,
                                              "media_types": ["application/stix+json;version=2.1"], "objects": objects, "manifest": manifest]]],
            ]
            try JSONSerialization.data(withJSONObject: data).write(to: work.appendingPathComponent("data.json"))
            let config: [String: Any] = [
                "backend": ["module_class": "MemoryBackend", "module": "medallion.backends.memory_backend",
                            "filename": work.appendingPathComponent("data.json").path, "interop_requirements": false],
                "users": ["feed": "feed-password"], "taxii": ["max_page_size": 100],
            ]
            try JSONSerialization.data(withJSONObject: config).write(to: work.appendingPathComponent("config.json"))
            process.executableURL = MedallionTool.binary
            process.arguments = ["--host", "127.0.0.1", "--port", "\(port)", "--log-level", "ERROR", work.appendingPathComponent("config.json").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func request(_ path: String, method: String = "GET", body: Data? = nil) async throws -> (Int, Data) {
            var r = URLRequest(url: URL(string: path.hasPrefix("http") ? path : base + path)!)
            r.httpMethod = method
            r.setValue(TAXIIFeedPullTests.media, forHTTPHeaderField: "Accept")
            r.setValue(authorization, forHTTPHeaderField: "Authorization")
            if let body {
                r.httpBody = body
                r.setValue(TAXIIFeedPullTests.media, forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: r)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }

        func waitUntilServing() async throws {
            for _ in 0..<120 {
                if let (status, _) = try? await request("/taxii2/"), status == 200 { return }
                try await Task.sleep(for: .milliseconds(250))
            }
            throw MissingExternal("medallion did not start on port \(port)")
        }

        func post(_ objects: [[String: Any]]) async throws {
            let (status, data) = try await request(collectionURL + "objects/", method: "POST",
                                                   body: try JSONSerialization.data(withJSONObject: ["objects": objects]))
            #expect(status == 202, "medallion POST: \(status) \(String(decoding: data, as: UTF8.self))")
        }

        func stop() {
            // medallion (werkzeug) does not stop on SIGTERM: SIGKILL, by its PID.
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: work)
        }
    }

    struct Local {
        let db: TekigoDatabase
        let env: TenantEnvironment
        let caller: TAXIICaller
        let slug: String
        let collection: TAXIICollection

        func storedIDs() async throws -> [String] {
            try await db.sql.raw("SELECT object_id FROM stix_objects WHERE collection_id = \(bind: collection.id.rawValue)").all()
                .map { try $0.decode(column: "object_id", as: String.self) }
        }

        func auditCount(_ action: AuditAction) async throws -> Int {
            try await db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action.rawValue)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    func withLocal(_ engine: TestDatabases.Engine, _ body: (Local) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            let env = TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) })),
                                        library: try BuiltInLibrary.shared)
            let accounts = AccountStore(db)
            let u = try await accounts.createUser(email: "owner@example.jp", displayName: "o", passwordHash: "x", platformAdmin: false)
            let org = try await accounts.createOrganization(name: "Prime", owner: u.id).id
            let store = ThreatIntelStore(db)
            let community = try await store.createCommunity(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
            try await store.addMember(community.id, organization: org, role: .administrator, listed: true, cuiAuthorized: true)
            let collection = try await store.createCollection(in: community.id, title: "From the CERT", description: "", alias: "cert")
            try await store.setAccess(collection: collection.id, organization: org, canRead: true, canWrite: true)
            try await body(Local(db: db, env: env, caller: .commandLine(organizationID: org), slug: community.slug, collection: collection))
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    @Test("Issue 14 item 3: a feed pulls every object once with paging, then only the new ones (resumed from X-TAXII-Date-Added-Last); a bad object refuses its page and keeps the resume point",
          arguments: TestDatabases.engines)
    func pullFromMedallion(_ engine: TestDatabases.Engine) async throws {
        let first = (0..<7).map { Self.indicator($0) }
        let medallion = try Medallion(objects: first)
        defer { medallion.stop() }
        try await medallion.waitUntilServing()
        try await withLocal(engine) { local in
            // The server's address rule for feeds (loopback, where medallion listens, is allowed).
            let cases = TAXIIFeedUseCases(local.env, local.caller, addressCheck: WebhookAddressPolicy().feedCheck, pageLimit: 3)
            let feed = try await cases.subscribe(root: local.slug, collection: "cert", url: medallion.collectionURL, auth: .basic,
                                                 username: "feed", secret: "feed-password", intervalMinutes: 60)
            #expect(feed.auth == "basic" && feed.resumeAfter == nil)
            #expect(!(try encodeText(feed)).contains("feed-password"), "the secret is never shown")

            // 1. Every object once, three pages of at most 3.
            let run1 = try await cases.pull(feedID: feed.id)
            #expect(run1.result == "ok", "\(run1.error?.en ?? "")")
            #expect(run1.added == 7 && run1.pages == 3, "\(run1)")
            let ids1 = try await local.storedIDs()
            #expect(ids1.count == 7 && Set(ids1) == Set(first.map { $0["id"] as! String }))
            let resume1 = try #require(run1.resumeAfter)
            #expect(resume1.hasPrefix("2026-12-01T00:00:06"), "\(resume1)")

            // 2. Only the objects added since.
            let more = (7..<11).map { Self.indicator($0) }
            try await medallion.post(more)
            let run2 = try await cases.pull(feedID: feed.id)
            #expect(run2.result == "ok" && run2.added == 4, "\(run2)")
            let ids2 = try await local.storedIDs()
            #expect(ids2.count == 11 && Set(ids2) == Set((first + more).map { $0["id"] as! String }))
            let resume2 = try #require(run2.resumeAfter)
            #expect(resume2 > resume1)
            let again = try await cases.pull(feedID: feed.id)
            #expect(again.result == "ok" && again.added == 0, "\(again)")

            // 3. A page with a bad object (an unparseable pattern): the run's error names it, nothing of the page is stored,
            // the resume point stays.
            let bad = Self.indicator(99, pattern: "[ipv4-addr:value = ")
            let badID = bad["id"] as! String
            try await medallion.post([Self.indicator(20), bad, Self.indicator(21)])
            let run3 = try await cases.pull(feedID: feed.id)
            #expect(run3.result == "error" && run3.added == 0, "\(run3)")
            #expect(run3.error?.en.contains(badID) == true && run3.error?.ja.contains(badID) == true, "\(run3.error?.en ?? "")")
            #expect(try await local.storedIDs().count == 11)
            let status = try await cases.feed(id: feed.id)
            #expect(status.resumeAfter == resume2 && status.lastResult == "error" && status.lastError?.en.contains(badID) == true)
            #expect(status.totalAdded == 11 && status.lastAdded == 0)
            #expect(try await local.auditCount(.taxiiFeedPulled) == 4)
            #expect(try await local.auditCount(.taxiiFeedSubscribed) == 1)
        }
    }

    @Test("Issue 14 item 3: a feed URL is https, or http only to this machine, naming a collection; credentials fit the kind")
    func subscribeRefusals() throws {
        #expect(throws: TAXIIFeedError.self) { try TAXIIFeedUseCases.validatedURL("http://taxii.example.org/api/collections/abc/") }
        #expect(throws: TAXIIFeedError.self) { try TAXIIFeedUseCases.validatedURL("https://taxii.example.org/api/") }
        #expect(throws: TAXIIFeedError.self) { try TAXIIFeedUseCases.validatedURL("https://u:p@taxii.example.org/api/collections/abc/") }
        #expect(try TAXIIFeedUseCases.validatedURL("https://taxii.example.org/api/collections/abc") == "https://taxii.example.org/api/collections/abc/")
        #expect(try TAXIIFeedUseCases.validatedURL("http://127.0.0.1:9000/r/collections/abc/") == "http://127.0.0.1:9000/r/collections/abc/")
    }

    func encodeText(_ v: some Encodable) throws -> String { String(decoding: try JSONEncoder().encode(v), as: UTF8.self) }
}
