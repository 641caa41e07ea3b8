import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit

/// Where Tekigo keeps its data.
public enum DatabaseLocation: Sendable, Equatable {
    /// One SQLite file (WAL mode, foreign keys on): the embedded default.
    case sqlite(path: String)
    /// A PostgreSQL database (`postgres://user:password@host:port/database`), for several app instances.
    case postgres(url: String)

    /// `tekigo.sqlite` inside a data directory, which is created (0700, set explicitly) when missing. An existing
    /// directory keeps its mode; the database files in it are made 0600 when opened (`SQLiteFiles`).
    public static func dataDirectory(_ dir: String) throws(StoreError) -> DatabaseLocation {
        try createPrivateDirectory(dir)
        return .sqlite(path: (dir as NSString).appendingPathComponent("tekigo.sqlite"))
    }

    /// What to show in messages: never a password.
    public var displayName: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "postgres://…" }
            if c.password != nil { c.password = "***" }
            return c.string ?? "postgres://…"
        }
    }
}

/// The two engines, for the few statements that differ (see `SQLDialectFacts`).
public enum SQLEngine: Sendable {
    case sqlite
    case postgres
}

/// An open, migrated database behind a connection pool. One SQL code path serves both engines (SQLKit); only
/// transaction start differs.
public final class TekigoDatabase: Sendable {
    public let engine: SQLEngine
    public let location: DatabaseLocation
    /// For single statements: each runs on a connection leased from the pool.
    public let sql: any SQLDatabase
    private let pool: Pool
    /// Set by `close()`; a database dropped without it shuts its pool down in `deinit` (see there).
    private let closed = ClosedFlag()
    private let writes = WriteEpoch()

    /// Counts the transactions this process has ended (committed or rolled back) and the statements outside one that
    /// may write (any but a select, built or raw).
    /// An in-process cache of something read before the count moved may hold what a change has since replaced: it
    /// must read again (`TokenLookupCache` in the server).
    public var writeEpoch: UInt64 { writes.value }

    // AsyncKit's pool predates Sendable annotations; it is safe to use from any thread (each per-event-loop pool is
    // confined to its loop and the group routes to them), which is how Vapor and Fluent share it.
    enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<SQLiteSource>, NIOThreadPool)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(engine: SQLEngine, location: DatabaseLocation, pool: Pool, logger: Logger) {
        self.engine = engine
        self.location = location
        self.pool = pool
        self.sql = PooledSQLDatabase(pool: pool, logger: logger, writes: writes)
    }

    /// Opens (creating an SQLite file if needed) and migrates.
    public static func open(_ location: DatabaseLocation, migrate: Bool = true, maxConnections: Int = 4) async throws(StoreError) -> TekigoDatabase {
        var logger = Logger(label: "tekigo.database")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup.singleton
        let db: TekigoDatabase
        switch location {
        case .sqlite(let path):
            // 0600 before SQLite creates it with 0644 less the umask (PrivateFiles.swift).
            try SQLiteFiles.makePrivate(path)
            // SQLite calls block a thread while they wait for the write lock (busy_timeout). On NIO's shared
            // blocking pool (as many threads as cores) waiting writers could take every thread and starve the
            // transaction that holds the lock; a pool of our own, with a thread for every connection, cannot.
            let perLoop = max(1, maxConnections / 2)
            let threads = NIOThreadPool(numberOfThreads: perLoop * System.coreCount + 1)
            threads.start()
            let pool = EventLoopGroupConnectionPool(
                source: SQLiteSource(path: path, threadPool: threads), maxConnectionsPerEventLoop: perLoop,
                requestTimeout: .seconds(30), logger: logger, on: group)
            db = TekigoDatabase(engine: .sqlite, location: location, pool: .sqlite(pool, threads), logger: logger)
        case .postgres(let url):
            let config: SQLPostgresConfiguration
            do { config = try SQLPostgresConfiguration(url: url) } catch {
                throw .cannotOpen(location.displayName, "not a PostgreSQL URL (postgres://user:password@host:port/database)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: config), maxConnectionsPerEventLoop: max(1, maxConnections / 2),
                requestTimeout: .seconds(30), logger: logger, on: group)
            db = TekigoDatabase(engine: .postgres, location: location, pool: .postgres(pool), logger: logger)
        }
        // Two processes opening a brand-new SQLite file at once can meet SQLITE_BUSY while one of them switches the
        // file to WAL (a step the busy timeout does not always cover): such a start is tried again, a few times.
        var attempt = 0
        while true {
            do {
                // Fail now, with the reason, if the database cannot be reached.
                _ = try await db.sql.raw("SELECT 1").all()
                guard migrate else { return db }
                let found = try await Migrations.appliedVersion(on: db)
                try await Migrations.run(on: db)
                guard db.engine == .sqlite, found != Migrations.latest else { return db }
                break
            } catch {
                attempt += 1
                if db.engine == .sqlite, attempt < 4, Self.isBusy(error) {
                    try? await Task.sleep(for: .milliseconds(150 * attempt))
                    continue
                }
                await db.close()
                if let e = error as? StoreError { throw e }
                throw .cannotOpen(location.displayName, String(describing: error))
            }
        }
        // The schema changed while this pool's connections were open (by these migrations, or by another process
        // migrating the same new file at the same time).
        return try await db.reopened(maxConnections: maxConnections)
    }

    /// Closes this pool and opens a new one on the same database, so that every connection reads the schema as it is
    /// now. An SQLite connection keeps the schema it last read and expands `SELECT *` with it when preparing; SQLiteNIO
    /// takes the column names then, before the step that notices a change and prepares again. A connection that sat
    /// out a migration would answer its first `SELECT *` of a widened table without the new columns (seen as
    /// MissingColumn "title_en" in loaded test runs; `MigrationTests` shows it).
    package func reopened(maxConnections: Int) async throws(StoreError) -> TekigoDatabase {
        await close()
        return try await Self.open(location, migrate: false, maxConnections: maxConnections)
    }

    /// Opens a database that must already exist at this Tekigo's schema, for reading: never creates a file or a
    /// directory and never migrates. Throws `noDatabase` when the SQLite file is not there, `notInitialized` when the
    /// database has no Tekigo schema, `olderSchema` when `tekigo migrate` has to upgrade it first, and `newerSchema`
    /// when it was written by a newer Tekigo; in each case nothing was changed.
    public static func openExisting(_ location: DatabaseLocation, maxConnections: Int = 4) async throws(StoreError) -> TekigoDatabase {
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw .noDatabase(location.displayName)
        }
        let db = try await open(location, migrate: false, maxConnections: maxConnections)
        let applied: Int?
        do {
            applied = try await Migrations.appliedVersion(on: db)
        } catch {
            await db.close()
            throw .cannotOpen(location.displayName, String(describing: error))
        }
        guard let applied else {
            await db.close()
            throw .notInitialized(location.displayName)
        }
        if applied < Migrations.latest {
            await db.close()
            throw .olderSchema(location.displayName, found: applied, latest: Migrations.latest)
        }
        if applied > Migrations.latest {
            await db.close()
            throw .newerSchema(found: applied, known: Migrations.latest)
        }
        return db
    }

    static func isBusy(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("database is locked") || text.contains("busy")
    }

    public func close() async {
        guard closed.set() else { return }
        switch pool {
        case .sqlite(let p, let threads):
            try? await p.shutdownAsync()
            Self.stopLater(threads)
        case .postgres(let p): try? await p.shutdownAsync()
        }
    }

    /// Stops a closed database's SQLite threads after a grace period rather than at once. A connection still being
    /// opened when the pool shut down is closed by the pool when it arrives, and SQLiteNIO closes on these threads: were
    /// they gone, the close would not run and the connection's deinit would assert (seen in a loaded test run). The
    /// period outlasts a connection's longest wait (busy_timeout, 30 s).
    static func stopLater(_ threads: NIOThreadPool) {
        Task.detached {
            try? await Task.sleep(for: .seconds(35))
            try? await threads.shutdownGracefully()
        }
    }

    /// Whoever opens a database closes it; when that is skipped (a test that threw before its `close()`), the pool is
    /// shut down here, in the background, instead of AsyncKit's assertion ending the whole process.
    deinit {
        guard !closed.isSet else { return }
        switch pool {
        case .sqlite(let p, let threads):
            p.shutdownGracefully { _ in Self.stopLater(threads) }
        case .postgres(let p):
            p.shutdownGracefully { _ in }
        }
    }

    /// Runs `body` on one connection.
    public func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch pool {
        case .sqlite(let p, _):
            return try await p.withConnection { conn in
                conn.eventLoop.makeFutureWithTask { try await body(conn.sql(queryLogLevel: nil)) }
            }.get()
        case .postgres(let p):
            return try await p.withConnection { conn in
                conn.eventLoop.makeFutureWithTask { try await body(conn.sql(queryLogLevel: nil)) }
            }.get()
        }
    }

    /// On SQLite, the rows of a read as the engine returns them (`nil` on PostgreSQL: read through SQLKit there). For the
    /// few hot lists of hundreds of rows (an assessment's findings): SQLiteKit's `SQLRow.decode(column:as:)` builds a
    /// `Decoder` for every column of every row, which was half of the findings GET's own work (docs/PERFORMANCE.md);
    /// `SQLiteRow.column(_:)` hands the stored value over as it is. `sql` uses `?` placeholders.
    public func sqliteRows(_ sql: String, _ binds: [String]) async throws -> [SQLiteRow]? {
        guard case .sqlite(let p, _) = pool else { return nil }
        let values = binds.map { SQLiteData.text($0) }
        return try await p.withConnection { conn in conn.query(sql, values) }.get()
    }

    /// Runs `body` in one transaction on one connection: all of it is stored, or none of it.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let begin = engine == .sqlite
            // IMMEDIATE takes the write lock now, so two writers never interleave (or deadlock upgrading).
            ? "BEGIN IMMEDIATE"
            : "BEGIN ISOLATION LEVEL READ COMMITTED"
        defer { writes.advance() }
        return try await withConnection { s in
            try await s.raw(SQLQueryString(begin)).run()
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

/// SQLite connections with the settings Tekigo relies on: WAL, foreign keys, and waiting (not failing) for
/// another writer. sqlite-kit's own source sets only foreign keys, hence this small one.
struct SQLiteSource: ConnectionPoolSource, Sendable {
    let path: String
    let threadPool: NIOThreadPool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
            .flatMap { conn in
                // A writer waits up to 30 s for the write lock before giving up: on a loaded two-core machine 10 s was seen
                // to run out while other writers of the same file were descheduled.
                conn.query("PRAGMA busy_timeout = 30000")
                    .flatMap { _ in conn.query("PRAGMA journal_mode = WAL") }
                    .flatMap { _ in conn.query("PRAGMA foreign_keys = ON") }
                    .map { _ in conn }
                    .flatMapErrorThrowing { error in
                        _ = conn.close()
                        throw error
                    }
            }
    }
}



/// An SQLDatabase that leases a pooled connection for each statement.
struct PooledSQLDatabase: SQLDatabase {
    let pool: TekigoDatabase.Pool
    let logger: Logger
    let writes: WriteEpoch

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect {
        switch pool {
        case .sqlite: return SQLiteDialect()
        case .postgres: return PostgresDialect()
        }
    }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let done: EventLoopFuture<Void>
        switch pool {
        case .sqlite(let p, _):
            done = p.withConnection { $0.sql(queryLogLevel: nil).execute(sql: query, onRow) }
        case .postgres(let p):
            done = p.withConnection { $0.sql(queryLogLevel: nil).execute(sql: query, onRow) }
        }
        if query is SQLSelect || ((query is SQLQueryString || query is SQLRaw) && reads(query)) { return done }
        let writes = self.writes
        return done.always { _ in writes.advance() }
    }

    /// Whether a raw statement only reads (its text begins with SELECT): serializing one is cheap next to running it.
    func reads(_ query: any SQLExpression) -> Bool {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        return serializer.sql.drop { $0.isWhitespace }.prefix(6).uppercased() == "SELECT"
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case migrationFailed(Int, String)
    case newerSchema(found: Int, known: Int)
    case corruptRow(table: String, key: String, reason: String)
    /// Reading found no SQLite file at the location (nothing was created).
    case noDatabase(String)
    /// Reading found a database without Tekigo's schema (`tekigo migrate` creates it).
    case notInitialized(String)
    /// Reading found a database at an older schema (`tekigo migrate` upgrades it); nothing was changed.
    case olderSchema(String, found: Int, latest: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let why):
            return "cannot open the Tekigo database at \(path): \(why). Check the path, its permissions (--data-dir) or the database URL."
        case .migrationFailed(let version, let why):
            return "database migration \(version) failed and was rolled back: \(why)"
        case .newerSchema(let found, let known):
            return "the database was written by a newer Tekigo (schema \(found), this one knows \(known)); upgrade Tekigo."
        case .corruptRow(let table, let key, let reason):
            return "stored data in \(table) (\(key)) cannot be read: \(reason)"
        case .noDatabase(let path):
            return "there is no Tekigo database at \(path); name the data directory with --data-dir (or PostgreSQL with --database-url)."
        case .notInitialized(let location):
            return "the database at \(location) holds no Tekigo schema yet; create it with `tekigo migrate` (same --data-dir or --database-url)."
        case .olderSchema(let location, let found, let latest):
            return "the database at \(location) is at schema version \(found), older than this Tekigo's \(latest); reading never "
                + "upgrades it, so nothing was changed. Back it up, then run `tekigo migrate` with the same --data-dir or --database-url."
        }
    }
}

/// `TekigoDatabase.writeEpoch`'s counter (advanced from any thread).
final class WriteEpoch: @unchecked Sendable {
    private let lock = NSLock()
    private var count: UInt64 = 0

    func advance() { lock.withLock { count &+= 1 } }
    var value: UInt64 { lock.withLock { count } }
}

/// Whether `TekigoDatabase.close()` ran (set once, read from any thread).
final class ClosedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Sets the flag; true if this call set it (false if it was set already).
    func set() -> Bool { lock.withLock { defer { value = true }; return !value } }

    var isSet: Bool { lock.withLock { value } }
}
