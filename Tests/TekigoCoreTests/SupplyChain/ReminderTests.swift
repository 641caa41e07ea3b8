import Testing
@testable import TekigoCore

@Suite("Reminders: due dates, expiry, unmet minimums; stable keys")
struct ReminderTests {
    func due(_ reqs: [FlowDownRequirement], _ atts: [String: AttestationPayload], _ date: Day) -> [Reminder] {
        ReminderSchedule.due(requirements: reqs, attestations: atts, at: date)
    }

    func due(_ reqs: [FlowDownRequirement], _ date: Day) -> [Reminder] { due(reqs, [:], date) }

    @Test("Requirement due: nothing at 31 days, the 30-day notice from 30 to 8 days, the 7-day notice from 7 to 0")
    func requirementThresholds() throws {
        let r = try scRequirement("P", "S", due: "2026-12-31")
        #expect(due([r], scDay("2026-11-30")).isEmpty)
        let at30 = due([r], scDay("2026-12-01"))
        #expect(at30.map(\.kind) == [.requirementDue(withinDays: 30)])
        #expect(at30.first?.daysLeft == 30)
        #expect(due([r], scDay("2026-12-23")).map(\.kind) == [.requirementDue(withinDays: 30)])
        #expect(due([r], scDay("2026-12-24")).map(\.kind) == [.requirementDue(withinDays: 7)])
        #expect(due([r], scDay("2026-12-31")).map(\.kind) == [.requirementDue(withinDays: 7)])
        // Past due with the minimum unmet: the overdue notice instead.
        #expect(due([r], scDay("2027-01-01")).map(\.kind) == [.minimumUnmet(overdue: true)])
    }

    @Test("A scheduler sending each key once sends exactly one notice per threshold over a whole run of days")
    func keysStableOverDays() throws {
        let r = try scRequirement("P", "S", due: "2026-12-31")
        var keys: Set<String> = []
        var day = scDay("2026-11-01")
        while day <= scDay("2026-12-31") {
            for reminder in due([r], day) { keys.insert(reminder.key) }
            day = day.adding(days: 1)
        }
        #expect(keys.count == 2)

        // DFARS 252.204-7019(b) expiry after 3 years: notices at 90, 30 and 7 days, once each.
        let a = scAttestation(assessed: "2026-01-15")
        #expect(a.expiresAt == scDay("2029-01-15"))
        var expiryKeys: [String] = []
        day = scDay("2028-09-01")
        while day <= scDay("2029-02-01") {
            for reminder in due([], ["S": a], day) where !expiryKeys.contains(reminder.key) { expiryKeys.append(reminder.key) }
            day = day.adding(days: 1)
        }
        #expect(expiryKeys.count == 3)
        #expect(expiryKeys.allSatisfy { $0.contains("att-1") })
    }

    @Test("Attestation expiring: 90 days before, 31, 30, 8, 7, the last day; nothing once expired")
    func expiryThresholds() {
        let a = scAttestation(assessed: "2026-01-15")   // last day 2029-01-15
        func kinds(_ date: String) -> [Reminder.Kind] { due([], ["S": a], scDay(date)).map(\.kind) }
        #expect(kinds("2028-10-16").isEmpty)                                    // 91 days
        #expect(kinds("2028-10-17") == [.attestationExpiring(withinDays: 90)])  // 90 days
        #expect(kinds("2028-12-15") == [.attestationExpiring(withinDays: 90)])  // 31 days
        #expect(kinds("2028-12-16") == [.attestationExpiring(withinDays: 30)])
        #expect(kinds("2029-01-07") == [.attestationExpiring(withinDays: 30)])  // 8 days
        #expect(kinds("2029-01-08") == [.attestationExpiring(withinDays: 7)])
        #expect(kinds("2029-01-15") == [.attestationExpiring(withinDays: 7)])
        #expect(kinds("2029-01-16").isEmpty)
    }

    @Test("A met requirement needs no reminder; a shared attestation below the minimum does, once per attestation")
    func minimumUnmet() throws {
        let r = try scRequirement("P", "S", minimum: .sprsAtLeast(88), due: "2026-12-31")
        #expect(due([r], ["S": scAttestation(score: 95)], scDay("2026-12-20")).isEmpty)
        let weak = due([r], ["S": scAttestation(id: "att-1", score: 70)], scDay("2026-06-01"))
        #expect(weak.map(\.kind) == [.minimumUnmet(overdue: false)])
        #expect(weak.first?.shortfalls == [.score(required: 88, attested: 70)])
        // A later run, same facts: same key.
        #expect(due([r], ["S": scAttestation(id: "att-1", score: 70)], scDay("2026-08-01")).map(\.key) == weak.map(\.key))
        // A new attestation that still falls short: a new key.
        let again = due([r], ["S": scAttestation(id: "att-2", score: 75)], scDay("2026-08-01"))
        #expect(again.count == 1)
        #expect(again.first?.key != weak.first?.key)
        // Past due: a new, overdue notice.
        let late = due([r], ["S": scAttestation(id: "att-2", score: 75)], scDay("2027-01-02"))
        #expect(late.map(\.kind) == [.minimumUnmet(overdue: true)])
        #expect(late.first?.key != again.first?.key)
    }

    @Test("Keys differ for different requirements, even when ids contain the separator; results are sorted by key")
    func keysDistinct() throws {
        let reqs = [try scRequirement("A/B", "C", due: "2026-12-31"), try scRequirement("A", "B/C", due: "2026-12-31"),
                    try scRequirement("A", "B/C", minimum: .allMet, catalog: .sp800171r3, due: "2026-12-31")]
        let out = due(reqs, scDay("2026-12-28"))
        #expect(out.count == 3)
        #expect(Set(out.map(\.key)).count == 3)
        #expect(out.map(\.key) == out.map(\.key).sorted())
    }

    @Test("Reminder texts in English and Japanese carry the date, the days left and the rule")
    func texts() throws {
        let r = try scRequirement("Prime Co", "Supplier Co", due: "2026-12-31")
        let reminder = try #require(due([r], scDay("2026-12-24")).first)
        #expect(reminder.text(.en).contains("2026-12-31"))
        #expect(reminder.text(.en).contains("7 day"))
        #expect(reminder.text(.ja).contains("あと 7 日"))
        #expect(reminder.text(.ja) != reminder.text(.en))
        let expiring = try #require(due([], ["S": scAttestation()], scDay("2029-01-10")).first)
        #expect(expiring.text(.en).contains("252.204-7019(b)"))
        #expect(expiring.text(.ja).contains("2029-01-15"))
        let overdue = try #require(due([r], ["Supplier Co": scAttestation(org: "Supplier Co", score: 70)], scDay("2027-01-05")).first)
        #expect(overdue.text(.en).contains("SPRS score 70, at least 88 required"))
        #expect(overdue.text(.ja).contains("期限 2026-12-31 を過ぎても"))
    }
}
