import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

extension Services {
    /// Reminders and webhooks as the use-case layer changes them; new webhooks' hosts are checked against the
    /// server's `WebhookAddressPolicy` (`tekigo serve --webhook-allow-network`).
    func reminderUseCases(_ m: Membership) -> ReminderUseCases {
        let policy = config.webhookAddresses
        return ReminderUseCases(tenantEnvironment, m.scope, addressCheck: { try await policy.check($0) })
    }

    /// The POA&M as the use-case layer changes it.
    func poamUseCases(_ m: Membership) -> POAMUseCases { POAMUseCases(tenantEnvironment, m.scope) }
}

extension WebhookError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .invalidURL, .addressRefused: return .invalid(field: field, message: description)
        case .notAllowed: return .forbidden(description)
        }
    }
}

extension ReminderError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .tooManyWebhooks: return .conflict(description)
        // The server's evidence key, not the client's doing.
        case .secretUnreadable: return nil
        }
    }
}

extension POAMError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .unknownRequirement(let id, _): return .notFound("Requirement \(id)")
        case .notAllowed: return .forbidden(description)
        case .invalid: return .invalid(field: field, message: description)
        }
    }
}
