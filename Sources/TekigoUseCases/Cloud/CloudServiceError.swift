import TekigoCore

/// Why a change to the organization's cloud services was refused, naming the field and what to do, in both
/// languages (`text`); `description` is the English (API, CLI).
public enum CloudServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Viewers, contributors and external auditors read; owners, administrators and assessors change.
    case notAllowed
    case invalidRef(String)
    case duplicate(ref: String, existingID: String)
    case empty(field: String)
    case tooLong(field: String, limit: Int)
    case unknownValue(field: String, value: String, allowed: [String])
    case unknownSystem(String)
    case badDate(field: String, value: String)
    case badPercent(Int)
    case badPOAMLine(String)
    /// A method that does not decide the regime (e.g. ISMAP for DFARS 7012).
    case methodNotForRegime(method: String, regime: String)
    case unknownRuleSet(String)
    case staleVersion(current: Int)

    public var field: String? {
        switch self {
        case .notAllowed: return nil
        case .invalidRef, .duplicate: return "ref"
        case .empty(let f), .tooLong(let f, _), .unknownValue(let f, _, _), .badDate(let f, _): return f
        case .unknownSystem: return "systems"
        case .badPercent: return "baselineAssessedPercent"
        case .badPOAMLine: return "openPOAMItems"
        case .methodNotForRegime: return "method"
        case .unknownRuleSet: return "ruleSetVersion"
        case .staleVersion: return "version"
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .notAllowed:
            return LocalizedText(en: "Only owners, administrators and assessors change the organization's cloud services; ask one of them.",
                                 ja: "クラウドサービスの登録・変更は所有者・管理者・評価者のみが行えます。いずれかの方に依頼してください。")
        case .invalidRef(let t):
            return LocalizedText(en: "ref: '\(t)' does not name a cloud service: write fedramp:<package id> (e.g. fedramp:FR1704369518), ismap:<registration number> or other:<name>.",
                                 ja: "ref: 「\(t)」はクラウドサービスの指定として読めません。fedramp:<パッケージ ID>（例 fedramp:FR1704369518）、ismap:<登録番号>、other:<名称> のいずれかで書いてください。")
        case .duplicate(let ref, _):
            return LocalizedText(en: "ref: \(ref) is already one of the organization's services; edit that one.",
                                 ja: "ref: \(ref) は既に登録済みです。登録済みのサービスを編集してください。")
        case .empty(let f):
            return LocalizedText(en: "\(f): required.", ja: "\(f): 必須です。")
        case .tooLong(let f, let limit):
            return LocalizedText(en: "\(f): longer than \(limit) characters.", ja: "\(f): \(limit) 文字を超えています。")
        case .unknownValue(let f, let v, let allowed):
            return LocalizedText(en: "\(f): '\(v)' is not one of \(allowed.joined(separator: ", ")).",
                                 ja: "\(f): 「\(v)」は \(allowed.joined(separator: "、")) のいずれでもありません。")
        case .unknownSystem(let s):
            return LocalizedText(en: "systems: \(s) is not a system of this organization; add the system first or pick an existing one.",
                                 ja: "systems: \(s) はこの組織のシステムではありません。先にシステムを登録するか、既存のシステムを選んでください。")
        case .badDate(let f, let v):
            return LocalizedText(en: "\(f): '\(v)' is not a date (YYYY-MM-DD).", ja: "\(f): 「\(v)」は日付（YYYY-MM-DD）として読めません。")
        case .badPercent(let p):
            return LocalizedText(en: "baselineAssessedPercent: \(p) is not a share between 0 and 100.", ja: "baselineAssessedPercent: \(p) は 0〜100 の割合ではありません。")
        case .badPOAMLine(let l):
            return LocalizedText(en: "openPOAMItems: '\(l)' does not read as ORIGIN SEVERITY YYYY-MM-DD label (origin: assessment or operational; severity: low, moderate, high or critical).",
                                 ja: "openPOAMItems: 「\(l)」は「発生元 重大度 YYYY-MM-DD 説明」として読めません（発生元: assessment / operational、重大度: low / moderate / high / critical）。")
        case .methodNotForRegime(let m, let r):
            return LocalizedText(en: "method: \(m) does not decide \(r); DFARS 7012 takes marketplace or equivalency, Japan takes ismap or documented.",
                                 ja: "method: \(m) では \(r) を判断できません。DFARS 7012 は marketplace か equivalency、日本は ismap か documented です。")
        case .unknownRuleSet(let id):
            return LocalizedText(en: "ruleSetVersion: '\(id)' is not a rule set version Tekigo knows (\(EquivalencyRuleSet.all.map(\.id).joined(separator: ", "))).",
                                 ja: "ruleSetVersion: 「\(id)」は既知の規則版ではありません（\(EquivalencyRuleSet.all.map(\.id).joined(separator: "、"))）。")
        case .staleVersion(let current):
            return LocalizedText(en: "version: someone changed this meanwhile (now version \(current)); reload and try again.",
                                 ja: "version: 他の人が先に変更しました（現在の版 \(current)）。再読み込みしてからやり直してください。")
        }
    }
}
