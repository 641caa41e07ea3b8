import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// Issue #17 item 3 end to end on the use-case layer, on SQLite and PostgreSQL: the regime set and audited, the
/// documented example item table imported (a bad one refused whole), an assessment on it answered, an attestation
/// issued, and the prime's flow-down minimum "all met" met or not by it.
@Suite("Japanese standard: regime, item-table catalog, assessment and flow-down (#17 item 3)")
struct JapaneseStandardFlowTests {
    struct World: Sendable {
        let db: TekigoDatabase
        let clock: SettableClock

        func env(_ library: Library) throws -> TenantEnvironment {
            TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) })),
                              library: library, clock: clock)
        }

        func user(_ name: String, platformAdmin: Bool = false) async throws -> UserRecord {
            try await AccountStore(db).createUser(email: "\(UUID().uuidString.prefix(8))@example.jp", displayName: name, passwordHash: "x",
                                                  platformAdmin: platformAdmin)
        }

        func org(_ name: String) async throws -> TenantScope {
            let owner = try await user(name)
            let o = try await AccountStore(db).createOrganization(name: name, owner: owner.id)
            return TenantScope(organization: o, role: .owner, actor: Actor(id: owner.id, sourceIP: "192.0.2.30"),
                               store: TenantStore(db, organizationID: o.id))
        }

        func actions(_ org: String) async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org).orderBy("seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            try await body(World(db: db, clock: SettableClock(Timestamp.date("2027-02-01T00:00:00Z")!)))
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    static var example: Data {
        get throws {
            try Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("docs/examples/japanese-standard-items.example.csv"))
        }
    }

    @Test("#17 item 3: the regime is set by owners and admins only, one typed audit entry per change, none for the same value; existing organizations start as us",
          arguments: TestDatabases.engines)
    func regimeSetting(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let env = try w.env(try BuiltInLibrary.shared)
            let org = try await w.org("株式会社テスト精機")
            #expect(org.organization.regime == .us)
            let viewer = TenantScope(organization: org.organization, role: .viewer, actor: Actor(id: "viewer", sourceIP: "192.0.2.31"),
                                     store: org.store)
            await #expect(throws: OrganizationError.notAllowed) { _ = try await OrganizationUseCases(env, viewer).setRegime("japanese") }
            await #expect(throws: UnknownRegime(raw: "mars")) { _ = try await OrganizationUseCases(env, org).setRegime("mars") }
            let after = try await OrganizationUseCases(env, org).setRegime("japanese")
            #expect(after.regime == .japanese && after.version == org.organization.version + 1)
            // Read back through the membership lookup every request makes.
            #expect(try await AccountStore(w.db).membership(userID: org.actor.id, organizationID: org.organizationID)?.0.regime == .japanese)
            let again = TenantScope(organization: after, role: .owner, actor: org.actor, store: org.store)
            _ = try await OrganizationUseCases(env, again).setRegime("japanese")
            #expect(try await w.actions(org.organizationID).filter { $0.hasPrefix("organization.") } == ["organization.regime-changed"])
            #expect(try await OrganizationUseCases(env, again).regimeInEffect() == .japanese)
            #expect(try await OrganizationUseCases(env, again).terms(.ja).showsSPRS == false)
        }
    }

    @Test("#17 item 3: import example CSV → assessment → every item met → attestation → the prime's all-met minimum is met; one item not met → not met. A viewer-level user cannot import; a bad table stores nothing",
          arguments: TestDatabases.engines)
    func importAssessFlowDown(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let catalogs = CatalogUseCases(db: w.db)
            let admin = try await w.user("運用管理者", platformAdmin: true)
            let plain = try await w.user("一般利用者")
            // Not a platform administrator: refused, nothing stored.
            await #expect(throws: JobError.notPlatformAdmin) {
                _ = try await catalogs.importItemTable(try Self.example, filename: "x.csv", catalog: "atla-example", name: "例示",
                                                       by: plain, organizationID: nil, sourceIP: "192.0.2.32")
            }
            // A bad table: every problem, nothing stored.
            let bad = Data("item_id,section,title_ja,sp800_171_r2,relation\n付紙第1項,付紙第1項,題,3.1.99,equal\n付紙第1項,付紙第1項,,,\n".utf8)
            do {
                _ = try await catalogs.importItemTable(bad, filename: "bad.csv", catalog: "atla-example", name: "例示", by: admin,
                                                       organizationID: nil, sourceIP: "192.0.2.32")
                Issue.record("a bad table was imported")
            } catch let e as StandardItemTableError {
                #expect(e.problems.map { "\($0.row ?? 0):\($0.column ?? "")" } == ["2:sp800_171_r2", "3:item_id"])
            }
            #expect(try await catalogs.imports().isEmpty)
            #expect(try await SQLCatalogStore(w.db).importedMappings().isEmpty)

            let parsed = try await catalogs.importItemTable(try Self.example, filename: "japanese-standard-items.example.csv",
                                                            catalog: "atla-example", name: "防衛産業サイバーセキュリティ基準（例示）",
                                                            by: admin, organizationID: nil, sourceIP: "192.0.2.32")
            #expect(parsed.items == 4)
            let library = try await catalogs.libraryWithCustomCatalogs(try BuiltInLibrary.shared)
            let catalog = try library.catalog("atla-example")
            #expect(catalog.entries.map(\.id) == ["付紙第3項（1）ア", "付紙第3項（1）イ", "付紙第3項（2）ア", "付紙第4項（1）"])
            #expect(catalog.entries[0].title[.en].hasPrefix("(Example)"))
            #expect(library.crosswalk.mappings.filter { $0.from.catalog == "atla-example" }.count == parsed.mappings.count)
            let env = try w.env(library)

            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            _ = try await OrganizationUseCases(env, supplier).setRegime("japanese")
            let (token, _) = try await SupplierLinkUseCases(env, prime).invite(note: "", expiresInDays: nil)
            _ = try await SupplierLinkUseCases(env, supplier).accept(token: token)
            // A minimum on another organization's catalog id that does not exist: refused.
            await #expect(throws: SupplyChainRuleError.unknownCatalog("atla-other")) {
                _ = try await FlowDownUseCases(env, prime).create(RequirementTerms(
                    supplierID: supplier.organizationID, contractID: nil, catalog: "atla-other", minimum: "all-met", dueOn: "2027-03-31",
                    mustFlowDown: true))
            }
            // SPRS minimums need SP 800-171 rev2's values: refused on the item catalog.
            await #expect(throws: (any Error).self) {
                _ = try await FlowDownUseCases(env, prime).create(RequirementTerms(
                    supplierID: supplier.organizationID, contractID: nil, catalog: "atla-example", minimum: "sprs>=88", dueOn: "2027-03-31",
                    mustFlowDown: true))
            }
            _ = try await FlowDownUseCases(env, prime).create(RequirementTerms(
                supplierID: supplier.organizationID, contractID: nil, catalog: "atla-example", minimum: "all-met", dueOn: "2027-03-31",
                mustFlowDown: true))

            let assessments = AssessmentUseCases(env, supplier)
            let system = try await assessments.createSystem(name: "本社工場", boundary: "", environment: "", informationTypes: ["保護すべき情報"],
                                                            userCount: 12)
            let a = try await assessments.createAssessment(systemID: system.id, catalog: "atla-example", date: "2027-01-20", kind: nil,
                                                           assessor: "")
            let objectives = catalog.objectiveIDs.isEmpty ? [] : catalog.entries.flatMap(\.assessmentObjectives)
            #expect(objectives.count == 5)
            // A NIST objective is not one of this catalog's.
            await #expect(throws: AssessmentError.unknownObjective("3.1.1[a]", catalog: "atla-example")) {
                _ = try await assessments.putFinding(a, objective: "3.1.1[a]", status: "met", rationale: "", evidence: [], assessedBy: nil,
                                                     ifVersion: nil)
            }
            for o in objectives {
                _ = try await assessments.putFinding(a, objective: o, status: o == "付紙第4項（1）イ" ? "not-met" : "met", rationale: "確認済み",
                                                     evidence: [], assessedBy: nil, ifVersion: nil)
            }
            let attest = AttestationUseCases(env, supplier)
            _ = try await ConsentUseCases(env, supplier).grant(viewer: prime.organizationID, onward: nil)
            let first = try await attest.issue(assessmentID: a.id, detail: nil, systemScope: nil)
            #expect(try first.attestationPayload().catalog == "atla-example")
            #expect(try first.attestationPayload().sprsScore == nil)
            let notMet = try await FlowDownUseCases(env, prime).requirements(supplierID: supplier.organizationID)
            #expect(notMet.map(\.standing.kind) == [.belowMinimum])
            #expect(notMet.first?.standing.shortfalls == [.notAllMet(RequirementCounts(met: 3, notMet: 1))])

            // The last sub-item met: a new attestation meets the minimum.
            _ = try await assessments.putFinding(a, objective: "付紙第4項（1）イ", status: "met", rationale: "訓練を実施", evidence: [],
                                                 assessedBy: nil, ifVersion: nil)
            w.clock.advance(by: 60)
            _ = try await attest.issue(assessmentID: a.id, detail: nil, systemScope: nil)
            let met = try await FlowDownUseCases(env, prime).requirements(supplierID: supplier.organizationID)
            #expect(met.map(\.standing.kind) == [.current], "\(met.map(\.standing))")
            #expect(met.first?.standing.shortfalls == [])
        }
    }
}
