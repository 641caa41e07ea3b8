import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// The sharing workspace (issue 14 item 6) over real HTTP on both engines: search by value through observables and
/// indicator patterns, the audience kept everywhere (a TLP:RED object for another person, a CUI object for an
/// organization not authorized for it, a collection without can_read) through search, hub, object page and export —
/// pages and API —, the sighting refused with a downgraded TLP and stored with the chosen one, CSV escaping, the pages
/// in Japanese and English with CSRF, and an external auditor refused.
@Suite("Sharing workspace: search by value, feed, object history, sightings, exports (issue 14 item 6)", .serialized)
struct SharingWorkspaceTests {
    static let ip = "198.51.100.7"
    static let domain = "c2.example.net"
    static let sha256 = String(repeating: "ab", count: 32)
    static let cve = "CVE-2021-44228"

    /// The signed-in administrator's organization ("株式会社プライム", a member not authorized for CUI, reading and
    /// writing `feed`, no access to `closed`) and the publisher (another member, authorized for CUI) that published
    /// everything.
    struct World {
        let browser: Browser
        let org: String
        let publisher: TAXIIServerTests.Party
        let feed: TAXIICollectionID
        let closed: TAXIICollectionID
        let indicator: String
        let address: String
        let file: String
        let vulnerability: String
        let red: String
        let cui: String
        let hidden: String
        let tricky: String
    }

    static func id(_ type: String) -> String { "\(type)--\(UUID().uuidString.lowercased())" }

    static func world(_ client: any TestClientProtocol, _ services: Services) async throws -> World {
        let admin = Browser(client)
        let (_, org) = try await bootstrapAdmin(admin, services: services)
        let publisher = try await TAXIIServerTests.party(services, "Publisher")
        let store = ThreatIntelStore(services.db)
        let community = try await store.createCommunity(slug: "dib-\(UUID().uuidString.prefix(6).lowercased())", name: "DIB ISAC", kind: .isac)
        try await store.addMember(community.id, organization: publisher.organizationID, role: .administrator, listed: false, cuiAuthorized: true)
        try await store.addMember(community.id, organization: org, role: .member, listed: false, cuiAuthorized: false)
        let feed = try await store.createCollection(in: community.id, title: "Indicators", description: "Shared indicators", alias: "indicators")
        try await store.setAccess(collection: feed.id, organization: publisher.organizationID, canRead: true, canWrite: true)
        try await store.setAccess(collection: feed.id, organization: org, canRead: true, canWrite: true)
        let closed = try await store.createCollection(in: community.id, title: "Closed", description: "", alias: "closed")
        try await store.setAccess(collection: closed.id, organization: publisher.organizationID, canRead: true, canWrite: true)

        // What the publisher sends over TAXII's use cases (the path a TAXII POST takes): indexed as it is stored.
        let green = TLPMarking.green.markingID.rawValue, amber = TLPMarking.amber.markingID.rawValue
        let indicator = id("indicator"), address = id("ipv4-addr"), file = id("file"), vulnerability = id("vulnerability")
        let tricky = id("indicator")
        func sdo(_ type: String, _ id: String, _ extra: [String: Any]) -> [String: Any] {
            ["type": type, "spec_version": "2.1", "id": id, "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z"]
                .merging(extra) { $1 }
        }
        let objects: [[String: Any]] = [
            sdo("indicator", indicator, ["name": "C2", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
                                         "pattern": "[ipv4-addr:value = '\(ip)'] OR [domain-name:value = 'C2.Example.NET']",
                                         "object_marking_refs": [green]]),
            ["type": "ipv4-addr", "spec_version": "2.1", "id": address, "value": ip, "object_marking_refs": [green]],
            ["type": "file", "spec_version": "2.1", "id": file, "name": "dropper.exe", "hashes": ["SHA-256": sha256.uppercased()],
             "object_marking_refs": [green]],
            sdo("vulnerability", vulnerability, ["name": "Log4Shell", "object_marking_refs": [amber],
                                                 "external_references": [["source_name": "cve", "external_id": cve]]]),
            sdo("indicator", tricky, ["name": "=HYPERLINK(\"http://evil\"), \"quoted\"", "pattern_type": "stix",
                                      "valid_from": "2026-01-01T00:00:00Z", "pattern": "[ipv4-addr:value = '203.0.113.5']",
                                      "object_marking_refs": [green]]),
        ]
        let env = services.tenantEnvironment
        let caller = TAXIICaller(organizationID: publisher.organizationID, personID: publisher.personID, role: .owner, readOnly: false,
                                 actor: Actor(id: "test", sourceIP: "127.0.0.1"))
        _ = try await ThreatIntelUseCases(env, caller).add(root: community.slug, collection: feed.id.rawValue,
                                                           envelope: try JSONSerialization.data(withJSONObject: ["objects": objects]))
        // A TLP:RED object for the publisher's person only, a CUI-marked one, and one in the collection the
        // organization may not read: each carries the address too.
        let red = id("indicator"), cui = id("indicator"), hidden = id("indicator")
        func stored(_ id: String, tlp: STIXObjectTLP, cui: Bool) -> NewSTIXObject {
            NewSTIXObject(objectID: id, version: "2026-01-02T00:00:00.000Z", type: "indicator", tlp: tlp, cui: cui,
                          recipients: tlp == .red ? [publisher.personID] : [],
                          json: #"{"id":"\#(id)","type":"indicator","name":"secret \#(tlp.rawValue)","pattern":"[ipv4-addr:value = '\#(ip)']"}"#,
                          searchValues: [STIXIndexedValue(kind: "ipv4", value: ip)])
        }
        let by = STIXPublisher(organizationID: publisher.organizationID, personID: publisher.personID)
        _ = try await store.add([stored(red, tlp: .red, cui: false), stored(cui, tlp: .amber, cui: true)], to: feed.id, by: by, status: .make())
        _ = try await store.add([stored(hidden, tlp: .green, cui: false)], to: closed.id, by: by, status: .make())
        return World(browser: admin, org: org, publisher: publisher, feed: feed.id, closed: closed.id, indicator: indicator, address: address,
                     file: file, vulnerability: vulnerability, red: red, cui: cui, hidden: hidden, tricky: tricky)
    }

    static func withWorld(_ engine: TestDatabases.Engine,
                          _ body: @escaping @Sendable (any TestClientProtocol, Services, World) async throws -> Void) async throws {
        try await IncidentPageTests.withServer(engine) { client, services in
            try await body(client, services, try await world(client, services))
        }
    }

    static func ids(_ r: Browser.Reply, _ key: String = "objects") -> Set<String> {
        Set((r.json[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    }

    @Test("Issue 14 item 6: search finds by IP, domain, hash and CVE through observables and indicator patterns; never a RED object for another person, a CUI object for an unauthorized organization, or a collection without can_read (API)",
          arguments: TestDatabases.engines)
    func searchKeepsTheAudience(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { client, _, w in
            let base = "/api/v1/organizations/\(w.org)/sharing"
            let byIP = try await w.browser.send(.get, base + "/search?q=\(Self.ip)")
            #expect(byIP.status == .ok, "\(String(decoding: byIP.body, as: UTF8.self))")
            #expect(Self.ids(byIP) == [w.indicator, w.address])
            #expect((byIP.json["understood"] as? [String: Any])?["kind"] as? String == "ipv4")
            let rows = byIP.json["objects"] as? [[String: Any]] ?? []
            #expect(rows.allSatisfy { $0["publishedBy"] as? String == "another-member" })
            #expect(!String(decoding: byIP.body, as: UTF8.self).contains(w.publisher.organizationID), "the publisher is never named")
            #expect(Self.ids(try await w.browser.send(.get, base + "/search?q=c2.EXAMPLE.net")) == [w.indicator])
            #expect(Self.ids(try await w.browser.send(.get, base + "/search?q=\(Self.sha256.uppercased())")) == [w.file])
            let byCVE = try await w.browser.send(.get, base + "/search?q=cve-2021-44228")
            #expect(Self.ids(byCVE) == [w.vulnerability])
            #expect((byCVE.json["objects"] as? [[String: Any]])?.first?["cves"] as? [String] == [Self.cve])
            let nonsense = try await w.browser.send(.get, base + "/search?q=not%20a%20value")
            #expect(nonsense.status == .badRequest)
            // The publisher's own person sees the RED object, its organization the CUI one and the closed collection.
            let token = w.publisher.token
            let theirs = try await Browser(client).send(.get, "/api/v1/organizations/\(w.publisher.organizationID)/sharing/search?q=\(Self.ip)",
                                                  headers: [.authorization: "Bearer \(token)"])
            #expect(Self.ids(theirs) == [w.indicator, w.address, w.red, w.cui, w.hidden])
        }
    }

    @Test("Issue 14 items 4 and 6: the hub, the feed, the object page and the exports never show what the viewer may not see (pages and API); an object outside the audience is not found",
          arguments: TestDatabases.engines)
    func everyPathKeepsTheAudience(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { _, _, w in
            let pages = "/o/\(w.org)/sharing"
            let hub = try await IncidentPageTests.get(w.browser, pages)
            #expect(hub.status == .ok && hub.html.contains("脅威情報の共有") && hub.html.contains("Indicators"))
            #expect(!hub.html.contains("secret red") && !hub.html.contains("secret amber") && !hub.html.contains("Closed"))
            #expect(!hub.html.contains("Publisher") && hub.html.contains("他のメンバー"), "the publishing organization is never named")
            let feed = try await IncidentPageTests.get(w.browser, pages + "/collections/\(w.feed.rawValue)", "en")
            #expect(feed.status == .ok && feed.html.contains("dropper.exe") && !feed.html.contains("secret"))
            let indicators = try await IncidentPageTests.get(w.browser, pages + "/collections/\(w.feed.rawValue)?filter=indicators", "en")
            #expect(indicators.html.contains("C2") && !indicators.html.contains("dropper.exe"))
            #expect(try await IncidentPageTests.get(w.browser, pages + "/collections/\(w.closed.rawValue)").status == .notFound)
            for hidden in [w.red, w.cui] {
                #expect(try await IncidentPageTests.get(w.browser, pages + "/collections/\(w.feed.rawValue)/objects/\(hidden)").status == .notFound)
                let api = try await w.browser.send(.get, "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(hidden)")
                #expect(api.status == .notFound)
            }
            #expect(try await IncidentPageTests.get(w.browser, pages + "/collections/\(w.closed.rawValue)/objects/\(w.hidden)").status == .notFound)
            let search = try await IncidentPageTests.get(w.browser, pages + "/search?q=+\(Self.ip)+", "en")
            #expect(search.status == .ok && search.html.contains("IPv4 address") && search.html.contains("C2") && !search.html.contains("secret"))
            for format in ["csv", "stix"] {
                let export = try await w.browser.send(.get, "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/export?format=\(format)")
                let text = String(decoding: export.body, as: UTF8.self)
                #expect(export.status == .ok && text.contains(w.indicator) && text.contains(w.file))
                #expect(!text.contains(w.red) && !text.contains(w.cui) && !text.contains(w.hidden))
                let page = try await IncidentPageTests.get(w.browser, pages + "/search/export?q=\(Self.ip)&format=\(format)")
                #expect(page.status == .ok && page.html.contains(w.address) && !page.html.contains(w.red) && !page.html.contains(w.cui))
            }
            let closedExport = try await w.browser.send(.get, "/api/v1/organizations/\(w.org)/sharing/collections/\(w.closed.rawValue)/export")
            #expect(closedExport.status == .notFound)
        }
    }

    @Test("Issue 14 item 6: CSV export — header, one row per object, fields with commas and quotes quoted, a formula-looking name neutralised",
          arguments: TestDatabases.engines)
    func csvEscaping(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { _, _, w in
            let r = try await w.browser.send(.get, "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/export?format=csv")
            #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/csv") == true)
            let text = String(decoding: r.body.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "type,id,version,date_added,tlp,name_value_pattern,cve")
            #expect(lines.count == 6, "\(lines)")
            let tricky = try #require(lines.first { $0.contains(w.tricky) })
            #expect(tricky.contains(#""'=HYPERLINK(""http://evil""), ""quoted"" — [ipv4-addr:value = '203.0.113.5']""#), "\(tricky)")
            let vulnerability = try #require(lines.first { $0.contains(w.vulnerability) })
            #expect(vulnerability.hasSuffix(",TLP:AMBER,Log4Shell,\(Self.cve)"), "\(vulnerability)")
        }
    }

    @Test("Issue 14 item 6: a sighting with a TLP below the object's is refused and nothing stored; with the object's TLP it is stored with it, pointing at the object, the organization named only when ticked",
          arguments: TestDatabases.engines)
    func sightings(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { client, services, w in
            let api = "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(w.vulnerability)"
            let down = try await w.browser.send(.post, api + "/sightings", json: ["tlp": "green", "count": 2])
            #expect(down.status == .badRequest && String(decoding: down.body, as: UTF8.self).contains("TLP:AMBER"))
            let store = ThreatIntelStore(services.db)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            func sightings() async throws -> [STIXStoredObject] {
                try await store.objects(in: w.feed, query: STIXObjectQuery(types: ["sighting", "identity"], versions: [.all]),
                                        audience: STIXAudience(organizationID: w.org, personID: me.id)).objects
            }
            #expect(try await sightings().isEmpty)
            // A read-only API token reads but does not publish.
            let (_, readToken) = try await TokenUseCases(services.accountEnvironment).create(
                organizationID: w.org, user: me, name: "ro", scope: "read", days: 30, actor: Actor(id: "test", sourceIP: "127.0.0.1"))
            let reader = Browser(client)
            #expect(try await reader.send(.get, api, headers: [.authorization: "Bearer \(readToken)"]).status == .ok)
            let readOnly = try await reader.send(.post, api + "/sightings", json: ["tlp": "amber"], headers: [.authorization: "Bearer \(readToken)"])
            #expect(readOnly.status == .forbidden)
            #expect(try await sightings().isEmpty)
            let ok = try await w.browser.send(.post, api + "/sightings", json: ["tlp": "amber", "count": 2, "firstSeen": "2026-10-01T00:00:00Z"])
            #expect(ok.status == .created, "\(String(decoding: ok.body, as: UTF8.self))")
            let stored = try await sightings()
            #expect(stored.count == 1 && stored.first?.tlp == .amber && stored.first?.type == "sighting")
            #expect(stored.first?.json.contains(w.vulnerability) == true && stored.first?.json.contains("where_sighted_refs") == false)
            let history = try await w.browser.send(.get, api)
            #expect(Self.ids(history, "pointing") == [try #require(ok.json["sightingId"] as? String)])
            #expect((history.json["versions"] as? [Any])?.count == 1)
            let named = try await w.browser.send(.post, api + "/sightings", json: ["tlp": "red", "nameOrganization": true])
            #expect(named.status == .created)
            let all = try await sightings()
            #expect(all.contains { $0.type == "identity" && $0.json.contains("株式会社プライム") })
            #expect(all.contains { $0.type == "sighting" && $0.json.contains("where_sighted_refs") && $0.tlp == .red })
        }
    }

    @Test("STIX 2.1 sighting rules (count 0 to 999,999,999; last_seen not before first_seen) refuse a sighting through the one validator, said as the sighting's refusal; a time seen in the future is refused; nothing stored (API)",
          arguments: TestDatabases.engines)
    func sightingRulesOnce(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { _, services, w in
            let api = "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(w.vulnerability)/sightings"
            let tooMany = try await w.browser.send(.post, api, json: ["tlp": "amber", "count": 1_000_000_000])
            let tooManyText = String(decoding: tooMany.body, as: UTF8.self)
            #expect(tooMany.status == .badRequest && tooManyText.contains("999999999") && tooManyText.contains("The sighting cannot be published"),
                    "\(tooManyText)")
            let negative = try await w.browser.send(.post, api, json: ["tlp": "amber", "count": -1])
            #expect(negative.status == .badRequest)
            let backwards = try await w.browser.send(.post, api, json: ["tlp": "amber", "firstSeen": "2026-10-02T00:00:00Z",
                                                                         "lastSeen": "2026-10-01T00:00:00Z"])
            let backwardsText = String(decoding: backwards.body, as: UTF8.self)
            #expect(backwards.status == .badRequest && backwardsText.contains("last_seen") && backwardsText.contains("The sighting cannot be published"),
                    "\(backwardsText)")
            let future = try await w.browser.send(.post, api, json: ["tlp": "amber", "lastSeen": "2099-01-01T00:00:00Z"])
            #expect(future.status == .badRequest && String(decoding: future.body, as: UTF8.self).contains("future"))
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let stored = try await ThreatIntelStore(services.db).objects(in: w.feed, query: STIXObjectQuery(types: ["sighting"], versions: [.all]),
                                                                         audience: STIXAudience(organizationID: w.org, personID: me.id))
            #expect(stored.objects.isEmpty)
            // The edges are accepted: a count of 0 and first and last seen at the same instant.
            let edge = try await w.browser.send(.post, api, json: ["tlp": "amber", "count": 0, "firstSeen": "2026-10-01T00:00:00Z",
                                                                    "lastSeen": "2026-10-01T00:00:00Z"])
            #expect(edge.status == .created, "\(String(decoding: edge.body, as: UTF8.self))")
        }
    }

    @Test("Issue 14 item 6: a viewer reads the object page without the sighting form, and a sighting it posts anyway is refused with nothing stored",
          arguments: TestDatabases.engines)
    func viewerMayNotSight(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { client, services, w in
            let object = "/o/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(w.vulnerability)"
            let email = "viewer-\(UUID().uuidString.prefix(6))@example.jp", password = "correct horse battery staple 7"
            let user = try await services.accounts.createUser(email: email, displayName: "閲覧者", passwordHash: try await PasswordHasher.hash(password),
                                                              platformAdmin: false)
            try await services.accounts.setMembership(userID: user.id, organizationID: w.org, role: .viewer)
            let viewer = Browser(client)
            try #require(try await viewer.login(email, password).status == .ok)
            let enrol = try await viewer.send(.post, "/api/v1/me/mfa")
            let secret = try #require(enrol.json["secret"] as? String)
            try #require(try await viewer.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())]).status == .ok)
            let page = try await IncidentPageTests.get(viewer, object)
            #expect(page.status == .ok && page.html.contains("Log4Shell") && !page.html.contains("/sighting\""), "no sighting form for a viewer")
            let csrf = try #require(WebPageTests.formToken(page.html))
            let posted = try await IncidentPageTests.post(viewer, object + "/sighting", [("csrf", csrf), ("tlp", "amber"), ("count", "1")])
            #expect(posted.status == .forbidden)
            let api = try await viewer.send(.post, "/api/v1/organizations/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(w.vulnerability)/sightings",
                                            json: ["tlp": "amber"])
            #expect(api.status == .forbidden)
            let stored = try await ThreatIntelStore(services.db).objects(in: w.feed, query: STIXObjectQuery(types: ["sighting"], versions: [.all]),
                                                                         audience: STIXAudience(organizationID: w.org, personID: user.id))
            #expect(stored.objects.isEmpty)
        }
    }

    @Test("Issue 14 item 4: a sighting of a CUI-marked object carries the object's CUI marking (so it reaches only the organizations authorized for CUI); a CUI object whose marking definition cannot be found is not sighted at all",
          arguments: TestDatabases.engines)
    func sightingOfCUI(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { _, services, w in
            let env = services.tenantEnvironment
            let caller = TAXIICaller(organizationID: w.publisher.organizationID, personID: w.publisher.personID, role: .owner,
                                     readOnly: false, actor: Actor(id: "test", sourceIP: "127.0.0.1"))
            let store = ThreatIntelStore(services.db)
            let community = try #require(try await store.collection(id: w.closed)).community
            let slug = try #require(try await store.community(id: community)).slug
            // The publisher's CUI-marked indicator in the collection only it reads, with its CUI marking definition.
            let definition = "marking-definition--\(UUID().uuidString.lowercased())", indicator = Self.id("indicator")
            let objects: [[String: Any]] = [
                ["type": "marking-definition", "spec_version": "2.1", "id": definition, "created": "2026-01-01T00:00:00.000Z", "name": "CUI",
                 "extensions": [CUIMarking.extensionID.rawValue: ["extension_type": "property-extension", "control": "CUI",
                                                                  "designator_ref": "identity--\(UUID().uuidString.lowercased())"]]],
                ["type": "indicator", "spec_version": "2.1", "id": indicator, "created": "2026-01-01T00:00:00.000Z",
                 "modified": "2026-01-01T00:00:00.000Z", "name": "CUI indicator", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
                 "pattern": "[ipv4-addr:value = '\(Self.ip)']", "object_marking_refs": [TLPMarking.amber.markingID.rawValue, definition]],
            ]
            _ = try await ThreatIntelUseCases(env, caller).add(root: slug, collection: w.closed.rawValue,
                                                               envelope: try JSONSerialization.data(withJSONObject: ["objects": objects]))
            let workspace = SharingWorkspace(env, caller: caller, organizationName: "Publisher")
            let result = try await workspace.sight(collection: w.closed.rawValue, objectID: indicator,
                                                   SharingSightingDraft(count: 1, tlp: .amber))
            let audience = STIXAudience(organizationID: w.publisher.organizationID, personID: w.publisher.personID)
            let sighting = try #require(try await store.objects(in: w.closed, query: STIXObjectQuery(ids: [result.sightingID], versions: [.last]),
                                                                audience: audience).objects.first)
            #expect(sighting.cui && sighting.tlp == .amber)
            #expect(sighting.json.contains(definition))
            // The world's CUI object was stored without a marking definition: a sighting of it is refused, nothing stored.
            await #expect(throws: SharingWorkspaceError.self) {
                try await workspace.sight(collection: w.feed.rawValue, objectID: w.cui,
                                          SharingSightingDraft(count: 1, tlp: .amber))
            }
            #expect(try await store.objects(in: w.feed, query: STIXObjectQuery(types: ["sighting"], versions: [.all]), audience: audience)
                .objects.isEmpty)
        }
    }

    @Test("Issue 14 item 6: pages in Japanese and English; the sighting form needs its CSRF field and refuses a downgraded TLP on the page; an auditor is refused with the reason",
          arguments: TestDatabases.engines)
    func pages(_ engine: TestDatabases.Engine) async throws {
        try await Self.withWorld(engine) { client, services, w in
            let object = "/o/\(w.org)/sharing/collections/\(w.feed.rawValue)/objects/\(w.vulnerability)"
            let ja = try await IncidentPageTests.get(w.browser, object)
            #expect(ja.status == .ok && ja.html.contains("こちらでも確認した") && ja.html.contains("Log4Shell") && ja.html.contains(Self.cve))
            #expect(!ja.html.contains(">TLP:GREEN<"), "levels below the object's are not offered")
            let en = try await IncidentPageTests.get(w.browser, object, "en")
            #expect(en.status == .ok && en.html.contains("We saw this too") && en.html.contains("another member"))
            let csrf = try #require(WebPageTests.formToken(ja.html))
            let forged = try await IncidentPageTests.post(w.browser, object + "/sighting", [("csrf", "wrong"), ("tlp", "amber"), ("count", "1")])
            #expect(forged.status == .forbidden)
            let down = try await IncidentPageTests.post(w.browser, object + "/sighting", [("csrf", csrf), ("tlp", "green"), ("count", "1")])
            #expect(down.status == .badRequest && down.html.contains("TLP:GREEN"))
            let ok = try await IncidentPageTests.post(w.browser, object + "/sighting", [("csrf", csrf), ("tlp", "amber"), ("count", "3"),
                                                                                       ("first_seen", "2026-10-01")])
            #expect(ok.status == .seeOther)
            let after = try await IncidentPageTests.get(w.browser, try #require(ok.headers[.location]))
            #expect(after.html.contains("目撃情報を公開しました") && after.html.contains("sighting_of_ref"))

            // An external auditor of the organization reads no shared intelligence.
            let email = "auditor-\(UUID().uuidString.prefix(6))@example.jp", password = "correct horse battery staple 7"
            let user = try await services.accounts.createUser(email: email, displayName: "監査人", passwordHash: try await PasswordHasher.hash(password),
                                                              platformAdmin: false)
            try await services.accounts.setMembership(userID: user.id, organizationID: w.org, role: .auditor)
            let auditor = Browser(client)
            try #require(try await auditor.login(email, password).status == .ok)
            let enrol = try await auditor.send(.post, "/api/v1/me/mfa")
            let secret = try #require(enrol.json["secret"] as? String)
            try #require(try await auditor.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())]).status == .ok)
            let refused = try await IncidentPageTests.get(auditor, "/o/\(w.org)/sharing")
            #expect(refused.status == .forbidden && refused.html.contains("共有された脅威情報を受け取れません"))
            #expect(try await IncidentPageTests.get(auditor, object).status == .forbidden)
            #expect(try await auditor.send(.get, "/api/v1/organizations/\(w.org)/sharing/search?q=\(Self.ip)").status == .forbidden)
        }
    }

    @Test("Issue 14 item 6: the envelope reader every storing path shares (TAXII POST, tekigo stix import, feed pulls) hands each object its search values")
    func everyStoringPathIndexes() throws {
        let indicator = Self.id("indicator")
        let envelope = try JSONSerialization.data(withJSONObject: ["objects": [
            ["type": "indicator", "spec_version": "2.1", "id": indicator, "created": "2026-01-01T00:00:00.000Z",
             "modified": "2026-01-01T00:00:00.000Z", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
             "pattern": "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E'] AND [url:value = 'HTTP://Evil.Example/x']"],
        ]])
        let read = try ThreatIntelUseCases.read(envelope: envelope, now: IncidentPageTests.start)
        #expect(Set(read.first?.0.searchValues ?? []) == [STIXIndexedValue(kind: "hash", value: "d41d8cd98f00b204e9800998ecf8427e"),
                                                          STIXIndexedValue(kind: "url", value: "http://evil.example/x")])
    }
}
