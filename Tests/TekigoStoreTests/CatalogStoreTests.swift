import Foundation
import Testing
import TekigoCore
import TekigoOSCAL
import TekigoTestSupport
@testable import TekigoStore

@Suite("Catalog store on a real SQLite file")
struct CatalogStoreTests {
    func sample(_ catalog: CatalogID, _ ids: [String], title: String = "Sample") -> ImportedCatalog {
        ImportedCatalog(
            catalog: catalog, title: title, version: "1", oscalVersion: "1.1.3",
            families: [Family(id: "F", abbr: "F", title: LocalizedText("Family"))],
            texts: ids.enumerated().map { i, id in
                OfficialText(catalog: catalog, entryID: id, oscalID: "x-\(id)", title: "T \(id)", statement: "S \(id)",
                             guidance: "G", objectives: [OfficialObjective(id: "\(id)[a]", prose: "p")],
                             methods: [AssessmentMethod(method: "EXAMINE", objects: "o")],
                             parameters: [OfficialParameter(id: "odp", label: "l", usage: "u", guideline: "g")],
                             family: "F", parent: nil, sortOrder: i)
            })
    }

    @Test("Imported text round-trips through the database and survives reopening")
    func roundTrip() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let store = SQLCatalogStore(db)
        try await store.save(sample("custom-a", ["A1", "A2"]), sourceFile: "a.json", sourceData: Data("x".utf8), warningCount: 1)
        await db.close()

        let reopened = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let store2 = SQLCatalogStore(reopened)
        let records = try await store2.imports()
        #expect(records.map(\.catalogID) == ["custom-a"])
        #expect(records[0].entryCount == 2)
        #expect(records[0].warningCount == 1)
        // SHA-256 of "x".
        #expect(records[0].sourceSHA256 == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
        let loaded = try await store2.importedCatalogs()
        #expect(loaded.first?.texts == sample("custom-a", ["A1", "A2"]).texts)
        let one = try await store2.officialText(catalog: "custom-a", entryID: "A2")
        #expect(one?.statement == "S A2")
        await reopened.close()
    }

    @Test("A re-import replaces the catalog; a failing import leaves the earlier one intact")
    func atomicReplace() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let store = SQLCatalogStore(db)
        try await store.save(sample("c", ["A1", "A2", "A3"]), sourceFile: "v1.json", sourceData: Data(), warningCount: 0)
        try await store.save(sample("c", ["B1"]), sourceFile: "v2.json", sourceData: Data(), warningCount: 0)
        #expect(try await store.importedCatalogs().first?.texts.map(\.entryID) == ["B1"])

        // Two texts with one id violate the primary key half-way through the insert.
        let broken = sample("c", ["Z1", "Z1"], title: "Broken")
        await #expect(throws: (any Error).self) {
            try await store.save(broken, sourceFile: "v3.json", sourceData: Data(), warningCount: 0)
        }
        let after = try await store.importedCatalogs()
        #expect(after.first?.title == "Sample")
        #expect(after.first?.texts.map(\.entryID) == ["B1"])
        #expect(try await store.imports().first?.sourceFile == "v2.json")
        await db.close()
    }

    @Test("Imported mappings replace those from the same source catalog")
    func mappings() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let store = SQLCatalogStore(db)
        func m(_ from: String, _ to: String) -> Mapping {
            Mapping(from: EntryRef(catalog: "jp", id: from), to: EntryRef(catalog: .sp800171r2, id: to),
                    relation: .subset, provenance: .imported, rationale: "r")
        }
        try await store.replaceMappings([m("J1", "3.1.1"), m("J2", "3.1.2")], sourceFile: "a.csv")
        try await store.replaceMappings([m("J3", "3.1.3")], sourceFile: "b.csv")
        let stored = try await store.importedMappings()
        #expect(stored.map(\.from.id) == ["J3"])
        #expect(stored[0].provenance == .imported)
        #expect(stored[0].relation == .subset)
        await db.close()
    }

    @Test("Two processes' connections migrate the same new file without clashing")
    func concurrentMigration() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let location = try DatabaseLocation.dataDirectory(dir.path)
        // Results, not throws: a failed open must be reported, and the other database still closed.
        func open() async -> Result<TekigoDatabase, StoreError> {
            do { return .success(try await TekigoDatabase.open(location)) } catch { return .failure(error) }
        }
        async let a = open()
        async let b = open()
        let results = await [a, b]
        for r in results {
            switch r {
            case .success(let d):
                let rows = try await d.sql.select().column("version").from("tekigo_migration").all()
                #expect(rows.count == Migrations.latest)
                await d.close()
            case .failure(let e):
                Issue.record("a concurrent open failed: \(e)")
            }
        }
    }

    @Test("An unwritable data directory gives a clear error")
    func unwritable() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("not-a-dir")
        try Data("x".utf8).write(to: file)
        #expect(throws: StoreError.self) { try DatabaseLocation.dataDirectory(file.appendingPathComponent("sub").path) }
    }
}
