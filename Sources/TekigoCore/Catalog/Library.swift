import Foundation

/// Everything Tekigo knows about the standards at one moment: the built-in catalogs, custom catalogs a user
/// imported, and all crosswalks. Immutable; build a new one after an import.
public struct Library: Sendable {
    public let catalogs: [CatalogID: Catalog]
    public let crosswalk: Crosswalk

    public init(catalogs: [Catalog], mappings: [Mapping]) {
        var byID: [CatalogID: Catalog] = [:]
        for c in catalogs { byID[c.id] = c }
        self.catalogs = byID
        self.crosswalk = Crosswalk(mappings)
    }

    /// Catalogs in a stable order: built-in first, then custom ones by id.
    public var orderedCatalogs: [Catalog] {
        CatalogID.builtIn.compactMap { catalogs[$0] }
            + catalogs.values.filter { !$0.id.isBuiltIn }.sorted { $0.id < $1.id }
    }

    public subscript(ref: EntryRef) -> CatalogEntry? { catalogs[ref.catalog]?[ref.id] }

    public func catalog(_ id: CatalogID) throws(LibraryError) -> Catalog {
        guard let c = catalogs[id] else {
            throw .unknownCatalog(id.rawValue, known: orderedCatalogs.map(\.id.rawValue))
        }
        return c
    }

    /// Finds an entry from what a person would type: `3.1.1`, `03.01.01`, `AC-2`, `ac-2.1`, `AC.L2-3.1.1`,
    /// `GV.OC-01`, an objective such as `3.1.1[a]` (its requirement), or `catalog:id`.
    /// Tries the named catalog first, then every catalog in order.
    public func resolve(_ query: String, preferring preferred: CatalogID? = nil) throws(LibraryError) -> CatalogEntry {
        let trimmed = query.trimmed
        // `catalog:id` names the catalog outright.
        if let colon = trimmed.firstIndex(of: ":") {
            let cat = try catalog(CatalogID(String(trimmed[..<colon])))
            let rest = String(trimmed[trimmed.index(after: colon)...])
            if let e = Self.find(rest, in: cat) { return e }
            throw .unknownID(query, suggestions: suggestions(for: rest, preferring: cat.id))
        }
        if let preferred, let cat = catalogs[preferred], let e = Self.find(trimmed, in: cat) { return e }
        // An exact id wins over a respelling (03.01.01 is rev3's, even though rev2 has 3.1.1).
        for catalog in orderedCatalogs { if let e = catalog[trimmed] { return e } }
        for catalog in orderedCatalogs { if let e = Self.find(trimmed, in: catalog) { return e } }
        throw .unknownID(query, suggestions: suggestions(for: trimmed, preferring: preferred))
    }

    private static func find(_ query: String, in catalog: Catalog) -> CatalogEntry? {
        IDNormalizer.candidates(for: query, in: catalog.id).lazy.compactMap { catalog[$0] }.first
    }

    /// Up to three ids close to `query` (edit distance), for "did you mean …?".
    public func suggestions(for query: String, preferring preferred: CatalogID? = nil) -> [String] {
        let q = query.uppercased()
        var scored: [(Int, Int, String)] = []
        for (rank, catalog) in orderedCatalogs.enumerated() {
            let bias = catalog.id == preferred ? -1 : rank
            for e in catalog.entries {
                let d = editDistance(q, e.id.uppercased())
                if d <= max(2, q.count / 3) { scored.append((d, bias, e.id)) }
            }
        }
        scored.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var out: [String] = []
        for s in scored where !out.contains(s.2) {
            out.append(s.2)
            if out.count == 3 { break }
        }
        return out
    }

    /// The requirement that holds an objective id such as `3.1.1[a]` or `A.03.01.01.a.01`.
    public func requirement(forObjective objective: String, in catalog: CatalogID) -> CatalogEntry? {
        catalogs[catalog]?.entries.first { $0.objectives.contains(objective) }
    }
}

public enum LibraryError: Error, Equatable, CustomStringConvertible {
    case unknownCatalog(String, known: [String])
    case unknownID(String, suggestions: [String])

    public var description: String {
        switch self {
        case .unknownCatalog(let id, let known):
            return "unknown catalog '\(id)'. Known catalogs: \(known.joined(separator: ", "))."
        case .unknownID(let id, let suggestions):
            let hint = suggestions.isEmpty
                ? "Use `tekigo catalog list` to see the ids."
                : "Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "unknown id '\(id)'. \(hint)"
        }
    }
}

/// Turns the spellings people use into the ids the built-in catalogs carry.
public enum IDNormalizer {
    public static func candidates(for raw: String, in catalog: CatalogID) -> [String] {
        var q = raw
        // An objective id names its requirement: 3.1.1[a] -> 3.1.1.
        if let bracket = q.firstIndex(of: "[") { q = String(q[..<bracket]) }
        // CMMC ids: AC.L2-3.1.1 / AC.L1-3.1.1 -> 3.1.1.
        q = strippingCMMCPrefix(q)
        var out = [raw, q]
        switch catalog {
        case .sp800171r2:
            // 03.01.01 -> 3.1.1
            let parts = q.split(separator: ".").compactMap { Int($0) }
            if parts.count == 3 { out.append(parts.map(String.init).joined(separator: ".")) }
        case .sp800171r3:
            let parts = q.split(separator: ".").compactMap { Int($0) }
            if parts.count == 3 {
                out.append(parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: "."))
            }
        case .sp80053r5:
            if let c = canonicalSP80053(q) { out.append(c) }
        case .csf2:
            out.append(q.uppercased())
        default:
            break
        }
        return out
    }
}

/// Levenshtein distance; ids are short, so the quadratic table is fine.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
