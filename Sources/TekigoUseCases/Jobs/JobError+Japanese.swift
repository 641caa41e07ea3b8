import TekigoCore

extension JobError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .notPlatformAdmin: return "カタログを取り込めるのはプラットフォーム管理者だけです（公式文言はすべての組織に表示されるため）。"
        case .unsealable: return "ファイルをサーバーの鍵で封印できませんでした。"
        }
    }
}
