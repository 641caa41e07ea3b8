import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The cloud services an organization uses (issue 15 item 3) on both engines: add, edit, remove with their audit
/// entries and refusals, the standing read from the registry (FedRAMP product, ISMAP record, or not in the registry),
/// evaluations keeping their rule-set version, the (c)–(g) commitments, who may change, and the reminders at the
/// injected clock with their webhook deliveries.
@Suite("Cloud services", .serialized)
struct CloudServiceTests {
    typealias World = IncidentUseCaseTests.World

    func withWorld(_ engine: TestDatabases.Engine, at start: String, _ body: (World) async throws -> Void) async throws {
        try await IncidentUseCaseTests().withWorld(engine, at: start, body)
    }

    func refused<E: Error & Equatable>(_ expected: E, _ body: () async throws -> Void) async {
        await IncidentUseCaseTests().refused(expected, body)
    }

    /// A Marketplace file with three products: Moderate authorized, LI-SaaS authorized, Moderate "Ready".
    static let marketplace = """
        {"meta": {"last_change": "2026-04-28T00:00:00Z"}, "data": {"Products": [
          {"id": "FR0000000001", "csp": "Example Cloud", "cso": "Example Files", "status": "FedRAMP Authorized", "impact_level": "Moderate",
           "auth_type": "Agency", "auth_date": "2024-01-10T20:00:00.000Z", "annual_assessment": "12/20", "independent_assessor": "Example 3PAO",
           "service_model": ["SaaS"], "leveraged_systems": []},
          {"id": "FR0000000002", "csp": "Tiny SaaS", "cso": "Forms", "status": "FedRAMP Authorized", "impact_level": "LI-SaaS",
           "auth_type": "Agency", "auth_date": "2025-01-10T20:00:00.000Z", "annual_assessment": "06/01", "independent_assessor": "Example 3PAO",
           "service_model": ["SaaS"], "leveraged_systems": []},
          {"id": "FR0000000003", "csp": "Ready Co", "cso": "Vault", "status": "FedRAMP Ready", "impact_level": "Moderate",
           "auth_type": "", "auth_date": "Not Active", "annual_assessment": "", "independent_assessor": "Example 3PAO",
           "service_model": ["IaaS"], "leveraged_systems": []}
        ]}}
        """

    func seedRegistry(_ w: World) async throws {
        let file = try FedRAMPMarketplaceReader.read(Data(Self.marketplace.utf8))
        let registry = CloudRegistryStore(w.db), now = w.clock.now()
        try await w.db.transaction { s in
            _ = try await registry.replace(with: file, fileName: "data.json", fileSHA256: String(repeating: "0", count: 64), importedBy: "test",
                                           now: now, on: s)
            try await registry.saveISMAP(ISMAPRecord(registrationNumber: "C99-0001-1", kind: .ismap, serviceName: "国産クラウド", provider: "例示株式会社",
                                                     scope: "IaaS", controlObjectives: "全て", auditPeriodStart: Day("2025-04-01")!,
                                                     auditPeriodEnd: Day("2025-09-30")!), by: "test", now: now, on: s)
            try await registry.saveISMAP(ISMAPRecord(registrationNumber: "L99-0002-1", kind: .liu, serviceName: "小さな SaaS", provider: "例示合同会社",
                                                     scope: "SaaS", controlObjectives: "全て", auditPeriodStart: Day("2025-10-01")!,
                                                     auditPeriodEnd: Day("2026-03-31")!), by: "test", now: now, on: s)
        }
    }

    func system(_ scope: TenantScope, _ name: String) async throws -> String {
        try await scope.store.createSystem(SystemProfile(name: name), by: scope.actor).id
    }

    static let allCommitments = CloudCommitmentKind.allCases.map { CloudCommitmentDraft(kind: $0.rawValue, committed: true, evidence: "MSA §12") }

    @Test("DFARS 252.204-7012(b)(2)(ii)(D): a FedRAMP Moderate service is satisfied once (c)–(g) are evidenced; LI-SaaS and Ready are not; other: is 'not in the registry'; each change audited",
          arguments: TestDatabases.engines)
    func standingFromRegistry(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            try await seedRegistry(w)
            let shop = try await w.org("町工場")
            let mail = try await system(shop, "図面管理")
            let uc = CloudServiceUseCases(w.env, shop), q = CloudServiceQueries(w.env, shop)
            let files = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000001", information: "cui", systems: [mail]))
            #expect(files.name == "FR0000000001" && files.applicableRegimes == [.dfars7012])
            var s = try await q.service(id: files.id)
            #expect(s.inRegistry && s.registry.title == "Example Cloud — Example Files" && s.systems.map(\.name) == ["図面管理"])
            #expect(!s.satisfied && s.verdicts[0].basis == .fedrampAuthorized && s.missing.count == 5, "(c)–(g) still missing")
            let c = try await uc.setCommitments(serviceID: files.id, Self.allCommitments, ifVersion: 0)
            #expect(c.version == 1)
            s = try await q.service(id: files.id)
            #expect(s.satisfied && s.missing.isEmpty)
            await refused(CloudServiceError.staleVersion(current: 1)) {
                _ = try await uc.setCommitments(serviceID: files.id, [], ifVersion: 0)
            }

            let forms = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000002", name: "Forms", information: "cui"))
            _ = try await uc.setCommitments(serviceID: forms.id, Self.allCommitments, ifVersion: 0)
            #expect(try await q.service(id: forms.id).missing.first?.en.contains("LI-SaaS is below the Moderate baseline") == true)
            let vault = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000003", name: "Vault", information: "cui"))
            #expect(try await !q.service(id: vault.id).satisfied)
            let nas = try await uc.add(CloudServiceDraft(ref: "other:社内 NAS ホスティング", information: "none"))
            let n = try await q.service(id: nas.id)
            #expect(!n.inRegistry && n.regimes.isEmpty && n.satisfied, "no regime for a service holding neither")
            let missingID = try await uc.add(CloudServiceDraft(ref: "fedramp:FR9999999999", information: "cui"))
            #expect(try await q.service(id: missingID.id).missing.first?.en.hasPrefix("Not in the FedRAMP Marketplace") == true)

            // Refusals, naming the field.
            await refused(CloudServiceError.duplicate(ref: "fedramp:FR0000000001", existingID: files.id)) {
                _ = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000001", information: "cui"))
            }
            await refused(CloudServiceError.invalidRef("dropbox")) { _ = try await uc.add(CloudServiceDraft(ref: "dropbox", information: "cui")) }
            await refused(CloudServiceError.unknownSystem("nope")) {
                _ = try await uc.add(CloudServiceDraft(ref: "other:x", information: "cui", systems: ["nope"]))
            }
            await refused(CloudServiceError.unknownValue(field: "information", value: "secret", allowed: ["cui", "protected", "none"])) {
                _ = try await uc.add(CloudServiceDraft(ref: "other:x", information: "secret"))
            }
            // Edit with the version; a stale one refused.
            let edited = try await uc.update(id: forms.id, CloudServiceDraft(ref: "fedramp:FR0000000002", name: "Forms (人事)", information: "cui",
                                                                             regimes: ["dfars-7012", "japan"], systems: [mail]), ifVersion: 1)
            #expect(edited.version == 2 && edited.applicableRegimes == [.dfars7012, .japan])
            await refused(CloudServiceError.staleVersion(current: 2)) {
                _ = try await uc.update(id: forms.id, CloudServiceDraft(ref: "fedramp:FR0000000002", information: "cui"), ifVersion: 1)
            }
            try await uc.remove(id: vault.id)
            #expect(Set(try await q.list().map(\.service.name)) == ["FR0000000001", "FR9999999999", "Forms (人事)", "社内 NAS ホスティング"])
            let actions = try await w.actions(shop.organizationID).filter { $0.hasPrefix("cloud.") }
            #expect(actions == ["cloud.service-added", "cloud.service-commitments-set", "cloud.service-added", "cloud.service-commitments-set",
                                "cloud.service-added", "cloud.service-added", "cloud.service-added", "cloud.service-updated", "cloud.service-removed"])
        }
    }

    @Test("Owners, administrators and assessors change; contributors, viewers and auditors read and are refused, nothing written",
          arguments: TestDatabases.engines)
    func whoMayChange(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let s = try await CloudServiceUseCases(w.env, shop).add(CloudServiceDraft(ref: "other:A", information: "cui"))
            for role in [Role.admin, .assessor] {
                let m = try await w.member(shop, role)
                _ = try await CloudServiceUseCases(w.env, m).add(CloudServiceDraft(ref: "other:\(role.rawValue)", information: "none"))
            }
            for role in [Role.contributor, .viewer, .auditor] {
                let m = try await w.member(shop, role)
                #expect(try await CloudServiceQueries(w.env, m).list().count == 3)
                #expect(!CloudServiceQueries(w.env, m).canChange)
                let uc = CloudServiceUseCases(w.env, m)
                await refused(CloudServiceError.notAllowed) { _ = try await uc.add(CloudServiceDraft(ref: "other:B", information: "cui")) }
                await refused(CloudServiceError.notAllowed) { try await uc.remove(id: s.id) }
                await refused(CloudServiceError.notAllowed) {
                    _ = try await uc.recordEvaluation(serviceID: s.id, CloudEvaluationDraft(regime: "japan", method: "documented", meets: true, rationale: "x"))
                }
                await refused(CloudServiceError.notAllowed) { _ = try await uc.setCommitments(serviceID: s.id, [], ifVersion: 0) }
            }
            // Another organization's service is not found.
            let other = try await w.org("別会社")
            await IncidentUseCaseTests().notFound("Cloud service \(s.id)") { try await CloudServiceUseCases(w.env, other).remove(id: s.id) }
            #expect(try await CloudServiceQueries(w.env, shop).list().count == 3)
        }
    }

    @Test("Versioned rule sets: an equivalency recorded under the 2023-12-21 memo keeps its version — an open operational item fails it, the same evidence under the FAQ passes",
          arguments: TestDatabases.engines)
    func equivalencyKeepsItsVersion(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let uc = CloudServiceUseCases(w.env, shop), q = CloudServiceQueries(w.env, shop)
            let svc = try await uc.add(CloudServiceDraft(ref: "other:Private GovCloud", information: "cui"))
            _ = try await uc.setCommitments(serviceID: svc.id, Self.allCommitments, ifVersion: 0)
            let documents = Dictionary(uniqueKeysWithValues: EquivalencyDocument.allCases.map { ($0.rawValue, "evidence:\($0.rawValue)") })
            var draft = CloudEvaluationDraft(regime: "dfars-7012", method: "equivalency", meets: true, ruleSetVersion: EquivalencyRuleSet.dodMemo2023.id,
                                             documents: documents, assessor: "Example 3PAO", assessorRecognized: true, baselineAssessedPercent: 100,
                                             lastAnnualAssessment: "2026-03-01", openPOAMItems: ["operational moderate 2026-11-01 scan finding"],
                                             rationale: "BoE reviewed", evidence: ["sha:abc"], evaluatedBy: "評価者 佐藤")
            let memo = try await uc.recordEvaluation(serviceID: svc.id, draft)
            #expect(memo.ruleSetVersion == "dod-cio-memo-2023-12-21" && memo.checklistValue?.openPOAMItems.count == 1)
            #expect(memo.evaluatedOn == "2026-12-06", "the organization's today by default")
            var s = try await q.service(id: svc.id)
            #expect(!s.satisfied && s.missing.contains { $0.en.contains("this rule set allows none") })
            draft.ruleSetVersion = nil  // the current version: the FAQ
            w.clock.advance(by: 60)  // a later decision (two at one instant would have no order)
            let faq = try await uc.recordEvaluation(serviceID: svc.id, draft)
            #expect(faq.ruleSetVersion == EquivalencyRuleSet.current.id)
            s = try await q.service(id: svc.id)
            #expect(s.satisfied && s.verdicts[0].basis == .equivalency)
            #expect(try await CloudServiceStore(w.db, organizationID: shop.organizationID).evaluations(serviceID: svc.id).map(\.ruleSetVersion)
                    == ["dod-cio-memo-2023-12-21", "dod-faq-operational-poam-1"], "the first decision keeps its version")
            await refused(CloudServiceError.unknownRuleSet("dod-2030")) {
                var d = draft
                d.ruleSetVersion = "dod-2030"
                _ = try await uc.recordEvaluation(serviceID: svc.id, d)
            }
            await refused(CloudServiceError.badPOAMLine("soon high")) {
                var d = draft
                d.openPOAMItems = ["soon high"]
                _ = try await uc.recordEvaluation(serviceID: svc.id, d)
            }
            await refused(CloudServiceError.methodNotForRegime(method: "ismap", regime: "dfars-7012")) {
                _ = try await uc.recordEvaluation(serviceID: svc.id, CloudEvaluationDraft(regime: "dfars-7012", method: "ismap"))
            }
            await refused(CloudServiceError.empty(field: "rationale")) {
                _ = try await uc.recordEvaluation(serviceID: svc.id, CloudEvaluationDraft(regime: "japan", method: "documented", meets: true))
            }
            #expect(try await w.actions(shop.organizationID).filter { $0 == "cloud.service-evaluated" }.count == 2)
        }
    }

    @Test("Japan: ISMAP valid on the day satisfies 保護すべき情報, ISMAP-LIU does not; a marketplace evaluation stores the status of the day",
          arguments: TestDatabases.engines)
    func ismapAndMarketplace(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            try await seedRegistry(w)
            let shop = try await w.org("町工場")
            let uc = CloudServiceUseCases(w.env, shop), q = CloudServiceQueries(w.env, shop)
            let ismap = try await uc.add(CloudServiceDraft(ref: "ismap:C99-0001-1", information: "protected"))
            let s = try await q.service(id: ismap.id)
            #expect(s.satisfied && s.verdicts[0].basis == .ismapRegistered && s.registry.listName == "ISMAP")
            let liu = try await uc.add(CloudServiceDraft(ref: "ismap:L99-0002-1", information: "protected"))
            #expect(try await q.service(id: liu.id).missing.first?.ja.contains("ISMAP-LIU") == true)
            let e = try await uc.recordEvaluation(serviceID: liu.id, CloudEvaluationDraft(regime: "japan", method: "ismap"))
            #expect(!e.meets && e.registryStatus == "ISMAP-LIU", "LIU decided 'does not meet' for protected information")
            let doc = try await uc.recordEvaluation(serviceID: liu.id, CloudEvaluationDraft(regime: "japan", method: "documented", meets: true,
                                                                                            rationale: "保護すべき情報は暗号化して保管", evidence: ["評価書 2026-11"]))
            #expect(doc.meets && doc.evidenceReferences == ["評価書 2026-11"])
            #expect(try await q.service(id: liu.id).verdicts[0].basis == .documentedEvaluation)
            let files = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000001", information: "cui"))
            let m = try await uc.recordEvaluation(serviceID: files.id, CloudEvaluationDraft(regime: "dfars-7012", method: "marketplace", meets: false))
            #expect(m.meets && m.registryStatus == "FedRAMP Authorized" && m.registryImpactLevel == "Moderate", "decided from the registry, not the form")
            // The list reads the registry once for all its services: each gets the view the one-service read gives it.
            _ = try await uc.add(CloudServiceDraft(ref: "other:自社サーバー", information: "none"))
            _ = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000009999", information: "cui"))
            let list = try await q.list()
            #expect(list.count == 5 && list.filter(\.inRegistry).count == 3)
            for s in list { #expect(try await q.service(id: s.service.id).registry == s.registry, "\(s.service.ref)") }
            #expect(list.first { $0.service.ref == "ismap:L99-0002-1" }?.registry.listName == "ISMAP-LIU")
        }
    }

    @Test("Reminders: ISMAP expiring at 60/30 days and expired, the Marketplace's annual assessment within 30 days — stored once per key, each sent to the webhooks",
          arguments: TestDatabases.engines)
    func reminders(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-02T09:00:00+09:00") { w in
            try await seedRegistry(w)
            let shop = try await w.org("町工場")
            let uc = CloudServiceUseCases(w.env, shop)
            let ismap = try await uc.add(CloudServiceDraft(ref: "ismap:C99-0001-1", information: "protected"))  // valid through 2027-01-31
            let files = try await uc.add(CloudServiceDraft(ref: "fedramp:FR0000000001", information: "cui"))  // annual 12/20
            let reminders = ReminderStore(w.db, organizationID: shop.organizationID, evidenceKey: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) }))
            _ = try await w.db.transaction { s in
                try await reminders.createWebhook(url: "https://hooks.example.jp/tekigo", by: shop.actor, at: w.clock.now(), on: s)
            }
            var stored = try await reminders.refresh(at: w.clock.now()).filter(\.isAboutCloudServices)
            #expect(Set(stored.map(\.reminderKey)) == ["cloud/\(ismap.id)/ismap/2027-01-31/60", "cloud/\(files.id)/annual/2026-12-20"])
            #expect(stored.allSatisfy { !$0.textJa.isEmpty && !$0.textEn.isEmpty })
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutCloudServices).isEmpty, "once per key")
            let deliveries = try await w.db.sql.select().column("reminder_key").from("webhook_deliveries")
                .where("organization_id", .equal, shop.organizationID).all().map { try $0.decode(column: "reminder_key", as: String.self) }
            #expect(Set(deliveries).isSuperset(of: stored.map(\.reminderKey)))
            stored = try await reminders.refresh(at: Day("2027-01-05")!.date).filter(\.isAboutCloudServices)
            #expect(stored.map(\.reminderKey) == ["cloud/\(ismap.id)/ismap/2027-01-31/30"])
            stored = try await reminders.refresh(at: Day("2027-02-01")!.date.addingTimeInterval(3600)).filter(\.isAboutCloudServices)
            #expect(stored.map(\.reminderKey) == ["cloud/\(ismap.id)/ismap/2027-01-31/expired"] && stored[0].kind == "cloud-ismap-expired")
        }
    }
}
