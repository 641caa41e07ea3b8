extension SupplyChainError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API, the pages and the command line say it in Japanese too).
    /// English is `description`. The Japanese keeps every id, number, contract number, date and clause the English
    /// shows, and uses the pages' words (サプライヤー, 顧客, 取引関係, 証明書, 要件, 開示の同意).
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .emptyOrganizationID:
            return "組織 ID が空です。顧客とサプライヤーのすべてに、空でない ID を付けてください。"
        case .selfLink(let id):
            return "'\(id)' は自分自身のサプライヤーになれません。別の組織との取引関係にしてください。"
        case .duplicateEdge(let e):
            return "取引関係 \(e) はすでにサプライチェーンにあります。顧客 → サプライヤーの組は 1 回だけ追加してください。"
        case .cycle(let e, let path):
            return "\(e) を追加するとサプライチェーンが循環します（\(path.joined(separator: " → "))）。サプライチェーンは一方向です。"
                + "これらの取引関係のどれかを削除するか、どちらが顧客かを正してください。"
        case .emptyContractNumber:
            return "契約番号が空です。契約書に記載されている番号を入力してください。"
        case .noClauses(let c):
            return "契約 '\(c)' に契約条項がありません。契約に含まれる DFARS、CMMC 又は防衛産業サイバーセキュリティ基準の条項を追加してください。"
        case .cmmcLevelWithoutClause(let c, let level):
            return "契約 '\(c)' は CMMC レベル \(level) を指定していますが、CMMC の条項（DFARS 252.204-7021）がありません。"
                + "条項を追加するか、レベルの指定を外してください。"
        case .cmmcClauseWithoutLevel(let c):
            return "契約 '\(c)' には CMMC の条項（DFARS 252.204-7021）がありますが、レベルが指定されていません。"
                + "契約が求めるレベル（1、2 又は 3）を入力してください。"
        case .cmmcLevelOutOfRange(let c, let level):
            return "契約 '\(c)' は CMMC レベル \(level) を指定しています。CMMC のレベルは 1、2、3 のいずれかです（32 CFR 170）。"
        case .japaneseClauseWithoutDesignation(let c):
            return "契約 '\(c)' には防衛産業サイバーセキュリティ基準の条項がありますが、保護すべき情報が指定されていません。"
                + "情報セキュリティ指定書のとおり、保護対象の情報を保護すべき情報（又は CUI 及び保護すべき情報）にしてください。"
        case .japaneseDesignationWithoutClause(let c):
            return "契約 '\(c)' は保護すべき情報を指定していますが、防衛産業サイバーセキュリティ基準の条項（特約条項）がありません。"
                + "条項を追加してください。"
        case .cuiWithoutDFARS7012(let c):
            return "契約 '\(c)' は CUI を指定していますが、対象防衛情報に SP 800-171 を求める条項 DFARS 252.204-7012 がありません。"
                + "条項を追加してください。"
        case .sprsMinimumOutOfRange(let n):
            return "SPRS スコアの下限 \(n) はありえない値です。SPRS スコアは \(SPRSResult.minimum)〜\(SPRSResult.maximum) です。"
        case .minimumNeedsSPRSCatalog(let m, let c):
            return "最低基準 '\(m)' には SPRS スコアが必要ですが、SPRS の値があるのは \(CatalogID.sp800171r2) だけで、"
                + "カタログ '\(c)' にはありません。\(CatalogID.sp800171r2) を指定するか、最低基準を「すべての要件に適合」にしてください。"
        case .emptyContractReference:
            return "要件で指定した契約番号が空です。契約の番号を入力するか、契約の指定を外してください。"
        case .invalidCAGECode(let s):
            return "CAGE コード '\(s)' は A–Z と 0–9 の 5 文字ではありません。SAM.gov から大文字のまま写してください。"
        case .invalidUEI(let s):
            return "UEI '\(s)' は A–Z と 0–9 の 12 文字ではありません。SAM.gov の UEI（Unique Entity ID）を大文字のまま写してください。"
        case .malformedCorporateNumber(let s):
            return "法人番号 '\(s)' は 13 桁の数字ではありません（半角の 0〜9、空白やハイフンなし）。"
                + "国税庁 法人番号公表サイトから写してください。"
        case .corporateNumberCheckDigit(let s, let expected):
            return "法人番号 '\(s)' はチェックデジットが合いません。後ろの 12 桁から求めると \(expected) で、\(s.prefix(1)) ではありません。"
                + "どこかの数字が誤っています。国税庁 法人番号公表サイトで確かめてください。"
        case .emptyOrganizationName(let id):
            return "組織 '\(id)' に名前がありません。正式な名称（法人名）を入力してください。"
        case .emptyAttestationID:
            return "証明書 ID が空です。証明書ごとに重複しない ID を付けてください。"
        case .unsupportedFormatVersion(let v):
            return "証明書の形式バージョン \(v) には対応していません（この Tekigo が読めるのはバージョン "
                + "\(AttestationPayload.currentFormatVersion)）。Tekigo を更新するか、証明書を発行し直してください。"
        case .invalidIssuedAt(let s):
            return "issuedAt '\(s)' は ISO 8601 の日時ではありません。2026-11-27T09:30:00Z のように指定してください。"
        case .issuedBeforeAssessment(let issued, let assessed):
            return "証明書の発行日時（\(issued)）が評価日（\(assessed)）より前です。証明書で報告できるのは、実施済みの評価だけです。"
        case .catalogMismatch(let a, let c):
            return "評価はカタログ '\(a)' に対するものですが、カタログ '\(c)' が渡されました。評価自身のカタログを渡してください。"
        case .scoreOutOfRange(let n):
            return "SPRS スコア \(n) は \(SPRSResult.minimum)〜\(SPRSResult.maximum) の範囲外です。証明書が壊れています。"
        case .unknownCMMCStatus(let s):
            return "CMMC の判定 '\(s)' は \(AttestationPayload.cmmcStatuses.sorted().joined(separator: "、")) のいずれでもありません。"
        case .cmmcCloseoutMismatch(let status):
            return status == "conditional"
                ? "レベル2 条件付き認定には、是正計画（POA&M）の完了期限（条件付き認定の日から 180 日後、32 CFR 170.21(b)）が必要です。"
                    + "cmmcCloseoutDue を追加してください。"
                : "是正計画（POA&M）の完了期限（cmmcCloseoutDue）を付けるのは、レベル2 条件付き認定だけです（32 CFR 170.21(b)）。"
                    + "削除してください。"
        case .emptySystemScope:
            return "証明書に対象システムがありません。評価の対象となるシステム（SSP）の名前を指定してください。"
        case .familyTotalsMismatch:
            return "ファミリーごとの件数を足しても、証明書の合計になりません。証明書が壊れているので、作り直してください。"
        case .expiryBeforeAssessment(let e, let a):
            return "証明書の有効期限（\(e)）が評価日（\(a)）より前です。expiresAt は評価日以降にしてください。"
        case .expiryBeyondThreeYears(let e, let limit):
            return "証明書の有効期限が \(e) になっていますが、評価が有効なのは最長 3 年です（DFARS 252.204-7019(b)）。"
                + "有効期限は \(limit) 以前にしてください。"
        case .supersedesItself(let id):
            return "証明書 '\(id)' が、置き換える証明書として自分自身を指定しています。前の証明書の ID を指定してください。"
        case .detailLevelMismatch(let level):
            return level == .families
                ? "証明書の開示の範囲は 'families' ですが、ファミリーごとの内訳がありません。"
                : "証明書の開示の範囲は 'summary' ですが、ファミリーごとの内訳があります。内訳を削除するか、"
                    + "開示の範囲を 'families' にしてください。"
        case .negativeCount(let what):
            return "証明書に負の件数があります（\(what)）。証明書が壊れています。"
        case .undecodableAttestation(let why):
            return "証明書を読み取れません: \(why)。"
        case .assessmentUnreadable(let why):
            return "評価を要約できません: \(why)。"
        case .staleSnapshot:
            // As in English, the id stays out: a roll-up may hold suppliers its viewer must not see named.
            return "集計に記録されているこのサプライヤーのスナップショットが、渡された `old` と違います。"
                + "このサプライヤーに最後に適用したスナップショットを渡すか、集計を作り直してください。"
        }
    }
}
