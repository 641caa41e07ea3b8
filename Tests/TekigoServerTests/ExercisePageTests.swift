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

/// Incident-response exercises over real HTTP on loopback (issue 13 item 7; SP 800-171 3.6.3): the JSON API from plan
/// to confirmed evidence (the offer writes nothing; only the named objectives get the evidence; a second start is a
/// conflict; an objective not offered is refused), and the pages in Japanese and English with CSRF. SQLite always,
/// PostgreSQL when configured.
@Suite("Exercise pages and API", .serialized)
struct ExercisePageTests {
    static func body(_ r: Browser.Reply) -> Any? { try? JSONSerialization.jsonObject(with: r.body) }

    /// The administrator's organization with an SP 800-171 rev2 assessment; returns the browser, org and assessment.
    static func world(_ client: any TestClientProtocol, _ services: Services) async throws -> (Browser, String, String) {
        let admin = Browser(client)
        let (_, orgID) = try await bootstrapAdmin(admin, services: services)
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let org = try #require(try await services.accounts.organization(id: orgID))
        let scope = SupplyChainPageTests.scope(services, org, me)
        let uc = AssessmentUseCases(services.tenantEnvironment, scope)
        let system = try await uc.createSystem(name: "CAD", boundary: "", environment: "", informationTypes: [], userCount: 3)
        let a = try await uc.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-11-01", kind: nil, assessor: "me")
        return (admin, orgID, a.id)
    }

    @Test("API: plan → start → finding → complete → offer (writes nothing) → confirm 3.6.3 only; refusals", arguments: TestDatabases.engines)
    func apiJourney(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, assessment) = try await Self.world(client, services)
            let base = "/api/v1/organizations/\(org)"
            let scenarios = try await b.send(.get, base + "/exercise-scenarios")
            #expect(scenarios.status == .ok && (Self.body(scenarios) as? [Any])?.count == 4)
            let planned = try await b.send(.post, base + "/exercises", json: [
                "scenario": "cui-wrong-recipient", "plannedOn": "2026-11-10", "facilitator": "佐藤", "participantNames": ["田中"]])
            #expect(planned.status == .created, "\(String(decoding: planned.body, as: UTF8.self))")
            let id = try #require(planned.json["id"] as? String)
            let bad = try await b.send(.post, base + "/exercises", json: ["scenario": "cui-wrong-recipient", "plannedOn": "11/10",
                                                                          "facilitator": "佐藤", "participantNames": ["田中"]])
            #expect(bad.status == .badRequest)
            let started = try await b.send(.post, base + "/exercises/\(id)/start")
            #expect(started.status == .ok && started.json["status"] as? String == "running" && started.json["incidentId"] is String)
            #expect(try await b.send(.post, base + "/exercises/\(id)/start").status == .conflict)
            let entry = try await b.send(.post, base + "/exercises/\(id)/entries", json: ["kind": "finding", "text": "宛先確認の手順がない", "inject": "w1"])
            #expect(entry.status == .created)
            let done = try await b.send(.post, base + "/exercises/\(id)/complete", json: ["summary": "誤送信時の連絡先を決めた"])
            #expect(done.status == .ok && done.json["status"] as? String == "completed")
            let offer = try await b.send(.get, base + "/exercises/\(id)/evidence?assessment=\(assessment)")
            let items = try #require(offer.json["items"] as? [[String: Any]])
            #expect(items.first?["objective"] as? String == "3.6.3" && items.count > 1)
            let finding = try await b.send(.get, base + "/assessments/\(assessment)/findings/3.6.3")
            #expect(finding.status == .notFound || !(String(decoding: finding.body, as: UTF8.self).contains("演習記録")), "the offer wrote nothing")
            let refused = try await b.send(.post, base + "/exercises/\(id)/evidence", json: ["assessment": assessment, "objectives": ["3.1.1[a]"]])
            #expect(refused.status == .badRequest && refused.errorCode != nil)
            let added = try await b.send(.post, base + "/exercises/\(id)/evidence", json: ["assessment": assessment, "objectives": ["3.6.3"]])
            #expect(added.status == .ok && (Self.body(added) as? [[String: Any]])?.map { $0["objective"] as? String } == ["3.6.3"])
            let detail = try await b.send(.get, base + "/exercises/\(id)")
            #expect((detail.json["evidence"] as? [Any])?.count == 1 && (detail.json["entries"] as? [Any])?.count == 1)
            let list = try await b.send(.get, base + "/exercises")
            #expect((list.json["schedule"] as? [String: Any])?["overdue"] as? Bool == false)
            #expect(try await b.send(.put, base + "/exercise-settings", json: ["frequencyMonths": 0]).status == .badRequest)
            #expect(try await b.send(.put, base + "/exercise-settings", json: ["frequencyMonths": 6]).status == .noContent)
        }
    }

    @Test("Pages: the list in Japanese and English, planning needs the CSRF field, the plan opens the exercise", arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await Self.world(client, services)
            let ja = try await IncidentPageTests.get(b, "/o/\(org)/exercises")
            #expect(ja.status == .ok && ja.html.contains("インシデント対応演習") && ja.html.contains("町工場のランサムウェア被害"))
            let en = try await IncidentPageTests.get(b, "/o/\(org)/exercises", "en")
            #expect(en.status == .ok && en.html.contains("Ransomware at a machine shop") && en.html.contains("Incident-response exercises"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let form: [(String, String)] = [("scenario", "stolen-laptop"), ("kind", "tabletop"), ("planned_on", "2026-11-10"),
                                            ("facilitator", "佐藤"), ("participant_names", "田中\n鈴木")]
            let forged = try await IncidentPageTests.post(b, "/o/\(org)/exercises", form + [("csrf", "wrong")])
            #expect(forged.status == .forbidden)
            #expect(try await ExerciseStore(services.db, organizationID: org).exercises().isEmpty)
            let empty = try await IncidentPageTests.post(b, "/o/\(org)/exercises", [("csrf", csrf), ("scenario", "stolen-laptop"),
                                                                                   ("kind", "tabletop"), ("planned_on", "2026-11-10"),
                                                                                   ("facilitator", "佐藤")])
            #expect(empty.status == .badRequest && empty.html.contains("参加者を 1 人以上"))
            let ok = try await IncidentPageTests.post(b, "/o/\(org)/exercises", form + [("csrf", csrf)])
            #expect(ok.status == .seeOther)
            let location = try #require(ok.headers[.location])
            let page = try await IncidentPageTests.get(b, String(location.split(separator: "?")[0]))
            #expect(page.status == .ok && page.html.contains("ノート PC の盗難") && page.html.contains("鈴木"))
        }
    }
}
