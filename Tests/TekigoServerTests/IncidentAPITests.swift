import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoUseCases
import TekigoTestSupport
@testable import TekigoServer

/// The incident API over real HTTP on loopback (issue 13, item 1 and the JSON side of items 2, 3 and 9): the show
/// JSON's deadlines, versions (409 on a stale one), phases, submissions, settings, and need-to-know through the
/// incident team — a viewer on a manage route, a contributor without a grant. SQLite, and PostgreSQL when configured.
@Suite("Incident API: deadlines, versions, phases, submissions, settings, need-to-know", .serialized)
struct IncidentAPITests {
    static func iso(_ date: Date, _ zone: String = "Asia/Tokyo") -> String { OffsetInstant.format(date, in: TimeZone(identifier: zone)!) }

    /// A customer organization (owned by the same administrator) with a contract on which `supplierID` is the supplier.
    static func contract(_ services: Services, supplierID: String, clauses: [String]) async throws -> (customerID: String, contractID: String) {
        let admin = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let customer = try await services.accounts.createOrganization(name: "元請重工株式会社", owner: admin.id)
        let supplier = try #require(try await services.accounts.organization(id: supplierID))
        let actor = Actor(id: admin.id, sourceIP: "127.0.0.1")
        let c = TenantScope(organization: customer, role: .owner, actor: actor, store: TenantStore(services.db, organizationID: customer.id))
        let s = TenantScope(organization: supplier, role: .owner, actor: actor, store: TenantStore(services.db, organizationID: supplierID))
        let (token, _) = try await SupplierLinkUseCases(services.tenantEnvironment, c).invite(note: "s", expiresInDays: nil)
        _ = try await SupplierLinkUseCases(services.tenantEnvironment, s).accept(token: token)
        let r = try await ContractUseCases(services.tenantEnvironment, c).create(
            ContractTerms(number: "W58RGZ-27-C-0001", designation: "both", clauses: clauses, cmmcLevel: nil), supplierID: supplierID)
        return (customer.id, r.id)
    }

    func deadline(_ json: [String: Any], _ rule: String) -> [String: Any]? {
        (json["deadlines"] as? [[String: Any]])?.first { $0["ruleId"] as? String == rule }
    }

    @Test("Open → show: every deadline as an ISO 8601 instant with its state, time left, rule id, source and setting flag; list; update needs the version read (409 on a stale one); phases (409 backwards); submissions (400 without offset, 409 a number reused across organizations); hour settings; audited reads",
          arguments: TestDatabases.engines)
    func incidentFlow(engine: TestDatabases.Engine) async throws {
        try await ColleagueTests.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let (customerID, contractID) = try await Self.contract(services, supplierID: orgID,
                                                                   clauses: ["dfars-252.204-7012", "japanese-standard"])
            let base = "/api/v1/organizations/\(orgID)"
            let discovered = Date(timeIntervalSinceNow: -2 * 3600).addingTimeInterval(0).rounded()
            let opened = try await owner.send(.post, "\(base)/incidents", json: [
                "title": "CAD サーバのランサムウェア感染", "discoveredAt": Self.iso(discovered), "discoveredTimeZone": "Asia/Tokyo",
                "discoveredBy": "情報システム課 山田", "detectionMethod": "message-from-attacker", "contracts": [contractID],
                "information": ["kind": "cui", "reference": "CTI"]])
            #expect(opened.status == .created, "\(String(decoding: opened.body, as: UTF8.self))")
            #expect(opened.headers[.eTag] == "\"1\"")
            let id = try #require(opened.json["id"] as? String)
            let report = try #require(deadline(opened.json, "dfars-7012.report"))
            #expect(report["due"] as? String == Self.iso(discovered.addingTimeInterval(72 * 3600), "UTC"))
            #expect(report["state"] as? String == "open")
            #expect(report["setting"] as? Bool == false)
            #expect((report["source"] as? String)?.contains("252.204-7012") == true)
            #expect(((report["secondsLeft"] as? Int) ?? 0) > 69 * 3600)
            let first = try #require(deadline(opened.json, "mod.first-report"))
            #expect(first["setting"] as? Bool == true)
            #expect(first["state"] as? String == "overdue")
            #expect(opened.json["discoveredAt"] as? String == Self.iso(discovered))

            let list = try await owner.send(.get, "\(base)/incidents")
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id])
            #expect(items.first?["overdue"] as? Bool == true)
            #expect(try await owner.send(.get, "\(base)/incidents/\(id)").status == .ok)
            #expect(try await owner.send(.get, "\(base)/incidents/nope").status == .notFound)

            var body: [String: Any] = ["title": "CAD サーバの暗号化", "discoveredAt": Self.iso(discovered), "discoveredBy": "山田",
                                       "contracts": [contractID], "version": 1]
            let updated = try await owner.send(.put, "\(base)/incidents/\(id)", json: body)
            #expect(updated.status == .ok)
            #expect(updated.json["version"] as? Int == 2)
            let stale = try await owner.send(.put, "\(base)/incidents/\(id)", json: body)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "conflict")
            #expect(((stale.json["error"] as? [String: Any])?["message"] as? String)?.contains("version 2") == true)
            body["version"] = nil
            #expect(try await owner.send(.put, "\(base)/incidents/\(id)", json: body).status == .badRequest)

            #expect(try await owner.send(.post, "\(base)/incidents/\(id)/phase", json: ["phase": "contained", "note": "隔離"]).status == .ok)
            let backwards = try await owner.send(.post, "\(base)/incidents/\(id)/phase", json: ["phase": "detected"])
            #expect(backwards.status == .conflict)

            let noOffset = try await owner.send(.post, "\(base)/incidents/\(id)/submissions", json: [
                "kind": "dod-initial", "submittedAt": "2026-01-01T10:00:00", "reportNumber": "ICF-1"])
            #expect(noOffset.status == .badRequest)
            #expect((noOffset.json["error"] as? [String: Any])?["field"] as? String == "submittedAt")
            let submitted = try await owner.send(.post, "\(base)/incidents/\(id)/submissions", json: [
                "kind": "dod-initial", "submittedAt": Self.iso(Date(timeIntervalSinceNow: -60).rounded()), "channel": "DC3 ICF",
                "reportNumber": "ICF-4242"])
            #expect(submitted.status == .created, "\(String(decoding: submitted.body, as: UTF8.self))")
            let shown = try await owner.send(.get, "\(base)/incidents/\(id)")
            #expect(deadline(shown.json, "dfars-7012.report")?["state"] as? String == "met")
            #expect(deadline(shown.json, "dfars-7012.preserve")?["state"] as? String == "holding")
            #expect(shown.json["initialReportNumber"] as? String == "ICF-4242")

            // The same number in another organization (the customer's own incident) is refused.
            let theirs = try await owner.send(.post, "/api/v1/organizations/\(customerID)/incidents", json: [
                "title": "Phishing", "discoveredAt": Self.iso(discovered), "discoveredBy": "x"])
            let theirID = try #require(theirs.json["id"] as? String)
            let reused = try await owner.send(.post, "/api/v1/organizations/\(customerID)/incidents/\(theirID)/submissions", json: [
                "kind": "dod-initial", "submittedAt": Self.iso(Date(timeIntervalSinceNow: -30).rounded()), "reportNumber": "ICF-4242"])
            #expect(reused.status == .conflict)
            #expect(((reused.json["error"] as? [String: Any])?["message"] as? String)?.contains("ICF-4242") == true)

            let timeline = try await owner.send(.post, "\(base)/incidents/\(id)/timeline", json: [
                "text": "脅迫文を保存", "files": [["filename": "note.txt", "content": Data("pay".utf8).base64EncodedString()]]])
            #expect(timeline.status == .created)
            #expect(((timeline.json["evidence"] as? [[String: Any]])?.first?["filename"]) as? String == "note.txt")

            let badHours = try await owner.send(.put, "\(base)/incident-settings", json: ["ruleId": "mod.first-report", "hours": 0])
            #expect(badHours.status == .badRequest)
            #expect((badHours.json["error"] as? [String: Any])?["field"] as? String == "hours")
            let notSetting = try await owner.send(.put, "\(base)/incident-settings", json: ["ruleId": "dfars-7012.report", "hours": 48])
            #expect(notSetting.status == .badRequest)
            #expect(try await owner.send(.put, "\(base)/incident-settings", json: ["ruleId": "mod.first-report", "hours": 4]).status == .ok)
            let after = try await owner.send(.get, "\(base)/incidents/\(id)")
            #expect(deadline(after.json, "mod.first-report")?["hours"] as? Int == 4)

            // Four reads of the details above (show ×3 after open, the 404 reads none), each audited.
            #expect(try await ColleagueTests.count(services, .incidentRead) == 3)
            #expect(try await ColleagueTests.count(services, .incidentListed) == 1)
        }
    }

    @Test("Need-to-know over HTTP: a contributor without a grant gets 403 on reads and writes; a viewer granted a place reads but gets 403 on a manage route; only owners and admins grant",
          arguments: TestDatabases.engines)
    func needToKnow(engine: TestDatabases.Engine) async throws {
        try await ColleagueTests.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let base = "/api/v1/organizations/\(orgID)"
            let opened = try await owner.send(.post, "\(base)/incidents", json: [
                "title": "USB の紛失", "discoveredAt": Self.iso(Date(timeIntervalSinceNow: -600).rounded()), "discoveredBy": "佐藤"])
            let id = try #require(opened.json["id"] as? String)
            let (contributor, contributorUser, _) = try await ColleagueTests.enrolledMember(client, services, orgID, .contributor,
                                                                                             email: "contributor@example.jp")
            let (viewer, viewerUser, _) = try await ColleagueTests.enrolledMember(client, services, orgID, .viewer, email: "viewer@example.jp")

            for b in [contributor, viewer] {
                #expect(try await b.send(.get, "\(base)/incidents").status == .forbidden)
                #expect(try await b.send(.get, "\(base)/incidents/\(id)").status == .forbidden)
            }
            let refused = try await contributor.send(.post, "\(base)/incidents", json: [
                "title": "x", "discoveredAt": Self.iso(Date(timeIntervalSinceNow: -60).rounded()), "discoveredBy": "x"])
            #expect(refused.status == .forbidden)
            #expect(try await contributor.send(.put, "\(base)/incident-team/\(contributorUser.id)").status == .forbidden)

            #expect(try await owner.send(.put, "\(base)/incident-team/\(viewerUser.id)").status == .noContent)
            #expect(try await owner.send(.put, "\(base)/incident-team/nobody").status == .badRequest)
            let team = try await owner.send(.get, "\(base)/incident-team")
            #expect(team.status == .ok)
            let seen = try await viewer.send(.get, "\(base)/incidents/\(id)")
            #expect(seen.status == .ok)
            #expect(seen.json["canManage"] as? Bool == false)
            let manage = try await viewer.send(.post, "\(base)/incidents/\(id)/phase", json: ["phase": "analysing"])
            #expect(manage.status == .forbidden)
            #expect(manage.errorCode == "forbidden")
            #expect(try await viewer.send(.put, "\(base)/incident-settings", json: ["ruleId": "mod.first-report", "hours": 2]).status == .forbidden)

            #expect(try await owner.send(.delete, "\(base)/incident-team/\(viewerUser.id)").status == .noContent)
            #expect(try await viewer.send(.get, "\(base)/incidents/\(id)").status == .forbidden)
            #expect(try await owner.send(.delete, "\(base)/incident-team/\(viewerUser.id)").status == .notFound)
            #expect(try await ColleagueTests.count(services, .incidentRead) == 1)
        }
    }
}

extension Date {
    /// Whole seconds (the API writes instants without fractions); the incident API tests share it.
    func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
