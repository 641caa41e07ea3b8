import Foundation
import TekigoCore

/// The prime's supply-chain roll-up as spreadsheet tables (CSV or .xlsx): one sheet of counts per tier, and one of
/// the suppliers needing action that the prime may see (the others are one line of counts: never named).
public enum RollupSheets {
    public static func sheets(counts: RollupCounts, asOf: Day, needsAction: [NeedsActionEntry], hiddenNeedingAction: Int,
                              language l: Language) -> [Sheet] {
        let statuses = SupplierStatusKind.allCases
        let buckets = ScoreBucket.allCases
        var summary = Sheet(
            name: LocalizedText(en: "Tiers", ja: "階層")[l],
            columns: [LocalizedText(en: "Tier", ja: "階層")[l], LocalizedText(en: "Suppliers", ja: "サプライヤー数")[l]]
                + statuses.map { $0.label[l] }
                + [LocalizedText(en: "Overdue", ja: "期限超過")[l]]
                + buckets.map { LocalizedText(en: "SPRS \($0.label.en)", ja: "SPRS \($0.label.ja)")[l] }
                + [LocalizedText(en: "No score", ja: "スコアなし")[l], LocalizedText(en: "As of", ja: "基準日")[l]])
        func row(_ label: String, _ t: TierRollup) -> [Cell] {
            [.text(label), .integer(t.suppliers)] + statuses.map { .integer(t.byStatus[$0] ?? 0) } + [.integer(t.overdue)]
                + buckets.map { .integer(t.scoreHistogram[$0] ?? 0) } + [.integer(t.unscored), .day(asOf)]
        }
        for tier in counts.tiers.keys.sorted() { summary.rows.append(row("\(tier)", counts.tiers[tier]!)) }
        summary.rows.append(row(LocalizedText(en: "All tiers", ja: "全階層")[l], counts.totals))

        var families = Sheet(name: LocalizedText(en: "Families failing", ja: "不適合ファミリー")[l],
                             columns: [LocalizedText(en: "Family", ja: "ファミリー")[l],
                                       LocalizedText(en: "Suppliers failing it", ja: "不適合のサプライヤー数")[l]])
        for (family, n) in counts.totals.familiesFailingMost() {
            families.rows.append([.text(family), .integer(n)])
        }

        var action = Sheet(name: LocalizedText(en: "Needs action", ja: "要対応")[l],
                           columns: [LocalizedText(en: "Tier", ja: "階層")[l], LocalizedText(en: "Organization", ja: "組織")[l],
                                     LocalizedText(en: "Id", ja: "ID")[l], LocalizedText(en: "Status", ja: "状態")[l],
                                     LocalizedText(en: "Overdue", ja: "期限超過")[l]])
        for e in needsAction {
            action.rows.append([.integer(e.tier), .text(e.name ?? ""), .text(e.organization), .text(e.status.label[l]),
                                .text(e.overdue ? LocalizedText(en: "yes", ja: "はい")[l] : "")])
        }
        if hiddenNeedingAction > 0 {
            action.rows.append([.text(""), .text(LocalizedText(
                en: "\(hiddenNeedingAction) more without consent to show them (counts only)",
                ja: "ほか \(hiddenNeedingAction) 社（開示の同意がないため件数のみ）")[l]), .text(""), .text(""), .text("")])
        }
        return [summary, families, action]
    }
}
