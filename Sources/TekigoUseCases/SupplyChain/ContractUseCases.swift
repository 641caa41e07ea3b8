import Foundation
import TekigoCore
import TekigoStore

/// A contract's terms as a client sends them (text), checked by `validated()`.
public struct ContractTerms: Sendable, Hashable {
    public let number: String
    /// A `ProtectedInformationDesignation` raw value.
    public let designation: String
    /// `ContractClause` raw values.
    public let clauses: [String]
    public let cmmcLevel: Int?

    public init(number: String, designation: String, clauses: [String], cmmcLevel: Int?) {
        self.number = number
        self.designation = designation
        self.clauses = clauses
        self.cmmcLevel = cmmcLevel
    }

    /// The contract, or the first problem: the designation, then each clause in order, then `Contract`'s own checks
    /// (`SupplyChainError`: number, clauses against the designation, CMMC level).
    public func validated() throws -> Contract {
        guard let d = ProtectedInformationDesignation(rawValue: designation) else {
            throw SupplyChainRuleError.unknownDesignation(designation)
        }
        var set = Set<ContractClause>()
        for (i, c) in clauses.enumerated() {
            guard let clause = ContractClause(rawValue: c) else { throw SupplyChainRuleError.unknownClause(index: i, clause: c) }
            set.insert(clause)
        }
        return try Contract(number: number, designation: d, clauses: set, cmmcLevel: cmmcLevel)
    }
}

/// Contracts a customer records on its links to suppliers. Numbers are unique per link; a contract's deletion takes
/// the requirements tied to it. Each change in one transaction with its audit entry; an update or deletion with a
/// version only while the stored version matches (`VersionConflict`).
public struct ContractUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: RelationshipStore { RelationshipStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    /// The contracts with one of the organization's suppliers; `supplierNotFound` when it is not one.
    public func contracts(supplierID: String) async throws -> [ContractRecord] {
        let store = store
        guard try await store.suppliers().contains(where: { $0.id == supplierID }) else {
            throw SupplyChainRuleError.supplierNotFound(supplierID)
        }
        return try await store.contracts(supplierID: supplierID)
    }

    public func create(_ terms: ContractTerms, supplierID: String) async throws -> ContractRecord {
        let contract = try terms.validated()
        let store = store, actor = scope.actor
        return try await env.db.transaction { s in try await store.createContract(contract, supplierID: supplierID, by: actor, on: s) }
    }

    /// Replaces a contract's terms. The terms are checked before `ifVersion` is read (an adapter parsing it, e.g.
    /// from `If-Match`, reports its own problem only for valid terms).
    public func update(id: String, _ terms: ContractTerms, ifVersion: @autoclosure () throws -> Int?) async throws -> ContractRecord {
        let contract = try terms.validated()
        let version = try ifVersion()
        let store = store, actor = scope.actor
        return try await env.db.transaction { s in
            try await store.updateContract(id: id, contract, ifVersion: version, by: actor, on: s)
        }
    }

    /// Deletes a contract and the requirements tied to it (the roll-ups above are refreshed at the organization's today).
    public func delete(id: String, ifVersion: Int?) async throws {
        let store = store, actor = scope.actor, today = today
        try await env.db.transaction { s in try await store.deleteContract(id: id, ifVersion: ifVersion, by: actor, today: today, on: s) }
    }
}
