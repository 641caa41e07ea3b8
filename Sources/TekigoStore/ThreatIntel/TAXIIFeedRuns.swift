import Foundation
import SQLKit
import TekigoCore

// TAXII feeds' settings and run history (migration 19, issue 14 item 3): enabling, the interval, deleting a feed, and
// the newest runs of each feed for its status page. The use-case layer (`TAXIIFeedUseCases`) checks who may and writes
// the audit entry in the same transaction.

/// One pull of a feed as recorded.
public struct TAXIIFeedRunRecord: Sendable, Hashable, Codable {
    public let id: String
    public let feedID: String
    public let startedAt: String
    public let endedAt: String
    /// The audit actor who started it: a person's id, `cli`, or `taxii-scheduler`.
    public let startedBy: String
    /// `ok` or `error`.
    public let result: String
    public let pages: Int
    public let added: Int
    public let error: LocalizedText?
}

extension TAXIIFeedStore {
    /// Runs kept per feed: older ones are deleted as new ones are recorded.
    public static let keptRuns = 100

    /// Records one run in the feed's history and drops the feed's runs beyond the newest `keptRuns`.
    public func appendRun(feed id: String, startedAt: Date, endedAt: Date, startedBy: String, error: LocalizedText?, pages: Int,
                          added: Int, on s: any SQLDatabase) async throws {
        try await s.insert(into: "taxii_feed_runs")
            .columns("id", "feed_id", "started_at", "ended_at", "started_by", "result", "pages", "added", "error_en", "error_ja")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(id), SQLBind(Timestamp.string(startedAt)), SQLBind(Timestamp.string(endedAt)),
                    SQLBind(startedBy), SQLBind(error == nil ? "ok" : "error"), SQLBind(pages), SQLBind(added), SQLBind(error?.en),
                    SQLBind(error?.ja)).run()
        try await s.raw("""
            DELETE FROM taxii_feed_runs WHERE feed_id = \(bind: id) AND id NOT IN (
                SELECT id FROM taxii_feed_runs WHERE feed_id = \(bind: id) ORDER BY started_at DESC, id DESC LIMIT \(literal: Self.keptRuns))
            """).run()
    }

    /// The feed's runs, newest first (at most `keptRuns`).
    public func runs(feed id: String, limit: Int = TAXIIFeedStore.keptRuns, on s: (any SQLDatabase)? = nil) async throws -> [TAXIIFeedRunRecord] {
        try await (s ?? db.sql).raw("""
            SELECT id, feed_id, started_at, ended_at, started_by, result, pages, added, error_en, error_ja FROM taxii_feed_runs
            WHERE feed_id = \(bind: id) ORDER BY started_at DESC, id DESC LIMIT \(literal: max(1, min(limit, Self.keptRuns)))
            """).all().map { row in
            let t = ThreatIntelStore.text, o = ThreatIntelStore.optionalText
            let en = try o(row, "error_en"), ja = try o(row, "error_ja")
            return TAXIIFeedRunRecord(id: try t(row, "id"), feedID: try t(row, "feed_id"), startedAt: try t(row, "started_at"),
                                      endedAt: try t(row, "ended_at"), startedBy: try t(row, "started_by"), result: try t(row, "result"),
                                      pages: try row.decode(column: "pages", as: Int.self), added: try row.decode(column: "added", as: Int.self),
                                      error: en.map { LocalizedText(en: $0, ja: ja ?? $0) })
        }
    }

    /// Turns scheduled pulls of the feed on or off.
    public func setEnabled(feed id: String, _ enabled: Bool, on s: any SQLDatabase) async throws {
        try await s.update("taxii_feeds").set("enabled", to: SQLBind(enabled ? 1 : 0)).where("id", .equal, id).run()
    }

    /// Minutes between scheduled pulls.
    public func setInterval(feed id: String, minutes: Int, on s: any SQLDatabase) async throws {
        try await s.update("taxii_feeds").set("interval_minutes", to: SQLBind(minutes)).where("id", .equal, id).run()
    }

    /// Deletes the feed, its sealed secret and its run history (the objects it brought stay in the collection).
    public func delete(feed id: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "taxii_feed_runs").where("feed_id", .equal, id).run()
        try await s.delete(from: "taxii_feeds").where("id", .equal, id).run()
    }
}
