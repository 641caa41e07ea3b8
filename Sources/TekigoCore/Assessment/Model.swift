import Foundation

/// A calendar day (no time zone arithmetic): assessment dates, due dates, milestones.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        // Four-digit years only: assessments, due dates and evidence dates are never outside 1900–9999.
        // Checked with the Gregorian rules directly: pages parse hundreds of dates per request, and a Calendar
        // round trip per date showed in profiles (docs/PERFORMANCE.md).
        guard (1900...9999).contains(year), (1...12).contains(month), (1...Day.days(inMonth: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year; self.month = month; self.day = day
    }

    /// 28–31: the Gregorian calendar's month lengths (a leap year every 4 years, not every 100, every 400).
    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2026-11-27`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(_ date: Date) {
        let c = Day.calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year!; month = c.month!; day = c.day!
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    public var date: Date {
        Day.calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    public func adding(days: Int) -> Day { Day(Day.calendar.date(byAdding: .day, value: days, to: date)!) }

    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(s)' is not a date (YYYY-MM-DD)"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The company being assessed.
public struct Organization: Sendable, Hashable, Codable {
    public var name: String
    /// CAGE codes mapped to this system's SSP (SPRS posts the score against them).
    public var cageCodes: [String]
    /// SAM Unique Entity ID.
    public var uei: String?
    /// 法人番号 (13 digits).
    public var corporateNumber: String?

    public init(name: String, cageCodes: [String] = [], uei: String? = nil, corporateNumber: String? = nil) {
        self.name = name
        self.cageCodes = cageCodes
        self.uei = uei
        self.corporateNumber = corporateNumber
    }
}

/// One part of the system inside the assessment boundary.
public struct SystemComponent: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var description: String

    public init(name: String, type: String, description: String = "") {
        self.name = name
        self.type = type
        self.description = description
    }
}

/// The system (the SSP's scope) that handles CUI / 保護すべき情報.
public struct SystemProfile: Sendable, Hashable, Codable {
    public var name: String
    public var boundary: String
    public var environment: String
    /// Kinds of CUI / 保護すべき情報 the system stores, processes or transmits.
    public var informationTypes: [String]
    public var components: [SystemComponent]
    public var userCount: Int

    public init(name: String, boundary: String = "", environment: String = "", informationTypes: [String] = [],
                components: [SystemComponent] = [], userCount: Int = 0) {
        self.name = name
        self.boundary = boundary
        self.environment = environment
        self.informationTypes = informationTypes
        self.components = components
        self.userCount = userCount
    }
}

/// Who assesses, with what confidence (DoD Assessment Methodology §3; 32 CFR 170.16).
public enum AssessmentKind: String, Sendable, Codable, CaseIterable {
    case basic        // contractor self-assessment (Low confidence)
    case medium       // DoD review of the SSP (Medium)
    case high         // DoD on-site/virtual verification (High)
    case cmmcL2Self = "cmmc-l2-self"

    public var label: LocalizedText {
        switch self {
        case .basic: return LocalizedText(en: "Basic (self-assessment)", ja: "Basic（自己評価）")
        case .medium: return LocalizedText(en: "Medium", ja: "Medium")
        case .high: return LocalizedText(en: "High", ja: "High")
        case .cmmcL2Self: return LocalizedText(en: "CMMC Level 2 self-assessment", ja: "CMMC レベル2 自己評価")
        }
    }
}

/// The answer for one assessment objective (32 CFR 170.24(b)).
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case met
    case notMet = "not-met"
    case notApplicable = "not-applicable"
    case notAssessed = "not-assessed"

    public var label: LocalizedText {
        switch self {
        case .met: return LocalizedText(en: "Met", ja: "適合")
        case .notMet: return LocalizedText(en: "Not met", ja: "不適合")
        case .notApplicable: return LocalizedText(en: "Not applicable", ja: "該当なし")
        case .notAssessed: return LocalizedText(en: "Not assessed", ja: "未評価")
        }
    }
}

/// A file or URL that supports a finding, pinned by its digest.
public struct EvidenceRef: Sendable, Hashable, Codable {
    public var location: String
    public var sha256: String?
    public var size: Int?
    public var date: Day?

    public init(location: String, sha256: String? = nil, size: Int? = nil, date: Day? = nil) {
        self.location = location
        self.sha256 = sha256
        self.size = size
        self.date = date
    }
}

public struct Finding: Sendable, Hashable, Codable {
    public var status: FindingStatus
    public var rationale: String
    public var evidence: [EvidenceRef]
    public var assessedBy: String?
    public var assessedOn: Day?
    /// Set while the answer is one copied from a previous assessment that nobody has confirmed yet (issue 17 item 4):
    /// where it came from (an assessment id on a server, a folder or file for the CLI). It still counts as the answer
    /// (score and progress read the status alone); a person's save or "confirm as is" clears it.
    public var carriedOverFrom: String?

    public init(status: FindingStatus, rationale: String = "", evidence: [EvidenceRef] = [], assessedBy: String? = nil,
                assessedOn: Day? = nil, carriedOverFrom: String? = nil) {
        self.status = status
        self.rationale = rationale
        self.evidence = evidence
        self.assessedBy = assessedBy
        self.assessedOn = assessedOn
        self.carriedOverFrom = carriedOverFrom
    }

    /// Whether the answer was carried over from a previous assessment and still waits for a person to confirm it.
    public var needsReview: Bool { carriedOverFrom != nil }

    /// A person saved the answer or confirmed it as it is: it no longer waits for review (issue 17 item 4).
    public mutating func markReviewed() { carriedOverFrom = nil }
}

/// 3.5.3: how far multifactor authentication reaches (DoD Assessment Methodology §5 and Annex A).
public enum MFAImplementation: String, Sendable, Codable, CaseIterable {
    case none
    case remoteAndPrivilegedOnly = "remote-and-privileged-only"
    case allUsers = "all-users"
}

/// 3.13.11: the cryptography protecting CUI (DoD Assessment Methodology §5 and Annex A).
public enum EncryptionImplementation: String, Sendable, Codable, CaseIterable {
    case none
    case notFIPSValidated = "not-fips-validated"
    case fipsValidated = "fips-validated"
}

/// Cases the methodology scores as implemented although something is missing (Methodology §5).
public enum ScoringException: String, Sendable, Codable, CaseIterable {
    /// Arose after implementation and is covered by a plan of action.
    case temporaryDeficiency = "temporary-deficiency"
    /// Isolated, documented in the SSP with mitigations.
    case enduringException = "enduring-exception"
    /// DoD CIO adjudicated the requirement as not applicable or met by an alternative measure.
    case cioAdjudicated = "cio-adjudicated"
}

/// What the assessor says about a requirement as a whole.
public struct RequirementAnswer: Sendable, Hashable, Codable {
    /// The SSP's implementation statement.
    public var implementation: String
    public var mfa: MFAImplementation?
    public var encryption: EncryptionImplementation?
    /// 3.1.12, 3.1.13, 3.1.16, 3.1.17, 3.1.18: the capability is not permitted at all.
    public var notPermitted: Bool
    public var exception: ScoringException?
    public var exceptionNote: String?

    public init(implementation: String = "", mfa: MFAImplementation? = nil, encryption: EncryptionImplementation? = nil,
                notPermitted: Bool = false, exception: ScoringException? = nil, exceptionNote: String? = nil) {
        self.implementation = implementation
        self.mfa = mfa
        self.encryption = encryption
        self.notPermitted = notPermitted
        self.exception = exception
        self.exceptionNote = exceptionNote
    }

    public var isEmpty: Bool { self == RequirementAnswer() }
}

public enum POAMStatus: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in-progress"
    case completed

    public var label: LocalizedText {
        switch self {
        case .open: return LocalizedText(en: "Open", ja: "未着手")
        case .inProgress: return LocalizedText(en: "In progress", ja: "対応中")
        case .completed: return LocalizedText(en: "Completed", ja: "完了")
        }
    }
}

public struct Milestone: Sendable, Hashable, Codable {
    public var description: String
    public var due: Day
    public var done: Bool

    public init(description: String, due: Day, done: Bool = false) {
        self.description = description
        self.due = due
        self.done = done
    }
}

/// One plan-of-action item (是正計画の項目) for a requirement that is not met.
public struct POAMItem: Sendable, Hashable, Codable {
    public var requirement: String
    public var weakness: String
    public var milestones: [Milestone]
    public var owner: String
    public var resources: String
    public var status: POAMStatus
    public var scheduledCompletion: Day?
    public var completedOn: Day?

    public init(requirement: String, weakness: String, milestones: [Milestone] = [], owner: String = "",
                resources: String = "", status: POAMStatus = .open, scheduledCompletion: Day? = nil,
                completedOn: Day? = nil) {
        self.requirement = requirement
        self.weakness = weakness
        self.milestones = milestones
        self.owner = owner
        self.resources = resources
        self.status = status
        self.scheduledCompletion = scheduledCompletion
        self.completedOn = completedOn
    }

    /// The date this item is planned to close: its scheduled completion, else its last milestone.
    public var plannedCompletion: Day? { scheduledCompletion ?? milestones.map(\.due).max() }

    /// A plan of action in the methodology's sense has a date by which the gap closes.
    public var isPlanOfAction: Bool { status == .completed || plannedCompletion != nil }

    /// An operational plan of action (32 CFR 170.4): still open and dated — what a temporary deficiency must be
    /// documented in to score as implemented. An item marked completed while the requirement is still not met is not.
    public var isOperationalPlan: Bool { status != .completed && plannedCompletion != nil }
}

/// One assessment of one system against one catalog on one date.
public struct Assessment: Sendable, Hashable {
    public var organization: Organization
    public var system: SystemProfile
    public var catalog: CatalogID
    public var date: Day
    public var kind: AssessmentKind
    public var assessor: String
    /// Keyed by objective id (`3.1.1[a]`).
    public var findings: [String: Finding]
    /// Keyed by requirement id (`3.5.3`).
    public var answers: [String: RequirementAnswer]
    public var poam: [POAMItem]
    /// The date the results were posted (in SPRS; for a C3PAO assessment, to CMMC eMASS): the Conditional CMMC
    /// Status Date from which the 180-day POA&M closeout counts (32 CFR 170.21(b)). Nil until it is recorded.
    public var resultsPostedOn: Day?

    public init(organization: Organization, system: SystemProfile, catalog: CatalogID = .sp800171r2, date: Day,
                kind: AssessmentKind = .basic, assessor: String = "", findings: [String: Finding] = [:],
                answers: [String: RequirementAnswer] = [:], poam: [POAMItem] = [], resultsPostedOn: Day? = nil) {
        self.organization = organization
        self.system = system
        self.catalog = catalog
        self.date = date
        self.kind = kind
        self.assessor = assessor
        self.findings = findings
        self.answers = answers
        self.poam = poam
        self.resultsPostedOn = resultsPostedOn
    }

    public func status(of objective: String) -> FindingStatus { findings[objective]?.status ?? .notAssessed }
    public func answer(for requirement: String) -> RequirementAnswer { answers[requirement] ?? RequirementAnswer() }
}
