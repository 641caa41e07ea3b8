import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// The platform-wide cloud provider registry from the command line (issue 15 items 1, 2 and 6), on the server's
// database (--data-dir / --database-url). The operator at the server administers the platform: imports and ISMAP
// records are audited with actor `cli`.

/// Runs a registry command: the use cases' refusals become their message (in the chosen language) and exit 1.
func cloudRegistryCommand(_ global: GlobalOptions, writing: Bool, _ body: (CloudRegistryUseCases) async throws -> Void) async throws {
    try await reporting {
        let database = CommandDatabase(global)
        let db = writing ? try await database.openForWriting() : try await database.openForReading()
        do {
            try await body(CloudRegistryUseCases(db: db))
        } catch let e as CloudRegistryError {
            throw UserError(e.text[global.language], exitCode: 1)
        }
    }
}

struct CloudImportFedRAMP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-fedramp",
        abstract: say(ja: "GSA の FedRAMP Marketplace の data.json を登録情報に取り込みます（前回の取込みは丸ごと置き換えます）。", en: "Import GSA's FedRAMP Marketplace data.json into the registry (replacing the previous import whole)."),
        discussion: say(ja: """
            取り込んだ製品とリンク、前回の取込みから製品ごとに変わった点（状況、影響度レベル、評価機関、年次評価）、
            ファイルの警告（欠けている項目や不明な項目）を表示します。途中で切れたファイル、形の違うファイル、
            パッケージ ID の重複は拒否し、前回の登録情報をそのまま残します。
            """, en: """
            Prints the products and links imported, what changed per product since the previous import (status, impact \
            level, assessor, annual assessment), and the file's warnings (fields missing or unknown). A truncated file, \
            another shape or duplicate package ids are refused and the previous registry stays.
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "Marketplace のファイル（data.json）。", en: "The Marketplace file (data.json).")) var file: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        let ja = global.language == .ja
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw UserError(ja ? "ファイル \(file) を読めません。" : "cannot read \(file).", exitCode: 1)
        }
        try await cloudRegistryCommand(global, writing: true) { cases in
            let result = try await cases.importMarketplace(data, fileName: file, by: .commandLine)
            if format == .json {
                print(try encodeJSON(result))
                return
            }
            let r = result.record
            print(ja ? "取込み \(r.id): 製品 \(r.productCount) 件、リンク \(r.linkCount) 件、変更 \(r.changeCount) 件、警告 \(r.warningCount) 件（ファイル日付 \(r.fileDate ?? "-")、SHA-256 \(r.fileSHA256)）"
                     : "import \(r.id): \(r.productCount) products, \(r.linkCount) links, \(r.changeCount) changes, \(r.warningCount) warnings (file date \(r.fileDate ?? "-"), SHA-256 \(r.fileSHA256))")
            if !result.changes.isEmpty {
                var t = TextTable([ja ? "パッケージ ID" : "package id", ja ? "項目" : "field", ja ? "旧" : "old", ja ? "新" : "new", ja ? "日付" : "date"])
                for c in result.changes {
                    t.add([c.packageID, c.field.label[global.language], c.oldValue ?? "-", c.newValue ?? "-", c.changedOn])
                }
                print(t.render())
            }
            for w in result.warnings.prefix(50) { print((ja ? "警告: " : "warning: ") + w.message[global.language]) }
            if result.warnings.count > 50 {
                print(ja ? "…ほか \(result.warnings.count - 50) 件の警告（--format json で全件）" : "… and \(result.warnings.count - 50) more warnings (all with --format json)")
            }
        }
    }
}

struct CloudSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: say(ja: "パッケージ ID・事業者・サービス名で FedRAMP の製品を探します（すべての語に一致するもの。大文字小文字は区別しません）。", en: "Find FedRAMP products by package id, provider or offering (every word must match; case-insensitive)."),
        discussion: say(ja: "例: tekigo cloud search Microsoft 365", en: "Example: tekigo cloud search Microsoft 365"))

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .remaining, help: .say(ja: "探す語。", en: "The words to look for.")) var text: [String] = []
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table
    @Option(help: .say(ja: "最大件数（1〜500）。", en: "At most this many (1–500).")) var limit: Int = CloudRegistryStore.searchLimit
    @Option(help: .say(ja: "このファイルの各行を検索として実行し、検索ごとに JSON を 1 行表示します（検索語、製品数、パッケージ ID、ミリ秒）。まとめて調べるときと、scripts/bench-cloud.py の計測に使います。",
                      en: "Run each line of this file as a search, printing one JSON line per query (the query, how many products, the package ids, milliseconds): lookups in bulk, and what scripts/bench-cloud.py times.", valueName: "file"))
    var queries: String?

    func validate() throws {
        guard queries != nil || !text.isEmpty else { throw ValidationError(say(ja: "探す語か、--queries FILE を指定してください。", en: "give the words to look for, or --queries FILE.")) }
    }

    struct QueryLine: Encodable {
        let query: String
        let count: Int
        let packageIds: [String]
        let milliseconds: Double
    }

    func run() async throws {
        let ja = global.language == .ja
        try await cloudRegistryCommand(global, writing: false) { cases in
            if let queries {
                guard let content = try? String(contentsOfFile: queries, encoding: .utf8) else {
                    throw UserError(ja ? "ファイル \(queries) を読めません。" : "cannot read \(queries).", exitCode: 1)
                }
                let enc = JSONEncoder()
                enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for line in content.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    let start = ContinuousClock.now
                    let found = try await cases.search(String(line), limit: limit)
                    let d = ContinuousClock.now - start
                    let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
                    print(String(decoding: try enc.encode(QueryLine(query: String(line), count: found.count, packageIds: found.map(\.packageID),
                                                                   milliseconds: ms)), as: UTF8.self))
                }
                return
            }
            let found = try await cases.search(text.joined(separator: " "), limit: limit)
            if format == .json {
                print(try encodeJSON(found))
                return
            }
            var t = TextTable([ja ? "パッケージ ID" : "package id", "CSP", ja ? "サービス" : "offering", ja ? "ステータス" : "status",
                               ja ? "影響度" : "impact level"])
            for p in found { t.add([p.packageID, p.csp, p.cso, p.status, p.impactLevel]) }
            print(found.isEmpty ? (ja ? "該当なし" : "nothing found") : t.render(maxColumnWidth: 48))
        }
    }
}

struct CloudShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: say(ja: "FedRAMP の製品 1 つ: その認可状況、基盤としているもの、その上に作られたもの、取込みで変わった点。", en: "One FedRAMP product: its standing, what it builds on, what is built on it, and what imports changed."),
        discussion: say(ja: "例: tekigo cloud show FR1704369518 --format json", en: "Example: tekigo cloud show FR1704369518 --format json"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "パッケージ ID。", en: "The package id.")) var packageID: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        let lang = global.language, ja = lang == .ja
        try await cloudRegistryCommand(global, writing: false) { cases in
            let d = try await cases.show(packageID: packageID)
            if format == .json {
                print(try encodeJSON(d))
                return
            }
            let p = d.product
            let rows: [(String, String)] = [
                (ja ? "パッケージ ID" : "Package id", p.packageID), ("CSP", p.csp), (ja ? "サービス" : "Offering", p.cso),
                (ja ? "ステータス" : "Status", p.status), (ja ? "影響度レベル" : "Impact level", p.impactLevel),
                (ja ? "認可の種類" : "Authorization type", p.authType ?? "-"), (ja ? "認可日" : "Authorized", p.authDate ?? "-"),
                (ja ? "年次評価" : "Annual assessment", p.annualAssessment ?? "-"), (ja ? "評価機関（3PAO）" : "Assessor (3PAO)", p.independentAssessor ?? "-"),
                (ja ? "サービスモデル" : "Service models", p.serviceModels.joined(separator: ", ")),
                (ja ? "機関の認可数" : "Agency authorizations", String(p.agencyAuthorizations)),
            ]
            for (k, v) in rows { print(pad(k, 22) + " " + v) }
            func list(_ title: String, _ items: [CloudProduct]) {
                print("\n" + title + " (\(items.count))")
                for i in items { print("  \(i.packageID)  \(i.csp) — \(i.cso)  [\(i.status), \(i.impactLevel)]") }
            }
            list(ja ? "基盤としている製品" : "Builds on", d.buildsOn)
            list(ja ? "この製品を基盤とする製品" : "Built on it", d.builtOnIt)
            if !d.changes.isEmpty {
                print("\n" + (ja ? "変更履歴" : "Changes"))
                for c in d.changes { print("  \(c.changedOn)  \(c.field.label[lang]): \(c.oldValue ?? "-") → \(c.newValue ?? "-")") }
            }
        }
    }
}

struct CloudISMAPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ismap", abstract: say(ja: "ISMAP と ISMAP-LIU の登録。ISMAP クラウドサービスリストを見て手で入力します。", en: "ISMAP and ISMAP-LIU registrations, entered by hand from the ISMAP cloud service lists."),
        subcommands: [CloudISMAPAdd.self, CloudISMAPList.self, CloudISMAPDelete.self])
}

struct CloudISMAPAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: say(ja: "ISMAP / ISMAP-LIU の登録を入力（又は置き換え）し、有効期間とともに JSON で表示します。", en: "Enter (or replace) an ISMAP / ISMAP-LIU registration; prints it with its validity as JSON."),
        discussion: say(ja: "有効期間は、監査対象期間の終了日の翌日から 1 年 4 か月です。", en: "Valid one year and four months from the day after the audit period ends."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "リストに載っているとおりの登録番号。", en: "The registration number as the list prints it.")) var number: String
    @Option(help: .say(ja: "ISMAP 又は ISMAP-LIU。", en: "ISMAP or ISMAP-LIU.")) var kind: String = "ISMAP"
    @Option(help: .say(ja: "サービスの名前。", en: "The service's name.")) var service: String
    @Option(help: .say(ja: "事業者名。", en: "The provider (事業者名).")) var provider: String
    @Option(help: .say(ja: "言明の対象範囲。", en: "The scope of the statement (言明の対象範囲).")) var scope: String
    @Option(help: .say(ja: "管理策。", en: "The control objectives (管理策).")) var objectives: String
    @Option(help: .say(ja: "監査対象期間の初日（YYYY-MM-DD）。", en: "The audit period's first day (YYYY-MM-DD).")) var auditStart: String
    @Option(help: .say(ja: "監査対象期間の最終日（YYYY-MM-DD）。", en: "The audit period's last day (YYYY-MM-DD).")) var auditEnd: String
    @Option(help: .say(ja: "後発事象（あれば）。", en: "Subsequent events (後発事象), if any.")) var subsequentEvents: String = ""

    func run() async throws {
        try await cloudRegistryCommand(global, writing: true) { cases in
            let draft = ISMAPDraft(registrationNumber: number, kind: kind, serviceName: service, provider: provider, scope: scope,
                                   controlObjectives: objectives, auditPeriodStart: auditStart, auditPeriodEnd: auditEnd,
                                   subsequentEvents: subsequentEvents)
            print(try encodeJSON(try await cases.saveISMAP(draft, by: .commandLine, expecting: .either)))
        }
    }
}

struct CloudISMAPList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: say(ja: "ISMAP と ISMAP-LIU の登録を有効期間とともに表示します。", en: "The ISMAP and ISMAP-LIU records with their validity."))

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .remaining, help: .say(ja: "絞り込む語（登録番号、サービス名又は事業者名）。", en: "Words to filter by (number, service or provider).")) var text: [String] = []
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        let ja = global.language == .ja
        try await cloudRegistryCommand(global, writing: false) { cases in
            let entries = try await cases.ismapEntries(matching: text.joined(separator: " "))
            if format == .json {
                print(try encodeJSON(entries))
                return
            }
            var t = TextTable([ja ? "登録番号" : "number", ja ? "区分" : "kind", ja ? "サービス" : "service", ja ? "事業者" : "provider",
                               ja ? "監査対象期間" : "audit period", ja ? "有効期限" : "valid through"])
            for e in entries {
                let r = e.record
                t.add([r.registrationNumber, r.kind.rawValue, r.serviceName, r.provider, "\(r.auditPeriodStart)〜\(r.auditPeriodEnd)", e.validThrough.description])
            }
            print(entries.isEmpty ? (ja ? "登録なし" : "none") : t.render(maxColumnWidth: 40))
        }
    }
}

struct CloudISMAPDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: say(ja: "ISMAP / ISMAP-LIU の登録を削除します（監査ログに記録）。これを参照するサービスは「登録情報にない」と表示されます。", en: "Remove an ISMAP / ISMAP-LIU record (audited); services naming it then show as not in the registry."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "登録番号。", en: "The registration number.")) var number: String

    func run() async throws {
        let ja = global.language == .ja
        try await cloudRegistryCommand(global, writing: true) { cases in
            try await cases.deleteISMAP(number: number, by: .commandLine)
            print(ja ? "ISMAP 登録情報 \(number) を削除しました。" : "ISMAP record \(number) deleted.")
        }
    }
}

/// `tekigo admin platform-admin EMAIL [--revoke]`: the operator grants or revokes platform administration (who imports
/// the FedRAMP Marketplace, enters ISMAP records, imports catalogs' official wording, creates organizations over the
/// API), audited with actor `cli`.
struct AdminPlatformAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform-admin",
        abstract: say(ja: "既存のアカウントをプラットフォーム管理者にします。--revoke でその権限を外します（監査ログに記録）。", en: "Make an existing account a platform administrator, or with --revoke no longer one (audited)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "アカウントのメールアドレス。", en: "The account's e-mail address.")) var email: String
    @Flag(help: .say(ja: "プラットフォーム管理者の権限を外します。", en: "Take platform administration away.")) var revoke = false

    func run() async throws {
        let ja = global.language == .ja
        try await reporting {
            let db = try await CommandDatabase(global).openForWriting()
            do {
                let changed = try await PlatformAdminUseCases(db: db).set(email: email, !revoke)
                switch (changed, revoke) {
                case (true, false): print(ja ? "\(email) をプラットフォーム管理者にしました。" : "\(email) is now a platform administrator.")
                case (true, true): print(ja ? "\(email) のプラットフォーム管理者権限を取り消しました。" : "\(email) is no longer a platform administrator.")
                case (false, false): print(ja ? "\(email) はすでにプラットフォーム管理者です（変更なし）。" : "\(email) is a platform administrator already (nothing changed).")
                case (false, true): print(ja ? "\(email) はプラットフォーム管理者ではありません（変更なし）。" : "\(email) is not a platform administrator (nothing changed).")
                }
            } catch let e as PlatformAdminUseCases.Failure {
                throw UserError(e.text[global.language], exitCode: 1)
            }
        }
    }
}
