import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// The platform-wide cloud provider registry in the browser and through its write API (issue 15 items 1 and 2), over
/// real HTTP on loopback, both engines: the search, product and ISMAP pages in Japanese and English; a platform
/// administrator's Marketplace upload as a job with its progress and result (a re-import's change, a truncated file
/// refused with the previous registry kept); the ISMAP form keeping what was typed under a refusal; everyone else
/// refused (403) on every administrator page and post, and on the API, with nothing written.
@Suite("Cloud registry pages and write API", .serialized, .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
struct CloudRegistryPageTests {
    typealias Page = SupplyChainPageTests.Page

    static func slice() throws -> Data { try CloudRegistryTests.file("marketplace-slice-2026-04-28.json") }

    /// Posts a file as the browser's multipart form would.
    static func upload(_ client: any TestClientProtocol, _ b: Browser, _ uri: String, csrf: String, name: String, _ data: Data) async throws -> TestResponse {
        let boundary = "----tekigo-registry"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/json\r\n\r\n".utf8)
        body += data + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.cookie: "tekigo_session=\(b.cookie!)", .contentType: "multipart/form-data; boundary=\(boundary)",
                                                  .acceptLanguage: "ja"],
                                        body: ByteBuffer(bytes: body))
    }

    static func actions(_ services: Services) async throws -> [String] {
        try await services.db.sql.select().column("action").from("audit_log").where("action", .like, "cloud.%").orderBy("seq").all()
            .map { try $0.decode(column: "action", as: String.self) }
    }

    @Test("Issue 15 items 1, 2: a platform administrator uploads the Marketplace file as a job (progress, then products, links, warnings); search and a product's page in Japanese and English with its links; a re-import's status change shown in the job's result and the product's history; a truncated file refused with the previous registry kept",
          arguments: TestDatabases.engines)
    func importAndBrowse(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await ExercisePageTests.world(client, services)
            let base = "/o/\(org)/cloud/registry"
            let empty = try await IncidentPageTests.get(b, base)
            #expect(empty.status == .ok && empty.html.contains("クラウド事業者の登録情報") && empty.html.contains("まだ取り込まれていません"))
            #expect(empty.html.contains("name=\"file\"") && empty.html.contains(">クラウド登録情報<"))
            let csrf = try #require(WebPageTests.formToken(empty.html))

            let data = try Self.slice()
            let file = try FedRAMPMarketplaceReader.read(data)
            let started = try await Self.upload(client, b, base, csrf: csrf, name: "marketplace-slice.json", data)
            #expect(started.status == .seeOther)
            let job = try #require(started.headers[.location])
            #expect(job.hasPrefix("\(base)/imports/"))
            let done = try await WebPageTests.jobEnded(b, job)
            #expect(done.contains("data-state=\"finished\"") && done.contains("id=\"import-summary\""), "\(done.prefix(3000))")
            #expect(done.contains("製品 \(file.products.count) 件"))
            #expect(try await CloudRegistryUseCases(db: services.db).productCount() == file.products.count)
            if !file.warnings.isEmpty {
                #expect(done.contains("id=\"import-warnings\"") && done.contains(file.warnings[0].field))
            }

            // Search: a provider's name finds its products, linked to their pages; English too.
            let target = try #require(file.products.first { $0.status == "FedRAMP Authorized" })
            let word = try #require(target.csp.split(separator: " ").first.map(String.init))
            let q = word.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let found = try await IncidentPageTests.get(b, "\(base)?q=\(q)")
            #expect(found.status == .ok && found.html.contains("\(base)/products/\(target.packageID)") && found.html.contains("id=\"registry-latest\""))
            let foundEN = try await IncidentPageTests.get(b, "\(base)?q=\(target.packageID)", "en")
            #expect(foundEN.html.contains("Cloud provider registry") && foundEN.html.contains(target.packageID) && foundEN.html.contains("products."))
            let none = try await IncidentPageTests.get(b, "\(base)?q=zzzzqqqq")
            #expect(none.html.contains("該当する製品はありません"))

            // A product with links: what it builds on / what is built on it link to their pages.
            let cases = CloudRegistryUseCases(db: services.db)
            var linked: CloudProductDetail?
            for p in file.products {
                let d = try await cases.show(packageID: p.packageID)
                if !d.buildsOn.isEmpty || !d.builtOnIt.isEmpty { linked = d; break }
            }
            let detail = try #require(linked, "the slice has a product with leveraged-system links")
            let productPage = try await IncidentPageTests.get(b, "\(base)/products/\(detail.product.packageID)")
            #expect(productPage.status == .ok && productPage.html.contains(detail.product.csp) && productPage.html.contains("id=\"product-fields\""))
            for other in detail.buildsOn + detail.builtOnIt {
                #expect(productPage.html.contains("href=\"\(base)/products/\(other.packageID)\""))
            }
            #expect(productPage.html.contains("再取込みで記録された変更はありません"))
            let productEN = try await IncidentPageTests.get(b, "\(base)/products/\(detail.product.packageID)", "en")
            #expect(productEN.html.contains("Builds on") && productEN.html.contains("Built on it"))
            #expect(try await IncidentPageTests.get(b, "\(base)/products/FR0000000000").status == .notFound)

            // A re-import with one status changed: the job's result and the product's history show it.
            let newer = try CloudRegistryTests.changing(data, packageID: target.packageID, status: "FedRAMP In Process",
                                                        lastChange: "2026-05-12T02:00:00.000Z")
            let second = try await Self.upload(client, b, base, csrf: csrf, name: "marketplace-2.json", newer)
            let secondHTML = try await WebPageTests.jobEnded(b, try #require(second.headers[.location]))
            #expect(secondHTML.contains("id=\"import-changes\"") && secondHTML.contains(target.packageID) && secondHTML.contains("FedRAMP In Process"))
            let history = try await IncidentPageTests.get(b, "\(base)/products/\(target.packageID)")
            #expect(history.html.contains("id=\"product-changes\"") && history.html.contains("FedRAMP Authorized") && history.html.contains("ステータス"))

            // A truncated file: the job fails saying why in the viewer's language; the registry is the second import's.
            let before = try await cases.imports().count
            let broken = try await Self.upload(client, b, base, csrf: csrf, name: "broken.json", data.prefix(data.count - 100))
            let brokenURL = try #require(broken.headers[.location])
            let failed = try await WebPageTests.jobEnded(b, brokenURL)
            #expect(failed.contains("data-state=\"failed\"") && failed.contains("取込みは行われませんでした"))
            let failedEN = try await IncidentPageTests.get(b, brokenURL, "en")
            #expect(failedEN.html.contains("Nothing was imported") && !failedEN.html.contains("取込みは行われませんでした"))
            #expect(try await cases.imports().count == before)
            #expect(try await cases.product(packageID: target.packageID)?.status == "FedRAMP In Process")
            #expect(try await cases.productCount() == file.products.count)
            // No file: said beside the form.
            let noFile = try await IncidentPageTests.post(b, base, [("csrf", csrf)])
            #expect(noFile.status == .badRequest && noFile.html.contains("取り込むファイルを選んでください"))
            #expect(try await Self.actions(services) == ["cloud.registry-imported", "cloud.registry-imported"])
        }
    }

    @Test("Issue 15 item 2: ISMAP records in the browser — an audit period ending before it starts refused under its field with what was typed kept and nothing written; added with its validity, edited, a second add of the number refused, deleted after a confirmation page; Japanese and English",
          arguments: TestDatabases.engines)
    func ismapForms(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await ExercisePageTests.world(client, services)
            let list = "/o/\(org)/cloud/registry/ismap"
            let page = try await IncidentPageTests.get(b, list)
            #expect(page.status == .ok && page.html.contains("ISMAP 登録情報はまだ入力されていません") && page.html.contains("id=\"ismap-form\""))
            let csrf = try #require(WebPageTests.formToken(page.html))
            let form: [(String, String)] = [("csrf", csrf), ("registration_number", "C23-0001-2"), ("kind", "ISMAP"),
                                            ("service_name", "サンプルクラウド"), ("provider", "サンプル株式会社"), ("scope", "IaaS 東京リージョン"),
                                            ("control_objectives", "ISMAP 管理基準の統制目標"), ("audit_start", "2025-04-01"),
                                            ("audit_end", "2026-03-31"), ("subsequent_events", "")]
            func with(_ name: String, _ value: String) -> [(String, String)] { form.map { $0.0 == name ? ($0.0, value) : $0 } }

            let bad = try await IncidentPageTests.post(b, list, with("audit_end", "2025-03-01"))
            #expect(bad.status == .badRequest && bad.html.contains("id=\"audit_end-error\"") && bad.html.contains("監査対象期間の終了日（2025-03-01）が開始日"))
            #expect(bad.html.contains("value=\"サンプルクラウド\"") && bad.html.contains("value=\"2025-03-01\"") && bad.html.contains(">IaaS 東京リージョン</textarea>"))
            let badDate = try await IncidentPageTests.post(b, list, with("audit_start", "4/1/2025"), "en")
            #expect(badDate.status == .badRequest && badDate.html.contains("id=\"audit_start-error\"") && badDate.html.contains("is not a date"))
            let forged = try await IncidentPageTests.post(b, list, with("csrf", "wrong"))
            #expect(forged.status == .forbidden)
            #expect(try await CloudRegistryUseCases(db: services.db).ismapEntries().isEmpty)

            let added = try await IncidentPageTests.post(b, list, form)
            #expect(added.status == .seeOther)
            let record = "\(list)/C23-0001-2"
            let shown = try await IncidentPageTests.get(b, record)
            // Audit period ends 2026-03-31: valid 2026-04-01 to 2027-07-31, so on the test's day (2026-11-02) it is valid.
            #expect(shown.status == .ok && shown.html.contains("有効（2026年4月1日〜2027年7月31日）") && shown.html.contains("サンプル株式会社"))
            #expect(shown.html.contains("readonly") && shown.html.contains("\(record)/delete"))
            let shownEN = try await IncidentPageTests.get(b, record, "en")
            #expect(shownEN.html.contains("Valid (Apr 1, 2026 to Jul 31, 2027)") && shownEN.html.contains("Subsequent events"))

            let again = try await IncidentPageTests.post(b, list, form)
            #expect(again.status == .badRequest && again.html.contains("id=\"registration_number-error\"") && again.html.contains("入力済み"))
            let edited = try await IncidentPageTests.post(b, record, with("subsequent_events", "2026-05 に障害報告あり").map {
                $0.0 == "kind" ? ($0.0, "ISMAP-LIU") : $0 })
            #expect(edited.status == .seeOther)
            let entry = try await CloudRegistryUseCases(db: services.db).ismapEntry(number: "C23-0001-2")
            #expect(entry.record.kind == .liu && entry.record.subsequentEvents == "2026-05 に障害報告あり")
            let badEdit = try await IncidentPageTests.post(b, record, with("service_name", " "))
            #expect(badEdit.status == .badRequest && badEdit.html.contains("id=\"service_name-error\""))
            #expect(try await CloudRegistryUseCases(db: services.db).ismapEntry(number: "C23-0001-2") == entry)
            let listed = try await IncidentPageTests.get(b, "\(list)?q=サンプル".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(listed.html.contains("href=\"\(record)\"") && listed.html.contains("ISMAP-LIU"))

            let confirm = try await IncidentPageTests.get(b, "\(record)/delete")
            #expect(confirm.status == .ok && confirm.html.contains("ISMAP 登録情報の削除") && confirm.html.contains("action=\"\(record)/delete\""))
            #expect(try await IncidentPageTests.post(b, "\(record)/delete", [("csrf", csrf)]).status == .seeOther)
            #expect(try await IncidentPageTests.get(b, record).status == .notFound)
            #expect(try await Self.actions(services) == ["cloud.ismap-saved", "cloud.ismap-saved", "cloud.ismap-deleted"])
        }
    }

    @Test("Issue 15 items 1, 2: a member who is not a platform administrator reads the registry without forms, and gets 403 on the import job's page, the delete confirmation and every registry post (upload, ISMAP add, edit, delete); nothing is written",
          arguments: TestDatabases.engines)
    func othersRefused(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (admin, org, _) = try await ExercisePageTests.world(client, services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let cases = CloudRegistryUseCases(db: services.db, clock: services.clock)
            _ = try await cases.importMarketplace(try Self.slice(), fileName: "slice.json", by: .person(me, sourceIP: "127.0.0.1"))
            _ = try await cases.saveISMAP(ISMAPRecordTestData.record(), by: .commandLine)
            // A job the administrator queued in the organization, which an owner who is no platform administrator may not open.
            let adminPage = try await IncidentPageTests.get(admin, "/o/\(org)/cloud/registry")
            let started = try await Self.upload(client, admin, "/o/\(org)/cloud/registry", csrf: try #require(WebPageTests.formToken(adminPage.html)),
                                                name: "slice.json", try Self.slice())
            let job = try #require(started.headers[.location])
            _ = try await WebPageTests.jobEnded(admin, job)
            let importsBefore = try await cases.imports().count
            let actionsBefore = try await Self.actions(services)

            let owner = try await CloudServicePageTests.member(client, services, org, .owner, "registry-owner@example.jp")
            let base = "/o/\(org)/cloud/registry", record = "\(base)/ismap/C23-0001-2"
            let search = try await IncidentPageTests.get(owner, "\(base)?q=a")
            #expect(search.status == .ok && !search.html.contains("name=\"file\"") && search.html.contains("id=\"registry-latest\""))
            let ismap = try await IncidentPageTests.get(owner, "\(base)/ismap", "en")
            #expect(ismap.status == .ok && ismap.html.contains("C23-0001-2") && !ismap.html.contains("id=\"ismap-form\""))
            let shown = try await IncidentPageTests.get(owner, record)
            #expect(shown.status == .ok && shown.html.contains("サンプルクラウド") && !shown.html.contains("id=\"ismap-form\"") && !shown.html.contains("\(record)/delete"))
            #expect(try await IncidentPageTests.get(owner, job).status == .forbidden)
            #expect(try await IncidentPageTests.get(owner, "\(record)/delete").status == .forbidden)
            let csrf = try #require(WebPageTests.formToken(search.html))
            let upload = try await Self.upload(client, owner, base, csrf: csrf, name: "slice.json", try Self.slice())
            #expect(upload.status == .forbidden)
            let ismapForm: [(String, String)] = [("csrf", csrf), ("registration_number", "C99-0001-1"), ("kind", "ISMAP"), ("service_name", "x"),
                                                 ("provider", "y"), ("audit_start", "2025-04-01"), ("audit_end", "2026-03-31")]
            for (path, form) in [("\(base)/ismap", ismapForm), (record, ismapForm), ("\(record)/delete", [("csrf", csrf)])] {
                let r = try await IncidentPageTests.post(owner, path, form)
                #expect(r.status == .forbidden, "\(path): \(r.status)")
            }
            #expect(try await cases.imports().count == importsBefore)
            #expect(try await cases.ismapEntries().map(\.record) == [try ISMAPRecordTestData.record().validated()])
            #expect(try await Self.actions(services) == actionsBefore)
        }
    }

    @Test("Issue 15 items 1, 2 (API): a platform administrator's session adds an ISMAP record (201), a second add is 409, an audit period ending before it starts 400 naming auditPeriodEnd, PUT replaces (a different number 400, an unknown one 404), DELETE 204 then 404; POST /cloud/imports answers the import (201) and a truncated file 400 with the registry kept; a member, and the administrator's own API token, get 403 with nothing written",
          arguments: TestDatabases.engines)
    func api(_ engine: TestDatabases.Engine) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            let (b, org, _) = try await ExercisePageTests.world(client, services)
            let cases = CloudRegistryUseCases(db: services.db)
            let body: [String: Any] = ["registrationNumber": "C23-0001-2", "kind": "ISMAP", "serviceName": "サンプルクラウド", "provider": "サンプル株式会社",
                                       "scope": "IaaS", "controlObjectives": "統制目標", "auditPeriodStart": "2025-04-01", "auditPeriodEnd": "2026-03-31"]
            func with(_ key: String, _ value: Any) -> [String: Any] { body.merging([key: value]) { $1 } }

            // Others first: a member of the organization (no platform administrator) and the administrator's token.
            let member = try await CloudServicePageTests.member(client, services, org, .admin, "registry-member@example.jp")
            let tokenReply = try await b.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "ci", "scope": "write"])
            let token = Browser(client)
            token.bearer = try #require(tokenReply.json["token"] as? String)
            for caller in [member, token] {
                #expect(try await caller.send(.get, "/api/v1/cloud/ismap").status == .ok)
                #expect(try await caller.send(.post, "/api/v1/cloud/ismap", json: body).status == .forbidden)
                #expect(try await caller.send(.put, "/api/v1/cloud/ismap/C23-0001-2", json: body).status == .forbidden)
                #expect(try await caller.send(.delete, "/api/v1/cloud/ismap/C23-0001-2").status == .forbidden)
                #expect(try await caller.send(.post, "/api/v1/cloud/imports", raw: try Self.slice(), headers: [.contentType: "application/json"]).status == .forbidden)
            }
            #expect(try await cases.ismapEntries().isEmpty)
            #expect(try await cases.productCount() == 0)
            #expect(try await Self.actions(services).isEmpty)

            let added = try await b.send(.post, "/api/v1/cloud/ismap", json: body)
            #expect(added.status == .created && added.json["validThrough"] as? String == "2027-07-31", "\(String(decoding: added.body, as: UTF8.self))")
            #expect(try await b.send(.post, "/api/v1/cloud/ismap", json: body).status == .conflict)
            let bad = try await b.send(.post, "/api/v1/cloud/ismap", json: with("registrationNumber", "C23-0002-1").merging(["auditPeriodEnd": "2025-01-01"]) { $1 })
            #expect(bad.status == .badRequest && (bad.json["error"] as? [String: Any])?["field"] as? String == "auditPeriodEnd")
            let unknownMember = try await b.send(.post, "/api/v1/cloud/ismap", json: with("validity", "forever"))
            #expect(unknownMember.status == .badRequest)
            let replaced = try await b.send(.put, "/api/v1/cloud/ismap/C23-0001-2", json: with("kind", "ISMAP-LIU"))
            #expect(replaced.status == .ok && replaced.json["kind"] as? String == "ISMAP-LIU")
            let renamed = try await b.send(.put, "/api/v1/cloud/ismap/C23-0001-2", json: with("registrationNumber", "C23-9999-9"))
            #expect(renamed.status == .badRequest && (renamed.json["error"] as? [String: Any])?["field"] as? String == "registrationNumber")
            #expect(try await b.send(.put, "/api/v1/cloud/ismap/C00-0000-0", json: with("registrationNumber", "C00-0000-0")).status == .notFound)
            #expect(try await cases.ismapEntries().map(\.record.kind) == [.liu])
            #expect(try await b.send(.delete, "/api/v1/cloud/ismap/C23-0001-2").status == .noContent)
            #expect(try await b.send(.delete, "/api/v1/cloud/ismap/C23-0001-2").status == .notFound)

            let data = try Self.slice()
            let imported = try await b.send(.post, "/api/v1/cloud/imports?filename=slice.json", raw: data, headers: [.contentType: "application/json"])
            #expect(imported.status == .created)
            let record = try #require(imported.json["record"] as? [String: Any])
            #expect(record["productCount"] as? Int == (try FedRAMPMarketplaceReader.read(data)).products.count && record["fileName"] as? String == "slice.json")
            let truncated = try await b.send(.post, "/api/v1/cloud/imports", raw: data.prefix(data.count - 100), headers: [.contentType: "application/json"])
            #expect(truncated.status == .badRequest && (truncated.json["error"] as? [String: Any])?["field"] as? String == "file")
            #expect(try await cases.imports().count == 1)
            #expect(try await Self.actions(services) == ["cloud.ismap-saved", "cloud.ismap-saved", "cloud.ismap-deleted", "cloud.registry-imported"])
        }
    }
}
