import TekigoCore

extension ReminderError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. The limit and the webhook id stay as
    /// written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .tooManyWebhooks(let limit):
            return "この組織の Webhook は既に上限の \(limit) 件あります。使っていないものを削除してから追加してください。"
        case .secretUnreadable(let id):
            return "Webhook \(id) の秘密鍵の封印を解けません。証跡の鍵（evidence.key 又は TEKIGO_EVIDENCE_KEY）が封印したときのものと"
                + "違うか、行が書き換えられています。Webhook を削除して追加し直してください。"
        }
    }
}
