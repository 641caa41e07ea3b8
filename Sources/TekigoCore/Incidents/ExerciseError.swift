import Foundation

/// Everything that can be wrong with exercise data or an exercise operation's input. Each case says what, where and
/// how to fix it, in both languages (`text`); `description` is the English text (the API and the CLI).
public enum ExerciseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scenario file does not decode or breaks a rule (`ExerciseScenarioLibrary(json:)`).
    case invalidScenarios(String)
    case unknownScenario(String)
    case unknownKind(String)
    case unknownEntryKind(String)
    case unknownInject(String)
    /// The planned date is not YYYY-MM-DD.
    case badDate(String)
    case emptyFacilitator
    case noParticipants
    /// A text longer than its limit.
    case textTooLong(field: String, limit: Int)
    case emptyEntry
    case emptySummary
    /// The operation needs another status: start needs planned, entries need running, completing needs running,
    /// evidence and POA&M items need completed.
    case wrongStatus(ExerciseStatus, needed: ExerciseStatus)
    /// Months between exercises outside `ExerciseSchedule.frequencyMonths`.
    case badFrequency(Int)
    /// An assessment of a catalog the exercise cannot give evidence in (SP 800-171 rev2 and rev3 only).
    case unsupportedCatalog(String)
    /// The confirmation names an objective the offer does not contain.
    case objectiveNotOffered(String)
    case nothingConfirmed
    /// POA&M items come from findings, not from decisions or notes.
    case notAFinding(String)
    /// No assessment of this organization has that id.
    case unknownAssessment(String)
    /// No entry of this exercise has that id.
    case unknownEntry(String)

    public var description: String { text.en }

    public var field: String? {
        switch self {
        case .unknownScenario: return "scenario"
        case .unknownKind: return "kind"
        case .unknownEntryKind: return "entryKind"
        case .unknownInject: return "inject"
        case .badDate: return "plannedOn"
        case .emptyFacilitator: return "facilitator"
        case .noParticipants: return "participants"
        case .textTooLong(let f, _): return f
        case .emptyEntry: return "text"
        case .emptySummary: return "summary"
        case .badFrequency: return "frequencyMonths"
        case .unsupportedCatalog: return "assessment"
        case .objectiveNotOffered, .nothingConfirmed: return "objectives"
        case .notAFinding, .unknownEntry: return "entry"
        case .unknownAssessment: return "assessment"
        case .invalidScenarios, .wrongStatus: return nil
        }
    }

    public var text: LocalizedText {
        switch self {
        case .invalidScenarios(let why):
            return LocalizedText(en: "The exercise scenario file is invalid: \(why).", ja: "演習シナリオのファイルが不正です：\(why)。")
        case .unknownScenario(let id):
            return LocalizedText(en: "Scenario '\(id)' is not known; choose one of the listed scenarios.",
                                 ja: "シナリオ「\(id)」はありません。一覧のシナリオから選んでください。")
        case .unknownKind(let k):
            return LocalizedText(en: "Exercise kind '\(k)' is not known; use tabletop or simulation.",
                                 ja: "演習の種類「\(k)」は使えません。机上演習（tabletop）か実動演習（simulation）を選んでください。")
        case .unknownEntryKind(let k):
            return LocalizedText(en: "Entry kind '\(k)' is not known; use decision, finding or note.",
                                 ja: "記録の種類「\(k)」は使えません。決定事項（decision）、発見事項（finding）、メモ（note）から選んでください。")
        case .unknownInject(let i):
            return LocalizedText(en: "Inject '\(i)' is not part of this exercise's scenario; choose one of its injects or none.",
                                 ja: "状況付与「\(i)」はこの演習のシナリオにありません。シナリオの状況付与から選ぶか、指定しないでください。")
        case .badDate(let s):
            return LocalizedText(en: "'\(s)' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-15.",
                                 ja: "「\(s)」は日付として読めません。2027-01-15 のように YYYY-MM-DD で入力してください。")
        case .emptyFacilitator:
            return LocalizedText(en: "Name the facilitator: the person who runs the exercise and plays the injects.",
                                 ja: "進行役（演習を進め、状況を付与する人）を入力してください。")
        case .noParticipants:
            return LocalizedText(en: "Name at least one participant: members of the organization or people by name, one per line.",
                                 ja: "参加者を 1 人以上入力してください。組織のメンバーを選ぶか、氏名を 1 行に 1 人ずつ書いてください。")
        case .textTooLong(let f, let limit):
            return LocalizedText(en: "\(f) is longer than \(limit) characters; shorten it.", ja: "\(f) が \(limit) 文字を超えています。短くしてください。")
        case .emptyEntry:
            return LocalizedText(en: "The entry is empty; write the decision, the finding or the note.",
                                 ja: "記録が空です。決定事項、発見事項又はメモを書いてください。")
        case .emptySummary:
            return LocalizedText(en: "Write a summary before completing the exercise: what was tested, what went well, what must change.",
                                 ja: "演習を完了する前にまとめを書いてください（何を試し、何がうまくいき、何を変える必要があるか）。")
        case .wrongStatus(let s, let needed):
            return LocalizedText(en: "This exercise is \(s.label.en.lowercased()); this step needs it to be \(needed.label.en.lowercased()).",
                                 ja: "この演習は「\(s.label.ja)」です。この操作は「\(needed.label.ja)」の演習にだけ行えます。")
        case .badFrequency(let m):
            return LocalizedText(en: "\(m) months cannot be set; choose from \(ExerciseSchedule.frequencyMonths.lowerBound) to \(ExerciseSchedule.frequencyMonths.upperBound) months between exercises.",
                                 ja: "\(m) か月は設定できません。演習の間隔は \(ExerciseSchedule.frequencyMonths.lowerBound)〜\(ExerciseSchedule.frequencyMonths.upperBound) か月で指定してください。")
        case .unsupportedCatalog(let c):
            return LocalizedText(en: "The assessment's catalog \(c) has no incident-response objectives Tekigo maps exercises to; choose an SP 800-171 rev2 or rev3 assessment.",
                                 ja: "評価のカタログ \(c) には演習を対応付けるインシデント対応の評価目標がありません。SP 800-171 rev2 又は rev3 の評価を選んでください。")
        case .objectiveNotOffered(let o):
            return LocalizedText(en: "Objective \(o) was not offered for this exercise and assessment; confirm only objectives from the list.",
                                 ja: "評価目標 \(o) はこの演習と評価には提示されていません。一覧の評価目標だけを確認してください。")
        case .nothingConfirmed:
            return LocalizedText(en: "No objective was chosen; tick the objectives that should get this exercise as evidence.",
                                 ja: "評価目標が選ばれていません。この演習を証跡として付ける評価目標にチェックを入れてください。")
        case .unknownAssessment(let id):
            return LocalizedText(en: "Assessment '\(id)' is not one of this organization's assessments; choose one from the list.",
                                 ja: "評価「\(id)」はこの組織の評価ではありません。一覧から選んでください。")
        case .unknownEntry(let id):
            return LocalizedText(en: "Entry '\(id)' is not part of this exercise.", ja: "記録「\(id)」はこの演習のものではありません。")
        case .notAFinding(let id):
            return LocalizedText(en: "Entry \(id) is not a finding; only findings become POA&M items.",
                                 ja: "記録 \(id) は発見事項ではありません。是正計画（POA&M）にできるのは発見事項だけです。")
        }
    }
}
