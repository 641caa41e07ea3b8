import Foundation

/// A submission as the clocks see it.
public struct SubmissionFact: Sendable, Hashable {
    public let kind: SubmissionKind
    public let submittedAt: Date
    public init(kind: SubmissionKind, submittedAt: Date) {
        self.kind = kind
        self.submittedAt = submittedAt
    }
}

/// One clock of one incident, worked out at an instant.
public struct IncidentDeadline: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Its start has not happened yet (the 90-day hold starts at the report's submission).
        case notStarted
        /// A deadline not yet met, with time left.
        case open(remaining: TimeInterval)
        /// A deadline passed without a submission that meets it.
        case overdue(by: TimeInterval)
        /// Met by a submission at `at`; `late` when that was after the due instant.
        case met(at: Date, late: Bool)
        /// A retention period still running: nothing it covers may be deleted before `due`.
        case holding(remaining: TimeInterval)
        /// A retention period that has run its course.
        case elapsed
    }

    public let regime: ReportingRegime
    public let rule: ClockRule
    /// The hours in force: the rule's, or the organization's setting for a rule marked as a setting.
    public let hours: Int
    public let startedAt: Date?
    public let due: Date?
    public let state: State

    public var isOverdue: Bool { if case .overdue = state { return true } else { return false } }
    public var isOpen: Bool { if case .open = state { return true } else { return false } }
}

/// Works out an incident's clocks. Every hour counts: durations are elapsed time from the starting instant
/// (7012(a): "within 72 hours of discovery" — weekends, holidays and daylight-saving changes do not stop it), so a
/// deadline is an instant, shown in any zone without changing.
public enum IncidentClock {
    /// The hours an organization may set for a rule marked `setting` (the rule's source gives no number).
    public static let settableHours = 1...720

    public static func deadlines(table: ReportingRegimeTable = .builtIn, clauses: Set<ContractClause>,
                                 discoveredAt: Date, submissions: [SubmissionFact], hourSettings: [String: Int] = [:],
                                 now: Date) -> [IncidentDeadline] {
        table.regimes(for: clauses).flatMap { regime in
            regime.rules.map { rule in
                deadline(regime: regime, rule: rule, discoveredAt: discoveredAt, submissions: submissions,
                         hours: effectiveHours(rule, hourSettings), now: now)
            }
        }
    }

    static func effectiveHours(_ rule: ClockRule, _ settings: [String: Int]) -> Int {
        guard rule.setting, let hours = settings[rule.id], settableHours.contains(hours) else { return rule.hours }
        return hours
    }

    static func deadline(regime: ReportingRegime, rule: ClockRule, discoveredAt: Date, submissions: [SubmissionFact],
                         hours: Int, now: Date) -> IncidentDeadline {
        let start: Date?
        switch rule.startsAt {
        case .discovery: start = discoveredAt
        case .submission(let kind): start = submissions.filter { $0.kind == kind }.map(\.submittedAt).min()
        }
        guard let start else {
            return IncidentDeadline(regime: regime, rule: rule, hours: hours, startedAt: nil, due: nil, state: .notStarted)
        }
        let due = start.addingTimeInterval(TimeInterval(hours) * 3600)
        let state: IncidentDeadline.State
        switch rule.kind {
        case .retention:
            state = now < due ? .holding(remaining: due.timeIntervalSince(now)) : .elapsed
        case .deadline:
            if let met = submissions.filter({ rule.satisfiedBy.contains($0.kind) }).map(\.submittedAt).min() {
                state = .met(at: met, late: met > due)
            } else if now <= due {
                state = .open(remaining: due.timeIntervalSince(now))
            } else {
                state = .overdue(by: now.timeIntervalSince(due))
            }
        }
        return IncidentDeadline(regime: regime, rule: rule, hours: hours, startedAt: start, due: due, state: state)
    }

    /// "71 h 05 min" / "71 時間 05 分": time left or overdue, in whole minutes, hours not folded into days (a
    /// 72-hour clock is read in hours).
    public static func duration(_ seconds: TimeInterval, _ lang: Language) -> String {
        let minutes = Int((abs(seconds) / 60).rounded(.down))
        let h = minutes / 60, m = minutes % 60
        let mm = m < 10 ? "0\(m)" : "\(m)"
        return lang == .ja ? "\(h) 時間 \(mm) 分" : "\(h) h \(mm) min"
    }
}
