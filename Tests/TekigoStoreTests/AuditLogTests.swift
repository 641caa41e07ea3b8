import Foundation
import SQLKit
import Testing
import TekigoTestSupport
@testable import TekigoStore

@Suite("Audit log: append-only, hash-chained, tamper-evident")
struct AuditLogTests {
    static func event(_ i: Int, org: String? = "org-1") -> AuditEvent {
        AuditEvent(actor: i % 3 == 0 ? AuditEvent.tokenActor("t\(i)") : "user-\(i % 4)", organizationID: i % 5 == 0 ? nil : org,
                   sourceIP: "192.0.2.\(i % 250)", action: i % 2 == 0 ? .findingUpdated : .loginSuccess,
                   object: "assessment/a1/finding/3.1.\(i)[a]",
                   beforeDigest: i % 2 == 0 ? AuditLog.digest(Data("before \(i)".utf8)) : nil,
                   afterDigest: i % 2 == 0 ? AuditLog.digest(Data("after \(i)".utf8)) : nil)
    }

    /// A fresh database of `engine` with `count` entries appended, closed afterwards whatever happens.
    func withLog(_ engine: TestDatabases.Engine, entries count: Int,
                 _ body: (TekigoDatabase, AuditLog) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            let log = AuditLog(db)
            if count > 0 { for i in 1...count { try await log.append(Self.event(i)) } }
            try await body(db, log)
            await db.close()
        } catch {
            await db.close()
            throw error
        }
    }

    func exec(_ db: TekigoDatabase, _ sql: String) async throws {
        try await db.sql.raw(SQLQueryString(sql)).run()
    }

    func seqs(_ db: TekigoDatabase) async throws -> [Int64] {
        try await db.sql.raw("SELECT seq FROM audit_log ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
    }

    @Test("Appends are numbered 1…N, each chained to the one before, and verify as intact", arguments: TestDatabases.engines)
    func appendAndVerify(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 0) { db, log in
            let empty = try await log.verify()
            #expect(empty.isIntact && empty.entries == 0 && empty.headSeq == 0)

            var written: [AuditEntry] = []
            for i in 1...25 { written.append(try await log.append(Self.event(i))) }
            // Text that needs escaping and non-ASCII text survive storage and hashing exactly.
            written.append(try await log.append(AuditEvent(
                actor: AuditEvent.anonymousActor, sourceIP: "2001:db8::1", action: .loginFailure,
                object: "user/\"山田\"\n\\tab\t\u{01}")))
            #expect(written.map(\.seq) == Array(1...26))
            #expect(written[0].prevHash == AuditLog.genesisHash)
            for (a, b) in zip(written, written.dropFirst()) { #expect(b.prevHash == a.hash) }
            for e in written { #expect(e.computedHash == e.hash) }

            let v = try await log.verify(batchSize: 7)  // several pages
            #expect(v.isIntact, "\(v.problems.map(\.message))")
            #expect(v.entries == 26 && v.firstSeq == 1 && v.lastSeq == 26 && v.headSeq == 26)
            #expect(v.headHash == written.last?.hash)

            let stored = try await log.entries(organizationID: nil, limit: 100)
            #expect(stored == written.reversed())
        }
    }

    @Test("Concurrent appenders get 1…N with no gap and a valid chain", arguments: TestDatabases.engines)
    func concurrentAppends(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 0) { db, log in
            let tasks = 8, each = 12
            try await withThrowingTaskGroup(of: Void.self) { group in
                for t in 0..<tasks {
                    group.addTask {
                        for i in 0..<each {
                            // Half with a data change in the same transaction, half with their own.
                            if i % 2 == 0 {
                                try await db.transaction { s in
                                    try await s.raw("SELECT 1").run()
                                    _ = try await log.append(Self.event(t * 100 + i), on: s)
                                }
                            } else {
                                try await log.append(Self.event(t * 100 + i))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await seqs(db) == Array(1...Int64(tasks * each)))
            let v = try await log.verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
            #expect(v.entries == tasks * each)
        }
    }

    @Test("An edited entry is named", arguments: TestDatabases.engines)
    func edited(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 20) { db, log in
            try await exec(db, "UPDATE audit_log SET action = 'login.failure' WHERE seq = 7")
            let v = try await log.verify()
            #expect(!v.isIntact)
            #expect(v.problems.map(\.kind) == [.modified])
            #expect(v.problems.first?.seq == 7)
            #expect(v.problems.first?.message.contains("entry 7 was modified") == true)
            #expect(v.problems.first?.text.ja.contains("エントリ 7") == true)
        }
    }

    @Test("An edited entry whose hash was recomputed breaks the chain after it", arguments: TestDatabases.engines)
    func rehashed(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 20) { db, log in
            var e = try #require(try await log.entries(organizationID: nil, limit: 1, before: 8).first)
            e.action = "nothing.happened"
            try await exec(db, "UPDATE audit_log SET action = 'nothing.happened', hash = '\(e.computedHash)' WHERE seq = 7")
            let v = try await log.verify()
            #expect(v.problems.map(\.kind) == [.notChained])
            #expect(v.problems.first?.seq == 8)
            #expect(v.problems.first?.message.contains("entries after 7 do not chain") == true)
        }
    }

    @Test("A deleted middle entry is named", arguments: TestDatabases.engines)
    func deletedMiddle(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 20) { db, log in
            try await exec(db, "DELETE FROM audit_log WHERE seq = 9")
            let v = try await log.verify(batchSize: 4)
            #expect(v.problems.map(\.kind) == [.missing(through: 9)])
            #expect(v.problems.first?.seq == 9)
            #expect(v.problems.first?.message.contains("entry 9 is missing") == true)
            #expect(v.entries == 19)

            try await exec(db, "DELETE FROM audit_log WHERE seq IN (12, 13, 14)")
            let v2 = try await log.verify()
            #expect(v2.problems.map(\.kind) == [.missing(through: 9), .missing(through: 14)])
            #expect(v2.problems.last?.message.contains("entries 12–14 are missing") == true)
        }
    }

    @Test("Swapped sequence numbers are named as reordering", arguments: TestDatabases.engines)
    func reordered(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 20) { db, log in
            func swap(_ a: Int, _ b: Int) async throws {
                try await exec(db, "UPDATE audit_log SET seq = -1 WHERE seq = \(a)")
                try await exec(db, "UPDATE audit_log SET seq = \(a) WHERE seq = \(b)")
                try await exec(db, "UPDATE audit_log SET seq = \(b) WHERE seq = -1")
            }
            try await swap(4, 11)
            let v = try await log.verify()
            #expect(v.problems.map(\.seq) == [4, 11])
            #expect(v.problems.map(\.kind) == [.reordered(writtenAs: 11), .reordered(writtenAs: 4)])
            #expect(v.problems.first?.message.contains("entry 4 is out of order: it was written as entry 11") == true)

            try await swap(4, 11)
            #expect(try await log.verify().isIntact)
            // Neighbours, and the last two entries (the head tells where the last one belongs).
            try await swap(15, 16)
            try await swap(19, 20)
            let v2 = try await log.verify()
            #expect(v2.problems.map(\.kind) == [.reordered(writtenAs: 16), .reordered(writtenAs: 15),
                                                .reordered(writtenAs: 20), .reordered(writtenAs: 19)])
        }
    }

    @Test("Deleted newest entries are named", arguments: TestDatabases.engines)
    func truncatedTail(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 20) { db, log in
            try await exec(db, "DELETE FROM audit_log WHERE seq > 18")
            let v = try await log.verify()
            #expect(v.problems.map(\.kind) == [.truncated(count: 2)])
            #expect(v.problems.first?.seq == 19)
            #expect(v.problems.first?.message.contains("the last 2 entries were deleted") == true)
            #expect(v.lastSeq == 18 && v.headSeq == 20)

            try await exec(db, "DELETE FROM audit_log")
            let all = try await log.verify()
            #expect(all.problems.map(\.kind) == [.truncated(count: 20)])
            #expect(all.problems.first?.message.contains("all 20 entries were deleted") == true)
        }
    }

    @Test("A missing head, and entries added behind the head, are named", arguments: TestDatabases.engines)
    func headProblems(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 5) { db, log in
            try await exec(db, "UPDATE audit_head SET seq = 3 WHERE id = 1")
            let v = try await log.verify()
            #expect(v.problems.map(\.kind) == [.beyondHead(count: 2)])
            #expect(v.problems.first?.seq == 4)

            try await exec(db, "DELETE FROM audit_head")
            #expect(try await log.verify().problems.map(\.kind) == [.headMissing])
            await #expect(throws: AuditError.self) { try await log.append(Self.event(1)) }
        }
    }

    @Test("An append in a transaction that fails leaves no entry and the chain intact", arguments: TestDatabases.engines)
    func rollback(_ engine: TestDatabases.Engine) async throws {
        struct Boom: Error {}
        try await withLog(engine, entries: 3) { db, log in
            await #expect(throws: Boom.self) {
                try await db.transaction { s in
                    let e = try await log.append(Self.event(99), on: s)
                    #expect(e.seq == 4)
                    throw Boom()
                }
            }
            #expect(try await seqs(db) == [1, 2, 3])
            let v = try await log.verify()
            #expect(v.isIntact && v.headSeq == 3)
            let next = try await log.append(Self.event(4))
            #expect(next.seq == 4)
            #expect(try await log.verify().isIntact)
        }
    }

    @Test("Export writes one parseable JSON object per entry, keys in a stable order", arguments: TestDatabases.engines)
    func export(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 1_203) { db, log in
            var lines: [String] = []
            try await log.export { lines.append($0) }
            #expect(lines.count == 1_203)
            #expect(lines.allSatisfy { !$0.contains("\n") })
            #expect(lines[0].hasPrefix("{\"seq\":1,\"at\":\""))
            let decoder = JSONDecoder()
            var previous = AuditLog.genesisHash
            for (i, line) in lines.enumerated() {
                #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
                let e = try decoder.decode(AuditEntry.self, from: Data(line.utf8))
                #expect(e.seq == Int64(i + 1))
                #expect(e.computedHash == e.hash)
                #expect(e.prevHash == previous)
                previous = e.hash
            }
            let first = try decoder.decode(AuditEntry.self, from: Data(lines[4].utf8))
            #expect(first.organizationID == nil && first.beforeDigest == nil)
            var tail: [String] = []
            try await log.export(after: 1_200) { tail.append($0) }
            #expect(tail == Array(lines.suffix(3)))
        }
    }

    @Test("Viewers read one organization's entries, newest first, a page at a time", arguments: TestDatabases.engines)
    func viewer(_ engine: TestDatabases.Engine) async throws {
        try await withLog(engine, entries: 0) { db, log in
            for i in 1...12 { try await log.append(Self.event(i, org: i % 2 == 0 ? "org-a" : "org-b")) }
            let page1 = try await log.entries(organizationID: "org-a", limit: 3)
            // Entries 10 (seq % 5 == 0) carry no organization.
            #expect(page1.map(\.seq) == [12, 8, 6])
            let page2 = try await log.entries(organizationID: "org-a", limit: 3, before: page1.last?.seq)
            #expect(page2.map(\.seq) == [4, 2])
            #expect(try await log.entries(organizationID: nil, limit: 2).map(\.seq) == [12, 11])
        }
    }

    @Test("The hash encoding is unambiguous and the digest is SHA-256")
    func encoding() {
        #expect(AuditLog.digest(Data("x".utf8)) == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
        let a = AuditEvent(actor: "ab", sourceIP: "ip", storedAction: "c", object: "o")
        let b = AuditEvent(actor: "a", sourceIP: "ip", storedAction: "bc", object: "o")
        let z = AuditLog.genesisHash
        #expect(AuditLog.chainHash(seq: 1, at: "t", event: a, prevHash: z) != AuditLog.chainHash(seq: 1, at: "t", event: b, prevHash: z))
        var withEmpty = a
        withEmpty.organizationID = ""
        #expect(AuditLog.chainHash(seq: 1, at: "t", event: a, prevHash: z)
                != AuditLog.chainHash(seq: 1, at: "t", event: withEmpty, prevHash: z))
        #expect(AuditLog.chainHash(seq: 1, at: "t", event: a, prevHash: z) != AuditLog.chainHash(seq: 2, at: "t", event: a, prevHash: z))
        #expect(AuditLog.chainHash(seq: 1, at: "t", event: a, prevHash: z).count == 64)
    }
}
