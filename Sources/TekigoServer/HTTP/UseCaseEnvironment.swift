import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

extension Services {
    /// What the account use cases work with, from the server's parts.
    var accountEnvironment: AccountEnvironment {
        AccountEnvironment(db: db, accounts: accounts, clock: clock, sessionLifetime: config.absoluteTimeout)
    }
}

extension AccountError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .locked(let until): return .locked(until: until)
        case .rateLimited: return .rateLimited
        case .secondFactorPending: return .mfaRequired
        case .emailTaken, .enrolmentRestarted: return .conflict(description)
        case .setupLinkInvalid, .sessionOnly, .notPlatformAdmin: return .forbidden(description)
        default: return .invalid(field: field, message: description)
        }
    }
}

extension TokenError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notFound(let id): return .notFound("Token \(id)")
        case .sessionOnly: return .forbidden(description)
        default: return .invalid(field: field, message: description)
        }
    }
}

extension Services {
    /// What the tenant use cases work with, from the server's parts.
    var tenantEnvironment: TenantEnvironment {
        TenantEnvironment(db: db, evidence: evidence, library: library, clock: clock)
    }

    func assessments(_ m: Membership) -> AssessmentUseCases { AssessmentUseCases(tenantEnvironment, m.scope) }
    func evidenceUseCases(_ m: Membership) -> EvidenceUseCases { EvidenceUseCases(tenantEnvironment, m.scope) }
    /// What the API and the pages read of an organization's assessments (reads go through the use-case layer too).
    func reads(_ m: Membership) -> AssessmentQueries { AssessmentQueries(tenantEnvironment, m.scope) }
    func organizations(_ m: Membership) -> OrganizationUseCases { OrganizationUseCases(tenantEnvironment, m.scope) }
}

extension Membership {
    /// The tenant as the use-case layer takes it (role already checked by the tenant context, `TenantContext.membership(for:)`, or the pages' `orgPage`).
    var scope: TenantScope { TenantScope(organization: organization, role: role, actor: actor, store: store) }
}

extension AssessmentError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .unknownObjective(let id, let catalog): return .notFound("Objective \(id) in \(catalog)")
        case .evidenceNotFound(let sha): return .notFound("Evidence \(sha)")
        case .unknownPreviousAssessment(let id): return .notFound("Assessment \(id)")
        case .evidenceInUse, .evidenceInIncident, .systemInUse: return .conflict(description)
        default: return .invalid(field: field, message: description)
        }
    }
}

extension OrganizationError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAllowed: return .forbidden(description)
        case .organizationGone: return .notFound("The organization")
        case .unknownTimeZone: return .invalid(field: field, message: description)
        }
    }
}

extension JobError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notPlatformAdmin: return .forbidden(description)
        case .unsealable: return nil
        }
    }
}
