import Foundation

/// Everything that can be wrong with supply-chain data: the graph, contracts, flow-down requirements, identifiers,
/// attestations and roll-ups. Each message says what is wrong, where, and how to fix it.
public enum SupplyChainError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Graph
    /// An organization id is empty or only white space.
    case emptyOrganizationID
    /// A customer → supplier link whose two ends are the same organization.
    case selfLink(String)
    /// The link is already in the graph.
    case duplicateEdge(SupplyEdge)
    /// Adding `edge` would close a cycle; `path` starts and ends at the same organization (`A → B → C → A`).
    case cycle(edge: SupplyEdge, path: [String])

    // MARK: Contracts
    case emptyContractNumber
    case noClauses(contract: String)
    /// DFARS 252.204-7021: a CMMC level is only meaningful with the CMMC clause.
    case cmmcLevelWithoutClause(contract: String, level: Int)
    /// DFARS 252.204-7021: the clause states the CMMC level required.
    case cmmcClauseWithoutLevel(contract: String)
    case cmmcLevelOutOfRange(contract: String, level: Int)
    /// ATLA 防衛産業サイバーセキュリティ基準: the standard applies through the contract's special clause to information
    /// designated 保護すべき情報; one without the other is inconsistent.
    case japaneseClauseWithoutDesignation(contract: String)
    case japaneseDesignationWithoutClause(contract: String)
    /// DFARS 252.204-7012(b)(2): the clause that requires SP 800-171 for covered defense information.
    case cuiWithoutDFARS7012(contract: String)

    // MARK: Flow-down requirements
    /// SPRS scores run from −203 to 110 (DoD Assessment Methodology v1.2.1 §5).
    case sprsMinimumOutOfRange(Int)
    /// SPRS and CMMC minimums need SP 800-171 rev2, the only catalog with SPRS values.
    case minimumNeedsSPRSCatalog(minimum: String, catalog: CatalogID)
    case emptyContractReference

    // MARK: Identifiers
    case invalidCAGECode(String)
    case invalidUEI(String)
    /// 法人番号 that is not 13 ASCII digits.
    case malformedCorporateNumber(String)
    /// 法人番号 whose first digit is not the check digit of the other twelve.
    case corporateNumberCheckDigit(String, expected: Int)
    case emptyOrganizationName(String)

    // MARK: Attestations
    case emptyAttestationID
    case unsupportedFormatVersion(Int)
    case invalidIssuedAt(String)
    case issuedBeforeAssessment(issued: String, assessed: Day)
    case catalogMismatch(assessment: CatalogID, catalog: CatalogID)
    case scoreOutOfRange(Int)
    case unknownCMMCStatus(String)
    /// 32 CFR 170.21(b): Conditional Level 2 status carries a closeout date, and no other status does.
    case cmmcCloseoutMismatch(status: String?)
    case emptySystemScope
    case familyTotalsMismatch
    case expiryBeforeAssessment(expiresAt: Day, assessed: Day)
    /// DFARS 252.204-7019(b): an assessment is current for at most 3 years.
    case expiryBeyondThreeYears(expiresAt: Day, limit: Day)
    case supersedesItself(String)
    case detailLevelMismatch(DetailLevel)
    case negativeCount(String)
    case undecodableAttestation(String)
    case assessmentUnreadable(String)

    // MARK: Roll-up
    /// `replace(old:new:)` was given an old snapshot that is not the one recorded for that supplier.
    case staleSnapshot(organization: String)

    public var description: String {
        switch self {
        case .emptyOrganizationID:
            return "an organization id is empty; give every customer and supplier a non-empty id."
        case .selfLink(let id):
            return "'\(id)' cannot be its own supplier; link it to a different organization."
        case .duplicateEdge(let e):
            return "the link \(e) is already in the supply chain; add each customer → supplier pair once."
        case .cycle(let e, let path):
            return "adding \(e) would close a cycle: \(path.joined(separator: " → ")). A supply chain runs one way; "
                + "remove one of these links or correct which side is the customer."
        case .emptyContractNumber:
            return "the contract number is empty; enter the number printed on the contract."
        case .noClauses(let c):
            return "contract '\(c)' lists no clauses; add the DFARS, CMMC or 防衛産業サイバーセキュリティ基準 clauses it carries."
        case .cmmcLevelWithoutClause(let c, let level):
            return "contract '\(c)' states CMMC level \(level) but not the CMMC clause (DFARS 252.204-7021); "
                + "add the clause or remove the level."
        case .cmmcClauseWithoutLevel(let c):
            return "contract '\(c)' carries the CMMC clause (DFARS 252.204-7021) without a level; "
                + "enter the level the contract requires (1, 2 or 3)."
        case .cmmcLevelOutOfRange(let c, let level):
            return "contract '\(c)' states CMMC level \(level); CMMC has levels 1, 2 and 3 (32 CFR 170)."
        case .japaneseClauseWithoutDesignation(let c):
            return "contract '\(c)' carries the 防衛産業サイバーセキュリティ基準 clause but designates no 保護すべき情報; "
                + "set the designation to 保護すべき情報 (or both) as the 情報セキュリティ指定書 states."
        case .japaneseDesignationWithoutClause(let c):
            return "contract '\(c)' designates 保護すべき情報 but does not carry the 防衛産業サイバーセキュリティ基準 clause "
                + "(特約条項); add the clause."
        case .cuiWithoutDFARS7012(let c):
            return "contract '\(c)' designates CUI but does not carry DFARS 252.204-7012, the clause that requires "
                + "SP 800-171 for covered defense information; add the clause."
        case .sprsMinimumOutOfRange(let n):
            return "minimum SPRS score \(n) is impossible; SPRS scores run from \(SPRSResult.minimum) to \(SPRSResult.maximum)."
        case .minimumNeedsSPRSCatalog(let m, let c):
            return "the minimum '\(m)' needs an SPRS score, and only \(CatalogID.sp800171r2) carries SPRS values; "
                + "catalog '\(c)' has none. Require \(CatalogID.sp800171r2), or use 'all requirements met'."
        case .emptyContractReference:
            return "the requirement names an empty contract number; enter the contract's number or leave it out."
        case .invalidCAGECode(let s):
            return "CAGE code '\(s)' is not 5 characters of A–Z and 0–9; copy it from SAM.gov in capital letters."
        case .invalidUEI(let s):
            return "UEI '\(s)' is not 12 characters of A–Z and 0–9; copy the Unique Entity ID from SAM.gov in capital letters."
        case .malformedCorporateNumber(let s):
            return "法人番号 '\(s)' is not 13 digits (half-width 0–9, no spaces or hyphens); "
                + "copy it from the 国税庁 法人番号公表サイト."
        case .corporateNumberCheckDigit(let s, let expected):
            return "法人番号 '\(s)' fails its check digit: the last 12 digits give \(expected), not \(s.prefix(1)); "
                + "a digit is mistyped. Check it at the 国税庁 法人番号公表サイト."
        case .emptyOrganizationName(let id):
            return "organization '\(id)' has no name; enter its legal name."
        case .emptyAttestationID:
            return "the attestation id is empty; give every attestation a unique id."
        case .unsupportedFormatVersion(let v):
            return "attestation format version \(v) is not supported (this Tekigo reads version "
                + "\(AttestationPayload.currentFormatVersion)); update Tekigo or reissue the attestation."
        case .invalidIssuedAt(let s):
            return "issuedAt '\(s)' is not an ISO 8601 date and time such as 2026-11-27T09:30:00Z."
        case .issuedBeforeAssessment(let issued, let assessed):
            return "the attestation was issued (\(issued)) before its assessment date (\(assessed)); "
                + "an attestation can only report an assessment that has taken place."
        case .catalogMismatch(let a, let c):
            return "the assessment is against '\(a)' but catalog '\(c)' was given; pass the assessment's own catalog."
        case .scoreOutOfRange(let n):
            return "SPRS score \(n) is outside \(SPRSResult.minimum)…\(SPRSResult.maximum); the attestation is corrupt."
        case .unknownCMMCStatus(let s):
            return "CMMC status '\(s)' is not one of \(AttestationPayload.cmmcStatuses.sorted().joined(separator: ", "))."
        case .cmmcCloseoutMismatch(let status):
            return status == "conditional"
                ? "Conditional Level 2 status needs its POA&M closeout date (180 days after the status date, 32 CFR 170.21(b)); add cmmcCloseoutDue."
                : "a POA&M closeout date (cmmcCloseoutDue) belongs only to Conditional Level 2 status (32 CFR 170.21(b)); remove it."
        case .emptySystemScope:
            return "the attestation names no system scope; give the name of the system (SSP) the assessment covers."
        case .familyTotalsMismatch:
            return "the per-family counts do not add up to the attestation's totals; the attestation is corrupt, rebuild it."
        case .expiryBeforeAssessment(let e, let a):
            return "the attestation expires (\(e)) before its assessment date (\(a)); set expiresAt on or after the assessment date."
        case .expiryBeyondThreeYears(let e, let limit):
            return "the attestation expires \(e), but an assessment is current for at most 3 years (DFARS 252.204-7019(b)); "
                + "the latest expiry is \(limit)."
        case .supersedesItself(let id):
            return "attestation '\(id)' names itself as the attestation it supersedes; name the previous attestation's id."
        case .detailLevelMismatch(let level):
            return level == .families
                ? "the attestation's detail level is 'families' but it carries no per-family summary."
                : "the attestation's detail level is 'summary' but it carries a per-family summary; remove it or "
                    + "set the detail level to 'families'."
        case .negativeCount(let what):
            return "the attestation has a negative count (\(what)); the attestation is corrupt."
        case .undecodableAttestation(let why):
            return "the attestation cannot be read: \(why)."
        case .assessmentUnreadable(let why):
            return "the assessment cannot be summarised: \(why)."
        case .staleSnapshot:
            // The id stays out of the text: a roll-up may hold suppliers its viewer must not see named.
            return "the roll-up holds a different snapshot for this supplier than the `old` one given; pass the "
                + "snapshot last applied for it, or rebuild the roll-up."
        }
    }
}
