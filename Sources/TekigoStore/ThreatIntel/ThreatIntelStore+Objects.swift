import Foundation
import SQLKit

/// STIX objects in a collection: adding a POST's objects in one transaction, TAXII's filtered and paged reads with
/// the audience filter in SQL, versions, deletes, and the status of a POST.
///
/// Paging: every object gets, under the collection row's lock, the next `seq` and a `date_added` one microsecond
/// past the previous one at least, so both increase together and each new row commits after every row before it.
/// `next` carries the last `seq` of a page; the following page starts after it, so a reader following `next` while
/// others add sees each object exactly once, in `date_added` order.
extension ThreatIntelStore {
    /// Rows per multi-row INSERT (12 binds each: well inside both engines' limits).
    static let insertChunk = 200
    /// Ids per `IN (…)` list.
    static let lookupChunk = 500

    struct ObjectKey: Hashable {
        let id: String
        let version: String
    }

    // MARK: - Adding

    /// Stores the objects in the collection in one transaction and records the POST's status `status` (its
    /// `failures`: objects the caller refused before storing, counted in the total). An object whose (id, version) is
    /// stored already is a success that changes nothing (idempotent). Throws, storing nothing, `unknownCollection`
    /// or `badVersion` when a version is not an RFC 3339 timestamp.
    public func add(_ objects: [NewSTIXObject], to collection: TAXIICollectionID, by publisher: STIXPublisher, status: TAXIIStatusID,
                    failures: [TAXIIStatusDetail] = [], now: Date = Date(), on s: (any SQLDatabase)? = nil) async throws -> TAXIIStatus {
        var given: [String?] = []
        given.reserveCapacity(objects.count)
        for o in objects {
            guard let v = o.version else { given.append(nil); continue }
            guard let t = MicrosecondInstant(rfc3339: v) else { throw ThreatIntelStoreError.badVersion(objectID: o.objectID, version: v) }
            given.append(t.text)
        }
        let versions = given
        let engine = db.engine
        return try await write(s) { s in
            // The collection's row is the lock every writer of its objects takes (SQLite: BEGIN IMMEDIATE holds the
            // whole database already), and it carries the last seq and date added.
            let lock: SQLQueryString = engine == .postgres
                ? "SELECT last_seq, last_date_added FROM taxii_collections WHERE id = \(bind: collection.rawValue) FOR UPDATE"
                : "SELECT last_seq, last_date_added FROM taxii_collections WHERE id = \(bind: collection.rawValue)"
            guard let head = try await s.raw(lock).first() else { throw ThreatIntelStoreError.unknownCollection(collection.rawValue) }
            var seq = try head.decode(column: "last_seq", as: Int64.self)
            var added = MicrosecondInstant(now)
            if let t = try Self.optionalText(head, "last_date_added"), let last = MicrosecondInstant(rfc3339: t), last >= added {
                added = last.adding(microseconds: 1)
            }

            // (id, version) pairs stored already.
            var present = Set<ObjectKey>()
            let versioned = Array(Set(zip(objects, versions).compactMap { $1 == nil ? nil : $0.objectID }))
            for start in stride(from: 0, to: versioned.count, by: Self.lookupChunk) {
                let ids = versioned[start..<min(start + Self.lookupChunk, versioned.count)].map { $0 as any Encodable & Sendable }
                let rows = try await s.raw("""
                    SELECT object_id, version FROM stix_objects WHERE collection_id = \(bind: collection.rawValue) \
                    AND object_id IN (\(binds: ids))
                    """).all()
                for r in rows { present.insert(ObjectKey(id: try Self.text(r, "object_id"), version: try Self.text(r, "version"))) }
            }

            var rows: [[any SQLExpression]] = []
            var recipients: [[any SQLExpression]] = []
            var values: [[any SQLExpression]] = []
            var successes: [TAXIIStatusDetail] = []
            successes.reserveCapacity(objects.count)
            var lastAdded: MicrosecondInstant?
            for (o, version) in zip(objects, versions) {
                let dateAdded = added
                let key = ObjectKey(id: o.objectID, version: version ?? dateAdded.text)
                successes.append(TAXIIStatusDetail(id: key.id, version: key.version))
                guard present.insert(key).inserted else { continue }
                seq += 1
                added = added.adding(microseconds: 1)
                lastAdded = dateAdded
                rows.append([SQLBind(collection.rawValue), SQLBind(key.id), SQLBind(key.version), SQLBind(dateAdded.text), SQLBind(seq),
                             SQLBind(o.type), SQLBind(o.specVersion), SQLBind(o.tlp.rawValue), SQLBind(o.cui ? 1 : 0),
                             SQLBind(publisher.organizationID), SQLBind(publisher.personID), SQLBind(o.json)])
                values += Self.valueRows(o, collection: collection, version: key.version)
                if o.tlp == .red {
                    for person in Set(o.recipients) {
                        recipients.append([SQLBind(collection.rawValue), SQLBind(key.id), SQLBind(key.version), SQLBind(person)])
                    }
                }
            }
            for start in stride(from: 0, to: rows.count, by: Self.insertChunk) {
                var insert = s.insert(into: "stix_objects")
                    .columns("collection_id", "object_id", "version", "date_added", "seq", "type", "spec_version", "tlp", "cui",
                             "published_by_org", "published_by_person", "json")
                for r in rows[start..<min(start + Self.insertChunk, rows.count)] { insert = insert.values(r) }
                try await insert.run()
            }
            for start in stride(from: 0, to: recipients.count, by: Self.insertChunk) {
                var insert = s.insert(into: "stix_object_recipients").columns("collection_id", "object_id", "version", "person")
                for r in recipients[start..<min(start + Self.insertChunk, recipients.count)] { insert = insert.values(r) }
                try await insert.run()
            }
            try await Self.insertValues(values, on: s)
            if let lastAdded {
                try await s.update("taxii_collections").set("last_seq", to: SQLBind(seq)).set("last_date_added", to: SQLBind(lastAdded.text))
                    .where("id", .equal, collection.rawValue).run()
            }

            let record = TAXIIStatus(id: status, collection: collection, organizationID: publisher.organizationID,
                                     createdBy: publisher.personID, createdAt: Timestamp.string(now), status: "complete",
                                     totalCount: objects.count + failures.count, successCount: successes.count,
                                     failureCount: failures.count, pendingCount: 0, successes: successes, failures: failures)
            try await s.insert(into: "taxii_status")
                .columns("id", "collection_id", "organization_id", "created_by", "created_at", "status", "total_count", "success_count",
                         "failure_count", "pending_count", "successes", "failures")
                .values(SQLBind(status.rawValue), SQLBind(collection.rawValue), SQLBind(publisher.organizationID), SQLBind(publisher.personID),
                        SQLBind(record.createdAt), SQLBind(record.status), SQLBind(record.totalCount), SQLBind(record.successCount),
                        SQLBind(record.failureCount), SQLBind(0), SQLBind(JSONText.encode(successes)), SQLBind(JSONText.encode(failures)))
                .run()
            return record
        }
    }

    /// The status of a POST the organization made; nil when there is none (or it was another organization's).
    public func status(_ id: TAXIIStatusID, organization: String, on s: (any SQLDatabase)? = nil) async throws -> TAXIIStatus? {
        guard let r = try await (s ?? db.sql).select().columns("*").from("taxii_status").where("id", .equal, id.rawValue)
            .where("organization_id", .equal, organization).first() else { return nil }
        return TAXIIStatus(id: id, collection: TAXIICollectionID(try Self.text(r, "collection_id")), organizationID: organization,
                           createdBy: try Self.text(r, "created_by"), createdAt: try Self.text(r, "created_at"), status: try Self.text(r, "status"),
                           totalCount: try r.decode(column: "total_count", as: Int.self), successCount: try r.decode(column: "success_count", as: Int.self),
                           failureCount: try r.decode(column: "failure_count", as: Int.self),
                           pendingCount: try r.decode(column: "pending_count", as: Int.self),
                           successes: JSONText.decode([TAXIIStatusDetail].self, try Self.text(r, "successes")) ?? [],
                           failures: JSONText.decode([TAXIIStatusDetail].self, try Self.text(r, "failures")) ?? [])
    }

    // MARK: - Reading

    /// A page of objects with their JSON, visible to `audience`, in `date_added` order.
    public func objects(in collection: TAXIICollectionID, query: STIXObjectQuery, audience: STIXAudience,
                        on s: (any SQLDatabase)? = nil) async throws -> STIXObjectPage {
        let (rows, more) = try await page(collection, query, audience, columns: Self.objectColumns, on: s)
        let objects = try rows.map(Self.object)
        return STIXObjectPage(objects: objects, more: more, next: more ? rows.last.map(Self.cursor) : nil,
                              firstDateAdded: objects.first?.dateAdded, lastDateAdded: objects.last?.dateAdded)
    }

    /// The same page as `objects` without the objects' JSON (TAXII's manifest).
    public func manifest(in collection: TAXIICollectionID, query: STIXObjectQuery, audience: STIXAudience,
                         on s: (any SQLDatabase)? = nil) async throws -> STIXManifestPage {
        let (rows, more) = try await page(collection, query, audience, columns: Self.manifestColumns, on: s)
        let entries = try rows.map {
            STIXManifestEntry(objectID: try Self.text($0, "object_id"), dateAdded: try Self.text($0, "date_added"),
                              version: try Self.text($0, "version"), mediaType: STIXManifestEntry.stixMediaType)
        }
        return STIXManifestPage(entries: entries, more: more, next: more ? rows.last.map(Self.cursor) : nil,
                                firstDateAdded: entries.first?.dateAdded, lastDateAdded: entries.last?.dateAdded)
    }

    /// The versions of one object visible to `audience` (the query's `ids` and `versions` are ignored: every
    /// version), in `date_added` order, paged like the manifest.
    public func versions(of objectID: String, in collection: TAXIICollectionID, query: STIXObjectQuery, audience: STIXAudience,
                         on s: (any SQLDatabase)? = nil) async throws -> STIXManifestPage {
        var q = query
        q.ids = [objectID]
        q.versions = [.all]
        return try await manifest(in: collection, query: q, audience: audience, on: s)
    }

    /// Deletes the versions of the object that `versions` and `specVersions` select (TAXII's DELETE with
    /// `match[version]` / `match[spec_version]`; default every version), only those visible to `audience` when one
    /// is given. Returns how many were removed (0: nothing matched).
    @discardableResult
    public func deleteObject(_ objectID: String, in collection: TAXIICollectionID, versions: [STIXVersionSelector] = [.all],
                             specVersions: [String] = [], audience: STIXAudience? = nil, on s: (any SQLDatabase)? = nil) async throws -> Int {
        let query = STIXObjectQuery(ids: [objectID], versions: versions, specVersions: specVersions)
        let conditions = try Self.conditions(collection, query, audience)
        return try await write(s) { s in
            let chosen = try await s.raw("SELECT o.version FROM stix_objects o WHERE \(conditions)").all()
                .map { try Self.text($0, "version") as any Encodable & Sendable }
            var removed = 0
            for start in stride(from: 0, to: chosen.count, by: Self.lookupChunk) {
                let chunk = Array(chosen[start..<min(start + Self.lookupChunk, chosen.count)])
                removed += try await s.raw("""
                    DELETE FROM stix_objects WHERE collection_id = \(bind: collection.rawValue) AND object_id = \(bind: objectID) \
                    AND version IN (\(binds: chunk)) RETURNING version
                    """).all().count
            }
            return removed
        }
    }

    // MARK: - The query

    static let objectColumns = "o.object_id, o.version, o.date_added, o.seq, o.type, o.spec_version, o.tlp, o.cui, o.published_by_org, "
        + "o.published_by_person, o.json"
    /// Only what a manifest entry and the cursor need: every column more costs on each row (PostgresNIO's rows most).
    static let manifestColumns = "o.object_id, o.version, o.date_added, o.seq"

    func page(_ collection: TAXIICollectionID, _ query: STIXObjectQuery, _ audience: STIXAudience, columns: String,
              on s: (any SQLDatabase)?) async throws -> ([any SQLRow], Bool) {
        var conditions = try Self.conditions(collection, query, audience)
        if let cursor = query.cursor {
            guard cursor.hasPrefix("s"), let after = Int64(cursor.dropFirst()), after >= 0 else { throw ThreatIntelStoreError.badCursor(cursor) }
            conditions += " AND o.seq > \(bind: after)"
        }
        let limit = min(max(query.limit, 1), STIXObjectQuery.maximumLimit)
        let sql: SQLQueryString = """
            SELECT \(unsafeRaw: columns) FROM stix_objects o WHERE \(conditions) \
            ORDER BY o.seq LIMIT \(literal: limit + 1)
            """
        var rows = try await (s ?? db.sql).raw(sql).all()
        let more = rows.count > limit
        if more { rows.removeLast() }
        return (rows, more)
    }

    static func cursor(_ row: any SQLRow) -> String {
        "s\((try? row.decode(column: "seq", as: Int64.self)) ?? 0)"
    }

    static func object(_ row: any SQLRow) throws -> STIXStoredObject {
        let tlp = try text(row, "tlp")
        guard let level = STIXObjectTLP(rawValue: tlp) else { throw ThreatIntelStoreError.corruptRow("stix object tlp '\(tlp)'") }
        return STIXStoredObject(objectID: try text(row, "object_id"), version: try text(row, "version"), dateAdded: try text(row, "date_added"),
                                type: try text(row, "type"), specVersion: try text(row, "spec_version"), tlp: level, cui: try flag(row, "cui"),
                                publishedByOrganization: try text(row, "published_by_org"),
                                publishedByPerson: try text(row, "published_by_person"), json: try text(row, "json"))
    }

    /// What a row aliased `a` must satisfy for the audience to see it: TLP:RED only for its recipients and its
    /// publisher; CUI only for an organization authorized for CUI in the collection's community.
    static func visible(_ a: String, _ collection: TAXIICollectionID, _ audience: STIXAudience) -> SQLQueryString {
        """
        (\(unsafeRaw: a).tlp <> 'red' OR \(unsafeRaw: a).published_by_person = \(bind: audience.personID) OR EXISTS (\
        SELECT 1 FROM stix_object_recipients r WHERE r.collection_id = \(unsafeRaw: a).collection_id \
        AND r.object_id = \(unsafeRaw: a).object_id AND r.version = \(unsafeRaw: a).version AND r.person = \(bind: audience.personID))) \
        AND (\(unsafeRaw: a).cui = 0 OR EXISTS (SELECT 1 FROM community_members m JOIN taxii_collections tc \
        ON tc.community_id = m.community_id WHERE tc.id = \(bind: collection.rawValue) \
        AND m.organization_id = \(bind: audience.organizationID) AND m.cui_authorized = 1))
        """
    }

    /// The WHERE clause of a query on `stix_objects o` (without the cursor).
    static func conditions(_ collection: TAXIICollectionID, _ query: STIXObjectQuery, _ audience: STIXAudience?) throws -> SQLQueryString {
        var q: SQLQueryString = "o.collection_id = \(bind: collection.rawValue)"
        if let audience {
            q += """
                 AND EXISTS (SELECT 1 FROM collection_access ca WHERE ca.collection_id = \(bind: collection.rawValue) \
                AND ca.organization_id = \(bind: audience.organizationID) AND ca.can_read = 1) AND \(visible("o", collection, audience))
                """
        }
        if !query.ids.isEmpty { q += " AND o.object_id IN (\(binds: query.ids))" }
        if !query.types.isEmpty { q += " AND o.type IN (\(binds: query.types))" }
        if !query.specVersions.isEmpty { q += " AND o.spec_version IN (\(binds: query.specVersions))" }
        if let after = query.addedAfter {
            let t = MicrosecondInstant(after).text
            // The first seq after the instant (date_added and seq increase together), so the scan starts there.
            q += """
                 AND o.date_added > \(bind: t) AND o.seq >= COALESCE((SELECT x.seq FROM stix_objects x \
                WHERE x.collection_id = \(bind: collection.rawValue) AND x.date_added > \(bind: t) ORDER BY x.date_added LIMIT 1), \
                \(literal: Int64.max))
                """
        }
        let selectors = query.versions.isEmpty ? [.last] : query.versions
        if !selectors.contains(.all) {
            var any: [SQLQueryString] = []
            var specific: [String] = []
            for v in selectors {
                switch v {
                case .last, .first:
                    // Newest (or oldest) among the versions this audience may see, of the spec versions asked for.
                    var other: SQLQueryString = """
                        NOT EXISTS (SELECT 1 FROM stix_objects v WHERE v.collection_id = o.collection_id AND v.object_id = o.object_id \
                        AND v.version \(unsafeRaw: v == .last ? ">" : "<") o.version
                        """
                    if let audience { other += " AND \(visible("v", collection, audience))" }
                    if !query.specVersions.isEmpty { other += " AND v.spec_version IN (\(binds: query.specVersions))" }
                    other += ")"
                    any.append(other)
                case .version(let text):
                    guard let t = MicrosecondInstant(rfc3339: text) else {
                        throw ThreatIntelStoreError.badVersion(objectID: "match[version]", version: text)
                    }
                    specific.append(t.text)
                case .all:
                    break
                }
            }
            if !specific.isEmpty { any.append("o.version IN (\(binds: specific))") }
            q += " AND (\(any.joined(separator: " OR ")))"
        }
        return q
    }
}
