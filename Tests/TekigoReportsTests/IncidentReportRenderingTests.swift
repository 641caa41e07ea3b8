import Foundation
import Testing
import TekigoCore
@testable import TekigoReports

/// A dossier and a draft where every field has a distinct value, several of them hostile.
enum IncidentReportSample {
    static func instant(_ s: String) -> Date { try! OffsetInstant.parse(s).date }

    static let hostileTitle = "<script>alert(1)</script> CAD *ransom* | note"
    static let hostileNarrative = "Line one & <b>two</b>\n# not a heading\n[link](javascript:x) `code` _x_ ~y~"
    static let channel = IncidentReportChannel(name: LocalizedText(en: "Example reporting portal", ja: "例示の報告ポータル"),
                                               address: "https://report.example.test/icf")

    static func dossier(exercise: Bool = false, submissions: Bool = true) -> IncidentDossier {
        let discovered = instant("2026-12-05T02:13:00+09:00")
        let facts = try! IncidentFacts(title: hostileTitle, discoveredAt: discovered, discoveredTimeZone: "Asia/Tokyo",
                                       discoveredBy: "Hanako <hr>", detectionMethod: .messageFromAttacker,
                                       compromiseType: .unauthorizedAccess, outcome: .successfulCompromise,
                                       information: .cui(category: "CTI"), technique: "Phishing e-mail with a macro",
                                       narrative: hostileNarrative, recordedAt: discovered.addingTimeInterval(600))
        let org = ReportingOrganization(id: "org-ota", name: "大田精機株式会社", cageCodes: ["SAB11"], uei: "ABCDEF123456",
                                        corporateNumber: "1234567890123")
        let contracts = [
            AffectedContract(contractID: "c1", number: "W56HZV|26-C-0001", customerID: "prime", customerName: "Prime * Corp",
                             clauses: [.dfars7012]),
            AffectedContract(contractID: "c2", number: "防衛-2026-002", customerID: "prime-jp", customerName: "国内元請",
                             clauses: [.japaneseStandard]),
        ]
        let subs = submissions ? [IncidentSubmission(kind: .dodInitial, submittedAt: instant("2026-12-06T09:00:00+09:00"),
                                                     channel: "DC3 portal (configured)", submittedBy: "山田",
                                                     reportNumber: "ICF-2026-0001")] : []
        let timeline = [IncidentTimelineEntry(at: instant("2026-12-05T03:00:00+09:00"), author: "山田",
                                              text: "Isolated the server", phase: .contained, evidence: ["memdump.bin"])]
        return IncidentDossier(id: "inc-7f3a", organization: org, facts: facts, phase: .contained, affectedSystems: ["cad-01"],
                               affectedContracts: contracts, submissions: subs, timeline: timeline,
                               createdAt: instant("2026-12-05T02:30:00+09:00"), updatedAt: instant("2026-12-06T09:05:00+09:00"),
                               exercise: exercise)
    }

    static func fields() -> IncidentReportFields {
        var f = IncidentReportFields()
        f.reportType = .initial
        f.citedReportNumber = "ICF-2026-0001"
        f.facilityCAGE = "SAB12"
        f.facilityClearanceLevel = .secret
        f.pointsOfContact = [ReportContact(name: "山田 太郎", position: "情報システム課長", address: "東京都大田区1-2-3",
                                           telephone: "+81 3-1234-5678", email: "yamada@example.co.jp")]
        f.contractContacts = [
            ContractReportContacts(contractID: "c1", contractingOfficer: ReportContact(name: "Jane Officer", email: "jane@example.mil"),
                                   programManager: ReportContact(name: "John Manager"), clearanceLevel: .confidential),
        ]
        f.impactToCoveredDefenseInformation = "Drawings of part 4711 <may> be read"
        f.operationallyCriticalSupport = "No effect on deliveries"
        f.locationsOfCompromise = ["Ota plant"]
        f.incidentLocationCAGE = "SAB13"
        f.dodPrograms = ["F-35 sustainment"]
        f.otherAgencies = [AgencyNotification(agency: "FBI IC3", trackingNumber: "TRK-99")]
        f.additionalInformation = "Backups intact"
        f.designationReferences = ["指定書第12号"]
        f.modContact = ReportContact(name: "佐藤 花子", telephone: "03-1234-5679")
        f.modSummary = "CAD サーバが感染"
        f.modDamage = "図面 120 件"
        f.modResponse = "切り離した"
        f.modPlannedActions = "調査を依頼"
        return f
    }

    static func input(_ kind: IncidentReportKind, exercise: Bool = false, fields: IncidentReportFields = fields(),
                      channel: IncidentReportChannel = channel, timeZone: TimeZone? = nil) -> IncidentReportInput {
        IncidentReportInput(dossier: dossier(exercise: exercise), fields: fields, kind: kind, channel: channel,
                            generatedAt: instant("2026-12-06T10:00:00+09:00"), timeZone: timeZone)
    }

    /// A value of each field as a report shows it (for labels: in the report's main language), and the JSON path and
    /// raw value the JSON export carries it at.
    static func expectations(_ kind: IncidentReportKind, _ lang: Language) -> [IncidentReportField: (shown: String, path: [String], json: String)] {
        let main: Language = kind.isDoD ? lang : .ja
        let d = dossier()
        let typeShown: String
        switch kind {
        case .modFirst: typeShown = "第一報"
        case .modDetail: typeShown = "詳細報告"
        case .dodInitial: typeShown = DoDReportType.initial.label[main]
        case .dodFollowOn: typeShown = DoDReportType.followOn.label[main]
        case .dodVoluntary: typeShown = DoDReportType.voluntary.label[main]
        }
        let typeJSON = kind.isDoD ? kind.rawValue.replacingOccurrences(of: "dod-", with: "") : "initial"
        return [
            .reportType: (typeShown, ["sectionI", "reportType"], typeJSON),
            .citedReportNumber: ("ICF-2026-0001", ["sectionI", "citedReportNumber"], "ICF-2026-0001"),
            .companyName: ("大田精機株式会社", ["sectionII", "companyName"], "大田精機株式会社"),
            .cageCodes: ("SAB11", ["sectionII", "cageCodes"], "SAB11"),
            .uei: ("ABCDEF123456", ["sectionII", "uei"], "ABCDEF123456"),
            .corporateNumber: ("1234567890123", ["sectionII", "corporateNumber"], "1234567890123"),
            .facilityCAGE: ("SAB12", ["sectionII", "facilityCAGE"], "SAB12"),
            .facilityClearanceLevel: ("Secret", ["sectionII", "facilityClearanceLevel"], "secret"),
            .pointsOfContact: ("yamada@example.co.jp", ["sectionIII", "pointsOfContact"], "yamada@example.co.jp"),
            .affectedContracts: ("W56HZV|26-C-0001", ["sectionIV", "contracts"], "W56HZV|26-C-0001"),
            .contractingOfficers: ("Jane Officer", ["sectionIV", "contracts"], "Jane Officer"),
            .programManagers: ("John Manager", ["sectionIV", "contracts"], "John Manager"),
            .contractClearanceLevels: ("Confidential", ["sectionIV", "contracts"], "confidential"),
            .incidentID: ("inc-7f3a", ["incident", "id"], "inc-7f3a"),
            .title: (hostileTitle, ["incident", "title"], hostileTitle),
            .discoveredAt: ("2026-12-05T02:13:00+09:00", ["incident", "discoveredAt"], "2026-12-05T02:13:00+09:00"),
            .discoveredBy: ("Hanako <hr>", ["incident", "discoveredBy"], "Hanako <hr>"),
            .detectionMethod: (DetectionMethod.messageFromAttacker.label[main], ["incident", "detectionMethod"], "message-from-attacker"),
            .phase: (IncidentPhase.contained.label[main], ["incident", "phase"], "contained"),
            .affectedSystems: ("cad-01", ["incident", "affectedSystems"], "cad-01"),
            .information: (d.facts.information.text[main], ["incident", "information"], "CTI"),
            .impactToCoveredDefenseInformation: ("Drawings of part 4711 <may> be read", ["incident", "impactToCoveredDefenseInformation"], "Drawings of part 4711 <may> be read"),
            .operationallyCriticalSupport: ("No effect on deliveries", ["incident", "operationallyCriticalSupport"], "No effect on deliveries"),
            .locationsOfCompromise: ("Ota plant", ["incident", "locationsOfCompromise"], "Ota plant"),
            .incidentLocationCAGE: ("SAB13", ["incident", "incidentLocationCAGE"], "SAB13"),
            .dodPrograms: ("F-35 sustainment", ["incident", "dodPrograms"], "F-35 sustainment"),
            .compromiseType: (CompromiseType.unauthorizedAccess.label[main], ["incident", "compromiseType"], "unauthorized-access"),
            .technique: ("Phishing e-mail with a macro", ["incident", "technique"], "Phishing e-mail with a macro"),
            .outcome: (IncidentOutcome.successfulCompromise.label[main], ["incident", "outcome"], "successful-compromise"),
            .narrative: (hostileNarrative, ["incident", "narrative"], hostileNarrative),
            .otherAgencies: ("TRK-99", ["incident", "otherAgencies"], "TRK-99"),
            .additionalInformation: ("Backups intact", ["incident", "additionalInformation"], "Backups intact"),
            .submissions: ("2026-12-06T09:00:00+09:00", ["submissions"], "2026-12-06T09:00:00+09:00"),
            .timeline: ("memdump.bin", ["timeline"], "memdump.bin"),
            .recordedAt: ("2026-12-05T02:30:00+09:00", ["createdAt"], "2026-12-05T02:30:00+09:00"),
            .designationReferences: ("指定書第12号", ["mod", "designationReferences"], "指定書第12号"),
            .modContact: ("佐藤 花子", ["mod", "contact"], "佐藤 花子"),
            .modSummary: ("CAD サーバが感染", ["mod", "summary"], "CAD サーバが感染"),
            .modDamage: ("図面 120 件", ["mod", "damage"], "図面 120 件"),
            .modResponse: ("切り離した", ["mod", "response"], "切り離した"),
            .modPlannedActions: ("調査を依頼", ["mod", "plannedActions"], "調査を依頼"),
        ]
    }
}

@Suite("Incident report drafts (DoD ICF, MOD 第一報 / 詳細報告): JSON, HTML, Markdown")
struct IncidentReportRenderingTests {
    typealias S = IncidentReportSample

    /// The HTML between a field's row and the next field's row (or the section's end).
    func htmlRow(_ html: String, _ field: IncidentReportField) -> Substring? {
        guard let start = html.range(of: "<tr data-field=\"\(field.rawValue)\">") else { return nil }
        let rest = html[start.upperBound...]
        let end = [rest.range(of: "<tr data-field=")?.lowerBound, rest.range(of: "</section>")?.lowerBound].compactMap { $0 }.min()
        return rest[..<(end ?? rest.endIndex)]
    }

    /// The Markdown from a field's bold label to the next label, heading or rule.
    func markdownRow(_ md: String, _ label: String) -> Substring? {
        guard let start = md.range(of: "\n**\(MarkdownReport.escape(label))**") else { return nil }
        let rest = md[start.upperBound...]
        let end = ["\n**", "\n## ", "\n---"].compactMap { rest.range(of: $0)?.lowerBound }.min()
        return rest[..<(end ?? rest.endIndex)]
    }

    func json(_ input: IncidentReportInput) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: IncidentReportJSON.data(input)) as? [String: Any])
    }

    func strings(in value: Any?) -> [String] {
        switch value {
        case let s as String: return [s]
        case let a as [Any]: return a.flatMap { strings(in: $0) }
        case let o as [String: Any]: return o.values.flatMap { strings(in: $0) }
        default: return []
        }
    }

    func at(_ object: [String: Any], _ path: [String]) -> Any? {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    // MARK: Every field, every format, both languages

    @Test("Issue 13 done-when, every report field: each field the report kind asks for is in the HTML (its own row, label and value) and the Markdown, in Japanese and English", arguments: IncidentReportKind.allCases)
    func everyFieldInHTMLAndMarkdown(_ kind: IncidentReportKind) throws {
        for lang in Language.allCases {
            let input = S.input(kind)
            let html = IncidentReportHTML.render(input, language: lang)
            let md = IncidentReportMarkdown.render(input, language: lang)
            let expected = S.expectations(kind, lang)
            let main: Language = kind.isDoD ? lang : .ja
            for field in IncidentReportField.shown(in: kind) {
                let value = try #require(expected[field], "\(field)")
                let row = try #require(htmlRow(html, field), "\(kind) \(lang) HTML has no row for \(field)")
                #expect(row.contains(Markup.escape(field.label[main])), "\(kind) \(lang) HTML label of \(field)")
                #expect(row.contains(HTMLReport.lines(value.shown)), "\(kind) \(lang) HTML value of \(field)")
                // The label in the main language, the other alongside in the Japanese DoD draft and the MOD report.
                let mdLabel = IncidentReportOutline(input, language: lang).sections.flatMap(\.rows).first { $0.field == field }!.label
                #expect(mdLabel.hasPrefix(field.label[main]))
                let mdRow = try #require(markdownRow(md, mdLabel), "\(kind) \(lang) Markdown has no row for \(field)")
                #expect(mdRow.contains(MarkdownReport.escape(value.shown)), "\(kind) \(lang) Markdown value of \(field)")
            }
            // Fields of the other report are not in this one.
            for field in IncidentReportField.allCases where !IncidentReportField.shown(in: kind).contains(field) {
                #expect(htmlRow(html, field) == nil, "\(kind) shows \(field)")
            }
        }
    }

    @Test("Issue 13 done-when, every report field: the JSON carries every field of the dossier and of the draft at its documented place, for every kind", arguments: IncidentReportKind.allCases)
    func everyFieldInJSON(_ kind: IncidentReportKind) throws {
        let object = try json(S.input(kind))
        for (field, value) in S.expectations(kind, .en) {
            #expect(strings(in: at(object, value.path)).contains { $0.contains(value.json) }, "\(kind) JSON \(field) at \(value.path)")
        }
        #expect(Set(S.expectations(kind, .en).keys) == Set(IncidentReportField.allCases))
    }

    @Test("The union of the report kinds shows every field in every format: nothing the dossier or the draft holds is left out")
    func unionCoversEveryField() {
        for lang in Language.allCases {
            var seen = Set<String>()
            for kind in IncidentReportKind.allCases {
                let html = IncidentReportHTML.render(S.input(kind), language: lang)
                for field in IncidentReportField.allCases where htmlRow(html, field) != nil { seen.insert(field.rawValue) }
            }
            #expect(seen == Set(IncidentReportField.allCases.map(\.rawValue)))
        }
    }

    // MARK: Escaping

    @Test("Hostile text is escaped: no <script>, no markup from a title or narrative in HTML; Markdown specials are backslash-escaped; JSON keeps the text exactly")
    func hostileText() throws {
        for kind in IncidentReportKind.allCases {
            for lang in Language.allCases {
                let html = IncidentReportHTML.render(S.input(kind), language: lang)
                #expect(!html.lowercased().contains("<script"))
                #expect(!html.contains("<b>two</b>") && !html.contains("<hr>") && !html.contains("<may>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(html.contains("Line one &amp; &lt;b&gt;two&lt;/b&gt;<br /># not a heading"))
                try assertWellFormed(html)

                let md = IncidentReportMarkdown.render(S.input(kind), language: lang)
                #expect(!md.contains("<script>") && !md.contains("<b>two</b>"))
                #expect(md.contains(#"\<script\>alert(1)\</script\> CAD \*ransom\* \| note"#))
                #expect(md.contains(##"Line one & \<b\>two\</b\><br>\# not a heading<br>\[link\](javascript:x) \`code\` \_x\_ \~y\~"##))
                // A pipe in a contract number cannot break the contracts table.
                #expect(md.contains(#"W56HZV\|26-C-0001"#))
                #expect(!md.contains("\n# not a heading"))
            }
            let object = try json(S.input(kind))
            #expect(at(object, ["incident", "title"]) as? String == S.hostileTitle)
            #expect(at(object, ["incident", "narrative"]) as? String == S.hostileNarrative)
        }
    }

    /// Fails when the page is not well-formed XML (the doctype aside).
    func assertWellFormed(_ markup: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try TimeChartTests.parse(markup.replacingOccurrences(of: "<!DOCTYPE html>\n", with: ""), sourceLocation: sourceLocation)
    }

    // MARK: Draft, channel, exercise

    @Test("DFARS 252.204-7012(c) channel as configuration: the draft names the channel and address it is given, never DIBNet, and says it is not a submission (下書き)")
    func draftAndChannel() throws {
        let other = IncidentReportChannel(name: LocalizedText(en: "Another desk", ja: "別の窓口"), address: "tel:+1-000-555-0199")
        for kind in IncidentReportKind.allCases {
            for lang in Language.allCases {
                for channel in [S.channel, other] {
                    let input = S.input(kind, channel: channel)
                    let html = IncidentReportHTML.render(input, language: lang)
                    let md = IncidentReportMarkdown.render(input, language: lang)
                    let js = IncidentReportJSON.render(input)
                    for text in [html, md, js] {
                        #expect(!text.lowercased().contains("dibnet"))
                        #expect(text.contains(channel.address))
                        #expect(text.contains(channel.name[kind.isDoD ? lang : .ja]))
                    }
                    if lang == .en || !kind.isDoD {
                        #expect(html.contains("DRAFT — submit through \(channel.name.en)") && md.contains("DRAFT — submit through"))
                    }
                    if lang == .ja || !kind.isDoD { #expect(html.contains("下書き") && md.contains("下書き")) }
                    #expect(html.contains("this file is not a submission") || html.contains("このファイル自体は報告ではありません"))
                }
            }
            let object = try json(S.input(kind))
            #expect(object["draft"] as? Bool == true)
            #expect(at(object, ["channel", "address"]) as? String == S.channel.address)
        }
    }

    @Test("The MOD report is 第一報 or 詳細報告 in Japanese with English alongside, whatever the page language; the DoD report follows the language")
    func modReportInJapanese() {
        for lang in Language.allCases {
            let first = IncidentReportHTML.render(S.input(.modFirst), language: lang)
            #expect(first.contains("<html lang=\"ja\">"))
            #expect(first.contains("情報セキュリティ事故等の報告（第一報）（Information security incident report to MOD — first report）"))
            #expect(first.contains(">概要（Summary）<"))
            #expect(first.contains(">法人番号（Corporate number）<"))
            let detail = IncidentReportMarkdown.render(S.input(.modDetail), language: lang)
            #expect(detail.contains("詳細報告"))
            #expect(detail.contains("**被害の状況（Damage）**"))
            let dod = IncidentReportHTML.render(S.input(.dodInitial), language: lang)
            #expect(dod.contains("<html lang=\"\(lang.rawValue)\">"))
        }
        let en = IncidentReportHTML.render(S.input(.dodInitial), language: .en)
        #expect(en.contains(">Company name<") && !en.contains("会社名"))
        let ja = IncidentReportHTML.render(S.input(.dodInitial), language: .ja)
        #expect(ja.contains(">会社名（Company name）<"))
    }

    @Test("Exercise mode (3.6.3): an exercise dossier is marked as an exercise in every format and says nothing was reported")
    func exerciseMarked() throws {
        for kind in IncidentReportKind.allCases {
            for lang in Language.allCases {
                let html = IncidentReportHTML.render(S.input(kind, exercise: true), language: lang)
                let md = IncidentReportMarkdown.render(S.input(kind, exercise: true), language: lang)
                for text in [html, md] {
                    #expect(text.contains("EXERCISE") || text.contains("訓練"))
                    #expect(text.contains("nothing was reported") || text.contains("何も報告しておらず"))
                }
                #expect(html.contains("class=\"incident-report kind-\(kind.rawValue) exercise\""))
                let real = IncidentReportHTML.render(S.input(kind), language: lang)
                #expect(!real.contains("EXERCISE") && !real.contains("訓練"))
            }
            let object = try json(S.input(kind, exercise: true))
            #expect(object["exercise"] as? Bool == true)
            #expect(strings(in: object["notices"]).contains { $0.contains("nothing was reported") })
            #expect(try json(S.input(kind))["exercise"] as? Bool == false)
        }
    }

    // MARK: Self-contained, missing fields, JSON shape

    @Test("The HTML is self-contained and print-ready: inline CSS with print rules, no scripts, no external assets")
    func selfContained() throws {
        for kind in IncidentReportKind.allCases {
            for lang in Language.allCases {
                let html = IncidentReportHTML.render(S.input(kind), language: lang)
                #expect(html.hasPrefix("<!DOCTYPE html>"))
                #expect(html.contains("<meta charset=\"utf-8\" />") && html.contains("@media print") && html.contains("@page"))
                for banned in ["<script", "@import", "url(", "<link", "<img", "href=", "src="] {
                    #expect(!html.lowercased().contains(banned), "\(banned)")
                }
                let external = try Regex(#"(?i)(src|href)\s*=\s*["']?\s*(https?:)?//"#)
                #expect(html.firstMatch(of: external) == nil)
            }
        }
    }

    @Test("What a report still lacks is listed first, in every format, as IncidentReportFields.missing(for:in:) says")
    func missingListed() throws {
        var fields = IncidentReportFields()
        fields.modSummary = "分かっていること"
        for kind in IncidentReportKind.allCases {
            let input = S.input(kind, fields: fields)
            let missing = fields.missing(for: kind, in: input.dossier)
            let object = try json(input)
            #expect(object["missing"] as? [String] == missing.map(\.rawValue))
            for lang in Language.allCases {
                let outline = IncidentReportOutline(input, language: lang)
                #expect(outline.missing.count == missing.count)
                let html = IncidentReportHTML.render(input, language: lang)
                let section = try #require(html.range(of: "<section id=\"missing\""))
                for label in outline.missing { #expect(html[section.lowerBound...].prefix(4000).contains(Markup.escape(label))) }
                // Unfilled fields still appear, marked as not entered.
                #expect(html.contains(Markup.escape(outline.emptyText)))
            }
        }
        let complete = S.input(.modFirst)
        #expect(IncidentReportHTML.render(complete, language: .ja).contains(Markup.escape("この報告で求められる項目はすべて記入済みです。")))
    }

    @Test("The JSON shape is stable: the same keys for every kind, a full or an empty draft; every instant ISO 8601 with an offset")
    func jsonShape() throws {
        // The top level and each section's keys (a contact below them is an object or null).
        func keys(_ value: Any, _ prefix: String = "") -> Set<String> {
            guard let o = value as? [String: Any] else { return [] }
            return o.reduce(into: Set<String>()) { acc, kv in
                acc.insert(prefix + kv.key)
                if prefix.isEmpty { acc.formUnion(keys(kv.value, kv.key + ".")) }
            }
        }
        let reference = keys(try json(S.input(.dodInitial)))
        for kind in IncidentReportKind.allCases {
            #expect(keys(try json(S.input(kind))) == reference, "\(kind)")
            #expect(keys(try json(S.input(kind, fields: IncidentReportFields()))) == reference, "\(kind) empty")
        }
        let object = try json(S.input(.dodFollowOn))
        #expect(object["format"] as? String == "tekigo.incident-report")
        #expect(object["formatVersion"] as? Int == 1)
        let offset = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"#)
        for path in [["generatedAt"], ["createdAt"], ["updatedAt"], ["incident", "discoveredAt"]] {
            let s = try #require(at(object, path) as? String)
            #expect(s.firstMatch(of: offset) != nil, "\(path): \(s)")
        }
        for sub in object["submissions"] as? [[String: Any]] ?? [] {
            #expect((sub["submittedAt"] as? String)?.firstMatch(of: offset) != nil)
        }
        // Times in the zone asked for; discovery as the discoverer gave it.
        let ny = try json(S.input(.dodInitial, timeZone: TimeZone(identifier: "America/New_York")!))
        #expect(ny["generatedAt"] as? String == "2026-12-05T20:00:00-05:00")
        #expect(at(ny, ["incident", "discoveredAt"]) as? String == "2026-12-05T02:13:00+09:00")
    }

    @Test("ICF Section I: a follow-on cites the initial report number — the draft's, else the one recorded")
    func followOnCites() throws {
        var fields = S.fields()
        fields.citedReportNumber = ""
        let object = try json(S.input(.dodFollowOn, fields: fields))
        #expect(at(object, ["sectionI", "citedReportNumber"]) as? String == "ICF-2026-0001")
        #expect(at(object, ["sectionI", "reportType"]) as? String == "follow-on")
        let html = IncidentReportHTML.render(S.input(.dodFollowOn, fields: fields), language: .en)
        #expect(htmlRow(html, .citedReportNumber)?.contains("ICF-2026-0001") == true)
    }
}
