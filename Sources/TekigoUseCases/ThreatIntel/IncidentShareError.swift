import TekigoCore

/// Why sharing from an incident was refused (issue 14 item 5), in both languages; nothing was written when one is
/// thrown (an observable, a share, a finding).
public enum IncidentShareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value is none of the kinds an observable may be.
    case unrecognizedValue(String)
    case noteTooLong(limit: Int)
    case tooManyObservables(limit: Int)
    case unknownObservable(String)
    /// The TLP is not one of TLP 2.0's five.
    case unknownTLP(String)
    /// No collection the organization may write has this id (or it does not exist: not told apart).
    case unknownCollection(String)
    /// The preview's instant is not one a preview made (malformed, in the future, or older than the limit).
    case stalePreview(maxMinutes: Int)
    /// The bundle computed now differs from the one previewed: nothing leaves.
    case digestMismatch
    /// The sharing hub refused the publish (a marking rule, the collection's access); the reason names the rule.
    case publishRefused(LocalizedText)
    case unknownShare(String)
    /// The share went to a community that is not an authority for the organization: it is no reporting evidence.
    case notAnAuthority
    case unknownAssessment(String)
    case unsupportedCatalog(String)
    case objectiveNotOffered(String)
    case nothingConfirmed

    public var description: String { text.en }

    public var field: String? {
        switch self {
        case .unrecognizedValue, .tooManyObservables: return "value"
        case .noteTooLong: return "note"
        case .unknownObservable: return "observables"
        case .unknownTLP: return "tlp"
        case .unknownCollection: return "collection"
        case .stalePreview: return "preparedAt"
        case .digestMismatch: return "digest"
        case .unknownAssessment, .unsupportedCatalog: return "assessment"
        case .objectiveNotOffered, .nothingConfirmed: return "objectives"
        case .publishRefused, .unknownShare, .notAnAuthority: return nil
        }
    }

    /// Refusals a caller could not have avoided by typing something else: the resource is missing.
    public var isNotFound: Bool {
        switch self {
        case .unknownShare, .unknownObservable: return true
        default: return false
        }
    }

    public var text: LocalizedText {
        switch self {
        case .unrecognizedValue(let v):
            return LocalizedText(en: "'\(v)' is not an IPv4 or IPv6 address, a domain name, a URL (http, https, ftp), an e-mail address, an MD5, SHA-1 or SHA-256 hash or a CVE id (CVE-2024-12345); enter one value per observable.",
                                 ja: "「\(v)」は IPv4/IPv6 アドレス、ドメイン名、URL（http・https・ftp）、メールアドレス、MD5・SHA-1・SHA-256 ハッシュ、CVE 番号（CVE-2024-12345）のいずれでもありません。観測値は 1 件ずつ入力してください。")
        case .noteTooLong(let limit):
            return LocalizedText(en: "The note is longer than \(limit) characters; shorten it (it is never shared).",
                                 ja: "メモが \(limit) 文字を超えています。短くしてください（メモは共有されません）。")
        case .tooManyObservables(let limit):
            return LocalizedText(en: "An incident holds at most \(limit) observables; remove ones no longer needed first.",
                                 ja: "1 件のインシデントに記録できる観測値は \(limit) 件までです。不要なものを先に削除してください。")
        case .unknownObservable(let id):
            return LocalizedText(en: "This incident has no observable '\(id)'; reload the page and tick among those listed.",
                                 ja: "このインシデントに観測値「\(id)」はありません。ページを再読み込みし、一覧から選んでください。")
        case .unknownTLP(let v):
            return LocalizedText(en: "TLP '\(v)' is not a TLP 2.0 level; choose clear, green, amber, amber+strict or red.",
                                 ja: "TLP「\(v)」は TLP 2.0 の区分ではありません。clear、green、amber、amber+strict、red から選んでください。")
        case .unknownCollection(let id):
            return LocalizedText(en: "Your organization may not add to collection '\(id)' (or it does not exist); choose one of the collections listed, or ask the community's administrators for write access.",
                                 ja: "コレクション「\(id)」には追加できません（または存在しません）。一覧のコレクションを選ぶか、コミュニティの管理者に書込み権限を依頼してください。")
        case .stalePreview(let minutes):
            return LocalizedText(en: "The preview is missing, malformed or older than \(minutes) minutes; preview again, check what leaves, then publish.",
                                 ja: "プレビューがないか、形式が正しくないか、\(minutes) 分以上前のものです。もう一度プレビューし、送信内容を確認してから公開してください。")
        case .digestMismatch:
            return LocalizedText(en: "What would be published now differs from what you previewed (the incident, its observables or the choices changed); nothing was published. Preview again and check what leaves.",
                                 ja: "現在公開される内容がプレビューした内容と異なります（インシデント・観測値・選択が変更されました）。何も公開していません。もう一度プレビューして送信内容を確認してください。")
        case .publishRefused(let reason):
            return LocalizedText(en: "The sharing rules refused the publish; nothing was published: \(reason.en)",
                                 ja: "共有ルールにより公開できませんでした。何も公開していません：\(reason.ja)")
        case .unknownShare(let id):
            return LocalizedText(en: "This incident has no share '\(id)'.", ja: "このインシデントに共有「\(id)」はありません。")
        case .notAnAuthority:
            return LocalizedText(en: "This share went to a community that is not an authority for your organization (an ISAC, or a supply-chain community a customer of yours administers), so it is not reporting evidence.",
                                 ja: "この共有先は自組織にとっての報告先（ISAC、または顧客が管理するサプライチェーン・コミュニティ）ではないため、報告の証跡になりません。")
        case .unknownAssessment(let id):
            return LocalizedText(en: "There is no assessment '\(id)' in your organization; choose one from the list.",
                                 ja: "アセスメント「\(id)」は自組織にありません。一覧から選んでください。")
        case .unsupportedCatalog(let c):
            return LocalizedText(en: "An assessment of '\(c)' has no 3.6.2 objectives; choose an SP 800-171 rev2 or rev3 assessment.",
                                 ja: "「\(c)」のアセスメントには 3.6.2 の評価目標がありません。SP 800-171 rev2 または rev3 のアセスメントを選んでください。")
        case .objectiveNotOffered(let o):
            return LocalizedText(en: "Objective '\(o)' is not among those offered for this share; tick only those listed.",
                                 ja: "評価目標「\(o)」はこの共有で提示されたものではありません。一覧のものだけを選んでください。")
        case .nothingConfirmed:
            return LocalizedText(en: "Tick at least one objective to record the share as its evidence.",
                                 ja: "証跡として記録する評価目標を 1 つ以上選んでください。")
        }
    }
}
