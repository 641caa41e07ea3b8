import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo taxii runs | set | delete` and the address rule on the command line (issue 14 items 3 and 7), for a shop's
/// script: JSON out, a feed's history, scheduled pulls off and on, the interval, deleting; a feed URL resolving to a
/// private address refused unless `--allow-network` names the range (as `tekigo serve --webhook-allow-network`).
@Suite("tekigo taxii runs | set | delete (command line)")
struct TAXIIFeedCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", "en"],
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": "",
                                     "TEKIGO_EVIDENCE_KEY": Data(repeating: 7, count: 32).base64EncodedString()])
    }

    func json(_ r: ProcessResult) throws -> Any { try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) }

    @Test("Issue 14 item 3: runs lists a feed's runs as JSON; set turns scheduled pulls off and changes the interval (refusing out of range); delete removes the feed; a private address needs --allow-network")
    func runsSetDelete() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-taxii-feed-cli")
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
        let target = ["--org", org.id, "--community", "dib-isac", "--collection", "cert"]

        let privateURL = "https://10.0.0.5/r/collections/abc/"
        let refused = try tekigo(["taxii", "subscribe"] + target + ["--url", privateURL] + d)
        #expect(refused.status == 1 && refused.stderr.contains("10.0.0.5") && refused.stderr.contains("--allow-network"), "\(refused.stderr)")
        let allowed = try tekigo(["taxii", "subscribe"] + target + ["--url", privateURL, "--allow-network", "10.0.0.0/8"] + d)
        #expect(allowed.status == 0, "\(allowed.stderr)")

        let sub = try tekigo(["taxii", "subscribe"] + target + ["--url", "http://127.0.0.1:1/r/collections/abc/", "--interval", "30"] + d)
        #expect(sub.status == 0, "\(sub.stderr)")
        let id = try #require((try json(sub) as? [String: Any])?["id"] as? String)
        #expect(try tekigo(["taxii", "pull", id] + d).status == 1)
        #expect(try tekigo(["taxii", "pull", id] + d).status == 1)

        let runs = try tekigo(["taxii", "runs", id] + d)
        let list = try #require(try json(runs) as? [[String: Any]], "\(runs.stdout) \(runs.stderr)")
        #expect(list.count == 2 && list.allSatisfy { $0["result"] as? String == "error" && $0["startedBy"] as? String == "cli" })
        let one = try #require(try json(try tekigo(["taxii", "runs", id, "--limit", "1"] + d)) as? [[String: Any]])
        #expect(one.count == 1)

        let off = try tekigo(["taxii", "set", id, "--disable", "--interval", "120"] + d)
        let offFeed = try #require(try json(off) as? [String: Any], "\(off.stdout) \(off.stderr)")
        #expect(offFeed["enabled"] as? Bool == false && offFeed["intervalMinutes"] as? Int == 120 && offFeed["nextDueAt"] == nil)
        let badInterval = try tekigo(["taxii", "set", id, "--interval", "3"] + d)
        #expect(badInterval.status == 1 && badInterval.stderr.contains("5 to 10080"), "\(badInterval.stderr)")
        #expect(try tekigo(["taxii", "set", id] + d).status != 0, "nothing to set")
        #expect(try tekigo(["taxii", "set", id, "--enable", "--disable"] + d).status != 0)
        let on = try #require(try json(try tekigo(["taxii", "set", id, "--enable"] + d)) as? [String: Any])
        #expect(on["enabled"] as? Bool == true && on["nextDueAt"] is String)

        let deleted = try tekigo(["taxii", "delete", id] + d)
        #expect(deleted.status == 0 && deleted.stdout.contains(id), "\(deleted.stderr)")
        let feeds = try #require(try json(try tekigo(["taxii", "feeds", "--org", org.id] + d)) as? [[String: Any]])
        #expect(feeds.count == 1 && feeds.first?["url"] as? String == privateURL)
        #expect(try tekigo(["taxii", "runs", id] + d).status == 1)
    }
}
