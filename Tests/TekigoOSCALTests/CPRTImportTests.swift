import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoOSCAL

/// Issue #17 item 2: NIST's CPRT JSON export read generically and keyed to the built-in catalogs.
@Suite("CPRT import (#17 item 2): NIST's files", .enabled(if: TestEnvironment.runSharedDataTests,
                                                            "needs ../shared/data (NIST's CPRT sample and rev2 extracts)"))
struct CPRTImportNISTTests {
    let library: Library
    init() throws { library = try BuiltInLibrary.shared }

    func sample() throws -> (Data, CatalogImportResult) {
        let url = try CPRTFixtures.rev3Sample()
        let data = try Data(contentsOf: url)
        return (data, try CatalogFileImporter.read(data, file: url.lastPathComponent, library: library))
    }

    @Test("#17 item 2: the format is told by content (OSCAL `catalog`, CPRT `elements`), whatever the file is called")
    func formatByContent() throws {
        let (data, _) = try sample()
        #expect(CatalogFileImporter.format(of: data) == .cprt)
        let oscal = try Data(contentsOf: try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json"))
        #expect(CatalogFileImporter.format(of: oscal) == .oscal)
        // Named .json or not, a CPRT file is read as CPRT; an OSCAL file through the CPRT name as OSCAL.
        #expect(try CatalogFileImporter.read(data, file: "catalog.oscal.json", library: library).imported.oscalVersion == "CPRT JSON")
        #expect(try CatalogFileImporter.read(oscal, file: "cprt.json", library: library).imported.oscalVersion != "CPRT JSON")
        #expect(throws: CatalogImportError.customIDForCPRT(file: "x.json")) {
            try CatalogFileImporter.read(data, file: "x.json", library: library, customID: "mine")
        }
    }

    @Test("#17 item 2: the rev3 sample imports 03.01.01's objectives, methods, parameters and discussion, keyed to built-in ids")
    func rev3SampleContents() throws {
        let (_, r) = try sample()
        let file = try CPRTFixtures.sampleElements()
        #expect(r.imported.catalog == .sp800171r3)
        #expect(r.mergesWithEarlierImport)
        #expect(r.imported.texts.map(\.entryID) == ["03.01.01"])
        let t = try #require(r.imported.texts.first)
        #expect(t.title == "Account Management")
        // DS-A.03.01.01.a[01] is the built-in objective A.03.01.01.a.01; DS-A.03.01.01.c.01 is A.03.01.01.c.01.
        let determinations = file.filter { $0.value.type == "determination" }
        #expect(t.objectives.count == determinations.count)
        let builtIn = try #require(try library.catalog(.sp800171r3)["03.01.01"])
        #expect(t.objectives.allSatisfy { builtIn.objectives.contains($0.id) })
        for (id, e) in determinations {
            let key = "A." + id.dropFirst("DS-A.".count).replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
            let o = try #require(t.objectives.first { $0.id == key }, "\(id) → \(key) missing")
            if !e.text.contains("<") { #expect(o.prose == e.text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        // An ODP reference in a determination is shown as the assignment it is, from the ODP statement.
        let h = try #require(t.objectives.first { $0.id == "A.03.01.01.h" })
        #expect(h.prose.contains("[Assignment: organization-defined time period]") && !h.prose.contains("<A."))
        #expect(t.parameters.map(\.id).allSatisfy { builtIn.odps.contains($0) })
        #expect(t.parameters.count == file.filter { $0.value.type == "odp" }.count)
        #expect(t.methods.map(\.method) == ["EXAMINE", "INTERVIEW", "TEST"])
        #expect(t.methods[0].objects == file["E-03.01.01"]?.text.trimmingCharacters(in: .whitespacesAndNewlines))
        // The discussion without CPRT's HTML links.
        #expect(!t.guidance.isEmpty && !t.guidance.contains("<a ") && !t.guidance.contains("</a>"))
        // Items a–e and g–h of the statement are not in the trimmed file: no statement, and a warning saying why.
        #expect(t.statement.isEmpty)
        #expect(r.warnings.contains { $0.element == "requirement '03.01.01'" && $0.message.contains("SR-03.01.01.a") })
    }

    @Test("#17 item 2: every element of the sample not imported is named in a warning with its reason")
    func rev3SampleWarnings() throws {
        let (_, r) = try sample()
        func warned(_ id: String, _ reason: String) -> Bool {
            r.warnings.contains { $0.element.hasPrefix("element '\(id)'") && $0.message.contains(reason) }
        }
        #expect(r.skippedWithdrawn == 2)
        #expect(warned("03.01.13", "withdrawn (Addressed by 03.13.08.)"))
        #expect(warned("03.01.14", "withdrawn (Incorporated into 03.01.12.)"))
        #expect(warned("IR 7874", "supporting publication"))
        for kind in ["single_select", "multi_select", "single_entry"] { #expect(warned(kind, "kind of a parameter")) }
        // Projection ends the trimmed file lacks (a statement item, a determination) are named too.
        #expect(r.warnings.contains { $0.message.contains("'SR-03.01.01.a'") })
        #expect(r.warnings.contains { $0.message.contains("'DS-A.03.01.01.f.01'") })
        // Nothing else: every other element was used.
        let used: Set<String> = ["03.01", "03.01.01", "03.01.13", "03.01.14", "WR-03.01.13", "WR-03.01.14", "D-03.01.01",
                                 "E-03.01.01", "I-03.01.01", "T-03.01.01"]
        for (id, e) in try CPRTFixtures.sampleElements() where !used.contains(id) && !["determination", "odp", "odp_statement",
                                                                                   "security_requirement"].contains(e.type) {
            #expect(r.warnings.contains { $0.element.hasPrefix("element '\(id)'") }, "\(id) (\(e.type)) neither used nor named")
        }
    }

    @Test("#17 item 2: rev2 in CPRT form — requirements (3.1.1) and 800-171A's objectives (3.1.1[a], bare 3.4.4) as two documents")
    func rev2Documents() throws {
        let requirements = try CatalogFileImporter.read(try CPRTFixtures.rev2Requirements(), file: "sp_800_171_2_0_0.json", library: library)
        let objectives = try CatalogFileImporter.read(try CPRTFixtures.rev2Objectives(), file: "sp_800_171a_1_0_0.json", library: library)
        let r2 = try library.catalog(.sp800171r2)
        #expect(requirements.imported.catalog == .sp800171r2 && objectives.imported.catalog == .sp800171r2)
        #expect(requirements.imported.texts.count == 110 && requirements.warnings.isEmpty)
        #expect(requirements.imported.families.count == 14)
        #expect(objectives.imported.texts.count == 110 && objectives.warnings.isEmpty, "\(objectives.warnings.prefix(3))")
        #expect(objectives.imported.texts.flatMap { $0.objectives.map(\.id) } == r2.objectiveIDs)
        // Laid over one another, as the store does: statements from one document, objectives and methods from the other.
        let merged = requirements.imported.merged(with: objectives.imported)
        #expect(merged.missingEntries(of: r2).isEmpty)
        let t311 = try #require(merged.texts.first { $0.entryID == "3.1.1" })
        #expect(t311.statement.hasPrefix("Limit system access to authorized users"))
        let text = try CPRTFixtures.rev2ObjectiveText()
        #expect(t311.objectives.first?.id == "3.1.1[a]" && t311.objectives.first?.prose == text["3.1.1[a]"])
        #expect(t311.methods.map(\.method) == ["EXAMINE", "INTERVIEW", "TEST"])
        let t344 = try #require(merged.texts.first { $0.entryID == "3.4.4" })
        #expect(t344.objectives.map(\.id) == ["3.4.4"] && !t344.statement.isEmpty)
    }
}

@Suite("CPRT import (#17 item 2): broken files")
struct CPRTImportBrokenTests {
    let library: Library
    init() throws { library = try BuiltInLibrary.shared }

    static let head = #"{"documents": [{"doc_identifier": "SP_800_171_3_0_0", "name": "x", "version": "3.0.0"}], "#

    @Test("#17 item 2: a truncated CPRT file is refused naming the line, column and the element it stops in")
    func truncated() {
        let json = Self.head + """
        "elements": [
          {"element_type": "requirement", "element_identifier": "03.01.01", "title": "A", "text": ""},
          {"element_type": "determination", "element_identifier": "DS-A.03.01.01.e", "title": "", "text": "the use of
        """
        do {
            _ = try CatalogFileImporter.read(Data(json.utf8), file: "cut.json", library: library)
            Issue.record("a truncated file was read")
        } catch {
            guard case .malformedJSON(let file, let line, _, let near, let problem) = error else { Issue.record("\(error)"); return }
            #expect(file == "cut.json" && line == 3 && near == "elements[1]" && problem.contains("ends before"))
            #expect(error.description.contains("line 3") && error.description.contains("elements[1]"))
        }
    }

    @Test("#17 item 2: an element without an identifier (or type) and an incomplete relationship are named by position")
    func missingIdentifier() {
        let noID = Self.head + #""elements": [{"element_type": "requirement", "element_identifier": "03.01.01", "title": "A", "text": ""}, {"element_type": "determination", "title": "", "text": "x"}]}"#
        #expect(throws: CatalogImportError.cprtElementWithoutIdentifier(file: "in.json", position: 1, type: "determination")) {
            try CatalogFileImporter.read(Data(noID.utf8), file: "in.json", library: self.library)
        }
        let blank = Self.head + #""elements": [{"element_type": "requirement", "element_identifier": "  ", "title": "A", "text": ""}]}"#
        #expect(throws: CatalogImportError.cprtElementWithoutIdentifier(file: "in.json", position: 0, type: "requirement")) {
            try CatalogFileImporter.read(Data(blank.utf8), file: "in.json", library: self.library)
        }
        let noType = Self.head + #""elements": [{"element_identifier": "03.01.01", "title": "A", "text": ""}]}"#
        #expect(throws: CatalogImportError.cprtElementWithoutType(file: "in.json", position: 0, id: "03.01.01")) {
            try CatalogFileImporter.read(Data(noType.utf8), file: "in.json", library: self.library)
        }
        let rel = Self.head + #""elements": [{"element_type": "requirement", "element_identifier": "03.01.01", "title": "A", "text": "t"}], "relationships": [{"source_element_identifier": "03.01", "relationship_identifier": "projection"}]}"#
        #expect(throws: CatalogImportError.cprtRelationshipIncomplete(file: "in.json", position: 0, field: "dest_element_identifier")) {
            try CatalogFileImporter.read(Data(rel.utf8), file: "in.json", library: self.library)
        }
        let wrongType = Self.head + #""elements": [{"element_type": "requirement", "element_identifier": 7}]}"#
        #expect(throws: CatalogImportError.invalidStructure(file: "in.json", path: "elements[0].element_identifier", problem: "expected a string")) {
            try CatalogFileImporter.read(Data(wrongType.utf8), file: "in.json", library: self.library)
        }
    }

    @Test("#17 item 2: a CPRT export of another publication is refused, naming its document")
    func otherPublication() {
        let csf = #"{"documents": [{"doc_identifier": "CSF_2_0_0"}], "elements": [{"element_type": "function", "element_identifier": "GV", "title": "Govern", "text": ""}]}"#
        #expect(throws: CatalogImportError.cprtNotSP800171(file: "csf.json", documents: ["CSF_2_0_0"])) {
            try CatalogFileImporter.read(Data(csf.utf8), file: "csf.json", library: self.library)
        }
    }

    @Test("#17 item 2: OSCAL rev2 conversions naming 800-171A's statements `objective` (and methods `assessment`) are read too")
    func oscalObjectiveNames() throws {
        let json = #"""
        {"catalog": {"uuid": "u", "metadata": {"title": "NIST SP 800-171 Revision 2", "last-modified": "2026-01-01T00:00:00Z", "version": "2", "oscal-version": "1.0.0"},
          "groups": [{"id": "r2-3.1", "title": "Access Control", "controls": [
            {"id": "r2-3.1.1", "title": "Authorized Access Control", "props": [{"name": "label", "value": "3.1.1"}],
             "parts": [{"id": "s", "name": "statement", "prose": "Our test statement."},
                       {"id": "o", "name": "objective", "parts": [
                         {"id": "o-a", "name": "objective", "props": [{"name": "label", "value": "3.1.1[a]"}], "prose": "first test objective."},
                         {"id": "o-b", "name": "objective", "props": [{"name": "label", "value": "3.1.1[b]"}], "prose": "second test objective."}]},
                       {"id": "m", "name": "assessment", "props": [{"name": "method", "value": "EXAMINE"}],
                        "parts": [{"id": "mo", "name": "assessment-objects", "prose": "[SELECT FROM: a list]."}]}]}]}]}}
        """#
        let r = try CatalogFileImporter.read(Data(json.utf8), file: "old.json", library: library)
        let t = try #require(r.imported.texts.first { $0.entryID == "3.1.1" })
        #expect(t.objectives == [OfficialObjective(id: "3.1.1[a]", prose: "first test objective."),
                                 OfficialObjective(id: "3.1.1[b]", prose: "second test objective.")])
        #expect(t.methods == [AssessmentMethod(method: "EXAMINE", objects: "[SELECT FROM: a list].")])
        #expect(!r.mergesWithEarlierImport, "an OSCAL catalog replaces the earlier import whole")
    }

    @Test("#17 item 2: merging keeps what the later file lacks and takes what it has")
    func mergeRule() {
        func text(_ statement: String, _ objectives: [(String, String)], _ methods: [String]) -> OfficialText {
            OfficialText(catalog: .sp800171r2, entryID: "3.1.1", oscalID: "x", title: "", statement: statement, guidance: "",
                         objectives: objectives.map { OfficialObjective(id: $0.0, prose: $0.1) },
                         methods: methods.map { AssessmentMethod(method: $0, objects: $0.lowercased()) }, parameters: [],
                         family: "3.1", parent: nil, sortOrder: 0)
        }
        func catalog(_ t: OfficialText) -> ImportedCatalog {
            ImportedCatalog(catalog: .sp800171r2, title: "t", version: "v", oscalVersion: "o", families: [], texts: [t])
        }
        let earlier = catalog(text("old statement", [("3.1.1[a]", "old a"), ("3.1.1[b]", "old b")], ["EXAMINE"]))
        let later = catalog(text("", [("3.1.1[b]", "new b")], ["TEST"]))
        let m = earlier.merged(with: later).texts[0]
        #expect(m.statement == "old statement")
        #expect(m.objectives.map(\.prose) == ["old a", "new b"])
        #expect(m.methods.map(\.method) == ["EXAMINE", "TEST"])
    }
}
