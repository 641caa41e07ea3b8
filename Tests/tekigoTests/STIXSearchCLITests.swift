import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo stix search VALUE --org ORG [--json]` (issue 14 item 6): what `stix import` stored is found by the values
/// its indicator patterns and observables carry, as JSON or a table; a value not understood exits 1 saying what the
/// search takes.
@Suite("tekigo stix search (command line)")
struct STIXSearchCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Issue 14 item 6: an imported indicator and observable found by IP (JSON and table), by domain in the pattern; nothing found exits 0; a value not understood exits 1")
    func search() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-stix-search")
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

        let indicator = "indicator--\(UUID().uuidString.lowercased())", address = "ipv4-addr--\(UUID().uuidString.lowercased())"
        let objects: [[String: Any]] = [
            ["type": "indicator", "spec_version": "2.1", "id": indicator, "created": "2026-01-01T00:00:00.000Z",
             "modified": "2026-01-01T00:00:00.000Z", "name": "C2", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
             "pattern": "[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'c2.example.net']"],
            ["type": "ipv4-addr", "spec_version": "2.1", "id": address, "value": "198.51.100.7"],
        ]
        let file = dir.appendingPathComponent("bundle.json")
        try JSONSerialization.data(withJSONObject: ["type": "bundle", "id": "bundle--\(UUID().uuidString.lowercased())", "objects": objects])
            .write(to: file)
        let imported = try tekigo(["stix", "import", file.path, "--org", "株式会社サンプル精機", "--community", "dib-isac",
                                   "--collection", "indicators", "--data-dir", dir.path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let found = try tekigo(["stix", "search", "198.51.100.7", "--org", "株式会社サンプル精機", "--json", "--data-dir", dir.path])
        #expect(found.status == 0, "\(found.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any])
        #expect((json["understood"] as? [String: Any])?["kind"] as? String == "ipv4")
        let ids = Set(((json["objects"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        #expect(ids == [indicator, address])
        #expect(((json["objects"] as? [[String: Any]]) ?? []).allSatisfy { $0["publishedBy"] as? String == "your-organization" })
        // The API's shape (GET …/sharing/search): the understood kind's label and each object's STIX JSON as stored.
        #expect(((json["understood"] as? [String: Any])?["label"] as? [String: Any])?["en"] as? String == "IPv4 address")
        #expect(((json["objects"] as? [[String: Any]]) ?? []).allSatisfy { ($0["object"] as? [String: Any])?["id"] as? String == $0["id"] as? String })

        let table = try tekigo(["stix", "search", "C2.EXAMPLE.NET", "--org", "株式会社サンプル精機", "--data-dir", dir.path], lang: "ja")
        #expect(table.status == 0 && table.stdout.contains("ドメイン名 c2.example.net") && table.stdout.contains(indicator), "\(table.stdout)")
        #expect(!table.stdout.contains(address))

        let none = try tekigo(["stix", "search", "203.0.113.1", "--org", "株式会社サンプル精機", "--data-dir", dir.path])
        #expect(none.status == 0 && none.stdout.contains("No object"))
        let bad = try tekigo(["stix", "search", "not-a-value", "--org", "株式会社サンプル精機", "--data-dir", dir.path])
        #expect(bad.status == 1 && bad.stderr.contains("CVE"), "\(bad.stderr)")
    }
}
