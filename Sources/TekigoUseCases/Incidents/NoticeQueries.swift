import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore
import TekigoStore

/// An organization in a notice as the viewer may see it: by id and name when the viewer may name it (its direct
/// supplier, or as the consent rule allows), otherwise neither.
public struct NoticeParty: Sendable, Hashable, Codable {
    public let id: String?
    public let name: String?
    public var isNamed: Bool { id != nil }

    public init(id: String?, name: String?) {
        self.id = id
        self.name = name
    }
}

/// One notice the organization received, as its pages and API show it: only what was sent (the signed report), the
/// direct supplier that sent it, the reporting supplier when the viewer may name it, the tier, the clocks worked out
/// from the sent dates, and the acknowledgement state.
public struct ReceivedNotice: Sendable, Hashable {
    public let record: IncidentNoticeRecord
    public let report: IncidentNoticeReport
    /// The direct supplier that sent (or passed on) the notice.
    public let sender: NoticeParty
    /// The supplier that reported, named as consent allows.
    public let origin: NoticeParty
    /// How many tiers below the viewer the reporting supplier is.
    public let tier: Int
    public let deadlines: [IncidentDeadline]
    /// Acknowledgements by organizations above the viewer of what it passed on (`hops`: how many tiers above the
    /// viewer).
    public let acknowledgementsAbove: [IncidentNoticeAcknowledgement]
    /// The customers this organization passed it on to (named: they are its customers).
    public let forwardedTo: [NoticeParty]
}

public struct ReceivedNoticesPage: Sendable, Hashable {
    public let notices: [ReceivedNotice]
    public let total: Int
    public let limit: Int
    public let offset: Int
    public let filter: NoticeStore.ReceivedFilter
    /// Whether the organization passes notices on by itself.
    public let autoForward: Bool
}

/// One layer of a received notice's chain, as the viewer may see it.
public struct NoticeChainLayer: Sendable, Hashable {
    public let tier: Int
    public let sender: NoticeParty
    public let keyID: String
    public let contracts: [String]
}

/// A notice the organization sent about its incident, with the customer it went to and the acknowledgements.
public struct SentNotice: Sendable, Hashable {
    public let record: IncidentNoticeRecord
    public let recipient: NoticeParty
    /// By the customer (`hops` 0) and above it (`hops` ≥ 1; not named).
    public let acknowledgements: [IncidentNoticeAcknowledgement]
}

/// The reads of incident notices, behind the incident need-to-know check (`Role.allowsIncidents(.readIncidents, …)`).
/// A list writes `incident.listed` (object `incident-notices`) once; reading one notice writes `incident.read`.
public struct IncidentNoticeQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: NoticeStore { NoticeStore(env.db, evidenceKey: env.evidence.key) }

    /// The incidents in the organization's tree that reached it (the prime's incident view): latest DoD report first,
    /// `limit` (1…500) at a time.
    public func received(filter: NoticeStore.ReceivedFilter = .all, limit: Int = 50, offset: Int = 0) async throws -> ReceivedNoticesPage {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let me = scope.organizationID, store = store
        let (records, total) = try await store.received(by: me, filter: filter, limit: limit, offset: offset)
        let notices = try await views(records)
        let auto = try await store.autoForward(me)
        let scope = scope, audit = env.audit
        try await env.db.transaction { s in
            _ = try await audit.append(IncidentAccess.event(scope, .incidentListed, "incident-notices"), on: s)
        }
        return ReceivedNoticesPage(notices: notices, total: total, limit: max(1, min(limit, 500)), offset: max(0, offset),
                                   filter: filter, autoForward: auto)
    }

    /// One received notice with its chain of custody (each layer's signer named as the viewer may name it).
    public func received(id: String) async throws -> (ReceivedNotice, [NoticeChainLayer]) {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let r = try await store.existingReceived(id: id, by: scope.organizationID)
        let view = try await views([r])[0]
        let envelope = try Self.envelope(r)
        let chain = envelope.payload.chain
        let nameable = try await store.nameable(by: scope.organizationID, among: chain.map(\.sender))
        let names = try await store.names(Array(nameable))
        var keys: [String: String] = [:]
        var e: IncidentNoticeEnvelope? = envelope
        while let current = e { keys[current.payload.id] = current.keyId; e = current.payload.inner }
        let layers = chain.map { p in
            NoticeChainLayer(tier: p.tier, sender: nameable.contains(p.sender) ? NoticeParty(id: p.sender, name: names[p.sender]) : NoticeParty(id: nil, name: nil),
                             keyID: keys[p.id] ?? "", contracts: nameable.contains(p.sender) ? p.contracts : [])
        }
        let scope = scope, audit = env.audit
        try await env.db.transaction { s in
            _ = try await audit.append(IncidentAccess.event(scope, .incidentRead, "incident-notice/\(id)"), on: s)
        }
        return (view, layers)
    }

    /// The signed file of a notice the organization received or sent, for offline verification
    /// (`IncidentNoticeVerifier`, against the keys each signer publishes).
    public func file(id: String) async throws -> Data {
        try await IncidentAccess.require(.readIncidents, env, scope)
        return Data(try await store.existing(id: id, receivedOrSentBy: scope.organizationID).signed.utf8)
    }

    /// The notices the organization sent about its incident, with acknowledgements.
    public func sent(incidentID: String) async throws -> [SentNotice] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let me = scope.organizationID
        _ = try await IncidentStore(env.db, organizationID: me).existing(id: incidentID)
        let records = try await store.sent(incidentID: incidentID, by: me)
        let acks = try await store.acknowledgements(of: records.map(\.id))
        let names = try await store.names(records.map(\.recipientId))
        return records.map { r in
            SentNotice(record: r, recipient: NoticeParty(id: r.recipientId, name: names[r.recipientId]), acknowledgements: acks[r.id] ?? [])
        }
    }

    /// Whether the organization passes notices on by itself.
    public func autoForward() async throws -> Bool { try await store.autoForward(scope.organizationID) }

    // MARK: internals

    static func envelope(_ r: IncidentNoticeRecord) throws -> IncidentNoticeEnvelope {
        do { return try JSONDecoder().decode(IncidentNoticeEnvelope.self, from: Data(r.signed.utf8)) } catch {
            throw IncidentStoreError.corruptRow("incident-notice/\(r.id)")
        }
    }

    func views(_ records: [IncidentNoticeRecord]) async throws -> [ReceivedNotice] {
        let me = scope.organizationID, now = env.clock.now()
        let nameable = try await store.nameable(by: me, among: records.flatMap { [$0.senderId, $0.originId] })
        let forwards = try await store.forwardedTo(parents: records.map(\.id), by: me)
        let names = try await store.names(Array(nameable) + forwards.values.flatMap { $0 })
        let acks = try await store.acknowledgements(of: records.map(\.id))
        func party(_ id: String) -> NoticeParty { nameable.contains(id) ? NoticeParty(id: id, name: names[id]) : NoticeParty(id: nil, name: nil) }
        return try records.map { r in
            let report = try Self.envelope(r).payload.report
            return ReceivedNotice(record: r, report: report, sender: party(r.senderId), origin: party(r.originId), tier: r.tier,
                                  deadlines: report.deadlines(now: now),
                                  acknowledgementsAbove: (acks[r.id] ?? []).filter { $0.hops > 0 },
                                  forwardedTo: (forwards[r.id] ?? []).map { NoticeParty(id: $0, name: names[$0]) })
        }
    }
}
