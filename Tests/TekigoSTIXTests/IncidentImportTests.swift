import Foundation
import Testing
import TekigoCore
import TekigoSTIX
import TekigoTestSupport

@Suite("Incidents read from STIX 2.1", .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
struct IncidentImportTests {
    static let core = "extensions.\(IncidentCoreExtension.id.rawValue)"

    @Test("Issue 13 item 8: OASIS incident_sample_activity.json (current design) imports with every field Tekigo models")
    func sampleActivity() throws {
        let result = try STIXIncidentImporter.read(try Fixtures.incidentExample("incident_sample_activity.json"))
        let i = try #require(result.incidents.first)
        #expect(result.incidents.count == 1)
        #expect(i.id.rawValue == "incident--2242662b-d581-4864-8696-fff719dc0500")
        #expect(i.title == "Sample Incident 1")
        #expect(i.description?.hasPrefix("An where a drive by and phishing were used") == true)
        #expect(i.created.description == "2020-10-19T01:01:01.002Z")
        #expect(i.modified.description == "2020-10-19T01:01:01.002Z")
        #expect(i.outcome == .successfulCompromise)            // determination: confirmed
        #expect(i.phase == .analysing)                          // investigation_status: open
        #expect(i.detectionMethod == .humanReview)
        #expect(i.compromiseType == nil)                        // no incident_types in the file
        #expect(i.discoveredAt == STIXTimestamp("2020-10-15T01:01:01.000Z")!.date)   // the discovery task's start_time
        #expect(i.createdBy?.rawValue == "identity--2242662b-d581-4864-8696-fff719dc0500")
        #expect(i.reporterName == nil)                          // the identity is not in the bundle
        #expect(!i.exercise)
        // Not kept, and said so: the event and task references, and the other objects by type.
        let props = Set(result.warnings.compactMap(\.property))
        #expect(props.contains("\(Self.core).event_refs"))
        #expect(props.contains("\(Self.core).task_refs"))
        let text = result.warnings.map(\.description).joined(separator: "\n")
        for type in ["'event'", "'sighting'", "'attack-pattern'", "'grouping'", "'user-account'", "'task'"] {
            #expect(text.contains(type), "no warning for \(type) objects")
        }
        // Nothing about what was kept.
        for kept in ["determination", "investigation_status", "detection_methods"] {
            #expect(!props.contains("\(Self.core).\(kept)"))
        }
    }

    @Test("The four earlier-design examples (events / tasks) import, never fail, with warnings naming what was not kept",
          arguments: ["example_2.1.json", "incident_asset_context.json", "incident_indicators.json", "incident_ransom.json"])
    func earlierDesign(file: String) throws {
        let result = try STIXIncidentImporter.read(try Fixtures.incidentExample(file))
        let i = try #require(result.incidents.first)
        #expect(!i.title.isEmpty)
        #expect(i.outcome == .successfulCompromise)   // all four: confirmed
        let props = Set(result.warnings.compactMap(\.property))
        #expect(props.contains("\(Self.core).tasks"), "\(props)")
        if file != "incident_asset_context.json" {
            #expect(props.contains("\(Self.core).events"), "\(props)")
        }
        for w in result.warnings { #expect(!w.text.en.isEmpty && !w.text.ja.isEmpty) }
    }

    @Test("Earlier design, field by field: example_2.1 (a single object) and incident_asset_context (a list, not a bundle)")
    func earlierDetails() throws {
        let single = try STIXIncidentImporter.read(try Fixtures.incidentExample("example_2.1.json"))
        let s = try #require(single.incidents.first)
        #expect(s.title == "incident-2173")
        #expect(s.phase == .analysing)
        #expect(s.detectionMethod == .automatedTool)
        #expect(s.compromiseType == nil)
        let props = Set(single.warnings.compactMap(\.property))
        for p in ["criticality", "impact_refs", "impacted_entity_counts", "recoverability", "scores", "incident_types",
                  "detection_methods"] {
            #expect(props.contains("\(Self.core).\(p)"), "\(p) not named")
        }
        // human-review (the second method) is named as not kept.
        #expect(single.warnings.first { $0.property == "\(Self.core).detection_methods" }?.text.en.contains("human-review") == true)

        let list = try STIXIncidentImporter.read(try Fixtures.incidentExample("incident_asset_context.json"))
        let l = try #require(list.incidents.first)
        #expect(l.compromiseType == .unauthorizedRelease)
        #expect(l.detectionMethod == .automatedTool)
        #expect(list.warnings.contains { $0.objectID == "content" && $0.property == nil && $0.text.en.contains("list of objects") })
        #expect(list.warnings.contains { $0.property == "external_references" })

        let ransom = try STIXIncidentImporter.read(try Fixtures.incidentExample("incident_ransom.json"))
        #expect(ransom.incidents.first?.phase == .closed)
        #expect(ransom.incidents.first?.created.description == "2023-05-02T20:00:00.000200Z")

        let indicators = try STIXIncidentImporter.read(try Fixtures.incidentExample("incident_indicators.json"))
        let ind = try #require(indicators.incidents.first)
        #expect(ind.detectionMethod == .userReporting)
        #expect(indicators.warnings.first { $0.property == "\(Self.core).incident_types" }?.text.en
                .contains("compromised-system, denial-of-service, major") == true)
    }
}

@Suite("Bad STIX input")
struct STIXBadInputTests {
    static let incidentID = "incident--2242662b-d581-4864-8696-fff719dc0500"

    static func bundle(_ incident: [String: Any], extra: [[String: Any]] = []) -> Data {
        let b: [String: Any] = ["type": "bundle", "id": "bundle--a34c0c61-e579-4f85-9f11-8488c8daad15", "objects": [incident] + extra]
        return try! JSONSerialization.data(withJSONObject: b)
    }

    static func incident(_ change: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        var i: [String: Any] = [
            "type": "incident", "id": incidentID, "spec_version": "2.1", "created": "2020-10-19T01:01:01.002Z",
            "modified": "2020-10-19T01:01:01.002Z", "name": "Sample",
            "extensions": [IncidentCoreExtension.id.rawValue: ["extension_type": "property-extension", "determination": "confirmed",
                                                               "investigation_status": "open"]],
        ]
        change(&i)
        return i
    }

    static func core(_ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
        incident { i in
            var e = (i["extensions"] as! [String: Any])[IncidentCoreExtension.id.rawValue] as! [String: Any]
            change(&e)
            i["extensions"] = [IncidentCoreExtension.id.rawValue: e]
        }
    }

    static func failure(_ data: Data) -> STIXError? {
        do { _ = try STIXIncidentImporter.read(data); return nil } catch { return error }
    }

    static let corePath = "extensions.\(IncidentCoreExtension.id.rawValue)"

    @Test("A minimal valid incident imports (the baseline for the cases below)")
    func baseline() throws {
        #expect(Self.failure(Self.bundle(Self.incident())) == nil)
    }

    @Test("Not JSON, not STIX, no incident: each a clear error")
    func notSTIX() {
        guard case .invalidJSON = Self.failure(Data("{\"type\": \"bundle\",".utf8)) else { Issue.record("invalid JSON accepted"); return }
        #expect(Self.failure(Data("\"hello\"".utf8)) == .notSTIXContent(found: "a string"))
        #expect(Self.failure(Data(#"{"type":"bundle","id":"bundle--a34c0c61-e579-4f85-9f11-8488c8daad15","objects":[]}"#.utf8))
                == .noIncident(objectCount: 0))
        #expect(Self.failure(Data(#"{"type":"bundle","id":"bundle--a34c0c61-e579-4f85-9f11-8488c8daad15","spec_version":"2.0","objects":[]}"#.utf8))
                == .invalidObject(id: "bundle--a34c0c61-e579-4f85-9f11-8488c8daad15", problem: .unsupportedSpecVersion("2.0")))
    }

    @Test("A malformed object fails naming its id and the reason; an object without a usable id is named by its position")
    func malformedObjects() {
        let id = Self.incidentID
        #expect(Self.failure(Self.bundle(Self.incident { $0["created"] = "2020-10-19 01:01:01" }))
                == .invalidObject(id: id, problem: .malformedTimestamp(property: "created", value: "2020-10-19 01:01:01")))
        #expect(Self.failure(Self.bundle(Self.incident { $0["modified"] = nil }))
                == .invalidObject(id: id, problem: .missingProperty("modified")))
        #expect(Self.failure(Self.bundle(Self.incident { $0["name"] = nil }))
                == .invalidObject(id: id, problem: .missingProperty("name")))
        #expect(Self.failure(Self.bundle(Self.incident { $0["name"] = "  " }))
                == .invalidObject(id: id, problem: .emptyText(property: "name")))
        #expect(Self.failure(Self.bundle(Self.incident { $0["id"] = "incident--not-a-uuid" }))
                == .invalidObject(id: "objects[0]", problem: .malformedIdentifier(property: "id", value: "incident--not-a-uuid")))
        #expect(Self.failure(Self.bundle(Self.incident { $0["created_by_ref"] = "organization" }))
                == .invalidObject(id: id, problem: .malformedIdentifier(property: "created_by_ref", value: "organization")))
        // Another object in the bundle is checked too.
        let badSighting: [String: Any] = ["type": "sighting", "id": "sighting--55183679-1f1d-4824-af63-72ec2ef855a0", "spec_version": "2.1",
                                          "created": "2020-10-19T01:01:01.000Z", "modified": "yesterday"]
        #expect(Self.failure(Self.bundle(Self.incident(), extra: [badSighting]))
                == .invalidObject(id: "sighting--55183679-1f1d-4824-af63-72ec2ef855a0", problem: .malformedTimestamp(property: "modified", value: "yesterday")))
    }

    @Test("Incident Core's required properties and closed enumerations are enforced; its open vocabularies only warn")
    func coreRules() throws {
        let id = Self.incidentID, p = Self.corePath
        #expect(Self.failure(Self.bundle(Self.core { $0["determination"] = nil }))
                == .invalidObject(id: id, problem: .missingProperty("\(p).determination")))
        #expect(Self.failure(Self.bundle(Self.core { $0["investigation_status"] = nil }))
                == .invalidObject(id: id, problem: .missingProperty("\(p).investigation_status")))
        #expect(Self.failure(Self.bundle(Self.core { $0["determination"] = "successful-attempt" }))
                == .invalidObject(id: id, problem: .valueNotAllowed(property: "\(p).determination", value: "successful-attempt",
                                                                    allowed: IncidentCoreExtension.determinations)))
        #expect(Self.failure(Self.bundle(Self.core { $0["extension_type"] = "new-sdo" }))
                == .invalidObject(id: id, problem: .valueNotAllowed(property: "\(p).extension_type", value: "new-sdo", allowed: ["property-extension"])))
        #expect(Self.failure(Self.bundle(Self.core { $0["detection_methods"] = "human-review" }))
                == .invalidObject(id: id, problem: .wrongKind(property: "\(p).detection_methods", expected: "a list of strings", found: "a string")))
        let error = try #require(Self.failure(Self.bundle(Self.core { $0["determination"] = nil })))
        #expect(error.description.contains(id) && error.description.contains("determination"))
        #expect(error.text.ja.contains(id))

        let open = try STIXIncidentImporter.read(Self.bundle(Self.core { $0["investigation_status"] = "escalated"; $0["determination"] = "false-positive" }))
        #expect(open.incidents.first?.phase == nil)
        #expect(open.incidents.first?.outcome == .unknown)
        #expect(open.warnings.contains { $0.property == "\(p).investigation_status" && $0.text.en.contains("escalated") })
        #expect(open.warnings.contains { $0.property == "\(p).determination" && $0.text.en.contains("false-positive") })
    }

    @Test("The discovery task's start_time is the incident's discovery time: a malformed one fails, naming the task")
    func discoveryTask() throws {
        let taskID = "task--2d254737-fbf8-4969-adb3-80ac5c293f57"
        func task(_ start: String) -> [String: Any] {
            ["type": "task", "id": taskID, "spec_version": "2.1", "created": "2020-10-19T01:01:01.000Z",
             "modified": "2020-10-19T01:01:01.000Z", "task_types": ["discovery"], "start_time": start,
             "extensions": [IncidentCoreExtension.taskExtensionID.rawValue: ["extension_type": "new-sdo"]]]
        }
        let withRef = Self.core { $0["task_refs"] = [taskID] }
        let ok = try STIXIncidentImporter.read(Self.bundle(withRef, extra: [task("2020-10-15T01:01:01.000Z")]))
        #expect(ok.incidents.first?.discoveredAt == STIXTimestamp("2020-10-15T01:01:01Z")!.date)
        #expect(Self.failure(Self.bundle(withRef, extra: [task("15 October 2020")]))
                == .invalidObject(id: Self.incidentID, problem: .malformedTimestamp(property: "\(taskID).start_time", value: "15 October 2020")))
        // A task the incident does not name is not its discovery.
        let unnamed = try STIXIncidentImporter.read(Self.bundle(Self.incident(), extra: [task("2020-10-15T01:01:01.000Z")]))
        #expect(unnamed.incidents.first?.discoveredAt == nil)
    }

    @Test("An incident without Incident Core imports its name and description, and the warning says what is unknown")
    func withoutCore() throws {
        let result = try STIXIncidentImporter.read(Self.bundle(Self.incident { $0["extensions"] = nil; $0["x_acme_ticket"] = "T-1" }))
        let i = try #require(result.incidents.first)
        #expect(i.title == "Sample")
        #expect(i.outcome == nil && i.phase == nil && i.detectionMethod == nil && i.compromiseType == nil)
        #expect(result.warnings.contains { $0.property == "extensions" })
        #expect(result.warnings.contains { $0.property == "x_acme_ticket" })
    }

    @Test("Several versions of one incident: the newest is read, and the warning says so")
    func versions() throws {
        let older = Self.incident { $0["name"] = "Old" }
        let newer = Self.incident { $0["name"] = "New"; $0["modified"] = "2021-01-01T00:00:00.000Z" }
        let result = try STIXIncidentImporter.read(Self.bundle(newer, extra: [older]))
        #expect(result.incidents.map(\.title) == ["New"])
        #expect(result.warnings.contains { $0.objectID == Self.incidentID && $0.text.en.contains("2 versions") })
    }
}
