import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer
import TekigoStore
import TekigoUseCases

/// Issue 17 item 3 over real HTTP on loopback, SQLite and PostgreSQL: the exports, the POA&M page and the editor in
/// the organization's regime in effect — japanese: no SPRS or CMMC; a US contract on it (both): SPRS and CMMC again.
@Suite("Exports and pages in the organization's regime (issue 17 item 3)")
struct RegimeExportPageTests {
    /// The page's own content (the layout's footer names every standard Tekigo supports).
    static func main(_ html: String) -> String {
        guard let start = html.range(of: "<main"), let end = html.range(of: "</main>") else { return html }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func export(_ b: Browser, _ orgID: String, _ assessment: String, _ document: String, format: String = "md",
                       lang: String = "ja") async throws -> (status: HTTPResponse.Status, text: String) {
        let r = try await b.send(.get, "/api/v1/organizations/\(orgID)/assessments/\(assessment)/export/\(document)?format=\(format)&lang=\(lang)")
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    @Test("issue 17 item 3: an organization set to japanese gets an SSP export (md, html, csv; ja and en), exports page, POA&M page and editor without SPRS or CMMC and the SPRS summary refused (400); a US contract on it (both) brings SPRS and CMMC back",
          arguments: TestDatabases.engines)
    func regimeExportsAndPages(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, assessment) = try await WebPageTests.assessment(services, orgID)
            let a = assessment.id
            let poamURL = "/o/\(orgID)/assessments/\(a)/poam"

            // Before anyone chooses (us): the SSP and the POA&M page speak SPRS and CMMC as they always did.
            let usSSP = try await Self.export(admin, orgID, a, "ssp")
            #expect(usSSP.status == .ok && usSSP.text.contains("SPRS スコア") && usSSP.text.contains("CMMC レベル2 ステータス"))
            #expect(Self.main(try await WebPageTests.page(admin, .get, poamURL).html).contains("SPRS"))
            #expect(try await Self.export(admin, orgID, a, "sprs").status == .ok)
            let editorURL = "/o/\(orgID)/assessments/\(a)/requirements/3.1.3"
            let usEditor = Self.main(try await WebPageTests.page(admin, .get, editorURL).html)
            #expect(usEditor.contains("配点 1") && usEditor.contains("CUIの情報フロー制御</h1>"))

            #expect(try await admin.send(.patch, "/api/v1/organizations/\(orgID)", json: ["regime": "japanese"]).status == .ok)
            for lang in ["ja", "en"] {
                for format in ["md", "html", "csv"] {
                    let ssp = try await Self.export(admin, orgID, a, "ssp", format: format, lang: lang)
                    #expect(ssp.status == .ok)
                    for word in ["SPRS", "CMMC"] { #expect(!ssp.text.contains(word), "\(format) \(lang): \(word)") }
                }
                let poam = try await Self.export(admin, orgID, a, "poam", lang: lang)
                #expect(poam.status == .ok && !poam.text.contains("SPRS") && !poam.text.contains("CMMC"))
            }
            let ssp = try await Self.export(admin, orgID, a, "ssp")
            #expect(ssp.text.hasPrefix("# システムセキュリティ実装計画書") && ssp.text.contains("保護すべき情報")
                    && ssp.text.contains("情報セキュリティ指定書") && ssp.text.contains("全項目適合に未達"))
            // OSCAL is a data format: unchanged by the regime.
            #expect(try await Self.export(admin, orgID, a, "ssp", format: "oscal").status == .ok)
            let sprs = try await admin.send(.get, "/api/v1/organizations/\(orgID)/assessments/\(a)/export/sprs?format=md")
            #expect(sprs.status == .badRequest && (sprs.json["error"] as? [String: Any])?["field"] as? String == "document")

            let exports = Self.main(try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(a)/exports").html)
            #expect(!exports.contains("/export/sprs") && !exports.contains("SPRS") && exports.contains("/export/ssp"))
            #expect(exports.contains("システムセキュリティ実装計画書（Tekigo のガイダンス付き）"))
            let poamPage = Self.main(try await WebPageTests.page(admin, .get, poamURL).html)
            #expect(!poamPage.contains("SPRS") && !poamPage.contains("CMMC") && !poamPage.contains("id=\"results-posted\""))
            let english = Self.main(try await WebPageTests.page(admin, .get, poamURL, language: "en").html)
            #expect(!english.contains("SPRS") && !english.contains("CMMC"))
            // The editor: the title in the regime's word, no SPRS points.
            let editor = Self.main(try await WebPageTests.page(admin, .get, editorURL).html)
            #expect(editor.contains("保護すべき情報の情報フロー制御</h1>") && !editor.contains("配点 1"))

            // A customer puts a DFARS contract on the organization: the regime in effect is both.
            let customer = try await services.accounts.createOrganization(name: "Apex Defense Systems Inc.",
                                                                           owner: try #require(try await services.accounts.user(email: "admin@example.jp")).id)
            try await ChainObjects.link(services.db, customer: customer.id, supplier: orgID)
            _ = try await ChainObjects.createContract(services.db, customer.id,
                                                      try Contract(number: "FA8650-27-C-0001", designation: .cui, clauses: [.dfars7012]),
                                                      supplierID: orgID)
            let both = try await Self.export(admin, orgID, a, "ssp")
            #expect(both.status == .ok && both.text.contains("SPRS スコア") && both.text.contains("CMMC レベル2 ステータス")
                    && both.text.contains("情報セキュリティ指定書"))
            #expect(try await Self.export(admin, orgID, a, "sprs").status == .ok)
            let bothPage = Self.main(try await WebPageTests.page(admin, .get, poamURL).html)
            #expect(bothPage.contains("SPRS") && bothPage.contains("id=\"results-posted\""))
            let bothExports = Self.main(try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(a)/exports").html)
            #expect(bothExports.contains("/export/sprs"))
        }
    }

    @Test("issue 17 item 3: a customer under japanese is offered the all-met minimum for its suppliers (no SPRS or CMMC minimum, no SPRS field) and a 保護すべき情報 contract by default; under us the SPRS minimum of 88 as before",
          arguments: TestDatabases.engines)
    func supplierMinimums(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let owner = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let supplier = try await services.accounts.createOrganization(name: "燕三光鍛造株式会社", owner: owner.id)
            try await ChainObjects.link(services.db, customer: orgID, supplier: supplier.id)
            let url = "/o/\(orgID)/suppliers/\(supplier.id)"

            let us = Self.main(try await WebPageTests.page(admin, .get, url).html)
            #expect(us.contains("<option value=\"sprs\" selected>") && us.contains("name=\"sprs\" inputmode=\"numeric\" value=\"88\"")
                    && us.contains("<option value=\"cmmc-l2\""))
            #expect(us.contains("<option value=\"cui\" selected>"))

            #expect(try await admin.send(.patch, "/api/v1/organizations/\(orgID)", json: ["regime": "japanese"]).status == .ok)
            for lang in ["ja", "en"] {
                let page = Self.main(try await WebPageTests.page(admin, .get, url, language: lang).html)
                #expect(page.contains("<option value=\"all-met\" selected>") && !page.contains("<option value=\"sprs\"")
                        && !page.contains("<option value=\"cmmc-l2\"") && !page.contains("name=\"sprs\""))
                #expect(page.contains("<option value=\"protected-information\" selected>"))
                #expect(!page.contains("SPRS"), "\(lang)")
            }
        }
    }
}
