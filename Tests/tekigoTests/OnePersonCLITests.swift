import Foundation
import Testing
import TekigoTestSupport

/// Issue 17's done-when on the command line, in Japanese: a new organization from nothing to a complete assessment
/// by (a) the guided walk with guidance shown, (b) an .xlsx round trip of all 320 objectives, and (c) this year's
/// assessment started from last year's.
@Suite("The one-person shop on the command line (issue 17 done-when)")
struct OnePersonCLITests {
    let binary: URL
    let root: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        root = try TestEnvironment.temporaryDirectory("tekigo-one-person")
    }

    @discardableResult
    func tekigo(_ args: [String], input: String? = nil) throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", "ja"], environment: [
            "LANG": "C.UTF-8", "TEKIGO_DATABASE_URL": "", "TEKIGO_DATA_DIR": root.appendingPathComponent("data").path,
        ], input: input)
    }

    static func asks(_ requirement: String) throws -> String {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoCore/Resources/guidance/sp800-171r2/3.1.json")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let requirement = try #require((file["requirements"] as? [String: Any])?[requirement] as? [String: Any])
        return try #require((requirement["asks"] as? [String: String])?["ja"])
    }

    @Test("Issue 17 done-when: from nothing to 320/320 in Japanese — the walk with guidance, the workbook for the rest, then next year's assessment from this one with every answer to review",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"))
    func nothingToComplete() throws {
        let last = root.appendingPathComponent("2025")
        let created = try tekigo(["init", last.path, "--org", "有限会社テスト精工", "--system", "生産管理システム", "--date", "2025-12-05"])
        try #require(created.status == 0, "\(created.stderr)")

        // (a) The guided walk: 3.1.1's guidance first, then its six objectives answered with a note each.
        let walk = try tekigo(["assess", "--dir", last.path], input: String(repeating: "m\n規程どおり運用\n", count: 6) + "q\n")
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(walk.stdout.contains(try Self.asks("3.1.1")))
        #expect(walk.stdout.contains("対応の方法（費用の低い順）") && walk.stdout.contains("評価者が試すこと"))
        #expect(walk.stdout.contains("回答済み 6/320"))

        // (b) The rest in Excel: exported, every unanswered row set to 適合 in openpyxl, imported back.
        let file = root.appendingPathComponent("回答.xlsx")
        let export = try tekigo(["assess", "export", "--out", file.path, "--dir", last.path])
        try #require(export.status == 0, "\(export.stderr)")
        try WorkbookEdits.edit(try Data(contentsOf: file), all: "適合").write(to: file)
        let imported = try tekigo(["assess", "import", file.path, "--dir", last.path, "--by", "佐藤 一人"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let status = try tekigo(["status", "--dir", last.path])
        #expect(status.stdout.contains("回答済み 320/320"), "\(status.stdout)")

        // (c) Next year's assessment from this one: complete at once, every answer marked for review.
        let this = root.appendingPathComponent("2026")
        let carried = try tekigo(["assess", "new", "--from", last.path, "--dir", this.path, "--date", "2026-12-07"])
        try #require(carried.status == 0, "\(carried.stderr)")
        #expect(try tekigo(["status", "--dir", this.path]).stdout.contains("回答済み 320/320"))
        let review = try tekigo(["assess", "review", "--dir", this.path])
        #expect(review.stdout.contains("前回から引き継ぎ・要確認: 320 件"), "\(review.stdout)")
        // A person confirms 3.1.1 as it is and changes 3.1.2: 320 − 6 − 2 remain.
        #expect(try tekigo(["assess", "confirm", "3.1.1", "--dir", this.path]).status == 0)
        #expect(try tekigo(["assess", "set", "3.1.2", "met", "--note", "今年は権限を見直した", "--dir", this.path, "--force"]).status == 0)
        let after = try tekigo(["assess", "review", "--dir", this.path])
        #expect(after.stdout.contains("前回から引き継ぎ・要確認: 312 件"), "\(after.stdout)")
        #expect(!after.stdout.contains("3.1.1[a]") && !after.stdout.contains("3.1.2[a]"))
        // Last year's folder is left as it was.
        #expect(try tekigo(["assess", "review", "--dir", last.path]).stdout.contains("確認待ちの評価目標はありません"))
    }
}
