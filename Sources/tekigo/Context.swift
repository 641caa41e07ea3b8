import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The database a command works with. Every command finds it by the one rule (`GlobalOptions.storage`, i.e.
/// `StorageLocation`: `--database-url`, `$TEKIGO_DATABASE_URL`, else `tekigo.sqlite` in `--data-dir`) and opens it
/// here, in one of two ways:
/// - **reading** (catalog list/show/map/imports, the assessment-folder commands, audit, org list, rollup, attest export)
///   never creates a file or a directory and never migrates: a database at an older schema is refused, naming
///   `tekigo migrate`, and left as it was;
/// - **writing** (catalog and crosswalk import, migrate, admin, demo) creates the data directory (0700) and the
///   database and brings the schema up to date.
/// `reporting {}` closes what was opened.
struct CommandDatabase {
    let storage: StorageLocation
    let language: Language

    init(_ global: GlobalOptions) {
        storage = global.storage
        language = global.language
    }

    /// For a command that only reads: the database, which must exist at this Tekigo's schema. `missingHint` is added
    /// to the message when there is none (e.g. how to make a demo one).
    func openForReading(missingHint: LocalizedText? = nil) async throws -> TekigoDatabase {
        do {
            let db = try await TekigoDatabase.openExisting(storage.database)
            await OpenDatabases.shared.add(db)
            return db
        } catch {
            throw userError(error, missingHint: missingHint)
        }
    }

    /// For a command that reads what may not be there yet (the imported catalogs): nil when there is no database (no
    /// SQLite file, or a PostgreSQL database without Tekigo's schema). Never creates or migrates anything.
    func openForReadingIfPresent() async throws -> TekigoDatabase? {
        do {
            let db = try await TekigoDatabase.openExisting(storage.database)
            await OpenDatabases.shared.add(db)
            return db
        } catch .noDatabase, .notInitialized {
            return nil
        } catch {
            throw userError(error, missingHint: nil)
        }
    }

    /// For a command that writes: creates the data directory and the database if needed and migrates it.
    func openForWriting(maxConnections: Int = 4) async throws -> TekigoDatabase {
        try storage.createDataDirectory()
        let db = try await TekigoDatabase.open(storage.database, maxConnections: maxConnections)
        await OpenDatabases.shared.add(db)
        return db
    }

    /// What a reading command says when the database is missing, not Tekigo's yet, or at another schema.
    func userError(_ error: StoreError, missingHint: LocalizedText?) -> any Error {
        let ja = language == .ja
        let hint = missingHint.map { (ja ? "" : " ") + $0[language] } ?? ""
        switch error {
        case .noDatabase(let path):
            return UserError(ja
                ? "\(path) にデータベースがありません。--data-dir か --database-url（または $TEKIGO_DATABASE_URL）でデータベースを指定してください。" + hint
                : "there is no database at \(path); name the database with --data-dir or --database-url (or $TEKIGO_DATABASE_URL)." + hint)
        case .notInitialized(let location):
            return UserError(ja
                ? "\(location) のデータベースには Tekigo のスキーマがまだありません。同じ --data-dir / --database-url で `tekigo migrate` を実行して作成してください。" + hint
                : "the database at \(location) holds no Tekigo schema yet; create it with `tekigo migrate` (same --data-dir or --database-url)." + hint)
        case .olderSchema(let location, let found, let latest):
            return UserError(ja
                ? "\(location) のデータベースはスキーマのバージョン \(found) で、この Tekigo（\(latest)）より古いです。読み取りのコマンドは"
                  + "スキーマを更新しないため、何も変更していません。バックアップ（SQLite は tekigo backup、PostgreSQL は pg_dump）を取ってから、"
                  + "同じ --data-dir / --database-url で `tekigo migrate` を実行してください。"
                : "the database at \(location) is at schema version \(found), older than this Tekigo's \(latest); a reading command "
                  + "never upgrades it, so nothing was changed. Back it up (`tekigo backup`; pg_dump for PostgreSQL), then run "
                  + "`tekigo migrate` with the same --data-dir or --database-url.")
        default:
            return error
        }
    }
}

/// The library a command works with: built-in catalogs plus what the user imported into the database.
struct LibraryContext {
    let library: Library
    let store: SQLCatalogStore?
    let database: TekigoDatabase?

    /// What the commands read of imported catalogs (official wording, imports), through the use-case layer.
    var catalogs: CatalogUseCases? { database.map { CatalogUseCases(db: $0) } }

    /// For reading: merges imported catalogs and crosswalks when there is a database; never creates or migrates one
    /// (without a database, the built-in catalogs alone).
    static func open(_ options: GlobalOptions) async throws -> LibraryContext {
        let builtIn = try BuiltInLibrary.shared
        guard let db = try await CommandDatabase(options).openForReadingIfPresent() else {
            return LibraryContext(library: builtIn, store: nil, database: nil)
        }
        return try await merged(builtIn, db)
    }

    /// For a command that writes into the database (a crosswalk import): creates and migrates it if needed.
    static func openForWriting(_ options: GlobalOptions) async throws -> LibraryContext {
        let builtIn = try BuiltInLibrary.shared
        return try await merged(builtIn, try await CommandDatabase(options).openForWriting())
    }

    private static func merged(_ builtIn: Library, _ db: TekigoDatabase) async throws -> LibraryContext {
        let store = SQLCatalogStore(db)
        let library = builtIn.merging(imports: try await store.importedCatalogs(),
                                      mappings: try await store.importedMappings())
        return LibraryContext(library: library, store: store, database: db)
    }

    /// Only the store, for commands that write without reading the library (an import): creates and migrates.
    static func openStore(_ options: GlobalOptions) async throws -> SQLCatalogStore {
        SQLCatalogStore(try await CommandDatabase(options).openForWriting())
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
