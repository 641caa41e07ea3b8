import ArgumentParser
import Crypto
import Foundation
import SQLKit
import TekigoCore
import TekigoStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// `tekigo backup` / `tekigo restore` for the embedded SQLite database, and guidance for PostgreSQL.
//
// A backup is a folder holding `tekigo.sqlite` (a consistent snapshot taken with SQLite's `VACUUM INTO`, which reads
// inside one transaction: the server keeps running and writing while it is made), a copy of `evidence.key` (0600),
// and `manifest.json` (Tekigo version, schema version, SHA-256 and size of each file, creation time, row counts and
// the audit log's head). It is written into a hidden `.NAME.partial-XXXXXXXX` folder beside the target and renamed
// into place only when complete, so a folder named like the target is always a whole backup.
//
// Restore checks every digest before touching anything, refuses to replace a database (or a different key) without
// --force and refuses while another process has the database open, copies into a temporary file in the data
// directory (checking the digest again), opens it (migrating an older backup, refusing one from a newer Tekigo),
// removes the old database's -wal/-shm files and renames the copy into place; then it verifies the audit chain.
//
// The digests detect a damaged backup, not a forged one: anyone able to rewrite the backup can rewrite the manifest.
// Compare the audit head hash the summary prints with one recorded elsewhere (`tekigo audit verify`).

// MARK: - The manifest

struct BackupManifest: Codable, Sendable {
    static let fileName = "manifest.json"
    static let formatName = "tekigo-backup"
    static let currentFormatVersion = 1
    static let databaseFile = "tekigo.sqlite"
    /// The only files a backup may name (a manifest never makes restore read or write anywhere else).
    static let knownFiles: Set<String> = [databaseFile, EvidenceKey.fileName]

    struct File: Codable, Sendable, Equatable {
        var sha256: String
        var size: Int64
    }

    struct Audit: Codable, Sendable {
        var entries: Int
        var headSeq: Int64?
        var headHash: String?
        var intact: Bool

        enum CodingKeys: String, CodingKey {
            case entries, headSeq = "head_seq", headHash = "head_hash", intact
        }
    }

    var format: String
    var formatVersion: Int
    var tekigoVersion: String
    var schemaVersion: Int
    var engine: String
    var createdAt: String
    /// The database the snapshot was taken from.
    var source: String
    var files: [String: File]
    /// Rows per table in the snapshot.
    var rows: [String: Int]
    var auditLog: Audit

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", tekigoVersion = "tekigo_version", schemaVersion = "schema_version"
        case engine, createdAt = "created_at", source, files, rows, auditLog = "audit_log"
    }
}

/// Picks English or Japanese.
struct BackupText {
    let ja: Bool
    init(_ language: Language) { ja = language == .ja }
    func callAsFunction(_ en: String, _ ja: String) -> String { self.ja ? ja : en }
}


// MARK: - backup

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: say(ja: "データベースと証跡の暗号鍵を新しいフォルダーにバックアップします（サーバーの稼働中でも安全です）。", en: "Back up the database and the evidence key into a new folder (safe while the server runs)."),
        discussion: say(ja: """
            SQLite（既定）: tekigo.sqlite の整合したスナップショット、evidence.key のコピー（0600）、manifest.json（版、各ファイルの
            SHA-256）を --out のフォルダーに書き出します。フォルダーはバックアップが完了したときに初めて現れます。
            このフォルダーは他人に見せないでください。中の鍵ですべての証跡ファイルを開けます。復元は `tekigo restore --from DIR` です。
            PostgreSQL（--database-url 又は $TEKIGO_DATABASE_URL）: 使う pg_dump / pg_restore のコマンドを表示します。
            """, en: """
            SQLite (the default): writes a consistent snapshot of tekigo.sqlite, a copy of evidence.key (0600) and \
            manifest.json (versions, SHA-256 of each file) into the folder --out. The folder appears only when the \
            backup is complete. Keep it private: the key in it opens every evidence file. Put it back with \
            `tekigo restore --from DIR`.
            PostgreSQL (--database-url or $TEKIGO_DATABASE_URL): prints the pg_dump / pg_restore commands to use.
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "作成するバックアップフォルダー（まだ存在しないか、空であること）。", en: "The backup folder to create (it must not exist yet, or be empty).")) var out: String

    func run() async throws {
        try await reporting {
            let t = BackupText(global.language)
            let storage = global.storage
            if let url = storage.postgresURL {
                print(PostgresBackupGuidance(url: url, dataDir: storage.dataDirectory, out: out).backup(t))
                return
            }
            let dataDir = storage.dataDirectory
            let dbPath = (dataDir as NSString).appendingPathComponent(StorageLocation.sqliteFileName)
            guard FileManager.default.fileExists(atPath: dbPath) else {
                throw UserError(t("there is no database at \(dbPath); name the data directory with --data-dir.",
                                  "\(dbPath) にデータベースがありません。--data-dir でデータディレクトリを指定してください。"))
            }
            let target = BackupFiles.absoluteURL(out)
            try checkBackupTarget(target, t)
            let parent = target.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw UserError(t("cannot create \(parent.path): \(error.localizedDescription)",
                                  "\(parent.path) を作成できません: \(error.localizedDescription)"))
            }
            let partial = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(BackupFiles.randomSuffix())")
            do {
                try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw UserError(t("cannot write in \(parent.path): \(error.localizedDescription)",
                                  "\(parent.path) に書き込めません: \(error.localizedDescription)"))
            }
            let manifest: BackupManifest
            do {
                manifest = try await writeBackup(dbPath: dbPath, dataDir: dataDir, into: partial, t)
                try BackupFiles.syncDirectory(partial.path)
                if rename(partial.path, target.path) != 0 {
                    let e = errno
                    throw UserError(e == ENOTEMPTY || e == EEXIST || e == ENOTDIR
                        ? t("\(target.path) appeared while the backup was written; nothing was replaced. Choose a new folder.",
                            "バックアップ中に \(target.path) が作成されました（上書きしていません）。別のフォルダーを指定してください。")
                        : t("cannot rename the finished backup to \(target.path): \(String(cString: strerror(e)))",
                            "完成したバックアップを \(target.path) に移動できません: \(String(cString: strerror(e)))"))
                }
                try? BackupFiles.syncDirectory(parent.path)
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
            printBackupSummary(manifest, target: target, t)
        }
    }

    /// Refuses a target that exists and is not an empty folder, before any work is done.
    func checkBackupTarget(_ target: URL, _ t: BackupText) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) else { return }
        let empty = isDir.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: target.path))?.isEmpty ?? false)
        guard empty else {
            throw UserError(t("\(target.path) already exists and is not an empty folder; a backup never replaces anything. Choose a new folder.",
                              "\(target.path) は既に存在し、空のフォルダーではありません（バックアップは既存のものを置き換えません）。別のフォルダーを指定してください。"))
        }
    }

    /// Writes the snapshot, the key and the manifest into `dir` and returns the manifest.
    func writeBackup(dbPath: String, dataDir: String, into dir: URL, _ t: BackupText) async throws -> BackupManifest {
        let snapshot = dir.appendingPathComponent(BackupManifest.databaseFile).path
        let createdAt = Timestamp.now()
        // 1. The snapshot. VACUUM INTO reads the database in one read transaction (in WAL mode writers carry on) and
        // writes a compact copy. The path is a bound parameter (INTO takes any expression), so no quoting can go wrong.
        let live = try await TekigoDatabase.open(.sqlite(path: dbPath), migrate: false, maxConnections: 2)
        await OpenDatabases.shared.add(live)
        do {
            try await live.withConnection { s in try await s.raw("VACUUM INTO \(bind: snapshot)").run() }
        } catch {
            await live.close()
            throw UserError(t("cannot take a snapshot of \(dbPath): \(error)", "\(dbPath) のスナップショットを作成できません: \(error)"))
        }
        await live.close()

        // 2. Check the snapshot and read what the manifest records from it (not from the live database, which moves on).
        let snap = try await TekigoDatabase.open(.sqlite(path: snapshot), migrate: false, maxConnections: 2)
        await OpenDatabases.shared.add(snap)
        let facts: SnapshotFacts
        do {
            facts = try await SnapshotFacts.read(snap)
        } catch {
            await snap.close()
            throw error
        }
        await snap.close()
        try BackupFiles.removeSidecars(of: snapshot)
        guard facts.integrity == ["ok"] else {
            throw UserError(t("the snapshot of \(dbPath) fails SQLite's integrity check (\(facts.integrity.prefix(5).joined(separator: "; "))); the database is damaged. No backup was written.",
                              "\(dbPath) のスナップショットが SQLite の整合性検査に失敗しました（\(facts.integrity.prefix(5).joined(separator: "; "))）。データベースが破損しています。バックアップは作成していません。"))
        }
        if !facts.audit.isIntact {
            printError(t("warning: the audit log in this backup is NOT intact (\(facts.audit.problems.count) problem(s)); run `tekigo audit verify` and treat it as a security incident. The backup is kept as evidence.",
                         "警告: このバックアップの監査ログは完全ではありません（問題 \(facts.audit.problems.count) 件）。`tekigo audit verify` を実行し、セキュリティインシデントとして扱ってください。バックアップは証拠として保存します。"))
        }

        // VACUUM INTO created the file under the umask; the folder is private already, the file is made so too.
        guard chmod(snapshot, 0o600) == 0 else {
            throw UserError(t("cannot set the permissions of \(snapshot): \(String(cString: strerror(errno)))",
                              "\(snapshot) の権限を設定できません: \(String(cString: strerror(errno)))"))
        }
        var files: [String: BackupManifest.File] = [:]
        files[BackupManifest.databaseFile] = try BackupFiles.digestFile(snapshot)
        try BackupFiles.syncFile(snapshot)

        // 3. The evidence key, if the data directory has one (0600, never readable by others).
        let keyPath = (dataDir as NSString).appendingPathComponent(EvidenceKey.fileName)
        if FileManager.default.fileExists(atPath: keyPath) {
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: keyPath)) } catch {
                throw UserError(t("cannot read \(keyPath): \(error.localizedDescription)",
                                  "\(keyPath) を読み取れません: \(error.localizedDescription)"))
            }
            let copy = dir.appendingPathComponent(EvidenceKey.fileName).path
            try BackupFiles.writeNewFile(copy, bytes, t)
            files[EvidenceKey.fileName] = .init(sha256: BackupFiles.sha256Hex(bytes), size: Int64(bytes.count))
        }

        // 4. The manifest, last.
        let manifest = BackupManifest(
            format: BackupManifest.formatName, formatVersion: BackupManifest.currentFormatVersion,
            tekigoVersion: Tekigo.configuration.version, schemaVersion: facts.schemaVersion, engine: "sqlite",
            createdAt: createdAt, source: dbPath, files: files, rows: facts.rows,
            auditLog: .init(entries: facts.audit.entries, headSeq: facts.audit.headSeq, headHash: facts.audit.headHash,
                            intact: facts.audit.isIntact))
        try BackupFiles.writeNewFile(dir.appendingPathComponent(BackupManifest.fileName).path, Data((try encodeJSON(manifest) + "\n").utf8), t)
        return manifest
    }

    func printBackupSummary(_ m: BackupManifest, target: URL, _ t: BackupText) {
        let size = m.files[BackupManifest.databaseFile].map { ByteCountFormatter.string(fromByteCount: $0.size, countStyle: .file) } ?? "?"
        print(t("Backed up \(m.source) to \(target.path)", "\(m.source) を \(target.path) にバックアップしました"))
        print(t("  schema \(m.schemaVersion), Tekigo \(m.tekigoVersion), \(size), \(m.auditLog.entries) audit entries (\(m.auditLog.intact ? "intact" : "NOT intact"))",
                "  スキーマ \(m.schemaVersion)、Tekigo \(m.tekigoVersion)、\(size)、監査ログ \(m.auditLog.entries) 件（\(m.auditLog.intact ? "完全" : "完全ではありません")）"))
        for name in m.files.keys.sorted() {
            print("  \(name)  sha256 \(m.files[name]!.sha256)")
        }
        if let head = m.auditLog.headHash {
            print(t("  audit head hash: \(head)", "  監査ログ末尾ハッシュ: \(head)"))
        }
        if m.files[EvidenceKey.fileName] != nil {
            print(t("Keep this folder private: evidence.key in it opens every evidence file.",
                    "このフォルダーは非公開で保管してください: 中の evidence.key ですべての証跡ファイルを復号できます。"))
        } else if ProcessInfo.processInfo.environment[EvidenceKey.environmentVariable] != nil {
            print(t("The evidence key comes from \(EvidenceKey.environmentVariable) and is not in this backup: keep that value in your secret store.",
                    "証跡の鍵は \(EvidenceKey.environmentVariable) から読み込まれているため、このバックアップには含まれません。その値をシークレット管理に保管してください。"))
        } else {
            print(t("The data directory has no evidence.key (no evidence stored yet, or the key comes from \(EvidenceKey.environmentVariable)).",
                    "データディレクトリに evidence.key がありません（証跡が未登録か、鍵を \(EvidenceKey.environmentVariable) で与えています）。"))
        }
    }
}

/// What backup and restore read from a database file: integrity, schema version, rows per table, the audit log.
struct SnapshotFacts: Sendable {
    var integrity: [String]
    var schemaVersion: Int
    var rows: [String: Int]
    var audit: AuditVerification

    static func read(_ db: TekigoDatabase) async throws -> SnapshotFacts {
        let facts = try await db.withConnection { s in
            let integrity = try await s.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
            let version = try await s.raw("SELECT MAX(version) AS v FROM tekigo_migration").first()?
                .decode(column: "v", as: Int?.self) ?? 0
            let tables = try await s.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .all().map { try $0.decode(column: "name", as: String.self) }
            var rows: [String: Int] = [:]
            for table in tables {
                rows[table] = try await s.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            return (integrity, version, rows)
        }
        let audit = try await AuditLog(db).verify()
        return SnapshotFacts(integrity: facts.0, schemaVersion: facts.1, rows: facts.2, audit: audit)
    }
}

// MARK: - restore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: say(ja: "`tekigo backup` のフォルダーをデータディレクトリに復元します（先にサーバーを止めてください）。", en: "Put a `tekigo backup` folder back into a data directory (stop the server first)."),
        discussion: say(ja: """
            すべてのファイルをバックアップの manifest と照合してから、データディレクトリの tekigo.sqlite（と evidence.key）を
            一度に置き換え、監査ログを検証します。既存のデータベースや異なる evidence.key は --force のときだけ置き換えます
            （古い鍵は evidence.key.replaced-TIME として残します）。ほかのプロセスが開いているデータベースは置き換えません。
            """, en: """
            Checks every file against the backup's manifest, then replaces the data directory's tekigo.sqlite (and \
            evidence.key) atomically and verifies the audit log. An existing database, or a different evidence.key, \
            is replaced only with --force (the old key is kept as evidence.key.replaced-TIME). A database that \
            another process has open is never replaced.
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "`tekigo backup` で作ったバックアップフォルダー。", en: "The backup folder made by `tekigo backup`.")) var from: String
    @Flag(help: .say(ja: "既存のデータベースと、異なる evidence.key を置き換えます。", en: "Replace an existing database and a different evidence.key.")) var force = false

    func run() async throws {
        try await reporting {
            let t = BackupText(global.language)
            let storage = global.storage
            if let url = storage.postgresURL {
                throw UserError(PostgresBackupGuidance(url: url, dataDir: storage.dataDirectory, out: from).restore(t))
            }
            let source = BackupFiles.absoluteURL(from)
            let manifest = try readManifest(source, t)
            try verifyFiles(manifest, in: source, t)

            let dataDir = storage.dataDirectory
            do {
                try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw UserError(t("cannot create the data directory \(dataDir): \(error.localizedDescription)",
                                  "データディレクトリ \(dataDir) を作成できません: \(error.localizedDescription)"))
            }
            let target = (dataDir as NSString).appendingPathComponent(BackupManifest.databaseFile)
            let keyTarget = (dataDir as NSString).appendingPathComponent(EvidenceKey.fileName)
            let dbExists = FileManager.default.fileExists(atPath: target)
            if dbExists && !force {
                throw UserError(t("\(target) already holds a database; restoring would replace it. Stop the server and pass --force to replace it, or restore into another --data-dir.",
                                  "\(target) には既にデータベースがあります（復元すると置き換わります）。サーバーを停止して --force を付けるか、別の --data-dir に復元してください。"))
            }
            var backupKey: Data?
            var keyAction = KeyAction.none
            if manifest.files[EvidenceKey.fileName] != nil {
                let key = try Data(contentsOf: source.appendingPathComponent(EvidenceKey.fileName))
                guard manifest.files[EvidenceKey.fileName]?.sha256 == BackupFiles.sha256Hex(key) else {
                    throw UserError(damaged(EvidenceKey.fileName, source, t))
                }
                backupKey = key
                if let current = FileManager.default.contents(atPath: keyTarget) {
                    if current != key {
                        guard force else {
                            throw UserError(t("\(keyTarget) holds a different evidence key; restoring would replace it and make the evidence it sealed unreadable. Pass --force to replace it (the current key is kept beside it).",
                                              "\(keyTarget) には別の証跡鍵があります（置き換えると、その鍵で暗号化した証跡が読めなくなります）。--force を付けると置き換えます（現在の鍵は同じ場所に保存します）。"))
                        }
                        keyAction = .replace
                    }
                } else {
                    keyAction = .create
                }
            }
            if BackupFiles.sqliteDatabaseInUse(target) {
                throw UserError(t("\(target) is open in another process (is `tekigo serve` running?); stop it before restoring. Nothing was changed.",
                                  "\(target) は別のプロセスが開いています（`tekigo serve` が動いていませんか）。停止してから復元してください。何も変更していません。"))
            }

            // Copy into the data directory (same file system, so the final rename is atomic), checking the digest again.
            let temp = (dataDir as NSString).appendingPathComponent(".\(BackupManifest.databaseFile).restore-\(BackupFiles.randomSuffix())")
            let copied: BackupManifest.File
            do {
                copied = try copyFile(source.appendingPathComponent(BackupManifest.databaseFile).path, to: temp, t)
            } catch {
                BackupFiles.removeFileAndSidecars(temp)
                throw error
            }
            guard copied == manifest.files[BackupManifest.databaseFile] else {
                BackupFiles.removeFileAndSidecars(temp)
                throw UserError(damaged(BackupManifest.databaseFile, source, t))
            }
            // Open the copy before it replaces anything: this migrates an older backup and refuses a newer one.
            do {
                let db = try await TekigoDatabase.open(.sqlite(path: temp), migrate: true, maxConnections: 2)
                await OpenDatabases.shared.add(db)
                let integrity = try await db.withConnection { s in
                    try await s.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                }
                await db.close()
                try BackupFiles.removeSidecars(of: temp)
                try BackupFiles.syncFile(temp)
                guard integrity == ["ok"] else {
                    throw UserError(t("the database in \(source.path) fails SQLite's integrity check (\(integrity.prefix(5).joined(separator: "; "))). Nothing was changed.",
                                      "\(source.path) のデータベースは SQLite の整合性検査に失敗しました（\(integrity.prefix(5).joined(separator: "; "))）。何も変更していません。"))
                }
            } catch let e as StoreError {
                BackupFiles.removeFileAndSidecars(temp)
                throw UserError(t("the database in \(source.path) cannot be restored: \(e) Nothing was changed.",
                                  "\(source.path) のデータベースを復元できません: \(e) 何も変更していません。"))
            } catch {
                BackupFiles.removeFileAndSidecars(temp)
                throw error
            }

            // Install: the old database's -wal/-shm go first (SQLite would otherwise replay the old WAL into the new
            // file), then the copy is renamed over it.
            if BackupFiles.sqliteDatabaseInUse(target) {
                BackupFiles.removeFileAndSidecars(temp)
                throw UserError(t("\(target) was opened by another process during the restore; stop it and try again. Nothing was changed.",
                                  "復元中に \(target) が別のプロセスに開かれました。停止してからやり直してください。何も変更していません。"))
            }
            do {
                try BackupFiles.removeSidecars(of: target, includingWAL: true)
                guard rename(temp, target) == 0 else {
                    throw UserError(t("cannot move the restored database into \(target): \(String(cString: strerror(errno)))",
                                      "復元したデータベースを \(target) に移動できません: \(String(cString: strerror(errno)))"))
                }
            } catch {
                BackupFiles.removeFileAndSidecars(temp)
                throw error
            }
            var keptKey: String?
            if let backupKey, keyAction != .none {
                let tempKey = (dataDir as NSString).appendingPathComponent(".\(EvidenceKey.fileName).restore-\(BackupFiles.randomSuffix())")
                try BackupFiles.writeNewFile(tempKey, backupKey, t)
                if keyAction == .replace {
                    let stamp = Timestamp.now().replacingOccurrences(of: ":", with: "")
                    let aside = keyTarget + ".replaced-" + stamp
                    guard rename(keyTarget, aside) == 0 else {
                        unlink(tempKey)
                        throw UserError(t("the database was restored, but the current evidence key could not be set aside: \(String(cString: strerror(errno))). Copy \(source.path)/evidence.key to \(keyTarget) (0600) yourself.",
                                          "データベースは復元しましたが、現在の証跡鍵を退避できませんでした: \(String(cString: strerror(errno)))。\(source.path)/evidence.key を \(keyTarget)（0600）に手動でコピーしてください。"))
                    }
                    keptKey = aside
                }
                guard rename(tempKey, keyTarget) == 0 else {
                    unlink(tempKey)
                    throw UserError(t("the database was restored, but evidence.key could not be put in place: \(String(cString: strerror(errno))). Copy \(source.path)/evidence.key to \(keyTarget) (0600) yourself.",
                                      "データベースは復元しましたが、evidence.key を配置できませんでした: \(String(cString: strerror(errno)))。\(source.path)/evidence.key を \(keyTarget)（0600）に手動でコピーしてください。"))
                }
            }
            try? BackupFiles.syncDirectory(dataDir)

            // Open what is now in place, verify the audit chain, and say what was restored.
            let db = try await TekigoDatabase.open(.sqlite(path: target), maxConnections: 2)
            await OpenDatabases.shared.add(db)
            let facts = try await SnapshotFacts.read(db)
            await db.close()
            print(t("Restored \(target) from \(source.path)", "\(source.path) から \(target) を復元しました"))
            print(t("  backup made \(manifest.createdAt) by Tekigo \(manifest.tekigoVersion), schema \(manifest.schemaVersion)"
                      + (facts.schemaVersion != manifest.schemaVersion ? " (migrated to \(facts.schemaVersion))" : ""),
                    "  バックアップ作成 \(manifest.createdAt)、Tekigo \(manifest.tekigoVersion)、スキーマ \(manifest.schemaVersion)"
                      + (facts.schemaVersion != manifest.schemaVersion ? "（\(facts.schemaVersion) に移行）" : "")))
            let shown = ["organizations", "users", "systems", "assessments", "findings", "poam_items", "evidence",
                         "catalog_import", "imported_mapping", "audit_log"]
            print("  " + shown.compactMap { name in facts.rows[name].map { "\(name) \($0)" } }.joined(separator: ", "))
            switch keyAction {
            case .create: print(t("  evidence.key restored (0600)", "  evidence.key を復元しました（0600）"))
            case .replace:
                print(t("  evidence.key replaced (0600); the previous key is kept as \(keptKey ?? "?")",
                        "  evidence.key を置き換えました（0600）。以前の鍵は \(keptKey ?? "?") に保存しました"))
            case .none:
                if backupKey != nil {
                    print(t("  evidence.key unchanged (identical to the backup's)", "  evidence.key は変更なし（バックアップと同一）"))
                } else if (facts.rows["evidence"] ?? 0) > 0 {
                    print(t("  the backup has no evidence.key: the evidence in it opens only with the key that was in use when it was stored",
                            "  バックアップに evidence.key がありません: 証跡は保存時に使っていた鍵でのみ復号できます"))
                }
            }
            let audit = facts.audit
            if audit.isIntact {
                print(t("The audit log is intact: \(audit.entries) entries, hashes and chain checked.",
                        "監査ログは完全です: \(audit.entries) 件のハッシュとチェーンを確認しました。"))
                if let head = audit.headHash {
                    print(t("Head hash: \(head)", "末尾ハッシュ: \(head)")
                          + (head == manifest.auditLog.headHash ? t(" (as recorded in the backup)", "（バックアップの記録と一致）") : ""))
                }
            } else {
                print(t("The audit log is NOT intact: \(audit.problems.count) problem(s) in \(audit.entries) entries.",
                        "監査ログは完全ではありません: \(audit.entries) 件中に \(audit.problems.count) 件の問題があります。"))
                for p in audit.problems { print("  - " + p.text[global.language]) }
                throw UserError(t("restored, but the audit log is not intact; treat this as a security incident.",
                                  "復元しましたが、監査ログは完全ではありません。セキュリティインシデントとして扱ってください。"))
            }
        }
    }

    enum KeyAction { case none, create, replace }

    func readManifest(_ dir: URL, _ t: BackupText) throws -> BackupManifest {
        let url = dir.appendingPathComponent(BackupManifest.fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw UserError(t("\(dir.path) is not a Tekigo backup: it has no readable \(BackupManifest.fileName).",
                              "\(dir.path) は Tekigo のバックアップではありません（\(BackupManifest.fileName) を読み取れません）。"))
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw UserError(t("\(url.path) is damaged or not a Tekigo backup manifest (\(error)).",
                              "\(url.path) は破損しているか、Tekigo のバックアップのマニフェストではありません（\(error)）。"))
        }
        guard manifest.format == BackupManifest.formatName, manifest.engine == "sqlite" else {
            throw UserError(t("\(url.path) is not a Tekigo SQLite backup manifest.", "\(url.path) は Tekigo の SQLite バックアップのマニフェストではありません。"))
        }
        guard manifest.formatVersion <= BackupManifest.currentFormatVersion else {
            throw UserError(t("\(dir.path) was made by a newer Tekigo (\(manifest.tekigoVersion), backup format \(manifest.formatVersion)); upgrade Tekigo to restore it.",
                              "\(dir.path) は新しい Tekigo（\(manifest.tekigoVersion)、形式 \(manifest.formatVersion)）で作成されています。Tekigo を更新してください。"))
        }
        guard manifest.files[BackupManifest.databaseFile] != nil else {
            throw UserError(t("\(url.path) lists no \(BackupManifest.databaseFile).", "\(url.path) に \(BackupManifest.databaseFile) の記載がありません。"))
        }
        if let unknown = manifest.files.keys.sorted().first(where: { !BackupManifest.knownFiles.contains($0) }) {
            throw UserError(t("\(url.path) names a file Tekigo does not restore: \(unknown).",
                              "\(url.path) に Tekigo が復元しないファイルの記載があります: \(unknown)"))
        }
        return manifest
    }

    /// Every listed file exists and has the recorded size and SHA-256.
    func verifyFiles(_ manifest: BackupManifest, in dir: URL, _ t: BackupText) throws {
        for name in manifest.files.keys.sorted() {
            let path = dir.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw UserError(t("the backup is incomplete: \(name) is missing from \(dir.path). Nothing was changed.",
                                  "バックアップが不完全です: \(dir.path) に \(name) がありません。何も変更していません。"))
            }
            let found: BackupManifest.File
            do { found = try BackupFiles.digestFile(path) } catch {
                throw UserError(t("cannot read \(path): \(error)", "\(path) を読み取れません: \(error)"))
            }
            guard found == manifest.files[name] else { throw UserError(damaged(name, dir, t)) }
        }
    }

    func damaged(_ name: String, _ dir: URL, _ t: BackupText) -> String {
        t("the backup is damaged: \(name) in \(dir.path) does not match the SHA-256 recorded in its manifest. Nothing was changed; use another backup.",
          "バックアップが破損しています: \(dir.path) の \(name) がマニフェストに記録された SHA-256 と一致しません。何も変更していません。別のバックアップを使ってください。")
    }

    func copyFile(_ from: String, to: String, _ t: BackupText) throws -> BackupManifest.File {
        guard let input = FileHandle(forReadingAtPath: from) else {
            throw UserError(t("cannot read \(from)", "\(from) を読み取れません"))
        }
        defer { try? input.close() }
        let fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw UserError(t("cannot create \(to): \(String(cString: strerror(errno)))", "\(to) を作成できません: \(String(cString: strerror(errno)))"))
        }
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
                try output.write(contentsOf: chunk)
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            throw UserError(t("cannot copy \(from) to \(to): \(error)", "\(from) を \(to) にコピーできません: \(error)"))
        }
        return .init(sha256: Hex.encode(hasher.finalize()), size: size)
    }
}

// MARK: - PostgreSQL

/// What to run instead when the data is in PostgreSQL: its own tools take consistent online dumps.
struct PostgresBackupGuidance {
    let url: String
    let dataDir: String
    let out: String

    var parts: (host: String?, port: Int, user: String?, database: String, sslmode: String?) {
        let c = URLComponents(string: url)
        let db = c.map { String($0.path.drop(while: { $0 == "/" })) }.flatMap { $0.isEmpty ? nil : $0 }
        let sslmode = c?.queryItems?.first(where: { $0.name == "sslmode" })?.value
        return (c?.host.flatMap { $0.isEmpty ? nil : $0 }, c?.port ?? 5432, c?.user, db ?? c?.user ?? "postgres", sslmode)
    }

    /// `-h … -p … -U … -d …` (never the password).
    var connectionArguments: String {
        let p = parts
        var args: [String] = []
        if let host = p.host { args += ["-h", BackupFiles.shellQuote(host)] }
        args += ["-p", String(p.port)]
        if let user = p.user { args += ["-U", BackupFiles.shellQuote(user)] }
        args += ["-d", BackupFiles.shellQuote(p.database)]
        return args.joined(separator: " ")
    }

    var envPrefix: String { parts.sslmode.map { "PGSSLMODE=\(BackupFiles.shellQuote($0)) " } ?? "" }
    var dumpFile: String { BackupFiles.shellQuote((out as NSString).appendingPathComponent("tekigo.pgdump")) }
    var keyFile: String { BackupFiles.shellQuote((dataDir as NSString).appendingPathComponent(EvidenceKey.fileName)) }
    var displayURL: String { DatabaseLocation.postgres(url: url).displayName }
    var keyFromEnvironment: Bool { ProcessInfo.processInfo.environment[EvidenceKey.environmentVariable] != nil }

    func keyAdvice(_ t: BackupText, restoring: Bool) -> String {
        if keyFromEnvironment {
            return t("The evidence key comes from \(EvidenceKey.environmentVariable): keep that value in your secret store, apart from the dumps.",
                     "証跡の鍵は \(EvidenceKey.environmentVariable) から読み込まれています。その値をダンプとは別にシークレット管理に保管してください。")
        }
        if restoring {
            return t("and put the evidence key back (it is not in the dump):\n  install -m 600 \(BackupFiles.shellQuote((out as NSString).appendingPathComponent(EvidenceKey.fileName))) \(keyFile)",
                     "証跡の鍵（ダンプには含まれません）も戻してください:\n  install -m 600 \(BackupFiles.shellQuote((out as NSString).appendingPathComponent(EvidenceKey.fileName))) \(keyFile)")
        }
        return t("  install -m 600 \(keyFile) \(BackupFiles.shellQuote((out as NSString).appendingPathComponent(EvidenceKey.fileName)))",
                 "  install -m 600 \(keyFile) \(BackupFiles.shellQuote((out as NSString).appendingPathComponent(EvidenceKey.fileName)))")
    }

    func backup(_ t: BackupText) -> String {
        t("""
          This Tekigo keeps its data in PostgreSQL (\(displayURL)); `tekigo backup` copies SQLite databases only.
          Back PostgreSQL up with its own tools (give the password with ~/.pgpass or PGPASSWORD). pg_dump takes a
          consistent snapshot while the Tekigo servers keep running:

            mkdir -p -m 700 \(BackupFiles.shellQuote(out))
            \(envPrefix)pg_dump -Fc \(connectionArguments) -f \(dumpFile)

          Evidence files are stored (encrypted) inside the database, so the dump contains them. The key that opens
          them is not in the database: back up evidence.key separately and keep it apart from the dumps:

          \(keyAdvice(t, restoring: false))

          To restore, stop the Tekigo servers, then:

            \(envPrefix)pg_restore --single-transaction --clean --if-exists --no-owner \(connectionArguments) \(dumpFile)
            tekigo audit verify --database-url "$TEKIGO_DATABASE_URL"
          """,
          """
          この Tekigo は PostgreSQL（\(displayURL)）にデータを保存しています。`tekigo backup` が複製するのは SQLite の
          データベースだけです。PostgreSQL は専用のツールでバックアップしてください（パスワードは ~/.pgpass か
          PGPASSWORD で指定）。pg_dump はサーバーを止めずに一貫したスナップショットを取ります:

            mkdir -p -m 700 \(BackupFiles.shellQuote(out))
            \(envPrefix)pg_dump -Fc \(connectionArguments) -f \(dumpFile)

          証跡ファイルはデータベース内に暗号化して保存されているため、ダンプに含まれます。復号する鍵はデータベースに
          含まれないので、evidence.key をダンプとは別にバックアップしてください:

          \(keyAdvice(t, restoring: false))

          復元するときは Tekigo のサーバーを停止してから:

            \(envPrefix)pg_restore --single-transaction --clean --if-exists --no-owner \(connectionArguments) \(dumpFile)
            tekigo audit verify --database-url "$TEKIGO_DATABASE_URL"
          """)
    }

    func restore(_ t: BackupText) -> String {
        t("""
          `tekigo restore` puts back SQLite backups only; this Tekigo uses PostgreSQL (\(displayURL)).
          Stop the Tekigo servers and restore the pg_dump file with PostgreSQL's tools:
            \(envPrefix)pg_restore --single-transaction --clean --if-exists --no-owner \(connectionArguments) \(dumpFile)
          \(keyAdvice(t, restoring: true))
          Then check the audit log: tekigo audit verify --database-url "$TEKIGO_DATABASE_URL"
          """,
          """
          `tekigo restore` が戻せるのは SQLite のバックアップだけです。この Tekigo は PostgreSQL（\(displayURL)）を使っています。
          Tekigo のサーバーを停止し、PostgreSQL のツールで pg_dump のファイルを復元してください:
            \(envPrefix)pg_restore --single-transaction --clean --if-exists --no-owner \(connectionArguments) \(dumpFile)
          \(keyAdvice(t, restoring: true))
          その後、監査ログを確認してください: tekigo audit verify --database-url "$TEKIGO_DATABASE_URL"
          """)
    }
}


// MARK: - Files

enum BackupFiles {
    /// A word the shell passes through unchanged.
    static func shellQuote(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@%+=,")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `path` made absolute against the current directory (so SQLite never reads it as a URI or relative name).
    static func absoluteURL(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
    }

    static func randomSuffix() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }

    static func sha256Hex(_ data: Data) -> String { Hex.sha256(data) }

    /// SHA-256 and size of a file, read in 1 MiB chunks.
    static func digestFile(_ path: String) throws -> BackupManifest.File {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw UserError(say(ja: "\(path) を読めません", en: "cannot read \(path)"))
        }
        defer { try? h.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return .init(sha256: Hex.encode(hasher.finalize()), size: size)
    }

    /// Creates `path` (which must not exist) with mode 0600 from the start, writes `data` and syncs it.
    static func writeNewFile(_ path: String, _ data: Data, _ t: BackupText) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw UserError(t("cannot create \(path): \(String(cString: strerror(errno)))", "\(path) を作成できません: \(String(cString: strerror(errno)))"))
        }
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            _ = fchmod(fd, 0o600)
            try h.write(contentsOf: data)
            try h.synchronize()
            try h.close()
        } catch {
            try? h.close()
            unlink(path)
            throw UserError(t("cannot write \(path): \(error)", "\(path) に書き込めません: \(error)"))
        }
    }

    static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw UserError(say(ja: "\(path) を開けません: \(String(cString: strerror(errno)))", en: "cannot open \(path): \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw UserError(say(ja: "\(path) をディスクに書き込めません: \(String(cString: strerror(errno)))", en: "cannot sync \(path): \(String(cString: strerror(errno)))")) }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw UserError(say(ja: "\(path) を開けません: \(String(cString: strerror(errno)))", en: "cannot open \(path): \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// Removes `path-journal`, `path-shm` and, when the database is known to be complete without it (it was closed
    /// cleanly, or it is being replaced), `path-wal`. A WAL left after a clean close that still holds frames means the
    /// file alone is not the whole database: that is an error, not something to delete.
    static func removeSidecars(of path: String, includingWAL: Bool = false) throws {
        let wal = path + "-wal"
        if !includingWAL, let attrs = try? FileManager.default.attributesOfItem(atPath: wal),
           let size = attrs[.size] as? Int64 ?? (attrs[.size] as? Int).map(Int64.init), size > 0 {
            throw UserError(say(ja: "データベースを閉じたあとも \(wal) に未反映の変更が残っています。処理を中止しました。",
                                en: "\(wal) still holds changes after the database was closed; not continuing."))
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let p = path + suffix
            if unlink(p) != 0 && errno != ENOENT {
                throw UserError(say(ja: "\(p) を削除できません: \(String(cString: strerror(errno)))", en: "cannot remove \(p): \(String(cString: strerror(errno)))"))
            }
        }
    }

    static func removeFileAndSidecars(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Whether another process has the SQLite database open. Every connection to a WAL database holds a shared lock on
    /// byte 128 of its `-shm` file (SQLite's "dead man switch", UNIX_SHM_DMS) for as long as it is open, so asking
    /// whether an exclusive lock on that byte could be taken tells whether anyone else has it open. (Locks held by this
    /// process never conflict with its own request, and this process has no connection to it here.)
    static func sqliteDatabaseInUse(_ path: String) -> Bool {
        let fd = open(path + "-shm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 128
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }
}
