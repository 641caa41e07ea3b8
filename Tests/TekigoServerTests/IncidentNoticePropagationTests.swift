import Foundation
import SQLKit
import Testing
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// Incident notices up the chain (issue 13 item 4; DFARS 252.204-7012(m)(2), 48 CFR 204.7302(b)), through the use
/// cases as the API and pages call them: a tier-3 supplier's DoD report number reaches the prime through three tiers,
/// each layer signed and verifiable offline; only customers on affected contracts (and, above, on 7012 contracts) hear
/// of it; the prime names the reporting supplier only under consent; the acknowledgement travels back down; a notice
/// that does not verify is refused and changes nothing. SQLite always, PostgreSQL when configured.
@Suite("Incident notices: three tiers to the prime, the consent boundary, acknowledgements, refused tampering")
struct IncidentNoticePropagationTests {
    struct World: Sendable {
        let db: TekigoDatabase
        let clock: SettableClock
        let env: TenantEnvironment

        func org(_ name: String) async throws -> TenantScope {
            let owner = try await AccountStore(db).createUser(email: "\(UUID().uuidString.prefix(8))@example.jp", displayName: name,
                                                              passwordHash: "x", platformAdmin: false)
            let o = try await AccountStore(db).createOrganization(name: name, cageCodes: ["1ABC2"], owner: owner.id)
            return TenantScope(organization: o, role: .owner, actor: Actor(id: owner.id, sourceIP: "192.0.2.40"),
                               store: TenantStore(db, organizationID: o.id))
        }

        /// `customer` links `supplier` (if not yet) and records a contract; returns its id.
        func contract(_ customer: TenantScope, _ supplier: TenantScope, _ number: String, clauses: [String]) async throws -> String {
            let links = SupplierLinkUseCases(env, customer)
            if try await !links.suppliers().contains(where: { $0.id == supplier.organizationID }) {
                let (token, _) = try await links.invite(note: supplier.organization.name, expiresInDays: nil)
                _ = try await SupplierLinkUseCases(env, supplier).accept(token: token)
            }
            let designation = clauses.contains("japanese-standard") ? "protected-information" : "cui"
            return try await ContractUseCases(env, customer).create(ContractTerms(number: number, designation: designation, clauses: clauses,
                                                                                  cmmcLevel: nil),
                                                                    supplierID: supplier.organizationID).id
        }

        func received(_ org: TenantScope) async throws -> [ReceivedNotice] {
            try await IncidentNoticeQueries(env, org).received(limit: 500).notices
        }

        func noticeCount() async throws -> Int {
            try await db.sql.raw("SELECT COUNT(*) AS n FROM incident_notices").first()!.decode(column: "n", as: Int.self)
        }

        func actions(_ org: String) async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org).orderBy("seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    /// prime ← tier1 ← tier2 ← tier3 (reports), with a sibling of tier3 under tier2, a customer of tier1 on a contract
    /// without DFARS 7012, and another supplier of the prime.
    struct Chain {
        let prime, tier1, tier2, tier3, sibling, other, nonDFARSCustomer: TenantScope
        let incidentID: String
    }

    static let dfars = ["dfars-252.204-7012"]
    static func instant(_ text: String) -> Date { try! OffsetInstant.parse(text).date }

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let clock = SettableClock(Self.instant("2027-01-08T09:00:00+09:00"))
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

    func chain(_ w: World) async throws -> Chain {
        let prime = try await w.org("元請重工株式会社")
        let tier1 = try await w.org("一次精密株式会社")
        let tier2 = try await w.org("二次加工株式会社")
        let tier3 = try await w.org("三次部品有限会社")
        let sibling = try await w.org("兄弟工業株式会社")
        let other = try await w.org("別系統電子株式会社")
        let nonDFARS = try await w.org("国内商社株式会社")
        _ = try await w.contract(prime, tier1, "P-T1-7012", clauses: Self.dfars)
        _ = try await w.contract(prime, other, "P-OT-7012", clauses: Self.dfars)
        _ = try await w.contract(nonDFARS, tier1, "N-T1-JP", clauses: ["japanese-standard"])
        _ = try await w.contract(tier1, tier2, "T1-T2-7012", clauses: Self.dfars)
        _ = try await w.contract(tier2, sibling, "T2-SB-7012", clauses: Self.dfars)
        let affected = try await w.contract(tier2, tier3, "T2-T3-A", clauses: Self.dfars)
        _ = try await w.contract(tier2, tier3, "T2-T3-B", clauses: Self.dfars)
        let d = try await IncidentUseCases(w.env, tier3).open(IncidentDraft(
            title: "NC 加工機端末のランサムウェア感染", discoveredAt: "2027-01-08T02:13:00+09:00", discoveredTimeZone: "Asia/Tokyo",
            discoveredBy: "製造課 佐藤", detectionMethod: "message-from-attacker", compromiseType: "unauthorized-access",
            outcome: "successful-compromise", narrative: "社外秘の詳細", contractIDs: [affected]))
        return Chain(prime: prime, tier1: tier1, tier2: tier2, tier3: tier3, sibling: sibling, other: other, nonDFARSCustomer: nonDFARS,
                     incidentID: d.id)
    }

    func report(_ w: World, _ c: Chain, number: String = "ICF-2027-000123") async throws {
        _ = try await IncidentUseCases(w.env, c.tier3).recordSubmission(id: c.incidentID, kind: "dod-initial",
                                                                        submittedAt: "2027-01-08T08:30:00+09:00",
                                                                        channel: "DC3 portal", reportNumber: number)
    }

    // MARK: propagation

    @Test("DFARS 204.7302(b): a tier-3 supplier's report number reaches the prime through three tiers, each layer signed by its tier and verifiable offline; each tier is told only its own contracts; the tell-customer clock is met", arguments: TestDatabases.engines)
    func threeTiers(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await report(w, c)
            let result = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            #expect(result.sent.map(\.recipientId) == [c.tier2.organizationID])
            #expect(Set(result.forwarded.map(\.recipientId)) == [c.tier1.organizationID, c.prime.organizationID])

            let atTier2 = try await w.received(c.tier2), atTier1 = try await w.received(c.tier1), atPrime = try await w.received(c.prime)
            #expect(atTier2.map(\.tier) == [1])
            #expect(atTier2.first?.record.contractNumbers == ["T2-T3-A"], "only the affected contract, not T2-T3-B")
            #expect(atTier1.map(\.tier) == [2])
            #expect(atTier1.first?.record.contractNumbers == ["T1-T2-7012"])
            #expect(atPrime.map(\.tier) == [3])
            #expect(atPrime.first?.record.contractNumbers == ["P-T1-7012"])
            let n = try #require(atPrime.first)
            #expect(n.report.reportNumber == "ICF-2027-000123")
            #expect(n.report.discoveredDate == Self.instant("2027-01-08T02:13:00+09:00"))
            #expect(n.report.submittedDate == Self.instant("2027-01-08T08:30:00+09:00"))
            #expect(n.record.state == .top, "the prime holds no 7012 contract above it")
            #expect(atTier1.first?.record.state == .forwarded)
            // The 72-hour clock as the prime sees it: met by the initial report, from the sent dates only.
            let clock = try #require(n.deadlines.first { $0.rule.id == "dfars-7012.report" })
            #expect(clock.state == .met(at: Self.instant("2027-01-08T08:30:00+09:00"), late: false))

            // Offline: the prime's file verifies, every layer against the keys its signer publishes.
            let file = try await IncidentNoticeQueries(w.env, c.prime).file(id: n.record.id)
            var trusted: [String: [String]] = [:]
            for o in [c.tier3, c.tier2, c.tier1] {
                trusted[o.organizationID] = try await OrganizationKeys(w.db, organizationID: o.organizationID, evidenceKey: w.env.evidence.key)
                    .publicKeys(of: o.organizationID).map(\.publicKey)
            }
            guard case .success(let v) = IncidentNoticeVerifier.verify(data: file, trustedKeys: trusted) else {
                Issue.record("the prime's notice does not verify")
                return
            }
            #expect(v.layers.map(\.sender) == [c.tier3.organizationID, c.tier2.organizationID, c.tier1.organizationID])
            #expect(v.payload.report.reportNumber == "ICF-2027-000123")
            // A key the signer does not publish is not trusted.
            trusted[c.tier2.organizationID] = trusted[c.tier1.organizationID]
            if case .success = IncidentNoticeVerifier.verify(data: file, trustedKeys: trusted) { Issue.record("a foreign key was trusted") }

            // Telling the customer meets the tell-customer clock.
            let dossier = try await IncidentQueries(w.env, c.tier3).dossier(id: c.incidentID)
            let tell = try #require(dossier.deadlines.first { $0.rule.id == "dfars-7012.tell-customer" })
            if case .met = tell.state {} else { Issue.record("tell-customer clock: \(tell.state)") }
            #expect(dossier.submissions.contains { $0.kind == SubmissionKind.customerNotice.rawValue })

            // Audited in each organization's own log.
            #expect(try await w.actions(c.tier3.organizationID).contains(AuditAction.incidentNoticeSent.rawValue))
            #expect(try await w.actions(c.tier2.organizationID).contains(AuditAction.incidentNoticeForwarded.rawValue))
            #expect(try await w.actions(c.prime.organizationID).contains(AuditAction.incidentNoticeReceived.rawValue))

            // Sending again tells nobody twice.
            await #expect(throws: IncidentNoticeError.nothingToSend) {
                _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            }
        }
    }

    @Test("Suppliers not on an affected contract learn nothing: the sibling under tier 2, the prime's other supplier and tier 1's customer on a contract without DFARS 252.204-7012 get no notice", arguments: TestDatabases.engines)
    func boundary(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await report(w, c)
            _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            #expect(try await w.received(c.sibling).isEmpty)
            #expect(try await w.received(c.other).isEmpty)
            #expect(try await w.received(c.nonDFARSCustomer).isEmpty)
            #expect(try await w.received(c.tier3).isEmpty)
            #expect(try await w.noticeCount() == 3)
            for o in [c.sibling, c.other, c.nonDFARSCustomer] {
                #expect(try await !w.actions(o.organizationID).contains { $0.hasPrefix("incident.notice") })
            }
        }
    }

    @Test("The prime names the reporting supplier only as consent allows (DetailVisibility); the fields the supplier did not tick are not in the notice (default minimal)", arguments: TestDatabases.engines)
    func consentAndMinimal(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await report(w, c)
            _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID, include: [.outcome])
            var n = try #require(try await w.received(c.prime).first)
            #expect(n.origin == NoticeParty(id: nil, name: nil), "no consent: the tier-3 supplier is neither named nor identified")
            #expect(n.sender == NoticeParty(id: c.tier1.organizationID, name: c.tier1.organization.name), "the direct supplier is")
            #expect(n.report.outcome == "successful-compromise")
            #expect(n.report.title == nil && n.report.narrative == nil && n.report.compromiseType == nil && n.report.phase == nil)
            #expect(!String(decoding: try await IncidentNoticeQueries(w.env, c.prime).file(id: n.record.id), as: UTF8.self)
                .contains(c.tier3.organization.name), "the signed file names organizations by id only")
            let (_, layers) = try await IncidentNoticeQueries(w.env, c.prime).received(id: n.record.id)
            #expect(layers.map(\.sender.isNamed) == [false, false, true])

            // Tier 3 lets the prime see it: now named. Tier 2 stays unnamed (it gave no consent).
            _ = try await ConsentUseCases(w.env, c.tier3).grant(viewer: c.prime.organizationID, onward: false)
            n = try #require(try await w.received(c.prime).first)
            #expect(n.origin == NoticeParty(id: c.tier3.organizationID, name: c.tier3.organization.name))
            let (_, after) = try await IncidentNoticeQueries(w.env, c.prime).received(id: n.record.id)
            #expect(after.map(\.sender.isNamed) == [true, false, true])
        }
    }

    @Test("The prime's acknowledgement is audited and travels back down: tier 2's and tier 3's notices show it, counted in tiers, without naming the prime", arguments: TestDatabases.engines)
    func acknowledgement(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await report(w, c)
            _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            let n = try #require(try await w.received(c.prime).first)
            #expect(!n.record.isAcknowledged)
            w.clock.advance(by: 3600)
            let acked = try await IncidentNoticeUseCases(w.env, c.prime).acknowledge(noticeID: n.record.id)
            #expect(acked.isAcknowledged)
            #expect(try await IncidentNoticeQueries(w.env, c.prime).received(filter: .open).total == 0)
            #expect(try await IncidentNoticeQueries(w.env, c.prime).received(filter: .acknowledged).total == 1)
            #expect(try await w.actions(c.prime.organizationID).contains(AuditAction.incidentNoticeAcknowledged.rawValue))

            let sent = try await IncidentNoticeQueries(w.env, c.tier3).sent(incidentID: c.incidentID)
            #expect(sent.count == 1)
            #expect(sent.first?.acknowledgements.map(\.hops) == [2])
            #expect(sent.first?.acknowledgements.first?.byOrganization == c.prime.organizationID)
            let atTier2 = try #require(try await w.received(c.tier2).first)
            #expect(atTier2.acknowledgementsAbove.map(\.hops) == [2], "two tiers above tier 2")
            #expect(atTier2.forwardedTo.map(\.id) == [c.tier1.organizationID])

            await #expect(throws: IncidentNoticeError.alreadyAcknowledged) {
                _ = try await IncidentNoticeUseCases(w.env, c.prime).acknowledge(noticeID: n.record.id)
            }
            // Another organization's notice is not found, as if it did not exist.
            await #expect(throws: NotFound.self) {
                _ = try await IncidentNoticeUseCases(w.env, c.other).acknowledge(noticeID: n.record.id)
            }
        }
    }

    @Test("A tier that forwards by hand holds the notice until it clicks forward; then it reaches the prime", arguments: TestDatabases.engines)
    func manualForward(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await IncidentNoticeUseCases(w.env, c.tier1).setAutoForward(false)
            try await report(w, c)
            _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            let held = try #require(try await w.received(c.tier1).first)
            #expect(held.record.state == .pending)
            #expect(try await w.received(c.prime).isEmpty)
            let out = try await IncidentNoticeUseCases(w.env, c.tier1).forward(noticeID: held.record.id)
            #expect(out.map(\.recipientId) == [c.prime.organizationID])
            #expect(try await w.received(c.prime).map(\.tier) == [3])
            await #expect(throws: IncidentNoticeError.nothingToForward) {
                _ = try await IncidentNoticeUseCases(w.env, c.tier1).forward(noticeID: held.record.id)
            }
        }
    }

    @Test("A notice whose signature fails verification is refused with a clear error and changes nothing: a tampered report number inside the chain, a tampered outer contract, a stranger's notice", arguments: TestDatabases.engines)
    func tampered(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            try await IncidentNoticeUseCases(w.env, c.prime).setAutoForward(true)
            try await report(w, c)
            _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            let n = try #require(try await w.received(c.prime).first)
            let file = String(decoding: try await IncidentNoticeQueries(w.env, c.prime).file(id: n.record.id), as: UTF8.self)
            let before = try await w.noticeCount(), auditBefore = try await w.actions(c.prime.organizationID).count

            for (what, text) in [("inner report number", file.replacingOccurrences(of: "ICF-2027-000123", with: "ICF-2027-000999")),
                                 ("outer contract", file.replacingOccurrences(of: "P-T1-7012", with: "P-T1-7013"))] {
                #expect(text != file)
                do {
                    _ = try await IncidentNoticeUseCases(w.env, c.prime).importNotice(Data(text.utf8))
                    Issue.record("\(what): a tampered notice was accepted")
                } catch IncidentNoticeRefusal.doesNotVerify(let f) {
                    #expect(f.check == .signature, "\(what): \(f)")
                    #expect(f.text(.ja).contains("受け付けませんでした"))
                    #expect(f.text(.en).contains("refused"))
                }
            }
            // Untouched, it is the notice the prime already holds.
            #expect(try await IncidentNoticeUseCases(w.env, c.prime).importNotice(Data(file.utf8)).id == n.record.id)
            // Addressed to the prime: nobody else may record it.
            await #expect(throws: IncidentNoticeRefusal.notAddressedToYou) {
                _ = try await IncidentNoticeUseCases(w.env, c.other).importNotice(Data(file.utf8))
            }
            #expect(try await w.noticeCount() == before)
            #expect(try await w.actions(c.prime.organizationID).count == auditBefore + 0)
        }
    }

    @Test("Nothing to pass on: an exercise, an incident without a DoD report number, a field that cannot be included", arguments: TestDatabases.engines)
    func refusals(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let c = try await chain(w)
            await #expect(throws: IncidentNoticeError.noReportNumber) {
                _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: c.incidentID)
            }
            #expect(throws: IncidentNoticeError.unknownField("password")) { _ = try IncidentNoticeUseCases.fields(["outcome", "password"]) }
            let drill = try await IncidentUseCases(w.env, c.tier3).open(IncidentDraft(
                title: "訓練", discoveredAt: "2027-01-08T03:00:00+09:00", discoveredTimeZone: "Asia/Tokyo", discoveredBy: "訓練担当",
                exercise: true))
            _ = try await IncidentUseCases(w.env, c.tier3).recordSubmission(id: drill.id, kind: "dod-initial", submittedAt: "2027-01-08T04:00:00+09:00",
                                                                            channel: "exercise", reportNumber: "PRACTICE-1")
            await #expect(throws: IncidentNoticeError.exercise) {
                _ = try await IncidentNoticeUseCases(w.env, c.tier3).sendNotices(incidentID: drill.id)
            }
            #expect(try await w.noticeCount() == 0)
        }
    }
}
