import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Issue #11 item 17(c): the CMMC POA&M closeout is due "within 180-days of the Conditional CMMC Status Date"
/// (32 CFR 170.21(b)), the date the results are posted, not the assessment date. The posting date is recorded in the
/// store (migration 6), through the API and on the POA&M page; until it is, every view labels the deadline as an
/// estimate counted from the assessment date.
@Suite("The date the results were posted (32 CFR 170.21(b))", .serialized)
struct ResultsPostedTests {
    /// An assessment dated 2026-11-27 that reaches Conditional Level 2: everything met but 3.1.8 (1 point), which has
    /// a dated POA&M item.
    static func conditionalAssessment(_ services: Services, _ orgID: String, systemID: String? = nil) async throws -> AssessmentRecord {
        let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
        let store = TenantStore(services.db, organizationID: orgID)
        let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
        let sid: String
        if let systemID { sid = systemID } else { sid = try await store.createSystem(SystemProfile(name: "生産管理システム"), by: actor).id }
        let a = try await store.createAssessment(systemID: sid, catalog: .sp800171r2, date: Day("2026-11-27")!, kind: .cmmcL2Self,
                                                 assessor: "", by: actor)
        let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
        try await services.db.transaction { s in
            for o in catalog.objectiveIDs {
                _ = try await store.putFinding(assessmentID: a.id, objective: o, Finding(status: o == "3.1.8[a]" ? .notMet : .met),
                                               ifVersion: nil, by: actor, on: s)
            }
        }
        _ = try await store.savePOAMItem(assessmentID: a.id, POAMItem(requirement: "3.1.8", weakness: "ロックアウトなし",
                                                                      scheduledCompletion: Day("2027-01-31")), ifVersion: 0, by: actor)
        return a
    }

    @Test("API: PUT …/results-posted records, checks and clears the date; the score counts the closeout from it (32 CFR 170.21(b))",
          arguments: TestDatabases.engines)
    func api(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                let a = try await Self.conditionalAssessment(services, org)
                let base = "/api/v1/organizations/\(org)/assessments/\(a.id)"

                var score = try await b.send(.get, "\(base)/score")
                #expect(score.json["cmmcStatus"] as? String == "conditional")
                #expect(score.json["cmmcCloseoutDue"] as? String == "2027-05-26")
                #expect(score.json["cmmcCloseoutEstimated"] as? Bool == true)
                #expect(score.json["resultsPostedOn"] == nil)
                // Every document that shows the deadline says it is an estimate until the posting date is recorded.
                var ja = String(decoding: try await b.send(.get, "\(base)/export/poam?format=html&lang=ja").body, as: UTF8.self)
                #expect(ja.contains("見込み: 評価日 2026-11-27 から 180 日"))
                var en = String(decoding: try await b.send(.get, "\(base)/export/ssp?format=md&lang=en").body, as: UTF8.self)
                #expect(en.contains("estimate: 180 days from the assessment date 2026-11-27"))

                // Refused, naming the field, and nothing changes.
                let before = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-11-26"])
                #expect(before.status == .badRequest)
                // Split into small typed steps: one long optional chain here exceeded the type checker's time on a busy machine.
                let refusal: [String: Any] = before.json["error"] as? [String: Any] ?? [:]
                let refusedField: String? = refusal["field"] as? String
                let refusalMessage: String = refusal["message"] as? String ?? ""
                #expect(refusedField == "resultsPostedOn")
                #expect(refusalMessage.contains("before the assessment date"))
                #expect(try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2999-01-01"]).status == .badRequest)
                #expect(try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "01/12/2026"]).status == .badRequest)
                let missing = try await b.send(.put, "\(base)/results-posted", json: [String: Any]())
                #expect(missing.status == .badRequest)
                let missingError: [String: Any] = missing.json["error"] as? [String: Any] ?? [:]
                let missingField: String? = missingError["field"] as? String
                #expect(missingField == "resultsPostedOn")
                #expect(try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-12-01", "date": "x"]).status == .badRequest)
                #expect(try await b.send(.get, base).json["resultsPostedOn"] == nil)

                let posted = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": "2026-12-01"],
                                              headers: [.ifMatch: "\"\(a.version)\""])
                #expect(posted.status == .ok)
                #expect(posted.json["resultsPostedOn"] as? String == "2026-12-01")
                #expect(posted.headers[.eTag] == "\"\(a.version + 1)\"")
                #expect(try await b.send(.get, base).json["resultsPostedOn"] as? String == "2026-12-01")
                score = try await b.send(.get, "\(base)/score")
                #expect(score.json["cmmcCloseoutDue"] as? String == "2027-05-30")
                #expect(score.json["cmmcCloseoutEstimated"] as? Bool == false)
                #expect(score.json["resultsPostedOn"] as? String == "2026-12-01")
                ja = String(decoding: try await b.send(.get, "\(base)/export/poam?format=html&lang=ja").body, as: UTF8.self)
                #expect(ja.contains("2027-05-30（結果の登録日 2026-12-01 から 180 日）"))
                #expect(!ja.contains("見込み: 評価日"))
                en = String(decoding: try await b.send(.get, "\(base)/export/results?format=oscal").body, as: UTF8.self)
                #expect(en.contains("\"results-posted-on\"") && en.contains("\"results-posted\""))

                // A stale version loses nothing: 412 with the current version.
                let stale = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": NSNull()],
                                             headers: [.ifMatch: "\"\(a.version)\""])
                #expect(stale.status == .preconditionFailed)
                #expect(try await b.send(.get, base).json["resultsPostedOn"] as? String == "2026-12-01")
                // null clears it: back to the estimate.
                let cleared = try await b.send(.put, "\(base)/results-posted", json: ["resultsPostedOn": NSNull()])
                #expect(cleared.status == .ok)
                #expect(cleared.json["resultsPostedOn"] == nil)
                #expect(try await b.send(.get, "\(base)/score").json["cmmcCloseoutEstimated"] as? Bool == true)

                // Each change is audited (in the transaction that makes it), and the chain is intact.
                let audit = try await AuditLog(services.db).entries(organizationID: org, limit: 100, actionPrefix: "assessment.results-posted")
                #expect(audit.count == 2)
                #expect(try await AuditLog(services.db).verify().isIntact)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("Pages: the POA&M board labels the estimate and records the posting date; bad dates keep the input beside the error",
          arguments: TestDatabases.engines)
    func pages(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let a = try await Self.conditionalAssessment(services, orgID)
            let board = "/o/\(orgID)/assessments/\(a.id)/poam"
            var page = try await WebPageTests.page(admin, .get, board)
            #expect(page.status == .ok)
            #expect(page.html.contains("見込み: 結果の登録日が記録されるまで"))
            #expect(page.html.contains("name=\"posted\""))
            let overview = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(a.id)", language: "en")
            #expect(overview.html.contains("an estimate: 180 days from the assessment date"))
            let csrf = try #require(WebPageTests.formToken(page.html))
            let action = "/o/\(orgID)/assessments/\(a.id)/results-posted"

            let early = try await WebPageTests.page(admin, .post, action, form: [("csrf", csrf), ("version", "\(a.version)"),
                                                                                  ("posted", "2026-11-01")])
            #expect(early.status == .badRequest)
            #expect(early.html.contains("評価日（2026-11-27）より前"))
            #expect(early.html.contains("value=\"2026-11-01\"") && early.html.contains("aria-invalid=\"true\""))
            let store = TenantStore(services.db, organizationID: orgID)
            #expect(try await store.assessment(id: a.id)?.resultsPostedOn == nil)

            let saved = try await WebPageTests.page(admin, .post, action, form: [("csrf", csrf), ("version", "\(a.version)"),
                                                                                  ("posted", "2026-12-01")])
            #expect(saved.status == .seeOther)
            #expect(try await store.assessment(id: a.id)?.resultsPostedOn == "2026-12-01")
            page = try await WebPageTests.page(admin, .get, board)
            #expect(!page.html.contains("見込み: 結果の登録日が記録されるまで"))
            #expect(page.html.contains("から 180 日（32 CFR 170.21(b)）"))
            #expect(page.html.contains("value=\"2026-12-01\""))
            // A form read before that save is stale: 409, the input kept, nothing changed.
            let stale = try await WebPageTests.page(admin, .post, action, form: [("csrf", csrf), ("version", "\(a.version)"),
                                                                                  ("posted", "")])
            #expect(stale.status == .conflict)
            #expect(try await store.assessment(id: a.id)?.resultsPostedOn == "2026-12-01")
            let audit = try await AuditLog(services.db).entries(organizationID: orgID, limit: 100, actionPrefix: "assessment.results-posted")
            #expect(audit.count == 1)
        }
    }
}
