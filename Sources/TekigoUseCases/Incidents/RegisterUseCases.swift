import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// A new media entry (7012(e)), as a form or a JSON body gives it.
public struct MediaDraft: Sendable, Hashable {
    public var kind: String
    public var description: String
    public var location: String
    public var sha256: String
    public var size: String
    public var holder: String

    public init(kind: String, description: String, location: String, sha256: String = "", size: String = "", holder: String) {
        self.kind = kind
        self.description = description
        self.location = location
        self.sha256 = sha256
        self.size = size
        self.holder = holder
    }
}

/// One incident's registers as the page and the API show them, with the hold at the clock's now.
public struct IncidentRegisters: Sendable, Hashable {
    public let incidentID: String
    public let title: String
    public let exercise: Bool
    public let hold: PreservationHold
    public let samples: [MalwareSampleRecord]
    public let transfers: [MalwareTransferRecord]
    public let media: [PreservedMediaRecord]
    public let custody: [CustodyEntryRecord]
    public let requests: [DoDRequestRecord]
    public let responses: [DoDResponseRecord]
    public let canManage: Bool
    public let now: Date
}

/// The incident registers of DFARS 252.204-7012 (issue 13 item 5): (d) malware samples — sealed, named by SHA-256,
/// never served as they are, out only as an encrypted archive after the warning is confirmed, with a transfer log to
/// DC3; (e) media images and packet captures with their chain of custody under the preservation hold; (f) forensic
/// access and (g) damage-assessment requests with the answers.
///
/// The need-to-know check first (`IncidentAccess`, as for the incident itself: reading takes `.readIncidents`, every
/// change and the archive `.manageIncidents`), then the rule, the transaction and its typed audit entry at the
/// injected clock's now. The hold is checked inside the store's transaction (`RegisterStore`); a refusal
/// (`IncidentError.heldItem(until:)`) rolls the change back and is then recorded on its own as
/// `incident.held-item-refused`, so the audit chain shows every attempt.
public struct IncidentRegisterUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    public let table: ReportingRegimeTable

    public static let maxShortText = 500
    public static let maxDescription = 2000
    public static let maxLongText = 20000

    public init(_ env: TenantEnvironment, _ scope: TenantScope, table: ReportingRegimeTable = .builtIn) {
        self.env = env
        self.scope = scope
        self.table = table
    }

    var store: RegisterStore { RegisterStore(env.db, organizationID: scope.organizationID, key: env.evidence.key) }
    var incidents: IncidentStore { IncidentStore(env.db, organizationID: scope.organizationID) }

    // MARK: - Reads

    /// Everything in the incident's registers, audited `incident.registers-read`.
    public func registers(incidentID: String) async throws -> IncidentRegisters {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let canManage = try await IncidentAccess.canManage(env, scope)
        let now = env.clock.now()
        let store = store, incidents = incidents, scope = scope, audit = env.audit, table = table
        return try await env.db.transaction { s in
            let incident = try await incidents.existing(id: incidentID, on: s)
            let r = IncidentRegisters(
                incidentID: incidentID, title: incident.title, exercise: incident.isExercise,
                hold: try await store.hold(incidentID: incidentID, now: now, table: table, on: s),
                samples: try await store.samples(incidentID: incidentID, on: s), transfers: try await store.transfers(incidentID: incidentID, on: s),
                media: try await store.media(incidentID: incidentID, on: s), custody: try await store.custody(incidentID: incidentID, on: s),
                requests: try await store.requests(incidentID: incidentID, on: s), responses: try await store.responses(incidentID: incidentID, on: s),
                canManage: canManage, now: now)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentRegistersRead, "incident/\(incidentID)/registers"), on: s)
            return r
        }
    }

    /// The preservation hold of the incident at the clock's now (for `tekigo incident hold-status`).
    public func hold(incidentID: String) async throws -> PreservationHold {
        try await IncidentAccess.require(.readIncidents, env, scope)
        _ = try await incidents.existing(id: incidentID)
        return try await store.hold(incidentID: incidentID, now: env.clock.now(), table: table)
    }

    // MARK: - (d) malware samples

    /// Seals an isolated sample under the incident (the same bytes twice: the first entry).
    public func addSample(incidentID: String, data: Data, filename: String, description: String) async throws -> MalwareSampleRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        try checkSample(data)
        let description = try Self.text(description, field: "description", limit: Self.maxDescription, required: false)
        let now = Timestamp.string(env.clock.now())
        let r = MalwareSampleRecord(id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: scope.organizationID,
                                    sha256: Hex.sha256(data), size: data.count, filename: EvidenceVault.sanitizedFilename(filename),
                                    description: description, addedBy: scope.actor.id, addedAt: now, updatedAt: now)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            let stored = try await store.addSample(r, data: data, on: s)
            if stored.id == r.id {
                _ = try await audit.append(IncidentAccess.event(scope, .incidentMalwareAdded, Self.sampleObject(incidentID, r.sha256),
                                                                after: r), on: s)
            }
            return stored
        }
    }

    /// Replaces a sample's bytes: refused while the hold lasts (`IncidentError.heldItem`), the attempt audited.
    public func replaceSample(incidentID: String, sha256: String, data: Data, filename: String) async throws -> MalwareSampleRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        try checkSample(data)
        let now = env.clock.now()
        let object = Self.sampleObject(incidentID, sha256.lowercased())
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        let name = EvidenceVault.sanitizedFilename(filename)
        return try await refusalsAudited(object) {
            try await env.db.transaction { s in
                _ = try await incidents.existing(id: incidentID, on: s)
                let before = try await store.existingSample(incidentID: incidentID, sha256: sha256, on: s)
                if before.isDisposed { throw IncidentRegisterError.disposed(before.sha256) }
                let after = try await store.replaceSample(incidentID: incidentID, sha256: sha256, with: data, filename: name, now: now, on: s)
                _ = try await audit.append(IncidentAccess.event(scope, .incidentMalwareReplaced, object, before: before, after: after), on: s)
                return after
            }
        }
    }

    /// Disposes of a sample once the hold has ended (managers); refused and audited before.
    public func disposeSample(incidentID: String, sha256: String) async throws -> MalwareSampleRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let object = Self.sampleObject(incidentID, sha256.lowercased())
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await refusalsAudited(object) {
            try await env.db.transaction { s in
                _ = try await incidents.existing(id: incidentID, on: s)
                let before = try await store.existingSample(incidentID: incidentID, sha256: sha256, on: s)
                let after = try await store.disposeSample(incidentID: incidentID, sha256: sha256, by: scope.actor.id, now: now, on: s)
                if !before.isDisposed {
                    _ = try await audit.append(IncidentAccess.event(scope, .incidentMalwareDisposed, object, before: before, after: after), on: s)
                }
                return after
            }
        }
    }

    /// The sample as an encrypted archive under a one-time key (`IncidentSampleArchive`), only after the warning was
    /// confirmed; managers only (it is the malware itself). Audited `incident.malware-archived`.
    /// `keyHex`: the key the warning page showed (64 hex digits); nil makes a new one (the API returns it).
    public func sampleArchive(incidentID: String, sha256: String, warningConfirmed: Bool,
                              keyHex: String? = nil) async throws -> IncidentSampleArchive {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard warningConfirmed else { throw IncidentRegisterError.warningNotConfirmed }
        if let keyHex, !IncidentSampleArchive.isKey(keyHex) { throw IncidentRegisterError.badKey }
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            let (record, plain) = try await store.sampleBytes(incidentID: incidentID, sha256: sha256, on: s)
            let archive = try IncidentSampleArchive.seal(plain, sha256: record.sha256, keyHex: keyHex)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentMalwareArchived, Self.sampleObject(incidentID, record.sha256),
                                                            after: record.sha256), on: s)
            return archive
        }
    }

    /// Records a sample's hand-over to DC3 (7012(d)): when (with an offset, not in the future), how, by whom, DC3's
    /// reference.
    public func recordTransfer(incidentID: String, sha256: String, sentAt: String, method: String, sentBy: String,
                               dc3Reference: String, note: String = "") async throws -> MalwareTransferRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let sent = try past(sentAt, field: "sentAt", now: now)
        let r = MalwareTransferRecord(
            id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: scope.organizationID, sampleSha256: sha256.lowercased(),
            sentAt: Timestamp.string(sent), method: try Self.text(method, field: "method", limit: Self.maxShortText),
            sentBy: try Self.text(sentBy, field: "sentBy", limit: Self.maxShortText),
            dc3Reference: try Self.text(dc3Reference, field: "dc3Reference", limit: Self.maxShortText, required: false),
            note: try Self.text(note, field: "note", limit: Self.maxDescription, required: false),
            recordedBy: scope.actor.id, recordedAt: Timestamp.string(now))
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            guard try await store.sample(incidentID: incidentID, sha256: r.sampleSha256, on: s) != nil else {
                throw IncidentRegisterError.unknownItem(r.sampleSha256)
            }
            try await store.addTransfer(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentMalwareTransferRecorded,
                                                            "incident/\(incidentID)/malware-transfer/\(r.id)", after: r), on: s)
            return r
        }
    }

    // MARK: - (e) media and custody

    public func addMedia(incidentID: String, _ draft: MediaDraft) async throws -> PreservedMediaRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let kind = try IncidentDraft.value(PreservedMediaKind.self, draft.kind, field: "kind")
        let stamp = Timestamp.string(env.clock.now())
        let r = PreservedMediaRecord(
            id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: scope.organizationID, kind: kind.rawValue,
            description: try Self.text(draft.description, field: "description", limit: Self.maxDescription),
            location: try Self.text(draft.location, field: "location", limit: Self.maxShortText),
            sha256: try Self.hash(draft.sha256), size: try Self.size(draft.size),
            holder: try Self.text(draft.holder, field: "holder", limit: Self.maxShortText),
            addedBy: scope.actor.id, addedAt: stamp, updatedAt: stamp, version: 1)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            try await store.addMedia(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentMediaAdded, Self.mediaObject(incidentID, r.id), after: r), on: s)
            return r
        }
    }

    /// Points a media entry at another copy (location, hash, size): refused while the hold lasts, the attempt audited.
    public func replaceMedia(incidentID: String, id: String, location: String, sha256: String, size: String,
                             expectedVersion: Int) async throws -> PreservedMediaRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let location = try Self.text(location, field: "location", limit: Self.maxShortText)
        let hash = try Self.hash(sha256), bytes = try Self.size(size)
        let now = env.clock.now()
        let object = Self.mediaObject(incidentID, id)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await refusalsAudited(object) {
            try await env.db.transaction { s in
                _ = try await incidents.existing(id: incidentID, on: s)
                let before = try await store.existingMedia(incidentID: incidentID, id: id, on: s)
                if before.isDisposed { throw IncidentRegisterError.disposed(before.description) }
                let after = try await store.replaceMedia(incidentID: incidentID, id: id, location: location, sha256: hash, size: bytes,
                                                         expectedVersion: expectedVersion, now: now, on: s)
                _ = try await audit.append(IncidentAccess.event(scope, .incidentMediaReplaced, object, before: before, after: after), on: s)
                return after
            }
        }
    }

    /// Records a media entry's disposal once the hold has ended (managers); refused and audited before.
    public func disposeMedia(incidentID: String, id: String) async throws -> PreservedMediaRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let object = Self.mediaObject(incidentID, id)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await refusalsAudited(object) {
            try await env.db.transaction { s in
                _ = try await incidents.existing(id: incidentID, on: s)
                let before = try await store.existingMedia(incidentID: incidentID, id: id, on: s)
                let after = try await store.disposeMedia(incidentID: incidentID, id: id, by: scope.actor.id, now: now, on: s)
                if !before.isDisposed {
                    _ = try await audit.append(IncidentAccess.event(scope, .incidentMediaDisposed, object, before: before, after: after), on: s)
                }
                return after
            }
        }
    }

    /// Appends a hand-over to a sample's or a media entry's chain of custody (`itemKind`: media / malware; a
    /// sample is named by its SHA-256 or its id). A media entry's holder becomes the receiving party.
    public func recordCustody(incidentID: String, itemKind raw: String, itemID: String, at: String, from: String, to: String,
                              purpose: String = "") async throws -> CustodyEntryRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let kind = try IncidentDraft.value(CustodyItemKind.self, raw, field: "itemKind")
        let now = env.clock.now()
        let when = try past(at, field: "at", now: now)
        let from = try Self.text(from, field: "from", limit: Self.maxShortText)
        let to = try Self.text(to, field: "to", limit: Self.maxShortText)
        let purpose = try Self.text(purpose, field: "purpose", limit: Self.maxDescription, required: false)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            let id: String
            switch kind {
            case .media:
                guard let m = try await store.mediaItem(incidentID: incidentID, id: itemID, on: s) else { throw IncidentRegisterError.unknownItem(itemID) }
                id = m.id
            case .malware:
                let byHash = try await store.sample(incidentID: incidentID, sha256: itemID, on: s)
                let byID = try await store.samples(incidentID: incidentID, on: s).first { $0.id == itemID }
                guard let m = byHash ?? byID else { throw IncidentRegisterError.unknownItem(itemID) }
                id = m.id
            }
            let r = CustodyEntryRecord(id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: scope.organizationID,
                                       itemKind: kind.rawValue, itemId: id, at: Timestamp.string(when), fromParty: from, toParty: to,
                                       purpose: purpose, recordedBy: scope.actor.id, recordedAt: Timestamp.string(now))
            try await store.addCustody(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentCustodyRecorded, "incident/\(incidentID)/custody/\(r.id)",
                                                            after: r), on: s)
            return r
        }
    }

    // MARK: - (f) forensic access, (g) damage assessment

    /// Records a request from DoD (`kind`: forensic-access / damage-assessment) with the date it arrived and what it
    /// asks; `dueAt` (optional) is the date DoD asked for.
    public func recordRequest(incidentID: String, kind raw: String, receivedAt: String, requestedBy: String, reference: String = "",
                              asked: String, dueAt: String = "") async throws -> DoDRequestRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let kind = try IncidentDraft.value(DoDRequestKind.self, raw, field: "kind")
        let now = env.clock.now()
        let received = try past(receivedAt, field: "receivedAt", now: now)
        let due = dueAt.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try OffsetInstant.parse(dueAt.trimmingCharacters(in: .whitespaces)).date
        let r = DoDRequestRecord(
            id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: scope.organizationID, kind: kind.rawValue,
            receivedAt: Timestamp.string(received), requestedBy: try Self.text(requestedBy, field: "requestedBy", limit: Self.maxShortText),
            reference: try Self.text(reference, field: "reference", limit: Self.maxShortText, required: false),
            asked: try Self.text(asked, field: "asked", limit: Self.maxLongText), dueAt: due.map(Timestamp.string),
            recordedBy: scope.actor.id, recordedAt: Timestamp.string(now))
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            try await store.addRequest(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentDoDRequestRecorded, "incident/\(incidentID)/dod-request/\(r.id)",
                                                            after: r), on: s)
            return r
        }
    }

    /// Records an answer to a DoD request: when, who answered, what was provided.
    public func recordResponse(incidentID: String, requestID: String, respondedAt: String, respondedBy: String,
                               text: String) async throws -> DoDResponseRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let now = env.clock.now()
        let at = try past(respondedAt, field: "respondedAt", now: now)
        let by = try Self.text(respondedBy, field: "respondedBy", limit: Self.maxShortText)
        let text = try Self.text(text, field: "text", limit: Self.maxLongText)
        let store = store, incidents = incidents, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await incidents.existing(id: incidentID, on: s)
            _ = try await store.existingRequest(incidentID: incidentID, id: requestID, on: s)
            let r = DoDResponseRecord(id: UUID().uuidString.lowercased(), requestId: requestID, incidentId: incidentID,
                                      organizationId: scope.organizationID, respondedAt: Timestamp.string(at), respondedBy: by, text: text,
                                      recordedBy: scope.actor.id, recordedAt: Timestamp.string(now))
            try await store.addResponse(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentDoDResponseRecorded,
                                                            "incident/\(incidentID)/dod-request/\(requestID)/response/\(r.id)", after: r), on: s)
            return r
        }
    }

    // MARK: - Rules and helpers

    static func sampleObject(_ incident: String, _ sha: String) -> String { "incident/\(incident)/malware/\(sha)" }
    static func mediaObject(_ incident: String, _ id: String) -> String { "incident/\(incident)/media/\(id)" }

    /// Runs a change; when the hold refuses it, records `incident.held-item-refused` (with the hold's end) in a
    /// transaction of its own — the change's was rolled back — and rethrows.
    func refusalsAudited<T: Sendable>(_ object: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as IncidentError {
            if case .heldItem(let until) = e {
                let event = IncidentAccess.event(scope, .incidentHeldItemRefused, object, after: until.map(Timestamp.string) ?? "awaiting-report")
                let audit = env.audit
                try await env.db.transaction { s in _ = try await audit.append(event, on: s) }
            }
            throw e
        }
    }

    func checkSample(_ data: Data) throws {
        guard !data.isEmpty else { throw IncidentRegisterError.emptySample }
        guard data.count <= env.evidence.maxSize else { throw IncidentRegisterError.sampleTooLarge(limit: env.evidence.maxSize) }
    }

    /// An instant with its offset that has happened (five minutes' drift allowed).
    func past(_ text: String, field: String, now: Date) throws -> Date {
        let d = try OffsetInstant.parse(text.trimmingCharacters(in: .whitespaces)).date
        guard d <= now.addingTimeInterval(5 * 60) else { throw IncidentRegisterError.inFuture(field: field) }
        return d
    }

    static func text(_ raw: String, field: String, limit: Int, required: Bool = true) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, t.isEmpty { throw IncidentRegisterError.emptyField(field) }
        guard t.count <= limit else { throw IncidentRegisterError.tooLong(field: field, limit: limit) }
        return t
    }

    static func hash(_ raw: String) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if t.isEmpty { return "" }
        guard t.utf8.count == 64, t.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw IncidentRegisterError.badHash(raw)
        }
        return t
    }

    static func size(_ raw: String) throws -> Int? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let n = Int(t), n >= 0 else { throw IncidentRegisterError.badSize(raw) }
        return n
    }
}
