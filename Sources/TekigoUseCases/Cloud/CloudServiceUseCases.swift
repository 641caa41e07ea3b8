import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// A cloud service as a client enters it (text, as typed), checked by `CloudServiceUseCases`.
public struct CloudServiceDraft: Sendable, Hashable {
    /// `fedramp:<package id>`, `ismap:<registration number>` or `other:<name>`.
    public var ref: String
    /// How the organization calls it; empty: the reference's value.
    public var name: String
    /// `cui`, `protected` or `none`.
    public var information: String
    /// `dfars-7012`, `japan`; empty: those following from the information.
    public var regimes: [String]
    /// Ids of the organization's systems that use it.
    public var systems: [String]
    public var note: String

    public init(ref: String, name: String = "", information: String, regimes: [String] = [], systems: [String] = [], note: String = "") {
        self.ref = ref
        self.name = name
        self.information = information
        self.regimes = regimes
        self.systems = systems
        self.note = note
    }
}

/// An evaluation as a client enters it.
public struct CloudEvaluationDraft: Sendable, Hashable {
    /// `dfars-7012` or `japan`.
    public var regime: String
    /// `marketplace`, `equivalency` (DFARS 7012); `ismap`, `documented` (Japan).
    public var method: String
    /// The evaluator's decision (equivalency, documented); marketplace and ismap decisions follow from the registry.
    public var meets: Bool
    /// Equivalency: the rule set version to judge against; nil or empty: the current one (`EquivalencyRuleSet.current`).
    public var ruleSetVersion: String?
    /// Equivalency: where each document is, by `EquivalencyDocument` raw value.
    public var documents: [String: String]
    public var assessor: String
    public var assessorRecognized: Bool
    public var baselineAssessedPercent: Int
    /// YYYY-MM-DD or empty.
    public var lastAnnualAssessment: String
    /// Lines `ORIGIN SEVERITY YYYY-MM-DD label` (`OpenPOAMItem(line:)`).
    public var openPOAMItems: [String]
    public var rationale: String
    /// Evidence references (an evidence file's SHA-256, a link, a document id).
    public var evidence: [String]
    /// Who evaluated; empty: the person recording it.
    public var evaluatedBy: String
    /// YYYY-MM-DD; empty: the organization's today.
    public var evaluatedOn: String

    public init(regime: String, method: String, meets: Bool = false, ruleSetVersion: String? = nil, documents: [String: String] = [:],
                assessor: String = "", assessorRecognized: Bool = false, baselineAssessedPercent: Int = 0, lastAnnualAssessment: String = "",
                openPOAMItems: [String] = [], rationale: String = "", evidence: [String] = [], evaluatedBy: String = "", evaluatedOn: String = "") {
        self.regime = regime
        self.method = method
        self.meets = meets
        self.ruleSetVersion = ruleSetVersion
        self.documents = documents
        self.assessor = assessor
        self.assessorRecognized = assessorRecognized
        self.baselineAssessedPercent = baselineAssessedPercent
        self.lastAnnualAssessment = lastAnnualAssessment
        self.openPOAMItems = openPOAMItems
        self.rationale = rationale
        self.evidence = evidence
        self.evaluatedBy = evaluatedBy
        self.evaluatedOn = evaluatedOn
    }
}

/// One (c)–(g) commitment as a client enters it.
public struct CloudCommitmentDraft: Sendable, Hashable {
    /// `CloudCommitmentKind` raw value (`c-incident-reporting` … `g-damage-assessment`).
    public var kind: String
    public var committed: Bool
    /// The contract evidence (clause, link or evidence SHA-256).
    public var evidence: String

    public init(kind: String, committed: Bool, evidence: String) {
        self.kind = kind
        self.committed = committed
        self.evidence = evidence
    }
}

/// Every change to the cloud services an organization uses (issue 15 item 3): add, edit, remove a service, record an
/// evaluation, set the provider's (c)–(g) commitments. Owners, administrators and assessors change
/// (`.manageSystems`); every other member reads. Each change is one transaction with its typed audit entry
/// (`cloud.service-*`) at the injected clock's now. The rules are `CloudServiceRules` and `EquivalencyRuleSet`'s.
public struct CloudServiceUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public static let maxName = 200
    public static let maxText = 2000

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: CloudServiceStore { CloudServiceStore(env.db, organizationID: scope.organizationID) }

    func requireChange() throws {
        guard scope.role.allows(.manageSystems) else { throw CloudServiceError.notAllowed }
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func text(_ s: String, _ field: String, required: Bool = false, limit: Int = maxText) throws -> String {
        let t = trimmed(s)
        if required, t.isEmpty { throw CloudServiceError.empty(field: field) }
        guard t.count <= limit else { throw CloudServiceError.tooLong(field: field, limit: limit) }
        return t
    }

    static func event(_ scope: TenantScope, _ action: AuditAction, _ object: String, before: (any Encodable)? = nil,
                      after: (any Encodable)? = nil) -> AuditEvent {
        func digest(_ v: any Encodable) -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            return AuditLog.digest((try? e.encode(v)) ?? Data())
        }
        return AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID, sourceIP: scope.actor.sourceIP, action: action,
                          object: object, beforeDigest: before.map(digest), afterDigest: after.map(digest))
    }

    struct Checked {
        let ref: CloudServiceRef
        let name: String
        let information: CloudInformation
        let regimes: [CloudRegime]
        let systems: [String]
        let note: String
    }

    func check(_ d: CloudServiceDraft) async throws -> Checked {
        let refText = Self.trimmed(d.ref)
        let ref: CloudServiceRef
        do { ref = try CloudServiceRef(parsing: refText) } catch { throw CloudServiceError.invalidRef(refText) }
        var name = try Self.text(d.name, "name", limit: Self.maxName)
        if name.isEmpty { name = ref.value }
        let info = Self.trimmed(d.information)
        guard let information = CloudInformation(rawValue: info) else {
            throw CloudServiceError.unknownValue(field: "information", value: info, allowed: CloudInformation.allCases.map(\.rawValue))
        }
        var regimes: [CloudRegime] = []
        for r in d.regimes.map(Self.trimmed).filter({ !$0.isEmpty }) {
            guard let regime = CloudRegime(rawValue: r) else {
                throw CloudServiceError.unknownValue(field: "regimes", value: r, allowed: CloudRegime.allCases.map(\.rawValue))
            }
            if !regimes.contains(regime) { regimes.append(regime) }
        }
        let known = Set(try await scope.store.systems().map(\.id))
        let systems = d.systems.map(Self.trimmed).filter { !$0.isEmpty }
        for s in systems where !known.contains(s) { throw CloudServiceError.unknownSystem(s) }
        return Checked(ref: ref, name: name, information: information, regimes: regimes, systems: Array(Set(systems)).sorted(),
                       note: try Self.text(d.note, "note"))
    }

    /// Adds a service the organization uses, with the systems using it and what it holds.
    public func add(_ d: CloudServiceDraft) async throws -> CloudServiceRecord {
        try requireChange()
        let c = try await check(d)
        let stamp = Timestamp.string(env.clock.now())
        let r = CloudServiceRecord(id: UUID().uuidString.lowercased(), organizationId: scope.organizationID, ref: c.ref, name: c.name,
                                   information: c.information, regimes: c.regimes, note: c.note, createdBy: scope.actor.id, at: stamp)
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            if let existing = try await store.service(ref: c.ref, on: s) {
                throw CloudServiceError.duplicate(ref: c.ref.description, existingID: existing.id)
            }
            try await store.insert(r, systems: c.systems, on: s)
            _ = try await audit.append(Self.event(scope, .cloudServiceAdded, "cloud-service/\(r.id)", after: r), on: s)
        }
        return r
    }

    /// Changes a service at `ifVersion`: its reference, name, information, regimes, systems and note.
    public func update(id: String, _ d: CloudServiceDraft, ifVersion: Int) async throws -> CloudServiceRecord {
        try requireChange()
        let c = try await check(d)
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            let before = try await store.service(id: id, on: s)
            if let other = try await store.service(ref: c.ref, on: s), other.id != id {
                throw CloudServiceError.duplicate(ref: c.ref.description, existingID: other.id)
            }
            guard before.version == ifVersion else { throw CloudServiceError.staleVersion(current: before.version) }
            var r = before
            r.ref = c.ref.description
            r.name = c.name
            r.information = c.information.rawValue
            r.chosenRegimes = c.regimes
            r.note = c.note
            r.updatedAt = stamp
            r.version = before.version + 1
            try await store.update(r, expectedVersion: ifVersion, systems: c.systems, on: s)
            _ = try await audit.append(Self.event(scope, .cloudServiceUpdated, "cloud-service/\(id)", before: before, after: r), on: s)
            return r
        }
    }

    /// Removes a service with its evaluations and commitments.
    public func remove(id: String) async throws {
        try requireChange()
        let store = store, scope = scope, audit = env.audit
        try await env.db.transaction { s in
            let before = try await store.service(id: id, on: s)
            try await store.delete(id: id, on: s)
            _ = try await audit.append(Self.event(scope, .cloudServiceRemoved, "cloud-service/\(id)", before: before), on: s)
        }
    }

    /// Records an evaluation (append-only). Marketplace and ISMAP decisions follow from the registry on the day (its
    /// status and impact level are stored with the decision); an equivalency is judged against the rule set version
    /// named (default the current one), which the record keeps; a documented evaluation needs its rationale.
    public func recordEvaluation(serviceID: String, _ d: CloudEvaluationDraft) async throws -> CloudServiceEvaluationRecord {
        try requireChange()
        let regimeText = Self.trimmed(d.regime), methodText = Self.trimmed(d.method)
        guard let regime = CloudRegime(rawValue: regimeText) else {
            throw CloudServiceError.unknownValue(field: "regime", value: regimeText, allowed: CloudRegime.allCases.map(\.rawValue))
        }
        guard let method = CloudEvaluationMethod(rawValue: methodText) else {
            throw CloudServiceError.unknownValue(field: "method", value: methodText, allowed: CloudEvaluationMethod.allCases.map(\.rawValue))
        }
        let fits: Bool
        switch (regime, method) {
        case (.dfars7012, .marketplace), (.dfars7012, .equivalency), (.japan, .ismap), (.japan, .documented): fits = true
        default: fits = false
        }
        guard fits else { throw CloudServiceError.methodNotForRegime(method: method.rawValue, regime: regime.rawValue) }
        let today = scope.calendar.today(env.clock)
        let evaluatedOn: Day
        if Self.trimmed(d.evaluatedOn).isEmpty { evaluatedOn = today } else {
            guard let day = Day(Self.trimmed(d.evaluatedOn)) else { throw CloudServiceError.badDate(field: "evaluatedOn", value: d.evaluatedOn) }
            evaluatedOn = day
        }
        let rationale = try Self.text(d.rationale, "rationale", required: method == .documented)
        let evidence = try d.evidence.map { try Self.text($0, "evidence", limit: Self.maxName) }.filter { !$0.isEmpty }
        var evaluatedBy = try Self.text(d.evaluatedBy, "evaluatedBy", limit: Self.maxName)
        if evaluatedBy.isEmpty { evaluatedBy = scope.actor.id }
        var ruleSet: String?, checklist: EquivalencyChecklist?
        if method == .equivalency {
            let id = Self.trimmed(d.ruleSetVersion ?? "")
            let rules = id.isEmpty ? EquivalencyRuleSet.current : EquivalencyRuleSet.version(id)
            guard let rules else { throw CloudServiceError.unknownRuleSet(id) }
            ruleSet = rules.id
            var documents: [EquivalencyDocument: String] = [:]
            for (k, v) in d.documents {
                guard let doc = EquivalencyDocument(rawValue: Self.trimmed(k)) else {
                    throw CloudServiceError.unknownValue(field: "documents", value: k, allowed: EquivalencyDocument.allCases.map(\.rawValue))
                }
                let ref = try Self.text(v, "documents.\(doc.rawValue)", limit: Self.maxName)
                if !ref.isEmpty { documents[doc] = ref }
            }
            guard (0...100).contains(d.baselineAssessedPercent) else { throw CloudServiceError.badPercent(d.baselineAssessedPercent) }
            var last: Day?
            if !Self.trimmed(d.lastAnnualAssessment).isEmpty {
                guard let day = Day(Self.trimmed(d.lastAnnualAssessment)) else {
                    throw CloudServiceError.badDate(field: "lastAnnualAssessment", value: d.lastAnnualAssessment)
                }
                last = day
            }
            var items: [OpenPOAMItem] = []
            for line in d.openPOAMItems.map(Self.trimmed).filter({ !$0.isEmpty }) {
                guard let item = OpenPOAMItem(line: line) else { throw CloudServiceError.badPOAMLine(line) }
                items.append(item)
            }
            checklist = EquivalencyChecklist(documents: documents, assessor: try Self.text(d.assessor, "assessor", limit: Self.maxName),
                                             assessorRecognized: d.assessorRecognized, baselineAssessedPercent: d.baselineAssessedPercent,
                                             lastAnnualAssessment: last, openPOAMItems: items)
        }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit, meetsAsEntered = d.meets
        let ruleSetID = ruleSet, checked = checklist, evaluator = evaluatedBy
        return try await env.db.transaction { s in
            let service = try await store.service(id: serviceID, on: s)
            let registry = try await store.registry(service.serviceRef, on: s)
            var meets = meetsAsEntered, status: String?, level: String?
            switch method {
            case .marketplace:
                guard case .fedramp(let st, let lv, _) = registry.standing else {
                    throw CloudServiceError.unknownValue(field: "method", value: "marketplace", allowed: ["equivalency"])
                }
                (status, level) = (st, lv)
                meets = FedRAMPProduct.isAuthorizedModerateOrAbove(status: st, impactLevel: lv)
            case .ismap:
                guard case .ismap(let liu, let from, let through) = registry.standing else {
                    throw CloudServiceError.unknownValue(field: "method", value: "ismap", allowed: ["documented"])
                }
                status = liu ? "ISMAP-LIU" : "ISMAP"
                level = through.description
                meets = CloudServiceRules.ismapStands(lowImpactUse: liu, validFrom: from, validThrough: through,
                                                      information: service.informationKind, on: evaluatedOn)
            case .equivalency, .documented: break
            }
            let r = CloudServiceEvaluationRecord(
                id: UUID().uuidString.lowercased(), serviceId: service.id, organizationId: scope.organizationID, regime: regime, method: method,
                meets: meets, ruleSetVersion: ruleSetID, checklist: checked, registryStatus: status, registryImpactLevel: level,
                rationale: rationale, evidence: evidence, evaluatedBy: evaluator, evaluatedOn: evaluatedOn, recordedBy: scope.actor.id,
                recordedAt: stamp)
            try await store.insertEvaluation(r, on: s)
            _ = try await audit.append(Self.event(scope, .cloudServiceEvaluated, "cloud-service/\(service.id)/evaluation/\(r.id)", after: r), on: s)
            return r
        }
    }

    /// Sets the provider's (c)–(g) commitments at `ifVersion` (0: none yet); a kind left out is recorded as not
    /// committed.
    public func setCommitments(serviceID: String, _ drafts: [CloudCommitmentDraft], ifVersion: Int) async throws -> CloudCommitmentsRecord {
        try requireChange()
        var byKind: [CloudCommitmentKind: CloudCommitment] = [:]
        for d in drafts {
            let k = Self.trimmed(d.kind)
            guard let kind = CloudCommitmentKind(rawValue: k) else {
                throw CloudServiceError.unknownValue(field: "kind", value: k, allowed: CloudCommitmentKind.allCases.map(\.rawValue))
            }
            byKind[kind] = CloudCommitment(kind: kind, committed: d.committed,
                                           evidence: try Self.text(d.evidence, "evidence.\(kind.rawValue)", limit: Self.maxName))
        }
        let values = CloudCommitmentKind.allCases.map { byKind[$0] ?? CloudCommitment(kind: $0, committed: false, evidence: "") }
        let stamp = Timestamp.string(env.clock.now())
        let store = store, scope = scope, audit = env.audit
        return try await env.db.transaction { s in
            _ = try await store.service(id: serviceID, on: s)
            let before = try await store.commitments(serviceID: serviceID, on: s)
            guard (before?.version ?? 0) == ifVersion else { throw CloudServiceError.staleVersion(current: before?.version ?? 0) }
            let r = CloudCommitmentsRecord(serviceId: serviceID, organizationId: scope.organizationID, commitments: values,
                                           updatedBy: scope.actor.id, updatedAt: stamp, version: ifVersion + 1)
            try await store.putCommitments(r, expectedVersion: ifVersion, on: s)
            _ = try await audit.append(Self.event(scope, .cloudServiceCommitmentsSet, "cloud-service/\(serviceID)/commitments", before: before, after: r), on: s)
            return r
        }
    }
}
