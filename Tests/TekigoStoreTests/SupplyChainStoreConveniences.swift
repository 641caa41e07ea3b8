import Foundation
import SQLKit
import TekigoCore
@testable import TekigoStore

// The supply-chain stores write in their caller's transaction (`on:`); in the server and the command line the use-case
// layer (TekigoUseCases, the supply-chain family) opens it, reads the clock and the organization's calendar, and
// calls them. These store tests exercise the stores' own SQL, locks and audit entries, so they open one transaction
// per write here, as the use cases do, with the system's clock and UTC days unless a test passes its own.

extension RelationshipStore {
    func invite(note: String, expiresIn: TimeInterval = RelationshipStore.invitationLifetime, by actor: Actor,
                now: Date = Date()) async throws -> (token: String, record: SupplierInvitationRecord) {
        try await db.transaction { s in try await invite(note: note, expiresIn: expiresIn, by: actor, now: now, on: s) }
    }

    func invitations() async throws -> [SupplierInvitationRecord] { try await invitations(now: Date()) }

    func revokeInvitation(tokenHash: String, by actor: Actor) async throws {
        try await db.transaction { s in try await revokeInvitation(tokenHash: tokenHash, by: actor, on: s) }
    }

    @discardableResult
    func accept(token: String, by actor: Actor, now: Date = Date()) async throws -> SupplierLinkRecord {
        try await db.transaction { s in try await accept(token: token, by: actor, now: now, today: Day(now), on: s) }
    }

    func removeSupplier(id supplierID: String, by actor: Actor) async throws {
        try await db.transaction { s in try await removeSupplier(id: supplierID, by: actor, today: Day(Date()), on: s) }
    }

    func createContract(_ contract: Contract, supplierID: String, by actor: Actor) async throws -> ContractRecord {
        try await db.transaction { s in try await createContract(contract, supplierID: supplierID, by: actor, on: s) }
    }

    func updateContract(id: String, _ contract: Contract, ifVersion: Int?, by actor: Actor) async throws -> ContractRecord {
        try await db.transaction { s in try await updateContract(id: id, contract, ifVersion: ifVersion, by: actor, on: s) }
    }

    func deleteContract(id: String, ifVersion: Int? = nil, by actor: Actor) async throws {
        try await db.transaction { s in try await deleteContract(id: id, ifVersion: ifVersion, by: actor, today: Day(Date()), on: s) }
    }

    func createRequirement(supplierID: String, contractID: String? = nil, catalog: CatalogID = .sp800171r2,
                           minimum: FlowDownRequirement.Minimum, due: Day, mustFlowDown: Bool = true,
                           by actor: Actor) async throws -> FlowDownRequirementRecord {
        try await db.transaction { s in
            try await createRequirement(supplierID: supplierID, contractID: contractID, catalog: catalog, minimum: minimum, due: due,
                                        mustFlowDown: mustFlowDown, by: actor, today: Day(Date()), on: s)
        }
    }

    func updateRequirement(id: String, contractID: String?, catalog: CatalogID, minimum: FlowDownRequirement.Minimum,
                           due: Day, mustFlowDown: Bool, ifVersion: Int?, by actor: Actor) async throws -> FlowDownRequirementRecord {
        try await db.transaction { s in
            try await updateRequirement(id: id, contractID: contractID, catalog: catalog, minimum: minimum, due: due,
                                        mustFlowDown: mustFlowDown, ifVersion: ifVersion, by: actor, today: Day(Date()), on: s)
        }
    }

    func deleteRequirement(id: String, ifVersion: Int? = nil, by actor: Actor) async throws {
        try await db.transaction { s in try await deleteRequirement(id: id, ifVersion: ifVersion, by: actor, today: Day(Date()), on: s) }
    }
}

extension ConsentStore {
    @discardableResult
    func grant(viewer: String, onward: Bool = false, by actor: Actor, at date: Day = Day(Date())) async throws -> ConsentRecord {
        try await db.transaction { s in try await grant(viewer: viewer, onward: onward, by: actor, at: date, on: s) }
    }

    func revoke(viewer: String, by actor: Actor, at date: Day = Day(Date())) async throws {
        try await db.transaction { s in try await revoke(viewer: viewer, by: actor, at: date, on: s) }
    }
}

extension OrganizationKeys {
    func activeKey(by actor: Actor) async throws -> PublishedKey {
        try await db.transaction { s in try await activeKey(by: actor, on: s) }
    }

    @discardableResult
    func rotate(by actor: Actor) async throws -> PublishedKey {
        try await db.transaction { s in try await rotate(by: actor, on: s) }
    }
}

extension AttestationStore {
    @discardableResult
    func issue(assessment: String, catalog: Catalog, detail: DetailLevel = .summary, systemScope: String? = nil,
               expiresAt: Day? = nil, by actor: Actor, at now: Date = Date()) async throws -> AttestationRecord {
        let stated = try await attestable(assessment: assessment, systemScope: systemScope)
        return try await db.transaction { s in
            try await issue(stated, assessment: assessment, catalog: catalog, detail: detail, expiresAt: expiresAt, by: actor, at: now,
                            today: Day(now), on: s)
        }
    }
}

extension RollupStore {
    @discardableResult
    func rebuild(prime: String, at date: Day) async throws -> RollupView {
        try await db.transaction { s in try await rebuild(prime: prime, at: date, on: s) }
    }

    func rebuild(primesOf organization: String, at date: Day) async throws {
        try await db.transaction { s in try await rebuild(primesOf: organization, at: date, on: s) }
    }
}
