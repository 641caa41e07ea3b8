import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Issue 17 item 1 in the browser and the API: the editor shows Tekigo's guidance beside the official wording (and
/// each objective's sentence), in the page's language; the SSP export adds it on request only.
@Suite("Guidance in the editor and the SSP export (issue 17 item 1)")
struct GuidancePageTests {
    /// The page's text as a reader sees it (Mustache escapes & < > " ').
    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("Item 1: the editor of 3.5.3 shows what it asks, the ways to meet it, the assessor's three methods, evidence and each objective's sentence — ja and en",
          arguments: TestDatabases.engines)
    func editorShowsGuidance(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let fixture = try await AssessmentFixture.make(admin, services: services)
            let (orgID, a) = (fixture.orgID, fixture.assessment)
            let entry = try #require(try BuiltInLibrary.shared.catalog(.sp800171r2)["3.5.3"])
            let g = try #require(try GuidanceLibrary.builtIn.guidance(for: entry))
            for lang in Language.allCases {
                let page = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)/requirements/3.5.3",
                                                       language: lang.rawValue)
                #expect(page.status == .ok)
                let text = Self.unescaped(page.html)
                #expect(text.contains(GuidancePart.heading[lang]))
                #expect(text.contains(g.asks[lang]))
                for part in g.options + g.evidence + [g.examine, g.interview, g.test] { #expect(text.contains(part[lang])) }
                for o in entry.objectives { #expect(text.contains(try #require(g.objectives[o])[lang]), "objective \(o)") }
                // Official wording is not imported in this server: the page says so, and shows no methods block.
                #expect(!page.html.contains("class=\"official-methods\""))
            }
        }
    }

    @Test("Item 1: the SSP export adds guidance only with guidance=1 (md, ja); guidance=1 on the POA&M or OSCAL is 400",
          arguments: TestDatabases.engines)
    func sspExportOnRequest(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let fixture = try await AssessmentFixture.make(admin, services: services)
            let (orgID, a) = (fixture.orgID, fixture.assessment)
            let base = "/api/v1/organizations/\(orgID)/assessments/\(a.id)/export"
            let plain = try await WebPageTests.page(admin, .get, "\(base)/ssp?format=md&lang=ja")
            #expect(plain.status == .ok && !plain.html.contains("求められていること (Tekigo)"))
            let with = try await WebPageTests.page(admin, .get, "\(base)/ssp?format=md&lang=ja&guidance=1")
            #expect(with.status == .ok && with.html.contains("求められていること (Tekigo)"))
            let exports = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)/exports")
            #expect(exports.html.contains("\(base)/ssp?format=html&amp;lang=en&amp;guidance=1"))
            let poam = try await WebPageTests.page(admin, .get, "\(base)/poam?format=md&lang=ja&guidance=1")
            #expect(poam.status == .badRequest)
            let oscal = try await WebPageTests.page(admin, .get, "\(base)/ssp?format=oscal&guidance=1")
            #expect(oscal.status == .badRequest)
        }
    }
}
