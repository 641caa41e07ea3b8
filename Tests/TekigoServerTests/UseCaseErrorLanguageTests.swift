import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoTestSupport
import TekigoUseCases
@testable import TekigoServer

/// Issue 17 item 6, "no English in Japanese mode … API error messages for people": the remaining refusals of the
/// catalog store, the official-wording import, the organization, second-factor reset, job, reminder, webhook and
/// incident store are worded in Japanese too (`BilingualError`), keeping the names, ids and numbers the English shows;
/// the API answers them in Japanese for Accept-Language ja with the same status and code, and in English as before
/// without it.
@Suite("Issue 17 item 6: use-case and store refusals in Japanese")
struct UseCaseErrorLanguageTests {
    static func isJapanese(_ text: String) -> Bool { UseCaseErrorLanguageCheck.isJapanese(text) }
    static func englishProse(_ text: String) -> String? { UseCaseErrorLanguageCheck.englishProse(text) }

    /// Each refusal's Japanese: has kana or kanji, is not the English, has no English prose, keeps `kept`; English
    /// is `description`.
    static func check(_ error: any BilingualError & CustomStringConvertible, keeps kept: [String] = [],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let ja = error.message(in: .ja)
        #expect(error.message(in: .en) == error.description, sourceLocation: sourceLocation)
        #expect(isJapanese(ja) && ja != error.description, "\(error)", sourceLocation: sourceLocation)
        #expect(englishProse(ja) == nil, "\(ja)", sourceLocation: sourceLocation)
        for k in kept { #expect(ja.contains(k), "\(k) in \(ja)", sourceLocation: sourceLocation) }
    }

    @Test("Issue 17 item 6: every case of OfficialTextCoverageError, OfficialWordingImportError, OrganizationError, SecondFactorResetError, JobError, ReminderError and IncidentStoreError in Japanese, keeping ids and numbers; not-found cases say only what the API's 404 says")
    func everyCase() {
        let missing = (1...10).map { String(format: "03.01.%02d", $0) }
        Self.check(OfficialTextCoverageError.incomplete(catalog: .sp800171r3, missing: missing, total: 97),
                   keeps: ["sp800-171r3", "97 項目", "10 項目", "03.01.01", "03.01.08", "…"])
        #expect(!OfficialTextCoverageError.incomplete(catalog: .sp800171r3, missing: missing, total: 97).message(in: .ja).contains("03.01.09"))
        Self.check(OfficialWordingImportError.partialWithoutEarlierImport(catalog: .sp800171r3, file: "cprt_sample.json", covered: 1,
                                                                         missing: ["03.01.02", "03.01.03"], total: 97),
                   keeps: ["cprt_sample.json", "sp800-171r3", "97 件", "1 件", "2 件", "03.01.02", "03.01.03", "OSCAL", "CPRT"])

        Self.check(OrganizationError.unknownTimeZone("Mars/Olympus"), keeps: ["'Mars/Olympus'", "Asia/Tokyo", "IANA"])
        Self.check(OrganizationError.notAllowed, keeps: ["所有者", "管理者"])
        Self.check(OrganizationError.organizationGone)
        // The API answers it 404 "The organization was not found.": the Japanese says that, and nothing more.
        #expect(OrganizationError.organizationGone.message(in: .ja) == "組織が見つかりません。")
        #expect(OrganizationError.organizationGone.apiError?.message == "The organization was not found.")

        Self.check(SecondFactorResetError.ownAccount, keeps: ["認証アプリ", "設定"])
        Self.check(SecondFactorResetError.notAMember, keeps: ["見つかりません"])
        #expect(SecondFactorResetError.notAMember.apiError?.status == .notFound)
        Self.check(SecondFactorResetError.notAllowed, keeps: ["所有者", "管理者"])
        Self.check(SecondFactorResetError.onlyOwnerResetsOwner, keeps: ["所有者"])
        Self.check(SecondFactorResetError.platformAdministrator, keeps: ["`tekigo admin reset-mfa`"])
        Self.check(SecondFactorResetError.memberElsewhere, keeps: ["ほかの組織", "`tekigo admin reset-mfa`"])

        Self.check(JobError.notPlatformAdmin, keeps: ["プラットフォーム管理者", "カタログ"])
        Self.check(JobError.unsealable)

        Self.check(ReminderError.tooManyWebhooks(limit: 20), keeps: ["20 件", "Webhook"])
        Self.check(ReminderError.secretUnreadable(webhook: "wh-7f3a"), keeps: ["wh-7f3a", "evidence.key", "TEKIGO_EVIDENCE_KEY"])

        Self.check(IncidentStoreError.corruptRow("incident/inc-42"), keeps: ["incident/inc-42", "バックアップ"])
    }

    @Test("Issue 17 item 6: WebhookError — every reason ReminderUseCases.validatedURL gives, and every refusal of the server's address policy, in Japanese with the host, address and option kept",
          arguments: ["", "ftp://example.com/x", "http://example.com/hook", "https://user:pw@example.com/h", "https:///nohost",
                      "https://example.com/h#frag", "not a url", "https://example.com/" + String(repeating: "a", count: 2100)])
    func webhookURLForm(_ url: String) throws {
        do {
            _ = try ReminderUseCases.validatedURL(url)
            Issue.record("\(url) was accepted")
        } catch {
            Self.check(error, keeps: ["Webhook", "https://", "127.0.0.1"])
            if url.hasPrefix("ftp") { #expect(error.message(in: .ja).contains("スキーム 'ftp'")) }
            if url.count > 2000 { #expect(error.message(in: .ja).contains("\(ReminderUseCases.maxURLLength) バイト")) }
        }
    }

    @Test("Issue 17 item 6: WebhookError.addressRefused (the address policy's reasons) and notAllowed in Japanese")
    func webhookAddress() async throws {
        let table: @Sendable (String) async throws -> [IPAddress] = { host in
            switch host {
            case "intranet.example": return [IPAddress("10.1.2.3")!]
            case "nowhere.example": return []
            case "public.example": return [IPAddress("203.0.113.10")!]
            default: throw UseCaseErrorLanguageCheck.Unresolved(host: host)
            }
        }
        let policy = WebhookAddressPolicy(resolve: table)
        let expected: [(String, [String])] = [
            ("https://intranet.example/h", ["10.1.2.3", "tekigo serve --webhook-allow-network 10.0.0.0/8"]),
            ("https://10.0.0.5/h", ["tekigo serve --webhook-allow-network 10.0.0.0/8"]),
            ("https://nowhere.example/h", ["アドレスがありません"]),
            ("http://public.example/h", ["public.example", "203.0.113.10", "https://"]),
        ]
        for (url, kept) in expected {
            do {
                try await policy.check(url)
                Issue.record("\(url) passed")
            } catch {
                // As ReminderUseCases.createWebhook wraps it.
                let refused = WebhookError.addressRefused("\(error)")
                Self.check(refused, keeps: kept)
            }
        }
        // The resolver's own words (getaddrinfo's, not Tekigo's) are kept inside the Japanese sentence.
        do {
            try await policy.check("https://unknown.example/h")
            Issue.record("unknown.example passed")
        } catch {
            let ja = WebhookError.addressRefused("\(error)").message(in: .ja)
            #expect(ja == "Webhook の URL は受け付けられません: ホスト名を名前解決できません（Name or service not known: unknown.example）。", "\(ja)")
        }
        Self.check(WebhookError.notAllowed(.manageSuppliers), keeps: ["リマインダー", "所有者"])
        Self.check(WebhookError.notAllowed(.manageOrganization), keeps: ["Webhook", "所有者"])
    }

    @Test("Issue 17 item 6: CatalogTextRefused — each refusal of the catalog store, on every engine, names the file, mapping or element in Japanese",
          arguments: TestDatabases.engines)
    func catalogStoreRefusals(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let store = SQLCatalogStore(db)
        func refusal(_ body: () async throws -> Void) async -> CatalogTextRefused? {
            do { try await body(); return nil } catch { return error as? CatalogTextRefused }
        }
        func catalog(_ statement: String) -> ImportedCatalog {
            ImportedCatalog(catalog: "acme", title: "T", version: "1", oscalVersion: "1.1.3",
                            families: [Family(id: "g", abbr: "g", title: LocalizedText("G"))],
                            texts: [OfficialText(catalog: "acme", entryID: "x-1", oscalID: "x-1", title: "X", statement: statement, guidance: "",
                                                 objectives: [], methods: [], parameters: [], family: "g", parent: nil, sortOrder: 0)])
        }
        let nulStatement = await refusal {
            try await store.save(catalog("a\u{0}b"), sourceFile: "acme.json", sourceData: Data(), warningCount: 0)
        }
        let statement = try #require(nulStatement)
        Self.check(statement, keeps: ["acme.json", "'x-1'", "U+0000"])
        #expect(statement.message(in: .ja) == "acme.json の管理策 'x-1' の要件文に\(ImportText.problemJA)。")

        let nulRationale = Mapping(from: EntryRef(catalog: .sp800171r2, id: "3.1.1"), to: EntryRef(catalog: .sp80053r5, id: "AC-2"),
                                   relation: .subset, provenance: .imported, rationale: "why\u{0}")
        let replaced = try #require(await refusal { try await store.replaceMappings([nulRationale], sourceFile: "m.csv") })
        Self.check(replaced, keeps: ["m.csv", nulRationale.from.description, nulRationale.to.description, "U+0000"])

        let own = Mapping(from: EntryRef(catalog: "acme", id: "x-1"), to: EntryRef(catalog: .sp800171r2, id: "3.1.1"),
                          relation: .subset, provenance: .imported, rationale: "r\u{0}")
        let withMapping = try #require(await refusal {
            try await store.save(catalog("ok"), mappings: [own], sourceFile: "table.csv", sourceData: Data(), audit: nil)
        })
        Self.check(withMapping, keeps: ["table.csv", own.from.description, "U+0000"])
        let foreign = Mapping(from: EntryRef(catalog: .sp800171r2, id: "3.1.1"), to: EntryRef(catalog: .sp80053r5, id: "AC-2"),
                              relation: .subset, provenance: .imported, rationale: nil)
        let notFromIt = try #require(await refusal {
            try await store.save(catalog("ok"), mappings: [foreign], sourceFile: "table.csv", sourceData: Data(), audit: nil)
        })
        Self.check(notFromIt, keeps: ["table.csv", "acme"])
        #expect(try await store.imports().isEmpty)
        await db.close()
    }

    static let japanese: HTTPFields = [.contentType: "application/json", .acceptLanguage: "ja-JP,ja;q=0.9,en;q=0.5"]
    static let english: HTTPFields = [.contentType: "application/json"]

    static func error(_ reply: Browser.Reply) -> (code: String?, field: String?, message: String) {
        let e = reply.json["error"] as? [String: Any]
        return (e?["code"] as? String, e?["field"] as? String, (e?["message"] as? String) ?? "")
    }

    @Test("Issue 17 item 6: POST /api/v1/catalogs/imports with a broken catalog file answers in Japanese for Accept-Language ja (same 400, code and field; the file, line and column kept) and in English exactly as before without it; an owner who is not a platform administrator is refused (403) in Japanese too",
          arguments: TestDatabases.engines)
    func catalogImportOverAPI(_ engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            // A CPRT export cut off in its second element, and an OSCAL catalog missing a control's title.
            let cut = Data("{\"elements\": [\n  {\"element_identifier\": \"03.01.01\", \"element_type\": \"requirement\"},\n  {\"element_identifier\": \"0".utf8)
            let expected = try #require(try UseCaseErrorLanguageCheck.refusal(cut, file: "cut.json"))
            let ja = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cut.json", raw: cut, headers: Self.japanese)
            let en = try await admin.send(.post, "/api/v1/catalogs/imports?filename=cut.json", raw: cut, headers: Self.english)
            #expect(ja.status == .badRequest && en.status == .badRequest)
            #expect(Self.error(ja).code == "invalid" && Self.error(en).code == "invalid")
            #expect(Self.error(ja).field == "file" && Self.error(en).field == "file")
            #expect(Self.error(ja).message == expected.message(in: .ja), "\(Self.error(ja).message)")
            #expect(Self.error(ja).message.hasPrefix("cut.json は 3 行 ") && Self.error(ja).message.contains("（elements[1] の中）"),
                    "\(Self.error(ja).message)")
            #expect(Self.error(en).message == expected.description, "\(Self.error(en).message)")
            #expect(Self.error(en).message.hasPrefix("cut.json: not valid JSON at line 3, column "))

            let meta = #""metadata": {"title": "Example", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}"#
            let noTitle = Data(#"{"catalog": {"uuid": "u", \#(meta), "groups": [{"title": "G", "controls": [{"id": "x-1"}]}]}}"#.utf8)
            let structure = try await admin.send(.post, "/api/v1/catalogs/imports?filename=no-title.json", raw: noTitle, headers: Self.japanese)
            #expect(structure.status == .badRequest && Self.error(structure).code == "invalid")
            #expect(Self.error(structure).message.hasPrefix("no-title.json の catalog.groups[0].controls[0] で必須の項目 'title' がありません"),
                    "\(Self.error(structure).message)")
            #expect(try await CatalogUseCases(db: services.db).imports().isEmpty, "nothing stored")

            // Not a platform administrator: the same 403 and code in both languages.
            _ = try await AccountSafetyTests.member(services, orgID, .owner, email: "owner-ja@example.jp")
            let owner = Browser(client)
            try await owner.login("owner-ja@example.jp", AccountSafetyTests.password)
            _ = try await AccountSafetyTests.enrol(owner)
            let byOwner = try await owner.send(.post, "/api/v1/catalogs/imports?filename=cut.json", raw: cut, headers: Self.japanese)
            let byOwnerEn = try await owner.send(.post, "/api/v1/catalogs/imports?filename=cut.json", raw: cut, headers: Self.english)
            #expect(byOwner.status == .forbidden && byOwnerEn.status == .forbidden)
            #expect(Self.error(byOwner).code == "forbidden" && Self.error(byOwnerEn).code == "forbidden")
            #expect(Self.error(byOwner).message == JobError.notPlatformAdmin.message(in: .ja), "\(Self.error(byOwner).message)")
            #expect(Self.error(byOwnerEn).message == JobError.notPlatformAdmin.description)
        }
    }
}

/// Shared by the checks above: kana/kanji, English prose, and a catalog file's refusal as the readers give it.
enum UseCaseErrorLanguageCheck {
    struct Unresolved: Error, CustomStringConvertible {
        let host: String
        var description: String { "Name or service not known: \(host)" }
    }

    static func isJapanese(_ text: String) -> Bool { JapaneseText.isJapanese(text) }

    /// Three ASCII words in a row (single spaces) once quoted literals ('…', `…`) are taken out: English prose.
    static func englishProse(_ text: String) -> String? { JapaneseText.englishProse(text) }

    static func refusal(_ data: Data, file: String) throws -> CatalogImportError? {
        let library = try BuiltInLibrary.catalogsOnly
        do { _ = try CatalogFileImporter.read(data, file: file, library: library); return nil } catch {
            return (error as Any) as? CatalogImportError
        }
    }
}
