import Foundation
import SQLKit
import TekigoCore

/// A prime's roll-up as stored: counts per tier and in total. Holds no supplier's id or name.
public struct RollupView: Sendable, Hashable {
    public let prime: String
    /// The day the statuses were evaluated at (expiry, due dates).
    public let asOf: Day
    /// Goes up with every write to the roll-up (each rebuild, and each refresh that reaches it).
    public let version: Int
    /// ISO 8601 UTC of the last change.
    public let updatedAt: String
    public let counts: RollupCounts

    /// Per tier (1 = direct suppliers); tiers without suppliers are absent.
    public var tiers: [Int: TierRollup] { counts.tiers }
    /// All tiers together: `byStatus` (status totals), `scoreHistogram` (score distribution), `familyFailures`
    /// (family heat map), `needingAction`, `hiddenNeedingAction`.
    public var totals: TierRollup { counts.totals }
    /// Tier numbers present, ascending.
    public var tierNumbers: [Int] { counts.tiers.keys.sorted() }
}

/// One page of the suppliers that need action. Only suppliers the prime may see are listed; the others are counted.
public struct NeedsActionPage: Sendable, Hashable {
    /// By tier, most serious status first, overdue first, then id.
    public let entries: [NeedsActionEntry]
    /// How many visible suppliers need action in all (for paging).
    public let visibleTotal: Int
    /// Suppliers that need action but that the prime may not see by identity: counted, never listed.
    public let hiddenCount: Int
    public let limit: Int
    public let offset: Int
}

/// The prime's supply-chain roll-up, materialized: one `rollup_members` row per supplier in the prime's tree (tier,
/// status, overdue, score, failing families, whether the prime may see it) and one `rollup_totals` document (the
/// `RollupCounts` and the day they were evaluated at). Reads (`rollup`, `needsAction`) answer from those tables alone.
///
/// - `rebuild(prime:at:)` computes everything from scratch: the prime's tree from `supplier_links`, the requirements
///   each supplier's direct customers inside the tree set (`flow_down_requirements`), current attestations, and
///   visibility from `consent_grants` (`DetailVisibility` for the prime). It also makes an organization a "prime":
///   only organizations with a `rollup_totals` row are kept up to date.
/// - `refresh(supplier:at:)`, after a supplier's attestation, consent or requirement changed, recomputes that
///   supplier's row (and the rows of suppliers whose visibility passes through it by onward consent) in every prime
///   above it, and adjusts the totals by `RollupCounts.replace(old:new:)`. The stores in this folder call it in the
///   same transaction as the change.
/// - A link added or removed changes tiers: call `rebuild(primesOf: customer)`.
///
/// Dates: the stored document records the day it was evaluated at (`asOf`). A refresh at a later day rebuilds the
/// prime at that day (statuses age with the date, so the whole roll-up is due anyway); a refresh at an earlier day
/// evaluates at `asOf`, so the roll-up never mixes days. A scheduler can rebuild each prime daily.
///
/// Locking: every write first takes the prime's `rollup_totals` row (`UPDATE … SET version = version + 1 …
/// RETURNING`, which PostgreSQL holds until commit), primes in id order. Callers should refresh before appending
/// their audit entry, as the stores here do, so locks are always taken in the same order.
public struct RollupStore: Sendable {
    let db: TekigoDatabase
    let audit: AuditLog

    public init(_ db: TekigoDatabase) {
        self.db = db
        self.audit = AuditLog(db)
    }

    /// The stored `rollup_totals.aggregate`.
    struct Document: Codable, Sendable, Hashable {
        var asOf: Day
        var counts: RollupCounts
    }

    // MARK: reading

    /// The roll-up of `prime`, or nil if it was never built.
    public func rollup(prime: String) async throws -> RollupView? { try await rollup(prime: prime, on: db.sql) }

    func rollup(prime: String, on s: any SQLDatabase) async throws -> RollupView? {
        guard storableID(prime), let row = try await s.select().columns("aggregate", "version", "updated_at").from("rollup_totals")
            .where("prime_id", .equal, prime).first() else { return nil }
        let doc = try Self.document(try row.decode(column: "aggregate", as: String.self), prime: prime)
        return RollupView(prime: prime, asOf: doc.asOf, version: try row.decode(column: "version", as: Int.self),
                          updatedAt: try row.decode(column: "updated_at", as: String.self), counts: doc.counts)
    }

    /// Visible suppliers of `prime` that need action (status other than current), a page at a time (`limit` is kept
    /// within 0…1000); the hidden ones are only counted. Names are the organizations' registered names. Answers from
    /// the materialized tables: no tree walk.
    public func needsAction(prime: String, limit: Int = 50, offset: Int = 0) async throws -> NeedsActionPage {
        guard let view = try await rollup(prime: prime) else {
            return NeedsActionPage(entries: [], visibleTotal: 0, hiddenCount: 0, limit: max(0, min(limit, 1_000)),
                                   offset: max(0, offset))
        }
        return try await needsAction(view, limit: limit, offset: offset)
    }

    /// The same, for a roll-up the caller has just read (one read of `rollup_totals` less).
    public func needsAction(_ view: RollupView, limit: Int = 50, offset: Int = 0) async throws -> NeedsActionPage {
        let limit = max(0, min(limit, 1_000)), offset = max(0, offset)
        let prime = view.prime
        let rows = try await db.sql.raw("""
            SELECT m.supplier_id, m.tier, m.status, m.overdue, o.name FROM rollup_members m \
            JOIN organizations o ON o.id = m.supplier_id \
            WHERE m.prime_id = \(bind: prime) AND m.visible = 1 AND m.status <> \(bind: SupplierStatusKind.current.rawValue) \
            ORDER BY m.tier, \(unsafeRaw: Self.statusRank("m.status")), m.overdue DESC, m.supplier_id \
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        let entries = try rows.map { r in
            NeedsActionEntry(organization: try r.decode(column: "supplier_id", as: String.self),
                             name: try r.decode(column: "name", as: String.self),
                             tier: try r.decode(column: "tier", as: Int.self),
                             status: try Self.status(try r.decode(column: "status", as: String.self)),
                             overdue: try r.decode(column: "overdue", as: Int.self) != 0)
        }
        let hidden = view.totals.hiddenNeedingAction
        return NeedsActionPage(entries: entries, visibleTotal: view.totals.needingAction - hidden, hiddenCount: hidden,
                               limit: limit, offset: offset)
    }

    /// `CASE` giving the status's rank, most serious first (the order of `SupplierStatusKind`).
    static func statusRank(_ column: String) -> String {
        "CASE \(column) " + SupplierStatusKind.allCases.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }
            .joined(separator: " ") + " ELSE \(SupplierStatusKind.allCases.count) END"
    }

    // MARK: rebuilding

    /// Computes `prime`'s roll-up from scratch at `date` and stores it (audited as `rollup.rebuilt`), in the caller's
    /// transaction (a first read's, `RollupUseCases.view`, or a change's that adds or removes a link).
    @discardableResult
    public func rebuild(prime: String, at date: Day, by actor: Actor = Actor(id: AuditEvent.systemActor, sourceIP: "127.0.0.1"),
                        on s: any SQLDatabase) async throws -> RollupView {
        try await rebuildAudited(prime: prime, at: date, by: actor, on: s)
    }

    /// Rebuilds every roll-up that contains `organization`'s suppliers: its own (if it has one) and those of every
    /// organization above it that has one. Call it with the customer after a link customer → supplier is added or
    /// removed, in the same transaction.
    public func rebuild(primesOf organization: String, at date: Day,
                        by actor: Actor = Actor(id: AuditEvent.systemActor, sourceIP: "127.0.0.1"),
                        on s: any SQLDatabase) async throws {
        guard storableID(organization) else { return }
        let candidates = try await ChainReads.ancestors(of: organization, on: s).union([organization])
        for prime in try await primes(among: candidates, on: s) {
            _ = try await rebuildAudited(prime: prime, at: date, by: actor, on: s)
        }
    }

    func rebuildAudited(prime: String, at date: Day, by actor: Actor, on s: any SQLDatabase) async throws -> RollupView {
        guard storableID(prime), try await s.select().column("id").from("organizations").where("id", .equal, prime).first() != nil else {
            throw NotFound(what: "organization \(prime)")
        }
        try await s.insert(into: "rollup_totals").columns("prime_id", "aggregate", "version", "updated_at")
            .values(SQLBind(prime), SQLBind(Self.encode(Document(asOf: date, counts: RollupCounts()))), SQLBind(0),
                    SQLBind(Timestamp.now()))
            .ignoringConflicts(with: ["prime_id"]).run()
        guard try await lock(prime: prime, on: s) != nil else { throw NotFound(what: "roll-up of \(prime)") }
        let doc = try await rebuildLocked(prime: prime, at: date, on: s)
        _ = try await audit.append(supplyChainEvent(actor, prime, .rollupRebuilt, "rollup/\(prime)", before: nil, after: doc),
                                   on: s)
        guard let view = try await rollup(prime: prime, on: s) else { throw NotFound(what: "roll-up of \(prime)") }
        return view
    }

    /// Takes the prime's totals row for this transaction; nil if the prime has no roll-up.
    func lock(prime: String, on s: any SQLDatabase) async throws -> Document? {
        guard let row = try await s.raw("""
            UPDATE rollup_totals SET version = version + 1 WHERE prime_id = \(bind: prime) RETURNING aggregate
            """).first() else { return nil }
        return try Self.document(try row.decode(column: "aggregate", as: String.self), prime: prime)
    }

    /// Rebuilds with the totals row already locked.
    @discardableResult
    func rebuildLocked(prime: String, at date: Day, on s: any SQLDatabase) async throws -> Document {
        let edges = try await ChainReads.subtree(of: prime, on: s)
        let graph: SupplyGraph
        do { graph = try SupplyGraph(edges) } catch {
            throw StoreError.corruptRow(table: "supplier_links", key: prime, reason: error.description)
        }
        let members = graph.tiers(from: prime).filter { $0.value > 0 }.keys.sorted()
        let requirements = try await ChainReads.requirements(of: members, on: s)
        let attestations = try await ChainReads.currentAttestations(of: members, on: s)
        let visibility = try await ChainReads.visibility(viewer: prime, on: s)
        let snapshots = RollupAggregate.snapshots(prime: prime, graph: graph, requirements: requirements,
                                                  attestations: attestations, visibility: visibility, at: date)
        let doc = Document(asOf: date, counts: RollupCounts(snapshots))
        let now = Timestamp.now()
        try await s.delete(from: "rollup_members").where("prime_id", .equal, prime).run()
        for chunk in snapshots.inChunks(200) {
            let insert = s.insert(into: "rollup_members").columns(Self.memberColumns)
            for snap in chunk { insert.values(Self.memberValues(prime: prime, snap, at: now)) }
            try await insert.run()
        }
        try await write(doc, prime: prime, at: now, on: s)
        return doc
    }

    // MARK: refreshing

    /// Brings `supplier`'s row up to date in every roll-up above it (see the type's notes), in the caller's
    /// transaction when `on` is given, else in one of its own.
    ///
    /// `consentChanged: false` (a new attestation, a changed requirement) keeps every stored `visible` flag: who may
    /// see whom depends on consent alone, so only the supplier's own row is recomputed, without walking the grants.
    public func refresh(supplier: String, at date: Day, consentChanged: Bool = true, on s: (any SQLDatabase)? = nil) async throws {
        guard storableID(supplier) else { return }
        if let s { try await refreshLocked(supplier: supplier, at: date, consentChanged: consentChanged, on: s) } else {
            try await db.transaction { s in
                try await refreshLocked(supplier: supplier, at: date, consentChanged: consentChanged, on: s)
            }
        }
    }

    func refreshLocked(supplier: String, at date: Day, consentChanged: Bool = true, on s: any SQLDatabase) async throws {
        let primes = try await primes(among: try await ChainReads.ancestors(of: supplier, on: s), on: s)
        guard !primes.isEmpty else { return }
        // Lock every prime first (in id order), then read: on PostgreSQL (READ COMMITTED) each later statement sees
        // every change committed by a transaction that held these locks before us, and any transaction still to
        // commit a change under these primes refreshes after us, so no row is written from stale inputs.
        var documents: [String: Document] = [:]
        for prime in primes { documents[prime] = try await lock(prime: prime, on: s) }
        // The supplier, and (when consent changed) whoever is visible only through it (onward consent granted to it,
        // transitively).
        let affected = consentChanged ? [supplier] + (try await ChainReads.onwardDependents(of: supplier, on: s)).sorted()
            : [supplier]
        let attestations = try await ChainReads.currentAttestations(of: affected, on: s)
        let requirements = try await ChainReads.requirements(of: affected, on: s)
        let customers = try await ChainReads.customers(of: affected, on: s)
        for prime in primes {
            guard var doc = documents[prime] else { continue }
            if date > doc.asOf {
                try await rebuildLocked(prime: prime, at: date, on: s)
                continue
            }
            // Who the prime may see: unchanged unless consent changed; then asked per affected supplier (a walk up from
            // each), or for the prime's whole tree at once when many depend on this supplier.
            var visible: [String: Bool] = [:]
            if consentChanged {
                if affected.count > 20 {
                    let all = try await ChainReads.visibility(viewer: prime, on: s)
                    for id in affected { visible[id] = all.canSee(id) }
                } else {
                    for id in affected { visible[id] = try await ChainReads.canSee(viewer: prime, supplier: id, on: s) }
                }
            }
            let rows = try await memberRows(prime: prime, suppliers: affected + customers.values.flatMap { $0 }, on: s)
            guard rows[supplier] != nil else {
                // Not in the roll-up although below the prime: links changed without a rebuild. Heal it.
                try await rebuildLocked(prime: prime, at: date, on: s)
                continue
            }
            let now = Timestamp.now()
            var changed = false
            for id in affected {
                guard let old = rows[id] else { continue }
                // The requirements set by direct customers inside the prime's tree.
                let inTree = Set(customers[id, default: []].filter { $0 == prime || rows[$0] != nil })
                let new = RollupAggregate.snapshot(
                    of: id, tier: old.tier, requirements: requirements.filter { $0.edge.supplier == id && inTree.contains($0.edge.customer) },
                    attestation: attestations[id], visible: visible[id] ?? old.visible, at: doc.asOf).unnamed
                guard new != old else { continue }
                doc.counts.replace(old: old, new: new)
                try await s.update("rollup_members")
                    .set("status", to: SQLBind(new.status.rawValue)).set("overdue", to: SQLBind(new.overdue ? 1 : 0))
                    .set("score", to: SQLBind(new.score)).set("failing_families", to: SQLBind(Self.families(new.failingFamilies)))
                    .set("visible", to: SQLBind(new.visible ? 1 : 0)).set("updated_at", to: SQLBind(now))
                    .where("prime_id", .equal, prime).where("supplier_id", .equal, id).run()
                changed = true
            }
            if changed { try await write(doc, prime: prime, at: now, on: s) }
        }
    }

    // MARK: rows

    static let memberColumns = ["prime_id", "supplier_id", "tier", "status", "overdue", "score", "failing_families",
                                "visible", "updated_at"]

    static func memberValues(prime: String, _ s: SupplierSnapshot, at now: String) -> [any SQLExpression] {
        [SQLBind(prime), SQLBind(s.organization), SQLBind(s.tier), SQLBind(s.status.rawValue), SQLBind(s.overdue ? 1 : 0),
         SQLBind(s.score), SQLBind(families(s.failingFamilies)), SQLBind(s.visible ? 1 : 0), SQLBind(now)]
    }

    static func families(_ set: Set<String>) -> String { JSONText.encode(set.sorted()) }

    /// Stored rows of `prime` for these suppliers, as snapshots (without names).
    func memberRows(prime: String, suppliers: [String], on s: any SQLDatabase) async throws -> [String: SupplierSnapshot] {
        var out: [String: SupplierSnapshot] = [:]
        for chunk in Array(Set(suppliers)).sorted().inChunks(ChainReads.chunk) {
            let rows = try await s.select().columns("supplier_id", "tier", "status", "overdue", "score", "failing_families", "visible")
                .from("rollup_members").where("prime_id", .equal, prime).where("supplier_id", .in, chunk).all()
            for r in rows {
                let id = try r.decode(column: "supplier_id", as: String.self)
                let families = try r.decode(column: "failing_families", as: String.self)
                guard let list = JSONText.decode([String].self, families) else {
                    throw StoreError.corruptRow(table: "rollup_members", key: "\(prime)/\(id)", reason: "failing_families '\(families)'")
                }
                out[id] = SupplierSnapshot(organization: id, tier: try r.decode(column: "tier", as: Int.self),
                                           status: try Self.status(try r.decode(column: "status", as: String.self)),
                                           overdue: try r.decode(column: "overdue", as: Int.self) != 0,
                                           score: try r.decodeNil(column: "score") ? nil : r.decode(column: "score", as: Int.self), failingFamilies: Set(list),
                                           visible: try r.decode(column: "visible", as: Int.self) != 0)
            }
        }
        return out
    }

    /// Of `candidates`, those that have a roll-up, sorted (the order locks are taken in).
    func primes(among candidates: Set<String>, on s: any SQLDatabase) async throws -> [String] {
        var out: [String] = []
        for chunk in candidates.sorted().inChunks(ChainReads.chunk) {
            out += try await s.select().column("prime_id").from("rollup_totals").where("prime_id", .in, chunk).all()
                .map { try $0.decode(column: "prime_id", as: String.self) }
        }
        return out.sorted()
    }

    func write(_ doc: Document, prime: String, at now: String, on s: any SQLDatabase) async throws {
        try await s.update("rollup_totals").set("aggregate", to: SQLBind(Self.encode(doc))).set("updated_at", to: SQLBind(now))
            .where("prime_id", .equal, prime).run()
    }

    static func encode(_ doc: Document) -> String { JSONText.encode(doc) }

    static func document(_ text: String, prime: String) throws -> Document {
        guard let doc = JSONText.decode(Document.self, text) else {
            throw StoreError.corruptRow(table: "rollup_totals", key: prime, reason: "aggregate is not a roll-up document")
        }
        return doc
    }

    static func status(_ raw: String) throws -> SupplierStatusKind {
        guard let k = SupplierStatusKind(rawValue: raw) else {
            throw StoreError.corruptRow(table: "rollup_members", key: raw, reason: "unknown status '\(raw)'")
        }
        return k
    }
}

extension SupplierSnapshot {
    /// The same snapshot without the name (the stored rows keep none).
    var unnamed: SupplierSnapshot {
        SupplierSnapshot(organization: organization, tier: tier, status: status, overdue: overdue, score: score,
                         failingFamilies: failingFamilies, visible: visible)
    }
}

extension Array {
    /// Slices of at most `size` elements, for `IN (…)` lists.
    func inChunks(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

// MARK: - Reads of the supply-chain tables

/// The reads the attestation, consent and roll-up stores share: walks of `supplier_links` and `consent_grants` one
/// level per statement (never the whole table), current attestations, and flow-down requirements.
enum ChainReads {
    /// Ids per `IN (…)` list.
    static let chunk = 500

    /// Every organization upstream of `id` (its customers, theirs, …), not `id` itself.
    static func ancestors(of id: String, on s: any SQLDatabase) async throws -> Set<String> {
        var seen: Set<String> = []
        var frontier = [id]
        while !frontier.isEmpty {
            var next: [String] = []
            for chunk in frontier.inChunks(chunk) {
                for r in try await s.select().column("customer_id").from("supplier_links").where("supplier_id", .in, chunk).all() {
                    let c = try r.decode(column: "customer_id", as: String.self)
                    if c != id, seen.insert(c).inserted { next.append(c) }
                }
            }
            frontier = next
        }
        return seen
    }

    /// Every link below `prime` (from the prime and from every organization downstream of it).
    static func subtree(of prime: String, on s: any SQLDatabase) async throws -> [SupplyEdge] {
        var seen: Set<String> = [prime]
        var frontier = [prime]
        var edges: [SupplyEdge] = []
        while !frontier.isEmpty {
            var next: [String] = []
            for chunk in frontier.inChunks(chunk) {
                for r in try await s.select().columns("customer_id", "supplier_id").from("supplier_links")
                    .where("customer_id", .in, chunk).all() {
                    let e = SupplyEdge(customer: try r.decode(column: "customer_id", as: String.self),
                                       supplier: try r.decode(column: "supplier_id", as: String.self))
                    edges.append(e)
                    if seen.insert(e.supplier).inserted { next.append(e.supplier) }
                }
            }
            frontier = next
        }
        return edges
    }

    /// Direct customers of each of `suppliers`.
    static func customers(of suppliers: [String], on s: any SQLDatabase) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for chunk in suppliers.inChunks(chunk) {
            for r in try await s.select().columns("customer_id", "supplier_id").from("supplier_links")
                .where("supplier_id", .in, chunk).all() {
                out[try r.decode(column: "supplier_id", as: String.self), default: []]
                    .append(try r.decode(column: "customer_id", as: String.self))
            }
        }
        return out
    }

    /// What `viewer` may see (`DetailVisibility`), from the grants it can reach: grants to the viewer, then onward
    /// grants to whatever it sees, one level per statement.
    static func visibility(viewer: String, on s: any SQLDatabase) async throws -> DetailVisibility {
        var grants: [ConsentGrant] = []
        var seen: Set<String> = [viewer]
        var frontier = [viewer]
        while !frontier.isEmpty {
            var next: [String] = []
            for chunk in frontier.inChunks(chunk) {
                for r in try await s.select().columns("supplier_id", "viewer_id", "onward").from("consent_grants")
                    .where("viewer_id", .in, chunk).all() {
                    let g = ConsentGrant(supplier: try r.decode(column: "supplier_id", as: String.self),
                                         viewer: try r.decode(column: "viewer_id", as: String.self),
                                         onward: try r.decode(column: "onward", as: Int.self) != 0)
                    // Direct grants count whatever their onward flag; grants to others only when onward.
                    guard g.viewer == viewer || g.onward else { continue }
                    grants.append(g)
                    if seen.insert(g.supplier).inserted { next.append(g.supplier) }
                }
            }
            frontier = next
        }
        return DetailVisibility(viewer: viewer, grants: grants)
    }

    /// Whether `viewer` may see `supplier` under the rule of `DetailVisibility`, walking up from the supplier instead of
    /// down from the viewer: the supplier's grants, then those of the organizations it granted onward consent, and so
    /// on. A few statements for one supplier, where `visibility(viewer:)` reads the viewer's whole tree.
    static func canSee(viewer: String, supplier: String, on s: any SQLDatabase) async throws -> Bool {
        if viewer == supplier { return true }
        var seen: Set<String> = [supplier]
        var frontier = [supplier]
        while !frontier.isEmpty {
            var next: [String] = []
            for chunk in frontier.inChunks(chunk) {
                for r in try await s.select().columns("viewer_id", "onward").from("consent_grants")
                    .where("supplier_id", .in, chunk).all() {
                    let to = try r.decode(column: "viewer_id", as: String.self)
                    // A grant to the viewer itself counts whatever its onward flag; one to another organization only
                    // when onward, and then only if the viewer may see that organization.
                    if to == viewer { return true }
                    if try r.decode(column: "onward", as: Int.self) != 0, seen.insert(to).inserted { next.append(to) }
                }
            }
            frontier = next
        }
        return false
    }

    /// Organizations whose visibility to someone may pass through `id`: those that granted `id` onward consent,
    /// those that granted any of them onward consent, and so on. Not `id` itself.
    static func onwardDependents(of id: String, on s: any SQLDatabase) async throws -> Set<String> {
        var seen: Set<String> = []
        var frontier = [id]
        while !frontier.isEmpty {
            var next: [String] = []
            for chunk in frontier.inChunks(chunk) {
                for r in try await s.select().column("supplier_id").from("consent_grants").where("viewer_id", .in, chunk)
                    .where("onward", .equal, 1).all() {
                    let x = try r.decode(column: "supplier_id", as: String.self)
                    if x != id, seen.insert(x).inserted { next.append(x) }
                }
            }
            frontier = next
        }
        return seen
    }

    /// The current (not superseded) attestation of each organization that has one.
    static func currentAttestations(of organizations: [String], on s: any SQLDatabase) async throws -> [String: AttestationPayload] {
        var out: [String: AttestationPayload] = [:]
        for chunk in organizations.inChunks(chunk) {
            for r in try await s.select().columns("id", "organization_id", "payload").from("attestations")
                .where("organization_id", .in, chunk).where(SQLColumn("superseded_by"), .is, SQLLiteral.null).all() {
                let id = try r.decode(column: "id", as: String.self)
                let payload: AttestationPayload
                do { payload = try AttestationPayload.decode(Data(try r.decode(column: "payload", as: String.self).utf8)) } catch {
                    throw StoreError.corruptRow(table: "attestations", key: id, reason: String(describing: error))
                }
                out[try r.decode(column: "organization_id", as: String.self)] = payload
            }
        }
        return out
    }

    /// Every requirement set on any of `suppliers` (by any customer).
    static func requirements(of suppliers: [String], on s: any SQLDatabase) async throws -> [FlowDownRequirement] {
        var out: [FlowDownRequirement] = []
        for chunk in suppliers.inChunks(chunk) {
            for r in try await s.select().columns("id", "customer_id", "supplier_id", "catalog", "minimum", "due_on", "must_flow_down")
                .from("flow_down_requirements").where("supplier_id", .in, chunk).orderBy("id").all() {
                let id = try r.decode(column: "id", as: String.self)
                let text = try r.decode(column: "minimum", as: String.self)
                let dueText = try r.decode(column: "due_on", as: String.self)
                guard let minimum = FlowDownRequirement.Minimum(storedText: text) else {
                    throw StoreError.corruptRow(table: "flow_down_requirements", key: id, reason: "minimum '\(text)'")
                }
                guard let due = Day(dueText) else {
                    throw StoreError.corruptRow(table: "flow_down_requirements", key: id, reason: "due date '\(dueText)'")
                }
                do {
                    out.append(try FlowDownRequirement(
                        edge: SupplyEdge(customer: try r.decode(column: "customer_id", as: String.self),
                                         supplier: try r.decode(column: "supplier_id", as: String.self)),
                        catalog: CatalogID(try r.decode(column: "catalog", as: String.self)), minimum: minimum, due: due,
                        mustFlowDown: try r.decode(column: "must_flow_down", as: Int.self) != 0))
                } catch let e as SupplyChainError {
                    throw StoreError.corruptRow(table: "flow_down_requirements", key: id, reason: e.description)
                }
            }
        }
        return out
    }
}
