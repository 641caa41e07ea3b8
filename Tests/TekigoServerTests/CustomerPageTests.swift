import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// The supplier's side in the browser (issue #12 item 3) over real HTTP on loopback, on SQLite and PostgreSQL: a
/// customer's invitation accepted signed in (an organization the person administers, or a new one) and with a new
/// account; the customers page with requirements, standing and consent; the attestation preview, signing, the signed
/// file and the keys; and the refusals (CSRF, a viewer posting, another organization's ids, used, expired, forged,
/// own and cyclic invitations), each a page in the user's language that changes nothing.
@Suite("Supplier pages", .serialized)
struct CustomerPageTests {
    static let password = "correct horse battery staple 7"

    /// A server with a settable clock, its platform administrator (owner of the customer, 株式会社プライム) and `body`.
    static func withServer(_ engine: TestDatabases.Engine,
                           _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        let clock = SettableClock(Date())
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (_, customerID) = try await bootstrapAdmin(admin, services: services)
                try await body(World(client: client, services: services, clock: clock, customer: admin, customerID: customerID))
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    struct World: Sendable {
        let client: any TestClientProtocol
        let services: Services
        let clock: SettableClock
        /// The customer's owner (also the platform administrator), signed in through the API.
        let customer: Browser
        let customerID: String
        var customerBase: String { "/api/v1/organizations/\(customerID)" }

        /// A new organization made by the administrator, with a person of `role` signed in (authenticator enrolled).
        func organization(_ name: String, role: Role = .owner, email: String? = nil) async throws -> (id: String, browser: Browser) {
            let created = try await customer.send(.post, "/api/v1/organizations", json: ["name": name])
            try #require(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            return (id, try await person(in: id, role: role, email: email))
        }

        /// A new person of `role` in `organization`, signed in with an enrolled authenticator.
        func person(in organization: String, role: Role, email: String? = nil) async throws -> Browser {
            let accounts = AccountStore(services.db)
            let address = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())@example.jp"
            let user = try await accounts.createUser(email: address, displayName: "利用者 \(role.rawValue)",
                                                     passwordHash: try await PasswordHasher.hash(CustomerPageTests.password),
                                                     platformAdmin: false)
            try await accounts.setMembership(userID: user.id, organizationID: organization, role: role)
            return try await signIn(address)
        }

        func signIn(_ email: String) async throws -> Browser {
            let b = Browser(client)
            try #require(try await b.login(email, CustomerPageTests.password).status == .ok)
            let secret = try #require(try await b.send(.post, "/api/v1/me/mfa").json["secret"] as? String)
            try #require(try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: clock.now())]).status == .ok)
            return b
        }

        /// A new invitation from the customer; its token.
        func invitation(from base: String? = nil, by browser: Browser? = nil) async throws -> String {
            let r = try await (browser ?? customer).send(.post, "\(base ?? customerBase)/supplier-invitations", json: ["note": "部品の供給"])
            try #require(r.status == .created)
            return try #require(r.json["token"] as? String)
        }

        /// The customer's direct suppliers' ids, through the API.
        func suppliers(of base: String? = nil, by browser: Browser? = nil) async throws -> [String] {
            let r = try await (browser ?? customer).send(.get, "\(base ?? customerBase)/suppliers")
            return ((r.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        }
    }

    static func page(_ b: Browser, _ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil,
                     language: String = "ja") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, html: String) {
        try await WebPageTests.page(b, method, uri, form: form, language: language)
    }

    static func link(_ token: String) -> String {
        PageRoute.supplierInvitation.path + "?token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)
    }

    // MARK: accepting

    @Test("Signed in: accept for an organization the person administers; CSRF, a viewer's organization, another organization, used, own and cyclic invitations refused with nothing changed",
          arguments: TestDatabases.engines)
    func acceptSignedIn(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let (supplierID, owner) = try await w.organization("燕三光鍛造株式会社", email: "owner@tsubame.example.jp")
            // The same person is a viewer of another organization: not offered, and refused when posted.
            let (otherID, _) = try await w.organization("Summit Composites Inc.")
            let me = try #require(try await w.services.accounts.user(email: "owner@tsubame.example.jp"))
            try await w.services.accounts.setMembership(userID: me.id, organizationID: otherID, role: .viewer)
            let token = try await w.invitation()

            let ja = try await Self.page(owner, .get, Self.link(token))
            #expect(ja.status == .ok)
            #expect(ja.html.contains("サプライヤーとしての招待") && ja.html.contains("株式会社プライム") && ja.html.contains("部品の供給"))
            #expect(ja.html.contains("value=\"\(supplierID)\"") && !ja.html.contains("value=\"\(otherID)\""), "only organizations it administers")
            let en = try await Self.page(owner, .get, Self.link(token), language: "en")
            #expect(en.html.contains("Invitation to become a supplier"))
            let csrf = try #require(WebPageTests.formToken(ja.html))

            // A wrong CSRF token, the viewer's organization, an organization the person is not in: refused, not linked.
            let forged = try await Self.page(owner, .post, PageRoute.supplierInvitation.path,
                                             form: [("csrf", "forged"), ("token", token), ("mode", "existing"), ("organization", supplierID)])
            #expect(forged.status == .forbidden && forged.html.contains("フォーム"))
            let asViewer = try await Self.page(owner, .post, PageRoute.supplierInvitation.path,
                                               form: [("csrf", csrf), ("token", token), ("mode", "existing"), ("organization", otherID)])
            #expect(asViewer.status == .forbidden)
            let foreign = try await Self.page(owner, .post, PageRoute.supplierInvitation.path,
                                              form: [("csrf", csrf), ("token", token), ("mode", "existing"), ("organization", w.customerID)])
            #expect(foreign.status == .notFound || foreign.status == .forbidden)
            #expect(try await w.suppliers().isEmpty)

            // Accepted for its own organization: the customers page, in Japanese, with the notice.
            let ok = try await Self.page(owner, .post, PageRoute.supplierInvitation.path,
                                         form: [("csrf", csrf), ("token", token), ("mode", "existing"), ("organization", supplierID)])
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == PageRoute.customers(org: supplierID).path + "?notice=customer_linked")
            #expect(try await w.suppliers() == [supplierID])
            let customers = try await Self.page(owner, .get, try #require(ok.headers[.location]))
            #expect(customers.html.contains("招待を承諾しました") && customers.html.contains("株式会社プライム"))
            #expect(customers.html.contains("aria-current=\"page\">顧客</a>"))

            // The link again: used, in the user's language; nothing more changes.
            let again = try await Self.page(owner, .get, Self.link(token))
            #expect(again.status == .conflict && again.html.contains("すでに使われています"))
            let againPost = try await Self.page(owner, .post, PageRoute.supplierInvitation.path,
                                                form: [("csrf", csrf), ("token", token), ("mode", "new"), ("organization_name", "二社目")])
            #expect(againPost.status == .conflict)
            #expect(try await AccountUseCases(w.services.accountEnvironment).organizations(of: me).count == 2, "no organization made")

            // The customer opening its own invitation for itself: refused, and the invitation stays open.
            let own = try await w.invitation()
            let ownPage = try await Self.page(w.customer, .get, Self.link(own))
            let adminCSRF = try #require(WebPageTests.formToken(ownPage.html))
            let ownPost = try await Self.page(w.customer, .post, PageRoute.supplierInvitation.path,
                                              form: [("csrf", adminCSRF), ("token", own), ("mode", "existing"), ("organization", w.customerID)])
            #expect(ownPost.status == .badRequest && ownPost.html.contains("自分自身のサプライヤーになれません"))
            #expect(try await Self.page(w.customer, .get, Self.link(own)).status == .ok, "still open")

            // A cycle: the supplier invites its customer, which tries to accept — refused, naming the path.
            let back = try await w.invitation(from: "/api/v1/organizations/\(supplierID)", by: owner)
            let cycle = try await Self.page(w.customer, .post, PageRoute.supplierInvitation.path,
                                            form: [("csrf", adminCSRF), ("token", back), ("mode", "existing"), ("organization", w.customerID)],
                                            language: "en")
            #expect(cycle.status == .conflict && cycle.html.contains("close a cycle") && cycle.html.contains("→"))
            #expect(try await w.suppliers(of: "/api/v1/organizations/\(supplierID)", by: owner).isEmpty)
        }
    }

    @Test("A new account and organization accept; forged, expired and taken addresses refused with nothing created; signed in, a new organization",
          arguments: TestDatabases.engines)
    func acceptWithNewAccount(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let anonymous = Browser(w.client)
            let token = try await w.invitation()
            let offer = try await Self.page(anonymous, .get, Self.link(token), language: "en")
            #expect(offer.status == .ok && offer.html.contains("Create an account and an organization"))
            #expect(!offer.html.contains("name=\"csrf\""), "no session: the token is the form's secret")
            func post(_ fields: [(String, String)], language: String = "ja") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, html: String) {
                try await Self.page(anonymous, .post, PageRoute.supplierInvitation.path, form: fields, language: language)
            }
            let fields: [(String, String)] = [("token", token), ("organization_name", "浜松富士精機株式会社"), ("display_name", "鈴木 花子"),
                                              ("email", "hanako@hamamatsu.example.jp"), ("password", Self.password),
                                              ("password_again", Self.password)]
            // Passwords that differ: the form again with the input kept, nothing created.
            func with(_ name: String, _ value: String, in base: [(String, String)] = fields) -> [(String, String)] {
                base.map { $0.0 == name ? (name, value) : $0 }
            }
            let mismatch = with("password_again", "something else entirely 9")
            let bad = try await post(mismatch)
            #expect(bad.status == .badRequest && bad.html.contains("value=\"浜松富士精機株式会社\""))
            #expect(try await w.services.accounts.user(email: "hanako@hamamatsu.example.jp") == nil)
            // A forged token: a clear page, nothing created.
            let forged = with("token", "not-a-real-invitation-token")
            let forgedPost = try await post(forged)
            #expect(forgedPost.status == .notFound && forgedPost.html.contains("このリンクに当たる招待はありません"))
            #expect(try await w.services.accounts.user(email: "hanako@hamamatsu.example.jp") == nil)
            // An address that has an account: sign in instead.
            let taken = with("email", "admin@example.jp")
            let takenPost = try await post(taken, language: "en")
            #expect(takenPost.status == .conflict && takenPost.html.contains("exists already"))

            let ok = try await post(fields)
            #expect(ok.status == .seeOther && ok.headers[.location] == PageRoute.login.path + "?notice=customer_account_created")
            let user = try #require(try await w.services.accounts.user(email: "hanako@hamamatsu.example.jp"))
            #expect(!user.isPlatformAdmin)
            let orgs = try await AccountUseCases(w.services.accountEnvironment).organizations(of: user)
            #expect(orgs.map(\.0.name) == ["浜松富士精機株式会社"] && orgs.map(\.1) == [.owner])
            #expect(try await w.suppliers() == [orgs[0].0.id])
            // One transaction, each step audited in the new organization, and the link in the customer's log too.
            let audit = AuditQueries(db: w.services.db)
            let actions = try await audit.entries(of: try await Self.scope(w, orgs[0].0.id), limit: 50, before: nil, actionPrefix: "", actor: "")
                .map(\.action)
            #expect(Set(actions).isSuperset(of: [AuditAction.organizationCreated.rawValue, AuditAction.accountCreated.rawValue,
                                                 AuditAction.customerLinked.rawValue]))
            let customerLog = try await audit.entries(of: try await Self.scope(w, w.customerID), limit: 50, before: nil, actionPrefix: "",
                                                      actor: user.id)
            #expect(customerLog.map(\.action).contains(AuditAction.supplierLinked.rawValue))
            let signIn = try await Browser(w.client).login("hanako@hamamatsu.example.jp", Self.password)
            #expect(signIn.json["mfaEnrollmentRequired"] as? Bool == true, "the owner enrols an authenticator next")
            let login = try await Self.page(Browser(w.client), .get, try #require(ok.headers[.location]))
            #expect(login.html.contains("招待を承諾しました"))

            // Signed in, a new organization of its own.
            let (_, person) = try await w.organization("Apex Precision Machining LLC")
            let second = try await w.invitation()
            let form = try await Self.page(person, .get, Self.link(second))
            let csrf = try #require(WebPageTests.formToken(form.html))
            let blank = try await Self.page(person, .post, PageRoute.supplierInvitation.path,
                                            form: [("csrf", csrf), ("token", second), ("mode", "new"), ("organization_name", " ")])
            #expect(blank.status == .badRequest)
            let made = try await Self.page(person, .post, PageRoute.supplierInvitation.path,
                                           form: [("csrf", csrf), ("token", second), ("mode", "new"), ("organization_name", "Apex West LLC")])
            #expect(made.status == .seeOther)
            #expect(try await w.suppliers().count == 2)

            // Expired: eight days on, the link says so and nothing can be created with it.
            let late = try await w.invitation()
            w.clock.advance(by: 8 * 86_400)
            let expired = try await Self.page(anonymous, .get, Self.link(late))
            #expect(expired.status == .gone && expired.html.contains("有効期限が切れています"))
            let lateFields = with("email", "late@example.jp", in: with("token", late))
            #expect(try await post(lateFields).status == .gone)
            #expect(try await w.services.accounts.user(email: "late@example.jp") == nil)
        }
    }

    // MARK: customers, consent, attestations

    @Test("Customers page and attestations: requirements with standing, preview of what each customer sees, sign, download, consent effective at once; viewers and other organizations refused",
          arguments: TestDatabases.engines)
    func customersAndAttestations(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { w in
            let (supplierID, owner) = try await w.organization("燕三光鍛造株式会社")
            let viewer = try await w.person(in: supplierID, role: .viewer)
            let supplierBase = "/api/v1/organizations/\(supplierID)"
            let accepted = try await owner.send(.post, "\(supplierBase)/customer-invitations/accept", json: ["token": try await w.invitation()])
            try #require(accepted.status == .created)
            // A second customer, which gets no consent.
            let (otherCustomerID, otherCustomer) = try await w.organization("Columbia Aerospace Systems")
            let other = try await w.invitation(from: "/api/v1/organizations/\(otherCustomerID)", by: otherCustomer)
            try #require(try await owner.send(.post, "\(supplierBase)/customer-invitations/accept", json: ["token": other]).status == .created)
            // The customer requires SPRS ≥ 88 by a day already past: overdue, and no attestation shared yet.
            let required = try await w.customer.send(.post, "\(w.customerBase)/requirements", json: [
                "supplierId": supplierID, "minimum": "sprs>=88", "dueOn": "2026-01-31",
            ])
            try #require(required.status == .created)

            let ja = try await Self.page(owner, .get, PageRoute.customers(org: supplierID).path)
            #expect(ja.status == .ok)
            #expect(ja.html.contains("SPRS スコア 88 以上") && ja.html.contains("期限超過") && ja.html.contains("未提出"))
            #expect(ja.html.contains("Columbia Aerospace Systems") && ja.html.contains("開示していない"))
            #expect(ja.html.contains("aria-label=\"Columbia Aerospace Systems への開示に同意する\""), "each row's button names its customer")
            let en = try await Self.page(owner, .get, PageRoute.customers(org: supplierID).path, language: "en")
            #expect(en.html.contains("SPRS score at least 88") && en.html.contains("Overdue") && en.html.contains("Not disclosed"))
            let ownerCSRF = try #require(WebPageTests.formToken(ja.html))

            // A viewer reads the page without forms, and its post is refused.
            let viewerPage = try await Self.page(viewer, .get, PageRoute.customers(org: supplierID).path)
            #expect(viewerPage.status == .ok && !viewerPage.html.contains(PageRoute.grantCustomerConsent(org: supplierID, customer: w.customerID).path))
            let viewerCSRF = try #require(WebPageTests.formToken(viewerPage.html))
            let viewerGrant = try await Self.page(viewer, .post, PageRoute.grantCustomerConsent(org: supplierID, customer: w.customerID).path,
                                                  form: [("csrf", viewerCSRF)])
            #expect(viewerGrant.status == .forbidden)
            // The owner with a wrong token: refused. Consent to an organization outside the chain: a message, nothing granted.
            let forged = try await Self.page(owner, .post, PageRoute.grantCustomerConsent(org: supplierID, customer: w.customerID).path,
                                             form: [("csrf", "forged")])
            #expect(forged.status == .forbidden)
            let (strangerID, _) = try await w.organization("無関係の会社")
            let stranger = try await Self.page(owner, .post, PageRoute.grantCustomerConsent(org: supplierID, customer: strangerID).path,
                                               form: [("csrf", ownerCSRF)])
            #expect(stranger.status == .badRequest && stranger.html.contains("顧客でも"))
            let notGranted = try await Self.page(owner, .post, PageRoute.withdrawCustomerConsent(org: supplierID, customer: w.customerID).path,
                                                 form: [("csrf", ownerCSRF)])
            #expect(notGranted.status == .badRequest)
            #expect(try await ConsentUseCases(w.services.tenantEnvironment, try await Self.scope(w, supplierID)).grants().isEmpty)

            // An assessment to attest.
            let system = try await owner.send(.post, "\(supplierBase)/systems", json: ["name": "本社ネットワーク"])
            let made = try await owner.send(.post, "\(supplierBase)/assessments",
                                            json: ["systemId": try #require(system.json["id"] as? String), "date": "2026-11-02"])
            let assessment = try #require(made.json["id"] as? String)
            let attestations = try await Self.page(owner, .get, PageRoute.attestations(org: supplierID).path)
            #expect(attestations.status == .ok && attestations.html.contains("value=\"\(assessment)\"") && attestations.html.contains("本社ネットワーク"))
            #expect(try await Self.page(owner, .get, PageRoute.attestations(org: supplierID).path, language: "en").html.contains("Issue an attestation"))

            // The preview, before consent: the document's content, and neither customer sees it. Nothing is signed.
            let previewURL = PageRoute.attestationPreview(org: supplierID).path + "?assessment=\(assessment)&detail=families&scope="
            let before = try await Self.page(owner, .get, previewURL)
            #expect(before.status == .ok && before.html.contains("署名する内容") && before.html.contains("燕三光鍛造株式会社"))
            #expect(before.html.contains("本社ネットワーク") && before.html.contains("ファミリー別の要件の件数"))
            #expect(before.html.contains("&quot;systemScope&quot;:&quot;本社ネットワーク&quot;"), "the canonical JSON that will be signed")
            #expect(before.html.components(separatedBy: "開示に同意していないため").count == 3, "both customers hidden")
            #expect(try await AttestationUseCases(w.services.tenantEnvironment, try await Self.scope(w, supplierID)).history().isEmpty)
            // Another organization's assessment, an unknown detail level: the form again with the reason.
            let (_, foreignAssessment) = try await WebPageTests.assessment(w.services, w.customerID)
            let foreign = try await Self.page(owner, .get, PageRoute.attestationPreview(org: supplierID).path + "?assessment=\(foreignAssessment.id)")
            #expect(foreign.status == .badRequest && foreign.html.contains("この組織の評価から選んでください"))
            #expect(try await Self.page(owner, .get, previewURL.replacingOccurrences(of: "families", with: "everything")).status == .badRequest)
            #expect(try await Self.page(viewer, .get, previewURL).status == .forbidden)

            // Consent to the first customer (with onward): effective at once; the preview now says it will see it.
            let granted = try await Self.page(owner, .post, PageRoute.grantCustomerConsent(org: supplierID, customer: w.customerID).path,
                                              form: [("csrf", ownerCSRF), ("onward", "1")])
            #expect(granted.status == .seeOther)
            let withdrawURL = PageRoute.withdrawCustomerConsent(org: supplierID, customer: w.customerID).path
            #expect(try await Self.page(viewer, .post, withdrawURL, form: [("csrf", viewerCSRF)]).status == .forbidden)
            #expect(try await Self.page(owner, .post, withdrawURL, form: [("csrf", "forged")]).status == .forbidden)
            let grants = try await ConsentUseCases(w.services.tenantEnvironment, try await Self.scope(w, supplierID)).grants()
            #expect(grants.map(\.viewerId) == [w.customerID] && grants.map(\.onward) == [1], "the refused withdrawals changed nothing")
            let after = try await Self.page(owner, .get, previewURL, language: "en")
            #expect(after.html.contains("may pass it on upward") && after.html.contains("only counts in its totals"))
            // The requirement as the customer will see it once signed: judged on this attestation (no SSP, no score:
            // below the minimum) — where before consent it could only read as missing.
            #expect(after.html.contains("status-below-minimum") && !before.html.contains("status-below-minimum"))
            let previewCSRF = try #require(WebPageTests.formToken(after.html))

            // Signing: the viewer and a wrong token refused; the owner signs.
            let signForm: [(String, String)] = [("csrf", previewCSRF), ("assessment", assessment), ("detail", "families"), ("scope", "")]
            #expect(try await Self.page(viewer, .post, PageRoute.attestations(org: supplierID).path,
                                        form: [("csrf", viewerCSRF)] + signForm.dropFirst()).status == .forbidden)
            #expect(try await Self.page(owner, .post, PageRoute.attestations(org: supplierID).path,
                                        form: [("csrf", "forged")] + signForm.dropFirst()).status == .forbidden)
            let signed = try await Self.page(owner, .post, PageRoute.attestations(org: supplierID).path, form: signForm)
            #expect(signed.status == .seeOther && signed.headers[.location] == PageRoute.attestations(org: supplierID).path + "?notice=customer_attestation_signed")
            let history = try await AttestationUseCases(w.services.tenantEnvironment, try await Self.scope(w, supplierID)).history()
            #expect(history.count == 1)
            let record = try #require(history.first)

            // The customer sees it now; the second customer does not.
            let seen = try await w.customer.send(.get, "\(w.customerBase)/supplier-attestations/\(supplierID)")
            #expect(seen.status == .ok && seen.json["id"] as? String == record.id)
            #expect(try await otherCustomer.send(.get, "/api/v1/organizations/\(otherCustomerID)/supplier-attestations/\(supplierID)").status == .notFound)

            // History, the signed file and the keys.
            let list = try await Self.page(owner, .get, PageRoute.attestations(org: supplierID).path + "?notice=customer_attestation_signed")
            #expect(list.html.contains("証明書に署名して発行しました") && list.html.contains(PageRoute.attestationFile(org: supplierID, attestation: record.id).path))
            let file = try await w.client.execute(uri: PageRoute.attestationFile(org: supplierID, attestation: record.id).path, method: .get,
                                                  headers: [.cookie: "tekigo_session=\(try #require(viewer.cookie))"])
            #expect(file.status == .ok && file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let keys = try await owner.send(.get, "\(supplierBase)/signing-keys")
            let publicKey = try #require(((keys.json["items"] as? [[String: Any]])?.first)?["publicKey"] as? String)
            let verified = AttestationVerifier.verify(data: Data(buffer: file.body), trustedKeys: [publicKey])
            #expect(verified.isValid && verified.payload?.id == record.id)
            let keysFile = try await Self.page(owner, .get, PageRoute.signingKeysFile(org: supplierID).path)
            #expect(keysFile.status == .ok && keysFile.headers[.contentDisposition]?.contains("signing-keys-") == true)
            #expect(keysFile.html.contains(publicKey))
            // Another organization's attestation id under this organization: not found.
            #expect(try await Self.page(otherCustomer, .get, PageRoute.attestationFile(org: otherCustomerID, attestation: record.id).path).status == .notFound)
            #expect(try await Self.page(owner, .get, PageRoute.attestationFile(org: supplierID, attestation: UUID().uuidString.lowercased()).path).status == .notFound)

            // Withdrawing: the customer loses the detail at once, and its requirement reads as missing again.
            let withdrawn = try await Self.page(owner, .post, PageRoute.withdrawCustomerConsent(org: supplierID, customer: w.customerID).path,
                                                form: [("csrf", ownerCSRF)])
            #expect(withdrawn.status == .seeOther)
            #expect(try await w.customer.send(.get, "\(w.customerBase)/supplier-attestations/\(supplierID)").status == .notFound)
            let standing = try await w.customer.send(.get, "\(w.customerBase)/requirements?supplier=\(supplierID)")
            #expect((standing.json["items"] as? [[String: Any]])?.first?["status"] as? String == "missing")
            let page = try await Self.page(owner, .get, PageRoute.customers(org: supplierID).path + "?notice=customer_consent_withdrawn")
            #expect(page.html.contains("開示の同意を取り消しました"))
        }
    }

    /// The supplier's owner scope, as the pages make it, for reading through the use cases.
    static func scope(_ w: World, _ org: String) async throws -> TenantScope {
        let record = try #require(try await w.services.accounts.organization(id: org))
        return TenantScope(organization: record, role: .owner, actor: Actor(id: "test", sourceIP: "127.0.0.1"),
                           store: TenantStore(w.services.db, organizationID: org))
    }

    // MARK: models and templates

    /// Every name the supplier's templates read is a key of their models or the layout, every key is read, no "nil".
    @Test func templatesMatchModels() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let option = SelectOption(value: "o1", label: "Org", selected: true)
        let samples: [(String, any PageModel)] = [
            ("customer-invitation", SupplierInvitationPage(offer: .init(
                action: "/a", token: "tk", customer: "Prime", expires: "soon", note: "Parts", signedIn: true, organizations: [option],
                hasOrganizations: true, loginURL: "/login", email: "a@example.com", displayName: "Ann", organizationName: "New",
                passwordLabel: "Password", errors: ["form": "Used", "email": "Bad", "organization": "Choose"], hasErrors: true), problem: nil)),
            ("customer-invitation", SupplierInvitationPage(offer: nil, problem: "Expired")),
            ("customer-list", CustomersPage(
                customers: [.init(name: "Prime", linked: "today", consent: "Disclosed", shared: true, granted: true, onward: true,
                                  grantURL: "/g", withdrawURL: "/w", grantLabel: "Consent to Prime", withdrawLabel: "Withdraw from Prime",
                                  unmet: 1, overdue: 1)],
                hasCustomers: true,
                requirements: [.init(customer: "Prime", minimum: "SPRS ≥ 88", catalog: "sp800-171r2", due: "Jan 31", status: "Missing",
                                     statusKey: "missing", overdue: true, shortfalls: ["score"], mustFlowDown: true)],
                hasRequirements: true, summary: "1 customer", otherGrants: [.init(viewer: "v1", onward: false, withdrawURL: "/w2")],
                hasOtherGrants: true, canManageConsent: true, attestationsURL: "/at", error: "Bad")),
            ("customer-attestations", AttestationsPage(
                attestations: [.init(issued: "now", expires: "later", score: "88", scope: "Net", detail: "Summary", validity: "Current",
                                     validityKey: "current", fileURL: "/f")],
                hasAttestations: true, keys: [.init(keyID: "k1", publicKey: "AAAA", created: "now", retired: "later")], hasKeys: true,
                keysURL: "/k", canIssue: true, previewAction: "/p", assessments: [option], hasAssessments: true, details: [option],
                systemScope: "Net", customersURL: "/c", error: "Bad")),
            ("customer-preview", AttestationPreviewPage(
                facts: [.init(label: "Organization", value: "Supplier")], signedJSON: "{}",
                families: [.init(family: "AC", met: 1, notMet: 2, notApplicable: 0, notAssessed: 0)], hasFamilies: true,
                customers: [.init(name: "Prime", sees: true, why: "Consent",
                                  requirements: [.init(minimum: "SPRS ≥ 88", due: "Jan 31", status: "Current", statusKey: "current",
                                                       overdue: false)], hasRequirements: true)],
                hasCustomers: true, action: "/s", assessment: "a1", detail: "summary", systemScope: "", backURL: "/b")),
        ]
        let layoutNames = try PageModelTests.names(PageModelTests.source("layout"))
        var known: [String: Set<String>] = [:]
        for (template, model) in samples {
            known[template, default: []].formUnion(PageModelTests.keys(TemplateTree.merged(model, PageModelTests.layout(t))))
        }
        for (template, keys) in known {
            let names = try PageModelTests.names(PageModelTests.source(template))
            for name in names + layoutNames {
                let parts = name.split(separator: ".").map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(keys.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                }
            }
        }
        for (template, model) in samples {
            let read = Set(try PageModelTests.names(PageModelTests.source(template)).flatMap { $0.split(separator: ".").map(String.init) })
            for key in PageModelTests.keys(TemplateTree.tree(model)) {
                #expect(read.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(TemplateTree.merged(model, PageModelTests.layout(t)), withTemplate: template))
            #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
        }
    }
}
