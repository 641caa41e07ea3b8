import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// `tekigo incident open | list | show | report | export`, run as an operator would run them on a server's database
/// (issue 13, item 9): JSON in the API's shapes with every deadline as an ISO 8601 instant, the submission rules'
/// refusals printed with exit 1, unknown export formats refused with the known ones, every detail read audited.
@Suite("tekigo incident (command line)")
struct IncidentCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    func json(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON: \(r.stdout) \(r.stderr)")
    }

    static func iso(_ date: Date) -> String {
        OffsetInstant.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), in: TimeZone(identifier: "Asia/Tokyo")!)
    }

    /// A data directory with a supplier (with a contract from its customer carrying DFARS 7012) and another organization.
    func world() async throws -> (dir: String, supplier: String, other: String) {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-incident-cli").path
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let prime = try await accounts.createOrganization(name: "元請重工株式会社", owner: u.id)
        let supplier = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        let other = try await accounts.createOrganization(name: "別会社株式会社", owner: u.id)
        let env = TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: [UInt8](repeating: 1, count: 32))),
                                    library: try BuiltInLibrary.shared)
        let (token, _) = try await SupplierLinkUseCases(env, .commandLine(prime, db: db)).invite(note: "s", expiresInDays: nil)
        _ = try await SupplierLinkUseCases(env, .commandLine(supplier, db: db)).accept(token: token)
        _ = try await ContractUseCases(env, .commandLine(prime, db: db)).create(
            ContractTerms(number: "W58RGZ-27-C-0001", designation: "cui", clauses: ["dfars-252.204-7012"], cmmcLevel: nil),
            supplierID: supplier.id)
        await db.close()
        return (dir, supplier.id, other.id)
    }

    func auditCount(_ dir: String, _ action: AuditAction) async throws -> Int {
        let db = try await TekigoDatabase.openExisting(try DatabaseLocation.dataDirectory(dir))
        let n = try await db.sql.select().column("seq").from("audit_log").where("action", .equal, action.rawValue).all().count
        await db.close()
        return n
    }

    @Test("open → list → show → report → export: deadlines as ISO 8601 instants (DFARS 252.204-7012(c) 72 hours), the report meets the clock, reads audited")
    func incidentFlow() async throws {
        let (dir, supplier, _) = try await world()
        let discovered = Date(timeIntervalSinceNow: -3 * 3600)
        let opened = try tekigo(["incident", "open", "--org", "株式会社サンプル精機", "--discovered", Self.iso(discovered),
                                 "--title", "CAD サーバのランサムウェア感染", "--by", "山田", "--contract", "W58RGZ-27-C-0001",
                                 "--data-dir", dir])
        #expect(opened.status == 0, "\(opened.stderr)")
        let incident = try json(opened)
        let id = try #require(incident["id"] as? String)
        #expect(incident["organizationId"] as? String == supplier)
        let report = (incident["deadlines"] as? [[String: Any]])?.first { $0["ruleId"] as? String == "dfars-7012.report" }
        let due = try #require(report?["due"] as? String)
        #expect(try OffsetInstant.parse(due).date.timeIntervalSince(try OffsetInstant.parse(Self.iso(discovered)).date) == 72 * 3600)

        let list = try tekigo(["incident", "list", "--org", supplier, "--data-dir", dir])
        #expect(list.status == 0, "\(list.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == [id])

        let shown = try tekigo(["incident", "show", id, "--data-dir", dir])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(((try json(shown))["deadlines"] as? [[String: Any]])?.allSatisfy { $0["ruleId"] != nil } == true)

        let submitted = try tekigo(["incident", "report", id, "--submitted", Self.iso(Date(timeIntervalSinceNow: -60)), "--number", "ICF-1",
                                    "--channel", "DC3 ICF", "--data-dir", dir])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect((try json(submitted))["reportNumber"] as? String == "ICF-1")
        let after = try json(try tekigo(["incident", "show", id, "--data-dir", dir]))
        let met = (after["deadlines"] as? [[String: Any]])?.first { $0["ruleId"] as? String == "dfars-7012.report" }
        #expect(met?["state"] as? String == "met")

        let out = URL(fileURLWithPath: dir).appendingPathComponent("incident.json").path
        let exported = try tekigo(["incident", "export", id, "--format", "json", "--out", out, "--data-dir", dir])
        #expect(exported.status == 0, "\(exported.stderr)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(file["id"] as? String == id)

        #expect(try await auditCount(dir, .incidentRead) == 2)
        #expect(try await auditCount(dir, .incidentExported) == 1)
        #expect(try await auditCount(dir, .incidentListed) == 1)
    }

    @Test("report-fields: saves a shop's file of DC3 ICF / MOD fields at the incident's version and prints them; an unknown member, a bad CAGE code or a non-object is refused with the member named and nothing saved")
    func reportFields() async throws {
        let (dir, _, _) = try await world()
        let opened = try tekigo(["incident", "open", "--org", "株式会社サンプル精機", "--discovered", Self.iso(Date(timeIntervalSinceNow: -3600)),
                                 "--title", "不審なログイン", "--by", "山田", "--contract", "W58RGZ-27-C-0001", "--data-dir", dir])
        let id = try #require((try json(opened))["id"] as? String, "\(opened.stderr)")
        let empty = try tekigo(["incident", "report-fields", id, "--data-dir", dir])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect((try json(empty))["reportType"] as? String == "initial")

        func file(_ name: String, _ text: String) throws -> String {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let good = try file("fields.json", #"{"facilityCAGE": "1ABC2", "pointsOfContact": [{"name": "鈴木 一郎", "email": "suzuki@example.jp"}], "modSummary": "不審なログイン"}"#)
        let saved = try tekigo(["incident", "report-fields", id, "--file", good, "--data-dir", dir])
        #expect(saved.status == 0, "\(saved.stderr)")
        let printed = try json(try tekigo(["incident", "report-fields", id, "--data-dir", dir]))
        #expect(printed["facilityCAGE"] as? String == "1ABC2" && printed["modSummary"] as? String == "不審なログイン")
        #expect(try await auditCount(dir, .incidentReportFieldsSaved) == 1)

        let unknown = try tekigo(["incident", "report-fields", id, "--file", try file("u.json", #"{"facilityCage": "1ABC2"}"#), "--data-dir", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown member 'facilityCage'"), "\(unknown.stderr)")
        let badCAGE = try tekigo(["incident", "report-fields", id, "--file", try file("c.json", #"{"facilityCAGE": "12"}"#), "--data-dir", dir],
                                 lang: "ja")
        #expect(badCAGE.status == 1 && badCAGE.stderr.contains("CAGE"), "\(badCAGE.stderr)")
        let notObject = try tekigo(["incident", "report-fields", id, "--file", try file("a.json", "[1]"), "--data-dir", dir])
        #expect(notObject.status == 1 && notObject.stderr.contains("not a JSON object"), "\(notObject.stderr)")
        #expect((try json(try tekigo(["incident", "report-fields", id, "--data-dir", dir])))["facilityCAGE"] as? String == "1ABC2")
        #expect(try await auditCount(dir, .incidentReportFieldsSaved) == 1, "nothing saved by the refused files")
    }

    @Test("Bad input on the command line: discovery in the future, a submission without offset or before discovery, a report number reused across organizations, an unknown export format — each a clear message, nothing changed")
    func refusals() async throws {
        let (dir, supplier, other) = try await world()
        let future = try tekigo(["incident", "open", "--org", supplier, "--discovered", Self.iso(Date(timeIntervalSinceNow: 86400)),
                                 "--title", "x", "--data-dir", dir])
        #expect(future.status == 1)
        #expect(future.stderr.contains("is in the future"))
        let ja = try tekigo(["incident", "open", "--org", supplier, "--discovered", "2026-01-01T10:00:00", "--title", "x", "--data-dir", dir],
                            lang: "ja")
        #expect(ja.status == 1)
        #expect(ja.stderr.contains("時差"))

        let discovered = Self.iso(Date(timeIntervalSinceNow: -3600))
        let mine = try json(try tekigo(["incident", "open", "--org", supplier, "--discovered", discovered, "--title", "A", "--data-dir", dir]))
        let theirs = try json(try tekigo(["incident", "open", "--org", other, "--discovered", discovered, "--title", "B", "--data-dir", dir]))
        let mineID = try #require(mine["id"] as? String), theirID = try #require(theirs["id"] as? String)

        let noOffset = try tekigo(["incident", "report", mineID, "--submitted", "2026-12-01T10:00:00", "--number", "ICF-9", "--data-dir", dir])
        #expect(noOffset.status == 1)
        #expect(noOffset.stderr.contains("has no UTC offset"))
        let early = try tekigo(["incident", "report", mineID, "--submitted", Self.iso(Date(timeIntervalSinceNow: -7200)), "--number", "ICF-9",
                                "--data-dir", dir])
        #expect(early.status == 1)
        #expect(early.stderr.contains("is before the discovery"))
        let noNumber = try tekigo(["incident", "report", mineID, "--submitted", Self.iso(Date(timeIntervalSinceNow: -60)), "--data-dir", dir])
        #expect(noNumber.status == 1)
        #expect(noNumber.stderr.contains("report number"))

        #expect(try tekigo(["incident", "report", mineID, "--submitted", Self.iso(Date(timeIntervalSinceNow: -60)), "--number", "ICF-9",
                            "--data-dir", dir]).status == 0)
        let reused = try tekigo(["incident", "report", theirID, "--submitted", Self.iso(Date(timeIntervalSinceNow: -60)), "--number", "ICF-9",
                                 "--data-dir", dir])
        #expect(reused.status == 1)
        #expect(reused.stderr.contains("'ICF-9' is already recorded"))
        let theirsNow = try json(try tekigo(["incident", "show", theirID, "--data-dir", dir]))
        #expect((theirsNow["submissions"] as? [Any])?.isEmpty == true)

        let stix = try tekigo(["incident", "export", mineID, "--format", "nonsense", "--data-dir", dir])
        #expect(stix.status != 0)
        #expect(stix.stderr.contains("json"))
        let unknown = try tekigo(["incident", "show", "no-such-incident", "--data-dir", dir])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no incident has the id"))
    }
}
