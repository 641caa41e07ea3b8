import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoUseCases

/// Official wording through the API (issue 17 item 2): `POST /api/v1/catalogs/imports` with NIST's file as the body
/// (OSCAL rev2/rev3, SP 800-53, CSF 2.0 or CPRT JSON, told by its content; `?filename=` records its name), imported at
/// once by `CatalogUseCases.importOfficialWording` — a platform administrator's session only, as on the catalogs page
/// (the wording shows in every organization; an API token belongs to one organization). 201 with what was stored; 400
/// with the reader's message (line and column, or the element) and nothing stored. `GET /api/v1/catalogs/imports`:
/// the import history, as `tekigo catalog imports` lists it, for anyone signed in.
struct OfficialWordingRoutes {
    let services: Services

    /// The catalogs page's limit (NIST's largest OSCAL catalog, SP 800-53 rev5, is about 10 MB).
    static let maxFile = CatalogPages.maxFile

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1/catalogs", context: SignedInContext.self)
        api.post("/imports", use: importFile)
        api.get("/imports", use: history)
    }

    func importFile(_ request: Request, context: SignedInContext) async throws -> JSONResponse<OfficialWordingImportView> {
        guard case .session(let user, _) = try await services.ready(context.identity) else { throw JobError.notPlatformAdmin }
        let data: Data
        do { data = Data(buffer: try await request.body.collect(upTo: Self.maxFile)) } catch { throw APIError.tooLarge(limit: Self.maxFile) }
        guard !data.isEmpty else {
            throw APIError.invalid(field: "file", message: "Send NIST's catalog file (OSCAL JSON or CPRT's JSON export) as the request body.").ja("NIST のカタログファイル（OSCAL JSON か CPRT の JSON エクスポート）をリクエストの本文で送ってください。")
        }
        let name = request.uri.queryParameters.get("filename") ?? "catalog.json"
        let imported = try await CatalogUseCases(db: services.db).importOfficialWording(data, filename: name, by: user, sourceIP: context.sourceIP)
        // A custom OSCAL catalog is a catalog of its own: the server's library learns it now, as for an item table.
        try await services.reloadLibrary()
        return JSONResponse(value: OfficialWordingImportView(imported), status: .created)
    }

    func history(_ request: Request, context: SignedInContext) async throws -> JSONResponse<[CatalogImportView]> {
        try await services.ready(context.identity)
        return JSONResponse(value: try await CatalogUseCases(db: services.db).imports().map(CatalogImportView.init))
    }
}

/// `POST /api/v1/catalogs/imports`'s answer.
struct OfficialWordingImportView: Encodable, Sendable {
    struct Warning: Encodable, Sendable {
        let element: String
        let message: String
    }
    let catalog: String
    let title: String
    let version: String
    let file: String
    let merged: Bool
    let requirementsWithWording: Int
    let objectivesWithWording: Int
    let skippedWithdrawn: Int
    let warnings: [Warning]

    init(_ i: OfficialWordingImported) {
        catalog = i.catalog.rawValue
        title = i.title
        version = i.version
        file = i.sourceFile
        merged = i.merged
        requirementsWithWording = i.requirementsWithWording
        objectivesWithWording = i.objectivesWithWording
        skippedWithdrawn = i.skippedWithdrawn
        warnings = i.warnings.map { Warning(element: $0.element, message: $0.message) }
    }
}

/// One row of the import history (`GET /api/v1/catalogs/imports`).
struct CatalogImportView: Encodable, Sendable {
    let catalog: String
    let title: String
    let version: String
    let oscalVersion: String
    let file: String
    let sha256: String
    let importedAt: String
    let entries: Int
    let warnings: Int

    init(_ r: CatalogImportRecord) {
        catalog = r.catalogID.rawValue
        title = r.title
        version = r.version
        oscalVersion = r.oscalVersion
        file = r.sourceFile
        sha256 = r.sourceSHA256
        importedAt = r.importedAt
        entries = r.entryCount
        warnings = r.warningCount
    }
}

/// A file that cannot be imported is the caller's to fix: 400 naming the file's place (line and column, element).
/// (`OfficialTextCoverageError` is in DomainErrors.swift.)
extension CatalogImportError: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: "file", message: description) }
}

extension OfficialWordingImportError: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: "file", message: description) }
}

extension CatalogTextRefused: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: "file", message: description) }
}
