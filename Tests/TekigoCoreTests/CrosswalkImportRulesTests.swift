import Testing
@testable import TekigoCore

/// Issue 11 item 11: the crosswalk importer applies the same id and text rules as the catalog importer.
@Suite("User crosswalk tables: the id and text rules")
struct CrosswalkImportRulesTests {
    @Test("NUL in any cell, and a catalog id that breaks the id rule, are row problems naming line and column")
    func rules() throws {
        let lib = try BuiltInLibrary.shared
        let result = CrosswalkTable.mappings(
            header: CrosswalkTable.header,
            rows: [["sp800-171r2", "3.1.1", "subset", "sp800-53r5", "AC-2", "reason\u{0}hidden"],
                   ["../../etc", "3.1.1", "subset", "sp800-53r5", "AC-2", ""],
                   ["sp800-171r2", "3.1.1", "subset", "x:y", "AC-2", ""],
                   ["sp800-171r2", "3.1.1\u{0}", "subset", "sp800-53r5", "AC-2", ""]],
            library: lib)
        guard case .failure(.invalidRows(let problems)) = result else {
            Issue.record("expected row errors, got \(result)")
            return
        }
        #expect(problems.map(\.line) == [2, 3, 4, 5])
        try #require(problems.count == 4)
        #expect(problems[0].message.contains("column 'rationale'") && problems[0].message.contains("NUL character (U+0000)"))
        #expect(problems[1].message.contains("from_catalog: '../../etc' is not a valid catalog id"))
        #expect(problems[2].message.contains("to_catalog: 'x:y' is not a valid catalog id"))
        #expect(problems[3].message.contains("column 'from_id'"))
    }
}
