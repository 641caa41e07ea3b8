import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Scheduled pulls of TAXII feeds (issue 14 item 3). Each pass, while it holds the `taxii-feeds` lease (so one instance
/// at a time runs passes): the enabled feeds whose last run plus their interval has passed (`TAXIIFeedUseCases.dueFeeds`;
/// a feed that never ran is due at once) are pulled one after the other through `TAXIIFeedUseCases.pull`, which resumes
/// from the feed's last `X-TAXII-Date-Added-Last`, records the run on the feed, in its history and in the audit log,
/// and holds the feed's own lease while it runs (a "pull now" from a page and a scheduled pull never run together).
///
/// A failing feed is not hammered: its failed run is recorded like any other, so it is due again only after its
/// interval; a pull that could not even be recorded (the database, say) waits `retryAfterError` before this instance
/// tries the feed again. One feed's failure never stops the others: each is its own pull, its error logged.
///
/// A `Service` of the Hummingbird application, modelled on `ReminderScheduler`: `buildApplication` adds it when
/// `ServerConfiguration.taxiiFeedCheckInterval` is above 0 (`tekigo serve --taxii-feed-check-interval`); the lease is
/// taken, renewed and given up as the reminders' is (`BackgroundTiming.reminderLease`, `.reminderLeaseCheck`). Its
/// errors are logged, never thrown. Tests call `runOnce(at:)` with an instant (the injectable clock).
///
/// Limits: the pass lease is renewed between feeds, not during one pull, so a pull longer than the lease lets another
/// instance start a pass meanwhile (it skips the feed being pulled: that feed's own lease is held); a feed's lease
/// lasts `TAXIIFeedUseCases.pullLease` (30 minutes) and is not renewed, so a pull running longer than that could be
/// joined by a second one (objects are idempotent on id and version, so nothing is stored twice). A scheduled run's
/// person is `taxii-scheduler`, as the command line's is `cli`: a TLP:RED object pulled names it as its one recipient,
/// so it reaches nobody over TAXII.
public struct TAXIIFeedScheduler: Service {
    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        /// False when another instance held the lease (nothing was done).
        public var ran = false
        /// Feeds that were due.
        public var due = 0
        /// Runs that ended ok, and in an error (recorded on the feed).
        public var pulled = 0
        public var failed = 0
        /// Objects the runs added.
        public var added = 0
        /// Feeds being pulled already (a "pull now", or another instance's run).
        public var inProgress = 0
        /// Feeds whose pull could not be run or recorded (logged), and those still waiting after such an error.
        public var errors = 0
        public var waiting = 0
        /// True when the lease was lost during the pass, which then stopped.
        public var leaseLost = false
    }

    static let leaseName = "taxii-feeds"
    /// How long this instance leaves a feed alone after a pull of it threw (not a failed run: those wait their interval).
    static let retryAfterError: TimeInterval = 15 * 60
    /// The caller every scheduled pull runs as: the organization's owner role, the audit actor `taxii-scheduler`.
    static let actorID = "taxii-scheduler"

    let db: TekigoDatabase
    let evidence: EvidenceVault
    let library: Library
    let interval: TimeInterval
    let logger: Logger
    let holder: String
    let leaseDuration: TimeInterval
    let leaseCheck: TimeInterval
    let addressPolicy: WebhookAddressPolicy
    let http: TAXIIFeedHTTP
    let wallClock: any WallClock
    /// Feeds whose pull threw, and when this instance may try them again.
    let backoff = FeedBackoff()

    public init(services: Services, logger: Logger, http: TAXIIFeedHTTP = .live) {
        self.db = services.db
        self.evidence = services.evidence
        self.library = services.library
        self.interval = services.config.taxiiFeedCheckInterval
        self.logger = logger
        self.holder = services.instance
        self.leaseDuration = services.config.background.reminderLease
        self.leaseCheck = services.config.background.reminderLeaseCheck
        self.addressPolicy = services.config.webhookAddresses
        self.http = http
        self.wallClock = services.clock
    }

    /// A scheduler beside another instance's on the same database (tests: two instances, one pass at a time).
    init(copying other: TAXIIFeedScheduler, holder: String) {
        self.db = other.db
        self.evidence = other.evidence
        self.library = other.library
        self.interval = other.interval
        self.logger = other.logger
        self.holder = holder
        self.leaseDuration = other.leaseDuration
        self.leaseCheck = other.leaseCheck
        self.addressPolicy = other.addressPolicy
        self.http = other.http
        self.wallClock = other.wallClock
    }

    // MARK: - The loop

    public func run() async throws {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        logger.info("TAXII feed scheduler started", metadata: ["check_seconds": "\(interval)", "holder": "\(holder)"])
        let lease = SchedulerLease(db, name: Self.leaseName, holder: holder)
        TAXIIFeedMetrics.leaseHeld.record(0)
        await cancelWhenGracefulShutdown {
            var holding = false
            var nextPass = ContinuousClock.now
            while !Task.isCancelled {
                do {
                    let held = try await lease.acquire(for: self.leaseDuration, at: self.wallClock.now())
                    if held != holding {
                        holding = held
                        TAXIIFeedMetrics.leaseHeld.record(held ? 1 : 0)
                        self.logger.info(held ? "TAXII feed lease taken" : "TAXII feed lease lost", metadata: ["holder": "\(self.holder)"])
                        nextPass = ContinuousClock.now
                    }
                    if held, ContinuousClock.now >= nextPass {
                        nextPass = ContinuousClock.now + .seconds(self.interval)
                        let pass = try await self.pass(clock: self.wallClock, lease: lease)
                        nextPass = ContinuousClock.now + .seconds(self.interval)
                        if pass.due > 0 || pass.leaseLost {
                            self.logger.info("TAXII feed pass", metadata: [
                                "due": "\(pass.due)", "pulled": "\(pass.pulled)", "failed": "\(pass.failed)", "added": "\(pass.added)",
                                "in_progress": "\(pass.inProgress)", "errors": "\(pass.errors)", "lease_lost": "\(pass.leaseLost)",
                            ])
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    self.logger.error("TAXII feed pass failed", metadata: ["error": "\(error)"])
                }
                let check = Duration.milliseconds(Int64(self.leaseCheck * 1000))
                let wait = holding ? min(check, max(.zero, nextPass - ContinuousClock.now)) : check
                do { try await Task.sleep(for: wait) } catch { break }
            }
        }
        try? await lease.release()
        TAXIIFeedMetrics.leaseHeld.record(0)
        logger.info("TAXII feed scheduler stopped", metadata: ["holder": "\(holder)"])
    }

    // MARK: - One pass

    /// One pass on the server's clock, or, given an instant, as if the whole pass happened then (which feeds are due,
    /// and every run's times). Does nothing (`ran == false`) while another instance holds the lease.
    @discardableResult
    public func runOnce(at given: Date? = nil) async throws -> Pass {
        let clock: any WallClock = given.map { StoppedClock(instant: $0) } ?? wallClock
        let lease = SchedulerLease(db, name: Self.leaseName, holder: holder)
        guard try await lease.acquire(for: leaseDuration, at: clock.now()) else { return Pass() }
        let pass: Pass
        do {
            pass = try await self.pass(clock: clock, lease: lease)
        } catch {
            try? await lease.release()
            throw error
        }
        try await lease.release()
        return pass
    }

    func pass(clock: any WallClock, lease: SchedulerLease) async throws -> Pass {
        var keeper = ReminderScheduler.LeaseKeeper(lease: lease, clock: clock, duration: leaseDuration, every: leaseCheck)
        var pass = Pass(ran: true)
        let env = TenantEnvironment(db: db, evidence: evidence, library: library, clock: clock)
        let check = addressPolicy.feedCheck
        for (feed, organization) in try await TAXIIFeedUseCases.dueFeeds(env, at: clock.now()) {
            if Task.isCancelled { break }
            guard try await keeper.keep() else {
                pass.leaseLost = true
                logger.warning("TAXII feed lease lost; pass stopped", metadata: ["holder": "\(holder)"])
                break
            }
            pass.due += 1
            if await backoff.waiting(feed, at: clock.now()) {
                pass.waiting += 1
                continue
            }
            let caller = TAXIICaller(organizationID: organization, personID: Self.actorID, role: .owner, readOnly: false,
                                     actor: Actor(id: Self.actorID, sourceIP: "local"))
            do {
                let run = try await TAXIIFeedUseCases(env, caller, addressCheck: check, http: http).pull(feedID: feed)
                pass.added += run.added
                if run.error == nil { pass.pulled += 1 } else { pass.failed += 1 }
                await backoff.clear(feed)
            } catch TAXIIFeedError.pullInProgress {
                pass.inProgress += 1
            } catch {
                // This feed only: the others are still pulled.
                pass.errors += 1
                await backoff.wait(feed, until: clock.now().addingTimeInterval(Self.retryAfterError))
                logger.error("TAXII feed not pulled", metadata: ["feed": "\(feed)", "organization": "\(organization)", "error": "\(error)"])
            }
        }
        return pass
    }
}

/// Feeds whose pull threw, per instance, and when they may be tried again.
actor FeedBackoff {
    var until: [String: Date] = [:]

    func waiting(_ feed: String, at now: Date) -> Bool { (until[feed].map { $0 > now }) ?? false }
    func wait(_ feed: String, until date: Date) { until[feed] = date }
    func clear(_ feed: String) { until[feed] = nil }
}

/// 1 while this process holds the TAXII feeds lease.
enum TAXIIFeedMetrics {
    static let leaseHeld = Gauge(label: "tekigo_taxii_feed_lease_held")
}

extension WebhookAddressPolicy {
    /// Where a TAXII feed may go: the webhooks' rule itself (`check`, the one place it is written: private, link-local
    /// and reserved addresses refused unless `tekigo serve --webhook-allow-network` allows the range; loopback allowed),
    /// its refusal turned into the feed's error. Asked when a feed is subscribed and before each of its runs.
    public var feedCheck: WebhookAddressCheck {
        { url in
            do {
                try await self.check(url)
            } catch let e as WebhookAddressRefused {
                throw TAXIIFeedError.addressRefused("\(e.host): \(e.reason)")
            }
        }
    }
}

extension Services {
    /// TAXII feeds as the use-case layer reads and changes them, for `caller`; feed URLs checked by the server's address
    /// policy (`WebhookAddressPolicy.feedCheck`).
    func taxiiFeeds(_ caller: TAXIICaller) -> TAXIIFeedUseCases {
        TAXIIFeedUseCases(tenantEnvironment, caller, addressCheck: config.webhookAddresses.feedCheck)
    }
}
