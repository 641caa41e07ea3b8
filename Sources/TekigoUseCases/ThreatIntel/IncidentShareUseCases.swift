import Foundation
import SQLKit
import TekigoCore
import TekigoSTIX
import TekigoStore

/// What to share from an incident (the share page's ticks, the API's body, the command line's options).
public struct IncidentShareChoice: Sendable, Hashable, Codable {
    /// A collection the organization may write (`IncidentShareUseCases.targets()`).
    public var collectionID: String
    /// TLP 2.0: clear, green, amber, amber+strict, red.
    public var tlp: String
    public var includeNarrative: Bool
    public var includeContracts: Bool
    public var includeReportNumbers: Bool
    /// The organization's name and the incident's own title (off: withheld).
    public var includeNames: Bool
    /// Mark everything CUI.
    public var markCUI: Bool
    /// Ids of the incident's observables to share.
    public var observableIDs: [String]

    public init(collectionID: String, tlp: String, includeNarrative: Bool = false, includeContracts: Bool = false,
                includeReportNumbers: Bool = false, includeNames: Bool = false, markCUI: Bool = false, observableIDs: [String] = []) {
        self.collectionID = collectionID
        self.tlp = tlp
        self.includeNarrative = includeNarrative
        self.includeContracts = includeContracts
        self.includeReportNumbers = includeReportNumbers
        self.includeNames = includeNames
        self.markCUI = markCUI
        self.observableIDs = observableIDs
    }
}

/// A collection the organization may publish into, with its community and whether that community is an authority for
/// the organization (an ISAC, or a supply-chain community administered by one of its customers up the chain).
public struct IncidentShareTarget: Sendable, Hashable {
    public let communityID: String
    public let communitySlug: String
    public let communityName: String
    public let communityKind: SharingCommunityKind
    public let collectionID: String
    public let collectionTitle: String
    public let authority: Bool
}

/// What a share would send, before anything is written: the exact bundle, a line per object, and the digest and
/// instant that publishing must be given back.
public struct IncidentSharePreview: Sendable, Hashable {
    public let incidentID: String
    public let target: IncidentShareTarget
    public let choice: IncidentShareChoice
    /// The instant the bundle is versioned at (STIX timestamp text); publishing recomputes with it.
    public let preparedAt: String
    /// The bundle exactly as it would leave (JSON, sorted keys).
    public let json: String
    /// SHA-256 hex of `json`'s bytes.
    public let digest: String
    public let lines: [STIXIncidentShare.Line]
    public let objectCount: Int
}

/// What a share to an authority offers as evidence in one assessment, objective by objective (rev2 3.6.2[c] and [e]
/// — authorities identified and notified — or rev3 A.03.06.02.c, incident information reported to the authorities);
/// nothing is written until `confirmEvidence`.
public struct IncidentShareEvidenceOffer: Sendable, Hashable {
    /// An objective the evidence would be added to, with the finding as it stands.
    public typealias Item = OfferedEvidenceItem

    public let share: IncidentShareRecord
    public let assessment: AssessmentRecord
    public let items: [Item]
}

/// Sharing from an incident (issue 14 item 5), each operation after the incidents' need-to-know check
/// (`Role.allowsIncidents`): observables recorded on an incident (`incident.observable-added` / `-deleted`), the
/// preview of the sanitized bundle, its publish into a community's collection and the 3.6.2 evidence offer.
///
/// Publishing goes through `ThreatIntelUseCases.add` as the signed-in person (`TAXIICaller`), so every TLP / CUI
/// publishing rule of `SharingPolicy` applies; it recomputes the bundle with the preview's instant and refuses when its
/// digest differs from the one previewed: exactly what was previewed leaves, or nothing. The share is recorded with
/// `incident.shared` in a transaction right after the add's own (`ThreatIntelUseCases.add` opens its transaction);
/// should that second one fail, the objects are in the collection without the incident's record of them, and
/// publishing the same preview again stores nothing new (the add is idempotent on id and version) and records it.
public struct IncidentShareUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public static let maxObservables = 500
    public static let maxNote = 2000
    /// How long a preview may be published.
    public static let previewMinutes = 60
    /// The objectives a share to an authority offers, per catalog, as SP 800-171A labels them: rev2 3.6.2[c] (the
    /// authorities incidents are reported to are identified) and 3.6.2[e] (they are notified); rev3 (SP 800-171A r3)
    /// A.03.06.02.c (incident information is reported to the authorities the organization defined). The one list: the
    /// pages offer an assessment only when its catalog is a key here.
    public static let evidenceObjectives: [CatalogID: [String]] = [.sp800171r2: ["3.6.2[c]", "3.6.2[e]"],
                                                                   .sp800171r3: ["A.03.06.02.c"]]

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: IncidentShareStore { IncidentShareStore(env.db, organizationID: scope.organizationID) }
    var intel: ThreatIntelStore { ThreatIntelStore(env.db) }

    /// The signed-in person as a TAXII caller (the person behind an API token for a token).
    func caller() async throws -> TAXIICaller {
        let person = try await IncidentStore(env.db, organizationID: scope.organizationID).userID(ofActor: scope.actor.id) ?? scope.actor.id
        return TAXIICaller(organizationID: scope.organizationID, personID: person, role: scope.role, readOnly: false, actor: scope.actor)
    }

    func incidentExists(_ id: String) async throws {
        _ = try await IncidentStore(env.db, organizationID: scope.organizationID).existing(id: id)
    }

    // MARK: observables

    /// The incident's observables (need-to-know to read incidents).
    public func observables(incidentID: String) async throws -> [IncidentObservableRecord] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        try await incidentExists(incidentID)
        return try await store.observables(incidentID: incidentID)
    }

    /// Records an observable, its kind detected from the value; the same kind and value twice is kept once (the
    /// existing record is returned).
    public func addObservable(incidentID: String, value: String, note: String = "") async throws -> IncidentObservableRecord {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        try await incidentExists(incidentID)
        guard let (kind, kept) = STIXObservableKind.detect(value) else {
            throw IncidentShareError.unrecognizedValue(String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)))
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= Self.maxNote else { throw IncidentShareError.noteTooLong(limit: Self.maxNote) }
        let existing = try await store.observables(incidentID: incidentID)
        if let same = existing.first(where: { $0.kind == kind.rawValue && $0.value == kept }) { return same }
        guard existing.count < Self.maxObservables else { throw IncidentShareError.tooManyObservables(limit: Self.maxObservables) }
        let r = IncidentObservableRecord(id: UUID().uuidString.lowercased(), organizationID: scope.organizationID, incidentID: incidentID,
                                         kind: kind.rawValue, value: kept, note: note, addedBy: scope.actor.id,
                                         addedAt: Timestamp.string(env.clock.now()))
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            _ = try await store.addObservable(r, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentObservableAdded, "incident/\(incidentID)/observable/\(r.id)", after: r), on: s)
        }
        return r
    }

    public func deleteObservable(incidentID: String, observableID: String) async throws {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        try await incidentExists(incidentID)
        guard let r = try await store.observables(incidentID: incidentID).first(where: { $0.id == observableID }) else {
            throw IncidentShareError.unknownObservable(observableID)
        }
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            _ = try await store.deleteObservable(id: observableID, incidentID: incidentID, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentObservableDeleted, "incident/\(incidentID)/observable/\(observableID)",
                                                            before: r), on: s)
        }
    }

    // MARK: where to

    /// The collections the organization may add to, with their communities, and whether each is an authority.
    public func targets() async throws -> [IncidentShareTarget] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let org = scope.organizationID
        let ancestors = try await RelationshipStore(env.db, organizationID: org).graph().ancestors(of: org)
        var out: [IncidentShareTarget] = []
        for m in try await intel.communities(forOrganization: org) {
            let authority: Bool
            switch m.community.kind {
            case .isac: authority = true
            case .supplyChain:
                authority = try await intel.members(of: m.community.id).contains { $0.role == .administrator && ancestors.contains($0.organizationID) }
            }
            for g in try await intel.collections(in: m.community.id, for: org) where g.canWrite {
                out.append(IncidentShareTarget(communityID: m.community.id.rawValue, communitySlug: m.community.slug,
                                               communityName: m.community.name, communityKind: m.community.kind,
                                               collectionID: g.collection.id.rawValue, collectionTitle: g.collection.title,
                                               authority: authority))
            }
        }
        return out
    }

    func target(_ collectionID: String) async throws -> IncidentShareTarget {
        guard let t = try await targets().first(where: { $0.collectionID == collectionID.trimmingCharacters(in: .whitespaces) }) else {
            throw IncidentShareError.unknownCollection(collectionID)
        }
        return t
    }

    // MARK: preview and publish

    /// The bundle the choice would send, at `preparedAt` (now when nil). Writes nothing but the incident read's audit
    /// entry (`incident.exported`, as every read of an incident's details is audited).
    public func preview(incidentID: String, choice: IncidentShareChoice, preparedAt: String? = nil) async throws -> IncidentSharePreview {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard let tlp = TLPMarking(rawValue: choice.tlp.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw IncidentShareError.unknownTLP(choice.tlp)
        }
        let target = try await target(choice.collectionID)
        let at: STIXTimestamp
        if let preparedAt {
            let now = STIXTimestamp(env.clock.now())
            guard let t = STIXTimestamp(preparedAt), t <= now,
                  now.date.timeIntervalSince(t.date) <= TimeInterval(Self.previewMinutes * 60) else {
                throw IncidentShareError.stalePreview(maxMinutes: Self.previewMinutes)
            }
            at = t
        } else {
            at = STIXTimestamp(env.clock.now())
        }
        let all = try await store.observables(incidentID: incidentID)
        var chosen: [IncidentObservableRecord] = []
        for id in Array(Set(choice.observableIDs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted() {
            guard let r = all.first(where: { $0.id == id }) else { throw IncidentShareError.unknownObservable(id) }
            chosen.append(r)
        }
        let detail = try await IncidentQueries(env, scope).dossier(id: incidentID, for: .export(format: "stix-share"))
        let observables = chosen.compactMap { r -> STIXShareObservable? in
            guard let kind = STIXObservableKind(rawValue: r.kind) else { return nil }
            return STIXShareObservable(kind: kind, value: r.value, recordedAt: Timestamp.date(r.addedAt) ?? at.date)
        }
        let options = STIXIncidentShareOptions(
            export: STIXIncidentExportOptions(marking: tlp, includeNarrative: choice.includeNarrative, includeContracts: choice.includeContracts,
                                              includeReportNumbers: choice.includeReportNumbers),
            includeNames: choice.includeNames, markCUI: choice.markCUI, sharedAt: at.date)
        let share: STIXIncidentShare
        do {
            share = try STIXIncidentShareBuilder.share(detail.dossier, observables: observables, options: options)
        } catch {
            throw IncidentShareError.publishRefused(error.problem.text)
        }
        var normalized = choice
        normalized.tlp = tlp.rawValue
        normalized.collectionID = target.collectionID
        normalized.observableIDs = chosen.map(\.id)
        return IncidentSharePreview(incidentID: incidentID, target: target, choice: normalized, preparedAt: at.description,
                                    json: String(decoding: share.json, as: UTF8.self), digest: Hex.sha256(share.json),
                                    lines: share.lines, objectCount: share.bundle.objects.count)
    }

    /// Publishes exactly what was previewed: the bundle is recomputed at `preparedAt` and refused unless its digest is
    /// `digest`; then added to the collection through `ThreatIntelUseCases.add` (every publishing rule), and the share
    /// recorded with `incident.shared`.
    public func publish(incidentID: String, choice: IncidentShareChoice, preparedAt: String, digest: String) async throws -> IncidentShareRecord {
        let preview = try await preview(incidentID: incidentID, choice: choice, preparedAt: preparedAt)
        guard preview.digest == digest.trimmingCharacters(in: .whitespaces).lowercased() else { throw IncidentShareError.digestMismatch }
        let bundle = try JSONDecoder().decode(JSONValue.self, from: Data(preview.json.utf8))
        let envelope = try JSONValue.object(["objects": bundle.objectValue?["objects"] ?? .array([])]).encoded(pretty: false)
        let status: TAXIIStatusView
        do {
            status = try await ThreatIntelUseCases(env, try await caller()).add(root: preview.target.communitySlug,
                                                                                 collection: preview.target.collectionID, envelope: envelope)
        } catch let e as ThreatIntelError {
            throw IncidentShareError.publishRefused(e.text)
        }
        let c = preview.choice
        let included: [String: JSONValue] = [
            "narrative": .bool(c.includeNarrative), "contracts": .bool(c.includeContracts), "report_numbers": .bool(c.includeReportNumbers),
            "names": .bool(c.includeNames), "cui": .bool(c.markCUI), "observables": .array(c.observableIDs.map { .string($0) }),
            "prepared_at": .string(preview.preparedAt),
        ]
        let record = IncidentShareRecord(id: UUID().uuidString.lowercased(), organizationID: scope.organizationID, incidentID: incidentID,
                                         communityID: preview.target.communityID, collectionID: preview.target.collectionID, tlp: c.tlp,
                                         included: String(decoding: try JSONValue.object(included).encoded(pretty: false), as: UTF8.self),
                                         objectCount: preview.objectCount, bundleSHA256: preview.digest, statusID: status.id,
                                         authority: preview.target.authority, sharedBy: scope.actor.id,
                                         sharedAt: Timestamp.string(env.clock.now()))
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            try await store.insertShare(record, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentShared, "incident/\(incidentID)/share/\(record.id)", after: record), on: s)
        }
        return record
    }

    /// The incident's shares, newest first.
    public func shares(incidentID: String) async throws -> [IncidentShareRecord] {
        try await IncidentAccess.require(.readIncidents, env, scope)
        try await incidentExists(incidentID)
        return try await store.shares(incidentID: incidentID)
    }

    public func share(incidentID: String, shareID: String) async throws -> IncidentShareRecord {
        try await IncidentAccess.require(.readIncidents, env, scope)
        guard let r = try await store.share(id: shareID, incidentID: incidentID) else { throw IncidentShareError.unknownShare(shareID) }
        return r
    }

    // MARK: evidence (offered, then confirmed)

    /// The evidence text a share gives: the incident, where it went, at which TLP, when, the bundle's digest and where
    /// the incident's record is (`link`).
    static func evidenceText(_ r: IncidentShareRecord, community: String, link: String) -> String {
        "インシデント情報の共有 / Incident information shared: \(community), TLP:\(r.tlp.uppercased()), \(r.sharedAt), "
            + "bundle SHA-256 \(r.bundleSHA256) \(link)"
    }

    /// What the share would add to `assessmentID`'s findings (3.6.2's reporting objectives). Writes nothing. Only a
    /// share to an authority is offered.
    public func evidenceOffer(incidentID: String, shareID: String, assessmentID: String, link: String) async throws -> IncidentShareEvidenceOffer {
        try await IncidentAccess.require(.readIncidents, env, scope)
        let share = try await share(incidentID: incidentID, shareID: shareID)
        guard share.authority else { throw IncidentShareError.notAnAuthority }
        guard let assessment = try await scope.store.assessment(id: assessmentID) else { throw IncidentShareError.unknownAssessment(assessmentID) }
        let catalogID = CatalogID(assessment.catalog)
        guard let wanted = Self.evidenceObjectives[catalogID] else { throw IncidentShareError.unsupportedCatalog(assessment.catalog) }
        let catalog = try env.library.catalog(catalogID)
        let community = try await intel.community(id: SharingCommunityID(share.communityID))?.name ?? share.communityID
        let location = Self.evidenceText(share, community: community, link: link)
        let objectives = catalog.entries.flatMap { entry in
            entry.assessmentObjectives.filter(wanted.contains).map { (objective: $0, requirement: entry) }
        }
        let items = try await OfferedEvidence(env: env, scope: scope).items(assessmentID: assessmentID, objectives: objectives, location: location)
        return IncidentShareEvidenceOffer(share: share, assessment: assessment, items: items)
    }

    /// Adds the offered evidence to the objectives the user confirmed and no other, each through
    /// `AssessmentUseCases.putFinding` (its status and rationale kept, `finding.updated` each), then records them on the
    /// share with `incident.share-evidence-added`. Needs need-to-know and the right to edit findings.
    public func confirmEvidence(incidentID: String, shareID: String, assessmentID: String, objectives chosen: [String], link: String,
                                versions: [String: Int] = [:]) async throws -> [String] {
        try await IncidentAccess.require(.manageIncidents, env, scope)
        guard scope.role.allows(.editFindings) else { throw POAMError.notAllowed }
        let chosen = OfferedEvidence.chosen(chosen)
        guard !chosen.isEmpty else { throw IncidentShareError.nothingConfirmed }
        let offer = try await evidenceOffer(incidentID: incidentID, shareID: shareID, assessmentID: assessmentID, link: link)
        for o in chosen where !offer.items.contains(where: { $0.objective == o }) { throw IncidentShareError.objectiveNotOffered(o) }
        try await OfferedEvidence(env: env, scope: scope).add(offer.items.filter { chosen.contains($0.objective) }, assessmentID: assessmentID,
                                                              versions: versions)
        let objectivesJSON = String(decoding: try JSONEncoder().encode(chosen), as: UTF8.self)
        let store = store, scope = scope, audit = env.audit, stamp = Timestamp.string(env.clock.now())
        try await env.db.transaction { s in
            try await store.setEvidence(shareID: shareID, assessmentID: assessmentID, objectives: objectivesJSON, by: scope.actor.id, at: stamp, on: s)
            _ = try await audit.append(IncidentAccess.event(scope, .incidentShareEvidenceAdded, "incident/\(incidentID)/share/\(shareID)/evidence/\(assessmentID)",
                                                            after: chosen), on: s)
        }
        return chosen
    }
}
