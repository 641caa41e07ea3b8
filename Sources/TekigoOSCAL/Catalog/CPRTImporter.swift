import Foundation
import TekigoCore

/// Reads NIST's CPRT JSON export (the Cybersecurity and Privacy Reference Tool: `documents`, `relationship_types`,
/// `elements`, `relationships`) of SP 800-171 rev3 (with 800-171A rev3), SP 800-171 rev2, or SP 800-171A (rev2's
/// objectives), and keys its text to the built-in catalog (issue #17 item 2).
///
/// Read generically: what an element is comes from its `element_type`, where it belongs from the `projection`
/// relationships (parent → child), and which built-in entry it is from its identifier matched against the built-in
/// catalog (`03.01.01`, `SR-03.01.01.a`, `DS-A.03.01.01.a[01]` → objective `A.03.01.01.a.01`, `E-03.01.01`; rev2
/// `3.1.1`, `3.1.1[a]`). No list of ids is written here. Every element that is not kept is a warning naming it and why
/// (unknown type, not in the built-in catalog, withdrawn, a kind Tekigo keeps no text of, a relationship to an element
/// the file lacks).
///
/// A CPRT file is merged into the earlier import of its catalog (`CatalogImportResult.mergesWithEarlierImport`):
/// NIST publishes rev2's requirements and 800-171A's objectives as two documents, and a trimmed file must not erase
/// what a complete one brought. A requirement whose statement is incomplete in the file (an item referenced but
/// absent) carries no statement, so the merge keeps the earlier one.
public enum CPRTImporter {
    public static func read(_ data: Data, file: String, library: Library) throws(CatalogImportError) -> CatalogImportResult {
        let raw: CPRTFile
        do {
            raw = try JSONDecoder().decode(CPRTFile.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted = error { throw JSONPosition.error(in: data, file: file) }
            let (path, problem) = OSCALCatalogImporter.locate(error)
            throw .invalidStructure(file: file, path: path, problem: problem)
        } catch {
            throw JSONPosition.error(in: data, file: file)
        }
        let model = try CPRTModel(raw, file: file)
        var reader = CPRTReader(model: model, file: file, library: library)
        var result = try reader.run()
        result.mergesWithEarlierImport = true
        if let element = ImportText.firstRefused(in: result.imported) { throw .invalidText(file: file, element: element) }
        return result
    }
}

// MARK: the file

struct CPRTFile: Decodable {
    struct Document: Decodable {
        let docIdentifier: String?
        let name: String?
        let version: String?
        enum CodingKeys: String, CodingKey { case docIdentifier = "doc_identifier", name, version }
    }
    struct Element: Decodable {
        let elementType: String?
        let elementIdentifier: String?
        let title: String?
        let text: String?
        let docIdentifier: String?
        enum CodingKeys: String, CodingKey {
            case elementType = "element_type", elementIdentifier = "element_identifier", title, text, docIdentifier = "doc_identifier"
        }
    }
    struct Relationship: Decodable {
        let sourceElementIdentifier: String?
        let sourceDocIdentifier: String?
        let destElementIdentifier: String?
        let destDocIdentifier: String?
        let relationshipIdentifier: String?
        enum CodingKeys: String, CodingKey {
            case sourceElementIdentifier = "source_element_identifier", sourceDocIdentifier = "source_doc_identifier"
            case destElementIdentifier = "dest_element_identifier", destDocIdentifier = "dest_doc_identifier"
            case relationshipIdentifier = "relationship_identifier"
        }
    }
    let documents: [Document]?
    let elements: [Element]?
    let relationships: [Relationship]?
}

/// One element, checked: it has a type and an identifier.
struct CPRTElement {
    let index: Int
    let type: String
    let id: String
    let title: String
    let text: String
    let doc: String
    var key: String { CPRTModel.key(doc, id) }
    var named: String { "element '\(id)' (\(type))" }
}

/// The elements by key and the projection tree; every element and relationship checked for what it must have.
struct CPRTModel {
    let documents: [CPRTFile.Document]
    let elements: [CPRTElement]
    /// Element index by `doc \u{1F} id`, and by id alone (for relationships that name no document).
    let byKey: [String: Int]
    let byID: [String: Int]
    /// Projection relationships: the child's parent and a parent's children (element indexes), in file order.
    var parent: [Int: Int] = [:]
    var children: [Int: [Int]] = [:]
    /// Identifiers a relationship names that no element of the file has, with the relationship's position.
    var missing: [(id: String, asParent: Bool, position: Int, relation: String)] = []
    /// Withdrawal links (`incorporated_into`, `addressed_by`) from an element: the targets.
    var withdrawalTargets: [Int: [String]] = [:]

    static func key(_ doc: String, _ id: String) -> String { doc + "\u{1F}" + id }

    init(_ raw: CPRTFile, file: String) throws(CatalogImportError) {
        guard let rawElements = raw.elements else { throw .invalidStructure(file: file, path: "(top level)", problem: "required field 'elements' is missing") }
        documents = raw.documents ?? []
        var elements: [CPRTElement] = []
        var byKey: [String: Int] = [:], byID: [String: Int] = [:]
        var seen: Set<String> = []
        for (i, e) in rawElements.enumerated() {
            let type = (e.elementType ?? "").trimmed
            let id = (e.elementIdentifier ?? "").trimmed
            guard !id.isEmpty else { throw .cprtElementWithoutIdentifier(file: file, position: i, type: type) }
            guard !type.isEmpty else { throw .cprtElementWithoutType(file: file, position: i, id: id) }
            let doc = (e.docIdentifier ?? "").trimmed
            guard seen.insert(Self.key(doc, id) + "\u{1F}" + type).inserted else { throw .duplicateID(file: file, id: id) }
            let element = CPRTElement(index: i, type: type, id: id, title: (e.title ?? "").trimmed, text: (e.text ?? "").trimmed, doc: doc)
            if byKey[element.key] == nil { byKey[element.key] = i }
            if byID[id] == nil { byID[id] = i }
            elements.append(element)
        }
        self.elements = elements
        self.byKey = byKey
        self.byID = byID
        for (i, r) in (raw.relationships ?? []).enumerated() {
            let source = (r.sourceElementIdentifier ?? "").trimmed, dest = (r.destElementIdentifier ?? "").trimmed
            let relation = (r.relationshipIdentifier ?? "").trimmed
            guard !source.isEmpty, !dest.isEmpty, !relation.isEmpty else {
                let field = source.isEmpty ? "source_element_identifier" : dest.isEmpty ? "dest_element_identifier" : "relationship_identifier"
                throw .cprtRelationshipIncomplete(file: file, position: i, field: field)
            }
            let from = find(source, doc: r.sourceDocIdentifier), to = find(dest, doc: r.destDocIdentifier)
            switch relation {
            case "projection":
                if from == nil { missing.append((source, true, i, relation)) }
                if to == nil { missing.append((dest, false, i, relation)) }
                if let from, let to, parent[to] == nil, from != to {
                    parent[to] = from
                    children[from, default: []].append(to)
                }
            case "incorporated_into", "addressed_by":
                if let from { withdrawalTargets[from, default: []].append(dest) }
            default:
                // external_reference (an SP 800-53 source control) and any other kind: nothing Tekigo keeps.
                break
            }
        }
    }

    func find(_ id: String, doc: String?) -> Int? {
        if let doc = doc?.trimmed, !doc.isEmpty, let i = byKey[Self.key(doc, id)] { return i }
        return byID[id]
    }

    /// The element's ancestors by projection, nearest first (a cycle stops the walk).
    func ancestors(of i: Int) -> [Int] {
        var out: [Int] = [], seen: Set<Int> = [i], at = i
        while let p = parent[at], seen.insert(p).inserted { out.append(p); at = p }
        return out
    }
}

// MARK: reading

/// What each `element_type` is to Tekigo.
enum CPRTRole {
    case family, requirement, statementItem, objective, method(String), discussion, parameter, parameterStatement
    case withdrawReason, notKept(String), unknown

    init(_ type: String) {
        switch type.lowercased() {
        case "family": self = .family
        case "requirement", "control": self = .requirement
        case "security_requirement", "statement": self = .statementItem
        case "determination", "objective", "assessment_objective", "determination_statement": self = .objective
        case "examine", "interview", "test": self = .method(type.uppercased())
        case "discussion": self = .discussion
        case "odp": self = .parameter
        case "odp_statement": self = .parameterStatement
        case "withdraw_reason": self = .withdrawReason
        case "reference": self = .notKept("a supporting publication; Tekigo keeps no references")
        case "odp_type": self = .notKept("the kind of a parameter (assignment or selection); Tekigo keeps the parameter's wording only")
        case "requirement_type": self = .notKept("the basic/derived mark; the built-in catalog has it")
        default: self = .unknown
        }
    }
}

private struct CPRTReader {
    let model: CPRTModel
    let file: String
    let library: Library
    var warnings: [CatalogImportWarning] = []
    var used: Set<Int> = []

    init(model: CPRTModel, file: String, library: Library) {
        self.model = model
        self.file = file
        self.library = library
    }

    var elements: [CPRTElement] { model.elements }

    mutating func run() throws(CatalogImportError) -> CatalogImportResult {
        let catalog = try detectCatalog()
        let roles = elements.map { CPRTRole($0.type) }
        // Each element's requirement: through its projection ancestors, else (the chain broken in the file) its id.
        var owner: [Int: String] = [:]
        for e in elements {
            if case .requirement = roles[e.index] { owner[e.index] = e.id; continue }
            if let r = model.ancestors(of: e.index).first(where: { if case .requirement = roles[$0] { return true }; return false }) {
                owner[e.index] = elements[r].id
            } else if let id = Self.requirementID(in: e.id, of: catalog) {
                owner[e.index] = id
            }
        }
        var members: [String: [Int]] = [:]
        for e in elements { if let r = owner[e.index] { members[r, default: []].append(e.index) } }
        // Items named as a parent but absent from the file: the statement they belong to is incomplete.
        var incomplete: [String: [String]] = [:]
        for m in model.missing {
            warnings.append(.init(element: "relationship #\(m.position + 1) (\(m.relation))",
                                  message: "names '\(m.id)', which is not an element of this file; that link is skipped"))
            if m.asParent, let r = Self.requirementID(in: m.id, of: catalog) { incomplete[r, default: []].append(m.id) }
        }
        var families: [Family] = []
        for e in elements {
            guard case .family = roles[e.index] else { continue }
            used.insert(e.index)
            if let f = catalog.family(e.id) {
                families.append(Family(id: f.id, abbr: f.abbr, title: e.title.isEmpty ? f.title : LocalizedText(e.title)))
            } else {
                warn(e, "not a family of Tekigo's \(catalog.id) catalog; skipped")
            }
        }
        var texts: [OfficialText] = []
        var skippedWithdrawn = 0
        for e in elements {
            guard case .requirement = roles[e.index] else { continue }
            used.insert(e.index)
            let group = members[e.id] ?? []
            if let reason = withdrawal(e, group: group, roles: roles, catalog: catalog) {
                skippedWithdrawn += 1
                group.forEach { used.insert($0) }
                warn(e, "withdrawn (\(reason)); skipped")
                continue
            }
            guard let entry = catalog[e.id] else {
                warn(e, "'\(e.id)' is not in Tekigo's \(catalog.id) catalog; skipped")
                continue
            }
            texts.append(text(for: e, entry: entry, group: group, roles: roles, incomplete: incomplete[e.id] ?? [], catalog: catalog))
        }
        // Assessment data for a requirement the file does not hold as an element (800-171A's own document).
        let withoutElement = Set(members.keys).subtracting(elements.filter { if case .requirement = roles[$0.index] { return true }; return false }.map(\.id))
        for id in catalog.entries.map(\.id) where withoutElement.contains(id) {
            guard let entry = catalog[id] else { continue }
            let t = text(for: nil, entry: entry, group: members[id] ?? [], roles: roles, incomplete: incomplete[id] ?? [], catalog: catalog)
            if !t.objectives.isEmpty || !t.methods.isEmpty || !t.statement.isEmpty || !t.guidance.isEmpty { texts.append(t) }
        }
        texts.sort { $0.sortOrder < $1.sortOrder }
        for e in elements where !used.contains(e.index) {
            switch roles[e.index] {
            case .notKept(let why): warn(e, "skipped: \(why)")
            case .unknown: warn(e, "element type '\(e.type)' is not one Tekigo reads; skipped")
            default:
                if owner[e.index] == nil {
                    warn(e, "belongs to no requirement of Tekigo's \(catalog.id) catalog; skipped")
                } else if let r = owner[e.index], catalog[r] == nil {
                    warn(e, "belongs to '\(r)', which is not in Tekigo's \(catalog.id) catalog; skipped")
                } else {
                    warn(e, "not used by any requirement's text; skipped")
                }
            }
        }
        let title = model.documents.compactMap { $0.name?.trimmed }.filter { !$0.isEmpty }.joined(separator: " + ")
        let version = model.documents.compactMap { d in d.version.map { v in "\(d.docIdentifier ?? "") \(v)".trimmed } }.joined(separator: " + ")
        let imported = ImportedCatalog(catalog: catalog.id, title: title.isEmpty ? "\(catalog.name.en) (CPRT)" : title,
                                       version: version, oscalVersion: "CPRT JSON", families: families, texts: texts)
        return CatalogImportResult(imported: imported, warnings: warnings, skippedWithdrawn: skippedWithdrawn)
    }

    mutating func warn(_ e: CPRTElement, _ message: String) {
        warnings.append(.init(element: e.named, message: message))
    }

    /// The built-in SP 800-171 catalog whose ids the file's elements match most (rev3's `03.01.01` or rev2's `3.1.1`).
    func detectCatalog() throws(CatalogImportError) -> Catalog {
        var best: (Catalog, Int)?
        for id in [CatalogID.sp800171r3, .sp800171r2] {
            guard let c = library.catalogs[id] else { continue }
            let n = elements.filter { Self.requirementID(in: $0.id, of: c) != nil || c.family($0.id) != nil }.count
            if n > 0, n > (best?.1 ?? 0) { best = (c, n) }
        }
        guard let best else {
            throw .cprtNotSP800171(file: file, documents: model.documents.compactMap(\.docIdentifier))
        }
        return best.0
    }

    /// Why the requirement is withdrawn (its withdraw_reason text, or the built-in catalog's record), or nil.
    mutating func withdrawal(_ e: CPRTElement, group: [Int], roles: [CPRTRole], catalog: Catalog) -> String? {
        let reasons = group.filter { if case .withdrawReason = roles[$0] { return true }; return false }
        if let r = reasons.first {
            let targets = model.withdrawalTargets[r] ?? []
            let text = elements[r].text
            return text.isEmpty ? (targets.isEmpty ? "no reason given" : "see " + targets.joined(separator: ", ")) : text
        }
        if catalog[e.id] == nil, let w = catalog.withdrawnRequirement(e.id) {
            let targets = w.incorporatedInto + w.addressedBy
            return targets.isEmpty ? "withdrawn in \(catalog.id)" : "see " + targets.joined(separator: ", ")
        }
        return nil
    }

    /// One requirement's text from its element (nil: the file has only assessment data for it) and its members.
    mutating func text(for e: CPRTElement?, entry: CatalogEntry, group: [Int], roles: [CPRTRole], incomplete: [String],
                       catalog: Catalog) -> OfficialText {
        var params: [OfficialParameter] = []
        var usage: [Int: String] = [:]
        for i in group { if case .parameterStatement = roles[i], let p = model.parent[i] { usage[p] = elements[i].text; used.insert(i) } }
        var paramNames: [String: String] = [:]
        for i in group {
            guard case .parameter = roles[i] else { continue }
            let x = elements[i]
            let id = Self.bracketsToDots(x.id)
            guard entry.odps.contains(id) || entry.odps.contains(x.id) else { continue }
            used.insert(i)
            let u = usage[i] ?? (x.title.isEmpty ? "" : "organization-defined \(x.title)")
            paramNames[x.id] = u
            params.append(OfficialParameter(id: entry.odps.contains(id) ? id : x.id, label: x.title, usage: u, guideline: x.text))
        }
        // The statement: the requirement's own text, then its items depth-first in file order.
        var lines: [String] = []
        if let e, !e.text.isEmpty { lines.append(Self.plain(e.text)) }
        let items = Set(group.filter { if case .statementItem = roles[$0] { return true }; return false })
        func render(_ i: Int, depth: Int) {
            used.insert(i)
            let x = elements[i]
            var next = depth
            if !x.text.isEmpty {
                let label = x.title.isEmpty ? "" : "\(x.title). "
                lines.append(String(repeating: "  ", count: depth) + label + Self.plain(x.text))
                next += 1
            }
            for c in model.children[i] ?? [] where items.contains(c) { render(c, depth: next) }
        }
        for i in items.sorted() where !(model.parent[i].map(items.contains) ?? false) { render(i, depth: 0) }
        var statement = lines.joined(separator: "\n")
        if !incomplete.isEmpty, !statement.isEmpty {
            warnings.append(.init(element: "requirement '\(entry.id)'",
                                  message: "its statement is incomplete in this file (\(incomplete.sorted().joined(separator: ", ")) "
                                      + "referenced but absent); the statement is not imported, an earlier import's is kept"))
            statement = ""
        }
        var objectives: [String: String] = [:]
        var methods: [AssessmentMethod] = []
        var guidance: [String] = []
        for i in group {
            let x = elements[i]
            switch roles[i] {
            case .objective:
                let candidates = [x.id, Self.bracketsToDots(Self.droppingTypePrefix(x.id)), Self.droppingTypePrefix(x.id)]
                guard let id = candidates.first(where: { entry.objectives.contains($0) }) else {
                    warnings.append(.init(element: x.named, message: "not an objective of \(entry.id) in Tekigo's \(catalog.id) catalog; skipped"))
                    used.insert(i)
                    continue
                }
                used.insert(i)
                objectives[id] = Self.withParameters(Self.plain(x.text), names: paramNames)
            case .method(let name):
                used.insert(i)
                methods.append(AssessmentMethod(method: name, objects: Self.plain(x.text)))
            case .discussion:
                used.insert(i)
                if !x.text.isEmpty { guidance.append(Self.plain(x.text)) }
            default:
                break
            }
        }
        let order = ["EXAMINE", "INTERVIEW", "TEST"]
        methods.sort { (order.firstIndex(of: $0.method) ?? 9) < (order.firstIndex(of: $1.method) ?? 9) }
        return OfficialText(
            catalog: catalog.id, entryID: entry.id, oscalID: e?.id ?? entry.id, title: e?.title ?? "", statement: statement,
            guidance: guidance.joined(separator: "\n\n"),
            objectives: entry.objectives.compactMap { id in objectives[id].map { OfficialObjective(id: id, prose: $0) } },
            methods: methods, parameters: params, family: entry.family, parent: nil,
            sortOrder: catalog.entries.firstIndex { $0.id == entry.id } ?? 0)
    }

    // MARK: ids

    /// The built-in requirement an identifier belongs to: `SR-03.01.01.a`, `DS-A.03.01.01.a[01]`, `E-03.01.01`,
    /// `OS-a.03.01.01.odp[02]` → `03.01.01`; `3.1.1[a]` → `3.1.1`. The longest requirement id (active or withdrawn)
    /// that the identifier, without its type prefix, is or starts with before a `.` or `[`.
    static func requirementID(in raw: String, of catalog: Catalog) -> String? {
        var s = Substring(droppingTypePrefix(raw))
        if s.count > 2, s.first == "A" || s.first == "a", s.dropFirst().first == ".", s.dropFirst(2).first?.isNumber == true {
            s = s.dropFirst(2)
        }
        var best: String?
        func consider(_ id: String) {
            guard s.hasPrefix(id) else { return }
            let rest = s.dropFirst(id.count)
            guard rest.isEmpty || rest.first == "." || rest.first == "[" else { return }
            if id.count > (best?.count ?? 0) { best = id }
        }
        for e in catalog.entries { consider(e.id) }
        for w in catalog.withdrawn { consider(w.id) }
        return best
    }

    /// `DS-A.03.01.01.a[01]` → `A.03.01.01.a[01]`: a prefix of one to three capital letters and a hyphen.
    static func droppingTypePrefix(_ id: String) -> String {
        guard let dash = id.firstIndex(of: "-") else { return id }
        let prefix = id[..<dash]
        guard (1...3).contains(prefix.count), prefix.allSatisfy({ $0.isUppercase && $0.isASCII }) else { return id }
        return String(id[id.index(after: dash)...])
    }

    /// `A.03.01.01.a[01]` → `A.03.01.01.a.01`, `A.03.01.01.ODP[02]` → `A.03.01.01.ODP.02` (the OSCAL form the
    /// built-in catalog uses). rev2's `3.1.1[a]` has no digits in brackets and stays.
    static func bracketsToDots(_ id: String) -> String {
        var out = ""
        var rest = Substring(id)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            let inner = rest[rest.index(after: open)..<close]
            out += rest[..<open]
            if !inner.isEmpty, inner.allSatisfy(\.isNumber) { out += "." + inner } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    // MARK: text

    /// CPRT text with HTML tags (`<a href=…>`, `</a>`, `<p>`) removed; `<A.03.01.01.ODP[05]: time period>` stays for
    /// `withParameters`. Scanned by hand (see TextScanning.swift).
    static func plain(_ text: String) -> String {
        guard text.contains("<") else { return text.trimmed }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "<", let close = text[i...].firstIndex(of: ">") {
                var name = text[text.index(after: i)..<close]
                if name.first == "/" { name = name.dropFirst() }
                let word = name.prefix { $0.isASCII && $0.isLetter }
                let after = name.dropFirst(word.count).first
                if !word.isEmpty, word.allSatisfy(\.isLowercase), after == nil || after == " " || after == "/" {
                    i = text.index(after: close)
                    continue
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return out.trimmed
    }

    /// `<A.03.01.01.ODP[05]: time period>` → `[Assignment: organization-defined time period]`, the parameter's wording
    /// from the file where it has one.
    static func withParameters(_ text: String, names: [String: String]) -> String {
        guard text.contains("<") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">"),
              let colon = rest[open..<close].firstIndex(of: ":") {
            let id = String(rest[rest.index(after: open)..<colon]).trimmed
            let label = String(rest[rest.index(after: colon)..<close]).trimmed
            out += rest[..<open]
            if id.contains("ODP") {
                let usage = names[id] ?? (label.hasPrefix("organization-defined") ? label : "organization-defined \(label)")
                out += "[Assignment: \(usage)]"
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

// MARK: where a JSON file breaks

/// Foundation's JSON errors give no position on Linux; this finds where a file stops being JSON (an unterminated
/// string, more closing than opening brackets, the end of the file inside an object or list) so the message can
/// name the line and column, and the element being read.
enum JSONPosition {
    static func error(in data: Data, file: String) -> CatalogImportError {
        let bytes = [UInt8](data)
        var line = 1, column = 0
        var depth: [UInt8] = []
        var inString = false, escaped = false
        /// Objects opened directly in the top-level `elements` or `relationships` list, and which list.
        var list: String?
        var listDepth = 0
        var index = -1
        var lastKey = ""
        var current = [UInt8]()
        for b in bytes {
            if b == UInt8(ascii: "\n") { line += 1; column = 0 } else { column += 1 }
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") {
                    inString = false
                    lastKey = String(decoding: current, as: UTF8.self)
                } else { current.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true; current = []
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if b == UInt8(ascii: "["), depth.count == 1, ["elements", "relationships"].contains(lastKey) {
                    list = lastKey; listDepth = depth.count + 1; index = -1
                }
                if b == UInt8(ascii: "{"), let _ = list, depth.count == listDepth { index += 1 }
                depth.append(b)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let expected: UInt8 = b == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
                guard depth.last == expected else {
                    return .malformedJSON(file: file, line: line, column: column, near: near(list, index),
                                          problem: "'\(Character(UnicodeScalar(b)))' does not close what is open here")
                }
                depth.removeLast()
                if depth.count < listDepth { list = nil; listDepth = 0 }
            default: break
            }
        }
        if inString || !depth.isEmpty {
            return .malformedJSON(file: file, line: line, column: column, near: near(list, index),
                                  problem: "the file ends before the JSON is complete (cut off in copying or downloading?)")
        }
        return .invalidJSON(file: file, detail: "a value or separator is not valid JSON")
    }

    static func near(_ list: String?, _ index: Int) -> String? {
        guard let list, index >= 0 else { return nil }
        return "\(list)[\(index)]"
    }
}
