import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo stix import | export` (issue 14 item 7) on a server's database: the same use cases as the TAXII server —
/// an import is all or nothing and audited, a re-import changes nothing, an export is a STIX 2.1 bundle of what the
/// organization may see.
@Suite("tekigo stix (command line)")
struct STIXCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    static func indicator(_ n: Int, id: String = "indicator--\(UUID().uuidString.lowercased())") -> [String: Any] {
        ["type": "indicator", "spec_version": "2.1", "id": id, "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
         "name": "Bad address \(n)", "pattern": "[ipv4-addr:value = '198.51.100.\(n)']", "pattern_type": "stix",
         "valid_from": "2026-01-01T00:00:00Z"]
    }

    @Test("import a bundle (all or nothing, audited; a re-import changes nothing), export it back as a bundle; a bad object or an unknown collection is refused with exit 1")
    func importExport() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-stix-cli")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        let store = ThreatIntelStore(db)
        let isac = try await store.createCommunity(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
        try await store.addMember(isac.id, organization: org.id, role: .member, listed: true, cuiAuthorized: false)
        let collection = try await store.createCollection(in: isac.id, title: "Indicators", description: "", alias: "indicators")
        try await store.setAccess(collection: collection.id, organization: org.id, canRead: true, canWrite: true)
        await db.close()

        let objects = (1...3).map { Self.indicator($0) }
        let file = dir.appendingPathComponent("bundle.json")
        try JSONSerialization.data(withJSONObject: ["type": "bundle", "id": "bundle--\(UUID().uuidString.lowercased())", "objects": objects])
            .write(to: file)
        let target = ["--org", "株式会社サンプル精機", "--community", "dib-isac", "--collection", "indicators", "--data-dir", dir.path]
        let imported = try tekigo(["stix", "import", file.path] + target)
        #expect(imported.status == 0, "\(imported.stderr)")
        let status = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        #expect(status["status"] as? String == "complete" && status["totalCount"] as? Int == 3 && status["successCount"] as? Int == 3)
        #expect(try tekigo(["stix", "import", file.path] + target).status == 0, "a re-import succeeds")

        let exported = try tekigo(["stix", "export"] + target)
        #expect(exported.status == 0, "\(exported.stderr)")
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        #expect(bundle["type"] as? String == "bundle")
        let ids = ((bundle["objects"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(ids.count == 3 && Set(ids) == Set(objects.map { $0["id"] as! String }), "each object once")

        var bad = Self.indicator(9)
        bad["pattern"] = "[ipv4-addr:value = "
        let badFile = dir.appendingPathComponent("bad.json")
        try JSONSerialization.data(withJSONObject: ["type": "bundle", "id": "bundle--\(UUID().uuidString.lowercased())",
                                                    "objects": [Self.indicator(8), bad]]).write(to: badFile)
        let refused = try tekigo(["stix", "import", badFile.path] + target)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(bad["id"] as! String), "\(refused.stderr)")
        let unknown = try tekigo(["stix", "export", "--org", "株式会社サンプル精機", "--community", "dib-isac", "--collection", "nope",
                                  "--data-dir", dir.path])
        #expect(unknown.status == 1 && unknown.stderr.contains("nope"), "\(unknown.stderr)")

        let check = try await TekigoDatabase.openExisting(try DatabaseLocation.dataDirectory(dir.path))
        let added = try await check.sql.select().column("seq").from("audit_log").where("action", .equal, AuditAction.stixObjectsAdded.rawValue)
            .all().count
        let stored = try await check.sql.raw("SELECT COUNT(*) AS n FROM stix_objects").first()?.decode(column: "n", as: Int.self)
        await check.close()
        #expect(added == 2, "one entry per accepted import")
        #expect(stored == 3, "the refused file stored nothing")
    }
}
