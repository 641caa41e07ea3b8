import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Outside TAXII feeds in the browser and over the JSON API (issue 14 items 3 and 6), over real HTTP on loopback, both
/// engines: the pages in Japanese and English, CSRF on every form, owners and administrators change feeds while a
/// viewer only reads (its direct POSTs refused, nothing changed) and an external auditor sees nothing, and a feed's
/// password never appears in a page or an answer. The outside server is a loopback port nothing listens on, so every
/// pull ends in a recorded error; scheduled pulls are off (the scheduler has its own tests).
@Suite("Feed pages and API", .serialized)
struct FeedPageTests {
    static let secret = "feed-password-never-shown-9f2c"

    struct World {
        let services: Services
        let admin: Browser
        let org: String
        let client: any TestClientProtocol
        let unreachable: String
    }

    static func withServer(_ engine: TestDatabases.Engine, _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-feed-pages")
        var config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path, environment: [:],
                                         logLevel: .warning, reminderInterval: 0)
        config.taxiiFeedCheckInterval = 0
        let (app, services) = try await buildApplication(config)
        let port = try FeedWorld.closedPort()
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (_, org) = try await bootstrapAdmin(admin, services: services)
                _ = try await FeedWorld.world(services, org: org)
                try await body(World(services: services, admin: admin, org: org, client: client,
                                     unreachable: "http://127.0.0.1:\(port)/root/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/"))
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// A signed-in, enrolled member of the organization with `role`.
    static func member(_ w: World, _ role: Role, _ email: String) async throws -> Browser {
        _ = try await AccountSafetyTests.member(w.services, w.org, role, email: email)
        let b = Browser(w.client)
        try await b.login(email, AccountSafetyTests.password)
        let enrol = try await b.send(.post, "/api/v1/me/mfa")
        let secret = try #require(enrol.json["secret"] as? String)
        let confirm = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: w.services.clock.now())])
        try #require(confirm.status == .ok, "enrolment: \(confirm.status)")
        return b
    }

    static func feeds(_ w: World) async throws -> [TAXIIFeedView] {
        try await w.services.taxiiFeeds(.commandLine(organizationID: w.org)).feeds()
    }

    static func runs(_ w: World, _ id: String) async throws -> Int {
        try await w.services.taxiiFeeds(.commandLine(organizationID: w.org)).runs(feedID: id).count
    }

    @Test("Issue 14 items 3 and 6: the feeds pages in Japanese and English — subscribe (CSRF), a refused URL shown beside the form without the password, one feed's state and run history after a failed pull in the viewer's language, interval, off, delete; the password never in a page",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let base = "/o/\(w.org)/sharing/feeds"
            let ja = try await IncidentPageTests.get(w.admin, base)
            #expect(ja.status == .ok && ja.html.contains("外部 TAXII フィード") && ja.html.contains("DIB ISAC — From the CERT"), "\(ja.status)")
            let en = try await IncidentPageTests.get(w.admin, base, "en")
            #expect(en.status == .ok && en.html.contains("Outside TAXII feeds") && en.html.contains("Subscribe a collection"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let form: [(String, String)] = [("target", "dib-isac/cert"), ("url", w.unreachable), ("auth", "basic"), ("username", "feed"),
                                            ("secret", Self.secret), ("interval", "60")]
            let forged = try await IncidentPageTests.post(w.admin, base, form + [("csrf", "wrong")])
            #expect(forged.status == .forbidden)
            #expect(try await Self.feeds(w).isEmpty)

            // A private address is refused beside the form; what was typed comes back, the password does not.
            var refusedForm = form.filter { $0.0 != "url" }
            refusedForm.append(("url", "https://10.0.0.5/root/collections/abc/"))
            let refused = try await IncidentPageTests.post(w.admin, base, refusedForm + [("csrf", csrf)])
            #expect(refused.status == .badRequest && refused.html.contains("10.0.0.5") && refused.html.contains("接続できません"))
            #expect(!refused.html.contains(Self.secret))
            #expect(try await Self.feeds(w).isEmpty)

            let ok = try await IncidentPageTests.post(w.admin, base, form + [("csrf", csrf)])
            #expect(ok.status == .seeOther)
            let feed = try #require(try await Self.feeds(w).first)
            let page = "\(base)/\(feed.id)"
            #expect(ok.headers[.location]?.hasPrefix(page) == true)
            let detail = try await IncidentPageTests.get(w.admin, page)
            #expect(detail.status == .ok && detail.html.contains("取得履歴") && detail.html.contains("まだ取得していません")
                    && detail.html.contains("60 分ごと") && !detail.html.contains(Self.secret))

            // Pull now: the run ends in an error, shown in each language, and kept in the history.
            let pulled = try await IncidentPageTests.post(w.admin, "\(page)/pull", [("csrf", csrf)])
            #expect(pulled.status == .seeOther && pulled.headers[.location]?.contains("notice=feed_pull_failed") == true)
            let afterJA = try await IncidentPageTests.get(w.admin, page)
            #expect(afterJA.html.contains("外部サーバーに接続できません") && afterJA.html.contains("エラー"))
            let afterEN = try await IncidentPageTests.get(w.admin, page, "en")
            #expect(afterEN.html.contains("The outside server could not be reached") && afterEN.html.contains("Run history"))
            #expect(try await Self.runs(w, feed.id) == 1)
            let listed = try await IncidentPageTests.get(w.admin, base, "en")
            #expect(listed.html.contains("could not be reached") && !listed.html.contains(Self.secret))

            // The interval: out of range beside its form, then saved.
            let badInterval = try await IncidentPageTests.post(w.admin, "\(page)/interval", [("csrf", csrf), ("interval", "3")])
            #expect(badInterval.status == .badRequest && badInterval.html.contains("5〜10080"))
            #expect(try await IncidentPageTests.post(w.admin, "\(page)/interval", [("csrf", csrf), ("interval", "120")]).status == .seeOther)
            #expect(try await IncidentPageTests.get(w.admin, page).html.contains("120 分ごと"))
            #expect(try await IncidentPageTests.post(w.admin, "\(page)/interval", [("csrf", "wrong"), ("interval", "240")]).status == .forbidden)

            // Off, then on.
            #expect(try await IncidentPageTests.post(w.admin, "\(page)/enabled", [("csrf", csrf), ("enabled", "0")]).status == .seeOther)
            let off = try await IncidentPageTests.get(w.admin, page)
            #expect(off.html.contains("定期取得を再開する") && off.html.contains("なし（定期取得停止中）"))
            #expect(try await Self.feeds(w).first?.enabled == false)
            #expect(try await IncidentPageTests.post(w.admin, "\(page)/enabled", [("csrf", "wrong"), ("enabled", "1")]).status == .forbidden)
            #expect(try await Self.feeds(w).first?.enabled == false)

            // Delete (CSRF first).
            #expect(try await IncidentPageTests.post(w.admin, "\(page)/delete", [("csrf", "wrong")]).status == .forbidden)
            #expect(try await Self.feeds(w).count == 1)
            let deleted = try await IncidentPageTests.post(w.admin, "\(page)/delete", [("csrf", csrf)])
            #expect(deleted.status == .seeOther && deleted.headers[.location]?.contains("notice=feed_deleted") == true)
            #expect(try await Self.feeds(w).isEmpty)
            #expect(try await IncidentPageTests.get(w.admin, page).status == .notFound)
        }
    }

    @Test("Issue 14 item 3: a viewer sees the feeds and their state but no form, and its direct POSTs (valid CSRF) are refused with nothing changed; an external auditor sees no feed page",
          arguments: TestDatabases.engines)
    func viewerAndAuditor(_ engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let cases = w.services.taxiiFeeds(.commandLine(organizationID: w.org))
            let feed = try await cases.subscribe(root: "dib-isac", collection: "cert", url: w.unreachable, auth: .bearer, secret: Self.secret)
            _ = try await cases.pull(feedID: feed.id)
            let base = "/o/\(w.org)/sharing/feeds", page = "\(base)/\(feed.id)"
            let viewer = try await Self.member(w, .viewer, "feed-viewer@example.jp")
            let list = try await IncidentPageTests.get(viewer, base)
            #expect(list.status == .ok && list.html.contains("dib-isac / cert") && list.html.contains("外部サーバーに接続できません"))
            #expect(!list.html.contains("name=\"target\"") && !list.html.contains(Self.secret))
            let detail = try await IncidentPageTests.get(viewer, page, "en")
            #expect(detail.status == .ok && detail.html.contains("Run history") && !detail.html.contains("\(page)/pull"))
            #expect(!detail.html.contains(Self.secret))
            let csrf = try #require(WebPageTests.formToken(detail.html))
            for (path, form) in [("\(page)/pull", [("csrf", csrf)]), ("\(page)/enabled", [("csrf", csrf), ("enabled", "0")]),
                                 ("\(page)/interval", [("csrf", csrf), ("interval", "240")]), ("\(page)/delete", [("csrf", csrf)]),
                                 (base, [("csrf", csrf), ("target", "dib-isac/cert"), ("url", w.unreachable), ("auth", "none"), ("interval", "60")])] {
                let r = try await IncidentPageTests.post(viewer, path, form)
                #expect(r.status == .forbidden, "\(path): \(r.status)")
            }
            let after = try #require(try await Self.feeds(w).first)
            #expect(try await Self.feeds(w).count == 1 && after.enabled && after.intervalMinutes == 60)
            #expect(try await Self.runs(w, feed.id) == 1)

            let auditor = try await Self.member(w, .auditor, "feed-auditor@example.jp")
            #expect(try await IncidentPageTests.get(auditor, base).status == .forbidden)
            #expect(try await IncidentPageTests.get(auditor, page).status == .forbidden)
        }
    }

    @Test("Issue 14 item 3: the feeds API — subscribe (201, the secret never returned), list, one, PATCH interval and off, pull now (200 with the run's error), runs, DELETE; a viewer reads but may not change; an auditor gets 403; bad bodies 400",
          arguments: TestDatabases.engines)
    func api(_ engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let base = "/api/v1/organizations/\(w.org)/sharing/feeds"
            let created = try await w.admin.send(.post, base, json: ["community": "dib-isac", "collection": "cert", "url": w.unreachable,
                                                                     "auth": "basic", "username": "feed", "secret": Self.secret,
                                                                     "intervalMinutes": 30])
            #expect(created.status == .created, "\(String(decoding: created.body, as: UTF8.self))")
            #expect(!String(decoding: created.body, as: UTF8.self).contains(Self.secret))
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["auth"] as? String == "basic" && created.json["nextDueAt"] is String && created.json["enabled"] as? Bool == true)
            let refused = try await w.admin.send(.post, base, json: ["community": "dib-isac", "collection": "cert",
                                                                     "url": "https://169.254.169.254/r/collections/x/"])
            #expect(refused.status == .badRequest && refused.errorCode == "invalid")
            #expect(try await w.admin.send(.post, base, json: ["community": "dib-isac", "collection": "cert", "url": w.unreachable,
                                                              "password": "x"]).status == .badRequest)
            #expect(try await w.admin.send(.post, base, json: ["community": "dib-isac", "collection": "nope", "url": w.unreachable]).status == .badRequest)

            let list = try await w.admin.send(.get, base)
            #expect(list.status == .ok && !String(decoding: list.body, as: UTF8.self).contains(Self.secret))
            #expect(((try? JSONSerialization.jsonObject(with: list.body)) as? [[String: Any]])?.count == 1)
            #expect(try await w.admin.send(.get, "\(base)/\(id)").json["intervalMinutes"] as? Int == 30)
            #expect(try await w.admin.send(.get, "\(base)/unknown").status == .notFound)

            #expect(try await w.admin.send(.patch, "\(base)/\(id)", json: ["intervalMinutes": 3]).status == .badRequest)
            #expect(try await w.admin.send(.patch, "\(base)/\(id)", json: [String: Any]()).status == .badRequest)
            let off = try await w.admin.send(.patch, "\(base)/\(id)", json: ["enabled": false, "intervalMinutes": 90])
            #expect(off.status == .ok && off.json["enabled"] as? Bool == false && off.json["intervalMinutes"] as? Int == 90 && off.json["nextDueAt"] == nil)

            let run = try await w.admin.send(.post, "\(base)/\(id)/pull")
            #expect(run.status == .ok && run.json["result"] as? String == "error", "\(String(decoding: run.body, as: UTF8.self))")
            #expect(((run.json["error"] as? [String: Any])?["ja"] as? String)?.contains("接続できません") == true)
            let runs = try await w.admin.send(.get, "\(base)/\(id)/runs")
            let items = (try? JSONSerialization.jsonObject(with: runs.body)) as? [[String: Any]]
            #expect(runs.status == .ok && items?.count == 1 && items?.first?["result"] as? String == "error")

            let viewer = try await Self.member(w, .viewer, "api-viewer@example.jp")
            #expect(try await viewer.send(.get, base).status == .ok)
            #expect(try await viewer.send(.get, "\(base)/\(id)/runs").status == .ok)
            #expect(try await viewer.send(.post, "\(base)/\(id)/pull").status == .forbidden)
            #expect(try await viewer.send(.patch, "\(base)/\(id)", json: ["enabled": true]).status == .forbidden)
            #expect(try await viewer.send(.delete, "\(base)/\(id)").status == .forbidden)
            #expect(try await viewer.send(.post, base, json: ["community": "dib-isac", "collection": "cert", "url": w.unreachable]).status == .forbidden)
            let unchanged = try await Self.feeds(w).first
            #expect(try await Self.runs(w, id) == 1 && unchanged?.enabled == false)
            let auditor = try await Self.member(w, .auditor, "api-auditor@example.jp")
            #expect(try await auditor.send(.get, base).status == .forbidden)

            #expect(try await w.admin.send(.delete, "\(base)/\(id)").status == .noContent)
            #expect(try await w.admin.send(.get, "\(base)/\(id)").status == .notFound)
            let audit = try await w.services.db.sql.raw("SELECT action FROM audit_log WHERE action LIKE 'taxii.feed-%'").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(Set(audit) == ["taxii.feed-subscribed", "taxii.feed-changed", "taxii.feed-pulled", "taxii.feed-deleted"], "\(audit)")
        }
    }
}
