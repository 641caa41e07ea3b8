import ArgumentParser
import Foundation
import TekigoCore
import TekigoReports
import TekigoStore
import TekigoUseCases

// The organization's evidence library from the command line (issue 17 item 5), on the server's database like
// `tekigo org regime`: the operator acts as the organization's owner (`TenantScope.commandLine`, actor `cli`), and
// every change goes through EvidenceLibraryUseCases (its rules, its transaction, its audit entry `evidence-item.*`).
// Share paths and links are kept as text: nothing here opens or fetches them.

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: say(ja: "証跡ライブラリ（組織で一度だけ登録し、多くの評価目標に添付する文書・リンク・共有フォルダーのパス）を扱います。",
                      en: "The evidence library: documents, links and file-share paths kept once per organization and attached to many objectives."),
        discussion: say(ja: """
            サーバーのデータベースを直接操作します（--data-dir / --database-url）。実行者は cli として監査ログに残ります。
            共有フォルダーのパス（\\\\nas\\share\\…、smb://…）とリンクは文字として保存するだけで、開いたり取得したりしません。
            例: tekigo evidence add --org 株式会社サンプル精機 --title "研修 受講記録 2026" \\
                  --share '\\\\nas\\総務\\研修\\2026.xlsx' --owner 山田 \\
                  --date 2026-04-01 --expires 2027-03-31
            """, en: """
            Works on the server's database (--data-dir / --database-url); the audit log records the actor cli.
            File-share paths (\\\\nas\\share\\…, smb://…) and links are stored as text, never opened or fetched.
            Example: tekigo evidence add --org "Sample Seiki" --title "Training 2026" \\
                  --share '\\\\nas\\hr\\training\\2026.xlsx' --owner Yamada \\
                  --date 2026-04-01 --expires 2027-03-31
            """),
        subcommands: [EvidenceList.self, EvidenceAdd.self, EvidenceShow.self, EvidenceUpdate.self, EvidenceRemove.self,
                      EvidenceAttach.self, EvidenceDetach.self])
}

// MARK: - Shared

/// The organization option every evidence command takes.
struct EvidenceTarget: ParsableArguments {
    @Option(help: .say(ja: "組織: ID 又は正確な名称。", en: "The organization: its id, or its exact name.")) var org: String
}

/// Where the item is: exactly one of a vault file, a link or a share path.
struct EvidenceLocationOptions: ParsableArguments {
    @Option(help: .say(ja: "ファイル: この組織の証跡ファイルの SHA-256、又はこのコンピューター上のファイルのパス（証跡として暗号化して保管）。",
                       en: "A file: the SHA-256 of one of the organization's evidence files, or a path on this machine (stored, encrypted, as evidence)."))
    var file: String?
    @Option(help: .say(ja: "リンク（http:// 又は https://）。開きません。", en: "A link (http:// or https://); never fetched."))
    var link: String?
    @Option(help: .say(ja: "共有フォルダーのパス（\\\\nas\\share\\…、smb://…、file:///…、/…）。文字として保存します。",
                       en: "A file-share path (\\\\nas\\share\\…, smb://…, file:///…, /…), kept as text."))
    var share: String?

    var given: [(EvidenceLocation.Kind, String)] {
        [(.file, file), (.link, link), (.share, share)].compactMap { k, v in v.map { (k, $0) } }
    }
}

/// The item's descriptive fields, all optional (update keeps what is not given).
struct EvidenceFieldOptions: ParsableArguments {
    @Option(help: .say(ja: "題名（例: 情報セキュリティ研修 受講記録 2026）。", en: "The title (e.g. Security training record 2026)."))
    var title: String?
    @Option(help: .say(ja: "担当者の名前（組織のメンバーでない場合）。", en: "The owner's name (when not a member of the organization)."))
    var owner: String?
    @Option(help: .say(ja: "担当者となるメンバー: 利用者 ID 又はメールアドレス。", en: "The owner as a member: user id or e-mail address."))
    var ownerMember: String?
    @Option(help: .say(ja: "文書の日付 YYYY-MM-DD（省略時は組織の今日）。", en: "The document's date, YYYY-MM-DD (default: the organization's today)."))
    var date: String?
    @Option(help: .say(ja: "有効期限 YYYY-MM-DD（年1回の受講記録など）。", en: "Expires on, YYYY-MM-DD (e.g. a yearly training record)."))
    var expires: String?
    @Option(help: .say(ja: "メモ。", en: "A note.")) var note: String?
}

/// An evidence command's context: the organization as the operator acting as its owner.
struct EvidenceContext {
    let base: IncidentCommandContext
    let global: GlobalOptions
    var lang: Language { global.language }
    var ja: Bool { lang == .ja }
    var queries: EvidenceLibraryQueries { EvidenceLibraryQueries(base.env, base.scope) }
    var cases: EvidenceLibraryUseCases { EvidenceLibraryUseCases(base.env, base.scope) }

    static func open(_ org: String, _ global: GlobalOptions) async throws -> EvidenceContext {
        EvidenceContext(base: try await IncidentCommandContext.forOrganization(org, global), global: global)
    }

    /// A member named by user id or e-mail address (case-insensitive), as the use case's `ownerMember` (a user id).
    func memberID(_ text: String) async throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        let members = try await MembershipUseCases(AccountEnvironment(db: base.db)).members(organizationID: base.scope.organizationID).map(\.0)
        if let m = members.first(where: { $0.id == t || $0.email.lowercased() == t.lowercased() }) { return m.id }
        let list = members.map { "  \($0.email)  \($0.displayName)" }.joined(separator: "\n")
        throw UserError(ja ? "--owner-member: 「\(t)」はこの組織のメンバーではありません。メンバー（利用者 ID かメールアドレス）を指定するか、--owner で名前を書いてください:\n\(list)"
                           : "--owner-member: '\(t)' is not a member of this organization; name a member (user id or e-mail) or write the name with --owner:\n\(list)",
                        exitCode: 1)
    }

    /// A vault file's SHA-256: as given, or the local file uploaded first (the vault keeps one copy per content).
    /// Returns whether this call put the file in the vault, so a refused item can take it out again.
    func fileLocation(_ value: String) async throws -> (sha256: String, uploaded: Bool) {
        let v = value.trimmingCharacters(in: .whitespaces)
        if v.count == 64, v.allSatisfy(\.isHexDigit) { return (v.lowercased(), false) }
        guard FileManager.default.fileExists(atPath: v) else {
            throw UserError(ja ? "--file: 「\(v)」は SHA-256（16 進 64 桁）でも、このコンピューター上のファイルでもありません。パスを確かめてください。"
                               : "--file: '\(v)' is neither a SHA-256 (64 hexadecimal digits) nor a file on this machine; check the path.",
                            exitCode: 1)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: v)) } catch {
            throw UserError(ja ? "--file: \(v) を読めません（\(error.localizedDescription)）。" : "--file: cannot read \(v) (\(error.localizedDescription)).")
        }
        // Sealing needs the server's evidence key (TEKIGO_EVIDENCE_KEY, or evidence.key in the data directory).
        let key = try EvidenceKey.load(dataDirectory: global.storage.dataDirectory, environment: ProcessInfo.processInfo.environment)
        let env = TenantEnvironment(db: base.db, evidenceKey: key, library: base.env.library, clock: base.env.clock)
        let sha = Hex.sha256(data)
        let existed = try await env.evidence.record(organizationID: base.scope.organizationID, sha256: sha) != nil
        let r = try await EvidenceUseCases(env, base.scope).upload(data, filename: (v as NSString).lastPathComponent,
                                                                  contentType: "application/octet-stream")
        return (r.sha256, !existed)
    }

    /// Takes out a file this command put in the vault for an item that was then refused (audited like any deletion).
    func removeUploaded(_ sha256: String) async {
        guard let key = try? EvidenceKey.load(dataDirectory: global.storage.dataDirectory, environment: ProcessInfo.processInfo.environment)
        else { return }
        let env = TenantEnvironment(db: base.db, evidenceKey: key, library: base.env.library, clock: base.env.clock)
        try? await EvidenceUseCases(env, base.scope).delete(sha256: sha256)
    }

    /// The item id given on the command line.
    static func id(_ text: String) -> EvidenceItemID { EvidenceItemID(text.trimmingCharacters(in: .whitespaces)) }
}

/// Runs an evidence command: the library's refusals in the chosen language — an id this organization does not have
/// exits 2 (like other unknown ids), every other refusal 1.
func evidenceReporting(_ global: GlobalOptions, _ body: () async throws -> Void) async throws {
    try await reporting {
        do {
            try await body()
        } catch let e as EvidenceLibraryError {
            switch e {
            case .notFound:
                throw UserError(e.text[global.language] + (global.language == .ja
                    ? " 一覧は tekigo evidence list --org ORG で確認できます。" : " List them with `tekigo evidence list --org ORG`."),
                                exitCode: 2)
            case .unknownAssessment:
                throw UserError(e.text[global.language], exitCode: 2)
            default:
                throw UserError(e.text[global.language], exitCode: 1)
            }
        }
    }
}

/// One item as `show`, `list --format json` and the changing commands print it (the API's shape).
struct EvidenceItemOutput: Encodable {
    struct Use: Encodable {
        let assessment: String
        let assessedOn: String
        let catalog: String
        let system: String
        let objective: String
    }
    let id: String
    let kind: String
    let location: String
    let title: String
    let ownerMember: String?
    let owner: String
    let documentDate: String
    let expiresOn: String?
    /// none, valid, expiring-soon or expired on the organization's today.
    let expiry: String
    let expired: Bool
    let note: String
    let useCount: Int
    let usedBy: [Use]
    let version: Int

    init(_ s: EvidenceItemSummary, uses: [EvidenceUse]) {
        let r = s.item
        id = r.id
        kind = r.kind
        location = r.location
        title = r.title
        ownerMember = r.ownerUserId
        owner = s.owner
        documentDate = r.documentDate
        expiresOn = r.expiresOn
        expiry = s.expiry.rawValue
        expired = s.expiry == .expired
        note = r.note
        useCount = uses.count
        usedBy = uses.map { Use(assessment: $0.assessmentId, assessedOn: $0.assessedOn, catalog: $0.catalog, system: $0.systemName, objective: $0.objective) }
        version = r.version
    }
}

enum EvidenceText {
    static func kind(_ k: String, _ lang: Language) -> String {
        switch (k, lang) {
        case ("file", .ja): return "ファイル"
        case ("link", .ja): return "リンク"
        case ("share", .ja): return "共有フォルダー"
        default: return k
        }
    }

    static func expiry(_ e: String, _ lang: Language) -> String {
        switch e {
        case "expired": return lang == .ja ? "期限切れ" : "EXPIRED"
        case "expiring-soon": return lang == .ja ? "まもなく期限" : "expiring soon"
        case "valid": return lang == .ja ? "有効" : "valid"
        default: return lang == .ja ? "期限なし" : "no expiry"
        }
    }

    /// Where an item is used, as one cell: "2026-12-01 CAD: 3.1.1[a], 3.1.1[b]; …" by assessment.
    static func uses(_ uses: [EvidenceItemOutput.Use], _ lang: Language) -> String {
        if uses.isEmpty { return lang == .ja ? "（未使用）" : "(not used)" }
        var order: [String] = [], byAssessment: [String: [String]] = [:], label: [String: String] = [:]
        for u in uses {
            if byAssessment[u.assessment] == nil { order.append(u.assessment); label[u.assessment] = "\(u.assessedOn) \(u.system)" }
            byAssessment[u.assessment, default: []].append(u.objective)
        }
        return order.map { "\(label[$0] ?? $0): \(byAssessment[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
    }

    static func print(_ o: EvidenceItemOutput, _ lang: Language) {
        let ja = lang == .ja
        Swift.print("\(o.title)  [\(kind(o.kind, lang))]" + (o.expired ? (ja ? "  ⚠ 期限切れ" : "  ⚠ EXPIRED") : ""))
        Swift.print("  ID: \(o.id)  (" + (ja ? "版 \(o.version)" : "version \(o.version)") + ")")
        Swift.print((ja ? "  場所: " : "  Location: ") + o.location)
        Swift.print((ja ? "  担当: " : "  Owner: ") + o.owner)
        Swift.print((ja ? "  文書の日付: " : "  Document date: ") + o.documentDate)
        Swift.print((ja ? "  有効期限: " : "  Expires: ") + (o.expiresOn.map { "\($0) (\(expiry(o.expiry, lang)))" } ?? expiry(o.expiry, lang)))
        if !o.note.isEmpty { Swift.print((ja ? "  メモ: " : "  Note: ") + o.note) }
        Swift.print((ja ? "  使用箇所 (\(o.useCount)): " : "  Used by (\(o.useCount)): ") + uses(o.usedBy, lang))
    }
}

/// Output of the commands that print one item.
enum EvidenceItemFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension EvidenceContext {
    func output(_ id: EvidenceItemID) async throws -> EvidenceItemOutput {
        let found = try await queries.item(id)
        return EvidenceItemOutput(found.summary, uses: found.uses)
    }

    func printItem(_ id: EvidenceItemID, _ format: EvidenceItemFormat) async throws {
        let o = try await output(id)
        if format == .json { Swift.print(try encodeJSON(o)) } else { EvidenceText.print(o, lang) }
    }
}

// MARK: - list

struct EvidenceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: say(ja: "証跡ライブラリの一覧: 期限切れの印と、どの評価のどの評価目標で使われているか。",
                      en: "List the evidence library: expired items flagged, and where each is used (assessment and objectives)."),
        discussion: say(ja: "例: tekigo evidence list --org 株式会社サンプル精機 --filter expired --format csv > expired.csv",
                        en: "Example: tekigo evidence list --org \"Sample Seiki\" --filter expired --format csv > expired.csv"))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EvidenceTarget
    @Option(help: .say(ja: "all（既定）、expired（期限切れ）、expiring-soon（30 日以内に期限）。",
                       en: "all (default), expired, or expiring-soon (within 30 days)."))
    var filter: String = "all"
    @Option(help: .say(ja: "table、json 又は csv。", en: "table, json or csv.")) var format: OutputFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let lang = global.language, ja = lang == .ja
            guard let f = EvidenceLibraryFilter(rawValue: filter) else {
                throw UserError(ja ? "--filter: 「\(filter)」は all・expired・expiring-soon のいずれでもありません。"
                                   : "--filter: '\(filter)' is not one of all, expired, expiring-soon.", exitCode: 2)
            }
            let c = try await EvidenceContext.open(target.org, global)
            var items: [EvidenceItemOutput] = []
            for s in try await c.queries.list(f) { items.append(try await c.output(s.item.itemID)) }
            switch format {
            case .json:
                print(try encodeJSON(items))
            case .csv:
                let sheet = Sheet(name: "evidence", columns: ["id", "title", "kind", "location", "owner", "document_date", "expires_on",
                                                               "expiry", "expired", "use_count", "used_by", "version"],
                                  rows: items.map { o in
                                      [.text(o.id), .text(o.title), .text(o.kind), .text(o.location), .text(o.owner),
                                       .day(Day(o.documentDate)), .day(o.expiresOn.flatMap(Day.init)), .text(o.expiry),
                                       .text(o.expired ? "yes" : "no"), .integer(o.useCount),
                                       .text(o.usedBy.map { "\($0.assessment) \($0.objective)" }.joined(separator: "; ")), .integer(o.version)]
                                  })
                FileHandle.standardOutput.write(CSVExport.data(sheet))
            case .table:
                if items.isEmpty {
                    print(ja ? "証跡ライブラリに項目はありません（tekigo evidence add で登録）。" : "No items in the evidence library (add one with `tekigo evidence add`).")
                    return
                }
                var t = TextTable(ja ? ["ID", "題名", "種類", "場所", "担当", "日付", "有効期限", "状態", "使用箇所"]
                                     : ["ID", "Title", "Kind", "Location", "Owner", "Date", "Expires", "State", "Used by"])
                for o in items {
                    t.add([o.id, o.title, EvidenceText.kind(o.kind, lang), o.location, o.owner, o.documentDate, o.expiresOn ?? "-",
                           (o.expired ? "⚠ " : "") + EvidenceText.expiry(o.expiry, lang), EvidenceText.uses(o.usedBy, lang)])
                }
                print(t.render())
                let expired = items.filter(\.expired).count
                if expired > 0 {
                    print(ja ? "期限切れ \(expired) 件: 更新した証跡を登録するか、tekigo evidence update ID --expires で期限を直してください。"
                             : "\(expired) expired: add the renewed evidence, or correct the date with `tekigo evidence update ID --expires`.")
                }
            }
        }
    }
}

// MARK: - add

struct EvidenceAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: say(ja: "証跡をライブラリに登録します（--file・--link・--share のどれか一つ）。",
                      en: "Add an item to the library (exactly one of --file, --link, --share)."),
        discussion: say(ja: "例: tekigo evidence add --org 株式会社サンプル精機 --title \"研修記録 2026\" --share 'smb://nas/総務/研修/2026.xlsx' --owner 山田 --expires 2027-03-31",
                        en: "Example: tekigo evidence add --org \"Sample Seiki\" --title \"Training record 2026\" --share 'smb://nas/hr/training/2026.xlsx' --owner Yamada --expires 2027-03-31"))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EvidenceTarget
    @OptionGroup var location: EvidenceLocationOptions
    @OptionGroup var fields: EvidenceFieldOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: EvidenceItemFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let ja = global.language == .ja
            let given = location.given
            guard given.count == 1, let (kind, value) = given.first else {
                throw UserError(ja ? "場所を一つだけ指定してください: --file（ファイル）、--link（リンク）又は --share（共有フォルダーのパス）。"
                                   : "Give exactly one location: --file (a file), --link (a link) or --share (a file-share path).", exitCode: 2)
            }
            let c = try await EvidenceContext.open(target.org, global)
            var ownerMember = ""
            if let m = fields.ownerMember { ownerMember = try await c.memberID(m) }
            var text = value, uploaded: String?
            if kind == .file {
                let f = try await c.fileLocation(value)
                text = f.sha256
                if f.uploaded { uploaded = f.sha256 }
            }
            let draft = EvidenceItemDraft(kind: kind.rawValue, location: text, title: fields.title ?? "",
                                          ownerMember: ownerMember, ownerName: fields.owner ?? "",
                                          documentDate: fields.date ?? "", expiresOn: fields.expires ?? "", note: fields.note ?? "")
            let r: EvidenceItemRecord
            do { r = try await c.cases.add(draft) } catch {
                if let uploaded { await c.removeUploaded(uploaded) }
                throw error
            }
            if format == .table { print(ja ? "登録しました。" : "Added.") }
            try await c.printItem(r.itemID, format)
        }
    }
}

// MARK: - show

struct EvidenceShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: say(ja: "証跡を一件、使われている評価目標とともに表示します。", en: "Show one item with the objectives it is attached to."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証跡の ID（tekigo evidence list で表示）。", en: "The item's id (as `tekigo evidence list` shows it).")) var id: String
    @OptionGroup var target: EvidenceTarget
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: EvidenceItemFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let c = try await EvidenceContext.open(target.org, global)
            try await c.printItem(EvidenceContext.id(id), format)
        }
    }
}

// MARK: - update

struct EvidenceUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: say(ja: "証跡を変更します。指定しなかった項目はそのまま残ります。",
                      en: "Change an item; whatever is not given stays as it is."),
        discussion: say(ja: "--version を付けると、その版から誰かが変更していれば何も変えずに止まります。例: tekigo evidence update ID --org ORG --expires 2028-03-31",
                        en: "With --version, a change made by someone since that version stops it and nothing changes. Example: tekigo evidence update ID --org ORG --expires 2028-03-31"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証跡の ID。", en: "The item's id.")) var id: String
    @OptionGroup var target: EvidenceTarget
    @OptionGroup var location: EvidenceLocationOptions
    @OptionGroup var fields: EvidenceFieldOptions
    @Flag(help: .say(ja: "有効期限をなくします。", en: "Remove the expiry date.")) var noExpiry = false
    @Option(help: .say(ja: "読んだときの版（省略時は今の版）。", en: "The version you read (default: the current one).")) var version: Int?
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: EvidenceItemFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let ja = global.language == .ja
            let given = location.given
            guard given.count <= 1 else {
                throw UserError(ja ? "場所は一つだけ指定してください（--file・--link・--share のどれか）。"
                                   : "Give at most one location (--file, --link or --share).", exitCode: 2)
            }
            if noExpiry, fields.expires != nil {
                throw UserError(ja ? "--expires と --no-expiry は同時に指定できません。" : "--expires and --no-expiry cannot be given together.", exitCode: 2)
            }
            let c = try await EvidenceContext.open(target.org, global)
            let itemID = EvidenceContext.id(id)
            let current = try await c.queries.item(itemID).summary.item
            var ownerMember = current.ownerUserId ?? "", ownerName = current.ownerName
            if let m = fields.ownerMember { ownerMember = try await c.memberID(m); ownerName = "" }
            if let n = fields.owner { ownerName = n; ownerMember = "" }
            var kind = current.kind, text = current.location, uploaded: String?
            if let (k, v) = given.first {
                kind = k.rawValue
                text = v
                if k == .file {
                    let f = try await c.fileLocation(v)
                    text = f.sha256
                    if f.uploaded { uploaded = f.sha256 }
                }
            }
            let draft = EvidenceItemDraft(kind: kind, location: text, title: fields.title ?? current.title, ownerMember: ownerMember,
                                          ownerName: ownerName, documentDate: fields.date ?? current.documentDate,
                                          expiresOn: noExpiry ? "" : (fields.expires ?? current.expiresOn ?? ""), note: fields.note ?? current.note)
            do { _ = try await c.cases.update(itemID, draft, ifVersion: version ?? current.version) } catch {
                if let uploaded { await c.removeUploaded(uploaded) }
                throw error
            }
            if format == .table { print(ja ? "変更しました。" : "Changed.") }
            try await c.printItem(itemID, format)
        }
    }
}

// MARK: - remove

struct EvidenceRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: say(ja: "証跡をライブラリから削除します（評価目標に添付されている間はできません。使用箇所を表示します）。",
                      en: "Delete an item from the library (refused while it is attached anywhere, naming where)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証跡の ID。", en: "The item's id.")) var id: String
    @OptionGroup var target: EvidenceTarget

    func run() async throws {
        try await evidenceReporting(global) {
            let c = try await EvidenceContext.open(target.org, global)
            let itemID = EvidenceContext.id(id)
            let title = try await c.queries.item(itemID).summary.item.title
            try await c.cases.delete(itemID)
            print(c.ja ? "削除しました: \(title)" : "Deleted: \(title)")
        }
    }
}

// MARK: - attach and detach

/// The assessment and objectives an item is attached to or detached from.
struct EvidenceAttachmentOptions: ParsableArguments {
    @Option(help: .say(ja: "評価の ID（評価ページのアドレス /o/ORG/assessments/… の部分）。",
                       en: "The assessment's id (from its page's address, /o/ORG/assessments/…)."))
    var assessment: String
    @Option(parsing: .singleValue, help: .say(ja: "評価目標（例 3.1.1[a]、A.03.01.01.a）。複数は繰り返して指定。",
                                              en: "An objective (e.g. 3.1.1[a], A.03.01.01.a); repeat for several."))
    var objective: [String] = []
}

struct EvidenceAttach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: say(ja: "証跡を評価の評価目標に添付します（一つずつ記録。既に添付済みなら何もしません）。",
                      en: "Attach an item to objectives of an assessment (each one on its own; one already attached is left as it is)."),
        discussion: say(ja: "例: tekigo evidence attach ID --org ORG --assessment ASSESSMENT_ID --objective '3.2.1[a]' --objective '3.2.2[a]'",
                        en: "Example: tekigo evidence attach ID --org ORG --assessment ASSESSMENT_ID --objective '3.2.1[a]' --objective '3.2.2[a]'"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証跡の ID。", en: "The item's id.")) var id: String
    @OptionGroup var target: EvidenceTarget
    @OptionGroup var attachment: EvidenceAttachmentOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: EvidenceItemFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let ja = global.language == .ja
            guard !attachment.objective.isEmpty else {
                throw UserError(ja ? "--objective で評価目標を指定してください（例 --objective '3.1.1[a]'）。"
                                   : "Name the objective with --objective (e.g. --objective '3.1.1[a]').", exitCode: 2)
            }
            let c = try await EvidenceContext.open(target.org, global)
            let itemID = EvidenceContext.id(id)
            var done: [String] = []
            for o in attachment.objective {
                do {
                    let added = try await c.cases.attach(itemID, assessmentID: attachment.assessment, objective: o)
                    if format == .table {
                        print(added ? (ja ? "添付しました: \(o)" : "Attached: \(o)") : (ja ? "添付済みです: \(o)" : "Already attached: \(o)"))
                    }
                    done.append(o)
                } catch let e as EvidenceLibraryError where !done.isEmpty {
                    throw UserError(e.text[global.language] + (ja ? "（\(done.joined(separator: ", ")) は添付済み、残りは添付していません）"
                                                                  : " (\(done.joined(separator: ", ")) attached; the rest were not)"), exitCode: 1)
                }
            }
            try await c.printItem(itemID, format)
        }
    }
}

struct EvidenceDetach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detach",
        abstract: say(ja: "証跡を評価目標から外します。", en: "Detach an item from objectives of an assessment."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証跡の ID。", en: "The item's id.")) var id: String
    @OptionGroup var target: EvidenceTarget
    @OptionGroup var attachment: EvidenceAttachmentOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: EvidenceItemFormat = .table

    func run() async throws {
        try await evidenceReporting(global) {
            let ja = global.language == .ja
            guard !attachment.objective.isEmpty else {
                throw UserError(ja ? "--objective で評価目標を指定してください。" : "Name the objective with --objective.", exitCode: 2)
            }
            let c = try await EvidenceContext.open(target.org, global)
            let itemID = EvidenceContext.id(id)
            for o in attachment.objective {
                try await c.cases.detach(itemID, assessmentID: attachment.assessment, objective: o)
                if format == .table { print(ja ? "外しました: \(o)" : "Detached: \(o)") }
            }
            try await c.printItem(itemID, format)
        }
    }
}
