import Foundation
import SQLKit
import TekigoStore

/// The database engines a test runs against: a fresh SQLite file always, and a fresh PostgreSQL database when
/// `TEKIGO_TEST_POSTGRES_URL` names a server (CI starts one with scripts/postgres.sh and sets
/// `TEKIGO_REQUIRE_EXTERNALS=1`, which makes a missing server a failure instead of a skip).
public enum TestDatabases {
    public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    public static var postgresAdminURL: String? {
        let v = ProcessInfo.processInfo.environment["TEKIGO_TEST_POSTGRES_URL"]
        return v?.isEmpty == false ? v : nil
    }

    /// The engines to run: SQLite, plus PostgreSQL when configured or required.
    public static var engines: [Engine] {
        postgresAdminURL != nil || TestEnvironment.externalsRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A new, empty database of that engine.
    public static func fresh(_ engine: Engine) async throws -> DatabaseLocation {
        switch engine {
        case .sqlite:
            return try DatabaseLocation.dataDirectory(try TestEnvironment.temporaryDirectory("tekigo-db").path)
        case .postgres:
            guard let admin = postgresAdminURL else {
                throw MissingExternal("TEKIGO_TEST_POSTGRES_URL is not set: run `eval \"$(bash scripts/postgres.sh)\"`")
            }
            let name = "tekigo_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let db = try await TekigoDatabase.open(.postgres(url: admin), migrate: false, maxConnections: 2)
            try await db.sql.raw(SQLQueryString("CREATE DATABASE \(name)")).run()
            await db.close()
            guard var c = URLComponents(string: admin) else { throw MissingExternal("bad TEKIGO_TEST_POSTGRES_URL") }
            c.path = "/" + name
            return .postgres(url: c.string!)
        }
    }

    /// Where the `tekigo` command finds `location`: its SQLite file's folder as `--data-dir`; for PostgreSQL,
    /// `dataDir` for the files and `--database-url`.
    public static func cliArguments(_ location: DatabaseLocation, dataDir: URL) -> [String] {
        switch location {
        case .sqlite(let path): return ["--data-dir", (path as NSString).deletingLastPathComponent]
        case .postgres(let url): return ["--data-dir", dataDir.path, "--database-url", url]
        }
    }
}
