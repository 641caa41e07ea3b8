import Foundation
import TekigoCore
import TekigoStore
@testable import TekigoServer

/// A signed-in administrator (`bootstrapAdmin`) whose organization has one system and one SP 800-171 rev2
/// assessment: what the editor and export tests start from.
struct AssessmentFixture {
    let orgID: String
    let store: TenantStore
    let assessment: AssessmentRecord

    static func make(_ admin: Browser, services: Services, date: String = "2026-12-07") async throws -> AssessmentFixture {
        let (_, orgID) = try await bootstrapAdmin(admin, services: services)
        let me = try await services.accounts.user(email: "admin@example.jp")!
        let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
        let store = TenantStore(services.db, organizationID: orgID)
        let system = try await store.createSystem(SystemProfile(name: "本社ネットワーク"), by: actor)
        let a = try await store.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day(date)!, kind: .basic,
                                                 assessor: "山田", by: actor)
        return AssessmentFixture(orgID: orgID, store: store, assessment: a)
    }

    var editorBase: String { "/o/\(orgID)/assessments/\(assessment.id)/requirements" }
}
