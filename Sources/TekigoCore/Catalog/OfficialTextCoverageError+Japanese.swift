extension OfficialTextCoverageError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. The catalog id and the first missing
    /// entry ids stay as written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .incomplete(let catalog, let missing, let total):
            let shown = missing.prefix(8).joined(separator: "、") + (missing.count > 8 ? "、…" : "")
            return "このファイルには、組み込みカタログ \(catalog.rawValue) の \(total) 項目のうち \(missing.count) 項目の文言がありません"
                + "（\(shown)）。何も取り込んでいません。発行元の完全なカタログ（NIST の場合は公開されている OSCAL カタログのファイル）を"
                + "取り込むか、自作のファイルは別の ID の独自カタログとして取り込んでください。"
        }
    }
}
