import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

/// The preservation hold as the API shows it: `awaiting-report` (held, no end yet), `held` (until `until`), `ended`.
struct PreservationHoldView: Encodable, Sendable {
    let state: String
    /// ISO 8601 UTC; absent while no DoD initial report is recorded.
    let until: String?
    let held: Bool

    init(_ h: PreservationHold) {
        switch h {
        case .awaitingReport: state = "awaiting-report"
        case .heldUntil: state = "held"
        case .ended: state = "ended"
        }
        until = h.until.map(Timestamp.string)
        held = h.isHeld
    }
}

struct DoDRequestView: Encodable, Sendable {
    let request: DoDRequestRecord
    let responses: [DoDResponseRecord]

    enum CodingKeys: String, CodingKey {
        case id, kind, receivedAt, requestedBy, reference, asked, dueAt, recordedBy, recordedAt, responses
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(request.id, forKey: .id)
        try c.encode(request.kind, forKey: .kind)
        try c.encode(request.receivedAt, forKey: .receivedAt)
        try c.encode(request.requestedBy, forKey: .requestedBy)
        try c.encode(request.reference, forKey: .reference)
        try c.encode(request.asked, forKey: .asked)
        try c.encodeIfPresent(request.dueAt, forKey: .dueAt)
        try c.encode(request.recordedBy, forKey: .recordedBy)
        try c.encode(request.recordedAt, forKey: .recordedAt)
        try c.encode(responses, forKey: .responses)
    }
}

struct IncidentRegistersView: Encodable, Sendable {
    let incidentId: String
    let title: String
    let exercise: Bool
    let hold: PreservationHoldView
    let samples: [MalwareSampleRecord]
    let transfers: [MalwareTransferRecord]
    let media: [PreservedMediaRecord]
    let custody: [CustodyEntryRecord]
    let requests: [DoDRequestView]
    let canManage: Bool

    init(_ r: IncidentRegisters) {
        incidentId = r.incidentID
        title = r.title
        exercise = r.exercise
        hold = PreservationHoldView(r.hold)
        samples = r.samples
        transfers = r.transfers
        media = r.media
        custody = r.custody
        let answers = Dictionary(grouping: r.responses, by: \.requestId)
        requests = r.requests.map { DoDRequestView(request: $0, responses: answers[$0.id] ?? []) }
        canManage = r.canManage
    }
}

/// The encrypted archive of a sample: the file as base64 and its one-time key, in one JSON response (never the
/// sample's bytes as they are).
struct SampleArchiveView: Encodable, Sendable {
    let format: String
    let algorithm: String
    let filename: String
    let sha256: String
    let size: Int
    /// Shown once: Tekigo keeps no copy.
    let key: String
    let archive: String
}

// MARK: - bodies

struct ArchiveBody: StrictBody {
    static let fields: Set<String> = ["confirmWarning"]
    let confirmWarning: Bool?
}

struct TransferBody: StrictBody {
    static let fields: Set<String> = ["sentAt", "method", "sentBy", "dc3Reference", "note"]
    let sentAt: String
    let method: String
    let sentBy: String
    let dc3Reference: String?
    let note: String?
}

struct MediaBody: StrictBody {
    static let fields: Set<String> = ["kind", "description", "location", "sha256", "size", "holder"]
    let kind: String
    let description: String
    let location: String
    let sha256: String?
    let size: Int?
    let holder: String
}

struct MediaReplaceBody: StrictBody {
    static let fields: Set<String> = ["location", "sha256", "size", "version"]
    let location: String
    let sha256: String?
    let size: Int?
    let version: Int
}

struct CustodyBody: StrictBody {
    static let fields: Set<String> = ["itemKind", "itemId", "at", "from", "to", "purpose"]
    let itemKind: String
    let itemId: String
    let at: String
    let from: String
    let to: String
    let purpose: String?
}

struct DoDRequestBody: StrictBody {
    static let fields: Set<String> = ["kind", "receivedAt", "requestedBy", "reference", "asked", "dueAt"]
    let kind: String
    let receivedAt: String
    let requestedBy: String
    let reference: String?
    let asked: String
    let dueAt: String?
}

struct DoDResponseBody: StrictBody {
    static let fields: Set<String> = ["respondedAt", "respondedBy", "text"]
    let respondedAt: String
    let respondedBy: String
    let text: String
}

// MARK: - routes

/// The incident registers inside `/api/v1/organizations/{org}/incidents/{incident}` (issue 13 item 5; DFARS
/// 252.204-7012 (d)–(g)): malware samples (raw body upload, never downloaded as they are: only `POST …/archive`
/// with `confirmWarning: true`, JSON with the encrypted file and its one-time key), transfers to DC3, media with
/// chain of custody, DoD's requests and answers. Need-to-know is the use cases' (`IncidentRegisterUseCases`): the
/// membership check here is only `.read`. A change of a held item is 409 `held_item` with `heldUntil` (ISO 8601, or
/// null while no DoD initial report is recorded).
struct IncidentRegisterRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/incidents/:incident/registers", use: registers)
        org.get("/incidents/:incident/hold", use: hold)
        org.post("/incidents/:incident/malware", use: addSample)
        org.put("/incidents/:incident/malware/:sha256", use: replaceSample)
        org.delete("/incidents/:incident/malware/:sha256", use: disposeSample)
        org.post("/incidents/:incident/malware/:sha256/archive", use: archive)
        org.post("/incidents/:incident/malware/:sha256/transfers", use: transfer)
        org.post("/incidents/:incident/media", use: addMedia)
        org.put("/incidents/:incident/media/:media", use: replaceMedia)
        org.delete("/incidents/:incident/media/:media", use: disposeMedia)
        org.post("/incidents/:incident/custody", use: custody)
        org.post("/incidents/:incident/dod-requests", use: dodRequest)
        org.post("/incidents/:incident/dod-requests/:request/responses", use: dodResponse)
    }

    func useCases(_ context: TenantContext) throws -> IncidentRegisterUseCases {
        let m = try context.membership(for: .read)
        return IncidentRegisterUseCases(services.tenantEnvironment, m.scope)
    }

    /// The registers' errors as the API reports them; a held item is 409 with the hold's end in `heldUntil`.
    static func answer(_ context: TenantContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let e as IncidentError {
            if case .heldItem(let until) = e { return heldResponse(until) }
            throw APIError.invalid(field: nil, message: e.description)
        } catch let e as IncidentUseCaseError {
            if case .notAllowed = e { throw APIError.forbidden(e.description) }
            throw APIError.invalid(field: e.field, message: e.description)
        } catch let e as IncidentRegisterError {
            if case .disposed = e { throw APIError.conflict(e.description) }
            throw APIError.invalid(field: e.field, message: e.description)
        } catch RegisterStoreError.sampleDisposed(let sha) {
            throw APIError.conflict(RegisterStoreError.sampleDisposed(sha).description)
        }
    }

    static func heldResponse(_ until: Date?) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
                let heldUntil: String?
                enum CodingKeys: String, CodingKey { case code, message, heldUntil }
                func encode(to encoder: any Encoder) throws {
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encode(code, forKey: .code)
                    try c.encode(message, forKey: .message)
                    try c.encode(heldUntil, forKey: .heldUntil)
                }
            }
            let error: Detail
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(error: .init(code: "held_item", message: IncidentError.heldItem(until: until).description,
                                     heldUntil: until.map(Timestamp.string)))
        return Response(status: .conflict, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: (try? e.encode(body)) ?? Data())))
    }

    static func json<T: Encodable & Sendable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try e.encode(value))))
    }

    func rawBody(_ request: Request) async throws -> Data {
        let limit = services.evidence.maxSize
        do { return Data(buffer: try await request.body.collect(upTo: limit)) } catch { throw APIError.tooLarge(limit: limit) }
    }

    // MARK: handlers

    func registers(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let r = try await useCases(context).registers(incidentID: try context.parameters.require("incident"))
            return try Self.json(IncidentRegistersView(r))
        }
    }

    func hold(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            try Self.json(PreservationHoldView(try await useCases(context).hold(incidentID: try context.parameters.require("incident"))))
        }
    }

    /// The raw sample is the body; `?filename=` and `?description=` label it.
    func addSample(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let u = try useCases(context)
            let data = try await rawBody(request)
            let q = request.uri.queryParameters
            let r = try await u.addSample(incidentID: try context.parameters.require("incident"), data: data,
                                          filename: try plainText(q["filename"].map(String.init) ?? "sample", field: "filename"),
                                          description: try plainText(q["description"].map(String.init) ?? "", field: "description"))
            return try Self.json(r, status: .created)
        }
    }

    func replaceSample(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let u = try useCases(context)
            let data = try await rawBody(request)
            let r = try await u.replaceSample(incidentID: try context.parameters.require("incident"),
                                              sha256: try context.parameters.require("sha256"), data: data,
                                              filename: try plainText(request.uri.queryParameters["filename"].map(String.init) ?? "sample",
                                                                      field: "filename"))
            return try Self.json(r)
        }
    }

    func disposeSample(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            _ = try await useCases(context).disposeSample(incidentID: try context.parameters.require("incident"),
                                                          sha256: try context.parameters.require("sha256"))
            return Response(status: .noContent)
        }
    }

    func archive(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(ArchiveBody.self, context: context)
            let a = try await useCases(context).sampleArchive(incidentID: try context.parameters.require("incident"),
                                                              sha256: try context.parameters.require("sha256"),
                                                              warningConfirmed: b.confirmWarning == true)
            var r = try Self.json(SampleArchiveView(format: IncidentSampleArchive.magic, algorithm: "AES-256-GCM", filename: a.filename,
                                                    sha256: a.sha256, size: a.size, key: a.keyHex, archive: a.data.base64EncodedString()))
            r.headers[.cacheControl] = "no-store"
            return r
        }
    }

    func transfer(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(TransferBody.self, context: context)
            let r = try await useCases(context).recordTransfer(
                incidentID: try context.parameters.require("incident"), sha256: try context.parameters.require("sha256"), sentAt: b.sentAt,
                method: b.method, sentBy: b.sentBy, dc3Reference: b.dc3Reference ?? "", note: b.note ?? "")
            return try Self.json(r, status: .created)
        }
    }

    func addMedia(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(MediaBody.self, context: context)
            let r = try await useCases(context).addMedia(
                incidentID: try context.parameters.require("incident"),
                MediaDraft(kind: b.kind, description: b.description, location: b.location, sha256: b.sha256 ?? "",
                           size: b.size.map(String.init) ?? "", holder: b.holder))
            return try Self.json(r, status: .created)
        }
    }

    func replaceMedia(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(MediaReplaceBody.self, context: context)
            let r = try await useCases(context).replaceMedia(
                incidentID: try context.parameters.require("incident"), id: try context.parameters.require("media"), location: b.location,
                sha256: b.sha256 ?? "", size: b.size.map(String.init) ?? "", expectedVersion: b.version)
            return try Self.json(r)
        }
    }

    func disposeMedia(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            _ = try await useCases(context).disposeMedia(incidentID: try context.parameters.require("incident"),
                                                         id: try context.parameters.require("media"))
            return Response(status: .noContent)
        }
    }

    func custody(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(CustodyBody.self, context: context)
            let r = try await useCases(context).recordCustody(
                incidentID: try context.parameters.require("incident"), itemKind: b.itemKind, itemID: b.itemId, at: b.at, from: b.from,
                to: b.to, purpose: b.purpose ?? "")
            return try Self.json(r, status: .created)
        }
    }

    func dodRequest(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(DoDRequestBody.self, context: context)
            let r = try await useCases(context).recordRequest(
                incidentID: try context.parameters.require("incident"), kind: b.kind, receivedAt: b.receivedAt, requestedBy: b.requestedBy,
                reference: b.reference ?? "", asked: b.asked, dueAt: b.dueAt ?? "")
            return try Self.json(r, status: .created)
        }
    }

    func dodResponse(_ request: Request, context: TenantContext) async throws -> Response {
        try await Self.answer(context) {
            let b = try await request.decodeStrict(DoDResponseBody.self, context: context)
            let r = try await useCases(context).recordResponse(
                incidentID: try context.parameters.require("incident"), requestID: try context.parameters.require("request"),
                respondedAt: b.respondedAt, respondedBy: b.respondedBy, text: b.text)
            return try Self.json(r, status: .created)
        }
    }
}
