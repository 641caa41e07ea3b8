import Foundation
import TekigoCore
import TekigoStore

/// Evidence files (SP 800-171 3.8.x, 3.13.16): stored encrypted by the vault; each upload and deletion in one
/// transaction with its audit entry; a file that a finding cites is never deleted.
public struct EvidenceUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    public func upload(_ data: Data, filename: String, contentType: String) async throws -> EvidenceRecord {
        guard !data.isEmpty else { throw AssessmentError.emptyUpload }
        let vault = env.evidence, audit = env.audit, scope = scope
        return try await env.db.transaction { s in
            let r = try await vault.put(organizationID: scope.organizationID, data: data, filename: filename, contentType: contentType,
                                        uploadedBy: scope.actor.id, on: s)
            _ = try await audit.append(Self.uploaded(r, scope), on: s)
            return r
        }
    }

    public func delete(sha256: String) async throws {
        let vault = env.evidence, audit = env.audit, scope = scope
        do {
            try await env.db.transaction { s in
                try await vault.delete(organizationID: scope.organizationID, sha256: sha256, on: s)
                _ = try await audit.append(AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID,
                                                      sourceIP: scope.actor.sourceIP, action: .evidenceDeleted,
                                                      object: "evidence/\(sha256)", beforeDigest: sha256), on: s)
            }
        } catch EvidenceError.notFound {
            throw AssessmentError.evidenceNotFound(sha256)
        } catch EvidenceError.referencedBy(let objectives) {
            throw AssessmentError.evidenceInUse(objectives)
        } catch EvidenceError.citedByIncidents(let ids) {
            throw AssessmentError.evidenceInIncident(ids)
        }
    }

    /// Evidence pinned by digest must be a file uploaded to this organization (upload first, then cite); references
    /// without a digest (a URL) are taken as they are. `field` names the reference for the error.
    public func checkPinned(_ refs: [EvidenceRef], field: (Int) -> String) async throws {
        for (i, ref) in refs.enumerated() {
            guard let sha = ref.sha256 else { continue }
            guard try await env.evidence.record(organizationID: scope.organizationID, sha256: sha) != nil else {
                throw AssessmentError.unknownEvidence(field: field(i), sha256: sha)
            }
        }
    }

    static func uploaded(_ r: EvidenceRecord, _ scope: TenantScope) -> AuditEvent {
        AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID, sourceIP: scope.actor.sourceIP, action: .evidenceUploaded,
                   object: "evidence/\(r.sha256)", afterDigest: r.sha256)
    }
}
