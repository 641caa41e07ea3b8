import Foundation
import Testing
@testable import TekigoCore

/// The rules of the cloud services an organization uses (issue 15 item 3), pure: each test names the rule it checks.
@Suite("Cloud service rules")
struct CloudServiceRulesTests {
    func day(_ s: String) -> Day { Day(s)! }
    let today = Day("2026-12-06")!
    var allCommitments: [CloudCommitment] {
        CloudCommitmentKind.allCases.map { CloudCommitment(kind: $0, committed: true, evidence: "MSA §12") }
    }
    func fedramp(_ status: String, _ level: String) -> CloudRegistryStanding { .fedramp(status: status, impactLevel: level, annualAssessment: "09/30") }

    var fullChecklist: EquivalencyChecklist {
        EquivalencyChecklist(documents: Dictionary(uniqueKeysWithValues: EquivalencyDocument.allCases.map { ($0, "evidence:\($0.rawValue)") }),
                             assessor: "Example 3PAO", assessorRecognized: true, baselineAssessedPercent: 100,
                             lastAnnualAssessment: day("2026-03-01"), openPOAMItems: [])
    }

    func dfars(_ registry: CloudRegistryStanding, evaluations: [CloudEvaluationFacts] = [], commitments: [CloudCommitment]? = nil,
               information: CloudInformation = .cui) -> CloudRegimeVerdict {
        CloudServiceRules.verdict(regime: .dfars7012, information: information, registry: registry, evaluations: evaluations,
                                  commitments: commitments ?? allCommitments, today: today)
    }

    @Test("Regime: CUI → DFARS 252.204-7012, 保護すべき情報 → Japan (ISMAP or documented), none → nothing; a chosen regime wins")
    func regimes() {
        #expect(CloudServiceRules.regimes(information: .cui, chosen: []) == [.dfars7012])
        #expect(CloudServiceRules.regimes(information: .protected, chosen: []) == [.japan])
        #expect(CloudServiceRules.regimes(information: .none, chosen: []) == [])
        #expect(CloudServiceRules.regimes(information: .cui, chosen: [.japan, .dfars7012]) == [.dfars7012, .japan])
    }

    @Test("DFARS 7012(b)(2)(ii)(D): FedRAMP Authorized at Moderate or High satisfies, with (c)–(g) evidenced",
          arguments: ["Moderate", "High"])
    func authorizedModerateOrHigh(level: String) {
        let v = dfars(fedramp("FedRAMP Authorized", level))
        #expect(v.satisfied && v.basis == .fedrampAuthorized && v.missing.isEmpty)
    }

    @Test("DFARS 7012(b)(2)(ii)(D): '20x Moderate' Authorized counts as FedRAMP Moderate, with a note saying it is the 20x pilot")
    func twentyXModerate() {
        let v = dfars(fedramp("FedRAMP Authorized", "20x Moderate"))
        #expect(v.satisfied && v.basis == .fedrampAuthorized)
        #expect(v.notes.contains { $0.en.contains("20x") && $0.ja.contains("20x") })
    }

    @Test("DFARS 7012(b)(2)(ii)(D): Low, LI-SaaS and 20x Low are below the Moderate baseline — not satisfied, equivalency asked",
          arguments: ["Low", "LI-SaaS", "20x Low"])
    func belowModerate(level: String) {
        let v = dfars(fedramp("FedRAMP Authorized", level))
        #expect(!v.satisfied && v.basis == .none)
        #expect(v.missing.first?.en.contains("below the Moderate baseline") == true)
    }

    @Test("DFARS 7012(b)(2)(ii)(D): 'FedRAMP Moderate authorized' is one rule — the product, the alert rule's standing and the service verdict agree on every status and level the Marketplace prints (and unknown ones)")
    func moderateRuleReadOnce() {
        let statuses = FedRAMPStatus.allCases.map(\.rawValue) + ["FedRAMP authorized", ""]
        let levels = FedRAMPImpactLevel.allCases.map(\.rawValue) + ["moderate", "Moderate ", "6", ""]
        var authorized: [String] = []
        for status in statuses {
            for level in levels {
                let rule = FedRAMPProduct.isAuthorizedModerateOrAbove(status: status, impactLevel: level)
                let product = FedRAMPProduct(packageID: "FR1", csp: "c", cso: "o", status: status, impactLevel: level)
                #expect(product.isAuthorizedModerateOrAbove == rule, "\(status) / \(level)")
                #expect(CloudMarketplaceStanding(status: status, impactLevel: level).meetsModerate == rule, "\(status) / \(level)")
                #expect((dfars(fedramp(status, level)).basis == .fedrampAuthorized) == rule, "\(status) / \(level)")
                if rule { authorized.append(level) }
            }
        }
        #expect(authorized == ["Moderate", "High", "20x Moderate"])
    }

    @Test("DFARS 7012(b)(2)(ii)(D): Ready, In Process and Agency In Process are not authorizations",
          arguments: ["FedRAMP Ready", "FedRAMP In Process", "Agency In Process"])
    func notAuthorized(status: String) {
        for level in ["Moderate", "High"] {
            #expect(!dfars(fedramp(status, level)).satisfied)
        }
    }

    @Test("DFARS 7012(b)(2)(ii)(D): not in the registry is said plainly; an ISMAP registration is not FedRAMP")
    func notInRegistry() {
        let v = dfars(.notInRegistry)
        #expect(!v.satisfied && v.missing[0].en.contains("Not in the FedRAMP Marketplace"))
        let i = dfars(.ismap(lowImpactUse: false, validFrom: day("2026-01-01"), validThrough: day("2027-04-30")))
        #expect(!i.satisfied && i.missing[0].en.contains("ISMAP registration is not FedRAMP"))
    }

    @Test("DFARS 7012(b)(2)(ii)(D)–(g): each of (c)–(g) without contract evidence is missing, even for an authorized provider")
    func commitments() {
        var c = allCommitments
        c[2].evidence = "  "
        c[4].committed = false
        let v = dfars(fedramp("FedRAMP Authorized", "Moderate"), commitments: c)
        #expect(!v.satisfied && v.basis == .fedrampAuthorized)
        #expect(v.missing.map(\.en) == [CloudCommitmentKind.mediaPreservation, .damageAssessment].map { "\($0.label.en): no contract evidence recorded." })
        #expect(CloudCommitmentKind.allCases.map(\.paragraph) == ["(c)", "(d)", "(e)", "(f)", "(g)"])
    }

    @Test("DoD equivalency (memo 2023-12-21): a complete body of evidence judged 'meets' satisfies DFARS 7012 for a service not in the registry")
    func equivalencyMeets() {
        let e = CloudEvaluationFacts(regime: .dfars7012, method: .equivalency, meets: true, ruleSetVersion: EquivalencyRuleSet.dodMemo2023.id,
                                     checklist: fullChecklist, evaluatedOn: day("2026-11-01"))
        let v = dfars(.notInRegistry, evaluations: [e])
        #expect(v.satisfied && v.basis == .equivalency && v.missing.isEmpty)
    }

    @Test("DoD equivalency: each body-of-evidence item missing is named — documents, recognized 3PAO, 100 % of the baseline, annual assessment")
    func equivalencyGaps() {
        var c = fullChecklist
        c.documents[.sap] = ""
        c.documents[.crm] = nil
        c.assessorRecognized = false
        c.baselineAssessedPercent = 92
        c.lastAnnualAssessment = day("2025-11-30")
        let gaps = EquivalencyRuleSet.dodMemo2023.gaps(c, today: today)
        #expect(gaps == [.missingDocument(.sap), .missingDocument(.crm), .assessorNotRecognized("Example 3PAO"),
                         .baselineNotFullyAssessed(percent: 92, required: 100),
                         .annualAssessmentOverdue(last: day("2025-11-30"), due: day("2026-11-30"))])
        c.lastAnnualAssessment = nil
        #expect(EquivalencyRuleSet.dodMemo2023.gaps(c, today: today).contains(.annualAssessmentMissing))
        let e = CloudEvaluationFacts(regime: .dfars7012, method: .equivalency, meets: true, ruleSetVersion: EquivalencyRuleSet.dodMemo2023.id,
                                     checklist: c, evaluatedOn: day("2026-11-01"))
        #expect(!dfars(.notInRegistry, evaluations: [e]).satisfied)
    }

    @Test("Versioned rule sets (standards-facts §9.3): an open operational moderate POA&M item fails the 2023-12-21 memo but passes the later FAQ within 90 days")
    func versionsDisagree() {
        var c = fullChecklist
        c.openPOAMItems = [OpenPOAMItem(origin: .operational, severity: .moderate, identifiedOn: day("2026-10-01"), label: "scan finding")]
        #expect(EquivalencyRuleSet.dodMemo2023.gaps(c, today: today) == [.openItemNotAllowed(c.openPOAMItems[0])])
        #expect(EquivalencyRuleSet.dodFAQ2024.gaps(c, today: today).isEmpty)
        // The same evidence, two decisions: each is judged against the version it stored.
        let memo = CloudEvaluationFacts(regime: .dfars7012, method: .equivalency, meets: true, ruleSetVersion: EquivalencyRuleSet.dodMemo2023.id,
                                        checklist: c, evaluatedOn: day("2026-11-01"))
        var faq = memo
        faq.ruleSetVersion = EquivalencyRuleSet.dodFAQ2024.id
        #expect(!dfars(.notInRegistry, evaluations: [memo]).satisfied)
        #expect(dfars(.notInRegistry, evaluations: [faq]).satisfied)
        // Past 90 days the FAQ fails it too; an open assessment finding fails both.
        #expect(EquivalencyRuleSet.dodFAQ2024.gaps(c, today: day("2027-01-15")) == [.openItemTooLong(c.openPOAMItems[0], daysOpen: 106, limit: 90)])
        c.openPOAMItems[0].origin = .assessment
        #expect(EquivalencyRuleSet.dodFAQ2024.gaps(c, today: today) == [.openItemNotAllowed(c.openPOAMItems[0])])
    }

    @Test("Versioned rule sets: a decision keeps its version — lookup by the stored id, the newest offered for new decisions, an unknown id refused")
    func versionLookup() {
        #expect(EquivalencyRuleSet.version("dod-cio-memo-2023-12-21") == .dodMemo2023)
        #expect(EquivalencyRuleSet.current == .dodFAQ2024)
        #expect(Set(EquivalencyRuleSet.all.map(\.id)).count == EquivalencyRuleSet.all.count)
        let e = CloudEvaluationFacts(regime: .dfars7012, method: .equivalency, meets: true, ruleSetVersion: "no-such-version",
                                     checklist: fullChecklist, evaluatedOn: day("2026-11-01"))
        let v = dfars(.notInRegistry, evaluations: [e])
        #expect(!v.satisfied && v.missing.contains { $0.en.contains("no known rule set version") })
    }

    @Test("Japan (§5.2, §9.3): the ISMAP rule is one — the verdict stands on the registration exactly when CloudServiceRules.ismapStands says so (validity, ISMAP-LIU only without information to protect), on the first and last valid days and either side")
    func ismapRuleReadOnce() {
        let period = ISMAPValidity.period(auditPeriodEnd: day("2025-10-31"))
        #expect(period.validFrom == day("2025-11-01") && period.validThrough == day("2027-02-28"))
        let days = [day("2025-10-31"), period.validFrom, period.validThrough, day("2027-03-01")]
        for liu in [false, true] {
            for info in CloudInformation.allCases {
                for d in days {
                    let stands = CloudServiceRules.ismapStands(lowImpactUse: liu, validFrom: period.validFrom, validThrough: period.validThrough,
                                                                information: info, on: d)
                    let v = CloudServiceRules.verdict(regime: .japan, information: info,
                                                      registry: .ismap(lowImpactUse: liu, validFrom: period.validFrom, validThrough: period.validThrough),
                                                      evaluations: [], commitments: [], today: d)
                    #expect((v.basis == .ismapRegistered) == stands, "LIU \(liu), \(info), \(d)")
                    #expect(stands == (period.isValid(on: d) && (!liu || info == .none)), "LIU \(liu), \(info), \(d)")
                }
            }
        }
    }

    @Test("Japan (§5.2, §9.3): ISMAP registration valid on the day satisfies; expired or not yet valid does not")
    func ismap() {
        func japan(_ r: CloudRegistryStanding, _ info: CloudInformation = .protected, _ evals: [CloudEvaluationFacts] = []) -> CloudRegimeVerdict {
            CloudServiceRules.verdict(regime: .japan, information: info, registry: r, evaluations: evals, commitments: [], today: today)
        }
        let valid = CloudRegistryStanding.ismap(lowImpactUse: false, validFrom: day("2026-01-01"), validThrough: day("2027-04-30"))
        #expect(japan(valid).satisfied && japan(valid).basis == .ismapRegistered)
        let expired = CloudRegistryStanding.ismap(lowImpactUse: false, validFrom: day("2025-01-01"), validThrough: day("2026-04-30"))
        #expect(!japan(expired).satisfied && japan(expired).missing[0].en.contains("expired on 2026-04-30"))
        // ISMAP-LIU: low-impact use only — never for 保護すべき情報.
        let liu = CloudRegistryStanding.ismap(lowImpactUse: true, validFrom: day("2026-01-01"), validThrough: day("2027-04-30"))
        #expect(!japan(liu).satisfied && japan(liu).missing[0].ja.contains("ISMAP-LIU"))
        #expect(japan(liu, .none).satisfied)
        // A documented evaluation deciding "meets" is the alternative; "does not meet" is said.
        let doc = CloudEvaluationFacts(regime: .japan, method: .documented, meets: true, evaluatedOn: day("2026-11-01"))
        #expect(japan(.notInRegistry, .protected, [doc]).basis == .documentedEvaluation)
        var no = doc
        no.meets = false
        #expect(!japan(.notInRegistry, .protected, [no]).satisfied)
        #expect(japan(.notInRegistry).missing.map(\.en) == ["Not on the ISMAP or ISMAP-LIU list in the registry.", "No documented evaluation is recorded."])
    }

    @Test("Reminders: ISMAP expiring at 60 and 30 days (tightest only) and expired, each key once")
    func ismapReminders() {
        let r = CloudRegistryStanding.ismap(lowImpactUse: false, validFrom: day("2025-09-01"), validThrough: day("2026-12-31"))
        func kinds(_ d: String) -> [String] {
            CloudServiceReminderSchedule.reminders(serviceID: "s1", name: "Box", registry: r, equivalency: nil, today: day(d)).map(\.key)
        }
        #expect(kinds("2026-10-01").isEmpty)
        #expect(kinds("2026-11-01") == ["cloud/s1/ismap/2026-12-31/60"])
        #expect(kinds("2026-12-06") == ["cloud/s1/ismap/2026-12-31/30"])
        #expect(kinds("2027-01-01") == ["cloud/s1/ismap/2026-12-31/expired"])
    }

    @Test("Reminders: annual assessment due within 30 days from the Marketplace's MM/DD or full date, and from the equivalency (overdue after 12 months)")
    func annualReminders() {
        #expect(CloudServiceReminderSchedule.nextAnnualAssessment(published: "12/1", today: today) == day("2027-12-01"))
        #expect(CloudServiceReminderSchedule.nextAnnualAssessment(published: "12/20", today: today) == day("2026-12-20"))
        #expect(CloudServiceReminderSchedule.nextAnnualAssessment(published: "2024-03-17T20:00:00.000Z", today: today) == day("2027-03-17"))
        #expect(CloudServiceReminderSchedule.nextAnnualAssessment(published: "soon", today: today) == nil)
        let soon = CloudServiceReminderSchedule.reminders(serviceID: "s1", name: "X", registry: .fedramp(status: "FedRAMP Authorized", impactLevel: "Moderate", annualAssessment: "12/20"),
                                                          equivalency: nil, today: today)
        #expect(soon.map(\.kind) == [.annualAssessmentDue] && soon[0].key == "cloud/s1/annual/2026-12-20")
        var c = fullChecklist
        c.lastAnnualAssessment = day("2025-12-20")
        let e = CloudEvaluationFacts(regime: .dfars7012, method: .equivalency, meets: true, ruleSetVersion: EquivalencyRuleSet.dodMemo2023.id,
                                     checklist: c, evaluatedOn: day("2026-01-10"))
        #expect(CloudServiceReminderSchedule.reminders(serviceID: "s1", name: "X", registry: .notInRegistry, equivalency: e, today: today).map(\.kind) == [.annualAssessmentDue])
        #expect(CloudServiceReminderSchedule.reminders(serviceID: "s1", name: "X", registry: .notInRegistry, equivalency: e, today: day("2026-12-21")).map(\.kind) == [.annualAssessmentOverdue])
    }

    @Test("POA&M item lines of the checklist form read ORIGIN SEVERITY DATE label, and write back the same")
    func itemLines() {
        let i = OpenPOAMItem(line: "operational Moderate 2026-10-01 CVE scan finding")
        #expect(i == OpenPOAMItem(origin: .operational, severity: .moderate, identifiedOn: day("2026-10-01"), label: "CVE scan finding"))
        #expect(i?.line == "operational moderate 2026-10-01 CVE scan finding")
        #expect(OpenPOAMItem(line: "sometime high 2026-10-01") == nil)
    }
}
