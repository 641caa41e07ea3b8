import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoOSCAL

@Suite("OSCAL catalog import: NIST's files", .enabled(if: TestEnvironment.runSharedDataTests,
                                                      "needs ../shared/data (NIST OSCAL files)"))
struct CatalogImporterNISTTests {
    let library: Library
    init() throws { library = try BuiltInLibrary.shared }

    func read(_ path: String) throws -> CatalogImportResult {
        let url = try TestEnvironment.sharedData(path)
        return try OSCALCatalogImporter.read(Data(contentsOf: url), file: url.lastPathComponent, library: library)
    }

    @Test("rev3 1.0.0: 97 requirements keyed to built-in ids; the 64 dangling assessment-for links are warnings")
    func rev3() throws {
        let r = try read("nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json")
        #expect(r.imported.catalog == .sp800171r3)
        #expect(r.imported.texts.count == 97)
        #expect(r.skippedWithdrawn == 33)
        let dangling = r.warnings.filter { $0.message.contains("assessment-for link") }
        #expect(dangling.count == 64)
        #expect(dangling.contains { $0.message.contains("'SR-03.17.02'") })
        let t = try #require(r.imported.texts.first { $0.entryID == "03.09.01" })
        #expect(t.statement.contains("Screen individuals"))
        #expect(t.statement.contains("[Assignment: organization-defined conditions requiring rescreening]"))
        #expect(!t.statement.contains("{{"))
        #expect(t.methods.map(\.method) == ["EXAMINE", "INTERVIEW", "TEST"])
        #expect(t.parameters.map(\.id) == ["A.03.09.01.ODP.01"])
        #expect(!t.guidance.isEmpty)
        // Determination statements carry the same ids as the built-in catalog.
        let r3 = try library.catalog(.sp800171r3)
        let importedIDs = r.imported.texts.flatMap { $0.objectives.map(\.id) }
        #expect(importedIDs.count == 422)
        #expect(Set(importedIDs) == Set(r3.objectiveIDs))
    }

    @Test("rev2 conversion: 110 requirements, 320 objectives with their 800-171A labels")
    func rev2() throws {
        let r = try read("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json")
        #expect(r.imported.catalog == .sp800171r2)
        #expect(r.imported.texts.count == 110)
        #expect(r.warnings.isEmpty)
        #expect(r.imported.texts.flatMap { $0.objectives.map(\.id) } == (try library.catalog(.sp800171r2)).objectiveIDs)
    }

    @Test("SP 800-53 MODERATE resolved catalog: 287 controls, ids in Tekigo's form, parameters rendered")
    func sp80053Moderate() throws {
        let r = try read("nist/sp800-53/rev5/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")
        #expect(r.imported.catalog == .sp80053r5)
        #expect(r.imported.texts.count == 287)
        let ac23 = try #require(r.imported.texts.first { $0.entryID == "AC-2(3)" })
        #expect(ac23.parent == "AC-2")
        #expect(ac23.statement.contains("[Assignment: organization-defined time period]"))
        #expect(!ac23.objectives.isEmpty)
        #expect(ac23.objectives.allSatisfy { !$0.prose.contains("{{") })
    }

    @Test("CSF 2.0: the 128 CSF 2.0 ids are kept, CSF 1.1-era ids are named in warnings")
    func csf() throws {
        let r = try read("nist/csf/v2.0/NIST_CSF_v2.0_catalog.json")
        #expect(r.imported.catalog == .csf2)
        #expect(r.imported.texts.count == 128)
        #expect(r.warnings.contains { $0.element.contains("'PR.PT-03'") })
    }

    @Test("Full SP 800-53 rev5.0.1 catalog: withdrawn controls are skipped, the rest imported")
    func sp80053Full() throws {
        let r = try read("nist/sp800-53/rev5/NIST_SP-800-53_rev5.0.1_catalog_2021-06-08.json")
        #expect(r.imported.texts.count + r.skippedWithdrawn == 1189)
        #expect(r.imported.texts.count > 1000)
    }

    @Test("A NIST profile is refused as 'not a catalog'")
    func profile() throws {
        let url = try TestEnvironment.sharedData("nist/sp800-53/rev5/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json")
        #expect(throws: CatalogImportError.notACatalog(file: url.lastPathComponent, model: "profile")) {
            try OSCALCatalogImporter.read(Data(contentsOf: url), file: url.lastPathComponent, library: library)
        }
    }
}

@Suite("OSCAL catalog import: bad input")
struct CatalogImporterBadInputTests {
    let library: Library
    init() throws { library = try BuiltInLibrary.shared }

    func read(_ json: String, id: CatalogID? = nil) throws -> CatalogImportResult {
        try OSCALCatalogImporter.read(Data(json.utf8), file: "in.json", library: library, customID: id)
    }

    let meta = #""metadata": {"title": "Example", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}"#

    @Test("Malformed JSON")
    func malformed() {
        #expect(throws: CatalogImportError.self) { try read("{\"catalog\": {") }
        do { _ = try read("{\"catalog\": [1,,]}") } catch let e as CatalogImportError {
            guard case .invalidJSON(let file, _) = e else { Issue.record("\(e)"); return }
            #expect(file == "in.json")
        } catch { Issue.record("\(error)") }
    }

    @Test("Not an OSCAL document, or another OSCAL model")
    func notCatalog() {
        #expect(throws: CatalogImportError.notAnOSCALDocument(file: "in.json")) { try read("[]") }
        #expect(throws: CatalogImportError.notAnOSCALDocument(file: "in.json")) { try read("{\"hello\": 1}") }
        #expect(throws: CatalogImportError.notACatalog(file: "in.json", model: "system security plan")) {
            try read("{\"system-security-plan\": {}}")
        }
    }

    @Test("A missing required field is named with its path")
    func missingField() {
        let json = #"{"catalog": {"uuid": "u", \#(meta), "groups": [{"title": "G", "controls": [{"id": "x-1"}]}]}}"#
        #expect(throws: CatalogImportError.invalidStructure(
            file: "in.json", path: "catalog.groups[0].controls[0]", problem: "required field 'title' is missing")) {
            try read(json)
        }
    }

    @Test("No controls, duplicate ids, a custom id that is a built-in id")
    func structure() {
        #expect(throws: CatalogImportError.noControls(file: "in.json")) {
            try read(#"{"catalog": {"uuid": "u", \#(meta)}}"#)
        }
        let dup = #"{"catalog": {"uuid": "u", \#(meta), "controls": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]}}"#
        #expect(throws: CatalogImportError.duplicateID(file: "in.json", id: "a")) { try read(dup) }
        #expect(throws: CatalogImportError.customIDIsBuiltIn("sp800-171r2")) {
            try read(#"{"catalog": {"uuid": "u", \#(meta), "controls": [{"id": "a", "title": "A"}]}}"#, id: .sp800171r2)
        }
    }

    @Test("Unknown rev3 ids, undefined parameters and empty statements are warnings, not failures")
    func warnings() throws {
        let json = #"""
        {"catalog": {"uuid": "u", "metadata": {"title": "t", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"},
          "groups": [{"id": "SP_800_171_03.01", "title": "AC", "controls": [
            {"id": "SP_800_171_03.01.01", "class": "requirement", "title": "x", "parts": [
              {"id": "statement_03.01.01", "name": "statement", "prose": "Do {{ insert: param, nope }}."}]},
            {"id": "SP_800_171_03.01.99", "class": "requirement", "title": "y"},
            {"id": "SP_800_171_03.01.02", "class": "requirement", "title": "z", "parts": [{"id": "s", "name": "statement"}]}
          ]}]}}
        """#
        let r = try read(json)
        #expect(r.imported.catalog == .sp800171r3)
        #expect(r.imported.texts.map(\.entryID) == ["03.01.01", "03.01.02"])
        #expect(r.warnings.contains { $0.message.contains("'03.01.99' is not in Tekigo's sp800-171r3 catalog") })
        #expect(r.warnings.contains { $0.message.contains("parameter 'nope'") })
        #expect(r.warnings.contains { $0.element == "control 'SP_800_171_03.01.02'" && $0.message == "the statement is empty" })
    }

    @Test("Any other catalog becomes a custom catalog under its own ids")
    func custom() throws {
        let json = #"{"catalog": {"uuid": "u", "metadata": {"title": "防衛産業 サンプル", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}, "groups": [{"id": "g4", "title": "第4章", "controls": [{"id": "JP-4.1", "title": "アクセス", "parts": [{"name": "statement", "prose": "x"}]}]}]}}"#
        let r = try read(json, id: "jp-sample")
        #expect(r.imported.catalog == "jp-sample")
        #expect(r.imported.texts.map(\.entryID) == ["JP-4.1"])
        let merged = library.merging(imports: [r.imported])
        #expect(try merged.resolve("jp-sample:JP-4.1").title.ja == "アクセス")
        let auto = try read(json)
        #expect(auto.imported.catalog.rawValue == "防衛産業-サンプル")
    }
}
