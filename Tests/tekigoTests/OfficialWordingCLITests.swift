import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// Issue #17 item 2 from the command line: the first-run notice of `tekigo catalog show` while no official wording is
/// imported, and `tekigo catalog import` of NIST's CPRT export (told by content), refused when partial and alone,
/// merged after a complete import; a broken file names its element and stores nothing.
@Suite("tekigo catalog import of CPRT and the first-run notice (#17 item 2)",
       .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data (NIST's files)"))
struct OfficialWordingCLITests {
    @Test("#17 item 2: notice (ja/en) before an import, CPRT sample refused alone, merged after the rev3 OSCAL catalog, broken file refused",
          arguments: TestDatabases.engines)
    func cprtImport(engine: TestDatabases.Engine) async throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-cprt")
        let location = try await TestDatabases.fresh(engine)
        let where_ = TestDatabases.cliArguments(location, dataDir: dataDir)
        func tekigo(_ args: String...) throws -> ProcessResult {
            try runProcess(binary, args + where_, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        // Nothing imported: `catalog show` says once where NIST publishes the wording and the command that imports it.
        let ja = try tekigo("catalog", "show", "03.01.01", "--lang", "ja")
        #expect(ja.status == 0, "\(ja.stderr)")
        #expect(ja.stderr.contains("NIST の公式文") && ja.stderr.contains(OfficialWordingSources.sp800171r3)
                && ja.stderr.contains("tekigo catalog import FILE"))
        #expect(ja.stderr.components(separatedBy: "tekigo catalog import FILE").count == 2, "printed once")
        let en = try tekigo("catalog", "show", "3.1.1", "--lang", "en", "--format", "json")
        #expect(en.status == 0 && en.stderr.contains("NIST's official wording") && en.stderr.contains(OfficialWordingSources.cprt))
        #expect((try? JSONSerialization.jsonObject(with: Data(en.stdout.utf8))) != nil, "the notice stays out of the JSON")

        // `tekigo assess` (the guided walk) says it once too, before the first objective.
        let folder = dataDir.appendingPathComponent("walk")
        #expect(try tekigo("init", folder.path, "--org", "テスト精機", "--date", "2026-11-27", "--lang", "ja").status == 0)
        let walk = try runProcess(binary, ["assess", "--dir", folder.path, "--lang", "ja"] + where_,
                                  environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""], input: "q\n")
        #expect(walk.stderr.contains("NIST の公式文") && walk.stderr.contains(OfficialWordingSources.sp800171a), "\(walk.stderr)")
        #expect(walk.stderr.components(separatedBy: "tekigo catalog import FILE").count == 2, "printed once, not per requirement")

        let sample = try CPRTFixtures.rev3Sample()
        let alone = try tekigo("catalog", "import", sample.path, "--lang", "en")
        #expect(alone.status != 0)
        #expect(alone.stderr.contains("1 of the 97 requirements") && alone.stderr.contains("Nothing was imported"), "\(alone.stderr)")

        let broken = dataDir.appendingPathComponent("broken-cprt.json")
        let text = try String(contentsOf: sample, encoding: .utf8)
        try Data(text.prefix(text.count / 2).utf8).write(to: broken)
        let cut = try tekigo("catalog", "import", broken.path, "--lang", "en")
        #expect(cut.status != 0 && cut.stderr.contains("not valid JSON at line") && cut.stderr.contains("(in relationships["), "\(cut.stderr)")

        let rev3 = try TestEnvironment.sharedData("nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json")
        #expect(try tekigo("catalog", "import", rev3.path, "--lang", "en").status == 0)
        let merged = try tekigo("catalog", "import", sample.path, "--lang", "en", "--all-warnings")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("→ sp800-171r3: 1 entries"), "\(merged.stdout)")
        #expect(merged.stderr.contains("warning: element 'IR 7874' (reference)"))
        #expect(merged.stderr.contains("warning: element '03.01.13' (requirement): withdrawn"))
        // Imported: no notice; the merged objective shows.
        let shown = try tekigo("catalog", "show", "03.01.01", "--lang", "en")
        #expect(shown.status == 0 && !shown.stderr.contains("NIST's official wording"))
        let db = try await TekigoDatabase.open(location, migrate: false, maxConnections: 1)
        do {
            let t = try #require(try await SQLCatalogStore(db).officialText(catalog: .sp800171r3, entryID: "03.01.01"))
            let file = try CPRTFixtures.sampleElements()
            #expect(t.objectives.first { $0.id == "A.03.01.01.a.01" }?.prose == file["DS-A.03.01.01.a[01]"]?.text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(try await SQLCatalogStore(db).imports().map(\.sourceFile) == [sample.lastPathComponent])
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
