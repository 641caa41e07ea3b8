import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

/// What the web application stores beside the assessment (issue: web application): requirement answers and POA&M
/// items with optimistic concurrency, the daily score history, user settings, background jobs with leases, and the
/// audit log's filters. Both engines.
@Suite("Web application store")
struct WebStoreTests {
    let actor = Actor(id: "user-1", sourceIP: "127.0.0.1")

    func assessment(_ w: SCSWorld, org: String) async throws -> (TenantStore, AssessmentRecord) {
        try await w.org(org)
        let store = TenantStore(w.db, organizationID: org)
        let system = try await store.createSystem(SystemProfile(name: "生産管理システム"), by: actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-11-28")!, kind: .basic,
                                                 assessor: "", by: actor)
        return (store, a)
    }

    func auditCount(_ w: SCSWorld, action: String) async throws -> Int {
        try await AuditLog(w.db).entries(organizationID: nil, limit: 10_000, actionPrefix: action).count
    }

    @Test("A requirement answer is versioned with its assessment: a stale write changes nothing", arguments: TestDatabases.engines)
    func answers(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let (store, a) = try await assessment(w, org: "A")
            let partial = RequirementAnswer(implementation: "VPN と特権アカウントに多要素認証", mfa: .remoteAndPrivilegedOnly)
            let saved = try await store.putAnswer(assessmentID: a.id, requirement: "3.5.3", partial, ifVersion: a.version, by: actor)
            #expect(saved.version == a.version + 1)
            await #expect(throws: VersionConflict(current: saved.version)) {
                try await store.putAnswer(assessmentID: a.id, requirement: "3.5.3", RequirementAnswer(mfa: .allUsers),
                                          ifVersion: a.version, by: actor)
            }
            let loaded = try await store.load(assessmentID: a.id, organization: Organization(name: "A"))
            #expect(loaded.answer(for: "3.5.3") == partial)
            // An empty answer removes the entry.
            _ = try await store.putAnswer(assessmentID: a.id, requirement: "3.5.3", RequirementAnswer(), ifVersion: nil, by: actor)
            #expect(try await store.load(assessmentID: a.id, organization: Organization(name: "A")).answers["3.5.3"] == nil)
            #expect(try await auditCount(w, action: AuditAction.answerUpdated.rawValue) == 2)
            // Another organization's store cannot touch it.
            try await w.org("B")
            await #expect(throws: NotFound.self) {
                try await TenantStore(w.db, organizationID: "B").putAnswer(assessmentID: a.id, requirement: "3.5.3", partial,
                                                                           ifVersion: nil, by: actor)
            }
        }
    }

    @Test("POA&M items: one per requirement, created at version 0, replaced with the current version", arguments: TestDatabases.engines)
    func poam(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let (store, a) = try await assessment(w, org: "A")
            var item = POAMItem(requirement: "3.1.2", weakness: "アクセス権限表がない",
                                milestones: [Milestone(description: "権限表の作成", due: Day("2027-01-31")!)],
                                owner: "情報システム課", scheduledCompletion: Day("2027-03-31"))
            let first = try await store.savePOAMItem(assessmentID: a.id, item, ifVersion: 0, by: actor)
            #expect(first.version == 1)
            await #expect(throws: VersionConflict(current: 1)) {
                try await store.savePOAMItem(assessmentID: a.id, item, ifVersion: 0, by: actor)
            }
            item.status = .completed
            item.completedOn = Day("2027-02-15")
            let second = try await store.savePOAMItem(assessmentID: a.id, item, ifVersion: 1, by: actor)
            #expect(second.id == first.id && second.version == 2)
            let loaded = try await store.load(assessmentID: a.id, organization: Organization(name: "A"))
            #expect(loaded.poam == [item])
            #expect(try await store.poamItems(assessmentID: a.id).count == 1)
        }
    }

    @Test("The score history keeps one row per day: the last score of the day, unchanged scores not rewritten",
          arguments: TestDatabases.engines)
    func scoreHistory(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let (store, a) = try await assessment(w, org: "A")
            let d1 = Day("2026-11-26")!, d2 = Day("2026-11-27")!
            try await store.recordScore(assessmentID: a.id, day: d1, score: nil, answered: 0)
            try await store.recordScore(assessmentID: a.id, day: d1, score: -150, answered: 40)
            try await store.recordScore(assessmentID: a.id, day: d2, score: 12, answered: 200)
            try await store.recordScore(assessmentID: a.id, day: d2, score: 12, answered: 200)
            let h = try await store.scoreHistory(assessmentID: a.id)
            #expect(h == [ScoreHistoryEntry(day: d1, score: -150, answered: 40), ScoreHistoryEntry(day: d2, score: 12, answered: 200)])
            try await w.org("B")
            #expect(try await TenantStore(w.db, organizationID: "B").scoreHistory(assessmentID: a.id).isEmpty)
        }
    }

    @Test("User settings are saved and replaced", arguments: TestDatabases.engines)
    func settings(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let accounts = AccountStore(w.db)
            let u = try await accounts.createUser(email: "a@example.jp", displayName: "利用 太郎", passwordHash: "x", platformAdmin: false)
            #expect(try await accounts.settings(userID: u.id) == nil)
            try await accounts.saveSettings(userID: u.id, UserSettings(language: .en, timeZone: "America/New_York"))
            try await accounts.saveSettings(userID: u.id, UserSettings(language: .ja, timeZone: "Asia/Tokyo"))
            #expect(try await accounts.settings(userID: u.id) == UserSettings(language: .ja, timeZone: "Asia/Tokyo"))
        }
    }

    @Test("A job is claimed once; a claim whose lease ran out (its server stopped) can be taken again", arguments: TestDatabases.engines)
    func jobs(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("A")
            let jobs = JobStore(w.db, organizationID: "A")
            let t0 = Date(timeIntervalSince1970: 1_760_000_000)  // 2025-10-09, more than a day ago
            let job = try await jobs.create(kind: "export-bundle", parameters: "{}", total: 19, createdBy: "user-1", now: t0)
            #expect(job.state == .queued && job.percent == 0)
            let claim = try #require(try await jobs.take(id: job.id, lease: JobStore.lease, now: t0))
            #expect(try await !jobs.claim(id: job.id, now: t0.addingTimeInterval(10)), "a running job with a live lease is not taken")
            try await jobs.progress(id: job.id, done: 5, total: 19, message: "ssp-ja.md", now: t0.addingTimeInterval(30))
            let renewed = try #require(try await jobs.renew(claim, lease: JobStore.lease, now: t0.addingTimeInterval(30)))
            #expect(try await !jobs.claim(id: job.id, now: t0.addingTimeInterval(80)), "the runner's heartbeat renews the lease")
            #expect(try await JobStore.claimable(in: w.db, now: t0.addingTimeInterval(80)).isEmpty)
            #expect(try await JobStore.claimable(in: w.db, now: t0.addingTimeInterval(30 + JobStore.lease + 1)).map(\.id) == [job.id])
            let other = try #require(try await jobs.take(id: job.id, lease: JobStore.lease, now: t0.addingTimeInterval(30 + JobStore.lease + 1)),
                                     "an expired lease is taken over")
            #expect(try await jobs.job(id: job.id)?.done == 0, "taken over, it starts again")
            // The first runner, its lease lost, can neither renew nor hand back the other's run.
            #expect(try await jobs.renew(renewed, lease: JobStore.lease, now: t0.addingTimeInterval(100)) == nil)
            #expect(try await !jobs.release(renewed))
            // Handed back (a graceful shutdown), it is queued again and anyone may take it at once.
            #expect(try await jobs.release(other))
            let queued = try #require(try await jobs.job(id: job.id))
            #expect(queued.state == .queued && queued.leaseUntil == nil)
            #expect(try await jobs.claim(id: job.id, now: t0.addingTimeInterval(30 + JobStore.lease + 2)))
            try await jobs.finish(id: job.id, resultName: "x.zip", resultType: "application/zip", result: Data([0x50, 0x4B]))
            let done = try #require(try await jobs.job(id: job.id))
            #expect(done.state == .finished && done.percent == 100 && done.done == 19)
            #expect(try await jobs.result(id: job.id) == Data([0x50, 0x4B]))
            #expect(try await !jobs.claim(id: job.id), "a finished job is never run again")
            // Other organizations see nothing of it.
            try await w.org("B")
            #expect(try await JobStore(w.db, organizationID: "B").job(id: job.id) == nil)
            #expect(try await JobStore(w.db, organizationID: "B").result(id: job.id) == nil)
            // Past the retention period the job is removed when the list is read.
            #expect(try await jobs.recent(now: Date()).isEmpty)
            // Starting a job removes those past the retention period too.
            let old = try await jobs.create(kind: "export-bundle", parameters: "{}", total: 1, createdBy: "user-1", now: t0)
            let fresh = try await jobs.create(kind: "export-bundle", parameters: "{}", total: 1, createdBy: "user-1")
            #expect(try await jobs.job(id: old.id) == nil)
            #expect(try await jobs.job(id: fresh.id) != nil)
        }
    }

    @Test("The audit log filters by the start of the action (literally: % and _ match themselves) and by actor",
          arguments: TestDatabases.engines)
    func auditFilter(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("A")
            let log = AuditLog(w.db)
            for (actor, action) in [("u1", "login.success"), ("u2", "login.failure"), ("u1", "finding.updated"), ("u1", "loginXsuccess")] {
                _ = try await log.append(AuditEvent(actor: actor, organizationID: "A", sourceIP: "127.0.0.1", storedAction: action,
                                                    object: "x", beforeDigest: nil, afterDigest: nil))
            }
            #expect(try await log.entries(organizationID: "A", limit: 100, actionPrefix: "login.").map(\.action).sorted()
                    == ["login.failure", "login.success"])
            #expect(try await log.entries(organizationID: "A", limit: 100, actionPrefix: "login_").isEmpty)
            #expect(try await log.entries(organizationID: "A", limit: 100, actionPrefix: "login%").isEmpty)
            #expect(try await log.entries(organizationID: "A", limit: 100, actor: "u1").count == 3)
            #expect(try await log.entries(organizationID: "A", limit: 100, actionPrefix: "login.", actor: "u1").map(\.action)
                    == ["login.success"])
        }
    }

    @Test("The demo stores each prime's assessment, the same one its signed attestation was made from", arguments: TestDatabases.engines)
    func demoPrimesHaveAssessments(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let today = Day("2026-11-28")!
            let demo = DemoSupplyChain.generate(suppliers: 10, seed: 7, today: today)
            try await DemoLoader(w.db, evidenceKey: w.key).load(demo, catalog: w.catalog, today: today)
            for prime in demo.primes {
                let store = TenantStore(w.db, organizationID: prime.id)
                let records = try await store.assessments()
                #expect(records.count == 1, "\(prime.id)")
                let a = try #require(records.first)
                let loaded = try await store.load(a, organization: Organization(name: prime.displayName))
                #expect(loaded.findings.count == w.catalog.objectiveIDs.count)
                #expect(try await store.systems().count == 1)
                let report = try AssessmentReport(loaded, library: try BuiltInLibrary.shared)
                let attested = try #require(try await AttestationStore(w.db, organizationID: prime.id, evidenceKey: w.key).current())
                #expect(try attested.attestationPayload().sprsScore == report.sprs?.score)
                // "Score over time" starts at the load (issue 16: written with the change, not by a page view).
                let history = try await store.scoreHistory(assessmentID: a.id)
                #expect(history.map(\.day) == [today] && history.first?.score == report.sprs?.score, "\(history)")
            }
        }
    }
}
