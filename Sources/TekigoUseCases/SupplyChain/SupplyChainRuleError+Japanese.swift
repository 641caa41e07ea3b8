import TekigoCore

extension SupplyChainRuleError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API and the command line say it in Japanese too); English is
    /// `description`. A not-found names the thing as the API's not-found does (`missing`): kind, then id.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .invitationLifetime: return "expiresInDays（招待の有効日数）は 1〜30 にしてください（省略時は 7）。"
        case .unknownDesignation:
            return "designation は " + ProtectedInformationDesignation.allCases.map(\.rawValue).joined(separator: "、")
                + " のいずれかにしてください。"
        case .unknownClause(_, let c):
            return "条項 '\(c)' はありません。使える条項: " + ContractClause.allCases.map(\.rawValue).joined(separator: "、") + "。"
        case .badMinimum: return "minimum は 'sprs>=N'（N は -203〜110）、'all-met' 又は 'cmmc-l2' にしてください。"
        case .badDueDate: return "dueOn は YYYY-MM-DD 形式の日付にしてください。"
        case .unknownCatalog(let id):
            return "カタログ '\(id)' はありません。sp800-171r2 か、`tekigo catalog list` に出てくるほかのカタログ ID を指定してください。"
        case .supplierRequired: return "supplierId（要件を課すサプライヤー）を指定してください。"
        case .supplierFixed: return "要件のサプライヤーは変更できません。新しい要件を作成してください。"
        case .badDetail: return "detail は \(DetailLevel.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。"
        case .emptySystemScope: return "systemScope は空にできません。システムの名前を使う場合は省いてください。"
        case .unknownAssessment(let id): return "この組織に評価 \(id) はありません。"
        case .customerNotFound(let id): return "顧客 \(id) が見つかりません。"
        case .supplierNotFound(let id): return "サプライヤー \(id) が見つかりません。"
        case .requirementNotFound(let id): return "要件 \(id) が見つかりません。"
        case .noCurrentAttestation:
            return "この組織の現在の証明書が見つかりません（POST …/attestations で発行してください）。"
        case .attestationNotFound(let id): return "証明書 \(id) が見つかりません。"
        case .sharedAttestationNotFound(let s): return "組織 \(s) から共有された証明書が見つかりません。"
        case .rollupMissing: return "サプライチェーンの集計が見つかりません。"
        }
    }
}
