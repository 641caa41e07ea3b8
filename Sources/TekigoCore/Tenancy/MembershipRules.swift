/// Who may change whose membership, and the one invariant every path keeps: an organization always has an owner
/// (someone must be able to manage its members, tokens and suppliers — SP 800-171 3.1.1, 3.1.5). The API, the pages
/// and `tekigo admin grant` all go through `MembershipRules.check`, inside the transaction that makes the change.
public enum MembershipRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case lastOwner
    case onlyOwnerMakesOwner
    case onlyOwnerChangesOwner
    case notAMember

    public var description: String {
        switch self {
        case .lastOwner: return "This is the organization's last owner; make someone else owner first."
        case .onlyOwnerMakesOwner: return "Only an owner can make another owner."
        case .onlyOwnerChangesOwner: return "Only an owner can change or remove an owner."
        case .notAMember: return "This person is not a member of the organization; invite them, and they join when they accept."
        }
    }
}

public enum MembershipRules {
    /// Checks changing a member's role from `before` to `after` (nil: removed). `actor` is the role of the person
    /// making the change (nil: the operator on the server, who is not bound by role rules but by the last-owner rule);
    /// `owners` is how many owners the organization has before the change.
    public static func check(actor: Role?, before: Role?, after: Role?, owners: Int) throws(MembershipRuleError) {
        if let actor, actor != .owner {
            if after == .owner { throw .onlyOwnerMakesOwner }
            if before == .owner { throw .onlyOwnerChangesOwner }
        }
        if before == .owner, after != .owner, owners <= 1 { throw .lastOwner }
    }
}

extension MembershipRuleError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API and the command line say it in Japanese too).
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .lastOwner: return "この組織の最後の所有者です。先に別の人を所有者にしてください。"
        case .onlyOwnerMakesOwner: return "ほかの人を所有者にできるのは所有者だけです。"
        case .onlyOwnerChangesOwner: return "所有者の役割を変えたり外したりできるのは所有者だけです。"
        case .notAMember: return "この人は組織のメンバーではありません。招待し、承諾されるとメンバーになります。"
        }
    }
}
