import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoUseCases

/// A Japanese-standard item table imported as a catalog (issue #17 item 3): `POST /api/v1/catalogs/item-tables?id=…&name=…`
/// with the CSV (or the OSCAL catalog, `OSCALItemTable`) as the body. A platform administrator's session only (the catalog is every organization's; an API
/// token belongs to one). 201 with the counts; 422 with every problem, each with its row and column, and nothing stored.
struct ItemTableRoutes {
    let services: Services

    /// An item table is a few hundred rows; a megabyte leaves room for long wording.
    static let maxFile = 4 * 1024 * 1024

    func register(_ router: Router<AppContext>) {
        router.group("/api/v1/catalogs", context: SignedInContext.self).post("/item-tables", use: importTable)
    }

    func importTable(_ request: Request, context: SignedInContext) async throws -> Response {
        guard case .session(let user, _) = try await services.ready(context.identity) else { throw JobError.notPlatformAdmin }
        try JobUseCases.checkMayImportCatalogs(user)
        let q = request.uri.queryParameters
        let lang = Language(rawValue: q["lang"].map(String.init) ?? "en") ?? .en
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.maxFile) } catch { throw APIError.tooLarge(limit: Self.maxFile) }
        let name = q["filename"].map(String.init) ?? "items.csv"
        do {
            let parsed = try await CatalogUseCases(db: services.db).importItemTable(
                Data(buffer: buffer), filename: name, catalog: q["id"].map(String.init) ?? "", name: q["name"].map(String.init) ?? "",
                version: q["version"].map(String.init) ?? "", by: user, organizationID: nil, sourceIP: context.sourceIP)
            try await services.reloadLibrary()
            return try JSONResponse(value: ItemTableImportView(parsed), status: .created).response(from: request, context: context)
        } catch let e as StandardItemTableError {
            return try JSONResponse(value: ItemTableRejectedView(e, lang), status: .unprocessableContent).response(from: request, context: context)
        }
    }
}

struct ItemTableImportView: Encodable, Sendable {
    let catalog: String
    let title: String
    let items: Int
    let subItems: Int
    let mappings: Int

    init(_ p: StandardItemTable.Parsed) {
        catalog = p.imported.catalog.rawValue
        title = p.imported.title
        items = p.items
        subItems = p.subItems
        mappings = p.mappings.count
    }
}

/// The API's error body (`error`) with every problem beside it.
struct ItemTableRejectedView: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        let code: String
        let message: String
    }
    struct Problem: Encodable, Sendable {
        let row: Int?
        let column: String?
        let columnLetter: String?
        /// An OSCAL item table's element at fault (a CSV file's problems name a row instead).
        let element: String?
        let message: String
    }
    let error: Detail
    let problems: [Problem]

    init(_ e: StandardItemTableError, _ lang: Language) {
        error = Detail(code: "item_table_rejected",
                       message: lang == .ja ? "項目表に \(e.problems.count) 件の問題があり、何も取り込んでいません。"
                                            : "The item table has \(e.problems.count) problem(s); nothing was imported.")
        problems = e.problems.map { Problem(row: $0.row, column: $0.column, columnLetter: $0.columnLetter, element: $0.element,
                                          message: $0.message[lang]) }
    }
}

extension UnknownRegime: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: field, message: description) }
}
