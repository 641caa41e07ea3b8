import Foundation

/// The DoD's FedRAMP Moderate equivalency rules (DFARS 252.204-7012(b)(2)(ii)(D); standards-facts §9.3) as
/// **versioned data**: the DoD CIO memo of 2023-12-21 and the later DoD FAQ disagree on open POA&M items, so every
/// equivalency decision stores the id of the version it was judged against and is judged again only against that
/// version — a decision keeps its version after a newer one ships (`EquivalencyRuleSet.version(_:)`).
///
/// What every version asks (the body of evidence): the SSP with its attachments, the SAP, the SAR written by a
/// FedRAMP-recognized third-party assessment organization (3PAO), the POA&M, the customer responsibility matrix, an
/// annual assessment, and 100 % of the Moderate baseline assessed. Where they differ: which POA&M items may be open.
public struct EquivalencyRuleSet: Sendable, Hashable, Codable, Identifiable {
    /// Stored with each decision; never reused for different rules.
    public let id: String
    public let title: LocalizedText
    /// Where the rules come from, as the reference notes cite it.
    public let source: String
    /// The day the guidance was published (nil when the reference notes do not record it).
    public let published: Day?
    /// Months an annual assessment stays current.
    public let annualAssessmentMonths: Int
    /// The share of the Moderate baseline the 3PAO must have assessed, in per cent.
    public let requiredBaselinePercent: Int
    /// Open POA&M items allowed, by where they came from and how severe they are: the most days an item may stay open
    /// since it was identified; nil: none may be open.
    public let openItemDays: [OpenItemRule]

    public struct OpenItemRule: Sendable, Hashable, Codable {
        public let origin: POAMItemOrigin
        public let severity: POAMItemSeverity
        /// nil: an item of this kind may not be open at all.
        public let maxDaysOpen: Int?
    }

    /// The longest an open item of `origin` and `severity` may stay open under this version (nil: not at all).
    public func maxDaysOpen(origin: POAMItemOrigin, severity: POAMItemSeverity) -> Int? {
        openItemDays.first { $0.origin == origin && $0.severity == severity }?.maxDaysOpen
    }

    /// DoD CIO memo "FedRAMP Moderate Equivalency for Cloud Service Provider's Cloud Service Offerings", 2023-12-21:
    /// 100 % of the Moderate baseline met — no POA&M item may be open.
    public static let dodMemo2023 = EquivalencyRuleSet(
        id: "dod-cio-memo-2023-12-21",
        title: LocalizedText(en: "DoD CIO memo of 2023-12-21 (no open POA&M items)",
                             ja: "米国防総省 CIO メモ 2023-12-21（未完了の POA&M 項目は不可）"),
        source: "DoD CIO memo, FedRAMP Moderate Equivalency, 2023-12-21 (standards-facts §9.3)",
        published: Day(year: 2023, month: 12, day: 21), annualAssessmentMonths: 12, requiredBaselinePercent: 100,
        openItemDays: POAMItemOrigin.allCases.flatMap { o in POAMItemSeverity.allCases.map { OpenItemRule(origin: o, severity: $0, maxDaysOpen: nil) } })

    /// The later DoD FAQ on the memo: findings of the assessment itself must all be closed, but ongoing operational
    /// POA&M items (found by continuous monitoring after the assessment) may be open within FedRAMP's remediation
    /// times — high and critical 30 days, moderate 90, low 180 (standards-facts §9.3: "sources disagree, so store the
    /// rule as versioned data"). Its publication day is not recorded in the reference notes.
    public static let dodFAQ2024 = EquivalencyRuleSet(
        id: "dod-faq-operational-poam-1",
        title: LocalizedText(en: "DoD FAQ on the equivalency memo (operational POA&M items within 30/90/180 days)",
                             ja: "米国防総省 同等性メモの FAQ（運用中の POA&M 項目は 30/90/180 日以内なら可）"),
        source: "DoD FAQ on FedRAMP Moderate equivalency, after the 2023-12-21 memo (standards-facts §9.3)",
        published: nil, annualAssessmentMonths: 12, requiredBaselinePercent: 100,
        openItemDays: POAMItemSeverity.allCases.map { OpenItemRule(origin: .assessment, severity: $0, maxDaysOpen: nil) }
            + [OpenItemRule(origin: .operational, severity: .critical, maxDaysOpen: 30),
               OpenItemRule(origin: .operational, severity: .high, maxDaysOpen: 30),
               OpenItemRule(origin: .operational, severity: .moderate, maxDaysOpen: 90),
               OpenItemRule(origin: .operational, severity: .low, maxDaysOpen: 180)])

    /// Every version Tekigo knows, oldest first; the last is offered for new decisions.
    public static let all: [EquivalencyRuleSet] = [dodMemo2023, dodFAQ2024]

    /// The version new decisions use.
    public static var current: EquivalencyRuleSet { all[all.count - 1] }

    /// The version with this id (a stored decision's), nil when unknown.
    public static func version(_ id: String) -> EquivalencyRuleSet? { all.first { $0.id == id } }

    /// Judges a body of evidence on `today` under this version: every item missing or failing, in checklist order
    /// (empty: the evidence shows FedRAMP Moderate equivalency under this version).
    public func gaps(_ c: EquivalencyChecklist, today: Day) -> [EquivalencyGap] {
        var gaps: [EquivalencyGap] = []
        for item in EquivalencyDocument.allCases where (c.documents[item] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            gaps.append(.missingDocument(item))
        }
        if c.assessor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !c.assessorRecognized {
            gaps.append(.assessorNotRecognized(c.assessor))
        }
        if c.baselineAssessedPercent < requiredBaselinePercent {
            gaps.append(.baselineNotFullyAssessed(percent: c.baselineAssessedPercent, required: requiredBaselinePercent))
        }
        if let last = c.lastAnnualAssessment {
            let due = annualAssessmentDue(after: last)
            if due < today { gaps.append(.annualAssessmentOverdue(last: last, due: due)) }
        } else {
            gaps.append(.annualAssessmentMissing)
        }
        for item in c.openPOAMItems {
            let open = item.identifiedOn.days(until: today)
            if let limit = maxDaysOpen(origin: item.origin, severity: item.severity) {
                if open > limit { gaps.append(.openItemTooLong(item, daysOpen: open, limit: limit)) }
            } else {
                gaps.append(.openItemNotAllowed(item))
            }
        }
        return gaps
    }

    /// When the next annual assessment is due after one held on `last` under this version (`annualAssessmentMonths`
    /// later): the one reckoning the verdict's gaps and the reminders share.
    public func annualAssessmentDue(after last: Day) -> Day { Self.adding(months: annualAssessmentMonths, to: last) }

    /// `day` plus `months` calendar months, a month end clamped to the target month's last day.
    public static func adding(months: Int, to day: Day) -> Day {
        let total = day.year * 12 + (day.month - 1) + months
        let year = total / 12, month = total % 12 + 1
        return Day(year: year, month: month, day: min(day.day, CivilCalendar.daysIn(month: month, year: year)))!
    }
}

/// Where an open POA&M item came from: the 3PAO's assessment (a SAR finding) or operations afterwards (continuous
/// monitoring, e.g. a vulnerability scan).
public enum POAMItemOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    case assessment
    case operational

    public var label: LocalizedText {
        switch self {
        case .assessment: return LocalizedText(en: "assessment finding", ja: "評価での指摘")
        case .operational: return LocalizedText(en: "operational (continuous monitoring)", ja: "運用中（継続的監視）")
        }
    }
}

public enum POAMItemSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case low, moderate, high, critical

    public var label: LocalizedText {
        switch self {
        case .low: return LocalizedText(en: "low", ja: "低")
        case .moderate: return LocalizedText(en: "moderate", ja: "中")
        case .high: return LocalizedText(en: "high", ja: "高")
        case .critical: return LocalizedText(en: "critical", ja: "重大")
        }
    }
}

/// One POA&M item still open in the provider's POA&M.
public struct OpenPOAMItem: Sendable, Hashable, Codable {
    public var origin: POAMItemOrigin
    public var severity: POAMItemSeverity
    public var identifiedOn: Day
    /// The provider's id or a short description.
    public var label: String

    public init(origin: POAMItemOrigin, severity: POAMItemSeverity, identifiedOn: Day, label: String) {
        self.origin = origin
        self.severity = severity
        self.identifiedOn = identifiedOn
        self.label = label
    }

    /// One line of the checklist form: `ORIGIN SEVERITY YYYY-MM-DD label…` (e.g. `operational moderate 2026-10-01 CVE
    /// scan finding`); nil when it does not read.
    public init?(line: String) {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 3, let o = POAMItemOrigin(rawValue: parts[0].lowercased()),
              let s = POAMItemSeverity(rawValue: parts[1].lowercased()), let d = Day(parts[2]) else { return nil }
        self.init(origin: o, severity: s, identifiedOn: d, label: parts.count > 3 ? parts[3].trimmingCharacters(in: .whitespaces) : "")
    }

    public var line: String { "\(origin.rawValue) \(severity.rawValue) \(identifiedOn)" + (label.isEmpty ? "" : " \(label)") }
}

/// The documents of the body of evidence, each recorded with where it is (an evidence file's SHA-256, a link, a
/// document id).
public enum EquivalencyDocument: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    case ssp
    case sspAttachments = "ssp-attachments"
    case sap
    case sar
    case poam
    case crm

    public var label: LocalizedText {
        switch self {
        case .ssp: return LocalizedText(en: "System security plan (SSP)", ja: "システムセキュリティ計画（SSP）")
        case .sspAttachments: return LocalizedText(en: "SSP attachments", ja: "SSP の添付資料")
        case .sap: return LocalizedText(en: "Security assessment plan (SAP)", ja: "セキュリティ評価計画（SAP）")
        case .sar: return LocalizedText(en: "Security assessment report (SAR) by the 3PAO", ja: "3PAO によるセキュリティ評価報告書（SAR）")
        case .poam: return LocalizedText(en: "Plan of action and milestones (POA&M)", ja: "是正計画（POA&M）")
        case .crm: return LocalizedText(en: "Customer responsibility matrix (CRM)", ja: "顧客責任分担表（CRM）")
        }
    }
}

/// The equivalency body of evidence as a contractor records it for one provider.
public struct EquivalencyChecklist: Sendable, Hashable, Codable {
    /// Where each document is (an evidence SHA-256, a link, a document id); a missing or empty entry is not there.
    public var documents: [EquivalencyDocument: String]
    /// The third-party assessment organization that wrote the SAR.
    public var assessor: String
    /// Whether that assessor is FedRAMP-recognized (A2LA-accredited 3PAO), as checked by the evaluator.
    public var assessorRecognized: Bool
    /// The share of the FedRAMP Moderate baseline the 3PAO assessed, 0–100.
    public var baselineAssessedPercent: Int
    /// The last annual assessment.
    public var lastAnnualAssessment: Day?
    public var openPOAMItems: [OpenPOAMItem]

    public init(documents: [EquivalencyDocument: String] = [:], assessor: String = "", assessorRecognized: Bool = false,
                baselineAssessedPercent: Int = 0, lastAnnualAssessment: Day? = nil, openPOAMItems: [OpenPOAMItem] = []) {
        self.documents = documents
        self.assessor = assessor
        self.assessorRecognized = assessorRecognized
        self.baselineAssessedPercent = baselineAssessedPercent
        self.lastAnnualAssessment = lastAnnualAssessment
        self.openPOAMItems = openPOAMItems
    }
}

/// One thing an equivalency body of evidence lacks under a rule set version.
public enum EquivalencyGap: Sendable, Hashable {
    case missingDocument(EquivalencyDocument)
    case assessorNotRecognized(String)
    case baselineNotFullyAssessed(percent: Int, required: Int)
    case annualAssessmentMissing
    case annualAssessmentOverdue(last: Day, due: Day)
    case openItemNotAllowed(OpenPOAMItem)
    case openItemTooLong(OpenPOAMItem, daysOpen: Int, limit: Int)

    public var text: LocalizedText {
        switch self {
        case .missingDocument(let d):
            return LocalizedText(en: "\(d.label.en): not recorded.", ja: "\(d.label.ja): 記録がありません。")
        case .assessorNotRecognized(let a):
            return a.isEmpty
                ? LocalizedText(en: "The SAR's assessor is not named; it must be a FedRAMP-recognized 3PAO.",
                                ja: "SAR を作成した評価機関が記録されていません。FedRAMP 認定の 3PAO である必要があります。")
                : LocalizedText(en: "\(a) is not confirmed as a FedRAMP-recognized 3PAO.", ja: "\(a) が FedRAMP 認定の 3PAO であることが確認されていません。")
        case .baselineNotFullyAssessed(let p, let r):
            return LocalizedText(en: "\(p) % of the FedRAMP Moderate baseline was assessed; \(r) % is required.",
                                 ja: "FedRAMP Moderate ベースラインの評価範囲が \(p) % です。\(r) % が必要です。")
        case .annualAssessmentMissing:
            return LocalizedText(en: "No annual assessment date is recorded.", ja: "年次評価の実施日が記録されていません。")
        case .annualAssessmentOverdue(let last, let due):
            return LocalizedText(en: "The annual assessment of \(last) was due again on \(due).",
                                 ja: "\(last) の年次評価の次回期限 \(due) を過ぎています。")
        case .openItemNotAllowed(let i):
            return LocalizedText(en: "Open POA&M item (\(i.origin.label.en), \(i.severity.label.en), \(i.identifiedOn)) \(i.label): this rule set allows none.",
                                 ja: "未完了の POA&M 項目（\(i.origin.label.ja)、\(i.severity.label.ja)、\(i.identifiedOn)）\(i.label): この規則版では認められません。")
        case .openItemTooLong(let i, let days, let limit):
            return LocalizedText(en: "Open POA&M item (\(i.origin.label.en), \(i.severity.label.en)) \(i.label) has been open \(days) days; at most \(limit) allowed.",
                                 ja: "未完了の POA&M 項目（\(i.origin.label.ja)、\(i.severity.label.ja)）\(i.label) が \(days) 日間未完了です。上限は \(limit) 日です。")
        }
    }
}
