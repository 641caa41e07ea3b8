import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoOSCAL
import TekigoReports
import TekigoStore
import TekigoUseCases

struct OrganizationView: Encodable, Sendable {
    let id: String
    let name: String
    let cageCodes: [String]
    let uei: String?
    let corporateNumber: String?
    /// IANA time zone of the organization's calendar: its "today" (finding dates, due dates, posting checks).
    let timeZone: String
    /// The regime it works under: japanese, us or both (issue 17 item 3).
    let regime: String
    let role: String?

    init(_ o: OrganizationRecord, role: Role?) {
        id = o.id
        name = o.name
        cageCodes = o.cageCodeList
        uei = o.uei
        corporateNumber = o.corporateNumber
        timeZone = o.timeZone
        regime = o.regime.rawValue
        self.role = role?.rawValue
    }
}

struct MemberView: Encodable, Sendable {
    let user: UserView
    let role: String
}

struct SystemView: Encodable, JSONWritable {
    let id: String
    let name: String
    let boundary: String
    let environment: String
    let informationTypes: [String]
    let userCount: Int
    let version: Int

    init(_ s: SystemRecord) {
        id = s.id
        name = s.name
        boundary = s.boundary
        environment = s.environment
        informationTypes = s.informationTypeList
        userCount = s.userCount
        version = s.version
    }

    /// The list of systems is what API clients poll most after the findings: written by hand like them, the same
    /// bytes as `JSONEncoder` (keys sorted; `JSONWritingTests`).
    func writeJSON(to out: inout JSONBytes) {
        out.raw("{")
        out.member("boundary", first: true) { $0.string(boundary) }
        out.member("environment") { $0.string(environment) }
        out.member("id") { $0.string(id) }
        out.member("informationTypes") { o in
            o.raw("[")
            for (i, t) in informationTypes.enumerated() {
                if i > 0 { o.raw(",") }
                o.string(t)
            }
            o.raw("]")
        }
        out.member("name") { $0.string(name) }
        out.member("userCount") { $0.int(userCount) }
        out.member("version") { $0.int(version) }
        out.raw("}")
    }
}

struct AssessmentView: Encodable, Sendable {
    let id: String
    let systemId: String
    let catalog: String
    let date: String
    let kind: String
    let assessor: String
    let version: Int
    /// The date the results were posted; absent until recorded (the CMMC closeout counts from it, 32 CFR 170.21(b)).
    let resultsPostedOn: String?
    /// The previous assessment this one was started from (issue 17 item 4); absent for one started empty.
    let startedFrom: String?

    init(_ a: AssessmentRecord) {
        id = a.id
        systemId = a.systemId
        catalog = a.catalog
        date = a.assessedOn
        kind = a.kind
        assessor = a.assessor
        version = a.version
        resultsPostedOn = a.resultsPostedOn
        startedFrom = a.startedFrom
    }
}

/// One objective's finding. Written by hand (`JSONWritable`): the findings list is the API's largest frequent
/// response. `evidenceJSON` is the stored JSON array of evidence references, written by our own encoder.
struct FindingView: JSONWritable {
    let objective: String
    let requirement: String
    let status: String
    let rationale: String
    let evidenceJSON: String
    let assessedBy: String?
    let assessedOn: String?
    let version: Int
    /// The assessment the answer was carried over from while nobody has confirmed it (issue 17 item 4).
    var carriedOverFrom: String? = nil

    func writeJSON(to out: inout JSONBytes) {
        out.raw("{")
        var first = true
        if let assessedBy { out.member("assessedBy", first: true) { $0.string(assessedBy) }; first = false }
        if let assessedOn { out.member("assessedOn", first: first) { $0.string(assessedOn) }; first = false }
        if let carriedOverFrom { out.member("carriedOverFrom", first: first) { $0.string(carriedOverFrom) }; first = false }
        out.member("evidence", first: first) { $0.json(evidenceJSON.hasPrefix("[") ? evidenceJSON : "[]") }
        out.member("needsReview") { $0.bool(carriedOverFrom != nil) }
        out.member("objective") { $0.string(objective) }
        out.member("rationale") { $0.string(rationale) }
        out.member("requirement") { $0.string(requirement) }
        out.member("status") { $0.string(status) }
        out.member("version") { $0.int(version) }
        out.raw("}")
    }
}

struct TokenView: Encodable, Sendable {
    let id: String
    let name: String
    let scope: String
    let expiresAt: String
    let revoked: Bool
    let createdAt: String
    /// Only in the response that creates it: the token itself is never stored.
    let token: String?
}

struct EvidenceView: Encodable, Sendable {
    let sha256: String
    let size: Int
    let filename: String
    let contentType: String
    let uploadedAt: String
}

struct AuditEntryView: Encodable, Sendable {
    let seq: Int64
    let at: String
    let actor: String
    let sourceIP: String
    let action: String
    let object: String
    let hash: String
}

struct OrganizationBody: StrictBody {
    static let fields: Set<String> = ["name", "cageCodes", "uei", "corporateNumber"]
    let name: String
    let cageCodes: [String]?
    let uei: String?
    let corporateNumber: String?
}

/// `PATCH /api/v1/organizations/{org}`: the settings to change (only those given).
struct OrganizationPatchBody: StrictBody {
    static let fields: Set<String> = ["timeZone", "regime"]
    let timeZone: String?
    let regime: String?
}

struct MemberInvitationBody: StrictBody {
    static let fields: Set<String> = ["email", "role", "expiresInDays"]
    let email: String
    let role: String
    let expiresInDays: Int?
}

struct MemberInvitationView: Encodable, Sendable {
    let id: String
    let email: String
    let role: String
    let expiresAt: String
    /// Only in the answer to the invitation's creation: give it to the person (it is not stored).
    let token: String?
    /// Only in that answer, with a mail server configured: `sent`, `failed` or `pending` (ColleagueRoutes).
    var mail: String?

    init(_ r: MembershipInvitationRecord, token: String?) {
        id = r.id
        email = r.email
        role = r.role
        expiresAt = r.expiresAt
        self.token = token
    }
}

struct MemberBody: StrictBody {
    static let fields: Set<String> = ["email", "role"]
    let email: String
    let role: String
}

struct SystemBody: StrictBody {
    static let fields: Set<String> = ["name", "boundary", "environment", "informationTypes", "userCount"]
    let name: String
    let boundary: String?
    let environment: String?
    let informationTypes: [String]?
    let userCount: Int?
}

struct AssessmentBody: StrictBody {
    static let fields: Set<String> = ["systemId", "catalog", "date", "kind", "assessor", "fromAssessment"]
    /// Required unless `fromAssessment` names the previous assessment (then it is that one's system).
    let systemId: String?
    let catalog: String?
    let date: String
    let kind: String?
    let assessor: String?
    /// A previous assessment of this organization to start from (issue 17 item 4): its answers are copied, marked for review.
    let fromAssessment: String?
}

/// `{"resultsPostedOn": "YYYY-MM-DD"}` records the date, `{"resultsPostedOn": null}` clears it; the member is required.
struct ResultsPostedBody: StrictBody {
    static let fields: Set<String> = ["resultsPostedOn"]
    let resultsPostedOn: String?

    enum CodingKeys: String, CodingKey { case resultsPostedOn }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.resultsPostedOn) else {
            throw DecodingError.keyNotFound(CodingKeys.resultsPostedOn, .init(codingPath: [], debugDescription: "required"))
        }
        resultsPostedOn = try c.decodeNil(forKey: .resultsPostedOn) ? nil : try c.decode(String.self, forKey: .resultsPostedOn)
    }
}

struct FindingBody: StrictBody {
    static let fields: Set<String> = ["status", "rationale", "evidence"]
    let status: String
    let rationale: String?
    let evidence: [EvidenceRef]?
}

struct TokenBody: StrictBody {
    static let fields: Set<String> = ["name", "scope", "expiresInDays"]
    let name: String
    let scope: String
    let expiresInDays: Int?
}

/// Everything inside `/api/v1/organizations/{org}`, and the caller's list of organizations. Inside an organization the
/// routes run on `TenantContext`: `TenantMiddleware` has looked the caller's membership up once for the request, and
/// each handler first checks the action it needs against the role (`context.membership(for:)`), which gives the role
/// and the tenant-scoped store; nothing else reaches tenant data.
struct TenantRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let api = router.group("/api/v1")
        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("/organizations", use: listOrganizations)
        signedIn.post("/organizations", use: createOrganization)
        // One membership lookup per request, by the middleware; each route checks its action against the role.
        let org = api.group("/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("", use: getOrganization)
        org.patch("", use: patchOrganization)
        org.get("/members", use: listMembers)
        org.put("/members", use: putMember)
        org.delete("/members/:user", use: removeMember)
        org.get("/member-invitations", use: listInvitations)
        org.post("/member-invitations", use: createInvitation)
        org.delete("/member-invitations/:invitation", use: revokeInvitation)
        org.post("/member-invitations/:invitation/resend", use: resendInvitation)
        org.put("/members/:user", use: putMemberRole)
        org.post("/members/:user/mfa-reset", use: resetMemberMFA)
        org.get("/systems", use: listSystems)
        org.post("/systems", use: createSystem)
        org.put("/systems/:system", use: updateSystem)
        org.delete("/systems/:system", use: deleteSystem)
        org.get("/assessments", use: listAssessments)
        org.post("/assessments", use: createAssessment)
        org.get("/assessments/:assessment", use: getAssessment)
        org.put("/assessments/:assessment/results-posted", use: putResultsPosted)
        org.get("/assessments/:assessment/findings", use: listFindings)
        org.put("/assessments/:assessment/findings/:objective", use: putFinding)
        org.post("/assessments/:assessment/findings/:objective/confirm", use: confirmFinding)
        org.get("/assessments/:assessment/score", use: score)
        org.get("/assessments/:assessment/export/:document", use: export)
        org.get("/tokens", use: listTokens)
        org.post("/tokens", use: createToken)
        org.delete("/tokens/:token", use: revokeToken)
        org.get("/audit", use: audit)
        org.get("/evidence", use: listEvidence)
        org.post("/evidence", use: uploadEvidence)
        org.get("/evidence/:sha256", use: downloadEvidence)
        org.delete("/evidence/:sha256", use: deleteEvidence)
    }

    // MARK: organizations and members

    func listOrganizations(_ request: Request, context: SignedInContext) async throws -> JSONResponse<Page<OrganizationView>> {
        let identity = try await services.ready(context.identity)
        var orgs = try await AccountUseCases(services.accountEnvironment).organizations(of: identity.user)
        if case .token(_, let t, _) = identity { orgs = orgs.filter { $0.0.id == t.organizationId } }
        return JSONResponse(value: try Page(orgs.map { OrganizationView($0.0, role: $0.1) }, request: request))
    }

    /// Platform administrators create organizations (tenants) and become their owners.
    func createOrganization(_ request: Request, context: SignedInContext) async throws -> JSONResponse<OrganizationView> {
        guard case .session(let user, _) = try await services.ready(context.identity) else { throw AccountError.notPlatformAdmin }
        let b = try await request.decodeStrict(OrganizationBody.self, context: context)
        let org = try await AccountUseCases(services.accountEnvironment).createOrganization(
            by: user, name: b.name, cageCodes: b.cageCodes ?? [], uei: b.uei, corporateNumber: b.corporateNumber, sourceIP: context.sourceIP)
        return JSONResponse(value: OrganizationView(org, role: .owner), status: .created)
    }

    func getOrganization(_ request: Request, context: TenantContext) async throws -> JSONResponse<OrganizationView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: OrganizationView(m.organization, role: m.role))
    }

    /// Owners and administrators change the organization's settings: its time zone (audited).
    func patchOrganization(_ request: Request, context: TenantContext) async throws -> JSONResponse<OrganizationView> {
        let m = try context.membership(for: .manageOrganization)
        let b = try await request.decodeStrict(OrganizationPatchBody.self, context: context)
        var org = m.organization
        if let zone = b.timeZone { org = try await services.organizations(m).setTimeZone(zone) }
        if let regime = b.regime {
            // A change reads the row afresh (time zone included); an unchanged regime hands back the record as it was.
            let after = try await services.organizations(m).setRegime(regime)
            if after != m.organization { org = after }
        }
        return JSONResponse(value: OrganizationView(org, role: m.role))
    }

    func listMembers(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<MemberView>> {
        let m = try context.membership(for: .read)
        let members = try await MembershipUseCases(services.accountEnvironment).members(organizationID: m.organization.id)
        return JSONResponse(value: try Page(members.map { MemberView(user: UserView($0.0), role: $0.1.rawValue) }, request: request))
    }

    /// Changes a member's role (an audited permission change). Someone who is not a member yet is invited
    /// (`POST …/member-invitations`) and joins by accepting.
    func putMember(_ request: Request, context: TenantContext) async throws -> JSONResponse<MemberView> {
        let m = try context.membership(for: .manageMembers)
        let body = try await request.decodeStrict(MemberBody.self, context: context)
        let role = try Self.role(body.role)
        let user = try await Self.setRole(services, m, email: body.email, role: role)
        return JSONResponse(value: MemberView(user: UserView(user), role: role.rawValue))
    }

    static func role(_ raw: String) throws -> Role {
        guard let role = Role(rawValue: raw) else {
            throw APIError.invalid(field: "role", message: "role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).").ja("role は \(Role.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。")
        }
        return role
    }

    /// Removes a member: an owner or admin removes others (only an owner removes an owner), anyone may leave;
    /// never the last owner.
    func removeMember(_ request: Request, context: TenantContext) async throws -> Response {
        let userID = try context.parameters.require("user")
        let own = context.identity.user.id == userID
        let m = try context.membership(for: own ? .read : .manageMembers)
        try await MembershipUseCases(services.accountEnvironment).remove(organizationID: m.organization.id, userID: userID, actorRole: m.role,
                                                                         actor: m.actor)
        return Response(status: .noContent)
    }

    func listInvitations(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<MemberInvitationView>> {
        let m = try context.membership(for: .manageMembers)
        let list = try await MembershipUseCases(services.accountEnvironment).pendingInvitations(organizationID: m.organization.id)
        return JSONResponse(value: try Page(list.map { MemberInvitationView($0, token: nil) }, request: request))
    }

    /// Invites a person by e-mail address with a role: the token is shown once; the person accepts it signed in with
    /// that address (or creates the account with it) — nobody is attached to an organization without accepting.
    func createInvitation(_ request: Request, context: TenantContext) async throws -> JSONResponse<MemberInvitationView> {
        let m = try context.membership(for: .manageMembers)
        let body = try await request.decodeStrict(MemberInvitationBody.self, context: context)
        let (record, token) = try await Self.inviteMember(services, m, email: body.email, role: try Self.role(body.role),
                                                    days: body.expiresInDays ?? 7)
        let mail = await services.mailInvitation(record, token: token, organization: m.organization,
                                                 inviter: context.identity.user.displayName, baseURL: services.baseURL(request),
                                                 actor: m.actor)
        return JSONResponse(value: MemberInvitationView(record, token: token, mail: mail), status: .created)
    }

    /// Shared by the API and the members page.
    static func inviteMember(_ services: Services, _ m: Membership, email: String, role: Role,
                             days: Int) async throws -> (MembershipInvitationRecord, String) {
        try await MembershipUseCases(services.accountEnvironment).invite(organizationID: m.organization.id, email: email, role: role,
                                                                         days: days, actorRole: m.role, actor: m.actor)
    }

    func revokeInvitation(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageMembers)
        try await MembershipUseCases(services.accountEnvironment).revokeInvitation(organizationID: m.organization.id,
                                                                                   id: try context.parameters.require("invitation"),
                                                                                   actor: m.actor)
        return Response(status: .noContent)
    }

    /// Gives an existing user `role` in the organization, audited. Only an owner makes or changes an owner, and
    /// the last owner stays. Shared by the API and the members page.
    static func setRole(_ services: Services, _ m: Membership, email: String, role: Role) async throws -> UserRecord {
        try await MembershipUseCases(services.accountEnvironment).changeRole(organizationID: m.organization.id, email: email, to: role,
                                                                             actorRole: m.role, actor: m.actor)
    }

    // MARK: systems and assessments

    func listSystems(_ request: Request, context: TenantContext) async throws -> WrittenJSONResponse<Page<SystemView>> {
        let m = try context.membership(for: .read)
        return WrittenJSONResponse(value: try Page(try await services.reads(m).systems().map(SystemView.init), request: request))
    }

    func createSystem(_ request: Request, context: TenantContext) async throws -> JSONResponse<SystemView> {
        let m = try context.membership(for: .manageSystems)
        let b = try await request.decodeStrict(SystemBody.self, context: context)
        let r = try await services.assessments(m).createSystem(name: b.name, boundary: b.boundary ?? "", environment: b.environment ?? "",
                                                               informationTypes: b.informationTypes ?? [], userCount: b.userCount ?? 0)
        return JSONResponse(value: SystemView(r), status: .created)
    }

    /// A system's profile replaced (issue 17 item 6); `If-Match` with the version read, 412 on a stale one.
    func updateSystem(_ request: Request, context: TenantContext) async throws -> JSONResponse<SystemView> {
        let m = try context.membership(for: .manageSystems)
        let b = try await request.decodeStrict(SystemBody.self, context: context)
        let r = try await services.assessments(m).updateSystem(id: try context.parameters.require("system"), name: b.name,
                                                               boundary: b.boundary ?? "", environment: b.environment ?? "",
                                                               informationTypes: b.informationTypes ?? [], userCount: b.userCount ?? 0,
                                                               ifVersion: try ifMatch(request))
        return JSONResponse(value: SystemView(r), headers: [.eTag: "\"\(r.version)\""])
    }

    /// A system deleted when no assessment or cloud service uses it (409 naming them otherwise).
    func deleteSystem(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSystems)
        try await services.assessments(m).deleteSystem(id: try context.parameters.require("system"), ifVersion: try ifMatch(request))
        return Response(status: .noContent)
    }

    func listAssessments(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<AssessmentView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await services.reads(m).assessments().map(AssessmentView.init), request: request))
    }

    func createAssessment(_ request: Request, context: TenantContext) async throws -> JSONResponse<AssessmentView> {
        let m = try context.membership(for: .manageAssessments)
        let b = try await request.decodeStrict(AssessmentBody.self, context: context)
        if let from = b.fromAssessment {
            let copy = try await services.assessments(m).createAssessment(from: from, systemID: b.systemId, catalog: b.catalog, date: b.date,
                                                                          kind: b.kind, assessor: b.assessor ?? "")
            return JSONResponse(value: AssessmentView(copy.assessment), status: .created)
        }
        guard let systemID = b.systemId else { throw AssessmentError.noSystemNorPrevious }
        let r = try await services.assessments(m).createAssessment(systemID: systemID, catalog: b.catalog, date: b.date, kind: b.kind,
                                                                   assessor: b.assessor ?? "")
        return JSONResponse(value: AssessmentView(r), status: .created)
    }

    func assessmentRecord(_ m: Membership, _ context: TenantContext) async throws -> AssessmentRecord {
        let id = try context.parameters.require("assessment")
        guard let a = try await services.reads(m).assessment(id: id) else { throw APIError.notFound("Assessment \(id)") }
        return a
    }

    func getAssessment(_ request: Request, context: TenantContext) async throws -> JSONResponse<AssessmentView> {
        let m = try context.membership(for: .read)
        let a = try await assessmentRecord(m, context)
        return JSONResponse(value: AssessmentView(a), headers: [.eTag: "\"\(a.version)\""])
    }

    /// Records or clears the date the results were posted (32 CFR 170.21(b): the POA&M closeout counts from it).
    /// `If-Match` with the assessment's ETag makes the write conditional; a stale one gets 412.
    func putResultsPosted(_ request: Request, context: TenantContext) async throws -> JSONResponse<AssessmentView> {
        let m = try context.membership(for: .manageAssessments)
        let a = try await assessmentRecord(m, context)
        let body = try await request.decodeStrict(ResultsPostedBody.self, context: context)
        let r = try await services.assessments(m).setResultsPosted(a, on: body.resultsPostedOn, ifVersion: try ifMatch(request))
        return JSONResponse(value: AssessmentView(r), headers: [.eTag: "\"\(r.version)\""])
    }

    /// Every objective of the assessment's catalog with its finding (unanswered ones as not-assessed, version 0).
    func listFindings(_ request: Request, context: TenantContext) async throws -> WrittenJSONResponse<Page<FindingView>> {
        let m = try context.membership(for: .read)
        let a = try await assessmentRecord(m, context)
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        // One pass into a dictionary sized up front, the first row of an objective kept (no array of pairs, no merging).
        let rows = try await services.reads(m).findings(assessmentID: a.id)
        var stored = [String: FindingRecord](minimumCapacity: rows.count)
        for f in rows where stored[f.objective] == nil { stored[f.objective] = f }
        var views: [FindingView] = []
        views.reserveCapacity(catalog.objectiveIDs.count)
        for e in catalog.entries {
            for o in e.assessmentObjectives {
                let f = stored[o]
                views.append(FindingView(objective: o, requirement: e.id, status: f?.status ?? FindingStatus.notAssessed.rawValue,
                                         rationale: f?.rationale ?? "", evidenceJSON: f?.evidence ?? "[]",
                                         assessedBy: f?.assessedBy, assessedOn: f?.assessedOn, version: f?.version ?? 0,
                                         carriedOverFrom: f?.carriedOverFrom))
            }
        }
        return WrittenJSONResponse(value: try Page(views, request: request, defaultLimit: 500))
    }

    /// Optimistic concurrency: send `If-Match: "<version>"` (0 for an objective never answered); a stale write
    /// gets 412 with the current version and changes nothing.
    func putFinding(_ request: Request, context: TenantContext) async throws -> WrittenJSONResponse<FindingView> {
        let m = try context.membership(for: .editFindings)
        // Clients that follow RFC 3986 send 3.1.1%5Ba%5D; the router hands the path segment over undecoded.
        let rawObjective = try context.parameters.require("objective")
        let objective = try plainText(rawObjective.removingPercentEncoding ?? rawObjective, field: "objective")
        let body = try await request.decodeStrict(FindingBody.self, context: context)
        // The use case reads the assessment once, as it locks its row (an unknown one is 404 and writes nothing).
        let (r, requirement) = try await services.assessments(m).putFinding(
            assessmentID: try context.parameters.require("assessment"), objective: objective, status: body.status, rationale: body.rationale ?? "", evidence: body.evidence ?? [],
            assessedBy: context.identity.user.displayName, ifVersion: try ifMatch(request))
        return WrittenJSONResponse(value: FindingView(objective: objective, requirement: requirement, status: r.status, rationale: r.rationale,
                                                      evidenceJSON: r.evidence, assessedBy: r.assessedBy, assessedOn: r.assessedOn,
                                                      version: r.version),
                            headers: [.eTag: "\"\(r.version)\""])
    }

    /// Confirms a carried-over answer as it is (issue 17 item 4): the mark goes, the answer stays. An objective not
    /// carried over is returned as it is. `If-Match` as for the PUT.
    func confirmFinding(_ request: Request, context: TenantContext) async throws -> WrittenJSONResponse<FindingView> {
        let m = try context.membership(for: .editFindings)
        let rawObjective = try context.parameters.require("objective")
        let objective = try plainText(rawObjective.removingPercentEncoding ?? rawObjective, field: "objective")
        let assessmentID = try context.parameters.require("assessment")
        let cases = services.assessments(m)
        _ = try await cases.confirmCarriedOver(assessmentID: assessmentID, objective: objective, ifVersion: try ifMatch(request))
        let a = try await assessmentRecord(m, context)
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        let requirement = catalog.entries.first { $0.assessmentObjectives.contains(objective) }?.id ?? ""
        let f = try await services.reads(m).findings(assessmentID: a.id).first { $0.objective == objective }
        let view = FindingView(objective: objective, requirement: requirement, status: f?.status ?? FindingStatus.notAssessed.rawValue,
                               rationale: f?.rationale ?? "", evidenceJSON: f?.evidence ?? "[]", assessedBy: f?.assessedBy,
                               assessedOn: f?.assessedOn, version: f?.version ?? 0, carriedOverFrom: f?.carriedOverFrom)
        return WrittenJSONResponse(value: view, headers: [.eTag: "\"\(view.version)\""])
    }

    func report(_ m: Membership, _ context: TenantContext, draftLanguage: Language = .en) async throws -> AssessmentReport {
        let a = try await assessmentRecord(m, context)
        return try AssessmentReport(try await services.reads(m).load(a),
                                    library: services.library, draftLanguage: draftLanguage)
    }

    func score(_ request: Request, context: TenantContext) async throws -> JSONResponse<ScoreSummary> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: ScoreSummary(try await report(m, context)))
    }

    /// `?format=oscal|md|html|csv|xlsx&lang=ja|en`; served as an attachment.
    func export(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .export)
        guard let document = ExportDocument(rawValue: try context.parameters.require("document")) else {
            throw APIError.notFound("Export document")
        }
        let q = request.uri.queryParameters
        guard let format = ExportFormat(rawValue: q["format"].map(String.init) ?? "md") else {
            throw APIError.invalid(field: "format", message: "format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).").ja("format は \(ExportFormat.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。")
        }
        let lang = Language(rawValue: q["lang"].map(String.init) ?? "ja") ?? .ja
        var r = try await report(m, context, draftLanguage: lang)
        // `guidance=1`: the SSP with Tekigo's guidance (md, html, csv, xlsx; OSCAL carries none).
        if q["guidance"] == "1" {
            guard document.takesGuidance(in: format) else {
                throw APIError.invalid(field: "guidance", message: "guidance=1 applies to the SSP in md, html, csv or xlsx only.").ja("guidance=1 は SSP の md・html・csv・xlsx にだけ使えます。")
            }
            r.guidance = try GuidanceLibrary.builtIn
        }
        let leveraged = document == .ssp && format == .oscal
            ? try await ResponsibilityUseCases(services.tenantEnvironment, m.scope).leveragedServices(assessmentID: try await assessmentRecord(m, context).id) : []
        let file = try ExportFile.make(document, format, report: r, language: lang, leveraged: leveraged,
                                       regime: try await services.organizations(m).regimeInEffect())  // issue 17 item 3
        return Response(status: .ok, headers: [.contentType: file.contentType,
                                               .contentDisposition: "attachment; filename=\"\(file.filename)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    // MARK: tokens

    func listTokens(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<TokenView>> {
        let m = try context.membership(for: .manageTokens)
        let tokens = try await TokenUseCases(services.accountEnvironment).list(organizationID: m.organization.id)
        return JSONResponse(value: try Page(tokens.map {
            TokenView(id: $0.id, name: $0.name, scope: $0.scope, expiresAt: $0.expiresAt, revoked: $0.revokedAt != nil,
                      createdAt: $0.createdAt, token: nil)
        }, request: request))
    }

    /// A machine credential: random, shown once, stored as a SHA-256 digest, scoped, expiring (≤ 365 days).
    func createToken(_ request: Request, context: TenantContext) async throws -> JSONResponse<TokenView> {
        let m = try context.membership(for: .manageTokens)
        guard case .session(let user, _) = context.identity else { throw TokenError.sessionOnly }
        let b = try await request.decodeStrict(TokenBody.self, context: context)
        return JSONResponse(value: try await Self.createToken(services, m, user: user, name: b.name, scope: b.scope,
                                                              days: b.expiresInDays ?? 90), status: .created)
    }

    /// Shared by the API and the tokens page.
    static func createToken(_ services: Services, _ m: Membership, user: UserRecord, name: String, scope: String,
                            days: Int) async throws -> TokenView {
        let (rec, token) = try await TokenUseCases(services.accountEnvironment).create(organizationID: m.organization.id, user: user,
                                                                                       name: name, scope: scope, days: days, actor: m.actor)
        return TokenView(id: rec.id, name: rec.name, scope: rec.scope, expiresAt: rec.expiresAt, revoked: false,
                         createdAt: rec.createdAt, token: token)
    }

    func revokeToken(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageTokens)
        try await Self.revokeToken(services, m, id: try context.parameters.require("token"))
        return Response(status: .noContent)
    }

    static func revokeToken(_ services: Services, _ m: Membership, id: String) async throws {
        try await TokenUseCases(services.accountEnvironment).revoke(organizationID: m.organization.id, id: id, actor: m.actor)
    }

    // MARK: audit

    func audit(_ request: Request, context: TenantContext) async throws -> JSONResponse<[AuditEntryView]> {
        let m = try context.membership(for: .readAudit)
        let limit = try Page<AuditEntryView>.int(request.uri.queryParameters["limit"].map(String.init), "limit", default: 100, range: 1...1000)
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await AuditQueries(db: services.db).entries(of: m.scope, limit: limit, before: before, actionPrefix: "", actor: "")
        return JSONResponse(value: entries.map {
            AuditEntryView(seq: $0.seq, at: $0.at, actor: $0.actor, sourceIP: $0.sourceIP, action: $0.action, object: $0.object, hash: $0.hash)
        })
    }

    // MARK: evidence

    func listEvidence(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<EvidenceView>> {
        let m = try context.membership(for: .read)
        let list = try await services.evidence.list(organizationID: m.organization.id)
        return JSONResponse(value: try Page(list.map(Self.view), request: request))
    }

    static func view(_ r: EvidenceRecord) -> EvidenceView {
        EvidenceView(sha256: r.sha256, size: r.size, filename: r.filename, contentType: r.contentType, uploadedAt: r.uploadedAt)
    }

    /// The raw file is the body; its name comes from `?filename=` (sanitised, never used as a path).
    func uploadEvidence(_ request: Request, context: TenantContext) async throws -> JSONResponse<EvidenceView> {
        let m = try context.membership(for: .uploadEvidence)
        let limit = services.evidence.maxSize
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw APIError.tooLarge(limit: limit) }
        let record = try await services.evidenceUseCases(m).upload(Data(buffer: buffer),
                                                                   filename: request.uri.queryParameters["filename"].map(String.init) ?? "evidence",
                                                                   contentType: request.headers[.contentType] ?? "application/octet-stream")
        return JSONResponse(value: Self.view(record), status: .created)
    }

    /// Served only as an attachment, with its own type sniffing disabled.
    func downloadEvidence(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let sha = try context.parameters.require("sha256")
        do {
            let (record, data) = try await services.evidence.get(organizationID: m.organization.id, sha256: sha)
            let ascii = String(record.filename.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
            let encoded = record.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "evidence"
            return Response(status: .ok, headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
                .xContentTypeOptions: "nosniff",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch EvidenceError.notFound {
            throw APIError.notFound("Evidence \(sha)")
        }
    }

    /// Refused while a finding references the file.
    func deleteEvidence(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .deleteEvidence)
        try await services.evidenceUseCases(m).delete(sha256: try context.parameters.require("sha256"))
        return Response(status: .noContent)
    }
}
