import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
import TekigoUseCases

/// Reporting readiness (issue 13 item 6) on both engines: the CRUD of certificates, the IR plan, the contact chart and
/// the channels with their audit entries and refusals, need-to-know, the reminders stored once per key at the
/// injected clock, and the panel and its JSON over loopback HTTP in Japanese and English.
@Suite("Reporting readiness", .serialized)
struct ReadinessTests {
    typealias World = IncidentUseCaseTests.World

    func withWorld(_ engine: TestDatabases.Engine, at start: String, _ body: (World) async throws -> Void) async throws {
        try await IncidentUseCaseTests().withWorld(engine, at: start, body)
    }

    func refused<E: Error & Equatable>(_ expected: E, _ body: () async throws -> Void) async {
        await IncidentUseCaseTests().refused(expected, body)
    }

    @Test("DFARS 252.204-7012(c)(3), SP 800-171 03.06.05: certificates, plan, contacts and channels are written and audited, and the checklist follows",
          arguments: TestDatabases.engines)
    func crudWithAudit(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let uc = ReadinessUseCases(w.env, shop), q = ReadinessQueries(w.env, shop)
            let before = try await q.overview()
            #expect(before.checklist.map(\.kind) == [.noCertificateHolder, .noPlan, .noContacts, .noDoDChannel, .noMODContact, .noIncidentTeam])
            #expect(!before.ready && before.canManage && before.canConfigure)

            let c1 = try await uc.addCertificate(CertificateDraft(userID: shop.actor.id, issuer: "ORC ECA", serial: "0A:1B:2C",
                                                                  expiresOn: "2027-12-31"))
            #expect(c1.holderName == "町工場" && c1.userId == shop.actor.id, "a member's display name is the holder's")
            var overview = try await q.overview()
            #expect(overview.checklist.map(\.kind).prefix(5) == [.noPlan, .noContacts, .noDoDChannel, .oneCertificateHolder, .noMODContact],
                    "blocking items first, then warnings")
            let c2 = try await uc.addCertificate(CertificateDraft(holderName: "外部 SOC 山田", issuer: "IdenTrust ECA", fingerprint: "ab12cd34",
                                                                  expiresOn: "2027-01-20"))
            overview = try await q.overview()
            #expect(overview.validHolders == 2)
            #expect(overview.checklist.contains { $0.kind == .certificateExpiring && $0.subject == c2.id }, "45 days left: within 60")
            let renewed = try await uc.updateCertificate(id: c2.id, CertificateDraft(holderName: "外部 SOC 山田", issuer: "IdenTrust ECA",
                                                                                     fingerprint: "ef56", expiresOn: "2029-01-20"), ifVersion: 1)
            #expect(renewed.version == 2 && renewed.createdAt == c2.createdAt)
            await conflict(2) {
                _ = try await uc.updateCertificate(id: c2.id, CertificateDraft(holderName: "x", issuer: "y", serial: "1", expiresOn: "2029-01-01"),
                                                   ifVersion: 1)
            }

            let plan = try await uc.savePlan(PlanDraft(title: "インシデント対応計画", planVersion: "2.1", location: "https://intra.example.jp/irp",
                                                       approvedBy: "社長 鈴木", approvedOn: "2026-04-01", lastReviewedOn: "2026-04-01",
                                                       reviewMonths: 12), ifVersion: 0)
            #expect(plan.version == 1 && plan.fact?.nextReview == Day("2027-04-01"))
            await conflict(1) {
                _ = try await uc.savePlan(PlanDraft(title: "x", planVersion: "1", location: "https://a.example", approvedBy: "a",
                                                    lastReviewedOn: "2026-01-01"), ifVersion: 0)
            }

            for (role, name) in [("internal-responder", "情報システム課 佐藤"), ("it-provider", "株式会社サポート"),
                                 ("customer-security", "元請 CSIRT"), ("contracting-officer", "契約担当官"), ("dc3", "DC3/DCISE")] {
                _ = try await uc.addContact(ContactDraft(role: role, name: name, phone: "03-0000-0000"))
            }
            let contacts = try await q.overview().contacts
            #expect(contacts.map(\.position) == [1, 2, 3, 4, 5])
            let moved = try await uc.updateContact(id: contacts[4].id, ContactDraft(position: 9, role: "dc3", name: "DC3/DCISE",
                                                                                   email: "dc3@example.mil"), ifVersion: 1)
            #expect(moved.position == 9 && moved.phone.isEmpty && moved.email == "dc3@example.mil")
            try await uc.deleteContact(id: contacts[4].id)

            let channels = try await uc.saveChannels(ChannelDraft(dodChannelName: "DC3 reporting portal",
                                                                  dodChannelAddress: "https://dc3.example.mil/report",
                                                                  modContactName: "防衛装備庁 担当窓口", modContactPhone: "03-0000-0001"),
                                                     ifVersion: 0)
            #expect(channels.dodConfigured && channels.modConfigured)
            overview = try await q.overview()
            #expect(overview.checklist.map(\.kind) == [.noIncidentTeam], "only the team note remains")
            #expect(overview.ready)

            try await uc.deleteCertificate(id: c1.id)
            try await uc.deletePlan()
            await #expect(throws: NotFound.self) { try await uc.deletePlan() }
            #expect(try await q.overview().checklist.map(\.kind).prefix(2) == [.noPlan, .oneCertificateHolder])

            let actions = try await w.actions(shop.organizationID).filter { $0.hasPrefix("readiness.") }
            #expect(actions == ["readiness.certificate-added", "readiness.certificate-added", "readiness.certificate-updated",
                                "readiness.plan-saved"] + Array(repeating: "readiness.contact-added", count: 5)
                    + ["readiness.contact-updated", "readiness.contact-deleted", "readiness.channels-saved",
                       "readiness.certificate-deleted", "readiness.plan-deleted"])
        }
    }

    @Test("Readiness input: key material, a missing identifier, bad dates, addresses, intervals, roles and vault files are refused, nothing written",
          arguments: TestDatabases.engines)
    func refusals(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let uc = ReadinessUseCases(w.env, shop)
            await refused(ReadinessError.secretMaterial(field: "serial")) {
                _ = try await uc.addCertificate(CertificateDraft(holderName: "a", issuer: "b", serial: "-----BEGIN PRIVATE KEY-----\nMII", expiresOn: "2027-01-01"))
            }
            await refused(ReadinessError.empty(field: "serial")) {
                _ = try await uc.addCertificate(CertificateDraft(holderName: "a", issuer: "b", expiresOn: "2027-01-01"))
            }
            await refused(ReadinessError.badDate(field: "expiresOn", value: "2027/01/01")) {
                _ = try await uc.addCertificate(CertificateDraft(holderName: "a", issuer: "b", serial: "1", expiresOn: "2027/01/01"))
            }
            await refused(ReadinessError.notAMember("nobody")) {
                _ = try await uc.addCertificate(CertificateDraft(userID: "nobody", issuer: "b", serial: "1", expiresOn: "2027-01-01"))
            }
            await refused(ReadinessError.badReviewMonths(0)) {
                _ = try await uc.savePlan(PlanDraft(title: "p", planVersion: "1", location: "https://a.example", approvedBy: "a",
                                                    lastReviewedOn: "2026-01-01", reviewMonths: 0), ifVersion: 0)
            }
            await refused(ReadinessError.unknownEvidence(String(repeating: "a", count: 64))) {
                _ = try await uc.savePlan(PlanDraft(title: "p", planVersion: "1", evidenceSHA256: String(repeating: "a", count: 64), approvedBy: "a",
                                                    lastReviewedOn: "2026-01-01"), ifVersion: 0)
            }
            await refused(ReadinessError.badAddress(field: "location", value: "javascript:alert(1)")) {
                _ = try await uc.savePlan(PlanDraft(title: "p", planVersion: "1", location: "javascript:alert(1)", approvedBy: "a",
                                                    lastReviewedOn: "2026-01-01"), ifVersion: 0)
            }
            await refused(ReadinessError.unknownRole("boss")) { _ = try await uc.addContact(ContactDraft(role: "boss", name: "x", phone: "1")) }
            await refused(ReadinessError.empty(field: "phone")) { _ = try await uc.addContact(ContactDraft(role: "dc3", name: "x")) }
            await refused(ReadinessError.badAddress(field: "dodChannelAddress", value: "dibnet")) {
                _ = try await uc.saveChannels(ChannelDraft(dodChannelAddress: "dibnet"), ifVersion: 0)
            }
            // A plan kept in the evidence vault is accepted by its SHA-256.
            let file = try await uc.uploadPlanFile(Data("計画書".utf8), filename: "irp.pdf", contentType: "application/pdf")
            let plan = try await uc.savePlan(PlanDraft(title: "p", planVersion: "1", evidenceSHA256: file.sha256, approvedBy: "a",
                                                       lastReviewedOn: "2026-01-01"), ifVersion: 0)
            #expect(plan.evidenceSha256 == file.sha256 && plan.reviewMonths == ReadinessRules.defaultReviewMonths)
            #expect(try await w.actions(shop.organizationID).filter { $0.hasPrefix("readiness.") } == ["readiness.plan-saved"])
            #expect(try await w.actions(shop.organizationID).contains("evidence.uploaded"), "the file went through the evidence vault, audited")
        }
    }

    @Test("Need-to-know (Role.allowsIncidents): a contributor without an incident-team grant is refused; with one manages, but only owners and admins configure channels",
          arguments: TestDatabases.engines)
    func needToKnow(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let contributor = try await w.member(shop, .contributor)
            await refused(IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await ReadinessQueries(w.env, contributor).overview() }
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await ReadinessUseCases(w.env, contributor).addContact(ContactDraft(role: "dc3", name: "x", phone: "1"))
            }
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await ReadinessUseCases(w.env, contributor).uploadPlanFile(Data("x".utf8), filename: "p.pdf", contentType: "application/pdf")
            }
            try await IncidentUseCases(w.env, shop).grantIncidentAccess(userID: contributor.actor.id)
            let o = try await ReadinessQueries(w.env, contributor).overview()
            #expect(o.canManage && !o.canConfigure)
            #expect(!o.checklist.contains { $0.kind == .noIncidentTeam }, "the grant is a team")
            _ = try await ReadinessUseCases(w.env, contributor).addContact(ContactDraft(role: "dc3", name: "x", phone: "1"))
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await ReadinessUseCases(w.env, contributor).saveChannels(ChannelDraft(dodChannelAddress: "https://a.example"), ifVersion: 0)
            }
        }
    }

    @Test("DFARS 252.204-7012(c)(3), 03.06.05: readiness reminders are stored once per key at the injected clock, tighter ones as time passes",
          arguments: TestDatabases.engines)
    func remindersOncePerKey(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2026-12-06T09:00:00+09:00") { w in
            let shop = try await w.org("町工場")
            let reminders = ReminderStore(w.db, organizationID: shop.organizationID, evidenceKey: w.env.evidence.key)
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutReadiness).isEmpty, "nothing recorded: nothing reminded")
            let uc = ReadinessUseCases(w.env, shop)
            let c = try await uc.addCertificate(CertificateDraft(holderName: "佐藤", issuer: "ECA", serial: "01", expiresOn: "2027-02-01"))
            _ = try await uc.savePlan(PlanDraft(title: "p", planVersion: "1", location: "https://a.example", approvedBy: "a",
                                                lastReviewedOn: "2025-12-20"), ifVersion: 0)
            let first = try await reminders.refresh(at: w.clock.now()).filter(\.isAboutReadiness)
            #expect(Set(first.map(\.reminderKey)) == ["readiness/certificate/\(c.id)/2027-02-01/within-60d", "readiness/holders/佐藤",
                                                      "readiness/plan/\(try #require(try await ReadinessStore(w.db, organizationID: shop.organizationID).plan()?.id))/2026-12-20/within-30d"])
            #expect(try await reminders.refresh(at: w.clock.now()).filter(\.isAboutReadiness).isEmpty, "the same keys again: nothing new")
            w.clock.advance(by: 86400 * 20)
            let later = try await reminders.refresh(at: w.clock.now()).filter(\.isAboutReadiness)
            #expect(later.map(\.reminderKey).sorted().first { $0.contains("/plan/") }?.hasSuffix("/overdue") == true)
            w.clock.advance(by: 86400 * 10)
            let month = try await reminders.refresh(at: w.clock.now()).filter(\.isAboutReadiness)
            #expect(month.map(\.reminderKey) == ["readiness/certificate/\(c.id)/2027-02-01/within-30d"])
            #expect(month[0].textJa.contains("佐藤") && month[0].textEn.contains("7012(c)(3)"))
        }
    }

    func conflict(_ current: Int, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a version conflict")
        } catch let e as VersionConflict {
            #expect(e.current == current)
        } catch {
            Issue.record("expected a version conflict, got \(error)")
        }
    }

    // MARK: over HTTP

    static func withServer(_ engine: TestDatabases.Engine, _ body: @escaping @Sendable (any TestClientProtocol, Services) async throws -> Void) async throws {
        try await IncidentPageTests.withServer(engine, clock: SettableClock(ISO8601DateFormatter().date(from: "2026-12-06T00:00:00Z")!), body)
    }

    @Test("The readiness panel renders in Japanese and English at /o/{org}/incidents/readiness, its forms change it (CSRF), the JSON API gives the same checklist, and a contributor without a grant gets 403",
          arguments: TestDatabases.engines)
    func panelAndAPI(_ engine: TestDatabases.Engine) async throws {
        try await Self.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, o) = try await bootstrapAdmin(admin, services: services)
            let url = "/o/\(o)/incidents/readiness"
            for (lang, words) in [("ja", ["報告の準備状況", "不足していること", "DoD 承認の中保証証明書", "連絡体制表", "報告窓口", "DIBNet"]),
                                  ("en", ["Reporting readiness", "What is missing", "medium assurance certificate", "Contact chart",
                                          "Reporting channels", "DIBNet"])] {
                let page = try await IncidentPageTests.get(admin, url, lang)
                #expect(page.status == .ok)
                for word in words { #expect(page.html.contains(word), "\(lang): \(word)") }
                #expect(page.html.contains("<form method=\"post\""), "plain forms, no script needed")
                #expect(page.html.contains("href=\"#certificates\"") && page.html.contains("href=\"/o/\(o)/incidents/settings\""))
            }
            let csrf = try #require(WebPageTests.formToken(try await IncidentPageTests.get(admin, url).html))
            // Without the CSRF field nothing happens.
            let forged = try await IncidentPageTests.post(admin, "\(url)/contacts", [("role", "dc3"), ("name", "x"), ("phone", "1")])
            #expect(forged.status == .forbidden)
            let added = try await IncidentPageTests.post(admin, "\(url)/certificates", [("csrf", csrf), ("user_id", ""), ("holder_name", "田中"),
                                                                                         ("issuer", "ECA"), ("serial", "0A"), ("expires_on", "2027-06-30")])
            #expect(added.status == .seeOther)
            let bad = try await IncidentPageTests.post(admin, "\(url)/certificates", [("csrf", csrf), ("holder_name", "田中"), ("issuer", "ECA"),
                                                                                       ("serial", "-----BEGIN CERTIFICATE-----"), ("expires_on", "2027-06-30")], "en")
            #expect(bad.status == .badRequest && bad.html.contains("never stores those") && bad.html.contains("value=\"田中\""))
            let channels = try await IncidentPageTests.post(admin, "\(url)/channels", [("csrf", csrf), ("version", "0"), ("dod_channel_name", "DC3"),
                                                                                        ("dod_channel_address", "https://dc3.example.mil/report")])
            #expect(channels.status == .seeOther)
            let after = try await IncidentPageTests.get(admin, url)
            #expect(after.html.contains("有効な中保証証明書を持つのは 田中 だけです") && after.html.contains("https://dc3.example.mil/report"))

            let json = try await admin.send(.get, "/api/v1/organizations/\(o)/incident-readiness")
            #expect(json.status == .ok)
            let kinds = (json.json["checklist"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            #expect(kinds == ["no-plan", "no-contacts", "one-certificate-holder", "no-mod-contact", "no-incident-team"])
            // A renewal from the panel: the new expiry day at the version read, everything else kept.
            let certificate = try #require((json.json["certificates"] as? [[String: Any]])?.first)
            let certificateID = try #require(certificate["id"] as? String)
            let renew = try await IncidentPageTests.post(admin, "\(url)/certificates/\(certificateID)/renew",
                                                         [("csrf", csrf), ("version", "1"), ("expires_on", "2029-06-30")])
            #expect(renew.status == .seeOther)
            let stale = try await IncidentPageTests.post(admin, "\(url)/certificates/\(certificateID)/renew",
                                                         [("csrf", csrf), ("version", "1"), ("expires_on", "2030-06-30")], "en")
            #expect(stale.status == .conflict && stale.html.contains("Someone changed this meanwhile"))
            let renewed = try await admin.send(.get, "/api/v1/organizations/\(o)/incident-readiness")
            let after2 = try #require((renewed.json["certificates"] as? [[String: Any]])?.first)
            #expect(after2["expiresOn"] as? String == "2029-06-30" && after2["serial"] as? String == "0A" && after2["version"] as? Int == 2)
            let created = try await admin.send(.post, "/api/v1/organizations/\(o)/incident-readiness/contacts",
                                               json: ["role": "it-provider", "name": "保守会社", "email": "soc@example.jp"])
            #expect(created.status == .created && created.json["position"] as? Int == 1)
            let stalePlan = try await admin.send(.put, "/api/v1/organizations/\(o)/incident-readiness/plan",
                                             json: ["title": "p", "planVersion": "1", "location": "https://a.example", "approvedBy": "a",
                                                    "lastReviewedOn": "2026-01-01", "version": 3])
            #expect(stalePlan.status == .preconditionFailed)
            let invalid = try await admin.send(.post, "/api/v1/organizations/\(o)/incident-readiness/certificates",
                                               json: ["holderName": "a", "issuer": "b", "expiresOn": "2027-01-01"])
            #expect(invalid.status == .badRequest && invalid.json["error"].map { "\($0)" }?.contains("serial") == true)

            // A contributor without an incident-team grant: 403 on the page and the API.
            _ = try await AccountSafetyTests.member(services, o, .contributor, email: "contrib@example.jp")
            let c = Browser(client)
            try await c.login("contrib@example.jp", AccountSafetyTests.password)
            let enrol = try await c.send(.post, "/api/v1/me/mfa")
            let secret = try #require(enrol.json["secret"] as? String)
            _ = try await c.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())])
            let refusedPage = try await IncidentPageTests.get(c, url)
            #expect(refusedPage.status == .forbidden && refusedPage.html.contains("インシデントを閲覧する権限がありません"))
            #expect(try await c.send(.get, "/api/v1/organizations/\(o)/incident-readiness").status == .forbidden)
        }
    }
}
