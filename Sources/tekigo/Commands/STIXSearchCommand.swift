import ArgumentParser
import Foundation
import TekigoCore
import TekigoServer
import TekigoStore
import TekigoUseCases

/// `tekigo stix search VALUE --org ORG [--json]` (issue 14 item 6): search by value across every collection the
/// organization may read, as the sharing pages do (`SharingWorkspace.search`), for a shop that scripts lookups. Only
/// reads (`openForReading`); the operator acts as the organization's command line (a TLP:RED object reaches it only
/// when it names `cli`).
struct STIXSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: say(ja: "共有されたオブジェクトを値で探します: IP アドレス、ドメイン、ファイルのハッシュ、CVE ID、URL 又はメールアドレス。", en: "Find shared objects by value: an IP address, a domain, a file hash, a CVE id, a URL or an e-mail address."),
        discussion: say(ja: """
            組織が読めるすべてのコレクションを探します（観測値の値、ファイルのハッシュ、脆弱性の CVE ID、
            インジケーターのパターンに出てくる値）。表で、--json なら JSON で表示します。値を解釈できないときは終了コード 1、
            それ以外は 0 です（見つからないときも 0）。JSON は API の検索結果
            （GET /api/v1/organizations/{org}/sharing/search）と同じで、各オブジェクトに保存されたままの STIX JSON が付きます。
            例: tekigo stix search 198.51.100.7 --org 株式会社サンプル精機 --json
            """, en: """
            Searches every collection the organization may read (observables' values, file hashes, vulnerabilities' CVE \
            ids, and the values indicator patterns name). Prints a table, or JSON with --json. Exits 1 when the value is \
            not understood, 0 otherwise (also when nothing is found). The JSON is the API's search result (GET \
            /api/v1/organizations/{org}/sharing/search), each object with its STIX JSON as stored. \
            Example: tekigo stix search 198.51.100.7 --org 株式会社サンプル精機 --json
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "探す値。", en: "The value to look for.")) var value: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Flag(help: .say(ja: "表の代わりに JSON で表示します。", en: "Print JSON instead of a table.")) var json = false

    func run() async throws {
        let lang = global.language
        try await stixReporting(lang) {
            let db = try await CommandDatabase(global).openForReading()
            let o = try await resolveOrganization(org, db: db, lang: lang)
            let env = try supplyChainEnvironment(db)
            let workspace = SharingWorkspace(env, caller: .commandLine(organizationID: o.id), organizationName: o.name)
            let result: SharingSearchResult
            do {
                result = try await workspace.search(value)
            } catch let e as SharingWorkspaceError {
                throw UserError(e.text[lang], exitCode: 1)
            }
            if json {
                print(try encodeJSON(SharingSearchAPIView(result)))
                return
            }
            let ja = lang == .ja
            print((ja ? "検索した値：" : "Searched for: ") + "\(result.understood.kind.label[lang]) \(result.understood.value)")
            guard !result.objects.isEmpty else {
                print(ja ? "閲覧できるコレクションに一致するオブジェクトはありません。" : "No object in the collections the organization may read carries this value.")
                return
            }
            var table = TextTable(ja ? ["種類", "ID", "TLP", "内容", "コレクション", "発信元", "追加日時"]
                                     : ["Type", "Id", "TLP", "Name / value / pattern", "Collection", "Published by", "Added"])
            for x in result.objects {
                table.add([x.type, x.objectID, x.tlpName + (x.cui ? " CUI" : ""), x.summary, x.collectionTitle, x.publisher.label[lang],
                           x.dateAdded])
            }
            print(table.render())
            if result.truncated { print(ja ? "（一致が多いため新しいものだけを表示しています）" : "(many matched; only the newest are shown)") }
        }
    }
}
