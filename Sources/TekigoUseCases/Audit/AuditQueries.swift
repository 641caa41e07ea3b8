import Foundation
import TekigoCore
import TekigoStore

/// Reading the audit log (SP 800-171 3.3.1, 3.3.8: the log is read by those allowed to, and checked for tampering).
/// Nothing here writes: entries are written by the operations themselves, in their transactions.
public struct AuditQueries: Sendable {
    public let db: TekigoDatabase

    public init(db: TekigoDatabase) { self.db = db }

    /// One organization's entries, newest first, older than `before` when given; `actionPrefix` and `actor` filter.
    /// The caller's permission to read the log (`TenantAction.readAudit`) is checked by the membership check.
    public func entries(of scope: TenantScope, limit: Int, before: Int64?, actionPrefix: String, actor: String) async throws -> [AuditEntry] {
        try await AuditLog(db).entries(organizationID: scope.organizationID, limit: limit, before: before, actionPrefix: actionPrefix,
                                       actor: actor)
    }

    /// Every entry after `seq`, oldest first, one JSON line at a time (`tekigo audit export`, for a SIEM).
    public func export(after seq: Int64, to handle: (String) throws -> Void) async throws {
        try await AuditLog(db).export(after: seq, to: handle)
    }

    /// Walks the whole hash chain (`tekigo audit verify`, the backup's check).
    public func verify() async throws -> AuditVerification { try await AuditLog(db).verify() }
}
