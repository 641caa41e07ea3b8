import Testing
@testable import TekigoCore

@Suite("Demo supply chain")
struct DemoSupplyChainTests {
    static let today = Day(year: 2026, month: 11, day: 27)!
    static let chain = DemoSupplyChain.generate(suppliers: 1_000, today: today)

    @Test("The same seed gives the same chain; another seed a different one")
    func deterministic() {
        let again = DemoSupplyChain.generate(suppliers: 1_000, today: Self.today)
        #expect(again.companies == Self.chain.companies)
        #expect(again.edges == Self.chain.edges)
        #expect(again.consents == Self.chain.consents)
        #expect(DemoSupplyChain.generate(suppliers: 1_000, seed: 7, today: Self.today).companies != Self.chain.companies)
    }

    @Test("Two primes and three tiers; the graph has no cycle and every supplier sits at the tier it was made for")
    func tiers() throws {
        let c = Self.chain
        #expect(c.companies.count == 1_002)
        #expect(c.primes.count == 2)
        let graph = try SupplyGraph(c.edges)
        var tierOf: [String: Int] = [:]
        for p in c.primes {
            for (org, t) in graph.tiers(from: p.id) { tierOf[org] = min(tierOf[org] ?? .max, t) }
        }
        for company in c.companies { #expect(tierOf[company.id] == company.tier, "\(company.id)") }
        let counts = Dictionary(grouping: c.companies, by: \.tier).mapValues(\.count)
        #expect(counts[1]! > 0 && counts[2]! > counts[1]! && counts[3]! > counts[2]!)
    }

    @Test("Identifiers pass the checks an attestation applies (CAGE, UEI, 法人番号 check digit); names are unique")
    func identifiers() throws {
        for company in Self.chain.companies {
            if let cage = company.cageCode { try EntityIdentifiers.validateCAGE(cage) }
            if let uei = company.uei { try EntityIdentifiers.validateUEI(uei) }
            if let number = company.corporateNumber { try EntityIdentifiers.validateCorporateNumber(number) }
        }
        #expect(Set(Self.chain.companies.map(\.displayName)).count == Self.chain.companies.count)
        // Also at the size the issue asks for: 10,000 suppliers, every name different.
        let big = DemoSupplyChain.generate(suppliers: 10_000, today: Self.today)
        #expect(Set(big.companies.map(\.displayName)).count == big.companies.count)
        #expect(Self.chain.companies.contains { $0.nameJa.hasSuffix("株式会社") })
    }

    @Test("Some assessments are older than three years (DFARS 252.204-7019(b)), some missing, some expiring soon")
    func variedDates() {
        let days = Self.chain.companies.compactMap { c in c.assessedOn.map { $0.days(until: Self.today) } }
        #expect(days.contains { $0 > 3 * 365 + 1 })
        #expect(days.contains { (3 * 365 - 90)...(3 * 365) ~= $0 })
        #expect(Self.chain.companies.contains { $0.maturity == nil })
    }

    @Test("At least one tier-2 supplier is visible to both primes (shares one attestation with two primes)")
    func sharedWithTwoPrimes() {
        let c = Self.chain
        let seenBy = c.primes.map { DetailVisibility(viewer: $0.id, grants: c.consents) }
        #expect(c.companies.contains { s in s.tier == 2 && seenBy.allSatisfy { $0.canSee(s.id) } })
        // …and some suppliers stay hidden from every prime (aggregates only).
        #expect(c.companies.contains { s in s.tier == 3 && seenBy.allSatisfy { !$0.canSee(s.id) } })
    }

    @Test("A company's assessment is the same every time and its score follows its maturity")
    func assessments() throws {
        let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
        let strong = try #require(Self.chain.companies.first { ($0.maturity ?? 0) > 0.97 })
        let weak = try #require(Self.chain.companies.first { ($0.maturity ?? 1) < 0.8 })
        let a = try #require(Self.chain.assessment(of: strong, catalog: catalog))
        #expect(a == Self.chain.assessment(of: strong, catalog: catalog))
        let high = try #require(try SPRSScoring.score(a, catalog: catalog).score)
        let weakAssessment = try #require(Self.chain.assessment(of: weak, catalog: catalog))
        let low = try #require(try SPRSScoring.score(weakAssessment, catalog: catalog).score)
        #expect(high > low)
        #expect(a.findings.count == catalog.objectiveIDs.count)
        // A realistic spread: most tier-1 suppliers reach the CMMC threshold of 88 (32 CFR 170.21(a)(2)), not all.
        let tier1 = Self.chain.companies.filter { $0.tier == 1 }.compactMap { Self.chain.assessment(of: $0, catalog: catalog) }
        let scores = try tier1.map { try SPRSScoring.score($0, catalog: catalog).score ?? -203 }
        let passing = scores.filter { $0 >= 88 }.count
        #expect(passing * 2 > scores.count && passing < scores.count, "\(passing) of \(scores.count) tier-1 suppliers reach 88")
    }
}
