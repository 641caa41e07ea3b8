import Foundation
import TekigoCore
import TekigoReports
import TekigoSTIX

/// A file made from an incident: its bytes, media type and the extension its download name takes.
public struct IncidentDocument: Sendable, Hashable {
    public let body: Data
    public let contentType: String
    public let fileExtension: String
    public let language: Language?
}

/// How an incident's report draft is written (issue 13, item 3): print-ready HTML, Markdown, or the JSON shape of
/// `IncidentReportJSON`.
public enum IncidentDraftFormat: String, Sendable, CaseIterable {
    case html, md, json
}

/// The incident exports, made once here for the API, the pages and the command line: the DoD / MOD report drafts
/// (TekigoReports) with the organization's configured reporting channel, and the STIX 2.1 bundle (TekigoSTIX). Each is
/// a read of the incident's details, audited as an export with its format (`IncidentQueries.dossier(for: .export)`).
extension IncidentQueries {
    /// The reporting channel a draft names: the organization's configuration (the readiness page's reporting
    /// channels), never code — the DoD channel moved from DIBNet to the DC3 portal in 2025 and may move again. Until it
    /// is set, the draft names the channel generically and leaves the address out.
    public func reportChannel(for kind: IncidentReportKind) async throws -> IncidentReportChannel {
        let configured = try await ReadinessQueries(env, scope).channels()
        if kind.isDoD {
            let name = configured?.dodChannelName.trimmingCharacters(in: .whitespaces) ?? ""
            return IncidentReportChannel(
                name: name.isEmpty ? LocalizedText(en: "the DoD cyber incident reporting channel (DC3)",
                                                   ja: "国防総省のサイバーインシデント報告窓口（DC3）") : LocalizedText(name),
                address: configured?.dodChannelAddress ?? "")
        }
        let name = configured?.modContactName.trimmingCharacters(in: .whitespaces) ?? ""
        let address = [configured?.modContactPhone, configured?.modContactEmail].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " / ")
        return IncidentReportChannel(
            name: name.isEmpty ? LocalizedText(en: "the MOD / ATLA contact named in the contract", ja: "契約で指定された防衛省・防衛装備庁の窓口")
                : LocalizedText(name),
            address: address)
    }

    /// A report draft of the incident in `format` and `language`, times in `timeZone` (the viewer's; nil: the
    /// discoverer's). A stored draft that no longer decodes is refused, not silently replaced by an empty one.
    public func reportDraft(id: String, kind: IncidentReportKind, format: IncidentDraftFormat, language: Language,
                            timeZone: TimeZone? = nil) async throws -> IncidentDocument {
        let d = try await dossier(id: id, for: .export(format: "report-\(kind.rawValue)-\(format.rawValue)"))
        let fields = try d.reportFields.map { try IncidentReportFields.decodeStored($0) } ?? IncidentReportFields()
        let input = IncidentReportInput(dossier: d.dossier, fields: fields, kind: kind, channel: try await reportChannel(for: kind),
                                        generatedAt: d.now, timeZone: timeZone)
        switch format {
        case .html:
            return IncidentDocument(body: Data(IncidentReportHTML.render(input, language: language).utf8),
                                    contentType: "text/html; charset=utf-8", fileExtension: "html", language: language)
        case .md:
            return IncidentDocument(body: Data(IncidentReportMarkdown.render(input, language: language).utf8),
                                    contentType: "text/markdown; charset=utf-8", fileExtension: "md", language: language)
        case .json:
            return IncidentDocument(body: IncidentReportJSON.data(input), contentType: "application/json",
                                    fileExtension: "json", language: nil)
        }
    }

    /// The incident as a STIX 2.1 bundle (Incident Core extension, the organization's identity, the chosen TLP 2.0
    /// marking); narrative, contracts and report numbers only when `options` asks for them.
    public func stixBundle(id: String, options: STIXIncidentExportOptions) async throws -> IncidentDocument {
        let d = try await dossier(id: id, for: .export(format: "stix"))
        return IncidentDocument(body: try STIXIncidentExporter.export(d.dossier, options: options),
                                contentType: "application/stix+json;version=2.1", fileExtension: "json", language: nil)
    }
}

extension IncidentReportFields {
    /// The stored draft (JSON text written by `saveReportFields`), or the reason it does not decode.
    static func decodeStored(_ text: String) throws -> IncidentReportFields {
        do { return try JSONDecoder().decode(IncidentReportFields.self, from: Data(text.utf8)) } catch {
            throw IncidentUseCaseError.reportFieldsNotJSON
        }
    }
}
