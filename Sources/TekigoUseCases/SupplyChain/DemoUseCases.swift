import Foundation
import TekigoCore
import TekigoStore

/// `tekigo demo`: a fictitious supply chain loaded into an empty database, in one transaction with one `demo.loaded`
/// audit entry (`DemoLoader` holds the bulk SQL; the rule — only into a database without organizations — is checked
/// again inside that transaction, so two loads at once cannot both pass).
public struct DemoUseCases: Sendable {
    public let db: TekigoDatabase
    public let evidenceKey: EvidenceKey

    /// `evidenceKey` seals the demo organizations' signing keys, as the server's key would.
    public init(db: TekigoDatabase, evidenceKey: EvidenceKey) {
        self.db = db
        self.evidenceKey = evidenceKey
    }

    /// How many organizations the database holds (a load needs none).
    public func organizationCount() async throws -> Int {
        try await DemoLoader(db, evidenceKey: evidenceKey).organizationCount()
    }

    public func load(_ demo: DemoSupplyChain, catalog: Catalog, today: Day, now: Date, by actor: Actor,
                     progress: (@Sendable (DemoLoadPhase, Int, Int) -> Void)?) async throws -> DemoLoadSummary {
        try await DemoLoader(db, evidenceKey: evidenceKey).load(demo, catalog: catalog, today: today, now: now, by: actor,
                                                               progress: progress)
    }
}
