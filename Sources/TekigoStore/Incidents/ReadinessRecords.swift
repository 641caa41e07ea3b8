import Foundation
import SQLKit
import TekigoCore

// Rows of the readiness tables (migration 13), snake_case columns like the other records: days as YYYY-MM-DD text,
// instants as ISO 8601 UTC text (`Timestamp`).

/// A DoD-approved medium assurance certificate as recorded: who holds it (a member and/or a named person), its
/// issuer, serial number or fingerprint, and expiry day. Never the certificate or its key.
public struct CertificateRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var holderName: String
    public var userId: String?
    public var issuer: String
    public var serial: String
    public var fingerprint: String
    /// YYYY-MM-DD.
    public var expiresOn: String
    public var note: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(id: String, organizationId: String, holderName: String, userId: String?, issuer: String, serial: String,
                fingerprint: String, expiresOn: String, note: String, createdBy: String, at: String) {
        self.id = id
        self.organizationId = organizationId
        self.holderName = holderName
        self.userId = userId
        self.issuer = issuer
        self.serial = serial
        self.fingerprint = fingerprint
        self.expiresOn = expiresOn
        self.note = note
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.version = 1
    }

    public var expiresDay: Day? { Day(expiresOn) }
    public var fact: CertificateFact? {
        expiresDay.map { CertificateFact(id: id, holder: userId ?? holderName, expiresOn: $0) }
    }
}

/// The organization's incident response plan.
public struct PlanRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var id: String
    public var title: String
    public var planVersion: String
    /// A link to where the plan is kept (may be empty when it is in the evidence vault).
    public var location: String
    /// The plan's file in the evidence vault.
    public var evidenceSha256: String?
    public var approvedBy: String
    public var approvedOn: String?
    public var lastReviewedOn: String
    public var reviewMonths: Int
    public var updatedBy: String
    public var updatedAt: String
    public var version: Int

    public init(organizationId: String, id: String, title: String, planVersion: String, location: String, evidenceSha256: String?,
                approvedBy: String, approvedOn: String?, lastReviewedOn: String, reviewMonths: Int, updatedBy: String,
                updatedAt: String, version: Int) {
        self.organizationId = organizationId
        self.id = id
        self.title = title
        self.planVersion = planVersion
        self.location = location
        self.evidenceSha256 = evidenceSha256
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.lastReviewedOn = lastReviewedOn
        self.reviewMonths = reviewMonths
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.version = version
    }

    public var fact: PlanFact? { Day(lastReviewedOn).map { PlanFact(id: id, lastReviewedOn: $0, reviewMonths: reviewMonths) } }
}

/// One line of the contact chart: whom to call, in which order, for what.
public struct ContactRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    /// Calling order, 1 first.
    public var position: Int
    /// `ContactRole` raw value.
    public var role: String
    public var name: String
    /// Their company or office.
    public var affiliation: String
    /// What to call them for.
    public var purpose: String
    public var phone: String
    public var email: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(id: String, organizationId: String, position: Int, role: ContactRole, name: String, affiliation: String,
                purpose: String, phone: String, email: String, createdBy: String, at: String) {
        self.id = id
        self.organizationId = organizationId
        self.position = position
        self.role = role.rawValue
        self.name = name
        self.affiliation = affiliation
        self.purpose = purpose
        self.phone = phone
        self.email = email
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.version = 1
    }

    public var contactRole: ContactRole? { ContactRole(rawValue: role) }
}

/// The reporting channels as organization configuration: the DoD channel (name and address, e.g. the DC3 portal's
/// current URL) and the MOD reporting contact.
public struct ChannelRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var dodChannelName: String
    public var dodChannelAddress: String
    public var modContactName: String
    public var modContactPhone: String
    public var modContactEmail: String
    public var updatedBy: String
    public var updatedAt: String
    public var version: Int

    public init(organizationId: String, dodChannelName: String, dodChannelAddress: String, modContactName: String,
                modContactPhone: String, modContactEmail: String, updatedBy: String, updatedAt: String, version: Int) {
        self.organizationId = organizationId
        self.dodChannelName = dodChannelName
        self.dodChannelAddress = dodChannelAddress
        self.modContactName = modContactName
        self.modContactPhone = modContactPhone
        self.modContactEmail = modContactEmail
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.version = version
    }

    public var dodConfigured: Bool { !dodChannelAddress.isEmpty }
    public var modConfigured: Bool { !modContactName.isEmpty && !(modContactPhone.isEmpty && modContactEmail.isEmpty) }
}
