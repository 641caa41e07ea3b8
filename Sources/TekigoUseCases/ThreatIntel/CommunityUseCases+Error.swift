import TekigoCore
import TekigoStore

/// Why a community action of an organization's person was refused, in both languages, saying what to do. Nothing is
/// changed when one is thrown.
public enum CommunityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The person's role in their organization may only read (changes take an owner or administrator).
    case roleMayNotChange(Role)
    /// An external auditor does not see the organization's sharing communities.
    case roleMayNotRead(Role)
    /// The caller's organization is not a member of a community with this slug (or none exists: not told apart).
    case unknownCommunity(String)
    /// The action is the community administrators' and the caller's organization is a member only.
    case notAdministrator(String)
    case unknownInvitation(String)
    /// The invitation was accepted, declined or withdrawn already.
    case invitationNotPending(CommunityInvitationStatus)
    /// The organization is not among the caller's suppliers (or the deeper tiers it may see by name).
    case notACandidate(String)
    /// No organization has this id (ISAC invitation by id).
    case unknownOrganization(String)
    case alreadyMember(String)
    case invitationPending(String)
    /// The organization is not a member of the community.
    case unknownMember(String)
    /// The last administrator cannot leave, be removed or become a member only.
    case lastAdministrator
    case unknownCollection(String)
    case badName
    case badSlug(String)
    case slugTaken(String)
    case badTitle
    case aliasTaken(String)

    /// The HTTP status the JSON API answers with.
    public var httpStatus: Int {
        switch self {
        case .roleMayNotChange, .roleMayNotRead, .notAdministrator: return 403
        case .unknownCommunity, .unknownInvitation, .unknownOrganization, .unknownMember, .unknownCollection: return 404
        case .invitationNotPending, .alreadyMember, .invitationPending, .lastAdministrator, .slugTaken, .aliasTaken: return 409
        case .notACandidate, .badName, .badSlug, .badTitle: return 422
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .roleMayNotChange(let role):
            return LocalizedText(en: "Your role (\(role.rawValue)) may see your organization's sharing communities but not change them; ask an owner or administrator of your organization.",
                                 ja: "あなたの役割（\(role.label.ja)）では共有コミュニティを閲覧できますが、変更はできません。組織の所有者又は管理者に依頼してください。")
        case .roleMayNotRead(let role):
            return LocalizedText(en: "Your role (\(role.rawValue)) does not see the organization's sharing communities: they are for its own people.",
                                 ja: "あなたの役割（\(role.label.ja)）では組織の共有コミュニティを閲覧できません（組織内のメンバーのみが対象です）。")
        case .unknownCommunity(let c):
            return LocalizedText(en: "Your organization is not a member of a sharing community '\(c)'; the communities page lists those it belongs to.",
                                 ja: "あなたの組織は共有コミュニティ「\(c)」に参加していません。参加中のコミュニティはコミュニティの一覧で確認してください。")
        case .notAdministrator(let c):
            return LocalizedText(en: "Only the administrators of '\(c)' may do this; your organization is a member there. Ask one of its administrators.",
                                 ja: "この操作は「\(c)」の管理者だけが行えます。あなたの組織は参加組織です。コミュニティの管理者に依頼してください。")
        case .unknownInvitation(let i):
            return LocalizedText(en: "There is no invitation '\(i)' for your organization; the communities page lists its pending invitations.",
                                 ja: "あなたの組織宛ての招待「\(i)」はありません。保留中の招待はコミュニティの一覧で確認してください。")
        case .invitationNotPending(let status):
            let (en, ja): (String, String) = switch status {
            case .pending: ("pending", "保留中")
            case .accepted: ("accepted", "承諾済み")
            case .declined: ("declined", "辞退済み")
            case .withdrawn: ("withdrawn by the community", "コミュニティにより取消し済み")
            }
            return LocalizedText(en: "This invitation is \(en) already and cannot be answered again; a community administrator may send a new one.",
                                 ja: "この招待は既に\(ja)のため、回答できません。必要ならコミュニティの管理者に改めて招待を依頼してください。")
        case .notACandidate(let o):
            return LocalizedText(en: "Organization \(o) is not one of your suppliers (or a deeper-tier supplier you may see by name): a supply-chain community is drawn from your supply chain only.",
                                 ja: "組織 \(o) はあなたのサプライヤー（又は名前を確認できる下位のサプライヤー）ではありません。サプライチェーン・コミュニティには自組織のサプライチェーンからのみ招待できます。")
        case .unknownOrganization(let o):
            return LocalizedText(en: "There is no organization with the id '\(o)'; ask the organization for its id (shown on its settings page).",
                                 ja: "ID「\(o)」の組織はありません。招待する組織に ID（組織の設定画面に表示）を確認してください。")
        case .alreadyMember(let o):
            return LocalizedText(en: "Organization \(o) is a member of this community already.",
                                 ja: "組織 \(o) は既にこのコミュニティに参加しています。")
        case .invitationPending(let o):
            return LocalizedText(en: "Organization \(o) has a pending invitation to this community already; wait for its answer or withdraw it.",
                                 ja: "組織 \(o) には既にこのコミュニティへの招待が保留中です。回答を待つか、招待を取り消してください。")
        case .unknownMember(let o):
            return LocalizedText(en: "Organization \(o) is not a member of this community.",
                                 ja: "組織 \(o) はこのコミュニティに参加していません。")
        case .lastAdministrator:
            return LocalizedText(en: "This is the community's last administrator: it cannot leave, be removed or become a member only. Make another member an administrator first.",
                                 ja: "このコミュニティの最後の管理者のため、脱退・削除・参加組織への変更はできません。先に他の参加組織を管理者にしてください。")
        case .unknownCollection(let c):
            return LocalizedText(en: "The community has no collection '\(c)'; its page lists the collections.",
                                 ja: "このコミュニティにコレクション「\(c)」はありません。コミュニティのページで確認してください。")
        case .badName:
            return LocalizedText(en: "The community needs a name of 1–200 characters.", ja: "コミュニティの名前を 1～200 文字で入力してください。")
        case .badSlug(let s):
            return LocalizedText(en: "'\(s)' cannot be a community's short name: use 3–63 characters of a–z, 0–9 and '-', starting with a letter (it becomes the TAXII API root /taxii2/<short name>/), or leave it empty.",
                                 ja: "「\(s)」はコミュニティの識別名に使えません。英小文字で始まる a–z・0–9・「-」の 3～63 文字にするか、空欄にしてください（TAXII の API ルート /taxii2/<識別名>/ になります）。")
        case .slugTaken(let s):
            return LocalizedText(en: "A sharing community with the short name '\(s)' exists already; choose another or leave it empty.",
                                 ja: "識別名「\(s)」の共有コミュニティは既にあります。別の識別名にするか、空欄にしてください。")
        case .badTitle:
            return LocalizedText(en: "The collection needs a title of 1–200 characters.", ja: "コレクションの題名を 1～200 文字で入力してください。")
        case .aliasTaken(let a):
            return LocalizedText(en: "The community has a collection with the alias '\(a)' already; choose another or none.",
                                 ja: "このコミュニティには別名「\(a)」のコレクションが既にあります。別の別名にするか、空欄にしてください。")
        }
    }
}
