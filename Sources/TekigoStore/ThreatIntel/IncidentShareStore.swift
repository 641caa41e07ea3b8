import Foundation
import SQLKit
import TekigoCore

// Sharing from an incident (migration 18, issue 14 item 5). The use-case layer (`IncidentShareUseCases`) checks the
// incident's need-to-know, builds and publishes the bundle through `ThreatIntelUseCases` and records the share here.

/// An observable recorded on an incident. `kind` is `STIXObservableKind`'s raw value (the store does not know STIX).
public struct IncidentObservableRecord: Sendable, Hashable, Codable {
    public let id: String
    public let organizationID: String
    public let incidentID: String
    public let kind: String
    public let value: String
    /// The team's note: never shared.
    public let note: String
    public let addedBy: String
    /// `Timestamp` text.
    public let addedAt: String

    public init(id: String, organizationID: String, incidentID: String, kind: String, value: String, note: String,
                addedBy: String, addedAt: String) {
        self.id = id
        self.organizationID = organizationID
        self.incidentID = incidentID
        self.kind = kind
        self.value = value
        self.note = note
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

/// One publish of an incident's bundle into a collection, with the 3.6.2 evidence the user confirmed (nil until then).
public struct IncidentShareRecord: Sendable, Hashable, Codable {
    public let id: String
    public let organizationID: String
    public let incidentID: String
    public let communityID: String
    public let collectionID: String
    /// TLP 2.0 level (`clear` … `red`).
    public let tlp: String
    /// What the share carried, as JSON text (the choices and the observables' ids).
    public let included: String
    public let objectCount: Int
    /// SHA-256 hex of the bundle's bytes, as previewed and published.
    public let bundleSHA256: String
    /// The TAXII status of the add.
    public let statusID: String
    /// The community is an authority for the organization: the share is offered as 3.6.2 evidence.
    public let authority: Bool
    public let sharedBy: String
    public let sharedAt: String
    public var evidenceAssessment: String?
    /// JSON list of the objectives confirmed.
    public var evidenceObjectives: String?
    public var evidenceBy: String?
    public var evidenceAt: String?

    public init(id: String, organizationID: String, incidentID: String, communityID: String, collectionID: String, tlp: String,
                included: String, objectCount: Int, bundleSHA256: String, statusID: String, authority: Bool, sharedBy: String,
                sharedAt: String, evidenceAssessment: String? = nil, evidenceObjectives: String? = nil, evidenceBy: String? = nil,
                evidenceAt: String? = nil) {
        self.id = id
        self.organizationID = organizationID
        self.incidentID = incidentID
        self.communityID = communityID
        self.collectionID = collectionID
        self.tlp = tlp
        self.included = included
        self.objectCount = objectCount
        self.bundleSHA256 = bundleSHA256
        self.statusID = statusID
        self.authority = authority
        self.sharedBy = sharedBy
        self.sharedAt = sharedAt
        self.evidenceAssessment = evidenceAssessment
        self.evidenceObjectives = evidenceObjectives
        self.evidenceBy = evidenceBy
        self.evidenceAt = evidenceAt
    }
}

/// An organization's incident observables and shares; every query is scoped by `organization_id`, every write runs in
/// the caller's transaction when given `on:`.
public struct IncidentShareStore: Sendable {
    let db: TekigoDatabase
    public let organizationID: String

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    func write<R: Sendable>(_ s: (any SQLDatabase)?, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let s { return try await body(s) }
        return try await db.transaction(body)
    }

    static func observable(_ row: any SQLRow) throws -> IncidentObservableRecord {
        let t = ThreatIntelStore.text
        return IncidentObservableRecord(id: try t(row, "id"), organizationID: try t(row, "organization_id"), incidentID: try t(row, "incident_id"),
                                        kind: try t(row, "kind"), value: try t(row, "value"), note: try t(row, "note"),
                                        addedBy: try t(row, "added_by"), addedAt: try t(row, "added_at"))
    }

    /// Adds an observable; false when the incident lists the same kind and value already (nothing changes).
    public func addObservable(_ r: IncidentObservableRecord, on s: (any SQLDatabase)? = nil) async throws -> Bool {
        let org = organizationID
        return try await write(s) { s in
            let existing = try await s.raw("""
                SELECT id FROM incident_observables WHERE organization_id = \(bind: org) AND incident_id = \(bind: r.incidentID)
                AND kind = \(bind: r.kind) AND value = \(bind: r.value)
                """).first()
            guard existing == nil else { return false }
            try await s.insert(into: "incident_observables")
                .columns("id", "organization_id", "incident_id", "kind", "value", "note", "added_by", "added_at")
                .values(SQLBind(r.id), SQLBind(org), SQLBind(r.incidentID), SQLBind(r.kind), SQLBind(r.value), SQLBind(r.note),
                        SQLBind(r.addedBy), SQLBind(r.addedAt)).run()
            return true
        }
    }

    /// The incident's observables, in the order they were recorded.
    public func observables(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [IncidentObservableRecord] {
        try await (s ?? db.sql).raw("""
            SELECT id, organization_id, incident_id, kind, value, note, added_by, added_at FROM incident_observables
            WHERE organization_id = \(bind: organizationID) AND incident_id = \(bind: incidentID) ORDER BY added_at, id
            """).all().map(Self.observable)
    }

    /// Removes one observable of the incident; false when it has none with that id.
    public func deleteObservable(id: String, incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> Bool {
        let org = organizationID
        return try await write(s) { s in
            let found = try await s.raw("""
                SELECT id FROM incident_observables WHERE organization_id = \(bind: org) AND incident_id = \(bind: incidentID) AND id = \(bind: id)
                """).first()
            guard found != nil else { return false }
            try await s.delete(from: "incident_observables").where("id", .equal, id).where("organization_id", .equal, org).run()
            return true
        }
    }

    static let shareColumns = """
        id, organization_id, incident_id, community_id, collection_id, tlp, included, object_count, bundle_sha256, status_id, \
        authority, shared_by, shared_at, evidence_assessment, evidence_objectives, evidence_by, evidence_at
        """

    static func share(_ row: any SQLRow) throws -> IncidentShareRecord {
        let t = ThreatIntelStore.text, o = ThreatIntelStore.optionalText
        return IncidentShareRecord(id: try t(row, "id"), organizationID: try t(row, "organization_id"), incidentID: try t(row, "incident_id"),
                                   communityID: try t(row, "community_id"), collectionID: try t(row, "collection_id"), tlp: try t(row, "tlp"),
                                   included: try t(row, "included"), objectCount: try row.decode(column: "object_count", as: Int.self),
                                   bundleSHA256: try t(row, "bundle_sha256"), statusID: try t(row, "status_id"),
                                   authority: try ThreatIntelStore.flag(row, "authority"), sharedBy: try t(row, "shared_by"),
                                   sharedAt: try t(row, "shared_at"), evidenceAssessment: try o(row, "evidence_assessment"),
                                   evidenceObjectives: try o(row, "evidence_objectives"), evidenceBy: try o(row, "evidence_by"),
                                   evidenceAt: try o(row, "evidence_at"))
    }

    public func insertShare(_ r: IncidentShareRecord, on s: (any SQLDatabase)? = nil) async throws {
        let org = organizationID
        try await write(s) { s in
            try await s.insert(into: "incident_shares")
                .columns("id", "organization_id", "incident_id", "community_id", "collection_id", "tlp", "included", "object_count",
                         "bundle_sha256", "status_id", "authority", "shared_by", "shared_at", "evidence_assessment", "evidence_objectives",
                         "evidence_by", "evidence_at")
                .values(SQLBind(r.id), SQLBind(org), SQLBind(r.incidentID), SQLBind(r.communityID), SQLBind(r.collectionID), SQLBind(r.tlp),
                        SQLBind(r.included), SQLBind(r.objectCount), SQLBind(r.bundleSHA256), SQLBind(r.statusID), SQLBind(r.authority ? 1 : 0),
                        SQLBind(r.sharedBy), SQLBind(r.sharedAt), SQLBind(r.evidenceAssessment), SQLBind(r.evidenceObjectives),
                        SQLBind(r.evidenceBy), SQLBind(r.evidenceAt)).run()
        }
    }

    /// The incident's shares, newest first.
    public func shares(incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> [IncidentShareRecord] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.shareColumns) FROM incident_shares
            WHERE organization_id = \(bind: organizationID) AND incident_id = \(bind: incidentID) ORDER BY shared_at DESC, id
            """).all().map(Self.share)
    }

    /// One share of the incident, or nil.
    public func share(id: String, incidentID: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentShareRecord? {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.shareColumns) FROM incident_shares
            WHERE organization_id = \(bind: organizationID) AND incident_id = \(bind: incidentID) AND id = \(bind: id)
            """).first().map(Self.share)
    }

    /// Records the evidence the user confirmed for a share.
    public func setEvidence(shareID: String, assessmentID: String, objectives: String, by: String, at: String,
                            on s: (any SQLDatabase)? = nil) async throws {
        let org = organizationID
        try await write(s) { s in
            try await s.update("incident_shares").set("evidence_assessment", to: SQLBind(assessmentID))
                .set("evidence_objectives", to: SQLBind(objectives)).set("evidence_by", to: SQLBind(by)).set("evidence_at", to: SQLBind(at))
                .where("id", .equal, shareID).where("organization_id", .equal, org).run()
        }
    }
}
