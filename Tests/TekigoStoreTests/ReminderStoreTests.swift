import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

/// Supply-chain reminders in the store (issue: supply chain, item 5): computed with `ReminderSchedule.due` and stored
/// once per key, webhooks with sealed secrets, the delivery queue's backoff, and the scheduler's lease. Uses the
/// supply-chain store tests' `SCSWorld` to set up organizations, links, requirements and attestations.
@Suite("Reminder store")
struct ReminderStoreTests {
    func reminders(_ w: SCSWorld, _ org: String) -> ReminderStore { ReminderStore(w.db, organizationID: org, evidenceKey: w.key) }

    func count(_ w: SCSWorld, _ table: String, org: String) async throws -> Int {
        try await w.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where("organization_id", .equal, org).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test("A reminder is stored and enqueued once per key: a second pass adds nothing", arguments: TestDatabases.engines)
    func oncePerKey(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("P", name: "大和重工業株式会社")
            try await w.org("S", name: "浜松富士精機株式会社")
            try await w.link("P", "S")
            try await w.require("P", "S", "sprs>=88", due: "2027-01-20")
            // S attests below the minimum and lets P see it.
            try await w.issue("S", try await w.assessment("S", failing: scsFiveFailures), expiresAt: scsDay("2027-06-30"))
            _ = try await w.consent("S").grant(viewer: "P", by: scsActor)
            let p = reminders(w, "P")
            _ = try await p.createWebhook(url: "https://hooks.example.com/tekigo", by: scsActor)
            _ = try await p.createWebhook(url: "http://127.0.0.1:9/hook", by: scsActor)

            // 19 days before the due date: due within 30 days, and the shared attestation falls short.
            let at = scsInstant("2027-01-01T09:00:00Z")
            let first = try await p.refresh(at: at)
            #expect(first.map(\.kind).sorted() == ["minimum-unmet", "requirement-due"])
            #expect(first.allSatisfy { $0.subject == "S" && $0.organizationId == "P" })
            #expect(first.contains { $0.reminderKey.hasSuffix("/due/30") })
            #expect(try await count(w, "reminders", org: "P") == 2)
            #expect(try await count(w, "webhook_deliveries", org: "P") == 4, "one delivery per reminder and webhook")

            // The same situation again, the same day and a day later: nothing new, nothing enqueued again.
            #expect(try await p.refresh(at: at).isEmpty)
            #expect(try await p.refresh(at: at.addingTimeInterval(86_400)).isEmpty)
            #expect(try await count(w, "reminders", org: "P") == 2)
            #expect(try await count(w, "webhook_deliveries", org: "P") == 4)

            // The supplier gets its own reminders of what P requires of it (its own rows; no webhooks, no deliveries).
            let s = try await reminders(w, "S").refresh(at: at)
            #expect(Set(s.map(\.reminderKey)) == Set(first.map(\.reminderKey)))
            #expect(try await count(w, "webhook_deliveries", org: "S") == 0)

            // Within 7 days the tighter threshold is a new reminder (and a new delivery per webhook).
            let week = try await p.refresh(at: scsInstant("2027-01-14T09:00:00Z"))
            #expect(week.map(\.reminderKey).count == 1)
            #expect(week.first?.reminderKey.hasSuffix("/due/7") == true)
            #expect(try await count(w, "webhook_deliveries", org: "P") == 6)

            // Dismissing hides it from the list, is audited, and a later pass does not bring it back.
            let key = try #require(week.first?.reminderKey)
            try await p.dismiss(key: key, by: scsActor)
            #expect(try await !p.reminders().contains { $0.reminderKey == key })
            #expect(try await p.reminders().count == 2)
            #expect(try await p.refresh(at: scsInstant("2027-01-15T09:00:00Z")).isEmpty)
            #expect(try await w.auditActions().contains("reminder.dismissed"))
            await #expect(throws: NotFound.self) { try await p.dismiss(key: "no/such/key", by: scsActor) }
            // Another organization cannot dismiss P's reminder.
            await #expect(throws: NotFound.self) { try await reminders(w, "S").dismiss(key: key, by: scsActor) }
        }
    }

    @Test("Attestation expiry: 90, 30 and 7 days before the last day, each once; customers only with consent",
          arguments: TestDatabases.engines)
    func expiryThresholds(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("P")
            try await w.org("S")
            try await w.link("P", "S")
            let attestation = try await w.issue("S", try await w.assessment("S"), expiresAt: scsDay("2027-06-30"))
            let s = reminders(w, "S")
            func refresh(_ day: String) async throws -> [String] {
                try await s.refresh(at: scsInstant("\(day)T12:00:00Z")).map(\.reminderKey)
            }
            #expect(try await refresh("2027-03-31").isEmpty, "91 days left")
            let ninety = try await refresh("2027-04-01")
            #expect(ninety == ["attestation/\(attestation.id)/2027-06-30/expiring/90"])
            #expect(try await refresh("2027-05-30").isEmpty, "31 days left: still the 90-day reminder")
            #expect(try await refresh("2027-05-31") == ["attestation/\(attestation.id)/2027-06-30/expiring/30"])
            #expect(try await refresh("2027-06-22").isEmpty, "8 days left")
            #expect(try await refresh("2027-06-23") == ["attestation/\(attestation.id)/2027-06-30/expiring/7"])
            #expect(try await refresh("2027-06-30").isEmpty, "the last day: the 7-day reminder was sent")
            #expect(try await refresh("2027-07-01").isEmpty, "expired: no expiry reminder")

            let stored = try await s.reminders()
            #expect(stored.count == 3)
            #expect(stored.allSatisfy { $0.kind == "attestation-expiring" && $0.subject == "S" })
            let seven = try #require(stored.first { $0.reminderKey.hasSuffix("/7") })
            #expect(seven.textEn.contains("DFARS 252.204-7019(b)") && seven.textEn.contains("7 day(s)"))
            #expect(seven.textJa.contains("有効期限") && seven.textJa.contains("あと 7 日"))

            // The customer sees the supplier's expiry only once the supplier consents.
            let p = reminders(w, "P")
            #expect(try await p.refresh(at: scsInstant("2027-06-23T12:00:00Z")).isEmpty)
            _ = try await w.consent("S").grant(viewer: "P", by: scsActor)
            let shared = try await p.refresh(at: scsInstant("2027-06-23T12:00:00Z"))
            #expect(shared.map(\.reminderKey) == ["attestation/\(attestation.id)/2027-06-30/expiring/7"])
            #expect(shared.first?.subject == "S")
        }
    }

    @Test("The lease refuses a second holder until it expires", arguments: TestDatabases.engines)
    func lease(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            let a = SchedulerLease(w.db, name: "reminders", holder: "instance-a")
            let b = SchedulerLease(w.db, name: "reminders", holder: "instance-b")
            let t0 = scsInstant("2027-01-01T00:00:00Z")
            #expect(try await a.acquire(for: 60, at: t0))
            #expect(try await !b.acquire(for: 60, at: t0.addingTimeInterval(30)), "held by A")
            #expect(try await a.acquire(for: 60, at: t0.addingTimeInterval(30)), "A holds it already")
            #expect(try await !b.acquire(for: 60, at: t0.addingTimeInterval(61)), "A's renewal runs to t0+90")
            #expect(try await a.renew(for: 60, at: t0.addingTimeInterval(80)))
            #expect(try await !b.acquire(for: 60, at: t0.addingTimeInterval(139)))
            #expect(try await b.acquire(for: 60, at: t0.addingTimeInterval(140)), "expired: B takes it")
            #expect(try await !a.renew(for: 60, at: t0.addingTimeInterval(141)), "A lost it")
            #expect(try await a.current()?.holder == "instance-b")
            // Releasing is the holder's alone.
            try await a.release()
            #expect(try await a.current()?.holder == "instance-b")
            try await b.release()
            #expect(try await a.current() == nil)
            #expect(try await a.acquire(for: 60, at: t0.addingTimeInterval(150)))
            // Another lease name is independent.
            #expect(try await SchedulerLease(w.db, name: "other", holder: "instance-b").acquire(for: 60, at: t0))
        }
    }

    @Test("Failed deliveries back off 1 min, 5 min, 30 min, 2 h, 12 h, then give up after 6 attempts",
          arguments: TestDatabases.engines)
    func backoff(engine: TestDatabases.Engine) async throws {
        #expect((1...6).map { WebhookQueue.retryDelay(afterFailedAttempt: $0) } == [60, 300, 1800, 7200, 43200, nil])
        try await SCSWorld.with(engine) { w in
            try await w.org("P")
            try await w.org("S")
            try await w.link("P", "S")
            try await w.require("P", "S", "all-met", due: "2027-01-05")
            let p = reminders(w, "P")
            let (secret, hook) = try await p.createWebhook(url: "https://hooks.example.com/a", by: scsActor)
            let (_, other) = try await p.createWebhook(url: "https://hooks.example.com/b", by: scsActor)
            let t0 = scsInstant("2027-01-01T08:00:00Z")
            #expect(try await p.refresh(at: t0).count == 1)

            let queue = WebhookQueue(w.db, evidenceKey: w.key)
            let due = try await queue.due(at: t0)
            #expect(due.count == 2)
            let d = try #require(due.first { $0.delivery.webhookId == hook.id })
            #expect(d.secret?.text == secret, "the sealed secret opens to the one shown at creation")
            #expect(!"\(String(describing: d.secret))".contains(secret), "a secret never prints")
            #expect(d.reminder.kind == "requirement-due" && d.url == "https://hooks.example.com/a")

            // The other webhook answers at once.
            let ok = try #require(due.first { $0.delivery.webhookId == other.id })
            let delivered = try await queue.markDelivered(id: ok.delivery.id, status: 204, at: t0)
            #expect(delivered?.status == "delivered" && delivered?.attempts == 1 && delivered?.lastStatus == 204)

            var now = t0
            for (attempt, wait) in [60.0, 300, 1800, 7200, 43200].enumerated() {
                let after = try #require(try await queue.markFailed(id: d.delivery.id, status: 500, error: "HTTP 500", at: now))
                #expect(after.attempts == attempt + 1 && after.status == "pending" && after.lastStatus == 500)
                #expect(after.nextAttemptAt == Timestamp.string(now.addingTimeInterval(wait)))
                #expect(try await queue.due(at: now.addingTimeInterval(wait - 1)).isEmpty, "not due before the backoff ends")
                now = now.addingTimeInterval(wait)
                #expect(try await queue.due(at: now).map(\.delivery.id) == [d.delivery.id])
            }
            let gaveUp = try #require(try await queue.markFailed(id: d.delivery.id, status: nil, error: "timed out", at: now))
            #expect(gaveUp.status == "failed" && gaveUp.attempts == 6 && gaveUp.lastStatus == nil && gaveUp.lastError == "timed out")
            #expect(try await queue.due(at: now.addingTimeInterval(365 * 86_400)).isEmpty)
            // Nothing changes a finished delivery.
            #expect(try await queue.markDelivered(id: d.delivery.id, status: 200, at: now) == nil)
            #expect(try await queue.markFailed(id: ok.delivery.id, status: 500, error: "late", at: now) == nil)

            // The delivery log, per webhook and organization only.
            #expect(try await p.deliveries(webhookID: hook.id).map(\.status) == ["failed"])
            #expect(try await p.deliveries(webhookID: other.id).map(\.status) == ["delivered"])
            await #expect(throws: NotFound.self) { try await reminders(w, "S").deliveries(webhookID: hook.id) }

            // Deleting a webhook takes its log with it.
            try await p.deleteWebhook(id: hook.id, by: scsActor)
            #expect(try await p.webhooks().map(\.id) == [other.id])
            #expect(try await count(w, "webhook_deliveries", org: "P") == 1)
            await #expect(throws: NotFound.self) { try await reminders(w, "S").deleteWebhook(id: other.id, by: scsActor) }
            #expect(try await w.auditActions().filter { $0.hasPrefix("webhook.") } == ["webhook.created", "webhook.created", "webhook.deleted"])
        }
    }

    /// The URL's form and where its host points are `ReminderUseCases`' rules (ReminderUseCaseTests).
    @Test("Webhook secrets are sealed; at most 10 per organization", arguments: TestDatabases.engines)
    func webhooks(engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("P")
            let p = reminders(w, "P")
            let (secret, hook) = try await p.createWebhook(url: "https://hooks.example.com/x", by: scsActor)
            #expect(secret.hasPrefix("whsec_") && secret.count > 40)
            let sealed = try #require(try await w.db.sql.select().column("sealed_secret").from("webhooks")
                .where("id", .equal, hook.id).first()).decode(column: "sealed_secret", as: Data.self)
            #expect(sealed.range(of: Data(secret.utf8)) == nil, "the secret is stored sealed")
            // Bound to its organization and webhook: it does not open as another's.
            #expect(ReminderStore.open(sealed, organizationID: "P", webhookID: hook.id, key: w.key)?.text == secret)
            #expect(ReminderStore.open(sealed, organizationID: "Q", webhookID: hook.id, key: w.key) == nil)
            for i in 1..<ReminderStore.maxWebhooks {
                _ = try await p.createWebhook(url: "https://hooks.example.com/\(i)", by: scsActor)
            }
            await #expect(throws: ReminderError.tooManyWebhooks(limit: ReminderStore.maxWebhooks)) {
                _ = try await p.createWebhook(url: "https://hooks.example.com/11", by: scsActor)
            }
            #expect(try await p.webhooks().count == ReminderStore.maxWebhooks)
        }
    }
}

// The reminder store writes a person's changes in its caller's transaction (`on:`), at the caller's time; in the
// server `ReminderUseCases` opens the transaction and reads the clock. These tests exercise the store's own SQL, lock
// and audit entries, so they open one transaction per change here, with the system's clock.
extension ReminderStore {
    @discardableResult
    func dismiss(key: String, by actor: Actor) async throws -> ReminderRecord {
        try await db.transaction { s in try await dismiss(key: key, by: actor, at: Date(), on: s) }
    }

    func createWebhook(url: String, by actor: Actor) async throws -> (secret: String, record: WebhookRecord) {
        try await db.transaction { s in try await createWebhook(url: url, by: actor, at: Date(), on: s) }
    }

    func deleteWebhook(id: String, by actor: Actor) async throws {
        try await db.transaction { s in try await deleteWebhook(id: id, by: actor, on: s) }
    }
}
