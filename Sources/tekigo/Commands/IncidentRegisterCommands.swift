import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// The incident registers from the command line (issue 13 item 5): where an incident's DFARS 252.204-7012(e)
// preservation hold stands, and opening a sample's encrypted archive on the isolated analysis machine.

/// `tekigo incident hold-status ID`: the hold as JSON (`state` awaiting-report / held / ended, `until` ISO 8601).
struct IncidentHoldStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold-status",
        abstract: say(ja: "インシデントの 7012(e) の保全期間を JSON で表示します: 国防総省への初回報告までは終わりなし、その後は提出日から 90 日まで。", en: "An incident's 7012(e) preservation hold as JSON: held with no end before the DoD initial report, then until its submission + 90 days."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "インシデントの ID。", en: "The incident's id.")) var id: String

    struct View: Encodable {
        let incidentId: String
        let state: String
        let until: String?
        let held: Bool
    }

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forIncident(id, global)
            let hold = try await IncidentRegisterUseCases(c.env, c.scope).hold(incidentID: id)
            let state = switch hold {
            case .awaitingReport: "awaiting-report"
            case .heldUntil: "held"
            case .ended: "ended"
            }
            print(try encodeJSON(View(incidentId: id, state: state, until: hold.until.map(Timestamp.string), held: hold.isHeld)))
        }
    }
}

/// `tekigo incident open-sample FILE --key KEY --out PATH`: opens a `tekigo-sealed-sample/1` archive (offline; no
/// database). Run it only on an isolated analysis machine: the output is the malware itself.
struct IncidentOpenSample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-sample",
        abstract: say(ja: "マルウェア検体のアーカイブ（tekigo-sealed-sample/1）を使い捨ての鍵で復号します。隔離した解析用の端末でだけ実行してください。", en: "Decrypt a malware sample's archive (tekigo-sealed-sample/1) with its one-time key. Only on an isolated analysis machine."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "ダウンロードした .tekigo-sample ファイル。", en: "The downloaded .tekigo-sample file.")) var file: String
    @Option(help: .say(ja: "ダウンロード時に表示された使い捨ての鍵（16 進数 64 桁）。", en: "The one-time key shown with the download (64 hex digits).")) var key: String
    @Option(help: .say(ja: "検体の書き出し先（既にあれば拒否）。", en: "Where to write the sample (refused if it exists).")) var out: String

    func run() async throws {
        try await reporting {
            let ja = global.language == .ja
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UserError(ja ? "ファイル \(file) を読めません。" : "cannot read \(file).", exitCode: 2)
            }
            guard let plain = IncidentSampleArchive.open(data, keyHex: key) else {
                throw UserError(ja ? "復号できません。鍵が違うか、ファイルが改変されています。"
                                   : "the archive does not open: the key is wrong or the file was altered.", exitCode: 1)
            }
            guard !FileManager.default.fileExists(atPath: out) else {
                throw UserError(ja ? "\(out) は既に存在します。別の出力先を指定してください。" : "\(out) exists already; choose another output path.",
                                exitCode: 2)
            }
            // Written without execute permission.
            guard FileManager.default.createFile(atPath: out, contents: plain, attributes: [.posixPermissions: 0o600]) else {
                throw UserError(ja ? "\(out) に書き込めません。" : "cannot write \(out).", exitCode: 2)
            }
            print(Hex.sha256(plain))
        }
    }
}
