import Foundation

/// A reminder that is due, with a key that stays the same for as long as it describes the same situation, so a
/// scheduler that records the keys it has sent sends each reminder once.
public struct Reminder: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A requirement whose minimum is not met yet is due within this many days (30 or 7).
        case requirementDue(withinDays: Int)
        /// An attestation reaches its last day within this many days (90, 30 or 7).
        case attestationExpiring(withinDays: Int)
        /// The requirement's minimum is not met: the shared attestation falls short or has expired, or the due
        /// date has passed without one (`overdue`).
        case minimumUnmet(overdue: Bool)
    }

    /// Stable: built only from ids, dates, the threshold and the state reminded of, never from the day it is
    /// computed. A new attestation, a new due date or a new state gives a new key; nothing else does.
    public let key: String
    public let kind: Kind
    /// The supplier the reminder is about.
    public let supplier: String
    /// The customer that set the requirement (nil for expiry reminders).
    public let customer: String?
    public let catalog: CatalogID
    /// The requirement's due date, or the attestation's last valid day.
    public let date: Day
    /// Days from the computing date to `date` (negative when overdue).
    public let daysLeft: Int
    public let minimum: FlowDownRequirement.Minimum?
    /// The attestation concerned, if any.
    public let attestation: String?
    public let shortfalls: [MinimumShortfall]

    public func text(_ lang: Language) -> String {
        let what = minimum.map { "\(catalog): \($0.text(lang))" } ?? catalog.rawValue
        let from = customer ?? ""
        switch kind {
        case .requirementDue:
            return lang == .ja
                ? "\(from) から \(supplier) への要求（\(what)）の期限は \(date)（あと \(daysLeft) 日）ですが、まだ満たされていません。"
                : "\(from)'s requirement on \(supplier) (\(what)) is due \(date), in \(daysLeft) day(s), and is not met yet."
        case .attestationExpiring:
            return lang == .ja
                ? "\(supplier) の証明（\(attestation ?? "")、\(catalog)）の有効期限は \(date)（あと \(daysLeft) 日）です。"
                    + "期限までに再評価し、新しい証明を発行してください（DFARS 252.204-7019(b)：評価の有効期間は最長3年）。"
                : "\(supplier)'s attestation \(attestation ?? "") (\(catalog)) is current until \(date), \(daysLeft) day(s) "
                    + "left; reassess and issue a new one before then (DFARS 252.204-7019(b): at most 3 years old)."
        case .minimumUnmet(let overdue):
            let why = shortfalls.map { $0.text(lang) }.joined(separator: lang == .ja ? "、" : "; ")
            if overdue {
                return lang == .ja
                    ? "\(from) から \(supplier) への要求（\(what)）は期限 \(date) を過ぎても満たされていません" + (why.isEmpty ? "。" : "：\(why)。")
                    : "\(from)'s requirement on \(supplier) (\(what)) was due \(date) and is not met" + (why.isEmpty ? "." : ": \(why).")
            }
            return lang == .ja
                ? "\(supplier) が共有した証明は \(from) の要求（\(what)）を満たしていません" + (why.isEmpty ? "。" : "：\(why)。")
                : "the attestation \(supplier) shared does not meet \(from)'s requirement (\(what))" + (why.isEmpty ? "." : ": \(why).")
        }
    }
}

/// Which reminders are due at a date. Pure: the same inputs always give the same reminders and keys.
public enum ReminderSchedule {
    /// Days before a requirement's due date.
    public static let requirementThresholds = [7, 30]
    /// Days before an attestation's last valid day.
    public static let expiryThresholds = [7, 30, AttestationPayload.expiringWindowDays]

    /// - `requirements`: what customers require of their direct suppliers.
    /// - `attestations`: each supplier's latest attestation, by organization id.
    ///
    /// For each requirement whose minimum is not met (`SupplierStatus`): a `requirementDue` reminder when the due
    /// date is 0…30 days away (threshold 7 when 7 or fewer, else 30); a `minimumUnmet` reminder when the attestation
    /// falls short or has expired, or when the due date has passed. For each attestation 0…90 days from its last day:
    /// an `attestationExpiring` reminder (threshold 7, 30 or 90, the smallest reached). Only the tightest threshold
    /// reached is reported, so a late run never sends a stale "30 days" notice. Sorted by key.
    public static func due(requirements: [FlowDownRequirement], attestations: [String: AttestationPayload],
                           at date: Day) -> [Reminder] {
        var out: [Reminder] = []
        for r in requirements {
            let attestation = attestations[r.edge.supplier]
            let status = SupplierStatus.evaluate(requirement: r, attestation: attestation, at: date)
            guard status.kind.failsMinimum else { continue }
            let left = date.days(until: r.due)
            let base = ["requirement", r.edge.customer, r.edge.supplier, r.catalog.rawValue, r.due.description]
            func reminder(_ kind: Reminder.Kind, _ key: [String]) -> Reminder {
                Reminder(key: Self.key(key), kind: kind, supplier: r.edge.supplier, customer: r.edge.customer,
                         catalog: r.catalog, date: r.due, daysLeft: left, minimum: r.minimum,
                         attestation: attestation?.id, shortfalls: status.shortfalls)
            }
            if left >= 0, let t = requirementThresholds.first(where: { left <= $0 }) {
                out.append(reminder(.requirementDue(withinDays: t), base + ["due", "\(t)"]))
            }
            let fallsShort = status.kind == .belowMinimum || status.kind == .expired
            if fallsShort || status.overdue {
                let attested = status.kind == .missing ? "none" : attestation?.id ?? "none"
                out.append(reminder(.minimumUnmet(overdue: status.overdue),
                                    base + ["unmet", attested, status.kind.rawValue, status.overdue ? "overdue" : "before-due"]))
            }
        }
        for (supplier, a) in attestations where a.organization.id == supplier {
            let left = a.daysUntilExpiry(at: date)
            guard left >= 0, let t = expiryThresholds.first(where: { left <= $0 }) else { continue }
            out.append(Reminder(key: key(["attestation", a.id, a.expiresAt.description, "expiring", "\(t)"]),
                                kind: .attestationExpiring(withinDays: t), supplier: supplier, customer: nil,
                                catalog: a.catalog, date: a.expiresAt, daysLeft: left, minimum: nil, attestation: a.id,
                                shortfalls: []))
        }
        return out.sorted { $0.key < $1.key }
    }

    /// Parts joined by `/`, each with `%` and `/` percent-encoded, so different parts never give the same key.
    static func key(_ parts: [String]) -> String {
        parts.map { $0.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F") }
            .joined(separator: "/")
    }
}
