import Testing
@testable import TekigoCore

/// The role matrix written out as a table, independently of `Role.allows` (SP 800-171 3.1.5, least privilege):
/// a change to what a role may do must change this table too.
@Suite("Roles: least privilege")
struct RoleTests {
    static let expected: [Role: Set<TenantAction>] = [
        .owner: Set(TenantAction.allCases),
        .admin: Set(TenantAction.allCases),
        .assessor: [.read, .export, .editFindings, .uploadEvidence, .manageAssessments, .manageSystems, .deleteEvidence],
        .contributor: [.read, .export, .editFindings, .uploadEvidence],
        .viewer: [.read, .export],
        .auditor: [.read, .export, .readAudit],
    ]

    @Test("Each role may do exactly what the table says", arguments: Role.allCases)
    func matrix(_ role: Role) {
        let allowed = Set(TenantAction.allCases.filter(role.allows))
        #expect(allowed == Self.expected[role])
    }

    @Test("Speaking for the company to customers (suppliers, attestations, consent) is for owners and administrators, who must use MFA (3.5.3)")
    func supplyChainActionsArePrivileged() {
        for action in [TenantAction.manageSuppliers, .issueAttestations, .manageConsent] {
            let roles = Role.allCases.filter { $0.allows(action) }
            #expect(Set(roles) == [.owner, .admin])
            #expect(roles.allSatisfy { $0.requiresMFA })
        }
    }
}
