import Foundation
import Testing
@testable import TekigoCore

@Suite("Incident reminders")
struct IncidentReminderTests {
    let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    func instant(_ s: String) -> Date { try! OffsetInstant.parse(s).date }

    func reminders(now: String, submissions: [SubmissionFact] = [], clauses: Set<ContractClause> = [.dfars7012],
                   exercise: Bool = false) -> [IncidentReminder] {
        let discovered = instant("2026-12-05T02:00:00+09:00")
        let deadlines = IncidentClock.deadlines(clauses: clauses, discoveredAt: discovered, submissions: submissions, now: instant(now))
        return IncidentReminderSchedule.due(incidentID: "i1", title: "CAD サーバの暗号化", exercise: exercise, deadlines: deadlines,
                                            zone: tokyo, now: instant(now))
    }

    @Test("DFARS 252.204-7012(c): the 72-hour clock reminds when it starts, then at 24, 6 and 1 hours left — only the tightest reached")
    func thresholds() {
        let start = reminders(now: "2026-12-05T03:00:00+09:00")
        #expect(start.map(\.kind) == [.deadline])
        #expect(start[0].key.hasSuffix("/started") && start[0].text.ja.contains("2026-12-08T02:00:00+09:00"))
        let day = reminders(now: "2026-12-07T03:00:00+09:00")
        #expect(day.map(\.key).allSatisfy { $0.hasSuffix("/within-24h") })
        // A pass that ran late (30 minutes left) sends the 1-hour reminder, not a stale 24- or 6-hour one.
        let late = reminders(now: "2026-12-08T01:30:00+09:00")
        #expect(late.count == 1 && late[0].key.hasSuffix("/within-1h"))
        #expect(late[0].text.en.contains("within 1 hour(s)"))
        let over = reminders(now: "2026-12-08T02:00:01+09:00")
        #expect(over.map(\.kind) == [.overdue])
    }

    @Test("Keys are stable between passes and new when the threshold or the due instant changes")
    func stableKeys() {
        #expect(reminders(now: "2026-12-05T03:00:00+09:00").map(\.key) == reminders(now: "2026-12-05T09:00:00+09:00").map(\.key))
        #expect(reminders(now: "2026-12-05T03:00:00+09:00").map(\.key) != reminders(now: "2026-12-07T03:00:00+09:00").map(\.key))
    }

    @Test("A met deadline reminds no more; the 90-day hold says nothing while it runs and once when it has ended (7012(e))")
    func metAndHold() {
        let report = SubmissionFact(kind: .dodInitial, submittedAt: instant("2026-12-06T10:00:00+09:00"))
        let after = reminders(now: "2026-12-10T00:00:00+09:00", submissions: [report])
        // Met report clock: nothing; hold running: nothing; the notice up the chain (24 h default, a setting) is overdue.
        #expect(after.map(\.kind) == [.overdue])
        #expect(after[0].key.contains("dfars-7012.tell-customer"))
        let notice = SubmissionFact(kind: .customerNotice, submittedAt: instant("2026-12-06T12:00:00+09:00"))
        let ended = reminders(now: "2027-03-06T10:00:00+09:00", submissions: [report, notice])
        #expect(ended.map(\.kind) == [.holdEnded])
    }

    @Test("MOD clocks (settings of 1 and 24 hours) remind too; an exercise's reminders say it is an exercise")
    func modAndExercise() {
        let mod = reminders(now: "2026-12-05T02:10:00+09:00", clauses: [.japaneseStandard], exercise: true)
        #expect(mod.count == 2)
        #expect(mod.allSatisfy { $0.text.ja.hasPrefix("【演習】") && $0.text.en.hasPrefix("[Exercise] ") })
        // The 1-hour first report has no threshold below its own length: only "started".
        #expect(mod.contains { $0.key.contains("mod.first-report") && $0.key.hasSuffix("/started") })
    }
}
