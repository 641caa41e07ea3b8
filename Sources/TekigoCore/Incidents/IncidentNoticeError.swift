import Foundation

/// What can be wrong with an incident notice (`IncidentNoticePayload`) or with sending one. Each case says what and
/// how to fix it in both languages (`text`); `description` is the English text, as the API and the CLI show it.
public enum IncidentNoticeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A payload member breaks the format's rules (`field` is its JSON path).
    case invalid(field: String, String)
    /// A notice is about a DoD report; this submission is of another kind.
    case notADoDReport(String)
    /// The incident has no DoD report number yet, so there is nothing to pass on.
    case noReportNumber
    /// Every customer on the affected contracts already has a notice of every report number.
    case nothingToSend
    /// The incident names no contract with a customer, so there is nobody above to tell.
    case noAffectedContracts
    /// An exercise reports nothing and tells nobody.
    case exercise
    /// A field name the supplier may not choose (not an `IncidentNoticeField`).
    case unknownField(String)
    /// The notice was already forwarded, or there is no customer to forward it to.
    case nothingToForward
    case alreadyAcknowledged

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .invalid(let field, let why):
            return LocalizedText(en: "The incident notice is invalid at \(field): \(why).", ja: "インシデント通知の「\(field)」が不正です：\(why)。")
        case .notADoDReport(let kind):
            return LocalizedText(en: "A notice passes on a DoD report number; '\(kind)' is not a DoD report.",
                                 ja: "通知で伝えるのは国防総省への報告の番号です。「\(kind)」は国防総省への報告ではありません。")
        case .noReportNumber:
            return LocalizedText(en: "There is no DoD report number to pass on yet: record the DoD report and the number DoD returned first (DFARS 204.7302(b)).",
                                 ja: "上位へ伝える報告番号がまだありません。先に国防総省への報告と、国防総省が付与した報告番号を記録してください（DFARS 204.7302(b)）。")
        case .nothingToSend:
            return LocalizedText(en: "Every customer on the affected contracts has already been told every report number; nothing was sent.",
                                 ja: "対象契約の発注者全員に、すべての報告番号を通知済みです。送信するものはありません。")
        case .noAffectedContracts:
            return LocalizedText(en: "The incident names no contract with a customer, so there is nobody above to tell; add the affected contracts to the incident first.",
                                 ja: "インシデントに発注者との契約が指定されていないため、通知する相手がいません。先に影響を受ける契約を指定してください。")
        case .exercise:
            return LocalizedText(en: "This is an exercise: nothing is reported and no customer is told.",
                                 ja: "これは訓練です。報告も発注者への通知も行いません。")
        case .unknownField(let f):
            return LocalizedText(en: "'\(f)' cannot be included in a notice; choose from: \(IncidentNoticeField.allCases.map(\.rawValue).joined(separator: ", ")).",
                                 ja: "「\(f)」は通知に含められません。次から選んでください：\(IncidentNoticeField.allCases.map(\.rawValue).joined(separator: ", "))。")
        case .nothingToForward:
            return LocalizedText(en: "This notice has already been passed on, or you hold no contract carrying DFARS 252.204-7012 with a customer to pass it to.",
                                 ja: "この通知は転送済みか、転送先となる DFARS 252.204-7012 付きの契約（発注者との契約）がありません。")
        case .alreadyAcknowledged:
            return LocalizedText(en: "This notice has already been acknowledged.", ja: "この通知は受領確認済みです。")
        }
    }
}
