import ArgumentParser
import CSV
import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore
import TekigoUseCases

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: say(ja: "基準のカタログを閲覧・対応付け・取込みします（SP 800-171 第2版/第3版、SP 800-53 第5版、CSF 2.0、独自カタログ）。", en: "Browse, map and import standards catalogs (SP 800-171 rev2/rev3, SP 800-53 rev5, CSF 2.0, custom)."),
        subcommands: [CatalogList.self, CatalogShow.self, CatalogMap.self, CatalogImport.self, CatalogImports.self,
                      CrosswalkCommand.self])
}

// MARK: list

struct CatalogList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: say(ja: "カタログの項目を一覧にします。", en: "List the entries of a catalog."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "sp800-171r2（既定）、sp800-171r3、sp800-53r5、csf2、又は取り込んだカタログの ID。", en: "sp800-171r2 (default), sp800-171r3, sp800-53r5, csf2, or an imported catalog's id."))
    var catalog: String = CatalogID.sp800171r2.rawValue
    @Option(help: .say(ja: "このファミリーだけ。略称（AC）又は ID（3.1, 03.01, GV）で指定。", en: "Only this family, by abbreviation (AC) or id (3.1, 03.01, GV)."))
    var family: String?
    @Option(help: .say(ja: "table, json 又は csv。", en: "table, json or csv.")) var format: OutputFormat = .table

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let cat = try ctx.library.catalog(CatalogID(catalog))
            var entries = cat.entries
            if let family {
                guard cat.family(family) != nil else {
                    let families = cat.families.map { "\($0.abbr) (\($0.id))" }.joined(separator: ", ")
                    throw UserError(lang == .ja ? "\(cat.id) にファミリー '\(family)' はありません。ファミリー: \(families)"
                                                : "unknown family '\(family)' in \(cat.id). Families: \(families)", exitCode: 2)
                }
                entries = cat.entries(inFamily: family)
            }
            switch format {
            case .json:
                print(try encodeJSON(entries.map { EntryJSON($0, catalog: cat, library: ctx.library, lang: lang) }))
            case .csv:
                print(csvLine(["id", "family", "title_en", "title_ja", "sprs_value", "objectives", "cmmc_id"]))
                for e in entries {
                    print(csvLine([e.id, cat.family(e.family)?.abbr ?? e.family, e.title.en, e.title.ja,
                                   e.sprs.map { String($0.value) } ?? "", e.objectives.joined(separator: " "),
                                   e.cmmcId ?? ""]))
                }
            case .table:
                var t = TextTable([Msg.id(lang), Msg.family(lang), Msg.title(lang), "SPRS", Msg.objectives(lang)])
                for e in entries {
                    t.add([e.id, cat.family(e.family)?.abbr ?? e.family, e.title[lang],
                           e.sprs.map { sprsText($0, lang) } ?? "", e.objectives.isEmpty ? "" : String(e.objectives.count)])
                }
                print(t.render())
                print("\n\(cat.name[lang]) — \(entries.count) \(Msg.entries(lang))")
            }
        }
    }
}

func sprsText(_ v: SPRSValue, _ lang: Language) -> String {
    switch v.rule {
    case .standard, .notPermittedAllowed: return String(v.value)
    case .partialCredit: return "\(v.value)/\(v.partialValue ?? v.value)"
    case .sspGate: return lang == .ja ? "なし" : "NA"
    }
}

/// One entry in `list --format json`: stable field names for scripts.
struct EntryJSON: Encodable {
    struct MappingJSON: Encodable {
        let catalog: String
        let id: String
        let relation: String
        let provenance: String
        let rationale: String?
    }
    let id: String
    let catalog: String
    let family: String
    let familyAbbr: String
    let title: String
    let titles: LocalizedText
    let parent: String?
    let kind: String?
    let cmmcId: String?
    let cmmcLevel1: Bool?
    let sprsValue: Int?
    let sprsPartialValue: Int?
    let sprsRule: String?
    let objectives: [String]
    let odps: [String]
    let mappings: [MappingJSON]

    init(_ e: CatalogEntry, catalog: Catalog, library: Library, lang: Language) {
        id = e.id
        self.catalog = e.catalog.rawValue
        family = e.family
        familyAbbr = catalog.family(e.family)?.abbr ?? e.family
        title = e.title[lang]
        titles = e.title
        parent = e.parent
        kind = e.kind?.rawValue
        cmmcId = e.cmmcId
        cmmcLevel1 = e.catalog == .sp800171r2 ? e.cmmcLevel1 : nil
        sprsValue = e.sprs?.value
        sprsPartialValue = e.sprs?.partialValue
        sprsRule = e.sprs?.rule.rawValue
        objectives = e.objectives
        odps = e.odps
        mappings = library.crosswalk.mappings(of: e.ref).map {
            MappingJSON(catalog: $0.to.catalog.rawValue, id: $0.to.id, relation: $0.relation.rawValue,
                        provenance: $0.provenance.rawValue, rationale: $0.rationale)
        }
    }
}

// MARK: show

struct CatalogShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: say(ja: "要件・管理策・CSF カテゴリを 1 つ、その情報と対応関係とともに表示します。", en: "Show one requirement, control or CSF category with its facts and mappings."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "ID: 3.6.3, 03.06.03, IR-3, AC.L2-3.1.1, GV.OC-01, 3.1.1[a]、又は catalog:id。", en: "An id: 3.6.3, 03.06.03, IR-3, AC.L2-3.1.1, GV.OC-01, 3.1.1[a], or catalog:id."))
    var id: String
    @Option(help: .say(ja: "先にこのカタログを探します。", en: "Look in this catalog first.")) var catalog: String?
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let preferred = catalog.map { CatalogID($0) }
            // A withdrawn rev3 number (03.10.03) is not rev2's 3.10.3: explain where it went.
            if let w = withdrawnNote(id, ctx.library, lang) { print(w); return }
            let entry = try ctx.library.resolve(id, preferring: preferred)
            let official = try await ctx.catalogs?.officialText(catalog: entry.catalog, entryID: entry.id)
            if official == nil { try await OfficialWordingNotice.printIfNeeded(entry.catalog, catalogs: ctx.catalogs, lang) }
            if format == .json {
                let cat = try ctx.library.catalog(entry.catalog)
                struct ShowJSON: Encodable {
                    let entry: EntryJSON
                    let official: OfficialText?
                    let guidance: RequirementGuidance?
                }
                print(try encodeJSON(ShowJSON(
                    entry: EntryJSON(entry, catalog: cat, library: ctx.library, lang: lang), official: official,
                    guidance: try GuidanceLibrary.builtIn.guidance(for: entry))))
                return
            }
            print(EntryPrinter(library: ctx.library, lang: lang)
                .render(entry, official: official, guidance: try GuidanceLibrary.builtIn.guidance(for: entry)))
        }
    }
}

/// `03.10.03` and other withdrawn rev3 numbers get an explanation instead of "unknown id".
func withdrawnNote(_ id: String, _ library: Library, _ lang: Language) -> String? {
    guard let r3 = library.catalogs[.sp800171r3] else { return nil }
    let bare = id.hasPrefix("sp800-171r3:") ? String(id.dropFirst("sp800-171r3:".count)) : id
    guard let w = r3.withdrawnRequirement(bare) else { return nil }
    var lines = ["\(w.id)  \(Msg.withdrawnIn(lang))"]
    if !w.incorporatedInto.isEmpty { lines.append("  \(Msg.incorporatedInto(lang)): \(w.incorporatedInto.joined(separator: ", "))") }
    if !w.addressedBy.isEmpty { lines.append("  \(Msg.addressedBy(lang)): \(w.addressedBy.joined(separator: ", "))") }
    if let why = w.reason {
        // NIST's data carries no reason for these: the text is ours, so say so and name where NIST states it.
        lines.append("  \(why.text[lang]) [\(why.provenance.label[lang]), \(why.source)]")
    } else if w.incorporatedInto.isEmpty && w.addressedBy.isEmpty {
        lines.append("  " + Msg.noMappings(lang))
    }
    return lines.joined(separator: "\n")
}

/// The "standards table" view of one entry.
struct EntryPrinter {
    let library: Library
    let lang: Language

    func render(_ e: CatalogEntry, official: OfficialText?, guidance: RequirementGuidance? = nil) -> String {
        let other: Language = lang == .ja ? .en : .ja
        var out: [String] = []
        out.append("\(e.id)  \(e.title[lang])")
        if e.title[other] != e.title[lang] { out.append(String(repeating: " ", count: e.id.count + 2) + e.title[other]) }
        out.append("")
        var rows: [(Msg, String)] = []
        let cat = library.catalogs[e.catalog]
        rows.append((.catalog, cat?.name[lang] ?? e.catalog.rawValue))
        if let fam = cat?.family(e.family) { rows.append((.family, "\(fam.id) \(fam.title[lang]) (\(fam.abbr))")) }
        if let k = e.kind { rows.append((.kind, k == .basic ? Msg.basic(lang) : Msg.derived(lang))) }
        if let c = e.cmmcId {
            rows.append((.cmmc, c + (e.cmmcLevel1 ? "  — \(Msg.level1(lang))" : "")))
        }
        if let s = e.sprs { rows.append((.sprs, sprsLine(s))) }
        for target in CatalogID.builtIn + library.orderedCatalogs.map(\.id).filter({ !$0.isBuiltIn }) where target != e.catalog {
            let paths = library.crosswalk.paths(from: e.ref, to: target, maxHops: 2)
            if paths.isEmpty { continue }
            let label: Msg = target == .sp80053r5 ? .sources53 : target == .csf2 ? .csf
                : target == .sp800171r3 ? .rev3 : target == .sp800171r2 ? .rev2 : .catalog
            let text = paths.map { describe($0) }.joined(separator: "\n")
            rows.append((label, label == .catalog ? "\(target.rawValue): \(text)" : text))
        }
        if !e.objectives.isEmpty {
            rows.append((.objectives, "\(e.objectives.count): " + e.objectives.joined(separator: " ")))
        }
        if !e.odps.isEmpty { rows.append((.odps, "\(e.odps.count): " + e.odps.joined(separator: " "))) }
        let width = rows.map { displayWidth($0.0(lang)) }.max() ?? 0
        for (label, value) in rows {
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            out.append(pad(label(lang), width) + "  " + lines[0])
            for l in lines.dropFirst() { out.append(String(repeating: " ", count: width + 2) + l) }
        }
        if let guidance {
            out.append("")
            out += GuidancePrinter(lang: lang).render(guidance)
            if !guidance.objectives.isEmpty {
                out.append("  \(GuidancePart.objective.label[lang]):")
                for o in e.objectives { if let t = guidance.objectives[o] { out.append("    \(o)  \(t[lang])") } }
            }
        }
        out.append("")
        out.append("\(Msg.official(lang)):")
        guard let o = official else {
            out.append("  " + Msg.officialNone(lang))
            return out.joined(separator: "\n")
        }
        out.append("  \(o.title)")
        if !o.statement.isEmpty { out.append(indent(o.statement)) }
        if !o.objectives.isEmpty {
            out.append("")
            out.append("\(Msg.objectives(lang)):")
            for obj in o.objectives { out.append("  \(obj.id)  \(obj.prose)") }
        }
        if !o.parameters.isEmpty {
            out.append("")
            out.append("\(Msg.parameters(lang)):")
            for p in o.parameters { out.append("  \(p.id)  \(p.usage.isEmpty ? p.label : p.usage)") }
        }
        if !o.methods.isEmpty {
            out.append("")
            out.append("\(Msg.methods(lang)):")
            for m in o.methods { out.append("  \(m.method): " + m.objects.split(separator: "\n").filter { !$0.isEmpty }.joined(separator: "; ")) }
        }
        if !o.guidance.isEmpty {
            out.append("")
            out.append("\(Msg.guidance(lang)):")
            out.append(indent(o.guidance))
        }
        return out.joined(separator: "\n")
    }

    func indent(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    func sprsLine(_ s: SPRSValue) -> String {
        switch s.rule {
        case .standard: return String(s.value)
        case .notPermittedAllowed: return "\(s.value) (\(Msg.notPermitted(lang)))"
        case .partialCredit:
            return "\(s.value) / \(s.partialValue ?? s.value) (\(Msg.partialCredit(lang)))"
        case .sspGate: return Msg.sspGate(lang)
        }
    }

    func describe(_ p: MappingPath) -> String {
        let target = library[p.target]
        var s = p.target.id
        if let t = target { s += " " + t.title[lang] }
        s += "  [\(p.relation.label[lang]), \(p.provenance.label[lang])"
        let via = Array(p.steps.flatMap { $0.via.map(\.id) + [$0.to.id] }.dropLast())
        if !via.isEmpty { s += ", \(Msg.path(lang)) " + via.joined(separator: " → ") }
        s += "]"
        return s
    }
}

// MARK: map

struct CatalogMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: say(ja: "項目を別のカタログに対応付けます。関係の種類とたどった経路も示します。", en: "Map an entry to another catalog, with relation types and the path taken."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "対応付ける ID（例: 3.1.1）。", en: "The id to map, e.g. 3.1.1.")) var id: String
    @Option(help: .say(ja: "対応先のカタログ: sp800-171r2, sp800-171r3, sp800-53r5, csf2、又は取り込んだカタログの ID。", en: "Target catalog: sp800-171r2, sp800-171r3, sp800-53r5, csf2 or an imported catalog's id."))
    var to: String
    @Option(help: .say(ja: "ID を先にこのカタログで探します。", en: "Look up the id in this catalog first.")) var catalog: String?
    @Option(help: .say(ja: "経路の最大の長さ（対応関係の数）。", en: "Longest path, in mappings.")) var maxHops: Int = 3
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let target = try ctx.library.catalog(CatalogID(to)).id
            let entry = try ctx.library.resolve(id, preferring: catalog.map { CatalogID($0) })
            let paths = ctx.library.crosswalk.paths(from: entry.ref, to: target, maxHops: maxHops)
            if format == .json {
                struct StepJSON: Encodable {
                    let from: String, to: String, relation: String, provenance: String, rationale: String?
                }
                struct PathJSON: Encodable {
                    let id: String, title: LocalizedText?, relation: String, provenance: String, hops: Int
                    let path: [StepJSON]
                }
                print(try encodeJSON(paths.map { p in
                    PathJSON(id: p.target.id, title: ctx.library[p.target]?.title, relation: p.relation.rawValue,
                             provenance: p.provenance.rawValue, hops: p.hops,
                             path: p.steps.map {
                                 StepJSON(from: $0.from.description, to: $0.to.description, relation: $0.relation.rawValue,
                                          provenance: $0.provenance.rawValue, rationale: $0.rationale)
                             })
                }))
                return
            }
            print("\(entry.catalog):\(entry.id)  \(entry.title[lang])  →  \(target)")
            if paths.isEmpty { print(Msg.noMappings(lang)); return }
            var t = TextTable([Msg.target(lang), Msg.title(lang), Msg.relation(lang), Msg.provenance(lang), Msg.via(lang)])
            for p in paths {
                let route = ([entry.id] + p.steps.map(\.to.id)).joined(separator: " → ")
                t.add([p.target.id, ctx.library[p.target]?.title[lang] ?? "", p.relation.label[lang],
                       p.provenance.label[lang], p.hops > 1 ? route : ""])
            }
            print(t.render())
        }
    }
}

// MARK: import

struct CatalogImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: say(ja: "NIST の公式文言（OSCAL カタログ又は CPRT の JSON エクスポート。中身で判別）、又は独自の OSCAL カタログを取り込みます。", en: "Import NIST's official wording (an OSCAL catalog or a CPRT JSON export, told by content), or a custom OSCAL catalog."),
        discussion: say(ja: "CPRT のエクスポートは、そのカタログの先の取込み（第2版の要件、次に SP 800-171A の評価目標）に統合します。"
                            + "一部だけのエクスポートは、先に完全な取込みが必要です。",
                        en: "A CPRT export is merged into the earlier import of its catalog (rev2's requirements, then SP 800-171A's "
                            + "objectives); a partial one needs a complete import first."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "カタログのファイル: OSCAL JSON、又は NIST CPRT の JSON エクスポート。", en: "The catalog file: OSCAL JSON, or NIST CPRT's JSON export.")) var file: String
    @Option(help: .say(ja: "この ID で独自カタログとして取り込みます（既知でないカタログの既定: タイトルから作成）。", en: "Import as a custom catalog under this id (default for unknown catalogs: from its title)."))
    var id: String?
    @Option(help: .say(ja: "防衛産業サイバーセキュリティ基準の項目表（FILE.csv。docs/JAPANESE-STANDARD.md）のときのカタログ名。", en: "The catalog's name, for a Japanese-standard item table (FILE.csv; docs/JAPANESE-STANDARD.md)."))
    var name: String?
    @Flag(help: .say(ja: "警告をすべて表示します（省略時: 最初の 20 件）。", en: "Print every warning (default: the first 20).")) var allWarnings = false

    func run() async throws {
        try await reporting {
            let lang = global.language
            // A .csv file is a Japanese-standard item table (issue 17 item 3): ItemTableCommands.swift.
            // An OSCAL catalog with Tekigo's item-table properties is one too (OSCALItemTable).
            if file.lowercased().hasSuffix(".csv")
                || ((try? Data(contentsOf: URL(fileURLWithPath: file))).map(OSCALItemTable.isItemTable) ?? false) {
                try await ItemTableImport.run(file: file, id: id, name: name, global: global)
                return
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw UserError(CatalogImportError.unreadable(file: file, reason: error.localizedDescription).message(in: HelpLanguage.current))
            }
            // Open (and migrate) the database on another thread while this one decodes the file; recognising a
            // catalog needs only the built-in ids, not crosswalks or earlier imports (see docs/PERFORMANCE.md).
            let global = global
            let opening = Task { try await CommandDatabase(global).openForWriting() }
            let result: CatalogImportResult
            do {
                result = try CatalogFileImporter.read(
                    data, file: (file as NSString).lastPathComponent, library: try BuiltInLibrary.catalogsOnly,
                    customID: id.map { CatalogID($0) })
            } catch {
                _ = try? await opening.value
                throw error
            }
            // Stored by the use case, like an upload on the catalogs page: the catalog and its audit entry in one
            // transaction (the operator at this machine is the actor, as for `tekigo admin grant`).
            try await CatalogUseCases(db: try await opening.value)
                .save(result, data: data, filename: (file as NSString).lastPathComponent, by: "cli", organizationID: nil, sourceIP: "local")
            let imp = result.imported
            print("\(Msg.importedOK(lang)): \(imp.title) (\(imp.version)) → \(imp.catalog): \(imp.texts.count) \(Msg.entries(lang))"
                + (result.skippedWithdrawn > 0 ? ", \(result.skippedWithdrawn) \(Msg.skippedWithdrawn(lang))" : "")
                + (result.warnings.isEmpty ? "" : ", \(result.warnings.count) \(Msg.warnings(lang))"))
            let shown = allWarnings ? result.warnings : Array(result.warnings.prefix(20))
            for w in shown { printError((lang == .ja ? "警告: " : "warning: ") + "\(w)") }
            if shown.count < result.warnings.count {
                let more = result.warnings.count - shown.count
                printError(lang == .ja ? "… ほかに \(more) 件の警告があります（--all-warnings で表示）"
                                       : "… \(more) more warnings (--all-warnings)")
            }
        }
    }
}

struct CatalogImports: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "imports", abstract: say(ja: "取り込んだカタログを一覧にします。", en: "List imported catalogs."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let records = try await ctx.catalogs?.imports() ?? []
            if format == .json { print(try encodeJSON(records)); return }
            if records.isEmpty { print(Msg.noImports(lang)); return }
            var t = TextTable([Msg.catalog(lang), Msg.title(lang), Msg.version(lang), Msg.entries(lang),
                               Msg.warnings(lang), Msg.source(lang), Msg.importedAt(lang)])
            for r in records {
                t.add([r.catalogID.rawValue, r.title, r.version, String(r.entryCount), String(r.warningCount),
                       r.sourceFile, r.importedAt])
            }
            print(t.render())
        }
    }
}

// MARK: crosswalk

struct CrosswalkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk", abstract: say(ja: "自分で作った対応関係（関係の種類付き）を取り込みます。", en: "Import your own typed mappings."), subcommands: [CrosswalkImport.self])
}

struct CrosswalkImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: say(ja: "CSV ファイルから対応関係を読み込みます: from_catalog,from_id,relation,to_catalog,to_id,rationale。", en: "Load mappings from a CSV file: from_catalog,from_id,relation,to_catalog,to_id,rationale."),
        discussion: say(ja: "relation は equal, subset, superset 又は intersect です。取り込み直すと、同じ対応元カタログからの"
                            + "先の対応関係を置き換えます。1 行でも誤りがあれば何も保存しません。",
                        en: "relation is equal, subset, superset or intersect. Re-importing replaces the earlier mappings "
                            + "from the same source catalogs. Nothing is stored if any row is wrong."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "CSV ファイル（UTF-8、見出し行あり）。", en: "The CSV file (UTF-8, with a header row).")) var file: String

    func run() async throws {
        try await reporting {
            let lang = global.language
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw UserError(say(ja: "\(file)：UTF-8 のテキストとして読めません。UTF-8 で保存し直してください。",
                                    en: "\(file): cannot read the file as UTF-8 text (\(error.localizedDescription))."))
            }
            var header: [String] = []
            var rows: [[String]] = []
            do {
                let reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text,
                                           hasHeaderRow: true)
                header = reader.headerRow ?? []
                while let row = reader.next() { rows.append(row) }
            } catch {
                throw UserError(say(ja: "\(file)：CSV として正しくありません（\(error)）。カンマを含む項目は \"…\" で囲んでください。",
                                    en: "\(file): not a valid CSV file (\(error)). Quote fields that contain commas."))
            }
            let ctx = try await LibraryContext.openForWriting(global)
            guard let db = ctx.database else {
                throw UserError(say(ja: "\(file)：取り込み先のデータベースがありません。", en: "\(file): no database to import into."))
            }
            do {
                let count = try await CrosswalkUseCases(db: db).importTable(
                    header: header, rows: rows, library: ctx.library, data: Data(text.utf8),
                    filename: (file as NSString).lastPathComponent, by: Actor(id: "cli", sourceIP: "local"))
                print("\(Msg.importedOK(lang)): \(count) \(Msg.mappings(lang)) (\(file))")
            } catch let e as CrosswalkTableError {
                throw UserError("\(file): \(e.description)")
            }
        }
    }
}
