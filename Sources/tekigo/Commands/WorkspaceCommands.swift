import ArgumentParser
import Crypto
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases
import TekigoWorkspace

/// Where the assessment folder is.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: .say(ja: "評価フォルダー（省略時: 現在のディレクトリ）。", en: "The assessment folder (default: the current directory)."))
    var dir: String = "."

    func workspace(_ library: Library) -> AssessmentWorkspace {
        AssessmentWorkspace(directory: URL(fileURLWithPath: dir, isDirectory: true).standardizedFileURL, library: library)
    }
}

// MARK: init

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: say(ja: "評価フォルダーを作ります: tekigo.yaml（組織、システム）、findings.yaml（評価目標ごとに 1 件）、poam.yaml。", en: "Create an assessment folder: tekigo.yaml (organization, system), findings.yaml (one entry per objective), poam.yaml."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "作成するフォルダー（省略時: 現在のディレクトリ）。", en: "The folder to create (default: the current directory).")) var folder: String = "."
    @Option(help: .say(ja: "組織名。", en: "Organization name.")) var org: String = "My Company"
    @Option(help: .say(ja: "CAGE コード（複数ならカンマ区切り）。", en: "CAGE code(s), comma-separated.")) var cage: String = ""
    @Option(help: .say(ja: "システム（SSP の対象範囲）の名前。", en: "The system (SSP scope) name.")) var system: String = "CUI enclave"
    @Option(help: .say(ja: "評価に使うカタログ（SPRS の採点には sp800-171r2 が必要）。", en: "Catalog to assess against (SPRS scoring needs sp800-171r2).")) var catalog: String = CatalogID.sp800171r2.rawValue
    @Option(help: .say(ja: "評価の種類: basic, medium, high, cmmc-l2-self。", en: "Assessment kind: basic, medium, high, cmmc-l2-self.")) var kind: String = AssessmentKind.basic.rawValue
    @Option(help: .say(ja: "評価日 YYYY-MM-DD（省略時: 今日）。", en: "Assessment date YYYY-MM-DD (default: today).")) var date: String?

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let cat = try ctx.library.catalog(CatalogID(catalog))
            guard let kind = AssessmentKind(rawValue: kind) else {
                let kinds = AssessmentKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw UserError(lang == .ja ? "評価の種類 '\(self.kind)' はありません。次のいずれかを指定してください: \(kinds)"
                                            : "unknown kind '\(self.kind)'; use one of \(kinds)", exitCode: 2)
            }
            let day: Day
            if let date {
                guard let d = Day(date) else {
                    throw UserError(lang == .ja ? "--date '\(date)' は日付ではありません（YYYY-MM-DD の形で指定してください）"
                                                : "--date '\(date)' is not a date (YYYY-MM-DD)", exitCode: 2)
                }
                day = d
            } else { day = Day(Date()) }
            let ws = AssessmentWorkspace(directory: URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL,
                                         library: ctx.library)
            let a = Assessment(
                organization: Organization(name: org, cageCodes: cage.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }),
                system: SystemProfile(name: system), catalog: cat.id, date: day, kind: kind)
            try ws.create(a)
            print(lang == .ja
                ? "\(ws.directory.path) に評価フォルダーを作成しました（\(cat.name[lang])、評価目標 \(cat.entries.flatMap(\.assessmentObjectives).count) 件）。\n次に tekigo.yaml を編集し、`tekigo assess` で回答してください。"
                : "Created an assessment folder in \(ws.directory.path) (\(cat.name[lang]), \(cat.entries.flatMap(\.assessmentObjectives).count) objectives).\nNext: edit tekigo.yaml, then answer with `tekigo assess`.")
        }
    }
}

// MARK: assess

struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: say(ja: "評価目標に回答します: 対話式（サブコマンドなし）、又は `set` と `requirement` で。", en: "Answer objectives: interactively (no subcommand), or with `set` and `requirement`."),
        subcommands: [AssessInteractive.self, AssessSet.self, AssessRequirement.self, AssessPosted.self, AssessExport.self, AssessImport.self,
                      AssessNew.self, AssessReview.self, AssessConfirm.self],
        defaultSubcommand: AssessInteractive.self)
}

struct AssessInteractive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk", abstract: say(ja: "未回答の評価目標を 1 つずつ順に回答します（`tekigo assess` の既定の動作）。", en: "Walk the unanswered objectives one by one (the default of `tekigo assess`)."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Option(help: .say(ja: "このファミリーだけ（AC, 3.1, …）。", en: "Only this family (AC, 3.1, …).")) var family: String?
    @Option(help: .say(ja: "あなたの名前。回答ごとに記録されます。", en: "Your name, recorded with each answer.")) var by: String?

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let ws = where_.workspace(ctx.library)
            var a = try ws.load()
            let catalog = try ctx.library.catalog(a.catalog)
            let entries = family.map { catalog.entries(inFamily: $0) } ?? catalog.entries
            if let family, entries.isEmpty {
                throw UserError(lang == .ja ? "\(catalog.id) にファミリー '\(family)' はありません" : "unknown family '\(family)' in \(catalog.id)", exitCode: 2)
            }
            let prompt = lang == .ja
                ? "[m] 適合  [n] 不適合  [a] 該当なし  [s] 飛ばす  [q] 終了 > "
                : "[m] met  [n] not met  [a] not applicable  [s] skip  [q] quit > "
            let guidance = try GuidanceLibrary.builtIn
            let printer = GuidancePrinter(lang: lang)
            try await OfficialWordingNotice.printIfNeeded(catalog.id, catalogs: ctx.catalogs, lang)
            outer: for e in entries {
                let official = try await ctx.catalogs?.officialText(catalog: e.catalog, entryID: e.id)
                let help = guidance.guidance(for: e)
                var shownHelp = false
                for o in e.assessmentObjectives where a.status(of: o) == .notAssessed {
                    let p = a.progress(in: catalog)
                    if !shownHelp, let help {
                        // Once per requirement, before its first unanswered objective: what it asks and how to meet it.
                        print("\n== \(e.id) \(e.title[lang]) ==")
                        printer.render(help).forEach { print($0) }
                        shownHelp = true
                    }
                    print("\n[\(p.answered)/\(p.total)] \(o)  —  \(e.id) \(e.title[lang])")
                    if let prose = official?.objectives.first(where: { $0.id == o })?.prose {
                        print("  " + (lang == .ja ? "判定: " : "Determine if: ") + prose)
                    } else if let statement = official?.statement, !statement.isEmpty, e.assessmentObjectives.count == 1 {
                        print("  " + statement)
                    }
                    if let line = printer.objective(o, of: help) { print(line) }
                    var status: FindingStatus?
                    while status == nil {
                        Swift.print(prompt, terminator: "")
                        guard let line = readLine()?.trimmed.lowercased() else { break outer }
                        switch line {
                        case "m": status = .met
                        case "n": status = .notMet
                        case "a": status = .notApplicable
                        case "s": continue outer
                        case "q": break outer
                        default: continue
                        }
                    }
                    Swift.print(lang == .ja ? "メモ（Enter で省略）> " : "Note (Enter to skip) > ", terminator: "")
                    let note = readLine()?.trimmed ?? ""
                    let finding = Finding(status: status!, rationale: note, assessedBy: by, assessedOn: Day(Date()))
                    // Saved after every answer, so stopping halfway loses nothing.
                    try ws.update { $0.findings[o] = finding }
                    a.findings[o] = finding
                }
            }
            let p = a.progress(in: catalog)
            print("\n" + (lang == .ja ? "回答済み \(p.answered)/\(p.total)" : "Answered \(p.answered)/\(p.total)"))
        }
    }
}

struct AssessSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: say(ja: "判定を記録します: `tekigo assess set 3.1.1[a] met --note \"…\" --evidence FILE`。要件の ID を指定すると、その評価目標すべてに設定します。", en: "Record a finding: `tekigo assess set 3.1.1[a] met --note \"…\" --evidence FILE`. A requirement id sets all its objectives."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "評価目標（3.1.1[a]）又は要件（3.1.1: そのすべての評価目標）。", en: "An objective (3.1.1[a]) or a requirement (3.1.1: all of its objectives).")) var id: String
    @Argument(help: .say(ja: "met（適合）, not-met（不適合）, not-applicable（該当なし）又は not-assessed（未評価）。", en: "met, not-met, not-applicable or not-assessed.")) var status: String
    @Option(help: .say(ja: "根拠: この判定にした理由。", en: "Rationale: why this status.")) var note: String?
    @Option(help: .say(ja: "証跡: ファイル（SHA-256、サイズ、日付を記録）又は URL。繰り返し指定できます。", en: "Evidence: a file (its SHA-256, size and date are recorded) or a URL. Repeatable.")) var evidence: [String] = []
    @Option(help: .say(ja: "評価した人。", en: "Who assessed it.")) var by: String?
    @Flag(help: .say(ja: "要件の ID と --note を指定したとき: 評価目標の既存の根拠を確認なしで置き換えます。", en: "With a requirement id and --note: replace objectives' existing notes without asking.")) var force = false

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            guard let st = FindingStatus(rawValue: status.lowercased()) else {
                let close = FindingStatus.allCases.map(\.rawValue).min { editDistance(status, $0) < editDistance(status, $1) }!
                let all = FindingStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw UserError(global.language == .ja
                                ? "判定 '\(status)' はありません。次のいずれかを指定してください: \(all)。'\(close)' のことですか?"
                                : "invalid status '\(status)'; use one of \(all). Did you mean '\(close)'?", exitCode: 2)
            }
            let refs = try evidence.map { try evidenceRef($0, workspace: ws.directory) }
            if let note, !force {
                // A requirement id sets every objective: ask before one note replaces several different ones.
                let a = try ws.load()
                let targets = try objectiveIDs(id, in: try ctx.library.catalog(a.catalog), library: ctx.library)
                let replaced = targets.filter { o in a.findings[o].map { !$0.rationale.isEmpty && $0.rationale != note } ?? false }
                if targets.count > 1, !replaced.isEmpty {
                    try confirmReplacingNotes(replaced, findings: a.findings, language: global.language)
                }
            }
            let objectives = try ws.update { a -> [String] in
                let catalog = try ctx.library.catalog(a.catalog)
                let targets = try objectiveIDs(id, in: catalog, library: ctx.library)
                for o in targets {
                    var f = a.findings[o] ?? Finding(status: st)
                    f.status = st
                    if let note { f.rationale = note }
                    f.evidence += refs.filter { r in !f.evidence.contains { $0.location == r.location && $0.sha256 == r.sha256 } }
                    f.assessedBy = by ?? f.assessedBy
                    f.assessedOn = Day(Date())
                    f.markReviewed()  // set by a person
                    a.findings[o] = f
                }
                return targets
            }
            print("\(objectives.joined(separator: ", ")): \(st.label[global.language])")
        }
    }
}

/// Asks on a terminal whether `--note` may replace the notes of `objectives`; refuses when the input is not a
/// terminal (a script cannot answer), naming `--force`.
func confirmReplacingNotes(_ objectives: [String], findings: [String: Finding], language: Language) throws {
    let ja = language == .ja
    var list = objectives.prefix(5).map { o in "  \(o): \(findings[o]?.rationale.prefix(60) ?? "")" }.joined(separator: "\n")
    if objectives.count > 5 { list += ja ? "\n  ほか \(objectives.count - 5) 件" : "\n  and \(objectives.count - 5) more" }
    guard isatty(STDIN_FILENO) == 1 else {
        throw UserError((ja ? "--note は次の評価目標の既存のメモを置き換えます:\n" : "--note would replace the existing notes of these objectives:\n")
            + list + "\n"
            + (ja ? "置き換えてよければ --force を付けて実行してください（端末からなら確認します）。何も変更していません。"
                : "Run again with --force to replace them (on a terminal you are asked instead). Nothing was changed."),
            exitCode: 2)
    }
    print((ja ? "--note は次の評価目標の既存のメモを置き換えます:\n" : "--note replaces the existing notes of these objectives:\n") + list)
    Swift.print(ja ? "置き換えますか？ [y/N] > " : "Replace them? [y/N] > ", terminator: "")
    let answer = readLine()?.trimmed.lowercased() ?? ""
    guard ["y", "yes", "はい"].contains(answer) else {
        throw UserError(ja ? "中止しました。何も変更していません。" : "Stopped; nothing was changed.", exitCode: 1)
    }
}

/// The objectives an id names: itself, or all of a requirement's.
func objectiveIDs(_ id: String, in catalog: Catalog, library: Library) throws -> [String] {
    if library.requirement(forObjective: id, in: catalog.id) != nil { return [id] }
    if !id.contains("["), let e = catalog[id] ?? (try? library.resolve(id, preferring: catalog.id)).flatMap({ $0.catalog == catalog.id ? $0 : nil }) {
        return e.assessmentObjectives
    }
    let all = catalog.entries.flatMap(\.assessmentObjectives)
    let close = all.filter { editDistance(id, $0) <= 2 }.prefix(3)
    let suggestions = close.map { "'\($0)'" }.joined(separator: ", ")
    throw UserError(say(ja: "'\(id)' は \(catalog.id) の評価目標でも要件でもありません"
                            + (close.isEmpty ? "。`tekigo catalog show` で確認してください" : "。\(suggestions) のことですか?"),
                        en: "'\(id)' is not an objective or requirement of \(catalog.id)"
                            + (close.isEmpty ? "; see `tekigo catalog show`" : ". Did you mean \(suggestions)?")),
        exitCode: 2)
}

/// Pins a piece of evidence: files by SHA-256, size and modification date; URLs as they are.
func evidenceRef(_ location: String, workspace: URL) throws -> EvidenceRef {
    if location.hasPrefix("http://") || location.hasPrefix("https://") { return EvidenceRef(location: location) }
    let url = URL(fileURLWithPath: location, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    let data: Data
    do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
        throw UserError(say(ja: "証跡のファイル \(location) を読めません。パスと読み取り権限を確認してください。",
                            en: "evidence file \(location) cannot be read: \(error.localizedDescription)"))
    }
    let attrs = try? FileManager.default.attributesOfItem(atPath: url.path)
    let modified = (attrs?[.modificationDate] as? Date).map(Day.init)
    let digest = Hex.sha256(data)
    // Inside the workspace, keep the path relative so the folder can move (and live in git).
    let base = workspace.standardizedFileURL.path + "/"
    let path = url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
    return EvidenceRef(location: path, sha256: digest, size: data.count, date: modified)
}

struct AssessRequirement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requirement",
        abstract: say(ja: "要件単位の回答を記録します: SSP の実装の説明と、SPRS の採点に使う入力。", en: "Record requirement-level answers: the SSP implementation statement and the SPRS scoring inputs."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "要件の ID（例: 3.5.3）。", en: "A requirement id, e.g. 3.5.3.")) var id: String
    @Option(help: .say(ja: "SSP に載せる実装の説明。", en: "The implementation statement for the SSP.")) var implementation: String?
    @Option(help: .say(ja: "3.5.3 だけ: none, remote-and-privileged-only, all-users。", en: "3.5.3 only: none, remote-and-privileged-only, all-users.")) var mfa: String?
    @Option(help: .say(ja: "3.13.11 だけ: none, not-fips-validated, fips-validated。", en: "3.13.11 only: none, not-fips-validated, fips-validated.")) var encryption: String?
    @Option(help: .say(ja: "3.1.12/13/16/17/18 だけ: その機能を許可していなければ true。", en: "3.1.12/13/16/17/18 only: true if the capability is not permitted.")) var notPermitted: Bool?
    @Option(help: .say(ja: "temporary-deficiency, enduring-exception, cio-adjudicated。none で消去。", en: "temporary-deficiency, enduring-exception, cio-adjudicated, or none to clear.")) var exception: String?
    @Option(help: .say(ja: "例外が当てはまる理由。", en: "Why the exception applies.")) var exceptionNote: String?

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            func parse<E: RawRepresentable & CaseIterable>(_ v: String?, _ name: String, _: E.Type) throws -> E? where E.RawValue == String {
                guard let v else { return nil }
                guard let e = E(rawValue: v.lowercased()) else {
                    let values = E.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UserError(global.language == .ja ? "--\(name) '\(v)' は使えません。次のいずれかを指定してください: \(values)"
                                                           : "--\(name) '\(v)' is not one of \(values)", exitCode: 2)
                }
                return e
            }
            let mfaValue = try parse(mfa, "mfa", MFAImplementation.self)
            let encValue = try parse(encryption, "encryption", EncryptionImplementation.self)
            let exValue = exception == "none" ? nil : try parse(exception, "exception", ScoringException.self)
            try ws.update { a in
                let catalog = try ctx.library.catalog(a.catalog)
                guard let e = catalog[id] ?? (try? ctx.library.resolve(id, preferring: catalog.id)).flatMap({ $0.catalog == catalog.id ? $0 : nil }) else {
                    throw UserError(global.language == .ja ? "'\(id)' は \(catalog.id) の要件ではありません" : "'\(id)' is not a requirement of \(catalog.id)", exitCode: 2)
                }
                var ans = a.answer(for: e.id)
                if let implementation { ans.implementation = implementation }
                if let mfaValue { ans.mfa = mfaValue }
                if let encValue { ans.encryption = encValue }
                if let notPermitted { ans.notPermitted = notPermitted }
                if exception != nil { ans.exception = exValue }
                if let exceptionNote { ans.exceptionNote = exceptionNote }
                if let problem = AnswerRules.problem(ans, for: e) { throw UserError("\(e.id): \(problem[global.language])", exitCode: 2) }
                a.answers[e.id] = ans
            }
            print(global.language == .ja ? "\(id) を更新しました" : "Updated \(id)")
        }
    }
}

/// 32 CFR 170.21(b): the CMMC POA&M closeout is due 180 days after the Conditional CMMC Status Date, the date the
/// results are posted. Until this date is recorded, `tekigo score` and the exports count from the assessment date
/// and say that the deadline is an estimate.
struct AssessPosted: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posted",
        abstract: say(ja: "結果を SPRS に登録した日を記録します（`tekigo assess posted 2026-12-10`。`none` で消去）。", en: "Record the date the results were posted in SPRS (`tekigo assess posted 2026-12-10`; `none` clears it)."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "結果を登録した日 YYYY-MM-DD、又は none。", en: "The date the results were posted, YYYY-MM-DD, or none.")) var date: String

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let ws = where_.workspace(ctx.library)
            let day: Day?
            if date.lowercased() == "none" { day = nil } else {
                guard let d = Day(date) else {
                    throw UserError(lang == .ja ? "'\(date)' は日付ではありません（YYYY-MM-DD、または none で消去）"
                                    : "'\(date)' is not a date (YYYY-MM-DD, or none to clear it)", exitCode: 2)
                }
                day = d
            }
            try ws.update { a in
                if let day, let problem = CMMCRules.postingProblem(day, assessed: a.date, today: Day(Date(), in: .current)) {
                    throw UserError(problem[lang], exitCode: 2)
                }
                a.resultsPostedOn = day
            }
            print(day.map { lang == .ja ? "結果の登録日を \($0) と記録しました" : "Recorded the results as posted on \($0)" }
                ?? (lang == .ja ? "結果の登録日を消去しました" : "Cleared the date the results were posted"))
        }
    }
}
