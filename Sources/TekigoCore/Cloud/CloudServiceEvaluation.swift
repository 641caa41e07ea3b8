import Foundation

/// What a cloud service holds for the organization (issue 15 item 3).
public enum CloudInformation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Controlled unclassified information / covered defense information: DFARS 252.204-7012 applies.
    case cui
    /// 保護すべき情報 (Japan's defence industry information to protect): the Japanese route applies.
    case protected
    case none

    public var label: LocalizedText {
        switch self {
        case .cui: return LocalizedText(en: "CUI (covered defense information)", ja: "CUI（管理対象非機密情報）")
        case .protected: return LocalizedText(en: "Protected information (保護すべき情報)", ja: "保護すべき情報")
        case .none: return LocalizedText(en: "Neither", ja: "該当なし")
        }
    }
}

/// The rules a service must satisfy.
public enum CloudRegime: String, Sendable, Hashable, Codable, CaseIterable {
    /// DFARS 252.204-7012(b)(2)(ii)(D): FedRAMP Moderate authorized or the DoD's equivalency, and (c)–(g).
    case dfars7012 = "dfars-7012"
    /// Japan: ISMAP-registered on the day, or a documented evaluation.
    case japan

    public var label: LocalizedText {
        switch self {
        case .dfars7012: return LocalizedText(en: "DFARS 252.204-7012 (b)(2)(ii)(D): FedRAMP Moderate or equivalent, and (c)–(g)",
                                              ja: "DFARS 252.204-7012 (b)(2)(ii)(D)：FedRAMP Moderate 認可または同等、および (c)〜(g)")
        case .japan: return LocalizedText(en: "Japan: ISMAP-registered, or a documented evaluation",
                                          ja: "日本：ISMAP 登録済み、または文書化した評価")
        }
    }

    /// The regimes that follow from what a service holds: CUI → DFARS 7012, 保護すべき情報 → the Japanese route.
    public static func applicable(to information: CloudInformation) -> [CloudRegime] {
        switch information {
        case .cui: return [.dfars7012]
        case .protected: return [.japan]
        case .none: return []
        }
    }
}

/// What the platform's registry says about a service on the day (helper E's FedRAMP Marketplace import and the ISMAP
/// records entered by hand), as plain values so the rules stay pure.
public enum CloudRegistryStanding: Sendable, Hashable, Codable {
    /// A FedRAMP Marketplace product: its status and impact level exactly as printed, and its published annual
    /// assessment (as printed; nil when empty).
    case fedramp(status: String, impactLevel: String, annualAssessment: String?)
    /// An ISMAP or ISMAP-LIU registration with its validity.
    case ismap(lowImpactUse: Bool, validFrom: Day, validThrough: Day)
    /// The reference names nothing in the registry (an `other:` service, or a package id / number not imported).
    case notInRegistry
}

/// How an evaluation was decided.
public enum CloudEvaluationMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// From the FedRAMP Marketplace status on the day (the status is recorded with the decision).
    case marketplace
    /// The DoD's FedRAMP Moderate equivalency: the body of evidence judged against a rule set version.
    case equivalency
    /// ISMAP registration valid on the day.
    case ismap
    /// The organization's own documented evaluation (the Japanese route's alternative to ISMAP).
    case documented

    public var label: LocalizedText {
        switch self {
        case .marketplace: return LocalizedText(en: "FedRAMP Marketplace status", ja: "FedRAMP Marketplace のステータス")
        case .equivalency: return LocalizedText(en: "FedRAMP Moderate equivalency (body of evidence)", ja: "FedRAMP Moderate 同等性（証拠一式）")
        case .ismap: return LocalizedText(en: "ISMAP registration", ja: "ISMAP 登録")
        case .documented: return LocalizedText(en: "Documented evaluation", ja: "文書化した評価")
        }
    }
}

/// An evaluation as recorded, reduced to what the rules read.
public struct CloudEvaluationFacts: Sendable, Hashable, Codable {
    public var regime: CloudRegime
    public var method: CloudEvaluationMethod
    /// The evaluator's decision that the service meets the regime.
    public var meets: Bool
    /// For `.equivalency`: the rule set version the decision used (kept even after a newer version ships).
    public var ruleSetVersion: String?
    public var checklist: EquivalencyChecklist?
    /// The day of the evaluation.
    public var evaluatedOn: Day

    public init(regime: CloudRegime, method: CloudEvaluationMethod, meets: Bool, ruleSetVersion: String? = nil,
                checklist: EquivalencyChecklist? = nil, evaluatedOn: Day) {
        self.regime = regime
        self.method = method
        self.meets = meets
        self.ruleSetVersion = ruleSetVersion
        self.checklist = checklist
        self.evaluatedOn = evaluatedOn
    }
}

/// Where a regime stands for one service on one day.
public struct CloudRegimeVerdict: Sendable, Hashable {
    public enum Basis: String, Sendable, Hashable, Codable {
        case fedrampAuthorized = "fedramp-authorized"
        case equivalency
        case ismapRegistered = "ismap-registered"
        case documentedEvaluation = "documented-evaluation"
        /// Nothing satisfies the regime.
        case none
    }

    public let regime: CloudRegime
    public let satisfied: Bool
    public let basis: Basis
    /// What is missing or wrong, in order (empty when satisfied).
    public let missing: [LocalizedText]
    /// Facts worth saying even when satisfied (e.g. a FedRAMP 20x authorization, an expiring registration).
    public let notes: [LocalizedText]
}

/// The rules of issue 15 item 3: which regime a service must satisfy, and whether it does on a day. Pure.
///
/// DFARS 252.204-7012(b)(2)(ii)(D) (standards-facts §4.1, §9.3): a provider holding covered defense information must
/// meet the FedRAMP Moderate baseline or the DoD's equivalency, and comply with (c)–(g).
/// - A Marketplace product counts when its status is "FedRAMP Authorized" at Moderate or High
///   (`FedRAMPProduct.isAuthorizedModerateOrAbove(status:impactLevel:)`, the one place the rule is written).
/// - "20x Moderate" counts too: it is a FedRAMP authorization at the Moderate impact level granted through the FedRAMP
///   20x pilot (the Marketplace lists these 8 products as "FedRAMP Authorized"; their `impact_level_number` 6 is not a
///   rank, §9.3). The verdict says so in a note, so the evaluator can check the package covers the use.
/// - "20x Low", "Low" and "LI-SaaS" (FedRAMP's tailored Low baseline for low-impact SaaS) do not: they are below the
///   Moderate baseline; such a service needs the equivalency body of evidence.
/// - "FedRAMP Ready", "FedRAMP In Process" and "Agency In Process" are not authorizations.
/// - Otherwise the equivalency: the latest equivalency evaluation's decision "meets" **and** its body of evidence
///   passes its own rule set version on the day (`EquivalencyRuleSet.gaps`).
/// - And the provider's (c)–(g) commitments, each with its contract evidence (`CloudCommitmentKind`).
///
/// Japan (standards-facts §5.2, §9.3): ISMAP registration valid on the day (one year and four months from the day
/// after the audit period ends), or a documented evaluation deciding "meets". ISMAP-LIU is for SaaS used for low-risk
/// work and information only: it never satisfies for 保護すべき情報.
public enum CloudServiceRules {
    /// The regimes a service must satisfy: those chosen for it, else those following from its information.
    public static func regimes(information: CloudInformation, chosen: [CloudRegime]) -> [CloudRegime] {
        let set = chosen.isEmpty ? CloudRegime.applicable(to: information) : chosen
        return CloudRegime.allCases.filter(set.contains)
    }

    /// Whether an ISMAP or ISMAP-LIU registration stands for a service holding `information` on `day` (standards-facts
    /// §5.2, §9.3): valid on the day (`ISMAPValidity`: one year and four months from the day after the audit period),
    /// and not ISMAP-LIU for information to protect — ISMAP-LIU covers SaaS for low-risk work and information only.
    /// The one place this rule is written: the Japanese verdict, a recorded ISMAP evaluation and the chain's view ask it.
    public static func ismapStands(lowImpactUse: Bool, validFrom: Day, validThrough: Day, information: CloudInformation, on day: Day) -> Bool {
        validFrom <= day && day <= validThrough && (!lowImpactUse || information == .none)
    }

    /// The latest evaluation of each method for `regime` (by day; the list is taken in recorded order, later wins).
    static func latest(_ evaluations: [CloudEvaluationFacts], regime: CloudRegime, method: CloudEvaluationMethod) -> CloudEvaluationFacts? {
        evaluations.filter { $0.regime == regime && $0.method == method }
            .enumerated().max { ($0.element.evaluatedOn, $0.offset) < ($1.element.evaluatedOn, $1.offset) }?.element
    }

    /// Where `regime` stands on `today` for a service holding `information`, given the registry and the evaluations
    /// recorded (any order) and, for DFARS 7012, the provider's commitments.
    public static func verdict(regime: CloudRegime, information: CloudInformation, registry: CloudRegistryStanding,
                               evaluations: [CloudEvaluationFacts], commitments: [CloudCommitment], today: Day) -> CloudRegimeVerdict {
        switch regime {
        case .dfars7012: return dfars(information: information, registry: registry, evaluations: evaluations, commitments: commitments, today: today)
        case .japan: return japan(information: information, registry: registry, evaluations: evaluations, today: today)
        }
    }

    static func dfars(information: CloudInformation, registry: CloudRegistryStanding, evaluations: [CloudEvaluationFacts],
                      commitments: [CloudCommitment], today: Day) -> CloudRegimeVerdict {
        var missing: [LocalizedText] = [], notes: [LocalizedText] = []
        var basis: CloudRegimeVerdict.Basis = .none
        switch registry {
        case .fedramp(let status, let level, _):
            if FedRAMPProduct.isAuthorizedModerateOrAbove(status: status, impactLevel: level) {
                basis = .fedrampAuthorized
                if FedRAMPImpactLevel(rawValue: level) == .twentyXModerate {
                    notes.append(LocalizedText(en: "Authorized at Moderate through the FedRAMP 20x pilot (\"20x Moderate\"); counted as FedRAMP Moderate authorized — check that the package covers how you use the service.",
                                               ja: "FedRAMP 20x パイロットによる Moderate 認可（\"20x Moderate\"）です。FedRAMP Moderate 認可として扱います。利用方法が認可範囲に含まれるか確認してください。"))
                }
            } else {
                let below = FedRAMPImpactLevel(rawValue: level).map { !$0.meetsModerateBaseline } ?? false
                missing.append(LocalizedText(en: "FedRAMP Marketplace: \(status), \(level) — not FedRAMP Authorized at Moderate or High\(below ? " (\(level) is below the Moderate baseline)" : ""); an equivalency body of evidence is needed instead.",
                                             ja: "FedRAMP Marketplace：\(status)、\(level) — Moderate 以上の FedRAMP 認可ではありません\(below ? "（\(level) は Moderate ベースライン未満）" : "")。代わりに同等性の証拠一式が必要です。"))
            }
        case .ismap:
            missing.append(LocalizedText(en: "An ISMAP registration is not FedRAMP Moderate authorization; DFARS 7012 needs FedRAMP Moderate or the equivalency body of evidence.",
                                         ja: "ISMAP 登録は FedRAMP Moderate 認可ではありません。DFARS 7012 には FedRAMP Moderate 認可または同等性の証拠一式が必要です。"))
        case .notInRegistry:
            missing.append(LocalizedText(en: "Not in the FedRAMP Marketplace registry: record the equivalency body of evidence.",
                                         ja: "FedRAMP Marketplace の登録情報にありません。同等性の証拠一式を記録してください。"))
        }
        if basis == .none, let e = latest(evaluations, regime: .dfars7012, method: .equivalency) {
            let gaps: [EquivalencyGap]
            if let id = e.ruleSetVersion, let rules = EquivalencyRuleSet.version(id), let c = e.checklist {
                gaps = rules.gaps(c, today: today)
                if e.meets, gaps.isEmpty {
                    basis = .equivalency
                    missing.removeAll()
                    notes.append(LocalizedText(en: "Equivalency judged against \(rules.title.en) on \(e.evaluatedOn).",
                                               ja: "\(e.evaluatedOn) に \(rules.title.ja) に照らして同等性を判断。"))
                } else if !e.meets {
                    missing.append(LocalizedText(en: "The equivalency evaluation of \(e.evaluatedOn) decided the service does not meet it.",
                                                 ja: "\(e.evaluatedOn) の同等性評価は「満たさない」と判断しています。"))
                }
                if basis == .none { missing += gaps.map(\.text) }
            } else {
                missing.append(LocalizedText(en: "The equivalency evaluation of \(e.evaluatedOn) names no known rule set version.",
                                             ja: "\(e.evaluatedOn) の同等性評価に既知の規則版が記録されていません。"))
            }
        }
        let unmet = CloudCommitmentKind.allCases.filter { k in !commitments.contains { $0.kind == k && $0.isEvidenced } }
        missing += unmet.map { k in
            LocalizedText(en: "\(k.label.en): no contract evidence recorded.", ja: "\(k.label.ja)：契約上の根拠が記録されていません。")
        }
        if information != .cui {
            notes.append(LocalizedText(en: "The service is not recorded as holding CUI; DFARS 7012 was chosen for it.",
                                       ja: "このサービスは CUI を保持するとは記録されていませんが、DFARS 7012 が選ばれています。"))
        }
        return CloudRegimeVerdict(regime: .dfars7012, satisfied: basis != .none && unmet.isEmpty, basis: basis, missing: missing, notes: notes)
    }

    static func japan(information: CloudInformation, registry: CloudRegistryStanding, evaluations: [CloudEvaluationFacts],
                      today: Day) -> CloudRegimeVerdict {
        var missing: [LocalizedText] = [], notes: [LocalizedText] = []
        if case .ismap(let liu, let from, let through) = registry {
            if !(from <= today && today <= through) {
                missing.append(today > through
                    ? LocalizedText(en: "The ISMAP registration expired on \(through).", ja: "ISMAP 登録は \(through) に有効期限が切れています。")
                    : LocalizedText(en: "The ISMAP registration is valid only from \(from).", ja: "ISMAP 登録の有効期間は \(from) からです。"))
            } else if !ismapStands(lowImpactUse: liu, validFrom: from, validThrough: through, information: information, on: today) {
                missing.append(LocalizedText(en: "ISMAP-LIU covers SaaS for low-risk work and information only; \(information.label.en) needs an ISMAP registration or a documented evaluation.",
                                             ja: "ISMAP-LIU はリスクの小さな業務・情報を扱う SaaS のみが対象です。\(information.label.ja)には ISMAP 登録または文書化した評価が必要です。"))
            } else {
                if today.days(until: through) <= 60 {
                    notes.append(LocalizedText(en: "The ISMAP registration is valid through \(through).", ja: "ISMAP 登録の有効期限は \(through) です。"))
                }
                return CloudRegimeVerdict(regime: .japan, satisfied: true, basis: .ismapRegistered, missing: [], notes: notes)
            }
        } else {
            missing.append(LocalizedText(en: "Not on the ISMAP or ISMAP-LIU list in the registry.", ja: "登録情報の ISMAP / ISMAP-LIU リストにありません。"))
        }
        if let e = latest(evaluations, regime: .japan, method: .documented) {
            if e.meets {
                return CloudRegimeVerdict(regime: .japan, satisfied: true, basis: .documentedEvaluation, missing: [],
                                          notes: notes + [LocalizedText(en: "Documented evaluation of \(e.evaluatedOn).", ja: "\(e.evaluatedOn) の文書化した評価による。")])
            }
            missing.append(LocalizedText(en: "The documented evaluation of \(e.evaluatedOn) decided the service does not meet it.",
                                         ja: "\(e.evaluatedOn) の文書化した評価は「満たさない」と判断しています。"))
        } else {
            missing.append(LocalizedText(en: "No documented evaluation is recorded.", ja: "文書化した評価が記録されていません。"))
        }
        return CloudRegimeVerdict(regime: .japan, satisfied: false, basis: .none, missing: missing, notes: notes)
    }
}
