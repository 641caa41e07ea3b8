import Foundation
import SQLKit
import TekigoCore

/// One item of the organization's evidence library (migration 25), snake_case columns like the other records.
public struct EvidenceItemRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    /// `EvidenceLocation.Kind` raw value: file, link or share.
    public var kind: String
    /// The vault file's SHA-256, the link, or the share path, as text.
    public var location: String
    public var title: String
    /// The owner when a member of the organization (a user id), else nil.
    public var ownerUserId: String?
    /// The owner's name as typed (empty when the owner is a member: the member's name is shown).
    public var ownerName: String
    /// YYYY-MM-DD: the date of the document.
    public var documentDate: String
    /// YYYY-MM-DD, or nil when it does not expire.
    public var expiresOn: String?
    public var note: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(id: EvidenceItemID, organizationId: String, location: EvidenceLocation, title: String, ownerUserId: String?,
                ownerName: String, documentDate: Day, expiresOn: Day?, note: String, createdBy: String, at: String) {
        self.id = id.rawValue
        self.organizationId = organizationId
        self.kind = location.kind.rawValue
        self.location = location.text
        self.title = title
        self.ownerUserId = ownerUserId
        self.ownerName = ownerName
        self.documentDate = documentDate.description
        self.expiresOn = expiresOn?.description
        self.note = note
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.version = 1
    }

    public var itemID: EvidenceItemID { EvidenceItemID(id) }
    public var locationKind: EvidenceLocation.Kind { EvidenceLocation.Kind(rawValue: kind) ?? .link }
    public var expiryDay: Day? { expiresOn.flatMap(Day.init) }
    public var documentDay: Day? { Day(documentDate) }
    /// Whether the item has expired, expires soon or is fine on `today` (the organization's today).
    public func expiry(on today: Day) -> EvidenceExpiry { EvidenceExpiry.of(expiresOn: expiryDay, today: today) }
}

/// An item attached to one objective of one assessment.
public struct EvidenceAttachmentRecord: Codable, Sendable, Hashable {
    public var itemId: String
    public var organizationId: String
    public var assessmentId: String
    public var objective: String
    public var attachedBy: String
    public var attachedAt: String

    public init(itemId: String, organizationId: String, assessmentId: String, objective: String, attachedBy: String, attachedAt: String) {
        self.itemId = itemId
        self.organizationId = organizationId
        self.assessmentId = assessmentId
        self.objective = objective
        self.attachedBy = attachedBy
        self.attachedAt = attachedAt
    }
}

/// Where an item is used: an objective of an assessment, with the assessment's date and system for people to read.
public struct EvidenceUse: Sendable, Hashable, Codable {
    public let assessmentId: String
    public let assessedOn: String
    public let catalog: String
    public let systemName: String
    public let objective: String
}

/// The organization's evidence library. Every statement is scoped by `organization_id`; writes run in the caller's
/// transaction (`on:`), which `EvidenceLibraryUseCases` opens with the audit entry.
public struct EvidenceLibraryStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    // MARK: - Reads

    /// The organization's items by title.
    public func items(on s: (any SQLDatabase)? = nil) async throws -> [EvidenceItemRecord] {
        try await (s ?? db.sql).select().columns("*").from("evidence_items").where("organization_id", .equal, organizationID)
            .orderBy("title").orderBy("id").all().map { try $0.decode(model: EvidenceItemRecord.self, with: Self.fromSnake) }
    }

    /// One item of this organization; `NotFound` for an id of another organization or none.
    public func item(_ id: EvidenceItemID, on s: (any SQLDatabase)? = nil) async throws -> EvidenceItemRecord {
        guard storableID(id.rawValue), let r = try await (s ?? db.sql).select().columns("*").from("evidence_items")
            .where("organization_id", .equal, organizationID).where("id", .equal, id.rawValue).first()?
            .decode(model: EvidenceItemRecord.self, with: Self.fromSnake) else { throw NotFound(what: "evidence item \(id)") }
        return r
    }

    /// The item as the transaction `s` sees it, locked until the transaction ends: on PostgreSQL `FOR UPDATE` also waits
    /// for a transaction attaching it (its foreign key check holds a share lock on this row), so what `uses` reads next
    /// includes that attachment; on SQLite, `BEGIN IMMEDIATE` already holds the database's write lock.
    public func lockedItem(_ id: EvidenceItemID, on s: any SQLDatabase) async throws -> EvidenceItemRecord {
        guard storableID(id.rawValue) else { throw NotFound(what: "evidence item \(id)") }
        let forUpdate = db.engine == .postgres ? " FOR UPDATE" : ""
        guard let row = try await s.raw("""
            SELECT * FROM evidence_items WHERE organization_id = \(bind: organizationID) AND id = \(bind: id.rawValue)\(unsafeRaw: forUpdate)
            """).first() else { throw NotFound(what: "evidence item \(id)") }
        return try row.decode(model: EvidenceItemRecord.self, with: Self.fromSnake)
    }

    /// Where one item is used, by assessment date (newest first), then objective.
    public func uses(of id: EvidenceItemID, on s: (any SQLDatabase)? = nil) async throws -> [EvidenceUse] {
        try await (s ?? db.sql).raw("""
            SELECT a.id AS assessment_id, a.assessed_on, a.catalog, y.name AS system_name, e.objective
            FROM evidence_attachments e JOIN assessments a ON a.id = e.assessment_id AND a.organization_id = e.organization_id
            JOIN systems y ON y.id = a.system_id
            WHERE e.organization_id = \(bind: organizationID) AND e.item_id = \(bind: id.rawValue)
            ORDER BY a.assessed_on DESC, a.id, e.objective
            """).all().map { try $0.decode(model: EvidenceUse.self, with: Self.fromSnake) }
    }

    /// The number of attachments of every item that has any.
    public func useCounts(on s: (any SQLDatabase)? = nil) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await (s ?? db.sql).raw("""
            SELECT item_id, COUNT(*) AS n FROM evidence_attachments WHERE organization_id = \(bind: organizationID) GROUP BY item_id
            """).all() {
            out[try row.decode(column: "item_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// The items attached to an assessment's objectives: objective → items (by title).
    public func attached(assessmentID: String, on s: (any SQLDatabase)? = nil) async throws -> [String: [EvidenceItemRecord]] {
        let rows = try await (s ?? db.sql).raw("""
            SELECT e.objective AS attached_objective, i.* FROM evidence_attachments e JOIN evidence_items i ON i.id = e.item_id
            WHERE e.organization_id = \(bind: organizationID) AND i.organization_id = \(bind: organizationID)
              AND e.assessment_id = \(bind: assessmentID)
            ORDER BY e.objective, i.title, i.id
            """).all()
        var out: [String: [EvidenceItemRecord]] = [:]
        for row in rows {
            out[try row.decode(column: "attached_objective", as: String.self), default: []]
                .append(try row.decode(model: EvidenceItemRecord.self, with: Self.fromSnake))
        }
        return out
    }

    public func attachment(item: EvidenceItemID, assessmentID: String, objective: String,
                           on s: (any SQLDatabase)? = nil) async throws -> EvidenceAttachmentRecord? {
        try await (s ?? db.sql).select().columns("*").from("evidence_attachments").where("organization_id", .equal, organizationID)
            .where("item_id", .equal, item.rawValue).where("assessment_id", .equal, assessmentID).where("objective", .equal, objective)
            .first()?.decode(model: EvidenceAttachmentRecord.self, with: Self.fromSnake)
    }

    // MARK: - Writes (caller's transaction)

    public func insert(_ r: EvidenceItemRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "evidence_items").model(r, with: Self.snake).run()
    }

    /// Replaces the row while its stored version is `expectedVersion`; `VersionConflict` otherwise.
    public func update(_ r: EvidenceItemRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        let updated = try await s.update("evidence_items").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: try await item(r.itemID, on: s).version) }
    }

    /// Deletes an item (the caller has checked it is attached nowhere).
    public func delete(_ id: EvidenceItemID, on s: any SQLDatabase) async throws {
        try await s.delete(from: "evidence_items").where("organization_id", .equal, organizationID).where("id", .equal, id.rawValue).run()
    }

    /// Attaches an item to an objective; attaching it again changes nothing (returns false).
    @discardableResult
    public func attach(_ r: EvidenceAttachmentRecord, on s: any SQLDatabase) async throws -> Bool {
        precondition(r.organizationId == organizationID)
        let added = try await s.insert(into: "evidence_attachments").model(r, with: Self.snake)
            .ignoringConflicts(with: ["item_id", "assessment_id", "objective"]).returning("item_id").all()
        return !added.isEmpty
    }

    /// Detaches an item from an objective; false when it was not attached.
    @discardableResult
    public func detach(item: EvidenceItemID, assessmentID: String, objective: String, on s: any SQLDatabase) async throws -> Bool {
        let removed = try await s.delete(from: "evidence_attachments").where("organization_id", .equal, organizationID)
            .where("item_id", .equal, item.rawValue).where("assessment_id", .equal, assessmentID).where("objective", .equal, objective)
            .returning("item_id").all()
        return !removed.isEmpty
    }
}
