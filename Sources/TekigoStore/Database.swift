import Foundation
import Logging
import SQLiteKit

/// Where Tekigo keeps its data.
public enum DatabaseLocation: Sendable, Equatable {
    /// One SQLite file (WAL mode, foreign keys on).
    case sqlite(path: String)

    /// `tekigo.sqlite` inside a data directory, which is created (0700) when missing.
    public static func dataDirectory(_ dir: String) throws(StoreError) -> DatabaseLocation {
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(dir, "cannot create the data directory: \(error.localizedDescription)")
        }
        return .sqlite(path: (dir as NSString).appendingPathComponent("tekigo.sqlite"))
    }
}

/// An open database with Tekigo's schema migrated to the current version.
public final class TekigoDatabase: Sendable {
    public let sql: any SQLDatabase
    private let connection: SQLiteConnection
    public let location: DatabaseLocation

    private init(sql: any SQLDatabase, connection: SQLiteConnection, location: DatabaseLocation) {
        self.sql = sql
        self.connection = connection
        self.location = location
    }

    /// Opens (creating if needed) and migrates.
    public static func open(_ location: DatabaseLocation, migrate: Bool = true) async throws(StoreError) -> TekigoDatabase {
        switch location {
        case .sqlite(let path):
            var logger = Logger(label: "tekigo.sqlite")
            logger.logLevel = .warning
            let conn: SQLiteConnection
            do {
                conn = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            } catch {
                throw .cannotOpen(path, String(describing: error))
            }
            let db = TekigoDatabase(sql: conn.sql(queryLogLevel: nil), connection: conn, location: location)
            do {
                // Wait for another tekigo process holding the write lock instead of failing at once.
                try await db.sql.raw("PRAGMA busy_timeout = 10000").run()
                try await db.sql.raw("PRAGMA journal_mode = WAL").run()
                try await db.sql.raw("PRAGMA foreign_keys = ON").run()
                if migrate { try await Migrations.run(on: db) }
            } catch let e as StoreError {
                try? await conn.close()
                throw e
            } catch {
                try? await conn.close()
                throw .cannotOpen(path, String(describing: error))
            }
            return db
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs `body` in one transaction: all of it is stored, or none of it.
    public func transaction<R: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await sql.withSession { s in
            // IMMEDIATE takes the write lock now, so two processes never interleave their writes.
            try await s.raw("BEGIN IMMEDIATE").run()
            do {
                let r = try await body(s)
                try await s.raw("COMMIT").run()
                return r
            } catch {
                try? await s.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case migrationFailed(Int, String)
    case newerSchema(found: Int, known: Int)
    case corruptRow(table: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let why):
            return "cannot open the Tekigo database at \(path): \(why). Check the path and its permissions (--data-dir)."
        case .migrationFailed(let version, let why):
            return "database migration \(version) failed and was rolled back: \(why)"
        case .newerSchema(let found, let known):
            return "the database was written by a newer Tekigo (schema \(found), this one knows \(known)); upgrade Tekigo."
        case .corruptRow(let table, let key, let reason):
            return "stored data in \(table) (\(key)) cannot be read: \(reason)"
        }
    }
}
