import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoReports
import TekigoUseCases

/// Issue 17 item 4 in the browser: the assessment's workbook page — download links (Japanese, English: the API's
/// GET, the session's cookie suffices) and the upload form; the import is `AssessmentWorkbookUseCases`', and a
/// refused workbook shows every problem with its cell on the same page, nothing imported.
struct AssessmentWorkbookPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.assessmentWorkbook(org: .key, assessment: .key).pattern, use: show)
        pages.post(PageRoute.assessmentWorkbook(org: .key, assessment: .key).pattern, use: upload)
    }

    func show(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let a = try await web.assessmentRecord(page, context)
        return render(page, a.id, request: request, result: nil)
    }

    func upload(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let a = try await web.assessmentRecord(page, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        let data = form.files.first { $0.field == "workbook" }?.data ?? Data()
        do {
            let done = try await AssessmentWorkbookUseCases(services.tenantEnvironment, page.member.scope)
                .importWorkbook(assessmentID: a.id, data, by: page.viewer.user.displayName)
            let message = web.messages.text("workbook_imported", lang, ["rows": "\(done.rows)", "count": "\(done.applied.count)"])
            return render(page, a.id, request: request, result: .init(ok: true, message: message, problems: [], applied: done.applied))
        } catch let rejected as AssessmentWorkbook.Rejected {
            let message = web.messages.text("workbook_rejected", lang, ["count": "\(rejected.problems.count)"])
            let problems = rejected.problems.map {
                AssessmentWorkbookPage.Problem(cell: $0.cell ?? "—", conflict: $0.kind == .conflict, text: $0.text[lang])
            }
            return render(page, a.id, request: request, result: .init(ok: false, message: message, problems: problems, applied: []),
                          status: .unprocessableContent)
        } catch let e as AssessmentWorkbookError where e != .notAllowed {
            return render(page, a.id, request: request, result: .init(ok: false, message: e.text[lang], problems: [], applied: []),
                          status: .badRequest)
        }
    }

    func render(_ page: OrgPage, _ assessment: String, request: Request, result: AssessmentWorkbookPage.Result?,
                status: HTTPResponse.Status = .ok) -> Response {
        let api = "/api/v1/organizations/\(page.org)/assessments/\(assessment)/workbook"
        let model = AssessmentWorkbookPage(
            overviewURL: PageRoute.assessment(org: page.org, assessment: assessment).path,
            downloadJaURL: api + "?lang=ja", downloadEnURL: api + "?lang=en",
            action: PageRoute.assessmentWorkbook(org: page.org, assessment: assessment).path,
            canImport: page.member.role.allows(.editFindings), result: result)
        return web.orgView("assessment-workbook", page, titleKey: "workbook_title", section: "assessments", model: model,
                           request: request, status: status)
    }
}

/// `assessment-workbook`: the download links, the upload form and the last import's outcome.
struct AssessmentWorkbookPage: PageModel {
    struct Problem: Encodable, Sendable {
        let cell: String
        let conflict: Bool
        let text: String
    }
    struct Result: Encodable, Sendable {
        let ok: Bool
        let message: String
        let problems: [Problem]
        let applied: [String]
        var hasProblems: Bool { !problems.isEmpty }
        var hasApplied: Bool { !applied.isEmpty }

        enum CodingKeys: String, CodingKey { case ok, message, problems, applied, hasProblems, hasApplied }

        init(ok: Bool, message: String, problems: [Problem], applied: [String]) {
            self.ok = ok
            self.message = message
            self.problems = problems
            self.applied = applied
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ok, forKey: .ok)
            try c.encode(message, forKey: .message)
            try c.encode(problems, forKey: .problems)
            try c.encode(applied, forKey: .applied)
            try c.encode(hasProblems, forKey: .hasProblems)
            try c.encode(hasApplied, forKey: .hasApplied)
        }
    }
    let overviewURL: String
    let downloadJaURL: String
    let downloadEnURL: String
    let action: String
    let canImport: Bool
    let result: Result?
}
