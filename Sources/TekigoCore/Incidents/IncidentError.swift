import Foundation

/// Everything that can be wrong with incident data. Each case says what, where and how to fix it, in both languages
/// (`text`): pages show `text[viewer's language]`, the API and the CLI `description` (English).
public enum IncidentError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyTitle
    case textTooLong(field: String, limit: Int)
    /// Discovery later than the time it is recorded at (more than five minutes' clock drift).
    case discoveredInFuture(Date)
    case unknownTimeZone(String)
    case emptyDiscoverer
    /// A CUI category or a 情報セキュリティ指定書 reference left blank.
    case emptyInformationReference
    /// Not `YYYY-MM-DDThh:mm[:ss](Z|±hh:mm)`.
    case malformedInstant(String)
    /// A date and time without `Z` or `±hh:mm`.
    case instantWithoutOffset(String)
    case invalidRegimeTable(String)
    case illegalPhaseChange(from: IncidentPhase, to: IncidentPhase)
    /// A report submitted before the incident was discovered.
    case submissionBeforeDiscovery(submitted: Date, discovered: Date)
    case submissionInFuture(Date)
    /// A DoD report number already recorded for another incident (of any organization).
    case reportNumberInUse(String)
    case emptyReportNumber
    /// A follow-on report names an initial report number this incident does not have.
    case followOnWithoutInitial(String)
    /// A held item (7012(e) images and captures; (d) malware) cannot be deleted or replaced before `until`; nil when
    /// the hold's end is not known yet because the DoD report has not been submitted.
    case heldItem(until: Date?)
    /// A setting's hours outside `IncidentClock.settableHours`, or for a rule that is not a setting.
    case badHourSetting(rule: String, hours: Int)

    public var description: String { text.en }

    private static func utc(_ date: Date) -> String { OffsetInstant.format(date, in: TimeZone(identifier: "UTC")!) }

    public var text: LocalizedText {
        switch self {
        case .emptyTitle:
            return LocalizedText(en: "The incident has no title; give it a short name, e.g. \"Ransomware on the CAD server\".",
                                 ja: "件名が空です。「CAD サーバのランサムウェア感染」のように短い名前を入力してください。")
        case .textTooLong(let field, let limit):
            return LocalizedText(en: "\(field) is longer than \(limit) characters; shorten it or put the rest in a timeline entry.",
                                 ja: "\(field) が \(limit) 文字を超えています。短くするか、残りを経過記録に書いてください。")
        case .discoveredInFuture(let d):
            return LocalizedText(en: "The discovery time \(Self.utc(d)) is in the future; enter when the incident was actually discovered, with its UTC offset.",
                                 ja: "発見日時 \(Self.utc(d)) が未来になっています。実際に発見した日時を時差（UTC からのオフセット）付きで入力してください。")
        case .unknownTimeZone(let z):
            return LocalizedText(en: "Time zone '\(z)' is unknown; use an IANA name such as Asia/Tokyo or America/New_York.",
                                 ja: "タイムゾーン「\(z)」が不明です。Asia/Tokyo や America/New_York のような IANA 名を使ってください。")
        case .emptyDiscoverer:
            return LocalizedText(en: "Who discovered the incident is empty; enter the person (or the tool and who read its alert).",
                                 ja: "発見者が空です。発見した人（ツールの場合は警告を確認した人）を入力してください。")
        case .emptyInformationReference:
            return LocalizedText(en: "The information involved names no CUI category or 情報セキュリティ指定書; fill it in or choose \"none known\".",
                                 ja: "関係する情報の CUI 区分又は情報セキュリティ指定書が空です。入力するか「現時点で判明しているものはない」を選んでください。")
        case .malformedInstant(let s):
            return LocalizedText(en: "'\(s)' is not a date and time; write it like 2026-12-05T02:13:00+09:00.",
                                 ja: "「\(s)」は日時として読めません。2026-12-05T02:13:00+09:00 のように書いてください。")
        case .instantWithoutOffset(let s):
            return LocalizedText(en: "'\(s)' has no UTC offset, so the instant is ambiguous; add Z or an offset such as +09:00 or -05:00.",
                                 ja: "「\(s)」には UTC からの時差がなく、時刻が一意に決まりません。Z 又は +09:00、-05:00 のような時差を付けてください。")
        case .invalidRegimeTable(let why):
            return LocalizedText(en: "The reporting-regime table is invalid: \(why).", ja: "報告期限の表が不正です：\(why)。")
        case .illegalPhaseChange(let from, let to):
            return LocalizedText(en: "An incident cannot move from \(from.label.en) to \(to.label.en); move it forward, or back to Analysing when new evidence appears.",
                                 ja: "インシデントを「\(from.label.ja)」から「\(to.label.ja)」には変更できません。先の段階へ進めるか、新たな証拠が出た場合は「分析中」に戻してください。")
        case .submissionBeforeDiscovery(let s, let d):
            return LocalizedText(en: "The report time \(Self.utc(s)) is before the discovery \(Self.utc(d)); check both times and their offsets.",
                                 ja: "報告日時 \(Self.utc(s)) が発見日時 \(Self.utc(d)) より前です。両方の日時と時差を確認してください。")
        case .submissionInFuture(let s):
            return LocalizedText(en: "The report time \(Self.utc(s)) is in the future; record a report after it has been submitted.",
                                 ja: "報告日時 \(Self.utc(s)) が未来です。報告を提出した後に記録してください。")
        case .reportNumberInUse(let n):
            return LocalizedText(en: "Report number '\(n)' is already recorded for another incident; DoD gives each report its own number — check it against the confirmation.",
                                 ja: "報告番号「\(n)」は別のインシデントに記録済みです。報告番号は報告ごとに異なります。受付確認の番号と照合してください。")
        case .emptyReportNumber:
            return LocalizedText(en: "A DoD report needs the report number DoD returned; copy it from the confirmation.",
                                 ja: "国防総省への報告には、国防総省が付与した報告番号が必要です。受付確認から写してください。")
        case .followOnWithoutInitial(let n):
            return LocalizedText(en: "A follow-on report cites the initial report number, and '\(n)' is not this incident's initial report; record the initial report first or correct the number.",
                                 ja: "続報は初回報告の番号を引用します。「\(n)」はこのインシデントの初回報告ではありません。先に初回報告を記録するか、番号を訂正してください。")
        case .heldItem(let until):
            if let until {
                return LocalizedText(en: "This item is under a DFARS 252.204-7012(e) preservation hold until \(Self.utc(until)); it cannot be deleted or replaced before then.",
                                     ja: "この項目は DFARS 252.204-7012(e) に基づく保全期間中（\(Self.utc(until)) まで）のため、削除も差し替えもできません。")
            }
            return LocalizedText(en: "This item is under a DFARS 252.204-7012(e) preservation hold that ends 90 days after the DoD report is submitted; it cannot be deleted or replaced.",
                                 ja: "この項目は DFARS 252.204-7012(e) に基づく保全対象です（保全期間は国防総省への報告から 90 日）。削除も差し替えもできません。")
        case .badHourSetting(let rule, let hours):
            return LocalizedText(en: "\(hours) hours cannot be set for '\(rule)'; only clocks marked as a setting take hours, from \(IncidentClock.settableHours.lowerBound) to \(IncidentClock.settableHours.upperBound).",
                                 ja: "「\(rule)」に \(hours) 時間は設定できません。設定可能と示された期限だけが \(IncidentClock.settableHours.lowerBound)〜\(IncidentClock.settableHours.upperBound) 時間を取れます。")
        }
    }
}
