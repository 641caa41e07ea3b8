import Foundation

/// Where Tekigo keeps its data: the one rule every `tekigo` command (and the test tools) follows.
///
/// - The **database** is PostgreSQL when a URL is given — `--database-url`, else `$TEKIGO_DATABASE_URL` (an empty
///   value counts as none) — and otherwise the SQLite file `tekigo.sqlite` in the data directory.
/// - The **data directory** is `--data-dir`, else `$TEKIGO_DATA_DIR`, else `$XDG_DATA_HOME/tekigo`, else
///   `~/.local/share/tekigo` (empty variables count as unset). It also holds `evidence.key`, so it matters with
///   PostgreSQL too.
///
/// Deciding creates nothing. A command that writes calls `createDataDirectory()` and opens with
/// `TekigoDatabase.open` (which creates and migrates); a command that only reads opens with
/// `TekigoDatabase.openExisting`, which never creates a file and never migrates.
public struct StorageLocation: Sendable, Equatable {
    /// The SQLite file's name inside the data directory.
    public static let sqliteFileName = "tekigo.sqlite"
    /// The environment variables the rule reads.
    public static let databaseURLVariable = "TEKIGO_DATABASE_URL"
    public static let dataDirectoryVariable = "TEKIGO_DATA_DIR"

    /// The data directory (it may not exist yet).
    public let dataDirectory: String
    /// The database: PostgreSQL, or `tekigo.sqlite` in `dataDirectory`.
    public let database: DatabaseLocation

    /// - Parameters:
    ///   - dataDirectory: `--data-dir`, if given.
    ///   - databaseURL: `--database-url`, if given.
    ///   - environment: the process environment.
    ///   - homeDirectory: the user's home directory (the default data directory is under it).
    public init(dataDirectory: String?, databaseURL: String?, environment: [String: String],
                homeDirectory: String = NSHomeDirectory()) {
        func set(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let dir = dataDirectory
            ?? set(Self.dataDirectoryVariable)
            ?? set("XDG_DATA_HOME").map { ($0 as NSString).appendingPathComponent("tekigo") }
            ?? (homeDirectory as NSString).appendingPathComponent(".local/share/tekigo")
        self.dataDirectory = dir
        if let url = databaseURL ?? set(Self.databaseURLVariable) {
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: (dir as NSString).appendingPathComponent(Self.sqliteFileName))
        }
    }

    /// The PostgreSQL URL, when the database is PostgreSQL.
    public var postgresURL: String? {
        if case .postgres(let url) = database { return url }
        return nil
    }

    /// The SQLite file, when the database is SQLite.
    public var sqlitePath: String? {
        if case .sqlite(let path) = database { return path }
        return nil
    }

    /// Creates the data directory (0700) if it is missing, for a command that writes.
    public func createDataDirectory() throws(StoreError) {
        try createPrivateDirectory(dataDirectory)
    }
}
