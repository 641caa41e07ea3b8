import Foundation

/// A reminder about one clock of one incident, for the existing reminder engine (shown in the app, sent to webhooks,
/// each key once).
public struct IncidentReminder: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A deadline is running: started, or within 24, 6 or 1 hours of its due instant.
        case deadline = "incident-deadline"
        /// A deadline has passed without the submission that meets it.
        case overdue = "incident-overdue"
        /// A preservation hold has run its course: the held items may now be released.
        case holdEnded = "incident-hold-ended"
    }

    /// Stable while it describes the same situation: incident, rule, due instant and the threshold reached.
    public let key: String
    public let kind: Kind
    public let incidentID: String
    public let text: LocalizedText
}

/// Which incident reminders are due at an instant. Pure, like `ReminderSchedule`: the same inputs give the same
/// reminders and keys, and only the tightest threshold reached is reported, so a pass that runs late never sends a
/// stale "24 hours left".
public enum IncidentReminderSchedule {
    /// Hours before a deadline at which a reminder goes out (besides the one when the clock starts), when the clock
    /// is longer than the threshold.
    public static let thresholds = [24, 6, 1]

    public static func due(incidentID: String, title: String, exercise: Bool, deadlines: [IncidentDeadline],
                           zone: TimeZone, now: Date) -> [IncidentReminder] {
        deadlines.compactMap { d -> IncidentReminder? in
            guard let due = d.due else { return nil }
            let at = OffsetInstant.format(due, in: zone)
            let base = ["incident", incidentID, d.rule.id, at]
            let label = d.rule.label
            let prefix = exercise ? LocalizedText(en: "[Exercise] ", ja: "【演習】") : LocalizedText("")
            func reminder(_ kind: IncidentReminder.Kind, _ step: String, en: String, ja: String) -> IncidentReminder {
                IncidentReminder(key: ReminderSchedule.key(base + [step]), kind: kind, incidentID: incidentID,
                                 text: LocalizedText(en: prefix.en + en, ja: prefix.ja + ja))
            }
            switch d.state {
            case .open(let remaining):
                let hoursLeft = remaining / 3600
                let reached = thresholds.filter { $0 < d.hours && hoursLeft <= Double($0) }.min()
                if let t = reached {
                    return reminder(.deadline, "within-\(t)h",
                                    en: "Incident \"\(title)\": \(label.en) is due \(at), within \(t) hour(s). (\(d.rule.source))",
                                    ja: "インシデント「\(title)」：\(label.ja)の期限は \(at) です（残り \(t) 時間以内）。（\(d.rule.source)）")
                }
                return reminder(.deadline, "started",
                                en: "Incident \"\(title)\": the clock for \(label.en) has started — due \(at) (\(d.hours) hours; every hour counts). (\(d.rule.source))",
                                ja: "インシデント「\(title)」：\(label.ja)の期限が動き始めました。期限は \(at)（\(d.hours) 時間。土日・祝日も数えます）。（\(d.rule.source)）")
            case .overdue:
                return reminder(.overdue, "overdue",
                                en: "Incident \"\(title)\": \(label.en) was due \(at) and has not been recorded as done. (\(d.rule.source))",
                                ja: "インシデント「\(title)」：\(label.ja)の期限 \(at) を過ぎましたが、実施の記録がありません。（\(d.rule.source)）")
            case .elapsed:
                return reminder(.holdEnded, "elapsed",
                                en: "Incident \"\(title)\": \(label.en) ran until \(at); the held items may now be released (deleting them stays audited).",
                                ja: "インシデント「\(title)」：\(label.ja)の期間は \(at) で終わりました。保全対象を解除できます（削除は監査記録に残ります）。")
            case .notStarted, .met, .holding:
                return nil
            }
        }
    }
}
