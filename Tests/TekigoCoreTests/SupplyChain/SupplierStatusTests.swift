import Testing
@testable import TekigoCore

@Suite("Supplier status against the direct customer's requirement")
struct SupplierStatusTests {
    func status(_ r: FlowDownRequirement?, _ a: AttestationPayload?, _ date: String) -> SupplierStatus {
        SupplierStatus.evaluate(requirement: r, attestation: a, at: scDay(date))
    }

    @Test("Missing: nothing shared, someone else's attestation, or one issued after the date")
    func missing() throws {
        let r = try scRequirement("P", "S")
        #expect(status(r, nil, "2026-07-01").kind == .missing)
        #expect(status(r, scAttestation(org: "T"), "2026-07-01").kind == .missing)
        #expect(status(r, scAttestation(assessed: "2026-01-15"), "2026-01-14").kind == .missing)
        #expect(status(r, scAttestation(assessed: "2026-01-15"), "2026-01-15").kind == .current)
    }

    @Test("Precedence: expired outranks below minimum (DFARS 252.204-7019(b): an expired assessment is no assessment)")
    func expiredOverBelowMinimum() throws {
        let r = try scRequirement("P", "S", minimum: .sprsAtLeast(88))
        let weakOld = scAttestation(expires: "2026-06-30", score: 50)
        #expect(status(r, weakOld, "2026-06-30").kind == .belowMinimum)
        let s = status(r, weakOld, "2026-07-01")
        #expect(s.kind == .expired)
        #expect(s.shortfalls.isEmpty)
    }

    @Test("Precedence: below minimum outranks expiring; expiring (≤ 90 days) outranks current")
    func belowMinimumOverExpiring() throws {
        let r = try scRequirement("P", "S", minimum: .sprsAtLeast(88))
        let weak = scAttestation(expires: "2026-09-01", score: 50)
        let s = status(r, weak, "2026-07-01")
        #expect(s.kind == .belowMinimum)
        #expect(s.shortfalls == [.score(required: 88, attested: 50)])
        let good = scAttestation(expires: "2026-09-01", score: 95)
        #expect(status(r, good, "2026-07-01").kind == .expiring)
        #expect(status(r, good, "2026-06-03").kind == .expiring)   // 90 days before 1 September
        #expect(status(r, good, "2026-06-02").kind == .current)    // 91 days
        #expect(status(r, good, "2026-06-02").daysUntilExpiry == 91)
    }

    @Test("Overdue: the due date has passed and the minimum is not met; not on the due date, and never when met")
    func overdue() throws {
        let r = try scRequirement("P", "S", due: "2026-12-31")
        #expect(!status(r, nil, "2026-12-31").overdue)
        #expect(status(r, nil, "2027-01-01").overdue)
        #expect(status(r, scAttestation(score: 70), "2027-01-01").overdue)
        #expect(status(r, scAttestation(expires: "2026-12-01"), "2027-01-01").overdue)
        #expect(!status(r, scAttestation(score: 95), "2027-01-01").overdue)
        #expect(!status(r, scAttestation(expires: "2027-02-01", score: 95), "2027-01-01").overdue)   // expiring, still met
        #expect(!status(nil, nil, "2030-01-01").overdue)
    }

    @Test("SPRS minimum: the score must reach it; no score (no SSP, 32 CFR 170.24(c)(2)(i)(B)(5)) never does")
    func sprsMinimum() throws {
        let r = try scRequirement("P", "S", minimum: .sprsAtLeast(88))
        #expect(status(r, scAttestation(score: 88), "2026-07-01").kind == .current)
        #expect(status(r, scAttestation(score: 87), "2026-07-01").kind == .belowMinimum)
        #expect(status(r, scAttestation(score: nil, cmmc: "not-eligible"), "2026-07-01").shortfalls
                == [.score(required: 88, attested: nil)])
        let floor = try scRequirement("P", "S", minimum: .sprsAtLeast(-203))
        #expect(status(floor, scAttestation(score: -203), "2026-07-01").kind == .current)
    }

    @Test("CMMC Level 2 minimum: Final or Conditional; Conditional lapses after its 180-day closeout date (32 CFR 170.21(b))")
    func cmmcMinimum() throws {
        let r = try scRequirement("P", "S", minimum: .cmmcLevel2)
        #expect(status(r, scAttestation(cmmc: "final"), "2026-07-01").kind == .current)
        let conditional = scAttestation(score: 105, cmmc: "conditional", closeout: "2026-07-14")
        #expect(status(r, conditional, "2026-07-14").kind == .current)
        let lapsed = status(r, conditional, "2026-07-15")
        #expect(lapsed.kind == .belowMinimum)
        #expect(lapsed.shortfalls == [.cmmcConditionalLapsed(closeoutDue: scDay("2026-07-14"))])
        #expect(status(r, scAttestation(score: 80, cmmc: "not-eligible"), "2026-07-01").shortfalls
                == [.cmmcStatus(attested: "not-eligible")])
    }

    @Test("All-met minimum: N/A counts as met (32 CFR 170.24(b)(3)); not met or not assessed fails (170.24(b)(2))")
    func allMetMinimum() throws {
        let r = try scRequirement("P", "S", minimum: .allMet)
        #expect(status(r, scAttestation(totals: RequirementCounts(met: 100, notApplicable: 10)), "2026-07-01").kind == .current)
        let gaps = RequirementCounts(met: 108, notMet: 1, notAssessed: 1)
        let s = status(r, scAttestation(score: 104, cmmc: "not-eligible", totals: gaps), "2026-07-01")
        #expect(s.shortfalls == [.notAllMet(gaps)])
        #expect(s.shortfalls.first?.text(.ja).contains("不適合 1 件") == true)
    }

    @Test("An attestation against another catalog does not meet the requirement")
    func wrongCatalog() throws {
        let r = try scRequirement("P", "S", minimum: .allMet, catalog: .sp800171r3)
        let s = status(r, scAttestation(), "2026-07-01")
        #expect(s.kind == .belowMinimum)
        #expect(s.shortfalls == [.wrongCatalog(required: .sp800171r3, attested: .sp800171r2)])
    }

    @Test("Without a requirement only the attestation's own validity counts")
    func noRequirement() {
        #expect(status(nil, scAttestation(score: -50, cmmc: "not-eligible"), "2026-07-01").kind == .current)
        #expect(status(nil, scAttestation(), "2029-01-16").kind == .expired)
        #expect(status(nil, nil, "2026-07-01").kind == .missing)
    }

    @Test("Statuses order most serious first")
    func ordering() {
        #expect(SupplierStatusKind.allCases.sorted() == [.missing, .expired, .belowMinimum, .expiring, .current])
        #expect(SupplierStatusKind.allCases.filter(\.failsMinimum) == [.missing, .expired, .belowMinimum])
    }
}
