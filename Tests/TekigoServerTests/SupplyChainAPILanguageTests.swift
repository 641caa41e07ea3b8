import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases
@testable import TekigoServer

/// Issue 17 item 6 over HTTP: the supply-chain refusals (`SupplyChainError`, `SupplyChainRuleError`,
/// `RelationshipError`, `ConsentError`) answer in Japanese for `Accept-Language: ja`, with the same status, code and
/// field as without the header; without it the message is the English one, as before.
@Suite("Supply-chain refusals over the API in the request's language (issue 17 item 6)", .serialized)
struct SupplyChainAPILanguageTests {
    static let japanese: HTTPFields = [.acceptLanguage: "ja-JP,ja;q=0.9,en;q=0.5"]

    struct Answer {
        let status: HTTPResponse.Status
        let code: String?
        let field: String?
        let message: String

        init(_ r: Browser.Reply) {
            let error = r.json["error"] as? [String: Any] ?? [:]
            status = r.status
            code = error["code"] as? String
            field = error["field"] as? String
            message = error["message"] as? String ?? ""
        }
    }

    /// Sends the same request in Japanese and without a language; checks both answers and returns them.
    @discardableResult
    static func both(_ b: Browser, _ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, status: HTTPResponse.Status,
                     ja: String, en: String, _ what: String) async throws -> (ja: Answer, en: Answer) {
        let j = Answer(try await b.send(method, uri, json: json, headers: Self.japanese))
        let e = Answer(try await b.send(method, uri, json: json))
        #expect(j.status == status && e.status == status, "\(what): \(j.status) / \(e.status)")
        #expect(j.code != nil && j.code == e.code && j.field == e.field, "\(what): \(String(describing: j.code)) \(String(describing: e.code))")
        #expect(j.message == ja, "\(what): \(j.message)")
        #expect(APIErrorLanguageTests.isJapanese(j.message) && !APIErrorLanguageTests.isJapanese(e.message), "\(what)")
        #expect(e.message == en, "\(what): \(e.message)")
        return (j, e)
    }

    @Test("Issue 17 item 6: a CMMC level without its clause, an unknown supplier, a duplicate contract, one's own invitation, a future assessment on the preview page, consent to oneself, to an unknown and to an unrelated organization — Japanese for ja, English as before, same status and code",
          arguments: TestDatabases.engines)
    func refusals(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let b = Browser(client)
                let (_, prime) = try await bootstrapAdmin(b, services: services)
                let base = "/api/v1/organizations/\(prime)"
                let supplier = try #require(try await b.send(.post, "/api/v1/organizations", json: ["name": "株式会社テスト精機"]).json["id"] as? String)
                let outsider = try #require(try await b.send(.post, "/api/v1/organizations", json: ["name": "有限会社よそ工業"]).json["id"] as? String)
                let token = try #require(try await b.send(.post, "\(base)/supplier-invitations", json: [:]).json["token"] as? String)
                try #require(try await b.send(.post, "/api/v1/organizations/\(supplier)/customer-invitations/accept",
                                              json: ["token": token]).status == .created)

                // SupplyChainError: a CMMC level without the CMMC clause (DFARS 252.204-7021).
                let contracts = "\(base)/suppliers/\(supplier)/contracts"
                let levelOnly = SupplyChainError.cmmcLevelWithoutClause(contract: "W56-KGZ-26-C-0042", level: 2)
                try await Self.both(b, .post, contracts,
                                    json: ["number": "W56-KGZ-26-C-0042", "designation": "cui", "clauses": ["dfars-252.204-7012"], "cmmcLevel": 2],
                                    status: .badRequest, ja: levelOnly.message(in: .ja), en: levelOnly.description, "CMMC level without clause")

                // RelationshipError, saving twice: the same contract number again on the same link.
                let first = try await b.send(.post, contracts, json: ["number": "W56-KGZ-26-C-0043", "designation": "cui",
                                                                      "clauses": ["dfars-252.204-7012"]])
                #expect(first.status == .created)
                let twice = RelationshipError.duplicateContractNumber("W56-KGZ-26-C-0043")
                try await Self.both(b, .post, contracts, json: ["number": "W56-KGZ-26-C-0043", "designation": "cui", "clauses": ["dfars-252.204-7012"]],
                                    status: .conflict, ja: twice.message(in: .ja), en: twice.description, "duplicate contract number")

                // A flow-down requirement for an organization that is not a supplier (another organization's id):
                // 404, the API's English not-found as before, the store's refusal in Japanese.
                let notLinked = RelationshipError.notLinked(supplier: outsider)
                let requirement = try await Self.both(b, .post, "\(base)/requirements",
                                                      json: ["supplierId": outsider, "minimum": "all-met", "dueOn": "2027-03-31"],
                                                      status: .notFound, ja: notLinked.message(in: .ja), en: "Supplier \(outsider) was not found.",
                                                      "requirement for a non-supplier")
                #expect(requirement.ja.code == "not_found" && requirement.ja.message.contains(outsider))

                // SupplyChainRuleError's not-found: the contracts of an organization that is not a supplier.
                try await Self.both(b, .get, "\(base)/suppliers/no-such-supplier/contracts", status: .notFound,
                                    ja: "サプライヤー no-such-supplier が見つかりません。", en: "Supplier no-such-supplier was not found.",
                                    "contracts of a non-supplier")
                // SupplyChainRuleError, invalid: an unknown catalog, the field named in both.
                let catalog = SupplyChainRuleError.unknownCatalog("iso27001")
                let unknownCatalog = try await Self.both(b, .post, "\(base)/requirements",
                                                         json: ["supplierId": supplier, "catalog": "iso27001", "minimum": "all-met", "dueOn": "2027-03-31"],
                                                         status: .badRequest, ja: catalog.message(in: .ja), en: catalog.description, "unknown catalog")
                #expect(unknownCatalog.ja.field == "catalog")

                // RelationshipError: accepting one's own invitation.
                let own = try #require(try await b.send(.post, "\(base)/supplier-invitations", json: [:]).json["token"] as? String)
                try await Self.both(b, .post, "\(base)/customer-invitations/accept", json: ["token": own], status: .badRequest,
                                    ja: RelationshipError.ownInvitation.message(in: .ja), en: RelationshipError.ownInvitation.description,
                                    "own invitation")

                // The attestation preview page shows a SupplyChainError in the page's language: an assessment dated
                // in the future cannot be attested yet (issuedBeforeAssessment).
                let system = try await b.send(.post, "/api/v1/organizations/\(supplier)/systems", json: ["name": "本社ネットワーク"])
                let future = try await b.send(.post, "/api/v1/organizations/\(supplier)/assessments",
                                              json: ["systemId": try #require(system.json["id"] as? String), "date": "2099-01-01"])
                let futureID = try #require(future.json["id"] as? String, "\(String(decoding: future.body, as: UTF8.self))")
                let preview = PageRoute.attestationPreview(org: supplier).path + "?assessment=\(futureID)&detail=summary&scope="
                let jaPage = try await WebPageTests.page(b, .get, preview, language: "ja")
                #expect(jaPage.status == .badRequest && jaPage.html.contains("この評価からは証明書を作れません"))
                #expect(jaPage.html.contains("が評価日（2099-01-01）より前です") && !jaPage.html.contains("assessment date"), "\(jaPage.html)")
                let enPage = try await WebPageTests.page(b, .get, preview, language: "en")
                #expect(enPage.status == .badRequest && enPage.html.contains("before its assessment date (2099-01-01)"))

                // ConsentError: to oneself; to an unknown id and to an organization outside the supply chain — the two
                // read alike in both languages, so the API never confirms that an organization exists.
                let consents = "/api/v1/organizations/\(supplier)/consents"
                try await Self.both(b, .put, "\(consents)/\(supplier)", json: [:], status: .badRequest,
                                    ja: ConsentError.selfGrant.message(in: .ja), en: ConsentError.selfGrant.description, "consent to oneself")
                let unknown = try await Self.both(b, .put, "\(consents)/no-such-org", json: [:], status: .badRequest,
                                                  ja: ConsentError.notUpstream(viewer: "no-such-org").message(in: .ja),
                                                  en: ConsentError.notUpstream(viewer: "no-such-org").description, "consent to an unknown id")
                let unrelated = try await Self.both(b, .put, "\(consents)/\(outsider)", json: [:], status: .badRequest,
                                                    ja: ConsentError.notUpstream(viewer: outsider).message(in: .ja),
                                                    en: ConsentError.notUpstream(viewer: outsider).description, "consent outside the chain")
                #expect(unknown.ja.message.replacingOccurrences(of: "no-such-org", with: "X")
                        == unrelated.ja.message.replacingOccurrences(of: outsider, with: "X"))
                #expect(unknown.en.message.replacingOccurrences(of: "no-such-org", with: "X")
                        == unrelated.en.message.replacingOccurrences(of: outsider, with: "X"))
                #expect(unknown.ja.field == "viewer" && unrelated.ja.field == "viewer")
                // Nothing was granted by any of these.
                let grants = try await b.send(.get, consents)
                let items = try #require(grants.json["items"] as? [Any], "\(String(decoding: grants.body, as: UTF8.self))")
                #expect(grants.status == .ok && items.isEmpty)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }
}
