import Foundation
import TekigoCore

/// What the sharing policy decided, with the rule that decided it: an allowed reason worth an audit entry, or the
/// rule a refusal rests on.
public enum SharingDecision: Sendable, Hashable {
    case allowed(SharingPermission)
    case refused(SharingRule)

    public var isAllowed: Bool {
        if case .allowed = self { return true } else { return false }
    }

    /// The refusal's rule; nil when allowed.
    public var refusal: SharingRule? {
        if case .refused(let rule) = self { return rule } else { return nil }
    }

    /// Why, naming the rule, in both languages.
    public var reason: LocalizedText {
        switch self {
        case .allowed(let permission): return permission.text
        case .refused(let rule): return rule.text
        }
    }
}

/// Why an object may be served or published (TLP 2.0, FIRST; issue 14 item 4).
public enum SharingPermission: Sendable, Hashable {
    /// Serving: the viewer reads the collection, and the marking lets every reader have it.
    case collectionReader(TLPMarking)
    /// Serving TLP:RED to a person named as a recipient.
    case namedRecipient
    /// Serving TLP:RED to the person who published it.
    case publishingPerson
    /// Publishing what the publisher wrote itself, marked as it chose.
    case originalPublication(TLPMarking)
    /// Re-publishing TLP:CLEAR: no limit on disclosure.
    case republishClear
    /// Re-publishing TLP:GREEN into a community (never public).
    case republishGreenWithinCommunity
    /// Re-publishing TLP:AMBER to the recipient's own organization and its clients only.
    case republishAmberToOrganizationAndClients

    public var text: LocalizedText {
        switch self {
        case .collectionReader(let tlp):
            return LocalizedText(en: "\(tlp.name) may be read by every reader of the collection",
                                 ja: "\(tlp.name) はコレクションの閲覧者全員が読めます")
        case .namedRecipient:
            return LocalizedText(en: "TLP:RED: you are one of the named recipients",
                                 ja: "TLP:RED：指名された受領者に含まれています")
        case .publishingPerson:
            return LocalizedText(en: "TLP:RED: you published this object", ja: "TLP:RED：このオブジェクトを公開した本人です")
        case .originalPublication(let tlp):
            return LocalizedText(en: "Published as \(tlp.name) by its author into a collection the author may write to",
                                 ja: "作成者が書き込み権限のあるコレクションに \(tlp.name) として公開します")
        case .republishClear:
            return LocalizedText(en: "TLP:CLEAR: no limit on disclosure, so it may be passed on anywhere",
                                 ja: "TLP:CLEAR：公開制限がないため、どこへでも再共有できます")
        case .republishGreenWithinCommunity:
            return LocalizedText(en: "TLP:GREEN may be passed on within a community, never made public",
                                 ja: "TLP:GREEN はコミュニティ内で再共有できます（一般公開は不可）")
        case .republishAmberToOrganizationAndClients:
            return LocalizedText(en: "TLP:AMBER may be passed on to the recipient's own organization and its clients who need to know",
                                 ja: "TLP:AMBER は受領者の組織とその顧客（サプライチェーン上の下位の取引先）のうち知る必要のある者に再共有できます")
        }
    }
}

/// A rule that refuses serving or publishing, each with a message saying what is wrong and what to do.
public enum SharingRule: Sendable, Hashable {
    // Serving
    /// The viewer's organization is not a member of the community the object was published into.
    case notCommunityMember
    /// The viewer may not read the collection.
    case cannotReadCollection
    /// CUI goes only to organizations authorized for it.
    case cuiOrganizationNotAuthorized
    /// TLP:RED goes only to the named recipients (and stays with the person who published it).
    case redNotNamedRecipient

    // Publishing
    /// The publisher may not write to the target collection.
    case cannotWriteCollection
    /// A public collection takes only TLP:CLEAR; the level is what was asked for.
    case publicRequiresClear(TLPMarking)
    /// CUI never goes to a public collection.
    case cuiNeverPublic
    /// TLP:RED needs at least one named recipient.
    case redWithoutNamedRecipients
    /// TLP:RED's named recipients must all be members of the target community; these are not.
    case redRecipientsOutsideCommunity([String])
    /// CUI only into a community whose every reader organization is authorized for CUI; these are not.
    case cuiAudienceNotAuthorized([String])

    // Re-publishing what was received
    /// TLP:AMBER+STRICT stays inside the recipient organization: a recipient can never re-publish it.
    case amberStrictNeverRepublished
    /// TLP:RED is for the named recipients only: a recipient can never re-publish it.
    case redNeverRepublished
    /// TLP:AMBER may be passed on only to the recipient's own organization and its clients; these readers are neither.
    case amberBeyondOrganizationAndClients([String])
    /// TLP:GREEN may be passed on within communities, never to a public collection.
    case greenNeverPublic
    /// Marking downgrade: the re-publication's TLP is less restrictive than the one received.
    case markingDowngrade(received: TLPMarking, attempted: TLPMarking)
    /// Marking downgrade: the object was received marked CUI and the re-publication drops the CUI marking.
    case cuiMarkingDropped(CUIDesignation)
    /// Marking downgrade: the re-publication keeps CUI but drops categories or dissemination controls it had.
    case cuiDesignationNarrowed(missingCategories: [String], missingDisseminations: [String])

    public var text: LocalizedText {
        switch self {
        case .notCommunityMember:
            return LocalizedText(en: "Your organization is not a member of the community this object was shared in. Ask the community's administrators to add your organization.",
                                 ja: "あなたの組織は、このオブジェクトが共有されたコミュニティのメンバーではありません。コミュニティの管理者に組織の追加を依頼してください。")
        case .cannotReadCollection:
            return LocalizedText(en: "You may not read this collection. Ask the community's administrators for read access to it.",
                                 ja: "このコレクションの閲覧権限がありません。コミュニティの管理者に閲覧権限を依頼してください。")
        case .cuiOrganizationNotAuthorized:
            return LocalizedText(en: "CUI rule: this object is marked CUI, which goes only to organizations authorized for CUI in the community, and yours is not. Ask the community's administrators if your organization should be authorized.",
                                 ja: "CUI の規則：このオブジェクトは CUI と表示されており、コミュニティで CUI の取扱いを認められた組織にしか提供されません。あなたの組織は認められていません。認められるべき場合はコミュニティの管理者に相談してください。")
        case .redNotNamedRecipient:
            return LocalizedText(en: "TLP:RED: only the named recipients may see this object, and you are not one of them. Ask the person who published it to name you.",
                                 ja: "TLP:RED：このオブジェクトは指名された受領者しか見られず、あなたは含まれていません。公開した人に受領者として指名するよう依頼してください。")
        case .cannotWriteCollection:
            return LocalizedText(en: "You may not publish into this collection. Ask the community's administrators for write access, or choose a collection you may write to.",
                                 ja: "このコレクションへの公開権限がありません。コミュニティの管理者に書き込み権限を依頼するか、書き込めるコレクションを選んでください。")
        case .publicRequiresClear(let tlp):
            return LocalizedText(en: "\(tlp.name) limits who may receive the object, and this collection is public: only TLP:CLEAR may go there. Publish into a community instead, or mark it TLP:CLEAR if it may really be disclosed without limit.",
                                 ja: "\(tlp.name) は受け取れる者を限定しますが、このコレクションは一般公開です。公開コレクションには TLP:CLEAR しか置けません。コミュニティに公開するか、制限なく開示してよい場合に限り TLP:CLEAR にしてください。")
        case .cuiNeverPublic:
            return LocalizedText(en: "CUI rule: the object is marked CUI and this collection is public. CUI goes only to organizations authorized for it: publish into a community whose readers are all authorized.",
                                 ja: "CUI の規則：オブジェクトは CUI と表示されていますが、このコレクションは一般公開です。CUI は取扱いを認められた組織にしか渡せません。閲覧者全員が認められたコミュニティに公開してください。")
        case .redWithoutNamedRecipients:
            return LocalizedText(en: "TLP:RED reaches only named recipients, and none is named. Name at least one person of the community as a recipient.",
                                 ja: "TLP:RED は指名された受領者にしか届きませんが、受領者が指名されていません。コミュニティの人を少なくとも一人指名してください。")
        case .redRecipientsOutsideCommunity(let people):
            return LocalizedText(en: "TLP:RED: the named recipients must be members of the community, and \(people.joined(separator: ", ")) are not. Remove them, or publish into a community they belong to.",
                                 ja: "TLP:RED：指名する受領者はコミュニティのメンバーでなければなりませんが、\(people.joined(separator: "、")) はメンバーではありません。外すか、その人たちが属するコミュニティに公開してください。")
        case .cuiAudienceNotAuthorized(let organizations):
            return LocalizedText(en: "CUI rule: CUI goes only to organizations authorized for it, and these readers of the collection are not: \(organizations.joined(separator: ", ")). Publish into a community whose every reader is authorized, or leave the CUI out.",
                                 ja: "CUI の規則：CUI は取扱いを認められた組織にしか渡せませんが、このコレクションの次の閲覧組織は認められていません：\(organizations.joined(separator: "、"))。閲覧者全員が認められたコミュニティに公開するか、CUI を含めないでください。")
        case .amberStrictNeverRepublished:
            return LocalizedText(en: "TLP:AMBER+STRICT stays inside the recipient organization: what you received with it can never be published again. Ask its publisher to share it where it is needed.",
                                 ja: "TLP:AMBER+STRICT は受領した組織の中にとどまります。受け取ったものを再び公開することはできません。必要な相手への共有は公開元に依頼してください。")
        case .redNeverRepublished:
            return LocalizedText(en: "TLP:RED is for the named recipients only: what you received with it can never be published again. Ask its publisher to name the people who need it.",
                                 ja: "TLP:RED は指名された受領者だけのものです。受け取ったものを再び公開することはできません。必要な人を指名するよう公開元に依頼してください。")
        case .amberBeyondOrganizationAndClients(let organizations):
            return LocalizedText(en: "TLP:AMBER may be passed on only to your own organization and its clients (your suppliers in the supply chain) who need to know; these readers are neither: \(organizations.joined(separator: ", ")). Choose a collection of your organization or of your suppliers only, or ask the publisher to share it more widely.",
                                 ja: "TLP:AMBER を再共有できるのは自組織とその顧客（サプライチェーン上の自社の取引先）のうち知る必要のある者だけです。次の閲覧組織はどちらでもありません：\(organizations.joined(separator: "、"))。自組織又は自社の取引先だけのコレクションを選ぶか、より広い共有を公開元に依頼してください。")
        case .greenNeverPublic:
            return LocalizedText(en: "TLP:GREEN may be passed on within communities but never made public, and this collection is public. Publish into a community instead.",
                                 ja: "TLP:GREEN はコミュニティ内での再共有はできますが、一般公開はできません。このコレクションは一般公開です。コミュニティに公開してください。")
        case .markingDowngrade(let received, let attempted):
            return LocalizedText(en: "Marking downgrade: you received this object as \(received.name) and would publish it as \(attempted.name), a wider audience. Keep \(received.name) or a more restrictive level.",
                                 ja: "マーキングの格下げ：このオブジェクトは \(received.name) として受領したものですが、より広い範囲に届く \(attempted.name) として公開しようとしています。\(received.name) 以上の制限で公開してください。")
        case .cuiMarkingDropped(let cui):
            return LocalizedText(en: "Marking downgrade: you received this object marked \(cui.label.en) and would publish it without the CUI marking. Keep the CUI marking.",
                                 ja: "マーキングの格下げ：このオブジェクトは \(cui.label.ja) と表示されて受領したものですが、CUI の表示を外して公開しようとしています。CUI の表示を残してください。")
        case .cuiDesignationNarrowed(let categories, let disseminations):
            let missing = categories + disseminations
            return LocalizedText(en: "Marking downgrade: the CUI marking you received names \(missing.joined(separator: ", ")), which the re-publication leaves out. Keep every CUI category and dissemination control received.",
                                 ja: "マーキングの格下げ：受領した CUI の表示にある \(missing.joined(separator: "、")) が再公開では外れています。受領した CUI の区分と配布制限をすべて残してください。")
        }
    }
}
