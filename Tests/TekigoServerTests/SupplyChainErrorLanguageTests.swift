import Foundation
import Testing
import TekigoTestSupport
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Issue 17 item 6 ("no English in Japanese mode … API error messages for people"): the supply-chain refusals
/// (`SupplyChainError`, `SupplyChainRuleError`, `RelationshipError`, `ConsentError`) are worded in Japanese too. One
/// value of every case, written out by hand; `index` (an exhaustive switch) makes a new case fail here until it is
/// listed.
@Suite("Supply-chain refusals in Japanese (issue 17 item 6)")
struct SupplyChainErrorLanguageTests {
    /// True when the text has kana or kanji.
    static func isJapanese(_ text: String) -> Bool { JapaneseText.isJapanese(text) }

    static func runs(_ text: String, _ pattern: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// Latin words a Japanese message may hold: names, abbreviations, field names, the ids of the choices it lists.
    static let allowedLatin: Set<String> = {
        var words: Set<String> = ["DFARS", "CMMC", "CFR", "SP", "SPRS", "CUI", "CAGE", "UEI", "SAM", "gov", "Unique", "Entity", "ID", "ISO",
                                  "A", "T", "Z", "b", "POA", "M", "SSP", "Tekigo", "tekigo", "catalog", "list", "issuedAt", "expiresAt",
                                  "cmmcCloseoutDue", "old", "expiresInDays", "designation", "minimum", "sprs", "N", "all", "met",
                                  "cmmc", "l", "dueOn", "YYYY", "MM", "DD", "supplierId", "detail", "systemScope", "POST",
                                  "attestations", "sp", "r"]
        let ids = ContractClause.allCases.map(\.rawValue) + ProtectedInformationDesignation.allCases.map(\.rawValue)
            + DetailLevel.allCases.map(\.rawValue) + AttestationPayload.cmmcStatuses
        for id in ids { words.formUnion(runs(id, "[A-Za-z]+")) }
        return words
    }()

    /// The checks every refusal passes: English is `description`; the Japanese is Japanese, not the English, keeps
    /// each of `values` (ids, numbers, dates, contract numbers the English shows) and every number of the English,
    /// and has no Latin word but names, ids and field names.
    static func check<E: BilingualError & CustomStringConvertible>(_ e: E, keeps values: [String], _ name: String) {
        let en = e.message(in: .en), ja = e.message(in: .ja)
        #expect(en == e.description, "\(name)")
        #expect(ja != en && isJapanese(ja), "\(name): \(ja)")
        for v in values {
            #expect(en.contains(v), "\(name): the English does not show '\(v)', fix the test's list: \(en)")
            #expect(ja.contains(v), "\(name): the Japanese drops '\(v)': \(ja)")
        }
        for n in runs(en, "[0-9]+") { #expect(ja.contains(n), "\(name): the Japanese drops the number \(n): \(ja)") }
        let latin = Set(runs(ja, "[A-Za-z]+")).subtracting(allowedLatin).subtracting(values.flatMap { runs($0, "[A-Za-z]+") })
        #expect(latin.isEmpty, "\(name): English left in the Japanese (\(latin.sorted())): \(ja)")
    }

    static let assessed = Day(year: 2026, month: 11, day: 27)!
    static let expires = Day(year: 2030, month: 1, day: 15)!
    static let limit = Day(year: 2029, month: 11, day: 27)!

    static let supplyChain: [(SupplyChainError, [String])] = [
        (.emptyOrganizationID, []),
        (.selfLink("org-acme"), ["org-acme"]),
        (.duplicateEdge(SupplyEdge(customer: "org-prime", supplier: "org-tier1")), ["org-prime → org-tier1"]),
        (.cycle(edge: SupplyEdge(customer: "org-c", supplier: "org-a"), path: ["org-a", "org-b", "org-c", "org-a"]),
         ["org-c → org-a", "org-a → org-b → org-c → org-a"]),
        (.emptyContractNumber, []),
        (.noClauses(contract: "W56-KGZ-26-C-0042"), ["W56-KGZ-26-C-0042"]),
        (.cmmcLevelWithoutClause(contract: "W56-KGZ-26-C-0042", level: 2), ["W56-KGZ-26-C-0042", "DFARS 252.204-7021"]),
        (.cmmcClauseWithoutLevel(contract: "FA8650-27-C-1234"), ["FA8650-27-C-1234", "DFARS 252.204-7021"]),
        (.cmmcLevelOutOfRange(contract: "FA8650-27-C-1234", level: 4), ["FA8650-27-C-1234", "4", "32 CFR 170"]),
        (.japaneseClauseWithoutDesignation(contract: "防装-2026-0815"), ["防装-2026-0815", "保護すべき情報", "情報セキュリティ指定書"]),
        (.japaneseDesignationWithoutClause(contract: "防装-2026-0816"), ["防装-2026-0816", "特約条項"]),
        (.cuiWithoutDFARS7012(contract: "N00024-26-C-5555"), ["N00024-26-C-5555", "DFARS 252.204-7012", "SP 800-171"]),
        (.sprsMinimumOutOfRange(150), ["150", "-203", "110"]),
        (.minimumNeedsSPRSCatalog(minimum: "sprs>=88", catalog: "csf2"), ["sprs>=88", "'csf2'", "sp800-171r2"]),
        (.emptyContractReference, []),
        (.invalidCAGECode("1ab2"), ["'1ab2'", "SAM.gov"]),
        (.invalidUEI("ZQGGHJH74DW"), ["'ZQGGHJH74DW'"]),
        (.malformedCorporateNumber("1234-5678"), ["'1234-5678'", "国税庁 法人番号公表サイト"]),
        (.corporateNumberCheckDigit("5010401089998", expected: 7), ["'5010401089998'", "7"]),
        (.emptyOrganizationName("org-kobe"), ["'org-kobe'"]),
        (.emptyAttestationID, []),
        (.unsupportedFormatVersion(9), ["9", "\(AttestationPayload.currentFormatVersion)"]),
        (.invalidIssuedAt("27/11/2026"), ["'27/11/2026'", "2026-11-27T09:30:00Z"]),
        (.issuedBeforeAssessment(issued: "2026-11-20T10:00:00Z", assessed: assessed), ["2026-11-20T10:00:00Z", "2026-11-27"]),
        (.catalogMismatch(assessment: "sp800-171r2", catalog: "sp800-171r3"), ["'sp800-171r2'", "'sp800-171r3'"]),
        (.scoreOutOfRange(-250), ["-250", "-203", "110"]),
        (.unknownCMMCStatus("provisional"), ["'provisional'", "conditional", "final", "not-eligible"]),
        (.cmmcCloseoutMismatch(status: "conditional"), ["180", "32 CFR 170.21(b)", "cmmcCloseoutDue"]),
        (.cmmcCloseoutMismatch(status: "final"), ["cmmcCloseoutDue", "32 CFR 170.21(b)"]),
        (.emptySystemScope, ["SSP"]),
        (.familyTotalsMismatch, []),
        (.expiryBeforeAssessment(expiresAt: Day(year: 2026, month: 10, day: 1)!, assessed: assessed), ["2026-10-01", "2026-11-27", "expiresAt"]),
        (.expiryBeyondThreeYears(expiresAt: expires, limit: limit), ["2030-01-15", "2029-11-27", "DFARS 252.204-7019(b)"]),
        (.supersedesItself("att-0007"), ["'att-0007'"]),
        (.detailLevelMismatch(.families), ["'families'"]),
        (.detailLevelMismatch(.summary), ["'summary'", "'families'"]),
        (.negativeCount("families[3.1].met"), ["families[3.1].met"]),
        (.undecodableAttestation("line 3"), ["line 3"]),
        (.assessmentUnreadable("no findings"), ["no findings"]),
        (.staleSnapshot(organization: "org-hidden"), []),
    ]

    static func index(_ e: SupplyChainError) -> Int {
        switch e {
        case .emptyOrganizationID: 0
        case .selfLink: 1
        case .duplicateEdge: 2
        case .cycle: 3
        case .emptyContractNumber: 4
        case .noClauses: 5
        case .cmmcLevelWithoutClause: 6
        case .cmmcClauseWithoutLevel: 7
        case .cmmcLevelOutOfRange: 8
        case .japaneseClauseWithoutDesignation: 9
        case .japaneseDesignationWithoutClause: 10
        case .cuiWithoutDFARS7012: 11
        case .sprsMinimumOutOfRange: 12
        case .minimumNeedsSPRSCatalog: 13
        case .emptyContractReference: 14
        case .invalidCAGECode: 15
        case .invalidUEI: 16
        case .malformedCorporateNumber: 17
        case .corporateNumberCheckDigit: 18
        case .emptyOrganizationName: 19
        case .emptyAttestationID: 20
        case .unsupportedFormatVersion: 21
        case .invalidIssuedAt: 22
        case .issuedBeforeAssessment: 23
        case .catalogMismatch: 24
        case .scoreOutOfRange: 25
        case .unknownCMMCStatus: 26
        case .cmmcCloseoutMismatch: 27
        case .emptySystemScope: 28
        case .familyTotalsMismatch: 29
        case .expiryBeforeAssessment: 30
        case .expiryBeyondThreeYears: 31
        case .supersedesItself: 32
        case .detailLevelMismatch: 33
        case .negativeCount: 34
        case .undecodableAttestation: 35
        case .assessmentUnreadable: 36
        case .staleSnapshot: 37
        }
    }

    static let rules: [(SupplyChainRuleError, [String])] = [
        (.invitationLifetime(days: 45), ["expiresInDays", "1", "30", "7"]),
        (.unknownDesignation("secret"), ["cui", "protected-information", "both", "designation"]),
        (.unknownClause(index: 1, clause: "far-52.204-21"), ["'far-52.204-21'"] + ContractClause.allCases.map(\.rawValue)),
        (.badMinimum("sprs>88"), ["'sprs>=N'", "-203", "110", "'all-met'", "'cmmc-l2'"]),
        (.badDueDate("31/03/2027"), ["dueOn", "YYYY-MM-DD"]),
        (.unknownCatalog("iso27001"), ["'iso27001'", "sp800-171r2", "`tekigo catalog list`"]),
        (.supplierRequired, ["supplierId"]),
        (.supplierFixed, []),
        (.badDetail("everything"), ["detail", "summary", "families"]),
        (.emptySystemScope, ["systemScope"]),
        (.unknownAssessment("asm-0042"), ["asm-0042"]),
        (.customerNotFound("org-prime"), ["org-prime"]),
        (.supplierNotFound("org-nobody"), ["org-nobody"]),
        (.requirementNotFound("req-0099"), ["req-0099"]),
        (.noCurrentAttestation, ["POST …/attestations"]),
        (.attestationNotFound("att-0123"), ["att-0123"]),
        (.sharedAttestationNotFound(supplier: "org-tier2"), ["org-tier2"]),
        (.rollupMissing, []),
    ]

    static func index(_ e: SupplyChainRuleError) -> Int {
        switch e {
        case .invitationLifetime: 0
        case .unknownDesignation: 1
        case .unknownClause: 2
        case .badMinimum: 3
        case .badDueDate: 4
        case .unknownCatalog: 5
        case .supplierRequired: 6
        case .supplierFixed: 7
        case .badDetail: 8
        case .emptySystemScope: 9
        case .unknownAssessment: 10
        case .customerNotFound: 11
        case .supplierNotFound: 12
        case .requirementNotFound: 13
        case .noCurrentAttestation: 14
        case .attestationNotFound: 15
        case .sharedAttestationNotFound: 16
        case .rollupMissing: 17
        }
    }

    static let relationships: [(RelationshipError, [String])] = [
        (.unknownInvitation, ["43"]),
        (.invitationExpired(at: "2026-12-01T09:00:00Z"), ["2026-12-01T09:00:00Z"]),
        (.invitationUsed(at: "2026-11-30T08:15:00Z", byYou: true), ["2026-11-30T08:15:00Z"]),
        (.invitationUsed(at: "2026-11-30T08:15:00Z", byYou: false), ["2026-11-30T08:15:00Z"]),
        (.ownInvitation, []),
        (.alreadyLinked(customer: "株式会社プライム"), ["株式会社プライム"]),
        (.wouldCloseCycle(path: ["株式会社プライム", "有限会社二次", "株式会社プライム"]), ["株式会社プライム → 有限会社二次 → 株式会社プライム"]),
        (.notLinked(supplier: "org-nobody"), ["'org-nobody'"]),
        (.duplicateContractNumber("W56-KGZ-26-C-0042"), ["'W56-KGZ-26-C-0042'"]),
        (.contractNotOnLink(contract: "ctr-0007"), ["'ctr-0007'"]),
        (.invalidLifetime(90 * 86_400), ["7776000", "1", "30"]),
        (.noteTooLong(612), ["612", "\(RelationshipStore.maxNoteLength)"]),
        (.corruptRow("contracts/ctr-0007"), ["contracts/ctr-0007"]),
    ]

    static func index(_ e: RelationshipError) -> Int {
        switch e {
        case .unknownInvitation: 0
        case .invitationExpired: 1
        case .invitationUsed: 2
        case .ownInvitation: 3
        case .alreadyLinked: 4
        case .wouldCloseCycle: 5
        case .notLinked: 6
        case .duplicateContractNumber: 7
        case .contractNotOnLink: 8
        case .invalidLifetime: 9
        case .noteTooLong: 10
        case .corruptRow: 11
        }
    }

    static let consents: [(ConsentError, [String])] = [
        (.selfGrant, []),
        (.unknownOrganization("org-elsewhere"), ["'org-elsewhere'"]),
        (.notUpstream(viewer: "org-tier3"), ["'org-tier3'"]),
        (.notGranted(viewer: "org-prime"), ["'org-prime'"]),
    ]

    static func index(_ e: ConsentError) -> Int {
        switch e {
        case .selfGrant: 0
        case .unknownOrganization: 1
        case .notUpstream: 2
        case .notGranted: 3
        }
    }

    @Test("Issue 17 item 6: every SupplyChainError is worded in Japanese, keeping its ids, numbers, dates and clauses")
    func supplyChainErrors() {
        #expect(Set(Self.supplyChain.map { Self.index($0.0) }) == Set(0...37), "list one value of every case")
        for (e, values) in Self.supplyChain { Self.check(e, keeps: values, "SupplyChainError.\(Self.index(e))") }
        // Spot checks of the wording itself.
        #expect(SupplyChainError.cmmcLevelWithoutClause(contract: "W56-KGZ-26-C-0042", level: 2).message(in: .ja)
            == "契約 'W56-KGZ-26-C-0042' は CMMC レベル 2 を指定していますが、CMMC の条項（DFARS 252.204-7021）がありません。"
            + "条項を追加するか、レベルの指定を外してください。")
        #expect(SupplyChainError.corporateNumberCheckDigit("5010401089998", expected: 7).message(in: .ja).contains("7 で、5 ではありません"))
        // The roll-up's stale snapshot never names the supplier, in either language.
        #expect(!SupplyChainError.staleSnapshot(organization: "org-hidden").message(in: .ja).contains("org-hidden"))
    }

    @Test("Issue 17 item 6: every SupplyChainRuleError is worded in Japanese; a not-found names the kind and the id as the API does")
    func ruleErrors() {
        #expect(Set(Self.rules.map { Self.index($0.0) }) == Set(0...17), "list one value of every case")
        for (e, values) in Self.rules { Self.check(e, keeps: values, "SupplyChainRuleError.\(Self.index(e))") }
        #expect(SupplyChainRuleError.supplierNotFound("org-nobody").message(in: .ja) == "サプライヤー org-nobody が見つかりません。")
        #expect(SupplyChainRuleError.requirementNotFound("req-0099").message(in: .ja) == "要件 req-0099 が見つかりません。")
        #expect(SupplyChainRuleError.customerNotFound("org-prime").message(in: .ja) == "顧客 org-prime が見つかりません。")
    }

    @Test("Issue 17 item 6: every RelationshipError is worded in Japanese; a cycle through a hidden organization hides it in Japanese too")
    func relationshipErrors() {
        #expect(Set(Self.relationships.map { Self.index($0.0) }) == Set(0...11), "list one value of every case")
        for (e, values) in Self.relationships { Self.check(e, keeps: values, "RelationshipError.\(Self.index(e))") }
        let hidden = RelationshipError.wouldCloseCycle(path: ["株式会社プライム", RelationshipStore.hiddenOrganization, "株式会社プライム"])
        #expect(hidden.description.contains(RelationshipStore.hiddenOrganization))
        #expect(hidden.message(in: .ja).contains("株式会社プライム → （あなたからは見えない組織） → 株式会社プライム"), "\(hidden.message(in: .ja))")
    }

    @Test("Issue 17 item 6: every ConsentError is worded in Japanese; an unknown organization reads exactly as one outside the supply chain")
    func consentErrors() {
        #expect(Set(Self.consents.map { Self.index($0.0) }) == Set(0...3), "list one value of every case")
        for (e, values) in Self.consents { Self.check(e, keeps: values, "ConsentError.\(Self.index(e))") }
        // The API never confirms that an organization exists (SupplyChainErrors.swift): same words for both.
        #expect(ConsentError.unknownOrganization("org-x").message(in: .ja) == ConsentError.notUpstream(viewer: "org-x").message(in: .ja))
        #expect(ConsentError.unknownOrganization("org-x").message(in: .ja) != ConsentError.notUpstream(viewer: "org-y").message(in: .ja))
    }
}
