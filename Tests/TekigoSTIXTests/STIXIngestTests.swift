import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX
import TekigoTestSupport

@Suite("STIX ingest: all or nothing (issue 14)")
struct STIXIngestTests {
    typealias S = ValidationSamples

    static func bundle(_ objects: [[String: JSONValue]]) throws -> Data {
        let value: JSONValue = ["type": "bundle", "id": "bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8",
                                "objects": .array(objects.map { .object($0) })]
        return try value.encoded()
    }

    static var goodObjects: [[String: JSONValue]] {
        ["marking-definition", "identity", "indicator", "malware", "relationship", "ipv4-addr"].map { S.valid[$0]! }
    }

    static func failure(_ data: Data, maxBytes: Int = 1_000_000, now: STIXTimestamp = S.now) -> STIXError? {
        do {
            _ = try STIXIngest.read(data, maxBytes: maxBytes, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("A valid bundle is read whole, in order; a single object and a list of objects are read too")
    func readsBundle() throws {
        let objects = try STIXIngest.read(try Self.bundle(Self.goodObjects), maxBytes: 1_000_000, now: S.now)
        #expect(objects.map(\.type) == ["marking-definition", "identity", "indicator", "malware", "relationship", "ipv4-addr"])
        let single = try JSONValue.object(S.valid["indicator"]!).encoded()
        #expect(try STIXIngest.read(single, maxBytes: 1_000_000, now: S.now).map(\.type) == ["indicator"])
        let list = try JSONValue.array(Self.goodObjects.map { .object($0) }).encoded()
        #expect(try STIXIngest.read(list, maxBytes: 1_000_000, now: S.now).count == 6)
        #expect(try STIXIngest.read(try Self.bundle([]), maxBytes: 1_000_000, now: S.now).isEmpty)
    }

    @Test("Issue 14 bad input: a bundle larger than the limit (50 MB against 10 MB) is refused before it is parsed")
    func sizeLimitBeforeParsing() throws {
        // Not JSON at all: a parse would say invalidJSON, so bundleTooLarge proves the size came first.
        let fifty = Data(repeating: 0x7B, count: 50 * 1024 * 1024)
        #expect(Self.failure(fifty, maxBytes: 10 * 1024 * 1024) == .bundleTooLarge(bytes: 52_428_800, limit: 10_485_760))
        let data = try Self.bundle(Self.goodObjects)
        #expect(Self.failure(data, maxBytes: data.count) == nil)
        #expect(Self.failure(data, maxBytes: data.count - 1) == .bundleTooLarge(bytes: data.count, limit: data.count - 1))
    }

    @Test("Issue 14 bad input: malformed JSON and content that is not STIX are refused with what is wrong")
    func malformed() {
        guard case .invalidJSON = Self.failure(Data(#"{"type": "bundle", "objects": [ }"#.utf8)) else {
            Issue.record("expected invalidJSON")
            return
        }
        #expect(Self.failure(Data("42".utf8)) == .notSTIXContent(found: "a number"))
    }

    @Test("All or nothing: the first bad object fails the whole read, named by its id, and nothing is returned")
    func allOrNothing() throws {
        var objects = Self.goodObjects
        var bad = S.valid["sighting"]!
        bad["count"] = 1_000_000_000
        objects.insert(bad, at: 3)
        var second = S.valid["report"]!
        second["object_refs"] = []
        objects.append(second)
        let failure = Self.failure(try Self.bundle(objects))
        #expect(failure == .invalidObject(id: S.id("sighting"),
                                          problem: .outOfRange(property: "count", value: "1000000000", minimum: 0, maximum: 999_999_999)))
        #expect(failure?.text.en.contains("Nothing was imported") == true)
    }

    @Test("An object without a usable id is named by its position in the bundle (objects[3])")
    func namedByPosition() throws {
        var objects = Self.goodObjects
        var noID = S.valid["tool"]!
        noID["id"] = nil
        objects.insert(noID, at: 3)
        #expect(Self.failure(try Self.bundle(objects)) == .invalidObject(id: "objects[3]", problem: .missingProperty("id")))
    }

    @Test("Issue 14 bad input: an object with a modified more than 5 minutes in the future fails the bundle")
    func futureModified() throws {
        var objects = Self.goodObjects
        var future = S.valid["malware"]!
        future["modified"] = "2026-12-06T18:05:00.001Z"
        objects[3] = future
        #expect(Self.failure(try Self.bundle(objects)) == .invalidObject(
            id: S.id("malware"), problem: .futureTimestamp(property: "modified", value: "2026-12-06T18:05:00.001Z", now: "2026-12-06T18:00:00.000Z")))
        future["modified"] = "2026-12-06T18:05:00.000Z"
        objects[3] = future
        #expect(Self.failure(try Self.bundle(objects)) == nil)
    }

    @Test("Issue 14 item 1: a type outside the store's list fails the bundle with the list named")
    func unsupportedTypeFailsBundle() throws {
        var objects = Self.goodObjects
        objects.append(S.sdo("opinion", ["opinion": "agree", "object_refs": [.string(S.id("report"))]]))
        let failure = Self.failure(try Self.bundle(objects))
        #expect(failure == .invalidObject(id: S.id("opinion"), problem: .unsupportedType("opinion", supported: STIXTypeRules.supportedTypes)))
    }

    @Test("TAXII 2.1 versions for the store: modified, else created (marking definitions), else none (observables: the date added); spec_version, 2.1 when an observable omits it")
    func versions() throws {
        var observable = S.valid["domain-name"]!
        observable["spec_version"] = nil
        var objects = Self.goodObjects
        objects.append(observable)
        let entries = try STIXIngest.entries(try Self.bundle(objects), maxBytes: 1_000_000, now: S.now)
        let byType = Dictionary(entries.map { ($0.object.type, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byType["indicator"]?.version == STIXTimestamp(S.modified))
        #expect(byType["marking-definition"]?.version == TLPMarking.definitionsCreated)
        #expect(byType["ipv4-addr"]?.version == nil)
        #expect(byType["domain-name"]?.version == nil)
        #expect(entries.allSatisfy { $0.specVersion == "2.1" })
        #expect(byType["domain-name"]?.object.declaredSpecVersion == "2.1")
    }

    @Test("Tekigo's own incident export is ingested whole")
    func ownExport() throws {
        let options = STIXIncidentExportOptions(marking: .amberStrict, includeNarrative: true, includeContracts: true, includeReportNumbers: true)
        let data = try STIXIncidentExporter.export(try Fixtures.dossier(), options: options)
        let objects = try STIXIngest.read(data, maxBytes: 1_000_000, now: STIXTimestamp(Date()))
        #expect(Set(objects.map(\.type)) == ["marking-definition", "identity", "incident", "task"])
    }
}
