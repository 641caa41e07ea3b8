import Foundation
import TekigoCore
import TekigoStore

/// What a save of an ISMAP record expects to find: adding (`new`: the number must not be entered yet), editing
/// (`existing`: it must be), or either (the command line's `ismap add`, which replaces).
public enum ISMAPWrite: Sendable, Equatable {
    case new, existing, either
}

/// An ISMAP record as a person or a client typed it: every item text, the dates as `YYYY-MM-DD`. The page, the API and
/// the command line read it the same way (`record()`), so a bad date or kind is named by the same field everywhere.
public struct ISMAPDraft: Sendable, Hashable, Codable {
    public var registrationNumber: String
    public var kind: String
    public var serviceName: String
    public var provider: String
    public var scope: String
    public var controlObjectives: String
    public var auditPeriodStart: String
    public var auditPeriodEnd: String
    public var subsequentEvents: String

    public init(registrationNumber: String, kind: String = ISMAPKind.ismap.rawValue, serviceName: String, provider: String, scope: String,
                controlObjectives: String, auditPeriodStart: String, auditPeriodEnd: String, subsequentEvents: String = "") {
        self.registrationNumber = registrationNumber
        self.kind = kind
        self.serviceName = serviceName
        self.provider = provider
        self.scope = scope
        self.controlObjectives = controlObjectives
        self.auditPeriodStart = auditPeriodStart
        self.auditPeriodEnd = auditPeriodEnd
        self.subsequentEvents = subsequentEvents
    }

    /// The draft of a record entered already (an edit form's first values).
    public init(_ r: ISMAPRecord) {
        self.init(registrationNumber: r.registrationNumber, kind: r.kind.rawValue, serviceName: r.serviceName, provider: r.provider,
                  scope: r.scope, controlObjectives: r.controlObjectives, auditPeriodStart: r.auditPeriodStart.description,
                  auditPeriodEnd: r.auditPeriodEnd.description, subsequentEvents: r.subsequentEvents)
    }

    /// The record, validated (`ISMAPRecord.validated`); a kind or date that does not read is refused naming its field.
    public func record() throws(CloudRegistryError) -> ISMAPRecord {
        let k = kind.trimmingCharacters(in: .whitespaces)
        guard let kind = ISMAPKind(rawValue: k.uppercased()) else { throw .invalidISMAP(.unknownKind(k)) }
        func day(_ text: String, _ field: String) throws(CloudRegistryError) -> Day {
            let t = text.trimmingCharacters(in: .whitespaces)
            guard let d = Day(t) else { throw .invalidISMAP(.invalidDate(field: field, text: t)) }
            return d
        }
        let r = ISMAPRecord(registrationNumber: registrationNumber, kind: kind, serviceName: serviceName, provider: provider, scope: scope,
                            controlObjectives: controlObjectives, auditPeriodStart: try day(auditPeriodStart, "auditPeriodStart"),
                            auditPeriodEnd: try day(auditPeriodEnd, "auditPeriodEnd"), subsequentEvents: subsequentEvents)
        do { return try r.validated() } catch { throw .invalidISMAP(error) }
    }
}

extension CloudRegistryUseCases {
    /// Saves a typed draft (`ISMAPDraft.record`, then `saveISMAP`).
    public func saveISMAP(_ draft: ISMAPDraft, by caller: CloudRegistryCaller, expecting: ISMAPWrite) async throws -> ISMAPEntry {
        try Self.checkMayChange(caller)
        return try await saveISMAP(try draft.record(), by: caller, expecting: expecting)
    }
}

// MARK: - the Marketplace import as a background job (the browser's upload)

extension JobUseCases {
    public static let cloudRegistryImportKind = "cloud-registry-import"

    /// What a registry import job is asked: the uploaded file's name (made safe to show) and the uploader's address
    /// for the audit entry.
    public struct CloudRegistryImportParameters: Codable, Sendable {
        public let filename: String
        public let sourceIP: String
    }

    /// Queues the import of the FedRAMP Marketplace file a platform administrator uploaded (refused for anyone else):
    /// the file is sealed with the server's key, bound to the job, in the caller's organization (where its page is).
    public func queueCloudRegistryImport(by caller: CloudRegistryCaller, file: Data, filename: String) async throws -> JobRecord {
        try CloudRegistryUseCases.checkMayChange(caller)
        let parameters = String(decoding: try JSONEncoder().encode(CloudRegistryImportParameters(
            filename: EvidenceVault.sanitizedFilename(filename), sourceIP: caller.actor.sourceIP)), as: UTF8.self)
        let id = UUID().uuidString.lowercased()
        guard let sealed = try env.evidence.key.seal(file, binding: Self.binding(organizationID: scope.organizationID, jobID: id)) else {
            throw JobError.unsealable
        }
        return try await jobs.create(id: id, kind: Self.cloudRegistryImportKind, parameters: parameters, total: 3, createdBy: scope.actor.id,
                                     input: sealed, now: env.clock.now())
    }
}

/// Runs a queued Marketplace import (`JobRunner`'s handler calls it): the person who queued it must still be a
/// platform administrator when it runs; the import itself is `importMarketplace` (one transaction: a refused or failed
/// file leaves the previous registry). The result (record, warnings, changes) is the job's sealed JSON result.
public enum CloudRegistryImportJob {
    public static let resultName = "cloud-registry-import.json"

    public static func run(_ job: RunningJob) async throws {
        guard let p = try? JSONDecoder().decode(JobUseCases.CloudRegistryImportParameters.self, from: Data(job.record.parameters.utf8)),
              let data = try await job.input() else {
            throw CloudRegistryImportJobError.inputMissing(job.id)
        }
        guard let user = try await AccountStore(job.env.db).user(id: job.record.createdBy) else { throw CloudRegistryError.notPlatformAdmin }
        let caller = CloudRegistryCaller.person(user, sourceIP: p.sourceIP)
        let cases = CloudRegistryUseCases(db: job.env.db, clock: job.env.clock)
        let result = try await cases.importMarketplace(data, fileName: p.filename, by: caller) { done, total in
            try? await job.progress(done: done, total: total, message: p.filename)
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        try await job.finish(resultName: resultName, resultType: "application/json", result: try e.encode(result))
    }

    /// What the job's page shows of a finished import (nil when the result does not read).
    public static func result(_ data: Data) -> CloudRegistryImportResult? { try? JSONDecoder().decode(CloudRegistryImportResult.self, from: data) }
}

public enum CloudRegistryImportJobError: Error, CustomStringConvertible {
    case inputMissing(String)

    public var description: String {
        switch self {
        case .inputMissing(let id): "The import job \(id) has no readable file (it does not open with this server's key); upload it again."
        }
    }
}
