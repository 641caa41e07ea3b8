import ArgumentParser
import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// `tekigo-crash-writer`: writes multi-row transactions forever, for Tests/tekigoTests/CrashConsistencyTests.swift,
/// which SIGKILLs it at random moments. A test tool: an executable target of the package but not a product, so it is
/// built with the tests and never shipped in the `tekigo` binary.
///
/// Each transaction, batch id `crash-<uuid>`: inserts `--rows` rows into `imported_mapping` with
/// `from_catalog` = the batch id (about 1 KB each, so one transaction spans several pages), appends one audit entry
/// (`catalog.imported`, object = the batch id) half-way through, and increments the counter row `rate_limits`
/// bucket `crash-writer`. After COMMIT it prints `committed <batch>`. A consistent database therefore has exactly
/// `--rows` rows per batch, one audit entry per batch, a counter equal to the number of batches, an intact audit
/// chain, and every printed batch.
///
/// The database is found by the command line's one rule (`StorageLocation`): `--database-url`, else
/// `$TEKIGO_DATABASE_URL`, else `tekigo.sqlite` in `--data-dir` (else `$TEKIGO_DATA_DIR`, …).
@main
struct CrashWriter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tekigo-crash-writer",
        abstract: "Write test transactions until killed (Tekigo's crash-consistency tests; not part of the product).")

    static let counterBucket = "crash-writer"
    /// Each batch imports crosswalk rows (`imported_mapping`), so it is audited as an import.
    static let auditAction = AuditAction.catalogImported

    @Option(help: "The data directory (SQLite: tekigo.sqlite in it).") var dataDir: String?
    @Option(help: "PostgreSQL URL (postgres://user:password@host:port/database).") var databaseURL: String?
    @Option(help: "Rows per transaction.") var rows: Int = 20
    @Option(help: "Concurrent writers.") var writers: Int = 2
    @Option(help: "Stop after this many transactions per writer (default: never).") var transactions: Int?

    func run() async throws {
        let place = StorageLocation(dataDirectory: dataDir, databaseURL: databaseURL,
                                    environment: ProcessInfo.processInfo.environment)
        let writers = max(1, writers)
        let db: TekigoDatabase
        do {
            try place.createDataDirectory()
            db = try await TekigoDatabase.open(place.database, maxConnections: max(2, writers * 2))
        } catch {
            FileHandle.standardError.write(Data("tekigo-crash-writer: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let rows = max(1, rows)
        let limit = transactions
        let padding = String(repeating: "適合-crash-consistency ", count: 40)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let audit = AuditLog(db)
                        var done = 0
                        while limit.map({ done < $0 }) ?? true {
                            let batch = "crash-" + UUID().uuidString.lowercased()
                            try await db.transaction { s in
                                for i in 0..<rows {
                                    let now = Timestamp.now()
                                    try await s.insert(into: "imported_mapping")
                                        .columns("from_catalog", "from_id", "to_catalog", "to_id", "relation", "rationale",
                                                 "source_file", "imported_at")
                                        .values(SQLBind(batch), SQLBind("r\(i)"), SQLBind("crash"), SQLBind("w\(w)"),
                                                SQLBind("equal"), SQLBind(padding), SQLBind("crash-writer"), SQLBind(now))
                                        .run()
                                    if i == rows / 2 {
                                        _ = try await audit.append(
                                            AuditEvent(actor: AuditEvent.systemActor, sourceIP: "127.0.0.1",
                                                       action: CrashWriter.auditAction, object: batch), on: s)
                                    }
                                }
                                try await s.raw("""
                                    INSERT INTO rate_limits (bucket, window_start, hits) VALUES (\(bind: CrashWriter.counterBucket), \(bind: Timestamp.now()), 1)
                                    ON CONFLICT (bucket) DO UPDATE SET hits = rate_limits.hits + 1
                                    """).run()
                            }
                            // Unbuffered, so the test sees each line as soon as the transaction has committed.
                            FileHandle.standardOutput.write(Data("committed \(batch)\n".utf8))
                            done += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            await db.close()
            FileHandle.standardError.write(Data("tekigo-crash-writer: \(error)\n".utf8))
            throw ExitCode(1)
        }
        await db.close()
    }
}
