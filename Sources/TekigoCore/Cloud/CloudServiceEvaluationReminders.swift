import Foundation

/// A reminder about a cloud service an organization uses (issue 15 item 3), computed like the readiness and exercise
/// reminders: pure, keyed so each situation is stored and sent once.
public struct CloudServiceReminder: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The provider's annual assessment falls due within 30 days (from the Marketplace's `annual_assessment` or the
        /// equivalency evaluation's last annual assessment).
        case annualAssessmentDue = "cloud-annual-assessment-due"
        /// The annual assessment recorded for an equivalency is more than its rule set's months old.
        case annualAssessmentOverdue = "cloud-annual-assessment-overdue"
        /// An ISMAP registration ends within 60 or 30 days.
        case ismapExpiring = "cloud-ismap-expiring"
        case ismapExpired = "cloud-ismap-expired"
    }

    public let key: String
    public let kind: Kind
    /// The service's id in the organization.
    public let subject: String
    public let text: LocalizedText
}

/// When the reminders of a service fall due.
public enum CloudServiceReminderSchedule {
    /// Days before an ISMAP registration's last valid day.
    public static let ismapThresholds = [60, 30]
    /// Days before an annual assessment's due day.
    public static let annualThreshold = 30

    /// The next anniversary (on or after `today`) of a Marketplace `annual_assessment` as published: "MM/DD" (the
    /// month and day of the yearly assessment — most rows of the 2026-04-28 file, e.g. "09/30", "12/1") or a full date
    /// ("2024-03-17T20:00:00.000Z", read as the last assessment, whose anniversary is then due). nil when unreadable.
    public static func nextAnnualAssessment(published: String, today: Day) -> Day? {
        let t = published.trimmingCharacters(in: .whitespaces)
        var month: Int?, day: Int?
        if t.count >= 10, let d = Day(String(t.prefix(10))) {
            (month, day) = (d.month, d.day)
        } else {
            let parts = t.split(separator: "/")
            if parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]) { (month, day) = (m, d) }
        }
        guard let month, let day, (1...12).contains(month), day >= 1 else { return nil }
        for year in [today.year, today.year + 1] {
            guard let d = Day(year: year, month: month, day: min(day, CivilCalendar.daysIn(month: month, year: year))) else { return nil }
            if d >= today { return d }
        }
        return nil
    }

    /// The reminders due on `today` for one service: `name` is how the organization calls it; `registry` what the
    /// registry says; `equivalency` the latest equivalency evaluation (its last annual assessment and rule set).
    public static func reminders(serviceID: String, name: String, registry: CloudRegistryStanding,
                                 equivalency: CloudEvaluationFacts?, today: Day) -> [CloudServiceReminder] {
        var out: [CloudServiceReminder] = []
        func key(_ parts: [String]) -> String { ReminderSchedule.key(["cloud", serviceID] + parts) }
        switch registry {
        case .ismap(_, _, let through):
            let left = today.days(until: through)
            if left < 0 {
                out.append(CloudServiceReminder(key: key(["ismap", through.description, "expired"]), kind: .ismapExpired, subject: serviceID,
                    text: LocalizedText(en: "\(name): the ISMAP registration expired on \(through); check the ISMAP list for its renewal or evaluate the service again.",
                                        ja: "\(name)：ISMAP 登録の有効期限が \(through) に切れました。ISMAP クラウドサービスリストで更新を確認するか、サービスを再評価してください。")))
            } else if let threshold = ismapThresholds.sorted().first(where: { left <= $0 }) {
                out.append(CloudServiceReminder(key: key(["ismap", through.description, String(threshold)]), kind: .ismapExpiring, subject: serviceID,
                    text: LocalizedText(en: "\(name): the ISMAP registration is valid through \(through) (\(left) days left).",
                                        ja: "\(name)：ISMAP 登録の有効期限は \(through) です（残り \(left) 日）。")))
            }
        case .fedramp(_, _, let published):
            if let published, let due = nextAnnualAssessment(published: published, today: today), today.days(until: due) <= annualThreshold {
                out.append(CloudServiceReminder(key: key(["annual", due.description]), kind: .annualAssessmentDue, subject: serviceID,
                    text: LocalizedText(en: "\(name): the provider's FedRAMP annual assessment is due on \(due) (Marketplace: \(published)); check the Marketplace afterwards.",
                                        ja: "\(name)：事業者の FedRAMP 年次評価の時期は \(due) です（Marketplace：\(published)）。実施後に Marketplace を確認してください。")))
            }
        case .notInRegistry: break
        }
        if let e = equivalency, let last = e.checklist?.lastAnnualAssessment {
            // Under the decision's own rule set version (the current one when it names none Tekigo knows).
            let due = (e.ruleSetVersion.flatMap(EquivalencyRuleSet.version) ?? .current).annualAssessmentDue(after: last)
            let left = today.days(until: due)
            if left < 0 {
                out.append(CloudServiceReminder(key: key(["equivalency-annual", due.description, "overdue"]), kind: .annualAssessmentOverdue, subject: serviceID,
                    text: LocalizedText(en: "\(name): the annual assessment recorded for the equivalency (\(last)) was due again on \(due); record the new one.",
                                        ja: "\(name)：同等性評価に記録した年次評価（\(last)）の次回期限 \(due) を過ぎています。新しい年次評価を記録してください。")))
            } else if left <= annualThreshold {
                out.append(CloudServiceReminder(key: key(["equivalency-annual", due.description]), kind: .annualAssessmentDue, subject: serviceID,
                    text: LocalizedText(en: "\(name): the provider's annual assessment is due on \(due) (last: \(last)).",
                                        ja: "\(name)：事業者の年次評価の期限は \(due) です（前回：\(last)）。")))
            }
        }
        return out
    }
}
