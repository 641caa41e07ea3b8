import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// An exercise as a client plans it (text, as typed), checked by `ExerciseUseCases.plan`.
public struct ExerciseDraft: Sendable, Hashable {
    /// `ExerciseScenario.id` of a built-in scenario.
    public var scenarioID: String
    /// `ExerciseKind` raw value.
    public var kind: String
    /// Empty: the scenario's title in both languages.
    public var title: String
    /// YYYY-MM-DD.
    public var plannedOn: String
    public var facilitator: String
    /// Members taking part (user ids of the organization's members).
    public var participantUserIDs: [String]
    /// People taking part by name (one per entry; blanks ignored).
    public var participantNames: [String]

    public init(scenarioID: String, kind: String = ExerciseKind.tabletop.rawValue, title: String = "", plannedOn: String,
                facilitator: String, participantUserIDs: [String] = [], participantNames: [String] = []) {
        self.scenarioID = scenarioID
        self.kind = kind
        self.title = title
        self.plannedOn = plannedOn
        self.facilitator = facilitator
        self.participantUserIDs = participantUserIDs
        self.participantNames = participantNames
    }
}

/// What a completed exercise offers as evidence in one assessment, objective by objective, before anything is written:
/// the page shows it as the confirmation; `ExerciseUseCases.confirmEvidence` writes only what the user then confirms.
public struct ExerciseEvidenceOffer: Sendable, Hashable {
    /// An objective the evidence would be added to, with the finding as it stands.
    public typealias Item = OfferedEvidenceItem

    public let exerciseID: String
    public let assessment: AssessmentRecord
    public let items: [Item]
}

/// Every change to an organization's incident-response exercises (issue 13 item 7; SP 800-171 rev2 3.6.3, rev3
/// 03.06.03), each after the incidents' need-to-know check (`Role.allowsIncidents`) and in one transaction with its
/// typed audit entry at the injected clock's now. Running an exercise opens an exercise incident through
/// `IncidentUseCases.open` (its clocks run, nothing is reported); evidence goes into an assessment only through
/// `confirmEvidence`, through `AssessmentUseCases.putFinding`; findings become POA&M items through `POAMUseCases`.
public struct ExerciseUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    public let scenarios: ExerciseScenarioLibrary

    public static let maxTitle = 200
    public static let maxName = 200
    public static let maxParticipants = 100
    public static let maxText = 20000

    public init(_ env: TenantEnvironment, _ scope: TenantScope, scenarios: ExerciseScenarioLibrary = .builtIn) {
        self.env = env
        self.scope = scope
        self.scenarios = scenarios
    }

    var store: ExerciseStore { ExerciseStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    func scenario(_ id: String) throws -> ExerciseScenario {
        guard let s = scenarios.scenario(id: id.trimmingCharacters(in: .whitespaces)) else { throw ExerciseError.unknownScenario(id) }
        return s
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    // MARK: plan

    /// Plans an exercise from a scenario: date, kind, facilitator and participants (members by id, people by name).
    public func plan(_ draft: ExerciseDraft) async throws -> ExerciseRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let scenario = try scenario(draft.scenarioID)
        guard let kind = ExerciseKind(rawValue: Self.trimmed(draft.kind)) else { throw ExerciseError.unknownKind(draft.kind) }
        let title = Self.trimmed(draft.title).isEmpty ? "\(scenario.title.ja) / \(scenario.title.en)" : Self.trimmed(draft.title)
        guard title.count <= Self.maxTitle else { throw ExerciseError.textTooLong(field: "title", limit: Self.maxTitle) }
        guard let day = Day(Self.trimmed(draft.plannedOn)) else { throw ExerciseError.badDate(draft.plannedOn) }
        let facilitator = Self.trimmed(draft.facilitator)
        guard !facilitator.isEmpty else { throw ExerciseError.emptyFacilitator }
        guard facilitator.count <= Self.maxName else { throw ExerciseError.textTooLong(field: "facilitator", limit: Self.maxName) }
        let members = try await AccountStore(env.db).members(organizationID: scope.organizationID)
        var participants: [ExerciseParticipant] = []
        for id in draft.participantUserIDs.map(Self.trimmed).filter({ !$0.isEmpty }) where !participants.contains(where: { $0.userId == id }) {
            guard let (user, _) = members.first(where: { $0.0.id == id }) else { throw IncidentUseCaseError.notAMember(id) }
            participants.append(ExerciseParticipant(name: user.displayName, userId: user.id))
        }
        for name in draft.participantNames.map(Self.trimmed).filter({ !$0.isEmpty }) {
            guard name.count <= Self.maxName else { throw ExerciseError.textTooLong(field: "participants", limit: Self.maxName) }
            participants.append(ExerciseParticipant(name: name))
        }
        guard !participants.isEmpty else { throw ExerciseError.noParticipants }
        guard participants.count <= Self.maxParticipants else { throw ExerciseError.textTooLong(field: "participants", limit: Self.maxParticipants) }
        let stamp = Timestamp.string(env.clock.now())
        let r = ExerciseRecord(id: UUID().uuidString.lowercased(), organizationId: scope.organizationID, scenarioId: scenario.id,
                               kind: kind.rawValue, title: title, plannedOn: day.description, facilitator: facilitator,
                               participants: participants, status: .planned, createdBy: scope.actor.id, at: stamp)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.insert(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exercisePlanned, "exercise/\(r.id)", after: r), on: s)
        }
        return r
    }

    // MARK: run

    /// Runs a planned exercise: opens its exercise incident through `IncidentUseCases.open` (discovered now, by the
    /// facilitator, naming the contracts the organization holds as a supplier so their regimes' clocks run; nothing
    /// is reported or sent) and marks the exercise running with that incident.
    public func start(id: String) async throws -> ExerciseRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let before = try await store.existing(id: id)
        guard before.exerciseStatus == .planned else { throw ExerciseError.wrongStatus(before.exerciseStatus ?? .planned, needed: .planned) }
        let scenario = try scenario(before.scenarioId)
        let now = env.clock.now()
        let seed = scenario.incident
        // The contracts the organization holds as a supplier bring their regimes, so the clocks run as they would in
        // a real incident (an exercise reports nothing and tells no customer).
        let contracts = try await IncidentStore(env.db, organizationID: scope.organizationID).linkableContracts().map(\.id)
        let incident = try await IncidentUseCases(env, scope).open(IncidentDraft(
            title: "\(seed.title.ja) / \(seed.title.en)", discoveredAt: OffsetInstant.format(now, in: TimeZone(identifier: "UTC")!),
            discoveredTimeZone: scope.organization.timeZone, discoveredBy: before.facilitator,
            detectionMethod: seed.detectionMethod.rawValue, compromiseType: seed.compromiseType.rawValue, outcome: seed.outcome.rawValue,
            technique: "\(seed.technique.ja)\n\(seed.technique.en)", narrative: "\(scenario.summary.ja)\n\n\(scenario.summary.en)",
            contractIDs: contracts, exercise: true))
        let stamp = Timestamp.string(now)
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let current = try await store.existing(id: id, on: s)
            guard current.exerciseStatus == .planned else {
                throw ExerciseError.wrongStatus(current.exerciseStatus ?? .planned, needed: .planned)
            }
            var r = current
            r.status = ExerciseStatus.running.rawValue
            r.incidentId = incident.id
            r.startedAt = stamp
            r.updatedAt = stamp
            r.version = current.version + 1
            try await store.update(r, expectedVersion: current.version, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseStarted, "exercise/\(id)", before: current, after: r), on: s)
            return r
        }
    }

    /// Records a decision, finding or note of a running exercise, optionally answering one of its scenario's injects.
    public func addEntry(id: String, kind raw: String, text: String, injectID: String? = nil) async throws -> ExerciseEntryRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard let kind = ExerciseEntryKind(rawValue: Self.trimmed(raw)) else { throw ExerciseError.unknownEntryKind(raw) }
        let text = Self.trimmed(text)
        guard !text.isEmpty else { throw ExerciseError.emptyEntry }
        guard text.count <= Self.maxText else { throw ExerciseError.textTooLong(field: "text", limit: Self.maxText) }
        let inject = injectID.map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit, scenarios = scenarios
        return try await env.db.transaction { s in
            let r = try await store.existing(id: id, on: s)
            guard r.exerciseStatus == .running else { throw ExerciseError.wrongStatus(r.exerciseStatus ?? .planned, needed: .running) }
            if let inject, scenarios.scenario(id: r.scenarioId)?.inject(inject) == nil { throw ExerciseError.unknownInject(inject) }
            let e = ExerciseEntryRecord(id: UUID().uuidString.lowercased(), exerciseId: id, organizationId: scope.organizationID, kind: kind,
                                        injectId: inject, text: text, at: stamp, author: scope.actor.id)
            try await store.addEntry(e, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseEntryAdded, "exercise/\(id)/entry/\(e.id)", after: e), on: s)
            return e
        }
    }

    /// Completes a running exercise with its summary, on the organization's today (the schedule counts from it), and
    /// closes its exercise incident (`IncidentUseCases.movePhase`, unless already closed).
    public func complete(id: String, summary: String) async throws -> ExerciseRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let summary = Self.trimmed(summary)
        guard !summary.isEmpty else { throw ExerciseError.emptySummary }
        guard summary.count <= Self.maxText else { throw ExerciseError.textTooLong(field: "summary", limit: Self.maxText) }
        let stamp = Timestamp.string(env.clock.now()), today = today
        let store = store, scope = scope, audit = env.audit
        let r = try await env.db.transaction { s in
            let current = try await store.existing(id: id, on: s)
            guard current.exerciseStatus == .running else {
                throw ExerciseError.wrongStatus(current.exerciseStatus ?? .planned, needed: .running)
            }
            var r = current
            r.status = ExerciseStatus.completed.rawValue
            r.summary = summary
            r.completedAt = stamp
            r.completedOn = today.description
            r.updatedAt = stamp
            r.version = current.version + 1
            try await store.update(r, expectedVersion: current.version, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseCompleted, "exercise/\(id)", before: current, after: r), on: s)
            return r
        }
        if let incident = r.incidentId {
            let phase = try await IncidentStore(env.db, organizationID: scope.organizationID).incident(id: incident)?.incidentPhase()
            if let phase, phase.canMove(to: .closed) {
                _ = try await IncidentUseCases(env, scope).movePhase(id: incident, to: IncidentPhase.closed.rawValue,
                                                                     note: "演習の完了 / Exercise completed")
            }
        }
        return r
    }

    // MARK: evidence (offered, then confirmed)

    /// What the completed exercise would add to `assessmentID`'s findings, objective by objective (the test — rev2
    /// 3.6.3, rev3 A.03.06.03 — and the 3.6.1 / 3.6.2 objectives its scenario exercised). Writes nothing. `link`: where
    /// the exercise's record is (the page's full address), part of the evidence text.
    public func evidenceOffer(id: String, assessmentID: String, link: String) async throws -> ExerciseEvidenceOffer {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let r = try await store.existing(id: id)
        guard r.exerciseStatus == .completed, let completed = r.completedDay else {
            throw ExerciseError.wrongStatus(r.exerciseStatus ?? .planned, needed: .completed)
        }
        guard let assessment = try await scope.store.assessment(id: assessmentID) else { throw ExerciseError.unknownAssessment(assessmentID) }
        let catalog = try env.library.catalog(CatalogID(assessment.catalog))
        let scenario = try scenario(r.scenarioId)
        let objectives = try ExerciseEvidence.objectives(for: scenario, in: catalog)
        let location = ExerciseEvidence.text(title: r.title, kind: r.exerciseKind ?? .tabletop, scenario: scenario, completedOn: completed,
                                             link: link)
        let items = try await OfferedEvidence(env: env, scope: scope).items(assessmentID: assessmentID, objectives: objectives, location: location)
        return ExerciseEvidenceOffer(exerciseID: id, assessment: assessment, items: items)
    }

    /// Adds the offered evidence to the objectives the user confirmed, and to no other: each through
    /// `AssessmentUseCases.putFinding` with the version the offer was read at (`versions[objective]`, else the
    /// current one), keeping the finding's status and rationale (`finding.updated` each), then records what was added
    /// with `exercise.evidence-added`. An objective not in the offer is refused before anything is written; one that
    /// already lists this evidence is left as it is. Needs need-to-know and the right to edit findings.
    public func confirmEvidence(id: String, assessmentID: String, objectives chosen: [String], link: String,
                                versions: [String: Int] = [:]) async throws -> [ExerciseEvidenceRecord] {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard scope.role.allows(.editFindings) else { throw POAMError.notAllowed }
        let chosen = OfferedEvidence.chosen(chosen)
        guard !chosen.isEmpty else { throw ExerciseError.nothingConfirmed }
        let offer = try await evidenceOffer(id: id, assessmentID: assessmentID, link: link)
        for o in chosen where !offer.items.contains(where: { $0.objective == o }) { throw ExerciseError.objectiveNotOffered(o) }
        let stamp = Timestamp.string(env.clock.now()), organizationID = scope.organizationID, actor = scope.actor.id
        let confirmed = offer.items.filter { chosen.contains($0.objective) }
        try await OfferedEvidence(env: env, scope: scope).add(confirmed, assessmentID: assessmentID, versions: versions)
        // Every confirmed objective is recorded, those that listed the evidence already included.
        let added = confirmed.map { item in
            ExerciseEvidenceRecord(exerciseId: id, organizationId: organizationID, assessmentId: assessmentID,
                                   objective: item.objective, location: item.location, addedBy: actor, addedAt: stamp)
        }
        let store = store, scope = scope, audit = env.audit, written = added
        try await env.db.transaction { s in
            for r in written { try await store.addEvidence(r, on: s) }
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseEvidenceAdded, "exercise/\(id)/evidence/\(assessmentID)",
                                                            after: written), on: s)
        }
        return added
    }

    // MARK: findings → POA&M

    /// Turns a finding of the exercise into the POA&M item of `requirement` in `assessmentID` through
    /// `POAMUseCases.save`: a new item with the finding as its weakness, or — when the requirement has an item
    /// already — the finding added to that item's weakness (at its version; nothing else of it changes).
    public func findingToPOAM(id: String, entryID: String, assessmentID: String, requirement: String) async throws -> POAMItemRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let exercise = try await store.existing(id: id)
        guard let entry = try await store.entries(exerciseID: id).first(where: { $0.id == entryID }) else {
            throw ExerciseError.unknownEntry(entryID)
        }
        guard entry.entryKind == .finding else { throw ExerciseError.notAFinding(entryID) }
        guard let assessment = try await scope.store.assessment(id: assessmentID) else { throw ExerciseError.unknownAssessment(assessmentID) }
        let requirement = Self.trimmed(requirement)
        let poam = POAMUseCases(env, scope)
        try poam.checkRequirement(assessment, requirement)
        let weakness = "\(entry.text)\n（演習 / Exercise: \(exercise.title)）"
        let existing = try await scope.store.poamItems(assessmentID: assessmentID).first { $0.requirement == requirement }
        let draft: POAMDraft
        if let e = existing {
            let milestones = (try? JSONDecoder().decode([Milestone].self, from: Data(e.milestones.utf8))) ?? []
            draft = POAMDraft(weakness: e.weakness + "\n\n" + weakness, owner: e.owner, resources: e.resources, status: e.status,
                              scheduled: e.scheduledCompletion ?? "", completed: e.completedOn ?? "",
                              milestones: milestones.map { .init(description: $0.description, due: $0.due.description, done: $0.done) })
        } else {
            draft = POAMDraft(weakness: weakness)
        }
        let item = try await poam.save(assessment, requirement: requirement, draft, ifVersion: existing?.version ?? 0)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.setPOAM(entryID: entryID, assessmentID: assessmentID, requirement: requirement, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exercisePOAMCreated, "exercise/\(id)/entry/\(entryID)/poam",
                                                            after: ["assessment": assessmentID, "requirement": requirement]), on: s)
        }
        return item
    }

    // MARK: frequency

    /// Sets how often the organization tests its incident response capability (rev3 A.03.06.03.ODP.01), in months
    /// within `ExerciseSchedule.frequencyMonths`; nil goes back to Tekigo's default. Owners and administrators only.
    public func setFrequency(months: Int?) async throws {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        if let months, !ExerciseSchedule.frequencyMonths.contains(months) { throw ExerciseError.badFrequency(months) }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.frequencyMonths(on: s)
            try await store.setFrequency(months: months, by: scope.actor.id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .exerciseFrequencySet, "exercise-settings/frequency",
                                                            before: before, after: months), on: s)
        }
    }
}
