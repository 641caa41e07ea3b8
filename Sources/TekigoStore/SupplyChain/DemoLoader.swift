import Crypto
import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore

/// What `DemoLoader.load` wrote.
public struct DemoLoadSummary: Sendable, Hashable, Codable {
    /// One prime and the suppliers in its tree, by tier below it (`SupplyGraph.tiers(from:)`).
    public struct Prime: Sendable, Hashable, Codable {
        public let id: String
        public let name: String
        /// Tier (1 = direct suppliers) → suppliers at that tier below this prime.
        public let suppliersByTier: [Int: Int]

        public var suppliers: Int { suppliersByTier.values.reduce(0, +) }
    }

    /// The day statuses were evaluated at (the generator's "today").
    public let asOf: Day
    public let organizations: Int
    /// Tier the generator made each supplier for (its shortest distance from either prime) → suppliers.
    public let suppliersByTier: [Int: Int]
    public let links: Int
    public let contracts: Int
    public let requirements: Int
    public let signingKeys: Int
    public let attestations: Int
    public let consents: Int
    public let primes: [Prime]
}

/// Where a load is, for progress reports on big chains.
public enum DemoLoadPhase: String, Sendable {
    /// Building, signing and sealing: one attestation and one key per assessed organization (in parallel).
    case signing
    /// Inserting rows (in the one transaction).
    case writing
    /// Building each prime's roll-up (in the same transaction).
    case rollup
}

/// Why a demo load was refused or failed; nothing was written in either case.
public enum DemoLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database already holds this many organizations: demo data never mixes with real data.
    case notEmpty(organizations: Int, location: String)
    /// The generated chain does not form a valid supply graph (a bug in the generator).
    case invalidChain(String)
    /// An assessed organization's attestation could not be built (a bug in the generator or the builder).
    case attestation(organization: String, reason: String)

    public var description: String {
        switch self {
        case .notEmpty(let n, let location):
            return "the database already holds organizations (\(n) at \(location)); use an empty --data-dir "
                + "(or an empty PostgreSQL database) for the demo, so demo data never mixes with real data."
        case .invalidChain(let why):
            return "the generated demo supply chain is not a valid supply graph (\(why)); nothing was written. "
                + "Try another --seed and report this as a bug."
        case .attestation(let org, let why):
            return "the demo attestation of \(org) could not be built (\(why)); nothing was written. "
                + "Try another --seed and report this as a bug."
        }
    }
}

/// Loads a `DemoSupplyChain` into an empty database fast: organizations, links, contracts, flow-down requirements,
/// one signing key and one signed attestation per assessed organization, consent grants, and each prime's roll-up.
///
/// **Atomicity: one transaction.** Everything the load writes — every row, the primes' roll-ups and the single
/// `demo.loaded` audit entry — is written in one transaction, so a failure at any point rolls all of it back and
/// leaves the database exactly as it was (empty). The emptiness check runs inside that transaction too (SQLite:
/// `BEGIN IMMEDIATE` holds the write lock; PostgreSQL: the relationship store's advisory lock, and the demo's fixed
/// organization ids make a second concurrent load fail on its primary keys), so a demo never lands beside real data.
///
/// **Speed.** The CPU work (assessment → `AttestationBuilder` payload → Ed25519 key, sealed exactly as
/// `OrganizationKeys` seals it → signature) runs before the transaction, in parallel on every core; rows are then
/// inserted many per statement. The roll-ups are built with the same code as `RollupStore.rebuild(prime:at:)`, but
/// inside this transaction (the public `rebuild` opens a transaction of its own, which would break atomicity).
///
/// Rows are the stores' own record types (`OrganizationRecord`, `SupplierLinkRecord`, `ContractRecord`,
/// `FlowDownRequirementRecord` with `Minimum.storedText`, `OrganizationKeys.Row`, `AttestationRecord`,
/// `ConsentRecord`) encoded with the stores' column mapping, so they are identical to what the stores write. The
/// per-row audit entries the stores write (`key.generated`, `attestation.issued`, `consent.granted`, …) are replaced
/// by one `demo.loaded` entry naming the counts.
public struct DemoLoader: Sendable {
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey

    /// Most bound values per INSERT statement (PostgreSQL allows 65,535; our SQLite build 250,000).
    static let bindBudget = 8_000

    public init(_ db: TekigoDatabase, evidenceKey: EvidenceKey) {
        self.db = db
        self.evidenceKey = evidenceKey
    }

    /// How many organizations the database holds.
    public func organizationCount() async throws -> Int {
        try await Self.organizationCount(on: db.sql)
    }

    static func organizationCount(on s: any SQLDatabase) async throws -> Int {
        try await s.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// One assessed organization, ready to insert.
    struct Signed: Sendable {
        let key: OrganizationKeys.Row
        let attestation: AttestationRecord
    }

    /// Loads `demo` (statuses as of `today`; attestations signed now) in one transaction; see the type's notes.
    /// - Parameters:
    ///   - catalog: the catalog the demo assessments answer (SP 800-171 rev2 for the flow-down minimums).
    ///   - progress: called now and then with the phase and how far it is (done, total); not concurrently.
    /// - Throws: `DemoLoadError.notEmpty` when the database holds any organization; other `DemoLoadError`s, and the
    ///   database's errors, after rolling everything back.
    @discardableResult
    public func load(_ demo: DemoSupplyChain, catalog: Catalog, today: Day, now: Date = Date(),
                     by actor: Actor = Actor(id: AuditEvent.systemActor, sourceIP: "127.0.0.1"),
                     progress: (@Sendable (DemoLoadPhase, Int, Int) -> Void)? = nil) async throws -> DemoLoadSummary {
        // Fail fast, before the expensive part; checked again inside the transaction.
        let existing = try await organizationCount()
        guard existing == 0 else { throw DemoLoadError.notEmpty(organizations: existing, location: db.location.displayName) }

        let graph: SupplyGraph
        do { graph = try SupplyGraph(demo.edges) } catch { throw DemoLoadError.invalidChain(error.description) }

        let stamp = Timestamp.string(now)
        let signed = try await sign(demo, catalog: catalog, now: now, stamp: stamp, progress: progress)
        let rows = Rows(demo, signed: signed, stamp: stamp, catalog: catalog)
        let primes = demo.primes.map { p in
            DemoLoadSummary.Prime(id: p.id, name: p.displayName,
                                  suppliersByTier: graph.tiers(from: p.id).values.filter { $0 > 0 }
                                      .reduce(into: [:]) { $0[$1, default: 0] += 1 })
        }
        let summary = DemoLoadSummary(
            asOf: today, organizations: rows.organizations.count,
            suppliersByTier: demo.companies.filter { $0.tier > 0 }.reduce(into: [:]) { $0[$1.tier, default: 0] += 1 },
            links: rows.links.count, contracts: rows.contracts.count, requirements: rows.requirements.count,
            signingKeys: signed.count, attestations: signed.count, consents: rows.consents.count, primes: primes)

        let location = db.location.displayName
        let engine = db.engine
        let audit = AuditLog(db)
        let rollups = RollupStore(db)
        try await db.transaction { s in
            if engine == .postgres { try await s.raw("SELECT pg_advisory_xact_lock(\(bind: RelationshipStore.lockKey))").run() }
            let n = try await Self.organizationCount(on: s)
            guard n == 0 else { throw DemoLoadError.notEmpty(organizations: n, location: location) }

            let total = rows.count
            var written = 0
            func insert<T: Encodable & Sendable>(_ table: String, _ records: [T], columns: Int) async throws {
                for chunk in records.inChunks(max(1, Self.bindBudget / columns)) {
                    try await s.insert(into: table).models(chunk, with: SnakeCaseColumns.encoder).run()
                    written += chunk.count
                    progress?(.writing, written, total)
                }
            }
            // Parents before children (foreign keys are checked per statement).
            try await insert("organizations", rows.organizations, columns: 7)
            try await insert("supplier_links", rows.links, columns: 3)
            try await insert("contracts", rows.contracts, columns: 9)
            try await insert("flow_down_requirements", rows.requirements, columns: 10)
            try await insert("organization_keys", signed.map(\.key), columns: 7)
            try await insert("attestations", signed.map(\.attestation), columns: 11)
            try await insert("consent_grants", rows.consents, columns: 5)
            // The primes' own assessments, stored like any assessment, so the web pages have something to show
            // (dashboard, overview, POA&M drafts) once someone is given a prime.
            try await insert("systems", rows.primeSystems, columns: 10)
            try await insert("assessments", rows.primeAssessments, columns: 10)
            try await insert("findings", rows.primeFindings, columns: 9)
            // Each prime assessment's first point of "score over time", as an edit would record it.
            for point in rows.primeScores {
                try await TenantStore(db, organizationID: point.organizationID)
                    .recordScore(assessmentID: point.assessmentID, day: today, score: point.score, answered: point.answered, at: now, on: s)
            }

            // Each prime's roll-up, as `RollupStore.rebuild(prime:at:)` builds it, in this transaction.
            for (i, prime) in primes.map(\.id).sorted().enumerated() {
                progress?(.rollup, i, primes.count)
                try await s.insert(into: "rollup_totals").columns("prime_id", "aggregate", "version", "updated_at")
                    .values(SQLBind(prime), SQLBind(RollupStore.encode(RollupStore.Document(asOf: today, counts: RollupCounts()))),
                            SQLBind(0), SQLBind(stamp))
                    .run()
                guard try await rollups.lock(prime: prime, on: s) != nil else { throw NotFound(what: "roll-up of \(prime)") }
                try await rollups.rebuildLocked(prime: prime, at: today, on: s)
            }
            progress?(.rollup, primes.count, primes.count)

            // One entry for the whole load: the counts in the object, the summary's digest as the after-value.
            let object = "demo/organizations=\(summary.organizations),links=\(summary.links),contracts=\(summary.contracts),"
                + "requirements=\(summary.requirements),keys=\(summary.signingKeys),attestations=\(summary.attestations),"
                + "consents=\(summary.consents),primes=\(primes.map(\.id).sorted().joined(separator: "+"))"
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: nil, sourceIP: actor.sourceIP,
                                                  action: .demoLoaded, object: object, beforeDigest: nil,
                                                  afterDigest: AuditLog.digest(Data(JSONText.encode(summary).utf8))), on: s)
        }
        return summary
    }

    // MARK: signing (pure CPU, in parallel)

    /// One key and one signed attestation per assessed organization, in company order.
    func sign(_ demo: DemoSupplyChain, catalog: Catalog, now: Date, stamp: String,
              progress: (@Sendable (DemoLoadPhase, Int, Int) -> Void)?) async throws -> [Signed] {
        let assessed = demo.companies.filter { $0.maturity != nil && $0.assessedOn != nil }
        let slices = assessed.inChunks(100)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 32))
        let evidenceKey = evidenceKey
        let db = db
        progress?(.signing, 0, assessed.count)
        return try await withThrowingTaskGroup(of: (Int, [Signed]).self) { group in
            var next = 0
            func start() {
                guard next < slices.count else { return }
                let index = next, slice = slices[index]
                next += 1
                group.addTask {
                    (index, try slice.compactMap { c in
                        try Self.signed(c, demo: demo, catalog: catalog, db: db, evidenceKey: evidenceKey, now: now, stamp: stamp)
                    })
                }
            }
            for _ in 0..<workers { start() }
            var results = [[Signed]](repeating: [], count: slices.count)
            var done = 0
            while let (index, part) = try await group.next() {
                results[index] = part
                done += slices[index].count
                progress?(.signing, done, assessed.count)
                start()
            }
            return results.flatMap { $0 }
        }
    }

    /// The key and the signed attestation of one company; nil when it has no assessment.
    static func signed(_ c: DemoSupplyChain.Company, demo: DemoSupplyChain, catalog: Catalog, db: TekigoDatabase,
                       evidenceKey: EvidenceKey, now: Date, stamp: String) throws -> Signed? {
        guard let assessment = demo.assessment(of: c, catalog: catalog) else { return nil }
        // The key exactly as `OrganizationKeys` makes and seals it; opened again to sign, as issuing does.
        let keys = OrganizationKeys(db, organizationID: c.id, evidenceKey: evidenceKey)
        let row = try keys.generate(at: stamp)
        let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: try keys.open(row.sealedPrivateKey, keyID: row.keyId))
        // Issued on the day of the assessment (03:00 UTC, midday in Japan), never later than now.
        let issuedAt = min(assessment.date.date.addingTimeInterval(3 * 3600), now)
        let id = UUID().uuidString.lowercased()
        let signed: SignedAttestation
        do {
            let payload = try AttestationBuilder.payload(id: id, issuedAt: issuedAt, organizationID: c.id, assessment: assessment,
                                                         catalog: catalog, detail: .families)
            signed = try SignedAttestation.sign(payload, with: privateKey)
        } catch let e as SupplyChainError {
            throw DemoLoadError.attestation(organization: c.id, reason: e.description)
        }
        guard signed.keyID == row.keyId else { throw SigningKeyError.sealedKeyUnreadable(keyID: row.keyId) }
        let record = AttestationRecord(
            id: id, organizationId: c.id, assessmentId: nil, keyId: row.keyId,
            payload: String(decoding: signed.payloadBytes, as: UTF8.self), signature: signed.signature.base64EncodedString(),
            issuedAt: signed.payload.issuedAt, expiresAt: signed.payload.expiresAt.description, supersededBy: nil,
            sprsScore: signed.payload.sprsScore, createdAt: stamp)
        return Signed(key: row, attestation: record)
    }

    // MARK: rows

    /// Every row but keys and attestations, as the stores would write them.
    struct Rows: Sendable {
        let organizations: [OrganizationRecord]
        let links: [SupplierLinkRecord]
        let contracts: [ContractRecord]
        let requirements: [FlowDownRequirementRecord]
        let consents: [ConsentRecord]
        let signed: Int

        /// Each prime's assessment as stored rows (the suppliers' stay in their signed attestations).
        let primeSystems: [SystemRecord]
        let primeAssessments: [AssessmentRecord]
        let primeFindings: [FindingRecord]
        let primeScores: [(organizationID: String, assessmentID: String, score: Int?, answered: Int)]

        var count: Int {
            organizations.count + links.count + contracts.count + requirements.count + 2 * signed + consents.count
                + primeSystems.count + primeAssessments.count + primeFindings.count
        }

        init(_ demo: DemoSupplyChain, signed: [Signed], stamp: String, catalog: Catalog) {
            var systems: [SystemRecord] = [], assessments: [AssessmentRecord] = [], findings: [FindingRecord] = []
            var scores: [(organizationID: String, assessmentID: String, score: Int?, answered: Int)] = []
            for prime in demo.primes {
                guard let a = demo.assessment(of: prime, catalog: catalog) else { continue }
                let system = SystemRecord(id: UUID().uuidString.lowercased(), organizationId: prime.id, name: a.system.name,
                                          boundary: a.system.boundary, environment: a.system.environment,
                                          informationTypes: JSONText.encode(a.system.informationTypes),
                                          components: JSONText.encode(a.system.components), userCount: a.system.userCount,
                                          createdAt: stamp, version: 1)
                let record = AssessmentRecord(id: UUID().uuidString.lowercased(), organizationId: prime.id, systemId: system.id,
                                              catalog: a.catalog.rawValue, assessedOn: a.date.description, kind: a.kind.rawValue,
                                              assessor: a.assessor, answers: "{}", createdAt: stamp, version: 1)
                systems.append(system)
                assessments.append(record)
                scores.append((prime.id, record.id, (try? SPRSScoring.score(a, catalog: catalog))?.score, a.progress(in: catalog).answered))
                findings += a.findings.keys.sorted().map { objective in
                    let f = a.findings[objective]!
                    return FindingRecord(assessmentId: record.id, organizationId: prime.id, objective: objective, status: f.status.rawValue,
                                         rationale: f.rationale, evidence: "[]", assessedBy: a.assessor, assessedOn: a.date.description,
                                         version: 1)
                }
            }
            primeSystems = systems
            primeAssessments = assessments
            primeFindings = findings
            primeScores = scores
            organizations = demo.companies.map { c in
                OrganizationRecord(id: c.id, name: c.displayName, cageCodes: JSONText.encode(c.cageCode.map { [$0] } ?? []),
                                   uei: c.uei, corporateNumber: c.corporateNumber, createdAt: stamp, version: 1)
            }
            links = demo.edges.map { SupplierLinkRecord(customerId: $0.customer, supplierId: $0.supplier, createdAt: stamp) }
            var contractByEdge: [SupplyEdge: ContractRecord] = [:]
            var contracts: [ContractRecord] = []
            for e in demo.edges {
                guard let c = demo.contracts[e] else { continue }
                let r = ContractRecord(id: UUID().uuidString.lowercased(), customerId: e.customer, supplierId: e.supplier,
                                       contract: c, createdAt: stamp, version: 1)
                contractByEdge[e] = r
                contracts.append(r)
            }
            self.contracts = contracts
            requirements = demo.requirements.map { r in
                // Tied to the link's contract when the requirement names it (by number, as the domain does).
                let contract = contractByEdge[r.edge].flatMap { $0.number == r.contract ? $0.id : nil }
                return FlowDownRequirementRecord(
                    id: UUID().uuidString.lowercased(), customerId: r.edge.customer, supplierId: r.edge.supplier,
                    contractId: contract, catalog: r.catalog.rawValue, minimum: r.minimum.storedText, dueOn: r.due.description,
                    mustFlowDown: r.mustFlowDown ? 1 : 0, createdAt: stamp, version: 1)
            }
            consents = demo.consents.map {
                ConsentRecord(supplierId: $0.supplier, viewerId: $0.viewer, onward: $0.onward ? 1 : 0, grantedAt: stamp,
                              grantedBy: AuditEvent.systemActor)
            }
            self.signed = signed.count
        }
    }
}
