import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

/// The stored supply chain: invitations, links, contracts and flow-down requirements (DFARS 252.204-7012(m)), on
/// SQLite and, when configured, PostgreSQL.
@Suite("Supply chain relationships: invitations, links, contracts, flow-down requirements")
struct SupplyChainRelationshipTests {
    /// One organization with its owner, as the server would act for it.
    struct Org: Sendable {
        let id: String
        let name: String
        let store: RelationshipStore
        let actor: Actor
    }

    /// A fresh, migrated database of `engine`, closed afterwards whatever happens; the audit chain must verify
    /// intact at the end of every test.
    func withDB(_ engine: TestDatabases.Engine, _ body: (TekigoDatabase) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            try await body(db)
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// An organization created the way the server creates one: a user, then the organization it owns.
    func org(_ db: TekigoDatabase, _ name: String) async throws -> Org {
        let accounts = AccountStore(db)
        let user = try await accounts.createUser(email: "owner-\(UUID().uuidString.prefix(8))@example.jp", displayName: "\(name) 管理者",
                                                 passwordHash: "x", platformAdmin: false)
        let o = try await accounts.createOrganization(name: name, owner: user.id)
        return Org(id: o.id, name: name, store: RelationshipStore(db, organizationID: o.id),
                   actor: Actor(id: user.id, sourceIP: "192.0.2.10"))
    }

    /// `customer` invites, `supplier` accepts.
    func link(_ customer: Org, _ supplier: Org) async throws {
        let (token, _) = try await customer.store.invite(note: "\(supplier.name) 様", by: customer.actor)
        try await supplier.store.accept(token: token, by: supplier.actor)
    }

    func actions(_ db: TekigoDatabase, org: String) async throws -> [String] {
        try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org).orderBy("seq").all()
            .map { try $0.decode(column: "action", as: String.self) }
    }

    func count(_ db: TekigoDatabase, _ table: String) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()!
            .decode(column: "n", as: Int.self)
    }

    static let cuiContract = try! Contract(number: "W56HZV-26-C-0001", designation: .cui, clauses: [.dfars7012, .dfars7019, .cmmc],
                                           cmmcLevel: 2)
    static let japaneseContract = try! Contract(number: "防衛-2026-017", designation: .protectedInformation,
                                                clauses: [.japaneseStandard])
    static let due = Day("2027-03-31")!

    // MARK: - Invitations

    @Test("An invitation: the token is shown once (only its SHA-256 is kept), valid 7 days, listed while open, used once",
          arguments: TestDatabases.engines)
    func invitationLifecycle(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            let other = try await org(db, "有限会社ほか工業")
            let now = Date()
            let (token, r) = try await prime.store.invite(note: "精密部品 W56HZV-26-C-0001", by: prime.actor, now: now)

            // 32 random bytes, base64url without padding; only the hash is stored.
            #expect(token.count == 43)
            #expect(token.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
            #expect(r.tokenHash == Hex.sha256(Data(token.utf8)) && r.tokenHash.count == 64)
            let stored = try await db.sql.select().columns("*").from("supplier_invitations").all()
            #expect(stored.count == 1)
            for column in ["token_hash", "customer_id", "note", "created_by", "created_at", "expires_at"] {
                #expect(try stored[0].decode(column: column, as: String.self) != token)
            }
            #expect(Timestamp.date(r.expiresAt)!.timeIntervalSince(Timestamp.date(r.createdAt)!) == 7 * 24 * 3600)
            #expect(try await prime.store.invitations().map(\.tokenHash) == [r.tokenHash])
            #expect(try await supplier.store.invitations().isEmpty)

            // Accepted by the supplier (white space from copying ignored): linked, both sides see it by name.
            let link = try await supplier.store.accept(token: " \(token)\n", by: supplier.actor)
            #expect(link.customerId == prime.id && link.supplierId == supplier.id)
            #expect(try await prime.store.suppliers().map(\.name) == ["株式会社テスト精機"])
            #expect(try await supplier.store.customers().map(\.name) == ["元請重工株式会社"])
            #expect(try await prime.store.customers().isEmpty)
            #expect(try await supplier.store.suppliers().isEmpty)
            #expect(try await prime.store.invitations().isEmpty)

            // Single use: again by the same supplier, or by anyone else.
            let againThrown = await #expect(throws: RelationshipError.self) {
                try await supplier.store.accept(token: token, by: supplier.actor)
            }
            let again = try #require(againThrown)
            guard case .invitationUsed(_, let byYou) = again else { Issue.record("\(again)"); return }
            #expect(byYou)
            let stolenThrown = await #expect(throws: RelationshipError.self) {
                try await other.store.accept(token: token, by: other.actor)
            }
            let stolen = try #require(stolenThrown)
            guard case .invitationUsed(_, false) = stolen else { Issue.record("\(stolen)"); return }
            #expect(stolen.description.contains("Ask the customer for a new invitation"))
            #expect(try await other.store.customers().isEmpty)

            #expect(try await actions(db, org: prime.id) == ["supplier.invited", "supplier.linked"])
            #expect(try await actions(db, org: supplier.id) == ["customer.linked"])
        }
    }

    @Test("Expired, wrong and revoked tokens are refused with what to do; nothing is linked", arguments: TestDatabases.engines)
    func refusedTokens(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            let now = Date()
            let (token, r) = try await prime.store.invite(note: "", by: prime.actor, now: now)

            // Eight days later: expired, and the message says when and what to do.
            let expiredThrown = await #expect(throws: RelationshipError.invitationExpired(at: r.expiresAt)) {
                try await supplier.store.accept(token: token, by: supplier.actor, now: now.addingTimeInterval(8 * 24 * 3600))
            }
            let expired = try #require(expiredThrown)
            #expect(expired.description.contains(r.expiresAt))
            #expect(expired.description.contains("Ask the customer for a new invitation"))
            // Expired invitations are no longer listed as open.
            #expect(try await prime.store.invitations(now: now.addingTimeInterval(8 * 24 * 3600)).isEmpty)

            // A one-hour invitation: fine at 59 minutes, expired at the hour.
            let (short, shortRecord) = try await prime.store.invite(note: "1h", expiresIn: 3600, by: prime.actor, now: now)
            await #expect(throws: RelationshipError.invitationExpired(at: shortRecord.expiresAt)) {
                try await supplier.store.accept(token: short, by: supplier.actor, now: now.addingTimeInterval(3600))
            }
            try await supplier.store.accept(token: short, by: supplier.actor, now: now.addingTimeInterval(3540))
            try await prime.store.removeSupplier(id: supplier.id, by: prime.actor)

            // Lifetimes outside 1 minute … 30 days, and over-long notes, are refused.
            await #expect(throws: RelationshipError.invalidLifetime(0)) { try await prime.store.invite(note: "", expiresIn: 0, by: prime.actor) }
            await #expect(throws: RelationshipError.invalidLifetime(31 * 24 * 3600)) {
                try await prime.store.invite(note: "", expiresIn: 31 * 24 * 3600, by: prime.actor)
            }
            await #expect(throws: RelationshipError.noteTooLong(501)) {
                try await prime.store.invite(note: String(repeating: "あ", count: 501), by: prime.actor)
            }

            // A wrong token (one character off, or cut short) is unknown.
            let last = token.last == "A" ? "B" : "A"
            for wrong in [String(token.dropLast()) + last, String(token.prefix(20)), ""] {
                let eThrown = await #expect(throws: RelationshipError.unknownInvitation) {
                    try await supplier.store.accept(token: wrong, by: supplier.actor)
                }
                let e = try #require(eThrown)
                #expect(e.description.contains("ask the customer for a new invitation"))
            }

            // Revoking: only the customer, only an open invitation; the token then is unknown.
            let (revoked, revokedRecord) = try await prime.store.invite(note: "取消予定", by: prime.actor)
            await #expect(throws: NotFound.self) { try await supplier.store.revokeInvitation(tokenHash: revokedRecord.tokenHash, by: supplier.actor) }
            try await prime.store.revokeInvitation(tokenHash: revokedRecord.tokenHash, by: prime.actor)
            await #expect(throws: RelationshipError.unknownInvitation) { try await supplier.store.accept(token: revoked, by: supplier.actor) }
            await #expect(throws: NotFound.self) { try await prime.store.revokeInvitation(tokenHash: revokedRecord.tokenHash, by: prime.actor) }

            #expect(try await count(db, "supplier_links") == 0)
            #expect(try await actions(db, org: prime.id) == ["supplier.invited", "supplier.invited", "supplier.linked", "supplier.removed",
                                                             "supplier.invited", "supplier.invitation-revoked"])
        }
    }

    @Test("Self-links and duplicate links are refused; the refused invitation stays open", arguments: TestDatabases.engines)
    func selfAndDuplicate(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")

            let (own, ownRecord) = try await prime.store.invite(note: "", by: prime.actor)
            let eThrown = await #expect(throws: RelationshipError.ownInvitation) {
                try await prime.store.accept(token: own, by: prime.actor)
            }
            let e = try #require(eThrown)
            #expect(e.description.contains("cannot be its own supplier"))
            #expect(try await prime.store.invitations().map(\.tokenHash) == [ownRecord.tokenHash])

            try await link(prime, supplier)
            let (second, _) = try await prime.store.invite(note: "二通目", by: prime.actor)
            let dupThrown = await #expect(throws: RelationshipError.alreadyLinked(customer: "元請重工株式会社")) {
                try await supplier.store.accept(token: second, by: supplier.actor)
            }
            let dup = try #require(dupThrown)
            #expect(dup.description.contains("already a supplier of 元請重工株式会社"))
            #expect(try await prime.store.invitations().count == 2)  // the refused one is still open, to revoke
            #expect(try await prime.store.graph().edges == [SupplyEdge(customer: prime.id, supplier: supplier.id)])
        }
    }

    @Test("A link that would close a cycle is refused and the cycle named, hiding organizations the acceptor may not see",
          arguments: TestDatabases.engines)
    func cycleRefused(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let a = try await org(db, "A社")
            let b = try await org(db, "B社")
            let c = try await org(db, "C社")
            let d = try await org(db, "D社")
            try await link(a, b)  // A → B
            try await link(b, c)  // B → C

            // C invites A; A accepting would make C → A → B → C. A sees all three (customer, itself, its supplier).
            let (token, _) = try await c.store.invite(note: "", by: c.actor)
            let eThrown = await #expect(throws: RelationshipError.wouldCloseCycle(path: ["C社", "A社", "B社", "C社"])) {
                try await a.store.accept(token: token, by: a.actor)
            }
            let e = try #require(eThrown)
            #expect(e.description.contains("C社 → A社 → B社 → C社"))
            #expect(try await c.store.invitations().count == 1)

            // Longer: C → D, then D invites A: D → A → B → C → D. C is two tiers below A, not visible to it…
            try await link(c, d)
            let (token2, _) = try await d.store.invite(note: "", by: d.actor)
            await #expect(throws: RelationshipError.wouldCloseCycle(path: ["D社", "A社", "B社", RelationshipStore.hiddenOrganization, "D社"])) {
                try await a.store.accept(token: token2, by: a.actor)
            }
            // … until C consents to A seeing it.
            try await db.sql.insert(into: "consent_grants").columns("supplier_id", "viewer_id", "onward", "granted_at", "granted_by")
                .values(SQLBind(c.id), SQLBind(a.id), SQLBind(0), SQLBind(Timestamp.now()), SQLBind(c.actor.id)).run()
            await #expect(throws: RelationshipError.wouldCloseCycle(path: ["D社", "A社", "B社", "C社", "D社"])) {
                try await a.store.accept(token: token2, by: a.actor)
            }

            // Nothing changed: the graph is still A → B → C → D, acyclic.
            #expect(try await a.store.graph().edges.count == 3)
            #expect(try await a.store.tiers(fromPrime: a.id) == [a.id: 0, b.id: 1, c.id: 2, d.id: 3])
        }
    }

    @Test("Concurrent acceptances that together would close a cycle: exactly one wins", arguments: TestDatabases.engines)
    func concurrentAcceptances(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let a = try await org(db, "A社")
            let b = try await org(db, "B社")
            let (ab, _) = try await a.store.invite(note: "", by: a.actor)
            let (ba, _) = try await b.store.invite(note: "", by: b.actor)
            async let first: Bool = (try? await b.store.accept(token: ab, by: b.actor)) != nil
            async let second: Bool = (try? await a.store.accept(token: ba, by: a.actor)) != nil
            let wins = await [first, second].filter { $0 }.count
            #expect(wins == 1)
            #expect(try await a.store.graph().edges.count == 1)
        }
    }

    // MARK: - Links and tiers

    @Test("Tiers are derived through three levels; the shortest path counts", arguments: TestDatabases.engines)
    func tiersThroughThreeLevels(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let t1 = try await org(db, "一次精機株式会社")
            let x = try await org(db, "一次電子株式会社")
            let t2 = try await org(db, "二次加工株式会社")
            let t3 = try await org(db, "三次鍍金有限会社")
            try await link(prime, t1)
            try await link(prime, x)
            try await link(t1, t2)
            try await link(x, t2)   // t2 reachable along two paths, both tier 2
            try await link(t2, t3)

            #expect(try await prime.store.tiers(fromPrime: prime.id) == [prime.id: 0, t1.id: 1, x.id: 1, t2.id: 2, t3.id: 3])
            #expect(try await prime.store.tiers(fromPrime: t1.id) == [t1.id: 0, t2.id: 1, t3.id: 2])
            let graph = try await t3.store.graph()
            #expect(graph.edges.count == 5 && graph.primes == [prime.id])
            #expect(try await prime.store.suppliers().map(\.name) == ["一次精機株式会社", "一次電子株式会社"])
            #expect(try await t2.store.customers().map(\.name) == ["一次精機株式会社", "一次電子株式会社"])
            #expect(try await t2.store.suppliers().map(\.id) == [t3.id])

            // A tier-1 supplier added directly to t3 makes it tier 1.
            try await link(prime, t3)
            #expect(try await prime.store.tiers(fromPrime: prime.id)[t3.id] == 1)
        }
    }

    // MARK: - Contracts

    @Test("Contracts: validated by Contract, stored as designation + JSON clauses, versioned, unique per link, audited",
          arguments: TestDatabases.engines)
    func contracts(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            let stranger = try await org(db, "無関係株式会社")
            try await link(prime, supplier)

            // Validation is Contract's: CUI without 7012 cannot even be built (DFARS 252.204-7012(b)(2)).
            #expect(throws: SupplyChainError.cuiWithoutDFARS7012(contract: "X-1")) {
                try Contract(number: "X-1", designation: .cui, clauses: [.dfars7019])
            }

            let c = try await prime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: prime.actor)
            #expect(c.version == 1 && c.designation == "cui")
            #expect(c.clauses == #"["dfars-252.204-7012","dfars-252.204-7019","cmmc"]"#)
            #expect(try c.contract() == Self.cuiContract)
            let j = try await prime.store.createContract(Self.japaneseContract, supplierID: supplier.id, by: prime.actor)
            #expect(try j.contract() == Self.japaneseContract && j.cmmcLevel == nil)
            #expect(try await prime.store.contracts().map(\.number) == ["W56HZV-26-C-0001", "防衛-2026-017"].sorted())
            #expect(try await prime.store.contracts(supplierID: supplier.id).count == 2)
            #expect(try await prime.store.contract(id: c.id) == c)

            // Only on an existing link, and numbers are unique per link.
            await #expect(throws: RelationshipError.notLinked(supplier: stranger.id)) {
                try await prime.store.createContract(Self.cuiContract, supplierID: stranger.id, by: prime.actor)
            }
            await #expect(throws: RelationshipError.duplicateContractNumber("W56HZV-26-C-0001")) {
                try await prime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: prime.actor)
            }

            // Update with the version read; a stale version is refused and changes nothing.
            let raised = try Contract(number: "W56HZV-26-C-0001", designation: .both, clauses: [.dfars7012, .cmmc, .japaneseStandard],
                                      cmmcLevel: 3)
            let c2 = try await prime.store.updateContract(id: c.id, raised, ifVersion: 1, by: prime.actor)
            #expect(c2.version == 2 && c2.createdAt == c.createdAt)
            await #expect(throws: VersionConflict(current: 2)) {
                try await prime.store.updateContract(id: c.id, Self.cuiContract, ifVersion: 1, by: prime.actor)
            }
            #expect(try await prime.store.contract(id: c.id)?.contract() == raised)
            await #expect(throws: RelationshipError.duplicateContractNumber("防衛-2026-017")) {
                try await prime.store.updateContract(id: c.id, Self.japaneseContract, ifVersion: 2, by: prime.actor)
            }

            // Deleting takes the requirements tied to it along, in one audited change.
            let tied = try await prime.store.createRequirement(supplierID: supplier.id, contractID: j.id, catalog: "sp800-171r3",
                                                               minimum: .allMet, due: Self.due, by: prime.actor)
            await #expect(throws: VersionConflict(current: 1)) { try await prime.store.deleteContract(id: j.id, ifVersion: 7, by: prime.actor) }
            try await prime.store.deleteContract(id: j.id, ifVersion: 1, by: prime.actor)
            #expect(try await prime.store.requirement(id: tied.id) == nil)
            #expect(try await prime.store.contracts().map(\.id) == [c.id])
            await #expect(throws: NotFound.self) { try await prime.store.deleteContract(id: j.id, by: prime.actor) }

            #expect(try await actions(db, org: prime.id) == [
                "supplier.invited", "supplier.linked", "contract.created", "contract.created", "contract.updated",
                "requirement.created", "contract.deleted",
            ])
        }
    }

    // MARK: - Flow-down requirements

    @Test("A minimum is stored as stable text that reads back to the same value, and nothing else reads")
    func minimumStoredText() throws {
        let cases: [(FlowDownRequirement.Minimum, String)] = [
            (.sprsAtLeast(88), "sprs>=88"), (.sprsAtLeast(110), "sprs>=110"), (.sprsAtLeast(0), "sprs>=0"),
            (.sprsAtLeast(-203), "sprs>=-203"), (.allMet, "all-met"), (.cmmcLevel2, "cmmc-l2"),
        ]
        for (m, text) in cases {
            #expect(m.storedText == text)
            #expect(FlowDownRequirement.Minimum(storedText: text) == m)
        }
        for bad in ["", "sprs>=", "sprs>=+88", "sprs>=088", "sprs>= 88", "SPRS>=88", "sprs>88", "sprs>=8.8", "cmmc-l3", "all met", "-0"] {
            #expect(FlowDownRequirement.Minimum(storedText: bad) == nil, "\(bad)")
        }
        #expect(FlowDownRequirement.Minimum(storedText: "sprs>=-0") == nil)  // "-0" is not how 0 is written
    }

    @Test("Requirements (DFARS 252.204-7012(m)): set per supplier, optionally on a contract, versioned; the supplier sees every customer's in one list",
          arguments: TestDatabases.engines)
    func requirements(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let otherPrime = try await org(db, "別元請航空株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            try await link(prime, supplier)
            try await link(otherPrime, supplier)
            let c = try await prime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: prime.actor)
            let foreign = try await otherPrime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: otherPrime.actor)

            let r = try await prime.store.createRequirement(supplierID: supplier.id, contractID: c.id, minimum: .sprsAtLeast(88),
                                                            due: Self.due, by: prime.actor)
            #expect(r.minimum == "sprs>=88" && r.catalog == "sp800-171r2" && r.mustFlowDown == 1 && r.dueOn == "2027-03-31")
            let r2 = try await otherPrime.store.createRequirement(supplierID: supplier.id, minimum: .cmmcLevel2, due: Self.due,
                                                                  mustFlowDown: false, by: otherPrime.actor)

            // The domain's checks apply: SPRS minimums need SP 800-171 rev2; scores stay in −203…110.
            await #expect(throws: SupplyChainError.minimumNeedsSPRSCatalog(minimum: FlowDownRequirement.Minimum.sprsAtLeast(88).text(.en),
                                                                           catalog: "sp800-171r3")) {
                try await prime.store.createRequirement(supplierID: supplier.id, catalog: "sp800-171r3", minimum: .sprsAtLeast(88),
                                                        due: Self.due, by: prime.actor)
            }
            await #expect(throws: SupplyChainError.sprsMinimumOutOfRange(111)) {
                try await prime.store.createRequirement(supplierID: supplier.id, minimum: .sprsAtLeast(111), due: Self.due, by: prime.actor)
            }
            // A contract of another customer (same supplier) cannot carry this customer's requirement.
            await #expect(throws: RelationshipError.contractNotOnLink(contract: foreign.id)) {
                try await prime.store.createRequirement(supplierID: supplier.id, contractID: foreign.id, minimum: .allMet,
                                                        due: Self.due, by: prime.actor)
            }

            // The customer's view, with names and the contract number; reads back as the domain value.
            let mine = try await prime.store.requirements()
            #expect(mine.map(\.record.id) == [r.id])
            let listing = try #require(mine.first)
            #expect(listing.customerName == "元請重工株式会社" && listing.supplierName == "株式会社テスト精機")
            #expect(listing.contractNumber == "W56HZV-26-C-0001")
            #expect(try listing.requirement() == FlowDownRequirement(edge: SupplyEdge(customer: prime.id, supplier: supplier.id),
                                                                     contract: "W56HZV-26-C-0001", minimum: .sprsAtLeast(88),
                                                                     due: Self.due, mustFlowDown: true))
            #expect(try await prime.store.requirements(supplierID: supplier.id).count == 1)

            // The supplier's view: everything every customer requires of it, in one list, by customer name.
            let onMe = try await supplier.store.requirementsOnMe()
            #expect(onMe.map(\.customerName) == ["元請重工株式会社", "別元請航空株式会社"])
            #expect(onMe.map(\.record.id) == [r.id, r2.id])
            #expect(try onMe[1].requirement().minimum == .cmmcLevel2 && onMe[1].contractNumber == nil)
            #expect(try await prime.store.requirementsOnMe().isEmpty)

            // Update with the version read (untie from the contract, raise the bar); stale versions change nothing.
            let u = try await prime.store.updateRequirement(id: r.id, contractID: nil, catalog: .sp800171r2, minimum: .sprsAtLeast(110),
                                                            due: Self.due, mustFlowDown: true, ifVersion: 1, by: prime.actor)
            #expect(u.version == 2 && u.contractId == nil && u.minimum == "sprs>=110")
            await #expect(throws: VersionConflict(current: 2)) {
                try await prime.store.updateRequirement(id: r.id, contractID: c.id, catalog: .sp800171r2, minimum: .sprsAtLeast(70),
                                                        due: Self.due, mustFlowDown: true, ifVersion: 1, by: prime.actor)
            }
            #expect(try await prime.store.requirement(id: r.id)?.record == u)
            await #expect(throws: VersionConflict(current: 2)) { try await prime.store.deleteRequirement(id: r.id, ifVersion: 1, by: prime.actor) }
            try await prime.store.deleteRequirement(id: r.id, ifVersion: 2, by: prime.actor)
            #expect(try await supplier.store.requirementsOnMe().map(\.record.id) == [r2.id])

            #expect(try await actions(db, org: prime.id) == [
                "supplier.invited", "supplier.linked", "contract.created", "requirement.created", "requirement.updated",
                "requirement.deleted",
            ])
        }
    }

    // MARK: - Isolation

    @Test("A supplier cannot see or edit its customer's other suppliers' contracts or requirements", arguments: TestDatabases.engines)
    func tenantIsolation(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let b = try await org(db, "株式会社テスト精機")
            let d = try await org(db, "競合精工株式会社")
            let bSupplier = try await org(db, "二次加工株式会社")
            try await link(prime, b)
            try await link(prime, d)
            try await link(b, bSupplier)
            let dContract = try await prime.store.createContract(Self.cuiContract, supplierID: d.id, by: prime.actor)
            let dReq = try await prime.store.createRequirement(supplierID: d.id, contractID: dContract.id, minimum: .sprsAtLeast(88),
                                                               due: Self.due, by: prime.actor)
            let bReq = try await prime.store.createRequirement(supplierID: b.id, minimum: .allMet, due: Self.due, by: prime.actor)
            let (_, primeInvitationRecord) = try await prime.store.invite(note: "未使用", by: prime.actor)

            // Reading: B sees only what is about itself.
            #expect(try await b.store.contracts().isEmpty)
            #expect(try await b.store.contracts(supplierID: d.id).isEmpty)
            #expect(try await b.store.contract(id: dContract.id) == nil)
            #expect(try await b.store.requirement(id: dReq.id) == nil)
            #expect(try await b.store.requirements(supplierID: d.id).isEmpty)
            #expect(try await b.store.requirementsOnMe().map(\.record.id) == [bReq.id])
            #expect(try await b.store.customers().map(\.name) == ["元請重工株式会社"])
            #expect(try await b.store.suppliers().map(\.id) == [bSupplier.id])
            #expect(try await b.store.invitations().isEmpty)

            // Writing: every attempt at someone else's rows is NotFound / notLinked, and changes nothing.
            await #expect(throws: NotFound.self) {
                try await b.store.updateContract(id: dContract.id, Self.japaneseContract, ifVersion: nil, by: b.actor)
            }
            await #expect(throws: NotFound.self) { try await b.store.deleteContract(id: dContract.id, by: b.actor) }
            await #expect(throws: NotFound.self) {
                try await b.store.updateRequirement(id: dReq.id, contractID: nil, catalog: .sp800171r2, minimum: .sprsAtLeast(-203),
                                                    due: Self.due, mustFlowDown: false, ifVersion: nil, by: b.actor)
            }
            await #expect(throws: NotFound.self) { try await b.store.deleteRequirement(id: dReq.id, by: b.actor) }
            // B's requirement on me was set by the prime: B cannot edit it either.
            await #expect(throws: NotFound.self) { try await b.store.deleteRequirement(id: bReq.id, by: b.actor) }
            await #expect(throws: RelationshipError.notLinked(supplier: d.id)) {
                try await b.store.createContract(Self.cuiContract, supplierID: d.id, by: b.actor)
            }
            await #expect(throws: RelationshipError.notLinked(supplier: d.id)) {
                try await b.store.createRequirement(supplierID: d.id, minimum: .allMet, due: Self.due, by: b.actor)
            }
            await #expect(throws: RelationshipError.notLinked(supplier: d.id)) { try await b.store.removeSupplier(id: d.id, by: b.actor) }
            await #expect(throws: RelationshipError.notLinked(supplier: b.id)) { try await b.store.removeSupplier(id: b.id, by: b.actor) }
            // Nor can B flow its own requirement down under the prime's contract with D.
            await #expect(throws: RelationshipError.contractNotOnLink(contract: dContract.id)) {
                try await b.store.createRequirement(supplierID: bSupplier.id, contractID: dContract.id, minimum: .allMet, due: Self.due,
                                                    by: b.actor)
            }
            await #expect(throws: NotFound.self) {
                try await b.store.revokeInvitation(tokenHash: primeInvitationRecord.tokenHash, by: b.actor)
            }

            // Everything of the prime's is as it was.
            #expect(try await prime.store.contract(id: dContract.id) == dContract)
            #expect(try await prime.store.requirement(id: dReq.id)?.record == dReq)
            #expect(try await prime.store.requirements().count == 2)
            #expect(try await prime.store.invitations().count == 1)
            #expect(try await actions(db, org: b.id) == ["customer.linked", "supplier.invited", "supplier.linked"])
        }
    }

    // MARK: - Concurrency and removal

    @Test("Version conflicts lose nothing: of two writers holding the same version, exactly one wins", arguments: TestDatabases.engines)
    func versionConflicts(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            try await link(prime, supplier)
            let c = try await prime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: prime.actor)
            let r = try await prime.store.createRequirement(supplierID: supplier.id, minimum: .sprsAtLeast(70), due: Self.due, by: prime.actor)

            let numbers = ["W56HZV-26-C-0001-A", "W56HZV-26-C-0001-B"]
            let store = prime.store, actor = prime.actor
            let contractResults = await withTaskGroup(of: String?.self) { group in
                for n in numbers {
                    group.addTask {
                        let next = try! Contract(number: n, designation: .cui, clauses: [.dfars7012])
                        return (try? await store.updateContract(id: c.id, next, ifVersion: 1, by: actor))?.number
                    }
                }
                return await group.reduce(into: [String]()) { if let n = $1 { $0.append(n) } }
            }
            #expect(contractResults.count == 1)
            let stored = try #require(try await prime.store.contract(id: c.id))
            #expect(stored.version == 2 && [stored.number] == contractResults)

            let minimums: [FlowDownRequirement.Minimum] = [.sprsAtLeast(88), .cmmcLevel2]
            let requirementResults = await withTaskGroup(of: String?.self) { group in
                for m in minimums {
                    group.addTask {
                        (try? await store.updateRequirement(id: r.id, contractID: nil, catalog: .sp800171r2, minimum: m, due: Self.due,
                                                            mustFlowDown: true, ifVersion: 1, by: actor))?.minimum
                    }
                }
                return await group.reduce(into: [String]()) { if let m = $1 { $0.append(m) } }
            }
            #expect(requirementResults.count == 1)
            let storedReq = try #require(try await prime.store.requirement(id: r.id)?.record)
            #expect(storedReq.version == 2 && [storedReq.minimum] == requirementResults)

            // The loser, retrying with what it read, is told the current version and can then succeed.
            let conflictThrown = await #expect(throws: VersionConflict.self) {
                try await prime.store.updateRequirement(id: r.id, contractID: nil, catalog: .sp800171r2, minimum: .allMet, due: Self.due,
                                                        mustFlowDown: true, ifVersion: 1, by: prime.actor)
            }
            let conflict = try #require(conflictThrown)
            #expect(conflict.current == 2)
            let retried = try await prime.store.updateRequirement(id: r.id, contractID: nil, catalog: .sp800171r2, minimum: .allMet,
                                                                  due: Self.due, mustFlowDown: true, ifVersion: conflict.current,
                                                                  by: prime.actor)
            #expect(retried.version == 3)
            // One audit entry per successful write, none for the losers.
            #expect(try await actions(db, org: prime.id).filter { $0.hasSuffix(".updated") }.count == 3)
        }
    }

    @Test("Removing a supplier removes its contracts and requirements in one audited change; it can be invited again",
          arguments: TestDatabases.engines)
    func removeSupplier(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let prime = try await org(db, "元請重工株式会社")
            let supplier = try await org(db, "株式会社テスト精機")
            let keep = try await org(db, "一次電子株式会社")
            try await link(prime, supplier)
            try await link(prime, keep)
            let c = try await prime.store.createContract(Self.cuiContract, supplierID: supplier.id, by: prime.actor)
            _ = try await prime.store.createRequirement(supplierID: supplier.id, contractID: c.id, minimum: .cmmcLevel2, due: Self.due,
                                                        by: prime.actor)
            _ = try await prime.store.createRequirement(supplierID: supplier.id, minimum: .allMet, due: Self.due, by: prime.actor)
            let kept = try await prime.store.createRequirement(supplierID: keep.id, minimum: .allMet, due: Self.due, by: prime.actor)

            try await prime.store.removeSupplier(id: supplier.id, by: prime.actor)
            #expect(try await prime.store.suppliers().map(\.id) == [keep.id])
            #expect(try await supplier.store.customers().isEmpty)
            #expect(try await supplier.store.requirementsOnMe().isEmpty)
            #expect(try await prime.store.contracts().isEmpty)
            #expect(try await prime.store.requirements().map(\.record.id) == [kept.id])
            #expect(try await count(db, "contracts") == 0)
            #expect(try await count(db, "flow_down_requirements") == 1)
            #expect(try await prime.store.graph().edges == [SupplyEdge(customer: prime.id, supplier: keep.id)])
            #expect(try await actions(db, org: prime.id).last == "supplier.removed")
            #expect(try await actions(db, org: supplier.id) == ["customer.linked", "customer.removed"])

            try await link(prime, supplier)
            #expect(try await prime.store.suppliers().count == 2)
        }
    }
}
