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

/// The cloud services pages over real HTTP on loopback (issue 15 item 3), both engines: the list and a service's page
/// in Japanese and English, each form needing the CSRF field (add, evaluation against a rule-set version,
/// commitments, a refused reference shown in the viewer's language), and a viewer reading without forms whose posts
/// are refused with nothing written.
@Suite("Cloud service pages", .serialized)
struct CloudServicePageTests {
    /// A signed-in, enrolled member of `org` with `role`.
    static func member(_ client: any TestClientProtocol, _ services: Services, _ org: String, _ role: Role, _ email: String) async throws -> Browser {
        _ = try await AccountSafetyTests.member(services, org, role, email: email)
        let b = Browser(client)
        try await b.login(email, AccountSafetyTests.password)
        let enrol = try await b.send(.post, "/api/v1/me/mfa")
        let secret = try #require(enrol.json["secret"] as? String)
        let confirm = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())])
        try #require(confirm.status == .ok, "enrolment: \(confirm.status)")
        return b
    }

    @Test("Issue 15 item 3: /o/:org/cloud in Japanese and English — add (CSRF), 'not in the registry' said plainly, an equivalency under the 2023-12-21 memo recorded with its version, (c)–(g) commitments, a bad reference refused beside the form",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await ExercisePageTests.world(client, services)
            let system = try #require(try await TenantStore(services.db, organizationID: org).systems().first)
            let base = "/o/\(org)/cloud"
            let ja = try await IncidentPageTests.get(b, base)
            #expect(ja.status == .ok && ja.html.contains("利用しているクラウドサービス") && ja.html.contains(">クラウド<"))
            #expect(ja.html.contains("クラウドサービスはまだ登録されていません") && ja.html.contains("name=\"ref\""))
            // Where to find a package id or an ISMAP number before adding: the registry's search page.
            #expect(ja.html.contains("href=\"\(base)/registry\">FedRAMP Marketplace と ISMAP の登録情報を検索する</a>"))
            let en = try await IncidentPageTests.get(b, base, "en")
            #expect(en.status == .ok && en.html.contains("Cloud services in use"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let form: [(String, String)] = [("ref", "other:社内ファイル共有"), ("name", "ファイル共有"), ("information", "cui"), ("systems", system.id)]
            let forged = try await IncidentPageTests.post(b, base, form + [("csrf", "wrong")])
            #expect(forged.status == .forbidden)
            #expect(try await CloudServiceStore(services.db, organizationID: org).services().isEmpty)
            let bad = try await IncidentPageTests.post(b, base, [("csrf", csrf), ("ref", "dropbox"), ("information", "cui")])
            #expect(bad.status == .badRequest && bad.html.contains("クラウドサービスの指定として読めません") && bad.html.contains("value=\"dropbox\""))
            let ok = try await IncidentPageTests.post(b, base, form + [("csrf", csrf)])
            #expect(ok.status == .seeOther)
            let location = String(try #require(ok.headers[.location]).split(separator: "?")[0])
            var page = try await IncidentPageTests.get(b, location)
            #expect(page.status == .ok && page.html.contains("ファイル共有") && page.html.contains("登録情報にありません") && page.html.contains("CAD"))
            #expect(page.html.contains("不足あり") && page.html.contains("契約上の根拠が記録されていません"))

            var evaluation: [(String, String)] = [("csrf", csrf), ("regime", "dfars-7012"), ("method", "equivalency"),
                                                  ("rule_set_version", EquivalencyRuleSet.dodMemo2023.id), ("assessor", "Example 3PAO"),
                                                  ("assessor_recognized", "on"), ("baseline_percent", "100"), ("last_annual_assessment", "2026-06-01"),
                                                  ("open_poam_items", "operational moderate 2026-11-01 scan finding"), ("meets", "on"),
                                                  ("rationale", "証拠一式を確認"), ("evidence", "sha:abc")]
            evaluation += EquivalencyDocument.allCases.map { ("doc_\($0.rawValue)", "evidence:\($0.rawValue)") }
            #expect(try await IncidentPageTests.post(b, "\(location)/evaluations", evaluation.map { $0.0 == "csrf" ? ($0.0, "wrong") : $0 }).status == .forbidden)
            let recorded = try await IncidentPageTests.post(b, "\(location)/evaluations", evaluation)
            #expect(recorded.status == .seeOther)
            page = try await IncidentPageTests.get(b, location)
            #expect(page.html.contains("米国防総省 CIO メモ 2023-12-21") && page.html.contains("この規則版では認められません"))
            let badLine = try await IncidentPageTests.post(b, "\(location)/evaluations",
                                                           evaluation.map { $0.0 == "open_poam_items" ? ($0.0, "soon") : $0 }, "en")
            #expect(badLine.status == .badRequest && badLine.html.contains("does not read as ORIGIN SEVERITY"))

            let commitments = [("csrf", csrf), ("version", "0")] + CloudCommitmentKind.allCases.flatMap {
                [("committed_\($0.rawValue)", "on"), ("evidence_\($0.rawValue)", "MSA §12")]
            }
            #expect(try await IncidentPageTests.post(b, "\(location)/commitments", commitments).status == .seeOther)
            let stale = try await IncidentPageTests.post(b, "\(location)/commitments", commitments)
            #expect(stale.status == .conflict)
            let enPage = try await IncidentPageTests.get(b, location, "en")
            #expect(enPage.html.contains("Not in the registry") && enPage.html.contains("evidenced") && !enPage.html.contains("no contract evidence recorded"))
            let list = try await IncidentPageTests.get(b, base, "en")
            #expect(list.html.contains("ファイル共有") && list.html.contains("Something missing"))
        }
    }

    @Test("Issue 15 item 3: a viewer reads the list and a service's page without forms; its posts are refused (403) and nothing changes",
          arguments: TestDatabases.engines)
    func viewerRefused(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (_, org, _) = try await ExercisePageTests.world(client, services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let o = try #require(try await services.accounts.organization(id: org))
            let svc = try await CloudServiceUseCases(services.tenantEnvironment, SupplyChainPageTests.scope(services, o, me))
                .add(CloudServiceDraft(ref: "other:外部ストレージ", information: "protected"))
            let viewer = try await Self.member(client, services, org, .viewer, "cloud-viewer@example.jp")
            let base = "/o/\(org)/cloud", page = "\(base)/services/\(svc.id)"
            let list = try await IncidentPageTests.get(viewer, base)
            #expect(list.status == .ok && list.html.contains("外部ストレージ") && !list.html.contains("name=\"ref\""))
            let detail = try await IncidentPageTests.get(viewer, page, "en")
            #expect(detail.status == .ok && detail.html.contains("No documented evaluation is recorded.") && !detail.html.contains("\(page)/evaluations"))
            let csrf = try #require(WebPageTests.formToken(detail.html))
            for (path, form) in [(base, [("csrf", csrf), ("ref", "other:x"), ("information", "cui")]),
                                 (page, [("csrf", csrf), ("ref", "other:y"), ("information", "cui"), ("version", "1")]),
                                 ("\(page)/delete", [("csrf", csrf)]),
                                 ("\(page)/evaluations", [("csrf", csrf), ("regime", "japan"), ("method", "documented"), ("meets", "on"), ("rationale", "x")]),
                                 ("\(page)/commitments", [("csrf", csrf), ("version", "0")])] {
                let r = try await IncidentPageTests.post(viewer, path, form)
                #expect(r.status == .forbidden, "\(path): \(r.status)")
            }
            let store = CloudServiceStore(services.db, organizationID: org)
            #expect(try await store.services().map(\.name) == ["外部ストレージ"])
            #expect(try await store.evaluations(serviceID: svc.id).isEmpty)
        }
    }

    @Test("Issue 15 item 3: the JSON API — add (201), list and one with the standing, evaluation keeping its rule-set version, commitments at the version read (409 when stale), a duplicate 409, unknown members 400, a viewer reads but gets 403 on changes",
          arguments: TestDatabases.engines)
    func api(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await ExercisePageTests.world(client, services)
            let base = "/api/v1/organizations/\(org)/cloud-services"
            let added = try await b.send(.post, base, json: ["ref": "other:社内ファイル共有", "information": "cui"])
            #expect(added.status == .created && added.json["inRegistry"] as? Bool == false && added.json["satisfied"] as? Bool == false)
            let id = try #require(added.json["id"] as? String)
            #expect(try await b.send(.post, base, json: ["ref": "other:社内ファイル共有", "information": "cui"]).status == .conflict)
            #expect(try await b.send(.post, base, json: ["ref": "other:x", "information": "cui", "extra": 1]).status == .badRequest)
            let bad = try await b.send(.post, base, json: ["ref": "dropbox", "information": "cui"])
            #expect(bad.status == .badRequest && bad.errorCode != nil)
            let evaluation: [String: Any] = [
                "regime": "dfars-7012", "method": "equivalency", "meets": true, "ruleSetVersion": "dod-cio-memo-2023-12-21",
                "documents": Dictionary(uniqueKeysWithValues: EquivalencyDocument.allCases.map { ($0.rawValue, "evidence:\($0.rawValue)") }),
                "assessor": "Example 3PAO", "assessorRecognized": true, "baselineAssessedPercent": 100, "lastAnnualAssessment": "2026-06-01",
                "openPOAMItems": [], "rationale": "BoE reviewed"]
            let e = try await b.send(.post, "\(base)/\(id)/evaluations", json: evaluation)
            #expect(e.status == .created)
            let evaluations = try #require(e.json["evaluations"] as? [[String: Any]])
            #expect(evaluations.first?["ruleSetVersion"] as? String == "dod-cio-memo-2023-12-21")
            let items = CloudCommitmentKind.allCases.map { ["kind": $0.rawValue, "committed": true, "evidence": "MSA §12"] as [String: Any] }
            let c = try await b.send(.put, "\(base)/\(id)/commitments", json: ["commitments": items, "version": 0])
            #expect(c.status == .ok && c.json["satisfied"] as? Bool == true && c.json["commitmentsVersion"] as? Int == 1)
            #expect(try await b.send(.put, "\(base)/\(id)/commitments", json: ["commitments": items, "version": 0]).status == .conflict)
            let list = try await b.send(.get, base)
            #expect(list.status == .ok && (ExercisePageTests.body(list) as? [Any])?.count == 1)
            let viewer = try await Self.member(client, services, org, .viewer, "cloud-api-viewer@example.jp")
            #expect(try await viewer.send(.get, "\(base)/\(id)").status == .ok)
            #expect(try await viewer.send(.post, base, json: ["ref": "other:y", "information": "none"]).status == .forbidden)
            #expect(try await viewer.send(.delete, "\(base)/\(id)").status == .forbidden)
            #expect(try await b.send(.delete, "\(base)/\(id)").status == .noContent)
            #expect(try await b.send(.get, "\(base)/\(id)").status == .notFound)
        }
    }
}
