import Foundation
import SQLKit
import Testing
@testable import TekigoStore
import TekigoTestSupport

/// Migration 16's value index (issue 14 item 6): written with the object, removed with it, read only through the
/// audience filter.
extension ThreatIntelStoreTests {
    static func valued(_ id: String, modified: String?, _ values: [(String, String)], tlp: STIXObjectTLP = .green, cui: Bool = false,
                       recipients: [String] = []) -> NewSTIXObject {
        var o = object(id, modified: modified, tlp: tlp, cui: cui, recipients: recipients)
        o.searchValues = values.map { STIXIndexedValue(kind: $0.0, value: $0.1) }
        return o
    }

    @Test("Issue 14 item 6: the values are written with the object in its transaction and found by value, newest first",
          arguments: TestDatabases.engines)
    func valuesWrittenAndFound(_ engine: TestDatabases.Engine) async throws {
        try await withHub(engine) { hub in
            let ip = Self.id("ipv4-addr"), ind = Self.id()
            try await add(hub, [Self.valued(ip, modified: nil, [("ipv4", "198.51.100.7")]),
                                Self.valued(ind, modified: "2026-12-01T10:00:00.000Z", [("ipv4", "198.51.100.7"), ("domain", "c2.example.net")])])
            let reader = hub.audience(hub.b, "person-b")
            let found = try await hub.store.objects(withValues: ["198.51.100.7"], in: hub.collection.id, audience: reader)
            #expect(found.map(\.objectID) == [ind, ip])
            #expect(try await hub.store.objects(withValues: ["c2.example.net"], kinds: ["ipv4"], in: hub.collection.id, audience: reader).isEmpty)
            let stored = try await hub.store.indexedValues(of: ind, version: "2026-12-01T10:00:00.000000Z", in: hub.collection.id)
            #expect(stored == [STIXIndexedValue(kind: "domain", value: "c2.example.net"), STIXIndexedValue(kind: "ipv4", value: "198.51.100.7")])
            // Removed with the object (the foreign key cascades).
            try await hub.store.deleteObject(ind, in: hub.collection.id)
            #expect(try await hub.store.indexedValues(of: ind, version: "2026-12-01T10:00:00.000000Z", in: hub.collection.id).isEmpty)
            #expect(try await hub.store.objects(withValues: ["c2.example.net"], in: hub.collection.id, audience: reader).isEmpty)
        }
    }

    @Test("Issue 14 items 4 and 6: search by value never returns a TLP:RED object to another person, a CUI object to an unauthorized organization, or anything without can_read",
          arguments: TestDatabases.engines)
    func searchKeepsTheAudience(_ engine: TestDatabases.Engine) async throws {
        try await withHub(engine) { hub in
            let red = Self.id(), cui = Self.id(), open = Self.id()
            try await add(hub, [Self.valued(red, modified: "2026-12-01T10:00:00.000Z", [("ipv4", "203.0.113.9")], tlp: .red, recipients: ["person-b"]),
                                Self.valued(cui, modified: "2026-12-01T10:00:00.000Z", [("ipv4", "203.0.113.9")], tlp: .amber, cui: true),
                                Self.valued(open, modified: "2026-12-01T10:00:00.000Z", [("ipv4", "203.0.113.9")])])
            func ids(_ org: String, _ person: String) async throws -> Set<String> {
                Set(try await hub.store.objects(withValues: ["203.0.113.9"], in: hub.collection.id, audience: hub.audience(org, person)).map(\.objectID))
            }
            #expect(try await ids(hub.b, "person-b") == [red, cui, open])
            #expect(try await ids(hub.b, "someone-else-at-b") == [cui, open])
            #expect(try await ids(hub.c, "person-c") == [open])
            #expect(try await ids(hub.d, "person-d").isEmpty)
            // The feed's newest-first page applies the same filter.
            let page = try await hub.store.newest(in: hub.collection.id, audience: hub.audience(hub.c, "person-c"))
            #expect(page.objects.map(\.objectID) == [open])
        }
    }

    @Test("Issue 14 item 6: the feed pages newest first, the newest version of each object once, by type", arguments: TestDatabases.engines)
    func newestFirst(_ engine: TestDatabases.Engine) async throws {
        try await withHub(engine) { hub in
            let a = Self.id(), b = Self.id("report"), c = Self.id()
            try await add(hub, [Self.object(a, modified: "2026-12-01T10:00:00.000Z")])
            try await add(hub, [Self.object(b, modified: "2026-12-01T10:00:00.000Z")])
            try await add(hub, [Self.object(c, modified: "2026-12-01T10:00:00.000Z"), Self.object(a, modified: "2026-12-02T10:00:00.000Z")])
            let reader = hub.audience(hub.b, "person-b")
            let first = try await hub.store.newest(in: hub.collection.id, audience: reader, limit: 2)
            #expect(first.objects.map(\.objectID) == [a, c] && first.more)
            #expect(first.objects.first?.version == "2026-12-02T10:00:00.000000Z")
            let second = try await hub.store.newest(in: hub.collection.id, audience: reader, limit: 2, before: first.next)
            #expect(second.objects.map(\.objectID) == [b] && !second.more)
            let indicators = try await hub.store.newest(in: hub.collection.id, types: ["indicator"], audience: reader)
            #expect(indicators.objects.map(\.objectID) == [a, c])
        }
    }
}
