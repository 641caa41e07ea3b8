import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// Incident-response exercises (issue 13 item 7; SP 800-171 rev2 3.6.3, rev3 03.06.03) through the use cases, as the
/// pages and the API call them: running one opens an exercise incident whose clocks run and from which nothing can be
/// reported up the chain; completing it offers evidence and only the confirmation writes it (status kept, audited);
/// findings become POA&M items; the next exercise is due at the organization's frequency with reminders. SQLite
/// always, PostgreSQL when configured.
@Suite("Exercises: run as an exercise incident, evidence only on confirmation, POA&M, frequency and reminders (3.6.3)")
struct ExerciseUseCaseTests {
    typealias World = IncidentUseCaseTests.World

    func withWorld(_ engine: TestDatabases.Engine, at start: String, _ body: (World) async throws -> Void) async throws {
        try await IncidentUseCaseTests().withWorld(engine, at: start, body)
    }

    static func plan(_ env: TenantEnvironment, _ scope: TenantScope, scenario: String = "ransomware-machine-shop") async throws -> ExerciseRecord {
        try await ExerciseUseCases(env, scope).plan(ExerciseDraft(scenarioID: scenario, plannedOn: "2026-12-10", facilitator: "佐藤",
                                                                  participantNames: ["田中", "鈴木"]))
    }

    static func locations(_ f: FindingRecord?) -> [String] {
        ((try? JSONDecoder().decode([EvidenceRef].self, from: Data((f?.evidence ?? "[]").utf8))) ?? []).map(\.location)
    }

    @Test("3.6.3: a run exercise is an exercise incident whose DFARS 72-hour clock runs, and from which nothing is reported up the chain",
          arguments: TestDatabases.engines)
    func runOpensAnExerciseIncident(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-10T09:00:00+09:00") { w in
            let prime = try await w.org("元請")
            let shop = try await w.org("町工場")
            _ = try await w.contract(prime, shop, "W-2026-1", designation: "cui", clauses: [ContractClause.dfars7012.rawValue])
            let uc = ExerciseUseCases(w.env, shop)
            let planned = try await Self.plan(w.env, shop)
            #expect(planned.exerciseStatus == .planned && planned.participantList.map(\.name) == ["田中", "鈴木"])
            let running = try await uc.start(id: planned.id)
            #expect(running.exerciseStatus == .running)
            let incidentID = try #require(running.incidentId)
            w.clock.advance(by: 3600)
            let detail = try await IncidentQueries(w.env, shop).dossier(id: incidentID)
            #expect(detail.dossier.exercise)
            let clock = try #require(detail.deadlines.first { $0.rule.hours == 72 })
            #expect(clock.isOpen, "the 72-hour clock runs in an exercise")
            let shown = try await ExerciseQueries(w.env, shop).detail(id: planned.id).incident
            #expect(shown?.exercise == true && shown?.nextDeadline?.isOpen == true, "the exercise's page shows the running clock")
            // Nothing is reported: a "report number" of an exercise reserves nothing, and no notice goes up the chain.
            let submission = try await IncidentUseCases(w.env, shop).recordSubmission(
                id: incidentID, kind: SubmissionKind.dodInitial.rawValue, submittedAt: "2026-12-10T10:00:00+09:00", channel: "practice",
                reportNumber: "PRACTICE-1")
            #expect(submission.dodReportNumber == nil)
            await #expect(throws: IncidentNoticeError.exercise) {
                _ = try await IncidentNoticeUseCases(w.env, shop).sendNotices(incidentID: incidentID)
            }
            // Starting twice is refused.
            await #expect(throws: ExerciseError.wrongStatus(.running, needed: .planned)) { _ = try await uc.start(id: planned.id) }
            #expect(try await w.actions(shop.organizationID).contains("exercise.started"))
        }
    }

    @Test("3.6.3[a]: completing offers evidence and writes nothing; only the confirmed objectives get it, status and rationale kept, audited",
          arguments: TestDatabases.engines)
    func evidenceOnlyOnConfirmation(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-10T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let system = try await AssessmentUseCases(w.env, shop).createSystem(name: "CAD", boundary: "", environment: "", informationTypes: [],
                                                                               userCount: 5)
            let a = try await AssessmentUseCases(w.env, shop).createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-12-01",
                                                                              kind: nil, assessor: "me")
            _ = try await AssessmentUseCases(w.env, shop).putFinding(assessmentID: a.id, objective: "3.6.1[a]", status: "met",
                                                                     rationale: "体制あり", evidence: [], assessedBy: "me", ifVersion: nil)
            let uc = ExerciseUseCases(w.env, shop)
            let e = try await Self.plan(w.env, shop)
            _ = try await uc.start(id: e.id)
            _ = try await uc.addEntry(id: e.id, kind: "decision", text: "夜勤は班長に電話し、端末をネットワークから抜く", injectID: "r1")
            let finding = try await uc.addEntry(id: e.id, kind: "finding", text: "中保証度の証明書を持つ人がいない", injectID: "r2")
            await #expect(throws: ExerciseError.unknownInject("zz")) { _ = try await uc.addEntry(id: e.id, kind: "note", text: "x", injectID: "zz") }
            await #expect(throws: ExerciseError.wrongStatus(.running, needed: .completed)) {
                _ = try await uc.evidenceOffer(id: e.id, assessmentID: a.id, link: "https://tekigo.example/x")
            }
            let done = try await uc.complete(id: e.id, summary: "連絡網と証明書の準備が課題")
            #expect(done.completedOn == "2026-12-10")
            let before = try await w.actions(shop.organizationID)
            let offer = try await uc.evidenceOffer(id: e.id, assessmentID: a.id, link: "https://tekigo.example/o/x/exercises/\(e.id)")
            #expect(offer.items.first?.objective == "3.6.3")
            #expect(offer.items.map(\.objective).contains("3.6.1[a]") && offer.items.allSatisfy { !$0.alreadyAdded })
            #expect(offer.items.first?.location.contains("https://tekigo.example/o/x/exercises/") == true)
            // The offer wrote nothing: no finding changed, no audit entry.
            #expect(try await w.actions(shop.organizationID) == before)
            #expect(try await shop.store.findings(assessmentID: a.id).map(\.objective) == ["3.6.1[a]"])
            await #expect(throws: ExerciseError.objectiveNotOffered("3.1.1[a]")) {
                _ = try await uc.confirmEvidence(id: e.id, assessmentID: a.id, objectives: ["3.6.3", "3.1.1[a]"], link: "https://tekigo.example/x")
            }
            #expect(try await shop.store.findings(assessmentID: a.id).count == 1, "a refused confirmation writes nothing")
            let added = try await uc.confirmEvidence(id: e.id, assessmentID: a.id, objectives: ["3.6.3", "3.6.1[a]"],
                                                     link: "https://tekigo.example/o/x/exercises/\(e.id)")
            #expect(Set(added.map(\.objective)) == ["3.6.3", "3.6.1[a]"])
            let findings = Dictionary(uniqueKeysWithValues: try await shop.store.findings(assessmentID: a.id).map { ($0.objective, $0) })
            #expect(Set(findings.keys) == ["3.6.3", "3.6.1[a]"], "only the confirmed objectives")
            #expect(findings["3.6.3"]?.status == "not-assessed", "evidence never sets a status")
            #expect(findings["3.6.1[a]"]?.status == "met" && findings["3.6.1[a]"]?.rationale == "体制あり")
            #expect(Self.locations(findings["3.6.3"]).contains { $0.contains("exercises/\(e.id)") && $0.contains("演習記録") })
            #expect(Self.locations(findings["3.6.1[a]"]).count == 1)
            let actions = try await w.actions(shop.organizationID)
            #expect(actions.contains("exercise.evidence-added") && actions.filter { $0 == "finding.updated" }.count >= 3)
            // Offered again: already there; confirming again adds no second copy.
            let again = try await uc.evidenceOffer(id: e.id, assessmentID: a.id, link: "https://tekigo.example/o/x/exercises/\(e.id)")
            #expect(again.items.first { $0.objective == "3.6.3" }?.alreadyAdded == true)
            _ = try await uc.confirmEvidence(id: e.id, assessmentID: a.id, objectives: ["3.6.3"], link: "https://tekigo.example/o/x/exercises/\(e.id)")
            let refs = Self.locations(try await shop.store.findings(assessmentID: a.id).first { $0.objective == "3.6.3" })
            #expect(refs.filter { $0.contains("exercises/\(e.id)") }.count == 1, "one copy of the evidence")
            // A finding becomes a POA&M item; a second one on the same requirement is added to its weakness.
            let item = try await uc.findingToPOAM(id: e.id, entryID: finding.id, assessmentID: a.id, requirement: "3.6.2")
            #expect(item.requirement == "3.6.2" && item.weakness.contains("中保証度"))
            let decision = try #require(try await ExerciseQueries(w.env, shop).detail(id: e.id).entries.first { $0.kind == "decision" })
            await #expect(throws: ExerciseError.notAFinding(decision.id)) {
                _ = try await uc.findingToPOAM(id: e.id, entryID: decision.id, assessmentID: a.id, requirement: "3.6.2")
            }
            let second = try await uc.findingToPOAM(id: e.id, entryID: finding.id, assessmentID: a.id, requirement: "3.6.2")
            #expect(second.weakness.components(separatedBy: "中保証度").count == 3 && second.version == item.version + 1)
            #expect(try await ExerciseQueries(w.env, shop).detail(id: e.id).entries.first { $0.id == finding.id }?.poamRequirement == "3.6.2")
            #expect(try await w.actions(shop.organizationID).contains("exercise.poam-created"))
        }
    }

    @Test("rev3 03.06.03 ODP: the frequency sets the next due day from the last completion; reminders before it and when overdue",
          arguments: TestDatabases.engines)
    func frequencyAndReminders(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-10T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let reminders = ReminderStore(w.db, organizationID: shop.organizationID, evidenceKey: w.env.evidence.key)
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises).isEmpty, "not before the organization takes exercises up")
            let uc = ExerciseUseCases(w.env, shop)
            await #expect(throws: ExerciseError.badFrequency(61)) { try await uc.setFrequency(months: 61) }
            try await uc.setFrequency(months: 6)
            var schedule = try await ExerciseQueries(w.env, shop).schedule()
            #expect(schedule.frequencyMonths == 6 && !schedule.isDefault && schedule.nextDue == nil && schedule.overdue)
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises).map(\.kind) == ["exercise-overdue"])
            let e = try await Self.plan(w.env, shop)
            _ = try await uc.start(id: e.id)
            _ = try await uc.complete(id: e.id, summary: "済")
            schedule = try await ExerciseQueries(w.env, shop).schedule()
            #expect(schedule.nextDue == Day("2027-06-10") && !schedule.overdue && schedule.lastCompleted?.id == e.id)
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises).isEmpty)
            w.clock.set(IncidentUseCaseTests.instant("2027-05-20T09:00:00+09:00"))  // 21 days before
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises).map(\.kind) == ["exercise-due"])
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises).isEmpty, "each reminder once")
            w.clock.set(IncidentUseCaseTests.instant("2027-06-10T09:00:00+09:00"))
            let overdue = try await reminders.refresh(at: w.clock.now()).filter(\.isAboutExercises)
            #expect(overdue.map(\.kind) == ["exercise-overdue"] && overdue.first?.subject == e.id)
            #expect(try await w.actions(shop.organizationID).contains("exercise.frequency-set"))
        }
    }

    @Test("Need-to-know like incidents: a contributor off the incident team cannot plan or read exercises; a viewer cannot plan",
          arguments: TestDatabases.engines)
    func needToKnow(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-10T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let contributor = try await w.member(shop, .contributor)
            await #expect(throws: IncidentUseCaseError.notAllowed(.manageIncidents)) { _ = try await Self.plan(w.env, contributor) }
            await #expect(throws: IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await ExerciseQueries(w.env, contributor).list() }
            let e = try await Self.plan(w.env, shop)
            await #expect(throws: IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await ExerciseQueries(w.env, contributor).detail(id: e.id) }
            try await IncidentUseCases(w.env, shop).grantIncidentAccess(userID: contributor.actor.id)
            #expect(try await ExerciseQueries(w.env, contributor).list().map(\.id) == [e.id])
            await #expect(throws: IncidentUseCaseError.notAllowed(.manageIncidents)) { try await ExerciseUseCases(w.env, contributor).setFrequency(months: 6) }
            await #expect(throws: ExerciseError.noParticipants) {
                _ = try await ExerciseUseCases(w.env, shop).plan(ExerciseDraft(scenarioID: "stolen-laptop", plannedOn: "2026-12-10", facilitator: "a"))
            }
            await #expect(throws: ExerciseError.unknownScenario("nope")) {
                _ = try await ExerciseUseCases(w.env, shop).plan(ExerciseDraft(scenarioID: "nope", plannedOn: "2026-12-10", facilitator: "a",
                                                                               participantNames: ["b"]))
            }
            await #expect(throws: ExerciseError.badDate("12/10")) {
                _ = try await ExerciseUseCases(w.env, shop).plan(ExerciseDraft(scenarioID: "stolen-laptop", plannedOn: "12/10", facilitator: "a",
                                                                               participantNames: ["b"]))
            }
        }
    }
}
