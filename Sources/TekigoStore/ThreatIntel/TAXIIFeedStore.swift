import Foundation
import SQLKit
import TekigoCore

// TAXII feeds (migration 15, issue 14 item 3): a local collection subscribed to a collection of an outside TAXII 2.1
// server. The use-case layer (`TAXIIFeedUseCases`) checks the rules, fetches the pages and stores each page's objects
// with `ThreatIntelStore.add` in the same transaction as `advance` moves the resume point.

/// How Tekigo authenticates to the outside server.
public enum TAXIIFeedAuth: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    /// HTTP Basic: a user name and a password.
    case basic
    /// `Authorization: Bearer <token>`.
    case bearer
}

/// A feed's password or token, unsealed only to make a request. It never appears in a description, a debug print or a
/// mirror.
public struct TAXIIFeedSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { "TAXIIFeedSecret(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// A feed as it may be shown: never its secret.
public struct TAXIIFeedRecord: Sendable, Hashable, Codable {
    public let id: String
    public let organizationID: String
    public let collection: TAXIICollectionID
    /// The outside collection's full URL, ending in `/collections/{id}/`.
    public let url: String
    public let auth: TAXIIFeedAuth
    public let username: String?
    public let intervalMinutes: Int
    public let enabled: Bool
    public let createdAt: String
    /// The last `X-TAXII-Date-Added-Last` stored, as the outside server sent it: the next pull's `added_after`.
    public let resumeAfter: String?
    public let lastRunAt: String?
    /// `ok` or `error`; nil before the first run.
    public let lastResult: String?
    /// Why the last run failed, in both languages.
    public let lastError: LocalizedText?
    public let lastAdded: Int
    public let totalAdded: Int
}

/// What the feed store refuses.
public enum TAXIIFeedStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownFeed(String)
    case cannotSeal(feed: String)

    public var description: String {
        switch self {
        case .unknownFeed(let id): return "there is no TAXII feed \(id); tekigo taxii feeds --org … lists them"
        case .cannotSeal(let id): return "the secret of TAXII feed \(id) cannot be sealed with the evidence key"
        }
    }
}

/// The feeds of every organization, their secrets sealed with the evidence key (AES-256-GCM, bound to the
/// organization and the feed, as webhook secrets are). Every write runs in the caller's transaction when given `on:`.
public struct TAXIIFeedStore: Sendable {
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey

    public init(_ db: TekigoDatabase, evidenceKey: EvidenceKey) {
        self.db = db
        self.evidenceKey = evidenceKey
    }

    func write<R: Sendable>(_ s: (any SQLDatabase)?, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let s { return try await body(s) }
        return try await db.transaction(body)
    }

    static let columns = """
        id, organization_id, collection_id, url, auth, username, interval_minutes, enabled, created_at, resume_after, \
        last_run_at, last_result, last_error_en, last_error_ja, last_added, total_added
        """

    static func record(_ row: any SQLRow) throws -> TAXIIFeedRecord {
        let t = ThreatIntelStore.text, o = ThreatIntelStore.optionalText
        let auth = try t(row, "auth")
        guard let a = TAXIIFeedAuth(rawValue: auth) else { throw ThreatIntelStoreError.corruptRow("feed auth '\(auth)'") }
        let en = try o(row, "last_error_en"), ja = try o(row, "last_error_ja")
        return TAXIIFeedRecord(id: try t(row, "id"), organizationID: try t(row, "organization_id"),
                               collection: TAXIICollectionID(try t(row, "collection_id")), url: try t(row, "url"), auth: a,
                               username: try o(row, "username"), intervalMinutes: try row.decode(column: "interval_minutes", as: Int.self),
                               enabled: try ThreatIntelStore.flag(row, "enabled"), createdAt: try t(row, "created_at"),
                               resumeAfter: try o(row, "resume_after"), lastRunAt: try o(row, "last_run_at"),
                               lastResult: try o(row, "last_result"),
                               lastError: en.map { LocalizedText(en: $0, ja: ja ?? $0) },
                               lastAdded: try row.decode(column: "last_added", as: Int.self),
                               totalAdded: try row.decode(column: "total_added", as: Int.self))
    }

    /// Adds a feed; the secret (password or token, nil for `none`) is sealed here and never returned.
    public func create(organizationID: String, collection: TAXIICollectionID, url: String, auth: TAXIIFeedAuth, username: String?,
                       secret: String?, intervalMinutes: Int, enabled: Bool = true, now: Date = Date(),
                       on s: (any SQLDatabase)? = nil) async throws -> TAXIIFeedRecord {
        let id = UUID().uuidString.lowercased()
        let sealed: Data? = try secret.map { secret in
            guard let box = try evidenceKey.seal(Data(secret.utf8), binding: Self.binding(organizationID: organizationID, feedID: id)) else {
                throw TAXIIFeedStoreError.cannotSeal(feed: id)
            }
            return box
        }
        let record = TAXIIFeedRecord(id: id, organizationID: organizationID, collection: collection, url: url, auth: auth, username: username,
                                     intervalMinutes: intervalMinutes, enabled: enabled, createdAt: Timestamp.string(now), resumeAfter: nil,
                                     lastRunAt: nil, lastResult: nil, lastError: nil, lastAdded: 0, totalAdded: 0)
        return try await write(s) { s in
            try await s.insert(into: "taxii_feeds")
                .columns("id", "organization_id", "collection_id", "url", "auth", "username", "sealed_secret", "interval_minutes", "enabled",
                         "created_at", "resume_after", "last_run_at", "last_result", "last_error_en", "last_error_ja", "last_added", "total_added")
                .values(SQLBind(id), SQLBind(organizationID), SQLBind(collection.rawValue), SQLBind(url), SQLBind(auth.rawValue),
                        SQLBind(username), SQLBind(sealed), SQLBind(intervalMinutes), SQLBind(enabled ? 1 : 0), SQLBind(record.createdAt),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind(String?.none), SQLBind(String?.none), SQLBind(String?.none),
                        SQLBind(0), SQLBind(0)).run()
            return record
        }
    }

    public func feed(id: String, on s: (any SQLDatabase)? = nil) async throws -> TAXIIFeedRecord? {
        try await (s ?? db.sql).raw("SELECT \(unsafeRaw: Self.columns) FROM taxii_feeds WHERE id = \(bind: id)").first().map(Self.record)
    }

    /// The organization's feeds, oldest first.
    public func feeds(organizationID: String, on s: (any SQLDatabase)? = nil) async throws -> [TAXIIFeedRecord] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.columns) FROM taxii_feeds WHERE organization_id = \(bind: organizationID) ORDER BY created_at, id
            """).all().map(Self.record)
    }

    /// Every enabled feed of every organization, oldest first (a scheduler picks those whose interval has passed).
    public func enabledFeeds(on s: (any SQLDatabase)? = nil) async throws -> [TAXIIFeedRecord] {
        try await (s ?? db.sql).raw("SELECT \(unsafeRaw: Self.columns) FROM taxii_feeds WHERE enabled = 1 ORDER BY created_at, id")
            .all().map(Self.record)
    }

    /// The feed's password or token; nil when it has none, `secretUnreadable` when the sealed value does not open
    /// (the evidence key changed, or the row was altered).
    public func secret(of feed: TAXIIFeedRecord) async throws -> TAXIIFeedSecret? {
        guard let row = try await db.sql.raw("SELECT sealed_secret FROM taxii_feeds WHERE id = \(bind: feed.id)").first() else {
            throw TAXIIFeedStoreError.unknownFeed(feed.id)
        }
        if try row.decodeNil(column: "sealed_secret") { return nil }
        let sealed = try row.decode(column: "sealed_secret", as: Data.self)
        guard let plain = evidenceKey.unseal(sealed, binding: Self.binding(organizationID: feed.organizationID, feedID: feed.id)),
              let text = String(data: plain, encoding: .utf8)
        else { throw ReminderError.secretUnreadable(webhook: "taxii-feed/\(feed.id)") }
        return TAXIIFeedSecret(text)
    }

    static func binding(organizationID: String, feedID: String) -> Data {
        EvidenceKey.binding("tekigo.taxii-feed-secret.v1", [organizationID, feedID])
    }

    /// After a page is stored: the resume point moves to the page's `X-TAXII-Date-Added-Last` (when it sent one) and
    /// the run's count grows. In the transaction that stored the page.
    public func advance(feed id: String, resumeAfter: String?, added: Int, on s: any SQLDatabase) async throws {
        var q = s.update("taxii_feeds").set(SQLIdentifier("total_added"), to: SQLRaw("total_added + \(Int(added))"))
        if let resumeAfter { q = q.set("resume_after", to: SQLBind(resumeAfter)) }
        try await q.where("id", .equal, id).run()
    }

    /// Records how a run ended: when, ok or the error in both languages, and how many objects it added.
    public func recordRun(feed id: String, at now: Date, error: LocalizedText?, added: Int, on s: (any SQLDatabase)? = nil) async throws {
        try await write(s) { s in
            try await s.update("taxii_feeds").set("last_run_at", to: SQLBind(Timestamp.string(now)))
                .set("last_result", to: SQLBind(error == nil ? "ok" : "error"))
                .set("last_error_en", to: SQLBind(error?.en)).set("last_error_ja", to: SQLBind(error?.ja))
                .set("last_added", to: SQLBind(added)).where("id", .equal, id).run()
        }
    }
}
