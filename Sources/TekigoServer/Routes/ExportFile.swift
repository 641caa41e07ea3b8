import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoReports

/// One exported document in one format and language: the API's export route, the exports page and the export
/// bundle job all make files through this.
struct ExportFile: Sendable {
    let data: Data
    let contentType: String
    let filename: String

    /// Every format except OSCAL always works; for OSCAL the exporter says (`OSCALExporter.unavailable`). The SPRS
    /// summary is not made where only the Japanese standard applies (issue 17 item 3, `ExportDocument.applies(under:)`).
    static func isAvailable(_ document: ExportDocument, _ format: ExportFormat, report: AssessmentReport,
                            regime: ComplianceRegime = .us) -> Bool {
        document.applies(under: regime) && (format != .oscal || OSCALExporter.unavailable(document, report: report) == nil)
    }

    /// Every file the assessment can be exported as, in one language, under the organization's regime.
    static func all(for report: AssessmentReport, regime: ComplianceRegime = .us) -> [(ExportDocument, ExportFormat)] {
        ExportDocument.allCases.flatMap { d in
            ExportFormat.allCases.filter { isAvailable(d, $0, report: report, regime: regime) }.map { (d, $0) }
        }
    }

    /// `leveraged`: the cloud services whose inheritance was confirmed (`ResponsibilityUseCases.leveragedServices`),
    /// listed by the OSCAL SSP as leveraged authorizations (issue 15 item 4).
    /// `regime`: the organization's regime in effect (issue 17 item 3) — the words of the md, html, csv and xlsx
    /// documents and whether SPRS and CMMC appear; OSCAL is a data format and does not change.
    static func make(_ document: ExportDocument, _ format: ExportFormat, report r: AssessmentReport, language lang: Language,
                     leveraged: [OSCALLeveragedService] = [], regime: ComplianceRegime = .us) throws -> ExportFile {
        if let why = document.notApplicable(under: regime) { throw APIError.invalid(field: "document", message: why.en).ja(why.ja) }
        let data: Data
        let type: String
        switch format {
        case .oscal:
            do { data = try OSCALExporter.export(document, report: r, leveraged: leveraged) } catch let e as OSCALExportError {
                throw APIError.invalid(field: "format", message: e.description)
            }
            type = "application/json"
        case .md:
            data = Data(MarkdownReport.render(document, report: r, language: lang, regime: regime).utf8); type = "text/markdown; charset=utf-8"
        case .html:
            data = Data(HTMLReport.render(document, report: r, language: lang, regime: regime).utf8); type = "text/html; charset=utf-8"
        case .csv:
            data = CSVExport.data(SpreadsheetTables.sheets(document, report: r, language: lang, regime: regime)[0]); type = "text/csv; charset=utf-8"
        case .xlsx:
            data = try XLSXExport.data(SpreadsheetTables.sheets(document, report: r, language: lang, regime: regime))
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        return ExportFile(data: data, contentType: type, filename: "\(document.rawValue)-\(lang.rawValue).\(format.fileExtension)")
    }
}
