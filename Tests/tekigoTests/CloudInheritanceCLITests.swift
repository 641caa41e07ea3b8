import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo cloud crm import FILE --service REF --org ORG --evidence TEXT` (issue 15 item 4): the matrix imported with
/// the column read and the warnings named by row; a file of another shape exits 1 saying why.
@Suite("tekigo cloud crm import (command line)")
struct CloudInheritanceCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Issue 15 item 4: cloud crm import reads a CRM CSV (JSON and a Japanese summary with the warning's row); another shape exits 1")
    func importCRM() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cloud-crm")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        _ = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        await db.close()
        let csv = dir.appendingPathComponent("crm.csv")
        try Data("Control ID,Responsibility,Description\nAC-2,Provider,accounts\nPE-3,Inherited from pre-existing authorization,IaaS\nZZ-1,Provider,x\n".utf8)
            .write(to: csv)
        let json = try tekigo(["cloud", "crm", "import", csv.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                               "--evidence", "CRM 2026-03", "--format", "json", "--data-dir", dir.path])
        #expect(json.status == 0, "\(json.stderr)")
        let v = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(v["controls"] as? Int == 2 && v["responsibilityColumn"] as? String == "Responsibility")
        #expect((v["warnings"] as? [String])?.first?.hasPrefix("row 4:") == true)
        let ja = try tekigo(["cloud", "crm", "import", csv.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                             "--evidence", "CRM 2026-03", "--data-dir", dir.path], lang: "ja")
        #expect(ja.status == 0 && ja.stdout.contains("管理策 2 件") && ja.stdout.contains("警告 row 4"), "\(ja.stdout)\(ja.stderr)")
        let other = dir.appendingPathComponent("other.csv")
        try Data("name,price\nwidget,3\n".utf8).write(to: other)
        let bad = try tekigo(["cloud", "crm", "import", other.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                              "--evidence", "x", "--data-dir", dir.path])
        #expect(bad.status == 1 && bad.stderr.contains("Control ID"), "\(bad.stderr)")
    }
}
