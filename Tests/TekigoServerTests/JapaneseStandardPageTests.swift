import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer
import TekigoStore
import TekigoUseCases

/// Issue #17 item 3 over real HTTP on loopback, SQLite and PostgreSQL: the regime through the API and the members
/// page (viewers refused), the overview and dashboard in the regime's terms, and the item table imported through the
/// API and the catalogs page (others than platform administrators refused, a bad file refused whole) and then
/// assessable at once.
@Suite("Japanese standard in the browser and the API (#17 item 3)")
struct JapaneseStandardPageTests {
    static func actions(_ services: Services, _ orgID: String) async throws -> [String] {
        try await services.db.sql.select().column("action").from("audit_log").where("organization_id", .equal, orgID).orderBy("seq").all()
            .map { try $0.decode(column: "action", as: String.self) }
    }

    static var example: Data {
        get throws {
            try Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("docs/examples/japanese-standard-items.example.csv"))
        }
    }

    @Test("#17 item 3: the regime through the API and the members page — a viewer is refused (403), an unknown value is 400, each change one audit entry; under japanese the overview and dashboard show 保護すべき情報's regime without SPRS, under us the SPRS score again",
          arguments: TestDatabases.engines)
    func regimeOnPagesAndAPI(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, assessment) = try await WebPageTests.assessment(services, orgID)
            let overviewURL = assessment.id
            _ = try await AccountSafetyTests.member(services, orgID, .viewer, email: "viewer@example.jp")
            let viewer = Browser(client)
            try await viewer.login("viewer@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(viewer)

            // Today's behaviour until someone chooses: us, with the SPRS score.
            #expect(try await admin.send(.get, "/api/v1/organizations/\(orgID)").json["regime"] as? String == "us")
            let before = try await WebPageTests.page(admin, .get, "/o/\(orgID)")
            #expect(before.status == .ok && before.html.contains("id=\"sprs-score\"") && !before.html.contains("id=\"all-met\""))

            // A viewer can neither change it through the API nor through the page.
            #expect(try await viewer.send(.patch, "/api/v1/organizations/\(orgID)", json: ["regime": "japanese"]).status == .forbidden)
            let members = try await WebPageTests.page(viewer, .get, "/o/\(orgID)/members")
            #expect(members.status == .ok && members.html.contains("id=\"regime-current\"") && !members.html.contains("name=\"regime\""))
            let csrf = try #require(WebPageTests.formToken(members.html))
            #expect(try await WebPageTests.page(viewer, .post, "/o/\(orgID)/regime", form: [("csrf", csrf), ("regime", "japanese")]).status
                    == .forbidden)
            let bad = try await admin.send(.patch, "/api/v1/organizations/\(orgID)", json: ["regime": "mars"])
            #expect(bad.status == .badRequest && (bad.json["error"] as? [String: Any])?["field"] as? String == "regime")
            #expect(try await Self.actions(services, orgID).filter { $0.hasPrefix("organization.") }.isEmpty)

            let set = try await admin.send(.patch, "/api/v1/organizations/\(orgID)", json: ["regime": "japanese"])
            #expect(set.status == .ok && set.json["regime"] as? String == "japanese")
            let page = try await WebPageTests.page(admin, .get, "/o/\(orgID)/members")
            #expect(page.html.contains("保護すべき情報") && page.html.contains("情報セキュリティ指定書")
                    && page.html.contains("システムセキュリティ実装計画書") && page.html.contains("事業計画"))
            let overview = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(overviewURL)")
            #expect(overview.status == .ok && !overview.html.contains("id=\"sprs-score\"") && !overview.html.contains("SPRS"))
            #expect(overview.html.contains("全項目適合に未達") && overview.html.contains("防衛産業サイバーセキュリティ基準"))
            let dashboard = try await WebPageTests.page(admin, .get, "/o/\(orgID)")
            #expect(!dashboard.html.contains("id=\"sprs-gauge\"") && dashboard.html.contains("id=\"all-met\""))
            let english = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(overviewURL)", language: "en")
            #expect(english.html.contains("Not all items met") && !english.html.contains("SPRS score"))

            // Back to us through the page's form.
            let form = try await WebPageTests.page(admin, .get, "/o/\(orgID)/members")
            let token = try #require(WebPageTests.formToken(form.html))
            let posted = try await WebPageTests.page(admin, .post, "/o/\(orgID)/regime", form: [("csrf", token), ("regime", "us")])
            #expect(posted.status == .seeOther || posted.status == .found)
            #expect(try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(overviewURL)").html.contains("id=\"sprs-score\""))
            let refused = try await WebPageTests.page(admin, .post, "/o/\(orgID)/regime", form: [("csrf", token), ("regime", "mars")])
            #expect(refused.status == .badRequest && refused.html.contains("適用基準は一覧から選んでください"))
            #expect(try await Self.actions(services, orgID).filter { $0.hasPrefix("organization.") }
                    == ["organization.regime-changed", "organization.regime-changed"])
        }
    }

    @Test("#17 item 3: the item table through the API and the catalogs page — a member who is not a platform administrator is refused (403) with nothing stored, a bad file is 422 with every problem's row and column, the example imports and is assessable at once with 全項目適合 instead of SPRS",
          arguments: TestDatabases.engines)
    func itemTableOnPagesAndAPI(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            _ = try await AccountSafetyTests.member(services, orgID, .owner, email: "owner@example.jp")
            let owner = Browser(client)
            try await owner.login("owner@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(owner)
            let example = try Self.example
            let query = "/api/v1/catalogs/item-tables?id=atla-example&name=%E4%BE%8B%E7%A4%BA"

            // An organization's owner is not a platform administrator: refused on the API and the page.
            #expect(try await owner.send(.post, query, raw: example, headers: [.contentType: "text/csv"]).status == .forbidden)
            let catalogs = try await WebPageTests.page(owner, .get, "/o/\(orgID)/catalogs/item-table")
            #expect(catalogs.status == .ok && !catalogs.html.contains("name=\"file\""))
            let csrf = try #require(WebPageTests.formToken(catalogs.html))
            let forged = try await CloudInheritancePageTests.upload(owner, "/o/\(orgID)/catalogs/item-table",
                                                                    [("csrf", csrf), ("id", "atla-example"), ("name", "例示")], file: example)
            #expect(forged.status == .forbidden)
            #expect(try await CatalogUseCases(db: services.db).imports().isEmpty)

            // A bad file: 422, every problem with row and column, nothing stored.
            let bad = Data("item_id,section,title_ja,sp800_171_r2,relation\n付紙第1項,付紙第1項,題,3.1.99,equal\n付紙第1項,付紙第1項,,,\n".utf8)
            let refused = try await admin.send(.post, query + "&lang=ja", raw: bad, headers: [.contentType: "text/csv"])
            #expect(refused.status == .unprocessableContent)
            let problems = try #require(refused.json["problems"] as? [[String: Any]])
            #expect(problems.map { "\($0["row"] as? Int ?? 0):\($0["column"] as? String ?? ""):\($0["columnLetter"] as? String ?? "")" }
                    == ["2:sp800_171_r2:D", "3:item_id:A"])
            #expect((refused.json["error"] as? [String: Any])?["code"] as? String == "item_table_rejected")
            #expect(try await CatalogUseCases(db: services.db).imports().isEmpty)
            // The same rule for the OSCAL form: a bad mapping names its control (`element`), nothing stored.
            let oscalExample = try Data(contentsOf: TestEnvironment.packageRoot
                .appendingPathComponent("docs/examples/japanese-standard-items.example.oscal.json"))
            let badOSCAL = Data(String(decoding: oscalExample, as: UTF8.self).replacingOccurrences(of: "\"3.5.3\"", with: "\"3.5.99\"").utf8)
            let refusedOSCAL = try await admin.send(.post, query, raw: badOSCAL, headers: [.contentType: "application/octet-stream"])
            #expect(refusedOSCAL.status == .unprocessableContent)
            #expect((refusedOSCAL.json["problems"] as? [[String: Any]])?.first?["element"] as? String == "control 'i3-2-a' (付紙第3項（2）ア)")
            #expect(try await CatalogUseCases(db: services.db).imports().isEmpty)

            // The page refuses the same file with every problem on the page.
            let adminPage = try await WebPageTests.page(admin, .get, "/o/\(orgID)/catalogs/item-table")
            let adminCSRF = try #require(WebPageTests.formToken(adminPage.html))
            let shown = try await CloudInheritancePageTests.upload(admin, "/o/\(orgID)/catalogs/item-table",
                                                                   [("csrf", adminCSRF), ("id", "atla-example"), ("name", "例示")], file: bad)
            #expect(shown.status == .unprocessableContent && shown.html.contains("2 行目、列 sp800_171_r2（D 列）")
                    && shown.html.contains("3 行目、列 item_id（A 列）"))

            // The example through the page: imported, and the server's catalogs know it at once.
            let done = try await CloudInheritancePageTests.upload(admin, "/o/\(orgID)/catalogs/item-table",
                                                                  [("csrf", adminCSRF), ("id", "atla-example"),
                                                                   ("name", "防衛産業サイバーセキュリティ基準（例示）")],
                                                                  file: example, filename: "japanese-standard-items.example.csv")
            #expect(done.status == .ok && done.html.contains("項目 4 件、細目 2 件"), "\(done.html)")
            let system = try await admin.send(.post, "/api/v1/organizations/\(orgID)/systems", json: ["name": "本社工場"])
            let systemID = try #require(system.json["id"] as? String)
            let created = try await admin.send(.post, "/api/v1/organizations/\(orgID)/assessments",
                                               json: ["systemId": systemID, "catalog": "atla-example", "date": "2026-11-20"])
            #expect(created.status == .created, "\(String(decoding: created.body, as: UTF8.self))")
            let assessment = try #require(created.json["id"] as? String)
            let overview = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(assessment)")
            #expect(overview.status == .ok && overview.html.contains("付紙第3項（1）ア") && overview.html.contains("全項目適合に未達（適合 0 / 4）"))
            #expect(!overview.html.contains("id=\"sprs-score\""))
            // The API import replaces it whole and answers with the counts.
            let api = try await admin.send(.post, query, raw: example, headers: [.contentType: "text/csv"])
            #expect(api.status == .created && api.json["items"] as? Int == 4 && api.json["mappings"] as? Int == 11)
        }
    }
}
