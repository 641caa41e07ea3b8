import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Incident notices up the supply chain on the pages (issue 13 item 4; DFARS 204.7302(b)): the incidents in the
/// organization's tree that reached it (the prime's incident view, with acknowledge), one notice with its chain of
/// custody, and, on the supplier's side, sending an incident's report numbers to its customers with the fields it
/// chooses. Every rule is `IncidentNoticeUseCases`' / `IncidentNoticeQueries`', as for the API.
struct IncidentNoticePages {
    let web: WebApp
    var services: Services { web.services }
    /// The navigation section (the incidents area).
    static let section = "incidents"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.incidentNotices(org: .key).pattern, use: list)
        pages.get(PageRoute.incidentNotice(org: .key, notice: .key).pattern, use: show)
        pages.post(PageRoute.acknowledgeIncidentNotice(org: .key, notice: .key).pattern, use: acknowledge)
        pages.post(PageRoute.forwardIncidentNotice(org: .key, notice: .key).pattern, use: forward)
        pages.post(PageRoute.incidentNoticeSettings(org: .key).pattern, use: setSettings)
        pages.get(PageRoute.incidentNoticeSend(org: .key, incident: .key).pattern, use: sendForm)
        pages.post(PageRoute.incidentNoticeSend(org: .key, incident: .key).pattern, use: send)
    }

    func queries(_ page: OrgPage) -> IncidentNoticeQueries { IncidentNoticeQueries(services.tenantEnvironment, page.member.scope) }
    func cases(_ page: OrgPage) -> IncidentNoticeUseCases { IncidentNoticeUseCases(services.tenantEnvironment, page.member.scope) }

    static let pageSize = 50

    func t(_ key: String, _ page: OrgPage, _ values: [String: String] = [:]) -> String { web.messages.text(key, page.language, values) }

    /// An error of the notice use cases in the viewer's language (nil: not one of theirs).
    static func text(_ e: any Error, _ lang: Language) -> String? {
        switch e {
        case let e as IncidentNoticeError: return e.text[lang]
        case let e as IncidentNoticeRefusal: return e.text[lang]
        case let e as IncidentUseCaseError: return e.text[lang]
        default: return nil
        }
    }

    func party(_ p: NoticeParty, _ page: OrgPage) -> String { p.name ?? t("inotice_not_named", page) }

    func row(_ n: ReceivedNotice, _ page: OrgPage) -> IncidentNoticesPage.Row {
        let locale = page.viewer.locale
        let report = n.deadlines.first { $0.rule.id == "dfars-7012.report" }
        let hold = n.deadlines.first { $0.rule.id == "dfars-7012.preserve" }
        return .init(url: PageRoute.incidentNotice(org: page.org, notice: n.record.id).path, reportNumber: n.report.reportNumber,
                     kind: SubmissionKind(rawValue: n.report.reportKind)?.label[page.language] ?? n.report.reportKind,
                     supplier: party(n.origin, page), sender: party(n.sender, page), tier: n.tier,
                     discovered: locale.dateTime(n.report.discoveredAt), submitted: locale.dateTime(n.report.submittedAt),
                     reportClock: report.map { clock($0, page) } ?? "", holdUntil: hold?.due.map { locale.dateTime(Timestamp.string($0)) } ?? "",
                     acknowledged: n.record.acknowledgedAt.map(locale.dateTime), forwardState: t("inotice_forward_\(n.record.forwardState)", page))
    }

    func clock(_ d: IncidentDeadline, _ page: OrgPage) -> String {
        let lang = page.language
        switch d.state {
        case .met(_, let late): return t(late ? "inotice_clock_met_late" : "inotice_clock_met", page)
        case .open(let remaining): return t("inotice_clock_open", page, ["time": IncidentClock.duration(remaining, lang)])
        case .overdue(let by): return t("inotice_clock_overdue", page, ["time": IncidentClock.duration(by, lang)])
        default: return ""
        }
    }

    // MARK: the prime's view

    func list(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let q = request.uri.queryParameters
        let filter = q["state"].flatMap { NoticeStore.ReceivedFilter(rawValue: String($0)) } ?? .all
        let offset = max(0, q["offset"].flatMap { Int(String($0)) } ?? 0)
        let result = try await queries(page).received(filter: filter, limit: Self.pageSize, offset: offset)
        let o = page.org
        let base = PageRoute.incidentNotices(org: o).path
        let model = IncidentNoticesPage(
            rows: result.notices.map { row($0, page) }, hasRows: !result.notices.isEmpty, total: result.total,
            filters: NoticeStore.ReceivedFilter.allCases.map {
                .init(url: base + "?state=\($0.rawValue)", label: t("inotice_filter_\($0.rawValue)", page), current: $0 == filter)
            },
            nextURL: offset + Self.pageSize < result.total ? base + "?state=\(filter.rawValue)&offset=\(offset + Self.pageSize)" : nil,
            previousURL: offset > 0 ? base + "?state=\(filter.rawValue)&offset=\(max(0, offset - Self.pageSize))" : nil,
            autoForward: result.autoForward, canSet: page.member.role.allows(.manageIncidents),
            settingsAction: PageRoute.incidentNoticeSettings(org: o).path)
        return web.orgView("incident-notices", page, titleKey: "inotice_list_title", section: Self.section, model: model, request: request)
    }

    func show(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await detail(page, request: request, id: try context.parameters.require("notice"), error: nil)
    }

    func detail(_ page: OrgPage, request: Request, id: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (n, chain) = try await queries(page).received(id: id)
        let locale = page.viewer.locale, o = page.org
        let r = n.report
        var fields: [IncidentNoticePage.Field] = []
        func add(_ f: IncidentNoticeField, _ value: String?) { if let value { fields.append(.init(label: f.label[page.language], value: value)) } }
        add(.title, r.title)
        add(.phase, r.phase.flatMap { IncidentPhase(rawValue: $0)?.label[page.language] })
        add(.compromiseType, r.compromiseType.flatMap { CompromiseType(rawValue: $0)?.label[page.language] })
        add(.outcome, r.outcome.flatMap { IncidentOutcome(rawValue: $0)?.label[page.language] })
        add(.information, r.information)
        add(.technique, r.technique)
        add(.narrative, r.narrative)
        let model = IncidentNoticePage(
            row: row(n, page), cites: r.cites, contracts: n.record.contractNumbers.joined(separator: ", "), fields: fields,
            hasFields: !fields.isEmpty,
            clocks: n.deadlines.map { d in
                .init(label: d.rule.label[page.language], source: d.rule.source, due: d.due.map { locale.dateTime(Timestamp.string($0)) } ?? "",
                      state: clock(d, page))
            },
            chain: chain.map { .init(tier: $0.tier, signer: party($0.sender, page), keyID: $0.keyID, contracts: $0.contracts.joined(separator: ", ")) },
            forwardedTo: n.forwardedTo.isEmpty ? nil : n.forwardedTo.map { party($0, page) }.joined(separator: ", "),
            acknowledgedAbove: n.acknowledgementsAbove.map { t("inotice_ack_above_you", page, ["hops": "\($0.hops)", "at": locale.dateTime($0.at)]) },
            canAcknowledge: !n.record.isAcknowledged, acknowledgeAction: PageRoute.acknowledgeIncidentNotice(org: o, notice: id).path,
            canForward: n.record.state == .pending, forwardAction: PageRoute.forwardIncidentNotice(org: o, notice: id).path,
            fileURL: "/api/v1/organizations/\(o.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? o)/incident-notices/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)/file",
            listURL: PageRoute.incidentNotices(org: o).path, error: error)
        return web.orgView("incident-notice", page, titleKey: "inotice_detail_title", section: Self.section, model: model, request: request,
                           status: status)
    }

    func acknowledge(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("notice")
        do {
            _ = try await cases(page).acknowledge(noticeID: id)
        } catch let e where Self.text(e, page.language) != nil && !(e is IncidentUseCaseError) {
            return try await detail(page, request: request, id: id, error: Self.text(e, page.language), status: .conflict)
        }
        return WebApp.redirect(PageRoute.incidentNotice(org: page.org, notice: id).path + "?notice=inotice_acknowledged")
    }

    func forward(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("notice")
        do {
            _ = try await cases(page).forward(noticeID: id)
        } catch let e where Self.text(e, page.language) != nil && !(e is IncidentUseCaseError) {
            return try await detail(page, request: request, id: id, error: Self.text(e, page.language), status: .conflict)
        }
        return WebApp.redirect(PageRoute.incidentNotice(org: page.org, notice: id).path + "?notice=inotice_forwarded")
    }

    func setSettings(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let form = try await web.postedForm(request, viewer: page.viewer)
        try await cases(page).setAutoForward(form["auto_forward"] == "1")
        return WebApp.redirect(PageRoute.incidentNotices(org: page.org).path + "?notice=inotice_settings_saved")
    }

    // MARK: the supplier's side

    func sendForm(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await sendView(page, request: request, incident: try context.parameters.require("incident"), chosen: [], error: nil)
    }

    func sendView(_ page: OrgPage, request: Request, incident: String, chosen: Set<IncidentNoticeField>, error: String?,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let sent = try await queries(page).sent(incidentID: incident)
        let locale = page.viewer.locale
        let model = IncidentNoticeSendPage(
            fields: IncidentNoticeField.allCases.map { .init(name: $0.rawValue, label: $0.label[page.language], checked: chosen.contains($0)) },
            action: PageRoute.incidentNoticeSend(org: page.org, incident: incident).path,
            sent: sent.map { s in
                .init(recipient: party(s.recipient, page), reportNumber: s.record.reportNumber, contracts: s.record.contractNumbers.joined(separator: ", "),
                      sentAt: locale.dateTime(s.record.sentAt),
                      included: s.record.includedFields.map { $0.label[page.language] }.joined(separator: "、"),
                      acknowledgements: s.acknowledgements.map {
                          $0.hops == 0 ? t("inotice_ack_customer", page, ["at": locale.dateTime($0.at)])
                              : t("inotice_ack_above", page, ["hops": "\($0.hops)", "at": locale.dateTime($0.at)])
                      })
            },
            hasSent: !sent.isEmpty, error: error)
        return web.orgView("incident-notice-send", page, titleKey: "inotice_send_title", section: Self.section, model: model, request: request,
                           status: status)
    }

    func send(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let incident = try context.parameters.require("incident")
        let chosen = Set(form.values("include").compactMap(IncidentNoticeField.init(rawValue:)))
        do {
            _ = try await cases(page).sendNotices(incidentID: incident, include: chosen)
        } catch let e where Self.text(e, page.language) != nil && !(e is IncidentUseCaseError) {
            return try await sendView(page, request: request, incident: incident, chosen: chosen, error: Self.text(e, page.language),
                                      status: .conflict)
        }
        return WebApp.redirect(PageRoute.incidentNoticeSend(org: page.org, incident: incident).path + "?notice=inotice_sent")
    }
}

// MARK: - page models

struct IncidentNoticesPage: PageModel {
    struct Row: Encodable, Sendable {
        let url: String
        let reportNumber: String
        let kind: String
        let supplier: String
        let sender: String
        let tier: Int
        let discovered: String
        let submitted: String
        let reportClock: String
        let holdUntil: String
        let acknowledged: String?
        let forwardState: String
    }
    struct Filter: Encodable, Sendable {
        let url: String
        let label: String
        let current: Bool
    }
    let rows: [Row]
    let hasRows: Bool
    let total: Int
    let filters: [Filter]
    let nextURL: String?
    let previousURL: String?
    let autoForward: Bool
    let canSet: Bool
    let settingsAction: String
}

struct IncidentNoticePage: PageModel {
    struct Field: Encodable, Sendable {
        let label: String
        let value: String
    }
    struct Clock: Encodable, Sendable {
        let label: String
        let source: String
        let due: String
        let state: String
    }
    struct Layer: Encodable, Sendable {
        let tier: Int
        let signer: String
        let keyID: String
        let contracts: String
    }
    let row: IncidentNoticesPage.Row
    let cites: String?
    let contracts: String
    let fields: [Field]
    let hasFields: Bool
    let clocks: [Clock]
    let chain: [Layer]
    let forwardedTo: String?
    let acknowledgedAbove: [String]
    let canAcknowledge: Bool
    let acknowledgeAction: String
    let canForward: Bool
    let forwardAction: String
    let fileURL: String
    let listURL: String
    let error: String?
}

struct IncidentNoticeSendPage: PageModel {
    struct Choice: Encodable, Sendable {
        let name: String
        let label: String
        let checked: Bool
    }
    struct Sent: Encodable, Sendable {
        let recipient: String
        let reportNumber: String
        let contracts: String
        let sentAt: String
        let included: String
        let acknowledgements: [String]
    }
    let fields: [Choice]
    let action: String
    let sent: [Sent]
    let hasSent: Bool
    let error: String?
}
