import Testing
@testable import TekigoCore

/// Builds assessments for the rules under test.
struct Fixture {
    let catalog: Catalog
    var assessment: Assessment

    init(_ status: FindingStatus = .met, date: String = "2026-11-27") throws {
        catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs { findings[o] = Finding(status: status) }
        assessment = Assessment(organization: Organization(name: "Test Works", cageCodes: ["1ABC2"]),
                                system: SystemProfile(name: "Shop network"), date: Day(date)!, findings: findings)
    }

    /// Marks one objective of `requirement` not met (the rest stay as they are).
    mutating func fail(_ requirement: String, plan: Bool = true) {
        let obj = catalog[requirement]!.assessmentObjectives[0]
        assessment.findings[obj] = Finding(status: .notMet)
        if plan { assessment.poam.append(POAMItem(requirement: requirement, weakness: "gap", scheduledCompletion: Day("2027-03-01"))) }
    }

    func score() throws -> SPRSResult { try SPRSScoring.score(assessment, catalog: catalog) }
    func cmmc() throws -> CMMCEvaluation { CMMCRules.evaluate(assessment, sprs: try score()) }
}

@Suite("Requirement status from objectives (32 CFR 170.24(b))")
struct RequirementStatusTests {
    @Test("MET only when every applicable objective is met; N/A objectives count as met (170.24(b)(2)-(3))")
    func derivation() throws {
        var f = try Fixture()
        let req = f.catalog["3.1.1"]!
        #expect(f.assessment.status(of: req) == .met)
        f.assessment.findings["3.1.1[c]"] = Finding(status: .notApplicable)
        #expect(f.assessment.status(of: req) == .met)
        f.assessment.findings["3.1.1[d]"] = Finding(status: .notMet)
        #expect(f.assessment.status(of: req) == .notMet)
        f.assessment.findings["3.1.1[d]"] = nil
        #expect(f.assessment.status(of: req) == .notAssessed)
        for o in req.objectives { f.assessment.findings[o] = Finding(status: .notApplicable) }
        #expect(f.assessment.status(of: req) == .notApplicable)
        #expect(f.assessment.status(of: req).countsAsMet)
    }

    @Test("Progress counts answered objectives out of 320")
    func progress() throws {
        var f = try Fixture(.notAssessed)
        f.assessment.findings = [:]
        f.assessment.findings["3.1.1[a]"] = Finding(status: .met)
        f.assessment.findings["3.1.1[b]"] = Finding(status: .notApplicable)
        let p = f.assessment.progress(in: f.catalog)
        #expect(p.answered == 2)
        #expect(p.total == 320)
    }
}

@Suite("SPRS score (DoD Assessment Methodology v1.2.1 §5, Annex A; 32 CFR 170.24(c)(2))")
struct SPRSScoringTests {
    @Test("All requirements met → 110")
    func allMet() throws {
        let r = try Fixture().score()
        #expect(r.score == 110)
        #expect(r.deductions.isEmpty)
        #expect(r.isComplete)
    }

    @Test("Nothing implemented but an SSP → every value deducted, 3.5.3 and 3.13.11 at 5 → −203 + 0 for 3.12.4")
    func nothingButSSP() throws {
        var f = try Fixture(.notMet)
        for o in f.catalog["3.12.4"]!.objectives { f.assessment.findings[o] = Finding(status: .met) }
        let r = try f.score()
        #expect(r.score == -203)
        #expect(r.score == SPRSResult.minimum)
        #expect(r.deductions.count == 109)
        #expect(r.deductions.first { $0.requirement == "3.12.2" }?.points == 3)
    }

    @Test("No SSP (3.12.4 not met) → no score, whatever else is met (32 CFR 170.24(c)(2)(i)(B)(5))")
    func noSSP() throws {
        var f = try Fixture()
        f.fail("3.12.4")
        let r = try f.score()
        #expect(r.score == nil)
        let all = try Fixture(.notMet).score()
        #expect(all.score == nil)
    }

    @Test("3.5.3 MFA: none → −5, remote and privileged only → −3 (Annex A)")
    func mfa() throws {
        var f = try Fixture()
        f.fail("3.5.3")
        f.assessment.answers["3.5.3"] = RequirementAnswer(mfa: MFAImplementation.none)
        #expect(try f.score().score == 105)
        #expect(try f.score().deductions.first?.reason == .mfaNone)
        f.assessment.answers["3.5.3"] = RequirementAnswer(mfa: .remoteAndPrivilegedOnly)
        #expect(try f.score().score == 107)
        #expect(try f.score().deductions.first?.reason == .mfaPartial)
        f.assessment.answers["3.5.3"] = nil
        #expect(try f.score().score == 105)
    }

    @Test("3.13.11 crypto: none → −5, employed but not FIPS-validated → −3 (Annex A)")
    func fips() throws {
        var f = try Fixture()
        f.fail("3.13.11")
        f.assessment.answers["3.13.11"] = RequirementAnswer(encryption: EncryptionImplementation.none)
        #expect(try f.score().score == 105)
        f.assessment.answers["3.13.11"] = RequirementAnswer(encryption: .notFIPSValidated)
        #expect(try f.score().score == 107)
        #expect(try f.score().deductions.first?.reason == .encryptionNotFIPSValidated)
    }

    @Test("Not permitted deducts nothing for 3.1.12, 3.1.13, 3.1.16, 3.1.17, 3.1.18 only (Methodology §5(i))",
          arguments: ["3.1.12", "3.1.13", "3.1.16", "3.1.17", "3.1.18"])
    func notPermitted(req: String) throws {
        var f = try Fixture()
        f.fail(req)
        #expect(try f.score().score == 105)
        f.assessment.answers[req] = RequirementAnswer(notPermitted: true)
        let r = try f.score()
        #expect(r.score == 110)
        #expect(r.credits == [SPRSCredit(requirement: req, reason: .notPermitted)])
    }

    @Test("'Not permitted' on any other requirement changes nothing")
    func notPermittedElsewhere() throws {
        var f = try Fixture()
        f.fail("3.1.1")
        f.assessment.answers["3.1.1"] = RequirementAnswer(notPermitted: true)
        #expect(try f.score().score == 105)
    }

    @Test("Temporary deficiencies, enduring exceptions and CIO adjudications score as implemented (Methodology §5)",
          arguments: ScoringException.allCases)
    func exceptions(ex: ScoringException) throws {
        var f = try Fixture()
        f.fail("3.13.1")
        f.assessment.answers["3.13.1"] = RequirementAnswer(exception: ex)
        #expect(try f.score().score == 110)
    }

    @Test("A temporary deficiency earns credit only under a dated plan of action on record (32 CFR 170.4 'temporary deficiency', 170.24(c)(2); Methodology §5)")
    func temporaryDeficiencyNeedsPlan() throws {
        var f = try Fixture()
        f.fail("3.13.1", plan: false)
        f.assessment.answers["3.13.1"] = RequirementAnswer(exception: .temporaryDeficiency)
        // No plan of action at all: −5 for 3.13.1, −3 for 3.12.2 (a not-implemented requirement without a plan).
        var r = try f.score()
        #expect(r.score == 102)
        #expect(r.credits.isEmpty)
        #expect(r.deductions.first == SPRSDeduction(requirement: "3.13.1", points: 5, reason: .temporaryDeficiencyWithoutPlan))
        // An undated item is not an operational plan of action.
        f.assessment.poam = [POAMItem(requirement: "3.13.1", weakness: "firewall rule lost in an upgrade")]
        #expect(try f.score().score == 102)
        // A plan already marked completed is not operational while the requirement is still not met.
        f.assessment.poam = [POAMItem(requirement: "3.13.1", weakness: "w", status: .completed, completedOn: Day("2026-11-01"))]
        r = try f.score()
        #expect(r.deductions.first?.reason == .temporaryDeficiencyWithoutPlan)
        // Dated and open: the deficiency scores as implemented.
        f.assessment.poam = [POAMItem(requirement: "3.13.1", weakness: "w", scheduledCompletion: Day("2026-12-15"))]
        r = try f.score()
        #expect(r.score == 110)
        #expect(r.credits == [SPRSCredit(requirement: "3.13.1", reason: .exception(.temporaryDeficiency))])
        // Enduring exceptions and CIO adjudications need no plan of action (Methodology §5).
        for ex in [ScoringException.enduringException, .cioAdjudicated] {
            var g = try Fixture()
            g.fail("3.13.1", plan: false)
            g.assessment.answers["3.13.1"] = RequirementAnswer(exception: ex)
            #expect(try g.score().score == 110)
        }
    }

    @Test("An SSP cannot be 'not applicable': 3.12.4 with every objective N/A gives no score (Methodology §5, Annex A; 32 CFR 170.24(c)(2)(i)(B)(5))")
    func sspNotApplicable() throws {
        var f = try Fixture()
        for o in f.catalog["3.12.4"]!.objectives { f.assessment.findings[o] = Finding(status: .notApplicable) }
        #expect(f.catalog["3.12.4"]!.objectives.count == 8)
        #expect(try f.score().score == nil)
        #expect(try f.cmmc().reasons == [.noScore])
        // One objective N/A among met ones is still an SSP (170.24(b)(3)).
        f.assessment.findings["3.12.4[a]"] = Finding(status: .met)
        #expect(try f.score().score == 110)
    }

    @Test("A POA&M is not credit, and without a dated plan 3.12.2 is not implemented too (Methodology §5)")
    func planOfAction() throws {
        var f = try Fixture()
        f.fail("3.1.8", plan: true)
        #expect(try f.score().score == 109)
        var g = try Fixture()
        g.fail("3.1.8", plan: false)
        let r = try g.score()
        #expect(r.score == 106)
        #expect(r.deductions.last == SPRSDeduction(requirement: "3.12.2", points: 3, reason: .noPlanOfAction(["3.1.8"])))
        // An undated draft item is not a plan of action.
        g.assessment.poam = [POAMItem(requirement: "3.1.8", weakness: "draft")]
        #expect(try g.score().score == 106)
        g.assessment.poam[0].milestones = [Milestone(description: "deploy lockout", due: Day("2027-01-15")!)]
        #expect(try g.score().score == 109)
    }

    @Test("Unanswered objectives score as not implemented and the result says it is incomplete")
    func incomplete() throws {
        var f = try Fixture()
        f.assessment.findings["3.4.7[o]"] = nil
        let r = try f.score()
        #expect(r.score == 105)
        #expect(r.notAssessed == ["3.4.7"])
        #expect(r.deductions.first?.reason == .notAssessed)
        // Unanswered is not "not implemented without a plan": no 3.12.2 deduction for it.
        #expect(!r.deductions.contains { $0.requirement == "3.12.2" })
    }

    @Test("rev3 has no SPRS values: scoring it is a clear error")
    func rev3() throws {
        let f = try Fixture()
        let r3 = try BuiltInLibrary.shared.catalog(.sp800171r3)
        #expect(throws: SPRSScoring.Failure.catalogHasNoSPRSValues(.sp800171r3)) {
            try SPRSScoring.score(f.assessment, catalog: r3)
        }
    }
}

@Suite("CMMC Level 2 status (32 CFR 170.21)")
struct CMMCTests {
    @Test("All met → Final Level 2")
    func final() throws {
        #expect(try Fixture().cmmc().status == .final)
    }

    @Test("Exactly 88 with only 1-point gaps → Conditional, closeout due 180 days later (170.21(a)(2), (b))")
    func exactly88() throws {
        var f = try Fixture(date: "2026-11-27")
        let onePoint = f.catalog.entries.filter { $0.sprs?.value == 1 && $0.sprs?.rule == .standard
            && !CMMCRules.neverOnPOAM.contains($0.id) }.prefix(22)
        for e in onePoint { f.fail(e.id) }
        #expect(try f.score().score == 88)
        #expect(try f.cmmc().status == .conditional(CloseoutDeadline(due: Day("2027-05-26")!, from: Day("2026-11-27")!, basis: .assessmentDateEstimate)))
        #expect(Day("2026-11-27")!.adding(days: 180) == Day("2027-05-26")!)
        // One more 1-point gap → 87 → not eligible.
        let next = f.catalog.entries.filter { $0.sprs?.value == 1 && !CMMCRules.neverOnPOAM.contains($0.id) }
            .first { e in !onePoint.contains { $0.id == e.id } }!
        f.fail(next.id)
        #expect(try f.cmmc().reasons == [.scoreBelowThreshold(87)])
    }

    @Test("The 180-day closeout counts from the date the results are posted; until that is recorded, from the assessment date, as an estimate (32 CFR 170.21(b))")
    func closeoutFromPosting() throws {
        var f = try Fixture(date: "2026-11-27")
        f.fail("3.1.8")
        let estimate = CloseoutDeadline(due: Day("2027-05-26")!, from: Day("2026-11-27")!, basis: .assessmentDateEstimate)
        #expect(try f.cmmc().status == .conditional(estimate))
        #expect(estimate.isEstimate)
        #expect(estimate.text(.en).contains("estimate:"))
        #expect(estimate.text(.ja).contains("見込み:"))
        f.assessment.resultsPostedOn = Day("2026-12-10")
        let posted = CloseoutDeadline(due: Day("2027-06-08")!, from: Day("2026-12-10")!, basis: .resultsPosted)
        #expect(try f.cmmc().status == .conditional(posted))
        #expect(!posted.isEstimate)
        #expect(!posted.text(.en).contains("estimate:"))
        #expect(!posted.text(.ja).contains("見込み:"))
        // A posting date before the assessment date is refused wherever it is entered.
        #expect(CMMCRules.postingProblem(Day("2026-11-26")!, assessed: Day("2026-11-27")!, today: Day("2026-12-31")!) != nil)
        #expect(CMMCRules.postingProblem(Day("2027-01-02")!, assessed: Day("2026-11-27")!, today: Day("2026-12-31")!) != nil)
        // Tomorrow is refused: `today` is the organization's own day, so no slack for time zones.
        #expect(CMMCRules.postingProblem(Day("2027-01-01")!, assessed: Day("2026-11-27")!, today: Day("2026-12-31")!) != nil)
        #expect(CMMCRules.postingProblem(Day("2026-12-31")!, assessed: Day("2026-11-27")!, today: Day("2026-12-31")!) == nil)
        #expect(CMMCRules.postingProblem(Day("2026-11-27")!, assessed: Day("2026-11-27")!, today: Day("2026-12-31")!) == nil)
    }

    @Test("A 3-point requirement on the POA&M → not eligible (170.21(a)(2)(ii))")
    func threePoint() throws {
        var f = try Fixture()
        f.fail("3.1.5")
        #expect(try f.score().score == 107)
        #expect(try f.cmmc().reasons == [.valueTooHigh(requirement: "3.1.5", points: 3)])
        #expect(try f.cmmc().status == .notEligible)
    }

    @Test("3.13.11 partial (not FIPS-validated) may be on the POA&M; 3.13.11 with no encryption may not")
    func fipsException() throws {
        var f = try Fixture()
        f.fail("3.13.11")
        f.assessment.answers["3.13.11"] = RequirementAnswer(encryption: .notFIPSValidated)
        #expect(try f.cmmc().status == .conditional(CloseoutDeadline(due: f.assessment.date.adding(days: 180), from: f.assessment.date, basis: .assessmentDateEstimate)))
        f.assessment.answers["3.13.11"] = RequirementAnswer(encryption: EncryptionImplementation.none)
        #expect(try f.cmmc().reasons == [.valueTooHigh(requirement: "3.13.11", points: 5)])
        // 3.5.3 partial is worth 3 and has no such exception.
        var g = try Fixture()
        g.fail("3.5.3")
        g.assessment.answers["3.5.3"] = RequirementAnswer(mfa: .remoteAndPrivilegedOnly)
        #expect(try g.cmmc().reasons == [.valueTooHigh(requirement: "3.5.3", points: 3)])
    }

    @Test("Excluded requirements are never on a POA&M, even at 1 point (170.21(a)(2)(iii))",
          arguments: ["3.1.20", "3.1.22", "3.10.3", "3.10.4", "3.10.5"])
    func excluded(req: String) throws {
        var f = try Fixture()
        f.fail(req)
        #expect(try f.score().score == 109)
        #expect(try f.cmmc().reasons == [.excludedFromPOAM(req)])
    }

    @Test("No SSP → not eligible: 3.12.4 cannot be on a POA&M and no score exists")
    func noSSP() throws {
        var f = try Fixture()
        f.fail("3.12.4")
        #expect(try f.cmmc().reasons == [.noScore])
    }

    @Test("An incomplete assessment cannot reach a status")
    func incomplete() throws {
        var f = try Fixture()
        f.assessment.findings["3.1.8[a]"] = nil
        #expect(try f.cmmc().status == .notEligible)
        #expect(try f.cmmc().reasons.first == .incomplete(["3.1.8"]))
    }

    @Test("Missing plan of action makes 3.12.2 (3 points) a gap, which blocks Conditional status")
    func missingPlan() throws {
        var f = try Fixture()
        f.fail("3.1.8", plan: false)
        #expect(try f.cmmc().reasons == [.valueTooHigh(requirement: "3.12.2", points: 3)])
    }
}
