import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo community create | add-member | add-collection | grant | list | show` (issue 14 item 4): the operator sets up
/// an ISAC on the server's database, and its member imports into the collection through `tekigo stix import`; bad
/// slugs, unknown communities and access for a non-member are refused with exit 1 and change nothing; every change is
/// audited.
@Suite("tekigo community (command line)")
struct CommunityCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    func json(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON: \(r.stdout) \(r.stderr)")
    }

    @Test("An ISAC set up from the command line: a community, a member with its standing, a collection by alias, access; the member imports into it; refusals change nothing")
    func setUpAnISAC() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-community-cli")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let member = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        _ = try await accounts.createOrganization(name: "部外者株式会社", owner: u.id)
        await db.close()
        let d = ["--data-dir", dir.path]

        let created = try tekigo(["community", "create", "--slug", "dib-isac", "--name", "防衛産業 ISAC", "--kind", "isac"] + d)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try json(created)["taxiiAPIRoot"] as? String == "/taxii2/dib-isac/")
        let taken = try tekigo(["community", "create", "--slug", "dib-isac", "--name", "Again"] + d)
        #expect(taken.status == 1 && taken.stderr.contains("dib-isac"), "\(taken.stderr)")
        let badSlug = try tekigo(["community", "create", "--slug", "DIB ISAC", "--name", "x"] + d, lang: "ja")
        #expect(badSlug.status == 1 && badSlug.stderr.contains("識別名"), "\(badSlug.stderr)")

        let added = try tekigo(["community", "add-member", "--community", "dib-isac", "--org", "株式会社サンプル精機", "--role", "administrator",
                                "--listed"] + d)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try json(added)["organizationId"] as? String == member.id)
        let noCommunity = try tekigo(["community", "add-member", "--community", "nope", "--org", "株式会社サンプル精機"] + d)
        #expect(noCommunity.status == 1 && noCommunity.stderr.contains("nope"))

        let collection = try tekigo(["community", "add-collection", "--community", "dib-isac", "--title", "Indicators", "--alias", "indicators"] + d)
        #expect(collection.status == 0, "\(collection.stderr)")
        let outsider = try tekigo(["community", "grant", "--community", "dib-isac", "--collection", "indicators", "--org", "部外者株式会社",
                                   "--read"] + d)
        #expect(outsider.status == 1 && outsider.stderr.contains("not a member"), "\(outsider.stderr)")
        let granted = try tekigo(["community", "grant", "--community", "dib-isac", "--collection", "indicators", "--org", "株式会社サンプル精機",
                                  "--read", "--write"] + d)
        #expect(granted.status == 0, "\(granted.stderr)")

        let shown = try json(try tekigo(["community", "show", "--community", "dib-isac"] + d))
        let members = try #require(shown["members"] as? [[String: Any]])
        #expect(members.count == 1 && members[0]["role"] as? String == "administrator" && members[0]["listed"] as? Bool == true)
        let collections = try #require(shown["collections"] as? [[String: Any]])
        let access = try #require(collections.first?["access"] as? [[String: Any]])
        #expect(access.count == 1 && access[0]["canWrite"] as? Bool == true, "the outsider got nothing")

        let indicator: [String: Any] = ["type": "indicator", "spec_version": "2.1", "id": "indicator--\(UUID().uuidString.lowercased())",
                                        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
                                        "pattern": "[domain-name:value = 'evil.example']", "pattern_type": "stix",
                                        "valid_from": "2026-01-01T00:00:00Z"]
        let file = dir.appendingPathComponent("b.json")
        try JSONSerialization.data(withJSONObject: ["type": "bundle", "id": "bundle--\(UUID().uuidString.lowercased())", "objects": [indicator]])
            .write(to: file)
        let imported = try tekigo(["stix", "import", file.path, "--org", "株式会社サンプル精機", "--community", "dib-isac",
                                   "--collection", "indicators"] + d)
        #expect(imported.status == 0, "\(imported.stderr)")

        let check = try await TekigoDatabase.openExisting(try DatabaseLocation.dataDirectory(dir.path))
        var counts: [AuditAction: Int] = [:]
        for action in [AuditAction.communityCreated, .communityMemberSet, .communityCollectionCreated, .communityAccessSet] {
            counts[action] = try await check.sql.select().column("seq").from("audit_log").where("action", .equal, action.rawValue).all().count
        }
        await check.close()
        #expect(counts == [.communityCreated: 1, .communityMemberSet: 1, .communityCollectionCreated: 1, .communityAccessSet: 1],
                "one entry per change, none for a refusal")
    }
}
