import Foundation

/// What a contract designates as information to protect.
public enum ProtectedInformationDesignation: String, Sendable, Codable, CaseIterable {
    /// Controlled Unclassified Information (US; covered defense information under DFARS 252.204-7012).
    case cui
    /// 保護すべき情報 (Japan): designated by the government in a 情報セキュリティ指定書 and protected under the
    /// 防衛産業サイバーセキュリティ基準.
    case protectedInformation = "protected-information"
    /// Both, e.g. a Japanese supplier in a US programme that also handles Japanese designated information.
    case both

    public var includesCUI: Bool { self == .cui || self == .both }
    public var includesProtectedInformation: Bool { self == .protectedInformation || self == .both }

    public var label: LocalizedText {
        switch self {
        case .cui: return LocalizedText(en: "CUI", ja: "CUI（管理された非格付け情報）")
        case .protectedInformation: return LocalizedText(en: "Protected information (Japan)", ja: "保護すべき情報")
        case .both: return LocalizedText(en: "CUI and protected information (Japan)", ja: "CUI 及び保護すべき情報")
        }
    }
}

/// The clauses Tekigo tracks on a contract.
public enum ContractClause: String, Sendable, Codable, CaseIterable, Comparable {
    /// DFARS 252.204-7012, Safeguarding Covered Defense Information and Cyber Incident Reporting.
    case dfars7012 = "dfars-252.204-7012"
    /// DFARS 252.204-7019, Notice of NIST SP 800-171 DoD Assessment Requirements.
    case dfars7019 = "dfars-252.204-7019"
    /// DFARS 252.204-7020, NIST SP 800-171 DoD Assessment Requirements.
    case dfars7020 = "dfars-252.204-7020"
    /// DFARS 252.204-7021, Contractor Compliance with the CMMC Level Requirement.
    case cmmc
    /// 防衛産業サイバーセキュリティ基準 (ATLA), applied by the contract's special clause (特約条項).
    case japaneseStandard = "japanese-standard"

    public static func < (a: ContractClause, b: ContractClause) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var label: LocalizedText {
        switch self {
        case .dfars7012: return LocalizedText("DFARS 252.204-7012")
        case .dfars7019: return LocalizedText("DFARS 252.204-7019")
        case .dfars7020: return LocalizedText("DFARS 252.204-7020")
        case .cmmc: return LocalizedText(en: "CMMC (DFARS 252.204-7021)", ja: "CMMC（DFARS 252.204-7021）")
        case .japaneseStandard:
            return LocalizedText(en: "Japan defense industry cybersecurity standard", ja: "防衛産業サイバーセキュリティ基準")
        }
    }
}

/// A contract (or subcontract) as far as supply-chain security is concerned. Always valid: the initializer and
/// the decoder check it.
public struct Contract: Sendable, Hashable, Codable {
    public let number: String
    public let designation: ProtectedInformationDesignation
    public let clauses: Set<ContractClause>
    /// The CMMC level the contract requires (1…3); present exactly when the CMMC clause is.
    public let cmmcLevel: Int?

    /// Checks, in order:
    /// - the number is not empty, and at least one clause is listed;
    /// - DFARS 252.204-7021: the CMMC clause states a level 1…3, and a level needs the clause;
    /// - DFARS 252.204-7012(b)(2): CUI is protected under 7012, so a CUI designation needs it;
    /// - 防衛産業サイバーセキュリティ基準: the special clause and the 保護すべき情報 designation come together.
    public init(number: String, designation: ProtectedInformationDesignation, clauses: Set<ContractClause>,
                cmmcLevel: Int? = nil) throws(SupplyChainError) {
        let number = number.trimmed
        guard !number.isEmpty else { throw .emptyContractNumber }
        guard !clauses.isEmpty else { throw .noClauses(contract: number) }
        if let level = cmmcLevel {
            guard clauses.contains(.cmmc) else { throw .cmmcLevelWithoutClause(contract: number, level: level) }
            guard (1...3).contains(level) else { throw .cmmcLevelOutOfRange(contract: number, level: level) }
        } else if clauses.contains(.cmmc) {
            throw .cmmcClauseWithoutLevel(contract: number)
        }
        if designation.includesCUI, !clauses.contains(.dfars7012) { throw .cuiWithoutDFARS7012(contract: number) }
        if clauses.contains(.japaneseStandard), !designation.includesProtectedInformation {
            throw .japaneseClauseWithoutDesignation(contract: number)
        }
        if designation.includesProtectedInformation, !clauses.contains(.japaneseStandard) {
            throw .japaneseDesignationWithoutClause(contract: number)
        }
        self.number = number
        self.designation = designation
        self.clauses = clauses
        self.cmmcLevel = cmmcLevel
    }

    private enum CodingKeys: String, CodingKey { case number, designation, clauses, cmmcLevel }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let number = try c.decode(String.self, forKey: .number)
        let designation = try c.decode(ProtectedInformationDesignation.self, forKey: .designation)
        let clauses = try c.decode([ContractClause].self, forKey: .clauses)
        let level = try c.decodeIfPresent(Int.self, forKey: .cmmcLevel)
        do throws(SupplyChainError) {
            try self.init(number: number, designation: designation, clauses: Set(clauses), cmmcLevel: level)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(designation, forKey: .designation)
        try c.encode(clauses.sorted(), forKey: .clauses)
        try c.encodeIfPresent(cmmcLevel, forKey: .cmmcLevel)
    }
}

/// What a customer requires of one direct supplier, and whether the supplier must pass it on to its own
/// suppliers (DFARS 252.204-7012(m)(1): the clause flows down "without alteration"). Always valid.
public struct FlowDownRequirement: Sendable, Hashable, Codable {
    /// The bar an attestation must clear.
    public enum Minimum: Sendable, Hashable, Codable {
        /// An SPRS score of at least this (−203…110; DoD Assessment Methodology v1.2.1).
        case sprsAtLeast(Int)
        /// Every requirement of the catalog met or not applicable, none unassessed (32 CFR 170.24(b)).
        case allMet
        /// Final or (unexpired) Conditional CMMC Level 2 status (32 CFR 170.21).
        case cmmcLevel2

        /// Whether this minimum needs SPRS values (SP 800-171 rev2).
        public var needsSPRS: Bool {
            switch self {
            case .sprsAtLeast, .cmmcLevel2: return true
            case .allMet: return false
            }
        }

        /// Whether meeting `self` always meets `other` (same catalog): all met gives 110 and Final status;
        /// Conditional Level 2 needs at least 88 (32 CFR 170.21(a)(2)(i)); a higher score meets a lower bar.
        public func implies(_ other: Minimum) -> Bool {
            switch (self, other) {
            case (.allMet, _): return true
            case (.cmmcLevel2, .cmmcLevel2): return true
            case (.cmmcLevel2, .sprsAtLeast(let n)): return n <= CMMCRules.minimumConditionalScore
            case (.sprsAtLeast(let a), .sprsAtLeast(let b)): return a >= b
            default: return false
            }
        }

        public func text(_ lang: Language) -> String {
            switch self {
            case .sprsAtLeast(let n): return lang == .ja ? "SPRS スコア \(n) 以上" : "SPRS score of at least \(n)"
            case .allMet: return lang == .ja ? "全要件に適合" : "every requirement met"
            case .cmmcLevel2:
                return lang == .ja ? "CMMC レベル2（最終または条件付き）" : "CMMC Level 2 (Final or Conditional)"
            }
        }

        private enum CodingKeys: String, CodingKey { case kind, score }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decode(String.self, forKey: .kind) {
            case "sprs-at-least": self = .sprsAtLeast(try c.decode(Int.self, forKey: .score))
            case "all-met": self = .allMet
            case "cmmc-level-2": self = .cmmcLevel2
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription:
                    "minimum '\(other)' is not one of sprs-at-least, all-met, cmmc-level-2")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .sprsAtLeast(let n): try c.encode("sprs-at-least", forKey: .kind); try c.encode(n, forKey: .score)
            case .allMet: try c.encode("all-met", forKey: .kind)
            case .cmmcLevel2: try c.encode("cmmc-level-2", forKey: .kind)
            }
        }
    }

    /// Who requires it of whom: the direct customer and the supplier.
    public let edge: SupplyEdge
    /// The contract it comes from, when known.
    public let contract: String?
    public let catalog: CatalogID
    public let minimum: Minimum
    /// The date by which the supplier must have shared an attestation that meets the minimum.
    public let due: Day
    /// The supplier must impose the same requirement on its own suppliers.
    public let mustFlowDown: Bool

    /// Checks that the two ends are different organizations, an SPRS minimum lies in −203…110, and SPRS or CMMC
    /// minimums are set on SP 800-171 rev2 (the only catalog with SPRS values; DFARS class deviation 2024-O0013).
    public init(edge: SupplyEdge, contract: String? = nil, catalog: CatalogID = .sp800171r2, minimum: Minimum,
                due: Day, mustFlowDown: Bool = true) throws(SupplyChainError) {
        guard !edge.customer.trimmed.isEmpty, !edge.supplier.trimmed.isEmpty else { throw .emptyOrganizationID }
        guard edge.customer != edge.supplier else { throw .selfLink(edge.customer) }
        if let contract, contract.trimmed.isEmpty { throw .emptyContractReference }
        if case .sprsAtLeast(let n) = minimum, !(SPRSResult.minimum...SPRSResult.maximum).contains(n) {
            throw .sprsMinimumOutOfRange(n)
        }
        if minimum.needsSPRS, catalog != .sp800171r2 {
            throw .minimumNeedsSPRSCatalog(minimum: minimum.text(.en), catalog: catalog)
        }
        self.edge = edge
        self.contract = contract?.trimmed
        self.catalog = catalog
        self.minimum = minimum
        self.due = due
        self.mustFlowDown = mustFlowDown
    }

    private enum CodingKeys: String, CodingKey { case edge, contract, catalog, minimum, due, mustFlowDown }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let edge = try c.decode(SupplyEdge.self, forKey: .edge)
        let contract = try c.decodeIfPresent(String.self, forKey: .contract)
        let catalog = try c.decode(CatalogID.self, forKey: .catalog)
        let minimum = try c.decode(Minimum.self, forKey: .minimum)
        let due = try c.decode(Day.self, forKey: .due)
        let mustFlowDown = try c.decode(Bool.self, forKey: .mustFlowDown)
        do throws(SupplyChainError) {
            try self.init(edge: edge, contract: contract, catalog: catalog, minimum: minimum, due: due,
                          mustFlowDown: mustFlowDown)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(edge, forKey: .edge)
        try c.encodeIfPresent(contract, forKey: .contract)
        try c.encode(catalog, forKey: .catalog)
        try c.encode(minimum, forKey: .minimum)
        try c.encode(due, forKey: .due)
        try c.encode(mustFlowDown, forKey: .mustFlowDown)
    }
}

/// A link where a requirement that must flow down has not been passed on as it should.
public struct FlowDownGap: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// The supplier imposes nothing on this catalog on its own supplier.
        case missing
        /// The supplier's requirement on the same catalog asks for less.
        case weakerMinimum(FlowDownRequirement.Minimum)
        /// The supplier passes the requirement on but does not require it to flow further (7012(m)(1) includes (m)).
        case notMarkedToFlowDown
    }

    /// The requirement that must flow down.
    public let upstream: FlowDownRequirement
    /// The link (upstream's supplier → one of its suppliers) where it is missing or weaker.
    public let edge: SupplyEdge
    public let reason: Reason

    public func text(_ lang: Language) -> String {
        let what = "\(upstream.catalog) (\(upstream.minimum.text(lang)))"
        switch reason {
        case .missing:
            return lang == .ja ? "\(edge) に \(what) の要求が展開されていない（DFARS 252.204-7012(m)(1)）"
                : "\(what) has not been flowed down on \(edge) (DFARS 252.204-7012(m)(1))"
        case .weakerMinimum(let m):
            return lang == .ja ? "\(edge) の要求（\(m.text(lang))）が \(what) より緩い（DFARS 252.204-7012(m)(1)：変更せず展開）"
                : "\(edge) asks only for \(m.text(lang)), less than \(what) (DFARS 252.204-7012(m)(1): flow down without alteration)"
        case .notMarkedToFlowDown:
            return lang == .ja ? "\(edge) の要求に下位への展開義務が付いていない（DFARS 252.204-7012(m)(1)）"
                : "\(edge) passes \(what) on without requiring further flow-down (DFARS 252.204-7012(m)(1))"
        }
    }
}

extension FlowDownRequirement {
    /// Every link where a `mustFlowDown` requirement is not passed on to the supplier's own suppliers with the same
    /// catalog, an equal or stricter minimum, and the flow-down duty itself. The graph is taken to hold only
    /// subcontracts the clause reaches (covered defense information or operationally critical support).
    /// Sorted by link, then catalog.
    public static func gaps(in graph: SupplyGraph, requirements: [FlowDownRequirement]) -> [FlowDownGap] {
        var byEdge: [SupplyEdge: [FlowDownRequirement]] = [:]
        for r in requirements { byEdge[r.edge, default: []].append(r) }
        var gaps: [FlowDownGap] = []
        for r in requirements where r.mustFlowDown {
            for next in graph.suppliers(of: r.edge.supplier) {
                let edge = SupplyEdge(customer: r.edge.supplier, supplier: next)
                let passed = byEdge[edge, default: []].filter { $0.catalog == r.catalog }
                let meeting = passed.filter { $0.minimum.implies(r.minimum) }
                if passed.isEmpty {
                    gaps.append(FlowDownGap(upstream: r, edge: edge, reason: .missing))
                } else if meeting.isEmpty {
                    gaps.append(FlowDownGap(upstream: r, edge: edge, reason: .weakerMinimum(passed[0].minimum)))
                } else if !meeting.contains(where: \.mustFlowDown) {
                    gaps.append(FlowDownGap(upstream: r, edge: edge, reason: .notMarkedToFlowDown))
                }
            }
        }
        return gaps.sorted {
            ($0.edge.customer, $0.edge.supplier, $0.upstream.catalog.rawValue, $0.upstream.edge.customer)
                < ($1.edge.customer, $1.edge.supplier, $1.upstream.catalog.rawValue, $1.upstream.edge.customer)
        }
    }
}
