import Foundation
import TekigoCore
import TekigoStore

/// A regime that is not one of `ComplianceRegime`'s.
public struct UnknownRegime: Error, Equatable, Sendable, CustomStringConvertible {
    public let raw: String
    public init(raw: String) { self.raw = raw }
    public var message: LocalizedText { ComplianceRegime.problem(with: raw) }
    public var description: String { message.en }
    public var field: String { "regime" }
}

/// The regime the organization works under (issue #17 item 3): owners and administrators set it, once per change
/// with its typed audit entry (`organization.regime-changed`) in the same transaction; and the regime in effect, which
/// the contracts the organization holds as a supplier widen.
extension OrganizationUseCases {
    /// Sets the regime (`japanese`, `us`, `both`). Setting the one it has changes nothing and writes no entry.
    public func setRegime(_ raw: String) async throws -> OrganizationRecord {
        guard scope.role.allows(.manageOrganization) else { throw OrganizationError.notAllowed }
        guard let regime = ComplianceRegime(rawValue: raw.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw UnknownRegime(raw: raw)
        }
        if regime == scope.organization.regime { return scope.organization }
        let accounts = AccountStore(env.db), audit = env.audit, scope = scope
        return try await env.db.transaction { s in
            guard let (before, after) = try await accounts.setOrganizationRegime(id: scope.organizationID, to: regime, on: s) else {
                throw OrganizationError.organizationGone
            }
            _ = try await audit.append(AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID, sourceIP: scope.actor.sourceIP,
                                                  action: .organizationRegimeChanged, object: "organization/\(scope.organizationID)/regime",
                                                  beforeDigest: AuditLog.digest(Data(before.regime.rawValue.utf8)),
                                                  afterDigest: AuditLog.digest(Data(after.regime.rawValue.utf8))), on: s)
            return after
        }
    }

    /// The regime the pages and reports speak: the organization's own, widened by each contract it holds as a
    /// supplier (a DFARS or CMMC clause brings SPRS and CMMC back into view even for a `japanese` organization).
    public func regimeInEffect() async throws -> ComplianceRegime {
        let own = scope.organization.regime
        if own == .both { return .both }
        let contracts = try await RelationshipStore(env.db, organizationID: scope.organizationID).contractsOnMe()
        return own.effective(contracts: try contracts.map { try $0.contract() })
    }

    /// The words for the regime in effect, in `language`.
    public func terms(_ language: Language) async throws -> RegimeTerms {
        RegimeTerms(try await regimeInEffect(), language)
    }
}
