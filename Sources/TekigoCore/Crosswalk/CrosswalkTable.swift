import Foundation

/// Reads user crosswalk rows (`from_catalog,from_id,relation,to_catalog,to_id,rationale`) into mappings,
/// checking every id against the library. All problems are collected, so the user fixes them in one pass.
public enum CrosswalkTable {
    public static let header = ["from_catalog", "from_id", "relation", "to_catalog", "to_id", "rationale"]

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// `rows` excludes the header; `firstLine` is the file line of `rows[0]` (2 when the header is line 1).
    public static func mappings(
        header: [String], rows: [[String]], firstLine: Int = 2, library: Library
    ) -> Result<[Mapping], CrosswalkTableError> {
        let normalized = header.map { $0.trimmed.lowercased() }
        let missing = Self.header.dropLast().filter { !normalized.contains($0) }
        if !missing.isEmpty { return .failure(.missingColumns(missing)) }
        func column(_ name: String, _ row: [String]) -> String {
            guard let i = normalized.firstIndex(of: name), i < row.count else { return "" }
            return row[i].trimmed
        }
        var problems: [Problem] = []
        var out: [Mapping] = []
        var seen: Set<[String]> = []
        for (offset, row) in rows.enumerated() {
            let line = firstLine + offset
            if row.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            // The one text rule and the one id rule of every importer (ImportRules.swift).
            if let i = row.firstIndex(where: ImportText.isRefused) {
                let name = i < normalized.count ? normalized[i] : "\(i + 1)"
                problems.append(Problem(line: line, message: "column '\(name)' \(ImportText.problem)"))
                continue
            }
            if let bad = ["from_catalog", "to_catalog"].first(where: { CatalogID.problem(with: column($0, row)) != nil }),
               let problem = CatalogID.problem(with: column(bad, row)) {
                problems.append(Problem(line: line, message: "\(bad): \(CatalogIDError(id: column(bad, row), problem: problem))"))
                continue
            }
            let fromCatalog = CatalogID(column("from_catalog", row))
            let toCatalog = CatalogID(column("to_catalog", row))
            let relText = column("relation", row).lowercased()
            guard let relation = Relation(rawValue: relText) else {
                problems.append(Problem(line: line, message: "relation '\(relText)' is not one of "
                    + Relation.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            var endpoints: [EntryRef] = []
            for (cat, idColumn) in [(fromCatalog, "from_id"), (toCatalog, "to_id")] {
                let raw = column(idColumn, row)
                guard library.catalogs[cat] != nil else {
                    problems.append(Problem(line: line, message: "catalog '\(cat.rawValue)' is not known; import it first "
                        + "(known: \(library.orderedCatalogs.map(\.id.rawValue).joined(separator: ", ")))"))
                    break
                }
                guard let entry = try? library.resolve("\(cat.rawValue):\(raw)") else {
                    let hint = library.suggestions(for: raw, preferring: cat)
                    problems.append(Problem(line: line, message: "'\(raw)' is not an id of \(cat.rawValue)"
                        + (hint.isEmpty ? "" : "; did you mean \(hint.joined(separator: ", "))?")))
                    break
                }
                endpoints.append(entry.ref)
            }
            guard endpoints.count == 2 else { continue }
            if endpoints[0].catalog == endpoints[1].catalog {
                problems.append(Problem(line: line, message: "a crosswalk links two different catalogs"))
                continue
            }
            let key = [endpoints[0].description, endpoints[1].description]
            if !seen.insert(key).inserted {
                problems.append(Problem(line: line, message: "\(key[0]) → \(key[1]) is listed twice"))
                continue
            }
            let rationale = column("rationale", row)
            out.append(Mapping(from: endpoints[0], to: endpoints[1], relation: relation, provenance: .imported,
                               rationale: rationale.isEmpty ? nil : rationale))
        }
        if !problems.isEmpty { return .failure(.invalidRows(problems)) }
        if out.isEmpty { return .failure(.empty) }
        return .success(out)
    }
}

public enum CrosswalkTableError: Error, Equatable, CustomStringConvertible {
    case missingColumns([String])
    case invalidRows([CrosswalkTable.Problem])
    case empty

    public var description: String {
        switch self {
        case .missingColumns(let cols):
            return "the header row lacks \(cols.joined(separator: ", ")); expected: "
                + CrosswalkTable.header.joined(separator: ",")
        case .invalidRows(let problems):
            return "\(problems.count) row(s) cannot be imported; nothing was stored:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        case .empty:
            return "the file has no mapping rows"
        }
    }
}
