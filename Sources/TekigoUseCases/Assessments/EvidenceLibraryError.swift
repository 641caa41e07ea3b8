import TekigoCore
import TekigoStore

/// Why a change to the evidence library was refused, naming the field and what to do, in both languages (`text`);
/// `description` is the English (API, CLI).
public enum EvidenceLibraryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The role may not do this (`action` says what was tried: add, change, delete, attach).
    case notAllowed(action: String)
    /// No item with this id in this organization (another organization's id included).
    case notFound(String)
    case empty(field: String)
    case tooLong(field: String, limit: Int)
    case unknownKind(String)
    case badLocation(kind: EvidenceLocation.Kind, problem: EvidenceLocation.Problem)
    /// A file item names a SHA-256 the organization's vault does not hold.
    case unknownVaultFile(String)
    case unknownMember(String)
    case badDate(field: String, value: String)
    case expiresBeforeDocument(documentDate: String, expiresOn: String)
    /// Attached to objectives: where, so the person can detach it first.
    case inUse([EvidenceUse])
    case staleVersion(current: Int)
    case unknownAssessment(String)
    case unknownObjective(String, catalog: String)
    case notAttached(objective: String)

    public var field: String? {
        switch self {
        case .notAllowed, .notFound, .inUse, .unknownAssessment, .notAttached: return nil
        case .empty(let f), .tooLong(let f, _), .badDate(let f, _): return f
        case .unknownKind: return "kind"
        case .badLocation, .unknownVaultFile: return "location"
        case .unknownMember: return "ownerMember"
        case .expiresBeforeDocument: return "expiresOn"
        case .staleVersion: return "version"
        case .unknownObjective: return "objective"
        }
    }

    public var description: String { text.en }

    /// Where an item is used, as one line: "2026-04-01 本社工場 3.1.1[a], …".
    static func uses(_ uses: [EvidenceUse]) -> String {
        uses.map { "\($0.assessedOn) \($0.systemName) \($0.objective)" }.joined(separator: ", ")
    }

    public var text: LocalizedText {
        switch self {
        case .notAllowed(let action):
            return LocalizedText(en: "Your role may not \(action) evidence library items: owners, administrators and assessors may (contributors add, change and attach); ask one of them.",
                                 ja: "この役割では証跡ライブラリの項目を操作（\(action)）できません。所有者・管理者・評価者（登録・変更・添付は回答者も）に依頼してください。")
        case .notFound(let id):
            return LocalizedText(en: "Evidence item \(id) was not found in this organization; pick one from the evidence library.",
                                 ja: "証跡 \(id) はこの組織の証跡ライブラリにありません。ライブラリから選んでください。")
        case .empty(let f):
            return LocalizedText(en: "\(f): required.", ja: "\(f): 必須です。")
        case .tooLong(let f, let limit):
            return LocalizedText(en: "\(f): longer than \(limit) characters; shorten it.", ja: "\(f): \(limit) 文字を超えています。短くしてください。")
        case .unknownKind(let k):
            return LocalizedText(en: "kind: '\(k)' is not one of file, link, share.", ja: "kind: 「\(k)」は file・link・share のいずれでもありません。")
        case .badLocation(let kind, let problem):
            let what: (String, String)
            switch (kind, problem) {
            case (_, .empty): what = ("required", "必須です")
            case (_, .controlCharacters): what = ("control characters (such as a line break) are not allowed", "改行などの制御文字は使えません")
            case (_, .notSHA256): what = ("a file is named by its SHA-256: 64 hexadecimal digits, as the evidence files list shows it",
                                          "ファイルは SHA-256（16 進数 64 桁、証跡ファイルの一覧に表示）で指定してください")
            case (_, .notWebLink): what = ("a link starts with http:// or https:// and names a host", "リンクは http:// か https:// で始まり、ホスト名を含めてください")
            case (_, .notSharePath): what = ("a file-share path looks like \\\\server\\share\\file, smb://server/share/file, file:///path or /path",
                                             "共有フォルダーのパスは \\\\サーバー\\共有\\ファイル、smb://サーバー/共有/ファイル、file:///パス、/パス のように書いてください")
            }
            return LocalizedText(en: "location (\(kind.rawValue)): \(what.0).", ja: "location（\(kind.rawValue)）: \(what.1)。")
        case .unknownVaultFile(let sha):
            return LocalizedText(en: "location: no evidence file with SHA-256 \(sha) in this organization; upload the file first, then add it.",
                                 ja: "location: SHA-256 が \(sha) の証跡ファイルはこの組織にありません。先にファイルをアップロードしてください。")
        case .unknownMember(let id):
            return LocalizedText(en: "ownerMember: \(id) is not a member of this organization; pick a member or type the owner's name instead.",
                                 ja: "ownerMember: \(id) はこの組織のメンバーではありません。メンバーを選ぶか、担当者名を入力してください。")
        case .badDate(let f, let v):
            return LocalizedText(en: "\(f): '\(v)' is not a date; write YYYY-MM-DD (e.g. 2026-04-01).",
                                 ja: "\(f): 「\(v)」は日付として読めません。YYYY-MM-DD（例 2026-04-01）で書いてください。")
        case .expiresBeforeDocument(let d, let e):
            return LocalizedText(en: "expiresOn: \(e) is before the document's date \(d); an item cannot expire before it was made.",
                                 ja: "expiresOn: 有効期限 \(e) が文書の日付 \(d) より前です。")
        case .inUse(let uses):
            return LocalizedText(en: "The item is attached to \(uses.count) objective(s) (\(Self.uses(uses))); detach it there first, then delete it.",
                                 ja: "この証跡は \(uses.count) 件の評価目標に添付されています（\(Self.uses(uses))）。先に添付を外してから削除してください。")
        case .staleVersion(let current):
            return LocalizedText(en: "version: someone changed this item meanwhile (now version \(current)); reload and make your change again.",
                                 ja: "version: 他の人が先にこの項目を変更しました（現在の版 \(current)）。再読み込みしてからやり直してください。")
        case .unknownAssessment(let id):
            return LocalizedText(en: "Assessment \(id) was not found in this organization.", ja: "評価 \(id) はこの組織にありません。")
        case .unknownObjective(let o, let catalog):
            return LocalizedText(en: "objective: \(o) is not an objective of \(catalog) (write it as 3.1.1[a] or A.03.01.01.a).",
                                 ja: "objective: \(o) は \(catalog) の評価目標ではありません（3.1.1[a] や A.03.01.01.a の形で）。")
        case .notAttached(let o):
            return LocalizedText(en: "The item is not attached to \(o) in this assessment.", ja: "この証跡はこの評価の \(o) に添付されていません。")
        }
    }
}
