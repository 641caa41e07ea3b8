import Foundation
import Hummingbird
import Logging
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Sends an invitation (or its re-sent link) by e-mail when `tekigo serve` has a mail server (`--smtp-host`), in
/// Japanese and English in one message (the invitee's language is not known yet). Delivery runs in a task of its own,
/// off the request: the page or API waits for it at most `answerWithin`, then answers with what it knows — sent,
/// failed (with the link shown to copy) or still under way. Whatever the result, it is logged and audited
/// (`membership.invitation-mailed` / `…-mail-failed`) by `MembershipUseCases.recordInvitationMail`.
struct InvitationMailer: Sendable {
    let smtp: SMTPConfiguration?
    let messages: Messages
    let logger: Logger
    /// How long the request waits for the delivery's result before answering "under way".
    var answerWithin: Duration = .seconds(8)

    var isConfigured: Bool { smtp != nil }

    /// What the invitation e-mail says, both languages in one message.
    struct Content: Sendable {
        let organization: String
        let inviter: String
        let role: Role
        let link: String
        /// The invitation's expiry (a stored timestamp), written in each language at `timeZone` (the organization's).
        let expiresAt: String
        let timeZone: TimeZone
    }

    func message(to email: String, _ c: Content) -> MailMessage? {
        guard let smtp else { return nil }
        func part(_ lang: Language) -> String {
            messages.text("members_mail_body", lang, ["organization": c.organization, "inviter": c.inviter,
                                                      "role": c.role.label[lang], "link": c.link,
                                                      "expires": WebLocale(language: lang, timeZone: c.timeZone).dateTime(c.expiresAt)])
        }
        let subject = messages.text("members_mail_subject", .ja, ["organization": c.organization]) + " / "
            + messages.text("members_mail_subject", .en, ["organization": c.organization])
        return MailMessage(from: smtp.from, to: email, subject: subject, body: part(.ja) + "\n\n----------\n\n" + part(.en))
    }

    /// Starts the delivery and waits for it up to `answerWithin`. The delivery goes on (and is recorded) if the
    /// request ends first.
    func deliver(_ invitation: MembershipInvitationRecord, _ content: Content, services: Services,
                 actor: Actor) async -> InvitationMailOutcome {
        guard let smtp, let message = message(to: invitation.email, content) else { return .notConfigured }
        let logger = self.logger
        let memberships = MembershipUseCases(services.accountEnvironment)
        let delivery = Task<InvitationMailOutcome, Never> {
            let outcome: InvitationMailOutcome
            do {
                try await SMTPClient(smtp).send(message)
                outcome = .sent
                logger.info("invitation e-mail sent", metadata: ["invitation": "\(invitation.id)"])
            } catch {
                outcome = .failed(String(describing: error))
                logger.warning("invitation e-mail failed", metadata: ["invitation": "\(invitation.id)", "error": "\(error)"])
            }
            do {
                try await memberships.recordInvitationMail(organizationID: invitation.organizationId, invitationID: invitation.id,
                                                           outcome: outcome, actor: actor)
            } catch {
                logger.error("invitation e-mail outcome not audited", metadata: ["invitation": "\(invitation.id)", "error": "\(error)"])
            }
            return outcome
        }
        // Whichever comes first: the delivery's result, or the time the request is willing to wait.
        let answerWithin = self.answerWithin
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            Task { once.resume(await delivery.value) }
            Task {
                try? await Task.sleep(for: answerWithin)
                once.resume(.pending)
            }
        }
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = continuation }

    func resume(_ value: T) {
        let c: CheckedContinuation<T, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume(returning: value)
    }
}

extension Services {
    /// Sends `invitation` (just created or re-sent, `token` its new secret) by e-mail when a mail server is configured;
    /// shared by the members page and the API. The link is built from `baseURL` (the host the inviter's browser or
    /// client used). Waits at most `InvitationMailer.answerWithin`.
    func mailInvitation(_ invitation: MembershipInvitationRecord, token: String, organization: OrganizationRecord, inviter: String,
                        baseURL: String, actor: Actor) async -> InvitationMailOutcome {
        guard mailer.isConfigured, let role = invitation.roleValue else { return .notConfigured }
        let content = InvitationMailer.Content(
            organization: organization.name, inviter: inviter, role: role,
            link: baseURL + PageRoute.acceptInvitation.path + "?token=" + token, expiresAt: invitation.expiresAt,
            timeZone: TimeZone(identifier: organization.timeZone) ?? WebLocale.defaultTimeZone)
        return await mailer.deliver(invitation, content, services: self, actor: actor)
    }

    /// The scheme and host a request reached this server by, for links a person opens later.
    func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "\(config.hostname):\(config.port)"
        return (config.secureCookies ? "https://" : "http://") + host
    }
}
