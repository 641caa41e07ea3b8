import Testing
@testable import TekigoCore

@Suite("Supply graph: customer → supplier links, cycles, tiers")
struct SupplyGraphTests {
    func graph(_ pairs: [(String, String)]) throws -> SupplyGraph {
        try SupplyGraph(pairs.map { SupplyEdge(customer: $0.0, supplier: $0.1) })
    }

    @Test("A link that closes a cycle is refused, and the error names the cycle A → B → C → A")
    func cycleNamed() throws {
        let g = try graph([("B", "C"), ("C", "A")])
        let edge = SupplyEdge(customer: "A", supplier: "B")
        #expect(throws: SupplyChainError.cycle(edge: edge, path: ["A", "B", "C", "A"])) { try g.adding(edge) }
        do throws(SupplyChainError) {
            _ = try g.adding(edge)
            Issue.record("a cycle was accepted")
        } catch {
            #expect(error.description.contains("A → B → C → A"))
        }
        // The refused link leaves the graph as it was.
        #expect(!g.contains(edge))
        #expect(g.edges.count == 2)
    }

    @Test("The cycle reported is the shortest one, whichever order the links came in")
    func shortestCycle() throws {
        // X → Y → Z → W and X → W; adding W → X closes W → X → W via the shortcut.
        let pairs = [("X", "Y"), ("Y", "Z"), ("Z", "W"), ("X", "W")]
        for order in [pairs, pairs.reversed()] {
            let g = try graph(order)
            let edge = SupplyEdge(customer: "W", supplier: "X")
            #expect(throws: SupplyChainError.cycle(edge: edge, path: ["W", "X", "W"])) { try g.adding(edge) }
        }
    }

    @Test("A two-organization loop is a cycle too")
    func twoCycle() throws {
        let g = try graph([("A", "B")])
        let back = SupplyEdge(customer: "B", supplier: "A")
        #expect(throws: SupplyChainError.cycle(edge: back, path: ["B", "A", "B"])) { try g.adding(back) }
    }

    @Test("Self-links, duplicate links and empty ids are refused")
    func malformedLinks() throws {
        let g = try graph([("A", "B")])
        #expect(throws: SupplyChainError.selfLink("A")) { try g.adding(SupplyEdge(customer: "A", supplier: "A")) }
        let dup = SupplyEdge(customer: "A", supplier: "B")
        #expect(throws: SupplyChainError.duplicateEdge(dup)) { try g.adding(dup) }
        #expect(throws: SupplyChainError.emptyOrganizationID) { try g.adding(SupplyEdge(customer: " ", supplier: "B")) }
    }

    @Test("Diamond: a supplier reached through two customers has one tier; a shortcut lowers it to the minimum")
    func diamondTiers() throws {
        var g = try graph([("P", "B"), ("P", "C"), ("B", "D"), ("C", "D"), ("D", "E")])
        #expect(g.tiers(from: "P") == ["P": 0, "B": 1, "C": 1, "D": 2, "E": 3])
        // E also supplied directly: reachable at tiers 1 and 3 → tier 1; D keeps tier 2.
        g = try g.adding(SupplyEdge(customer: "P", supplier: "E"))
        #expect(g.tiers(from: "P") == ["P": 0, "B": 1, "C": 1, "D": 2, "E": 1])
    }

    @Test("A supplier reachable at tiers 1 and 2 is tier 1")
    func minimalTier() throws {
        let g = try graph([("P", "A"), ("A", "S"), ("P", "S")])
        #expect(g.tiers(from: "P")["S"] == 1)
    }

    @Test("Several primes: tiers count from the prime asked about, and other primes' suppliers are absent")
    func multiplePrimes() throws {
        let g = try graph([("P1", "X"), ("P2", "Y"), ("Y", "X"), ("P2", "Z")])
        #expect(g.primes == ["P1", "P2"])
        #expect(g.tiers(from: "P1") == ["P1": 0, "X": 1])
        #expect(g.tiers(from: "P2") == ["P2": 0, "Y": 1, "Z": 1, "X": 2])
    }

    @Test("Ancestors, descendants, customers and suppliers")
    func neighbourhoods() throws {
        let g = try graph([("P1", "X"), ("P2", "Y"), ("Y", "X"), ("X", "T")])
        #expect(g.ancestors(of: "T") == ["X", "P1", "P2", "Y"])
        #expect(g.ancestors(of: "P1").isEmpty)
        #expect(g.descendants(of: "P2") == ["Y", "X", "T"])
        #expect(g.descendants(of: "T").isEmpty)
        #expect(g.customers(of: "X") == ["P1", "Y"])
        #expect(g.suppliers(of: "X") == ["T"])
        #expect(g.suppliers(of: "nobody").isEmpty)
    }

    @Test("The graph does not depend on the order links were added; removing a link undoes adding it")
    func orderIndependent() throws {
        let pairs = [("P", "A"), ("P", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("Q", "D")]
        var rng = SCRandom(seed: 7)
        let reference = try graph(pairs)
        for _ in 0..<20 {
            let g = try graph(pairs.shuffled(using: &rng))
            #expect(g == reference)
            #expect(g.tiers(from: "P") == reference.tiers(from: "P"))
        }
        let extra = SupplyEdge(customer: "D", supplier: "E")
        #expect(try reference.adding(extra).removing(extra) == reference)
        // After removing B → C, a formerly cyclic link may become legal: C → B is fine once B no longer reaches C.
        let cut = reference.removing(SupplyEdge(customer: "B", supplier: "C"))
        #expect(try cut.adding(SupplyEdge(customer: "C", supplier: "B")).tiers(from: "P")["B"] == 1)
    }

    @Test("Random graphs never hold a cycle, and every tier is one more than the smallest tier among the customers")
    func randomGraphsStayAcyclic() throws {
        var rng = SCRandom(seed: 2026)
        let ids = (0..<12).map { "O\($0)" }
        for _ in 0..<30 {
            var g = SupplyGraph()
            for _ in 0..<40 {
                let e = SupplyEdge(customer: ids.randomElement(using: &rng)!, supplier: ids.randomElement(using: &rng)!)
                if let next = try? g.adding(e) { g = next }
            }
            for id in g.organizations { #expect(!g.descendants(of: id).contains(id)) }
            for prime in g.primes {
                let tiers = g.tiers(from: prime)
                for (id, tier) in tiers where id != prime {
                    let best = g.customers(of: id).compactMap { tiers[$0] }.min()
                    #expect(best.map { $0 + 1 } == tier)
                }
                #expect(Set(tiers.keys) == g.descendants(of: prime).union([prime]))
            }
        }
    }
}
