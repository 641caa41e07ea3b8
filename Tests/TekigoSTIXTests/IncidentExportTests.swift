import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX

@Suite("An incident as a STIX 2.1 bundle")
struct IncidentExportTests {
    @Test("Issue 13 item 8: the bundle holds the TLP 2.0 marking definition, the reporter's identity, the incident with Incident Core, and the discovery task")
    func shape() throws {
        let d = try Fixtures.dossier()
        let data = try STIXIncidentExporter.export(d, options: STIXIncidentExportOptions(marking: .amber))
        let top = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(top["type"] as? String == "bundle")
        #expect((top["id"] as? String)?.hasPrefix("bundle--") == true)
        let o = try Fixtures.objects(data)
        #expect(Set(o.keys) == ["marking-definition", "identity", "incident", "task"])

        let marking = try #require(o["marking-definition"])
        #expect(marking["id"] as? String == "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")
        #expect(marking["name"] as? String == "TLP:AMBER")

        let identity = try #require(o["identity"])
        #expect(identity["id"] as? String == STIXIncidentExporter.identityID(organizationID: "org-7").rawValue)
        #expect(identity["name"] as? String == "株式会社 山田精機")
        #expect(identity["identity_class"] as? String == "organization")

        let incident = try #require(o["incident"])
        #expect(incident["id"] as? String == STIXIncidentExporter.incidentID(organizationID: "org-7", incidentID: "inc-42").rawValue)
        #expect(incident["spec_version"] as? String == "2.1")
        #expect(incident["name"] as? String == "CAD サーバのランサムウェア感染")
        #expect(incident["created_by_ref"] as? String == identity["id"] as? String)
        // created / modified from the dossier, UTC, truncated to the millisecond.
        #expect(incident["created"] as? String == "2026-12-04T18:00:00.123Z")
        #expect(incident["modified"] as? String == "2026-12-06T01:30:15.500Z")
        #expect(incident["object_marking_refs"] as? [String] == [TLPMarking.amber.markingID.rawValue])
        #expect(identity["object_marking_refs"] as? [String] == [TLPMarking.amber.markingID.rawValue])
        let ext = try #require((incident["extensions"] as? [String: Any])?[IncidentCoreExtension.id.rawValue] as? [String: Any])
        #expect(ext["extension_type"] as? String == "property-extension")
        #expect(ext["determination"] as? String == "confirmed")
        #expect(ext["investigation_status"] as? String == "open")
        #expect(ext["incident_types"] as? [String] == ["unauthorized-access"])
        #expect(ext["detection_methods"] as? [String] == ["user-reporting"])

        let task = try #require(o["task"])
        #expect(ext["task_refs"] as? [String] == [task["id"] as! String])
        #expect(task["task_types"] as? [String] == ["discovery"])
        #expect(task["start_time"] as? String == "2026-12-04T17:13:00.000Z")
        #expect((task["extensions"] as? [String: Any])?[IncidentCoreExtension.taskExtensionID.rawValue] != nil)
    }

    @Test("Sharing sanitised by default: no narrative, contracts, report numbers, discoverer, technique, CUI category or systems unless asked")
    func sensitiveOff() throws {
        let d = try Fixtures.dossier()
        let text = String(decoding: try STIXIncidentExporter.export(d, options: STIXIncidentExportOptions(marking: .red)), as: UTF8.self)
        for secret in ["ransom note", "FA8650", "Prime Aerospace", "ICF-2026", "山田 太郎", "Taro Yamada", "Phishing e-mail",
                       "CTI", "Design LAN", "8ABC3", "ABCDEF123456", "Server isolated"] {
            #expect(!text.contains(secret), "\(secret) leaked")
        }
        let incident = try #require(try Fixtures.objects(Data(text.utf8))["incident"])
        #expect(incident["description"] == nil)
        #expect(incident["external_references"] == nil)
    }

    @Test("Each flag adds only its own field: the narrative as description, contracts and report numbers as external references")
    func sensitiveOn() throws {
        let d = try Fixtures.dossier()
        let narrative = try #require(try Fixtures.objects(STIXIncidentExporter.export(
            d, options: STIXIncidentExportOptions(marking: .amber, includeNarrative: true)))["incident"])
        #expect(narrative["description"] as? String == d.facts.narrative)
        #expect(narrative["external_references"] == nil)

        let contracts = try #require(try Fixtures.objects(STIXIncidentExporter.export(
            d, options: STIXIncidentExportOptions(marking: .amber, includeContracts: true)))["incident"])
        let refs = try #require(contracts["external_references"] as? [[String: Any]])
        #expect(refs.count == 1)
        #expect(refs[0]["source_name"] as? String == "tekigo-contract")
        #expect(refs[0]["external_id"] as? String == "FA8650-26-C-1234")
        #expect((refs[0]["description"] as? String)?.contains("Prime Aerospace Corp") == true)
        #expect(contracts["description"] == nil)

        let numbers = try #require(try Fixtures.objects(STIXIncidentExporter.export(
            d, options: STIXIncidentExportOptions(marking: .amber, includeReportNumbers: true)))["incident"])
        let nrefs = try #require(numbers["external_references"] as? [[String: Any]])
        #expect(nrefs.map { $0["external_id"] as? String } == ["ICF-2026-00042"])
        #expect(nrefs[0]["source_name"] as? String == "dod-initial")
    }

    @Test("Deterministic: the same dossier and options give the same bytes; ids depend on the organization and incident ids only")
    func deterministic() throws {
        let d = try Fixtures.dossier()
        let options = STIXIncidentExportOptions(marking: .green)
        #expect(try STIXIncidentExporter.export(d, options: options) == STIXIncidentExporter.export(d, options: options))
        let later = try Fixtures.dossier(phase: .closed)
        let a = try Fixtures.objects(STIXIncidentExporter.export(d, options: options))
        let b = try Fixtures.objects(STIXIncidentExporter.export(later, options: options))
        #expect(a["incident"]?["id"] as? String == b["incident"]?["id"] as? String)
        #expect(a["identity"]?["id"] as? String == b["identity"]?["id"] as? String)
        #expect(STIXIncidentExporter.incidentID(organizationID: "org-7", incidentID: "inc-42")
                != STIXIncidentExporter.incidentID(organizationID: "org-8", incidentID: "inc-42"))
        #expect(STIXIncidentExporter.identityID(organizationID: "org-7").uuid.uuidString.lowercased().dropFirst(14).first == "5")
    }

    @Test("Vocabulary gaps leave properties out rather than invent values: unknown compromise type, 'other' detection; an exercise is labelled")
    func gaps() throws {
        let d = try Fixtures.dossier(phase: .detected, outcome: .unknown, compromise: .unknown, detection: .other, exercise: true)
        let incident = try #require(try Fixtures.objects(STIXIncidentExporter.export(d, options: .init(marking: .clear)))["incident"])
        let ext = try #require((incident["extensions"] as? [String: Any])?[IncidentCoreExtension.id.rawValue] as? [String: Any])
        #expect(ext["incident_types"] == nil)
        #expect(ext["detection_methods"] == nil)
        #expect(ext["determination"] as? String == "suspected")
        #expect(ext["investigation_status"] as? String == "new")
        #expect(incident["labels"] as? [String] == ["exercise"])
    }

    @Test("Round trip: export then import gives back every field STIX can carry; phases between analysing and closed come back as analysing")
    func roundTrip() throws {
        for phase in IncidentPhase.allCases {
            for outcome in IncidentOutcome.allCases {
                let d = try Fixtures.dossier(phase: phase, outcome: outcome, compromise: .unauthorizedRelease,
                                             detection: .externalNotification, exercise: phase == .closed)
                let data = try STIXIncidentExporter.export(d, options: .init(marking: .amberStrict, includeNarrative: true))
                let result = try STIXIncidentImporter.read(data)
                let i = try #require(result.incidents.first)
                #expect(result.incidents.count == 1)
                #expect(i.title == d.facts.title)
                #expect(i.description == d.facts.narrative)
                #expect(i.discoveredAt == d.facts.discoveredAt)
                #expect(i.detectionMethod == .externalNotification)
                #expect(i.compromiseType == .unauthorizedRelease)
                #expect(i.outcome == outcome)
                let expected: IncidentPhase = switch phase {
                case .detected: .detected
                case .closed: .closed
                default: .analysing
                }
                #expect(i.phase == expected)
                #expect(i.exercise == (phase == .closed))
                #expect(i.tlp == .amberStrict)
                #expect(i.reporterName == "株式会社 山田精機")
                #expect(i.createdBy == STIXIncidentExporter.identityID(organizationID: "org-7"))
                #expect(i.created == STIXTimestamp(d.createdAt))
                #expect(i.modified == STIXTimestamp(d.updatedAt))
                // Tekigo's own bundle leaves nothing behind but the task list it used for the discovery time.
                #expect(result.warnings.map(\.property) == ["extensions.\(IncidentCoreExtension.id.rawValue).task_refs"],
                        "\(result.warnings)")
            }
        }
    }
}
