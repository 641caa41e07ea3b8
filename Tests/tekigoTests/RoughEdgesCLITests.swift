import Foundation
import Testing
import TekigoTestSupport

/// Issue 17 item 6, rough edges a new user found in the assessment folder: POA&M dates without editing YAML,
/// poam.yaml that documents itself, "did you mean" naming the key meant, YAML errors that quote one line, and
/// `assess set REQUIREMENT --note` asking before it replaces notes.
@Suite("Rough edges in the assessment folder (command line)")
struct RoughEdgesCLITests {
    let binary: URL
    let folder: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        folder = try TestEnvironment.temporaryDirectory("tekigo-rough").appendingPathComponent("assessment")
    }

    @discardableResult
    func tekigo(_ args: [String], input: String? = nil) throws -> ProcessResult {
        try runProcess(binary, args + ["--dir", folder.path], environment: [
            "LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path,
        ], input: input)
    }

    func initFolder() throws {
        let r = try runProcess(binary, ["init", folder.path, "--org", "Test Works", "--date", "2026-11-27", "--lang", "en"],
                               environment: ["LANG": "C.UTF-8"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    var poamYAML: String { (try? String(contentsOf: folder.appendingPathComponent("poam.yaml"), encoding: .utf8)) ?? "" }

    @Test("tekigo poam set REQ --due --owner --milestone DATE:TEXT plans an item through the editor's rules; the items in requirement-number order (issue 17 item 6)")
    func poamSet() throws {
        try initFolder()
        try tekigo(["assess", "set", "3.10.3", "not-met", "--note", "escorts not logged"])
        try tekigo(["assess", "set", "3.1.8", "not-met"])
        // A requirement that loses points takes the generated weakness; dates and milestones as given.
        var r = try tekigo(["poam", "set", "3.10.3", "--due", "2027-02-28", "--owner", "佐藤", "--milestone", "2027-01-15:Visitor log book",
                            "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Created the item for 3.10.3"))
        r = try tekigo(["poam", "set", "3.1.8", "--due", "2027-01-31", "--milestone", "2026-12-20:ロックアウト設定", "--lang", "ja"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3.1.8 の項目を作成しました"))
        var yaml = poamYAML
        #expect(yaml.contains("scheduledCompletion: 2027-02-28"))
        #expect(yaml.contains("owner: 佐藤"))
        #expect(yaml.contains("description: Visitor log book"))
        #expect(yaml.contains("description: ロックアウト設定"))
        // 3.1.8 before 3.10.3, though 3.10.3 was planned first.
        let first = try #require(yaml.range(of: "requirement: 3.1.8")), second = try #require(yaml.range(of: "requirement: 3.10.3"))
        #expect(first.lowerBound < second.lowerBound)
        let list = try tekigo(["poam", "list", "--lang", "en"])
        #expect(list.stdout.contains("2027-02-28"))
        #expect(list.stdout.range(of: "3.1.8")!.lowerBound < list.stdout.range(of: "3.10.3")!.lowerBound)

        // Changing one field keeps the others; a second milestone is added in date order.
        r = try tekigo(["poam", "set", "3.1.8", "--owner", "Tanaka", "--milestone", "2026-12-10:Draft the policy", "--lang", "en"])
        #expect(r.stdout.contains("Updated the item for 3.1.8"))
        yaml = poamYAML
        #expect(yaml.contains("scheduledCompletion: 2027-01-31"))
        #expect(yaml.range(of: "Draft the policy")!.lowerBound < yaml.range(of: "ロックアウト設定")!.lowerBound)

        // The editor's rules, named by the option: a bad date, a milestone without its text, an unknown status.
        r = try tekigo(["poam", "set", "3.1.8", "--due", "2027-13-01", "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--due must be a date YYYY-MM-DD"))
        r = try tekigo(["poam", "set", "3.1.8", "--milestone", "2027-01-05", "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("must be DATE:TEXT"))
        r = try tekigo(["poam", "set", "3.1.8", "--milestone", "2027-01-05:", "--lang", "en"])
        #expect(r.stderr.contains("--milestone #1 needs its text"))
        r = try tekigo(["poam", "set", "3.1.8", "--status", "done", "--lang", "ja"])
        #expect(r.stderr.contains("--status は open, in-progress, completed のいずれかです"))
        // A requirement that loses nothing has no generated text: the weakness is asked for.
        r = try tekigo(["poam", "set", "3.2.1", "--due", "2027-01-31", "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--weakness is required"))
        r = try tekigo(["poam", "set", "3.1.99", "--due", "2027-01-31", "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a requirement of sp800-171r2"))
        #expect(poamYAML == yaml, "a refused command writes nothing")
    }

    @Test("poam.yaml documents its keys in its header and `tekigo poam set --help` (issue 17 item 6)")
    func poamKeysDocumented() throws {
        try initFolder()
        let header = poamYAML.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        let help = try runProcess(binary, ["poam", "set", "--help"]).stdout
        for key in ["requirement", "weakness", "status", "scheduledCompletion", "completedOn", "owner", "resources", "milestones",
                    "description", "due", "done"] {
            #expect(header.contains(key), "header: \(key)")
            #expect(help.contains(key), "--help: \(key)")
        }
        #expect(help.contains("--milestone"))
    }

    @Test("An unknown key names the key meant (due → scheduledCompletion), and YAML errors quote the line with line and column, not the file (issue 17 item 6)")
    func keysAndYAMLErrors() throws {
        try initFolder()
        let file = folder.appendingPathComponent("poam.yaml")
        func write(_ body: String) throws { try Data(("version: 1\nitems:\n" + body).utf8).write(to: file) }
        try write("  - requirement: 3.1.8\n    weakness: no lockout\n    duedate: 2027-01-31\n")
        var r = try tekigo(["score"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("poam.yaml:5: unknown key 'duedate' in a POA&M item; did you mean 'scheduledCompletion'?"), "\(r.stderr)")
        try write("  - requirement: 3.1.8\n    weakness: no lockout\n    scheduledCompletion: 2027-01-31\n    milestones:\n"
            + "      - date: 2027-01-10\n        description: x\n")
        r = try tekigo(["score"])
        #expect(r.stderr.contains("poam.yaml:7: unknown key 'date' in a milestone; did you mean 'due'?"), "\(r.stderr)")
        try write("  - requirement: 3.1.8\n    wekness: no lockout\n")
        r = try tekigo(["score"])
        #expect(r.stderr.contains("did you mean 'weakness'?"), "\(r.stderr)")
        // Nothing close: no guess.
        try write("  - requirement: 3.1.8\n    weakness: x\n    zzz: 1\n")
        r = try tekigo(["score"])
        #expect(r.stderr.contains("unknown key 'zzz' in a POA&M item. Allowed:"), "\(r.stderr)")
        // The same in Japanese mode: no English (issue 17 item 6), the file and line as in English.
        try write("  - requirement: 3.1.8\n    weakness: no lockout\n    duedate: 2027-01-31\n")
        r = try tekigo(["score", "--lang", "ja"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("poam.yaml:5: 是正計画の項目に「duedate」というキーはありません。「scheduledCompletion」のことですか?"),
                "\(r.stderr)")
        #expect(!r.stderr.contains("unknown key") && !r.stderr.contains("did you mean"), "\(r.stderr)")
        let nowhere = try runProcess(binary, ["score", "--lang", "ja", "--dir", folder.appendingPathComponent("nowhere").path],
                                     environment: ["LANG": "C.UTF-8"])
        #expect(nowhere.status == 1 && nowhere.stderr.contains("Tekigo の評価フォルダーがありません。先にそこで `tekigo init` を実行してください"),
                "\(nowhere.stderr)")

        // A syntax error: file, line and column, the one line quoted with a caret, not the rest of the file.
        let filler = (1...40).map { "  - requirement: 3.1.\($0)\n    weakness: filler line \($0)\n" }.joined()
        try write("  - requirement: 3.1.8\n   weakness: x\n" + filler)
        r = try tekigo(["score"])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("tekigo: poam.yaml:4:4: not valid YAML") == true, "\(r.stderr)")
        #expect(lines.contains("    4 |    weakness: x"), "\(r.stderr)")
        #expect(lines.contains("           ^"), "\(r.stderr)")
        #expect(!r.stderr.contains("filler line"), "the rest of the file is not repeated")
    }

    @Test("assess set REQUIREMENT --note asks before replacing objectives' notes: refused off a terminal unless --force, asked on one (issue 17 item 6)")
    func noteOverwriteAsks() throws {
        try initFolder()
        try tekigo(["assess", "set", "3.1.1[a]", "met", "--note", "accounts listed in AD"])
        try tekigo(["assess", "set", "3.1.1[b]", "met", "--note", "service accounts listed"])
        let findings = folder.appendingPathComponent("findings.yaml")
        let before = try String(contentsOf: findings, encoding: .utf8)
        var r = try tekigo(["assess", "set", "3.1.1", "met", "--note", "one note for all", "--lang", "en"], input: "")
        #expect(r.status == 2)
        #expect(r.stderr.contains("--note would replace the existing notes of these objectives"))
        #expect(r.stderr.contains("3.1.1[a]: accounts listed in AD"))
        #expect(r.stderr.contains("--force"))
        #expect(try String(contentsOf: findings, encoding: .utf8) == before, "nothing changed")
        r = try tekigo(["assess", "set", "3.1.1", "met", "--note", "一括のメモ", "--lang", "ja"], input: "")
        #expect(r.stderr.contains("--force を付けて"))
        // The same note again, an objective, or no --note: nothing to ask.
        #expect(try tekigo(["assess", "set", "3.1.1[a]", "met", "--note", "changed one"]).status == 0)
        #expect(try tekigo(["assess", "set", "3.1.1", "not-met"]).status == 0)
        // On a terminal (script(1) gives the command a pseudo-terminal): "n" keeps the notes, "y" replaces them.
        let command = ([binary.path, "assess", "set", "3.1.1", "met", "--note", "one note for all", "--lang", "en", "--dir", folder.path])
            .map { "'" + $0 + "'" }.joined(separator: " ")
        r = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], environment: ["LANG": "C.UTF-8"], input: "n\n")
        #expect(r.stdout.contains("Replace them? [y/N]"), "\(r.stdout)")
        #expect(!(try String(contentsOf: findings, encoding: .utf8)).contains("one note for all"))
        r = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], environment: ["LANG": "C.UTF-8"], input: "y\n")
        #expect(r.status == 0, "\(r.stdout)")
        #expect((try String(contentsOf: findings, encoding: .utf8)).components(separatedBy: "note: one note for all").count - 1 == 6)
        // --force replaces without asking.
        r = try tekigo(["assess", "set", "3.1.1", "met", "--note", "forced", "--force"], input: "")
        #expect(r.status == 0)
        #expect((try String(contentsOf: findings, encoding: .utf8)).components(separatedBy: "note: forced").count - 1 == 6)
    }
}
