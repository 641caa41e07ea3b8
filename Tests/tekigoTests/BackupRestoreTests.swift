import Crypto
import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo backup` and `tekigo restore`, run as an operator would run them, on a data directory populated through
/// the real binary (catalog and crosswalk import) and through TekigoStore (users, an organization, a system, an
/// assessment, audit entries, sealed evidence).
@Suite("tekigo backup / restore (command line)")
struct BackupRestoreTests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: String...) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    // MARK: round trip

    @Test("Backup then restore into a new data directory gives the same rows in every table, the same key and an intact audit log")
    func roundTrip() async throws {
        let source = try await populatedDataDirectory()
        let parent = try TestEnvironment.temporaryDirectory("tekigo-backups")
        // A quote, a semicolon and spaces: the path reaches SQLite's VACUUM INTO safely.
        let out = parent.appendingPathComponent("backup 'o'brien'; DROP TABLE users; --")
        let b = try tekigo("backup", "--out", out.path, "--data-dir", source.path)
        try #require(b.status == 0, "backup failed: \(b.stderr)")
        #expect(b.stdout.contains("Backed up"))
        #expect(b.stdout.contains("intact"))

        // What the backup holds, and nothing left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [out.lastPathComponent])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["evidence.key", "manifest.json", "tekigo.sqlite"])
        #expect(try permissions(out) == 0o700)
        #expect(try permissions(out.appendingPathComponent("evidence.key")) == 0o600)
        let sourceKey = try Data(contentsOf: source.appendingPathComponent("evidence.key"))
        #expect(try Data(contentsOf: out.appendingPathComponent("evidence.key")) == sourceKey)

        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect(manifest["format"] as? String == "tekigo-backup")
        #expect((manifest["tekigo_version"] as? String)?.isEmpty == false)
        #expect(manifest["schema_version"] as? Int == (try await schemaVersion(source)))
        #expect(Timestamp.date(manifest["created_at"] as? String ?? "") != nil)
        let files = try #require(manifest["files"] as? [String: [String: Any]])
        #expect(files.keys.sorted() == ["evidence.key", "tekigo.sqlite"])
        for (name, entry) in files {
            let data = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(entry["sha256"] as? String == sha256(data), "digest of \(name)")
            #expect(entry["size"] as? Int == data.count, "size of \(name)")
        }

        // Restore into a data directory that does not exist yet.
        let target = try TestEnvironment.temporaryDirectory("tekigo-restore").appendingPathComponent("data")
        let r = try tekigo("restore", "--from", out.path, "--data-dir", target.path)
        try #require(r.status == 0, "restore failed: \(r.stderr)")
        #expect(r.stdout.contains("Restored"))
        #expect(r.stdout.contains("The audit log is intact"))
        #expect(r.stdout.contains("evidence.key restored"))

        #expect(try await dump(source) == (try await dump(target)))
        #expect(try Data(contentsOf: target.appendingPathComponent("evidence.key")) == sourceKey)
        #expect(try permissions(target.appendingPathComponent("evidence.key")) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["evidence.key", "tekigo.sqlite"])

        // The restored data works: the chain verifies to the same head, and the evidence opens with the restored key.
        let before = try await withDatabase(source) { try await AuditLog($0).verify() }
        try await withDatabase(target) { db in
            let after = try await AuditLog(db).verify()
            #expect(after.isIntact, "\(after.problems.map(\.message))")
            #expect(after.entries == before.entries)
            #expect(after.headHash == before.headHash)
            let org = try #require(try await db.sql.raw("SELECT id FROM organizations").first()?.decode(column: "id", as: String.self))
            let key = try EvidenceKey.load(dataDirectory: target.path, environment: [:])
            let vault = EvidenceVault(db: db, key: key)
            let record = try #require(try await vault.list(organizationID: org).first)
            let (_, plaintext) = try await vault.get(organizationID: org, sha256: record.sha256)
            #expect(plaintext == Self.evidenceBytes)
        }
    }

    // MARK: refusing to overwrite

    @Test("Restore replaces an existing database only with --force, and keeps a different key aside")
    func force() async throws {
        let source = try await populatedDataDirectory()
        let out = try TestEnvironment.temporaryDirectory("tekigo-backups").appendingPathComponent("b1")
        try #require(try tekigo("backup", "--out", out.path, "--data-dir", source.path).status == 0)

        let target = try TestEnvironment.temporaryDirectory("tekigo-restore")
        try #require(try tekigo("restore", "--from", out.path, "--data-dir", target.path).status == 0)
        // Work done after the restore…
        try await withDatabase(target) { db in
            _ = try await AccountStore(db).createUser(email: "later@example.jp", displayName: "Later", passwordHash: "x",
                                                      platformAdmin: false)
        }
        // …is not thrown away without --force.
        let refused = try tekigo("restore", "--from", out.path, "--data-dir", target.path)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--force"))
        #expect(try await withDatabase(target) { try await AccountStore($0).user(email: "later@example.jp") } != nil)

        let forced = try tekigo("restore", "--from", out.path, "--data-dir", target.path, "--force")
        try #require(forced.status == 0, "\(forced.stderr)")
        #expect(try await dump(source) == (try await dump(target)))
        #expect(forced.stdout.contains("evidence.key unchanged"))

        // A data directory with another evidence key: that key is never silently replaced.
        let other = try TestEnvironment.temporaryDirectory("tekigo-restore-key")
        let otherKey = Data("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=\n".utf8)
        _ = FileManager.default.createFile(atPath: other.appendingPathComponent("evidence.key").path, contents: otherKey,
                                       attributes: [.posixPermissions: 0o600])
        let keyRefused = try tekigo("restore", "--from", out.path, "--data-dir", other.path)
        #expect(keyRefused.status != 0)
        #expect(keyRefused.stderr.contains("different evidence key"))
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent("tekigo.sqlite").path))
        let keyForced = try tekigo("restore", "--from", out.path, "--data-dir", other.path, "--force")
        try #require(keyForced.status == 0, "\(keyForced.stderr)")
        #expect(try Data(contentsOf: other.appendingPathComponent("evidence.key"))
                == (try Data(contentsOf: source.appendingPathComponent("evidence.key"))))
        let aside = try FileManager.default.contentsOfDirectory(atPath: other.path).filter { $0.hasPrefix("evidence.key.replaced-") }
        #expect(aside.count == 1)
        if let aside = aside.first {
            #expect(try Data(contentsOf: other.appendingPathComponent(aside)) == otherKey)
            #expect(try permissions(other.appendingPathComponent(aside)) == 0o600)
        }
    }

    // MARK: damaged backups

    @Test("A damaged or incomplete backup is refused, naming the file, and nothing is written")
    func damaged() async throws {
        let source = try await populatedDataDirectory()
        let backups = try TestEnvironment.temporaryDirectory("tekigo-backups")
        let good = backups.appendingPathComponent("good")
        try #require(try tekigo("backup", "--out", good.path, "--data-dir", source.path).status == 0)

        for name in ["tekigo.sqlite", "evidence.key"] {
            let bad = backups.appendingPathComponent("bad-\(name)")
            try FileManager.default.copyItem(at: good, to: bad)
            try flipByte(in: bad.appendingPathComponent(name))
            let target = try TestEnvironment.temporaryDirectory("tekigo-restore")
            let r = try tekigo("restore", "--from", bad.path, "--data-dir", target.path)
            #expect(r.status != 0, "a backup with a damaged \(name) was restored")
            #expect(r.stderr.contains("damaged"), "\(r.stderr)")
            #expect(r.stderr.contains(name), "the message does not name \(name): \(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty, "restore wrote into \(target.path)")
        }

        let missing = backups.appendingPathComponent("missing")
        try FileManager.default.copyItem(at: good, to: missing)
        try FileManager.default.removeItem(at: missing.appendingPathComponent("evidence.key"))
        let m = try tekigo("restore", "--from", missing.path, "--data-dir", try TestEnvironment.temporaryDirectory().path)
        #expect(m.status != 0)
        #expect(m.stderr.contains("evidence.key is missing"), "\(m.stderr)")

        let noManifest = try tekigo("restore", "--from", source.path, "--data-dir", try TestEnvironment.temporaryDirectory().path)
        #expect(noManifest.status != 0)
        #expect(noManifest.stderr.contains("not a Tekigo backup"), "\(noManifest.stderr)")

        // backup never replaces anything either.
        let again = try tekigo("backup", "--out", good.path, "--data-dir", source.path)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))
        let nothing = try tekigo("backup", "--out", backups.appendingPathComponent("x").path,
                                 "--data-dir", try TestEnvironment.temporaryDirectory().path)
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("there is no database"))
    }

    // MARK: online

    @Test("A backup taken while another process writes is a consistent snapshot; restore refuses a database in use")
    func online() async throws {
        let source = try TestEnvironment.temporaryDirectory("tekigo-backup-live")
        let writer = try CrashWriter.start(dataDir: source, databaseURL: nil, rows: CrashConsistencyTests.rows)
        // Wait until the writer is well into its loop.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while writer.committed.count < 10 && clock.now < deadline && writer.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        let committedBefore = Set(writer.committed)
        let out = try TestEnvironment.temporaryDirectory("tekigo-backups").appendingPathComponent("live")
        let b = try tekigo("backup", "--out", out.path, "--data-dir", source.path)
        let inUse = try tekigo("restore", "--from", out.path, "--data-dir", source.path, "--force")
        let outcome = writer.kill()
        try #require(outcome.wasKilled, "crash-writer ended by itself: \(outcome.stderr)")
        try #require(b.status == 0, "backup failed: \(b.stderr)")
        #expect(committedBefore.count >= 10)
        #expect(outcome.committed.count > committedBefore.count, "the writer did not write during the backup")

        #expect(inUse.status != 0, "restore replaced a database another process had open")
        #expect(inUse.stderr.contains("open in another process"), "\(inUse.stderr)")

        let target = try TestEnvironment.temporaryDirectory("tekigo-restore")
        let r = try tekigo("restore", "--from", out.path, "--data-dir", target.path)
        try #require(r.status == 0, "\(r.stderr)")
        let batches = try await CrashChecks.consistent(.sqlite(path: target.appendingPathComponent("tekigo.sqlite").path),
                                                       rowsPerBatch: CrashConsistencyTests.rows, context: "restored live backup")
        #expect(committedBefore.isSubset(of: batches), "transactions committed before the backup started are missing from it")

        // The killed writer left the source's -wal/-shm behind; restoring over it must not replay that old WAL into
        // the restored file.
        #expect(FileManager.default.fileExists(atPath: source.appendingPathComponent("tekigo.sqlite-wal").path))
        let over = try tekigo("restore", "--from", out.path, "--data-dir", source.path, "--force")
        try #require(over.status == 0, "\(over.stderr)")
        let restoredOver = try await CrashChecks.consistent(.sqlite(path: source.appendingPathComponent("tekigo.sqlite").path),
                                                            rowsPerBatch: CrashConsistencyTests.rows, context: "restored over a crashed database")
        #expect(restoredOver == batches)
        #expect(try await dump(source) == (try await dump(target)))
    }

    // MARK: PostgreSQL

    @Test("With PostgreSQL, backup prints pg_dump guidance (exit 0) and restore refuses with pg_restore guidance")
    func postgresGuidance() throws {
        let url = "postgres://backup_user:s3cret-pw@db.example.jp:6543/tekigo_prod?sslmode=require"
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-pg-guidance")
        let out = dataDir.appendingPathComponent("dumps")
        let b = try tekigo("backup", "--out", out.path, "--data-dir", dataDir.path, "--database-url", url)
        #expect(b.status == 0, "\(b.stderr)")
        for expected in ["pg_dump -Fc", "-h db.example.jp", "-p 6543", "-U backup_user", "-d tekigo_prod", "PGSSLMODE=require",
                         "pg_restore", "evidence.key", "tekigo audit verify"] {
            #expect(b.stdout.contains(expected), "backup guidance lacks \(expected)")
        }
        #expect(!b.stdout.contains("s3cret-pw"))
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let r = try tekigo("restore", "--from", out.path, "--data-dir", dataDir.path, "--database-url", url)
        #expect(r.status != 0)
        #expect(r.stderr.contains("pg_restore"))
        #expect(r.stderr.contains("-h db.example.jp"))
        #expect(r.stderr.contains("evidence.key"))
        #expect(!r.stderr.contains("s3cret-pw"))
        #expect(!FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("tekigo.sqlite").path))
    }

    // MARK: helpers

    static let evidenceBytes = Data("%PDF-1.7 アクセス制御方針 — access control policy, rev 3\n".utf8)

    /// A data directory with an imported catalog and crosswalk (through the binary) and server data (through the store).
    func populatedDataDirectory() async throws -> URL {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-backup-src")
        let examples = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog")
        let c = try tekigo("catalog", "import", examples.appendingPathComponent("jp-sample-catalog.json").path,
                           "--id", "jp-sample", "--data-dir", dir.path)
        try #require(c.status == 0, "catalog import failed: \(c.stderr)")
        let x = try tekigo("catalog", "crosswalk", "import", examples.appendingPathComponent("jp-sample-crosswalk.csv").path,
                           "--data-dir", dir.path)
        try #require(x.status == 0, "crosswalk import failed: \(x.stderr)")

        try await withDatabase(dir) { db in
            let accounts = AccountStore(db)
            let admin = try await accounts.createUser(
                email: "admin@example.jp", displayName: "山田 花子",
                passwordHash: "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", platformAdmin: true)
            _ = try await accounts.createUser(email: "auditor@example.jp", displayName: "O'Brien \"QA\"", passwordHash: "x",
                                              platformAdmin: false)
            let org = try await accounts.createOrganization(name: "株式会社テスト精機", cageCodes: ["8ABC1", "8ABC2"],
                                                            uei: "ABCDEF123456", corporateNumber: "1234567890123", owner: admin.id)
            let actor = TekigoStore.Actor(id: admin.id, sourceIP: "192.0.2.10")
            let tenant = TenantStore(db, organizationID: org.id)
            let system = try await tenant.createSystem(
                SystemProfile(name: "本社工場ネットワーク", boundary: "Office LAN, CNC cell", informationTypes: ["CUI//SP-CTI"]),
                by: actor)
            _ = try await tenant.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-11-27")!,
                                                  kind: .basic, assessor: "山田 花子", by: actor)
            let audit = AuditLog(db)
            for i in 1...5 {
                try await audit.append(AuditEvent(actor: admin.id, organizationID: i % 2 == 0 ? org.id : nil,
                                                  sourceIP: "192.0.2.10", action: .loginSuccess, object: "user/\(admin.id)"))
            }
            let key = try EvidenceKey.load(dataDirectory: dir.path, environment: [:])
            try await EvidenceVault(db: db, key: key).put(organizationID: org.id, data: Self.evidenceBytes,
                                                          filename: "方針.pdf", contentType: "application/pdf",
                                                          uploadedBy: admin.id)
        }
        return dir
    }

    func withDatabase<R: Sendable>(_ dataDir: URL, _ body: (TekigoDatabase) async throws -> R) async throws -> R {
        let db = try await TekigoDatabase.open(.sqlite(path: dataDir.appendingPathComponent("tekigo.sqlite").path),
                                               migrate: false, maxConnections: 2)
        do {
            let r = try await body(db)
            await db.close()
            return r
        } catch {
            await db.close()
            throw error
        }
    }

    func schemaVersion(_ dataDir: URL) async throws -> Int {
        try await withDatabase(dataDir) { db in
            try await db.sql.raw("SELECT MAX(version) AS v FROM tekigo_migration").first()!.decode(column: "v", as: Int.self)
        }
    }

    /// The schema and every row of every table, each value as SQLite's `quote()` renders it (blobs as X'…'), ordered.
    func dump(_ dataDir: URL) async throws -> [String: [[String]]] {
        try await withDatabase(dataDir) { db in
            var out: [String: [[String]]] = [:]
            out["(schema)"] = try await db.sql.raw("""
                SELECT type, name, tbl_name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
                """).all().map { row in
                try ["type", "name", "tbl_name", "sql"].map { try row.decode(column: $0, as: String.self) }
            }
            let tables = try await db.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .all().map { try $0.decode(column: "name", as: String.self) }
            #expect(tables.count >= 10, "expected Tekigo's tables, found \(tables)")
            for table in tables {
                let columns = try await db.sql.raw("SELECT name FROM pragma_table_info(\(bind: table)) ORDER BY cid").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                let select = columns.enumerated().map { "quote(\"\($1)\") AS c\($0)" }.joined(separator: ", ")
                let order = (1...columns.count).map(String.init).joined(separator: ", ")
                let query = "SELECT \(select) FROM \"\(table)\" ORDER BY \(order)"
                out[table] = try await db.sql.raw(SQLQueryString(query)).all()
                    .map { row in try columns.indices.map { try row.decode(column: "c\($0)", as: String.self) } }
            }
            return out
        }
    }

    func permissions(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func flipByte(in url: URL) throws {
        var data = try Data(contentsOf: url)
        let i = data.count / 2
        data[i] ^= 0x01
        try data.write(to: url)
    }
}
