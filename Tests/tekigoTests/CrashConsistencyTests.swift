import Foundation
import SQLKit
import Testing
import TekigoStore
import TekigoTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tekigo-crash-writer` (Tests/CrashWriter: two concurrent writers, each transaction: `rows` rows, one audit entry, one counter
/// update) is SIGKILLed at random moments, again and again on the same database; after every kill the database must
/// be consistent: SQLite's integrity check passes, every transaction is all or nothing, nothing reported as
/// committed is lost, and the audit chain verifies.
@Suite("Crash consistency: SIGKILL during transactions")
struct CrashConsistencyTests {
    static let rows = 20

    @Test("Killing a writer at random moments never leaves a half-applied transaction", arguments: TestDatabases.engines)
    func killLoop(_ engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dataDir: URL
        var databaseURL: String?
        switch location {
        case .sqlite(let path): dataDir = URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres(let url):
            dataDir = try TestEnvironment.temporaryDirectory("tekigo-crash-pg")
            databaseURL = url
        }

        let clock = ContinuousClock()
        var known = Set<String>()
        for round in 1...10 {
            let writer = try CrashWriter.start(dataDir: dataDir, databaseURL: databaseURL, rows: Self.rows)
            let when: String
            if round <= 2 {
                // During start-up: opening the database, migrating it, the first transactions.
                let delay = Int.random(in: 0...300)
                try await Task.sleep(for: .milliseconds(delay))
                when = "\(delay) ms after start"
            } else {
                // Inside the write loop: once the first transaction of this run has committed, at a random moment.
                let deadline = clock.now + .seconds(15)
                while writer.committed.isEmpty && writer.process.isRunning && clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let delay = Int.random(in: 0...700)
                try await Task.sleep(for: .milliseconds(delay))
                when = "\(delay) ms after the first commit"
            }
            let outcome = writer.kill()
            try #require(outcome.wasKilled,
                         "round \(round): crash-writer ended by itself (status \(outcome.status)): \(outcome.stderr)")
            let context = "\(engine) round \(round) (killed \(when))"
            if round > 2 { #expect(!outcome.committed.isEmpty, "\(context): the writer committed nothing") }
            let batches = try await CrashChecks.consistent(location, rowsPerBatch: Self.rows, context: context)
            #expect(known.isSubset(of: batches), "\(context): batches committed before an earlier kill are gone")
            let reported = Set(outcome.committed)
            #expect(reported.isSubset(of: batches),
                    "\(context): \(reported.subtracting(batches).count) transactions reported as committed are missing")
            known = batches
        }
        #expect(!known.isEmpty, "\(engine): the writer never committed a transaction; the test checked nothing")
    }
}

/// A running `tekigo-crash-writer`.
final class CrashWriter {
    let process: Process
    let outURL: URL
    let errURL: URL

    private init(process: Process, outURL: URL, errURL: URL) {
        self.process = process
        self.outURL = outURL
        self.errURL = errURL
    }

    /// Starts `tekigo-crash-writer` (built with the tests, `TestEnvironment.crashWriterBinary()`).
    static func start(dataDir: URL, databaseURL: String?, rows: Int, writers: Int = 2) throws -> CrashWriter {
        let p = Process()
        p.executableURL = try TestEnvironment.crashWriterBinary()
        p.arguments = ["--data-dir", dataDir.path, "--rows", String(rows), "--writers", String(writers)]
            + (databaseURL.map { ["--database-url", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["TEKIGO_DATABASE_URL"] = ""
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = ""
        p.environment = env
        let dir = FileManager.default.temporaryDirectory
        let out = dir.appendingPathComponent("tekigo-crash-out-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("tekigo-crash-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return CrashWriter(process: p, outURL: out, errURL: err)
    }

    /// Batches the writer has reported as committed so far (complete lines only).
    var committed: [String] {
        let text = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        lines.removeLast()  // after the last newline: empty, or a line cut short by the kill
        return lines.compactMap { $0.hasPrefix("committed ") ? String($0.dropFirst("committed ".count)) : nil }
    }

    struct Outcome {
        var wasKilled: Bool
        var status: Int32
        var committed: [String]
        var stderr: String
    }

    /// SIGKILL (no chance to clean up), then wait for it.
    func kill() -> Outcome {
        if process.isRunning { sendSIGKILL(process.processIdentifier) }
        process.waitUntilExit()
        let outcome = Outcome(
            wasKilled: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
            status: process.terminationStatus, committed: committed,
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return outcome
    }

    deinit {
        if process.isRunning { sendSIGKILL(process.processIdentifier) }
    }
}

private func sendSIGKILL(_ pid: Int32) {
    #if canImport(Glibc)
    _ = Glibc.kill(pid, SIGKILL)
    #else
    _ = Darwin.kill(pid, SIGKILL)
    #endif
}

enum CrashChecks {
    /// Checks everything a crash must not break and returns the batches found.
    static func consistent(_ location: DatabaseLocation, rowsPerBatch: Int, context: String) async throws -> Set<String> {
        let db = try await TekigoDatabase.open(location, maxConnections: 2)
        do {
            let batches = try await check(db, rowsPerBatch: rowsPerBatch, context: context)
            await db.close()
            return batches
        } catch {
            await db.close()
            throw error
        }
    }

    static func check(_ db: TekigoDatabase, rowsPerBatch: Int, context: String) async throws -> Set<String> {
        if db.engine == .sqlite {
            let integrity = try await db.sql.raw("PRAGMA integrity_check").all()
                .map { try $0.decode(column: "integrity_check", as: String.self) }
            #expect(integrity == ["ok"], "\(context): PRAGMA integrity_check: \(integrity)")
            let fk = try await db.sql.raw("PRAGMA foreign_key_check").all()
            #expect(fk.isEmpty, "\(context): \(fk.count) foreign key violations")
        }
        // Every transaction inserted exactly `rowsPerBatch` rows under its batch id.
        var batches = Set<String>()
        let groups = try await db.sql.raw("""
            SELECT from_catalog, COUNT(*) AS n FROM imported_mapping WHERE from_catalog LIKE 'crash-%' GROUP BY from_catalog
            """).all()
        for g in groups {
            let batch = try g.decode(column: "from_catalog", as: String.self)
            let n = try g.decode(column: "n", as: Int.self)
            #expect(n == rowsPerBatch, "\(context): batch \(batch) has \(n) of \(rowsPerBatch) rows: a transaction was half applied")
            batches.insert(batch)
        }
        // … and one audit entry, and one counter increment.
        let audited = try await db.sql.raw("SELECT object FROM audit_log WHERE action = 'catalog.imported'").all()
            .map { try $0.decode(column: "object", as: String.self) }
        #expect(audited.count == Set(audited).count, "\(context): a batch has two audit entries")
        let unmatched = Set(audited).symmetricDifference(batches)
        #expect(unmatched.isEmpty,
                "\(context): audit entries without rows: \(Set(audited).subtracting(batches).count), rows without audit entry: \(batches.subtracting(audited).count)")
        let counter = try await db.sql.raw("SELECT hits FROM rate_limits WHERE bucket = 'crash-writer'").first()?
            .decode(column: "hits", as: Int.self) ?? 0
        #expect(counter == batches.count, "\(context): the counter says \(counter) transactions, the rows say \(batches.count)")
        let verification = try await AuditLog(db).verify()
        let intact = verification.isIntact
        #expect(intact, "\(context): audit chain: \(verification.problems.map(\.message))")
        #expect(verification.entries == audited.count, "\(context): \(verification.entries) audit entries, \(audited.count) from batches")
        return batches
    }
}
