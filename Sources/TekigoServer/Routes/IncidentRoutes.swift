import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

// MARK: - views

/// A JSON value kept as it was stored (the report fields are the report drafts' own document).
enum IncidentRawJSON: Codable, Sendable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([IncidentRawJSON]), object([String: IncidentRawJSON])

    init(text: String?) {
        self = text.flatMap { try? JSONDecoder().decode(IncidentRawJSON.self, from: Data($0.utf8)) } ?? .null
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([IncidentRawJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: IncidentRawJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// An instant for the API: ISO 8601 in UTC (`2027-01-10T17:13:00Z`).
func incidentUTC(_ date: Date) -> String { OffsetInstant.format(date, in: TimeZone(identifier: "UTC")!) }

/// Public: `tekigo incident list` prints the same shape.
public struct IncidentSummaryView: Encodable, Sendable {
    let id: String
    let title: String
    let phase: String
    let discoveredAt: String
    let discoveredTimeZone: String
    let exercise: Bool
    let nextDeadline: IncidentDeadlineView?
    let overdue: Bool

    public init(_ s: IncidentSummary, now: Date) {
        id = s.id
        title = s.title
        phase = s.phase.rawValue
        discoveredAt = incidentUTC(s.discoveredAt)
        discoveredTimeZone = s.discoveredTimeZone
        exercise = s.exercise
        nextDeadline = s.nextDeadline.map { IncidentDeadlineView($0, now: now) }
        overdue = s.overdue
    }
}

/// One clock: the rule (id, source citation, whether its hours are a setting), its due instant and state.
struct IncidentDeadlineView: Encodable, Sendable {
    let ruleId: String
    let regime: String
    let kind: String
    let label: LocalizedText
    let source: String
    let hours: Int
    /// True when the hours are Tekigo's default or the organization's value for a rule that gives none (直ちに).
    let setting: Bool
    let startedAt: String?
    let due: String?
    /// not-started, open, overdue, met, met-late, holding, elapsed.
    let state: String
    /// Seconds left (open, holding) or past due (overdue, negative).
    let secondsLeft: Int?
    /// The same in words ("71 h 05 min"), en and ja.
    let timeLeft: LocalizedText?
    let metAt: String?

    init(_ d: IncidentDeadline, now: Date) {
        ruleId = d.rule.id
        regime = d.regime.id
        kind = d.rule.kind.rawValue
        label = d.rule.label
        source = d.rule.source
        hours = d.hours
        setting = d.rule.setting
        startedAt = d.startedAt.map(incidentUTC)
        due = d.due.map(incidentUTC)
        func words(_ s: TimeInterval) -> LocalizedText {
            LocalizedText(en: IncidentClock.duration(s, .en), ja: IncidentClock.duration(s, .ja))
        }
        switch d.state {
        case .notStarted: state = "not-started"; secondsLeft = nil; timeLeft = nil; metAt = nil
        case .open(let r): state = "open"; secondsLeft = Int(r); timeLeft = words(r); metAt = nil
        case .overdue(let by): state = "overdue"; secondsLeft = -Int(by); timeLeft = words(by); metAt = nil
        case .met(let at, let late): state = late ? "met-late" : "met"; secondsLeft = nil; timeLeft = nil; metAt = incidentUTC(at)
        case .holding(let r): state = "holding"; secondsLeft = Int(r); timeLeft = words(r); metAt = nil
        case .elapsed: state = "elapsed"; secondsLeft = nil; timeLeft = nil; metAt = nil
        }
    }
}

struct IncidentSystemView: Encodable, Sendable {
    let id: String
    let name: String
}

struct IncidentContractView: Encodable, Sendable {
    let id: String
    let number: String
    let customerId: String
    let customerName: String
    let clauses: [String]
}

struct IncidentEvidenceView: Encodable, Sendable {
    let sha256: String
    let filename: String
}

struct IncidentTimelineView: Encodable, Sendable {
    let id: String
    let at: String
    let author: String
    let text: String
    let phase: String?
    let evidence: [IncidentEvidenceView]

    init(_ r: IncidentTimelineRecord) {
        id = r.id
        at = Timestamp.date(r.at).map(incidentUTC) ?? r.at
        author = r.author
        text = r.text
        phase = r.phase
        evidence = r.evidenceFiles.map { IncidentEvidenceView(sha256: $0.sha256, filename: $0.filename) }
    }
}

public struct IncidentSubmissionView: Encodable, Sendable {
    let id: String
    let kind: String
    let submittedAt: String
    let channel: String
    let submittedBy: String
    let reportNumber: String?
    let cites: String?

    public init(_ r: IncidentSubmissionRecord) {
        id = r.id
        kind = r.kind
        submittedAt = Timestamp.date(r.submittedAt).map(incidentUTC) ?? r.submittedAt
        channel = r.channel
        submittedBy = r.submittedBy
        reportNumber = r.reportNumber
        cites = r.cites
    }
}

struct IncidentInformationView: Encodable, Sendable {
    /// cui, protected-information, none-known.
    let kind: String
    let reference: String
}

/// One incident in full (`GET …/incidents/{id}`): every deadline as an ISO 8601 instant with its state and time left.
/// Public: `tekigo incident show` and `export --format json` print the same document.
public struct IncidentView: Encodable, Sendable {
    let id: String
    let organizationId: String
    let title: String
    let phase: String
    let exercise: Bool
    let version: Int
    /// The discovery instant in the zone it was given in (with that offset), and in UTC.
    let discoveredAt: String
    let discoveredAtUtc: String
    let discoveredTimeZone: String
    let discoveredBy: String
    let detectionMethod: String
    let compromiseType: String
    let outcome: String
    let information: IncidentInformationView
    let technique: String
    let narrative: String
    let systems: [IncidentSystemView]
    let contracts: [IncidentContractView]
    let deadlines: [IncidentDeadlineView]
    let timeline: [IncidentTimelineView]
    let submissions: [IncidentSubmissionView]
    let initialReportNumber: String?
    let reportFields: IncidentRawJSON
    let canManage: Bool
    let createdAt: String
    let updatedAt: String
    /// The instant the clocks were worked out at.
    let now: String

    public init(_ d: IncidentDetail) {
        let f = d.dossier.facts
        id = d.id
        organizationId = d.dossier.organization.id
        title = f.title
        phase = d.dossier.phase.rawValue
        exercise = d.dossier.exercise
        version = d.version
        discoveredAt = OffsetInstant.format(f.discoveredAt, in: TimeZone(identifier: f.discoveredTimeZone) ?? TimeZone(identifier: "UTC")!)
        discoveredAtUtc = incidentUTC(f.discoveredAt)
        discoveredTimeZone = f.discoveredTimeZone
        discoveredBy = f.discoveredBy
        detectionMethod = f.detectionMethod.rawValue
        compromiseType = f.compromiseType.rawValue
        outcome = f.outcome.rawValue
        switch f.information {
        case .cui(let c): information = IncidentInformationView(kind: "cui", reference: c)
        case .protectedInformation(let r): information = IncidentInformationView(kind: "protected-information", reference: r)
        case .noneKnown: information = IncidentInformationView(kind: "none-known", reference: "")
        }
        technique = f.technique
        narrative = f.narrative
        systems = d.systems.map { IncidentSystemView(id: $0.systemId, name: $0.systemName) }
        contracts = d.dossier.affectedContracts.map {
            IncidentContractView(id: $0.contractID, number: $0.number, customerId: $0.customerID, customerName: $0.customerName,
                                 clauses: $0.clauses.sorted().map(\.rawValue))
        }
        deadlines = d.deadlines.map { IncidentDeadlineView($0, now: d.now) }
        timeline = d.timeline.map(IncidentTimelineView.init)
        submissions = d.submissions.map(IncidentSubmissionView.init)
        initialReportNumber = d.dossier.initialReportNumber
        reportFields = IncidentRawJSON(text: d.reportFields)
        canManage = d.canManage
        createdAt = incidentUTC(d.dossier.createdAt)
        updatedAt = incidentUTC(d.dossier.updatedAt)
        now = incidentUTC(d.now)
    }
}

struct IncidentHourSettingView: Encodable, Sendable {
    let ruleId: String
    let regime: String
    let label: LocalizedText
    let source: String
    let defaultHours: Int
    /// The organization's value; null: the default.
    let hours: Int?
    let effectiveHours: Int
    let min: Int
    let max: Int

    init(_ s: IncidentHourSetting) {
        ruleId = s.rule.id
        regime = s.regime.id
        label = s.rule.label
        source = s.rule.source
        defaultHours = s.rule.hours
        hours = s.hours
        effectiveHours = s.effectiveHours
        min = IncidentClock.settableHours.lowerBound
        max = IncidentClock.settableHours.upperBound
    }
}

struct IncidentTeamMemberView: Encodable, Sendable {
    let userId: String
    let displayName: String
    let email: String
    let role: String
    let grantedBy: String
    let grantedAt: String

    init(_ m: IncidentTeamMember) {
        userId = m.userID
        displayName = m.displayName
        email = m.email
        role = m.role.rawValue
        grantedBy = m.grantedBy
        grantedAt = m.grantedAt
    }
}

// MARK: - bodies

struct IncidentInformationBody: Decodable, Sendable {
    let kind: String
    let reference: String?
}

struct IncidentBody: StrictBody {
    static let fields: Set<String> = ["title", "discoveredAt", "discoveredTimeZone", "discoveredBy", "detectionMethod", "compromiseType",
                                      "outcome", "information", "technique", "narrative", "systems", "contracts", "exercise", "version"]
    let title: String
    let discoveredAt: String
    let discoveredTimeZone: String?
    let discoveredBy: String
    let detectionMethod: String?
    let compromiseType: String?
    let outcome: String?
    let information: IncidentInformationBody?
    let technique: String?
    let narrative: String?
    let systems: [String]?
    let contracts: [String]?
    let exercise: Bool?
    /// Required by PUT: the version read.
    let version: Int?

    var draft: IncidentDraft {
        IncidentDraft(title: title, discoveredAt: discoveredAt, discoveredTimeZone: discoveredTimeZone, discoveredBy: discoveredBy,
                      detectionMethod: detectionMethod ?? DetectionMethod.other.rawValue,
                      compromiseType: compromiseType ?? CompromiseType.unknown.rawValue,
                      outcome: outcome ?? IncidentOutcome.unknown.rawValue, informationKind: information?.kind ?? "none-known",
                      informationReference: information?.reference ?? "", technique: technique ?? "", narrative: narrative ?? "",
                      systemIDs: systems ?? [], contractIDs: contracts ?? [], exercise: exercise ?? false)
    }
}

struct IncidentPhaseBody: StrictBody {
    static let fields: Set<String> = ["phase", "note"]
    let phase: String
    let note: String?
}

struct IncidentTimelineFileBody: Decodable, Sendable {
    let filename: String
    let contentType: String?
    /// The file's bytes, base64.
    let content: String
}

struct IncidentTimelineBody: StrictBody {
    static let fields: Set<String> = ["text", "files"]
    let text: String?
    let files: [IncidentTimelineFileBody]?
}

struct IncidentSubmissionBody: StrictBody {
    static let fields: Set<String> = ["kind", "submittedAt", "channel", "reportNumber", "cites"]
    let kind: String
    let submittedAt: String
    let channel: String?
    let reportNumber: String?
    let cites: String?
}

struct IncidentHourSettingBody: StrictBody {
    static let fields: Set<String> = ["ruleId", "hours"]
    let ruleId: String
    /// null goes back to the default.
    let hours: Int?
}

// MARK: - routes

/// Cyber incidents inside `/api/v1/organizations/{org}` (issue 13): the list, one incident with its clocks, opening
/// and changing one, phase moves, timeline entries, submissions, the hour settings and the incident team. Each handler
/// checks membership (`.read`: every member gets as far as the use case), then the use case applies need-to-know
/// (`Role.allowsIncidents`: 403 without a role or team place that allows it) and its rules; reads are audited there.
struct IncidentRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/incidents", use: list)
        org.post("/incidents", use: open)
        org.get("/incidents/:incident", use: show)
        org.get("/incidents/:incident/report", use: reportDraft)
        org.put("/incidents/:incident/report-fields", use: saveReportFields)
        org.get("/incidents/:incident/stix", use: stix)
        org.put("/incidents/:incident", use: update)
        org.post("/incidents/:incident/phase", use: movePhase)
        org.post("/incidents/:incident/timeline", use: addTimeline)
        org.post("/incidents/:incident/submissions", use: recordSubmission)
        org.get("/incident-settings", use: settings)
        org.put("/incident-settings", use: setHours)
        org.get("/incident-team", use: team)
        org.put("/incident-team/:user", use: grant)
        org.delete("/incident-team/:user", use: revoke)
    }

    func cases(_ m: Membership) -> IncidentUseCases { IncidentUseCases(services.tenantEnvironment, m.scope) }
    func queries(_ m: Membership) -> IncidentQueries { IncidentQueries(services.tenantEnvironment, m.scope) }

    func incidentID(_ context: TenantContext) throws -> String {
        try plainText(try context.parameters.require("incident"), field: "incident")
    }

    func detail(_ d: IncidentDetail, status: HTTPResponse.Status = .ok) -> JSONResponse<IncidentView> {
        JSONResponse(value: IncidentView(d), status: status, headers: [.eTag: "\"\(d.version)\""])
    }

    /// An instant the client sent, refused with the member that carried it.
    func instantField<T>(_ field: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as IncidentError {
            switch e {
            case .malformedInstant, .instantWithoutOffset, .discoveredInFuture, .unknownTimeZone, .submissionInFuture,
                 .submissionBeforeDiscovery:
                throw APIError.invalid(field: field, message: e.description)
            default: throw e
            }
        }
    }

    func list(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<IncidentSummaryView>> {
        let m = try context.membership(for: .read)
        let now = services.clock.now()
        return JSONResponse(value: try Page(try await queries(m).list().map { IncidentSummaryView($0, now: now) }, request: request))
    }

    func open(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentBody.self, context: context)
        return detail(try await instantField("discoveredAt") { try await cases(m).open(b.draft) }, status: .created)
    }

    func show(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentView> {
        let m = try context.membership(for: .read)
        return detail(try await queries(m).dossier(id: try incidentID(context)))
    }

    /// The report drafts' fields (`IncidentReportFields`, the JSON object the incident's `reportFields` shows), replaced
    /// whole; `If-Match` with the version read (required, 409 on a stale one). Bad values are a 400 naming the field.
    func saveReportFields(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentView> {
        let m = try context.membership(for: .read)
        guard let version = try ifMatch(request) else {
            throw APIError.invalid(field: "If-Match", message: "Send If-Match with the version you read (e.g. \"3\"), so a change made meanwhile is not overwritten.").ja("読み込んだときのバージョンを If-Match で送ってください（例 \"3\"）。その間の他の人の変更を上書きしないためです。")
        }
        let fields: IncidentReportFields
        do {
            fields = try await request.decodeStrict(IncidentReportFields.self, context: context, limit: 256 * 1024)
        } catch let DecodingError.dataCorrupted(c) where !c.codingPath.isEmpty {
            // The fields' own decoding says what is wrong with the value (a CAGE code, an address); say it, not just "invalid".
            throw APIError.invalid(field: c.codingPath.map(\.stringValue).joined(separator: "."), message: c.debugDescription)
        }
        let id = try incidentID(context)
        _ = try await cases(m).saveReportFields(id: id, fields, expectedVersion: version)
        return detail(try await queries(m).dossier(id: id))
    }

    /// `?kind=dod-initial|dod-follow-on|dod-voluntary|mod-first|mod-detail&format=html|md|json&lang=ja|en`: a report
    /// draft (IncidentExports), served as an attachment.
    func reportDraft(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let q = request.uri.queryParameters
        guard let kind = IncidentReportKind(rawValue: q["kind"].map(String.init) ?? IncidentReportKind.dodInitial.rawValue) else {
            throw APIError.invalid(field: "kind", message: "kind must be one of \(IncidentReportKind.allCases.map(\.rawValue).joined(separator: ", ")).").ja("kind は \(IncidentReportKind.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。")
        }
        guard let format = IncidentDraftFormat(rawValue: q["format"].map(String.init) ?? "html") else {
            throw APIError.invalid(field: "format", message: "format must be one of \(IncidentDraftFormat.allCases.map(\.rawValue).joined(separator: ", ")).").ja("format は \(IncidentDraftFormat.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。")
        }
        guard let lang = Language(rawValue: q["lang"].map(String.init) ?? "ja") else {
            throw APIError.invalid(field: "lang", message: "lang must be ja or en.").ja("lang は ja か en にしてください。")
        }
        let id = try incidentID(context)
        let doc = try await queries(m).reportDraft(id: id, kind: kind, format: format, language: lang)
        return attachment(doc, name: "incident-\(id)-\(kind.rawValue)\(doc.language.map { "-" + $0.rawValue } ?? "")")
    }

    /// `?tlp=clear|green|amber|amber+strict|red&narrative=true&contracts=true&reportNumbers=true`: the incident as a
    /// STIX 2.1 bundle; what is sensitive only when asked for.
    func stix(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        let q = request.uri.queryParameters
        guard let tlp = TLPMarking(rawValue: q["tlp"].map(String.init) ?? TLPMarking.amber.rawValue) else {
            throw APIError.invalid(field: "tlp", message: "tlp must be one of \(TLPMarking.allCases.map(\.rawValue).joined(separator: ", ")).").ja("tlp は \(TLPMarking.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。")
        }
        func flag(_ name: String) throws -> Bool {
            let value: String? = q[name[...]].map(String.init)
            switch value {
            case nil, "false": return false
            case "true": return true
            default: throw APIError.invalid(field: name, message: "\(name) must be true or false.").ja("\(name) は true か false にしてください。")
            }
        }
        let options = STIXIncidentExportOptions(marking: tlp, includeNarrative: try flag("narrative"),
                                                includeContracts: try flag("contracts"), includeReportNumbers: try flag("reportNumbers"))
        let id = try incidentID(context)
        return attachment(try await queries(m).stixBundle(id: id, options: options), name: "incident-\(id)-stix")
    }

    func attachment(_ doc: IncidentDocument, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: doc.contentType,
                                        .contentDisposition: "attachment; filename=\"\(name).\(doc.fileExtension)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: doc.body)))
    }

    func update(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentBody.self, context: context)
        guard let version = try b.version ?? ifMatch(request) else {
            throw APIError.invalid(field: "version", message: "Send the version you read (the 'version' member, or If-Match: \"3\"), so a change made meanwhile is not overwritten.").ja("読み込んだときのバージョンを送ってください（version メンバーか If-Match: \"3\"）。その間の他の人の変更を上書きしないためです。")
        }
        let id = try incidentID(context)
        return detail(try await instantField("discoveredAt") { try await cases(m).update(id: id, b.draft, expectedVersion: version) })
    }

    func movePhase(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentPhaseBody.self, context: context)
        return detail(try await cases(m).movePhase(id: try incidentID(context), to: b.phase, note: b.note ?? ""))
    }

    func addTimeline(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentTimelineView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentTimelineBody.self, context: context, limit: 36 * 1024 * 1024)
        var uploads: [IncidentEvidenceUpload] = []
        for (i, f) in (b.files ?? []).enumerated() {
            guard let data = Data(base64Encoded: f.content) else {
                throw APIError.invalid(field: "files.[\(i)].content", message: "'content' must be the file's bytes in base64.").ja("content にはファイルの中身を base64 で入れてください。")
            }
            uploads.append(IncidentEvidenceUpload(data: data, filename: f.filename, contentType: f.contentType ?? "application/octet-stream"))
        }
        let entry = try await cases(m).addTimelineEntry(id: try incidentID(context), text: b.text ?? "", evidence: uploads)
        return JSONResponse(value: IncidentTimelineView(entry), status: .created)
    }

    func recordSubmission(_ request: Request, context: TenantContext) async throws -> JSONResponse<IncidentSubmissionView> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentSubmissionBody.self, context: context)
        let id = try incidentID(context)
        let r = try await instantField("submittedAt") {
            try await cases(m).recordSubmission(id: id, kind: b.kind, submittedAt: b.submittedAt, channel: b.channel ?? "",
                                                reportNumber: b.reportNumber, cites: b.cites)
        }
        return JSONResponse(value: IncidentSubmissionView(r), status: .created)
    }

    func settings(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentHourSettingView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await queries(m).hourSettings().map(IncidentHourSettingView.init))
    }

    func setHours(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentHourSettingView]> {
        let m = try context.membership(for: .read)
        let b = try await request.decodeStrict(IncidentHourSettingBody.self, context: context)
        try await cases(m).setHourSetting(ruleID: b.ruleId, hours: b.hours)
        return JSONResponse(value: try await queries(m).hourSettings().map(IncidentHourSettingView.init))
    }

    func team(_ request: Request, context: TenantContext) async throws -> JSONResponse<[IncidentTeamMemberView]> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try await queries(m).team().map(IncidentTeamMemberView.init))
    }

    func grant(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await cases(m).grantIncidentAccess(userID: try plainText(try context.parameters.require("user"), field: "user"))
        return Response(status: .noContent)
    }

    func revoke(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .read)
        try await cases(m).revokeIncidentAccess(userID: try plainText(try context.parameters.require("user"), field: "user"))
        return Response(status: .noContent)
    }
}

// MARK: - errors

extension IncidentError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .reportNumberInUse, .illegalPhaseChange, .heldItem: return .conflict(description)
        case .invalidRegimeTable: return nil
        case .emptyTitle, .textTooLong: return .invalid(field: apiField, message: description)
        default: return .invalid(field: apiField, message: description)
        }
    }

    /// The member of a request body the problem is in, where one case always means one member.
    var apiField: String? {
        switch self {
        case .emptyTitle: return "title"
        case .textTooLong(let f, _): return f
        case .discoveredInFuture: return "discoveredAt"
        case .unknownTimeZone: return "discoveredTimeZone"
        case .emptyDiscoverer: return "discoveredBy"
        case .emptyInformationReference: return "information.reference"
        case .submissionBeforeDiscovery, .submissionInFuture: return "submittedAt"
        case .emptyReportNumber, .reportNumberInUse: return "reportNumber"
        case .followOnWithoutInitial: return "cites"
        case .badHourSetting: return "hours"
        case .illegalPhaseChange: return "phase"
        default: return nil
        }
    }
}

extension IncidentUseCaseError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notAllowed: return .forbidden(description)
        case .staleVersion: return .conflict(description)
        default: return .invalid(field: field, message: description)
        }
    }
}

/// The report fields' JSON object as a request body: its members are `IncidentReportFields`' own (all optional: a
/// member left out is empty); unknown members are refused, and decoding checks every value, naming the field.
extension IncidentReportFields: StrictBody {
    static var fields: Set<String> { jsonMembers }
}

extension IncidentReportFieldsError: APIErrorConvertible {
    var apiError: APIError? { .invalid(field: "reportFields." + field.rawValue, message: description) }
}

extension IncidentStoreError: APIErrorConvertible {
    /// Stored data that no longer reads back is the server's fault.
    var apiError: APIError? { nil }
}
