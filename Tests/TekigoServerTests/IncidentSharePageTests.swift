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

/// Sharing from an incident over real HTTP on loopback (issue 14 item 5): the pages in Japanese and English — the
/// incident page's observables and share button, the share form, the preview with the exact JSON, publish, the share's
/// page with the 3.6.2 offer and its confirmation — each form refused without its CSRF field; and the JSON API from
/// observable to confirmed evidence (a digest that is not the preview's is a conflict). SQLite always, PostgreSQL when
/// configured.
@Suite("Incident sharing pages and API", .serialized)
struct IncidentSharePageTests {
    /// The administrator's organization with an incident, an SP 800-171 rev2 assessment and write access to a
    /// collection of an ISAC (an authority).
    static func world(_ client: any TestClientProtocol, _ services: Services) async throws -> (Browser, String, String, String, String) {
        let admin = Browser(client)
        let (_, orgID) = try await bootstrapAdmin(admin, services: services)
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let org = try #require(try await services.accounts.organization(id: orgID))
        let scope = SupplyChainPageTests.scope(services, org, me)
        let d = try await IncidentUseCases(services.tenantEnvironment, scope).open(IncidentDraft(
            title: "CAD サーバのランサムウェア感染", discoveredAt: "2026-11-02T02:13:00+09:00", discoveredTimeZone: "Asia/Tokyo",
            discoveredBy: "情報システム課 山田", detectionMethod: "message-from-attacker"))
        let uc = AssessmentUseCases(services.tenantEnvironment, scope)
        let system = try await uc.createSystem(name: "CAD", boundary: "", environment: "", informationTypes: [], userCount: 3)
        let a = try await uc.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-11-01", kind: nil, assessor: "me")
        let store = ThreatIntelStore(services.db)
        let isac = try await store.createCommunity(slug: "dib-isac-\(UUID().uuidString.prefix(6).lowercased())", name: "防衛産業 ISAC", kind: .isac)
        try await store.addMember(isac.id, organization: orgID, role: .member, listed: false, cuiAuthorized: false)
        let col = try await store.createCollection(in: isac.id, title: "インシデント報告", description: "", alias: "reports")
        try await store.setAccess(collection: col.id, organization: orgID, canRead: true, canWrite: true)
        return (admin, orgID, d.id, a.id, col.id.rawValue)
    }

    /// The hidden inputs of the page's publish form, as the browser would send them.
    static func hidden(_ html: String) -> [(String, String)] {
        html.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/).map { m in
            (String(m.output.1), String(m.output.2).replacingOccurrences(of: "&#43;", with: "+").replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    @Test("Pages (ja/en, CSRF): observable added on the incident page → share form → preview with the exact JSON → publish → 3.6.2 offered, then confirmed",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, incident, assessment, collection) = try await Self.world(client, services)
            let incidentPath = "/o/\(org)/incidents/\(incident)"
            let ja = try await IncidentPageTests.get(b, incidentPath)
            #expect(ja.status == .ok && ja.html.contains("観測値") && ja.html.contains("\(incidentPath)/share"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let forged = try await IncidentPageTests.post(b, "\(incidentPath)/observables", [("csrf", "wrong"), ("value", "198.51.100.7")])
            #expect(forged.status == .forbidden)
            let added = try await IncidentPageTests.post(b, "\(incidentPath)/observables", [("csrf", csrf), ("value", "198.51.100.7"),
                                                                                           ("note", "VPN ログ")])
            #expect(added.status == .seeOther)
            let refused = try await IncidentPageTests.post(b, "\(incidentPath)/observables", [("csrf", csrf), ("value", "hello there")])
            #expect(refused.headers[.location]?.contains("observable_refused") == true)
            let withIP = try await IncidentPageTests.get(b, incidentPath + "?notice=observable_added")
            #expect(withIP.html.contains("198.51.100.7") && withIP.html.contains("IPv4 アドレス") && withIP.html.contains("観測値を追加しました"))
            let en = try await IncidentPageTests.get(b, incidentPath, "en")
            #expect(en.html.contains("Observables") && en.html.contains(">Share<"))

            let form = try await IncidentPageTests.get(b, "\(incidentPath)/share")
            #expect(form.status == .ok && form.html.contains("コミュニティへの共有") && form.html.contains("防衛産業 ISAC — インシデント報告"))
            let formEN = try await IncidentPageTests.get(b, "\(incidentPath)/share", "en")
            #expect(formEN.html.contains("Share with a community") && formEN.html.contains("name withheld") == false)
            let observableID = try #require(try await IncidentShareStore(services.db, organizationID: org).observables(incidentID: incident).first?.id)
            let choice: [(String, String)] = [("collection", collection), ("tlp", "amber"), ("observables", observableID)]
            #expect(try await IncidentPageTests.post(b, "\(incidentPath)/share/preview", choice + [("csrf", "wrong")]).status == .forbidden)
            let preview = try await IncidentPageTests.post(b, "\(incidentPath)/share/preview", choice + [("csrf", csrf)])
            #expect(preview.status == .ok && preview.html.contains("プレビュー") && preview.html.contains("[ipv4-addr:value = &#39;198.51.100.7&#39;]")
                    && preview.html.contains("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421") && !preview.html.contains("VPN ログ"),
                    "\(preview.html.prefix(300))")
            let fields = Self.hidden(preview.html).filter { $0.0 != "csrf" }
            #expect(fields.contains { $0.0 == "digest" } && fields.contains { $0.0 == "prepared_at" })
            #expect(try await IncidentPageTests.post(b, "\(incidentPath)/share/publish", fields + [("csrf", "wrong")]).status == .forbidden)
            let tampered = try await IncidentPageTests.post(b, "\(incidentPath)/share/publish",
                                                            fields.map { $0.0 == "digest" ? ($0.0, String(repeating: "0", count: 64)) : $0 } + [("csrf", csrf)])
            #expect(tampered.status == .badRequest && tampered.html.contains("プレビューした内容と異なります"))
            let published = try await IncidentPageTests.post(b, "\(incidentPath)/share/publish", fields + [("csrf", csrf)])
            #expect(published.status == .seeOther)
            let recordPath = String(try #require(published.headers[.location]).split(separator: "?")[0])
            let record = try await IncidentPageTests.get(b, recordPath + "?assessment=\(assessment)")
            #expect(record.status == .ok && record.html.contains("報告の証跡") && record.html.contains("3.6.2[c]") && record.html.contains("3.6.2[e]"))
            let recordEN = try await IncidentPageTests.get(b, recordPath + "?assessment=\(assessment)", "en")
            #expect(recordEN.html.contains("Reporting evidence (3.6.2)"))
            let findings = try await TenantStore(services.db, organizationID: org).findings(assessmentID: assessment)
            #expect(findings.allSatisfy { !$0.evidence.contains("SHA-256") }, "offered, never set")
            #expect(try await IncidentPageTests.post(b, recordPath + "/evidence", [("csrf", "wrong"), ("assessment", assessment),
                                                                                   ("objectives", "3.6.2[e]")]).status == .forbidden)
            let confirmed = try await IncidentPageTests.post(b, recordPath + "/evidence", [("csrf", csrf), ("assessment", assessment),
                                                                                          ("objectives", "3.6.2[e]")])
            #expect(confirmed.status == .seeOther)
            let after = try await TenantStore(services.db, organizationID: org).findings(assessmentID: assessment)
            #expect(after.first { $0.objective == "3.6.2[e]" }?.evidence.contains("SHA-256") == true)
            #expect(after.first { $0.objective == "3.6.2[c]" }.map { !$0.evidence.contains("SHA-256") } ?? true)
        }
    }

    @Test("API: observable → targets → preview (writes nothing) → publish with another digest 409 → publish → shares → offer → confirm",
          arguments: TestDatabases.engines)
    func api(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, incident, assessment, collection) = try await Self.world(client, services)
            let base = "/api/v1/organizations/\(org)"
            let obs = try await b.send(.post, base + "/incidents/\(incident)/observables", json: ["value": "CVE-2024-3400"])
            #expect(obs.status == .created && obs.json["kind"] as? String == "cve")
            #expect(try await b.send(.post, base + "/incidents/\(incident)/observables", json: ["value": "?"]).status == .badRequest)
            let list = try await b.send(.get, base + "/incidents/\(incident)/observables")
            let id = try #require(((try JSONSerialization.jsonObject(with: list.body) as? [[String: Any]])?.first)?["id"] as? String)
            let targets = try await b.send(.get, base + "/incident-share-targets")
            #expect(((try JSONSerialization.jsonObject(with: targets.body) as? [[String: Any]])?.first)?["authority"] as? Bool == true)
            let body: [String: Any] = ["collection": collection, "tlp": "green", "observables": [id]]
            let preview = try await b.send(.post, base + "/incidents/\(incident)/share-preview", json: body)
            #expect(preview.status == .ok)
            let bundle = try #require(preview.json["bundle"] as? String)
            let digest = try #require(preview.json["digest"] as? String)
            #expect(Hex.sha256(Data(bundle.utf8)) == digest && bundle.contains("CVE-2024-3400"))
            let none = try await b.send(.get, base + "/incidents/\(incident)/shares")
            #expect((try JSONSerialization.jsonObject(with: none.body) as? [Any])?.isEmpty == true)
            var publish = body
            publish["preparedAt"] = preview.json["preparedAt"]
            publish["digest"] = String(repeating: "a", count: 64)
            #expect(try await b.send(.post, base + "/incidents/\(incident)/shares", json: publish).status == .conflict)
            publish["digest"] = digest
            let shared = try await b.send(.post, base + "/incidents/\(incident)/shares", json: publish)
            #expect(shared.status == .created && shared.json["bundleSha256"] as? String == digest)
            let shareID = try #require(shared.json["id"] as? String)
            let offer = try await b.send(.get, base + "/incidents/\(incident)/shares/\(shareID)/evidence?assessment=\(assessment)")
            #expect((offer.json["items"] as? [[String: Any]])?.map { $0["objective"] as? String } == ["3.6.2[c]", "3.6.2[e]"])
            let confirmed = try await b.send(.post, base + "/incidents/\(incident)/shares/\(shareID)/evidence",
                                             json: ["assessment": assessment, "objectives": ["3.6.2[c]"]])
            #expect(confirmed.status == .ok)
            let shares = try await b.send(.get, base + "/incidents/\(incident)/shares")
            #expect(((try JSONSerialization.jsonObject(with: shares.body) as? [[String: Any]])?.first)?["evidenceObjectives"] as? [String] == ["3.6.2[c]"])
        }
    }

    @Test("Each sharing template reads only its model's and the layout's keys, reads every model key, and prints no nil")
    func modelsMatchTemplates() async throws {
        let option = SelectOption(value: "v", label: "L", selected: true)
        let samples: [(String, any PageModel)] = [
            ("incident-share", IncidentShareFormPage(
                title: "T", incidentURL: "/i", action: "/a", collections: [option], hasCollections: true, tlps: [option], narrative: true,
                contracts: true, reportNumbers: true, names: true, cui: true,
                observables: [.init(id: "o", kind: "IPv4", value: "198.51.100.7", checked: true)], hasObservables: true,
                shares: [.init(at: "now", to: "C", tlp: "TLP:AMBER", objects: 3, url: "/s")], hasShares: true, error: "E")),
            ("incident-share-preview", IncidentSharePreviewPage(
                incidentURL: "/i", shareURL: "/s", action: "/a", destination: "C", tlp: "TLP:AMBER", cui: true, authority: true,
                lines: [.init(id: "indicator--x", summary: "S")], objectCount: 1, json: "{}", digest: "d",
                hidden: [.init(name: "n", value: "v")], error: "E")),
            ("incident-share-record", IncidentShareRecordPage(
                incidentURL: "/i", shareURL: "/s", destination: "C", tlp: "TLP:AMBER", at: "now", objects: 3, digest: "d",
                authority: true, confirmed: "3.6.2[e]", hasConfirmed: true, offerURL: "/o", assessments: [option],
                offer: .init(assessment: "A", assessmentID: "a", action: "/e",
                             items: [.init(objective: "3.6.2[c]", requirement: "R", location: "L", status: "met", version: "1",
                                           alreadyAdded: false, url: "/r", field: "v_3.6.2[c]")], canConfirm: true),
                error: "E")),
        ]
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let layoutNames = Set(PageModelTests.keys(TemplateTree.dictionary(PageModelTests.layout(t))))
        let layoutReads = Set(try PageModelTests.names(PageModelTests.source("layout")))
        for (template, model) in samples {
            let keys = PageModelTests.keys(TemplateTree.merged(model, PageModelTests.layout(t)))
            let names = try PageModelTests.names(SupplyChainPageTests.sourceWithPartials(template))
            for name in names {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(keys.contains(parts[0]) || layoutNames.contains(parts[0]), "\(template): \(name) is not a key of its model")
                }
            }
            let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
            for key in PageModelTests.keys(TemplateTree.dictionary(model)) {
                #expect(read.contains(key) || layoutReads.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(TemplateTree.merged(model, PageModelTests.layout(t)), withTemplate: template))
            #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
        }
    }
}
