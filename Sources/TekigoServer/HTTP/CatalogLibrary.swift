import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The catalogs the server's use cases check against: the built-in ones plus every custom catalog imported into the
/// database (a Japanese-standard item table, a custom OSCAL catalog) with its mappings (issue #17 item 3), so an
/// assessment or a flow-down requirement can name it. Loaded at start and replaced after each import this instance
/// stores; another instance sees an import after its next import or restart.
final class CatalogLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var library: Library

    init(_ library: Library) { self.library = library }

    var current: Library { lock.withLock { library } }

    /// Reads the imported catalogs again.
    static func load(_ db: TekigoDatabase) async throws -> Library {
        try await CatalogUseCases(db: db).libraryWithCustomCatalogs(try BuiltInLibrary.shared)
    }

    func reload(_ db: TekigoDatabase) async throws {
        let fresh = try await Self.load(db)
        lock.withLock { library = fresh }
    }
}

extension Services {
    /// After an import: the use cases see the new catalog from the next request on.
    func reloadLibrary() async throws { try await catalogLibrary.reload(db) }
}
