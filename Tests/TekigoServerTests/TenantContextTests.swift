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
/// as before — status, error code and message compared with a route still on `Services.member` (`ReminderRoutes`),
/// which asks the same questions in the same order.
@Suite("Tenant context: one membership lookup per request, the same refusals", .serialized)
struct TenantContextTests {
    static let password = AccountSafetyTests.password

    /// The same error body. Compared as JSON, not as bytes: `ErrorMiddleware`'s encoder does not sort keys, so the order
    /// of `code` and `message` differs between any two responses (on every route, before this change too).
    static func sameJSON(_ a: Browser.Reply, _ b: Browser.Reply) -> Bool {
        NSDictionary(dictionary: a.json).isEqual(to: b.json) && !a.json.isEmpty
    }

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

            /// The reply of a route on `TenantContext` and of one still on `Services.member` asking the same action.
            func pair(_ b: Browser, _ new: (HTTPRequest.Method, String, Any?), _ old: (HTTPRequest.Method, String, Any?))
                async throws -> (Browser.Reply, Browser.Reply) {
                (try await b.send(new.0, new.1, json: new.2), try await b.send(old.0, old.1, json: old.2))
            }
            func expectSame(_ b: Browser, _ org: String, _ status: HTTPResponse.Status, _ code: String, _ label: String) async throws {
                let base = "/api/v1/organizations/\(org)"
                // .read: systems vs reminders; .manageOrganization: PATCH the organization vs POST a webhook.
                let reads = try await pair(b, (.get, "\(base)/systems", nil), (.get, "\(base)/reminders", nil))
                let writes = try await pair(b, (.patch, base, ["timeZone": "Asia/Tokyo"]),
                                            (.post, "\(base)/webhooks", ["url": "https://hooks.example.com/x"]))
                for (new, old) in [reads, writes] {
                    #expect(new.status == status && new.errorCode == code, "\(label): \(new.status) \(new.errorCode ?? "-")")
                    #expect(new.status == old.status && Self.sameJSON(new, old),
                            "\(label): \(String(decoding: new.body, as: UTF8.self)) vs \(String(decoding: old.body, as: UTF8.self))")
                }
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
            let patch = try await pair(viewer, (.patch, "/api/v1/organizations/\(orgA)", ["timeZone": "Asia/Tokyo"]),
                                       (.post, "/api/v1/organizations/\(orgA)/webhooks",
                                        ["url": "https://hooks.example.com/x"]))
            #expect(patch.0.status == .forbidden && Self.sameJSON(patch.0, patch.1))

            // Another tenant's organization, and one that does not exist: 404, the same bytes as before.
            try await expectSame(viewer, orgB, .notFound, "not_found", "another tenant")
            try await expectSame(viewer, UUID().uuidString.lowercased(), .notFound, "not_found", "no such organization")
            let other = try await viewer.send(.get, "/api/v1/organizations/\(orgB)/assessments/\(assessment.id)/findings")
            #expect(other.status == .notFound
                    && (other.json["error"] as? [String: Any])?["message"] as? String == "Organization \(orgB) was not found.")
        }
    }
}
