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
/// A `Service` of the Hummingbird application: `buildApplication` adds it when `ServerConfiguration.taxiiFeedCheckInterval`
/// is above 0 (`tekigo serve --taxii-feed-check-interval`); the lease is taken, renewed and given up by the loop the
/// reminders' scheduler runs too (`LeasedPasses`, with `BackgroundTiming.reminderLease`, `.reminderLeaseCheck`). Its
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
    let logger: Logger
    /// The lease `taxii-feeds`, the loop and one pass at an instant, on the server's clock.
    let passes: LeasedPasses
    var holder: String { passes.holder }
    let addressPolicy: WebhookAddressPolicy
    let http: TAXIIFeedHTTP
    /// Feeds whose pull threw, and when this instance may try them again.
    let backoff = FeedBackoff()

    public init(services: Services, logger: Logger, http: TAXIIFeedHTTP = .live) {
        self.db = services.db
        self.evidence = services.evidence
        self.library = services.library
        self.logger = logger
        self.passes = LeasedPasses(name: Self.leaseName, label: "TAXII feed", db: services.db, holder: services.instance,
                                   interval: services.config.taxiiFeedCheckInterval, leaseDuration: services.config.background.reminderLease,
                                   leaseCheck: services.config.background.reminderLeaseCheck, wallClock: services.clock, logger: logger,
                                   gauge: TAXIIFeedMetrics.leaseHeld)
        self.addressPolicy = services.config.webhookAddresses
        self.http = http
    }

    /// A scheduler beside another instance's on the same database (tests: two instances, one pass at a time).
    init(copying other: TAXIIFeedScheduler, holder: String) {
        self.db = other.db
        self.evidence = other.evidence
        self.library = other.library
        self.logger = other.logger
        self.passes = other.passes.holder(holder)
        self.addressPolicy = other.addressPolicy
        self.http = other.http
    }

    // MARK: - The loop

    public func run() async throws {
        let logger = logger
        await passes.run(pass: { clock, lease in try await self.pass(clock: clock, lease: lease) }, report: { pass in
            if pass.due > 0 || pass.leaseLost {
                logger.info("TAXII feed pass", metadata: [
                    "due": "\(pass.due)", "pulled": "\(pass.pulled)", "failed": "\(pass.failed)", "added": "\(pass.added)",
                    "in_progress": "\(pass.inProgress)", "errors": "\(pass.errors)", "lease_lost": "\(pass.leaseLost)",
                ])
            }
        })
    }

    // MARK: - One pass

    /// One pass on the server's clock, or, given an instant, as if the whole pass happened then (which feeds are due,
    /// and every run's times). Does nothing (`ran == false`) while another instance holds the lease.
    @discardableResult
    public func runOnce(at given: Date? = nil) async throws -> Pass {
        try await passes.once(at: given, notHeld: Pass()) { clock, lease in try await self.pass(clock: clock, lease: lease) }
    }

    func pass(clock: any WallClock, lease: SchedulerLease) async throws -> Pass {
        var keeper = passes.keeper(lease, clock: clock)
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
