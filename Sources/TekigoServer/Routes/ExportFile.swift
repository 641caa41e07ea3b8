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

    /// Every format except OSCAL always works; for OSCAL the exporter says (`OSCALExporter.unavailable`).
    static func isAvailable(_ document: ExportDocument, _ format: ExportFormat, report: AssessmentReport) -> Bool {
        format != .oscal || OSCALExporter.unavailable(document, report: report) == nil
    }

    /// Every file the assessment can be exported as, in one language.
    static func all(for report: AssessmentReport) -> [(ExportDocument, ExportFormat)] {
        ExportDocument.allCases.flatMap { d in ExportFormat.allCases.filter { isAvailable(d, $0, report: report) }.map { (d, $0) } }
    }

    /// `leveraged`: the cloud services whose inheritance was confirmed (`ResponsibilityUseCases.leveragedServices`),
    /// listed by the OSCAL SSP as leveraged authorizations (issue 15 item 4).
    static func make(_ document: ExportDocument, _ format: ExportFormat, report r: AssessmentReport, language lang: Language,
                     leveraged: [OSCALLeveragedService] = []) throws -> ExportFile {
        let data: Data
        let type: String
        switch format {
        case .oscal:
            do { data = try OSCALExporter.export(document, report: r, leveraged: leveraged) } catch let e as OSCALExportError {
                throw APIError.invalid(field: "format", message: e.description)
            }
            type = "application/json"
        case .md: data = Data(MarkdownReport.render(document, report: r, language: lang).utf8); type = "text/markdown; charset=utf-8"
        case .html: data = Data(HTMLReport.render(document, report: r, language: lang).utf8); type = "text/html; charset=utf-8"
        case .csv: data = CSVExport.data(SpreadsheetTables.sheets(document, report: r, language: lang)[0]); type = "text/csv; charset=utf-8"
        case .xlsx:
            data = try XLSXExport.data(SpreadsheetTables.sheets(document, report: r, language: lang))
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        return ExportFile(data: data, contentType: type, filename: "\(document.rawValue)-\(lang.rawValue).\(format.fileExtension)")
    }
}
