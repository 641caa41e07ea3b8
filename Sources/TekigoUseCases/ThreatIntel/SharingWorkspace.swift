import Foundation
import TekigoCore
import TekigoReports
import TekigoSTIX
import TekigoStore

/// The sharing hub as a signed-in person uses it (issue 14 item 6): the hub (the organization's communities, the
/// collections it may use, the newest objects), a collection's feed, search by value across every collection the
/// organization may read, one object's history with what points at it, "we saw this too" (a sighting published through
/// `ThreatIntelUseCases.add`, so every publishing rule applies), and exports as CSV and as a STIX bundle.
///
/// Every read goes through the store's audience filter (can_read, TLP:RED only to its named people and publisher,
/// CUI only to organizations authorized for it in the community), the same as TAXII's. Which organization published
/// an object is said only when it is the viewer's own ("your organization" / "another member"), and the community's
/// members are never listed here. An external auditor reads no shared intelligence (`TAXIICaller.mayRead`).
public struct SharingWorkspace: Sendable {
    public let env: TenantEnvironment
    public let caller: TAXIICaller
    /// The viewer's organization's name, for a sighting that names it.
    public let organizationName: String

    /// Objects a search or the hub shows at most.
    public static let searchLimit = 200
    public static let hubLimit = 20
    public static let feedPage = 50

    /// The signed-in person `personID` acting in the tenant (`readOnly`: an API token that may only read).
    public init(_ env: TenantEnvironment, _ scope: TenantScope, personID: String, readOnly: Bool = false) {
        self.env = env
        self.caller = TAXIICaller(organizationID: scope.organizationID, personID: personID, role: scope.role, readOnly: readOnly,
                                  actor: scope.actor)
        self.organizationName = scope.organization.name
    }

    public init(_ env: TenantEnvironment, caller: TAXIICaller, organizationName: String) {
        self.env = env
        self.caller = caller
        self.organizationName = organizationName
    }

    var store: ThreatIntelStore { ThreatIntelStore(env.db) }
    var audience: STIXAudience { STIXAudience(organizationID: caller.organizationID, personID: caller.personID) }

    func requireReader() throws(ThreatIntelError) {
        guard caller.mayRead else { throw .roleMayNotRead(caller.role) }
    }

    /// Whether the viewer may publish at all (a role that changes records, not a read-only token).
    public var mayPublish: Bool { caller.mayWrite }

    // MARK: - Communities and collections

    public func communities() async throws -> [SharingCommunityView] {
        try requireReader()
        return try await store.communities(forOrganization: caller.organizationID).map {
            SharingCommunityView(slug: $0.community.slug, name: $0.community.name, kind: $0.community.kind,
                                 isAdministrator: $0.role == .administrator, listed: $0.listed, cuiAuthorized: $0.cuiAuthorized)
        }
    }

    /// The collections the organization may read or write, in every community it belongs to.
    public func collections() async throws -> [SharingCollectionView] {
        try requireReader()
        var names: [SharingCommunityID: SharingCommunity] = [:]
        for m in try await store.communities(forOrganization: caller.organizationID) { names[m.community.id] = m.community }
        return try await store.collections(in: nil, for: caller.organizationID).compactMap { g in
            // Access outlives membership only if a row was left behind; a non-member sees nothing of the community.
            guard let c = names[g.collection.community] else { return nil }
            return view(g, c)
        }
    }

    func view(_ g: TAXIICollectionGrant, _ c: SharingCommunity) -> SharingCollectionView {
        SharingCollectionView(id: g.collection.id.rawValue, title: g.collection.title, description: g.collection.description,
                              alias: g.collection.alias, communitySlug: c.slug, communityName: c.name, canRead: g.canRead,
                              canWrite: g.canWrite && caller.mayWrite)
    }

    /// The collection with the organization's access and its community; not found when the organization has none
    /// there or is not a member of its community (never told apart from a collection that does not exist).
    func grant(_ id: String) async throws -> (TAXIICollectionGrant, SharingCommunity) {
        try requireReader()
        guard let g = try await store.collection(id: TAXIICollectionID(id), for: caller.organizationID),
              let c = try await store.communities(forOrganization: caller.organizationID)
                .first(where: { $0.community.id == g.collection.community })?.community else {
            throw ThreatIntelError.unknownCollection(id)
        }
        return (g, c)
    }

    /// A collection the organization may read.
    func readable(_ id: String) async throws -> (TAXIICollectionGrant, SharingCommunity) {
        let (g, c) = try await grant(id)
        guard g.canRead else { throw ThreatIntelError.cannotRead(collection: g.collection.title) }
        return (g, c)
    }

    public func collection(_ id: String) async throws -> SharingCollectionView {
        let (g, c) = try await grant(id)
        return view(g, c)
    }

    // MARK: - Hub and feed

    public func hub() async throws -> SharingHub {
        let communities = try await communities()
        let collections = try await collections()
        var newest: [SharingObjectView] = []
        for c in collections where c.canRead {
            let page = try await store.newest(in: TAXIICollectionID(c.id), audience: audience, limit: Self.hubLimit)
            newest += page.objects.map { view($0, c) }
        }
        newest.sort { $0.dateAdded > $1.dateAdded }
        return SharingHub(communities: communities, collections: collections, newest: Array(newest.prefix(Self.hubLimit)))
    }

    /// A page of the collection's newest objects (the newest version of each), of one kind when filtered.
    public func feed(collection id: String, filter: SharingFeedFilter = .all, before: String? = nil,
                     limit: Int = SharingWorkspace.feedPage) async throws -> SharingFeed {
        let (g, c) = try await readable(id)
        let cv = view(g, c)
        let page: STIXObjectPage
        do {
            page = try await store.newest(in: g.collection.id, types: filter.types, audience: audience, limit: limit, before: before)
        } catch ThreatIntelStoreError.badCursor(let cursor) {
            throw SharingWorkspaceError.badCursor(cursor)
        }
        return SharingFeed(collection: cv, filter: filter, objects: page.objects.map { view($0, cv) }, next: page.next)
    }

    // MARK: - Search

    /// Reads what was typed (`STIXSearchValues.understand`); `notUnderstood` when it is no IP, domain, hash, CVE, URL
    /// or e-mail address.
    public static func understand(_ typed: String) throws(SharingWorkspaceError) -> STIXSearchValue {
        guard let v = STIXSearchValues.understand(typed) else {
            throw .notUnderstood(String(typed.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)))
        }
        return v
    }

    /// Every object across the collections the organization may read that carries the value (as an observable's
    /// value, a file's hash, a CVE id, or in an indicator's pattern), newest first, each object once.
    public func search(_ typed: String) async throws -> SharingSearchResult {
        try requireReader()
        let understood = try Self.understand(typed)
        var found: [SharingObjectView] = []
        var seen = Set<String>()
        var truncated = false
        for c in try await collections() where c.canRead {
            let rows = try await store.objects(withValues: [understood.value], in: TAXIICollectionID(c.id), audience: audience,
                                               limit: Self.searchLimit + 1)
            if rows.count > Self.searchLimit { truncated = true }
            for o in rows where seen.insert("\(c.id) \(o.objectID)").inserted { found.append(view(o, c)) }
        }
        found.sort { $0.dateAdded > $1.dateAdded }
        if found.count > Self.searchLimit { truncated = true }
        return SharingSearchResult(understood: understood, objects: Array(found.prefix(Self.searchLimit)), truncated: truncated)
    }

    // MARK: - One object

    /// The object's versions the viewer may see, oldest to newest, and the relationships and sightings in any
    /// readable collection that point at it; not found when the viewer may see none of its versions.
    public func object(collection id: String, objectID: String) async throws -> SharingObjectHistory {
        let (g, c) = try await readable(id)
        let cv = view(g, c)
        var versions: [STIXStoredObject] = []
        var cursor: String? = nil
        repeat {
            let page = try await store.objects(in: g.collection.id, query: STIXObjectQuery(ids: [objectID], versions: [.all], limit: 1000,
                                                                                            cursor: cursor), audience: audience)
            versions += page.objects
            cursor = page.more ? page.next : nil
        } while cursor != nil
        guard let first = versions.first else { throw ThreatIntelError.unknownObject(objectID) }
        versions.sort { $0.version < $1.version }
        var pointing: [SharingObjectView] = []
        var seen = Set<String>()
        for other in try await collections() where other.canRead {
            let rows = try await store.objects(withValues: [objectID], kinds: [STIXSearchKind.ref.rawValue], in: TAXIICollectionID(other.id),
                                               audience: audience, limit: Self.searchLimit)
            for o in rows where seen.insert("\(other.id) \(o.objectID)").inserted { pointing.append(view(o, other)) }
        }
        return SharingObjectHistory(collection: cv, objectID: objectID, type: first.type, versions: versions.map { view($0, cv) },
                                    pointing: pointing)
    }

    // MARK: - "We saw this too"

    /// Publishes a sighting of the object (`sighting_of_ref`, count, first and last seen when given) into the same
    /// collection through `ThreatIntelUseCases.add`, so every publishing rule applies. The viewer's organization is
    /// named as where it was sighted (an identity object with its name) only when `draft.nameOrganization`; the TLP
    /// is never less restrictive than the newest version of the object the viewer sees.
    public func sight(collection id: String, objectID: String, _ draft: SharingSightingDraft) async throws -> SharingSightingResult {
        let (g, c) = try await readable(id)
        guard g.canWrite, caller.mayWrite else { throw ThreatIntelError.cannotWrite(collection: g.collection.title) }
        let page = try await store.objects(in: g.collection.id, query: STIXObjectQuery(ids: [objectID], versions: [.last], limit: 1),
                                           audience: audience)
        guard let target = page.objects.first else { throw ThreatIntelError.unknownObject(objectID) }
        if let level = TLPMarking(rawValue: target.tlp.rawValue), draft.tlp < level {
            throw SharingWorkspaceError.sightingTLPTooLow(object: level, chosen: draft.tlp)
        }
        // The count's range (0 to 999,999,999) and first_seen not after last_seen are STIX 2.1's rules for a sighting,
        // checked once by the validator `ThreatIntelUseCases.add` runs (STIXTypeRules); its refusal of the sighting is
        // said below as the sighting's. A time seen in the future is the workspace's own rule, with the validator's
        // allowance for a clock's skew.
        let count = draft.count ?? 1
        let now = env.clock.now()
        if let l = draft.lastSeen ?? draft.firstSeen, l > now.addingTimeInterval(TimeInterval(STIXObjectValidator.clockSkewAllowance)) {
            throw SharingWorkspaceError.badSighting(LocalizedText(en: "a time seen is in the future", ja: "見た日時が未来になっています"))
        }
        let stamp = JSONValue.string(Self.milliseconds(now))
        // A sighting of a CUI-marked object says something about CUI: it carries the object's own CUI marking
        // definitions (sent with it, as every reference must resolve in the envelope), so it reaches only the
        // organizations the object reaches.
        let cuiDefinitions = target.cui ? try await cuiMarkingDefinitions(of: target, in: g.collection.id) : []
        let marking = JSONValue.array([.string(draft.tlp.markingID.rawValue)] + cuiDefinitions.compactMap { $0["id"] })
        let sightingID = STIXIdentifier.nameBased(type: "sighting", namespace: STIXIdentifier.tekigoNamespace,
                                                  name: "tekigo/sighting/\(UUID().uuidString.lowercased())")
        var sighting: [String: JSONValue] = [
            "type": "sighting", "spec_version": "2.1", "id": .string(sightingID.rawValue), "created": stamp, "modified": stamp,
            "sighting_of_ref": .string(objectID), "count": .integer(Int64(count)), "object_marking_refs": marking,
        ]
        if let f = draft.firstSeen { sighting["first_seen"] = .string(Self.milliseconds(f)) }
        if let l = draft.lastSeen { sighting["last_seen"] = .string(Self.milliseconds(l)) }
        var objects: [JSONValue] = cuiDefinitions.map { .object($0) }
        if draft.nameOrganization {
            let identity = STIXIncidentExporter.identityID(organizationID: caller.organizationID)
            let created = JSONValue.string(STIXIncidentExporter.identityCreated.description)
            objects.append(.object([
                "type": "identity", "spec_version": "2.1", "id": .string(identity.rawValue), "created": created, "modified": created,
                "name": .string(organizationName), "identity_class": "organization", "object_marking_refs": marking,
            ]))
            sighting["where_sighted_refs"] = .array([.string(identity.rawValue)])
        }
        objects.append(.object(sighting))
        let envelope = try JSONValue.object(["objects": .array(objects)]).encoded(pretty: false)
        let status: TAXIIStatusView
        do {
            status = try await ThreatIntelUseCases(env, caller).add(root: c.slug, collection: g.collection.id.rawValue, envelope: envelope)
        } catch ThreatIntelError.invalidObject(let id, let reason) where id == sightingID.rawValue {
            // The sighting is the workspace's, not the person's JSON to correct: its refusal is said as the form's.
            throw SharingWorkspaceError.badSighting(reason)
        }
        return SharingSightingResult(sightingID: sightingID.rawValue, status: status)
    }

    /// The marking definitions (other than TLP's) the object references that carry the CUI extension, as stored in the
    /// collection; none found for a CUI-marked object refuses the sighting rather than send it unmarked.
    func cuiMarkingDefinitions(of target: STIXStoredObject, in collection: TAXIICollectionID) async throws -> [[String: JSONValue]] {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(target.json.utf8))
        let refs = (json.objectValue?["object_marking_refs"]?.arrayValue ?? []).compactMap(\.stringValue)
            .filter { ref in STIXIdentifier(ref).map { TLPMarking(markingID: $0) == nil } ?? false }
        var found: [[String: JSONValue]] = []
        if !refs.isEmpty {
            let page = try await store.objects(in: collection, query: STIXObjectQuery(ids: refs, types: ["marking-definition"], versions: [.last],
                                                                                    limit: 100), audience: audience)
            for o in page.objects {
                guard let d = try JSONDecoder().decode(JSONValue.self, from: Data(o.json.utf8)).objectValue,
                      d["extensions"]?.objectValue?[CUIMarking.extensionID.rawValue] != nil else { continue }
                found.append(d)
            }
        }
        guard !found.isEmpty else {
            throw SharingWorkspaceError.badSighting(LocalizedText(en: "the object is marked CUI and its CUI marking cannot be found to mark the sighting with",
                                                                 ja: "対象は CUI の表示付きですが、その表示の定義が見つからないため目撃情報に付けられません"))
        }
        return found
    }

    /// `2026-12-06T09:30:00.123Z`: STIX's timestamps to the millisecond, whatever the clock's precision.
    static func milliseconds(_ date: Date) -> String {
        String(TAXIITime.format(date).prefix(23)) + "Z"
    }

    // MARK: - Exports

    /// The newest version of every object of the collection the viewer may see.
    func everything(in id: String) async throws -> (SharingCollectionView, [SharingObjectView]) {
        let (g, c) = try await readable(id)
        let cv = view(g, c)
        var out: [SharingObjectView] = []
        var cursor: String? = nil
        repeat {
            let page = try await store.objects(in: g.collection.id, query: STIXObjectQuery(versions: [.last], limit: 1000, cursor: cursor),
                                               audience: audience)
            out += page.objects.map { view($0, cv) }
            cursor = page.more ? page.next : nil
        } while cursor != nil
        return (cv, out)
    }

    public enum ExportFormat: String, Sendable, CaseIterable {
        case csv
        case stix
    }

    /// The collection (the newest version of each object the viewer may see) as CSV or as a STIX 2.1 bundle.
    public func export(collection id: String, as format: ExportFormat) async throws -> SharingExportFile {
        let (cv, objects) = try await everything(in: id)
        let base = "tekigo-" + Self.fileSafe(cv.alias ?? cv.title)
        return Self.file(objects, base: base, format: format)
    }

    /// What a search finds, as CSV or as a STIX 2.1 bundle.
    public func export(search typed: String, as format: ExportFormat) async throws -> SharingExportFile {
        let result = try await search(typed)
        return Self.file(result.objects, base: "tekigo-search-" + Self.fileSafe(result.understood.value), format: format)
    }

    static func file(_ objects: [SharingObjectView], base: String, format: ExportFormat) -> SharingExportFile {
        switch format {
        case .csv:
            return SharingExportFile(data: csv(objects), fileName: base + ".csv", contentType: "text/csv; charset=utf-8", count: objects.count)
        case .stix:
            return SharingExportFile(data: bundle(objects), fileName: base + ".json", contentType: "application/stix+json;version=2.1",
                                     count: objects.count)
        }
    }

    /// CSV columns: type, id, version, date added, TLP, name / value / pattern, CVE ids (space-separated). Written by
    /// TekigoReports' CSVExport (RFC 4180 quoting, a byte order mark, formula-looking text neutralised).
    public static func csv(_ objects: [SharingObjectView]) -> Data {
        let sheet = Sheet(name: "stix", columns: ["type", "id", "version", "date_added", "tlp", "name_value_pattern", "cve"],
                          rows: objects.map { o in
                              [.text(o.type), .text(o.objectID), .text(o.version), .text(o.dateAdded), .text(o.tlpName), .text(o.summary),
                               .text(o.cves.joined(separator: " "))]
                          })
        return CSVExport.data(sheet)
    }

    /// A STIX 2.1 bundle of the objects as stored.
    public static func bundle(_ objects: [SharingObjectView]) -> Data {
        var out = Data("{\"id\":\"bundle--\(UUID().uuidString.lowercased())\",\"objects\":[".utf8)
        out.append(Data(objects.map(\.json).joined(separator: ",").utf8))
        out.append(Data("],\"type\":\"bundle\"}".utf8))
        return out
    }

    static func fileSafe(_ s: String) -> String {
        let kept = s.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" }
        let text = String(kept).split(separator: "-").joined(separator: "-")
        return text.isEmpty ? "collection" : String(text.prefix(60))
    }

    // MARK: - Views

    func view(_ o: STIXStoredObject, _ c: SharingCollectionView) -> SharingObjectView {
        let properties = (try? JSONDecoder().decode(JSONValue.self, from: Data(o.json.utf8)))?.objectValue ?? [:]
        let cves = STIXSearchValues.values(type: o.type, properties: properties).filter { $0.kind == .cve }.map(\.value)
        return SharingObjectView(collectionID: c.id, collectionTitle: c.title, objectID: o.objectID, type: o.type, version: o.version,
                                 dateAdded: o.dateAdded, tlp: o.tlp, cui: o.cui, summary: Self.summary(o.type, properties), cves: cves,
                                 publisher: o.publishedByOrganization == caller.organizationID ? .yourOrganization : .anotherMember,
                                 json: o.json)
    }

    /// The object's name, value or pattern; for a sighting or relationship, what it says in a line.
    static func summary(_ type: String, _ p: [String: JSONValue]) -> String {
        func s(_ k: String) -> String? { p[k]?.stringValue }
        switch type {
        case "indicator": return s("name").map { "\($0) — \(s("pattern") ?? "")" } ?? s("pattern") ?? ""
        case "sighting":
            let count = p["count"]?.integerValue.map { " ×\($0)" } ?? ""
            return "sighting_of_ref \(s("sighting_of_ref") ?? "")\(count)"
        case "relationship": return "\(s("source_ref") ?? "") \(s("relationship_type") ?? "") \(s("target_ref") ?? "")"
        case "file":
            if let name = s("name") { return name }
            let hashes = p["hashes"]?.objectValue ?? [:]
            return hashes.keys.sorted().first.map { "\($0) \(hashes[$0]?.stringValue ?? "")" } ?? ""
        default: return s("name") ?? s("value") ?? s("pattern") ?? ""
        }
    }
}
