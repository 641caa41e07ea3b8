import Foundation

/// How often the organization tests its incident response capability (SP 800-171 rev3 03.06.03, whose frequency is
/// an organization-defined parameter, A.03.06.03.ODP.01; rev2 3.6.3 sets none) and when the next exercise is due:
/// the last completed exercise's day plus the frequency in months (a month end stays within its month: 31 January +
/// 1 month is 28 or 29 February). With no completed exercise the next one is due at once.
public enum ExerciseSchedule {
    /// Months between exercises an organization may set.
    public static let frequencyMonths = 1...60
    /// Tekigo's default until the organization sets one (a setting, not a rule: the standards name no number).
    public static let defaultMonths = 12
    /// Days before the due day at which a reminder goes out.
    public static let thresholds = [30, 7]

    /// `day` plus `months` calendar months, clamped to the target month's last day.
    public static func adding(months: Int, to day: Day) -> Day {
        let total = day.year * 12 + (day.month - 1) + months
        let year = total / 12, month = total % 12 + 1
        return Day(year: year, month: month, day: min(day.day, Day.days(inMonth: month, year: year)))!
    }

    /// The day the next exercise is due: nil when none was ever completed (it is due now).
    public static func nextDue(lastCompleted: Day?, months: Int) -> Day? {
        lastCompleted.map { adding(months: months, to: $0) }
    }

    /// The reminders due on `today` (pure, like `ReminderSchedule`): 30 and 7 days before the due day (the tightest
    /// threshold reached only), on and after it as overdue, and when no exercise was ever completed. Keys are built
    /// from the last completed exercise and the due day, so a completed exercise starts new reminders and a pass that
    /// runs late never sends a stale one.
    public static func reminders(lastCompleted: (id: String, day: Day)?, months: Int, today: Day) -> [ExerciseReminder] {
        let source = "SP 800-171 3.6.3 / 03.06.03"
        guard let last = lastCompleted else {
            return [ExerciseReminder(key: ReminderSchedule.key(["exercise", "none", "never"]), kind: .overdue, due: nil,
                                     text: LocalizedText(en: "No incident-response exercise has been completed yet; plan one from a scenario and run it. (\(source))",
                                                         ja: "インシデント対応の演習がまだ一度も完了していません。シナリオから計画して実施してください。（\(source)）"))]
        }
        let due = adding(months: months, to: last.day)
        let left = today.days(until: due)
        let base = ["exercise", last.id, due.description]
        if left <= 0 {
            return [ExerciseReminder(key: ReminderSchedule.key(base + ["overdue"]), kind: .overdue, due: due,
                                     text: LocalizedText(en: "The next incident-response exercise was due \(due) (every \(months) months since \(last.day)); plan and run it. (\(source))",
                                                         ja: "次のインシデント対応演習の期限 \(due)（前回 \(last.day) から \(months) か月ごと）を過ぎています。計画して実施してください。（\(source)）"))]
        }
        guard let t = thresholds.filter({ left <= $0 }).min() else { return [] }
        return [ExerciseReminder(key: ReminderSchedule.key(base + ["within-\(t)d"]), kind: .due, due: due,
                                 text: LocalizedText(en: "The next incident-response exercise is due \(due), within \(t) days (every \(months) months). (\(source))",
                                                     ja: "次のインシデント対応演習の期限は \(due) です（残り \(t) 日以内、\(months) か月ごと）。（\(source)）"))]
    }
}

/// A reminder about the exercise schedule, for the reminder engine (shown in the app, sent to webhooks, each key once).
public struct ExerciseReminder: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case due = "exercise-due"
        case overdue = "exercise-overdue"
    }

    public let key: String
    public let kind: Kind
    public let due: Day?
    public let text: LocalizedText
}
