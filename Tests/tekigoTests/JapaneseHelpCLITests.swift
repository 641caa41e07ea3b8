import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// Issue 17 item 6, "no English in Japanese mode", for the command line: the real `tekigo` binary's `--help` for the
/// root and every subcommand under LANG=ja_JP.UTF-8 has no line of English prose, ArgumentParser's own words
/// (USAGE:, OPTIONS:, "Show help information.", parse errors) included; under LANG=C.UTF-8 the English help keeps its
/// shape. The command tree is read from the English help's SUBCOMMANDS lists, so a command added later is checked too.
/// No database is touched: help and parse errors are decided before any storage is opened.
@Suite("Issue 17 item 6: the command line's help and parse errors in Japanese")
struct JapaneseHelpCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": lang, "LC_ALL": "", "COLUMNS": "100",
                                                   "TEKIGO_DATABASE_URL": "", "TEKIGO_DATA_DIR": ""])
    }

    /// Every command path below the root (["assess"], ["assess", "set"], …), from the English SUBCOMMANDS lists.
    func commandPaths() throws -> [[String]] {
        var found: [[String]] = []
        var queue: [[String]] = [[]]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let r = try tekigo(path + ["--help"], lang: "C.UTF-8")
            try #require(r.status == 0, "tekigo \(path.joined(separator: " ")) --help: \(r.stderr)")
            for name in Self.subcommands(inHelp: r.stdout) where name != "help" {
                found.append(path + [name])
                queue.append(path + [name])
            }
        }
        return found
    }

    /// The names in a help text's SUBCOMMANDS section (each line that starts with two spaces and a name).
    static func subcommands(inHelp help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" { inSection = true; continue }
            guard inSection else { continue }
            if line.isEmpty { break }
            // "  name  abstract" (a name is never indented further than two spaces; wrapped abstracts are).
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.dropFirst(2).split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    /// Lines of `text` that read as English prose: three or more lowercase-led ASCII words in a row, separated by
    /// single spaces (a comma ends a run), once the parts that are names rather than prose are removed — option names (--org, -h),
    /// metavariables (<id>), quoted and back-quoted literals, example command lines (from "tekigo " to the line's
    /// end), file paths and URLs, ArgumentParser's lists of allowed and default values. Acronyms (JSON, NIST SP) and
    /// ids (sp800-171r2, 3.1.1[a], in-progress) do not count as prose words.
    static func englishProse(in text: String) -> [String] {
        let removals = [
            #"tekigo .*$"#,                 // usage and example command lines
            #"`[^`]*`"#, #"(?<!\w)'[^']*'"#, #"\"[^\"]*\""#,
            #"<[^>]*>"#,
            #"(?<![\w])--?[A-Za-z][\w-]*(=\S*)?"#,
            #"\S*[/$@]\S*"#,                // paths, URLs, $VARIABLES, e-mail addresses
            #"\((既定値|選択肢|values|default)[^)]*\)"#,
        ]
        let word = try! NSRegularExpression(pattern: #"^\(?[A-Za-z][a-z'’]*[.,;:?!)]*$"#)
        var hits: [String] = []
        for line in text.split(separator: "\n") {
            var stripped = String(line)
            for pattern in removals {
                stripped = stripped.replacingOccurrences(of: "(?m)" + pattern, with: " ¶ ", options: .regularExpression)
            }
            var run = 0
            var longest = 0
            // Split on single spaces: two spaces (a column gap) or a removed part end a run.
            for token in stripped.split(separator: " ", omittingEmptySubsequences: false) {
                let t = String(token)
                if !t.isEmpty, word.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil {
                    run += 1
                    longest = max(longest, run)
                    // A comma or semicolon ends a run: "basic, medium, high" is a list of values, not a sentence.
                    if t.hasSuffix(",") || t.hasSuffix(";") { run = 0 }
                } else {
                    run = 0
                }
            }
            if longest >= 3 { hits.append(String(line)) }
        }
        return hits
    }

    @Test("issue 17 item 6: the prose check catches an untranslated help string (negative sample)")
    func proseCheckFailsOnEnglish() throws {
        // A Japanese help with one option left in English, as an untranslated `help:` would print it.
        let sample = """
            概要: 判定を記録します。

            オプション:
              --org <org>             組織: その ID、又は正確な名前。
              --note <note>           Rationale: why this status.
            """
        #expect(Self.englishProse(in: sample) == ["  --note <note>           Rationale: why this status."])
        // ArgumentParser's own words, if HelpFrame stopped translating them.
        #expect(Self.englishProse(in: "  -h, --help              Show help information.").count == 1)
        #expect(Self.englishProse(in: "Error: Missing expected argument '<id>'").count == 1)
        // What must not count: ids, acronyms, value lists, examples, metavariables.
        #expect(Self.englishProse(in: """
              --format <format>       table 又は json。 (既定値: table)
              --status <status>       open | in-progress | completed（--status）
              例: tekigo cloud search Microsoft 365 --format json
              NIST SP 800-171 / CMMC と FedRAMP Marketplace の JSON API
            """).isEmpty)
        // The real English help fails the check: it is what the Japanese help must not look like.
        let english = try tekigo(["assess", "set", "--help"], lang: "C.UTF-8")
        #expect(english.status == 0)
        #expect(Self.englishProse(in: english.stdout).count >= 5)
    }

    @Test("issue 17 item 6: under LANG=ja_JP.UTF-8 the root's and every subcommand's --help has no English prose")
    func everyHelpIsJapanese() throws {
        let paths = try commandPaths()
        // The tree as it stands (assess's subcommands, cloud's nested ones): a broken walk would check almost nothing.
        #expect(paths.count >= 60, "only \(paths.count) commands found")
        #expect(paths.contains(["cloud", "ismap", "add"]))
        var failures: [String] = []
        for path in [[]] + paths {
            let r = try tekigo(path + ["--help"], lang: "ja_JP.UTF-8")
            let name = (["tekigo"] + path).joined(separator: " ")
            guard r.status == 0 else { failures.append("\(name) --help exited \(r.status): \(r.stderr)"); continue }
            #expect(r.stdout.contains("使い方: "), "\(name): no 使い方: line")
            #expect(r.stdout.contains("ヘルプを表示します。"), "\(name): ArgumentParser's -h line is not in Japanese")
            for line in Self.englishProse(in: r.stdout) { failures.append("\(name): \(line)") }
        }
        #expect(failures.isEmpty, "English prose in Japanese help:\n\(failures.joined(separator: "\n"))")
    }

    @Test("issue 17 item 6: under LANG=C.UTF-8 the English help keeps its shape and options")
    func englishHelpUnchangedInShape() throws {
        let root = try tekigo(["--help"], lang: "C.UTF-8")
        #expect(root.status == 0)
        #expect(root.stdout.hasPrefix("OVERVIEW: Tekigo (適合) — NIST SP 800-171 / CMMC"))
        #expect(root.stdout.contains("\nUSAGE: tekigo <subcommand>\n"))
        #expect(root.stdout.contains("\nOPTIONS:\n  --version               Show the version.\n  -h, --help              Show help information.\n"))
        #expect(root.stdout.contains("\n  See 'tekigo help <subcommand>' for detailed help."))
        let ja = try tekigo(["--help"], lang: "ja_JP.UTF-8")
        #expect(Self.subcommands(inHelp: root.stdout) == Self.subcommands(inHelp: ja.stdout.replacingOccurrences(of: "サブコマンド:", with: "SUBCOMMANDS:")))
        for path in [["assess", "set"], ["cloud", "ismap", "add"], ["serve"], ["incident", "export"]] {
            let en = try tekigo(path + ["--help"], lang: "C.UTF-8")
            let ja = try tekigo(path + ["--help"], lang: "ja_JP.UTF-8")
            let name = path.joined(separator: " ")
            #expect(en.stdout.hasPrefix("OVERVIEW: "), "\(name)")
            #expect(en.stdout.contains("\nUSAGE: tekigo \(name) "), "\(name)")
            #expect(en.stdout.contains("\nOPTIONS:\n"), "\(name)")
            #expect(!en.stdout.contains("概要") && !en.stdout.contains("使い方"), "\(name)")
            // The same options, in the same order, in both languages.
            #expect(Self.optionNames(en.stdout) == Self.optionNames(ja.stdout), "\(name)")
            #expect(Self.optionNames(en.stdout).count >= 4, "\(name)")
        }
        // --lang wins over LANG, for the help as for the output.
        let forced = try tekigo(["assess", "set", "--help", "--lang", "en"], lang: "ja_JP.UTF-8")
        #expect(forced.stdout.hasPrefix("OVERVIEW: Record a finding"))
    }

    /// The option names at the start of a help's option lines, in order.
    static func optionNames(_ help: String) -> [String] {
        help.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  -") else { return nil }  // an option's line, not its indented discussion
            let t = line.dropFirst(2)
            return String(t.prefix(while: { $0 != " " && $0 != "<" }))
        }
    }

    @Test("issue 17 item 6: a parse error (missing argument) in Japanese under LANG=ja_JP.UTF-8, English under C.UTF-8")
    func missingArgumentInJapanese() throws {
        let ja = try tekigo(["assess", "set"], lang: "ja_JP.UTF-8")
        #expect(ja.status == 64)
        #expect(ja.stdout.isEmpty)
        #expect(ja.stderr.hasPrefix("エラー: 引数 '<id>' がありません。指定してください\n"))
        #expect(ja.stderr.contains("\nヘルプ:  <id>  評価目標（3.1.1[a]）又は要件"))
        #expect(ja.stderr.contains("詳しくは 'tekigo assess set --help' を見てください。"))
        #expect(Self.englishProse(in: ja.stderr).isEmpty, "\(ja.stderr)")

        let unknown = try tekigo(["score", "--colour"], lang: "ja_JP.UTF-8")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("エラー: '--colour' というオプションはありません"))
        #expect(Self.englishProse(in: unknown.stderr).isEmpty, "\(unknown.stderr)")

        let en = try tekigo(["assess", "set"], lang: "C.UTF-8")
        #expect(en.status == 64)
        #expect(en.stderr.hasPrefix("Error: Missing expected argument '<id>'\n"))
        #expect(en.stderr.contains("See 'tekigo assess set --help' for more information."))
    }

    @Test("issue 17 item 6: command errors a person meets are in Japanese under LANG=ja_JP.UTF-8 (status, id, role, option value)")
    func userErrorsInJapanese() throws {
        let root = try TestEnvironment.temporaryDirectory("tekigo-ja-errors")
        let d = ["--data-dir", root.appendingPathComponent("data").path]
        let ws = root.appendingPathComponent("ws").path
        let initialized = try tekigo(["init", ws, "--org", "テスト株式会社", "--system", "S"] + d, lang: "ja_JP.UTF-8")
        try #require(initialized.status == 0, "\(initialized.stderr)")
        let cases: [(args: [String], says: String)] = [
            (["assess", "set", "3.1.1[a]", "done", "--dir", ws] + d, "判定 'done' はありません"),
            (["assess", "set", "3.1.1[q]", "met", "--dir", ws] + d, "のことですか?"),
            (["assess", "requirement", "3.5.3", "--mfa", "some", "--dir", ws] + d, "--mfa 'some' は使えません"),
            (["admin", "grant", "--email", "a@example.jp", "--org", "x", "--role", "boss"] + d, "役割 'boss' はありません"),
            (["serve", "--session-idle-minutes", "0"] + d, "--session-idle-minutes には"),
            (["taxii", "set", "f", "--enable", "--disable"] + d, "どちらか一方だけ"),
            (["catalog", "show", "9.9.9"] + d, "ID '9.9.9' はありません。"),
            (["catalog", "list", "--catalog", "nope"] + d, "カタログ 'nope' はありません。"),
        ]
        for c in cases {
            let r = try tekigo(c.args, lang: "ja_JP.UTF-8")
            #expect(r.status != 0 && r.stderr.contains(c.says), "\(c.args): \(r.stderr)")
            #expect(Self.englishProse(in: r.stderr).isEmpty, "\(c.args): \(r.stderr)")
            // The same error in English under C.UTF-8: the message exists in both languages, not only one.
            let en = try tekigo(c.args, lang: "C.UTF-8")
            #expect(en.status == r.status && !en.stderr.isEmpty
                    && en.stderr.range(of: "[ぁ-ヿ]", options: .regularExpression) == nil, "\(c.args): \(en.stderr)")
        }
    }

    @Test("issue 17 item 6: tekigo admin grant's last-owner refusal and its result line in Japanese", arguments: TestDatabases.engines)
    func adminGrantInJapanese(engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let where_ = TestDatabases.cliArguments(location, dataDir: try TestEnvironment.temporaryDirectory("tekigo-ja-admin"))
        let db = try await TekigoDatabase.open(location)
        let accounts = AccountStore(db)
        let owner = try await accounts.createUser(email: "owner@example.jp", displayName: "Owner", passwordHash: "x", platformAdmin: false)
        _ = try await accounts.createUser(email: "other@example.jp", displayName: "Other", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社テスト", owner: owner.id)
        await db.close()

        let refused = try tekigo(["admin", "grant", "--email", "owner@example.jp", "--org", org.id, "--role", "viewer"] + where_,
                                 lang: "ja_JP.UTF-8")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("この組織の最後の所有者です。") && refused.stderr.contains("（何も変更していません）"),
                "\(refused.stderr)")
        #expect(Self.englishProse(in: refused.stderr).isEmpty, "\(refused.stderr)")
        let nobody = try tekigo(["admin", "grant", "--email", "nobody@example.jp", "--org", org.id] + where_, lang: "ja_JP.UTF-8")
        #expect(nobody.status == 2 && nobody.stderr.contains("メールアドレスが nobody@example.jp の利用者はいません"), "\(nobody.stderr)")
        let made = try tekigo(["admin", "grant", "--email", "other@example.jp", "--org", org.id, "--role", "owner"] + where_,
                              lang: "ja_JP.UTF-8")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("other@example.jp を 株式会社テスト（\(org.id)）の"), "\(made.stdout)")
        #expect(Self.englishProse(in: made.stdout).isEmpty, "\(made.stdout)")
    }
}
