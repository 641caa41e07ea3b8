import Foundation
import TekigoCore
import TekigoStore

/// Why an organization setting was refused.
public enum OrganizationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownTimeZone(String)
    case notAllowed
    case organizationGone

    public var description: String {
        switch self {
        case .unknownTimeZone(let raw):
            return "'\(raw)' is not a time zone: give an IANA name such as Asia/Tokyo, UTC or America/New_York."
        case .notAllowed: return "Only an owner or an administrator can change the organization's settings."
        case .organizationGone: return "The organization no longer exists."
        }
    }

    public var field: String? {
        switch self {
        case .unknownTimeZone: return "timeZone"
        case .notAllowed, .organizationGone: return nil
        }
    }
}

/// The organization's own settings. Its time zone is the one rule for its "today" (`OrganizationCalendar`); a
/// user's own zone only formats times for display.
public struct OrganizationUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// Sets the time zone of the organization's calendar (owners and administrators), audited in the same
    /// transaction. Setting the zone it has already changes nothing and writes no entry.
    public func setTimeZone(_ raw: String) async throws -> OrganizationRecord {
        guard scope.role.allows(.manageOrganization) else { throw OrganizationError.notAllowed }
        let zone = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Stored as given (Foundation would canonicalize UTC to GMT): what the owner chose is what they see.
        guard OrganizationCalendar.isKnown(zone) else { throw OrganizationError.unknownTimeZone(raw) }
        let canonical = zone
        if canonical == scope.organization.timeZone { return scope.organization }
        let accounts = AccountStore(env.db), audit = env.audit, scope = scope
        return try await env.db.transaction { s in
            guard let (before, after) = try await accounts.setOrganizationTimeZone(id: scope.organizationID, to: canonical, on: s) else {
                throw OrganizationError.organizationGone
            }
            _ = try await audit.append(AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID, sourceIP: scope.actor.sourceIP,
                                                  action: .organizationTimeZoneChanged, object: "organization/\(scope.organizationID)",
                                                  beforeDigest: AuditLog.digest(Data(before.timeZone.utf8)),
                                                  afterDigest: AuditLog.digest(Data(after.timeZone.utf8))), on: s)
            return after
        }
    }
}
