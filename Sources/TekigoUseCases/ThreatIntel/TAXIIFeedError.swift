import Foundation
import TekigoCore

/// Why a TAXII feed cannot be subscribed, or why a pull stopped, in both languages and saying what to do. A pull's
/// error is recorded on the feed (its status) as well as returned.
public enum TAXIIFeedError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL is not an https URL of a TAXII collection (http only to this machine).
    case badURL(String)
    case badInterval(Int)
    /// The credentials do not match the kind of authentication asked for.
    case badCredentials(String)
    case unknownFeed(String)
    /// The feed's password or token does not open under the evidence key.
    case secretUnreadable
    /// The outside server answered with an HTTP status other than 200, with its TAXII error's title and description.
    case httpStatus(Int, detail: String)
    /// No answer, a refused connection, TLS, a redirect (never followed).
    case transport(String)
    /// The answer is not a TAXII envelope.
    case notAnEnvelope(String)
    /// A page holds an object the STIX or sharing rules refuse: nothing of that page was stored.
    case refusedObject(LocalizedText)
    /// The local collection is no longer writable by the organization (its access changed).
    case local(LocalizedText)
    /// The URL's host is, or resolves to, an address feeds may not reach (the server's `WebhookAddressPolicy`, the
    /// one rule for every outbound request: private, link-local, reserved); the policy's reason.
    case addressRefused(String)
    /// The caller's role may not do this: owners and administrators change feeds; the other members read them;
    /// an external auditor sees none.
    case notAllowed(change: Bool)
    /// Another pull of the feed is running (scheduled, or asked for elsewhere): this one did not start.
    case pullInProgress(String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .badURL(let why):
            return LocalizedText(en: "The feed URL cannot be used: \(why). Give the outside collection's full URL, https://…/{api-root}/collections/{id}/ (http only to this machine).",
                                 ja: "フィードの URL が使えません：\(why)。外部コレクションの完全な URL（https://…/{API ルート}/collections/{ID}/、http はこのマシン宛てのみ）を指定してください。")
        case .badInterval(let n):
            return LocalizedText(en: "The interval \(n) is out of range; give 5 to 10080 minutes (a week).",
                                 ja: "取得間隔 \(n) は範囲外です。5〜10080 分（1 週間）で指定してください。")
        case .badCredentials(let why):
            return LocalizedText(en: "The credentials do not fit: \(why). Give --user with --password-env for HTTP Basic, --token-env for a bearer token, or neither.",
                                 ja: "認証情報が合いません：\(why)。HTTP Basic には --user と --password-env、ベアラートークンには --token-env を指定するか、どちらも指定しないでください。")
        case .unknownFeed(let id):
            return LocalizedText(en: "Your organization has no TAXII feed '\(id)'; `tekigo taxii feeds --org …` lists them.",
                                 ja: "あなたの組織に TAXII フィード「\(id)」はありません。`tekigo taxii feeds --org …` で確認してください。")
        case .secretUnreadable:
            return LocalizedText(en: "The feed's password or token cannot be unsealed: the evidence key is not the one it was sealed with. Subscribe the feed again.",
                                 ja: "フィードのパスワード又はトークンを復号できません（証跡鍵が登録時と異なります）。フィードを登録し直してください。")
        case .httpStatus(let status, let detail):
            let extra = detail.isEmpty ? "" : " (\(detail))"
            return LocalizedText(en: "The outside server answered HTTP \(status)\(extra); nothing more was stored. Check the URL and the credentials with its operator; the next pull resumes where this one stopped.",
                                 ja: "外部サーバーが HTTP \(status) を返しました\(extra)。これ以上は保存していません。URL と認証情報を先方の運用者に確認してください。次回の取得はここから再開します。")
        case .transport(let why):
            return LocalizedText(en: "The outside server could not be reached: \(why). The next pull resumes where this one stopped.",
                                 ja: "外部サーバーに接続できません：\(why)。次回の取得はここから再開します。")
        case .notAnEnvelope(let why):
            return LocalizedText(en: "The outside server's answer is not a TAXII 2.1 envelope: \(why). Nothing of that page was stored.",
                                 ja: "外部サーバーの応答が TAXII 2.1 のエンベロープではありません：\(why)。そのページは何も保存していません。")
        case .refusedObject(let why):
            return LocalizedText(en: "A page from the outside server was refused: \(why.en) The resume point stays at the last page stored, so a later pull retries it.",
                                 ja: "外部サーバーからのページを受け付けませんでした：\(why.ja) 再開位置は最後に保存したページのままなので、次回の取得で再試行します。")
        case .local(let why):
            return LocalizedText(en: "The local collection cannot take the feed: \(why.en)", ja: "ローカルのコレクションにフィードを取り込めません：\(why.ja)")
        case .addressRefused(let why):
            return LocalizedText(en: "The feed URL may not be reached: \(why). Feeds follow the webhooks' address rule (tekigo taxii takes --allow-network for a range).",
                                 ja: "フィードの URL には接続できません（\(why)）。フィードは Webhook と同じく、サーバー運用者が範囲を許可しない限り（tekigo serve --webhook-allow-network、tekigo taxii では --allow-network）公開アドレスとこのマシンにだけ接続します。")
        case .notAllowed(let change):
            return change
                ? LocalizedText(en: "Only an owner or an administrator can subscribe, pull, change or delete the organization's TAXII feeds.",
                                ja: "組織の TAXII フィードの登録・取得・変更・削除は所有者又は管理者のみが行えます。")
                : LocalizedText(en: "An external auditor does not see the organization's TAXII feeds (shared intelligence stays with the organization's people).",
                                ja: "外部監査人は組織の TAXII フィードを閲覧できません（共有された脅威情報は組織の人員に限られます）。")
        case .pullInProgress(let id):
            return LocalizedText(en: "Feed \(id) is being pulled already (scheduled, or asked for by someone else); its run appears in the history when it ends.",
                                 ja: "フィード \(id) は既に取得中です（定期取得、又は他の人の操作）。終わると履歴に表示されます。")
        }
    }
}
