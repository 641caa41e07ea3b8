import Foundation
import SQLKit
import Testing
import TekigoCore
@testable import TekigoStore
import TekigoTestSupport

/// IncidentStore and migration 9 on their own: the database itself refuses a DoD report number twice across
/// organizations (the use case checks first, under a lock; the unique index is the last word), and every read is
/// scoped to the organization.
@Suite("Incident store: the report-number index, scoping")
struct IncidentStoreTests {
    func withDB(_ engine: TestDatabases.Engine, _ body: (TekigoDatabase) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do { try await body(db) } catch { await db.close(); throw error }
        await db.close()
    }

    func incident(_ db: TekigoDatabase, org: String) async throws -> IncidentRecord {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let facts = try IncidentFacts(title: "t", discoveredAt: now, discoveredTimeZone: "Asia/Tokyo", discoveredBy: "x",
                                      detectionMethod: .other, compromiseType: .unknown, outcome: .unknown, information: .noneKnown,
                                      recordedAt: now)
        let r = IncidentRecord(id: UUID().uuidString, organizationID: org, facts: facts, phase: .detected, exercise: false,
                               reportFields: nil, createdBy: "x", createdAt: Timestamp.string(now), updatedAt: Timestamp.string(now), version: 1)
        try await db.transaction { s in try await IncidentStore(db, organizationID: org).insert(r, systems: [], contracts: [], on: s) }
        return r
    }

    func submission(_ r: IncidentRecord, number: String?) -> IncidentSubmissionRecord {
        IncidentSubmissionRecord(id: UUID().uuidString, incidentId: r.id, organizationId: r.organizationId, kind: "dod-initial",
                                 submittedAt: r.discoveredAt, channel: "c", submittedBy: "x", reportNumber: number,
                                 dodReportNumber: number, cites: nil, createdAt: r.discoveredAt)
    }

    @Test("The unique index refuses one DoD report number in two organizations, and allows any number of submissions without one (DoD numbers each report once)", arguments: TestDatabases.engines)
    func reportNumberIndex(_ engine: TestDatabases.Engine) async throws {
        try await withDB(engine) { db in
            let accounts = AccountStore(db)
            let u = try await accounts.createUser(email: "a@example.jp", displayName: "a", passwordHash: "x", platformAdmin: false)
            let a = try await accounts.createOrganization(name: "A", owner: u.id)
            let b = try await accounts.createOrganization(name: "B", owner: u.id)
            let ia = try await incident(db, org: a.id), ib = try await incident(db, org: b.id)
            try await db.transaction { s in
                try await IncidentStore(db, organizationID: a.id).addSubmission(submission(ia, number: "ICF-1"), on: s)
                try await IncidentStore(db, organizationID: a.id).addSubmission(submission(ia, number: nil), on: s)
                try await IncidentStore(db, organizationID: a.id).addSubmission(submission(ia, number: nil), on: s)
            }
            await #expect(throws: (any Error).self) {
                try await db.transaction { s in try await IncidentStore(db, organizationID: b.id).addSubmission(submission(ib, number: "ICF-1"), on: s) }
            }
            let storeB = IncidentStore(db, organizationID: b.id)
            #expect(try await storeB.submissions(incidentID: nil).isEmpty)
            #expect(try await storeB.incident(id: ia.id) == nil)
            #expect(try await storeB.incidents().map(\.id) == [ib.id])
            #expect(try await db.transaction { s in try await storeB.dodReportNumberInUse("ICF-1", on: s) })
            #expect(try await IncidentStore(db, organizationID: a.id).submissions(incidentID: ia.id).count == 3)
        }
    }
}
