import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import TekigoCore
import TekigoOSCAL
import TekigoServer
import TekigoStore
import TekigoTestSupport
import TekigoUseCases
@testable import TekigoServer

/// Issue #17 item 2: official wording in one step — NIST's OSCAL rev2 catalog with 800-171A's objectives and NIST's
/// CPRT export, through the catalogs page's upload (a job) and the use case the command line calls, on both engines.
@Suite("Official wording import (#17 item 2)", .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data (NIST's files)"))
struct OfficialWordingImportTests {
    static func upload(_ client: any TestClientProtocol, _ admin: Browser, org: String, csrf: String, name: String,
                       _ data: Data) async throws -> TestResponse {
        let boundary = "----tekigo-official"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/json\r\n\r\n".utf8)
        body += data + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await client.execute(uri: "/o/\(org)/catalogs", method: .post,
                                        headers: [.cookie: "tekigo_session=\(admin.cookie!)",
                                                  .contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(bytes: body))
    }

    static func auditCount(_ db: TekigoDatabase) async throws -> Int {
        try await AuditLog(db).entries(organizationID: nil, limit: 10_000, actionPrefix: "catalog.imported").count
    }

    @Test("#17 item 2: the first-run notice, then NIST's rev2 OSCAL file uploaded on the catalogs page: the editor shows 3.1.1[a]'s wording (real HTTP)",
          arguments: TestDatabases.engines)
    func rev2OSCALObjectivesInEditor(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            // Nothing imported: the catalogs page says where NIST publishes the wording, in Japanese and in English.
            let ja = try await WebPageTests.page(admin, .get, "/o/\(orgID)/catalogs")
            #expect(ja.html.contains("id=\"official-wording-notice\"") && ja.html.contains("NIST の公式文がまだ取り込まれていません"))
            #expect(ja.html.contains(OfficialWordingSources.sp800171r2) && ja.html.contains(OfficialWordingSources.cprt))
            #expect(ja.html.contains("<code>tekigo catalog import FILE</code>"))
            #expect(ja.html.contains("href=\"/o/\(orgID)/catalogs#import\""), "an administrator is pointed to the upload")
            let en = try await WebPageTests.page(admin, .get, "/o/\(orgID)/catalogs", language: "en")
            #expect(en.html.contains("NIST's official wording is not imported yet") || en.html.contains("NIST&#39;s official wording is not imported yet")
                    || en.html.contains("NIST&#x27;s official wording is not imported yet"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let url = try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json")
            let started = try await Self.upload(client, admin, org: orgID, csrf: csrf, name: url.lastPathComponent, try Data(contentsOf: url))
            let html = try await WebPageTests.jobEnded(admin, try #require(started.headers[.location]))
            #expect(html.contains("data-state=\"finished\""), "\(html.suffix(800))")
            let stored = try #require(try await SQLCatalogStore(services.db).officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            let a = try #require(stored.objectives.first { $0.id == "3.1.1[a]" })
            #expect(a.prose == "authorized users are identified.")
            let (_, assessment) = try await WebPageTests.assessment(services, orgID)
            let editor = try await WebPageTests.page(admin, .get, "/o/\(orgID)/assessments/\(assessment.id)/requirements/3.1.1")
            #expect(editor.status == .ok)
            #expect(editor.html.contains(a.prose), "the editor shows 3.1.1[a]'s official wording")
            #expect(editor.html.contains(String(stored.statement.prefix(40))))
            // Imported: the notice is gone.
            let after = try await WebPageTests.page(admin, .get, "/o/\(orgID)/catalogs")
            #expect(!after.html.contains("id=\"official-wording-notice\""))
        }
    }

    @Test("#17 item 2: NIST's partial CPRT sample uploaded first is refused with the count of missing requirements, nothing stored; after a complete import it is merged",
          arguments: TestDatabases.engines)
    func cprtSampleThroughCatalogsPage(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let page = try await WebPageTests.page(admin, .get, "/o/\(orgID)/catalogs", language: "en")
            let csrf = try #require(WebPageTests.formToken(page.html))
            let sampleURL = try CPRTFixtures.rev3Sample()
            let sample = try Data(contentsOf: sampleURL)
            let refused = try await Self.upload(client, admin, org: orgID, csrf: csrf, name: sampleURL.lastPathComponent, sample)
            let refusedHTML = try await WebPageTests.jobEnded(admin, try #require(refused.headers[.location]))
            #expect(refusedHTML.contains("data-state=\"failed\""))
            #expect(refusedHTML.contains("1 of the 97 requirements") && refusedHTML.contains("96 are missing"), "\(refusedHTML.suffix(1200))")
            #expect(try await SQLCatalogStore(services.db).imports().isEmpty)
            #expect(try await Self.auditCount(services.db) == 0)
            // A broken CPRT file: the job fails naming the element; nothing stored.
            var broken = try JSONSerialization.jsonObject(with: sample) as! [String: Any]
            var elements = broken["elements"] as! [[String: Any]]
            elements[5]["element_identifier"] = nil
            broken["elements"] = elements
            let bad = try await Self.upload(client, admin, org: orgID, csrf: csrf, name: "broken.json",
                                            try JSONSerialization.data(withJSONObject: broken))
            let badHTML = try await WebPageTests.jobEnded(admin, try #require(bad.headers[.location]))
            #expect(badHTML.contains("data-state=\"failed\"") && badHTML.contains("elements[5]"), "\(badHTML.suffix(1200))")
            #expect(try await SQLCatalogStore(services.db).imports().isEmpty)
            // NIST's complete rev3 OSCAL catalog, then the sample: merged into it.
            let rev3 = try TestEnvironment.sharedData("nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json")
            let full = try await Self.upload(client, admin, org: orgID, csrf: csrf, name: rev3.lastPathComponent, try Data(contentsOf: rev3))
            #expect(try await WebPageTests.jobEnded(admin, try #require(full.headers[.location])).contains("data-state=\"finished\""))
            let before = try #require(try await SQLCatalogStore(services.db).officialText(catalog: .sp800171r3, entryID: "03.01.01"))
            let merged = try await Self.upload(client, admin, org: orgID, csrf: csrf, name: sampleURL.lastPathComponent, sample)
            #expect(try await WebPageTests.jobEnded(admin, try #require(merged.headers[.location])).contains("data-state=\"finished\""))
            let after = try #require(try await SQLCatalogStore(services.db).officialText(catalog: .sp800171r3, entryID: "03.01.01"))
            #expect(after.statement == before.statement, "the sample's incomplete statement does not replace the full one")
            #expect(after.objectives.map(\.id) == before.objectives.map(\.id), "objectives the sample lacks are kept")
            let file = try CPRTFixtures.sampleElements()
            let e = try #require(after.objectives.first { $0.id == "A.03.01.01.e" })
            #expect(e.prose == file["DS-A.03.01.01.e"]?.text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(try await SQLCatalogStore(services.db).imports().map(\.sourceFile) == [sampleURL.lastPathComponent])
            #expect(try await SQLCatalogStore(services.db).importedCatalogs().first?.texts.count == 97)
            #expect(try await Self.auditCount(services.db) == 2)
        }
    }

    @Test("#17 item 2: rev2 in CPRT form — the requirements document, then SP 800-171A's — stored through the use case, merged",
          arguments: TestDatabases.engines)
    func rev2CPRTDocumentsMerged(_ engine: TestDatabases.Engine) async throws {
        let location = try await TestDatabases.fresh(engine)
        let db = try await TekigoDatabase.open(location)
        do {
            let catalogs = CatalogUseCases(db: db)
            func importFile(_ data: Data, _ name: String) async throws {
                let r = try catalogs.read(data, filename: name)
                try await catalogs.save(r, data: data, filename: name, by: "test", organizationID: nil, sourceIP: "local")
            }
            // 800-171A's objectives alone carry no statements but cover all 110 requirements: stored.
            try await importFile(try CPRTFixtures.rev2Objectives(), "sp_800_171a_1_0_0.json")
            let objectivesOnly = try #require(try await catalogs.officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            #expect(objectivesOnly.statement.isEmpty && objectivesOnly.objectives.count == 6)
            try await importFile(try CPRTFixtures.rev2Requirements(), "sp_800_171_2_0_0.json")
            let both = try #require(try await catalogs.officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            #expect(both.statement.hasPrefix("Limit system access"))
            #expect(both.objectives == objectivesOnly.objectives && both.methods == objectivesOnly.methods)
            let all = try await catalogs.importedCatalogs()
            #expect(all.first?.texts.flatMap { $0.objectives.map(\.id) } == (try BuiltInLibrary.shared.catalog(.sp800171r2)).objectiveIDs)
            // A truncated file: refused by position, the earlier import untouched.
            let cut = try CPRTFixtures.rev2Requirements().prefix(5000)
            #expect(throws: CatalogImportError.self) { try catalogs.read(Data(cut), filename: "cut.json") }
            #expect(try await catalogs.officialText(catalog: .sp800171r2, entryID: "3.1.1") == both)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
