import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TekigoCore
import TekigoReports
import TekigoStore

/// The exports page (every document in every format the assessment engine makes, in Japanese or English) and the
/// jobs that make the larger ones: "every document" as one ZIP runs as a job with a progress bar the user can
/// leave and come back to.
struct ExportPages {
    let web: WebApp
    var services: Services { web.services }
    static let bundleKind = "export-bundle"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get("/o/:org/assessments/:assessment/exports", use: exportsPage)
        pages.post("/o/:org/assessments/:assessment/exports", use: startBundle)
        pages.get("/o/:org/jobs", use: jobsPage)
        pages.get("/o/:org/jobs/:job", use: jobPage)
        pages.get("/o/:org/jobs/:job/result", use: jobResult)
    }

    func exportsPage(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let a = try await web.assessmentRecord(page, context)
        let report = try await web.report(page, a)
        let lang = page.language
        let base = "/api/v1/organizations/\(page.org)/assessments/\(a.id)/export"
        let documents = ExportDocument.allCases.map { d -> [String: Any] in
            ["doc_label": web.messages.text("document_\(d.rawValue)", lang), "doc_hint": web.messages.text("document_\(d.rawValue)_hint", lang),
             "id": d.rawValue,
             "doc_languages": Language.allCases.map { l -> [String: Any] in
                 ["lang_label": web.messages.text("language_\(l.rawValue)", lang),
                  "formats": ExportFormat.allCases.filter { ExportFile.isAvailable(d, $0, report: report) }.map { f in
                      ["label": web.messages.text("format_\(f.rawValue)", lang),
                       "url": "\(base)/\(d.rawValue)?format=\(f.rawValue)&lang=\(l.rawValue)"] }]
             }]
        }
        return web.orgView("exports", page, titleKey: "exports_title", section: "assessments", data: [
            "documents": documents, "overview_url": WebPath.assessment(page.org, a.id), "action": WebPath.exports(page.org, a.id),
            "languages": Language.allCases.map { ["value": $0.rawValue, "label": web.messages.text("language_\($0.rawValue)", lang),
                                                  "selected": $0 == lang] },
        ], request: request)
    }

    /// Starts the "every document" bundle for the chosen language and goes to its progress page.
    func startBundle(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let a = try await web.assessmentRecord(page, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = Language(rawValue: form["language"]) ?? page.language
        let parameters = JSONBundleParameters(assessment: a.id, language: lang.rawValue)
        let jobs = JobStore(services.db, organizationID: page.org)
        let job = try await jobs.create(kind: Self.bundleKind, parameters: parameters.encoded, total: ExportDocument.allCases.count * ExportFormat.allCases.count,
                                        createdBy: page.member.actor.id)
        _ = try await AuditLog(services.db).append(AuditEvent(actor: page.member.actor.id, organizationID: page.org,
                                                              sourceIP: page.member.actor.sourceIP, action: "export.bundle-started",
                                                              object: "assessment/\(a.id)/job/\(job.id)", beforeDigest: nil, afterDigest: nil))
        BundleJob(services: services, organizationID: page.org, jobID: job.id, logger: context.logger).startIfClaimable()
        return WebApp.redirect(WebPath.job(page.org, job.id))
    }

    func jobsPage(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let jobs = try await JobStore(services.db, organizationID: page.org).recent()
        return web.orgView("jobs", page, titleKey: "jobs_title", section: "jobs", data: [
            "jobs": jobs.map { jobData(page, $0) }, "empty": jobs.isEmpty,
        ], request: request)
    }

    func jobData(_ page: OrgPage, _ job: JobRecord) -> [String: Any] {
        let lang = page.language
        return ["id": job.id, "url": WebPath.job(page.org, job.id), "kind": web.messages.text("job_\(job.kind.replacingOccurrences(of: "-", with: "_"))", lang),
                "state": web.messages.text("job_state_\(job.state.rawValue)", lang), "state_id": job.state.rawValue,
                "percent": job.percent, "done": job.done, "total": job.total, "created": page.viewer.locale.dateTime(job.createdAt),
                "finished": job.state == .finished, "failed": job.state == .failed, "message": job.message,
                "result_url": WebPath.jobResult(page.org, job.id), "result_name": job.resultName ?? ""]
    }

    /// While the job runs, the page refreshes itself every two seconds (a `<meta>` refresh: no script). A job left
    /// behind by a stopped server (expired lease) is picked up again here.
    func jobPage(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let id = try context.parameters.require("job")
        let jobs = JobStore(services.db, organizationID: page.org)
        guard var job = try await jobs.job(id: id) else { throw APIError.notFound("Job \(id)") }
        if job.state == .queued || (job.state == .running && (job.leaseUntil ?? "") < Timestamp.now()) {
            BundleJob(services: services, organizationID: page.org, jobID: job.id, logger: context.logger).startIfClaimable()
            job = try await jobs.job(id: id) ?? job
        }
        var data = jobData(page, job)
        data["refresh"] = job.state == .queued || job.state == .running
        data["jobs_url"] = WebPath.jobs(page.org)
        return web.orgView("job", page, titleKey: "job_title", section: "jobs", data: data, request: request)
    }

    func jobResult(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .export)
        let id = try context.parameters.require("job")
        let jobs = JobStore(services.db, organizationID: page.org)
        guard let job = try await jobs.job(id: id), let sealed = try await jobs.result(id: id) else { throw APIError.notFound("Job result \(id)") }
        guard let data = services.evidence.key.unseal(sealed, binding: BundleJob.binding(organizationID: page.org, jobID: id)) else {
            throw APIError.notFound("Job result \(id)")
        }
        let name = job.resultName ?? "export.zip"
        return Response(status: .ok, headers: [.contentType: job.resultType ?? "application/zip",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct JSONBundleParameters: Codable, Sendable {
    let assessment: String
    let language: String

    var encoded: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

/// Makes every available document × format of one assessment in one language, reporting progress after each
/// file, and stores the ZIP sealed with the server's key (exports hold the system's security details).
struct BundleJob: Sendable {
    let services: Services
    let organizationID: String
    let jobID: String
    let logger: Logger

    static func binding(organizationID: String, jobID: String) -> Data { Data("tekigo-job:\(organizationID):\(jobID)".utf8) }

    /// Claims the job and runs it in the background; does nothing when another runner holds it.
    func startIfClaimable() {
        Task.detached {
            let jobs = JobStore(services.db, organizationID: organizationID)
            do {
                guard try await jobs.claim(id: jobID) else { return }
                try await run(jobs)
            } catch {
                logger.error("export job failed", metadata: ["job": "\(jobID)", "error": "\(error)"])
                // The user sees what they can act on; the details are in the server log under the job id.
                try? await jobs.fail(id: jobID, message: (error as? APIError)?.message ?? "job \(jobID)")
            }
        }
    }

    func run(_ jobs: JobStore) async throws {
        guard let job = try await jobs.job(id: jobID),
              let p = try? JSONDecoder().decode(JSONBundleParameters.self, from: Data(job.parameters.utf8)) else {
            throw APIError.notFound("Job \(jobID)")
        }
        let lang = Language(rawValue: p.language) ?? .ja
        let store = TenantStore(services.db, organizationID: organizationID)
        guard let org = try await services.accounts.organization(id: organizationID) else { throw APIError.notFound("Organization \(organizationID)") }
        let report = try AssessmentReport(try await store.load(assessmentID: p.assessment, organization: org.domainOrganization),
                                          library: services.library)
        let files = ExportFile.all(for: report)
        var entries: [(path: String, data: Data)] = []
        for (i, (document, format)) in files.enumerated() {
            let file = try ExportFile.make(document, format, report: report, language: lang)
            entries.append((file.filename, file.data))
            try await jobs.progress(id: jobID, done: i + 1, total: files.count, message: file.filename)
        }
        let zip = try ZipBundle.data(entries)
        guard let sealed = try services.evidence.key.seal(zip, binding: Self.binding(organizationID: organizationID, jobID: jobID)) else {
            throw APIError.invalid(field: nil, message: "The export could not be sealed.")
        }
        try await jobs.finish(id: jobID, resultName: "tekigo-\(report.assessment.date)-\(lang.rawValue).zip", resultType: "application/zip",
                              result: sealed)
    }
}
