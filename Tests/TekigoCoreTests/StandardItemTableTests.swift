import Foundation
import Testing
import TekigoTestSupport
@testable import TekigoCore

/// The Japanese-standard item table (issue #17 item 3): ids kept exactly as printed, typed mappings to SP 800-171
/// checked against the built-in catalogs, every bad cell named by row and column, nothing returned when any is bad;
/// and the regime's words (RegimeTerms).
@Suite("Japanese-standard item table and regime terms (#17 item 3)")
struct StandardItemTableTests {
    static var example: Data {
        get throws {
            try Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("docs/examples/japanese-standard-items.example.csv"))
        }
    }

    static func read(_ csv: String, id: String = "atla-example") throws -> Result<StandardItemTable.Parsed, StandardItemTableError> {
        StandardItemTable.read(Data(csv.utf8), catalog: CatalogID(id), name: "例示カタログ", library: try BuiltInLibrary.catalogsOnly)
    }

    static let header = "item_id,section,parent_id,title_ja,title_en,sp800_171_r2,sp800_171_r3,relation\n"

    @Test("#17 item 3: the documented example reads as 4 items and 2 sub-items, ids exactly as printed, mappings typed (a per-id relation overrides the row's)")
    func exampleFile() throws {
        let parsed = try StandardItemTable.read(try Self.example, catalog: "atla-example", name: "例示", library: try BuiltInLibrary.catalogsOnly).get()
        #expect(parsed.items == 4 && parsed.subItems == 2)
        let ids = parsed.imported.texts.map(\.entryID)
        #expect(ids == ["付紙第3項（1）ア", "付紙第3項（1）イ", "付紙第3項（2）ア", "付紙第4項（1）"])
        // Full-width parentheses kept as they are: not folded to ASCII.
        #expect(ids[0].unicodeScalars.contains("\u{FF08}") && !ids[0].contains("("))
        #expect(parsed.imported.families.map(\.id) == ["付紙第3項", "付紙第4項"])
        #expect(parsed.imported.families[0].title.ja == "（例示）アクセスの管理")
        #expect(parsed.imported.texts[3].objectives.map(\.id) == ["付紙第4項（1）ア", "付紙第4項（1）イ"])
        #expect(parsed.imported.texts[0].titleEN == "(Example) Only identified and permitted people handle protected information")
        let byTarget = Dictionary(uniqueKeysWithValues: parsed.mappings.filter { $0.from.id == "付紙第3項（1）イ" }.map { ($0.to.description, $0.relation) })
        #expect(byTarget == ["sp800-171r2:3.9.2": .subset, "sp800-171r3:03.09.02": .intersect])
        #expect(parsed.mappings.allSatisfy { $0.provenance == .imported && $0.from.catalog == "atla-example" })
        // Folded into the library: one entry per item (an item without sub-items is its own single objective).
        let library = try BuiltInLibrary.catalogsOnly.merging(imports: [parsed.imported], mappings: parsed.mappings)
        let catalog = try library.catalog("atla-example")
        #expect(catalog.entries.map(\.assessmentObjectives.count) == [1, 1, 1, 2])
        #expect(catalog["付紙第3項（1）ア"]?.title[.en] == "(Example) Only identified and permitted people handle protected information")
        #expect(catalog["付紙第3項（1）ア"]?.title[.ja] == "（例示）利用者を識別し、許可された者だけが保護すべき情報を扱えるようにする")
        #expect(library.crosswalk.mappings.contains { $0.from.id == "付紙第3項（2）ア" && $0.to.id == "3.5.3" && $0.relation == .subset })
    }

    @Test("#17 item 3: ASCII and full-width parentheses are different ids, each kept as written")
    func parenthesesKept() throws {
        let parsed = try Self.read(Self.header + "付紙第3項(1)ア,付紙第3項,,題,,3.1.1,,equal\n付紙第3項（1）ア,付紙第3項,,題,,3.1.2,,equivalent\n").get()
        #expect(parsed.imported.texts.map(\.entryID) == ["付紙第3項(1)ア", "付紙第3項（1）ア"])
        #expect(parsed.mappings.map(\.relation) == [.equal, .equal])
    }

    @Test("#17 item 3: every bad cell is reported with its row and column, and nothing is returned")
    func everyProblemWithRowAndColumn() throws {
        let csv = Self.header + [
            "付紙第3項（1）ア,付紙第3項,,題,,3.1.1,,equal",          // row 2: good
            "付紙第3項（1）ア,付紙第3項,,重複,,,,",                   // row 3: duplicate id
            "付紙第3項（1）イ,付紙第3項,,,,3.99.1,,friends",          // row 4: empty title, unknown id, unknown relation
            "付紙第3項（1）ウ,,,題,,3.1.1[a],,equal",                 // row 5: empty section, objective id
            "付紙第9項,付紙第9項,存在しない,題,,,,",                  // row 6: sub-item of a missing item
            "付紙第3項（2）,付紙第3項,,題,,,03.01.01,",               // row 7: mapping without a relation
        ].joined(separator: "\n")
        guard case .failure(let e) = try Self.read(csv) else { Issue.record("a bad file was accepted"); return }
        let places = e.problems.map { "\($0.row ?? 0):\($0.column ?? "-")(\($0.columnLetter ?? "-"))" }
        #expect(places == ["3:item_id(A)", "4:title_ja(D)", "4:sp800_171_r2(F)", "4:relation(H)", "5:section(B)", "6:parent_id(C)",
                           "7:relation(H)"], "\(places)")
        #expect(e.text(.ja).hasPrefix("7 件の問題があるため、何も取り込んでいません"))
        #expect(e.text(.en).contains("row 3, column item_id (A): the id '付紙第3項（1）ア' is already used in row 2"))
        #expect(e.text(.ja).contains("4 行目、列 sp800_171_r2（F 列）: 「3.99.1」は sp800-171r2 の要件 ID ではありません"))
    }

    @Test("#17 item 3: the file as a whole — a built-in catalog id, a missing required column, an unknown column, not UTF-8, no items")
    func fileProblems() throws {
        guard case .failure(let builtIn) = try Self.read(Self.header + "ア,イ,,題,,,,\n", id: "sp800-171r2") else { Issue.record("accepted"); return }
        #expect(builtIn.problems.map(\.row) == [nil])
        guard case .failure(let columns) = try Self.read("item_id,title_ja,colour\nア,題,赤\n") else { Issue.record("accepted"); return }
        #expect(columns.problems.map { "\($0.row ?? 0):\($0.column ?? "")" } == ["1:colour", "1:section"])
        let latin1 = StandardItemTable.read(Data([0x82, 0xA0, 0xFF]), catalog: "x", name: "x", library: try BuiltInLibrary.catalogsOnly)
        guard case .failure(let notText) = latin1 else { Issue.record("accepted"); return }
        #expect(notText.problems.first?.message.en.contains("UTF-8") == true)
        guard case .failure(let empty) = try Self.read("# comment only\n" + Self.header) else { Issue.record("accepted"); return }
        #expect(empty.problems.map(\.message.en) == ["the file has no item rows under its header"])
    }

    @Test("#17 item 3: a regime's words — Japanese terms and no SPRS/CMMC under japanese, US terms under us, both under both; a US contract widens a Japanese organization")
    func regimeTerms() throws {
        let jp = RegimeTerms(.japanese, .ja)
        #expect(jp.protectedInformation == "保護すべき情報" && jp.securityPlan == "システムセキュリティ実装計画書")
        #expect(jp.designationDocument == "情報セキュリティ指定書" && jp.businessPlan == "事業計画")
        #expect(!jp.showsSPRS && !jp.showsCMMC)
        let us = RegimeTerms(.us, .ja)
        #expect(us.protectedInformation == "CUI" && us.showsSPRS && us.businessPlan == nil)
        #expect(RegimeTerms(.both, .ja).protectedInformation == "保護すべき情報／CUI" && RegimeTerms(.both, .en).showsSPRS)
        let dfars = try Contract(number: "US-1", designation: .cui, clauses: [.dfars7012])
        let atla = try Contract(number: "JP-1", designation: .protectedInformation, clauses: [.japaneseStandard])
        #expect(ComplianceRegime.japanese.effective(contracts: [atla]) == .japanese)
        #expect(ComplianceRegime.japanese.effective(contracts: [atla, dfars]) == .both)
        #expect(ComplianceRegime.us.effective(contracts: [atla]) == .both)
        #expect(ComplianceRegime.us.effective(contracts: []) == .us)
        #expect(ComplianceRegime.default == .us)
    }
}
