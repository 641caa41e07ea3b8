import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// A medium assurance certificate as a client enters it (text, as typed), checked by `ReadinessUseCases`.
public struct CertificateDraft: Sendable, Hashable {
    /// The holder's name; may be empty when `userID` names a member (their display name is used).
    public var holderName: String
    /// The member holding it, if the holder is a member.
    public var userID: String?
    public var issuer: String
    public var serial: String
    public var fingerprint: String
    /// YYYY-MM-DD.
    public var expiresOn: String
    public var note: String

    public init(holderName: String = "", userID: String? = nil, issuer: String, serial: String = "", fingerprint: String = "",
                expiresOn: String, note: String = "") {
        self.holderName = holderName
        self.userID = userID
        self.issuer = issuer
        self.serial = serial
        self.fingerprint = fingerprint
        self.expiresOn = expiresOn
        self.note = note
    }
}

/// The incident response plan as a client enters it.
public struct PlanDraft: Sendable, Hashable {
    public var title: String
    public var planVersion: String
    /// A link to where it is kept (http(s)://…); may be empty when `evidenceSHA256` names the file in the vault.
    public var location: String
    public var evidenceSHA256: String?
    public var approvedBy: String
    /// YYYY-MM-DD or empty.
    public var approvedOn: String
    /// YYYY-MM-DD.
    public var lastReviewedOn: String
    /// Nil: Tekigo's default (`ReadinessRules.defaultReviewMonths`).
    public var reviewMonths: Int?

    public init(title: String, planVersion: String, location: String = "", evidenceSHA256: String? = nil, approvedBy: String,
                approvedOn: String = "", lastReviewedOn: String, reviewMonths: Int? = nil) {
        self.title = title
        self.planVersion = planVersion
        self.location = location
        self.evidenceSHA256 = evidenceSHA256
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.lastReviewedOn = lastReviewedOn
        self.reviewMonths = reviewMonths
    }
}

/// One line of the contact chart as a client enters it.
public struct ContactDraft: Sendable, Hashable {
    /// Calling order (1 first); nil: after the last.
    public var position: Int?
    /// `ContactRole` raw value.
    public var role: String
    public var name: String
    public var affiliation: String
    public var purpose: String
    public var phone: String
    public var email: String

    public init(position: Int? = nil, role: String, name: String, affiliation: String = "", purpose: String = "", phone: String = "",
                email: String = "") {
        self.position = position
        self.role = role
        self.name = name
        self.affiliation = affiliation
        self.purpose = purpose
        self.phone = phone
        self.email = email
    }
}

/// The reporting channels as a client configures them.
public struct ChannelDraft: Sendable, Hashable {
    public var dodChannelName: String
    /// The DoD channel's address (https://… or an e-mail address); empty: not configured.
    public var dodChannelAddress: String
    public var modContactName: String
    public var modContactPhone: String
    public var modContactEmail: String

    public init(dodChannelName: String = "", dodChannelAddress: String = "", modContactName: String = "", modContactPhone: String = "",
                modContactEmail: String = "") {
        self.dodChannelName = dodChannelName
        self.dodChannelAddress = dodChannelAddress
        self.modContactName = modContactName
        self.modContactPhone = modContactPhone
        self.modContactEmail = modContactEmail
    }
}

/// Every change to an organization's reporting readiness (issue 13 item 6): certificates, the IR plan, the contact
/// chart and the reporting channels, each after the incidents' need-to-know check (`.manageIncidents`; the channels,
/// organization configuration, owners and administrators only) and in one transaction with its typed audit entry
/// at the injected clock's now. The rules are `ReadinessRules`'; input errors are `ReadinessError`; a stale version is
/// `VersionConflict`; another organization's row, or none, is `NotFound`.
public struct ReadinessUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public static let maxText = 500
    public static let maxName = 200

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: ReadinessStore { ReadinessStore(env.db, organizationID: scope.organizationID) }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func text(_ s: String, _ field: String, required: Bool = false, limit: Int = maxText) throws -> String {
        let t = trimmed(s)
        if required, t.isEmpty { throw ReadinessError.empty(field: field) }
        guard t.count <= limit else { throw ReadinessError.tooLong(field: field, limit: limit) }
        return t
    }

    static func day(_ s: String, _ field: String) throws -> Day {
        let t = trimmed(s)
        guard !t.isEmpty else { throw ReadinessError.empty(field: field) }
        guard let d = Day(t) else { throw ReadinessError.badDate(field: field, value: t) }
        return d
    }

    /// Refuses certificate or key material pasted where only an identifier goes.
    static func noSecrets(_ s: String, _ field: String) throws {
        let u = s.uppercased()
        if u.contains("-----BEGIN") || u.contains("PRIVATE KEY") || u.contains("CERTIFICATE-----") || s.count > 200 {
            throw ReadinessError.secretMaterial(field: field)
        }
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: \.isWhitespace)
    }

    static func isWebAddress(_ s: String, allowHTTP: Bool = false) -> Bool {
        guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), u.host?.isEmpty == false else { return false }
        return scheme == "https" || (allowHTTP && scheme == "http")
    }

    // MARK: certificates

    func certificate(_ d: CertificateDraft, id: String, stamp: String) async throws -> CertificateRecord {
        var holder = try Self.text(d.holderName, "holderName", limit: Self.maxName)
        let user = d.userID.map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        if let user {
            let members = try await AccountStore(env.db).members(organizationID: scope.organizationID)
            guard let (u, _) = members.first(where: { $0.0.id == user }) else { throw ReadinessError.notAMember(user) }
            if holder.isEmpty { holder = u.displayName }
        }
        guard !holder.isEmpty else { throw ReadinessError.empty(field: "holderName") }
        let issuer = try Self.text(d.issuer, "issuer", required: true, limit: Self.maxName)
        let serial = try Self.text(d.serial, "serial", limit: 1000), fingerprint = try Self.text(d.fingerprint, "fingerprint", limit: 1000)
        try Self.noSecrets(serial, "serial")
        try Self.noSecrets(fingerprint, "fingerprint")
        if serial.isEmpty, fingerprint.isEmpty { throw ReadinessError.empty(field: "serial") }
        let expires = try Self.day(d.expiresOn, "expiresOn")
        let note = try Self.text(d.note, "note")
        try Self.noSecrets(note.count > 200 ? String(note.prefix(200)) : note, "note")
        return CertificateRecord(id: id, organizationId: scope.organizationID, holderName: holder, userId: user, issuer: issuer,
                                 serial: serial, fingerprint: fingerprint, expiresOn: expires.description, note: note,
                                 createdBy: scope.actor.id, at: stamp)
    }

    /// Records who holds a medium assurance certificate (holder, issuer, serial or fingerprint, expiry).
    public func addCertificate(_ d: CertificateDraft) async throws -> CertificateRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let stamp = Timestamp.string(env.clock.now())
        let r = try await certificate(d, id: UUID().uuidString.lowercased(), stamp: stamp)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.insertCertificate(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessCertificateAdded, "readiness/certificate/\(r.id)", after: r), on: s)
        }
        return r
    }

    /// Changes a certificate at `ifVersion` (a renewal: a new expiry day starts new reminders).
    public func updateCertificate(id: String, _ d: CertificateDraft, ifVersion: Int) async throws -> CertificateRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let stamp = Timestamp.string(env.clock.now())
        let fresh = try await certificate(d, id: id, stamp: stamp)
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.certificate(id: id, on: s)
            var r = fresh
            r.createdBy = before.createdBy
            r.createdAt = before.createdAt
            r.version = before.version + 1
            try await store.updateCertificate(r, expectedVersion: ifVersion, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessCertificateUpdated, "readiness/certificate/\(id)",
                                                            before: before, after: r), on: s)
            return r
        }
    }

    public func deleteCertificate(id: String) async throws {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.certificate(id: id, on: s)
            try await store.deleteCertificate(id: id, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessCertificateDeleted, "readiness/certificate/\(id)", before: before), on: s)
        }
    }

    // MARK: plan

    /// Saves the incident response plan at `ifVersion` (0: there is none yet). Its file, if named, must be in this
    /// organization's evidence vault; a link must be http(s).
    public func savePlan(_ d: PlanDraft, ifVersion: Int) async throws -> PlanRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let title = try Self.text(d.title, "title", required: true, limit: Self.maxName)
        let version = try Self.text(d.planVersion, "planVersion", required: true, limit: 50)
        let location = try Self.text(d.location, "location")
        if !location.isEmpty, !Self.isWebAddress(location, allowHTTP: true) { throw ReadinessError.badAddress(field: "location", value: location) }
        var sha: String?
        if let h = d.evidenceSHA256.map(Self.trimmed), !h.isEmpty {
            guard let e = try await env.evidence.record(organizationID: scope.organizationID, sha256: h) else {
                throw ReadinessError.unknownEvidence(h)
            }
            sha = e.sha256
        }
        if location.isEmpty, sha == nil { throw ReadinessError.empty(field: "location") }
        let approvedBy = try Self.text(d.approvedBy, "approvedBy", required: true, limit: Self.maxName)
        let approvedOn = Self.trimmed(d.approvedOn).isEmpty ? nil : try Self.day(d.approvedOn, "approvedOn").description
        let reviewed = try Self.day(d.lastReviewedOn, "lastReviewedOn")
        let months = d.reviewMonths ?? ReadinessRules.defaultReviewMonths, file = sha
        guard ReadinessRules.reviewMonths.contains(months) else { throw ReadinessError.badReviewMonths(months) }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.plan(on: s)
            let r = PlanRecord(organizationId: scope.organizationID, id: before?.id ?? UUID().uuidString.lowercased(), title: title,
                               planVersion: version, location: location, evidenceSha256: file, approvedBy: approvedBy,
                               approvedOn: approvedOn, lastReviewedOn: reviewed.description, reviewMonths: months,
                               updatedBy: scope.actor.id, updatedAt: stamp, version: ifVersion + 1)
            try await store.putPlan(r, expectedVersion: ifVersion, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessPlanSaved, "readiness/plan", before: before, after: r), on: s)
            return r
        }
    }

    /// Stores the plan's file in the organization's evidence vault (`EvidenceUseCases.upload`, sealed and audited as
    /// any evidence) after the need-to-know check; `savePlan` then names it by its SHA-256.
    public func uploadPlanFile(_ data: Data, filename: String, contentType: String) async throws -> EvidenceRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        return try await EvidenceUseCases(env, scope).upload(data, filename: filename, contentType: contentType)
    }

    public func deletePlan() async throws {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.deletePlan(on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessPlanDeleted, "readiness/plan", before: before), on: s)
        }
    }

    // MARK: contacts

    func contact(_ d: ContactDraft) throws -> (ContactRole, [String]) {
        let raw = Self.trimmed(d.role)
        guard let role = ContactRole(rawValue: raw) else { throw ReadinessError.unknownRole(raw) }
        let name = try Self.text(d.name, "name", required: true, limit: Self.maxName)
        let affiliation = try Self.text(d.affiliation, "affiliation", limit: Self.maxName)
        let purpose = try Self.text(d.purpose, "purpose")
        let phone = try Self.text(d.phone, "phone", limit: 50)
        let email = try Self.text(d.email, "email", limit: 254)
        if !email.isEmpty, !Self.isEmail(email) { throw ReadinessError.badAddress(field: "email", value: email) }
        if phone.isEmpty, email.isEmpty { throw ReadinessError.empty(field: "phone") }
        return (role, [name, affiliation, purpose, phone, email])
    }

    /// Adds a line to the contact chart (at `position`, else after the last).
    public func addContact(_ d: ContactDraft) async throws -> ContactRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let (role, f) = try contact(d)
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let last = try await store.contacts(on: s).map(\.position).max() ?? 0
            let position = d.position ?? last + 1
            guard position >= 1 else { throw ReadinessError.empty(field: "position") }
            let r = ContactRecord(id: UUID().uuidString.lowercased(), organizationId: scope.organizationID, position: position, role: role,
                                  name: f[0], affiliation: f[1], purpose: f[2], phone: f[3], email: f[4], createdBy: scope.actor.id, at: stamp)
            try await store.insertContact(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessContactAdded, "readiness/contact/\(r.id)", after: r), on: s)
            return r
        }
    }

    public func updateContact(id: String, _ d: ContactDraft, ifVersion: Int) async throws -> ContactRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let (role, f) = try contact(d)
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.contact(id: id, on: s)
            var r = before
            r.position = d.position ?? before.position
            guard r.position >= 1 else { throw ReadinessError.empty(field: "position") }
            r.role = role.rawValue
            (r.name, r.affiliation, r.purpose, r.phone, r.email) = (f[0], f[1], f[2], f[3], f[4])
            r.updatedAt = stamp
            r.version = before.version + 1
            try await store.updateContact(r, expectedVersion: ifVersion, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessContactUpdated, "readiness/contact/\(id)", before: before, after: r), on: s)
            return r
        }
    }

    public func deleteContact(id: String) async throws {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.contact(id: id, on: s)
            try await store.deleteContact(id: id, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessContactDeleted, "readiness/contact/\(id)", before: before), on: s)
        }
    }

    // MARK: channels (organization configuration)

    /// Configures the DoD reporting channel (its name and address, e.g. the DC3 portal's current URL — never in
    /// code) and the MOD reporting contact, at `ifVersion` (0: none yet). Owners and administrators only.
    public func saveChannels(_ d: ChannelDraft, ifVersion: Int) async throws -> ChannelRecord {
        guard scope.role.allows(.manageIncidents) else { throw IncidentUseCaseError.notAllowed(.manageIncidents) }
        let name = try Self.text(d.dodChannelName, "dodChannelName", limit: Self.maxName)
        let address = try Self.text(d.dodChannelAddress, "dodChannelAddress")
        if !address.isEmpty, !(Self.isWebAddress(address) || Self.isEmail(address)) {
            throw ReadinessError.badAddress(field: "dodChannelAddress", value: address)
        }
        let modName = try Self.text(d.modContactName, "modContactName", limit: Self.maxName)
        let modPhone = try Self.text(d.modContactPhone, "modContactPhone", limit: 50)
        let modEmail = try Self.text(d.modContactEmail, "modContactEmail", limit: 254)
        if !modEmail.isEmpty, !Self.isEmail(modEmail) { throw ReadinessError.badAddress(field: "modContactEmail", value: modEmail) }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.channels(on: s)
            let r = ChannelRecord(organizationId: scope.organizationID, dodChannelName: name, dodChannelAddress: address,
                                  modContactName: modName, modContactPhone: modPhone, modContactEmail: modEmail,
                                  updatedBy: scope.actor.id, updatedAt: stamp, version: ifVersion + 1)
            try await store.putChannels(r, expectedVersion: ifVersion, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .readinessChannelsSaved, "readiness/channels", before: before, after: r), on: s)
            return r
        }
    }
}

/// Everything the readiness panel and its JSON show, judged on the organization's today.
public struct ReadinessOverview: Sendable, Hashable {
    public let today: Day
    public let checklist: [ReadinessItem]
    public let certificates: [CertificateRecord]
    /// Holders with a certificate valid today.
    public let validHolders: Int
    public let plan: PlanRecord?
    public let nextReview: Day?
    public let contacts: [ContactRecord]
    public let channels: ChannelRecord?
    /// The caller may change certificates, the plan and contacts.
    public let canManage: Bool
    /// The caller may configure the channels (owners and administrators).
    public let canConfigure: Bool

    public var ready: Bool { checklist.allSatisfy { $0.severity == .notice } }
}

/// The reads of reporting readiness, behind the incidents' need-to-know check (`.readIncidents`).
public struct ReadinessQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// The configured reporting channels (the DoD channel's name and address, the MOD contact), nil when none: what
    /// a report draft names as its channel instead of an address in code.
    public func channels() async throws -> ChannelRecord? {
        try await IncidentAccess.require(.readIncidents, env, scope)
        return try await ReadinessStore(env.db, organizationID: scope.organizationID).channels()
    }

    /// One certificate entry (`NotFound` when this organization has none with that id).
    public func certificate(id: String) async throws -> CertificateRecord {
        try await IncidentAccess.require(.readIncidents, env, scope)
        return try await ReadinessStore(env.db, organizationID: scope.organizationID).certificate(id: id)
    }

    public func overview() async throws -> ReadinessOverview {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let store = ReadinessStore(env.db, organizationID: scope.organizationID)
        let today = scope.calendar.today(env.clock)
        let facts = try await store.facts()
        let plan = try await store.plan()
        return ReadinessOverview(
            today: today, checklist: ReadinessRules.checklist(facts, today: today), certificates: try await store.certificates(),
            validHolders: Set(facts.certificates.filter { $0.isValid(on: today) }.map(\.holder)).count,
            plan: plan, nextReview: plan?.fact?.nextReview, contacts: try await store.contacts(), channels: try await store.channels(),
            canManage: try await IncidentAccess.canManage(env, scope), canConfigure: scope.role.allows(.manageIncidents))
    }
}
