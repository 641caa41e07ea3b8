import Foundation
import Testing
@testable import TekigoCore

/// The reporting-readiness rules (issue 13 item 6), pure: each names the rule it checks.
@Suite("Reporting readiness rules")
struct ReadinessRulesTests {
    func day(_ s: String) -> Day { Day(s)! }
    func cert(_ id: String, _ holder: String, _ expires: String) -> CertificateFact { CertificateFact(id: id, holder: holder, expiresOn: day(expires)) }

    /// Everything in place: two holders valid for long, a fresh plan, every required role, both channels, a team.
    var ready: ReadinessFacts {
        ReadinessFacts(certificates: [cert("c1", "佐藤", "2028-01-01"), cert("c2", "田中", "2028-06-01")],
                       plan: PlanFact(id: "p", lastReviewedOn: day("2026-10-01"), reviewMonths: 12),
                       contactRoles: ContactRole.required + [.dc3, .mod], dodChannelConfigured: true, modContactConfigured: true,
                       incidentTeamSize: 2)
    }

    @Test("Readiness: with certificates, plan, contact chart, channels and a team nothing is missing")
    func nothingMissing() {
        #expect(ReadinessRules.checklist(ready, today: day("2026-12-06")).isEmpty)
    }

    @Test("Readiness: an organization that recorded nothing gets every blocking item, blocking first, each citing its source")
    func empty() {
        let items = ReadinessRules.checklist(ReadinessFacts(), today: day("2026-12-06"))
        #expect(items.map(\.kind) == [.noCertificateHolder, .noPlan, .noContacts, .noDoDChannel, .noMODContact, .noIncidentTeam])
        #expect(items.prefix(4).allSatisfy { $0.severity == .blocking })
        #expect(items.allSatisfy { !$0.source.isEmpty && $0.text.en.contains($0.source) && $0.text.ja.contains($0.source) })
        #expect(items[0].source == "DFARS 252.204-7012(c)(3)")
        #expect(items[1].source.contains("03.06.05"))
        #expect(items[3].text.en.contains("DIBNet was replaced"), "the channel is configuration, the text says why")
    }

    @Test("DFARS 252.204-7012(c)(3): one valid holder is a warning (a holiday means nobody can report within 72 hours); an expired one does not count")
    func oneHolder() {
        var f = ready
        f.certificates = [cert("c1", "佐藤", "2028-01-01"), cert("c2", "田中", "2026-12-01")]
        let items = ReadinessRules.checklist(f, today: day("2026-12-06"))
        #expect(items.map(\.kind) == [.oneCertificateHolder, .certificateExpired])
        #expect(items[0].severity == .warning && items[0].text.ja.contains("佐藤") && items[0].text.en.contains("72 hours"))
        // Two certificates of one person are still one holder.
        f.certificates = [cert("c1", "佐藤", "2028-01-01"), cert("c3", "佐藤", "2029-01-01")]
        #expect(ReadinessRules.checklist(f, today: day("2026-12-06")).map(\.kind) == [.oneCertificateHolder])
        // A certificate is valid through its expiry day.
        f.certificates = [cert("c1", "佐藤", "2026-12-06"), cert("c2", "田中", "2028-01-01")]
        #expect(!ReadinessRules.checklist(f, today: day("2026-12-06")).contains { $0.kind == .oneCertificateHolder })
        #expect(ReadinessRules.checklist(f, today: day("2026-12-07")).contains { $0.kind == .oneCertificateHolder })
    }

    @Test("DFARS 252.204-7012(c)(3): a certificate expiring within 60, 30 or 7 days is flagged with the tightest threshold reached")
    func expiring() {
        var f = ready
        f.certificates = [cert("c1", "佐藤", "2027-02-01"), cert("c2", "田中", "2028-01-01")]
        func expiring(_ today: String) -> [ReadinessItem] { ReadinessRules.checklist(f, today: day(today)).filter { $0.kind == .certificateExpiring } }
        #expect(expiring("2026-12-01").isEmpty, "62 days left")
        #expect(expiring("2026-12-03").first?.text.en.contains("within 60 days") == true)
        #expect(expiring("2027-01-05").first?.text.en.contains("within 30 days") == true)
        let week = expiring("2027-01-27")
        #expect(week.first?.text.en.contains("within 7 days") == true && week.first?.severity == .warning && week.first?.subject == "c1")
    }

    @Test("SP 800-171 rev3 03.06.05: the plan's review is due at the organization's interval (a month end stays in its month), reminded 30 and 7 days before, overdue after")
    func planReview() {
        var f = ready
        f.plan = PlanFact(id: "p", lastReviewedOn: day("2026-01-31"), reviewMonths: 1)
        #expect(f.plan?.nextReview == day("2026-02-28"))
        f.plan = PlanFact(id: "p", lastReviewedOn: day("2025-12-20"), reviewMonths: 12)
        #expect(ReadinessRules.checklist(f, today: day("2026-11-19")).isEmpty, "31 days left")
        #expect(ReadinessRules.checklist(f, today: day("2026-11-20")).map(\.kind) == [.planReviewDue])
        #expect(ReadinessRules.checklist(f, today: day("2026-12-20")).map(\.kind) == [.planReviewDue], "due today: not yet overdue")
        let over = ReadinessRules.checklist(f, today: day("2026-12-21"))
        #expect(over.map(\.kind) == [.planReviewOverdue] && over[0].text.ja.contains("2026-12-20"))
    }

    @Test("DFARS 252.204-7012(c)(1), (m)(2): a contact chart without the responder, IT provider, customer or contracting officer names the missing roles")
    func contactRoles() {
        var f = ready
        f.contactRoles = [.internalResponder, .dc3]
        let items = ReadinessRules.checklist(f, today: day("2026-12-06"))
        #expect(items.map(\.kind) == [.missingContactRoles])
        #expect(items[0].subject == "it-provider,customer-security,contracting-officer")
        #expect(items[0].text.ja.contains("契約担当官") && items[0].text.en.contains("Contracting officer"))
    }

    @Test("DFARS 252.204-7012(c)(1): no DoD channel is blocking and no MOD contact a warning; only configuration decides")
    func channels() {
        var f = ready
        f.dodChannelConfigured = false
        f.modContactConfigured = false
        let items = ReadinessRules.checklist(f, today: day("2026-12-06"))
        #expect(items.map(\.kind) == [.noDoDChannel, .noMODContact])
        #expect(items.map(\.severity) == [.blocking, .warning])
        #expect(!items[0].text.en.contains("dibnet.dod.mil"), "never an address in code")
        #expect(ReadinessItem.Kind.allCases.allSatisfy { ReadinessArea.allCases.contains($0.area) })
    }

    @Test("DFARS 252.204-7012(c)(3): reminders 60/30/7 days before expiry (tightest only) and once expired, with stable keys; a renewal starts new keys")
    func certificateReminders() {
        var f = ready
        f.certificates = [cert("c1", "佐藤", "2027-02-01"), cert("c2", "田中", "2028-01-01")]
        func keys(_ today: String) -> [String] { ReadinessRules.reminders(f, today: day(today)).map(\.key) }
        #expect(keys("2026-11-01").isEmpty)
        #expect(keys("2026-12-03") == ["readiness/certificate/c1/2027-02-01/within-60d"])
        #expect(keys("2026-12-04") == keys("2026-12-03"), "the same key on the next day: stored once")
        // A pass that ran late (5 days left) sends the 7-day reminder, not a stale 60- or 30-day one.
        #expect(keys("2027-01-27") == ["readiness/certificate/c1/2027-02-01/within-7d"])
        let expired = ReadinessRules.reminders(f, today: day("2027-02-02"))
        #expect(expired.map(\.kind) == [.certificateExpired, .fewCertificateHolders])
        f.certificates[0] = cert("c1", "佐藤", "2030-02-01")
        #expect(keys("2027-02-02").isEmpty, "renewed: nothing due")
    }

    @Test("DFARS 252.204-7012(c)(3): fewer than two valid holders is reminded, keyed by who holds one")
    func holderReminders() {
        var f = ready
        f.certificates = [cert("c1", "佐藤", "2028-01-01")]
        let r = ReadinessRules.reminders(f, today: day("2026-12-06"))
        #expect(r.map(\.key) == ["readiness/holders/佐藤"] && r[0].kind == .fewCertificateHolders)
        f.certificates = []
        #expect(ReadinessRules.reminders(f, today: day("2026-12-06")).map(\.key) == ["readiness/holders/none"])
    }

    @Test("SP 800-171 rev3 03.06.05: plan reminders 30 and 7 days before the review and once overdue, keyed by the due day")
    func planReminders() {
        var f = ready
        f.plan = PlanFact(id: "p", lastReviewedOn: day("2025-12-20"), reviewMonths: 12)
        func keys(_ today: String) -> [String] { ReadinessRules.reminders(f, today: day(today)).map(\.key) }
        #expect(keys("2026-11-25") == ["readiness/plan/p/2026-12-20/within-30d"])
        #expect(keys("2026-12-15") == ["readiness/plan/p/2026-12-20/within-7d"])
        #expect(keys("2026-12-21") == ["readiness/plan/p/2026-12-20/overdue"])
        f.plan = PlanFact(id: "p", lastReviewedOn: day("2026-12-21"), reviewMonths: 12)
        #expect(keys("2026-12-21").isEmpty, "reviewed: the next review is a year away")
    }
}
