import Foundation
import TekigoCore

extension ReminderRecord {
    /// A reminder about a cloud service the organization uses (`CloudServiceReminder.Kind`); its subject is the
    /// service's id.
    public var isAboutCloudServices: Bool { CloudServiceReminder.Kind(rawValue: kind) != nil }
}

extension ReminderStore {
    /// The cloud service reminders due at `now` for the organization (`CloudServiceReminderSchedule.reminders`, the
    /// rules live there), on the organization's calendar: annual assessments falling due (the Marketplace's
    /// `annual_assessment`, or the equivalency evaluation's last annual assessment) and ISMAP registrations expiring
    /// (60 and 30 days) or expired. Only for an organization that recorded services.
    func cloudServiceReminders(at now: Date, stamp: String) async throws -> [ReminderRecord] {
        let store = CloudServiceStore(db, organizationID: organizationID)
        let services = try await store.services()
        guard !services.isEmpty else { return [] }
        let today = Day(now, in: try await timeZone())
        let evaluations = try await store.evaluationsByService()
        // The registry read once for all the services, not once per service (this runs for every organization).
        let registries = try await store.registry(services.compactMap(\.serviceRef))
        var out: [ReminderRecord] = []
        for service in services {
            let registry = service.serviceRef.flatMap { registries[$0] } ?? .notInRegistry
            let equivalency = (evaluations[service.id] ?? []).compactMap(\.facts).last { $0.method == .equivalency }
            out += CloudServiceReminderSchedule.reminders(serviceID: service.id, name: service.name, registry: registry.standing,
                                                          equivalency: equivalency, today: today).map {
                ReminderRecord(organizationId: organizationID, reminderKey: $0.key, kind: $0.kind.rawValue, subject: $0.subject,
                               textEn: $0.text.en, textJa: $0.text.ja, createdAt: stamp, dismissedAt: nil)
            }
        }
        return out
    }
}
