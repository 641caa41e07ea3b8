import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX

@Suite("STIX 2.1 value types")
struct STIXValueTests {
    @Test("STIX 2.1 §2.9: identifiers are object-type--UUID with an RFC 4122 version and variant; anything else is refused")
    func identifiers() throws {
        let id = try #require(STIXIdentifier("incident--2242662b-d581-4864-8696-fff719dc0500"))
        #expect(id.type == "incident")
        #expect(id.rawValue == "incident--2242662b-d581-4864-8696-fff719dc0500")
        #expect(STIXIdentifier("x-tekigo-thing--2242662b-d581-4864-8696-fff719dc0500") != nil)
        #expect(STIXIdentifier("INCIDENT--2242662b-d581-4864-8696-fff719dc0500") == nil)   // upper-case type
        #expect(STIXIdentifier("incident-2242662b-d581-4864-8696-fff719dc0500") == nil)    // one hyphen
        #expect(STIXIdentifier("in--2242662b-d581-4864-8696-fff719dc0500") == nil)         // type shorter than 3
        #expect(STIXIdentifier("incident--2242662b-d581-0864-8696-fff719dc0500") == nil)   // version 0
        #expect(STIXIdentifier("incident--2242662b-d581-4864-c696-fff719dc0500") == nil)   // variant 110x
        #expect(STIXIdentifier("incident--2242662bd5814864-8696-fff719dc0500") == nil)
        #expect(STIXIdentifier("incident-") == nil)
        #expect(STIXIdentifier(type: "identity", uuid: UUID(uuidString: "2242662B-D581-4864-8696-FFF719DC0500")!).rawValue
                == "identity--2242662b-d581-4864-8696-fff719dc0500")
    }

    @Test("RFC 9562 §5.5: name-based ids are UUIDv5, equal to Python's uuid.uuid5 for the same namespace and name")
    func uuidV5() {
        #expect(SHA1.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.digest([]).map { String(format: "%02x", $0) }.joined() == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        let long = Array(String(repeating: "a", count: 1000).utf8)   // several 64-byte blocks
        #expect(SHA1.digest(long).map { String(format: "%02x", $0) }.joined() == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(STIXIdentifier.uuidV5(namespace: dns, name: "python.org").uuidString.lowercased() == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(STIXIdentifier.nameBased(type: "identity", namespace: STIXIdentifier.tekigoNamespace, name: "tekigo/organization/org-1").rawValue
                == "identity--d768c7a5-cd1f-5087-aec2-846a5b64d987")
        #expect(STIXIdentifier.nameBased(type: "ipv4-addr", namespace: STIXIdentifier.observableNamespace, name: #"{"value":"198.51.100.3"}"#).rawValue
                == "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4")
        #expect(STIXIdentifier.tekigoNamespace != STIXIdentifier.observableNamespace)
    }

    @Test("STIX 2.1 §3.2: timestamps are RFC 3339 in UTC with Z; any fraction is read, three digits (milliseconds) are written")
    func timestamps() throws {
        let t = try #require(STIXTimestamp("2020-10-19T01:01:01.002Z"))
        #expect(t.description == "2020-10-19T01:01:01.002Z")
        #expect(STIXTimestamp("2020-10-19T01:01:01Z")?.description == "2020-10-19T01:01:01.000Z")
        #expect(STIXTimestamp("2023-05-02T20:00:00.0002Z")?.description == "2023-05-02T20:00:00.000200Z")
        #expect(STIXTimestamp("2023-04-28T23:35:32.099185Z")?.description == "2023-04-28T23:35:32.099185Z")
        #expect(STIXTimestamp("2024-02-29T23:59:59.999999999Z")?.description == "2024-02-29T23:59:59.999999999Z")
        #expect(STIXTimestamp("2020-10-19T01:01:01.002Z") == STIXTimestamp("2020-10-19T01:01:01.002000Z"))
        for bad in ["2020-10-19T01:01:01+09:00", "2020-10-19T01:01:01", "2020-10-19t01:01:01Z", "2020-10-19 01:01:01Z",
                    "2023-02-29T00:00:00Z", "2020-13-01T00:00:00Z", "2020-10-19T24:00:00Z", "2020-10-19T01:01:01.Z",
                    "2020-10-19T01:01Z", "20-10-19T01:01:01Z", ""] {
            #expect(STIXTimestamp(bad) == nil, "\(bad)")
        }
        // A Date is truncated to the millisecond, and 1.002 s is not read as 1.00199… s.
        let date = Date(timeIntervalSince1970: 1_603_069_261.002)
        #expect(STIXTimestamp(date).description == "2020-10-19T01:01:01.002Z")
        #expect(STIXTimestamp(Date(timeIntervalSince1970: 1_603_069_261.0029)).description == "2020-10-19T01:01:01.002Z")
        #expect(STIXTimestamp(date).date == date)
        #expect(STIXTimestamp("1970-01-01T00:00:00.000Z")?.seconds == 0)
        #expect(STIXTimestamp("2000-03-01T00:00:00Z")!.seconds == 951_868_800)
    }

    @Test("TLP 2.0: the five marking definitions with their fixed ids; TLP 1.0 ids read as their TLP 2.0 level, WHITE as CLEAR")
    func tlp() throws {
        #expect(TLPMarking.amberStrict.name == "TLP:AMBER+STRICT")
        #expect(TLPMarking.amber.markingID.rawValue == "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")
        let definition = TLPMarking.green.markingDefinition
        #expect(definition.type == "marking-definition")
        #expect(definition["name"] == "TLP:GREEN")
        #expect(definition["created"] == "2022-10-01T00:00:00.000Z")
        #expect(definition["extensions"]?.objectValue?[TLPMarking.extensionID.rawValue]
                == ["extension_type": "property-extension", "tlp_2_0": "green"])
        #expect(TLPMarking(markingID: STIXIdentifier("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9")!) == .clear)
        #expect(TLPMarking(markingID: STIXIdentifier("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed")!) == .red)
        #expect(TLPMarking(markingID: STIXIdentifier("marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168")!) == nil)
        #expect(TLPMarking.allCases.sorted() == [.clear, .green, .amber, .amberStrict, .red])
        #expect(Set(TLPMarking.allCases.map(\.markingID)).count == 5)
    }

    @Test("JSON values keep their kinds: true is not 1, 70 stays an integer, 75.5 a number")
    func jsonValues() throws {
        let v = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":true,"b":1,"c":75.5,"d":null,"e":["x"]}"#.utf8))
        #expect(v == ["a": true, "b": 1, "c": .number(75.5), "d": .null, "e": ["x"]])
        #expect(String(decoding: try v.encoded(pretty: false), as: UTF8.self) == #"{"a":true,"b":1,"c":75.5,"d":null,"e":["x"]}"#)
    }

    @Test("STIX 2.1 §3: every object's common properties are checked, naming the property")
    func commonProperties() throws {
        func problem(_ p: [String: JSONValue]) -> STIXProblem? {
            do { _ = try STIXObject(properties: p); return nil } catch { return error }
        }
        let good: [String: JSONValue] = ["type": "incident", "id": "incident--2242662b-d581-4864-8696-fff719dc0500",
                                         "spec_version": "2.1", "created": "2020-10-19T01:01:01.002Z",
                                         "modified": "2020-10-19T01:01:01.002Z", "name": "x"]
        #expect(problem(good) == nil)
        var p = good; p["id"] = "identity--2242662b-d581-4864-8696-fff719dc0500"
        #expect(problem(p) == .idDoesNotMatchType(id: "identity--2242662b-d581-4864-8696-fff719dc0500", type: "incident"))
        p = good; p["spec_version"] = "2.0"
        #expect(problem(p) == .unsupportedSpecVersion("2.0"))
        p = good; p["spec_version"] = nil
        #expect(problem(p) == .missingProperty("spec_version"))
        p = good; p["modified"] = "2020-10-19T01:01:01.001Z"
        #expect(problem(p) == .modifiedBeforeCreated(created: "2020-10-19T01:01:01.002Z", modified: "2020-10-19T01:01:01.001Z"))
        p = good; p["created_by_ref"] = "incident--2242662b-d581-4864-8696-fff719dc0500"
        #expect(problem(p) == .identifierOfWrongType(property: "created_by_ref", value: "incident--2242662b-d581-4864-8696-fff719dc0500", expectedType: "identity"))
        p = good; p["object_marking_refs"] = ["TLP:RED"]
        #expect(problem(p) == .malformedIdentifier(property: "object_marking_refs", value: "TLP:RED"))
        p = good; p["created"] = 5
        #expect(problem(p) == .wrongKind(property: "created", expected: "a string", found: "a number"))
    }
}
