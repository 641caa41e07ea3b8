import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore

/// One signed incident notice as delivered (migration 11): the file exactly as signed (`signed`) and the columns the
/// views read without parsing it.
public struct IncidentNoticeRecord: Codable, Sendable, Hashable {
    public var id: String
    public var senderId: String
    public var recipientId: String
    /// The organization that reported (the sender of the innermost notice).
    public var originId: String
    /// The sender's incident, for a notice the reporting supplier sent; nil for a forward.
    public var incidentId: String?
    /// The notice this one passes on; nil for the reporting supplier's own.
    public var parentId: String?
    public var tier: Int
    public var reportNumber: String
    /// `SubmissionKind` raw value.
    public var reportKind: String
    public var discoveredAt: String
    public var submittedAt: String
    /// JSON array of the contract numbers (recipient the customer, sender the supplier).
    public var contracts: String
    /// JSON array of the `IncidentNoticeField`s the reporting supplier included.
    public var included: String
    public var keyId: String
    /// The `tekigo-incident-notice/1` file.
    public var signed: String
    public var sentAt: String
    /// `IncidentNoticeRecord.ForwardState` raw value.
    public var forwardState: String
    public var forwardedAt: String?
    public var acknowledgedAt: String?
    /// The person (or token) who acknowledged it, of the recipient.
    public var acknowledgedBy: String?

    public enum ForwardState: String, Sendable, Codable {
        /// The recipient passes notices on by hand and has not yet.
        case pending
        case forwarded
        /// The recipient holds no DFARS 252.204-7012 contract with a customer: the chain ends here (the prime).
        case top
    }

    public init(envelope: IncidentNoticeEnvelope, file: Data, incidentID: String?, parentID: String?, sentAt: String,
                forwardState: ForwardState) {
        let p = envelope.payload, r = p.report
        id = p.id
        senderId = p.sender
        recipientId = p.recipient
        originId = p.origin
        incidentId = incidentID
        parentId = parentID
        tier = p.tier
        reportNumber = r.reportNumber
        reportKind = r.reportKind
        discoveredAt = r.discoveredAt
        submittedAt = r.submittedAt
        contracts = JSONText.encode(p.contracts)
        included = JSONText.encode(r.included.map(\.rawValue))
        keyId = envelope.keyId
        signed = String(decoding: file, as: UTF8.self)
        self.sentAt = sentAt
        self.forwardState = forwardState.rawValue
    }

    public var contractNumbers: [String] { JSONText.decode([String].self, contracts) ?? [] }
    public var includedFields: [IncidentNoticeField] {
        (JSONText.decode([String].self, included) ?? []).compactMap(IncidentNoticeField.init(rawValue:))
    }
    public var state: ForwardState { ForwardState(rawValue: forwardState) ?? .top }
    public var isAcknowledged: Bool { acknowledgedAt != nil }
}

/// An acknowledgement as a sender below sees it: on its own notice (`hops` 0: its customer acknowledged) or
/// further up (`hops` tiers above its customer).
public struct IncidentNoticeAcknowledgement: Codable, Sendable, Hashable {
    public var noticeId: String
    public var byOrganization: String
    public var hops: Int
    public var at: String
}

/// A customer a tier passes notices on to, with the numbers of its contracts carrying DFARS 252.204-7012 on which the
/// tier is the supplier.
public struct NoticeForwardTarget: Sendable, Hashable {
    public let customerID: String
    public let contracts: [String]
}

/// The incident notices of the supply chain (migration 11). Unlike the tenant stores, one notice concerns two
/// organizations (its sender and its recipient): every read names the organization it is for and returns only rows
/// where that organization is the recipient (or, for `sent`, the sender). Writes take the caller's transaction; the
/// use-case layer (`IncidentNoticeUseCases`) decides who is told and appends the audit entries. Signing goes through
/// TekigoAttestation with the organization's active key (`OrganizationKeys`), as attestations do.
public struct NoticeStore: Sendable {
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey

    public init(_ db: TekigoDatabase, evidenceKey: EvidenceKey) {
        self.db = db
        self.evidenceKey = evidenceKey
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    // MARK: signing and trust

    /// Signs `payload` with the active key of its sender (made now, and audited `key.generated` by `actor`, if the
    /// organization had none), and returns the notice with its file.
    public func sign(_ payload: IncidentNoticePayload, by actor: Actor, on s: any SQLDatabase) async throws
        -> (IncidentNoticeEnvelope, Data) {
        let keys = OrganizationKeys(db, organizationID: payload.sender, evidenceKey: evidenceKey)
        let (row, key, isNew) = try await keys.signingKey(on: s)
        if isNew { try await keys.auditGenerated(row, by: actor, on: s) }
        let envelope = try IncidentNoticeSigning.sign(payload, with: key)
        return (envelope, try envelope.encoded())
    }

    /// The published keys (active and retired) of each organization, as `IncidentNoticeVerifier` takes them.
    public func trustedKeys(of organizations: [String], on s: any SQLDatabase) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for o in Set(organizations) where storableID(o) {
            out[o] = try await OrganizationKeys.publicKeys(of: o, on: s).map(\.publicKey)
        }
        return out
    }

    // MARK: the chain

    /// The customers `supplier` passes notices on to: those with which it holds a contract carrying DFARS
    /// 252.204-7012 as the supplier, with those contracts' numbers.
    public func forwardTargets(of supplier: String, on s: any SQLDatabase) async throws -> [NoticeForwardTarget] {
        var byCustomer: [String: [String]] = [:]
        for r in try await s.select().columns("customer_id", "number", "clauses").from("contracts")
            .where("supplier_id", .equal, supplier).all() {
            let clauses = JSONText.decode([String].self, try r.decode(column: "clauses", as: String.self)) ?? []
            guard clauses.contains(ContractClause.dfars7012.rawValue) else { continue }
            byCustomer[try r.decode(column: "customer_id", as: String.self), default: []].append(try r.decode(column: "number", as: String.self))
        }
        return byCustomer.keys.sorted().map { NoticeForwardTarget(customerID: $0, contracts: Array(Set(byCustomer[$0]!)).sorted()) }
    }

    /// Whether `organization` passes notices on by itself (the default) or by hand.
    public func autoForward(_ organization: String, on s: (any SQLDatabase)? = nil) async throws -> Bool {
        try await (s ?? db.sql).select().column("auto_forward").from("incident_notice_settings")
            .where("organization_id", .equal, organization).first()?.decode(column: "auto_forward", as: Int.self) ?? 1 != 0
    }

    public func setAutoForward(_ organization: String, _ on: Bool, by actor: String, at: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "incident_notice_settings").where("organization_id", .equal, organization).run()
        try await s.insert(into: "incident_notice_settings").columns("organization_id", "auto_forward", "updated_by", "updated_at")
            .values(SQLBind(organization), SQLBind(on ? 1 : 0), SQLBind(actor), SQLBind(at)).run()
    }

    public func insert(_ r: IncidentNoticeRecord, on s: any SQLDatabase) async throws {
        try await s.insert(into: "incident_notices").model(r, with: Self.snake).run()
    }

    /// Whether `sender` already sent `recipient` a notice of this report number.
    public func alreadySent(sender: String, recipient: String, reportNumber: String, on s: any SQLDatabase) async throws -> Bool {
        try await s.select().column("id").from("incident_notices").where("sender_id", .equal, sender)
            .where("recipient_id", .equal, recipient).where("report_number", .equal, reportNumber).first() != nil
    }

    public func markForwarded(_ id: String, state: IncidentNoticeRecord.ForwardState, at: String?, on s: any SQLDatabase) async throws {
        try await s.update("incident_notices").set("forward_state", to: state.rawValue).set("forwarded_at", to: at)
            .where("id", .equal, id).run()
    }

    /// Records `recipient`'s acknowledgement of its notice `id` on it and on every notice below it in the chain;
    /// false when it was acknowledged already.
    public func acknowledge(_ id: String, recipient: String, by actor: String, at: String, on s: any SQLDatabase) async throws -> Bool {
        let updated = try await s.update("incident_notices").set("acknowledged_at", to: at).set("acknowledged_by", to: actor)
            .where("id", .equal, id).where("recipient_id", .equal, recipient)
            .where(SQLColumn("acknowledged_at"), .is, SQLLiteral.null).returning("id").all()
        guard !updated.isEmpty else { return false }
        var current: String? = id
        var hops = 0
        while let n = current {
            try await s.insert(into: "incident_notice_acknowledgements").columns("notice_id", "by_organization", "hops", "at")
                .values(SQLBind(n), SQLBind(recipient), SQLBind(hops), SQLBind(at)).run()
            current = try await s.select().column("parent_id").from("incident_notices").where("id", .equal, n).first()?
                .decode(column: "parent_id", as: String?.self)
            hops += 1
        }
        return true
    }

    // MARK: reads

    /// A notice `organization` received, or nil (another organization's notice is nil too).
    public func received(id: String, by organization: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentNoticeRecord? {
        guard storableID(id) else { return nil }
        return try await (s ?? db.sql).select().columns("*").from("incident_notices").where("id", .equal, id)
            .where("recipient_id", .equal, organization).first()?.decode(model: IncidentNoticeRecord.self, with: Self.fromSnake)
    }

    /// A notice `organization` received; `NotFound` when it has none with that id (another organization's included).
    public func existingReceived(id: String, by organization: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentNoticeRecord {
        guard let r = try await received(id: id, by: organization, on: s) else { throw NotFound(what: "Incident notice \(id)") }
        return r
    }

    /// A notice `organization` received or sent; `NotFound` otherwise.
    public func existing(id: String, receivedOrSentBy organization: String) async throws -> IncidentNoticeRecord {
        if let r = try await received(id: id, by: organization) { return r }
        if let r = try await sent(id: id, by: organization) { return r }
        throw NotFound(what: "Incident notice \(id)")
    }

    /// A notice `organization` sent, or nil.
    public func sent(id: String, by organization: String, on s: (any SQLDatabase)? = nil) async throws -> IncidentNoticeRecord? {
        guard storableID(id) else { return nil }
        return try await (s ?? db.sql).select().columns("*").from("incident_notices").where("id", .equal, id)
            .where("sender_id", .equal, organization).first()?.decode(model: IncidentNoticeRecord.self, with: Self.fromSnake)
    }

    /// Which notices a page lists: all, those not yet acknowledged, or those acknowledged.
    public enum ReceivedFilter: String, Sendable, CaseIterable { case all, open, acknowledged }

    /// The notices `organization` received, latest DoD report first, a page at a time (`limit` 1…500), and how many
    /// match in all: one indexed query and one count, whatever the size of the tree.
    public func received(by organization: String, filter: ReceivedFilter, limit: Int, offset: Int) async throws
        -> (records: [IncidentNoticeRecord], total: Int) {
        let limit = max(1, min(limit, 500)), offset = max(0, offset)
        var condition = SQLQueryString("recipient_id = \(bind: organization)")
        switch filter {
        case .all: break
        case .open: condition += " AND acknowledged_at IS NULL"
        case .acknowledged: condition += " AND acknowledged_at IS NOT NULL"
        }
        let rows = try await db.sql.raw("""
            SELECT * FROM incident_notices WHERE \(condition) ORDER BY submitted_at DESC, id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { try $0.decode(model: IncidentNoticeRecord.self, with: Self.fromSnake) }
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM incident_notices WHERE \(condition)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return (rows, total)
    }

    /// The notices `organization` sent about its incident `incidentID` (tier 1), oldest first.
    public func sent(incidentID: String, by organization: String) async throws -> [IncidentNoticeRecord] {
        try await db.sql.select().columns("*").from("incident_notices").where("incident_id", .equal, incidentID)
            .where("sender_id", .equal, organization).orderBy("sent_at").orderBy("recipient_id").all()
            .map { try $0.decode(model: IncidentNoticeRecord.self, with: Self.fromSnake) }
    }

    /// The notices `organization` passed on of one it received.
    public func forwards(of parentID: String, by organization: String) async throws -> [IncidentNoticeRecord] {
        try await db.sql.select().columns("*").from("incident_notices").where("parent_id", .equal, parentID)
            .where("sender_id", .equal, organization).orderBy("recipient_id").all()
            .map { try $0.decode(model: IncidentNoticeRecord.self, with: Self.fromSnake) }
    }

    /// The acknowledgements recorded on these notices, by notice id.
    public func acknowledgements(of ids: [String]) async throws -> [String: [IncidentNoticeAcknowledgement]] {
        var out: [String: [IncidentNoticeAcknowledgement]] = [:]
        for chunk in ids.filter(storableID).inChunks(ChainReads.chunk) where !chunk.isEmpty {
            for r in try await db.sql.select().columns("*").from("incident_notice_acknowledgements").where("notice_id", .in, chunk)
                .orderBy("hops").all() {
                let a = try r.decode(model: IncidentNoticeAcknowledgement.self, with: Self.fromSnake)
                out[a.noticeId, default: []].append(a)
            }
        }
        return out
    }

    /// The customers `organization` passed each of these received notices on to, by the received notice's id.
    public func forwardedTo(parents ids: [String], by organization: String) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for chunk in ids.filter(storableID).inChunks(ChainReads.chunk) where !chunk.isEmpty {
            for r in try await db.sql.select().columns("parent_id", "recipient_id").from("incident_notices")
                .where("parent_id", .in, chunk).where("sender_id", .equal, organization).orderBy("recipient_id").all() {
                out[try r.decode(column: "parent_id", as: String.self), default: []].append(try r.decode(column: "recipient_id", as: String.self))
            }
        }
        return out
    }

    /// Whether `supplier` is linked as a supplier of `customer`.
    public func isSupplier(_ supplier: String, of customer: String, on s: any SQLDatabase) async throws -> Bool {
        guard storableID(supplier) else { return false }
        return try await s.select().column("supplier_id").from("supplier_links").where("customer_id", .equal, customer)
            .where("supplier_id", .equal, supplier).first() != nil
    }

    /// Whether a notice with this id was delivered to `recipient` here.
    public func exists(_ id: String, recipient: String, on s: any SQLDatabase) async throws -> Bool {
        try await received(id: id, by: recipient, on: s) != nil
    }

    /// Names of organizations by id.
    public func names(_ ids: [String]) async throws -> [String: String] {
        var out: [String: String] = [:]
        for chunk in Array(Set(ids)).filter(storableID).inChunks(ChainReads.chunk) where !chunk.isEmpty {
            for r in try await db.sql.select().columns("id", "name").from("organizations").where("id", .in, chunk).all() {
                out[try r.decode(column: "id", as: String.self)] = try r.decode(column: "name", as: String.self)
            }
        }
        return out
    }

    /// Which of `organizations` `viewer` may name: itself, its direct suppliers (it linked them), and those the consent
    /// rule lets it see (`DetailVisibility`). Each of the others is checked by walking up from it
    /// (`ChainReads.canSee`, a few statements each), so a page of notices costs the same in a tree of 10,000
    /// suppliers as in one of ten.
    public func nameable(by viewer: String, among organizations: [String]) async throws -> Set<String> {
        let wanted = Set(organizations.filter(storableID))
        guard !wanted.isEmpty else { return [] }
        return try await db.withConnection { s in
            var out: Set<String> = wanted.contains(viewer) ? [viewer] : []
            let direct = try await ChainReads.customers(of: Array(wanted), on: s)
            for (supplier, customers) in direct where customers.contains(viewer) { out.insert(supplier) }
            for id in wanted.subtracting(out).sorted() where try await ChainReads.canSee(viewer: viewer, supplier: id, on: s) {
                out.insert(id)
            }
            return out
        }
    }
}
