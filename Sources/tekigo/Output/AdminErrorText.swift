import TekigoCore
import TekigoStore
import TekigoUseCases

/// What `tekigo admin` adds when a membership, invitation or account rule refuses a change, in the output language
/// (issue 17 item 6: no English in Japanese mode). The refusals themselves say their words in both languages
/// (`BilingualError.message(in:)`, shared with the API).
enum AdminErrorText {
    static func nothingChanged(_ lang: Language) -> String {
        lang == .ja ? "（何も変更していません）" : " (nothing was changed)"
    }

    static func unknownRole(_ role: String, _ lang: Language) -> String {
        let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
        return lang == .ja ? "役割 '\(role)' はありません。次のいずれかを指定してください: \(roles)。"
                           : "unknown role '\(role)'; use one of \(roles)."
    }
}
