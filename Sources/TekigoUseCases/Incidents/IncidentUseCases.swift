import Foundation
import TekigoCore
import SQLKit
import TekigoStore

/// A file attached to a timeline entry; sealed by the evidence vault like assessment evidence.
public struct IncidentEvidenceUpload: Sendable, Hashable {
    public let data: Data
    public let filename: String
    public let contentType: String

    public init(data: Data, filename: String, contentType: String = "application/octet-stream") {
        self.data = data
        self.filename = filename
        self.contentType = contentType
    }
}

/// The need-to-know check every incident operation makes first (`Role.allowsIncidents`): the role, else the caller's
/// place on the incident team (an API token acts for its owner's place).
enum IncidentAccess {
    static func granted(_ env: TenantEnvironment, _ scope: TenantScope) async throws -> Bool {
        let store = IncidentStore(env.db, organizationID: scope.organizationID)
        guard let user = try await store.userID(ofActor: scope.actor.id) else { return false }
        return try await store.isOnTeam(userID: user)
    }

    static func require(_ action: TenantAction, _ env: TenantEnvironment, _ scope: TenantScope) async throws {
        if scope.role.allows(action) { return }
        guard scope.role.allowsIncidents(action, granted: try await granted(env, scope)) else {
            throw IncidentUseCaseError.notAllowed(action)
        }
    }

    static func canManage(_ env: TenantEnvironment, _ scope: TenantScope) async throws -> Bool {
        if scope.role.allows(.manageIncidents) { return true }
        return scope.role.allowsIncidents(.manageIncidents, granted: try await granted(env, scope))
    }

    static func event(_ scope: TenantScope, _ action: AuditAction, _ object: String, before: (any Encodable)? = nil,
                      after: (any Encodable)? = nil) -> AuditEvent {
        func digest(_ v: any Encodable) -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            return AuditLog.digest((try? e.encode(v)) ?? Data())
        }
        return AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID, sourceIP: scope.actor.sourceIP, action: action,
                          object: object, beforeDigest: before.map(digest), afterDigest: after.map(digest))
    }
}

/// Every change to an organization's cyber incidents (issue 13; DFARS 252.204-7012(c)–(g)), each in one transaction
/// with its typed audit entry, at the injected clock's now, after the need-to-know check (`Role.allowsIncidents`:
/// owners and administrators by role, assessors and contributors on the incident team; viewers and auditors never
/// change anything). The rules of the clocks and reports are the domain's (`IncidentFacts`, `IncidentPhase.canMove`,
/// `IncidentClock`), refused with `IncidentError`; what this layer refuses is `IncidentUseCaseError`; an incident of
/// another organization, or none, is `NotFound`.
public struct IncidentUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    public let table: ReportingRegimeTable

    public static let maxChannelLength = 500
    public static let maxReportNumberLength = 100
    public static let maxTimelineText = 20000

    public init(_ env: TenantEnvironment, _ scope: TenantScope, table: ReportingRegimeTable = .builtIn) {
        self.env = env
        self.scope = scope
        self.table = table
    }

    var store: IncidentStore { IncidentStore(env.db, organizationID: scope.organizationID) }

    /// Systems and contracts of a draft, checked against the organization's (contracts: only those it holds as supplier).
    func links(_ draft: IncidentDraft, incidentID: String) async throws -> ([IncidentSystemRecord], [IncidentContractRecord]) {
        let systems = try await scope.store.systems()
        var sys: [IncidentSystemRecord] = []
        for id in Set(draft.systemIDs.map { $0.trimmingCharacters(in: .whitespaces) }).sorted() {
            guard let s = systems.first(where: { $0.id == id }) else { throw IncidentUseCaseError.unknownSystem(id) }
            sys.append(IncidentSystemRecord(incidentId: incidentID, systemId: s.id, systemName: s.name))
        }
        let linkable = try await store.linkableContracts()
        var cons: [IncidentContractRecord] = []
        for id in Set(draft.contractIDs.map { $0.trimmingCharacters(in: .whitespaces) }).sorted() {
            guard let c = linkable.first(where: { $0.id == id }) else { throw IncidentUseCaseError.unknownContract(id) }
            let clauses = String(decoding: try JSONEncoder().encode(c.clauses.sorted().map(\.rawValue)), as: UTF8.self)
            cons.append(IncidentContractRecord(incidentId: incidentID, contractId: c.id, number: c.number, customerId: c.customerID,
                                               clauses: clauses))
        }
        return (sys, cons)
    }

    /// Records a new incident in phase `detected`. Returns it as the show page reads it (no read entry: the writer
    /// wrote it).
    public func open(_ draft: IncidentDraft) async throws -> IncidentDetail {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let facts = try draft.facts(now: now)
        let id = UUID().uuidString.lowercased()
        let (systems, contracts) = try await links(draft, incidentID: id)
        let stamp = Timestamp.string(now)
        let r = IncidentRecord(id: id, organizationID: scope.organizationID, facts: facts, phase: .detected, exercise: draft.exercise,
                               reportFields: nil, createdBy: scope.actor.id, createdAt: stamp, updatedAt: stamp, version: 1)
        let store = store, scope = scope, audit = env.audit, env = env, table = table
        return try await env.db.transaction { s in
            try await store.insert(r, systems: systems, contracts: contracts, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentOpened, "incident/\(id)", after: r), on: s)
            return try await IncidentQueries.detail(id: id, store: store, env: env, scope: scope, table: table, canManage: true, on: s)
        }
    }

    /// Replaces the facts, systems and contracts while the stored version is `expectedVersion`
    /// (`IncidentUseCaseError.staleVersion` otherwise). The exercise flag stays as opened. A discovery moved after a
    /// recorded submission is refused (`IncidentError.submissionBeforeDiscovery`).
    public func update(id: String, _ draft: IncidentDraft, expectedVersion: Int) async throws -> IncidentDetail {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let facts = try draft.facts(now: now)
        let (systems, contracts) = try await links(draft, incidentID: id)
        let store = store, scope = scope, audit = env.audit, env = env, table = table
        return try await env.db.transaction { s in
            let before = try await store.existing(id: id, on: s)
            guard before.version == expectedVersion else { throw IncidentUseCaseError.staleVersion(current: before.version) }
            if let first = try await store.submissions(incidentID: id, on: s).compactMap({ Timestamp.date($0.submittedAt) }).min(),
               first < facts.discoveredAt {
                throw IncidentError.submissionBeforeDiscovery(submitted: first, discovered: facts.discoveredAt)
            }
            var r = before
            r.setFacts(facts)
            r.updatedAt = Timestamp.string(now)
            r.version = before.version + 1
            try await store.update(r, expectedVersion: expectedVersion, systems: systems, contracts: contracts, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentUpdated, "incident/\(id)", before: before, after: r), on: s)
            return try await IncidentQueries.detail(id: id, store: store, env: env, scope: scope, table: table, canManage: true, on: s)
        }
    }

    /// Moves the incident to another phase (`IncidentPhase.canMove`: forward, or back to analysing), with a timeline
    /// entry saying so and the caller's note. `to` is an `IncidentPhase` raw value.
    public func movePhase(id: String, to raw: String, note: String = "") async throws -> IncidentDetail {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let target = try IncidentDraft.value(IncidentPhase.self, raw, field: "phase")
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= Self.maxTimelineText else { throw IncidentError.textTooLong(field: "note", limit: Self.maxTimelineText) }
        let now = env.clock.now(), stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit, env = env, table = table
        return try await env.db.transaction { s in
            let before = try await store.existing(id: id, on: s)
            let from = try before.incidentPhase()
            guard from.canMove(to: target) else { throw IncidentError.illegalPhaseChange(from: from, to: target) }
            var r = before
            r.phase = target.rawValue
            r.updatedAt = stamp
            r.version = before.version + 1
            try await store.update(r, expectedVersion: before.version, on: s)
            let text = note.isEmpty ? "\(from.label.ja) → \(target.label.ja) / \(from.label.en) → \(target.label.en)" : note
            try await store.addTimeline(IncidentTimelineRecord(id: UUID().uuidString.lowercased(), incidentId: id,
                                                               organizationId: scope.organizationID, at: Timestamp.string(now),
                                                               author: scope.actor.id, text: text, phase: target.rawValue,
                                                               evidence: "[]", createdAt: stamp), on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentPhaseChanged, "incident/\(id)", before: before, after: r), on: s)
            return try await IncidentQueries.detail(id: id, store: store, env: env, scope: scope, table: table, canManage: true, on: s)
        }
    }

    /// Adds a timeline entry, at the clock's now, with files sealed by the evidence vault in the same transaction
    /// (each upload audited `evidence.uploaded`, the entry `incident.timeline-added`).
    public func addTimelineEntry(id: String, text: String, evidence: [IncidentEvidenceUpload] = []) async throws -> IncidentTimelineRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || !evidence.isEmpty else { throw IncidentUseCaseError.emptyTimelineEntry }
        guard text.count <= Self.maxTimelineText else { throw IncidentError.textTooLong(field: "text", limit: Self.maxTimelineText) }
        guard !evidence.contains(where: { $0.data.isEmpty }) else { throw AssessmentError.emptyUpload }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit, vault = env.evidence
        return try await env.db.transaction { s in
            _ = try await store.existing(id: id, on: s)
            var refs: [IncidentEvidenceRef] = []
            for file in evidence {
                let r = try await vault.put(organizationID: scope.organizationID, data: file.data, filename: file.filename,
                                            contentType: file.contentType, uploadedBy: scope.actor.id, on: s)
                _ = try await audit.append(EvidenceUseCases.uploaded(r, scope), on: s)
                refs.append(IncidentEvidenceRef(sha256: r.sha256, filename: r.filename))
            }
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            let entry = IncidentTimelineRecord(id: UUID().uuidString.lowercased(), incidentId: id, organizationId: scope.organizationID,
                                               at: stamp, author: scope.actor.id, text: text, phase: nil,
                                               evidence: String(decoding: try e.encode(refs), as: UTF8.self), createdAt: stamp)
            try await store.addTimeline(entry, on: s)
            try await store.touch(incidentID: id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentTimelineAdded, "incident/\(id)/timeline/\(entry.id)",
                                                            after: entry), on: s)
            return entry
        }
    }

    /// Records a report as submitted. Rules, in order: the kind is known; the time carries an offset
    /// (`IncidentError.instantWithoutOffset`), is not before discovery and not in the future (five minutes' drift
    /// allowed); a DoD report carries the number DoD returned, unique across every organization
    /// (`IncidentError.reportNumberInUse`; an exercise's numbers are practice and never reserve one); a follow-on cites
    /// this incident's initial report number (nil `cites` means that number).
    public func recordSubmission(id: String, kind raw: String, submittedAt text: String, channel: String,
                                 reportNumber: String? = nil, cites: String? = nil) async throws -> IncidentSubmissionRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let kind = try IncidentDraft.value(SubmissionKind.self, raw, field: "kind")
        let submitted = try OffsetInstant.parse(text).date
        let now = env.clock.now()
        guard submitted <= now.addingTimeInterval(5 * 60) else { throw IncidentError.submissionInFuture(submitted) }
        let channel = channel.trimmingCharacters(in: .whitespacesAndNewlines)
        guard channel.count <= Self.maxChannelLength else { throw IncidentUseCaseError.tooLong(field: "channel", limit: Self.maxChannelLength) }
        let number = reportNumber?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let number, number.count > Self.maxReportNumberLength {
            throw IncidentUseCaseError.tooLong(field: "reportNumber", limit: Self.maxReportNumberLength)
        }
        if kind.carriesDoDReportNumber, number == nil { throw IncidentError.emptyReportNumber }
        let cited = cites?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let stamp = Timestamp.string(now)
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let incident = try await store.existing(id: id, on: s)
            guard let discovered = incident.discoveredDate else { throw IncidentStoreError.corruptRow("incident/\(id)") }
            guard submitted >= discovered else { throw IncidentError.submissionBeforeDiscovery(submitted: submitted, discovered: discovered) }
            try await store.lockSubmissions(on: s)
            let earlier = try await store.submissions(incidentID: id, on: s)
            var citing: String? = nil
            if kind == .dodFollowOn {
                let initial = earlier.filter { $0.kind == SubmissionKind.dodInitial.rawValue }.min { $0.submittedAt < $1.submittedAt }?.reportNumber
                guard let initial, cited == nil || cited == initial else { throw IncidentError.followOnWithoutInitial(cited ?? "") }
                citing = initial
            } else {
                citing = cited
            }
            let dodNumber = kind.carriesDoDReportNumber && !incident.isExercise ? number : nil
            if let number, kind.carriesDoDReportNumber {
                // Within the incident too (an exercise included): one number, one report.
                if earlier.contains(where: { $0.reportNumber == number && SubmissionKind(rawValue: $0.kind)?.carriesDoDReportNumber == true }) {
                    throw IncidentError.reportNumberInUse(number)
                }
                if let dodNumber, try await store.dodReportNumberInUse(dodNumber, on: s) { throw IncidentError.reportNumberInUse(number) }
            }
            let r = IncidentSubmissionRecord(id: UUID().uuidString.lowercased(), incidentId: id, organizationId: scope.organizationID,
                                             kind: kind.rawValue, submittedAt: Timestamp.string(submitted), channel: channel,
                                             submittedBy: scope.actor.id, reportNumber: number, dodReportNumber: dodNumber,
                                             cites: citing, createdAt: stamp)
            try await store.addSubmission(r, on: s)
            try await store.touch(incidentID: id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentSubmissionRecorded, "incident/\(id)/submission/\(r.id)",
                                                            after: r), on: s)
            return r
        }
    }

    /// Sets the organization's hours for a clock rule marked as a setting (`ClockRule.setting`), within
    /// `IncidentClock.settableHours`; nil goes back to Tekigo's default. Owners and administrators only.
    public func setHourSetting(ruleID: String, hours: Int?) async throws {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        guard let rule = table.rule(ruleID), rule.setting else { throw IncidentError.badHourSetting(rule: ruleID, hours: hours ?? 0) }
        if let hours, !IncidentClock.settableHours.contains(hours) { throw IncidentError.badHourSetting(rule: ruleID, hours: hours) }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.hourSettings(on: s)[ruleID]
            try await store.setHours(ruleID: ruleID, hours: hours, by: scope.actor.id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentHoursSet, "incident-settings/\(ruleID)",
                                                            before: before, after: hours), on: s)
        }
    }

    /// Puts a member on the incident team (need-to-know). Owners and administrators only; idempotent.
    public func grantIncidentAccess(userID: String) async throws {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        guard try await AccountStore(env.db).role(userID: userID, organizationID: scope.organizationID) != nil else {
            throw IncidentUseCaseError.notAMember(userID)
        }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            if try await store.grant(userID: userID, by: scope.actor.id, at: stamp, on: s) {
                _ = try await audit.append(IncidentAccess.event(scope, .incidentAccessGranted, "incident-team/\(userID)", after: userID), on: s)
            }
        }
    }

    /// Takes a member off the incident team; `NotFound` when they were not on it.
    public func revokeIncidentAccess(userID: String) async throws {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.revoke(userID: userID, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentAccessRevoked, "incident-team/\(userID)", before: userID), on: s)
        }
    }

    /// Stores the report drafts' fields, checked (`IncidentReportFields.check()`), as a change of the incident (new
    /// version; with `expectedVersion`, only while it matches). Returns the new version.
    public func saveReportFields(id: String, _ fields: IncidentReportFields, expectedVersion: Int? = nil) async throws -> Int {
        try fields.check()
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try await saveReportFields(id: id, json: String(decoding: try e.encode(fields), as: UTF8.self), expectedVersion: expectedVersion)
    }

    /// The same from JSON text: a JSON object that decodes as `IncidentReportFields` (whose decoding refuses bad values
    /// with `IncidentReportFieldsError`, naming the field); anything else is `IncidentUseCaseError.reportFieldsNotJSON`.
    public func saveReportFields(id: String, json: String, expectedVersion: Int? = nil) async throws -> Int {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any] else { throw IncidentUseCaseError.reportFieldsNotJSON }
        do {
            try JSONDecoder().decode(IncidentReportFields.self, from: Data(json.utf8)).check()
        } catch let e as IncidentReportFieldsError {
            throw e
        } catch let DecodingError.dataCorrupted(context) {
            if let e = context.underlyingError as? IncidentReportFieldsError { throw e }
            throw IncidentUseCaseError.reportFieldsNotJSON
        } catch {
            throw IncidentUseCaseError.reportFieldsNotJSON
        }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.existing(id: id, on: s)
            if let expectedVersion, expectedVersion != before.version { throw IncidentUseCaseError.staleVersion(current: before.version) }
            var r = before
            r.reportFields = json
            r.updatedAt = stamp
            r.version = before.version + 1
            try await store.update(r, expectedVersion: before.version, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentReportFieldsSaved, "incident/\(id)",
                                                            before: before.reportFields, after: json), on: s)
            return r.version
        }
    }
}

fileprivate extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
