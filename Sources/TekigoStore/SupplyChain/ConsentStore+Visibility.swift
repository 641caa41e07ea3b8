import Foundation
import SQLKit
import TekigoCore

extension ConsentStore {
    /// Whether `viewer` may see this organization's identity and attestation now: the rule `AttestationStore`
    /// applies when a customer asks for it (upstream in `supplier_links`, and `DetailVisibility` over the grants —
    /// directly, or through a grant with onward sharing). For the supplier's own pages: what each customer sees.
    public func isVisible(to viewer: String) async throws -> Bool {
        guard storableID(viewer) else { return false }
        let me = organizationID
        return try await db.withConnection { s in try await AttestationStore.mayView(supplier: me, viewer: viewer, on: s) }
    }
}
