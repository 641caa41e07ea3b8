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
/// `STIXIngest` (the common rules, each type's rules with its pattern parsed, no time in the future beyond a clock's
/// skew), then its markings (`STIXMarkings`: every reference a TLP id or a marking definition in the same envelope) —
/// and the first bad one refuses the whole request, naming its id and
/// the reason. TAXII 2.1 would also allow accepting the good ones and listing the bad ones as failures in the status;
/// Tekigo does not, so that a bundle whose relationships point at each other is never stored half. Adding an (id,
/// version) stored already succeeds and changes nothing.
public struct ThreatIntelUseCases: Sendable {
    public let env: TenantEnvironment
    public let caller: TAXIICaller

    /// Objects in one request, at most (a 50 MB envelope of small indicators stays under it).
    public static let maxObjects = 100_000

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
        let read = try Self.read(envelope: envelope, now: now)
        // The sharing rules on publishing (SharingPolicy, issue 14 item 4), for every object against this collection's
        // readers. TAXII cannot name TLP:RED recipients: the person sending is the one named recipient.
        let target = try await target(grant)
        let publisherParty = SharingPublisher(organizationID: caller.organizationID, personID: caller.personID, mayWriteCollection: true)
        // An object another organization published in this collection is passed on, not written: the re-publishing
        // rules apply from the markings it was received with (no downgrade; AMBER+STRICT and RED never passed on).
        let received = try await receivedMarkings(ids: read.map(\.0.objectID), collection: grant.collection.id)
        for (object, markings) in read {
            let receipt = received[object.objectID].map {
                SharingReceipt(markings: $0.markings, communityID: target.communityID, fromOrganizationID: $0.from)
            }
            if case .refused(let rule) = SharingPolicy.mayPublish(markings: markings, into: target, by: publisherParty, receivedFrom: receipt) {
                throw ThreatIntelError.invalidObject(id: object.objectID, reason: rule.text)
            }
        }
        let sender = self.caller.personID
        let objects = read.map { pair -> NewSTIXObject in
            var o = pair.0
            if o.tlp == .red { o.recipients = [sender] }
            return o
        }
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

    /// The markings with which the caller received each of `ids` in the collection from another organization: the most
    /// restrictive TLP of that organization's versions the caller may see, and CUI when one was CUI.
    func receivedMarkings(ids: [String], collection: TAXIICollectionID) async throws -> [String: (markings: STIXMarkings, from: String)] {
        let audience = STIXAudience(organizationID: caller.organizationID, personID: caller.personID)
        var found: [String: (tlp: TLPMarking, tlpKnown: Bool, cui: Bool, from: String)] = [:]
        let unique = Array(Set(ids))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            var cursor: String? = nil
            repeat {
                let page = try await store.objects(in: collection, query: STIXObjectQuery(ids: chunk, versions: [.all], limit: 1000, cursor: cursor),
                                                   audience: audience)
                for o in page.objects where o.publishedByOrganization != caller.organizationID {
                    let level = TLPMarking(rawValue: o.tlp.rawValue)
                    var entry = found[o.objectID] ?? (tlp: .clear, tlpKnown: false, cui: false, from: o.publishedByOrganization)
                    if let level, !entry.tlpKnown || level > entry.tlp { entry.tlp = level; entry.tlpKnown = true }
                    entry.cui = entry.cui || o.cui
                    found[o.objectID] = entry
                }
                cursor = page.more ? page.next : nil
            } while cursor != nil
        }
        return found.mapValues {
            (STIXMarkings(tlp: $0.tlp, tlpIsDefault: !$0.tlpKnown, cui: $0.cui ? CUIDesignation() : nil), $0.from)
        }
    }

    /// Who reads the collection (every member organization with `can_read` there, and whether it may receive CUI),
    /// and the caller as the one named recipient of TLP:RED.
    func target(_ grant: TAXIICollectionGrant) async throws -> SharingTarget {
        let members = try await store.members(of: grant.collection.community)
        var readers: [SharingTarget.Reader] = []
        for m in members {
            guard let g = try await store.collection(id: grant.collection.id, for: m.organizationID), g.canRead else { continue }
            readers.append(SharingTarget.Reader(organizationID: m.organizationID, authorizedForCUI: m.cuiAuthorized))
        }
        return SharingTarget(communityID: grant.collection.community.rawValue, readers: readers,
                             namedRecipients: [SharingTarget.Recipient(personID: caller.personID, isCommunityMember: true)])
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
    static func read(envelope data: Data, now: Date) throws -> [(NewSTIXObject, STIXMarkings)] {
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

        // STIXIngest reads a list of objects all or nothing: the common rules, each type's rules (patterns parsed),
        // no timestamp in the future beyond a clock's skew. The first bad object names itself.
        let objects: [STIXObject]
        do {
            let list = try JSONValue.array(items).encoded(pretty: false)
            objects = try STIXIngest.read(list, maxBytes: Int.max, now: STIXTimestamp(now))
        } catch let e as STIXError {
            switch e {
            case .invalidObject(let id, let problem): throw ThreatIntelError.invalidObject(id: id, reason: problem.text)
            default: throw ThreatIntelError.notAnEnvelope(e.text.en)
            }
        }
        let definitions = Dictionary(objects.filter { $0.type == "marking-definition" }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try objects.map { try prepare($0, definitions: definitions) }
    }

    /// The object as the store keeps it: its version (`modified`, else `created`), its markings (STIXMarkings: the
    /// most restrictive TLP of every marking it references, CUI when a CUI marking definition is among them; every
    /// reference must be a TLP id or a marking definition in the same envelope), its JSON and the values it is found
    /// by (`STIXSearchValues`: every path that stores objects — TAXII POST, `tekigo stix import`, feed pulls — comes
    /// through here, so every stored object is indexed).
    static func prepare(_ o: STIXObject, definitions: [STIXIdentifier: STIXObject]) throws -> (NewSTIXObject, STIXMarkings) {
        let id = o.id.rawValue
        let markings: STIXMarkings
        do {
            markings = try STIXMarkings.read(o, defaultTLP: .clear, resolve: { definitions[$0] })
        } catch {
            throw ThreatIntelError.invalidObject(id: id, reason: error.text)
        }
        let tlp: STIXObjectTLP = markings.tlpIsDefault ? .none : (STIXObjectTLP(rawValue: markings.tlp.rawValue) ?? .none)
        let json: String
        do {
            json = String(decoding: try JSONValue.object(o.properties).encoded(pretty: false), as: UTF8.self)
        } catch {
            throw ThreatIntelError.invalidObject(id: id, reason: LocalizedText(en: "it cannot be written back as JSON", ja: "JSON として書き出せません"))
        }
        return (NewSTIXObject(objectID: id, version: o.taxiiVersion?.description, type: o.type, specVersion: o.declaredSpecVersion,
                              tlp: tlp, cui: markings.isCUI, recipients: [], json: json,
                              searchValues: STIXSearchValues.values(of: o).map { STIXIndexedValue(kind: $0.kind.rawValue, value: $0.value) }),
                markings)
    }
}
