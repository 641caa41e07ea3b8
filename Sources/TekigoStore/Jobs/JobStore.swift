import Foundation
import SQLKit
import TekigoCore

/// A background job's row: what it is, how far it got, and (when finished) its result.
public struct JobRecord: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable { case queued, running, finished, failed }

    public let id: String
    public let organizationID: String
    public let kind: String
    /// JSON object of the job's inputs.
    public let parameters: String
    public let state: State
    public let done: Int
    public let total: Int
    public let message: String
    public let resultName: String?
    public let resultType: String?
    public let createdBy: String
    public let createdAt: String
    public let updatedAt: String
    public let leaseUntil: String?

    /// 0…100 for a progress bar.
    public var percent: Int { total > 0 ? min(100, done * 100 / total) : (state == .finished ? 100 : 0) }
}

/// A runner's hold on a job: the lease end it wrote last. Renewing and handing back only succeed while the row still
/// carries that value, so a runner whose lease ran out (and whose job another instance took) cannot touch the other's
/// run.
public struct JobClaim: Sendable, Hashable {
    public let organizationID: String
    public let jobID: String
    public let leaseUntil: String
}

/// Jobs of one organization. A job is claimed with a lease that its runner renews while it works (a heartbeat, each
/// third of the lease); a job still queued, or running with an expired lease (its server stopped), can be claimed
/// again and runs from the start, so leaving the page, or a restart, never loses it. A runner stopped gracefully hands
/// its job back (`release`), so the next instance that looks takes it at once. Results are stored as given (the
/// server seals them).
public struct JobStore: Sendable {
    let db: TekigoDatabase
    public let organizationID: String
    /// How long a claim lasts without renewal (the runner's default; `BackgroundTiming.jobLease`).
    public static let lease: TimeInterval = 60
    /// Finished and failed jobs (and their results) are removed after this long.
    public static let retention: TimeInterval = 24 * 3600

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let columns = ["id", "organization_id", "kind", "parameters", "state", "done", "total", "message", "result_name",
                          "result_type", "created_by", "created_at", "updated_at", "lease_until"]

    static func record(_ row: any SQLRow) throws -> JobRecord {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optional(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : text(c) }
        return JobRecord(id: try text("id"), organizationID: try text("organization_id"), kind: try text("kind"),
                         parameters: try text("parameters"), state: JobRecord.State(rawValue: try text("state")) ?? .failed,
                         done: try row.decode(column: "done", as: Int.self), total: try row.decode(column: "total", as: Int.self),
                         message: try text("message"), resultName: try optional("result_name"), resultType: try optional("result_type"),
                         createdBy: try text("created_by"), createdAt: try text("created_at"), updatedAt: try text("updated_at"),
                         leaseUntil: try optional("lease_until"))
    }

    func select(_ s: (any SQLDatabase)? = nil) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns(Self.columns.map { SQLIdentifier($0) }).from("jobs").where("organization_id", .equal, organizationID)
    }

    /// `input`: bytes the job works on (an uploaded file), stored as given (the server seals them).
    /// `id` may be chosen by the caller when the input is sealed with it.
    /// Queues a job; `audit`, when given, is appended in the same transaction as the job's row.
    public func create(id: String = UUID().uuidString.lowercased(), kind: String, parameters: String, total: Int, createdBy: String,
                       input: Data? = nil, audit: AuditEvent? = nil, now: Date = Date()) async throws -> JobRecord {
        try await pruneExpired(now: now)
        let t = Timestamp.string(now)
        let organizationID = organizationID, db = db
        try await db.transaction { s in
            try await s.insert(into: "jobs")
                .columns("id", "organization_id", "kind", "parameters", "state", "done", "total", "message", "input", "created_by",
                         "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(organizationID), SQLBind(kind), SQLBind(parameters), SQLBind(JobRecord.State.queued.rawValue),
                        SQLBind(0), SQLBind(total), SQLBind(""), SQLBind(input), SQLBind(createdBy), SQLBind(t), SQLBind(t))
                .run()
            if let audit { _ = try await AuditLog(db).append(audit, on: s) }
        }
        guard let job = try await job(id: id) else { throw NotFound(what: "job \(id)") }
        return job
    }

    public func job(id: String) async throws -> JobRecord? {
        try await select().where("id", .equal, id).first().map(Self.record)
    }

    /// Newest first; removes jobs older than `retention` on the way.
    public func recent(limit: Int = 20, now: Date = Date()) async throws -> [JobRecord] {
        try await pruneExpired(now: now)
        return try await select().orderBy("created_at", .descending).limit(limit).all().map(Self.record)
    }

    /// Removes this organization's jobs (and their sealed inputs and results) older than `retention`. Run when the
    /// jobs are listed and when a job is created.
    func pruneExpired(now: Date) async throws {
        try await db.sql.delete(from: "jobs").where("organization_id", .equal, organizationID)
            .where("created_at", .lessThan, Timestamp.string(now.addingTimeInterval(-Self.retention))).run()
    }

    /// Takes the job for a runner when it is queued, or running under an expired lease. False when someone else
    /// holds it or it has ended.
    public func claim(id: String, now: Date = Date()) async throws -> Bool {
        try await take(id: id, lease: Self.lease, now: now) != nil
    }

    /// Takes the job for a runner (see `claim`) for `lease` seconds; nil when someone else holds it or it has ended.
    /// One statement, so of several instances asking at once exactly one gets it.
    public func take(id: String, lease: TimeInterval, now: Date = Date()) async throws -> JobClaim? {
        let t = Timestamp.string(now)
        let until = Timestamp.string(now.addingTimeInterval(lease))
        let rows = try await db.sql.update("jobs")
            .set("state", to: SQLBind(JobRecord.State.running.rawValue)).set("done", to: SQLBind(0))
            .set("lease_until", to: SQLBind(until)).set("updated_at", to: SQLBind(t))
            .where("organization_id", .equal, organizationID).where("id", .equal, id)
            .where { $0.where("state", .equal, JobRecord.State.queued.rawValue)
                .orWhere { $0.where("state", .equal, JobRecord.State.running.rawValue).where("lease_until", .lessThan, t) } }
            .returning("id").all()
        return rows.isEmpty ? nil : JobClaim(organizationID: organizationID, jobID: id, leaseUntil: until)
    }

    /// Extends the lease to `now + lease` while the job still runs under `claim`; nil when it does not (it ended, or
    /// another runner took it after the lease ran out).
    public func renew(_ claim: JobClaim, lease: TimeInterval, now: Date = Date()) async throws -> JobClaim? {
        let until = Timestamp.string(now.addingTimeInterval(lease))
        let rows = try await db.sql.update("jobs").set("lease_until", to: SQLBind(until))
            .where("organization_id", .equal, organizationID).where("id", .equal, claim.jobID)
            .where("state", .equal, JobRecord.State.running.rawValue).where("lease_until", .equal, claim.leaseUntil)
            .returning("id").all()
        return rows.isEmpty ? nil : JobClaim(organizationID: organizationID, jobID: claim.jobID, leaseUntil: until)
    }

    /// Hands a job interrupted by a graceful shutdown back to the queue (its progress starts again), so the next
    /// runner that looks takes it without waiting for the lease to run out. False when `claim` no longer holds it.
    @discardableResult
    public func release(_ claim: JobClaim, now: Date = Date()) async throws -> Bool {
        let rows = try await db.sql.update("jobs")
            .set("state", to: SQLBind(JobRecord.State.queued.rawValue)).set("done", to: SQLBind(0)).set("message", to: SQLBind(""))
            .set("lease_until", to: SQLLiteral.null).set("updated_at", to: SQLBind(Timestamp.string(now)))
            .where("organization_id", .equal, organizationID).where("id", .equal, claim.jobID)
            .where("state", .equal, JobRecord.State.running.rawValue).where("lease_until", .equal, claim.leaseUntil)
            .returning("id").all()
        return !rows.isEmpty
    }

    /// Jobs of every organization a runner may take now (queued, or running under an expired lease), oldest first.
    public static func claimable(in db: TekigoDatabase, limit: Int = 10, now: Date = Date()) async throws
        -> [(organizationID: String, id: String)] {
        let t = Timestamp.string(now)
        return try await db.sql.select().columns("organization_id", "id").from("jobs")
            .where { $0.where("state", .equal, JobRecord.State.queued.rawValue)
                .orWhere { $0.where("state", .equal, JobRecord.State.running.rawValue).where("lease_until", .lessThan, t) } }
            .orderBy("created_at").limit(limit).all()
            .map { (try $0.decode(column: "organization_id", as: String.self), try $0.decode(column: "id", as: String.self)) }
    }

    /// Reports progress (the runner's heartbeat, not progress, keeps the lease).
    public func progress(id: String, done: Int, total: Int, message: String, now: Date = Date()) async throws {
        try await db.sql.update("jobs").set("done", to: SQLBind(done)).set("total", to: SQLBind(total))
            .set("message", to: SQLBind(message)).set("updated_at", to: SQLBind(Timestamp.string(now)))
            .where("organization_id", .equal, organizationID).where("id", .equal, id).run()
    }

    public func finish(id: String, resultName: String, resultType: String, result: Data, now: Date = Date()) async throws {
        try await db.sql.update("jobs").set("state", to: SQLBind(JobRecord.State.finished.rawValue))
            .set("done", to: SQLColumn("total")).set("result_name", to: SQLBind(resultName)).set("result_type", to: SQLBind(resultType))
            .set("result", to: SQLBind(result)).set("updated_at", to: SQLBind(Timestamp.string(now))).set("lease_until", to: SQLLiteral.null)
            .where("organization_id", .equal, organizationID).where("id", .equal, id).run()
    }

    public func fail(id: String, message: String, now: Date = Date()) async throws {
        try await db.sql.update("jobs").set("state", to: SQLBind(JobRecord.State.failed.rawValue)).set("message", to: SQLBind(message))
            .set("input", to: SQLLiteral.null)
            .set("updated_at", to: SQLBind(Timestamp.string(now))).set("lease_until", to: SQLLiteral.null)
            .where("organization_id", .equal, organizationID).where("id", .equal, id).run()
    }

    /// The job's input bytes, if it was given any.
    public func input(id: String) async throws -> Data? {
        guard let row = try await db.sql.select().column("input").from("jobs").where("organization_id", .equal, organizationID)
            .where("id", .equal, id).first(), !(try row.decodeNil(column: "input")) else { return nil }
        return try row.decode(column: "input", as: Data.self)
    }

    /// Finished without a file to download (the message says what was done); the input is dropped.
    public func finish(id: String, message: String, now: Date = Date()) async throws {
        try await db.sql.update("jobs").set("state", to: SQLBind(JobRecord.State.finished.rawValue))
            .set("done", to: SQLColumn("total")).set("message", to: SQLBind(message)).set("input", to: SQLLiteral.null)
            .set("updated_at", to: SQLBind(Timestamp.string(now))).set("lease_until", to: SQLLiteral.null)
            .where("organization_id", .equal, organizationID).where("id", .equal, id).run()
    }

    /// The stored result of a finished job.
    public func result(id: String) async throws -> Data? {
        guard let row = try await db.sql.select().column("result").from("jobs").where("organization_id", .equal, organizationID)
            .where("id", .equal, id).where("state", .equal, JobRecord.State.finished.rawValue).first(),
              !(try row.decodeNil(column: "result")) else { return nil }
        return try row.decode(column: "result", as: Data.self)
    }
}
