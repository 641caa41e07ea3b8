import Foundation
import TekigoCore

extension WebhookError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`. The URL form's reasons
    /// (`ReminderUseCases.validatedURL`) and the address check's (the server's `WebhookAddressPolicy`) are translated
    /// here; hosts, addresses, ranges and options stay as written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .invalidURL(let why):
            return "Webhook の URL は受け付けられません（\(Self.japaneseReason(why))）。https:// の URL を、利用者名やパスワードを"
                + "含めずに指定してください（http:// はこのマシン（127.0.0.1、::1、localhost）宛てのみ）。"
        case .addressRefused(let message):
            let prefix = "the webhook URL is not acceptable: "
            let reason = message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
            return "Webhook の URL は受け付けられません: \(Self.japaneseReason(reason))。"
        case .notAllowed(.manageSuppliers):
            return "組織のリマインダーを対応不要にできるのは所有者又は管理者だけです。"
        case .notAllowed:
            return "組織の Webhook を管理できるのは所有者又は管理者だけです。"
        }
    }

    /// Why a URL or its address is refused, in Japanese. A reason not written by Tekigo (the resolver's own words) is
    /// kept inside the Japanese sentence.
    static func japaneseReason(_ why: String) -> String {
        let fixed = ["it is empty": "空です", "it is not a URL": "URL の形になっていません", "it has no host": "ホスト名がありません",
                     "it holds a user name or password": "利用者名かパスワードが含まれています",
                     "it has a fragment (#…)": "フラグメント（#…）が含まれています",
                     "http:// is allowed only to this machine; use https://": "http:// はこのマシン宛てにだけ使えます。https:// を使ってください",
                     "the host name resolves to no address": "ホスト名に対応するアドレスがありません"]
        if let f = fixed[why] { return f }
        if why.hasPrefix("it is longer than "), why.hasSuffix(" bytes") {
            return "\(why.dropFirst("it is longer than ".count).dropLast(" bytes".count)) バイトを超えています"
        }
        if why.hasPrefix("the scheme '"), why.hasSuffix("' is not https") {
            return "スキーム '\(why.dropFirst("the scheme '".count).dropLast("' is not https".count))' は https ではありません"
        }
        if why.hasPrefix("the host name does not resolve ("), why.hasSuffix(")") {
            return "ホスト名を名前解決できません（\(why.dropFirst("the host name does not resolve (".count).dropLast())）"
        }
        if why.hasPrefix("http:// goes only to this machine, and "), why.hasSuffix("; use https://"),
           let r = why.range(of: " is ", options: .backwards) {
            let host = why[why.index(why.startIndex, offsetBy: "http:// goes only to this machine, and ".count)..<r.lowerBound]
            let address = why[r.upperBound...].dropLast("; use https://".count)
            return "http:// はこのマシン宛てにだけ使えますが、\(host) は \(address) です。https:// を使ってください"
        }
        let privateMarker = " is a private, link-local or reserved address; webhooks go only to public addresses unless the "
            + "server's operator allows the range ("
        if let r = why.range(of: privateMarker), why.hasSuffix(")") {
            let subject = why[..<r.lowerBound]
            let option = why[r.upperBound...].dropLast()
            let resolves = "it resolves to ", which = ", which"
            let whose = subject.hasPrefix(resolves) && subject.hasSuffix(which)
                ? "名前解決した先の \(subject.dropFirst(resolves.count).dropLast(which.count)) は"
                : "このアドレスは"
            return "\(whose)プライベート、リンクローカル又は予約済みのアドレスです。Webhook は、サーバーの運用者がその範囲を許可しない限り"
                + "（\(option)）、公開アドレスにだけ送ります"
        }
        return "（\(why)）"
    }
}
