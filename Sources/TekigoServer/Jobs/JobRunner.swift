import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoUseCases

/// How the background services time their work. The defaults suit production; tests shorten them.
public struct BackgroundTiming: Sendable, Equatable {
    /// Seconds between the job runner's looks for jobs it was not told about: queued on another instance, handed back
    /// by an instance that stopped, or left behind with an expired lease. A page that queues a job wakes its own
    /// instance's runner at once.
    public var jobPoll: TimeInterval
    /// How long a job's claim lasts without renewal; the runner renews it each third of that while the job runs, so
    /// only a server that stopped without handing its job back (a crash) leaves one to wait this long.
    public var jobLease: TimeInterval
    /// How long the reminder scheduler's lease lasts without renewal (the same: only a crash makes others wait it out).
    public var reminderLease: TimeInterval
    /// How often the scheduler's lease holder renews it and the other instances try to take it; at most a third of
    /// `reminderLease`.
    public var reminderLeaseCheck: TimeInterval

    public init(jobPoll: TimeInterval = 5, jobLease: TimeInterval = 60, reminderLease: TimeInterval = 120,
                reminderLeaseCheck: TimeInterval = 40) {
        self.jobPoll = jobPoll
        self.jobLease = jobLease
        self.reminderLease = reminderLease
        self.reminderLeaseCheck = min(reminderLeaseCheck, reminderLease / 3)
    }
}

/// This instance's end of the job queue (the queue itself is the `jobs` table, shared by every instance): a page
/// that queues a job calls `nudge()` so this instance's runner looks at once instead of at its next poll, and the
/// runner counts what it did here.
public final class JobQueue: @unchecked Sendable {
    /// What this instance's runner did since it started.
    public struct Activity: Sendable, Equatable {
        /// Jobs this instance took (each taken by exactly one runner at a time: `JobStore.take`).
        public var claimed = 0
        public var finished = 0
        public var failed = 0
        /// Handed back at graceful shutdown, for another instance to take at once.
        public var released = 0
        /// Taken over by another instance after this one's lease ran out (this one stopped working on it).
        public var leaseLost = 0
    }

    private let lock = NSLock()
    private var continuation: AsyncStream<Void>.Continuation?
    private var counts = Activity()

    public init() {}

    /// Wakes the runner (cheap: a page may call it on every request; several nudges before it looks count as one).
    public func nudge() {
        lock.withLock { continuation }?.yield()
    }

    public var activity: Activity { lock.withLock { counts } }

    func count(_ change: (inout Activity) -> Void) { lock.withLock { change(&counts) } }

    /// The runner's wake-ups: one stream per run of the runner.
    func subscribe() -> AsyncStream<Void> {
        let (stream, next) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let previous = lock.withLock {
            defer { continuation = next }
            return continuation
        }
        previous?.finish()
        return stream
    }
}

/// Prometheus counters of the job runner (process-wide, like every metric).
enum JobMetrics {
    static func outcome(_ name: String) -> Counter { Counter(label: "tekigo_jobs_total", dimensions: [("outcome", name)]) }
    static let claimed = outcome("claimed")
    static let finished = outcome("finished")
    static let failed = outcome("failed")
    static let released = outcome("released")
    static let leaseLost = outcome("lease_lost")

    /// Makes the counters appear in /metrics (at 0) before the first job.
    static func register() { _ = [claimed, finished, failed, released, leaseLost] }
}

/// Runs background jobs (the all-documents ZIP `BundleJob`, the OSCAL `CatalogImportJob`) as a `Service` of the
/// application (swift-service-lifecycle). Pages only queue a job (`JobStore.create`) and nudge `Services.jobs`.
///
/// At start, on each nudge, and every `BackgroundTiming.jobPoll`, the runner takes the oldest job any instance may take
/// (queued, or running under an expired lease) with one conditional update, so of several instances on one database
/// exactly one runs it; it runs one job at a time and renews the job's lease each third of `jobLease` while it runs
/// (a heartbeat; a renewal that finds the job taken by another instance stops the run here). On graceful shutdown the
/// running job is cancelled and handed back to the queue (`JobStore.release`), so another instance takes it at its
/// next look, and runs it from the start; a job that completes before it notices the shutdown is kept as finished.
struct JobRunner: Service {
    typealias Handler = @Sendable (Services, RunningJob) async throws -> Void

    /// The code for each kind of job.
    static let handlers: [String: Handler] = [
        BundleJob.kind: { try await BundleJob.run($0, $1) },
        CatalogImportJob.kind: { try await CatalogImportJob.run($0, $1) },
        JobUseCases.cloudRegistryImportKind: { try await CloudRegistryPages.runImport($0, $1) },
    ]

    /// Results and inputs are sealed with the server's key, bound to the organization and the job.
    static func binding(organizationID: String, jobID: String) -> Data { JobUseCases.binding(organizationID: organizationID, jobID: jobID) }

    let services: Services
    let logger: Logger
    let handlers: [String: Handler]
    let timing: BackgroundTiming

    init(services: Services, logger: Logger, handlers: [String: Handler] = JobRunner.handlers) {
        self.services = services
        self.logger = logger
        self.handlers = handlers
        self.timing = services.config.background
    }

    func run() async throws {
        let wake = services.jobs.subscribe()
        JobMetrics.register()
        logger.info("job runner started", metadata: ["instance": "\(services.instance)", "poll_seconds": "\(timing.jobPoll)"])
        // The first look, at start: jobs queued while no runner ran, and jobs whose server stopped.
        services.jobs.nudge()
        await cancelWhenGracefulShutdown { await self.loop(wake) }
        logger.info("job runner stopped", metadata: ["instance": "\(services.instance)"])
    }

    func loop(_ wake: AsyncStream<Void>) async {
        let queue = services.jobs
        let poll = Duration.milliseconds(Int64(max(timing.jobPoll, 0.01) * 1000))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    do { try await Task.sleep(for: poll) } catch { return }
                    queue.nudge()
                }
            }
            // Ends when the task is cancelled (graceful shutdown).
            for await _ in wake {
                await drain()
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
    }

    /// Runs jobs until none is left that this instance may take.
    func drain() async {
        while !Task.isCancelled {
            let candidates: [(organizationID: String, id: String)]
            do {
                candidates = try await JobStore.claimable(in: services.db, now: services.clock.now())
            } catch {
                logger.error("jobs not read", metadata: ["error": "\(error)"])
                return
            }
            var took = false
            for candidate in candidates {
                if Task.isCancelled { return }
                let jobs = JobStore(services.db, organizationID: candidate.organizationID)
                do {
                    // nil: another instance took it first.
                    guard let claim = try await jobs.take(id: candidate.id, lease: timing.jobLease, now: services.clock.now()) else { continue }
                    took = true
                    await execute(claim, jobs)
                } catch {
                    logger.error("job not taken", metadata: ["job": "\(candidate.id)", "error": "\(error)"])
                    return
                }
            }
            if !took { return }
        }
    }

    enum Event: Sendable {
        case ended(Result<Void, any Error>)
        case heartbeatStopped(JobClaim)
        case leaseLost
    }

    /// Runs one claimed job beside its heartbeat, then records how it ended.
    func execute(_ claim: JobClaim, _ jobs: JobStore) async {
        let id = claim.jobID
        services.jobs.count { $0.claimed += 1 }
        JobMetrics.claimed.increment()
        let job: JobRecord
        do {
            guard let found = try await jobs.job(id: id) else { return }
            job = found
        } catch {
            logger.error("job not read", metadata: ["job": "\(id)", "error": "\(error)"])
            _ = try? await jobs.release(claim, now: services.clock.now())
            return
        }
        let log = {
            var log = logger
            log[metadataKey: "job"] = "\(id)"
            log[metadataKey: "kind"] = "\(job.kind)"
            return log
        }()
        guard let handler = handlers[job.kind] else {
            try? await jobs.fail(id: id, message: "unknown job kind \(job.kind)", now: services.clock.now())
            services.jobs.count { $0.failed += 1 }
            JobMetrics.failed.increment()
            return
        }
        let services = self.services
        let renewEvery = Duration.milliseconds(Int64(timing.jobLease / 3 * 1000))
        let lease = timing.jobLease
        let (ending, last, lost) = await withTaskGroup(of: Event.self) { group in
            group.addTask {
                do {
                    try await handler(services, RunningJob(job, organizationID: jobs.organizationID, env: services.tenantEnvironment))
                    return .ended(.success(()))
                } catch {
                    return .ended(.failure(error))
                }
            }
            group.addTask {
                var current = claim
                while true {
                    do { try await Task.sleep(for: renewEvery) } catch { return .heartbeatStopped(current) }
                    do {
                        guard let renewed = try await jobs.renew(current, lease: lease, now: services.clock.now()) else { return .leaseLost }
                        current = renewed
                    } catch {
                        // Tried again at the next beat; the lease has two thirds of its time left.
                        log.warning("job lease not renewed", metadata: ["error": "\(error)"])
                    }
                }
            }
            var ending: Result<Void, any Error> = .failure(CancellationError())
            var last = claim
            var lost = false
            for await event in group {
                switch event {
                case .ended(let result):
                    ending = result
                    group.cancelAll()
                case .heartbeatStopped(let current):
                    last = current
                case .leaseLost:
                    lost = true
                    group.cancelAll()
                }
            }
            return (ending, last, lost)
        }
        switch ending {
        case .success:
            services.jobs.count { $0.finished += 1 }
            JobMetrics.finished.increment()
        case .failure where lost:
            // Its lease ran out (this instance could not renew it) and another instance runs it now.
            log.warning("job lease lost; another instance runs it")
            services.jobs.count { $0.leaseLost += 1 }
            JobMetrics.leaseLost.increment()
        case .failure where Task.isCancelled:
            // Graceful shutdown: hand it back (in a task of its own: this one is cancelled).
            let released = await Task { (try? await jobs.release(last, now: services.clock.now())) ?? false }.value
            log.info("job handed back at shutdown", metadata: ["released": "\(released)"])
            services.jobs.count { $0.released += 1 }
            JobMetrics.released.increment()
        case .failure(let error):
            log.error("job failed", metadata: ["error": "\(error)"])
            // The user sees what they can act on; the details are in the server log under the job id.
            let message: String
            switch error {
            case let e as APIError: message = e.message
            case let e as CatalogImportError: message = e.description
            case let e as OfficialWordingImportError: message = e.description
            case let e as OfficialTextCoverageError: message = e.description
            default: message = "job \(id)"
            }
            try? await jobs.fail(id: id, message: message, now: services.clock.now())
            services.jobs.count { $0.failed += 1 }
            JobMetrics.failed.increment()
        }
    }
}

/// This server process's name in the database's leases (`scheduler_leases.holder`) and in its logs: the host, the
/// process and a random part, so an operator can tell which instance holds the scheduler.
enum ServerInstance {
    static func newName() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "tekigo-\(host)-\(ProcessInfo.processInfo.processIdentifier)-" + UUID().uuidString.lowercased().prefix(8)
    }
}
