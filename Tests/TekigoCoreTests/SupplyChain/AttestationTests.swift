import Testing
@testable import TekigoCore

@Suite("Attestation payload: builder, validation, canonical bytes, validity")
struct AttestationTests {
    // MARK: Builder

    @Test("All 110 requirements met: score 110, Final Level 2, 14 families (AC 22, SC 16), valid 3 years (DFARS 252.204-7019(b))")
    func builderAllMet() throws {
        let p = try SCAssessmentFixture().payload()
        #expect(p.sprsScore == 110)
        #expect(p.cmmcStatus == "final")
        #expect(p.cmmcCloseoutDue == nil)
        #expect(p.totals == RequirementCounts(met: 110))
        #expect(p.families?.count == 14)
        #expect(p.families?.first { $0.family == "3.1" }?.met == 22)
        #expect(p.families?.first { $0.family == "3.13" }?.met == 16)
        #expect(p.expiresAt == scDay("2029-11-27"))
        #expect(p.issuedAt == "2026-11-27T00:00:00Z")
        #expect(p.organization == AttestedOrganization(id: "kanto", name: "Kanto Precision 株式会社",
                                                       cageCodes: ["1ABC2", "0XYZ9"], uei: "ABCDEFGH1234",
                                                       corporateNumber: "7000012050002"))
        #expect(p.systemScope == "Design network")
        #expect(p.assessmentKind == .basic)
        // Methodology Annex B: the date 110 is expected — already reached on the assessment date.
        #expect(p.poamCompletionDate == scDay("2026-11-27"))
        let summary = try SCAssessmentFixture().payload(detail: .summary)
        #expect(summary.families == nil)
        #expect(summary.totals == p.totals)
    }

    @Test("A 5-point gap: 105 (Annex A), not eligible for Conditional Level 2 (32 CFR 170.21(a)(2)(ii)), family 3.1 failing")
    func builderFivePointGap() throws {
        var f = try SCAssessmentFixture()
        f.fail("3.1.1")
        let p = try f.payload()
        #expect(p.sprsScore == 105)
        #expect(p.cmmcStatus == "not-eligible")
        #expect(p.totals == RequirementCounts(met: 109, notMet: 1))
        let ac = try #require(p.families?.first { $0.family == "3.1" })
        #expect(ac.notMet == 1 && ac.met == 21 && ac.isFailing)
        #expect(p.families?.filter(\.isFailing).count == 1)
        #expect(p.poamCompletionDate == scDay("2027-03-01"))
    }

    @Test("A 1-point gap under a plan: 109, Conditional Level 2 with closeout 180 days after the status date (32 CFR 170.21(b))")
    func builderConditional() throws {
        var f = try SCAssessmentFixture()
        f.fail("3.1.3")
        let p = try f.payload()
        #expect(p.sprsScore == 109)
        #expect(p.cmmcStatus == "conditional")
        #expect(p.cmmcCloseoutDue == scDay("2027-05-26"))
    }

    @Test("Objectives assessed N/A count as met (32 CFR 170.24(b)(3)); no SSP means no score (170.24(c)(2)(i)(B)(5))")
    func builderNAAndNoSSP() throws {
        var f = try SCAssessmentFixture()
        for o in f.catalog["3.1.12"]!.assessmentObjectives { f.assessment.findings[o] = Finding(status: .notApplicable) }
        var p = try f.payload()
        #expect(p.totals == RequirementCounts(met: 109, notApplicable: 1))
        #expect(p.totals.allMet)
        #expect(p.sprsScore == 110)

        f.assessment.findings[f.catalog["3.12.4"]!.assessmentObjectives[0]] = Finding(status: .notMet)
        p = try f.payload()
        #expect(p.sprsScore == nil)
        #expect(p.cmmcStatus == "not-eligible")
    }

    @Test("A catalog without SPRS values (rev3) gives no score and no CMMC status")
    func builderRev3() throws {
        let catalog = try BuiltInLibrary.shared.catalog(.sp800171r3)
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs { findings[o] = Finding(status: .met) }
        let a = Assessment(organization: Organization(name: "Rev3 Works"), system: SystemProfile(name: "Lab"),
                           catalog: .sp800171r3, date: scDay("2026-11-27"), findings: findings)
        let p = try AttestationBuilder.payload(id: "r3", issuedAt: a.date.date, organizationID: "r3", assessment: a,
                                               catalog: catalog, detail: .families)
        #expect(p.sprsScore == nil)
        #expect(p.cmmcStatus == nil)
        #expect(p.totals.met == catalog.entries.count)
        #expect(p.families?.count == 17)
    }

    @Test("The builder refuses a catalog that is not the assessment's, and malformed identifiers")
    func builderRefuses() throws {
        var f = try SCAssessmentFixture()
        let r3 = try BuiltInLibrary.shared.catalog(.sp800171r3)
        #expect(throws: SupplyChainError.catalogMismatch(assessment: .sp800171r2, catalog: .sp800171r3)) {
            try AttestationBuilder.payload(id: "x", issuedAt: f.assessment.date.date, organizationID: "kanto",
                                           assessment: f.assessment, catalog: r3)
        }
        f.assessment.organization.cageCodes = ["1abc2"]
        #expect(throws: SupplyChainError.invalidCAGECode("1abc2")) { try f.payload() }
        f.assessment.organization.cageCodes = []
        f.assessment.organization.corporateNumber = "8000012050002"
        #expect(throws: SupplyChainError.corporateNumberCheckDigit("8000012050002", expected: 7)) { try f.payload() }
    }

    @Test("DFARS 252.204-7019(b): a shorter term may be set, never a longer one; a leap-day assessment ends 28 February")
    func expiryTerm() throws {
        let f = try SCAssessmentFixture()
        #expect(try f.payload(expiresAt: scDay("2027-11-27")).expiresAt == scDay("2027-11-27"))
        #expect(try f.payload(expiresAt: scDay("2029-11-27")).expiresAt == scDay("2029-11-27"))
        #expect(throws: SupplyChainError.expiryBeyondThreeYears(expiresAt: scDay("2029-11-28"), limit: scDay("2029-11-27"))) {
            try f.payload(expiresAt: scDay("2029-11-28"))
        }
        #expect(throws: SupplyChainError.expiryBeforeAssessment(expiresAt: scDay("2026-11-26"), assessed: scDay("2026-11-27"))) {
            try f.payload(expiresAt: scDay("2026-11-26"))
        }
        let leap = try SCAssessmentFixture(date: "2024-02-29").payload()
        #expect(leap.expiresAt == scDay("2027-02-28"))
    }

    // MARK: Validation

    @Test("Validation names what is wrong")
    func validation() throws {
        let good = try SCAssessmentFixture().payload()
        var p = good
        p.formatVersion = 2
        #expect(throws: SupplyChainError.unsupportedFormatVersion(2)) { try p.validate() }
        p = good; p.id = " "
        #expect(throws: SupplyChainError.emptyAttestationID) { try p.validate() }
        p = good; p.issuedAt = "27 Nov 2026"
        #expect(throws: SupplyChainError.invalidIssuedAt("27 Nov 2026")) { try p.validate() }
        p = good; p.issuedAt = "2026-11-25T23:00:00Z"
        #expect(throws: SupplyChainError.issuedBeforeAssessment(issued: "2026-11-25T23:00:00Z", assessed: scDay("2026-11-27"))) {
            try p.validate()
        }
        // 2026-11-26T20:00Z is already 27 November in Japan (UTC+9): the assessment may have taken place.
        p = good; p.issuedAt = "2026-11-26T20:00:00Z"
        try p.validate()
        p = good; p.supersedes = good.id
        #expect(throws: SupplyChainError.supersedesItself(good.id)) { try p.validate() }
        p = good; p.detailLevel = .summary
        #expect(throws: SupplyChainError.detailLevelMismatch(.summary)) { try p.validate() }
        p = good; p.cmmcStatus = "provisional"
        #expect(throws: SupplyChainError.unknownCMMCStatus("provisional")) { try p.validate() }
        p = good; p.cmmcStatus = "conditional"
        #expect(throws: SupplyChainError.cmmcCloseoutMismatch(status: "conditional")) { try p.validate() }
        p = good; p.sprsScore = 111
        #expect(throws: SupplyChainError.scoreOutOfRange(111)) { try p.validate() }
        p = good; p.families![0].met -= 1
        #expect(throws: SupplyChainError.familyTotalsMismatch) { try p.validate() }
        p = good; p.totals.notMet = -1
        #expect(throws: SupplyChainError.negativeCount("totals.notMet")) { try p.validate() }
        p = good; p.systemScope = ""
        #expect(throws: SupplyChainError.emptySystemScope) { try p.validate() }
        p = good; p.organization.uei = "ABC"
        #expect(throws: SupplyChainError.invalidUEI("ABC")) { try p.validate() }
    }

    // MARK: Canonical bytes

    @Test("Canonical bytes: keys sorted at every level, no white space, the same bytes every time")
    func canonicalSorted() throws {
        let p = try SCAssessmentFixture().payload()
        let text = String(decoding: try p.canonicalBytes(), as: UTF8.self)
        #expect(try p.canonicalBytes() == p.canonicalBytes())
        #expect(try SCAssessmentFixture().payload().canonicalBytes() == p.canonicalBytes())
        #expect(text.hasPrefix(#"{"assessmentDate":"2026-11-27","assessmentKind":"basic","catalog":"sp800-171r2","cmmcStatus":"final","detailLevel":"families","expiresAt":"2029-11-27","families":[{"family":"3.1","met":22,"notApplicable":0,"notAssessed":0,"notMet":0},{"family":"3.2","#))
        #expect(text.hasSuffix(#""sprsScore":110,"systemScope":"Design network","totals":{"met":110,"notApplicable":0,"notAssessed":0,"notMet":0}}"#))
        #expect(text.contains(#""organization":{"cageCodes":["0XYZ9","1ABC2"],"corporateNumber":"7000012050002","id":"kanto","name":"Kanto Precision 株式会社","uei":"ABCDEFGH1234"}"#))
        let topLevel = ["assessmentDate", "assessmentKind", "catalog", "cmmcStatus", "detailLevel", "expiresAt", "families",
                        "formatVersion", "id", "issuedAt", "organization", "poamCompletionDate", "sprsScore",
                        "systemScope", "totals"]
        let positions = topLevel.compactMap { key in text.firstRange(of: "\"\(key)\":").map { text.distance(from: text.startIndex, to: $0.lowerBound) } }
        #expect(positions.count == topLevel.count)
        #expect(positions == positions.sorted())
        #expect(!text.contains(" :") && !text.contains(", ") && !text.contains("\n"))
        // Families in natural order: 3.9 before 3.10.
        #expect(text.firstRange(of: #""family":"3.9""#)!.lowerBound < text.firstRange(of: #""family":"3.10""#)!.lowerBound)
    }

    @Test("Canonical bytes do not depend on key order, white space, or the order of CAGE codes and families")
    func canonicalOrderIndependent() throws {
        let p = try SCAssessmentFixture().payload()
        let reference = try p.canonicalBytes()
        var rng = SCRandom(seed: 42)
        for _ in 0..<10 {
            let json = SCJSON.payload(p, shuffledWith: &rng)
            let decoded = try AttestationPayload.decode(json.utf8)
            #expect(try decoded.canonicalBytes() == reference)
        }
    }

    @Test("Slashes are not escaped, non-ASCII is plain UTF-8, control characters and quotes are escaped")
    func canonicalEscaping() throws {
        var p = try SCAssessmentFixture().payload()
        p.systemScope = "CAD/CAM \"line 1\"\nline 2\ttab \u{1}"
        let text = String(decoding: try p.canonicalBytes(), as: UTF8.self)
        #expect(text.contains(#""systemScope":"CAD/CAM \"line 1\"\nline 2\ttab \u0001""#))
        #expect(text.contains("株式会社"))
        #expect(!text.contains(#"\/"#))
        // The canonical bytes read back to the same payload.
        let back = try AttestationPayload.decode(try p.canonicalBytes())
        #expect(back.systemScope == p.systemScope)
        #expect(try back.canonicalBytes() == p.canonicalBytes())
    }

    @Test("Any change to the content changes the bytes; an invalid payload has no canonical bytes")
    func canonicalSensitive() throws {
        let p = try SCAssessmentFixture().payload()
        let reference = try p.canonicalBytes()
        var changes: [AttestationPayload] = []
        var q = p; q.sprsScore = 109; changes.append(q)
        q = p; q.id = "att-2"; changes.append(q)
        q = p; q.expiresAt = scDay("2029-11-26"); changes.append(q)
        q = p; q.supersedes = "att-0"; changes.append(q)
        q = p; q.organization.name = "Kanto Precision"; changes.append(q)
        for c in changes { #expect(try c.canonicalBytes() != reference) }
        q = p; q.sprsScore = 200
        #expect(throws: SupplyChainError.scoreOutOfRange(200)) { try q.canonicalBytes() }
    }

    // MARK: Validity

    @Test("DFARS 252.204-7019(b): not more than 3 years old — current on the expiry day, expired the day after")
    func expiryBoundary() throws {
        let p = try SCAssessmentFixture().payload()
        #expect(p.validity(at: scDay("2029-11-27")) == .expiring)
        #expect(p.validity(at: scDay("2029-11-27")).isInForce)
        #expect(p.validity(at: scDay("2029-11-28")) == .expired)
        #expect(p.daysUntilExpiry(at: scDay("2029-11-28")) == -1)
    }

    @Test("Expiring within 90 days of expiry: 29 August 2029 is 90 days before 27 November (expiring), 28 August is not")
    func ninetyDays() throws {
        let p = try SCAssessmentFixture().payload()
        #expect(p.daysUntilExpiry(at: scDay("2029-08-29")) == 90)
        #expect(p.validity(at: scDay("2029-08-29")) == .expiring)
        #expect(p.validity(at: scDay("2029-08-28")) == .current)
        #expect(p.validity(at: scDay("2026-11-27")) == .current)
    }

    @Test("Superseded once a later attestation of the same organization naming it has been issued; others are ignored")
    func superseded() throws {
        let old = try SCAssessmentFixture().payload(id: "att-1")
        let newer = try SCAssessmentFixture(date: "2027-06-01").payload(id: "att-2", supersedes: "att-1")
        #expect(old.validity(at: scDay("2027-05-31"), among: [newer]) == .current)
        #expect(old.validity(at: scDay("2027-06-01"), among: [newer]) == .superseded)
        // Superseded outranks expired.
        #expect(old.validity(at: scDay("2030-01-01"), among: [newer]) == .superseded)
        #expect(newer.validity(at: scDay("2027-06-01"), among: [old, newer]) == .current)
        var stranger = newer
        stranger.organization.id = "someone-else"
        #expect(old.validity(at: scDay("2027-06-01"), among: [stranger]) == .current)
    }
}

/// Writes an attestation as JSON by hand, keys in a random order and with white space, to show canonical bytes do
/// not depend on how the JSON was laid out. Independent of the code under test.
enum SCJSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    static func object(_ members: [(String, String)], _ rng: inout SCRandom) -> String {
        "{\n  " + members.shuffled(using: &rng).map { "\(string($0.0)) : \($0.1)" }.joined(separator: ",\n  ") + "\n}"
    }

    static func counts(_ c: RequirementCounts) -> [(String, String)] {
        [("met", "\(c.met)"), ("notMet", "\(c.notMet)"), ("notApplicable", "\(c.notApplicable)"),
         ("notAssessed", "\(c.notAssessed)")]
    }

    static func payload(_ p: AttestationPayload, shuffledWith rng: inout SCRandom) -> String {
        var org: [(String, String)] = [("id", string(p.organization.id)), ("name", string(p.organization.name)),
                                       ("cageCodes", "[" + p.organization.cageCodes.shuffled(using: &rng).map(string).joined(separator: ", ") + "]")]
        if let u = p.organization.uei { org.append(("uei", string(u))) }
        if let c = p.organization.corporateNumber { org.append(("corporateNumber", string(c))) }
        var members: [(String, String)] = [
            ("formatVersion", "\(p.formatVersion)"), ("id", string(p.id)), ("issuedAt", string(p.issuedAt)),
            ("organization", object(org, &rng)), ("systemScope", string(p.systemScope)),
            ("assessmentKind", string(p.assessmentKind.rawValue)), ("assessmentDate", string(p.assessmentDate.description)),
            ("catalog", string(p.catalog.rawValue)), ("detailLevel", string(p.detailLevel.rawValue)),
            ("expiresAt", string(p.expiresAt.description)), ("totals", object(counts(p.totals), &rng)),
        ]
        if let s = p.sprsScore { members.append(("sprsScore", "\(s)")) }
        if let s = p.cmmcStatus { members.append(("cmmcStatus", string(s))) }
        if let d = p.cmmcCloseoutDue { members.append(("cmmcCloseoutDue", string(d.description))) }
        if let d = p.poamCompletionDate { members.append(("poamCompletionDate", string(d.description))) }
        if let s = p.supersedes { members.append(("supersedes", string(s))) }
        if let fams = p.families {
            let items = fams.shuffled(using: &rng).map { f in object([("family", string(f.family))] + counts(f.counts), &rng) }
            members.append(("families", "[" + items.joined(separator: ",") + "]"))
        }
        return object(members, &rng)
    }
}
