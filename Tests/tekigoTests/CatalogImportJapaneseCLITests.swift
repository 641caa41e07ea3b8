import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// Issue 17 item 6, "no English in Japanese mode", for `tekigo catalog import`: the real binary under
/// LANG=ja_JP.UTF-8 refuses a broken catalog file, an OSCAL file missing a field and a file that is not there in
/// Japanese (the file, line, column and path kept); under LANG=C.UTF-8 the English is as before. Nothing is stored.
@Suite("Issue 17 item 6: tekigo catalog import refuses in Japanese")
struct CatalogImportJapaneseCLITests {
    /// Three ASCII words in a row (single spaces) once quoted literals ('…', `…`) are taken out: English prose.
    static func englishProse(_ text: String) -> String? { JapaneseText.englishProse(text) }

    @Test("Issue 17 item 6: tekigo catalog import BROKEN.json under LANG=ja_JP.UTF-8 prints the Japanese refusal with line and column; LANG=C.UTF-8 the English; nothing stored",
          arguments: TestDatabases.engines)
    func brokenFile(_ engine: TestDatabases.Engine) async throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-import-ja")
        let location = try await TestDatabases.fresh(engine)
        let where_ = TestDatabases.cliArguments(location, dataDir: dataDir)
        func tekigo(_ lang: String, _ args: String...) throws -> ProcessResult {
            try runProcess(binary, args + where_, environment: ["LANG": lang, "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }

        // A CPRT export cut off in its second element.
        let broken = dataDir.appendingPathComponent("broken.json")
        try Data("{\"elements\": [\n  {\"element_identifier\": \"03.01.01\", \"element_type\": \"requirement\"},\n  {\"element_identifier\": \"0".utf8)
            .write(to: broken)
        let ja = try tekigo("ja_JP.UTF-8", "catalog", "import", broken.path)
        #expect(ja.status != 0)
        #expect(ja.stderr.contains("tekigo: broken.json は 3 行 ") && ja.stderr.contains("列（elements[1] の中）で正しい JSON ではなくなっています"),
                "\(ja.stderr)")
        #expect(ja.stderr.contains("何も取り込んでいません") && Self.englishProse(ja.stderr) == nil, "\(ja.stderr)")
        let en = try tekigo("C.UTF-8", "catalog", "import", broken.path)
        #expect(en.status == ja.status)
        #expect(en.stderr.contains("tekigo: broken.json: not valid JSON at line 3, column ") && en.stderr.contains("(in elements[1])")
                && en.stderr.contains("Nothing was imported; download the file again."), "\(en.stderr)")

        // An OSCAL catalog missing a control's title: the path and the field.
        let noTitle = dataDir.appendingPathComponent("no-title.json")
        let meta = #""metadata": {"title": "Example", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}"#
        try Data(#"{"catalog": {"uuid": "u", \#(meta), "groups": [{"title": "G", "controls": [{"id": "x-1"}]}]}}"#.utf8).write(to: noTitle)
        let structure = try tekigo("ja_JP.UTF-8", "catalog", "import", noTitle.path)
        #expect(structure.status != 0 && structure.stderr.contains("no-title.json の catalog.groups[0].controls[0] で必須の項目 'title' がありません"),
                "\(structure.stderr)")

        // A file that is not there (the command's own refusal before any reading).
        let absent = dataDir.appendingPathComponent("absent.json").path
        let missing = try tekigo("ja_JP.UTF-8", "catalog", "import", absent)
        #expect(missing.status != 0 && missing.stderr.contains("tekigo: \(absent) を読み込めません（ファイルがありません）"), "\(missing.stderr)")
        let missingEn = try tekigo("C.UTF-8", "catalog", "import", absent)
        #expect(missingEn.stderr.contains("tekigo: \(absent): cannot read the file ("), "\(missingEn.stderr)")

        let db = try await TekigoDatabase.open(location, maxConnections: 1)
        let imports = try await SQLCatalogStore(db).imports()
        await db.close()
        #expect(imports.isEmpty)
    }
}
