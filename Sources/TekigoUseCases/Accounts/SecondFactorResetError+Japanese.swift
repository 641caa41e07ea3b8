import TekigoCore

extension SecondFactorResetError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. Someone who is not a member is "not
    /// found" (the API's 404), with nothing more said about them.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .ownAccount: return "自分の認証アプリはリセットできません。代わりに、設定から新しい認証アプリを登録してください。"
        case .notAMember: return "この組織のメンバーに、その人は見つかりません。"
        case .notAllowed: return "メンバーの認証アプリをリセットできるのは所有者と管理者だけです。"
        case .onlyOwnerResetsOwner: return "所有者の認証アプリをリセットできるのは所有者だけです。"
        case .platformAdministrator:
            return "このアカウントはプラットフォームを管理しています。認証アプリのリセットはサーバーで運用者が行います（`tekigo admin reset-mfa`）。"
        case .memberElsewhere:
            return "この人はほかの組織にも所属しています。認証アプリのリセットはサーバーで運用者が行います（`tekigo admin reset-mfa`）。"
        }
    }
}
