import Testing
@testable import TekigoCore

// Helpers for the supply-chain tests. Names start with `SC` so they never meet the other suites' helpers in the
// TekigoCoreTests module.

/// `Day("2026-11-27")!`, failing the test instead of crashing on a typo.
func scDay(_ text: String) -> Day {
    guard let d = Day(text) else {
        Issue.record("'\(text)' is not a date")
        return Day(year: 2000, month: 1, day: 1)!
    }
    return d
}

/// The seeded generator the demo data uses, so property tests replay the same sequence on every run.
typealias SCRandom = SeededGenerator

/// An attestation written out field by field (no builder), for status, validity and reminder rules.
func scAttestation(id: String = "att-1", org: String = "S", name: String = "Supplier Works", issued: String? = nil,
                   assessed: String = "2026-01-15", expires: String? = nil, catalog: CatalogID = .sp800171r2,
                   score: Int? = 110, cmmc: String? = "final", closeout: String? = nil,
                   totals: RequirementCounts = RequirementCounts(met: 110), families: [FamilySummary]? = nil,
                   supersedes: String? = nil) -> AttestationPayload {
    AttestationPayload(id: id, issuedAt: issued ?? "\(assessed)T12:00:00Z",
                       organization: AttestedOrganization(id: org, name: name, cageCodes: ["1ABC2"]),
                       systemScope: "Design network", assessmentKind: .basic, assessmentDate: scDay(assessed),
                       catalog: catalog, sprsScore: score, cmmcStatus: cmmc, cmmcCloseoutDue: closeout.map(scDay),
                       poamCompletionDate: nil, totals: totals, detailLevel: families == nil ? .summary : .families,
                       families: families, expiresAt: expires.map(scDay), supersedes: supersedes)
}

/// A requirement that cannot be invalid (the test fails if it is).
func scRequirement(_ customer: String, _ supplier: String, minimum: FlowDownRequirement.Minimum = .sprsAtLeast(88),
                   catalog: CatalogID = .sp800171r2, due: String = "2026-12-31",
                   mustFlowDown: Bool = true) throws -> FlowDownRequirement {
    try FlowDownRequirement(edge: SupplyEdge(customer: customer, supplier: supplier), catalog: catalog,
                            minimum: minimum, due: scDay(due), mustFlowDown: mustFlowDown)
}

/// An SP 800-171 rev2 assessment with every objective answered `status`, for the builder.
struct SCAssessmentFixture {
    let catalog: Catalog
    var assessment: Assessment

    init(_ status: FindingStatus = .met, date: String = "2026-11-27") throws {
        catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs { findings[o] = Finding(status: status) }
        assessment = Assessment(
            organization: Organization(name: "Kanto Precision 株式会社", cageCodes: ["1ABC2", "0XYZ9"],
                                       uei: "ABCDEFGH1234", corporateNumber: "7000012050002"),
            system: SystemProfile(name: "Design network"), date: scDay(date), findings: findings)
    }

    /// One objective of `requirement` not met, with a dated plan of action.
    mutating func fail(_ requirement: String) {
        assessment.findings[catalog[requirement]!.assessmentObjectives[0]] = Finding(status: .notMet)
        assessment.poam.append(POAMItem(requirement: requirement, weakness: "gap", scheduledCompletion: scDay("2027-03-01")))
    }

    /// Issued at 00:00 UTC on `issued` (the assessment date unless given).
    func payload(detail: DetailLevel = .families, id: String = "att-1", issued: String? = nil,
                 expiresAt: Day? = nil, supersedes: String? = nil) throws -> AttestationPayload {
        try AttestationBuilder.payload(id: id, issuedAt: (issued.map(scDay) ?? assessment.date).date,
                                       organizationID: "kanto", assessment: assessment, catalog: catalog,
                                       detail: detail, expiresAt: expiresAt, supersedes: supersedes)
    }
}
