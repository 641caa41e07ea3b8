import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// The TAXII 2.1 server (issue 14 item 2 and "Bad input") over loopback HTTP on both engines: every route's statuses
/// and resource shapes, authentication (Bearer, Basic with the token as the password, 401 with the Basic challenge),
/// 406 / 415 / 413, filters and paging with `next`, all-or-nothing POST, and the audience rule (TLP:RED and CUI never
/// reach an organization outside their audience through any endpoint).
@Suite("TAXII 2.1 server (issue 14)")
struct TAXIIServerTests {
    static let taxii = "application/taxii+json;version=2.1"

    /// One organization with a person (an owner with an authenticator) and a write token.
    struct Party {
        let organizationID: String
        let personID: String
        let token: String
    }

    /// An ISAC with two collections: `shared` (prime, supplier and outsider-less: prime rw, supplier rw) and
    /// `inbox` (prime write-only); the outsider is a member of another community only.
    struct World {
        let prime: Party
        let supplier: Party
        let outsider: Party
        let slug: String
        let shared: TAXIICollectionID
        let inbox: TAXIICollectionID
        let otherSlug: String
        let other: TAXIICollectionID
    }

    static func party(_ services: Services, _ name: String, role: Role = .owner, scope: String = "write") async throws -> Party {
        let accounts = services.accounts
        let email = "\(name.lowercased())-\(UUID().uuidString.prefix(6))@example.jp"
        let user = try await accounts.createUser(email: email, displayName: name, passwordHash: "x", platformAdmin: false)
        try await accounts.setMFA(userID: user.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 0, recoveryCodeHashes: [])
        let org = try await accounts.createOrganization(name: name, owner: user.id)
        if role != .owner { try await accounts.setMembership(userID: user.id, organizationID: org.id, role: role) }
        let fresh = try #require(try await accounts.user(email: email))
        let (_, token) = try await TokenUseCases(services.accountEnvironment).create(
            organizationID: org.id, user: fresh, name: "taxii", scope: scope, days: 30, actor: Actor(id: "test", sourceIP: "127.0.0.1"))
        return Party(organizationID: org.id, personID: user.id, token: token)
    }

    static func world(_ services: Services) async throws -> World {
        let store = ThreatIntelStore(services.db)
        let prime = try await party(services, "Prime")
        let supplier = try await party(services, "Supplier")
        let outsider = try await party(services, "Outsider")
        let slug = "dib-isac-\(UUID().uuidString.prefix(6).lowercased())"
        let isac = try await store.createCommunity(slug: slug, name: "DIB ISAC", kind: .isac)
        try await store.addMember(isac.id, organization: prime.organizationID, role: .administrator, listed: true, cuiAuthorized: true)
        try await store.addMember(isac.id, organization: supplier.organizationID, role: .member, listed: false, cuiAuthorized: false)
        let shared = try await store.createCollection(in: isac.id, title: "Indicators", description: "Shared indicators", alias: "indicators")
        try await store.setAccess(collection: shared.id, organization: prime.organizationID, canRead: true, canWrite: true)
        try await store.setAccess(collection: shared.id, organization: supplier.organizationID, canRead: true, canWrite: true)
        let inbox = try await store.createCollection(in: isac.id, title: "Inbox", description: "", alias: nil)
        try await store.setAccess(collection: inbox.id, organization: supplier.organizationID, canRead: false, canWrite: true)
        let otherSlug = "other-\(UUID().uuidString.prefix(6).lowercased())"
        let otherCommunity = try await store.createCommunity(slug: otherSlug, name: "Other", kind: .isac)
        try await store.addMember(otherCommunity.id, organization: outsider.organizationID, role: .administrator, listed: true, cuiAuthorized: true)
        let other = try await store.createCollection(in: otherCommunity.id, title: "Other", description: "", alias: nil)
        try await store.setAccess(collection: other.id, organization: outsider.organizationID, canRead: true, canWrite: true)
        return World(prime: prime, supplier: supplier, outsider: outsider, slug: slug, shared: shared.id, inbox: inbox.id,
                     otherSlug: otherSlug, other: other.id)
    }

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var objects: [[String: Any]] { json["objects"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A request as a TAXII client sends it: the token as Bearer (or Basic), TAXII's Accept.
    static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?,
                     basic: Bool = false, accept: String? = taxii, contentType: String? = taxii, body: Data? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token {
            headers[.authorization] = basic ? "Basic " + Data("anyone:\(token)".utf8).base64EncodedString() : "Bearer \(token)"
        }
        if let accept { headers[.accept] = accept }
        if body != nil, let contentType { headers[.contentType] = contentType }
        let r = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    static func indicator(_ n: Int, modified: String = "2026-01-01T00:00:00.000Z", markings: [String]? = nil, id: String? = nil) -> [String: Any] {
        var o: [String: Any] = [
            "type": "indicator", "spec_version": "2.1", "id": id ?? "indicator--\(UUID().uuidString.lowercased())",
            "created": "2026-01-01T00:00:00.000Z", "modified": modified, "name": "Bad address \(n)",
            "pattern": "[ipv4-addr:value = '198.51.100.\(n % 250)']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
            "indicator_types": ["malicious-activity"],
        ]
        if let markings { o["object_marking_refs"] = markings }
        return o
    }

    static func envelope(_ objects: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["objects": objects])
    }

    static func withServer(_ engine: TestDatabases.Engine,
                           _ body: @escaping @Sendable (any TestClientProtocol, Services, World) async throws -> Void) async throws {
        try await ColleagueTests.withServer(engine) { client, services in
            try await body(client, services, try await world(services))
        }
    }

    @Test("Discovery, API root, collections and one collection: TAXII's shapes and media type; Bearer and Basic; 401 with the Basic challenge, 406, and 404 for what the caller may not see",
          arguments: TestDatabases.engines)
    func discoveryAndCollections(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, _, w in
            let d = try await Self.call(client, .get, "/taxii2/", token: w.prime.token)
            #expect(d.status == .ok, "\(d.text)")
            #expect(d.headers[.contentType] == Self.taxii)
            #expect(d.json["title"] as? String == "Tekigo TAXII")
            #expect(d.json["api_roots"] as? [String] == ["/taxii2/\(w.slug)/"])
            let basic = try await Self.call(client, .get, "/taxii2/", token: w.supplier.token, basic: true)
            #expect(basic.status == .ok)
            #expect(basic.json["api_roots"] as? [String] == ["/taxii2/\(w.slug)/"])
            #expect((try await Self.call(client, .get, "/taxii2/", token: w.outsider.token)).json["api_roots"] as? [String] == ["/taxii2/\(w.otherSlug)/"])

            let none = try await Self.call(client, .get, "/taxii2/", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Basic realm=\"Tekigo TAXII\"")
            #expect(none.json["http_status"] as? String == "401")
            #expect(none.json["title"] is String && none.json["description"] is String)
            let wrong = try await Self.call(client, .get, "/taxii2/", token: "tkg_not-a-token", basic: true)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate] == "Basic realm=\"Tekigo TAXII\"")
            for accept in [nil, "application/json", "*/*", "application/taxii+json;version=2.0"] {
                let r = try await Self.call(client, .get, "/taxii2/", token: w.prime.token, accept: accept)
                #expect(r.status == .notAcceptable, "\(accept ?? "none")")
                #expect(r.headers[.contentType] == Self.taxii)
                #expect(r.json["http_status"] as? String == "406")
            }
            #expect(try await Self.call(client, .get, "/taxii2/", token: w.prime.token, accept: "application/taxii+json").status == .ok)

            let root = try await Self.call(client, .get, "/taxii2/\(w.slug)/", token: w.prime.token)
            #expect(root.status == .ok)
            #expect(root.json["title"] as? String == "DIB ISAC")
            #expect(root.json["versions"] as? [String] == [Self.taxii])
            #expect(root.json["max_content_length"] as? Int == 50 * 1024 * 1024)
            #expect(try await Self.call(client, .get, "/taxii2/\(w.otherSlug)/", token: w.prime.token).status == .notFound)
            #expect(try await Self.call(client, .get, "/taxii2/\(w.slug)/", token: w.outsider.token).status == .notFound)

            let list = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/", token: w.supplier.token)
            #expect(list.status == .ok)
            let collections = try #require(list.json["collections"] as? [[String: Any]])
            #expect(Set(collections.compactMap { $0["id"] as? String }) == [w.shared.rawValue, w.inbox.rawValue])
            let inbox = try #require(collections.first { $0["id"] as? String == w.inbox.rawValue })
            #expect(inbox["can_read"] as? Bool == false && inbox["can_write"] as? Bool == true)
            #expect(inbox["media_types"] as? [String] == ["application/stix+json;version=2.1"])
            let primeList = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/", token: w.prime.token)
            #expect((primeList.json["collections"] as? [[String: Any]])?.count == 1, "the prime has no access to the inbox: not listed")

            let one = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/", token: w.prime.token)
            #expect(one.status == .ok)
            #expect(one.json["id"] as? String == w.shared.rawValue && one.json["title"] as? String == "Indicators"
                    && one.json["alias"] as? String == "indicators" && one.json["can_read"] as? Bool == true)
            #expect(try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/indicators/", token: w.prime.token).status == .ok)
            let hidden = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.inbox.rawValue)/", token: w.prime.token)
            #expect(hidden.status == .notFound, "a collection the caller has no access to is not found (not forbidden)")
            #expect(try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.other.rawValue)/", token: w.prime.token).status == .notFound)
            let noRead = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.inbox.rawValue)/objects/", token: w.supplier.token)
            #expect(noRead.status == .forbidden, "listed write-only: reading is forbidden")
            let nowhere = try await Self.call(client, .get, "/taxii2/\(w.slug)/nothing/here/", token: w.prime.token)
            #expect(nowhere.status == .notFound)
            #expect(nowhere.headers[.contentType] == Self.taxii, "TAXII's error shape for an unknown address under /taxii2/")
            #expect(nowhere.json["http_status"] as? String == "404")
        }
    }

    @Test("POST an envelope: 415 without TAXII's Content-Type, 202 with a complete status (GET status too), re-POST idempotent; a bad object refuses the whole request naming it and stores nothing; objects, manifest, one object, versions, DELETE; filters and X-TAXII-Date-Added headers; bad paging parameters are 400",
          arguments: TestDatabases.engines)
    func addAndRead(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services, w in
            let objectsURL = "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/objects/"
            let a = Self.indicator(1), b = Self.indicator(2)
            let aID = a["id"] as! String
            let aV2 = Self.indicator(1, modified: "2026-02-01T00:00:00.000Z", id: aID)
            let body = try Self.envelope([a, b, aV2])
            #expect(try await Self.call(client, .post, objectsURL, token: w.prime.token, contentType: "application/json", body: body).status
                    == .unsupportedMediaType)
            let posted = try await Self.call(client, .post, objectsURL, token: w.prime.token, body: body)
            #expect(posted.status == .accepted, "\(posted.text)")
            #expect(posted.json["status"] as? String == "complete")
            #expect(posted.json["total_count"] as? Int == 3 && posted.json["success_count"] as? Int == 3
                    && posted.json["failure_count"] as? Int == 0 && posted.json["pending_count"] as? Int == 0)
            let statusID = try #require(posted.json["id"] as? String)
            let status = try await Self.call(client, .get, "/taxii2/\(w.slug)/status/\(statusID)/", token: w.prime.token)
            #expect(status.status == .ok && status.json["total_count"] as? Int == 3)
            #expect(try await Self.call(client, .get, "/taxii2/\(w.slug)/status/\(statusID)/", token: w.supplier.token).status == .notFound,
                    "a status is its organization's")
            let again = try await Self.call(client, .post, objectsURL, token: w.prime.token, body: body)
            #expect(again.status == .accepted && again.json["success_count"] as? Int == 3)

            let all = try await Self.call(client, .get, objectsURL + "?match[version]=all", token: w.supplier.token)
            #expect(all.status == .ok)
            #expect(all.objects.count == 3, "idempotent: the same (id, version) is stored once")
            #expect(all.json["more"] as? Bool == false)
            let first = try #require(all.headers[HTTPField.Name("X-TAXII-Date-Added-First")!])
            let last = try #require(all.headers[HTTPField.Name("X-TAXII-Date-Added-Last")!])
            #expect(first.count == 27 && first.hasSuffix("Z") && first < last, "\(first) \(last)")
            let latest = try await Self.call(client, .get, objectsURL, token: w.supplier.token)
            #expect(latest.objects.count == 2, "the last version of each by default")
            #expect(latest.objects.contains { $0["id"] as? String == aID && $0["modified"] as? String == "2026-02-01T00:00:00.000Z" })
            #expect(try await Self.call(client, .get, objectsURL + "?match[id]=\(aID)&match[version]=first", token: w.prime.token)
                .objects.first?["modified"] as? String == "2026-01-01T00:00:00.000Z")
            #expect(try await Self.call(client, .get, objectsURL + "?match[id]=\(aID)&match[version]=first,last", token: w.prime.token)
                .objects.count == 2)
            #expect(try await Self.call(client, .get, objectsURL + "?match[type]=malware", token: w.prime.token).objects.isEmpty)
            #expect(try await Self.call(client, .get, objectsURL + "?added_after=\(last)", token: w.prime.token).objects.isEmpty)
            for bad in ["limit=0", "limit=1001", "limit=ten", "added_after=yesterday", "match[colour]=red", "next=nonsense",
                        "match[version]=soon"] {
                let r = try await Self.call(client, .get, objectsURL + "?" + bad, token: w.prime.token)
                #expect(r.status == .badRequest, "\(bad): \(r.text)")
                #expect(r.json["http_status"] as? String == "400", "\(bad)")
            }

            let manifest = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/manifest/?match[version]=all",
                                               token: w.prime.token)
            #expect(manifest.status == .ok)
            #expect(manifest.objects.count == 3)
            #expect(manifest.objects.allSatisfy { $0["media_type"] as? String == "application/stix+json;version=2.1" && $0["date_added"] is String
                && $0["version"] is String && $0["id"] is String })
            let one = try await Self.call(client, .get, objectsURL + "\(aID)/", token: w.supplier.token)
            #expect(one.status == .ok && one.objects.count == 1 && one.objects[0]["modified"] as? String == "2026-02-01T00:00:00.000Z")
            let versions = try await Self.call(client, .get, objectsURL + "\(aID)/versions/", token: w.supplier.token)
            #expect(versions.status == .ok)
            #expect(versions.json["versions"] as? [String] == ["2026-01-01T00:00:00.000000Z", "2026-02-01T00:00:00.000000Z"])
            #expect(try await Self.call(client, .get, objectsURL + "indicator--\(UUID().uuidString.lowercased())/", token: w.prime.token).status
                    == .notFound)

            // A bad object anywhere refuses the whole request, naming it; nothing of it is stored.
            let before = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/manifest/?match[version]=all",
                                             token: w.prime.token).objects.count
            var broken = Self.indicator(9)
            broken["created"] = "yesterday"
            let brokenID = broken["id"] as! String
            let future = Self.indicator(10, modified: "2099-01-01T00:00:00.000Z")
            let unknownMarking = Self.indicator(11, markings: ["marking-definition--\(UUID().uuidString.lowercased())"])
            for (bad, name) in [(broken, brokenID), (future, future["id"] as! String), (unknownMarking, unknownMarking["id"] as! String)] {
                let r = try await Self.call(client, .post, objectsURL, token: w.prime.token, body: try Self.envelope([Self.indicator(20), bad]))
                #expect(r.status == .badRequest, "\(r.text)")
                #expect((r.json["description"] as? String)?.contains(name) == true, "\(r.text)")
            }
            for raw in [Data("{not json".utf8), Data("{\"type\":\"bundle\",\"id\":\"bundle--1\"}".utf8), Data("{\"objects\":[]}".utf8)] {
                #expect(try await Self.call(client, .post, objectsURL, token: w.prime.token, body: raw).status == .badRequest)
            }
            let after = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/manifest/?match[version]=all",
                                            token: w.prime.token).objects.count
            #expect(after == before, "nothing partly stored")

            // Writing takes the organization's can_write, a token that may write and a role that changes records.
            let reader = try await Self.party(services, "Reader", scope: "read")
            try await ThreatIntelStore(services.db).addMember(try #require(try await ThreatIntelStore(services.db).community(slug: w.slug)).id,
                                                              organization: reader.organizationID, role: .member, listed: false, cuiAuthorized: false)
            try await ThreatIntelStore(services.db).setAccess(collection: w.shared, organization: reader.organizationID, canRead: true, canWrite: true)
            #expect(try await Self.call(client, .post, objectsURL, token: reader.token, body: try Self.envelope([Self.indicator(30)])).status
                    == .forbidden)
            #expect(try await Self.call(client, .get, objectsURL, token: reader.token).status == .ok)

            // DELETE: the supplier may not delete the prime's object; the prime deletes one version, then the rest.
            #expect(try await Self.call(client, .delete, objectsURL + "\(aID)/", token: w.supplier.token).status == .forbidden)
            let delOne = try await Self.call(client, .delete, objectsURL + "\(aID)/?match[version]=2026-02-01T00:00:00.000Z", token: w.prime.token)
            #expect(delOne.status == .ok, "\(delOne.text)")
            #expect(try await Self.call(client, .get, objectsURL + "\(aID)/versions/", token: w.prime.token).json["versions"] as? [String]
                    == ["2026-01-01T00:00:00.000000Z"])
            #expect(try await Self.call(client, .delete, objectsURL + "\(aID)/", token: w.prime.token).status == .ok)
            #expect(try await Self.call(client, .get, objectsURL + "\(aID)/", token: w.prime.token).status == .notFound)
            #expect(try await Self.call(client, .delete, objectsURL + "\(aID)/", token: w.prime.token).status == .notFound)

            let entries = try await services.db.sql.raw("SELECT action FROM audit_log WHERE action LIKE 'stix.%'").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(entries.filter { $0 == "stix.objects-added" }.count == 2, "one entry per accepted POST (refused ones store nothing)")
            #expect(entries.filter { $0 == "stix.object-deleted" }.count == 2)
        }
    }

    @Test("Paging: 250 objects, limit 100, following next: 100, 100, 50, each object once, more false at the end", arguments: TestDatabases.engines)
    func paging(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, _, w in
            let objectsURL = "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/objects/"
            let objects = (0..<250).map { Self.indicator($0) }
            #expect(try await Self.call(client, .post, objectsURL, token: w.prime.token, body: try Self.envelope(objects)).status == .accepted)
            var seen: [String] = []
            var sizes: [Int] = []
            var next: String? = nil
            repeat {
                let uri = objectsURL + "?limit=100" + (next.map { "&next=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                let page = try await Self.call(client, .get, uri, token: w.supplier.token)
                #expect(page.status == .ok, "\(page.text)")
                sizes.append(page.objects.count)
                seen += page.objects.compactMap { $0["id"] as? String }
                next = page.json["more"] as? Bool == true ? page.json["next"] as? String : nil
                if page.json["more"] as? Bool == true { #expect(next != nil, "more without next") }
            } while next != nil && sizes.count < 10
            #expect(sizes == [100, 100, 50])
            #expect(seen.count == 250 && Set(seen) == Set(objects.map { $0["id"] as! String }))
            let manifest = try await Self.call(client, .get, "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/manifest/?limit=1000",
                                               token: w.supplier.token)
            #expect(manifest.objects.count == 250 && manifest.json["more"] as? Bool == false)
        }
    }

    @Test("TLP:RED and CUI-marked objects never reach an organization outside their audience: not through objects, one object, versions or the manifest",
          arguments: TestDatabases.engines)
    func audience(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services, w in
            let base = "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)"
            let red = Self.indicator(1, markings: ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"])
            let cuiDefinitionID = "marking-definition--\(UUID().uuidString.lowercased())"
            let cuiDefinition: [String: Any] = [
                "type": "marking-definition", "spec_version": "2.1", "id": cuiDefinitionID, "created": "2026-01-01T00:00:00.000Z",
                "name": "CUI", "extensions": ["extension-definition--dff17fb3-edcb-4f99-ad1b-4b751c95738a": [
                    "extension_type": "property-extension", "control": "CUI",
                    "designator_ref": "identity--\(UUID().uuidString.lowercased())"]],
            ]
            let cui = Self.indicator(2, markings: ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", cuiDefinitionID])
            let green = Self.indicator(3, markings: ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"])
            // Publishing CUI where an organization not authorized for it reads is refused, naming the object and the rule.
            let refused = try await Self.call(client, .post, base + "/objects/", token: w.prime.token,
                                              body: try Self.envelope([cuiDefinition, green, cui]))
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect((refused.json["description"] as? String)?.contains(cui["id"] as! String) == true, "\(refused.text)")
            #expect(try await Self.call(client, .get, base + "/objects/", token: w.prime.token).objects.isEmpty, "nothing partly stored")
            // Published while the supplier had no access; the supplier is given read access afterwards.
            let store = ThreatIntelStore(services.db)
            try await store.setAccess(collection: w.shared, organization: w.supplier.organizationID, canRead: false, canWrite: false)
            let r = try await Self.call(client, .post, base + "/objects/", token: w.prime.token, body: try Self.envelope([cuiDefinition, red, cui, green]))
            #expect(r.status == .accepted, "\(r.text)")
            try await store.setAccess(collection: w.shared, organization: w.supplier.organizationID, canRead: true, canWrite: true)
            let hidden = [red["id"] as! String, cui["id"] as! String]

            let primeSees = try await Self.call(client, .get, base + "/objects/", token: w.prime.token).objects.compactMap { $0["id"] as? String }
            #expect(Set(hidden).isSubset(of: Set(primeSees)), "the publisher (CUI-authorized) sees both")
            let supplierObjects = try await Self.call(client, .get, base + "/objects/?match[version]=all", token: w.supplier.token)
            let supplierIDs = Set(supplierObjects.objects.compactMap { $0["id"] as? String })
            #expect(supplierIDs.contains(green["id"] as! String))
            #expect(supplierIDs.isDisjoint(with: hidden))
            let manifest = try await Self.call(client, .get, base + "/manifest/?match[version]=all", token: w.supplier.token)
            #expect(Set(manifest.objects.compactMap { $0["id"] as? String }).isDisjoint(with: hidden))
            for id in hidden {
                #expect(try await Self.call(client, .get, base + "/objects/\(id)/", token: w.supplier.token).status == .notFound)
                #expect(try await Self.call(client, .get, base + "/objects/\(id)/?match[version]=all", token: w.supplier.token).status == .notFound)
                #expect(try await Self.call(client, .get, base + "/objects/\(id)/versions/", token: w.supplier.token).status == .notFound)
                #expect(try await Self.call(client, .get, base + "/objects/?match[id]=\(id)", token: w.supplier.token).objects.isEmpty)
                #expect(try await Self.call(client, .delete, base + "/objects/\(id)/", token: w.supplier.token).status == .notFound)
                // The outsider has no access to the collection at all.
                #expect(try await Self.call(client, .get, base + "/objects/\(id)/", token: w.outsider.token).status == .notFound)
            }
            #expect(try await Self.call(client, .get, base + "/objects/", token: w.outsider.token).status == .notFound)

            // TLP:RED reaches the named people only: a colleague of the publisher in the same organization does not see it.
            let colleague = try await services.accounts.createUser(email: "colleague-\(UUID().uuidString.prefix(6))@example.jp",
                                                                   displayName: "Colleague", passwordHash: "x", platformAdmin: false)
            try await services.accounts.setMFA(userID: colleague.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 0, recoveryCodeHashes: [])
            try await services.accounts.setMembership(userID: colleague.id, organizationID: w.prime.organizationID, role: .contributor)
            let fresh = try #require(try await services.accounts.user(email: colleague.email))
            let (_, colleagueToken) = try await TokenUseCases(services.accountEnvironment).create(
                organizationID: w.prime.organizationID, user: fresh, name: "taxii", scope: "read", days: 30,
                actor: Actor(id: "test", sourceIP: "127.0.0.1"))
            let colleagueSees = try await Self.call(client, .get, base + "/objects/", token: colleagueToken).objects.compactMap { $0["id"] as? String }
            #expect(colleagueSees.contains(cui["id"] as! String), "the organization is authorized for CUI")
            #expect(!colleagueSees.contains(red["id"] as! String))
            #expect(try await Self.call(client, .get, base + "/objects/\(red["id"] as! String)/", token: colleagueToken).status == .notFound)

            // An external auditor of the organization receives no shared intelligence.
            try await services.accounts.setMembership(userID: colleague.id, organizationID: w.prime.organizationID, role: .auditor)
            let auditor = try await Self.call(client, .get, "/taxii2/", token: colleagueToken)
            #expect(auditor.status == .forbidden, "\(auditor.text)")
        }
    }

    @Test("Re-publishing what another organization published: a marking downgrade is refused naming the object, AMBER+STRICT is never passed on, the same marking or a stricter one is accepted",
          arguments: TestDatabases.engines)
    func republishing(engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, _, w in
            let objectsURL = "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/objects/"
            let amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
            let strict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
            let green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
            let shared = Self.indicator(1, markings: [green])
            let sharedID = shared["id"] as! String
            let secret = Self.indicator(2, markings: [strict])
            let secretID = secret["id"] as! String
            let posted = try await Self.call(client, .post, objectsURL, token: w.prime.token, body: try Self.envelope([shared, secret]))
            #expect(posted.status == .accepted, "\(posted.text)")

            let downgrade = Self.indicator(1, modified: "2026-03-01T00:00:00.000Z", markings: ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"], id: sharedID)
            let refused = try await Self.call(client, .post, objectsURL, token: w.supplier.token, body: try Self.envelope([downgrade]))
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect((refused.json["description"] as? String)?.contains(sharedID) == true, "\(refused.text)")
            let passOn = Self.indicator(2, modified: "2026-03-01T00:00:00.000Z", markings: [strict], id: secretID)
            #expect(try await Self.call(client, .post, objectsURL, token: w.supplier.token, body: try Self.envelope([passOn])).status == .badRequest)
            let stricter = Self.indicator(1, modified: "2026-03-01T00:00:00.000Z", markings: [amber], id: sharedID)
            let kept = try await Self.call(client, .post, objectsURL, token: w.supplier.token, body: try Self.envelope([stricter]))
            #expect(kept.status == .accepted, "\(kept.text)")
            let versions = try await Self.call(client, .get, objectsURL + "\(sharedID)/versions/", token: w.prime.token)
            #expect((versions.json["versions"] as? [String])?.count == 2)
        }
    }

    @Test("A body over 50 MB is 413 with TAXII's error, and nothing is stored")
    func tooLarge() async throws {
        try await Self.withServer(.sqlite) { client, _, w in
            let objectsURL = "/taxii2/\(w.slug)/collections/\(w.shared.rawValue)/objects/"
            var big = Data("{\"objects\":[".utf8)
            let one = try JSONSerialization.data(withJSONObject: Self.indicator(1))
            while big.count < 51 * 1024 * 1024 { big.append(one); big.append(UInt8(ascii: ",")) }
            big.append(one)
            big.append(contentsOf: Array("]}".utf8))
            let r = try await Self.call(client, .post, objectsURL, token: w.prime.token, body: big)
            #expect(r.status == .contentTooLarge)
            #expect(r.json["http_status"] as? String == "413")
            #expect(try await Self.call(client, .get, objectsURL, token: w.prime.token).objects.isEmpty)
        }
    }

    @Test("openapi.yaml says where the TAXII server is and documents none of its routes (TAXII has its own specification)")
    func openAPIMentionsTAXII() throws {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoServer/Resources/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("/taxii2/"))
        #expect(!text.contains("\n  /taxii2"), "no path under /taxii2 in the document's paths")
    }
}
