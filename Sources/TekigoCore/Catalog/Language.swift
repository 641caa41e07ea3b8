/// The two languages Tekigo speaks. Japanese first, English alongside.
public enum Language: String, Sendable, Codable, CaseIterable {
    case ja
    case en

    /// Picks a language from a POSIX locale string such as `ja_JP.UTF-8` or `en_US`; English when unknown.
    public init(localeIdentifier: String?) {
        guard let id = localeIdentifier?.lowercased(), !id.isEmpty else { self = .en; return }
        self = id.hasPrefix("ja") ? .ja : .en
    }
}

/// A short text we wrote ourselves in both languages.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var en: String
    public var ja: String

    public init(en: String, ja: String) {
        self.en = en
        self.ja = ja
    }

    /// Same text in both languages (ids, names without translation).
    public init(_ both: String) {
        self.en = both
        self.ja = both
    }

    public subscript(_ language: Language) -> String {
        switch language {
        case .en: return en
        case .ja: return ja.isEmpty ? en : ja
        }
    }
}

/// A refusal a person reads, worded in both languages: the API says it in the request's language, the CLI in its
/// own (issue 17 item 6). `description` stays the English one.
public protocol BilingualError: Error {
    func message(in language: Language) -> String
}
