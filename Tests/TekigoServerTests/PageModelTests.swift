import Foundation
import Mustache
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The typed page models (issue #16 item 2): each converted template rendered with a sample of its model, every
/// optional present. Every name a template (or the layout) reads must be a key of the model or the layout, every
/// `{{t.key}}` a message, and every key of a page model must be read by some template — a misspelled key on either
/// side fails here. Absent optionals leave no "nil" text.
@Suite("Page models")
struct PageModelTests {
    static let templateDir = WebMessagesTests.webRoot.appendingPathComponent("templates")

    static func layout(_ t: [String: String]) -> LayoutModel {
        LayoutModel(lang: "en", otherLang: "ja", t: t, pageTitle: "Title", viewer: .init(name: "Ann", email: "ann@example.com"),
                    csrf: "csrf-token", settingsURL: "/settings", logoutURL: "/logout", org: .init(id: "o1", name: "Org"),
                    nav: [.init(url: "/o/o1", label: "Dashboard", current: true)], notice: "Saved")
    }

    static let jobRow = JobRow(url: "/o/o1/jobs/j1", kind: "Export", state: "Finished", stateID: "finished", percent: 100, done: 3,
                               total: 3, created: "Nov 28, 2026", failed: true, message: "done", hasResult: true, summary: true,
                               resultURL: "/o/o1/jobs/j1/result", resultName: "export.zip")

    /// A sample of every converted page's model, every optional present.
    static let samples: [(String, any PageModel)] = [
        ("jobs", JobsPage([jobRow])),
        ("sharing-feed-list", FeedListPage(
            feeds: [.init(url: "/o/o1/sharing/feeds/f1", community: "dib-isac", collection: "cert", remote: "https://taxii.example.org/r/collections/c1/",
                          state: "Error", stateID: "error", lastRun: "Dec 6, 2026, 10:00", error: "The outside server answered HTTP 401",
                          lastAdded: "0", totalAdded: "12", nextDue: "Dec 6, 2026, 11:00", enabled: true, interval: "every 60 minutes")],
            hasFeeds: true, canChange: true, subscribeAction: "/o/o1/sharing/feeds",
            targets: [.init(value: "dib-isac/cert", label: "DIB ISAC — From the CERT", selected: true)], hasTargets: true,
            urlValue: "https://taxii.example.org/r/collections/c1/", auths: [.init(value: "basic", label: "HTTP Basic", selected: true)],
            usernameValue: "feed", intervalValue: "60", error: "Bad URL", sharingURL: "/o/o1/sharing")),
        ("sharing-feed-detail", FeedDetailPage(
            community: "dib-isac", collection: "cert", remote: "https://taxii.example.org/r/collections/c1/", auth: "HTTP Basic",
            username: "feed", enabled: true, interval: "every 60 minutes", created: "Dec 1, 2026, 09:00", resumeAfter: "2026-12-01T00:00:06.000000Z",
            state: "OK", stateID: "ok", lastRun: "Dec 6, 2026, 10:00", error: "Refused", lastAdded: "3", totalAdded: "12",
            nextDue: "Dec 6, 2026, 11:00", canChange: true, pullAction: "/p", enabledAction: "/e", enableValue: "0", intervalAction: "/i",
            intervalValue: "60", intervalError: "5 to 10080", deleteAction: "/d", actionError: "Being pulled already",
            runs: [.init(started: "Dec 6, 2026, 10:00", ended: "Dec 6, 2026, 10:01", by: "Schedule", ok: false, result: "Error", pages: "2",
                         added: "0", error: "HTTP 401")],
            hasRuns: true, keptRuns: "The newest 100 runs are kept.", feedsURL: "/o/o1/sharing/feeds")),
        ("job", JobPage(job: jobRow, refresh: true, jobsURL: "/o/o1/jobs")),
        ("catalogs", CatalogsPage(imports: [.init(id: "nist", title: "800-171", version: "3", file: "c.json", imported: "today",
                                                  entries: "1,000", warnings: 2)],
                                  canImport: true, action: "/o/o1/catalogs", error: "Bad file")),
        ("members", MembersPage(
            members: [.init(name: "Ann", email: "a@example.com", role: "Owner", mfa: true, isSelf: true, removeURL: "/r"),
                      .init(name: "Bo", email: "b@example.com", role: "Viewer", mfa: true, isSelf: false, removeURL: "/r2",
                            manageable: true, roleURL: "/ro", roleName: "Role of Bo",
                            roleOptions: [.init(value: "viewer", label: "Viewer", selected: true)], canReset: true, resetURL: "/rs")],
            canManage: true, action: "/m", roles: [.init(value: "owner", label: "Owner", selected: true)], email: "b@example.com",
            error: "Bad", invitationLink: "https://x/i", invitations: [.init(email: "c@example.com", role: "Viewer", expires: "soon",
                                                                             revokeURL: "/v", resendURL: "/s")],
            hasInvitations: true, canManageOrg: true, zoneAction: "/z", orgTimeZone: "Asia/Tokyo",
            zones: [.init(value: "Asia/Tokyo", selected: true)], zoneError: "Bad zone", resent: true, mailNotice: "Mail failed",
            mailFailed: true,
            regime: .init(action: "/g", canChange: true, current: "Japan", options: [.init(value: "japanese", label: "Japan", selected: true)],
                          protectedInformation: "保護すべき情報", designationDocument: "情報セキュリティ指定書",
                          securityPlan: "システムセキュリティ実装計画書", businessPlan: "事業計画", sprs: "not shown", error: "Choose"))),
        ("catalog-item-table", ItemTablePage(canImport: true, action: "/c/item-table", catalogsURL: "/c", id: "atla-example", name: "例示",
                                             notice: "Imported", rejected: "2 problems", problems: ["row 2, column item_id (A): empty"])),
        ("tokens", TokensPage(
            tokens: [.init(name: "ci", scope: "Read", expires: "later", created: "now", revoked: false, expired: true, revokeURL: "/r")],
            action: "/t", created: .init(name: "ci", token: "tk_1"), scopes: [.init(value: "read", label: "Read", selected: true)],
            name: "ci", days: "90", errors: ["name": "Required", "scope": "Choose", "days": "1–365"], hasErrors: true)),
        ("audit", AuditPage(
            entries: [.init(seq: 7, at: "now", actor: "ann", ip: "127.0.0.1", action: "member.add", label: "Member added",
                            object: "u1", hash: "abcd")],
            empty: false, action: "member", actor: "ann", filterURL: "/a", actions: [.init(value: "member", label: "member", selected: true)],
            verifyURL: "/a?verify=1", olderURL: "/a?before=7", verification: .init(intact: true, text: "Intact"))),
        ("exports", ExportsPage(
            documents: [.init(docLabel: "SSP", docHint: "The plan", docLanguages: [.init(langLabel: "English",
                                                                                       formats: [.init(label: "PDF", url: "/x.pdf")])])],
            overviewURL: "/o", action: "/e", languages: [.init(value: "en", label: "English", selected: true)])),
        ("landing", LandingPage(loginURL: "/login")),
        ("organizations", OrganizationsPage(organizations: [.init(name: "Org", url: "/o/o1", role: "Owner")])),
        ("login", LoginPage(formCSRF: "f", email: "a@example.com", error: "Wrong", action: "/login")),
        ("login-mfa", SecondFactorPage(action: "/login/mfa", error: "Wrong")),
        ("mfa-enrol", EnrolPage(action: "/mfa", enabled: true, secret: "ABCD EFGH", secretRaw: "ABCDEFGH", otpauth: "otpauth://x",
                                qrSVG: "<svg></svg>", error: "Wrong", recoveryList: ["r1", "r2"], hasRecovery: true, continueURL: "/")),
        ("settings", SettingsPage(action: "/settings", error: "Bad", languages: [.init(value: "en", label: "English", selected: true)],
                                  zones: [.init(value: "UTC", selected: true)], mfaURL: "/mfa")),
        ("setup", SetupPage(action: "/setup", token: "tk", organization: "Org", displayName: "Ann", email: "a@example.com",
                            errors: ["organization": "Required", "display_name": "Required", "email": "Bad", "password": "Weak",
                                     "form": "Expired"],
                            hasErrors: true, passwordLabel: "Password")),
        ("invitation", InvitationPage(offer: nil)),
        ("invitation", InvitationPage(offer: .init(
            action: "/i", token: "tk", organization: "Org", email: "a@example.com", role: "Viewer", signedIn: true, otherAccount: true,
            createAccount: true, signInFirst: true, loginURL: "/login", displayName: "Ann",
            errors: ["display_name": "Required", "password": "Weak", "form": "Invalid"], hasErrors: true, passwordLabel: "Password"))),
        ("poam", POAMBoardPage(
            columns: [.init(status: "open", label: "Open", count: 1, items: [
                .init(requirement: "3.1.1", title: "Access", weakness: "No MFA", owner: "Ann", url: "/p/3.1.1", due: "Dec 1, 2026",
                      overdue: true, undated: true, draft: true, milestones: "1/2")])],
            overviewURL: "/o", empty: true, overdueCount: 1, expected: "Jan 1, 2027", posted: "2026-11-01", postedShown: "Nov 1, 2026",
            postedAction: "/posted", postedError: "Bad date", version: 3, canPost: true, closeout: "May 1, 2027", closeoutNote: "est.")),
        ("poam-item", POAMItemPage(
            requirement: "3.1.1", title: "Access", action: "/p", boardURL: "/b", editorURL: "/e", version: 2, canEdit: true,
            weakness: "No MFA", owner: "Ann", resources: "Budget", scheduled: "2027-01-01", completed: "2027-02-01",
            statuses: [.init(value: "open", label: "Open", selected: true)],
            milestones: [.init(index: 0, description: "Buy", due: "2026-12-01", done: true, error: "Date")],
            errors: ["form": "Changed", "weakness": "Required", "status": "Choose", "scheduled": "Date", "completed": "Date"],
            hasErrors: true)),
        ("systems", SystemsPage(
            systems: [.init(name: "Main", boundary: "Office", environment: "On premises", types: "CUI", users: 5, editURL: "/s/1")],
            canManage: true,
            action: "/s", hasSystems: true,
            input: ["name": "Main", "boundary": "Office", "environment": "On premises", "types": "CUI", "users": "5"],
            errors: ["name": "Required", "users": "Count"], hasErrors: true)),
        ("system", SystemPage(
            name: "Main", action: "/s/1", deleteAction: "/s/1/delete", listURL: "/s", version: 2,
            input: ["name": "Main", "boundary": "Office", "environment": "On premises", "types": "CUI", "users": "5"],
            errors: ["form": "Changed", "name": "Required", "users": "Count"], hasErrors: true, deleteError: "In use")),
        ("assessments", AssessmentsPage(
            assessments: [.init(url: "/a", date: "Nov 1, 2026", system: "Main", catalog: "800-171", kind: "Basic")], hasAssessments: true,
            canManage: true, action: "/a", hasSystems: true, systemsURL: "/s", systems: [.init(id: "s1", name: "Main", selected: true)],
            catalogs: [.init(id: "r2", title: "800-171 rev2", selected: true)], kinds: [.init(id: "basic", label: "Basic", selected: true)],
            input: ["date": "2026-11-01", "assessor": "Ann"],
            errors: ["date": "Bad", "catalog": "Choose", "kind": "Choose", "system": "Choose"], hasErrors: true,
            previous: [.init(id: "a0", name: "Nov 1, 2025 — Main — 800-171", selected: true)])),
        ("overview", OverviewPage(
            score: ScoreFields(score: "88", maximum: 110, threshold: 88, scoreOK: true, cmmc: "Conditional",
                                cmmcReasons: ["A reason"], hasReasons: true, reasonCount: 1, sprsShown: false,
                                allMetLine: "Not all items met (1 of 2 met)", standard: "NIST SP 800-171"),
            catalog: "800-171", date: "Nov 1, 2026", system: "Main", answered: "10", total: "110", percent: 9, gaugeSVG: "<svg></svg>",
            poamURL: "/p", exportsURL: "/e", workbookURL: "/w", nextURL: "/n",
            families: [.init(id: "3.1", title: "Access Control", met: 1, count: 2, requirements: [
                .init(id: "3.1.1", title: "Access", url: "/r", status: "met", statusLabel: "Met", answered: 1, objectives: 2, points: "5",
                      toReview: "2 to review")])],
            expiredEvidence: .init(items: [.init(objective: "3.2.1[a]", titles: "Training record", url: "/r#library")]),
            review: .init(remaining: "3 objectives need review", startedFrom: "Started from Nov 1, 2025", filterURL: "/o?review=1",
                          allURL: "/o", filtered: true, nextReviewURL: "/r"))),
        ("dashboard", DashboardPage(
            assessments: [.init(url: "/a", date: "Nov 1, 2026", system: "Main", catalog: "800-171", kind: "Basic")],
            systemsURL: "/s", assessmentsURL: "/a", hasSystems: true, hasAssessments: true,
            latest: .init(
                score: ScoreFields(score: "88", maximum: 110, threshold: 88, scoreOK: true, cmmc: "Conditional", cmmcReasons: ["A reason"],
                                   hasReasons: true, reasonCount: 1, allMetLine: "All items met (2 / 2)", standard: "Japan"),
                url: "/a", poamURL: "/p", exportsURL: "/e", system: "Main", date: "Nov 1, 2026", answered: "10", total: "110", percent: 9,
                gaugeSVG: "<svg/>", familiesSVG: "<svg/>", csfSVG: "<svg/>", historySVG: "<svg/>", burndownSVG: "<svg/>",
                families: [.init(label: "AC", met: 1, notMet: 1, notAssessed: 0, total: 2)],
                csf: [.init(label: "Protect", met: 1, total: 2, percent: 50)],
                history: [.init(day: "Nov 1, 2026", score: "88", answered: "10")],
                burndown: [.init(day: "Nov 1, 2026", actual: 3, planned: 2)]),
            officialNotice: .init(links: [.init(label: "SP 800-171 Rev. 3", url: "https://csrc.example")],
                                  command: "tekigo catalog import FILE", uploadURL: "/o/x/catalogs#import"))),
        ("editor", EditorPage(
            id: "3.5.3", title: "MFA", catalog: "800-171", officialStatement: "Use MFA.",
            officialMethods: [.init(label: "EXAMINE", text: "Policy; settings")], hasOfficialMethods: true,
            guidance: GuidanceView(RequirementGuidance(
                asks: LocalizedText("Use a second factor."), options: [LocalizedText("An authenticator app")],
                examine: LocalizedText("Settings"), interview: LocalizedText("The admin"), test: LocalizedText("A sign-in"),
                evidence: [LocalizedText("A screenshot")]), .en),
            evidenceLibrary: .init(objectives: [.init(id: "3.5.3[a]", formID: "library-0",
                                                      items: [.init(title: "MFA policy", url: "/e/1", badge: .init(kind: "expired", label: "Expired"))],
                                                      expired: true, options: [SelectOption(value: "i2", label: "Training", selected: false)],
                                                      hasOptions: true)],
                                   attachAction: "/o/x/evidence/attach", assessment: "a1", requirement: "3.5.3", libraryURL: "/o/x/evidence"),
            points: "5", overviewURL: "/o", action: "/r",
            previousURL: "/p", previousID: "3.5.2", nextURL: "/n", nextID: "3.5.4", canEdit: true,
            errors: ["form": "Changed", "mfa": "Choose", "encryption": "Choose", "exception": "Choose", "exception_note": "Required"],
            hasErrors: true, answerVersion: 4, position: "3 / 110", implementation: "We use an app",
            objectives: [.init(index: 0, id: "3.5.3[a]", prose: "Users are identified", guidance: "Keep a list of who may sign in.", version: 1, rationale: "Seen", error: "Bad link",
                               carriedOver: true,
                               inheritedFrom: ["Provided by Box (inherited)"],
                               statuses: [.init(value: "met", label: "Met", checked: true)],
                               evidence: [.init(keepField: "o0_keep", label: "policy.pdf", url: "/e", sha: "abc", encoded: "{}")],
                               link: "https://x")],
            hasMFA: true, hasEncryption: true, hasExceptions: true,
            inheritance: [.init(key: "inh0", kind: "inherited", heading: "Provided by Box (inherited)", serviceRef: "fedramp:FR1",
                                evidence: "CRM 2026-03", importedOn: "Dec 6, 2026", statements: [.init(control: "IA-2", side: "provider", text: "SSO")],
                                uncovered: "IA-5", objectives: [.init(id: "3.5.3[a]", fieldID: "inh0-3.5.3[a]", versionField: "v_3.5.3[a]", version: 1,
                                                                      current: "Met", confirmed: "confirmed (Met)", checked: true)],
                                statuses: [.init(value: "met", label: "Met", selected: true)], rationale: "r", action: "/i", canConfirm: true,
                                error: "Changed")],
            hasInheritance: true, notPermitted: .init(checked: true),
            mfa: [.init(value: "", label: "Unset", selected: true)], encryption: [.init(value: "", label: "Unset", selected: true)],
            exceptions: [.init(value: "", label: "None", selected: true)], exceptionNote: "Note",
            review: .init(remaining: "3 objectives need review", startedFrom: nil, filterURL: "/o?review=1", allURL: "/o", filtered: false,
                          nextReviewURL: "/r", confirmAction: "/c"))),
        ("error", ErrorPage(message: "Not found", status: 404, requestID: "r1", homeURL: "/")),
        // The evidence library (#17 item 5): a share path has no href (isLink false), a link has one.
        ("evidence-library", EvidenceLibraryPage(
            rows: [.init(title: "Policy", url: "/o/x/evidence/1",
                         location: .init(kind: "share", kindLabel: "File share", text: #"\\nas\share\p.pdf"#, href: "", isLink: false),
                         owner: "Hanako", documentDate: "Apr 1, 2026", expiresOn: "Apr 1, 2027",
                         badge: .init(kind: "expiring-soon", label: "Expiring soon"), uses: 2)],
            isEmpty: false, filters: [.init(label: "All", url: "/o/x/evidence", current: true)], newURL: "/o/x/evidence/new")),
        ("evidence-item", EvidenceItemPage(
            title: "Policy", location: .init(kind: "link", kindLabel: "Link", text: "https://x", href: "https://x", isLink: true),
            owner: "Hanako", documentDate: "Apr 1, 2026", expiresOn: "", badge: .init(kind: "expired", label: "Expired"), note: "Yearly",
            uses: [.init(label: "Nov 28, 2026 Main", objective: "3.1.1[a]", url: "/r#library", assessment: "a1")], hasUses: true,
            listURL: "/o/x/evidence", editURL: "/o/x/evidence/1/edit", deleteURL: "/o/x/evidence/1/delete",
            detachAction: "/o/x/evidence/1/detach", error: "Not attached")),
        ("evidence-item-form", EvidenceItemFormPage(
            heading: "Edit evidence: Policy", action: "/o/x/evidence/1/edit", cancelURL: "/o/x/evidence/1", version: "2",
            kinds: [SelectOption(value: "share", label: "File share", selected: true)],
            members: [SelectOption(value: "", label: "Not a member", selected: true)],
            input: ["title": "Policy", "location": "smb://nas/p", "owner_name": "Hanako", "document_date": "2026-04-01",
                    "expires_on": "2027-04-01", "note": "n"],
            errors: ["form": "Changed", "title": "Required", "kind": "Bad", "location": "Bad", "owner": "Required",
                     "document_date": "Bad", "expires_on": "Bad", "note": "Long"], hasErrors: true)),
        ("evidence-item-delete", EvidenceItemDeletePage(
            title: "Policy", location: .init(kind: "file", kindLabel: "File", text: "abc", href: "/api/e/abc", isLink: true), version: 1,
            action: "/o/x/evidence/1/delete", cancelURL: "/o/x/evidence/1",
            uses: [.init(label: "Nov 28, 2026 Main", objective: "3.1.1[a]", url: "/r", assessment: "a1")], inUse: true, error: "In use")),
        ("readiness-panel", ReadinessPanelPage(
            ready: true, items: [.init(text: "No plan", severity: "blocking", severityLabel: "Missing", fixURL: "#plan", fixLabel: "Go")],
            validHolders: "1",
            certificates: [.init(holder: "Sato", issuer: "ECA", identifier: "0A", expires: "2027-01-01", valid: false, deleteAction: "/d",
                                 renewAction: "/r", version: "1", renewID: "renew-1")],
            hasCertificates: true, certificateAction: "/c", members: [SelectOption(value: "u1", label: "Ann", selected: true)],
            holderValue: "h", issuerValue: "i", serialValue: "s", fingerprintValue: "f", expiresValue: "2027-01-01", certificateError: "Bad",
            plan: .init(title: "IRP", version: "2", location: "https://x", evidence: "abc", approvedBy: "CEO", approvedOn: "2026-01-01",
                        lastReviewed: "2026-01-01", months: "12", nextReview: "2027-01-01"),
            planAction: "/p", planVersion: "1", planTitleValue: "IRP", planVersionValue: "2", planLocationValue: "https://x",
            planEvidenceValue: "abc", approvedByValue: "CEO", approvedOnValue: "2026-01-01", reviewedValue: "2026-01-01", monthsValue: "12",
            planError: "Bad",
            contacts: [.init(position: "1", role: "DC3", name: "DCISE", affiliation: "DoD", purpose: "Report", phone: "1", email: "a@b.c",
                             deleteAction: "/d")],
            hasContacts: true, contactAction: "/k", roles: [SelectOption(value: "dc3", label: "DC3", selected: true)],
            contactPositionValue: "1", contactNameValue: "n", contactAffiliationValue: "a", contactPurposeValue: "p", contactPhoneValue: "1",
            contactEmailValue: "a@b.c", contactError: "Bad", channelsAction: "/ch", channelsVersion: "1", dodNameValue: "DC3",
            dodAddressValue: "https://dc3", modNameValue: "MOD", modPhoneValue: "1", modEmailValue: "m@b.c", channelsError: "Bad",
            canManage: true, canConfigure: true, incidentsURL: "/i", teamURL: "/t")),
    ]

    /// The names a template reads: `{{name}}`, `{{#name}}`, `{{^name}}`, `{{{name}}}`, `{{&name}}`, dotted paths.
    static func names(_ template: String) throws -> [String] {
        try WebMessagesTests.matches(#"\{\{\{?\s*[#^&]?\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}"#, in: template)
    }

    static func source(_ name: String) throws -> String {
        try String(contentsOf: templateDir.appendingPathComponent("\(name).mustache"), encoding: .utf8)
    }

    /// Every dictionary key in the tree (the message table's excepted).
    static func keys(_ tree: Any?) -> Set<String> {
        switch tree {
        case let d as [String: Any]:
            return d.reduce(into: Set(d.keys)) { all, kv in if kv.key != "t" { all.formUnion(keys(kv.value)) } }
        case let l as [Any]: return l.reduce(into: []) { $0.formUnion(keys($1)) }
        default: return []
        }
    }

    @Test func everyTemplateNameIsAModelKeyAndEveryModelKeyIsRead() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let layoutNames = try Self.names(Self.source("layout"))
        var allNames: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.templateDir.path) where file.hasSuffix(".mustache") {
            for name in try Self.names(String(contentsOf: Self.templateDir.appendingPathComponent(file), encoding: .utf8)) {
                allNames.formUnion(name.split(separator: ".").map(String.init))
            }
        }
        // A template's names against the keys of all its samples (an invitation is either an offer or invalid).
        var known: [String: Set<String>] = [:]
        for (template, model) in Self.samples { known[template, default: []].formUnion(Self.keys(TemplateTree.merged(model, Self.layout(t)))) }
        for (template, keys) in known.sorted(by: { $0.key < $1.key }) {
            for name in try Self.names(Self.source(template)) + layoutNames {
                let parts = name.split(separator: ".").map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(keys.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                }
            }
        }
        for (template, model) in Self.samples {
            for key in Self.keys(TemplateTree.tree(model)) {
                #expect(allNames.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(TemplateTree.merged(model, Self.layout(t)), withTemplate: template))
            #expect(try Self.nilText(html).isEmpty, "\(template) prints nil")
        }
    }

    static func nilText(_ html: String) throws -> [String] { try WebMessagesTests.matches(#"(\bnil\b|Optional\()"#, in: html) }

    /// Absent optionals are left out of the tree: sections stay closed and nothing prints "nil".
    @Test func absentOptionalsAreLeftOut() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.ja)
        let bare = LayoutModel(lang: "ja", otherLang: "en", t: t, pageTitle: "T")
        let model = CatalogsPage(imports: [], canImport: true, action: "/a", error: nil)
        let tree = TemplateTree.merged(model, bare)
        #expect(tree["error"] == nil && tree["viewer"] == nil && tree["notice"] == nil && tree["nav"] == nil)
        #expect(tree["empty"] as? Bool == true && tree["can_import"] as? Bool == true)
        let html = try #require(assets.templates.render(tree, withTemplate: "catalogs"))
        #expect(try Self.nilText(html).isEmpty)
        #expect(!html.contains("role=\"alert\"") && !html.contains("class=\"notice\""))
    }

    @Test func keysAreSnakeCase() {
        #expect(TemplateTree.snakeCase("resultURL") == "result_url")
        #expect(TemplateTree.snakeCase("stateID") == "state_id")
        #expect(TemplateTree.snakeCase("hasResult") == "has_result")
        #expect(TemplateTree.snakeCase("t") == "t")
        #expect(TemplateTree.snakeCase("csvURLForAll") == "csv_url_for_all")
        #expect(TemplateTree.snakeCase("sprs2") == "sprs2")
    }
}
