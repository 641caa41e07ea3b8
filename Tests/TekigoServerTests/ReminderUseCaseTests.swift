import Foundation
import SQLKit
import Testing
import TekigoCore
@testable import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// A user, an organization they own and the use cases' environment on a fresh database, at `clock`.
struct UseCaseWorld {
    let services: Services
    let organization: OrganizationRecord
    let user: UserRecord
    let clock: SettableClock

    static func with(_ engine: TestDatabases.Engine, _ body: (UseCaseWorld) async throws -> Void) async throws {
        let clock = SettableClock(ISO8601DateFormatter().date(from: "2026-12-01T03:00:00Z")!)
        let (_, services) = try await TestServer.make(engine, clock: clock)
        do {
            let user = try await services.accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x",
                                                              platformAdmin: false)
            let org = try await services.accounts.createOrganization(name: "株式会社テスト", owner: user.id)
            try await body(UseCaseWorld(services: services, organization: org, user: user, clock: clock))
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    var env: TenantEnvironment { services.tenantEnvironment }

    func scope(_ role: Role) -> TenantScope {
        TenantScope(organization: organization, role: role, actor: Actor(id: user.id, sourceIP: "192.0.2.7"),
                    store: TenantStore(services.db, organizationID: organization.id))
    }

    func auditActions() async throws -> [String] {
        try await services.db.sql.raw("SELECT action FROM audit_log ORDER BY seq").all().map { try $0.decode(column: "action", as: String.self) }
    }
}

/// Reminders and webhooks (issue: supply chain, item 5) as `ReminderUseCases` checks them: who may (SP 800-171 3.1.2:
/// owners and administrators decide for the organization), the URL's form and where its host points (3.13.1: the
/// server must not become a way into the networks behind it), and times from the one clock (issue #16, "One clock").
@Suite("Reminders and webhooks: the use cases' rules")
struct ReminderUseCaseTests {
    @Test("Webhook URLs are https with a host, http only to loopback, never with credentials or a fragment")
    func urlForm() throws {
        for ok in ["https://hooks.example.com/x?y=1", "http://127.0.0.1:8080/hook", "http://localhost/h", "http://[::1]:9/h",
                   "  https://example.jp/通知  "] {
            #expect(throws: Never.self, "\(ok)") { _ = try ReminderUseCases.validatedURL(ok) }
        }
        #expect(try ReminderUseCases.validatedURL("  https://example.jp/h  ") == "https://example.jp/h")
        for bad in ["", "ftp://example.com/x", "http://example.com/hook", "http://10.0.0.1/h", "http://127.0.0.1.evil.com/h",
                    "https://user:pw@example.com/h", "https:///nohost", "https://example.com/h#frag", "not a url",
                    "https://example.com/" + String(repeating: "a", count: 2100)] {
            #expect(throws: WebhookError.self, "\(bad)") { _ = try ReminderUseCases.validatedURL(bad) }
        }
        // The message says what to do, and names the field.
        let e = WebhookError.invalidURL("it has no host")
        #expect(e.description == "the webhook URL is not acceptable: it has no host. Give an https:// URL (http:// only to this "
                + "machine, 127.0.0.1, ::1 or localhost) without a user name or password.")
        #expect(e.field == "url" && WebhookError.addressRefused("x").field == "url")
    }

    @Test("A webhook is added only after its form and its address pass; the address check sees the URL as stored; the refusal is the check's own message; the time is the clock's", arguments: TestDatabases.engines)
    func createWebhook(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let asked = URLLog()
            let refuseTen: WebhookAddressCheck = { url in
                asked.append(url)
                if url.contains("internal") { throw WebhookAddressRefused(host: "internal.example", reason: "it resolves to 10.0.0.5") }
            }
            let admin = ReminderUseCases(w.env, w.scope(.admin), addressCheck: refuseTen)
            await #expect(throws: WebhookError.invalidURL("http:// is allowed only to this machine; use https://")) {
                _ = try await admin.createWebhook(url: "http://example.com/h")
            }
            #expect(asked.all.isEmpty, "the form is checked before the address is resolved")
            await #expect(throws: WebhookError.addressRefused("the webhook URL is not acceptable: it resolves to 10.0.0.5")) {
                _ = try await admin.createWebhook(url: "https://internal.example/h")
            }
            #expect(try await ReminderStore(w.services.db, organizationID: w.organization.id, evidenceKey: w.services.evidence.key)
                .webhooks().isEmpty)

            let (secret, hook) = try await admin.createWebhook(url: " https://hooks.example.com/ok ")
            #expect(secret.hasPrefix("whsec_"))
            #expect(hook.url == "https://hooks.example.com/ok")
            #expect(asked.all.last == "https://hooks.example.com/ok")
            #expect(hook.createdAt == Timestamp.string(w.clock.now()), "the environment's clock, not the machine's")
            try await admin.deleteWebhook(id: hook.id)
            await #expect(throws: NotFound.self) { try await admin.deleteWebhook(id: hook.id) }
            #expect(try await w.auditActions().filter { $0.hasPrefix("webhook.") } == ["webhook.created", "webhook.deleted"])
        }
    }

    @Test("Only owners and administrators dismiss reminders and manage webhooks; others change nothing",
          arguments: TestDatabases.engines)
    func roles(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            try await w.services.db.sql.raw("""
                INSERT INTO reminders (organization_id, reminder_key, kind, subject, text_en, text_ja, created_at) VALUES \
                (\(bind: w.organization.id), 'requirement-due/x/2027-01-20', 'requirement-due', \(bind: w.organization.id), \
                'Due soon', '期限が近い', '2026-11-30T00:00:00.000Z')
                """).run()
            let allowAll: WebhookAddressCheck = { _ in }
            for role in [Role.assessor, .contributor, .viewer, .auditor] {
                let r = ReminderUseCases(w.env, w.scope(role), addressCheck: allowAll)
                await #expect(throws: WebhookError.notAllowed(.manageSuppliers), "\(role)") { try await r.dismiss(key: "requirement-due/x/2027-01-20") }
                await #expect(throws: WebhookError.notAllowed(.manageOrganization), "\(role)") {
                    _ = try await r.createWebhook(url: "https://hooks.example.com/h")
                }
                await #expect(throws: WebhookError.notAllowed(.manageOrganization), "\(role)") { try await r.deleteWebhook(id: "x") }
            }
            #expect(try await w.auditActions().isEmpty)

            w.clock.advance(by: 3600)
            let owner = ReminderUseCases(w.env, w.scope(.owner), addressCheck: allowAll)
            let dismissed = try await owner.dismiss(key: "requirement-due/x/2027-01-20")
            #expect(dismissed.dismissedAt == Timestamp.string(w.clock.now()))
            // Dismissing again changes nothing (no second entry); an unknown key is not found.
            w.clock.advance(by: 3600)
            #expect(try await owner.dismiss(key: "requirement-due/x/2027-01-20").dismissedAt == dismissed.dismissedAt)
            await #expect(throws: NotFound.self) { try await owner.dismiss(key: "no/such/key") }
            #expect(try await w.auditActions() == ["reminder.dismissed"])
        }
    }
}

/// The URLs an address check was asked about.
final class URLLog: @unchecked Sendable {
    private let lock = NSLock()
    private var urls: [String] = []
    func append(_ url: String) { lock.withLock { urls.append(url) } }
    var all: [String] { lock.withLock { urls } }
}

/// The POA&M (SP 800-171 3.12.2; 32 CFR 170.21) as `POAMUseCases` checks and saves it.
@Suite("POA&M: the use cases' rules")
struct POAMUseCaseTests {
    static let today = Day("2026-12-01")!

    @Test("A weakness is required, dates are YYYY-MM-DD, a milestone needs both a description and a date, milestones in date order, a completed item is dated today unless given, and only a completed item keeps a completion date")
    func itemRules() throws {
        let bad = POAMDraft(weakness: "", status: "maybe", scheduled: "2027/03/31", completed: "soon",
                            milestones: [.init(description: "権限表の見直し", due: "", done: false),
                                         .init(description: "", due: "2027-01-01", done: false),
                                         .init(description: "", due: "", done: false)])
        #expect(throws: POAMError.invalid(["weakness": .required, "status": .choice, "scheduled": .date, "completed": .date,
                                           "m0": .milestoneDate, "m1": .milestoneDescription])) {
            _ = try POAMUseCases.item(bad, requirement: "3.1.2", today: Self.today)
        }
        let e = POAMError.invalid(["weakness": .required, "scheduled": .date])
        #expect(e.field == "scheduled")
        #expect(e.description == "scheduled must be a date YYYY-MM-DD; weakness is required.")

        let done = try POAMUseCases.item(POAMDraft(weakness: "権限表がない", status: "completed",
                                                   milestones: [.init(description: "後", due: "2027-02-01", done: true),
                                                                .init(description: "先", due: "2027-01-01", done: true)]),
                                         requirement: "3.1.2", today: Self.today)
        #expect(done.completedOn == Self.today && done.status == .completed)
        #expect(done.milestones.map(\.description) == ["先", "後"])
        let open = try POAMUseCases.item(POAMDraft(weakness: "権限表がない", status: "open", scheduled: "2027-03-31",
                                                   completed: "2027-01-01"), requirement: "3.1.2", today: Self.today)
        #expect(open.completedOn == nil && open.scheduledCompletion == Day("2027-03-31"))
    }

    @Test("Saving: those who edit findings may; the requirement must be in the assessment's catalog; a stale version changes nothing; each save is audited with the day's score point", arguments: TestDatabases.engines)
    func save(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let admin = AssessmentUseCases(w.env, w.scope(.admin))
            let system = try await admin.createSystem(name: "生産管理", boundary: "", environment: "", informationTypes: [], userCount: 3)
            let a = try await admin.createAssessment(systemID: system.id, catalog: nil, date: "2026-11-28", kind: nil, assessor: "")
            let draft = POAMDraft(weakness: "アカウント一覧がない", scheduled: "2027-03-31")
            for role in [Role.viewer, .auditor] {
                await #expect(throws: POAMError.notAllowed, "\(role)") {
                    try await POAMUseCases(w.env, w.scope(role)).save(a, requirement: "3.1.1", draft, ifVersion: 0)
                }
            }
            let contributor = POAMUseCases(w.env, w.scope(.contributor))
            await #expect(throws: POAMError.unknownRequirement("3.99.1", catalog: "sp800-171r2")) {
                try await contributor.save(a, requirement: "3.99.1", draft, ifVersion: 0)
            }
            await #expect(throws: POAMError.invalid(["weakness": .required])) {
                try await contributor.save(a, requirement: "3.1.1", POAMDraft(weakness: ""), ifVersion: 0)
            }
            let store = w.scope(.admin).store
            #expect(try await store.scoreHistory(assessmentID: a.id).isEmpty)
            let first = try await contributor.save(a, requirement: "3.1.1", draft, ifVersion: 0)
            #expect(first.version == 1)
            await #expect(throws: VersionConflict.self) { try await contributor.save(a, requirement: "3.1.1", draft, ifVersion: 0) }
            #expect(try await store.poamItems(assessmentID: a.id).map(\.version) == [1])
            let history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.map(\.day) == [OrganizationCalendar(identifier: w.organization.timeZone).today(w.clock)])
            #expect(try await w.auditActions().filter { $0 == AuditAction.poamUpdated.rawValue }.count == 1)
        }
    }
}

// Fixtures (the authorization matrix, the webhook-destination tests) add webhooks straight through the store, in a
// transaction of their own at the system's clock; the server does it through `ReminderUseCases.createWebhook`.
extension ReminderStore {
    func createWebhook(url: String, by actor: TekigoStore.Actor) async throws -> (secret: String, record: WebhookRecord) {
        try await db.transaction { s in try await createWebhook(url: url, by: actor, at: Date(), on: s) }
    }
}
