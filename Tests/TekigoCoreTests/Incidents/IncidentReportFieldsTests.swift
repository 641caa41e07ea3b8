import Foundation
import Testing
@testable import TekigoCore

@Suite("Incident report fields (DoD ICF, MOD 第一報 / 詳細報告)")
struct IncidentReportFieldsTests {
    static func instant(_ s: String) -> Date { try! OffsetInstant.parse(s).date }

    static func full() -> IncidentReportFields {
        var f = IncidentReportFields()
        f.reportType = .followOn
        f.citedReportNumber = "ICF-2026-0001"
        f.facilityCAGE = "SAB12"
        f.facilityClearanceLevel = .unclassified
        f.pointsOfContact = [ReportContact(name: "山田 太郎", position: "情報システム課長", address: "東京都大田区1-2-3",
                                           telephone: "+81 3-1234-5678 内線 12", email: "yamada@example.co.jp")]
        f.contractContacts = [ContractReportContacts(contractID: "c1",
                                                     contractingOfficer: ReportContact(name: "Jane Doe", telephone: "+1 (703) 555-0100", email: "jane.doe@example.mil"),
                                                     programManager: ReportContact(name: "John Roe"),
                                                     clearanceLevel: .notApplicable)]
        f.impactToCoveredDefenseInformation = "Drawings of part 4711 may have been read."
        f.operationallyCriticalSupport = "No effect on deliveries."
        f.locationsOfCompromise = ["Ota plant, CAD server"]
        f.incidentLocationCAGE = "SAB12"
        f.dodPrograms = ["F-35 sustainment"]
        f.otherAgencies = [AgencyNotification(agency: "警視庁", trackingNumber: "R-77")]
        f.additionalInformation = "Backups intact."
        f.designationReferences = ["防装庁指定第12号"]
        f.modContact = ReportContact(name: "佐藤 花子", telephone: "03-1234-5679")
        f.modSummary = "CAD サーバがランサムウェアに感染。"
        f.modDamage = "図面 120 件が暗号化。"
        f.modResponse = "ネットワークから切り離した。"
        f.modPlannedActions = "フォレンジック調査を依頼する。"
        return f
    }

    static func dossier(contracts: [AffectedContract] = [], information: InformationInvolved = .noneKnown,
                        submissions: [IncidentSubmission] = [], technique: String = "", narrative: String = "",
                        uei: String? = nil, cage: [String] = []) -> IncidentDossier {
        let discovered = instant("2026-12-05T02:13:00+09:00")
        let facts = try! IncidentFacts(title: "Ransomware on the CAD server", discoveredAt: discovered,
                                       discoveredTimeZone: "Asia/Tokyo", discoveredBy: "山田", detectionMethod: .messageFromAttacker,
                                       compromiseType: .unauthorizedAccess, outcome: .successfulCompromise,
                                       information: information, technique: technique, narrative: narrative,
                                       recordedAt: discovered.addingTimeInterval(600))
        return IncidentDossier(id: "inc-1", organization: ReportingOrganization(id: "org-1", name: "大田精機", cageCodes: cage, uei: uei),
                               facts: facts, phase: .analysing, affectedSystems: ["CAD server"], affectedContracts: contracts,
                               submissions: submissions, timeline: [], createdAt: discovered, updatedAt: discovered)
    }

    static let contract1 = AffectedContract(contractID: "c1", number: "W56-001", customerID: "prime", customerName: "Prime Corp", clauses: [.dfars7012])
    static let contract2 = AffectedContract(contractID: "c2", number: "防-002", customerID: "prime", customerName: "Prime Corp", clauses: [.japaneseStandard])

    // MARK: The empty draft and the missing-fields rule

    @Test("An empty draft is valid and names, per report kind, what it still lacks: the DoD initial report the ICF fields, a follow-on its cited number, the MOD 第一報 little, the 詳細報告 more")
    func emptyDraftMissingPerKind() throws {
        let f = IncidentReportFields()
        try f.check()
        #expect(f.missing(for: .dodInitial) == [.facilityCAGE, .facilityClearanceLevel, .pointsOfContact, .contractingOfficers,
                                                .contractClearanceLevels, .impactToCoveredDefenseInformation,
                                                .operationallyCriticalSupport, .locationsOfCompromise, .incidentLocationCAGE])
        #expect(f.missing(for: .dodFollowOn) == [.citedReportNumber, .pointsOfContact])
        #expect(f.missing(for: .dodVoluntary) == [.pointsOfContact])
        #expect(f.missing(for: .modFirst) == [.modContact, .modSummary])
        #expect(f.missing(for: .modDetail) == [.designationReferences, .modContact, .modSummary, .modDamage, .modResponse, .modPlannedActions])
        // 直ちに: the first report asks for a subset of what the detailed report asks for.
        #expect(Set(f.missing(for: .modFirst)).isSubset(of: Set(f.missing(for: .modDetail))))
        for kind in IncidentReportKind.allCases {
            let onlyDraftFields = f.missing(for: kind).allSatisfy(\.isDraftField)
            #expect(onlyDraftFields)
            #expect(Self.full().missing(for: kind).isEmpty, "\(kind)")
        }
    }

    @Test("DC3 ICF Section IV: against the dossier, every affected contract needs its contracting officer and clearance level; the company's UEI, CAGE, technique and narrative come from the dossier")
    func missingAgainstDossier() {
        var f = Self.full()
        let bare = Self.dossier(contracts: [Self.contract1, Self.contract2])
        // c2 has no entry: its contracting officer and clearance level are missing.
        #expect(f.missing(for: .dodInitial, in: bare) == [.cageCodes, .uei, .contractingOfficers, .contractClearanceLevels, .technique, .narrative])
        f.contractContacts.append(ContractReportContacts(contractID: "c2", contractingOfficer: ReportContact(name: "防衛 一郎"), clearanceLevel: .unclassified))
        let complete = Self.dossier(contracts: [Self.contract1, Self.contract2], technique: "Phishing", narrative: "…", uei: "ABCDEF123456", cage: ["SAB12"])
        #expect(f.missing(for: .dodInitial, in: complete).isEmpty)
        // No contract at all: a DFARS 7012 report names one.
        #expect(f.missing(for: .dodInitial, in: Self.dossier(technique: "x", narrative: "y", uei: "U", cage: ["SAB12"])) == [.affectedContracts])
    }

    @Test("DFARS 204.7302(b) / ICF Section I: a follow-on cites the initial report number — the recorded one will do; a 詳細報告 takes the 情報セキュリティ指定書 from the information involved")
    func citedNumberAndDesignationFromDossier() {
        var f = IncidentReportFields()
        f.pointsOfContact = [ReportContact(name: "A")]
        let noInitial = Self.dossier(narrative: "n")
        #expect(f.missing(for: .dodFollowOn, in: noInitial) == [.citedReportNumber])
        let initial = IncidentSubmission(kind: .dodInitial, submittedAt: Self.instant("2026-12-06T10:00:00+09:00"), channel: "DC3 portal",
                                         submittedBy: "山田", reportNumber: "ICF-1")
        #expect(f.missing(for: .dodFollowOn, in: Self.dossier(submissions: [initial], narrative: "n")).isEmpty)

        var m = Self.full()
        m.designationReferences = []
        #expect(m.missing(for: .modDetail, in: Self.dossier(contracts: [Self.contract2])) == [.designationReferences])
        #expect(m.missing(for: .modDetail, in: Self.dossier(contracts: [Self.contract2], information: .protectedInformation(designationReference: "指定書第3号"))).isEmpty)
        #expect(m.missing(for: .modFirst, in: Self.dossier()).isEmpty)
    }

    // MARK: Codable

    @Test("A draft survives a JSON round trip unchanged; a partial draft decodes with the rest empty")
    func jsonRoundTrip() throws {
        let f = Self.full()
        let data = try JSONEncoder().encode(f)
        #expect(try JSONDecoder().decode(IncidentReportFields.self, from: data) == f)
        #expect(try JSONDecoder().decode(IncidentReportFields.self, from: Data("{}".utf8)) == IncidentReportFields())
        let partial = try JSONDecoder().decode(IncidentReportFields.self, from: Data(#"{"modSummary":"感染","facilityClearanceLevel":"top-secret"}"#.utf8))
        #expect(partial.modSummary == "感染")
        #expect(partial.facilityClearanceLevel == .topSecret)
        #expect(partial.reportType == .initial)
    }

    @Test("Decoding refuses every bad value with a message naming the field", arguments: [
        (#"{"facilityCAGE":"12ab"}"#, "Facility CAGE code"),
        (#"{"incidentLocationCAGE":"ABCDEF"}"#, "Incident location CAGE code"),
        (#"{"facilityClearanceLevel":"cosmic"}"#, "Facility clearance level"),
        (#"{"reportType":"final"}"#, "Report type"),
        (#"{"pointsOfContact":[{"name":"A","email":"not an address"}]}"#, "Company points of contact"),
        (#"{"pointsOfContact":[{"name":"A","telephone":"call me"}]}"#, "Company points of contact"),
        (#"{"pointsOfContact":[{"name":"  ","email":"a@b.jp"}]}"#, "Company points of contact"),
        (#"{"contractContacts":[{"contractID":"c1","clearanceLevel":"secret!"}]}"#, "Contract clearance level"),
        (#"{"contractContacts":[{"contractID":"c1"},{"contractID":"c1"}]}"#, "c1"),
        (#"{"contractContacts":[{"contractID":"c1","programManager":{"name":"B","email":"b@"}}]}"#, "USG program manager"),
        (#"{"locationsOfCompromise":["plant", " "]}"#, "Location(s) of compromise"),
        (#"{"otherAgencies":[{"agency":"","trackingNumber":"1"}]}"#, "Other agencies informed"),
        (#"{"modContact":{"name":""}}"#, "Contact person (担当者)"),
        (#"{"designationReferences":[""]}"#, "情報セキュリティ指定書"),
    ])
    func decodingRefusesBadValues(_ json: String, _ names: String) {
        do {
            _ = try JSONDecoder().decode(IncidentReportFields.self, from: Data(json.utf8))
            Issue.record("decoded \(json)")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains(names), "\(context.debugDescription)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("check() refuses over-long texts and too many entries, and the Japanese message names the field too")
    func lengthsAndCounts() {
        var f = IncidentReportFields()
        f.modSummary = String(repeating: "あ", count: 20001)
        #expect(throws: IncidentReportFieldsError.tooLong(.modSummary, limit: 20000)) { try f.check() }
        #expect(IncidentReportFieldsError.tooLong(.modSummary, limit: 20000).text.ja.contains("概要"))
        f = IncidentReportFields()
        f.dodPrograms = Array(repeating: "P", count: 51)
        #expect(throws: IncidentReportFieldsError.tooMany(.dodPrograms, limit: 50)) { try f.check() }
        f = IncidentReportFields()
        f.facilityCAGE = "sab12"
        #expect(throws: IncidentReportFieldsError.badCAGE(.facilityCAGE, "sab12")) { try f.check() }
    }

    @Test("Every field has distinct English and Japanese labels; every draft field is shown in at least one report kind and every dossier field in all")
    func labelsAndCoverage() {
        let all = IncidentReportField.allCases
        #expect(Set(all.map(\.label.en)).count == all.count)
        #expect(Set(all.map(\.label.ja)).count == all.count)
        let shownSomewhere = Set(IncidentReportKind.allCases.flatMap(IncidentReportField.shown(in:)))
        #expect(shownSomewhere == Set(all))
        for field in all where !field.isDraftField {
            for kind in IncidentReportKind.allCases {
                #expect(IncidentReportField.shown(in: kind).contains(field), "\(field) in \(kind)")
            }
        }
        #expect(IncidentReportField.shown(in: .dodFollowOn).contains(.citedReportNumber))
        #expect(!IncidentReportField.shown(in: .dodInitial).contains(.citedReportNumber))
    }
}
