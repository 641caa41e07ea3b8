import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// Issue #17 item 3 from the command line, on SQLite and PostgreSQL: `tekigo catalog import FILE.csv --id … --name …`
/// (a bad table: every problem with row and column in Japanese, nothing stored; the documented example imported) and
/// `tekigo org regime` (shown, set once with its audit entry, an unknown value refused with nothing changed).
@Suite("tekigo catalog import of an item table and tekigo org regime (#17 item 3)")
struct JapaneseStandardCLITests {
    @Test("#17 item 3: the item table from the CLI and the organization's regime", arguments: TestDatabases.engines)
    func itemTableAndRegime(engine: TestDatabases.Engine) async throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-atla")
        let location = try await TestDatabases.fresh(engine)
        let where_ = TestDatabases.cliArguments(location, dataDir: dataDir)
        func tekigo(_ args: String...) throws -> ProcessResult {
            try runProcess(binary, args + where_, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        let bad = dataDir.appendingPathComponent("bad.csv")
        try Data("item_id,section,title_ja,sp800_171_r2,relation\n付紙第1項,付紙第1項,題,3.1.99,equal\n付紙第1項,付紙第1項,,,\n".utf8).write(to: bad)
        let refused = try tekigo("catalog", "import", bad.path, "--id", "atla-example", "--name", "例示", "--lang", "ja")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("2 件の問題があるため、何も取り込んでいません") && refused.stderr.contains("2 行目、列 sp800_171_r2（D 列）")
                && refused.stderr.contains("3 行目、列 item_id（A 列）"), "\(refused.stderr)")
        let noName = try tekigo("catalog", "import", bad.path, "--id", "atla-example", "--lang", "en")
        #expect(noName.status == 2 && noName.stderr.contains("--name"))
        let example = TestEnvironment.packageRoot.appendingPathComponent("docs/examples/japanese-standard-items.example.csv").path
        let done = try tekigo("catalog", "import", example, "--id", "atla-example", "--name", "防衛産業サイバーセキュリティ基準（例示）",
                              "--lang", "ja")
        #expect(done.status == 0 && done.stdout.contains("項目 4 件、細目 2 件、SP 800-171 への対応付け 11 件"), "\(done.stderr)")
        // The same table as an OSCAL catalog: told by content, named by its title when --name is left out.
        let oscal = TestEnvironment.packageRoot.appendingPathComponent("docs/examples/japanese-standard-items.example.oscal.json").path
        let fromOSCAL = try tekigo("catalog", "import", oscal, "--id", "atla-oscal", "--lang", "en")
        #expect(fromOSCAL.status == 0 && fromOSCAL.stdout.contains("→ atla-oscal: 4 items, 2 sub-items, 11 mappings to SP 800-171")
                && fromOSCAL.stdout.contains("（例示）防衛産業サイバーセキュリティ基準 項目表"), "\(fromOSCAL.stdout) \(fromOSCAL.stderr)")
        let badOSCAL = dataDir.appendingPathComponent("bad.oscal.json")
        try Data(String(contentsOfFile: oscal, encoding: .utf8).replacingOccurrences(of: "\"3.5.3\"", with: "\"3.5.99\"").utf8).write(to: badOSCAL)
        let refusedOSCAL = try tekigo("catalog", "import", badOSCAL.path, "--id", "atla-oscal-bad", "--lang", "en")
        #expect(refusedOSCAL.status == 1 && refusedOSCAL.stderr.contains("control 'i3-2-a' (付紙第3項（2）ア), column sp800-171r2"),
                "\(refusedOSCAL.stderr)")
        let imports = try tekigo("catalog", "imports", "--format", "json")
        #expect(imports.stdout.contains("atla-example") && imports.stdout.contains("atla-oscal") && !imports.stdout.contains("atla-oscal-bad"))

        let db = try await TekigoDatabase.open(location)
        let owner = try await AccountStore(db).createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await AccountStore(db).createOrganization(name: "株式会社サンプル精機", owner: owner.id)
        #expect(try tekigo("org", "regime", "--org", "株式会社サンプル精機").stdout.hasPrefix("us\t"))
        let wrong = try tekigo("org", "regime", "--org", "株式会社サンプル精機", "mars", "--lang", "ja")
        #expect(wrong.status == 2 && wrong.stderr.contains("「mars」は適用基準の値ではありません"))
        let set = try tekigo("org", "regime", "--org", "株式会社サンプル精機", "japanese", "--lang", "ja")
        #expect(set.status == 0 && set.stdout.contains("日本: 防衛産業サイバーセキュリティ基準"), "\(set.stderr)")
        #expect(try await AccountStore(db).organization(id: org.id)?.regime == .japanese)
        let actions = try await db.sql.select().column("action").column("actor").from("audit_log").where("organization_id", .equal, org.id)
            .all().map { "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "actor", as: String.self))" }
        #expect(actions == ["organization.regime-changed cli"])
        await db.close()
    }
}
