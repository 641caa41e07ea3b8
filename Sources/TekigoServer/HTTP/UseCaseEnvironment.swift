import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

extension Services {
    /// What the account use cases work with, from the server's parts.
    var accountEnvironment: AccountEnvironment {
        AccountEnvironment(db: db, accounts: accounts, clock: SystemClock(), sessionLifetime: config.absoluteTimeout)
    }
}

extension AccountError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .locked(let until): return .locked(until: until)
        case .rateLimited: return .rateLimited
        case .secondFactorPending: return .mfaRequired
        case .emailTaken, .enrolmentRestarted: return .conflict(description)
        case .setupLinkInvalid, .sessionOnly: return .forbidden(description)
        default: return .invalid(field: field, message: description)
        }
    }
}

extension TokenError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notFound(let id): return .notFound("Token \(id)")
        case .sessionOnly: return .forbidden(description)
        default: return .invalid(field: field, message: description)
        }
    }
}
