import Foundation
import TekigoCore
import TekigoStore

extension RollupUseCases {
    /// One page of the suppliers in `view` the prime may see by name, of one tier and one status when given (the
    /// roll-up page's table); the others matching the filter are counted.
    public func members(_ view: RollupView, tier: Int?, status: SupplierStatusKind?, limit: Int, offset: Int) async throws
        -> RollupMembersPage {
        try await store.members(view, tier: tier, status: status, limit: limit, offset: offset)
    }

    /// `supplier`'s place in `view` when the prime may see it by name; nil when it is hidden or not in the tree.
    public func visibleMember(_ view: RollupView, supplier: String) async throws -> RollupMemberEntry? {
        try await store.visibleMember(view, supplier: supplier)
    }

    /// Of `suppliers` (e.g. the organization's direct ones), those the prime may see by name in `view`, by id.
    public func visibleMembers(_ view: RollupView, suppliers: [String]) async throws -> [String: RollupMemberEntry] {
        try await store.visibleMembers(view, suppliers: suppliers)
    }
}
