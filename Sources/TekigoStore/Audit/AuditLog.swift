import Crypto
import Foundation
import SQLKit
import TekigoCore

// The append-only, hash-chained audit log (NIST SP 800-171 §3.3.1, 3.3.2, 3.3.8).
//
// Every entry carries `prev_hash` (the hash of the entry before it; 64 zeros for entry 1) and `hash`, the SHA-256
// of its own canonical encoding (see `AuditLog.chainHash`), which covers its sequence number, its time, every
// event field and `prev_hash`. `audit_head` (one row, id 1) records the sequence number and hash of the last entry
// written. Editing an entry breaks its hash; deleting, inserting or renumbering entries breaks the sequence or the
// chain; deleting the newest entries leaves the head pointing past the end. `AuditLog.verify()` names each of
// these. Someone able to rewrite the whole database can recompute the whole chain: record the head hash that
// `tekigo audit verify` prints (or keep `tekigo audit export` files) outside the server, and compare.

/// Something that happened, as the code that did it describes it.
public struct AuditEvent: Sendable, Codable, Hashable {
    /// A user id, `token:<id>`, `system` or `anonymous`.
    public var actor: String
    /// The tenant the event belongs to; nil for platform events (logins before a tenant is chosen, setup).
    public var organizationID: String?
    public var sourceIP: String
    /// What happened, e.g. `login.success`, `login.failure`, `membership.role-changed`, `finding.updated`.
    public var action: String
    /// What it happened to, e.g. `assessment/<id>/finding/3.1.1[a]`.
    public var object: String
    /// `AuditLog.digest` of the object's JSON before and after the change, when there is one.
    public var beforeDigest: String?
    public var afterDigest: String?

    public static let systemActor = "system"
    public static let anonymousActor = "anonymous"
    public static func tokenActor(_ tokenID: String) -> String { "token:" + tokenID }

    /// An event of one of the actions the log knows (`AuditAction`).
    public init(actor: String, organizationID: String? = nil, sourceIP: String, action: AuditAction, object: String,
                beforeDigest: String? = nil, afterDigest: String? = nil) {
        self.init(actor: actor, organizationID: organizationID, sourceIP: sourceIP, storedAction: action.rawValue, object: object,
                  beforeDigest: beforeDigest, afterDigest: afterDigest)
    }

    /// An event as stored (entries written before an action was renamed keep their string; the hash covers it).
    init(actor: String, organizationID: String? = nil, sourceIP: String, storedAction action: String, object: String,
         beforeDigest: String? = nil, afterDigest: String? = nil) {
        self.actor = actor
        self.organizationID = organizationID
        self.sourceIP = sourceIP
        self.action = action
        self.object = object
        self.beforeDigest = beforeDigest
        self.afterDigest = afterDigest
    }

    enum CodingKeys: String, CodingKey {
        case actor, organizationID = "organization_id", sourceIP = "source_ip", action, object
        case beforeDigest = "before_digest", afterDigest = "after_digest"
    }
}

/// One stored entry. Its JSON form (`jsonLine`, and `Codable` with the same keys) is what `export` writes.
public struct AuditEntry: Sendable, Codable, Hashable {
    public var seq: Int64
    /// ISO 8601 UTC with fractional seconds, exactly as stored and hashed.
    public var at: String
    public var actor: String
    public var organizationID: String?
    public var sourceIP: String
    public var action: String
    public var object: String
    public var beforeDigest: String?
    public var afterDigest: String?
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, at: String, event: AuditEvent, prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        actor = event.actor
        organizationID = event.organizationID
        sourceIP = event.sourceIP
        action = event.action
        object = event.object
        beforeDigest = event.beforeDigest
        afterDigest = event.afterDigest
        self.prevHash = prevHash
        self.hash = hash
    }

    public var event: AuditEvent {
        AuditEvent(actor: actor, organizationID: organizationID, sourceIP: sourceIP, storedAction: action, object: object,
                   beforeDigest: beforeDigest, afterDigest: afterDigest)
    }

    /// The action, when it is one this version knows (entries from a test command or a later version may not be).
    public var knownAction: AuditAction? { AuditAction(rawValue: action) }

    public var date: Date? { Timestamp.date(at) }

    /// The hash this entry's fields give (equal to `hash` unless the entry was altered).
    public var computedHash: String { computedHash(asSeq: seq) }

    func computedHash(asSeq s: Int64) -> String {
        AuditLog.chainHash(seq: s, at: at, event: event, prevHash: prevHash)
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, organizationID = "organization_id", sourceIP = "source_ip", action, object
        case beforeDigest = "before_digest", afterDigest = "after_digest", prevHash = "prev_hash", hash
    }

    /// One JSON object on one line, keys always in this order: seq, at, actor, organization_id, source_ip,
    /// action, object, before_digest, after_digest, prev_hash, hash (absent values are `null`).
    public var jsonLine: String {
        func s(_ v: String?) -> String { v.map(AuditEntry.jsonString) ?? "null" }
        return "{\"seq\":\(seq),\"at\":\(s(at)),\"actor\":\(s(actor)),\"organization_id\":\(s(organizationID)),"
            + "\"source_ip\":\(s(sourceIP)),\"action\":\(s(action)),\"object\":\(s(object)),"
            + "\"before_digest\":\(s(beforeDigest)),\"after_digest\":\(s(afterDigest)),"
            + "\"prev_hash\":\(s(prevHash)),\"hash\":\(s(hash))}"
    }

    static func jsonString(_ value: String) -> String {
        let hex = Array("0123456789abcdef")
        var out = "\""
        for u in value.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                out += "\\u00" + String(hex[Int(u.value >> 4)]) + String(hex[Int(u.value & 0xF)])
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// What `AuditLog.verify()` found.
public struct AuditVerification: Sendable, Codable, Hashable {
    /// No problem found: every entry matches its hash, the sequence has no gap, every entry chains to the one
    /// before it, and the last entry is the one the head records.
    public var isIntact: Bool { problems.isEmpty }
    /// How many entries were read.
    public var entries: Int
    /// The first and last sequence numbers read (nil when the log is empty).
    public var firstSeq: Int64?
    public var lastSeq: Int64?
    /// What the head records: how many entries were written and the hash of the last one (nil if it is missing).
    public var headSeq: Int64?
    public var headHash: String?
    /// In log order; at most `maxProblems` of them.
    public var problems: [AuditProblem]
    /// More problems were found than are listed.
    public var problemsTruncated: Bool
}

/// One thing wrong with the log, at one place in it.
public struct AuditProblem: Sendable, Codable, Hashable {
    public enum Kind: Sendable, Codable, Hashable {
        /// The entry's contents no longer match its hash.
        case modified
        /// Entries `seq` … `through` are gone.
        case missing(through: Int64)
        /// The entry does not carry the hash of the entry before it (that entry was replaced, or entries were
        /// removed and the rest renumbered).
        case notChained
        /// The entry verifies only under another sequence number: it was written as `writtenAs`.
        case reordered(writtenAs: Int64)
        /// The newest `count` entries, from `seq` on, were deleted (the head records more entries than exist).
        case truncated(count: Int64)
        /// The last entry is not the one the head records.
        case headMismatch
        /// `count` entries after the head's last entry (from `seq` on) were added without going through Tekigo.
        case beyondHead(count: Int64)
        /// A sequence number below 1, which Tekigo never writes.
        case unexpectedSeq
        /// The head record itself is gone.
        case headMissing
    }

    /// Where: the entry concerned (for `truncated`/`beyondHead`, the first entry concerned; 0 for `headMissing`).
    public var seq: Int64
    public var kind: Kind
    /// What happened, in both languages.
    public var text: LocalizedText
    /// What happened, in English.
    public var message: String { text.en }

    public init(seq: Int64, kind: Kind) {
        self.seq = seq
        self.kind = kind
        self.text = AuditProblem.describe(seq: seq, kind: kind)
    }

    static func describe(seq: Int64, kind: Kind) -> LocalizedText {
        switch kind {
        case .modified:
            return .init(en: "entry \(seq) was modified after it was written: its contents no longer match its hash.",
                         ja: "エントリ \(seq) は記録後に変更されています（内容がハッシュと一致しません）。")
        case .missing(let through) where through == seq:
            return .init(en: "entry \(seq) is missing: it was deleted from the log.",
                         ja: "エントリ \(seq) がありません（ログから削除されています）。")
        case .missing(let through):
            return .init(en: "entries \(seq)–\(through) are missing (\(through - seq + 1) entries): they were deleted from the log.",
                         ja: "エントリ \(seq)〜\(through) がありません（\(through - seq + 1) 件、ログから削除されています）。")
        case .notChained:
            return .init(en: "entries after \(seq - 1) do not chain: entry \(seq) does not carry the hash of entry \(seq - 1) "
                            + "(entry \(seq - 1) was replaced, or entries were removed and the rest renumbered).",
                         ja: "エントリ \(seq - 1) より後のチェーンがつながっていません: エントリ \(seq) がエントリ \(seq - 1) のハッシュを"
                            + "引き継いでいません（エントリ \(seq - 1) の差し替え、または削除と番号の付け直し）。")
        case .reordered(let writtenAs):
            return .init(en: "entry \(seq) is out of order: it was written as entry \(writtenAs) and its sequence number was changed (entries were reordered).",
                         ja: "エントリ \(seq) の順序が入れ替えられています: 本来はエントリ \(writtenAs) として記録されたもので、番号が変更されています。")
        case .truncated(let count):
            let last = seq - 1
            if last == 0 {
                return .init(en: "all \(count) entries were deleted: the log is empty but \(count) entries were written.",
                             ja: "全 \(count) 件のエントリが削除されています（記録された \(count) 件がログに残っていません）。")
            }
            return .init(en: "the last \(count) \(count == 1 ? "entry was" : "entries were") deleted: the log ends at entry \(last) "
                            + "but \(last + count) entries were written.",
                         ja: "末尾の \(count) 件のエントリが削除されています: ログはエントリ \(last) で終わっていますが、"
                            + "\(last + count) 件が記録されていました。")
        case .headMismatch:
            return .init(en: "the last entry (\(seq)) is not the one recorded as the end of the log: it was replaced, or the head record was altered.",
                         ja: "最後のエントリ (\(seq)) がログ末尾の記録と一致しません（エントリの差し替え、または末尾記録の改変）。")
        case .beyondHead(let count):
            return .init(en: "\(count) \(count == 1 ? "entry" : "entries") from entry \(seq) on \(count == 1 ? "was" : "were") added outside Tekigo: "
                            + "the log's recorded end is entry \(seq - 1).",
                         ja: "エントリ \(seq) 以降の \(count) 件は Tekigo を経由せずに追加されています（記録上のログ末尾はエントリ \(seq - 1) です）。")
        case .unexpectedSeq:
            return .init(en: "an entry numbered \(seq) was inserted outside Tekigo (entries are numbered from 1).",
                         ja: "番号 \(seq) のエントリが Tekigo を経由せずに挿入されています（エントリ番号は 1 から始まります）。")
        case .headMissing:
            return .init(en: "the record of the log's end (audit_head) is missing: deleted trailing entries cannot be detected.",
                         ja: "ログ末尾の記録 (audit_head) がありません: 末尾のエントリの削除を検出できません。")
        }
    }
}

public enum AuditError: Error, CustomStringConvertible, Sendable {
    case headMissing
    case headMoved(seq: Int64)
    case invalidField(String)

    public var description: String {
        switch self {
        case .headMissing:
            return "the audit log's head record (audit_head) is missing; run `tekigo audit verify` and restore the database from a backup."
        case .headMoved(let seq):
            return "another writer moved the audit log past entry \(seq) during this append; AuditLog.append must run inside a transaction."
        case .invalidField(let name):
            return "audit event field \(name) contains a NUL character, which cannot be stored."
        }
    }
}

/// The audit log over the `audit_log` / `audit_head` tables.
public struct AuditLog: Sendable {
    public static let genesisHash = String(repeating: "0", count: 64)
    /// Identifies the canonical encoding; part of every hash.
    static let encodingTag = "tekigo.audit.v1"
    static let columns = ["seq", "at", "actor", "organization_id", "source_ip", "action", "object", "before_digest",
                          "after_digest", "prev_hash", "hash"]

    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) { self.db = db }

    // MARK: writing

    /// Appends `event` as the next entry. Call it on the caller's transaction
    /// (`db.transaction { s in …change…; try await audit.append(e, on: s) }`) so the entry is stored if and only if
    /// the change is.
    ///
    /// The first statement, `UPDATE audit_head SET seq = seq + 1 … RETURNING seq, hash`, both reserves the
    /// sequence number and serializes appenders across connections and app instances: PostgreSQL holds the head
    /// row's lock until the transaction ends (a concurrent appender waits, then sees the committed head), and
    /// SQLite's `BEGIN IMMEDIATE` already holds the database's write lock. Only `seq` changes there, so the
    /// returned `hash` is still the previous entry's hash. The same statements run on both engines.
    public func append(_ event: AuditEvent, on s: any SQLDatabase) async throws -> AuditEntry {
        for (name, value) in [("actor", event.actor), ("organization_id", event.organizationID), ("source_ip", event.sourceIP),
                              ("action", event.action), ("object", event.object), ("before_digest", event.beforeDigest),
                              ("after_digest", event.afterDigest)] {
            if let value, value.unicodeScalars.contains("\0") { throw AuditError.invalidField(name) }
        }
        guard let head = try await s.raw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").first()
        else { throw AuditError.headMissing }
        let seq = try head.decode(column: "seq", as: Int64.self)
        let prevHash = try head.decode(column: "hash", as: String.self)
        let at = Timestamp.now()
        let entry = AuditEntry(seq: seq, at: at, event: event, prevHash: prevHash,
                               hash: AuditLog.chainHash(seq: seq, at: at, event: event, prevHash: prevHash))
        try await s.insert(into: "audit_log").columns(AuditLog.columns)
            .values(SQLBind(entry.seq), SQLBind(entry.at), SQLBind(entry.actor), SQLBind(entry.organizationID),
                    SQLBind(entry.sourceIP), SQLBind(entry.action), SQLBind(entry.object), SQLBind(entry.beforeDigest),
                    SQLBind(entry.afterDigest), SQLBind(entry.prevHash), SQLBind(entry.hash))
            .run()
        // The head must still be at our entry; if not, someone appended outside a transaction.
        let moved = try await s.raw("UPDATE audit_head SET hash = \(bind: entry.hash) WHERE id = 1 AND seq = \(bind: seq) RETURNING seq")
            .first()
        guard moved != nil else { throw AuditError.headMoved(seq: seq) }
        return entry
    }

    /// Appends `event` in a transaction of its own (for events with no data change: logins, failures, exports).
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditEntry {
        try await db.transaction { s in try await self.append(event, on: s) }
    }

    /// SHA-256 hex of `data`: the before/after digests of an object's JSON snapshot.
    public static func digest(_ data: Data) -> String {
        Hex.sha256(data)
    }

    /// An entry's hash: lowercase hex SHA-256 over this encoding, which is unambiguous (no two different entries
    /// encode to the same bytes):
    ///
    ///     field("tekigo.audit.v1")            the encoding's name and version
    ///     seq as 8 bytes, big-endian two's complement
    ///     field(at) field(actor) field(organization_id) field(source_ip) field(action) field(object)
    ///     field(before_digest) field(after_digest) field(prev_hash)
    ///
    /// where field(nil) is the single byte 0x00, and field(s) is the byte 0x01, then the length of s's UTF-8
    /// bytes as 8 bytes big-endian, then those bytes. `at` is hashed exactly as stored (ISO 8601 text).
    public static func chainHash(seq: Int64, at: String, event: AuditEvent, prevHash: String) -> String {
        var h = SHA256()
        func field(_ s: String?) {
            guard let s else { h.update(data: [0x00]); return }
            let bytes = Array(s.utf8)
            h.update(data: [0x01])
            h.update(data: bigEndian(UInt64(bytes.count)))
            h.update(data: bytes)
        }
        field(encodingTag)
        h.update(data: bigEndian(UInt64(bitPattern: seq)))
        field(at)
        field(event.actor)
        field(event.organizationID)
        field(event.sourceIP)
        field(event.action)
        field(event.object)
        field(event.beforeDigest)
        field(event.afterDigest)
        field(prevHash)
        return Hex.encode(h.finalize())
    }

    private static func bigEndian(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) }
    }

    // MARK: reading

    /// Entries for a viewer, newest first: those of one organization (nil: all of them, for platform
    /// administrators), older than `before` when given, at most `limit` (capped at 10,000).
    /// `actionPrefix` keeps entries whose action starts with it (`login.`, `finding.`); `actor` those of one actor.
    public func entries(organizationID: String?, limit: Int, before seq: Int64? = nil, actionPrefix: String? = nil,
                        actor: String? = nil) async throws -> [AuditEntry] {
        var q = db.sql.select().columns(AuditLog.columns.map { SQLIdentifier($0) }).from("audit_log")
        if let organizationID { q = q.where("organization_id", .equal, organizationID) }
        if let actionPrefix, !actionPrefix.isEmpty {
            // substr() rather than LIKE: a prefix holding % or _ matches literally, on both engines.
            q = q.where(SQLFunction("substr", args: SQLIdentifier("action"), SQLLiteral.numeric("1"),
                                    SQLLiteral.numeric("\(actionPrefix.count)")), .equal, SQLBind(actionPrefix))
        }
        if let actor, !actor.isEmpty { q = q.where("actor", .equal, actor) }
        if let seq { q = q.where("seq", .lessThan, seq) }
        return try await q.orderBy("seq", .descending).limit(max(0, min(limit, 10_000))).all().map(AuditLog.entry)
    }

    /// Writes the entries after `seq`, oldest first, as JSON Lines (`AuditEntry.jsonLine`, no trailing newline:
    /// `handle` receives one line at a time). Reads in pages of 1,000.
    public func export(after seq: Int64 = 0, to handle: (String) throws -> Void) async throws {
        var cursor = seq
        while true {
            let page = try await AuditLog.page(db.sql, after: cursor, limit: 1_000)
            for e in page { try handle(e.jsonLine) }
            guard let last = page.last, page.count == 1_000 else { return }
            cursor = last.seq
        }
    }

    static func page(_ s: any SQLDatabase, after cursor: Int64, limit: Int) async throws -> [AuditEntry] {
        try await s.select().columns(AuditLog.columns.map { SQLIdentifier($0) }).from("audit_log")
            .where("seq", .greaterThan, cursor).orderBy("seq", .ascending).limit(limit).all().map(AuditLog.entry)
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.decode(column: "seq", as: Int64.self),
            at: try row.decode(column: "at", as: String.self),
            event: AuditEvent(
                actor: try row.decode(column: "actor", as: String.self),
                organizationID: try row.decode(column: "organization_id", as: String?.self),
                sourceIP: try row.decode(column: "source_ip", as: String.self),
                storedAction: try row.decode(column: "action", as: String.self),
                object: try row.decode(column: "object", as: String.self),
                beforeDigest: try row.decode(column: "before_digest", as: String?.self),
                afterDigest: try row.decode(column: "after_digest", as: String?.self)),
            prevHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    // MARK: verifying

    /// Reads the whole log in sequence order, in pages of `batchSize`, inside one read-only snapshot (so
    /// concurrent appends are either wholly seen or not at all, and writers are not blocked), and names every
    /// problem: modified entries, missing entries, entries that do not chain, reordered entries, deleted newest
    /// entries, entries added behind Tekigo's back, and a missing or mismatched head.
    public func verify(batchSize: Int = 1_000, maxProblems: Int = 100) async throws -> AuditVerification {
        let begin = db.engine == .sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        let batch = max(1, batchSize)
        return try await db.withConnection { s in
            try await s.raw(SQLQueryString(begin)).run()
            do {
                let r = try await AuditLog.verify(on: s, batchSize: batch, maxProblems: max(1, maxProblems))
                try await s.raw("COMMIT").run()
                return r
            } catch {
                try? await s.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static func verify(on s: any SQLDatabase, batchSize: Int, maxProblems: Int) async throws -> AuditVerification {
        let headRow = try await s.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
        let headSeq = try headRow?.decode(column: "seq", as: Int64.self)
        let headHash = try headRow?.decode(column: "hash", as: String.self)

        var problems: [AuditProblem] = []
        var truncatedList = false
        func report(_ p: AuditProblem) {
            if problems.count < maxProblems { problems.append(p) } else { truncatedList = true }
        }

        var count = 0
        var firstSeq: Int64?
        var expected: Int64 = 1
        var previous: AuditEntry?
        var previousReordered = false
        var cursor = Int64.min
        while true {
            let page = try await AuditLog.page(s, after: cursor, limit: batchSize)
            for e in page {
                count += 1
                if firstSeq == nil { firstSeq = e.seq }
                var gap = false
                if e.seq < 1 {
                    report(AuditProblem(seq: e.seq, kind: .unexpectedSeq))
                    continue
                } else if e.seq > expected {
                    report(AuditProblem(seq: expected, kind: .missing(through: e.seq - 1)))
                    gap = true
                }
                var reordered = false
                if e.computedHash != e.hash {
                    if let original = try await writtenAs(e, on: s, headSeq: headSeq, headHash: headHash) {
                        report(AuditProblem(seq: e.seq, kind: .reordered(writtenAs: original)))
                        reordered = true
                    } else {
                        report(AuditProblem(seq: e.seq, kind: .modified))
                    }
                } else if !gap && !previousReordered && e.prevHash != (previous?.hash ?? genesisHash) {
                    // A gap explains a broken link by itself; after a moved entry the link is broken by the move.
                    report(AuditProblem(seq: e.seq, kind: .notChained))
                }
                expected = e.seq + 1
                previous = e
                previousReordered = reordered
            }
            guard let last = page.last, page.count == batchSize else { break }
            cursor = last.seq
        }

        let lastSeq = previous?.seq ?? 0
        if let headSeq, let headHash {
            if headSeq > lastSeq {
                report(AuditProblem(seq: lastSeq + 1, kind: .truncated(count: headSeq - lastSeq)))
            } else if headSeq < lastSeq {
                report(AuditProblem(seq: headSeq + 1, kind: .beyondHead(count: lastSeq - headSeq)))
            } else if headHash != (previous?.hash ?? genesisHash) && !previousReordered {
                // (A moved last entry is already named; its hash differs from the head's because of the move.)
                report(AuditProblem(seq: lastSeq, kind: .headMismatch))
            }
        } else {
            report(AuditProblem(seq: 0, kind: .headMissing))
        }
        return AuditVerification(entries: count, firstSeq: firstSeq, lastSeq: previous?.seq, headSeq: headSeq,
                                 headHash: headHash, problems: problems, problemsTruncated: truncatedList)
    }

    /// The sequence number an entry that fails its hash was written under, if it verifies under another one:
    /// one after the entry whose hash it carries, one before the entry that carries its hash, or the head's.
    static func writtenAs(_ e: AuditEntry, on s: any SQLDatabase, headSeq: Int64?, headHash: String?) async throws -> Int64? {
        var candidates: [Int64] = []
        if e.prevHash == genesisHash {
            candidates.append(1)
        } else {
            for row in try await s.select().column("seq").from("audit_log").where("hash", .equal, e.prevHash).all() {
                candidates.append(try row.decode(column: "seq", as: Int64.self) + 1)
            }
        }
        for row in try await s.select().column("seq").from("audit_log").where("prev_hash", .equal, e.hash).all() {
            candidates.append(try row.decode(column: "seq", as: Int64.self) - 1)
        }
        if let headSeq, headHash == e.hash { candidates.append(headSeq) }
        return candidates.first { $0 != e.seq && $0 >= 1 && e.computedHash(asSeq: $0) == e.hash }
    }
}
