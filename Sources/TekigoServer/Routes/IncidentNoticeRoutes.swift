import Foundation
import Hummingbird
import HTTPTypes
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct NoticePartyView: Encodable, Sendable {
    /// nil when the viewer may not name the organization (consent).
    let id: String?
    let name: String?
    init(_ p: NoticeParty) { id = p.id; name = p.name }
}

/// The report as it was sent (only the fields the reporting supplier included are present).
struct NoticeReportView: Encodable, Sendable {
    let reportNumber: String
    let reportKind: String
    let cites: String?
    let discoveredAt: String
    let submittedAt: String
    let included: [String]
    let title: String?
    let phase: String?
    let compromiseType: String?
    let outcome: String?
    let information: String?
    let technique: String?
    let narrative: String?

    init(_ r: IncidentNoticeReport) {
        reportNumber = r.reportNumber
        reportKind = r.reportKind
        cites = r.cites
        discoveredAt = r.discoveredAt
        submittedAt = r.submittedAt
        included = r.included.map(\.rawValue)
        title = r.title
        phase = r.phase
        compromiseType = r.compromiseType
        outcome = r.outcome
        information = r.information
        technique = r.technique
        narrative = r.narrative
    }
}

struct NoticeDeadlineView: Encodable, Sendable {
    let ruleId: String
    let label: LocalizedText
    let source: String
    let due: String?
    /// not-started, open, overdue, met, met-late, holding, elapsed
    let state: String

    init(_ d: IncidentDeadline) {
        ruleId = d.rule.id
        label = d.rule.label
        source = d.rule.source
        due = d.due.map(incidentNoticeUTC)
        switch d.state {
        case .notStarted: state = "not-started"
        case .open: state = "open"
        case .overdue: state = "overdue"
        case .met(_, let late): state = late ? "met-late" : "met"
        case .holding: state = "holding"
        case .elapsed: state = "elapsed"
        }
    }
}

struct NoticeAcknowledgementView: Encodable, Sendable {
    /// Tiers above the notice's recipient (0: the recipient itself).
    let hops: Int
    let at: String
    /// Named only when it is the notice's own recipient (hops 0).
    let organizationId: String?
    init(_ a: IncidentNoticeAcknowledgement) {
        hops = a.hops
        at = a.at
        organizationId = a.hops == 0 ? a.byOrganization : nil
    }
}

struct ReceivedNoticeView: Encodable, Sendable {
    let id: String
    let tier: Int
    let sender: NoticePartyView
    let origin: NoticePartyView
    let contracts: [String]
    let report: NoticeReportView
    let deadlines: [NoticeDeadlineView]
    let receivedAt: String
    let acknowledgedAt: String?
    let acknowledgedBy: String?
    /// pending (waits for a forward by hand), forwarded, top (no DFARS 7012 contract above: the prime)
    let forwardState: String
    let forwardedTo: [NoticePartyView]
    let acknowledgementsAbove: [NoticeAcknowledgementView]

    init(_ n: ReceivedNotice) {
        id = n.record.id
        tier = n.tier
        sender = NoticePartyView(n.sender)
        origin = NoticePartyView(n.origin)
        contracts = n.record.contractNumbers
        report = NoticeReportView(n.report)
        deadlines = n.deadlines.map(NoticeDeadlineView.init)
        receivedAt = n.record.sentAt
        acknowledgedAt = n.record.acknowledgedAt
        acknowledgedBy = n.record.acknowledgedBy
        forwardState = n.record.forwardState
        forwardedTo = n.forwardedTo.map(NoticePartyView.init)
        acknowledgementsAbove = n.acknowledgementsAbove.map(NoticeAcknowledgementView.init)
    }
}

struct NoticeChainLayerView: Encodable, Sendable {
    let tier: Int
    let sender: NoticePartyView
    let keyId: String
    let contracts: [String]
    init(_ l: NoticeChainLayer) {
        tier = l.tier
        sender = NoticePartyView(l.sender)
        keyId = l.keyID
        contracts = l.contracts
    }
}

struct ReceivedNoticeDetailView: Encodable, Sendable {
    let notice: ReceivedNoticeView
    /// From the reporting supplier's notice (first) to the one this organization received (last).
    let chain: [NoticeChainLayerView]
}

struct ReceivedNoticesView: Encodable, Sendable {
    let items: [ReceivedNoticeView]
    let total: Int
    let limit: Int
    let offset: Int
    let state: String
    let autoForward: Bool
}

struct SentNoticeView: Encodable, Sendable {
    let id: String
    let recipient: NoticePartyView
    let contracts: [String]
    let reportNumber: String
    let included: [String]
    let sentAt: String
    let acknowledgements: [NoticeAcknowledgementView]
    init(_ s: SentNotice) {
        id = s.record.id
        recipient = NoticePartyView(s.recipient)
        contracts = s.record.contractNumbers
        reportNumber = s.record.reportNumber
        included = s.record.includedFields.map(\.rawValue)
        sentAt = s.record.sentAt
        acknowledgements = s.acknowledgements.map(NoticeAcknowledgementView.init)
    }
}

struct NoticeSendView: Encodable, Sendable {
    let sent: [String]
    let forwarded: Int
}

func incidentNoticeUTC(_ date: Date) -> String { OffsetInstant.format(date, in: TimeZone(identifier: "UTC")!) }

// MARK: - bodies

struct NoticeSendBody: StrictBody {
    static let fields: Set<String> = ["include"]
    /// `IncidentNoticeField` raw values; absent or empty: the minimum.
    let include: [String]?
}

struct NoticeSettingsBody: StrictBody {
    static let fields: Set<String> = ["autoForward"]
    let autoForward: Bool
}

struct NoticeSettingsView: Encodable, Sendable {
    let autoForward: Bool
}

// MARK: - routes

/// Incident notices up the supply chain inside `/api/v1/organizations/{org}` (issue 13 item 4; DFARS 204.7302(b)):
/// sending the incident's report numbers to the customers on its affected contracts, the notices received (the prime's
/// view of the incidents in its tree), one notice with its chain, its signed file, acknowledging, forwarding by hand,
/// importing a notice file, and the forwarding setting. Membership `.read` here; need-to-know is the use cases'.
struct IncidentNoticeRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.post("/incidents/:incident/notices", use: send)
        org.get("/incidents/:incident/notices", use: sent)
        org.get("/incident-notices", use: received)
        org.post("/incident-notices", use: importNotice)
        org.get("/incident-notices/:notice", use: show)
        org.get("/incident-notices/:notice/file", use: file)
        org.post("/incident-notices/:notice/acknowledge", use: acknowledge)
        org.post("/incident-notices/:notice/forward", use: forward)
        org.get("/incident-notice-settings", use: settings)
        org.put("/incident-notice-settings", use: setSettings)
    }

    func cases(_ m: Membership) -> IncidentNoticeUseCases { IncidentNoticeUseCases(services.tenantEnvironment, m.scope) }
    func queries(_ m: Membership) -> IncidentNoticeQueries { IncidentNoticeQueries(services.tenantEnvironment, m.scope) }

    func param(_ context: TenantContext, _ name: String) throws -> String {
        try plainText(try context.parameters.require(name), field: name)
    }

    func send(_ request: Request, context: TenantContext) async throws -> JSONResponse<NoticeSendView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(NoticeSendBody.self, context: context)
        let include = try IncidentNoticeUseCases.fields(b.include ?? [])
        let r = try await cases(m).sendNotices(incidentID: try param(context, "incident"), include: include)
        return JSONResponse(value: NoticeSendView(sent: r.sent.map(\.id), forwarded: r.forwarded.count), status: .created)
    }

    func sent(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<SentNoticeView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await queries(m).sent(incidentID: try param(context, "incident")).map(SentNoticeView.init),
                                            request: request))
    }

    func received(_ request: Request, context: TenantContext) async throws -> JSONResponse<ReceivedNoticesView> {
        let m = try context.membership(for: .read)
        let q = request.uri.queryParameters
        let limit = try Page<Int>.int(q["limit"].map(String.init), "limit", default: 50, range: 1...500)
        let offset = try Page<Int>.int(q["offset"].map(String.init), "offset", default: 0, range: 0...Int.max)
        let stateText = q["state"].map(String.init) ?? "all"
        guard let state = NoticeStore.ReceivedFilter(rawValue: stateText) else {
            throw APIError.invalid(field: "state", message: "'state' is one of: all, open, acknowledged.").ja("state は all・open・acknowledged のいずれかにしてください。")
        }
        let page = try await queries(m).received(filter: state, limit: limit, offset: offset)
        return JSONResponse(value: ReceivedNoticesView(items: page.notices.map(ReceivedNoticeView.init), total: page.total, limit: page.limit,
                                                       offset: page.offset, state: state.rawValue, autoForward: page.autoForward))
    }

    func show(_ request: Request, context: TenantContext) async throws -> JSONResponse<ReceivedNoticeDetailView> {
        let m = try context.membership(for: .read)
        let (n, chain) = try await queries(m).received(id: try param(context, "notice"))
        return JSONResponse(value: ReceivedNoticeDetailView(notice: ReceivedNoticeView(n), chain: chain.map(NoticeChainLayerView.init)))
    }

    /// The signed file (`tekigo-incident-notice/1`), to verify offline against the keys each signer publishes.
    func file(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let id = try param(context, "notice")
        return AttestationRoutes.download(try await queries(m).file(id: id), type: "application/json; charset=utf-8",
                                          name: "incident-notice-\(id).json")
    }

    func acknowledge(_ request: Request, context: TenantContext) async throws -> JSONResponse<ReceivedNoticeView> {
        let m = try context.membership(for: .read)
        let id = try param(context, "notice")
        _ = try await cases(m).acknowledge(noticeID: id)
        return JSONResponse(value: ReceivedNoticeView(try await queries(m).received(id: id).0))
    }

    func forward(_ request: Request, context: TenantContext) async throws -> JSONResponse<NoticeSendView> {
        let m = try context.membership(for: .read)
        let out = try await cases(m).forward(noticeID: try param(context, "notice"))
        return JSONResponse(value: NoticeSendView(sent: out.map(\.id), forwarded: out.count), status: .created)
    }

    /// The body is a notice file itself (as downloaded from `…/file`).
    func importNotice(_ request: Request, context: TenantContext) async throws -> JSONResponse<ReceivedNoticeView> {
        let m = try context.membership(for: .read)
        let limit = IncidentNoticeVerifier.maximumSize
        let data: Data
        do { data = Data(buffer: try await request.body.collect(upTo: limit)) } catch { throw APIError.tooLarge(limit: limit) }
        let r = try await cases(m).importNotice(data)
        return JSONResponse(value: ReceivedNoticeView(try await queries(m).received(id: r.id).0), status: .created)
    }

    func settings(_ request: Request, context: TenantContext) async throws -> JSONResponse<NoticeSettingsView> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: NoticeSettingsView(autoForward: try await queries(m).autoForward()))
    }

    func setSettings(_ request: Request, context: TenantContext) async throws -> JSONResponse<NoticeSettingsView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(NoticeSettingsBody.self, context: context)
        try await cases(m).setAutoForward(b.autoForward)
        return JSONResponse(value: NoticeSettingsView(autoForward: b.autoForward))
    }
}

// MARK: - errors

extension IncidentNoticeError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .nothingToSend, .nothingToForward, .alreadyAcknowledged, .exercise, .noReportNumber, .noAffectedContracts:
            return .conflict(description)
        case .unknownField: return .invalid(field: "include", message: description)
        case .invalid, .notADoDReport: return .invalid(field: nil, message: description)
        }
    }
}

extension IncidentNoticeRefusal: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .doesNotVerify(let f): return .invalid(field: f.field, message: f.description)
        case .notAddressedToYou, .notYourSupplier: return .forbidden(description)
        }
    }
}
