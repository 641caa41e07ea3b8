import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// The typed request contexts (issue: architecture, item 2): a request inside `/api/v1/organizations/{org}` looks the
/// caller's membership up exactly once (`TenantMiddleware`), and the answers for callers who may not act are the same
/// as on `Services.member` — every API route inside an organization is on `TenantContext` now (organizations,
/// suppliers, attestations, reminders), so the refusals are compared with the bytes `Services.member` gave: status,
/// error code and message, in the order it asked its questions.
@Suite("Tenant context: one membership lookup per request, the same refusals", .serialized)
struct TenantContextTests {
    static let password = AccountSafetyTests.password

    /// An API error body as `ErrorMiddleware` writes it: keys sorted (`code`, `field`, `message`), slashes unescaped.
    static func errorBody(_ code: String, _ message: String, field: String? = nil) -> String {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return "{\"error\":{\"code\":\(quoted(code))" + (field.map { ",\"field\":\(quoted($0))" } ?? "") + ",\"message\":\(quoted(message))}}"
    }

    static func text(_ r: Browser.Reply) -> String { String(decoding: r.body, as: UTF8.self) }

    @Test("Request ids: 12 URL-safe base64 characters (72 random bits), different every time")
    func requestIDs() {
        let ids = (0..<2000).map { _ in AppContext.newRequestID() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(ids.allSatisfy { $0.count == 12 && $0.allSatisfy(alphabet.contains) })
        #expect(Set(ids).count == ids.count)
        // Every position takes many values (no bits left constant by the encoding).
        for i in 0..<12 {
            #expect(Set(ids.map { Array($0)[i] }).count > 40, "position \(i)")
        }
    }

    @Test("Every tenant request makes exactly one membership lookup; signed-in account routes none", arguments: TestDatabases.engines)
    func oneLookupPerRequest(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (_, assessment) = try await WebPageTests.assessment(services, orgID)
            let base = "/api/v1/organizations/\(orgID)"

            /// Sends one request and returns its reply and how many membership lookups it made.
            func counted(_ b: Browser, _ method: HTTPRequest.Method, _ path: String, json: Any? = nil,
                         headers: HTTPFields = [:]) async throws -> (Browser.Reply, Int) {
                let before = services.membershipLookups.value
                let r = try await b.send(method, path, json: json, headers: headers)
                return (r, services.membershipLookups.value - before)
            }

            let calls: [(HTTPRequest.Method, String, Any?, HTTPFields)] = [
                (.get, base, nil, [:]),
                (.get, "\(base)/systems", nil, [:]),
                (.get, "\(base)/assessments/\(assessment.id)/findings", nil, [:]),
                (.put, "\(base)/assessments/\(assessment.id)/findings/3.1.1[a]", ["status": "met", "rationale": "ok"], [:]),
                (.put, "\(base)/assessments/\(assessment.id)/findings/3.1.1[b]", ["status": "met"], [.ifMatch: "\"0\""]),
                (.get, "\(base)/assessments/\(assessment.id)/score", nil, [:]),
                (.get, "\(base)/audit", nil, [:]),
                // Supplier relationships, attestations and keys, reminders and webhooks: the same single lookup.
                (.get, "\(base)/suppliers", nil, [:]),
                (.get, "\(base)/requirements", nil, [:]),
                (.post, "\(base)/supplier-invitations", ["note": "ctx"], [:]),
                (.get, "\(base)/supplier-invitations", nil, [:]),
                (.get, "\(base)/signing-keys", nil, [:]),
                (.get, "\(base)/consents", nil, [:]),
                (.get, "\(base)/attestations", nil, [:]),
                (.get, "\(base)/reminders", nil, [:]),
                (.get, "\(base)/webhooks", nil, [:]),
            ]
            for (method, path, json, headers) in calls {
                let (r, lookups) = try await counted(admin, method, path, json: json, headers: headers)
                #expect(r.status.kind == .successful, "\(method) \(path): \(r.status)")
                #expect(lookups == 1, "\(method) \(path) made \(lookups) membership lookups")
            }

            // An API token's membership comes with the token: still one resolution, no second query.
            let created = try await admin.send(.post, "\(base)/tokens", json: ["name": "ctx", "scope": "read"])
            let machine = Browser(client)
            machine.bearer = try #require(created.json["token"] as? String)
            let (read, tokenLookups) = try await counted(machine, .get, "\(base)/assessments/\(assessment.id)/findings")
            #expect(read.status == .ok && tokenLookups == 1)

            // The signed-in account routes need no membership at all.
            for path in ["/api/v1/me", "/api/v1/organizations"] {
                let (r, lookups) = try await counted(admin, .get, path)
                #expect(r.status == .ok && lookups == 0, "\(path): \(r.status), \(lookups) lookups")
            }
            // A refusal by role is decided without another lookup either.
            _ = try await AccountSafetyTests.member(services, orgID, .viewer, email: "viewer@example.jp")
            let viewer = Browser(client)
            try #require(try await viewer.login("viewer@example.jp", Self.password).status == .ok)
            _ = try await AccountSafetyTests.enrol(viewer)
            let (denied, deniedLookups) = try await counted(viewer, .put, "\(base)/assessments/\(assessment.id)/findings/3.1.1[a]",
                                                            json: ["status": "not-met"])
            #expect(denied.status == .forbidden && denied.errorCode == "forbidden" && deniedLookups == 1)
            for (method, path, json) in [(HTTPRequest.Method.post, "\(base)/supplier-invitations", ["note": "x"] as Any?),
                                         (.post, "\(base)/signing-keys/rotate", nil),
                                         (.get, "\(base)/webhooks", nil)] {
                let (r, lookups) = try await counted(viewer, method, path, json: json)
                #expect(r.status == .forbidden && r.errorCode == "forbidden" && lookups == 1, "viewer \(method) \(path): \(r.status), \(lookups)")
            }
        }
    }

    @Test("Anonymous, half-signed-in, unenrolled, a viewer writing, another tenant: the same answers as before",
          arguments: TestDatabases.engines)
    func sameRefusals(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgA) = try await bootstrapAdmin(admin, services: services)
            let (_, assessment) = try await WebPageTests.assessment(services, orgA)
            let createdB = try await admin.send(.post, "/api/v1/organizations", json: ["name": "Other tenant"])
            let orgB = try #require(createdB.json["id"] as? String)

            /// One route of each collection for `.read` and one for a write (its action named), with a body that would be
            /// refused too: the membership answer comes first, as it did on `Services.member`.
            func routes(_ org: String) -> [(HTTPRequest.Method, String, Any?, TenantAction)] {
                let base = "/api/v1/organizations/\(org)"
                return [(.get, "\(base)/systems", nil, .read),
                        (.patch, base, ["timeZone": "Asia/Tokyo"], .manageOrganization),
                        (.get, "\(base)/suppliers", nil, .read),
                        (.post, "\(base)/supplier-invitations", ["bogus": 1], .manageSuppliers),
                        (.post, "\(base)/customer-invitations/accept", ["token": "nope"], .manageSuppliers),
                        (.put, "\(base)/contracts/none", ["bogus": 1], .manageSuppliers),
                        (.get, "\(base)/attestations", nil, .read),
                        (.post, "\(base)/attestations", ["bogus": 1], .issueAttestations),
                        (.put, "\(base)/consents/none", ["bogus": 1], .manageConsent),
                        (.get, "\(base)/rollup/export?format=bogus", nil, .export),
                        (.get, "\(base)/reminders", nil, .read),
                        (.post, "\(base)/reminders/x%00y/dismiss", nil, .manageSuppliers),
                        (.post, "\(base)/webhooks", ["url": "https://hooks.example.com/x"], .manageOrganization)]
            }
            /// Every route answers `status` with exactly `body(action)`.
            func expectAll(_ b: Browser, _ org: String, _ status: HTTPResponse.Status, _ label: String,
                           _ body: (TenantAction) -> String) async throws {
                for (method, path, json, action) in routes(org) {
                    let r = try await b.send(method, path, json: json)
                    #expect(r.status == status && Self.text(r) == body(action), "\(label) \(method) \(path): \(r.status) \(Self.text(r))")
                }
            }
            func expectSame(_ b: Browser, _ org: String, _ status: HTTPResponse.Status, _ code: String, _ label: String) async throws {
                let message = code == "unauthenticated" ? APIError.unauthenticated.message
                    : code == "mfa_required" ? APIError.mfaRequired.message : "Organization \(org) was not found."
                try await expectAll(b, org, status, label) { _ in Self.errorBody(code, message) }
            }

            // No identity: 401.
            try await expectSame(Browser(client), orgA, .unauthorized, "unauthenticated", "anonymous")
            let anonymousMe = try await Browser(client).send(.get, "/api/v1/me")
            #expect(anonymousMe.status == .unauthorized && anonymousMe.errorCode == "unauthenticated")

            // Password given, second factor still to come: 403 mfa_required, on the account routes too.
            let half = try await AccountSafetyTests.halfOpenSession(client, email: "admin@example.jp")
            try await expectSame(half, orgA, .forbidden, "mfa_required", "half-open session")
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/me"), (.post, "/api/v1/me/mfa"), (.get, "/api/v1/organizations")] {
                let r = try await half.send(method, path)
                #expect(r.status == .forbidden && r.errorCode == "mfa_required", "half-open \(method) \(path): \(r.status)")
            }

            // A member who never enrolled an authenticator: 403 mfa_required inside the organization.
            _ = try await AccountSafetyTests.member(services, orgA, .viewer, email: "viewer@example.jp")
            let viewer = Browser(client)
            try #require(try await viewer.login("viewer@example.jp", Self.password).status == .ok)
            try await expectSame(viewer, orgA, .forbidden, "mfa_required", "unenrolled viewer")
            // Its own account is reachable (to enrol), its list of organizations is not.
            #expect(try await viewer.send(.get, "/api/v1/me").status == .ok)
            let list = try await viewer.send(.get, "/api/v1/organizations")
            #expect(list.status == .forbidden && list.errorCode == "mfa_required")

            // Enrolled: reads pass, a write the role does not allow is 403 forbidden naming role and action.
            _ = try await AccountSafetyTests.enrol(viewer)
            #expect(try await viewer.send(.get, "/api/v1/organizations/\(orgA)/systems").status == .ok)
            let write = try await viewer.send(.put, "/api/v1/organizations/\(orgA)/assessments/\(assessment.id)/findings/3.1.1[a]",
                                              json: ["status": "met"])
            #expect(write.status == .forbidden && write.errorCode == "forbidden")
            #expect((write.json["error"] as? [String: Any])?["message"] as? String
                    == "Your role (viewer) may not editFindings in this organization.")
            // Every write of every collection: 403 naming the role and the action, before the body or parameters are read.
            for (method, path, json, action) in routes(orgA) where !Role.viewer.allows(action) {
                let r = try await viewer.send(method, path, json: json)
                #expect(r.status == .forbidden
                        && Self.text(r) == Self.errorBody("forbidden", "Your role (viewer) may not \(action.rawValue) in this organization."),
                        "viewer \(method) \(path): \(r.status) \(Self.text(r))")
            }

            // Export is the viewer's: the query is checked after the role, and refused naming the parameter.
            let export = try await viewer.send(.get, "/api/v1/organizations/\(orgA)/rollup/export?format=bogus")
            #expect(export.status == .badRequest
                    && Self.text(export) == Self.errorBody("invalid", "format must be csv or xlsx.", field: "format"))

            // Another tenant's organization, and one that does not exist: 404, the same bytes as before.
            try await expectSame(viewer, orgB, .notFound, "not_found", "another tenant")
            try await expectSame(viewer, UUID().uuidString.lowercased(), .notFound, "not_found", "no such organization")
            let other = try await viewer.send(.get, "/api/v1/organizations/\(orgB)/assessments/\(assessment.id)/findings")
            #expect(other.status == .notFound
                    && (other.json["error"] as? [String: Any])?["message"] as? String == "Organization \(orgB) was not found.")
        }
    }

    @Test("API error bodies are byte-stable: the same failing request twice gives the same bytes, keys sorted",
          arguments: TestDatabases.engines)
    func byteStableErrors(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let base = "/api/v1/organizations/\(orgID)"
            let cases: [(Browser, HTTPRequest.Method, String, Any?, HTTPResponse.Status, String)] = [
                (Browser(client), .get, "\(base)/systems", nil, .unauthorized,
                 Self.errorBody("unauthenticated", APIError.unauthenticated.message)),
                (admin, .post, "\(base)/webhooks", ["bogus": 1], .badRequest,
                 Self.errorBody("invalid", "Unknown field 'bogus'. Allowed: url.", field: "bogus")),
                (admin, .post, "\(base)/webhooks", ["url": 5], .badRequest,
                 Self.errorBody("invalid", "The JSON body is not valid: a value has the wrong type", field: "url")),
                (admin, .get, "\(base)/rollup/export?format=bogus", nil, .badRequest,
                 Self.errorBody("invalid", "format must be csv or xlsx.", field: "format")),
                (admin, .get, "/api/v1/organizations/\(orgID)x/suppliers", nil, .notFound,
                 Self.errorBody("not_found", "Organization \(orgID)x was not found.")),
            ]
            for (b, method, path, json, status, expected) in cases {
                let first = try await b.send(method, path, json: json)
                let second = try await b.send(method, path, json: json)
                #expect(first.status == status && second.status == status, "\(method) \(path): \(first.status)")
                #expect(first.body == second.body, "\(method) \(path): \(Self.text(first)) vs \(Self.text(second))")
                #expect(Self.text(first) == expected, "\(method) \(path): \(Self.text(first))")
            }
            // Slashes are not escaped (as in every other API response), and the body is exactly what the type writes.
            let written = ErrorBody(error: .init(code: "mfa_required", message: APIError.mfaRequired.message, field: nil)).jsonBytes
            #expect(String(decoding: written, as: UTF8.self) == Self.errorBody("mfa_required", APIError.mfaRequired.message))
            #expect(String(decoding: written, as: UTF8.self).contains("/api/v1/me/mfa"))
            let decoded = try JSONDecoder().decode(ErrorBody.self, from: Data(written))
            #expect(decoded.error.code == "mfa_required" && decoded.error.field == nil)
        }
    }
}
