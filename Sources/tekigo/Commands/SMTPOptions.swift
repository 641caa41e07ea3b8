import ArgumentParser
import Foundation
import TekigoServer

/// `tekigo serve`'s mail server for invitation e-mails. Each option falls back to an environment variable
/// (`TEKIGO_SMTP_HOST`, `_PORT`, `_FROM`, `_USER`, `_PASSWORD_FILE`, `_STARTTLS=1`, `_CA_FILE`); without a host,
/// no e-mail is sent and the members page shows the invitation link to copy.
struct SMTPOptions: ParsableArguments {
    @Option(help: .say(
        ja: "招待メールを送るメールサーバー（SMTP サブミッション）。指定しなければ招待リンクを表示するだけです。",
        en: "Mail server (SMTP submission) that invitation e-mails go through; without it, invitation links are only shown.",
        discussionJa: "--smtp-… の各オプションは環境変数でも指定できます: TEKIGO_SMTP_HOST, TEKIGO_SMTP_PORT, "
            + "TEKIGO_SMTP_FROM, TEKIGO_SMTP_USER, TEKIGO_SMTP_PASSWORD_FILE, TEKIGO_SMTP_STARTTLS=1, TEKIGO_SMTP_CA_FILE。",
        discussionEn: "Each --smtp-… option may come from the environment instead: TEKIGO_SMTP_HOST, TEKIGO_SMTP_PORT, "
            + "TEKIGO_SMTP_FROM, TEKIGO_SMTP_USER, TEKIGO_SMTP_PASSWORD_FILE, TEKIGO_SMTP_STARTTLS=1, TEKIGO_SMTP_CA_FILE."))
    var smtpHost: String?
    @Option(help: .say(ja: "そのポート番号（既定 587）。", en: "Its port (default 587).")) var smtpPort: Int?
    @Option(help: .say(ja: "招待メールの差出人アドレス。", en: "The sender address of invitation e-mails.")) var smtpFrom: String?
    @Option(help: .say(ja: "AUTH PLAIN のアカウント名（サーバーがループバック上でなければ --smtp-starttls が必要）。", en: "User name for AUTH PLAIN (needs --smtp-starttls unless the server is on loopback).")) var smtpUser: String?
    @Option(help: .say(ja: "SMTP のパスワードを書いたファイル（1 行目）。コマンドラインにパスワードを書かずに済みます。", en: "A file holding the SMTP password (first line), so it is not on the command line.")) var smtpPasswordFile: String?
    @Flag(help: .say(ja: "先に STARTTLS で接続を暗号化します。STARTTLS に対応しないサーバーにはメールを送りません。", en: "Upgrade the connection with STARTTLS first; a server that does not offer it gets no e-mail.")) var smtpStarttls = false
    @Option(help: .say(ja: "STARTTLS でシステムの代わりに信頼する認証局の PEM ファイル。", en: "PEM file of certificate authorities to trust for STARTTLS instead of the system's.")) var smtpCaFile: String?

    /// The configuration these options and the environment give, nil without a host; a usage error (exit 2) names
    /// what is wrong.
    func configuration(environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> SMTPConfiguration? {
        guard let host = (smtpHost ?? env["TEKIGO_SMTP_HOST"]).flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let portText = smtpPort.map(String.init) ?? env["TEKIGO_SMTP_PORT"] ?? "587"
        guard let port = Int(portText) else {
            throw UserError(say(ja: "--smtp-port には数値を指定してください（指定された値: \(portText)）。",
                                en: "--smtp-port must be a number (it is \(portText))."), exitCode: 2)
        }
        guard let from = smtpFrom ?? env["TEKIGO_SMTP_FROM"] else {
            throw UserError(say(ja: "--smtp-host を指定するときは、差出人アドレスを --smtp-from（又は TEKIGO_SMTP_FROM）で指定してください。",
                                en: "--smtp-from (or TEKIGO_SMTP_FROM) is needed with --smtp-host: the sender address."), exitCode: 2)
        }
        var password: String?
        if let file = smtpPasswordFile ?? env["TEKIGO_SMTP_PASSWORD_FILE"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw UserError(say(ja: "SMTP のパスワードファイル \(file) を読めません。パスと読み取り権限を確認してください。",
                                    en: "cannot read the SMTP password file \(file)."), exitCode: 2)
            }
            password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        let startTLS = smtpStarttls || ["1", "true", "yes"].contains(env["TEKIGO_SMTP_STARTTLS"]?.lowercased() ?? "")
        let config = SMTPConfiguration(host: host, port: port, from: from, username: smtpUser ?? env["TEKIGO_SMTP_USER"],
                                       password: password, startTLS: startTLS, caFile: smtpCaFile ?? env["TEKIGO_SMTP_CA_FILE"])
        if let problem = config.problem { throw UserError(problem, exitCode: 2) }
        return config
    }
}
