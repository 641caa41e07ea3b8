import Foundation
import Testing
import TekigoTestSupport

/// Issue 17 item 3 from the command line: `tekigo export` in an assessment folder takes the regime from tekigo.yaml's
/// optional `regime:` key, `--regime` overrides it, and a value that is not a regime is an error naming its line.
@Suite("tekigo export in the folder's regime (issue 17 item 3)")
struct ExportRegimeCLITests {
    let binary: URL
    let folder: URL
    var config: URL { folder.appendingPathComponent("tekigo.yaml") }

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        folder = try TestEnvironment.temporaryDirectory("tekigo-export-regime").appendingPathComponent("assessment")
        _ = try runProcess(binary, ["init", folder.path, "--org", "株式会社テスト精機", "--date", "2026-11-27"], environment: env)
        _ = try runProcess(binary, ["assess", "set", "3.1.8[b]", "not-met", "--dir", folder.path], environment: env)
    }

    var env: [String: String] {
        ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path]
    }

    func tekigo(_ args: [String]) throws -> ProcessResult { try runProcess(binary, args + ["--dir", folder.path], environment: env) }

    /// tekigo.yaml with `regime: <value>` as its first key (after the header comments).
    func setRegime(_ value: String) throws -> Int {
        let text = try String(contentsOf: config, encoding: .utf8)
        var lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("regime:") }
        let first = try #require(lines.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty })
        lines.insert("regime: \(value)", at: first)
        try Data(lines.joined(separator: "\n").utf8).write(to: config)
        return first + 1
    }

    func ssp(_ extra: [String] = []) throws -> (status: Int32, text: String, stderr: String) {
        let r = try tekigo(["export", "ssp", "--out", "-", "--lang", "ja"] + extra)
        return (r.status, r.stdout, r.stderr)
    }

    @Test("issue 17 item 3: tekigo.yaml's regime: japanese makes the SSP the システムセキュリティ実装計画書 without SPRS or CMMC and refuses the SPRS summary; --regime us overrides it; without the key it is the US SSP; the key survives the folder being written again")
    func regimeFromConfig() throws {
        let before = try ssp()
        #expect(before.status == 0 && before.text.contains("SPRS スコア") && before.text.contains("CMMC"))
        #expect(try String(contentsOf: config, encoding: .utf8).contains("# regime (optional): japanese | us | both"))

        _ = try setRegime("japanese")
        let japanese = try ssp()
        #expect(japanese.status == 0, "\(japanese.stderr)")
        #expect(japanese.text.hasPrefix("# システムセキュリティ実装計画書") && japanese.text.contains("保護すべき情報")
                && japanese.text.contains("情報セキュリティ指定書"))
        #expect(!japanese.text.contains("SPRS") && !japanese.text.contains("CMMC"))
        let sprs = try tekigo(["export", "sprs", "--out", "-", "--lang", "en"])
        #expect(sprs.status == 2 && sprs.stderr.contains("SPRS summary is a US (DFARS) document") && sprs.stdout.isEmpty)

        // --regime overrides the folder's key, in both directions.
        let us = try ssp(["--regime", "us"])
        #expect(us.status == 0 && us.text == before.text)
        #expect(try tekigo(["export", "sprs", "--out", "-", "--regime", "both"]).status == 0)

        // Another command writes the folder again: the key stays.
        #expect(try tekigo(["assess", "set", "3.1.1[a]", "met"]).status == 0)
        #expect(try String(contentsOf: config, encoding: .utf8).contains("regime: japanese"))
        let again = try ssp()
        #expect(again.status == 0 && !again.text.contains("SPRS") && again.text.hasPrefix("# システムセキュリティ実装計画書"))
    }

    @Test("issue 17 item 3: a regime: value that is not one is an error naming tekigo.yaml's line and the allowed values, and nothing is written; --regime with another value is refused by the parser")
    func badRegime() throws {
        let line = try setRegime("mars")
        let r = try tekigo(["export", "ssp", "--lang", "en"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("tekigo.yaml") && r.stderr.contains("\(line)") && r.stderr.contains("'mars'")
                && r.stderr.contains("japanese, us, both"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("ssp-en.md").path))
        _ = try setRegime("both")
        let flag = try tekigo(["export", "ssp", "--out", "-", "--regime", "jp"])
        #expect(flag.status != 0 && flag.stderr.contains("japanese") && flag.stdout.isEmpty)
    }

    @Test("issue 17 item 3: tekigo score follows the folder's regime — japanese says whether every item is met and shows no SPRS or CMMC, both shows the two, --regime overrides the key, no key is the US table as before, json is the same under every regime")
    func scoreInRegime() throws {
        func score(_ extra: [String] = []) throws -> ProcessResult { try tekigo(["score", "--lang", "ja"] + extra) }
        let before = try score()
        #expect(before.status == 0 && before.stdout.contains("SPRS: ") && before.stdout.contains("CMMC"), "\(before.stderr)")
        #expect(!before.stdout.contains("全項目適合"))
        let json = try tekigo(["score", "--format", "json"]).stdout

        _ = try setRegime("japanese")
        let japanese = try score()
        #expect(japanese.status == 0, "\(japanese.stderr)")
        // 3.1.8[b] is not met: the requirement is not, so not every item is.
        #expect(japanese.stdout.contains("防衛産業サイバーセキュリティ基準: 全項目適合に未達（適合 0 / 110）"), "\(japanese.stdout)")
        #expect(!japanese.stdout.contains("SPRS: ") && !japanese.stdout.contains("CMMC:") && !japanese.stdout.contains("110 点到達"))
        #expect(japanese.stdout.contains("--regime both") && japanese.stdout.contains("ファミリー"))
        #expect(try tekigo(["score", "--format", "json"]).stdout == json)

        let both = try score(["--regime", "both"])
        #expect(both.status == 0 && both.stdout.contains("全項目適合に未達") && both.stdout.contains("SPRS: ") && both.stdout.contains("CMMC"))
        let us = try score(["--regime", "us"])
        #expect(us.status == 0 && us.stdout == before.stdout)
        let english = try tekigo(["score", "--lang", "en"])
        #expect(english.stdout.contains("Not all items met (0 of 110 met)") && !english.stdout.contains("SPRS: "), "\(english.stdout)")
    }
}
