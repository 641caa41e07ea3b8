import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TekigoCore
import TekigoReports
import TekigoStore
import TekigoUseCases

/// The exports page (every document in every format the assessment engine makes, in Japanese or English) and the
/// jobs that make the larger ones: "every document" as one ZIP runs as a job with a progress bar the user can
/// leave and come back to.
struct ExportPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.exports(org: .key, assessment: .key).pattern, use: exportsPage)
        pages.post(PageRoute.exports(org: .key, assessment: .key).pattern, use: startBundle)
    }

    func exportsPage(_ request: Request, context: AppContext) async throws -> Response {
        let (page, a, report) = try await web.assessmentPage(request, context, .export)
        let lang = page.language
        let regime = try await services.organizations(page.member).regimeInEffect()  // issue 17 item 3
        let terms = RegimeTerms(regime, lang)
        // The plan's name in the regime's terms (システムセキュリティ実装計画書 under the Japanese standard).
        func label(_ key: String) -> String {
            guard regime != .us else { return web.messages.text("document_\(key)", lang) }
            switch key {
            case "ssp": return terms.securityPlan
            case "ssp_guidance": return web.messages.text("regime_document_ssp_guidance", lang, ["plan": terms.securityPlan])
            default: return web.messages.text("document_\(key)", lang)
            }
        }
        // Each document in every format it is available in; then the SSP with Tekigo's guidance (issue 17 item 1).
        func row(_ d: ExportDocument, _ key: String, guidance: Bool) -> ExportsPage.Document {
            ExportsPage.Document(
                docLabel: label(key), docHint: web.messages.text("document_\(key)_hint", lang),
                docLanguages: Language.allCases.map { l in
                    .init(langLabel: web.messages.text("language_\(l.rawValue)", lang),
                          formats: ExportFormat.allCases
                              .filter { ExportFile.isAvailable(d, $0, report: report, regime: regime) && (!guidance || d.takesGuidance(in: $0)) }
                              .map { f in
                                  .init(label: web.messages.text("format_\(f.rawValue)", lang),
                                        url: APILink.export(page.org, a.id, d.rawValue, f.rawValue, l.rawValue) + (guidance ? "&guidance=1" : ""))
                              })
                })
        }
        // The SPRS summary only where the US regime applies (issue 17 item 3).
        var documents = ExportDocument.allCases.filter { $0.applies(under: regime) }.map { row($0, $0.rawValue, guidance: false) }
        documents.insert(row(.ssp, "ssp_guidance", guidance: true), at: 1)
        let model = ExportsPage(
            documents: documents, overviewURL: PageRoute.assessment(org: page.org, assessment: a.id).path,
            action: PageRoute.exports(org: page.org, assessment: a.id).path,
            languages: Language.allCases.map {
                .init(value: $0.rawValue, label: web.messages.text("language_\($0.rawValue)", lang), selected: $0 == lang)
            })
        return web.orgView("exports", page, titleKey: "exports_title", section: "assessments", model: model, request: request)
    }

    /// Starts the "every document" bundle for the chosen language and goes to its progress page.
    func startBundle(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let a = try await web.assessmentRecord(page, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = Language(rawValue: form["language"]) ?? page.language
        let parameters = JSONBundleParameters(assessment: a.id, language: lang.rawValue)
        let job = try await JobUseCases(services.tenantEnvironment, page.member.scope)
            .startExportBundle(assessmentID: a.id, parameters: parameters.encoded,
                               total: ExportDocument.allCases.count * ExportFormat.allCases.count)
        services.jobs.nudge()
        return WebApp.redirect(PageRoute.job(org: page.org, job: job.id).path)
    }
}

/// `exports`: every document of the assessment, by language, with the formats it is available in, and the bundle form.
struct ExportsPage: PageModel {
    struct Document: Encodable, Sendable {
        let docLabel: String
        let docHint: String
        let docLanguages: [DocumentLanguage]
    }
    struct DocumentLanguage: Encodable, Sendable {
        let langLabel: String
        let formats: [Format]
    }
    struct Format: Encodable, Sendable {
        let label: String
        let url: String
    }
    let documents: [Document]
    let overviewURL: String
    let action: String
    let languages: [SelectOption]
}

struct JSONBundleParameters: Codable, Sendable {
    let assessment: String
    let language: String

    var encoded: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

/// Makes every available document × format of one assessment in one language, reporting progress after each
/// file, and stores the ZIP sealed with the server's key (exports hold the system's security details).
enum BundleJob {
    static let kind = JobUseCases.exportBundleKind

    static func run(_ services: Services, _ job: RunningJob) async throws {
        guard let p = try? JSONDecoder().decode(JSONBundleParameters.self, from: Data(job.record.parameters.utf8)) else {
            throw APIError.notFound("Job \(job.id)")
        }
        let lang = Language(rawValue: p.language) ?? .ja
        let reads = AssessmentQueries(services.tenantEnvironment, try await job.scope())
        guard let assessment = try await reads.assessment(id: p.assessment) else { throw APIError.notFound("Assessment \(p.assessment)") }
        let report = try await reads.report(assessment, draftLanguage: lang)
        let regime = try await OrganizationUseCases(services.tenantEnvironment, try await job.scope()).regimeInEffect()  // issue 17 item 3
        let files = ExportFile.all(for: report, regime: regime)
        let leveraged = try await ResponsibilityUseCases(services.tenantEnvironment, try await job.scope()).leveragedServices(assessmentID: p.assessment)
        var entries: [(path: String, data: Data)] = []
        for (i, (document, format)) in files.enumerated() {
            // Stopped (graceful shutdown), the job is handed back and made again from the start elsewhere.
            try Task.checkCancellation()
            let file = try ExportFile.make(document, format, report: report, language: lang, leveraged: leveraged, regime: regime)
            entries.append((file.filename, file.data))
            try await job.progress(done: i + 1, total: files.count, message: file.filename)
        }
        try await job.finish(resultName: "tekigo-\(report.assessment.date)-\(lang.rawValue).zip", resultType: "application/zip",
                             result: try ZipBundle.data(entries))
    }
}
