import Foundation
import SQLKit

/// One searchable value of a stored object version (migration 16): its kind (`ipv4`, `domain`, `hash`, `cve`, `ref`,
/// …) and its normalised text. TekigoStore does not know STIX: the caller (TekigoSTIX's `STIXSearchValues`, through
/// the use-case layer) decides both.
public struct STIXIndexedValue: Sendable, Hashable, Codable {
    public let kind: String
    public let value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// The value index and the sharing pages' reads (issue 14 item 6): objects found by a value, the newest objects of a
/// collection first, always through the same audience filter as TAXII's reads (`conditions`: can_read, TLP:RED to its
/// recipients and publisher, CUI to organizations authorized for it in the community).
extension ThreatIntelStore {
    /// Longest value kept (a longer one is not indexed; the search box refuses it too).
    public static let maximumIndexedValue = 1000

    /// The index rows of one new object version.
    static func valueRows(_ o: NewSTIXObject, collection: TAXIICollectionID, version: String) -> [[any SQLExpression]] {
        Set(o.searchValues).filter { !$0.value.isEmpty && $0.value.utf8.count <= maximumIndexedValue }
            .sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
            .map { [SQLBind(collection.rawValue), SQLBind(o.objectID), SQLBind(version), SQLBind($0.kind), SQLBind($0.value)] }
    }

    /// Writes index rows in the caller's transaction (`add`'s).
    static func insertValues(_ rows: [[any SQLExpression]], on s: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: insertChunk) {
            var insert = s.insert(into: "stix_object_values").columns("collection_id", "object_id", "version", "kind", "value")
            for r in rows[start..<min(start + insertChunk, rows.count)] { insert = insert.values(r) }
            try await insert.run()
        }
    }

    /// The indexed values of one stored version (for tests and the object page).
    public func indexedValues(of objectID: String, version: String, in collection: TAXIICollectionID,
                              on s: (any SQLDatabase)? = nil) async throws -> [STIXIndexedValue] {
        try await (s ?? db.sql).raw("""
            SELECT kind, value FROM stix_object_values WHERE collection_id = \(bind: collection.rawValue) \
            AND object_id = \(bind: objectID) AND version = \(bind: version) ORDER BY kind, value
            """).all().map { STIXIndexedValue(kind: try Self.text($0, "kind"), value: try Self.text($0, "value")) }
    }

    /// The object versions in the collection the audience may see that carry one of `values` (of one of `kinds`
    /// when given), newest added first, at most `limit`.
    public func objects(withValues values: [String], kinds: [String] = [], in collection: TAXIICollectionID, audience: STIXAudience,
                        limit: Int = 200, on s: (any SQLDatabase)? = nil) async throws -> [STIXStoredObject] {
        guard !values.isEmpty else { return [] }
        var q: SQLQueryString = """
            SELECT DISTINCT \(unsafeRaw: Self.objectColumns) FROM stix_object_values i JOIN stix_objects o \
            ON o.collection_id = i.collection_id AND o.object_id = i.object_id AND o.version = i.version \
            WHERE i.value IN (\(binds: values)) AND i.collection_id = \(bind: collection.rawValue)
            """
        if !kinds.isEmpty { q += " AND i.kind IN (\(binds: kinds))" }
        q += " AND \(try Self.conditions(collection, STIXObjectQuery(versions: [.all]), audience))"
        q += " ORDER BY o.seq DESC LIMIT \(literal: min(max(limit, 1), STIXObjectQuery.maximumLimit))"
        return try await (s ?? db.sql).raw(q).all().map(Self.object)
    }

    /// The newest version of each object (of `types` when given) the audience may see, newest added first, a page at
    /// a time: `before` is the previous page's `next`.
    public func newest(in collection: TAXIICollectionID, types: [String] = [], audience: STIXAudience, limit: Int = 50,
                       before: String? = nil, on s: (any SQLDatabase)? = nil) async throws -> STIXObjectPage {
        var q = try Self.conditions(collection, STIXObjectQuery(types: types, versions: [.last]), audience)
        if let before {
            guard before.hasPrefix("s"), let seq = Int64(before.dropFirst()), seq >= 0 else { throw ThreatIntelStoreError.badCursor(before) }
            q += " AND o.seq < \(bind: seq)"
        }
        let n = min(max(limit, 1), STIXObjectQuery.maximumLimit)
        var rows = try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.objectColumns) FROM stix_objects o WHERE \(q) ORDER BY o.seq DESC LIMIT \(literal: n + 1)
            """).all()
        let more = rows.count > n
        if more { rows.removeLast() }
        let objects = try rows.map(Self.object)
        return STIXObjectPage(objects: objects, more: more, next: more ? rows.last.map(Self.cursor) : nil,
                              firstDateAdded: objects.last?.dateAdded, lastDateAdded: objects.first?.dateAdded)
    }
}
