import Foundation
import TekigoCore
import TekigoStore

/// An incident as a client sends it (text, as typed), checked by `facts(now:)`.
///
/// The discovery time is either ISO 8601 with its offset (`2026-12-05T02:13:00+09:00`, `…Z`) or the text of an
/// HTML `datetime-local` field (`2026-12-05T02:13`) together with `discoveredTimeZone`, the IANA zone it was typed in.
/// With an offset, `discoveredTimeZone` (if given) is only the zone to show it in; without, it is required.
public struct IncidentDraft: Sendable, Hashable {
    public var title: String
    public var discoveredAt: String
    public var discoveredTimeZone: String?
    public var discoveredBy: String
    /// `DetectionMethod` raw value.
    public var detectionMethod: String
    /// `CompromiseType` raw value.
    public var compromiseType: String
    /// `IncidentOutcome` raw value.
    public var outcome: String
    /// `cui`, `protected-information` or `none-known`.
    public var informationKind: String
    /// The CUI category or the 情報セキュリティ指定書 reference (ignored for `none-known`).
    public var informationReference: String
    public var technique: String
    public var narrative: String
    /// Ids of the organization's systems.
    public var systemIDs: [String]
    /// Ids of contracts on which the organization is the supplier (`IncidentQueries.linkable()`).
    public var contractIDs: [String]
    /// An exercise: the clocks run, nothing is reported or sent. Fixed when the incident is opened.
    public var exercise: Bool

    public init(title: String, discoveredAt: String, discoveredTimeZone: String? = nil, discoveredBy: String,
                detectionMethod: String = DetectionMethod.other.rawValue, compromiseType: String = CompromiseType.unknown.rawValue,
                outcome: String = IncidentOutcome.unknown.rawValue, informationKind: String = "none-known",
                informationReference: String = "", technique: String = "", narrative: String = "",
                systemIDs: [String] = [], contractIDs: [String] = [], exercise: Bool = false) {
        self.title = title
        self.discoveredAt = discoveredAt
        self.discoveredTimeZone = discoveredTimeZone
        self.discoveredBy = discoveredBy
        self.detectionMethod = detectionMethod
        self.compromiseType = compromiseType
        self.outcome = outcome
        self.informationKind = informationKind
        self.informationReference = informationReference
        self.technique = technique
        self.narrative = narrative
        self.systemIDs = systemIDs
        self.contractIDs = contractIDs
        self.exercise = exercise
    }

    /// The instant of discovery and the zone to show it in (the given IANA zone, else the written offset).
    public func discovery() throws -> (date: Date, zone: String) {
        let zoneText = discoveredTimeZone?.trimmingCharacters(in: .whitespaces)
        let zone = zoneText?.isEmpty == false ? zoneText : nil
        if let zone, TimeZone(identifier: zone) == nil { throw IncidentError.unknownTimeZone(zone) }
        let parsed: Result<OffsetInstant, IncidentError>
        do { parsed = .success(try OffsetInstant.parse(discoveredAt)) } catch { parsed = .failure(error) }
        switch parsed {
        case .success(let instant):
            return (instant.date, zone ?? instant.timeZone.identifier)
        case .failure(let error):
            guard case .instantWithoutOffset(let text) = error else { throw error }
            guard let zone, let tz = TimeZone(identifier: zone) else { throw IncidentUseCaseError.zoneRequired(text) }
            return (try Self.local(text, in: tz), zone)
        }
    }

    /// A wall-clock time without offset read in `zone` (a time skipped by a daylight-saving change moves forward).
    public static func local(_ text: String, in zone: TimeZone) throws -> Date {
        let asUTC = try OffsetInstant.parse(text.trimmingCharacters(in: .whitespaces) + "Z").date
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: asUTC)
        c.timeZone = zone
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        guard let d = cal.date(from: c) else { throw IncidentError.malformedInstant(text) }
        return d
    }

    static func value<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ raw: String, field: String) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
            throw IncidentUseCaseError.unknownValue(field: field, value: raw, allowed: T.allCases.map(\.rawValue))
        }
        return v
    }

    /// The facts, checked against `now` (`IncidentFacts`: discovery not in the future, texts sensible), or the first
    /// problem in field order.
    public func facts(now: Date) throws -> IncidentFacts {
        let (date, zone) = try discovery()
        let method = try Self.value(DetectionMethod.self, detectionMethod, field: "detectionMethod")
        let compromise = try Self.value(CompromiseType.self, compromiseType, field: "compromiseType")
        let outcome = try Self.value(IncidentOutcome.self, outcome, field: "outcome")
        let information: InformationInvolved
        switch informationKind.trimmingCharacters(in: .whitespaces) {
        case "cui": information = .cui(category: informationReference.trimmingCharacters(in: .whitespaces))
        case "protected-information":
            information = .protectedInformation(designationReference: informationReference.trimmingCharacters(in: .whitespaces))
        case "none-known", "": information = .noneKnown
        default:
            throw IncidentUseCaseError.unknownValue(field: "informationKind", value: informationKind, allowed: IncidentRecord.informationKinds)
        }
        return try IncidentFacts(title: title, discoveredAt: date, discoveredTimeZone: zone, discoveredBy: discoveredBy,
                                 detectionMethod: method, compromiseType: compromise, outcome: outcome, information: information,
                                 technique: technique, narrative: narrative, recordedAt: now)
    }
}
