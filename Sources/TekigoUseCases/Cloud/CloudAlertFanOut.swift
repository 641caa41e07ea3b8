import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// Alerts after a FedRAMP Marketplace re-import (issue 15 item 5): a product that was FedRAMP Authorized at Moderate or
/// above and no longer is (`CloudChainAlertRule`) gets a reminder, and a webhook delivery per webhook, for every
/// organization using it and every customer above them that sees it through the supplier's attestation
/// (`CloudChainStore.fanOut`, set-based SQL). Runs inside the import's transaction (`CloudRegistryUseCases
/// .importMarketplace` calls it right after the registry is replaced), so the alerts are stored exactly when the import
/// is; the scheduler's next pass sends the deliveries.
public enum CloudAlertFanOut {
    /// The products whose standing dropped in `result`, with the fan-out stored for them. Nothing on a first import.
    /// `before` is the used products' standings read in the same transaction before the registry was replaced
    /// (`CloudChainStore.usedStandings`): a product that left the Marketplace is judged on it, so one that was already
    /// below Moderate alerts nobody; without it, leaving counts as a drop.
    @discardableResult
    public static func afterImport(_ result: CloudRegistryImportResult, before: [String: CloudMarketplaceStanding] = [:], db: TekigoDatabase,
                                   at now: Date, on s: any SQLDatabase) async throws -> CloudChainStore.FanOut {
        let relevant = result.changes.filter { [.status, .impactLevel, .listed].contains($0.field) }
        guard !relevant.isEmpty else { return CloudChainStore.FanOut() }
        let ids = Array(Set(relevant.map(\.packageID))).sorted()
        let current = try await CloudChainStore.standings(packageIDs: ids, on: s)
        let drops = CloudChainAlertRule.drops(
            changes: relevant.map { CloudFieldChange(packageID: $0.packageID, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue) },
            current: current, before: before)
        guard !drops.isEmpty else { return CloudChainStore.FanOut() }
        let titles = try await CloudRegistryStore(db).products(packageIDs: Array(drops.keys), on: s)
        let changedOn = result.changes.first?.changedOn ?? String(result.record.importedAt.prefix(10))
        return try await CloudChainStore(db).fanOut(
            drops.map { (packageID: $0.key, drop: $0.value, title: titles[$0.key].map { "\($0.csp) \($0.cso)" } ?? $0.key) },
            importID: result.record.id, changedOn: changedOn, at: now, on: s)
    }
}
