import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TekigoCore
import TekigoStore

/// The lease-and-pass loop the background schedulers share (`ReminderScheduler`, `TAXIIFeedScheduler`): of several
/// instances on one database, the one holding the lease `name` (`SchedulerLease`) runs the passes: a pass as soon as
/// it takes the lease, then one every `interval`; it renews the lease each `leaseCheck`, and the others try to take it
/// as often. On graceful shutdown the sleep, or the pass in flight, is cancelled and the lease released, so another
/// instance takes it at its next check (after a crash, once the lease has run out). A pass's errors are logged, never
/// thrown: a failing pass must not take the server down. The scheduler says what a pass is and what of it to log.
struct LeasedPasses: Sendable {
    /// The lease's name in `scheduler_leases`, one per scheduler.
    let name: String
    /// How the log lines name the scheduler ("reminder", "TAXII feed").
    let label: String
    let db: TekigoDatabase
    /// This instance, in `scheduler_leases.holder` (`Services.instance`).
    let holder: String
    /// Seconds between passes; 0 or less: none.
    let interval: TimeInterval
    /// How long the lease lasts without renewal, and how often it is renewed (or, by the others, tried).
    let leaseDuration: TimeInterval
    let leaseCheck: TimeInterval
    /// The server's one clock (`ServerConfiguration.clock`): the lease is stamped with it.
    let wallClock: any WallClock
    let logger: Logger
    /// 1 while this process holds the lease.
    let gauge: Gauge

    /// The same scheduler as another instance (`holder`) on the same database (tests: two instances).
    func holder(_ other: String) -> LeasedPasses {
        LeasedPasses(name: name, label: label, db: db, holder: other, interval: interval, leaseDuration: leaseDuration,
                     leaseCheck: leaseCheck, wallClock: wallClock, logger: logger, gauge: gauge)
    }

    var lease: SchedulerLease { SchedulerLease(db, name: name, holder: holder) }

    /// What renews the lease during a pass stamped with `clock`.
    func keeper(_ lease: SchedulerLease, clock: any WallClock) -> LeaseKeeper {
        LeaseKeeper(lease: lease, clock: clock, duration: leaseDuration, every: leaseCheck)
    }

    // MARK: - The loop

    /// Runs passes while this instance holds the lease, until graceful shutdown; `report` is given each finished pass
    /// (to log what it did). With `interval` 0 it only waits for shutdown (returning early would end the service group).
    func run<Pass: Sendable>(pass: @escaping @Sendable (any WallClock, SchedulerLease) async throws -> Pass,
                             report: @escaping @Sendable (Pass) -> Void) async {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        logger.info("\(label) scheduler started", metadata: ["interval_seconds": "\(interval)", "holder": "\(holder)"])
        let lease = self.lease
        gauge.record(0)
        await cancelWhenGracefulShutdown {
            var holding = false
            var nextPass = ContinuousClock.now
            while !Task.isCancelled {
                do {
                    // Takes a free or expired lease, or renews this instance's own.
                    let held = try await lease.acquire(for: self.leaseDuration, at: self.wallClock.now())
                    if held != holding {
                        holding = held
                        self.gauge.record(held ? 1 : 0)
                        self.logger.info("\(self.label) lease \(held ? "taken" : "lost")", metadata: ["holder": "\(self.holder)"])
                        // A new holder cannot know when the last pass ran: it runs one now.
                        nextPass = ContinuousClock.now
                    }
                    if held, ContinuousClock.now >= nextPass {
                        // Set first too: a pass that fails also waits the interval before the next.
                        nextPass = ContinuousClock.now + .seconds(self.interval)
                        let done = try await pass(self.wallClock, lease)
                        nextPass = ContinuousClock.now + .seconds(self.interval)
                        // A lease lost during the pass is noticed (and logged) at the next acquire.
                        report(done)
                    }
                } catch {
                    if Task.isCancelled { break }
                    self.logger.error("\(self.label) pass failed", metadata: ["error": "\(error)"])
                }
                // The holder wakes for its next pass or to renew, whichever comes first; the others to try again.
                let check = Duration.milliseconds(Int64(self.leaseCheck * 1000))
                let wait = holding ? min(check, max(.zero, nextPass - ContinuousClock.now)) : check
                do { try await Task.sleep(for: wait) } catch { break }
            }
        }
        // Graceful shutdown: the lease goes now, so another instance takes it at its next check, not when it runs out.
        try? await lease.release()
        gauge.record(0)
        logger.info("\(label) scheduler stopped", metadata: ["holder": "\(holder)"])
    }

    // MARK: - One pass

    /// One pass on the server's clock, or, given an instant, on a clock stopped there (as if the whole pass happened at
    /// that instant). Takes the lease for the pass and gives it up after; while another instance holds it, nothing is
    /// done and `notHeld` is the answer.
    func once<Pass: Sendable>(at given: Date?, notHeld: Pass,
                              pass: (any WallClock, SchedulerLease) async throws -> Pass) async throws -> Pass {
        let clock: any WallClock = given.map { StoppedClock(instant: $0) } ?? wallClock
        let lease = self.lease
        guard try await lease.acquire(for: leaseDuration, at: clock.now()) else { return notHeld }
        let done: Pass
        do {
            done = try await pass(clock, lease)
        } catch {
            try? await lease.release()
            throw error
        }
        try await lease.release()
        return done
    }
}

/// Renews a scheduler's lease during a pass, each `every` seconds of real time, stamping it with the pass's clock.
struct LeaseKeeper {
    let lease: SchedulerLease
    let clock: any WallClock
    let duration: TimeInterval
    let every: Duration
    var renewed = ContinuousClock.now

    init(lease: SchedulerLease, clock: any WallClock, duration: TimeInterval, every: TimeInterval) {
        self.lease = lease
        self.clock = clock
        self.duration = duration
        self.every = .milliseconds(Int64(every * 1000))
    }

    var now: Date { clock.now() }

    /// False when the lease was lost (another instance took it after it expired).
    mutating func keep() async throws -> Bool {
        guard ContinuousClock.now - renewed >= every else { return true }
        renewed = ContinuousClock.now
        return try await lease.renew(for: duration, at: now)
    }
}
