import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// STIX 2.1 objects in and out of a sharing community's TAXII collection from the command line (issue 14 item 7), on
// the server's database like the incident commands, over the same use cases as the TAXII server: an import is one
// all-or-nothing add with its audit entry (`stix.objects-added`, actor `cli`), an export reads what the organization
// may see. The operator acts for an organization (`--org`) in one of its communities (`--community`, the TAXII API
// root's slug).

struct STIXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stix",
        abstract: say(ja: "共有コミュニティのコレクション（TAXII サーバーのコレクション）に STIX 2.1 オブジェクトを出し入れします。", en: "STIX 2.1 objects in and out of a sharing community's collection (the TAXII server's collections)."),
        subcommands: [STIXImport.self, STIXExport.self, STIXSearch.self])
}

/// The organization, its community and the collection a STIX command works on.
struct STIXTarget: ParsableArguments {
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "共有コミュニティ: そのスラッグ（TAXII の API ルート、/taxii2/<slug>/）。", en: "The sharing community: its slug (the TAXII API root, /taxii2/<slug>/).")) var community: String
    @Option(help: .say(ja: "コレクション: その ID、又はコミュニティでの別名。", en: "The collection: its id, or its alias in the community.")) var collection: String
}

/// Runs a STIX command: the sharing rules' refusals become their message (in the chosen language) and exit code 1.
func stixReporting(_ language: Language, _ body: () async throws -> Void) async throws {
    try await reporting {
        do {
            try await body()
        } catch let e as ThreatIntelError {
            throw UserError(e.text[language], exitCode: 1)
        }
    }
}

/// The export only reads: it never creates or migrates a database (`openForReading`); the import writes.
func stixContext(_ target: STIXTarget, _ global: GlobalOptions, writing: Bool) async throws -> (TenantEnvironment, TAXIICaller) {
    let db = writing ? try await CommandDatabase(global).openForWriting() : try await CommandDatabase(global).openForReading()
    let o = try await resolveOrganization(target.org, db: db, lang: global.language)
    return (try supplyChainEnvironment(db), .commandLine(organizationID: o.id))
}

struct STIXImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: say(ja: "STIX 2.1 バンドル（又は TAXII エンベロープ）のオブジェクトをコレクションに追加し、TAXII のステータスを JSON で表示します。", en: "Add the objects of a STIX 2.1 bundle (or a TAXII envelope) to a collection; prints the TAXII status as JSON."),
        discussion: say(ja: """
            全部か無しか: STIX の規則又は共有の規則に反するオブジェクトが 1 つでもあれば、そのオブジェクトを示してファイルを拒否し、
            何も保存しません。既に保存済みのオブジェクト（同じ id と modified）は、何も変えずに成功として扱います。
            例: tekigo stix import indicators.json --org 株式会社サンプル精機 --community dib-isac --collection indicators
            """, en: """
            All or nothing: one object that breaks a STIX rule or a sharing rule refuses the file, naming the object, and \
            nothing is stored. An object stored already (same id and modified) is a success that changes nothing. \
            Example: tekigo stix import indicators.json --org 株式会社サンプル精機 --community dib-isac --collection indicators
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "STIX 2.1 バンドル（JSON）。", en: "The STIX 2.1 bundle (JSON).")) var file: String
    @OptionGroup var target: STIXTarget

    struct View: Encodable {
        let id: String
        let status: String
        let totalCount: Int
        let successCount: Int
        let failureCount: Int
    }

    func run() async throws {
        try await stixReporting(global.language) {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw UserError(global.language == .ja ? "ファイル \(file) を読めません。" : "cannot read \(file).", exitCode: 1)
            }
            let (env, caller) = try await stixContext(target, global, writing: true)
            let s = try await ThreatIntelUseCases(env, caller).add(root: target.community, collection: target.collection, envelope: data)
            print(try encodeJSON(View(id: s.id, status: s.status, totalCount: s.totalCount, successCount: s.successCount,
                                      failureCount: s.failureCount)))
        }
    }
}

struct STIXExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: say(ja: "コレクションのうち組織が見られるオブジェクトを STIX 2.1 バンドルで表示します（それぞれ最新の版）。", en: "Print a collection's objects the organization may see as a STIX 2.1 bundle (the last version of each)."),
        discussion: say(ja: "例: tekigo stix export --org 株式会社サンプル精機 --community dib-isac --collection indicators > indicators.json", en: "Example: tekigo stix export --org 株式会社サンプル精機 --community dib-isac --collection indicators > indicators.json"))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: STIXTarget
    @Flag(help: .say(ja: "最新の版だけでなく、各オブジェクトのすべての版。", en: "Every version of each object, not only the last.")) var allVersions = false

    func run() async throws {
        try await stixReporting(global.language) {
            let (env, caller) = try await stixContext(target, global, writing: false)
            let (json, _) = try await ThreatIntelQueries(env, caller).bundle(root: target.community, collection: target.collection,
                                                                              allVersions: allVersions)
            FileHandle.standardOutput.write(json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
