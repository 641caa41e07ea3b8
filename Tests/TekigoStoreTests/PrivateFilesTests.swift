import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11 item 7: `tekigo.sqlite` (with TOTP secrets) was created world-readable in an existing data directory, and
/// TOTP secrets were stored in clear. Real files, modes read back with stat(2).
@Suite("Private files and sealed TOTP secrets", .serialized)
struct PrivateFilesTests {
    func mode(_ url: URL) -> Int? {
        var st = stat()
        guard stat(url.path, &st) == 0 else { return nil }
        return Int(st.st_mode) & 0o7777
    }

    /// Runs `body` with the usual umask 022, as a service manager or a login shell would give the server.
    func withUmask022<T>(_ body: () async throws -> T) async rethrows -> T {
        let old = umask(0o022)
        defer { umask(old) }
        return try await body()
    }

    @Test("A new database in an existing, world-readable data directory is 0600, and so are its -wal and -shm")
    func newDatabaseIsPrivate() async throws {
        try await withUmask022 {
            let dir = try TestEnvironment.temporaryDirectory("tekigo-modes")
            #expect(chmod(dir.path, 0o755) == 0)
            let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
            // A write, so the WAL has frames and the shared-memory file exists.
            _ = try await AuditLog(db).append(AuditEvent(actor: "test", sourceIP: "127.0.0.1", action: .loginSuccess, object: "x"))
            let file = dir.appendingPathComponent("tekigo.sqlite")
            #expect(mode(file) == 0o600)
            #expect(mode(URL(fileURLWithPath: file.path + "-wal")) == 0o600)
            #expect(mode(URL(fileURLWithPath: file.path + "-shm")) == 0o600)
            await db.close()
            // The existing directory keeps its mode (it may be shared on purpose); nothing in it is readable by others.
            #expect(mode(dir) == 0o755)
        }
    }

    @Test("A new data directory is 0700, and the evidence key in it 0600")
    func newDirectoryIsPrivate() async throws {
        try await withUmask022 {
            let parent = try TestEnvironment.temporaryDirectory("tekigo-modes")
            let dir = parent.appendingPathComponent("data/nested")
            let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
            await db.close()
            #expect(mode(dir) == 0o700)
            let keyDir = parent.appendingPathComponent("keys")
            _ = try EvidenceKey.load(dataDirectory: keyDir.path, environment: [:])
            #expect(mode(keyDir) == 0o700)
            #expect(mode(keyDir.appendingPathComponent("evidence.key")) == 0o600)
        }
    }

    @Test("A database an earlier Tekigo left readable by others is made 0600 when opened, with its side files")
    func existingDatabaseIsTightened() async throws {
        try await withUmask022 {
            let dir = try TestEnvironment.temporaryDirectory("tekigo-modes")
            let file = dir.appendingPathComponent("tekigo.sqlite")
            let db = try await TekigoDatabase.open(.sqlite(path: file.path))
            await db.close()
            #expect(chmod(file.path, 0o644) == 0)
            FileManager.default.createFile(atPath: file.path + "-journal", contents: nil)
            #expect(chmod(file.path + "-journal", 0o666) == 0)
            let again = try await TekigoDatabase.open(.sqlite(path: file.path))
            #expect(mode(file) == 0o600)
            #expect(mode(URL(fileURLWithPath: file.path + "-journal")) == 0o600)
            await again.close()
        }
    }

    // MARK: - TOTP secrets

    static let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    func freshKey() throws -> EvidenceKey { try EvidenceKey(rawBytes: Data((0..<32).map { _ in UInt8.random(in: 0...255) })) }

    @Test("TOTP secrets are stored sealed with the evidence key and read back in clear", arguments: TestDatabases.engines)
    func totpSecretsAreSealed(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let key = try freshKey()
        let accounts = AccountStore(db, secretKey: key)
        let u = try await accounts.createUser(email: "sealed@example.jp", displayName: "S", passwordHash: "x", platformAdmin: false)
        try await accounts.setMFA(userID: u.id, secret: Self.secret, enabled: true, lastStep: 0, recoveryCodeHashes: [])

        let stored = try #require(try await db.sql.raw("SELECT totp_secret FROM users WHERE id = \(bind: u.id)").first()?
            .decode(column: "totp_secret", as: String.self))
        #expect(stored.hasPrefix("sealed:v1:"))
        #expect(!stored.contains(Self.secret))
        #expect(try await accounts.user(id: u.id)?.totpSecret == Self.secret)
        #expect(try await accounts.user(email: "sealed@example.jp")?.totpSecret == Self.secret)

        // Bound to the user: the sealed text copied onto another account does not open.
        let other = try await accounts.createUser(email: "other@example.jp", displayName: "O", passwordHash: "x", platformAdmin: false)
        try await db.sql.raw("UPDATE users SET totp_secret = \(bind: stored) WHERE id = \(bind: other.id)").run()
        await #expect(throws: StoreError.self) { try await accounts.user(id: other.id) }
        // Another key does not open it either, and says what to do.
        do {
            _ = try await AccountStore(db, secretKey: try freshKey()).user(id: u.id)
            Issue.record("a secret sealed with another key opened")
        } catch let e as StoreError {
            #expect(e.description.contains("evidence key"))
        }
        // Writing a secret without the key is refused rather than stored in clear.
        await #expect(throws: TOTPSecretError.self) {
            try await AccountStore(db).setMFA(userID: u.id, secret: Self.secret, enabled: true, lastStep: 0, recoveryCodeHashes: [])
        }
        await db.close()
    }

    @Test("Secrets an earlier Tekigo stored in clear are read as they are and sealed by the start-up sweep",
          arguments: TestDatabases.engines)
    func clearSecretsAreSealedOnStart(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let accounts = AccountStore(db, secretKey: try freshKey())
        let u = try await accounts.createUser(email: "old@example.jp", displayName: "Old", passwordHash: "x", platformAdmin: false)
        let v = try await accounts.createUser(email: "pending@example.jp", displayName: "P", passwordHash: "x", platformAdmin: false)
        try await db.sql.raw("UPDATE users SET totp_secret = \(bind: Self.secret), totp_enabled = 1 WHERE id = \(bind: u.id)").run()
        try await db.sql.raw("UPDATE users SET totp_pending_secret = \(bind: Self.secret) WHERE id = \(bind: v.id)").run()

        #expect(try await accounts.user(id: u.id)?.totpSecret == Self.secret)
        #expect(try await accounts.sealStoredTOTPSecrets() == 2)
        #expect(try await accounts.sealStoredTOTPSecrets() == 0)
        let rows = try await db.sql.raw("SELECT totp_secret, totp_pending_secret FROM users").all()
        var sealed = 0
        for row in rows {
            for column in ["totp_secret", "totp_pending_secret"] {
                if let text = try row.decode(column: column, as: String?.self) {
                    #expect(text.hasPrefix("sealed:v1:"), "\(column) still in clear")
                    sealed += 1
                }
            }
        }
        #expect(sealed == 2)
        #expect(try await accounts.user(id: u.id)?.totpSecret == Self.secret)
        #expect(try await accounts.user(id: v.id)?.totpPendingSecret == Self.secret)
        await db.close()
    }
}
