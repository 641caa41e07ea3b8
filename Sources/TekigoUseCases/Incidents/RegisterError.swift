import Foundation
import TekigoCore

/// Why a change to an incident register was refused before the preservation hold was even asked (the hold itself is
/// `IncidentError.heldItem(until:)`). Each case says what, where (`field`) and how to fix it, in both languages.
public enum IncidentRegisterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required text left blank.
    case emptyField(String)
    case tooLong(field: String, limit: Int)
    /// An uploaded sample of zero bytes.
    case emptySample
    case sampleTooLarge(limit: Int)
    /// Not 64 hexadecimal digits.
    case badHash(String)
    case badSize(String)
    /// The encrypted download was asked for without confirming the warning.
    case warningNotConfirmed
    /// An archive key that is not 64 hexadecimal digits.
    case badKey
    /// A custody entry or transfer naming an item the incident does not have.
    case unknownItem(String)
    /// A past event (a transfer, a hand-over, a request, an answer) dated in the future.
    case inFuture(field: String)
    /// A change of a disposed item.
    case disposed(String)

    public var field: String? {
        switch self {
        case .emptyField(let f), .tooLong(let f, _), .inFuture(let f): return f
        case .emptySample, .sampleTooLarge: return "file"
        case .badHash: return "sha256"
        case .badSize: return "size"
        case .warningNotConfirmed: return "confirm"
        case .badKey: return "key"
        case .unknownItem: return "itemId"
        case .disposed: return nil
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .emptyField(let f):
            return LocalizedText(en: "\(f) is empty; fill it in.", ja: "\(f) が空です。入力してください。")
        case .tooLong(let f, let limit):
            return LocalizedText(en: "\(f) is longer than \(limit) characters; shorten it.", ja: "\(f) が \(limit) 文字を超えています。短くしてください。")
        case .emptySample:
            return LocalizedText(en: "The sample file is empty; choose the isolated file itself.", ja: "検体ファイルが空です。隔離したファイルそのものを選んでください。")
        case .sampleTooLarge(let limit):
            return LocalizedText(en: "The sample is larger than \(limit) bytes; keep it outside Tekigo and record its hash and location as media instead.",
                                 ja: "検体が \(limit) バイトを超えています。Tekigo の外で保管し、ハッシュ値と保管場所を保全媒体として記録してください。")
        case .badHash(let s):
            return LocalizedText(en: "'\(s)' is not a SHA-256: write 64 hexadecimal digits, or leave it empty until it is computed.",
                                 ja: "「\(s)」は SHA-256 ではありません。16 進 64 桁で書くか、計算するまで空にしてください。")
        case .badSize(let s):
            return LocalizedText(en: "'\(s)' is not a size in bytes; write a whole number, or leave it empty.",
                                 ja: "「\(s)」はバイト数として読めません。整数で書くか、空にしてください。")
        case .warningNotConfirmed:
            return LocalizedText(en: "Confirm that you have read the warning: the archive holds live malware, to be opened only in an isolated analysis environment.",
                                 ja: "警告を読んだことを確認してください。アーカイブには実際のマルウェアが入っており、隔離された解析環境でのみ開くものです。")
        case .badKey:
            return LocalizedText(en: "The archive key is not 64 hexadecimal digits; open the warning page again for a new key.",
                                 ja: "アーカイブの鍵が 16 進 64 桁ではありません。警告ページを開き直して新しい鍵を受け取ってください。")
        case .unknownItem(let id):
            return LocalizedText(en: "This incident has no sample or media entry '\(id)'; choose one from its registers.",
                                 ja: "このインシデントには検体又は保全媒体「\(id)」がありません。記録簿から選んでください。")
        case .inFuture(let f):
            return LocalizedText(en: "\(f) is in the future; record it once it has happened, with its UTC offset.",
                                 ja: "\(f) が未来の日時です。実際に行われた後に、時差付きで記録してください。")
        case .disposed(let what):
            return LocalizedText(en: "\(what) was disposed of after its preservation hold and can no longer be changed.",
                                 ja: "\(what) は保全期間の後に廃棄済みのため、変更できません。")
        }
    }
}
