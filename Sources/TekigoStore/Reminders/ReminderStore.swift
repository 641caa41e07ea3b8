import Crypto
import Foundation
import SQLKit
import TekigoCore

// Supply-chain reminders (issue: supply chain, item 5): what `ReminderSchedule` says is due is stored once per
// organization and key (`reminders`), shown in the app, and sent to the organization's webhooks (`webhooks`,
// `webhook_deliveries`) with retries. `scheduler_leases` lets one server instance at a time run a pass.

/// One stored reminder (a row of `reminders`).
public struct ReminderRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    /// `Reminder.key`: stable for as long as it describes the same situation.
    public var reminderKey: String
    /// `Reminder.Kind.storedText`: `requirement-due`, `attestation-expiring`, `minimum-unmet`, `requirement-overdue`.
    public var kind: String
    /// The supplier the reminder is about (the organization itself for its own attestation and for what its
    /// customers require of it).
    public var subject: String
    public var textEn: String
    public var textJa: String
    public var createdAt: String
    public var dismissedAt: String?
}

extension Reminder.Kind {
    /// The stored, and published, name of the kind.
    public var storedText: String {
        switch self {
        case .requirementDue: return "requirement-due"
        case .attestationExpiring: return "attestation-expiring"
        case .minimumUnmet(let overdue): return overdue ? "requirement-overdue" : "minimum-unmet"
        }
    }

    /// Every stored name, for documentation and checks: the supply chain's, then the incidents' (`IncidentReminder.Kind`).
    public static let storedTexts = ["requirement-due", "attestation-expiring", "minimum-unmet", "requirement-overdue"]
        + IncidentReminder.Kind.allCases.map(\.rawValue)
}

/// A webhook as it may be shown: never its secret.
public struct WebhookRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var url: String
    public var createdAt: String
    public var version: Int
}

/// One delivery of one reminder to one webhook (a row of `webhook_deliveries`): the delivery log.
public struct WebhookDeliveryRecord: Codable, Sendable, Hashable {
    public var id: String
    public var webhookId: String
    public var organizationId: String
    public var reminderKey: String
    /// `pending`, `delivered` or `failed` (given up after `WebhookQueue.maxAttempts`).
    public var status: String
    /// Attempts made so far.
    public var attempts: Int
    /// The HTTP status of the last attempt, when the receiver answered.
    public var lastStatus: Int?
    /// Why the last attempt failed (a status or a transport error), when it did.
    public var lastError: String?
    /// When the next attempt is due (for `pending`).
    public var nextAttemptAt: String
    public var deliveredAt: String?
    public var createdAt: String
}

/// The states of a delivery.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending, delivered, failed
}

/// A webhook's signing secret, unsealed only to sign deliveries. It never appears in a description, a debug print
/// or a mirror.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret as handed to the organization when the webhook was made; its UTF-8 bytes are the HMAC key.
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { "WebhookSecret(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// A delivery whose attempt is due, with what sending it needs.
public struct DueDelivery: Sendable {
    public let delivery: WebhookDeliveryRecord
    public let url: String
    /// nil when the sealed secret does not open (the evidence key changed, or the row was altered).
    public let secret: WebhookSecret?
    public let reminder: ReminderRecord
}

/// What the reminder store refuses, each with what to do about it.
public enum ReminderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The organization has this many webhooks already.
    case tooManyWebhooks(limit: Int)
    /// The webhook's sealed secret does not open under the server's evidence key.
    case secretUnreadable(webhook: String)

    public var description: String {
        switch self {
        case .tooManyWebhooks(let limit):
            return "this organization already has \(limit) webhooks, the most allowed; delete one it no longer uses first."
        case .secretUnreadable(let id):
            return "the secret of webhook \(id) cannot be unsealed: the evidence key (evidence.key or TEKIGO_EVIDENCE_KEY) "
                + "is not the one it was sealed with, or the row was altered. Delete the webhook and add it again."
        }
    }
}

/// One organization's reminders and webhooks. As in `TenantStore`, every query is scoped to `organizationID`, and
/// every change a person makes (dismissing, adding or deleting a webhook) writes its audit entry in the caller's
/// transaction, which `ReminderUseCases` opens after checking its rules.
///
/// `refresh(at:)` computes what is due with `ReminderSchedule.due` — the rules live there and only there — from
/// - as supplier: what its customers require of it (`RelationshipStore.requirementsOnMe`) and its own current
///   attestation (reassess before it expires: DFARS 252.204-7019(b), at most 3 years old);
/// - as customer: the requirements it sets on its suppliers and its direct suppliers' current attestations, each
///   only as far as consent lets it see them (`AttestationStore.attestation(of:viewer:)`);
/// and stores the reminders whose keys are new, enqueueing one delivery per webhook for each, in one transaction.
/// A key, once stored, is never stored again (dismissed or not), so each reminder is shown and sent once.
public struct ReminderStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey
    let audit: AuditLog

    /// The most webhooks one organization may have.
    public static let maxWebhooks = 10

    public init(_ db: TekigoDatabase, organizationID: String, evidenceKey: EvidenceKey) {
        self.db = db
        self.organizationID = organizationID
        self.evidenceKey = evidenceKey
        self.audit = AuditLog(db)
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    /// Every organization's id: the scheduler refreshes each in turn.
    public static func organizationIDs(in db: TekigoDatabase) async throws -> [String] {
        try await db.sql.select().column("id").from("organizations").orderBy("id").all()
            .map { try $0.decode(column: "id", as: String.self) }
    }

    // MARK: - Computing

    /// What is due for the organization on `now`'s day in its time zone (`OrganizationCalendar`), whether stored
    /// already or not. Sorted by key.
    public func due(at now: Date = Date()) async throws -> [Reminder] {
        let relationships = RelationshipStore(db, organizationID: organizationID)
        let listings = try await relationships.requirementsOnMe() + relationships.requirements()
        let requirements = try listings.map { try $0.requirement() }
        let attestationStore = AttestationStore(db, organizationID: organizationID, evidenceKey: evidenceKey)
        var attestations: [String: AttestationPayload] = [:]
        if let own = try await attestationStore.current() { attestations[organizationID] = try own.attestationPayload() }
        // Direct suppliers: those linked, and those the organization sets requirements on (the same, barring a race).
        var suppliers = Set(try await relationships.suppliers().map(\.id))
        suppliers.formUnion(listings.map(\.record.supplierId).filter { $0 != organizationID })
        for supplier in suppliers.sorted() {
            // nil without consent, exactly as when the supplier has none.
            if let r = try await attestationStore.attestation(of: supplier, viewer: organizationID) {
                attestations[supplier] = try r.attestationPayload()
            }
        }
        return ReminderSchedule.due(requirements: requirements, attestations: attestations,
                                    at: OrganizationCalendar(timeZone: try await timeZone()).day(at: now))
    }

    /// The organization's time zone (`OrganizationCalendar`): its days for the supply-chain reminders, and how the
    /// incident reminders write their due instants.
    func timeZone() async throws -> TimeZone {
        let id = try await db.sql.select().column("time_zone").from("organizations").where("id", .equal, organizationID)
            .first()?.decode(column: "time_zone", as: String.self) ?? OrganizationCalendar.defaultTimeZone
        return OrganizationCalendar(identifier: id).timeZone
    }

    /// Stores the reminders due at `now` whose keys the organization has not had yet, and enqueues a delivery of each
    /// to every webhook of the organization (due at once), in one transaction. Returns the new reminders; a second
    /// call with nothing changed returns none. Another instance refreshing at the same time cannot store a key twice
    /// or enqueue it twice: only the insert that stores the row enqueues.
    @discardableResult
    public func refresh(at now: Date = Date()) async throws -> [ReminderRecord] {
        let stamp = Timestamp.string(now)
        var seen: Set<String> = []
        // Two requirements of one customer on one supplier, catalog and due date give the same key: keep the first.
        let supplyChain = try await due(at: now).map { r in
            ReminderRecord(organizationId: organizationID, reminderKey: r.key, kind: r.kind.storedText, subject: r.supplier,
                           textEn: r.text(.en), textJa: r.text(.ja), createdAt: stamp, dismissedAt: nil)
        }
        let incidents = try await incidentReminders(at: now, zone: try await timeZone(), stamp: stamp)
        let exercises = try await exerciseReminders(at: now, stamp: stamp)
        let readiness = try await readinessReminders(at: now, stamp: stamp)
        let cloud = try await cloudServiceReminders(at: now, stamp: stamp)
        let rows = (supplyChain + incidents + exercises + readiness + cloud).filter { seen.insert($0.reminderKey).inserted }
        guard !rows.isEmpty else { return [] }
        return try await db.transaction { s in
            let existing = Set(try await s.select().column("reminder_key").from("reminders")
                .where("organization_id", .equal, organizationID).all()
                .map { try $0.decode(column: "reminder_key", as: String.self) })
            let fresh = rows.filter { !existing.contains($0.reminderKey) }
            guard !fresh.isEmpty else { return [] }
            let hooks = try await s.select().column("id").from("webhooks").where("organization_id", .equal, organizationID)
                .orderBy("id").all().map { try $0.decode(column: "id", as: String.self) }
            var stored: [ReminderRecord] = []
            for r in fresh {
                let inserted = try await s.insert(into: "reminders").model(r, with: Self.snake)
                    .ignoringConflicts(with: ["organization_id", "reminder_key"]).returning("reminder_key").all()
                guard !inserted.isEmpty else { continue }
                stored.append(r)
                for hook in hooks {
                    let d = WebhookDeliveryRecord(id: UUID().uuidString.lowercased(), webhookId: hook, organizationId: organizationID,
                                                  reminderKey: r.reminderKey, status: DeliveryStatus.pending.rawValue, attempts: 0,
                                                  lastStatus: nil, lastError: nil, nextAttemptAt: stamp, deliveredAt: nil,
                                                  createdAt: stamp)
                    try await s.insert(into: "webhook_deliveries").model(d, with: Self.snake).run()
                }
            }
            return stored
        }
    }

    // MARK: - Reminders shown in the app

    /// The reminders not dismissed, newest first.
    public func reminders() async throws -> [ReminderRecord] {
        try await db.sql.select().columns("*").from("reminders").where("organization_id", .equal, organizationID)
            .where("dismissed_at", .is, SQLLiteral.null).orderBy("created_at", .descending).orderBy("reminder_key").all()
            .map { try $0.decode(model: ReminderRecord.self, with: Self.fromSnake) }
    }

    /// One reminder, dismissed or not.
    public func reminder(key: String) async throws -> ReminderRecord? {
        try await db.sql.select().columns("*").from("reminders").where("organization_id", .equal, organizationID)
            .where("reminder_key", .equal, key).first()?.decode(model: ReminderRecord.self, with: Self.fromSnake)
    }

    /// Hides a reminder from `reminders()`, at `now`, in the caller's transaction `s` (`ReminderUseCases.dismiss`
    /// opens it); it is not stored or sent again. Dismissing one already dismissed changes nothing. Throws `NotFound`
    /// for a key the organization does not have.
    @discardableResult
    public func dismiss(key: String, by actor: Actor, at now: Date, on s: any SQLDatabase) async throws -> ReminderRecord {
        guard let before = try await s.select().columns("*").from("reminders").where("organization_id", .equal, organizationID)
            .where("reminder_key", .equal, key).first()?.decode(model: ReminderRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "reminder \(key)") }
        if before.dismissedAt != nil { return before }
        var after = before
        after.dismissedAt = Timestamp.string(now)
        try await s.update("reminders").set("dismissed_at", to: SQLBind(after.dismissedAt))
            .where("organization_id", .equal, organizationID).where("reminder_key", .equal, key)
            .where("dismissed_at", .is, SQLLiteral.null).run()
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .reminderDismissed, "reminder/\(key)",
                                                    before: before, after: after), on: s)
        return after
    }

    // MARK: - Webhooks

    struct WebhookRow: Codable, Sendable {
        var id: String
        var organizationId: String
        var url: String
        var sealedSecret: Data
        var createdAt: String
        var version: Int

        var record: WebhookRecord {
            WebhookRecord(id: id, organizationId: organizationId, url: url, createdAt: createdAt, version: version)
        }
    }

    static let webhookColumns = ["id", "organization_id", "url", "created_at", "version"]

    /// The organization's webhooks, oldest first (never their secrets).
    public func webhooks() async throws -> [WebhookRecord] {
        try await db.sql.select().columns(Self.webhookColumns).from("webhooks").where("organization_id", .equal, organizationID)
            .orderBy("created_at").orderBy("id").all()
            .map { try $0.decode(model: WebhookRecord.self, with: Self.fromSnake) }
    }

    public func webhook(id: String) async throws -> WebhookRecord? {
        try await db.sql.select().columns(Self.webhookColumns).from("webhooks").where("organization_id", .equal, organizationID)
            .where("id", .equal, id).first()?.decode(model: WebhookRecord.self, with: Self.fromSnake)
    }

    /// Adds a webhook at `url`, as `ReminderUseCases.createWebhook` checked it (its form and where its host points).
    /// The secret is made here (32 random bytes), sealed with the evidence key (AES-256-GCM, bound to the organization
    /// and the webhook) and returned once, to hand to the receiver, which checks each delivery's `X-Tekigo-Signature`
    /// with it. Reminders stored from now on are sent to it. At most `maxWebhooks`, counted under the organization's
    /// lock. In the caller's transaction `s`.
    public func createWebhook(url: String, by actor: Actor, at now: Date, on s: any SQLDatabase) async throws
        -> (secret: String, record: WebhookRecord)
    {
        let id = UUID().uuidString.lowercased()
        let secret = "whsec_" + RelationshipStore.newToken()
        let row = WebhookRow(id: id, organizationId: organizationID, url: url,
                             sealedSecret: try seal(secret, webhookID: id), createdAt: Timestamp.string(now), version: 1)
        try await SupplyChainLocks.organization(organizationID, on: s)
        let count = try await s.select().column("id").from("webhooks").where("organization_id", .equal, organizationID).all().count
        guard count < Self.maxWebhooks else { throw ReminderError.tooManyWebhooks(limit: Self.maxWebhooks) }
        try await s.insert(into: "webhooks").model(row, with: Self.snake).run()
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .webhookCreated, "webhook/\(id)",
                                                    before: nil, after: row.record), on: s)
        return (secret, row.record)
    }

    /// Deletes a webhook and its delivery log, in the caller's transaction `s`; pending deliveries to it are dropped.
    public func deleteWebhook(id: String, by actor: Actor, on s: any SQLDatabase) async throws {
        guard let before = try await s.select().columns(Self.webhookColumns).from("webhooks")
            .where("organization_id", .equal, organizationID).where("id", .equal, id).first()?
            .decode(model: WebhookRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "webhook \(id)") }
        // Explicit, child first: the foreign key cascades too, but the result must not depend on it.
        try await s.delete(from: "webhook_deliveries").where("organization_id", .equal, organizationID)
            .where("webhook_id", .equal, id).run()
        try await s.delete(from: "webhooks").where("organization_id", .equal, organizationID).where("id", .equal, id).run()
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .webhookDeleted, "webhook/\(id)",
                                                    before: before, after: nil), on: s)
    }

    /// A webhook's delivery log, newest first. Throws `NotFound` for a webhook the organization does not have.
    public func deliveries(webhookID: String) async throws -> [WebhookDeliveryRecord] {
        guard try await webhook(id: webhookID) != nil else { throw NotFound(what: "webhook \(webhookID)") }
        return try await db.sql.select().columns("*").from("webhook_deliveries").where("organization_id", .equal, organizationID)
            .where("webhook_id", .equal, webhookID).orderBy("created_at", .descending).orderBy("id").all()
            .map { try $0.decode(model: WebhookDeliveryRecord.self, with: Self.fromSnake) }
    }

    // MARK: - Sealing the secret

    /// Binds a sealed secret to its organization and webhook.
    static func associatedData(organizationID: String, webhookID: String) -> Data {
        EvidenceKey.binding("tekigo.webhook-secret.v1", [organizationID, webhookID])
    }

    func seal(_ secret: String, webhookID: String) throws -> Data {
        guard let sealed = try evidenceKey.seal(Data(secret.utf8),
                                                binding: Self.associatedData(organizationID: organizationID, webhookID: webhookID))
        else { throw ReminderError.secretUnreadable(webhook: webhookID) }
        return sealed
    }

    static func open(_ sealed: Data, organizationID: String, webhookID: String, key: EvidenceKey) -> WebhookSecret? {
        guard let plain = key.unseal(sealed, binding: associatedData(organizationID: organizationID, webhookID: webhookID)),
              let text = String(data: plain, encoding: .utf8)
        else { return nil }
        return WebhookSecret(text)
    }
}

/// The deliveries of every organization: which are due, and what became of each attempt. Only the scheduler uses
/// it, while it holds the `reminders` lease.
///
/// Retries back off: after the 1st failed attempt 1 minute, then 5 minutes, 30 minutes, 2 hours and 12 hours; the
/// 6th failed attempt gives up (`failed`). Each attempt is recorded (status, error, time of the next one), so the
/// delivery log shows what happened.
public struct WebhookQueue: Sendable {
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey

    /// Wait after the n-th failed attempt (n = 1…5).
    public static let backoff: [TimeInterval] = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600]
    /// Attempts before giving up.
    public static let maxAttempts = 6
    /// The longest `last_error` kept.
    static let maxErrorLength = 500

    public init(_ db: TekigoDatabase, evidenceKey: EvidenceKey) {
        self.db = db
        self.evidenceKey = evidenceKey
    }

    /// How long to wait after the `attempts`-th failed attempt; nil when that was the last one.
    public static func retryDelay(afterFailedAttempt attempts: Int) -> TimeInterval? {
        guard attempts >= 1, attempts < maxAttempts else { return nil }
        return backoff[min(attempts, backoff.count) - 1]
    }

    /// Pending deliveries whose next attempt is due at `now`, the longest-waiting first.
    public func due(at now: Date = Date(), limit: Int = 100) async throws -> [DueDelivery] {
        let sql: SQLQueryString = """
            SELECT d.*, w.url AS w_url, w.sealed_secret AS w_sealed_secret, r.kind AS r_kind, r.subject AS r_subject, \
            r.text_en AS r_text_en, r.text_ja AS r_text_ja, r.created_at AS r_created_at, r.dismissed_at AS r_dismissed_at \
            FROM webhook_deliveries d \
            JOIN webhooks w ON w.id = d.webhook_id AND w.organization_id = d.organization_id \
            JOIN reminders r ON r.organization_id = d.organization_id AND r.reminder_key = d.reminder_key \
            WHERE d.status = \(bind: DeliveryStatus.pending.rawValue) AND d.next_attempt_at <= \(bind: Timestamp.string(now)) \
            ORDER BY d.next_attempt_at, d.id LIMIT \(bind: max(1, min(limit, 1000)))
            """
        return try await db.sql.raw(sql).all().map { row in
            let d = try row.decode(model: WebhookDeliveryRecord.self, with: SnakeCaseColumns.decoder)
            func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
            let reminder = ReminderRecord(
                organizationId: d.organizationId, reminderKey: d.reminderKey, kind: try text("r_kind"), subject: try text("r_subject"),
                textEn: try text("r_text_en"), textJa: try text("r_text_ja"), createdAt: try text("r_created_at"),
                dismissedAt: try row.decodeNil(column: "r_dismissed_at") ? nil : text("r_dismissed_at"))
            let sealed = try row.decode(column: "w_sealed_secret", as: Data.self)
            return DueDelivery(delivery: d, url: try text("w_url"),
                               secret: ReminderStore.open(sealed, organizationID: d.organizationId, webhookID: d.webhookId,
                                                          key: evidenceKey),
                               reminder: reminder)
        }
    }

    /// One delivery, whatever its organization (for the scheduler and tests).
    public func delivery(id: String) async throws -> WebhookDeliveryRecord? {
        try await db.sql.select().columns("*").from("webhook_deliveries").where("id", .equal, id).first()?
            .decode(model: WebhookDeliveryRecord.self, with: SnakeCaseColumns.decoder)
    }

    /// Records a successful attempt (a 2xx answer). Nothing changes for a delivery no longer pending.
    @discardableResult
    public func markDelivered(id: String, status: Int, at now: Date = Date()) async throws -> WebhookDeliveryRecord? {
        try await db.transaction { s in
            guard let d = try await pending(id, on: s) else { return nil }
            var after = d
            after.status = DeliveryStatus.delivered.rawValue
            after.attempts = d.attempts + 1
            after.lastStatus = status
            after.lastError = nil
            after.deliveredAt = Timestamp.string(now)
            try await save(after, was: d, on: s)
            return after
        }
    }

    /// Records a failed attempt: `status` when the receiver answered (not 2xx), `error` saying why. Schedules the
    /// next attempt after `retryDelay(afterFailedAttempt:)`, or gives up (`failed`) after the last one. Returns the
    /// delivery as it is now; nil when it was no longer pending.
    @discardableResult
    public func markFailed(id: String, status: Int?, error: String, at now: Date = Date()) async throws -> WebhookDeliveryRecord? {
        try await db.transaction { s in
            guard let d = try await pending(id, on: s) else { return nil }
            var after = d
            after.attempts = d.attempts + 1
            after.lastStatus = status
            after.lastError = String(error.prefix(Self.maxErrorLength))
            if let wait = Self.retryDelay(afterFailedAttempt: after.attempts) {
                after.nextAttemptAt = Timestamp.string(now.addingTimeInterval(wait))
            } else {
                after.status = DeliveryStatus.failed.rawValue
            }
            try await save(after, was: d, on: s)
            return after
        }
    }

    func pending(_ id: String, on s: any SQLDatabase) async throws -> WebhookDeliveryRecord? {
        try await s.select().columns("*").from("webhook_deliveries").where("id", .equal, id)
            .where("status", .equal, DeliveryStatus.pending.rawValue).first()?
            .decode(model: WebhookDeliveryRecord.self, with: SnakeCaseColumns.decoder)
    }

    /// Writes `after` only over the row as it was read (same attempt count, still pending).
    func save(_ after: WebhookDeliveryRecord, was before: WebhookDeliveryRecord, on s: any SQLDatabase) async throws {
        try await s.update("webhook_deliveries")
            .set("status", to: SQLBind(after.status)).set("attempts", to: SQLBind(after.attempts))
            .set("last_status", to: SQLBind(after.lastStatus)).set("last_error", to: SQLBind(after.lastError))
            .set("next_attempt_at", to: SQLBind(after.nextAttemptAt)).set("delivered_at", to: SQLBind(after.deliveredAt))
            .where("id", .equal, before.id).where("attempts", .equal, before.attempts)
            .where("status", .equal, DeliveryStatus.pending.rawValue).run()
    }
}

/// A named lease in `scheduler_leases`: whoever holds it (and has not let it expire) is the only one doing the work
/// it names. Taken when free or expired, renewed by its holder while the work goes on, released when done.
///
/// Each step is one atomic statement, so two instances racing for the lease never both get it: the insert of a new
/// row conflicts on the primary key, and the update's condition is checked again against the row as committed.
public struct SchedulerLease: Sendable {
    public let name: String
    /// Who asks: unique per scheduler instance.
    public let holder: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, name: String, holder: String) {
        self.db = db
        self.name = name
        self.holder = holder
    }

    /// Takes the lease until `now + duration` if nobody holds it, it has expired, or this holder has it already.
    public func acquire(for duration: TimeInterval, at now: Date = Date()) async throws -> Bool {
        let until = Timestamp.string(now.addingTimeInterval(duration))
        let inserted = try await db.sql.insert(into: "scheduler_leases").columns("name", "holder", "expires_at")
            .values(SQLBind(name), SQLBind(holder), SQLBind(until))
            .ignoringConflicts(with: ["name"]).returning("name").all()
        if !inserted.isEmpty { return true }
        let taken = try await db.sql.update("scheduler_leases").set("holder", to: SQLBind(holder)).set("expires_at", to: SQLBind(until))
            .where("name", .equal, name)
            .where { $0.where("expires_at", .lessThanOrEqual, Timestamp.string(now)).orWhere("holder", .equal, holder) }
            .returning("name").all()
        return !taken.isEmpty
    }

    /// Extends the lease to `now + duration` if this holder still has it (even expired, as long as nobody took it).
    public func renew(for duration: TimeInterval, at now: Date = Date()) async throws -> Bool {
        let renewed = try await db.sql.update("scheduler_leases")
            .set("expires_at", to: SQLBind(Timestamp.string(now.addingTimeInterval(duration))))
            .where("name", .equal, name).where("holder", .equal, holder).returning("name").all()
        return !renewed.isEmpty
    }

    /// Gives the lease up, if this holder has it, so another instance may take it at once.
    public func release() async throws {
        try await db.sql.delete(from: "scheduler_leases").where("name", .equal, name).where("holder", .equal, holder).run()
    }

    /// Who holds the lease and until when, if anyone does.
    public func current() async throws -> (holder: String, expiresAt: String)? {
        guard let r = try await db.sql.select().columns("holder", "expires_at").from("scheduler_leases")
            .where("name", .equal, name).first() else { return nil }
        return (try r.decode(column: "holder", as: String.self), try r.decode(column: "expires_at", as: String.self))
    }
}
