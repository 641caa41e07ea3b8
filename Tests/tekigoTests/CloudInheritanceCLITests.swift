import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo cloud crm import FILE --service REF --org ORG --evidence TEXT` (issue 15 item 4): the matrix imported with
/// the column read and the warnings named by row; a file of another shape exits 1 saying why.
@Suite("tekigo cloud crm import (command line)")
struct CloudInheritanceCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Issue 15 item 4: cloud crm import reads a CRM CSV (JSON and a Japanese summary with the warning's row); another shape exits 1")
    func importCRM() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cloud-crm")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        _ = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        await db.close()
        let csv = dir.appendingPathComponent("crm.csv")
        try Data("Control ID,Responsibility,Description\nAC-2,Provider,accounts\nPE-3,Inherited from pre-existing authorization,IaaS\nZZ-1,Provider,x\n".utf8)
            .write(to: csv)
        let json = try tekigo(["cloud", "crm", "import", csv.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                               "--evidence", "CRM 2026-03", "--format", "json", "--data-dir", dir.path])
        #expect(json.status == 0, "\(json.stderr)")
        let v = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(v["controls"] as? Int == 2 && v["responsibilityColumn"] as? String == "Responsibility")
        #expect((v["warnings"] as? [String])?.first?.hasPrefix("row 4:") == true)
        let ja = try tekigo(["cloud", "crm", "import", csv.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                             "--evidence", "CRM 2026-03", "--data-dir", dir.path], lang: "ja")
        #expect(ja.status == 0 && ja.stdout.contains("管理策 2 件") && ja.stdout.contains("警告 row 4"), "\(ja.stdout)\(ja.stderr)")
        let other = dir.appendingPathComponent("other.csv")
        try Data("name,price\nwidget,3\n".utf8).write(to: other)
        let bad = try tekigo(["cloud", "crm", "import", other.path, "--service", "fedramp:FR0000000001", "--org", "株式会社サンプル精機",
                              "--evidence", "x", "--data-dir", dir.path])
        #expect(bad.status == 1 && bad.stderr.contains("Control ID"), "\(bad.stderr)")
    }

    @Test("Issue 15 item 4: cloud inherit list shows 3.10.1 provided by the service (JSON and Japanese) and writes nothing; confirm records the status chosen with the evidence; without --status it is refused; an assessment of another organization exits 1")
    func inheritListAndConfirm() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cloud-inherit")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        let other = try await accounts.createOrganization(name: "別会社", owner: u.id)
        let actor = TekigoStore.Actor(id: u.id, sourceIP: "192.0.2.10")
        func assessment(_ orgID: String) async throws -> String {
            let tenant = TenantStore(db, organizationID: orgID)
            let system = try await tenant.createSystem(SystemProfile(name: "CAD", boundary: "", informationTypes: []), by: actor)
            return try await tenant.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-01")!, kind: .basic,
                                                     assessor: "所有者", by: actor).id
        }
        let mine = try await assessment(org.id), theirs = try await assessment(other.id)
        await db.close()
        let csv = dir.appendingPathComponent("crm.csv")
        try Data("Control ID,Responsibility,Description\nPE-2,Provider,access lists\nPE-3,Inherited,IaaS\nAC-3,Customer,roles\n".utf8).write(to: csv)
        let where_ = ["--org", "株式会社サンプル精機", "--data-dir", dir.path]
        let imported = try tekigo(["cloud", "crm", "import", csv.path, "--service", "fedramp:FR0000000001", "--evidence", "CRM 2026-03",
                                   "--name", "Example Cloud"] + where_)
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try tekigo(["cloud", "inherit", "list", mine, "3.10.1", "--format", "json"] + where_)
        #expect(list.status == 0, "\(list.stderr)")
        let v = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let offer = try #require((v["offers"] as? [[String: Any]])?.first)
        #expect(offer["inheritance"] as? String == "inherited" && offer["evidenceReference"] as? String == "CRM 2026-03")
        let objectives = try #require(offer["objectives"] as? [String])
        let ja = try tekigo(["cloud", "inherit", "list", mine, "3.10.1"] + where_, lang: "ja")
        #expect(ja.status == 0 && ja.stdout.contains("Example Cloud が提供（継承）") && ja.stdout.contains("未確認"), "\(ja.stdout)\(ja.stderr)")
        let noStatus = try tekigo(["cloud", "inherit", "confirm", mine, "3.10.1", "--service", "fedramp:FR0000000001",
                                   "--objective", objectives[0]] + where_)
        #expect(noStatus.status != 0 && noStatus.stderr.contains("--status"), "\(noStatus.stderr)")
        let bad = try tekigo(["cloud", "inherit", "confirm", mine, "3.10.1", "--service", "fedramp:FR0000000001",
                              "--objective", objectives[0], "--status", "inherited"] + where_)
        #expect(bad.status == 1 && bad.stderr.contains("status: choose met"), "\(bad.stderr)")
        let ok = try tekigo(["cloud", "inherit", "confirm", mine, "3.10.1", "--service", "fedramp:FR0000000001",
                             "--objective", objectives[0], "--status", "met", "--format", "json"] + where_)
        #expect(ok.status == 0, "\(ok.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["objective"] as? String } == [objectives[0]] && rows.first?["status"] as? String == "met")
        let after = try tekigo(["cloud", "inherit", "list", mine, "3.10.1"] + where_)
        #expect(after.stdout.contains("\(objectives[0])  confirmed (met)") && after.stdout.contains("\(objectives[1])  not confirmed"), "\(after.stdout)")
        let db2 = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let findings = try await TenantStore(db2, organizationID: org.id).findings(assessmentID: mine)
        await db2.close()
        #expect(findings.map(\.status) == ["met"] && findings[0].evidence.contains("Example Cloud (fedramp:FR0000000001): CRM 2026-03"))
        let cross = try tekigo(["cloud", "inherit", "list", theirs, "3.10.1"] + where_)
        #expect(cross.status == 1 && cross.stderr.contains("No assessment \(theirs)"), "\(cross.stderr)")
    }
}
