import Foundation
import TekigoCore

extension ReminderRecord {
    /// A reporting-readiness reminder (`ReadinessReminder.Kind`): its subject is the certificate's or the plan's id
    /// (empty for the count of certificate holders).
    public var isAboutReadiness: Bool { ReadinessReminder.Kind(rawValue: kind) != nil }
}

extension ReminderStore {
    /// The readiness reminders due at `now` for the organization (`ReadinessRules.reminders`, the rules live there), on
    /// the organization's calendar: certificates before and after they expire, fewer than two holders, the IR plan's
    /// review. Only for an organization that has recorded something about readiness, so nobody is reminded of a
    /// feature they never opened.
    func readinessReminders(at now: Date, stamp: String) async throws -> [ReminderRecord] {
        let store = ReadinessStore(db, organizationID: organizationID)
        guard try await store.hasAnything() else { return [] }
        let today = Day(now, in: try await timeZone())
        return ReadinessRules.reminders(try await store.facts(), today: today).map {
            ReminderRecord(organizationId: organizationID, reminderKey: $0.key, kind: $0.kind.rawValue, subject: $0.subject,
                           textEn: $0.text.en, textJa: $0.text.ja, createdAt: stamp, dismissedAt: nil)
        }
    }
}
