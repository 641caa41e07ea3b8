import Foundation
import TekigoCore
import TekigoStore

/// Where a webhook may send, asked when one is added: the server's `WebhookAddressPolicy` resolves the host and refuses
/// private, link-local and reserved addresses (SP 800-171 3.13.1). It throws an error whose description says why the
/// URL is refused. A closure, so this module knows nothing of the server or of DNS; tests give a table.
public typealias WebhookAddressCheck = @Sendable (String) async throws -> Void

/// Why a reminder or webhook operation was refused; each case says what to do.
public enum WebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL's form is not acceptable; the reason.
    case invalidURL(String)
    /// Where the URL's host points is not acceptable; the address check's whole message.
    case addressRefused(String)
    /// The role does not allow the operation (the adapters check it first: `TenantContext.membership(for:)`, the pages' `orgPage`).
    case notAllowed(TenantAction)

    public var description: String {
        switch self {
        case .invalidURL(let why):
            return "the webhook URL is not acceptable: \(why). Give an https:// URL (http:// only to this machine, "
                + "127.0.0.1, ::1 or localhost) without a user name or password."
        case .addressRefused(let message): return message
        case .notAllowed(.manageSuppliers):
            return "Only an owner or an administrator can dismiss the organization's reminders."
        case .notAllowed:
            return "Only an owner or an administrator can manage the organization's webhooks."
        }
    }

    public var field: String? {
        switch self {
        case .invalidURL, .addressRefused: return "url"
        case .notAllowed: return nil
        }
    }
}

/// Supply-chain reminders and the webhooks they are sent to (issue: supply chain, item 5): dismissing a reminder,
/// adding and deleting a webhook. The rules are here — who may, the URL's form, where its host points — and the times
/// come from the environment's clock; each change runs in one transaction opened here, in which the store writes the
/// row and its typed audit entry (`.reminderDismissed`, `.webhookCreated`, `.webhookDeleted`; the webhook limit is
/// counted under the organization's lock).
public struct ReminderUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope
    let addressCheck: WebhookAddressCheck

    /// `addressCheck`: where a new webhook's host may point (the server passes its `WebhookAddressPolicy`).
    public init(_ env: TenantEnvironment, _ scope: TenantScope, addressCheck: @escaping WebhookAddressCheck) {
        self.env = env
        self.scope = scope
        self.addressCheck = addressCheck
    }

    var store: ReminderStore { ReminderStore(env.db, organizationID: scope.organizationID, evidenceKey: env.evidence.key) }

    // MARK: reading (the adapter checked the role for each: reading reminders, managing the organization for webhooks)

    /// The organization's reminders that are not dismissed, newest first. Incident reminders name the incident, so
    /// they are need-to-know like the incident itself (`Role.allowsIncidents`): left out for a member without it.
    public func reminders() async throws -> [ReminderRecord] {
        let all = try await store.reminders()
        guard all.contains(where: \.isAboutIncident), !scope.role.allows(.readIncidents) else { return all }
        if scope.role.allowsIncidents(.readIncidents, granted: try await IncidentAccess.granted(env, scope)) { return all }
        return all.filter { !$0.isAboutIncident }
    }

    /// The organization's webhooks (never their secrets: those are shown once, when added).
    public func webhooks() async throws -> [WebhookRecord] { try await store.webhooks() }

    /// One webhook's deliveries and their attempts.
    public func deliveries(webhookID: String) async throws -> [WebhookDeliveryRecord] { try await store.deliveries(webhookID: webhookID) }

    func require(_ action: TenantAction) throws(WebhookError) {
        guard scope.role.allows(action) else { throw .notAllowed(action) }
    }

    /// Hides a reminder for the whole organization: deciding that it needs no action is more than reading, so owners
    /// and administrators (`manageSuppliers`). Dismissing one already dismissed changes nothing; a key the
    /// organization does not have is `NotFound`.
    @discardableResult
    public func dismiss(key: String) async throws -> ReminderRecord {
        try require(.manageSuppliers)
        let store = store, actor = scope.actor, now = env.clock.now()
        return try await env.db.transaction { s in try await store.dismiss(key: key, by: actor, at: now, on: s) }
    }

    /// Adds a webhook (owners and administrators): its form first (`validatedURL`), then where its host points
    /// (`addressCheck`). Returns the secret, shown once, and the stored webhook; at most `ReminderStore.maxWebhooks`.
    public func createWebhook(url raw: String) async throws -> (secret: String, record: WebhookRecord) {
        try require(.manageOrganization)
        let url = try Self.validatedURL(raw)
        do {
            try await addressCheck(url)
        } catch {
            throw WebhookError.addressRefused("\(error)")
        }
        let store = store, actor = scope.actor, now = env.clock.now()
        return try await env.db.transaction { s in try await store.createWebhook(url: url, by: actor, at: now, on: s) }
    }

    /// Deletes a webhook and its delivery log (owners and administrators); an unknown id is `NotFound`.
    public func deleteWebhook(id: String) async throws {
        try require(.manageOrganization)
        let store = store, actor = scope.actor
        try await env.db.transaction { s in try await store.deleteWebhook(id: id, by: actor, on: s) }
    }

    // MARK: - The URL's form

    public static let maxURLLength = 2048

    /// The URL as stored: https with a host, or http only to the loopback interface (127.0.0.0/8, ::1, localhost),
    /// for a receiver on the same machine; never with credentials or a fragment.
    public static func validatedURL(_ raw: String) throws(WebhookError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalidURL("it is empty") }
        guard text.utf8.count <= maxURLLength else { throw .invalidURL("it is longer than \(maxURLLength) bytes") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
              let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), URL(string: text) != nil
        else { throw .invalidURL("it is not a URL") }
        guard let host = c.host?.lowercased(), !host.isEmpty else { throw .invalidURL("it has no host") }
        guard c.user == nil, c.password == nil else { throw .invalidURL("it holds a user name or password") }
        guard c.fragment == nil else { throw .invalidURL("it has a fragment (#…)") }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else { throw .invalidURL("http:// is allowed only to this machine; use https://") }
        default:
            throw .invalidURL("the scheme '\(scheme)' is not https")
        }
        return text
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if h == "localhost" || h == "::1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in p.count <= 3 && UInt8(p) != nil }
    }
}
