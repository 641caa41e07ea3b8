import Foundation
import SQLKit
import Testing
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Cloud services across the chain (issue 15 item 5), both engines: the attestation names the services holding CUI
/// (and an older one still verifies), the prime's view of who depends on which provider within consent, and the
/// alerts of a re-import that shows a provider's standing dropping — its users and the primes that see them, nobody else.
@Suite("Cloud across the chain", .serialized)
struct CloudChainTests {
    typealias World = SupplyChainUseCaseTests.World

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        try await SupplyChainUseCaseTests().withWorld(engine, at: "2026-12-06T00:00:00Z", body)
    }

    static func marketplace(fr1Status: String = "FedRAMP Authorized", fr2Level: String = "Moderate", date: String = "2026-04-28") -> Data {
        Data("""
            {"meta": {"last_change": "\(date)T00:00:00Z"}, "data": {"Products": [
              {"id": "FR0000000001", "csp": "Example Cloud", "cso": "Example Files", "status": "\(fr1Status)", "impact_level": "Moderate",
               "auth_type": "Agency", "auth_date": "2024-01-10T20:00:00.000Z", "annual_assessment": "12/20", "independent_assessor": "Example 3PAO",
               "service_model": ["SaaS"], "leveraged_systems": []},
              {"id": "FR0000000002", "csp": "Other Cloud", "cso": "Mail", "status": "FedRAMP Authorized", "impact_level": "\(fr2Level)",
               "auth_type": "Agency", "auth_date": "2024-01-10T20:00:00.000Z", "annual_assessment": "06/01", "independent_assessor": "Example 3PAO",
               "service_model": ["SaaS"], "leveraged_systems": []}
            ]}}
            """.utf8)
    }

    func importMarketplace(_ w: World, _ data: Data) async throws -> CloudRegistryImportResult {
        try await CloudRegistryUseCases(db: w.db, clock: w.clock).importMarketplace(data, fileName: "data.json", by: .commandLine)
    }

    func use(_ w: World, _ org: TenantScope, _ ref: String, information: String = "cui") async throws {
        _ = try await CloudServiceUseCases(w.env, org).add(CloudServiceDraft(ref: ref, information: information, systems: []))
    }

    /// Issues an attestation of a new SP 800-171 rev2 assessment.
    @discardableResult
    func attest(_ w: World, _ org: TenantScope) async throws -> AttestationRecord {
        let system = try await org.store.createSystem(SystemProfile(name: "本社ネットワーク"), by: org.actor)
        let a = try await org.store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-01")!, kind: .basic,
                                                     assessor: "", by: org.actor)
        return try await AttestationUseCases(w.env, org).issue(assessmentID: a.id, detail: nil, systemScope: nil)
    }

    func reminders(_ w: World, _ org: TenantScope) async throws -> [ReminderRecord] {
        try await ReminderStore(w.db, organizationID: org.organizationID, evidenceKey: w.env.evidence.key).reminders()
            .filter { $0.kind == CloudChainStore.reminderKind }
    }

    // MARK: attestation

    @Test("Issue 15 item 5: an attestation names the services holding CUI by FedRAMP package id / ISMAP number (not other: names, not services holding none); without services the field is left out of the signed bytes and an attestation made before verifies",
          arguments: TestDatabases.engines)
    func attestationNamesServices(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await importMarketplace(w, Self.marketplace())
            let shop = try await w.org("町工場株式会社")
            let old = try await attest(w, shop)
            #expect(!old.payload.contains("cloudServices"))
            let oldFile = try await AttestationUseCases(w.env, shop).export(id: old.id)
            guard case .verified = AttestationVerifier.verify(data: oldFile) else { Issue.record("the attestation without services must verify"); return }
            // A payload written before the field existed decodes, and its canonical bytes are the very bytes signed.
            let decoded = try AttestationPayload.decode(Array(old.payload.utf8))
            let again = String(decoding: try decoded.canonicalBytes(), as: UTF8.self)
            #expect(decoded.cloudServices == nil && again == old.payload)

            try await use(w, shop, "fedramp:FR0000000002")
            try await use(w, shop, "fedramp:FR0000000001")
            try await use(w, shop, "other:自社サーバー")
            try await use(w, shop, "fedramp:FR0000000009", information: "none")
            let expected: [CloudServiceRef] = [.fedramp(packageID: "FR0000000001"), .fedramp(packageID: "FR0000000002")]
            let system = try await shop.store.createSystem(SystemProfile(name: "図面"), by: shop.actor)
            let a = try await shop.store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-02")!, kind: .basic,
                                                          assessor: "", by: shop.actor)
            let preview = try await SupplierSideQueries(w.env, shop).preview(assessmentID: a.id, detail: nil, systemScope: nil)
            #expect(preview.payload.cloudServices == expected)
            let issued = try await AttestationUseCases(w.env, shop).issue(assessmentID: a.id, detail: nil, systemScope: nil)
            #expect(try issued.attestationPayload().cloudServices == expected)
            #expect(issued.payload.contains(#""cloudServices":["fedramp:FR0000000001","fedramp:FR0000000002"]"#))
            let file = try await AttestationUseCases(w.env, shop).export(id: issued.id)
            guard case .verified(let v) = AttestationVerifier.verify(data: file) else { Issue.record("the attestation with services must verify"); return }
            #expect(v.payload.cloudServices == expected)
            // The older one still verifies after the newer replaced it.
            guard case .verified = AttestationVerifier.verify(data: try await AttestationUseCases(w.env, shop).export(id: old.id)) else {
                Issue.record("the superseded attestation must still verify"); return
            }
        }
    }

    // MARK: the prime's view

    @Test("Issue 15 item 5: the prime sees which suppliers depend on which provider and its standing, only for suppliers whose attestation it may see (one that has not consented is not shown)",
          arguments: TestDatabases.engines)
    func rollupWithinConsent(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await importMarketplace(w, Self.marketplace(fr2Level: "Low"))
            let prime = try await w.org("元請重工株式会社")
            let a = try await w.org("浜松精機株式会社"), b = try await w.org("非公開工業株式会社"), c = try await w.org("燕鍛造株式会社")
            try await w.link(prime, a)
            try await w.link(prime, b)
            try await w.link(a, c)
            for o in [a, b, c] { try await use(w, o, "fedramp:FR0000000001") }
            try await use(w, c, "fedramp:FR0000000002")
            for o in [a, b, c] { try await attest(w, o) }
            _ = try await ConsentUseCases(w.env, a).grant(viewer: prime.organizationID, onward: true)
            _ = try await ConsentUseCases(w.env, c).grant(viewer: a.organizationID, onward: true)
            // b has not consented: its services are not shown.
            let list = try await CloudChainQueries(w.env, prime).dependencies()
            #expect(list.map(\.ref) == ["fedramp:FR0000000001", "fedramp:FR0000000002"])
            let fr1 = try #require(list.first)
            #expect(fr1.meets && fr1.status == "FedRAMP Authorized" && fr1.impactLevel == "Moderate" && fr1.title == "Example Cloud — Example Files")
            #expect(fr1.suppliers.map(\.name) == ["浜松精機株式会社", "燕鍛造株式会社"] && fr1.suppliers.map(\.tier) == [1, 2])
            #expect(!list[1].meets && list[1].suppliers.map(\.name) == ["燕鍛造株式会社"])
            #expect(!list.flatMap(\.suppliers).contains { $0.id == b.organizationID })
            // Withdrawn: a (and c through it) disappear.
            try await ConsentUseCases(w.env, a).withdraw(viewer: prime.organizationID)
            #expect(try await CloudChainQueries(w.env, prime).dependencies().isEmpty)
        }
    }

    // MARK: alerts

    @Test("Issue 15 item 5: a re-import with one product's status changed alerts its users and the primes that see them (reminder and webhook delivery), and nobody else; the same file again alerts nobody",
          arguments: TestDatabases.engines)
    func reimportAlertsUsersAndPrimes(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await importMarketplace(w, Self.marketplace())
            let prime = try await w.org("元請重工株式会社"), otherPrime = try await w.org("他社重工株式会社")
            let a = try await w.org("浜松精機株式会社"), b = try await w.org("非公開工業株式会社"), c = try await w.org("燕鍛造株式会社")
            let d = try await w.org("別サービス株式会社"), e = try await w.org("無関係株式会社")
            try await w.link(prime, a)
            try await w.link(prime, b)
            try await w.link(a, c)
            try await w.link(otherPrime, d)
            for o in [a, b, c] { try await use(w, o, "fedramp:FR0000000001") }
            try await use(w, d, "fedramp:FR0000000002")
            for o in [a, b, c, d] { try await attest(w, o) }
            _ = try await ConsentUseCases(w.env, a).grant(viewer: prime.organizationID, onward: true)
            _ = try await ConsentUseCases(w.env, c).grant(viewer: a.organizationID, onward: true)
            _ = try await ConsentUseCases(w.env, d).grant(viewer: otherPrime.organizationID, onward: false)
            let now = w.clock.now()
            for o in [prime, a] {
                let store = ReminderStore(w.db, organizationID: o.organizationID, evidenceKey: w.env.evidence.key)
                _ = try await w.db.transaction { s in try await store.createWebhook(url: "https://hooks.example.jp/tekigo", by: o.actor, at: now, on: s) }
            }

            let result = try await importMarketplace(w, Self.marketplace(fr1Status: "FedRAMP In Process", date: "2026-05-12"))
            #expect(result.changes.map(\.packageID) == ["FR0000000001"])
            // Users of FR1: a, b, c, each about its own service.
            for o in [a, b, c] {
                let r = try await reminders(w, o).filter { $0.reminderKey.hasSuffix(":self") }
                #expect(r.count == 1 && r[0].textEn.contains("no longer FedRAMP Authorized") && r[0].textJa.contains("FedRAMP 認可が外れました"),
                        "\(o.organization.name)")
            }
            // The prime: about a and c (seen through a's onward grant), not b (no consent).
            let primeAlerts = try await reminders(w, prime)
            #expect(Set(primeAlerts.map(\.subject)) == [a.organizationID, c.organizationID])
            #expect(primeAlerts.allSatisfy { $0.textJa.contains("FR0000000001") && !$0.textJa.contains("非公開工業") })
            // a hears about its own service and about c, its supplier.
            #expect(Set(try await reminders(w, a).map(\.subject)).contains(c.organizationID))
            // Nobody else: d and its prime use FR2, e nothing.
            for o in [d, otherPrime, e] { #expect(try await reminders(w, o).isEmpty, "\(o.organization.name)") }
            // One pending delivery per reminder of an organization with a webhook.
            let deliveries = try await w.db.sql.select().columns("organization_id", "reminder_key", "status").from("webhook_deliveries").all()
            let byOrg = Dictionary(grouping: deliveries, by: { (try? $0.decode(column: "organization_id", as: String.self)) ?? "" })
            #expect(byOrg[prime.organizationID]?.count == 2 && byOrg[a.organizationID]?.count == 2 && byOrg.count == 2)
            #expect(try deliveries.allSatisfy { try $0.decode(column: "status", as: String.self) == "pending" })

            // The same file again: no change, no alert.
            let again = try await importMarketplace(w, Self.marketplace(fr1Status: "FedRAMP In Process", date: "2026-05-12"))
            #expect(again.changes.isEmpty)
            #expect(try await reminders(w, prime).count == 2)
            // FR2 dropping below Moderate alerts d, and its prime (direct grant).
            _ = try await importMarketplace(w, Self.marketplace(fr1Status: "FedRAMP In Process", fr2Level: "Low", date: "2026-06-01"))
            #expect(try await reminders(w, d).map(\.textEn).first?.contains("below the Moderate baseline") == true)
            #expect(try await reminders(w, otherPrime).map(\.subject) == [d.organizationID])
            #expect(try await reminders(w, prime).count == 2)
        }
    }

    @Test("Issue 15 item 5: a product leaving the Marketplace alerts its users only when it was authorized at Moderate or above before the import (judged on the registry as it was, not counted as a drop by default)",
          arguments: TestDatabases.engines)
    func delistedJudgedOnStandingBefore(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await importMarketplace(w, Self.marketplace(fr2Level: "Low"))
            let a = try await w.org("浜松精機株式会社"), b = try await w.org("燕鍛造株式会社")
            try await use(w, a, "fedramp:FR0000000001")  // Moderate, authorized
            try await use(w, b, "fedramp:FR0000000002")  // Low: already below the Moderate baseline
            // Both leave the Marketplace (another product is all the newer file lists).
            let newer = Data("""
                {"meta": {"last_change": "2026-05-12T00:00:00Z"}, "data": {"Products": [
                  {"id": "FR0000000003", "csp": "Third Cloud", "cso": "Docs", "status": "FedRAMP Authorized", "impact_level": "Moderate",
                   "service_model": ["SaaS"], "leveraged_systems": []}]}}
                """.utf8)
            let result = try await importMarketplace(w, newer)
            #expect(Set(result.changes.map(\.packageID)) == ["FR0000000001", "FR0000000002", "FR0000000003"]
                    && result.changes.allSatisfy { $0.field == .listed })
            let alerts = try await reminders(w, a)
            #expect(alerts.count == 1 && alerts[0].textEn.contains("no longer listed on the FedRAMP Marketplace"))
            #expect(try await reminders(w, b).isEmpty, "a Low product leaving the Marketplace is no drop below Moderate")
        }
    }

    @Test("Issue 15 item 5: the rule — authorized at Moderate or above before and not after; a product already below, or only a new assessor, alerts nobody")
    func dropRule() {
        let mod = CloudMarketplaceStanding(status: "FedRAMP Authorized", impactLevel: "Moderate")
        #expect(CloudChainAlertRule.drop(before: mod, after: .init(status: "FedRAMP In Process", impactLevel: "Moderate")) == .lostAuthorization)
        #expect(CloudChainAlertRule.drop(before: mod, after: .init(status: "FedRAMP Authorized", impactLevel: "LI-SaaS")) == .belowModerate)
        #expect(CloudChainAlertRule.drop(before: mod, after: .init(status: "FedRAMP Authorized", impactLevel: "High")) == nil)
        #expect(CloudChainAlertRule.drop(before: mod, after: nil) == .delisted)
        #expect(CloudChainAlertRule.drop(before: .init(status: "FedRAMP Authorized", impactLevel: "Low"),
                                         after: .init(status: "FedRAMP In Process", impactLevel: "Low")) == nil)
        let drops = CloudChainAlertRule.drops(
            changes: [.init(packageID: "A", field: .assessor, oldValue: "x", newValue: "y"),
                      .init(packageID: "B", field: .impactLevel, oldValue: "Moderate", newValue: "20x Low"),
                      .init(packageID: "C", field: .listed, oldValue: "listed", newValue: nil),
                      .init(packageID: "D", field: .listed, oldValue: nil, newValue: "listed")],
            current: ["A": mod, "B": .init(status: "FedRAMP Authorized", impactLevel: "20x Low"), "D": mod])
        #expect(drops == ["B": .belowModerate, "C": .delisted])
    }

    @Test("Issue 15 item 5: the cloud dependencies page's model against its template, in ja and en")
    func pageModel() async throws {
        let assets = try await WebAssets.load()
        let model = CloudChainDependenciesPage(
            providers: [.init(ref: "fedramp:FR1", title: "Example — Files", standing: "FedRAMP Marketplace — FedRAMP Authorized — Moderate",
                              meets: true, verdict: "Meets", suppliers: [.init(name: "浜松精機", tier: "tier 1")], count: "1")],
            hasProviders: true, rollupURL: "/o/o1/supply-chain", apiURL: "/api/v1/organizations/o1/rollup/cloud")
        let layoutNames = try PageModelTests.names(PageModelTests.source("layout"))
        for lang in [Language.ja, .en] {
            let t = assets.messages.table(lang)
            let tree = TemplateTree.merged(model, PageModelTests.layout(t))
            let keys = PageModelTests.keys(tree)
            let names = try PageModelTests.names(PageModelTests.source("cloud-chain-dependencies")) + layoutNames
            for name in names {
                let parts = name.split(separator: ".").map(String.init)
                if parts[0] == "t" { #expect(parts.count == 2 && t[parts[1]] != nil, "no message \(name) in \(lang)") }
                else { #expect(keys.contains(parts[0]), "\(name) is not a key of its model or the layout") }
            }
            let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
            for key in PageModelTests.keys(TemplateTree.tree(model)) { #expect(read.contains(key), "the model's key \(key) is read by no template") }
            let html = try #require(assets.templates.render(tree, withTemplate: "cloud-chain-dependencies"))
            #expect(html.contains("浜松精機") && html.contains("fedramp:FR1"))
        }
    }
}
