import TekigoCore

/// Why a TAXII request was refused, in both languages. The server answers each with TAXII's error resource and the
/// HTTP status `httpStatus`; nothing is stored when one is thrown.
public enum ThreatIntelError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum ParameterProblem: Equatable, Sendable {
        case unknown
        case repeated
        case timestamp(String)
        case version(String)
        case limit(String, max: Int)
        case cursor
        case emptyList
    }

    /// No community with this slug has the caller's organization as a member (or none exists: not told apart).
    case unknownRoot(String)
    /// No collection with this id the caller may see in the root (or none exists: not told apart).
    case unknownCollection(String)
    case unknownStatus(String)
    /// The object has no version the caller may see (or none exists: not told apart).
    case unknownObject(String)
    /// The collection is listed for the caller but its access does not include reading.
    case cannotRead(collection: String)
    /// The collection does not let the caller's organization write, or the caller's role or token may not.
    case cannotWrite(collection: String)
    /// None of the object's versions the caller may see was published by the caller's organization.
    case cannotDeleteOthers(String)
    /// The caller's role may not read shared intelligence (an external auditor).
    case roleMayNotRead(Role)
    case badParameter(name: String, reason: ParameterProblem)
    /// The body is not a TAXII envelope (`{"objects": [...]}`), or not JSON.
    case notAnEnvelope(String)
    case emptyEnvelope
    case tooManyObjects(limit: Int)
    /// One object breaks a rule: the whole request is refused, naming the object and why.
    case invalidObject(id: String, reason: LocalizedText)

    public var httpStatus: Int {
        switch self {
        case .unknownRoot, .unknownCollection, .unknownStatus, .unknownObject: return 404
        case .cannotRead, .cannotWrite, .roleMayNotRead, .cannotDeleteOthers: return 403
        case .tooManyObjects: return 413
        case .badParameter, .notAnEnvelope, .emptyEnvelope, .invalidObject: return 400
        }
    }

    /// TAXII's error `title`: short and stable.
    public var title: String {
        switch self {
        case .unknownRoot: return "API root not found"
        case .unknownCollection: return "Collection not found"
        case .unknownStatus: return "Status not found"
        case .unknownObject: return "Object not found"
        case .cannotRead: return "Collection not readable"
        case .cannotWrite: return "Collection not writable"
        case .roleMayNotRead: return "Not allowed"
        case .cannotDeleteOthers: return "Not the publisher"
        case .badParameter: return "Bad filter or paging parameter"
        case .notAnEnvelope, .emptyEnvelope: return "Not a TAXII envelope"
        case .tooManyObjects: return "Too many objects"
        case .invalidObject: return "Invalid STIX object"
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .unknownRoot(let slug):
            return LocalizedText(en: "There is no API root '\(slug)' for your organization; GET /taxii2/ lists the sharing communities it belongs to.",
                                 ja: "API ルート「\(slug)」はあなたの組織には見つかりません。所属する共有コミュニティは GET /taxii2/ で確認してください。")
        case .unknownCollection(let id):
            return LocalizedText(en: "There is no collection '\(id)' your organization may use in this API root; GET …/collections/ lists them.",
                                 ja: "この API ルートにはあなたの組織が利用できるコレクション「\(id)」がありません。一覧は GET …/collections/ で確認してください。")
        case .unknownStatus(let id):
            return LocalizedText(en: "There is no status '\(id)' of your organization in this API root; use the id the POST answered.",
                                 ja: "この API ルートにあなたの組織のステータス「\(id)」はありません。POST の応答にある id を使ってください。")
        case .unknownObject(let id):
            return LocalizedText(en: "Object '\(id)' is not in this collection, or none of its versions is meant for you.",
                                 ja: "オブジェクト「\(id)」はこのコレクションにないか、あなたに閲覧が許された版がありません。")
        case .cannotRead(let c):
            return LocalizedText(en: "Your organization may add objects to collection '\(c)' but not read it; ask the community's administrators for read access.",
                                 ja: "あなたの組織はコレクション「\(c)」に追加はできますが、閲覧はできません。コミュニティの管理者に閲覧権限を依頼してください。")
        case .cannotWrite(let c):
            return LocalizedText(en: "You may not add to or delete from collection '\(c)': it takes write access for your organization, a token that may write, and the role of owner, administrator, assessor or contributor.",
                                 ja: "コレクション「\(c)」への追加・削除はできません。組織の書込み権限、書込み可能なトークン、所有者・管理者・評価者・回答者のいずれかの役割が必要です。")
        case .cannotDeleteOthers(let id):
            return LocalizedText(en: "Object '\(id)' was published by another organization; only the publishing organization may delete its versions.",
                                 ja: "オブジェクト「\(id)」は他の組織が公開したものです。削除できるのは公開した組織だけです。")
        case .roleMayNotRead(let role):
            return LocalizedText(en: "Your role (\(role.rawValue)) does not receive shared threat intelligence: it is for the organization's own people.",
                                 ja: "あなたの役割（\(role.label.ja)）では共有された脅威情報を受け取れません。組織内のメンバーのみが対象です。")
        case .badParameter(let name, let reason):
            switch reason {
            case .unknown:
                return LocalizedText(en: "'\(name)' is not a filter of this endpoint; use added_after, limit, next and match[id|type|version|spec_version] where the endpoint takes them.",
                                     ja: "「\(name)」はこのエンドポイントのフィルタではありません。added_after、limit、next、match[id|type|version|spec_version] を使ってください。")
            case .repeated:
                return LocalizedText(en: "'\(name)' is given more than once; give it once, with a comma-separated list if it takes several values.",
                                     ja: "「\(name)」が複数回指定されています。複数の値はカンマ区切りで 1 回だけ指定してください。")
            case .timestamp(let v):
                return LocalizedText(en: "added_after '\(v)' is not an RFC 3339 time (e.g. 2026-12-06T09:00:00.000000Z).",
                                     ja: "added_after の値「\(v)」は RFC 3339 の日時ではありません（例 2026-12-06T09:00:00.000000Z）。")
            case .version(let v):
                return LocalizedText(en: "match[version] '\(v)' is neither first, last, all nor an RFC 3339 time.",
                                     ja: "match[version] の値「\(v)」は first、last、all、RFC 3339 の日時のいずれでもありません。")
            case .limit(let v, let max):
                return LocalizedText(en: "limit '\(v)' is out of range; give a whole number from 1 to \(max).",
                                     ja: "limit の値「\(v)」は範囲外です。1 から \(max) の整数を指定してください。")
            case .cursor:
                return LocalizedText(en: "next must be the value of 'next' from the previous page, unchanged.",
                                     ja: "next には前のページの next の値をそのまま指定してください。")
            case .emptyList:
                return LocalizedText(en: "'\(name)' needs 1 to 100 comma-separated values.",
                                     ja: "「\(name)」にはカンマ区切りで 1〜100 個の値を指定してください。")
            }
        case .notAnEnvelope(let why):
            return LocalizedText(en: "The body is not a TAXII envelope ({\"objects\": [...]}): \(why). Nothing was stored.",
                                 ja: "本文が TAXII のエンベロープ（{\"objects\": [...]}）ではありません：\(why)。何も保存していません。")
        case .emptyEnvelope:
            return LocalizedText(en: "The envelope has no objects; send at least one STIX object in 'objects'.",
                                 ja: "エンベロープにオブジェクトがありません。objects に 1 件以上の STIX オブジェクトを入れてください。")
        case .tooManyObjects(let limit):
            return LocalizedText(en: "The envelope has more than \(limit) objects; send them in several requests. Nothing was stored.",
                                 ja: "エンベロープのオブジェクトが \(limit) 件を超えています。複数回に分けて送ってください。何も保存していません。")
        case .invalidObject(let id, let reason):
            return LocalizedText(en: "\(id): \(reason.en). Nothing of this request was stored; correct the object and send the request again.",
                                 ja: "\(id)：\(reason.ja)。このリクエストの内容は何も保存していません。オブジェクトを修正して送り直してください。")
        }
    }
}
