import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo cloud import-fedramp | search | show | ismap add | list | delete` (issue 15 item 6) against a real data
/// directory (SQLite) and a real PostgreSQL database: GSA's real Marketplace file imported whole (642 products), a
/// truncated file refused with exit 1 and the previous registry kept, searching "Microsoft" and a package id, a
/// product as JSON with its links, and an ISMAP record added, listed and deleted. The command line is the operator at
/// the server, who administers the platform already (there is no non-administrator to refuse here: a person's
/// refusal is the pages' and the API's, CloudRegistryPageTests).
@Suite("tekigo cloud registry (command line)", .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
struct CloudRegistryCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    /// The command on `engine`'s fresh database: `--data-dir` for SQLite, `--database-url` for PostgreSQL.
    func tekigo(_ args: [String], _ location: DatabaseLocation, dataDir: URL, lang: String = "en") throws -> ProcessResult {
        var place = ["--data-dir", dataDir.path]
        if case .postgres(let url) = location { place += ["--database-url", url] }
        return try runProcess(binary, args + place + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Issue 15 item 6: import-fedramp of the real file (642 products, 1,750 links), a truncated file exits 1 and keeps the registry, search 'Microsoft' and a package id, show --format json with its links, ismap add / list / delete",
          arguments: TestDatabases.engines)
    func registry(_ engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dataDir: URL
        if case .sqlite(let path) = location { dataDir = URL(fileURLWithPath: path).deletingLastPathComponent() } else {
            dataDir = try TestEnvironment.temporaryDirectory("tekigo-cloud-cli-pg")
        }
        let real = try TestEnvironment.sharedData("fedramp/marketplace-data-2026-04-28.json")
        let imported = try tekigo(["cloud", "import-fedramp", real.path], location, dataDir: dataDir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("642 products, 1750 links, 0 changes"), "\(imported.stdout.prefix(400))")

        let data = try Data(contentsOf: real)
        let truncated = try TestEnvironment.temporaryDirectory("tekigo-cloud-cli-truncated").appendingPathComponent("data.json")
        try data.prefix(data.count / 2).write(to: truncated)
        let refused = try tekigo(["cloud", "import-fedramp", truncated.path], location, dataDir: dataDir, lang: "ja")
        #expect(refused.status == 1 && !refused.stderr.isEmpty && refused.stdout.isEmpty, "\(refused.stdout) \(refused.stderr)")

        let microsoft = try tekigo(["cloud", "search", "Microsoft", "--format", "json", "--limit", "500"], location, dataDir: dataDir)
        #expect(microsoft.status == 0, "\(microsoft.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(microsoft.stdout.utf8)) as? [[String: Any]])
        #expect(found.count >= 4 && found.contains { $0["packageID"] as? String == "MSO365MT" })
        let byID = try tekigo(["cloud", "search", "f1302201919"], location, dataDir: dataDir)
        #expect(byID.status == 0 && byID.stdout.contains("F1302201919") && byID.stdout.contains("Acquia"), "\(byID.stdout)")

        let show = try tekigo(["cloud", "show", "F1302201919", "--format", "json"], location, dataDir: dataDir)
        #expect(show.status == 0, "\(show.stderr)")
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect((detail["product"] as? [String: Any])?["csp"] as? String == "Acquia Inc.")
        #expect((detail["builtOnIt"] as? [Any])?.count == 2 && (detail["changes"] as? [Any])?.isEmpty == true)
        let unknown = try tekigo(["cloud", "show", "FR0000000000"], location, dataDir: dataDir)
        #expect(unknown.status == 1 && unknown.stderr.contains("no FedRAMP product 'FR0000000000'"))

        // The refused file changed nothing: still the one import of 642 products.
        let db = try await TekigoDatabase.open(location)
        #expect(try await CloudRegistryStore(db).productCount() == 642)
        #expect(try await CloudRegistryStore(db).imports().count == 1)
        await db.close()

        let add = try tekigo(["cloud", "ismap", "add", "--number", "C23-0001-2", "--service", "サンプルクラウド", "--provider", "サンプル株式会社",
                              "--scope", "IaaS", "--objectives", "統制目標", "--audit-start", "2025-04-01", "--audit-end", "2026-03-31"],
                             location, dataDir: dataDir)
        #expect(add.status == 0, "\(add.stderr)")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(add.stdout.utf8)) as? [String: Any])
        #expect(entry["validThrough"] as? String == "2027-07-31")
        let badAdd = try tekigo(["cloud", "ismap", "add", "--number", "C23-0002-1", "--service", "x", "--provider", "y", "--scope", "", "--objectives", "",
                                 "--audit-start", "2025-04-01", "--audit-end", "2025-01-01"], location, dataDir: dataDir)
        #expect(badAdd.status == 1 && badAdd.stderr.contains("auditPeriodEnd"))
        let list = try tekigo(["cloud", "ismap", "list", "--format", "json"], location, dataDir: dataDir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 1)
        let table = try tekigo(["cloud", "ismap", "list", "サンプル"], location, dataDir: dataDir, lang: "ja")
        #expect(table.status == 0 && table.stdout.contains("C23-0001-2") && table.stdout.contains("2027-07-31"))
        let deleted = try tekigo(["cloud", "ismap", "delete", "C23-0001-2"], location, dataDir: dataDir, lang: "ja")
        #expect(deleted.status == 0 && deleted.stdout.contains("削除しました"), "\(deleted.stderr)")
        let again = try tekigo(["cloud", "ismap", "delete", "C23-0001-2"], location, dataDir: dataDir)
        #expect(again.status == 1 && again.stderr.contains("There is no ISMAP record 'C23-0001-2'"))
        let empty = try tekigo(["cloud", "ismap", "list"], location, dataDir: dataDir)
        #expect(empty.status == 0 && empty.stdout.contains("none"))
    }
}
