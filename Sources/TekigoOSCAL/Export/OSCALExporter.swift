import Foundation
import TekigoCore

/// Why an assessment cannot be written as OSCAL.
public enum OSCALExportError: Error, Equatable, CustomStringConvertible {
    /// The document has no OSCAL model (the SPRS summary).
    case noOSCALModel(ExportDocument)
    /// OSCAL requires at least one `poam-item`, and the assessment has none.
    case noPOAMItems(system: String)

    public var description: String {
        switch self {
        case .noOSCALModel(.sprs):
            return "The SPRS summary has no OSCAL model (OSCAL has no document for an SPRS submission). Export it "
                + "as md, html, csv or xlsx instead; the OSCAL assessment results carry the SPRS score as a property."
        case .noOSCALModel(let document):
            return "The '\(document.rawValue)' document has no OSCAL model. Export it as md, html, csv or xlsx instead."
        case .noPOAMItems(let system):
            return "'\(system)' has no plan-of-action items, and an OSCAL POA&M must have at least one poam-item. "
                + "Nothing needs a POA&M when every requirement counts as met; export the SSP or the assessment "
                + "results instead, or add POA&M items to the assessment."
        }
    }
}

/// Writes an assessment as OSCAL 1.1.3 JSON: system security plan, POA&M or assessment results.
///
/// The output is deterministic: the same report, `generatedAt` and seed give the same bytes (sorted keys,
/// name-based UUIDs, no wall-clock values besides `generatedAt`), so two exports diff cleanly.
///
/// Choices worth knowing:
/// - `.sprs` throws `OSCALExportError.noOSCALModel`: OSCAL has no model for an SPRS summary, and a
///   results document holding only a score would be misleading. The results carry the score as a prop.
/// - Control ids are those of the catalog's OSCAL form: rev2 `r2-3.1.1` (the OSCAL conversion of rev2 with
///   800-171A, objectives `r2-3.1.1.a_obj`), rev3 `SP_800_171_03.01.01` (objectives
///   `assessment-objective_DS-A.03.01.01.a.01`), SP 800-53 `ac-2.3`, CSF 2.0 and custom catalogs their own ids.
/// - Tekigo-specific props use the namespace `https://tekigo.dev/ns/oscal`.
public enum OSCALExporter {
    public static let oscalVersion = "1.1.3"
    /// Namespace of Tekigo's own props.
    public static let namespace = "https://tekigo.dev/ns/oscal"

    /// - Parameters:
    ///   - generatedAt: becomes `metadata.last-modified` (RFC 3339, UTC) and part of the document UUID, so each
    ///     export is a new revision of the document while everything in it keeps its UUID.
    ///   - uuidSeed: names the system for UUIDs; nil uses the organization and system names. What describes the
    ///     system (system id, parties, components, information types, implemented requirements, POA&M items and
    ///     risks) keeps its UUIDs across assessments, as OSCAL asks of per-subject UUIDs; what belongs to one
    ///     assessment (result, findings, observations) also depends on the assessment date.
    ///   - importProfileHref: the SSP's `import-profile` href. Nil points it at a back-matter resource naming the
    ///     catalog (`#uuid`), the form NIST's examples use. compliance-trestle 5.2 cannot resolve that form (see
    ///     `Builder.importProfile`); for trestle pass a reference it resolves, e.g.
    ///     `trestle://catalogs/NAME/catalog.json` after `trestle import`ing the catalog into the workspace.
    ///   - leveraged: the SSP's leveraged authorizations and what each provides (issue 15; `OSCALLeveragedParts`).
    public static func export(_ document: ExportDocument, report: AssessmentReport, generatedAt: Date = Date(),
                              uuidSeed: String? = nil, importProfileHref: String? = nil,
                              leveraged: [OSCALLeveragedService] = []) throws -> Data {
        if let reason = unavailable(document, report: report) { throw reason }
        var b = Builder(report: report, lastModified: ExportText.timestamp(generatedAt), seed: uuidSeed,
                        importProfileHref: importProfileHref)
        b.leveraged = leveraged
        switch document {
        case .ssp: return try encode(b.systemSecurityPlan())
        case .poam: return try encode(try b.planOfActionAndMilestones())
        case .results: return try encode(b.assessmentResults())
        case .sprs: throw OSCALExportError.noOSCALModel(.sprs)  // refused above; kept for the switch's sake
        }
    }

    /// Why `document` cannot be written as OSCAL for this report, or nil when it can: the SPRS summary has no OSCAL
    /// model, and an OSCAL POA&M needs at least one item. Callers that offer exports (the web page) ask this first.
    public static func unavailable(_ document: ExportDocument, report: AssessmentReport) -> OSCALExportError? {
        switch document {
        case .sprs: return .noOSCALModel(.sprs)
        case .poam: return report.poam.isEmpty ? .noPOAMItems(system: systemName(of: report.assessment)) : nil
        case .ssp, .results: return nil
        }
    }

    static func systemName(of a: Assessment) -> String { ExportText.line(a.system.name) ?? "Unnamed system" }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

// MARK: - Name-based UUIDs

/// Deterministic UUIDs without a crypto dependency.
///
/// FNV-1a with the 128-bit parameters (offset basis 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 0x13B)
/// hashes the UTF-8 bytes of `tekigo:<seed>:<kind>:<key>`. FNV-1a alone barely changes the middle bits when only
/// the last bytes differ (`3.1.1[a]` vs `3.1.1[b]`), which gives look-alike UUIDs, so a finalizer mixes both
/// 64-bit halves with MurmurHash3's fmix64. Every step (xor a byte, multiply by an odd prime, fmix64, xor one half
/// into the other) is a bijection on the 128-bit state. The result is shaped as a version 4 UUID (version nibble
/// 4, variant bits 10), the form OSCAL's `uuid` pattern accepts besides version 5; version 5 would need SHA-1.
/// Not a security hash: it only has to be stable across runs and platforms, and collision-free in practice for a
/// few thousand names. Changing it changes every exported UUID.
enum NameBasedUUID {
    static func fnv1a128(_ bytes: some Sequence<UInt8>) -> (hi: UInt64, lo: UInt64) {
        var hi: UInt64 = 0x6c62_272e_07bb_0142
        var lo: UInt64 = 0x62b8_2175_6295_c58d
        for byte in bytes {
            lo ^= UInt64(byte)
            // (hi·2^64 + lo) · (2^88 + 0x13B) mod 2^128
            let (carry, low) = lo.multipliedFullWidth(by: 0x13B)
            hi = hi &* 0x13B &+ carry &+ (lo << 24)
            lo = low
        }
        return (hi, lo)
    }

    static func fmix64(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    static func make(_ name: String) -> String {
        var (hi, lo) = fnv1a128(name.utf8)
        hi = fmix64(hi)
        lo = fmix64(lo ^ hi)
        hi ^= lo
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: hi >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: lo >> UInt64(shift))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
            .joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

// MARK: - OSCAL ids of Tekigo's catalogs

/// Maps Tekigo ids to the ids the catalogs' OSCAL files use.
enum OSCALIDs {
    static func controlID(_ e: CatalogEntry) -> String {
        switch e.catalog {
        case .sp800171r2: return "r2-" + e.id
        case .sp800171r3: return "SP_800_171_" + e.id
        case .sp80053r5:
            // AC-2(3) -> ac-2.3
            return e.id.lowercased().replacingOccurrences(of: "(", with: ".").replacingOccurrences(of: ")", with: "")
        default: return token(e.id)
        }
    }

    /// The objective's part id in the catalog's OSCAL file.
    static func objectiveID(_ objective: String, of e: CatalogEntry) -> String {
        switch e.catalog {
        case .sp800171r2:
            // 3.1.1[a] -> r2-3.1.1.a_obj; a requirement assessed as a whole (3.13.11) -> r2-3.13.11_obj
            if objective == e.id { return "r2-\(e.id)_obj" }
            return "r2-" + objective.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "") + "_obj"
        case .sp800171r3:
            if objective.hasPrefix("A.") { return "assessment-objective_DS-" + objective }
            return controlID(e) + "_obj"
        default:
            return objective == e.id ? controlID(e) + "_obj" : token(objective)
        }
    }

    /// What a requirement-level finding targets: rev2 has an objective part for the whole requirement
    /// (`r2-3.1.1_obj`); the others have only their statement parts.
    static func requirementTarget(_ e: CatalogEntry) -> (type: String, id: String) {
        switch e.catalog {
        case .sp800171r2: return ("objective-id", "r2-\(e.id)_obj")
        case .sp800171r3: return ("statement-id", "statement_\(e.id)")
        case .csf2: return ("statement-id", "\(e.id)_statement")
        default: return ("statement-id", controlID(e) + "_smt")
        }
    }

    /// An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`): other characters become `_`.
    static func token(_ s: String) -> String {
        var out = String(s.map { $0.isLetter || $0.isNumber || ".-_".contains($0) ? $0 : "_" })
        if let first = out.first, !(first.isLetter || first == "_") { out = "_" + out }
        return out.isEmpty ? "_" : out
    }

    /// The catalog as a back-matter resource: what the SSP's control ids refer to.
    static func catalogResource(_ c: Catalog, uuid: String) -> OSCALResource {
        let raw = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/"
        func doi(_ d: String) -> OSCALLink { OSCALLink(href: "https://doi.org/" + d, rel: "reference", text: nil) }
        var rlinks: [OSCALResourceLink]?
        var citation: OSCALCitation?
        var description: String
        switch c.id {
        case .sp800171r2:
            description = "Requirement ids follow the OSCAL conversion of SP 800-171 Revision 2 with the SP 800-171A "
                + "assessment objectives (controls r2-3.1.1, objectives r2-3.1.1.a_obj). NIST publishes no OSCAL "
                + "catalog for Revision 2."
            citation = OSCALCitation(text: "NIST SP 800-171 Rev. 2", links: [doi("10.6028/NIST.SP.800-171r2")])
        case .sp800171r3:
            description = "NIST's OSCAL catalog of SP 800-171 Revision 3 with the SP 800-171A Revision 3 assessment "
                + "objectives (controls SP_800_171_03.01.01)."
            rlinks = [OSCALResourceLink(href: raw + "SP800-171/rev3/json/NIST_SP800-171_rev3_catalog.json",
                                        mediaType: "application/oscal.catalog+json")]
            citation = OSCALCitation(text: "NIST SP 800-171 Rev. 3", links: [doi("10.6028/NIST.SP.800-171r3")])
        case .sp80053r5:
            description = "NIST's OSCAL catalog of SP 800-53 Revision 5."
            rlinks = [OSCALResourceLink(href: raw + "SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json",
                                        mediaType: "application/oscal.catalog+json")]
            citation = OSCALCitation(text: "NIST SP 800-53 Rev. 5", links: [doi("10.6028/NIST.SP.800-53r5")])
        case .csf2:
            description = "NIST's OSCAL catalog of the Cybersecurity Framework 2.0."
            rlinks = [OSCALResourceLink(href: raw + "CSF/v2.0/json/NIST_CSF_v2.0_catalog.json",
                                        mediaType: "application/oscal.catalog+json")]
            citation = OSCALCitation(text: "NIST Cybersecurity Framework (CSF) 2.0", links: [doi("10.6028/NIST.CSWP.29")])
        default:
            description = "Custom catalog '\(c.id.rawValue)', imported into Tekigo from an OSCAL catalog; control ids "
                + "are the catalog's own."
        }
        if let version = ExportText.line(c.version) { description += " Version: \(version)." }
        return OSCALResource(uuid: uuid, title: ExportText.line(c.name.en) ?? c.id.rawValue,
                             description: description,
                             props: [ExportText.prop("catalog", c.id.rawValue)].compactMap { $0 },
                             citation: citation, rlinks: rlinks)
    }
}

// MARK: - Text helpers

enum ExportText {
    /// One line, whitespace collapsed; nil when nothing is left (OSCAL strings may not be empty or padded).
    static func line(_ s: String) -> String? {
        let words = s.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// Multi-line prose, trimmed; nil when empty.
    static func prose(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// A Tekigo prop, or nil when the value is empty.
    static func prop(_ name: String, _ value: String?) -> OSCALProperty? {
        guard let value, let v = line(value) else { return nil }
        return OSCALProperty(name: name, value: v, ns: OSCALExporter.namespace)
    }

    static func nonEmpty<T>(_ a: [T]) -> [T]? { a.isEmpty ? nil : a }

    /// RFC 3339 in UTC, whole seconds.
    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(style)
    }

    static func timestamp(_ day: Day) -> String { "\(day)T00:00:00Z" }

    /// A URI reference: characters outside RFC 3986's sets are percent-encoded as UTF-8.
    static func uriReference(_ s: String) -> String? {
        guard let t = line(s) else { return nil }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        var out = ""
        for b in t.utf8 {
            if allowed.contains(b) { out.append(Character(Unicode.Scalar(b))) } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Ends the text with a full stop unless it already ends with punctuation.
    static func sentence(_ s: String) -> String {
        guard let last = s.last, !".!?。！？".contains(last) else { return s }
        return s + "."
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

// MARK: - Building the documents

private struct Builder {
    let report: AssessmentReport
    let lastModified: String
    let seed: String
    let importProfileHref: String?
    var leveraged: [OSCALLeveragedService] = []

    init(report: AssessmentReport, lastModified: String, seed: String?, importProfileHref: String?) {
        self.report = report
        self.lastModified = lastModified
        self.seed = seed ?? "\(report.assessment.organization.name)|\(report.assessment.system.name)"
        self.importProfileHref = importProfileHref
    }

    var a: Assessment { report.assessment }
    var catalog: Catalog { report.catalog }
    var systemName: String { OSCALExporter.systemName(of: a) }
    var organizationName: String { ExportText.line(a.organization.name) ?? "Unnamed organization" }

    /// A UUID for something that describes the system: stable across assessments.
    func uuid(_ kind: String, _ key: String) -> String { NameBasedUUID.make("tekigo:\(seed):\(kind):\(key)") }
    /// A UUID for something that belongs to this assessment.
    func assessmentUUID(_ kind: String, _ key: String) -> String { uuid(kind, "\(a.date):\(key)") }
    /// Keys of catalog entries, unique across catalogs.
    func entryKey(_ id: String) -> String { "\(catalog.id.rawValue):\(id)" }

    var systemUUID: String { uuid("system", "") }
    var organizationUUID: String { uuid("party", "organization") }
    var thisSystemUUID: String { uuid("component", "this-system") }
    var catalogResourceUUID: String { uuid("resource", "catalog:\(catalog.id.rawValue)") }

    /// Requirements as exported: withdrawn SP 800-53 controls are left out.
    var requirements: [SSPRequirement] { report.requirements.filter { !$0.entry.withdrawn } }

    // MARK: parties and metadata

    var organizationParty: OSCALParty {
        let o = a.organization
        // CAGE codes, SAM UEI and the 法人番号 (Japanese corporate number) have no OSCAL prop of their own.
        let props = o.cageCodes.compactMap { ExportText.prop("cage-code", $0) }
            + [ExportText.prop("uei", o.uei), ExportText.prop("corporate-number", o.corporateNumber)].compactMap { $0 }
        return OSCALParty(uuid: organizationUUID, type: "organization", name: organizationName,
                          props: ExportText.nonEmpty(props))
    }

    /// People who assessed: the assessment's assessor and everyone named on a finding, by name.
    var assessorNames: [String] {
        var names = Set<String>()
        if let n = ExportText.line(a.assessor) { names.insert(n) }
        for f in a.findings.values { if let n = f.assessedBy.flatMap(ExportText.line) { names.insert(n) } }
        return names.sorted()
    }

    func assessorUUID(_ name: String) -> String { uuid("party", "person:\(name)") }

    func metadata(title: String, assessors: Bool) -> OSCALDocumentMetadata {
        var roles = [OSCALRole(id: "system-owner", title: "System Owner",
                               description: "The organization that owns the system and its plan.")]
        var parties = [organizationParty]
        var responsible = [OSCALResponsibleParty(roleID: "system-owner", partyUUIDs: [organizationUUID])]
        if assessors, !assessorNames.isEmpty {
            roles.append(OSCALRole(id: "assessor", title: "Assessor"))
            parties += assessorNames.map { OSCALParty(uuid: assessorUUID($0), type: "person", name: $0) }
            responsible.append(OSCALResponsibleParty(roleID: "assessor", partyUUIDs: assessorNames.map(assessorUUID)))
        }
        return OSCALDocumentMetadata(
            title: ExportText.line(title) ?? title, lastModified: lastModified, version: "\(a.date)",
            oscalVersion: OSCALExporter.oscalVersion,
            props: [ExportText.prop("catalog", catalog.id.rawValue), ExportText.prop("generator", "Tekigo")].compactMap { $0 },
            roles: roles, parties: parties, responsibleParties: responsible)
    }

    var systemID: OSCALSystemID { OSCALSystemID(identifierType: "https://ietf.org/rfc/rfc4122", id: systemUUID) }

    // MARK: statuses

    func credit(_ requirement: String) -> SPRSCredit? { report.sprs?.credits.first { $0.requirement == requirement } }

    func deductedPoints(_ requirement: String) -> Int? {
        let points = report.sprs?.deductions.filter { $0.requirement == requirement }.map(\.points) ?? []
        return points.isEmpty ? nil : points.reduce(0, +)
    }

    /// OSCAL's implementation states are implemented, partial, planned, alternative and not-applicable; there is
    /// no "not implemented". A requirement that is not met is `partial` when some of it is in place (an objective
    /// met, or the methodology's partial cases: MFA for remote and privileged users only, encryption that is not
    /// FIPS-validated) and `planned` when nothing is: the POA&M carries the plan (its `requirement-status` prop
    /// still says not-met). Requirements the methodology scores as implemented though not met are
    /// `not-applicable` when the capability is not permitted and `alternative` for enduring exceptions and DoD CIO
    /// adjudications; a temporary deficiency is `partial`. A requirement not yet assessed gets no state.
    func implementationState(_ r: SSPRequirement) -> String? {
        switch r.status {
        case .met: return "implemented"
        case .notApplicable: return "not-applicable"
        case .notAssessed: return nil
        case .notMet:
            switch credit(r.entry.id)?.reason {
            case .notPermitted: return "not-applicable"
            case .exception(.enduringException), .exception(.cioAdjudicated): return "alternative"
            case .exception(.temporaryDeficiency): return "partial"
            case nil: break
            }
            let someMet = r.objectives.contains { $0.finding.map { $0.status == .met || $0.status == .notApplicable } ?? false }
            let partialCase = r.answer.mfa == .remoteAndPrivilegedOnly || r.answer.encryption == .notFIPSValidated
            return someMet || partialCase ? "partial" : "planned"
        }
    }

    func creditRemark(_ requirement: String) -> String? {
        guard let c = credit(requirement) else { return nil }
        var text = "Scored as implemented: \(c.reason.text(.en))."
        if case .exception = c.reason, let note = a.answer(for: requirement).exceptionNote.flatMap(ExportText.prose) {
            text += " " + note
        }
        return text
    }

    func notMetObjectives(_ r: SSPRequirement) -> [String] {
        r.objectives.filter { $0.finding?.status == .notMet }.map(\.id)
    }

    /// A statement in English when the assessment has none.
    func generatedStatement(_ r: SSPRequirement) -> String {
        let n = r.objectives.count
        let unmet = notMetObjectives(r)
        let unanswered = r.objectives.filter { $0.finding == nil || $0.finding?.status == .notAssessed }.count
        switch r.status {
        case .met:
            return "Implemented in \(systemName): "
                + (n == 1 ? "its assessment objective was" : "all \(n) assessment objectives were")
                + " found met or not applicable on \(a.date)."
        case .notApplicable:
            return "Not applicable to \(systemName): every assessment objective was found not applicable on \(a.date)."
        case .notAssessed:
            return "Not yet assessed: \(unanswered) of \(ExportText.plural(n, "assessment objective")) have no finding."
        case .notMet:
            return "Not fully implemented in \(systemName): \(unmet.count) of \(ExportText.plural(n, "assessment objective")) "
                + "not met (\(unmet.joined(separator: ", ")))."
                + (r.poam != nil ? " The POA&M has an item for it." : "")
        }
    }

    // MARK: system security plan

    func systemSecurityPlan() -> OSCALSSPDocument {
        let s = a.system
        var components = [OSCALSystemComponent(
            uuid: thisSystemUUID, type: "this-system", title: systemName,
            description: systemName + (ExportText.prose(s.environment).map { ". Environment: " + ExportText.sentence($0) } ?? "."),
            status: OSCALState(state: "operational"))]
        var seen: [String: Int] = [:]
        for c in s.components {
            let name = ExportText.line(c.name) ?? "Component"
            seen[name, default: 0] += 1
            let key = seen[name]! == 1 ? name : "\(name)#\(seen[name]!)"
            components.append(OSCALSystemComponent(
                uuid: uuid("component", "named:" + key), type: Self.componentType(c.type), title: name,
                description: ExportText.prose(c.description)
                    ?? "A component (\(ExportText.line(c.type) ?? "type not given")) inside the boundary of \(systemName).",
                props: [ExportText.prop("asset-type", c.type)].compactMap { $0 }.nilIfEmpty,
                status: OSCALState(state: "operational")))
        }

        var infoNames: [String] = []
        for t in s.informationTypes { if let n = ExportText.line(t), !infoNames.contains(n) { infoNames.append(n) } }
        if infoNames.isEmpty { infoNames = ["Controlled Unclassified Information"] }
        // CUI is protected at no less than moderate confidentiality (32 CFR 2002.14(c)); SP 800-171 addresses
        // confidentiality only, so integrity and availability impacts are left to the system owner. No
        // categorization: Tekigo does not know each type's SP 800-60 or CUI Registry identifier.
        let informationTypes = infoNames.map { name in
            OSCALInformationType(
                uuid: uuid("information-type", name), title: name,
                description: "Information \(systemName) stores, processes or transmits: \(name).",
                confidentialityImpact: OSCALImpact(base: "fips-199-moderate"))
        }

        let characteristics = OSCALSystemCharacteristics(
            systemIDs: [systemID], systemName: systemName,
            description: "\(systemName), operated by \(organizationName)."
                + (ExportText.prose(s.environment).map { " Environment: " + ExportText.sentence($0) } ?? ""),
            props: [s.userCount > 0 ? ExportText.prop("user-count", String(s.userCount)) : nil].compactMap { $0 }.nilIfEmpty,
            securitySensitivityLevel: "moderate",
            systemInformation: OSCALSystemInformation(informationTypes: informationTypes),
            status: OSCALState(state: "operational"),
            authorizationBoundary: OSCALDescribed(
                description: ExportText.prose(s.boundary) ?? "The boundary of \(systemName) has not been described yet."))

        let users = [OSCALSystemUser(
            uuid: uuid("user", "authorized-users"), title: "Authorized users",
            description: s.userCount > 0 ? "People with access to \(systemName): \(s.userCount) in total."
                : "People with access to \(systemName).",
            roleIDs: ["authorized-user"])]

        let leveragedParts = OSCALLeveragedParts.make(leveraged, uuid: uuid)
        components += leveragedParts.components
        let implemented = requirements.map { r -> OSCALImplementedRequirement in
            let state = implementationState(r)
            let statement = ExportText.prose(r.implementation) ?? generatedStatement(r)
            let props = [ExportText.prop("implementation-status", state), ExportText.prop("requirement-status", r.status.rawValue),
                         ExportText.prop("cmmc-id", r.entry.cmmcId)].compactMap { $0 }
            return OSCALImplementedRequirement(
                uuid: uuid("implemented-requirement", entryKey(r.entry.id)), controlID: OSCALIDs.controlID(r.entry),
                props: ExportText.nonEmpty(props),
                byComponents: [OSCALByComponent(
                    componentUUID: thisSystemUUID, uuid: uuid("by-component", "this-system:" + entryKey(r.entry.id)),
                    description: statement,
                    implementationStatus: state.map { OSCALState(state: $0, remarks: creditRemark(r.entry.id)) })]
                    + (leveragedParts.byComponents[r.entry.id] ?? []))
        }

        var metadata = metadata(title: "System Security Plan — \(systemName)", assessors: false)
        metadata.roles?.append(OSCALRole(id: "authorized-user", title: "Authorized User"))
        metadata.parties = (metadata.parties ?? []) + leveragedParts.parties
        return OSCALSSPDocument(systemSecurityPlan: OSCALSystemSecurityPlan(
            uuid: uuid("document", "ssp:\(lastModified)"),
            metadata: metadata,
            importProfile: importProfile,
            systemCharacteristics: characteristics,
            systemImplementation: OSCALSystemImplementation(
                leveragedAuthorizations: leveragedParts.authorizations.isEmpty ? nil : leveragedParts.authorizations,
                users: users, components: components),
            controlImplementation: OSCALControlImplementation(
                description: "How \(systemName) meets each requirement of \(catalog.name.en), "
                    + "from the \(a.kind.label.en) of \(a.date). Where the assessment has no implementation "
                    + "statement, Tekigo wrote one from the findings.",
                implementedRequirements: implemented),
            backMatter: OSCALBackMatter(resources: [OSCALIDs.catalogResource(catalog, uuid: catalogResourceUUID)])))
    }

    /// Tekigo writes no OSCAL profile: the baseline is the whole catalog. By default the href points at a
    /// back-matter resource naming the catalog (with an rlink to NIST's OSCAL file where NIST publishes one), the
    /// pattern of NIST's own SSP examples, and check-jsonschema accepts it.
    ///
    /// What compliance-trestle 5.2.0 (OSCAL 1.2.1 models) does, found by experiment: `trestle import -f ssp.json`
    /// runs every validator before writing, and its rule-parameters validator resolves `import-profile` at import
    /// time (`ProfileResolver.get_resolved_profile_catalog`). It accepts a catalog there as well as a profile, and
    /// resolves local paths (relative to the workspace root), https URLs and `trestle://` workspace paths. A
    /// `#uuid` href always fails ("Back matter resource resolution needed for profile import failed"): trestle
    /// does not hand the SSP's back matter to the resolver. So an SSP meant for trestle needs `importProfileHref`,
    /// e.g. `trestle://catalogs/sp800-171r2/catalog.json` after importing the catalog. POA&M `import-ssp` and
    /// assessment-results `import-ap` are not resolved by trestle's import.
    var importProfile: OSCALImportProfile {
        if let href = importProfileHref {
            return OSCALImportProfile(href: href, remarks: "The baseline is every requirement of \(catalog.name.en).")
        }
        return OSCALImportProfile(
            href: "#\(catalogResourceUUID)",
            remarks: "Tekigo writes no OSCAL profile: the baseline is every requirement of \(catalog.name.en), "
                + "named by the back-matter resource.")
    }

    static func componentType(_ raw: String) -> String {
        let t = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let oscal: Set<String> = ["this-system", "system", "interconnection", "software", "hardware", "service", "policy",
                                  "physical", "process-procedure", "plan", "guidance", "standard", "validation", "network"]
        if oscal.contains(t) { return t }
        switch t {
        case "server", "workstation", "laptop", "desktop", "pc", "device", "mobile", "printer", "appliance",
             "storage", "nas", "firewall", "machine", "cnc":
            return "hardware"
        case "router", "switch", "vpn", "wifi", "wi-fi", "lan", "wan": return "network"
        case "application", "app", "os", "database": return "software"
        case "cloud", "saas", "iaas", "paas": return "service"
        case "procedure", "process": return "process-procedure"
        default: return "system"
        }
    }

    // MARK: observations (POA&M and results)

    func observationUUID(_ objective: String) -> String { assessmentUUID("observation", entryKey(objective)) }

    func observation(_ objective: String, of e: CatalogEntry, _ f: Finding) -> OSCALObservation {
        let assessor = f.assessedBy.flatMap(ExportText.line) ?? ExportText.line(a.assessor)
        let evidence = f.evidence.map { ev -> OSCALRelevantEvidence in
            var parts = ["Evidence \(ExportText.line(ev.location) ?? "(no location)")"]
            if let sha = ev.sha256.flatMap(ExportText.line) { parts.append("SHA-256 \(sha)") }
            if let size = ev.size { parts.append("\(size) bytes") }
            if let date = ev.date { parts.append("dated \(date)") }
            return OSCALRelevantEvidence(
                href: ExportText.uriReference(ev.location), description: parts.joined(separator: "; ") + ".",
                props: [ExportText.prop("sha256", ev.sha256), ExportText.prop("size", ev.size.map { String($0) }),
                        ExportText.prop("evidence-date", ev.date?.description)].compactMap { $0 }.nilIfEmpty)
        }
        return OSCALObservation(
            uuid: observationUUID(objective), title: "\(objective): \(f.status.label.en)",
            description: ExportText.prose(f.rationale) ?? "Assessment objective \(objective) was found \(f.status.label.en.lowercased()).",
            props: [ExportText.prop("objective", objective), ExportText.prop("objective-id", OSCALIDs.objectiveID(objective, of: e)),
                    ExportText.prop("finding-status", f.status.rawValue)].compactMap { $0 },
            // Tekigo records no method per finding; its findings rest on examined evidence and statements.
            methods: ["EXAMINE"],
            types: ["control-objective"],
            origins: assessor.map { [OSCALOrigin(actors: [OSCALOriginActor(type: "party", actorUUID: assessorUUID($0),
                                                                            roleID: "assessor")])] },
            relevantEvidence: ExportText.nonEmpty(evidence),
            collected: ExportText.timestamp(f.assessedOn ?? a.date))
    }

    /// Observations for the objectives of a requirement that have the given statuses, in catalog order.
    func objectiveObservations(_ r: SSPRequirement, where keep: (FindingStatus) -> Bool) -> [OSCALObservation] {
        r.objectives.compactMap { o in
            guard let f = o.finding, f.status != .notAssessed, keep(f.status) else { return nil }
            return observation(o.id, of: r.entry, f)
        }
    }

    // MARK: plan of action and milestones

    func planOfActionAndMilestones() throws(OSCALExportError) -> OSCALPOAMDocument {
        let items = report.poam
        if items.isEmpty { throw .noPOAMItems(system: systemName) }
        let byID = Dictionary(requirements.map { ($0.entry.id, $0) }, uniquingKeysWith: { first, _ in first })
        let observations = requirements.flatMap { objectiveObservations($0, where: { $0 == .notMet }) }

        var risks: [OSCALRisk] = []
        var poamItems: [OSCALPOAMItem] = []
        var seen: [String: Int] = [:]
        for item in items {
            seen[item.requirement, default: 0] += 1
            let key = entryKey(seen[item.requirement]! == 1 ? item.requirement : "\(item.requirement)#\(seen[item.requirement]!)")
            let r = byID[item.requirement]
            let title = ExportText.line("\(item.requirement) \(r?.entry.title.en ?? "")") ?? item.requirement
            let related = (r.map { objectiveObservations($0, where: { $0 == .notMet }) } ?? [])
                .map { OSCALRelatedObservation(observationUUID: $0.uuid) }
            let weakness = ExportText.prose(item.weakness) ?? "Requirement \(item.requirement) is not met."
            let riskUUID = uuid("risk", key)

            var statement = "Requirement \(item.requirement) of \(catalog.name.en)"
            if let r, r.status == .notMet {
                statement += " is not met"
                let unmet = notMetObjectives(r)
                if !unmet.isEmpty { statement += " (objectives \(unmet.joined(separator: ", ")))" }
            } else if let r {
                statement += " is \(r.status.label.en.lowercased())"
            } else {
                statement += " is not in the catalog"
            }
            if let points = deductedPoints(item.requirement) { statement += "; it costs \(ExportText.plural(points, "SPRS point"))" }
            statement += "."

            let tasks = item.milestones.enumerated().map { i, m in
                OSCALTask(uuid: uuid("milestone", "\(key):\(i)"), type: "milestone",
                          title: ExportText.line(m.description) ?? "Milestone \(i + 1)",
                          props: [ExportText.prop("milestone-status", m.done ? "completed" : "open")].compactMap { $0 },
                          timing: OSCALTiming(onDate: OSCALOnDate(date: ExportText.timestamp(m.due))))
            }
            var plan = "Close the weakness in \(item.requirement)."
            if let owner = ExportText.line(item.owner) { plan += " Owner: \(owner)." }
            if let resources = ExportText.line(item.resources) { plan += " Resources: \(resources)." }
            let lifecycle = item.status == .completed ? "completed" : item.isPlanOfAction ? "planned" : "recommendation"
            risks.append(OSCALRisk(
                uuid: riskUUID, title: title, description: weakness, statement: statement,
                props: [ExportText.prop("requirement", item.requirement), ExportText.prop("poam-status", item.status.rawValue)]
                    .compactMap { $0 },
                status: Self.riskStatus(item.status),
                deadline: item.plannedCompletion.map(ExportText.timestamp),
                remediations: [OSCALResponse(
                    uuid: uuid("remediation", key), lifecycle: lifecycle,
                    title: "Plan of action for \(item.requirement)", description: plan,
                    tasks: ExportText.nonEmpty(tasks))],
                relatedObservations: ExportText.nonEmpty(related)))

            let props = [ExportText.prop("requirement", item.requirement), ExportText.prop("control-id", r.map { OSCALIDs.controlID($0.entry) }),
                         ExportText.prop("poam-status", item.status.rawValue), ExportText.prop("owner", item.owner),
                         ExportText.prop("resources", item.resources),
                         ExportText.prop("scheduled-completion", item.scheduledCompletion?.description),
                         ExportText.prop("completed-on", item.completedOn?.description)].compactMap { $0 }
            poamItems.append(OSCALPOAMItem(
                uuid: uuid("poam-item", key), title: title, description: weakness, props: props,
                relatedObservations: ExportText.nonEmpty(related), relatedRisks: [OSCALRelatedRisk(riskUUID: riskUUID)],
                remarks: item.isPlanOfAction ? nil
                    : "Draft: no completion date yet, so not a plan of action in the DoD Assessment Methodology's sense."))
        }

        return OSCALPOAMDocument(planOfActionAndMilestones: OSCALPlanOfActionAndMilestones(
            uuid: uuid("document", "poam:\(lastModified)"),
            metadata: metadata(title: "Plan of Action and Milestones — \(systemName)", assessors: true),
            systemID: systemID,
            observations: ExportText.nonEmpty(observations),
            risks: risks,
            poamItems: poamItems))
    }

    static func riskStatus(_ s: POAMStatus) -> String {
        switch s {
        case .open: return "open"
        case .inProgress: return "remediating"
        case .completed: return "closed"
        }
    }

    // MARK: assessment results

    func assessmentResults() -> OSCALAssessmentResultsDocument {
        let apUUID = assessmentUUID("resource", "assessment-plan")
        var observations: [OSCALObservation] = []
        var findings: [OSCALFinding] = []
        for r in requirements {
            // Every answered objective, not only the unmet ones: the met ones carry the evidence.
            let obs = objectiveObservations(r, where: { _ in true })
            observations += obs
            guard r.status != .notAssessed else { continue }
            let satisfied = r.status.countsAsMet
            let target = OSCALIDs.requirementTarget(r.entry)
            let unmet = notMetObjectives(r)
            let description: String
            switch r.status {
            case .met: description = "All \(ExportText.plural(r.objectives.count, "assessment objective")) met or not applicable."
            case .notApplicable: description = "Every assessment objective is not applicable."
            default: description = "\(unmet.count) of \(ExportText.plural(r.objectives.count, "assessment objective")) not met: "
                + unmet.joined(separator: ", ") + "."
            }
            let props = [ExportText.prop("requirement-status", r.status.rawValue),
                         ExportText.prop("sprs-deduction", deductedPoints(r.entry.id).map { String($0) }),
                         ExportText.prop("cmmc-id", r.entry.cmmcId)].compactMap { $0 }
            findings.append(OSCALFinding(
                uuid: assessmentUUID("finding", entryKey(r.entry.id)),
                title: ExportText.line("\(r.entry.id) \(r.entry.title.en)") ?? r.entry.id,
                description: description, props: props,
                target: OSCALFindingTarget(
                    type: target.type, targetID: target.id,
                    status: OSCALObjectiveStatus(state: satisfied ? "satisfied" : "not-satisfied",
                                                 remarks: creditRemark(r.entry.id)),
                    implementationStatus: implementationState(r).map { OSCALState(state: $0) }),
                relatedObservations: ExportText.nonEmpty(obs.map { OSCALRelatedObservation(observationUUID: $0.uuid) })))
        }

        let reqs = requirements
        let met = reqs.filter { $0.status.countsAsMet }.count
        let notMet = reqs.filter { $0.status == .notMet }.count
        let notAssessed = reqs.filter { $0.status == .notAssessed }
        var summary = "\(met) of \(ExportText.plural(reqs.count, "requirement")) met or not applicable, \(notMet) not met, "
            + "\(notAssessed.count) not assessed."
        var props = [ExportText.prop("assessment-kind", a.kind.rawValue), ExportText.prop("catalog", catalog.id.rawValue),
                     ExportText.prop("results-posted-on", a.resultsPostedOn?.description)]
        if let sprs = report.sprs {
            if let score = sprs.score {
                summary += " SPRS score \(score) of \(SPRSResult.maximum)."
                props.append(ExportText.prop("sprs-score", String(score)))
            } else {
                summary += " No SPRS score: there is no system security plan (3.12.4)."
            }
        }
        if let cmmc = report.cmmc {
            summary += " CMMC: \(cmmc.status.label.en)"
                + (cmmc.reasons.isEmpty ? "." : " (" + cmmc.reasons.map { $0.text(.en) }.joined(separator: "; ") + ").")
            switch cmmc.status {
            case .final: props.append(ExportText.prop("cmmc-status", "final"))
            case .conditional(let deadline):
                props.append(ExportText.prop("cmmc-status", "conditional"))
                props.append(ExportText.prop("poam-closeout-due", deadline.due.description))
                // 32 CFR 170.21(b) counts from the date the results are posted; before it is recorded, an estimate.
                props.append(ExportText.prop("poam-closeout-basis", deadline.basis.rawValue))
                summary += " POA&M closeout due \(deadline.text(.en))."
            case .notEligible: props.append(ExportText.prop("cmmc-status", "not-eligible"))
            }
        }
        if let expected = report.expectedFullCompliance { props.append(ExportText.prop("expected-full-compliance", expected.description)) }

        let result = OSCALResult(
            uuid: assessmentUUID("result", catalog.id.rawValue),
            title: ExportText.line("\(a.kind.label.en) of \(systemName) against \(catalog.name.en)") ?? "Assessment",
            description: summary,
            start: ExportText.timestamp(a.date),
            props: props.compactMap { $0 },
            reviewedControls: OSCALReviewedControls(
                description: "Every requirement of \(catalog.name.en).",
                links: [OSCALLink(href: "#\(catalogResourceUUID)", rel: "reference", text: nil)],
                controlSelections: [OSCALControlSelection(
                    includeControls: reqs.map { OSCALSelectControlByID(controlID: OSCALIDs.controlID($0.entry)) })]),
            observations: ExportText.nonEmpty(observations),
            findings: ExportText.nonEmpty(findings),
            remarks: notAssessed.isEmpty ? nil
                : "Not assessed yet: \(notAssessed.map(\.entry.id).joined(separator: ", ")).")

        return OSCALAssessmentResultsDocument(assessmentResults: OSCALAssessmentResults(
            uuid: uuid("document", "results:\(lastModified)"),
            metadata: metadata(title: "Assessment Results — \(systemName)", assessors: true),
            importAP: OSCALImportAP(
                href: "#\(apUUID)",
                remarks: "Tekigo writes no OSCAL assessment plan; the back-matter resource describes the plan followed."),
            results: [result],
            backMatter: OSCALBackMatter(resources: [
                OSCALResource(
                    uuid: apUUID, title: "Assessment plan",
                    description: "\(a.kind.label.en) of \(systemName) on \(a.date) against every requirement of "
                        + "\(catalog.name.en), one finding per assessment objective. No OSCAL assessment plan was written."),
                OSCALIDs.catalogResource(catalog, uuid: catalogResourceUUID),
            ])))
    }
}

private extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
