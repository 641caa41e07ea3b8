import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Issue #16 item 5, one clock: the server takes every "now" from `ServerConfiguration.clock`, so these tests move
/// time with a `SettableClock` over real HTTP on loopback instead of waiting for it; and an organization's "today"
/// is its calendar day in its own time zone (stored with the organization, Asia/Tokyo unless an owner sets another).
@Suite("One clock: sessions, an organization's today", .serialized)
struct ClockTests {
    /// 2026-12-06T16:30Z: already 2026-12-07 in Tokyo (UTC+9), still 2026-12-06 in UTC.
    static let nearMidnight = Date(timeIntervalSince1970: 1_796_574_600)

    static func iso(_ d: Date) -> String { d.formatted(Date.ISO8601FormatStyle()) }

    @Test("The rule: 2026-12-06T16:30Z is 2026-12-07 in Asia/Tokyo and 2026-12-06 in UTC")
    func rule() {
        #expect(Self.iso(Self.nearMidnight) == "2026-12-06T16:30:00Z")
        let clock = SettableClock(Self.nearMidnight)
        #expect(OrganizationCalendar(identifier: "Asia/Tokyo").today(clock) == Day("2026-12-07"))
        #expect(OrganizationCalendar(identifier: "UTC").today(clock) == Day("2026-12-06"))
        #expect(Day.today(in: TimeZone(identifier: "America/New_York")!, clock: clock) == Day("2026-12-06"))
        // An unknown stored zone falls back to the default rather than failing every page.
        #expect(OrganizationCalendar(identifier: "Mars/Olympus").timeZone.identifier == OrganizationCalendar.defaultTimeZone)
    }

    @Test("A session's idle timeout passes without waiting: 14 minutes idle is fine, 16 more end the session",
          arguments: TestDatabases.engines)
    func idleTimeout(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.nearMidnight)
        let (app, services) = try await TestServer.make(engine, clock: clock)
        try await app.test(.live) { client in
            let b = Browser(client)
            _ = try await bootstrapAdmin(b, services: services)
            #expect(try await b.send(.get, "/api/v1/me").status == .ok)
            clock.advance(by: 14 * 60)
            #expect(try await b.send(.get, "/api/v1/me").status == .ok)
            // The request above counted as activity (last seen moved on): another 14 minutes is still inside.
            clock.advance(by: 14 * 60)
            #expect(try await b.send(.get, "/api/v1/me").status == .ok)
            clock.advance(by: services.config.idleTimeout + 60)
            #expect(try await b.send(.get, "/api/v1/me").status == .unauthorized)
        }
        await services.db.close()
    }

    @Test("An organization's today is in its time zone: a finding saved at 16:30Z is dated the Tokyo day; PATCH sets the zone (audited, owners)",
          arguments: TestDatabases.engines)
    func findingDate(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.nearMidnight)
        let (app, services) = try await TestServer.make(engine, clock: clock)
        try await app.test(.live) { client in
            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let orgPath = "/api/v1/organizations/\(org)"
            #expect(try await b.send(.get, orgPath).json["timeZone"] as? String == "Asia/Tokyo")
            let sys = try await b.send(.post, "\(orgPath)/systems", json: ["name": "本社工場", "userCount": 20])
            let systemID = try #require(sys.json["id"] as? String)
            let asm = try await b.send(.post, "\(orgPath)/assessments", json: ["systemId": systemID, "date": "2026-12-01", "kind": "basic"])
            let base = "\(orgPath)/assessments/\(try #require(asm.json["id"] as? String))"

            let tokyo = try await b.send(.put, "\(base)/findings/3.1.1[a]", json: ["status": "met"])
            #expect(tokyo.status == .ok)
            #expect(tokyo.json["assessedOn"] as? String == "2026-12-07")

            // Refused: not a zone; the field is named and nothing changes.
            let bad = try await b.send(.patch, orgPath, json: ["timeZone": "Mars/Olympus"])
            #expect(bad.status == .badRequest)
            #expect((bad.json["error"] as? [String: Any])?["field"] as? String == "timeZone")
            #expect(try await b.send(.patch, orgPath, json: ["timeZone": "UTC", "name": "x"]).status == .badRequest)

            let utc = try await b.send(.patch, orgPath, json: ["timeZone": "UTC"])
            #expect(utc.status == .ok)
            #expect(utc.json["timeZone"] as? String == "UTC")
            #expect(try await b.send(.get, orgPath).json["timeZone"] as? String == "UTC")
            let later = try await b.send(.put, "\(base)/findings/3.1.1[b]", json: ["status": "met"])
            #expect(later.json["assessedOn"] as? String == "2026-12-06")

            let audit = try await b.send(.get, "\(orgPath)/audit")
            let entries = (try JSONSerialization.jsonObject(with: audit.body) as? [[String: Any]]) ?? []
            let actions = entries.compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == AuditAction.organizationTimeZoneChanged.rawValue }.count == 1)
            #expect(try await AuditLog(services.db).verify().isIntact)
        }
        await services.db.close()
    }

    @Test("Pages: the members page shows the organization's time zone; an owner sets it there (audited), a wrong zone is refused; the POA&M board's posting check uses it",
          arguments: TestDatabases.engines)
    func pages(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.nearMidnight)
        let (app, services) = try await TestServer.make(engine, clock: clock)
        try await app.test(.live) { client in
            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let members = try await WebPageTests.page(b, .get, "/o/\(org)/members")
            #expect(members.status == .ok)
            #expect(members.html.contains("組織のタイムゾーン"))
            #expect(members.html.contains("<option value=\"Asia/Tokyo\" selected>"))
            let csrf = try #require(WebPageTests.formToken(members.html))
            let action = PageRoute.organizationTimeZone(org: org).path

            let wrong = try await WebPageTests.page(b, .post, action, form: [("csrf", csrf), ("time_zone", "Mars/Olympus")])
            #expect(wrong.status == .badRequest)
            #expect(try await services.accounts.organization(id: org)?.timeZone == "Asia/Tokyo")

            let saved = try await WebPageTests.page(b, .post, action, form: [("csrf", csrf), ("time_zone", "UTC")], language: "en")
            #expect(saved.status == .seeOther)
            #expect(try await services.accounts.organization(id: org)?.timeZone == "UTC")
            let after = try await WebPageTests.page(b, .get, "/o/\(org)/members", language: "en")
            #expect(after.html.contains("Organization time zone"))
            #expect(after.html.contains("<option value=\"UTC\" selected>"))
            let entries = try await AuditLog(services.db).entries(organizationID: org, limit: 100, before: nil)
            #expect(entries.filter { $0.action == AuditAction.organizationTimeZoneChanged.rawValue }.count == 1)

            // The board's posting check: 2026-12-07 is tomorrow for the UTC organization, today once it is in Tokyo.
            let (store, a) = try await WebPageTests.assessment(services, org)
            let posted = PageRoute.resultsPosted(org: org, assessment: a.id).path
            let early = try await WebPageTests.page(b, .post, posted, form: [("csrf", csrf), ("version", "\(a.version)"), ("posted", "2026-12-07")])
            #expect(early.status == .badRequest)
            #expect(try await store.assessment(id: a.id)?.resultsPostedOn == nil)
            _ = try await WebPageTests.page(b, .post, action, form: [("csrf", csrf), ("time_zone", "Asia/Tokyo")])
            let today = try await WebPageTests.page(b, .post, posted, form: [("csrf", csrf), ("version", "\(a.version)"), ("posted", "2026-12-07")])
            #expect(today.status == .seeOther)
            #expect(try await store.assessment(id: a.id)?.resultsPostedOn == "2026-12-07")
        }
        await services.db.close()
    }

    @Test("A results-posting date that is tomorrow in UTC but today in Tokyo is accepted for a Tokyo organization, refused for a UTC one",
          arguments: TestDatabases.engines)
    func postingDate(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.nearMidnight)
        let (app, services) = try await TestServer.make(engine, clock: clock)
        try await app.test(.live) { client in
            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let orgPath = "/api/v1/organizations/\(org)"
            let sys = try await b.send(.post, "\(orgPath)/systems", json: ["name": "本社工場", "userCount": 20])
            let systemID = try #require(sys.json["id"] as? String)
            let asm = try await b.send(.post, "\(orgPath)/assessments", json: ["systemId": systemID, "date": "2026-12-01", "kind": "basic"])
            let base = "\(orgPath)/assessments/\(try #require(asm.json["id"] as? String))"

            #expect(try await b.send(.patch, orgPath, json: ["timeZone": "UTC"]).status == .ok)
            let future = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-12-07"])
            #expect(future.status == .badRequest)
            #expect((future.json["error"] as? [String: Any])?["field"] as? String == "resultsPostedOn")

            #expect(try await b.send(.patch, orgPath, json: ["timeZone": "Asia/Tokyo"]).status == .ok)
            let today = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-12-07"])
            #expect(today.status == .ok)
            #expect(today.json["resultsPostedOn"] as? String == "2026-12-07")
            #expect(try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-12-08"]).status == .badRequest)
        }
        await services.db.close()
    }
}
