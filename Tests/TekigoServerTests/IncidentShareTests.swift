import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// Sharing from an incident through the use cases (issue 14 item 5), as the pages, the API and the command line call
/// them: the preview writes nothing and publishing sends exactly it or nothing (a changed incident or a tampered digest
/// is refused), every publishing rule of the sharing hub applies and names itself (CUI, AMBER+STRICT and RED received,
/// a downgrade; RED reaches nobody but its named recipient), incidents' need-to-know, and the 3.6.2 evidence of a
/// share to an authority offered and never set until confirmed. SQLite always, PostgreSQL when configured.
@Suite("Sharing from an incident: preview, publish exactly, sharing rules, need-to-know, 3.6.2 evidence")
struct IncidentShareTests {
    typealias World = IncidentUseCaseTests.World

    /// The supplier's incident (on a contract with the prime), and a supply-chain community the prime administers with
    /// one collection both may read and write; the prime is authorized for CUI there, the supplier not.
    struct Setup {
        let shop: TenantScope
        let prime: TenantScope
        let incident: String
        let slug: String
        let collection: String
    }

    func withSetup(_ engine: TestDatabases.Engine, _ body: (World, Setup) async throws -> Void) async throws {
        try await IncidentUseCaseTests().withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (shop, prime, d) = try await IncidentUseCaseTests().opened(w)
            let store = ThreatIntelStore(w.db)
            let slug = "prime-chain-\(UUID().uuidString.prefix(6).lowercased())"
            let c = try await store.createCommunity(slug: slug, name: "元請重工 サプライチェーン", kind: .supplyChain)
            try await store.addMember(c.id, organization: prime.organizationID, role: .administrator, listed: true, cuiAuthorized: true)
            try await store.addMember(c.id, organization: shop.organizationID, role: .member, listed: false, cuiAuthorized: false)
            let col = try await store.createCollection(in: c.id, title: "インシデント共有", description: "", alias: "incidents")
            for o in [prime, shop] { try await store.setAccess(collection: col.id, organization: o.organizationID, canRead: true, canWrite: true) }
            try await body(w, Setup(shop: shop, prime: prime, incident: d.id, slug: slug, collection: col.id.rawValue))
        }
    }

    static func caller(_ s: TenantScope) -> TAXIICaller {
        TAXIICaller(organizationID: s.organizationID, personID: s.actor.id, role: s.role, readOnly: false, actor: s.actor)
    }

    /// What `reader` may read in the collection (every version).
    static func visible(_ w: World, _ s: Setup, _ reader: TenantScope) async throws -> [TAXIIObjectEntry] {
        try await ThreatIntelQueries(w.env, caller(reader)).objects(root: s.slug, collection: s.collection,
                                                                     filter: TAXIIFilter(versions: .all, limit: 1000)).entries
    }

    static func choice(_ s: Setup, _ tlp: TLPMarking = .amber, observables: [String] = [], cui: Bool = false) -> IncidentShareChoice {
        IncidentShareChoice(collectionID: s.collection, tlp: tlp.rawValue, markCUI: cui, observableIDs: observables)
    }

    static func scoID(_ type: String, _ value: String) -> String {
        "\(type)--" + STIXIdentifier.nameBased(type: type, namespace: STIXIdentifier.observableNamespace,
                                              name: #"{"value":"\#(value)"}"#).uuid.uuidString.lowercased()
    }

    /// The prime publishes an observable with this value itself, at `tlp`.
    static func primePublishes(_ w: World, _ s: Setup, type: String, value: String, tlp: TLPMarking) async throws {
        let object: [String: Any] = ["type": type, "spec_version": "2.1", "id": scoID(type, value), "value": value,
                                     "object_marking_refs": [tlp.markingID.rawValue]]
        let envelope = try JSONSerialization.data(withJSONObject: ["objects": [object]])
        _ = try await ThreatIntelUseCases(w.env, caller(s.prime)).add(root: s.slug, collection: s.collection, envelope: envelope)
    }

    @Test("Issue 14 item 5: the preview writes nothing; publishing sends exactly it, the prime reads it, the share is recorded and audited; again later: new versions of the same objects",
          arguments: TestDatabases.engines)
    func previewThenPublish(_ engine: TestDatabases.Engine) async throws {
        try await withSetup(engine) { w, s in
            let uc = IncidentShareUseCases(w.env, s.shop)
            let ip = try await uc.addObservable(incidentID: s.incident, value: " 198.51.100.7 ", note: "社内メモ：VPN ログより")
            let cve = try await uc.addObservable(incidentID: s.incident, value: "cve-2024-3400")
            #expect(ip.kind == "ipv4" && ip.value == "198.51.100.7" && cve.value == "CVE-2024-3400")
            #expect(try await uc.addObservable(incidentID: s.incident, value: "198.51.100.7").id == ip.id, "the same value is kept once")
            await #expect(throws: IncidentShareError.unrecognizedValue("not a value")) {
                _ = try await uc.addObservable(incidentID: s.incident, value: "not a value")
            }
            let targets = try await uc.targets()
            #expect(targets.map(\.collectionID) == [s.collection] && targets.first?.authority == true,
                    "a supply-chain community the prime (a customer) administers is an authority")

            let before = try await w.actions(s.shop.organizationID)
            let p = try await uc.preview(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id, cve.id]))
            #expect(p.digest == Hex.sha256(Data(p.json.utf8)) && p.lines.count == p.objectCount)
            #expect(!p.json.contains("社内メモ") && !p.json.contains("株式会社サンプル精機") && !p.json.contains("CAD サーバ"))
            let primeSees = try await Self.visible(w, s, s.prime), shares = try await uc.shares(incidentID: s.incident)
            #expect(primeSees.isEmpty && shares.isEmpty)
            let afterPreview = try await w.actions(s.shop.organizationID)
            #expect(Array(afterPreview.dropFirst(before.count)) == ["incident.exported"], "the preview writes only the incident read's audit entry")

            w.clock.advance(by: 60)
            let r = try await uc.publish(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id, cve.id]),
                                         preparedAt: p.preparedAt, digest: p.digest)
            #expect(r.bundleSHA256 == p.digest && r.objectCount == p.objectCount && r.authority && r.tlp == "amber")
            let seen = try await Self.visible(w, s, s.prime)
            let bundleIDs = Set(((try JSONSerialization.jsonObject(with: Data(p.json.utf8)) as! [String: Any])["objects"] as! [[String: Any]])
                .map { $0["id"] as! String })
            #expect(Set(seen.map(\.id)) == bundleIDs, "the prime reads exactly what was previewed")
            let actions = try await w.actions(s.shop.organizationID)
            #expect(actions.contains("stix.objects-added") && actions.last == "incident.shared")
            #expect(try await uc.shares(incidentID: s.incident).map(\.id) == [r.id])

            // Sharing again an hour later: the same ids, each with a new version (the SCOs, which have none, too).
            w.clock.advance(by: 3600)
            let again = try await uc.preview(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id, cve.id]))
            _ = try await uc.publish(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id, cve.id]),
                                     preparedAt: again.preparedAt, digest: again.digest)
            let twice = try await Self.visible(w, s, s.prime)
            #expect(Set(twice.map(\.id)) == bundleIDs && twice.count > seen.count)
            let incidentVersions = twice.filter { $0.id.hasPrefix("incident--") }
            #expect(incidentVersions.count == 2)
        }
    }

    @Test("Exactly what was previewed leaves, or nothing: a changed incident, a tampered digest and a stale preview are refused, nothing stored",
          arguments: TestDatabases.engines)
    func digestMismatchRefused(_ engine: TestDatabases.Engine) async throws {
        try await withSetup(engine) { w, s in
            let uc = IncidentShareUseCases(w.env, s.shop)
            let ip = try await uc.addObservable(incidentID: s.incident, value: "198.51.100.7")
            let choice = Self.choice(s, observables: [ip.id])
            let p = try await uc.preview(incidentID: s.incident, choice: choice)
            await #expect(throws: IncidentShareError.digestMismatch) {
                _ = try await uc.publish(incidentID: s.incident, choice: choice, preparedAt: p.preparedAt, digest: String(repeating: "0", count: 64))
            }
            // Ticking another observable after the preview changes what would leave.
            let other = try await uc.addObservable(incidentID: s.incident, value: "evil.example")
            await #expect(throws: IncidentShareError.digestMismatch) {
                _ = try await uc.publish(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id, other.id]),
                                         preparedAt: p.preparedAt, digest: p.digest)
            }
            // The incident moves on after the preview (its investigation status changes).
            _ = try await IncidentUseCases(w.env, s.shop).movePhase(id: s.incident, to: IncidentPhase.analysing.rawValue)
            await #expect(throws: IncidentShareError.digestMismatch) {
                _ = try await uc.publish(incidentID: s.incident, choice: choice, preparedAt: p.preparedAt, digest: p.digest)
            }
            w.clock.advance(by: Double(IncidentShareUseCases.previewMinutes + 1) * 60)
            let late = try await uc.preview(incidentID: s.incident, choice: choice, preparedAt: nil)
            await #expect(throws: IncidentShareError.stalePreview(maxMinutes: IncidentShareUseCases.previewMinutes)) {
                _ = try await uc.publish(incidentID: s.incident, choice: choice, preparedAt: p.preparedAt, digest: late.digest)
            }
            let primeSees = try await Self.visible(w, s, s.prime), shopSees = try await Self.visible(w, s, s.shop)
            #expect(primeSees.isEmpty && shopSees.isEmpty)
            #expect(try await uc.shares(incidentID: s.incident).isEmpty)
            #expect(!(try await w.actions(s.shop.organizationID)).contains("incident.shared"))
        }
    }

    /// The refusal's text, for checking that it names the rule.
    static func refusal(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return ""
        } catch let e as IncidentShareError {
            return e.text.en
        } catch {
            return "\(error)"
        }
    }

    @Test("Issue 14 item 4 via item 5: CUI to an unauthorized reader, re-publishing what was received AMBER+STRICT, and a downgrade are refused naming the rule; RED reaches only its named recipient",
          arguments: TestDatabases.engines)
    func sharingRulesApply(_ engine: TestDatabases.Engine) async throws {
        try await withSetup(engine) { w, s in
            let uc = IncidentShareUseCases(w.env, s.shop)
            let ip = try await uc.addObservable(incidentID: s.incident, value: "198.51.100.7")
            let domain = try await uc.addObservable(incidentID: s.incident, value: "evil.example")
            func attempt(_ choice: IncidentShareChoice) async -> String {
                await Self.refusal {
                    let p = try await uc.preview(incidentID: s.incident, choice: choice)
                    _ = try await uc.publish(incidentID: s.incident, choice: choice, preparedAt: p.preparedAt, digest: p.digest)
                }
            }
            // CUI: the supplier reads the collection and is not authorized for CUI.
            let cui = await attempt(Self.choice(s, cui: true))
            #expect(cui.contains("CUI rule") && cui.contains(s.shop.organizationID), "\(cui)")
            // The prime published the same address AMBER+STRICT: the supplier received it so and may never pass it on.
            try await Self.primePublishes(w, s, type: "ipv4-addr", value: "198.51.100.7", tlp: .amberStrict)
            let strict = await attempt(Self.choice(s, .red, observables: [ip.id]))
            #expect(strict.contains("AMBER+STRICT"), "\(strict)")
            // The prime published the domain AMBER: sharing it GREEN widens it.
            try await Self.primePublishes(w, s, type: "domain-name", value: "evil.example", tlp: .amber)
            let downgrade = await attempt(Self.choice(s, .green, observables: [domain.id]))
            #expect(downgrade.contains("Marking downgrade") && downgrade.contains("TLP:AMBER") && downgrade.contains("TLP:GREEN"), "\(downgrade)")
            let primeBefore = Set(try await Self.visible(w, s, s.prime).map(\.id))
            #expect(try await uc.shares(incidentID: s.incident).isEmpty, "nothing refused is recorded")
            // RED: published, but the prime is not its named recipient and never reads it.
            let p = try await uc.preview(incidentID: s.incident, choice: Self.choice(s, .red))
            _ = try await uc.publish(incidentID: s.incident, choice: Self.choice(s, .red), preparedAt: p.preparedAt, digest: p.digest)
            // (The TLP:RED marking definition itself is public: it carries no marking.)
            let newForPrime = Set(try await Self.visible(w, s, s.prime).map(\.id)).subtracting(primeBefore)
            #expect(newForPrime.allSatisfy { $0 == TLPMarking.red.markingID.rawValue }, "TLP:RED reaches only the named recipient: \(newForPrime)")
            let shopSees = try await Self.visible(w, s, s.shop)
            #expect(shopSees.contains { $0.id.hasPrefix("incident--") }, "the sender is its named recipient")
        }
    }

    @Test("Need-to-know: a contributor off the incident team and a viewer can neither add observables, preview nor publish; a granted contributor can",
          arguments: TestDatabases.engines)
    func needToKnow(_ engine: TestDatabases.Engine) async throws {
        try await withSetup(engine) { w, s in
            let contributor = try await w.member(s.shop, .contributor)
            let viewer = try await w.member(s.shop, .viewer)
            for who in [contributor, viewer] {
                let uc = IncidentShareUseCases(w.env, who)
                await #expect(throws: IncidentUseCaseError.self) { _ = try await uc.addObservable(incidentID: s.incident, value: "198.51.100.7") }
                await #expect(throws: IncidentUseCaseError.self) { _ = try await uc.preview(incidentID: s.incident, choice: Self.choice(s)) }
                await #expect(throws: IncidentUseCaseError.self) { _ = try await uc.observables(incidentID: s.incident) }
            }
            try await IncidentUseCases(w.env, s.shop).grantIncidentAccess(userID: contributor.actor.id)
            let granted = IncidentShareUseCases(w.env, contributor)
            let ip = try await granted.addObservable(incidentID: s.incident, value: "198.51.100.7")
            let p = try await granted.preview(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id]))
            let r = try await granted.publish(incidentID: s.incident, choice: Self.choice(s, observables: [ip.id]), preparedAt: p.preparedAt, digest: p.digest)
            #expect(r.sharedBy == contributor.actor.id)
            // Another organization's incident is not found, whoever asks.
            await #expect(throws: (any Error).self) {
                _ = try await IncidentShareUseCases(w.env, s.prime).observables(incidentID: s.incident)
            }
        }
    }

    @Test("3.6.2: a share to an authority offers rev2 3.6.2[c] and [e] as evidence and sets nothing; only the confirmed objective gets it, status kept, audited; a non-authority offers none",
          arguments: TestDatabases.engines)
    func evidenceOfferedNotSet(_ engine: TestDatabases.Engine) async throws {
        try await withSetup(engine) { w, s in
            let au = AssessmentUseCases(w.env, s.shop)
            let system = try await au.createSystem(name: "CAD", boundary: "", environment: "", informationTypes: [], userCount: 5)
            let a = try await au.createAssessment(systemID: system.id, catalog: "sp800-171r2", date: "2027-01-01", kind: nil, assessor: "me")
            _ = try await au.putFinding(assessmentID: a.id, objective: "3.6.2[e]", status: "not-met", rationale: "未整備", evidence: [],
                                        assessedBy: "me", ifVersion: nil)
            let uc = IncidentShareUseCases(w.env, s.shop)
            let p = try await uc.preview(incidentID: s.incident, choice: Self.choice(s))
            let r = try await uc.publish(incidentID: s.incident, choice: Self.choice(s), preparedAt: p.preparedAt, digest: p.digest)
            let link = "https://tekigo.example/o/\(s.shop.organizationID)/incidents/\(s.incident)"
            let offer = try await uc.evidenceOffer(incidentID: s.incident, shareID: r.id, assessmentID: a.id, link: link)
            #expect(offer.items.map(\.objective) == ["3.6.2[c]", "3.6.2[e]"])
            #expect(offer.items.allSatisfy { $0.location.contains(r.bundleSHA256) && $0.location.contains(link) && !$0.alreadyAdded })
            let findings = { try await w.env.db.sql.select().column("objective").column("evidence").column("status").from("findings")
                .where("assessment_id", .equal, a.id).all()
                .map { (try $0.decode(column: "objective", as: String.self), try $0.decode(column: "evidence", as: String.self),
                        try $0.decode(column: "status", as: String.self)) } }
            #expect(try await findings().allSatisfy { !$0.1.contains(r.bundleSHA256) }, "offered, never set")
            await #expect(throws: IncidentShareError.objectiveNotOffered("3.1.1[a]")) {
                _ = try await uc.confirmEvidence(incidentID: s.incident, shareID: r.id, assessmentID: a.id, objectives: ["3.1.1[a]"], link: link)
            }
            let added = try await uc.confirmEvidence(incidentID: s.incident, shareID: r.id, assessmentID: a.id, objectives: ["3.6.2[e]"], link: link)
            #expect(added == ["3.6.2[e]"])
            let after = try await findings()
            #expect(after.first { $0.0 == "3.6.2[e]" }.map { $0.1.contains(r.bundleSHA256) && $0.2 == "not-met" } == true)
            #expect(after.first { $0.0 == "3.6.2[c]" }.map { !$0.1.contains(r.bundleSHA256) } ?? true)
            #expect(try await w.actions(s.shop.organizationID).last == "incident.share-evidence-added")
            #expect(try await uc.share(incidentID: s.incident, shareID: r.id).evidenceAssessment == a.id)

            // A community nobody up the chain administers is no authority: nothing is offered.
            let store = ThreatIntelStore(w.db)
            let peers = try await store.createCommunity(slug: "peers-\(UUID().uuidString.prefix(6).lowercased())", name: "Peers", kind: .supplyChain)
            try await store.addMember(peers.id, organization: s.shop.organizationID, role: .administrator, listed: true, cuiAuthorized: false)
            let col = try await store.createCollection(in: peers.id, title: "Peers", description: "", alias: nil)
            try await store.setAccess(collection: col.id, organization: s.shop.organizationID, canRead: true, canWrite: true)
            let choice = IncidentShareChoice(collectionID: col.id.rawValue, tlp: "green")
            let q = try await uc.preview(incidentID: s.incident, choice: choice)
            let peerShare = try await uc.publish(incidentID: s.incident, choice: choice, preparedAt: q.preparedAt, digest: q.digest)
            #expect(!peerShare.authority)
            await #expect(throws: IncidentShareError.notAnAuthority) {
                _ = try await uc.evidenceOffer(incidentID: s.incident, shareID: peerShare.id, assessmentID: a.id, link: link)
            }
        }
    }
}
