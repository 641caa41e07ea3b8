import ArgumentParser
import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoUseCases

// Issue #17 item 3 from the command line: a Japanese-standard item table imported as a catalog
// (`tekigo catalog import FILE.csv --id … --name …`, through CatalogUseCases like the catalogs page and the API), and
// the organization's regime (`tekigo org regime --org … [japanese|us|both]`, through OrganizationUseCases, audited
// with actor `cli`).

/// `tekigo catalog import FILE.csv --id … --name …`: the item table's every problem with its row and column, or the counts.
enum ItemTableImport {
    static func run(file: String, id: String?, name: String?, global: GlobalOptions) async throws {
        let ja = global.language == .ja
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw UserError(ja ? "\(file) を読めません（\(error.localizedDescription)）。" : "\(file): cannot read the file (\(error.localizedDescription)).")
        }
        // An OSCAL item table names itself (metadata.title) when --name is not given; a CSV file has no title.
        let name = name ?? (CatalogUseCases.isOSCAL(data) ? OSCALItemTable.title(data) : nil)
        guard let id, !id.isEmpty, let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UserError(ja ? "\(file): 項目表には --id（カタログ ID、例: atla-standard）と --name（カタログ名。OSCAL なら省略時はそのタイトル）が必要です。"
                               : "\(file): an item table needs --id (the catalog id, for example atla-standard) and --name (its name; an OSCAL file's title by default).",
                            exitCode: 2)
        }
        let db = try await CommandDatabase(global).openForWriting()
        do {
            let p = try await CatalogUseCases(db: db).importItemTableAsOperator(data, filename: (file as NSString).lastPathComponent,
                                                                                 catalog: id, name: name)
            print(ja ? "取り込みました: \(p.imported.title) → \(p.imported.catalog): 項目 \(p.items) 件、細目 \(p.subItems) 件、SP 800-171 への対応付け \(p.mappings.count) 件"
                     : "Imported: \(p.imported.title) → \(p.imported.catalog): \(p.items) items, \(p.subItems) sub-items, \(p.mappings.count) mappings to SP 800-171")
        } catch let e as StandardItemTableError {
            throw UserError("\(file): " + e.text(global.language), exitCode: 1)
        }
    }
}

/// `tekigo org regime --org … [japanese|us|both]`: prints the regime, or sets it.
struct OrgRegime: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regime",
        abstract: say(ja: "組織の適用基準を表示又は設定します: japanese（防衛産業サイバーセキュリティ基準）, us（DFARS/CMMC）又は both（両方）。", en: "Show or set the regime an organization works under: japanese (防衛産業サイバーセキュリティ基準), us (DFARS/CMMC) or both."),
        discussion: say(ja: """
            ページと報告書の用語（japanese なら 保護すべき情報、システムセキュリティ実装計画書）と、SPRS と CMMC を
            表示するかどうかが決まります。監査ログには organization.regime-changed（実行者 cli）として記録します。
            例: tekigo org regime --org 株式会社サンプル精機 japanese
            """, en: """
            It decides the terms on pages and reports (保護すべき情報, システムセキュリティ実装計画書 under japanese) and whether
            SPRS and CMMC are shown. Audited as organization.regime-changed with actor cli.
            Example: tekigo org regime --org 株式会社サンプル精機 japanese
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Argument(help: .say(ja: "japanese, us 又は both（省略すると今の設定を表示）。", en: "japanese, us or both (omit to print the current one).")) var regime: String?

    func run() async throws {
        try await reporting {
            let lang = global.language
            let db = try await CommandDatabase(global).openForWriting()
            let ref = try await resolveOrganization(org, db: db, lang: lang)
            guard let record = try await AccountUseCases(AccountEnvironment(db: db)).organization(id: ref.id) else {
                throw UserError(lang == .ja ? "組織 \(ref.id) が見つかりません。" : "organization \(ref.id) was not found.", exitCode: 2)
            }
            guard let regime else {
                print("\(record.regime.rawValue)\t\(record.regime.label[lang])")
                return
            }
            do {
                let after = try await OrganizationUseCases(try supplyChainEnvironment(db), .commandLine(record, db: db)).setRegime(regime)
                print(lang == .ja ? "\(after.name) の適用基準: \(after.regime.label[lang])" : "\(after.name) now works under: \(after.regime.label[lang])")
            } catch let e as UnknownRegime {
                throw UserError(e.message[lang] + (lang == .ja ? "（何も変更していません）" : " (nothing was changed)"), exitCode: 2)
            }
        }
    }
}
