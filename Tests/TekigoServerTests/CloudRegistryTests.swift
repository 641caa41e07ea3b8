import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// The platform-wide cloud provider registry through its use cases (issue 15 items 1, 2), on SQLite and PostgreSQL:
/// the real Marketplace file imported whole with its links, search and show, a re-import recording exactly what changed,
/// a broken file leaving the previous registry, platform administrators only for changes, ISMAP records.
@Suite("Cloud registry: FedRAMP Marketplace import, search, changes, ISMAP records (issue 15)")
struct CloudRegistryTests {
    struct World: Sendable {
        let db: TekigoDatabase
        let cases: CloudRegistryUseCases
        let admin: CloudRegistryCaller
        let member: CloudRegistryCaller

        func actions() async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").orderBy("seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let clock = SettableClock(Date(timeIntervalSince1970: 1_777_000_000))
        do {
            let accounts = AccountStore(db)
            let admin = try await accounts.createUser(email: "admin@example.jp", displayName: "運用者", passwordHash: "x", platformAdmin: true)
            let member = try await accounts.createUser(email: "member@example.jp", displayName: "担当者", passwordHash: "x", platformAdmin: false)
            try await body(World(db: db, cases: CloudRegistryUseCases(db: db, clock: clock),
                                 admin: .person(admin, sourceIP: "192.0.2.1"), member: .person(member, sourceIP: "192.0.2.2")))
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    static func file(_ name: String) throws -> Data { try Data(contentsOf: try TestEnvironment.sharedData("fedramp/\(name)")) }

    /// The file with one product's status replaced.
    static func changing(_ data: Data, packageID: String, status: String, lastChange: String) throws -> Data {
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var d = try #require(root["data"] as? [String: Any])
        var products = try #require(d["Products"] as? [[String: Any]])
        let i = try #require(products.firstIndex { $0["id"] as? String == packageID })
        products[i]["status"] = status
        d["Products"] = products
        root["data"] = d
        root["meta"] = ["last_change": lastChange]
        return try JSONSerialization.data(withJSONObject: root)
    }

    @Test("The real Marketplace file imports with all 642 products and their leveraged-system links; searching 'Microsoft' or a package id answers, also in full-width; show gives builds-on / built-on-it", .enabled(if: TestEnvironment.runSharedDataTests), arguments: TestDatabases.engines)
    func fullImport(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let data = try Self.file("marketplace-data-2026-04-28.json")
            let r = try await w.cases.importMarketplace(data, fileName: "/tmp/marketplace-data-2026-04-28.json", by: w.admin)
            #expect(r.record.productCount == 642 && r.record.linkCount == 1750 && r.changes.isEmpty)
            #expect(r.record.fileName == "marketplace-data-2026-04-28.json" && r.record.fileDate == "2026-04-28")
            #expect(r.record.fileSHA256 == Hex.sha256(data))
            #expect(try await w.cases.productCount() == 642)
            #expect(try await CloudRegistryStore(w.db).linkCount() == 1750)
            let ms = try await w.cases.search("Microsoft")
            #expect(ms.count >= 4 && ms.contains { $0.packageID == "MSO365MT" })
            #expect(try await w.cases.search("ｍｉｃｒｏｓｏｆｔ　azure").contains { $0.packageID == "F1209051525" })
            #expect(try await w.cases.search("f1302201919").first?.packageID == "F1302201919")
            #expect(try await w.cases.search("100%_").isEmpty)
            #expect(try await w.cases.search("   ").isEmpty)
            let acquia = try await w.cases.show(packageID: "F1302201919")
            #expect(acquia.builtOnIt.count == 2)
            #expect(acquia.buildsOn.contains { $0.csp.hasPrefix("Google") })
            #expect(acquia.changes.isEmpty)
            let product = try #require(try await CloudRegistryStore(w.db).product(packageID: "F1302201919"))
            #expect(product.csp == "Acquia Inc." && product.ref.description == "fedramp:F1302201919")
            await #expect(throws: CloudRegistryError.unknownProduct("FR0000000000")) { try await w.cases.show(packageID: "FR0000000000") }
            #expect(try await w.actions() == ["cloud.registry-imported"])
        }
    }

    @Test("A re-import with one product's status changed records exactly that change, dated by the newer file; the previous values stay in the history", .enabled(if: TestEnvironment.runSharedDataTests), arguments: TestDatabases.engines)
    func reimport(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let data = try Self.file("marketplace-slice-2026-04-28.json")
            _ = try await w.cases.importMarketplace(data, fileName: "slice.json", by: w.admin)
            let products = try FedRAMPMarketplaceReader.read(data).products
            let target = try #require(products.first { $0.status == "FedRAMP Authorized" })
            let newer = try Self.changing(data, packageID: target.packageID, status: "FedRAMP In Process", lastChange: "2026-05-12T02:00:00.000Z")
            let second = try await w.cases.importMarketplace(newer, fileName: "slice-2.json", by: .commandLine)
            #expect(second.changes.count == 1)
            let c = try #require(second.changes.first)
            #expect(c.packageID == target.packageID && c.field == .status && c.oldValue == "FedRAMP Authorized"
                    && c.newValue == "FedRAMP In Process" && c.changedOn == "2026-05-12")
            let shown = try await w.cases.show(packageID: target.packageID)
            #expect(shown.product.status == "FedRAMP In Process" && shown.changes == [c])
            #expect(try await CloudRegistryStore(w.db).changes(importID: second.record.id) == [c])
            // The same file again changes nothing.
            #expect(try await w.cases.importMarketplace(newer, fileName: "slice-2.json", by: w.admin).changes.isEmpty)
            #expect(try await w.cases.imports().count == 3)
        }
    }

    @Test("A broken file (truncated, another shape, duplicate ids) leaves the previous registry whole and writes nothing (bad input)", .enabled(if: TestEnvironment.runSharedDataTests), arguments: TestDatabases.engines)
    func brokenLeavesPrevious(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let data = try Self.file("marketplace-slice-2026-04-28.json")
            _ = try await w.cases.importMarketplace(data, fileName: "slice.json", by: w.admin)
            let before = try await w.cases.search("a", limit: 500)
            for broken in [data.prefix(data.count - 100), Data(#"{"data": {"products": []}}"#.utf8),
                           Data(#"{"data": {"Products": [{"id": "FR1"}, {"id": "FR1"}]}}"#.utf8)] {
                await #expect(throws: CloudRegistryError.self) {
                    _ = try await w.cases.importMarketplace(Data(broken), fileName: "broken.json", by: w.admin)
                }
            }
            #expect(try await w.cases.search("a", limit: 500) == before)
            #expect(try await w.cases.imports().count == 1)
            #expect(try await w.actions() == ["cloud.registry-imported"])
        }
    }

    @Test("Importing and entering ISMAP records need a platform administrator: a member is refused and nothing is written; reading is open", .enabled(if: TestEnvironment.runSharedDataTests), arguments: TestDatabases.engines)
    func platformAdminOnly(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let data = try Self.file("marketplace-slice-2026-04-28.json")
            await #expect(throws: CloudRegistryError.notPlatformAdmin) {
                _ = try await w.cases.importMarketplace(data, fileName: "slice.json", by: w.member)
            }
            await #expect(throws: CloudRegistryError.notPlatformAdmin) {
                _ = try await w.cases.saveISMAP(ISMAPRecordTestData.record(), by: w.member)
            }
            #expect(try await w.cases.productCount() == 0)
            #expect(try await w.cases.ismapEntries().isEmpty)
            #expect(try await w.actions().isEmpty)
        }
    }

    @Test("ISMAP records: entered with validity (one year four months from the day after the audit period), replaced, searched in Japanese, removed — each audited; an audit period ending before it starts refused naming the field", arguments: TestDatabases.engines)
    func ismap(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let e = try await w.cases.saveISMAP(ISMAPRecordTestData.record(), by: w.admin)
            #expect(e.record.registrationNumber == "C23-0001-2" && e.validThrough == Day("2026-07-31") && e.createdBy == e.updatedBy)
            var changed = ISMAPRecordTestData.record()
            changed.kind = .liu
            changed.subsequentEvents = "なし"
            let e2 = try await w.cases.saveISMAP(changed, by: .commandLine)
            #expect(e2.record.kind == .liu && e2.updatedBy == "cli" && e2.createdAt == e.createdAt)
            #expect(try await w.cases.ismapEntries(matching: "サンプル").map(\.record.registrationNumber) == ["C23-0001-2"])
            #expect(try await w.cases.ismapEntries(matching: "c23").count == 1)
            #expect(try await w.cases.ismapEntries(matching: "別会社").isEmpty)
            #expect(try await CloudRegistryStore(w.db).ismapRecord(number: "C23-0001-2")?.subsequentEvents == "なし")
            var bad = ISMAPRecordTestData.record()
            bad.auditPeriodEnd = Day("2024-01-01")!
            do {
                _ = try await w.cases.saveISMAP(bad, by: w.admin)
                Issue.record("an audit period ending before it starts was accepted")
            } catch let CloudRegistryError.invalidISMAP(error) {
                #expect(error.field == "auditPeriodEnd")
            }
            try await w.cases.deleteISMAP(number: "C23-0001-2", by: w.admin)
            await #expect(throws: CloudRegistryError.unknownISMAP("C23-0001-2")) { try await w.cases.deleteISMAP(number: "C23-0001-2", by: w.admin) }
            #expect(try await w.actions() == ["cloud.ismap-saved", "cloud.ismap-saved", "cloud.ismap-deleted"])
        }
    }
}

enum ISMAPRecordTestData {
    static func record() -> ISMAPRecord {
        ISMAPRecord(registrationNumber: "C23-0001-2", kind: .ismap, serviceName: "サンプルクラウド", provider: "サンプル株式会社",
                    scope: "IaaS 東京リージョン", controlObjectives: "ISMAP 管理基準の統制目標", auditPeriodStart: Day("2024-04-01")!,
                    auditPeriodEnd: Day("2025-03-31")!)
    }
}
