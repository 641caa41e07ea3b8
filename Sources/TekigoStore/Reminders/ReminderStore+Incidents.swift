import Foundation
import TekigoCore

extension ReminderRecord {
    /// An incident's reminder (`IncidentReminder.Kind`): its subject is the incident's id.
    public var isAboutIncident: Bool { IncidentReminder.Kind(rawValue: kind) != nil }
}

extension ReminderStore {
    /// The incident reminders due at `now` for the organization (`IncidentReminderSchedule`, the rules live there):
    /// each incident's clocks from its affected contracts' clauses, its submissions and the organization's hour
    /// settings, the due instants written in the organization's time zone. Closed incidents whose clocks are all met
    /// or elapsed yield nothing; an exercise's reminders say so.
    func incidentReminders(at now: Date, zone: TimeZone, stamp: String) async throws -> [ReminderRecord] {
        let store = IncidentStore(db, organizationID: organizationID)
        let incidents = try await store.incidents()
        guard !incidents.isEmpty else { return [] }
        let contracts = Dictionary(grouping: try await store.contracts(incidentID: nil), by: \.incidentId)
        let submissions = Dictionary(grouping: try await store.submissions(incidentID: nil), by: \.incidentId)
        let settings = try await store.hourSettings()
        var out: [ReminderRecord] = []
        for incident in incidents {
            guard let discovered = incident.discoveredDate else { continue }
            let clauses = (contracts[incident.id] ?? []).reduce(into: Set<ContractClause>()) { $0.formUnion($1.clauseSet) }
            let facts = (submissions[incident.id] ?? []).compactMap(\.submission).map(\.fact)
            let deadlines = IncidentClock.deadlines(clauses: clauses, discoveredAt: discovered, submissions: facts,
                                                    hourSettings: settings, now: now)
            for r in IncidentReminderSchedule.due(incidentID: incident.id, title: incident.title, exercise: incident.isExercise,
                                                  deadlines: deadlines, zone: zone, now: now) {
                out.append(ReminderRecord(organizationId: organizationID, reminderKey: r.key, kind: r.kind.rawValue,
                                          subject: incident.id, textEn: r.text.en, textJa: r.text.ja, createdAt: stamp,
                                          dismissedAt: nil))
            }
        }
        return out
    }
}
