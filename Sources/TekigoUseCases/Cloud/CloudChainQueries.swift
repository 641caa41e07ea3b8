import Foundation
import TekigoCore
import TekigoStore

/// One supplier below the organization that depends on a provider, as the organization may see it.
public struct CloudDependentSupplier: Sendable, Hashable, Codable {
    public let id: String
    /// As the supplier's attestation names it.
    public let name: String
    /// 1 for a direct supplier, 2 for theirs, …
    public let tier: Int
}

/// One provider the organization's suppliers depend on, with its standing in the platform's registry today.
public struct CloudProviderDependency: Sendable, Hashable, Codable {
    /// `CloudServiceRef` text (`fedramp:<package id>`, `ismap:<registration number>`).
    public let ref: String
    /// The provider and offering as the registry names them; nil when the registry does not hold it.
    public let title: String?
    /// `FedRAMP Marketplace`, `ISMAP` or `ISMAP-LIU`; nil when the registry does not hold it.
    public let list: String?
    /// The Marketplace's status and impact level as printed (FedRAMP only).
    public let status: String?
    public let impactLevel: String?
    /// ISMAP / ISMAP-LIU: the last valid day (YYYY-MM-DD).
    public let validThrough: String?
    /// Whether the registry shows it meeting the regime today: FedRAMP Authorized at Moderate or above, or an ISMAP
    /// (not LIU) registration valid today; false when the registry does not hold it.
    public let meets: Bool
    public let suppliers: [CloudDependentSupplier]
}

/// Across the chain (issue 15 item 5): which suppliers below the organization depend on which cloud provider, and the
/// provider's standing. Reads only what consent already lets the organization see: each supplier's current signed
/// attestation as `AttestationStore.attestation(of:viewer:)` would give it (`CloudChainStore.dependencies`), so a
/// supplier that has not consented never appears, nor do the services of one whose attestation names none.
public struct CloudChainQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// Providers by the number of suppliers depending on them (most first), then by reference.
    public func dependencies() async throws -> [CloudProviderDependency] {
        let rows = try await CloudChainStore(env.db).dependencies(viewer: scope.organizationID)
        var byRef: [CloudServiceRef: [CloudDependentSupplier]] = [:]
        for r in rows {
            for ref in r.services { byRef[ref, default: []].append(CloudDependentSupplier(id: r.supplier, name: r.name, tier: r.tier)) }
        }
        let registry = CloudRegistryStore(env.db)
        let packages = try await registry.products(packageIDs: byRef.keys.compactMap { if case .fedramp(let id) = $0 { id } else { nil } })
        let ismap = try await registry.ismapRecords(numbers: byRef.keys.compactMap { if case .ismap(let n) = $0 { n } else { nil } })
        let today = scope.calendar.today(env.clock)
        var out: [CloudProviderDependency] = []
        for (ref, suppliers) in byRef {
            switch ref {
            case .fedramp(let id):
                let p = packages[id]
                let standing = p.map { CloudMarketplaceStanding(status: $0.status, impactLevel: $0.impactLevel) }
                out.append(CloudProviderDependency(ref: ref.description, title: p.map { "\($0.csp) — \($0.cso)" },
                                                   list: p == nil ? nil : "FedRAMP Marketplace", status: p?.status, impactLevel: p?.impactLevel,
                                                   validThrough: nil, meets: standing?.meetsModerate ?? false, suppliers: suppliers))
            case .ismap(let number):
                let r = ismap[number]
                let through = r?.validity.validThrough
                out.append(CloudProviderDependency(ref: ref.description, title: r.map { "\($0.provider) — \($0.serviceName)" },
                                                   list: r?.kind.rawValue, status: nil, impactLevel: nil, validThrough: through?.description,
                                                   // An attestation names only services holding CUI or 保護すべき情報.
                                                   meets: r.map {
                                                       CloudServiceRules.ismapStands(lowImpactUse: $0.kind == .liu, validFrom: $0.validity.validFrom,
                                                                                     validThrough: $0.validity.validThrough, information: .protected, on: today)
                                                   } ?? false,
                                                   suppliers: suppliers))
            case .other:
                continue
            }
        }
        return out.sorted { ($1.suppliers.count, $0.ref) < ($0.suppliers.count, $1.ref) }
    }
}
