import Foundation
import TekigoCore
import TekigoStore

/// A job a runner has claimed, as the code that does its work sees it: what was asked (`record`), the organization it
/// was queued in (as a scope, acting as whoever queued it), its sealed input, and where progress and the result go.
/// The runner keeps the claiming and the lease; the work reaches the store only through here.
public struct RunningJob: Sendable {
    public let record: JobRecord
    let env: TenantEnvironment
    let jobs: JobStore

    public init(_ record: JobRecord, organizationID: String, env: TenantEnvironment) {
        self.record = record
        self.env = env
        self.jobs = JobStore(env.db, organizationID: organizationID)
    }

    public var organizationID: String { jobs.organizationID }
    public var id: String { record.id }

    /// Results and inputs are sealed with the server's key, bound to the organization and the job.
    var binding: Data { JobUseCases.binding(organizationID: organizationID, jobID: record.id) }

    /// The organization as the job's reads see it: the person who queued the job is the actor (the role was checked
    /// when it was queued; a job only reads what that queueing allowed, so the scope carries a viewer's role).
    public func scope() async throws -> TenantScope {
        guard let organization = try await AccountStore(env.db).organization(id: organizationID) else {
            throw RunningJobError.organizationGone(organizationID)
        }
        return TenantScope(organization: organization, role: .viewer, actor: Actor(id: record.createdBy, sourceIP: "job"),
                           store: TenantStore(env.db, organizationID: organizationID))
    }

    /// The file the job was queued with, unsealed; nil when there is none or it does not open with this server's key.
    public func input() async throws -> Data? {
        guard let sealed = try await jobs.input(id: record.id) else { return nil }
        return env.evidence.key.unseal(sealed, binding: binding)
    }

    public func progress(done: Int, total: Int, message: String) async throws {
        try await jobs.progress(id: record.id, done: done, total: total, message: message, now: env.clock.now())
    }

    /// Finished with a message for the job's page.
    public func finish(message: String) async throws {
        try await jobs.finish(id: record.id, message: message, now: env.clock.now())
    }

    /// Finished with a file to download, stored sealed (exports hold a system's security details).
    public func finish(resultName: String, resultType: String, result: Data) async throws {
        guard let sealed = try env.evidence.key.seal(result, binding: binding) else { throw RunningJobError.cannotSeal }
        try await jobs.finish(id: record.id, resultName: resultName, resultType: resultType, result: sealed, now: env.clock.now())
    }
}

public enum RunningJobError: Error, CustomStringConvertible {
    case cannotSeal
    case organizationGone(String)

    public var description: String {
        switch self {
        case .cannotSeal: "The job's result could not be sealed with the server's key; the job failed and nothing was stored."
        case .organizationGone(let id): "The organization \(id) the job was queued in no longer exists; the job failed and nothing was stored."
        }
    }
}
