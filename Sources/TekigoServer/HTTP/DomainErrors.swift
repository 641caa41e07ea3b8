import TekigoCore
import TekigoStore

/// A domain or store error the API reports as a client error, with the domain's own message.
protocol APIErrorConvertible: Error {
    /// nil for a fault of the server (reported as 500 with the request id).
    var apiError: APIError? { get }
}

extension SupplyChainError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .cycle, .duplicateEdge, .staleSnapshot: return .conflict(description)
        default: return .invalid(field: nil, message: description)
        }
    }
}

extension RelationshipError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .unknownInvitation: return .notFound("The invitation")
        case .notLinked(let s): return .notFound("Supplier \(s)")
        case .invitationExpired, .invitationUsed, .alreadyLinked, .wouldCloseCycle, .duplicateContractNumber:
            return .conflict(description)
        case .ownInvitation, .invalidLifetime, .noteTooLong, .contractNotOnLink:
            return .invalid(field: nil, message: description)
        case .corruptRow:
            // Stored data that no longer reads back is a server fault: reported as such, never as the client's.
            return nil
        }
    }
}

extension MembershipRuleError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .lastOwner: return .conflict(description)
        case .onlyOwnerMakesOwner, .onlyOwnerChangesOwner: return .forbidden(description)
        case .notAMember: return .invalid(field: "email", message: description)
        }
    }
}

extension InvitationError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notValid: return .invalid(field: "token", message: description)
        case .otherAddress: return .forbidden(description)
        case .alreadyMember, .alreadyInvited, .accountExists: return .conflict(description)
        case .lifetime: return .invalid(field: "expiresInDays", message: description)
        case .notFound(let id): return .notFound("Invitation \(id)")
        }
    }
}

extension OfficialTextCoverageError: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: "file", message: description) }
}
