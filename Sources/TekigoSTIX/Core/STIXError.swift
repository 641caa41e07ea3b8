import Foundation
import TekigoCore

/// What is wrong with one STIX object, in both languages. `STIXError.invalidObject` names the object it was found in.
public enum STIXProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case missingProperty(String)
    /// `property` holds the wrong kind of JSON value; `expected` is e.g. "a string", "a list of strings".
    case wrongKind(property: String, expected: String, found: String)
    case malformedIdentifier(property: String, value: String)
    /// An identifier of another object type than the property allows (`created_by_ref` must name an identity).
    case identifierOfWrongType(property: String, value: String, expectedType: String)
    /// The `id`'s type part differs from `type`.
    case idDoesNotMatchType(id: String, type: String)
    case malformedTimestamp(property: String, value: String)
    case modifiedBeforeCreated(created: String, modified: String)
    case unsupportedSpecVersion(String)
    /// A value outside a closed vocabulary (an enumeration of the specification or an extension).
    case valueNotAllowed(property: String, value: String, allowed: [String])
    case emptyText(property: String)
    case emptyList(property: String)
    /// An indicator's STIX pattern cannot be parsed or breaks a patterning rule; `position` is the 0-based
    /// character offset in the pattern where the problem was found.
    case invalidPattern(position: Int, reason: String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .missingProperty(let p):
            return LocalizedText(en: "the required property '\(p)' is missing", ja: "必須のプロパティ「\(p)」がありません")
        case .wrongKind(let p, let expected, let found):
            return LocalizedText(en: "'\(p)' must be \(expected), not \(found)",
                                 ja: "「\(p)」の値の形式が不正です（期待：\(expected)、実際：\(found)）")
        case .malformedIdentifier(let p, let v):
            return LocalizedText(en: "'\(p)' is '\(v)', which is not a STIX identifier (object-type--UUID, e.g. incident--6ba7b810-9dad-41d1-80b4-00c04fd430c8)",
                                 ja: "「\(p)」の値「\(v)」は STIX の識別子（object-type--UUID の形式）ではありません")
        case .identifierOfWrongType(let p, let v, let t):
            return LocalizedText(en: "'\(p)' must name a \(t) object, but it is '\(v)'",
                                 ja: "「\(p)」は \(t) オブジェクトを指す必要がありますが、値は「\(v)」です")
        case .idDoesNotMatchType(let id, let type):
            return LocalizedText(en: "the id '\(id)' does not begin with the object's type '\(type)--'",
                                 ja: "id「\(id)」がオブジェクトの type「\(type)--」で始まっていません")
        case .malformedTimestamp(let p, let v):
            return LocalizedText(en: "'\(p)' is '\(v)', which is not a STIX timestamp (RFC 3339 in UTC, e.g. 2026-12-05T17:13:00.000Z)",
                                 ja: "「\(p)」の値「\(v)」は STIX のタイムスタンプ（UTC の RFC 3339、例 2026-12-05T17:13:00.000Z）ではありません")
        case .modifiedBeforeCreated(let c, let m):
            return LocalizedText(en: "'modified' (\(m)) is earlier than 'created' (\(c)); a version cannot predate the object",
                                 ja: "modified（\(m)）が created（\(c)）より前です")
        case .unsupportedSpecVersion(let v):
            return LocalizedText(en: "spec_version '\(v)' is not supported; Tekigo reads STIX 2.1 (convert STIX 2.0 content first)",
                                 ja: "spec_version「\(v)」には対応していません。STIX 2.1 に変換してから読み込んでください")
        case .valueNotAllowed(let p, let v, let allowed):
            return LocalizedText(en: "'\(p)' is '\(v)', which is not one of \(allowed.joined(separator: ", "))",
                                 ja: "「\(p)」の値「\(v)」は許される値（\(allowed.joined(separator: ", "))）のいずれでもありません")
        case .emptyText(let p):
            return LocalizedText(en: "'\(p)' is empty", ja: "「\(p)」が空です")
        case .emptyList(let p):
            return LocalizedText(en: "'\(p)' is an empty list; leave the property out instead", ja: "「\(p)」が空のリストです（値がない場合はプロパティを省略します）")
        case .invalidPattern(let position, let reason):
            return LocalizedText(en: "the pattern cannot be read at character \(position): \(reason)",
                                 ja: "パターンを読めません（先頭を 0 とする \(position) 文字目：\(reason)）")
        }
    }
}

/// Why STIX content cannot be read at all. Nothing of it is kept when one of these is thrown.
public enum STIXError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(detail: String)
    /// The top level is neither a bundle, nor one STIX object, nor a list of STIX objects.
    case notSTIXContent(found: String)
    /// One object breaks a rule; `id` is its id, or its position (`objects[3]`) when it has no usable id.
    case invalidObject(id: String, problem: STIXProblem)
    /// The content holds no incident object.
    case noIncident(objectCount: Int)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .invalidJSON(let detail):
            return LocalizedText(en: "The file is not valid JSON (\(detail)); export it again from its source as STIX 2.1 JSON.",
                                 ja: "ファイルが JSON として読めません（\(detail)）。提供元から STIX 2.1 の JSON として出力し直してください。")
        case .notSTIXContent(let found):
            return LocalizedText(en: "This is not STIX content: the top level is \(found), but a STIX bundle, a STIX object or a list of STIX objects was expected.",
                                 ja: "STIX のデータではありません。最上位が \(found) です（STIX のバンドル、オブジェクト又はオブジェクトのリストが必要です）。")
        case .invalidObject(let id, let problem):
            return LocalizedText(en: "\(id): \(problem.text.en). Nothing was imported; correct the object or ask its producer for a valid STIX 2.1 file.",
                                 ja: "\(id)：\(problem.text.ja)。何も取り込んでいません。オブジェクトを修正するか、提供元に正しい STIX 2.1 ファイルを依頼してください。")
        case .noIncident(let count):
            return LocalizedText(en: "The content has \(count) STIX object(s) but no incident; import a bundle that contains an incident object.",
                                 ja: "\(count) 件の STIX オブジェクトがありますが、incident オブジェクトがありません。incident を含むバンドルを取り込んでください。")
        }
    }
}
