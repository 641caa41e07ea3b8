import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// The cloud services an organization uses, from the command line (issue 15 item 3): `tekigo cloud services` lists
// them with their standing today (a table, or JSON with --format json); `tekigo cloud use REF --system … --information
// cui` records one (the operator acting as the organization's owner, like the other server-side commands). Evaluations
// and commitments are the pages' and the API's.

/// Runs a cloud services command: refusals become their message in the chosen language and exit code 1.
func cloudServiceReporting(_ language: Language, _ body: () async throws -> Void) async throws {
    try await reporting {
        do {
            try await body()
        } catch let e as CloudServiceError {
            throw UserError(e.text[language], exitCode: 1)
        } catch let e as NotFound {
            throw UserError(language == .ja ? "\(e.what) が見つかりません。" : "\(e.what) was not found.", exitCode: 1)
        }
    }
}

struct CloudServices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: say(ja: "組織が使うクラウドサービスと、今日時点の状況（足りないもの、又は満たしていること）。", en: "The cloud services an organization uses, with their standing today (what is missing, or satisfied)."),
        discussion: say(ja: "例: tekigo cloud services --org 株式会社サンプル精機 --format json", en: "Example: tekigo cloud services --org 株式会社サンプル精機 --format json"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    struct View: Encodable {
        struct Verdict: Encodable { let regime: String; let satisfied: Bool; let basis: String; let missing: [LocalizedText] }
        let id: String
        let ref: String
        let name: String
        let information: String
        let systems: [String]
        let inRegistry: Bool
        let registry: String?
        let satisfied: Bool
        let verdicts: [Verdict]
        let ruleSetVersions: [String]
    }

    func run() async throws {
        let lang = global.language, ja = lang == .ja
        try await cloudServiceReporting(lang) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let all = try await CloudServiceQueries(c.env, c.scope).list()
            let views = all.map { s in
                View(id: s.service.id, ref: s.service.ref, name: s.service.name, information: s.service.information,
                     systems: s.systems.map(\.name), inRegistry: s.inRegistry, registry: s.registry.title, satisfied: s.satisfied,
                     verdicts: s.verdicts.map { .init(regime: $0.regime.rawValue, satisfied: $0.satisfied, basis: $0.basis.rawValue, missing: $0.missing) },
                     ruleSetVersions: s.evaluations.compactMap(\.ruleSetVersion))
            }
            if format == .json {
                print(try encodeJSON(views))
                return
            }
            if all.isEmpty {
                print(ja ? "クラウドサービスはまだ登録されていません。" : "No cloud services recorded yet.")
                return
            }
            for s in all {
                let standing = s.regimes.isEmpty ? (ja ? "対象制度なし" : "no regime") : s.satisfied ? (ja ? "満たしている" : "satisfied")
                    : (ja ? "不足あり" : "something missing")
                print("\(s.service.name)  \(s.service.ref)  [\(s.service.informationKind.label[lang])]  \(standing)")
                print("  " + (s.inRegistry ? (s.registry.title ?? "") : (ja ? "登録情報にありません" : "not in the registry")))
                for m in s.missing { print("  - " + m[lang]) }
            }
        }
    }
}

struct CloudUse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use",
        abstract: say(ja: "組織がクラウドサービスを使っていることを記録します: それを使うシステムと、預ける情報。", en: "Record that the organization uses a cloud service: its systems using it and what it holds."),
        discussion: say(ja: "例: tekigo cloud use fedramp:FR1704369518 --org 株式会社サンプル精機 --system 図面管理 --information cui", en: "Example: tekigo cloud use fedramp:FR1704369518 --org 株式会社サンプル精機 --system 図面管理 --information cui"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "fedramp:<パッケージ ID>、ismap:<登録番号> 又は other:<名前>。", en: "fedramp:<package id>, ismap:<registration number> or other:<name>.")) var ref: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(parsing: .singleValue, help: .say(ja: "それを使うシステム（名前又は ID）。複数なら繰り返し指定。", en: "A system using it, by name or id; repeat for several.")) var system: [String] = []
    @Option(help: .say(ja: "cui（CUI）, protected（保護すべき情報）又は none（なし）。", en: "cui, protected (保護すべき情報) or none.")) var information: String
    @Option(help: .say(ja: "組織での呼び名（省略時: 参照先の値）。", en: "How the organization calls it (default: the reference's value).")) var name: String = ""

    func run() async throws {
        try await cloudServiceReporting(global.language) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let systems = try await CloudServiceQueries(c.env, c.scope).systems()
            let ids = system.map { wanted in systems.first { $0.name == wanted }?.id ?? wanted }
            let r = try await CloudServiceUseCases(c.env, c.scope).add(CloudServiceDraft(ref: ref, name: name, information: information, systems: ids))
            let s = try await CloudServiceQueries(c.env, c.scope).service(id: r.id)
            print(try encodeJSON(CloudServices.View(
                id: r.id, ref: r.ref, name: r.name, information: r.information, systems: s.systems.map(\.name), inRegistry: s.inRegistry,
                registry: s.registry.title, satisfied: s.satisfied,
                verdicts: s.verdicts.map { .init(regime: $0.regime.rawValue, satisfied: $0.satisfied, basis: $0.basis.rawValue, missing: $0.missing) },
                ruleSetVersions: [])))
        }
    }
}
