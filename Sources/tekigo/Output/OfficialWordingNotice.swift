import Foundation
import TekigoUseCases
import TekigoCore

/// The first-run notice (issue #17 item 2): while no official wording is imported for the catalog in use, `tekigo
/// assess` and `tekigo catalog show` say once, before anything else, where NIST publishes it and the one command that
/// imports it. On standard error, so `--format json` output stays clean.
enum OfficialWordingNotice {
    static func lines(for catalog: CatalogID, _ lang: Language) -> [String] {
        let s = OfficialWordingSources.self
        switch lang {
        case .ja:
            return ["お知らせ: NIST の公式文（要件文・評価目標）がまだ取り込まれていません（\(catalog.rawValue)）。Tekigo の見出しと解説だけを表示します。",
                    "  NIST の公開先: SP 800-171 第3版 \(s.sp800171r3)",
                    "                 SP 800-171 第2版 \(s.sp800171r2) ／ SP 800-171A \(s.sp800171a)",
                    "                 データ: CPRT の JSON エクスポート \(s.cprt) ／ OSCAL \(s.oscalContent)",
                    "  ダウンロードしたファイルを一度取り込んでください: \(s.importCommand)"]
        case .en:
            return ["Note: NIST's official wording (requirement statements, assessment objectives) is not imported for \(catalog.rawValue); only Tekigo's titles and guidance are shown.",
                    "  NIST publishes it: SP 800-171 Rev. 3 \(s.sp800171r3)",
                    "                     SP 800-171 Rev. 2 \(s.sp800171r2) / SP 800-171A \(s.sp800171a)",
                    "                     as data: CPRT's JSON export \(s.cprt) / OSCAL \(s.oscalContent)",
                    "  Import the downloaded file once: \(s.importCommand)"]
        }
    }

    /// Prints the notice when `catalog` is one NIST publishes and nothing is imported for it (no database yet counts as
    /// nothing imported).
    static func printIfNeeded(_ catalog: CatalogID, catalogs: CatalogUseCases?, _ lang: Language) async throws {
        guard OfficialWordingSources.covers(catalog) else { return }
        if let catalogs, try await catalogs.imports().contains(where: { $0.catalogID == catalog }) { return }
        FileHandle.standardError.write(Data((lines(for: catalog, lang).joined(separator: "\n") + "\n").utf8))
    }
}
