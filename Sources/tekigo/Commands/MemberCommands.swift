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
        abstract: "Invite a person into an organization with a role: prints a single-use link (the person accepts it in a browser).",
        discussion: """
            The person opens the link, creates the account (or signs in with the invited address) and enrols an
            authenticator; they join the organization, never a new one, never as platform administrator.
            Example: tekigo admin invite --email tanaka@example.jp --org 株式会社サンプル精機 --role contributor
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The person's e-mail address.") var email: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Option(help: "owner, admin, assessor, contributor, viewer or auditor.") var role: String = "contributor"
    @Option(help: "Days the link stays valid (1–30).") var days: Int = 7
    @Option(help: "The server's public base URL.") var baseURL: String = "http://127.0.0.1:8080"

    func run() async throws {
        try await reporting {
            let ja = global.language == .ja
            guard let role = Role(rawValue: role) else {
                throw UserError("unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", exitCode: 2)
            }
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
                throw UserError("\(e.description) (nothing was changed)", exitCode: 1)
            } catch let e as AccountError {
                throw UserError("\(e.description) (nothing was changed)", exitCode: 2)
            }
        }
    }
}

/// `tekigo admin reset-mfa --email …`: the operator clears a person's authenticator and ends their sessions.
struct AdminResetMFA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-mfa",
        abstract: "Clear a person's authenticator and recovery codes and end their sessions: they enrol again at the next sign-in.",
        discussion: """
            For someone who lost their authenticator app (an owner or admin can also do it for members on the members
            page). Platform administrators can be reset only here. Audited as mfa.reset with actor cli.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The person's e-mail address.") var email: String

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
