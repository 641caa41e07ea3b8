import Foundation
import Testing
import TekigoTestSupport

/// Issue 17 item 4 offline: `tekigo assess export --out FILE.xlsx` and `tekigo assess import FILE.xlsx` in an
/// assessment folder, the workbook edited in openpyxl as a person edits it in Excel, in Japanese.
@Suite("tekigo assess export / import (issue 17 item 4)")
struct AssessWorkbookCLITests {
    let binary: URL
    let folder: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        folder = try TestEnvironment.temporaryDirectory("tekigo-wb").appendingPathComponent("assessment")
    }

    @discardableResult
    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path])
    }

    func findings() throws -> String { try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8) }

    @Test("Issue 17 item 4: all 320 objectives answered through the workbook offline in Japanese; a bad status changes nothing and names its cell; a row changed in the folder after the export is a conflict",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"))
    func offlineRoundTrip() throws {
        let r = try tekigo(["init", folder.path, "--org", "テスト精機", "--date", "2026-11-27", "--lang", "ja"])
        try #require(r.status == 0, "\(r.stderr)")
        let file = folder.deletingLastPathComponent().appendingPathComponent("回答.xlsx")
        let export = try tekigo(["assess", "export", "--out", file.path, "--dir", folder.path, "--lang", "ja"])
        try #require(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("評価目標 320 件"))
        let original = try Data(contentsOf: file)

        // A misspelt status: refused in Japanese with the cell, the folder untouched.
        let before = try findings()
        try WorkbookEdits.edit(original, statuses: ["3.1.2[a]": "mett"], all: "適合").write(to: file)
        let bad = try tekigo(["assess", "import", file.path, "--dir", folder.path, "--lang", "ja"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("D8: 「mett」は状態ではありません"), "\(bad.stderr)")
        #expect(bad.stderr.contains("何も変更していません"))
        #expect(try findings() == before)

        // Every status set in the workbook: all 320 answered.
        try WorkbookEdits.edit(original, statuses: ["3.1.8[b]": "不適合"], all: "適合").write(to: file)
        let good = try tekigo(["assess", "import", file.path, "--dir", folder.path, "--lang", "ja", "--by", "山田 花子"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("320 行を確認し、320 件の評価目標を更新しました"))
        let score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        #expect(json["answered"] as? Int == 320)
        #expect(try findings().contains("by: 山田 花子"))

        // The first workbook again: its edited rows were exported before the folder changed — conflicts, nothing written.
        let answered = try findings()
        try WorkbookEdits.edit(original, statuses: ["3.1.1[a]": "該当なし"]).write(to: file)
        let stale = try tekigo(["assess", "import", file.path, "--dir", folder.path, "--lang", "en"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("I2: 3.1.1[a] was changed by someone else after this workbook was exported"), "\(stale.stderr)")
        #expect(try findings() == answered)
    }
}
