import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Starting an assessment from a previous one (#17 item 4): last year's 320 answers are the starting point, each
/// marked "carried over — review" until a person saves or confirms it; one transaction, one audit entry naming the
/// source; the score is the previous one's until something changes.
@Suite("Assessment started from a previous one (#17 item 4)", .serialized)
struct CarryOverTests {
    /// Last year's assessment: all 320 rev2 objectives answered (every seventh and 3.1.8 not met, two not applicable), each with a
    /// rationale, every third with a link as evidence; 3.1.1's implementation statement and a POA&M item for 3.1.8.
    static func lastYear(_ services: Services, _ orgID: String) async throws -> (TenantStore, Actor, AssessmentRecord) {
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let store = TenantStore(services.db, organizationID: orgID)
        let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
        let system = try await store.createSystem(SystemProfile(name: "生産管理システム"), by: actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2025-11-27")!, kind: .basic,
                                                 assessor: "山田", by: actor)
        let objectives = try BuiltInLibrary.shared.catalog(.sp800171r2).objectiveIDs
        #expect(objectives.count == 320)
        try await services.db.transaction { s in
            for (i, o) in objectives.enumerated() {
                // 3.12.4 (the system security plan) met: without it there is no score to compare.
                let status: FindingStatus = o.hasPrefix("3.1.8[") ? .notMet
                    : (o.hasPrefix("3.12.4[") ? .met : (i % 7 == 3 ? .notMet : (i == 5 || i == 6 ? .notApplicable : .met)))
                let evidence = i % 3 == 0 ? [EvidenceRef(location: "https://intra.example.jp/evidence/\(i)", date: Day("2025-11-20"))] : []
                _ = try await store.putFinding(assessmentID: a.id, objective: o,
                                               Finding(status: status, rationale: "昨年の根拠 \(o)", evidence: evidence, assessedBy: "山田",
                                                       assessedOn: Day("2025-11-27")),
                                               ifVersion: nil, by: actor, on: s)
            }
        }
        _ = try await store.putAnswer(assessmentID: a.id, requirement: "3.1.1", RequirementAnswer(implementation: "AD のアカウントで管理"),
                                      ifVersion: nil, by: actor)
        _ = try await store.savePOAMItem(assessmentID: a.id, POAMItem(requirement: "3.1.8", weakness: "ロックアウトなし",
                                                                      scheduledCompletion: Day("2026-03-31")), ifVersion: 0, by: actor)
        return (store, actor, try #require(try await store.assessment(id: a.id)))
    }

    static func actions(_ services: Services, _ orgID: String, _ prefix: String) async throws -> [AuditEntry] {
        try await AuditLog(services.db).entries(organizationID: orgID, limit: 100_000, actionPrefix: prefix)
    }

    static func findings(_ b: Browser, _ org: String, _ id: String) async throws -> [String: [String: Any]] {
        let page = try await b.send(.get, "/api/v1/organizations/\(org)/assessments/\(id)/findings")
        let items = try #require(page.json["items"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: items.map { ($0["objective"] as? String ?? "", $0) })
    }

    @Test("#17 item 4, API: 320 objectives copied with statuses, rationales and evidence, all marked for review, one audit entry naming the source; the score equals the previous one's; saving one clears only that one; confirm as is",
          arguments: TestDatabases.engines)
    func apiCopiesAndMarks(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, org) = try await bootstrapAdmin(admin, services: services)
            let (store, _, previous) = try await Self.lastYear(services, org)
            let base = "/api/v1/organizations/\(org)/assessments"
            let updatesBefore = try await Self.actions(services, org, "finding.updated").count

            let created = try await admin.send(.post, base, json: ["fromAssessment": previous.id, "date": "2026-11-27", "assessor": "佐藤"])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["startedFrom"] as? String == previous.id)
            #expect(created.json["systemId"] as? String == previous.systemId && created.json["catalog"] as? String == "sp800-171r2")
            #expect(created.json["date"] as? String == "2026-11-27" && created.json["assessor"] as? String == "佐藤")

            let before = try await Self.findings(admin, org, previous.id)
            var after = try await Self.findings(admin, org, id)
            #expect(after.count == 320)
            for (o, old) in before {
                let new = try #require(after[o])
                #expect(new["status"] as? String == old["status"] as? String, "\(o)")
                #expect(new["rationale"] as? String == old["rationale"] as? String, "\(o)")
                #expect((new["evidence"] as? [[String: Any]])?.map { $0["location"] as? String }
                        == (old["evidence"] as? [[String: Any]])?.map { $0["location"] as? String }, "\(o)")
                #expect(new["needsReview"] as? Bool == true && new["carriedOverFrom"] as? String == previous.id, "\(o)")
                #expect(old["needsReview"] as? Bool == false && old["carriedOverFrom"] == nil, "\(o)")
            }
            #expect(after.values.filter { ($0["evidence"] as? [Any])?.isEmpty == false }.count == 107)
            // The requirement answers and the plan of action came along.
            let copied = try await store.load(assessmentID: id, organization: Organization(name: "x"))
            #expect(copied.answer(for: "3.1.1").implementation == "AD のアカウントで管理")
            #expect(copied.poam.map(\.requirement) == ["3.1.8"])

            // One typed entry for the whole copy, naming the source; no entry per finding.
            let started = try await Self.actions(services, org, "assessment.started-from-previous")
            #expect(started.count == 1 && started.first?.object == "assessment/\(id)/from/\(previous.id)")
            #expect(try await Self.actions(services, org, "finding.updated").count == updatesBefore)

            // Carried-over answers count: the same answers, the same score and answered count.
            let oldScore = try await admin.send(.get, "\(base)/\(previous.id)/score").json
            let newScore = try await admin.send(.get, "\(base)/\(id)/score").json
            #expect(newScore["score"] as? Int != nil && newScore["score"] as? Int == oldScore["score"] as? Int)
            #expect(newScore["answered"] as? Int == 320 && newScore["cmmcStatus"] as? String == oldScore["cmmcStatus"] as? String)
            #expect(try await store.scoreHistory(assessmentID: id).last?.score == newScore["score"] as? Int)

            // Saving one objective unchanged through the API confirms it, and only it.
            let a = "3.1.1[a]"
            let put = try await admin.send(.put, "\(base)/\(id)/findings/\(a)",
                                           json: ["status": after[a]?["status"] as Any, "rationale": after[a]?["rationale"] as Any,
                                                  "evidence": after[a]?["evidence"] as Any],
                                           headers: [.ifMatch: "\"1\""])
            #expect(put.status == .ok && put.json["needsReview"] as? Bool == false && put.json["carriedOverFrom"] == nil)
            after = try await Self.findings(admin, org, id)
            #expect(after[a]?["needsReview"] as? Bool == false)
            #expect(after.values.filter { $0["needsReview"] as? Bool == true }.count == 319)

            // Confirm as is: the answer stays, the mark goes, the version moves; a stale If-Match is 412; twice writes nothing.
            let b = "3.1.1[b]"
            #expect(try await admin.send(.post, "\(base)/\(id)/findings/\(b)/confirm", headers: [.ifMatch: "\"7\""]).status == .preconditionFailed)
            let confirmed = try await admin.send(.post, "\(base)/\(id)/findings/\(b)/confirm", headers: [.ifMatch: "\"1\""])
            #expect(confirmed.status == .ok && confirmed.json["needsReview"] as? Bool == false && confirmed.json["version"] as? Int == 2)
            #expect(confirmed.json["status"] as? String == before[b]?["status"] as? String)
            #expect(confirmed.json["rationale"] as? String == "昨年の根拠 \(b)" && confirmed.headers[.eTag] == "\"2\"")
            let again = try await admin.send(.post, "\(base)/\(id)/findings/\(b)/confirm")
            #expect(again.status == .ok && again.json["version"] as? Int == 2)
            #expect(try await Self.actions(services, org, "finding.confirmed").map(\.object) == ["assessment/\(id)/finding/\(b)"])
            #expect(try await admin.send(.post, "\(base)/\(id)/findings/9.9.9[z]/confirm").status == .notFound)
            after = try await Self.findings(admin, org, id)
            #expect(after.values.filter { $0["needsReview"] as? Bool == true }.count == 318)
            // Nothing changed in the previous assessment; the score did not move either (same answers).
            #expect(try await Self.findings(admin, org, previous.id).values.allSatisfy { $0["version"] as? Int == 1 && $0["needsReview"] as? Bool == false })
            #expect(try await admin.send(.get, "\(base)/\(id)/score").json["score"] as? Int == oldScore["score"] as? Int)
            // A status change moves the score away from last year's.
            for o in ["3.1.8[a]", "3.1.8[b]"] {
                #expect(try await admin.send(.put, "\(base)/\(id)/findings/\(o)", json: ["status": "met", "rationale": "対応済み"]).status == .ok)
            }
            #expect(try await admin.send(.get, "\(base)/\(id)/score").json["score"] as? Int != oldScore["score"] as? Int)
        }
    }

    @Test("#17 item 4, API refusals: another catalog or system (400, typed, nothing created), another organization's previous assessment (404), a viewer (403), neither system nor previous (400)",
          arguments: TestDatabases.engines)
    func apiRefusals(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, org) = try await bootstrapAdmin(admin, services: services)
            let (store, actor, previous) = try await Self.lastYear(services, org)
            let base = "/api/v1/organizations/\(org)/assessments"
            func field(_ r: Browser.Reply) -> String? { (r.json["error"] as? [String: Any])?["field"] as? String }

            let catalog = try await admin.send(.post, base, json: ["fromAssessment": previous.id, "catalog": "sp800-171r3", "date": "2026-11-27"])
            #expect(catalog.status == .badRequest && field(catalog) == "catalog")
            let message = ((catalog.json["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("sp800-171r2") && message.contains("cannot be carried over"))
            let other = try await store.createSystem(SystemProfile(name: "別のシステム"), by: actor)
            let system = try await admin.send(.post, base, json: ["fromAssessment": previous.id, "systemId": other.id, "date": "2026-11-27"])
            #expect(system.status == .badRequest && field(system) == "systemId")
            let neither = try await admin.send(.post, base, json: ["date": "2026-11-27"])
            #expect(neither.status == .badRequest && field(neither) == "systemId")

            // Another organization's assessment is not found here, exactly like an unknown id.
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let elsewhere = try await services.accounts.createOrganization(name: "株式会社よそ", owner: me.id)
            let foreignStore = TenantStore(services.db, organizationID: elsewhere.id)
            let foreignSystem = try await foreignStore.createSystem(SystemProfile(name: "よそ"), by: actor)
            let foreign = try await foreignStore.createAssessment(systemID: foreignSystem.id, catalog: .sp800171r2, date: Day("2025-01-01")!,
                                                                  kind: .basic, assessor: "", by: actor)
            _ = try await foreignStore.putFinding(assessmentID: foreign.id, objective: "3.1.1[a]", Finding(status: .met, rationale: "よその秘密"),
                                                  ifVersion: nil, by: actor)
            let stolen = try await admin.send(.post, base, json: ["fromAssessment": foreign.id, "date": "2026-11-27"])
            let unknown = try await admin.send(.post, base, json: ["fromAssessment": "00000000-0000-4000-8000-000000000000", "date": "2026-11-27"])
            #expect(stolen.status == .notFound && unknown.status == .notFound && stolen.errorCode == unknown.errorCode)
            #expect(!String(decoding: stolen.body, as: UTF8.self).contains("よその秘密"))

            // A viewer may read but not start one.
            _ = try await AccountSafetyTests.member(services, org, .viewer, email: "viewer@example.jp")
            let viewer = Browser(client)
            try await viewer.login("viewer@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(viewer)
            #expect(try await viewer.send(.post, base, json: ["fromAssessment": previous.id, "date": "2026-11-27"]).status == .forbidden)
            #expect(try await viewer.send(.post, "\(base)/\(previous.id)/findings/3.1.1[a]/confirm").status == .forbidden)

            #expect(try await store.assessments().map(\.id) == [previous.id])
            #expect(try await Self.actions(services, org, "assessment.started-from-previous").isEmpty)
        }
    }

    @Test("#17 item 4, pages: the new-assessment form offers the previous one; the overview and the editor count and mark what needs review (ja, en); the editor's save confirms its objectives, confirm as is per objective and per requirement; a viewer is refused (403), another organization's id is 404",
          arguments: TestDatabases.engines)
    func pages(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, org) = try await bootstrapAdmin(admin, services: services)
            let (store, actor, previous) = try await Self.lastYear(services, org)
            let form = try await WebPageTests.page(admin, .get, "/o/\(org)/assessments")
            #expect(form.html.contains("前回の評価から始める") && form.html.contains("<option value=\"\(previous.id)\">"))
            #expect(try await WebPageTests.page(admin, .get, "/o/\(org)/assessments", language: "en").html.contains("(nothing: start empty)"))
            let csrf = try #require(WebPageTests.formToken(form.html))

            let created = try await WebPageTests.page(admin, .post, "/o/\(org)/assessments", form: [
                ("csrf", csrf), ("from", previous.id), ("system", previous.systemId), ("catalog", "sp800-171r2"), ("kind", "basic"),
                ("date", "2026-11-27"), ("assessor", "佐藤")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let id = try #require(try await store.assessments().first { $0.id != previous.id }?.id)
            #expect(location == "/o/\(org)/assessments/\(id)?notice=carried_over")

            var overview = try await WebPageTests.page(admin, .get, location)
            #expect(overview.html.contains("前回から引き継いだ評価目標のうち 320 件が確認待ちです"))
            #expect(overview.html.contains("前回の評価（") && overview.html.contains("前回から引き継ぎ・要確認: 要確認 2 件"))
            let english = try await WebPageTests.page(admin, .get, "/o/\(org)/assessments/\(id)", language: "en")
            #expect(english.html.contains("320 objectives carried over from the previous assessment still need review"))
            #expect(english.html.contains("Carried over — review: 2 to review"))

            // The editor marks each objective; saving the requirement as it is confirms its objectives, only them.
            let editorURL = "/o/\(org)/assessments/\(id)/requirements/3.1.1"
            let editor = try await WebPageTests.page(admin, .get, editorURL)
            let entry = try #require(try BuiltInLibrary.shared.catalog(.sp800171r2)["3.1.1"])
            #expect(entry.assessmentObjectives.count == 6)
            #expect(editor.html.components(separatedBy: "<span class=\"badge carried\">前回から引き継ぎ・要確認</span>").count == 7)
            #expect(editor.html.contains("form=\"confirm-form\" name=\"objective\" value=\"3.1.1[a]\""))
            let copied = try await store.load(assessmentID: id, organization: Organization(name: "x"))
            func objectiveFields(_ i: Int, _ o: String) -> [(String, String)] {
                let f = copied.findings[o]!
                return [("o\(i)_status", f.status.rawValue), ("o\(i)_rationale", f.rationale), ("o\(i)_version", "1")]
                    + f.evidence.map { ("o\(i)_keep", AssessmentPages.encode($0)) }
            }
            let saved = try await WebPageTests.page(admin, .post, editorURL, form: [("csrf", csrf), ("answer_version", "1"),
                                                                                    ("implementation", "AD のアカウントで管理"), ("go", "stay")]
                                                    + entry.assessmentObjectives.enumerated().flatMap { objectiveFields($0.offset, $0.element) })
            #expect(saved.status == .seeOther)
            var marked = try await store.carriedOverObjectives(assessmentID: id)
            #expect(marked.count == 314 && !marked.contains { $0.hasPrefix("3.1.1[") })
            let unchanged = try await store.load(assessmentID: id, organization: Organization(name: "x"))
            #expect(unchanged.findings["3.1.1[a]"]?.rationale == copied.findings["3.1.1[a]"]?.rationale)
            #expect(unchanged.findings["3.1.1[a]"]?.evidence == copied.findings["3.1.1[a]"]?.evidence)

            // Confirm as is: one objective, then the rest of a requirement.
            let one = try await WebPageTests.page(admin, .post, "/o/\(org)/assessments/\(id)/requirements/3.1.2/confirm",
                                                  form: [("csrf", csrf), ("objective", "3.1.2[a]")])
            #expect(one.status == .seeOther && one.headers[.location] == "/o/\(org)/assessments/\(id)/requirements/3.1.2?notice=confirmed")
            marked = try await store.carriedOverObjectives(assessmentID: id)
            #expect(marked.count == 313 && !marked.contains("3.1.2[a]") && marked.contains("3.1.2[b]"))
            let all = try await WebPageTests.page(admin, .post, "/o/\(org)/assessments/\(id)/requirements/3.1.3/confirm", form: [("csrf", csrf)])
            #expect(all.status == .seeOther)
            marked = try await store.carriedOverObjectives(assessmentID: id)
            #expect(marked.count == 308 && !marked.contains { $0.hasPrefix("3.1.3[") })
            #expect(try await Self.actions(services, org, "finding.confirmed").count == 12)
            // Another requirement's objective through this requirement's form is not found, and changes nothing.
            let wrong = try await WebPageTests.page(admin, .post, "/o/\(org)/assessments/\(id)/requirements/3.1.2/confirm",
                                                    form: [("csrf", csrf), ("objective", "3.1.4[a]")])
            let stillMarked = try await store.carriedOverObjectives(assessmentID: id)
            #expect(wrong.status == .notFound && marked == stillMarked)

            // The filter lists only requirements still to review; the count went down.
            overview = try await WebPageTests.page(admin, .get, "/o/\(org)/assessments/\(id)?review=1")
            #expect(overview.html.contains("308 件が確認待ち"))
            #expect(!overview.html.contains(">3.1.1</a>") && overview.html.contains(">3.1.2</a>") && !overview.html.contains(">3.1.3</a>"))
            #expect(overview.html.contains(">3.1.4</a>"))

            // A viewer sees the marks but cannot start or confirm; another organization's previous assessment is 404.
            _ = try await AccountSafetyTests.member(services, org, .viewer, email: "viewer@example.jp")
            let viewer = Browser(client)
            try await viewer.login("viewer@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(viewer)
            let viewerPage = try await WebPageTests.page(viewer, .get, "/o/\(org)/assessments/\(id)/requirements/3.1.2")
            #expect(viewerPage.status == .ok && viewerPage.html.contains("前回から引き継ぎ・要確認") && !viewerPage.html.contains("confirm-form"))
            let viewerCSRF = try #require(WebPageTests.formToken(viewerPage.html))
            let refused = try await WebPageTests.page(viewer, .post, "/o/\(org)/assessments", form: [
                ("csrf", viewerCSRF), ("from", previous.id), ("catalog", "sp800-171r2"), ("kind", "basic"), ("date", "2026-11-28")])
            #expect(refused.status == .forbidden)
            let refusedConfirm = try await WebPageTests.page(viewer, .post, "/o/\(org)/assessments/\(id)/requirements/3.1.2/confirm",
                                                             form: [("csrf", viewerCSRF)])
            #expect(refusedConfirm.status == .forbidden)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let elsewhere = try await services.accounts.createOrganization(name: "株式会社よそ", owner: me.id)
            let foreignStore = TenantStore(services.db, organizationID: elsewhere.id)
            let foreignSystem = try await foreignStore.createSystem(SystemProfile(name: "よそ"), by: actor)
            let foreign = try await foreignStore.createAssessment(systemID: foreignSystem.id, catalog: .sp800171r2, date: Day("2025-01-01")!,
                                                                  kind: .basic, assessor: "", by: actor)
            let stolen = try await WebPageTests.page(admin, .post, "/o/\(org)/assessments", form: [
                ("csrf", csrf), ("from", foreign.id), ("catalog", "sp800-171r2"), ("kind", "basic"), ("date", "2026-11-28")])
            #expect(stolen.status == .notFound)
            #expect(try await store.assessments().count == 2 && marked.count == 308)
        }
    }
}
