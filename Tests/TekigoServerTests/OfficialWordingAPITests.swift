import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases
@testable import TekigoServer

/// Issue 17 item 2 through the API, over real HTTP on loopback, SQLite and PostgreSQL: `POST /api/v1/catalogs/imports`
/// imports NIST's file at once (OSCAL rev2 with SP 800-171A's objectives, a CPRT export merged into it), a file that
/// cannot be read is 400 naming the place with nothing stored, and only a platform administrator's session may import;
/// `GET /api/v1/catalogs/imports` is the history `tekigo catalog imports` lists.
@Suite("Official wording through the API (issue 17 item 2)")
struct OfficialWordingAPITests {
    static let json: HTTPFields = [.contentType: "application/json"]

    static func auditCount(_ db: TekigoDatabase) async throws -> Int {
        try await AuditLog(db).entries(organizationID: nil, limit: 10_000, actionPrefix: "catalog.imported").count
    }

    @Test("issue 17 item 2: NIST's OSCAL rev2 file imports through POST /api/v1/catalogs/imports (110 requirements, 320 objectives with wording); CPRT's SP 800-171A export merges into it, and NIST's CPRT rev3 sample (refused alone) merges into the rev3 OSCAL import; a truncated file is 400 naming line and column and a CPRT element without id 400 naming elements[n], nothing stored; GET lists the history",
          .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data (NIST's files)"), arguments: TestDatabases.engines)
    func importsAndMerges(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            _ = try await bootstrapAdmin(admin, services: services)
            #expect(try await admin.send(.get, "/api/v1/catalogs/imports").body == Data("[]".utf8))

            // A partial CPRT file (NIST's rev3 sample) with nothing before it: refused, naming what is missing.
            let sample = try Data(contentsOf: try CPRTFixtures.rev3Sample())
            let partial = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cprt_sample.json", raw: sample, headers: Self.json)
            #expect(partial.status == .badRequest && partial.errorCode == "invalid")
            let partialMessage = (partial.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(partialMessage.contains("1 of the 97 requirements") && partialMessage.contains("96 are missing"), "\(partialMessage)")

            // NIST's rev2 OSCAL catalog with 800-171A's objectives.
            let rev2 = try Data(contentsOf: try TestEnvironment.sharedData("nist/sp800-171/rev2/sp800-171r2_catalog_oscal.json"))
            let done = try await admin.send(.post, "/api/v1/catalogs/imports?filename=sp800-171r2_catalog_oscal.json", raw: rev2,
                                            headers: Self.json)
            #expect(done.status == .created, "\(String(decoding: done.body, as: UTF8.self).prefix(600))")
            #expect(done.json["catalog"] as? String == "sp800-171r2" && done.json["merged"] as? Bool == false)
            #expect(done.json["requirementsWithWording"] as? Int == 110 && done.json["objectivesWithWording"] as? Int == 320)
            #expect(done.json["file"] as? String == "sp800-171r2_catalog_oscal.json" && done.json["warnings"] is [Any])
            let stored = try #require(try await CatalogUseCases(db: services.db).officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            #expect(stored.objectives.first { $0.id == "3.1.1[a]" }?.prose == "authorized users are identified.")
            #expect(try await Self.auditCount(services.db) == 1)

            // CPRT's SP 800-171A export is merged into it: the statements stay, every objective keeps its wording.
            let objectives = try CPRTFixtures.rev2Objectives()
            let merged = try await admin.send(.post, "/api/v1/catalogs/imports?filename=sp_800_171a_1_0_0.json", raw: objectives,
                                              headers: Self.json)
            #expect(merged.status == .created, "\(String(decoding: merged.body, as: UTF8.self).prefix(600))")
            #expect(merged.json["merged"] as? Bool == true && merged.json["requirementsWithWording"] as? Int == 110
                    && merged.json["objectivesWithWording"] as? Int == 320)
            let after = try #require(try await CatalogUseCases(db: services.db).officialText(catalog: .sp800171r2, entryID: "3.1.1"))
            #expect(after.statement == stored.statement)
            #expect(after.objectives.first { $0.id == "3.1.1[a]" }?.prose == (try CPRTFixtures.rev2ObjectiveText())["3.1.1[a]"])
            #expect(try await Self.auditCount(services.db) == 2)
            let history = try await admin.send(.get, "/api/v1/catalogs/imports")
            let rows = try #require(try JSONSerialization.jsonObject(with: history.body) as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["catalog"] as? String == "sp800-171r2" && rows[0]["file"] as? String == "sp_800_171a_1_0_0.json")
            #expect(rows[0]["entries"] as? Int == 110)

            // A truncated CPRT file: 400 with the line and column; a truncated OSCAL file: 400 saying it is not JSON; a CPRT
            // element without an id: 400 naming it. Nothing stored.
            let cut = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cut.json", raw: Data(objectives.prefix(5000)), headers: Self.json)
            let cutMessage = (cut.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(cut.status == .badRequest && (cut.json["error"] as? [String: Any])?["field"] as? String == "file")
            #expect(cutMessage.hasPrefix("cut.json: not valid JSON at line 1, column ") && cutMessage.contains("Nothing was imported"), "\(cutMessage)")
            let cutOSCAL = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cut-oscal.json", raw: Data(rev2.prefix(20_000)),
                                                headers: Self.json)
            let cutOSCALMessage = (cutOSCAL.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(cutOSCAL.status == .badRequest && cutOSCALMessage.hasPrefix("cut-oscal.json: not valid JSON"), "\(cutOSCALMessage)")
            var broken = try #require(try JSONSerialization.jsonObject(with: objectives) as? [String: Any])
            var elements = try #require(broken["elements"] as? [[String: Any]])
            elements[5]["element_identifier"] = nil
            broken["elements"] = elements
            let bad = try await admin.send(.post, "/api/v1/catalogs/imports?filename=broken.json",
                                           raw: try JSONSerialization.data(withJSONObject: broken), headers: Self.json)
            let badMessage = (bad.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(bad.status == .badRequest && badMessage.contains("elements[5]"), "\(badMessage)")
            #expect(try await CatalogUseCases(db: services.db).officialText(catalog: .sp800171r2, entryID: "3.1.1") == after)
            #expect(try await CatalogUseCases(db: services.db).imports().map(\.sourceFile) == ["sp_800_171a_1_0_0.json"])
            #expect(try await Self.auditCount(services.db) == 2)

            // NIST's rev3 OSCAL catalog, then the CPRT sample refused above: now merged into it, all 97 requirements kept.
            let rev3 = try Data(contentsOf: try TestEnvironment.sharedData("nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.json"))
            let full = try await admin.send(.post, "/api/v1/catalogs/imports?filename=NIST_SP800-171_rev3_catalog.json", raw: rev3, headers: Self.json)
            #expect(full.status == .created && full.json["catalog"] as? String == "sp800-171r3" && full.json["requirementsWithWording"] as? Int == 97)
            let sampleMerged = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cprt_sample.json", raw: sample, headers: Self.json)
            #expect(sampleMerged.status == .created && sampleMerged.json["merged"] as? Bool == true
                    && sampleMerged.json["requirementsWithWording"] as? Int == 97, "\(String(decoding: sampleMerged.body, as: UTF8.self).prefix(600))")
            #expect((sampleMerged.json["warnings"] as? [Any])?.isEmpty == false, "what the sample leaves out is a warning")
            #expect(try await Self.auditCount(services.db) == 4)
        }
    }

    @Test("issue 17 item 2: only a platform administrator's session imports — an organization owner who is not one, the administrator's read-only and write tokens get 403, no credentials 401, nothing stored; the history is readable with a read-only token",
          arguments: TestDatabases.engines)
    func whoMayImport(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            _ = try await AccountSafetyTests.member(services, orgID, .owner, email: "owner@example.jp")
            let owner = Browser(client)
            try await owner.login("owner@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(owner)
            // A small but real OSCAL catalog: the refusals are not about the file.
            let file = Data(#"{"catalog":{"uuid":"0c4e5a43-1d55-4b6e-9d1e-2f6f2c0a9b11","metadata":{"title":"Example","version":"1","oscal-version":"1.1.2","last-modified":"2026-01-01T00:00:00Z"},"groups":[{"id":"g","title":"G","controls":[{"id":"ex-1","title":"One","parts":[{"id":"ex-1_smt","name":"statement","prose":"Do one thing."}]}]}]}}"#.utf8)
            let url = "/api/v1/catalogs/imports?filename=example.json"

            let byOwner = try await owner.send(.post, url, raw: file, headers: Self.json)
            #expect(byOwner.status == .forbidden && byOwner.errorCode == "forbidden")
            let readReply = try await admin.send(.post, "/api/v1/organizations/\(orgID)/tokens", json: ["name": "read", "scope": "read", "expiresInDays": 1])
            let writeReply = try await admin.send(.post, "/api/v1/organizations/\(orgID)/tokens", json: ["name": "write", "scope": "write", "expiresInDays": 1])
            let reader = Browser(client), writer = Browser(client), nobody = Browser(client)
            reader.bearer = try #require(readReply.json["token"] as? String)
            writer.bearer = try #require(writeReply.json["token"] as? String)
            #expect(try await reader.send(.post, url, raw: file, headers: Self.json).status == .forbidden)
            #expect(try await writer.send(.post, url, raw: file, headers: Self.json).status == .forbidden)
            #expect(try await nobody.send(.post, url, raw: file, headers: Self.json).status == .unauthorized)
            #expect(try await nobody.send(.get, "/api/v1/catalogs/imports").status == .unauthorized)
            #expect(try await CatalogUseCases(db: services.db).imports().isEmpty)
            #expect(try await Self.auditCount(services.db) == 0)

            // The platform administrator's session imports it (a custom catalog), and the read-only token reads the history.
            let done = try await admin.send(.post, url, raw: file, headers: Self.json)
            #expect(done.status == .created, "\(String(decoding: done.body, as: UTF8.self))")
            #expect(done.json["requirementsWithWording"] as? Int == 1 && done.json["objectivesWithWording"] as? Int == 0)
            let history = try await reader.send(.get, "/api/v1/catalogs/imports")
            let rows = try #require(try JSONSerialization.jsonObject(with: history.body) as? [[String: Any]])
            #expect(history.status == .ok && rows.map { $0["file"] as? String } == ["example.json"])
        }
    }
}
