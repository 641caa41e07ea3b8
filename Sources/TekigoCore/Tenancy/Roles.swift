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
}
