import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Paths around a feed no other suite walks: another organization naming the feed's id (as in its own URL), an owner's
/// read-only API token, and a change of both settings at once. No outside server is needed: nothing here reaches one.
@Suite("TAXII feeds: another organization's feed id, a read-only token, one change one audit entry")
struct TAXIIFeedTenantTests {
    static let noRequest = TAXIIFeedHTTP { _ in
        Issue.record("no request may leave for a feed the caller may not pull")
        throw TAXIIFeedError.transport("not sent")
    }

    @Test("Issue 14 item 3 (SP 800-171 3.1.1): an owner of another organization naming a feed's id reads, changes, pulls and deletes nothing — the feed is unknown to it — and no audit entry is written",
          arguments: TestDatabases.engines)
    func anotherOrganization(_ engine: TestDatabases.Engine) async throws {
        try await FeedWorld.with(engine) { w in
            let feed = try await w.cases.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/x/", auth: .bearer,
                                                   secret: "token-of-the-prime", intervalMinutes: 60)
            let u = try await w.services.accounts.createUser(email: "other-owner@example.jp", displayName: "o", passwordHash: "x", platformAdmin: false)
            let other = try await w.services.accounts.createOrganization(name: "Other", owner: u.id).id
            let theirs = TAXIIFeedUseCases(w.services.tenantEnvironment, .commandLine(organizationID: other), addressCheck: { _ in },
                                           http: Self.noRequest)
            let unknown = TAXIIFeedError.unknownFeed(feed.id)
            await #expect(throws: unknown) { try await theirs.feed(id: feed.id) }
            await #expect(throws: unknown) { try await theirs.runs(feedID: feed.id) }
            await #expect(throws: unknown) { try await theirs.setEnabled(feedID: feed.id, false) }
            await #expect(throws: unknown) { try await theirs.setInterval(feedID: feed.id, minutes: 5) }
            await #expect(throws: unknown) { try await theirs.pull(feedID: feed.id) }
            await #expect(throws: unknown) { try await theirs.delete(feedID: feed.id) }
            #expect(try await theirs.feeds().isEmpty)

            let after = try await w.cases.feed(id: feed.id)
            #expect(after.enabled && after.intervalMinutes == 60 && after.lastRunAt == nil)
            #expect(try await w.cases.runs(feedID: feed.id).isEmpty)
            let audit = try await w.services.db.sql.raw("SELECT action FROM audit_log WHERE action LIKE 'taxii.feed-%'").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(audit == ["taxii.feed-subscribed"], "\(audit)")
        }
    }

    @Test("Issue 14 item 3 (SP 800-171 3.1.5): an owner's read-only token reads the feeds and their runs but subscribes, pulls, changes and deletes nothing",
          arguments: TestDatabases.engines)
    func readOnlyToken(_ engine: TestDatabases.Engine) async throws {
        try await FeedWorld.with(engine) { w in
            let feed = try await w.cases.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/x/", auth: .none)
            let token = TAXIICaller(organizationID: w.org, personID: "cli", role: .owner, readOnly: true, actor: Actor(id: "cli", sourceIP: "local"))
            let reading = TAXIIFeedUseCases(w.services.tenantEnvironment, token, addressCheck: { _ in }, http: Self.noRequest)
            #expect(!reading.mayChange)
            #expect(try await reading.feeds().map(\.id) == [feed.id])
            #expect(try await reading.runs(feedID: feed.id).isEmpty)
            let refused = TAXIIFeedError.notAllowed(change: true)
            await #expect(throws: refused) { try await reading.setEnabled(feedID: feed.id, false) }
            await #expect(throws: refused) { try await reading.setInterval(feedID: feed.id, minutes: 120) }
            await #expect(throws: refused) { try await reading.pull(feedID: feed.id) }
            await #expect(throws: refused) { try await reading.delete(feedID: feed.id) }
            await #expect(throws: refused) {
                try await reading.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/y/", auth: .none)
            }
            let after = try await w.cases.feed(id: feed.id)
            #expect(after.enabled && after.intervalMinutes == 60 && after.lastRunAt == nil)
            #expect(try await w.cases.feeds().count == 1)
        }
    }

    @Test("Issue 14 item 3: the interval and scheduled pulls changed together (the API's PATCH, tekigo taxii set) are one change with one audit entry; an interval out of range changes neither",
          arguments: TestDatabases.engines)
    func bothSettingsAtOnce(_ engine: TestDatabases.Engine) async throws {
        try await FeedWorld.with(engine) { w in
            let feed = try await w.cases.subscribe(root: w.slug, collection: "cert", url: "http://127.0.0.1:9/r/collections/x/", auth: .none)
            func changes() async throws -> Int {
                try await w.services.db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'taxii.feed-changed'").first()?
                    .decode(column: "n", as: Int.self) ?? -1
            }
            await #expect(throws: TAXIIFeedError.badInterval(3)) { try await w.cases.update(feedID: feed.id, enabled: false, intervalMinutes: 3) }
            let unchanged = try await w.cases.feed(id: feed.id)
            let before = try await changes()
            #expect(unchanged.enabled && unchanged.intervalMinutes == 60 && before == 0)

            let both = try await w.cases.update(feedID: feed.id, enabled: false, intervalMinutes: 240)
            #expect(!both.enabled && both.intervalMinutes == 240 && both.nextDueAt == nil)
            #expect(try await changes() == 1)
            let same = try await w.cases.update(feedID: feed.id)
            let after = try await changes()
            #expect(same == both && after == 1, "nothing given: nothing changed, nothing audited")
        }
    }
}
