import Foundation

/// Which ISMAP list a registration is on (standards-facts §5.2): ISMAP (機密性2 information) or ISMAP-LIU, for SaaS
/// used for low-risk work and information (since 2022-11-01).
public enum ISMAPKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ismap = "ISMAP"
    case liu = "ISMAP-LIU"
}

/// One service on the ISMAP or ISMAP-LIU cloud service list, entered by hand (the portal publishes no machine-readable
/// list): the registration number, the service and its provider, and the five items the list publishes per service —
/// the service name, the scope of the statement, the control objectives, the audit period and subsequent events.
public struct ISMAPRecord: Sendable, Hashable, Codable {
    public var registrationNumber: String
    public var kind: ISMAPKind
    public var serviceName: String
    public var provider: String
    /// 言明の対象範囲: what the provider's statement covers.
    public var scope: String
    /// 管理策: the control objectives the statement names (free text as published).
    public var controlObjectives: String
    public var auditPeriodStart: Day
    public var auditPeriodEnd: Day
    /// 後発事象: events after the audit period, as published; empty when none.
    public var subsequentEvents: String

    public init(registrationNumber: String, kind: ISMAPKind, serviceName: String, provider: String, scope: String,
                controlObjectives: String, auditPeriodStart: Day, auditPeriodEnd: Day, subsequentEvents: String = "") {
        self.registrationNumber = registrationNumber
        self.kind = kind
        self.serviceName = serviceName
        self.provider = provider
        self.scope = scope
        self.controlObjectives = controlObjectives
        self.auditPeriodStart = auditPeriodStart
        self.auditPeriodEnd = auditPeriodEnd
        self.subsequentEvents = subsequentEvents
    }

    /// The key other records use for this registration.
    public var ref: CloudServiceRef { .ismap(registrationNumber: registrationNumber) }

    /// The registration's validity (`ISMAPValidity.period`).
    public var validity: ISMAPValidity.Period { ISMAPValidity.period(auditPeriodEnd: auditPeriodEnd) }

    /// Checks what a person entered: trimmed text, a registration number without spaces, the required items present,
    /// and an audit period that does not end before it starts. Returns the record trimmed.
    public func validated() throws(ISMAPRecordError) -> ISMAPRecord {
        var r = self
        r.registrationNumber = registrationNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        r.serviceName = serviceName.trimmingCharacters(in: .whitespacesAndNewlines)
        r.provider = provider.trimmingCharacters(in: .whitespacesAndNewlines)
        r.scope = scope.trimmingCharacters(in: .whitespacesAndNewlines)
        r.controlObjectives = controlObjectives.trimmingCharacters(in: .whitespacesAndNewlines)
        r.subsequentEvents = subsequentEvents.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(r.registrationNumber.count), !r.registrationNumber.contains(where: { $0.isWhitespace }),
              !r.registrationNumber.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidRegistrationNumber(registrationNumber)
        }
        for (field, value, limit) in [("serviceName", r.serviceName, 500), ("provider", r.provider, 500)] {
            if value.isEmpty { throw .missing(field: field) }
            if value.count > limit { throw .tooLong(field: field, limit: limit) }
        }
        for (field, value) in [("scope", r.scope), ("controlObjectives", r.controlObjectives), ("subsequentEvents", r.subsequentEvents)]
            where value.count > 20_000 {
            throw .tooLong(field: field, limit: 20_000)
        }
        guard r.auditPeriodEnd >= r.auditPeriodStart else {
            throw .auditPeriodEndsBeforeStart(start: r.auditPeriodStart, end: r.auditPeriodEnd)
        }
        return r
    }
}

/// What an ISMAP record entered by hand may not be, naming the field, in both languages.
public enum ISMAPRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidRegistrationNumber(String)
    case missing(field: String)
    case tooLong(field: String, limit: Int)
    /// The audit period's end (`auditPeriodEnd`) is before its start.
    case auditPeriodEndsBeforeStart(start: Day, end: Day)
    case invalidDate(field: String, text: String)
    case unknownKind(String)

    public var field: String {
        switch self {
        case .invalidRegistrationNumber: return "registrationNumber"
        case .missing(let f), .tooLong(let f, _), .invalidDate(let f, _): return f
        case .auditPeriodEndsBeforeStart: return "auditPeriodEnd"
        case .unknownKind: return "kind"
        }
    }

    public var description: String { message.en }

    public var message: LocalizedText {
        switch self {
        case .invalidRegistrationNumber(let t):
            return LocalizedText(en: "registrationNumber: '\(t)' is not a registration number (1–64 characters, no spaces), as the ISMAP list prints it.",
                                 ja: "registrationNumber: 「\(t)」は登録番号として読めません（空白を含まない 1〜64 文字で、ISMAP クラウドサービスリストの表記どおりに）。")
        case .missing(let f):
            return LocalizedText(en: "\(f): required; copy it from the ISMAP cloud service list.",
                                 ja: "\(f): 必須です。ISMAP クラウドサービスリストから写してください。")
        case .tooLong(let f, let limit):
            return LocalizedText(en: "\(f): longer than \(limit) characters.", ja: "\(f): \(limit) 文字を超えています。")
        case .auditPeriodEndsBeforeStart(let s, let e):
            return LocalizedText(en: "auditPeriodEnd: the audit period ends (\(e)) before it starts (\(s)); check both dates.",
                                 ja: "auditPeriodEnd: 監査対象期間の終了日（\(e)）が開始日（\(s)）より前です。両方の日付を確認してください。")
        case .invalidDate(let f, let t):
            return LocalizedText(en: "\(f): '\(t)' is not a date (YYYY-MM-DD).", ja: "\(f): 「\(t)」は日付（YYYY-MM-DD）として読めません。")
        case .unknownKind(let t):
            return LocalizedText(en: "kind: '\(t)' is neither ISMAP nor ISMAP-LIU.", ja: "kind: 「\(t)」は ISMAP でも ISMAP-LIU でもありません。")
        }
    }
}

/// How long an ISMAP registration stands (standards-facts §9.3 "ISMAP list", from the ISMAP portal): valid one year and
/// four months from the day after the audit period ends.
public enum ISMAPValidity {
    public struct Period: Sendable, Hashable, Codable {
        /// The day after the audit period ends: the first valid day.
        public let validFrom: Day
        /// The last valid day: one year and four months after `validFrom`, less a day.
        public let validThrough: Day

        /// Whether `day` falls within the registration's validity.
        public func isValid(on day: Day) -> Bool { validFrom <= day && day <= validThrough }
    }

    /// Months of validity: one year and four months.
    public static let months = 16

    /// The validity of a registration whose audit period ends on `auditPeriodEnd`: from the next day, for sixteen
    /// months — through the day before the same day of the sixteenth month, or that month's last day when it has no
    /// such day.
    public static func period(auditPeriodEnd: Day) -> Period {
        let start = CivilCalendar.date(days: CivilCalendar.days(year: auditPeriodEnd.year, month: auditPeriodEnd.month, day: auditPeriodEnd.day) + 1)
        let monthIndex = start.year * 12 + (start.month - 1) + months
        let y = monthIndex / 12, m = monthIndex % 12 + 1
        // The day before the corresponding day of the sixteenth month; a month without that day ends the period on its
        // last day (as the Civil Code reckons periods in months, 民法 143 条 2 項).
        let last = CivilCalendar.daysIn(month: m, year: y)
        let end: (year: Int, month: Int, day: Int) = start.day > last ? (y, m, last) : CivilCalendar.date(days: CivilCalendar.days(year: y, month: m, day: start.day) - 1)
        return Period(validFrom: Day(year: start.year, month: start.month, day: start.day)!,
                      validThrough: Day(year: end.year, month: end.month, day: end.day)!)
    }
}
