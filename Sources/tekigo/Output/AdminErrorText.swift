import TekigoCore
import TekigoStore
import TekigoUseCases

/// What `tekigo admin` says when a membership, invitation or account rule refuses a change, in the output language
/// (issue 17 item 6: no English in Japanese mode). The rules' own `description` is the English; the pages have their
/// own message keys, so the command line words its Japanese here, next to the commands that print it.
enum AdminErrorText {
    static func text(_ e: MembershipRuleError, _ lang: Language) -> String {
        guard lang == .ja else { return e.description }
        switch e {
        case .lastOwner: return "この組織の最後の所有者です。先に別の人を所有者にしてください。"
        case .onlyOwnerMakesOwner: return "ほかの人を所有者にできるのは所有者だけです。"
        case .onlyOwnerChangesOwner: return "所有者の役割を変えたり外したりできるのは所有者だけです。"
        case .notAMember: return "この人は組織のメンバーではありません。招待し、承諾されるとメンバーになります。"
        }
    }

    static func text(_ e: InvitationError, _ lang: Language) -> String {
        guard lang == .ja else { return e.description }
        switch e {
        case .alreadyMember(let email): return "\(email) は既にメンバーです。招待ではなく役割を変更してください。"
        case .alreadyInvited(let email):
            return "\(email) には回答待ちの招待があります。招待を送り直す（新しいリンク）か取り消してから、招待し直してください。"
        case .accountExists: return "招待したアドレスのアカウントは既にあります。そのアカウントでサインインしてから招待を承諾してください。"
        case .lifetime: return "招待の有効日数は 1〜30 日です。"
        case .notFound(let id): return "招待 \(id) が見つかりません。"
        case .notValid: return "この招待は無効です（使用済み、取消し済み又は期限切れ）。新しい招待を依頼してください。"
        case .otherAddress(let email):
            return "この招待は \(email) 宛てです。そのアカウントでサインインして（又はサインアウトして作成して）承諾してください。"
        }
    }

    /// The account refusals `tekigo admin invite` can meet; any other keeps its English (it is not reached from here).
    static func text(_ e: AccountError, _ lang: Language) -> String {
        guard lang == .ja else { return e.description }
        switch e {
        case .invalidEmail(let raw): return "'\(raw)' はメールアドレスではありません。"
        case .emailTaken: return "このメールアドレスのアカウントは既にあります。サインインしてください。"
        case .missing(let field): return "\(field) を指定してください。"
        case .notPlatformAdmin: return "組織を作成できるのはプラットフォーム管理者だけです。"
        default: return e.description
        }
    }

    static func nothingChanged(_ lang: Language) -> String {
        lang == .ja ? "（何も変更していません）" : " (nothing was changed)"
    }

    static func unknownRole(_ role: String, _ lang: Language) -> String {
        let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
        return lang == .ja ? "役割 '\(role)' はありません。次のいずれかを指定してください: \(roles)。"
                           : "unknown role '\(role)'; use one of \(roles)."
    }
}
