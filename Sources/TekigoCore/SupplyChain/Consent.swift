import Foundation

/// A supplier's consent to show its identity and attestation details to one viewer. With `onward`, the supplier
/// also lets the viewer pass them on: whoever may see the viewer's details may see the supplier's too.
public struct ConsentGrant: Sendable, Hashable, Codable {
    public let supplier: String
    public let viewer: String
    public let onward: Bool

    public init(supplier: String, viewer: String, onward: Bool = false) {
        self.supplier = supplier
        self.viewer = viewer
        self.onward = onward
    }
}

/// Which organizations one viewer may see by identity and in detail.
///
/// **Rule.** A viewer V may see supplier S's identity and details iff S granted V directly, or S granted some C
/// with `onward` and V may see C's details (recursively). Every other organization appears to V only inside
/// aggregates (counts, distributions), never by id or name. An organization always sees itself.
///
/// Visibility is a pure function of the grants given: revoking a grant (leaving it out) hides at once, and loops
/// of onward grants never make anything visible on their own (the least fixed point of the rule is computed).
/// Built in one pass: a breadth-first walk from the viewer back along grants, O(grants).
public struct DetailVisibility: Sendable, Hashable {
    public let viewer: String
    /// Everything the viewer may see in detail, itself included.
    public let visible: Set<String>

    public init<Grants: Sequence<ConsentGrant>>(viewer: String, grants: Grants) {
        // For each grantee, who granted it and whether onward.
        var grantsTo: [String: [(supplier: String, onward: Bool)]] = [:]
        for g in grants where g.supplier != g.viewer { grantsTo[g.viewer, default: []].append((g.supplier, g.onward)) }
        var visible: Set<String> = [viewer]
        var queue = [viewer]
        var head = 0
        while head < queue.count {
            let seen = queue[head]
            head += 1
            // Direct grants to the viewer count whatever their onward flag; grants to anyone else the viewer sees
            // count only when the supplier allowed them onward.
            for g in grantsTo[seen, default: []] where (seen == viewer || g.onward) && visible.insert(g.supplier).inserted {
                queue.append(g.supplier)
            }
        }
        self.viewer = viewer
        self.visible = visible
    }

    public func canSee(_ organization: String) -> Bool { visible.contains(organization) }
}
