import Foundation
import TekigoCore
import TekigoStore

/// What a TAXII client reads (issue 14 item 2): the API roots (the sharing communities the caller's organization
/// belongs to), their collections with the caller's access, and a collection's objects, manifest, one object and its
/// versions — always through the store's audience filter (can_read, TLP:RED to its recipients and publisher, CUI to
/// organizations authorized for it in the community), so an object outside the caller's audience is never served,
/// counted or told apart from one that does not exist. A root, collection or status the caller may not see is
/// "not found", never "forbidden" (TAXII 2.1 allows 404 for "no access", and a 403 would confirm it exists).
public struct ThreatIntelQueries: Sendable {
    public let env: TenantEnvironment
    public let caller: TAXIICaller

    public init(_ env: TenantEnvironment, _ caller: TAXIICaller) {
        self.env = env
        self.caller = caller
    }

    var store: ThreatIntelStore { ThreatIntelStore(env.db) }
    var audience: STIXAudience { STIXAudience(organizationID: caller.organizationID, personID: caller.personID) }

    func requireReader() throws(ThreatIntelError) {
        guard caller.mayRead else { throw .roleMayNotRead(caller.role) }
    }

    static func view(_ c: CommunityMembership) -> TAXIIRoot {
        let kind = c.community.kind == .isac ? "An ISAC" : "A supply-chain sharing community"
        return TAXIIRoot(slug: c.community.slug, title: c.community.name,
                         description: "\(kind) your organization belongs to, as a TAXII 2.1 API root.")
    }

    /// The API roots: one per community of the caller's organization, by name.
    public func roots() async throws -> [TAXIIRoot] {
        try requireReader()
        return try await store.communities(forOrganization: caller.organizationID).map(Self.view)
    }

    func membership(_ slug: String) async throws -> CommunityMembership {
        try requireReader()
        guard let m = try await store.communities(forOrganization: caller.organizationID).first(where: { $0.community.slug == slug }) else {
            throw ThreatIntelError.unknownRoot(slug)
        }
        return m
    }

    public func root(_ slug: String) async throws -> TAXIIRoot { Self.view(try await membership(slug)) }

    func view(_ g: TAXIICollectionGrant) -> TAXIICollectionView {
        TAXIICollectionView(id: g.collection.id.rawValue, title: g.collection.title,
                            description: g.collection.description.isEmpty ? nil : g.collection.description,
                            alias: g.collection.alias, canRead: g.canRead, canWrite: g.canWrite && caller.mayWrite)
    }

    /// The collections of the root the caller's organization may read or write.
    public func collections(root: String) async throws -> [TAXIICollectionView] {
        let m = try await membership(root)
        return try await store.collections(in: m.community.id, for: caller.organizationID).map(view)
    }

    /// The collection (by id, or by alias) with the caller's access; not found when the organization has none.
    func grant(root: String, id: String) async throws -> (CommunityMembership, TAXIICollectionGrant) {
        let m = try await membership(root)
        let byAlias = try await store.collection(alias: id, in: m.community.id)
        let collectionID = byAlias?.id ?? TAXIICollectionID(id)
        guard let g = try await store.collection(id: collectionID, for: caller.organizationID), g.collection.community == m.community.id else {
            throw ThreatIntelError.unknownCollection(id)
        }
        return (m, g)
    }

    public func collection(root: String, id: String) async throws -> TAXIICollectionView {
        view(try await grant(root: root, id: id).1)
    }

    func readable(root: String, collection: String) async throws -> TAXIICollectionID {
        let (_, g) = try await grant(root: root, id: collection)
        guard g.canRead else { throw ThreatIntelError.cannotRead(collection: collection) }
        return g.collection.id
    }

    static func query(_ f: TAXIIFilter, ids: [String]? = nil) -> STIXObjectQuery {
        let versions: [STIXVersionSelector]
        switch f.versions {
        case .last: versions = [.last]
        case .first: versions = [.first]
        case .all: versions = [.all]
        case .specific(let list): versions = list.map { .version($0) }
        case .combined(let list): versions = list.map { $0 == "first" ? .first : $0 == "last" ? .last : .version($0) }
        }
        return STIXObjectQuery(addedAfter: f.addedAfter, ids: ids ?? f.ids, types: f.types, versions: versions,
                               specVersions: f.specVersions, limit: min(max(f.limit, 1), TAXIIFilter.maxLimit), cursor: f.next)
    }

    static func date(_ text: String) -> Date { MicrosecondInstant(rfc3339: text)?.date ?? Date(timeIntervalSince1970: 0) }

    static func page(_ p: STIXObjectPage) -> TAXIIPage {
        TAXIIPage(entries: p.objects.map {
            TAXIIObjectEntry(id: $0.objectID, version: $0.version, dateAdded: date($0.dateAdded),
                             mediaType: STIXManifestEntry.stixMediaType, json: $0.json)
        }, more: p.more, next: p.next)
    }

    static func page(_ p: STIXManifestPage) -> TAXIIPage {
        TAXIIPage(entries: p.entries.map {
            TAXIIObjectEntry(id: $0.objectID, version: $0.version, dateAdded: date($0.dateAdded), mediaType: $0.mediaType, json: nil)
        }, more: p.more, next: p.next)
    }

    /// A store refusal the client caused (a `next` it did not get from us) as TAXII's 400.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch ThreatIntelStoreError.badCursor {
            throw ThreatIntelError.badParameter(name: "next", reason: .cursor)
        }
    }

    /// The collection's objects the caller may see, a page at a time in the order they were added.
    public func objects(root: String, collection: String, filter: TAXIIFilter) async throws -> TAXIIPage {
        let id = try await readable(root: root, collection: collection)
        return Self.page(try await Self.mapping { try await store.objects(in: id, query: Self.query(filter), audience: audience) })
    }

    /// The same as a manifest (no object bodies).
    public func manifest(root: String, collection: String, filter: TAXIIFilter) async throws -> TAXIIPage {
        let id = try await readable(root: root, collection: collection)
        return Self.page(try await Self.mapping { try await store.manifest(in: id, query: Self.query(filter), audience: audience) })
    }

    /// One object's versions the caller may see (the last by default); not found when none is (whether the object
    /// exists or is outside the caller's audience is not told apart).
    public func object(root: String, collection: String, objectID: String, filter: TAXIIFilter) async throws -> TAXIIPage {
        let id = try await readable(root: root, collection: collection)
        let page = Self.page(try await Self.mapping {
            try await store.objects(in: id, query: Self.query(filter, ids: [objectID]), audience: audience)
        })
        if page.entries.isEmpty, filter.next == nil {
            // Empty because of the filters, or because there is nothing the caller may see at all?
            var all = TAXIIFilter(versions: .all, limit: 1)
            all.specVersions = []
            let any = try await store.manifest(in: id, query: Self.query(all, ids: [objectID]), audience: audience)
            if any.entries.isEmpty { throw ThreatIntelError.unknownObject(objectID) }
        }
        return page
    }

    /// The versions of one object the caller may see, oldest first.
    public func versions(root: String, collection: String, objectID: String, filter: TAXIIFilter) async throws -> TAXIIPage {
        let id = try await readable(root: root, collection: collection)
        var f = filter
        f.versions = .all
        let page = Self.page(try await Self.mapping {
            try await store.manifest(in: id, query: Self.query(f, ids: [objectID]), audience: audience)
        })
        if page.entries.isEmpty, filter.next == nil, !filter.narrows { throw ThreatIntelError.unknownObject(objectID) }
        return page
    }

    /// A status of the caller's organization in this root.
    public func status(root: String, id: String) async throws -> TAXIIStatusView {
        let m = try await membership(root)
        guard let s = try await store.status(TAXIIStatusID(id), organization: caller.organizationID),
              let c = try await store.collection(id: s.collection), c.community == m.community.id else {
            throw ThreatIntelError.unknownStatus(id)
        }
        return Self.view(s)
    }

    static func view(_ s: TAXIIStatus) -> TAXIIStatusView {
        TAXIIStatusView(id: s.id.rawValue, requestTimestamp: Timestamp.date(s.createdAt) ?? Date(timeIntervalSince1970: 0),
                        totalCount: s.totalCount, successCount: s.successCount,
                        successes: s.successes.map { .init(id: $0.id, version: $0.version ?? "", message: $0.message) },
                        failures: s.failures.map { .init(id: $0.id, version: $0.version ?? "", message: $0.message) },
                        pendingCount: s.pendingCount)
    }
}

extension ThreatIntelQueries {
    /// Every object of the collection the caller may see (the last version of each, or all versions), following the
    /// pages to the end, as a STIX 2.1 bundle's JSON (`tekigo stix export`).
    public func bundle(root: String, collection: String, allVersions: Bool = false) async throws -> (json: Data, count: Int) {
        var filter = TAXIIFilter(versions: allVersions ? .all : .last, limit: TAXIIFilter.maxLimit)
        var parts: [String] = []
        repeat {
            let page = try await objects(root: root, collection: collection, filter: filter)
            parts += page.entries.compactMap(\.json)
            filter.next = page.more ? page.next : nil
        } while filter.next != nil
        var out = Data("{\"id\":\"bundle--\(UUID().uuidString.lowercased())\",\"objects\":[".utf8)
        out.append(Data(parts.joined(separator: ",").utf8))
        out.append(Data("],\"type\":\"bundle\"}".utf8))
        return (out, parts.count)
    }
}
