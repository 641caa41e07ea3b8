import Foundation
import TekigoCore
import TekigoStore

/// A flow-down requirement's terms as a client sends them (text), checked by `FlowDownUseCases`.
public struct RequirementTerms: Sendable, Hashable {
    /// The supplier it applies to: required to create one; on an update, only the requirement's own supplier.
    public let supplierID: String?
    public let contractID: String?
    /// A catalog id; SP 800-171 rev2 when nil.
    public let catalog: String?
    /// `sprs>=N`, `all-met` or `cmmc-l2` (`FlowDownRequirement.Minimum.storedText`).
    public let minimum: String
    /// `YYYY-MM-DD`.
    public let dueOn: String
    /// Whether the supplier must pass it on; true when nil (DFARS 252.204-7012(m)(1)).
    public let mustFlowDown: Bool?

    public init(supplierID: String?, contractID: String?, catalog: String?, minimum: String, dueOn: String, mustFlowDown: Bool?) {
        self.supplierID = supplierID
        self.contractID = contractID
        self.catalog = catalog
        self.minimum = minimum
        self.dueOn = dueOn
        self.mustFlowDown = mustFlowDown
    }
}

/// A requirement with the supplier's standing against it today, judged on the attestation the acting organization
/// may see.
public struct RequirementStanding: Sendable, Hashable {
    public let listing: RequirementListing
    public let standing: SupplierStatus
}

/// Flow-down requirements (DFARS 252.204-7012(m)): what a customer requires of its suppliers (SPRS ≥ N, all met,
/// CMMC Level 2 by a date), and what is required of the organization by its customers. Each change in one
/// transaction with its audit entry and the roll-ups above refreshed at the organization's today; updates and
/// deletions with a version only while it matches (`VersionConflict`).
public struct FlowDownUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: RelationshipStore { RelationshipStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    struct Checked {
        let catalog: CatalogID
        let minimum: FlowDownRequirement.Minimum
        let due: Day
        let mustFlowDown: Bool
    }

    /// The terms' catalog, minimum and due date, checked in that order.
    func checked(_ t: RequirementTerms) throws -> Checked {
        let catalog = CatalogID(t.catalog ?? CatalogID.sp800171r2.rawValue)
        guard (try? env.library.catalog(catalog)) != nil else { throw SupplyChainRuleError.unknownCatalog(catalog.rawValue) }
        guard let minimum = FlowDownRequirement.Minimum(storedText: t.minimum) else { throw SupplyChainRuleError.badMinimum(t.minimum) }
        guard let due = Day(t.dueOn) else { throw SupplyChainRuleError.badDueDate(t.dueOn) }
        return Checked(catalog: catalog, minimum: minimum, due: due, mustFlowDown: t.mustFlowDown ?? true)
    }

    // MARK: reading

    /// What the organization requires of its suppliers (of one when given), with each supplier's standing today.
    public func requirements(supplierID: String?) async throws -> [RequirementStanding] {
        try await standings(try await store.requirements(supplierID: supplierID))
    }

    /// What the organization's customers require of it, with its own standing today.
    public func requirementsOnMe() async throws -> [RequirementStanding] {
        try await standings(try await store.requirementsOnMe())
    }

    /// One requirement the organization set, with its standing; `requirementNotFound` when there is none.
    public func requirement(id: String) async throws -> RequirementStanding {
        guard let l = try await store.requirement(id: id) else { throw SupplyChainRuleError.requirementNotFound(id) }
        return try await standings([l])[0]
    }

    /// Standing today (the organization's calendar), judged on the attestation the acting organization may see: its
    /// own when it is the supplier, else the supplier's as far as consent allows (none: `missing`). Flags unmet and
    /// overdue requirements on both sides of the link.
    func standings(_ listings: [RequirementListing]) async throws -> [RequirementStanding] {
        let me = scope.organizationID
        let attestations = AttestationStore(env.db, organizationID: me, evidenceKey: env.evidence.key)
        var seen: [String: AttestationPayload?] = [:]
        let today = today
        var out: [RequirementStanding] = []
        for l in listings {
            let supplier = l.record.supplierId
            if seen[supplier] == nil {
                let record = supplier == me ? try await attestations.current() : try await attestations.attestation(of: supplier, viewer: me)
                seen[supplier] = .some(try record?.attestationPayload())
            }
            let standing = SupplierStatus.evaluate(requirement: try l.requirement(), attestation: seen[supplier] ?? nil, at: today)
            out.append(RequirementStanding(listing: l, standing: standing))
        }
        return out
    }

    // MARK: changing

    /// Sets a requirement on one of the organization's suppliers (the supplier first, then catalog, minimum, due date).
    public func create(_ terms: RequirementTerms) async throws -> RequirementStanding {
        guard let supplier = terms.supplierID else { throw SupplyChainRuleError.supplierRequired }
        let c = try checked(terms)
        let store = store, actor = scope.actor, today = today
        let r = try await env.db.transaction { s in
            try await store.createRequirement(supplierID: supplier, contractID: terms.contractID, catalog: c.catalog, minimum: c.minimum,
                                              due: c.due, mustFlowDown: c.mustFlowDown, by: actor, today: today, on: s)
        }
        return try await requirement(id: r.id)
    }

    /// Replaces a requirement's terms; its supplier never changes. The terms are checked before `ifVersion` is read.
    public func update(id: String, _ terms: RequirementTerms, ifVersion: @autoclosure () throws -> Int?) async throws -> RequirementStanding {
        let store = store
        if let s = terms.supplierID, let current = try await store.requirement(id: id), current.record.supplierId != s {
            throw SupplyChainRuleError.supplierFixed
        }
        let c = try checked(terms)
        let version = try ifVersion()
        let actor = scope.actor, today = today
        let r = try await env.db.transaction { s in
            try await store.updateRequirement(id: id, contractID: terms.contractID, catalog: c.catalog, minimum: c.minimum, due: c.due,
                                              mustFlowDown: c.mustFlowDown, ifVersion: version, by: actor, today: today, on: s)
        }
        return try await requirement(id: r.id)
    }

    public func delete(id: String, ifVersion: Int?) async throws {
        let store = store, actor = scope.actor, today = today
        try await env.db.transaction { s in try await store.deleteRequirement(id: id, ifVersion: ifVersion, by: actor, today: today, on: s) }
    }
}
