import Foundation

/// What starts a clock, and what a submission was: the incident's discovery, or a report of a given kind.
public enum SubmissionKind: String, Sendable, Codable, CaseIterable {
    /// DC3 Incident Collection Format, initial report (within 72 hours).
    case dodInitial = "dod-initial"
    /// Follow-on report, citing the initial report's number.
    case dodFollowOn = "dod-follow-on"
    /// Voluntary or indicator-only report.
    case dodVoluntary = "dod-voluntary"
    /// 第一報 to the Japanese government (直ちに).
    case modFirst = "mod-first"
    /// 詳細報告 (速やかに).
    case modDetail = "mod-detail"
    /// The report number passed to the next tier up (DFARS 204.7302(b)).
    case customerNotice = "customer-notice"

    public var label: LocalizedText {
        switch self {
        case .dodInitial: return LocalizedText(en: "DoD initial report", ja: "国防総省への初回報告")
        case .dodFollowOn: return LocalizedText(en: "DoD follow-on report", ja: "国防総省への続報")
        case .dodVoluntary: return LocalizedText(en: "DoD voluntary report", ja: "国防総省への任意報告")
        case .modFirst: return LocalizedText(en: "First report to MOD (第一報)", ja: "防衛省への第一報")
        case .modDetail: return LocalizedText(en: "Detailed report to MOD (詳細報告)", ja: "防衛省への詳細報告")
        case .customerNotice: return LocalizedText(en: "Notice to customers", ja: "発注者への通知")
        }
    }

    /// Whether the recipient assigns a report number that later reports cite (the DoD does).
    public var carriesDoDReportNumber: Bool { self == .dodInitial || self == .dodFollowOn || self == .dodVoluntary }
}

/// One clock of a regime: a deadline (something must be done by then) or a retention period (something must be kept
/// at least until then).
public struct ClockRule: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable { case deadline, retention }
    /// The discovery, or the first submission of a kind.
    public enum Start: Sendable, Hashable, Codable {
        case discovery
        case submission(SubmissionKind)

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            if text == "discovery" { self = .discovery; return }
            guard let kind = SubmissionKind(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "unknown clock start '\(text)'"))
            }
            self = .submission(kind)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .discovery: try c.encode("discovery")
            case .submission(let kind): try c.encode(kind.rawValue)
            }
        }
    }

    public let id: String
    public let kind: Kind
    public let startsAt: Start
    /// Elapsed hours — every hour counts, weekends, holidays and clock changes included.
    public let hours: Int
    /// True when the source gives no hour count ("immediately", "as soon as practicable"): `hours` is Tekigo's
    /// default, which an organization may change; pages mark it as a setting, not as the rule.
    public let setting: Bool
    /// The submissions that meet a deadline (empty for a retention period).
    public let satisfiedBy: [SubmissionKind]
    public let label: LocalizedText
    /// Where the rule comes from, cited on every page that shows the clock.
    public let source: String
}

/// A body of reporting rules that applies when an affected contract carries `appliesWithClause`.
public struct ReportingRegime: Sendable, Hashable, Codable, Identifiable {
    public let id: String
    public let appliesWithClause: ContractClause
    public let title: LocalizedText
    public let rules: [ClockRule]
}

/// The versioned table of reporting regimes, read from `Resources/incidents/reporting-regimes.json`: the clocks are
/// data, and a change of rule is a new version of this file, not a code change.
public struct ReportingRegimeTable: Sendable, Hashable, Codable {
    public let version: String
    public let regimes: [ReportingRegime]

    /// The table that ships with Tekigo.
    public static let builtIn: ReportingRegimeTable = {
        guard let url = Bundle.module.url(forResource: "reporting-regimes", withExtension: "json", subdirectory: "incidents"),
              let data = try? Data(contentsOf: url) else {
            fatalError("TekigoCore's resource incidents/reporting-regimes.json is missing from the build")
        }
        do { return try ReportingRegimeTable(json: data) } catch {
            fatalError("incidents/reporting-regimes.json is invalid: \(error)")
        }
    }()

    /// Decodes and checks a table: rule ids unique, hours positive, deadlines say what meets them.
    public init(json: Data) throws {
        let decoded = try JSONDecoder().decode(Self.self, from: json)
        var seen = Set<String>()
        for rule in decoded.regimes.flatMap(\.rules) {
            guard seen.insert(rule.id).inserted else { throw IncidentError.invalidRegimeTable("rule id '\(rule.id)' appears twice") }
            guard rule.hours > 0 else { throw IncidentError.invalidRegimeTable("rule '\(rule.id)' has \(rule.hours) hours") }
            if rule.kind == .deadline, rule.satisfiedBy.isEmpty {
                throw IncidentError.invalidRegimeTable("deadline '\(rule.id)' names no submission that meets it")
            }
        }
        self = decoded
    }

    public init(version: String, regimes: [ReportingRegime]) {
        self.version = version
        self.regimes = regimes
    }

    /// The regimes an incident falls under: those whose clause one of its affected contracts carries.
    public func regimes(for clauses: Set<ContractClause>) -> [ReportingRegime] {
        regimes.filter { clauses.contains($0.appliesWithClause) }
    }

    public func rule(_ id: String) -> ClockRule? { regimes.lazy.flatMap(\.rules).first { $0.id == id } }
}
