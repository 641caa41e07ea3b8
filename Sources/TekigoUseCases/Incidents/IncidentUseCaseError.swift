import TekigoCore

/// Why an incident operation was refused before it reached the rules of the domain (`IncidentError`, which keeps the
/// clock and submission rules): who may, which value was not understood, what does not exist here. Each case says
/// what, where (`field`) and how to fix it, in both languages (`text`); `description` is the English text.
public enum IncidentUseCaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Need-to-know (`Role.allowsIncidents`): the caller's role without an incident-team grant, or a viewer or auditor
    /// trying to change something.
    case notAllowed(TenantAction)
    /// An enumerated field with a value Tekigo does not know; `allowed` lists the values it does.
    case unknownValue(field: String, value: String, allowed: [String])
    /// A date and time without an offset and without a time zone to read it in.
    case zoneRequired(String)
    case unknownSystem(String)
    /// A contract that is not one on which the organization is the supplier.
    case unknownContract(String)
    case notAMember(String)
    /// `expectedVersion` is not the stored one: someone changed the incident meanwhile.
    case staleVersion(current: Int)
    case emptyTimelineEntry
    /// The report fields are not a JSON object.
    case reportFieldsNotJSON
    /// A value longer than its limit (channel, report number).
    case tooLong(field: String, limit: Int)

    public var field: String? {
        switch self {
        case .unknownValue(let f, _, _), .tooLong(let f, _): return f
        case .zoneRequired: return "discoveredTimeZone"
        case .unknownSystem: return "systems"
        case .unknownContract: return "contracts"
        case .notAMember: return "userId"
        case .staleVersion: return "version"
        case .emptyTimelineEntry: return "text"
        case .reportFieldsNotJSON: return "reportFields"
        case .notAllowed: return nil
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .notAllowed(let action):
            if action == .manageIncidents {
                return LocalizedText(en: "Incidents are need-to-know: changing one takes an owner or administrator, or an assessor or contributor on the incident team; ask an owner or administrator to add you.",
                                     ja: "インシデントは知る必要のある人だけが扱います。変更できるのは所有者・管理者、又はインシデント対応チームに加えられた評価者・回答者です。所有者か管理者に追加を依頼してください。")
            }
            return LocalizedText(en: "Incidents are need-to-know: reading them takes an owner or administrator role or a place on the incident team; ask an owner or administrator to add you.",
                                 ja: "インシデントは知る必要のある人だけが閲覧できます。所有者・管理者であるか、インシデント対応チームに加えられている必要があります。所有者か管理者に追加を依頼してください。")
        case .unknownValue(let field, let value, let allowed):
            return LocalizedText(en: "\(field) '\(value)' is not known; use one of: \(allowed.joined(separator: ", ")).",
                                 ja: "\(field) の値「\(value)」は使えません。次のいずれかにしてください：\(allowed.joined(separator: ", "))。")
        case .zoneRequired(let s):
            return LocalizedText(en: "'\(s)' has no UTC offset; add one (e.g. +09:00) or choose the time zone it was written in.",
                                 ja: "「\(s)」には UTC からの時差がありません。+09:00 のような時差を付けるか、その日時のタイムゾーンを選んでください。")
        case .unknownSystem(let id):
            return LocalizedText(en: "System '\(id)' is not one of this organization's systems; choose one from the list or register it first.",
                                 ja: "システム「\(id)」はこの組織のシステムではありません。一覧から選ぶか、先に登録してください。")
        case .unknownContract(let id):
            return LocalizedText(en: "Contract '\(id)' is not a contract this organization holds as a supplier; name only contracts your customers recorded with you.",
                                 ja: "契約「\(id)」はこの組織が受注者となっている契約ではありません。発注者が登録した契約だけを指定してください。")
        case .notAMember(let id):
            return LocalizedText(en: "'\(id)' is not a member of this organization; invite the person first.",
                                 ja: "「\(id)」はこの組織のメンバーではありません。先にメンバーとして招待してください。")
        case .staleVersion(let current):
            return LocalizedText(en: "The incident changed since you read it (now version \(current)); read it again and reapply your change.",
                                 ja: "読み込んだ後にインシデントが変更されています（現在の版 \(current)）。読み直してから変更をやり直してください。")
        case .emptyTimelineEntry:
            return LocalizedText(en: "The timeline entry is empty; write what happened or attach a file.",
                                 ja: "経過記録が空です。起きたことを書くか、ファイルを添付してください。")
        case .reportFieldsNotJSON:
            return LocalizedText(en: "The report fields must be a JSON object.", ja: "報告項目は JSON オブジェクトで指定してください。")
        case .tooLong(let field, let limit):
            return LocalizedText(en: "\(field) is longer than \(limit) characters; shorten it.",
                                 ja: "\(field) が \(limit) 文字を超えています。短くしてください。")
        }
    }
}
