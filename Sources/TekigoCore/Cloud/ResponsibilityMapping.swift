import Foundation

/// What a provider's matrix means for one SP 800-171 requirement (and so for each of its objectives).
public enum RequirementInheritance: String, Sendable, Hashable, Codable, CaseIterable {
    /// Provided by the provider: every mapped control the matrix covers is the provider's.
    case inherited
    /// Shared with the provider: the matrix gives parts of the mapped controls to both sides.
    case shared
    /// The matrix leaves every mapped control it covers to the customer.
    case customer

    public var label: LocalizedText {
        switch self {
        case .inherited: return LocalizedText(en: "inherited", ja: "継承")
        case .shared: return LocalizedText(en: "shared", ja: "共有")
        case .customer: return LocalizedText(en: "customer's own", ja: "利用者の責任")
        }
    }
}

/// One SP 800-171 requirement as a matrix covers it: its objectives, the verdict and the SP 800-53 controls behind it,
/// by the side the matrix gives them (`uncovered`: mapped controls the matrix does not mention).
public struct RequirementResponsibility: Sendable, Hashable, Codable {
    public let catalog: CatalogID
    public let requirement: String
    public let objectives: [String]
    public let inheritance: RequirementInheritance
    public let providerControls: [String]
    public let sharedControls: [String]
    public let customerControls: [String]
    public let uncoveredControls: [String]

    public init(catalog: CatalogID, requirement: String, objectives: [String], inheritance: RequirementInheritance,
                providerControls: [String], sharedControls: [String], customerControls: [String], uncoveredControls: [String]) {
        self.catalog = catalog
        self.requirement = requirement
        self.objectives = objectives
        self.inheritance = inheritance
        self.providerControls = providerControls
        self.sharedControls = sharedControls
        self.customerControls = customerControls
        self.uncoveredControls = uncoveredControls
    }
}

/// From SP 800-53 rev5 controls to SP 800-171 requirements (rev2 or rev3) through the built-in crosswalk only: the
/// mappings stored between the requirement and `sp800-53r5` (rev3: NIST's source controls; rev2: the controls its
/// Appendix D cites, carried to rev5). A control id is matched exactly after `ControlID.normalized` (`AC-2(1)` is not
/// `AC-2`), as the crosswalk itself names enhancements separately.
///
/// The rule, per requirement, over the mapped controls the matrix covers ("covered"):
/// - none covered → the matrix says nothing about the requirement (it is left out);
/// - every covered control on the provider's side (provider, or inherited by the provider) → `.inherited`;
/// - every covered control the customer's → `.customer`;
/// - otherwise (a shared control, or some on each side) → `.shared`.
/// Mapped controls the matrix does not mention do not change the verdict; they are listed as `uncoveredControls` so the
/// page can say what the matrix is silent on. Neither verdict marks anything met: the user confirms (see
/// `ResponsibilityUseCases.confirm`).
public enum ResponsibilityMapping {
    /// The verdict for one requirement from the responsibilities of its covered controls (nil when none is covered).
    public static func verdict(_ covered: [ControlResponsibility]) -> RequirementInheritance? {
        guard !covered.isEmpty else { return nil }
        if covered.allSatisfy(\.providerSide) { return .inherited }
        if covered.allSatisfy({ $0 == .customer }) { return .customer }
        return .shared
    }

    /// The SP 800-53 rev5 controls the built-in crosswalk maps `requirement` to, in number order (`RequirementOrder`:
    /// AC-2 before AC-10, AC-2(3) before AC-2(13)).
    public static func controls(of requirement: EntryRef, in crosswalk: Crosswalk) -> [String] {
        Array(Set(crosswalk.mappings(of: requirement, to: .sp80053r5).map(\.to.id))).sortedByRequirement()
    }

    /// Every requirement of `catalog` (rev2 or rev3) the matrix covers, in catalog order.
    public static func requirements(_ byControl: [String: ControlResponsibility], catalog: Catalog,
                                    crosswalk: Crosswalk) -> [RequirementResponsibility] {
        catalog.entries.compactMap { entry in
            guard !entry.withdrawn else { return nil }
            let mapped = controls(of: entry.ref, in: crosswalk)
            var provider: [String] = [], shared: [String] = [], customer: [String] = [], uncovered: [String] = []
            for c in mapped {
                switch byControl[c] {
                case nil: uncovered.append(c)
                case .provider?, .inherited?: provider.append(c)
                case .shared?: shared.append(c)
                case .customer?: customer.append(c)
                }
            }
            let covered = mapped.compactMap { byControl[$0] }
            guard let v = verdict(covered) else { return nil }
            return RequirementResponsibility(catalog: catalog.id, requirement: entry.id, objectives: entry.assessmentObjectives,
                                             inheritance: v, providerControls: provider, sharedControls: shared,
                                             customerControls: customer, uncoveredControls: uncovered)
        }
    }
}
