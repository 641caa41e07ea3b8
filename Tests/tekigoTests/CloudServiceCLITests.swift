import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo cloud use REF --org ORG --system NAME --information cui` and `tekigo cloud services --org ORG [--format json]`
/// (issue 15 item 3): a service recorded with its system, listed with its standing (not in the registry, (c)–(g)
/// missing) as JSON and as a table in Japanese; a bad reference and a second use of the same one exit 1 saying why.
@Suite("tekigo cloud services (command line)")
struct CloudServiceCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Issue 15 item 3: cloud use records a service with its system; cloud services lists it as JSON and a Japanese table; a bad or repeated reference exits 1")
    func useAndList() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cloud-services")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        _ = try await TenantStore(db, organizationID: org.id).createSystem(SystemProfile(name: "図面管理"), by: Actor(id: u.id, sourceIP: "cli"))
        await db.close()

        let used = try tekigo(["cloud", "use", "other:社内ファイル共有", "--org", "株式会社サンプル精機", "--system", "図面管理",
                               "--information", "cui", "--data-dir", dir.path])
        #expect(used.status == 0, "\(used.stderr)")
        let list = try tekigo(["cloud", "services", "--org", "株式会社サンプル精機", "--format", "json", "--data-dir", dir.path])
        #expect(list.status == 0, "\(list.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(json.count == 1 && json[0]["ref"] as? String == "other:社内ファイル共有" && json[0]["systems"] as? [String] == ["図面管理"])
        #expect(json[0]["inRegistry"] as? Bool == false && json[0]["satisfied"] as? Bool == false)
        let table = try tekigo(["cloud", "services", "--org", "株式会社サンプル精機", "--data-dir", dir.path], lang: "ja")
        #expect(table.status == 0 && table.stdout.contains("登録情報にありません") && table.stdout.contains("契約上の根拠が記録されていません"), "\(table.stdout)")
        let bad = try tekigo(["cloud", "use", "dropbox", "--org", "株式会社サンプル精機", "--information", "cui", "--data-dir", dir.path])
        #expect(bad.status == 1 && bad.stderr.contains("does not name a cloud service"))
        let again = try tekigo(["cloud", "use", "other:社内ファイル共有", "--org", "株式会社サンプル精機", "--information", "cui",
                                "--data-dir", dir.path], lang: "ja")
        #expect(again.status == 1 && again.stderr.contains("既に登録済み"))
    }
}
