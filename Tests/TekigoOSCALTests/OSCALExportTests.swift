import Foundation
import Testing
import TekigoCore
@testable import TekigoOSCAL
import TekigoTestSupport

/// A fixed export time, so exports can be compared byte for byte.
private let generatedAt = Date(timeIntervalSince1970: 1_795_858_200)  // 2026-11-28T09:30:00Z

private func export(_ d: ExportDocument, _ report: AssessmentReport, at date: Date = generatedAt,
                    importProfileHref: String? = nil) throws -> Data {
    try OSCALExporter.export(d, report: report, generatedAt: date, importProfileHref: importProfileHref)
}

/// Every value of a key named `uuid` anywhere in a JSON document.
private func uuidValues(_ data: Data) throws -> [String] {
    var out: [String] = []
    func walk(_ v: Any) {
        if let d = v as? [String: Any] {
            for (k, x) in d {
                if k == "uuid", let s = x as? String { out.append(s) }
                walk(x)
            }
        } else if let a = v as? [Any] {
            a.forEach(walk)
        }
    }
    walk(try JSONSerialization.jsonObject(with: data))
    return out
}

/// Lower-case version 4 UUID.
private func isUUIDv4(_ s: String) -> Bool {
    s.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil
}

/// A small rev3 assessment: one requirement fully met, one with an unmet objective, the rest unanswered.
private func rev3Report() throws -> AssessmentReport {
    let library = try BuiltInLibrary.shared
    let catalog = try library.catalog(.sp800171r3)
    var findings: [String: Finding] = [:]
    let first = catalog.entries[0], second = catalog.entries[1]
    for o in first.objectives { findings[o] = Finding(status: .met, rationale: "Checked.") }
    for o in second.objectives { findings[o] = Finding(status: .met) }
    findings[second.objectives[0]] = Finding(status: .notMet, rationale: "Not yet in place.")
    let a = Assessment(organization: Organization(name: "Example KK"), system: SystemProfile(name: "Design LAN"),
                       catalog: .sp800171r3, date: Day("2026-12-01")!, findings: findings,
                       poam: [POAMItem(requirement: second.id, weakness: "Close the gap.", scheduledCompletion: Day("2027-03-01"))])
    return try AssessmentReport(a, library: library)
}

/// Input at the edges: blank names and codes, multi-line text, duplicate names, non-ASCII paths, a POA&M item for
/// an id the catalog does not have. Every export must still be valid OSCAL.
private func messyReport() throws -> AssessmentReport {
    var a = try SampleAssessment.make(complete: false)
    a.organization = Organization(name: "  ", cageCodes: ["", " 8ABC3 "], uei: "", corporateNumber: nil)
    a.system = SystemProfile(name: "Plant\nnetwork ", boundary: " ", environment: "", informationTypes: ["", "図面", "図面"],
                             components: [SystemComponent(name: "PC", type: ""), SystemComponent(name: "PC", type: "Laptop"),
                                          SystemComponent(name: "", type: "cloud", description: "\n")],
                             userCount: 0)
    a.assessor = " "
    a.findings["3.1.8[b]"] = Finding(status: .notMet, rationale: "  ",
                                     evidence: [EvidenceRef(location: "証跡/ログ 2026 (1).txt"), EvidenceRef(location: " ")],
                                     assessedBy: "  ")
    a.answers["3.1.1"] = RequirementAnswer(implementation: "Line one.\n\nLine two.")
    a.poam += [
        POAMItem(requirement: "9.9.9", weakness: "", milestones: [Milestone(description: "\n", due: Day("2027-05-01")!)],
                 owner: " ", resources: "a\nb", status: .completed, completedOn: Day("2027-01-01")),
        POAMItem(requirement: "3.1.8", weakness: "Second item for the same requirement.", status: .open),
    ]
    return try AssessmentReport(a, library: try BuiltInLibrary.shared)
}

@Suite("OSCAL export")
struct OSCALExportTests {
    @Test("SSP: every requirement implemented, statuses mapped to OSCAL's implementation states")
    func ssp() throws {
        let report = try SampleAssessment.report()
        let doc = try JSONDecoder().decode(OSCALSSPDocument.self, from: try export(.ssp, report)).systemSecurityPlan
        #expect(doc.metadata.oscalVersion == "1.1.3")
        #expect(doc.metadata.lastModified == "2026-11-28T09:30:00Z")
        #expect(doc.metadata.title == "System Security Plan — 本社工場ネットワーク")
        let reqs = doc.controlImplementation.implementedRequirements
        #expect(reqs.count == 110)
        #expect(reqs.allSatisfy { $0.controlID.hasPrefix("r2-3.") })
        func req(_ id: String) throws -> OSCALImplementedRequirement {
            try #require(reqs.first { $0.controlID == "r2-" + id })
        }
        func state(_ id: String) throws -> String? { try req(id).byComponents?.first?.implementationStatus?.state }
        // One objective of 3.1.8 is not met, the others are: partially implemented.
        #expect(try state("3.1.8") == "partial")
        // Encryption that is not FIPS-validated: the methodology's partial case.
        #expect(try state("3.13.11") == "partial")
        #expect(try state("3.1.1") == "implemented")
        // Not permitted: scored as implemented, and OSCAL says not applicable, with the reason.
        #expect(try state("3.1.12") == "not-applicable")
        #expect(try req("3.1.12").byComponents?.first?.implementationStatus?.remarks?.contains("not permitted") == true)
        #expect(try req("3.1.8").props?.contains { $0.name == "implementation-status" && $0.value == "partial" } == true)
        #expect(try req("3.1.8").props?.contains { $0.name == "requirement-status" && $0.value == "not-met" } == true)
        // The assessment's statement is used as written; others are generated.
        #expect(try req("3.1.1").byComponents?.first?.description
                == "Accounts are created by the IT lead on request of the plant manager.")
        #expect(try req("3.1.8").byComponents?.first?.description.contains("3.1.8[b]") == true)

        let org = try #require(doc.metadata.parties?.first { $0.type == "organization" })
        #expect(org.props?.filter { $0.name == "cage-code" }.map(\.value) == ["8ABC1", "8ABC2"])
        #expect(org.props?.first { $0.name == "corporate-number" }?.value == "1234567890123")
        #expect(org.props?.allSatisfy { $0.ns == "https://tekigo.dev/ns/oscal" } == true)
        let components = doc.systemImplementation.components
        #expect(components.map(\.type) == ["this-system", "hardware", "hardware"])
        #expect(reqs.allSatisfy { $0.byComponents?.first?.componentUUID == components[0].uuid })
        #expect(doc.systemCharacteristics.systemInformation.informationTypes.map(\.title)
                == ["保護すべき情報（図面）", "CUI//SP-CTI"])
        #expect(doc.systemCharacteristics.props?.first { $0.name == "user-count" }?.value == "24")
        // import-profile points at the back-matter resource naming the catalog.
        let resource = try #require(doc.backMatter?.resources?.first)
        #expect(doc.importProfile.href == "#" + resource.uuid)
    }

    @Test("POA&M: one poam-item and one risk per report item, milestones as remediation tasks")
    func poam() throws {
        let report = try SampleAssessment.report()
        let doc = try JSONDecoder().decode(OSCALPOAMDocument.self, from: try export(.poam, report)).planOfActionAndMilestones
        #expect(doc.poamItems.count == report.poam.count)
        #expect(doc.risks?.count == report.poam.count)
        let risks = Dictionary(uniqueKeysWithValues: (doc.risks ?? []).map { ($0.uuid, $0) })
        let observations = Set((doc.observations ?? []).map(\.uuid))
        for item in doc.poamItems {
            let riskUUID = try #require(item.relatedRisks?.first?.riskUUID)
            #expect(risks[riskUUID] != nil)
            for o in item.relatedObservations ?? [] { #expect(observations.contains(o.observationUUID)) }
        }
        let item = try #require(doc.poamItems.first { $0.props?.contains { $0.name == "requirement" && $0.value == "3.1.8" } == true })
        #expect(item.description == "Unsuccessful logon attempts are not limited on CNC workstations.")
        #expect(item.props?.first { $0.name == "scheduled-completion" }?.value == "2027-02-01")
        #expect(item.relatedObservations?.count == 1)
        let risk = try #require(risks[item.relatedRisks![0].riskUUID])
        #expect(risk.status == "remediating")
        #expect(risk.deadline == "2027-02-01T00:00:00Z")
        let tasks = risk.remediations?.first?.tasks ?? []
        #expect(tasks.map(\.title) == ["Configure lockout GPO", "Verify on all workstations"])
        #expect(tasks.map { $0.timing?.onDate?.date } == ["2027-01-15T00:00:00Z", "2027-02-01T00:00:00Z"])
        #expect(tasks.first?.props?.first?.value == "completed")
        // Observations are the objectives that are not met.
        let notMet = report.requirements.flatMap(\.objectives).filter { $0.finding?.status == .notMet }.count
        #expect(doc.observations?.count == notMet)
        #expect(doc.systemID.map { isUUIDv4($0.id) } == true)
    }

    @Test("Assessment results: a finding per assessed requirement, observations with evidence")
    func results() throws {
        let report = try SampleAssessment.report()
        let doc = try JSONDecoder().decode(OSCALAssessmentResultsDocument.self, from: try export(.results, report))
            .assessmentResults
        let apResource = try #require(doc.backMatter?.resources?.first)
        #expect(doc.importAP.href == "#" + apResource.uuid)
        let result = try #require(doc.results.first)
        #expect(result.start == "2026-11-27T00:00:00Z")
        #expect(result.reviewedControls.controlSelections.first?.includeControls?.count == 110)
        let findings = result.findings ?? []
        #expect(findings.count == 110)
        func finding(_ id: String) throws -> OSCALFinding {
            try #require(findings.first { $0.target.targetID == "r2-\(id)_obj" })
        }
        #expect(try finding("3.1.8").target.status.state == "not-satisfied")
        #expect(try finding("3.13.11").target.status.state == "not-satisfied")
        #expect(try finding("3.13.11").target.implementationStatus?.state == "partial")
        #expect(try finding("3.1.1").target.status.state == "satisfied")
        #expect(try finding("3.1.1").target.type == "objective-id")
        #expect(try finding("3.1.8").props?.first { $0.name == "sprs-deduction" }?.value == "1")
        #expect(result.props?.first { $0.name == "sprs-score" }?.value == report.sprs?.score.map(String.init))

        let observations = result.observations ?? []
        #expect(observations.count == 320)
        let unmet = try #require(observations.first { $0.props?.contains { $0.name == "objective" && $0.value == "3.1.8[b]" } == true })
        #expect(unmet.methods == ["EXAMINE"])
        #expect(unmet.props?.first { $0.name == "objective-id" }?.value == "r2-3.1.8.b_obj")
        #expect(unmet.description == "Lockout is not enforced on the CNC workstations.")
        #expect(try finding("3.1.8").relatedObservations?.contains { $0.observationUUID == unmet.uuid } == true)
        let met = try #require(observations.first { $0.props?.contains { $0.name == "objective" && $0.value == "3.1.1[a]" } == true })
        let evidence = try #require(met.relevantEvidence?.first)
        #expect(evidence.href == "evidence/policy.pdf")
        #expect(evidence.description.contains(String(repeating: "ab", count: 32)))
        #expect(met.collected == "2026-11-25T00:00:00Z")
        #expect(met.origins?.first?.actors.first?.actorUUID
                == doc.metadata.parties?.first { $0.name == "山田 花子" }?.uuid)
    }

    @Test("Not-assessed requirements get no finding and are named in the result's remarks")
    func incomplete() throws {
        let report = try SampleAssessment.report(complete: false)
        let result = try JSONDecoder().decode(OSCALAssessmentResultsDocument.self, from: try export(.results, report))
            .assessmentResults.results[0]
        #expect(result.findings?.count == 109)
        #expect(result.remarks?.contains("3.14.7") == true)
        let ssp = try JSONDecoder().decode(OSCALSSPDocument.self, from: try export(.ssp, report)).systemSecurityPlan
        let r = try #require(ssp.controlImplementation.implementedRequirements.first { $0.controlID == "r2-3.14.7" })
        #expect(r.byComponents?.first?.implementationStatus == nil)
    }

    @Test("Output is deterministic, UUIDs are valid v4 and unique within a document",
          arguments: [ExportDocument.ssp, .poam, .results])
    func deterministic(_ d: ExportDocument) throws {
        let report = try SampleAssessment.report()
        let first = try export(d, report)
        #expect(first == (try export(d, report)))
        #expect(first == (try export(d, try SampleAssessment.report())))
        let uuids = try uuidValues(first)
        #expect(!uuids.isEmpty)
        #expect(uuids.allSatisfy(isUUIDv4))
        #expect(Set(uuids).count == uuids.count)
        // A later export is a new revision (document uuid, last-modified) with the same inner uuids.
        let later = try export(d, report, at: generatedAt.addingTimeInterval(3600))
        let laterUUIDs = try uuidValues(later)
        #expect(Set(uuids).subtracting(laterUUIDs).count == 1)
        let text = String(decoding: first, as: UTF8.self)
        #expect(!text.contains("\\/"))
        #expect(text.hasSuffix("}\n"))
    }

    @Test("A later assessment of the same system keeps the system's UUIDs; its findings get new ones")
    func reassessment() throws {
        var a = try SampleAssessment.make()
        a.date = Day("2027-06-01")!
        let before = try SampleAssessment.report(), after = try AssessmentReport(a, library: try BuiltInLibrary.shared)
        func ssp(_ r: AssessmentReport) throws -> OSCALSystemSecurityPlan {
            try JSONDecoder().decode(OSCALSSPDocument.self, from: try export(.ssp, r)).systemSecurityPlan
        }
        func result(_ r: AssessmentReport) throws -> OSCALResult {
            try JSONDecoder().decode(OSCALAssessmentResultsDocument.self, from: try export(.results, r)).assessmentResults.results[0]
        }
        func poamItems(_ r: AssessmentReport) throws -> [String?] {
            try JSONDecoder().decode(OSCALPOAMDocument.self, from: try export(.poam, r)).planOfActionAndMilestones.poamItems.map(\.uuid)
        }
        #expect(try ssp(before).systemCharacteristics.systemIDs == ssp(after).systemCharacteristics.systemIDs)
        #expect(try ssp(before).controlImplementation.implementedRequirements.map(\.uuid)
                == ssp(after).controlImplementation.implementedRequirements.map(\.uuid))
        #expect(try poamItems(before) == poamItems(after))
        let findingsBefore = Set(try result(before).findings?.map(\.uuid) ?? [])
        #expect(findingsBefore.isDisjoint(with: try result(after).findings?.map(\.uuid) ?? []))
        #expect(try result(before).uuid != result(after).uuid)
        // Another system never shares UUIDs with this one.
        let other = try OSCALExporter.export(.ssp, report: before, generatedAt: generatedAt, uuidSeed: "another system")
        #expect(Set(try uuidValues(other)).isDisjoint(with: try uuidValues(try export(.ssp, before))))
    }

    @Test("The SPRS summary has no OSCAL model: a typed error that names the formats to use")
    func sprs() throws {
        let report = try SampleAssessment.report()
        let error = #expect(throws: OSCALExportError.self) { try export(.sprs, report) }
        #expect(error == .noOSCALModel(.sprs))
        #expect(error?.description.contains("md, html, csv or xlsx") == true)
    }

    @Test("A POA&M with nothing to plan is refused: OSCAL needs at least one poam-item")
    func emptyPOAM() throws {
        var a = try SampleAssessment.make()
        for k in a.findings.keys where a.findings[k]?.status == .notMet { a.findings[k]?.status = .met }
        a.poam = []
        let report = try AssessmentReport(a, library: try BuiltInLibrary.shared)
        #expect(report.poam.isEmpty)
        #expect(throws: OSCALExportError.noPOAMItems(system: "本社工場ネットワーク")) { try export(.poam, report) }
        _ = try export(.ssp, report)
        _ = try export(.results, report)
    }

    @Test("rev3 uses NIST's control, objective and statement ids")
    func rev3() throws {
        let report = try rev3Report()
        let ssp = try JSONDecoder().decode(OSCALSSPDocument.self, from: try export(.ssp, report)).systemSecurityPlan
        #expect(ssp.controlImplementation.implementedRequirements.count == report.requirements.count)
        #expect(ssp.controlImplementation.implementedRequirements.first?.controlID == "SP_800_171_03.01.01")
        #expect(ssp.backMatter?.resources?.first?.rlinks?.first?.href.hasSuffix("NIST_SP800-171_rev3_catalog.json") == true)
        let result = try JSONDecoder().decode(OSCALAssessmentResultsDocument.self, from: try export(.results, report))
            .assessmentResults.results[0]
        #expect(result.findings?.count == 2)
        #expect(result.findings?.first?.target.type == "statement-id")
        #expect(result.findings?.first?.target.targetID == "statement_03.01.01")
        #expect(result.findings?[1].target.status.state == "not-satisfied")
        #expect(result.observations?.first?.props?.first { $0.name == "objective-id" }?.value
                == "assessment-objective_DS-" + report.catalog.entries[0].objectives[0])
        #expect(result.props?.contains { $0.name == "sprs-score" } == false)
    }

    @Test("Blank and multi-line input never becomes an empty or multi-line OSCAL string")
    func messy() throws {
        let report = try messyReport()
        let ssp = try JSONDecoder().decode(OSCALSSPDocument.self, from: try export(.ssp, report)).systemSecurityPlan
        #expect(ssp.systemCharacteristics.systemName == "Plant network")
        #expect(ssp.metadata.parties?.first?.name == "Unnamed organization")
        #expect(ssp.metadata.parties?.first?.props?.map(\.value) == ["8ABC3"])
        #expect(ssp.systemCharacteristics.systemInformation.informationTypes.map(\.title) == ["図面"])
        let components = ssp.systemImplementation.components
        #expect(Set(components.map(\.uuid)).count == 4)
        #expect(components.map(\.type) == ["this-system", "system", "hardware", "service"])
        let poam = try JSONDecoder().decode(OSCALPOAMDocument.self, from: try export(.poam, report)).planOfActionAndMilestones
        #expect(poam.poamItems.count == report.poam.count)
        let orphan = try #require(poam.poamItems.first { $0.title == "9.9.9" })
        #expect(orphan.description == "Requirement 9.9.9 is not met.")
        #expect(orphan.props?.first { $0.name == "resources" }?.value == "a b")
        let results = try JSONDecoder().decode(OSCALAssessmentResultsDocument.self, from: try export(.results, report))
        let o = try #require(results.assessmentResults.results[0].observations?.first {
            $0.props?.contains { $0.name == "objective" && $0.value == "3.1.8[b]" } == true
        })
        #expect(o.relevantEvidence?.first?.href == "%E8%A8%BC%E8%B7%A1/%E3%83%AD%E3%82%B0%202026%20(1).txt")
        #expect(o.relevantEvidence?.count == 2)
        #expect(o.relevantEvidence?[1].href == nil)
        #expect(o.description == "Assessment objective 3.1.8[b] was found not met.")
        #expect(o.origins == nil)
    }

    @Test("Name-based UUIDs: FNV-1a 128 test vectors, v4 shape, stable")
    func nameBasedUUIDs() {
        func hex(_ h: (hi: UInt64, lo: UInt64)) -> String {
            let s = String(h.hi, radix: 16) + String(repeating: "0", count: 16 - String(h.lo, radix: 16).count)
                + String(h.lo, radix: 16)
            return String(repeating: "0", count: 32 - s.count) + s
        }
        #expect(hex(NameBasedUUID.fnv1a128("".utf8)) == "6c62272e07bb014262b821756295c58d")
        #expect(hex(NameBasedUUID.fnv1a128("a".utf8)) == "d228cb696f1a8caf78912b704e4a8964")
        #expect(hex(NameBasedUUID.fnv1a128("foobar".utf8)) == "343e1662793c64bf6f0d3597ba446f18")
        let u = NameBasedUUID.make("tekigo:x:observation:3.1.1[a]")
        #expect(isUUIDv4(u))
        #expect(u == NameBasedUUID.make("tekigo:x:observation:3.1.1[a]"))
        #expect(u != NameBasedUUID.make("tekigo:x:observation:3.1.1[b]"))
    }
}

/// The exported documents checked by NIST's OSCAL 1.1.3 JSON schemas and imported by compliance-trestle.
@Suite("OSCAL export: official validators", .enabled(if: TestEnvironment.runValidatorTests,
                                                      "needs .venv-validators (scripts/validators.sh) and ../shared/data"))
struct OSCALExportValidatorTests {
    static let schemas: [ExportDocument: String] = [
        .ssp: "oscal_ssp_schema.json", .poam: "oscal_poam_schema.json", .results: "oscal_assessment-results_schema.json",
    ]

    func write(_ data: Data, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    func checkSchema(_ file: URL, _ d: ExportDocument) throws {
        let schema = try TestEnvironment.sharedData("oscal/schemas/v1.1.3/" + Self.schemas[d]!)
        let check = try runProcess(try TestEnvironment.validator("check-jsonschema"), ["--schemafile", schema.path, file.path])
        #expect(check.status == 0, "\(file.lastPathComponent): \(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("ok -- validation done"))
    }

    @Test("SSP, POA&M and assessment results validate against NIST's OSCAL 1.1.3 JSON schemas",
          arguments: [ExportDocument.ssp, .poam, .results])
    func schema(_ d: ExportDocument) throws {
        let dir = try TestEnvironment.temporaryDirectory("oscal-export")
        defer { try? FileManager.default.removeItem(at: dir) }
        try checkSchema(try write(try export(d, try SampleAssessment.report()), "\(d.rawValue).json", in: dir), d)
        try checkSchema(try write(try export(d, try SampleAssessment.report(complete: false)), "\(d.rawValue)-incomplete.json",
                                  in: dir), d)
        try checkSchema(try write(try export(d, try rev3Report()), "\(d.rawValue)-rev3.json", in: dir), d)
        try checkSchema(try write(try export(d, try messyReport()), "\(d.rawValue)-messy.json", in: dir), d)
    }

    @Test("trestle imports the SSP (import-profile resolvable in the workspace), the POA&M and the results")
    func trestle() throws {
        let ws = try TestEnvironment.temporaryDirectory("trestle-export")
        let files = try TestEnvironment.temporaryDirectory("trestle-export-files")
        defer {
            try? FileManager.default.removeItem(at: ws)
            try? FileManager.default.removeItem(at: files)
        }
        let trestle = try TestEnvironment.validator("trestle")
        let initResult = try runProcess(trestle, ["init"], currentDirectory: ws)
        #expect(initResult.status == 0, "\(initResult.stdout)\(initResult.stderr)")
        // trestle resolves the SSP's import-profile while importing; '#uuid' back-matter references are not
        // resolved for an SSP, so the catalog goes into the workspace and the SSP points at it.
        let catalog = try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json")
        let cat = try runProcess(trestle, ["import", "-f", catalog.path, "-o", "sp800-171r2"], currentDirectory: ws)
        #expect(cat.status == 0, "\(cat.stdout)\(cat.stderr)")

        var documents: [(String, Data)] = []
        for (label, report) in [("sample", try SampleAssessment.report()), ("messy", try messyReport())] {
            documents += [
                ("\(label)-ssp", try export(.ssp, report, importProfileHref: "trestle://catalogs/sp800-171r2/catalog.json")),
                ("\(label)-poam", try export(.poam, report)),
                ("\(label)-results", try export(.results, report)),
            ]
        }
        for (name, data) in documents {
            let file = try write(data, "\(name).json", in: files)
            let imp = try runProcess(trestle, ["import", "-f", file.path, "-o", "tekigo-\(name)"], currentDirectory: ws)
            #expect(imp.status == 0, "\(name): \(imp.stdout)\(imp.stderr)")
        }
    }
}
