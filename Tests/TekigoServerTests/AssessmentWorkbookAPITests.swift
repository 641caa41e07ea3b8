import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Issue 17 item 4: an assessment's .xlsx workbook through the API over real HTTP on loopback, edited in openpyxl the
/// way a person edits it in Excel, and imported back: every change applied through the editor's rule, nothing applied
/// when a row is wrong or stale, and only roles that may answer may import.
@Suite("Assessment workbook API (issue 17 item 4)", .serialized)
struct AssessmentWorkbookAPITests {
    /// The sheet row of an objective: the export lists rev2's objectives in catalog order after the header.
    static func row(_ objective: String) throws -> Int {
        let all = try BuiltInLibrary.shared.catalog(.sp800171r2).entries.flatMap(\.assessmentObjectives)
        return try #require(all.firstIndex(of: objective)) + 2
    }

    static func findings(_ b: Browser, _ base: String) async throws -> [String: [String: Any]] {
        let page = try await b.send(.get, "\(base)/findings?limit=500")
        var out: [String: [String: Any]] = [:]
        for item in page.json["items"] as? [[String: Any]] ?? [] { out[item["objective"] as? String ?? ""] = item }
        return out
    }

    static func answeredCount(_ f: [String: [String: Any]]) -> Int {
        f.values.filter { ($0["status"] as? String).map { $0 != "not-assessed" } ?? false }.count
    }

    @Test("Issue 17 item 4: all 320 rev2 objectives round-trip through openpyxl; one bad status or a stale version applies nothing and names the cell; a viewer's and a read-only token's upload are refused",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"),
          arguments: TestDatabases.engines)
    func roundTrip(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "本社工場ネットワーク"])
                let systemID = try #require(system.json["id"] as? String)
                let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                                json: ["systemId": systemID, "catalog": "sp800-171r2", "date": "2026-11-27"])
                let assessment = try #require(created.json["id"] as? String, "\(created.status) \(String(decoding: created.body, as: UTF8.self))")
                let base = "/api/v1/organizations/\(org)/assessments/\(assessment)"
                // One answer before the export, to see it kept.
                let put = try await b.send(.put, "\(base)/findings/3.1.1%5Ba%5D", json: ["status": "not-met", "rationale": "棚卸し未実施"],
                                           headers: [.ifMatch: "\"0\""])
                try #require(put.status == .ok)

                let export = try await b.send(.get, "\(base)/workbook?lang=ja")
                #expect(export.status == .ok)
                #expect(export.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(export.headers[.contentDisposition] == "attachment; filename=\"tekigo-workbook-\(assessment).xlsx\"")
                let workbook = export.body

                // One bad status among good edits: 422, every problem with its cell, nothing applied.
                let auditBefore = try await AuditLog(services.db).entries(organizationID: org, limit: 1000, actionPrefix: "finding.updated").count
                let bad = try WorkbookEdits.edit(workbook, statuses: ["3.1.2[a]": "mett"], all: "適合")
                let refused = try await b.send(.post, "\(base)/workbook?lang=en", raw: bad)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.errorCode == "workbook_rejected")
                let problems = refused.json["problems"] as? [[String: Any]] ?? []
                #expect(problems.count == 1)
                let badRow = try Self.row("3.1.2[a]")
                let badCell = problems.first?["cell"] as? String
                let badMessage = (problems.first?["message"] as? String) ?? ""
                #expect(badCell == "D\(badRow)")
                #expect(badMessage.hasPrefix("'mett' is not a status; use one of Met, Not met"), "\(badMessage)")
                #expect(try await Self.answeredCount(Self.findings(b, base)) == 1)
                #expect(try await AuditLog(services.db).entries(organizationID: org, limit: 1000, actionPrefix: "finding.updated").count == auditBefore)

                // A viewer and a read-only token may download but not upload; nothing changes.
                let viewer = try await CloudServicePageTests.member(client, services, org, .viewer, "viewer-wb@example.jp")
                #expect(try await viewer.send(.get, "\(base)/workbook").status == .ok)
                let good = try WorkbookEdits.edit(workbook, statuses: ["3.1.1[a]": "不適合", "3.1.3[a]": "Not applicable"], all: "適合")
                let asViewer = try await viewer.send(.post, "\(base)/workbook", raw: good)
                #expect(asViewer.status == .forbidden)
                let token = try await b.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "read", "scope": "read", "expiresInDays": 1])
                let reader = Browser(client)
                reader.bearer = try #require(token.json["token"] as? String)
                #expect(try await reader.send(.post, "\(base)/workbook", raw: good).status == .forbidden)
                #expect(try await Self.answeredCount(Self.findings(b, base)) == 1)
                // Another organization's assessment id, or an unknown one: not found.
                #expect(try await b.send(.post, "/api/v1/organizations/\(org)/assessments/no-such-assessment/workbook", raw: good).status == .notFound)

                // The good workbook: all 320 answered, 3.1.1[a] untouched (not edited), one audit entry per written objective.
                let imported = try await b.send(.post, "\(base)/workbook", raw: good)
                #expect(imported.status == .ok, "\(String(decoding: imported.body, as: UTF8.self))")
                #expect(imported.json["rows"] as? Int == 320)
                let applied = imported.json["applied"] as? [String] ?? []
                #expect(applied.count == 319 && !applied.contains("3.1.1[a]"))
                let after = try await Self.findings(b, base)
                #expect(Self.answeredCount(after) == 320)
                #expect(after["3.1.1[a]"]?["status"] as? String == "not-met" && after["3.1.1[a]"]?["version"] as? Int == 1)
                #expect(after["3.1.3[a]"]?["status"] as? String == "not-applicable")
                #expect(after["3.14.7[b]"]?["status"] as? String == "met" && after["3.14.7[b]"]?["assessedBy"] as? String == "管理者 一郎")
                #expect(try await AuditLog(services.db).entries(organizationID: org, limit: 1000, actionPrefix: "finding.updated").count == auditBefore + 319)
                // The score moved with it (one point of history for the day).
                #expect(try await b.send(.get, "\(base)/score").json["answered"] as? Int == 320)

                // Importing the same file again: its rows were exported at version 0, now 1 — every edited row is a conflict.
                let again = try await b.send(.post, "\(base)/workbook", raw: good)
                #expect(again.status == .unprocessableContent && again.errorCode == "workbook_conflict")
                let conflicts = again.json["problems"] as? [[String: Any]] ?? []
                let allOnVersionCells = conflicts.allSatisfy { c in (c["kind"] as? String) == "conflict" && ((c["cell"] as? String) ?? "").hasPrefix("I") }
                #expect(conflicts.count == 319 && allOnVersionCells)

                // A fresh export, someone answers 3.2.1[a] meanwhile, the workbook changes it too: a conflict on I<row>.
                let fresh = try await b.send(.get, "\(base)/workbook?lang=en").body
                try #require(try await b.send(.put, "\(base)/findings/3.2.1%5Ba%5D", json: ["status": "not-met"]).status == .ok)
                let stale = try WorkbookEdits.edit(fresh, statuses: ["3.2.1[a]": "Not applicable", "3.2.2[a]": "Not met"])
                let staleReply = try await b.send(.post, "\(base)/workbook?lang=ja", raw: stale)
                #expect(staleReply.status == .unprocessableContent)
                let staleProblems = staleReply.json["problems"] as? [[String: Any]] ?? []
                let staleRow = try Self.row("3.2.1[a]")
                let staleCell = staleProblems.first?["cell"] as? String
                let staleMessage = (staleProblems.first?["message"] as? String) ?? ""
                #expect(staleProblems.count == 1 && staleCell == "I\(staleRow)")
                #expect(staleMessage.contains("別の人が変更しました"), "\(staleMessage)")
                let final = try await Self.findings(b, base)
                #expect(final["3.2.1[a]"]?["status"] as? String == "not-met" && final["3.2.2[a]"]?["status"] as? String == "met")
                #expect(try await AuditLog(services.db).verify().isIntact)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    /// A multipart body with the CSRF field and the workbook file, as the page's form sends it.
    static func upload(_ b: Browser, _ uri: String, _ file: Data, language: String = "ja") async throws -> (status: HTTPResponse.Status, html: String) {
        let boundary = "----tekigo-workbook-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(b.csrf ?? "")\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"w.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var headers: HTTPFields = [.acceptLanguage: language, .contentType: "multipart/form-data; boundary=\(boundary)"]
        if let cookie = b.cookie { headers[.cookie] = "tekigo_session=\(cookie)" }
        let r = try await b.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: file.isEmpty ? Data() : body))
        return (r.status, String(buffer: r.body))
    }

    @Test("Issue 17 item 4 in the browser: the workbook page in Japanese and English, a bad status refused with its cell and nothing imported, a good workbook imported; a viewer gets no form and its upload is refused",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"),
          arguments: TestDatabases.engines)
    func page(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "本社工場ネットワーク"])
                let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                                json: ["systemId": try #require(system.json["id"] as? String), "catalog": "sp800-171r2", "date": "2026-11-27"])
                let assessment = try #require(created.json["id"] as? String)
                let pageURI = "/o/\(org)/assessments/\(assessment)/workbook"
                let overview = try await WebPageTests.page(b, .get, "/o/\(org)/assessments/\(assessment)")
                #expect(overview.html.contains("href=\"\(pageURI)\" id=\"workbook-link\">Excel で一括回答</a>"))
                let ja = try await WebPageTests.page(b, .get, pageURI)
                #expect(ja.status == .ok && ja.html.contains("<h1>Excel で一括回答</h1>") && ja.html.contains("name=\"workbook\""))
                #expect(ja.html.contains("/api/v1/organizations/\(org)/assessments/\(assessment)/workbook?lang=ja"))
                let en = try await WebPageTests.page(b, .get, pageURI, language: "en")
                #expect(en.html.contains("<h1>Answer in Excel</h1>"))

                let workbook = try await b.send(.get, "/api/v1/organizations/\(org)/assessments/\(assessment)/workbook?lang=ja").body
                let bad = try await Self.upload(b, pageURI, try WorkbookEdits.edit(workbook, statuses: ["3.1.2[a]": "mett"], all: "適合"))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.html.contains("ブックに 1 件の問題があり、何も取り込んでいません") && bad.html.contains("<td>D8</td>"))
                #expect(bad.html.contains("「mett」は状態ではありません"))
                #expect(try await Self.answeredCount(Self.findings(b, "/api/v1/organizations/\(org)/assessments/\(assessment)")) == 0)

                let viewer = try await CloudServicePageTests.member(client, services, org, .viewer, "viewer-wbp@example.jp")
                let viewerPage = try await WebPageTests.page(viewer, .get, pageURI)
                #expect(viewerPage.status == .ok && !viewerPage.html.contains("name=\"workbook\"") && viewerPage.html.contains("あなたの役割では出力のみできます"))
                let good = try WorkbookEdits.edit(workbook, statuses: [:], all: "適合")
                #expect(try await Self.upload(viewer, pageURI, good).status == .forbidden)
                #expect(try await Self.answeredCount(Self.findings(b, "/api/v1/organizations/\(org)/assessments/\(assessment)")) == 0)

                let imported = try await Self.upload(b, pageURI, good)
                #expect(imported.status == .ok && imported.html.contains("320 行を確認し、320 件の評価目標を更新しました。"))
                #expect(try await Self.answeredCount(Self.findings(b, "/api/v1/organizations/\(org)/assessments/\(assessment)")) == 320)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

}
