import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The supply chain over HTTP, each organization acting through its own owner (issue: supply chain, "Done when"):
///
///     Prime J ── T1-A ──┬── T2 (shares with both primes)
///     Prime U ── T1-B ──┘
///                T1-A ── T2-X (shares nothing)
///
/// Invitations are single-use, a cycle is refused, T2 answers once and both primes see the same signed attestation;
/// T2 revokes Prime U, which loses access at once; the exported file verifies offline and fails after a one-byte
/// edit; and no organization reads another's data beyond consent through any of these endpoints.
@Suite("Supply chain over the API", .serialized)
struct SupplyChainFlowTests {
    static let password = "correct horse battery staple 7"

    @Test("Invite, link, require, attest once, share with two primes, revoke one, verify offline; nothing leaks",
          arguments: TestDatabases.engines)
    func flow(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in try await Self.run(client: client, services: services) }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// One organization and its owner's signed-in, MFA-enrolled browser.
    struct Party {
        let id: String
        let name: String
        let browser: Browser
        var base: String { "/api/v1/organizations/\(id)" }
    }

    static func run(client: any TestClientProtocol, services: Services) async throws {
        let admin = Browser(client)
        _ = try await bootstrapAdmin(admin, services: services)
        let accounts = AccountStore(services.db)
        let hash = try await PasswordHasher.hash(password)

        func party(_ name: String) async throws -> Party {
            let created = try await admin.send(.post, "/api/v1/organizations", json: ["name": name])
            try #require(created.status == .created, "create \(name): \(created.status)")
            let id = try #require(created.json["id"] as? String)
            let email = "owner-\(id.prefix(8))@example.jp"
            let user = try await accounts.createUser(email: email, displayName: "Owner of \(name)", passwordHash: hash,
                                                     platformAdmin: false)
            try await accounts.setMembership(userID: user.id, organizationID: id, role: .owner)
            let b = Browser(client)
            try #require(try await b.login(email, password).status == .ok)
            let secret = try #require(try await b.send(.post, "/api/v1/me/mfa").json["secret"] as? String)
            try #require(try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret)]).status == .ok)
            return Party(id: id, name: name, browser: b)
        }
        let primeJ = try await party("大和重工業株式会社")
        let primeU = try await party("Columbia Aerospace Systems")
        let t1a = try await party("浜松富士精機株式会社")
        let t1b = try await party("Apex Precision Machining LLC")
        let t2 = try await party("燕三光鍛造株式会社")
        let t2x = try await party("Summit Composites Inc.")

        // setup → act: links by invitation (single use) ---------------------------------------------------------
        func link(_ customer: Party, _ supplier: Party) async throws -> String {
            let inv = try await customer.browser.send(.post, "\(customer.base)/supplier-invitations", json: ["note": supplier.name])
            try #require(inv.status == .created, "invite: \(String(decoding: inv.body, as: UTF8.self))")
            let token = try #require(inv.json["token"] as? String)
            let accepted = try await supplier.browser.send(.post, "\(supplier.base)/customer-invitations/accept", json: ["token": token])
            try #require(accepted.status == .created, "accept: \(String(decoding: accepted.body, as: UTF8.self))")
            #expect(accepted.json["id"] as? String == customer.id)
            return token
        }
        let used = try await link(primeJ, t1a)
        _ = try await link(primeU, t1b)
        _ = try await link(t1a, t2)
        _ = try await link(t1b, t2)
        _ = try await link(t1a, t2x)

        // An invitation works once.
        let reuse = try await t2x.browser.send(.post, "\(t2x.base)/customer-invitations/accept", json: ["token": used])
        #expect(reuse.status == .conflict)
        // A link that would close a cycle (T2 → Prime J → T1-A → T2) is refused, and nothing changes.
        let back = try await t2.browser.send(.post, "\(t2.base)/supplier-invitations", json: ["note": "cycle"])
        let cycle = try await primeJ.browser.send(.post, "\(primeJ.base)/customer-invitations/accept",
                                                  json: ["token": try #require(back.json["token"] as? String)])
        #expect(cycle.status == .conflict)
        let cycleMessage = (cycle.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(cycleMessage.contains("→"), "the refusal names the cycle: \(cycleMessage)")
        #expect(try await Self.ids(primeJ.browser.send(.get, "\(primeJ.base)/customers")).isEmpty)

        // Flow-down: Prime J requires SPRS ≥ 88 of T1-A, which passes it on to T2 (DFARS 252.204-7012(m)).
        let req = try await primeJ.browser.send(.post, "\(primeJ.base)/requirements", json: [
            "supplierId": t1a.id, "minimum": "sprs>=88", "dueOn": "2027-03-31", "mustFlowDown": true,
        ])
        #expect(req.status == .created)
        #expect(try await t1a.browser.send(.post, "\(t1a.base)/requirements", json: [
            "supplierId": t2.id, "minimum": "sprs>=88", "dueOn": "2027-02-28",
        ]).status == .created)
        let onT1A = try await t1a.browser.send(.get, "\(t1a.base)/requirements-on-me")
        #expect((onT1A.json["items"] as? [[String: Any]])?.map { $0["customerName"] as? String } == [primeJ.name])

        // T2 answers once: an assessment with every objective met but two, then one signed attestation.
        let sys = try await t2.browser.send(.post, "\(t2.base)/systems", json: ["name": "本社ネットワーク"])
        let assessment = try await t2.browser.send(.post, "\(t2.base)/assessments",
                                                   json: ["systemId": try #require(sys.json["id"] as? String), "date": "2026-11-02"])
        let aid = try #require(assessment.json["id"] as? String)
        let findings = try await t2.browser.send(.get, "\(t2.base)/assessments/\(aid)/findings?limit=500")
        for f in try #require(findings.json["items"] as? [[String: Any]]) {
            let objective = try #require(f["objective"] as? String)
            let status = objective.hasPrefix("3.13.11") || objective.hasPrefix("3.5.3[") ? "not-met" : "met"
            let put = try await t2.browser.send(.put, "\(t2.base)/assessments/\(aid)/findings/\(objective)", json: ["status": status])
            try #require(put.status == .ok, "\(objective): \(put.status)")
        }
        let issued = try await t2.browser.send(.post, "\(t2.base)/attestations", json: ["assessmentId": aid, "detail": "families"])
        try #require(issued.status == .created, "issue: \(String(decoding: issued.body, as: UTF8.self))")
        let attestationID = try #require(issued.json["id"] as? String)
        let score = try #require(issued.json["sprsScore"] as? Int)
        #expect(score < 110 && score >= 88 - 10)
        // Before any consent, neither prime sees it: the same 404 as for an organization outside the tree.
        let unseen = try await primeJ.browser.send(.get, "\(primeJ.base)/supplier-attestations/\(t2.id)")
        let stranger = try await primeJ.browser.send(.get, "\(primeJ.base)/supplier-attestations/\(UUID().uuidString.lowercased())")
        #expect(unseen.status == .notFound && stranger.status == .notFound)
        #expect(unseen.errorCode == stranger.errorCode)

        // Share with many: T2 lets both primes see it directly.
        for prime in [primeJ, primeU] {
            #expect(try await t2.browser.send(.put, "\(t2.base)/consents/\(prime.id)", json: [:]).status == .ok)
            let seen = try await prime.browser.send(.get, "\(prime.base)/supplier-attestations/\(t2.id)")
            #expect(seen.status == .ok)
            #expect(seen.json["id"] as? String == attestationID)
        }
        // Both sides see where a requirement stands: T1-A sees T2 as "missing" until T2 shares with it, then "current".
        func standingOfT2() async throws -> String? {
            let list = try await t1a.browser.send(.get, "\(t1a.base)/requirements?supplier=\(t2.id)")
            return (list.json["items"] as? [[String: Any]])?.first?["status"] as? String
        }
        #expect(try await standingOfT2() == "missing")
        #expect(try await t2.browser.send(.put, "\(t2.base)/consents/\(t1a.id)", json: ["onward": false]).status == .ok)
        #expect(try await standingOfT2() == "current")
        let onT2 = try await t2.browser.send(.get, "\(t2.base)/requirements-on-me")
        #expect((onT2.json["items"] as? [[String: Any]])?.first?["status"] as? String == "current")
        let onT1A2 = try await t1a.browser.send(.get, "\(t1a.base)/requirements-on-me")
        #expect((onT1A2.json["items"] as? [[String: Any]])?.first?["status"] as? String == "missing", "T1-A has not attested")
        #expect(try await t2.browser.send(.delete, "\(t2.base)/consents/\(t1a.id)").status == .noContent)

        // Consent only goes upstream: T2-X (a sibling) is refused as a viewer.
        #expect(try await t2.browser.send(.put, "\(t2.base)/consents/\(t2x.id)", json: [:]).status == .badRequest)

        // Prime J's roll-up: two tiers; T2 visible, T2-X (no attestation, no consent) counted only.
        let rollup = try await primeJ.browser.send(.get, "\(primeJ.base)/rollup")
        #expect(rollup.status == .ok)
        let tiers = try #require(rollup.json["tiers"] as? [[String: Any]])
        #expect(tiers.map { $0["tier"] as? Int } == [1, 2])
        #expect(tiers.map { $0["suppliers"] as? Int } == [1, 2])
        let needs = try await primeJ.browser.send(.get, "\(primeJ.base)/rollup/needs-action")
        let listed = Self.text(needs)
        #expect(!listed.contains(t2x.id) && !listed.contains(t2x.name), "T2-X has not consented: it must not be named")
        #expect((needs.json["hidden"] as? Int ?? 0) >= 1)
        // The spreadsheet export follows the same rule.
        let csv = try await primeJ.browser.send(.get, "\(primeJ.base)/rollup/export?format=csv&table=needs-action&lang=en")
        #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
        #expect(!Self.text(csv).contains(t2x.name) && Self.text(csv).contains("without consent"))
        let xlsx = try await primeJ.browser.send(.get, "\(primeJ.base)/rollup/export?format=xlsx")
        #expect(xlsx.status == .ok && xlsx.body.prefix(2) == Data("PK".utf8))

        // Revoke one: Prime U loses access at once; Prime J keeps it.
        #expect(try await t2.browser.send(.delete, "\(t2.base)/consents/\(primeU.id)").status == .noContent)
        #expect(try await primeU.browser.send(.get, "\(primeU.base)/supplier-attestations/\(t2.id)").status == .notFound)
        #expect(try await primeU.browser.send(.get, "\(primeU.base)/supplier-attestations/\(t2.id)/export").status == .notFound)
        for path in ["rollup", "rollup/needs-action"] {
            let body = Self.text(try await primeU.browser.send(.get, "\(primeU.base)/\(path)"))
            #expect(!body.contains(t2.id) && !body.contains(t2.name), "Prime U's \(path) still names T2 after revocation")
        }
        #expect(try await primeJ.browser.send(.get, "\(primeJ.base)/supplier-attestations/\(t2.id)").status == .ok)

        // The exported file verifies offline; one byte changed inside a value fails, naming the reason.
        let file = try await primeJ.browser.send(.get, "\(primeJ.base)/supplier-attestations/\(t2.id)/export")
        #expect(file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        guard AttestationVerifier.verify(data: file.body).isValid else {
            Issue.record("the exported attestation does not verify")
            return
        }
        var tampered = file.body
        let marker = Data("\"sprsScore\":\(score)".utf8)
        let at = try #require(tampered.range(of: marker)).upperBound - 1
        tampered[at] = tampered[at] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        let verdict = AttestationVerifier.verify(data: tampered)
        #expect(!verdict.isValid, "a one-byte edit still verifies")
        #expect(verdict.failure != nil)

        // Isolation: nobody reads another organization's data outside consent, whatever the endpoint.
        let probes: [(Party, String)] = [
            (t2x, "/api/v1/organizations/\(t2.id)/attestations"),            // another tenant: 404
            (t2x, "\(t2x.base)/supplier-attestations/\(t2.id)"),            // a sibling, not upstream
            (t1b, "\(t1b.base)/suppliers/\(t2x.id)/contracts"),             // another customer's supplier
            (t2, "\(t2.base)/supplier-attestations/\(t1a.id)"),             // downstream looking up
            (primeU, "\(primeU.base)/supplier-attestations/\(t1a.id)"),     // another prime's tree
        ]
        for (who, path) in probes {
            let r = try await who.browser.send(.get, path)
            #expect(r.status == .notFound, "\(who.name) GET \(path) → \(r.status)")
        }
        let t1bSuppliers = try await Self.ids(t1b.browser.send(.get, "\(t1b.base)/suppliers"))
        #expect(t1bSuppliers == [t2.id])
        let t1bRequirements = Self.text(try await t1b.browser.send(.get, "\(t1b.base)/requirements"))
        #expect(!t1bRequirements.contains(t1a.id), "T1-B sees T1-A's requirements")

        #expect(try await AuditLog(services.db).verify().isIntact)
    }

    static func ids(_ r: Browser.Reply) -> [String] {
        (r.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func text(_ r: Browser.Reply) -> String { String(decoding: r.body, as: UTF8.self) }
}
