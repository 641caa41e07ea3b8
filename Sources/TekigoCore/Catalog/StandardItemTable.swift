import Foundation

/// A catalog of a standard's items read from CSV (issue #17 item 3): built for the Japanese 防衛産業サイバーセキュリティ
/// 基準, whose items the user copies from the 別紙 and its 付紙 — Tekigo ships no item list. Ids are kept exactly as
/// printed (Japanese characters, full-width parentheses); each item carries a typed mapping to SP 800-171 rev2 and/or
/// rev3 checked against the built-in catalogs. Every problem is collected with its row and column, and a file with any
/// problem yields nothing. Columns: docs/JAPANESE-STANDARD.md.
public enum StandardItemTable {
    /// The columns, in the order the documentation lists them. Order in a file is free; names are matched without
    /// regard to case or surrounding spaces.
    public enum Column: String, CaseIterable, Sendable {
        case itemID = "item_id"
        case section
        case sectionTitleJA = "section_title_ja"
        case sectionTitleEN = "section_title_en"
        case parentID = "parent_id"
        case titleJA = "title_ja"
        case titleEN = "title_en"
        case sp800171r2 = "sp800_171_r2"
        case sp800171r3 = "sp800_171_r3"
        case relation
        case rationale

        public static let required: [Column] = [.itemID, .section, .titleJA]
    }

    /// One problem: the row (the file's first row is row 1, as a spreadsheet numbers it; nil for the file as a whole), the
    /// column's name and letter when one cell is at fault, and what is wrong in both languages.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let row: Int?
        public let column: String?
        public let columnLetter: String?
        public let message: LocalizedText
        /// The element of an OSCAL item table at fault (`OSCALItemTable`), e.g. "control 'i-3-1-a' (付紙第3項（1）ア)",
        /// where a CSV file names its row.
        public var element: String?

        public init(row: Int?, column: String?, columnLetter: String?, message: LocalizedText, element: String? = nil) {
            self.row = row
            self.column = column
            self.columnLetter = columnLetter
            self.message = message
            self.element = element
        }

        public func text(_ lang: Language) -> String {
            var place: [String] = []
            if let element { place.append(element) }
            if let row { place.append(lang == .ja ? "\(row) 行目" : "row \(row)") }
            if let column {
                let letter = columnLetter.map { lang == .ja ? "（\($0) 列）" : " (\($0))" } ?? ""
                place.append(lang == .ja ? "列 \(column)\(letter)" : "column \(column)\(letter)")
            }
            let prefix = place.isEmpty ? "" : place.joined(separator: lang == .ja ? "、" : ", ") + (lang == .ja ? ": " : ": ")
            return prefix + message[lang]
        }

        public var description: String { text(.en) }
    }

    /// What a good file gives: the catalog (items as entries, sub-items as their objectives) and its mappings.
    public struct Parsed: Sendable {
        public let imported: ImportedCatalog
        public let mappings: [Mapping]
        public let items: Int
        public let subItems: Int
    }

    /// `A`, `B`, … `Z`, `AA` for a zero-based column index.
    public static func letter(_ index: Int) -> String {
        var n = index + 1, out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    static let relationWords: [String: Relation] = [
        "equal": .equal, "equivalent": .equal, "同等": .equal,
        "subset": .subset, "部分集合": .subset, "superset": .superset, "上位集合": .superset,
        "intersect": .intersect, "related": .intersect, "一部重複": .intersect, "関連": .intersect,
    ]

    /// The relation a cell names (`equal`, `equivalent`, `subset`, `superset`, `intersect`, `related`, or the Japanese
    /// labels), or nil.
    public static func relation(_ raw: String) -> Relation? { relationWords[raw.trimmed.lowercased()] }

    /// Characters an item id may not hold: control characters and line breaks, and `/` and `\` (an id is a segment of
    /// a page's address). Everything else — kanji, kana, full-width parentheses and digits — is kept as written.
    static func idProblem(_ id: String) -> LocalizedText? {
        if let bad = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "/" || $0 == "\\"
            || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator }) {
            let shown = CatalogID.visible(bad)
            return LocalizedText(en: "an item id may not hold '\(shown)'; write the id as printed, on one line, without / or \\",
                                 ja: "項目 ID に「\(shown)」は使えません。印刷どおりの ID を 1 行で、/ や \\ を含めずに書いてください")
        }
        return nil
    }

    /// Reads `data` (UTF-8 CSV, a byte-order mark allowed) as catalog `catalog` named `name`, checking each mapping
    /// against `library`'s SP 800-171 rev2 and rev3 catalogs. Either the whole catalog or every problem.
    public static func read(_ data: Data, catalog: CatalogID, name: String, version: String = "",
                            library: Library) -> Result<Parsed, StandardItemTableError> {
        var problems: [Problem] = []
        func fileProblem(_ en: String, _ ja: String) { problems.append(Problem(row: nil, column: nil, columnLetter: nil, message: LocalizedText(en: en, ja: ja))) }
        if let p = CatalogID.problem(with: catalog.rawValue) {
            fileProblem("the catalog id: \(CatalogIDError(id: catalog.rawValue, problem: p))",
                        "カタログ ID「\(catalog.rawValue)」は使えません。英小文字・数字・- _ . の 1〜64 文字で指定してください（例: atla-standard）")
        } else if catalog.isBuiltIn {
            fileProblem("'\(catalog.rawValue)' is a built-in catalog; give the imported catalog an id of its own (for example atla-standard)",
                        "「\(catalog.rawValue)」は組み込みカタログの ID です。別の ID を指定してください（例: atla-standard）")
        }
        let title = name.trimmed
        if title.isEmpty { fileProblem("the catalog needs a name (--name, or the form's name field)", "カタログ名を指定してください（--name またはフォームの名称欄）") }
        if ImportText.isRefused(name) || ImportText.isRefused(version) { fileProblem("the name \(ImportText.problem)", "名称に NUL 文字（U+0000）は使えません") }
        guard !data.isEmpty, var text = String(data: data, encoding: .utf8) else {
            fileProblem(data.isEmpty ? "the file is empty" : "the file is not UTF-8 text; save the CSV as UTF-8 (Excel: CSV UTF-8)",
                        data.isEmpty ? "ファイルが空です" : "ファイルが UTF-8 のテキストではありません。CSV UTF-8 形式で保存してください")
            return .failure(.problems(problems))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // A row whose first cell starts with `#` is a comment (a file says what it is: "an illustration, not the
        // official list"); blank rows are skipped too. Row numbers stay those of the file.
        let all = CSVRows.parse(text)
        func isComment(_ r: [String]) -> Bool { r.first?.trimmed.hasPrefix("#") ?? false }
        let headerAt = all.firstIndex { !isComment($0) && $0.contains { !$0.trimmed.isEmpty } }
        let rows = headerAt.map { Array(all[$0...]) } ?? []
        let headerNumber = (headerAt ?? 0) + 1
        guard let headerRow = rows.first else {
            fileProblem("the file has no header row; the first row names the columns (item_id, section, title_ja, …)",
                        "見出し行がありません。1 行目に列名（item_id, section, title_ja など）を書いてください")
            return .failure(.problems(problems))
        }
        // The header: every name known, none twice, the required ones present.
        var index: [Column: Int] = [:]
        for (i, raw) in headerRow.enumerated() {
            let key = raw.trimmed.lowercased()
            if key.isEmpty { continue }
            guard let column = Column(rawValue: key) else {
                problems.append(Problem(row: headerNumber, column: raw.trimmed, columnLetter: letter(i), message: LocalizedText(
                    en: "unknown column; the columns are \(Column.allCases.map(\.rawValue).joined(separator: ", "))",
                    ja: "不明な列です。使える列は \(Column.allCases.map(\.rawValue).joined(separator: ", ")) です")))
                continue
            }
            if let first = index[column] {
                problems.append(Problem(row: headerNumber, column: key, columnLetter: letter(i), message: LocalizedText(
                    en: "the column appears twice (first in \(letter(first)))", ja: "同じ列が 2 回あります（最初は \(letter(first)) 列）")))
                continue
            }
            index[column] = i
        }
        for c in Column.required where index[c] == nil {
            problems.append(Problem(row: headerNumber, column: c.rawValue, columnLetter: nil, message: LocalizedText(
                en: "this required column is missing from the header row", ja: "必須の列が見出し行にありません")))
        }
        guard problems.isEmpty else { return .failure(.problems(problems)) }

        struct Row {
            let number: Int
            let cells: [String]
        }
        struct Item {
            let row: Int
            let id: String
            let section: String
            let titleJA: String
            let titleEN: String?
            var subItems: [(id: String, title: String)] = []
        }
        var items: [Item] = []
        var itemIndex: [String: Int] = [:]
        var firstRow: [String: Int] = [:]
        var sections: [(id: String, ja: String?, en: String?, row: Int)] = []
        var mappings: [Mapping] = []
        let dataRows = rows.enumerated().dropFirst().filter { !isComment($0.element) }
            .map { Row(number: headerNumber + $0.offset, cells: $0.element) }
        // Sub-items name their item, which may come later in the file: items first, then sub-items.
        let isSubItem: (Row) -> Bool = { r in
            guard let i = index[.parentID], i < r.cells.count else { return false }
            return !r.cells[i].trimmed.isEmpty
        }
        let ordered = dataRows.filter { !isSubItem($0) } + dataRows.filter(isSubItem)
        for r in ordered {
            if r.cells.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            func cell(_ c: Column) -> String {
                guard let i = index[c], i < r.cells.count else { return "" }
                return r.cells[i].trimmed
            }
            func problem(_ c: Column?, _ en: String, _ ja: String) {
                problems.append(Problem(row: r.number, column: c?.rawValue, columnLetter: c.flatMap { index[$0] }.map(letter),
                                        message: LocalizedText(en: en, ja: ja)))
            }
            if let i = r.cells.firstIndex(where: ImportText.isRefused) {
                problems.append(Problem(row: r.number, column: i < headerRow.count ? headerRow[i].trimmed : nil, columnLetter: letter(i),
                                        message: LocalizedText(en: ImportText.problem, ja: "NUL 文字（U+0000）は使えません。ファイルから取り除いてください")))
                continue
            }
            if r.cells.count > headerRow.count, r.cells[headerRow.count...].contains(where: { !$0.trimmed.isEmpty }) {
                problem(nil, "the row has \(r.cells.count) cells but the header names \(headerRow.count) columns; quote cells that hold commas",
                        "この行のセルは \(r.cells.count) 個ですが見出しの列は \(headerRow.count) 個です。カンマを含むセルは \" で囲んでください")
                continue
            }
            let id = cell(.itemID)
            if id.isEmpty { problem(.itemID, "the item id is empty", "項目 ID が空です"); continue }
            if let p = idProblem(id) { problem(.itemID, p.en, p.ja); continue }
            if let earlier = firstRow[id] {
                problem(.itemID, "the id '\(id)' is already used in row \(earlier); each item and sub-item has its own id",
                        "ID「\(id)」は \(earlier) 行目で使われています。項目・細目ごとに別の ID にしてください")
                continue
            }
            firstRow[id] = r.number
            let titleJA = cell(.titleJA)
            if titleJA.isEmpty { problem(.titleJA, "the Japanese title is empty", "日本語の表題（title_ja）が空です") }
            let titleEN = cell(.titleEN)
            let parent = cell(.parentID)
            let hasMapping = !(cell(.sp800171r2).isEmpty && cell(.sp800171r3).isEmpty)
            if !parent.isEmpty {
                // A sub-item: one assessment objective of its item.
                guard let p = itemIndex[parent] else {
                    if firstRow[parent] != nil {
                        problem(.parentID, "'\(parent)' is itself a sub-item; a sub-item belongs to an item (one level only)",
                                "「\(parent)」は細目です。細目の親は項目にしてください（1 階層のみ）")
                    } else {
                        problem(.parentID, "no item has the id '\(parent)' in this file", "ID が「\(parent)」の項目はこのファイルにありません")
                    }
                    continue
                }
                let section = cell(.section)
                if !section.isEmpty, section != items[p].section {
                    problem(.section, "the sub-item's section '\(section)' differs from its item's ('\(items[p].section)'); leave it empty",
                            "細目の section「\(section)」が項目の section「\(items[p].section)」と違います。空欄にしてください")
                }
                if hasMapping {
                    problem(cell(.sp800171r2).isEmpty ? .sp800171r3 : .sp800171r2,
                            "a sub-item carries no mapping; map its item '\(parent)' instead",
                            "細目には対応付けを書けません。項目「\(parent)」に書いてください")
                }
                if !titleJA.isEmpty { items[p].subItems.append((id, titleJA)) }
                continue
            }
            let section = cell(.section)
            if section.isEmpty { problem(.section, "the section is empty; name the part of the standard the item is in (for example 付紙第3項)",
                                         "section が空です。項目が属する箇所（例: 付紙第3項）を書いてください"); continue }
            let sectionJA = cell(.sectionTitleJA), sectionEN = cell(.sectionTitleEN)
            if let s = sections.firstIndex(where: { $0.id == section }) {
                if !sectionJA.isEmpty, let known = sections[s].ja, known != sectionJA {
                    problem(.sectionTitleJA, "section '\(section)' is titled '\(known)' in row \(sections[s].row)",
                            "section「\(section)」の表題は \(sections[s].row) 行目で「\(known)」です")
                }
                if !sectionEN.isEmpty, let known = sections[s].en, known != sectionEN {
                    problem(.sectionTitleEN, "section '\(section)' is titled '\(known)' in row \(sections[s].row)",
                            "section「\(section)」の英語表題は \(sections[s].row) 行目で「\(known)」です")
                }
                if sections[s].ja == nil, !sectionJA.isEmpty { sections[s].ja = sectionJA }
                if sections[s].en == nil, !sectionEN.isEmpty { sections[s].en = sectionEN }
            } else {
                sections.append((section, sectionJA.isEmpty ? nil : sectionJA, sectionEN.isEmpty ? nil : sectionEN, r.number))
            }
            // The mapping: ids of each SP 800-171 revision, each with the row's relation or its own (`3.1.1=subset`).
            let rowRelationText = cell(.relation)
            let rowRelation = rowRelationText.isEmpty ? nil : relation(rowRelationText)
            if !rowRelationText.isEmpty, rowRelation == nil {
                problem(.relation, "'\(rowRelationText)' is not a relation; use equal (equivalent), subset, superset or intersect (related)",
                        "「\(rowRelationText)」は関係の値ではありません。equal（equivalent）, subset, superset, intersect（related）のいずれかです")
            }
            let rationale = cell(.rationale)
            for (column, target) in [(Column.sp800171r2, CatalogID.sp800171r2), (.sp800171r3, .sp800171r3)] {
                let tokens = cell(column).split(whereSeparator: { ";；、,".contains($0) || $0.isWhitespace }).map(String.init)
                for token in tokens {
                    let parts = token.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
                    let raw = parts[0]
                    var rel = rowRelation
                    if parts.count == 2 {
                        guard let own = relation(parts[1]) else {
                            problem(column, "'\(parts[1])' after '\(raw)=' is not a relation; use equal, subset, superset or intersect",
                                    "「\(raw)=」の後の「\(parts[1])」は関係の値ではありません。equal, subset, superset, intersect のいずれかです")
                            continue
                        }
                        rel = own
                    }
                    guard let cat = library.catalogs[target] else { continue }
                    if raw.contains("[") || raw.hasPrefix("A.") {
                        problem(column, "'\(raw)' is an assessment objective; map the item to the requirement (for example \(target == .sp800171r2 ? "3.1.1" : "03.01.01"))",
                                "「\(raw)」は評価目的の ID です。要件の ID（例: \(target == .sp800171r2 ? "3.1.1" : "03.01.01")）に対応付けてください")
                        continue
                    }
                    guard let entry = cat[raw] ?? IDNormalizer.candidates(for: raw, in: target).lazy.compactMap({ cat[$0] }).first,
                          entry.level == .requirement else {
                        let hint = library.suggestions(for: raw, preferring: target).filter { cat[$0] != nil }
                        problem(column, "'\(raw)' is not a requirement of \(target.rawValue)" + (hint.isEmpty ? "" : "; did you mean \(hint.joined(separator: ", "))?"),
                                "「\(raw)」は \(target.rawValue) の要件 ID ではありません" + (hint.isEmpty ? "" : "（候補: \(hint.joined(separator: ", "))）"))
                        continue
                    }
                    guard let relation = rel else {
                        problem(.relation, "the relation is empty; say how the item relates to \(entry.id) (equal, subset, superset or intersect)",
                                "relation が空です。\(entry.id) との関係（equal, subset, superset, intersect）を書いてください")
                        continue
                    }
                    let m = Mapping(from: EntryRef(catalog: catalog, id: id), to: entry.ref, relation: relation, provenance: .imported,
                                    rationale: rationale.isEmpty ? nil : rationale)
                    if mappings.contains(where: { $0.from == m.from && $0.to == m.to }) {
                        problem(column, "'\(entry.id)' is listed twice for this item", "「\(entry.id)」がこの項目に 2 回書かれています")
                        continue
                    }
                    mappings.append(m)
                }
            }
            itemIndex[id] = items.count
            items.append(Item(row: r.number, id: id, section: section, titleJA: titleJA, titleEN: titleEN.isEmpty ? nil : titleEN))
        }
        if problems.isEmpty, items.isEmpty {
            fileProblem("the file has no item rows under its header", "見出し行の下に項目の行がありません")
        }
        guard problems.isEmpty else {
            return .failure(.problems(problems.sorted { ($0.row ?? 0, $0.columnLetter ?? "") < ($1.row ?? 0, $1.columnLetter ?? "") }))
        }
        // Items in file order (sub-items were read after them, in file order too).
        let families = sections.map { s in
            Family(id: s.id, abbr: s.id, title: LocalizedText(en: s.en ?? s.ja ?? s.id, ja: s.ja ?? s.id))
        }
        let texts = items.sorted { $0.row < $1.row }.enumerated().map { (order, item) in
            OfficialText(catalog: catalog, entryID: item.id, oscalID: item.id, title: item.titleJA, statement: item.titleJA, guidance: "",
                         objectives: item.subItems.map { OfficialObjective(id: $0.id, prose: $0.title) }, methods: [], parameters: [],
                         family: item.section, parent: nil, sortOrder: order, titleEN: item.titleEN)
        }
        let imported = ImportedCatalog(catalog: catalog, title: title, version: version.trimmed, oscalVersion: "csv", families: families,
                                       texts: texts)
        return .success(Parsed(imported: imported, mappings: mappings, items: items.count,
                               subItems: items.reduce(0) { $0 + $1.subItems.count }))
    }
}

/// A refused item table: every problem, each with its row and column. Nothing was imported.
public enum StandardItemTableError: Error, Sendable, Equatable, CustomStringConvertible {
    case problems([StandardItemTable.Problem])

    public var problems: [StandardItemTable.Problem] {
        switch self { case .problems(let p): return p }
    }

    public func text(_ lang: Language) -> String {
        let head = lang == .ja ? "\(problems.count) 件の問題があるため、何も取り込んでいません:" : "\(problems.count) problem(s); nothing was imported:"
        return ([head] + problems.map { "  " + $0.text(lang) }).joined(separator: "\n")
    }

    public var description: String { text(.en) }
}
