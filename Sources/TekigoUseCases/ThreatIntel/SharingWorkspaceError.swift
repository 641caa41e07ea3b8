import TekigoCore
import TekigoSTIX

/// Why the sharing workspace (issue 14 item 6) refused, in both languages, each saying what to do. Refusals about
/// collections and objects are `ThreatIntelError`'s (the same as TAXII's: not found is never told apart from not
/// allowed); these are the workspace's own.
public enum SharingWorkspaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was typed is not a value the search understands.
    case notUnderstood(String)
    /// A sighting's TLP is less restrictive than the object's.
    case sightingTLPTooLow(object: TLPMarking, chosen: TLPMarking)
    /// A sighting's count or times are out of range.
    case badSighting(LocalizedText)
    /// A feed's `before` is not a value this server handed out.
    case badCursor(String)

    public var description: String { text.en }

    public var httpStatus: Int { 400 }

    public var text: LocalizedText {
        switch self {
        case .notUnderstood(let typed):
            return LocalizedText(
                en: "'\(typed)' is not a value the search knows; type an IP address (198.51.100.7), a domain (example.com), a file hash (MD5, SHA-1, SHA-256 or SHA-512 in hex), a CVE id (CVE-2024-3094), a URL (https://…) or an e-mail address.",
                ja: "「\(typed)」は検索できる値として読めません。IP アドレス（198.51.100.7）、ドメイン（example.com）、ファイルハッシュ（MD5・SHA-1・SHA-256・SHA-512 の 16 進）、CVE 番号（CVE-2024-3094）、URL（https://…）、メールアドレスのいずれかを入力してください。")
        case .sightingTLPTooLow(let object, let chosen):
            return LocalizedText(
                en: "A sighting cannot be marked \(chosen.name): the object is \(object.name), and what is said about it may not reach more people than the object itself. Choose \(object.name) or a more restrictive level. Nothing was published.",
                ja: "目撃情報を \(chosen.name) にはできません。対象のオブジェクトは \(object.name) であり、それについての情報を元のオブジェクトより広く共有することはできません。\(object.name) 以上に制限の強いレベルを選んでください。何も公開していません。")
        case .badSighting(let why):
            return LocalizedText(en: "The sighting cannot be published: \(why.en). Nothing was published.",
                                 ja: "目撃情報を公開できません：\(why.ja)。何も公開していません。")
        case .badCursor(let c):
            return LocalizedText(en: "'\(c)' is not a page of this feed; start again from the newest.",
                                 ja: "「\(c)」はこのフィードのページではありません。最新から表示し直してください。")
        }
    }
}
