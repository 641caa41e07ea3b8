import Foundation
import Testing
@testable import TekigoCore
@testable import TekigoOSCAL

/// Issue 11 item 11: custom catalog ids were not checked (`../../etc`, `x:y` were accepted) and NUL characters entered
/// through the catalog importer while the API refused them. One id rule and one text rule for every importer.
@Suite("Import rules: catalog ids and text")
struct ImportRulesTests {
    let library: Library
    init() throws { library = try BuiltInLibrary.shared }

    func read(_ json: String, id: CatalogID? = nil) throws -> CatalogImportResult {
        try OSCALCatalogImporter.read(Data(json.utf8), file: "in.json", library: library, customID: id)
    }

    static func catalog(title: String = "Example", controlID: String = "x-1", controlTitle: String = "X",
                        prose: String = "Do it.", label: String = "time") -> String {
        func j(_ s: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: s, options: .fragmentsAllowed), as: UTF8.self)
        }
        return """
        {"catalog": {"uuid": "u", "metadata": {"title": \(j(title)), "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"},
          "groups": [{"id": "g", "title": "G", "controls": [{"id": \(j(controlID)), "title": \(j(controlTitle)),
            "params": [{"id": "p1", "label": \(j(label))}],
            "parts": [{"name": "statement", "prose": \(j(prose))}]}]}]}}
        """
    }

    @Test("The id rule: paths, separators, spaces, control characters and capitals are refused with what an id looks like")
    func idRule() {
        for bad in ["../../etc", "x:y", "a/b", "..", ".hidden", "-x", "", "two words", "tab\there", "nul\u{0}", "ACME",
                    String(repeating: "a", count: 65)] {
            #expect(CatalogID.problem(with: bad) != nil, "\(bad) accepted")
            #expect(throws: CatalogImportError.self) { try read(Self.catalog(), id: CatalogID(bad)) }
        }
        for good in ["acme-controls-v2", "jp-sample", "iso27001.2022", "防衛産業-サンプル", "800-171_custom"] {
            #expect(CatalogID.problem(with: good) == nil, "\(good) refused")
        }
        do {
            _ = try read(Self.catalog(), id: "../../etc")
            Issue.record("accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("'../../etc' is not a valid catalog id"))
            #expect(text.contains("--id"))
            #expect(text.contains("acme-controls-v2"))
        }
        #expect(throws: CatalogImportError.invalidCatalogID(
            CatalogIDError(id: "x:y", problem: "a catalog id holds only letters, digits, '-', '_' and '.', not ':'").description)) {
            try read(Self.catalog(), id: "x:y")
        }
    }

    @Test("An id made from the title keeps the rule")
    func derivedID() throws {
        #expect(try read(Self.catalog(title: "../../etc: Controls / v2")).imported.catalog.rawValue == "etc-controls-v2")
        #expect(try read(Self.catalog(title: "ACME Corp: Standard")).imported.catalog.rawValue == "acme-corp-standard")
        #expect(try read(Self.catalog(title: "???")).imported.catalog.rawValue == "custom")
    }

    @Test("NUL anywhere that would be stored refuses the whole file, naming the element")
    func nulRefused() {
        let cases: [(String, String)] = [
            (Self.catalog(title: "Bad\u{0}Title"), "catalog title"),
            (Self.catalog(controlID: "x\u{0}1"), "control 'xU+00001' id"),
            (Self.catalog(controlTitle: "X\u{0}"), "control 'x-1' title"),
            (Self.catalog(prose: "Do\u{0} it."), "control 'x-1' statement"),
            (Self.catalog(label: "ti\u{0}me"), "control 'x-1' parameter p1 label"),
        ]
        for (json, element) in cases {
            do {
                _ = try read(json, id: "acme")
                Issue.record("NUL accepted in \(element)")
            } catch let e as CatalogImportError {
                #expect(e == .invalidText(file: "in.json", element: element), "\(e)")
                #expect(e.description.contains("NUL character (U+0000)"))
            } catch {
                Issue.record("\(error)")
            }
        }
        // Other control characters are text like any other (as in the API).
        #expect((try? read(Self.catalog(prose: "Tab\there"), id: "acme")) != nil)
    }
}
