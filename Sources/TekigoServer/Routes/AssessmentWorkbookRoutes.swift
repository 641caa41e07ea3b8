import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoReports
import TekigoUseCases

/// Issue 17 item 4 through the API: GET an assessment's .xlsx workbook, POST it back edited. The checks and the
/// writes are `AssessmentWorkbookUseCases`'; this only parses and renders.
struct AssessmentWorkbookRoutes {
    let services: Services

    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    /// A workbook of every rev2 objective is about 40 KB; this leaves room for long rationales and nothing more.
    static let uploadLimit = 8_000_000

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/assessments/:assessment/workbook", use: export)
        org.post("/assessments/:assessment/workbook", use: importWorkbook)
    }

    func useCases(_ m: Membership) -> AssessmentWorkbookUseCases { AssessmentWorkbookUseCases(services.tenantEnvironment, m.scope) }

    /// `?lang=ja|en` (default ja): the header row and the status list's language. Served as an attachment.
    func export(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .export)
        let id = try context.parameters.require("assessment")
        let lang = Language(rawValue: request.uri.queryParameters["lang"].map(String.init) ?? "ja") ?? .ja
        let data = try await Self.mapped { try await useCases(m).export(assessmentID: id, language: lang) }
        return Response(status: .ok, headers: [.contentType: Self.contentType,
                                               .contentDisposition: "attachment; filename=\"\(AssessmentWorkbookUseCases.filename(assessmentID: id))\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body is the .xlsx file. 200 with what was written; 422 with every problem (each with its cell) and nothing
    /// written. `?lang=ja|en` (default en): the problems' language.
    func importWorkbook(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .editFindings)
        let id = try context.parameters.require("assessment")
        let lang = Language(rawValue: request.uri.queryParameters["lang"].map(String.init) ?? "en") ?? .en
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.uploadLimit) } catch { throw APIError.tooLarge(limit: Self.uploadLimit) }
        do {
            let result = try await Self.mapped {
                try await useCases(m).importWorkbook(assessmentID: id, Data(buffer: buffer), by: context.identity.user.displayName)
            }
            return try JSONResponse(value: WorkbookImportView(rows: result.rows, applied: result.applied))
                .response(from: request, context: context)
        } catch let rejected as AssessmentWorkbook.Rejected {
            return try JSONResponse(value: WorkbookRejectedView(rejected, lang), status: .unprocessableContent)
                .response(from: request, context: context)
        }
    }

    /// The use case's refusals as the API's errors.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as AssessmentWorkbookError {
            switch e {
            case .notAllowed: throw APIError.forbidden(e.description)
            case .empty: throw APIError.invalid(field: nil, message: e.description)
            case .unknownAssessment(let id): throw APIError.notFound("Assessment \(id)")
            }
        }
    }
}

struct WorkbookImportView: Encodable, Sendable {
    let rows: Int
    let applied: [String]
}

/// The API's error body (`error`) with every problem beside it.
struct WorkbookRejectedView: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        let code: String
        let message: String
    }
    struct Problem: Encodable, Sendable {
        let cell: String?
        let kind: String
        let message: String
    }
    let error: Detail
    let problems: [Problem]

    init(_ rejected: AssessmentWorkbook.Rejected, _ lang: Language) {
        let conflicts = rejected.problems.allSatisfy { $0.kind == .conflict }
        error = Detail(code: conflicts ? "workbook_conflict" : "workbook_rejected",
                       message: lang == .ja ? "ブックに \(rejected.problems.count) 件の問題があり、何も取り込んでいません。"
                                            : "The workbook has \(rejected.problems.count) problem(s); nothing was imported.")
        problems = rejected.problems.map { Problem(cell: $0.cell, kind: $0.kind.rawValue, message: $0.text[lang]) }
    }
}
