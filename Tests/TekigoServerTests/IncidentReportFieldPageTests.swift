import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The report fields' form (issue 13, item 3: the DC3 ICF's and the MOD report's fields beyond the facts) and the
/// STIX download from the incident's page (item 8), over real HTTP: saved fields reach the drafts, a malformed value
/// comes back named with everything typed kept and nothing saved, a stale form changes nothing, a viewer without
/// need-to-know is refused, and the bundle carries the TLP chosen and only the details ticked.
@Suite("Incident report field pages", .serialized)
struct IncidentReportFieldPageTests {
    typealias P = IncidentPageTests

    static func open(_ client: any TestClientProtocol, _ services: Services) async throws -> (Browser, String, String, String) {
        let (admin, o, contract) = try await P.supplierOnContract(client, services)
        let csrf = try await P.csrf(admin, o)
        let id = try await P.record(admin, o, P.incidentForm(csrf, local: P.local(P.start.addingTimeInterval(-7200), "Asia/Tokyo"),
                                                            contract: contract))
        return (admin, o, id, csrf)
    }

    static func version(_ html: String) throws -> String {
        let m = try #require(html.firstMatch(of: /name="version" value="(\d+)"/))
        return String(m.1)
    }

    /// A filled form as the browser sends it: one point of contact (and the spare blank one), the contract's
    /// contracting officer, an agency, lines, the MOD fields.
    static func filled(_ csrf: String, version: String, contract: String, cage: String = "1ABC2") -> [(String, String)] {
        [("csrf", csrf), ("version", version), ("poc_count", "2"), ("contract_count", "1"), ("agency_count", "2"),
         ("report_type", "initial"), ("cited_report_number", ""), ("facility_cage", cage), ("facility_clearance", "secret"),
         ("poc_0_name", "鈴木 一郎"), ("poc_0_position", "情報システム課長"), ("poc_0_address", "東京都大田区"),
         ("poc_0_telephone", "+81 3-1234-5678"), ("poc_0_email", "suzuki@example.jp"),
         ("poc_1_name", ""), ("poc_1_position", ""), ("poc_1_address", ""), ("poc_1_telephone", ""), ("poc_1_email", ""),
         ("contract_0_id", contract), ("contract_0_co_name", "Jane Smith"), ("contract_0_co_position", "Contracting Officer"),
         ("contract_0_co_telephone", "+1 256-555-0100"), ("contract_0_co_email", "jane.smith@army.example"),
         ("contract_0_clearance", "unclassified"),
         ("impact", "CAD drawings of the bracket may have been read."), ("critical_support", "None."),
         ("locations", "本社工場\r\n\r\n第二工場 "), ("incident_location_cage", "1abc2"), ("dod_programs", ""),
         ("agency_0_name", "警察庁"), ("agency_0_tracking", "R-2026-118"), ("agency_1_name", ""), ("agency_1_tracking", ""),
         ("additional_information", ""), ("designation_references", "指定書 第 12 号"),
         ("mod_contact_name", "鈴木 一郎"), ("mod_contact_telephone", "03-1234-5678"),
         ("mod_summary", "ランサムウェア感染"), ("mod_damage", "CAD サーバ 1 台"), ("mod_response", "隔離済み"), ("mod_planned", "復旧")]
    }

    @Test("Report fields saved from the page reach the draft: lists split by line, blank entries dropped, CAGE codes in capitals (DC3 ICF sections II–IV)",
          arguments: TestDatabases.engines)
    func savedFieldsReachTheDraft(engine: TestDatabases.Engine) async throws {
        try await P.withServer(engine) { client, services in
            let (admin, o, id, csrf) = try await Self.open(client, services)
            let detail = try await P.get(admin, "/o/\(o)/incidents/\(id)")
            #expect(detail.html.contains("/o/\(o)/incidents/\(id)/report-fields"))
            let form = try await P.get(admin, "/o/\(o)/incidents/\(id)/report-fields")
            #expect(form.status == .ok)
            #expect(form.html.contains("報告書の記載事項") && form.html.contains(P.contractNumber))
            #expect(form.html.contains("まだ不足している事項"), "an empty draft says what the reports lack")
            let contract = try #require(form.html.firstMatch(of: /name="contract_0_id" value="([^"]+)"/)).1
            let saved = try await P.post(admin, "/o/\(o)/incidents/\(id)/report-fields",
                                         Self.filled(csrf, version: try Self.version(form.html), contract: String(contract)))
            #expect(saved.status == .seeOther, "\(saved.html.prefix(600))")

            let scope = try await P.adminScope(services, o)
            let stored = try #require(try await IncidentQueries(services.tenantEnvironment, scope).dossier(id: id).typedReportFields)
            #expect(stored.facilityCAGE == "1ABC2" && stored.incidentLocationCAGE == "1ABC2")
            #expect(stored.facilityClearanceLevel == .secret)
            #expect(stored.pointsOfContact == [ReportContact(name: "鈴木 一郎", position: "情報システム課長", address: "東京都大田区",
                                                              telephone: "+81 3-1234-5678", email: "suzuki@example.jp")])
            #expect(stored.contractContacts.count == 1 && stored.contractContacts[0].contractingOfficer?.name == "Jane Smith"
                    && stored.contractContacts[0].programManager == nil && stored.contractContacts[0].clearanceLevel == .unclassified)
            #expect(stored.locationsOfCompromise == ["本社工場", "第二工場"])
            #expect(stored.otherAgencies == [AgencyNotification(agency: "警察庁", trackingNumber: "R-2026-118")])
            #expect(stored.designationReferences == ["指定書 第 12 号"] && stored.modContact?.name == "鈴木 一郎")

            let draft = try await P.get(admin, "/o/\(o)/incidents/\(id)/report?kind=dod-initial&format=html&lang=en")
            #expect(draft.html.contains("Jane Smith") && draft.html.contains("R-2026-118") && draft.html.contains("1ABC2"))
            // The form shows what was saved, with two spare blank entries after the saved one.
            let again = try await P.get(admin, "/o/\(o)/incidents/\(id)/report-fields", "en")
            #expect(again.html.contains(#"value="suzuki@example.jp""#) && again.html.contains(#"name="poc_2_name""#))
            #expect(!again.html.contains(#"name="poc_3_name""#))
        }
    }

    @Test("A malformed value comes back named in the viewer's language with the form as typed, and nothing is saved; a stale form gets the conflict page",
          arguments: TestDatabases.engines)
    func badValueAndStaleForm(engine: TestDatabases.Engine) async throws {
        try await P.withServer(engine) { client, services in
            let (admin, o, id, csrf) = try await Self.open(client, services)
            let form = try await P.get(admin, "/o/\(o)/incidents/\(id)/report-fields")
            let version = try Self.version(form.html)
            let contract = String(try #require(form.html.firstMatch(of: /name="contract_0_id" value="([^"]+)"/)).1)
            let bad = try await P.post(admin, "/o/\(o)/incidents/\(id)/report-fields",
                                       Self.filled(csrf, version: version, contract: contract, cage: "12"))
            #expect(bad.status == .badRequest)
            #expect(bad.html.contains("CAGE コードではありません") && bad.html.contains(##"href="#facility_cage""##))
            #expect(bad.html.contains(#"value="jane.smith@army.example""#), "what was typed is kept")
            var noName = Self.filled(csrf, version: version, contract: contract)
            noName.removeAll { $0.0 == "poc_0_name" }
            let en = try await P.post(admin, "/o/\(o)/incidents/\(id)/report-fields", noName, "en")
            #expect(en.status == .badRequest && en.html.contains("an entry has no name"))
            let scope = try await P.adminScope(services, o)
            #expect(try await IncidentQueries(services.tenantEnvironment, scope).dossier(id: id).reportFields == nil)

            let first = try await P.post(admin, "/o/\(o)/incidents/\(id)/report-fields", Self.filled(csrf, version: version, contract: contract))
            #expect(first.status == .seeOther)
            let stale = try await P.post(admin, "/o/\(o)/incidents/\(id)/report-fields",
                                         Self.filled(csrf, version: version, contract: contract, cage: "9ZZZ9"))
            #expect(stale.status == .conflict)
            #expect(try await IncidentQueries(services.tenantEnvironment, scope).dossier(id: id).typedReportFields?.facilityCAGE == "1ABC2")
        }
    }

    @Test("A viewer without need-to-know gets neither the form nor the STIX bundle; the bundle carries the TLP chosen and only the details ticked",
          arguments: TestDatabases.engines)
    func needToKnowAndSTIX(engine: TestDatabases.Engine) async throws {
        try await P.withServer(engine) { client, services in
            let (admin, o, id, _) = try await Self.open(client, services)
            let viewer = try await P.viewer(client, services, o)
            #expect(try await P.get(viewer, "/o/\(o)/incidents/\(id)/report-fields").status == .forbidden)
            // Posting the form directly (with the viewer's own CSRF token) is refused too, and nothing is saved.
            let viewerCSRF = try #require(WebPageTests.formToken(try await P.get(viewer, "/o/\(o)/incidents").html))
            let posted = try await P.post(viewer, "/o/\(o)/incidents/\(id)/report-fields",
                                          Self.filled(viewerCSRF, version: "1", contract: "none"))
            #expect(posted.status == .forbidden)
            #expect(posted.html.contains("インシデントを閲覧する権限がありません"), "refused for need-to-know, not for the CSRF token")
            let scope = try await P.adminScope(services, o)
            #expect(try await IncidentQueries(services.tenantEnvironment, scope).dossier(id: id).reportFields == nil)
            #expect(try await P.get(viewer, "/o/\(o)/incidents/\(id)/stix?tlp=green").status == .forbidden)

            let plain = try await admin.send(.get, "/o/\(o)/incidents/\(id)/stix?tlp=green")
            #expect(plain.status == .ok)
            let text = String(decoding: plain.body, as: UTF8.self)
            #expect(text.contains(TLPMarkingIDs.green) && !text.contains(TLPMarkingIDs.amber))
            #expect(!text.contains("朝、CAD サーバに脅迫文") && !text.contains(P.contractNumber), "nothing leaves unless ticked")
            let full = try await admin.send(.get, "/o/\(o)/incidents/\(id)/stix?tlp=red&narrative=1&contracts=1")
            let fullText = String(decoding: full.body, as: UTF8.self)
            #expect(fullText.contains("朝、CAD サーバに脅迫文") && fullText.contains(P.contractNumber) && fullText.contains(TLPMarkingIDs.red))
            #expect(try await admin.send(.get, "/o/\(o)/incidents/\(id)/stix?tlp=purple").status == .badRequest)
        }
    }
}

/// TLP 2.0 marking definition ids (standards-facts §9.2), written out so the test does not trust the code under test.
enum TLPMarkingIDs {
    static let green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    static let amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
    static let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
}
