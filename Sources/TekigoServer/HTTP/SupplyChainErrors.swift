import TekigoCore
import TekigoStore
import TekigoUseCases

extension Services {
    /// The supply-chain use cases for the tenant `m` (role already checked by the tenant context, `TenantContext.membership(for:)`, or the pages' `orgPage`).
    func supplierLinks(_ m: Membership) -> SupplierLinkUseCases { SupplierLinkUseCases(tenantEnvironment, m.scope) }
    func contracts(_ m: Membership) -> ContractUseCases { ContractUseCases(tenantEnvironment, m.scope) }
    func flowDown(_ m: Membership) -> FlowDownUseCases { FlowDownUseCases(tenantEnvironment, m.scope) }
    func attestationUseCases(_ m: Membership) -> AttestationUseCases { AttestationUseCases(tenantEnvironment, m.scope) }
    func consent(_ m: Membership) -> ConsentUseCases { ConsentUseCases(tenantEnvironment, m.scope) }
    func rollups(_ m: Membership) -> RollupUseCases { RollupUseCases(tenantEnvironment, m.scope) }
}

extension SupplyChainRuleError: APIErrorConvertible {
    var apiError: APIError? {
        if let what = missing { return .notFound(what) }
        return .invalid(field: field, message: description)
    }
}

extension ConsentError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .selfGrant: return .invalid(field: "viewer", message: description)
        // An unknown id and an organization elsewhere get the same answer: the API never confirms that an
        // organization outside the caller's supply chain exists.
        case .unknownOrganization(let id): return .invalid(field: "viewer", message: ConsentError.notUpstream(viewer: id).description)
        case .notUpstream: return .invalid(field: "viewer", message: description)
        case .notGranted(let v): return .notFound("Consent to organization \(v)")
        }
    }
}

extension SigningKeyError: APIErrorConvertible {
    /// A key that cannot be unsealed is the server's fault (its evidence key), not the client's.
    var apiError: APIError? { nil }
}
