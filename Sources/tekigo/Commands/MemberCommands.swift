import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// Colleagues from the command line, for a shop that scripts its accounts: `tekigo admin invite` prints an invitation
// link (the members page's form, as the operator with an owner's rights), `tekigo admin reset-mfa` clears a person's
// authenticator so that they enrol again at the next sign-in (the members page's reset, for any account, platform
// administrators included). Both are audited with actor `cli`, as `tekigo admin grant` is.

/// `tekigo admin invite --email … --org … --role …`: an invitation link to hand to the person.
struct AdminInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: say(ja: "役割を決めて人を組織に招待します: 1 回だけ使えるリンクを表示します（招待された人がブラウザで承諾します）。", en: "Invite a person into an organization with a role: prints a single-use link (the person accepts it in a browser)."),
        discussion: say(ja: """
            招待された人はリンクを開き、アカウントを作る（又は招待されたアドレスでサインインする）と、認証アプリを登録します。
            参加するのはこの組織で、新しい組織は作られず、プラットフォーム管理者にもなりません。
            例: tekigo admin invite --email tanaka@example.jp --org 株式会社サンプル精機 --role contributor
            """, en: """
            The person opens the link, creates the account (or signs in with the invited address) and enrols an
            authenticator; they join the organization, never a new one, never as platform administrator.
            Example: tekigo admin invite --email tanaka@example.jp --org 株式会社サンプル精機 --role contributor
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "その人のメールアドレス。", en: "The person's e-mail address.")) var email: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "owner（所有者）, admin（管理者）, assessor（評価者）, contributor（協力者）, viewer（閲覧者）又は auditor（監査者）。", en: "owner, admin, assessor, contributor, viewer or auditor.")) var role: String = "contributor"
    @Option(help: .say(ja: "リンクの有効日数（1〜30）。", en: "Days the link stays valid (1–30).")) var days: Int = 7
    @Option(help: .say(ja: "サーバーの公開ベース URL。", en: "The server's public base URL.")) var baseURL: String = "http://127.0.0.1:8080"

    func run() async throws {
        try await reporting {
            let ja = global.language == .ja
            guard let role = Role(rawValue: role) else { throw UserError(AdminErrorText.unknownRole(role, global.language), exitCode: 2) }
            let db = try await CommandDatabase(global).openForWriting()
            let organization = try await resolveOrganization(org, db: db, lang: global.language)
            do {
                let (invitation, token) = try await MembershipUseCases(AccountEnvironment(db: db)).invite(
                    organizationID: organization.id, email: email, role: role, days: days, actorRole: .owner,
                    actor: Actor(id: "cli", sourceIP: "local"))
                let link = "\(baseURL)/account/invitation?token=\(token)"
                print(ja ? "\(invitation.email) を \(organization.name) に招待しました（\(role.label.ja)、\(invitation.expiresAt) まで1回だけ有効）:"
                         : "Invited \(invitation.email) into \(organization.name) as \(role.rawValue) (valid once, until \(invitation.expiresAt)):")
                print("  \(link)")
            } catch let e as InvitationError {
                throw UserError(e.message(in: global.language) + AdminErrorText.nothingChanged(global.language), exitCode: 1)
            } catch let e as AccountError {
                throw UserError(e.message(in: global.language) + AdminErrorText.nothingChanged(global.language), exitCode: 2)
            }
        }
    }
}

/// `tekigo admin reset-mfa --email …`: the operator clears a person's authenticator and ends their sessions.
struct AdminResetMFA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-mfa",
        abstract: say(ja: "その人の認証アプリの登録とリカバリーコードを消し、セッションを終了します。次のサインインで登録し直します。", en: "Clear a person's authenticator and recovery codes and end their sessions: they enrol again at the next sign-in."),
        discussion: say(ja: """
            認証アプリをなくした人のための操作です（メンバーについては所有者又は管理者がメンバーの画面からも行えます）。
            プラットフォーム管理者のリセットはここでしかできません。監査ログには mfa.reset（実行者 cli）として記録します。
            """, en: """
            For someone who lost their authenticator app (an owner or admin can also do it for members on the members
            page). Platform administrators can be reset only here. Audited as mfa.reset with actor cli.
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "その人のメールアドレス。", en: "The person's e-mail address.")) var email: String

    func run() async throws {
        try await reporting {
            let ja = global.language == .ja
            let db = try await CommandDatabase(global).openForWriting()
            guard let user = try await SecondFactorUseCases(AccountEnvironment(db: db)).resetAsOperator(email: email) else {
                throw UserError(ja ? "メールアドレスが \(email) のアカウントはありません（何も変更していません）。"
                                   : "no account has the e-mail address \(email) (nothing was changed).", exitCode: 2)
            }
            print(ja ? "\(user.email) の認証アプリをリセットしました。次のサインインで登録し直します。"
                     : "Reset the authenticator of \(user.email): they enrol a new one at their next sign-in.")
        }
    }
}
