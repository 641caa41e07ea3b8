/// How the content of one entry relates to another (set-theoretic, as in NIST's OLIR relationship types).
public enum Relation: String, Sendable, Codable, CaseIterable {
    case equal
    case subset      // the source is contained in the target
    case superset    // the source contains the target
    case intersect   // they overlap

    /// The relation seen from the other side.
    public var inverse: Relation {
        switch self {
        case .equal: return .equal
        case .subset: return .superset
        case .superset: return .subset
        case .intersect: return .intersect
        }
    }

    /// The relation of A to C given A→B (`self`) and B→C (`next`), or `nil` when nothing follows (unknown).
    /// Entries are never empty. A ⊆ B ⊆ C gives A ⊆ C (and ⊇ likewise). An overlap survives only where B's part
    /// that meets A lies inside C, or where A holds all of B: A ⊇ B with B meeting C, A meeting B with B ⊆ C, and
    /// A ⊇ B ⊆ C all give A ∩ C ≠ ∅. A ⊆ B ⊇ C, A ⊆ B meeting C, A meeting B ⊇ C and two overlaps let A and C be
    /// disjoint, so they give nothing.
    public func then(_ next: Relation) -> Relation? {
        switch (self, next) {
        case (.equal, let r), (let r, .equal): return r
        case (.subset, .subset): return .subset
        case (.superset, .superset): return .superset
        case (.superset, .intersect), (.intersect, .subset), (.superset, .subset): return .intersect
        case (.subset, .superset), (.subset, .intersect), (.intersect, .superset), (.intersect, .intersect): return nil
        }
    }

    public var label: LocalizedText {
        switch self {
        case .equal: return LocalizedText(en: "equal", ja: "同等")
        case .subset: return LocalizedText(en: "subset", ja: "部分集合")
        case .superset: return LocalizedText(en: "superset", ja: "上位集合")
        case .intersect: return LocalizedText(en: "intersect", ja: "一部重複")
        }
    }
}

/// What a chain of mappings lets us claim about its two ends: a relation, or nothing at all.
public enum ComposedRelation: Sendable, Hashable {
    case known(Relation)
    /// The steps do not compose into any claim: the two ends may even be disjoint.
    case unknown

    public init(_ relation: Relation?) { self = relation.map { .known($0) } ?? .unknown }

    public var relation: Relation? {
        if case .known(let r) = self { return r }
        return nil
    }

    /// `equal`, `subset`, `superset`, `intersect` or `unknown`.
    public var rawValue: String { relation?.rawValue ?? "unknown" }

    public var label: LocalizedText { relation?.label ?? LocalizedText(en: "unknown", ja: "不明") }
}

/// Where a mapping comes from.
public enum Provenance: String, Sendable, Codable, CaseIterable {
    /// Published by NIST in its own data (e.g. SP 800-171 rev3's links to SP 800-53 rev5).
    case nistOfficial = "nist-official"
    /// Computed from NIST data (id continuity, withdrawal links, a counterpart's sources).
    case derived
    /// Written by the Tekigo project, with a rationale.
    case tekigoAuthored = "tekigo-authored"
    /// Loaded by the user with `tekigo catalog crosswalk import`.
    case imported

    public var label: LocalizedText {
        switch self {
        case .nistOfficial: return LocalizedText(en: "NIST official", ja: "NIST 公式")
        case .derived: return LocalizedText(en: "derived", ja: "導出")
        case .tekigoAuthored: return LocalizedText(en: "Tekigo-authored", ja: "Tekigo 作成")
        case .imported: return LocalizedText(en: "imported", ja: "取込み")
        }
    }
}

/// One typed, sourced relation from an entry of one catalog to an entry of another.
public struct Mapping: Sendable, Hashable, Codable {
    public let from: EntryRef
    public let to: EntryRef
    public let relation: Relation
    public let provenance: Provenance
    public let rationale: String?
    /// Entries the mapping was derived through (e.g. the rev3 counterpart for rev2 → SP 800-53).
    public let via: [EntryRef]

    public init(
        from: EntryRef, to: EntryRef, relation: Relation, provenance: Provenance, rationale: String? = nil,
        via: [EntryRef] = []
    ) {
        self.from = from
        self.to = to
        self.relation = relation
        self.provenance = provenance
        self.rationale = rationale
        self.via = via
    }

    enum CodingKeys: String, CodingKey { case from, to, relation, provenance, rationale, via }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(EntryRef.self, forKey: .from)
        to = try c.decode(EntryRef.self, forKey: .to)
        relation = try c.decode(Relation.self, forKey: .relation)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        rationale = try c.decodeIfPresent(String.self, forKey: .rationale)
        via = try c.decodeIfPresent([EntryRef].self, forKey: .via) ?? []
    }

    /// The same mapping read backwards (target → source).
    public var reversed: Mapping {
        Mapping(from: to, to: from, relation: relation.inverse, provenance: provenance, rationale: rationale, via: via.reversed())
    }
}

/// A route from one entry to an entry of another catalog through one or more mappings.
public struct MappingPath: Sendable, Hashable {
    public let steps: [Mapping]

    public var target: EntryRef { steps.last!.to }
    public var source: EntryRef { steps.first!.from }
    /// The relation of source to target, composed along the steps; unknown as soon as two steps do not compose.
    public var relation: ComposedRelation {
        ComposedRelation(steps.dropFirst().reduce(Optional(steps[0].relation)) { $0?.then($1.relation) })
    }
    /// The weakest provenance on the way: one authored or imported step makes the whole path so.
    public var provenance: Provenance {
        let order: [Provenance] = [.imported, .tekigoAuthored, .derived, .nistOfficial]
        return order.first { p in steps.contains { $0.provenance == p } } ?? .derived
    }
    public var hops: Int { steps.count }
}

/// All mappings, indexed in both directions, with shortest-path search across catalogs.
public struct Crosswalk: Sendable {
    public let mappings: [Mapping]
    /// Stored mappings by source.
    private let forward: [EntryRef: [Mapping]]
    /// Stored mappings by source plus reversed ones by target: every way out of an entry.
    private let outgoing: [EntryRef: [Mapping]]

    public init(_ mappings: [Mapping]) {
        self.mappings = mappings
        var fwd: [EntryRef: [Mapping]] = [:]
        var out: [EntryRef: [Mapping]] = [:]
        for m in mappings {
            fwd[m.from, default: []].append(m)
            out[m.from, default: []].append(m)
            out[m.to, default: []].append(m.reversed)
        }
        self.forward = fwd
        self.outgoing = out
    }

    /// Every mapping touching `ref`, read from `ref` outwards (stored ones and reversed ones).
    public func mappings(of ref: EntryRef, to catalog: CatalogID? = nil) -> [Mapping] {
        (outgoing[ref] ?? []).filter { catalog == nil || $0.to.catalog == catalog }
    }

    /// Direct mappings stored with `ref` as their source (not reversed ones).
    public func direct(from ref: EntryRef, to catalog: CatalogID? = nil) -> [Mapping] {
        (forward[ref] ?? []).filter { catalog == nil || $0.to.catalog == catalog }
    }

    /// Catalogs a multi-hop path must not pass through: their entries are broad reference points that many
    /// requirements map to, so going through them would relate requirements that merely share a topic.
    public static let hubCatalogs: Set<CatalogID> = [.csf2, .sp80053r5]

    /// Every entry of `catalog` reachable from `ref`, each by its shortest path (breadth-first, at most
    /// `maxHops` mappings). A path never passes through the target catalog before its last step, through a
    /// hub catalog, nor through the same entry twice. Direct mappings (stored either way round) take one hop.
    public func paths(from ref: EntryRef, to catalog: CatalogID, maxHops: Int = 3) -> [MappingPath] {
        var results: [EntryRef: MappingPath] = [:]
        var order: [EntryRef] = []
        var visited: Set<EntryRef> = [ref]
        var frontier: [[Mapping]] = [[]]
        for _ in 0..<maxHops {
            var next: [[Mapping]] = []
            var reachedThisRound: Set<EntryRef> = []
            for path in frontier {
                let at = path.last?.to ?? ref
                for m in outgoing[at] ?? [] where !visited.contains(m.to) {
                    let extended = path + [m]
                    if m.to.catalog == catalog {
                        if results[m.to] == nil {
                            results[m.to] = MappingPath(steps: extended)
                            order.append(m.to)
                        }
                    } else if m.to.catalog != ref.catalog, !Self.hubCatalogs.contains(m.to.catalog) {
                        next.append(extended)
                        reachedThisRound.insert(m.to)
                    }
                }
            }
            visited.formUnion(reachedThisRound)
            visited.formUnion(results.keys)
            if !results.isEmpty || next.isEmpty { break }
            frontier = next
        }
        return order.compactMap { results[$0] }
    }
}
