import Foundation
import SQLKit
import Testing
import TekigoStore
import TekigoTestSupport

/// The `tekigo` binary, run as a user would run it, against a fresh data directory.
@Suite("tekigo catalog (command line)")
struct CatalogCLITests {
    let binary: URL
    let dataDir: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli")
    }

    func tekigo(_ args: String...) throws -> ProcessResult {
        try runProcess(binary, args + ["--data-dir", dataDir.path],
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("`catalog show 3.6.3 --lang ja` prints a bilingual entry with its facts and mappings")
    func showJapanese() throws {
        let r = try tekigo("catalog", "show", "3.6.3", "--lang", "ja")
        #expect(r.status == 0)
        #expect(r.stdout.contains("3.6.3  インシデント対応能力のテスト"))
        #expect(r.stdout.contains("Incident response capability testing"))
        #expect(r.stdout.contains("IR.L2-3.6.3"))
        #expect(r.stdout.contains("SPRS 配点          1"))
        #expect(r.stdout.contains("03.06.03"))
        #expect(r.stdout.contains("IR-3"))
        #expect(r.stdout.contains("RS.MA"))
        #expect(r.stdout.contains("未取込み"))
        // Reading never creates the database.
        #expect(!FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("tekigo.sqlite").path))
    }

    @Test("An unknown id exits 2 and suggests close ids")
    func unknownID() throws {
        let r = try tekigo("catalog", "show", "3.1.99", "--lang", "en")
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown id '3.1.99'"))
        #expect(r.stderr.contains("Did you mean '3.1.19'"))
        let m = try tekigo("catalog", "map", "3.1.1", "--to", "sp800-99")
        #expect(m.status == 2)
        #expect(m.stderr.contains("unknown catalog 'sp800-99'"))
    }

    @Test("A withdrawn rev3 number explains where its content went")
    func withdrawn() throws {
        let r = try tekigo("catalog", "show", "03.10.03", "--lang", "en")
        #expect(r.status == 0)
        #expect(r.stdout.contains("withdrawn in rev3"))
        #expect(r.stdout.contains("incorporated into: 03.10.07"))
    }

    /// Issue #11 item 16: NIST's data links 03.13.14 nowhere; the publication's reason is shown, marked as ours.
    @Test("A withdrawn rev3 number without a NIST link shows the stated reason, labelled Tekigo-authored")
    func withdrawnReason() throws {
        let r = try tekigo("catalog", "show", "03.13.14", "--lang", "en")
        #expect(r.status == 0)
        #expect(r.stdout.contains("specific to one technology"))
        #expect(r.stdout.contains("Tekigo-authored"))
        #expect(r.stdout.contains("SP 800-171r3"))
        let ja = try tekigo("catalog", "show", "03.05.06", "--lang", "ja")
        #expect(ja.stdout.contains("SP 800-53 との整合"))
    }

    @Test("`list --format json` has one object per requirement with the documented fields")
    func listJSON() throws {
        let r = try tekigo("catalog", "list", "--format", "json", "--lang", "en")
        #expect(r.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 110)
        let first = items[0]
        for key in ["id", "family", "title", "objectives", "sprsValue", "mappings"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["id"] as? String == "3.1.1")
        #expect(first["sprsValue"] as? Int == 5)
        #expect((first["objectives"] as? [String])?.count == 6)
        let family = try tekigo("catalog", "list", "--catalog", "sp800-171r3", "--family", "SR", "--format", "csv")
        #expect(family.stdout.split(separator: "\n").count == 4)  // header + 03.17.01..03
        let badFamily = try tekigo("catalog", "list", "--family", "ZZ")
        #expect(badFamily.status == 2)
    }

    @Test("`map` shows relation, provenance and multi-hop paths")
    func map() throws {
        let r = try tekigo("catalog", "map", "3.10.3", "--to", "sp800-171r3", "--format", "json")
        #expect(r.status == 0)
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(paths.map { $0["id"] as? String } == ["03.10.07"])
        #expect(paths.first?["relation"] as? String == "subset")
        #expect(paths.first?["provenance"] as? String == "derived")
    }

    @Test("Custom catalog and crosswalk from the README example, then a bad CSV that changes nothing (and is not audited)")
    func customCatalog() async throws {
        let example = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog")
        let imp = try tekigo("catalog", "import", example.appendingPathComponent("jp-sample-catalog.json").path,
                             "--id", "jp-sample", "--lang", "en")
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("→ jp-sample: 4 entries"))
        let cw = try tekigo("catalog", "crosswalk", "import", example.appendingPathComponent("jp-sample-crosswalk.csv").path)
        #expect(cw.status == 0, "\(cw.stderr)")
        let map = try tekigo("catalog", "map", "jp-sample:JP-IA-01", "--to", "sp800-53r5", "--format", "json")
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(map.stdout.utf8)) as? [[String: Any]])
        #expect(Set(paths.compactMap { $0["id"] as? String }) == ["IA-2(1)", "IA-2(2)"])
        #expect(paths.allSatisfy { ($0["hops"] as? Int) == 2 && ($0["provenance"] as? String) == "imported" })

        let bad = dataDir.appendingPathComponent("bad.csv")
        try Data("""
            from_catalog,from_id,relation,to_catalog,to_id,rationale
            jp-sample,JP-AC-01,equal,sp800-171r2,3.1.1,ok
            jp-sample,JP-AC-09,equal,sp800-171r2,3.1.1,no such item
            jp-sample,JP-AC-02,same,sp800-171r2,3.1.2,bad relation

            """.utf8).write(to: bad)
        let r = try tekigo("catalog", "crosswalk", "import", bad.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 3:"))
        #expect(r.stderr.contains("line 4:"))
        #expect(r.stderr.contains("nothing was stored"))
        let still = try tekigo("catalog", "map", "jp-sample:JP-IA-01", "--to", "sp800-171r2", "--format", "json")
        #expect(still.stdout.contains("3.5.3"))
        // SP 800-171 3.3.1: the import that stored mappings is in the audit log (the refused one is not).
        let db = try await TekigoDatabase.openExisting(try .dataDirectory(dataDir.path))
        let audited = try await AuditLog(db).entries(organizationID: nil, limit: 100, actionPrefix: "crosswalk.")
        await db.close()
        #expect(audited.map(\.object) == ["crosswalk/jp-sample-crosswalk.csv"])
        #expect(audited.first?.actor == "cli")
    }

    @Test("Importing a file that is not a catalog fails clearly and stores nothing")
    func badImport() throws {
        let notJSON = dataDir.appendingPathComponent("x.json")
        try Data("{ not json".utf8).write(to: notJSON)
        let r = try tekigo("catalog", "import", notJSON.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("x.json: not valid JSON"))
        let missing = try tekigo("catalog", "import", dataDir.appendingPathComponent("nope.json").path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read the file"))
        let imports = try tekigo("catalog", "imports", "--format", "json")
        let list = try JSONSerialization.jsonObject(with: Data(imports.stdout.utf8)) as? [Any]
        #expect(list?.isEmpty == true)
    }
}

@Suite("tekigo catalog import of NIST's files", .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
struct CatalogCLINISTTests {
    @Test("After importing NIST's rev3 catalog, `show` prints the official wording beside our titles")
    func officialWording() throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cli")
        let file = try TestEnvironment.sharedData("nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json")
        let imp = try runProcess(binary, ["catalog", "import", file.path, "--data-dir", dir.path, "--lang", "en"])
        #expect(imp.status == 0)
        #expect(imp.stdout.contains("97 entries, 33 withdrawn entries skipped, 64 warnings"))
        #expect(imp.stderr.contains("SR-03.17.02"))
        let show = try runProcess(binary, ["catalog", "show", "03.06.03", "--data-dir", dir.path, "--lang", "ja"])
        #expect(show.stdout.contains("公式文言:"))
        #expect(show.stdout.contains("Test the effectiveness of the incident response capability"))
        #expect(show.stdout.contains("EXAMINE:"))
    }
}

/// The catalog commands follow the one database-location rule like every other command (issue #16 item 4): with
/// `--database-url` or `$TEKIGO_DATABASE_URL` they import into and read from PostgreSQL, and reading never creates or
/// migrates the schema there either.
@Suite("tekigo catalog on PostgreSQL (command line)",
       .enabled(if: TestDatabases.engines.contains(.postgres), "needs TEKIGO_TEST_POSTGRES_URL"))
struct CatalogCLIPostgresTests {
    let binary: URL
    let dataDir: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-pg")
    }

    func tekigo(_ args: [String], databaseURL: String, viaEnvironment: Bool = false) throws -> ProcessResult {
        try runProcess(binary, args + ["--data-dir", dataDir.path, "--lang", "en"] + (viaEnvironment ? [] : ["--database-url", databaseURL]),
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": viaEnvironment ? databaseURL : ""])
    }

    func url(_ location: DatabaseLocation) throws -> String {
        guard case .postgres(let url) = location else { throw MissingExternal("expected a PostgreSQL database") }
        return url
    }

    /// Whether the database has Tekigo's schema (the migration table).
    func hasSchema(_ location: DatabaseLocation) async throws -> Bool {
        let db = try await TekigoDatabase.open(location, migrate: false, maxConnections: 1)
        let present = try await db.sql.raw("SELECT to_regclass('tekigo_migration') IS NOT NULL AS present").first()?
            .decode(column: "present", as: Bool.self) ?? false
        await db.close()
        return present
    }

    @Test("`catalog import`, `list`, `show`, `imports`, `crosswalk import` and `map` work against PostgreSQL, by flag or by environment")
    func importAndList() async throws {
        let location = try await TestDatabases.fresh(.postgres)
        let db = try url(location)
        let example = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog")

        // Reading an empty database: the built-in catalogs only, and no schema is created.
        let before = try tekigo(["catalog", "list", "--catalog", "jp-sample"], databaseURL: db)
        #expect(before.status == 2 && before.stderr.contains("unknown catalog 'jp-sample'"), "\(before.stderr)")
        let builtIn = try tekigo(["catalog", "list", "--format", "json"], databaseURL: db)
        #expect(builtIn.status == 0, "\(builtIn.stderr)")
        #expect(try await !hasSchema(location), "a reading command created the schema")

        let imp = try tekigo(["catalog", "import", example.appendingPathComponent("jp-sample-catalog.json").path, "--id", "jp-sample"],
                             databaseURL: db)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("→ jp-sample: 4 entries"), "\(imp.stdout)")
        #expect(try await hasSchema(location))

        for viaEnvironment in [false, true] {
            let list = try tekigo(["catalog", "list", "--catalog", "jp-sample", "--format", "json"], databaseURL: db,
                                  viaEnvironment: viaEnvironment)
            #expect(list.status == 0, "\(list.stderr)")
            let items = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
            #expect(items?.count == 4, "environment \(viaEnvironment): \(list.stdout)")
            #expect(items?.first?["id"] as? String == "JP-AC-01")
        }
        let imports = try tekigo(["catalog", "imports", "--format", "json"], databaseURL: db, viaEnvironment: true)
        let records = try JSONSerialization.jsonObject(with: Data(imports.stdout.utf8)) as? [[String: Any]]
        #expect(records?.count == 1, "\(imports.stdout)")
        let show = try tekigo(["catalog", "show", "jp-sample:JP-IA-01"], databaseURL: db)
        #expect(show.status == 0, "\(show.stderr)")

        let cw = try tekigo(["catalog", "crosswalk", "import", example.appendingPathComponent("jp-sample-crosswalk.csv").path],
                            databaseURL: db)
        #expect(cw.status == 0, "\(cw.stderr)")
        let map = try tekigo(["catalog", "map", "jp-sample:JP-IA-01", "--to", "sp800-53r5", "--format", "json"], databaseURL: db)
        let paths = try JSONSerialization.jsonObject(with: Data(map.stdout.utf8)) as? [[String: Any]]
        #expect(Set(paths?.compactMap { $0["id"] as? String } ?? []) == ["IA-2(1)", "IA-2(2)"], "\(map.stdout)")

        // Nothing went to SQLite.
        #expect(!FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("tekigo.sqlite").path))
    }

    @Test("On a PostgreSQL database at an older schema, `catalog list` refuses, names `tekigo migrate`, and changes nothing")
    func olderSchema() async throws {
        let location = try await TestDatabases.fresh(.postgres)
        let db = try url(location)
        let older = Migrations.latest - 1
        try await OlderSchema.make(location, version: older)
        let before = try await OlderSchema.facts(location)
        let r = try tekigo(["catalog", "list"], databaseURL: db)
        #expect(r.status == 1)
        #expect(r.stderr.contains("schema version \(older)") && r.stderr.contains("tekigo migrate"), "\(r.stderr)")
        #expect(try await OlderSchema.facts(location) == before)
        let migrate = try tekigo(["migrate"], databaseURL: db)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(try await OlderSchema.facts(location).version == Migrations.latest)
        #expect(try tekigo(["catalog", "list"], databaseURL: db).status == 0)
    }
}
