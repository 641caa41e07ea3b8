import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore
import TekigoStore

/// What `IncidentNoticeUseCases.sendNotices` did: the notices the supplier sent (one per customer and report number)
/// and every notice passed on above them in the same transaction.
public struct NoticeSendResult: Sendable {
    public let sent: [IncidentNoticeRecord]
    public let forwarded: [IncidentNoticeRecord]
}

/// Why a notice from outside was refused: it does not verify (`failure`), or it is not addressed to this organization
/// by one of its suppliers. Nothing is changed.
public enum IncidentNoticeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case doesNotVerify(IncidentNoticeVerificationFailure)
    case notAddressedToYou
    case notYourSupplier(String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .doesNotVerify(let f): return f.localized
        case .notAddressedToYou:
            return LocalizedText(en: "This incident notice is addressed to another organization; it was not recorded.",
                                 ja: "このインシデント通知は別の組織宛てです。記録していません。")
        case .notYourSupplier(let id):
            return LocalizedText(en: "The notice comes from '\(id)', which is not one of your suppliers; link the supplier first. Nothing was recorded.",
                                 ja: "通知の送信元「\(id)」は貴社のサプライヤーではありません。先にサプライヤーとして連携してください。記録していません。")
        }
    }
}

/// Incident notices up the supply chain (issue 13 item 4; DFARS 252.204-7012(m)(2), 48 CFR 204.7302(b)): the
/// reporting supplier's signed notices of its DoD report numbers, the tiers passing them on, acknowledgements.
/// The rules of who is told and what are written down in TekigoCore's `IncidentNotice.swift`; this layer
/// applies them, each operation in one transaction with its audit entries, after the need-to-know check.
///
/// **Forwarding is automatic** unless the receiving organization turned it off (`setAutoForward(false)`): DFARS
/// 204.7302(b) obliges every tier to pass the number on, the tier's key is held by the server like its attestation
/// key, and a notice waiting for someone to click is how a prime learns late. The notice is passed on in the same
/// transaction it arrives in, signed with the receiving tier's key and audited in that organization's log
/// (`incident.notice-received`, `incident.notice-forwarded`, actor `tekigo:auto-forward`). An organization that
/// wants to look first turns it off and passes each on with one click (`forward(noticeID:)`).
public struct IncidentNoticeUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    /// The audit actor of what the server does on an organization's setting.
    public static let autoActor = "tekigo:auto-forward"

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: NoticeStore { NoticeStore(env.db, evidenceKey: env.evidence.key) }

    /// The fields named by their raw values (`title`, `phase`, `compromise-type` …); an unknown name is refused.
    public static func fields(_ names: [String]) throws(IncidentNoticeError) -> Set<IncidentNoticeField> {
        var out: Set<IncidentNoticeField> = []
        for n in names {
            guard let f = IncidentNoticeField(rawValue: n.trimmingCharacters(in: .whitespaces)) else { throw .unknownField(n) }
            out.insert(f)
        }
        return out
    }

    // MARK: sending

    /// Sends every customer with which the organization holds an affected contract a signed notice of each DoD
    /// report number of the incident it has not been told yet, with the fields in `include` (none by default), and
    /// lets each tier above pass it on. Recorded as the incident's `customer-notice` submission (the
    /// `dfars-7012.tell-customer` clock). Refused for an exercise, without a report number, without affected contracts,
    /// and when everyone has been told already (`IncidentNoticeError`).
    public func sendNotices(incidentID: String, include: Set<IncidentNoticeField> = []) async throws -> NoticeSendResult {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let incidents = IncidentStore(env.db, organizationID: scope.organizationID)
        let incident = try await incidents.existing(id: incidentID)
        guard !incident.isExercise else { throw IncidentNoticeError.exercise }
        let facts = try incident.facts(), phase = try incident.incidentPhase()
        let reports = try await incidents.submissions(incidentID: incidentID).compactMap(\.submission)
            .filter { $0.kind.carriesDoDReportNumber && $0.reportNumber != nil }
        guard !reports.isEmpty else { throw IncidentNoticeError.noReportNumber }
        var contracts: [String: [String]] = [:]
        for c in try await incidents.contracts(incidentID: incidentID) { contracts[c.customerId, default: []].append(c.number) }
        let byCustomer = contracts
        guard !byCustomer.isEmpty else { throw IncidentNoticeError.noAffectedContracts }
        let notices = try reports.map { s throws(IncidentNoticeError) in
            (s, try IncidentNoticeReport(facts: facts, phase: phase, submission: s, include: include))
        }

        let now = env.clock.now(), stamp = Timestamp.string(now)
        let me = scope.organizationID, scope = scope, audit = env.audit, delivery = Delivery(store: store, audit: audit, now: now,
                                                                                                 sourceIP: scope.actor.sourceIP)
        return try await env.db.transaction { s in
            var sent: [IncidentNoticeRecord] = [], forwarded: [IncidentNoticeRecord] = []
            for (submission, report) in notices {
                for customer in byCustomer.keys.sorted() {
                    guard try await !delivery.store.alreadySent(sender: me, recipient: customer, reportNumber: report.reportNumber, on: s) else { continue }
                    let payload = IncidentNoticePayload(id: UUID().uuidString.lowercased(), issuedAt: now, sender: me, recipient: customer,
                                                        contracts: byCustomer[customer]!, report: report)
                    let (envelope, file) = try await delivery.store.sign(payload, by: scope.actor, on: s)
                    let (record, above) = try await delivery.deliver(envelope, file: file, incidentID: incidentID, parentID: nil, on: s)
                    _ = try await audit.append(IncidentAccess.event(scope, .incidentNoticeSent, "incident/\(incidentID)/notice/\(record.id)",
                                                                    after: ["recipient": customer, "reportNumber": report.reportNumber,
                                                                            "reportKind": submission.kind.rawValue,
                                                                            "included": report.included.map(\.rawValue).joined(separator: ",")]), on: s)
                    sent.append(record)
                    forwarded += above
                }
            }
            guard !sent.isEmpty else { throw IncidentNoticeError.nothingToSend }
            // Telling the customers is the report the tell-customer clock waits for.
            let r = IncidentSubmissionRecord(id: UUID().uuidString.lowercased(), incidentId: incidentID, organizationId: me,
                                             kind: SubmissionKind.customerNotice.rawValue, submittedAt: stamp,
                                             channel: "Tekigo signed notice (\(sent.count))", submittedBy: scope.actor.id,
                                             reportNumber: Array(Set(sent.map(\.reportNumber))).sorted().joined(separator: ", "),
                                             dodReportNumber: nil, cites: nil, createdAt: stamp)
            try await incidents.addSubmission(r, on: s)
            try await incidents.touch(incidentID: incidentID, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentSubmissionRecorded, "incident/\(incidentID)/submission/\(r.id)",
                                                            after: r), on: s)
            return NoticeSendResult(sent: sent, forwarded: forwarded)
        }
    }

    // MARK: receiving

    /// Passes on by hand a notice the organization received and has not passed on (its forwarding is not automatic):
    /// to each customer on its contracts carrying DFARS 252.204-7012.
    public func forward(noticeID: String) async throws -> [IncidentNoticeRecord] {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let me = scope.organizationID, scope = scope, audit = env.audit
        let delivery = Delivery(store: store, audit: audit, now: env.clock.now(), sourceIP: scope.actor.sourceIP)
        return try await env.db.transaction { s in
            let r = try await delivery.store.existingReceived(id: noticeID, by: me, on: s)
            guard r.state == .pending else { throw IncidentNoticeError.nothingToForward }
            let envelope = try JSONDecoder().decode(IncidentNoticeEnvelope.self, from: Data(r.signed.utf8))
            let out = try await delivery.passOn(r, envelope: envelope, actor: scope.actor, on: s)
            guard !out.isEmpty else { throw IncidentNoticeError.nothingToForward }
            _ = try await audit.append(IncidentAccess.event(scope, .incidentNoticeForwarded, "incident-notice/\(noticeID)",
                                                            after: out.map(\.recipientId)), on: s)
            return out
        }
    }

    /// Acknowledges a notice the organization received. The acknowledgement is recorded on it and on every notice
    /// below it in the chain, so each sender down to the reporting supplier sees that it arrived.
    public func acknowledge(noticeID: String) async throws -> IncidentNoticeRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let me = scope.organizationID, scope = scope, audit = env.audit, store = store
        let stamp = Timestamp.string(env.clock.now())
        return try await env.db.transaction { s in
            _ = try await store.existingReceived(id: noticeID, by: me, on: s)
            guard try await store.acknowledge(noticeID, recipient: me, by: scope.actor.id, at: stamp, on: s) else {
                throw IncidentNoticeError.alreadyAcknowledged
            }
            _ = try await audit.append(IncidentAccess.event(scope, .incidentNoticeAcknowledged, "incident-notice/\(noticeID)", after: stamp), on: s)
            return try await store.received(id: noticeID, by: me, on: s)!
        }
    }

    /// Records a signed notice that reached the organization outside this server (a file from a supplier): refused
    /// unless every layer verifies against the keys its signers publish here, it is addressed to this organization,
    /// and its sender is one of its suppliers (`IncidentNoticeRefusal`; nothing changes). A notice already recorded is
    /// returned as it is. Passed on like any other.
    public func importNotice(_ data: Data) async throws -> IncidentNoticeRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        // Once without trust, to learn whose keys to trust; then with them.
        let unverified: VerifiedIncidentNotice
        switch IncidentNoticeVerifier.verify(data: data) {
        case .failure(let f): throw IncidentNoticeRefusal.doesNotVerify(f)
        case .success(let v): unverified = v
        }
        let me = scope.organizationID, scope = scope, audit = env.audit
        let delivery = Delivery(store: store, audit: audit, now: env.clock.now(), sourceIP: scope.actor.sourceIP)
        return try await env.db.transaction { s in
            let trusted = try await delivery.store.trustedKeys(of: unverified.layers.map(\.sender), on: s)
            let verified: VerifiedIncidentNotice
            switch IncidentNoticeVerifier.verify(data: data, trustedKeys: trusted) {
            case .failure(let f): throw IncidentNoticeRefusal.doesNotVerify(f)
            case .success(let v): verified = v
            }
            let p = verified.payload
            guard p.recipient == me else { throw IncidentNoticeRefusal.notAddressedToYou }
            guard try await delivery.store.isSupplier(p.sender, of: me, on: s) else { throw IncidentNoticeRefusal.notYourSupplier(p.sender) }
            if let existing = try await delivery.store.received(id: p.id, by: me, on: s) { return existing }
            var parent: String? = nil
            if let inner = p.inner, try await delivery.store.exists(inner.payload.id, recipient: p.sender, on: s) {
                parent = inner.payload.id
            }
            let (record, _) = try await delivery.deliver(verified.envelope, file: data, incidentID: nil, parentID: parent, on: s,
                                                         verified: true)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentNoticeReceived, "incident-notice/\(record.id)",
                                                            after: ["sender": p.sender, "reportNumber": p.report.reportNumber]), on: s)
            return record
        }
    }

    /// Whether notices the organization receives are passed on automatically (the default) or by hand. Owners and
    /// administrators only.
    public func setAutoForward(_ on: Bool) async throws {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let me = scope.organizationID, scope = scope, audit = env.audit, store = store
        let stamp = Timestamp.string(env.clock.now())
        try await env.db.transaction { s in
            let before = try await store.autoForward(me, on: s)
            try await store.setAutoForward(me, on, by: scope.actor.id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentNoticeSettingChanged, "incident-notice-settings",
                                                            before: before, after: on), on: s)
        }
    }
}

/// Delivering a signed notice to its recipient inside the caller's transaction: verify it against the published keys
/// of every signer, store it, and — on the recipient's setting — pass it on to the recipient's customers on its
/// DFARS 252.204-7012 contracts, tier by tier, until a tier with none (the prime).
struct Delivery: Sendable {
    let store: NoticeStore
    let audit: AuditLog
    let now: Date
    let sourceIP: String

    /// Returns the stored notice and every notice passed on above it.
    func deliver(_ envelope: IncidentNoticeEnvelope, file: Data, incidentID: String?, parentID: String?, on s: any SQLDatabase,
                 verified: Bool = false) async throws -> (IncidentNoticeRecord, [IncidentNoticeRecord]) {
        if !verified {
            // Even our own signature is checked before a customer's record holds it: a key that does not open, or a
            // payload changed on the way, stops here.
            let trusted = try await store.trustedKeys(of: envelope.payload.chain.map(\.sender), on: s)
            if case .failure(let f) = IncidentNoticeVerifier.verify(data: file, trustedKeys: trusted) {
                throw IncidentNoticeRefusal.doesNotVerify(f)
            }
        }
        let recipient = envelope.payload.recipient
        let chain = Set(envelope.payload.chain.map(\.sender) + [recipient])
        let targets = envelope.payload.tier >= IncidentNoticePayload.maximumTier ? []
            : try await store.forwardTargets(of: recipient, on: s).filter { !chain.contains($0.customerID) }
        let auto = try await store.autoForward(recipient, on: s)
        var record = IncidentNoticeRecord(envelope: envelope, file: file, incidentID: incidentID, parentID: parentID,
                                          sentAt: Timestamp.string(now), forwardState: targets.isEmpty ? .top : (auto ? .forwarded : .pending))
        if targets.isEmpty || !auto { record.forwardedAt = nil } else { record.forwardedAt = Timestamp.string(now) }
        try await store.insert(record, on: s)
        _ = try await audit.append(event(recipient, .incidentNoticeReceived, "incident-notice/\(record.id)",
                                         ["sender": envelope.payload.sender, "reportNumber": envelope.payload.report.reportNumber]), on: s)
        guard auto, !targets.isEmpty else { return (record, []) }
        let above = try await passOn(record, envelope: envelope, actor: Actor(id: IncidentNoticeUseCases.autoActor, sourceIP: sourceIP),
                                     targets: targets, on: s)
        return (record, above)
    }

    /// Passes `received` on to its recipient's customers (or `targets`), signed by the recipient; marks it forwarded.
    func passOn(_ received: IncidentNoticeRecord, envelope: IncidentNoticeEnvelope, actor: Actor, targets: [NoticeForwardTarget]? = nil,
                on s: any SQLDatabase) async throws -> [IncidentNoticeRecord] {
        let me = received.recipientId
        let chain = Set(envelope.payload.chain.map(\.sender) + [me])
        var targets = targets ?? []
        if targets.isEmpty { targets = try await store.forwardTargets(of: me, on: s).filter { !chain.contains($0.customerID) } }
        var out: [IncidentNoticeRecord] = []
        for t in targets {
            guard try await !store.alreadySent(sender: me, recipient: t.customerID, reportNumber: received.reportNumber, on: s) else { continue }
            let payload = IncidentNoticePayload(id: UUID().uuidString.lowercased(), issuedAt: now, sender: me, recipient: t.customerID,
                                                contracts: t.contracts, forwarding: envelope)
            let (signed, file) = try await store.sign(payload, by: actor, on: s)
            let (record, above) = try await deliver(signed, file: file, incidentID: nil, parentID: received.id, on: s)
            _ = try await audit.append(event(me, .incidentNoticeForwarded, "incident-notice/\(received.id)/forward/\(record.id)",
                                             ["recipient": t.customerID, "reportNumber": received.reportNumber], actor: actor.id), on: s)
            out.append(record)
            out += above
        }
        try await store.markForwarded(received.id, state: .forwarded, at: Timestamp.string(now), on: s)
        return out
    }

    func event(_ organization: String, _ action: AuditAction, _ object: String, _ after: [String: String],
               actor: String = IncidentNoticeUseCases.autoActor) -> AuditEvent {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return AuditEvent(actor: actor, organizationID: organization, sourceIP: sourceIP, action: action, object: object,
                          beforeDigest: nil, afterDigest: AuditLog.digest((try? e.encode(after)) ?? Data()))
    }
}
