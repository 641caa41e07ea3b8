import Foundation

/// What a roll-up needs to know about one supplier, seen from one prime by one viewer.
public struct SupplierSnapshot: Sendable, Hashable {
    public let organization: String
    /// The name, only for suppliers the viewer may see (never filled in for hidden ones).
    public let name: String?
    /// Tier below the prime (`SupplyGraph.tiers(from:)`): direct suppliers are 1.
    public let tier: Int
    public let status: SupplierStatusKind
    public let overdue: Bool
    /// SPRS score of the attestation in force, if any.
    public let score: Int?
    /// Families with a requirement not met or not assessed (from a `families`-level attestation).
    public let failingFamilies: Set<String>
    /// Whether the viewer may see this supplier's identity (`DetailVisibility`).
    public let visible: Bool

    public init(organization: String, name: String? = nil, tier: Int, status: SupplierStatusKind, overdue: Bool = false,
                score: Int? = nil, failingFamilies: Set<String> = [], visible: Bool) {
        self.organization = organization
        self.name = visible ? name : nil
        self.tier = tier
        self.status = status
        self.overdue = overdue
        self.score = score
        self.failingFamilies = failingFamilies
        self.visible = visible
    }

    /// Anything but `current` needs someone to act.
    public var needsAction: Bool { status != .current }
}

/// SPRS score ranges for the histogram. 88 is the Conditional Level 2 threshold (32 CFR 170.21(a)(2)(i)).
public enum ScoreBucket: String, Sendable, Codable, CaseIterable, Comparable {
    case negative = "below-0"
    case low = "0-49"
    case middle = "50-87"
    case conditional = "88-109"
    case perfect = "110"

    public init(score: Int) {
        switch score {
        // 88: the least score for CMMC Level 2 (Conditional), 32 CFR 170.21(a)(2); 110: every requirement met.
        case ..<0: self = .negative
        case 0...49: self = .low
        case 50..<CMMCRules.minimumConditionalScore: self = .middle
        case CMMCRules.minimumConditionalScore..<SPRSResult.maximum: self = .conditional
        default: self = .perfect
        }
    }

    public static func < (a: ScoreBucket, b: ScoreBucket) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var label: LocalizedText {
        switch self {
        case .negative: return LocalizedText(en: "below 0", ja: "0 未満")
        case .low: return LocalizedText("0–49")
        case .middle: return LocalizedText("50–87")
        case .conditional: return LocalizedText("88–109")
        case .perfect: return LocalizedText("110")
        }
    }
}

/// Counts for one tier (or for all tiers together). Keys whose count is zero are absent.
public struct TierRollup: Sendable, Hashable {
    public private(set) var suppliers = 0
    public private(set) var byStatus: [SupplierStatusKind: Int] = [:]
    public private(set) var overdue = 0
    public private(set) var scoreHistogram: [ScoreBucket: Int] = [:]
    /// Suppliers without a score in force.
    public private(set) var unscored = 0
    /// Heat map: how many suppliers fail each family.
    public private(set) var familyFailures: [String: Int] = [:]
    /// Suppliers not `current`.
    public private(set) var needingAction = 0
    /// Of those, the ones the viewer may not see by name: counted, never listed.
    public private(set) var hiddenNeedingAction = 0

    public init() {}

    public var isEmpty: Bool { suppliers == 0 }

    /// Adds (`sign` 1) or removes (`sign` −1) one supplier's contribution.
    mutating func apply(_ s: SupplierSnapshot, sign: Int) {
        suppliers += sign
        Self.bump(&byStatus, s.status, sign)
        if s.overdue { overdue += sign }
        if let score = s.score { Self.bump(&scoreHistogram, ScoreBucket(score: score), sign) } else { unscored += sign }
        for f in s.failingFamilies { Self.bump(&familyFailures, f, sign) }
        if s.needsAction {
            needingAction += sign
            if !s.visible { hiddenNeedingAction += sign }
        }
    }

    private static func bump<K: Hashable>(_ d: inout [K: Int], _ k: K, _ by: Int) {
        let n = d[k, default: 0] + by
        d[k] = n == 0 ? nil : n
    }
}

/// A supplier that needs action and that the viewer may see by name.
public struct NeedsActionEntry: Sendable, Hashable {
    public let organization: String
    public let name: String?
    public let tier: Int
    public let status: SupplierStatusKind
    public let overdue: Bool

    public init(organization: String, name: String?, tier: Int, status: SupplierStatusKind, overdue: Bool) {
        self.organization = organization
        self.name = name
        self.tier = tier
        self.status = status
        self.overdue = overdue
    }
}

/// The supply chain below one prime, summed per tier for one viewer: supplier counts, statuses, SPRS histogram,
/// per-family failures, and who needs action (named only when visible). Built from snapshots, then kept up to date
/// in O(1) per change with `replace(old:new:)` (O(families) for the heat map), never by recomputing the tree.
public struct RollupAggregate: Sendable, Hashable {
    public let prime: String
    /// The counts alone (no supplier ids), for storing.
    public private(set) var counts = RollupCounts()
    /// Per tier; tiers without suppliers are absent.
    public var tiers: [Int: TierRollup] { counts.tiers }
    /// All tiers together.
    public var totals: TierRollup { counts.totals }
    private var actionByID: [String: NeedsActionEntry] = [:]
    /// The snapshot applied for each supplier, so a stale `old` is refused instead of corrupting the counts.
    /// Private: it holds hidden suppliers' ids.
    private var applied: [String: SupplierSnapshot] = [:]

    /// The roll-up of `snapshots` (one per supplier; a second snapshot of the same supplier is refused).
    public init(prime: String, snapshots: [SupplierSnapshot]) throws(SupplyChainError) {
        self.prime = prime
        for s in snapshots { try replace(old: nil, new: s) }
    }

    /// Takes out `old`'s contribution (the snapshot last applied for that supplier) and adds `new`'s. `old` nil
    /// adds a supplier; `new` nil removes one. Refuses an `old` that is not the recorded one, and a `new` for a
    /// supplier already recorded under another `old`, leaving the roll-up unchanged.
    public mutating func replace(old: SupplierSnapshot?, new: SupplierSnapshot?) throws(SupplyChainError) {
        if let old, applied[old.organization] != old { throw .staleSnapshot(organization: old.organization) }
        if let new, new.organization != old?.organization, applied[new.organization] != nil {
            throw .staleSnapshot(organization: new.organization)
        }
        counts.replace(old: old, new: new)
        if let old { record(old, sign: -1) }
        if let new { record(new, sign: 1) }
    }

    /// Keeps the applied snapshots and the needs-action list in step with the counts.
    private mutating func record(_ s: SupplierSnapshot, sign: Int) {
        if sign > 0 {
            applied[s.organization] = s
            if s.needsAction, s.visible {
                actionByID[s.organization] = NeedsActionEntry(organization: s.organization, name: s.name, tier: s.tier,
                                                              status: s.status, overdue: s.overdue)
            }
        } else {
            applied[s.organization] = nil
            actionByID[s.organization] = nil
        }
    }

    /// Visible suppliers that need action: by tier, most serious status first, overdue first, then id.
    /// Hidden ones are only counted (`TierRollup.hiddenNeedingAction`).
    public var needsAction: [NeedsActionEntry] {
        actionByID.values.sorted {
            ($0.tier, $0.status, $0.overdue ? 0 : 1, $0.organization) < ($1.tier, $1.status, $1.overdue ? 0 : 1, $1.organization)
        }
    }

    /// Whether a snapshot is recorded for `organization`, and which (to pass as `old`).
    public func snapshot(of organization: String) -> SupplierSnapshot? { applied[organization] }
}

extension RollupAggregate {
    /// One snapshot per supplier below `prime` (tier ≥ 1) at `date`, for `visibility.viewer`.
    ///
    /// - `requirements`: a supplier is measured against the requirements its direct customers inside the prime's
    ///   tree set it; with several, the most serious status counts, and it is overdue when any is.
    /// - `attestations`: each supplier's latest attestation shared in the chain, by organization id.
    /// - Score and failing families come from an attestation in force (not missing or expired).
    /// - Names come from attestations, and only for suppliers the viewer may see.
    public static func snapshots(prime: String, graph: SupplyGraph, requirements: [FlowDownRequirement],
                                 attestations: [String: AttestationPayload], visibility: DetailVisibility,
                                 at date: Day) -> [SupplierSnapshot] {
        let tiers = graph.tiers(from: prime)
        var bySupplier: [String: [FlowDownRequirement]] = [:]
        for r in requirements where tiers[r.edge.customer] != nil { bySupplier[r.edge.supplier, default: []].append(r) }
        return tiers.filter { $0.value > 0 }.keys.sorted().map { id in
            snapshot(of: id, tier: tiers[id]!, requirements: bySupplier[id, default: []], attestation: attestations[id],
                     visible: visibility.canSee(id), at: date)
        }
    }

    /// One supplier's snapshot, as `snapshots(prime:…)` makes it, for a store that updates one supplier at a time.
    /// - `requirements`: those the supplier's direct customers inside the prime's tree set it (the caller filters).
    /// - `attestation`: the supplier's latest attestation, if any.
    public static func snapshot(of id: String, tier: Int, requirements: [FlowDownRequirement],
                                attestation: AttestationPayload?, visible: Bool, at date: Day) -> SupplierSnapshot {
        let statuses = requirements.isEmpty
            ? [SupplierStatus.evaluate(requirement: nil, attestation: attestation, at: date)]
            : requirements.map { SupplierStatus.evaluate(requirement: $0, attestation: attestation, at: date) }
        let worst = statuses.map(\.kind).min()!
        let inForce = worst != .missing && worst != .expired ? attestation : nil
        return SupplierSnapshot(
            organization: id, name: visible ? attestation?.organization.name : nil, tier: tier, status: worst,
            overdue: statuses.contains { $0.overdue }, score: inForce?.sprsScore,
            failingFamilies: Set(inForce?.families?.filter(\.isFailing).map(\.family) ?? []), visible: visible)
    }

}

/// The counts of a roll-up without any supplier's id or name: what a store keeps per prime as one document, next to
/// one row per supplier. `replace(old:new:)` does the same arithmetic as `RollupAggregate.replace(old:new:)`; the
/// caller (which holds the per-supplier rows) is responsible for passing the snapshot it last applied as `old`.
public struct RollupCounts: Sendable, Hashable, Codable {
    /// Per tier; tiers without suppliers are absent.
    public private(set) var tiers: [Int: TierRollup] = [:]
    /// All tiers together.
    public private(set) var totals = TierRollup()

    public init() {}

    init(tiers: [Int: TierRollup], totals: TierRollup) {
        self.tiers = tiers
        self.totals = totals
    }

    /// The counts of `snapshots` (one per supplier).
    public init(_ snapshots: [SupplierSnapshot]) {
        for s in snapshots { replace(old: nil, new: s) }
    }

    /// Takes out `old`'s contribution and adds `new`'s (`old` nil adds a supplier, `new` nil removes one).
    public mutating func replace(old: SupplierSnapshot?, new: SupplierSnapshot?) {
        if let old { apply(old, sign: -1) }
        if let new { apply(new, sign: 1) }
    }

    private mutating func apply(_ s: SupplierSnapshot, sign: Int) {
        var tier = tiers[s.tier] ?? TierRollup()
        tier.apply(s, sign: sign)
        tiers[s.tier] = tier.isEmpty ? nil : tier
        totals.apply(s, sign: sign)
    }
}

// Stored as JSON objects keyed by the raw values (`{"missing": 2}`), not as alternating arrays.
extension SupplierStatusKind: CodingKeyRepresentable {}
extension ScoreBucket: CodingKeyRepresentable {}
extension TierRollup: Codable {}

/// One tier's counts (or all tiers', `tier` nil) as the API and `tekigo rollup --format json` show them: every status
/// and score bucket present, never a supplier's id or name.
public struct TierSummary: Sendable, Hashable, Encodable {
    public let tier: Int?
    public let suppliers: Int
    /// current / expiring / expired / below-minimum / missing.
    public let byStatus: [String: Int]
    public let overdue: Int
    /// SPRS score distribution: below-0, 0-49, 50-87, 88-109, 110.
    public let scoreHistogram: [String: Int]
    public let unscored: Int
    /// Family id → how many suppliers fail it (the heat map).
    public let familyFailures: [String: Int]
    public let needingAction: Int
    /// Of those, how many the viewer may not see by identity (no consent chain).
    public let hiddenNeedingAction: Int

    public init(tier: Int?, _ t: TierRollup) {
        self.tier = tier
        suppliers = t.suppliers
        byStatus = Dictionary(uniqueKeysWithValues: SupplierStatusKind.allCases.map { ($0.rawValue, t.byStatus[$0] ?? 0) })
        overdue = t.overdue
        scoreHistogram = Dictionary(uniqueKeysWithValues: ScoreBucket.allCases.map { ($0.rawValue, t.scoreHistogram[$0] ?? 0) })
        unscored = t.unscored
        familyFailures = t.familyFailures
        needingAction = t.needingAction
        hiddenNeedingAction = t.hiddenNeedingAction
    }
}

extension TierRollup {
    /// The families the most suppliers fail, most first; families failed by as many in their catalog's order (3.2
    /// before 3.10: `RequirementOrder`), so the roll-up page, the spreadsheet and `tekigo rollup` list them alike.
    public func familiesFailingMost(limit: Int = .max) -> [(family: String, suppliers: Int)] {
        familyFailures.sorted { $0.value != $1.value ? $0.value > $1.value : RequirementOrder.precedes($0.key, $1.key) }
            .prefix(limit).map { (family: $0.key, suppliers: $0.value) }
    }
}
