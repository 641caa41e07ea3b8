import Foundation
import TekigoCore
import TekigoStore

/// One organization as the caller may act in it: produced by the adapters' one membership lookup per request (the
/// server's `TenantMiddleware` for the API, `orgPage` for the pages), after the role was checked for the operation.
/// Every tenant use case works through it.
public struct TenantScope: Sendable {
    public let organization: OrganizationRecord
    public let role: Role
    public let actor: Actor
    public let store: TenantStore

    public init(organization: OrganizationRecord, role: Role, actor: Actor, store: TenantStore) {
        self.organization = organization
        self.role = role
        self.actor = actor
        self.store = store
    }

    public var organizationID: String { organization.id }

    /// The organization's calendar: the one rule for its "today".
    public var calendar: OrganizationCalendar { OrganizationCalendar(identifier: organization.timeZone) }
}

/// What the tenant use cases work with besides the tenant: the database (for transactions and the audit log), the
/// evidence vault, the catalogs and one clock.
public struct TenantEnvironment: Sendable {
    public let db: TekigoDatabase
    public let evidence: EvidenceVault
    public let library: Library
    public let clock: any WallClock

    public init(db: TekigoDatabase, evidence: EvidenceVault, library: Library, clock: any WallClock = SystemClock()) {
        self.db = db
        self.evidence = evidence
        self.library = library
        self.clock = clock
    }

    /// The same with the vault built over `db` (the command line's way in).
    public init(db: TekigoDatabase, evidenceKey: EvidenceKey, library: Library, clock: any WallClock = SystemClock()) {
        self.init(db: db, evidence: EvidenceVault(db: db, key: evidenceKey), library: library, clock: clock)
    }

    var audit: AuditLog { AuditLog(db) }
}

extension TenantScope {
    /// The operator at this machine acting for an organization from the command line: someone with the database in
    /// hand is an operator already (as for `tekigo admin grant`), so the scope has the owner's role; audit entries
    /// name the actor `cli`.
    public static func commandLine(_ organization: OrganizationRecord, db: TekigoDatabase) -> TenantScope {
        TenantScope(organization: organization, role: .owner, actor: Actor(id: "cli", sourceIP: "local"),
                    store: TenantStore(db, organizationID: organization.id))
    }
}
