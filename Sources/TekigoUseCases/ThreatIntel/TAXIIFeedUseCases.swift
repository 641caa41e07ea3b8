import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SQLKit
import TekigoCore
import TekigoSTIX
import TekigoStore

/// A TAXII feed as shown: never its secret.
public struct TAXIIFeedView: Sendable, Hashable, Codable {
    public let id: String
    public let community: String
    public let collection: String
    public let url: String
    public let auth: String
    public let username: String?
    public let intervalMinutes: Int
    public let enabled: Bool
    public let createdAt: String
    public let resumeAfter: String?
    public let lastRunAt: String?
    public let lastResult: String?
    public let lastError: LocalizedText?
    public let lastAdded: Int
    public let totalAdded: Int
    /// When the scheduler pulls it next: its last run plus its interval (a run that failed waits its interval too), or
    /// its creation when it never ran; nil while scheduled pulls are off.
    public let nextDueAt: String?
}

/// A collection a feed may fill: its community (slug and name) and its alias (or id) and title.
public struct TAXIIFeedTarget: Sendable, Hashable, Codable {
    public let community: String
    public let communityName: String
    public let collection: String
    public let title: String
}

/// One pull's result: `ok` or `error` (with why, in both languages), the pages read, the objects new to the local
/// collection, and the resume point after it.
public struct TAXIIFeedRun: Sendable, Hashable, Codable {
    public let feed: String
    public let result: String
    public let pages: Int
    public let added: Int
    public let resumeAfter: String?
    public let error: LocalizedText?
}

/// How a pull reaches the outside server: a GET answered with its body and response. `live` is URLSession with
/// redirects refused (the registered URL is the only place a request goes, as for webhooks) and a timeout; tests may
/// pass their own.
public struct TAXIIFeedHTTP: Sendable {
    public var get: @Sendable (URLRequest) async throws -> (Data, HTTPURLResponse)

    public init(get: @escaping @Sendable (URLRequest) async throws -> (Data, HTTPURLResponse)) {
        self.get = get
    }

    public static let requestTimeout: TimeInterval = 60

    public static var live: TAXIIFeedHTTP {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = requestTimeout * 5
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: TAXIIFeedRefuseRedirects(), delegateQueue: nil)
        return TAXIIFeedHTTP { request in
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw TAXIIFeedError.transport("the answer was not HTTP") }
            return (data, http)
        }
    }
}

/// A feed never follows a redirect: a 3xx answer ends the pull as an HTTP error.
final class TAXIIFeedRefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// TAXII feeds (issue 14 item 3): a local collection of a sharing community subscribed to a collection of an outside
/// TAXII 2.1 server (a national ISAC, a CERT, CISA AIS), and pulling from it.
///
/// A pull GETs `objects/?added_after=<resume point>&limit=…` with TAXII's media type, following `next` while `more`.
/// Each page is read by the same rules as a TAXII POST (`ThreatIntelUseCases.read`: STIX validation, markings; then
/// `SharingPolicy.mayPublish` against the local collection's readers) and stored in one transaction with the resume
/// point moved to that page's `X-TAXII-Date-Added-Last`, so a pull that stops (an HTTP error, a timeout, a refused
/// object) resumes after the last page stored and skips nothing. A page with a refused object is stored not at all.
/// Each run is recorded on the feed (ok, or the error in both languages) with one audit entry (`taxii.feed-pulled`).
///
/// Who may: owners and administrators subscribe, pull now, change and delete feeds; the organization's other members
/// read them and their runs; an external auditor sees none. Where a feed may go: its URL's form is the webhook rules'
/// (`validatedURL`), and where its host points is the server's address policy for every outbound request
/// (`addressCheck`, the server's `WebhookAddressPolicy`), asked when subscribing and again before each run (DNS answers
/// change). One pull of a feed at a time: a run holds the lease `taxii-feed/{id}` (`SchedulerLease`), so a scheduled
/// pull and a "pull now", or two instances, never pull the same feed at once. Each run is kept in the feed's history
/// (the newest `TAXIIFeedStore.keptRuns`).
public struct TAXIIFeedUseCases: Sendable {
    public let env: TenantEnvironment
    public let caller: TAXIICaller
    public let http: TAXIIFeedHTTP
    /// Objects asked for per page.
    public let pageLimit: Int
    /// Where a feed's host may point (the server passes its `WebhookAddressPolicy`; see `WebhookAddressCheck`).
    let addressCheck: WebhookAddressCheck

    /// Pages one run reads at most (a server whose `next` never ends cannot hold a pull forever).
    public static let maxPages = 10_000
    /// How long a run holds its feed's lease; a run still going then (or an instance that died in one) lets another
    /// start.
    public static let pullLease: TimeInterval = 30 * 60

    public init(_ env: TenantEnvironment, _ caller: TAXIICaller, addressCheck: @escaping WebhookAddressCheck, http: TAXIIFeedHTTP = .live,
                pageLimit: Int = 500) {
        self.env = env
        self.caller = caller
        self.addressCheck = addressCheck
        self.http = http
        self.pageLimit = max(1, min(pageLimit, TAXIIFilter.maxLimit))
    }

    // MARK: - Who may

    /// Reading the feeds and their runs: every member but an external auditor.
    func requireRead() throws(TAXIIFeedError) {
        guard caller.mayRead else { throw .notAllowed(change: false) }
    }

    /// Subscribing, pulling now, changing, deleting: an owner or an administrator, with a token that may write.
    func requireChange() throws(TAXIIFeedError) {
        guard !caller.readOnly, caller.role == .owner || caller.role == .admin else { throw .notAllowed(change: true) }
    }

    /// Whether the caller may change feeds (pages show the forms only then).
    public var mayChange: Bool { !caller.readOnly && (caller.role == .owner || caller.role == .admin) }

    /// The address policy's answer for `url`, as this use case's error.
    func checkAddress(_ url: String) async throws(TAXIIFeedError) {
        do {
            try await addressCheck(url)
        } catch let e as TAXIIFeedError {
            throw e
        } catch {
            throw .addressRefused(String(describing: error))
        }
    }

    var feedStore: TAXIIFeedStore { TAXIIFeedStore(env.db, evidenceKey: env.evidence.key) }
    var store: ThreatIntelStore { ThreatIntelStore(env.db) }
    var intel: ThreatIntelUseCases { ThreatIntelUseCases(env, caller) }

    public static let media = "application/taxii+json;version=2.1"

    // MARK: - Subscribing

    /// The URL as stored: the webhook rules (`ReminderUseCases.validatedURL`: https with a host, or http only to this
    /// machine; no credentials, no fragment), no query, and a path naming a collection, ending in '/'.
    public static func validatedURL(_ raw: String) throws(TAXIIFeedError) -> String {
        var url: String
        do {
            url = try ReminderUseCases.validatedURL(raw)
        } catch {
            throw .badURL(String(describing: error))
        }
        guard let c = URLComponents(string: url), c.query == nil else { throw .badURL("it has a query (?…)") }
        guard c.path.contains("/collections/"), !c.path.hasSuffix("/collections/") else {
            throw .badURL("its path does not name a collection (…/collections/{id}/)")
        }
        if !url.hasSuffix("/") { url += "/" }
        return url
    }

    /// Subscribes the collection (its id or alias in the community `root`, which the organization may write) to the
    /// outside collection at `url`; the secret (password or token) is sealed with the evidence key.
    public func subscribe(root: String, collection: String, url raw: String, auth: TAXIIFeedAuth, username: String? = nil,
                          secret: String? = nil, intervalMinutes: Int = 60) async throws -> TAXIIFeedView {
        try requireChange()
        let url = try Self.validatedURL(raw)
        guard Self.intervals.contains(intervalMinutes) else { throw TAXIIFeedError.badInterval(intervalMinutes) }
        switch auth {
        case .none:
            guard username == nil, secret == nil else { throw TAXIIFeedError.badCredentials("credentials given without an authentication kind") }
        case .basic:
            guard let u = username, !u.isEmpty, !u.contains(":") else { throw TAXIIFeedError.badCredentials("HTTP Basic needs a user name without ':'") }
            guard let s = secret, !s.isEmpty else { throw TAXIIFeedError.badCredentials("HTTP Basic needs a password") }
        case .bearer:
            guard username == nil else { throw TAXIIFeedError.badCredentials("a bearer token takes no user name") }
            guard let s = secret, !s.isEmpty, !s.contains(where: { $0.isWhitespace }) else {
                throw TAXIIFeedError.badCredentials("a bearer token is needed, without spaces")
            }
        }
        let grant: TAXIICollectionGrant
        do {
            grant = try await intel.checkWritable(root: root, collection: collection)
        } catch let e as ThreatIntelError {
            throw TAXIIFeedError.local(e.text)
        }
        try await checkAddress(url)
        let feedStore = feedStore, audit = env.audit, caller = caller, now = env.clock.now()
        let record = try await env.db.transaction { s in
            let r = try await feedStore.create(organizationID: caller.organizationID, collection: grant.collection.id, url: url, auth: auth,
                                               username: username, secret: secret, intervalMinutes: intervalMinutes, now: now, on: s)
            let summary = "\(r.collection.rawValue)\n\(r.url)\n\(r.auth.rawValue)\n\(r.username ?? "")\n\(r.intervalMinutes)"
            _ = try await audit.append(AuditEvent(actor: caller.actor.id, organizationID: caller.organizationID, sourceIP: caller.actor.sourceIP,
                                                  action: .taxiiFeedSubscribed, object: "taxii/feed/\(r.id)",
                                                  afterDigest: AuditLog.digest(Data(summary.utf8))), on: s)
            return r
        }
        return try await view(record)
    }

    /// The collections a feed may fill: those of the organization's communities it may write, by community.
    public func writableCollections() async throws -> [TAXIIFeedTarget] {
        try requireRead()
        let queries = ThreatIntelQueries(env, caller)
        var out: [TAXIIFeedTarget] = []
        for root in try await queries.roots() {
            for c in try await queries.collections(root: root.slug) where c.canWrite {
                out.append(TAXIIFeedTarget(community: root.slug, communityName: root.title, collection: c.alias ?? c.id, title: c.title))
            }
        }
        return out
    }

    /// Minutes between scheduled pulls a feed may have: five minutes to a week.
    public static let intervals = 5...10_080

    /// The organization's feeds with their status, oldest first.
    public func feeds() async throws -> [TAXIIFeedView] {
        try requireRead()
        var out: [TAXIIFeedView] = []
        for r in try await feedStore.feeds(organizationID: caller.organizationID) { out.append(try await view(r)) }
        return out
    }

    public func feed(id: String) async throws -> TAXIIFeedView {
        try requireRead()
        return try await view(try await record(id))
    }

    /// The feed's runs, newest first (the newest `TAXIIFeedStore.keptRuns`).
    public func runs(feedID: String, limit: Int = TAXIIFeedStore.keptRuns) async throws -> [TAXIIFeedRunRecord] {
        try requireRead()
        let feed = try await record(feedID)
        return try await feedStore.runs(feed: feed.id, limit: limit)
    }

    // MARK: - Changing

    /// Turns the feed's scheduled pulls on or off (a pull asked for still runs while off).
    public func setEnabled(feedID: String, _ enabled: Bool) async throws -> TAXIIFeedView {
        try await update(feedID: feedID, enabled: enabled)
    }

    /// Sets the minutes between scheduled pulls (`intervals`).
    public func setInterval(feedID: String, minutes: Int) async throws -> TAXIIFeedView {
        try await update(feedID: feedID, intervalMinutes: minutes)
    }

    /// Changes the interval (`intervals`), scheduled pulls on or off, or both, in one transaction with one audit entry
    /// (the API's PATCH, `tekigo taxii set`); an interval out of range changes nothing. Given neither, nothing changes.
    public func update(feedID: String, enabled: Bool? = nil, intervalMinutes: Int? = nil) async throws -> TAXIIFeedView {
        if let minutes = intervalMinutes, !Self.intervals.contains(minutes) { throw TAXIIFeedError.badInterval(minutes) }
        let summary = [intervalMinutes.map { "interval \($0)" }, enabled.map { "enabled \($0)" }].compactMap { $0 }
        guard !summary.isEmpty else {
            try requireChange()
            return try await feed(id: feedID)
        }
        return try await change(feedID, summary: summary.joined(separator: "\n")) { store, id, s in
            if let minutes = intervalMinutes { try await store.setInterval(feed: id, minutes: minutes, on: s) }
            if let enabled { try await store.setEnabled(feed: id, enabled, on: s) }
        }
    }

    func change(_ feedID: String, summary: String,
                _ body: @escaping @Sendable (TAXIIFeedStore, String, any SQLDatabase) async throws -> Void) async throws -> TAXIIFeedView {
        try requireChange()
        let feed = try await record(feedID)
        let feedStore = feedStore, audit = env.audit, caller = caller
        try await env.db.transaction { s in
            try await body(feedStore, feed.id, s)
            _ = try await audit.append(AuditEvent(actor: caller.actor.id, organizationID: caller.organizationID, sourceIP: caller.actor.sourceIP,
                                                  action: .taxiiFeedChanged, object: "taxii/feed/\(feed.id)",
                                                  afterDigest: AuditLog.digest(Data(summary.utf8))), on: s)
        }
        return try await view(try await record(feed.id))
    }

    /// Deletes the feed, its sealed secret and its run history; the objects it brought stay in the collection.
    public func delete(feedID: String) async throws {
        try requireChange()
        let feed = try await record(feedID)
        let feedStore = feedStore, audit = env.audit, caller = caller
        try await env.db.transaction { s in
            try await feedStore.delete(feed: feed.id, on: s)
            _ = try await audit.append(AuditEvent(actor: caller.actor.id, organizationID: caller.organizationID, sourceIP: caller.actor.sourceIP,
                                                  action: .taxiiFeedDeleted, object: "taxii/feed/\(feed.id)",
                                                  afterDigest: AuditLog.digest(Data("\(feed.url)\n\(feed.collection.rawValue)".utf8))), on: s)
        }
    }

    // MARK: - Scheduling

    /// When the scheduler pulls the feed next (`TAXIIFeedView.nextDueAt`); nil while off.
    public static func nextDue(_ r: TAXIIFeedRecord) -> Date? {
        guard r.enabled else { return nil }
        guard let last = r.lastRunAt.flatMap(Timestamp.date) else { return Timestamp.date(r.createdAt) ?? .distantPast }
        return last.addingTimeInterval(TimeInterval(r.intervalMinutes * 60))
    }

    /// The enabled feeds of every organization due at `now` (oldest first), each with its organization: what the
    /// server's scheduler pulls.
    public static func dueFeeds(_ env: TenantEnvironment, at now: Date) async throws -> [(feedID: String, organizationID: String)] {
        try await TAXIIFeedStore(env.db, evidenceKey: env.evidence.key).enabledFeeds()
            .filter { r in nextDue(r).map { $0 <= now } ?? false }
            .map { ($0.id, $0.organizationID) }
    }

    /// The organization a feed belongs to (the operator's way in from the command line, where a feed is named by id).
    public static func organization(ofFeed id: String, _ env: TenantEnvironment) async throws -> String {
        guard let r = try await TAXIIFeedStore(env.db, evidenceKey: env.evidence.key).feed(id: id) else { throw TAXIIFeedError.unknownFeed(id) }
        return r.organizationID
    }

    func record(_ id: String) async throws -> TAXIIFeedRecord {
        guard let r = try await feedStore.feed(id: id), r.organizationID == caller.organizationID else { throw TAXIIFeedError.unknownFeed(id) }
        return r
    }

    func view(_ r: TAXIIFeedRecord) async throws -> TAXIIFeedView {
        let c = try await store.collection(id: r.collection)
        var community: SharingCommunity?
        if let c { community = try await store.community(id: c.community) }
        return TAXIIFeedView(id: r.id, community: community?.slug ?? "", collection: c?.alias ?? r.collection.rawValue, url: r.url,
                             auth: r.auth.rawValue, username: r.username, intervalMinutes: r.intervalMinutes, enabled: r.enabled,
                             createdAt: r.createdAt, resumeAfter: r.resumeAfter, lastRunAt: r.lastRunAt, lastResult: r.lastResult,
                             lastError: r.lastError, lastAdded: r.lastAdded, totalAdded: r.totalAdded,
                             nextDueAt: Self.nextDue(r).map { Timestamp.string($0) })
    }

    // MARK: - Pulling

    /// Runs one pull of the feed now and records how it ended, on the feed and in its history; the run's error is
    /// returned in the result, not thrown (only a feed the organization does not have, a caller who may not, and a pull
    /// of the feed already running are thrown).
    public func pull(feedID: String) async throws -> TAXIIFeedRun {
        try requireChange()
        let feed = try await record(feedID)
        let lease = SchedulerLease(env.db, name: "taxii-feed/\(feed.id)", holder: UUID().uuidString.lowercased())
        guard try await lease.acquire(for: Self.pullLease, at: env.clock.now()) else { throw TAXIIFeedError.pullInProgress(feed.id) }
        do {
            let run = try await run(feed)
            try await lease.release()
            return run
        } catch {
            try? await lease.release()
            throw error
        }
    }

    func run(_ feed: TAXIIFeedRecord) async throws -> TAXIIFeedRun {
        let started = env.clock.now()
        var pages = 0, added = 0
        var resume = feed.resumeAfter
        var failure: TAXIIFeedError?
        do {
            let grant = try await localGrant(feed)
            try await checkAddress(feed.url)
            let authorization = try await authorization(feed)
            var addedAfter = feed.resumeAfter
            var next: String?
            while pages < Self.maxPages {
                let page = try await fetch(feed.url, addedAfter: addedAfter, next: next, authorization: authorization)
                pages += 1
                if !page.objects.isEmpty {
                    added += try await store(page, feed: feed, grant: grant)
                    if let last = page.dateAddedLast { resume = last }
                }
                guard page.more else { break }
                if let n = page.next {
                    next = n
                } else if let last = page.dateAddedLast {
                    // More without a `next`: ask again from the newest date added seen.
                    addedAfter = last
                    next = nil
                } else {
                    break
                }
            }
        } catch let e as TAXIIFeedError {
            failure = e
        } catch let e as ThreatIntelError {
            failure = .local(e.text)
        } catch {
            failure = .transport(Self.describe(error))
        }
        let feedStore = feedStore, audit = env.audit, caller = caller, now = env.clock.now()
        let error = failure?.text, total = added, pageCount = pages, resumePoint = resume
        try await env.db.transaction { s in
            try await feedStore.recordRun(feed: feed.id, at: now, error: error, added: total, on: s)
            try await feedStore.appendRun(feed: feed.id, startedAt: started, endedAt: now, startedBy: caller.actor.id, error: error,
                                          pages: pageCount, added: total, on: s)
            let summary = "\(error == nil ? "ok" : "error")\n\(pageCount) pages\n\(total) added\n\(resumePoint ?? "-")\n\(error?.en ?? "")"
            _ = try await audit.append(AuditEvent(actor: caller.actor.id, organizationID: caller.organizationID, sourceIP: caller.actor.sourceIP,
                                                  action: .taxiiFeedPulled, object: "taxii/feed/\(feed.id)",
                                                  afterDigest: AuditLog.digest(Data(summary.utf8))), on: s)
        }
        return TAXIIFeedRun(feed: feed.id, result: error == nil ? "ok" : "error", pages: pages, added: added, resumeAfter: resume, error: error)
    }

    /// The local collection, if the organization may still write it.
    func localGrant(_ feed: TAXIIFeedRecord) async throws -> TAXIICollectionGrant {
        guard let c = try await store.collection(id: feed.collection), let community = try await store.community(id: c.community) else {
            throw TAXIIFeedError.local(ThreatIntelError.unknownCollection(feed.collection.rawValue).text)
        }
        return try await intel.checkWritable(root: community.slug, collection: c.id.rawValue)
    }

    func authorization(_ feed: TAXIIFeedRecord) async throws -> String? {
        let secret: TAXIIFeedSecret?
        do {
            secret = try await feedStore.secret(of: feed)
        } catch is ReminderError {
            throw TAXIIFeedError.secretUnreadable
        }
        switch feed.auth {
        case .none: return nil
        case .basic:
            guard let secret else { throw TAXIIFeedError.secretUnreadable }
            return "Basic " + Data("\(feed.username ?? ""):\(secret.text)".utf8).base64EncodedString()
        case .bearer:
            guard let secret else { throw TAXIIFeedError.secretUnreadable }
            return "Bearer " + secret.text
        }
    }

    /// One page as the outside server sent it.
    struct Page {
        var body: Data
        var objects: [JSONValue]
        var more: Bool
        var next: String?
        var dateAddedLast: String?
    }

    /// Query values escaped beyond URLComponents' defaults ('+' in a time zone offset, '&', '=').
    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func fetch(_ base: String, addedAfter: String?, next: String?, authorization: String?) async throws -> Page {
        var query = ["limit=\(pageLimit)"]
        if let addedAfter { query.append("added_after=\(Self.escape(addedAfter))") }
        if let next { query.append("next=\(Self.escape(next))") }
        guard let url = URL(string: base + "objects/?" + query.joined(separator: "&")) else {
            throw TAXIIFeedError.badURL("it does not form a request URL")
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: TAXIIFeedHTTP.requestTimeout)
        request.httpMethod = "GET"
        request.setValue(Self.media, forHTTPHeaderField: "Accept")
        request.setValue("Tekigo-TAXII/1", forHTTPHeaderField: "User-Agent")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, HTTPURLResponse)
        do {
            (data, response) = try await http.get(request)
        } catch let e as TAXIIFeedError {
            throw e
        } catch {
            throw TAXIIFeedError.transport(Self.describe(error))
        }
        let top = try? JSONDecoder().decode(JSONValue.self, from: data)
        guard response.statusCode == 200 else {
            // TAXII's error resource: title and description.
            let o = top?.objectValue
            let detail = [o?["title"]?.stringValue, o?["description"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            throw TAXIIFeedError.httpStatus(response.statusCode, detail: String(detail.prefix(300)))
        }
        guard let top else { throw TAXIIFeedError.notAnEnvelope("it is not JSON") }
        guard let envelope = top.objectValue else { throw TAXIIFeedError.notAnEnvelope("the top level is \(top.kind), not an object") }
        var objects: [JSONValue] = []
        if let list = envelope["objects"] {
            guard let items = list.arrayValue else { throw TAXIIFeedError.notAnEnvelope("'objects' is \(list.kind), not a list") }
            objects = items
        }
        let more: Bool
        if case .bool(let b)? = envelope["more"] { more = b } else { more = false }
        let header = response.value(forHTTPHeaderField: "X-TAXII-Date-Added-Last")
        return Page(body: data, objects: objects, more: more, next: envelope["next"]?.stringValue,
                    dateAddedLast: header.flatMap { TAXIITime.parse($0) == nil ? nil : $0 })
    }

    /// Stores one page by a TAXII POST's rules, all or nothing, with the resume point moved in the same transaction;
    /// the count of objects new to the collection.
    func store(_ page: Page, feed: TAXIIFeedRecord, grant: TAXIICollectionGrant) async throws -> Int {
        let now = env.clock.now()
        let read: [(NewSTIXObject, STIXMarkings)]
        do {
            read = try ThreatIntelUseCases.read(envelope: page.body, now: now)
        } catch let e as ThreatIntelError {
            throw TAXIIFeedError.refusedObject(e.text)
        }
        let intel = intel
        let target = try await intel.target(grant)
        let publisherParty = SharingPublisher(organizationID: caller.organizationID, personID: caller.personID, mayWriteCollection: true)
        let received = try await intel.receivedMarkings(ids: read.map(\.0.objectID), collection: grant.collection.id)
        for (object, markings) in read {
            let receipt = received[object.objectID].map {
                SharingReceipt(markings: $0.markings, communityID: target.communityID, fromOrganizationID: $0.from)
            }
            if case .refused(let rule) = SharingPolicy.mayPublish(markings: markings, into: target, by: publisherParty, receivedFrom: receipt) {
                throw TAXIIFeedError.refusedObject(ThreatIntelError.invalidObject(id: object.objectID, reason: rule.text).text)
            }
        }
        let sender = caller.personID
        let objects = read.map { pair -> NewSTIXObject in
            var o = pair.0
            if o.tlp == .red { o.recipients = [sender] }
            return o
        }
        let publisher = STIXPublisher(organizationID: caller.organizationID, personID: caller.personID)
        let objectStore = store, feedStore = feedStore, collectionID = grant.collection.id, resume = page.dateAddedLast
        return try await env.db.transaction { s in
            let before = try await Self.count(collectionID, on: s)
            _ = try await objectStore.add(objects, to: collectionID, by: publisher, status: .make(), now: now, on: s)
            let added = try await Self.count(collectionID, on: s) - before
            try await feedStore.advance(feed: feed.id, resumeAfter: resume, added: added, on: s)
            return added
        }
    }

    static func count(_ collection: TAXIICollectionID, on s: any SQLDatabase) async throws -> Int {
        try await s.raw("SELECT COUNT(*) AS n FROM stix_objects WHERE collection_id = \(bind: collection.rawValue)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? URLError {
            switch e.code {
            case .timedOut: return "no answer within \(Int(TAXIIFeedHTTP.requestTimeout)) seconds"
            case .cannotConnectToHost: return "the connection was refused"
            case .cannotFindHost, .dnsLookupFailed: return "the host name did not resolve"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return "TLS failed (the server's certificate is not trusted)"
            default: return "the request failed (URLError \(e.code.rawValue))"
            }
        }
        return "the request failed: \(error.localizedDescription)"
    }
}
