import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Sharing communities drawn from the supply chain with each supplier's consent (issue 14 item 4), over real HTTP:
/// the JSON API called with each organization's API token as an attacker would call it (consent, privacy of the
/// member list, who may administer, the last administrator), and the pages in Japanese and English with CSRF.
/// SQLite always, PostgreSQL when configured.
@Suite("Sharing communities: consent, private membership, administration", .serialized)
struct CommunityTests {
    typealias Party = TAXIIServerTests.Party

    /// An organization with its owner (MFA on) and an API token of the owner.
    static func party(_ services: Services, _ name: String) async throws -> Party {
        try await TAXIIServerTests.party(services, name)
    }

    /// Another person of `org` with `role` and an API token (`scope` read or write).
    static func colleague(_ services: Services, _ org: String, _ role: Role, scope: String = "write") async throws -> String {
        let accounts = services.accounts
        let email = "\(role.rawValue)-\(UUID().uuidString.prefix(6).lowercased())@example.jp"
        let user = try await accounts.createUser(email: email, displayName: role.rawValue, passwordHash: "x", platformAdmin: false)
        try await accounts.setMFA(userID: user.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 0, recoveryCodeHashes: [])
        try await accounts.setMembership(userID: user.id, organizationID: org, role: role)
        let fresh = try #require(try await accounts.user(email: email))
        let (_, token) = try await TokenUseCases(services.accountEnvironment).create(
            organizationID: org, user: fresh, name: "api", scope: scope, days: 30, actor: Actor(id: "test", sourceIP: "127.0.0.1"))
        return token
    }

    static func scope(_ services: Services, _ p: Party) async throws -> TenantScope {
        let org = try #require(try await services.accounts.organization(id: p.organizationID))
        return TenantScope(organization: org, role: .owner, actor: Actor(id: p.personID, sourceIP: "192.0.2.41"),
                           store: TenantStore(services.db, organizationID: org.id))
    }

    /// `customer` links `supplier` as its supplier.
    static func link(_ services: Services, _ customer: Party, _ supplier: Party) async throws {
        try await SupplyChainPageTests.link(services, try await scope(services, customer), try await scope(services, supplier))
    }

    static func api(_ client: any TestClientProtocol, _ token: String) -> Browser {
        let b = Browser(client)
        b.bearer = token
        return b
    }

    static func base(_ p: Party) -> String { "/api/v1/organizations/\(p.organizationID)/sharing" }

    static func text(_ r: Browser.Reply) -> String { String(decoding: r.body, as: UTF8.self) }

    static func auditCount(_ services: Services, _ action: AuditAction) async throws -> Int {
        try await services.db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action.rawValue)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// A prime with three direct suppliers, one second-tier supplier it may not see by name, and an outsider.
    struct World {
        let prime: Party
        let a: Party
        let b: Party
        let c: Party
        let deep: Party
        let outsider: Party
    }

    static func world(_ services: Services) async throws -> World {
        let prime = try await party(services, "Prime")
        let a = try await party(services, "SupplierA")
        let b = try await party(services, "SupplierB")
        let c = try await party(services, "SupplierC")
        let deep = try await party(services, "DeepTier")
        let outsider = try await party(services, "Outsider")
        for s in [a, b, c] { try await link(services, prime, s) }
        try await link(services, a, deep)
        return World(prime: prime, a: a, b: b, c: c, deep: deep, outsider: outsider)
    }

    /// The prime's new community's slug.
    static func create(_ client: any TestClientProtocol, _ prime: Party) async throws -> String {
        let r = try await api(client, prime.token).send(.post, base(prime) + "/communities", json: ["name": "Prime supply chain"])
        try #require(r.status == .created, "\(text(r))")
        return try #require((r.json["community"] as? [String: Any])?["slug"] as? String)
    }

    /// Invites `who` and returns the invitation id.
    static func invite(_ client: any TestClientProtocol, _ prime: Party, _ slug: String, _ who: Party) async throws -> String {
        let r = try await api(client, prime.token).send(.post, base(prime) + "/communities/\(slug)/invitations",
                                                        json: ["organizationId": who.organizationID])
        try #require(r.status == .created, "\(text(r))")
        return try #require(r.json["id"] as? String)
    }

    static func accept(_ client: any TestClientProtocol, _ who: Party, _ invitation: String, listed: Bool) async throws -> Browser.Reply {
        try await api(client, who.token).send(.post, base(who) + "/invitations/\(invitation)/accept", json: ["listed": listed])
    }

    @Test("Consent (issue 14 item 4): no membership without the invited organization's acceptance; candidates only from the creator's tree; a declined or withdrawn invitation cannot be accepted, nor one accepted twice",
          arguments: TestDatabases.engines)
    func consent(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(services)
            let slug = try await Self.create(client, w.prime)
            let admin = Self.api(client, w.prime.token)
            let detail = try await admin.send(.get, Self.base(w.prime) + "/communities/\(slug)")
            #expect(detail.status == .ok && detail.json["role"] as? String == "administrator")
            let candidates = Set(((detail.json["candidates"] as? [[String: Any]]) ?? []).compactMap { $0["organizationId"] as? String })
            #expect(candidates == [w.a.organizationID, w.b.organizationID, w.c.organizationID], "direct suppliers only: the second tier is not shared with the prime")
            for stranger in [w.outsider, w.deep] {
                let refused = try await admin.send(.post, Self.base(w.prime) + "/communities/\(slug)/invitations",
                                                   json: ["organizationId": stranger.organizationID])
                #expect(refused.status == .badRequest && Self.text(refused).contains("supply chain"))
            }

            // Invited: nothing changes for A until it accepts.
            let ia = try await Self.invite(client, w.prime, slug, w.a)
            let store = ThreatIntelStore(services.db)
            let community = try #require(try await store.community(slug: slug))
            #expect(try await store.member(community.id, organization: w.a.organizationID) == nil)
            #expect(try await Self.api(client, w.a.token).send(.get, Self.base(w.a) + "/communities/\(slug)").status == .notFound)
            let pending = try await Self.api(client, w.a.token).send(.get, Self.base(w.a) + "/communities")
            #expect((pending.json["invitations"] as? [[String: Any]])?.map { $0["id"] as? String } == [ia])
            #expect((pending.json["communities"] as? [Any])?.isEmpty == true)
            let twice = try await admin.send(.post, Self.base(w.prime) + "/communities/\(slug)/invitations", json: ["organizationId": w.a.organizationID])
            #expect(twice.status == .conflict)
            // Another organization cannot answer A's invitation.
            #expect(try await Self.accept(client, w.b, ia, listed: true).status == .notFound)

            let accepted = try await Self.accept(client, w.a, ia, listed: false)
            #expect(accepted.status == .ok, "\(Self.text(accepted))")
            #expect(accepted.json["role"] as? String == "member" && accepted.json["listed"] as? Bool == false)
            let collections = try #require(accepted.json["collections"] as? [[String: Any]])
            #expect(collections.count == 1 && collections[0]["canRead"] as? Bool == true && collections[0]["canWrite"] as? Bool == true)
            #expect(try await Self.accept(client, w.a, ia, listed: true).status == .conflict, "accepting twice")
            #expect(try await store.member(community.id, organization: w.a.organizationID)?.listed == false)

            // Declined, then accepted: refused, no membership.
            let ib = try await Self.invite(client, w.prime, slug, w.b)
            #expect(try await Self.api(client, w.b.token).send(.post, Self.base(w.b) + "/invitations/\(ib)/decline").status == .noContent)
            let late = try await Self.accept(client, w.b, ib, listed: true)
            #expect(late.status == .conflict && Self.text(late).contains("declined"))
            #expect(try await store.member(community.id, organization: w.b.organizationID) == nil)

            // Withdrawn, then accepted: refused, no membership.
            let ic = try await Self.invite(client, w.prime, slug, w.c)
            #expect(try await admin.send(.post, Self.base(w.prime) + "/communities/\(slug)/invitations/\(ic)/withdraw").status == .noContent)
            let gone = try await Self.accept(client, w.c, ic, listed: true)
            #expect(gone.status == .conflict && Self.text(gone).contains("withdrawn"))
            #expect(try await store.member(community.id, organization: w.c.organizationID) == nil)
            #expect((try await Self.api(client, w.c.token).send(.get, Self.base(w.c) + "/communities").json["invitations"] as? [Any])?.isEmpty == true)

            #expect(try await Self.auditCount(services, .communityInvited) == 3)
            #expect(try await Self.auditCount(services, .communityInvitationAccepted) == 1)
            #expect(try await Self.auditCount(services, .communityInvitationDeclined) == 1)
            #expect(try await Self.auditCount(services, .communityInvitationWithdrawn) == 1)
        }
    }

    /// A community with A (unlisted), B (listed) and C (unlisted) as members; returns its slug.
    static func populated(_ client: any TestClientProtocol, _ w: World) async throws -> String {
        let slug = try await create(client, w.prime)
        for (p, listed) in [(w.a, false), (w.b, true), (w.c, false)] {
            let r = try await accept(client, p, try await invite(client, w.prime, slug, p), listed: listed)
            try #require(r.status == .ok, "\(text(r))")
        }
        return slug
    }

    @Test("Private membership (issue 14 item 4, MISP #4200): a member that is not an administrator never learns of an unlisted member — not in the community, its collections' access, nor through the administrators' routes; administrators see all",
          arguments: TestDatabases.engines)
    func privacy(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(services)
            let slug = try await Self.populated(client, w)
            let c = Self.api(client, w.c.token)
            let seen = try await c.send(.get, Self.base(w.c) + "/communities/\(slug)")
            #expect(seen.status == .ok)
            let members = Set(((seen.json["members"] as? [[String: Any]]) ?? []).compactMap { $0["organizationId"] as? String })
            #expect(members == [w.prime.organizationID, w.b.organizationID, w.c.organizationID])
            #expect(!Self.text(seen).contains(w.a.organizationID) && !Self.text(seen).contains("SupplierA"))
            #expect((seen.json["invitations"] as? [Any])?.isEmpty == true && (seen.json["candidates"] as? [Any])?.isEmpty == true)
            #expect(((seen.json["collections"] as? [[String: Any]]) ?? []).allSatisfy { ($0["access"] as? [Any])?.isEmpty == true })
            let list = try await c.send(.get, Self.base(w.c) + "/communities")
            #expect(!Self.text(list).contains(w.a.organizationID))

            // The administrators' routes, called with the member's token: refused, and naming A gets nothing either.
            let collection = try #require(((seen.json["collections"] as? [[String: Any]]) ?? []).first?["id"] as? String)
            let attempts: [(HTTPRequest.Method, String, Any?)] = [
                (.put, "/communities/\(slug)/members/\(w.a.organizationID)", ["role": "member", "cuiAuthorized": true]),
                (.delete, "/communities/\(slug)/members/\(w.a.organizationID)", nil),
                (.put, "/communities/\(slug)/collections/\(collection)/access/\(w.a.organizationID)", ["canRead": false, "canWrite": false]),
                (.post, "/communities/\(slug)/invitations", ["organizationId": w.outsider.organizationID]),
                (.post, "/communities/\(slug)/collections", ["title": "Mine"]),
                (.put, "/communities/\(slug)/members/\(w.c.organizationID)", ["role": "administrator", "cuiAuthorized": true]),
            ]
            for (method, path, body) in attempts {
                let r = try await c.send(method, Self.base(w.c) + path, json: body)
                #expect(r.status == .forbidden, "\(method) \(path): \(r.status)")
                #expect(!Self.text(r).contains("SupplierA"))
            }
            // Ids with a NUL (PostgreSQL refuses such text) name nothing: not found, never a server error.
            #expect(try await c.send(.get, Self.base(w.c) + "/communities/x%00y").status == .notFound)
            #expect(try await c.send(.post, Self.base(w.c) + "/invitations/x%00y/decline").status == .notFound)
            // An outsider learns nothing of the community.
            #expect(try await Self.api(client, w.outsider.token).send(.get, Self.base(w.outsider) + "/communities/\(slug)").status == .notFound)

            // The administrator sees every member; when A chooses to be listed, C sees it too.
            let all = try await Self.api(client, w.prime.token).send(.get, Self.base(w.prime) + "/communities/\(slug)")
            #expect(((all.json["members"] as? [Any]) ?? []).count == 4)
            #expect(try await Self.api(client, w.a.token).send(.put, Self.base(w.a) + "/communities/\(slug)/listing", json: ["listed": true]).status == .noContent)
            #expect(Self.text(try await c.send(.get, Self.base(w.c) + "/communities/\(slug)")).contains(w.a.organizationID))
            #expect(try await Self.auditCount(services, .communityListingSet) == 1)
        }
    }

    @Test("Who may change (issue 14 item 4): a viewer of the administrator organization, a read-only token, and a contributor of a member organization are refused and change nothing; an external auditor sees no community",
          arguments: TestDatabases.engines)
    func roles(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(services)
            let slug = try await Self.populated(client, w)
            let viewer = Self.api(client, try await Self.colleague(services, w.prime.organizationID, .viewer))
            #expect(try await viewer.send(.get, Self.base(w.prime) + "/communities/\(slug)").status == .ok, "a viewer reads")
            #expect(try await viewer.send(.post, Self.base(w.prime) + "/communities", json: ["name": "Mine"]).status == .forbidden)
            #expect(try await viewer.send(.delete, Self.base(w.prime) + "/communities/\(slug)/members/\(w.a.organizationID)").status == .forbidden)
            let readOnly = Self.api(client, try await Self.colleague(services, w.prime.organizationID, .admin, scope: "read"))
            #expect(try await readOnly.send(.delete, Self.base(w.prime) + "/communities/\(slug)/members/\(w.a.organizationID)").status == .forbidden)
            let contributor = Self.api(client, try await Self.colleague(services, w.b.organizationID, .contributor))
            #expect(try await contributor.send(.post, Self.base(w.b) + "/communities/\(slug)/leave").status == .forbidden)
            #expect(try await contributor.send(.put, Self.base(w.b) + "/communities/\(slug)/listing", json: ["listed": false]).status == .forbidden)
            let auditor = Self.api(client, try await Self.colleague(services, w.b.organizationID, .auditor))
            #expect(try await auditor.send(.get, Self.base(w.b) + "/communities/\(slug)").status == .forbidden)
            let community = try #require(try await ThreatIntelStore(services.db).community(slug: slug))
            #expect(try await ThreatIntelStore(services.db).members(of: community.id).count == 4)
            let removed = try await Self.auditCount(services, .communityMemberRemoved), left = try await Self.auditCount(services, .communityMemberLeft)
            #expect(removed == 0 && left == 0)
        }
    }

    @Test("The last administrator (issue 14 item 4) cannot leave, be removed or demoted, and is told so; once another is administrator it may leave, and a removed member's access goes with it",
          arguments: TestDatabases.engines)
    func lastAdministrator(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(services)
            let slug = try await Self.populated(client, w)
            let admin = Self.api(client, w.prime.token), base = Self.base(w.prime) + "/communities/\(slug)"
            let leave = try await admin.send(.post, base + "/leave")
            #expect(leave.status == .conflict && Self.text(leave).contains("last administrator"))
            #expect(try await admin.send(.put, base + "/members/\(w.prime.organizationID)", json: ["role": "member", "cuiAuthorized": false]).status == .conflict)
            #expect(try await admin.send(.delete, base + "/members/\(w.prime.organizationID)").status == .conflict)
            let promoted = try await admin.send(.put, base + "/members/\(w.b.organizationID)", json: ["role": "administrator", "cuiAuthorized": true])
            #expect(promoted.status == .ok && promoted.json["role"] as? String == "administrator" && promoted.json["cuiAuthorized"] as? Bool == true)
            // A removed member loses its collections.
            #expect(try await admin.send(.delete, base + "/members/\(w.a.organizationID)").status == .noContent)
            let store = ThreatIntelStore(services.db)
            #expect(try await store.collections(in: nil, for: w.a.organizationID).isEmpty)
            #expect(try await Self.api(client, w.a.token).send(.get, Self.base(w.a) + "/communities/\(slug)").status == .notFound)
            #expect(try await admin.send(.post, base + "/leave").status == .noContent)
            #expect(try await Self.api(client, w.b.token).send(.post, Self.base(w.b) + "/communities/\(slug)/leave").status == .conflict)
        }
    }

    @Test("An ISAC the operator created (tekigo community create --kind isac) is administered the same way: its administrators invite any organization by id, which joins only by accepting; collections and access",
          arguments: TestDatabases.engines)
    func isac(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let w = try await Self.world(services)
            let ops = CommunityAdminUseCases(services.tenantEnvironment)
            _ = try await ops.create(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
            _ = try await ops.setMember(community: "dib-isac", organizationID: w.prime.organizationID, role: .administrator, listed: true, cuiAuthorized: true)
            let admin = Self.api(client, w.prime.token), base = Self.base(w.prime) + "/communities/dib-isac"
            #expect(try await admin.send(.post, base + "/invitations", json: ["organizationId": UUID().uuidString.lowercased()]).status == .notFound)
            let i = try await admin.send(.post, base + "/invitations", json: ["organizationId": w.outsider.organizationID])
            #expect(i.status == .created)
            let made = try await admin.send(.post, base + "/collections", json: ["title": "Indicators", "alias": "indicators"])
            #expect(made.status == .created)
            let collection = try #require(made.json["id"] as? String)
            #expect(try await admin.send(.post, base + "/collections", json: ["title": "Again", "alias": "indicators"]).status == .conflict)
            let joined = try await Self.accept(client, w.outsider, try #require(i.json["id"] as? String), listed: false)
            #expect(joined.status == .ok)
            #expect(((joined.json["collections"] as? [[String: Any]]) ?? []).first?["canWrite"] as? Bool == true)
            #expect(try await admin.send(.put, base + "/collections/\(collection)/access/\(w.outsider.organizationID)",
                                         json: ["canRead": true, "canWrite": false]).status == .noContent)
            let grant = try await ThreatIntelStore(services.db).collection(id: TAXIICollectionID(collection), for: w.outsider.organizationID)
            #expect(grant?.canRead == true && grant?.canWrite == false)
            #expect(try await admin.send(.put, base + "/collections/\(collection)/access/\(w.a.organizationID)",
                                         json: ["canRead": true, "canWrite": false]).status == .notFound, "access is for members only")
            // The administrators' view lists each member's access to the collection, and its own.
            let shown = try await admin.send(.get, base)
            let entry = try #require(((shown.json["collections"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == collection })
            #expect(entry["canRead"] as? Bool == true && entry["canWrite"] as? Bool == true)
            let access = Dictionary(uniqueKeysWithValues: ((entry["access"] as? [[String: Any]]) ?? []).compactMap { a in
                (a["organizationId"] as? String).map { ($0, [a["canRead"] as? Bool, a["canWrite"] as? Bool]) }
            })
            #expect(access == [w.prime.organizationID: [true, true], w.outsider.organizationID: [true, false]])
            // Removing the member takes its access off the list.
            #expect(try await admin.send(.delete, base + "/members/\(w.outsider.organizationID)").status == .noContent)
            let after = try await admin.send(.get, base)
            let left = ((after.json["collections"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == collection }
            #expect((left?["access"] as? [[String: Any]])?.compactMap { $0["organizationId"] as? String } == [w.prime.organizationID])
        }
    }

    // MARK: pages

    /// A signed-in, enrolled owner of `orgID` in the browser.
    static func owner(_ client: any TestClientProtocol, _ services: Services, _ orgID: String, email: String) async throws -> Browser {
        _ = try await AccountSafetyTests.member(services, orgID, .owner, email: email)
        let b = Browser(client)
        try await b.login(email, AccountSafetyTests.password)
        let enrol = try await b.send(.post, "/api/v1/me/mfa")
        let secret = try #require(enrol.json["secret"] as? String)
        let confirm = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())])
        try #require(confirm.status == .ok, "enrolment: \(confirm.status)")
        return b
    }

    @Test("Pages (ja/en, CSRF): the prime creates a supply-chain community and invites a supplier from its tree; the supplier's owner sees the invitation, accepts unlisted; a forged form changes nothing; a fellow member's page does not show it",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let prime = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(prime, services: services)
            let chain = try await SupplyChainPageTests.chain(services, primeID: primeID)
            let list = try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities")
            #expect(list.status == .ok && list.html.contains("共有コミュニティ") && list.html.contains("サプライチェーン・コミュニティの作成"))
            let en = try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities", "en")
            #expect(en.status == .ok && en.html.contains("Create a supply-chain community"))
            let csrf = try #require(WebPageTests.formToken(list.html))
            let forged = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities", [("csrf", "wrong"), ("name", "偽")])
            #expect(forged.status == .forbidden)
            #expect(try await ThreatIntelStore(services.db).communities().isEmpty)
            let bad = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities", [("csrf", csrf), ("name", "x"), ("slug", "Bad Slug")])
            #expect(bad.status == .badRequest && bad.html.contains("識別名"))
            let made = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities",
                                                        [("csrf", csrf), ("name", "プライム調達網"), ("slug", "prime-chain")])
            #expect(made.status == .seeOther)
            let page = try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities/prime-chain")
            #expect(page.status == .ok && page.html.contains("プライム調達網") && page.html.contains("/taxii2/prime-chain/"))
            #expect(page.html.contains("浜松富士精機株式会社") && page.html.contains("Apex Precision Machining LLC"))
            #expect(!page.html.contains("他社の下請株式会社") && !page.html.contains("他社重工株式会社"), "only the creator's tree")
            #expect(page.html.contains("燕三光鍛造株式会社"), "a second-tier supplier that shares with the prime is a candidate")
            let t1a = chain.t1a.organizationID, t1b = chain.t1b.organizationID
            for s in [t1a, t1b] {
                let invited = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities/prime-chain/invite",
                                                               [("csrf", csrf), ("organization", s)])
                #expect(invited.status == .seeOther)
            }
            let outsider = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities/prime-chain/invite",
                                                            [("csrf", csrf), ("organization", chain.o1.organizationID)])
            #expect(outsider.status == .badRequest && outsider.html.contains("サプライチェーン"))

            // The supplier's owner answers.
            let supplier = try await Self.owner(client, services, t1a, email: "owner-t1a@example.jp")
            let inbox = try await IncidentPageTests.get(supplier, "/o/\(t1a)/sharing/communities")
            #expect(inbox.status == .ok && inbox.html.contains("プライム調達網") && inbox.html.contains("承諾して参加"))
            let inboxEN = try await IncidentPageTests.get(supplier, "/o/\(t1a)/sharing/communities", "en")
            #expect(inboxEN.html.contains("Accept and join") && inboxEN.html.contains("Invitations to your organization"))
            let invitation = try #require(try await CommunityInvitationStore(services.db).invitations(for: t1a).first?.id)
            let scsrf = try #require(WebPageTests.formToken(inbox.html))
            let forgedAccept = try await IncidentPageTests.post(supplier, "/o/\(t1a)/sharing/invitations/\(invitation)",
                                                                [("csrf", "wrong"), ("decision", "accept")])
            #expect(forgedAccept.status == .forbidden)
            let accepted = try await IncidentPageTests.post(supplier, "/o/\(t1a)/sharing/invitations/\(invitation)",
                                                            [("csrf", scsrf), ("decision", "accept")])
            #expect(accepted.status == .seeOther && accepted.headers[.location]?.hasPrefix("/o/\(t1a)/sharing/communities/prime-chain") == true)
            let mine = try await IncidentPageTests.get(supplier, "/o/\(t1a)/sharing/communities/prime-chain", "en")
            #expect(mine.status == .ok && mine.html.contains("Not listed") && mine.html.contains("Members"))
            let again = try await IncidentPageTests.post(supplier, "/o/\(t1a)/sharing/invitations/\(invitation)",
                                                         [("csrf", scsrf), ("decision", "accept")])
            #expect(again.status == .conflict)

            // T1b accepts through the use cases; its owner's page never shows the unlisted T1a.
            let t1bInvitation = try #require(try await CommunityInvitationStore(services.db).invitations(for: t1b).first?.id)
            try await CommunityUseCases(services.tenantEnvironment, chain.t1b, personID: chain.t1b.actor.id).accept(invitation: t1bInvitation, listed: true)
            let other = try await Self.owner(client, services, t1b, email: "owner-t1b@example.jp")
            let theirs = try await IncidentPageTests.get(other, "/o/\(t1b)/sharing/communities/prime-chain")
            #expect(theirs.status == .ok && theirs.html.contains("Apex Precision Machining LLC") && !theirs.html.contains("浜松富士精機株式会社"))
            #expect(!theirs.html.contains(t1a))
            // The administrator sees both.
            let adminView = try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities/prime-chain")
            #expect(adminView.html.contains("浜松富士精機株式会社") && adminView.html.contains("Apex Precision Machining LLC"))
        }
    }

    @Test("Pages (ja/en, CSRF): the administrators' forms — collection, access, role and CUI, remove, withdraw — the member's listing and leave, decline, the last administrator told on the page, an operator's ISAC invites by id; a viewer sees no forms and its post is refused",
          arguments: TestDatabases.engines)
    func administrationPages(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let prime = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(prime, services: services)
            let chain = try await SupplyChainPageTests.chain(services, primeID: primeID)
            let t1a = chain.t1a.organizationID, t1b = chain.t1b.organizationID
            let csrf = try #require(WebPageTests.formToken(try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities").html))
            let root = "/o/\(primeID)/sharing/communities/prime-chain"
            #expect(try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities",
                                                     [("csrf", csrf), ("name", "プライム調達網"), ("slug", "prime-chain")]).status == .seeOther)
            for s in [t1a, t1b] {
                #expect(try await IncidentPageTests.post(prime, root + "/invite", [("csrf", csrf), ("organization", s)]).status == .seeOther)
            }
            let invitations = CommunityInvitationStore(services.db)
            let ia = try #require(try await invitations.invitations(for: t1a).first?.id)
            let ib = try #require(try await invitations.invitations(for: t1b).first?.id)
            try await CommunityUseCases(services.tenantEnvironment, chain.t1a, personID: chain.t1a.actor.id).accept(invitation: ia, listed: false)

            // Withdraw T1b's invitation from the page; T1b's owner then cannot accept it, and sees it gone.
            #expect(try await IncidentPageTests.post(prime, root + "/invitations/\(ib)/withdraw", [("csrf", csrf)]).status == .seeOther)
            let supplierB = try await Self.owner(client, services, t1b, email: "owner-b@example.jp")
            let bPage = try await IncidentPageTests.get(supplierB, "/o/\(t1b)/sharing/communities")
            #expect(bPage.html.contains("保留中の招待はありません"))
            let bcsrf = try #require(WebPageTests.formToken(bPage.html))
            let late = try await IncidentPageTests.post(supplierB, "/o/\(t1b)/sharing/invitations/\(ib)", [("csrf", bcsrf), ("decision", "accept")])
            #expect(late.status == .conflict && late.html.contains("取消し済み"))

            // Collections and access.
            #expect(try await IncidentPageTests.post(prime, root + "/collections",
                                                     [("csrf", csrf), ("title", "指標"), ("alias", "indicators"), ("description", "")]).status == .seeOther)
            let store = ThreatIntelStore(services.db)
            let community = try #require(try await store.community(slug: "prime-chain"))
            let indicators = try #require(try await store.collection(alias: "indicators", in: community.id))
            #expect(try await store.collection(id: indicators.id, for: t1a) == nil, "a new collection is the creator's until access is set")
            #expect(try await IncidentPageTests.post(prime, root + "/collections/\(indicators.id.rawValue)/access",
                                                     [("csrf", csrf), ("organization", t1a), ("can_read", "1")]).status == .seeOther)
            let grant = try await store.collection(id: indicators.id, for: t1a)
            #expect(grant?.canRead == true && grant?.canWrite == false)
            let dup = try await IncidentPageTests.post(prime, root + "/collections", [("csrf", csrf), ("title", "再"), ("alias", "indicators")], "en")
            #expect(dup.status == .conflict && dup.html.contains("alias"))

            // Role and CUI, then the last administrator told on the page.
            #expect(try await IncidentPageTests.post(prime, root + "/members/\(t1a)", [("csrf", csrf), ("role", "member"), ("cui_authorized", "1")]).status == .seeOther)
            #expect(try await store.member(community.id, organization: t1a)?.cuiAuthorized == true)
            let leave = try await IncidentPageTests.post(prime, root + "/leave", [("csrf", csrf)])
            #expect(leave.status == .conflict && leave.html.contains("最後の管理者"))
            let demote = try await IncidentPageTests.post(prime, root + "/members/\(primeID)", [("csrf", csrf), ("role", "member")], "en")
            #expect(demote.status == .conflict && demote.html.contains("last administrator"))

            // The member's own listing, then leaving.
            let supplierA = try await Self.owner(client, services, t1a, email: "owner-a@example.jp")
            let aRoot = "/o/\(t1a)/sharing/communities/prime-chain"
            let aPage = try await IncidentPageTests.get(supplierA, aRoot)
            #expect(aPage.status == .ok && aPage.html.contains("指標") && !aPage.html.contains(aRoot + "/members") && !aPage.html.contains(aRoot + "/invite"))
            let acsrf = try #require(WebPageTests.formToken(aPage.html))
            #expect(try await IncidentPageTests.post(supplierA, aRoot + "/listing", [("csrf", acsrf), ("listed", "1")]).status == .seeOther)
            #expect(try await store.member(community.id, organization: t1a)?.listed == true)
            #expect(try await IncidentPageTests.post(supplierA, aRoot + "/members/\(t1a)/remove", [("csrf", acsrf)]).status == .forbidden)
            #expect(try await IncidentPageTests.post(supplierA, aRoot + "/leave", [("csrf", "wrong")]).status == .forbidden)
            let left = try await IncidentPageTests.post(supplierA, aRoot + "/leave", [("csrf", acsrf)])
            #expect(left.status == .seeOther && left.headers[.location]?.hasPrefix("/o/\(t1a)/sharing/communities") == true)
            #expect(try await store.member(community.id, organization: t1a) == nil)
            #expect(try await store.collections(in: nil, for: t1a).isEmpty)
            #expect(try await IncidentPageTests.get(supplierA, aRoot).status == .notFound)

            // An operator's ISAC: its administrator invites by id on the page; the invited organization declines.
            let ops = CommunityAdminUseCases(services.tenantEnvironment)
            _ = try await ops.create(slug: "dib-isac", name: "DIB ISAC", kind: .isac)
            _ = try await ops.setMember(community: "dib-isac", organizationID: primeID, role: .administrator, listed: true, cuiAuthorized: true)
            let isac = try await IncidentPageTests.get(prime, "/o/\(primeID)/sharing/communities/dib-isac", "en")
            #expect(isac.status == .ok && isac.html.contains("Organization id"))
            let byID = try await IncidentPageTests.post(prime, "/o/\(primeID)/sharing/communities/dib-isac/invite",
                                                        [("csrf", csrf), ("organization", chain.o1.organizationID)])
            #expect(byID.status == .seeOther)
            let io = try #require(try await invitations.invitations(for: chain.o1.organizationID).first?.id)
            try await CommunityUseCases(services.tenantEnvironment, chain.o1, personID: chain.o1.actor.id).decline(invitation: io)
            #expect(try await store.member(try #require(try await store.community(slug: "dib-isac")).id, organization: chain.o1.organizationID) == nil)

            // Remove a member from the page (T1b, accepted on a new invitation).
            _ = try await CommunityUseCases(services.tenantEnvironment, chain.prime, personID: chain.prime.actor.id).invite(community: "prime-chain", organizationID: t1b)
            let ib2 = try #require(try await invitations.invitations(for: t1b).first?.id)
            try await CommunityUseCases(services.tenantEnvironment, chain.t1b, personID: chain.t1b.actor.id).accept(invitation: ib2, listed: true)
            #expect(try await IncidentPageTests.post(prime, root + "/members/\(t1b)/remove", [("csrf", csrf)]).status == .seeOther)
            #expect(try await store.member(community.id, organization: t1b) == nil)

            // A viewer of the prime reads the page without forms; its post is refused and changes nothing.
            let viewer = try await IncidentPageTests.viewer(client, services, primeID)
            let seen = try await IncidentPageTests.get(viewer, root)
            #expect(seen.status == .ok && !seen.html.contains(root + "/collections\"") && !seen.html.contains(root + "/leave"))
            let vcsrf = try #require(WebPageTests.formToken(seen.html))
            #expect(try await IncidentPageTests.post(viewer, root + "/collections", [("csrf", vcsrf), ("title", "閲覧者")]).status == .forbidden)
            #expect(try await store.collections(in: community.id).count == 2)
        }
    }
}
