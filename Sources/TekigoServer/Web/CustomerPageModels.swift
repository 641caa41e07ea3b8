import Foundation

// Typed models of the supplier's pages (`CustomerPages`): a customer's invitation, the customers page, the
// attestations page and the preview before signing.

/// `customer-invitation`: a customer's invitation to become its supplier — the offer with the ways to accept it, or
/// `problem` when the link cannot be used (unknown, used, expired).
struct SupplierInvitationPage: PageModel {
    struct Offer: Encodable, Sendable {
        let action: String
        let token: String
        let customer: String
        let expires: String
        let note: String?
        /// Signed in: the organizations the person may accept for (owner or admin), and the new-organization form.
        let signedIn: Bool
        let organizations: [SelectOption]
        let hasOrganizations: Bool
        /// Not signed in: sign in first, or create the account and its organization here.
        let loginURL: String
        let email: String
        let displayName: String
        let organizationName: String
        let passwordLabel: String
        /// The form's errors by field (`{{errors.email}}`), `form` for the whole form.
        let errors: [String: String]
        let hasErrors: Bool
    }
    let offer: Offer?
    /// Why the link cannot be used, in the viewer's language.
    let problem: String?
}

/// `customer-list`: the organization's customers, what each requires (due dates, standing today) and the consent
/// it gave each.
struct CustomersPage: PageModel {
    struct Requirement: Encodable, Sendable {
        let customer: String
        let minimum: String
        let catalog: String
        let due: String
        let status: String
        let statusKey: String
        let overdue: Bool
        let shortfalls: [String]
        let mustFlowDown: Bool
    }
    struct Customer: Encodable, Sendable {
        let name: String
        let linked: String
        /// What the customer sees, in words (shared directly, shared with onward passing, through another's
        /// onward consent, or not shared).
        let consent: String
        let shared: Bool
        let granted: Bool
        let onward: Bool
        let grantURL: String
        let withdrawURL: String
        /// The row's buttons named with the customer, for screen readers (`aria-label`).
        let grantLabel: String
        let withdrawLabel: String
        let unmet: Int
        let overdue: Int
    }
    struct OtherGrant: Encodable, Sendable {
        let viewer: String
        let onward: Bool
        let withdrawURL: String
    }
    let customers: [Customer]
    let hasCustomers: Bool
    let requirements: [Requirement]
    let hasRequirements: Bool
    let summary: String
    let otherGrants: [OtherGrant]
    let hasOtherGrants: Bool
    let canManageConsent: Bool
    let attestationsURL: String
    let error: String?
}

/// `customer-attestations`: the organization's signed attestations with their validity, its signing keys, and the
/// form that leads to the preview.
struct AttestationsPage: PageModel {
    struct Attestation: Encodable, Sendable {
        let issued: String
        let expires: String
        let score: String
        let scope: String
        let detail: String
        let validity: String
        let validityKey: String
        let fileURL: String
    }
    struct Key: Encodable, Sendable {
        let keyID: String
        let publicKey: String
        let created: String
        let retired: String?
    }
    let attestations: [Attestation]
    let hasAttestations: Bool
    let keys: [Key]
    let hasKeys: Bool
    let keysURL: String
    let canIssue: Bool
    let previewAction: String
    let assessments: [SelectOption]
    let hasAssessments: Bool
    let details: [SelectOption]
    let systemScope: String
    let customersURL: String
    let error: String?
}

/// `customer-preview`: exactly what signing would put in the attestation, and what each customer will see of it,
/// with the confirm form (no JavaScript).
struct AttestationPreviewPage: PageModel {
    struct Fact: Encodable, Sendable {
        let label: String
        let value: String
    }
    struct FamilyRow: Encodable, Sendable {
        let family: String
        let met: Int
        let notMet: Int
        let notApplicable: Int
        let notAssessed: Int
    }
    struct Requirement: Encodable, Sendable {
        let minimum: String
        let due: String
        let status: String
        let statusKey: String
        let overdue: Bool
    }
    struct Customer: Encodable, Sendable {
        let name: String
        let sees: Bool
        let why: String
        let requirements: [Requirement]
        let hasRequirements: Bool
    }
    let facts: [Fact]
    /// The payload's canonical JSON, the very bytes the signature will cover (with the preview's id and time).
    let signedJSON: String
    let families: [FamilyRow]
    let hasFamilies: Bool
    let customers: [Customer]
    let hasCustomers: Bool
    let action: String
    let assessment: String
    let detail: String
    let systemScope: String
    let backURL: String
}
