import Foundation
import SQLKit
import Testing
import TekigoCore
@testable import TekigoStore
import TekigoTestSupport

/// An assessment's findings are read on SQLite from the engine's own values (`TekigoDatabase.sqliteRows`,
/// `FindingRecord.init(sqlite:…)`), not through SQLiteKit's per-column `Decoder`: each must come out exactly as the
/// column-by-column `SQLRow` read (the PostgreSQL path) reads it, with and without its optional columns.
@Suite("The findings list read from SQLite's own values")
struct FindingListReadTests {
    /// A fresh database with an organization, its owner acting, a system and an assessment of it.
    static func world(_ engine: TestDatabases.Engine) async throws
        -> (TekigoDatabase, OrganizationRecord, TenantStore, Actor, SystemRecord, AssessmentRecord) {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let accounts = AccountStore(db)
        let owner = try await accounts.createUser(email: "o@example.jp", displayName: "O", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "精密加工", owner: owner.id)
        let store = TenantStore(db, organizationID: org.id)
        let actor = Actor(id: owner.id, sourceIP: "192.0.2.1")
        let system = try await store.createSystem(SystemProfile(name: "生産管理"), by: actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-01")!, kind: .basic,
                                                 assessor: "", by: actor)
        return (db, org, store, actor, system, a)
    }

    @Test("Every finding reads the same as through SQLRow, optional columns empty or filled, other assessments' left out", arguments: TestDatabases.engines)
    func sameAsSQLRow(_ engine: TestDatabases.Engine) async throws {
        let (db, org, store, actor, system, a) = try await Self.world(engine)
        let other = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-02")!, kind: .basic,
                                                     assessor: "", by: actor)
        let evidence = [EvidenceRef(location: "https://intranet.example/規程", sha256: String(repeating: "a", count: 64), size: 12,
                                    date: Day("2026-11-30"))]
        _ = try await store.putFinding(assessmentID: a.id, objective: "3.1.1[a]", Finding(status: .met), ifVersion: nil, by: actor)
        _ = try await store.putFinding(assessmentID: a.id, objective: "3.1.1[b]",
                                       Finding(status: .notMet, rationale: "VPN に MFA なし \"引用\"", evidence: evidence, assessedBy: "山田",
                                               assessedOn: Day("2026-12-01")), ifVersion: nil, by: actor)
        _ = try await store.putFinding(assessmentID: a.id, objective: "3.1.1[b]", Finding(status: .met, evidence: evidence), ifVersion: 1, by: actor)
        _ = try await store.putFinding(assessmentID: other.id, objective: "3.1.2[a]", Finding(status: .met), ifVersion: nil, by: actor)

        let fast = try await store.findings(assessmentID: a.id)
        let expected = try await db.sql.select().columns("*").from("findings").where("organization_id", .equal, org.id)
            .where("assessment_id", .equal, a.id).all().map(FindingRecord.init(row:))
        #expect(fast.count == 2)
        #expect(Set(fast) == Set(expected))
        #expect(fast.first { $0.objective == "3.1.1[b]" }?.version == 2)
        #expect(try await (engine == .sqlite) == (db.sqliteRows("SELECT 1 AS one", []) != nil))
        await db.close()
    }

    @Test("A stored value of the wrong kind is a corrupt-row error naming the table and the objective, not a crash or a default")
    func wrongKindIsCorrupt() async throws {
        let (db, _, store, actor, _, a) = try await Self.world(.sqlite)
        _ = try await store.putFinding(assessmentID: a.id, objective: "3.1.1[a]", Finding(status: .met), ifVersion: nil, by: actor)
        try await db.sql.raw("UPDATE findings SET version = 'two' WHERE objective = '3.1.1[a]'").run()
        do {
            _ = try await store.findings(assessmentID: a.id)
            Issue.record("a text version was read")
        } catch let e as StoreError {
            #expect(e.description.contains("findings") && e.description.contains("3.1.1[a]") && e.description.contains("version"))
        }
        await db.close()
    }
}
