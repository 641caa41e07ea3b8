import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct ReadinessItemView: Encodable, Sendable {
    let kind: String
    let area: String
    let severity: String
    let text: ExerciseTextView
    let source: String
    let subject: String?

    init(_ i: ReadinessItem) {
        kind = i.kind.rawValue
        area = i.kind.area.rawValue
        severity = i.severity.rawValue
        text = ExerciseTextView(i.text)
        source = i.source
        subject = i.subject
    }
}

struct CertificateView: Encodable, Sendable {
    let id: String
    let holderName: String
    let userId: String?
    let issuer: String
    let serial: String
    let fingerprint: String
    let expiresOn: String
    let valid: Bool
    let note: String
    let version: Int

    init(_ r: CertificateRecord, today: Day) {
        id = r.id
        holderName = r.holderName
        userId = r.userId
        issuer = r.issuer
        serial = r.serial
        fingerprint = r.fingerprint
        expiresOn = r.expiresOn
        valid = r.fact?.isValid(on: today) ?? false
        note = r.note
        version = r.version
    }
}

struct PlanView: Encodable, Sendable {
    let title: String
    let planVersion: String
    let location: String
    let evidenceSha256: String?
    let approvedBy: String
    let approvedOn: String?
    let lastReviewedOn: String
    let reviewMonths: Int
    let nextReview: String?
    let version: Int

    init(_ r: PlanRecord) {
        title = r.title
        planVersion = r.planVersion
        location = r.location
        evidenceSha256 = r.evidenceSha256
        approvedBy = r.approvedBy
        approvedOn = r.approvedOn
        lastReviewedOn = r.lastReviewedOn
        reviewMonths = r.reviewMonths
        nextReview = r.fact?.nextReview.description
        version = r.version
    }
}

struct ContactView: Encodable, Sendable {
    let id: String
    let position: Int
    let role: String
    let name: String
    let affiliation: String
    let purpose: String
    let phone: String
    let email: String
    let version: Int

    init(_ r: ContactRecord) {
        id = r.id
        position = r.position
        role = r.role
        name = r.name
        affiliation = r.affiliation
        purpose = r.purpose
        phone = r.phone
        email = r.email
        version = r.version
    }
}

struct ChannelsView: Encodable, Sendable {
    let dodChannelName: String
    let dodChannelAddress: String
    let modContactName: String
    let modContactPhone: String
    let modContactEmail: String
    let version: Int

    init(_ r: ChannelRecord?) {
        dodChannelName = r?.dodChannelName ?? ""
        dodChannelAddress = r?.dodChannelAddress ?? ""
        modContactName = r?.modContactName ?? ""
        modContactPhone = r?.modContactPhone ?? ""
        modContactEmail = r?.modContactEmail ?? ""
        version = r?.version ?? 0
    }
}

struct ReadinessView: Encodable, Sendable {
    let today: String
    /// Nothing blocking or warning (notices may remain).
    let ready: Bool
    let checklist: [ReadinessItemView]
    let validCertificateHolders: Int
    let certificates: [CertificateView]
    let plan: PlanView?
    let contacts: [ContactView]
    let channels: ChannelsView

    init(_ o: ReadinessOverview) {
        today = o.today.description
        ready = o.ready
        checklist = o.checklist.map(ReadinessItemView.init)
        validCertificateHolders = o.validHolders
        certificates = o.certificates.map { CertificateView($0, today: o.today) }
        plan = o.plan.map(PlanView.init)
        contacts = o.contacts.map(ContactView.init)
        channels = ChannelsView(o.channels)
    }
}

// MARK: - bodies

struct CertificateBody: StrictBody {
    static let fields: Set<String> = ["holderName", "userId", "issuer", "serial", "fingerprint", "expiresOn", "note", "version"]
    let holderName: String?
    let userId: String?
    let issuer: String
    let serial: String?
    let fingerprint: String?
    let expiresOn: String
    let note: String?
    /// Required on PUT: the version read.
    let version: Int?

    var draft: CertificateDraft {
        CertificateDraft(holderName: holderName ?? "", userID: userId, issuer: issuer, serial: serial ?? "", fingerprint: fingerprint ?? "",
                         expiresOn: expiresOn, note: note ?? "")
    }
}

struct PlanBody: StrictBody {
    static let fields: Set<String> = ["title", "planVersion", "location", "evidenceSha256", "approvedBy", "approvedOn", "lastReviewedOn",
                                      "reviewMonths", "version"]
    let title: String
    let planVersion: String
    let location: String?
    let evidenceSha256: String?
    let approvedBy: String
    let approvedOn: String?
    let lastReviewedOn: String
    let reviewMonths: Int?
    /// The version read; 0 when there is no plan yet.
    let version: Int
}

struct ContactBody: StrictBody {
    static let fields: Set<String> = ["position", "role", "name", "affiliation", "purpose", "phone", "email", "version"]
    let position: Int?
    let role: String
    let name: String
    let affiliation: String?
    let purpose: String?
    let phone: String?
    let email: String?
    let version: Int?

    var draft: ContactDraft {
        ContactDraft(position: position, role: role, name: name, affiliation: affiliation ?? "", purpose: purpose ?? "", phone: phone ?? "",
                     email: email ?? "")
    }
}

struct ChannelsBody: StrictBody {
    static let fields: Set<String> = ["dodChannelName", "dodChannelAddress", "modContactName", "modContactPhone", "modContactEmail", "version"]
    let dodChannelName: String?
    let dodChannelAddress: String?
    let modContactName: String?
    let modContactPhone: String?
    let modContactEmail: String?
    let version: Int
}

// MARK: - routes

/// Reporting readiness inside `/api/v1/organizations/{org}` (issue 13 item 6): the checklist and everything it judges
/// (GET), and the CRUD of certificates, the IR plan, the contact chart and the reporting channels. Need-to-know is the
/// use cases' (`ReadinessUseCases`, `ReadinessQueries`); every handler starts with the membership's `.read`.
struct ReadinessRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/incident-readiness", use: overview)
        org.post("/incident-readiness/certificates", use: addCertificate)
        org.put("/incident-readiness/certificates/:certificate", use: updateCertificate)
        org.delete("/incident-readiness/certificates/:certificate", use: deleteCertificate)
        org.put("/incident-readiness/plan", use: savePlan)
        org.delete("/incident-readiness/plan", use: deletePlan)
        org.post("/incident-readiness/contacts", use: addContact)
        org.put("/incident-readiness/contacts/:contact", use: updateContact)
        org.delete("/incident-readiness/contacts/:contact", use: deleteContact)
        org.put("/incident-readiness/channels", use: saveChannels)
    }

    func useCases(_ m: Membership) -> ReadinessUseCases { ReadinessUseCases(services.tenantEnvironment, m.scope) }
    func today(_ m: Membership) -> Day { m.scope.calendar.today(services.clock) }

    static func version(_ v: Int?) throws -> Int {
        guard let v else { throw APIError.invalid(field: "version", message: "Send the version you read (\"version\").").ja("読み込んだときのバージョン（\"version\"）を送ってください。") }
        return v
    }

    func overview(_ request: Request, context: TenantContext) async throws -> JSONResponse<ReadinessView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: ReadinessView(try await ReadinessQueries(services.tenantEnvironment, m.scope).overview()))
    }

    func addCertificate(_ request: Request, context: TenantContext) async throws -> JSONResponse<CertificateView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CertificateBody.self, context: context)
        return JSONResponse(value: CertificateView(try await useCases(m).addCertificate(b.draft), today: today(m)), status: .created)
    }

    func updateCertificate(_ request: Request, context: TenantContext) async throws -> JSONResponse<CertificateView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(CertificateBody.self, context: context)
        let r = try await useCases(m).updateCertificate(id: try context.parameters.require("certificate"), b.draft,
                                                        ifVersion: try Self.version(b.version))
        return JSONResponse(value: CertificateView(r, today: today(m)))
    }

    func deleteCertificate(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).deleteCertificate(id: try context.parameters.require("certificate"))
        return Response(status: .noContent)
    }

    func savePlan(_ request: Request, context: TenantContext) async throws -> JSONResponse<PlanView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(PlanBody.self, context: context)
        let r = try await useCases(m).savePlan(PlanDraft(title: b.title, planVersion: b.planVersion, location: b.location ?? "",
                                                         evidenceSHA256: b.evidenceSha256, approvedBy: b.approvedBy,
                                                         approvedOn: b.approvedOn ?? "", lastReviewedOn: b.lastReviewedOn,
                                                         reviewMonths: b.reviewMonths), ifVersion: b.version)
        return JSONResponse(value: PlanView(r))
    }

    func deletePlan(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).deletePlan()
        return Response(status: .noContent)
    }

    func addContact(_ request: Request, context: TenantContext) async throws -> JSONResponse<ContactView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ContactBody.self, context: context)
        return JSONResponse(value: ContactView(try await useCases(m).addContact(b.draft)), status: .created)
    }

    func updateContact(_ request: Request, context: TenantContext) async throws -> JSONResponse<ContactView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ContactBody.self, context: context)
        return JSONResponse(value: ContactView(try await useCases(m).updateContact(id: try context.parameters.require("contact"), b.draft,
                                                                                  ifVersion: try Self.version(b.version))))
    }

    func deleteContact(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await useCases(m).deleteContact(id: try context.parameters.require("contact"))
        return Response(status: .noContent)
    }

    func saveChannels(_ request: Request, context: TenantContext) async throws -> JSONResponse<ChannelsView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(ChannelsBody.self, context: context)
        let r = try await useCases(m).saveChannels(ChannelDraft(dodChannelName: b.dodChannelName ?? "", dodChannelAddress: b.dodChannelAddress ?? "",
                                                                modContactName: b.modContactName ?? "", modContactPhone: b.modContactPhone ?? "",
                                                                modContactEmail: b.modContactEmail ?? ""), ifVersion: b.version)
        return JSONResponse(value: ChannelsView(r))
    }
}

extension ReadinessError: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: field, message: description) }
}
