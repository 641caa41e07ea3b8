import ArgumentParser
import Foundation
import TekigoCore
import TekigoWorkspace

// Issue 17 item 4: starting this year's assessment folder from last year's. The answers are copied marked
// `carriedOver` in findings.yaml (still counted for the score: they are the same answers); `assess set` or
// `assess confirm` removes the mark, `assess review` lists what still carries it.

struct AssessNew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: say(ja: "前回の評価を引き継いで評価フォルダーを作ります: `tekigo assess new --from ../2025 --dir ../2026`。", en: "Start an assessment folder from a previous one: `tekigo assess new --from ../2025 --dir ../2026`."),
        discussion: say(ja: """
        組織、システム、カタログ、全評価目標の判定・根拠・証跡、要件単位の回答、是正計画を新しいフォルダーにコピーします。
        コピーした評価目標には carriedOver（引継ぎ — 要見直し）の印が付き、変更する（`tekigo assess set`）か、
        そのまま確定する（`tekigo assess confirm`）まで残ります。まだ見直しが必要なものは `tekigo assess review` で一覧にできます。
        前回のフォルダーは変更しません。
        """, en: """
        Copies the organization, the system, the catalog, every objective's status, note and evidence, the requirement \
        answers and the POA&M into a new folder; each copied objective is marked carriedOver (carried over — review) \
        until you change it (`tekigo assess set`) or confirm it as it is (`tekigo assess confirm`). \
        `tekigo assess review` lists what still needs review. The previous folder is not changed.
        """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Option(help: .say(ja: "前回の評価: そのフォルダー、又はフォルダー内のファイル（tekigo.yaml, findings.yaml）。", en: "The previous assessment: its folder, or a file in it (tekigo.yaml, findings.yaml).")) var from: String
    @Option(help: .say(ja: "新しい評価の日付 YYYY-MM-DD（省略時: 今日）。", en: "The new assessment's date YYYY-MM-DD (default: today).")) var date: String?
    @Option(help: .say(ja: "今回の評価者（省略時: 前回の評価者）。", en: "Who assesses this time (default: the previous assessor).")) var assessor: String?
    @Option(help: .say(ja: "評価の種類: basic, medium, high, cmmc-l2-self（省略時: 前回と同じ）。", en: "Assessment kind: basic, medium, high, cmmc-l2-self (default: the previous one's).")) var kind: String?

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let ja = global.language == .ja
            var source = URL(fileURLWithPath: from).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
                throw UserError(ja ? "--from \(from) が見つかりません。前回の評価フォルダー（または その中の tekigo.yaml）を指定してください。"
                                   : "--from \(from) does not exist; name the previous assessment folder (or its tekigo.yaml).", exitCode: 2)
            }
            if !isDirectory.boolValue { source = source.deletingLastPathComponent() }
            let previousFolder = AssessmentWorkspace(directory: source, library: ctx.library)
            guard previousFolder.exists else {
                throw UserError(ja ? "\(source.path) は評価フォルダーではありません（tekigo.yaml がありません）。"
                                   : "\(source.path) is not an assessment folder (no tekigo.yaml).", exitCode: 2)
            }
            let previous = try previousFolder.load()
            let target = where_.workspace(ctx.library)
            guard target.directory.path != source.path else {
                throw UserError(ja ? "新しい評価は別のフォルダーに作ります。--dir で新しいフォルダーを指定してください。"
                                   : "The new assessment goes into another folder; name it with --dir.", exitCode: 2)
            }
            var day = Day(Date())
            if let date {
                guard let d = Day(date) else {
                    throw UserError(ja ? "--date '\(date)' は日付ではありません（YYYY-MM-DD の形で指定してください）"
                                       : "--date '\(date)' is not a date (YYYY-MM-DD)", exitCode: 2)
                }
                day = d
            }
            var next = previous
            if let kind {
                guard let k = AssessmentKind(rawValue: kind) else {
                    let kinds = AssessmentKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UserError(ja ? "評価の種類 '\(kind)' はありません。次のいずれかを指定してください: \(kinds)"
                                       : "unknown kind '\(kind)'; use one of \(kinds)", exitCode: 2)
                }
                next.kind = k
            }
            next.date = day
            next.assessor = assessor ?? previous.assessor
            next.resultsPostedOn = nil
            // Where each answer came from, as the person reading findings.yaml will look for it.
            let origin = "\(previous.date) \(source.path)"
            next.findings = previous.findings.mapValues { f in
                var copy = f
                copy.carriedOverFrom = origin
                return copy
            }
            // The folder's regime (tekigo.yaml's `regime:`) goes with it: the same firm under the same standard.
            try target.create(next, regime: try previousFolder.regime())
            let count = next.findings.count
            print(ja
                ? "\(target.directory.path) に \(previous.date) の評価から \(count) 件の回答を引き継ぎました（すべて「前回から引き継ぎ・要確認」）。\n`tekigo assess review --dir \(target.directory.path)` で確認待ちを一覧し、変えるものは `tekigo assess set`、このままでよいものは `tekigo assess confirm` で確認してください。"
                : "Carried \(count) answers over from the assessment of \(previous.date) into \(target.directory.path), each marked carried over — review.\nList them with `tekigo assess review --dir \(target.directory.path)`; change them with `tekigo assess set` or confirm them as they are with `tekigo assess confirm`.")
        }
    }
}

struct AssessReview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: say(ja: "前回の評価から引き継いだまま、まだ誰も見直していない評価目標を一覧にします。", en: "List the objectives carried over from a previous assessment that nobody has reviewed yet."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let a = try where_.workspace(ctx.library).load()
            let catalog = try ctx.library.catalog(a.catalog)
            let waiting = catalog.entries.flatMap { e in
                e.assessmentObjectives.compactMap { o in a.findings[o].flatMap { $0.needsReview ? (e, o, $0) : nil } }
            }
            guard !waiting.isEmpty else {
                print(lang == .ja ? "確認待ちの評価目標はありません。" : "No objectives left to review.")
                return
            }
            for (e, o, f) in waiting {
                let note = f.rationale.isEmpty ? "" : "  " + f.rationale.prefix(60)
                print("\(o)\t\(f.status.label[lang])\t\(e.title[lang])\(note)")
            }
            print(lang == .ja
                ? "\n前回から引き継ぎ・要確認: \(waiting.count) 件（\(waiting.first?.2.carriedOverFrom ?? "")）。変えるものは `tekigo assess set`、このままでよいものは `tekigo assess confirm ID` で確認してください。"
                : "\nCarried over — review: \(waiting.count) (\(waiting.first?.2.carriedOverFrom ?? "")). Change them with `tekigo assess set`, or confirm them as they are with `tekigo assess confirm ID`.")
        }
    }
}

struct AssessConfirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: say(ja: "引き継いだ回答をそのまま確定します: `tekigo assess confirm 3.1.1[a]`（要件の ID を指定すると、その評価目標をすべて確定）。", en: "Confirm carried-over answers as they are: `tekigo assess confirm 3.1.1[a]` (a requirement id confirms all of its objectives)."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "評価目標（3.1.1[a]）又は要件（3.1.1）。", en: "An objective (3.1.1[a]) or a requirement (3.1.1).")) var id: String

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let confirmed = try where_.workspace(ctx.library).update { a -> [String] in
                let targets = try objectiveIDs(id, in: try ctx.library.catalog(a.catalog), library: ctx.library)
                let marked = targets.filter { a.findings[$0]?.needsReview == true }
                for o in marked { a.findings[o]?.markReviewed() }
                return marked
            }
            print(global.language == .ja
                ? (confirmed.isEmpty ? "\(id): 確認待ちの回答はありません。" : "このまま確認しました: \(confirmed.joined(separator: ", "))")
                : (confirmed.isEmpty ? "\(id): nothing carried over to confirm." : "Confirmed as is: \(confirmed.joined(separator: ", "))"))
        }
    }
}
