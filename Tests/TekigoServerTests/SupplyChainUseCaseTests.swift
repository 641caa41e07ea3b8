import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// The supply-chain use cases (TekigoUseCases/SupplyChain) called directly, as the API and the command line call them:
/// the rules that moved out of SupplierRoutes, AttestationRoutes and the `rollup` command, each test citing its rule,
/// and "now" / "today" taken from the injected clock and the organization's calendar (Asia/Tokyo unless set), never
/// from the system's clock or a UTC day. SQLite always, PostgreSQL when configured.
@Suite("Supply chain use cases: rules once, the injected clock, the organization's today")
struct SupplyChainUseCaseTests {
    /// A database, a settable clock and the environment the use cases take.
    struct World: Sendable {
        let db: TekigoDatabase
        let clock: SettableClock
        let env: TenantEnvironment

        /// A new organization (time zone Asia/Tokyo) with its owner, as `Services.member` would hand it to a use case.
        func org(_ name: String) async throws -> TenantScope {
            let accounts = AccountStore(db)
            let user = try await accounts.createUser(email: "owner-\(UUID().uuidString.prefix(8))@example.jp", displayName: name,
                                                     passwordHash: "x", platformAdmin: false)
            let o = try await accounts.createOrganization(name: name, owner: user.id)
            return TenantScope(organization: o, role: .owner, actor: Actor(id: user.id, sourceIP: "192.0.2.20"),
                               store: TenantStore(db, organizationID: o.id))
        }

        /// `customer` invites, `supplier` accepts: both through the use case.
        func link(_ customer: TenantScope, _ supplier: TenantScope) async throws {
            let (token, _) = try await SupplierLinkUseCases(env, customer).invite(note: supplier.organization.name, expiresInDays: nil)
            _ = try await SupplierLinkUseCases(env, supplier).accept(token: token)
        }

        func actions(_ org: String) async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org).orderBy("seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    static func instant(_ text: String) -> Date { Timestamp.date(text)! }

    func withWorld(_ engine: TestDatabases.Engine, at start: String, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let clock = SettableClock(Self.instant(start))
        let env = TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) })),
                                    library: try BuiltInLibrary.shared, clock: clock)
        do {
            try await body(World(db: db, clock: clock, env: env))
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func refusal(_ expected: SupplyChainRuleError, field: String?, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(expected)")
        } catch let e as SupplyChainRuleError {
            #expect(e == expected)
            #expect(e.field == field)
        } catch {
            Issue.record("expected \(expected), got \(error)")
        }
    }

    // MARK: invitations and links

    @Test("Invitations live 1–30 days, 7 unless given, counted from the injected clock; listing reads the same clock (rule: SupplierRoutes.invite's expiresInDays, moved to SupplierLinkUseCases.invite)", arguments: TestDatabases.engines)
    func invitationLifetime(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T00:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let links = SupplierLinkUseCases(w.env, prime)
            for days in [0, 31, -1] {
                await refusal(.invitationLifetime(days: days), field: "expiresInDays") {
                    _ = try await links.invite(note: "x", expiresInDays: days)
                }
            }
            #expect(SupplyChainRuleError.invitationLifetime(days: 0).description == "expiresInDays must be 1–30 (default 7).")
            let (_, r) = try await links.invite(note: nil, expiresInDays: nil)
            #expect(r.createdAt == Timestamp.string(Self.instant("2027-01-10T00:00:00Z")))
            #expect(r.expiresAt == Timestamp.string(Self.instant("2027-01-17T00:00:00Z")))
            let (_, long) = try await links.invite(note: "長期", expiresInDays: 30)
            #expect(long.expiresAt == Timestamp.string(Self.instant("2027-02-09T00:00:00Z")))
            #expect(try await links.invitations().count == 2)
            // Eight days on by the injected clock (the system's clock has not moved): the 7-day one has expired.
            w.clock.advance(by: 8 * 86_400)
            #expect(try await links.invitations().map(\.tokenHash) == [long.tokenHash])
            #expect(try await w.actions(prime.organizationID) == ["supplier.invited", "supplier.invited"])
        }
    }

    @Test("Accepting links the supplier and answers with the customer; the prime's roll-up is rebuilt at the customer's today in its time zone (rule: RelationshipStore.accept's UTC day, now the organization's calendar)",
          arguments: TestDatabases.engines)
    func acceptRebuildsAtOrganizationsToday(_ engine: TestDatabases.Engine) async throws {
        // 20:00 UTC on 10 January is already 11 January in Tokyo.
        try await withWorld(engine, at: "2027-01-10T20:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            let first = try await RollupUseCases(w.env, prime).view()
            #expect(first.built && first.view.asOf == Day("2027-01-11")!)
            w.clock.advance(by: 86_400)
            let (token, _) = try await SupplierLinkUseCases(w.env, prime).invite(note: "", expiresInDays: 2)
            let customer = try await SupplierLinkUseCases(w.env, supplier).accept(token: token)
            #expect(customer.id == prime.organizationID && customer.name == "元請重工株式会社")
            let after = try await RollupUseCases(w.env, prime).view()
            #expect(!after.built)
            #expect(after.view.asOf == Day("2027-01-12")!)
            #expect(after.view.totals.suppliers == 1)
            #expect(try await SupplierLinkUseCases(w.env, prime).suppliers().map(\.id) == [supplier.organizationID])
        }
    }

    // MARK: contracts

    @Test("Contract terms: the designation, then each clause by its index, then Contract's own checks (rule: SupplierRoutes' ContractBody.contract(), moved to ContractTerms.validated); contracts of a non-supplier are not found", arguments: TestDatabases.engines)
    func contractTerms(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T00:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            try await w.link(prime, supplier)
            let contracts = ContractUseCases(w.env, prime)
            await refusal(.unknownDesignation("secret"), field: "designation") {
                _ = try await contracts.create(ContractTerms(number: "C-1", designation: "secret", clauses: ["nope"], cmmcLevel: nil),
                                               supplierID: supplier.organizationID)
            }
            await refusal(.unknownClause(index: 1, clause: "nope"), field: "clauses[1]") {
                _ = try await contracts.create(ContractTerms(number: "C-1", designation: "cui", clauses: ["dfars-252.204-7012", "nope"],
                                                             cmmcLevel: nil), supplierID: supplier.organizationID)
            }
            #expect(SupplyChainRuleError.unknownClause(index: 1, clause: "nope").description.hasPrefix("Unknown clause 'nope'. Known: "))
            let terms = ContractTerms(number: "C-1", designation: "cui", clauses: [ContractClause.dfars7012.rawValue], cmmcLevel: nil)
            let c = try await contracts.create(terms, supplierID: supplier.organizationID)
            #expect(try await contracts.contracts(supplierID: supplier.organizationID).map(\.id) == [c.id])
            // The terms are checked before the version is read.
            await refusal(.unknownDesignation("x"), field: "designation") {
                _ = try await contracts.update(id: c.id, ContractTerms(number: "C-1", designation: "x", clauses: [], cmmcLevel: nil),
                                               ifVersion: { throw CancellationError() }())
            }
            await refusal(.supplierNotFound("no-such-org"), field: nil) { _ = try await contracts.contracts(supplierID: "no-such-org") }
            #expect(SupplyChainRuleError.supplierNotFound("no-such-org").missing == "Supplier no-such-org")
        }
    }

    // MARK: flow-down requirements

    @Test("Requirement terms: the supplier first, then catalog, minimum, due date; an update never changes the supplier (rules: SupplierRoutes' RequirementBody and updateRequirement, moved to FlowDownUseCases)",
          arguments: TestDatabases.engines)
    func requirementTerms(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T00:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            let other = try await w.org("有限会社ほか工業")
            try await w.link(prime, supplier)
            try await w.link(prime, other)
            let flowDown = FlowDownUseCases(w.env, prime)
            func terms(supplier: String?, catalog: String? = nil, minimum: String = "sprs>=88", due: String = "2027-03-31") -> RequirementTerms {
                RequirementTerms(supplierID: supplier, contractID: nil, catalog: catalog, minimum: minimum, dueOn: due, mustFlowDown: nil)
            }
            await refusal(.supplierRequired, field: "supplierId") { _ = try await flowDown.create(terms(supplier: nil, catalog: "nope")) }
            await refusal(.unknownCatalog("nope"), field: "catalog") {
                _ = try await flowDown.create(terms(supplier: supplier.organizationID, catalog: "nope", minimum: "bad"))
            }
            await refusal(.badMinimum("sprs>88"), field: "minimum") {
                _ = try await flowDown.create(terms(supplier: supplier.organizationID, minimum: "sprs>88", due: "bad"))
            }
            await refusal(.badDueDate("31/03/2027"), field: "dueOn") {
                _ = try await flowDown.create(terms(supplier: supplier.organizationID, due: "31/03/2027"))
            }
            let r = try await flowDown.create(terms(supplier: supplier.organizationID))
            #expect(r.listing.record.mustFlowDown == 1 && r.listing.record.catalog == "sp800-171r2")
            await refusal(.supplierFixed, field: "supplierId") {
                _ = try await flowDown.update(id: r.listing.record.id, terms(supplier: other.organizationID, catalog: "nope"), ifVersion: nil)
            }
            let updated = try await flowDown.update(id: r.listing.record.id, terms(supplier: supplier.organizationID, minimum: "all-met"),
                                                    ifVersion: 1)
            #expect(updated.listing.record.version == 2 && updated.listing.record.minimum == "all-met")
            await refusal(.requirementNotFound("nope"), field: nil) { _ = try await flowDown.requirement(id: "nope") }
            #expect(try await w.actions(prime.organizationID).filter { $0.hasPrefix("requirement.") }
                    == ["requirement.created", "requirement.updated"])
        }
    }

    @Test("A requirement's standing is judged at the organization's today, not the UTC day: due 10 January is overdue at 20:00 UTC that day, already 11 January in Tokyo (rule: the routes' standing, moved to FlowDownUseCases)",
          arguments: TestDatabases.engines)
    func standingAtOrganizationsToday(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T10:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            try await w.link(prime, supplier)
            let flowDown = FlowDownUseCases(w.env, prime)
            _ = try await flowDown.create(RequirementTerms(supplierID: supplier.organizationID, contractID: nil, catalog: nil,
                                                           minimum: "all-met", dueOn: "2027-01-10", mustFlowDown: false))
            // 19:00 in Tokyo on the due date: not yet overdue.
            let before = try await flowDown.requirements(supplierID: nil)
            #expect(before.map(\.standing.kind) == [.missing] && before.map(\.standing.overdue) == [false])
            w.clock.set(Self.instant("2027-01-10T20:00:00Z"))
            #expect(try await flowDown.requirements(supplierID: nil).map(\.standing.overdue) == [true])
            // The supplier sees the same requirement, judged the same way.
            #expect(try await FlowDownUseCases(w.env, supplier).requirementsOnMe().map(\.standing.overdue) == [true])
        }
    }

    // MARK: attestations

    @Test("Issuing: a known detail level, a system scope that is not blank, one of the organization's own assessments; issued at the injected clock (rules: AttestationRoutes.issue, moved to AttestationUseCases.issue)",
          arguments: TestDatabases.engines)
    func issuing(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T03:04:05Z") { w in
            let supplier = try await w.org("株式会社テスト精機")
            let other = try await w.org("有限会社ほか工業")
            let system = try await supplier.store.createSystem(SystemProfile(name: "本社工場"), by: supplier.actor)
            let assessment = try await supplier.store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-11-01")!,
                                                                       kind: .basic, assessor: "", by: supplier.actor)
            let attest = AttestationUseCases(w.env, supplier)
            await refusal(.badDetail("all"), field: "detail") {
                _ = try await attest.issue(assessmentID: "nope", detail: "all", systemScope: " ")
            }
            await refusal(.emptySystemScope, field: "systemScope") {
                _ = try await attest.issue(assessmentID: "nope", detail: "families", systemScope: " \n")
            }
            await refusal(.unknownAssessment("nope"), field: "assessmentId") {
                _ = try await attest.issue(assessmentID: "nope", detail: nil, systemScope: nil)
            }
            await refusal(.noCurrentAttestation, field: nil) { _ = try await attest.current() }
            let r = try await attest.issue(assessmentID: assessment.id, detail: nil, systemScope: "CUI 区画")
            #expect(r.issuedAt.hasPrefix("2027-01-10T03:04:05"))
            #expect(try r.attestationPayload().systemScope == "CUI 区画")
            #expect(try await attest.current().id == r.id)
            #expect(try await attest.publicKeys().count == 1)
            let rotated = try await attest.rotateKey()
            #expect(try await attest.publicKeys().map(\.keyID).last == rotated.keyID)
            await refusal(.attestationNotFound("nope"), field: nil) { _ = try await attest.export(id: "nope") }
            #expect(try await attest.export(id: r.id).isEmpty == false)
            // Another organization, without consent, cannot tell it exists.
            await refusal(.sharedAttestationNotFound(supplier: supplier.organizationID), field: nil) {
                _ = try await AttestationUseCases(w.env, other).shared(of: supplier.organizationID)
            }
            #expect(try await w.actions(supplier.organizationID)
                    == ["system.created", "assessment.created", "key.generated", "attestation.issued", "key.rotated"])
        }
    }

    // MARK: consent and the roll-up

    @Test("Consent through the use case refreshes the prime's roll-up at the supplier's today; withdrawing twice is refused; the roll-up is built on first read at the prime's today and only read afterwards (rules: AttestationRoutes.rollupView and the rollup command's Day(Date()), moved to RollupUseCases)",
          arguments: TestDatabases.engines)
    func consentAndRollup(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-10T16:00:00Z") { w in
            let prime = try await w.org("元請重工株式会社")
            let supplier = try await w.org("株式会社テスト精機")
            try await w.link(prime, supplier)
            let rollups = RollupUseCases(w.env, organization: prime.organization)
            let built = try await rollups.view()
            #expect(built.built && built.view.asOf == Day("2027-01-11")!)
            #expect(built.view.totals.hiddenNeedingAction == 1)
            let consent = ConsentUseCases(w.env, supplier)
            let g = try await consent.grant(viewer: prime.organizationID, onward: nil)
            #expect(g.onward == 0)
            let shown = try await rollups.view()
            #expect(!shown.built && shown.view.totals.hiddenNeedingAction == 0)
            let page = try await rollups.needsAction(shown.view, limit: 10, offset: 0)
            #expect(page.entries.map(\.organization) == [supplier.organizationID])
            #expect(try await rollups.allNeedsAction(shown.view).entries.count == 1)
            try await consent.withdraw(viewer: prime.organizationID)
            do {
                try await consent.withdraw(viewer: prime.organizationID)
                Issue.record("a second withdrawal was accepted")
            } catch let e as ConsentError {
                #expect(e == .notGranted(viewer: prime.organizationID))
            }
            #expect(try await rollups.view().view.totals.hiddenNeedingAction == 1)
            #expect(try await w.actions(supplier.organizationID).filter { $0.hasPrefix("consent.") } == ["consent.granted", "consent.revoked"])
            #expect(try await w.actions(prime.organizationID).contains("rollup.rebuilt"))
        }
    }
}
