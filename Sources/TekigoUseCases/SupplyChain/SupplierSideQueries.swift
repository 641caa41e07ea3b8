import Foundation
import TekigoCore
import TekigoStore

/// One direct customer as its supplier (the acting organization) sees the relationship: what the customer requires,
/// the supplier's standing on each requirement today, and the consent the supplier gave it.
public struct CustomerStanding: Sendable {
    public let customer: LinkedOrganization
    /// The supplier's grant to this customer, if any (`onward`: it may pass the detail on).
    public let consent: ConsentRecord?
    /// Whether the customer sees the supplier's identity and attestation now: by the grant above, or through another
    /// organization's onward grant (`DetailVisibility`, as `AttestationStore` applies it).
    public let seesDetail: Bool
    /// What the customer requires of the supplier, with the supplier's standing today (on its own attestation).
    public let requirements: [RequirementStanding]

    /// Requirements whose minimum the supplier does not meet today (`SupplierStatusKind.failsMinimum`).
    public var unmet: Int { requirements.filter { $0.standing.kind.failsMinimum }.count }
    /// Requirements past their due date and not met.
    public var overdue: Int { requirements.filter(\.standing.overdue).count }
}

/// The supplier's side of the supply chain in one read: its customers with their requirements and consent, and
/// grants to organizations further up that are not direct customers.
public struct SupplierSide: Sendable {
    public let customers: [CustomerStanding]
    /// Grants to organizations above the direct customers (made through the API), by viewer id.
    public let otherGrants: [ConsentRecord]
}

/// What issuing would sign, and what each direct customer would see of it — before anything is signed.
public struct AttestationPreview: Sendable {
    /// The payload exactly as `issue` would build and sign it now; only its `id` and `issuedAt` are set at signing.
    public let payload: AttestationPayload
    public let customers: [CustomerPreview]
}

/// One direct customer's view of the attestation being previewed.
public struct CustomerPreview: Sendable {
    public let customer: LinkedOrganization
    public let consent: ConsentRecord?
    /// Whether the customer will see the signed document (identity, scores, families when included).
    public let seesDetail: Bool
    /// The customer's requirements with the standing the customer will see once it is signed: judged on this
    /// attestation when it may see it, as `missing` when it may not.
    public let requirements: [(listing: RequirementListing, standing: SupplierStatus)]
}

/// Reads for the supplier's pages, each composed from the supply-chain use cases' own reads and rules
/// (`SupplierLinkUseCases.customers`, `FlowDownUseCases.requirementsOnMe`, `ConsentUseCases.grants`,
/// `AttestationUseCases`' payload, `SupplierStatus.evaluate`): no rule of its own.
public struct SupplierSideQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var consentStore: ConsentStore { ConsentStore(env.db, organizationID: scope.organizationID) }

    /// Every direct customer by name with its requirements (due date first) and the consent state.
    public func supplierSide() async throws -> SupplierSide {
        let customers = try await SupplierLinkUseCases(env, scope).customers()
        let grants = try await ConsentUseCases(env, scope).grants()
        let requirements = try await FlowDownUseCases(env, scope).requirementsOnMe()
        let store = consentStore
        var out: [CustomerStanding] = []
        for c in customers {
            let mine = requirements.filter { $0.listing.record.customerId == c.id }
                .sorted { ($0.listing.record.dueOn, $0.listing.record.id) < ($1.listing.record.dueOn, $1.listing.record.id) }
            out.append(CustomerStanding(customer: c, consent: grants.first { $0.viewerId == c.id },
                                        seesDetail: try await store.isVisible(to: c.id), requirements: mine))
        }
        let direct = Set(customers.map(\.id))
        return SupplierSide(customers: out, otherGrants: grants.filter { !direct.contains($0.viewerId) })
    }

    /// The attestation `issue(assessmentID:detail:systemScope:)` would sign now, with each direct customer's view.
    /// Refused exactly as `issue` refuses (unknown assessment, detail, blank scope, an assessment that cannot be attested).
    public func preview(assessmentID: String, detail: String?, systemScope: String?) async throws -> AttestationPreview {
        let attestations = AttestationUseCases(env, scope)
        let prepared = try await attestations.prepare(assessmentID: assessmentID, detail: detail, systemScope: systemScope)
        let previous = try await AttestationStore(env.db, organizationID: scope.organizationID, evidenceKey: env.evidence.key).current()
        let payload = try AttestationBuilder.payload(
            id: "preview", issuedAt: env.clock.now(), organizationID: scope.organizationID, assessment: prepared.stated,
            catalog: prepared.catalog, detail: prepared.detail, supersedes: previous?.id,
            cloudServices: try await CloudChainStore(env.db).attestedServices(of: scope.organizationID))
        let side = try await supplierSide()
        let today = scope.calendar.today(env.clock)
        let customers = try side.customers.map { c in
            CustomerPreview(customer: c.customer, consent: c.consent, seesDetail: c.seesDetail, requirements: try c.requirements.map {
                ($0.listing, SupplierStatus.evaluate(requirement: try $0.listing.requirement(), attestation: c.seesDetail ? payload : nil,
                                                     at: today))
            })
        }
        return AttestationPreview(payload: payload, customers: customers)
    }
}
