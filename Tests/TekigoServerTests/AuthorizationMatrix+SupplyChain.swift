import Foundation
import HTTPTypes
import Testing
import TekigoCore
import TekigoStore
@testable import TekigoServer

/// The supply-chain objects around one tenant of the matrix: a supplier S (which has attested and lets the tenant see
/// it) and a customer C, with an open invitation, a contract and a requirement on the link to S, and the tenant's own
/// attestation. Made through the stores (as the fixture's platform administrator would through the API).
struct ChainObjects: Sendable {
    let supplierID: String
    let customerID: String
    let invitationID: String
    let contractID: String
    let contractNumber: String
    let requirementID: String
    let attestationID: String
    /// A stored reminder of the tenant (its supplier's attestation misses the tenant's SPRS ≥ 88) and a webhook.
    let reminderKey: String
    let webhookID: String

    static let actor = Actor(id: "matrix-fixture", sourceIP: "127.0.0.1")

    static func populate(services: Services, org: String, ownerID: String, assessmentID: String, label: String) async throws -> ChainObjects {
        let db = services.db
        let accounts = services.accounts
        let supplier = try await accounts.createOrganization(name: "\(label) supplier", owner: ownerID)
        let customer = try await accounts.createOrganization(name: "\(label) customer", owner: ownerID)
        try await link(db, customer: org, supplier: supplier.id)
        try await link(db, customer: customer.id, supplier: org)
        let invitation = try await invite(db, org, note: "\(label) open invitation").record.tokenHash
        let number = "\(label)-CONTRACT-1"
        let contract = try await createContract(db, org, try Contract(number: number, designation: .cui, clauses: [.dfars7012]),
                                                supplierID: supplier.id)
        let requirement = try await createRequirement(db, org, supplierID: supplier.id, minimum: .sprsAtLeast(88),
                                                      due: Day(year: 2027, month: 3, day: 31)!)
        // The tenant's own attestation, and the supplier's, shared with the tenant.
        let catalog = try services.library.catalog(.sp800171r2)
        let own = try await issue(services, org, assessmentID: assessmentID, catalog: catalog)
        let supplierStore = TenantStore(db, organizationID: supplier.id)
        let system = try await supplierStore.createSystem(SystemProfile(name: "\(label) supplier plant"), by: actor)
        let supplierAssessment = try await supplierStore.createAssessment(systemID: system.id, catalog: .sp800171r2,
                                                                          date: Day(year: 2026, month: 11, day: 1)!, kind: .basic,
                                                                          assessor: "", by: actor)
        _ = try await supplierStore.putFinding(assessmentID: supplierAssessment.id, objective: "3.1.1[a]",
                                               Finding(status: .met), ifVersion: nil, by: actor)
        _ = try await issue(services, supplier.id, assessmentID: supplierAssessment.id, catalog: catalog)
        _ = try await grant(db, supplier.id, viewer: org)
        let reminders = ReminderStore(db, organizationID: org, evidenceKey: services.evidence.key)
        let reminder = try #require(try await reminders.refresh().first, "\(label): no reminder was due")
        let webhook = try await reminders.createWebhook(url: "http://127.0.0.1:9/\(label)-hook", by: actor).record
        return ChainObjects(supplierID: supplier.id, customerID: customer.id, invitationID: invitation, contractID: contract.id,
                            contractNumber: number, requirementID: requirement.id, attestationID: own.id,
                            reminderKey: reminder.reminderKey, webhookID: webhook.id)
    }

    /// Links `supplier` below `customer` the way the API does: an invitation, accepted by the supplier.
    static func link(_ db: TekigoDatabase, customer: String, supplier: String) async throws {
        let token = try await invite(db, customer, note: "matrix").token
        try await db.transaction { s in
            _ = try await RelationshipStore(db, organizationID: supplier).accept(token: token, by: actor, now: Date(), today: Day(Date()), on: s)
        }
    }

    // The stores' writes run in their caller's transaction (the use cases open it in the server); the fixture opens
    // one per write, as the use cases do.

    static func invite(_ db: TekigoDatabase, _ org: String, note: String) async throws -> (token: String, record: SupplierInvitationRecord) {
        try await db.transaction { s in try await RelationshipStore(db, organizationID: org).invite(note: note, by: actor, now: Date(), on: s) }
    }

    static func createContract(_ db: TekigoDatabase, _ org: String, _ contract: Contract, supplierID: String) async throws -> ContractRecord {
        try await db.transaction { s in
            try await RelationshipStore(db, organizationID: org).createContract(contract, supplierID: supplierID, by: actor, on: s)
        }
    }

    static func createRequirement(_ db: TekigoDatabase, _ org: String, supplierID: String, minimum: FlowDownRequirement.Minimum,
                                  due: Day) async throws -> FlowDownRequirementRecord {
        try await db.transaction { s in
            try await RelationshipStore(db, organizationID: org).createRequirement(supplierID: supplierID, minimum: minimum, due: due,
                                                                                   by: actor, today: Day(Date()), on: s)
        }
    }

    static func issue(_ services: Services, _ org: String, assessmentID: String, catalog: Catalog) async throws -> AttestationRecord {
        let store = AttestationStore(services.db, organizationID: org, evidenceKey: services.evidence.key)
        let stated = try await store.attestable(assessment: assessmentID)
        return try await services.db.transaction { s in
            try await store.issue(stated, assessment: assessmentID, catalog: catalog, by: actor, at: Date(), today: Day(Date()), on: s)
        }
    }

    static func grant(_ db: TekigoDatabase, _ org: String, viewer: String) async throws -> ConsentRecord {
        try await db.transaction { s in
            try await ConsentStore(db, organizationID: org).grant(viewer: viewer, by: actor, at: Day(Date()), on: s)
        }
    }

    /// A new organization with an open invitation from it: the token.
    static func foreignInvitation(_ services: Services, ownerID: String) async throws -> String {
        let other = try await services.accounts.createOrganization(name: "Inviting customer \(UUID().uuidString.prefix(6))",
                                                                   owner: ownerID)
        return try await invite(services.db, other.id, note: "matrix").token
    }
}

extension MatrixRoute {
    /// Every route of `SupplierRoutes`, `AttestationRoutes` and `ReminderRoutes`, with the action its handler asks for.
    static func supplyChain(_ v1: String) -> [MatrixRoute] {
        let actor = ChainObjects.actor
        @Sendable func contract(_ number: String) -> [String: Any] {
            ["number": number, "designation": "cui", "clauses": ["dfars-252.204-7012"]]
        }
        return [
            MatrixRoute(method: .get, template: "/organizations/{org}/supplier-invitations", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/supplier-invitations")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/supplier-invitations", requirement: .tenant(.manageSuppliers)) { t, _ in
                .json("\(v1)/\(t.org)/supplier-invitations", ["note": "matrix invitation", "expiresInDays": 2])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/supplier-invitations/{invitation}",
                        requirement: .tenant(.manageSuppliers), foreignObject: notFound) { t, services in
                var id = t.objects.chain.invitationID
                if t.fresh {
                    id = try await ChainObjects.invite(services.db, t.org, note: "throwaway").record.tokenHash
                }
                return Call(path: "\(v1)/\(t.org)/supplier-invitations/\(id)")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/customer-invitations/accept",
                        requirement: .tenant(.manageSuppliers)) { t, services in
                .json("\(v1)/\(t.org)/customer-invitations/accept", ["token": try await ChainObjects.foreignInvitation(services, ownerID: t.objects.ownerID)])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/suppliers", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/suppliers")
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/suppliers/{supplier}", requirement: .tenant(.manageSuppliers),
                        foreignObject: notFound) { t, services in
                var id = t.objects.chain.supplierID
                if t.fresh {
                    id = try await services.accounts.createOrganization(name: "Throwaway supplier", owner: t.objects.ownerID).id
                    try await ChainObjects.link(services.db, customer: t.org, supplier: id)
                }
                return Call(path: "\(v1)/\(t.org)/suppliers/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/customers", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/customers")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/suppliers/{supplier}/contracts", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/suppliers/\(t.objects.chain.supplierID)/contracts")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/suppliers/{supplier}/contracts",
                        requirement: .tenant(.manageSuppliers), foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/suppliers/\(t.objects.chain.supplierID)/contracts", contract("M-\(UUID().uuidString.prefix(8))"))
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/contracts/{contract}", requirement: .tenant(.manageSuppliers),
                        foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/contracts/\(t.objects.chain.contractID)", contract(t.objects.chain.contractNumber))
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/contracts/{contract}", requirement: .tenant(.manageSuppliers),
                        foreignObject: notFound) { t, services in
                var id = t.objects.chain.contractID
                if t.fresh {
                    id = try await ChainObjects.createContract(
                        services.db, t.org, try Contract(number: "T-\(UUID().uuidString.prefix(8))", designation: .cui, clauses: [.dfars7012]),
                        supplierID: t.objects.chain.supplierID).id
                }
                return Call(path: "\(v1)/\(t.org)/contracts/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/requirements", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/requirements")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/requirements", requirement: .tenant(.manageSuppliers),
                        foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/requirements", ["supplierId": t.objects.chain.supplierID, "minimum": "sprs>=88", "dueOn": "2027-01-31"])
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/requirements/{requirement}",
                        requirement: .tenant(.manageSuppliers), foreignObject: notFound) { t, _ in
                .json("\(v1)/\(t.org)/requirements/\(t.objects.chain.requirementID)", ["minimum": "all-met", "dueOn": "2027-02-28"])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/requirements/{requirement}",
                        requirement: .tenant(.manageSuppliers), foreignObject: notFound) { t, services in
                var id = t.objects.chain.requirementID
                if t.fresh {
                    id = try await ChainObjects.createRequirement(
                        services.db, t.org, supplierID: t.objects.chain.supplierID, minimum: .allMet, due: Day(year: 2027, month: 6, day: 30)!).id
                }
                return Call(path: "\(v1)/\(t.org)/requirements/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/requirements-on-me", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/requirements-on-me")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/attestations", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/attestations")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/attestations", requirement: .tenant(.issueAttestations),
                        foreignObject: .denied(.badRequest, "invalid")) { t, _ in
                .json("\(v1)/\(t.org)/attestations", ["assessmentId": t.objects.assessmentID])
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/attestations/current", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/attestations/current")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/attestations/{attestation}/export", requirement: .tenant(.export),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/attestations/\(t.objects.chain.attestationID)/export")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/signing-keys", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/signing-keys")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/signing-keys/rotate",
                        requirement: .tenant(.issueAttestations)) { t, _ in
                Call(path: "\(v1)/\(t.org)/signing-keys/rotate")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/consents", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/consents")
            },
            MatrixRoute(method: .put, template: "/organizations/{org}/consents/{viewer}", requirement: .tenant(.manageConsent),
                        foreignObject: .denied(.badRequest, "invalid")) { t, _ in
                .json("\(v1)/\(t.org)/consents/\(t.objects.chain.customerID)", ["onward": true])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/consents/{viewer}", requirement: .tenant(.manageConsent),
                        foreignObject: notFound) { t, services in
                if t.fresh {
                    _ = try await ChainObjects.grant(services.db, t.org, viewer: t.objects.chain.customerID)
                }
                return Call(path: "\(v1)/\(t.org)/consents/\(t.objects.chain.customerID)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/supplier-attestations/{supplier}", requirement: .tenant(.read),
                        foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/supplier-attestations/\(t.objects.chain.supplierID)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/supplier-attestations/{supplier}/export",
                        requirement: .tenant(.export), foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/supplier-attestations/\(t.objects.chain.supplierID)/export")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/rollup", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/rollup")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/rollup/needs-action", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/rollup/needs-action")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/rollup/export", requirement: .tenant(.export)) { t, _ in
                Call(path: "\(v1)/\(t.org)/rollup/export?format=csv&table=needs-action")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/reminders", requirement: .tenant(.read)) { t, _ in
                Call(path: "\(v1)/\(t.org)/reminders")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/reminders/{key}/dismiss", requirement: .tenant(.manageSuppliers),
                        foreignObject: notFound) { t, _ in
                let key = t.objects.chain.reminderKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return Call(path: "\(v1)/\(t.org)/reminders/\(key)/dismiss")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/webhooks", requirement: .tenant(.manageOrganization)) { t, _ in
                Call(path: "\(v1)/\(t.org)/webhooks")
            },
            MatrixRoute(method: .post, template: "/organizations/{org}/webhooks", requirement: .tenant(.manageOrganization)) { t, _ in
                .json("\(v1)/\(t.org)/webhooks", ["url": "http://127.0.0.1:9/matrix"])
            },
            MatrixRoute(method: .delete, template: "/organizations/{org}/webhooks/{webhook}", requirement: .tenant(.manageOrganization),
                        foreignObject: notFound) { t, services in
                var id = t.objects.chain.webhookID
                if t.fresh {
                    id = try await ReminderStore(services.db, organizationID: t.org, evidenceKey: services.evidence.key)
                        .createWebhook(url: "http://127.0.0.1:9/throwaway", by: actor).record.id
                }
                return Call(path: "\(v1)/\(t.org)/webhooks/\(id)")
            },
            MatrixRoute(method: .get, template: "/organizations/{org}/webhooks/{webhook}/deliveries",
                        requirement: .tenant(.manageOrganization), foreignObject: notFound) { t, _ in
                Call(path: "\(v1)/\(t.org)/webhooks/\(t.objects.chain.webhookID)/deliveries")
            },
        ]
    }
}
