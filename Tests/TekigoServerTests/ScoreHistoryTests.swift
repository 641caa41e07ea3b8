import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Issue #16: "Score history is written by the operations that change a score, not by GETs." The dashboard's "score over
/// time" keeps one point per assessment and day (the organization's day), recorded in the same transaction as the
/// change that moved it (`AssessmentUseCases.putFinding`, `.saveRequirement`, `POAMUseCases.save`), so it no longer
/// depends on someone opening a page; the pages only read it.
@Suite("Score history: written by the changes, never by a page", .serialized)
struct ScoreHistoryTests {
    /// 23:55 in Tokyo (the organization's zone): ten minutes later it is the next day there, and the session (15 minutes
    /// idle) is still open.
    static let start = ISO8601DateFormatter().date(from: "2026-12-01T14:55:00Z")!

    static func rowCount(_ services: Services) async throws -> Int {
        try await services.db.sql.raw("SELECT COUNT(*) AS n FROM score_history").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// What the dashboard would show for the assessment now (the page's own computation: `AssessmentReport`).
    static func expected(_ services: Services, _ store: TenantStore, _ a: AssessmentRecord, org: OrganizationRecord) async throws
        -> (score: Int?, answered: Int) {
        let fresh = try #require(try await store.assessment(id: a.id))
        let r = try AssessmentReport(try await store.load(fresh, organization: org.domainOrganization), library: services.library)
        return (r.sprs?.score, r.assessment.progress(in: r.catalog).answered)
    }

    static func withServer(_ engine: TestDatabases.Engine, clock: SettableClock,
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

    @Test("A PUT through the API records the day's point with no page opened; two saves on one day keep one point with the latest score; opening the pages writes nothing, even on a day without a point", arguments: TestDatabases.engines)
    func apiWritesPagesRead(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.start)
        try await Self.withServer(engine, clock: clock) { client, services in
            let b = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(b, services: services)
            let org = try #require(try await services.accounts.organization(id: orgID))
            let (store, a) = try await WebPageTests.assessment(services, orgID)
            let base = "/api/v1/organizations/\(orgID)/assessments/\(a.id)"
            let pages = ["/o/\(orgID)", "/o/\(orgID)/assessments/\(a.id)", "/o/\(orgID)/assessments/\(a.id)/poam"]
            let today = services.today(for: org)

            // Opening the pages records nothing.
            for p in pages { #expect(try await WebPageTests.page(b, .get, p).status == .ok, "\(p)") }
            #expect(try await Self.rowCount(services) == 0)

            // One PUT: the day's point is there, as the dashboard computes it (no system security plan yet: no score).
            let put = try await b.send(.put, "\(base)/findings/3.1.1%5Ba%5D", json: ["status": "met"])
            #expect(put.status == .ok)
            var history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.count == 1)
            #expect(history.first?.day == today)
            #expect(history.first?.score == nil && history.first?.answered == 1)

            // 3.12.4 met (the plan exists): now there is a score. Then 3.1.1 fully met: a higher one, the same day.
            let catalog = try services.library.catalog(.sp800171r2)
            for o in try #require(catalog["3.12.4"]).assessmentObjectives {
                let r = try await b.send(.put, "\(base)/findings/\(o.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                         json: ["status": "met"])
                #expect(r.status == .ok, "\(o)")
            }
            history = try await store.scoreHistory(assessmentID: a.id)
            let first = try #require(history.first?.score)
            #expect(history.count == 1)
            #expect(history.first?.score == (try await Self.expected(services, store, a, org: org)).score)
            for o in try #require(catalog["3.1.1"]).assessmentObjectives.dropFirst() {
                let r = try await b.send(.put, "\(base)/findings/\(o.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                         json: ["status": "met"])
                #expect(r.status == .ok, "\(o)")
            }
            history = try await store.scoreHistory(assessmentID: a.id)
            let expected = try await Self.expected(services, store, a, org: org)
            #expect(history.count == 1, "two saves on one day keep one point")
            #expect(history.first?.score == expected.score && history.first?.answered == expected.answered)
            #expect(try #require(history.first?.score) > first, "the latest score, not the first of the day")
            #expect(try await Self.rowCount(services) == 1)

            // The next day: opening every page writes no point for it (before, the dashboard's GET wrote one).
            clock.advance(by: 600)
            #expect(services.today(for: org) != today)
            for p in pages { #expect(try await WebPageTests.page(b, .get, p).status == .ok, "\(p)") }
            #expect(try await b.send(.get, "\(base)/score").status == .ok)
            #expect(try await Self.rowCount(services) == 1)
            #expect(try await store.scoreHistory(assessmentID: a.id) == history)

            // A change that day does.
            #expect(try await b.send(.put, "\(base)/findings/3.1.2%5Ba%5D", json: ["status": "not-met"]).status == .ok)
            history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.map(\.day) == [today, services.today(for: org)])
            #expect(history.last?.score == (try await Self.expected(services, store, a, org: org)).score)

            // A refused write (stale version) records nothing either: the point is in the change's transaction.
            let before = try await store.scoreHistory(assessmentID: a.id)
            #expect(try await b.send(.put, "\(base)/findings/3.1.2%5Bb%5D", json: ["status": "met"]).status == .ok)
            #expect(try await store.scoreHistory(assessmentID: a.id) != before)
            history = try await store.scoreHistory(assessmentID: a.id)
            let stale = try await b.send(.put, "\(base)/findings/3.1.2%5Bb%5D", json: ["status": "met"], headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await store.scoreHistory(assessmentID: a.id) == history)
            #expect(try await Self.rowCount(services) == 2)
        }
    }

    @Test("A new rationale or evidence alone moves neither the score nor the answered count, so it records no point (the last one still holds); a new status does", arguments: TestDatabases.engines)
    func statusAloneMovesTheScore(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let uc = AssessmentUseCases(w.env, w.scope(.assessor))
            let store = w.scope(.assessor).store
            let system = try await uc.createSystem(name: "生産管理", boundary: "", environment: "", informationTypes: [], userCount: 3)
            let a = try await uc.createAssessment(systemID: system.id, catalog: nil, date: "2026-11-28", kind: nil, assessor: "")
            _ = try await uc.putFinding(a, objective: "3.1.1[a]", status: "met", rationale: "", evidence: [], assessedBy: nil, ifVersion: nil)
            let first = try await store.scoreHistory(assessmentID: a.id)
            #expect(first.count == 1 && first.first?.answered == 1)

            w.clock.advance(by: 86_400)
            let link = EvidenceRef(location: "https://intranet.example/policy/access", date: nil)
            _ = try await uc.putFinding(a, objective: "3.1.1[a]", status: "met", rationale: "policy AC-01", evidence: [link],
                                        assessedBy: nil, ifVersion: nil)
            #expect(try await store.scoreHistory(assessmentID: a.id) == first, "no point for a day whose changes moved nothing")

            _ = try await uc.putFinding(a, objective: "3.1.1[a]", status: "not-met", rationale: "policy AC-01", evidence: [link],
                                        assessedBy: nil, ifVersion: nil)
            let history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.count == 2)
            #expect(history.last?.answered == 1 && history.last?.day != first.first?.day)
        }
    }

    @Test("The pages' saves record the day's point too: the editor's requirement save and a POA&M item (a plan of action changes the score: Methodology §5, 3.12.2)", arguments: TestDatabases.engines)
    func pageSaves(engine: TestDatabases.Engine) async throws {
        let clock = SettableClock(Self.start)
        try await Self.withServer(engine, clock: clock) { client, services in
            let b = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(b, services: services)
            let org = try #require(try await services.accounts.organization(id: orgID))
            let (store, a) = try await WebPageTests.assessment(services, orgID)

            // The POA&M item form: saved through POAMUseCases, with its audit entry and the day's point.
            let itemURL = "/o/\(orgID)/assessments/\(a.id)/poam/3.1.1"
            let form = try await WebPageTests.page(b, .get, itemURL)
            let csrf = try #require(WebPageTests.formToken(form.html))
            #expect(try await Self.rowCount(services) == 0)
            let saved = try await WebPageTests.page(b, .post, itemURL, form: [
                ("csrf", csrf), ("version", "0"), ("weakness", "アカウント一覧がない"), ("status", "open"), ("scheduled", "2027-03-31"),
            ])
            #expect(saved.status == .seeOther)
            var history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.count == 1 && history.first?.day == services.today(for: org))
            #expect(history.first?.answered == 0)
            let audit = try await AuditLog(services.db).entries(organizationID: orgID, limit: 10, actionPrefix: "poam.updated")
            #expect(audit.count == 1)

            // A refused form (no weakness) changes nothing and records nothing, on the next day either.
            clock.advance(by: 600)
            let refused = try await WebPageTests.page(b, .post, itemURL, form: [
                ("csrf", csrf), ("version", "1"), ("weakness", ""), ("status", "open"),
            ])
            #expect(refused.status == .badRequest)
            #expect(try await Self.rowCount(services) == 1)

            // The editor's save of a requirement: its findings and the point, in one transaction.
            let editorURL = "/o/\(orgID)/assessments/\(a.id)/requirements/3.1.1"
            let editor = try await WebPageTests.page(b, .get, editorURL)
            #expect(editor.status == .ok)
            let token = try #require(WebPageTests.formToken(editor.html))
            let objectives = try #require(try services.library.catalog(.sp800171r2)["3.1.1"]).assessmentObjectives
            var fields: [(String, String)] = [("csrf", token), ("answer_version", "\(a.version)")]
            for (i, _) in objectives.enumerated() {
                fields += [("o\(i)_status", "met"), ("o\(i)_version", "0"), ("o\(i)_rationale", "")]
            }
            let post = try await WebPageTests.page(b, .post, editorURL, form: fields)
            #expect(post.status == .seeOther, "\(post.html.prefix(400))")
            history = try await store.scoreHistory(assessmentID: a.id)
            #expect(history.count == 2)
            #expect(history.last?.day == services.today(for: org))
            #expect(history.last?.answered == objectives.count)
            #expect(history.last?.score == (try await Self.expected(services, store, a, org: org)).score)
        }
    }

    @Test("Writers of one assessment at once: the day's point is the score after all of them (each scores what it sees after locking the assessment)", arguments: TestDatabases.engines)
    func concurrentWriters(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let uc = AssessmentUseCases(w.env, w.scope(.assessor))
            let system = try await uc.createSystem(name: "生産管理", boundary: "", environment: "", informationTypes: [], userCount: 3)
            let a = try await uc.createAssessment(systemID: system.id, catalog: nil, date: "2026-11-28", kind: nil, assessor: "")
            let catalog = try w.services.library.catalog(.sp800171r2)
            // The plan exists (a score), then twelve requirements met at once, each objective by its own writer.
            for o in try #require(catalog["3.12.4"]).assessmentObjectives {
                _ = try await uc.putFinding(a, objective: o, status: "met", rationale: "", evidence: [], assessedBy: nil, ifVersion: nil)
            }
            let objectives = catalog.entries.prefix(12).flatMap(\.assessmentObjectives)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for o in objectives {
                    group.addTask {
                        _ = try await uc.putFinding(a, objective: o, status: "met", rationale: "", evidence: [], assessedBy: nil, ifVersion: nil)
                    }
                }
                try await group.waitForAll()
            }
            let store = w.scope(.assessor).store
            let history = try await store.scoreHistory(assessmentID: a.id)
            let fresh = try #require(try await store.assessment(id: a.id))
            let expected = try #require(AssessmentUseCases.scorePoint(try await store.load(fresh, organization: w.organization.domainOrganization),
                                                                      library: w.services.library))
            #expect(history.count == 1)
            #expect(history.first?.answered == expected.answered && history.first?.score == expected.score)
            #expect(expected.answered == Set(objectives + catalog["3.12.4"]!.assessmentObjectives).count)
        }
    }
    @Test("Findings written while the results-posting date changes: no deadlock (every change locks the assessment's row before its writes and audit entry; schemathesis found one on PostgreSQL)", arguments: TestDatabases.engines)
    func findingsBesidePostingDate(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let uc = AssessmentUseCases(w.env, w.scope(.owner))
            let system = try await uc.createSystem(name: "生産管理", boundary: "", environment: "", informationTypes: [], userCount: 3)
            let a = try await uc.createAssessment(systemID: system.id, catalog: nil, date: "2026-11-20", kind: nil, assessor: "")
            let objectives = try w.services.library.catalog(.sp800171r2).entries.prefix(8).flatMap(\.assessmentObjectives)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, o) in objectives.enumerated() {
                    group.addTask {
                        _ = try await uc.putFinding(a, objective: o, status: "met", rationale: "", evidence: [], assessedBy: nil, ifVersion: nil)
                    }
                    if i % 2 == 0 {
                        group.addTask {
                            let fresh = try #require(try await w.scope(.owner).store.assessment(id: a.id))
                            do {
                                _ = try await uc.setResultsPosted(fresh, on: i % 4 == 0 ? "2026-11-27" : nil, ifVersion: nil)
                            } catch is VersionConflict {}  // another writer changed the row first: not what this tests
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await w.scope(.owner).store.findings(assessmentID: a.id).count == objectives.count)
        }
    }
}
