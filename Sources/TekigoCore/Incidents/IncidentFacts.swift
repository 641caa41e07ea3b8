import Foundation

/// Where an incident stands in its handling (NIST SP 800-61: detection and analysis → containment, eradication and
/// recovery → post-incident activity), one step per state so a prime reading its tree can tell "contained" from
/// "recovered".
public enum IncidentPhase: String, Sendable, Codable, CaseIterable, Comparable {
    case detected, analysing, contained, eradicated, recovered, closed

    public static func < (a: IncidentPhase, b: IncidentPhase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Forward to any later phase (a small shop contains and eradicates in one evening); back only to `analysing`,
    /// when new evidence reopens the investigation — from any later phase, a closed incident included.
    public func canMove(to next: IncidentPhase) -> Bool {
        if next == self { return false }
        if next > self { return true }
        return next == .analysing
    }

    public var label: LocalizedText {
        switch self {
        case .detected: return LocalizedText(en: "Detected", ja: "検知")
        case .analysing: return LocalizedText(en: "Analysing", ja: "分析中")
        case .contained: return LocalizedText(en: "Contained", ja: "封じ込め済み")
        case .eradicated: return LocalizedText(en: "Eradicated", ja: "根絶済み")
        case .recovered: return LocalizedText(en: "Recovered", ja: "復旧済み")
        case .closed: return LocalizedText(en: "Closed", ja: "終結")
        }
    }

    /// The Incident Core extension's `investigation_status` (incident-investigation-ov): new, open, closed.
    public var stixInvestigationStatus: String {
        switch self {
        case .detected: return "new"
        case .closed: return "closed"
        default: return "open"
        }
    }
}

/// Type of compromise, as the DoD incident report asks it (DC3 Incident Collection Format; standards-facts §4.2).
public enum CompromiseType: String, Sendable, Codable, CaseIterable {
    case unauthorizedAccess = "unauthorized-access"
    /// Including inadvertent release (CUI sent to the wrong address).
    case unauthorizedRelease = "unauthorized-release"
    case unknown
    case notApplicable = "not-applicable"

    public var label: LocalizedText {
        switch self {
        case .unauthorizedAccess: return LocalizedText(en: "Unauthorized access", ja: "不正アクセス")
        case .unauthorizedRelease: return LocalizedText(en: "Unauthorized release (including inadvertent)", ja: "不正な開示（過失を含む）")
        case .unknown: return LocalizedText(en: "Unknown", ja: "不明")
        case .notApplicable: return LocalizedText(en: "Not applicable", ja: "該当なし")
        }
    }
}

/// Outcome of the incident (DC3 Incident Collection Format).
public enum IncidentOutcome: String, Sendable, Codable, CaseIterable {
    case successfulCompromise = "successful-compromise"
    case failedAttempt = "failed-attempt"
    case unknown

    public var label: LocalizedText {
        switch self {
        case .successfulCompromise: return LocalizedText(en: "Successful compromise", ja: "侵害が成立")
        case .failedAttempt: return LocalizedText(en: "Failed attempt", ja: "未遂")
        case .unknown: return LocalizedText(en: "Unknown", ja: "不明")
        }
    }

    /// The Incident Core extension's `determination`.
    public var stixDetermination: String {
        switch self {
        case .successfulCompromise: return "confirmed"
        case .failedAttempt: return "failed-attempt"
        case .unknown: return "suspected"
        }
    }
}

/// How the incident came to light; the values are the Incident Core extension's detection-methods vocabulary, so
/// the STIX export carries them unchanged.
public enum DetectionMethod: String, Sendable, Codable, CaseIterable {
    case automatedTool = "automated-tool"
    case humanReview = "human-review"
    case userReporting = "user-reporting"
    case externalNotification = "external-notification"
    case messageFromAttacker = "message-from-attacker"
    case systemOutage = "system-outage"
    case other

    public var label: LocalizedText {
        switch self {
        case .automatedTool: return LocalizedText(en: "Security tool alert", ja: "セキュリティ製品の警告")
        case .humanReview: return LocalizedText(en: "Found in a log or system review", ja: "ログ・システムの点検で発見")
        case .userReporting: return LocalizedText(en: "Reported by an employee", ja: "従業員からの報告")
        case .externalNotification: return LocalizedText(en: "Told by someone outside (customer, CERT, police)", ja: "外部からの通知（顧客・CERT・警察など）")
        case .messageFromAttacker: return LocalizedText(en: "Message from the attacker (ransom note)", ja: "攻撃者からのメッセージ（脅迫文）")
        case .systemOutage: return LocalizedText(en: "System outage", ja: "システム停止")
        case .other: return LocalizedText(en: "Other", ja: "その他")
        }
    }
}

/// What information the incident involved.
public enum InformationInvolved: Sendable, Hashable, Codable {
    /// Covered defense information / CUI of the given category (e.g. "CTI", "EXPT").
    case cui(category: String)
    /// 保護すべき情報, designated in the 情報セキュリティ指定書 `designationReference` (its number or title).
    case protectedInformation(designationReference: String)
    /// No CUI or protected information is known to be involved (yet).
    case noneKnown

    public var text: LocalizedText {
        switch self {
        case .cui(let category):
            return LocalizedText(en: "CUI / covered defense information: \(category)", ja: "CUI（対象防衛情報）：\(category)")
        case .protectedInformation(let ref):
            return LocalizedText(en: "Protected information (情報セキュリティ指定書 \(ref))", ja: "保護すべき情報（情報セキュリティ指定書 \(ref)）")
        case .noneKnown:
            return LocalizedText(en: "None known", ja: "現時点で判明しているものはない")
        }
    }
}

/// The facts an organization records about one cyber incident (DFARS 252.204-7012(c)(1), the DC3 Incident
/// Collection Format's incident fields). Always valid: `init` checks, against the time it is recorded, that discovery
/// is not in the future and the texts are sensible.
public struct IncidentFacts: Sendable, Hashable, Codable {
    public var title: String
    /// The instant of discovery; every reporting clock starts here (7012(a): "within 72 hours of discovery").
    public var discoveredAt: Date
    /// The zone the discoverer gave the time in (IANA id, or a fixed offset such as `GMT+0900`): the record shows the
    /// time as it was given, every viewer also sees it in their own zone.
    public var discoveredTimeZone: String
    public var discoveredBy: String
    public var detectionMethod: DetectionMethod
    public var compromiseType: CompromiseType
    public var outcome: IncidentOutcome
    public var information: InformationInvolved
    /// Technique or method used (10 U.S.C. §391(b)(2)(A)).
    public var technique: String
    public var narrative: String

    public init(title: String, discoveredAt: Date, discoveredTimeZone: String, discoveredBy: String,
                detectionMethod: DetectionMethod, compromiseType: CompromiseType, outcome: IncidentOutcome,
                information: InformationInvolved, technique: String = "", narrative: String = "",
                recordedAt now: Date) throws(IncidentError) {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .emptyTitle }
        guard title.count <= 200 else { throw .textTooLong(field: "title", limit: 200) }
        // A clock a few minutes fast on the discoverer's laptop is not an error; an hour ahead is.
        guard discoveredAt <= now.addingTimeInterval(5 * 60) else { throw .discoveredInFuture(discoveredAt) }
        guard TimeZone(identifier: discoveredTimeZone) != nil else { throw .unknownTimeZone(discoveredTimeZone) }
        let by = discoveredBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !by.isEmpty else { throw .emptyDiscoverer }
        switch information {
        case .cui(let category) where category.trimmingCharacters(in: .whitespaces).isEmpty:
            throw .emptyInformationReference
        case .protectedInformation(let ref) where ref.trimmingCharacters(in: .whitespaces).isEmpty:
            throw .emptyInformationReference
        default: break
        }
        guard technique.count <= 4000 else { throw .textTooLong(field: "technique", limit: 4000) }
        guard narrative.count <= 20000 else { throw .textTooLong(field: "narrative", limit: 20000) }
        self.title = title
        self.discoveredAt = discoveredAt
        self.discoveredTimeZone = discoveredTimeZone
        self.discoveredBy = by
        self.detectionMethod = detectionMethod
        self.compromiseType = compromiseType
        self.outcome = outcome
        self.information = information
        self.technique = technique
        self.narrative = narrative
    }
}
