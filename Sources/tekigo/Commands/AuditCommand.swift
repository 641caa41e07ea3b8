import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

/// `tekigo audit verify | export`: check and copy the server's hash-chained audit log (SP 800-171 §3.3).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: say(ja: "サーバーの改ざん検知付き監査ログを検証又はエクスポートします（SP 800-171 3.3）。", en: "Verify or export the server's tamper-evident audit log (SP 800-171 3.3)."),
        subcommands: [AuditVerify.self, AuditExport.self])
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: say(ja: "全エントリのハッシュとチェーンを確認します。改ざんがなければ終了コード 0、問題があればそれぞれを示して 1。", en: "Check every entry's hash and the chain; exit 0 if the log is intact, 1 naming each problem."))

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reporting {
            let lang = global.language
            let db = try await CommandDatabase(global).openForReading()
            let result = try await AuditQueries(db: db).verify()
            let ja = lang == .ja
            if result.isIntact {
                if let first = result.firstSeq, let last = result.lastSeq {
                    print(ja ? "監査ログは完全です: \(result.entries) 件、エントリ \(first)〜\(last) のハッシュとチェーンを確認しました。"
                             : "The audit log is intact: \(result.entries) entries, hashes and chain checked from entry \(first) to \(last).")
                } else {
                    print(ja ? "監査ログは完全です: エントリはまだありません。" : "The audit log is intact: it has no entries yet.")
                }
                if let head = result.headHash {
                    print(ja ? "末尾ハッシュ: \(head)" : "Head hash: \(head)")
                    print(ja ? "（ログ全体の書き換えを検出できるよう、この値をサーバーの外に記録してください）"
                             : "(record this value outside the server: it lets you detect a rewrite of the whole log)")
                }
                return
            }
            print(ja ? "監査ログは完全ではありません: \(result.entries) 件中に \(result.problems.count)\(result.problemsTruncated ? " 件以上" : " 件")の問題があります。"
                     : "The audit log is NOT intact: \(result.problems.count)\(result.problemsTruncated ? " or more" : "") problem\(result.problems.count == 1 && !result.problemsTruncated ? "" : "s") in \(result.entries) entries.")
            for p in result.problems {
                print("  - " + p.text[lang])
            }
            if result.problemsTruncated {
                print(ja ? "  - （ほかにも問題があります。最初の \(result.problems.count) 件のみ表示しています）"
                         : "  - (more problems were found; only the first \(result.problems.count) are listed)")
            }
            print(ja ? "\nセキュリティインシデントとして扱ってください: データベースとバックアップを保全し、最後にエクスポートした監査ログ"
                       + "（tekigo audit export）や記録済みの末尾ハッシュと比較し、データベースへの書き込み権限を持つ者を確認してください。"
                     : "\nTreat this as a security incident: preserve the database and its backups, compare with the last exported log "
                       + "(tekigo audit export) and the head hash recorded earlier, and review who has write access to the database.")
            throw ExitCode(1)
        }
    }
}

struct AuditExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: say(ja: "監査ログを JSON Lines で書き出します（1 行に 1 エントリ、古い順）。", en: "Write the audit log as JSON Lines (one entry per line, oldest first)."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "出力ファイル（省略時又は - のとき: 標準出力）。", en: "Output file (default: standard output; - for standard output).")) var out: String?
    @Option(help: .say(ja: "この通し番号より後のエントリだけ（省略時: 0、すべて）。", en: "Only entries after this sequence number (default: 0, all of them).")) var after: Int64 = 0

    func run() async throws {
        try await reporting {
            let lang = global.language
            let db = try await CommandDatabase(global).openForReading()
            let log = AuditQueries(db: db)
            guard let out, out != "-" else {
                let writer = AuditLineWriter(FileHandle.standardOutput)
                try await log.export(after: after) { try writer.write($0) }
                try writer.flush()
                return
            }
            // Written beside the target and renamed into place, so a failed export never leaves half a file.
            let target = URL(fileURLWithPath: out)
            let temp = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
            guard FileManager.default.createFile(atPath: temp.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = try? FileHandle(forWritingTo: temp) else {
                throw UserError(lang == .ja ? "\(target.path) に書き込めません。" : "cannot write \(target.path).")
            }
            var count = 0
            do {
                let writer = AuditLineWriter(handle)
                try await log.export(after: after) { line in
                    try writer.write(line)
                    count += 1
                }
                try writer.flush()
                try handle.close()
                if FileManager.default.fileExists(atPath: target.path) {
                    _ = try FileManager.default.replaceItemAt(target, withItemAt: temp)
                } else {
                    try FileManager.default.moveItem(at: temp, to: target)
                }
            } catch {
                try? handle.close()
                try? FileManager.default.removeItem(at: temp)
                throw UserError(lang == .ja ? "\(target.path) に書き込めません: \(error)" : "cannot write \(target.path): \(error)")
            }
            print(lang == .ja ? "\(target.path)（\(count) 件）" : "\(target.path) (\(count) entries)")
        }
    }
}

/// Buffers lines and writes them in large chunks.
final class AuditLineWriter {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
