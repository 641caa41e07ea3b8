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

extension AccountError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .invalidEmail(let raw): return "「\(raw)」はメールアドレスとして読めません。"
        case .missing(let field):
            switch field {
            case "displayName": return "表示名を入力してください。"
            case "organization", "name": return "組織名を入力してください。"
            default: return "\(field) を入力してください。"
            }
        case .weakPassword(let problem): return problem.message.ja
        case .emailTaken: return "このメールアドレスのアカウントは既にあります。サインインしてください。"
        case .setupLinkInvalid:
            return "このセットアップ用リンクは使用済みか期限切れです。`tekigo admin create` を実行してください。"
        case .wrongCredentials: return "メールアドレス、パスワード、またはコードが違います。"
        case .codeRequired: return "このアカウントは多要素認証を使っています。6 桁のコード（または回復コード）を送ってください。"
        case .codeMissing: return "認証アプリに表示されている 6 桁のコードを入力してください。"
        case .locked(let until): return "サインインの失敗が続いたため、ロックしています。\(until) 以降にもう一度お試しください。"
        case .rateLimited: return "このアドレスからのサインインの失敗が多すぎます。数分待ってからお試しください。"
        case .secondFactorPending: return "このアカウントは先に多要素認証を設定する必要があります（POST /api/v1/me/mfa）。"
        case .enrolmentNotStarted: return "多要素認証の登録が始まっていません。POST /api/v1/me/mfa から始めてください。"
        case .wrongEnrolmentCode: return "コードが一致しません。認証アプリの時刻を確かめ、次のコードでお試しください。"
        case .enrolmentRestarted: return "その間に登録がやり直されました（別のタブ？）。最新の鍵を読み取ってから確認してください。"
        case .sessionOnly: return "この操作は API トークンではなく、サインインしたセッションで行ってください。"
        case .notPlatformAdmin: return "組織を作成できるのはプラットフォーム管理者だけです。"
        }
    }
}
