import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoOSCAL

/// Issue 17 item 3: "A catalog for the Japanese standard's items … can be imported from CSV or OSCAL". The OSCAL form
/// (docs/examples/japanese-standard-items.example.oscal.json, which compliance-trestle validates) is checked by the
/// CSV's rule and gives the same catalog and typed mappings as the CSV example; its problems name the OSCAL element.
@Suite("Japanese-standard item table as OSCAL (issue 17 item 3)")
struct OSCALItemTableTests {
    static let examples = TestEnvironment.packageRoot.appendingPathComponent("docs/examples")
    static func file(_ name: String) throws -> Data { try Data(contentsOf: examples.appendingPathComponent(name)) }
    static var library: Library { get throws { try BuiltInLibrary.shared } }

    @Test("Issue 17 item 3: the OSCAL example gives the CSV example's items, sub-items (as objectives) and typed mappings, ids exactly as printed")
    func sameAsCSV() throws {
        let oscal = try Self.file("japanese-standard-items.example.oscal.json")
        #expect(OSCALItemTable.isItemTable(oscal))
        let fromOSCAL = try OSCALItemTable.read(oscal, catalog: CatalogID("atla-example"), name: "例示", library: try Self.library).get()
        let fromCSV = try StandardItemTable.read(try Self.file("japanese-standard-items.example.csv"), catalog: CatalogID("atla-example"),
                                                 name: "例示", library: try Self.library).get()
        #expect(fromOSCAL.items == 4 && fromOSCAL.subItems == 2 && fromOSCAL.mappings.count == 11)
        #expect(fromOSCAL.items == fromCSV.items && fromOSCAL.subItems == fromCSV.subItems)
        #expect(Set(fromOSCAL.mappings) == Set(fromCSV.mappings))
        #expect(fromOSCAL.imported.texts.map(\.entryID) == fromCSV.imported.texts.map(\.entryID))
        #expect(fromOSCAL.imported.texts.contains { $0.entryID == "付紙第3項（1）ア" })
        let withSubItems = try #require(fromOSCAL.imported.texts.first { $0.entryID == "付紙第4項（1）" })
        #expect(withSubItems.objectives.map(\.id) == ["付紙第4項（1）ア", "付紙第4項（1）イ"])
    }

    @Test("Issue 17 item 3: an unknown SP 800-171 id, an objective instead of a requirement and an unknown relation are refused naming the control and property; nothing is returned")
    func problemsNameTheElement() throws {
        var json = String(decoding: try Self.file("japanese-standard-items.example.oscal.json"), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"3.5.3\"", with: "\"3.5.99\"")
            .replacingOccurrences(of: "\"3.9.2=subset\"", with: "\"3.9.2[a]\"")
            .replacingOccurrences(of: "\"subset\"", with: "\"roughly\"")
        let result = OSCALItemTable.read(Data(json.utf8), catalog: CatalogID("atla-example"), name: "例示", library: try Self.library)
        guard case .failure(let error) = result else { Issue.record("a table with bad mappings was accepted"); return }
        let texts = error.problems.map { $0.text(.en) }
        #expect(error.problems.count >= 3, "\(texts)")
        #expect(texts.contains { $0.contains("control 'i3-2-a' (付紙第3項（2）ア)") && $0.contains("3.5.99") }, "\(texts)")
        #expect(texts.contains { $0.contains("control 'i3-1-i' (付紙第3項（1）イ)") && $0.contains("3.9.2[a]") }, "\(texts)")
        #expect(error.problems.allSatisfy { $0.row == nil && $0.element != nil }, "\(texts)")
        #expect(error.problems.first { $0.text(.en).contains("3.5.99") }?.column == "sp800-171r2")
        #expect(error.problems.first.map { $0.text(.ja).contains("control '") } ?? false)
    }

    @Test("Issue 17 item 3: NIST's own OSCAL catalog is not an item table (no Tekigo properties), and a file that is not OSCAL is one problem saying so")
    func notAnItemTable() throws {
        let nist = try Data(contentsOf: TestEnvironment.sharedDataURL.appendingPathComponent("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json"))
        #expect(!OSCALItemTable.isItemTable(nist))
        #expect(!OSCALItemTable.isItemTable(Data("item_id,section\n".utf8)))
        guard case .failure(let e) = OSCALItemTable.read(Data("{\"profile\": {}}".utf8), catalog: CatalogID("x-items"), name: "x",
                                                         library: try Self.library) else { Issue.record("accepted"); return }
        #expect(e.problems.count == 1 && e.problems[0].text(.en).contains("not an OSCAL catalog"))
    }
}
