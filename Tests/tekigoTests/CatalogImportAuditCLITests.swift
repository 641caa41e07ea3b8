import Foundation
import SQLKit
import Testing
import TekigoStore
import TekigoTestSupport

/// Issue #16: "catalog import [is] audited outside [its] transaction although docs/SECURITY.md says otherwise". The
/// command line stores an import through `CatalogUseCases.save`, as the catalogs page does: the catalog and its
/// `catalog.imported` entry in one transaction (the operator at the machine is the actor, `cli`, as for
/// `tekigo admin grant`); a file that is not stored leaves no entry.
@Suite("tekigo catalog import is audited in its transaction")
struct CatalogImportAuditCLITests {
    @Test("`catalog import` writes one catalog.imported entry with the stored catalog; a refused file writes none",
          arguments: TestDatabases.engines)
    func audited(engine: TestDatabases.Engine) async throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-audit")
        let location = try await TestDatabases.fresh(engine)
        let where_ = TestDatabases.cliArguments(location, dataDir: dataDir) + ["--lang", "en"]
        func tekigo(_ args: String...) throws -> ProcessResult {
            try runProcess(binary, args + where_, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        let example = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog")
        let imp = try tekigo("catalog", "import", example.appendingPathComponent("jp-sample-catalog.json").path, "--id", "jp-sample")
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("→ jp-sample: 4 entries"), "the output is unchanged: \(imp.stdout)")
        let notJSON = dataDir.appendingPathComponent("not.json")
        try Data("{\"catalog\": 1}".utf8).write(to: notJSON)
        #expect(try tekigo("catalog", "import", notJSON.path).status != 0)

        let db = try await TekigoDatabase.open(location, migrate: false, maxConnections: 1)
        do {
            let rows = try await db.sql.raw("SELECT actor, source_ip, action, object FROM audit_log ORDER BY seq").all()
            let entries = try rows.map { r in
                [try r.decode(column: "actor", as: String.self), try r.decode(column: "source_ip", as: String.self),
                 try r.decode(column: "action", as: String.self), try r.decode(column: "object", as: String.self)]
            }
            #expect(entries == [["cli", "local", "catalog.imported", "catalog/jp-sample"]])
            #expect(try await SQLCatalogStore(db).imports().map(\.catalogID) == ["jp-sample"])
            #expect(try await AuditLog(db).verify().isIntact)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
