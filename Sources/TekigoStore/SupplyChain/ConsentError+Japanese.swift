import TekigoCore

extension ConsentError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API and the command line say it in Japanese too); English is
    /// `description`. Words as on the customer pages (顧客, 開示の同意).
    ///
    /// `.unknownOrganization` says exactly what `.notUpstream` says for the same id: the API answers an unknown id with
    /// `notUpstream`'s words (SupplyChainErrors.swift) so that it never confirms an organization exists, and a
    /// Japanese answer takes this message, so it must not tell the two apart either.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .selfGrant:
            return "組織は自分の証明書をいつでも見られます。共有する相手として、顧客（又はその上位の組織）を選んでください。"
        case .unknownOrganization(let id):
            return ConsentError.notUpstream(viewer: id).message(in: .ja)
        case .notUpstream(let v):
            return "組織 '\(v)' はあなたの顧客でも、サプライチェーンのさらに上位の顧客でもありません。開示に同意できるのは、"
                + "サプライチェーンであなたより上位にある組織だけです。先にその組織（又はあなたの顧客）からの招待を承諾してください。"
        case .notGranted(let v):
            return "組織 '\(v)' には開示に同意していません。取り消すものはありません。"
        }
    }
}
