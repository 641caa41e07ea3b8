import TekigoCore

extension OrganizationError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. An organization that is gone is
    /// "not found" in both, as the API answers it (404).
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .unknownTimeZone(let raw):
            return "'\(raw)' はタイムゾーンではありません。Asia/Tokyo、UTC、America/New_York のような IANA の名前で指定してください。"
        case .notAllowed: return "組織の設定を変更できるのは所有者又は管理者だけです。"
        case .organizationGone: return "組織が見つかりません。"
        }
    }
}
