import Foundation
import SQLKit
import TekigoCore
import TekigoOSCAL
import TekigoStore

/// Why a responsibility-matrix operation was refused, in both languages (`text`); `description` is the English.
public enum ResponsibilityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Viewers, contributors and external auditors read; owners, administrators and assessors import.
    case notAllowed
    case invalidRef(String)
    case unreadable(ResponsibilityMatrixError)
    case empty(field: String)
    case tooLong(field: String, limit: Int)
    case unknownAssessment(String)
    case unknownRequirement(String)
    case noMatrix(String)
    /// The service's matrix says nothing of the provider's side for this objective.
    case notOffered(objective: String, service: String)
    case badStatus(String)
    /// Text holding U+0000, which cannot be stored (PostgreSQL refuses it) and is never meaningful.
    case nulCharacter(field: String)

    public var field: String? {
        switch self {
        case .invalidRef, .noMatrix: return "service"
        case .unreadable: return "file"
        case .empty(let f), .tooLong(let f, _): return f
        case .unknownAssessment: return "assessment"
        case .unknownRequirement: return "requirement"
        case .notOffered: return "objectives"
        case .badStatus: return "status"
        case .nulCharacter(let f): return f
        case .notAllowed: return nil
        }
    }

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .notAllowed:
            return LocalizedText(en: "Only owners, administrators and assessors import responsibility matrices and confirm inheritance; ask one of them.",
                                 ja: "責任マトリクスの取込みと継承の確認は所有者・管理者・評価者のみが行えます。いずれかの方に依頼してください。")
        case .invalidRef(let t):
            return LocalizedText(en: "service: '\(t)' does not name a cloud service: write fedramp:<package id> (e.g. fedramp:FR1704369518), ismap:<registration number> or other:<name>.",
                                 ja: "service: 「\(t)」はクラウドサービスの指定として読めません。fedramp:<パッケージ ID>（例 fedramp:FR1704369518）、ismap:<登録番号>、other:<名称> のいずれかで書いてください。")
        case .unreadable(let e):
            return e.message
        case .empty(let f):
            return LocalizedText(en: "\(f): required.", ja: "\(f): 必須です。")
        case .tooLong(let f, let n):
            return LocalizedText(en: "\(f): at most \(n) characters.", ja: "\(f): \(n) 文字以内で入力してください。")
        case .unknownAssessment(let id):
            return LocalizedText(en: "No assessment \(id) in this organization.", ja: "この組織に評価 \(id) はありません。")
        case .unknownRequirement(let id):
            return LocalizedText(en: "The assessment's catalog has no requirement \(id).", ja: "この評価のカタログに要件 \(id) はありません。")
        case .noMatrix(let ref):
            return LocalizedText(en: "No responsibility matrix has been imported for \(ref): import the provider's matrix first.",
                                 ja: "\(ref) の責任マトリクスはまだ取り込まれていません。先に事業者のマトリクスを取り込んでください。")
        case .notOffered(let o, let ref):
            return LocalizedText(en: "\(ref)'s matrix does not give any part of objective \(o) to the provider: nothing to confirm.",
                                 ja: "\(ref) のマトリクスでは目的 \(o) のどの部分も事業者の責任ではないため、確認するものがありません。")
        case .nulCharacter(let f):
            return LocalizedText(en: "\(f): the text holds the NUL character (U+0000); remove it and try again.",
                                 ja: "\(f): NUL 文字（U+0000）が含まれています。取り除いてからもう一度入力してください。")
        case .badStatus(let s):
            return LocalizedText(en: "status: choose met, not-met, not-applicable or not-assessed ('\(s)' is none of them); inheritance never sets it by itself.",
                                 ja: "status: met / not-met / not-applicable / not-assessed から選んでください（「\(s)」はいずれでもありません）。継承だけで状態が決まることはありません。")
        }
    }
}

/// What one import did.
public struct ResponsibilityImportResult: Sendable, Hashable {
    public let record: ResponsibilityMatrixRecord
    public let matrix: ResponsibilityMatrix
}

/// For the objective editor: what one service's matrix means for one requirement of an assessment.
public struct ObjectiveInheritanceOffer: Sendable, Hashable {
    public let serviceRef: String
    public let serviceName: String
    public let evidenceReference: String
    public let importedOn: String
    public let responsibility: RequirementResponsibility
    /// The evidence entry a confirmation adds to each finding (`EvidenceRef.location`).
    public let evidenceLocation: String
    /// Objectives already confirmed from this service, with the status then chosen.
    public let confirmed: [String: String]
    /// What the matrix says of each mapped control it covers (the provider's words), in the requirement's control order.
    public let statements: [ResponsibilityEntry]

    public var inheritance: RequirementInheritance { responsibility.inheritance }
}

/// A stored matrix with how many of its controls fall on each side (the service's page, the API's list).
public struct ResponsibilityMatrixSummary: Sendable, Hashable {
    public let record: ResponsibilityMatrixRecord
    /// Controls per responsibility, every case present (0 when none).
    public let counts: [ControlResponsibility: Int]

    public init(record: ResponsibilityMatrixRecord, entries: [ResponsibilityEntryRecord]) {
        self.record = record
        var counts = Dictionary(uniqueKeysWithValues: ControlResponsibility.allCases.map { ($0, 0) })
        for e in entries { if let r = ControlResponsibility(rawValue: e.responsibility) { counts[r, default: 0] += 1 } }
        self.counts = counts
    }
}

/// Responsibility matrices (issue 15 item 4): importing a provider's matrix for a service (atomic, audited), what an
/// assessment's requirement inherits or shares (the editor), and the person's confirmation, which writes the finding
/// through `AssessmentUseCases.putFinding` with the status the person chose and the provider's evidence reference
/// added once. Inheritance never sets a status by itself (the shape of `ExerciseUseCases.evidenceOffer` /
/// `confirmEvidence`).
public struct ResponsibilityUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public static let maxName = 200
    public static let maxReference = 1000
    public static let maxRationale = 4000

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: ResponsibilityStore { ResponsibilityStore(env.db, organizationID: scope.organizationID) }
    var today: Day { scope.calendar.today(env.clock) }

    func requireChange() throws(ResponsibilityError) {
        guard scope.role.allows(.manageSystems) else { throw .notAllowed }
    }

    static func ref(_ text: String) throws(ResponsibilityError) -> CloudServiceRef {
        do { return try CloudServiceRef(parsing: text) } catch { throw .invalidRef(text) }
    }

    static func text(_ s: String, _ field: String, limit: Int) throws(ResponsibilityError) -> String {
        guard !s.unicodeScalars.contains("\u{0}") else { throw .nulCharacter(field: field) }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count <= limit else { throw .tooLong(field: field, limit: limit) }
        return t
    }

    /// The file's name as kept: control characters (U+0000 among them) dropped, at most 255 characters, "matrix" when none.
    static func fileName(_ raw: String) -> String {
        let name = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
            .trimmingCharacters(in: .whitespaces)
        return String((name.isEmpty ? "matrix" : name).prefix(255))
    }

    /// Reads a matrix file: JSON (first non-blank byte `{`) as OSCAL, anything else as a CRM CSV.
    public static func read(_ data: Data) throws(ResponsibilityMatrixError) -> ResponsibilityMatrix {
        let first = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "{") ? try OSCALResponsibilityReader.read(data) : try ResponsibilityCSVReader.read(data)
    }

    // MARK: - Import

    /// Imports `data` as the matrix of `service` (a `CloudServiceRef`), replacing the earlier one whole in one
    /// transaction with `cloud.matrix-imported`; a file that cannot be read changes nothing. `name` defaults to the
    /// service's name among the organization's services, else the reference's value.
    public func importMatrix(_ data: Data, fileName: String, service: String, name: String = "",
                             evidenceReference: String) async throws -> ResponsibilityImportResult {
        try requireChange()
        let ref = try Self.ref(service)
        let evidence = try Self.text(evidenceReference, "evidenceReference", limit: Self.maxReference)
        guard !evidence.isEmpty else { throw ResponsibilityError.empty(field: "evidenceReference") }
        var serviceName = try Self.text(name, "name", limit: Self.maxName)
        if serviceName.isEmpty {
            serviceName = (try await CloudServiceStore(env.db, organizationID: scope.organizationID).service(ref: ref))?.name ?? ref.value
        }
        let matrix: ResponsibilityMatrix
        do { matrix = try Self.read(data) } catch { throw ResponsibilityError.unreadable(error) }
        // U+0000 cannot be stored: a file holding it (as a byte, or JSON's \u0000) is not the text a matrix is.
        let stored = matrix.entries.flatMap { [$0.control, $0.text, $0.source] } + matrix.warnings.flatMap { [$0.location, $0.message.en, $0.message.ja] }
            + matrix.leveragedAuthorizations.flatMap { [$0.title, $0.dateAuthorized ?? "", $0.partyUUID ?? ""] }
        guard !data.contains(0), !stored.contains(where: { $0.unicodeScalars.contains("\u{0}") }) else {
            throw ResponsibilityError.unreadable(.notText)
        }
        let record = ResponsibilityMatrixRecord(
            organizationId: scope.organizationID, serviceRef: ref, serviceName: serviceName, matrix: matrix, evidenceReference: evidence,
            fileName: Self.fileName(fileName), fileSha256: AuditLog.digest(data),
            importedBy: scope.actor.id, importedAt: Timestamp.string(env.clock.now()))
        let store = store, audit = env.audit, scope = scope
        try await env.db.transaction { s in
            let before = try await store.matrix(ref: ref, on: s)
            try await store.replace(record, entries: matrix.entries, on: s)
            _ = try await audit.append(CloudServiceUseCases.event(scope, .cloudMatrixImported, "cloud-matrix/\(ref)", before: before, after: record), on: s)
        }
        return ResponsibilityImportResult(record: record, matrix: matrix)
    }

    public func matrices() async throws -> [ResponsibilityMatrixRecord] { try await store.matrices() }

    public func entries(service: String) async throws -> [ResponsibilityEntryRecord] {
        try await store.entries(ref: try Self.ref(service))
    }

    /// Every matrix of the organization with its counts by responsibility, by service reference.
    public func summaries() async throws -> [ResponsibilityMatrixSummary] {
        var out: [ResponsibilityMatrixSummary] = []
        for m in try await store.matrices() {
            guard let ref = try? CloudServiceRef(parsing: m.serviceRef) else { continue }
            out.append(ResponsibilityMatrixSummary(record: m, entries: try await store.entries(ref: ref)))
        }
        return out
    }

    /// One service's matrix with its counts and its controls; nil when none was imported for it.
    public func matrix(service: String) async throws -> (summary: ResponsibilityMatrixSummary, entries: [ResponsibilityEntryRecord])? {
        let ref = try Self.ref(service)
        guard let m = try await store.matrix(ref: ref) else { return nil }
        let entries = try await store.entries(ref: ref)
        return (ResponsibilityMatrixSummary(record: m, entries: entries), entries)
    }

    // MARK: - The editor

    /// Every service whose matrix covers `requirement` of the assessment as inherited or shared, by service reference.
    public func offers(assessmentID: String, requirement: String) async throws -> [ObjectiveInheritanceOffer] {
        guard let assessment = try await scope.store.assessment(id: assessmentID) else { throw ResponsibilityError.unknownAssessment(assessmentID) }
        let catalog = try env.library.catalog(CatalogID(assessment.catalog))
        guard let entry = catalog[requirement] else { throw ResponsibilityError.unknownRequirement(requirement) }
        let confirmations = try await store.confirmations(assessmentID: assessmentID)
        var out: [ObjectiveInheritanceOffer] = []
        for m in try await store.matrices() {
            guard let ref = try? CloudServiceRef(parsing: m.serviceRef) else { continue }
            let entries = try await store.entries(ref: ref).compactMap(\.entry)
            let byControl = Dictionary(entries.map { ($0.control, $0.responsibility) }, uniquingKeysWith: { $0.combined(with: $1) })
            let single = Catalog(id: catalog.id, name: catalog.name, version: catalog.version, families: catalog.families, entries: [entry])
            guard let r = ResponsibilityMapping.requirements(byControl, catalog: single, crosswalk: env.library.crosswalk).first,
                  r.inheritance != .customer else { continue }
            let confirmed = Dictionary(confirmations.filter { $0.serviceRef == m.serviceRef && r.objectives.contains($0.objective) }
                .map { ($0.objective, $0.status) }, uniquingKeysWith: { a, _ in a })
            let covered = r.providerControls + r.sharedControls + r.customerControls
            let statements = covered.sortedByRequirement().compactMap { c in entries.first { $0.control == c } }
            out.append(ObjectiveInheritanceOffer(serviceRef: m.serviceRef, serviceName: m.serviceName, evidenceReference: m.evidenceReference,
                                                 importedOn: m.importedOn, responsibility: r,
                                                 evidenceLocation: Self.evidenceLocation(m), confirmed: confirmed, statements: statements))
        }
        return out
    }

    /// The evidence entry a confirmation adds: the provider, its reference and where its evidence is.
    static func evidenceLocation(_ m: ResponsibilityMatrixRecord) -> String {
        "\(m.serviceName) (\(m.serviceRef)): \(m.evidenceReference)"
    }

    /// The person confirms that `objectives` of `requirement` inherit from (or share with) `service`: each finding
    /// is written with `status` — the person's choice, never implied — and the provider's evidence reference added
    /// unless the finding lists it already; a non-blank `rationale` replaces the finding's, otherwise it and the
    /// assessor are kept. An objective the service's matrix does not offer is refused before anything is written.
    /// Everything — the findings (each at the version read: `versions[objective]`, else the one read here), the day's
    /// score point, the confirmations and `cloud.inheritance-confirmed` — is one transaction: a finding changed
    /// meanwhile is `VersionConflict` and nothing is written.
    public func confirm(assessmentID: String, requirement: String, service: String, objectives chosen: [String], status: String,
                        rationale: String = "", versions: [String: Int] = [:]) async throws -> [InheritanceConfirmationRecord] {
        guard scope.role.allows(.editFindings) else { throw ResponsibilityError.notAllowed }
        guard let findingStatus = FindingStatus(rawValue: status) else { throw ResponsibilityError.badStatus(status) }
        let ref = try Self.ref(service)
        let note = try Self.text(rationale, "rationale", limit: Self.maxRationale)
        let chosen = Array(Set(chosen.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard !chosen.isEmpty else { throw ResponsibilityError.empty(field: "objectives") }
        guard let offer = try await offers(assessmentID: assessmentID, requirement: requirement).first(where: { $0.serviceRef == ref.description }) else {
            if try await store.matrix(ref: ref) == nil { throw ResponsibilityError.noMatrix(ref.description) }
            throw ResponsibilityError.notOffered(objective: chosen[0], service: ref.description)
        }
        for o in chosen where !offer.responsibility.objectives.contains(o) {
            throw ResponsibilityError.notOffered(objective: o, service: ref.description)
        }
        let current = Dictionary(try await scope.store.findings(assessmentID: assessmentID).map { ($0.objective, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let stamp = Timestamp.string(env.clock.now()), today = today
        var writes: [(objective: String, finding: Finding, version: Int)] = []
        var records: [InheritanceConfirmationRecord] = []
        for o in chosen {
            let f = current[o]
            let refs = f.flatMap { try? JSONDecoder().decode([EvidenceRef].self, from: Data($0.evidence.utf8)) } ?? []
            let evidence = refs.contains { $0.location == offer.evidenceLocation } ? refs : refs + [EvidenceRef(location: offer.evidenceLocation, date: today)]
            writes.append((o, Finding(status: findingStatus, rationale: note.isEmpty ? (f?.rationale ?? "") : note, evidence: evidence,
                                      assessedBy: f?.assessedBy, assessedOn: today), versions[o] ?? f?.version ?? 0))
            records.append(InheritanceConfirmationRecord(
                organizationId: scope.organizationID, assessmentId: assessmentID, objective: o, serviceRef: ref.description,
                inheritance: offer.inheritance.rawValue, status: status, evidenceLocation: offer.evidenceLocation,
                confirmedBy: scope.actor.id, confirmedAt: stamp))
        }
        let store = store, findings = scope.store, audit = env.audit, scope = scope, written = records, planned = writes
        let assessments = AssessmentUseCases(env, scope)
        try await env.db.transaction { s in
            // The assessment's row first, as every change to an assessment takes its locks (`recordScore`).
            let locked = try await findings.lockedAssessment(id: assessmentID, on: s)
            var changesStatus = false
            for w in planned {
                let write = try await findings.putFinding(assessmentID: assessmentID, objective: w.objective, w.finding, ifVersion: w.version,
                                                          by: scope.actor, on: s)
                changesStatus = changesStatus || write.changesStatus
            }
            if changesStatus { try await assessments.recordScore(locked, on: s) }
            for r in written { try await store.putConfirmation(r, on: s) }
            _ = try await audit.append(CloudServiceUseCases.event(scope, .cloudInheritanceConfirmed,
                                                                  "cloud-matrix/\(ref)/assessment/\(assessmentID)", after: written), on: s)
        }
        return records
    }

    // MARK: - The SSP export

    /// The services with a confirmed inheritance in the assessment, for `OSCALExporter.export(..., leveraged:)`: each
    /// with the requirements whose objectives were confirmed, the date the matrix was imported as the authorization
    /// date unless the registry knows the FedRAMP authorization date.
    public func leveragedServices(assessmentID: String) async throws -> [OSCALLeveragedService] {
        guard let assessment = try await scope.store.assessment(id: assessmentID) else { throw ResponsibilityError.unknownAssessment(assessmentID) }
        let catalog = try env.library.catalog(CatalogID(assessment.catalog))
        let confirmations = try await store.confirmations(assessmentID: assessmentID)
        let matrices = Dictionary(try await store.matrices().map { ($0.serviceRef, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [OSCALLeveragedService] = []
        for (refText, group) in Dictionary(grouping: confirmations, by: \.serviceRef).sorted(by: { $0.key < $1.key }) {
            guard let m = matrices[refText] else { continue }
            var byRequirement: [String: (shared: Bool, objectives: [String])] = [:]
            for c in group {
                guard let entry = catalog.entries.first(where: { $0.assessmentObjectives.contains(c.objective) }) else { continue }
                var v = byRequirement[entry.id] ?? (false, [])
                v.shared = v.shared || c.inheritance == RequirementInheritance.shared.rawValue
                v.objectives.append(c.objective)
                byRequirement[entry.id] = v
            }
            // Requirements and their objectives in the catalog's order (SP 800-171A rev3 lists some objectives out
            // of letter order, so neither text order nor number order would do; one confirmation per objective).
            let requirements = catalog.entries.compactMap { e in
                byRequirement[e.id].map { v in
                    OSCALLeveragedService.Requirement(id: e.id, shared: v.shared, objectives: e.assessmentObjectives.filter(v.objectives.contains))
                }
            }
            out.append(OSCALLeveragedService(reference: refText, name: m.serviceName, dateAuthorized: m.importedOn,
                                             evidenceReference: m.evidenceReference, requirements: requirements))
        }
        return out
    }
}
