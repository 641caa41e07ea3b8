import Foundation
import TekigoCore
import TekigoStore

/// Supplier invitations and links (DFARS 252.204-7012(m): the clause flows down to the suppliers a customer links):
/// the customer invites (the token is shown once) and may revoke an open invitation or remove a supplier; the
/// supplier accepts while acting in its own organization. Each change runs in one transaction with its audit entries
/// (the store writes them beside the rows); "now" is the environment's clock and "today" the organization's calendar.
public struct SupplierLinkUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// Days an invitation is valid unless the customer says otherwise, and the days it may be given.
    public static let defaultInvitationDays = 7
    public static let invitationDays: ClosedRange<Int> = 1...30

    var store: RelationshipStore { RelationshipStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    // MARK: invitations (the customer's side)

    /// Open invitations (neither accepted nor expired at the clock's now), newest first.
    public func invitations() async throws -> [SupplierInvitationRecord] {
        try await store.invitations(now: env.clock.now())
    }

    /// Invites a supplier not yet named: valid `expiresInDays` days (7 unless given; 1–30) and for one acceptance.
    /// Returns the token (shown once: only its SHA-256 is stored) and the invitation.
    /// With `contactEmail`, the invitation records whom at the supplier it is for (checked as an account's address is:
    /// `AccountError.invalidEmail`), shown with the open invitations.
    public func invite(note: String?, expiresInDays: Int?, contactEmail: String? = nil) async throws
        -> (token: String, record: SupplierInvitationRecord) {
        let contact = try contactEmail.map { try AccountUseCases.normalizedEmail($0) }
        let days = expiresInDays ?? Self.defaultInvitationDays
        guard Self.invitationDays.contains(days) else { throw SupplyChainRuleError.invitationLifetime(days: days) }
        let store = store, actor = scope.actor, now = env.clock.now()
        return try await env.db.transaction { s in
            try await store.invite(note: note ?? "", contactEmail: contact, expiresIn: TimeInterval(days) * 86_400, by: actor,
                                   now: now, on: s)
        }
    }

    /// Withdraws an open invitation, named by its token's SHA-256; its token stops working at once.
    public func revokeInvitation(id tokenHash: String) async throws {
        let store = store, actor = scope.actor
        try await env.db.transaction { s in try await store.revokeInvitation(tokenHash: tokenHash, by: actor, on: s) }
    }

    // MARK: accepting (the supplier's side)

    /// The organization accepts a customer's invitation and becomes its supplier (the store refuses unknown, used,
    /// expired and own invitations, existing links and cycles). Returns the new customer as the supplier sees it.
    public func accept(token: String) async throws -> LinkedOrganization {
        let store = store, actor = scope.actor, now = env.clock.now(), today = today
        let link = try await env.db.transaction { s in
            try await store.accept(token: token, by: actor, now: now, today: today, on: s)
        }
        guard let customer = try await store.customers().first(where: { $0.id == link.customerId }) else {
            throw SupplyChainRuleError.customerNotFound(link.customerId)
        }
        return customer
    }

    // MARK: links

    /// The organization's direct suppliers, by name.
    public func suppliers() async throws -> [LinkedOrganization] { try await store.suppliers() }

    /// The organization's direct customers, by name.
    public func customers() async throws -> [LinkedOrganization] { try await store.customers() }

    /// Ends the link to one of the organization's suppliers with every contract and requirement on it; the roll-ups
    /// above are rebuilt at the organization's today.
    public func removeSupplier(id supplierID: String) async throws {
        let store = store, actor = scope.actor, today = today
        try await env.db.transaction { s in try await store.removeSupplier(id: supplierID, by: actor, today: today, on: s) }
    }
}
