import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Outside TAXII feeds in the browser (issue 14 items 3 and 6), ja/en, no script: the organization's feeds with their
/// state (last run, its result, why it failed in the viewer's language, objects added last time and in all, when the
/// scheduler pulls next, on or off) and the form that subscribes a collection the organization may write to an outside
/// TAXII 2.1 collection (none, HTTP Basic or a bearer token: the password or token is sealed and never shown back, nor
/// logged); one feed's page with its settings, resume point and run history, and its forms: pull now, scheduled pulls on
/// or off, the interval, delete. `TAXIIFeedUseCases` decides who may: owners and administrators change feeds, the other
/// members see their status, an external auditor gets the forbidden page. Every form is CSRF-checked.
struct FeedPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "sharing"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.sharingFeeds(org: .key).pattern, use: guarded(list))
        pages.post(PageRoute.sharingFeeds(org: .key).pattern, use: guarded(subscribe))
        pages.get(PageRoute.sharingFeed(org: .key, feed: .key).pattern, use: guarded(detail))
        pages.post(PageRoute.sharingFeedPull(org: .key, feed: .key).pattern, use: guarded(pull))
        pages.post(PageRoute.sharingFeedEnabled(org: .key, feed: .key).pattern, use: guarded(setEnabled))
        pages.post(PageRoute.sharingFeedInterval(org: .key, feed: .key).pattern, use: guarded(setInterval))
        pages.post(PageRoute.sharingFeedDelete(org: .key, feed: .key).pattern, use: guarded(delete))
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the use cases decide, and a refusal of who may act is the forbidden page, an
    /// unknown feed the not-found page.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let web = web
        return { request, context in
            let page = try await web.orgPage(request, context, .read)
            do {
                return try await handler(request, context, page)
            } catch let e as TAXIIFeedError {
                switch e {
                case .notAllowed:
                    return try await PageErrorMiddleware(web: web).errorPage(request, context, .forbidden, "error_forbidden")
                case .unknownFeed:
                    return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found")
                default:
                    throw e
                }
            }
        }
    }

    /// The signed-in person as the feed use cases take the caller.
    func useCases(_ page: OrgPage) -> TAXIIFeedUseCases {
        services.taxiiFeeds(TAXIICaller(organizationID: page.org, personID: page.viewer.user.id, role: page.member.role, readOnly: false,
                                        actor: page.member.actor))
    }

    /// A refusal shown beside its form (nil: an error page).
    static func formError(_ e: any Error, _ lang: Language) -> String? {
        guard let e = e as? TAXIIFeedError else { return nil }
        switch e {
        case .notAllowed, .unknownFeed: return nil
        default: return e.text[lang]
        }
    }

    // MARK: the list and subscribing

    struct ListInput {
        var form = WebForm()
        var error: String?
    }

    func list(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await listView(page, request: request, input: ListInput(form: WebForm(fields: ["interval": ["60"], "auth": ["none"]])))
    }

    func listView(_ page: OrgPage, request: Request, input: ListInput, status: HTTPResponse.Status = .ok) async throws -> Response {
        let cases = useCases(page), lang = page.language, o = page.org, locale = page.viewer.locale
        let feeds = try await cases.feeds()
        let canChange = cases.mayChange
        let targets = canChange ? try await cases.writableCollections() : []
        let form = input.form
        let model = FeedListPage(
            feeds: feeds.map { f in
                FeedListPage.Row(url: PageRoute.sharingFeed(org: o, feed: f.id).path, community: f.community, collection: f.collection,
                                 remote: f.url, state: Self.state(f, lang, web), stateID: Self.stateID(f),
                                 lastRun: f.lastRunAt.map(locale.dateTime), error: f.lastError?[lang],
                                 lastAdded: locale.number(f.lastAdded), totalAdded: locale.number(f.totalAdded),
                                 nextDue: f.nextDueAt.map(locale.dateTime), enabled: f.enabled,
                                 interval: web.messages.text("feed_every_minutes", lang, ["n": "\(f.intervalMinutes)"]))
            },
            hasFeeds: !feeds.isEmpty, canChange: canChange, subscribeAction: PageRoute.sharingFeeds(org: o).path,
            targets: targets.map { t in
                let value = "\(t.community)/\(t.collection)"
                return SelectOption(value: value, label: "\(t.communityName) — \(t.title)", selected: form["target"] == value)
            },
            hasTargets: !targets.isEmpty, urlValue: form["url"],
            auths: TAXIIFeedAuth.allCases.map {
                SelectOption(value: $0.rawValue, label: web.messages.text("feed_auth_\($0.rawValue)", lang), selected: form["auth"] == $0.rawValue)
            },
            usernameValue: form["username"], intervalValue: form["interval"], error: input.error,
            sharingURL: PageRoute.sharing(org: o).path)
        return web.orgView("sharing-feed-list", page, titleKey: "feed_list_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// `ok`, `error`, `never` (not run yet): the state badge.
    static func stateID(_ f: TAXIIFeedView) -> String { f.lastResult ?? "never" }

    static func state(_ f: TAXIIFeedView, _ lang: Language, _ web: WebApp) -> String {
        web.messages.text("feed_state_\(stateID(f))", lang)
    }

    func subscribe(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        // The secret is read from the form once and handed to the use case, never put back in the page.
        let shown = WebForm(fields: form.fields.filter { $0.key != "secret" })
        do {
            let target = form["target"].split(separator: "/", maxSplits: 1).map(String.init)
            guard target.count == 2 else {
                return try await listView(page, request: request, input: ListInput(form: shown, error: web.messages.text("feed_choose_collection", lang)),
                                          status: .badRequest)
            }
            guard let auth = TAXIIFeedAuth(rawValue: form["auth"]) else { throw TAXIIFeedError.badCredentials("choose how to sign in") }
            guard let interval = Int(form["interval"].trimmingCharacters(in: .whitespaces)) else { throw TAXIIFeedError.badInterval(0) }
            let username = form["username"].trimmingCharacters(in: .whitespaces)
            let secret = form["secret"]
            let feed = try await useCases(page).subscribe(root: target[0], collection: target[1], url: form["url"].trimmingCharacters(in: .whitespaces),
                                                          auth: auth, username: auth == .basic ? username : nil,
                                                          secret: auth == .none ? nil : secret, intervalMinutes: interval)
            return WebApp.redirect(PageRoute.sharingFeed(org: page.org, feed: feed.id).path + "?notice=feed_subscribed")
        } catch let e where Self.formError(e, lang) != nil {
            return try await listView(page, request: request, input: ListInput(form: shown, error: Self.formError(e, lang)), status: .badRequest)
        }
    }

    // MARK: one feed

    struct DetailInput {
        var intervalValue: String?
        var intervalError: String?
        var actionError: String?
    }

    func detail(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await detailView(page, request: request, id: try context.parameters.require("feed"), input: DetailInput())
    }

    func detailView(_ page: OrgPage, request: Request, id: String, input: DetailInput, status: HTTPResponse.Status = .ok) async throws -> Response {
        let cases = useCases(page), lang = page.language, o = page.org, locale = page.viewer.locale
        let f = try await cases.feed(id: id)
        let runs = try await cases.runs(feedID: id)
        let model = FeedDetailPage(
            community: f.community, collection: f.collection, remote: f.url,
            auth: web.messages.text("feed_auth_\(f.auth)", lang), username: f.username, enabled: f.enabled,
            interval: web.messages.text("feed_every_minutes", lang, ["n": "\(f.intervalMinutes)"]),
            created: locale.dateTime(f.createdAt), resumeAfter: f.resumeAfter, state: Self.state(f, lang, web), stateID: Self.stateID(f),
            lastRun: f.lastRunAt.map(locale.dateTime), error: f.lastError?[lang], lastAdded: locale.number(f.lastAdded),
            totalAdded: locale.number(f.totalAdded), nextDue: f.nextDueAt.map(locale.dateTime),
            canChange: cases.mayChange, pullAction: PageRoute.sharingFeedPull(org: o, feed: id).path,
            enabledAction: PageRoute.sharingFeedEnabled(org: o, feed: id).path, enableValue: f.enabled ? "0" : "1",
            intervalAction: PageRoute.sharingFeedInterval(org: o, feed: id).path,
            intervalValue: input.intervalValue ?? "\(f.intervalMinutes)", intervalError: input.intervalError,
            deleteAction: PageRoute.sharingFeedDelete(org: o, feed: id).path, actionError: input.actionError,
            runs: runs.map { r in
                FeedDetailPage.Run(started: locale.dateTime(r.startedAt), ended: locale.dateTime(r.endedAt),
                                   by: r.startedBy == TAXIIFeedScheduler.actorID ? web.messages.text("feed_by_scheduler", lang) : r.startedBy,
                                   ok: r.result == "ok", result: web.messages.text("feed_state_\(r.result)", lang),
                                   pages: locale.number(r.pages), added: locale.number(r.added), error: r.error?[lang])
            },
            hasRuns: !runs.isEmpty, keptRuns: web.messages.text("feed_runs_kept", lang, ["n": "\(TAXIIFeedStore.keptRuns)"]),
            feedsURL: PageRoute.sharingFeeds(org: o).path)
        return web.orgView("sharing-feed-detail", page, titleKey: "feed_detail_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func pull(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("feed")
        do {
            let run = try await useCases(page).pull(feedID: id)
            return WebApp.redirect(PageRoute.sharingFeed(org: page.org, feed: id).path + "?notice=" + (run.error == nil ? "feed_pulled" : "feed_pull_failed"))
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id, input: DetailInput(actionError: Self.formError(e, page.language)),
                                        status: .conflict)
        }
    }

    func setEnabled(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("feed")
        _ = try await useCases(page).setEnabled(feedID: id, form["enabled"] == "1")
        return WebApp.redirect(PageRoute.sharingFeed(org: page.org, feed: id).path + "?notice=saved")
    }

    func setInterval(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("feed")
        let text = form["interval"].trimmingCharacters(in: .whitespaces)
        do {
            guard let minutes = Int(text) else { throw TAXIIFeedError.badInterval(0) }
            _ = try await useCases(page).setInterval(feedID: id, minutes: minutes)
        } catch let e where Self.formError(e, page.language) != nil {
            return try await detailView(page, request: request, id: id,
                                        input: DetailInput(intervalValue: text, intervalError: Self.formError(e, page.language)), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.sharingFeed(org: page.org, feed: id).path + "?notice=saved")
    }

    func delete(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await useCases(page).delete(feedID: try context.parameters.require("feed"))
        return WebApp.redirect(PageRoute.sharingFeeds(org: page.org).path + "?notice=feed_deleted")
    }
}

// MARK: page models

/// `sharing-feed-list`: the feeds with their state, and the subscribe form (owners and administrators).
struct FeedListPage: PageModel {
    struct Row: Encodable, Sendable {
        let url: String
        let community: String
        let collection: String
        let remote: String
        let state: String
        let stateID: String
        let lastRun: String?
        let error: String?
        let lastAdded: String
        let totalAdded: String
        let nextDue: String?
        let enabled: Bool
        let interval: String
    }

    let feeds: [Row]
    let hasFeeds: Bool
    let canChange: Bool
    let subscribeAction: String
    let targets: [SelectOption]
    let hasTargets: Bool
    let urlValue: String
    let auths: [SelectOption]
    let usernameValue: String
    let intervalValue: String
    let error: String?
    let sharingURL: String
}

/// `sharing-feed-detail`: one feed's settings, state, forms and run history.
struct FeedDetailPage: PageModel {
    struct Run: Encodable, Sendable {
        let started: String
        let ended: String
        let by: String
        let ok: Bool
        let result: String
        let pages: String
        let added: String
        let error: String?
    }

    let community: String
    let collection: String
    let remote: String
    let auth: String
    let username: String?
    let enabled: Bool
    let interval: String
    let created: String
    let resumeAfter: String?
    let state: String
    let stateID: String
    let lastRun: String?
    let error: String?
    let lastAdded: String
    let totalAdded: String
    let nextDue: String?
    let canChange: Bool
    let pullAction: String
    let enabledAction: String
    let enableValue: String
    let intervalAction: String
    let intervalValue: String
    let intervalError: String?
    let deleteAction: String
    let actionError: String?
    let runs: [Run]
    let hasRuns: Bool
    let keptRuns: String
    let feedsURL: String
}
