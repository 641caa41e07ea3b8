import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoUseCases

/// Imports NIST's OSCAL catalog (uploaded by a platform administrator): the official wording then shows beside each
/// requirement in the editor. The same reader and store as `tekigo catalog import`; the store replaces the catalog
/// in one transaction, so a failed import leaves the earlier one intact.
enum CatalogImportJob {
    static let kind = JobUseCases.catalogImportKind

    static func run(_ services: Services, _ job: RunningJob) async throws {
        guard let p = try? JSONDecoder().decode(JobUseCases.CatalogImportParameters.self, from: Data(job.record.parameters.utf8)),
              let data = try await job.input()
        else { throw APIError.notFound("Job \(job.id)") }
        try await job.progress(done: 1, total: 3, message: p.filename)
        let catalogs = CatalogUseCases(db: services.db)
        let result = try catalogs.read(data, filename: p.filename)
        // Stopped before the import is stored, it is handed back and runs again elsewhere; once stored, it finishes.
        try Task.checkCancellation()
        try await job.progress(done: 2, total: 3, message: p.filename)
        try await catalogs.save(result, data: data, filename: p.filename, by: job.record.createdBy, organizationID: job.organizationID,
                                 sourceIP: "job")
        // "<catalog> <entries> <warnings>": the job page words it in the viewer's language.
        try await job.finish(message: "\(result.imported.catalog) \(result.imported.texts.count) \(result.warnings.count)")
    }
}

/// The jobs list, a job's progress page and its result.
struct JobPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.jobs(org: .key).pattern, use: jobsPage)
        pages.get(PageRoute.job(org: .key, job: .key).pattern, use: jobPage)
        pages.get(PageRoute.jobResult(org: .key, job: .key).pattern, use: jobResult)
    }

    func jobsPage(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let jobs = try await JobUseCases(services.tenantEnvironment, page.member.scope).recent()
        return web.orgView("jobs", page, titleKey: "jobs_title", section: "jobs", model: JobsPage(jobs.map { row(page, $0) }),
                           request: request)
    }

    /// One job as the list and the job's own page show it.
    func row(_ page: OrgPage, _ job: JobRecord) -> JobRow {
        let lang = page.language
        var message = job.message
        if job.kind == CatalogImportJob.kind, job.state == .finished {
            let parts = job.message.split(separator: " ").map(String.init)
            if parts.count == 3 {
                message = web.messages.text("job_import_done", lang, ["catalog": parts[0], "entries": parts[1], "warnings": parts[2]])
            }
        }
        return JobRow(url: PageRoute.job(org: page.org, job: job.id).path,
                      kind: web.messages.text("job_\(job.kind.replacingOccurrences(of: "-", with: "_"))", lang),
                      state: web.messages.text("job_state_\(job.state.rawValue)", lang), stateID: job.state.rawValue,
                      percent: job.percent, done: job.done, total: job.total, created: page.viewer.locale.dateTime(job.createdAt),
                      failed: job.state == .failed, message: message,
                      hasResult: job.state == .finished && job.resultName != nil, summary: job.state == .finished && job.resultName == nil,
                      resultURL: PageRoute.jobResult(org: page.org, job: job.id).path, resultName: job.resultName ?? "")
    }

    /// While the job runs, the page refreshes itself every two seconds (a `<meta>` refresh: no script). The page only
    /// reads: the job runner (a service of the application) runs the job, and a job still waiting wakes it.
    func jobPage(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let id = try context.parameters.require("job")
        let jobs = JobUseCases(services.tenantEnvironment, page.member.scope)
        guard let job = try await jobs.job(id: id) else { throw APIError.notFound("Job \(id)") }
        if jobs.waitsForRunner(job) { services.jobs.nudge() }
        let model = JobPage(job: row(page, job), refresh: job.state == .queued || job.state == .running,
                            jobsURL: PageRoute.jobs(org: page.org).path)
        return web.orgView("job", page, titleKey: "job_title", section: "jobs", model: model, request: request)
    }

    func jobResult(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let id = try context.parameters.require("job")
        guard let (job, data) = try await JobUseCases(services.tenantEnvironment, page.member.scope).result(id: id) else {
            throw APIError.notFound("Job result \(id)")
        }
        let name = job.resultName ?? "export.zip"
        return Response(status: .ok, headers: [.contentType: job.resultType ?? "application/zip",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Imported standards catalogs: the list for every member, and the upload (platform administrators only: an
/// import changes what every organization on the server sees).
struct CatalogPages {
    let web: WebApp
    var services: Services { web.services }
    /// NIST's largest OSCAL catalog (SP 800-53 rev5) is about 10 MB.
    static let maxFile = 64 * 1024 * 1024

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.catalogs(org: .key).pattern, use: catalogs)
        pages.post(PageRoute.catalogs(org: .key).pattern, use: importCatalog)
    }

    func catalogs(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await catalogsView(page, request: request, error: nil)
    }

    func catalogsView(_ page: OrgPage, request: Request, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let imports = try await CatalogUseCases(db: services.db).imports()
        let locale = page.viewer.locale
        let model = CatalogsPage(
            imports: imports.map {
                .init(id: $0.catalogID.rawValue, title: $0.title, version: $0.version, file: $0.sourceFile,
                      imported: locale.dateTime($0.importedAt), entries: locale.number($0.entryCount), warnings: $0.warningCount)
            },
            canImport: JobUseCases.mayImportCatalogs(page.viewer.user), action: PageRoute.catalogs(org: page.org).path, error: error,
            officialNotice: try await OfficialWordingNoticeModel.load(web, page, imports: imports))
        return web.orgView("catalogs", page, titleKey: "catalogs_title", section: "catalogs", model: model, request: request,
                           status: status)
    }

    func importCatalog(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        try JobUseCases.checkMayImportCatalogs(page.viewer.user)
        let form = try await web.postedForm(request, viewer: page.viewer)
        guard let file = form.files.first(where: { $0.field == "file" }), !file.data.isEmpty else {
            return try await catalogsView(page, request: request, error: web.messages.text("catalogs_error_file", page.language),
                                          status: .badRequest)
        }
        guard file.data.count <= Self.maxFile else {
            return try await catalogsView(page, request: request, error: web.messages.text("error_file_too_large", page.language,
                                                                                           ["size": "\(Self.maxFile / 1024 / 1024)"]),
                                          status: .contentTooLarge)
        }
        let job = try await JobUseCases(services.tenantEnvironment, page.member.scope)
            .queueCatalogImport(by: page.viewer.user, file: file.data, filename: file.filename)
        services.jobs.nudge()
        return WebApp.redirect(PageRoute.job(org: page.org, job: job.id).path)
    }
}

/// One job (`jobs`, `job`).
struct JobRow: Encodable, Sendable {
    let url: String
    let kind: String
    let state: String
    let stateID: String
    let percent: Int
    let done: Int
    let total: Int
    let created: String
    let failed: Bool
    let message: String
    let hasResult: Bool
    let summary: Bool
    let resultURL: String
    let resultName: String
}

/// `jobs`: the organization's recent jobs.
struct JobsPage: PageModel {
    let jobs: [JobRow]
    var empty: Bool { jobs.isEmpty }
    init(_ jobs: [JobRow]) { self.jobs = jobs }

    enum CodingKeys: CodingKey { case jobs, empty }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobs, forKey: .jobs)
        try c.encode(empty, forKey: .empty)
    }
}

/// `job`: one job's progress and result; its fields are the row's, with the refresh and the way back.
struct JobPage: PageModel {
    let job: JobRow
    let refresh: Bool
    let jobsURL: String

    enum CodingKeys: String, CodingKey { case refresh, jobsURL }
    func encode(to encoder: any Encoder) throws {
        try job.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(refresh, forKey: .refresh)
        try c.encode(jobsURL, forKey: .jobsURL)
    }
}

/// `catalogs`: the imported standards catalogs and, for platform administrators, the import form.
struct CatalogsPage: PageModel {
    struct Import: Encodable, Sendable {
        let id: String
        let title: String
        let version: String
        let file: String
        let imported: String
        let entries: String
        let warnings: Int
    }
    let imports: [Import]
    let canImport: Bool
    let action: String
    let error: String?
    /// Where NIST publishes the official wording, while none is imported (issue #17 item 2).
    var officialNotice: OfficialWordingNoticeModel? = nil

    enum CodingKeys: CodingKey { case imports, empty, canImport, action, error, officialNotice }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(imports, forKey: .imports)
        try c.encode(imports.isEmpty, forKey: .empty)
        try c.encode(canImport, forKey: .canImport)
        try c.encode(action, forKey: .action)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(officialNotice, forKey: .officialNotice)
    }
}
