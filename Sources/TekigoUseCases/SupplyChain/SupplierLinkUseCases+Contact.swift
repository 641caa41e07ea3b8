import Foundation
import TekigoCore
import TekigoStore

extension SupplierLinkUseCases {
    /// Invites a supplier through its contact's e-mail address (checked as an account's address is: `invalidEmail`),
    /// kept at the start of the invitation's note with the customer's own note after it, so the open invitations say
    /// whom each was for. Otherwise `invite(note:expiresInDays:)`: the token is returned once.
    public func invite(contactEmail: String, note: String?, expiresInDays: Int?) async throws
        -> (token: String, record: SupplierInvitationRecord) {
        let email = try AccountUseCases.normalizedEmail(contactEmail)
        let rest = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try await invite(note: rest.isEmpty ? email : "\(email) — \(rest)", expiresInDays: expiresInDays)
    }
}
