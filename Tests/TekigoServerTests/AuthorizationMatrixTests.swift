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

/// Every route under `/api/v1/organizations` × every role × own tenant / other tenant, against the role matrix
/// (`Role.allows`). Tenant isolation (SP 800-171 3.1.1, 3.1.5): another tenant's organization is `404 not_found` for
/// everyone, indistinguishable from one that does not exist, and nothing of it is returned or changed.
@Suite("Authorization matrix: every tenant route × role × tenant", .serialized)
struct AuthorizationMatrixTests {
    @Test("Routes × roles × tenants: exactly the allowed set succeeds; other tenants are 404; tokens scoped; anonymous 401",
          arguments: TestDatabases.engines)
    func matrix(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in try await Self.run(client: client, services: services, engine: engine) }
        } catch {
            // Close the pool even when a step throws: an unclosed pool traps in its deinit and hides the real error.
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    static func run(client: any TestClientProtocol, services: Services, engine: TestDatabases.Engine) async throws {
        let fixture = try await Fixture.make(client: client, services: services)
        let before = try await Snapshot.take(services.db, organizationID: fixture.b.id)

        var failures: [String] = []
        var allowedCount = 0
        var checked = 0
        let routes = MatrixRoute.all(spareEmail: Fixture.spareEmail)
        for (caller, browser) in fixture.callers {
            for route in routes {
                for aim in route.aims {
                    let target = fixture.target(aim)
                    let call = try await route.build(target, services)
                    let reply = try await browser.send(route.method, call.path, raw: call.body, headers: call.headers)
                    let expected = route.expectation(caller, aim)
                    if case .allowed = expected { allowedCount += 1 }
                    checked += 1
                    let where_ = "\(route.name) as \(caller) on \(aim) [\(engine)]"
                    failures += Self.check(reply, expected, route: route, where_: where_, fixture: fixture, aim: aim)

                    // Another tenant's organization must look exactly like one that does not exist.
                    if aim == .otherTenant {
                        let ghost = Target(org: Fixture.ghostOrg, objects: fixture.b, fresh: false)
                        let ghostCall = try await route.build(ghost, services)
                        let g = try await browser.send(route.method, ghostCall.path, raw: ghostCall.body, headers: ghostCall.headers)
                        let seen = Self.normalizedError(reply, org: fixture.b.id)
                        let none = Self.normalizedError(g, org: Fixture.ghostOrg)
                        if seen != none {
                            failures.append("\(where_): the reply differs from a nonexistent organization's — \(seen) vs \(none)")
                        }
                    }
                }
            }
        }

        // The one route no tenant role grants: creating organizations is for platform administrators only.
        let created = try await fixture.platformAdmin.send(.post, "/api/v1/organizations",
                                                           raw: Self.json(["name": "Platform-created org"]),
                                                           headers: [.contentType: "application/json"])
        if created.status != .created {
            failures.append("POST /api/v1/organizations as platform admin [\(engine)]: expected 201, got \(created.status.code)")
        }

        let after = try await Snapshot.take(services.db, organizationID: fixture.b.id)
        if before != after {
            let changed = Set(before.values.keys).union(after.values.keys).sorted()
                .filter { before.values[$0] != after.values[$0] }
                .map { "\($0) \(before.values[$0].map(String.init) ?? "-") → \(after.values[$0].map(String.init) ?? "-")" }
            failures.append("[\(engine)] organization B changed during the matrix: \(changed.joined(separator: ", "))")
        }
        let chain = try await AuditLog(services.db).verify()
        if !chain.isIntact { failures.append("[\(engine)] the audit chain is broken after the matrix") }

        for f in failures { Issue.record(Comment(rawValue: f)) }
        // The matrix must really have exercised both sides.
        #expect(checked > 400, "only \(checked) requests were checked [\(engine)]")
        #expect(allowedCount > 100, "only \(allowedCount) allowed requests [\(engine)]")
    }

    // MARK: checking one reply

    static func check(_ reply: Browser.Reply, _ expected: Expectation, route: MatrixRoute, where_: String, fixture: Fixture,
                      aim: Aim) -> [String] {
        var out: [String] = []
        let text = String(decoding: reply.body, as: UTF8.self)
        let got = "\(reply.status.code) \(reply.errorCode ?? "-"): \(text.prefix(300))"
        switch expected {
        case .allowed:
            if let status = route.allowedStatus {
                if reply.status != status { out.append("\(where_): expected \(status.code) (allowed), got \(got)") }
            } else if reply.status.kind != .successful {
                out.append("\(where_): expected 2xx (allowed), got \(got)")
            }
            if reply.status.kind == .successful, route.name == "GET /api/v1/organizations" {
                let ids = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                if ids != [fixture.a.id] { out.append("\(where_): expected exactly organization A listed, got \(ids)") }
            }
        case .denied(let status, let code):
            if reply.status != status || reply.errorCode != code {
                out.append("\(where_): expected \(status.code) \(code), got \(got)")
            }
        }
        // Nothing of organization B may come back to members of A, whatever the status.
        var secrets = [Fixture.secretMarker]
        if aim == .otherTenant {
            // Here the paths name B's objects, yet the 404 names only the organization: none of them may be echoed.
            secrets += [fixture.b.systemID, fixture.b.assessmentID, fixture.b.evidenceSHA, fixture.b.citedSHA, fixture.b.tokenID]
        }
        for s in secrets where text.contains(s) {
            out.append("\(where_): the reply contains organization B's data '\(s)': \(text.prefix(300))")
        }
        return out
    }

    static func normalizedError(_ r: Browser.Reply, org: String) -> String {
        let message = ((r.json["error"] as? [String: Any])?["message"] as? String ?? "").replacingOccurrences(of: org, with: "{org}")
        return "\(r.status.code) \(r.errorCode ?? "-") \(message)"
    }

    static func json(_ object: [String: Any]) -> Data { try! JSONSerialization.data(withJSONObject: object) }
}

// MARK: - the route table (mirrors TenantRoutes.register)

/// What a route asks `Services` for before it does anything.
enum Requirement: Sendable {
    /// Any signed-in, ready identity (`Services.ready`).
    case signedIn
    /// A platform administrator's session.
    case platformAdmin
    /// The membership `TenantMiddleware` resolves, checked by the handler: `TenantContext.membership(for: action)`.
    case tenant(TenantAction)
}

/// Where a request is aimed.
enum Aim: String, Sendable, CustomStringConvertible {
    /// Organization A (the caller's) and A's objects.
    case ownTenant = "own tenant (A)"
    /// Organization B (the caller is no member of it) and B's objects.
    case otherTenant = "other tenant (B)"
    /// Organization A in the path, but B's object ids (or a body naming B's system).
    case foreignObject = "own tenant (A) with B's object ids"
    var description: String { rawValue }
}

/// Who calls. Every caller here belongs to organization A only.
enum Caller: Sendable, CustomStringConvertible {
    case member(Role)
    /// An API token of organization A, issued by A's owner (the platform admin, who is also B's owner: so the
    /// token's own binding, not the user's memberships, is what keeps it out of B).
    case token(scope: String)
    case anonymous

    var description: String {
        switch self {
        case .member(let r): return "role \(r.rawValue) (session)"
        case .token(let s): return "\(s)-scope API token of A (issued by an owner of A and B)"
        case .anonymous: return "no identity"
        }
    }
}

enum Expectation: Sendable {
    case allowed
    case denied(HTTPResponse.Status, String)
}

struct Target: Sendable {
    /// The organization named in the path.
    let org: String
    /// Whose object ids the request names.
    let objects: Fixture.Tenant
    /// Destructive routes get throwaway objects (own tenant only), so each allowed call can succeed.
    let fresh: Bool
}

struct Call: Sendable {
    let path: String
    var body: Data?
    var headers: HTTPFields = [:]

    static func json(_ path: String, _ object: [String: Any]) -> Call {
        Call(path: path, body: try! JSONSerialization.data(withJSONObject: object), headers: [.contentType: "application/json"])
    }
}

struct MatrixRoute: Sendable {
    let method: HTTPRequest.Method
    let template: String
    let requirement: Requirement
    /// Refuses API tokens even when their scope and role allow (`createToken` needs a signed-in session).
    var sessionOnly = false
    /// For a deliberately conflicting request: the status an allowed caller gets instead of 2xx.
    var allowedStatus: HTTPResponse.Status?
    /// The path or body names an object, so it is also tried with B's object ids under A; what an allowed caller
    /// gets then (nil: not tried).
    var foreignObject: Expectation?
    let build: @Sendable (Target, Services) async throws -> Call

    var name: String { "\(method.rawValue) /api/v1\(template)" }

    var aims: [Aim] {
        switch requirement {
        case .signedIn, .platformAdmin: return [.ownTenant]
        case .tenant: return foreignObject == nil ? [.ownTenant, .otherTenant] : [.ownTenant, .otherTenant, .foreignObject]
        }
    }

    /// The expected outcome, from the role matrix and the order of checks in `AuthMiddleware`, `TenantMiddleware` and
    /// `TenantContext.membership(for:)`.
    func expectation(_ caller: Caller, _ aim: Aim) -> Expectation {
        let forbidden = Expectation.denied(.forbidden, "forbidden")
        let role: Role
        switch caller {
        case .anonymous:
            return .denied(.unauthorized, "unauthenticated")
        case .token(let scope):
            // A read-only token's writes are refused by the middleware before any route runs (revealing nothing).
            if scope == "read", method != .get { return forbidden }
            role = .owner
        case .member(let r):
            role = r
        }
        switch requirement {
        case .signedIn:
            return .allowed
        case .platformAdmin:
            return forbidden
        case .tenant(let action):
            if aim == .otherTenant { return .denied(.notFound, "not_found") }
            if case .token(let scope) = caller, scope == "read", ![.read, .export, .readAudit].contains(action) { return forbidden }
            guard role.allows(action) else { return forbidden }
            if sessionOnly, case .token = caller { return forbidden }
            if aim == .foreignObject { return foreignObject! }
            return .allowed
        }
    }

    static let notFound = Expectation.denied(.notFound, "not_found")

    /// Every route of `TenantRoutes.register`, with the action its handler asks for.
    static func all(spareEmail: String) -> [MatrixRoute] {
        let v1 = "/api/v1/organizations"
        return [
            MatrixRoute(method: .get, template: "/organizations", requirement: .signedIn) { _, _ in Call(path: v1) },
            MatrixRoute(method: .post, template: "/organizations", requirement: .platformAdmin) { _, _ in
                .json(v1, ["name": "Org \(UUID().uuidString)"])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)")
            },
            MatrixRoute(method: .patch, template: "/organizations/{org}", requirement: .tenant(.manageOrganization)) { t, _ in
                .json("\(v1)/\(t.org)", ["timeZone": "Asia/Tokyo"])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/members", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/members")
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/members", requirement: .tenant(.manageMembers)) { t, _ in
                .json("\(v1)/\(t.org)/members", ["email": spareEmail, "role": "viewer"])
            },
            // Colleagues (ColleagueRoutes): a member's role by id, resetting a member's authenticator, re-sending an invitation.
            MatrixRoute(method: .put, template: "/organizations/{org}/members/{user}", requirement: .tenant(.manageMembers)) { t, services in
                let spare = try #require(try await services.accounts.user(email: spareEmail))
                return .json("\(v1)/\(t.org)/members/\(spare.id)", ["role": "viewer"])
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/members/{user}/mfa-reset",
                        requirement: .tenant(.manageMembers)) { t, services in
                let spare = try #require(try await services.accounts.user(email: spareEmail))
                return Call(path: "\(v1)/\(t.org)/members/\(spare.id)/mfa-reset")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/member-invitations/{invitation}/resend",
                        requirement: .tenant(.manageMembers)) { t, services in
                var id = UUID().uuidString.lowercased()
                if t.fresh {
                    // A throwaway invitation to send again, so every allowed caller re-sends an open one.
                    id = try await MembershipUseCases(services.accountEnvironment).invite(
                        organizationID: t.org, email: "invitee-\(UUID().uuidString.prefix(8))@example.jp", role: .viewer, days: 7,
                        actorRole: .owner, actor: Actor(id: t.objects.ownerID, sourceIP: "127.0.0.1")).invitation.id
                }
                return Call(path: "\(v1)/\(t.org)/member-invitations/\(id)/resend")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/systems", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/systems")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/systems", requirement: .tenant(.manageSystems)) { t, _ in
                .json("\(v1)/\(t.org)/systems", ["name": "System \(UUID().uuidString)", "userCount": 3])
            },
            // Issue 17 item 6: a system changed, and deleted (a throwaway one nothing uses, so each allowed caller has one).
            MatrixRoute(method: .put, template: "/organizations/{org}/systems/{system}", requirement: .tenant(.manageSystems),
                        foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/systems/\(t.objects.systemID)", ["name": "Plant system \(UUID().uuidString.prefix(8))", "userCount": 12])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/systems/{system}", requirement: .tenant(.manageSystems),
                        foreignObject: notFound) { t, services in
                var id = t.objects.systemID
                if t.fresh {
                    id = try await TenantStore(services.db, organizationID: t.org)
                        .createSystem(SystemProfile(name: "Spare \(UUID().uuidString.prefix(8))"),
                                      by: Actor(id: t.objects.ownerID, sourceIP: "127.0.0.1")).id
                }
                return Call(path: "\(v1)/\(t.org)/systems/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/assessments", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/assessments", requirement: .tenant(.manageAssessments),
                        foreignObject: .denied(.badRequest, "invalid")) { t, _ in
                .json("\(v1)/\(t.org)/assessments", ["systemId": t.objects.systemID, "date": "2026-11-27", "kind": "basic"])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/assessments/{assessment}", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)")
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/assessments/{assessment}/results-posted",
                        requirement: .tenant(.manageAssessments), foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/results-posted", ["resultsPostedOn": "2026-11-28"])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/assessments/{assessment}/findings", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/findings")
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/assessments/{assessment}/findings/{objective}",
                        requirement: .tenant(.editFindings), foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/findings/3.1.1[a]",
                      ["status": "met", "rationale": "Only authorized accounts"])
            },
            // Issue 17 item 4: confirming a carried-over answer (an objective not carried over is returned unchanged).
            MatrixRoute(method: .post, template: "/organizations/{org}/assessments/{assessment}/findings/{objective}/confirm",
                        requirement: .tenant(.editFindings), foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/findings/3.1.1[b]/confirm")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/assessments/{assessment}/score", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/score")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/assessments/{assessment}/export/{document}",
                        requirement: .tenant(.export), foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/assessments/\(t.objects.assessmentID)/export/ssp?format=md&lang=en")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/tokens", requirement: .tenant(.manageTokens)) { t, _ in
                Call(path: "\(v1)/\(t.org)/tokens")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/tokens", requirement: .tenant(.manageTokens),
                        sessionOnly: true) { t, _ in
                .json("\(v1)/\(t.org)/tokens", ["name": "matrix", "scope": "read", "expiresInDays": 1])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/tokens/{token}", requirement: .tenant(.manageTokens),
                        foreignObject: notFound) { t, services in
                var id = t.objects.tokenID
                if t.fresh {
                    // A throwaway token to revoke, so every allowed caller revokes a live one.
                    id = UUID().uuidString.lowercased()
                    try await services.accounts.createAPIToken(APITokenRecord(
                        id: id, organizationId: t.org, userId: t.objects.ownerID, name: "throwaway",
                        tokenHash: SecureRandom.sha256Hex("tkg_" + SecureRandom.token()), scope: "read",
                        expiresAt: Timestamp.string(Date().addingTimeInterval(86400)), revokedAt: nil, createdAt: Timestamp.now()))
                }
                return Call(path: "\(v1)/\(t.org)/tokens/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/audit", requirement: .tenant(.readAudit)) { t, _ in
                Call(path: "\(v1)/\(t.org)/audit")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/evidence", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/evidence")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/evidence", requirement: .tenant(.uploadEvidence)) { t, _ in
                Call(path: "\(v1)/\(t.org)/evidence?filename=matrix.txt", body: Data("matrix upload \(UUID().uuidString)".utf8),
                     headers: [.contentType: "text/plain"])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/evidence/{sha256}", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/evidence/\(t.objects.evidenceSHA)")
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/evidence/{sha256}", requirement: .tenant(.deleteEvidence),
                        foreignObject: notFound) { t, services in
                var sha = t.objects.evidenceSHA
                if t.fresh {
                    sha = try await services.evidence.put(organizationID: t.org, data: Data("throwaway \(UUID().uuidString)".utf8),
                                                          filename: "throwaway.txt", contentType: "text/plain",
                                                          uploadedBy: t.objects.ownerID).sha256
                }
                return Call(path: "\(v1)/\(t.org)/evidence/\(sha)")
            },
            // The same route on evidence a finding cites: authorization first (403 / 404), then the conflict.
            MatrixRoute(method: .delete, template: "/organizations/{org}/evidence/{sha256} (cited by a finding)",
                        requirement: .tenant(.deleteEvidence), allowedStatus: .conflict, foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/evidence/\(t.objects.citedSHA)")
            },
        ] + supplyChain(v1)
    }
}

// MARK: - fixture

/// Organization A (the callers' own) and organization B (another tenant), each with a system, an assessment with
/// findings, evidence (one file cited by a finding) and an API token; one signed-in browser per role.
struct Fixture {
    struct Tenant: Sendable {
        let id: String
        let ownerID: String
        let systemID: String
        let assessmentID: String
        let evidenceSHA: String
        let citedSHA: String
        let tokenID: String
        /// A supplier, a customer, and the supply-chain objects between them (AuthorizationMatrix+SupplyChain.swift).
        let chain: ChainObjects
    }

    static let password = "matrix horse battery staple 9"
    static let spareEmail = "spare@example.jp"
    /// Appears in every name and file of organization B, so any leak of B's data into a reply is visible.
    static let secretMarker = "ZETA-SECRET"
    static let ghostOrg = UUID().uuidString.lowercased()

    let a: Tenant
    let b: Tenant
    let platformAdmin: Browser
    let callers: [(Caller, Browser)]

    func target(_ aim: Aim) -> Target {
        switch aim {
        case .ownTenant: return Target(org: a.id, objects: a, fresh: true)
        case .otherTenant: return Target(org: b.id, objects: b, fresh: false)
        case .foreignObject: return Target(org: a.id, objects: b, fresh: false)
        }
    }

    static func make(client: any TestClientProtocol, services: Services) async throws -> Fixture {
        let admin = Browser(client)
        let (_, orgA) = try await bootstrapAdmin(admin, services: services)
        let adminID = try #require(try await admin.send(.get, "/api/v1/me").json["id"] as? String)

        let createdB = try await admin.send(.post, "/api/v1/organizations", raw: AuthorizationMatrixTests.json([
            "name": "\(secretMarker) Industries", "cageCodes": ["ZZZZ9"]]), headers: [.contentType: "application/json"])
        try #require(createdB.status == .created, "creating organization B: \(createdB.status)")
        let orgB = try #require(createdB.json["id"] as? String)

        let a = try await populate(admin, services: services, org: orgA, ownerID: adminID, label: "Alpha")
        let b = try await populate(admin, services: services, org: orgB, ownerID: adminID, label: secretMarker)

        // One user per role, members of A only; the hash is computed once (bcrypt is deliberately slow).
        let accounts = AccountStore(services.db)
        let hash = try await PasswordHasher.hash(password)
        var callers: [(Caller, Browser)] = []
        for role in Role.allCases {
            let email = "matrix-\(role.rawValue)@example.jp"
            let user = try await accounts.createUser(email: email, displayName: "Matrix \(role.rawValue)", passwordHash: hash,
                                                     platformAdmin: false)
            try await accounts.setMembership(userID: user.id, organizationID: orgA, role: role)
            let browser = Browser(client)
            let login = try await browser.login(email, password)
            try #require(login.status == .ok, "sign-in as \(role): \(login.status)")
            if role.requiresMFA {
                // Privileged roles act only with MFA enrolled (SP 800-171 3.5.3): enrol through the API.
                let enrol = try await browser.send(.post, "/api/v1/me/mfa")
                let secret = try #require(enrol.json["secret"] as? String)
                let confirm = try await browser.send(.post, "/api/v1/me/mfa/confirm", raw: AuthorizationMatrixTests.json(
                    ["code": currentTOTP(secret)]), headers: [.contentType: "application/json"])
                try #require(confirm.status == .ok, "MFA enrolment for \(role): \(confirm.status)")
            }
            callers.append((.member(role), browser))
        }
        // The user whose membership PUT /members changes.
        let spare = try await accounts.createUser(email: spareEmail, displayName: "Spare", passwordHash: hash, platformAdmin: false)
        try await accounts.setMembership(userID: spare.id, organizationID: orgA, role: .viewer)

        for scope in ["read", "write"] {
            let t = try await admin.send(.post, "/api/v1/organizations/\(orgA)/tokens", raw: AuthorizationMatrixTests.json(
                ["name": "matrix-\(scope)", "scope": scope, "expiresInDays": 1]), headers: [.contentType: "application/json"])
            try #require(t.status == .created, "token \(scope): \(t.status)")
            let machine = Browser(client)
            machine.bearer = try #require(t.json["token"] as? String)
            callers.append((.token(scope: scope), machine))
        }
        callers.append((.anonymous, Browser(client)))
        return Fixture(a: a, b: b, platformAdmin: admin, callers: callers)
    }

    /// A system, an assessment with two findings (one citing evidence), two evidence files and a token.
    static func populate(_ admin: Browser, services: Services, org: String, ownerID: String, label: String) async throws -> Tenant {
        let base = "/api/v1/organizations/\(org)"
        let jsonHeaders: HTTPFields = [.contentType: "application/json"]
        func post(_ path: String, _ object: [String: Any]) async throws -> [String: Any] {
            let r = try await admin.send(.post, base + path, raw: AuthorizationMatrixTests.json(object), headers: jsonHeaders)
            try #require(r.status == .created, "populating \(label): POST \(path) → \(r.status)")
            return r.json
        }
        let systemID = try #require(try await post("/systems", ["name": "\(label) plant system", "userCount": 12])["id"] as? String)
        let assessmentID = try #require(try await post("/assessments", ["systemId": systemID, "date": "2026-11-27"])["id"] as? String)
        func upload(_ name: String) async throws -> String {
            let r = try await admin.send(.post, "\(base)/evidence?filename=\(name)", raw: Data("\(label) evidence \(name)".utf8),
                                         headers: [.contentType: "text/plain"])
            try #require(r.status == .created, "populating \(label): upload \(name) → \(r.status)")
            return try #require(r.json["sha256"] as? String)
        }
        let evidenceSHA = try await upload("\(label)-policy.txt")
        let citedSHA = try await upload("\(label)-cited.txt")
        for (objective, evidence) in [("3.1.1[a]", nil), ("3.1.1[b]", citedSHA)] as [(String, String?)] {
            var body: [String: Any] = ["status": "met", "rationale": "\(label) rationale"]
            if let evidence { body["evidence"] = [["location": "\(label)-cited.txt", "sha256": evidence]] }
            let r = try await admin.send(.put, "\(base)/assessments/\(assessmentID)/findings/\(objective)",
                                         raw: AuthorizationMatrixTests.json(body), headers: jsonHeaders)
            try #require(r.status == .ok, "populating \(label): finding \(objective) → \(r.status)")
        }
        let tokenID = try #require(try await post("/tokens", ["name": "\(label) token", "scope": "write"])["id"] as? String)
        return Tenant(id: org, ownerID: ownerID, systemID: systemID, assessmentID: assessmentID, evidenceSHA: evidenceSHA,
                      citedSHA: citedSHA, tokenID: tokenID,
                      chain: try await ChainObjects.populate(services: services, org: org, ownerID: ownerID, assessmentID: assessmentID,
                                                                 label: label))
    }
}

/// Organization B as stored: row counts and version sums of everything a route could change.
struct Snapshot: Equatable {
    let values: [String: Int]

    static func take(_ db: TekigoDatabase, organizationID id: String) async throws -> Snapshot {
        var v: [String: Int] = [:]
        func scalar(_ key: String, _ q: SQLQueryString) async throws {
            v[key] = try await db.sql.raw(q).first()?.decode(column: "n", as: Int.self) ?? -1
        }
        for table in ["systems", "assessments", "findings"] {
            try await scalar("\(table).rows", "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(unsafeRaw: table) WHERE organization_id = \(bind: id)")
            try await scalar("\(table).versions",
                             "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM \(unsafeRaw: table) WHERE organization_id = \(bind: id)")
        }
        for (table, column) in [("supplier_links", "customer_id"), ("supplier_invitations", "customer_id"), ("contracts", "customer_id"),
                                ("flow_down_requirements", "customer_id"), ("attestations", "organization_id"),
                                ("consent_grants", "supplier_id"), ("organization_keys", "organization_id"),
                                ("webhooks", "organization_id"), ("reminders", "organization_id")] {
            try await scalar("\(table).rows",
                             "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: id)")
        }
        for table in ["evidence", "memberships", "api_tokens", "audit_log", "poam_items"] {
            try await scalar("\(table).rows", "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(unsafeRaw: table) WHERE organization_id = \(bind: id)")
        }
        try await scalar("api_tokens.revoked",
                         "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM api_tokens WHERE organization_id = \(bind: id) AND revoked_at IS NOT NULL")
        try await scalar("organizations.version", "SELECT CAST(version AS BIGINT) AS n FROM organizations WHERE id = \(bind: id)")
        return Snapshot(values: v)
    }
}
