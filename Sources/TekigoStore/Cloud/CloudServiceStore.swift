import Foundation
import SQLKit
import TekigoCore

/// The cloud services one organization uses (migration 21): services, the systems using each, evaluations and the
/// provider's (c)–(g) commitments. Every query is scoped to `organizationID`; writes run in the caller's transaction
/// (`on:`), opened by `CloudServiceUseCases`, which also appends the audit entries. The registry (helper E's
/// `CloudRegistryStore`) is read for a service's standing.
public struct CloudServiceStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)?) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    // MARK: - Reads

    /// The organization's services by name.
    public func services(on s: (any SQLDatabase)? = nil) async throws -> [CloudServiceRecord] {
        try await scoped("cloud_services", s).orderBy("name").orderBy("id").all()
            .map { try $0.decode(model: CloudServiceRecord.self, with: Self.fromSnake) }
    }

    public func service(id: String, on s: (any SQLDatabase)? = nil) async throws -> CloudServiceRecord {
        guard let r = try await scoped("cloud_services", s).where("id", .equal, id).first()?
            .decode(model: CloudServiceRecord.self, with: Self.fromSnake) else { throw NotFound(what: "Cloud service \(id)") }
        return r
    }

    public func service(ref: CloudServiceRef, on s: (any SQLDatabase)? = nil) async throws -> CloudServiceRecord? {
        try await scoped("cloud_services", s).where("ref", .equal, ref.description).first()?
            .decode(model: CloudServiceRecord.self, with: Self.fromSnake)
    }

    /// The ids of the systems using each service.
    public func systemsByService(on s: (any SQLDatabase)? = nil) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for row in try await (s ?? db.sql).select().columns("service_id", "system_id").from("cloud_service_systems")
            .where("organization_id", .equal, organizationID).orderBy("system_id").all() {
            out[try row.decode(column: "service_id", as: String.self), default: []].append(try row.decode(column: "system_id", as: String.self))
        }
        return out
    }

    public func systems(serviceID: String, on s: (any SQLDatabase)? = nil) async throws -> [String] {
        try await (s ?? db.sql).select().column("system_id").from("cloud_service_systems")
            .where("organization_id", .equal, organizationID).where("service_id", .equal, serviceID).orderBy("system_id").all()
            .map { try $0.decode(column: "system_id", as: String.self) }
    }

    /// A service's evaluations, oldest first.
    public func evaluations(serviceID: String, on s: (any SQLDatabase)? = nil) async throws -> [CloudServiceEvaluationRecord] {
        try await scoped("cloud_service_evaluations", s).where("service_id", .equal, serviceID)
            .orderBy("recorded_at").orderBy("id").all()
            .map { try $0.decode(model: CloudServiceEvaluationRecord.self, with: Self.fromSnake) }
    }

    /// Every evaluation of the organization, oldest first, by service.
    public func evaluationsByService(on s: (any SQLDatabase)? = nil) async throws -> [String: [CloudServiceEvaluationRecord]] {
        Dictionary(grouping: try await scoped("cloud_service_evaluations", s).orderBy("recorded_at").orderBy("id").all()
            .map { try $0.decode(model: CloudServiceEvaluationRecord.self, with: Self.fromSnake) }, by: \.serviceId)
    }

    public func commitments(serviceID: String, on s: (any SQLDatabase)? = nil) async throws -> CloudCommitmentsRecord? {
        try await scoped("cloud_service_commitments", s).where("service_id", .equal, serviceID).first()?
            .decode(model: CloudCommitmentsRecord.self, with: Self.fromSnake)
    }

    public func commitmentsByService(on s: (any SQLDatabase)? = nil) async throws -> [String: CloudCommitmentsRecord] {
        Dictionary(uniqueKeysWithValues: try await scoped("cloud_service_commitments", s).all()
            .map { try $0.decode(model: CloudCommitmentsRecord.self, with: Self.fromSnake) }.map { ($0.serviceId, $0) })
    }

    /// What the platform's registry says about `ref` today: a FedRAMP product's status, impact level and annual
    /// assessment; an ISMAP registration's list and validity; else not in the registry (an `other:` service, or an
    /// id the registry does not hold).
    public func registry(_ ref: CloudServiceRef?, on s: (any SQLDatabase)? = nil) async throws -> CloudRegistryView {
        guard let ref else { return .notInRegistry }
        return try await registry([ref], on: s)[ref] ?? .notInRegistry
    }

    /// The same for many services at once (a list page): one query for the FedRAMP products and one for the ISMAP
    /// records, whatever the number of services. Every reference is in the answer.
    public func registry(_ refs: [CloudServiceRef], on s: (any SQLDatabase)? = nil) async throws -> [CloudServiceRef: CloudRegistryView] {
        let registry = CloudRegistryStore(db)
        var packageIDs: [String] = [], numbers: [String] = []
        for ref in refs {
            switch ref {
            case .fedramp(let id): packageIDs.append(id)
            case .ismap(let number): numbers.append(number)
            case .other: break
            }
        }
        let products = packageIDs.isEmpty ? [:] : try await registry.products(packageIDs: packageIDs, on: s)
        let records = numbers.isEmpty ? [:] : try await registry.ismapRecords(numbers: numbers, on: s)
        var out: [CloudServiceRef: CloudRegistryView] = [:]
        for ref in refs {
            switch ref {
            case .fedramp(let id):
                out[ref] = products[id].map { p in
                    CloudRegistryView(standing: .fedramp(status: p.status, impactLevel: p.impactLevel, annualAssessment: p.annualAssessment),
                                      title: "\(p.csp) — \(p.cso)", listName: "FedRAMP Marketplace")
                } ?? .notInRegistry
            case .ismap(let number):
                out[ref] = records[number].map { r in
                    let v = r.validity
                    return CloudRegistryView(standing: .ismap(lowImpactUse: r.kind == .liu, validFrom: v.validFrom, validThrough: v.validThrough),
                                             title: "\(r.provider) — \(r.serviceName)", listName: r.kind.rawValue)
                } ?? .notInRegistry
            case .other:
                out[ref] = .notInRegistry
            }
        }
        return out
    }

    // MARK: - Writes (caller's transaction)

    /// Adds a service with the systems using it. A second service with the same reference is refused by the
    /// database's unique key (the use case checks first, to say so).
    public func insert(_ r: CloudServiceRecord, systems: [String], on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "cloud_services").model(r, with: Self.snake).run()
        try await setSystems(serviceID: r.id, systems, on: s)
    }

    /// Replaces the row (and the systems using it) while its stored version is `expectedVersion`.
    public func update(_ r: CloudServiceRecord, expectedVersion: Int, systems: [String], on s: any SQLDatabase) async throws {
        let updated = try await s.update("cloud_services").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: try await service(id: r.id, on: s).version) }
        try await setSystems(serviceID: r.id, systems, on: s)
    }

    func setSystems(serviceID: String, _ systems: [String], on s: any SQLDatabase) async throws {
        try await s.delete(from: "cloud_service_systems").where("organization_id", .equal, organizationID)
            .where("service_id", .equal, serviceID).run()
        for system in Set(systems).sorted() {
            try await s.insert(into: "cloud_service_systems").columns("service_id", "organization_id", "system_id")
                .values(SQLBind(serviceID), SQLBind(organizationID), SQLBind(system)).run()
        }
    }

    /// Deletes a service with its systems, evaluations and commitments (children first).
    public func delete(id: String, on s: any SQLDatabase) async throws {
        for table in ["cloud_service_systems", "cloud_service_evaluations", "cloud_service_commitments"] {
            try await s.delete(from: table).where("organization_id", .equal, organizationID).where("service_id", .equal, id).run()
        }
        try await s.delete(from: "cloud_services").where("organization_id", .equal, organizationID).where("id", .equal, id).run()
    }

    public func insertEvaluation(_ r: CloudServiceEvaluationRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "cloud_service_evaluations").model(r, with: Self.snake).run()
    }

    /// Writes the commitments: inserts when `expectedVersion` is 0, else replaces at that version.
    public func putCommitments(_ r: CloudCommitmentsRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        let current = try await commitments(serviceID: r.serviceId, on: s)
        guard (current?.version ?? 0) == expectedVersion else { throw VersionConflict(current: current?.version ?? 0) }
        if current == nil {
            try await s.insert(into: "cloud_service_commitments").model(r, with: Self.snake).run()
        } else {
            try await s.update("cloud_service_commitments").set(model: r, with: Self.snake)
                .where("organization_id", .equal, organizationID).where("service_id", .equal, r.serviceId).run()
        }
    }
}
