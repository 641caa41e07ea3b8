import Crypto
import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Cyber incidents in the browser (issue 13, items 1–3), over real HTTP on loopback: the list, the record form, one
/// incident with its clocks in the viewer's and the organization's zone, phase, timeline and submissions, and the
/// settings — in Japanese and English; need-to-know (403 without a grant, read-only with a grant for a viewer), CSRF,
/// bad input in the viewer's language with nothing changed, a stale edit's conflict page, and the 72-hour deadline
/// across a US daylight-saving change. The server's clock is a `SettableClock` so every instant is fixed.
@Suite("Incident pages", .serialized)
struct IncidentPageTests {
    typealias Page = SupplyChainPageTests.Page

    /// Monday 2 November 2026, 12:00 UTC: the day after US clocks went back (1 November, 02:00 EDT → 01:00 EST).
    static let start = ISO8601DateFormatter().date(from: "2026-11-02T12:00:00Z")!
    static let contractNumber = "W56HZV-26-C-0042"

    static func withServer(_ engine: TestDatabases.Engine, clock: SettableClock = SettableClock(start),
                           _ body: @escaping @Sendable (any TestClientProtocol, Services) async throws -> Void) async throws {
        let (app, services) = try await TestServer.make(engine, clock: clock)
        do {
            try await app.test(.live) { client in try await body(client, services) }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// The administrator's organization as the supplier of a US prime on a DFARS 252.204-7012 contract, so the DoD
    /// clocks apply to an incident naming it. Returns the signed-in administrator, the organization and the contract.
    static func supplierOnContract(_ client: any TestClientProtocol, _ services: Services) async throws
        -> (admin: Browser, org: String, contract: String) {
        let admin = Browser(client)
        let (_, orgID) = try await bootstrapAdmin(admin, services: services)
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let org = try #require(try await services.accounts.organization(id: orgID))
        let customer = try await SupplyChainPageTests.org(services, "Allied Defense Systems Inc.")
        try await SupplyChainPageTests.link(services, customer, SupplyChainPageTests.scope(services, org, me))
        let contract = try await ContractUseCases(services.tenantEnvironment, customer).create(
            ContractTerms(number: contractNumber, designation: ProtectedInformationDesignation.cui.rawValue,
                          clauses: [ContractClause.dfars7012.rawValue], cmmcLevel: nil), supplierID: orgID)
        return (admin, orgID, contract.id)
    }

    static func get(_ b: Browser, _ uri: String, _ lang: String = "ja") async throws -> Page {
        try await WebPageTests.page(b, .get, uri, language: lang)
    }

    static func post(_ b: Browser, _ uri: String, _ form: [(String, String)], _ lang: String = "ja") async throws -> Page {
        try await WebPageTests.page(b, .post, uri, form: form, language: lang)
    }

    /// The session's CSRF token, read from a page's form.
    static func csrf(_ b: Browser, _ orgID: String) async throws -> String {
        try #require(WebPageTests.formToken(try await get(b, "/o/\(orgID)/incidents/new").html))
    }

    /// The record form's fields: a ransomware incident discovered at `local` (datetime-local text) in `zone`.
    static func incidentForm(_ csrf: String, title: String = "CAD サーバのランサムウェア感染", local: String,
                             zone: String = "Asia/Tokyo", contract: String?) -> [(String, String)] {
        var f: [(String, String)] = [
            ("csrf", csrf), ("title", title), ("discovered_at", local), ("time_zone", zone), ("discovered_by", "製造部 田中"),
            ("detection_method", DetectionMethod.messageFromAttacker.rawValue),
            ("compromise_type", CompromiseType.unauthorizedAccess.rawValue), ("outcome", IncidentOutcome.successfulCompromise.rawValue),
            ("information_kind", "cui"), ("information_reference", "CTI"), ("technique", "RDP 経由の侵入"),
            ("narrative", "朝、CAD サーバに脅迫文が表示されていた。"),
        ]
        if let contract { f.append(("contracts", contract)) }
        return f
    }

    /// Records an incident through the page; returns its id (from the redirect).
    static func record(_ b: Browser, _ orgID: String, _ form: [(String, String)]) async throws -> String {
        let r = try await post(b, "/o/\(orgID)/incidents", form)
        #expect(r.status == .seeOther, "\(r.html.prefix(400))")
        let location = try #require(r.headers[.location])
        return String(location.dropFirst("/o/\(orgID)/incidents/".count).prefix { $0 != "?" })
    }

    static func local(_ date: Date, _ zone: String) -> String { IncidentPages.localText(date, TimeZone(identifier: zone)!) }

    /// A signed-in viewer of `orgID`, enrolled with the code of the server's (settable) clock.
    static func viewer(_ client: any TestClientProtocol, _ services: Services, _ orgID: String) async throws -> Browser {
        _ = try await AccountSafetyTests.member(services, orgID, .viewer, email: "viewer@example.jp")
        let v = Browser(client)
        try await v.login("viewer@example.jp", AccountSafetyTests.password)
        let enrol = try await v.send(.post, "/api/v1/me/mfa")
        let secret = try #require(enrol.json["secret"] as? String)
        let confirm = try await v.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())])
        try #require(confirm.status == .ok, "enrolment: \(confirm.status)")
        return v
    }

    static func adminScope(_ services: Services, _ orgID: String) async throws -> TenantScope {
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let org = try #require(try await services.accounts.organization(id: orgID))
        return SupplyChainPageTests.scope(services, org, me)
    }

    // MARK: rendering

    @Test("Every incident page renders in Japanese and English: list, record form, detail with the 72-hour clock, settings; the menu has Incidents",
          arguments: TestDatabases.engines)
    func pagesInBothLanguages(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: Self.local(Self.start.addingTimeInterval(-7200), "Asia/Tokyo"),
                                                                         contract: contract))
            _ = try await Self.record(admin, o, Self.incidentForm(csrf, title: "机上演習：ランサムウェア",
                                                                  local: Self.local(Self.start.addingTimeInterval(-600), "Asia/Tokyo"),
                                                                  contract: contract) + [("exercise", "1")])
            let marked = try await Self.get(admin, "/o/\(o)/incidents")
            #expect(marked.html.contains("机上演習：ランサムウェア</a> <span class=\"badge draft\">訓練</span>"), "the exercise marker")
            for (lang, words) in [("ja", ["インシデント", "国防総省（DC3）への報告", "残り 70 時間 00 分", "週末・祝日", "設定値です",
                                          "経過を記録する", "提出を記録する", "報告書の下書き", "CAD サーバのランサムウェア感染"]),
                                  ("en", ["Incidents", "Report to DoD (DC3)", "70 h 00 min left", "weekends, holidays", "setting — the rule gives no hour count",
                                          "Add an entry", "Record a submission", "Report drafts", "Asia/Tokyo, UTC+09:00"])] {
                let list = try await Self.get(admin, "/o/\(o)/incidents", lang)
                #expect(list.status == .ok)
                #expect(list.html.contains("aria-current=\"page\">\(lang == "ja" ? "インシデント" : "Incidents")</a>"))
                #expect(list.html.contains("CAD サーバのランサムウェア感染") && list.html.contains("/o/\(o)/incidents/new"))
                #expect(list.html.contains(lang == "ja" ? "残り 70 時間 00 分" : "70 h 00 min left"), "the next deadline with time left")
                let form = try await Self.get(admin, "/o/\(o)/incidents/new", lang)
                #expect(form.status == .ok)
                #expect(form.html.contains("type=\"datetime-local\"") && form.html.contains(Self.contractNumber))
                #expect(form.html.contains("<option value=\"Asia/Tokyo\" selected>"), "the organization's zone by default")
                let detail = try await Self.get(admin, "/o/\(o)/incidents/\(id)", lang)
                #expect(detail.status == .ok)
                for w in words { #expect(detail.html.contains(w), "\(lang) detail: \(w)") }
                #expect(detail.html.contains("DFARS 252.204-7012(a)"), "the source citation")
                #expect(detail.html.contains("enctype=\"multipart/form-data\""), "the timeline's evidence upload")
                #expect(detail.html.contains("/o/\(o)/incidents/\(id)/report?kind=dod-initial&amp;format=html&amp;lang=\(lang)"))
                let settings = try await Self.get(admin, "/o/\(o)/incidents/settings", lang)
                #expect(settings.status == .ok)
                #expect(settings.html.contains("dfars-7012.tell-customer") && settings.html.contains(lang == "ja" ? "インシデント対応チーム" : "Incident team"))
                let edit = try await Self.get(admin, "/o/\(o)/incidents/\(id)/edit", lang)
                #expect(edit.status == .ok && edit.html.contains("name=\"version\" value=\"1\""))
            }
            // The report draft is TekigoReports' renderer, served for the incident; the channel and its address are the
            // organization's configuration (the readiness page's reporting channels), never code.
            _ = try await ReadinessUseCases(services.tenantEnvironment, try await Self.adminScope(services, o)).saveChannels(
                ChannelDraft(dodChannelName: "DC3 incident portal (configured)", dodChannelAddress: "https://icf.example.mil/report"), ifVersion: 0)
            let draft = try await Self.get(admin, "/o/\(o)/incidents/\(id)/report?kind=dod-initial&format=md&lang=en", "en")
            #expect(draft.status == .ok && draft.html.contains("CAD サーバのランサムウェア感染"))
            #expect(draft.html.contains("https://icf.example.mil/report") && draft.html.contains("DC3 incident portal (configured)"))
            let html = try await Self.get(admin, "/o/\(o)/incidents/\(id)/report?kind=dod-initial&format=html&lang=ja")
            #expect(html.status == .ok && html.headers[.contentType]?.hasPrefix("text/html") == true)
            let links = try await Self.get(admin, "/o/\(o)/incidents/\(id)")
            #expect(links.html.contains("/o/\(o)/incidents/\(id)/registers") && links.html.contains("/o/\(o)/incidents/\(id)/notices"))
        }
    }

    // MARK: need-to-know

    @Test("Need-to-know (issue 13 item 1): a viewer without a grant gets 403 on list and detail naming who grants access; with a grant reads but cannot manage",
          arguments: TestDatabases.engines)
    func needToKnow(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: Self.local(Self.start.addingTimeInterval(-3600), "Asia/Tokyo"),
                                                                         contract: contract))
            let viewer = try await Self.viewer(client, services, o)
            for lang in ["ja", "en"] {
                for path in ["/o/\(o)/incidents", "/o/\(o)/incidents/\(id)"] {
                    let r = try await Self.get(viewer, path, lang)
                    #expect(r.status == .forbidden, "\(path)")
                    #expect(r.html.contains(lang == "ja" ? "所有者と管理者" : "owners and administrators can grant access"))
                    #expect(!r.html.contains("CAD サーバ"), "nothing of the incident")
                }
            }
            let vcsrf = try #require(WebPageTests.formToken(try await Self.get(viewer, "/o/\(o)/incidents").html))
            // The owner puts the viewer on the incident team from the settings page.
            let user = try #require(try await services.accounts.user(email: "viewer@example.jp"))
            let settings = try await Self.get(admin, "/o/\(o)/incidents/settings")
            #expect(settings.html.contains("value=\"\(user.id)\""), "the viewer is offered")
            let granted = try await Self.post(admin, "/o/\(o)/incidents/settings/team", [("csrf", csrf), ("user", user.id)])
            #expect(granted.status == .seeOther)
            let list = try await Self.get(viewer, "/o/\(o)/incidents")
            #expect(list.status == .ok && list.html.contains("CAD サーバのランサムウェア感染"))
            #expect(!list.html.contains("/o/\(o)/incidents/new"), "no record button for a reader")
            let detail = try await Self.get(viewer, "/o/\(o)/incidents/\(id)")
            #expect(detail.status == .ok && detail.html.contains("国防総省（DC3）への報告"))
            #expect(!detail.html.contains("/o/\(o)/incidents/\(id)/timeline\""), "no forms for a reader")
            let entry = try await Self.post(viewer, "/o/\(o)/incidents/\(id)/phase", [("csrf", vcsrf), ("phase", "contained")])
            #expect(entry.status == .forbidden)
            #expect(try await Self.get(viewer, "/o/\(o)/incidents/new").status == .forbidden)
            #expect(try await Self.get(viewer, "/o/\(o)/incidents/settings").status == .forbidden)
            let after = try await IncidentQueries(services.tenantEnvironment, try await Self.adminScope(services, o)).dossier(id: id)
            #expect(after.dossier.phase == .detected, "the refused move changed nothing")
            // Revoked: 403 again.
            let revoked = try await Self.post(admin, "/o/\(o)/incidents/settings/team/\(user.id)/revoke", [("csrf", csrf)])
            #expect(revoked.status == .seeOther)
            #expect(try await Self.get(viewer, "/o/\(o)/incidents/\(id)").status == .forbidden)
        }
    }

    @Test("CSRF: every incident form without the session's token is refused and records nothing")
    func csrfRefused() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: Self.local(Self.start.addingTimeInterval(-3600), "Asia/Tokyo"),
                                                                         contract: contract))
            let forged = "forged-token"
            let posts: [(String, [(String, String)])] = [
                ("/o/\(o)/incidents", Self.incidentForm(forged, title: "偽の記録", local: Self.local(Self.start, "Asia/Tokyo"), contract: nil)),
                ("/o/\(o)/incidents/\(id)/edit", Self.incidentForm(forged, title: "偽の編集", local: Self.local(Self.start, "Asia/Tokyo"), contract: nil)
                    + [("version", "1")]),
                ("/o/\(o)/incidents/\(id)/phase", [("csrf", forged), ("phase", "contained")]),
                ("/o/\(o)/incidents/\(id)/timeline", [("csrf", forged), ("text", "偽の経過")]),
                ("/o/\(o)/incidents/\(id)/submissions", [("csrf", forged), ("kind", "dod-initial"), ("submitted_at", Self.local(Self.start, "UTC")),
                                                         ("submission_zone", "UTC"), ("report_number", "FAKE-1")]),
                ("/o/\(o)/incidents/settings/hours", [("csrf", forged), ("hours_dfars-7012.tell-customer", "12")]),
            ]
            for (path, form) in posts {
                let r = try await Self.post(admin, path, form)
                #expect(r.status == .forbidden, "\(path)")
                #expect(r.html.contains("CSRF") || r.html.contains("フォーム"), "\(path): the CSRF page")
            }
            let q = IncidentQueries(services.tenantEnvironment, try await Self.adminScope(services, o))
            #expect(try await q.list().count == 1)
            let d = try await q.dossier(id: id)
            #expect(d.version == 1 && d.timeline.isEmpty && d.submissions.isEmpty && d.dossier.phase == .detected)
            #expect(try await q.hourSettings().allSatisfy { $0.hours == nil })
        }
    }

    // MARK: bad input

    @Test("Bad input (issue 13 'Bad input'): discovery in the future, a submission before discovery, a report number another organization has — the message in the user's language, every field kept, nothing changed",
          arguments: TestDatabases.engines)
    func badInput(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let future = Self.start.addingTimeInterval(3 * 3600)
            for (lang, words) in [("ja", "未来になっています"), ("en", "is in the future")] {
                let r = try await Self.post(admin, "/o/\(o)/incidents",
                                            Self.incidentForm(csrf, title: "未来の発見 \(lang)", local: Self.local(future, "Asia/Tokyo"), contract: contract), lang)
                #expect(r.status == .badRequest)
                #expect(r.html.contains(words), "\(lang): IncidentError.discoveredInFuture's text")
                #expect(r.html.contains("role=\"alert\"") && r.html.contains("href=\"#discovered_at\""), "the error summary links to the field")
                #expect(r.html.contains("id=\"discovered_at-error\"") && r.html.contains("aria-invalid=\"true\""))
                #expect(r.html.contains("value=\"未来の発見 \(lang)\"") && r.html.contains("RDP 経由の侵入") && r.html.contains("value=\"CTI\""),
                        "every field kept")
                #expect(r.html.contains("value=\"\(contract)\" checked"), "the contract kept")
            }
            let q = IncidentQueries(services.tenantEnvironment, try await Self.adminScope(services, o))
            #expect(try await q.list().isEmpty)

            let discovered = Self.start.addingTimeInterval(-2 * 3600)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: Self.local(discovered, "Asia/Tokyo"), contract: contract))
            // Before discovery, typed in New York's time.
            let before = Self.local(discovered.addingTimeInterval(-3600), "America/New_York")
            let early = try await Self.post(admin, "/o/\(o)/incidents/\(id)/submissions",
                                            [("csrf", csrf), ("kind", "dod-initial"), ("submitted_at", before), ("submission_zone", "America/New_York"),
                                             ("channel", "DC3 portal"), ("report_number", "ICF-2026-00017")], "en")
            #expect(early.status == .badRequest)
            #expect(early.html.contains("is before the discovery"), "IncidentError.submissionBeforeDiscovery in English")
            #expect(early.html.contains("value=\"ICF-2026-00017\"") && early.html.contains("value=\"\(before)\""), "the submission form kept")
            #expect(early.html.contains("<option value=\"America/New_York\" selected>"))

            // Another organization already holds the number.
            let other = try await SupplyChainPageTests.org(services, "他社精工株式会社")
            let theirs = try await IncidentUseCases(services.tenantEnvironment, other).open(IncidentDraft(
                title: "他社の事案", discoveredAt: OffsetInstant.format(discovered, in: TimeZone(identifier: "UTC")!), discoveredBy: "他社 担当"))
            _ = try await IncidentUseCases(services.tenantEnvironment, other).recordSubmission(
                id: theirs.id, kind: "dod-initial", submittedAt: OffsetInstant.format(Self.start.addingTimeInterval(-600), in: TimeZone(identifier: "UTC")!),
                channel: "DC3", reportNumber: "ICF-2026-00017")
            let reused = try await Self.post(admin, "/o/\(o)/incidents/\(id)/submissions",
                                             [("csrf", csrf), ("kind", "dod-initial"), ("submitted_at", Self.local(Self.start, "Asia/Tokyo")),
                                              ("submission_zone", "Asia/Tokyo"), ("channel", "DC3 ポータル"), ("report_number", "ICF-2026-00017")])
            #expect(reused.status == .badRequest)
            #expect(reused.html.contains("報告番号「ICF-2026-00017」は別のインシデントに記録済みです"))
            #expect(reused.html.contains("href=\"#report_number\""))
            let d = try await q.dossier(id: id)
            #expect(d.submissions.isEmpty && d.version == 1, "nothing recorded")
        }
    }

    @Test("A stale edit (issue 13 item 1: the version) gets the conflict page and changes nothing")
    func staleEdit() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let local = Self.local(Self.start.addingTimeInterval(-3600), "Asia/Tokyo")
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: local, contract: contract))
            let first = try await Self.post(admin, "/o/\(o)/incidents/\(id)/edit",
                                            Self.incidentForm(csrf, title: "一回目の編集", local: local, contract: contract) + [("version", "1")])
            #expect(first.status == .seeOther)
            let stale = try await Self.post(admin, "/o/\(o)/incidents/\(id)/edit",
                                            Self.incidentForm(csrf, title: "古い版からの編集", local: local, contract: contract) + [("version", "1")])
            #expect(stale.status == .conflict)
            #expect(stale.html.contains("変更"), "the conflict page")
            let d = try await IncidentQueries(services.tenantEnvironment, try await Self.adminScope(services, o)).dossier(id: id)
            #expect(d.dossier.facts.title == "一回目の編集" && d.version == 2)
        }
    }

    // MARK: the clocks

    @Test("Clocks are elapsed hours (7012(a)): discovered 00:30 EDT on 1 Nov 2026, the 72-hour report is due 23:30 EST on 3 Nov for a viewer in America/New_York — an hour of wall clock earlier — and 13:30 on 4 Nov in Tokyo")
    func deadlineAcrossDST() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            _ = try await SettingsUseCases(services.accountEnvironment).save(user: me, language: "en", timeZone: "America/New_York",
                                                                             by: Actor(id: me.id, sourceIP: "192.0.2.40"))
            let csrf = try await Self.csrf(admin, o)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: "2026-11-01T00:30", zone: "America/New_York", contract: contract))
            let d = try await IncidentQueries(services.tenantEnvironment, try await Self.adminScope(services, o)).dossier(id: id)
            #expect(d.dossier.facts.discoveredAt == ISO8601DateFormatter().date(from: "2026-11-01T04:30:00Z"))
            let due = try #require(d.deadlines.first { $0.rule.id == "dfars-7012.report" }?.due)
            #expect(due == ISO8601DateFormatter().date(from: "2026-11-04T04:30:00Z"), "72 elapsed hours")
            let html = try await Self.get(admin, "/o/\(o)/incidents/\(id)", "en").html
            func shown(_ date: Date, _ zone: String) -> String {
                date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_US"),
                                                timeZone: TimeZone(identifier: zone)!))
            }
            #expect(html.contains(shown(d.dossier.facts.discoveredAt, "America/New_York") + " (America/New_York, UTC-04:00)"),
                    "discovered in daylight time")
            #expect(html.contains(shown(due, "America/New_York") + " (America/New_York, UTC-05:00)"), "due in standard time")
            #expect(shown(due, "America/New_York").contains("11:30") && shown(due, "America/New_York").contains("Nov 3"),
                    "23:30 on 3 Nov: 71 hours of New York wall clock after 00:30 on 1 Nov")
            #expect(html.contains(shown(due, "Asia/Tokyo") + " (Asia/Tokyo, UTC+09:00)"), "and in the organization's zone")
            #expect(html.contains("40 h 30 min left"), "from Monday 12:00 UTC")
        }
    }

    @Test("The journey's clocks: a timeline entry, contained, the DoD initial report with its number — the report clock met on time and the 90-day hold running")
    func reportMeetsTheClock() async throws {
        try await Self.withServer(.sqlite) { client, services in
            let (admin, o, contract) = try await Self.supplierOnContract(client, services)
            let csrf = try await Self.csrf(admin, o)
            let id = try await Self.record(admin, o, Self.incidentForm(csrf, local: Self.local(Self.start.addingTimeInterval(-7200), "Asia/Tokyo"),
                                                                         contract: contract))
            // The entry with an evidence file (multipart, as the browser sends it), sealed and linked by its SHA-256.
            let boundary = "----tekigo-incident-boundary"
            var body = ""
            for (k, v) in [("csrf", csrf), ("text", "CAD サーバをネットワークから切り離した")] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"ransom-note.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nYOUR FILES ARE ENCRYPTED\r\n--\(boundary)--\r\n"
            let upload = try await client.execute(uri: "/o/\(o)/incidents/\(id)/timeline", method: .post,
                                                  headers: [.cookie: "tekigo_session=\(admin.cookie!)",
                                                            .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                  body: ByteBuffer(string: body))
            #expect(upload.status == .seeOther)
            // A setting's hours from the settings page: the customer-notice clock follows.
            #expect(try await Self.post(admin, "/o/\(o)/incidents/settings/hours", [("csrf", csrf), ("hours_dfars-7012.tell-customer", "12")]).status
                    == .seeOther)
            let refused = try await Self.post(admin, "/o/\(o)/incidents/settings/hours", [("csrf", csrf), ("hours_dfars-7012.tell-customer", "9999")])
            #expect(refused.status == .badRequest && refused.html.contains("9999 時間は設定できません"))
            #expect(try await Self.post(admin, "/o/\(o)/incidents/\(id)/phase", [("csrf", csrf), ("phase", "contained")]).status == .seeOther)
            let bad = try await Self.post(admin, "/o/\(o)/incidents/\(id)/phase", [("csrf", csrf), ("phase", "detected")])
            #expect(bad.status == .badRequest && bad.html.contains("には変更できません"), "IncidentPhase.canMove refuses, in Japanese")
            let r = try await Self.post(admin, "/o/\(o)/incidents/\(id)/submissions",
                                        [("csrf", csrf), ("kind", "dod-initial"), ("submitted_at", Self.local(Self.start, "Asia/Tokyo")),
                                         ("submission_zone", "Asia/Tokyo"), ("channel", "DC3 ポータル"), ("report_number", "ICF-2026-00042")])
            #expect(r.status == .seeOther)
            let html = try await Self.get(admin, "/o/\(o)/incidents/\(id)").html
            #expect(html.contains("期限内に完了") && html.contains("保全期間中") && html.contains("ICF-2026-00042"))
            #expect(html.contains("CAD サーバをネットワークから切り離した") && html.contains("封じ込め済み"))
            let sha = SHA256.hash(data: Data("YOUR FILES ARE ENCRYPTED".utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(html.contains("/api/v1/organizations/\(o)/evidence/\(sha)") && html.contains("ransom-note.txt"), "the sealed file")
            #expect(html.contains("報告番号を上位の発注者へ通知（12 時間）"), "the organization's hours for the setting")
        }
    }

    // MARK: models, templates, messages

    static let samples: [(String, any PageModel)] = {
        let option = SelectOption(value: "v", label: "V", selected: true)
        let errors = ["title": "E", "discovered_at": "E", "time_zone": "E", "discovered_by": "E", "detection_method": "E", "compromise_type": "E",
                      "outcome": "E", "information_kind": "E", "information_reference": "E", "technique": "E", "narrative": "E", "systems": "E",
                      "contracts": "E"]
        let subErrors = ["kind": "E", "submitted_at": "E", "submission_zone": "E", "channel": "E", "report_number": "E", "cites": "E"]
        return [
            ("incident-list", IncidentListPage(
                incidents: [.init(title: "T", url: "/i", phase: "Detected", phaseID: "detected", discovered: "now", next: "72 h", overdue: true,
                                  exercise: true)],
                hasIncidents: true, canManage: true, newURL: "/n", settingsURL: "/s", readinessURL: "/r", noticesURL: "/n")),
            ("incident-forbidden", IncidentForbiddenPage(message: "No", homeURL: "/")),
            ("incident-form", IncidentFormPage(
                heading: "New", action: "/a", cancelURL: "/c", version: 2, title: "T", discoveredAt: "2026-12-05T02:13", zones: [option],
                discoveredBy: "Me", methods: [option], compromises: [option], outcomes: [option], informationKinds: [option],
                informationReference: "CTI", technique: "RDP", narrative: "N", systems: [.init(value: "s", label: "S", checked: true)],
                hasSystems: true, contracts: [.init(value: "c", label: "C", checked: true)], hasContracts: true, exercise: true,
                exerciseFixed: true, errors: errors, errorList: [.init(field: "title", message: "E")], hasErrors: true)),
            ("incident-detail", IncidentDetailPage(
                title: "T", phase: "Detected", phaseID: "detected", exercise: true, listURL: "/l", editURL: "/e", settingsURL: "/s",
                registersURL: "/r", noticeSendURL: "/n", reportFieldsURL: "/rf", stixURL: "/x", tlpOptions: [option], canManage: true, facts: [.init(label: "L", value: "V")],
                clocks: [.init(regime: "DFARS", what: "Report", dueViewer: "then", dueOrganization: "then", state: "open", stateID: "open",
                               source: "7012(a)", setting: true)],
                hasClocks: true, viewerZone: "UTC", organizationZone: "Asia/Tokyo", phaseAction: "/p", phases: [option], hasPhases: true,
                phaseError: "E", timeline: [.init(at: "now", author: "A", text: "X", phase: "Contained", files: [.init(name: "f", url: "/f")])],
                hasTimeline: true, timelineAction: "/t", timelineText: "X", timelineError: "E",
                submissions: [.init(kind: "K", submittedAt: "now", channel: "C", by: "B", reportNumber: "N", cites: "I")], hasSubmissions: true,
                submissionAction: "/s", kinds: [option], submittedAt: "2026-12-05T02:13", zones: [option], channel: "C", reportNumber: "N",
                cites: "I", submissionErrors: subErrors, submissionErrorList: [.init(field: "kind", message: "E")], hasSubmissionErrors: true,
                exports: [.init(label: "DoD", html: "/h", markdown: "/m", json: "/j")],
                sharing: IncidentShareSection(observables: [.init(kind: "IPv4", value: "198.51.100.7", note: "N", deleteAction: "/d")],
                                              hasObservables: true, canManage: true, addAction: "/o", shareURL: "/sh"))),
            ("incident-report-fields", IncidentReportFieldsPage(
                incidentTitle: "T", action: "/a", cancelURL: "/c", version: 3, pocCount: 2, contractCount: 1, agencyCount: 2,
                sections: [.init(id: "s", heading: "H", lead: "L", error: "E",
                                 fields: [.init(id: "f", label: "F", value: "V", hint: "H", rows: 3, options: [option], error: "E")],
                                 groups: [.init(legend: "G", fields: [.init(id: "h", label: "", value: "V", hint: nil, rows: nil, options: nil,
                                                                             error: nil, hidden: true)])])],
                missing: [.init(report: "DoD", fields: "CAGE")], hasMissing: true,
                errorList: [.init(field: "facility_cage", message: "E")], hasErrors: true)),
            ("incident-settings", IncidentSettingsPage(
                listURL: "/l", hoursAction: "/h",
                hours: [.init(ruleID: "hours_r", regime: "MOD", what: "First", value: "1", defaultHours: 1, source: "S", error: "E")],
                teamAction: "/t", team: [.init(name: "N", email: "e@example.jp", role: "Viewer", granted: "now", revokeURL: "/r")], hasTeam: true,
                candidates: [option], hasCandidates: true, teamError: "E")),
        ]
    }()

    @Test("Each incident template reads only its model's and the layout's keys, reads every model key, and prints no nil")
    func modelsMatchTemplates() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let layoutNames = Set(PageModelTests.keys(TemplateTree.dictionary(PageModelTests.layout(t))))
        for (template, model) in Self.samples {
            let keys = PageModelTests.keys(TemplateTree.merged(model, PageModelTests.layout(t)))
            let names = try PageModelTests.names(SupplyChainPageTests.sourceWithPartials(template))
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
                #expect(read.contains(key) || layoutReads.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(TemplateTree.merged(model, PageModelTests.layout(t)), withTemplate: template))
            #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
        }
    }

    @Test("The message keys the incident pages build in code exist in both languages")
    func dynamicKeysExist() async throws {
        let messages = try await WebAssets.load().messages
        for lang in Language.allCases {
            let missing = IncidentLabels.allKeys.filter { messages.table(lang)[$0] == nil }
            #expect(missing.isEmpty, "\(lang.rawValue): \(missing)")
        }
    }
}
