import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// The incident registers' use cases (issue 13 item 5) on both engines, with the injected clock moved across the
/// end of the DFARS 252.204-7012(e) preservation hold (the first DoD initial report + 90 days = 2160 hours): changes
/// refused before, allowed after, every refusal audited; (d) samples never leave except as an encrypted archive
/// after the warning; chain of custody and the (f)/(g) requests round-trip.
@Suite("Incident registers: the 7012(e) preservation hold, malware samples, custody, DoD requests")
struct IncidentRegisterTests {
    struct World: Sendable {
        let db: TekigoDatabase
        let clock: SettableClock
        let env: TenantEnvironment
        let owner: TenantScope
        let incidentID: String

        func member(_ role: Role) async throws -> TenantScope {
            let u = try await AccountStore(db).createUser(email: "\(UUID().uuidString.prefix(8))@example.jp", displayName: role.rawValue,
                                                          passwordHash: "x", platformAdmin: false)
            try await AccountStore(db).setMembership(userID: u.id, organizationID: owner.organizationID, role: role)
            return TenantScope(organization: owner.organization, role: role, actor: Actor(id: u.id, sourceIP: "192.0.2.41"),
                               store: TenantStore(db, organizationID: owner.organizationID))
        }

        var registers: IncidentRegisterUseCases { IncidentRegisterUseCases(env, owner) }

        func actions() async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, owner.organizationID)
                .orderBy("seq").all().map { try $0.decode(column: "action", as: String.self) }
        }
    }

    static func instant(_ text: String) -> Date { try! OffsetInstant.parse(text).date }

    /// Discovered 2027-01-08 02:13 JST; the DoD initial report (when a test records it) at 2027-01-09 10:00 JST =
    /// 01:00 UTC, so the hold ends 2027-04-09T01:00:00Z.
    static let reportedAt = "2027-01-09T10:00:00+09:00"
    static let holdEnds = instant("2027-04-09T01:00:00Z")

    func withWorld(_ engine: TestDatabases.Engine, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let clock = SettableClock(Self.instant("2027-01-08T03:00:00+09:00"))
        let env = TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) })),
                                    library: try BuiltInLibrary.shared, clock: clock)
        do {
            let user = try await AccountStore(db).createUser(email: "owner-\(UUID().uuidString.prefix(6))@example.jp", displayName: "所有者",
                                                             passwordHash: "x", platformAdmin: false)
            let o = try await AccountStore(db).createOrganization(name: "株式会社サンプル精機", cageCodes: ["1ABC2"], owner: user.id)
            let owner = TenantScope(organization: o, role: .owner, actor: Actor(id: user.id, sourceIP: "192.0.2.40"),
                                    store: TenantStore(db, organizationID: o.id))
            let d = try await IncidentUseCases(env, owner).open(IncidentDraft(
                title: "CAD サーバのランサムウェア感染", discoveredAt: "2027-01-08T02:13:00+09:00", discoveredTimeZone: "Asia/Tokyo",
                discoveredBy: "情報システム課 山田", detectionMethod: "message-from-attacker"))
            try await body(World(db: db, clock: clock, env: env, owner: owner, incidentID: d.id))
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func refused<E: Error & Equatable>(_ expected: E, _ sourceLocation: SourceLocation = #_sourceLocation,
                                       _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(expected)", sourceLocation: sourceLocation)
        } catch let e as E {
            #expect(e == expected, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
        }
    }

    static let sample = Data("MZ\u{90}\u{00} not really malware, a test pattern 1f2e3d".utf8)
    static let replacement = Data("MZ second copy of the test pattern".utf8)

    @Test("DFARS 252.204-7012(e): before the DoD initial report no sample or media entry can be replaced or disposed of (heldItem with no end), after it not before submission + 2160 h (heldItem naming the instant); at that instant both are allowed to a manager; every refusal is in the audit chain and changed nothing",
          arguments: TestDatabases.engines)
    func retentionLockAcrossTheClock(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let r = w.registers, id = w.incidentID
            let sample = try await r.addSample(incidentID: id, data: Self.sample, filename: "C:\\Temp\\invoice.pdf.exe", description: "暗号化ツール")
            #expect(sample.sha256 == Hex.sha256(Self.sample))
            #expect(sample.filename == "invoice.pdf.exe")
            let media = try await r.addMedia(incidentID: id, MediaDraft(kind: "image", description: "CAD サーバのディスクイメージ",
                                                                        location: "金庫 A-3 / USB HDD #7", sha256: String(repeating: "ab", count: 32),
                                                                        size: "512110190592", holder: "情報システム課 山田"))
            #expect(try await r.hold(incidentID: id) == .awaitingReport)

            // Before any DoD initial report: held, no end known.
            await refused(IncidentError.heldItem(until: nil)) {
                _ = try await r.disposeMedia(incidentID: id, id: media.id)
            }
            await refused(IncidentError.heldItem(until: nil)) {
                _ = try await r.replaceMedia(incidentID: id, id: media.id, location: "別の場所", sha256: "", size: "", expectedVersion: 1)
            }
            await refused(IncidentError.heldItem(until: nil)) {
                _ = try await r.disposeSample(incidentID: id, sha256: sample.sha256)
            }
            await refused(IncidentError.heldItem(until: nil)) {
                _ = try await r.replaceSample(incidentID: id, sha256: sample.sha256, data: Self.replacement, filename: "x")
            }
            // A MOD report does not start the DFARS hold.
            w.clock.set(Self.instant("2027-01-09T11:00:00+09:00"))
            _ = try await IncidentUseCases(w.env, w.owner).recordSubmission(id: id, kind: "mod-first", submittedAt: "2027-01-08T04:00:00+09:00",
                                                                            channel: "防衛省 担当窓口")
            #expect(try await r.hold(incidentID: id) == .awaitingReport)

            _ = try await IncidentUseCases(w.env, w.owner).recordSubmission(id: id, kind: "dod-initial", submittedAt: Self.reportedAt,
                                                                            channel: "DC3 portal", reportNumber: "ICF-2027-0001")
            #expect(try await r.hold(incidentID: id) == .heldUntil(Self.holdEnds))

            // One second before the end: held, the error names the instant.
            w.clock.set(Self.holdEnds.addingTimeInterval(-1))
            await refused(IncidentError.heldItem(until: Self.holdEnds)) {
                _ = try await r.disposeMedia(incidentID: id, id: media.id)
            }
            await refused(IncidentError.heldItem(until: Self.holdEnds)) {
                _ = try await r.replaceMedia(incidentID: id, id: media.id, location: "別の場所", sha256: "", size: "", expectedVersion: 1)
            }
            await refused(IncidentError.heldItem(until: Self.holdEnds)) {
                _ = try await r.disposeSample(incidentID: id, sha256: sample.sha256)
            }
            await refused(IncidentError.heldItem(until: Self.holdEnds)) {
                _ = try await r.replaceSample(incidentID: id, sha256: sample.sha256, data: Self.replacement, filename: "x")
            }
            #expect(IncidentError.heldItem(until: Self.holdEnds).text.ja.contains("2027-04-09"))

            // Nothing changed, and the chain shows all eight attempts.
            let before = try await r.registers(incidentID: id)
            #expect(before.media.map(\.location) == ["金庫 A-3 / USB HDD #7"] && before.media[0].version == 1 && !before.media[0].isDisposed)
            #expect(before.samples.map(\.sha256) == [sample.sha256] && !before.samples[0].isDisposed)
            let refusals = try await w.actions().filter { $0 == AuditAction.incidentHeldItemRefused.rawValue }
            #expect(refusals.count == 8)

            // At the end of the hold: a manager replaces and disposes of them, audited.
            w.clock.set(Self.holdEnds)
            #expect(try await r.hold(incidentID: id) == .ended(Self.holdEnds))
            let moved = try await r.replaceMedia(incidentID: id, id: media.id, location: "保管庫 B", sha256: "", size: "", expectedVersion: 1)
            #expect(moved.version == 2 && moved.location == "保管庫 B")
            _ = try await r.disposeMedia(incidentID: id, id: media.id)
            let disposed = try await r.disposeSample(incidentID: id, sha256: sample.sha256)
            #expect(disposed.isDisposed)
            await refused(RegisterStoreError.sampleDisposed(sample.sha256)) {
                _ = try await r.sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: true)
            }
            // The sealed bytes are gone from the row.
            let sealed = try await w.db.sql.select().column("sealed").from("incident_malware").where("id", .equal, sample.id).first()?
                .decode(column: "sealed", as: Data.self)
            #expect(sealed?.isEmpty == true)
            let after = try await r.registers(incidentID: id)
            #expect(after.media[0].isDisposed && after.media[0].disposedBy == w.owner.actor.id)
            let actions = try await w.actions()
            for a in [AuditAction.incidentMediaReplaced, .incidentMediaDisposed, .incidentMalwareDisposed] {
                #expect(actions.contains(a.rawValue), "\(a)")
            }
        }
    }

    @Test("DFARS 252.204-7012(e): the hold is enforced inside RegisterStore's transaction, so a caller that skips the use cases is refused too",
          arguments: TestDatabases.engines)
    func storeChecksTheHold(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let media = try await w.registers.addMedia(incidentID: w.incidentID, MediaDraft(kind: "packet-capture", description: "境界 FW の pcap",
                                                                                          location: "NAS /evidence/pcap", holder: "山田"))
            let store = RegisterStore(w.db, organizationID: w.owner.organizationID, key: w.env.evidence.key)
            await refused(IncidentError.heldItem(until: nil)) {
                try await w.db.transaction { s in
                    _ = try await store.disposeMedia(incidentID: w.incidentID, id: media.id, by: "someone", now: w.clock.now(), on: s)
                }
            }
            await refused(IncidentError.heldItem(until: nil)) {
                try await w.db.transaction { s in
                    _ = try await store.replaceMedia(incidentID: w.incidentID, id: media.id, location: "x", sha256: "", size: nil,
                                                     expectedVersion: 1, now: w.clock.now(), on: s)
                }
            }
            #expect(try await store.mediaItem(incidentID: w.incidentID, id: media.id)?.isDisposed == false)
        }
    }

    @Test("DFARS 252.204-7012(d): a sample leaves only as an AES-256-GCM archive under a one-time key, after the warning is confirmed; the archive holds no plaintext, opens only with its key, and each download has its own key; viewers and members without need-to-know cannot read the registers",
          arguments: TestDatabases.engines)
    func sampleArchiveAndNeedToKnow(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let r = w.registers, id = w.incidentID
            let sample = try await r.addSample(incidentID: id, data: Self.sample, filename: "dropper.exe", description: "")
            // The same bytes again: the first entry.
            #expect(try await r.addSample(incidentID: id, data: Self.sample, filename: "other.exe", description: "").id == sample.id)
            await refused(IncidentRegisterError.warningNotConfirmed) {
                _ = try await r.sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: false)
            }
            let a = try await r.sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: true)
            let b = try await r.sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: true)
            #expect(a.keyHex.count == 64 && a.keyHex != b.keyHex)
            #expect(a.filename == "\(sample.sha256).tekigo-sample")
            #expect(a.data.range(of: Self.sample) == nil)
            #expect(a.data.starts(with: Data("tekigo-sealed-sample/1 sha256=\(sample.sha256) size=\(Self.sample.count)\n".utf8)))
            #expect(IncidentSampleArchive.open(a.data, keyHex: a.keyHex) == Self.sample)
            #expect(IncidentSampleArchive.open(a.data, keyHex: b.keyHex) == nil)
            var altered = a.data
            altered[altered.count - 1] ^= 0x01
            #expect(IncidentSampleArchive.open(altered, keyHex: a.keyHex) == nil)
            // Not in the evidence vault, whose download route serves files to every reader.
            #expect(try await w.env.evidence.record(organizationID: w.owner.organizationID, sha256: sample.sha256) == nil)
            #expect(try await w.actions().filter { $0 == AuditAction.incidentMalwareArchived.rawValue }.count == 2)

            let viewer = try await w.member(.viewer)
            await refused(IncidentUseCaseError.notAllowed(.readIncidents)) {
                _ = try await IncidentRegisterUseCases(w.env, viewer).registers(incidentID: id)
            }
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await IncidentRegisterUseCases(w.env, viewer).sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: true)
            }
            // On the team a viewer reads but never downloads or disposes.
            try await IncidentUseCases(w.env, w.owner).grantIncidentAccess(userID: viewer.actor.id)
            #expect(try await IncidentRegisterUseCases(w.env, viewer).registers(incidentID: id).samples.count == 1)
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await IncidentRegisterUseCases(w.env, viewer).sampleArchive(incidentID: id, sha256: sample.sha256, warningConfirmed: true)
            }
        }
    }

    @Test("DFARS 252.204-7012(d)–(g): transfers to DC3, chain-of-custody entries (the media's holder follows them) and forensic-access / damage-assessment requests with their answers round-trip; times need an offset and may not lie in the future",
          arguments: TestDatabases.engines)
    func recordsRoundTrip(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine) { w in
            let r = w.registers, id = w.incidentID
            w.clock.set(Self.instant("2027-01-20T12:00:00+09:00"))
            let sample = try await r.addSample(incidentID: id, data: Self.sample, filename: "a.bin", description: "ローダ")
            let media = try await r.addMedia(incidentID: id, MediaDraft(kind: "image", description: "イメージ", location: "金庫", holder: "山田"))
            let t = try await r.recordTransfer(incidentID: id, sha256: sample.sha256, sentAt: "2027-01-15T09:30:00-05:00", method: "DC3 portal upload",
                                               sentBy: "山田 太郎", dc3Reference: "DC3-MAL-2027-42", note: "暗号化アーカイブ")
            await refused(IncidentRegisterError.unknownItem(String(repeating: "0", count: 64))) {
                _ = try await r.recordTransfer(incidentID: id, sha256: String(repeating: "0", count: 64), sentAt: "2027-01-15T09:30:00Z",
                                               method: "m", sentBy: "s", dc3Reference: "")
            }
            let c1 = try await r.recordCustody(incidentID: id, itemKind: "media", itemID: media.id, at: "2027-01-16T10:00:00+09:00",
                                               from: "山田", to: "鈴木（外部フォレンジック社）", purpose: "解析")
            let c2 = try await r.recordCustody(incidentID: id, itemKind: "malware", itemID: sample.sha256, at: "2027-01-16T11:00:00+09:00",
                                               from: "山田", to: "DC3", purpose: "")
            await refused(IncidentError.instantWithoutOffset("2027-01-16T10:00:00")) {
                _ = try await r.recordCustody(incidentID: id, itemKind: "media", itemID: media.id, at: "2027-01-16T10:00:00", from: "a", to: "b")
            }
            await refused(IncidentRegisterError.inFuture(field: "at")) {
                _ = try await r.recordCustody(incidentID: id, itemKind: "media", itemID: media.id, at: "2027-02-01T10:00:00+09:00", from: "a", to: "b")
            }
            let f = try await r.recordRequest(incidentID: id, kind: "forensic-access", receivedAt: "2027-01-17T08:00:00-05:00",
                                              requestedBy: "Contracting Officer", reference: "CO-77", asked: "CAD サーバのイメージ一式",
                                              dueAt: "2027-01-24T17:00:00-05:00")
            let g = try await r.recordRequest(incidentID: id, kind: "damage-assessment", receivedAt: "2027-01-18T08:00:00-05:00",
                                              requestedBy: "Contracting Officer", asked: "(e) で収集した情報")
            let answer = try await r.recordResponse(incidentID: id, requestID: f.id, respondedAt: "2027-01-19T09:00:00+09:00",
                                                    respondedBy: "情報システム課長 佐藤", text: "イメージを DC3 に引き渡した")
            await refused(IncidentUseCaseError.unknownValue(field: "kind", value: "audit", allowed: ["forensic-access", "damage-assessment"])) {
                _ = try await r.recordRequest(incidentID: id, kind: "audit", receivedAt: "2027-01-17T08:00:00Z", requestedBy: "x", asked: "y")
            }

            let back = try await r.registers(incidentID: id)
            #expect(back.transfers == [t])
            #expect(back.transfers[0].sentAt == "2027-01-15T14:30:00.000Z" && back.transfers[0].dc3Reference == "DC3-MAL-2027-42")
            #expect(back.custody == [c1, c2])
            #expect(back.custody[1].itemId == sample.id && back.custody[1].itemKind == "malware")
            #expect(back.media[0].holder == "鈴木（外部フォレンジック社）")
            #expect(back.requests == [f, g])
            #expect(back.requests[0].dueAt == "2027-01-24T22:00:00.000Z" && back.requests[1].dueAt == nil)
            #expect(back.responses == [answer] && back.responses[0].requestId == f.id)
            let actions = try await w.actions()
            for a in [AuditAction.incidentMalwareTransferRecorded, .incidentCustodyRecorded, .incidentDoDRequestRecorded,
                      .incidentDoDResponseRecorded, .incidentRegistersRead] {
                #expect(actions.contains(a.rawValue), "\(a)")
            }
        }
    }
}
