import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

@Suite("Supply chain: the prime's materialized roll-up, rebuilt and kept up to date incrementally")
struct SupplyChainRollupTests {
    static let day = scsDay("2026-12-01")

    /// P with three direct suppliers and one tier-2 supplier it may not see:
    /// - S1: all met, per-family detail, requirement SPRS ≥ 88 → current, 110;
    /// - S2: no attestation, requirement due 2026-11-15 → missing, overdue;
    /// - S3: 3.1.1 not met, per-family detail, requirement all met → below minimum, 102, fails 3.1;
    /// - T (under S1, no consent): five 5-point requirements not met → below minimum, hidden.
    func handWorld(_ w: SCSWorld) async throws -> Int? {
        for id in ["P", "S1", "S2", "S3", "T"] { try await w.org(id, name: "Org \(id)") }
        for (c, s) in [("P", "S1"), ("P", "S2"), ("P", "S3"), ("S1", "T")] { try await w.link(c, s) }
        try await w.require("P", "S1", "sprs>=88")
        try await w.require("P", "S2", "sprs>=88", due: "2026-11-15")
        try await w.require("P", "S3", "all-met")
        try await w.require("S1", "T", "sprs>=88")
        try await w.issue("S1", try await w.assessment("S1"), detail: .families)
        try await w.issue("S3", try await w.assessment("S3", failing: ["3.1.1"]), detail: .families)
        let t = try await w.issue("T", try await w.assessment("T", failing: scsFiveFailures), detail: .families)
        for s in ["S1", "S2", "S3"] { try await w.consent(s).grant(viewer: "P", by: scsActor, at: Self.day) }
        try await w.rollups.rebuild(prime: "P", at: Self.day)
        return t.sprsScore
    }

    @Test("A roll-up worked by hand: tiers, statuses, score histogram, heat map, needs action with paging",
          arguments: TestDatabases.engines)
    func handWorked(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let tScore = try #require(try await handWorld(w))
            #expect(tScore < 88)
            let view = try #require(try await w.rollups.rollup(prime: "P"))
            #expect(view.asOf == Self.day && view.tierNumbers == [1, 2])
            let t1 = try #require(view.tiers[1]), t2 = try #require(view.tiers[2])
            #expect(t1.suppliers == 3 && t1.byStatus == [.current: 1, .missing: 1, .belowMinimum: 1] && t1.overdue == 1)
            #expect(t1.scoreHistogram == [.perfect: 1, .conditional: 1] && t1.unscored == 1)
            #expect(t1.familyFailures == ["3.1": 1])
            #expect(t1.needingAction == 2 && t1.hiddenNeedingAction == 0)
            #expect(t2.suppliers == 1 && t2.byStatus == [.belowMinimum: 1] && t2.hiddenNeedingAction == 1)
            #expect(t2.scoreHistogram == [ScoreBucket(score: tScore): 1])
            #expect(view.totals.suppliers == 4)
            #expect(view.totals.familyFailures == ["3.1": 2, "3.5": 1, "3.13": 1])
            #expect(view.totals.needingAction == 3 && view.totals.hiddenNeedingAction == 1)

            let page = try await w.rollups.needsAction(prime: "P")
            #expect(page.entries == [
                NeedsActionEntry(organization: "S2", name: "Org S2", tier: 1, status: .missing, overdue: true),
                NeedsActionEntry(organization: "S3", name: "Org S3", tier: 1, status: .belowMinimum, overdue: false),
            ])
            #expect(page.visibleTotal == 2 && page.hiddenCount == 1)
            let second = try await w.rollups.needsAction(prime: "P", limit: 1, offset: 1)
            #expect(second.entries.map(\.organization) == ["S3"] && second.visibleTotal == 2)
            #expect(try await w.rollups.needsAction(prime: "P", limit: 5, offset: 2).entries.isEmpty)

            // The same counts as the domain computes from the same facts.
            let graph = try SupplyGraph([("P", "S1"), ("P", "S2"), ("P", "S3"), ("S1", "T")].map { SupplyEdge(customer: $0.0, supplier: $0.1) })
            let members = ["S1", "S2", "S3", "T"]
            let domain = try RollupAggregate(prime: "P", snapshots: RollupAggregate.snapshots(
                prime: "P", graph: graph, requirements: try await ChainReads.requirements(of: members, on: w.db.sql),
                attestations: try await ChainReads.currentAttestations(of: members, on: w.db.sql),
                visibility: try await ChainReads.visibility(viewer: "P", on: w.db.sql), at: Self.day))
            #expect(domain.counts == view.counts)
            #expect(domain.needsAction.map(\.organization) == page.entries.map(\.organization))

            // A prime that never built a roll-up has none.
            #expect(try await w.rollups.rollup(prime: "S1") == nil)
            #expect(try await w.rollups.needsAction(prime: "S1").entries.isEmpty)
            await #expect(throws: NotFound.self) { try await w.rollups.rebuild(prime: "nobody", at: Self.day) }
            #expect(try await w.auditActions().contains("rollup.rebuilt"))
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("Reads answer from the stored roll-up alone: changing the links underneath changes nothing until a rebuild",
          arguments: TestDatabases.engines)
    func readsFromTables(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            _ = try await handWorld(w)
            let view = try await w.rollups.rollup(prime: "P")
            let page = try await w.rollups.needsAction(prime: "P")
            try await w.unlink("P", "S2")
            try await w.db.sql.delete(from: "consent_grants").run()
            #expect(try await w.rollups.rollup(prime: "P") == view)
            #expect(try await w.rollups.needsAction(prime: "P") == page)
            // After a link change, the customer's primes are rebuilt.
            try await w.rollups.rebuild(primesOf: "P", at: Self.day)
            let rebuilt = try #require(try await w.rollups.rollup(prime: "P"))
            #expect(rebuilt.totals.suppliers == 3 && rebuilt.totals.hiddenNeedingAction == 2)
            #expect(try await w.rollups.needsAction(prime: "P").entries.isEmpty)
        }
    }

    @Test("A link added below a supplier reaches the primes above it with rebuild(primesOf:)", arguments: TestDatabases.engines)
    func linkAdded(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            _ = try await handWorld(w)
            try await w.org("U")
            try await w.link("S2", "U")
            try await w.rollups.rebuild(primesOf: "S2", at: Self.day)
            #expect(try await w.member("P", "U")?.status == "missing")
            #expect(try await w.rollups.rollup(prime: "P")?.tiers[2]?.suppliers == 2)
            // A refresh of a supplier the roll-up does not hold yet heals it by rebuilding.
            try await w.org("V")
            try await w.link("U", "V")
            try await w.rollups.refresh(supplier: "V", at: Self.day)
            #expect(try await w.member("P", "V")?.status == "missing")
            #expect(try await w.rollups.rollup(prime: "P")?.tiers[3]?.suppliers == 1)
        }
    }

    @Test("A refresh on a later day re-evaluates the whole roll-up at that day; one on an earlier day keeps the roll-up's day",
          arguments: TestDatabases.engines)
    func days(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            _ = try await handWorld(w)
            // S1's attestation nears expiry, but the roll-up shows the day it was evaluated at until the day moves.
            #expect(try await w.member("P", "S1")?.status == "current")
            let later = scsDay("2029-09-01")   // S1's attestation (assessed 2026-11-20) expires 2029-11-20
            try await w.rollups.refresh(supplier: "S2", at: later)
            let view = try #require(try await w.rollups.rollup(prime: "P"))
            #expect(view.asOf == later)
            #expect(try await w.member("P", "S1")?.status == "expiring")
            try await scsExpectRollupMatchesRebuild(w, primes: ["P"], at: later)
            try await w.rollups.refresh(supplier: "S1", at: Self.day)
            #expect(try await w.rollups.rollup(prime: "P")?.asOf == later)
            #expect(try await w.member("P", "S1")?.status == "expiring")
        }
    }

    @Test("Concurrent attestations, consent, requirement changes and rebuilds under shared primes neither deadlock nor lose updates",
          arguments: TestDatabases.engines)
    func concurrent(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let edges = [("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c"), ("a", "d"), ("b", "d"), ("c", "e"), ("d", "f"),
                         ("e", "f")]
            for id in ["p1", "p2", "a", "b", "c", "d", "e", "f"] { try await w.org(id) }
            for (c, s) in edges { try await w.link(c, s) }
            var assessments: [String: String] = [:]
            for s in ["a", "b", "c", "d", "e", "f"] { assessments[s] = try await w.assessment(s, failing: s < "d" ? [] : ["3.1.1"]) }
            for p in ["p1", "p2"] { try await w.rollups.rebuild(prime: p, at: Self.day) }
            let issued = assessments
            try await withThrowingTaskGroup(of: Void.self) { g in
                for (s, a) in issued { g.addTask { try await w.issue(s, a, detail: .families) } }
                for (s, v, onward) in [("f", "d", true), ("d", "p1", true), ("d", "b", true), ("b", "p1", false), ("b", "p2", true),
                                       ("e", "p2", false), ("f", "e", true)] {
                    g.addTask { try await w.consent(s).grant(viewer: v, onward: onward, by: scsActor, at: Self.day) }
                }
                for p in ["p1", "p2", "p1"] { g.addTask { try await w.rollups.rebuild(prime: p, at: Self.day) } }
                g.addTask {
                    try await w.require("b", "d", "all-met")
                    try await w.rollups.refresh(supplier: "d", at: Self.day)
                }
                try await g.waitForAll()
            }
            #expect(try await w.member("p1", "f")?.visible == true)    // f → d (onward), d → p1
            #expect(try await w.member("p2", "f")?.visible == true)    // f → e (onward), e → p2 (e's own onward flag is not needed)
            #expect(try await w.member("p2", "d")?.visible == true)    // d → b (onward), b → p2
            #expect(try await w.member("p1", "a")?.visible == false)   // no consent
            try await scsExpectRollupMatchesRebuild(w, primes: ["p1", "p2"], at: Self.day)
            try await scsExpectNoLeaks(w, primes: ["p1", "p2"])
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("Property: after seeded random attestations, consent and requirement changes, the incremental roll-ups equal rebuilds",
          arguments: TestDatabases.engines)
    func incrementalEqualsRebuild(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let edges = [("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c"), ("a", "d"), ("b", "d"), ("b", "e"), ("c", "e"),
                         ("d", "f"), ("e", "f")]
            let suppliers = ["a", "b", "c", "d", "e", "f"]
            let primes = ["p1", "p2"]
            for id in primes + suppliers { try await w.org(id, name: "Org \(id)") }
            for (c, s) in edges { try await w.link(c, s) }
            let graph = try SupplyGraph(edges.map { SupplyEdge(customer: $0.0, supplier: $0.1) })
            var assessments: [String: [String]] = [:]
            for s in suppliers {
                assessments[s] = [
                    try await w.assessment(s),
                    try await w.assessment(s, date: "2026-10-01", failing: scsFiveFailures),
                    try await w.assessment(s, failing: ["3.1.1"]),
                    try await w.assessment(s, answered: false),
                ]
            }
            for p in primes { try await w.rollups.rebuild(prime: p, at: Self.day) }

            var rng = SCSRandom(seed: engine == .sqlite ? 7 : 11)
            var grants: Set<[String]> = []   // [supplier, viewer]
            let minima: [String?] = [nil, "sprs>=88", "sprs>=110", "all-met", "cmmc-l2"]
            var log: [String] = []
            var statuses: Set<String> = []
            var visibility: Set<Bool> = []
            for step in 1...36 {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let s = suppliers.randomElement(using: &rng)!
                    let expires = [nil, Self.day.adding(days: 30), scsDay("2026-11-30")].randomElement(using: &rng)!
                    let detail = DetailLevel.allCases.randomElement(using: &rng)!
                    try await w.issue(s, assessments[s]!.randomElement(using: &rng)!, detail: detail, expiresAt: expires)
                    log.append("issue \(s) \(detail) \(String(describing: expires))")
                case 1:
                    let s = suppliers.randomElement(using: &rng)!
                    let above = graph.ancestors(of: s).sorted()
                    let primesAbove = above.filter(primes.contains)
                    let v = (Bool.random(using: &rng) ? primesAbove : above).randomElement(using: &rng)!
                    let onward = Bool.random(using: &rng)
                    try await w.consent(s).grant(viewer: v, onward: onward, by: scsActor, at: Self.day)
                    grants.insert([s, v])
                    log.append("grant \(s) → \(v) onward \(onward)")
                case 2:
                    guard let g = grants.sorted(by: { $0.lexicographicallyPrecedes($1) }).randomElement(using: &rng) else { continue }
                    try await w.consent(g[0]).revoke(viewer: g[1], by: scsActor, at: Self.day)
                    grants.remove(g)
                    log.append("revoke \(g[0]) → \(g[1])")
                default:
                    let (c, s) = edges.randomElement(using: &rng)!
                    let minimum = minima.randomElement(using: &rng)!
                    let due = ["2026-11-15", "2027-06-30"].randomElement(using: &rng)!
                    try await w.require(c, s, minimum, due: due)
                    try await w.rollups.refresh(supplier: s, at: Self.day)
                    log.append("require \(c) → \(s) \(minimum ?? "none") due \(due)")
                }
                if step % 6 == 0 {
                    try await scsExpectRollupMatchesRebuild(w, primes: primes, at: Self.day)
                    try await scsExpectNoLeaks(w, primes: primes)
                    for p in primes {
                        for r in try await SCSRollupState.read(w, prime: p).rows {
                            statuses.insert(r.status)
                            visibility.insert(r.visible != 0)
                        }
                    }
                }
            }
            // The run did exercise hidden and visible suppliers, and several statuses.
            #expect(statuses.count >= 3, "\(statuses) after \(log)")
            #expect(visibility == [true, false], "after \(log)")
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }
}
