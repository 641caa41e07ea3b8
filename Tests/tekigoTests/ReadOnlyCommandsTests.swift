import Foundation
import SQLKit
import Testing
import TekigoStore
import TekigoTestSupport

/// Reading commands never create or migrate a database (issue #16 item 4): with no database they create no file and
/// no directory; on a database at an older schema they say so and name `tekigo migrate`, exit non-zero and leave the
/// schema as it was. Run with the real binary on a real SQLite file.
@Suite("Reading commands never create or migrate the database")
struct ReadOnlyCommandsTests {
    let binary: URL
    let root: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        root = try TestEnvironment.temporaryDirectory("tekigo-readonly")
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang],
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": "", "TEKIGO_DATA_DIR": ""],
                       currentDirectory: root)
    }

    /// Every command that only reads the database, as run against `dataDir` (an assessment folder in `root/ws`).
    func readingCommands(_ dataDir: URL) -> [[String]] {
        let d = ["--data-dir", dataDir.path]
        let ws = ["--dir", root.appendingPathComponent("ws").path]
        return [
            ["catalog", "list"] + d,
            ["catalog", "show", "3.1.1"] + d,
            ["catalog", "map", "3.1.1", "--to", "sp800-171r3"] + d,
            ["catalog", "imports"] + d,
            ["score"] + ws + d,
            ["status"] + ws + d,
            ["export", "ssp", "--format", "md", "--out", root.appendingPathComponent("ssp.md").path] + ws + d,
            ["audit", "verify"] + d,
            ["audit", "export", "--out", root.appendingPathComponent("audit.jsonl").path] + d,
            ["org", "list"] + d,
            ["rollup", "--org", "demo-prime-jp"] + d,
            ["attest", "export", "--org", "demo-prime-jp", "--out", root.appendingPathComponent("a.json").path] + d,
        ]
    }

    /// Commands that need the server's data: without a database they fail, naming where they looked.
    static let needDatabase: Set<String> = ["audit", "org", "rollup", "attest"]

    /// An assessment folder in `root/ws`, made without a database.
    func makeWorkspace() throws {
        let r = try tekigo(["init", root.appendingPathComponent("ws").path, "--org", "テスト株式会社", "--system", "S",
                            "--data-dir", root.appendingPathComponent("no-data").path])
        try #require(r.status == 0, "init: \(r.stderr)")
    }

    @Test("With no database, no reading command creates the data directory or a database file")
    func readingCreatesNothing() throws {
        try makeWorkspace()
        let dataDir = root.appendingPathComponent("absent/data")
        for args in readingCommands(dataDir) {
            let r = try tekigo(args)
            if Self.needDatabase.contains(args[0]) {
                #expect(r.status == 1, "\(args.joined(separator: " ")): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("there is no database at \(dataDir.appendingPathComponent("tekigo.sqlite").path)"),
                        "\(args.joined(separator: " ")): \(r.stderr)")
            } else {
                #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("absent").path),
                    "\(args.joined(separator: " ")) created \(root.appendingPathComponent("absent").path)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("no-data").path), "init created its data directory")
    }

    @Test("On an older schema every reading command refuses, names `tekigo migrate`, and changes nothing; `tekigo migrate` then upgrades it")
    func olderSchemaIsRefused() async throws {
        try makeWorkspace()
        let dataDir = root.appendingPathComponent("data")
        let file = dataDir.appendingPathComponent("tekigo.sqlite")
        let older = Migrations.latest - 1
        try await OlderSchema.make(.sqlite(path: file.path), version: older, createDirectory: dataDir)
        let before = try await OlderSchema.facts(.sqlite(path: file.path))
        #expect(before.version == older)

        for args in readingCommands(dataDir) {
            let r = try tekigo(args)
            let command = args.prefix(2).joined(separator: " ")
            #expect(r.status != 0, "\(command) succeeded on schema \(older)")
            #expect(r.stderr.contains("schema version \(older), older than this Tekigo's \(Migrations.latest)"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("tekigo migrate") && r.stderr.contains("nothing was changed"), "\(command): \(r.stderr)")
            let after = try await OlderSchema.facts(.sqlite(path: file.path))
            #expect(after == before, "\(command) changed the database")
        }
        let ja = try tekigo(["catalog", "list", "--data-dir", dataDir.path], lang: "ja")
        #expect(ja.status == 1)
        #expect(ja.stderr.contains("スキーマのバージョン \(older)") && ja.stderr.contains("tekigo migrate"), "\(ja.stderr)")

        let migrate = try tekigo(["migrate", "--data-dir", dataDir.path])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("version \(Migrations.latest)"), "\(migrate.stdout)")
        #expect(try await OlderSchema.facts(.sqlite(path: file.path)).version == Migrations.latest)
        for args in [["catalog", "imports", "--data-dir", dataDir.path], ["audit", "verify", "--data-dir", dataDir.path],
                     ["org", "list", "--data-dir", dataDir.path]] {
            let r = try tekigo(args)
            #expect(r.status == 0, "\(args.prefix(2).joined(separator: " ")) after migrate: \(r.stderr)")
        }
    }
}

/// A database at an older schema, as an earlier Tekigo left it, and what a test compares before and after.
enum OlderSchema {
    struct Facts: Equatable {
        var version: Int
        /// Every table, index and column definition.
        var schema: [String]
    }

    /// Creates the database at `location` with migrations 1…`version` only.
    static func make(_ location: DatabaseLocation, version: Int, createDirectory: URL? = nil) async throws {
        if let createDirectory { try FileManager.default.createDirectory(at: createDirectory, withIntermediateDirectories: true) }
        let db = try await TekigoDatabase.open(location, migrate: false, maxConnections: 2)
        do {
            try await Migrations.run(on: db, upTo: version)
            await db.close()
        } catch {
            await db.close()
            throw error
        }
    }

    static func facts(_ location: DatabaseLocation) async throws -> Facts {
        let db = try await TekigoDatabase.open(location, migrate: false, maxConnections: 2)
        do {
            let version = try await db.sql.raw("SELECT MAX(version) AS v FROM tekigo_migration").first()?
                .decode(column: "v", as: Int.self) ?? 0
            let schema: [String]
            switch db.engine {
            case .sqlite:
                schema = try await db.sql.raw("SELECT type || ' ' || name || ' ' || COALESCE(sql, '') AS d FROM sqlite_master ORDER BY type, name")
                    .all().map { try $0.decode(column: "d", as: String.self) }
            case .postgres:
                schema = try await db.sql.raw("""
                    SELECT table_name || '.' || column_name || ' ' || data_type AS d FROM information_schema.columns
                    WHERE table_schema = current_schema() ORDER BY table_name, column_name
                    """).all().map { try $0.decode(column: "d", as: String.self) }
            }
            await db.close()
            return Facts(version: version, schema: schema)
        } catch {
            await db.close()
            throw error
        }
    }
}
