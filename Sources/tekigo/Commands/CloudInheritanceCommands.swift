import ArgumentParser
import Foundation
import TekigoCore
import TekigoUseCases

/// `tekigo cloud crm …` (issue 15 item 4): a provider's customer responsibility matrix for a service.
struct CloudCRMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "A provider's customer responsibility matrix (CRM CSV, OSCAL SSP or component definition) for a cloud service.",
        subcommands: [CloudCRMImport.self])
}

struct CloudCRMImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a provider's responsibility matrix for a service, replacing the earlier one whole.",
        discussion: """
            The file is a CSV in the FedRAMP CRM worksheet's columns (control id, responsibility, text) or OSCAL JSON
            (an SSP's leveraged authorizations and inherited/satisfied parts, or a component definition). Rows with an
            unknown control id are reported as warnings; a file of another shape is refused and nothing changes.
            Example: tekigo cloud crm import crm.csv --service fedramp:FR1704369518 --org 株式会社サンプル精機 \\
              --evidence "FedRAMP package FR1704369518, CRM 2026-03"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The matrix file (.csv or OSCAL .json).") var file: String
    @Option(help: "fedramp:<package id>, ismap:<registration number> or other:<name>.") var service: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Option(help: "Where the provider's evidence is (package, document and version).") var evidence: String
    @Option(help: "How the organization calls the service (default: its name among the organization's services).") var name: String = ""
    @Option(help: "table or json.") var format: OutputFormat = .table

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
