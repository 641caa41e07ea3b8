import Foundation
import SQLKit
import TekigoCore

/// One organization's incident registers (migration 10; DFARS 252.204-7012 (d)–(g)): malware samples sealed with the
/// evidence key, their transfers to DC3, media images and packet captures, the chain of custody of both, and DoD's
/// forensic-access and damage-assessment requests with the answers.
///
/// Every query is scoped to `organizationID`, as in `IncidentStore`. Writes run in the caller's transaction (`on:`).
/// The preservation hold is enforced here, not only above: every method that replaces or disposes of a sample or a
/// media entry reads the hold in the same transaction (`hold(incidentID:now:on:)`) and throws
/// `IncidentError.heldItem(until:)` before it writes, so no caller can get round it. Nothing here deletes a row:
/// disposal marks it (a sample's sealed bytes are emptied), custody entries, transfers, requests and answers are
/// append-only.
public struct RegisterStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let key: EvidenceKey

    public init(_ db: TekigoDatabase, organizationID: String, key: EvidenceKey) {
        self.db = db
        self.organizationID = organizationID
        self.key = key
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder
    static let sampleColumns = ["id", "incident_id", "organization_id", "sha256", "size", "filename", "description", "added_by",
                                "added_at", "updated_at", "disposed_at", "disposed_by"]

    func scoped(_ table: String, _ s: (any SQLDatabase)?, columns: [String] = ["*"]) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns(columns.map { SQLColumn($0) }).from(table).where("organization_id", .equal, organizationID)
    }

    func rows<T: Decodable>(_ q: SQLSelectBuilder, _ type: T.Type) async throws -> [T] {
        try await q.all().map { try $0.decode(model: T.self, with: Self.fromSnake) }
    }

    /// Binds a sealed sample to its organization, incident and hash: bytes copied to another row do not open.
    static func binding(organizationID: String, incidentID: String, sha256: String) -> Data {
        EvidenceKey.binding("tekigo.incident-malware.v1", [organizationID, incidentID, sha256])
    }

    // MARK: - The hold

    /// The preservation hold of the incident's samples and media at `now`: from its first DoD initial report
    /// (`dod-initial`) plus the `dfars-7012.preserve` hours; held with no end while there is none.
    public func hold(incidentID: String, now: Date, table: ReportingRegimeTable = .builtIn,
                     on s: (any SQLDatabase)? = nil) async throws -> PreservationHold {
        let first = try await (s ?? db.sql).select().column("submitted_at").from("incident_submissions")
            .where("organization_id", .equal, organizationID).where("incident_id", .equal, incidentID)
            .where("kind", .equal, SubmissionKind.dodInitial.rawValue).all()
            .compactMap { Timestamp.date(try $0.decode(column: "submitted_at", as: String.self)) }.min()
        return PreservationHold.at(now, firstInitialReport: first, table: table)
    }

    // MARK: - Reads

    public func samples(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [MalwareSampleRecord] {
        try await rows(scoped("incident_malware", s, columns: Self.sampleColumns).where("incident_id", .equal, incidentID)
            .orderBy("added_at").orderBy("id"), MalwareSampleRecord.self)
    }

    public func sample(incidentID: String, sha256: String, on s: (any SQLDatabase)? = nil) async throws -> MalwareSampleRecord? {
        try await rows(scoped("incident_malware", s, columns: Self.sampleColumns).where("incident_id", .equal, incidentID)
            .where("sha256", .equal, sha256.lowercased()), MalwareSampleRecord.self).first
    }

    /// The sample, or `NotFound`.
    public func existingSample(incidentID: String, sha256: String, on s: (any SQLDatabase)? = nil) async throws -> MalwareSampleRecord {
        guard let r = try await sample(incidentID: incidentID, sha256: sha256, on: s) else { throw NotFound(what: "Malware sample \(sha256)") }
        return r
    }

    /// The media entry, or `NotFound`.
    public func existingMedia(incidentID: String, id: String, on s: (any SQLDatabase)? = nil) async throws -> PreservedMediaRecord {
        guard let r = try await mediaItem(incidentID: incidentID, id: id, on: s) else { throw NotFound(what: "Media entry \(id)") }
        return r
    }

    /// The sample's bytes, opened and checked against its SHA-256 (for the encrypted archive only).
    public func sampleBytes(incidentID: String, sha256: String, on s: (any SQLDatabase)? = nil) async throws -> (MalwareSampleRecord, Data) {
        let sha = sha256.lowercased()
        guard let row = try await scoped("incident_malware", s, columns: Self.sampleColumns + ["sealed"])
            .where("incident_id", .equal, incidentID).where("sha256", .equal, sha).first() else {
            throw NotFound(what: "Malware sample \(sha)")
        }
        let record = try row.decode(model: MalwareSampleRecord.self, with: Self.fromSnake)
        if record.isDisposed { throw RegisterStoreError.sampleDisposed(sha) }
        let sealed = try row.decode(column: "sealed", as: Data.self)
        guard let plain = key.unseal(sealed, binding: Self.binding(organizationID: organizationID, incidentID: incidentID, sha256: sha)),
              Hex.sha256(plain) == sha, plain.count == record.size else { throw RegisterStoreError.sampleIntegrity(sha) }
        return (record, plain)
    }

    public func transfers(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [MalwareTransferRecord] {
        try await rows(scoped("incident_malware_transfers", s).where("incident_id", .equal, incidentID).orderBy("sent_at").orderBy("id"),
                       MalwareTransferRecord.self)
    }

    public func media(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [PreservedMediaRecord] {
        try await rows(scoped("incident_media", s).where("incident_id", .equal, incidentID).orderBy("added_at").orderBy("id"),
                       PreservedMediaRecord.self)
    }

    public func mediaItem(incidentID: String, id: String, on s: (any SQLDatabase)? = nil) async throws -> PreservedMediaRecord? {
        try await rows(scoped("incident_media", s).where("incident_id", .equal, incidentID).where("id", .equal, id),
                       PreservedMediaRecord.self).first
    }

    /// The incident's chain-of-custody entries, oldest first (of one item when `itemID` is given).
    public func custody(incidentID: String, itemID: String? = nil, on s: (any SQLDatabase)? = nil) async throws -> [CustodyEntryRecord] {
        var q = scoped("incident_custody", s).where("incident_id", .equal, incidentID)
        if let itemID { q = q.where("item_id", .equal, itemID) }
        return try await rows(q.orderBy("at").orderBy("recorded_at").orderBy("id"), CustodyEntryRecord.self)
    }

    public func requests(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [DoDRequestRecord] {
        try await rows(scoped("incident_dod_requests", s).where("incident_id", .equal, incidentID).orderBy("received_at").orderBy("id"),
                       DoDRequestRecord.self)
    }

    public func request(incidentID: String, id: String, on s: (any SQLDatabase)? = nil) async throws -> DoDRequestRecord? {
        try await rows(scoped("incident_dod_requests", s).where("incident_id", .equal, incidentID).where("id", .equal, id),
                       DoDRequestRecord.self).first
    }

    /// The request, or `NotFound`.
    public func existingRequest(incidentID: String, id: String, on s: (any SQLDatabase)? = nil) async throws -> DoDRequestRecord {
        guard let r = try await request(incidentID: incidentID, id: id, on: s) else { throw NotFound(what: "DoD request \(id)") }
        return r
    }

    public func responses(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [DoDResponseRecord] {
        try await rows(scoped("incident_dod_responses", s).where("incident_id", .equal, incidentID).orderBy("responded_at").orderBy("id"),
                       DoDResponseRecord.self)
    }

    // MARK: - Writes (in the caller's transaction)

    /// Seals and stores a sample; the existing record when the incident has these bytes already.
    public func addSample(_ r: MalwareSampleRecord, data: Data, on s: any SQLDatabase) async throws -> MalwareSampleRecord {
        precondition(r.organizationId == organizationID && r.sha256 == Hex.sha256(data))
        if let existing = try await sample(incidentID: r.incidentId, sha256: r.sha256, on: s) { return existing }
        guard let sealed = try key.seal(data, binding: Self.binding(organizationID: organizationID, incidentID: r.incidentId, sha256: r.sha256)) else {
            throw RegisterStoreError.sampleIntegrity(r.sha256)
        }
        try await s.insert(into: "incident_malware")
            .columns("id", "incident_id", "organization_id", "sha256", "size", "filename", "description", "sealed", "added_by", "added_at",
                     "updated_at")
            .values(SQLBind(r.id), SQLBind(r.incidentId), SQLBind(organizationID), SQLBind(r.sha256), SQLBind(r.size), SQLBind(r.filename),
                    SQLBind(r.description), SQLBind(sealed), SQLBind(r.addedBy), SQLBind(r.addedAt), SQLBind(r.updatedAt))
            .run()
        return r
    }

    /// Replaces a sample's bytes (a re-upload under the same entry). Refused while held, checked here.
    public func replaceSample(incidentID: String, sha256: String, with data: Data, filename: String, now: Date,
                              on s: any SQLDatabase) async throws -> MalwareSampleRecord {
        try await hold(incidentID: incidentID, now: now, on: s).check()
        guard var r = try await sample(incidentID: incidentID, sha256: sha256, on: s) else { throw NotFound(what: "Malware sample \(sha256)") }
        if r.isDisposed { throw RegisterStoreError.sampleDisposed(r.sha256) }
        let sha = Hex.sha256(data)
        guard let sealed = try key.seal(data, binding: Self.binding(organizationID: organizationID, incidentID: incidentID, sha256: sha)) else {
            throw RegisterStoreError.sampleIntegrity(sha)
        }
        r.sha256 = sha
        r.size = data.count
        r.filename = filename
        r.updatedAt = Timestamp.string(now)
        try await s.update("incident_malware").set("sha256", to: sha).set("size", to: data.count).set("filename", to: filename)
            .set("sealed", to: SQLBind(sealed)).set("updated_at", to: r.updatedAt)
            .where("organization_id", .equal, organizationID).where("id", .equal, r.id).run()
        return r
    }

    /// Disposes of a sample after the hold: the sealed bytes are emptied, the row stays. Refused while held.
    public func disposeSample(incidentID: String, sha256: String, by actor: String, now: Date, on s: any SQLDatabase) async throws -> MalwareSampleRecord {
        try await hold(incidentID: incidentID, now: now, on: s).check()
        guard var r = try await sample(incidentID: incidentID, sha256: sha256, on: s) else { throw NotFound(what: "Malware sample \(sha256)") }
        if r.isDisposed { return r }
        r.disposedAt = Timestamp.string(now)
        r.disposedBy = actor
        try await s.update("incident_malware").set("sealed", to: SQLBind(Data())).set("disposed_at", to: r.disposedAt)
            .set("disposed_by", to: actor).where("organization_id", .equal, organizationID).where("id", .equal, r.id).run()
        return r
    }

    public func addTransfer(_ r: MalwareTransferRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_malware_transfers").model(r, with: Self.snake).run()
    }

    public func addMedia(_ r: PreservedMediaRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_media").model(r, with: Self.snake).run()
    }

    /// Replaces what a media entry points at (location, hash, size) while its version is `expectedVersion`.
    /// Refused while held (checked first, here); `VersionConflict` when someone changed it meanwhile.
    public func replaceMedia(incidentID: String, id: String, location: String, sha256: String, size: Int?, expectedVersion: Int,
                             now: Date, on s: any SQLDatabase) async throws -> PreservedMediaRecord {
        try await hold(incidentID: incidentID, now: now, on: s).check()
        guard var r = try await mediaItem(incidentID: incidentID, id: id, on: s) else { throw NotFound(what: "Media entry \(id)") }
        guard r.version == expectedVersion else { throw VersionConflict(current: r.version) }
        r.location = location
        r.sha256 = sha256
        r.size = size
        r.updatedAt = Timestamp.string(now)
        r.version += 1
        try await s.update("incident_media").set("location", to: location).set("sha256", to: sha256).set("size", to: SQLBind(size))
            .set("updated_at", to: r.updatedAt).set("version", to: r.version)
            .where("organization_id", .equal, organizationID).where("id", .equal, id).where("version", .equal, expectedVersion).run()
        return r
    }

    /// Marks a media entry disposed of after the hold. Refused while held (checked first, here).
    public func disposeMedia(incidentID: String, id: String, by actor: String, now: Date, on s: any SQLDatabase) async throws -> PreservedMediaRecord {
        try await hold(incidentID: incidentID, now: now, on: s).check()
        guard var r = try await mediaItem(incidentID: incidentID, id: id, on: s) else { throw NotFound(what: "Media entry \(id)") }
        if r.isDisposed { return r }
        r.disposedAt = Timestamp.string(now)
        r.disposedBy = actor
        r.version += 1
        try await s.update("incident_media").set("disposed_at", to: r.disposedAt).set("disposed_by", to: actor).set("version", to: r.version)
            .where("organization_id", .equal, organizationID).where("id", .equal, id).run()
        return r
    }

    /// Appends a custody entry; a media entry's holder becomes the receiving party.
    public func addCustody(_ r: CustodyEntryRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_custody").model(r, with: Self.snake).run()
        if r.itemKind == CustodyItemKind.media.rawValue {
            try await s.update("incident_media").set("holder", to: r.toParty).set("updated_at", to: r.recordedAt)
                .where("organization_id", .equal, organizationID).where("id", .equal, r.itemId).run()
        }
    }

    public func addRequest(_ r: DoDRequestRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_dod_requests").model(r, with: Self.snake).run()
    }

    public func addResponse(_ r: DoDResponseRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "incident_dod_responses").model(r, with: Self.snake).run()
    }
}
