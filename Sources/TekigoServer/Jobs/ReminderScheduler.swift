import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Metrics
import ServiceLifecycle
import TekigoCore
import TekigoStore

/// The body of a webhook delivery. Encoded with sorted keys, so the bytes (and the signature over them) are the same
/// on every attempt.
struct WebhookPayload: Codable, Sendable, Equatable {
    struct Text: Codable, Sendable, Equatable {
        let en: String
        let ja: String
    }

    let key: String
    let kind: String
    /// The organization the reminder is for (the webhook's).
    let organizationId: String
    let text: Text
    let createdAt: String

    init(_ r: ReminderRecord) {
        key = r.reminderKey
        kind = r.kind
        organizationId = r.organizationId
        text = Text(en: r.textEn, ja: r.textJa)
        createdAt = r.createdAt
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// How a delivery is signed: `X-Tekigo-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the secret's
/// UTF-8 bytes>`, and `X-Tekigo-Delivery: <delivery id>` (the same on every retry, so a receiver can drop repeats).
enum WebhookSignature {
    static let header = "X-Tekigo-Signature"
    static let deliveryHeader = "X-Tekigo-Delivery"

    static func value(body: Data, secret: WebhookSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.text.utf8)))
        return "sha256=" + Hex.encode(mac)
    }
}

/// Supply-chain reminders in the background (issue: supply chain, item 5). Each pass, while it holds the
/// `reminders` lease (so one instance at a time runs one): every organization's due reminders are computed and the
/// new ones stored, with a delivery per webhook (`ReminderStore.refresh`); then the deliveries that are due are
/// POSTed to their webhooks, ten seconds at most each, and each attempt is recorded (`WebhookQueue`: retries after
/// 1 min, 5 min, 30 min, 2 h and 12 h, then given up).
///
/// A `Service` of the Hummingbird application (swift-service-lifecycle): `buildApplication` adds it when
/// `ServerConfiguration.reminderInterval` is above 0. The lease, the loop and shutdown are `LeasedPasses`, shared with
/// `TAXIIFeedScheduler`: of several instances on one database, the one holding the lease runs the passes, a pass as
/// soon as it takes the lease, then one every interval; it renews the lease each `BackgroundTiming.reminderLeaseCheck`.
/// On graceful shutdown the request in flight is cancelled and the lease released. Its errors are logged, never thrown:
/// a failing pass must not take the server down. Tests call `runOnce(at:)` directly.
public struct ReminderScheduler: Service {
    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        /// False when another instance held the lease (nothing was done).
        public var ran = false
        public var organizations = 0
        public var newReminders = 0
        public var delivered = 0
        /// Attempts that failed (to be retried, or given up).
        public var failedAttempts = 0
        /// Organizations whose reminders could not be computed (logged).
        public var errors = 0
        /// True when the lease was lost during the pass, which then stopped.
        public var leaseLost = false
    }

    static let leaseName = "reminders"
    static let requestTimeout: TimeInterval = 10
    /// Deliveries read per batch, batches per pass, requests in flight at once.
    static let batchSize = 100
    static let maxBatches = 20
    static let concurrency = 8

    let db: TekigoDatabase
    let evidenceKey: EvidenceKey
    let logger: Logger
    /// The lease `reminders`, the loop and one pass at an instant, on the server's one clock (`ServerConfiguration.clock`):
    /// every time a pass reads or writes comes from it.
    let passes: LeasedPasses
    var holder: String { passes.holder }
    let session: URLSession
    /// Checked again before each delivery: the host's DNS answer may have changed since the webhook was added.
    let addressPolicy: WebhookAddressPolicy

    public init(services: Services, logger: Logger) {
        self.addressPolicy = services.config.webhookAddresses
        self.db = services.db
        self.evidenceKey = services.evidence.key
        self.logger = logger
        self.passes = LeasedPasses(name: Self.leaseName, label: "reminder", db: services.db, holder: services.instance,
                                   interval: services.config.reminderInterval, leaseDuration: services.config.background.reminderLease,
                                   leaseCheck: services.config.background.reminderLeaseCheck, wallClock: services.clock, logger: logger,
                                   gauge: ReminderMetrics.leaseHeld)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.requestTimeout
        configuration.timeoutIntervalForResource = Self.requestTimeout
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    // MARK: - The loop

    public func run() async throws {
        let logger = logger
        await passes.run(pass: { clock, lease in try await self.pass(clock: clock, lease: lease) }, report: { pass in
            if pass.newReminders + pass.delivered + pass.failedAttempts + pass.errors > 0 || pass.leaseLost {
                logger.info("reminder pass", metadata: [
                    "organizations": "\(pass.organizations)", "new_reminders": "\(pass.newReminders)",
                    "delivered": "\(pass.delivered)", "failed_attempts": "\(pass.failedAttempts)",
                    "errors": "\(pass.errors)", "lease_lost": "\(pass.leaseLost)",
                ])
            }
        })
        session.invalidateAndCancel()
    }

    // MARK: - One pass

    /// One pass on the server's clock, or, given an instant, as if the whole pass happened at that instant (the day
    /// reminders are computed for, the time deliveries are due by and every attempt is stamped with): refresh every
    /// organization, then send what is due. Does nothing (`ran == false`) while another instance holds the lease; takes
    /// the lease for the pass and gives it up after.
    @discardableResult
    public func runOnce(at given: Date? = nil) async throws -> Pass {
        try await passes.once(at: given, notHeld: Pass()) { clock, lease in try await self.pass(clock: clock, lease: lease) }
    }

    /// One pass under the lease, which this instance holds (and keeps, renewing it as the pass goes).
    func pass(clock: any WallClock, lease: SchedulerLease) async throws -> Pass {
        var keeper = passes.keeper(lease, clock: clock)
        var pass = Pass(ran: true)
        try await refreshAll(at: clock.now(), pass: &pass, keeper: &keeper)
        if !pass.leaseLost { try await deliverDue(pass: &pass, keeper: &keeper) }
        return pass
    }

    func refreshAll(at now: Date, pass: inout Pass, keeper: inout LeaseKeeper) async throws {
        for org in try await ReminderStore.organizationIDs(in: db) {
            if Task.isCancelled { return }
            guard try await keeper.keep() else {
                pass.leaseLost = true
                logger.warning("reminder lease lost; pass stopped", metadata: ["holder": "\(holder)"])
                return
            }
            pass.organizations += 1
            do {
                pass.newReminders += try await ReminderStore(db, organizationID: org, evidenceKey: evidenceKey).refresh(at: now).count
            } catch {
                // One organization's bad row must not stop the others' reminders.
                pass.errors += 1
                logger.error("reminders not computed", metadata: ["organization": "\(org)", "error": "\(error)"])
            }
        }
    }

    enum Outcome: Sendable {
        case delivered, failed, cancelled
    }

    func deliverDue(pass: inout Pass, keeper: inout LeaseKeeper) async throws {
        let queue = WebhookQueue(db, evidenceKey: evidenceKey)
        for _ in 0..<Self.maxBatches {
            if Task.isCancelled { return }
            let due = try await queue.due(at: keeper.now, limit: Self.batchSize)
            if due.isEmpty { return }
            let clock = keeper.clock
            var lost = false
            var outcomes: [Outcome] = []
            try await withThrowingTaskGroup(of: Outcome.self) { group in
                var pending = due.makeIterator()
                for _ in 0..<Self.concurrency {
                    guard let d = pending.next() else { break }
                    group.addTask { try await self.deliver(d, queue: queue, clock: { clock.now() }) }
                }
                while let outcome = try await group.next() {
                    outcomes.append(outcome)
                    if !lost {
                        let kept = try await keeper.keep()
                        lost = !kept
                    }
                    if !lost, let d = pending.next() {
                        group.addTask { try await self.deliver(d, queue: queue, clock: { clock.now() }) }
                    }
                }
            }
            pass.delivered += outcomes.filter { if case .delivered = $0 { true } else { false } }.count
            pass.failedAttempts += outcomes.filter { if case .failed = $0 { true } else { false } }.count
            if lost {
                pass.leaseLost = true
                logger.warning("reminder lease lost; deliveries stopped", metadata: ["holder": "\(holder)"])
                return
            }
            if due.count < Self.batchSize { return }
        }
    }

    /// One attempt: POST the reminder, signed; record the outcome. A cancelled attempt (shutdown) is not recorded:
    /// the delivery stays due and the next pass, here or on another instance, sends it.
    func deliver(_ d: DueDelivery, queue: WebhookQueue, clock: @Sendable () -> Date) async throws -> Outcome {
        let id = d.delivery.id
        guard let secret = d.secret else {
            try await queue.markFailed(id: id, status: nil, error: ReminderError.secretUnreadable(webhook: d.delivery.webhookId).description,
                                       at: clock())
            return .failed
        }
        guard let url = URL(string: d.url) else {
            try await queue.markFailed(id: id, status: nil, error: "the stored URL cannot be read", at: clock())
            return .failed
        }
        do {
            try await addressPolicy.check(d.url)
        } catch {
            if Task.isCancelled { return .cancelled }
            try await queue.markFailed(id: id, status: nil, error: error.description, at: clock())
            return .failed
        }
        let body = try WebhookPayload(d.reminder).encoded()
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Self.requestTimeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("Tekigo-Webhook/1", forHTTPHeaderField: "User-Agent")
        request.setValue(WebhookSignature.value(body: body, secret: secret), forHTTPHeaderField: WebhookSignature.header)
        request.setValue(id, forHTTPHeaderField: WebhookSignature.deliveryHeader)
        let status: Int
        do {
            let (_, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                try await queue.markFailed(id: id, status: nil, error: "the answer was not HTTP", at: clock())
                return .failed
            }
            status = http.statusCode
        } catch {
            if Task.isCancelled { return .cancelled }
            try await queue.markFailed(id: id, status: nil, error: Self.describe(error), at: clock())
            return .failed
        }
        if (200..<300).contains(status) {
            try await queue.markDelivered(id: id, status: status, at: clock())
            return .delivered
        }
        try await queue.markFailed(id: id, status: status, error: "the receiver answered HTTP \(status)", at: clock())
        return .failed
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? URLError {
            switch e.code {
            case .timedOut: return "no answer within \(Int(requestTimeout)) seconds"
            case .cannotConnectToHost: return "the connection was refused"
            case .cannotFindHost, .dnsLookupFailed: return "the host name did not resolve"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return "TLS failed (the receiver's certificate is not trusted)"
            default: return "the request failed (URLError \(e.code.rawValue))"
            }
        }
        return "the request failed: \(error.localizedDescription)"
    }
}

/// The scheduler's Prometheus gauge: 1 while this process holds the reminders lease. Summed over the instances it is
/// 1 when reminders run (0 for longer than `BackgroundTiming.reminderLease`: none does).
enum ReminderMetrics {
    static let leaseHeld = Gauge(label: "tekigo_reminder_lease_held")
}

/// Webhook deliveries never follow a redirect: the URL the organization registered (and we validated) is the only
/// place a delivery goes; a 3xx answer counts as a failed attempt.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
