import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX
import TekigoTestSupport

/// Minimal valid objects of every type the store keeps, and a way to break them one property at a time.
enum ValidationSamples {
    static let now = STIXTimestamp("2026-12-06T18:00:00.000Z")!
    static let validator = STIXObjectValidator(now: now)

    static let created = "2026-12-01T09:00:00.000Z"
    static let modified = "2026-12-02T09:00:00.000Z"

    static func id(_ type: String, _ n: Int = 1) -> String {
        "\(type)--6ba7b810-9dad-41d1-80b4-\(String(format: "%012d", n))"
    }

    static func sdo(_ type: String, _ extra: [String: JSONValue]) -> [String: JSONValue] {
        var p: [String: JSONValue] = ["type": .string(type), "id": .string(id(type)), "spec_version": "2.1",
                                      "created": .string(created), "modified": .string(modified)]
        for (k, v) in extra { p[k] = v }
        return p
    }

    static func sco(_ type: String, _ extra: [String: JSONValue]) -> [String: JSONValue] {
        var p: [String: JSONValue] = ["type": .string(type), "id": .string(id(type)), "spec_version": "2.1"]
        for (k, v) in extra { p[k] = v }
        return p
    }

    static let sha256 = String(repeating: "ab", count: 32)

    /// One valid object for every supported type.
    static let valid: [String: [String: JSONValue]] = [
        "attack-pattern": sdo("attack-pattern", ["name": "Spearphishing Attachment",
                                                 "kill_chain_phases": [["kill_chain_name": "mitre-attack", "phase_name": "initial-access"]]]),
        "campaign": sdo("campaign", ["name": "Operation X", "first_seen": "2026-01-01T00:00:00Z", "last_seen": "2026-02-01T00:00:00Z"]),
        "course-of-action": sdo("course-of-action", ["name": "Block the C2 address"]),
        "infrastructure": sdo("infrastructure", ["name": "C2 servers", "infrastructure_types": ["command-and-control"]]),
        "location": sdo("location", ["country": "JP"]),
        "grouping": sdo("grouping", ["context": "suspicious-activity", "object_refs": [.string(id("indicator"))]]),
        "identity": sdo("identity", ["name": "株式会社 山田精機", "identity_class": "organization"]),
        "incident": sdo("incident", ["name": "CAD server ransomware"]),
        "indicator": sdo("indicator", ["pattern": "[ipv4-addr:value = '198.51.100.3']", "pattern_type": "stix",
                                       "valid_from": "2026-12-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"]),
        "intrusion-set": sdo("intrusion-set", ["name": "Comment Crew", "first_seen": "2020-01-01T00:00:00Z", "last_seen": "2020-01-01T00:00:00Z"]),
        "malware": sdo("malware", ["is_family": true, "name": "Poison Ivy", "malware_types": ["remote-access-trojan"]]),
        "note": sdo("note", ["content": "Seen at two suppliers", "object_refs": [.string(id("indicator"))]]),
        "observed-data": sdo("observed-data", ["first_observed": "2026-12-01T00:00:00Z", "last_observed": "2026-12-01T01:00:00Z",
                                               "number_observed": 1, "object_refs": [.string(id("ipv4-addr"))]]),
        "report": sdo("report", ["name": "Weekly", "published": "2026-12-02T00:00:00Z", "object_refs": [.string(id("indicator"))]]),
        "threat-actor": sdo("threat-actor", ["name": "APT1"]),
        "tool": sdo("tool", ["name": "cobalt strike"]),
        "vulnerability": sdo("vulnerability", ["name": "CVE-2021-44228",
                                               "external_references": [["source_name": "cve", "external_id": "CVE-2021-44228"]]]),
        "relationship": sdo("relationship", ["relationship_type": "indicates", "source_ref": .string(id("indicator")),
                                             "target_ref": .string(id("malware"))]),
        "sighting": sdo("sighting", ["sighting_of_ref": .string(id("indicator")), "count": 0,
                                     "where_sighted_refs": [.string(id("identity"))]]),
        "ipv4-addr": sco("ipv4-addr", ["value": "198.51.100.3"]),
        "ipv6-addr": sco("ipv6-addr", ["value": "2001:db8::1"]),
        "domain-name": sco("domain-name", ["value": "example.com"]),
        "url": sco("url", ["value": "https://example.com/payload.exe"]),
        "email-addr": sco("email-addr", ["value": "evil@example.com"]),
        "file": sco("file", ["hashes": ["SHA-256": .string(sha256)]]),
        "software": sco("software", ["name": "PuTTY"]),
        "user-account": sco("user-account", ["user_id": "1001"]),
        "marking-definition": TLPMarking.amber.markingDefinition.properties,
    ]

    static func object(_ type: String, changing changes: [String: JSONValue?] = [:]) throws -> STIXObject {
        var p = try #require(valid[type])
        for (k, v) in changes { p[k] = v }
        return try STIXObject(properties: p)
    }

    /// The problem `validate` throws for `type` with `changes`, nil when it passes.
    static func problem(_ type: String, _ changes: [String: JSONValue?] = [:], now: STIXTimestamp = now) throws -> STIXProblem? {
        let o = try object(type, changing: changes)
        do {
            try STIXObjectValidator(now: now).validate(o)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("STIX 2.1 validation by type (issue 14)")
struct STIXTypeValidationTests {
    typealias S = ValidationSamples

    @Test("STIX 2.1 §4–§7: a minimal valid object of every type the store keeps passes, and the list is issue 14's",
          arguments: ValidationSamples.valid.keys.sorted())
    func everyTypeHasAValidForm(type: String) throws {
        #expect(try S.problem(type) == nil)
    }

    @Test("Issue 14 item 1: the supported types are the list the issue names and the five published reports carry")
    func supportedList() {
        #expect(STIXTypeRules.supportedTypes == [
            "attack-pattern", "campaign", "course-of-action", "domain-name", "email-addr", "file", "grouping", "identity", "incident",
            "indicator", "infrastructure", "intrusion-set", "ipv4-addr", "ipv6-addr", "location", "malware", "marking-definition", "note",
            "observed-data", "relationship", "report", "sighting", "software", "threat-actor", "tool", "url", "user-account", "vulnerability",
        ])
        #expect(Set(S.valid.keys) == Set(STIXTypeRules.supportedTypes))
    }

    @Test("STIX 2.1 §3.2: domain and relationship objects need created and modified, precise to the millisecond; observables need neither")
    func createdAndModified() throws {
        for type in ["indicator", "relationship", "sighting", "note"] {
            #expect(try S.problem(type, ["modified": nil]) == .missingProperty("modified"), "\(type)")
        }
        #expect(try S.problem("identity", ["created": "2026-12-01T09:00:00Z", "modified": "2026-12-01T09:00:00Z"])
                == .timestampPrecision(property: "created", value: "2026-12-01T09:00:00Z"))
        #expect(try S.problem("identity", ["modified": "2026-12-01T09:00:00.5Z"])
                == .timestampPrecision(property: "modified", value: "2026-12-01T09:00:00.5Z"))
        #expect(try S.problem("identity", ["created": "2026-12-01T09:00:00.0002Z", "modified": "2026-12-01T09:00:00.123456Z"]) == nil)
        #expect(try S.problem("ipv4-addr") == nil)
    }

    @Test("STIX 2.1 §4.7 indicator: pattern, pattern_type and valid_from are required; valid_until must be later than valid_from; §9 a stix pattern must parse")
    func indicator() throws {
        for name in ["pattern", "pattern_type", "valid_from"] {
            #expect(try S.problem("indicator", [name: nil]) == .missingProperty(name))
        }
        #expect(try S.problem("indicator", ["valid_until": "2026-12-01T00:00:00Z"])
                == .timesOutOfOrder(property: "valid_until", value: "2026-12-01T00:00:00Z", other: "valid_from",
                                    otherValue: "2026-12-01T00:00:00Z", strictly: true))
        #expect(try S.problem("indicator", ["valid_until": "2026-11-01T00:00:00Z"]) != nil)
        #expect(try S.problem("indicator", ["valid_until": nil]) == nil)
        #expect(try S.problem("indicator", ["pattern": ""]) == .emptyText(property: "pattern"))
        #expect(try S.problem("indicator", ["valid_from": "yesterday"]) == .malformedTimestamp(property: "valid_from", value: "yesterday"))
        // STIX patterns are parsed (STIX 2.1 §9): an unparseable one is refused with its position.
        guard case .invalidPattern(let position, let reason)? = try S.problem("indicator", ["pattern": "[ipv4-addr:value = '198.51.100.3'"]) else {
            Issue.record("an unclosed observation expression should be refused")
            return
        }
        #expect(position > 0 && !reason.isEmpty)
        #expect(try S.problem("indicator", ["pattern": "ipv4-addr:value = '198.51.100.3'"]) != nil)
        #expect(try S.problem("indicator", ["pattern": "[file:hashes.'SHA-256' = 'ef53'] OR [domain-name:value = 'example.com']"]) != nil)
        #expect(try S.problem("indicator", ["pattern": .string("[file:hashes.'SHA-256' = '\(S.sha256)'] OR [domain-name:value = 'example.com']")]) == nil)
        // Other pattern languages are kept as written, unparsed.
        #expect(try S.problem("indicator", ["pattern_type": "snort", "pattern": "alert tcp any any -> any 80 (msg:\"x\";)"]) == nil)
        #expect(try S.problem("indicator", ["pattern_type": "yara", "pattern": "rule x { condition: true }"]) == nil)
    }

    @Test("STIX 2.1 §4.10 malware: is_family is required and a boolean; a family needs a name, an instance need not")
    func malware() throws {
        #expect(try S.problem("malware", ["is_family": nil]) == .missingProperty("is_family"))
        #expect(try S.problem("malware", ["is_family": "yes"]) == .wrongKind(property: "is_family", expected: "true or false", found: "a string"))
        #expect(try S.problem("malware", ["name": nil]) == .missingProperty("name"))
        #expect(try S.problem("malware", ["is_family": false, "name": nil]) == nil)
        #expect(try S.problem("malware", ["sample_refs": [.string(S.id("indicator"))]])
                == .identifierOfWrongType(property: "sample_refs", value: S.id("indicator"), expectedType: "artifact or file"))
        #expect(try S.problem("malware", ["first_seen": "2026-01-02T00:00:00Z", "last_seen": "2026-01-01T00:00:00Z"]) != nil)
    }

    @Test("STIX 2.1 §5.1 relationship: relationship_type, source_ref and target_ref; the ends name objects, not relationships, sightings or markings")
    func relationship() throws {
        for name in ["relationship_type", "source_ref", "target_ref"] {
            #expect(try S.problem("relationship", [name: nil]) == .missingProperty(name))
        }
        #expect(try S.problem("relationship", ["relationship_type": "Indicates"])?.description.contains("relationship type") == true)
        #expect(try S.problem("relationship", ["target_ref": .string(TLPMarking.red.markingID.rawValue)]) != nil)
        #expect(try S.problem("relationship", ["source_ref": .string(S.id("relationship", 2))]) != nil)
        #expect(try S.problem("relationship", ["start_time": "2026-01-02T00:00:00Z", "stop_time": "2026-01-02T00:00:00Z"]) != nil)
    }

    @Test("STIX 2.1 §5.2 sighting: sighting_of_ref required; count 0…999,999,999; observed_data_refs name observed-data, where_sighted_refs identities or locations")
    func sighting() throws {
        #expect(try S.problem("sighting", ["sighting_of_ref": nil]) == .missingProperty("sighting_of_ref"))
        #expect(try S.problem("sighting", ["count": 999_999_999]) == nil)
        #expect(try S.problem("sighting", ["count": 1_000_000_000])
                == .outOfRange(property: "count", value: "1000000000", minimum: 0, maximum: 999_999_999))
        #expect(try S.problem("sighting", ["count": -1]) == .outOfRange(property: "count", value: "-1", minimum: 0, maximum: 999_999_999))
        #expect(try S.problem("sighting", ["count": "3"]) != nil)
        #expect(try S.problem("sighting", ["observed_data_refs": [.string(S.id("indicator"))]]) != nil)
        #expect(try S.problem("sighting", ["where_sighted_refs": [.string(S.id("malware"))]]) != nil)
        #expect(try S.problem("sighting", ["sighting_of_ref": .string(S.id("sighting", 9))]) != nil)
    }

    @Test("STIX 2.1 §4.13 report, §4.5 grouping, §4.11 note, §4.6 identity: their required properties; object_refs never empty")
    func containers() throws {
        for name in ["name", "published", "object_refs"] { #expect(try S.problem("report", [name: nil]) == .missingProperty(name)) }
        #expect(try S.problem("report", ["object_refs": []]) == .emptyList(property: "object_refs"))
        for name in ["context", "object_refs"] { #expect(try S.problem("grouping", [name: nil]) == .missingProperty(name)) }
        for name in ["content", "object_refs"] { #expect(try S.problem("note", [name: nil]) == .missingProperty(name)) }
        #expect(try S.problem("identity", ["name": nil]) == .missingProperty("name"))
        for type in ["attack-pattern", "course-of-action", "incident", "intrusion-set", "threat-actor", "tool", "vulnerability"] {
            #expect(try S.problem(type, ["name": nil]) == .missingProperty("name"), "\(type)")
        }
    }

    @Test("STIX 2.1 §4.14 observed-data: first_observed ≤ last_observed, number_observed 1…999,999,999, exactly one of object_refs and objects")
    func observedData() throws {
        for name in ["first_observed", "last_observed", "number_observed"] {
            #expect(try S.problem("observed-data", [name: nil]) == .missingProperty(name))
        }
        #expect(try S.problem("observed-data", ["number_observed": 0])
                == .outOfRange(property: "number_observed", value: "0", minimum: 1, maximum: 999_999_999))
        #expect(try S.problem("observed-data", ["number_observed": 1_000_000_000]) != nil)
        #expect(try S.problem("observed-data", ["last_observed": "2026-11-30T00:00:00Z"]) != nil)
        #expect(try S.problem("observed-data", ["object_refs": nil])
                == .requiredChoice(properties: ["object_refs", "objects"], exactlyOne: true))
        #expect(try S.problem("observed-data", ["objects": ["0": ["type": "ipv4-addr", "value": "198.51.100.3"]]])
                == .requiredChoice(properties: ["object_refs", "objects"], exactlyOne: true))
        #expect(try S.problem("observed-data", ["object_refs": nil, "objects": ["0": ["type": "ipv4-addr", "value": "198.51.100.3"]]]) == nil)
    }

    @Test("STIX 2.1 §6: observables need their value in form; ipv4/ipv6 addresses and CIDR blocks, domain names, URLs, e-mail addresses")
    func observableValues() throws {
        for type in ["ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr"] {
            #expect(try S.problem(type, ["value": nil]) == .missingProperty("value"), "\(type)")
        }
        for good in ["198.51.100.3", "0.0.0.0", "198.51.100.0/24", "10.0.0.0/8"] { #expect(try S.problem("ipv4-addr", ["value": .string(good)]) == nil, "\(good)") }
        for bad in ["198.51.100", "256.1.1.1", "01.2.3.4", "198.51.100.0/33", "1.2.3.4 ", "example.com"] {
            #expect(try S.problem("ipv4-addr", ["value": .string(bad)]) != nil, "\(bad)")
        }
        for good in ["2001:db8::1", "::1", "::", "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:198.51.100.3", "2001:db8::/32"] {
            #expect(try S.problem("ipv6-addr", ["value": .string(good)]) == nil, "\(good)")
        }
        for bad in ["2001:db8::1::2", "2001:db8:::1", "12345::", "1:2:3:4:5:6:7:8:9", "198.51.100.3", "2001:db8::/129"] {
            #expect(try S.problem("ipv6-addr", ["value": .string(bad)]) != nil, "\(bad)")
        }
        #expect(try S.problem("domain-name", ["value": "例え.jp"]) == nil)
        for bad in ["exa mple.com", "a..b", "http://example.com"] { #expect(try S.problem("domain-name", ["value": .string(bad)]) != nil, "\(bad)") }
        for bad in ["example.com/payload", "https://exa mple.com", "://x"] { #expect(try S.problem("url", ["value": .string(bad)]) != nil, "\(bad)") }
        for bad in ["evil", "Evil <evil@example.com>", "@example.com"] { #expect(try S.problem("email-addr", ["value": .string(bad)]) != nil, "\(bad)") }
    }

    @Test("STIX 2.1 §6.7 file: at least one of hashes and name; §2.7 hashes: MD5, SHA-1, SHA-256 and SHA-512 in hex of their length")
    func fileHashes() throws {
        #expect(try S.problem("file", ["hashes": nil]) == .requiredChoice(properties: ["hashes", "name"], exactlyOne: false))
        #expect(try S.problem("file", ["hashes": nil, "name": "invoice.pdf.exe"]) == nil)
        let good: [String: String] = ["MD5": String(repeating: "a", count: 32), "SHA-1": String(repeating: "B", count: 40),
                                      "SHA-256": String(repeating: "c", count: 64), "SHA-512": String(repeating: "d", count: 128)]
        for (algorithm, value) in good {
            #expect(try S.problem("file", ["hashes": [algorithm: .string(value)]]) == nil, "\(algorithm)")
            #expect(try S.problem("file", ["hashes": [algorithm: .string(String(value.dropLast()))]]) != nil, "\(algorithm) one digit short")
            #expect(try S.problem("file", ["hashes": [algorithm: .string(String(value.dropLast()) + "g")]]) != nil, "\(algorithm) not hex")
        }
        #expect(try S.problem("file", ["hashes": ["SHA-256": "abc"]])?.description.contains("64 hexadecimal digits") == true)
        #expect(try S.problem("file", ["hashes": [:]]) == .emptyList(property: "hashes"))
        #expect(try S.problem("file", ["hashes": ["x-custom-hash": "anything"]]) == nil)
        #expect(try S.problem("file", ["size": -1]) != nil)
    }

    @Test("STIX 2.1 §3.1: property names are 3–250 of a–z, 0–9 and '_'; the reserved names are refused; common properties in their form")
    func propertyNames() throws {
        #expect(try S.problem("tool", ["Name": "x"]) == .malformedPropertyName("Name"))
        #expect(try S.problem("tool", ["ab": "x"]) == .malformedPropertyName("ab"))
        #expect(try S.problem("tool", ["x_tekigo_note": "kept"]) == nil)
        #expect(try S.problem("tool", ["severity": "high"]) == .reservedProperty("severity"))
        #expect(try S.problem("tool", ["confidence": 101]) == .outOfRange(property: "confidence", value: "101", minimum: 0, maximum: 100))
        #expect(try S.problem("tool", ["labels": []]) == .emptyList(property: "labels"))
        #expect(try S.problem("tool", ["revoked": "no"]) != nil)
        #expect(try S.problem("tool", ["extensions": ["my-extension": ["a": 1]]]) != nil)
        #expect(try S.problem("tool", ["extensions": [IncidentCoreExtension.id.rawValue: ["determination": "confirmed"]]])
                == .missingProperty("extensions.\(IncidentCoreExtension.id.rawValue).extension_type"))
    }

    @Test("STIX 2.1 §2.5 external references: source_name and one of description, url or external_id; CVE and CAPEC ids in their registry's form")
    func externalReferences() throws {
        func refs(_ r: JSONValue) -> [String: JSONValue?] { ["external_references": .array([r])] }
        #expect(try S.problem("vulnerability", refs(["source_name": "cve", "external_id": "CVE-2021-442"])) != nil)
        #expect(try S.problem("vulnerability", refs(["source_name": "cve", "external_id": "CVE-2021-04422"])) != nil)
        #expect(try S.problem("vulnerability", refs(["source_name": "cve", "external_id": "CVE-2021-123456"])) == nil)
        #expect(try S.problem("vulnerability", refs(["source_name": "cve", "external_id": "CVE-21-1234"])) != nil)
        #expect(try S.problem("attack-pattern", refs(["source_name": "capec", "external_id": "CAPEC-163"])) == nil)
        #expect(try S.problem("attack-pattern", refs(["source_name": "capec", "external_id": "163"])) != nil)
        #expect(try S.problem("tool", refs(["source_name": "vendor"])) != nil)
        #expect(try S.problem("tool", refs(["url": "https://example.com"])) == .missingProperty("external_references[0].source_name"))
    }

    @Test("Issue 14 bad input: a modified or created more than 5 minutes after the receiver's clock is refused; up to 5 minutes is clock skew")
    func futureTimestamps() throws {
        #expect(STIXObjectValidator.clockSkewAllowance == 300)
        let later = STIXTimestamp("2026-12-01T09:05:00.000Z")!
        let exactly = try S.problem("identity", ["created": "2026-12-01T09:00:00.000Z", "modified": "2026-12-01T09:05:00.000Z"],
                                    now: STIXTimestamp("2026-12-01T09:00:00.000Z")!)
        #expect(exactly == nil)
        let beyond = try S.problem("identity", ["created": "2026-12-01T09:00:00.000Z", "modified": "2026-12-01T09:05:00.001Z"],
                                   now: STIXTimestamp("2026-12-01T09:00:00.000Z")!)
        #expect(beyond == .futureTimestamp(property: "modified", value: "2026-12-01T09:05:00.001Z", now: "2026-12-01T09:00:00.000Z"))
        #expect(beyond?.text.en.contains("5 minutes") == true)
        #expect(beyond?.text.ja.contains("5 分") == true)
        // A marking definition has only created.
        let marking = TLPMarking.amber.markingDefinition.properties
        let o = try STIXObject(properties: marking)
        #expect(throws: STIXProblem.futureTimestamp(property: "created", value: "2022-10-01T00:00:00.000Z", now: "2022-09-01T00:00:00.000Z")) {
            try STIXObjectValidator(now: STIXTimestamp("2022-09-01T00:00:00.000Z")!).validate(o)
        }
        _ = later
    }

    @Test("STIX 2.1 §7.2.1: marking definitions in the TLP 1.0, statement, TLP 2.0 and CUI forms pass; a form Tekigo cannot enforce or a TLP id with another level is refused")
    func markingDefinitions() throws {
        let v = S.validator
        for level in TLPMarking.allCases { try v.validate(level.markingDefinition) }
        let tlp1: [String: JSONValue] = ["type": "marking-definition", "spec_version": "2.1",
                                         "id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                                         "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
                                         "name": "TLP:AMBER", "definition": ["tlp": "amber"]]
        try v.validate(try STIXObject(properties: tlp1))
        func refused(_ p: [String: JSONValue]) throws -> STIXProblem? {
            do { try v.validate(try STIXObject(properties: p)); return nil } catch { return error }
        }
        var wrongLevel = tlp1
        wrongLevel["definition"] = ["tlp": "green"]
        #expect(try refused(wrongLevel) == .tlpMarkingMismatch(id: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                                                                property: "definition.tlp", value: "green", expected: "amber"))
        var unknownID = tlp1
        unknownID["id"] = .string(S.id("marking-definition"))
        #expect(try refused(unknownID) != nil)
        var statement = tlp1
        statement["id"] = .string(S.id("marking-definition"))
        statement["definition_type"] = "statement"
        statement["definition"] = ["statement": "Copyright 2026 Prime Aerospace Corp"]
        statement["name"] = nil
        #expect(try refused(statement) == nil)
        var other = statement
        other["definition_type"] = "iep"
        other["definition"] = ["policy": "x"]
        #expect(try refused(other) == .unsupportedMarkingDefinition)
        var tlp2 = TLPMarking.red.markingDefinition.properties
        tlp2["id"] = .string(TLPMarking.green.markingID.rawValue)
        #expect(try refused(tlp2) == .tlpMarkingMismatch(id: TLPMarking.red.markingID.rawValue, property: "id",
                                                         value: TLPMarking.green.markingID.rawValue, expected: TLPMarking.red.markingID.rawValue))
        var renamed = TLPMarking.red.markingDefinition.properties
        renamed["name"] = "TLP:GREEN"
        #expect(try refused(renamed) == .tlpMarkingMismatch(id: TLPMarking.red.markingID.rawValue, property: "name", value: "TLP:GREEN", expected: "TLP:RED"))
        let cuiKey = CUIMarking.extensionID.rawValue
        var cui: [String: JSONValue] = ["type": "marking-definition", "spec_version": "2.1", "id": .string(S.id("marking-definition", 2)),
                                        "created": "2026-01-01T00:00:00.000Z",
                                        "extensions": [cuiKey: ["extension_type": "property-extension", "control": "CUI",
                                                                                     "designator_ref": .string(S.id("identity"))]]]
        #expect(try refused(cui) == nil)
        cui["extensions"] = [cuiKey: ["extension_type": "property-extension", "control": "SECRET",
                                                           "designator_ref": .string(S.id("identity"))]]
        #expect(try refused(cui) != nil)
        cui["extensions"] = [cuiKey: ["extension_type": "property-extension", "control": "CUI"]]
        #expect(try refused(cui) == .missingProperty("extensions.\(cuiKey).designator_ref"))
        cui["extensions"] = ["extension-definition--2074a052-8be4-4932-849e-f5e7798e0030": ["extension_type": "property-extension", "level": 3]]
        #expect(try refused(cui) == .unsupportedMarkingDefinition)
    }

    @Test("STIX 2.1 §7.2.3 granular markings: selectors non-empty, exactly one of marking_ref and lang, every selector resolves to content of the object")
    func granularMarkings() throws {
        let red = JSONValue.string(TLPMarking.red.markingID.rawValue)
        func marking(_ selectors: [JSONValue], ref: JSONValue? = nil, lang: JSONValue? = nil) -> [String: JSONValue?] {
            var entry: [String: JSONValue] = ["selectors": .array(selectors)]
            if let ref { entry["marking_ref"] = ref }
            if let lang { entry["lang"] = lang }
            return ["granular_markings": .array([.object(entry)]), "description": "Seen at the Nagoya plant",
                    "labels": ["a", "b"], "external_references": [["source_name": "tekigo", "url": "https://example.com"]]]
        }
        #expect(try S.problem("tool", marking(["description", "labels.[1]", "external_references.[0].url"], ref: red)) == nil)
        #expect(try S.problem("tool", marking(["name"], lang: "ja")) == nil)
        #expect(try S.problem("tool", marking([], ref: red)) == .granularMarkingInvalid(index: 0, fault: .noSelectors))
        #expect(try S.problem("tool", marking(["name"])) == .granularMarkingInvalid(index: 0, fault: .markingRefOrLang))
        #expect(try S.problem("tool", marking(["name"], ref: red, lang: "ja")) == .granularMarkingInvalid(index: 0, fault: .markingRefOrLang))
        #expect(try S.problem("tool", marking(["aliases"], ref: red)) == .granularMarkingInvalid(index: 0, fault: .selectorUnresolved("aliases")))
        #expect(try S.problem("tool", marking(["labels.[2]"], ref: red)) == .granularMarkingInvalid(index: 0, fault: .selectorUnresolved("labels.[2]")))
        #expect(try S.problem("tool", marking(["description.[0]"], ref: red)) == .granularMarkingInvalid(index: 0, fault: .selectorUnresolved("description.[0]")))
        #expect(try S.problem("tool", marking(["labels.1"], ref: red)) == .granularMarkingInvalid(index: 0, fault: .selectorUnresolved("labels.1")))
        for bad in ["labels..[1]", "[0]", "labels.[x]", ""] {
            #expect(try S.problem("tool", marking([.string(bad)], ref: red)) == .granularMarkingInvalid(index: 0, fault: .selectorMalformed(bad)), "\(bad)")
        }
        #expect(try S.problem("tool", marking(["name"], ref: .string(S.id("identity")))) != nil)
        #expect(try S.problem("tool", ["granular_markings": []]) == .emptyList(property: "granular_markings"))
        // An observable may be marked granularly too.
        #expect(try S.problem("ipv4-addr", ["granular_markings": [["selectors": ["value"], "marking_ref": red]]]) == nil)
    }

    @Test("STIX 2.1 §4.2, §4.8, §4.11, §6.14, §6.16: campaign, infrastructure, location (region, country or a point), software and user-account are kept, checked")
    func typesPublishedReportsCarry() throws {
        #expect(try S.problem("campaign", ["name": nil]) == .missingProperty("name"))
        #expect(try S.problem("infrastructure", ["name": nil]) == .missingProperty("name"))
        #expect(try S.problem("location", ["country": nil, "latitude": .number(35.68), "longitude": 139]) == nil)
        #expect(try S.problem("location", ["latitude": .number(135.0), "longitude": 139]) != nil)
        #expect(try S.problem("location", ["country": nil, "latitude": .number(35.68)]) == .requiredChoice(properties: ["latitude", "longitude"], exactlyOne: false))
        #expect(try S.problem("location", ["country": nil, "name": "HQ"]) != nil, "a location says where")
        #expect(try S.problem("software", ["name": nil]) == .missingProperty("name"))
        #expect(try S.problem("user-account", ["user_id": nil]) != nil)
    }

    @Test("Issue 14: a type outside the list is refused naming the supported list; a type an extension definition adds, or an x- custom type, is kept opaque")
    func typesOutsideTheList() throws {
        let opinion = try STIXObject(properties: S.sdo("opinion", ["opinion": "agree", "object_refs": [.string(S.id("report"))]]))
        #expect(throws: STIXProblem.unsupportedType("opinion", supported: STIXTypeRules.supportedTypes)) { try S.validator.validate(opinion) }
        let text = STIXProblem.unsupportedType("opinion", supported: STIXTypeRules.supportedTypes).text
        #expect(text.en.contains("indicator, infrastructure, intrusion-set, ipv4-addr") && text.ja.contains("marking-definition"))
        // Tekigo's own incident export carries an Incident Core task (a new SDO by extension).
        let task = try STIXObject(properties: S.sdo("task", ["name": "Discovery",
                                                             "extensions": [IncidentCoreExtension.taskExtensionID.rawValue: ["extension_type": "new-sdo"]]]))
        try S.validator.validate(task)
        let undeclared = try STIXObject(properties: S.sdo("task", ["name": "Discovery"]))
        #expect(throws: STIXProblem.self) { try S.validator.validate(undeclared) }
        let custom = try STIXObject(properties: S.sdo("x-mitre-tactic", ["name": "Initial Access"]))
        try S.validator.validate(custom)
        var noModified = S.sdo("x-mitre-tactic", ["name": "Initial Access"])
        noModified["modified"] = nil
        #expect(throws: STIXProblem.missingProperty("modified")) { try S.validator.validate(try STIXObject(properties: noModified)) }
    }

    @Test("Tekigo's own incident export passes the store's validation at every TLP level, with and without the sensitive fields",
          arguments: TLPMarking.allCases)
    func ownExportPasses(marking: TLPMarking) throws {
        let options = STIXIncidentExportOptions(marking: marking, includeNarrative: true, includeContracts: true, includeReportNumbers: true)
        for o in [STIXIncidentExportOptions(marking: marking), options] {
            let bundle = STIXIncidentExporter.bundle(try Fixtures.dossier(), options: o)
            for object in bundle.objects { try S.validator.validate(object) }
        }
    }

    @Test("Every new problem reads in English and Japanese")
    func messages() {
        let problems: [STIXProblem] = [
            .unsupportedType("campaign", supported: ["indicator"]),
            .futureTimestamp(property: "modified", value: "2030-01-01T00:00:00.000Z", now: "2026-01-01T00:00:00.000Z"),
            .outOfRange(property: "count", value: "-1", minimum: 0, maximum: 9),
            .timesOutOfOrder(property: "b", value: "2", other: "a", otherValue: "1", strictly: true),
            .timesOutOfOrder(property: "b", value: "2", other: "a", otherValue: "1", strictly: false),
            .malformedValue(property: "value", value: "x", expected: LocalizedText(en: "an IPv4 address", ja: "IPv4 アドレス")),
            .requiredChoice(properties: ["hashes", "name"], exactlyOne: false),
            .requiredChoice(properties: ["object_refs", "objects"], exactlyOne: true),
            .reservedProperty("severity"), .malformedPropertyName("Name"), .timestampPrecision(property: "created", value: "x"),
            .granularMarkingInvalid(index: 0, fault: .noSelectors), .granularMarkingInvalid(index: 0, fault: .markingRefOrLang),
            .granularMarkingInvalid(index: 0, fault: .selectorMalformed("a..b")), .granularMarkingInvalid(index: 0, fault: .selectorUnresolved("a")),
            .unsupportedMarkingDefinition, .tlpMarkingMismatch(id: "i", property: "name", value: "v", expected: "e"),
        ]
        for p in problems {
            #expect(!p.text.en.isEmpty && !p.text.ja.isEmpty && p.text.en != p.text.ja, "\(p)")
        }
        let big = STIXError.bundleTooLarge(bytes: 52_428_800, limit: 10_485_760).text
        #expect(big.en.contains("52428800") && big.ja.contains("10485760"))
    }
}
