import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Responsibility matrices through the use-case layer on both engines (issue 15 item 4): import (atomic, audited,
/// replaced whole), what an assessment's requirement inherits or shares, and the confirmation through putFinding.
@Suite("Responsibility matrices: use cases", .serialized)
struct ResponsibilityUseCaseTests {
    typealias World = IncidentUseCaseTests.World

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        try await IncidentUseCaseTests().withWorld(engine, at: "2026-12-06T09:00:00+09:00", body)
    }

    func refused<E: Error & Equatable>(_ expected: E, _ body: () async throws -> Void) async {
        await IncidentUseCaseTests().refused(expected, body)
    }

    static let crm = Data("""
        Control ID,Responsibility,Specific Inheritance and Customer Agency/CSP Responsibilities
        AC-2,Provider,The CSP manages accounts
        AC-3,Customer,Customers set their own permissions
        PE-2,Provider,Data centre access lists
        PE-3,Inherited from pre-existing authorization,From the IaaS
        PE-5,Provider,Monitors are in the data centre
        ZZ-1,Provider,nonsense
        """.utf8)

    func assessment(_ w: World, _ shop: TenantScope) async throws -> AssessmentRecord {
        let uc = AssessmentUseCases(w.env, shop)
        let system = try await uc.createSystem(name: "CAD", boundary: "", environment: "", informationTypes: [], userCount: 5)
        return try await uc.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2026-12-01", kind: nil, assessor: "me")
    }

    @Test("Issue 15 item 4: an import is stored whole with its digest, evidence reference and warnings, audited; a re-import replaces it; a bad file changes nothing",
          arguments: TestDatabases.engines)
    func importAtomic(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let shop = try await w.org("町工場")
            let uc = ResponsibilityUseCases(w.env, shop)
            let r = try await uc.importMatrix(Self.crm, fileName: "crm.csv", service: "fedramp:FR0000000001", name: "Example Cloud",
                                              evidenceReference: "FedRAMP package FR0000000001, CRM 2026-03")
            #expect(r.record.entryCount == 5 && r.record.responsibilityColumn == "Responsibility")
            #expect(r.record.fileSha256 == AuditLog.digest(Self.crm))
            #expect(r.record.warningList.map(\.location) == ["row 7"])
            #expect(try await uc.entries(service: "fedramp:FR0000000001").map(\.controlId) == ["AC-2", "AC-3", "PE-2", "PE-3", "PE-5"])
            // Re-import: replaced whole.
            _ = try await uc.importMatrix(Data("Control ID,Responsibility\nSC-13,Provider\n".utf8), fileName: "crm2.csv",
                                          service: "fedramp:FR0000000001", evidenceReference: "CRM 2026-06")
            #expect(try await uc.entries(service: "fedramp:FR0000000001").map(\.controlId) == ["SC-13"])
            #expect(try await uc.matrices().map(\.serviceName) == ["FR0000000001"])
            // A bad file: refused, the earlier import intact.
            await refused(ResponsibilityError.unreadable(.noControlColumn)) {
                _ = try await uc.importMatrix(Data("a,b\n1,2\n".utf8), fileName: "x.csv", service: "fedramp:FR0000000001", evidenceReference: "x")
            }
            await refused(ResponsibilityError.invalidRef("aws:x")) {
                _ = try await uc.importMatrix(Self.crm, fileName: "x.csv", service: "aws:x", evidenceReference: "x")
            }
            // U+0000 cannot be stored: refused in a file (a byte, or JSON's escape) and in the evidence reference, nothing changed.
            await refused(ResponsibilityError.unreadable(.notText)) {
                _ = try await uc.importMatrix(Data("Control ID,Responsibility,Description\nAC-2,Provider,a\u{0}b\n".utf8), fileName: "x.csv",
                                              service: "fedramp:FR0000000001", evidenceReference: "x")
            }
            await refused(ResponsibilityError.nulCharacter(field: "evidenceReference")) {
                _ = try await uc.importMatrix(Self.crm, fileName: "x.csv", service: "fedramp:FR0000000001", evidenceReference: "CRM\u{0}")
            }
            await refused(ResponsibilityError.empty(field: "evidenceReference")) {
                _ = try await uc.importMatrix(Self.crm, fileName: "x.csv", service: "fedramp:FR0000000001", evidenceReference: " ")
            }
            #expect(try await uc.entries(service: "fedramp:FR0000000001").map(\.controlId) == ["SC-13"])
            let viewer = try await w.member(shop, .viewer)
            await refused(ResponsibilityError.notAllowed) {
                _ = try await ResponsibilityUseCases(w.env, viewer).importMatrix(Self.crm, fileName: "x.csv", service: "other:NAS", evidenceReference: "x")
            }
            let actions = try await w.actions(shop.organizationID).filter { $0.hasPrefix("cloud.") }
            #expect(actions == ["cloud.matrix-imported", "cloud.matrix-imported"])
            // Another organization sees none of it.
            let other = try await w.org("別会社")
            #expect(try await ResponsibilityUseCases(w.env, other).matrices().isEmpty)
        }
    }

    @Test("Issue 15 item 4: the editor's offer — 3.10.1 inherited, 3.1.1 shared; confirming writes the chosen status and the evidence reference once, never met by itself",
          arguments: TestDatabases.engines)
    func confirmThroughPutFinding(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let shop = try await w.org("町工場")
            let a = try await assessment(w, shop)
            let uc = ResponsibilityUseCases(w.env, shop)
            _ = try await uc.importMatrix(Self.crm, fileName: "crm.csv", service: "fedramp:FR0000000001", name: "Example Cloud",
                                          evidenceReference: "CRM 2026-03")
            let physical = try await uc.offers(assessmentID: a.id, requirement: "3.10.1")
            #expect(physical.count == 1 && physical[0].inheritance == .inherited && physical[0].serviceName == "Example Cloud")
            #expect(physical[0].evidenceLocation == "Example Cloud (fedramp:FR0000000001): CRM 2026-03")
            let access = try await uc.offers(assessmentID: a.id, requirement: "3.1.1")
            #expect(access.first?.inheritance == .shared && access.first?.responsibility.customerControls == ["AC-3"])
            #expect(try await uc.offers(assessmentID: a.id, requirement: "3.5.3").isEmpty)
            // Nothing written by offering: no finding exists.
            #expect(try await shop.store.findings(assessmentID: a.id).isEmpty)

            let objective = physical[0].responsibility.objectives[0]
            _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [objective],
                                     status: "not-assessed")
            var f = try #require(try await shop.store.findings(assessmentID: a.id).first { $0.objective == objective })
            #expect(f.status == "not-assessed", "inheritance never marks an objective met by itself")
            var refs = try JSONDecoder().decode([EvidenceRef].self, from: Data(f.evidence.utf8))
            #expect(refs.map(\.location) == ["Example Cloud (fedramp:FR0000000001): CRM 2026-03"])
            // Confirming again with met (the person's choice): status met, the evidence still listed once.
            let records = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001",
                                               objectives: [objective], status: "met")
            #expect(records.map(\.status) == ["met"])
            f = try #require(try await shop.store.findings(assessmentID: a.id).first { $0.objective == objective })
            refs = try JSONDecoder().decode([EvidenceRef].self, from: Data(f.evidence.utf8))
            #expect(f.status == "met" && refs.count == 1)
            #expect(try await uc.offers(assessmentID: a.id, requirement: "3.10.1")[0].confirmed == [objective: "met"])
            // Refusals: a status that is not one, an objective of another requirement, a service without a matrix.
            await refused(ResponsibilityError.badStatus("inherited")) {
                _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [objective], status: "inherited")
            }
            await refused(ResponsibilityError.notOffered(objective: "3.1.1[a]", service: "fedramp:FR0000000001")) {
                _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: ["3.1.1[a]"], status: "met")
            }
            await refused(ResponsibilityError.noMatrix("other:NAS")) {
                _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "other:NAS", objectives: [objective], status: "met")
            }
            let viewer = try await w.member(shop, .viewer)
            await refused(ResponsibilityError.notAllowed) {
                _ = try await ResponsibilityUseCases(w.env, viewer).confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001",
                                                                           objectives: [objective], status: "met")
            }
            let actions = try await w.actions(shop.organizationID)
            #expect(actions.filter { $0 == "cloud.inheritance-confirmed" }.count == 2)
            // The SSP export's leveraged services: the confirmed requirement only.
            let leveraged = try await uc.leveragedServices(assessmentID: a.id)
            #expect(leveraged.map(\.reference) == ["fedramp:FR0000000001"])
            #expect(leveraged[0].requirements == [.init(id: "3.10.1", shared: false, objectives: [objective])])
            #expect(leveraged[0].dateAuthorized == "2026-12-06")
        }
    }

    @Test("Issue 15 item 4: a confirmation of several objectives is one transaction — one finding changed meanwhile refuses it whole (VersionConflict, nothing written, no audit entry); a rationale given replaces the finding's, none keeps it",
          arguments: TestDatabases.engines)
    func confirmIsAtomic(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let shop = try await w.org("町工場")
            let a = try await assessment(w, shop)
            let uc = ResponsibilityUseCases(w.env, shop)
            _ = try await uc.importMatrix(Self.crm, fileName: "crm.csv", service: "fedramp:FR0000000001", name: "Example Cloud",
                                          evidenceReference: "CRM 2026-03")
            let objectives = try #require(try await uc.offers(assessmentID: a.id, requirement: "3.10.1").first).responsibility.objectives
            let (first, second) = (objectives[0], objectives[1])
            _ = try await AssessmentUseCases(w.env, shop).putFinding(assessmentID: a.id, objective: second, status: "not-met", rationale: "鍵が未管理",
                                                                    evidence: [], assessedBy: "other", ifVersion: 0)
            let before = try await w.actions(shop.organizationID).count
            await #expect(throws: VersionConflict.self) {
                _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [first, second],
                                         status: "met", versions: [first: 0, second: 0])
            }
            let findings = try await shop.store.findings(assessmentID: a.id)
            #expect(findings.map(\.objective) == [second] && findings[0].status == "not-met" && findings[0].version == 1)
            #expect(try await uc.offers(assessmentID: a.id, requirement: "3.10.1")[0].confirmed.isEmpty)
            #expect(try await w.actions(shop.organizationID).count == before, "no audit entry of the refused confirmation")
            // At the versions read now: both written; the second keeps its rationale, then a given one replaces both.
            _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [first, second],
                                     status: "not-met", versions: [first: 0, second: 1])
            var byObjective = Dictionary(uniqueKeysWithValues: try await shop.store.findings(assessmentID: a.id).map { ($0.objective, $0) })
            #expect(byObjective[second]?.rationale == "鍵が未管理" && byObjective[first]?.rationale == "" && byObjective[first]?.status == "not-met")
            _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [first, second],
                                     status: "met", rationale: "事業者の SOC 2 報告で確認")
            byObjective = Dictionary(uniqueKeysWithValues: try await shop.store.findings(assessmentID: a.id).map { ($0.objective, $0) })
            #expect([first, second].allSatisfy { byObjective[$0]?.status == "met" && byObjective[$0]?.rationale == "事業者の SOC 2 報告で確認" })
            await refused(ResponsibilityError.tooLong(field: "rationale", limit: ResponsibilityUseCases.maxRationale)) {
                _ = try await uc.confirm(assessmentID: a.id, requirement: "3.10.1", service: "fedramp:FR0000000001", objectives: [first],
                                         status: "met", rationale: String(repeating: "x", count: ResponsibilityUseCases.maxRationale + 1))
            }
        }
    }
}
