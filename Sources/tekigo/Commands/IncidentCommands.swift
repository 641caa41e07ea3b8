import ArgumentParser
import Foundation
import TekigoCore
import TekigoServer
import TekigoSTIX
import TekigoStore
import TekigoUseCases

// Cyber incidents from the command line (issue 13, item 9): server-side commands on the same database as `tekigo
// serve` (--data-dir / --database-url), acting for the organization as the operator (`TenantScope.commandLine`), with
// JSON output in the API's shapes. Every read of an incident's details is audited, so even the reading commands open
// the database for writing. Refusals print the rule's message (IncidentError / IncidentUseCaseError) and exit 1.

struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: say(ja: "サイバーインシデントを記録・参照します（DFARS 252.204-7012、防衛省の基準）: 期限、報告、エクスポート。", en: "Record and read cyber incidents (DFARS 252.204-7012, the MOD standard): deadlines, submissions, exports."),
        subcommands: [IncidentOpen.self, IncidentList.self, IncidentShow.self, IncidentReport.self, IncidentReportFieldsCommand.self,
                      IncidentExport.self, IncidentShare.self,
                      IncidentHoldStatus.self, IncidentOpenSample.self])
}

/// `tekigo incident export --format`: the formats this Tekigo writes. Unknown values are refused with this list.
enum IncidentExportFormat: String, ExpressibleByArgument, CaseIterable {
    /// The incident as `tekigo incident show` prints it (the API's JSON).
    case json
    /// A STIX 2.1 bundle (Incident Core extension, the organization's identity, a TLP 2.0 marking).
    case stix
    /// The report draft (`--report`) as print-ready HTML or Markdown in `--lang`.
    case html, md
    /// The report draft (`--report`) as JSON (`tekigo.incident-report`).
    case reportJSON = "report-json"
}

extension IncidentReportKind: ExpressibleByArgument {}
extension TLPMarking: ExpressibleByArgument {}

/// The database, the environment and the scope the incident commands act in.
struct IncidentCommandContext {
    let db: TekigoDatabase
    let env: TenantEnvironment
    let scope: TenantScope
    let language: Language

    /// For the organization named by id or exact name.
    static func forOrganization(_ query: String, _ global: GlobalOptions) async throws -> IncidentCommandContext {
        let db = try await CommandDatabase(global).openForWriting()
        let o = try await resolveOrganization(query, db: db, lang: global.language)
        return try await make(db, organizationID: o.id, global)
    }

    /// For the organization the incident belongs to.
    static func forIncident(_ id: String, _ global: GlobalOptions) async throws -> IncidentCommandContext {
        let db = try await CommandDatabase(global).openForWriting()
        guard let org = try await IncidentQueries.organizationID(ofIncident: id, db: db) else {
            throw UserError(global.language == .ja ? "ID が「\(id)」のインシデントはありません。一覧は tekigo incident list --org ORG で確認できます。"
                                                   : "no incident has the id '\(id)'; list them with `tekigo incident list --org ORG`.", exitCode: 1)
        }
        return try await make(db, organizationID: org, global)
    }

    static func make(_ db: TekigoDatabase, organizationID: String, _ global: GlobalOptions) async throws -> IncidentCommandContext {
        guard let record = try await AccountUseCases(AccountEnvironment(db: db)).organization(id: organizationID) else {
            throw UserError(global.language == .ja ? "組織 \(organizationID) が見つかりません。" : "organization \(organizationID) was not found.",
                            exitCode: 2)
        }
        // No incident command seals a file, so the vault's key is the one that seals nothing (as for the supply chain).
        return IncidentCommandContext(db: db, env: try supplyChainEnvironment(db), scope: .commandLine(record, db: db),
                                      language: global.language)
    }

    var cases: IncidentUseCases { IncidentUseCases(env, scope) }
    var queries: IncidentQueries { IncidentQueries(env, scope) }
}

/// Runs an incident command: the rules' refusals become their message (in the chosen language) and exit code 1.
func incidentReporting(_ language: Language, _ body: () async throws -> Void) async throws {
    try await reporting {
        do {
            try await body()
        } catch let e as IncidentError {
            throw UserError(e.text[language], exitCode: 1)
        } catch let e as IncidentUseCaseError {
            throw UserError(e.text[language], exitCode: 1)
        } catch let e as IncidentReportFieldsError {
            throw UserError(e.text[language], exitCode: 1)
        } catch let e as NotFound {
            throw UserError(language == .ja ? "\(e.what) が見つかりません。" : "\(e.what) was not found.", exitCode: 1)
        }
    }
}

struct IncidentOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: say(ja: "サイバーインシデントを記録し、すべての期限とともに JSON で表示します。", en: "Record a cyber incident; prints it as JSON with every deadline."),
        discussion: say(ja: """
            発見日時には UTC からの時差が必要です。契約は、組織がサプライヤーとして結んでいるものを番号（又は ID）で、
            システムは名前（又は ID）で指定します。
            例: tekigo incident open --org 株式会社サンプル精機 --discovered 2027-01-08T02:13:00+09:00 \
            --title "CAD サーバのランサムウェア感染" --by 山田 --contract W58RGZ-27-C-0001
            """, en: """
            The discovery time must carry its UTC offset. Contracts are those on which the organization is the supplier, \
            named by number (or id); systems by name (or id). \
            Example: tekigo incident open --org 株式会社サンプル精機 --discovered 2027-01-08T02:13:00+09:00 \
            --title "CAD サーバのランサムウェア感染" --by 山田 --contract W58RGZ-27-C-0001
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "インシデントを発見した日時: 時差付きの ISO 8601（例: 2027-01-08T02:13:00+09:00）。", en: "When the incident was discovered: ISO 8601 with its offset, e.g. 2027-01-08T02:13:00+09:00.")) var discovered: String
    @Option(help: .say(ja: "短いタイトル。", en: "A short title.")) var title: String
    @Option(help: .say(ja: "発見した人（省略時: cli）。", en: "Who discovered it (default: cli).")) var by: String = "cli"
    @Option(help: .say(ja: "発見日時を表示する IANA のタイムゾーン（省略時: 指定した時差のまま）。", en: "An IANA time zone to show the discovery time in (default: its offset).")) var timeZone: String?
    @Option(parsing: .singleValue, help: .say(ja: "影響を受ける契約の番号（又は ID）。複数なら繰り返し指定。", en: "An affected contract's number (or id); repeat for several.")) var contract: [String] = []
    @Option(parsing: .singleValue, help: .say(ja: "影響を受けるシステムの名前（又は ID）。複数なら繰り返し指定。", en: "An affected system's name (or id); repeat for several.")) var system: [String] = []
    @Flag(help: .say(ja: "訓練として記録: 期限は進みますが、報告は行われません。", en: "An exercise: the clocks run, nothing is reported.")) var exercise = false

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let ja = c.language == .ja
            let linkable = try await c.queries.linkable()
            var contractIDs: [String] = []
            for name in contract {
                let matches = linkable.contracts.filter { $0.id == name || $0.number == name }
                guard !matches.isEmpty else {
                    let known = linkable.contracts.map { "\($0.number) (\($0.customerName))" }.joined(separator: ", ")
                    throw UserError(ja ? "契約「\(name)」はこの組織が受注者となっている契約にありません。指定できる契約: \(known.isEmpty ? "なし" : known)"
                                       : "contract '\(name)' is not one this organization holds as a supplier; known: \(known.isEmpty ? "none" : known)")
                }
                guard matches.count == 1 else {
                    let list = matches.map { "  \($0.id)  \($0.number)  \($0.customerName)" }.joined(separator: "\n")
                    throw UserError(ja ? "番号「\(name)」の契約が複数あります。ID で指定してください:\n\(list)"
                                       : "several contracts have the number '\(name)'; name one by its id:\n\(list)")
                }
                contractIDs.append(matches[0].id)
            }
            var systemIDs: [String] = []
            for name in system {
                guard let s = linkable.systems.first(where: { $0.id == name || $0.name == name }) else {
                    throw UserError(ja ? "システム「\(name)」はこの組織にありません。" : "the organization has no system '\(name)'.")
                }
                systemIDs.append(s.id)
            }
            let d = try await c.cases.open(IncidentDraft(title: title, discoveredAt: discovered, discoveredTimeZone: timeZone, discoveredBy: by,
                                                         systemIDs: systemIDs, contractIDs: contractIDs, exercise: exercise))
            print(try encodeJSON(IncidentView(d)))
        }
    }
}

struct IncidentList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: say(ja: "組織のインシデントを JSON で表示します: タイトル、段階、次の期限。", en: "An organization's incidents as JSON: titles, phases, the next deadline."),
        discussion: say(ja: "例: tekigo incident list --org 株式会社サンプル精機", en: "Example: tekigo incident list --org 株式会社サンプル精機"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let now = c.env.clock.now()
            print(try encodeJSON(try await c.queries.list().map { IncidentSummaryView($0, now: now) }))
        }
    }
}

struct IncidentShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: say(ja: "インシデント 1 件を JSON で表示します。期限はすべて ISO 8601 の日時です（参照は監査ログに記録）。", en: "One incident as JSON, every deadline as an ISO 8601 instant (the read is audited)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forIncident(id, global)
            print(try encodeJSON(IncidentView(try await c.queries.dossier(id: id))))
        }
    }
}

struct IncidentReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: say(ja: "報告を提出済みとして、国防総省から返された番号とともに記録します。", en: "Record a report as submitted, with the number DoD returned."),
        discussion: say(ja: """
            種類: \(SubmissionKind.allCases.map(\.rawValue).joined(separator: ", "))。続報には初回報告の番号を記載します。
            例: tekigo incident report ID --submitted 2027-01-09T10:00:00+09:00 --number ICF-1234 --channel "DC3 ICF"
            """, en: """
            Kinds: \(SubmissionKind.allCases.map(\.rawValue).joined(separator: ", ")). A follow-on cites the initial report's \
            number. Example: tekigo incident report ID --submitted 2027-01-09T10:00:00+09:00 --number ICF-1234 --channel "DC3 ICF"
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String
    @Option(help: .say(ja: "提出した日時: 時差付きの ISO 8601。", en: "When it was submitted: ISO 8601 with its offset.")) var submitted: String
    @Option(help: .say(ja: "提出先から返された報告番号（国防総省への報告では必須）。", en: "The report number the recipient returned (required for DoD reports).")) var number: String?
    @Option(help: .say(ja: "報告の種類。", en: "The kind of report.")) var kind: String = SubmissionKind.dodInitial.rawValue
    @Option(help: .say(ja: "提出の方法（ポータル、メール、電話）。", en: "How it was submitted (portal, e-mail, phone).")) var channel: String = ""
    @Option(help: .say(ja: "続報のとき: 参照する初回報告の番号（省略時: このインシデントのもの）。", en: "A follow-on: the initial report number it cites (default: this incident's).")) var cites: String?

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forIncident(id, global)
            let r = try await c.cases.recordSubmission(id: id, kind: kind, submittedAt: submitted, channel: channel,
                                                       reportNumber: number, cites: cites)
            print(try encodeJSON(IncidentSubmissionView(r)))
        }
    }
}

/// `tekigo incident report-fields ID [--file F]`: the fields a DoD (DC3 ICF) or MOD report asks for beyond the facts, as
/// the JSON object `PUT …/incidents/{id}/report-fields` takes — printed, or saved from a file at the incident's current
/// version (a shop keeps its CAGE code and contacts in one file and applies it to each incident).
struct IncidentReportFieldsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-fields",
        abstract: say(ja: "インシデントの報告項目を JSON で表示するか、JSON ファイルから保存します（--file。- なら標準入力）。", en: "Print the incident's report fields as JSON, or save them from a JSON file (--file, - for standard input)."),
        discussion: say(ja: """
            項目は PUT /api/v1/organizations/{org}/incidents/{id}/report-fields と同じです（openapi.yaml を参照）。
            指定しなかった項目は空になり、不明な項目は拒否します。保存する前にすべての値を確認します。
            例: tekigo incident report-fields ID --file fields.json
            """, en: """
            The members are those of PUT /api/v1/organizations/{org}/incidents/{id}/report-fields (see openapi.yaml);             a member left out is empty, an unknown one is refused, and every value is checked before anything is saved.             Example: tekigo incident report-fields ID --file fields.json
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String
    @Option(help: .say(ja: "保存する項目の JSON ファイル（- なら標準入力）。省略すると保存済みの項目を表示します。", en: "A JSON file with the fields to save (- for standard input). Without it the saved fields are printed."))
    var file: String?

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forIncident(id, global)
            let detail = try await c.queries.dossier(id: id)
            guard let file else {
                print(try encodeJSON(detail.typedReportFields ?? IncidentReportFields()))
                return
            }
            let fields = try Self.read(file, global.language)
            _ = try await c.cases.saveReportFields(id: id, fields, expectedVersion: detail.version)
            print(try encodeJSON(fields))
        }
    }

    /// The file's object, strictly: JSON, an object, only known members, every value valid (the decoder's checks name
    /// the member and say what is wrong).
    static func read(_ path: String, _ lang: Language) throws -> IncidentReportFields {
        let data: Data
        do {
            data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw UserError(lang == .ja ? "\(path) を読めません：\(error.localizedDescription)" : "Cannot read \(path): \(error.localizedDescription)", exitCode: 1)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw UserError(lang == .ja ? "\(path) は JSON のオブジェクトではありません（{\"facilityCAGE\": \"1ABC2\", …} の形で書いてください）。"
                                        : "\(path) is not a JSON object; write it like {\"facilityCAGE\": \"1ABC2\", …}.", exitCode: 1)
        }
        if let unknown = object.keys.sorted().first(where: { !IncidentReportFields.jsonMembers.contains($0) }) {
            let allowed = IncidentReportFields.jsonMembers.sorted().joined(separator: ", ")
            throw UserError(lang == .ja ? "\(path)：「\(unknown)」は記載事項にありません。使える項目：\(allowed)"
                                        : "\(path): unknown member '\(unknown)'. Allowed: \(allowed).", exitCode: 1)
        }
        do {
            return try JSONDecoder().decode(IncidentReportFields.self, from: data)
        } catch let DecodingError.dataCorrupted(c) {
            let at = c.codingPath.map(\.stringValue).joined(separator: ".")
            throw UserError(lang == .ja ? "\(path)：JSON として読めません\(at.isEmpty ? "" : "（「" + at + "」）")。JSON の書き方を確認してください。"
                                        : "\(path): \(at.isEmpty ? "" : at + ": ")\(c.debugDescription)", exitCode: 1)
        } catch let DecodingError.typeMismatch(_, c) {
            let at = c.codingPath.map(\.stringValue).joined(separator: ".")
            throw UserError(lang == .ja ? "\(path)：「\(at)」の値の形式が違います。" : "\(path): '\(at)' has the wrong kind of value.", exitCode: 1)
        } catch {
            throw UserError(lang == .ja ? "\(path) を記載事項として読めません：\(error)" : "\(path) cannot be read as report fields: \(error)", exitCode: 1)
        }
    }
}

struct IncidentExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: say(ja: "インシデントをエクスポートします（参照は形式とともに監査ログに記録）。", en: "Export an incident (the read is audited with its format)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String
    @Option(help: .say(ja: "形式: json（インシデント）, stix（STIX 2.1）, html / md / report-json（報告の下書き）。", en: "The format: json (the incident), stix (STIX 2.1), html / md / report-json (a report draft)."))
    var format: IncidentExportFormat
    @Option(help: .say(ja: "html, md, report-json で出す報告の下書き: dod-initial, dod-follow-on, dod-voluntary, mod-first, mod-detail（省略時: DFARS 252.204-7012 が適用されるなら dod-initial、そうでなければ mod-first）。", en: "Which report draft for html, md and report-json: dod-initial, dod-follow-on, dod-voluntary, mod-first, mod-detail (default: dod-initial when DFARS 252.204-7012 applies, else mod-first)."))
    var report: IncidentReportKind?
    @Option(help: .say(ja: "STIX エクスポートの TLP 2.0 表示: clear, green, amber, amber+strict, red。", en: "TLP 2.0 marking of a STIX export: clear, green, amber, amber+strict, red.")) var tlp: TLPMarking = .amber
    @Flag(help: .say(ja: "STIX: 経緯の説明を含めます。", en: "STIX: include the narrative.")) var includeNarrative = false
    @Flag(help: .say(ja: "STIX: 影響を受ける契約の番号を含めます。", en: "STIX: include the affected contracts' numbers.")) var includeContracts = false
    @Flag(help: .say(ja: "STIX: 国防総省の報告番号を含めます。", en: "STIX: include the DoD report numbers.")) var includeReportNumbers = false
    @Option(help: .say(ja: "標準出力の代わりにこのファイルに書き出します。", en: "Write to this file instead of standard output.")) var out: String?

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forIncident(id, global)
            let data: Data
            switch format {
            case .json:
                let d = try await c.queries.dossier(id: id, for: .export(format: format.rawValue))
                data = Data((try encodeJSON(IncidentView(d)) + "\n").utf8)
            case .stix:
                data = try await c.queries.stixBundle(id: id, options: STIXIncidentExportOptions(
                    marking: tlp, includeNarrative: includeNarrative, includeContracts: includeContracts,
                    includeReportNumbers: includeReportNumbers)).body
            case .html, .md, .reportJSON:
                let kind: IncidentReportKind
                if let report { kind = report } else {
                    let clauses = try await c.queries.dossier(id: id).dossier.clauses
                    kind = clauses.contains(.dfars7012) || !clauses.contains(.japaneseStandard) ? .dodInitial : .modFirst
                }
                let draft: IncidentDraftFormat = format == .html ? .html : format == .md ? .md : .json
                data = try await c.queries.reportDraft(id: id, kind: kind, format: draft, language: c.language).body
            }
            if let out {
                try writeAtomically(data, to: out, lang: c.language)
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
