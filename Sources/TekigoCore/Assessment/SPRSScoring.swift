/// Why points were deducted.
public enum DeductionReason: Sendable, Hashable {
    case notImplemented
    /// Not all objectives answered; scored as not implemented until they are.
    case notAssessed
    /// 3.5.3 with MFA only for remote and privileged users (Methodology §5 and Annex A).
    case mfaPartial
    /// 3.5.3 with no MFA.
    case mfaNone
    /// 3.13.11 with encryption that is not FIPS-validated (Methodology §5 and Annex A).
    case encryptionNotFIPSValidated
    /// 3.13.11 with no encryption.
    case encryptionNone
    /// 3.12.2: these requirements are not implemented and have no plan of action (Methodology §5, "plans of action").
    case noPlanOfAction([String])
    /// Claimed as a temporary deficiency, but no operational plan of action (an open POA&M item with a date) is on
    /// record: the credit exists only for a deficiency documented in one (32 CFR 170.4, 170.24(c)(2); Methodology §5).
    case temporaryDeficiencyWithoutPlan

    public func text(_ lang: Language) -> String {
        switch self {
        case .notImplemented: return lang == .ja ? "未実装" : "not implemented"
        case .notAssessed: return lang == .ja ? "未評価（未実装として採点）" : "not assessed (scored as not implemented)"
        case .mfaPartial:
            return lang == .ja ? "多要素認証はリモート・特権利用者のみ（部分点）" : "MFA for remote and privileged users only (partial credit)"
        case .mfaNone: return lang == .ja ? "多要素認証なし" : "no multifactor authentication"
        case .encryptionNotFIPSValidated:
            return lang == .ja ? "暗号化しているが FIPS 検証済みでない（部分点）" : "encryption employed but not FIPS-validated (partial credit)"
        case .encryptionNone: return lang == .ja ? "CUI の暗号化なし" : "no encryption of CUI"
        case .noPlanOfAction(let reqs):
            let list = reqs.joined(separator: ", ")
            return lang == .ja ? "次の未実装要件に是正計画（完了予定日付き）がない: \(list)"
                : "no plan of action (with a completion date) for not-implemented requirements: \(list)"
        case .temporaryDeficiencyWithoutPlan:
            return lang == .ja
                ? "一時的な不備とされているが、日付付きの未完了の是正計画（POA&M 項目）がないため未実装として採点（32 CFR 170.4、170.24）"
                : "claimed as a temporary deficiency, but no open, dated plan of action (POA&M item) is on record: scored as not implemented (32 CFR 170.4, 170.24)"
        }
    }
}

public struct SPRSDeduction: Sendable, Hashable {
    public let requirement: String
    public let points: Int
    public let reason: DeductionReason
}

/// Why a requirement that is not met still scores as implemented.
public enum CreditReason: Sendable, Hashable {
    case notPermitted
    case exception(ScoringException)

    public func text(_ lang: Language) -> String {
        switch self {
        case .notPermitted: return lang == .ja ? "機能を許可していない（減点なし）" : "capability not permitted (no deduction)"
        case .exception(.temporaryDeficiency): return lang == .ja ? "一時的な不備（是正計画あり）" : "temporary deficiency under a plan of action"
        case .exception(.enduringException): return lang == .ja ? "恒常的例外（SSP に記載）" : "enduring exception documented in the SSP"
        case .exception(.cioAdjudicated): return lang == .ja ? "DoD CIO による判定" : "adjudicated by the DoD CIO"
        }
    }
}

public struct SPRSCredit: Sendable, Hashable {
    public let requirement: String
    public let reason: CreditReason
}

/// The SPRS score with everything that explains it.
public struct SPRSResult: Sendable, Hashable {
    public static let maximum = 110
    public static let minimum = -203

    /// Nil when no score can be produced (no system security plan).
    public let score: Int?
    public let deductions: [SPRSDeduction]
    public let credits: [SPRSCredit]
    /// Requirements with unanswered objectives (scored as not implemented).
    public let notAssessed: [String]

    public var totalDeducted: Int { deductions.reduce(0) { $0 + $1.points } }
    public var isComplete: Bool { notAssessed.isEmpty }
    /// Requirements that lost points, in catalog order (3.12.2's missing-plan deduction included once).
    public var deductedRequirements: [String] { deductions.map(\.requirement) }
}

/// DoD Assessment Methodology v1.2.1 scoring (= 32 CFR 170.24(c)(2)). Values come from the catalog
/// (`CatalogEntry.sprs`), never from here.
public enum SPRSScoring {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Only SP 800-171 rev2 carries SPRS values (DFARS class deviation 2024-O0013 keeps DoD on rev2).
        case catalogHasNoSPRSValues(CatalogID)

        public var description: String {
            switch self {
            case .catalogHasNoSPRSValues(let id):
                return "SPRS scoring uses SP 800-171 rev2 values; catalog '\(id)' has none. Assess against sp800-171r2 for an SPRS score."
            }
        }
    }

    public static func score(_ a: Assessment, catalog: Catalog) throws(Failure) -> SPRSResult {
        guard catalog.entries.contains(where: { $0.sprs != nil }) else { throw .catalogHasNoSPRSValues(catalog.id) }
        var deductions: [SPRSDeduction] = []
        var credits: [SPRSCredit] = []
        var notAssessed: [String] = []
        var noSSP = false
        var notImplementedWithoutPlan: [String] = []
        var planReqDeducted = false
        for e in catalog.entries {
            guard let value = e.sprs else { continue }
            let status = a.status(of: e)
            if status == .notAssessed { notAssessed.append(e.id) }
            // Methodology §5 and Annex A (3.12.4 "NA"); 32 CFR 170.24(c)(2)(i)(B)(5): no SSP, no score. An SSP cannot
            // be "not applicable": 3.12.4 with every objective N/A is no SSP (the gate is passed only when it is met).
            if value.rule == .sspGate {
                if status != .met { noSSP = true }
                continue
            }
            if status.countsAsMet { continue }
            let answer = a.answer(for: e.id)
            // Methodology §5: temporary deficiencies, enduring exceptions, CIO adjudications score as implemented. A
            // temporary deficiency only while an operational plan of action covers it (32 CFR 170.4, 170.24(c)(2)).
            let planned = a.poam.contains { $0.requirement == e.id && $0.isOperationalPlan }
            if let ex = answer.exception, ex != .temporaryDeficiency || planned {
                credits.append(SPRSCredit(requirement: e.id, reason: .exception(ex)))
                continue
            }
            // Methodology §5(i): a capability that is not permitted deducts nothing.
            if answer.notPermitted, value.rule == .notPermittedAllowed {
                credits.append(SPRSCredit(requirement: e.id, reason: .notPermitted))
                continue
            }
            var points = value.value
            var reason: DeductionReason = status == .notAssessed ? .notAssessed : .notImplemented
            if value.rule == .partialCredit, status == .notMet {
                // Methodology §5 and Annex A: 3.5.3 and 3.13.11 take 3 in their partial case, 5 otherwise.
                switch value.partialInput {
                case .mfa?:
                    if answer.mfa == .remoteAndPrivilegedOnly {
                        points = value.partialValue ?? value.value
                        reason = .mfaPartial
                    } else if answer.mfa == MFAImplementation.none {
                        reason = .mfaNone
                    }
                case .encryption?:
                    if answer.encryption == .notFIPSValidated {
                        points = value.partialValue ?? value.value
                        reason = .encryptionNotFIPSValidated
                    } else if answer.encryption == EncryptionImplementation.none {
                        reason = .encryptionNone
                    }
                case nil:
                    break
                }
            }
            if answer.exception == .temporaryDeficiency, reason == .notImplemented { reason = .temporaryDeficiencyWithoutPlan }
            deductions.append(SPRSDeduction(requirement: e.id, points: points, reason: reason))
            if e.id == POAMRule.planRequirement { planReqDeducted = true }
            if status == .notMet, !a.poam.contains(where: { $0.requirement == e.id && $0.isPlanOfAction }) {
                notImplementedWithoutPlan.append(e.id)
            }
        }
        // Methodology §5, "plans of action": not-implemented requirements without a plan of action make 3.12.2 not implemented.
        if !notImplementedWithoutPlan.isEmpty, !planReqDeducted, let plan = catalog[POAMRule.planRequirement],
           let value = plan.sprs {
            deductions.append(SPRSDeduction(requirement: plan.id, points: value.value,
                                            reason: .noPlanOfAction(notImplementedWithoutPlan)))
        }
        let score = noSSP ? nil : SPRSResult.maximum - deductions.reduce(0) { $0 + $1.points }
        return SPRSResult(score: score, deductions: deductions, credits: credits, notAssessed: notAssessed)
    }
}

/// Where the plan of action lives in SP 800-171 rev2.
public enum POAMRule {
    /// 3.12.2 "plans of action" — deducted when unimplemented requirements have no plan (Methodology §5, "plans of action").
    public static let planRequirement = "3.12.2"
    /// 3.12.4 system security plan — without it, no score (Methodology §5, Annex A; 32 CFR 170.24(c)(2)(i)(B)(5)).
    public static let sspRequirement = "3.12.4"
}
