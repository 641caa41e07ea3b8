import Foundation
import TekigoCore
import TekigoStore

/// "Answer once, share with many": the organization's signed attestations (DFARS 252.204-7019: valid 3 years) and
/// its signing keys, and a supplier's attestation as far as consent allows (`DetailVisibility`). Issuing and key
/// rotation each run in one transaction with their audit entries; the moment of issue is the environment's clock and
/// the roll-ups above are refreshed at the organization's today.
public struct AttestationUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: AttestationStore { AttestationStore(env.db, organizationID: scope.organizationID, evidenceKey: env.evidence.key) }
    var keys: OrganizationKeys { OrganizationKeys(env.db, organizationID: scope.organizationID, evidenceKey: env.evidence.key) }
    var today: Day { scope.calendar.today(env.clock) }

    // MARK: the organization's own

    /// Every attestation of the organization, newest first.
    public func history() async throws -> [AttestationRecord] { try await store.history() }

    /// The current attestation; `noCurrentAttestation` when none was issued.
    public func current() async throws -> AttestationRecord {
        guard let r = try await store.current() else { throw SupplyChainRuleError.noCurrentAttestation }
        return r
    }

    /// Issues a signed attestation of one of the organization's assessments: `detail` (`summary` unless given, or
    /// `families`), `systemScope` (the system's name unless given; never blank). Signed with the active key (made on
    /// first use), it supersedes the current one.
    public func issue(assessmentID: String, detail: String?, systemScope: String?) async throws -> AttestationRecord {
        let p = try await prepare(assessmentID: assessmentID, detail: detail, systemScope: systemScope)
        let store = store
        let actor = scope.actor, now = env.clock.now(), today = today
        return try await env.db.transaction { s in
            try await store.issue(p.stated, assessment: p.assessmentID, catalog: p.catalog, detail: p.detail, by: actor, at: now,
                                  today: today, on: s)
        }
    }

    /// What `issue` signs, checked: the detail level (`summary` unless given), the system scope (never blank), the
    /// organization's own assessment as the attestation states it, and its catalog. Also the preview's input
    /// (`SupplierSideQueries.preview`), so both refuse alike.
    struct Prepared: Sendable {
        let stated: Assessment
        let assessmentID: String
        let catalog: Catalog
        let detail: DetailLevel
    }

    func prepare(assessmentID: String, detail: String?, systemScope: String?) async throws -> Prepared {
        var level = DetailLevel.summary
        if let raw = detail {
            guard let d = DetailLevel(rawValue: raw) else { throw SupplyChainRuleError.badDetail(raw) }
            level = d
        }
        if let systemScope, systemScope.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw SupplyChainRuleError.emptySystemScope
        }
        guard let assessment = try await scope.store.assessment(id: assessmentID) else {
            throw SupplyChainRuleError.unknownAssessment(assessmentID)
        }
        let catalog = try env.library.catalog(CatalogID(assessment.catalog))
        let stated = try await store.attestable(assessment: assessment.id, systemScope: systemScope)
        return Prepared(stated: stated, assessmentID: assessment.id, catalog: catalog, detail: level)
    }

    /// The signed file (`tekigo-attestation/1`) of one of the organization's attestations, current or not.
    public func export(id: String) async throws -> Data {
        let store = store
        guard try await store.attestation(id: id) != nil else { throw SupplyChainRuleError.attestationNotFound(id) }
        return try await store.export(id: id)
    }

    // MARK: keys

    /// The organization's signing keys, active and retired, oldest first (what verifiers trust).
    public func publicKeys() async throws -> [PublishedKey] { try await keys.publicKeys(of: scope.organizationID) }

    /// Retires the active key (it stays published, so what it signed still verifies) and makes a new one.
    public func rotateKey() async throws -> PublishedKey {
        let keys = keys, actor = scope.actor
        return try await env.db.transaction { s in try await keys.rotate(by: actor, on: s) }
    }

    // MARK: a supplier's, as far as consent allows

    /// `supplier`'s current attestation as the organization may see it. Without consent the answer is the same as
    /// for a supplier without an attestation, or no supplier at all: `sharedAttestationNotFound`.
    public func shared(of supplier: String) async throws -> AttestationRecord {
        guard let r = try await store.attestation(of: supplier, viewer: scope.organizationID) else {
            throw SupplyChainRuleError.sharedAttestationNotFound(supplier: supplier)
        }
        return r
    }

    /// The signed file of `supplier`'s current attestation, under the same rule as `shared(of:)`.
    public func sharedExport(of supplier: String) async throws -> Data {
        guard let data = try await store.export(of: supplier, viewer: scope.organizationID) else {
            throw SupplyChainRuleError.sharedAttestationNotFound(supplier: supplier)
        }
        return data
    }
}

/// Consent a supplier gives organizations upstream of it to see its identity and attestation (`DetailVisibility`,
/// docs/SECURITY.md). Granting, changing and withdrawing each run in one transaction with the audit entry and the
/// roll-ups above refreshed at the organization's today, so a withdrawal hides the supplier the moment it commits.
public struct ConsentUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: ConsentStore { ConsentStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    /// The grants the organization has given, by viewer id.
    public func grants() async throws -> [ConsentRecord] { try await store.grants() }

    /// Lets `viewer` (upstream of the organization) see it; `onward` (false unless given) lets it pass that on.
    /// Granting again changes `onward`.
    public func grant(viewer: String, onward: Bool?) async throws -> ConsentRecord {
        let store = store, actor = scope.actor, today = today
        return try await env.db.transaction { s in
            try await store.grant(viewer: viewer, onward: onward ?? false, by: actor, at: today, on: s)
        }
    }

    /// Withdraws consent from `viewer` (`ConsentError.notGranted` when there is none).
    public func withdraw(viewer: String) async throws {
        let store = store, actor = scope.actor, today = today
        try await env.db.transaction { s in try await store.revoke(viewer: viewer, by: actor, at: today, on: s) }
    }
}
