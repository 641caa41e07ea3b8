import Foundation
import SQLKit
import TekigoCore
import TekigoSTIX
import TekigoStore

/// Every change a TAXII client makes (issue 14 item 2), each once with its rule, its transaction and its typed audit
/// entry: adding objects to a collection (`stix.objects-added`) and deleting an object's versions
/// (`stix.object-deleted`).
///
/// Adding is all or nothing (the issue's "nothing partly stored"): every object of the envelope is checked first —
/// the common STIX rules (`STIXObject`), no `modified` in the future, every marking it references known (a TLP id,
/// or a marking definition in the same envelope) — and the first bad one refuses the whole request, naming its id and
/// the reason. TAXII 2.1 would also allow accepting the good ones and listing the bad ones as failures in the status;
/// Tekigo does not, so that a bundle whose relationships point at each other is never stored half. Adding an (id,
/// version) stored already succeeds and changes nothing.
public struct ThreatIntelUseCases: Sendable {
    public let env: TenantEnvironment
    public let caller: TAXIICaller

    /// Objects in one request, at most (a 50 MB envelope of small indicators stays under it).
    public static let maxObjects = 100_000
    /// How far ahead of the server's clock a `modified` may be (clients' clocks drift a little).
    public static let clockSkew: TimeInterval = 300

    public init(_ env: TenantEnvironment, _ caller: TAXIICaller) {
        self.env = env
        self.caller = caller
    }

    var store: ThreatIntelStore { ThreatIntelStore(env.db) }
    var queries: ThreatIntelQueries { ThreatIntelQueries(env, caller) }

    /// The collection, if the caller may add to it: the organization's `can_write` there, a token that may write and a
    /// role that changes records. Checked before a request body is read.
    @discardableResult
    public func checkWritable(root: String, collection: String) async throws -> TAXIICollectionGrant {
        let (_, g) = try await queries.grant(root: root, id: collection)
        guard g.canWrite, caller.mayWrite else { throw ThreatIntelError.cannotWrite(collection: collection) }
        return g
    }

    /// Adds the envelope's objects to the collection in one transaction with its audit entry; the status is complete.
    public func add(root: String, collection: String, envelope: Data) async throws -> TAXIIStatusView {
        let grant = try await checkWritable(root: root, collection: collection)
        let now = env.clock.now()
        let objects = try Self.read(envelope: envelope, now: now)
        let statusID = TAXIIStatusID.make()
        let publisher = STIXPublisher(organizationID: caller.organizationID, personID: caller.personID)
        let store = store, audit = env.audit, caller = caller, collectionID = grant.collection.id
        let status = try await env.db.transaction { s in
            let status = try await store.add(objects, to: collectionID, by: publisher, status: statusID, now: now, on: s)
            let summary = objects.map { "\($0.objectID) \($0.version ?? "-")" }.joined(separator: "\n")
            _ = try await audit.append(AuditEvent(actor: caller.actor.id, organizationID: caller.organizationID, sourceIP: caller.actor.sourceIP,
                                                  action: .stixObjectsAdded, object: "taxii/collection/\(collectionID.rawValue)/status/\(statusID.rawValue)",
                                                  afterDigest: AuditLog.digest(Data(summary.utf8))), on: s)
            return status
        }
        return ThreatIntelQueries.view(status)
    }

    /// Deletes the versions of one object that the caller may see and its organization published (all of them, or those
    /// `match[version]` / `match[spec_version]` select). Another organization's versions are not the caller's to remove:
    /// they stay, and when nothing would be removed because of that the request is refused.
    @discardableResult
    public func delete(root: String, collection: String, objectID: String, filter: TAXIIFilter) async throws -> Int {
        let grant = try await checkWritable(root: root, collection: collection)
        guard grant.canRead else { throw ThreatIntelError.cannotRead(collection: collection) }
        let audience = STIXAudience(organizationID: caller.organizationID, personID: caller.personID)
        var f = filter
        f.limit = TAXIIFilter.maxLimit
        f.next = nil
        var visible: [STIXStoredObject] = []
        var cursor: String? = nil
        repeat {
            f.next = cursor
            let page = try await ThreatIntelQueries.mapping {
                try await store.objects(in: grant.collection.id, query: ThreatIntelQueries.query(f, ids: [objectID]), audience: audience)
            }
            visible += page.objects
            cursor = page.more ? page.next : nil
        } while cursor != nil
        guard !visible.isEmpty else { throw ThreatIntelError.unknownObject(objectID) }
        let own = visible.filter { $0.publishedByOrganization == caller.organizationID }.map(\.version)
        guard !own.isEmpty else { throw ThreatIntelError.cannotDeleteOthers(objectID) }
        let objectStore = self.store, audit = env.audit, who = self.caller, collectionID = grant.collection.id
        return try await env.db.transaction { s in
            let removed = try await objectStore.deleteObject(objectID, in: collectionID, versions: own.map { .version($0) }, on: s)
            _ = try await audit.append(AuditEvent(actor: who.actor.id, organizationID: who.organizationID, sourceIP: who.actor.sourceIP,
                                                  action: .stixObjectDeleted, object: "taxii/collection/\(collectionID.rawValue)/objects/\(objectID)",
                                                  beforeDigest: AuditLog.digest(Data(own.joined(separator: "\n").utf8))), on: s)
            return removed
        }
    }

    // MARK: - Reading an envelope

    /// The envelope's objects, each checked, ready to store; the first problem refuses them all.
    static func read(envelope data: Data, now: Date) throws -> [NewSTIXObject] {
        let top: JSONValue
        do {
            top = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ThreatIntelError.notAnEnvelope("the body is not valid JSON")
        }
        guard let envelope = top.objectValue else { throw ThreatIntelError.notAnEnvelope("the top level is \(top.kind), not an object") }
        guard let list = envelope["objects"] else {
            throw ThreatIntelError.notAnEnvelope(envelope["type"]?.stringValue == "bundle"
                ? "it is a STIX bundle; send its 'objects' list in an envelope" : "it has no 'objects' list")
        }
        guard let items = list.arrayValue else { throw ThreatIntelError.notAnEnvelope("'objects' is \(list.kind), not a list") }
        guard !items.isEmpty else { throw ThreatIntelError.emptyEnvelope }
        guard items.count <= maxObjects else { throw ThreatIntelError.tooManyObjects(limit: maxObjects) }

        var objects: [STIXObject] = []
        objects.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let o = item.objectValue else {
                throw ThreatIntelError.invalidObject(id: "objects[\(i)]", reason: LocalizedText(en: "it is \(item.kind), not a STIX object",
                                                                                                ja: "STIX オブジェクトではありません（\(item.kind)）"))
            }
            do {
                objects.append(try STIXObject(properties: o))
            } catch {
                let id = o["id"]?.stringValue.flatMap { STIXIdentifier($0) != nil ? $0 : nil } ?? "objects[\(i)]"
                throw ThreatIntelError.invalidObject(id: id, reason: error.text)
            }
        }
        let definitions = Dictionary(objects.filter { $0.type == "marking-definition" }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try objects.map { try prepare($0, definitions: definitions, now: now) }
    }

    static let cuiExtension = "extension-definition--dff17fb3-edcb-4f99-ad1b-4b751c95738a"

    static func prepare(_ o: STIXObject, definitions: [STIXIdentifier: STIXObject], now: Date) throws -> NewSTIXObject {
        let id = o.id.rawValue
        func refuse(_ en: String, _ ja: String) -> ThreatIntelError { .invalidObject(id: id, reason: LocalizedText(en: en, ja: ja)) }
        if let modified = o.modified, modified.date > now.addingTimeInterval(clockSkew) {
            throw refuse("'modified' (\(modified)) is in the future; a version cannot be dated after it is shared",
                         "modified（\(modified)）が未来の日時です")
        }
        if o.modified == nil, let created = o.created, created.date > now.addingTimeInterval(clockSkew) {
            throw refuse("'created' (\(created)) is in the future", "created（\(created)）が未来の日時です")
        }
        var levels: [TLPMarking] = []
        var cui = false
        var refs = o.objectMarkingRefs
        if let granular = o["granular_markings"]?.arrayValue {
            refs += granular.compactMap { $0.objectValue?["marking_ref"]?.stringValue }.compactMap(STIXIdentifier.init)
        }
        for ref in refs {
            if let level = TLPMarking(markingID: ref) {
                levels.append(level)
                continue
            }
            guard let definition = definitions[ref] else {
                throw refuse("it references the marking definition \(ref.rawValue), which is neither a TLP marking nor in this envelope; send the marking definition with it",
                             "参照しているマーキング定義 \(ref.rawValue) は TLP のものでも、このエンベロープに含まれるものでもありません。マーキング定義も一緒に送ってください")
            }
            if let extensions = definition["extensions"]?.objectValue {
                if extensions[cuiExtension] != nil { cui = true }
                if let tlp = extensions[TLPMarking.extensionID.rawValue]?.objectValue?["tlp_2_0"]?.stringValue,
                   let level = TLPMarking(rawValue: tlp) {
                    levels.append(level)
                }
            }
        }
        let tlp: STIXObjectTLP = levels.max().map { STIXObjectTLP(rawValue: $0.rawValue) ?? .none } ?? .none
        let version = (try? o.string("modified")) ?? (try? o.string("created"))
        let json: String
        do {
            json = String(decoding: try JSONValue.object(o.properties).encoded(pretty: false), as: UTF8.self)
        } catch {
            throw refuse("it cannot be written back as JSON", "JSON として書き出せません")
        }
        return NewSTIXObject(objectID: id, version: version, type: o.type, specVersion: (try? o.string("spec_version")) ?? "2.1",
                             tlp: tlp, cui: cui, recipients: [], json: json)
    }
}
