import Foundation

/// Where a supplier stands against what its direct customer requires, most serious first.
public enum SupplierStatusKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// No attestation of the supplier has been shared (or none had been issued by the date).
    case missing
    /// The attestation is past its last day (DFARS 252.204-7019(b)).
    case expired
    /// The attestation is in force but does not meet the requirement's minimum.
    case belowMinimum = "below-minimum"
    /// In force and meeting the minimum, but within 90 days of expiry.
    case expiring
    case current

    /// Most serious first: missing < expired < below minimum < expiring < current.
    public static func < (a: SupplierStatusKind, b: SupplierStatusKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The requirement's minimum is not met by an attestation in force.
    public var failsMinimum: Bool { self == .missing || self == .expired || self == .belowMinimum }

    public var label: LocalizedText {
        switch self {
        case .missing: return LocalizedText(en: "No attestation", ja: "未提出")
        case .expired: return LocalizedText(en: "Expired", ja: "期限切れ")
        case .belowMinimum: return LocalizedText(en: "Below minimum", ja: "基準未達")
        case .expiring: return LocalizedText(en: "Expiring soon", ja: "期限間近")
        case .current: return LocalizedText(en: "Current", ja: "有効")
        }
    }
}

/// One way an attestation falls short of a `FlowDownRequirement.Minimum`.
public enum MinimumShortfall: Sendable, Hashable {
    /// The attestation is for another catalog than the one required.
    case wrongCatalog(required: CatalogID, attested: CatalogID)
    /// The SPRS score is lower than required, or there is none (no SSP).
    case score(required: Int, attested: Int?)
    /// Neither Final nor Conditional Level 2 status (32 CFR 170.21(a)).
    case cmmcStatus(attested: String?)
    /// Conditional Level 2 status whose POA&M closeout date has passed: the status expired (32 CFR 170.21(b)).
    case cmmcConditionalLapsed(closeoutDue: Day)
    /// Some requirement not met or not assessed (32 CFR 170.24(b)(2)).
    case notAllMet(RequirementCounts)

    public func text(_ lang: Language) -> String {
        switch self {
        case .wrongCatalog(let r, let a):
            return lang == .ja ? "要求は \(r) だが評価は \(a)" : "assessed against \(a), but \(r) is required"
        case .score(let r, let a):
            let got = a.map(String.init) ?? (lang == .ja ? "なし" : "none")
            return lang == .ja ? "SPRS スコア \(got)（必要: \(r) 以上）" : "SPRS score \(got), at least \(r) required"
        case .cmmcStatus(let s):
            let got = s ?? (lang == .ja ? "なし" : "none")
            return lang == .ja ? "CMMC レベル2 の状態でない（\(got)）" : "no CMMC Level 2 status (\(got))"
        case .cmmcConditionalLapsed(let due):
            return lang == .ja ? "条件付きレベル2 の是正期限 \(due) を過ぎた（32 CFR 170.21(b)）"
                : "Conditional Level 2 lapsed: POA&M closeout was due \(due) (32 CFR 170.21(b))"
        case .notAllMet(let c):
            return lang == .ja ? "不適合 \(c.notMet) 件、未評価 \(c.notAssessed) 件"
                : "\(c.notMet) requirement(s) not met, \(c.notAssessed) not assessed"
        }
    }
}

extension FlowDownRequirement.Minimum {
    /// How `attestation` falls short of this minimum at `date` (empty when it meets it).
    public func shortfalls(of attestation: AttestationPayload, requiredCatalog: CatalogID, at date: Day) -> [MinimumShortfall] {
        guard attestation.catalog == requiredCatalog else {
            return [.wrongCatalog(required: requiredCatalog, attested: attestation.catalog)]
        }
        switch self {
        case .sprsAtLeast(let n):
            if let s = attestation.sprsScore, s >= n { return [] }
            return [.score(required: n, attested: attestation.sprsScore)]
        case .allMet:
            return attestation.totals.allMet ? [] : [.notAllMet(attestation.totals)]
        case .cmmcLevel2:
            switch attestation.cmmcStatus {
            case "final"?: return []
            case "conditional"?:
                // 32 CFR 170.21(b): without closeout within 180 days the conditional status expires.
                guard let due = attestation.cmmcCloseoutDue else { return [.cmmcStatus(attested: "conditional")] }
                return date <= due ? [] : [.cmmcConditionalLapsed(closeoutDue: due)]
            default:
                return [.cmmcStatus(attested: attestation.cmmcStatus)]
            }
        }
    }
}

/// A supplier's status against one requirement at one date.
public struct SupplierStatus: Sendable, Hashable {
    public let kind: SupplierStatusKind
    /// The requirement's due date has passed and its minimum is not met (status missing, expired or below minimum).
    public let overdue: Bool
    /// Why the minimum is not met (for `belowMinimum`).
    public let shortfalls: [MinimumShortfall]
    /// Days left until the attestation's last valid day, when there is one in the picture.
    public let daysUntilExpiry: Int?

    /// Evaluates `attestation` (the supplier's latest one shared with the viewer, or nil) against `requirement`
    /// (set by the supplier's direct customer, or nil when none is set) at `date`.
    ///
    /// Precedence, first match wins:
    /// 1. `missing`: no attestation; or it is not this supplier's; or it was issued after `date`.
    /// 2. `expired`: `date` is after its `expiresAt` (DFARS 252.204-7019(b)).
    /// 3. `belowMinimum`: it does not meet the requirement's minimum (catalog, SPRS score, CMMC status, all met).
    /// 4. `expiring`: 90 days or fewer to its last day.
    /// 5. `current`.
    /// `overdue` is set when the due date is before `date` and the status is one of the first three.
    /// Pass the latest attestation: supersession is decided by the caller (`AttestationPayload.validity(at:among:)`).
    public static func evaluate(requirement: FlowDownRequirement?, attestation: AttestationPayload?,
                                at date: Day) -> SupplierStatus {
        let kind: SupplierStatusKind
        var shortfalls: [MinimumShortfall] = []
        var daysLeft: Int?
        if let a = attestation, requirement.map({ $0.edge.supplier == a.organization.id }) ?? true,
           let issued = a.issuedInstant, Day(issued) <= date {
            let left = a.daysUntilExpiry(at: date)
            daysLeft = left
            if left < 0 {
                kind = .expired
            } else {
                if let r = requirement { shortfalls = r.minimum.shortfalls(of: a, requiredCatalog: r.catalog, at: date) }
                if !shortfalls.isEmpty { kind = .belowMinimum }
                else if left <= AttestationPayload.expiringWindowDays { kind = .expiring }
                else { kind = .current }
            }
        } else {
            kind = .missing
        }
        let overdue = requirement.map { $0.due < date && kind.failsMinimum } ?? false
        return SupplierStatus(kind: kind, overdue: overdue, shortfalls: shortfalls, daysUntilExpiry: daysLeft)
    }
}
