import Foundation

// Reporting readiness (issue 13 item 6): what must be in place BEFORE an incident so that the 72-hour report of
// DFARS 252.204-7012(c) can be made at all. Pure rules: no I/O; the store and the use cases feed them facts.
//
// Sources (standards-facts.md):
// - 7012(c)(3): a DoD-approved medium assurance certificate is needed to report (§4.1); the DC3 reporting portal
//   replaced DIBNet in 2025, so the channel is organization configuration, never code (§4.2).
// - SP 800-171 rev3 03.06.05 / rev2 3.6.1: an incident response plan, reviewed at a frequency the organization
//   defines (§9.1).
// - 7012(c)(1), 7012(m)(2) and the MOD special clause: who is told, and whom the organization calls, in order.

/// Where a readiness rule comes from, shown beside it.
public enum ReadinessSource {
    public static let certificate = "DFARS 252.204-7012(c)(3)"
    public static let channel = "DFARS 252.204-7012(c)(1)"
    public static let plan = "SP 800-171 rev3 03.06.05 / rev2 3.6.1"
    public static let contacts = "DFARS 252.204-7012(c)(1), (m)(2); 防衛省 情報セキュリティ特約条項"
    public static let team = "SP 800-171 rev3 03.06.05 / rev2 3.6.1"
}

/// A person's DoD-approved medium assurance certificate as Tekigo knows it: who holds it, who issued it, its serial or
/// fingerprint and its expiry day. Never the certificate or its private key.
public struct CertificateFact: Sendable, Hashable {
    public var id: String
    public var holder: String
    public var expiresOn: Day

    public init(id: String, holder: String, expiresOn: Day) {
        self.id = id
        self.holder = holder
        self.expiresOn = expiresOn
    }

    /// Valid on `today`: it expires at the end of its expiry day.
    public func isValid(on today: Day) -> Bool { today <= expiresOn }
}

/// Whom the contact chart says to call, for what.
public enum ContactRole: String, Sendable, Hashable, CaseIterable, Codable {
    case internalResponder = "internal-responder"
    case itProvider = "it-provider"
    case customerSecurity = "customer-security"
    case contractingOfficer = "contracting-officer"
    case dc3 = "dc3"
    case mod = "mod"
    case other = "other"

    public var label: LocalizedText {
        switch self {
        case .internalResponder: return LocalizedText(en: "Internal responder", ja: "社内の対応担当者")
        case .itProvider: return LocalizedText(en: "IT provider", ja: "IT 事業者（委託先）")
        case .customerSecurity: return LocalizedText(en: "Customer's security contact", ja: "顧客のセキュリティ窓口")
        case .contractingOfficer: return LocalizedText(en: "Contracting officer", ja: "契約担当官")
        case .dc3: return LocalizedText(en: "DC3 (DoD Cyber Crime Center)", ja: "DC3（米国防総省サイバー犯罪センター）")
        case .mod: return LocalizedText(en: "Ministry of Defense (Japan)", ja: "防衛省")
        case .other: return LocalizedText(en: "Other", ja: "その他")
        }
    }

    /// The roles a chart needs before an incident: someone inside, the IT provider, the customer above, and the
    /// contracting officer (the DoD and MOD channels are checked as configuration).
    public static let required: [ContactRole] = [.internalResponder, .itProvider, .customerSecurity, .contractingOfficer]
}

/// The incident response plan as readiness sees it.
public struct PlanFact: Sendable, Hashable {
    public var id: String
    public var lastReviewedOn: Day
    public var reviewMonths: Int

    public init(id: String, lastReviewedOn: Day, reviewMonths: Int) {
        self.id = id
        self.lastReviewedOn = lastReviewedOn
        self.reviewMonths = reviewMonths
    }

    /// The day the next review is due (a month end stays within its month, like `ExerciseSchedule`).
    public var nextReview: Day { ExerciseSchedule.adding(months: reviewMonths, to: lastReviewedOn) }
}

/// Everything the readiness checklist judges.
public struct ReadinessFacts: Sendable, Hashable {
    public var certificates: [CertificateFact]
    public var plan: PlanFact?
    /// The roles of the contact chart's entries (any order, repeats allowed).
    public var contactRoles: [ContactRole]
    /// The DoD reporting channel's address is configured.
    public var dodChannelConfigured: Bool
    /// The MOD reporting contact is configured.
    public var modContactConfigured: Bool
    /// Members on the incident team beyond owners and administrators (who have need-to-know by role).
    public var incidentTeamSize: Int

    public init(certificates: [CertificateFact] = [], plan: PlanFact? = nil, contactRoles: [ContactRole] = [],
                dodChannelConfigured: Bool = false, modContactConfigured: Bool = false, incidentTeamSize: Int = 0) {
        self.certificates = certificates
        self.plan = plan
        self.contactRoles = contactRoles
        self.dodChannelConfigured = dodChannelConfigured
        self.modContactConfigured = modContactConfigured
        self.incidentTeamSize = incidentTeamSize
    }
}

/// One thing missing or at risk, with what to do about it.
public struct ReadinessItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case noCertificateHolder = "no-certificate-holder"
        case oneCertificateHolder = "one-certificate-holder"
        case certificateExpiring = "certificate-expiring"
        case certificateExpired = "certificate-expired"
        case noPlan = "no-plan"
        case planReviewOverdue = "plan-review-overdue"
        case planReviewDue = "plan-review-due"
        case noContacts = "no-contacts"
        case missingContactRoles = "missing-contact-roles"
        case noDoDChannel = "no-dod-channel"
        case noMODContact = "no-mod-contact"
        case noIncidentTeam = "no-incident-team"

        /// Which part of the panel fixes it.
        public var area: ReadinessArea {
            switch self {
            case .noCertificateHolder, .oneCertificateHolder, .certificateExpiring, .certificateExpired: return .certificates
            case .noPlan, .planReviewOverdue, .planReviewDue: return .plan
            case .noContacts, .missingContactRoles: return .contacts
            case .noDoDChannel, .noMODContact: return .channels
            case .noIncidentTeam: return .team
            }
        }
    }

    public enum Severity: String, Sendable, Hashable, Comparable {
        case blocking, warning, notice
        var rank: Int { self == .blocking ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public let kind: Kind
    public let severity: Severity
    /// What is wrong and what to do, in both languages.
    public let text: LocalizedText
    public let source: String
    /// The certificate or plan it is about, if any.
    public let subject: String?
}

public enum ReadinessArea: String, Sendable, Hashable, CaseIterable {
    case certificates, plan, contacts, channels, team
}

/// The readiness rules.
public enum ReadinessRules {
    /// Fewer than this many people holding a valid certificate is a warning: one person away means nobody can report
    /// within 72 hours.
    public static let minimumHolders = 2
    /// Days before a certificate's expiry at which it is flagged and reminded (the tightest reached).
    public static let certificateThresholds = [60, 30, 7]
    /// Days before the plan's review is due at which it is flagged and reminded.
    public static let planThresholds = [30, 7]
    /// Months between reviews an organization may set, and Tekigo's default until it does (a setting, not a rule).
    public static let reviewMonths = 1...60
    public static let defaultReviewMonths = 12

    /// The tightest threshold `left` days have reached, nil when none.
    static func threshold(_ left: Int, _ thresholds: [Int]) -> Int? { thresholds.filter { left <= $0 }.min() }

    /// The checklist on `today`, most serious first.
    public static func checklist(_ f: ReadinessFacts, today: Day) -> [ReadinessItem] {
        var out: [ReadinessItem] = []
        // Certificates (7012(c)(3)).
        let src = ReadinessSource.certificate
        let holders = Set(f.certificates.filter { $0.isValid(on: today) }.map(\.holder))
        if holders.isEmpty {
            out.append(.init(kind: .noCertificateHolder, severity: .blocking, text: LocalizedText(
                en: "Nobody holds a valid DoD-approved medium assurance certificate, so nobody can submit a DoD incident report. Have at least two people obtain one and record them here. (\(src))",
                ja: "有効な DoD 承認の中保証（medium assurance）証明書を持つ人がいないため、DoD へのインシデント報告を提出できません。少なくとも 2 名が取得し、ここに登録してください。（\(src)）"),
                source: src, subject: nil))
        } else if holders.count < minimumHolders {
            out.append(.init(kind: .oneCertificateHolder, severity: .warning, text: LocalizedText(
                en: "Only \(holders.sorted().joined(separator: ", ")) holds a valid medium assurance certificate; if that person is away, nobody can report within 72 hours. Have a second person obtain one. (\(src))",
                ja: "有効な中保証証明書を持つのは \(holders.sorted().joined(separator: "、")) だけです。不在の場合、72 時間以内に報告できる人がいません。もう 1 名が取得してください。（\(src)）"),
                source: src, subject: nil))
        }
        for c in f.certificates.sorted(by: { ($0.expiresOn, $0.id) < ($1.expiresOn, $1.id) }) {
            let left = today.days(until: c.expiresOn)
            if left < 0 {
                out.append(.init(kind: .certificateExpired, severity: .warning, text: LocalizedText(
                    en: "\(c.holder)'s certificate expired on \(c.expiresOn). Renew it and record the new one, or delete this entry. (\(src))",
                    ja: "\(c.holder) の証明書は \(c.expiresOn) に期限切れになりました。更新して新しい証明書を登録するか、この項目を削除してください。（\(src)）"),
                    source: src, subject: c.id))
            } else if let t = threshold(left, certificateThresholds) {
                out.append(.init(kind: .certificateExpiring, severity: t <= 7 ? .warning : .notice, text: LocalizedText(
                    en: "\(c.holder)'s certificate expires on \(c.expiresOn), within \(t) days. Start the renewal now. (\(src))",
                    ja: "\(c.holder) の証明書は \(c.expiresOn) に期限切れになります（残り \(t) 日以内）。今すぐ更新の手続きを始めてください。（\(src)）"),
                    source: src, subject: c.id))
            }
        }
        // The plan (03.06.05 / 3.6.1).
        let psrc = ReadinessSource.plan
        if let p = f.plan {
            let due = p.nextReview, left = today.days(until: due)
            if left < 0 {
                out.append(.init(kind: .planReviewOverdue, severity: .warning, text: LocalizedText(
                    en: "The incident response plan's review was due on \(due) (every \(p.reviewMonths) months since \(p.lastReviewedOn)). Review it and record the review date. (\(psrc))",
                    ja: "インシデント対応計画の見直し期限 \(due)（前回 \(p.lastReviewedOn) から \(p.reviewMonths) か月ごと）を過ぎています。見直して見直し日を記録してください。（\(psrc)）"),
                    source: psrc, subject: p.id))
            } else if let t = threshold(left, planThresholds) {
                out.append(.init(kind: .planReviewDue, severity: .notice, text: LocalizedText(
                    en: "The incident response plan is due for review on \(due), within \(t) days. (\(psrc))",
                    ja: "インシデント対応計画の見直し期限は \(due) です（残り \(t) 日以内）。（\(psrc)）"),
                    source: psrc, subject: p.id))
            }
        } else {
            out.append(.init(kind: .noPlan, severity: .blocking, text: LocalizedText(
                en: "No incident response plan is recorded. Record its title, version, where it is kept, who approved it and when it was last reviewed. (\(psrc))",
                ja: "インシデント対応計画が登録されていません。名称、版、保管場所、承認者、最終見直し日を登録してください。（\(psrc)）"),
                source: psrc, subject: nil))
        }
        // The contact chart.
        let csrc = ReadinessSource.contacts
        if f.contactRoles.isEmpty {
            out.append(.init(kind: .noContacts, severity: .blocking, text: LocalizedText(
                en: "There is no contact chart. List whom to call, in order, with phone and e-mail: internal responders, the IT provider, the customer's security contact and the contracting officer. (\(csrc))",
                ja: "連絡体制表がありません。連絡する相手を順に、電話とメールとともに登録してください（社内の対応担当者、IT 事業者、顧客のセキュリティ窓口、契約担当官）。（\(csrc)）"),
                source: csrc, subject: nil))
        } else {
            let missing = ContactRole.required.filter { !f.contactRoles.contains($0) }
            if !missing.isEmpty {
                out.append(.init(kind: .missingContactRoles, severity: .warning, text: LocalizedText(
                    en: "The contact chart names nobody for: \(missing.map(\.label.en).joined(separator: ", ")). Add them. (\(csrc))",
                    ja: "連絡体制表に次の相手がいません：\(missing.map(\.label.ja).joined(separator: "、"))。追加してください。（\(csrc)）"),
                    source: csrc, subject: missing.map(\.rawValue).joined(separator: ",")))
            }
        }
        // Reporting channels: configuration, never code.
        let dsrc = ReadinessSource.channel
        if !f.dodChannelConfigured {
            out.append(.init(kind: .noDoDChannel, severity: .blocking, text: LocalizedText(
                en: "No DoD reporting channel is configured. Enter the current DC3 reporting address (DIBNet was replaced in 2025; check DC3's site). (\(dsrc))",
                ja: "DoD への報告窓口が設定されていません。現在の DC3 報告先アドレスを入力してください（DIBNet は 2025 年に置き換えられました。DC3 のサイトで確認してください）。（\(dsrc)）"),
                source: dsrc, subject: nil))
        }
        if !f.modContactConfigured {
            out.append(.init(kind: .noMODContact, severity: .warning, text: LocalizedText(
                en: "No Ministry of Defense reporting contact is configured. Enter the contact your contract's special clause names for the first report (直ちに). (防衛省 情報セキュリティ特約条項)",
                ja: "防衛省への報告窓口が設定されていません。契約の特約条項が第一報（直ちに）の宛先として示す窓口を入力してください。（防衛省 情報セキュリティ特約条項）"),
                source: "防衛省 情報セキュリティ特約条項", subject: nil))
        }
        // The incident team.
        if f.incidentTeamSize == 0 {
            let tsrc = ReadinessSource.team
            out.append(.init(kind: .noIncidentTeam, severity: .notice, text: LocalizedText(
                en: "Only owners and administrators can read incidents: nobody else is on the incident team. Grant the people who would respond. (\(tsrc))",
                ja: "インシデントを閲覧できるのはオーナーと管理者だけです（インシデントチームに他のメンバーがいません）。対応にあたる人を追加してください。（\(tsrc)）"),
                source: tsrc, subject: nil))
        }
        return out.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }

    /// The reminders due on `today` (pure, like `ReminderSchedule` and `ExerciseSchedule`): each certificate 60, 30 and
    /// 7 days before it expires (the tightest reached only) and once it has expired; the plan 30 and 7 days before its
    /// review is due and once it is overdue; and while fewer than two people hold a valid certificate. Keys name the
    /// certificate or plan and the day they count to, so a renewal or review starts new reminders and a late pass
    /// never sends a stale one.
    public static func reminders(_ f: ReadinessFacts, today: Day) -> [ReadinessReminder] {
        var out: [ReadinessReminder] = []
        let src = ReadinessSource.certificate
        for c in f.certificates {
            let left = today.days(until: c.expiresOn)
            let base = ["readiness", "certificate", c.id, c.expiresOn.description]
            if left < 0 {
                out.append(.init(key: ReminderSchedule.key(base + ["expired"]), kind: .certificateExpired, subject: c.id, text: LocalizedText(
                    en: "\(c.holder)'s medium assurance certificate expired on \(c.expiresOn); renew it. (\(src))",
                    ja: "\(c.holder) の中保証証明書が \(c.expiresOn) に期限切れになりました。更新してください。（\(src)）")))
            } else if let t = threshold(left, certificateThresholds) {
                out.append(.init(key: ReminderSchedule.key(base + ["within-\(t)d"]), kind: .certificateExpiring, subject: c.id, text: LocalizedText(
                    en: "\(c.holder)'s medium assurance certificate expires on \(c.expiresOn), within \(t) days; renew it. (\(src))",
                    ja: "\(c.holder) の中保証証明書は \(c.expiresOn) に期限切れになります（残り \(t) 日以内）。更新してください。（\(src)）")))
            }
        }
        let holders = Set(f.certificates.filter { $0.isValid(on: today) }.map(\.holder))
        if holders.count < minimumHolders {
            // Keyed by the set of valid holders: a change in who holds one is news, the same state is not.
            let who = holders.sorted()
            out.append(.init(key: ReminderSchedule.key(["readiness", "holders", who.isEmpty ? "none" : who.joined(separator: "+")]),
                             kind: .fewCertificateHolders, subject: "", text: LocalizedText(
                en: "\(holders.count) person(s) hold a valid medium assurance certificate; at least \(minimumHolders) are needed so that someone can always report within 72 hours. (\(src))",
                ja: "有効な中保証証明書を持つのは \(holders.count) 名です。いつでも 72 時間以内に報告できるよう、少なくとも \(minimumHolders) 名が必要です。（\(src)）")))
        }
        if let p = f.plan {
            let psrc = ReadinessSource.plan
            let due = p.nextReview, left = today.days(until: due)
            let base = ["readiness", "plan", p.id, due.description]
            if left < 0 {
                out.append(.init(key: ReminderSchedule.key(base + ["overdue"]), kind: .planReviewOverdue, subject: p.id, text: LocalizedText(
                    en: "The incident response plan's review was due on \(due); review it. (\(psrc))",
                    ja: "インシデント対応計画の見直し期限 \(due) を過ぎています。見直してください。（\(psrc)）")))
            } else if let t = threshold(left, planThresholds) {
                out.append(.init(key: ReminderSchedule.key(base + ["within-\(t)d"]), kind: .planReviewDue, subject: p.id, text: LocalizedText(
                    en: "The incident response plan is due for review on \(due), within \(t) days. (\(psrc))",
                    ja: "インシデント対応計画の見直し期限は \(due) です（残り \(t) 日以内）。（\(psrc)）")))
            }
        }
        return out
    }
}

/// A readiness reminder for the reminder engine (shown in the app, sent to webhooks, each key once).
public struct ReadinessReminder: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case certificateExpiring = "readiness-certificate-expiring"
        case certificateExpired = "readiness-certificate-expired"
        case fewCertificateHolders = "readiness-few-certificate-holders"
        case planReviewDue = "readiness-plan-review-due"
        case planReviewOverdue = "readiness-plan-review-overdue"
    }

    public let key: String
    public let kind: Kind
    /// The certificate's or plan's id; empty for the holders' count.
    public let subject: String
    public let text: LocalizedText
}

/// Everything wrong with readiness input, in both languages (`text`); `description` is the English (API, CLI).
public enum ReadinessError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(field: String)
    case tooLong(field: String, limit: Int)
    case badDate(field: String, value: String)
    case badReviewMonths(Int)
    case unknownRole(String)
    /// Something that looks like a certificate or private key was pasted where only its serial or fingerprint goes.
    case secretMaterial(field: String)
    case badAddress(field: String, value: String)
    /// The IR plan's file is not in this organization's evidence vault.
    case unknownEvidence(String)
    case notAMember(String)

    public var description: String { text.en }

    public var field: String? {
        switch self {
        case .empty(let f), .tooLong(let f, _), .badDate(let f, _), .secretMaterial(let f), .badAddress(let f, _): return f
        case .badReviewMonths: return "reviewMonths"
        case .unknownRole: return "role"
        case .unknownEvidence: return "evidence"
        case .notAMember: return "userId"
        }
    }

    public var text: LocalizedText {
        switch self {
        case .empty(let f):
            return LocalizedText(en: "\(f) is required; fill it in.", ja: "\(f) は必須です。入力してください。")
        case .tooLong(let f, let n):
            return LocalizedText(en: "\(f) is longer than \(n) characters; shorten it.", ja: "\(f) が \(n) 文字を超えています。短くしてください。")
        case .badDate(let f, let v):
            return LocalizedText(en: "\(f) '\(v)' is not a date; write it as YYYY-MM-DD.", ja: "\(f) の「\(v)」は日付ではありません。YYYY-MM-DD の形で入力してください。")
        case .badReviewMonths(let n):
            return LocalizedText(en: "A review interval of \(n) months is outside 1–60; choose a number of months in that range.",
                                 ja: "見直し間隔 \(n) か月は 1〜60 の範囲外です。範囲内の月数を指定してください。")
        case .unknownRole(let r):
            return LocalizedText(en: "'\(r)' is not a contact role; use one of \(ContactRole.allCases.map(\.rawValue).joined(separator: ", ")).",
                                 ja: "「\(r)」は連絡先の役割ではありません。\(ContactRole.allCases.map(\.rawValue).joined(separator: ", ")) のいずれかを指定してください。")
        case .secretMaterial(let f):
            return LocalizedText(en: "\(f) looks like a certificate or a private key. Tekigo never stores those: enter only the serial number or the fingerprint.",
                                 ja: "\(f) に証明書または秘密鍵のような内容があります。Tekigo はそれらを保存しません。シリアル番号またはフィンガープリントだけを入力してください。")
        case .badAddress(let f, let v):
            return LocalizedText(en: "\(f) '\(v)' is neither an https:// address nor an e-mail address; enter one of those.",
                                 ja: "\(f) の「\(v)」は https:// のアドレスでもメールアドレスでもありません。どちらかを入力してください。")
        case .unknownEvidence(let h):
            return LocalizedText(en: "No file \(h) is in this organization's evidence vault; upload the plan first, then name it.",
                                 ja: "証跡保管庫にファイル \(h) がありません。先に計画書をアップロードしてから指定してください。")
        case .notAMember(let u):
            return LocalizedText(en: "User \(u) is not a member of this organization; name a member or enter the holder's name.",
                                 ja: "ユーザー \(u) はこの組織のメンバーではありません。メンバーを指定するか、保有者の氏名を入力してください。")
        }
    }
}
