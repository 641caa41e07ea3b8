import Foundation
import TekigoCore

extension ReminderRecord {
    /// A reminder of the exercise schedule (`ExerciseReminder.Kind`); its subject is the last completed exercise's id
    /// (or empty when none was completed).
    public var isAboutExercises: Bool { ExerciseReminder.Kind(rawValue: kind) != nil }
}

extension ReminderStore {
    /// The exercise reminders due at `now` for the organization (`ExerciseSchedule.reminders`, the rules live there),
    /// on the organization's calendar: before the next exercise is due and when it is overdue. Only for an organization
    /// that has taken exercises up (set a frequency or planned one), so nobody is reminded of a feature they never
    /// opened.
    func exerciseReminders(at now: Date, stamp: String) async throws -> [ReminderRecord] {
        let store = ExerciseStore(db, organizationID: organizationID)
        let months = try await store.frequencyMonths()
        let last = try await store.lastCompleted()
        if months == nil, last == nil, try await store.exercises().isEmpty { return [] }
        let today = Day(now, in: try await timeZone())
        let lastCompleted = last.flatMap { r in r.completedDay.map { (id: r.id, day: $0) } }
        return ExerciseSchedule.reminders(lastCompleted: lastCompleted, months: months ?? ExerciseSchedule.defaultMonths, today: today)
            .map {
                ReminderRecord(organizationId: organizationID, reminderKey: $0.key, kind: $0.kind.rawValue, subject: last?.id ?? "",
                               textEn: $0.text.en, textJa: $0.text.ja, createdAt: stamp, dismissedAt: nil)
            }
    }
}
