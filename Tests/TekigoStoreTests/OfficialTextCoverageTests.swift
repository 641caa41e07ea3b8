import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

/// Issue: defects, item 3 — a file imported as the official wording of a built-in catalog that covers fewer entries
/// than the catalog has is refused, and the earlier import stays whole (it used to wipe the other requirements' text).
@Suite("Official wording for a built-in catalog must cover all of it")
struct OfficialTextCoverageTests {
    @Test("A partial file for sp800-171r2 is refused naming what is missing; the complete earlier import stays")
    func partialImportRefused() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        defer { Task { await db.close() } }
        let store = SQLCatalogStore(db)
        let builtIn = try BuiltInLibrary.catalogsOnly.catalog(.sp800171r2)
        let helper = CatalogStoreTests()
        let complete = helper.sample(.sp800171r2, builtIn.entries.map(\.id), title: "NIST")
        try await store.save(complete, sourceFile: "nist.json", sourceData: Data("nist".utf8), warningCount: 0)
        let forged = helper.sample(.sp800171r2, ["3.1.1"], title: "Forged")
        await #expect(throws: OfficialTextCoverageError.self) {
            try await store.save(forged, sourceFile: "forged.json", sourceData: Data("forged".utf8), warningCount: 0)
        }
        let kept = try await store.officialText(catalog: .sp800171r2, entryID: "3.14.7")
        #expect(kept?.title == "T 3.14.7")
        #expect(try await store.imports().first?.sourceFile == "nist.json")
        // A custom catalog of any size is the user's own and is taken as it is.
        try await store.save(helper.sample("custom-x", ["X1"]), sourceFile: "x.json", sourceData: Data("x".utf8), warningCount: 0)
    }

    @Test("The refusal names the missing entries and how to fix it")
    func message() {
        let e = OfficialTextCoverageError.incomplete(catalog: .sp800171r2, missing: ["3.1.2", "3.1.3"], total: 110)
        #expect(e.description.contains("2 of the 110"))
        #expect(e.description.contains("3.1.2, 3.1.3"))
        #expect(e.description.contains("custom catalog"))
    }
}
