import TekigoCore

extension IncidentStoreError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. What could not be read (its kind and
    /// id, as stored) stays as written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .corruptRow(let what):
            return "保存されているインシデントのデータを読み戻せません（\(what)）。バックアップから復元するか、報告してください。"
        }
    }
}
