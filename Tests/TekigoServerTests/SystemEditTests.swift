import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// Systems editable in the web (issue 17 item 6): a system's page changes its profile through
/// `AssessmentUseCases.updateSystem` (versioned, audited `system.updated`) and deletes it through `.deleteSystem`
/// (refused while an assessment or a cloud service uses it, audited `system.deleted`); the API has the same two.
@Suite("Systems changed and deleted (issue 17 item 6)")
struct SystemEditTests {
    static func auditActions(_ services: Services, _ orgID: String) async throws -> [String] {
        try await AuditLog(services.db).entries(organizationID: orgID, limit: 10_000).map(\.action).filter { $0.hasPrefix("system.") }.sorted()
    }

    @Test("Item 6: the systems page links each system to its page; a save changes it with system.updated; a second tab's stale save gets the conflict message and changes nothing (ja, en)",
          arguments: TestDatabases.engines)
    func renameAndStaleSave(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let list = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems")
            let csrf = try #require(WebPageTests.formToken(list.html))
            _ = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems",
                                            form: [("csrf", csrf), ("name", "生産管理システム"), ("types", "図面"), ("users", "12")])
            let store = TenantStore(services.db, organizationID: orgID)
            let system = try #require(try await store.systems().first)
            let listed = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems")
            #expect(listed.html.contains("href=\"/o/\(orgID)/systems/\(system.id)\""))

            // Two tabs open the page at version 1.
            let tab1 = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems/\(system.id)")
            #expect(tab1.status == .ok && tab1.html.contains("value=\"生産管理システム\"") && tab1.html.contains("name=\"version\" value=\"1\""))
            let saved = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(system.id)", form: [
                ("csrf", csrf), ("version", "1"), ("name", "  生産管理・図面システム "), ("boundary", "本社 2 階の LAN"),
                ("environment", "オンプレミス"), ("types", "図面、仕様書"), ("users", "15")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/o/\(orgID)/systems?notice=saved")
            let changed = try #require(try await store.system(id: system.id))
            #expect(changed.name == "生産管理・図面システム" && changed.boundary == "本社 2 階の LAN" && changed.environment == "オンプレミス")
            #expect(changed.informationTypeList == ["図面", "仕様書"] && changed.userCount == 15 && changed.version == 2)

            // The second tab saves what it read at version 1: refused, its input kept, nothing written.
            let stale = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(system.id)", form: [
                ("csrf", csrf), ("version", "1"), ("name", "古い名前"), ("users", "12")])
            #expect(stale.status == .conflict && stale.html.contains("他の人が同じ内容を保存しました"))
            #expect(stale.html.contains("value=\"古い名前\"") && stale.html.contains("name=\"version\" value=\"2\""))
            #expect(try await store.system(id: system.id) == changed)
            let staleEnglish = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(system.id)", form: [
                ("csrf", csrf), ("version", "1"), ("name", "Old name")], language: "en")
            #expect(staleEnglish.status == .conflict && staleEnglish.html.contains("Edit the system"))

            // The rules of creation: a name is required, users are not negative; nothing written.
            let blank = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(system.id)", form: [
                ("csrf", csrf), ("version", "2"), ("name", " "), ("users", "-3")])
            #expect(blank.status == .badRequest && blank.html.contains("id=\"name-error\"") && blank.html.contains("id=\"users-error\""))
            #expect(try await store.system(id: system.id) == changed)
            #expect(try await Self.auditActions(services, orgID) == ["system.created", "system.updated"])
        }
    }

    @Test("Item 6: a system an assessment uses is not deleted (the message names the assessment's date, ja and en); an unused one is, with system.deleted",
          arguments: TestDatabases.engines)
    func deleteRefusedWhileInUse(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
            let store = TenantStore(services.db, organizationID: orgID)
            let used = try await store.createSystem(SystemProfile(name: "本社ネットワーク"), by: actor)
            _ = try await store.createAssessment(systemID: used.id, catalog: .sp800171r2, date: Day("2026-04-01")!, kind: .basic,
                                                 assessor: "山田", by: actor)
            let unused = try await store.createSystem(SystemProfile(name: "旧工場"), by: actor)
            let page = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems/\(used.id)")
            let csrf = try #require(WebPageTests.formToken(page.html))

            let refused = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(used.id)/delete",
                                                      form: [("csrf", csrf), ("version", "1")])
            #expect(refused.status == .conflict && refused.html.contains("「本社ネットワーク」は評価 1 件（2026"))
            #expect(refused.html.contains("削除できません"))
            let english = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(used.id)/delete",
                                                      form: [("csrf", csrf), ("version", "1")], language: "en")
            #expect(english.status == .conflict && english.html.contains("cannot be deleted: 1 assessment(s) (")
                    && english.html.contains("2026"))
            #expect(try await store.system(id: used.id) != nil)
            #expect(try await store.assessments().count == 1)

            let staleDelete = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(unused.id)/delete",
                                                          form: [("csrf", csrf), ("version", "7")])
            #expect(staleDelete.status == .conflict)
            #expect(try await store.system(id: unused.id) != nil)
            let deleted = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(unused.id)/delete",
                                                      form: [("csrf", csrf), ("version", "1")])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/o/\(orgID)/systems?notice=system_deleted")
            #expect(try await store.system(id: unused.id) == nil)
            let after = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems?notice=system_deleted")
            #expect(after.html.contains("システムを削除しました") && !after.html.contains("旧工場"))
            #expect(try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems/\(unused.id)").status == .notFound)
            #expect(try await Self.auditActions(services, orgID) == ["system.created", "system.created", "system.deleted"])
        }
    }

    @Test("Item 6: a viewer sees no edit link, cannot open a system's page, and its forged save and delete are refused with nothing changed",
          arguments: TestDatabases.engines)
    func viewerRefused(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let store = TenantStore(services.db, organizationID: orgID)
            let system = try await store.createSystem(SystemProfile(name: "生産管理システム"), by: Actor(id: me.id, sourceIP: "127.0.0.1"))
            _ = try await AccountSafetyTests.member(services, orgID, .viewer, email: "viewer@example.jp")
            let v = Browser(client)
            try await v.login("viewer@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(v)
            let list = try await WebPageTests.page(v, .get, "/o/\(orgID)/systems")
            #expect(list.status == .ok && list.html.contains("生産管理システム") && !list.html.contains("/systems/\(system.id)"))
            let csrf = try #require(WebPageTests.formToken(list.html))
            #expect(try await WebPageTests.page(v, .get, "/o/\(orgID)/systems/\(system.id)").status == .forbidden)
            let save = try await WebPageTests.page(v, .post, "/o/\(orgID)/systems/\(system.id)",
                                                   form: [("csrf", csrf), ("version", "1"), ("name", "乗っ取り")])
            #expect(save.status == .forbidden && save.html.contains("権限がありません"))
            let delete = try await WebPageTests.page(v, .post, "/o/\(orgID)/systems/\(system.id)/delete",
                                                     form: [("csrf", csrf), ("version", "1")])
            #expect(delete.status == .forbidden)
            // The API refuses the viewer too.
            let put = try await v.send(.put, "/api/v1/organizations/\(orgID)/systems/\(system.id)", json: ["name": "乗っ取り"])
            #expect(put.status == .forbidden)
            #expect(try await v.send(.delete, "/api/v1/organizations/\(orgID)/systems/\(system.id)").status == .forbidden)
            #expect(try await store.system(id: system.id) == system)
            #expect(try await Self.auditActions(services, orgID) == ["system.created"])
        }
    }

    @Test("Item 6, API: PUT with If-Match changes a system (ETag), a stale If-Match is 412, DELETE of a used one is 409 naming the use, another organization's system is 404",
          arguments: TestDatabases.engines)
    func api(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let actor = Actor(id: me.id, sourceIP: "127.0.0.1")
            let base = "/api/v1/organizations/\(orgID)/systems"
            let created = try await admin.send(.post, base, json: ["name": "本社ネットワーク", "userCount": 30])
            let id = try #require(created.json["id"] as? String)
            let put = try await admin.send(.put, "\(base)/\(id)", json: ["name": "本社・工場ネットワーク", "boundary": "VLAN 10", "userCount": 32],
                                           headers: [.ifMatch: "\"1\""])
            #expect(put.status == .ok && put.headers[.eTag] == "\"2\"" && put.json["name"] as? String == "本社・工場ネットワーク")
            #expect(put.json["userCount"] as? Int == 32 && put.json["version"] as? Int == 2)
            let stale = try await admin.send(.put, "\(base)/\(id)", json: ["name": "古い"], headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed && stale.errorCode == "version_mismatch")
            let blank = try await admin.send(.put, "\(base)/\(id)", json: ["name": ""], headers: [.ifMatch: "\"2\""])
            #expect(blank.status == .badRequest && (blank.json["error"] as? [String: Any])?["field"] as? String == "name")
            let store = TenantStore(services.db, organizationID: orgID)
            #expect(try await store.system(id: id)?.name == "本社・工場ネットワーク")

            _ = try await store.createAssessment(systemID: id, catalog: .sp800171r2, date: Day("2026-04-01")!, kind: .basic, assessor: "",
                                                 by: actor)
            let inUse = try await admin.send(.delete, "\(base)/\(id)", headers: [.ifMatch: "\"2\""])
            #expect(inUse.status == .conflict && inUse.errorCode == "conflict")
            let message = try #require((inUse.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("1 assessment(s) (2026-04-01)") && message.contains("cannot be deleted"))

            // Another organization's system is not found here, and stays.
            let other = try await services.accounts.createOrganization(name: "株式会社よそ", owner: me.id)
            let foreign = try await TenantStore(services.db, organizationID: other.id).createSystem(SystemProfile(name: "よその"), by: actor)
            #expect(try await admin.send(.put, "\(base)/\(foreign.id)", json: ["name": "奪取"]).status == .notFound)
            #expect(try await admin.send(.delete, "\(base)/\(foreign.id)").status == .notFound)
            #expect(try await TenantStore(services.db, organizationID: other.id).system(id: foreign.id) == foreign)

            let spare = try await admin.send(.post, base, json: ["name": "予備"])
            let spareID = try #require(spare.json["id"] as? String)
            #expect(try await admin.send(.delete, "\(base)/\(spareID)", headers: [.ifMatch: "\"3\""]).status == .preconditionFailed)
            #expect(try await admin.send(.delete, "\(base)/\(spareID)").status == .noContent)
            #expect(try await store.system(id: spareID) == nil)
            #expect(try await Self.auditActions(services, orgID)
                    == ["system.created", "system.created", "system.deleted", "system.updated"])
        }
    }

    @Test("Item 6: a system a cloud service lists is not deleted either (the service would lose it silently); the message names the service",
          arguments: TestDatabases.engines)
    func cloudServiceKeepsSystem(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let me = try #require(try await services.accounts.user(email: "admin@example.jp"))
            let store = TenantStore(services.db, organizationID: orgID)
            let system = try await store.createSystem(SystemProfile(name: "設計部門"), by: Actor(id: me.id, sourceIP: "127.0.0.1"))
            // Linked as the cloud services' table holds it (migration 21), without going through the cloud pages.
            try await services.db.sql.raw("""
                INSERT INTO cloud_services (id, organization_id, ref, name, information, regimes, note, created_by, created_at, updated_at, version)
                VALUES ('svc-1', \(bind: orgID), 'fedramp:FR0000000000', '図面保管クラウド', 'cui', '[]', '', \(bind: me.id), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)
                """).run()
            try await services.db.sql.raw("""
                INSERT INTO cloud_service_systems (service_id, organization_id, system_id) VALUES ('svc-1', \(bind: orgID), \(bind: system.id))
                """).run()
            let refused = try await admin.send(.delete, "/api/v1/organizations/\(orgID)/systems/\(system.id)")
            #expect(refused.status == .conflict)
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("図面保管クラウド") == true)
            let page = try await WebPageTests.page(admin, .get, "/o/\(orgID)/systems/\(system.id)")
            let csrf = try #require(WebPageTests.formToken(page.html))
            let web = try await WebPageTests.page(admin, .post, "/o/\(orgID)/systems/\(system.id)/delete", form: [("csrf", csrf), ("version", "1")])
            #expect(web.status == .conflict && web.html.contains("クラウドサービス（図面保管クラウド）"))
            #expect(try await store.system(id: system.id) != nil)
        }
    }
}
