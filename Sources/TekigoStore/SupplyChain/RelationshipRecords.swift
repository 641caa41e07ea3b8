import Foundation
import SQLKit
import TekigoCore

// Rows of the supply-chain relationship tables (migration 3), read and written through SQLKit with snake_case
// column names like the server records (Records.swift): booleans as 0/1, times as ISO 8601 text, days as
// `YYYY-MM-DD`, lists as JSON array text.

/// A customer's invitation to one supplier. Only the SHA-256 (hex) of the token is stored; the token itself is
/// shown once, to the customer who creates it.
public struct SupplierInvitationRecord: Codable, Sendable, Hashable {
    /// SHA-256 hex of the token: also the invitation's id (for listing and revoking).
    public var tokenHash: String
    public var customerId: String
    public var note: String
    /// The user who created it.
    public var createdBy: String
    public var createdAt: String
    public var expiresAt: String
    public var acceptedAt: String?
    /// The supplier that accepted it.
    public var acceptedByOrg: String?
    /// The e-mail address of the person at the supplier it was made for, when the customer gave one.
    public var contactEmail: String? = nil

    public var isAccepted: Bool { acceptedAt != nil }

    /// Whether it has expired at `now` (expires_at is ISO 8601 UTC text, so text order is time order).
    public func isExpired(at now: Date) -> Bool { expiresAt <= Timestamp.string(now) }
}

/// One row of `supplier_links`: `customerId` buys from `supplierId`.
public struct SupplierLinkRecord: Codable, Sendable, Hashable {
    public var customerId: String
    public var supplierId: String
    public var createdAt: String

    public var edge: SupplyEdge { SupplyEdge(customer: customerId, supplier: supplierId) }
}

/// The other end of one of the acting organization's links: a supplier (in `suppliers()`) or a customer (in
/// `customers()`), with its name and when the link was made.
public struct LinkedOrganization: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let linkedAt: String
}

/// A contract on a link, as stored. `contract()` reads it back through `Contract`'s checks.
public struct ContractRecord: Codable, Sendable, Hashable {
    public var id: String
    public var customerId: String
    public var supplierId: String
    public var number: String
    /// `ProtectedInformationDesignation` raw value (`cui`, `protected-information`, `both`).
    public var designation: String
    /// JSON array of `ContractClause` raw values, sorted.
    public var clauses: String
    public var cmmcLevel: Int?
    public var createdAt: String
    public var version: Int

    init(id: String, customerId: String, supplierId: String, contract: Contract, createdAt: String, version: Int) {
        self.id = id
        self.customerId = customerId
        self.supplierId = supplierId
        self.number = contract.number
        self.designation = contract.designation.rawValue
        self.clauses = JSONText.encode(contract.clauses.sorted().map(\.rawValue))
        self.cmmcLevel = contract.cmmcLevel
        self.createdAt = createdAt
        self.version = version
    }

    public var clauseList: [String] { JSONText.decode([String].self, clauses) ?? [] }

    /// The contract as the domain sees it; a row that no longer passes `Contract`'s checks is reported, not hidden.
    public func contract() throws -> Contract {
        guard let designation = ProtectedInformationDesignation(rawValue: designation) else {
            throw RelationshipError.corruptRow("contract/\(id): designation '\(self.designation)'")
        }
        guard let raw = JSONText.decode([String].self, clauses) else {
            throw RelationshipError.corruptRow("contract/\(id): clauses '\(clauses)'")
        }
        var set: Set<ContractClause> = []
        for r in raw {
            guard let c = ContractClause(rawValue: r) else { throw RelationshipError.corruptRow("contract/\(id): clause '\(r)'") }
            set.insert(c)
        }
        return try Contract(number: number, designation: designation, clauses: set, cmmcLevel: cmmcLevel)
    }
}

/// A flow-down requirement as stored. `minimum` is `FlowDownRequirement.Minimum.storedText`.
public struct FlowDownRequirementRecord: Codable, Sendable, Hashable {
    public var id: String
    public var customerId: String
    public var supplierId: String
    public var contractId: String?
    public var catalog: String
    public var minimum: String
    /// `YYYY-MM-DD`.
    public var dueOn: String
    public var mustFlowDown: Int
    public var createdAt: String
    public var version: Int

    public var edge: SupplyEdge { SupplyEdge(customer: customerId, supplier: supplierId) }

    /// The requirement as the domain sees it (`contractNumber`: the number of `contractId`'s contract).
    public func requirement(contractNumber: String?) throws -> FlowDownRequirement {
        guard let m = FlowDownRequirement.Minimum(storedText: minimum) else {
            throw RelationshipError.corruptRow("requirement/\(id): minimum '\(minimum)'")
        }
        guard let due = Day(dueOn) else { throw RelationshipError.corruptRow("requirement/\(id): due date '\(dueOn)'") }
        return try FlowDownRequirement(edge: edge, contract: contractNumber, catalog: CatalogID(catalog), minimum: m, due: due,
                                       mustFlowDown: mustFlowDown != 0)
    }
}

/// A flow-down requirement with the names around it: who requires it, of whom, and under which contract.
public struct RequirementListing: Sendable, Hashable {
    public let record: FlowDownRequirementRecord
    public let customerName: String
    public let supplierName: String
    /// The number of the contract it is tied to, if any.
    public let contractNumber: String?

    /// The requirement as the domain sees it.
    public func requirement() throws -> FlowDownRequirement { try record.requirement(contractNumber: contractNumber) }
}

extension FlowDownRequirement.Minimum {
    /// The stable text stored in `flow_down_requirements.minimum`: `sprs>=88` (any score −203…110, written as
    /// Swift writes the integer), `all-met`, `cmmc-l2`. `init(storedText:)` reads exactly these back.
    public var storedText: String {
        switch self {
        case .sprsAtLeast(let n): return "sprs>=\(n)"
        case .allMet: return "all-met"
        case .cmmcLevel2: return "cmmc-l2"
        }
    }

    /// Reads `storedText`; nil for anything else (only the canonical spelling is accepted, so text and value map
    /// one to one).
    public init?(storedText text: String) {
        switch text {
        case "all-met": self = .allMet
        case "cmmc-l2": self = .cmmcLevel2
        default:
            guard text.hasPrefix("sprs>="), let n = Int(text.dropFirst(6)), "sprs>=\(n)" == text else { return nil }
            self = .sprsAtLeast(n)
        }
    }
}

/// What the relationship store refuses, each with what to do about it.
public enum RelationshipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No invitation has this token (mistyped, cut short, or revoked).
    case unknownInvitation
    /// The invitation expired at this time (ISO 8601 UTC).
    case invitationExpired(at: String)
    /// The invitation was accepted already, at this time; `byYou` when the acting organization accepted it.
    case invitationUsed(at: String, byYou: Bool)
    /// The organization tried to accept its own invitation.
    case ownInvitation
    /// The acting organization already supplies this customer (named).
    case alreadyLinked(customer: String)
    /// Accepting would close a cycle; the path as names (organizations the acting one may not see are shown as
    /// `RelationshipStore.hiddenOrganization`), starting and ending at the customer.
    case wouldCloseCycle(path: [String])
    /// The acting organization has no such supplier.
    case notLinked(supplier: String)
    /// The link already has a contract with this number.
    case duplicateContractNumber(String)
    /// The contract named for a requirement is not on the same link.
    case contractNotOnLink(contract: String)
    case invalidLifetime(TimeInterval)
    case noteTooLong(Int)
    /// A stored row no longer reads back as a valid domain value.
    case corruptRow(String)

    public var description: String {
        switch self {
        case .unknownInvitation:
            return "no invitation matches this token: check that it was copied whole (43 characters), "
                + "or ask the customer for a new invitation (a revoked invitation no longer exists)."
        case .invitationExpired(let at):
            return "this invitation expired at \(at); invitations are valid for a limited time. "
                + "Ask the customer for a new invitation."
        case .invitationUsed(let at, let byYou):
            return byYou
                ? "this invitation was already accepted by your organization at \(at); the link exists, nothing more to do."
                : "this invitation was already used at \(at); each invitation links one supplier once. "
                    + "Ask the customer for a new invitation."
        case .ownInvitation:
            return "this invitation was created by your own organization; an organization cannot be its own supplier. "
                + "Send the token to the supplier, who accepts it while signed in to its own organization."
        case .alreadyLinked(let customer):
            return "your organization is already a supplier of \(customer); the invitation was not used. "
                + "Ask \(customer) to revoke it."
        case .wouldCloseCycle(let path):
            return "accepting would close a cycle in the supply chain: \(path.joined(separator: " → ")). "
                + "A supply chain runs one way; check which side is the customer, or have one of these links removed."
        case .notLinked(let s):
            return "organization '\(s)' is not one of your suppliers; invite it first and have it accept."
        case .duplicateContractNumber(let n):
            return "this supplier already has a contract numbered '\(n)'; update that contract instead of adding it again."
        case .contractNotOnLink(let c):
            return "contract '\(c)' is not one of your contracts with this supplier; tie the requirement to a contract "
                + "on the same link, or to none."
        case .invalidLifetime(let t):
            return "an invitation lifetime of \(Int(t)) seconds is not allowed; give between 1 minute and 30 days."
        case .noteTooLong(let n):
            return "the invitation note has \(n) characters; keep it to \(RelationshipStore.maxNoteLength)."
        case .corruptRow(let what):
            return "stored supply-chain data cannot be read back (\(what)); restore it from a backup or re-enter it."
        }
    }
}
