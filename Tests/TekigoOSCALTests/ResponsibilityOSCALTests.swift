import Foundation
import Testing
import TekigoCore
@testable import TekigoOSCAL
import TekigoTestSupport

private let generatedAt = Date(timeIntervalSince1970: 1_795_858_200)  // 2026-11-28T09:30:00Z

private let services = [
    OSCALLeveragedService(reference: "fedramp:FR1704369518", name: "Example Cloud\n(Example Corp)", dateAuthorized: "2024-05-01",
                          evidenceReference: "FedRAMP package FR1704369518, CRM v3 (2026-03)",
                          requirements: [.init(id: "3.1.1", shared: true, objectives: ["3.1.1[a]", "3.1.1[b]"]),
                                         .init(id: "3.10.1", shared: false, objectives: ["3.10.1[a]"])]),
    OSCALLeveragedService(reference: "ismap:C23-0001-2", name: "国内クラウド", dateAuthorized: "2025-10-01",
                          evidenceReference: "", requirements: [.init(id: "3.10.1", shared: false, objectives: [])]),
]

/// Issue 15 item 4: a provider's OSCAL files read as a responsibility matrix.
@Suite("Responsibility matrix: OSCAL")
struct ResponsibilityOSCALTests {
    func json(_ s: String) -> Data { Data(s.utf8) }

    @Test("Issue 15 item 4: an SSP's by-components — inherited/provided the provider's, satisfied/responsibilities the customer's, both shared; leveraged authorizations kept")
    func ssp() throws {
        let m = try OSCALResponsibilityReader.read(json("""
        {"system-security-plan": {"uuid": "x", "system-implementation": {
           "leveraged-authorizations": [{"uuid": "l", "title": "IaaS", "party-uuid": "p", "date-authorized": "2018-01-01"}]},
         "control-implementation": {"implemented-requirements": [
           {"uuid": "1", "control-id": "ac-2", "statements": [{"statement-id": "ac-2_smt.a", "by-components": [
              {"component-uuid": "c", "uuid": "b1", "description": "x", "inherited": [{"uuid": "i", "provided-uuid": "q", "description": "IaaS accounts"}]}]}]},
           {"uuid": "2", "control-id": "ac-3", "by-components": [
              {"component-uuid": "c", "uuid": "b2", "description": "x", "inherited": [{"uuid": "i", "provided-uuid": "q", "description": "a"}],
               "satisfied": [{"uuid": "s", "responsibility-uuid": "r", "description": "b"}]}]},
           {"uuid": "3", "control-id": "sc-13", "by-components": [
              {"component-uuid": "c", "uuid": "b3", "description": "x", "export": {"responsibilities": [{"uuid": "r", "provided-uuid": "q", "description": "keys"}]}}]},
           {"uuid": "4", "control-id": "sc-7.4", "by-components": [
              {"component-uuid": "c", "uuid": "b4", "description": "x", "export": {"provided": [{"uuid": "p", "description": "edge"}]}}]},
           {"uuid": "5", "control-id": "pe-3", "by-components": [{"component-uuid": "c", "uuid": "b5", "description": "own implementation"}]},
           {"uuid": "6", "control-id": "zz-1", "by-components": []}]}}}
        """))
        #expect(m.format == .oscalSSP)
        #expect(m.byControl == ["AC-2": .provider, "AC-3": .shared, "SC-13": .customer, "SC-7(4)": .provider])
        #expect(m.entries.first { $0.control == "AC-2" }?.text == "IaaS accounts")
        #expect(m.leveragedAuthorizations == [LeveragedAuthorizationInfo(title: "IaaS", dateAuthorized: "2018-01-01", partyUUID: "p")])
        #expect(m.warnings.count == 1 && m.warnings[0].location.contains("zz-1"))
    }

    @Test("Issue 15 item 4: a component definition's implemented requirements are the provider's unless a control-origination prop says otherwise")
    func componentDefinition() throws {
        let m = try OSCALResponsibilityReader.read(json("""
        {"component-definition": {"uuid": "x", "components": [{"uuid": "c", "type": "service", "title": "Object storage",
          "control-implementations": [{"uuid": "ci", "source": "#x", "description": "d", "implemented-requirements": [
            {"uuid": "1", "control-id": "sc-8", "description": "TLS everywhere"},
            {"uuid": "2", "control-id": "sc-8.1", "description": "d"},
            {"uuid": "3", "control-id": "ac-2", "description": "d", "props": [{"name": "control-origination", "value": "customer-configured"}]},
            {"uuid": "4", "control-id": "ac-3", "description": "d", "props": [{"name": "control-origination", "value": "shared"}]}]}]}]}}
        """))
        #expect(m.format == .oscalComponentDefinition)
        #expect(m.byControl == ["SC-8": .provider, "SC-8(1)": .provider, "AC-2": .customer, "AC-3": .shared])
        #expect(m.entries[0].text == "Object storage: TLS everywhere")
    }

    @Test("Issue 15 item 4 (bad input): JSON of another shape, or not JSON, is a clear error")
    func otherShapes() {
        #expect(throws: ResponsibilityMatrixError.notOSCAL("top-level keys: catalog")) {
            try OSCALResponsibilityReader.read(self.json(#"{"catalog": {}}"#))
        }
        #expect(throws: ResponsibilityMatrixError.notOSCAL("not JSON")) { try OSCALResponsibilityReader.read(self.json("Control ID,Responsibility")) }
        #expect(throws: ResponsibilityMatrixError.notOSCAL("not a JSON object")) { try OSCALResponsibilityReader.read(self.json("[1]")) }
        #expect(throws: ResponsibilityMatrixError.badOSCAL("system-security-plan.control-implementation.implemented-requirements[0].control-id is missing")) {
            try OSCALResponsibilityReader.read(self.json(#"{"system-security-plan": {"control-implementation": {"implemented-requirements": [{"uuid": "1"}]}}}"#))
        }
        #expect(throws: ResponsibilityMatrixError.noControls) {
            try OSCALResponsibilityReader.read(self.json(#"{"component-definition": {"components": []}}"#))
        }
    }

    @Test("Issue 15 item 4: NIST's leveraging and leveraged SSP examples and component definition are read",
          .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
    func nistExamples() throws {
        let leveraging = try OSCALResponsibilityReader.read(Data(contentsOf: try TestEnvironment.sharedData("oscal/examples/ssp/oscal_leveraging-example_ssp.json")))
        #expect(leveraging.byControl == ["AC-2": .shared])
        #expect(leveraging.leveragedAuthorizations.map(\.title) == ["CSP IaaS [Leveraged System]"])
        let leveraged = try OSCALResponsibilityReader.read(Data(contentsOf: try TestEnvironment.sharedData("oscal/examples/ssp/oscal_leveraged-example_ssp.json")))
        #expect(leveraged.byControl["AC-2"] == .shared)
        let cd = try OSCALResponsibilityReader.read(Data(contentsOf: try TestEnvironment.sharedData("oscal/examples/component-definition/example-component-definition.json")))
        #expect(cd.byControl["SC-8"] == .provider)
    }

    @Test("Issue 15 item 4: the SSP export lists each leveraged authorization with its party and component, and the inherited parts per requirement")
    func sspExport() throws {
        let data = try OSCALExporter.export(.ssp, report: try SampleAssessment.report(), generatedAt: generatedAt, leveraged: services)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let ssp = try #require(root["system-security-plan"] as? [String: Any])
        let impl = try #require(ssp["system-implementation"] as? [String: Any])
        let auths = try #require(impl["leveraged-authorizations"] as? [[String: Any]])
        #expect(auths.map { $0["title"] as? String } == ["Example Cloud (Example Corp)", "国内クラウド"])  // by reference
        #expect(auths.map { $0["date-authorized"] as? String } == ["2024-05-01", "2025-10-01"])
        let parties = try #require((ssp["metadata"] as? [String: Any])?["parties"] as? [[String: Any]])
        for a in auths { #expect(parties.contains { $0["uuid"] as? String == a["party-uuid"] as? String }) }
        let components = try #require(impl["components"] as? [[String: Any]])
        let reqs = try #require((ssp["control-implementation"] as? [String: Any])?["implemented-requirements"] as? [[String: Any]])
        let r3101 = try #require(reqs.first { $0["control-id"] as? String == "r2-3.10.1" })
        let bcs = try #require(r3101["by-components"] as? [[String: Any]])
        #expect(bcs.count == 3)  // this system, and one per service
        let inherited = bcs.compactMap { $0["inherited"] as? [[String: Any]] }
        #expect(inherited.count == 2)
        for bc in bcs.dropFirst() { #expect(components.contains { $0["uuid"] as? String == bc["component-uuid"] as? String }) }
        // Without services nothing changes: no leveraged-authorizations key at all.
        let plain = try OSCALExporter.export(.ssp, report: try SampleAssessment.report(), generatedAt: generatedAt)
        #expect(!String(decoding: plain, as: UTF8.self).contains("leveraged-authorizations"))
        // Deterministic.
        #expect(try OSCALExporter.export(.ssp, report: try SampleAssessment.report(), generatedAt: generatedAt, leveraged: services) == data)
    }
}

/// The SSP with leveraged authorizations checked by NIST's OSCAL 1.1.3 schema and imported by compliance-trestle.
@Suite("Responsibility matrix: SSP export validators", .enabled(if: TestEnvironment.runValidatorTests,
                                                                "needs .venv-validators (scripts/validators.sh) and ../shared/data"))
struct ResponsibilitySSPValidatorTests {
    @Test("Issue 15 item 4: the SSP export with leveraged authorizations validates against the OSCAL 1.1.3 SSP schema and trestle imports it")
    func validators() throws {
        let dir = try TestEnvironment.temporaryDirectory("leveraged-ssp")
        let ws = try TestEnvironment.temporaryDirectory("leveraged-ssp-trestle")
        defer {
            try? FileManager.default.removeItem(at: dir)
            try? FileManager.default.removeItem(at: ws)
        }
        let file = dir.appendingPathComponent("ssp.json")
        try OSCALExporter.export(.ssp, report: try SampleAssessment.report(), generatedAt: generatedAt,
                                 importProfileHref: "trestle://catalogs/sp800-171r2/catalog.json", leveraged: services).write(to: file)
        let schema = try TestEnvironment.sharedData("oscal/schemas/v1.1.3/oscal_ssp_schema.json")
        let check = try runProcess(try TestEnvironment.validator("check-jsonschema"), ["--schemafile", schema.path, file.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let trestle = try TestEnvironment.validator("trestle")
        #expect(try runProcess(trestle, ["init"], currentDirectory: ws).status == 0)
        let catalog = try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json")
        let cat = try runProcess(trestle, ["import", "-f", catalog.path, "-o", "sp800-171r2"], currentDirectory: ws)
        #expect(cat.status == 0, "\(cat.stdout)\(cat.stderr)")
        let imp = try runProcess(trestle, ["import", "-f", file.path, "-o", "tekigo-leveraged"], currentDirectory: ws)
        #expect(imp.status == 0, "\(imp.stdout)\(imp.stderr)")
    }
}
