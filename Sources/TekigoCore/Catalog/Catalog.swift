/// Identifies a catalog: the built-in ones by well-known ids, custom (imported) ones by their own.
public struct CatalogID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public static let sp800171r2: CatalogID = "sp800-171r2"
    public static let sp800171r3: CatalogID = "sp800-171r3"
    public static let sp80053r5: CatalogID = "sp800-53r5"
    public static let csf2: CatalogID = "csf2"
    public static let builtIn: [CatalogID] = [.sp800171r2, .sp800171r3, .sp80053r5, .csf2]

    public var isBuiltIn: Bool { Self.builtIn.contains(self) }
    public var description: String { rawValue }
    public static func < (a: CatalogID, b: CatalogID) -> Bool { a.rawValue < b.rawValue }
}

/// A family (SP 800-171, SP 800-53) or a function (CSF).
public struct Family: Sendable, Hashable, Codable {
    public let id: String
    public let abbr: String
    public let title: LocalizedText

    public init(id: String, abbr: String, title: LocalizedText) {
        self.id = id
        self.abbr = abbr
        self.title = title
    }
}

/// How a requirement counts in the DoD Assessment Methodology v1.2.1 (SPRS) and 32 CFR 170.24(c)(2).
public enum SPRSRule: String, Sendable, Codable {
    /// Deduct `value` when not implemented.
    case standard
    /// 3.5.3 and 3.13.11: deduct `value` when absent, `partialValue` when partly implemented (Methodology §5(e)).
    case partialCredit = "partial-credit"
    /// 3.12.4: no value; without a system security plan no score can be produced (Methodology §5(g)).
    case sspGate = "ssp-gate"
    /// 3.1.12, 3.1.13, 3.1.16, 3.1.17, 3.1.18: no deduction when the capability is not permitted (Methodology §5(i)).
    case notPermittedAllowed = "not-permitted-allowed"
}

/// The answer that decides partial credit: MFA reach for 3.5.3, the kind of encryption for 3.13.11.
public enum PartialCreditInput: String, Sendable, Codable {
    case mfa
    case encryption
}

public struct SPRSValue: Sendable, Hashable, Codable {
    public let value: Int
    public let partialValue: Int?
    public let rule: SPRSRule
    public let partialInput: PartialCreditInput?

    public init(value: Int, partialValue: Int? = nil, rule: SPRSRule, partialInput: PartialCreditInput? = nil) {
        self.value = value
        self.partialValue = partialValue
        self.rule = rule
        self.partialInput = partialInput
    }
}

/// Basic (from FIPS 200) or derived (from SP 800-53) — SP 800-171 rev2 §2.2.
public enum RequirementKind: String, Sendable, Codable {
    case basic
    case derived
}

/// The level of an entry inside its catalog.
public enum EntryLevel: String, Sendable, Codable {
    case requirement
    case control
    case enhancement
    case category
    case subcategory
}

/// One requirement, control, category or subcategory of a catalog, with the facts Tekigo knows about it.
/// Official wording is not part of it: that comes from an imported OSCAL catalog (see `OfficialText`).
public struct CatalogEntry: Sendable, Hashable, Codable {
    public let catalog: CatalogID
    public let id: String
    public let family: String
    public let parent: String?
    public let level: EntryLevel
    public let title: LocalizedText
    public let kind: RequirementKind?
    public let cmmcId: String?
    public let cmmcLevel1: Bool
    public let sprs: SPRSValue?
    /// Assessment objectives (SP 800-171A): `3.1.1[a]` … for rev2; determination statement ids for rev3.
    public let objectives: [String]
    /// Organization-defined parameter ids (rev3).
    public let odps: [String]
    /// SP 800-53 controls marked withdrawn by NIST.
    public let withdrawn: Bool

    public init(
        catalog: CatalogID, id: String, family: String, parent: String? = nil, level: EntryLevel,
        title: LocalizedText, kind: RequirementKind? = nil, cmmcId: String? = nil, cmmcLevel1: Bool = false,
        sprs: SPRSValue? = nil, objectives: [String] = [], odps: [String] = [], withdrawn: Bool = false
    ) {
        self.catalog = catalog
        self.id = id
        self.family = family
        self.parent = parent
        self.level = level
        self.title = title
        self.kind = kind
        self.cmmcId = cmmcId
        self.cmmcLevel1 = cmmcLevel1
        self.sprs = sprs
        self.objectives = objectives
        self.odps = odps
        self.withdrawn = withdrawn
    }

    public var ref: EntryRef { EntryRef(catalog: catalog, id: id) }
}

/// A rev3 requirement number that NIST withdrew, with where its content went.
public struct WithdrawnRequirement: Sendable, Hashable, Codable {
    public let id: String
    public let family: String
    public let incorporatedInto: [String]
    public let addressedBy: [String]
    /// Why it went, for a number that NIST's data links nowhere (`incorporatedInto` and `addressedBy` empty).
    public let reason: WithdrawalReason?
}

/// The reason SP 800-171 rev3 states for withdrawing a number it links to no other requirement. NIST's data carries
/// none, so the text is ours (`provenance` is `.tekigoAuthored`) and `source` names where the publication says it.
public struct WithdrawalReason: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Withdrawn to stay consistent with SP 800-53 (which changed or dropped the source control).
        case consistencyWithSP80053 = "consistency-with-sp800-53"
        /// The source control was recategorized as NCO: not directly related to protecting CUI's confidentiality.
        case recategorizedNCO = "recategorized-nco"
        /// Specific to one technology.
        case technologySpecific = "technology-specific"
    }

    public let kind: Kind
    public let text: LocalizedText
    public let provenance: Provenance
    public let source: String
}

/// A whole catalog: its families and entries in publication order.
public struct Catalog: Sendable {
    public let id: CatalogID
    public let name: LocalizedText
    public let version: String
    public let families: [Family]
    public let entries: [CatalogEntry]
    public let withdrawn: [WithdrawnRequirement]
    private let index: [String: Int]

    public init(
        id: CatalogID, name: LocalizedText, version: String, families: [Family], entries: [CatalogEntry],
        withdrawn: [WithdrawnRequirement] = []
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.families = families
        self.entries = entries
        self.withdrawn = withdrawn
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.id] = i }
        self.index = index
    }

    public subscript(id: String) -> CatalogEntry? { index[id].map { entries[$0] } }

    public func family(_ id: String) -> Family? {
        families.first { $0.id == id || $0.abbr.caseInsensitiveCompare(id) == .orderedSame }
    }

    /// Entries of a family, given by id (`3.1`, `03.01`, `GV`) or abbreviation (`AC`).
    public func entries(inFamily key: String) -> [CatalogEntry] {
        guard let fam = family(key) else { return [] }
        return entries.filter { $0.family == fam.id }
    }

    public func withdrawnRequirement(_ id: String) -> WithdrawnRequirement? {
        withdrawn.first { $0.id == id }
    }

    /// All assessment objective ids, in order.
    public var objectiveIDs: [String] { entries.flatMap(\.objectives) }
}

/// A pointer to one entry of one catalog.
public struct EntryRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public let catalog: CatalogID
    public let id: String

    public init(catalog: CatalogID, id: String) {
        self.catalog = catalog
        self.id = id
    }

    public var description: String { "\(catalog.rawValue):\(id)" }
}
