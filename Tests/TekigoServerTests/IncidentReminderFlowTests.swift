import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// Incident clocks through the existing reminder engine (issue 13, item 2): a pass stores each due reminder once and
/// enqueues it for the organization's webhooks; the reminders are need-to-know like the incident. Uses the incident
/// use-case tests' world (`IncidentUseCaseTests.World`, `opened`).
extension IncidentUseCaseTests {
    @Test("Reminder passes before each deadline (DFARS 252.204-7012(c) 72 h; MOD 1 h / 24 h settings): each once, the tightest threshold, none after the report; hidden from a member without need-to-know",
          arguments: TestDatabases.engines)
    func remindersBeforeEachDeadline(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, incident) = try await opened(w)
            let reminders = ReminderStore(w.db, organizationID: supplier.organizationID, evidenceKey: w.env.evidence.key)
            let first = try await reminders.refresh(at: w.clock.now())
            // Discovered 02:13: at 03:00 three clocks have started (the DoD report, MOD's first and detailed reports).
            #expect(first.map(\.kind) == Array(repeating: "incident-deadline", count: 3))
            #expect(first.allSatisfy { $0.subject == incident.id })
            #expect(first.contains { $0.reminderKey.contains("dfars-7012.report") && $0.textJa.contains("2027-01-11T02:13:00+09:00") })
            #expect(try await reminders.refresh(at: w.clock.now()).isEmpty, "a second pass stores nothing new")

            // 70 hours later: within 6 hours of the DoD report's deadline (a pass every 15 minutes would have sent 24 h first).
            w.clock.set(Self.instant("2027-01-10T21:00:00+09:00"))
            let later = try await reminders.refresh(at: w.clock.now())
            // Meanwhile both MOD reports (1 h and 24 h) passed unrecorded: overdue, once each.
            #expect(later.filter { $0.kind == "incident-overdue" }.count == 2)
            #expect(later.contains { $0.reminderKey.contains("dfars-7012.report") && $0.reminderKey.hasSuffix("within-6h") })

            // Need-to-know: a contributor without a grant sees no incident reminder; the owner sees them all.
            let contributor = try await w.member(supplier, .contributor)
            let hidden = try await ReminderUseCases(w.env, contributor, addressCheck: { _ in }).reminders()
            #expect(!hidden.contains { $0.isAboutIncident })
            let owner = try await ReminderUseCases(w.env, supplier, addressCheck: { _ in }).reminders()
            #expect(owner.filter(\.isAboutIncident).count == first.count + later.count)

            // Reported on time: the report clock reminds no more.
            w.clock.set(Self.instant("2027-01-10T22:30:00+09:00"))
            _ = try await IncidentUseCases(w.env, supplier).recordSubmission(
                id: incident.id, kind: "dod-initial", submittedAt: "2027-01-10T22:00:00+09:00", channel: "DC3 portal",
                reportNumber: "ICF-2027-000123", cites: nil)
            w.clock.set(Self.instant("2027-01-11T02:00:00+09:00"))
            let after = try await reminders.refresh(at: w.clock.now())
            #expect(!after.contains { $0.reminderKey.contains("dfars-7012.report/") })
        }
    }
}

extension IncidentUseCaseTests {
    @Test("A file in an incident's timeline is never deleted through the evidence routes (DFARS 252.204-7012(e): the incident's record kept whole)",
          arguments: TestDatabases.engines)
    func timelineEvidenceKept(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, incident) = try await opened(w)
            let entry = try await IncidentUseCases(w.env, supplier).addTimelineEntry(
                id: incident.id, text: "暗号化されたファイルの一覧を保全した。",
                evidence: [IncidentEvidenceUpload(data: Data("encrypted-files.txt".utf8), filename: "files.txt")])
            let sha = try #require(entry.evidenceFiles.first?.sha256)
            await refused(AssessmentError.evidenceInIncident([incident.id])) {
                try await EvidenceUseCases(w.env, supplier).delete(sha256: sha)
            }
            #expect(try await w.env.evidence.record(organizationID: supplier.organizationID, sha256: sha) != nil)
        }
    }
}

extension IncidentUseCaseTests {
    @Test("A member removed from the organization leaves the incident team: re-added, they start without need-to-know",
          arguments: TestDatabases.engines)
    func removalEndsTeamPlace(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, _) = try await opened(w)
            let contributor = try await w.member(supplier, .contributor)
            try await IncidentUseCases(w.env, supplier).grantIncidentAccess(userID: contributor.actor.id)
            #expect(try await IncidentQueries(w.env, contributor).canRead())
            try await MembershipStore(w.db, organizationID: supplier.organizationID)
                .change(userID: contributor.actor.id, to: nil, actorRole: .owner, actor: supplier.actor)
            try await AccountStore(w.db).setMembership(userID: contributor.actor.id, organizationID: supplier.organizationID, role: .contributor)
            #expect(try await !IncidentQueries(w.env, contributor).canRead())
        }
    }
}
