import Foundation
import SQLKit
import TekigoCore

/// One supplier of a prime's roll-up that the prime may see by name, as the roll-up pages list it.
public struct RollupMemberEntry: Sendable, Hashable {
    public let organization: String
    public let name: String
    public let tier: Int
    public let status: SupplierStatusKind
    public let overdue: Bool
    /// SPRS score of the attestation in force, if any.
    public let score: Int?
}

/// One page of the visible suppliers of a roll-up, filtered by tier and status.
public struct RollupMembersPage: Sendable, Hashable {
    /// By tier, most serious status first, overdue first, then id.
    public let entries: [RollupMemberEntry]
    /// Visible suppliers matching the filter in all (for paging).
    public let visibleTotal: Int
    /// Suppliers matching the filter that the prime may not see by name (from the stored counts): counted only.
    public let hiddenCount: Int
    public let limit: Int
    public let offset: Int
}

extension RollupStore {
    /// The columns a member entry is read from (`m`: rollup_members, `o`: organizations).
    static let memberEntryColumns = "m.supplier_id, m.tier, m.status, m.overdue, m.score, o.name"

    static func memberEntry(_ r: any SQLRow) throws -> RollupMemberEntry {
        RollupMemberEntry(organization: try r.decode(column: "supplier_id", as: String.self),
                          name: try r.decode(column: "name", as: String.self),
                          tier: try r.decode(column: "tier", as: Int.self),
                          status: try status(try r.decode(column: "status", as: String.self)),
                          overdue: try r.decode(column: "overdue", as: Int.self) != 0,
                          score: try r.decodeNil(column: "score") ? nil : r.decode(column: "score", as: Int.self))
    }

    /// Visible suppliers of `view`'s prime, `tier` and `status` when given, a page at a time (`limit` within 0…1000),
    /// from the materialized `rollup_members` rows: one page query and one count, no tree walk and no per-row query.
    /// The hidden ones are counted from the stored totals, never listed.
    public func members(_ view: RollupView, tier: Int?, status: SupplierStatusKind?, limit: Int, offset: Int) async throws
        -> RollupMembersPage {
        let limit = max(0, min(limit, 1_000)), offset = max(0, offset)
        var filter = SQLQueryString("m.prime_id = \(bind: view.prime) AND m.visible = 1")
        if let tier { filter += " AND m.tier = \(bind: tier)" }
        if let status { filter += " AND m.status = \(bind: status.rawValue)" }
        let entries = try await db.sql.raw("""
            SELECT \(unsafeRaw: Self.memberEntryColumns) FROM rollup_members m \
            JOIN organizations o ON o.id = m.supplier_id WHERE \(filter) \
            ORDER BY m.tier, \(unsafeRaw: Self.statusRank("m.status")), m.overdue DESC, m.supplier_id \
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Self.memberEntry)
        let visible = try await db.sql.raw("SELECT COUNT(*) AS n FROM rollup_members m WHERE \(filter)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let counts = tier.map { view.tiers[$0] ?? TierRollup() } ?? view.totals
        let all = status.map { counts.byStatus[$0] ?? 0 } ?? counts.suppliers
        return RollupMembersPage(entries: entries, visibleTotal: visible, hiddenCount: max(0, all - visible), limit: limit,
                                 offset: offset)
    }

    /// `supplier`'s place in `view`'s roll-up when the prime may see it by name (nil when it is not in the tree or
    /// is hidden: the two are not told apart).
    public func visibleMember(_ view: RollupView, supplier: String) async throws -> RollupMemberEntry? {
        try await visibleMembers(view, suppliers: [supplier])[supplier]
    }

    /// Of `suppliers`, those in `view`'s roll-up that the prime may see by name, by id: one query per 500 ids.
    public func visibleMembers(_ view: RollupView, suppliers: [String]) async throws -> [String: RollupMemberEntry] {
        var out: [String: RollupMemberEntry] = [:]
        for chunk in suppliers.filter(storableID).inChunks(ChainReads.chunk) where !chunk.isEmpty {
            for e in try await db.sql.raw("""
                SELECT \(unsafeRaw: Self.memberEntryColumns) FROM rollup_members m JOIN organizations o ON o.id = m.supplier_id \
                WHERE m.prime_id = \(bind: view.prime) AND m.visible = 1 AND m.supplier_id IN (\(binds: chunk))
                """).all().map(Self.memberEntry) {
                out[e.organization] = e
            }
        }
        return out
    }
}
