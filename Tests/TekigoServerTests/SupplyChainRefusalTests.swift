import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The supply-chain refusals over HTTP, pinned as the API answered them before the rules moved into the use-case layer
/// (TekigoUseCases/SupplyChain, `SupplyChainRuleError` mapped in SupplyChainErrors.swift): the same status, error code,
/// field and message for each, and the same order of checks where a request breaks several rules.
@Suite("Supply chain refusals over the API: status, field and message unchanged", .serialized)
struct SupplyChainRefusalTests {
    struct Expected {
        let status: HTTPResponse.Status
        let code: String
        let field: String?
        let message: String
    }

    static func check(_ r: Browser.Reply, _ e: Expected, _ what: String) {
        let error = r.json["error"] as? [String: Any] ?? [:]
        #expect(r.status == e.status, "\(what): \(String(decoding: r.body, as: UTF8.self))")
        #expect(error["code"] as? String == e.code, "\(what)")
        #expect(error["field"] as? String == e.field, "\(what)")
        #expect(error["message"] as? String == e.message, "\(what)")
    }

    static func invalid(_ field: String, _ message: String) -> Expected { Expected(status: .badRequest, code: "invalid", field: field, message: message) }
    static func notFound(_ message: String) -> Expected { Expected(status: .notFound, code: "not_found", field: nil, message: message) }

    @Test("Invitations, contracts, requirements, attestations, consent: each refusal as before", arguments: TestDatabases.engines)
    func refusals(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let b = Browser(client)
                let (_, prime) = try await bootstrapAdmin(b, services: services)
                let base = "/api/v1/organizations/\(prime)"
                let created = try await b.send(.post, "/api/v1/organizations", json: ["name": "株式会社テスト精機"])
                let supplier = try #require(created.json["id"] as? String)
                let other = try #require(try await b.send(.post, "/api/v1/organizations", json: ["name": "有限会社ほか工業"]).json["id"] as? String)
                for s in [supplier, other] {
                    let token = try #require(try await b.send(.post, "\(base)/supplier-invitations", json: [:]).json["token"] as? String)
                    try #require(try await b.send(.post, "/api/v1/organizations/\(s)/customer-invitations/accept", json: ["token": token]).status == .created)
                }

                // Invitations: 1–30 days.
                Self.check(try await b.send(.post, "\(base)/supplier-invitations", json: ["expiresInDays": 31]),
                           Self.invalid("expiresInDays", "expiresInDays must be 1–30 (default 7)."), "invitation lifetime")

                // Contracts: designation, then clauses by index; a non-supplier's contracts are not found.
                let contracts = "\(base)/suppliers/\(supplier)/contracts"
                Self.check(try await b.send(.post, contracts, json: ["number": "C-1", "designation": "secret", "clauses": ["nope"]]),
                           Self.invalid("designation", "designation must be one of cui, protected-information, both."), "designation")
                Self.check(try await b.send(.post, contracts, json: ["number": "C-1", "designation": "cui", "clauses": ["dfars-252.204-7012", "nope"]]),
                           Self.invalid("clauses[1]", "Unknown clause 'nope'. Known: "
                                        + ContractClause.allCases.map(\.rawValue).joined(separator: ", ") + "."), "clause")
                Self.check(try await b.send(.get, "\(base)/suppliers/nobody/contracts"), Self.notFound("Supplier nobody was not found."),
                           "contracts of a non-supplier")
                let contract = try await b.send(.post, contracts, json: ["number": "C-1", "designation": "cui", "clauses": ["dfars-252.204-7012"]])
                let contractID = try #require(contract.json["id"] as? String)
                // The terms are checked before If-Match is read.
                Self.check(try await b.send(.put, "\(base)/contracts/\(contractID)", json: ["number": "C-1", "designation": "x", "clauses": []],
                                            headers: [.ifMatch: "not-a-version"]),
                           Self.invalid("designation", "designation must be one of cui, protected-information, both."), "contract update order")

                // Requirements: supplier, catalog, minimum, due date, in that order; the supplier never changes.
                let requirements = "\(base)/requirements"
                Self.check(try await b.send(.post, requirements, json: ["minimum": "bad", "dueOn": "bad", "catalog": "nope"]),
                           Self.invalid("supplierId", "supplierId is required: the supplier the requirement applies to."), "supplier")
                Self.check(try await b.send(.post, requirements, json: ["supplierId": supplier, "minimum": "bad", "dueOn": "bad", "catalog": "nope"]),
                           Self.invalid("catalog", "Unknown catalog 'nope'; use sp800-171r2 or another catalog id from `tekigo catalog list`."),
                           "catalog")
                Self.check(try await b.send(.post, requirements, json: ["supplierId": supplier, "minimum": "sprs>88", "dueOn": "bad"]),
                           Self.invalid("minimum", "minimum must be 'sprs>=N' (N from -203 to 110), 'all-met' or 'cmmc-l2'."), "minimum")
                Self.check(try await b.send(.post, requirements, json: ["supplierId": supplier, "minimum": "all-met", "dueOn": "31/03/2027"]),
                           Self.invalid("dueOn", "dueOn must be a date, YYYY-MM-DD."), "due date")
                let req = try await b.send(.post, requirements, json: ["supplierId": supplier, "minimum": "all-met", "dueOn": "2027-03-31"])
                #expect(req.status == .created && req.headers[.eTag] == "\"1\"")
                let reqID = try #require(req.json["id"] as? String)
                Self.check(try await b.send(.put, "\(requirements)/\(reqID)", json: ["supplierId": other, "minimum": "bad", "dueOn": "bad"],
                                            headers: [.ifMatch: "x"]),
                           Self.invalid("supplierId", "A requirement's supplier cannot change; create a new requirement."), "supplier fixed")
                Self.check(try await b.send(.put, "\(requirements)/\(reqID)", json: ["minimum": "all-met", "dueOn": "2027-04-30"],
                                            headers: [.ifMatch: "x"]),
                           Self.invalid("If-Match", "If-Match must be the ETag you read, e.g. \"3\"."), "If-Match after the terms")
                Self.check(try await b.send(.put, "\(requirements)/nope", json: ["minimum": "all-met", "dueOn": "2027-04-30"]),
                           Self.notFound("requirement nope was not found."), "unknown requirement")

                // Attestations.
                let attestations = "\(base)/attestations"
                Self.check(try await b.send(.post, attestations, json: ["assessmentId": "nope", "detail": "all", "systemScope": " "]),
                           Self.invalid("detail", "detail must be one of summary, families."), "detail")
                Self.check(try await b.send(.post, attestations, json: ["assessmentId": "nope", "systemScope": " "]),
                           Self.invalid("systemScope", "systemScope may not be empty; leave it out to use the system's name."), "scope")
                Self.check(try await b.send(.post, attestations, json: ["assessmentId": "nope"]),
                           Self.invalid("assessmentId", "No assessment nope in this organization."), "assessment")
                Self.check(try await b.send(.get, "\(attestations)/current"),
                           Self.notFound("A current attestation of this organization (issue one with POST …/attestations) was not found."),
                           "no current attestation")
                Self.check(try await b.send(.get, "\(attestations)/nope/export"), Self.notFound("Attestation nope was not found."), "export")
                Self.check(try await b.send(.get, "\(base)/supplier-attestations/\(supplier)"),
                           Self.notFound("A shared attestation of organization \(supplier) was not found."), "not shared")
                Self.check(try await b.send(.get, "\(base)/supplier-attestations/\(supplier)/export"),
                           Self.notFound("A shared attestation of organization \(supplier) was not found."), "not shared (file)")

                // Consent.
                let consents = "/api/v1/organizations/\(supplier)/consents"
                Self.check(try await b.send(.delete, "\(consents)/\(prime)"),
                           Self.notFound("Consent to organization \(prime) was not found."), "nothing to withdraw")
                Self.check(try await b.send(.put, "\(consents)/\(supplier)", json: [:]),
                           Self.invalid("viewer", ConsentErrorText.selfGrant), "self grant")
                let granted = try await b.send(.put, "\(consents)/\(prime)", json: [:])
                #expect(granted.status == .ok && granted.json["onward"] as? Bool == false)
                #expect(try await b.send(.get, "\(base)/supplier-attestations/\(supplier)").status == .notFound)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }
}

enum ConsentErrorText {
    static let selfGrant = "an organization always sees its own attestation; choose one of your customers (or theirs) to share with."
}
