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
    /// An object type the store does not keep; `supported` lists what it does (STIXTypeRules).
    case unsupportedType(String, supported: [String])
    /// `created` or `modified` later than the receiver's clock allows (STIXObjectValidator.clockSkewAllowance).
    case futureTimestamp(property: String, value: String, now: String)
    /// An integer outside the range the specification gives (`number_observed` 1…999,999,999).
    case outOfRange(property: String, value: String, minimum: Int64, maximum: Int64)
    /// Two times in the wrong order: `property` must be later than `other` (or equal to it when not `strictly`).
    case timesOutOfOrder(property: String, value: String, other: String, otherValue: String, strictly: Bool)
    /// A string that is not in the form the property needs (`expected` says which: "an IPv4 address", …).
    case malformedValue(property: String, value: String, expected: LocalizedText)
    /// None (or, with `exactlyOne`, more than one) of `properties` is present.
    case requiredChoice(properties: [String], exactlyOne: Bool)
    /// A property name STIX 2.1 reserves and forbids on objects (`severity`, `action`, `username`, `phone_numbers`).
    case reservedProperty(String)
    /// A property name outside STIX 2.1's form (3–250 characters of a–z, 0–9 and '_', starting with a letter).
    case malformedPropertyName(String)
    /// `created` / `modified` of a domain or relationship object not precise to the millisecond.
    case timestampPrecision(property: String, value: String)
    /// Entry `index` of `granular_markings` is wrong; `fault` says how.
    case granularMarkingInvalid(index: Int, fault: GranularMarkingFault)
    /// A marking definition in none of the forms the store can enforce (TLP 1.0, TLP 2.0, CUI, statement).
    case unsupportedMarkingDefinition
    /// A TLP marking definition whose `property` differs from what its fixed id stands for.
    case tlpMarkingMismatch(id: String, property: String, value: String, expected: String)

    /// How a granular marking (STIX 2.1 §7.2.3) is wrong.
    public enum GranularMarkingFault: Equatable, Sendable {
        case noSelectors
        /// Both `marking_ref` and `lang`, or neither: exactly one is needed.
        case markingRefOrLang
        /// A selector that is not property names and `[n]` list indexes joined by '.'.
        case selectorMalformed(String)
        /// A selector that names no content of the object.
        case selectorUnresolved(String)
    }
    /// An indicator's STIX pattern cannot be parsed or breaks a patterning rule; `position` is the 0-based
    /// character offset in the pattern where the problem was found.
    case invalidPattern(position: Int, reason: String)
    /// A marking reference (`object_marking_refs`, a granular `marking_ref`) that is neither a TLP 2.0 / TLP 1.0 id
    /// nor a marking definition in the same bundle or already stored: what it restricts cannot be known.
    case unknownMarking(id: String)

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
        case .unsupportedType(let type, let supported):
            return LocalizedText(en: "the object type '\(type)' is not one Tekigo stores; it stores \(supported.joined(separator: ", ")), types defined by an extension definition (new-sdo, new-sco, new-sro) and custom types beginning with 'x-'",
                                 ja: "オブジェクトの型「\(type)」は Tekigo が保存する型ではありません（保存できる型：\(supported.joined(separator: ", "))、拡張定義（new-sdo・new-sco・new-sro）で定義された型、「x-」で始まる独自型）")
        case .futureTimestamp(let p, let v, let now):
            return LocalizedText(en: "'\(p)' (\(v)) is more than 5 minutes later than this server's clock (\(now)); a version cannot come from the future, so check the producer's clock",
                                 ja: "「\(p)」（\(v)）がこのサーバの時刻（\(now)）より 5 分以上先です。作成元の時計を確認してください")
        case .outOfRange(let p, let v, let lo, let hi):
            return LocalizedText(en: "'\(p)' is \(v), but it must be a whole number from \(lo) to \(hi)",
                                 ja: "「\(p)」の値 \(v) は \(lo) 以上 \(hi) 以下の整数でなければなりません")
        case .timesOutOfOrder(let p, let v, let other, let otherValue, let strictly):
            return strictly
                ? LocalizedText(en: "'\(p)' (\(v)) must be later than '\(other)' (\(otherValue))",
                                ja: "「\(p)」（\(v)）は「\(other)」（\(otherValue)）より後でなければなりません")
                : LocalizedText(en: "'\(p)' (\(v)) must not be earlier than '\(other)' (\(otherValue))",
                                ja: "「\(p)」（\(v)）が「\(other)」（\(otherValue)）より前です")
        case .malformedValue(let p, let v, let expected):
            return LocalizedText(en: "'\(p)' is '\(v)', which is not \(expected.en)",
                                 ja: "「\(p)」の値「\(v)」は\(expected.ja)ではありません")
        case .requiredChoice(let properties, let exactlyOne):
            let list = properties.map { "'\($0)'" }.joined(separator: ", ")
            let listJa = properties.map { "「\($0)」" }.joined(separator: "・")
            return exactlyOne
                ? LocalizedText(en: "exactly one of \(list) must be present", ja: "\(listJa)のうちちょうど一つが必要です")
                : LocalizedText(en: "at least one of \(list) is required", ja: "\(listJa)の少なくとも一つが必要です")
        case .reservedProperty(let p):
            return LocalizedText(en: "'\(p)' is a property name STIX 2.1 reserves; no object may carry it",
                                 ja: "「\(p)」は STIX 2.1 が予約しているプロパティ名で、オブジェクトに含めることはできません")
        case .malformedPropertyName(let p):
            return LocalizedText(en: "the property name '\(p)' is not a STIX 2.1 name (3–250 characters of a–z, 0–9 and '_', starting with a letter)",
                                 ja: "プロパティ名「\(p)」は STIX 2.1 の名前（英小文字で始まる a–z・0–9・「_」の 3〜250 文字）ではありません")
        case .timestampPrecision(let p, let v):
            return LocalizedText(en: "'\(p)' is '\(v)', but it must be precise to the millisecond (three fraction digits, e.g. 2026-12-05T17:13:00.000Z)",
                                 ja: "「\(p)」の値「\(v)」はミリ秒までの精度（小数 3 桁、例 2026-12-05T17:13:00.000Z）が必要です")
        case .granularMarkingInvalid(let index, let fault):
            let at = "granular_markings[\(index)]"
            switch fault {
            case .noSelectors:
                return LocalizedText(en: "'\(at)' has no selectors; list the properties the marking applies to",
                                     ja: "「\(at)」に selectors がありません。マーキングを適用するプロパティを列挙してください")
            case .markingRefOrLang:
                return LocalizedText(en: "'\(at)' must have exactly one of 'marking_ref' and 'lang'",
                                     ja: "「\(at)」には marking_ref と lang のどちらか一方だけが必要です")
            case .selectorMalformed(let s):
                return LocalizedText(en: "'\(at)' has the selector '\(s)', which is not property names and [n] list indexes joined by '.'",
                                     ja: "「\(at)」のセレクタ「\(s)」は、プロパティ名とリスト番号 [n] を「.」でつないだ形ではありません")
            case .selectorUnresolved(let s):
                return LocalizedText(en: "'\(at)' has the selector '\(s)', which names nothing in this object",
                                     ja: "「\(at)」のセレクタ「\(s)」は、このオブジェクトのどの内容も指していません")
            }
        case .unsupportedMarkingDefinition:
            return LocalizedText(en: "the marking definition is none of the forms Tekigo can enforce: a TLP 1.0 marking (definition_type 'tlp'), a statement (definition_type 'statement'), or the TLP 2.0 or CUI marking extension",
                                 ja: "マーキング定義が Tekigo で扱える形（TLP 1.0 の definition_type「tlp」、statement、TLP 2.0 又は CUI のマーキング拡張）のいずれでもありません")
        case .tlpMarkingMismatch(let id, let p, let v, let expected):
            return LocalizedText(en: "'\(id)' is a fixed TLP marking whose '\(p)' is '\(expected)', but this one says '\(v)'",
                                 ja: "「\(id)」は「\(p)」が「\(expected)」と決まっている TLP マーキングですが、値が「\(v)」です")
        case .invalidPattern(let position, let reason):
            return LocalizedText(en: "the pattern cannot be read at character \(position): \(reason)",
                                 ja: "パターンを読めません（先頭を 0 とする \(position) 文字目：\(reason)）")
        case .unknownMarking(let id):
            return LocalizedText(en: "the marking '\(id)' is neither a TLP marking nor a marking definition in the same bundle or already stored, so who may receive the object cannot be known; send the marking-definition object with it, or use a TLP marking",
                                 ja: "マーキング「\(id)」は TLP マーキングでも、同じバンドル内又は保存済みのマーキング定義でもないため、誰が受け取れるかを判断できません。マーキング定義オブジェクトを一緒に送るか、TLP マーキングを使ってください")
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
    /// The content is larger than the receiver accepts; it was not read.
    case bundleTooLarge(bytes: Int, limit: Int)

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
        case .bundleTooLarge(let bytes, let limit):
            return LocalizedText(en: "The content is \(bytes) bytes, more than the \(limit) bytes accepted at once; nothing was read. Send it in smaller bundles.",
                                 ja: "データが \(bytes) バイトあり、一度に受け付ける \(limit) バイトを超えています。何も読み込んでいません。小さなバンドルに分けて送ってください。")
        }
    }
}
