import TekigoCore

/// A catalog lookup's refusal (an unknown catalog or id) in the output language (issue 17 item 6: no English in
/// Japanese mode); `LibraryError.description` is the English.
enum LibraryErrorText {
    static func text(_ e: LibraryError, _ lang: Language) -> String {
        guard lang == .ja else { return e.description }
        switch e {
        case .unknownCatalog(let id, let known):
            return "カタログ '\(id)' はありません。使えるカタログ: \(known.joined(separator: ", "))。"
        case .unknownID(let id, let suggestions):
            let hint = suggestions.isEmpty
                ? "`tekigo catalog list` で ID を確認してください。"
                : "\(suggestions.map { "'\($0)'" }.joined(separator: ", ")) のことですか?"
            return "ID '\(id)' はありません。\(hint)"
        }
    }
}
