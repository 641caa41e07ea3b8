import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct ReminderView: Encodable, Sendable {
    struct Text: Encodable, Sendable {
        let en: String
        let ja: String
    }

    /// Stable; percent-encode it (`/` as `%2F`) to dismiss it.
    let key: String
    /// `requirement-due`, `attestation-expiring`, `minimum-unmet`, `requirement-overdue`; for incidents (shown only
    /// to members with need-to-know) `incident-deadline`, `incident-overdue`, `incident-hold-ended`.
    let kind: String
    /// The supplier the reminder is about; for an incident's reminder, the incident's id.
    let subject: String
    let text: Text
    let createdAt: String
    let dismissedAt: String?

    init(_ r: ReminderRecord) {
        key = r.reminderKey
        kind = r.kind
        subject = r.subject
        text = Text(en: r.textEn, ja: r.textJa)
        createdAt = r.createdAt
        dismissedAt = r.dismissedAt
    }
}

struct WebhookView: Encodable, Sendable {
    let id: String
    let url: String
    let createdAt: String
    let version: Int

    init(_ r: WebhookRecord) {
        id = r.id
        url = r.url
        createdAt = r.createdAt
        version = r.version
    }
}

struct WebhookCreatedView: Encodable, Sendable {
    let id: String
    let url: String
    let createdAt: String
    let version: Int
    /// Shown once: the receiver checks `X-Tekigo-Signature` with it.
    let secret: String
    /// How deliveries are signed.
    let signature: String
}

struct WebhookDeliveryView: Encodable, Sendable {
    let id: String
    let webhookId: String
    let reminderKey: String
    let status: String
    let attempts: Int
    let lastStatus: Int?
    let lastError: String?
    let nextAttemptAt: String?
    let deliveredAt: String?
    let createdAt: String

    init(_ r: WebhookDeliveryRecord) {
        id = r.id
        webhookId = r.webhookId
        reminderKey = r.reminderKey
        status = r.status
        attempts = r.attempts
        lastStatus = r.lastStatus
        lastError = r.lastError
        nextAttemptAt = r.status == DeliveryStatus.pending.rawValue ? r.nextAttemptAt : nil
        deliveredAt = r.deliveredAt
        createdAt = r.createdAt
    }
}

// MARK: - bodies

struct WebhookBody: StrictBody {
    static let fields: Set<String> = ["url"]
    let url: String
}

// MARK: - routes

/// Supply-chain reminders inside `/api/v1/organizations/{org}` (issue: supply chain, item 5): what is due (requirements
/// approaching their due date, attestations expiring in 90/30/7 days, minimums not met), dismissing one, and the
/// webhooks reminders are sent to, with each webhook's delivery log. `ReminderScheduler` computes and sends them.
/// On `TenantContext`: one membership lookup per request (`TenantMiddleware`), each handler's action checked first.
struct ReminderRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/reminders", use: listReminders)
        org.post("/reminders/:key/dismiss", use: dismiss)
        org.get("/webhooks", use: listWebhooks)
        org.post("/webhooks", use: createWebhook)
        org.delete("/webhooks/:webhook", use: deleteWebhook)
        org.get("/webhooks/:webhook/deliveries", use: deliveries)
    }

    /// Reading and changes alike: the use cases (`Services.reminderUseCases`).
    func reminders(_ m: Membership) -> ReminderUseCases { services.reminderUseCases(m) }

    // MARK: reminders

    func listReminders(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<ReminderView>> {
        let m = try context.membership(for: .read)
        return JSONResponse(value: try Page(try await reminders(m).reminders().map(ReminderView.init), request: request))
    }

    /// Hiding a reminder decides for the organization that it needs no action: more than reading.
    func dismiss(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageSuppliers)
        // Keys hold `/`: the client percent-encodes them, and the router hands the segment over as sent.
        let raw = try context.parameters.require("key")
        guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty else { throw APIError.notFound("Reminder \(raw)") }
        let key = try plainText(decoded, field: "key")
        try await services.reminderUseCases(m).dismiss(key: key)
        return Response(status: .noContent)
    }

    // MARK: webhooks

    func listWebhooks(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<WebhookView>> {
        let m = try context.membership(for: .manageOrganization)
        return JSONResponse(value: try Page(try await reminders(m).webhooks().map(WebhookView.init), request: request))
    }

    func createWebhook(_ request: Request, context: TenantContext) async throws -> JSONResponse<WebhookCreatedView> {
        let m = try context.membership(for: .manageOrganization)
        let b = try await request.decodeStrict(WebhookBody.self, context: context)
        // Its form first, then where its host points (private and link-local addresses only when allowed): the use case's.
        let (secret, r) = try await services.reminderUseCases(m).createWebhook(url: b.url)
        return JSONResponse(value: WebhookCreatedView(
            id: r.id, url: r.url, createdAt: r.createdAt, version: r.version, secret: secret,
            signature: "\(WebhookSignature.header): sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes>; "
                + "\(WebhookSignature.deliveryHeader): <delivery id, the same on every retry>"),
                            status: .created)
    }

    func deleteWebhook(_ request: Request, context: TenantContext) async throws -> Response {
        let m = try context.membership(for: .manageOrganization)
        try await services.reminderUseCases(m).deleteWebhook(id: try context.parameters.require("webhook"))
        return Response(status: .noContent)
    }

    func deliveries(_ request: Request, context: TenantContext) async throws -> JSONResponse<Page<WebhookDeliveryView>> {
        let m = try context.membership(for: .manageOrganization)
        let id = try context.parameters.require("webhook")
        return JSONResponse(value: try Page(try await reminders(m).deliveries(webhookID: id).map(WebhookDeliveryView.init),
                                            request: request))
    }
}
