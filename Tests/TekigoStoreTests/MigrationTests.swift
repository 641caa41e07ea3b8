import Foundation
import SQLKit
import Testing
import TekigoTestSupport
@testable import TekigoStore

/// The schema's history (issue: architecture, "one migration per file, in order"): migrations are numbered 1…N,
/// each lives in its own file under Sources/TekigoStore/Migrations/ named by its number, and none is ever edited once
/// it has landed — databases in the field have it applied, and a changed statement would make them differ from new ones.
@Suite("Migrations: one per file, numbered without gaps, never edited")
struct MigrationTests {
    /// SHA-256 of each migration's name and statements (joined by NUL), per engine, as they landed. A mismatch means a
    /// landed migration was edited: put it back and add a new migration instead. A new migration adds its line here.
    static let landed: [Int: (sqlite: String, postgres: String)] = [
        1: ("0eef4bf4d69906188da8d64f76ca5af9c09ba21fc3f88c3248907bc242cf18d0",
            "0eef4bf4d69906188da8d64f76ca5af9c09ba21fc3f88c3248907bc242cf18d0"),
        2: ("020f97db563ea5d7dc2f8e73a434c9e59ee44b960be78e40064d7da0e6044f91",
            "a874bbbd147378af6bbe84a1b472ccb6408183b7acde6e4e8d6e7fb6c08ad81e"),
        3: ("f5d67dac7fed4aa7c102cbbbf2d2a4e2272afd74492bb56ae4abfe20d0c1c526",
            "50092fad471478c144ffc2b0df027ca82c8de4e190e9c86d7e668b1cf5068092"),
        4: ("c8cbda61be98089d517292bdb5f8b84bd1e5e5096cc393a28315997dbb56fd51",
            "5b42bd759d37b7bbb9aacbcb4c3cfaa5075ccd93d10eb1df52a42384a675da00"),
        5: ("0d783f58cd58486922243b94fceb9b50b8b61767dc73f8fed626af4ffffce0df",
            "0d783f58cd58486922243b94fceb9b50b8b61767dc73f8fed626af4ffffce0df"),
        6: ("1e81b5ecca3537d0c8564cecd2773990adcc23da1d508f02443f018dbab7dd02",
            "1e81b5ecca3537d0c8564cecd2773990adcc23da1d508f02443f018dbab7dd02"),
        7: ("8f41ec337ae4be1a0aea61471c40bd64c32c6714c1f944b804ddeea6ab79ba35",
            "8f41ec337ae4be1a0aea61471c40bd64c32c6714c1f944b804ddeea6ab79ba35"),
        8: ("796cab90bd72738b4e682525e092f310de44bc7897e7711e759636d13763ecc2",
            "796cab90bd72738b4e682525e092f310de44bc7897e7711e759636d13763ecc2"),
        9: ("8d6c28ca1e7008ace58ad0cbdd4e73cad1da355451d52368a677093b2b34cde0",
            "8d6c28ca1e7008ace58ad0cbdd4e73cad1da355451d52368a677093b2b34cde0"),
        10: ("2802a259086edaedd718a97a69b3a95fe1559821c8877092b812cb7ad9f0aad5",
             "8c312ae5d9076efc5989dd58cbd95f32a7505607a12d4f79bf552805b49bd3e3"),
        11: ("eb471d59af21f6dc8f0ae64297e8bbacab08ade29c62975196f6c38afe124234",
            "eb471d59af21f6dc8f0ae64297e8bbacab08ade29c62975196f6c38afe124234"),
        12: ("ff63a7778e2cedfb03a212aac4c3219f891825db208e54355a871d577e51f8f7",
            "ff63a7778e2cedfb03a212aac4c3219f891825db208e54355a871d577e51f8f7"),
        13: ("c1d3b5c1e3c75fd69cfe87c1f79831fb16eb04b40b57bcdd14bcc37b8dcffc74",
             "c1d3b5c1e3c75fd69cfe87c1f79831fb16eb04b40b57bcdd14bcc37b8dcffc74"),
        14: ("e274dccb0eb00e930262df3e33c121b76ed98a2c54c2244e6226bd0d75f52c41",
             "e274dccb0eb00e930262df3e33c121b76ed98a2c54c2244e6226bd0d75f52c41"),
        15: ("5ee7311401e4575b26af78a34d51046246462c9adb8a1507a86383756fa15673",
             "689f922e6ac9b126f8ddf56ac0237a1c255d47a6187a1bdd72956b69280729de"),
        16: ("4b9e3a0ce1ef44771a917df56e255cb43b255dc84657a9c4feb07baf387d2a9a",
             "4b9e3a0ce1ef44771a917df56e255cb43b255dc84657a9c4feb07baf387d2a9a"),
        17: ("5dfc12943edf2a3eb170520fa4b715caabc64a9b3a085b9f378cdb217a45ace6",
             "5dfc12943edf2a3eb170520fa4b715caabc64a9b3a085b9f378cdb217a45ace6"),
        18: ("59b3368b3aa1e7347a56ece1250a82b849722831a1972782fa37d63f20b77be9",
             "59b3368b3aa1e7347a56ece1250a82b849722831a1972782fa37d63f20b77be9"),
        19: ("6d26c6572b6f60ef3639a54ba091d9f19faf148e6520964831e372b560bb4298",
             "6d26c6572b6f60ef3639a54ba091d9f19faf148e6520964831e372b560bb4298"),
        20: ("739eb385f17a287cfb0cfed883af3691e3309f8677e5fc03ec5cd4febcaf722f",
             "739eb385f17a287cfb0cfed883af3691e3309f8677e5fc03ec5cd4febcaf722f"),
        21: ("822fd18e269ad8e1e762357401dded5ff8bb9e1d59c75e48efb0a1925ff1da71",
             "822fd18e269ad8e1e762357401dded5ff8bb9e1d59c75e48efb0a1925ff1da71"),
        22: ("e9415752a1d3e9030cb405df950ddb3fad11d749ae900880cc2485426d8787cc",
             "e9415752a1d3e9030cb405df950ddb3fad11d749ae900880cc2485426d8787cc"),
        23: ("d1c9c08e699634007b44ce7ae7747dff995aa651ff9b0fddd18b0ce80b5a52dd",
             "d1c9c08e699634007b44ce7ae7747dff995aa651ff9b0fddd18b0ce80b5a52dd"),
        24: ("a77f48e108c91eb293c41beb3b45323a58c93cd1120f4fceed4a2158b2d041c0",
             "a77f48e108c91eb293c41beb3b45323a58c93cd1120f4fceed4a2158b2d041c0"),
        25: ("47dd47d5bcad393e08589acccb2d3d40bdc671bfad5f65991ea8cca54c8106ba",
             "47dd47d5bcad393e08589acccb2d3d40bdc671bfad5f65991ea8cca54c8106ba"),
    ]

    static var folder: URL { TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoStore/Migrations") }

    static func digest(_ m: Migrations.Migration, _ engine: SQLEngine) -> String {
        Hex.sha256(Data(([m.name] + m.statements(engine)).joined(separator: "\u{0}").utf8))
    }

    /// The versions a Swift source declares with `Migration(version: N`.
    static func declaredVersions(_ text: String) -> [Int] {
        text.matches(of: /Migration\(version: *(\d+)/).compactMap { Int($0.output.1) }
    }

    @Test("Versions run 1…N in order, without gaps or repeats")
    func versionsWithoutGaps() {
        let versions = Migrations.all.map(\.version)
        #expect(!versions.isEmpty)
        #expect(versions == Array(1...max(1, versions.count)), "versions in Migrations.all: \(versions)")
        #expect(Migrations.latest == versions.count)
    }

    @Test("Every landed migration's name and SQL are unchanged, byte for byte, on both engines")
    func landedTextUnchanged() {
        for m in Migrations.all {
            guard let pinned = Self.landed[m.version] else {
                Issue.record("migration \(m.version) (\(m.name)) has no pinned digest: add [\(m.version): (\"\(Self.digest(m, .sqlite))\", \"\(Self.digest(m, .postgres))\")] to MigrationTests.landed")
                continue
            }
            #expect(Self.digest(m, .sqlite) == pinned.sqlite,
                    "migration \(m.version) (\(m.name)) was edited (SQLite statements); restore it and add a new migration instead")
            #expect(Self.digest(m, .postgres) == pinned.postgres,
                    "migration \(m.version) (\(m.name)) was edited (PostgreSQL statements); restore it and add a new migration instead")
        }
        #expect(Set(Self.landed.keys).isSubset(of: Set(Migrations.all.map(\.version))), "a landed migration is gone from Migrations.all")
    }

    @Test("Each NNNN-Purpose.swift under Migrations/ holds exactly the migration its number names; Migrations.swift holds the runner and the list")
    func oneMigrationPerFile() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(names.contains("Migrations.swift"), "the runner file is missing from \(Self.folder.path)")
        var numbered: [Int] = []
        for name in names {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let declared = Self.declaredVersions(text)
            if name == "Migrations.swift" {
                #expect(declared.isEmpty, "Migrations.swift declares migrations \(declared); give each its own file")
                #expect(text.contains("static let all: [Migration]") && text.contains("static func run("),
                        "Migrations.swift should hold the ordered list and the runner")
                continue
            }
            let number = Int(name.prefix(4))
            guard let number, name.count > 5, name.dropFirst(4).hasPrefix("-") else {
                Issue.record("\(name): a migration file is named NNNN-Purpose.swift (its version, four digits)")
                continue
            }
            #expect(declared == [number], "\(name) declares \(declared), not exactly migration \(number)")
            numbered.append(number)
        }
        #expect(numbered == Migrations.all.map(\.version), "files \(numbered) vs Migrations.all \(Migrations.all.map(\.version))")

        // No migration is declared anywhere else in the store.
        let store = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoStore")
        let files = FileManager.default.enumerator(atPath: store.path)
        while let path = files?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("Migrations/") else { continue }
            let text = try String(contentsOf: store.appendingPathComponent(path), encoding: .utf8)
            #expect(Self.declaredVersions(text).isEmpty, "Sources/TekigoStore/\(path) declares a migration; move it under Migrations/")
        }
    }

    @Test("A fresh database reaches the latest version with every migration recorded once, and opening again changes nothing",
          arguments: TestDatabases.engines)
    func freshDatabaseReachesLatest(_ engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        func applied() async throws -> [(Int, String)] {
            let db = try await TekigoDatabase.open(location, maxConnections: 2)
            do {
                let rows = try await db.sql.select().columns("version", "name").from("tekigo_migration")
                    .orderBy("version").all()
                let out = try rows.map { (try $0.decode(column: "version", as: Int.self), try $0.decode(column: "name", as: String.self)) }
                await db.close()
                return out
            } catch {
                await db.close()
                throw error
            }
        }
        let first = try await applied()
        #expect(first.map(\.0) == Array(1...Migrations.latest), "\(engine): applied \(first.map(\.0))")
        #expect(first.map(\.1) == Migrations.all.map(\.name), "\(engine): recorded names differ")
        let again = try await applied()
        #expect(again.map(\.0) == first.map(\.0), "\(engine): reopening applied something again")
    }

    /// A new SQLite database at the version before migration 24 added `official_text.title_en`, with one entry.
    static func openBeforeTitleEN(maxConnections: Int) async throws -> TekigoDatabase {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(.sqlite), migrate: false, maxConnections: maxConnections)
        do {
            try await Migrations.run(on: db, upTo: Migrations.organizationRegime.version - 1)
            try await db.sql.raw("""
                INSERT INTO catalog_import VALUES ('c', 't', 'v', '1.1.2', 'f', 'h', '2026-12-07T00:00:00Z', 1, 0, '[]')
                """).run()
            try await db.sql.raw("""
                INSERT INTO official_text VALUES ('c', 'e', 'o', 't', 's', 'g', 'f', NULL, 1, '[]', '[]', '[]')
                """).run()
            return db
        } catch {
            await db.close()
            throw error
        }
    }

    /// How many of `connections` concurrent leases find `official_text` without `title_en` when `SELECT *` is the first
    /// statement each runs on its connection (each lease is held a moment, so the pool hands out every connection).
    static func leasesMissingTitleEN(_ db: TekigoDatabase, connections: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    try await db.withConnection { s in
                        let row = try await s.raw("SELECT * FROM official_text").first()
                        try await Task.sleep(for: .milliseconds(30))
                        return !(row?.allColumns.contains("title_en") ?? false)
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    @Test("""
        After migrating, every pooled SQLite connection reads the new schema: connections opened before a migration \
        widened official_text answer their first SELECT * without title_en (SQLiteNIO names the columns before the step \
        that re-prepares), a reopened pool never does — and opening migrates then reopens
        """)
    func connectionsReadTheMigratedSchema() async throws {
        let leases = 16
        let old = try await Self.openBeforeTitleEN(maxConnections: leases)
        var current = old
        do {
            // Every connection of the pool reads the schema before migration 24; then the migrations run.
            #expect(try await Self.leasesMissingTitleEN(old, connections: leases) == leases)
            try await Migrations.run(on: old)
            let stale = try await Self.leasesMissingTitleEN(old, connections: leases)
            #expect(stale > 0, "the hazard this guards against no longer shows: SQLiteNIO may now name columns after the step")
            current = try await old.reopened(maxConnections: leases)
            #expect(try await Self.leasesMissingTitleEN(current, connections: leases) == 0)
            await current.close()
        } catch {
            await current.close()
            throw error
        }

        // TekigoDatabase.open on a database below the latest version migrates it and hands back a reopened pool.
        let setUp = try await Self.openBeforeTitleEN(maxConnections: 2)
        await setUp.close()
        let opened = try await TekigoDatabase.open(setUp.location, maxConnections: leases)
        let missing = try await Self.leasesMissingTitleEN(opened, connections: leases)
        await opened.close()
        #expect(missing == 0)
    }
}
