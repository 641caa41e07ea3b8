import TekigoCore

/// Every CLI label in Japanese and English, in one place.
enum Msg: String, CaseIterable {
    case id, catalog, family, title, kind, cmmc, level1, sprs, objectives, odps, sources53, csf, rev3, rev2
    case official, officialNone, statement, guidance, methods, parameters, relation, provenance, via, target
    case basic, derived, sspGate, partialCredit, notPermitted, withdrawnIn, incorporatedInto, addressedBy
    case noMappings, importedOK, warnings, skippedWithdrawn, entries, imports, noImports, path, mappings
    case source, importedAt, rationale, requirements, version, subcategories, categories, withdrawn

    var text: LocalizedText {
        switch self {
        case .id: return .init(en: "ID", ja: "ID")
        case .catalog: return .init(en: "Catalog", ja: "カタログ")
        case .family: return .init(en: "Family", ja: "ファミリー")
        case .title: return .init(en: "Title", ja: "タイトル")
        case .kind: return .init(en: "Kind", ja: "区分")
        case .cmmc: return .init(en: "CMMC", ja: "CMMC")
        case .level1: return .init(en: "CMMC Level 1 (FAR 52.204-21)", ja: "CMMC レベル1 (FAR 52.204-21)")
        case .sprs: return .init(en: "SPRS value", ja: "SPRS 配点")
        case .objectives: return .init(en: "800-171A objectives", ja: "800-171A 評価目標")
        case .odps: return .init(en: "ODPs", ja: "組織定義パラメータ")
        case .sources53: return .init(en: "SP 800-53 rev5", ja: "SP 800-53 第5版")
        case .csf: return .init(en: "CSF 2.0", ja: "CSF 2.0")
        case .rev3: return .init(en: "Rev 3 counterpart", ja: "第3版の対応要件")
        case .rev2: return .init(en: "Rev 2 counterpart", ja: "第2版の対応要件")
        case .official: return .init(en: "Official wording", ja: "公式文言")
        case .officialNone:
            return .init(en: "not imported — run `tekigo catalog import FILE` with NIST's OSCAL catalog",
                         ja: "未取込み — NIST の OSCAL カタログを `tekigo catalog import FILE` で取り込んでください")
        case .statement: return .init(en: "Statement", ja: "要件文")
        case .guidance: return .init(en: "Discussion", ja: "解説")
        case .methods: return .init(en: "Assessment methods", ja: "評価方法")
        case .parameters: return .init(en: "Parameters", ja: "パラメータ")
        case .relation: return .init(en: "Relation", ja: "関係")
        case .provenance: return .init(en: "Provenance", ja: "出典")
        case .via: return .init(en: "Path", ja: "経路")
        case .target: return .init(en: "Target", ja: "対応先")
        case .basic: return .init(en: "basic (FIPS 200)", ja: "基本要件 (FIPS 200)")
        case .derived: return .init(en: "derived (SP 800-53)", ja: "派生要件 (SP 800-53)")
        case .sspGate:
            return .init(en: "no value — without an SSP no score is produced",
                         ja: "配点なし — SSP がなければスコアは算出されない")
        case .partialCredit: return .init(en: "partial credit", ja: "部分点あり")
        case .notPermitted:
            return .init(en: "no deduction if not permitted", ja: "許可していない場合は減点なし")
        case .withdrawnIn: return .init(en: "withdrawn in rev3", ja: "第3版で廃止")
        case .incorporatedInto: return .init(en: "incorporated into", ja: "統合先")
        case .addressedBy: return .init(en: "addressed by", ja: "対応要件")
        case .noMappings: return .init(en: "no mapping found", ja: "対応なし")
        case .importedOK: return .init(en: "Imported", ja: "取り込みました")
        case .warnings: return .init(en: "warnings", ja: "警告")
        case .skippedWithdrawn: return .init(en: "withdrawn entries skipped", ja: "廃止済みのため省略")
        case .entries: return .init(en: "entries", ja: "件")
        case .imports: return .init(en: "Imported catalogs", ja: "取込み済みカタログ")
        case .noImports: return .init(en: "No catalog imported yet.", ja: "取り込まれたカタログはありません。")
        case .path: return .init(en: "via", ja: "経由")
        case .mappings: return .init(en: "mappings", ja: "対応関係")
        case .source: return .init(en: "Source", ja: "取込み元")
        case .importedAt: return .init(en: "Imported at", ja: "取込み日時")
        case .rationale: return .init(en: "Rationale", ja: "根拠")
        case .requirements: return .init(en: "requirements", ja: "要件")
        case .version: return .init(en: "Version", ja: "版")
        case .subcategories: return .init(en: "subcategories", ja: "サブカテゴリ")
        case .categories: return .init(en: "categories", ja: "カテゴリ")
        case .withdrawn: return .init(en: "withdrawn", ja: "廃止")
        }
    }

    func callAsFunction(_ lang: Language) -> String { text[lang] }
}
