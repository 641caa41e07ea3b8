/// A user's role in one organization (tenant). Least privilege (SP 800-171 3.1.5): each role gets only what its
/// job needs, and the matrix below is the single place that says what that is.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case owner
    case admin
    case assessor
    case contributor
    case viewer
    /// An external auditor: reads everything including the audit log, changes nothing.
    case auditor

    public static func < (a: Role, b: Role) -> Bool {
        let order: [Role] = [.viewer, .auditor, .contributor, .assessor, .admin, .owner]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }

    public var label: LocalizedText {
        switch self {
        case .owner: return LocalizedText(en: "Owner", ja: "所有者")
        case .admin: return LocalizedText(en: "Administrator", ja: "管理者")
        case .assessor: return LocalizedText(en: "Assessor", ja: "評価者")
        case .contributor: return LocalizedText(en: "Contributor", ja: "回答者")
        case .viewer: return LocalizedText(en: "Viewer", ja: "閲覧者")
        case .auditor: return LocalizedText(en: "External auditor (read-only)", ja: "外部監査人（閲覧のみ）")
        }
    }

    /// What this role may do in its organization.
    public func allows(_ action: TenantAction) -> Bool {
        switch action {
        case .read, .export: return true
        case .readAudit: return self == .owner || self == .admin || self == .auditor
        case .editFindings, .uploadEvidence: return [.owner, .admin, .assessor, .contributor].contains(self)
        case .manageAssessments, .manageSystems, .deleteEvidence: return [.owner, .admin, .assessor].contains(self)
        case .manageOrganization, .manageMembers, .manageTokens: return self == .owner || self == .admin
        // Speaking for the company to its customers: linking suppliers, setting what they must meet, signing
        // attestations and deciding who may see them.
        case .manageSuppliers, .issueAttestations, .manageConsent: return self == .owner || self == .admin
        // Incident details are need-to-know: by role only owners and administrators; everyone else through an
        // incident-team grant (`allowsIncidents(_:granted:)`).
        case .readIncidents, .manageIncidents: return self == .owner || self == .admin
        }
    }

    /// The need-to-know rule for cyber incidents (issue 13: "a role or grant decides who reads them"):
    /// - owners and administrators read and manage every incident of their organization by role;
    /// - any other member only with a grant on the organization's incident team (`incident_team`): with it, an
    ///   assessor or contributor reads and manages; a viewer or an external auditor reads and never manages;
    /// - without a grant, nothing beyond the fact that the incident area exists.
    /// Granting and revoking team places, and the organization's hour settings, are for owners and administrators.
    public func allowsIncidents(_ action: TenantAction, granted: Bool) -> Bool {
        if allows(action) { return true }
        guard granted else { return false }
        switch action {
        case .readIncidents: return true
        case .manageIncidents: return ![.viewer, .auditor].contains(self)
        default: return false
        }
    }

    /// Roles that must use multifactor authentication to act. SP 800-171 3.5.3 asks for it for network access to
    /// privileged accounts *and* to non-privileged ones; every use of the server is network access, so every role.
    public var requiresMFA: Bool { true }
}

/// Everything the API lets a member do inside an organization.
public enum TenantAction: String, Sendable, CaseIterable {
    case read
    case export
    case readAudit
    case editFindings
    case uploadEvidence
    case manageAssessments
    case manageSystems
    case deleteEvidence
    case manageOrganization
    case manageMembers
    case manageTokens
    /// Invite suppliers, accept a customer's invitation, set contracts and flow-down requirements.
    case manageSuppliers
    /// Sign an attestation from an assessment, rotate the organization's signing key.
    case issueAttestations
    /// Grant or revoke customers' sight of the organization's attestation.
    case manageConsent
    /// Read an incident's details (need-to-know): owners and administrators by role, other members with an
    /// incident-team grant (`Role.allowsIncidents(_:granted:)`).
    case readIncidents
    /// Record and change incidents (open, phase, timeline, submissions): owners and administrators by role, assessors
    /// and contributors with an incident-team grant; never viewers or auditors.
    case manageIncidents
}
