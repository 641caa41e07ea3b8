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
import Logging

/// The customer's side of the supply chain as pages (issue #12 item 2), over real HTTP on loopback: suppliers and
/// invitations, contracts and flow-down requirements, the roll-up with its filters and paging, needs action and a
/// supplier's detail exactly as consent allows — in Japanese and English; every form with its CSRF field, refused to
/// a viewer, answering another organization's ids with the not-found page and a stale version with the conflict page.
@Suite("Supply chain pages (customer side)", .serialized)
struct SupplyChainPageTests {
    typealias Page = (status: HTTPResponse.Status, headers: HTTPFields, html: String)

    /// The prime (the administrator's organization from `bootstrapAdmin`) and a small chain built with the use cases:
    ///
    ///     Prime ── T1-A (shares every family with the prime) ── T2 (shares a summary with the prime)
    ///           └─ T1-B (shares nothing)
    ///     Other ── O1 (another customer's supplier)
    struct Chain: Sendable {
        let prime: TenantScope
        let t1a: TenantScope
        let t1b: TenantScope
        let t2: TenantScope
        let other: TenantScope
        let o1: TenantScope
        var primeID: String { prime.organizationID }
    }

    static func scope(_ services: Services, _ org: OrganizationRecord, _ user: UserRecord) -> TenantScope {
        TenantScope(organization: org, role: .owner, actor: Actor(id: user.id, sourceIP: "192.0.2.40"),
                    store: TenantStore(services.db, organizationID: org.id))
    }

    /// A new organization with its owner (who never signs in here: the use cases act for it).
    static func org(_ services: Services, _ name: String) async throws -> TenantScope {
        let user = try await services.accounts.createUser(email: "owner-\(UUID().uuidString.prefix(8).lowercased())@example.jp",
                                                          displayName: name, passwordHash: "x", platformAdmin: false)
        let o = try await services.accounts.createOrganization(name: name, owner: user.id)
        return scope(services, o, user)
    }

    static func link(_ services: Services, _ customer: TenantScope, _ supplier: TenantScope) async throws {
        let env = services.tenantEnvironment
        let (token, _) = try await SupplierLinkUseCases(env, customer).invite(note: supplier.organization.name, expiresInDays: nil)
        _ = try await SupplierLinkUseCases(env, supplier).accept(token: token)
    }

    /// An attestation of a new (unanswered) SP 800-171 rev2 assessment, at `detail`, shared with `viewer`.
    static func attest(_ services: Services, _ supplier: TenantScope, detail: String, sharedWith viewer: String) async throws {
        let env = services.tenantEnvironment
        let store = TenantStore(services.db, organizationID: supplier.organizationID)
        let system = try await store.createSystem(SystemProfile(name: "本社ネットワーク"), by: supplier.actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2,
                                                 date: services.today(for: supplier.organization).adding(days: -1), kind: .basic,
                                                 assessor: "", by: supplier.actor)
        _ = try await AttestationUseCases(env, supplier).issue(assessmentID: a.id, detail: detail, systemScope: nil)
        _ = try await ConsentUseCases(env, supplier).grant(viewer: viewer, onward: nil)
    }

    static func chain(_ services: Services, primeID: String) async throws -> Chain {
        let admin = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let primeOrg = try #require(try await services.accounts.organization(id: primeID))
        let prime = scope(services, primeOrg, admin)
        let t1a = try await org(services, "浜松富士精機株式会社")
        let t1b = try await org(services, "Apex Precision Machining LLC")
        let t2 = try await org(services, "燕三光鍛造株式会社")
        let other = try await org(services, "他社重工株式会社")
        let o1 = try await org(services, "他社の下請株式会社")
        try await link(services, prime, t1a)
        try await link(services, prime, t1b)
        try await link(services, t1a, t2)
        try await link(services, other, o1)
        try await attest(services, t1a, detail: "families", sharedWith: primeID)
        try await attest(services, t2, detail: "summary", sharedWith: primeID)
        // The prime requires SPRS ≥ 88 of both direct suppliers.
        for s in [t1a, t1b] {
            _ = try await FlowDownUseCases(services.tenantEnvironment, prime).create(RequirementTerms(
                supplierID: s.organizationID, contractID: nil, catalog: nil, minimum: "sprs>=88", dueOn: "2027-03-31", mustFlowDown: true))
        }
        return Chain(prime: prime, t1a: t1a, t1b: t1b, t2: t2, other: other, o1: o1)
    }

    static func get(_ b: Browser, _ uri: String, _ lang: String = "ja") async throws -> Page {
        try await WebPageTests.page(b, .get, uri, language: lang)
    }

    static func post(_ b: Browser, _ uri: String, _ form: [(String, String)], _ lang: String = "ja") async throws -> Page {
        try await WebPageTests.page(b, .post, uri, form: form, language: lang)
    }

    /// A signed-in, enrolled viewer of `orgID`.
    static func viewer(_ client: any TestClientProtocol, _ services: Services, _ orgID: String) async throws -> Browser {
        let hash = try await PasswordHasher.hash("viewer passphrase 2026")
        let user = try await services.accounts.createUser(email: "viewer@example.jp", displayName: "閲覧 次郎", passwordHash: hash,
                                                          platformAdmin: false)
        try await services.accounts.setMembership(userID: user.id, organizationID: orgID, role: .viewer)
        let v = Browser(client)
        try await v.login("viewer@example.jp", "viewer passphrase 2026")
        _ = try await AccountSafetyTests.enrol(v)
        return v
    }

    static func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    // MARK: rendering

    @Test("Every page renders in Japanese and English for a prime with a small chain; the navigation has the supply chain",
          arguments: TestDatabases.engines)
    func pagesInBothLanguages(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(admin, services: services)
            let c = try await Self.chain(services, primeID: primeID)
            let o = "/o/\(primeID)"
            for (lang, words) in [("ja", ["サプライチェーン全体", "第1階層", "第2階層", "要対応のサプライヤー", "階層ごとの SPRS スコア分布"]),
                                  ("en", ["Supply chain overview", "Tier 1", "Tier 2", "Suppliers needing action", "SPRS score distribution by tier"])] {
                let rollup = try await Self.get(admin, "\(o)/supply-chain", lang)
                #expect(rollup.status == .ok)
                for w in words { #expect(rollup.html.contains(w), "\(lang) roll-up: \(w)") }
                #expect(rollup.html.contains("<svg") && rollup.html.contains("role=\"img\""), "inline SVG charts")
                #expect(rollup.html.contains("aria-current=\"page\">\(lang == "ja" ? "サプライチェーン" : "Supply chain")</a>"))
                // Named: the three suppliers that consented or link directly and are visible; never T1-B (no consent).
                #expect(rollup.html.contains("浜松富士精機株式会社") && rollup.html.contains("燕三光鍛造株式会社"))
                #expect(!rollup.html.contains("Apex Precision Machining LLC"))
                #expect(rollup.html.contains("/api/v1/organizations/\(primeID)/rollup/export?format=xlsx&amp;lang=\(lang)"))

                let suppliers = try await Self.get(admin, "\(o)/suppliers", lang)
                #expect(suppliers.status == .ok)
                #expect(suppliers.html.contains("浜松富士精機株式会社") && suppliers.html.contains("Apex Precision Machining LLC"))
                #expect(!suppliers.html.contains("燕三光鍛造株式会社"), "the suppliers page lists direct suppliers only")
                #expect(suppliers.html.contains(lang == "ja" ? "共有されていません" : "Not shared"), "T1-B's status is not shared")

                let t1a = try await Self.get(admin, "\(o)/suppliers/\(c.t1a.organizationID)", lang)
                #expect(t1a.status == .ok && t1a.html.contains(lang == "ja" ? "SPRS スコア 88 以上" : "SPRS score 88 or more"))
                #expect(t1a.html.contains("name=\"version\""), "delete forms carry the version")

                let needs = try await Self.get(admin, "\(o)/supply-chain/needs-action", lang)
                #expect(needs.status == .ok && needs.html.contains("浜松富士精機株式会社"))
                #expect(needs.html.contains(lang == "ja" ? "開示の同意がないため件数のみ" : "only counted"), "T1-B needs action, counted only")
            }
            // Every page's links point at routes that exist (a second page of nothing is still a page).
            #expect(try await Self.get(admin, "\(o)/supply-chain?tier=1&status=below-minimum").status == .ok)
        }
    }

    @Test("A supplier's detail as consent allows: every family, counts only for a summary, nothing shared and why; others not found",
          arguments: TestDatabases.engines)
    func detailAsConsentAllows(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(admin, services: services)
            let c = try await Self.chain(services, primeID: primeID)
            let base = "/o/\(primeID)/supply-chain/suppliers/"
            // T1-A shares every family: the families table, no restriction notice, the signed file's link.
            let full = try await Self.get(admin, base + c.t1a.organizationID)
            #expect(full.status == .ok && full.html.contains("ファミリーごとの内訳") && full.html.contains("3.1 "))
            #expect(!full.html.contains("role=\"note\""))
            #expect(full.html.contains("/api/v1/organizations/\(primeID)/supplier-attestations/\(c.t1a.organizationID)/export"))
            // T2 (tier 2) shares a summary: the counts, and the page says why there is no more.
            for (lang, why) in [("ja", "概要レベルで証明書を共有しているため、件数のみを表示"), ("en", "shares its attestation at summary level")] {
                let summary = try await Self.get(admin, base + c.t2.organizationID, lang)
                #expect(summary.status == .ok && summary.html.contains(why), "\(lang)")
                #expect(summary.html.contains(lang == "ja" ? "要件の集計" : "Requirement counts"))
                #expect(!summary.html.contains(lang == "ja" ? "<h3>ファミリーごとの内訳" : "<h3>By family"))
                #expect(summary.html.contains(lang == "ja" ? "階層 <strong>2</strong>" : "Tier <strong>2</strong>"), "T2 is named in the roll-up")
            }
            // T1-B shares nothing: no attestation data, the reason, and the counts of what the prime itself set.
            for (lang, why, counts) in [("ja", "あなたの組織と共有されていません", "要件 1 件（基準を満たしていないもの 1 件"),
                                        ("en", "is not shared with your organization", "1 requirement(s): 1 not met")] {
                let none = try await Self.get(admin, base + c.t1b.organizationID, lang)
                #expect(none.status == .ok && none.html.contains(why) && none.html.contains(counts), "\(lang)")
                #expect(!none.html.contains("supplier-attestations"), "no link to a file the prime may not have")
            }
            // After T1-B withdraws nothing (it never granted) but T1-A withdraws: at once, counts only.
            try await ConsentUseCases(services.tenantEnvironment, c.t1a).withdraw(viewer: primeID)
            let withdrawn = try await Self.get(admin, base + c.t1a.organizationID)
            #expect(withdrawn.status == .ok && withdrawn.html.contains("あなたの組織と共有されていません"))
            #expect(!withdrawn.html.contains("ファミリーごとの内訳"))
            // Another customer's supplier and an unknown id: the same not-found page.
            for id in [c.o1.organizationID, UUID().uuidString.lowercased(), c.other.organizationID] {
                let r = try await Self.get(admin, base + id)
                #expect(r.status == .notFound && r.html.contains("お探しのページは見つかりませんでした"), "\(id)")
            }
            // The API's export answers the browser's session (the page links to it).
            let xlsx = try await admin.client.execute(uri: "/api/v1/organizations/\(primeID)/rollup/export?format=xlsx&lang=ja",
                                                      method: .get, headers: [.cookie: "tekigo_session=\(admin.cookie ?? "")"])
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
        }
    }

    // MARK: forms

    @Test("Invitations: the link shown once, bad input kept with its message, revoke; a viewer and a wrong token are refused",
          arguments: TestDatabases.engines)
    func invitations(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(admin, services: services)
            let o = "/o/\(primeID)"
            let page = try await Self.get(admin, "\(o)/suppliers")
            let csrf = try #require(WebPageTests.formToken(page.html))
            #expect(page.html.contains("サプライヤーはまだありません。下のフォームで招待してください。"))
            let empty = try await Self.get(admin, "\(o)/supply-chain", "en")
            #expect(empty.status == .ok && empty.html.contains("No suppliers yet. Once you invite suppliers"))
            let both = try await Self.post(admin, "\(o)/suppliers", [("csrf", csrf), ("email", "nobody"), ("days", "一週間")])
            #expect(both.status == .badRequest && both.html.contains("id=\"email-error\"") && both.html.contains("id=\"days-error\""))
            let links = { () async throws -> [SupplierInvitationRecord] in
                let admin = try #require(try await services.accounts.user(email: "admin@example.jp"))
                let org = try #require(try await services.accounts.organization(id: primeID))
                return try await SupplierLinkUseCases(services.tenantEnvironment, Self.scope(services, org, admin)).invitations()
            }
            // Bad address, bad lifetime: 400, the values kept, nothing created.
            let bad = try await Self.post(admin, "\(o)/suppliers", [("csrf", csrf), ("email", "not-an-address"), ("note", "鍛造の見積"),
                                                                  ("days", "45")])
            #expect(bad.status == .badRequest && bad.html.contains("value=\"not-an-address\"") && bad.html.contains("鍛造の見積"))
            #expect(bad.html.contains("id=\"email-error\""))
            let days = try await Self.post(admin, "\(o)/suppliers", [("csrf", csrf), ("email", "sales@tsubame.example.jp"), ("days", "45")],
                                           "en")
            #expect(days.status == .badRequest && days.html.contains("Enter the days as a whole number from 1 to 30."))
            #expect(try await links().isEmpty)
            // A wrong CSRF token: the 403 page, nothing created.
            let forged = try await Self.post(admin, "\(o)/suppliers", [("csrf", "forged"), ("email", "a@b.example"), ("days", "7")])
            #expect(forged.status == .forbidden && forged.html.contains("フォームの有効期限が切れたか"))
            // A good one: the link shown once, to copy; the open invitation listed with the contact.
            let made = try await Self.post(admin, "\(o)/suppliers", [("csrf", csrf), ("email", "Sales@Tsubame.example.jp"), ("note", "鍛造部品"),
                                                                   ("days", "7")])
            #expect(made.status == .created && made.html.contains("/account/supplier-invitation?token="))
            let open1 = try await links()
            // The contact in its own column, the note as written (neither counts against the other's length).
            #expect(open1.count == 1 && open1[0].contactEmail == "sales@tsubame.example.jp" && open1[0].note == "鍛造部品")
            let again = try await Self.get(admin, "\(o)/suppliers")
            #expect(!again.html.contains("supplier-invitation?token="), "the link is shown once")
            #expect(again.html.contains("<td>sales@tsubame.example.jp</td><td>鍛造部品</td>"))
            // A viewer sees the list but no form, and its post is refused.
            let v = try await Self.viewer(client, services, primeID)
            let vpage = try await Self.get(v, "\(o)/suppliers")
            #expect(vpage.status == .ok && !vpage.html.contains("name=\"email\""))
            let vcsrf = try #require(WebPageTests.formToken(vpage.html))
            let refused = try await Self.post(v, "\(o)/suppliers", [("csrf", vcsrf), ("email", "x@y.example"), ("days", "7")])
            #expect(refused.status == .forbidden && refused.html.contains("権限がありません"))
            let vrevoke = try await Self.post(v, "\(o)/supplier-invitations/\(open1[0].tokenHash)/revoke", [("csrf", vcsrf)])
            #expect(vrevoke.status == .forbidden)
            #expect(try await links().count == 1)
            // Revoke: gone at once; revoking again is the not-found page.
            let revoked = try await Self.post(admin, "\(o)/supplier-invitations/\(open1[0].tokenHash)/revoke", [("csrf", csrf)])
            #expect(revoked.status == .seeOther && revoked.headers[.location] == "\(o)/suppliers?notice=supply_revoked")
            #expect(try await links().isEmpty)
            let twice = try await Self.post(admin, "\(o)/supplier-invitations/\(open1[0].tokenHash)/revoke", [("csrf", csrf)])
            #expect(twice.status == .notFound)
            // The API takes the same contact through the same operation, and refuses what is no address (nothing made).
            let api = "/api/v1/organizations/\(primeID)/supplier-invitations"
            let byAPI = try await admin.send(.post, api, json: ["contactEmail": "Buyer@Kiso.example.jp", "note": "樹脂部品"])
            #expect(byAPI.status == .created && byAPI.json["contactEmail"] as? String == "buyer@kiso.example.jp")
            #expect(try await admin.send(.post, api, json: ["contactEmail": "not an address"]).status == .badRequest)
            let listed = try await admin.send(.get, api)
            #expect((listed.json["items"] as? [[String: Any]])?.map { $0["contactEmail"] as? String } == ["buyer@kiso.example.jp"])
        }
    }

    @Test("Contracts and requirements: create, edit at a version (stale or twice: the conflict page), delete; other ids not found; remove the supplier after confirming",
          arguments: TestDatabases.engines)
    func contractsAndRequirements(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(admin, services: services)
            let c = try await Self.chain(services, primeID: primeID)
            let s = "/o/\(primeID)/suppliers/\(c.t1b.organizationID)"
            let env = services.tenantEnvironment
            let contracts = { try await ContractUseCases(env, c.prime).contracts(supplierID: c.t1b.organizationID) }
            let requirements = { try await FlowDownUseCases(env, c.prime).requirements(supplierID: c.t1b.organizationID) }
            let page = try await Self.get(admin, s)
            let csrf = try #require(WebPageTests.formToken(page.html))

            // Contracts: the domain's rules as messages beside the field, the input kept.
            let cui = try await Self.post(admin, "\(s)/contracts", [("csrf", csrf), ("number", "DH-2026-001"), ("designation", "cui"),
                                                                  ("clauses", "dfars-252.204-7019")])
            #expect(cui.status == .badRequest && cui.html.contains("CUI を扱う契約には DFARS 252.204-7012 の条項が必要です。"))
            #expect(cui.html.contains("value=\"DH-2026-001\""))
            let level = try await Self.post(admin, "\(s)/contracts", [("csrf", csrf), ("number", "DH-2026-001"), ("designation", "cui"),
                                                                    ("clauses", "dfars-252.204-7012"), ("clauses", "cmmc")], "en")
            #expect(level.status == .badRequest && level.html.contains("With the CMMC clause, choose the CMMC level it requires."))
            let made = try await Self.post(admin, "\(s)/contracts", [("csrf", csrf), ("number", "DH-2026-001"), ("designation", "both"),
                                                                   ("clauses", "dfars-252.204-7012"), ("clauses", "japanese-standard"),
                                                                   ("clauses", "cmmc"), ("cmmc_level", "2")])
            #expect(made.status == .seeOther)
            let contract = try #require(try await contracts().first)
            #expect(contract.number == "DH-2026-001" && contract.cmmcLevel == 2 && contract.clauseList.contains("japanese-standard"))
            let dup = try await Self.post(admin, "\(s)/contracts", [("csrf", csrf), ("number", "DH-2026-001"), ("designation", "cui"),
                                                                  ("clauses", "dfars-252.204-7012")])
            #expect(dup.status == .badRequest && dup.html.contains("同じ契約番号がすでにあります"))
            #expect(try await contracts().count == 1)
            // Edit at the version read; the same form again is stale: the conflict page, nothing changed.
            let edit = try await Self.get(admin, "\(s)/contracts/\(contract.id)")
            #expect(edit.status == .ok && edit.html.contains("name=\"version\" value=\"\(contract.version)\""))
            let save: [(String, String)] = [("csrf", csrf), ("version", "\(contract.version)"), ("number", "DH-2026-001A"), ("designation", "cui"),
                                            ("clauses", "dfars-252.204-7012")]
            #expect(try await Self.post(admin, "\(s)/contracts/\(contract.id)", save).status == .seeOther)
            let stale = try await Self.post(admin, "\(s)/contracts/\(contract.id)", save.map { $0.0 == "number" ? ("number", "DH-X") : $0 })
            #expect(stale.status == .conflict && stale.html.contains("他の人が先に変更しました"))
            let saved = try #require(try await contracts().first)
            #expect(saved.number == "DH-2026-001A" && saved.version == contract.version + 1)
            // A form without its version is a bad form, never an unconditional save.
            let noVersion = try await Self.post(admin, "\(s)/contracts/\(contract.id)", Array(save.filter { $0.0 != "version" }))
            #expect(noVersion.status == .badRequest)

            // Requirements: the minimum's kinds, bad numbers and ranges beside the field.
            let word = try await Self.post(admin, "\(s)/requirements", [("csrf", csrf), ("catalog", "sp800-171r2"), ("kind", "sprs"),
                                                                      ("sprs", "八十八"), ("due", "2027-06-30"), ("flow_down", "1")])
            #expect(word.status == .badRequest && word.html.contains("id=\"sprs-error\"") && word.html.contains("value=\"八十八\""))
            let range = try await Self.post(admin, "\(s)/requirements", [("csrf", csrf), ("catalog", "sp800-171r2"), ("kind", "sprs"),
                                                                       ("sprs", "200"), ("due", "2027-06-30")])
            #expect(range.status == .badRequest && range.html.contains("−203〜110 の整数です"))
            let r3 = try await Self.post(admin, "\(s)/requirements", [("csrf", csrf), ("catalog", "sp800-171r3"), ("kind", "cmmc-l2"),
                                                                    ("due", "2027-06-30")])
            #expect(r3.status == .badRequest && r3.html.contains("NIST SP 800-171 Rev.2 です"))
            let date = try await Self.post(admin, "\(s)/requirements", [("csrf", csrf), ("catalog", "sp800-171r2"), ("kind", "all-met"),
                                                                      ("due", "2027-13-45")])
            #expect(date.status == .badRequest && date.html.contains("id=\"due-error\""))
            #expect(try await requirements().count == 1, "only the chain's own requirement")
            let cmmc = try await Self.post(admin, "\(s)/requirements", [("csrf", csrf), ("catalog", "sp800-171r2"), ("kind", "cmmc-l2"),
                                                                      ("due", "2027-06-30"), ("contract", saved.id)])
            #expect(cmmc.status == .seeOther)
            let req = try #require(try await requirements().first { $0.listing.record.minimum == "cmmc-l2" })
            #expect(req.listing.record.contractId == saved.id && req.listing.record.mustFlowDown == 0)
            let reqURL = "\(s)/requirements/\(req.listing.record.id)"
            let form: [(String, String)] = [("csrf", csrf), ("version", "\(req.listing.record.version)"), ("catalog", "sp800-171r2"),
                                            ("kind", "sprs"), ("sprs", "100"), ("due", "2027-09-30"), ("flow_down", "1")]
            #expect(try await Self.post(admin, reqURL, form).status == .seeOther)
            #expect(try await Self.post(admin, reqURL, form).status == .conflict, "saving the same form twice changes nothing")
            let after = try #require(try await requirements().first { $0.listing.record.id == req.listing.record.id })
            #expect(after.listing.record.minimum == "sprs>=100" && after.listing.record.dueOn == "2027-09-30")
            #expect(after.listing.record.mustFlowDown == 1)
            let staleDelete = try await Self.post(admin, "\(reqURL)/delete", [("csrf", csrf), ("version", "\(req.listing.record.version)")])
            #expect(staleDelete.status == .conflict)
            #expect(try await Self.post(admin, "\(reqURL)/delete", [("csrf", csrf), ("version", "\(after.listing.record.version)")]).status == .seeOther)
            #expect(try await Self.post(admin, "\(reqURL)/delete", [("csrf", csrf), ("version", "\(after.listing.record.version)")]).status == .notFound)

            // Another organization's supplier, a contract of another supplier, a requirement of another supplier: not found.
            let foreign = "/o/\(primeID)/suppliers/\(c.o1.organizationID)"
            #expect(try await Self.get(admin, foreign).status == .notFound)
            #expect(try await Self.post(admin, "\(foreign)/contracts", [("csrf", csrf), ("number", "X"), ("designation", "cui"),
                                                                      ("clauses", "dfars-252.204-7012")]).status == .notFound)
            let otherSupplier = "/o/\(primeID)/suppliers/\(c.t1a.organizationID)"
            #expect(try await Self.get(admin, "\(otherSupplier)/contracts/\(saved.id)").status == .notFound)
            let t1aReq = try #require(try await FlowDownUseCases(env, c.prime).requirements(supplierID: c.t1a.organizationID).first)
            #expect(try await Self.get(admin, "\(s)/requirements/\(t1aReq.listing.record.id)").status == .notFound)
            // Another organization cannot reach these pages at all (the prime's admin is no member of Other).
            #expect(try await Self.get(admin, "/o/\(c.other.organizationID)/suppliers/\(c.o1.organizationID)").status != .ok)

            // A viewer: reads, never edits.
            let v = try await Self.viewer(client, services, primeID)
            let vpage = try await Self.get(v, s)
            #expect(vpage.status == .ok && !vpage.html.contains("name=\"number\""))
            let vcsrf = try #require(WebPageTests.formToken(vpage.html))
            #expect(try await Self.get(v, "\(s)/contracts/\(saved.id)").status == .forbidden)
            #expect(try await Self.post(v, "\(s)/contracts/\(saved.id)/delete", [("csrf", vcsrf), ("version", "\(saved.version)")]).status == .forbidden)
            #expect(try await Self.post(v, "\(s)/remove", [("csrf", vcsrf)]).status == .forbidden)
            #expect(try await contracts().count == 1)

            // Contract deletion, then the link itself after its confirm step; a second removal is not found.
            #expect(try await Self.post(admin, "\(s)/contracts/\(saved.id)/delete", [("csrf", csrf), ("version", "\(saved.version)")]).status == .seeOther)
            #expect(try await contracts().isEmpty)
            let confirm = try await Self.get(admin, "\(s)/remove")
            #expect(confirm.status == .ok && confirm.html.contains("Apex Precision Machining LLC") && confirm.html.contains("要件 1 件"))
            let removed = try await Self.post(admin, "\(s)/remove", [("csrf", csrf)])
            #expect(removed.status == .seeOther && removed.headers[.location] == "/o/\(primeID)/suppliers?notice=supply_removed")
            #expect(try await SupplierLinkUseCases(env, c.prime).suppliers().map(\.id) == [c.t1a.organizationID])
            #expect(try await Self.post(admin, "\(s)/remove", [("csrf", csrf)]).status == .notFound)
        }
    }

    // MARK: reminders and webhooks

    @Test("Reminders listed in the user's language and dismissed by an owner; webhooks added (secret shown once), refused with a reason, deleted; a viewer does neither",
          arguments: TestDatabases.engines)
    func remindersAndWebhooks(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, primeID) = try await bootstrapAdmin(admin, services: services)
            let c = try await Self.chain(services, primeID: primeID)
            // One scheduler pass (the server's own loop may hold the lease for a moment).
            let scheduler = ReminderScheduler(services: services, logger: Logger(label: "test.supply-pages"))
            for _ in 0..<50 where !(try await scheduler.runOnce().ran) { try await Task.sleep(for: .milliseconds(100)) }
            let useCases = ReminderUseCases(services.tenantEnvironment, c.prime, addressCheck: { _ in })
            let stored = try await useCases.reminders()
            try #require(!stored.isEmpty, "the prime has reminders about its suppliers")
            let o = "/o/\(primeID)/supply-chain"
            let ja = try await Self.get(admin, "\(o)/reminders")
            let expected = PageHTMLEscaping().escapeText(stored[0].textJa)
            #expect(ja.status == .ok && ja.html.contains(expected))
            let en = try await Self.get(admin, "\(o)/reminders", "en")
            #expect(en.status == .ok && en.html.contains("Reminders and webhooks") && en.html.contains("No webhooks yet."))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            // A viewer reads them, but neither dismisses nor sees the webhooks.
            let v = try await Self.viewer(client, services, primeID)
            let vpage = try await Self.get(v, "\(o)/reminders")
            #expect(vpage.status == .ok && !vpage.html.contains("name=\"key\"") && !vpage.html.contains("name=\"url\""))
            let vcsrf = try #require(WebPageTests.formToken(vpage.html))
            #expect(try await Self.post(v, "\(o)/reminders/dismiss", [("csrf", vcsrf), ("key", stored[0].reminderKey)]).status == .forbidden)
            #expect(try await Self.post(v, "\(o)/webhooks", [("csrf", vcsrf), ("url", "http://127.0.0.1:9/hook")]).status == .forbidden)
            #expect(try await useCases.reminders().count == stored.count)
            // Dismissed by the owner: gone from the list; an unknown key is the not-found page.
            let dismissed = try await Self.post(admin, "\(o)/reminders/dismiss", [("csrf", csrf), ("key", stored[0].reminderKey)])
            #expect(dismissed.status == .seeOther && dismissed.headers[.location] == "\(o)/reminders?notice=supply_dismissed")
            #expect(try await useCases.reminders().count == stored.count - 1)
            #expect(try await Self.post(admin, "\(o)/reminders/dismiss", [("csrf", csrf), ("key", "no/such/key")]).status == .notFound)
            // Webhooks: a bad URL and a private address are refused beside the field, the input kept; a good one shows its secret once.
            let plain = try await Self.post(admin, "\(o)/webhooks", [("csrf", csrf), ("url", "http://10.0.0.8/hook")])
            #expect(plain.status == .badRequest && plain.html.contains("https:// で始まる URL") && plain.html.contains("value=\"http://10.0.0.8/hook\""))
            let privateNet = try await Self.post(admin, "\(o)/webhooks", [("csrf", csrf), ("url", "https://10.0.0.8/hook")], "en")
            #expect(privateNet.status == .badRequest && privateNet.html.contains("points to an address deliveries may not go to"))
            #expect(try await useCases.webhooks().isEmpty)
            let made = try await Self.post(admin, "\(o)/webhooks", [("csrf", csrf), ("url", "http://127.0.0.1:9/hook")])
            #expect(made.status == .created && made.html.contains("id=\"webhook-secret\" readonly value=\""))
            let hook = try #require(try await useCases.webhooks().first)
            let listed = try await Self.get(admin, "\(o)/reminders")
            #expect(listed.html.contains("http://127.0.0.1:9/hook") && !listed.html.contains("webhook-secret"), "the secret is shown once")
            #expect(try await Self.post(v, "\(o)/webhooks/\(hook.id)/delete", [("csrf", vcsrf)]).status == .forbidden)
            #expect(try await Self.post(admin, "\(o)/webhooks/\(hook.id)/delete", [("csrf", csrf)]).status == .seeOther)
            #expect(try await useCases.webhooks().isEmpty)
            #expect(try await Self.post(admin, "\(o)/webhooks/\(hook.id)/delete", [("csrf", csrf)]).status == .notFound)
        }
    }

    // MARK: paging and filters

    @Test("The roll-up of the demo: paged in the query (100 rows), the filter kept in every link, bad filters refused",
          arguments: TestDatabases.engines)
    func pagingAndFilters(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            // The demo first (it loads into a database without organizations), then the administrator.
            let today = Day(Date())
            _ = try await DemoUseCases(db: services.db, evidenceKey: services.evidence.key).load(
                DemoSupplyChain.generate(suppliers: 600, today: today), catalog: try services.library.catalog(.sp800171r2), today: today,
                now: Date(), by: Actor(id: "test", sourceIP: "127.0.0.1"), progress: nil)
            let admin = Browser(client)
            _ = try await bootstrapAdmin(admin, services: services)
            let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
            try await services.accounts.setMembership(userID: user.id, organizationID: "demo-prime-jp", role: .owner)
            let base = "/o/demo-prime-jp/supply-chain"
            let first = try await Self.get(admin, base)
            #expect(first.status == .ok && first.html.utf8.count < 150_000, "page weight \(first.html.utf8.count)")
            let rows = Self.count("<tr><th scope=\"row\"><a href=\"/o/demo-prime-jp/supply-chain/suppliers/", in: first.html)
            #expect(rows == SupplyChainPages.pageSize, "one page of suppliers, never all")
            #expect(first.html.contains("href=\"\(base)?offset=100\" rel=\"next\""))
            // A filter: every row has the status, and the next page's link keeps it.
            let filtered = try await Self.get(admin, "\(base)?tier=2&status=missing", "en")
            #expect(filtered.status == .ok)
            let badges = Self.count("class=\"badge supply-", in: filtered.html)
            #expect(badges > 0 && badges == Self.count("class=\"badge supply-missing\"", in: filtered.html))
            #expect(Self.count("<option value=\"2\" selected>", in: filtered.html) == 1)
            if filtered.html.contains("rel=\"next\"") {
                #expect(filtered.html.contains("href=\"\(base)?tier=2&amp;status=missing&amp;offset=100\" rel=\"next\""))
                let second = try await Self.get(admin, "\(base)?tier=2&status=missing&offset=100")
                #expect(second.html.contains("href=\"\(base)?tier=2&amp;status=missing\" rel=\"prev\""))
            }
            // The tier table's counts link to their filter (status values as they are: below-minimum).
            #expect(first.html.contains("href=\"\(base)?tier=1&amp;status=current\""))
            #expect(first.html.contains("href=\"\(base)?tier=1&amp;status=below-minimum\""))
            // Needs action: paged too.
            let needs = try await Self.get(admin, "\(base)/needs-action")
            #expect(needs.status == .ok && needs.html.utf8.count < 150_000)
            #expect(Self.count("<tr><th scope=\"row\"><a href=", in: needs.html) <= SupplyChainPages.pageSize)
            // The suppliers page lists a page of the prime's direct suppliers.
            let suppliers = try await Self.get(admin, "/o/demo-prime-jp/suppliers")
            #expect(suppliers.status == .ok && Self.count("<tr><th scope=\"row\"><a href=", in: suppliers.html) <= SupplyChainPages.pageSize)
            // Bad filters: the bad-request page, never a silently different list.
            for q in ["tier=0", "tier=x", "status=green", "offset=-1", "offset=abc"] {
                let r = try await Self.get(admin, "\(base)?\(q)")
                #expect(r.status == .badRequest, "\(q)")
            }
            #expect(try await Self.get(admin, "\(base)/needs-action?offset=-5").status == .badRequest)
        }
    }

    // MARK: models, templates, messages

    static let samples: [(String, any PageModel)] = {
        let pager = SupplyPager(text: "1–100 / 5,000", previousURL: "/p", nextURL: "/n")
        let row = SupplyMemberRow(name: "Org", url: "/s", tier: "2", status: "Missing", statusID: "missing", overdue: true, score: "88")
        let contractForm = SupplyContractForm(
            action: "/c", number: "N-1", designations: [.init(value: "cui", label: "CUI", selected: true)],
            clauses: [.init(value: "cmmc", label: "CMMC", checked: true)], cmmcLevels: [.init(value: "2", label: "Level 2", selected: true)],
            version: 3, errors: ["number": "Required", "designation": "Choose", "clauses": "Choose", "cmmc_level": "Choose"], hasErrors: true)
        let requirementForm = SupplyRequirementForm(
            action: "/r", contracts: [.init(value: "", label: "None", selected: true)], catalogs: [.init(value: "r2", label: "800-171", selected: true)],
            kinds: [.init(value: "sprs", label: "SPRS", selected: true)], sprs: "88", due: "2027-01-01", flowDown: true, version: 2,
            errors: ["catalog": "Choose", "kind": "Choose", "sprs": "Number", "due": "Date", "contract": "Choose"], hasErrors: true)
        return [
            ("supply-suppliers", SuppliersPage(
                suppliers: [.init(name: "Org", url: "/s", detailURL: "/d", linked: "today", status: "Current", statusID: "current", overdue: true,
                                  score: "90")],
                hasSuppliers: true, pager: pager, canManage: true, action: "/a", email: "a@example.com", note: "Note", days: "7",
                errors: ["email": "Bad", "note": "Long", "days": "1–30"], hasErrors: true, created: .init(link: "https://x/i", expires: "soon"),
                invitations: [.init(contact: "sales@example.jp", note: "a@example.com", created: "now", expires: "soon", revokeURL: "/r")], hasInvitations: true,
                supplyChainURL: "/sc")),
            ("supply-remove", SupplierRemovalPage(name: "Org", action: "/r", supplierURL: "/s", consequence: "Gone")),
            ("supply-supplier", SupplierPage(
                name: "Org", suppliersURL: "/s", detailURL: "/d", removeURL: "/r",
                contracts: [.init(number: "N-1", designation: "CUI", clauses: "7012", cmmcLevel: "2", editURL: "/e", deleteURL: "/x", version: 1)],
                hasContracts: true,
                requirements: [.init(catalog: "800-171", minimum: "SPRS ≥ 88", due: "Jan 1", flowDown: true, contract: "N-1", status: "Current",
                                     statusID: "current", overdue: true, editURL: "/e", deleteURL: "/x", version: 1)],
                hasRequirements: true, canManage: true, contractForm: contractForm, requirementForm: requirementForm)),
            ("supply-contract", SupplierContractPage(name: "Org", number: "N-1", supplierURL: "/s", form: contractForm)),
            ("supply-requirement", SupplierRequirementPage(name: "Org", supplierURL: "/s", form: requirementForm)),
            ("supply-chain", SupplyChainPage(
                asOf: "today", summary: "5 suppliers", hasSuppliers: true, statusHeaders: ["Missing"],
                tiers: [.init(label: "Tier 1", suppliers: "5", url: "/t", counts: [.init(count: "1", url: "/c")], overdue: "1",
                              needingAction: "2", hidden: "1")],
                total: .init(label: "All", suppliers: "5", url: "/t", counts: [.init(count: "1", url: "/c")], overdue: "1",
                             needingAction: "2", hidden: "1"),
                distributionSVG: "<svg/>", bucketHeaders: ["0–49"], distribution: [.init(label: "Tier 1", values: ["1"])],
                familiesSVG: "<svg/>", families: [.init(label: "3.1", count: "2")], hasFamilies: true, filterURL: "/f",
                tierOptions: [.init(value: "1", label: "Tier 1", selected: true)], statusOptions: [.init(value: "missing", label: "Missing", selected: true)],
                members: [row], hasMembers: true, hiddenText: "2 more", pager: pager, needsActionURL: "/n", suppliersURL: "/s",
                remindersURL: "/r", exports: [.init(label: "xlsx", url: "/x")])),
            ("supply-reminders", SupplyRemindersPage(
                reminders: [.init(kind: "Due", text: "Due soon", created: "now", key: "k/1")], hasReminders: true, canDismiss: true,
                dismissAction: "/d", canManageWebhooks: true,
                webhooks: [.init(url: "https://x/h", created: "now", deleteURL: "/x",
                                 deliveries: [.init(created: "now", status: "Failed", attempts: 2, lastStatus: "500")], hasDeliveries: true)],
                hasWebhooks: true, webhookAction: "/w", url: "https://x/h", error: "Bad URL", created: .init(url: "https://x/h", secret: "s"),
                supplyChainURL: "/sc")),
            ("supply-needs-action", SupplyNeedsActionPage(entries: [row], hasEntries: true, hiddenText: "2 more", pager: pager,
                                                          supplyChainURL: "/sc", exportURL: "/x")),
            ("supply-detail", SupplyDetailPage(
                name: "Org", tier: "2", status: "Current", statusID: "current", overdue: true, supplierURL: "/s", supplyChainURL: "/sc",
                attestation: .init(issued: "now", expires: "later", assessed: "then", scope: "HQ", catalog: "800-171", kind: "Basic",
                                   score: "88", cmmc: "Final", met: 1, notMet: 2, notApplicable: 3, notAssessed: 4,
                                   families: [.init(label: "3.1", met: 1, notMet: 2, notApplicable: 3, notAssessed: 4)], hasFamilies: true,
                                   fileURL: "/f"),
                reason: "Summary only", counts: "1 requirement")),
        ]
    }()

    /// The template with the partials it names, as one text (a partial's names are read in the includer's context).
    static func sourceWithPartials(_ name: String) throws -> String {
        var text = try PageModelTests.source(name)
        for partial in try WebMessagesTests.matches(#"\{\{>\s*([a-z0-9-]+)\s*\}\}"#, in: text) { text += try sourceWithPartials(partial) }
        return text
    }

    @Test("Each supply-chain template reads only its model's and the layout's keys, reads every model key, and prints no nil")
    func modelsMatchTemplates() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let layoutNames = Set(PageModelTests.keys(TemplateTree.dictionary(PageModelTests.layout(t))))
        for (template, model) in Self.samples {
            let keys = PageModelTests.keys(TemplateTree.merged(model, PageModelTests.layout(t)))
            let names = try PageModelTests.names(Self.sourceWithPartials(template))
            for name in names {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(keys.contains(parts[0]) || layoutNames.contains(parts[0]), "\(template): \(name) is not a key of its model")
                }
            }
            let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
            let layoutReads = Set(try PageModelTests.names(PageModelTests.source("layout")))
            for key in PageModelTests.keys(TemplateTree.dictionary(model)) {
                #expect(read.contains(key) || layoutReads.contains(key),
                        "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(TemplateTree.merged(model, PageModelTests.layout(t)), withTemplate: template))
            #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
        }
    }

    @Test("The message keys built from the supply chain's enums exist in both languages")
    func dynamicKeysExist() async throws {
        let messages = try await WebAssets.load().messages
        for lang in Language.allCases {
            let missing = SupplyLabels.allKeys.filter { messages.table(lang)[$0] == nil }
            #expect(missing.isEmpty, "\(lang.rawValue): \(missing)")
        }
    }
}
