import Testing
@testable import TekigoCore

@Suite("Crosswalk relations and paths")
struct CrosswalkTests {
    /// Set reasoning, with every entry non-empty: A ⊆ B and B ⊆ C give A ⊆ C; A ⊇ B and B ∩ C ≠ ∅ give
    /// A ∩ C ⊇ B ∩ C ≠ ∅; A ∩ B ≠ ∅ and B ⊆ C give A ∩ C ⊇ A ∩ B ≠ ∅; A ⊇ B ⊆ C give A ∩ C ⊇ B ≠ ∅. But
    /// A ⊆ B ⊇ C (issue #11 item 14), A ⊆ B ∩ C, A ∩ B ⊇ C and A ∩ B ∩ C allow A and C to be disjoint:
    /// nothing can be claimed, so the composition is unknown.
    @Test("Composing relations claims only what set reasoning supports; subset then superset is unknown")
    func composition() {
        #expect(Relation.equal.then(.subset) == .subset)
        #expect(Relation.subset.then(.equal) == .subset)
        #expect(Relation.subset.then(.subset) == .subset)
        #expect(Relation.superset.then(.superset) == .superset)
        #expect(Relation.intersect.then(.equal) == .intersect)
        #expect(Relation.superset.then(.intersect) == .intersect)
        #expect(Relation.intersect.then(.subset) == .intersect)
        #expect(Relation.superset.then(.subset) == .intersect)
        #expect(Relation.subset.then(.superset) == nil)
        #expect(Relation.subset.then(.intersect) == nil)
        #expect(Relation.intersect.then(.superset) == nil)
        #expect(Relation.intersect.then(.intersect) == nil)
        for r in Relation.allCases { #expect(r.inverse.inverse == r) }
        #expect(Relation.subset.inverse == .superset)
        // Reading a composition backwards gives the inverse (or unknown both ways).
        for a in Relation.allCases {
            for b in Relation.allCases { #expect(a.then(b)?.inverse == b.inverse.then(a.inverse)) }
        }
    }

    @Test("A path whose steps do not compose says its relation is unknown")
    func unknownPath() {
        let a = ref("a", "A1"), b = ref("b", "B1"), c = ref("c", "C1")
        let path = MappingPath(steps: [
            Mapping(from: a, to: b, relation: .subset, provenance: .imported),
            Mapping(from: b, to: c, relation: .superset, provenance: .imported),
        ])
        #expect(path.relation == .unknown)
        #expect(path.relation.rawValue == "unknown")
        #expect(path.relation.label.ja == "不明")
        let later = MappingPath(steps: path.steps + [Mapping(from: c, to: ref("d", "D1"), relation: .equal, provenance: .imported)])
        #expect(later.relation == .unknown, "unknown stays unknown")
    }

    func ref(_ c: String, _ id: String) -> EntryRef { EntryRef(catalog: CatalogID(c), id: id) }

    @Test("Shortest paths through requirement catalogs, never through hub catalogs")
    func paths() {
        let entries = [("a", "A1"), ("b", "B1"), ("b", "B2"), ("csf2", "PR.AA"), ("c", "C1")]
        var catalogs: [String: [CatalogEntry]] = [:]
        for (c, id) in entries {
            catalogs[c, default: []].append(CatalogEntry(catalog: CatalogID(c), id: id, family: "F", level: .requirement,
                                                         title: LocalizedText(id)))
        }
        let lib = Library(
            catalogs: catalogs.map { Catalog(id: CatalogID($0.key), name: LocalizedText($0.key), version: "1", families: [], entries: $0.value) },
            mappings: [
                Mapping(from: ref("a", "A1"), to: ref("b", "B1"), relation: .subset, provenance: .imported),
                Mapping(from: ref("b", "B1"), to: ref("c", "C1"), relation: .subset, provenance: .derived),
                Mapping(from: ref("a", "A1"), to: ref("csf2", "PR.AA"), relation: .intersect, provenance: .tekigoAuthored),
                Mapping(from: ref("b", "B2"), to: ref("csf2", "PR.AA"), relation: .intersect, provenance: .tekigoAuthored),
            ])
        let toC = lib.crosswalk.paths(from: ref("a", "A1"), to: "c")
        #expect(toC.count == 1)
        #expect(toC[0].hops == 2)
        #expect(toC[0].relation == .known(.subset))
        #expect(toC[0].provenance == .imported)
        // Reversed: C1 is a superset of A1.
        let back = lib.crosswalk.paths(from: ref("c", "C1"), to: "a")
        #expect(back.first?.relation == .known(.superset))
        // A1 and B2 share only a CSF category: that is no crosswalk between them.
        let toB = lib.crosswalk.paths(from: ref("a", "A1"), to: "b")
        #expect(toB.map(\.target.id) == ["B1"])
        #expect(lib.crosswalk.paths(from: ref("c", "C1"), to: "c").isEmpty)
    }

    @Test("rev2 3.6.3 reaches its own Appendix D controls directly; 3.12.4 reaches PL-2 in one derived hop via 03.15.02")
    func builtInPath() throws {
        let lib = try BuiltInLibrary.shared
        let paths = lib.crosswalk.paths(from: EntryRef(catalog: .sp800171r2, id: "3.6.3"), to: .sp80053r5)
        #expect(paths.map(\.target.id) == ["IR-3", "IR-3(2)"])
        #expect(paths.allSatisfy { $0.hops == 1 && $0.steps[0].via.isEmpty && $0.provenance == .derived })
        // The transcription of Appendix D has no control for 3.12.4; NIST incorporated it into 03.15.02 (PL-02).
        let ssp = lib.crosswalk.paths(from: EntryRef(catalog: .sp800171r2, id: "3.12.4"), to: .sp80053r5)
        #expect(ssp.map(\.target.id) == ["PL-2"])
        #expect(ssp.first?.steps[0].via == [EntryRef(catalog: .sp800171r3, id: "03.15.02")])
        #expect(ssp.first?.provenance == .derived)
    }
}

@Suite("Looking up ids")
struct ResolveTests {
    let lib: Library
    init() throws { lib = try BuiltInLibrary.shared }

    @Test("The spellings people use all find the entry", arguments: [
        ("3.1.1", "sp800-171r2", "3.1.1"), ("AC.L2-3.1.1", "sp800-171r2", "3.1.1"), ("3.1.1[a]", "sp800-171r2", "3.1.1"),
        ("03.01.01", "sp800-171r3", "03.01.01"), ("ac-2", "sp800-53r5", "AC-2"), ("AC-02(03)", "sp800-53r5", "AC-2(3)"),
        ("ac-2.3", "sp800-53r5", "AC-2(3)"), ("gv.oc-01", "csf2", "GV.OC-01"), ("sp800-171r3:3.1.1", "sp800-171r3", "03.01.01"),
    ])
    func spellings(query: String, catalog: String, id: String) throws {
        let e = try lib.resolve(query)
        #expect(e.catalog == CatalogID(catalog))
        #expect(e.id == id)
    }

    @Test("An unknown id fails with close suggestions")
    func unknown() {
        #expect(throws: LibraryError.unknownID("3.1.99", suggestions: ["3.1.19", "3.1.9", "3.1.1"])) {
            try lib.resolve("3.1.99")
        }
        #expect(throws: LibraryError.self) { try lib.catalog("sp800-999") }
    }

    @Test("Objective ids lead to their requirement")
    func objectiveOwner() {
        #expect(lib.requirement(forObjective: "3.4.7[o]", in: .sp800171r2)?.id == "3.4.7")
        #expect(lib.requirement(forObjective: "A.03.01.01.a.01", in: .sp800171r3)?.id == "03.01.01")
    }
}

@Suite("User crosswalk tables")
struct CrosswalkTableTests {
    let lib: Library
    init() throws {
        let custom = Catalog(
            id: "jp-std", name: LocalizedText("JP"), version: "1", families: [Family(id: "4", abbr: "4", title: LocalizedText("x"))],
            entries: ["JP-4.1", "JP-4.2"].map {
                CatalogEntry(catalog: "jp-std", id: $0, family: "4", level: .requirement, title: LocalizedText($0))
            })
        let base = try BuiltInLibrary.shared
        lib = Library(catalogs: base.orderedCatalogs + [custom], mappings: base.crosswalk.mappings)
    }

    @Test("Valid rows become imported mappings")
    func valid() throws {
        let result = CrosswalkTable.mappings(
            header: CrosswalkTable.header,
            rows: [["jp-std", "JP-4.1", "subset", "sp800-171r2", "3.1.1", "why"],
                   ["jp-std", "JP-4.2", "Intersect", "sp800-171r3", "3.5.3", ""]],
            library: lib)
        let mappings = try result.get()
        #expect(mappings.count == 2)
        #expect(mappings[1].to == EntryRef(catalog: .sp800171r3, id: "03.05.03"))
        #expect(mappings[1].relation == .intersect)
        #expect(mappings.allSatisfy { $0.provenance == .imported })
    }

    @Test("Every bad row is reported with its line, and nothing is returned")
    func invalid() {
        let result = CrosswalkTable.mappings(
            header: CrosswalkTable.header,
            rows: [["jp-std", "JP-4.1", "same", "sp800-171r2", "3.1.1", ""],
                   ["jp-std", "JP-9", "subset", "sp800-171r2", "3.1.1", ""],
                   ["nope", "JP-4.1", "subset", "sp800-171r2", "3.1.1", ""],
                   ["jp-std", "JP-4.1", "subset", "sp800-171r2", "3.1.99", ""],
                   ["jp-std", "JP-4.2", "subset", "sp800-171r2", "3.1.2", ""],
                   ["jp-std", "JP-4.2", "subset", "sp800-171r2", "3.1.2", ""]],
            library: lib)
        guard case .failure(.invalidRows(let problems)) = result else {
            Issue.record("expected row errors, got \(result)")
            return
        }
        #expect(problems.map(\.line) == [2, 3, 4, 5, 7])
        #expect(problems[0].message.contains("relation 'same'"))
        #expect(problems[3].message.contains("did you mean"))
        #expect(problems[4].message.contains("twice"))
    }

    @Test("A header without the needed columns is refused")
    func header() {
        let result = CrosswalkTable.mappings(header: ["from", "to"], rows: [], library: lib)
        guard case .failure(.missingColumns(let cols)) = result else { Issue.record("\(result)"); return }
        #expect(cols.contains("from_catalog"))
    }
}
