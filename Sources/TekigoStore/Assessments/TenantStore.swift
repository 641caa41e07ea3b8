import Foundation
import SQLKit
import TekigoCore

/// Who is acting, for the audit log.
public struct Actor: Sendable, Hashable {
    public let id: String
    public let sourceIP: String

    public init(id: String, sourceIP: String) {
        self.id = id
        self.sourceIP = sourceIP
    }
}

/// A write lost a race: the stored row changed since the client read it.
public struct VersionConflict: Error, Sendable, Equatable {
    public let current: Int
}

public struct NotFound: Error, Sendable, Equatable {
    public let what: String
}

/// Everything one organization owns. Every query carries `organization_id = <this tenant>`: isolation is a
/// property of this type, not of the handlers that use it. Every change is audited in its own transaction.
public struct TenantStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let audit: AuditLog

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
        self.audit = AuditLog(db)
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)? = nil) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    func event(_ actor: Actor, _ action: AuditAction, _ object: String, before: (any Encodable)?, after: (any Encodable)?) -> AuditEvent {
        AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP, action: action, object: object,
                   beforeDigest: before.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) },
                   afterDigest: after.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) })
    }

    // MARK: systems

    public func systems() async throws -> [SystemRecord] {
        try await scoped("systems").orderBy("name").all().map { try $0.decode(model: SystemRecord.self, with: Self.fromSnake) }
    }

    public func system(id: String) async throws -> SystemRecord? {
        try await scoped("systems").where("id", .equal, id).first()?.decode(model: SystemRecord.self, with: Self.fromSnake)
    }

    public func createSystem(_ p: SystemProfile, by actor: Actor) async throws -> SystemRecord {
        let r = SystemRecord(id: UUID().uuidString.lowercased(), organizationId: organizationID, name: p.name, boundary: p.boundary,
                             environment: p.environment, informationTypes: JSONText.encode(p.informationTypes),
                             components: JSONText.encode(p.components), userCount: p.userCount, createdAt: Timestamp.now(), version: 1)
        try await db.transaction { s in
            try await s.insert(into: "systems").model(r, with: Self.snake).run()
            _ = try await audit.append(event(actor, .systemCreated, "system/\(r.id)", before: nil, after: r), on: s)
        }
        return r
    }

    // MARK: assessments

    public func assessments() async throws -> [AssessmentRecord] {
        try await scoped("assessments").orderBy("created_at", .descending).all()
            .map { try $0.decode(model: AssessmentRecord.self, with: Self.fromSnake) }
    }

    public func assessment(id: String) async throws -> AssessmentRecord? {
        try await scoped("assessments").where("id", .equal, id).first()?.decode(model: AssessmentRecord.self, with: Self.fromSnake)
    }

    public func createAssessment(systemID: String, catalog: CatalogID, date: Day, kind: AssessmentKind, assessor: String,
                                 by actor: Actor) async throws -> AssessmentRecord {
        guard try await system(id: systemID) != nil else { throw NotFound(what: "system \(systemID)") }
        let r = AssessmentRecord(id: UUID().uuidString.lowercased(), organizationId: organizationID, systemId: systemID,
                                 catalog: catalog.rawValue, assessedOn: date.description, kind: kind.rawValue, assessor: assessor,
                                 answers: "{}", createdAt: Timestamp.now(), version: 1)
        try await db.transaction { s in
            try await s.insert(into: "assessments").model(r, with: Self.snake).run()
            _ = try await audit.append(event(actor, .assessmentCreated, "assessment/\(r.id)", before: nil, after: r), on: s)
        }
        return r
    }

    // MARK: findings

    public func findings(assessmentID: String) async throws -> [FindingRecord] {
        if let rows = try await db.sqliteRows(FindingRecord.listSQL, [organizationID, assessmentID]) {
            return try rows.map { try FindingRecord(sqlite: $0, assessmentID: assessmentID, organizationID: organizationID) }
        }
        return try await scoped("findings").where("assessment_id", .equal, assessmentID).all().map(FindingRecord.init(row:))
    }

    public func finding(assessmentID: String, objective: String) async throws -> FindingRecord? {
        try await scoped("findings").where("assessment_id", .equal, assessmentID).where("objective", .equal, objective).first()?
            .decode(model: FindingRecord.self, with: Self.fromSnake)
    }

    /// Writes one finding. With `ifVersion`, the write happens only if the stored version (0 = none yet) still
    /// matches: a stale client gets `VersionConflict` and nothing changes. A person's write confirms a carried-over
    /// answer: the stored row never keeps its `carried_over_from` mark (issue 17 item 4).
    public func putFinding(assessmentID: String, objective: String, _ f: Finding, ifVersion: Int?, by actor: Actor) async throws -> FindingRecord {
        guard try await assessment(id: assessmentID) != nil else { throw NotFound(what: "assessment \(assessmentID)") }
        return try await db.transaction { s in
            try await putFinding(assessmentID: assessmentID, objective: objective, f, ifVersion: ifVersion, by: actor, on: s).record
        }
    }

    /// What one finding's write stored, and what it replaced.
    public struct FindingWrite: Sendable {
        public let record: FindingRecord
        public let previous: FindingRecord?

        /// Whether the write can move the score or the count of answered objectives: both depend on the status alone
        /// (an objective never answered counts as not assessed).
        public var changesStatus: Bool { record.status != (previous?.status ?? FindingStatus.notAssessed.rawValue) }
    }

    /// The same inside a caller's transaction (the web editor saves a requirement's objectives, its answer and
    /// new evidence files together). The caller has checked the assessment belongs to this organization.
    public func putFinding(assessmentID: String, objective: String, _ f: Finding, ifVersion: Int?, by actor: Actor,
                           on s: any SQLDatabase) async throws -> FindingWrite {
        let before = try await scoped("findings", s).where("assessment_id", .equal, assessmentID).where("objective", .equal, objective)
            .first().map(FindingRecord.init(row:))
        let current = before?.version ?? 0
        if let ifVersion, ifVersion != current { throw VersionConflict(current: current) }
        let r = FindingRecord(assessmentId: assessmentID, organizationId: organizationID, objective: objective,
                              status: f.status.rawValue, rationale: f.rationale, evidence: JSONText.encode(f.evidence),
                              assessedBy: f.assessedBy, assessedOn: f.assessedOn?.description, version: current + 1)
        if before == nil {
            try await s.insert(into: "findings").model(r, with: Self.snake).run()
        } else {
            let updated = try await s.update("findings").set(model: r, with: Self.snake)
                .where("organization_id", .equal, organizationID).where("assessment_id", .equal, assessmentID)
                .where("objective", .equal, objective).where("version", .equal, current).returning("version").all()
            if updated.isEmpty { throw VersionConflict(current: current) }
        }
        _ = try await audit.append(event(actor, .findingUpdated, "assessment/\(assessmentID)/finding/\(objective)",
                                         before: before, after: r), on: s)
        return FindingWrite(record: r, previous: before)
    }

    /// The assessment as the domain sees it, for scoring and exports.
    public func load(assessmentID: String, organization: Organization) async throws -> Assessment {
        guard let a = try await assessment(id: assessmentID) else { throw NotFound(what: "assessment \(assessmentID)") }
        return try await load(a, organization: organization)
    }

    /// The same for an assessment record already read (by this organization's store). Without `evidence`, findings
    /// come without their evidence lists: for views that show statuses and scores only (the score never depends on
    /// evidence), decoding 320 lists is most of the cost of loading.
    public func load(_ a: AssessmentRecord, organization: Organization, evidence withEvidence: Bool = true) async throws -> Assessment {
        let assessmentID = a.id
        guard a.organizationId == organizationID else { throw NotFound(what: "assessment \(assessmentID)") }
        guard let sys = try await system(id: a.systemId) else { throw NotFound(what: "system \(a.systemId)") }
        var findings: [String: Finding] = [:]
        let records = try await self.findings(assessmentID: assessmentID)
        let evidence = withEvidence ? Self.evidenceLists(records.map(\.evidence)) : records.map { _ in [] }
        for (f, refs) in zip(records, evidence) {
            guard let st = FindingStatus(rawValue: f.status) else { continue }
            findings[f.objective] = Finding(status: st, rationale: f.rationale, evidence: refs,
                                            assessedBy: f.assessedBy, assessedOn: f.assessedOn.flatMap(Day.init),
                                            carriedOverFrom: f.carriedOverFrom)
        }
        let poam = try await scoped("poam_items").where("assessment_id", .equal, assessmentID).all()
            .map { try $0.decode(model: POAMItemRecord.self, with: Self.fromSnake) }
            .map { p in
                POAMItem(requirement: p.requirement, weakness: p.weakness,
                         milestones: JSONText.decode([Milestone].self, p.milestones) ?? [], owner: p.owner, resources: p.resources,
                         status: POAMStatus(rawValue: p.status) ?? .open, scheduledCompletion: p.scheduledCompletion.flatMap(Day.init),
                         completedOn: p.completedOn.flatMap(Day.init))
            }
            .sorted(byRequirement: \.requirement)
        let system = SystemProfile(name: sys.name, boundary: sys.boundary, environment: sys.environment,
                                   informationTypes: sys.informationTypeList,
                                   components: JSONText.decode([SystemComponent].self, sys.components) ?? [],
                                   userCount: sys.userCount)
        return Assessment(organization: organization, system: system, catalog: CatalogID(a.catalog),
                          date: Day(a.assessedOn) ?? Day(Date()), kind: AssessmentKind(rawValue: a.kind) ?? .basic,
                          assessor: a.assessor, findings: findings,
                          answers: JSONText.decode([String: RequirementAnswer].self, a.answers) ?? [:], poam: poam,
                          resultsPostedOn: a.resultsPostedOn.flatMap(Day.init))
    }
}

extension TenantStore {
    /// Decodes the findings' stored evidence arrays with one decoder call for all of them (a decoder per finding
    /// cost more than the rest of loading an assessment); a list that does not decode is read on its own, and
    /// one that still fails is empty.
    static func evidenceLists(_ texts: [String]) -> [[EvidenceRef]] {
        if texts.allSatisfy({ $0 == "[]" }) { return texts.map { _ in [] } }
        if let all = JSONText.decode([[EvidenceRef]].self, "[" + texts.joined(separator: ",") + "]"), all.count == texts.count {
            return all
        }
        return texts.map { JSONText.decode([EvidenceRef].self, $0) ?? [] }
    }
}

/// Type erasure for audit digests of any record.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ v: any Encodable) { value = v }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
