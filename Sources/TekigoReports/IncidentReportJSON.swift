import Foundation
import TekigoCore

/// An incident report draft as JSON, for tools and for filling in a portal by hand. The shape is the same for every
/// kind (`kind` says which report it is) and stable: keys sorted, every key always present (`null` or `""` / `[]`
/// when nothing is entered), instants ISO 8601 with the offset of the report's zone (discovery in the zone it was
/// given in), enumerations as their stable raw values — the incident's as `{"value", "label": {"en", "ja"}}`.
///
/// ```
/// { "format": "tekigo.incident-report", "formatVersion": 1,
///   "kind": "dod-initial" | "dod-follow-on" | "dod-voluntary" | "mod-first" | "mod-detail", "kindLabel": {"en","ja"},
///   "draft": true, "exercise": Bool, "notices": [{"en","ja"}], "generatedAt": instant,
///   "channel": {"name": {"en","ja"}, "address"}, "missing": [IncidentReportField],
///   "sectionI":   {"reportType": "initial"|"follow-on"|"voluntary", "citedReportNumber": String|null},
///   "sectionII":  {"companyName", "organizationID", "cageCodes": [], "uei", "corporateNumber", "facilityCAGE",
///                  "facilityClearanceLevel": ClearanceLevel|null},
///   "sectionIII": {"pointsOfContact": [Contact]},
///   "sectionIV":  {"contracts": [{"contractID", "number", "customerID", "customerName", "clauses": [],
///                  "contractingOfficer": Contact|null, "programManager": Contact|null, "clearanceLevel": …|null}]},
///   "incident":   {"id", "title", "discoveredAt", "discoveredTimeZone", "discoveredBy", "detectionMethod": Labelled,
///                  "phase": Labelled,
///                  "affectedSystems", "information": {"kind": "cui"|"protected-information"|"none-known",
///                  "category", "designationReference", "text"}, "impactToCoveredDefenseInformation",
///                  "operationallyCriticalSupport", "locationsOfCompromise", "incidentLocationCAGE", "dodPrograms",
///                  "compromiseType": Labelled, "technique", "outcome": Labelled, "narrative",
///                  "otherAgencies": [{"agency", "trackingNumber"}], "additionalInformation"},
///   "mod":        {"designationReferences", "contact": Contact|null, "summary", "damage", "response", "plannedActions"},
///   "submissions": [{"kind", "submittedAt", "channel", "submittedBy", "reportNumber", "cites"}],
///   "timeline":   [{"at", "author", "text", "phase", "evidence"}],
///   "createdAt", "updatedAt" }
/// Contact = {"name", "position", "address", "telephone", "email"}; Labelled = {"value", "label": {"en", "ja"}}
/// ```
/// `sectionI.citedReportNumber` is, for a follow-on, the number it cites (the draft's, else the recorded initial
/// report's); for other kinds the draft's, or null. `mod.designationReferences` also holds the 情報セキュリティ指定書
/// the information involved names.
public enum IncidentReportJSON {
    public static let format = "tekigo.incident-report"
    public static let formatVersion = 1

    public static func render(_ input: IncidentReportInput) -> String {
        String(decoding: data(input), as: UTF8.self)
    }

    public static func data(_ input: IncidentReportInput) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A tree of strings, numbers, booleans, arrays and objects always encodes.
        return (try? encoder.encode(node(input))) ?? Data("{}".utf8)
    }

    static func node(_ input: IncidentReportInput) -> JSONNode {
        let d = input.dossier
        let f = input.fields
        let facts = d.facts
        func s(_ v: String?) -> JSONNode { v.map(JSONNode.string) ?? .null }
        func strings(_ v: [String]) -> JSONNode { .array(v.map(JSONNode.string)) }
        func text(_ t: LocalizedText) -> JSONNode { .object(["en": .string(t.en), "ja": .string(t.ja)]) }
        func contact(_ c: ReportContact?) -> JSONNode {
            guard let c else { return .null }
            return .object(["name": .string(c.name), "position": .string(c.position), "address": .string(c.address),
                            "telephone": .string(c.telephone), "email": .string(c.email)])
        }
        func labelled(_ raw: String, _ label: LocalizedText) -> [String: JSONNode] { ["value": .string(raw), "label": text(label)] }
        let information: JSONNode
        switch facts.information {
        case .cui(let category):
            information = .object(["kind": "cui", "category": .string(category), "designationReference": .null, "text": text(facts.information.text)])
        case .protectedInformation(let ref):
            information = .object(["kind": "protected-information", "category": .null, "designationReference": .string(ref), "text": text(facts.information.text)])
        case .noneKnown:
            information = .object(["kind": "none-known", "category": .null, "designationReference": .null, "text": text(facts.information.text)])
        }
        let extraContracts = f.contractContacts.filter { c in !d.affectedContracts.contains { $0.contractID == c.contractID } }
        let contracts: [JSONNode] = d.affectedContracts.map { c in
            let entry = f.contacts(for: c.contractID)
            return .object(["contractID": .string(c.contractID), "number": .string(c.number), "customerID": .string(c.customerID),
                            "customerName": .string(c.customerName), "clauses": strings(c.clauses.sorted().map(\.rawValue)),
                            "contractingOfficer": contact(entry?.contractingOfficer), "programManager": contact(entry?.programManager),
                            "clearanceLevel": s(entry?.clearanceLevel?.rawValue)])
        } + extraContracts.map { entry in
            .object(["contractID": .string(entry.contractID), "number": .null, "customerID": .null, "customerName": .null,
                     "clauses": .array([]), "contractingOfficer": contact(entry.contractingOfficer),
                     "programManager": contact(entry.programManager), "clearanceLevel": s(entry.clearanceLevel?.rawValue)])
        }
        var notices = [text(IncidentReportText.draftNotice(input.channel))]
        if d.exercise { notices.append(text(IncidentReportText.exerciseNotice)) }
        return .object([
            "format": .string(format),
            "formatVersion": .number(formatVersion),
            "kind": .string(input.kind.rawValue),
            "kindLabel": text(IncidentReportText.title(input.kind)),
            "draft": .bool(true),
            "exercise": .bool(d.exercise),
            "notices": .array(notices),
            "generatedAt": .string(input.instant(input.generatedAt)),
            "channel": .object(["name": text(input.channel.name), "address": .string(input.channel.address)]),
            "missing": strings(f.missing(for: input.kind, in: d).map(\.rawValue)),
            "sectionI": .object(["reportType": .string(input.dodReportType.rawValue),
                                 "citedReportNumber": input.kind == .dodFollowOn ? s(input.citedReportNumber) : s(f.citedReportNumber.isEmpty ? nil : f.citedReportNumber)]),
            "sectionII": .object(["companyName": .string(d.organization.name), "organizationID": .string(d.organization.id),
                                  "cageCodes": strings(d.organization.cageCodes), "uei": s(d.organization.uei),
                                  "corporateNumber": s(d.organization.corporateNumber), "facilityCAGE": .string(f.facilityCAGE),
                                  "facilityClearanceLevel": s(f.facilityClearanceLevel?.rawValue)]),
            "sectionIII": .object(["pointsOfContact": .array(f.pointsOfContact.map(contact))]),
            "sectionIV": .object(["contracts": .array(contracts)]),
            "incident": .object([
                "id": .string(d.id),
                "title": .string(facts.title),
                "discoveredAt": .string(OffsetInstant.format(facts.discoveredAt, in: TimeZone(identifier: facts.discoveredTimeZone) ?? input.timeZone)),
                "discoveredTimeZone": .string(facts.discoveredTimeZone),
                "discoveredBy": .string(facts.discoveredBy),
                "detectionMethod": .object(labelled(facts.detectionMethod.rawValue, facts.detectionMethod.label)),
                "phase": .object(labelled(d.phase.rawValue, d.phase.label)),
                "affectedSystems": strings(d.affectedSystems),
                "information": information,
                "impactToCoveredDefenseInformation": .string(f.impactToCoveredDefenseInformation),
                "operationallyCriticalSupport": .string(f.operationallyCriticalSupport),
                "locationsOfCompromise": strings(f.locationsOfCompromise),
                "incidentLocationCAGE": .string(f.incidentLocationCAGE),
                "dodPrograms": strings(f.dodPrograms),
                "compromiseType": .object(labelled(facts.compromiseType.rawValue, facts.compromiseType.label)),
                "technique": .string(facts.technique),
                "outcome": .object(labelled(facts.outcome.rawValue, facts.outcome.label)),
                "narrative": .string(facts.narrative),
                "otherAgencies": .array(f.otherAgencies.map { .object(["agency": .string($0.agency), "trackingNumber": .string($0.trackingNumber)]) }),
                "additionalInformation": .string(f.additionalInformation),
            ]),
            "mod": .object([
                "designationReferences": strings(input.designationReferences),
                "contact": contact(f.modContact),
                "summary": .string(f.modSummary),
                "damage": .string(f.modDamage),
                "response": .string(f.modResponse),
                "plannedActions": .string(f.modPlannedActions),
            ]),
            "submissions": .array(d.submissions.sorted { $0.submittedAt < $1.submittedAt }.map {
                .object(["kind": .string($0.kind.rawValue), "submittedAt": .string(input.instant($0.submittedAt)),
                         "channel": .string($0.channel), "submittedBy": .string($0.submittedBy),
                         "reportNumber": s($0.reportNumber), "cites": s($0.cites)])
            }),
            "timeline": .array(d.timeline.sorted { $0.at < $1.at }.map {
                .object(["at": .string(input.instant($0.at)), "author": .string($0.author), "text": .string($0.text),
                         "phase": s($0.phase?.rawValue), "evidence": strings($0.evidence)])
            }),
            "createdAt": .string(input.instant(d.createdAt)),
            "updatedAt": .string(input.instant(d.updatedAt)),
        ])
    }
}

/// A JSON value, for documents whose every key is written even when it is null.
enum JSONNode: Encodable, ExpressibleByStringLiteral {
    case null
    case bool(Bool)
    case number(Int)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(stringLiteral value: String) { self = .string(value) }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
