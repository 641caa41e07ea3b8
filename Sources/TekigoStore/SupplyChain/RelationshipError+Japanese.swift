import TekigoCore

extension RelationshipError: BilingualError {
    /// What a cycle's path shows in Japanese for an organization the acting one may not see.
    static let hiddenOrganizationJapanese = "（あなたからは見えない組織）"

    /// The refusal in `language` (issue 17 item 6: the API and the command line say it in Japanese too); English is
    /// `description`. Words as on the customer pages (招待, 取引関係, サプライヤー, 顧客).
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .unknownInvitation:
            return "このトークンに当たる招待はありません。トークン（43 文字）をすべてコピーしたか確かめるか、"
                + "顧客に新しい招待を依頼してください（取り消された招待はもうありません）。"
        case .invitationExpired(let at):
            return "この招待は \(at) に有効期限が切れました。招待の有効期間は限られています。顧客に新しい招待を依頼してください。"
        case .invitationUsed(let at, let byYou):
            return byYou
                ? "この招待は \(at) にあなたの組織がすでに承諾しています。取引関係はできているので、ほかに行うことはありません。"
                : "この招待は \(at) にすでに使われています。招待 1 件でサプライヤー 1 社と 1 回だけ取引関係を結べます。"
                    + "顧客に新しい招待を依頼してください。"
        case .ownInvitation:
            return "この招待はあなたの組織が作成したものです。組織は自分自身のサプライヤーになれません。"
                + "トークンをサプライヤーに渡し、サプライヤーが自社の組織でサインインして承諾するようにしてください。"
        case .alreadyLinked(let customer):
            return "あなたの組織はすでに \(customer) のサプライヤーです。この招待は使っていません。\(customer) に取り消しを依頼してください。"
        case .wouldCloseCycle(let path):
            let names = path.map { $0 == RelationshipStore.hiddenOrganization ? Self.hiddenOrganizationJapanese : $0 }
            return "承諾するとサプライチェーンが循環します（\(names.joined(separator: " → "))）。サプライチェーンは一方向です。"
                + "どちらが顧客かを確かめるか、これらの取引関係のどれかを解除してもらってください。"
        case .notLinked(let s):
            return "組織 '\(s)' はあなたのサプライヤーではありません。先に招待し、承諾してもらってください。"
        case .duplicateContractNumber(let n):
            return "このサプライヤーとの契約に、契約番号 '\(n)' がすでにあります。もう一度追加せず、その契約を更新してください。"
        case .contractNotOnLink(let c):
            return "契約 '\(c)' は、このサプライヤーとのあなたの契約ではありません。要件には同じ取引関係の契約を指定するか、"
                + "契約を指定しないでください。"
        case .invalidLifetime(let t):
            return "招待の有効期間 \(Int(t)) 秒は指定できません。1 分から 30 日までの間にしてください。"
        case .noteTooLong(let n):
            return "招待のメモが \(n) 文字あります。\(RelationshipStore.maxNoteLength) 文字以内にしてください。"
        case .corruptRow(let what):
            return "保存されているサプライチェーンのデータを読み戻せません（\(what)）。バックアップから復元するか、入力し直してください。"
        }
    }
}
