import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The supply chain's reminders and the webhooks they are sent to (issue #12 item 2, "reminders and webhook
/// settings"): what is due or unmet, dismissing one (owners and administrators), and adding or deleting a webhook
/// with its secret shown once and the last deliveries of each. Every rule is `ReminderUseCases`', as for the API.
struct SupplyReminderPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.supplyChainReminders(org: .key).pattern, use: reminders)
        pages.post(PageRoute.dismissSupplyReminder(org: .key).pattern, use: dismiss)
        pages.post(PageRoute.supplyChainWebhooks(org: .key).pattern, use: createWebhook)
        pages.post(PageRoute.deleteSupplyWebhook(org: .key, webhook: .key).pattern, use: deleteWebhook)
    }

    /// Deliveries shown per webhook (the newest).
    static let deliveriesShown = 5

    func reminders(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await view(page, request: request, url: "", error: nil)
    }

    func view(_ page: OrgPage, request: Request, url: String, error: String?, created: (url: String, secret: String)? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, locale = page.viewer.locale, o = page.org
        let useCases = services.reminderUseCases(page.member)
        let list = try await useCases.reminders()
        let canManageWebhooks = page.member.role.allows(.manageOrganization)
        var hooks: [SupplyRemindersPage.Webhook] = []
        if canManageWebhooks {
            // A few webhooks at most (the use case limits them): one delivery-log read each.
            for w in try await useCases.webhooks() {
                let deliveries = try await useCases.deliveries(webhookID: w.id).sorted { $0.createdAt > $1.createdAt }.prefix(Self.deliveriesShown)
                hooks.append(.init(url: w.url, created: locale.dateTime(w.createdAt),
                                   deleteURL: PageRoute.deleteSupplyWebhook(org: o, webhook: w.id).path,
                                   deliveries: deliveries.map {
                                       .init(created: locale.dateTime($0.createdAt),
                                             status: web.messages.text("supply_delivery_\($0.status)", lang),
                                             attempts: $0.attempts, lastStatus: $0.lastStatus.map(String.init))
                                   },
                                   hasDeliveries: !deliveries.isEmpty))
            }
        }
        let model = SupplyRemindersPage(
            reminders: list.map {
                .init(kind: web.messages.text("supply_reminder_\($0.kind.replacingOccurrences(of: "-", with: "_"))", lang),
                      text: lang == .ja ? $0.textJa : $0.textEn, created: locale.dateTime($0.createdAt), key: $0.reminderKey)
            },
            hasReminders: !list.isEmpty, canDismiss: page.member.role.allows(.manageSuppliers),
            dismissAction: PageRoute.dismissSupplyReminder(org: o).path, canManageWebhooks: canManageWebhooks, webhooks: hooks,
            hasWebhooks: !hooks.isEmpty, webhookAction: PageRoute.supplyChainWebhooks(org: o).path, url: url, error: error,
            created: created.map { .init(url: $0.url, secret: $0.secret) }, supplyChainURL: PageRoute.supplyChain(org: o).path)
        return web.orgView("supply-reminders", page, titleKey: "supply_reminders_title", section: SupplyChainPages.section, model: model,
                           request: request, status: status)
    }

    /// Hides a reminder for the organization (owners and administrators); one it does not have is the not-found page.
    func dismiss(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        guard !form["key"].isEmpty else { throw WebError.badForm }
        try await services.reminderUseCases(page.member).dismiss(key: form["key"])
        return WebApp.redirect(PageRoute.supplyChainReminders(org: page.org).path + "?notice=supply_dismissed")
    }

    /// Adds a webhook; its secret is shown on this response only.
    func createWebhook(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageOrganization)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        do {
            let (secret, record) = try await services.reminderUseCases(page.member).createWebhook(url: form["url"])
            return try await view(page, request: request, url: "", error: nil, created: (record.url, secret), status: .created)
        } catch let e as WebhookError {
            let key = if case .addressRefused = e { "supply_error_webhook_address" } else { "supply_error_webhook_url" }
            return try await view(page, request: request, url: form["url"], error: web.messages.text(key, lang), status: .badRequest)
        } catch ReminderError.tooManyWebhooks(let limit) {
            return try await view(page, request: request, url: form["url"],
                                  error: web.messages.text("supply_error_webhook_limit", lang, ["count": "\(limit)"]), status: .badRequest)
        }
    }

    func deleteWebhook(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageOrganization)
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await services.reminderUseCases(page.member).deleteWebhook(id: try context.parameters.require("webhook"))
        return WebApp.redirect(PageRoute.supplyChainReminders(org: page.org).path + "?notice=supply_deleted")
    }
}

/// `supply-reminders`: the supply chain's reminders and, for owners and administrators, the webhooks.
struct SupplyRemindersPage: PageModel {
    struct Reminder: Encodable, Sendable {
        let kind: String
        let text: String
        let created: String
        let key: String
    }
    struct Delivery: Encodable, Sendable {
        let created: String
        let status: String
        let attempts: Int
        let lastStatus: String?
    }
    struct Webhook: Encodable, Sendable {
        let url: String
        let created: String
        let deleteURL: String
        let deliveries: [Delivery]
        let hasDeliveries: Bool
    }
    struct Created: Encodable, Sendable {
        let url: String
        let secret: String
    }
    let reminders: [Reminder]
    let hasReminders: Bool
    let canDismiss: Bool
    let dismissAction: String
    let canManageWebhooks: Bool
    let webhooks: [Webhook]
    let hasWebhooks: Bool
    let webhookAction: String
    let url: String
    let error: String?
    let created: Created?
    let supplyChainURL: String
}
