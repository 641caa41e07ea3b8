import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// An evidence library item as a client enters it (text, as typed), checked by `EvidenceLibraryUseCases`.
public struct EvidenceItemDraft: Sendable, Hashable {
    /// `file` (a vault file by SHA-256), `link` (http/https) or `share` (a file-share path, kept as text).
    public var kind: String
    public var location: String
    public var title: String
    /// A member's user id when the owner is a member; empty otherwise.
    public var ownerMember: String
    /// The owner's name when not a member (ignored when `ownerMember` is set).
    public var ownerName: String
    /// YYYY-MM-DD: the date of the document; empty: the organization's today.
    public var documentDate: String
    /// YYYY-MM-DD or empty (does not expire).
    public var expiresOn: String
    public var note: String

    public init(kind: String, location: String, title: String, ownerMember: String = "", ownerName: String = "",
                documentDate: String = "", expiresOn: String = "", note: String = "") {
        self.kind = kind
        self.location = location
        self.title = title
        self.ownerMember = ownerMember
        self.ownerName = ownerName
        self.documentDate = documentDate
        self.expiresOn = expiresOn
        self.note = note
    }
}

/// Every change to the organization's evidence library (issue 17 item 5): add, change (at the version read), delete
/// (refused while attached, naming where), attach to and detach from an objective of an assessment. Owners,
/// administrators, assessors and contributors add, change and attach (`.uploadEvidence`, `.editFindings`); deleting
/// is for owners, administrators and assessors (`.deleteEvidence`); everyone else reads. Each change is one transaction
/// with its typed audit entry (`evidence-item.*`) at the injected clock's now. Findings are untouched: an attachment
/// is a row of its own, beside the finding's evidence references.
public struct EvidenceLibraryUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public static let maxTitle = 200
    public static let maxText = 2000

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: EvidenceLibraryStore { EvidenceLibraryStore(env.db, organizationID: scope.organizationID) }

    func require(_ action: TenantAction, _ words: String) throws {
        guard scope.role.allows(action) else { throw EvidenceLibraryError.notAllowed(action: words) }
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func text(_ s: String, _ field: String, required: Bool = false, limit: Int = maxText) throws -> String {
        let t = trimmed(s)
        if required, t.isEmpty { throw EvidenceLibraryError.empty(field: field) }
        guard t.count <= limit else { throw EvidenceLibraryError.tooLong(field: field, limit: limit) }
        return t
    }

    static func day(_ s: String, _ field: String) throws -> Day? {
        let t = trimmed(s)
        if t.isEmpty { return nil }
        guard let d = Day(t) else { throw EvidenceLibraryError.badDate(field: field, value: t) }
        return d
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

    struct Checked {
        let location: EvidenceLocation
        let title: String
        let ownerUserId: String?
        let ownerName: String
        let documentDate: Day
        let expiresOn: Day?
        let note: String
    }

    /// Every rule of an item, in the order of the form's fields: the first problem is the error.
    func check(_ d: EvidenceItemDraft) async throws -> Checked {
        let kindText = Self.trimmed(d.kind)
        guard let kind = EvidenceLocation.Kind(rawValue: kindText) else { throw EvidenceLibraryError.unknownKind(kindText) }
        let location: EvidenceLocation
        do { location = try EvidenceLocation(kind: kind, text: d.location) } catch {
            throw EvidenceLibraryError.badLocation(kind: kind, problem: error)
        }
        guard location.text.count <= Self.maxText else { throw EvidenceLibraryError.tooLong(field: "location", limit: Self.maxText) }
        if case .vault(let sha) = location,
           try await env.evidence.record(organizationID: scope.organizationID, sha256: sha) == nil {
            throw EvidenceLibraryError.unknownVaultFile(sha)
        }
        let title = try Self.text(d.title, "title", required: true, limit: Self.maxTitle)
        let member = Self.trimmed(d.ownerMember)
        var ownerName = ""
        if member.isEmpty {
            ownerName = try Self.text(d.ownerName, "ownerName", required: true, limit: Self.maxTitle)
        } else {
            let members = try await AccountStore(env.db).members(organizationID: scope.organizationID)
            guard members.contains(where: { $0.0.id == member }) else { throw EvidenceLibraryError.unknownMember(member) }
        }
        let documentDate = try Self.day(d.documentDate, "documentDate") ?? scope.calendar.today(env.clock)
        let expiresOn = try Self.day(d.expiresOn, "expiresOn")
        if let expiresOn, expiresOn < documentDate {
            throw EvidenceLibraryError.expiresBeforeDocument(documentDate: documentDate.description, expiresOn: expiresOn.description)
        }
        return Checked(location: location, title: title, ownerUserId: member.isEmpty ? nil : member, ownerName: ownerName,
                       documentDate: documentDate, expiresOn: expiresOn, note: try Self.text(d.note, "note"))
    }

    /// Adds an item to the library.
    public func add(_ d: EvidenceItemDraft) async throws -> EvidenceItemRecord {
        try require(.uploadEvidence, "add")
        let c = try await check(d)
        let r = EvidenceItemRecord(id: EvidenceItemID(UUID().uuidString.lowercased()), organizationId: scope.organizationID,
                                   location: c.location, title: c.title, ownerUserId: c.ownerUserId, ownerName: c.ownerName,
                                   documentDate: c.documentDate, expiresOn: c.expiresOn, note: c.note, createdBy: scope.actor.id,
                                   at: Timestamp.string(env.clock.now()))
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.insert(r, on: s)
            _ = try await audit.append(Self.event(scope, .evidenceItemAdded, "evidence-item/\(r.id)", after: r), on: s)
        }
        return r
    }

    /// Changes an item at `ifVersion` (the version read); `staleVersion` when someone saved it meanwhile.
    public func update(_ id: EvidenceItemID, _ d: EvidenceItemDraft, ifVersion: Int) async throws -> EvidenceItemRecord {
        try require(.uploadEvidence, "change")
        let c = try await check(d)
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        do {
            return try await env.db.transaction { s in
                let before = try await store.lockedItem(id, on: s)
                guard before.version == ifVersion else { throw EvidenceLibraryError.staleVersion(current: before.version) }
                var r = before
                r.kind = c.location.kind.rawValue
                r.location = c.location.text
                r.title = c.title
                r.ownerUserId = c.ownerUserId
                r.ownerName = c.ownerName
                r.documentDate = c.documentDate.description
                r.expiresOn = c.expiresOn?.description
                r.note = c.note
                r.updatedAt = stamp
                r.version = before.version + 1
                try await store.update(r, expectedVersion: ifVersion, on: s)
                _ = try await audit.append(Self.event(scope, .evidenceItemUpdated, "evidence-item/\(id)", before: before, after: r), on: s)
                return r
            }
        } catch is NotFound {
            throw EvidenceLibraryError.notFound(id.rawValue)
        } catch let e as VersionConflict {
            throw EvidenceLibraryError.staleVersion(current: e.current)
        }
    }

    /// Deletes an item attached nowhere (else `inUse` naming every objective it is attached to). With `ifVersion`, an
    /// item changed since it was read is `staleVersion`.
    public func delete(_ id: EvidenceItemID, ifVersion: Int? = nil) async throws {
        try require(.deleteEvidence, "delete")
        let store = store, scope = scope, audit = env.audit
        do {
            try await env.db.transaction { s in
                let before = try await store.lockedItem(id, on: s)
                if let ifVersion, ifVersion != before.version { throw EvidenceLibraryError.staleVersion(current: before.version) }
                let uses = try await store.uses(of: id, on: s)
                guard uses.isEmpty else { throw EvidenceLibraryError.inUse(uses) }
                try await store.delete(id, on: s)
                _ = try await audit.append(Self.event(scope, .evidenceItemDeleted, "evidence-item/\(id)", before: before), on: s)
            }
        } catch is NotFound {
            throw EvidenceLibraryError.notFound(id.rawValue)
        }
    }

    /// Attaches an item to an objective of an assessment of this organization (the objective must be in the
    /// assessment's catalog). Attaching it again changes nothing and writes no audit entry; returns whether it was new.
    @discardableResult
    public func attach(_ id: EvidenceItemID, assessmentID: String, objective: String) async throws -> Bool {
        try require(.editFindings, "attach")
        let objective = Self.trimmed(objective)
        let store = store, scope = scope, audit = env.audit, library = env.library, stamp = Timestamp.string(env.clock.now())
        do {
            return try await env.db.transaction { s in
                let a: AssessmentRecord
                do { a = try await scope.store.lockedAssessment(id: assessmentID, on: s) } catch is NotFound {
                    throw EvidenceLibraryError.unknownAssessment(assessmentID)
                }
                let catalog = try library.catalog(CatalogID(a.catalog))
                guard catalog.entries.contains(where: { $0.assessmentObjectives.contains(objective) }) else {
                    throw EvidenceLibraryError.unknownObjective(objective, catalog: catalog.id.rawValue)
                }
                _ = try await store.lockedItem(id, on: s)
                let r = EvidenceAttachmentRecord(itemId: id.rawValue, organizationId: scope.organizationID, assessmentId: a.id,
                                                 objective: objective, attachedBy: scope.actor.id, attachedAt: stamp)
                guard try await store.attach(r, on: s) else { return false }
                _ = try await audit.append(Self.event(scope, .evidenceItemAttached, "evidence-item/\(id)/assessment/\(a.id)/\(objective)",
                                                      after: r), on: s)
                return true
            }
        } catch is NotFound {
            throw EvidenceLibraryError.notFound(id.rawValue)
        }
    }

    /// Detaches an item from an objective; `notAttached` when it was not attached there.
    public func detach(_ id: EvidenceItemID, assessmentID: String, objective: String) async throws {
        try require(.editFindings, "detach")
        let objective = Self.trimmed(objective)
        let store = store, scope = scope, audit = env.audit
        do {
            try await env.db.transaction { s in
                _ = try await store.lockedItem(id, on: s)
                guard let before = try await store.attachment(item: id, assessmentID: assessmentID, objective: objective, on: s),
                      try await store.detach(item: id, assessmentID: assessmentID, objective: objective, on: s) else {
                    throw EvidenceLibraryError.notAttached(objective: objective)
                }
                _ = try await audit.append(Self.event(scope, .evidenceItemDetached, "evidence-item/\(id)/assessment/\(assessmentID)/\(objective)",
                                                      before: before), on: s)
            }
        } catch is NotFound {
            throw EvidenceLibraryError.notFound(id.rawValue)
        }
    }
}
