import Foundation

/// A FedRAMP impact level as the Marketplace prints it (standards-facts §9.3): Low, LI-SaaS, Moderate, High and the
/// FedRAMP 20x pilot's "20x Low" / "20x Moderate". The file's `impact_level_number` gives the 20x levels 6, like High:
/// that number is never used to rank; `meetsModerateBaseline` says what DFARS 252.204-7012(b)(2)(ii)(D) asks.
public enum FedRAMPImpactLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case low = "Low"
    case liSaaS = "LI-SaaS"
    case moderate = "Moderate"
    case high = "High"
    case twentyXLow = "20x Low"
    case twentyXModerate = "20x Moderate"

    /// Whether the level is the Moderate baseline or above (Moderate, 20x Moderate, High).
    public var meetsModerateBaseline: Bool {
        switch self {
        case .moderate, .twentyXModerate, .high: return true
        case .low, .liSaaS, .twentyXLow: return false
        }
    }
}

/// A Marketplace status (standards-facts §9.3).
public enum FedRAMPStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case authorized = "FedRAMP Authorized"
    case ready = "FedRAMP Ready"
    case inProcess = "FedRAMP In Process"
    case agencyInProcess = "Agency In Process"
}

/// One product of the FedRAMP Marketplace as read from its `data.json`. Text fields keep what the file says (a status
/// or impact level Tekigo does not know is kept, with a warning), so a later file can be compared field by field.
public struct FedRAMPProduct: Sendable, Hashable, Codable {
    /// The package id (`id`), e.g. `FR1704369518`.
    public var packageID: String
    /// The cloud service provider (`csp`).
    public var csp: String
    /// The cloud service offering (`cso`).
    public var cso: String
    public var status: String
    public var impactLevel: String
    /// JAB, Agency or Program; nil when the file gives none.
    public var authType: String?
    /// The authorization date (YYYY-MM-DD, the file's date part), nil when not authorized ("Not Active").
    public var authDate: String?
    /// The annual assessment as published: "MM/DD" in most rows of the 2026-04-28 file (the month and day of the yearly
    /// assessment, e.g. "09/30", "12/1"; the second number runs to 31, so it is not a year), a few carry a full date;
    /// nil when empty. Read by `CloudServiceReminderSchedule.nextAnnualAssessment`.
    public var annualAssessment: String?
    /// The third-party assessment organization (`independent_assessor`).
    public var independentAssessor: String?
    public var serviceModels: [String]
    public var deploymentModel: String?
    /// How many agencies authorized it (`agency_authorizations`, or `authorization` when that list is missing).
    public var agencyAuthorizations: Int
    /// How many agencies reuse it (`reuse`).
    public var reuse: Int
    public var description: String?
    public var website: String?
    /// The package ids this product's `leveraged_systems` names: products **built on this one** (measured direction,
    /// standards-facts §9.3). What it builds on is the reverse: the products whose list names it.
    public var builtOnThis: [String]

    public init(packageID: String, csp: String, cso: String, status: String, impactLevel: String, authType: String? = nil,
                authDate: String? = nil, annualAssessment: String? = nil, independentAssessor: String? = nil,
                serviceModels: [String] = [], deploymentModel: String? = nil, agencyAuthorizations: Int = 0, reuse: Int = 0,
                description: String? = nil, website: String? = nil, builtOnThis: [String] = []) {
        self.packageID = packageID
        self.csp = csp
        self.cso = cso
        self.status = status
        self.impactLevel = impactLevel
        self.authType = authType
        self.authDate = authDate
        self.annualAssessment = annualAssessment
        self.independentAssessor = independentAssessor
        self.serviceModels = serviceModels
        self.deploymentModel = deploymentModel
        self.agencyAuthorizations = agencyAuthorizations
        self.reuse = reuse
        self.description = description
        self.website = website
        self.builtOnThis = builtOnThis
    }

    public var ref: CloudServiceRef { .fedramp(packageID: packageID) }
    public var knownImpactLevel: FedRAMPImpactLevel? { FedRAMPImpactLevel(rawValue: impactLevel) }
    public var knownStatus: FedRAMPStatus? { FedRAMPStatus(rawValue: status) }
    /// FedRAMP Authorized at the Moderate baseline or above (`isAuthorizedModerateOrAbove(status:impactLevel:)`).
    public var isAuthorizedModerateOrAbove: Bool { Self.isAuthorizedModerateOrAbove(status: status, impactLevel: impactLevel) }

    /// "FedRAMP Moderate authorized" as DFARS 252.204-7012(b)(2)(ii)(D) asks of a provider holding covered defense
    /// information (standards-facts §4.1, §9.3), read from a Marketplace status and impact level as printed: the status
    /// "FedRAMP Authorized" at a level that meets the Moderate baseline (`FedRAMPImpactLevel.meetsModerateBaseline`:
    /// Moderate, 20x Moderate, High), never by `impact_level_number`. The one place this rule is written: the registry's
    /// products, the service rules, a recorded Marketplace evaluation, the chain's view and its alerts all ask it.
    public static func isAuthorizedModerateOrAbove(status: String, impactLevel: String) -> Bool {
        FedRAMPStatus(rawValue: status) == .authorized && (FedRAMPImpactLevel(rawValue: impactLevel)?.meetsModerateBaseline ?? false)
    }
}

/// The product fields whose change a re-import records.
public enum CloudProductField: String, Sendable, Hashable, Codable, CaseIterable {
    case status
    case impactLevel = "impact-level"
    case assessor
    case annualAssessment = "annual-assessment"
    /// On the Marketplace or not: old nil and new `listed` for a product that appeared, the reverse for one removed.
    case listed

    public var label: LocalizedText {
        switch self {
        case .status: return LocalizedText(en: "Status", ja: "ステータス")
        case .impactLevel: return LocalizedText(en: "Impact level", ja: "影響度レベル")
        case .assessor: return LocalizedText(en: "Assessor (3PAO)", ja: "評価機関（3PAO）")
        case .annualAssessment: return LocalizedText(en: "Annual assessment", ja: "年次評価")
        case .listed: return LocalizedText(en: "Listed on the Marketplace", ja: "Marketplace への掲載")
        }
    }

    /// The field's value in `product` (nil for a product absent from a file).
    public func value(in product: FedRAMPProduct?) -> String? {
        guard let p = product else { return nil }
        switch self {
        case .status: return p.status
        case .impactLevel: return p.impactLevel
        case .assessor: return p.independentAssessor
        case .annualAssessment: return p.annualAssessment
        case .listed: return "listed"
        }
    }

    /// What changed between two versions of a product (nil for absent), in this enum's order.
    public static func differences(old: FedRAMPProduct?, new: FedRAMPProduct?) -> [(field: CloudProductField, old: String?, new: String?)] {
        if old == nil && new == nil { return [] }
        if old == nil || new == nil { return [(.listed, listed.value(in: old), listed.value(in: new))] }
        return allCases.filter { $0 != .listed }.compactMap { f in
            let a = f.value(in: old), b = f.value(in: new)
            return a == b ? nil : (f, a, b)
        }
    }
}

/// How registry search reads text, the same for what is stored and what a person types: Unicode compatibility forms
/// folded (full-width Latin and digits to their ASCII forms, half-width katakana to full-width) and lower case, so
/// "ＭＩＣＲＯＳＯＦＴ", "microsoft" and "Microsoft" meet, and Japanese text is compared as typed.
public enum FedRAMPSearchText {
    public static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// The search terms of what a person typed: folded, split on white space (full-width spaces too), at most 8.
    public static func terms(_ query: String) -> [String] {
        Array(fold(query).split(whereSeparator: { $0.isWhitespace }).map(String.init).prefix(8))
    }
}
