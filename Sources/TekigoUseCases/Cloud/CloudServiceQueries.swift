import Foundation
import TekigoCore
import TekigoStore

/// One service with where it stands today: the registry's word (or "not in the registry"), each regime's verdict,
/// what is missing, the systems using it, its evaluations and commitments.
public struct CloudServiceStanding: Sendable, Hashable {
    public let service: CloudServiceRecord
    /// The systems using it: (id, name).
    public let systems: [SystemUse]
    public let registry: CloudRegistryView
    public let regimes: [CloudRegime]
    public let verdicts: [CloudRegimeVerdict]
    /// Oldest first.
    public let evaluations: [CloudServiceEvaluationRecord]
    public let commitments: CloudCommitmentsRecord?
    public let today: Day

    public struct SystemUse: Sendable, Hashable {
        public let id: String
        public let name: String
    }

    /// Every regime satisfied (true when no regime applies).
    public var satisfied: Bool { verdicts.allSatisfy(\.satisfied) }
    /// What is missing across the regimes, in order.
    public var missing: [LocalizedText] { verdicts.flatMap(\.missing) }
    public var inRegistry: Bool { registry.standing != .notInRegistry }
    /// The (c)–(g) commitments, one per kind, those not recorded as not committed.
    public var commitmentValues: [CloudCommitment] {
        let stored = commitments?.values ?? []
        return CloudCommitmentKind.allCases.map { k in stored.first { $0.kind == k } ?? CloudCommitment(kind: k, committed: false, evidence: "") }
    }
}

/// The reads of the organization's cloud services: every member reads (changes are `CloudServiceUseCases`').
public struct CloudServiceQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: CloudServiceStore { CloudServiceStore(env.db, organizationID: scope.organizationID) }

    /// Whether the caller may change services (owners, administrators, assessors).
    public var canChange: Bool { scope.role.allows(.manageSystems) }

    /// Every service with its standing today, by name.
    public func list() async throws -> [CloudServiceStanding] {
        let store = store
        let today = scope.calendar.today(env.clock)
        let systems = Dictionary(uniqueKeysWithValues: try await scope.store.systems().map { ($0.id, $0.name) })
        let uses = try await store.systemsByService()
        let evaluations = try await store.evaluationsByService()
        let commitments = try await store.commitmentsByService()
        let services = try await store.services()
        // The registry read once for all the services (two queries), not once per service.
        let registry = try await store.registry(services.compactMap(\.serviceRef))
        return services.map { service in
            standing(service, registry: service.serviceRef.flatMap { registry[$0] } ?? .notInRegistry, systems: systems,
                     uses: uses[service.id] ?? [], evaluations: evaluations[service.id] ?? [],
                     commitments: commitments[service.id], today: today)
        }
    }

    /// One service with its standing today (`NotFound` when the organization has none with that id).
    public func service(id: String) async throws -> CloudServiceStanding {
        let store = store
        let service = try await store.service(id: id)
        let systems = Dictionary(uniqueKeysWithValues: try await scope.store.systems().map { ($0.id, $0.name) })
        return standing(service, registry: try await store.registry(service.serviceRef), systems: systems,
                        uses: try await store.systems(serviceID: id), evaluations: try await store.evaluations(serviceID: id),
                        commitments: try await store.commitments(serviceID: id), today: scope.calendar.today(env.clock))
    }

    /// The organization's systems (id, name), for the forms.
    public func systems() async throws -> [CloudServiceStanding.SystemUse] {
        try await scope.store.systems().map { CloudServiceStanding.SystemUse(id: $0.id, name: $0.name) }
    }

    func standing(_ service: CloudServiceRecord, registry: CloudRegistryView, systems: [String: String], uses: [String],
                  evaluations: [CloudServiceEvaluationRecord], commitments: CloudCommitmentsRecord?, today: Day) -> CloudServiceStanding {
        let regimes = service.applicableRegimes
        let facts = evaluations.compactMap(\.facts)
        let verdicts = regimes.map {
            CloudServiceRules.verdict(regime: $0, information: service.informationKind, registry: registry.standing, evaluations: facts,
                                      commitments: commitments?.values ?? [], today: today)
        }
        return CloudServiceStanding(service: service, systems: uses.map { .init(id: $0, name: systems[$0] ?? $0) }, registry: registry,
                                    regimes: regimes, verdicts: verdicts, evaluations: evaluations, commitments: commitments, today: today)
    }
}
