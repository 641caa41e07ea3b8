import Testing
@testable import TekigoCore

@Suite("Roll-up for a prime: per-tier counts, histogram, heat map, needs action; incremental updates")
struct RollupTests {
    static let sample: [SupplierSnapshot] = [
        SupplierSnapshot(organization: "S1", name: "One", tier: 1, status: .current, score: 110, visible: true),
        SupplierSnapshot(organization: "S2", name: "Two", tier: 1, status: .belowMinimum, overdue: true, score: 70,
                         failingFamilies: ["3.1", "3.5"], visible: true),
        SupplierSnapshot(organization: "S3", tier: 2, status: .missing, visible: false),
        SupplierSnapshot(organization: "S4", name: "Four", tier: 2, status: .expiring, score: 95, failingFamilies: ["3.1"],
                         visible: false),
        SupplierSnapshot(organization: "S5", name: "Five", tier: 2, status: .expired, visible: true),
    ]

    @Test("Families failing most: most suppliers first, then the catalog's order — 3.2 before 3.10, never as text")
    func familiesFailingMost() throws {
        let failing: [Set<String>] = [["3.10", "3.2", "3.1"], ["3.10", "3.2"], ["3.13"], ["3.9"]]
        let snapshots = failing.enumerated().map { i, families in
            SupplierSnapshot(organization: "S\(i)", tier: 1, status: .belowMinimum, score: 50, failingFamilies: families, visible: true)
        }
        let totals = try RollupAggregate(prime: "P", snapshots: snapshots).totals
        #expect(totals.familiesFailingMost().map(\.family) == ["3.2", "3.10", "3.1", "3.9", "3.13"])
        #expect(totals.familiesFailingMost().map(\.suppliers) == [2, 2, 1, 1, 1])
        #expect(totals.familiesFailingMost(limit: 3).map(\.family) == ["3.2", "3.10", "3.1"])
    }

    @Test("Counts per tier and in total, worked by hand")
    func handWorked() throws {
        let r = try RollupAggregate(prime: "P", snapshots: Self.sample)
        let t1 = try #require(r.tiers[1])
        #expect(t1.suppliers == 2)
        #expect(t1.byStatus == [.current: 1, .belowMinimum: 1])
        #expect(t1.overdue == 1)
        #expect(t1.scoreHistogram == [.perfect: 1, .middle: 1])
        #expect(t1.unscored == 0)
        #expect(t1.familyFailures == ["3.1": 1, "3.5": 1])
        #expect(t1.needingAction == 1 && t1.hiddenNeedingAction == 0)
        let t2 = try #require(r.tiers[2])
        #expect(t2.suppliers == 3)
        #expect(t2.byStatus == [.missing: 1, .expiring: 1, .expired: 1])
        #expect(t2.scoreHistogram == [.conditional: 1])
        #expect(t2.unscored == 2)
        #expect(t2.familyFailures == ["3.1": 1])
        #expect(t2.needingAction == 3 && t2.hiddenNeedingAction == 2)
        #expect(r.tiers.keys.sorted() == [1, 2])
        #expect(r.totals.suppliers == 5)
        #expect(r.totals.familyFailures == ["3.1": 2, "3.5": 1])
        #expect(r.totals.hiddenNeedingAction == 2)
    }

    @Test("Needs action names only visible suppliers; hidden ones are counted per tier, and their names are never kept")
    func needsActionPrivacy() throws {
        let r = try RollupAggregate(prime: "P", snapshots: Self.sample)
        #expect(r.needsAction.map(\.organization) == ["S2", "S5"])
        #expect(r.needsAction.map(\.name) == ["Two", "Five"])
        #expect(r.needsAction.first?.overdue == true)
        let hidden = Self.sample.filter { !$0.visible }
        #expect(hidden.allSatisfy { $0.name == nil })   // "Four" was given, but S4 is hidden
        #expect(!r.needsAction.contains { e in hidden.contains { $0.organization == e.organization } })
    }

    @Test("Histogram buckets: <0, 0–49, 50–87, 88–109 (88 = Conditional Level 2 threshold, 32 CFR 170.21(a)(2)(i)), 110")
    func buckets() {
        let cases: [(Int, ScoreBucket)] = [(-203, .negative), (-1, .negative), (0, .low), (49, .low), (50, .middle),
                                           (87, .middle), (88, .conditional), (109, .conditional), (110, .perfect)]
        for (score, bucket) in cases { #expect(ScoreBucket(score: score) == bucket, "\(score)") }
        #expect(ScoreBucket(score: CMMCRules.minimumConditionalScore) == .conditional)
        #expect(ScoreBucket(score: CMMCRules.minimumConditionalScore - 1) == .middle)
    }

    @Test("Property: any seeded sequence of replacements gives the same roll-up as rebuilding from the final snapshots",
          arguments: [UInt64(1), 7, 42, 2026])
    func incrementalEqualsRebuild(seed: UInt64) throws {
        var rng = SCRandom(seed: seed)
        let ids = (0..<25).map { "S\($0)" }
        let families = ["3.1", "3.3", "3.5", "3.13", "3.14"]
        func randomSnapshot(_ id: String) -> SupplierSnapshot {
            SupplierSnapshot(organization: id, name: "Name of \(id)", tier: Int.random(in: 1...4, using: &rng),
                             status: SupplierStatusKind.allCases.randomElement(using: &rng)!,
                             overdue: Bool.random(using: &rng),
                             score: Bool.random(using: &rng) ? Int.random(in: -203...110, using: &rng) : nil,
                             failingFamilies: Set(families.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }),
                             visible: Bool.random(using: &rng))
        }
        var current: [String: SupplierSnapshot] = [:]
        for id in ids.prefix(10) { current[id] = randomSnapshot(id) }
        var rollup = try RollupAggregate(prime: "P", snapshots: Array(current.values))
        for step in 0..<400 {
            let id = ids.randomElement(using: &rng)!
            let old = current[id]
            let new: SupplierSnapshot? = Int.random(in: 0..<5, using: &rng) == 0 ? nil : randomSnapshot(id)
            try rollup.replace(old: old, new: new)
            current[id] = new
            if step % 50 == 49 {
                #expect(rollup == (try RollupAggregate(prime: "P", snapshots: Array(current.values))))
            }
        }
        let rebuilt = try RollupAggregate(prime: "P", snapshots: Array(current.values).shuffled(using: &rng))
        #expect(rollup == rebuilt)
        #expect(rollup.tiers == rebuilt.tiers)
        #expect(rollup.totals == rebuilt.totals)
        #expect(rollup.needsAction == rebuilt.needsAction)
        // Independent checks of the totals against the snapshots themselves.
        let all = Array(current.values)
        #expect(rollup.totals.suppliers == all.count)
        #expect(rollup.totals.needingAction == all.filter { $0.status != .current }.count)
        #expect(rollup.totals.hiddenNeedingAction == all.filter { $0.status != .current && !$0.visible }.count)
        #expect(rollup.totals.familyFailures["3.1", default: 0] == all.filter { $0.failingFamilies.contains("3.1") }.count)
        #expect(rollup.tiers.values.reduce(0) { $0 + $1.suppliers } == all.count)
        #expect(Set(rollup.needsAction.map(\.organization))
                == Set(all.filter { $0.visible && $0.status != .current }.map(\.organization)))
    }

    @Test("A stale old snapshot, or adding a supplier twice, is refused and changes nothing")
    func staleRefused() throws {
        var r = try RollupAggregate(prime: "P", snapshots: Self.sample)
        let before = r
        let wrongOld = SupplierSnapshot(organization: "S1", tier: 1, status: .missing, visible: true)
        #expect(throws: SupplyChainError.staleSnapshot(organization: "S1")) {
            try r.replace(old: wrongOld, new: nil)
        }
        #expect(throws: SupplyChainError.staleSnapshot(organization: "S1")) {
            try r.replace(old: nil, new: Self.sample[0])
        }
        #expect(r == before)
        #expect(throws: SupplyChainError.staleSnapshot(organization: "S1")) {
            try RollupAggregate(prime: "P", snapshots: [Self.sample[0], Self.sample[0]])
        }
        // The message does not name the supplier: it may be one the viewer must not see.
        #expect(!SupplyChainError.staleSnapshot(organization: "S3").description.contains("S3"))
    }

    @Test("One supplier's new attestation moves it between tiers' counts; removing everyone empties the roll-up")
    func singleUpdateAndRemoval() throws {
        var r = try RollupAggregate(prime: "P", snapshots: Self.sample)
        let old = try #require(r.snapshot(of: "S2"))
        let fixed = SupplierSnapshot(organization: "S2", name: "Two", tier: 1, status: .current, score: 104, visible: true)
        try r.replace(old: old, new: fixed)
        #expect(r.tiers[1]?.byStatus == [.current: 2])
        #expect(r.tiers[1]?.scoreHistogram == [.perfect: 1, .conditional: 1])
        #expect(r.tiers[1]?.familyFailures.isEmpty == true)
        #expect(r.totals.familyFailures == ["3.1": 1])
        #expect(r.needsAction.map(\.organization) == ["S5"])
        for s in Self.sample where s.organization != "S2" { try r.replace(old: s, new: nil) }
        try r.replace(old: fixed, new: nil)
        #expect(r.tiers.isEmpty)
        #expect(r.totals == TierRollup())
        #expect(r == (try RollupAggregate(prime: "P", snapshots: [])))
    }

    @Test("Snapshots from the graph: tier from the prime, worst status over direct customers in the tree, names only when visible")
    func snapshotsFromGraph() throws {
        let g = try SupplyGraph([("P", "A"), ("P", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("Q", "A")]
            .map { SupplyEdge(customer: $0.0, supplier: $0.1) })
        let reqs = [
            try scRequirement("P", "A", minimum: .sprsAtLeast(88)),
            try scRequirement("P", "B", minimum: .sprsAtLeast(88)),
            try scRequirement("A", "C", minimum: .sprsAtLeast(100)),
            try scRequirement("B", "C", minimum: .allMet),
            try scRequirement("C", "D", minimum: .sprsAtLeast(88)),
            // Another prime's requirement on A: outside P's tree, so it does not count for P.
            try scRequirement("Q", "A", minimum: .allMet, catalog: .sp800171r3),
        ]
        let atts = [
            "A": scAttestation(id: "a", org: "A", name: "Alpha"),
            "B": scAttestation(id: "b", org: "B", name: "Beta", score: 80, cmmc: "not-eligible"),
            "C": scAttestation(id: "c", org: "C", name: "Gamma", score: 105, cmmc: "not-eligible",
                               totals: RequirementCounts(met: 109, notMet: 1),
                               families: [FamilySummary(family: "3.1", met: 21, notMet: 1), FamilySummary(family: "3.2", met: 88)]),
        ]
        let grants = [ConsentGrant(supplier: "A", viewer: "P"), ConsentGrant(supplier: "B", viewer: "P"),
                      ConsentGrant(supplier: "C", viewer: "A", onward: true), ConsentGrant(supplier: "D", viewer: "C")]
        let snaps = RollupAggregate.snapshots(prime: "P", graph: g, requirements: reqs, attestations: atts,
                                              visibility: DetailVisibility(viewer: "P", grants: grants), at: scDay("2026-07-01"))
        let by = Dictionary(uniqueKeysWithValues: snaps.map { ($0.organization, $0) })
        #expect(by.keys.sorted() == ["A", "B", "C", "D"])
        #expect(by["A"] == SupplierSnapshot(organization: "A", name: "Alpha", tier: 1, status: .current, score: 110, visible: true))
        #expect(by["B"]?.status == .belowMinimum)
        // C meets A's 100 but not B's "all met": the worse status counts; its failing family comes from its attestation.
        #expect(by["C"] == SupplierSnapshot(organization: "C", name: "Gamma", tier: 2, status: .belowMinimum, score: 105,
                                            failingFamilies: ["3.1"], visible: true))
        #expect(by["D"] == SupplierSnapshot(organization: "D", tier: 3, status: .missing, visible: false))
        let r = try RollupAggregate(prime: "P", snapshots: snaps)
        #expect(r.needsAction.map(\.organization) == ["B", "C"])
        #expect(r.tiers[3]?.hiddenNeedingAction == 1)
        #expect(r.totals.familyFailures == ["3.1": 1])
    }
}
