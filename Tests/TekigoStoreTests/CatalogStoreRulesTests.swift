import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// Issue 11 item 11: whatever calls the catalog store, it stores no catalog id that breaks the id rule and no text with
/// NUL (PostgreSQL could not hold it; the API refuses it).
@Suite("Catalog store: the id and text rules")
struct CatalogStoreRulesTests {
    static func catalog(_ id: CatalogID, statement: String = "Do it.") -> ImportedCatalog {
        ImportedCatalog(catalog: id, title: "T", version: "1", oscalVersion: "1.1.3",
                        families: [Family(id: "g", abbr: "g", title: LocalizedText("G"))],
                        texts: [OfficialText(catalog: id, entryID: "x-1", oscalID: "x-1", title: "X", statement: statement, guidance: "",
                                             objectives: [], methods: [], parameters: [], family: "g", parent: nil, sortOrder: 0)])
    }

    @Test("Refused before anything is written, on every engine", arguments: TestDatabases.engines)
    func refused(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let store = SQLCatalogStore(db)
        await #expect(throws: CatalogIDError.self) {
            try await store.save(Self.catalog("../../etc"), sourceFile: "f.json", sourceData: Data(), warningCount: 0)
        }
        await #expect(throws: CatalogIDError.self) {
            try await store.save(Self.catalog("x:y"), sourceFile: "f.json", sourceData: Data(), warningCount: 0)
        }
        await #expect(throws: CatalogTextRefused.self) {
            try await store.save(Self.catalog("acme", statement: "a\u{0}b"), sourceFile: "f.json", sourceData: Data(), warningCount: 0)
        }
        let bad = Mapping(from: EntryRef(catalog: .sp800171r2, id: "3.1.1"), to: EntryRef(catalog: .sp80053r5, id: "AC-2"),
                          relation: .subset, provenance: .imported, rationale: "why\u{0}")
        await #expect(throws: CatalogTextRefused.self) { try await store.replaceMappings([bad], sourceFile: "m.csv") }
        #expect(try await store.imports().isEmpty)
        #expect(try await store.importedMappings().isEmpty)
        // A good one still goes in.
        try await store.save(Self.catalog("acme"), sourceFile: "f.json", sourceData: Data(), warningCount: 0)
        #expect(try await store.imports().map(\.catalogID) == ["acme"])
        await db.close()
    }
}
