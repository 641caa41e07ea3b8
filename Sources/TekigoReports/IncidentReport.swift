import Foundation
import TekigoCore

/// Where a report is to be submitted: the channel's name and its address (a portal URL, a telephone number, an
/// e-mail address). Configuration, never code — DIBNet was replaced by the DC3 portal in 2025, and the MOD desk a
/// supplier reports to is named in its contract.
public struct IncidentReportChannel: Sendable, Hashable, Codable {
    public var name: LocalizedText
    public var address: String

    public init(name: LocalizedText, address: String) {
        self.name = name
        self.address = address
    }
}

/// What an incident report draft is made from: the dossier, the draft fields, the kind of report, where it goes,
/// when it is generated and in which zone its times are written (the discoverer's zone unless given).
public struct IncidentReportInput: Sendable {
    public var dossier: IncidentDossier
    public var fields: IncidentReportFields
    /// For a DoD report the kind decides the report type shown (pages pass `fields.reportType.kind`).
    public var kind: IncidentReportKind
    public var channel: IncidentReportChannel
    public var generatedAt: Date
    public var timeZone: TimeZone

    public init(dossier: IncidentDossier, fields: IncidentReportFields, kind: IncidentReportKind,
                channel: IncidentReportChannel, generatedAt: Date, timeZone: TimeZone? = nil) {
        self.dossier = dossier
        self.fields = fields
        self.kind = kind
        self.channel = channel
        self.generatedAt = generatedAt
        self.timeZone = timeZone ?? TimeZone(identifier: dossier.facts.discoveredTimeZone) ?? TimeZone(identifier: "UTC")!
    }

    /// ISO 8601 with the offset of the report's zone.
    func instant(_ date: Date) -> String { OffsetInstant.format(date, in: timeZone) }

    /// The initial report number a follow-on cites: the draft's, else the recorded initial report's.
    var citedReportNumber: String? {
        let typed = fields.citedReportNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        return typed.isEmpty ? dossier.initialReportNumber : typed
    }

    /// The 情報セキュリティ指定書 references: the draft's, and the one the information involved names.
    var designationReferences: [String] {
        var refs = fields.designationReferences
        if case .protectedInformation(let ref) = dossier.facts.information, !refs.contains(ref) { refs.insert(ref, at: 0) }
        return refs
    }

    /// The report type as ICF Section I names it: the kind's for a DoD report.
    var dodReportType: DoDReportType {
        switch kind {
        case .dodInitial: return .initial
        case .dodFollowOn: return .followOn
        case .dodVoluntary: return .voluntary
        case .modFirst, .modDetail: return fields.reportType
        }
    }
}

/// The texts of incident report drafts that are not field names.
enum IncidentReportText {
    static func title(_ kind: IncidentReportKind) -> LocalizedText {
        switch kind {
        case .dodInitial, .dodFollowOn, .dodVoluntary:
            return LocalizedText(en: "Cyber incident report to DoD (DC3 Incident Collection Format)",
                                 ja: "国防総省へのサイバーインシデント報告（DC3 Incident Collection Format）")
        case .modFirst:
            return LocalizedText(en: "Information security incident report to MOD — first report", ja: "情報セキュリティ事故等の報告（第一報）")
        case .modDetail:
            return LocalizedText(en: "Information security incident report to MOD — detailed report", ja: "情報セキュリティ事故等の報告（詳細報告）")
        }
    }

    static func reportTypeValue(_ kind: IncidentReportKind, dodType: DoDReportType) -> LocalizedText {
        switch kind {
        case .modFirst: return LocalizedText(en: "First report (report at once everything known now)", ja: "第一報（直ちに、把握している限りの内容）")
        case .modDetail: return LocalizedText(en: "Detailed report", ja: "詳細報告")
        default: return dodType.label
        }
    }

    static let draft = LocalizedText(en: "DRAFT", ja: "下書き")

    static func draftNotice(_ channel: IncidentReportChannel) -> LocalizedText {
        let address = channel.address.isEmpty ? "" : " (\(channel.address))"
        let addressJa = channel.address.isEmpty ? "" : "（\(channel.address)）"
        return LocalizedText(en: "DRAFT — submit through \(channel.name.en)\(address); this file is not a submission.",
                             ja: "下書き — \(channel.name.ja)\(addressJa)から提出してください。このファイル自体は報告ではありません。")
    }

    static let exercise = LocalizedText(en: "EXERCISE", ja: "訓練")
    static let exerciseNotice = LocalizedText(
        en: "EXERCISE — this incident is an exercise: nothing was reported to DoD, MOD or any customer, and no report number is real.",
        ja: "訓練 — このインシデントは訓練です。国防総省・防衛省・発注者のいずれにも何も報告しておらず、報告番号は実在しません。")

    static let notEntered = LocalizedText(en: "— (not entered)", ja: "—（未記入）")
    static let generatedAt = LocalizedText(en: "Generated at", ja: "作成日時")
    static let channel = LocalizedText(en: "Submit through", ja: "提出先")
    static let status = LocalizedText(en: "Status", ja: "状態")
    static let missingTitle = LocalizedText(en: "Still to fill in before submitting", ja: "提出前に記入が必要な項目")
    static let nothingMissing = LocalizedText(en: "Every field this report asks for has a value.", ja: "この報告で求められる項目はすべて記入済みです。")
    static let footer = LocalizedText(en: "Drafted by Tekigo from the recorded incident. Check every value before submitting.",
                                      ja: "Tekigo が記録されたインシデントから作成した下書きです。提出前にすべての値を確認してください。")

    // Section titles
    static let sectionI = LocalizedText(en: "I. Report information", ja: "I. 報告の情報")
    static let sectionII = LocalizedText(en: "II. Company identification", ja: "II. 会社の識別情報")
    static let sectionIII = LocalizedText(en: "III. Company points of contact", ja: "III. 会社の連絡窓口")
    static let sectionIV = LocalizedText(en: "IV. Contracts affected", ja: "IV. 影響を受けた契約")
    static let incident = LocalizedText(en: "Incident identification and description", ja: "インシデントの識別と内容")
    static let record = LocalizedText(en: "Record", ja: "記録")
    static let modReporter = LocalizedText(en: "Reporting company", ja: "報告者")
    static let modSummary = LocalizedText(en: "Summary of the incident", ja: "事故等の概要")
    static let modStatus = LocalizedText(en: "Damage and response", ja: "被害の状況と対応")

    // Table headers
    static let name = LocalizedText(en: "Name", ja: "氏名")
    static let position = LocalizedText(en: "Position", ja: "役職")
    static let address = LocalizedText(en: "Address", ja: "住所")
    static let telephone = LocalizedText(en: "Telephone", ja: "電話")
    static let email = LocalizedText(en: "E-mail", ja: "メール")
    static let contract = LocalizedText(en: "Contract number", ja: "契約番号")
    static let customer = LocalizedText(en: "Customer", ja: "発注者")
    static let clauses = LocalizedText(en: "Clauses", ja: "条項")
    static let level = LocalizedText(en: "Clearance level", ja: "クリアランス区分")
    static let agency = LocalizedText(en: "Agency", ja: "機関")
    static let trackingNumber = LocalizedText(en: "Tracking number", ja: "受付番号")
    static let report = LocalizedText(en: "Report", ja: "報告")
    static let submittedAt = LocalizedText(en: "Submitted at", ja: "提出日時")
    static let via = LocalizedText(en: "Channel", ja: "提出経路")
    static let submittedBy = LocalizedText(en: "Submitted by", ja: "提出者")
    static let reportNumber = LocalizedText(en: "Report number", ja: "報告番号")
    static let cites = LocalizedText(en: "Cites", ja: "引用")
    static let at = LocalizedText(en: "Date and time", ja: "日時")
    static let author = LocalizedText(en: "By", ja: "記入者")
    static let phase = LocalizedText(en: "Phase", ja: "段階")
    static let entry = LocalizedText(en: "Entry", ja: "内容")
    static let evidence = LocalizedText(en: "Evidence", ja: "証拠")
    static let created = LocalizedText(en: "recorded", ja: "記録")
    static let updated = LocalizedText(en: "last updated", ja: "最終更新")
}

/// An incident report draft laid out once for HTML and Markdown: sections of labelled rows, each row one
/// `IncidentReportField`, every text in the report's language (for the MOD report Japanese with English alongside).
struct IncidentReportOutline {
    enum Value {
        case text(String)
        case list([String])
        case table(ReportOutline.Table)
        /// Nothing entered yet: shown as such, so the field still appears.
        case empty
    }

    struct Row {
        var field: IncidentReportField
        var label: String
        var value: Value
    }

    struct Section {
        var id: String
        var title: String
        var rows: [Row]
    }

    var language: Language
    var title: String
    var notices: [String]
    var header: [(label: String, value: String)]
    var missingTitle: String
    var missing: [String]
    var nothingMissing: String
    var sections: [Section]
    var footer: String
    var exercise: Bool
    var emptyText: String

    // swiftlint:disable:next function_body_length
    init(_ input: IncidentReportInput, language: Language) {
        let kind = input.kind
        let dossier = input.dossier
        let fields = input.fields
        let facts = dossier.facts
        // The DoD report in English reads as the portal does; in Japanese with the portal's English alongside. The
        // MOD report is Japanese, English alongside as a translation aid.
        let primary: Language = kind.isDoD ? language : .ja
        let alongside = kind.isDoD ? language == .ja : true
        // A bracketed aside holding Japanese text, with the space before it.
        let japaneseAside = #/ ?\([^()]*[\p{Han}\p{Hiragana}\p{Katakana}][^()]*\)/#
        func t(_ text: LocalizedText) -> String {
            let main = text[primary]
            guard alongside else { return main }
            var other = text[primary == .ja ? .en : .ja]
            // English labels carry the Japanese term in brackets for English readers ("Summary (概要)"); beside the
            // Japanese it would say it twice.
            if primary == .ja { other = other.replacing(japaneseAside, with: "") }
            return other == main || other.isEmpty ? main : "\(main)（\(other)）"
        }
        // Chrome (banners, footer) follows the requested language, with the other alongside for the MOD report.
        func chrome(_ text: LocalizedText) -> String {
            kind.isDoD ? text[language] : (language == .ja ? "\(text.ja) / \(text.en)" : "\(text.en) / \(text.ja)")
        }
        func text(_ s: String?) -> Value {
            guard let s, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .empty }
            return .text(s)
        }
        func list(_ items: [String]) -> Value { items.isEmpty ? .empty : .list(items) }
        func table(_ header: [LocalizedText], _ rows: [[String]]) -> Value {
            rows.isEmpty ? .empty : .table(ReportOutline.Table(caption: nil, header: header.map(t),
                                                               rows: rows.map { $0.map { [.text($0)] } }))
        }
        func contactRow(_ c: ReportContact) -> [String] { [c.name, c.position, c.address, c.telephone, c.email] }
        let contactHeader = [IncidentReportText.name, IncidentReportText.position, IncidentReportText.address,
                             IncidentReportText.telephone, IncidentReportText.email]
        func contractNumber(_ id: String) -> String { dossier.affectedContracts.first { $0.contractID == id }?.number ?? id }
        // One row per affected contract, then draft entries for contracts no longer in the dossier.
        let contractIDs = dossier.affectedContracts.map(\.contractID)
            + fields.contractContacts.map(\.contractID).filter { id in !dossier.affectedContracts.contains { $0.contractID == id } }
        func perContract(_ contact: (ContractReportContacts) -> ReportContact?) -> Value {
            let rows: [[String]] = contractIDs.compactMap { id in
                guard let c = fields.contacts(for: id).flatMap(contact) else { return nil }
                return [contractNumber(id)] + contactRow(c)
            }
            return table([IncidentReportText.contract] + contactHeader, rows)
        }

        func value(_ field: IncidentReportField) -> Value {
            switch field {
            case .reportType: return .text(t(IncidentReportText.reportTypeValue(kind, dodType: input.dodReportType)))
            case .citedReportNumber: return text(input.citedReportNumber)
            case .companyName: return .text(dossier.organization.name)
            case .cageCodes: return list(dossier.organization.cageCodes)
            case .uei: return text(dossier.organization.uei)
            case .corporateNumber: return text(dossier.organization.corporateNumber)
            case .facilityCAGE: return text(fields.facilityCAGE)
            case .facilityClearanceLevel: return fields.facilityClearanceLevel.map { .text(t($0.label)) } ?? .empty
            case .pointsOfContact: return table(contactHeader, fields.pointsOfContact.map(contactRow))
            case .affectedContracts:
                return table([IncidentReportText.contract, IncidentReportText.customer, IncidentReportText.clauses],
                             dossier.affectedContracts.map { c in
                                 [c.number, c.customerName, c.clauses.sorted().map { t($0.label) }.joined(separator: ", ")]
                             })
            case .contractingOfficers: return perContract(\.contractingOfficer)
            case .programManagers: return perContract(\.programManager)
            case .contractClearanceLevels:
                return table([IncidentReportText.contract, IncidentReportText.level], contractIDs.compactMap { id in
                    fields.contacts(for: id)?.clearanceLevel.map { [contractNumber(id), t($0.label)] }
                })
            case .incidentID: return .text(dossier.id)
            case .title: return .text(facts.title)
            case .discoveredAt:
                let zone = TimeZone(identifier: facts.discoveredTimeZone) ?? input.timeZone
                var s = "\(OffsetInstant.format(facts.discoveredAt, in: zone)) (\(facts.discoveredTimeZone))"
                if zone.secondsFromGMT(for: facts.discoveredAt) != input.timeZone.secondsFromGMT(for: facts.discoveredAt) {
                    s += " = \(input.instant(facts.discoveredAt))"
                }
                return .text(s)
            case .discoveredBy: return .text(facts.discoveredBy)
            case .detectionMethod: return .text(t(facts.detectionMethod.label))
            case .phase: return .text(t(dossier.phase.label))
            case .affectedSystems: return list(dossier.affectedSystems)
            case .information: return .text(t(facts.information.text))
            case .impactToCoveredDefenseInformation: return text(fields.impactToCoveredDefenseInformation)
            case .operationallyCriticalSupport: return text(fields.operationallyCriticalSupport)
            case .locationsOfCompromise: return list(fields.locationsOfCompromise)
            case .incidentLocationCAGE: return text(fields.incidentLocationCAGE)
            case .dodPrograms: return list(fields.dodPrograms)
            case .compromiseType: return .text(t(facts.compromiseType.label))
            case .technique: return text(facts.technique)
            case .outcome: return .text(t(facts.outcome.label))
            case .narrative: return text(facts.narrative)
            case .otherAgencies:
                return table([IncidentReportText.agency, IncidentReportText.trackingNumber],
                             fields.otherAgencies.map { [$0.agency, $0.trackingNumber] })
            case .additionalInformation: return text(fields.additionalInformation)
            case .submissions:
                return table([IncidentReportText.report, IncidentReportText.submittedAt, IncidentReportText.via,
                              IncidentReportText.submittedBy, IncidentReportText.reportNumber, IncidentReportText.cites],
                             dossier.submissions.sorted { $0.submittedAt < $1.submittedAt }.map {
                                 [t($0.kind.label), input.instant($0.submittedAt), $0.channel, $0.submittedBy,
                                  $0.reportNumber ?? "", $0.cites ?? ""]
                             })
            case .timeline:
                return table([IncidentReportText.at, IncidentReportText.author, IncidentReportText.phase,
                              IncidentReportText.entry, IncidentReportText.evidence],
                             dossier.timeline.sorted { $0.at < $1.at }.map {
                                 [input.instant($0.at), $0.author, $0.phase.map { t($0.label) } ?? "", $0.text,
                                  $0.evidence.joined(separator: ", ")]
                             })
            case .recordedAt:
                return .text("\(t(IncidentReportText.created)) \(input.instant(dossier.createdAt)) / "
                             + "\(t(IncidentReportText.updated)) \(input.instant(dossier.updatedAt))")
            case .designationReferences: return list(input.designationReferences)
            case .modContact: return table(contactHeader, fields.modContact.map { [contactRow($0)] } ?? [])
            case .modSummary: return text(fields.modSummary)
            case .modDamage: return text(fields.modDamage)
            case .modResponse: return text(fields.modResponse)
            case .modPlannedActions: return text(fields.modPlannedActions)
            }
        }

        let shown = Set(IncidentReportField.shown(in: kind))
        func section(_ id: String, _ title: LocalizedText, _ members: [IncidentReportField]) -> Section? {
            let rows = members.filter(shown.contains).map { Row(field: $0, label: t($0.label), value: value($0)) }
            return rows.isEmpty ? nil : Section(id: id, title: t(title), rows: rows)
        }
        let plan: [(String, LocalizedText, [IncidentReportField])]
        if kind.isDoD {
            plan = [
                ("section-i", IncidentReportText.sectionI, [.reportType, .citedReportNumber]),
                ("section-ii", IncidentReportText.sectionII, [.companyName, .cageCodes, .uei, .corporateNumber, .facilityCAGE, .facilityClearanceLevel]),
                ("section-iii", IncidentReportText.sectionIII, [.pointsOfContact]),
                ("section-iv", IncidentReportText.sectionIV, [.affectedContracts, .contractingOfficers, .programManagers, .contractClearanceLevels]),
                ("incident", IncidentReportText.incident, [.incidentID, .title, .discoveredAt, .discoveredBy, .detectionMethod,
                    .phase, .affectedSystems, .information, .impactToCoveredDefenseInformation, .operationallyCriticalSupport,
                    .locationsOfCompromise, .incidentLocationCAGE, .dodPrograms, .compromiseType, .technique, .outcome,
                    .narrative, .otherAgencies, .additionalInformation]),
                ("record", IncidentReportText.record, [.submissions, .timeline, .recordedAt]),
            ]
        } else {
            plan = [
                ("reporter", IncidentReportText.modReporter, [.reportType, .companyName, .corporateNumber, .cageCodes, .uei,
                    .modContact, .affectedContracts, .designationReferences]),
                ("summary", IncidentReportText.modSummary, [.incidentID, .title, .discoveredAt, .discoveredBy, .detectionMethod,
                    .phase, .modSummary, .affectedSystems, .information, .compromiseType, .outcome, .technique]),
                ("status", IncidentReportText.modStatus, [.modDamage, .modResponse, .modPlannedActions, .narrative,
                    .otherAgencies, .additionalInformation]),
                ("record", IncidentReportText.record, [.submissions, .timeline, .recordedAt]),
            ]
        }

        self.language = language
        title = kind.isDoD ? IncidentReportText.title(kind)[language] : t(IncidentReportText.title(kind))
        exercise = dossier.exercise
        notices = [chrome(IncidentReportText.draftNotice(input.channel))]
            + (dossier.exercise ? [chrome(IncidentReportText.exerciseNotice)] : [])
        let status = [IncidentReportText.draft] + (dossier.exercise ? [IncidentReportText.exercise] : [])
        header = [
            (chrome(IncidentReportText.status), status.map(chrome).joined(separator: " · ")),
            (chrome(IncidentReportText.channel), ([t(input.channel.name)] + (input.channel.address.isEmpty ? [] : [input.channel.address])).joined(separator: " — ")),
            (chrome(IncidentReportText.generatedAt), input.instant(input.generatedAt)),
        ]
        missingTitle = chrome(IncidentReportText.missingTitle)
        missing = fields.missing(for: kind, in: dossier).map { t($0.label) }
        nothingMissing = chrome(IncidentReportText.nothingMissing)
        sections = plan.compactMap { section($0.0, $0.1, $0.2) }
        footer = chrome(IncidentReportText.footer)
        emptyText = IncidentReportText.notEntered[primary]
    }
}
