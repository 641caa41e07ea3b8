import Foundation
import TekigoCore
import TekigoStore

/// A prime's roll-up of its supply chain by tier (`RollupStore`: materialized, never a tree walk on read), and the
/// suppliers in it that need action — named only where consent allows, the others counted. The first read makes
/// the organization a prime: its roll-up is built once, at the organization's today (audited as `rollup.rebuilt` by
/// the system), then kept current by every change below it.
public struct RollupUseCases: Sendable {
    public let env: TenantEnvironment
    /// The prime.
    public let organization: OrganizationRecord

    /// The actor of a roll-up built on first read: the system, not the reader.
    public static let builder = Actor(id: AuditEvent.systemActor, sourceIP: "127.0.0.1")

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.init(env, organization: scope.organization)
    }

    /// For an operator on the command line, who acts for no membership: reading (and building on first use) only.
    public init(_ env: TenantEnvironment, organization: OrganizationRecord) {
        self.env = env
        self.organization = organization
    }

    var store: RollupStore { RollupStore(env.db) }
    /// The prime's today: its calendar at the environment's clock.
    var today: Day { OrganizationCalendar(identifier: organization.timeZone).today(env.clock) }

    /// The roll-up, built now (`built`) if the organization had none.
    public func view() async throws -> (view: RollupView, built: Bool) {
        let store = store, prime = organization.id
        if let v = try await store.rollup(prime: prime) { return (v, false) }
        let today = today
        _ = try await env.db.transaction { s in try await store.rebuild(prime: prime, at: today, by: Self.builder, on: s) }
        guard let v = try await store.rollup(prime: prime) else { throw SupplyChainRuleError.rollupMissing }
        return (v, true)
    }

    /// One page of the visible suppliers needing action in `view` (most serious first), with the hidden ones counted.
    public func needsAction(_ view: RollupView, limit: Int, offset: Int) async throws -> NeedsActionPage {
        try await store.needsAction(view, limit: limit, offset: offset)
    }

    /// Every visible supplier needing action in `view`, and how many more the prime may not see.
    public func allNeedsAction(_ view: RollupView) async throws -> (entries: [NeedsActionEntry], hidden: Int) {
        let store = store
        var entries: [NeedsActionEntry] = []
        var hidden = 0
        while true {
            let page = try await store.needsAction(view, limit: 1_000, offset: entries.count)
            entries += page.entries
            hidden = page.hiddenCount
            if page.entries.isEmpty || entries.count >= page.visibleTotal { break }
        }
        return (entries, hidden)
    }
}
