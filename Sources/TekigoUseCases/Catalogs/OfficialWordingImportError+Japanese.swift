import TekigoCore

extension OfficialWordingImportError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. The file name, the catalog id, the
    /// numbers and the first missing requirement ids stay as written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .partialWithoutEarlierImport(let catalog, let file, let covered, let missing, let total):
            let shown = missing.prefix(6).joined(separator: "、") + (missing.count > 6 ? "、…" : "")
            return "\(file) には \(catalog.rawValue) の \(total) 件の要件のうち \(covered) 件の文言しかなく、\(missing.count) 件がありません"
                + "（\(shown)）。何も取り込んでいません。一部だけのファイルは、先に取り込んだ完全なものに統合されます。"
                + "先に NIST の完全なファイル（OSCAL カタログ、又は CPRT の全体のエクスポート）を取り込み、そのあとでこのファイルを取り込んでください。"
        }
    }
}
