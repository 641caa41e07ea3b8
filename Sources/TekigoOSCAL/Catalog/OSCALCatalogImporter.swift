import Foundation
import TekigoCore

/// Something in an imported file that Tekigo could read around, named by its element.
public struct CatalogImportWarning: Sendable, Hashable, CustomStringConvertible {
    public let element: String
    public let message: String

    public var description: String { "\(element): \(message)" }
}

/// Why a file cannot be imported at all. Nothing is stored when any of these is thrown.
public enum CatalogImportError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalidJSON(file: String, detail: String)
    case notAnOSCALDocument(file: String)
    case notACatalog(file: String, model: String)
    case invalidStructure(file: String, path: String, problem: String)
    case noControls(file: String)
    case duplicateID(file: String, id: String)
    case customIDIsBuiltIn(String)
    /// The id given for a custom catalog breaks the id rule (`CatalogID.problem(with:)`); the rule's message.
    case invalidCatalogID(String)
    /// Text in the file breaks the text rule (`ImportText`): the element and field.
    case invalidText(file: String, element: String)
    /// Where a file stops being JSON (`JSONPosition`): line, column and the CPRT element being read.
    case malformedJSON(file: String, line: Int, column: Int, near: String?, problem: String)
    /// A CPRT element with no `element_identifier` (or no `element_type`), by its position in `elements`.
    case cprtElementWithoutIdentifier(file: String, position: Int, type: String)
    case cprtElementWithoutType(file: String, position: Int, id: String)
    /// A CPRT relationship without one of its ends or its kind, by its position in `relationships`.
    case cprtRelationshipIncomplete(file: String, position: Int, field: String)
    /// A CPRT export none of whose ids is an SP 800-171 rev2 or rev3 id.
    case cprtNotSP800171(file: String, documents: [String])
    /// `--id` (a custom catalog) given with a CPRT export, which is always NIST's SP 800-171.
    case customIDForCPRT(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file (\(reason))."
        case .invalidJSON(let file, let detail):
            return "\(file): not valid JSON (\(detail)). Export the catalog from its source again, as OSCAL JSON."
        case .notAnOSCALDocument(let file):
            return "\(file): neither an OSCAL catalog (a top-level 'catalog' member) nor a NIST CPRT export (a top-level "
                + "'elements' list). Download the catalog again as OSCAL JSON, or as JSON from CPRT's export."
        case .notACatalog(let file, let model):
            return "\(file): this is an OSCAL \(model), not a catalog. Import the catalog it is based on instead."
        case .invalidStructure(let file, let path, let problem):
            return "\(file): at \(path): \(problem). The file does not follow the OSCAL 1.1 catalog schema; check it with an OSCAL validator."
        case .noControls(let file):
            return "\(file): the catalog has no controls, so there is nothing to import."
        case .duplicateID(let file, let id):
            return "\(file): the id '\(id)' is used by more than one control; OSCAL ids must be unique."
        case .customIDIsBuiltIn(let id):
            return "'\(id)' is the id of a built-in catalog; choose another id for a custom catalog with --id."
        case .invalidCatalogID(let message):
            return "\(message) Give the custom catalog such an id with --id."
        case .invalidText(let file, let element):
            return "\(file): the \(element) \(ImportText.problem)."
        case .malformedJSON(let file, let line, let column, let near, let problem):
            return "\(file): not valid JSON at line \(line), column \(column)\(near.map { " (in \($0))" } ?? ""): \(problem). "
                + "Nothing was imported; download the file again."
        case .cprtElementWithoutIdentifier(let file, let position, let type):
            return "\(file): elements[\(position)]\(type.isEmpty ? "" : " (element_type '\(type)')") has no element_identifier; "
                + "nothing was imported. Every CPRT element needs one: download the export from CPRT again."
        case .cprtElementWithoutType(let file, let position, let id):
            return "\(file): elements[\(position)] ('\(id)') has no element_type; nothing was imported. "
                + "Download the export from CPRT again."
        case .cprtRelationshipIncomplete(let file, let position, let field):
            return "\(file): relationships[\(position)] has no \(field); nothing was imported. Download the export from CPRT again."
        case .cprtNotSP800171(let file, let documents):
            return "\(file): a CPRT export\(documents.isEmpty ? "" : " of \(documents.joined(separator: ", "))"), but none of its "
                + "element ids is an SP 800-171 rev2 (3.1.1) or rev3 (03.01.01) id. Tekigo reads CPRT's exports of SP 800-171 "
                + "and SP 800-171A; import other catalogs as OSCAL."
        case .customIDForCPRT(let file):
            return "\(file): a CPRT export of NIST's SP 800-171 is imported as official wording of the built-in catalog; "
                + "leave out --id."
        }
    }
}

/// What an import found: the text to store and everything worth telling the user.
public struct CatalogImportResult: Sendable {
    public let imported: ImportedCatalog
    public let warnings: [CatalogImportWarning]
    public let skippedWithdrawn: Int
    /// The text is laid over the earlier import of the same catalog (a CPRT export: `CPRTImporter`) instead of
    /// replacing it whole (an OSCAL catalog).
    public internal(set) var mergesWithEarlierImport = false

    public init(imported: ImportedCatalog, warnings: [CatalogImportWarning], skippedWithdrawn: Int) {
        self.imported = imported
        self.warnings = warnings
        self.skippedWithdrawn = skippedWithdrawn
    }
}

/// Reads an OSCAL 1.1 catalog (JSON) and keys its text to Tekigo's ids.
///
/// Recognised: NIST SP 800-171 rev3 (`SP_800_171_03.01.01`), the SP 800-171 rev2 OSCAL conversion
/// (`r2-3.1.1`), SP 800-53 rev5 catalogs and resolved baselines (`ac-2`), CSF 2.0 (`GV.OC-01`).
/// Anything else becomes a custom catalog under its own control ids.
public enum OSCALCatalogImporter {
    static let models = [
        "profile": "profile", "component-definition": "component definition",
        "system-security-plan": "system security plan", "assessment-plan": "assessment plan",
        "assessment-results": "assessment results", "plan-of-action-and-milestones": "plan of action and milestones",
        "mapping-collection": "mapping collection",
    ]

    public static func read(
        _ data: Data, file: String, library: Library, customID: CatalogID? = nil
    ) throws(CatalogImportError) -> CatalogImportResult {
        if let customID {
            if customID.isBuiltIn { throw .customIDIsBuiltIn(customID.rawValue) }
            do { _ = try CatalogID.validated(customID.rawValue) } catch { throw .invalidCatalogID(error.description) }
        }
        // Decode straight into the catalog model (one parse on the common path); only when that fails, look at
        // the top-level members to tell "not JSON", "another OSCAL model" and "not OSCAL" apart.
        let catalog: OSCALCatalog
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[.skipControlLinks] = true
            catalog = try decoder.decode(OSCALCatalogDocument.self, from: data).catalog
        } catch let error as DecodingError {
            let keys: [String]
            do {
                keys = try JSONDecoder().decode(TopLevelKeys.self, from: data).keys
            } catch let e as DecodingError {
                if case .typeMismatch = e { throw .notAnOSCALDocument(file: file) }
                throw .invalidJSON(file: file, detail: describe(e))
            } catch {
                throw .invalidJSON(file: file, detail: String(describing: error))
            }
            guard keys.contains("catalog") else {
                if let model = keys.compactMap({ models[$0] }).first { throw .notACatalog(file: file, model: model) }
                throw .notAnOSCALDocument(file: file)
            }
            let (path, problem) = locate(error)
            throw .invalidStructure(file: file, path: path, problem: problem)
        } catch {
            throw .invalidJSON(file: file, detail: String(describing: error))
        }
        var reader = Reader(catalog: catalog, file: file, library: library, customID: customID)
        let result = try reader.run()
        // The one text rule, on everything that would be stored.
        if let element = ImportText.firstRefused(in: result.imported) { throw .invalidText(file: file, element: element) }
        return result
    }

    // MARK: errors

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let ctx):
            let underlying = (ctx.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            return underlying ?? ctx.debugDescription
        default:
            return locate(error).1
        }
    }

    static func locate(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            var s = ""
            for k in keys {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
            }
            return s.isEmpty ? "(top level)" : s
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            return (path(ctx.codingPath), "required field '\(key.stringValue)' is missing")
        case .typeMismatch(let type, let ctx):
            return (path(ctx.codingPath), "expected \(readable(type))")
        case .valueNotFound(let type, let ctx):
            return (path(ctx.codingPath), "expected \(readable(type)), found null")
        case .dataCorrupted(let ctx):
            return (path(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return ("(unknown)", String(describing: error))
        }
    }

    static func readable(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "a list" }
        if name.hasPrefix("Dictionary") || name.hasPrefix("OSCAL") { return "an object" }
        if name == "String" { return "a string" }
        return name
    }
}

/// Decodes only the names of the top-level members.
private struct TopLevelKeys: Decodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    let keys: [String]
    init(from decoder: any Decoder) throws {
        keys = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
    }
}

/// Which catalog a file is, decided from its control ids.
enum CatalogKind: Equatable {
    case sp800171r3, sp800171r2, sp80053r5, csf2
    case custom(CatalogID)

    var id: CatalogID {
        switch self {
        case .sp800171r3: return .sp800171r3
        case .sp800171r2: return .sp800171r2
        case .sp80053r5: return .sp80053r5
        case .csf2: return .csf2
        case .custom(let id): return id
        }
    }
}

private struct Reader {
    let catalog: OSCALCatalog
    let file: String
    let library: Library
    let customID: CatalogID?
    var warnings: [CatalogImportWarning] = []
    var skippedWithdrawn = 0
    var texts: [OfficialText] = []
    var families: [Family] = []
    /// Every id in the document, for checking links.
    var allIDs: Set<String> = []

    init(catalog: OSCALCatalog, file: String, library: Library, customID: CatalogID?) {
        self.catalog = catalog
        self.file = file
        self.library = library
        self.customID = customID
    }

    mutating func run() throws(CatalogImportError) -> CatalogImportResult {
        let controls = allControls()
        if controls.isEmpty { throw .noControls(file: file) }
        var seen: Set<String> = []
        for (c, _) in controls {
            if !seen.insert(c.id).inserted { throw .duplicateID(file: file, id: c.id) }
        }
        collectIDs(controls.map(\.0))
        let kind = detectKind(controls.map(\.0))
        let known = library.catalogs[kind.id]
        for g in catalog.groups ?? [] {
            families.append(Family(id: familyID(g, kind: kind), abbr: familyAbbr(g, kind: kind),
                                   title: LocalizedText(g.title)))
        }
        for (index, (control, group)) in controls.enumerated() {
            if control.class == "security_requirement" { continue }  // folded into its rev3 requirement
            if control.isWithdrawn { skippedWithdrawn += 1; continue }
            let element = "control '\(control.id)'"
            guard let entryID = entryID(control, kind: kind) else {
                warnings.append(.init(element: element, message: "not a known \(kind.id) id; skipped"))
                continue
            }
            if kind != .sp80053r5, !isCustom(kind), known?[entryID] == nil {
                let why = kind == .csf2 ? "not a CSF 2.0 id (CSF 1.1-era identifier); skipped"
                    : "'\(entryID)' is not in Tekigo's \(kind.id) catalog; skipped"
                warnings.append(.init(element: element, message: why))
                continue
            }
            let params = parameters(of: control)
            let statement = statementText(control, params: params, element: element)
            if statement.isEmpty, kind != .csf2 || entryID.contains("-") {
                warnings.append(.init(element: element, message: "the statement is empty"))
            }
            checkLinks(control, element: element)
            let parent: String? = {
                if kind == .sp80053r5, let p = entryID.firstIndex(of: "(") { return String(entryID[..<p]) }
                if kind == .csf2, let dash = entryID.firstIndex(of: "-") { return String(entryID[..<dash]) }
                return nil
            }()
            texts.append(OfficialText(
                catalog: kind.id, entryID: entryID, oscalID: control.id, title: control.title, statement: statement,
                guidance: proseOf(parts: control.parts ?? [], named: ["guidance", "discussion"]),
                objectives: objectives(of: control, kind: kind).map {
                    OfficialObjective(id: $0.id, prose: insertParameters($0.prose, params: params, element: element))
                },
                methods: methods(of: control),
                parameters: params.map {
                    OfficialParameter(id: $0.id, label: $0.label ?? "", usage: $0.usage ?? "",
                                      guideline: ($0.guidelines ?? []).map(\.prose).joined(separator: " "))
                },
                family: group.map { familyID($0, kind: kind) } ?? "", parent: parent, sortOrder: index))
        }
        let imported = ImportedCatalog(
            catalog: kind.id, title: catalog.metadata.title, version: catalog.metadata.version,
            oscalVersion: catalog.metadata.oscalVersion, families: families, texts: texts)
        return CatalogImportResult(imported: imported, warnings: warnings, skippedWithdrawn: skippedWithdrawn)
    }

    func isCustom(_ kind: CatalogKind) -> Bool { if case .custom = kind { return true }; return false }

    /// Controls depth-first with the top-level group each sits in.
    func allControls() -> [(OSCALControl, OSCALGroup?)] {
        var out: [(OSCALControl, OSCALGroup?)] = []
        func walk(_ cs: [OSCALControl], _ g: OSCALGroup?) {
            for c in cs {
                out.append((c, g))
                walk(c.controls ?? [], g)
            }
        }
        func walkGroup(_ g: OSCALGroup, top: OSCALGroup) {
            walk(g.controls ?? [], top)
            for sub in g.groups ?? [] { walkGroup(sub, top: top) }
        }
        walk(catalog.controls ?? [], nil)
        for g in catalog.groups ?? [] { walkGroup(g, top: g) }
        return out
    }

    mutating func collectIDs(_ controls: [OSCALControl]) {
        func parts(_ ps: [OSCALPart]) {
            for p in ps {
                if let id = p.id { allIDs.insert(id) }
                parts(p.parts ?? [])
            }
        }
        for c in controls {
            allIDs.insert(c.id)
            parts(c.parts ?? [])
            for p in c.params ?? [] { allIDs.insert(p.id) }
        }
        for g in catalog.groups ?? [] { if let id = g.id { allIDs.insert(id) } }
    }

    func detectKind(_ controls: [OSCALControl]) -> CatalogKind {
        if let customID { return .custom(customID) }
        let ids = controls.map(\.id)
        if ids.contains(where: { $0.hasPrefix("SP_800_171_03.") }) { return .sp800171r3 }
        if ids.contains(where: { $0.hasPrefix("r2-3.") }) { return .sp800171r2 }
        let title = catalog.metadata.title
        if title.contains("800-53"), ids.contains(where: { IDNormalizer.canonicalSP80053($0) != nil }) {
            return .sp80053r5
        }
        if title.localizedCaseInsensitiveContains("Cybersecurity Framework"),
           ids.contains(where: { $0.count >= 5 && Array($0)[2] == "." && $0.prefix(2).allSatisfy(\.isUppercase) }) {
            return .csf2
        }
        return .custom(CatalogID(slug(title)))
    }

    /// An id from the title that keeps the id rule (`CatalogID.problem(with:)`): its letters and digits, lower-case,
    /// everything else a single `-`; `custom` when nothing is left.
    func slug(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.lowercased().unicodeScalars {
            let keep = (scalar.properties.isAlphabetic && !scalar.properties.isWhitespace) || scalar.properties.numericType == .decimal
            out.append(keep ? scalar : "-")
        }
        let collapsed = String(out).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        let cut = String(String(collapsed.unicodeScalars.prefix(40)).split(separator: "-").joined(separator: "-"))
        return cut.isEmpty || CatalogID.problem(with: cut) != nil ? "custom" : cut
    }

    func familyID(_ g: OSCALGroup, kind: CatalogKind) -> String {
        let raw = g.id ?? g.title
        switch kind {
        case .sp800171r3: return raw.replacingOccurrences(of: "SP_800_171_", with: "")
        case .sp800171r2: return raw.replacingOccurrences(of: "r2-", with: "")
        case .sp80053r5: return raw.uppercased()
        default: return raw
        }
    }

    func familyAbbr(_ g: OSCALGroup, kind: CatalogKind) -> String {
        let id = familyID(g, kind: kind)
        return library.catalogs[kind.id]?.family(id)?.abbr ?? id
    }

    func entryID(_ c: OSCALControl, kind: CatalogKind) -> String? {
        switch kind {
        case .sp800171r3:
            guard c.id.hasPrefix("SP_800_171_") else { return nil }
            return String(c.id.dropFirst("SP_800_171_".count))
        case .sp800171r2:
            return c.prop("label") ?? (c.id.hasPrefix("r2-") ? String(c.id.dropFirst(3)) : nil)
        case .sp80053r5:
            return IDNormalizer.canonicalSP80053(c.id)
        case .csf2, .custom:
            return c.id
        }
    }

    // MARK: text

    func parameters(of c: OSCALControl) -> [OSCALParameter] {
        (c.params ?? []) + (c.controls ?? []).filter { $0.class == "security_requirement" }.flatMap { $0.params ?? [] }
    }

    mutating func statementText(_ c: OSCALControl, params: [OSCALParameter], element: String) -> String {
        var lines: [String] = []
        var statementParts = (c.parts ?? []).filter { $0.name == "statement" }
        // rev3 keeps the requirement's statement in a nested security_requirement control.
        for sr in (c.controls ?? []) where sr.class == "security_requirement" {
            statementParts += (sr.parts ?? []).filter { $0.name == "statement" }
        }
        func render(_ p: OSCALPart, depth: Int) {
            let label = p.prop("label").map { shortLabel($0) }
            if let prose = p.prose?.trimmed, !prose.isEmpty {
                let indent = String(repeating: "  ", count: max(0, depth - 1))
                lines.append(indent + (label.map { "\($0) " } ?? "") + prose)
            }
            for sub in p.parts ?? [] where sub.name == "item" || sub.name == "statement" {
                render(sub, depth: depth + 1)
            }
        }
        for p in statementParts { render(p, depth: 0) }
        return insertParameters(lines.joined(separator: "\n"), params: params, element: element)
    }

    /// `SR-03.01.01.a` -> `a.`; `a.` stays.
    func shortLabel(_ label: String) -> String {
        if label.hasPrefix("SR-"), let last = label.split(separator: ".").last {
            return last.allSatisfy(\.isNumber) ? "\(last)." : "\(last)."
        }
        return label
    }

    /// Replaces `{{ insert: param, ID }}` with the parameter's rendering. Scanned by hand: see TextScanning.swift.
    mutating func insertParameters(_ text: String, params: [OSCALParameter], element: String) -> String {
        guard text.contains("{{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let inner = rest[open.upperBound..<close.lowerBound].trimmed
            if inner.hasPrefix("insert:"), let comma = inner.firstIndex(of: ",") {
                let id = inner[inner.index(after: comma)...].trimmed
                if let p = params.first(where: { $0.id == id }) ?? catalog.params?.first(where: { $0.id == id }) {
                    result += render(p)
                } else {
                    warnings.append(.init(element: element, message: "inserts parameter '\(id)' which is not defined"))
                    result += "[Assignment: \(id)]"
                }
            } else {
                result += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    func render(_ p: OSCALParameter) -> String {
        if let sel = p.select, let choices = sel.choice, !choices.isEmpty {
            let how = sel.howMany == "one-or-more" ? "Selection (one or more)" : "Selection"
            return "[\(how): \(choices.joined(separator: "; "))]"
        }
        if let usage = p.usage, !usage.isEmpty { return "[Assignment: \(usage)]" }
        if let label = p.label, !label.isEmpty {
            return "[Assignment: \(label.hasPrefix("organization-defined") ? label : "organization-defined " + label)]"
        }
        return "[Assignment: \(p.id)]"
    }

    func proseOf(parts: [OSCALPart], named names: Set<String>) -> String {
        var out: [String] = []
        var stack: [OSCALPart] = parts.filter { names.contains($0.name) }.reversed()
        while let p = stack.popLast() {
            if let prose = p.prose {
                let t = prose.trimmed
                if !t.isEmpty { out.append(t) }
            }
            if let sub = p.parts { stack.append(contentsOf: sub.reversed()) }
        }
        return out.joined(separator: "\n\n")
    }

    func objectives(of c: OSCALControl, kind: CatalogKind) -> [OfficialObjective] {
        var out: [OfficialObjective] = []
        func leaves(_ p: OSCALPart) {
            let children = (p.parts ?? []).filter { Self.objectiveNames.contains($0.name) }
            if children.isEmpty {
                guard let prose = p.prose?.trimmed, !prose.isEmpty else { return }
                out.append(OfficialObjective(id: objectiveID(p, kind: kind), prose: prose))
            } else {
                children.forEach(leaves)
            }
        }
        for p in c.parts ?? [] where Self.objectiveNames.contains(p.name) { leaves(p) }
        return out
    }

    /// OSCAL 1.x names 800-171A's determination statements `assessment-objective`; older conversions (OSCAL 1.0
    /// drafts, 800-53 rev4-style files) name them `objective`.
    static let objectiveNames: Set<String> = ["assessment-objective", "objective"]
    /// Likewise EXAMINE / INTERVIEW / TEST: `assessment-method`, earlier `assessment`.
    static let methodNames: Set<String> = ["assessment-method", "assessment"]

    func objectiveID(_ p: OSCALPart, kind: CatalogKind) -> String {
        if kind == .sp800171r3, let id = p.id, id.hasPrefix("assessment-objective_DS-") {
            return String(id.dropFirst("assessment-objective_DS-".count))
        }
        return p.prop("label") ?? p.id ?? "?"
    }

    func methods(of c: OSCALControl) -> [AssessmentMethod] {
        (c.parts ?? []).filter { Self.methodNames.contains($0.name) }.map { p in
            AssessmentMethod(method: p.prop("method") ?? p.title ?? "",
                             objects: proseOf(parts: p.parts ?? [], named: ["assessment-objects"]))
        }
    }

    mutating func checkLinks(_ c: OSCALControl, element: String) {
        func visit(_ p: OSCALPart) {
            for l in p.links ?? [] where l.rel == "assessment-for" && l.href.hasPrefix("#") {
                let target = String(l.href.dropFirst())
                if !allIDs.contains(target) {
                    warnings.append(.init(
                        element: "\(element) part '\(p.id ?? p.name)'",
                        message: "assessment-for link points to '\(target)', which does not exist in the file"))
                }
            }
            for sub in p.parts ?? [] { visit(sub) }
        }
        for p in c.parts ?? [] { visit(p) }
    }
}
