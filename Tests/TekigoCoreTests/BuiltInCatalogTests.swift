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

    func successors(_ id: String) -> [String: Relation] {
        Dictionary(uniqueKeysWithValues: library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: id), to: .sp800171r3)
            .map { ($0.to.id, $0.relation) })
    }

    func controls53(_ id: String) -> [String: Mapping] {
        Dictionary(uniqueKeysWithValues: library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: id), to: .sp80053r5)
            .map { ($0.to.id, $0) })
    }

    /// `3.10.3` → `03.10.03`.
    func sameNumber(_ id: String) -> String {
        let n = id.split(separator: ".").dropFirst().map { Int($0)! }
        return "03." + n.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ".")
    }

    @Test("rev2 → rev3 follows shared SP 800-53 controls and NIST's withdrawal links")
    func rev2ToRev3() {
        #expect(successors("3.1.3") == ["03.01.03": .intersect])
        #expect(successors("3.10.3") == ["03.10.07": .subset])
        let addressed = library.crosswalk.direct(from: EntryRef(catalog: .sp800171r2, id: "3.4.9"), to: .sp800171r3)
        #expect(addressed.map(\.to.id) == ["03.01.05", "03.01.06", "03.01.07", "03.04.08", "03.12.03"])
        #expect(addressed.allSatisfy { $0.relation == .intersect })
        for m in library.crosswalk.mappings where m.from.catalog == .sp800171r2 && m.to.catalog == .sp800171r3 {
            #expect(m.provenance == .derived)
            #expect(m.rationale?.isEmpty == false, "\(m.from.id) → \(m.to.id) lacks a rationale")
        }
    }

    /// Issue #11 item 14, each against NIST's text: rev3 03.03.01 reviews and updates the logged event types
    /// (rev2 3.3.3, AU-2(3) → AU-2); 03.03.03 generates and keeps records (3.3.1, AU-12); 03.04.10 is the component
    /// inventory (3.4.1, CM-8); 03.05.02 identifies and authenticates devices, which 3.5.1 and 3.5.2 cover too.
    @Test("rev2 → rev3: an unchanged number is not the same requirement (3.3.3, 3.3.1, 3.4.1, 3.5.1, 3.5.2)")
    func movedRequirements() {
        #expect(Set(successors("3.3.3").keys) == ["03.03.01"])
        #expect(Set(successors("3.3.1").keys).isSuperset(of: ["03.03.01", "03.03.03"]))
        #expect(Set(successors("3.4.1").keys).isSuperset(of: ["03.04.01", "03.04.10"]))
        #expect(Set(successors("3.5.1").keys).isSuperset(of: ["03.05.01", "03.05.02"]))
        #expect(Set(successors("3.5.2").keys).isSuperset(of: ["03.05.01", "03.05.02"]))
    }

    /// A requirement split across two rev3 requirements (NIST: 03.04.07 incorporated into 03.04.06 and 03.04.08,
    /// 03.07.02 into 03.07.04 and 03.07.06) lies within neither of them alone: it overlaps each.
    @Test("rev2 → rev3: 3.4.7 and 3.7.2, split in two, intersect each part")
    func splitRequirements() {
        #expect(successors("3.4.7") == ["03.04.06": .intersect, "03.04.08": .intersect])
        #expect(successors("3.7.2") == ["03.07.04": .intersect, "03.07.06": .intersect])
        // One target only: incorporated means contained.
        #expect(successors("3.14.4") == ["03.14.02": .subset])
    }

    /// The reviewed list (catalog-src/sp800-171r2-to-sp800-171r3-reviewed.json): rev2 requirements whose rev3
    /// successors are anything but their own number. A change to the derivation that moves one shows up here.
    @Test("Every rev2 requirement whose rev3 successor is not just its own number")
    func successorDiffersFromNumber() {
        let moved = r2.entries.map(\.id).filter { Set(successors($0).keys) != [sameNumber($0)] }
        #expect(moved == [
            "3.1.1", "3.1.2", "3.1.5", "3.1.13", "3.1.14", "3.1.15", "3.1.17", "3.1.19", "3.1.21", "3.2.3",
            "3.3.1", "3.3.3", "3.3.9", "3.4.1", "3.4.7", "3.4.9", "3.5.1", "3.5.2", "3.5.6", "3.5.8", "3.5.9",
            "3.5.10", "3.6.1", "3.7.1", "3.7.2", "3.7.3", "3.8.6", "3.8.8", "3.10.1", "3.10.3", "3.10.4",
            "3.10.5", "3.11.3", "3.12.4", "3.13.2", "3.13.3", "3.13.5", "3.13.7", "3.13.14", "3.13.16",
            "3.14.4", "3.14.5", "3.14.7",
        ])
        #expect(successors("3.5.8").isEmpty && successors("3.7.1").isEmpty && successors("3.13.14").isEmpty)
    }

    /// Issue #11 item 15: rev2 Appendix D names these controls for the requirement itself (SP 800-53 rev4 AU-2(3)
    /// is incorporated into AU-2 in rev5); rev5 moved disabling after inactivity to AC-2(3)(d) and dropped
    /// password history from IA-5(1); 3.13.2's architectural designs are PL-8, not boundary protection.
    @Test("rev2 → SP 800-53 rev5 keeps rev2's own source controls and rev5's homes for them")
    func rev2SourceControls() {
        for (id, control) in [("3.1.12", "AC-17(1)"), ("3.1.13", "AC-17(2)"), ("3.3.3", "AU-2"), ("3.4.9", "CM-11"),
                              ("3.5.2", "IA-2"), ("3.5.2", "IA-5"), ("3.13.3", "SC-2"), ("3.13.7", "SC-7(7)")] {
            #expect(controls53(id)[control] != nil, "\(id) lacks \(control)")
        }
        #expect(controls53("3.5.6")["AC-2(3)"] != nil)
        #expect(controls53("3.5.6")["IA-4"] == nil)
        #expect(controls53("3.5.8")["IA-5(1)"]?.rationale?.contains("dropped the password-history rule") == true)
        #expect(controls53("3.13.2")["PL-8"] != nil)
        #expect(controls53("3.13.2")["SC-7"] == nil)
        #expect(sp53["AU-2"] != nil && sp53["SC-45(1)"] != nil)
    }

    /// Issue #11 item 16. SP 800-171 rev3 (2024-05) prints a reason for each withdrawn number; NIST's OSCAL data
    /// carries none for these six, so the reason is ours and says so.
    @Test("The six withdrawn rev3 numbers without a NIST link carry the publication's reason, labelled as ours")
    func withdrawalReasons() {
        let expected: [String: WithdrawalReason.Kind] = [
            "03.05.06": .consistencyWithSP80053, "03.05.08": .consistencyWithSP80053, "03.05.09": .consistencyWithSP80053,
            "03.07.01": .recategorizedNCO, "03.13.02": .recategorizedNCO, "03.13.14": .technologySpecific,
        ]
        for w in r3.withdrawn {
            let linked = !w.incorporatedInto.isEmpty || !w.addressedBy.isEmpty
            if linked {
                #expect(w.reason == nil, "\(w.id): NIST's links already say where it went")
                continue
            }
            let reason = w.reason
            #expect(reason?.kind == expected[w.id], "\(w.id)")
            #expect(reason?.provenance == .tekigoAuthored)
            #expect(reason?.source.contains(w.id) == true)
            #expect(reason?.text.en.isEmpty == false)
            #expect(reason?.text.ja.unicodeScalars.contains { $0.value >= 0x3000 } == true)
        }
        #expect(r3.withdrawn.filter { $0.reason != nil }.map(\.id).sorted() == expected.keys.sorted())
    }
}
