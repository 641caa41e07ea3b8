import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

/// `tekigo cloud crm …` (issue 15 item 4): a provider's customer responsibility matrix for a service.
struct CloudCRMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: say(ja: "クラウドサービスについて事業者が出す顧客責任マトリクス（CRM の CSV、OSCAL の SSP 又はコンポーネント定義）。", en: "A provider's customer responsibility matrix (CRM CSV, OSCAL SSP or component definition) for a cloud service."),
        subcommands: [CloudCRMImport.self])
}

struct CloudCRMImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: say(ja: "サービスの事業者の責任マトリクスを取り込みます。前回の取込みは丸ごと置き換えます。", en: "Import a provider's responsibility matrix for a service, replacing the earlier one whole."),
        discussion: say(ja: """
            ファイルは、FedRAMP の CRM ワークシートの列（管理策 ID、責任、説明）の CSV か、OSCAL JSON
            （SSP の leveraged authorizations と inherited/satisfied の部分、又はコンポーネント定義）です。
            不明な管理策 ID の行は警告として示します。形の違うファイルは拒否し、何も変更しません。
            例: tekigo cloud crm import crm.csv --service fedramp:FR1704369518 --org 株式会社サンプル精機 \\
              --evidence "FedRAMP package FR1704369518, CRM 2026-03"
            """, en: """
            The file is a CSV in the FedRAMP CRM worksheet's columns (control id, responsibility, text) or OSCAL JSON
            (an SSP's leveraged authorizations and inherited/satisfied parts, or a component definition). Rows with an
            unknown control id are reported as warnings; a file of another shape is refused and nothing changes.
            Example: tekigo cloud crm import crm.csv --service fedramp:FR1704369518 --org 株式会社サンプル精機 \\
              --evidence "FedRAMP package FR1704369518, CRM 2026-03"
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "マトリクスのファイル（.csv 又は OSCAL の .json）。", en: "The matrix file (.csv or OSCAL .json).")) var file: String
    @Option(help: .say(ja: "fedramp:<パッケージ ID>、ismap:<登録番号> 又は other:<名前>。", en: "fedramp:<package id>, ismap:<registration number> or other:<name>.")) var service: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "事業者の証跡の場所（パッケージ、文書と版）。", en: "Where the provider's evidence is (package, document and version).")) var evidence: String
    @Option(help: .say(ja: "組織でのサービスの呼び名（省略時: 組織のサービス一覧での名前）。", en: "How the organization calls the service (default: its name among the organization's services).")) var name: String = ""
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    struct View: Encodable {
        let service: String
        let name: String
        let format: String
        let responsibilityColumn: String?
        let controls: Int
        let sha256: String
        let warnings: [String]
    }

    func run() async throws {
        let lang = global.language
        try await reporting {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw UserError(lang == .ja ? "ファイル \(file) を読めません。" : "cannot read \(file).", exitCode: 1)
            }
            do {
                let c = try await IncidentCommandContext.forOrganization(org, global)
                let r = try await ResponsibilityUseCases(c.env, c.scope).importMatrix(
                    data, fileName: URL(fileURLWithPath: file).lastPathComponent, service: service, name: name, evidenceReference: evidence)
                let view = View(service: r.record.serviceRef, name: r.record.serviceName, format: r.record.format,
                                responsibilityColumn: r.record.responsibilityColumn, controls: r.record.entryCount,
                                sha256: r.record.fileSha256, warnings: r.matrix.warnings.map { "\($0.location): \($0.message[lang])" })
                if format == .json {
                    print(try encodeJSON(view))
                } else {
                    print(lang == .ja ? "\(view.name)（\(view.service)）: 管理策 \(view.controls) 件を取り込みました（\(view.format)"
                                        + (view.responsibilityColumn.map { "、責任の列「\($0)」" } ?? "") + "）。"
                                      : "\(view.name) (\(view.service)): \(view.controls) controls imported (\(view.format)"
                                        + (view.responsibilityColumn.map { ", responsibility column '\($0)'" } ?? "") + ").")
                    for w in view.warnings { print((lang == .ja ? "警告 " : "warning ") + w) }
                }
            } catch let e as ResponsibilityError {
                throw UserError(e.text[lang], exitCode: 1)
            }
        }
    }
}

/// `tekigo cloud inherit …` (issue 15 item 4): what an assessment's requirement inherits from or shares with the
/// services whose matrices were imported, and the person's confirmation — the same use case as the editor and the API.
struct CloudInheritCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inherit",
        abstract: say(ja: "取り込んだ責任マトリクスにもとづく、クラウドサービスから継承（又は共有）する評価目標。ここで確認します。", en: "Objectives inherited from (or shared with) a cloud service, from its imported responsibility matrix; confirm them."),
        subcommands: [CloudInheritList.self, CloudInheritConfirm.self])
}

/// Runs an inheritance command: the use case's refusals, a finding changed meanwhile and an unknown id become their
/// message (in the chosen language) and exit code 1.
func inheritanceReporting(_ language: Language, _ body: () async throws -> Void) async throws {
    try await reporting {
        do {
            try await body()
        } catch let e as ResponsibilityError {
            throw UserError(e.text[language], exitCode: 1)
        } catch let e as VersionConflict {
            throw UserError(language == .ja ? "評価結果が読み込んだ後に変更されています（現在の版 \(e.current)）。もう一度一覧を確認してから記録してください。"
                                            : "a finding changed since it was read (current version \(e.current)); list again, then confirm.", exitCode: 1)
        }
    }
}

struct CloudInheritList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: say(ja: "評価の 1 つの要件について、取り込んだ責任マトリクスに何が書かれているかを示します（何も書き込みません）。", en: "What the imported responsibility matrices say of one requirement of an assessment (nothing is written)."),
        discussion: say(ja: """
            例: tekigo cloud inherit list 7c0e9a52-… 3.10.1 --org 株式会社サンプル精機 --format json
            """, en: """
            Example: tekigo cloud inherit list 7c0e9a52-… 3.10.1 --org 株式会社サンプル精機 --format json
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "評価の ID。", en: "The assessment's id.")) var assessment: String
    @Argument(help: .say(ja: "要件（例: 3.10.1。第3版なら 03.10.01）。", en: "The requirement (e.g. 3.10.1, or 03.10.01 for rev3).")) var requirement: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    struct View: Encodable {
        struct Offer: Encodable {
            let service: String
            let serviceName: String
            let inheritance: String
            let evidenceReference: String
            let objectives: [String]
            let providerControls: [String]
            let sharedControls: [String]
            let customerControls: [String]
            let confirmed: [String: String]
        }
        let assessment: String
        let requirement: String
        let offers: [Offer]
    }

    func run() async throws {
        let lang = global.language
        try await inheritanceReporting(lang) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let offers = try await ResponsibilityUseCases(c.env, c.scope).offers(assessmentID: assessment, requirement: requirement)
            let view = View(assessment: assessment, requirement: requirement, offers: offers.map { o in
                View.Offer(service: o.serviceRef, serviceName: o.serviceName, inheritance: o.inheritance.rawValue,
                           evidenceReference: o.evidenceReference, objectives: o.responsibility.objectives,
                           providerControls: o.responsibility.providerControls, sharedControls: o.responsibility.sharedControls,
                           customerControls: o.responsibility.customerControls, confirmed: o.confirmed)
            })
            if format == .json { print(try encodeJSON(view)); return }
            if view.offers.isEmpty {
                print(lang == .ja ? "\(requirement): 取り込んだ責任マトリクスに、この要件の継承・共有はありません。"
                                  : "\(requirement): no imported responsibility matrix makes this requirement inherited or shared.")
            }
            for o in view.offers {
                let head = o.inheritance == RequirementInheritance.inherited.rawValue
                    ? (lang == .ja ? "\(o.serviceName) が提供（継承）" : "Provided by \(o.serviceName) (inherited)")
                    : (lang == .ja ? "\(o.serviceName) と共同で実施（共有）" : "Shared with \(o.serviceName)")
                print("\(requirement)  \(head)  [\(o.service)]")
                print((lang == .ja ? "  事業者の証跡: " : "  provider's evidence: ") + o.evidenceReference)
                let controls = [(lang == .ja ? "事業者" : "provider", o.providerControls), (lang == .ja ? "共有" : "shared", o.sharedControls),
                                (lang == .ja ? "利用者" : "customer", o.customerControls)].filter { !$0.1.isEmpty }
                print("  " + controls.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: "; "))
                for objective in o.objectives {
                    let done = o.confirmed[objective].map { lang == .ja ? "確認済み（\($0)）" : "confirmed (\($0))" }
                        ?? (lang == .ja ? "未確認" : "not confirmed")
                    print("  \(objective)  \(done)")
                }
            }
        }
    }
}

struct CloudInheritConfirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: say(ja: "評価目標をサービスからの継承（又は共有）として確認し、選んだ状態を記録します。", en: "Confirm objectives as inherited from (or shared with) a service, recording the status you choose."),
        discussion: say(ja: """
            継承だけで評価目標が適合になることはありません。--status は必須で、記録されるのはその値です。
            事業者の証跡の参照は各判定に 1 回だけ追加します。--rationale を指定すると判定の根拠を置き換えます。
            すべての評価目標をまとめて書き込むか、何も書き込まないかのどちらかです。
            例: tekigo cloud inherit confirm 7c0e9a52-… 3.10.1 --service fedramp:FR1704369518 \
              --objective '3.10.1[a]' --objective '3.10.1[b]' --status met --org 株式会社サンプル精機
            """, en: """
            Inheritance never marks an objective met by itself: --status is required and is what is recorded. The \
            provider's evidence reference is added to each finding once; --rationale, when given, replaces the \
            finding's rationale. All objectives are written together or none.
            Example: tekigo cloud inherit confirm 7c0e9a52-… 3.10.1 --service fedramp:FR1704369518 \
              --objective '3.10.1[a]' --objective '3.10.1[b]' --status met --org 株式会社サンプル精機
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "評価の ID。", en: "The assessment's id.")) var assessment: String
    @Argument(help: .say(ja: "要件（例: 3.10.1）。", en: "The requirement (e.g. 3.10.1).")) var requirement: String
    @Option(help: .say(ja: "サービス: fedramp:<パッケージ ID>、ismap:<登録番号> 又は other:<名前>。", en: "The service: fedramp:<package id>, ismap:<registration number> or other:<name>.")) var service: String
    @Option(name: .customLong("objective"), help: .say(ja: "確認する評価目標（複数なら繰り返し指定。省略時: 示されたすべての評価目標）。", en: "An objective to confirm (repeat for several; default: every objective offered)."))
    var objectives: [String] = []
    @Option(help: .say(ja: "met（適合）, not-met（不適合）, not-applicable（該当なし）又は not-assessed（未評価）。", en: "met, not-met, not-applicable or not-assessed.")) var status: String
    @Option(help: .say(ja: "理由（指定すると判定の根拠を置き換えます）。", en: "Why (replaces the finding's rationale when given).")) var rationale: String = ""
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        let lang = global.language
        try await inheritanceReporting(lang) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let uc = ResponsibilityUseCases(c.env, c.scope)
            var chosen = objectives
            if chosen.isEmpty {
                let ref = (try? CloudServiceRef(parsing: service))?.description ?? service
                chosen = try await uc.offers(assessmentID: assessment, requirement: requirement).first { $0.serviceRef == ref }?
                    .responsibility.objectives ?? []
                if chosen.isEmpty {
                    // Let the use case say why (no matrix, nothing offered).
                    chosen = [requirement]
                }
            }
            let records = try await uc.confirm(assessmentID: assessment, requirement: requirement, service: service, objectives: chosen,
                                               status: status, rationale: rationale)
            if format == .json {
                struct Row: Encodable { let objective, service, inheritance, status, evidenceLocation: String }
                print(try encodeJSON(records.map { Row(objective: $0.objective, service: $0.serviceRef, inheritance: $0.inheritance,
                                                       status: $0.status, evidenceLocation: $0.evidenceLocation) }))
                return
            }
            for r in records {
                print(lang == .ja ? "\(r.objective): \(r.status) を記録しました（\(r.serviceRef) からの\(r.inheritance == "shared" ? "共有" : "継承")、証跡 \(r.evidenceLocation)）。"
                                  : "\(r.objective): recorded \(r.status) (\(r.inheritance) from \(r.serviceRef), evidence \(r.evidenceLocation)).")
            }
        }
    }
}
