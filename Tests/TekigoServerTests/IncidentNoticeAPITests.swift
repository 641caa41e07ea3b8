import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoUseCases
import TekigoTestSupport
@testable import TekigoServer

/// Incident notices over real HTTP on loopback (issue 13 item 4; DFARS 204.7302(b)): a tier-3 supplier sends its DoD
/// report number through the API, the prime reads its incident view and one notice with its chain, downloads the
/// signed file, a tampered copy is refused with 400 and changes nothing, the prime acknowledges and the supplier sees
/// it; the pages in Japanese. SQLite, and PostgreSQL when configured.
@Suite("Incident notice API and pages: send, the prime's view, chain, tampered file refused, acknowledge", .serialized)
struct IncidentNoticeAPITests {
    static func iso(_ date: Date) -> String { OffsetInstant.format(date, in: TimeZone(identifier: "Asia/Tokyo")!) }

    /// prime ← tier 1 ← tier 2 ← tier 3, all owned by the administrator, a DFARS 7012 contract on every link;
    /// returns the organizations' ids and tier 3's contract id.
    static func chain(_ services: Services) async throws -> (prime: String, tier1: String, tier2: String, tier3: String, contract: String) {
        let admin = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let actor = Actor(id: admin.id, sourceIP: "127.0.0.1")
        var scopes: [TenantScope] = []
        for name in ["元請重工株式会社", "一次精密株式会社", "二次加工株式会社", "三次部品有限会社"] {
            let o = try await services.accounts.createOrganization(name: name, owner: admin.id)
            scopes.append(TenantScope(organization: o, role: .owner, actor: actor, store: TenantStore(services.db, organizationID: o.id)))
        }
        var last = ""
        for i in 0..<3 {
            let (token, _) = try await SupplierLinkUseCases(services.tenantEnvironment, scopes[i]).invite(note: "s", expiresInDays: nil)
            _ = try await SupplierLinkUseCases(services.tenantEnvironment, scopes[i + 1]).accept(token: token)
            last = try await ContractUseCases(services.tenantEnvironment, scopes[i]).create(
                ContractTerms(number: "W58RGZ-27-C-000\(i)", designation: "cui", clauses: ["dfars-252.204-7012"], cmmcLevel: nil),
                supplierID: scopes[i + 1].organizationID).id
        }
        return (scopes[0].organizationID, scopes[1].organizationID, scopes[2].organizationID, scopes[3].organizationID, last)
    }

    func message(_ r: Browser.Reply) -> String { ((r.json["error"] as? [String: Any])?["message"] as? String) ?? "" }

    @Test("DFARS 204.7302(b) over HTTP: send with chosen fields (400 for an unknown one, 409 the second time), the prime's view and chain, the signed file, a tampered file refused with 400 changing nothing, acknowledge (409 twice) seen by the supplier; the pages in Japanese",
          arguments: TestDatabases.engines)
    func flow(engine: TestDatabases.Engine) async throws {
        try await ColleagueTests.withServer(engine) { client, services in
            let owner = Browser(client)
            _ = try await bootstrapAdmin(owner, services: services)
            let c = try await Self.chain(services)
            let t3 = "/api/v1/organizations/\(c.tier3)"
            let opened = try await owner.send(.post, "\(t3)/incidents", json: [
                "title": "NC 端末のランサムウェア感染", "discoveredAt": Self.iso(Date(timeIntervalSinceNow: -3 * 3600).rounded()),
                "discoveredTimeZone": "Asia/Tokyo", "discoveredBy": "製造課 佐藤", "contracts": [c.contract]])
            #expect(opened.status == .created, "\(String(decoding: opened.body, as: UTF8.self))")
            let incident = try #require(opened.json["id"] as? String)
            let early = try await owner.send(.post, "\(t3)/incidents/\(incident)/notices", json: [:])
            #expect(early.status == .conflict)
            #expect(message(early).contains("report number"))
            #expect(try await owner.send(.post, "\(t3)/incidents/\(incident)/submissions", json: [
                "kind": "dod-initial", "submittedAt": Self.iso(Date(timeIntervalSinceNow: -3600).rounded()), "channel": "DC3",
                "reportNumber": "ICF-77001"]).status == .created)

            let unknown = try await owner.send(.post, "\(t3)/incidents/\(incident)/notices", json: ["include": ["password"]])
            #expect(unknown.status == .badRequest)
            #expect((unknown.json["error"] as? [String: Any])?["field"] as? String == "include")
            let sent = try await owner.send(.post, "\(t3)/incidents/\(incident)/notices", json: ["include": ["outcome"]])
            #expect(sent.status == .created, "\(String(decoding: sent.body, as: UTF8.self))")
            #expect(sent.json["forwarded"] as? Int == 2)
            #expect(try await owner.send(.post, "\(t3)/incidents/\(incident)/notices", json: [:]).status == .conflict)

            let prime = "/api/v1/organizations/\(c.prime)"
            let view = try await owner.send(.get, "\(prime)/incident-notices")
            #expect(view.status == .ok)
            #expect(view.json["total"] as? Int == 1)
            let item = try #require((view.json["items"] as? [[String: Any]])?.first)
            #expect(item["tier"] as? Int == 3)
            #expect((item["origin"] as? [String: Any])?["id"] == nil, "no consent: the reporting supplier is not identified")
            #expect((item["sender"] as? [String: Any])?["id"] as? String == c.tier1)
            #expect((item["report"] as? [String: Any])?["reportNumber"] as? String == "ICF-77001")
            #expect((item["report"] as? [String: Any])?["outcome"] as? String == "unknown")
            #expect((item["report"] as? [String: Any])?["title"] == nil)
            #expect((item["contracts"] as? [String]) == ["W58RGZ-27-C-0000"])
            let id = try #require(item["id"] as? String)
            let detail = try await owner.send(.get, "\(prime)/incident-notices/\(id)")
            #expect((detail.json["chain"] as? [[String: Any]])?.map { $0["tier"] as? Int } == [1, 2, 3])
            #expect(try await owner.send(.get, "/api/v1/organizations/\(c.tier2)/incident-notices/\(id)").status == .notFound)
            #expect(try await owner.send(.get, "\(prime)/incident-notices?state=later").status == .badRequest)

            let file = try await owner.send(.get, "\(prime)/incident-notices/\(id)/file")
            #expect(file.status == .ok)
            let text = String(decoding: file.body, as: UTF8.self)
            #expect(text.hasPrefix("{\n  \"format\": \"tekigo-incident-notice/1\""))
            let tampered = try await owner.send(.post, "\(prime)/incident-notices",
                                                raw: Data(text.replacingOccurrences(of: "ICF-77001", with: "ICF-77002").utf8),
                                                headers: [.contentType: "application/octet-stream"])
            #expect(tampered.status == .badRequest)
            #expect(message(tampered).contains("refused"), "\(message(tampered))")
            #expect(try await owner.send(.get, "\(prime)/incident-notices").json["total"] as? Int == 1)
            #expect(try await owner.send(.get, "\(prime)/incident-notices?state=open").json["total"] as? Int == 1)

            // The pages, in Japanese.
            let list = try await owner.send(.get, PageRoute.incidentNotices(org: c.prime).path)
            let html = String(decoding: list.body, as: UTF8.self)
            #expect(list.status == .ok)
            #expect(html.contains("ICF-77001") && html.contains("サプライチェーンから報告されたインシデント") && html.contains("同意がないため非表示"))
            let page = try await owner.send(.get, PageRoute.incidentNotice(org: c.prime, notice: id).path)
            #expect(String(decoding: page.body, as: UTF8.self).contains("受け渡しの経路"))
            let send = try await owner.send(.get, PageRoute.incidentNoticeSend(org: c.tier3, incident: incident).path)
            #expect(String(decoding: send.body, as: UTF8.self).contains("送信済みの通知"))

            let english = try await WebPageTests.page(owner, .get, PageRoute.incidentNotices(org: c.prime).path, language: "en")
            #expect(english.html.contains("Incidents reported up the supply chain") && english.html.contains("Not acknowledged"))

            // Acknowledged on the page (its form carries the CSRF token); the API then answers 409.
            let csrf = try #require(WebPageTests.formToken(String(decoding: page.body, as: UTF8.self)))
            let ackPage = try await WebPageTests.page(owner, .post, PageRoute.acknowledgeIncidentNotice(org: c.prime, notice: id).path,
                                                      form: [("csrf", csrf)])
            #expect(ackPage.status == .seeOther || ackPage.status == .found, "\(ackPage.status)")
            let acked = try await owner.send(.get, "\(prime)/incident-notices/\(id)")
            #expect((acked.json["notice"] as? [String: Any])?["acknowledgedAt"] is String)
            #expect(try await owner.send(.post, "\(prime)/incident-notices/\(id)/acknowledge").status == .conflict)
            #expect(try await owner.send(.get, "\(prime)/incident-notices?state=open").json["total"] as? Int == 0)
            let mine = try await owner.send(.get, "\(t3)/incidents/\(incident)/notices")
            let acks = (mine.json["items"] as? [[String: Any]])?.first?["acknowledgements"] as? [[String: Any]]
            #expect(acks?.map { $0["hops"] as? Int } == [2])
            #expect(acks?.first?["organizationId"] == nil, "the prime is not named below tier 1")
        }
    }
}
