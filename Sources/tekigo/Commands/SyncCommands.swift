import ArgumentParser
import Foundation
import TekigoCore
import TekigoWorkspace

/// `tekigo remote set|show`, `tekigo pull`, `tekigo push` (issue 17 item 4): the assessment folder and a server's
/// assessment kept in step through the API with a token. The rule (three-way, per objective) is
/// `FindingSyncRule` in TekigoCore; the folder's side (link, sync state, applying) is `AssessmentWorkspace` in
/// TekigoWorkspace; these commands read the token, call them and print.

/// `tekigo pull` exits with this code while conflicts remain (0: everything in step or resolved; 1: an error).
let syncConflictExitCode: Int32 = 3

struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: say(ja: "この評価フォルダーを同期するサーバーの評価を設定・表示します（tekigo pull / push の相手）。",
                      en: "Link this assessment folder to an assessment on a server (what tekigo pull / push sync with), or show the link."),
        subcommands: [RemoteSet.self, RemoteShow.self])
}

struct RemoteSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: say(ja: "フォルダーをサーバーの評価に結び付けます: tekigo remote set https://tekigo.example.co.jp --org ORG --assessment ID",
                      en: "Link the folder to a server assessment: tekigo remote set https://tekigo.example.co.jp --org ORG --assessment ID"),
        discussion: say(
            ja: """
                .tekigo/remote.yaml に保存します（秘密は含みません）。API トークンはフォルダーに保存せず、実行のたびに --token-file か \
                $TEKIGO_API_TOKEN で渡します。アドレスは https:// に限ります（http:// はこのマシン 127.0.0.1・::1・localhost のみ）。
                """,
            en: """
                Stored in .tekigo/remote.yaml (no secret in it). The API token is never stored in the folder: pass it at each run with \
                --token-file or $TEKIGO_API_TOKEN. The address must be https:// (http:// only to this machine: 127.0.0.1, ::1, localhost).
                """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "サーバーのアドレス（例: https://tekigo.example.co.jp）。", en: "The server's address, e.g. https://tekigo.example.co.jp."))
    var url: String
    @Option(help: .say(ja: "サーバー上の組織の ID。", en: "The organization's id on the server."))
    var org: String
    @Option(help: .say(ja: "サーバー上の評価の ID。", en: "The assessment's id on the server."))
    var assessment: String

    func run() async throws {
        try await reporting {
            let lang = global.language
            let link: RemoteLink
            do throws(RemoteError) { link = try RemoteLink(server: url, organization: org, assessment: assessment) } catch {
                throw UserError(error.message[lang], exitCode: 2)
            }
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            try ws.setRemote(link)
            let newFolder = !ws.exists
            print(lang == .ja
                ? "\(ws.directory.path) を \(link.server.absoluteString) の評価 \(link.assessment)（組織 \(link.organization)）に結び付けました。\n次に API トークンを --token-file か $TEKIGO_API_TOKEN で渡して `tekigo pull` を実行してください"
                    + (newFolder ? "（このフォルダーはまだ評価フォルダーではないため、pull がサーバーの評価から作ります）。" : "。")
                : "Linked \(ws.directory.path) to assessment \(link.assessment) (organization \(link.organization)) on \(link.server.absoluteString).\nNext: `tekigo pull`, with the API token in --token-file or $TEKIGO_API_TOKEN"
                    + (newFolder ? " (this folder is not an assessment folder yet: the pull makes it one from the server's assessment)." : "."))
        }
    }
}

struct RemoteShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: say(ja: "フォルダーの同期先と、記録された同期の状態を表示します（トークンは表示しません）。",
                      en: "Show the folder's link and its recorded sync state (never the token)."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            guard let link = try ws.remoteLink() else { throw UserError(notLinked(ws, lang)) }
            let state = try ws.syncState(for: link)
            let token = ProcessInfo.processInfo.environment["TEKIGO_API_TOKEN"].map { !$0.isEmpty } ?? false
            if lang == .ja {
                print("サーバー: \(link.server.absoluteString)\n組織: \(link.organization)\n評価: \(link.assessment)")
                print("同期済みとして記録された評価目標: \(state.objectives.count) 件")
                print("API トークン: " + (token ? "$TEKIGO_API_TOKEN に設定されています" : "$TEKIGO_API_TOKEN は未設定です（--token-file でも渡せます）"))
            } else {
                print("Server: \(link.server.absoluteString)\nOrganization: \(link.organization)\nAssessment: \(link.assessment)")
                print("Objectives recorded as synced: \(state.objectives.count)")
                print("API token: " + (token ? "$TEKIGO_API_TOKEN is set" : "$TEKIGO_API_TOKEN is not set (--token-file works too)"))
            }
        }
    }
}

/// Where the token comes from: `--token-file`, else `$TEKIGO_API_TOKEN`. It is never written or printed.
struct TokenOptions: ParsableArguments {
    @Option(help: .say(ja: "API トークンを 1 行で書いたファイル（省略時は $TEKIGO_API_TOKEN）。トークンはフォルダーに保存されません。",
                       en: "A file holding the API token on one line (default: $TEKIGO_API_TOKEN). The token is never stored in the folder."))
    var tokenFile: String?

    func token(_ lang: Language) throws -> String {
        let ja = lang == .ja
        let value: String
        if let tokenFile {
            do { value = try String(contentsOfFile: tokenFile, encoding: .utf8) } catch {
                throw UserError(ja ? "--token-file \(tokenFile) を読めません（\(error.localizedDescription)）。"
                                   : "cannot read --token-file \(tokenFile) (\(error.localizedDescription)).")
            }
        } else {
            value = ProcessInfo.processInfo.environment["TEKIGO_API_TOKEN"] ?? ""
        }
        let token = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw UserError(ja
                ? "API トークンがありません。サーバーの API トークンのページで作成し（push には write スコープ）、--token-file PATH か環境変数 TEKIGO_API_TOKEN で渡してください。"
                : "no API token: create one on the server's API tokens page (the write scope for push) and pass it with --token-file PATH or $TEKIGO_API_TOKEN.",
                exitCode: 2)
        }
        guard !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw UserError(ja ? "API トークンに空白や改行が含まれています。トークンだけを 1 行で渡してください。"
                               : "the API token holds spaces or line breaks; pass the token alone, on one line.", exitCode: 2)
        }
        return token
    }
}

func notLinked(_ ws: AssessmentWorkspace, _ lang: Language) -> String {
    lang == .ja
        ? "\(ws.directory.path) はサーバーに結び付けられていません。先に `tekigo remote set URL --org ORG --assessment ID` を実行してください。"
        : "\(ws.directory.path) is not linked to a server; run `tekigo remote set URL --org ORG --assessment ID` first."
}

/// What pull and push share: the folder, its link, the client, the catalog check, the server's findings.
struct SyncSession {
    let ws: AssessmentWorkspace
    let link: RemoteLink
    let client: AssessmentServerClient
    let lang: Language

    static func open(_ global: GlobalOptions, _ where_: WorkspaceOptions, _ token: TokenOptions) async throws -> SyncSession {
        let lang = global.language
        let ctx = try await LibraryContext.open(global)
        let ws = where_.workspace(ctx.library)
        guard let link = try ws.remoteLink() else { throw UserError(notLinked(ws, lang)) }
        return SyncSession(ws: ws, link: link, client: AssessmentServerClient(link: link, token: try token.token(lang), language: lang),
                           lang: lang)
    }

    /// The server's findings, after checking that the folder and the server assess against the same catalog.
    func serverFindings() async throws -> [ServerFinding] {
        let local = try ws.load().catalog.rawValue
        let remote = try await remoteCall { try await client.catalog() }
        guard local == remote else {
            throw UserError(lang == .ja
                ? "カタログが一致しません: このフォルダーは \(local)、サーバーの評価 \(link.assessment) は \(remote) です。同じカタログの評価に結び付けてください（`tekigo remote set`）。何も変更していません。"
                : "the catalogs differ: this folder assesses \(local), the server's assessment \(link.assessment) assesses \(remote). Link an assessment of the same catalog (`tekigo remote set`); nothing was changed.")
        }
        return try await remoteCall { try await client.findings() }
    }

    /// A folder that has the link but no tekigo.yaml yet (`tekigo remote set` in a new folder) becomes the server's
    /// assessment: organization, system, catalog, date, kind and the organization's regime; every objective starts
    /// unanswered, so the pull that follows brings each of the server's answers in.
    func createFolderFromServer() async throws {
        let (assessment, regime) = try await remoteCall { try await client.assessmentForNewFolder() }
        let ja = lang == .ja
        guard let catalog = try? ws.library.catalog(assessment.catalog) else {
            throw UserError(ja
                ? "サーバーの評価はカタログ \(assessment.catalog) を使っていますが、このマシンのライブラリーにありません。先に `tekigo catalog import` で取り込んでください。何も書き込んでいません。"
                : "the server's assessment uses catalog \(assessment.catalog), which this machine's library does not have; import it first with `tekigo catalog import`. Nothing was written.")
        }
        try ws.create(assessment, regime: regime)
        print(ja
            ? "\(ws.directory.path) にサーバーの評価 \(link.assessment) の評価フォルダーを作りました（\(assessment.organization.name)、\(assessment.system.name)、\(catalog.name[lang])、\(assessment.date)）。"
            : "Created an assessment folder in \(ws.directory.path) from the server's assessment \(link.assessment) (\(assessment.organization.name), \(assessment.system.name), \(catalog.name[lang]), \(assessment.date)).")
    }

    func remoteCall<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as RemoteError { throw UserError(e.message[lang]) }
    }

    /// One line per side of an objective: status, note, evidence, the review mark.
    func describe(_ a: SyncedAnswer) -> String {
        let ja = lang == .ja
        var parts = [a.status.label[lang]]
        if !a.rationale.isEmpty {
            let note = a.rationale.replacingOccurrences(of: "\n", with: " ")
            parts.append("「" + (note.count > 80 ? String(note.prefix(80)) + "…" : note) + "」")
        }
        if !a.evidence.isEmpty { parts.append(ja ? "証拠 \(a.evidence.count) 件" : "\(a.evidence.count) evidence") }
        if a.needsReview { parts.append(ja ? "要確認（引き継ぎ）" : "needs review (carried over)") }
        return parts.joined(separator: ja ? "、" : ", ")
    }

    func printConflicts(_ items: [SyncItem]) {
        let ja = lang == .ja
        print(ja ? "競合（両方で別の回答に変更、\(items.count) 件）:" : "Conflicts (changed on both sides to different answers, \(items.count)):")
        for item in items {
            print("  \(item.objective)")
            print((ja ? "    このフォルダー: " : "    this folder: ") + describe(item.local))
            print((ja ? "    サーバー（版 \(item.server.version)）: " : "    server (version \(item.server.version)): ") + describe(item.server.answer))
        }
    }
}

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: say(ja: "サーバーの評価の変更をこのフォルダーの findings.yaml に取り込みます（まだ評価フォルダーでなければ、サーバーの評価から作ります）。",
                      en: "Bring the server assessment's changes into this folder's findings.yaml (a folder with only the link is made from the server's assessment first)."),
        discussion: say(
            ja: """
                評価目標ごとに、前回の同期時の状態と比べます。サーバー側だけの変更は取り込み、フォルダー側だけの変更はそのまま（tekigo push で送ります）、\
                両方で別の回答に変わったものは競合として一覧にし、変更しません。--prefer server でサーバー側を、--prefer local でフォルダー側を採用します。
                終了コード: 0 = すべて同期済み、3 = 競合が残っている、1 = エラー（何も書き込んでいません）、2 = 引数の誤り。
                """,
            en: """
                Each objective is compared with how it was at the last sync: a change on the server only is applied, a change in the folder \
                only is kept (tekigo push sends it), and one changed on both sides to different answers is listed as a conflict and left \
                as it is. --prefer server takes the server's answer, --prefer local keeps the folder's (the next push sends it).
                Exit codes: 0 everything in step, 3 conflicts remain, 1 an error (nothing written), 2 bad arguments.
                """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @OptionGroup var token: TokenOptions
    @Option(help: .say(ja: "競合の解決: server（サーバー側を採用）か local（フォルダー側を残し次の push で送る）。",
                       en: "Resolve conflicts: server (take the server's answer) or local (keep the folder's; the next push sends it)."))
    var prefer: SyncSide?

    func run() async throws {
        try await reporting {
            let s = try await SyncSession.open(global, where_, token)
            let ja = s.lang == .ja
            if !s.ws.exists { try await s.createFolderFromServer() }
            let server = try await s.serverFindings()
            let r = try s.ws.pull(s.link, server: server, prefer: prefer)
            if r.pulled.isEmpty {
                print(ja ? "サーバーからの変更はありません。" : "No changes from the server.")
            } else {
                print(ja ? "サーバーから \(r.pulled.count) 件の評価目標を取り込みました: \(r.pulled.joined(separator: ", "))"
                         : "Pulled \(r.pulled.count) objectives from the server: \(r.pulled.joined(separator: ", "))")
            }
            if !r.keptLocal.isEmpty {
                print(ja ? "フォルダー側の回答を残しました（次の tekigo push で送ります）: \(r.keptLocal.joined(separator: ", "))"
                         : "Kept the folder's answer (the next tekigo push sends it): \(r.keptLocal.joined(separator: ", "))")
            }
            if !r.toPush.isEmpty {
                print(ja ? "このフォルダーだけで変更された評価目標 \(r.toPush.count) 件は tekigo push で送ります。"
                         : "\(r.toPush.count) objectives changed in this folder only: tekigo push sends them.")
            }
            if !r.conflicts.isEmpty {
                s.printConflicts(r.conflicts)
                print(ja ? "競合した評価目標は変更していません。`tekigo pull --prefer server` でサーバー側を、`--prefer local` でフォルダー側を採用します。"
                         : "Conflicting objectives were left as they are: `tekigo pull --prefer server` takes the server's answers, `--prefer local` keeps the folder's.")
                throw ExitCode(syncConflictExitCode)
            }
        }
    }
}

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: say(ja: "このフォルダーで変更した評価目標の回答をサーバーの評価に送ります。",
                      en: "Send the answers changed in this folder to the server assessment."),
        discussion: say(
            ja: """
                フォルダー側だけで変更された評価目標を、前回の同期時の版を If-Match に付けて 1 件ずつ保存します。その間にサーバー側で変更されたもの（412）や、\
                両方で別の回答に変わったものは競合として示し、ほかは送ります。引き継いだまま確認していない回答は送りません（先に tekigo assess confirm）。
                証拠ファイル（--evidence で SHA-256 を記録したもの）はサーバーにアップロードしてから送ります。
                終了コード: 0 = 送信完了、3 = 競合が残っている（tekigo pull で解決）、1 = エラーまたは送れなかった評価目標がある（送った分は記録済み）、2 = 引数の誤り。
                """,
            en: """
                Each objective changed in the folder only is saved on the server with the version last synced as If-Match. One changed on \
                the server meanwhile (412) or changed on both sides to different answers is shown as a conflict; the others are still \
                sent. Answers carried over and not reviewed are not sent (tekigo assess confirm them first).
                Evidence files pinned by SHA-256 (--evidence FILE) are uploaded to the server first.
                Exit codes: 0 sent, 3 conflicts remain (resolve with tekigo pull), 1 an error or an objective not sent (what was sent is recorded), 2 bad arguments.
                """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @OptionGroup var token: TokenOptions
    @Flag(help: .say(ja: "送る内容を表示するだけで、何も送らず何も書き込みません。", en: "Show what would be sent; send and write nothing."))
    var dryRun = false

    func run() async throws {
        try await reporting {
            let s = try await SyncSession.open(global, where_, token)
            let ja = s.lang == .ja
            let server = try await s.serverFindings()
            let client = s.client
            let folder = s.ws.directory
            let r: PushResult
            do {
                r = try await s.ws.push(s.link, server: server, dryRun: dryRun) { objective, answer, version throws(RemoteError) in
                    try await client.uploadPinnedEvidence(answer.evidence, folder: folder)
                    return try await client.put(objective, answer, ifVersion: version)
                }
            } catch let e as PushInterrupted {
                if !e.pushed.isEmpty {
                    print(ja ? "送信済み（\(e.pushed.count) 件、記録しました）: \(e.pushed.joined(separator: ", "))"
                             : "Sent before the error (\(e.pushed.count), recorded): \(e.pushed.joined(separator: ", "))")
                }
                throw UserError(e.error.message[s.lang])
            }
            if r.pushed.isEmpty {
                print(ja ? "送る変更はありません。" : "Nothing to send.")
            } else if dryRun {
                print(ja ? "送る評価目標（\(r.pushed.count) 件、--dry-run のため送っていません）:" : "Would send (\(r.pushed.count), --dry-run: nothing sent):")
                let local = try s.ws.load()
                for o in r.pushed { print("  \(o): " + s.describe(SyncedAnswer(local.findings[o]))) }
            } else {
                print(ja ? "サーバーに \(r.pushed.count) 件を送りました: \(r.pushed.joined(separator: ", "))"
                         : "Sent \(r.pushed.count) objectives to the server: \(r.pushed.joined(separator: ", "))")
            }
            if !r.needsReview.isEmpty {
                print(ja ? "引き継いだまま確認していないため送らなかった評価目標（tekigo assess confirm で確認）: \(r.needsReview.joined(separator: ", "))"
                         : "Not sent, carried over and not reviewed yet (review with tekigo assess confirm): \(r.needsReview.joined(separator: ", "))")
            }
            if !r.toPull.isEmpty {
                print(ja ? "サーバー側だけで変更された評価目標 \(r.toPull.count) 件は tekigo pull で取り込んでください。"
                         : "\(r.toPull.count) objectives changed on the server only: bring them in with tekigo pull.")
            }
            if !r.changedMeanwhile.isEmpty {
                print(ja ? "読み取った後にサーバー側で保存されたため送らなかった評価目標（競合、412）: \(r.changedMeanwhile.joined(separator: ", "))。`tekigo pull` で両方の回答を確かめてください。"
                         : "Not sent, saved on the server after it was read (a conflict, 412): \(r.changedMeanwhile.joined(separator: ", ")). `tekigo pull` shows both answers.")
            }
            for (objective, reason) in r.rejected {
                printError((ja ? "\(objective) は送れませんでした: " : "\(objective) was not sent: ") + reason[s.lang])
            }
            if !r.conflicts.isEmpty {
                s.printConflicts(r.conflicts)
            }
            if !r.conflicts.isEmpty || !r.changedMeanwhile.isEmpty {
                print(ja ? "競合した評価目標は送っていません。`tekigo pull` で確かめ、`--prefer server` か `--prefer local` で解決してください。"
                         : "Conflicting objectives were not sent: look at them with `tekigo pull` and resolve with `--prefer server` or `--prefer local`.")
                throw ExitCode(syncConflictExitCode)
            }
            if !r.rejected.isEmpty { throw ExitCode(1) }
        }
    }
}

extension SyncSide: ExpressibleByArgument {}
