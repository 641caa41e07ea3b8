import Foundation
import TekigoCore
import TekigoStore

/// The library a command works with: built-in catalogs plus what the user imported into the data directory.
struct LibraryContext {
    let library: Library
    let store: SQLCatalogStore?
    let database: TekigoDatabase?

    /// Opens the data directory's database only if it exists (reading never creates files);
    /// `forWriting` creates it.
    static func open(_ options: GlobalOptions, forWriting: Bool = false) async throws -> LibraryContext {
        let builtIn = try BuiltInLibrary.shared
        let dir = options.resolvedDataDir
        let file = (dir as NSString).appendingPathComponent("tekigo.sqlite")
        guard forWriting || FileManager.default.fileExists(atPath: file) else {
            return LibraryContext(library: builtIn, store: nil, database: nil)
        }
        let db = try await TekigoDatabase.open(try .dataDirectory(dir))
        await OpenDatabases.shared.add(db)
        let store = SQLCatalogStore(db)
        let library = builtIn.merging(imports: try await store.importedCatalogs(),
                                      mappings: try await store.importedMappings())
        return LibraryContext(library: library, store: store, database: db)
    }

    /// Only the store, for commands that write without reading the library (an import).
    static func openStore(_ options: GlobalOptions) async throws -> SQLCatalogStore {
        let db = try await TekigoDatabase.open(try .dataDirectory(options.resolvedDataDir))
        await OpenDatabases.shared.add(db)
        return SQLCatalogStore(db)
    }

}

/// Databases a command opened; `reporting {}` closes them when the command ends, whether it succeeded or not.
actor OpenDatabases {
    static let shared = OpenDatabases()
    private var open: [TekigoDatabase] = []

    func add(_ db: TekigoDatabase) { open.append(db) }

    func closeAll() async {
        for db in open { await db.close() }
        open.removeAll()
    }
}
