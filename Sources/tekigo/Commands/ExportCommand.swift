import ArgumentParser
import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoReports
import TekigoStore
import TekigoUseCases

// MARK: export

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: say(ja: "SSP、是正計画（POA&M）、評価結果又は SPRS の要約を書き出します: OSCAL JSON、Markdown、HTML、CSV 又は XLSX。", en: "Write the SSP, POA&M, assessment results or SPRS summary: OSCAL JSON, Markdown, HTML, CSV or XLSX."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "ssp, poam, results 又は sprs。", en: "ssp, poam, results or sprs.")) var document: ExportDocument
    @Option(help: .say(ja: "oscal, md, html, csv 又は xlsx。", en: "oscal, md, html, csv or xlsx.")) var format: ExportFormat = .md
    @Option(help: .say(ja: "出力ファイル（省略時: 評価フォルダーの <document>-<lang>.<ext>、OSCAL なら <document>-oscal.json。- なら標準出力）。", en: "Output file (default: <document>-<lang>.<ext> in the assessment folder, <document>-oscal.json for OSCAL; - for standard output)."))
    var out: String?
    @Option(help: .say(ja: "OSCAL の SSP だけ: import-profile の href。省略時: SSP の隣に書き出すカタログ（<catalog>-catalog.json）の file URI。", en: "OSCAL SSP only: the import-profile href. Default: the catalog written next to the SSP (<catalog>-catalog.json), by file URI."))
    var profileHref: String?
    @Flag(help: .say(ja: "md, html, csv, xlsx の SSP: Tekigo のわかりやすい解説（各要件が求めること、よくある証跡）を加えます。", en: "SSP in md, html, csv or xlsx: add Tekigo's plain-language guidance (what each requirement asks, typical evidence)."))
    var guidance = false
    @Option(help: .say(ja: "japanese, us 又は both: 文書の用語と SPRS・CMMC の有無（省略時: tekigo.yaml の regime、無ければ us）。OSCAL は変わりません。",
                       en: "japanese, us or both: the document's terms and whether SPRS and CMMC appear (default: tekigo.yaml's regime, else us). OSCAL is unchanged."))
    var regime: ComplianceRegime?

    func run() async throws {
        try await reporting {
            let (ctx, ws, loaded) = try await loadReport(global, where_)
            var report = loaded
            // Issue 17 item 3: --regime, else the folder's `regime:` key, else us (the documents as they always were).
            let regime = try self.regime ?? ws.regime() ?? .us
            if let why = document.notApplicable(under: regime) {
                throw UserError(why[global.language], exitCode: 2)
            }
            if guidance {
                guard document.takesGuidance(in: format) else {
                    throw UserError(global.language == .ja
                        ? "--guidance は SSP の md・html・csv・xlsx 形式だけに使えます（OSCAL には入れません）。"
                        : "--guidance applies to the SSP in md, html, csv or xlsx only (OSCAL carries no guidance).", exitCode: 2)
                }
                report.guidance = try GuidanceLibrary.builtIn
            }
            let lang = global.language
            let data: Data
            switch format {
            case .oscal:
                // An SSP names its baseline in import-profile, and OSCAL tools (trestle) resolve it while importing:
                // write the catalog beside the SSP and point at it by absolute file URI (trestle resolves relative
                // hrefs against its workspace root, not the SSP), unless the user names another reference.
                var href = profileHref
                if document == .ssp, href == nil, out != "-" {
                    let name = "\(report.catalog.id.rawValue)-catalog.json"
                    let dir = out.map { URL(fileURLWithPath: $0).deletingLastPathComponent() } ?? ws.directory
                    let texts = try await ctx.catalogs?.importedCatalogs().first { $0.catalog == report.catalog.id }?.texts ?? []
                    let catalogURL = dir.appendingPathComponent(name).standardizedFileURL
                    try write(try OSCALCatalogExporter.export(report.catalog, texts: texts), to: catalogURL)
                    href = catalogURL.absoluteString
                }
                data = try OSCALExporter.export(document, report: report, importProfileHref: href)
            case .md: data = Data(MarkdownReport.render(document, report: report, language: lang, regime: regime).utf8)
            case .html: data = Data(HTMLReport.render(document, report: report, language: lang, regime: regime).utf8)
            case .csv:
                let sheets = SpreadsheetTables.sheets(document, report: report, language: lang, regime: regime)
                data = CSVExport.data(sheets[0])
            case .xlsx: data = try XLSXExport.data(SpreadsheetTables.sheets(document, report: report, language: lang, regime: regime))
            }
            if out == "-" {
                FileHandle.standardOutput.write(data)
                return
            }
            let suffix = format == .oscal ? "oscal" : lang.rawValue
            let target = out.map { URL(fileURLWithPath: $0) }
                ?? ws.directory.appendingPathComponent("\(document.rawValue)-\(suffix).\(format.fileExtension)")
            try write(data, to: target)
            print(target.path)
        }
    }

    func write(_ data: Data, to target: URL) throws {
        do { try data.write(to: target, options: .atomic) } catch {
            throw UserError(say(ja: "\(target.path) に書き込めません。フォルダーがあるか、書き込み権限があるかを確認してください。",
                                en: "cannot write \(target.path): \(error.localizedDescription)"))
        }
    }
}

extension ExportDocument: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension ComplianceRegime: ExpressibleByArgument {}
