import TekigoCore

/// Why a supply-chain operation (invitations and links, contracts, flow-down requirements, attestations, consent, the
/// roll-up) was refused before it reached the store; each case says what was wrong, in which field, and what to do.
/// What the store itself refuses keeps its own errors (`RelationshipError`, `ConsentError`, `SupplyChainError`,
/// `SigningKeyError`, `NotFound`, `VersionConflict`).
public enum SupplyChainRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An invitation's lifetime in days outside 1…30.
    case invitationLifetime(days: Int)
    /// A contract's designation that is not a `ProtectedInformationDesignation`.
    case unknownDesignation(String)
    /// A contract clause (at this index of the list) that is not a `ContractClause`.
    case unknownClause(index: Int, clause: String)
    /// A requirement's minimum not written `sprs>=N`, `all-met` or `cmmc-l2`.
    case badMinimum(String)
    /// A requirement's due date that is not `YYYY-MM-DD`.
    case badDueDate(String)
    /// A requirement's catalog that the library does not hold.
    case unknownCatalog(String)
    /// A new requirement without the supplier it applies to.
    case supplierRequired
    /// An update that names another supplier than the requirement's.
    case supplierFixed
    /// An attestation's detail level that is not a `DetailLevel`.
    case badDetail(String)
    /// An attestation's system scope given but blank.
    case emptySystemScope
    /// The assessment to attest is not one of the organization's.
    case unknownAssessment(String)
    /// The customer of a link just made was not found (it was removed meanwhile).
    case customerNotFound(String)
    /// The organization has no such supplier.
    case supplierNotFound(String)
    /// The organization has set no such requirement.
    case requirementNotFound(String)
    /// The organization has issued no attestation yet.
    case noCurrentAttestation
    /// The organization has no attestation with this id.
    case attestationNotFound(String)
    /// The supplier's attestation is not shared with the organization (no consent, no attestation, or no such
    /// supplier: the answer is the same for all three).
    case sharedAttestationNotFound(supplier: String)
    /// The roll-up could not be read back after it was built.
    case rollupMissing

    /// For the refusals that name something not found: what it is ("Supplier X"), as the API's not-found error says it.
    public var missing: String? {
        switch self {
        case .customerNotFound(let id): return "Customer \(id)"
        case .supplierNotFound(let id): return "Supplier \(id)"
        case .requirementNotFound(let id): return "Requirement \(id)"
        case .noCurrentAttestation: return "A current attestation of this organization (issue one with POST …/attestations)"
        case .attestationNotFound(let id): return "Attestation \(id)"
        case .sharedAttestationNotFound(let s): return "A shared attestation of organization \(s)"
        case .rollupMissing: return "The roll-up"
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .invitationLifetime: return "expiresInDays must be 1–30 (default 7)."
        case .unknownDesignation:
            return "designation must be one of " + ProtectedInformationDesignation.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .unknownClause(_, let c):
            return "Unknown clause '\(c)'. Known: " + ContractClause.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .badMinimum: return "minimum must be 'sprs>=N' (N from -203 to 110), 'all-met' or 'cmmc-l2'."
        case .badDueDate: return "dueOn must be a date, YYYY-MM-DD."
        case .unknownCatalog(let id):
            return "Unknown catalog '\(id)'; use sp800-171r2 or another catalog id from `tekigo catalog list`."
        case .supplierRequired: return "supplierId is required: the supplier the requirement applies to."
        case .supplierFixed: return "A requirement's supplier cannot change; create a new requirement."
        case .badDetail: return "detail must be one of \(DetailLevel.allCases.map(\.rawValue).joined(separator: ", "))."
        case .emptySystemScope: return "systemScope may not be empty; leave it out to use the system's name."
        case .unknownAssessment(let id): return "No assessment \(id) in this organization."
        default: return "\(missing ?? "It") was not found."
        }
    }

    /// The input field the refusal is about, if one.
    public var field: String? {
        switch self {
        case .invitationLifetime: return "expiresInDays"
        case .unknownDesignation: return "designation"
        case .unknownClause(let i, _): return "clauses[\(i)]"
        case .badMinimum: return "minimum"
        case .badDueDate: return "dueOn"
        case .unknownCatalog: return "catalog"
        case .supplierRequired, .supplierFixed: return "supplierId"
        case .badDetail: return "detail"
        case .emptySystemScope: return "systemScope"
        case .unknownAssessment: return "assessmentId"
        default: return nil
        }
    }
}
