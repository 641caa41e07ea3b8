import Foundation

// Typed page models of the customer's side of the supply chain (`SupplyChainPages`).

/// "1–100 / 5,321" and the links to the neighbouring pages (the filter kept).
struct SupplyPager: Encodable, Sendable {
    let text: String
    let previousURL: String?
    let nextURL: String?
}

/// A checkbox of a group (a contract's clauses).
struct SupplyCheck: Encodable, Sendable {
    let value: String
    let label: String
    let checked: Bool
}

/// A supplier in a roll-up list (the roll-up's table, needs action): named only when the prime may see it.
struct SupplyMemberRow: Encodable, Sendable {
    let name: String
    let url: String
    let tier: String
    let status: String
    /// The `SupplierStatusKind` raw value (a class for the status's colour).
    let statusID: String
    let overdue: Bool
    let score: String?
}

/// The contract form (new on the supplier's page, or editing one at `version`).
struct SupplyContractForm: Encodable, Sendable {
    let action: String
    let number: String
    let designations: [SelectOption]
    let clauses: [SupplyCheck]
    let cmmcLevels: [SelectOption]
    let version: Int?
    /// Errors by field (`{{errors.number}}`).
    let errors: [String: String]
    let hasErrors: Bool
}

/// The flow-down requirement form (new on the supplier's page, or editing one at `version`).
struct SupplyRequirementForm: Encodable, Sendable {
    let action: String
    let contracts: [SelectOption]
    let catalogs: [SelectOption]
    /// The minimum's kind: SPRS ≥ N, all requirements met, CMMC Level 2.
    let kinds: [SelectOption]
    let sprs: String
    let due: String
    let flowDown: Bool
    let version: Int?
    let errors: [String: String]
    let hasErrors: Bool
    /// Whether the SPRS score field is shown (issue 17 item 3: the US regime applies, or the minimum is an SPRS one).
    var sprsShown = true
}

/// `supply-suppliers`: the organization's direct suppliers (a page of them) with their status as far as it may see
/// it, the invitation form, the link just created (shown once) and the open invitations.
struct SuppliersPage: PageModel {
    struct Row: Encodable, Sendable {
        let name: String
        let url: String
        let detailURL: String
        let linked: String
        let status: String
        let statusID: String
        let overdue: Bool
        let score: String?
    }
    struct Created: Encodable, Sendable {
        let link: String
        let expires: String
    }
    struct Invitation: Encodable, Sendable {
        let contact: String
        let note: String
        let created: String
        let expires: String
        let revokeURL: String
    }
    let suppliers: [Row]
    let hasSuppliers: Bool
    let pager: SupplyPager?
    let canManage: Bool
    let action: String
    let email: String
    let note: String
    let days: String
    let errors: [String: String]
    let hasErrors: Bool
    let created: Created?
    let invitations: [Invitation]
    let hasInvitations: Bool
    let supplyChainURL: String
}

/// `supply-remove`: the confirm step before a supplier link ends.
struct SupplierRemovalPage: PageModel {
    let name: String
    let action: String
    let supplierURL: String
    let consequence: String
}

/// `supply-supplier`: one direct supplier's contracts and flow-down requirements (with its standing against each),
/// and the forms for new ones.
struct SupplierPage: PageModel {
    struct Contract: Encodable, Sendable {
        let number: String
        let designation: String
        let clauses: String
        let cmmcLevel: String?
        let editURL: String
        let deleteURL: String
        let version: Int
    }
    struct Requirement: Encodable, Sendable {
        let catalog: String
        let minimum: String
        let due: String
        let flowDown: Bool
        let contract: String?
        let status: String
        let statusID: String
        let overdue: Bool
        let editURL: String
        let deleteURL: String
        let version: Int
    }
    let name: String
    let suppliersURL: String
    let detailURL: String
    let removeURL: String
    let contracts: [Contract]
    let hasContracts: Bool
    let requirements: [Requirement]
    let hasRequirements: Bool
    let canManage: Bool
    let contractForm: SupplyContractForm
    let requirementForm: SupplyRequirementForm
}

/// `supply-contract`: editing one contract.
struct SupplierContractPage: PageModel {
    let name: String
    let number: String
    let supplierURL: String
    let form: SupplyContractForm
}

/// `supply-requirement`: editing one flow-down requirement.
struct SupplierRequirementPage: PageModel {
    let name: String
    let supplierURL: String
    let form: SupplyRequirementForm
}

/// `supply-chain`: the roll-up of the organization's tree.
struct SupplyChainPage: PageModel {
    struct Count: Encodable, Sendable {
        let count: String
        let url: String
    }
    struct TierRow: Encodable, Sendable {
        let label: String
        let suppliers: String
        let url: String
        /// One per status, in `statusHeaders` order, each linking to the suppliers it counts.
        let counts: [Count]
        let overdue: String
        let needingAction: String
        let hidden: String
    }
    struct DistributionRow: Encodable, Sendable {
        let label: String
        let values: [String]
    }
    struct FamilyRow: Encodable, Sendable {
        let label: String
        let count: String
    }
    struct ExportLink: Encodable, Sendable {
        let label: String
        let url: String
    }
    let asOf: String
    let summary: String
    let hasSuppliers: Bool
    let statusHeaders: [String]
    let tiers: [TierRow]
    let total: TierRow
    let distributionSVG: String
    let bucketHeaders: [String]
    let distribution: [DistributionRow]
    let familiesSVG: String?
    let families: [FamilyRow]
    let hasFamilies: Bool
    let filterURL: String
    let tierOptions: [SelectOption]
    let statusOptions: [SelectOption]
    let members: [SupplyMemberRow]
    let hasMembers: Bool
    let hiddenText: String?
    let pager: SupplyPager?
    let needsActionURL: String
    let suppliersURL: String
    let remindersURL: String
    let exports: [ExportLink]
}

/// `supply-needs-action`: a page of the suppliers needing action that the prime may see; the others counted.
struct SupplyNeedsActionPage: PageModel {
    let entries: [SupplyMemberRow]
    let hasEntries: Bool
    let hiddenText: String?
    let pager: SupplyPager?
    let supplyChainURL: String
    let exportURL: String
}

/// `supply-detail`: a supplier as the organization may see it — the shared attestation (every family, or counts
/// only), or only what the organization set itself — and why.
struct SupplyDetailPage: PageModel {
    struct Family: Encodable, Sendable {
        let label: String
        let met: Int
        let notMet: Int
        let notApplicable: Int
        let notAssessed: Int
    }
    struct Attestation: Encodable, Sendable {
        let issued: String
        let expires: String
        let assessed: String
        let scope: String
        let catalog: String
        let kind: String
        let score: String?
        let cmmc: String?
        let met: Int
        let notMet: Int
        let notApplicable: Int
        let notAssessed: Int
        let families: [Family]
        let hasFamilies: Bool
        let fileURL: String
    }
    let name: String
    let tier: String?
    let status: String?
    let statusID: String?
    let overdue: Bool
    let supplierURL: String?
    let supplyChainURL: String
    var attestation: Attestation?
    /// Why less than the whole attestation is shown (summary only, or nothing shared).
    var reason: String?
    /// Without a shared attestation: the requirements the organization set and how many are unmet or overdue.
    var counts: String?
}
