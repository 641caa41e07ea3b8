import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The incident registers through the JSON API and the pages (issue 13 item 5, "the retention lock through every
/// path"), on both engines, with the server's clock moved across the end of the DFARS 252.204-7012(e) hold: 409 naming
/// the date before (`heldUntil` in the API's body, the page in the viewer's language), allowed after; refusals in the
/// audit chain; a sample never served as it is; need-to-know 403s.
@Suite("Incident registers through the API and the pages")
struct IncidentRegisterFlowTests {
    static let password = "correct horse battery staple 7"
    static func instant(_ text: String) -> Date { try! OffsetInstant.parse(text).date }
    static let holdEnds = instant("2027-04-09T01:00:00Z")
    static let sample = Data("MZ test pattern that stands for a dropper 7c1e".utf8)

    struct World {
        let client: any TestClientProtocol
        let services: Services
        let clock: SettableClock
        let admin: Browser
        let secret: String
        let org: String
        let incident: String
        let scope: TenantScope

        var base: String { "/api/v1/organizations/\(org)/incidents/\(incident)" }
        var pageBase: String { "/o/\(org)/incidents/\(incident)/registers" }

        /// Sessions end with the clock's jump of 90 days: sign in again at the server's clock.
        func signInAgain() async throws {
            admin.cookie = nil
            let r = try await admin.login("admin@example.jp", IncidentRegisterFlowTests.password,
                                          code: currentTOTP(secret, at: clock.now()))
            try #require(r.status == .ok, "sign-in again: \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        }

        func recordInitialReport() async throws {
            clock.set(IncidentRegisterFlowTests.instant("2027-01-09T11:00:00+09:00"))
            _ = try await IncidentUseCases(services.tenantEnvironment, scope).recordSubmission(
                id: incident, kind: "dod-initial", submittedAt: "2027-01-09T10:00:00+09:00", channel: "DC3 portal",
                reportNumber: "ICF-\(UUID().uuidString.prefix(8))")
        }

        /// A member with `role` and no incident-team grant, signed in with MFA.
        func member(_ role: Role) async throws -> Browser {
            let email = "\(role.rawValue)-\(UUID().uuidString.prefix(6))@example.jp"
            let user = try await services.accounts.createUser(email: email, displayName: role.rawValue,
                                                              passwordHash: try await PasswordHasher.hash(IncidentRegisterFlowTests.password),
                                                              platformAdmin: false)
            try await services.accounts.setMembership(userID: user.id, organizationID: org, role: role)
            let b = Browser(client)
            try #require(try await b.login(email, IncidentRegisterFlowTests.password).status == .ok)
            let enrol = try await b.send(.post, "/api/v1/me/mfa")
            let secret = try #require(enrol.json["secret"] as? String)
            try #require(try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: clock.now())]).status == .ok)
            return b
        }

        func refusals() async throws -> Int {
            try await services.db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org)
                .where("action", .equal, AuditAction.incidentHeldItemRefused.rawValue).all().count
        }
    }

    func withWorld(_ engine: TestDatabases.Engine, _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        let clock = SettableClock(Self.instant("2027-01-08T03:00:00+09:00"))
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (secret, org) = try await bootstrapAdmin(admin, services: services)
                let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
                let o = try #require(try await services.accounts.organization(id: org))
                let scope = TenantScope(organization: o, role: .owner, actor: Actor(id: me.id, sourceIP: "127.0.0.1"),
                                        store: TenantStore(services.db, organizationID: org))
                let d = try await IncidentUseCases(services.tenantEnvironment, scope).open(IncidentDraft(
                    title: "CAD サーバのランサムウェア感染", discoveredAt: "2027-01-08T02:13:00+09:00", discoveredTimeZone: "Asia/Tokyo",
                    discoveredBy: "情報システム課 山田", detectionMethod: "message-from-attacker"))
                try await body(World(client: client, services: services, clock: clock, admin: admin, secret: secret, org: org,
                                     incident: d.id, scope: scope))
                let v = try await AuditLog(services.db).verify()
                #expect(v.isIntact, "\(v.problems.map(\.message))")
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    static func error(_ r: Browser.Reply) -> [String: Any] { (r.json["error"] as? [String: Any]) ?? [:] }

    @Test("DFARS 252.204-7012(e) through the API: DELETE and PUT of a held sample or media entry are 409 held_item, heldUntil null before the DoD initial report and the instant (submission + 2160 h) after it; allowed at that instant; every refusal audited",
          arguments: TestDatabases.engines)
    func apiRetentionLock(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let up = try await w.admin.send(.post, w.base + "/malware?filename=dropper.exe&description=%E6%A4%9C%E4%BD%93", raw: Self.sample,
                                            headers: [.contentType: "application/octet-stream"])
            #expect(up.status == .created)
            let sha = try #require(up.json["sha256"] as? String)
            let m = try await w.admin.send(.post, w.base + "/media", json: ["kind": "packet-capture", "description": "境界 FW の pcap",
                                                                          "location": "NAS /pcap/2027-01-08", "holder": "山田", "size": 1024])
            #expect(m.status == .created)
            let media = try #require(m.json["id"] as? String)

            for (method, path, body) in [(HTTPRequest.Method.delete, "/media/\(media)", nil),
                                         (.put, "/media/\(media)", ["location": "別の NAS", "version": 1] as [String: Any]?),
                                         (.delete, "/malware/\(sha)", nil)] {
                let r = try await w.admin.send(method, w.base + path, json: body)
                #expect(r.status == .conflict, "\(method) \(path)")
                #expect(Self.error(r)["code"] as? String == "held_item")
                #expect(Self.error(r)["heldUntil"] is NSNull, "\(method) \(path): \(Self.error(r))")
            }
            let replace = try await w.admin.send(.put, w.base + "/malware/\(sha)?filename=x", raw: Data("other".utf8),
                                                 headers: [.contentType: "application/octet-stream"])
            #expect(replace.status == .conflict && Self.error(replace)["code"] as? String == "held_item")

            try await w.recordInitialReport()
            try await w.signInAgain()
            let hold = try await w.admin.send(.get, w.base + "/hold")
            #expect(hold.json["state"] as? String == "held" && hold.json["until"] as? String == "2027-04-09T01:00:00.000Z")
            w.clock.set(Self.holdEnds.addingTimeInterval(-60))
            try await w.signInAgain()
            let late = try await w.admin.send(.delete, w.base + "/media/\(media)")
            #expect(late.status == .conflict)
            #expect(Self.error(late)["heldUntil"] as? String == "2027-04-09T01:00:00.000Z")
            #expect((Self.error(late)["message"] as? String)?.contains("2027-04-09") == true)
            #expect(try await w.refusals() == 5)
            let registers = try await w.admin.send(.get, w.base + "/registers")
            #expect((registers.json["media"] as? [[String: Any]])?.first?["disposedAt"] == nil)

            w.clock.set(Self.holdEnds)
            try await w.signInAgain()
            #expect(try await w.admin.send(.delete, w.base + "/media/\(media)").status == .noContent)
            #expect(try await w.admin.send(.delete, w.base + "/malware/\(sha)").status == .noContent)
            let after = try await w.admin.send(.get, w.base + "/registers")
            #expect((after.json["hold"] as? [String: Any])?["state"] as? String == "ended")
            #expect((after.json["media"] as? [[String: Any]])?.first?["disposedAt"] as? String != nil)
            #expect(try await w.admin.send(.post, w.base + "/malware/\(sha)/archive", json: ["confirmWarning": true]).status == .conflict)
            #expect(try await w.refusals() == 5)
        }
    }

    @Test("DFARS 252.204-7012(d) through the API: a sample is never served as it is — no GET of its bytes, not in the evidence vault, the archive only with confirmWarning, as JSON with a one-time key whose file opens to the sample; custody and DoD requests round-trip; a viewer without need-to-know gets 403",
          arguments: TestDatabases.engines)
    func apiSampleNeverInline(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let up = try await w.admin.send(.post, w.base + "/malware?filename=dropper.exe", raw: Self.sample,
                                            headers: [.contentType: "application/octet-stream"])
            let sha = try #require(up.json["sha256"] as? String)
            for path in [w.base + "/malware/\(sha)", "/api/v1/organizations/\(w.org)/evidence/\(sha)"] {
                let r = try await w.admin.send(.get, path)
                #expect(r.status != .ok, "\(path)")
                #expect(r.body.range(of: Self.sample) == nil)
            }
            let unconfirmed = try await w.admin.send(.post, w.base + "/malware/\(sha)/archive", json: [:] as [String: Any])
            #expect(unconfirmed.status == .badRequest && Self.error(unconfirmed)["field"] as? String == "confirm")
            let a = try await w.admin.send(.post, w.base + "/malware/\(sha)/archive", json: ["confirmWarning": true])
            #expect(a.status == .ok)
            #expect(a.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(a.body.range(of: Self.sample) == nil)
            let key = try #require(a.json["key"] as? String)
            let encoded = try #require(a.json["archive"] as? String)
            let file = try #require(Data(base64Encoded: encoded))
            #expect(IncidentSampleArchive.open(file, keyHex: key) == Self.sample)
            #expect(a.json["filename"] as? String == "\(sha).tekigo-sample")

            let m = try await w.admin.send(.post, w.base + "/media", json: ["kind": "image", "description": "イメージ", "location": "金庫",
                                                                          "holder": "山田"])
            let media = try #require(m.json["id"] as? String)
            #expect(try await w.admin.send(.post, w.base + "/custody", json: ["itemKind": "media", "itemId": media,
                                                                              "at": "2027-01-08T02:50:00+09:00", "from": "山田",
                                                                              "to": "鈴木"]).status == .created)
            #expect(try await w.admin.send(.post, w.base + "/malware/\(sha)/transfers", json: [
                "sentAt": "2027-01-08T02:55:00+09:00", "method": "DC3 portal", "sentBy": "山田", "dc3Reference": "DC3-1"]).status == .created)
            let q = try await w.admin.send(.post, w.base + "/dod-requests", json: ["kind": "damage-assessment", "receivedAt": "2027-01-08T02:56:00+09:00",
                                                                                 "requestedBy": "CO", "asked": "(e) の情報一式"])
            let request = try #require(q.json["id"] as? String)
            #expect(try await w.admin.send(.post, w.base + "/dod-requests/\(request)/responses", json: [
                "respondedAt": "2027-01-08T02:58:00+09:00", "respondedBy": "佐藤", "text": "提供済み"]).status == .created)
            let bad = try await w.admin.send(.post, w.base + "/custody", json: ["itemKind": "media", "itemId": media, "at": "2027-01-08T02:50:00",
                                                                              "from": "a", "to": "b"])
            #expect(bad.status == .badRequest)
            let r = try await w.admin.send(.get, w.base + "/registers")
            #expect((r.json["custody"] as? [[String: Any]])?.first?["toParty"] as? String == "鈴木")
            #expect((r.json["media"] as? [[String: Any]])?.first?["holder"] as? String == "鈴木")
            #expect((r.json["transfers"] as? [[String: Any]])?.first?["dc3Reference"] as? String == "DC3-1")
            let requests = try #require(r.json["requests"] as? [[String: Any]])
            #expect((requests.first?["responses"] as? [[String: Any]])?.first?["respondedBy"] as? String == "佐藤")
            #expect(r.body.range(of: Self.sample) == nil)

            let viewer = try await w.member(.viewer)
            #expect(try await viewer.send(.get, w.base + "/registers").status == .forbidden)
            #expect(try await viewer.send(.post, w.base + "/malware/\(sha)/archive", json: ["confirmWarning": true]).status == .forbidden)
            #expect(try await viewer.send(.delete, w.base + "/media/\(media)").status == .forbidden)
        }
    }

    @Test("DFARS 252.204-7012(d)/(e) on the pages: upload, the warning page with its one-time key, the archive only after the confirmation and only as an octet-stream attachment; disposing of held media is a 409 page in Japanese (and English) naming the hold, then allowed at its end; a viewer without need-to-know gets the 403 page",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let list = try await WebPageTests.page(w.admin, .get, w.pageBase)
            #expect(list.status == .ok && list.html.contains("保全期間"))
            let csrf = try #require(w.admin.csrf)

            // Upload (multipart).
            let boundary = "----tekigo-register-test"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nローダ\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoice.exe\"\r\nContent-Type: application/x-msdownload\r\n\r\n".utf8)
            body += Self.sample + Data("\r\n--\(boundary)--\r\n".utf8)
            let up = try await w.client.execute(uri: w.pageBase + "/malware", method: .post,
                                                headers: [.cookie: "tekigo_session=\(w.admin.cookie!)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                body: ByteBuffer(bytes: body))
            #expect(up.status == .seeOther)
            let sha = Hex.sha256(Self.sample)

            let warning = try await WebPageTests.page(w.admin, .get, w.pageBase + "/malware/\(sha)/archive")
            #expect(warning.status == .ok && warning.html.contains("実際のマルウェア"))
            let key = try #require(warning.html.range(of: #"name="key" value="([0-9a-f]{64})""#, options: .regularExpression)
                .map { String(warning.html[$0].dropFirst(#"name="key" value=""#.count).dropLast()) })
            let refused = try await WebPageTests.page(w.admin, .post, w.pageBase + "/malware/\(sha)/archive", form: [("csrf", csrf), ("key", key)])
            #expect(refused.status == .badRequest && refused.html.contains("警告を読んだことを確認してください"))
            let download = try await w.client.execute(uri: w.pageBase + "/malware/\(sha)/archive", method: .post,
                                                      headers: [.cookie: "tekigo_session=\(w.admin.cookie!)",
                                                                .contentType: "application/x-www-form-urlencoded"],
                                                      body: WebPageTests.urlEncoded([("csrf", csrf), ("key", key), ("confirm", "yes")]))
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"\(sha).tekigo-sample\"")
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            let file = Data(buffer: download.body)
            #expect(file.range(of: Self.sample) == nil)
            #expect(IncidentSampleArchive.open(file, keyHex: key) == Self.sample)

            // Held media on the page.
            let m = try await WebPageTests.page(w.admin, .post, w.pageBase + "/media", form: [
                ("csrf", csrf), ("kind", "image"), ("description", "CAD サーバのイメージ"), ("location", "金庫 A-3"), ("sha256", ""), ("size", ""),
                ("holder", "山田")])
            #expect(m.status == .seeOther)
            let media = try #require(try await IncidentRegisterUseCases(w.services.tenantEnvironment, w.scope).registers(incidentID: w.incident).media.first)
            let held = try await WebPageTests.page(w.admin, .post, w.pageBase + "/media/\(media.id)/dispose", form: [("csrf", csrf)])
            #expect(held.status == .conflict)
            #expect(held.html.contains("保全期間中のため変更できません") && held.html.contains("削除も差し替えもできません"))
            try await w.recordInitialReport()
            w.clock.set(Self.holdEnds.addingTimeInterval(-3600))
            try await w.signInAgain()
            let csrf2 = try #require(w.admin.csrf)
            let dated = try await WebPageTests.page(w.admin, .post, w.pageBase + "/media/\(media.id)/replace",
                                                    form: [("csrf", csrf2), ("location", "別の金庫"), ("sha256", ""), ("size", ""), ("version", "1")],
                                                    language: "en")
            #expect(dated.status == .conflict)
            #expect(dated.html.contains("Held: this cannot be changed yet") && dated.html.contains("2027-04-09"))
            #expect(try await w.refusals() == 2)

            w.clock.set(Self.holdEnds)
            try await w.signInAgain()
            let csrf3 = try #require(w.admin.csrf)
            let done = try await WebPageTests.page(w.admin, .post, w.pageBase + "/media/\(media.id)/dispose", form: [("csrf", csrf3)])
            #expect(done.status == .seeOther)
            let after = try await WebPageTests.page(w.admin, .get, w.pageBase)
            #expect(after.html.contains("保全期間は") && after.html.contains("廃棄"))

            let viewer = try await w.member(.viewer)
            let forbidden = try await WebPageTests.page(viewer, .get, w.pageBase)
            #expect(forbidden.status == .forbidden && forbidden.html.contains("インシデント関連記録簿を扱う権限がありません"))
            let noArchive = try await WebPageTests.page(viewer, .get, w.pageBase + "/malware/\(sha)/archive")
            #expect(noArchive.status == .forbidden)
        }
    }
}
