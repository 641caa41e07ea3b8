import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Inherited and shared objectives over real HTTP on loopback (issue 15 item 4), both engines: a service's page imports
/// its responsibility matrix (multipart, CSRF) and shows the counts by side and the rows left out; the objective editor
/// shows "provided by X (inherited)" / "shared with X" with the provider's evidence and words, and a confirmation form
/// that writes only the status the person chose; a finding changed meanwhile is the page's conflict message with
/// nothing written; viewers read the block without the form and their posts are refused; the API the same.
@Suite("Cloud inheritance: pages and API", .serialized)
struct CloudInheritancePageTests {
    static let crm = ResponsibilityUseCaseTests.crm
    static let provider = "Example Cloud"

    /// The administrator's organization (signed in, enrolled) with an assessment, and a FedRAMP service it uses.
    static func world(_ client: any TestClientProtocol, _ services: Services) async throws
        -> (admin: Browser, org: String, assessment: String, service: String, scope: TenantScope) {
        let (b, org, assessment) = try await ExercisePageTests.world(client, services)
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let o = try #require(try await services.accounts.organization(id: org))
        let scope = SupplyChainPageTests.scope(services, o, me)
        let svc = try await CloudServiceUseCases(services.tenantEnvironment, scope)
            .add(CloudServiceDraft(ref: "fedramp:FR0000000001", name: "図面保管クラウド", information: "cui"))
        return (b, org, assessment, svc.id, scope)
    }

    /// Posts a multipart form with one file (`file`), as a browser does.
    static func upload(_ b: Browser, _ uri: String, _ fields: [(String, String)], file: Data, filename: String = "crm.csv",
                       lang: String = "ja") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, html: String) {
        let boundary = "----tekigo-matrix-boundary"
        var body = ByteBuffer()
        for (k, v) in fields { body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n") }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers: HTTPFields = [.acceptLanguage: lang, .contentType: "multipart/form-data; boundary=\(boundary)"]
        if let cookie = b.cookie { headers[.cookie] = "tekigo_session=\(cookie)" }
        let r = try await b.client.execute(uri: uri, method: .post, headers: headers, body: body)
        return (r.status, r.headers, String(buffer: r.body))
    }

    /// The value of the hidden input `name` in `html`.
    static func hidden(_ html: String, _ name: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test("Issue 15 item 4: a service's page imports its matrix (CSRF) and shows the controls by side and the row left out with its warning, in Japanese and English; an unreadable file is refused beside the form and the earlier import stays",
          arguments: TestDatabases.engines)
    func importOnServicePage(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(client, services)
            let page = "/o/\(w.org)/cloud/services/\(w.service)"
            var ja = try await IncidentPageTests.get(w.admin, page)
            #expect(ja.status == .ok && ja.html.contains("責任マトリクスはまだ取り込まれていません") && ja.html.contains("name=\"evidence_reference\""))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let fields = [("csrf", csrf), ("evidence_reference", "FedRAMP パッケージ FR0000000001、CRM 2026年3月版"), ("provider_name", Self.provider)]
            let forged = try await Self.upload(w.admin, "\(page)/matrix", fields.map { $0.0 == "csrf" ? ($0.0, "wrong") : $0 }, file: Self.crm)
            #expect(forged.status == .forbidden)
            #expect(try await ResponsibilityUseCases(services.tenantEnvironment, w.scope).matrices().isEmpty)
            let ok = try await Self.upload(w.admin, "\(page)/matrix", fields, file: Self.crm)
            #expect(ok.status == .seeOther, "\(ok.html)")
            ja = try await IncidentPageTests.get(w.admin, page)
            // 5 controls: provider AC-2, PE-2, PE-5; customer AC-3; inherited PE-3; the ZZ-1 row left out, named by its row.
            #expect(ja.html.contains("crm.csv") && ja.html.contains("CRM（CSV）") && ja.html.contains("FedRAMP パッケージ FR0000000001、CRM 2026年3月版"))
            #expect(ja.html.contains("<td class=\"count-provider\">3</td>") && ja.html.contains("<td class=\"count-customer\">1</td>")
                    && ja.html.contains("<td class=\"count-shared\">0</td>") && ja.html.contains("<td class=\"count-inherited\">1</td>"))
            #expect(ja.html.contains("取り込まなかった行") && ja.html.contains("row 7") && ja.html.contains("「ZZ-1」は SP 800-53 rev5 の管理策 ID ではない"))
            let en = try await IncidentPageTests.get(w.admin, page, "en")
            #expect(en.html.contains("Rows left out") && en.html.contains("ZZ-1&#39; is not an SP 800-53 rev5 control id"))
            let list = try await IncidentPageTests.get(w.admin, "/o/\(w.org)/cloud")
            #expect(list.html.contains("取り込んだ責任マトリクス") && list.html.contains(Self.provider))
            // A file of another shape: refused beside the form (the use case's words), the earlier matrix intact.
            let bad = try await Self.upload(w.admin, "\(page)/matrix", fields, file: Data("name,price\nwidget,3\n".utf8), filename: "other.csv")
            #expect(bad.status == .badRequest && bad.html.contains("管理策 ID の列") && bad.html.contains("value=\"FedRAMP パッケージ FR0000000001、CRM 2026年3月版\""))
            let missing = try await Self.upload(w.admin, "\(page)/matrix", fields.filter { $0.0 != "evidence_reference" }, file: Self.crm)
            #expect(missing.status == .badRequest && missing.html.contains("evidenceReference: 必須です"))
            let stored = try await ResponsibilityUseCases(services.tenantEnvironment, w.scope).entries(service: "fedramp:FR0000000001")
            #expect(stored.map(\.controlId) == ["AC-2", "AC-3", "PE-2", "PE-3", "PE-5"])
        }
    }

    @Test("Issue 15 item 4: the editor shows 3.10.1 provided by the service (inherited) and 3.1.1 shared, with the evidence and the provider's words; confirming records the chosen status and the evidence once; a stale page gets the conflict message and nothing is written; no status chosen is refused",
          arguments: TestDatabases.engines)
    func confirmInEditor(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(client, services)
            let uc = ResponsibilityUseCases(services.tenantEnvironment, w.scope)
            _ = try await uc.importMatrix(Self.crm, fileName: "crm.csv", service: "fedramp:FR0000000001", name: Self.provider,
                                          evidenceReference: "CRM 2026-03")
            let editor = "/o/\(w.org)/assessments/\(w.assessment)/requirements/3.10.1"
            var ja = try await IncidentPageTests.get(w.admin, editor)
            #expect(ja.status == .ok && ja.html.contains("Example Cloud が提供（継承）") && ja.html.contains("CRM 2026-03"))
            #expect(ja.html.contains("Data centre access lists") && ja.html.contains("From the IaaS") && ja.html.contains("\(editor)/inheritance"))
            #expect(ja.html.contains("これだけで適合にはなりません"))
            let shared = try await IncidentPageTests.get(w.admin, "/o/\(w.org)/assessments/\(w.assessment)/requirements/3.1.1", "en")
            #expect(shared.html.contains("Shared with Example Cloud") && shared.html.contains("Customers set their own permissions"))
            let none = try await IncidentPageTests.get(w.admin, "/o/\(w.org)/assessments/\(w.assessment)/requirements/3.5.3")
            #expect(!none.html.contains("クラウドサービスからの継承"))
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).isEmpty, "showing the offer writes nothing")

            let csrf = try #require(WebPageTests.formToken(ja.html))
            let offered = try #require(try await uc.offers(assessmentID: w.assessment, requirement: "3.10.1").first).responsibility.objectives
            let (first, second) = (offered[0], offered[1])
            let versions = [first, second].map { ("v_\($0)", Self.hidden(ja.html, "v_\($0)") ?? "?") }
            #expect(versions.allSatisfy { $0.1 == "0" })
            let form = [("csrf", csrf), ("service", "fedramp:FR0000000001"), ("objectives", first), ("objectives", second)] + versions
            // No status chosen: refused, nothing written (inheritance never picks one).
            let noStatus = try await IncidentPageTests.post(w.admin, "\(editor)/inheritance", form + [("status", "")])
            #expect(noStatus.status == .badRequest && noStatus.html.contains("met / not-met / not-applicable / not-assessed から選んでください"))
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).isEmpty)
            let forged = try await IncidentPageTests.post(w.admin, "\(editor)/inheritance", form.map { $0.0 == "csrf" ? ($0.0, "x") : $0 } + [("status", "met")])
            #expect(forged.status == .forbidden)

            // Someone saves the second objective meanwhile: the stale confirmation is refused whole with the conflict message.
            _ = try await AssessmentUseCases(services.tenantEnvironment, w.scope).putFinding(
                assessmentID: w.assessment, objective: second, status: "not-met", rationale: "鍵の管理が未整備", evidence: [], assessedBy: "other",
                ifVersion: 0)
            let stale = try await IncidentPageTests.post(w.admin, "\(editor)/inheritance", form + [("status", "met"), ("rationale", "事業者の SOC 報告を確認")])
            #expect(stale.status == .conflict && stale.html.contains("この画面を開いている間に、他の人が同じ内容を保存しました"))
            #expect(stale.html.contains("事業者の SOC 報告を確認"), "the input is kept")
            var findings = try await w.scope.store.findings(assessmentID: w.assessment)
            #expect(findings.map(\.objective) == [second] && findings[0].status == "not-met", "nothing of the stale confirmation is written")
            #expect(try await uc.offers(assessmentID: w.assessment, requirement: "3.10.1")[0].confirmed.isEmpty)

            // Read again (the new version), confirm with met: both findings met, the evidence listed once, the rationale given.
            ja = try await IncidentPageTests.get(w.admin, editor)
            #expect(Self.hidden(ja.html, "v_\(second)") == "1")
            let fresh = [("csrf", csrf), ("service", "fedramp:FR0000000001"), ("objectives", first), ("objectives", second),
                         ("v_\(first)", "0"), ("v_\(second)", "1"), ("status", "met"), ("rationale", "事業者の SOC 報告を確認")]
            let ok = try await IncidentPageTests.post(w.admin, "\(editor)/inheritance", fresh)
            #expect(ok.status == .seeOther && ok.headers[.location]?.hasPrefix(editor) == true)
            findings = try await w.scope.store.findings(assessmentID: w.assessment)
            #expect(findings.map(\.status) == ["met", "met"] && findings.allSatisfy { $0.rationale == "事業者の SOC 報告を確認" })
            for f in findings {
                let refs = try JSONDecoder().decode([EvidenceRef].self, from: Data(f.evidence.utf8))
                #expect(refs.map(\.location) == ["Example Cloud (fedramp:FR0000000001): CRM 2026-03"])
            }
            let after = try await IncidentPageTests.get(w.admin, editor)
            #expect(after.html.contains("確認済み（適合）") && after.html.contains("Example Cloud (fedramp:FR0000000001): CRM 2026-03"))
            // The same again (now stale at the old versions): 409, still one evidence entry each.
            #expect(try await IncidentPageTests.post(w.admin, "\(editor)/inheritance", fresh).status == .conflict)
            let audit = try await AuditQueries(db: services.db).entries(of: w.scope, limit: 100, before: nil, actionPrefix: "cloud.", actor: "")
            #expect(audit.filter { $0.action == "cloud.inheritance-confirmed" }.count == 1)
        }
    }

    @Test("Issue 15 item 4: a viewer sees the inheritance block without the form and no import form; its posts are refused (403) and nothing is written; another organization's assessment is not found",
          arguments: TestDatabases.engines)
    func viewerAndOtherOrganization(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(client, services)
            let uc = ResponsibilityUseCases(services.tenantEnvironment, w.scope)
            _ = try await uc.importMatrix(Self.crm, fileName: "crm.csv", service: "fedramp:FR0000000001", name: Self.provider,
                                          evidenceReference: "CRM 2026-03")
            let viewer = try await CloudServicePageTests.member(client, services, w.org, .viewer, "inherit-viewer@example.jp")
            let editor = "/o/\(w.org)/assessments/\(w.assessment)/requirements/3.10.1"
            let page = try await IncidentPageTests.get(viewer, editor)
            #expect(page.status == .ok && page.html.contains("Example Cloud が提供（継承）") && page.html.contains("CRM 2026-03"))
            #expect(!page.html.contains("\(editor)/inheritance") && page.html.contains("継承の確認は、評価結果を編集できる方"))
            let service = try await IncidentPageTests.get(viewer, "/o/\(w.org)/cloud/services/\(w.service)")
            #expect(service.html.contains("<td class=\"count-provider\">3</td>") && !service.html.contains("name=\"evidence_reference\""))
            let csrf = try #require(WebPageTests.formToken(page.html))
            let objective = try #require(try await uc.offers(assessmentID: w.assessment, requirement: "3.10.1").first?.responsibility.objectives.first)
            let confirm = try await IncidentPageTests.post(viewer, "\(editor)/inheritance",
                                                           [("csrf", csrf), ("service", "fedramp:FR0000000001"), ("objectives", objective), ("status", "met")])
            #expect(confirm.status == .forbidden)
            let upload = try await Self.upload(viewer, "/o/\(w.org)/cloud/services/\(w.service)/matrix",
                                               [("csrf", csrf), ("evidence_reference", "x")], file: Data("Control ID,Responsibility\nSC-13,Provider\n".utf8))
            #expect(upload.status == .forbidden)
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).isEmpty)
            #expect(try await uc.entries(service: "fedramp:FR0000000001").count == 5)

            // Another organization's assessment, through this organization's address: not found, nothing written there.
            let other = try await SupplyChainPageTests.org(services, "別会社")
            let au = AssessmentUseCases(services.tenantEnvironment, other)
            let system = try await au.createSystem(name: "X", boundary: "", environment: "", informationTypes: [], userCount: 1)
            let theirs = try await au.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-11-01", kind: nil, assessor: "x")
            let adminCSRF = try #require(WebPageTests.formToken(try await IncidentPageTests.get(w.admin, editor).html))
            let cross = try await IncidentPageTests.post(w.admin, "/o/\(w.org)/assessments/\(theirs.id)/requirements/3.10.1/inheritance",
                                                         [("csrf", adminCSRF), ("service", "fedramp:FR0000000001"), ("objectives", objective), ("status", "met")])
            #expect(cross.status == .notFound)
            #expect(try await other.store.findings(assessmentID: theirs.id).isEmpty)
        }
    }

    @Test("Issue 15 item 4: the API — import (201, counts, the row left out), the list and one matrix with its controls, the offers, a confirmation (200) and a stale one (412, nothing written); a viewer 403, another organization's assessment 404, an unreadable file 400 naming 'file', no status 400 naming 'status'",
          arguments: TestDatabases.engines)
    func api(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(client, services)
            let base = "/api/v1/organizations/\(w.org)"
            let importURI = "\(base)/cloud-services/\(w.service)/matrix?evidence=CRM%202026-03&name=Example%20Cloud&filename=crm.csv"
            let bad = try await w.admin.send(.post, importURI, raw: Data("name,price\nwidget,3\n".utf8), headers: [.contentType: "text/csv"])
            #expect(bad.status == .badRequest && (bad.json["error"] as? [String: Any])?["field"] as? String == "file")
            #expect(try await w.admin.send(.get, "\(base)/cloud-services/\(w.service)/matrix").status == .notFound)
            let imported = try await w.admin.send(.post, importURI, raw: Self.crm, headers: [.contentType: "text/csv"])
            #expect(imported.status == .created, "\(String(decoding: imported.body, as: UTF8.self))")
            #expect(imported.json["controls"] as? Int == 5 && imported.json["serviceName"] as? String == Self.provider)
            #expect((imported.json["counts"] as? [String: Int]) == ["provider": 3, "customer": 1, "shared": 0, "inherited": 1])
            #expect(((imported.json["warnings"] as? [[String: Any]])?.first?["location"] as? String) == "row 7")
            let list = try await w.admin.send(.get, "\(base)/cloud-matrices")
            let rows = try #require(try JSONSerialization.jsonObject(with: list.body) as? [[String: Any]])
            #expect(list.status == .ok && rows.map { $0["service"] as? String } == ["fedramp:FR0000000001"] && rows[0]["entries"] == nil)
            let one = try await w.admin.send(.get, "\(base)/cloud-services/\(w.service)/matrix")
            #expect(((one.json["entries"] as? [[String: Any]])?.compactMap { $0["control"] as? String }) == ["AC-2", "AC-3", "PE-2", "PE-3", "PE-5"])

            let inheritance = "\(base)/assessments/\(w.assessment)/requirements/3.10.1/inheritance"
            let offers = try await w.admin.send(.get, inheritance)
            let offer = try #require((offers.json["offers"] as? [[String: Any]])?.first)
            #expect(offers.status == .ok && offer["inheritance"] as? String == "inherited" && offer["evidenceReference"] as? String == "CRM 2026-03")
            let objectives = try #require(offer["objectives"] as? [String])
            #expect((offer["statements"] as? [[String: Any]])?.contains { $0["text"] as? String == "From the IaaS" } == true)
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).isEmpty)

            let noStatus = try await w.admin.send(.post, inheritance, json: ["service": "fedramp:FR0000000001", "objectives": [objectives[0]], "status": "inherited"])
            #expect(noStatus.status == .badRequest && (noStatus.json["error"] as? [String: Any])?["field"] as? String == "status")
            let body: [String: Any] = ["service": "fedramp:FR0000000001", "objectives": Array(objectives.prefix(2)), "status": "met",
                                       "versions": [objectives[0]: 0, objectives[1]: 0]]
            let ok = try await w.admin.send(.post, inheritance, json: body)
            let confirmed = try #require(try JSONSerialization.jsonObject(with: ok.body) as? [[String: Any]])
            #expect(ok.status == .ok && confirmed.map { $0["status"] as? String } == ["met", "met"])
            // The same body again: the versions read are stale now (412), nothing more written.
            let stale = try await w.admin.send(.post, inheritance, json: body.merging(["status": "not-met"]) { _, new in new })
            #expect(stale.status == .preconditionFailed)
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).map(\.status) == ["met", "met"])
            #expect(try await w.admin.send(.post, inheritance, json: body.merging(["extra": 1]) { a, _ in a }).status == .badRequest)

            let viewer = try await CloudServicePageTests.member(client, services, w.org, .viewer, "inherit-api-viewer@example.jp")
            #expect(try await viewer.send(.get, inheritance).status == .ok)
            #expect(try await viewer.send(.get, "\(base)/cloud-matrices").status == .ok)
            let refused = try await viewer.send(.post, inheritance, json: ["service": "fedramp:FR0000000001", "objectives": [objectives[2]], "status": "met"])
            #expect(refused.status == .forbidden)
            #expect(try await viewer.send(.post, importURI, raw: Self.crm, headers: [.contentType: "text/csv"]).status == .forbidden)
            #expect(try await w.scope.store.findings(assessmentID: w.assessment).count == 2)

            let other = try await SupplyChainPageTests.org(services, "別会社")
            let au = AssessmentUseCases(services.tenantEnvironment, other)
            let system = try await au.createSystem(name: "X", boundary: "", environment: "", informationTypes: [], userCount: 1)
            let theirs = try await au.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-11-01", kind: nil, assessor: "x")
            let cross = "\(base)/assessments/\(theirs.id)/requirements/3.10.1/inheritance"
            #expect(try await w.admin.send(.get, cross).status == .notFound)
            #expect(try await w.admin.send(.post, cross, json: ["service": "fedramp:FR0000000001", "objectives": [objectives[0]], "status": "met"]).status == .notFound)
            #expect(try await other.store.findings(assessmentID: theirs.id).isEmpty)
            let theirService = try await CloudServiceUseCases(services.tenantEnvironment, other).add(CloudServiceDraft(ref: "other:NAS", information: "cui"))
            #expect(try await w.admin.send(.post, "\(base)/cloud-services/\(theirService.id)/matrix?evidence=x", raw: Self.crm,
                                            headers: [.contentType: "text/csv"]).status == .notFound)
            #expect(try await ResponsibilityUseCases(services.tenantEnvironment, other).matrices().isEmpty)
        }
    }
}
