import ArgumentParser
import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoReports
import TekigoStore

// MARK: export

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the SSP, POA&M, assessment results or SPRS summary: OSCAL JSON, Markdown, HTML, CSV or XLSX.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: "ssp, poam, results or sprs.") var document: ExportDocument
    @Option(help: "oscal, md, html, csv or xlsx.") var format: ExportFormat = .md
    @Option(help: "Output file (default: <document>-<lang>.<ext> in the assessment folder; - for standard output).")
    var out: String?

    func run() async throws {
        try await reporting {
            let (ctx, ws, report) = try await loadReport(global, where_)
            defer { Task { await ctx.close() } }
            let lang = global.language
            let data: Data
            switch format {
            case .oscal: data = try OSCALExporter.export(document, report: report)
            case .md: data = Data(MarkdownReport.render(document, report: report, language: lang).utf8)
            case .html: data = Data(HTMLReport.render(document, report: report, language: lang).utf8)
            case .csv:
                let sheets = SpreadsheetTables.sheets(document, report: report, language: lang)
                data = CSVExport.data(sheets[0])
            case .xlsx: data = try XLSXExport.data(SpreadsheetTables.sheets(document, report: report, language: lang))
            }
            if out == "-" {
                FileHandle.standardOutput.write(data)
                return
            }
            let target = out.map { URL(fileURLWithPath: $0) }
                ?? ws.directory.appendingPathComponent("\(document.rawValue)-\(lang.rawValue).\(format.fileExtension)")
            do { try data.write(to: target, options: .atomic) } catch {
                throw UserError("cannot write \(target.path): \(error.localizedDescription)")
            }
            print(target.path)
        }
    }
}

extension ExportDocument: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
