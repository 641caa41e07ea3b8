import Foundation
import TekigoCore
import TekigoStore

extension CommunityAdminUseCases {
    /// Every invitation of the community, newest first (the operator's view: `tekigo community invitations`).
    /// Accepting or declining stays the invited organization's own act, in the browser or the JSON API.
    public func invitations(community slug: String) async throws -> [CommunityInvitation] {
        let c = try await community(slug)
        return try await CommunityInvitationStore(env.db).invitations(in: c.id)
    }
}
