import Crypto
import Foundation
import SQLKit
import Testing
import TekigoAttestation
import TekigoCore
import TekigoTestSupport
@testable import TekigoStore

// Helpers for the supply-chain store tests; names start with `SCS` / `scs` so they never meet other suites' helpers.

let scsActor = Actor(id: "user-1", sourceIP: "192.0.2.10")

func scsDay(_ text: String) -> Day {
    guard let d = Day(text) else {
        Issue.record("'\(text)' is not a date")
        return Day(year: 2000, month: 1, day: 1)!
    }
    return d
}

func scsInstant(_ text: String) -> Date {
    (try? Date.ISO8601FormatStyle().parse(text)) ?? Date(timeIntervalSince1970: 0)
}

/// SplitMix64, so the randomized tests replay the same sequence on every run.
struct SCSRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Requirements failed by `SCSWorld.assessment(failing:)` to bring the SPRS score below 88.
let scsFiveFailures = ["3.1.1", "3.1.2", "3.5.1", "3.5.2", "3.13.1"]

/// A migrated database with helpers to make organizations, links, requirements and assessments with plain SQL (and
/// TenantStore), independent of the relationship store.
struct SCSWorld: Sendable {
    let db: TekigoDatabase
    let key: EvidenceKey
    let catalog: Catalog

    static func with(_ engine: TestDatabases.Engine, _ body: (SCSWorld) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            let w = SCSWorld(db: db, key: try EvidenceKey(rawBytes: SymmetricKey(size: .bits256)),
                             catalog: try BuiltInLibrary.shared.catalog(.sp800171r2))
            try await body(w)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func org(_ id: String, name: String? = nil, cage: [String] = [], uei: String? = nil,
             corporateNumber: String? = nil) async throws {
        try await db.sql.insert(into: "organizations")
            .columns("id", "name", "cage_codes", "uei", "corporate_number", "created_at", "version")
            .values(SQLBind(id), SQLBind(name ?? "Organization \(id)"), SQLBind(JSONText.encode(cage)), SQLBind(uei),
                    SQLBind(corporateNumber), SQLBind(Timestamp.now()), SQLBind(1))
            .run()
    }

    func link(_ customer: String, _ supplier: String) async throws {
        try await db.sql.insert(into: "supplier_links").columns("customer_id", "supplier_id", "created_at")
            .values(SQLBind(customer), SQLBind(supplier), SQLBind(Timestamp.now())).run()
    }

    func unlink(_ customer: String, _ supplier: String) async throws {
        try await db.sql.delete(from: "supplier_links").where("customer_id", .equal, customer)
            .where("supplier_id", .equal, supplier).run()
    }

    /// Replaces the requirements on customer → supplier with one (or none when `minimum` is nil).
    func require(_ customer: String, _ supplier: String, _ minimum: String? = "sprs>=88", due: String = "2027-06-30",
                 catalog: CatalogID = .sp800171r2) async throws {
        try await db.sql.delete(from: "flow_down_requirements").where("customer_id", .equal, customer)
            .where("supplier_id", .equal, supplier).run()
        guard let minimum else { return }
        try await db.sql.insert(into: "flow_down_requirements")
            .columns("id", "customer_id", "supplier_id", "contract_id", "catalog", "minimum", "due_on", "must_flow_down",
                     "created_at", "version")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(customer), SQLBind(supplier), SQLBind(String?.none),
                    SQLBind(catalog.rawValue), SQLBind(minimum), SQLBind(due), SQLBind(1), SQLBind(Timestamp.now()), SQLBind(1))
            .run()
    }

    /// A stored assessment of `org` with every objective met except the first objective of each `failing`
    /// requirement (or nothing answered at all when `answered` is false).
    func assessment(_ org: String, date: String = "2026-11-20", failing: [String] = [], answered: Bool = true,
                    system: String = "設計ネットワーク") async throws -> String {
        let tenant = TenantStore(db, organizationID: org)
        let sys = try await tenant.createSystem(SystemProfile(name: system), by: scsActor)
        let a = try await tenant.createAssessment(systemID: sys.id, catalog: .sp800171r2, date: scsDay(date), kind: .basic,
                                                  assessor: "山田 花子", by: scsActor)
        guard answered else { return a.id }
        let failed = Set(failing.compactMap { catalog[$0]?.assessmentObjectives.first })
        let rows = catalog.objectiveIDs.map { o in
            FindingRecord(assessmentId: a.id, organizationId: org, objective: o,
                          status: (failed.contains(o) ? FindingStatus.notMet : .met).rawValue, rationale: "", evidence: "[]",
                          assessedBy: nil, assessedOn: nil, version: 1)
        }
        for chunk in stride(from: 0, to: rows.count, by: 100).map({ Array(rows[$0..<min($0 + 100, rows.count)]) }) {
            try await db.sql.insert(into: "findings").models(chunk, with: SnakeCaseColumns.encoder).run()
        }
        return a.id
    }

    func attestations(_ org: String) -> AttestationStore { AttestationStore(db, organizationID: org, evidenceKey: key) }
    func keys(_ org: String) -> OrganizationKeys { OrganizationKeys(db, organizationID: org, evidenceKey: key) }
    func consent(_ org: String) -> ConsentStore { ConsentStore(db, organizationID: org) }
    var rollups: RollupStore { RollupStore(db) }

    @discardableResult
    func issue(_ org: String, _ assessment: String, at: String = "2026-12-01T09:00:00Z", detail: DetailLevel = .summary,
               expiresAt: Day? = nil) async throws -> AttestationRecord {
        try await attestations(org).issue(assessment: assessment, catalog: catalog, detail: detail, expiresAt: expiresAt,
                                          by: scsActor, at: scsInstant(at))
    }

    func auditActions() async throws -> [String] {
        try await db.sql.raw("SELECT action FROM audit_log ORDER BY seq").all().map { try $0.decode(column: "action", as: String.self) }
    }

    func member(_ prime: String, _ supplier: String) async throws -> (visible: Bool, status: String)? {
        guard let r = try await db.sql.select().columns("visible", "status").from("rollup_members")
            .where("prime_id", .equal, prime).where("supplier_id", .equal, supplier).first() else { return nil }
        return (try r.decode(column: "visible", as: Int.self) != 0, try r.decode(column: "status", as: String.self))
    }
}

/// Positions of JSON white space outside strings.
func scsWhitespaceOutsideStrings(_ b: [UInt8]) -> Set<Int> {
    var inString = false, escaped = false
    var out: Set<Int> = []
    for (i, c) in b.enumerated() {
        if inString {
            if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
        } else if c == UInt8(ascii: "\"") {
            inString = true
        } else if [0x20, 0x09, 0x0A, 0x0D].contains(c) {
            out.insert(i)
        }
    }
    return out
}

/// A payload built from an in-memory assessment (no database): Japanese names, CAGE codes, UEI, 法人番号, one failure
/// with a plan of action.
func scsPayload(detail: DetailLevel, id: String = "att-1") throws -> AttestationPayload {
    let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
    var findings: [String: Finding] = [:]
    for o in catalog.objectiveIDs { findings[o] = Finding(status: .met) }
    findings[catalog["3.1.1"]!.assessmentObjectives[0]] = Finding(status: .notMet)
    let a = Assessment(
        organization: Organization(name: "関東精密 株式会社 \"Kanto\" / Precision", cageCodes: ["1ABC2", "0XYZ9"],
                                   uei: "ABCDEFGH1234", corporateNumber: "7000012050002"),
        system: SystemProfile(name: "設計ネットワーク"), date: scsDay("2026-11-20"), findings: findings,
        poam: [POAMItem(requirement: "3.1.1", weakness: "gap", scheduledCompletion: scsDay("2027-03-01"))])
    return try AttestationBuilder.payload(id: id, issuedAt: scsInstant("2026-12-01T09:00:00Z"), organizationID: "kanto",
                                          assessment: a, catalog: catalog, detail: detail)
}

@Suite("Supply chain: signing keys, signed attestations, consent")
struct SupplyChainAttestationTests {

    // MARK: - Offline signing and verification

    @Test("Sign → export → verify, offline; the payload member is exactly the signed canonical bytes")
    func signAndVerify() throws {
        let key = Curve25519.Signing.PrivateKey()
        for detail in DetailLevel.allCases {
            let payload = try scsPayload(detail: detail)
            let signed = try SignedAttestation.sign(payload, with: key)
            let file = signed.encoded()
            let v = AttestationVerifier.verify(data: file)
            #expect(v.isValid, "\(String(describing: v.failure))")
            // The verified payload is the canonical one (CAGE codes sorted).
            #expect(v.payload == (try AttestationPayload.decode(try payload.canonicalBytes())))
            #expect(v.payload?.organization.cageCodes == ["0XYZ9", "1ABC2"])
            let pub = key.publicKey.rawRepresentation
            #expect(signed.keyID == String(Hex.encode(SHA256.hash(data: pub)).prefix(16)))
            #expect(AttestationVerifier.verify(data: file, trustedKeys: [pub.base64EncodedString()]).isValid)
            // The file holds the canonical bytes verbatim: cut them out and any Ed25519 tool can check them.
            let text = String(decoding: file, as: UTF8.self)
            #expect(text.contains(String(decoding: try payload.canonicalBytes(), as: UTF8.self)))
            #expect(text.hasPrefix("{\n  \"format\": \"tekigo-attestation/1\",\n  \"algorithm\": \"Ed25519\",\n  \"keyId\": \""))
        }
    }

    @Test("Every single-byte change, and every deletion, of an exported file fails; only white space between tokens may change")
    func everyByte() throws {
        let key = Curve25519.Signing.PrivateKey()
        for detail in DetailLevel.allCases {
            let bytes = [UInt8](try SignedAttestation.sign(try scsPayload(detail: detail), with: key).encoded())
            let free = scsWhitespaceOutsideStrings(bytes)
            let ws: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
            var checked = 0
            for i in bytes.indices {
                var candidates: Set<UInt8> = [bytes[i] ^ 0x01, bytes[i] ^ 0x20, UInt8(ascii: "0"), UInt8(ascii: " "),
                                              UInt8(ascii: "\"")]
                candidates.remove(bytes[i])
                for c in candidates {
                    var t = bytes
                    t[i] = c
                    let ok = AttestationVerifier.verify(data: Data(t)).isValid
                    let expected = free.contains(i) && ws.contains(c)
                    if ok != expected {
                        Issue.record("byte \(i) (\(Character(Unicode.Scalar(bytes[i])))) → \(c): verified \(ok), expected \(expected)")
                    }
                    checked += 1
                }
                var d = bytes
                d.remove(at: i)
                if AttestationVerifier.verify(data: Data(d)).isValid != free.contains(i) {
                    Issue.record("deleting byte \(i) (\(Character(Unicode.Scalar(bytes[i])))) verified \(!free.contains(i))")
                }
            }
            #expect(checked > 2_000)
        }
    }

    @Test("Tampering with any payload field fails, and says why")
    func everyField() throws {
        let key = Curve25519.Signing.PrivateKey()
        let original = try scsPayload(detail: .families)
        let signed = try SignedAttestation.sign(original, with: key)
        let edits: [(String, (inout AttestationPayload) -> Void)] = [
            ("formatVersion", { $0.formatVersion = 2 }),
            ("id", { $0.id = "att-2" }),
            ("issuedAt", { $0.issuedAt = "2026-12-01T09:00:01Z" }),
            ("organization.id", { $0.organization.id = "other" }),
            ("organization.name", { $0.organization.name = "関東精密 株式会社" }),
            ("organization.cageCodes", { $0.organization.cageCodes = ["1ABC2"] }),
            ("organization.uei", { $0.organization.uei = nil }),
            ("organization.corporateNumber", { $0.organization.corporateNumber = nil }),
            ("systemScope", { $0.systemScope = "全社" }),
            ("assessmentKind", { $0.assessmentKind = .high }),
            ("assessmentDate", { $0.assessmentDate = scsDay("2026-11-19") }),
            ("catalog", { $0.catalog = .sp800171r3 }),
            ("sprsScore", { $0.sprsScore = 110 }),
            ("cmmcStatus", { $0.cmmcStatus = "final" }),
            ("poamCompletionDate", { $0.poamCompletionDate = scsDay("2027-12-31") }),
            ("totals", { $0.totals.met += 1 }),
            ("detailLevel", { $0.detailLevel = .summary }),
            ("families", { $0.families![0].met += 1 }),
            ("expiresAt", { $0.expiresAt = scsDay("2029-11-19") }),
            ("supersedes", { $0.supersedes = "att-0" }),
        ]
        for (name, edit) in edits {
            var p = original
            edit(&p)
            #expect(p != original, "\(name)")
            // A valid edit is written canonically (it fails on the signature); an invalid one as JSON (on validation).
            let encoded = try JSONEncoder().encode(p)
            let bytes = (try? p.canonicalBytes()) ?? encoded
            let file = SignedAttestation(keyID: signed.keyID, publicKey: signed.publicKey, payload: p, payloadBytes: bytes,
                                         signature: signed.signature).encoded()
            let f = try #require(AttestationVerifier.verify(data: file).failure, "\(name) verified")
            if (try? p.validate()) != nil {
                #expect(f.check == .signature && f.reason == .signatureMismatch, "\(name): \(f)")
            } else {
                #expect(f.check == .payload, "\(name): \(f)")
                #expect(f.field?.hasPrefix("payload.") == true, "\(name): \(f)")
            }
        }
    }

    @Test("Edits to the file name the check and the field that failed")
    func reasons() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signed = try SignedAttestation.sign(try scsPayload(detail: .summary), with: key)
        let text = String(decoding: signed.encoded(), as: UTF8.self)
        func failure(_ edited: String, trusted: [String]? = nil) -> VerificationFailure? {
            AttestationVerifier.verify(data: Data(edited.utf8), trustedKeys: trusted).failure
        }
        func expectFailure(_ edited: String, _ check: VerificationFailure.Check, _ field: String?,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(edited != text, sourceLocation: sourceLocation)
            let f = failure(edited)
            #expect(f?.check == check, "\(String(describing: f))", sourceLocation: sourceLocation)
            #expect(f?.field == field, "\(String(describing: f))", sourceLocation: sourceLocation)
            #expect(!(f?.text(.ja).isEmpty ?? true) && !(f?.text(.en).isEmpty ?? true), sourceLocation: sourceLocation)
        }
        func replacing(_ a: String, _ b: String) -> String { text.replacingOccurrences(of: a, with: b) }

        // (a) strict parsing and the envelope
        expectFailure(String(text.dropLast(3)), .parse, nil)
        expectFailure(replacing("{\n  \"format\"", "{\n  \"format\": \"x\",\n  \"format\""), .parse, nil)
        expectFailure(replacing("\"sprsScore\":", "\"sprsScore\":1.0,\"x\":"), .parse, nil)
        expectFailure("[" + text + "]", .parse, nil)
        expectFailure(replacing("{\n  \"format\"", "{\n  \"comment\": \"hi\",\n  \"format\""), .envelope, "comment")
        expectFailure(replacing("\"algorithm\": \"Ed25519\",\n", ""), .envelope, "algorithm")
        expectFailure(replacing("tekigo-attestation/1", "tekigo-attestation/2"), .envelope, "format")
        expectFailure(replacing("\"Ed25519\"", "\"ES256\""), .envelope, "algorithm")
        expectFailure(replacing("\"Ed25519\"", "25519"), .envelope, "algorithm")
        let sig = signed.signature.base64EncodedString()
        expectFailure(replacing(sig, String(sig.dropLast(2))), .envelope, "signature")
        expectFailure(replacing(sig, " " + sig), .envelope, "signature")
        let pub = signed.publicKey.base64EncodedString()
        expectFailure(replacing(pub, Data(signed.publicKey.prefix(31)).base64EncodedString()), .envelope, "publicKey")

        // (b) decoding and canonical form
        expectFailure(replacing("\"systemScope\":", "\"systemScopeX\":"), .payload, "payload.systemScope")
        expectFailure(replacing("\"sprsScore\":", "\"sprsScore\":\"x\",\"y\":"), .payload, "payload.sprsScore")
        expectFailure(replacing("\"sprsScore\":", "\"note\":\"added\",\"sprsScore\":"), .canonical, "payload.note")
        expectFailure(replacing("\"sprsScore\":", "\"supersedes\":null,\"sprsScore\":"), .canonical, "payload.supersedes")
        expectFailure(replacing("[\"0XYZ9\",\"1ABC2\"]", "[\"1ABC2\",\"0XYZ9\"]"), .canonical, "payload.organization.cageCodes")
        expectFailure(replacing("\"assessmentDate\":\"2026-11-20\"", "\"assessmentDate\":\"2026-11-020\""), .canonical,
                      "payload.assessmentDate")
        expectFailure(replacing("\"sprsScore\":105", "\"sprsScore\":111"), .payload, "payload.sprsScore")

        // (c) signature, (d) key id, (e) trust
        expectFailure(replacing("\"sprsScore\":105", "\"sprsScore\":104"), .signature, "signature")
        let other = Curve25519.Signing.PrivateKey()
        let otherPub = other.publicKey.rawRepresentation
        expectFailure(replacing(pub, otherPub.base64EncodedString())
            .replacingOccurrences(of: signed.keyID, with: SignedAttestation.keyID(forPublicKey: otherPub)), .signature, "signature")
        expectFailure(replacing(signed.keyID, "0000000000000000"), .keyID, "keyId")
        expectFailure(replacing(signed.keyID, signed.keyID.uppercased() == signed.keyID ? "ffffffffffffffff" : signed.keyID.uppercased()),
                      .keyID, "keyId")
        // Someone re-signs the same payload with a key of their own: only the trusted keys catch it.
        let forged = try SignedAttestation.sign(try scsPayload(detail: .summary), with: other).encoded()
        #expect(AttestationVerifier.verify(data: forged).isValid)
        let f = AttestationVerifier.verify(data: forged, trustedKeys: [pub]).failure
        #expect(f?.check == .trust && f?.field == "publicKey")
        #expect(AttestationVerifier.verify(data: forged, trustedKeys: []).failure?.check == .trust)
        #expect(AttestationVerifier.verify(data: Data(text.utf8), trustedKeys: ["not base64", pub]).isValid)

        // Representation only: white space between tokens, member order of the envelope, string escapes.
        #expect(AttestationVerifier.verify(data: Data(replacing("\n", "\r\n").utf8)).isValid)
        let reordered = "{\"signature\":\"\(sig)\",\"payload\":\(String(decoding: signed.payloadBytes, as: UTF8.self)),"
            + "\"publicKey\":\"\(pub)\",\"keyId\":\"\(signed.keyID)\",\"algorithm\":\"Ed25519\",\"format\":\"tekigo-attestation/1\"}"
        #expect(AttestationVerifier.verify(data: Data(reordered.utf8)).isValid)
        #expect(AttestationVerifier.verify(data: Data(replacing("\"systemScope\":\"設", "\"systemScope\":\"\\u8a2d").utf8)).isValid)
    }

    // MARK: - Keys and attestations in the database

    @Test("Issue → export → verify against the published keys; the private key is stored sealed", arguments: TestDatabases.engines)
    func issueExportVerify(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("kanto", name: "関東精密 株式会社", cage: ["1ABC2", "0XYZ9"], uei: "ABCDEFGH1234",
                            corporateNumber: "7000012050002")
            let a = try await w.assessment("kanto", failing: ["3.1.1"])
            let r = try await w.issue("kanto", a, detail: .families)
            #expect(r.isCurrent && r.assessmentId == a && r.issuedAt == "2026-12-01T09:00:00Z")
            #expect(r.expiresAt == "2029-11-20")
            let payload = try r.attestationPayload()
            #expect(payload.organization == AttestedOrganization(id: "kanto", name: "関東精密 株式会社", cageCodes: ["0XYZ9", "1ABC2"],
                                                                uei: "ABCDEFGH1234", corporateNumber: "7000012050002"))
            #expect(payload.systemScope == "設計ネットワーク")
            #expect(payload.sprsScore == r.sprsScore)
            #expect(payload.sprsScore == 102)   // 3.1.1 (5 points), and 3.12.2 (3): the gap has no plan of action
            #expect(payload.families?.first { $0.family == "3.1" }?.notMet == 1)

            let published = try await w.keys("kanto").publicKeys(of: "kanto")
            #expect(published.count == 1 && published[0].isActive && published[0].keyID == r.keyId)
            let file = try await w.attestations("kanto").export(id: r.id)
            let v = AttestationVerifier.verify(data: file, trustedKeys: published.map(\.publicKey))
            #expect(v.isValid, "\(String(describing: v.failure))")
            #expect(v.payload == payload)

            // Sealed: version byte + 12-byte nonce + 32 bytes + 16-byte tag, and another evidence key cannot open it.
            let sealed = try await w.db.sql.select().column("sealed_private_key").from("organization_keys").first()!
                .decode(column: "sealed_private_key", as: Data.self)
            let sealedSize = 1 + 12 + 32 + 16
            #expect(sealed.count == sealedSize)
            let stranger = OrganizationKeys(w.db, organizationID: "kanto", evidenceKey: try EvidenceKey(rawBytes: SymmetricKey(size: .bits256)))
            await #expect(throws: SigningKeyError.sealedKeyUnreadable(keyID: r.keyId)) {
                try await stranger.db.transaction { s in _ = try await stranger.signingKey(on: s) }
            }
            // Copied to another organization's row, it does not open either (bound to organization and key id).
            let other = OrganizationKeys(w.db, organizationID: "else", evidenceKey: w.key)
            #expect(throws: SigningKeyError.self) { try other.open(sealed, keyID: r.keyId) }

            #expect(try await w.auditActions() == ["system.created", "assessment.created", "key.generated", "attestation.issued"])
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("A new attestation supersedes the current one in the same transaction", arguments: TestDatabases.engines)
    func supersede(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("s")
            let a = try await w.assessment("s")
            let first = try await w.issue("s", a, at: "2026-12-01T09:00:00Z")
            let second = try await w.issue("s", a, at: "2026-12-02T09:00:00Z")
            let third = try await w.issue("s", a, at: "2026-12-03T09:00:00Z")
            let store = w.attestations("s")
            #expect(try await store.current()?.id == third.id)
            let history = try await store.history()
            #expect(history.map(\.id) == [third.id, second.id, first.id])
            #expect(history.map(\.supersededBy) == [nil, third.id, second.id])
            #expect(try third.attestationPayload().supersedes == second.id)
            #expect(try first.attestationPayload().supersedes == nil)
            let payloads = try history.map { try $0.attestationPayload() }
            #expect(try first.attestationPayload().validity(at: scsDay("2026-12-04"), among: payloads) == .superseded)
            #expect(try third.attestationPayload().validity(at: scsDay("2026-12-04"), among: payloads) == .current)
            // Old attestations still export and verify.
            for r in history { #expect(AttestationVerifier.verify(data: try await store.export(id: r.id)).isValid) }
            let actions = try await w.auditActions()
            #expect(actions.filter { $0 == "attestation.issued" }.count == 3)
            #expect(actions.filter { $0 == "attestation.superseded" }.count == 2)
            #expect(actions.filter { $0 == "key.generated" }.count == 1)
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("Issuing at the same time from several connections leaves one current attestation and a linear chain",
          arguments: TestDatabases.engines)
    func concurrentIssue(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("s")
            let a = try await w.assessment("s")
            try await withThrowingTaskGroup(of: Void.self) { g in
                for i in 0..<4 { g.addTask { try await w.issue("s", a, at: "2026-12-01T09:00:0\(i)Z") } }
                try await g.waitForAll()
            }
            let history = try await w.attestations("s").history()
            #expect(history.count == 4 && history.filter(\.isCurrent).count == 1)
            #expect(Set(history.compactMap(\.supersededBy)).count == 3)
            #expect(try await w.keys("s").publicKeys(of: "s").count == 1)
        }
    }

    @Test("Rotation retires the old key, which stays published, so older attestations still verify", arguments: TestDatabases.engines)
    func rotation(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            try await w.org("s")
            try await w.org("x")
            let a = try await w.assessment("s")
            let keys = w.keys("s")
            let k1 = try await keys.activeKey(by: scsActor)
            #expect(try await keys.activeKey(by: scsActor) == k1)   // made once
            let old = try await w.issue("s", a, at: "2026-12-01T09:00:00Z")
            let k2 = try await keys.rotate(by: scsActor)
            let new = try await w.issue("s", a, at: "2026-12-02T09:00:00Z")
            #expect(old.keyId == k1.keyID && new.keyId == k2.keyID && k1.keyID != k2.keyID)
            let published = try await keys.publicKeys(of: "s")
            #expect(published.map(\.keyID) == [k1.keyID, k2.keyID])
            #expect(published[0].retiredAt != nil && published[1].isActive)
            let active = try await w.db.sql.raw("SELECT COUNT(*) AS n FROM organization_keys WHERE retired_at IS NULL").first()!
                .decode(column: "n", as: Int.self)
            #expect(active == 1)
            let trusted = published.map(\.publicKey)
            for r in [old, new] {
                let file = try await w.attestations("s").export(id: r.id)
                #expect(AttestationVerifier.verify(data: file, trustedKeys: trusted).isValid)
                // Another organization's keys do not vouch for it.
                let xKey = try await w.keys("x").activeKey(by: scsActor)
                #expect(AttestationVerifier.verify(data: file, trustedKeys: [xKey.publicKey]).failure?.check == .trust)
                // Nor does the other key of the same organization.
                let otherKey = r.keyId == k1.keyID ? k2.publicKey : k1.publicKey
                #expect(AttestationVerifier.verify(data: file, trustedKeys: [otherKey]).failure?.check == .trust)
            }
            let actions = try await w.auditActions()
            #expect(actions.contains("key.rotated") && actions.filter { $0 == "key.generated" }.count == 2)
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("An attestation is current for 3 years from the assessment (DFARS 252.204-7019(b)), or less if asked",
          arguments: TestDatabases.engines)
    func expiry(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p", "s"] { try await w.org(id) }
            try await w.link("p", "s")
            try await w.require("p", "s", "sprs>=88", due: "2027-06-30")
            let a = try await w.assessment("s", date: "2026-11-20")
            let r = try await w.issue("s", a)
            let p = try r.attestationPayload()
            #expect(p.expiresAt == scsDay("2029-11-20") && r.expiresAt == "2029-11-20")
            #expect(p.validity(at: scsDay("2029-08-21")) == .current)
            #expect(p.validity(at: scsDay("2029-08-22")) == .expiring)
            #expect(p.validity(at: scsDay("2029-11-20")) == .expiring)
            #expect(p.validity(at: scsDay("2029-11-21")) == .expired)
            for (day, status) in [("2026-12-01", "current"), ("2029-08-22", "expiring"), ("2029-11-20", "expiring"),
                                  ("2029-11-21", "expired")] {
                try await w.rollups.rebuild(prime: "p", at: scsDay(day))
                #expect(try await w.member("p", "s")?.status == status, "\(day)")
            }
            await #expect(throws: SupplyChainError.expiryBeyondThreeYears(expiresAt: scsDay("2029-11-21"), limit: scsDay("2029-11-20"))) {
                try await w.issue("s", a, expiresAt: scsDay("2029-11-21"))
            }
            let short = try await w.issue("s", a, expiresAt: scsDay("2027-11-20"))
            #expect(short.expiresAt == "2027-11-20")
            // An assessment cannot be attested before it took place.
            let future = try await w.assessment("s", date: "2027-01-10")
            await #expect(throws: SupplyChainError.self) { try await w.issue("s", future) }
            #expect(try await w.attestations("s").current()?.id == short.id)
        }
    }

    // MARK: - Consent and who may see what

    @Test("Consent goes only to organizations upstream; grant, change, revoke are audited", arguments: TestDatabases.engines)
    func consentRules(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p", "a", "t", "x"] { try await w.org(id) }
            try await w.link("p", "a")
            try await w.link("a", "t")
            let c = w.consent("t")
            await #expect(throws: ConsentError.selfGrant) { try await c.grant(viewer: "t", by: scsActor) }
            await #expect(throws: ConsentError.unknownOrganization("nobody")) { try await c.grant(viewer: "nobody", by: scsActor) }
            await #expect(throws: ConsentError.notUpstream(viewer: "x")) { try await c.grant(viewer: "x", by: scsActor) }
            await #expect(throws: ConsentError.notGranted(viewer: "p")) { try await c.revoke(viewer: "p", by: scsActor) }
            try await c.grant(viewer: "p", by: scsActor)             // an ancestor two levels up
            try await c.grant(viewer: "a", onward: true, by: scsActor)
            try await c.grant(viewer: "p", onward: true, by: scsActor)  // changes onward
            #expect(try await c.grants().map(\.grant) == [ConsentGrant(supplier: "t", viewer: "a", onward: true),
                                                           ConsentGrant(supplier: "t", viewer: "p", onward: true)])
            #expect(try await w.consent("p").received().map(\.supplierId) == ["t"])
            try await c.revoke(viewer: "p", by: scsActor)
            #expect(try await c.grants().map(\.viewerId) == ["a"])
            #expect(try await w.auditActions() == ["consent.granted", "consent.granted", "consent.changed", "consent.revoked"])
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }

    @Test("attestation(of:viewer:) answers only within consent, and says nothing otherwise", arguments: TestDatabases.engines)
    func neverLeaks(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p", "a", "t", "x", "q"] { try await w.org(id) }
            try await w.link("p", "a")
            try await w.link("a", "t")
            try await w.link("q", "x")
            let a = try await w.assessment("t")
            let store = w.attestations("p")
            // Before any attestation, with consent: nil (nothing to see). Without consent: nil as well.
            try await w.consent("t").grant(viewer: "a", by: scsActor)
            #expect(try await store.attestation(of: "t", viewer: "a") == nil)
            let r = try await w.issue("t", a)
            #expect(try await store.attestation(of: "t", viewer: "t")?.id == r.id)
            #expect(try await store.attestation(of: "t", viewer: "a")?.id == r.id)
            #expect(try await store.attestation(of: "t", viewer: "p") == nil)        // upstream, no consent
            #expect(try await store.attestation(of: "t", viewer: "x") == nil)        // unrelated
            #expect(try await store.export(of: "t", viewer: "p") == nil)
            let shared = try #require(try await store.export(of: "t", viewer: "a"))
            #expect(AttestationVerifier.verify(data: shared, trustedKeys: try await w.keys("t").publicKeys(of: "t").map(\.publicKey)).isValid)
            // A grant row to an organization that is not upstream (written around the store) still shows nothing.
            try await w.db.sql.insert(into: "consent_grants").columns("supplier_id", "viewer_id", "onward", "granted_at", "granted_by")
                .values(SQLBind("t"), SQLBind("x"), SQLBind(1), SQLBind(Timestamp.now()), SQLBind("intruder")).run()
            #expect(try await store.attestation(of: "t", viewer: "x") == nil)
            // Revoked: gone at once.
            try await w.consent("t").revoke(viewer: "a", by: scsActor)
            #expect(try await store.attestation(of: "t", viewer: "a") == nil)
            #expect(try await store.export(of: "t", viewer: "a") == nil)
        }
    }

    @Test("Ids no organization can have (a NUL from a URL) are unknown ids, never database errors", arguments: TestDatabases.engines)
    func oddIDs(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p", "s"] { try await w.org(id) }
            try await w.link("p", "s")
            try await w.rollups.rebuild(prime: "p", at: scsDay("2026-12-01"))
            let odd = "s\u{0}x"
            #expect(try await w.attestations("p").attestation(of: odd, viewer: "p") == nil)
            #expect(try await w.attestations("p").attestation(of: "s", viewer: odd) == nil)
            #expect(try await w.attestations("s").attestation(id: odd) == nil)
            await #expect(throws: NotFound.self) { try await w.attestations("s").export(id: odd) }
            await #expect(throws: NotFound.self) { try await w.issue("s", odd) }
            await #expect(throws: NotFound.self) { try await w.issue(odd, "a") }
            await #expect(throws: ConsentError.unknownOrganization(odd)) { try await w.consent("s").grant(viewer: odd, by: scsActor) }
            await #expect(throws: ConsentError.notGranted(viewer: odd)) { try await w.consent("s").revoke(viewer: odd, by: scsActor) }
            #expect(try await w.keys("s").publicKeys(of: odd).isEmpty)
            #expect(try await w.rollups.rollup(prime: odd) == nil)
            #expect(try await w.rollups.needsAction(prime: odd).entries.isEmpty)
            await #expect(throws: NotFound.self) { try await w.rollups.rebuild(prime: odd, at: scsDay("2026-12-01")) }
            try await w.rollups.refresh(supplier: odd, at: scsDay("2026-12-01"))
            try await w.rollups.rebuild(primesOf: odd, at: scsDay("2026-12-01"))
        }
    }

    @Test("Onward consent passes a tier-2 supplier up the chain, and revoking anywhere on the chain hides it",
          arguments: TestDatabases.engines)
    func onwardChain(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p", "s", "t"] { try await w.org(id) }
            try await w.link("p", "s")
            try await w.link("s", "t")
            let day = scsDay("2026-12-01")
            try await w.rollups.rebuild(prime: "p", at: day)
            _ = try await w.issue("t", try await w.assessment("t"))
            _ = try await w.issue("s", try await w.assessment("s"))
            let store = w.attestations("p")
            func sees(_ supplier: String) async throws -> (Bool, Bool) {
                (try await store.attestation(of: supplier, viewer: "p") != nil, try await w.member("p", supplier)?.visible == true)
            }
            #expect(try await sees("t") == (false, false))
            try await w.consent("t").grant(viewer: "s", onward: false, by: scsActor, at: day)
            try await w.consent("s").grant(viewer: "p", by: scsActor, at: day)
            #expect(try await sees("s") == (true, true))
            #expect(try await sees("t") == (false, false))      // s may see t, but may not pass it on
            #expect(try await store.attestation(of: "t", viewer: "s") != nil)
            try await w.consent("t").grant(viewer: "s", onward: true, by: scsActor, at: day)
            #expect(try await sees("t") == (true, true))        // t → s (onward), s → p
            // s withdraws its own consent from p: p loses s and, with it, t.
            try await w.consent("s").revoke(viewer: "p", by: scsActor, at: day)
            #expect(try await sees("s") == (false, false))
            #expect(try await sees("t") == (false, false))
            #expect(try await store.attestation(of: "t", viewer: "s") != nil)
            try await w.consent("s").grant(viewer: "p", by: scsActor, at: day)
            #expect(try await sees("t") == (true, true))
            // t narrows its grant to s: p loses t, s keeps it.
            try await w.consent("t").grant(viewer: "s", onward: false, by: scsActor, at: day)
            #expect(try await sees("t") == (false, false))
            #expect(try await sees("s") == (true, true))
            try await scsExpectRollupMatchesRebuild(w, primes: ["p"], at: day)
        }
    }

    @Test("A tier-2 supplier shared with two primes revokes one: that prime loses it at once, in every view",
          arguments: TestDatabases.engines)
    func twoPrimesRevokeOne(_ engine: TestDatabases.Engine) async throws {
        try await SCSWorld.with(engine) { w in
            for id in ["p1", "p2", "a", "b", "t"] { try await w.org(id, name: "Org \(id.uppercased())") }
            for (c, s) in [("p1", "a"), ("p2", "b"), ("a", "t"), ("b", "t")] { try await w.link(c, s) }
            try await w.require("a", "t", "all-met")
            try await w.require("b", "t", "all-met")
            let day = scsDay("2026-12-01")
            for p in ["p1", "p2"] { try await w.rollups.rebuild(prime: p, at: day) }
            _ = try await w.issue("t", try await w.assessment("t", failing: ["3.1.1"]))   // below the minimum
            try await w.consent("t").grant(viewer: "p1", by: scsActor, at: day)
            try await w.consent("t").grant(viewer: "p2", by: scsActor, at: day)
            for p in ["p1", "p2"] {
                let page = try await w.rollups.needsAction(prime: p)
                #expect(page.entries.map(\.organization).contains("t") && page.entries.first { $0.organization == "t" }?.name == "Org T")
                #expect(page.entries.first { $0.organization == "t" }?.status == .belowMinimum)
                #expect(try await w.attestations(p).attestation(of: "t", viewer: p) != nil)
            }
            let before = try #require(try await w.rollups.rollup(prime: "p2"))

            try await w.consent("t").revoke(viewer: "p2", by: scsActor, at: day)

            // p2: hidden at once, counted only.
            #expect(try await w.member("p2", "t")?.visible == false)
            let page2 = try await w.rollups.needsAction(prime: "p2")
            #expect(!page2.entries.contains { $0.organization == "t" })
            #expect(page2.hiddenCount >= 1)
            #expect(try await w.attestations("p2").attestation(of: "t", viewer: "p2") == nil)
            let after = try #require(try await w.rollups.rollup(prime: "p2"))
            #expect(after.version > before.version)
            #expect(after.totals.hiddenNeedingAction == before.totals.hiddenNeedingAction + 1)
            #expect(after.totals.suppliers == before.totals.suppliers)
            #expect(after.totals.byStatus == before.totals.byStatus)   // still counted in the aggregates
            // p1: unchanged.
            #expect(try await w.member("p1", "t")?.visible == true)
            #expect(try await w.rollups.needsAction(prime: "p1").entries.contains { $0.organization == "t" })
            #expect(try await w.attestations("p1").attestation(of: "t", viewer: "p1") != nil)
            try await scsExpectRollupMatchesRebuild(w, primes: ["p1", "p2"], at: day)
            try await scsExpectNoLeaks(w, primes: ["p1", "p2"])
            #expect(try await AuditLog(w.db).verify().isIntact)
        }
    }
}

// MARK: - Shared checks

/// What a prime's materialized roll-up holds, without versions and times.
struct SCSRollupState: Equatable, CustomStringConvertible {
    struct Row: Equatable {
        let supplier: String, tier: Int, status: String, overdue: Int, score: Int?, families: String, visible: Int
    }
    let asOf: Day?
    let counts: RollupCounts?
    let rows: [Row]

    var description: String { "asOf \(String(describing: asOf)), \(rows.count) rows: \(rows), counts \(String(describing: counts))" }

    static func read(_ w: SCSWorld, prime: String) async throws -> SCSRollupState {
        let view = try await w.rollups.rollup(prime: prime)
        let rows = try await w.db.sql.select()
            .columns("supplier_id", "tier", "status", "overdue", "score", "failing_families", "visible")
            .from("rollup_members").where("prime_id", .equal, prime).orderBy("supplier_id").all()
            .map { r in
                Row(supplier: try r.decode(column: "supplier_id", as: String.self), tier: try r.decode(column: "tier", as: Int.self),
                    status: try r.decode(column: "status", as: String.self), overdue: try r.decode(column: "overdue", as: Int.self),
                    score: try r.decodeNil(column: "score") ? nil : try r.decode(column: "score", as: Int.self),
                    families: try r.decode(column: "failing_families", as: String.self),
                    visible: try r.decode(column: "visible", as: Int.self))
            }
        return SCSRollupState(asOf: view?.asOf, counts: view?.counts, rows: rows)
    }
}

/// The materialized roll-ups of `primes` equal what a rebuild from scratch gives.
func scsExpectRollupMatchesRebuild(_ w: SCSWorld, primes: [String], at date: Day,
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for prime in primes {
        let incremental = try await SCSRollupState.read(w, prime: prime)
        try await w.rollups.rebuild(prime: prime, at: date)
        let rebuilt = try await SCSRollupState.read(w, prime: prime)
        #expect(incremental == rebuilt, "prime \(prime):\nincremental \(incremental)\nrebuilt     \(rebuilt)",
                sourceLocation: sourceLocation)
    }
}

/// No view of a prime names a supplier it may not see.
func scsExpectNoLeaks(_ w: SCSWorld, primes: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for prime in primes {
        let hidden = try await w.db.sql.select().column("supplier_id").from("rollup_members").where("prime_id", .equal, prime)
            .where("visible", .equal, 0).all().map { try $0.decode(column: "supplier_id", as: String.self) }
        let visibility = try await ChainReads.visibility(viewer: prime, on: w.db.sql)
        let page = try await w.rollups.needsAction(prime: prime, limit: 1_000)
        for id in hidden {
            #expect(!visibility.canSee(id), sourceLocation: sourceLocation)
            #expect(!page.entries.contains { $0.organization == id }, "\(prime) lists hidden \(id)", sourceLocation: sourceLocation)
            #expect(try await w.attestations(prime).attestation(of: id, viewer: prime) == nil,
                    "\(prime) reads hidden \(id)'s attestation", sourceLocation: sourceLocation)
            #expect(try await w.attestations(prime).export(of: id, viewer: prime) == nil, sourceLocation: sourceLocation)
        }
        for e in page.entries { #expect(visibility.canSee(e.organization) && e.name != nil, sourceLocation: sourceLocation) }
    }
}
