import TekigoCore

/// Why an account operation was refused. Each case says what to do; the routes, the pages and the command line turn it
/// into their own form (a JSON error, a message beside a field, a line on standard error).
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidEmail(String)
    case missing(field: String)
    case weakPassword(PasswordProblem)
    case emailTaken
    case setupLinkInvalid
    /// The e-mail address, password or code is wrong (never says which).
    case wrongCredentials
    /// The account uses MFA and the request carried no code.
    case codeRequired
    case codeMissing
    case locked(until: String)
    case rateLimited
    /// The session has not passed its second factor yet.
    case secondFactorPending
    case enrolmentNotStarted
    case wrongEnrolmentCode
    case enrolmentRestarted
    case sessionOnly
    case notPlatformAdmin

    public var description: String {
        switch self {
        case .invalidEmail(let raw): return "'\(raw)' is not an e-mail address."
        case .missing(let field):
            switch field {
            case "displayName": return "Give a display name."
            case "organization", "name": return "Name the organization."
            default: return "Fill in \(field)."
            }
        case .weakPassword(let problem): return problem.message.en
        case .emailTaken: return "An account with this e-mail address exists already; sign in instead."
        case .setupLinkInvalid:
            return "This setup link is not valid: it was used already or has expired. Run `tekigo admin create`."
        case .wrongCredentials: return "The e-mail address, password or code is wrong."
        case .codeRequired: return "This account uses multifactor authentication: send the 6-digit code (or a recovery code)."
        case .codeMissing: return "Enter the 6-digit code from the authenticator app."
        case .locked(let until): return "Too many failed sign-ins. Try again after \(until)."
        case .rateLimited: return "Too many failed sign-ins from this address. Wait a few minutes."
        case .secondFactorPending: return "This account must complete multifactor authentication first (POST /api/v1/me/mfa)."
        case .enrolmentNotStarted: return "No enrolment is under way: start with POST /api/v1/me/mfa."
        case .wrongEnrolmentCode: return "The code does not match; check the authenticator's clock and try the next code."
        case .enrolmentRestarted: return "Enrolment was started again meanwhile (another tab?): scan the newest key and confirm it."
        case .sessionOnly: return "Use a signed-in session for this, not an API token."
        case .notPlatformAdmin: return "Only a platform administrator can create organizations."
        }
    }

    /// The input field the error is about, when there is one.
    public var field: String? {
        switch self {
        case .invalidEmail: return "email"
        case .missing(let f): return f
        case .weakPassword: return "password"
        case .codeRequired, .codeMissing, .wrongEnrolmentCode: return "code"
        default: return nil
        }
    }
}
