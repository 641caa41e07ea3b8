import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo taxii subscribe | feeds | pull` (issue 14 items 3 and 7) without an outside server: the secret comes from an
/// environment variable and is never printed; a pull that cannot reach the server prints the run with its error, exits
/// 1, and the feed's status shows the error. (Pulling from a real server: TAXIIFeedPullTests, against medallion.)
@Suite("tekigo taxii (command line)")
struct TAXIIPullCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", "en"],
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": "", "TEKIGO_EVIDENCE_KEY": Data(repeating: 7, count: 32).base64EncodedString()].merging(env) { $1 })
    }

    @Test("Issue 14 item 7: tekigo taxii subscribe never prints the secret; pull of an unreachable feed prints the error and exits 1; feeds shows it")
    func subscribeAndPull() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-taxii-cli")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        let store = ThreatIntelStore(db)
        let community = try await store.createCommunity(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
        try await store.addMember(community.id, organization: org.id, role: .administrator, listed: true, cuiAuthorized: false)
        let collection = try await store.createCollection(in: community.id, title: "From the CERT", description: "", alias: "cert")
        try await store.setAccess(collection: collection.id, organization: org.id, canRead: true, canWrite: true)
        await db.close()
        let d = ["--data-dir", dir.path]

        let plainHTTP = try tekigo(["taxii", "subscribe", "--org", org.id, "--community", "dib-isac", "--collection", "cert",
                                    "--url", "http://taxii.example.org/r/collections/abc/"] + d)
        #expect(plainHTTP.status == 1 && plainHTTP.stderr.contains("https"), "\(plainHTTP.stderr)")

        let sub = try tekigo(["taxii", "subscribe", "--org", org.id, "--community", "dib-isac", "--collection", "cert",
                              "--url", "http://127.0.0.1:1/r/collections/abc/", "--user", "feed", "--password-env", "FEED_PW"] + d,
                             env: ["FEED_PW": "s3cret-value"])
        #expect(sub.status == 0, "\(sub.stderr)")
        #expect(!sub.stdout.contains("s3cret-value") && !sub.stderr.contains("s3cret-value"))
        let feed = try #require(try JSONSerialization.jsonObject(with: Data(sub.stdout.utf8)) as? [String: Any], "\(sub.stdout)")
        let id = try #require(feed["id"] as? String)
        #expect(feed["auth"] as? String == "basic" && feed["collection"] as? String == "cert")

        let pull = try tekigo(["taxii", "pull", id] + d)
        #expect(pull.status == 1, "\(pull.stdout) \(pull.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(pull.stdout.utf8)) as? [String: Any], "\(pull.stdout)")
        #expect(run["result"] as? String == "error" && run["added"] as? Int == 0)

        let feeds = try tekigo(["taxii", "feeds", "--org", org.id] + d)
        #expect(feeds.status == 0, "\(feeds.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(feeds.stdout.utf8)) as? [[String: Any]], "\(feeds.stdout)")
        #expect(list.count == 1 && list.first?["lastResult"] as? String == "error")
        #expect(!feeds.stdout.contains("s3cret-value"))

        let unknown = try tekigo(["taxii", "pull", "no-such-feed"] + d)
        #expect(unknown.status == 1 && unknown.stderr.contains("no-such-feed"), "\(unknown.stderr)")
    }
}
