import Foundation
import Testing
import TekigoCore
import TekigoTestSupport

/// The FedRAMP Marketplace reader (issue 15 item 1; standards-facts §9.3): GSA's data.json `data.Products[]`, the
/// direction of `leveraged_systems` (products built on this one), 20x impact levels never ranked by their number, a
/// drifting schema read with warnings, and bad files refused whole.
@Suite("FedRAMP Marketplace reader (standards-facts §9.3)")
struct FedRAMPMarketplaceReaderTests {
    static func file(_ name: String) throws -> Data {
        try Data(contentsOf: try TestEnvironment.sharedData("fedramp/\(name)"))
    }

    static func json(_ products: [[String: Any]], meta: [String: Any] = ["last_change": "2026-04-28T02:40:42.651Z"]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["meta": meta, "data": ["Products": products]])
    }

    static func product(_ id: String, status: String = "FedRAMP Authorized", impact: String = "Moderate",
                        leveraged: [String] = []) -> [String: Any] {
        ["id": id, "csp": "CSP \(id)", "cso": "Offering \(id)", "status": status, "impact_level": impact, "impact_level_number": "5",
         "auth_type": "Agency", "auth_date": "2024-01-02T20:00:00.000Z", "annual_assessment": "03/25",
         "independent_assessor": "Assessor", "service_model": ["SaaS"], "agency_authorizations": ["A", "B"],
         "leveraged_systems": leveraged.map { ["id": $0, "csp": "x", "cso": "y", "status": "FedRAMP Authorized", "impact_level": "High"] }]
    }

    @Test("The slice reads: every product with package id, CSP, offering, status and impact level, the file date, no warnings",
          .enabled(if: TestEnvironment.runSharedDataTests))
    func slice() throws {
        let f = try FedRAMPMarketplaceReader.read(try Self.file("marketplace-slice-2026-04-28.json"))
        #expect(f.products.count == 28)
        #expect(f.fileDate == "2026-04-28")
        for p in f.products {
            #expect(!p.packageID.isEmpty && !p.csp.isEmpty && !p.cso.isEmpty && !p.status.isEmpty && !p.impactLevel.isEmpty)
        }
        #expect(f.warnings.allSatisfy { $0.kind == .selfLink || $0.kind == .unknownLink }, "\(f.warnings.prefix(5))")
    }

    @Test("The full 2026-04-28 file: 642 products, their leveraged-system links in the measured direction (Google lists Acquia Cloud F1302201919 among the 100+ built on it), seven self-links left out with a warning",
          .enabled(if: TestEnvironment.runSharedDataTests))
    func fullFile() throws {
        let f = try FedRAMPMarketplaceReader.read(try Self.file("marketplace-data-2026-04-28.json"))
        #expect(f.products.count == 642)
        #expect(Set(f.products.map(\.packageID)).count == 642)
        #expect(f.links.count == 1750)
        #expect(f.warnings.count == 7 && f.warnings.allSatisfy { $0.kind == .selfLink })
        let byID = Dictionary(uniqueKeysWithValues: f.products.map { ($0.packageID, $0) })
        let google = f.products.filter { $0.csp.hasPrefix("Google") }.max { $0.builtOnThis.count < $1.builtOnThis.count }
        #expect((google?.builtOnThis.count ?? 0) >= 100)
        #expect(google?.builtOnThis.contains("F1302201919") == true)
        #expect(byID["F1302201919"]?.builtOnThis.count == 2)
        let levels = Set(f.products.map(\.impactLevel))
        #expect(levels == Set(FedRAMPImpactLevel.allCases.map(\.rawValue)))
        #expect(f.products.contains { $0.independentAssessor != nil && $0.annualAssessment != nil && $0.authDate != nil })
    }

    @Test("20x Low is below the Moderate baseline and 20x Moderate meets it, though the file gives both impact_level_number 6 like High")
    func twentyX() throws {
        let f = try FedRAMPMarketplaceReader.read(try Self.json([Self.product("FR1", impact: "20x Low"), Self.product("FR2", impact: "20x Moderate"),
                                                                 Self.product("FR3", impact: "LI-SaaS"), Self.product("FR4", impact: "High")]))
        let p = Dictionary(uniqueKeysWithValues: f.products.map { ($0.packageID, $0) })
        #expect(p["FR1"]?.isAuthorizedModerateOrAbove == false)
        #expect(p["FR2"]?.isAuthorizedModerateOrAbove == true)
        #expect(p["FR3"]?.isAuthorizedModerateOrAbove == false)
        #expect(p["FR4"]?.isAuthorizedModerateOrAbove == true)
        #expect(f.warnings.isEmpty)
    }

    @Test("An older shape (fields renamed or missing, a status Tekigo does not know) reads with a warning naming each field and product, never a crash")
    func olderShape() throws {
        var old = Self.product("FR9")
        old["service_models"] = old.removeValue(forKey: "service_model")
        old.removeValue(forKey: "independent_assessor")
        old.removeValue(forKey: "leveraged_systems")
        old["annual_assessment"] = 7
        old["status"] = "Compliant"
        old.removeValue(forKey: "agency_authorizations")
        old["authorization"] = "3"
        let f = try FedRAMPMarketplaceReader.read(try Self.json([old, ["csp": "no id"]], meta: [:]))
        #expect(f.products.count == 1)
        let p = try #require(f.products.first)
        #expect(p.independentAssessor == nil && p.serviceModels.isEmpty && p.annualAssessment == nil && p.status == "Compliant")
        #expect(p.agencyAuthorizations == 3)
        let said = Set(f.warnings.map { "\($0.kind.rawValue) \($0.product) \($0.field)" })
        #expect(said.contains("unknown-field FR9 service_models"))
        #expect(said.contains("missing-field FR9 service_model"))
        #expect(said.contains("missing-field FR9 independent_assessor"))
        #expect(said.contains("missing-field FR9 leveraged_systems"))
        #expect(said.contains("wrong-type FR9 annual_assessment"))
        #expect(said.contains("unknown-value FR9 status"))
        #expect(said.contains("product-skipped #2 id"))
        #expect(f.fileDate == nil)
        #expect(f.warnings.allSatisfy { $0.message.ja.contains($0.product) && $0.message.en.contains($0.field) })
    }

    @Test("A truncated file, a file of another shape, no products and duplicate package ids are refused whole, saying what (bad input)",
          .enabled(if: TestEnvironment.runSharedDataTests))
    func badFiles() throws {
        let full = try Self.file("marketplace-slice-2026-04-28.json")
        #expect {
            try FedRAMPMarketplaceReader.read(full.prefix(full.count / 2))
        } throws: { error in
            if case .notJSON = error as? FedRAMPReadError { return true }
            return false
        }
        #expect(throws: FedRAMPReadError.wrongShape(path: "data")) {
            try FedRAMPMarketplaceReader.read(Data(#"{"meta": {}, "products": []}"#.utf8))
        }
        #expect(throws: FedRAMPReadError.wrongShape(path: "data.Products")) {
            try FedRAMPMarketplaceReader.read(Data(#"{"data": {"Products": {"id": "x"}}}"#.utf8))
        }
        #expect(throws: FedRAMPReadError.wrongShape(path: "(top level object)")) { try FedRAMPMarketplaceReader.read(Data("[1,2]".utf8)) }
        #expect(throws: FedRAMPReadError.noProducts) { try FedRAMPMarketplaceReader.read(try Self.json([])) }
        let dup = FedRAMPReadError.duplicatePackageIDs(["FR1", "FR3"])
        #expect(throws: dup) {
            try FedRAMPMarketplaceReader.read(try Self.json([Self.product("FR1"), Self.product("FR3"), Self.product("FR1"), Self.product("FR2"),
                                                             Self.product("FR3")]))
        }
        #expect(dup.message.en.contains("FR1, FR3") && dup.message.ja.contains("FR1, FR3"))
    }

    @Test("A re-import's differences: status, impact level, assessor and annual assessment per field; a product appearing or removed is 'listed'")
    func differences() {
        let a = FedRAMPProduct(packageID: "FR1", csp: "c", cso: "o", status: "FedRAMP Authorized", impactLevel: "Moderate",
                               annualAssessment: "03/25", independentAssessor: "A")
        var b = a
        b.status = "FedRAMP In Process"
        b.csp = "renamed"
        let d = CloudProductField.differences(old: a, new: b)
        #expect(d.count == 1 && d[0].field == .status && d[0].old == "FedRAMP Authorized" && d[0].new == "FedRAMP In Process")
        b.impactLevel = "20x Low"; b.independentAssessor = nil; b.annualAssessment = "03/26"
        #expect(CloudProductField.differences(old: a, new: b).map(\.field) == [.status, .impactLevel, .assessor, .annualAssessment])
        #expect(CloudProductField.differences(old: nil, new: a).map(\.field) == [.listed])
        #expect(CloudProductField.differences(old: a, new: nil).first?.new == nil)
        #expect(CloudProductField.differences(old: a, new: a).isEmpty)
    }

    @Test("Search text folds case and full-width forms, keeps Japanese as typed")
    func searchFolding() {
        #expect(FedRAMPSearchText.fold("ＭＩＣＲＯＳＯＦＴ Azure") == "microsoft azure")
        #expect(FedRAMPSearchText.terms("  Microsoft　３６５ ") == ["microsoft", "365"])
        #expect(FedRAMPSearchText.fold("ｸﾗｳﾄﾞ基盤") == "クラウド基盤")
    }
}

/// ISMAP and ISMAP-LIU records entered by hand (issue 15 item 2; standards-facts §9.3 "ISMAP list", §5.2).
@Suite("ISMAP records: validity one year four months from the day after the audit period (standards-facts §9.3)")
struct ISMAPRecordTests {
    static func day(_ s: String) -> Day { Day(s)! }

    static func record(start: String = "2024-04-01", end: String = "2025-03-31") -> ISMAPRecord {
        ISMAPRecord(registrationNumber: " C23-0001-2 ", kind: .ismap, serviceName: " サンプルクラウド ", provider: "サンプル株式会社",
                    scope: "IaaS 東京リージョン", controlObjectives: "ISMAP 管理基準の統制目標", auditPeriodStart: day(start), auditPeriodEnd: day(end))
    }

    @Test("Valid from the day after the audit period ends, for one year and four months (ISMAP portal; standards-facts §9.3)")
    func validity() {
        let v = ISMAPValidity.period(auditPeriodEnd: Self.day("2025-03-31"))
        #expect(v.validFrom == Self.day("2025-04-01"))
        #expect(v.validThrough == Self.day("2026-07-31"))
        #expect(v.isValid(on: Self.day("2026-07-31")) && !v.isValid(on: Self.day("2026-08-01")) && !v.isValid(on: Self.day("2025-03-31")))
        // Year end and a month end that the sixteenth month lacks.
        #expect(ISMAPValidity.period(auditPeriodEnd: Self.day("2024-12-31")).validThrough == Self.day("2026-04-30"))
        #expect(ISMAPValidity.period(auditPeriodEnd: Self.day("2023-10-30")).validThrough == Self.day("2025-02-28"))
        #expect(ISMAPValidity.period(auditPeriodEnd: Self.day("2022-10-30")).validThrough == Self.day("2024-02-29"))
    }

    @Test("What a person enters is trimmed; an audit period ending before it starts is refused naming auditPeriodEnd (bad input)")
    func validation() throws {
        let r = try Self.record().validated()
        #expect(r.registrationNumber == "C23-0001-2" && r.serviceName == "サンプルクラウド")
        #expect(r.ref.description == "ismap:C23-0001-2")
        #expect(throws: ISMAPRecordError.auditPeriodEndsBeforeStart(start: Self.day("2025-04-01"), end: Self.day("2025-03-31"))) {
            try Self.record(start: "2025-04-01", end: "2025-03-31").validated()
        }
        let e = ISMAPRecordError.auditPeriodEndsBeforeStart(start: Self.day("2025-04-01"), end: Self.day("2025-03-31"))
        #expect(e.field == "auditPeriodEnd" && e.message.ja.contains("auditPeriodEnd") && e.message.en.contains("2025-03-31"))
        var blank = Self.record()
        blank.provider = "  "
        #expect(throws: ISMAPRecordError.missing(field: "provider")) { try blank.validated() }
        var spaced = Self.record()
        spaced.registrationNumber = "C23 0001"
        #expect(throws: ISMAPRecordError.invalidRegistrationNumber("C23 0001")) { try spaced.validated() }
    }
}
