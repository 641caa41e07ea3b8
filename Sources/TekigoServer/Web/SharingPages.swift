import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

/// The sharing workspace in the browser (issue 14 item 6): the hub (the organization's communities, the collections
/// it may use, the newest shared objects), a collection's feed by kind, search by value (IP, domain, hash, CVE, URL,
/// e-mail) across every collection the organization may read, one object's history with what points at it, "we saw
/// this too" (a sighting, CSRF-checked, published with every publishing rule), and exports as CSV and STIX. Thin over
/// `SharingWorkspace`: it decides the audience (TLP:RED, CUI, can_read) and refuses an external auditor.
struct SharingPages {
    let web: WebApp
    var services: Services { web.services }

    static let section = "sharing"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.sharing(org: .key).pattern, use: guarded(hub))
        pages.get(PageRoute.sharingSearch(org: .key).pattern, use: guarded(search))
        pages.get(PageRoute.sharingSearchExport(org: .key).pattern, use: guarded(searchExport))
        pages.get(PageRoute.sharingCollection(org: .key, collection: .key).pattern, use: guarded(collection))
        pages.get(PageRoute.sharingCollectionExport(org: .key, collection: .key).pattern, use: guarded(collectionExport))
        pages.get(PageRoute.sharingObject(org: .key, collection: .key, object: .key).pattern, use: guarded(object))
        pages.post(PageRoute.sharingSighting(org: .key, collection: .key, object: .key).pattern, use: guarded(sight))
    }

    typealias Handler = @Sendable (Request, AppContext, OrgPage) async throws -> Response

    /// Any member reaches the handler; the workspace decides. Its refusals become pages: not found (a collection or
    /// object outside the viewer's audience is not told apart from one that does not exist), or a page that says why.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, AppContext) async throws -> Response {
        let web = web
        return { request, context in
            let page = try await web.orgPage(request, context, .read)
            do {
                return try await handler(request, context, page)
            } catch let e as ThreatIntelError {
                switch e {
                case .unknownCollection, .unknownObject, .unknownRoot, .unknownStatus:
                    return try await PageErrorMiddleware(web: web).errorPage(request, context, .notFound, "error_not_found")
                default:
                    return Self.refused(web, page, request, e.text[page.language])
                }
            } catch let e as SharingWorkspaceError {
                return Self.refused(web, page, request, e.text[page.language], status: .badRequest)
            }
        }
    }

    static func refused(_ web: WebApp, _ page: OrgPage, _ request: Request, _ message: String,
                        status: HTTPResponse.Status = .forbidden) -> Response {
        let model = SharingRefusedPage(message: message, hubURL: PageRoute.sharing(org: page.org).path,
                                       homeURL: PageRoute.organization(org: page.org).path)
        return web.orgView("sharing-refused", page, titleKey: "sharing_refused_title", section: section, model: model,
                           request: request, status: status)
    }

    func workspace(_ page: OrgPage) -> SharingWorkspace {
        SharingWorkspace(services.tenantEnvironment, page.member.scope, personID: page.viewer.user.id)
    }

    /// A parameter of the query as an HTML form sends it (`application/x-www-form-urlencoded`: `+` is a space, `%2B` a
    /// plus), read from the raw query so that a value pasted with spaces around it is still understood.
    static func query(_ request: Request, _ name: String) -> String {
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == Substring(name) else { continue }
            let value = String(parts[1]).replacingOccurrences(of: "+", with: " ")
            return (value.removingPercentEncoding ?? value).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ""
    }

    /// `?q=` for a link (the value percent-encoded).
    static func queryValue(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&+=#?")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func time(_ page: OrgPage, _ rfc3339: String) -> String {
        TAXIITime.parse(rfc3339).map { page.viewer.locale.dateTime(Timestamp.string($0)) } ?? rfc3339
    }

    static func tlpID(_ tlp: STIXObjectTLP) -> String { tlp.rawValue.replacingOccurrences(of: "+", with: "-") }

    func row(_ o: SharingObjectView, _ page: OrgPage) -> SharingObjectRow {
        SharingObjectRow(url: PageRoute.sharingObject(org: page.org, collection: o.collectionID, object: o.objectID).path, type: o.type,
                         summary: o.summary.isEmpty ? o.objectID : o.summary, tlp: o.tlpName, tlpID: Self.tlpID(o.tlp), cui: o.cui,
                         added: Self.time(page, o.dateAdded), collection: o.collectionTitle, publisher: o.publisher.label[page.language],
                         cves: o.cves.joined(separator: " "))
    }

    // MARK: hub

    func hub(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let hub = try await workspace(page).hub()
        let lang = page.language, t = web.messages
        let model = SharingHubPage(
            communities: hub.communities.map { c in
                var standing: [String] = [t.text(c.isAdministrator ? "sharing_standing_admin" : "sharing_standing_member", lang)]
                if c.listed { standing.append(t.text("sharing_standing_listed", lang)) }
                if c.cuiAuthorized { standing.append(t.text("sharing_standing_cui", lang)) }
                return .init(name: c.name, kind: t.text(c.kind == .isac ? "sharing_kind_isac" : "sharing_kind_supply_chain", lang),
                             standing: standing.joined(separator: lang == .ja ? "・" : ", "))
            },
            hasCommunities: !hub.communities.isEmpty,
            collections: hub.collections.map { c in
                let access = c.canRead && c.canWrite ? "sharing_access_read_write" : c.canRead ? "sharing_access_read" : "sharing_access_write"
                return .init(title: c.title, community: c.communityName,
                             url: c.canRead ? PageRoute.sharingCollection(org: page.org, collection: c.id).path : nil,
                             access: t.text(access, lang))
            },
            hasCollections: !hub.collections.isEmpty,
            newest: hub.newest.map { row($0, page) }, hasNewest: !hub.newest.isEmpty,
            searchAction: PageRoute.sharingSearch(org: page.org).path,
            communitiesURL: PageRoute.sharingCommunities(org: page.org).path, feedsURL: PageRoute.sharingFeeds(org: page.org).path)
        return web.orgView("sharing-hub", page, titleKey: "sharing_hub_title", section: Self.section, model: model, request: request)
    }

    // MARK: feed

    func collection(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("collection")
        let filter = SharingFeedFilter(rawValue: Self.query(request, "filter")) ?? .all
        let before = Self.query(request, "before")
        let feed = try await workspace(page).feed(collection: id, filter: filter, before: before.isEmpty ? nil : before)
        let lang = page.language
        let base = PageRoute.sharingCollection(org: page.org, collection: id).path
        let export = PageRoute.sharingCollectionExport(org: page.org, collection: id).path
        let model = SharingCollectionPage(
            title: feed.collection.title, community: feed.collection.communityName,
            description: feed.collection.description.isEmpty ? nil : feed.collection.description,
            filters: SharingFeedFilter.allCases.map {
                SharingFilterLink(label: $0.label[lang], url: $0 == .all ? base : base + "?filter=\($0.rawValue)", current: $0 == filter)
            },
            objects: feed.objects.map { row($0, page) }, hasObjects: !feed.objects.isEmpty,
            olderURL: feed.next.map { base + "?filter=\(filter.rawValue)&before=\($0)" },
            csvURL: export + "?format=csv", stixURL: export + "?format=stix", hubURL: PageRoute.sharing(org: page.org).path,
            searchAction: PageRoute.sharingSearch(org: page.org).path)
        return web.orgView("sharing-collection", page, titleKey: "sharing_collection_title", section: Self.section, model: model,
                           request: request, title: feed.collection.title)
    }

    func collectionExport(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let id = try context.parameters.require("collection")
        let format = SharingWorkspace.ExportFormat(rawValue: Self.query(request, "format")) ?? .csv
        return Self.download(try await workspace(page).export(collection: id, as: format))
    }

    static func download(_ file: SharingExportFile) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .contentDisposition: "attachment; filename=\"\(file.fileName)\"",
                                        .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    // MARK: search

    func search(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let q = Self.query(request, "q")
        let ws = workspace(page)
        let lang = page.language
        var understood: String?, error: String?, objects: [SharingObjectView] = [], truncated = false
        var status: HTTPResponse.Status = .ok
        if !q.isEmpty {
            do {
                let result = try await ws.search(q)
                understood = "\(result.understood.kind.label[lang]) \(result.understood.value)"
                objects = result.objects
                truncated = result.truncated
            } catch let e as SharingWorkspaceError {
                error = e.text[lang]
                status = .badRequest
            }
        } else {
            // An empty box still checks that the viewer may read shared intelligence.
            _ = try await ws.communities()
        }
        let export = PageRoute.sharingSearchExport(org: page.org).path + "?q=" + Self.queryValue(q)
        let found = understood != nil
        let model = SharingSearchPage(query: q, understood: understood, error: error, objects: objects.map { row($0, page) },
                                      hasObjects: !objects.isEmpty, searched: found, truncated: truncated,
                                      csvURL: found && !objects.isEmpty ? export + "&format=csv" : nil,
                                      stixURL: found && !objects.isEmpty ? export + "&format=stix" : nil,
                                      searchAction: PageRoute.sharingSearch(org: page.org).path, hubURL: PageRoute.sharing(org: page.org).path)
        return web.orgView("sharing-search", page, titleKey: "sharing_search_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func searchExport(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let format = SharingWorkspace.ExportFormat(rawValue: Self.query(request, "format")) ?? .csv
        return Self.download(try await workspace(page).export(search: Self.query(request, "q"), as: format))
    }

    // MARK: one object and "we saw this too"

    struct SightingInput {
        var form = WebForm()
        var error: String?
    }

    func object(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        try await objectView(request, context, page, input: SightingInput())
    }

    func objectView(_ request: Request, _ context: AppContext, _ page: OrgPage, input: SightingInput,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = try context.parameters.require("collection"), objectID = try context.parameters.require("object")
        let ws = workspace(page)
        let history = try await ws.object(collection: id, objectID: objectID)
        let lang = page.language
        let newest = history.newest
        let floor = TLPMarking(rawValue: newest.tlp.rawValue) ?? .clear
        let chosen = TLPMarking(rawValue: input.form["tlp"]) ?? max(floor, .amber)
        let mayWrite = history.collection.canWrite
        let refusal: String? = mayWrite ? nil
            : ThreatIntelError.cannotWrite(collection: history.collection.title).text[lang]
        let form = input.form
        let model = SharingObjectPage(
            objectID: history.objectID, type: history.type, summary: newest.summary, collection: history.collection.title,
            collectionURL: PageRoute.sharingCollection(org: page.org, collection: id).path,
            versions: history.versions.map { v in
                .init(version: v.version, added: Self.time(page, v.dateAdded), tlp: v.tlpName, tlpID: Self.tlpID(v.tlp), cui: v.cui,
                      publisher: v.publisher.label[lang], json: Self.pretty(v.json), newest: v.version == newest.version)
            },
            pointing: history.pointing.map { row($0, page) }, hasPointing: !history.pointing.isEmpty,
            canSight: mayWrite, sightRefusal: refusal,
            sightAction: PageRoute.sharingSighting(org: page.org, collection: id, object: objectID).path,
            tlpOptions: TLPMarking.allCases.filter { $0 >= floor }.map { SelectOption(value: $0.rawValue, label: $0.name, selected: $0 == chosen) },
            count: form["count"].isEmpty ? "1" : form["count"], firstSeen: form["first_seen"], lastSeen: form["last_seen"],
            nameOrganization: form["name_organization"] == "1", organizationName: page.member.organization.name, sightError: input.error)
        return web.orgView("sharing-object", page, titleKey: "sharing_object_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    static func pretty(_ json: String) -> String {
        guard let v = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), let d = try? v.encoded(pretty: true) else { return json }
        return String(decoding: d, as: UTF8.self)
    }

    func sight(_ request: Request, _ context: AppContext, _ page: OrgPage) async throws -> Response {
        let form = try await web.postedForm(request, viewer: page.viewer)
        let id = try context.parameters.require("collection"), objectID = try context.parameters.require("object")
        let lang = page.language
        func again(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await objectView(request, context, page, input: SightingInput(form: form, error: message), status: status)
        }
        guard let tlp = TLPMarking(rawValue: form["tlp"]) else {
            return try await again(web.messages.text("sharing_sighting_choose_tlp", lang), .badRequest)
        }
        var draft = SharingSightingDraft(nameOrganization: form["name_organization"] == "1", tlp: tlp)
        if !form["count"].isEmpty {
            guard let n = Int(form["count"]) else { return try await again(web.messages.text("sharing_sighting_bad_count", lang), .badRequest) }
            draft.count = n
        }
        for (field, keyPath) in [("first_seen", \SharingSightingDraft.firstSeen), ("last_seen", \SharingSightingDraft.lastSeen)] {
            guard !form[field].isEmpty else { continue }
            guard let day = Day(form[field]), let date = TAXIITime.parse("\(day.description)T00:00:00Z") else {
                return try await again(web.messages.text("sharing_sighting_bad_day", lang), .badRequest)
            }
            draft[keyPath: keyPath] = date
        }
        do {
            _ = try await workspace(page).sight(collection: id, objectID: objectID, draft)
        } catch let e as SharingWorkspaceError {
            return try await again(e.text[lang], .badRequest)
        } catch let e as ThreatIntelError {
            switch e {
            case .cannotWrite, .invalidObject: return try await again(e.text[lang], e.httpStatus == 403 ? .forbidden : .badRequest)
            default: throw e
            }
        }
        return WebApp.redirect(PageRoute.sharingObject(org: page.org, collection: id, object: objectID).path + "?notice=sharing_sighted")
    }
}
