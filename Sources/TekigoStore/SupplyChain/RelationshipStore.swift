import Foundation
import SQLKit
import TekigoCore

/// The supply-chain relationships one organization takes part in: the invitations it sends as a customer, the
/// links it has as customer and as supplier, and the contracts and flow-down requirements it sets on its
/// suppliers (DFARS 252.204-7012(m): the clause, and with it the SP 800-171 requirement, flows down to
/// subcontracts that involve covered defense information).
///
/// Isolation is a property of this type, as in `TenantStore`: every query is scoped to `organizationID` — as the
/// customer (`customer_id = me`: invitations, suppliers, contracts, requirements it sets) or, read-only, as the
/// supplier (`supplier_id = me`: customers, `requirementsOnMe()`). The one exception is `graph()`, which returns
/// every link by id for the roll-up; callers must pass it through `DetailVisibility` before showing anything.
///
/// The writes run in the caller's transaction (`on:`): the use-case layer (`TekigoUseCases`, the supply-chain
/// family) opens it, and each write appends its audit entry in it. Relationship writes take one lock (SQLite:
/// `BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so the cycle check in `accept` always sees
/// every committed link and two acceptances can never close a cycle between them. Times and days are the caller's
/// (its clock, the organization's calendar): nothing here reads the system's clock except `created_at` stamps.
public struct RelationshipStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let audit: AuditLog

    /// How long an invitation is valid unless the customer says otherwise.
    public static let invitationLifetime: TimeInterval = 7 * 24 * 60 * 60
    /// Allowed lifetimes: at least a minute, at most 30 days.
    public static let lifetimeRange: ClosedRange<TimeInterval> = 60...(30 * 24 * 60 * 60)
    public static let maxNoteLength = 500
    /// Stands for an organization the acting one may not see by name (in a refused cycle).
    public static let hiddenOrganization = "(an organization not visible to you)"
    /// PostgreSQL advisory lock key serializing relationship writes (migrations use 7355608).
    static let lockKey: Int64 = 7_355_609

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
        self.audit = AuditLog(db)
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func event(_ actor: Actor, org: String, _ action: AuditAction, _ object: String, before: (any Encodable)?,
               after: (any Encodable)?) -> AuditEvent {
        AuditEvent(actor: actor.id, organizationID: org, sourceIP: actor.sourceIP, action: action, object: object,
                   beforeDigest: before.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) },
                   afterDigest: after.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) })
    }

    func record(_ s: any SQLDatabase, _ actor: Actor, org: String? = nil, _ action: AuditAction, _ object: String,
               before: (any Encodable)?, after: (any Encodable)?) async throws {
        _ = try await audit.append(event(actor, org: org ?? organizationID, action, object, before: before, after: after), on: s)
    }

    /// Serializes relationship writes across connections and instances (SQLite's BEGIN IMMEDIATE already does).
    func lock(_ s: any SQLDatabase) async throws {
        if db.engine == .postgres { try await s.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run() }
    }

    // MARK: - Invitations (the customer sends, the supplier accepts)

    /// SHA-256 hex of a token, as stored. Surrounding white space (from copying) is ignored.
    public static func tokenHash(_ token: String) -> String {
        Hex.sha256(Data(token.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
    }

    /// 32 bytes from the system's CSPRNG, base64url without padding (43 characters).
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: rng.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Creates an invitation from the acting organization (the customer) to a supplier not yet named. The token is
    /// returned once, to hand to the supplier; only its SHA-256 is stored. Valid for `expiresIn` (7 days unless
    /// given; 1 minute to 30 days) and for one acceptance.
    public func invite(note: String, contactEmail: String? = nil, expiresIn: TimeInterval = RelationshipStore.invitationLifetime,
                       by actor: Actor, now: Date, on s: any SQLDatabase) async throws -> (token: String, record: SupplierInvitationRecord) {
        guard Self.lifetimeRange.contains(expiresIn) else { throw RelationshipError.invalidLifetime(expiresIn) }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= Self.maxNoteLength else { throw RelationshipError.noteTooLong(note.count) }
        let token = Self.newToken()
        let r = SupplierInvitationRecord(tokenHash: Self.tokenHash(token), customerId: organizationID, note: note,
                                         createdBy: actor.id, createdAt: Timestamp.string(now),
                                         expiresAt: Timestamp.string(now.addingTimeInterval(expiresIn)),
                                         acceptedAt: nil, acceptedByOrg: nil, contactEmail: contactEmail)
        try await s.insert(into: "supplier_invitations").model(r, with: Self.snake).run()
        try await record(s, actor, .supplierInvited, "invitation/\(r.tokenHash)", before: nil, after: r)
        return (token, r)
    }

    /// The acting organization's invitations that are neither accepted nor expired, newest first.
    public func invitations(now: Date) async throws -> [SupplierInvitationRecord] {
        try await db.sql.select().columns("*").from("supplier_invitations").where("customer_id", .equal, organizationID)
            .where("accepted_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, Timestamp.string(now))
            .orderBy("created_at", .descending).all()
            .map { try $0.decode(model: SupplierInvitationRecord.self, with: Self.fromSnake) }
    }

    /// Withdraws an invitation not yet accepted (expired ones too); its token stops working at once.
    public func revokeInvitation(tokenHash: String, by actor: Actor, on s: any SQLDatabase) async throws {
        try await lock(s)
        guard let before = try await s.select().columns("*").from("supplier_invitations")
            .where("token_hash", .equal, tokenHash).where("customer_id", .equal, organizationID)
            .where("accepted_at", .is, SQLLiteral.null).first()?
            .decode(model: SupplierInvitationRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "open invitation \(tokenHash)") }
        try await s.delete(from: "supplier_invitations").where("token_hash", .equal, tokenHash)
            .where("customer_id", .equal, organizationID).run()
        try await record(s, actor, .supplierInvitationRevoked, "invitation/\(tokenHash)", before: before, after: nil)
    }

    /// Accepts a customer's invitation: the acting organization becomes that customer's supplier. Refused — with
    /// nothing changed and the invitation still open where that makes sense — when the token is unknown, used or
    /// expired, when it is the organization's own invitation, when the link exists already, or when the link
    /// would close a cycle (the error names it). On success the invitation is spent and the link created, both
    /// audited (`supplier.linked` for the customer, `customer.linked` for the supplier).
    @discardableResult
    public func accept(token: String, by actor: Actor, now: Date, today: Day, on s: any SQLDatabase) async throws -> SupplierLinkRecord {
        let hash = Self.tokenHash(token)
        let nowText = Timestamp.string(now)
        try await lock(s)
        guard let inv = try await s.select().columns("*").from("supplier_invitations").where("token_hash", .equal, hash)
            .first()?.decode(model: SupplierInvitationRecord.self, with: Self.fromSnake)
        else { throw RelationshipError.unknownInvitation }
        if let at = inv.acceptedAt { throw RelationshipError.invitationUsed(at: at, byYou: inv.acceptedByOrg == organizationID) }
        if inv.expiresAt <= nowText { throw RelationshipError.invitationExpired(at: inv.expiresAt) }
        if inv.customerId == organizationID { throw RelationshipError.ownInvitation }

        let graph = try await loadGraph(s)
        let edge = SupplyEdge(customer: inv.customerId, supplier: organizationID)
        do throws(SupplyChainError) {
            _ = try graph.adding(edge)
        } catch {
            switch error {
            case .duplicateEdge:
                let name = try await names(of: [inv.customerId], on: s)[inv.customerId] ?? inv.customerId
                throw RelationshipError.alreadyLinked(customer: name)
            case .cycle(_, let path):
                throw RelationshipError.wouldCloseCycle(path: try await visibleNames(path, graph: graph, customer: inv.customerId, on: s))
            case .selfLink:
                throw RelationshipError.ownInvitation
            default:
                throw RelationshipError.corruptRow("invitation/\(hash): \(error.description)")
            }
        }

        // Spend the invitation only if still open: a concurrent acceptance loses here even without the lock.
        let spent = try await s.update("supplier_invitations").set("accepted_at", to: nowText)
            .set("accepted_by_org", to: organizationID).where("token_hash", .equal, hash)
            .where("accepted_at", .is, SQLLiteral.null).returning("token_hash").all()
        guard !spent.isEmpty else { throw RelationshipError.invitationUsed(at: nowText, byYou: false) }
        let link = SupplierLinkRecord(customerId: inv.customerId, supplierId: organizationID, createdAt: nowText)
        try await s.insert(into: "supplier_links").model(link, with: Self.snake).run()
        // The new link changes tiers in every roll-up above the customer: rebuild those (before the audit entries,
        // so locks are taken in the same order as everywhere else).
        try await RollupStore(db).rebuild(primesOf: inv.customerId, at: today, by: actor, on: s)
        var spentInvitation = inv
        spentInvitation.acceptedAt = nowText
        spentInvitation.acceptedByOrg = organizationID
        try await record(s, actor, org: inv.customerId, .supplierLinked, "supplier/\(organizationID)", before: inv,
                         after: Acceptance(invitation: spentInvitation, link: link))
        try await record(s, actor, .customerLinked, "customer/\(inv.customerId)", before: nil, after: link)
        return link
    }

    struct Acceptance: Encodable {
        let invitation: SupplierInvitationRecord
        let link: SupplierLinkRecord
    }

    /// Names of organizations by id (those that exist).
    func names(of ids: [String], on s: any SQLDatabase) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for row in try await s.select().columns("id", "name").from("organizations").where("id", .in, Array(Set(ids))).all() {
            out[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        return out
    }

    /// A cycle path as names, keeping out of it every organization the acting one may not see: it sees itself, the
    /// inviting customer, its direct customers and suppliers, and whoever consented (`consent_grants`,
    /// `DetailVisibility`). Others appear as `hiddenOrganization`.
    func visibleNames(_ path: [String], graph: SupplyGraph, customer: String, on s: any SQLDatabase) async throws -> [String] {
        let grants = try await s.select().columns("supplier_id", "viewer_id", "onward").from("consent_grants").all().map {
            ConsentGrant(supplier: try $0.decode(column: "supplier_id", as: String.self),
                         viewer: try $0.decode(column: "viewer_id", as: String.self),
                         onward: try $0.decode(column: "onward", as: Int.self) != 0)
        }
        var visible = DetailVisibility(viewer: organizationID, grants: grants).visible
        visible.insert(customer)
        visible.formUnion(graph.suppliers(of: organizationID))
        visible.formUnion(graph.customers(of: organizationID))
        let names = try await names(of: path.filter(visible.contains), on: s)
        return path.map { visible.contains($0) ? names[$0] ?? $0 : Self.hiddenOrganization }
    }

    // MARK: - Links

    func loadGraph(_ s: any SQLDatabase) async throws -> SupplyGraph {
        let edges = try await s.select().columns("customer_id", "supplier_id").from("supplier_links").all().map {
            SupplyEdge(customer: try $0.decode(column: "customer_id", as: String.self),
                       supplier: try $0.decode(column: "supplier_id", as: String.self))
        }
        do throws(SupplyChainError) {
            return try SupplyGraph(edges)
        } catch {
            throw RelationshipError.corruptRow("supplier_links: \(error.description)")
        }
    }

    /// Every link of every organization, by id: the input of the roll-up. Not scoped — filter what it shows with
    /// `DetailVisibility` before anything reaches a viewer.
    public func graph() async throws -> SupplyGraph { try await loadGraph(db.sql) }

    /// Each organization downstream of `prime` with its tier (the prime 0, its direct suppliers 1, …).
    public func tiers(fromPrime prime: String) async throws -> [String: Int] { try await graph().tiers(from: prime) }

    func linked(_ sql: SQLQueryString) async throws -> [LinkedOrganization] {
        try await db.sql.raw(sql).all().map {
            LinkedOrganization(id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self),
                               linkedAt: try $0.decode(column: "created_at", as: String.self))
        }
    }

    /// The acting organization's direct suppliers, by name.
    public func suppliers() async throws -> [LinkedOrganization] {
        try await linked("""
            SELECT o.id, o.name, l.created_at FROM supplier_links l JOIN organizations o ON o.id = l.supplier_id \
            WHERE l.customer_id = \(bind: organizationID) ORDER BY o.name, o.id
            """)
    }

    /// The acting organization's direct customers, by name.
    public func customers() async throws -> [LinkedOrganization] {
        try await linked("""
            SELECT o.id, o.name, l.created_at FROM supplier_links l JOIN organizations o ON o.id = l.customer_id \
            WHERE l.supplier_id = \(bind: organizationID) ORDER BY o.name, o.id
            """)
    }

    struct RemovedLink: Encodable {
        let link: SupplierLinkRecord
        let contracts: [ContractRecord]
        let requirements: [FlowDownRequirementRecord]
    }

    /// Ends the link to one of the acting organization's suppliers, with every contract and requirement on it, in
    /// the caller's transaction. The audit entry's before-digest covers all of them.
    public func removeSupplier(id supplierID: String, by actor: Actor, today: Day, on s: any SQLDatabase) async throws {
        try await lock(s)
        let link = try await requireLink(supplierID, on: s)
        let contracts = try await s.select().columns("*").from("contracts").where("customer_id", .equal, organizationID)
            .where("supplier_id", .equal, supplierID).orderBy("id").all()
            .map { try $0.decode(model: ContractRecord.self, with: Self.fromSnake) }
        let requirements = try await s.select().columns("*").from("flow_down_requirements")
            .where("customer_id", .equal, organizationID).where("supplier_id", .equal, supplierID).orderBy("id").all()
            .map { try $0.decode(model: FlowDownRequirementRecord.self, with: Self.fromSnake) }
        // Explicit, child first: the foreign keys cascade too, but the result must not depend on them.
        for table in ["flow_down_requirements", "contracts", "supplier_links"] {
            try await s.delete(from: table).where("customer_id", .equal, organizationID).where("supplier_id", .equal, supplierID).run()
        }
        try await RollupStore(db).rebuild(primesOf: organizationID, at: today, by: actor, on: s)
        let removed = RemovedLink(link: link, contracts: contracts, requirements: requirements)
        try await record(s, actor, .supplierRemoved, "supplier/\(supplierID)", before: removed, after: nil)
        try await record(s, actor, org: supplierID, .customerRemoved, "customer/\(organizationID)", before: link, after: nil)
    }

    /// The link from the acting organization (customer) to `supplierID`, or `notLinked`.
    func requireLink(_ supplierID: String, on s: any SQLDatabase) async throws -> SupplierLinkRecord {
        guard let link = try await s.select().columns("*").from("supplier_links").where("customer_id", .equal, organizationID)
            .where("supplier_id", .equal, supplierID).first()?.decode(model: SupplierLinkRecord.self, with: Self.fromSnake)
        else { throw RelationshipError.notLinked(supplier: supplierID) }
        return link
    }

    // MARK: - Contracts (the customer sets them on its links)

    func contractQuery(_ s: any SQLDatabase) -> SQLSelectBuilder {
        s.select().columns("*").from("contracts").where("customer_id", .equal, organizationID)
    }

    /// The acting organization's contracts with its suppliers (with one supplier when given), by supplier and number.
    public func contracts(supplierID: String? = nil) async throws -> [ContractRecord] {
        var q = contractQuery(db.sql)
        if let supplierID { q = q.where("supplier_id", .equal, supplierID) }
        return try await q.orderBy("supplier_id").orderBy("number").all()
            .map { try $0.decode(model: ContractRecord.self, with: Self.fromSnake) }
    }

    public func contract(id: String) async throws -> ContractRecord? {
        try await contractQuery(db.sql).where("id", .equal, id).first()?.decode(model: ContractRecord.self, with: Self.fromSnake)
    }

    func ensureUniqueNumber(_ number: String, supplierID: String, except id: String?, on s: any SQLDatabase) async throws {
        var q = contractQuery(s).where("supplier_id", .equal, supplierID).where("number", .equal, number)
        if let id { q = q.where("id", .notEqual, id) }
        if try await q.first() != nil { throw RelationshipError.duplicateContractNumber(number) }
    }

    /// Records a contract with one of the acting organization's suppliers. `Contract`'s initializer has already
    /// checked it (clauses, designation, CMMC level); numbers are unique per link.
    public func createContract(_ contract: Contract, supplierID: String, by actor: Actor, on s: any SQLDatabase) async throws -> ContractRecord {
        let r = ContractRecord(id: UUID().uuidString.lowercased(), customerId: organizationID, supplierId: supplierID,
                               contract: contract, createdAt: Timestamp.now(), version: 1)
        try await lock(s)
        _ = try await requireLink(supplierID, on: s)
        try await ensureUniqueNumber(contract.number, supplierID: supplierID, except: nil, on: s)
        try await s.insert(into: "contracts").model(r, with: Self.snake).run()
        try await record(s, actor, .contractCreated, "contract/\(r.id)", before: nil, after: r)
        return r
    }

    /// Replaces a contract's terms. With `ifVersion`, only while the stored version still matches: a stale client
    /// gets `VersionConflict` and nothing changes.
    public func updateContract(id: String, _ contract: Contract, ifVersion: Int?, by actor: Actor,
                               on s: any SQLDatabase) async throws -> ContractRecord {
        try await lock(s)
        guard let before = try await contractQuery(s).where("id", .equal, id).first()?
            .decode(model: ContractRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "contract \(id)") }
        if let ifVersion, ifVersion != before.version { throw VersionConflict(current: before.version) }
        try await ensureUniqueNumber(contract.number, supplierID: before.supplierId, except: id, on: s)
        let r = ContractRecord(id: id, customerId: organizationID, supplierId: before.supplierId, contract: contract,
                               createdAt: before.createdAt, version: before.version + 1)
        let updated = try await s.update("contracts").set(model: r, with: Self.snake).where("id", .equal, id)
            .where("customer_id", .equal, organizationID).where("version", .equal, before.version).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: before.version) }
        try await record(s, actor, .contractUpdated, "contract/\(id)", before: before, after: r)
        return r
    }

    struct RemovedContract: Encodable {
        let contract: ContractRecord
        let requirements: [FlowDownRequirementRecord]
    }

    /// Deletes a contract and the requirements tied to it (the audit entry's before-digest covers both).
    public func deleteContract(id: String, ifVersion: Int? = nil, by actor: Actor, today: Day, on s: any SQLDatabase) async throws {
        try await lock(s)
        guard let before = try await contractQuery(s).where("id", .equal, id).first()?
            .decode(model: ContractRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "contract \(id)") }
        if let ifVersion, ifVersion != before.version { throw VersionConflict(current: before.version) }
        let requirements = try await requirementQuery(s).where("contract_id", .equal, id).orderBy("id").all()
            .map { try $0.decode(model: FlowDownRequirementRecord.self, with: Self.fromSnake) }
        try await s.delete(from: "flow_down_requirements").where("customer_id", .equal, organizationID)
            .where("contract_id", .equal, id).run()
        try await s.delete(from: "contracts").where("customer_id", .equal, organizationID).where("id", .equal, id).run()
        if !requirements.isEmpty {
            try await RollupStore(db).refresh(supplier: before.supplierId, at: today, consentChanged: false, on: s)
        }
        try await record(s, actor, .contractDeleted, "contract/\(id)",
                        before: RemovedContract(contract: before, requirements: requirements), after: nil)
    }

    // MARK: - Flow-down requirements (the customer sets them; the supplier reads what is required of it)

    func requirementQuery(_ s: any SQLDatabase) -> SQLSelectBuilder {
        s.select().columns("*").from("flow_down_requirements").where("customer_id", .equal, organizationID)
    }

    /// Requirements with the names around them; `condition` is ANDed to the join.
    func listings(_ condition: SQLQueryString, on s: any SQLDatabase) async throws -> [RequirementListing] {
        let sql: SQLQueryString = "SELECT r.*, c.number AS contract_number, oc.name AS customer_name, os.name AS supplier_name "
            + "FROM flow_down_requirements r JOIN organizations oc ON oc.id = r.customer_id "
            + "JOIN organizations os ON os.id = r.supplier_id LEFT JOIN contracts c ON c.id = r.contract_id WHERE "
            + condition + " ORDER BY oc.name, os.name, r.due_on, r.catalog, r.id"
        return try await s.raw(sql).all().map { row in
            RequirementListing(record: try row.decode(model: FlowDownRequirementRecord.self, with: Self.fromSnake),
                               customerName: try row.decode(column: "customer_name", as: String.self),
                               supplierName: try row.decode(column: "supplier_name", as: String.self),
                               contractNumber: try row.decodeNil(column: "contract_number")
                                   ? nil : try row.decode(column: "contract_number", as: String.self))
        }
    }

    /// What the acting organization requires of its suppliers (of one supplier when given).
    public func requirements(supplierID: String? = nil) async throws -> [RequirementListing] {
        if let supplierID {
            return try await listings("r.customer_id = \(bind: organizationID) AND r.supplier_id = \(bind: supplierID)", on: db.sql)
        }
        return try await listings("r.customer_id = \(bind: organizationID)", on: db.sql)
    }

    public func requirement(id: String) async throws -> RequirementListing? {
        try await listings("r.customer_id = \(bind: organizationID) AND r.id = \(bind: id)", on: db.sql).first
    }

    /// The supplier's view: everything every customer requires of the acting organization, in one list (by
    /// customer name, then due date). It must meet these and, where `mustFlowDown`, pass them on to its own
    /// suppliers (DFARS 252.204-7012(m)(1)).
    public func requirementsOnMe() async throws -> [RequirementListing] {
        try await listings("r.supplier_id = \(bind: organizationID)", on: db.sql)
    }

    /// Checks the requirement through `FlowDownRequirement`'s initializer (throws `SupplyChainError`) and the
    /// contract, if any, against the link; returns the row to store.
    func validatedRecord(id: String, supplierID: String, contractID: String?, catalog: CatalogID,
                         minimum: FlowDownRequirement.Minimum, due: Day, mustFlowDown: Bool, createdAt: String, version: Int,
                         on s: any SQLDatabase) async throws -> FlowDownRequirementRecord {
        var number: String?
        if let contractID {
            guard let c = try await contractQuery(s).where("id", .equal, contractID).where("supplier_id", .equal, supplierID)
                .first()?.decode(model: ContractRecord.self, with: Self.fromSnake)
            else { throw RelationshipError.contractNotOnLink(contract: contractID) }
            number = c.number
        }
        _ = try FlowDownRequirement(edge: SupplyEdge(customer: organizationID, supplier: supplierID), contract: number,
                                    catalog: catalog, minimum: minimum, due: due, mustFlowDown: mustFlowDown)
        return FlowDownRequirementRecord(id: id, customerId: organizationID, supplierId: supplierID, contractId: contractID,
                                         catalog: catalog.rawValue, minimum: minimum.storedText, dueOn: due.description,
                                         mustFlowDown: mustFlowDown ? 1 : 0, createdAt: createdAt, version: version)
    }

    /// Sets a requirement on one of the acting organization's suppliers, optionally tied to a contract on the same
    /// link. `mustFlowDown` (default true, as DFARS 252.204-7012(m)(1) has it for covered defense information)
    /// obliges the supplier to pass it on.
    public func createRequirement(supplierID: String, contractID: String? = nil, catalog: CatalogID = .sp800171r2,
                                  minimum: FlowDownRequirement.Minimum, due: Day, mustFlowDown: Bool = true,
                                  by actor: Actor, today: Day, on s: any SQLDatabase) async throws -> FlowDownRequirementRecord {
        try await lock(s)
        _ = try await requireLink(supplierID, on: s)
        let r = try await validatedRecord(id: UUID().uuidString.lowercased(), supplierID: supplierID, contractID: contractID,
                                          catalog: catalog, minimum: minimum, due: due, mustFlowDown: mustFlowDown,
                                          createdAt: Timestamp.now(), version: 1, on: s)
        try await s.insert(into: "flow_down_requirements").model(r, with: Self.snake).run()
        try await RollupStore(db).refresh(supplier: supplierID, at: today, consentChanged: false, on: s)
        try await record(s, actor, .requirementCreated, "requirement/\(r.id)", before: nil, after: r)
        return r
    }

    /// Replaces a requirement's terms (the supplier stays). With `ifVersion`, only while the stored version still
    /// matches: a stale client gets `VersionConflict` and nothing changes.
    public func updateRequirement(id: String, contractID: String?, catalog: CatalogID, minimum: FlowDownRequirement.Minimum,
                                  due: Day, mustFlowDown: Bool, ifVersion: Int?, by actor: Actor, today: Day,
                                  on s: any SQLDatabase) async throws -> FlowDownRequirementRecord {
        try await lock(s)
        guard let before = try await requirementQuery(s).where("id", .equal, id).first()?
            .decode(model: FlowDownRequirementRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "requirement \(id)") }
        if let ifVersion, ifVersion != before.version { throw VersionConflict(current: before.version) }
        let r = try await validatedRecord(id: id, supplierID: before.supplierId, contractID: contractID, catalog: catalog,
                                          minimum: minimum, due: due, mustFlowDown: mustFlowDown, createdAt: before.createdAt,
                                          version: before.version + 1, on: s)
        let updated = try await s.update("flow_down_requirements").set(model: r, with: Self.snake).where("id", .equal, id)
            .where("customer_id", .equal, organizationID).where("version", .equal, before.version).returning("id").all()
        if updated.isEmpty { throw VersionConflict(current: before.version) }
        try await RollupStore(db).refresh(supplier: before.supplierId, at: today, consentChanged: false, on: s)
        try await record(s, actor, .requirementUpdated, "requirement/\(id)", before: before, after: r)
        return r
    }

    public func deleteRequirement(id: String, ifVersion: Int? = nil, by actor: Actor, today: Day, on s: any SQLDatabase) async throws {
        try await lock(s)
        guard let before = try await requirementQuery(s).where("id", .equal, id).first()?
            .decode(model: FlowDownRequirementRecord.self, with: Self.fromSnake)
        else { throw NotFound(what: "requirement \(id)") }
        if let ifVersion, ifVersion != before.version { throw VersionConflict(current: before.version) }
        try await s.delete(from: "flow_down_requirements").where("customer_id", .equal, organizationID)
            .where("id", .equal, id).run()
        try await RollupStore(db).refresh(supplier: before.supplierId, at: today, consentChanged: false, on: s)
        try await record(s, actor, .requirementDeleted, "requirement/\(id)", before: before, after: nil)
    }
}

/// One organization as the operator's listing shows it: identifiers and how many suppliers and customers it has.
public struct OrganizationSummary: Sendable, Hashable {
    public let id: String
    public let name: String
    public let cageCodes: [String]
    public let uei: String?
    public let corporateNumber: String?
    public let suppliers: Int
    public let customers: Int
}

/// Every organization in the database, for the operator on the command line (`tekigo org list`, and naming an
/// organization by id or name). Not scoped to a tenant: nothing here reaches an HTTP caller.
public struct SupplyChainDirectory: Sendable {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) { self.db = db }

    /// Organizations with exactly this id (none or one), as id and name.
    public func organizations(id: String) async throws -> [(id: String, name: String)] {
        guard storableID(id) else { return [] }
        return try await names(db.sql.select().columns("id", "name").from("organizations").where("id", .equal, id))
    }

    /// Organizations with exactly this name, as id and name.
    public func organizations(named name: String) async throws -> [(id: String, name: String)] {
        guard storableID(name) else { return [] }
        return try await names(db.sql.select().columns("id", "name").from("organizations").where("name", .equal, name))
    }

    /// Every organization, as id and name.
    public func allNames() async throws -> [(id: String, name: String)] {
        try await names(db.sql.select().columns("id", "name").from("organizations"))
    }

    func names(_ q: SQLSelectBuilder) async throws -> [(id: String, name: String)] {
        try await q.all().map { (id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    /// Every organization with its link counts, by name then id (compared as bytes, so both engines agree).
    public func summaries() async throws -> [OrganizationSummary] {
        func counts(_ column: String) async throws -> [String: Int] {
            var out: [String: Int] = [:]
            for r in try await db.sql.raw("SELECT \(ident: column) AS id, COUNT(*) AS n FROM supplier_links GROUP BY \(ident: column)").all() {
                out[try r.decode(column: "id", as: String.self)] = try r.decode(column: "n", as: Int.self)
            }
            return out
        }
        let suppliers = try await counts("customer_id"), customers = try await counts("supplier_id")
        let rows = try await db.sql.select().columns("id", "name", "cage_codes", "uei", "corporate_number").from("organizations").all()
        return try rows.map { r in
            let id = try r.decode(column: "id", as: String.self)
            let cage = try r.decode(column: "cage_codes", as: String.self)
            return OrganizationSummary(
                id: id, name: try r.decode(column: "name", as: String.self),
                cageCodes: (try? JSONDecoder().decode([String].self, from: Data(cage.utf8))) ?? [],
                uei: try r.decodeNil(column: "uei") ? nil : try r.decode(column: "uei", as: String.self),
                corporateNumber: try r.decodeNil(column: "corporate_number") ? nil : try r.decode(column: "corporate_number", as: String.self),
                suppliers: suppliers[id] ?? 0, customers: customers[id] ?? 0)
        }
        .sorted { ($0.name.utf8.lexicographicallyPrecedes($1.name.utf8)) || ($0.name == $1.name && $0.id < $1.id) }
    }
}
