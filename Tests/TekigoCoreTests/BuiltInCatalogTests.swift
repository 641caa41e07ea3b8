import Testing
@testable import TekigoCore

/// Counts and facts of the built-in catalogs, each against the source that states it.
@Suite("Built-in catalogs")
struct BuiltInCatalogTests {
    let library: Library
    let r2: Catalog
    let r3: Catalog
    let csf: Catalog
    let sp53: Catalog

    init() throws {
        library = try BuiltInLibrary.shared
        r2 = try library.catalog(.sp800171r2)
        r3 = try library.catalog(.sp800171r3)
        csf = try library.catalog(.csf2)
        sp53 = try library.catalog(.sp80053r5)
    }

    @Test("SP 800-171 rev2: 14 families, 110 requirements, 30 basic / 80 derived (SP 800-171r2 ch. 3)")
    func rev2Counts() {
        #expect(r2.families.count == 14)
        #expect(r2.entries.count == 110)
        #expect(r2.entries.filter { $0.kind == .basic }.count == 30)
        #expect(r2.entries.filter { $0.kind == .derived }.count == 80)
        let perFamily = Dictionary(grouping: r2.entries, by: \.family).mapValues(\.count)
        let expected = ["3.1": 22, "3.2": 3, "3.3": 9, "3.4": 9, "3.5": 11, "3.6": 3, "3.7": 6, "3.8": 9, "3.9": 2,
                        "3.10": 6, "3.11": 3, "3.12": 4, "3.13": 16, "3.14": 7]
        #expect(perFamily == expected)
    }

    @Test("SP 800-171A: 320 objectives, per-family counts, single-objective requirements carry no letter")
    func objectives() {
        #expect(r2.objectiveIDs.count == 320)
        #expect(Set(r2.objectiveIDs).count == 320)
        let byAbbr = Dictionary(grouping: r2.entries, by: { r2.family($0.family)!.abbr })
            .mapValues { $0.reduce(0) { $0 + $1.objectives.count } }
        #expect(byAbbr == ["AC": 70, "AT": 9, "AU": 29, "CM": 44, "IA": 25, "IR": 14, "MA": 10, "MP": 15, "PS": 4,
                           "PE": 16, "RA": 9, "CA": 14, "SC": 41, "SI": 20])
        let single = r2.entries.filter { $0.objectives == [$0.id] }.map(\.id)
        #expect(Set(single) == ["3.4.4", "3.5.4", "3.5.9", "3.5.11", "3.6.3", "3.7.1", "3.7.3", "3.7.4", "3.7.6",
                                "3.8.2", "3.8.6", "3.8.7", "3.8.8", "3.8.9", "3.9.1", "3.10.4", "3.12.3", "3.13.4",
                                "3.13.7", "3.13.11", "3.13.15", "3.13.16", "3.14.4"])
        #expect(r2["3.4.7"]?.objectives.count == 15)
        #expect(r2["3.4.7"]?.objectives.last == "3.4.7[o]")
        for e in r2.entries where e.objectives.count > 1 {
            #expect(e.objectives.allSatisfy { $0.hasPrefix(e.id + "[") && $0.hasSuffix("]") })
        }
    }

    @Test("SPRS values: 42 five-point, 14 three-point, 51 one-point, 2 partial, 3.12.4 gate (Methodology Annex A)")
    func sprsDistribution() {
        let values = r2.entries.compactMap(\.sprs)
        #expect(values.count == 110)
        #expect(r2.entries.filter { $0.sprs?.rule == .standard || $0.sprs?.rule == .notPermittedAllowed }
            .filter { $0.sprs?.value == 5 }.count == 42)
        #expect(values.filter { $0.rule == .standard && $0.value == 3 }.count == 14)
        #expect(values.filter { $0.rule == .standard && $0.value == 1 }.count == 51)
        #expect(r2.entries.filter { $0.sprs?.rule == .partialCredit }.map(\.id) == ["3.5.3", "3.13.11"])
        #expect(r2["3.5.3"]?.sprs == SPRSValue(value: 5, partialValue: 3, rule: .partialCredit, partialInput: .mfa))
        #expect(r2["3.13.11"]?.sprs?.partialInput == .encryption)
        #expect(r2.entries.filter { $0.sprs?.rule == .sspGate }.map(\.id) == ["3.12.4"])
        #expect(r2.entries.filter { $0.sprs?.rule == .notPermittedAllowed }.map(\.id)
            == ["3.1.12", "3.1.13", "3.1.16", "3.1.17", "3.1.18"])
    }

    @Test("Maximum deductions total 313, so the lowest SPRS score is 110 − 313 = −203 (Methodology §5, standards-facts §3.2.9)")
    func sprsMinimum() {
        let total = r2.entries.compactMap(\.sprs).reduce(0) { $0 + $1.value }
        #expect(total == 313)
        #expect(110 - total == -203)
    }

    @Test("CMMC: every id is DOMAIN.L2-<rev2 id>; 17 Level 1 ids (FAR 52.204-21, 32 CFR 170.15)")
    func cmmc() {
        for e in r2.entries {
            #expect(e.cmmcId == "\(r2.family(e.family)!.abbr).L2-\(e.id)")
        }
        #expect(Set(r2.entries.filter(\.cmmcLevel1).map(\.id)) == [
            "3.1.1", "3.1.2", "3.1.20", "3.1.22", "3.5.1", "3.5.2", "3.8.3", "3.10.1", "3.10.3", "3.10.4", "3.10.5",
            "3.13.1", "3.13.5", "3.14.1", "3.14.2", "3.14.4", "3.14.5"])
    }

    @Test("SP 800-171 rev3: 17 families, 97 active, 33 withdrawn, 88 ODPs, 422 determination statements")
    func rev3Counts() {
        #expect(r3.families.count == 17)
        #expect(r3.entries.count == 97)
        #expect(r3.withdrawn.count == 33)
        #expect(r3.entries.reduce(0) { $0 + $1.odps.count } == 88)
        #expect(r3.entries.filter { !$0.odps.isEmpty }.count == 50)
        #expect(r3.objectiveIDs.count == 422)
        #expect(r3.withdrawnRequirement("03.10.03")?.incorporatedInto == ["03.10.07"])
        #expect(r3.withdrawnRequirement("03.01.13")?.addressedBy == ["03.13.08"])
        let unlinked = r3.withdrawn.filter { $0.incorporatedInto.isEmpty && $0.addressedBy.isEmpty }.map(\.id)
        #expect(Set(unlinked) == ["03.05.06", "03.05.08", "03.05.09", "03.07.01", "03.13.02", "03.13.14"])
        #expect(r3.withdrawn.reduce(0) { $0 + $1.incorporatedInto.count } == 24)
        #expect(r3.withdrawn.reduce(0) { $0 + $1.addressedBy.count } == 17)
    }

    @Test("CSF 2.0: 6 functions, 22 categories, 106 subcategories")
    func csfCounts() {
        #expect(csf.families.map(\.id) == ["GV", "ID", "PR", "DE", "RS", "RC"])
        #expect(csf.entries.filter { $0.level == .category }.count == 22)
        #expect(csf.entries.filter { $0.level == .subcategory }.count == 106)
        for sub in csf.entries where sub.level == .subcategory {
            #expect(sub.parent.map { sub.id.hasPrefix($0 + "-") } == true)
        }
    }

    @Test("Titles are ours, in both languages, and distinct within each catalog")
    func titles() {
        for cat in [r2, r3, csf, sp53] {
            for e in cat.entries {
                #expect(!e.title.en.isEmpty && !e.title.ja.isEmpty, "\(e.id) lacks a title")
                #expect(e.title.ja.unicodeScalars.contains { $0.value >= 0x3000 }, "\(e.id) ja title is not Japanese")
            }
            #expect(Set(cat.entries.map(\.title.en)).count == cat.entries.count, "duplicate English titles in \(cat.id)")
        }
    }

    @Test("Every crosswalk end exists; every requirement maps to CSF 2.0 and SP 800-53 rev5")
    func crosswalkCoverage() {
        for m in library.crosswalk.mappings {
            #expect(library[m.from] != nil, "\(m.from) missing")
            #expect(library[m.to] != nil, "\(m.to) missing")
            if m.provenance == .tekigoAuthored { #expect(m.rationale?.isEmpty == false, "\(m.from)→\(m.to) lacks a rationale") }
        }
        for cat in [r2, r3] {
            for e in cat.entries {
                let csfTargets = library.crosswalk.direct(from: e.ref, to: .csf2)
                #expect(!csfTargets.isEmpty, "\(e.id) has no CSF 2.0 mapping")
                #expect(!library.crosswalk.direct(from: e.ref, to: .sp80053r5).isEmpty, "\(e.id) has no SP 800-53 mapping")
            }
        }
        // Each rev3 source link is NIST's; rev2's are derived through rev3 or, for six, written by us.
        #expect(library.crosswalk.mappings.filter { $0.from.catalog == .sp800171r3 && $0.to.catalog == .sp80053r5 }
            .allSatisfy { $0.provenance == .nistOfficial })
        let authored53 = Set(library.crosswalk.mappings.filter {
            $0.from.catalog == .sp800171r2 && $0.to.catalog == .sp80053r5 && $0.provenance == .tekigoAuthored
        }.map(\.from.id))
        #expect(authored53 == ["3.5.6", "3.5.8", "3.5.9", "3.7.1", "3.13.2", "3.13.14"])
    }

    @Test("rev2 → rev3 follows id continuity and NIST's withdrawal links")
    func rev2ToRev3() {
        let direct = library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: "3.1.1"), to: .sp800171r3)
        #expect(direct.map(\.to.id) == ["03.01.01"])
        let merged = library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: "3.10.3"), to: .sp800171r3)
        #expect(merged.map(\.to.id) == ["03.10.07"])
        #expect(merged.first?.relation == .subset)
        let addressed = library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: "3.4.9"), to: .sp800171r3)
        #expect(addressed.map(\.to.id) == ["03.01.05", "03.01.06", "03.01.07", "03.04.08", "03.12.03"])
        #expect(addressed.allSatisfy { $0.relation == .intersect })
    }
}
