import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// One incident's registers in the browser (issue 13 item 5; DFARS 252.204-7012 (d)–(g)), without script: the
/// preservation hold, malware samples (upload; out only through the warning page as an encrypted archive whose
/// one-time key that page shows; transfers to DC3; disposal), media images and packet captures (add, point at
/// another copy, disposal), the chain of custody, and DoD's forensic-access and damage-assessment requests with the
/// answers. Need-to-know and every rule are `IncidentRegisterUseCases`': a member without the grant gets a 403 page
/// saying who can give it; a change of a held item gets a 409 page naming the end of the hold in the viewer's
/// language and zone.
struct IncidentRegisterPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "incidents"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.incidentRegisters(org: .key, incident: .key).pattern, use: guarded(show))
        pages.post(PageRoute.incidentRegisterSamples(org: .key, incident: .key).pattern, use: guarded(addSample))
        pages.get(PageRoute.incidentSampleArchive(org: .key, incident: .key, sample: .key).pattern, use: guarded(warning))
        pages.post(PageRoute.incidentSampleArchive(org: .key, incident: .key, sample: .key).pattern, use: guarded(download))
        pages.post(PageRoute.incidentSampleDispose(org: .key, incident: .key, sample: .key).pattern, use: guarded(disposeSample))
        pages.post(PageRoute.incidentSampleTransfers(org: .key, incident: .key).pattern, use: guarded(transfer))
        pages.post(PageRoute.incidentRegisterMedia(org: .key, incident: .key).pattern, use: guarded(addMedia))
        pages.post(PageRoute.incidentMediaReplace(org: .key, incident: .key, media: .key).pattern, use: guarded(replaceMedia))
        pages.post(PageRoute.incidentMediaDispose(org: .key, incident: .key, media: .key).pattern, use: guarded(disposeMedia))
        pages.post(PageRoute.incidentRegisterCustody(org: .key, incident: .key).pattern, use: guarded(custody))
        pages.post(PageRoute.incidentDoDRequests(org: .key, incident: .key).pattern, use: guarded(dodRequest))
        pages.post(PageRoute.incidentDoDResponses(org: .key, incident: .key, request: .key).pattern, use: guarded(dodResponse))
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the use cases decide. Need-to-know refusals become the 403 page, the hold's
    /// the 409 page, a bad value the registers page again with the message (400).
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let pages = self
        return { request, context in
            let page = try await pages.web.orgPage(request, context, .read)
            let incident = try context.parameters.require("incident")
            do {
                return try await handler(request, context, page)
            } catch IncidentUseCaseError.notAllowed(let action) {
                let model = IncidentRegisterMessagePage(heading: pages.web.messages.text("increg_forbidden_title", page.language),
                                                        message: IncidentUseCaseError.notAllowed(action).text[page.language],
                                                        detail: pages.web.messages.text("increg_forbidden_who", page.language),
                                                        backURL: PageRoute.organization(org: page.org).path)
                return pages.web.orgView("incident-register-message", page, titleKey: "increg_forbidden_title", section: Self.section,
                                         model: model, request: request, status: .forbidden)
            } catch IncidentError.heldItem(let until) {
                var detail = pages.web.messages.text("increg_held_no_end", page.language)
                if let until {
                    detail = pages.web.messages.text("increg_held_until_local", page.language,
                                                     ["time": page.viewer.locale.dateTime(Timestamp.string(until))])
                }
                let model = IncidentRegisterMessagePage(heading: pages.web.messages.text("increg_held_title", page.language),
                                                        message: IncidentError.heldItem(until: until).text[page.language], detail: detail,
                                                        backURL: PageRoute.incidentRegisters(org: page.org, incident: incident).path)
                return pages.web.orgView("incident-register-message", page, titleKey: "increg_held_title", section: Self.section,
                                         model: model, request: request, status: .conflict)
            } catch let e where Self.message(e, page.language) != nil {
                return try await pages.view(page, request: request, incidentID: incident, error: Self.message(e, page.language),
                                            status: e is RegisterStoreError ? .conflict : .badRequest)
            }
        }
    }

    /// The text of an error a form can cause, in `lang`; nil for anything else (a server fault, a missing record).
    static func message(_ e: any Error, _ lang: Language) -> String? {
        switch e {
        case let e as IncidentRegisterError: return e.text[lang]
        case let e as IncidentError: return e.text[lang]
        case let e as IncidentUseCaseError: return e.text[lang]
        case RegisterStoreError.sampleDisposed(let sha): return IncidentRegisterError.disposed(sha).text[lang]
        case is VersionConflict:
            return lang == .ja ? "他の人が先にこの記録を変更しました。最新の内容を確認してから、もう一度変更してください。"
                : "Someone changed this entry meanwhile; check the current values and make the change again."
        default: return nil
        }
    }

    func useCases(_ page: OrgPage) -> IncidentRegisterUseCases { IncidentRegisterUseCases(services.tenantEnvironment, page.member.scope) }

    func back(_ page: OrgPage, _ incident: String, _ notice: String) -> Response {
        WebApp.redirect(PageRoute.incidentRegisters(org: page.org, incident: incident).path + "?notice=" + notice)
    }

    /// A time from a form: as written when it carries `Z` or an offset, else read in the viewer's time zone (a
    /// `datetime-local` field) and given that zone's offset at that time.
    static func instant(_ raw: String, zone: TimeZone) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return text }
        if case .failure(let e) = Result(catching: { try OffsetInstant.parse(text) }), case .instantWithoutOffset = e as? IncidentError {
            let parts = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
            guard parts.count >= 5 else { return text }
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            guard let d = cal.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                                                        second: parts.count > 5 ? parts[5] : 0)) else { return text }
            return OffsetInstant.format(d, in: zone)
        }
        return text
    }

    // MARK: the page

    func show(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await view(page, request: request, incidentID: try context.parameters.require("incident"), error: nil)
    }

    func view(_ page: OrgPage, request: Request, incidentID: String, error: String?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, locale = page.viewer.locale, o = page.org, i = incidentID
        let r = try await useCases(page).registers(incidentID: i)
        func t(_ key: String, _ values: [String: String] = [:]) -> String { web.messages.text(key, lang, values) }
        func when(_ stamp: String?) -> String { stamp.map { locale.dateTime($0) } ?? "" }
        let holdText: String
        switch r.hold {
        case .awaitingReport: holdText = t("increg_hold_awaiting")
        case .heldUntil(let d): holdText = t("increg_hold_until", ["time": locale.dateTime(Timestamp.string(d)), "utc": Timestamp.string(d)])
        case .ended(let d): holdText = t("increg_hold_ended", ["time": locale.dateTime(Timestamp.string(d))])
        }
        let sampleNames = Dictionary(r.samples.map { ($0.id, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        let mediaNames = Dictionary(r.media.map { ($0.id, $0.description) }, uniquingKeysWith: { a, _ in a })
        let answers = Dictionary(grouping: r.responses, by: \.requestId)
        let live = r.samples.filter { !$0.isDisposed }
        let model = IncidentRegistersPage(
            title: r.title, exercise: r.exercise, incidentURL: PageRoute.incident(org: o, incident: i).path,
            held: r.hold.isHeld, holdText: holdText, canManage: r.canManage, error: error,
            samples: r.samples.map { s in
                .init(sha256: s.sha256, label: s.filename, size: locale.number(s.size), description: s.description, added: when(s.addedAt),
                      disposed: s.disposedAt.map { t("increg_disposed_at", ["time": locale.dateTime($0)]) },
                      archiveURL: s.isDisposed ? nil : PageRoute.incidentSampleArchive(org: o, incident: i, sample: s.sha256).path,
                      disposeURL: s.isDisposed || !r.canManage ? nil : PageRoute.incidentSampleDispose(org: o, incident: i, sample: s.sha256).path)
            },
            hasSamples: !r.samples.isEmpty,
            sampleAction: PageRoute.incidentRegisterSamples(org: o, incident: i).path,
            transfers: r.transfers.map { .init(sha256: $0.sampleSha256, sent: when($0.sentAt), method: $0.method, sentBy: $0.sentBy,
                                               reference: $0.dc3Reference, note: $0.note) },
            hasTransfers: !r.transfers.isEmpty,
            transferAction: PageRoute.incidentSampleTransfers(org: o, incident: i).path,
            transferOptions: live.map { SelectOption(value: $0.sha256, label: "\($0.filename) — \($0.sha256.prefix(16))…", selected: false) },
            hasLiveSamples: !live.isEmpty,
            media: r.media.map { m in
                .init(id: m.id, kind: PreservedMediaKind(rawValue: m.kind)?.label[lang] ?? m.kind, description: m.description,
                      location: m.location, sha256: m.sha256, size: m.size.map { locale.number($0) } ?? "", holder: m.holder,
                      version: m.version, added: when(m.addedAt),
                      disposed: m.disposedAt.map { t("increg_disposed_at", ["time": locale.dateTime($0)]) },
                      replaceURL: m.isDisposed || !r.canManage ? nil : PageRoute.incidentMediaReplace(org: o, incident: i, media: m.id).path,
                      disposeURL: m.isDisposed || !r.canManage ? nil : PageRoute.incidentMediaDispose(org: o, incident: i, media: m.id).path)
            },
            hasMedia: !r.media.isEmpty,
            mediaAction: PageRoute.incidentRegisterMedia(org: o, incident: i).path,
            mediaKinds: PreservedMediaKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: false) },
            custody: r.custody.map { c in
                .init(at: when(c.at), item: c.itemKind == CustodyItemKind.media.rawValue
                        ? t("increg_item_media", ["name": mediaNames[c.itemId] ?? c.itemId])
                        : t("increg_item_malware", ["name": sampleNames[c.itemId] ?? c.itemId]),
                      from: c.fromParty, to: c.toParty, purpose: c.purpose)
            },
            hasCustody: !r.custody.isEmpty,
            custodyAction: PageRoute.incidentRegisterCustody(org: o, incident: i).path,
            custodyItems: r.media.filter { !$0.isDisposed }.map { SelectOption(value: "media:\($0.id)", label: t("increg_item_media", ["name": $0.description]), selected: false) }
                + live.map { SelectOption(value: "malware:\($0.id)", label: t("increg_item_malware", ["name": $0.sha256]), selected: false) },
            hasCustodyItems: r.media.contains { !$0.isDisposed } || !live.isEmpty,
            requests: r.requests.map { q in
                .init(kind: DoDRequestKind(rawValue: q.kind)?.label[lang] ?? q.kind, received: when(q.receivedAt), requestedBy: q.requestedBy,
                      reference: q.reference, asked: q.asked, due: q.dueAt.map { locale.dateTime($0) },
                      responses: (answers[q.id] ?? []).map { .init(at: when($0.respondedAt), by: $0.respondedBy, text: $0.text) },
                      responseAction: PageRoute.incidentDoDResponses(org: o, incident: i, request: q.id).path, fieldID: "resp-\(q.id)")
            },
            hasRequests: !r.requests.isEmpty,
            requestAction: PageRoute.incidentDoDRequests(org: o, incident: i).path,
            requestKinds: DoDRequestKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: false) },
            zone: locale.timeZone.identifier)
        return web.orgView("incident-register", page, titleKey: "increg_title", section: Self.section, model: model, request: request,
                           status: status)
    }

    // MARK: (d) samples

    func addSample(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        guard let file = form.files.first(where: { $0.field == "file" }) else { throw IncidentRegisterError.emptySample }
        _ = try await useCases(page).addSample(incidentID: i, data: file.data, filename: file.filename, description: form["description"])
        return back(page, i, "increg_sample_added")
    }

    /// The warning page: what the archive is, how to open it, and the one-time key (new on every visit), sent back
    /// by the confirming form.
    func warning(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await warningView(page, request: request, incident: try context.parameters.require("incident"),
                              sample: try context.parameters.require("sample"), error: nil)
    }

    func warningView(_ page: OrgPage, request: Request, incident i: String, sample: String, error: String?,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let r = try await useCases(page).registers(incidentID: i)
        guard let s = r.samples.first(where: { $0.sha256 == sample.lowercased() }), !s.isDisposed else {
            throw APIError.notFound("Malware sample \(sample)")
        }
        guard r.canManage else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let model = IncidentSampleWarningPage(
            title: r.title, sha256: s.sha256, label: s.filename, size: page.viewer.locale.number(s.size), key: IncidentSampleArchive.newKeyHex(),
            filename: "\(s.sha256).tekigo-sample", action: PageRoute.incidentSampleArchive(org: page.org, incident: i, sample: s.sha256).path,
            registersURL: PageRoute.incidentRegisters(org: page.org, incident: i).path, error: error)
        return web.orgView("incident-register-warning", page, titleKey: "increg_warning_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// The encrypted archive, as an attachment that nothing opens by itself.
    func download(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident"), sample = try context.parameters.require("sample")
        do {
            let a = try await useCases(page).sampleArchive(incidentID: i, sha256: sample, warningConfirmed: form["confirm"] == "yes",
                                                           keyHex: form["key"])
            return Response(status: .ok, headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(a.filename)\"",
                .xContentTypeOptions: "nosniff",
                .cacheControl: "no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: a.data)))
        } catch let e as IncidentRegisterError {
            return try await warningView(page, request: request, incident: i, sample: sample, error: e.text[page.language], status: .badRequest)
        }
    }

    func disposeSample(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        _ = try await useCases(page).disposeSample(incidentID: i, sha256: try context.parameters.require("sample"))
        return back(page, i, "increg_disposed")
    }

    func transfer(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident"), zone = page.viewer.locale.timeZone
        _ = try await useCases(page).recordTransfer(incidentID: i, sha256: form["sample"], sentAt: Self.instant(form["sent_at"], zone: zone),
                                                    method: form["method"], sentBy: form["sent_by"], dc3Reference: form["reference"],
                                                    note: form["note"])
        return back(page, i, "increg_recorded")
    }

    // MARK: (e) media and custody

    func addMedia(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        _ = try await useCases(page).addMedia(incidentID: i, MediaDraft(kind: form["kind"], description: form["description"],
                                                                      location: form["location"], sha256: form["sha256"], size: form["size"],
                                                                      holder: form["holder"]))
        return back(page, i, "increg_recorded")
    }

    func replaceMedia(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        _ = try await useCases(page).replaceMedia(incidentID: i, id: try context.parameters.require("media"), location: form["location"],
                                                  sha256: form["sha256"], size: form["size"], expectedVersion: Int(form["version"]) ?? 0)
        return back(page, i, "increg_replaced")
    }

    func disposeMedia(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        _ = try await useCases(page).disposeMedia(incidentID: i, id: try context.parameters.require("media"))
        return back(page, i, "increg_disposed")
    }

    func custody(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        let item = form["item"].split(separator: ":", maxSplits: 1).map(String.init)
        _ = try await useCases(page).recordCustody(incidentID: i, itemKind: item.first ?? "", itemID: item.count > 1 ? item[1] : "",
                                                   at: Self.instant(form["at"], zone: page.viewer.locale.timeZone), from: form["from"],
                                                   to: form["to"], purpose: form["purpose"])
        return back(page, i, "increg_recorded")
    }

    // MARK: (f), (g)

    func dodRequest(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident"), zone = page.viewer.locale.timeZone
        _ = try await useCases(page).recordRequest(incidentID: i, kind: form["kind"], receivedAt: Self.instant(form["received_at"], zone: zone),
                                                   requestedBy: form["requested_by"], reference: form["reference"], asked: form["asked"],
                                                   dueAt: Self.instant(form["due_at"], zone: zone))
        return back(page, i, "increg_recorded")
    }

    func dodResponse(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let i = try context.parameters.require("incident")
        _ = try await useCases(page).recordResponse(incidentID: i, requestID: try context.parameters.require("request"),
                                                    respondedAt: Self.instant(form["responded_at"], zone: page.viewer.locale.timeZone),
                                                    respondedBy: form["responded_by"], text: form["text"])
        return back(page, i, "increg_recorded")
    }
}

// MARK: - models

/// `incident-register`: one incident's registers.
struct IncidentRegistersPage: PageModel {
    struct Sample: Encodable, Sendable {
        let sha256: String
        let label: String
        let size: String
        let description: String
        let added: String
        let disposed: String?
        let archiveURL: String?
        let disposeURL: String?
    }
    struct Transfer: Encodable, Sendable {
        let sha256: String
        let sent: String
        let method: String
        let sentBy: String
        let reference: String
        let note: String
    }
    struct Media: Encodable, Sendable {
        let id: String
        let kind: String
        let description: String
        let location: String
        let sha256: String
        let size: String
        let holder: String
        let version: Int
        let added: String
        let disposed: String?
        let replaceURL: String?
        let disposeURL: String?
    }
    struct Custody: Encodable, Sendable {
        let at: String
        let item: String
        let from: String
        let to: String
        let purpose: String
    }
    struct Response: Encodable, Sendable {
        let at: String
        let by: String
        let text: String
    }
    struct Request: Encodable, Sendable {
        let kind: String
        let received: String
        let requestedBy: String
        let reference: String
        let asked: String
        let due: String?
        let responses: [Response]
        let responseAction: String
        let fieldID: String
    }
    let title: String
    let exercise: Bool
    let incidentURL: String
    let held: Bool
    let holdText: String
    let canManage: Bool
    let error: String?
    let samples: [Sample]
    let hasSamples: Bool
    let sampleAction: String
    let transfers: [Transfer]
    let hasTransfers: Bool
    let transferAction: String
    let transferOptions: [SelectOption]
    let hasLiveSamples: Bool
    let media: [Media]
    let hasMedia: Bool
    let mediaAction: String
    let mediaKinds: [SelectOption]
    let custody: [Custody]
    let hasCustody: Bool
    let custodyAction: String
    let custodyItems: [SelectOption]
    let hasCustodyItems: Bool
    let requests: [Request]
    let hasRequests: Bool
    let requestAction: String
    let requestKinds: [SelectOption]
    let zone: String
}

/// `incident-register-warning`: the warning before a sample's encrypted archive, with its one-time key.
struct IncidentSampleWarningPage: PageModel {
    let title: String
    let sha256: String
    let label: String
    let size: String
    let key: String
    let filename: String
    let action: String
    let registersURL: String
    let error: String?
}

/// `incident-register-message`: a refusal (need-to-know 403, preservation hold 409) in the viewer's language.
struct IncidentRegisterMessagePage: PageModel {
    let heading: String
    let message: String
    let detail: String
    let backURL: String
}
