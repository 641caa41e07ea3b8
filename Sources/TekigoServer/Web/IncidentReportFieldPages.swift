import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoSTIX
import TekigoUseCases

/// The fields a DoD report (DC3 Incident Collection Format) or a MOD report asks for beyond the facts recorded
/// (issue 13, item 3), as one form at the incident's version — the page twin of `PUT …/incidents/{id}/report-fields` —
/// and the incident's STIX 2.1 bundle with the TLP and the details the user chose (item 8).
///
/// Lists without JavaScript: the form shows every entry saved plus two blank ones (points of contact, other
/// agencies) and one entry per affected contract; a blank entry is left out, a half-filled one is checked and refused
/// with the field named. `IncidentReportFields.check()` is the one rule; the use case saves and audits.
struct IncidentReportFieldPages {
    let web: WebApp
    var services: Services { web.services }
    let incidents: IncidentPages

    init(web: WebApp) {
        self.web = web
        incidents = IncidentPages(web: web)
    }

    /// The inputs of a person's entry (their labels are `incident_rf_contact_` + the part).
    static let contactParts = ["name", "position", "address", "telephone", "email"]

    /// Blank entries offered after the saved ones.
    static let spareEntries = 2

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.incidentReportFields(org: .key, incident: .key).pattern, use: incidents.guarded(form))
        pages.post(PageRoute.incidentReportFields(org: .key, incident: .key).pattern, use: incidents.guarded(save))
        pages.get(PageRoute.incidentSTIX(org: .key, incident: .key).pattern, use: incidents.guarded(stix))
    }

    // MARK: the form

    func form(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let q = incidents.queries(page)
        guard try await q.canManage() else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let detail = try await q.dossier(id: id)
        return try view(page, request: request, detail: detail, fields: detail.typedReportFields ?? IncidentReportFields(),
                        version: detail.version, error: nil)
    }

    /// Saves at the version the form was read at (a stale form gets the conflict page). A malformed value comes back
    /// on the form with everything typed kept and the field named.
    func save(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("incident")
        guard let version = Int(form["version"].trimmingCharacters(in: .whitespaces)) else { throw WebError.badForm }
        let parsed = Self.fields(form)
        do {
            let fields = try parsed.get()
            _ = try await incidents.useCases(page).saveReportFields(id: id, fields, expectedVersion: version)
            return WebApp.redirect(PageRoute.incident(org: page.org, incident: id).path + "?notice=saved#exports")
        } catch let error as IncidentReportFieldsError {
            let detail = try await incidents.queries(page).dossier(id: id)
            return try view(page, request: request, detail: detail, fields: parsed.partial, version: version, error: error,
                            status: .badRequest)
        }
    }

    /// What the form holds, as the draft (or the first malformed value) and, either way, the entries typed, so a
    /// refused form comes back as it was sent.
    struct Parsed {
        var partial = IncidentReportFields()
        var failure: IncidentReportFieldsError?

        func get() throws(IncidentReportFieldsError) -> IncidentReportFields {
            if let failure { throw failure }
            try partial.check()
            return partial
        }
    }

    static func fields(_ form: WebForm) -> Parsed {
        var p = Parsed()
        func text(_ name: String) -> String { form[name].trimmingCharacters(in: .whitespacesAndNewlines) }
        func lines(_ name: String) -> [String] {
            form[name].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func contact(_ prefix: String) -> ReportContact? {
            let c = ReportContact(name: text(prefix + "_name"), position: text(prefix + "_position"), address: text(prefix + "_address"),
                                  telephone: text(prefix + "_telephone"), email: text(prefix + "_email"))
            return [c.name, c.position, c.address, c.telephone, c.email].allSatisfy(\.isEmpty) ? nil : c
        }
        func count(_ name: String) -> Int { min(max(Int(form[name]) ?? 0, 0), IncidentReportFields.listLimit + spareEntries) }

        if let type = DoDReportType(rawValue: text("report_type")) { p.partial.reportType = type }
        else { p.failure = .unknownValue(.reportType, text("report_type")) }
        p.partial.citedReportNumber = text("cited_report_number")
        p.partial.facilityCAGE = text("facility_cage").uppercased()
        switch text("facility_clearance") {
        case "": p.partial.facilityClearanceLevel = nil
        case let v:
            if let level = ClearanceLevel(rawValue: v) { p.partial.facilityClearanceLevel = level }
            else { p.failure = p.failure ?? .unknownValue(.facilityClearanceLevel, v) }
        }
        p.partial.pointsOfContact = (0..<count("poc_count")).compactMap { contact("poc_\($0)") }
        p.partial.contractContacts = (0..<count("contract_count")).compactMap { i in
            let contractID = text("contract_\(i)_id")
            let clearance = text("contract_\(i)_clearance")
            let level = ClearanceLevel(rawValue: clearance)
            if !clearance.isEmpty, level == nil { p.failure = p.failure ?? .unknownValue(.contractClearanceLevels, clearance) }
            let entry = ContractReportContacts(contractID: contractID, contractingOfficer: contact("contract_\(i)_co"),
                                               programManager: contact("contract_\(i)_pm"), clearanceLevel: level)
            return entry.contractingOfficer == nil && entry.programManager == nil && entry.clearanceLevel == nil ? nil : entry
        }
        p.partial.impactToCoveredDefenseInformation = text("impact")
        p.partial.operationallyCriticalSupport = text("critical_support")
        p.partial.locationsOfCompromise = lines("locations")
        p.partial.incidentLocationCAGE = text("incident_location_cage").uppercased()
        p.partial.dodPrograms = lines("dod_programs")
        p.partial.otherAgencies = (0..<count("agency_count")).compactMap { i in
            let agency = text("agency_\(i)_name"), tracking = text("agency_\(i)_tracking")
            return agency.isEmpty && tracking.isEmpty ? nil : AgencyNotification(agency: agency, trackingNumber: tracking)
        }
        p.partial.additionalInformation = text("additional_information")
        p.partial.designationReferences = lines("designation_references")
        p.partial.modContact = contact("mod_contact")
        p.partial.modSummary = text("mod_summary")
        p.partial.modDamage = text("mod_damage")
        p.partial.modResponse = text("mod_response")
        p.partial.modPlannedActions = text("mod_planned")
        return p
    }

    /// The element a report field's error points at (the summary's links): a single input, or the group of entries.
    static func anchor(_ field: IncidentReportField) -> String {
        switch field {
        case .reportType: "report_type"
        case .citedReportNumber: "cited_report_number"
        case .facilityCAGE: "facility_cage"
        case .facilityClearanceLevel: "facility_clearance"
        case .pointsOfContact: "points_of_contact"
        case .contractingOfficers, .programManagers, .contractClearanceLevels, .affectedContracts: "contract_contacts"
        case .impactToCoveredDefenseInformation: "impact"
        case .operationallyCriticalSupport: "critical_support"
        case .locationsOfCompromise: "locations"
        case .incidentLocationCAGE: "incident_location_cage"
        case .dodPrograms: "dod_programs"
        case .otherAgencies: "other_agencies"
        case .additionalInformation: "additional_information"
        case .designationReferences: "designation_references"
        case .modContact: "mod_contact"
        case .modSummary: "mod_summary"
        case .modDamage: "mod_damage"
        case .modResponse: "mod_response"
        case .modPlannedActions: "mod_planned"
        default: "report_fields"
        }
    }

    func view(_ page: OrgPage, request: Request, detail: IncidentDetail, fields f: IncidentReportFields, version: Int,
              error: IncidentReportFieldsError?, status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = page.language, o = page.org, id = detail.id
        let errorAnchor = error.map { Self.anchor($0.field) }
        let errorText = error?.text[lang]
        func err(_ anchor: String) -> String? { errorAnchor == anchor ? errorText : nil }
        typealias Field = IncidentReportFieldsPage.Field
        func input(_ name: String, _ field: IncidentReportField, _ value: String, hint: String? = nil) -> Field {
            Field(id: name, label: field.label[lang], value: value, hint: hint, rows: nil, options: nil, error: err(name))
        }
        func area(_ name: String, _ field: IncidentReportField, _ value: String, rows: Int = 4, hint: String? = nil) -> Field {
            Field(id: name, label: field.label[lang], value: value, hint: hint, rows: rows, options: nil, error: err(name))
        }
        func clearance(_ name: String, _ field: IncidentReportField, _ value: ClearanceLevel?) -> Field {
            let none = SelectOption(value: "", label: web.messages.text("incident_rf_not_set", lang), selected: value == nil)
            return Field(id: name, label: field.label[lang], value: value?.rawValue ?? "", hint: nil, rows: nil,
                         options: [none] + ClearanceLevel.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0 == value) },
                         error: err(name))
        }
        func person(_ prefix: String, _ c: ReportContact?, address: Bool = true) -> [Field] {
            func part(_ key: String, _ value: String) -> Field {
                Field(id: "\(prefix)_\(key)", label: web.messages.text("incident_rf_contact_\(key)", lang), value: value, hint: nil,
                      rows: nil, options: nil, error: nil)
            }
            return [part("name", c?.name ?? ""), part("position", c?.position ?? "")]
                + (address ? [part("address", c?.address ?? "")] : [])
                + [part("telephone", c?.telephone ?? ""), part("email", c?.email ?? "")]
        }
        let pocs = f.pointsOfContact + Array(repeating: ReportContact(name: ""), count: Self.spareEntries)
        let agencies = f.otherAgencies + Array(repeating: AgencyNotification(agency: ""), count: Self.spareEntries)
        let contracts = detail.dossier.affectedContracts
        typealias Section = IncidentReportFieldsPage.Section
        typealias Group = IncidentReportFieldsPage.Group
        let sections: [Section] = [
            Section(id: "report_section", heading: web.messages.text("incident_rf_section_report", lang), lead: nil, error: nil, fields: [
                Field(id: "report_type", label: IncidentReportField.reportType.label[lang], value: f.reportType.rawValue, hint: nil, rows: nil,
                      options: DoDReportType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0 == f.reportType) },
                      error: err("report_type")),
                input("cited_report_number", .citedReportNumber, f.citedReportNumber, hint: web.messages.text("incident_rf_cited_hint", lang)),
                input("facility_cage", .facilityCAGE, f.facilityCAGE, hint: web.messages.text("incident_rf_cage_hint", lang)),
                clearance("facility_clearance", .facilityClearanceLevel, f.facilityClearanceLevel),
            ], groups: []),
            Section(id: "points_of_contact", heading: IncidentReportField.pointsOfContact.label[lang],
                    lead: web.messages.text("incident_rf_blank_entries", lang), error: err("points_of_contact"), fields: [],
                    groups: pocs.enumerated().map { i, c in
                        Group(legend: "\(IncidentReportField.pointsOfContact.label[lang]) \(i + 1)", fields: person("poc_\(i)", c.name.isEmpty ? nil : c))
                    }),
            Section(id: "contract_contacts", heading: IncidentReportField.affectedContracts.label[lang],
                    lead: web.messages.text(contracts.isEmpty ? "incident_rf_no_contracts" : "incident_rf_contracts_lead", lang),
                    error: err("contract_contacts"), fields: [],
                    groups: contracts.enumerated().map { i, c in
                        let saved = f.contacts(for: c.contractID)
                        return Group(legend: "\(c.number) — \(c.customerName)",
                                     fields: [Field(id: "contract_\(i)_id", label: "", value: c.contractID, hint: nil, rows: nil, options: nil, error: nil, hidden: true)]
                                        + person("contract_\(i)_co", saved?.contractingOfficer, address: false).map { $0.prefixed(IncidentReportField.contractingOfficers.label[lang]) }
                                        + person("contract_\(i)_pm", saved?.programManager, address: false).map { $0.prefixed(IncidentReportField.programManagers.label[lang]) }
                                        + [clearance("contract_\(i)_clearance", .contractClearanceLevels, saved?.clearanceLevel)])
                    }),
            Section(id: "incident_section", heading: web.messages.text("incident_rf_section_incident", lang), lead: nil, error: nil, fields: [
                area("impact", .impactToCoveredDefenseInformation, f.impactToCoveredDefenseInformation),
                area("critical_support", .operationallyCriticalSupport, f.operationallyCriticalSupport),
                area("locations", .locationsOfCompromise, f.locationsOfCompromise.joined(separator: "\n"), rows: 3,
                     hint: web.messages.text("incident_rf_one_per_line", lang)),
                input("incident_location_cage", .incidentLocationCAGE, f.incidentLocationCAGE, hint: web.messages.text("incident_rf_cage_hint", lang)),
                area("dod_programs", .dodPrograms, f.dodPrograms.joined(separator: "\n"), rows: 3, hint: web.messages.text("incident_rf_one_per_line", lang)),
                area("additional_information", .additionalInformation, f.additionalInformation),
            ], groups: []),
            Section(id: "other_agencies", heading: IncidentReportField.otherAgencies.label[lang],
                    lead: web.messages.text("incident_rf_blank_entries", lang), error: err("other_agencies"), fields: [],
                    groups: agencies.enumerated().map { i, a in
                        Group(legend: "\(IncidentReportField.otherAgencies.label[lang]) \(i + 1)", fields: [
                            Field(id: "agency_\(i)_name", label: web.messages.text("incident_rf_agency", lang), value: a.agency, hint: nil, rows: nil, options: nil, error: nil),
                            Field(id: "agency_\(i)_tracking", label: web.messages.text("incident_rf_tracking", lang), value: a.trackingNumber, hint: nil, rows: nil, options: nil, error: nil),
                        ])
                    }),
            Section(id: "mod_section", heading: web.messages.text("incident_rf_section_mod", lang),
                    lead: web.messages.text("incident_rf_mod_lead", lang), error: err("mod_contact"), fields: [
                area("designation_references", .designationReferences, f.designationReferences.joined(separator: "\n"), rows: 3,
                     hint: web.messages.text("incident_rf_one_per_line", lang)),
                area("mod_summary", .modSummary, f.modSummary),
                area("mod_damage", .modDamage, f.modDamage),
                area("mod_response", .modResponse, f.modResponse),
                area("mod_planned", .modPlannedActions, f.modPlannedActions),
            ], groups: [Group(legend: IncidentReportField.modContact.label[lang], fields: person("mod_contact", f.modContact))]),
        ]
        let missing = [IncidentReportKind.dodInitial, .modFirst].compactMap { kind -> IncidentReportFieldsPage.Missing? in
            let fields = f.missing(for: kind, in: detail.dossier)
            return fields.isEmpty ? nil : .init(report: kind.label[lang], fields: fields.map { $0.label[lang] }.joined(separator: "、"))
        }
        let model = IncidentReportFieldsPage(
            incidentTitle: detail.dossier.facts.title, action: PageRoute.incidentReportFields(org: o, incident: id).path,
            cancelURL: PageRoute.incident(org: o, incident: id).path, version: version,
            pocCount: pocs.count, contractCount: contracts.count, agencyCount: agencies.count, sections: sections,
            missing: missing, hasMissing: !missing.isEmpty, errorList: error.map { [IncidentFieldError(field: Self.anchor($0.field), message: $0.text[lang])] } ?? [],
            hasErrors: error != nil)
        return web.orgView("incident-report-fields", page, titleKey: "incident_rf_title", section: IncidentPages.section, model: model,
                           request: request, status: status, title: detail.dossier.facts.title)
    }

    // MARK: STIX

    /// The bundle with the TLP and the details ticked on the incident's page (defaults: TLP:AMBER, no narrative,
    /// contracts or report numbers — what leaves is only what was chosen).
    func stix(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("incident")
        let q = request.uri.queryParameters
        guard let tlp = TLPMarking(rawValue: q["tlp"].map(String.init) ?? TLPMarking.amber.rawValue) else { throw WebError.badForm }
        let options = STIXIncidentExportOptions(marking: tlp, includeNarrative: q["narrative"] == "1",
                                                includeContracts: q["contracts"] == "1", includeReportNumbers: q["report_numbers"] == "1")
        let doc = try await incidents.queries(page).stixBundle(id: id, options: options)
        return Response(status: .ok, headers: [.contentType: doc.contentType,
                                               .contentDisposition: "attachment; filename=\"incident-\(id)-stix.\(doc.fileExtension)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: doc.body)))
    }
}

/// `incident-report-fields`: the report fields by section; entries as groups of inputs.
struct IncidentReportFieldsPage: PageModel {
    struct Field: Encodable, Sendable {
        let id: String
        let label: String
        let value: String
        let hint: String?
        /// A text area's height; nil for one line.
        let rows: Int?
        /// A select's choices; nil for text.
        let options: [SelectOption]?
        let error: String?
        var hidden = false
        var isSelect: Bool { options != nil }
        var isText: Bool { options == nil && rows == nil && !hidden }

        private enum CodingKeys: String, CodingKey { case id, label, value, hint, rows, options, error, hidden, isSelect, isText, isTextarea }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(label, forKey: .label)
            try c.encode(value, forKey: .value)
            try c.encodeIfPresent(hint, forKey: .hint)
            try c.encodeIfPresent(rows, forKey: .rows)
            try c.encodeIfPresent(options, forKey: .options)
            try c.encodeIfPresent(error, forKey: .error)
            try c.encode(hidden, forKey: .hidden)
            try c.encode(isSelect, forKey: .isSelect)
            try c.encode(isText, forKey: .isText)
            try c.encode(rows != nil, forKey: .isTextarea)
        }

        /// The same input labelled "whose · what" (a contracting officer's telephone).
        func prefixed(_ owner: String) -> Field {
            Field(id: id, label: "\(owner) · \(label)", value: value, hint: hint, rows: rows, options: options, error: error, hidden: hidden)
        }
    }
    struct Group: Encodable, Sendable {
        let legend: String
        let fields: [Field]
    }
    struct Section: Encodable, Sendable {
        let id: String
        let heading: String
        let lead: String?
        let error: String?
        let fields: [Field]
        let groups: [Group]
    }
    /// A report that still lacks fields, and which.
    struct Missing: Encodable, Sendable {
        let report: String
        let fields: String
    }
    let incidentTitle: String
    let action: String
    let cancelURL: String
    let version: Int
    let pocCount: Int
    let contractCount: Int
    let agencyCount: Int
    let sections: [Section]
    let missing: [Missing]
    let hasMissing: Bool
    let errorList: [IncidentFieldError]
    let hasErrors: Bool
}
