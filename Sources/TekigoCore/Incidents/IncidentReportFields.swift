import Foundation

/// The reports an incident can be drafted as: the DoD report in the shape of the DC3 Incident Collection Format
/// (standards-facts §4.2, §9.1) and the Japanese report to MOD (§5.1: 第一報 直ちに, 詳細報告 速やかに).
public enum IncidentReportKind: String, Sendable, Codable, CaseIterable {
    case dodInitial = "dod-initial"
    case dodFollowOn = "dod-follow-on"
    case dodVoluntary = "dod-voluntary"
    case modFirst = "mod-first"
    case modDetail = "mod-detail"

    public var isDoD: Bool { self == .dodInitial || self == .dodFollowOn || self == .dodVoluntary }

    /// The submission that records this report once it is sent.
    public var submissionKind: SubmissionKind {
        switch self {
        case .dodInitial: return .dodInitial
        case .dodFollowOn: return .dodFollowOn
        case .dodVoluntary: return .dodVoluntary
        case .modFirst: return .modFirst
        case .modDetail: return .modDetail
        }
    }

    public var label: LocalizedText { submissionKind.label }
}

/// ICF Section I: the DoD report's type.
public enum DoDReportType: String, Sendable, Codable, CaseIterable {
    /// Within 72 hours of discovery.
    case initial
    /// Adds to an initial report and cites its number.
    case followOn = "follow-on"
    /// Voluntary or indicator-only.
    case voluntary

    public var kind: IncidentReportKind {
        switch self {
        case .initial: return .dodInitial
        case .followOn: return .dodFollowOn
        case .voluntary: return .dodVoluntary
        }
    }

    public var label: LocalizedText {
        switch self {
        case .initial: return LocalizedText(en: "Initial", ja: "初回報告")
        case .followOn: return LocalizedText(en: "Follow-on", ja: "続報")
        case .voluntary: return LocalizedText(en: "Voluntary (indicator only)", ja: "任意報告（兆候情報のみ）")
        }
    }
}

/// A clearance level as the ICF asks it of a contract and of the facility.
public enum ClearanceLevel: String, Sendable, Codable, CaseIterable {
    case unclassified, confidential, secret
    case topSecret = "top-secret"
    case notApplicable = "not-applicable"

    public var label: LocalizedText {
        switch self {
        case .unclassified: return LocalizedText(en: "Unclassified", ja: "非格付け")
        case .confidential: return LocalizedText("Confidential")
        case .secret: return LocalizedText("Secret")
        case .topSecret: return LocalizedText("Top Secret")
        case .notApplicable: return LocalizedText(en: "Not applicable", ja: "該当なし")
        }
    }
}

/// A person a report names: the company's point of contact, a contracting officer, a program manager, the MOD
/// report's 担当者. Only the name is required once an entry exists; the rest may follow.
public struct ReportContact: Sendable, Hashable, Codable {
    public var name: String
    public var position: String
    public var address: String
    public var telephone: String
    public var email: String

    public init(name: String, position: String = "", address: String = "", telephone: String = "", email: String = "") {
        self.name = name
        self.position = position
        self.address = address
        self.telephone = telephone
        self.email = email
    }

    private enum CodingKeys: String, CodingKey { case name, position, address, telephone, email }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
                  position: try c.decodeIfPresent(String.self, forKey: .position) ?? "",
                  address: try c.decodeIfPresent(String.self, forKey: .address) ?? "",
                  telephone: try c.decodeIfPresent(String.self, forKey: .telephone) ?? "",
                  email: try c.decodeIfPresent(String.self, forKey: .email) ?? "")
        // The field this contact is the value of, from where it sits in the draft.
        let names: [String: IncidentReportField] = ["pointsOfContact": .pointsOfContact, "contractingOfficer": .contractingOfficers,
                                                    "programManager": .programManagers, "modContact": .modContact]
        let field = decoder.codingPath.reversed().lazy.compactMap { names[$0.stringValue] }.first ?? .pointsOfContact
        do throws(IncidentReportFieldsError) {
            try check(as: field)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Checks the entry as the value of `field`.
    public func check(as field: IncidentReportField) throws(IncidentReportFieldsError) {
        guard !name.trimmed.isEmpty else { throw .contactWithoutName(field) }
        try IncidentReportFields.checkLength(name, field, IncidentReportFields.shortLimit)
        try IncidentReportFields.checkLength(position, field, IncidentReportFields.shortLimit)
        try IncidentReportFields.checkLength(address, field, IncidentReportFields.mediumLimit)
        if !telephone.trimmed.isEmpty, !IncidentReportFields.isTelephone(telephone) { throw .badTelephone(field, telephone) }
        if !email.trimmed.isEmpty, !IncidentReportFields.isEmail(email) { throw .badEmail(field, email) }
    }
}

/// ICF Section IV, per affected contract: whom at the government the contract names, and its clearance level.
public struct ContractReportContacts: Sendable, Hashable, Codable {
    /// `AffectedContract.contractID` of the dossier's contract these contacts belong to.
    public var contractID: String
    public var contractingOfficer: ReportContact?
    public var programManager: ReportContact?
    public var clearanceLevel: ClearanceLevel?

    public init(contractID: String, contractingOfficer: ReportContact? = nil, programManager: ReportContact? = nil,
                clearanceLevel: ClearanceLevel? = nil) {
        self.contractID = contractID
        self.contractingOfficer = contractingOfficer
        self.programManager = programManager
        self.clearanceLevel = clearanceLevel
    }

    private enum CodingKeys: String, CodingKey { case contractID, contractingOfficer, programManager, clearanceLevel }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(contractID: try c.decodeIfPresent(String.self, forKey: .contractID) ?? "",
                  contractingOfficer: try c.decodeIfPresent(ReportContact.self, forKey: .contractingOfficer),
                  programManager: try c.decodeIfPresent(ReportContact.self, forKey: .programManager),
                  clearanceLevel: try IncidentReportFields.decodeEnum(c, .clearanceLevel, field: .contractClearanceLevels))
        guard !contractID.trimmed.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: IncidentReportFieldsError.blankEntry(.contractingOfficers).description))
        }
    }
}

/// Another agency told of the incident (FBI, a CERT, 警察, IPA …) and the number it gave, if any.
public struct AgencyNotification: Sendable, Hashable, Codable {
    public var agency: String
    public var trackingNumber: String

    public init(agency: String, trackingNumber: String = "") {
        self.agency = agency
        self.trackingNumber = trackingNumber
    }

    private enum CodingKeys: String, CodingKey { case agency, trackingNumber }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(agency: try c.decodeIfPresent(String.self, forKey: .agency) ?? "",
                  trackingNumber: try c.decodeIfPresent(String.self, forKey: .trackingNumber) ?? "")
        do throws(IncidentReportFieldsError) {
            guard !agency.trimmed.isEmpty else { throw .blankEntry(.otherAgencies) }
            try IncidentReportFields.checkLength(agency, .otherAgencies, IncidentReportFields.shortLimit)
            try IncidentReportFields.checkLength(trackingNumber, .otherAgencies, IncidentReportFields.shortLimit)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}

/// Every field a report names, the dossier's and the draft's, in the order a report shows them; `label` is the
/// field's name in a report, a form and a "still missing" list.
public enum IncidentReportField: String, Sendable, Codable, CaseIterable {
    // ICF Section I — report information
    case reportType, citedReportNumber
    // Section II — company identification
    case companyName, cageCodes, uei, corporateNumber, facilityCAGE, facilityClearanceLevel
    // Section III — points of contact
    case pointsOfContact
    // Section IV — contracts affected
    case affectedContracts, contractingOfficers, programManagers, contractClearanceLevels
    // Incident identification and description
    case incidentID, title, discoveredAt, discoveredBy, detectionMethod, phase, affectedSystems, information
    case impactToCoveredDefenseInformation, operationallyCriticalSupport, locationsOfCompromise, incidentLocationCAGE
    case dodPrograms, compromiseType, technique, outcome, narrative, otherAgencies, additionalInformation
    // The record: submissions and timeline
    case submissions, timeline, recordedAt
    // MOD report (防衛省への報告)
    case designationReferences, modContact, modSummary, modDamage, modResponse, modPlannedActions

    public var label: LocalizedText {
        switch self {
        case .reportType: return LocalizedText(en: "Report type", ja: "報告の種類")
        case .citedReportNumber: return LocalizedText(en: "Initial report number cited", ja: "引用する初回報告の番号")
        case .companyName: return LocalizedText(en: "Company name", ja: "会社名")
        case .cageCodes: return LocalizedText(en: "CAGE codes", ja: "CAGE コード")
        case .uei: return LocalizedText(en: "Unique Entity ID (SAM UEI)", ja: "UEI（SAM 固有事業者 ID）")
        case .corporateNumber: return LocalizedText(en: "Corporate number (法人番号)", ja: "法人番号")
        case .facilityCAGE: return LocalizedText(en: "Facility CAGE code", ja: "事業所の CAGE コード")
        case .facilityClearanceLevel: return LocalizedText(en: "Facility clearance level", ja: "事業所のクリアランス区分")
        case .pointsOfContact: return LocalizedText(en: "Company points of contact", ja: "会社の連絡窓口")
        case .affectedContracts: return LocalizedText(en: "Contracts affected or potentially affected", ja: "影響を受けた（おそれのある）契約")
        case .contractingOfficers: return LocalizedText(en: "Contracting officer", ja: "契約担当官")
        case .programManagers: return LocalizedText(en: "USG program manager", ja: "米政府のプログラムマネージャー")
        case .contractClearanceLevels: return LocalizedText(en: "Contract clearance level", ja: "契約のクリアランス区分")
        case .incidentID: return LocalizedText(en: "Tekigo incident ID", ja: "Tekigo のインシデント ID")
        case .title: return LocalizedText(en: "Incident title", ja: "件名")
        case .discoveredAt: return LocalizedText(en: "Date and time discovered", ja: "発見日時")
        case .discoveredBy: return LocalizedText(en: "Discovered by", ja: "発見者")
        case .detectionMethod: return LocalizedText(en: "How it was detected", ja: "検知の経緯")
        case .phase: return LocalizedText(en: "Current phase", ja: "現在の段階")
        case .affectedSystems: return LocalizedText(en: "Affected systems", ja: "影響を受けたシステム")
        case .information: return LocalizedText(en: "Information involved", ja: "関係する情報")
        case .impactToCoveredDefenseInformation: return LocalizedText(en: "Impact to covered defense information", ja: "対象防衛情報（CDI）への影響")
        case .operationallyCriticalSupport: return LocalizedText(en: "Ability to provide operationally critical support", ja: "作戦上重要な支援の提供能力への影響")
        case .locationsOfCompromise: return LocalizedText(en: "Location(s) of compromise", ja: "侵害の場所")
        case .incidentLocationCAGE: return LocalizedText(en: "Incident location CAGE code", ja: "発生場所の CAGE コード")
        case .dodPrograms: return LocalizedText(en: "DoD programs, platforms or systems involved", ja: "関係する国防総省のプログラム・プラットフォーム・システム")
        case .compromiseType: return LocalizedText(en: "Type of compromise", ja: "侵害の種類")
        case .technique: return LocalizedText(en: "Technique or method used", ja: "使われた手口")
        case .outcome: return LocalizedText(en: "Incident outcome", ja: "結果")
        case .narrative: return LocalizedText(en: "Incident narrative", ja: "経緯の説明")
        case .otherAgencies: return LocalizedText(en: "Other agencies informed (tracking numbers)", ja: "通知した他の機関（受付番号）")
        case .additionalInformation: return LocalizedText(en: "Additional information", ja: "その他の情報")
        case .submissions: return LocalizedText(en: "Reports submitted", ja: "提出済みの報告")
        case .timeline: return LocalizedText(en: "Timeline", ja: "経過記録")
        case .recordedAt: return LocalizedText(en: "Recorded / last updated", ja: "記録日時／最終更新")
        case .designationReferences: return LocalizedText(en: "Information security designation (情報セキュリティ指定書)", ja: "情報セキュリティ指定書")
        case .modContact: return LocalizedText(en: "Contact person (担当者)", ja: "担当者")
        case .modSummary: return LocalizedText(en: "Summary (概要)", ja: "概要")
        case .modDamage: return LocalizedText(en: "Damage (被害の状況)", ja: "被害の状況")
        case .modResponse: return LocalizedText(en: "Response so far (対応状況)", ja: "対応状況")
        case .modPlannedActions: return LocalizedText(en: "Planned actions (今後の対応予定)", ja: "今後の対応予定")
        }
    }

    /// Fields kept in `IncidentReportFields` (the rest come from the dossier).
    public var isDraftField: Bool {
        switch self {
        case .reportType, .citedReportNumber, .facilityCAGE, .facilityClearanceLevel, .pointsOfContact,
             .contractingOfficers, .programManagers, .contractClearanceLevels, .impactToCoveredDefenseInformation,
             .operationallyCriticalSupport, .locationsOfCompromise, .incidentLocationCAGE, .dodPrograms,
             .otherAgencies, .additionalInformation, .designationReferences, .modContact, .modSummary, .modDamage,
             .modResponse, .modPlannedActions:
            return true
        default:
            return false
        }
    }

    /// The fields a report of `kind` shows, in order. The DoD report shows the ICF's; the MOD report the Japanese
    /// report's.
    public static func shown(in kind: IncidentReportKind) -> [IncidentReportField] {
        if kind.isDoD {
            return allCases.filter { ![.designationReferences, .modContact, .modSummary, .modDamage, .modResponse,
                                       .modPlannedActions].contains($0)
                                     && (kind == .dodFollowOn || $0 != .citedReportNumber) }
        }
        return [.reportType, .companyName, .corporateNumber, .cageCodes, .uei, .modContact, .affectedContracts,
                .designationReferences, .incidentID, .title, .discoveredAt, .discoveredBy, .detectionMethod, .phase,
                .modSummary, .affectedSystems, .information, .compromiseType, .outcome, .technique, .modDamage,
                .modResponse, .modPlannedActions, .narrative, .otherAgencies, .additionalInformation, .submissions,
                .timeline, .recordedAt]
    }
}

/// What is wrong with a report draft, naming the field, in both languages.
public enum IncidentReportFieldsError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLong(IncidentReportField, limit: Int)
    case tooMany(IncidentReportField, limit: Int)
    case badEmail(IncidentReportField, String)
    case badTelephone(IncidentReportField, String)
    /// A CAGE code is five letters (A–Z) and digits.
    case badCAGE(IncidentReportField, String)
    case contactWithoutName(IncidentReportField)
    /// A list entry left blank (a location, a program, a 情報セキュリティ指定書, an agency, a contract id).
    case blankEntry(IncidentReportField)
    case duplicateContract(String)
    /// A value that is not one of the field's choices (decoding).
    case unknownValue(IncidentReportField, String)

    public var description: String { text.en }

    public var field: IncidentReportField {
        switch self {
        case .tooLong(let f, _), .tooMany(let f, _), .badEmail(let f, _), .badTelephone(let f, _), .badCAGE(let f, _),
             .contactWithoutName(let f), .blankEntry(let f), .unknownValue(let f, _):
            return f
        case .duplicateContract: return .contractingOfficers
        }
    }

    public var text: LocalizedText {
        let name = field.label
        switch self {
        case .tooLong(_, let limit):
            return LocalizedText(en: "\(name.en) is longer than \(limit) characters; shorten it or put the detail in a timeline entry.",
                                 ja: "「\(name.ja)」が \(limit) 文字を超えています。短くするか、詳細を経過記録に書いてください。")
        case .tooMany(_, let limit):
            return LocalizedText(en: "\(name.en) has more than \(limit) entries; combine some of them.",
                                 ja: "「\(name.ja)」の項目が \(limit) 件を超えています。まとめてください。")
        case .badEmail(_, let v):
            return LocalizedText(en: "\(name.en): '\(v)' is not an e-mail address; write it like name@example.co.jp.",
                                 ja: "「\(name.ja)」：「\(v)」はメールアドレスとして読めません。name@example.co.jp のように書いてください。")
        case .badTelephone(_, let v):
            return LocalizedText(en: "\(name.en): '\(v)' is not a telephone number; use digits with the country code, e.g. +81 3-1234-5678.",
                                 ja: "「\(name.ja)」：「\(v)」は電話番号として読めません。+81 3-1234-5678 のように国番号付きの数字で書いてください。")
        case .badCAGE(_, let v):
            return LocalizedText(en: "\(name.en): '\(v)' is not a CAGE code; a CAGE (or NCAGE) code is five capital letters and digits, e.g. 1ABC2 or SAB12.",
                                 ja: "「\(name.ja)」：「\(v)」は CAGE コードではありません。CAGE（NCAGE）コードは英大文字と数字の 5 文字です（例：1ABC2、SAB12）。")
        case .contactWithoutName:
            return LocalizedText(en: "\(name.en): an entry has no name; enter the person's name or remove the entry.",
                                 ja: "「\(name.ja)」：氏名のない項目があります。氏名を入力するか、項目を削除してください。")
        case .blankEntry:
            return LocalizedText(en: "\(name.en): an entry is blank; fill it in or remove it.",
                                 ja: "「\(name.ja)」：空の項目があります。入力するか削除してください。")
        case .duplicateContract(let id):
            return LocalizedText(en: "Contract '\(id)' has its contracting officer and clearance entered twice; keep one entry per contract.",
                                 ja: "契約「\(id)」の契約担当官・クリアランスが二重に入力されています。契約ごとに一つにしてください。")
        case .unknownValue(_, let v):
            return LocalizedText(en: "\(name.en): '\(v)' is not one of the choices.",
                                 ja: "「\(name.ja)」：「\(v)」は選択肢にありません。")
        }
    }
}

/// The fields a DoD or MOD incident report asks for that the dossier (`IncidentDossier`) does not hold: kept as a
/// draft per incident, filled in as they become known. `init()` is the empty draft; `check()` says what is
/// malformed and `missing(for:)` what a report of a kind still lacks. Decoding checks every value, so a stored draft
/// that decodes is a valid one; fields absent from the JSON take their empty value.
public struct IncidentReportFields: Sendable, Hashable, Codable {
    // ICF Section I
    public var reportType: DoDReportType
    /// For a follow-on report: the initial report's number it cites (empty: the dossier's recorded initial number).
    public var citedReportNumber: String
    // Section II
    public var facilityCAGE: String
    public var facilityClearanceLevel: ClearanceLevel?
    // Section III
    public var pointsOfContact: [ReportContact]
    // Section IV
    public var contractContacts: [ContractReportContacts]
    // Incident
    public var impactToCoveredDefenseInformation: String
    public var operationallyCriticalSupport: String
    public var locationsOfCompromise: [String]
    public var incidentLocationCAGE: String
    public var dodPrograms: [String]
    public var otherAgencies: [AgencyNotification]
    public var additionalInformation: String
    // MOD report
    /// 情報セキュリティ指定書 references (number or title) of the protected information involved.
    public var designationReferences: [String]
    /// 担当者.
    public var modContact: ReportContact?
    /// 概要.
    public var modSummary: String
    /// 被害の状況.
    public var modDamage: String
    /// 対応状況.
    public var modResponse: String
    /// 今後の対応予定.
    public var modPlannedActions: String

    public init() {
        reportType = .initial
        citedReportNumber = ""
        facilityCAGE = ""
        facilityClearanceLevel = nil
        pointsOfContact = []
        contractContacts = []
        impactToCoveredDefenseInformation = ""
        operationallyCriticalSupport = ""
        locationsOfCompromise = []
        incidentLocationCAGE = ""
        dodPrograms = []
        otherAgencies = []
        additionalInformation = ""
        designationReferences = []
        modContact = nil
        modSummary = ""
        modDamage = ""
        modResponse = ""
        modPlannedActions = ""
    }

    // MARK: Limits and checks

    static let shortLimit = 200
    static let mediumLimit = 1000
    static let longLimit = 20000
    /// Entries a list field may hold.
    public static let listLimit = 50

    /// The entry for `contractID`, if one was made.
    public func contacts(for contractID: String) -> ContractReportContacts? {
        contractContacts.first { $0.contractID == contractID }
    }

    /// Checks every value: lengths, addresses, numbers, CAGE codes, no blank or repeated entries. An empty draft
    /// passes; what is still to be filled in is `missing(for:)`'s answer, not an error.
    public func check() throws(IncidentReportFieldsError) {
        try Self.checkLength(citedReportNumber, .citedReportNumber, 100)
        try Self.checkCAGE(facilityCAGE, .facilityCAGE)
        try Self.checkCAGE(incidentLocationCAGE, .incidentLocationCAGE)
        try Self.checkCount(pointsOfContact, .pointsOfContact)
        for p in pointsOfContact { try p.check(as: .pointsOfContact) }
        try Self.checkCount(contractContacts, .contractingOfficers)
        var seen = Set<String>()
        for entry in contractContacts {
            guard !entry.contractID.trimmed.isEmpty else { throw .blankEntry(.contractingOfficers) }
            guard seen.insert(entry.contractID).inserted else { throw .duplicateContract(entry.contractID) }
            try entry.contractingOfficer?.check(as: .contractingOfficers)
            try entry.programManager?.check(as: .programManagers)
        }
        try Self.checkLength(impactToCoveredDefenseInformation, .impactToCoveredDefenseInformation, Self.longLimit)
        try Self.checkLength(operationallyCriticalSupport, .operationallyCriticalSupport, Self.longLimit)
        try Self.checkList(locationsOfCompromise, .locationsOfCompromise, Self.mediumLimit)
        try Self.checkList(dodPrograms, .dodPrograms, Self.shortLimit)
        try Self.checkCount(otherAgencies, .otherAgencies)
        for a in otherAgencies {
            guard !a.agency.trimmed.isEmpty else { throw .blankEntry(.otherAgencies) }
            try Self.checkLength(a.agency, .otherAgencies, Self.shortLimit)
            try Self.checkLength(a.trackingNumber, .otherAgencies, Self.shortLimit)
        }
        try Self.checkLength(additionalInformation, .additionalInformation, Self.longLimit)
        try Self.checkList(designationReferences, .designationReferences, Self.shortLimit)
        try modContact?.check(as: .modContact)
        try Self.checkLength(modSummary, .modSummary, Self.longLimit)
        try Self.checkLength(modDamage, .modDamage, Self.longLimit)
        try Self.checkLength(modResponse, .modResponse, Self.longLimit)
        try Self.checkLength(modPlannedActions, .modPlannedActions, Self.longLimit)
    }

    static func checkLength(_ s: String, _ field: IncidentReportField, _ limit: Int) throws(IncidentReportFieldsError) {
        guard s.count <= limit else { throw .tooLong(field, limit: limit) }
    }

    static func checkCount<T>(_ list: [T], _ field: IncidentReportField) throws(IncidentReportFieldsError) {
        guard list.count <= listLimit else { throw .tooMany(field, limit: listLimit) }
    }

    static func checkList(_ list: [String], _ field: IncidentReportField, _ limit: Int) throws(IncidentReportFieldsError) {
        try checkCount(list, field)
        for s in list {
            guard !s.trimmed.isEmpty else { throw .blankEntry(field) }
            try checkLength(s, field, limit)
        }
    }

    static func checkCAGE(_ s: String, _ field: IncidentReportField) throws(IncidentReportFieldsError) {
        guard !s.isEmpty else { return }
        guard isCAGE(s) else { throw .badCAGE(field, s) }
    }

    /// Five characters, capital letters A–Z and digits (CAGE and NCAGE codes).
    public static func isCAGE(_ s: String) -> Bool {
        s.unicodeScalars.count == 5 && s.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// One `@`, something before it, a dotted domain after it, no spaces or controls, at most 254 characters.
    static func isEmail(_ s: String) -> Bool {
        let t = s.trimmed
        guard t.count <= 254, !t.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "<>\"(),;:[]\\".unicodeScalars.contains($0) }) else { return false }
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// Digits with the usual separators (`+`, space, `-`, `(`, `)`, `.`, `/`), an optional extension (`ext`, `x`,
    /// `内線`); at least five digits, at most 40 characters.
    static func isTelephone(_ s: String) -> Bool {
        let t = s.trimmed
        guard t.count <= 40 else { return false }
        var rest = t.lowercased()
        for word in ["ext.", "ext", "内線", "x"] { rest = rest.replacingOccurrences(of: word, with: " ") }
        let allowed = Set("0123456789+-(). /")
        guard rest.allSatisfy({ allowed.contains($0) }) else { return false }
        return rest.filter(\.isNumber).count >= 5
    }

    // MARK: What a report still lacks

    /// The draft's fields a report of `kind` still lacks. A DoD initial report asks for the whole ICF; a follow-on
    /// needs the initial number it cites and a point of contact; a voluntary report a point of contact; the MOD
    /// 第一報 only what is known at once (担当者 and 概要), the 詳細報告 the damage, the response, what comes next and
    /// the 情報セキュリティ指定書. Fields the dossier holds are `missing(for:in:)`'s. In the order of
    /// `IncidentReportField.allCases`.
    public func missing(for kind: IncidentReportKind) -> [IncidentReportField] {
        var out: [IncidentReportField] = []
        func need(_ field: IncidentReportField, _ present: Bool) { if !present { out.append(field) } }
        func filled(_ s: String) -> Bool { !s.trimmed.isEmpty }
        switch kind {
        case .dodInitial:
            need(.facilityCAGE, filled(facilityCAGE))
            need(.facilityClearanceLevel, facilityClearanceLevel != nil)
            need(.pointsOfContact, !pointsOfContact.isEmpty)
            need(.contractingOfficers, !contractContacts.isEmpty && contractContacts.allSatisfy { $0.contractingOfficer != nil })
            need(.contractClearanceLevels, !contractContacts.isEmpty && contractContacts.allSatisfy { $0.clearanceLevel != nil })
            need(.impactToCoveredDefenseInformation, filled(impactToCoveredDefenseInformation))
            need(.operationallyCriticalSupport, filled(operationallyCriticalSupport))
            need(.locationsOfCompromise, !locationsOfCompromise.isEmpty)
            need(.incidentLocationCAGE, filled(incidentLocationCAGE))
        case .dodFollowOn:
            need(.citedReportNumber, filled(citedReportNumber))
            need(.pointsOfContact, !pointsOfContact.isEmpty)
        case .dodVoluntary:
            need(.pointsOfContact, !pointsOfContact.isEmpty)
        case .modFirst:
            need(.modContact, modContact != nil)
            need(.modSummary, filled(modSummary))
        case .modDetail:
            need(.modContact, modContact != nil)
            need(.designationReferences, !designationReferences.isEmpty)
            need(.modSummary, filled(modSummary))
            need(.modDamage, filled(modDamage))
            need(.modResponse, filled(modResponse))
            need(.modPlannedActions, filled(modPlannedActions))
        }
        return IncidentReportField.allCases.filter(out.contains)
    }

    /// `missing(for:)` read against the dossier: per affected contract its contracting officer and clearance level,
    /// the company's UEI and CAGE codes, technique and narrative for a DoD initial report; a follow-on's cited
    /// number may come from the recorded initial report; the 詳細報告's 情報セキュリティ指定書 from the information
    /// involved. In the order of `IncidentReportField.allCases`.
    public func missing(for kind: IncidentReportKind, in dossier: IncidentDossier) -> [IncidentReportField] {
        var out = Set(missing(for: kind))
        func filled(_ s: String?) -> Bool { !(s ?? "").trimmed.isEmpty }
        switch kind {
        case .dodInitial:
            let contracts = dossier.affectedContracts.map(\.contractID)
            out.remove(.contractingOfficers)
            out.remove(.contractClearanceLevels)
            if contracts.isEmpty { out.insert(.affectedContracts) }
            if contracts.isEmpty ? contractContacts.isEmpty : contracts.contains(where: { contacts(for: $0)?.contractingOfficer == nil }) {
                out.insert(.contractingOfficers)
            }
            if contracts.isEmpty ? contractContacts.isEmpty : contracts.contains(where: { contacts(for: $0)?.clearanceLevel == nil }) {
                out.insert(.contractClearanceLevels)
            }
            if !filled(dossier.organization.uei) { out.insert(.uei) }
            if dossier.organization.cageCodes.isEmpty { out.insert(.cageCodes) }
            if !filled(dossier.facts.technique) { out.insert(.technique) }
            if !filled(dossier.facts.narrative) { out.insert(.narrative) }
        case .dodFollowOn:
            if filled(dossier.initialReportNumber) { out.remove(.citedReportNumber) }
            if !filled(dossier.facts.narrative) { out.insert(.narrative) }
        case .dodVoluntary:
            break
        case .modFirst:
            break
        case .modDetail:
            if case .protectedInformation = dossier.facts.information { out.remove(.designationReferences) }
            if dossier.affectedContracts.isEmpty { out.insert(.affectedContracts) }
        }
        return IncidentReportField.allCases.filter(out.contains)
    }

    // MARK: Codable

    /// The JSON object's member names (the API's body, the command line's file): anything else is refused there.
    public static let jsonMembers = Set(CodingKeys.allCases.map(\.stringValue))

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case reportType, citedReportNumber, facilityCAGE, facilityClearanceLevel, pointsOfContact, contractContacts
        case impactToCoveredDefenseInformation, operationallyCriticalSupport, locationsOfCompromise, incidentLocationCAGE
        case dodPrograms, otherAgencies, additionalInformation, designationReferences, modContact, modSummary, modDamage
        case modResponse, modPlannedActions
    }

    static func decodeEnum<E: RawRepresentable & CaseIterable, K: CodingKey>(
        _ c: KeyedDecodingContainer<K>, _ key: K, field: IncidentReportField
    ) throws -> E? where E.RawValue == String {
        guard let raw = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = E(rawValue: raw) else {
            let choices = E.allCases.map(\.rawValue).joined(separator: ", ")
            let error = IncidentReportFieldsError.unknownValue(field, raw)
            throw DecodingError.dataCorruptedError(forKey: key, in: c,
                                                   debugDescription: "\(error.description) Choose one of: \(choices).")
        }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        reportType = try Self.decodeEnum(c, .reportType, field: .reportType) ?? .initial
        citedReportNumber = try c.decodeIfPresent(String.self, forKey: .citedReportNumber) ?? ""
        facilityCAGE = try c.decodeIfPresent(String.self, forKey: .facilityCAGE) ?? ""
        facilityClearanceLevel = try Self.decodeEnum(c, .facilityClearanceLevel, field: .facilityClearanceLevel)
        pointsOfContact = try c.decodeIfPresent([ReportContact].self, forKey: .pointsOfContact) ?? []
        contractContacts = try c.decodeIfPresent([ContractReportContacts].self, forKey: .contractContacts) ?? []
        impactToCoveredDefenseInformation = try c.decodeIfPresent(String.self, forKey: .impactToCoveredDefenseInformation) ?? ""
        operationallyCriticalSupport = try c.decodeIfPresent(String.self, forKey: .operationallyCriticalSupport) ?? ""
        locationsOfCompromise = try c.decodeIfPresent([String].self, forKey: .locationsOfCompromise) ?? []
        incidentLocationCAGE = try c.decodeIfPresent(String.self, forKey: .incidentLocationCAGE) ?? ""
        dodPrograms = try c.decodeIfPresent([String].self, forKey: .dodPrograms) ?? []
        otherAgencies = try c.decodeIfPresent([AgencyNotification].self, forKey: .otherAgencies) ?? []
        additionalInformation = try c.decodeIfPresent(String.self, forKey: .additionalInformation) ?? ""
        designationReferences = try c.decodeIfPresent([String].self, forKey: .designationReferences) ?? []
        modContact = try c.decodeIfPresent(ReportContact.self, forKey: .modContact)
        modSummary = try c.decodeIfPresent(String.self, forKey: .modSummary) ?? ""
        modDamage = try c.decodeIfPresent(String.self, forKey: .modDamage) ?? ""
        modResponse = try c.decodeIfPresent(String.self, forKey: .modResponse) ?? ""
        modPlannedActions = try c.decodeIfPresent(String.self, forKey: .modPlannedActions) ?? ""
        do throws(IncidentReportFieldsError) {
            try check()
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [FieldKey(error.field)],
                                                    debugDescription: error.description))
        }
    }

    /// A coding-path element naming the field a decoding error is about.
    private struct FieldKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ field: IncidentReportField) { stringValue = field.rawValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reportType, forKey: .reportType)
        try c.encode(citedReportNumber, forKey: .citedReportNumber)
        try c.encode(facilityCAGE, forKey: .facilityCAGE)
        try c.encodeIfPresent(facilityClearanceLevel, forKey: .facilityClearanceLevel)
        try c.encode(pointsOfContact, forKey: .pointsOfContact)
        try c.encode(contractContacts, forKey: .contractContacts)
        try c.encode(impactToCoveredDefenseInformation, forKey: .impactToCoveredDefenseInformation)
        try c.encode(operationallyCriticalSupport, forKey: .operationallyCriticalSupport)
        try c.encode(locationsOfCompromise, forKey: .locationsOfCompromise)
        try c.encode(incidentLocationCAGE, forKey: .incidentLocationCAGE)
        try c.encode(dodPrograms, forKey: .dodPrograms)
        try c.encode(otherAgencies, forKey: .otherAgencies)
        try c.encode(additionalInformation, forKey: .additionalInformation)
        try c.encode(designationReferences, forKey: .designationReferences)
        try c.encodeIfPresent(modContact, forKey: .modContact)
        try c.encode(modSummary, forKey: .modSummary)
        try c.encode(modDamage, forKey: .modDamage)
        try c.encode(modResponse, forKey: .modResponse)
        try c.encode(modPlannedActions, forKey: .modPlannedActions)
    }
}
