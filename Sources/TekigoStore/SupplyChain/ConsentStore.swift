import Foundation
import SQLKit
import TekigoCore

/// One consent grant as stored (a row of `consent_grants`).
public struct ConsentRecord: Codable, Sendable, Hashable {
    public var supplierId: String
    public var viewerId: String
    /// 1 when the viewer may pass the supplier's details on to whoever may see the viewer's.
    public var onward: Int
    public var grantedAt: String
    /// The user (or token) that granted it.
    public var grantedBy: String

    public var grant: ConsentGrant { ConsentGrant(supplier: supplierId, viewer: viewerId, onward: onward != 0) }
}

public enum ConsentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An organization always sees itself; it cannot grant itself.
    case selfGrant
    /// No organization has this id.
    case unknownOrganization(String)
    /// The viewer is not upstream of the supplier (a customer, a customer's customer, … in `supplier_links`).
    case notUpstream(viewer: String)
    /// There is no grant to this viewer to revoke.
    case notGranted(viewer: String)

    public var description: String {
        switch self {
        case .selfGrant:
            return "an organization always sees its own attestation; choose one of your customers (or theirs) to share with."
        case .unknownOrganization(let id):
            return "no organization has the id '\(id)'; check the id of the customer you want to share with."
        case .notUpstream(let v):
            return "organization '\(v)' is not one of your customers, nor a customer further up your supply chain; "
                + "consent can only be given to organizations above you in the supply chain. Accept their invitation "
                + "(or your customer's) first."
        case .notGranted(let v):
            return "you have not given consent to organization '\(v)'; there is nothing to revoke."
        }
    }
}

/// Consent given by the organization (acting organization = the supplier) to organizations upstream of it to see its
/// identity and attestation (`DetailVisibility`). Granting and revoking are audited (`consent.granted`,
/// `consent.changed`, `consent.revoked`) and refresh every roll-up above the supplier in the caller's transaction
/// (`on:`, opened by the use-case layer), so a revocation hides the supplier from the viewer the moment it commits.
public struct ConsentStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let audit: AuditLog

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
        self.audit = AuditLog(db)
    }

    /// Lets `viewer` (an organization upstream of this one) see this organization's identity and attestation; with
    /// `onward`, also lets it pass them on to whoever may see the viewer's. Granting again changes `onward`.
    @discardableResult
    public func grant(viewer: String, onward: Bool = false, by actor: Actor, at date: Day, on s: any SQLDatabase) async throws -> ConsentRecord {
        guard viewer != organizationID else { throw ConsentError.selfGrant }
        guard storableID(viewer) else { throw ConsentError.unknownOrganization(viewer) }
        try await SupplyChainLocks.organization(organizationID, on: s)
        guard try await s.select().column("id").from("organizations").where("id", .equal, viewer).first() != nil else {
            throw ConsentError.unknownOrganization(viewer)
        }
        guard try await ChainReads.ancestors(of: organizationID, on: s).contains(viewer) else {
            throw ConsentError.notUpstream(viewer: viewer)
        }
        let before = try await grant(to: viewer, on: s)
        let record = ConsentRecord(supplierId: organizationID, viewerId: viewer, onward: onward ? 1 : 0,
                                   grantedAt: Timestamp.now(), grantedBy: actor.id)
        if before == nil {
            try await s.insert(into: "consent_grants").model(record, with: SnakeCaseColumns.encoder).run()
        } else {
            try await s.update("consent_grants").set(model: record, with: SnakeCaseColumns.encoder)
                .where("supplier_id", .equal, organizationID).where("viewer_id", .equal, viewer).run()
        }
        try await RollupStore(db).refresh(supplier: organizationID, at: date, on: s)
        _ = try await audit.append(supplyChainEvent(actor, organizationID, before == nil ? .consentGranted : .consentChanged,
                                                    "consent/\(viewer)", before: before, after: record), on: s)
        return record
    }

    /// Withdraws consent from `viewer`: the row is deleted, and the viewer (and anyone who saw this organization only
    /// through it) loses access when the transaction commits.
    public func revoke(viewer: String, by actor: Actor, at date: Day, on s: any SQLDatabase) async throws {
        guard storableID(viewer) else { throw ConsentError.notGranted(viewer: viewer) }
        try await SupplyChainLocks.organization(organizationID, on: s)
        guard let before = try await grant(to: viewer, on: s) else { throw ConsentError.notGranted(viewer: viewer) }
        try await s.delete(from: "consent_grants").where("supplier_id", .equal, organizationID)
            .where("viewer_id", .equal, viewer).run()
        try await RollupStore(db).refresh(supplier: organizationID, at: date, on: s)
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .consentRevoked, "consent/\(viewer)",
                                                    before: before, after: nil), on: s)
    }

    /// The grants this organization has given, by viewer id.
    public func grants() async throws -> [ConsentRecord] {
        try await db.sql.select().columns("*").from("consent_grants").where("supplier_id", .equal, organizationID)
            .orderBy("viewer_id").all().map { try $0.decode(model: ConsentRecord.self, with: SnakeCaseColumns.decoder) }
    }

    /// The grants this organization has received (it is the viewer), by supplier id.
    public func received() async throws -> [ConsentRecord] {
        try await db.sql.select().columns("*").from("consent_grants").where("viewer_id", .equal, organizationID)
            .orderBy("supplier_id").all().map { try $0.decode(model: ConsentRecord.self, with: SnakeCaseColumns.decoder) }
    }

    func grant(to viewer: String, on s: any SQLDatabase) async throws -> ConsentRecord? {
        try await s.select().columns("*").from("consent_grants").where("supplier_id", .equal, organizationID)
            .where("viewer_id", .equal, viewer).first()?.decode(model: ConsentRecord.self, with: SnakeCaseColumns.decoder)
    }
}
