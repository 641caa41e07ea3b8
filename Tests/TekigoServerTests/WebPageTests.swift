import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The web pages over real HTTP on loopback (issue: web application): sign-in with the second factor as its own
/// step, forms that keep the user's input and say what is wrong next to the field, CSRF, expired sessions and
/// permission errors as pages in the user's language, and the editor's single transaction.
@Suite("Web pages", .serialized)
struct WebPageTests {
    /// A live server on loopback for `body`; its database is closed however `body` ends (an unclosed pool would end the
    /// whole test process instead of reporting the failure).
    static func withServer(_ engine: TestDatabases.Engine,
                           _ body: @escaping @Sendable (any TestClientProtocol, Services) async throws -> Void) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in try await body(client, services) }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// Polls a job page until the job has ended (or two minutes pass: the suite runs many tests at once on two cores).
    static func jobEnded(_ b: Browser, _ location: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(120)
        var page = try await Self.page(b, .get, location)
        while page.html.contains("data-state=\"running\"") || page.html.contains("data-state=\"queued\""), ContinuousClock.now < deadline {
            #expect(page.html.contains("<progress"))
            try await Task.sleep(for: .milliseconds(200))
            page = try await Self.page(b, .get, location)
        }
        return page.html
    }

    /// The session's CSRF token as the page carries it in its forms.
    static func formToken(_ html: String) -> String? {
        guard let r = html.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[r].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    /// A system and an empty SP 800-171 rev2 assessment in the organization, made by its administrator.
    static func assessment(_ services: Services, _ orgID: String) async throws -> (TenantStore, AssessmentRecord) {
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let store = TenantStore(services.db, organizationID: orgID)
        let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
        let system = try await store.createSystem(SystemProfile(name: "生産管理システム"), by: actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-11-28")!, kind: .basic,
                                                 assessor: "", by: actor)
        return (store, a)
    }

    static func urlEncoded(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&"))
    }

    /// A page request with the browser's session cookie (and no CSRF header: forms carry the token as a field).
    static func page(_ b: Browser, _ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil,
                     language: String = "ja") async throws -> (status: HTTPResponse.Status, headers: HTTPFields, html: String) {
        var headers: HTTPFields = [.acceptLanguage: language]
        if let cookie = b.cookie { headers[.cookie] = "tekigo_session=\(cookie)" }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = urlEncoded(form)
        }
        let r = try await b.client.execute(uri: uri, method: method, headers: headers, body: body)
        return (r.status, r.headers, String(buffer: r.body))
    }

    @Test("Sign-in: password first, then the code on its own page; a password alone does not clear the failure count")
    func signInSteps() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            let (secret, orgID) = try await bootstrapAdmin(admin, services: services)
            let page = try await client.execute(uri: "/login", method: .get)
            let html = String(buffer: page.body)
            #expect(!html.contains("<script>"), "no inline script (CSP)")
            let csrfCookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
            func post(_ fields: [(String, String)], cookie: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                if let cookie { headers[.cookie] = cookie }
                return try await client.execute(uri: "/login", method: .post, headers: headers, body: Self.urlEncoded(fields))
            }
            // Forged (no cookie): refused, in Japanese.
            let forged = try await post([("csrf", "nope"), ("email", "admin@example.jp"), ("password", "x")], cookie: nil)
            #expect(forged.status == .forbidden)
            #expect(String(buffer: forged.body).contains("フォームの有効期限が切れました"))
            // Wrong password: the e-mail stays in the form.
            let wrong = try await post([("csrf", token), ("email", "admin@example.jp"), ("password", "wrong password 123")], cookie: csrfCookie)
            #expect(wrong.status == .badRequest)
            #expect(String(buffer: wrong.body).contains("value=\"admin@example.jp\""))
            // Right password: a session whose second factor is still to come.
            let ok = try await post([("csrf", token), ("email", "admin@example.jp"), ("password", "correct horse battery staple 7")],
                                    cookie: csrfCookie)
            #expect(ok.status == .seeOther && ok.headers[.location] == "/login/mfa")
            let b = Browser(client)
            b.cookie = try #require(ok.headers[.setCookie]?.split(separator: ";").first.map { String($0.dropFirst("tekigo_session=".count)) })
            // The organization's pages wait for the code.
            let early = try await Self.page(b, .get, "/o/\(orgID)")
            #expect(early.status == .seeOther && early.headers[.location] == "/login/mfa")
            let challenge = try await Self.page(b, .get, "/login/mfa")
            let csrf = try #require(Self.formToken(challenge.html))
            // Wrong codes count as failed sign-ins, on top of the wrong password; the password step did not reset them.
            for _ in 0..<2 {
                let bad = try await Self.page(b, .post, "/login/mfa", form: [("csrf", csrf), ("code", "000000")])
                #expect(bad.status == .badRequest && bad.html.contains("コードが一致しません"))
            }
            let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
            #expect(user.failedLogins == 3)
            let good = try await Self.page(b, .post, "/login/mfa",
                                           form: [("csrf", csrf), ("code", currentTOTP(secret, at: Date().addingTimeInterval(30)))])
            #expect(good.status == .seeOther && good.headers[.location] == "/")
            #expect(try await services.accounts.user(email: "admin@example.jp")?.failedLogins == 0)
            let dashboard = try await Self.page(b, .get, "/o/\(orgID)")
            #expect(dashboard.status == .ok && dashboard.html.contains("株式会社プライム"))
        }
    }

    @Test("Forms need the session's CSRF token; errors are pages in the user's language, never JSON or a trace",
          arguments: TestDatabases.engines)
    func csrfAndErrorPages(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            // No token, and another session's token: 403 page, nothing written.
            for token in [nil, "not-the-session-token"] as [String?] {
                var form = [("name", "偽のシステム")]
                if let token { form.append(("csrf", token)) }
                let r = try await Self.page(admin, .post, "/o/\(orgID)/systems", form: form)
                #expect(r.status == .forbidden)
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(r.html.contains("フォームの有効期限が切れた"))
            }
            #expect(try await TenantStore(services.db, organizationID: orgID).systems().isEmpty)
            // The same in English for a browser that asks for English (no saved setting).
            let en = try await Self.page(admin, .post, "/o/\(orgID)/systems", form: [("name", "x")], language: "en-US,en;q=0.9")
            #expect(en.status == .forbidden && en.html.contains("The form expired") && en.html.contains("lang=\"en\""))
            // Someone else's (or no) organization: a not-found page, not a hint that it exists.
            let missing = try await Self.page(admin, .get, "/o/00000000-0000-0000-0000-000000000000")
            #expect(missing.status == .notFound && missing.html.contains("見つかりません"))
            #expect(!missing.html.contains("Error") && !missing.html.contains("{"))
            // An address no page has, under the pages: the same page, not the API's JSON.
            let unknown = try await Self.page(admin, .get, "/o/\(orgID)/no-such-page/at-all")
            #expect(unknown.status == .notFound && unknown.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(unknown.html.contains("見つかりません"))
            // An expired session: back to sign-in, told why.
            try await services.db.sql.raw("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run()
            let expired = try await Self.page(admin, .get, "/o/\(orgID)")
            #expect(expired.status == .seeOther && expired.headers[.location]
                == "/login?notice=expired&next=" + "/o/\(orgID)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let login = try await Self.page(Browser(client), .get, "/login?notice=expired")
            #expect(login.html.contains("一定時間操作がなかったため"))
        }
    }

    @Test("A viewer reads the pages but a post gets the permission page; validation keeps the input beside the error")
    func permissionsAndValidation() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let systemsPage = try await Self.page(admin, .get, "/o/\(orgID)/systems")
            let csrf = try #require(Self.formToken(systemsPage.html))
            // Validation: the name is missing, the user count is not a number → 400, every value kept, errors beside fields.
            let bad = try await Self.page(admin, .post, "/o/\(orgID)/systems", form: [
                ("csrf", csrf), ("name", " "), ("boundary", "本社工場ネットワーク"), ("types", "図面、仕様書"), ("users", "十二")])
            #expect(bad.status == .badRequest)
            #expect(bad.html.contains("本社工場ネットワーク") && bad.html.contains("図面、仕様書") && bad.html.contains("value=\"十二\""))
            #expect(bad.html.contains("id=\"name-error\"") && bad.html.contains("id=\"users-error\""))
            #expect(bad.html.contains("aria-invalid=\"true\""))
            let good = try await Self.page(admin, .post, "/o/\(orgID)/systems", form: [
                ("csrf", csrf), ("name", "生産管理システム"), ("types", "図面、仕様書"), ("users", "12")])
            #expect(good.status == .seeOther)
            let systems = try await TenantStore(services.db, organizationID: orgID).systems()
            #expect(systems.map(\.name) == ["生産管理システム"] && systems[0].informationTypeList == ["図面", "仕様書"])

            // A viewer: sees the list, has no form, and a forged post is refused with the permission page.
            let hash = try await PasswordHasher.hash("viewer passphrase 2026")
            let viewer = try await services.accounts.createUser(email: "viewer@example.jp", displayName: "閲覧 次郎", passwordHash: hash,
                                                                platformAdmin: false)
            try await services.accounts.setMembership(userID: viewer.id, organizationID: orgID, role: .viewer)
            let v = Browser(client)
            try await v.login("viewer@example.jp", "viewer passphrase 2026")
            _ = try await AccountSafetyTests.enrol(v)  // every role enrols first (SP 800-171 3.5.3, network access)
            let seen = try await Self.page(v, .get, "/o/\(orgID)/systems")
            #expect(seen.status == .ok && seen.html.contains("生産管理システム") && !seen.html.contains("name=\"boundary\""))
            let vcsrf = try #require(Self.formToken(seen.html))  // the sign-out form's token
            let refused = try await Self.page(v, .post, "/o/\(orgID)/systems", form: [("csrf", vcsrf), ("name", "勝手なシステム")])
            #expect(refused.status == .forbidden && refused.html.contains("権限がありません"))
            #expect(try await TenantStore(services.db, organizationID: orgID).systems().count == 1)
            // The audit log page is for owners, admins and auditors only.
            #expect(try await Self.page(v, .get, "/o/\(orgID)/audit").status == .forbidden)
            let audit = try await Self.page(admin, .get, "/o/\(orgID)/audit?verify=1&action=system.")
            #expect(audit.status == .ok && audit.html.contains("改ざんされていません") && audit.html.contains("system.created"))
            #expect(!audit.html.contains("membership.role-changed"), "the filter keeps only system.* entries")
        }
    }

    @Test("The editor saves objectives, the answer and a new evidence file in one transaction; a stale save keeps the input",
          arguments: TestDatabases.engines)
    func editor(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (store, a) = try await Self.assessment(services, orgID)
            let path = "/o/\(orgID)/assessments/\(a.id)/requirements/3.5.3"
            let editor = try await Self.page(admin, .get, path)
            #expect(editor.status == .ok && editor.html.contains("name=\"mfa\""), "3.5.3 offers the partial-credit answer")
            let csrf = try #require(Self.formToken(editor.html))
            let objectives = try services.library.catalog(.sp800171r2)["3.5.3"]!.assessmentObjectives

            func multipart(_ fields: [(String, String)], file: (field: String, name: String, data: String)?) -> (ByteBuffer, String) {
                let boundary = "----tekigo-test-boundary"
                var body = ""
                for (k, v) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
                if let file {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                        + "Content-Type: text/plain\r\n\r\n\(file.data)\r\n"
                }
                body += "--\(boundary)--\r\n"
                return (ByteBuffer(string: body), "multipart/form-data; boundary=\(boundary)")
            }
            func save(_ fields: [(String, String)], file: (field: String, name: String, data: String)? = nil) async throws
                -> (status: HTTPResponse.Status, html: String) {
                let (body, type) = multipart(fields, file: file)
                let r = try await client.execute(uri: path, method: .post,
                                                 headers: [.cookie: "tekigo_session=\(admin.cookie!)", .contentType: type], body: body)
                return (r.status, String(buffer: r.body))
            }
            var fields: [(String, String)] = [("csrf", csrf), ("answer_version", "\(a.version)"), ("go", "stay"),
                                              ("implementation", "VPN と管理者アカウントに多要素認証"), ("mfa", "remote-and-privileged-only")]
            for i in objectives.indices {
                fields += [("o\(i)_status", "met"), ("o\(i)_version", "0")]
            }
            fields.append(("o0_rationale", "VPN 接続時に認証アプリのコードを要求"))
            // Invalid: an exception without its note → 400, nothing written, the rationale kept.
            let invalid = try await save(fields + [("exception", "enduring-exception")], file: ("o0_file", "vpn設定.txt", "mfa=required"))
            #expect(invalid.status == .badRequest && invalid.html.contains("VPN 接続時に認証アプリのコードを要求"))
            #expect(try await store.findings(assessmentID: a.id).isEmpty)
            #expect(try await services.evidence.list(organizationID: orgID).isEmpty)
            // A kept evidence reference edited to name a file this organization does not have: refused.
            let forged = AssessmentPages.encode(EvidenceRef(location: "x.pdf", sha256: String(repeating: "ab", count: 32)))
            let foreign = try await save(fields + [("o1_keep", forged)])
            #expect(foreign.status == .badRequest && foreign.html.contains("この組織にない証跡"))
            #expect(try await store.findings(assessmentID: a.id).isEmpty)
            // Valid: everything in one go.
            let ok = try await save(fields, file: ("o0_file", "vpn設定.txt", "mfa=required"))
            #expect(ok.status == .seeOther)
            let loaded = try await store.load(assessmentID: a.id, organization: Organization(name: "x"))
            #expect(objectives.allSatisfy { loaded.status(of: $0) == .met })
            #expect(loaded.findings[objectives[0]]?.evidence.first?.location == "vpn設定.txt")
            #expect(loaded.answer(for: "3.5.3").mfa == .remoteAndPrivilegedOnly)
            #expect(try await services.evidence.list(organizationID: orgID).count == 1)
            // The same form again (stale versions): 409, the input shown again, nothing changed.
            var stale = fields
            stale[stale.firstIndex { $0.0 == "o0_rationale" }!] = ("o0_rationale", "古い画面からの変更")
            let conflict = try await save(stale)
            #expect(conflict.status == .conflict && conflict.html.contains("古い画面からの変更") && conflict.html.contains("他の人が"))
            #expect(try await store.load(assessmentID: a.id, organization: Organization(name: "x")).findings[objectives[0]]?.rationale
                    == "VPN 接続時に認証アプリのコードを要求")
            // The answer the editor stored is the one scoring uses: with an objective of 3.5.3 not met, MFA for remote
            // and privileged accounts only deducts 3 instead of 5 (DoD Assessment Methodology §5 and Annex A).
            _ = try await store.putFinding(assessmentID: a.id, objective: objectives[0], Finding(status: .notMet), ifVersion: nil,
                                           by: Actor(id: "test", sourceIP: "127.0.0.1"))
            let scored = try AssessmentReport(try await store.load(assessmentID: a.id, organization: Organization(name: "x")),
                                              library: services.library)
            #expect(scored.sprs?.deductions.first { $0.requirement == "3.5.3" }?.points == 3)
            let overview = try await Self.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)")
            #expect(overview.status == .ok && overview.html.contains("requirements/3.5.3\">3.5.3</a></td><td>"))
            #expect(overview.html.contains("<span class=\"badge not-met\">不適合</span>"))
        }
    }

    @Test("The all-documents export runs as a job with progress and gives a ZIP of every document and format")
    func exportBundleJob() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, a) = try await Self.assessment(services, orgID)
            let exports = try await Self.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)/exports")
            #expect(exports.status == .ok && !exports.html.contains("export/sprs?format=oscal"), "no OSCAL SPRS link (no such model)")
            let csrf = try #require(Self.formToken(exports.html))
            let started = try await Self.page(admin, .post, "/o/\(orgID)/assessments/\(a.id)/exports", form: [("csrf", csrf), ("language", "en")])
            let location = try #require(started.headers[.location])
            #expect(started.status == .seeOther && location.hasPrefix("/o/\(orgID)/jobs/"))
            let html = try await Self.jobEnded(admin, location)
            try #require(html.contains("data-state=\"finished\""), "the export job did not finish")
            #expect(!html.contains("http-equiv=\"refresh\""), "a finished job stops refreshing")
            let zip = try await client.execute(uri: location + "/result", method: .get,
                                               headers: [.cookie: "tekigo_session=\(admin.cookie!)"])
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            let bytes = Data(buffer: zip.body)
            #expect(bytes.prefix(2) == Data("PK".utf8))
            // Every document × format except the SPRS summary as OSCAL, and (no POA&M items yet) the OSCAL POA&M.
            let names = ["ssp-en.json", "poam-en.xlsx", "results-en.csv", "sprs-en.html", "sprs-en.md"]
            for name in names { #expect(bytes.range(of: Data(name.utf8)) != nil, "\(name) missing from the ZIP") }
            #expect(bytes.range(of: Data("poam-en.json".utf8)) == nil)
            #expect(html.contains("18 / 18"))
            // Stored sealed: the database holds no readable export.
            let row = try #require(try await services.db.sql.select().column("result").from("jobs").first())
            let stored = try row.decode(column: "result", as: Data.self)
            #expect(stored.range(of: Data("ssp-en.json".utf8)) == nil && stored != bytes)
        }
    }

    @Test("Settings choose the language and time zone; an unknown value is refused and shown again")
    func settings() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let page = try await Self.page(admin, .get, "/account/settings")
            let csrf = try #require(Self.formToken(page.html))
            let bad = try await Self.page(admin, .post, "/account/settings", form: [("csrf", csrf), ("language", "en"), ("time_zone", "Mars/Base")])
            #expect(bad.status == .badRequest && bad.html.contains("Mars/Base"))
            let ok = try await Self.page(admin, .post, "/account/settings",
                                         form: [("csrf", csrf), ("language", "en"), ("time_zone", "America/New_York")])
            #expect(ok.status == .seeOther)
            // The saved language wins over the browser's Accept-Language.
            let dashboard = try await Self.page(admin, .get, "/o/\(orgID)", language: "ja")
            #expect(dashboard.html.contains("lang=\"en\"") && dashboard.html.contains("Dashboard"))
            #expect(dashboard.headers[.contentLanguage] == "en")
            // The saved change is audited once; the refused one is not.
            let audited = try await AuditLog(services.db).entries(organizationID: nil, limit: 10, actionPrefix: "account.settings-changed")
            #expect(audited.count == 1)
        }
    }

    @Test("A platform administrator imports NIST's OSCAL catalog as a job; the editor then shows the official wording",
          .enabled(if: TestEnvironment.runSharedDataTests))
    func catalogImportJob() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let page = try await Self.page(admin, .get, "/o/\(orgID)/catalogs")
            #expect(page.status == .ok && page.html.contains("name=\"file\""))
            let csrf = try #require(Self.formToken(page.html))
            func upload(_ name: String, _ data: Data) async throws -> TestResponse {
                let boundary = "----tekigo-catalog"
                var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
                body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/json\r\n\r\n".utf8)
                body += data + Data("\r\n--\(boundary)--\r\n".utf8)
                return try await client.execute(uri: "/o/\(orgID)/catalogs", method: .post,
                                                headers: [.cookie: "tekigo_session=\(admin.cookie!)",
                                                          .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                body: ByteBuffer(bytes: body))
            }
            func finished(_ location: String) async throws -> String { try await Self.jobEnded(admin, location) }
            // Not a catalog: the job fails and says why; nothing is imported.
            let bad = try await upload("notes.json", Data(#"{"profile": {}}"#.utf8))
            let badHTML = try await finished(try #require(bad.headers[.location]))
            #expect(badHTML.contains("data-state=\"failed\"") && badHTML.contains("notes.json"))
            #expect(try await SQLCatalogStore(services.db).imports().isEmpty)
            // NIST's SP 800-171 rev2 catalog.
            let nist = try Data(contentsOf: try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json"))
            let ok = try await upload("sp800-171r2_catalog_oscal.json", nist)
            let html = try await finished(try #require(ok.headers[.location]))
            #expect(html.contains("data-state=\"finished\"") && html.contains("id=\"job-summary\"") && html.contains("sp800-171r2"))
            let imports = try await SQLCatalogStore(services.db).imports()
            #expect(imports.map(\.catalogID) == [.sp800171r2])
            let listed = try await Self.page(admin, .get, "/o/\(orgID)/catalogs")
            #expect(listed.html.contains("sp800-171r2_catalog_oscal.json"))
            // The editor shows the official statement beside our short title.
            let (_, a) = try await Self.assessment(services, orgID)
            let editor = try await Self.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)/requirements/3.1.1")
            let official = try #require(try await SQLCatalogStore(services.db).officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            #expect(official.statement.count > 40)
            #expect(editor.html.contains("id=\"official-h\"") && editor.html.contains(String(official.statement.prefix(40))))
            // Only a platform administrator may import (it changes every organization's view).
            let hash = try await PasswordHasher.hash("viewer passphrase 2026")
            let viewer = try await services.accounts.createUser(email: "v@example.jp", displayName: "閲覧", passwordHash: hash,
                                                                platformAdmin: false)
            try await services.accounts.setMembership(userID: viewer.id, organizationID: orgID, role: .viewer)
            let v = Browser(client)
            try await v.login("v@example.jp", "viewer passphrase 2026")
            _ = try await AccountSafetyTests.enrol(v)
            let vpage = try await Self.page(v, .get, "/o/\(orgID)/catalogs")
            #expect(vpage.status == .ok && !vpage.html.contains("name=\"file\""))
            let vcsrf = try #require(Self.formToken(vpage.html))
            let refused = try await Self.page(v, .post, "/o/\(orgID)/catalogs", form: [("csrf", vcsrf)])
            #expect(refused.status == .forbidden)
        }
    }

    @Test("Every page form post without the session's CSRF token is refused and writes nothing (route table)")
    func everyPostNeedsCSRF() async throws {
        try await Self.withServer(.sqlite) { client, services in
            // The page routes, from the same registration the server uses.
            let router = Router(context: AppContext.self)
            registerPages(on: router, web: WebApp(services: services, assets: try await WebAssets.load()))
            let posts = router.routes.filter { $0.method == .post }.map { $0.path.description }
            #expect(posts.count >= 15)
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, a) = try await Self.assessment(services, orgID)
            let before = try await AuditLog(services.db).entries(organizationID: nil, limit: 10_000).count
            for route in posts where !["/login", "/setup"].contains(route) {
                // Hummingbird prints parameters as `{org}` (older versions `:org`).
                var uri = route
                for (name, value) in [("org", orgID), ("assessment", a.id), ("requirement", "3.1.1"), ("token", "t-1"),
                                     ("user", "u-1"), ("invitation", "i-1")] {
                    uri = uri.replacingOccurrences(of: "{\(name)}", with: value).replacingOccurrences(of: ":\(name)", with: value)
                }
                // Any other parameter (a supplier, a contract, …): an id no organization has.
                uri = uri.replacingOccurrences(of: #"\{[a-z_]+\}|:[a-z_]+"#, with: "x-1", options: .regularExpression)
                let r = try await Self.page(admin, .post, uri, form: [("name", "x"), ("language", "en"), ("time_zone", "UTC"),
                                                                      ("email", "admin@example.jp"), ("role", "viewer")])
                #expect(r.status == .forbidden, "\(route) answered \(r.status) without a CSRF token")
            }
            #expect(try await AuditLog(services.db).entries(organizationID: nil, limit: 10_000).count == before, "something was written")
            #expect(try await services.accounts.settings(userID: try #require(try await services.accounts.user(email: "admin@example.jp")).id) == nil)
        }
    }

    @Test("An account with an active authenticator cannot start enrolment again from the page (it would replace the secret)")
    func noReenrolment() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let admin = Browser(client)
            _ = try await bootstrapAdmin(admin, services: services)
            let before = try #require(try await services.accounts.user(email: "admin@example.jp")?.totpSecret)
            let page = try await Self.page(admin, .get, "/account/mfa")
            #expect(page.status == .ok && !page.html.contains("name=\"step\" value=\"start\""))
            let csrf = try #require(Self.formToken(page.html))
            let post = try await Self.page(admin, .post, "/account/mfa", form: [("csrf", csrf), ("step", "start")])
            #expect(post.status == .ok && !post.html.contains("id=\"mfa-secret\""))
            #expect(try await services.accounts.user(email: "admin@example.jp")?.totpSecret == before)
        }
    }
}
