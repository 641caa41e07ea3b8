import Foundation
import SQLKit
import TekigoCore

/// API token writes inside a caller's transaction, so the token and its audit entry commit together.
extension AccountStore {
    public func insertAPIToken(_ t: APITokenRecord, on s: any SQLDatabase) async throws {
        try await s.insert(into: "api_tokens").model(t, with: Self.snake).run()
    }

    /// Revokes a token of the organization that is not revoked yet; false when there is none.
    public func revokeAPIToken(id: String, organizationID: String, at: String, on s: any SQLDatabase) async throws -> Bool {
        let rows = try await s.update("api_tokens").set("revoked_at", to: at).where("id", .equal, id)
            .where("organization_id", .equal, organizationID).where("revoked_at", .is, SQLLiteral.null).returning("id").all()
        return !rows.isEmpty
    }
}
