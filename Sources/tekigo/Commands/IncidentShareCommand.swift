import ArgumentParser
import Foundation
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

/// `tekigo incident share ID --collection C --tlp amber [--observable V]… [--preview]` (issue 14 item 5): the incident's
/// sanitized STIX bundle into a community's collection, as the operator acting for the incident's organization. Each
/// `--observable` value is recorded on the incident first when it is not there yet (its kind recognised), then
/// shared. `--preview` prints exactly what would leave (the bundle, a line per object, its SHA-256) and writes
/// nothing else; without it the same bundle is published through every sharing rule and the share printed.
struct IncidentShare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share", abstract: say(ja: "インシデントから機微な情報を除いた STIX バンドルをコミュニティのコレクションに共有します（先に --preview で確認）。", en: "Share an incident's sanitized STIX bundle into a community's collection (preview first with --preview)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String
    @Option(help: .say(ja: "コレクション: その ID、又は `tekigo community show` に出るタイトル（組織が書き込めるもの）。", en: "The collection: its id, or its title as `tekigo community show` lists it (one the organization may write)."))
    var collection: String
    @Option(help: .say(ja: "TLP 2.0: clear, green, amber, amber+strict, red。", en: "TLP 2.0: clear, green, amber, amber+strict, red.")) var tlp: TLPMarking = .amber
    @Option(name: .customLong("observable"), help: .say(ja: "共有する値（IP アドレス、ドメイン、URL、メールアドレス、MD5/SHA-1/SHA-256 のハッシュ又は CVE ID）。複数なら繰り返し指定。", en: "A value to share (an IP address, domain, URL, e-mail address, MD5/SHA-1/SHA-256 hash or CVE id); repeat for several."))
    var observables: [String] = []
    @Flag(help: .say(ja: "組織名とインシデントのタイトルを含めます（指定しなければ伏せます）。", en: "Include the organization's name and the incident's title (withheld otherwise).")) var includeNames = false
    @Flag(help: .say(ja: "経緯の説明を含めます。", en: "Include the narrative.")) var includeNarrative = false
    @Flag(help: .say(ja: "影響を受ける契約の番号を含めます。", en: "Include the affected contracts' numbers.")) var includeContracts = false
    @Flag(help: .say(ja: "国防総省の報告番号を含めます。", en: "Include the DoD report numbers.")) var includeReportNumbers = false
    @Flag(help: .say(ja: "すべてに CUI と表示します（そのあとは CUI を認められた組織だけが受け取れます）。", en: "Mark everything CUI (only organizations authorized for CUI may then receive it).")) var cui = false
    @Flag(help: .say(ja: "外に出る内容を表示するだけで、何も公開しません。", en: "Print what would leave and publish nothing.")) var preview = false

    struct Output: Encodable {
        let preparedAt: String
        let digest: String
        let collection: String
        let community: String
        let objects: [String]
        let bundle: JSONValue
    }

    func run() async throws {
        let lang = global.language
        try await incidentReporting(lang) {
            do {
                let c = try await IncidentCommandContext.forIncident(id, global)
                let uc = IncidentShareUseCases(c.env, c.scope)
                let targets = try await uc.targets()
                guard let target = targets.first(where: { $0.collectionID == collection })
                        ?? targets.first(where: { $0.collectionTitle == collection }) else {
                    throw IncidentShareError.unknownCollection(collection)
                }
                var ids: [String] = []
                if !observables.isEmpty {
                    let known = try await uc.observables(incidentID: id)
                    for v in observables {
                        guard let (kind, kept) = STIXObservableKind.detect(v) else { throw IncidentShareError.unrecognizedValue(v) }
                        if let r = known.first(where: { $0.kind == kind.rawValue && $0.value == kept }) {
                            ids.append(r.id)
                        } else if preview {
                            // A preview writes nothing: a value not yet recorded cannot be previewed.
                            throw UserError(lang == .ja ? "観測値「\(v)」はまだインシデントに記録されていません。--preview なしで共有すると記録してから共有します。"
                                                        : "'\(v)' is not recorded on the incident yet; sharing without --preview records it first.",
                                            exitCode: 1)
                        } else {
                            ids.append(try await uc.addObservable(incidentID: id, value: v).id)
                        }
                    }
                }
                let choice = IncidentShareChoice(collectionID: target.collectionID, tlp: tlp.rawValue, includeNarrative: includeNarrative,
                                                 includeContracts: includeContracts, includeReportNumbers: includeReportNumbers,
                                                 includeNames: includeNames, markCUI: cui, observableIDs: ids)
                let p = try await uc.preview(incidentID: id, choice: choice)
                if preview {
                    let bundle = try JSONDecoder().decode(JSONValue.self, from: Data(p.json.utf8))
                    print(try encodeJSON(Output(preparedAt: p.preparedAt, digest: p.digest, collection: target.collectionID,
                                                community: target.communitySlug, objects: p.lines.map { $0.summary[lang] }, bundle: bundle)))
                    return
                }
                let r = try await uc.publish(incidentID: id, choice: choice, preparedAt: p.preparedAt, digest: p.digest)
                print(try encodeJSON(r))
            } catch let e as IncidentShareError {
                throw UserError(e.text[lang], exitCode: 1)
            }
        }
    }
}
