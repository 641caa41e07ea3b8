import TekigoCore

extension CatalogTextRefused: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. The Japanese is worded where the store
    /// refuses (it knows the file, the mapping or the element), with the same names and ids.
    public func message(in language: Language) -> String {
        language == .ja ? ja : description
    }
}
