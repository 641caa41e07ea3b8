import Foundation
import Testing
import TekigoStore
import TekigoTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11 item 7 with the real binary: under the usual umask 022, in an existing world-readable data directory, the
/// database, its backup and the restored copy are readable by their owner only. Modes are read back with stat(2).
@Suite("File modes of the database, backups and restores (command line)")
struct FileModesCLITests {
    func mode(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode) & 0o7777
    }

    /// Runs tekigo under umask 022 (a shell sets it, then becomes tekigo).
    func tekigo(_ args: [String]) throws -> ProcessResult {
        let binary = try TestEnvironment.tekigoBinary()
        return try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "umask 022 && exec \"$0\" \"$@\"", binary.path] + args,
                              environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("migrate, backup and restore leave 0600 files in 0700 folders")
    func modes() throws {
        let root = try TestEnvironment.temporaryDirectory("tekigo-modes-cli")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false)
        #expect(chmod(data.path, 0o755) == 0)
        _ = try EvidenceKey.load(dataDirectory: data.path, environment: [:])

        let m = try tekigo(["migrate", "--data-dir", data.path])
        try #require(m.status == 0, "\(m.stderr)")
        let db = data.appendingPathComponent("tekigo.sqlite").path
        #expect(mode(db) == 0o600)
        for side in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: db + side) {
            #expect(mode(db + side) == 0o600, "\(side)")
        }
        #expect(mode(data.appendingPathComponent("evidence.key").path) == 0o600)

        let backup = root.appendingPathComponent("backups/first")
        let b = try tekigo(["backup", "--out", backup.path, "--data-dir", data.path])
        try #require(b.status == 0, "\(b.stderr)")
        #expect(mode(backup.path) == 0o700)
        #expect(mode(backup.deletingLastPathComponent().path) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: backup.path) {
            #expect(mode(backup.appendingPathComponent(name).path) == 0o600, "\(name) in the backup")
        }

        let restored = root.appendingPathComponent("restored/data")
        let r = try tekigo(["restore", "--from", backup.path, "--data-dir", restored.path])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(mode(restored.path) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: restored.path) {
            #expect(mode(restored.appendingPathComponent(name).path) == 0o600, "\(name) in the restored data directory")
        }
    }
}
