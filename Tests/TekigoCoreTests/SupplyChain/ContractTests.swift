import Testing
@testable import TekigoCore

@Suite("Contracts and flow-down requirements")
struct ContractTests {
    @Test("DFARS 252.204-7021: the CMMC clause states a level 1…3, and a level needs the clause")
    func cmmcLevel() throws {
        #expect(throws: SupplyChainError.cmmcClauseWithoutLevel(contract: "W58RGZ-26-C-0001")) {
            try Contract(number: "W58RGZ-26-C-0001", designation: .cui, clauses: [.dfars7012, .cmmc])
        }
        #expect(throws: SupplyChainError.cmmcLevelWithoutClause(contract: "W58RGZ-26-C-0001", level: 2)) {
            try Contract(number: "W58RGZ-26-C-0001", designation: .cui, clauses: [.dfars7012], cmmcLevel: 2)
        }
        for bad in [0, 4] {
            #expect(throws: SupplyChainError.cmmcLevelOutOfRange(contract: "C-1", level: bad)) {
                try Contract(number: "C-1", designation: .cui, clauses: [.dfars7012, .cmmc], cmmcLevel: bad)
            }
        }
        for level in 1...3 {
            let c = try Contract(number: "C-1", designation: .cui, clauses: [.dfars7012, .dfars7019, .cmmc], cmmcLevel: level)
            #expect(c.cmmcLevel == level)
        }
    }

    @Test("DFARS 252.204-7012(b)(2): a contract designating CUI carries 7012")
    func cuiNeeds7012() throws {
        #expect(throws: SupplyChainError.cuiWithoutDFARS7012(contract: "C-2")) {
            try Contract(number: "C-2", designation: .cui, clauses: [.dfars7019, .dfars7020])
        }
        _ = try Contract(number: "C-2", designation: .cui, clauses: [.dfars7012, .dfars7019, .dfars7020])
    }

    @Test("防衛産業サイバーセキュリティ基準: the special clause and the 保護すべき情報 designation go together")
    func japaneseStandard() throws {
        #expect(throws: SupplyChainError.japaneseDesignationWithoutClause(contract: "防衛-1")) {
            try Contract(number: "防衛-1", designation: .protectedInformation, clauses: [.dfars7012])
        }
        #expect(throws: SupplyChainError.japaneseClauseWithoutDesignation(contract: "防衛-1")) {
            try Contract(number: "防衛-1", designation: .cui, clauses: [.dfars7012, .japaneseStandard])
        }
        // Both kinds of information: both regimes' clauses.
        #expect(throws: SupplyChainError.japaneseDesignationWithoutClause(contract: "防衛-1")) {
            try Contract(number: "防衛-1", designation: .both, clauses: [.dfars7012])
        }
        _ = try Contract(number: "防衛-1", designation: .protectedInformation, clauses: [.japaneseStandard])
        _ = try Contract(number: "防衛-1", designation: .both, clauses: [.dfars7012, .japaneseStandard])
    }

    @Test("A contract needs a number and at least one clause; the number is trimmed")
    func numberAndClauses() throws {
        #expect(throws: SupplyChainError.emptyContractNumber) {
            try Contract(number: "  ", designation: .cui, clauses: [.dfars7012])
        }
        #expect(throws: SupplyChainError.noClauses(contract: "C-3")) {
            try Contract(number: "C-3", designation: .cui, clauses: [])
        }
        #expect(try Contract(number: " C-3\n", designation: .cui, clauses: [.dfars7012]).number == "C-3")
    }

    @Test("Decoding checks a contract as the initializer does")
    func decodingValidates() throws {
        let good = #"{"number":"C-4","designation":"cui","clauses":["cmmc","dfars-252.204-7012"],"cmmcLevel":2}"#
        let c = try CanonicalJSON.decode(Contract.self, from: good.utf8)
        #expect(c.clauses == [.cmmc, .dfars7012])
        let bad = #"{"number":"C-4","designation":"cui","clauses":["cmmc","dfars-252.204-7012"]}"#
        #expect(throws: (any Error).self) { try CanonicalJSON.decode(Contract.self, from: bad.utf8) }
        // Encoding does not depend on the order clauses were listed in.
        let reordered = #"{"clauses":["dfars-252.204-7012","cmmc"],"cmmcLevel":2,"designation":"cui","number":"C-4"}"#
        let a = String(decoding: try CanonicalJSON.encode(c), as: UTF8.self)
        let b = String(decoding: try CanonicalJSON.encode(try CanonicalJSON.decode(Contract.self, from: reordered.utf8)), as: UTF8.self)
        #expect(a == b)
        #expect(a.contains(#""clauses":["dfars-252.204-7012","cmmc"]"#))
    }

    @Test("SPRS minimums lie in −203…110 (DoD Assessment Methodology v1.2.1 §5: 110 − 313 = −203)")
    func sprsRange() throws {
        for ok in [SPRSResult.minimum, 0, 88, SPRSResult.maximum] {
            #expect(try scRequirement("P", "S", minimum: .sprsAtLeast(ok)).minimum == .sprsAtLeast(ok))
        }
        for bad in [-204, 111] {
            #expect(throws: SupplyChainError.sprsMinimumOutOfRange(bad)) { try scRequirement("P", "S", minimum: .sprsAtLeast(bad)) }
        }
    }

    @Test("SPRS and CMMC minimums need SP 800-171 rev2 (DFARS class deviation 2024-O0013); 'all met' works on any catalog")
    func minimumCatalog() throws {
        #expect(throws: SupplyChainError.minimumNeedsSPRSCatalog(minimum: "CMMC Level 2 (Final or Conditional)",
                                                                  catalog: .sp800171r3)) {
            try scRequirement("P", "S", minimum: .cmmcLevel2, catalog: .sp800171r3)
        }
        #expect(throws: SupplyChainError.self) { try scRequirement("P", "S", minimum: .sprsAtLeast(70), catalog: .sp800171r3) }
        #expect(try scRequirement("P", "S", minimum: .allMet, catalog: .sp800171r3).catalog == .sp800171r3)
        #expect(throws: SupplyChainError.selfLink("S")) { try scRequirement("S", "S") }
    }

    @Test("Minimums compare: all met ⇒ Level 2 ⇒ a score of 88 (32 CFR 170.21(a)(2)(i)), not 89; a higher score meets a lower bar")
    func implication() {
        typealias M = FlowDownRequirement.Minimum
        #expect(M.allMet.implies(.cmmcLevel2))
        #expect(M.allMet.implies(.sprsAtLeast(110)))
        #expect(M.cmmcLevel2.implies(.sprsAtLeast(88)))
        #expect(!M.cmmcLevel2.implies(.sprsAtLeast(89)))
        #expect(!M.cmmcLevel2.implies(.allMet))
        #expect(M.sprsAtLeast(100).implies(.sprsAtLeast(90)))
        #expect(!M.sprsAtLeast(90).implies(.sprsAtLeast(100)))
        #expect(!M.sprsAtLeast(110).implies(.cmmcLevel2))
    }

    @Test("DFARS 252.204-7012(m)(1): a requirement that must flow down is passed on unaltered to every next-tier supplier")
    func flowDownGaps() throws {
        let g = try SupplyGraph([SupplyEdge(customer: "P", supplier: "A"), SupplyEdge(customer: "A", supplier: "B"),
                                 SupplyEdge(customer: "A", supplier: "C")])
        let top = try scRequirement("P", "A", minimum: .sprsAtLeast(88))
        // Passed to B (stricter is fine) but not to C.
        var reqs = [top, try scRequirement("A", "B", minimum: .cmmcLevel2)]
        var gaps = FlowDownRequirement.gaps(in: g, requirements: reqs)
        #expect(gaps.map(\.edge) == [SupplyEdge(customer: "A", supplier: "C")])
        #expect(gaps.first?.reason == .missing)
        #expect(gaps.first?.text(.en).contains("252.204-7012(m)(1)") == true)

        reqs.append(try scRequirement("A", "C", minimum: .sprsAtLeast(70)))
        gaps = FlowDownRequirement.gaps(in: g, requirements: reqs)
        #expect(gaps.map(\.reason) == [.weakerMinimum(.sprsAtLeast(70))])

        reqs[2] = try scRequirement("A", "C", minimum: .sprsAtLeast(88), mustFlowDown: false)
        gaps = FlowDownRequirement.gaps(in: g, requirements: reqs)
        #expect(gaps.map(\.reason) == [.notMarkedToFlowDown])

        // Another catalog does not count as passing it on.
        reqs[2] = try scRequirement("A", "C", minimum: .allMet, catalog: .sp800171r3)
        #expect(FlowDownRequirement.gaps(in: g, requirements: reqs).map(\.reason) == [.missing])

        reqs[2] = try scRequirement("A", "C", minimum: .sprsAtLeast(95))
        #expect(FlowDownRequirement.gaps(in: g, requirements: reqs).isEmpty)

        // A requirement that need not flow down leaves no gaps.
        let local = try scRequirement("P", "A", minimum: .sprsAtLeast(88), mustFlowDown: false)
        #expect(FlowDownRequirement.gaps(in: g, requirements: [local]).isEmpty)
    }
}
