import Crypto
import Foundation
import SQLKit
import Testing
import TekigoTestSupport
@testable import TekigoStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Evidence vault: encrypted at rest, per organization")
struct EvidenceVaultTests {
    static let orgA = "org-a"
    static let orgB = "org-b"

    /// A migrated database with two organizations, and a vault over it with a random key.
    func makeVault(_ engine: TestDatabases.Engine, maxSize: Int = 25 * 1024 * 1024) async throws
        -> (TekigoDatabase, EvidenceVault)
    {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        for org in [Self.orgA, Self.orgB] {
            try await db.sql.insert(into: "organizations").columns("id", "name", "cage_codes", "created_at", "version")
                .values(SQLBind(org), SQLBind("Organization \(org)"), SQLBind("[]"), SQLBind(Timestamp.now()), SQLBind(1))
                .run()
        }
        let key = try EvidenceKey(rawBytes: SymmetricKey(size: .bits256))
        return (db, EvidenceVault(db: db, key: key, maxSize: maxSize))
    }

    /// Runs `body` with a fresh vault and closes the database afterwards, whatever happens.
    func withVault(_ engine: TestDatabases.Engine, maxSize: Int = 25 * 1024 * 1024,
                   _ body: (TekigoDatabase, EvidenceVault) async throws -> Void) async throws {
        let (db, vault) = try await makeVault(engine, maxSize: maxSize)
        do {
            try await body(db, vault)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func sealedBytes(_ db: TekigoDatabase, org: String, sha: String) async throws -> Data {
        let row = try await db.sql.select().column("sealed").from("evidence")
            .where("organization_id", .equal, org).where("sha256", .equal, sha).first()
        return try #require(row).decode(column: "sealed", as: Data.self)
    }

    func evidenceCount(_ db: TekigoDatabase) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("evidence")
            .first()!.decode(column: "n", as: Int.self)
    }

    static let policy = Data("""
        CUI//SP-CTI Access Control Policy — 株式会社テスト精機
        3.1.1 Accounts are created by the IT lead on request of the plant manager.
        3.1.8 Lockout after five unsuccessful logon attempts.
        """.utf8)

    // MARK: - Round trip and storage

    @Test("A file round-trips: record, content, list; name and type are sanitized", arguments: TestDatabases.engines)
    func roundTrip(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            // Every byte value, NULs included, and more than one page: checks BLOB / BYTEA binding both ways.
            var binary = Data((0..<256).map { UInt8($0) })
            binary.append(Data((0..<300_000).map { _ in UInt8.random(in: 0...255) }))

            let record = try await vault.put(organizationID: Self.orgA, data: binary, filename: "../../etc/screens/\u{202E}fdp.exe",
                                             contentType: "Image/PNG; charset=binary", uploadedBy: "user-1")
            #expect(record.organizationID == Self.orgA)
            #expect(record.sha256 == SHA256.hash(data: binary).map { String(format: "%02x", $0) }.joined())
            #expect(record.size == binary.count)
            #expect(record.filename == "fdp.exe")  // path and the right-to-left override stripped
            #expect(record.contentType == "image/png")
            #expect(record.uploadedBy == "user-1")

            let (got, data) = try await vault.get(organizationID: Self.orgA, sha256: record.sha256.uppercased())
            #expect(got == record)
            #expect(data == binary)

            let text = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "ポリシー.txt",
                                           contentType: "text/plain\r\nX-Injected: 1", uploadedBy: "user-2")
            #expect(text.filename == "ポリシー.txt")
            #expect(text.contentType == "application/octet-stream")
            #expect(try await vault.get(organizationID: Self.orgA, sha256: text.sha256).1 == Self.policy)
            #expect(Set(try await vault.list(organizationID: Self.orgA)) == [record, text])
            #expect(try await vault.record(organizationID: Self.orgA, sha256: text.sha256) == text)
            await #expect(throws: EvidenceError.notFound) {
                try await vault.get(organizationID: Self.orgA, sha256: String(repeating: "0", count: 64))
            }
            await #expect(throws: EvidenceError.notFound) {
                try await vault.get(organizationID: Self.orgA, sha256: "%")
            }
        }
    }

    @Test("The database holds ciphertext only: the plaintext appears nowhere", arguments: TestDatabases.engines)
    func ciphertextAtRest(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            let record = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "policy.txt",
                                             contentType: "text/plain", uploadedBy: "u")
            let sealed = try await sealedBytes(db, org: Self.orgA, sha: record.sha256)
            // Version byte + 12-byte nonce + ciphertext (same length) + 16-byte tag.
            #expect(sealed.count == 1 + 12 + Self.policy.count + 16)
            #expect(sealed.range(of: Data("CUI//SP-CTI".utf8)) == nil)
            #expect(sealed.range(of: Self.policy.prefix(16)) == nil)
            // Sealing the same file again uses a fresh nonce.
            let again = try vault.seal(Self.policy, organizationID: Self.orgA, sha256: record.sha256)
            #expect(again != sealed)

            if case .sqlite(let path) = db.location {
                // Nothing in the database files on disk either (the main file and the write-ahead log).
                for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                    #expect(bytes.range(of: Data("CUI//SP-CTI".utf8)) == nil, "plaintext found in \(file)")
                    #expect(bytes.range(of: Data("Lockout after five".utf8)) == nil, "plaintext found in \(file)")
                }
            }
        }
    }

    @Test("The same file twice in one organization is stored once", arguments: TestDatabases.engines)
    func dedup(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            let first = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "policy-v1.txt",
                                            contentType: "text/plain", uploadedBy: "alice")
            let second = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "copy.txt",
                                             contentType: "text/plain", uploadedBy: "bob")
            #expect(second == first)  // the first upload's name and uploader are kept
            #expect(try await evidenceCount(db) == 1)
            // Another organization's copy is its own row, sealed for that organization.
            let other = try await vault.put(organizationID: Self.orgB, data: Self.policy, filename: "p.txt",
                                            contentType: "text/plain", uploadedBy: "carol")
            #expect(other.sha256 == first.sha256)
            #expect(other.organizationID == Self.orgB)
            #expect(try await evidenceCount(db) == 2)
            #expect(try await vault.list(organizationID: Self.orgA) == [first])
        }
    }

    @Test("Files over the size limit are refused with a typed error", arguments: TestDatabases.engines)
    func sizeLimit(engine: TestDatabases.Engine) async throws {
        try await withVault(engine, maxSize: 1024) { db, vault in
            await #expect(throws: EvidenceError.tooLarge(limit: 1024)) {
                try await vault.put(organizationID: Self.orgA, data: Data(count: 1025), filename: "big.bin",
                                    contentType: "application/octet-stream", uploadedBy: "u")
            }
            #expect(try await evidenceCount(db) == 0)
            let atLimit = try await vault.put(organizationID: Self.orgA, data: Data(count: 1024), filename: "ok.bin",
                                              contentType: "application/octet-stream", uploadedBy: "u")
            #expect(atLimit.size == 1024)
            #expect(EvidenceError.tooLarge(limit: 25 * 1024 * 1024).description.contains("25 MiB"))
            #expect(EvidenceVault(db: db, key: vault.key).maxSize == 25 * 1024 * 1024)
        }
    }

    // MARK: - Tenant isolation and integrity

    @Test("Another organization cannot read, list or delete the evidence, nor open a copied blob",
          arguments: TestDatabases.engines)
    func tenantIsolation(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            let record = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "policy.txt",
                                             contentType: "text/plain", uploadedBy: "alice")
            await #expect(throws: EvidenceError.notFound) {
                try await vault.get(organizationID: Self.orgB, sha256: record.sha256)
            }
            #expect(try await vault.list(organizationID: Self.orgB).isEmpty)
            #expect(try await vault.record(organizationID: Self.orgB, sha256: record.sha256) == nil)
            await #expect(throws: EvidenceError.notFound) {
                try await vault.delete(organizationID: Self.orgB, sha256: record.sha256)
            }
            #expect(try await vault.get(organizationID: Self.orgA, sha256: record.sha256).1 == Self.policy)

            // A's sealed blob copied into a row of B (as a database-level attacker or a bad restore might) fails to open:
            // the associated data names the organization.
            let sealed = try await sealedBytes(db, org: Self.orgA, sha: record.sha256)
            try await db.sql.insert(into: "evidence")
                .columns("organization_id", "sha256", "size", "filename", "content_type", "sealed", "uploaded_by",
                         "uploaded_at")
                .values(SQLBind(Self.orgB), SQLBind(record.sha256), SQLBind(record.size), SQLBind("stolen.txt"),
                        SQLBind("text/plain"), SQLBind(sealed), SQLBind("mallory"), SQLBind(Timestamp.now()))
                .run()
            await #expect(throws: EvidenceError.integrityFailure) {
                try await vault.get(organizationID: Self.orgB, sha256: record.sha256)
            }
        }
    }

    @Test("Tampered ciphertext, a moved hash or a different key is an integrity failure", arguments: TestDatabases.engines)
    func tampering(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            let record = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "policy.txt",
                                             contentType: "text/plain", uploadedBy: "alice")
            var sealed = try await sealedBytes(db, org: Self.orgA, sha: record.sha256)

            // A different key (a lost evidence.key replaced by a new one) cannot open it.
            let otherKey = EvidenceVault(db: db, key: try EvidenceKey(rawBytes: SymmetricKey(size: .bits256)))
            await #expect(throws: EvidenceError.integrityFailure) {
                try await otherKey.get(organizationID: Self.orgA, sha256: record.sha256)
            }

            // One flipped bit in the ciphertext.
            sealed[sealed.startIndex + 20] ^= 0x01
            try await db.sql.update("evidence").set("sealed", to: SQLBind(sealed))
                .where("organization_id", .equal, Self.orgA).where("sha256", .equal, record.sha256).run()
            await #expect(throws: EvidenceError.integrityFailure) {
                try await vault.get(organizationID: Self.orgA, sha256: record.sha256)
            }

            // A blob that opens (sealed with the right key, organization and hash) but whose content hashes to
            // something else: the SHA-256 re-check catches it.
            let other = Data("not the policy".utf8)
            let forged = try vault.seal(other, organizationID: Self.orgA, sha256: record.sha256)
            try await db.sql.update("evidence").set("sealed", to: SQLBind(forged)).set("size", to: SQLBind(other.count))
                .where("organization_id", .equal, Self.orgA).where("sha256", .equal, record.sha256).run()
            await #expect(throws: EvidenceError.integrityFailure) {
                try await vault.get(organizationID: Self.orgA, sha256: record.sha256)
            }
        }
    }

    // MARK: - Delete

    /// A system, an assessment and one finding per objective whose evidence JSON references `sha256`.
    func addFindings(_ db: TekigoDatabase, org: String, objectives: [String], evidenceJSON: String) async throws {
        let now = Timestamp.now()
        let system = "sys-\(org)", assessment = "asm-\(org)"
        try await db.sql.raw("""
            INSERT INTO systems (id, organization_id, name, boundary, environment, information_types, components,
                                 user_count, created_at, version)
            VALUES (\(bind: system), \(bind: org), 'Plant network', 'Office LAN', 'On premises', '[]', '[]', 24,
                    \(bind: now), 1)
            """).run()
        try await db.sql.raw("""
            INSERT INTO assessments (id, organization_id, system_id, catalog, assessed_on, kind, assessor, answers,
                                     created_at, version)
            VALUES (\(bind: assessment), \(bind: org), \(bind: system), 'sp800-171r2', '2026-11-27', 'basic',
                    'Hanako Yamada', '{}', \(bind: now), 1)
            """).run()
        for objective in objectives {
            try await db.sql.raw("""
                INSERT INTO findings (assessment_id, organization_id, objective, status, rationale, evidence, version)
                VALUES (\(bind: assessment), \(bind: org), \(bind: objective), 'met', 'Checked on site.',
                        \(bind: evidenceJSON), 1)
                """).run()
        }
    }

    @Test("Delete is refused while a finding references the evidence, and allowed after", arguments: TestDatabases.engines)
    func deleteRefusedWhileReferenced(engine: TestDatabases.Engine) async throws {
        try await withVault(engine) { db, vault in
            let record = try await vault.put(organizationID: Self.orgA, data: Self.policy, filename: "policy.txt",
                                             contentType: "text/plain", uploadedBy: "alice")
            let unrelated = try await vault.put(organizationID: Self.orgA, data: Data("other".utf8), filename: "o.txt",
                                                contentType: "text/plain", uploadedBy: "alice")
            // Upper-case hex in the JSON still counts (PostgreSQL's LIKE is case-sensitive; the column is lowercased).
            let json = #"[{"location":"evidence/policy.txt","sha256":"\#(record.sha256.uppercased())"}]"#
            try await addFindings(db, org: Self.orgA, objectives: ["3.1.2[a]", "3.1.1[a]"], evidenceJSON: json)
            // Organization B's findings referencing the same hash have no say over A's evidence.
            try await addFindings(db, org: Self.orgB, objectives: ["3.5.3[a]"],
                                  evidenceJSON: #"[{"location":"x","sha256":"\#(unrelated.sha256)"}]"#)

            await #expect(throws: EvidenceError.referencedBy(["3.1.1[a]", "3.1.2[a]"])) {
                try await vault.delete(organizationID: Self.orgA, sha256: record.sha256)
            }
            #expect(EvidenceError.referencedBy(["3.1.1[a]"]).description.contains("3.1.1[a]"))
            #expect(try await vault.get(organizationID: Self.orgA, sha256: record.sha256).1 == Self.policy)

            // Not referenced by A's findings: deleted (inside the caller's transaction, via `on:`).
            try await db.transaction { s in
                try await vault.delete(organizationID: Self.orgA, sha256: unrelated.sha256, on: s)
            }
            #expect(try await vault.record(organizationID: Self.orgA, sha256: unrelated.sha256) == nil)

            // Once the findings no longer reference it, the delete goes through.
            try await db.sql.update("findings").set("evidence", to: SQLBind("[]"))
                .where("organization_id", .equal, Self.orgA).run()
            try await vault.delete(organizationID: Self.orgA, sha256: record.sha256)
            await #expect(throws: EvidenceError.notFound) {
                try await vault.get(organizationID: Self.orgA, sha256: record.sha256)
            }
            await #expect(throws: EvidenceError.notFound) {
                try await vault.delete(organizationID: Self.orgA, sha256: record.sha256)
            }
            #expect(try await vault.list(organizationID: Self.orgA).isEmpty)
        }
    }

    // MARK: - Filenames

    @Test("Uploaded filenames become safe labels")
    func filenames() {
        #expect(EvidenceVault.sanitizedFilename("../../etc/passwd") == "passwd")
        #expect(EvidenceVault.sanitizedFilename(#"C:\Users\taro\Desktop\規程.pdf"#) == "規程.pdf")
        #expect(EvidenceVault.sanitizedFilename("a\u{0}b\nc\td\u{7F}.txt") == "abcd.txt")
        #expect(EvidenceVault.sanitizedFilename("zero\u{200B}width.png") == "zerowidth.png")
        #expect(EvidenceVault.sanitizedFilename("..") == "evidence")
        #expect(EvidenceVault.sanitizedFilename("dir/") == "dir")
        #expect(EvidenceVault.sanitizedFilename("/") == "evidence")
        #expect(EvidenceVault.sanitizedFilename("   ") == "evidence")
        // NFD (as macOS sends it) becomes NFC.
        #expect(EvidenceVault.sanitizedFilename("ka\u{3099}.txt") == "ka\u{3099}.txt".precomposedStringWithCanonicalMapping)
        let long = EvidenceVault.sanitizedFilename(String(repeating: "資", count: 200) + ".xlsx")
        #expect(long.utf8.count <= EvidenceVault.maxFilenameBytes)
        #expect(long.hasSuffix(".xlsx"))
        #expect(EvidenceVault.sanitizedFilename(String(repeating: "a", count: 300)).count == 255)
    }

    // MARK: - The key

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func rawKey(_ key: EvidenceKey) -> Data { key.key.withUnsafeBytes { Data($0) } }

    @Test("The key file is created 0600 on first run and reused after")
    func keyFileCreatedAndReused() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-key").appendingPathComponent("data").path
        let first = try EvidenceKey.load(dataDirectory: dir, environment: [:])
        let path = (dir as NSString).appendingPathComponent("evidence.key")
        #expect(try mode(path) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Data(base64Encoded: text)?.count == 32)
        #expect(rawKey(first).count == 32)

        let second = try EvidenceKey.load(dataDirectory: dir, environment: [:])
        #expect(rawKey(second) == rawKey(first))
        #expect(try mode(path) == 0o600)
        // The same text works as TEKIGO_EVIDENCE_KEY.
        let fromEnv = try EvidenceKey.load(dataDirectory: dir, environment: ["TEKIGO_EVIDENCE_KEY": text])
        #expect(rawKey(fromEnv) == rawKey(first))
        // The key never shows in a description or a dump.
        for shown in ["\(first)", String(reflecting: first), { var s = ""; dump(first, to: &s); return s }()] {
            #expect(!shown.contains(text))
            #expect(!shown.contains(String(text.prefix(12))))
        }
    }

    @Test("A key file that group or others can access is refused, with the fix")
    func insecureKeyFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-key").path
        _ = try EvidenceKey.load(dataDirectory: dir, environment: [:])
        let path = (dir as NSString).appendingPathComponent("evidence.key")
        for bad in [0o644, 0o640, 0o604, 0o660] {
            #expect(chmod(path, mode_t(bad)) == 0)
            #expect(throws: EvidenceError.insecureKeyFile(path: path)) {
                try EvidenceKey.load(dataDirectory: dir, environment: [:])
            }
        }
        #expect(EvidenceError.insecureKeyFile(path: path).description.contains("chmod 600 \(path)"))
        #expect(chmod(path, 0o600) == 0)
        _ = try EvidenceKey.load(dataDirectory: dir, environment: [:])
    }

    @Test("A key file that does not hold a key is refused, not replaced")
    func malformedKeyFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-key").path
        let path = (dir as NSString).appendingPathComponent("evidence.key")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("short\n".utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: EvidenceError.self) {
            try EvidenceKey.load(dataDirectory: dir, environment: [:])
        }
        #expect(error?.description.contains(path) == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short\n")
    }

    @Test("TEKIGO_EVIDENCE_KEY is used when set, and no key file is made")
    func environmentKey() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-key").path
        let bytes = Data((0..<32).map { UInt8($0 * 7 % 256) })
        let key = try EvidenceKey.load(dataDirectory: dir,
                                       environment: ["TEKIGO_EVIDENCE_KEY": bytes.base64EncodedString() + "\n"])
        #expect(rawKey(key) == bytes)
        #expect(!FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("evidence.key")))
    }

    @Test("A malformed TEKIGO_EVIDENCE_KEY is a clear error that does not echo the value")
    func malformedEnvironmentKey() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-key").path
        let short = Data(repeating: 0x41, count: 16).base64EncodedString()
        for value in ["not base64 at all!", short, "", "   "] {
            let error = #expect(throws: EvidenceError.self) {
                try EvidenceKey.load(dataDirectory: dir, environment: ["TEKIGO_EVIDENCE_KEY": value])
            }
            guard case .badKey = error else {
                Issue.record("expected badKey, got \(String(describing: error))")
                continue
            }
            let message = error?.description ?? ""
            #expect(message.contains("TEKIGO_EVIDENCE_KEY"))
            #expect(message.contains("openssl rand -base64 32"))
            if !value.trimmingCharacters(in: .whitespaces).isEmpty { #expect(!message.contains(value)) }
        }
    }
}
