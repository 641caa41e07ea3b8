import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoUseCases
import TekigoTestSupport
@testable import TekigoServer

/// The incident's exports over HTTP (issue 13, items 3, 4 and 8): the DoD / MOD report drafts in three formats and
/// two languages, the STIX bundle with its sensitive parts only on request, bad parameters refused, every export an
/// audited read; and the recorded DoD report number sent up to the customer (DFARS 204.7302(b)).
extension IncidentAPITests {
    @Test("Report drafts (html, md, json; ja, en; DoD and MOD) and the STIX bundle as attachments; bad kind, format, TLP or flag is a 400 naming the parameter; each export audited; the recorded DoD number sent up",
          arguments: TestDatabases.engines)
    func exports(engine: TestDatabases.Engine) async throws {
        try await ColleagueTests.withServer(engine) { client, services in
            let owner = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(owner, services: services)
            let (customerID, contractID) = try await Self.contract(services, supplierID: orgID,
                                                                   clauses: ["dfars-252.204-7012", "japanese-standard"])
            let base = "/api/v1/organizations/\(orgID)"
            let opened = try await owner.send(.post, "\(base)/incidents", json: [
                "title": "CAD <サーバ> の暗号化", "discoveredAt": Self.iso(Date(timeIntervalSinceNow: -3 * 3600).rounded()),
                "discoveredTimeZone": "Asia/Tokyo", "discoveredBy": "山田", "detectionMethod": "message-from-attacker",
                "narrative": "身代金要求の画面が表示された。", "contracts": [contractID]])
            let id = try #require(opened.json["id"] as? String)

            for (kind, format, lang, type, text) in [
                ("dod-initial", "html", "ja", "text/html", "下書き"), ("dod-initial", "md", "en", "text/markdown", "DRAFT"),
                ("mod-first", "html", "ja", "text/html", "第一報"), ("mod-detail", "md", "ja", "text/markdown", "詳細報告"),
            ] {
                let r = try await owner.send(.get, "\(base)/incidents/\(id)/report?kind=\(kind)&format=\(format)&lang=\(lang)")
                #expect(r.status == .ok, "\(kind) \(format)")
                #expect(r.headers[.contentType]?.hasPrefix(type) == true)
                #expect(r.headers[.contentDisposition]?.contains("attachment; filename=\"incident-\(id)-\(kind)-\(lang).\(format)\"") == true)
                let body = String(decoding: r.body, as: UTF8.self)
                #expect(body.contains(text), "\(kind) \(format) \(lang)")
                #expect(!body.contains("<サーバ>") || format == "md", "the title is escaped in HTML")
            }
            // The report fields: replaced whole at the version read; a bad CAGE code is a 400 naming the field and what is wrong.
            let fields: [String: Any] = ["facilityCAGE": "1ABC2", "modSummary": "CAD サーバが暗号化された。",
                                         "pointsOfContact": [["name": "山田 太郎", "position": "情報システム課長",
                                                              "telephone": "+81-3-1234-5678", "email": "yamada@example.jp"]]]
            let noVersion = try await owner.send(.put, "\(base)/incidents/\(id)/report-fields", json: fields)
            #expect(noVersion.status == .badRequest)
            var bad = fields
            bad["facilityCAGE"] = "12"
            let refused = try await owner.send(.put, "\(base)/incidents/\(id)/report-fields", json: bad, headers: [.ifMatch: "\"1\""])
            #expect(refused.status == .badRequest)
            #expect((refused.json["error"] as? [String: Any])?["field"] as? String == "facilityCAGE")
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("CAGE") == true, "\(String(decoding: refused.body, as: UTF8.self))")
            let saved = try await owner.send(.put, "\(base)/incidents/\(id)/report-fields", json: fields, headers: [.ifMatch: "\"1\""])
            #expect(saved.status == .ok, "\(String(decoding: saved.body, as: UTF8.self))")
            #expect(saved.json["version"] as? Int == 2)
            #expect(try await owner.send(.put, "\(base)/incidents/\(id)/report-fields", json: fields, headers: [.ifMatch: "\"1\""]).status == .conflict)
            let filled = try await owner.send(.get, "\(base)/incidents/\(id)/report?kind=mod-first&format=md")
            #expect(String(decoding: filled.body, as: UTF8.self).contains("CAD サーバが暗号化された。"))

            let json = try await owner.send(.get, "\(base)/incidents/\(id)/report?kind=dod-initial&format=json")
            #expect(json.json["format"] as? String == "tekigo.incident-report")
            for bad in ["kind=dibnet", "format=pdf", "lang=fr"] {
                let r = try await owner.send(.get, "\(base)/incidents/\(id)/report?\(bad)")
                #expect(r.status == .badRequest, "\(bad)")
                #expect((r.json["error"] as? [String: Any])?["field"] as? String == String(bad.prefix { $0 != "=" }))
            }

            let stix = try await owner.send(.get, "\(base)/incidents/\(id)/stix?tlp=amber%2Bstrict")
            #expect(stix.status == .ok)
            #expect(stix.headers[.contentType] == "application/stix+json;version=2.1")
            let objects = try #require(stix.json["objects"] as? [[String: Any]])
            let incident = try #require(objects.first { $0["type"] as? String == "incident" })
            #expect(incident["description"] == nil, "the narrative only when asked")
            let told = try await owner.send(.get, "\(base)/incidents/\(id)/stix?narrative=true")
            let withNarrative = (told.json["objects"] as? [[String: Any]])?.first { $0["type"] as? String == "incident" }
            #expect((withNarrative?["description"] as? String)?.contains("身代金") == true)
            #expect(try await owner.send(.get, "\(base)/incidents/\(id)/stix?tlp=white").status == .badRequest)
            #expect(try await owner.send(.get, "\(base)/incidents/\(id)/stix?narrative=yes").status == .badRequest)
            #expect(try await owner.send(.get, "\(base)/incidents/nope/stix").status == .notFound)

            let exported = try await services.db.sql.select().column("action").from("audit_log")
                .where("organization_id", .equal, orgID).where("action", .equal, "incident.exported").all()
            #expect(exported.count == 8, "five drafts, the JSON draft and two bundles; refusals write none")

            // DFARS 204.7302(b): once the DoD number is recorded, the supplier sends it (with the fields it chooses) to
            // the customer on the contract, which meets the tell-customer clock.
            let submitted = try await owner.send(.post, "\(base)/incidents/\(id)/submissions", json: [
                "kind": "dod-initial", "submittedAt": Self.iso(Date(timeIntervalSinceNow: -60).rounded()), "channel": "DC3",
                "reportNumber": "ICF-7777"])
            #expect(submitted.status == .created)
            #expect(try await owner.send(.post, "\(base)/incidents/\(id)/notices", json: ["include": []]).status == .created)
            let sent = try await owner.send(.get, "\(base)/incidents/\(id)/notices")
            let items = try #require(sent.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && (items.first?["recipient"] as? [String: Any])?["id"] as? String == customerID, "\(items)")
            #expect(items.first?["reportNumber"] as? String == "ICF-7777")
            let shown = try await owner.send(.get, "\(base)/incidents/\(id)")
            #expect(deadline(shown.json, "dfars-7012.tell-customer")?["state"] as? String == "met")
        }
    }
}
