import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// The organization's evidence library (issue 17 item 5) over real HTTP on loopback, on both engines: items kept once
/// (files, links, file-share paths shown as text), attached to objectives of many assessments, where-used, expiry by the
/// injected clock flagging the objectives that rely on it, and the attacker paths (a viewer, another organization's
/// item, a stale version, deleting what is in use).
@Suite("Evidence library (#17 item 5)")
struct EvidenceLibraryTests {
    /// 2026-12-07T03:00Z: 2026-12-07 in Tokyo (the organization's default zone).
    static let start = Date(timeIntervalSince1970: 1_796_612_400)
    static let password = "correct horse battery staple 7"

    struct World {
        let client: any TestClientProtocol
        let services: Services
        let clock: SettableClock
        let admin: Browser
        let secret: String
        let org: String
        let store: TenantStore
        let first: AssessmentRecord
        let second: AssessmentRecord
        var api: String { "/api/v1/organizations/\(org)/evidence-library" }
    }

    /// An administrator's organization with one system and two SP 800-171 rev2 assessments (last year's and this year's).
    static func withWorld(_ engine: TestDatabases.Engine, _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        let clock = SettableClock(start)
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (secret, org) = try await bootstrapAdmin(admin, services: services)
                let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
                let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
                let store = TenantStore(services.db, organizationID: org)
                let system = try await store.createSystem(SystemProfile(name: "本社工場ネットワーク"), by: actor)
                let first = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2025-11-20")!,
                                                             kind: .basic, assessor: "", by: actor)
                let second = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-11-28")!,
                                                              kind: .basic, assessor: "", by: actor)
                try await body(World(client: client, services: services, clock: clock, admin: admin, secret: secret, org: org,
                                     store: store, first: first, second: second))
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// The item id from the redirect after a page save (`/o/<org>/evidence/<id>?notice=saved`).
    static func itemID(_ location: String?) throws -> String {
        let path = try #require(location?.split(separator: "?").first)
        return String(try #require(path.split(separator: "/").last))
    }

    static func auditActions(_ w: World) async throws -> [String] {
        try await AuditLog(w.services.db).entries(organizationID: w.org, limit: 10_000).map(\.action)
            .filter { $0.hasPrefix("evidence-item.") }.sorted()
    }

    static func page(_ w: World, _ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil, language: String = "ja")
        async throws -> (status: HTTPResponse.Status, headers: HTTPFields, html: String) {
        try await WebPageTests.page(w.admin, method, uri, form: form, language: language)
    }

    @Test("#17 item 5: a file-share path (\\\\nas\\share…, smb://…) is kept and shown as text, never as a link; one item attached to two assessments shows both in where-used (page and API)",
          arguments: TestDatabases.engines)
    func sharePathAsTextAndWhereUsed(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let list = try await Self.page(w, .get, "/o/\(w.org)/evidence")
            #expect(list.status == .ok && list.html.contains("証跡ライブラリ"))
            let csrf = try #require(WebPageTests.formToken(list.html))
            let unc = #"\\nas\share\規程\情報セキュリティ規程.pdf"#
            let added = try await Self.page(w, .post, "/o/\(w.org)/evidence/new", form: [
                ("csrf", csrf), ("kind", "share"), ("location", unc), ("title", "情報セキュリティ規程"), ("owner_name", "総務 花子"),
                ("document_date", "2026-04-01"), ("expires_on", ""), ("note", "年 1 回見直し")])
            #expect(added.status == .seeOther)
            let id = try Self.itemID(added.headers[.location])
            let smb = try await w.admin.send(.post, w.api, json: [
                "kind": "share", "location": "smb://nas/share/training/2026.xlsx", "title": "年次研修の記録", "ownerName": "人事 次郎",
                "documentDate": "2026-06-01", "expiresOn": "2027-06-01"])
            #expect(smb.status == .created && smb.json["location"] as? String == "smb://nas/share/training/2026.xlsx")

            for path in ["/o/\(w.org)/evidence", "/o/\(w.org)/evidence/\(id)"] {
                let html = try await Self.page(w, .get, path).html
                #expect(html.contains("<code class=\"share-path\">\(unc)</code>"), "\(path) shows the UNC path as text")
                #expect(!html.contains("href=\"\\\\") && !html.contains("href=\"smb:") && !html.contains("href=\"file:"),
                        "\(path) must not link a share path")
            }
            let listed = try await Self.page(w, .get, "/o/\(w.org)/evidence")
            #expect(listed.html.contains("<code class=\"share-path\">smb://nas/share/training/2026.xlsx</code>"))
            #expect(listed.html.contains("総務 花子") && listed.html.contains("共有フォルダー"))
            #expect(try await Self.page(w, .get, "/o/\(w.org)/evidence", language: "en").html.contains("File share"))

            // Attached from the editor to last year's 3.1.1[a], and through the API to this year's.
            let editor = try await Self.page(w, .get, "/o/\(w.org)/assessments/\(w.first.id)/requirements/3.1.1")
            #expect(editor.html.contains("id=\"library\"") && editor.html.contains("<option value=\"\(id)\">情報セキュリティ規程</option>"))
            let attached = try await Self.page(w, .post, "/o/\(w.org)/evidence/attach", form: [
                ("csrf", csrf), ("item", id), ("assessment", w.first.id), ("requirement", "3.1.1"), ("objective", "3.1.1[a]")])
            #expect(attached.status == .seeOther
                    && attached.headers[.location] == "/o/\(w.org)/assessments/\(w.first.id)/requirements/3.1.1?notice=saved#library")
            let viaAPI = try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.second.id, "objective": "3.1.1[a]"])
            #expect(viaAPI.status == .created)
            let again = try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.second.id, "objective": "3.1.1[a]"])
            #expect(again.status == .ok, "attaching twice changes nothing")

            let item = try await Self.page(w, .get, "/o/\(w.org)/evidence/\(id)")
            #expect(item.html.contains("href=\"/o/\(w.org)/assessments/\(w.first.id)/requirements/3.1.1#library\""))
            #expect(item.html.contains("href=\"/o/\(w.org)/assessments/\(w.second.id)/requirements/3.1.1#library\""))
            #expect(item.html.contains("2025") && item.html.contains("2026") && item.html.contains("本社工場ネットワーク"))
            let used = try await w.admin.send(.get, "\(w.api)/\(id)/attachments")
            let uses = (try JSONSerialization.jsonObject(with: used.body) as? [[String: Any]]) ?? []
            #expect(Set(uses.compactMap { $0["assessment"] as? String }) == [w.first.id, w.second.id])
            #expect(uses.map { $0["objective"] as? String } == ["3.1.1[a]", "3.1.1[a]"])
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["useCount"] as? Int == 2)
            // Detached from this year's through the API: where-used names last year's only; a second detach is 404.
            let detach = "\(w.api)/\(id)/attachments?assessment=\(w.second.id)&objective=3.1.1%5Ba%5D"
            let detached = try await w.admin.send(.delete, detach)
            #expect(detached.status == .ok && detached.json["useCount"] as? Int == 1)
            #expect(((detached.json["usedBy"] as? [[String: Any]]) ?? []).compactMap { $0["assessment"] as? String } == [w.first.id])
            #expect(try await w.admin.send(.delete, detach).status == .notFound)
            #expect(try await w.admin.send(.get, "\(w.api)?filter=soon").status == .badRequest)
            #expect(try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.second.id, "objective": "3.1.1[z]"]).status == .badRequest)
            #expect(try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.second.id, "objective": "3.1.1[a]"]).status == .created)
            // The findings themselves are untouched: the library is beside them.
            #expect(try await w.store.findings(assessmentID: w.first.id).isEmpty)
            #expect(try await Self.auditActions(w) == ["evidence-item.added", "evidence-item.added", "evidence-item.attached",
                                                       "evidence-item.attached", "evidence-item.attached", "evidence-item.detached"])
        }
    }

    @Test("#17 item 5: an expiry in the past flags the objectives relying on it (overview and editor, ja and en) once the test clock passes it; 'expiring soon' before",
          arguments: TestDatabases.engines)
    func expiredEvidenceFlagsObjectives(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let made = try await w.admin.send(.post, w.api, json: [
                "kind": "link", "location": "https://intra.example.jp/training/2025", "title": "セキュリティ研修 受講記録",
                "ownerName": "人事 次郎", "documentDate": "2025-12-20", "expiresOn": "2026-12-20"])
            let id = try #require(made.json["id"] as? String)
            #expect(made.json["expiry"] as? String == "expiring-soon")
            #expect(try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.second.id, "objective": "3.2.1[a]"]).status == .created)
            let overview = "/o/\(w.org)/assessments/\(w.second.id)"
            let editor = "\(overview)/requirements/3.2.1"
            let html1 = try await Self.page(w, .get, overview).html
            #expect(!html1.contains("id=\"expired-evidence\""))
            let before = try await Self.page(w, .get, editor).html
            #expect(before.contains("セキュリティ研修 受講記録") && !before.contains("期限切れの証跡あり"))
            let soon = try await Self.page(w, .get, "/o/\(w.org)/evidence?filter=expiring-soon").html
            #expect(soon.contains("セキュリティ研修 受講記録") && soon.contains("期限間近"))
            let html2 = try await Self.page(w, .get, "/o/\(w.org)/evidence?filter=expired").html
            #expect(!html2.contains("セキュリティ研修 受講記録"))

            // 2026-12-20 is still good; on 2026-12-21 (Tokyo) it has expired. The session's idle timeout passes too: sign in again.
            w.clock.advance(by: 13 * 86_400)
            try #require(try await w.admin.login("admin@example.jp", Self.password, code: currentTOTP(w.secret, at: w.clock.now())).status == .ok)
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["expiry"] as? String == "expiring-soon")
            w.clock.advance(by: 86_400)
            try #require(try await w.admin.login("admin@example.jp", Self.password, code: currentTOTP(w.secret, at: w.clock.now())).status == .ok)
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["expiry"] as? String == "expired")
            let flagged = try await Self.page(w, .get, overview)
            #expect(flagged.html.contains("id=\"expired-evidence\"") && flagged.html.contains("期限切れの証跡に依存する評価目標"))
            #expect(flagged.html.contains("<a href=\"\(editor)#library\">3.2.1[a]</a>"))
            #expect(try await Self.page(w, .get, overview, language: "en").html.contains("Objectives relying on expired evidence"))
            let after = try await Self.page(w, .get, editor).html
            #expect(after.contains("期限切れの証跡あり") && after.contains("library-objective expired"))
            #expect(try await Self.page(w, .get, editor, language: "en").html.contains("Relies on expired evidence"))
            let expired = try await Self.page(w, .get, "/o/\(w.org)/evidence?filter=expired").html
            #expect(expired.contains("セキュリティ研修 受講記録") && expired.contains("期限切れ"))
            #expect(try await Self.page(w, .get, "/o/\(w.org)/evidence?filter=expired", language: "en").html.contains("Expired"))
            let apiExpired = try await w.admin.send(.get, "\(w.api)?filter=expired")
            #expect(((try JSONSerialization.jsonObject(with: apiExpired.body) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [id])
            // Last year's assessment does not rely on it: nothing flagged there.
            let html3 = try await Self.page(w, .get, "/o/\(w.org)/assessments/\(w.first.id)").html
            #expect(!html3.contains("id=\"expired-evidence\""))
        }
    }

    @Test("#17 item 5: deleting an item still attached is refused naming where (page after confirmation, and API 409); once detached it is deleted, audited",
          arguments: TestDatabases.engines)
    func deleteRefusedWhileAttached(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let made = try await w.admin.send(.post, w.api, json: [
                "kind": "share", "location": #"\\nas\share\access-list.xlsx"#, "title": "アクセス権一覧", "ownerName": "情報システム 三郎"])
            let id = try #require(made.json["id"] as? String)
            #expect(made.json["documentDate"] as? String == "2026-12-07", "no date given: the organization's today by the clock")
            _ = try await w.admin.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.first.id, "objective": "3.1.1[b]"])

            let confirm = try await Self.page(w, .get, "/o/\(w.org)/evidence/\(id)/delete")
            #expect(confirm.status == .ok && confirm.html.contains("削除できません") && confirm.html.contains("3.1.1[b]"))
            #expect(!confirm.html.contains("id=\"evidence-delete-confirm\""))
            let csrf = try #require(WebPageTests.formToken(confirm.html))
            let forced = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/delete", form: [("csrf", csrf), ("version", "1")])
            #expect(forced.status == .conflict && forced.html.contains("3.1.1[b]") && forced.html.contains("先に添付を外してから"))
            let api = try await w.admin.send(.delete, "\(w.api)/\(id)")
            #expect(api.status == .conflict)
            #expect(((api.json["error"] as? [String: Any])?["message"] as? String)?.contains("3.1.1[b]") == true)
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").status == .ok)

            let detached = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/detach",
                                               form: [("csrf", csrf), ("assessment", w.first.id), ("objective", "3.1.1[b]")])
            #expect(detached.status == .seeOther)
            let open = try await Self.page(w, .get, "/o/\(w.org)/evidence/\(id)/delete")
            #expect(open.html.contains("id=\"evidence-delete-confirm\""))
            let deleted = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/delete", form: [("csrf", csrf), ("version", "1")])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/o/\(w.org)/evidence?notice=evidence_deleted")
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").status == .notFound)
            #expect(try await Self.auditActions(w) == ["evidence-item.added", "evidence-item.attached", "evidence-item.deleted",
                                                       "evidence-item.detached"])
            #expect(try await AuditLog(w.services.db).verify().isIntact)
        }
    }

    @Test("#17 item 5: a viewer reads the library but cannot add (403 on the form, the forged post and the API), edit, delete or attach; nothing is written",
          arguments: TestDatabases.engines)
    func viewerCannotAdd(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let made = try await w.admin.send(.post, w.api, json: [
                "kind": "link", "location": "https://intra.example.jp/policy", "title": "規程", "ownerName": "総務"])
            let id = try #require(made.json["id"] as? String)
            _ = try await AccountSafetyTests.member(w.services, w.org, .viewer, email: "viewer@example.jp")
            let v = Browser(w.client)
            try await v.login("viewer@example.jp", AccountSafetyTests.password, code: nil)
            let enrol = try await v.send(.post, "/api/v1/me/mfa")
            let code = currentTOTP(try #require(enrol.json["secret"] as? String), at: w.clock.now())
            try #require(try await v.send(.post, "/api/v1/me/mfa/confirm", json: ["code": code]).status == .ok)
            let list = try await WebPageTests.page(v, .get, "/o/\(w.org)/evidence")
            #expect(list.status == .ok && list.html.contains("規程") && !list.html.contains("id=\"evidence-new\""))
            let csrf = try #require(WebPageTests.formToken(list.html))
            #expect(try await WebPageTests.page(v, .get, "/o/\(w.org)/evidence/new").status == .forbidden)
            let forged = try await WebPageTests.page(v, .post, "/o/\(w.org)/evidence/new", form: [
                ("csrf", csrf), ("kind", "link"), ("location", "https://evil.example/x"), ("title", "乗っ取り"), ("owner_name", "x")])
            #expect(forged.status == .forbidden && forged.html.contains("権限がありません"))
            #expect(try await v.send(.post, w.api, json: ["kind": "link", "location": "https://evil.example/x", "title": "x", "ownerName": "x"]).status == .forbidden)
            #expect(try await v.send(.put, "\(w.api)/\(id)", json: ["kind": "link", "location": "https://evil.example/x", "title": "x",
                                                                     "ownerName": "x", "version": 1]).status == .forbidden)
            #expect(try await v.send(.delete, "\(w.api)/\(id)").status == .forbidden)
            #expect(try await v.send(.post, "\(w.api)/\(id)/attachments", json: ["assessment": w.first.id, "objective": "3.1.1[a]"]).status == .forbidden)
            let item = try await WebPageTests.page(v, .get, "/o/\(w.org)/evidence/\(id)")
            #expect(item.status == .ok && !item.html.contains("id=\"evidence-edit\"") && !item.html.contains("id=\"evidence-delete\""))
            let items = (try JSONSerialization.jsonObject(with: try await w.admin.send(.get, w.api).body) as? [[String: Any]]) ?? []
            #expect(items.count == 1 && items.first?["version"] as? Int == 1 && items.first?["useCount"] as? Int == 0)
            #expect(try await Self.auditActions(w) == ["evidence-item.added"])
        }
    }

    @Test("#17 item 5: another organization's item id is 404 (API read, change, delete, attach; its pages), and its assessment cannot take our item",
          arguments: TestDatabases.engines)
    func otherOrganizationsItemIsNotFound(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let me = try #require(try await w.services.accounts.user(email: "admin@example.jp"))
            let other = try await w.services.accounts.createOrganization(name: "株式会社サプライヤー", owner: me.id)
            let theirs = try await w.admin.send(.post, "/api/v1/organizations/\(other.id)/evidence-library", json: [
                "kind": "link", "location": "https://supplier.example.jp/policy", "title": "他社の規程", "ownerName": "先方"])
            let theirID = try #require(theirs.json["id"] as? String)
            // The same person, in our organization, naming their item: not found everywhere.
            #expect(try await w.admin.send(.get, "\(w.api)/\(theirID)").status == .notFound)
            #expect(try await w.admin.send(.put, "\(w.api)/\(theirID)", json: ["kind": "link", "location": "https://x.example", "title": "x",
                                                                             "ownerName": "x", "version": 1]).status == .notFound)
            #expect(try await w.admin.send(.delete, "\(w.api)/\(theirID)").status == .notFound)
            #expect(try await w.admin.send(.post, "\(w.api)/\(theirID)/attachments", json: ["assessment": w.first.id, "objective": "3.1.1[a]"]).status == .notFound)
            #expect(try await Self.page(w, .get, "/o/\(w.org)/evidence/\(theirID)").status == .notFound)
            #expect(try await Self.page(w, .get, "/o/\(w.org)/evidence/\(theirID)/edit").status == .notFound)
            // Our item onto an assessment of ours through their organization's address: their scope has no such assessment.
            let ours = try await w.admin.send(.post, w.api, json: ["kind": "link", "location": "https://intra.example.jp/a", "title": "当社", "ownerName": "a"])
            let ourID = try #require(ours.json["id"] as? String)
            #expect(try await w.admin.send(.post, "/api/v1/organizations/\(other.id)/evidence-library/\(ourID)/attachments",
                                           json: ["assessment": w.first.id, "objective": "3.1.1[a]"]).status == .notFound)
            #expect(try await w.admin.send(.get, "/api/v1/organizations/\(other.id)/evidence-library/\(theirID)").json["title"] as? String == "他社の規程")
            #expect(try await w.admin.send(.get, "/api/v1/organizations/\(other.id)/evidence-library/\(theirID)").json["useCount"] as? Int == 0)
        }
    }

    @Test("#17 item 5: saving an edit twice with the same version is a conflict (page: 409 with the input kept and the newer version; API: 409), nothing overwritten; errors sit under their field",
          arguments: TestDatabases.engines)
    func staleEditIsConflict(engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { w in
            let made = try await w.admin.send(.post, w.api, json: [
                "kind": "link", "location": "https://intra.example.jp/backup", "title": "バックアップ手順", "ownerName": "情報システム 三郎",
                "documentDate": "2026-01-10"])
            let id = try #require(made.json["id"] as? String)
            let edit = try await Self.page(w, .get, "/o/\(w.org)/evidence/\(id)/edit")
            #expect(edit.status == .ok && edit.html.contains("value=\"バックアップ手順\"") && edit.html.contains("name=\"version\" value=\"1\""))
            let csrf = try #require(WebPageTests.formToken(edit.html))
            func form(_ title: String, version: String = "1", location: String = "https://intra.example.jp/backup",
                      expires: String = "") -> [(String, String)] {
                [("csrf", csrf), ("version", version), ("kind", "link"), ("location", location), ("title", title),
                 ("owner_name", "情報システム 三郎"), ("document_date", "2026-01-10"), ("expires_on", expires)]
            }
            let saved = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/edit", form: form("バックアップ手順 第2版"))
            #expect(saved.status == .seeOther)
            let stale = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/edit", form: form("古いタブの題名"))
            #expect(stale.status == .conflict && stale.html.contains("他の人が先にこの項目を変更しました"))
            #expect(stale.html.contains("value=\"古いタブの題名\"") && stale.html.contains("name=\"version\" value=\"2\""))
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["title"] as? String == "バックアップ手順 第2版")
            let put = ["kind": "link", "location": "https://intra.example.jp/backup", "title": "API 版", "ownerName": "x", "version": 2] as [String: Any]
            #expect(try await w.admin.send(.put, "\(w.api)/\(id)", json: put).status == .ok)
            let twice = try await w.admin.send(.put, "\(w.api)/\(id)", json: put)
            #expect(twice.status == .conflict && twice.errorCode == "conflict")
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["version"] as? Int == 3)

            // Bad input: the message under the field, the input kept, nothing written.
            let badLink = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/edit", form: form("x", version: "3", location: "nas/share"))
            #expect(badLink.status == .badRequest && badLink.html.contains("id=\"location-error\"") && badLink.html.contains("value=\"nas/share\""))
            let badExpiry = try await Self.page(w, .post, "/o/\(w.org)/evidence/\(id)/edit", form: form("x", version: "3", expires: "2025-01-01"))
            #expect(badExpiry.status == .badRequest && badExpiry.html.contains("id=\"expires-error\""))
            let english = try await Self.page(w, .post, "/o/\(w.org)/evidence/new", form: [
                ("csrf", csrf), ("kind", "file"), ("location", String(repeating: "a", count: 64)), ("title", "x"), ("owner_name", "y")],
                language: "en")
            #expect(english.status == .badRequest && english.html.contains("upload the file first"))
            #expect(try await w.admin.send(.get, "\(w.api)/\(id)").json["version"] as? Int == 3)
            #expect(try await Self.auditActions(w) == ["evidence-item.added", "evidence-item.updated", "evidence-item.updated"])
        }
    }
}
