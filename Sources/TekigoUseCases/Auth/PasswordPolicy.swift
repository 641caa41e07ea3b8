import Foundation
import TekigoCore

/// What Tekigo requires of a new password (SP 800-171 3.5.7, following SP 800-63B 5.1.1.2 for memorized secrets).
///
/// - At least 12 characters. SP 800-63B allows 8 for a memorized secret; Tekigo asks for 12 because these
///   accounts can read summaries of Controlled Unclassified Information (assessment results, POA&Ms, system
///   descriptions), so we take the stronger floor. Length counts Unicode code points after NFKC
///   normalisation, as SP 800-63B says (a Japanese passphrase of 12 kana or kanji is 12 characters).
/// - At most 128 characters (SP 800-63B: permit at least 64; the cap only bounds the work per login).
/// - Not a breached password: the bundled `common-passwords.txt` holds every password of 12 to 128 characters among
///   the million most common of a public breach corpus (SecLists' 10-million-password-list-top-1000000; where it
///   comes from and how it is made: the file's header and `scripts/make-common-passwords.py`), compared after NFKC
///   and case-insensitively. Shorter breached passwords need no list: they are too short already.
/// - Not repetitive (one short piece repeated, as in `aaaaaaaaaaaa` or `abcabcabcabc`, or three different characters
///   or fewer), not sequential (at most three runs of consecutive characters, up or down, digits wrapping from 9 to 0:
///   `123456789012`, `abcdefghijkl`, `1234abcd5678`), not spaces only.
/// - Not containing context-specific words: the product's name (Tekigo, 適合), the user's e-mail address, its user
///   name and the words of its domain (`contoso` of `hanako@contoso.co.jp`), or the display name.
/// - No control characters (they cannot be typed reliably, and a NUL would silently cut the secret short in bcrypt).
/// - No composition rules (no "one digit, one symbol"), and no expiry: SP 800-63B says verifiers SHALL NOT impose them.
///
/// bcrypt reads at most 72 bytes of UTF-8; a longer password is accepted, and only its first 72 bytes
/// (24 kanji, or 72 ASCII characters) take part in the hash. That still far exceeds the entropy floor.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    public static let maximumLength = 128

    /// The policy with the bundled common-password list.
    public static let standard = PasswordPolicy()

    public let minimumLength: Int
    public let maximumLength: Int
    private let commonPasswords: Set<String>

    public init() {
        self.minimumLength = Self.minimumLength
        self.maximumLength = Self.maximumLength
        self.commonPasswords = Self.bundledCommonPasswords
    }

    /// Number of entries in the common-password list (for a start-up self-check).
    public var commonPasswordCount: Int { commonPasswords.count }

    /// Every problem with `password` for the account with this e-mail and display name; empty when acceptable.
    public func check(_ password: String, email: String, displayName: String) -> [PasswordProblem] {
        let normalized = Self.normalize(password)
        var problems: [PasswordProblem] = []

        let length = normalized.unicodeScalars.count
        if length < minimumLength { problems.append(.tooShort(minimum: minimumLength)) }
        if length > maximumLength { problems.append(.tooLong(maximum: maximumLength)) }

        if normalized.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(.controlCharacter)
        }

        let folded = normalized.lowercased()
        if commonPasswords.contains(folded) { problems.append(.common) }

        let scalars = Array(folded.unicodeScalars)
        if !scalars.isEmpty, scalars.allSatisfy(\.properties.isWhitespace) {
            problems.append(.blank)
        } else if Self.isRepetitive(scalars) {
            problems.append(.repetitive)
        } else if Self.isSequential(scalars) {
            problems.append(.sequential)
        }

        if Self.productWords.contains(where: { folded.contains($0) }) {
            problems.append(.containsProductName)
        }
        if Self.emailWords(email).contains(where: { folded.contains($0) }) {
            problems.append(.containsEmail)
        }
        if Self.nameWords(displayName).contains(where: { folded.contains($0) }) {
            problems.append(.containsDisplayName)
        }
        return problems
    }

    /// The stricter check for an account that administers an organization (an owner or an administrator: the
    /// setup link's account, an invitation as owner or administrator). Everything `check` refuses, and guessable
    /// shapes an attacker tries first against the accounts worth most:
    /// - a breached base word with digits or symbols around it (`password1234`, `sunshine!2026`, `2026dragon`):
    ///   the base words are those the bundled breach list itself shows with digits after them (`password` of
    ///   `password123456`), at least four letters, so no second list is shipped or invented;
    /// - a run of six or more neighbouring keys of a QWERTY keyboard row, either way (`qwerty`, `asdfgh`, `poiuyt`);
    /// - the organization's name or any of its words of three or more characters (`contoso` of `Contoso 株式会社`).
    public func checkAdministrator(_ password: String, email: String, displayName: String, organization: String?) -> [PasswordProblem] {
        var problems = check(password, email: email, displayName: displayName)
        let folded = Self.normalize(password).lowercased()
        if !problems.contains(.common), Self.isCommonWordWithDigits(folded, baseWords: baseWords) { problems.append(.commonWordWithDigits) }
        if Self.hasKeyboardRun(folded) { problems.append(.keyboardRun) }
        if let organization, Self.nameWords(organization).contains(where: { folded.contains($0) }) {
            problems.append(.containsOrganizationName)
        }
        return problems
    }

    /// Letter-only cores of breached passwords that have digits after them, e.g. `password` from `password1234`.
    private var baseWords: Set<String> { Self.bundledBaseWords }

    private static let bundledBaseWords: Set<String> = {
        var words = Set<String>()
        for p in bundledCommonPasswords {
            let core = p.prefix { $0.isLetter }
            guard core.count >= 4, core.count < p.count, p.dropFirst(core.count).allSatisfy({ $0.isNumber }) else { continue }
            words.insert(String(core))
        }
        return words
    }()

    /// The password with its leading and trailing digits and symbols removed is a base word (and something was removed).
    static func isCommonWordWithDigits(_ folded: String, baseWords: Set<String>) -> Bool {
        let scalars = Array(folded)
        guard let first = scalars.firstIndex(where: \.isLetter), let last = scalars.lastIndex(where: \.isLetter) else { return false }
        let core = String(scalars[first...last])
        let rest = scalars[..<first] + scalars[(last + 1)...]
        guard !rest.isEmpty, rest.allSatisfy({ !$0.isLetter && !$0.isWhitespace }) else { return false }
        // Letters substituted by digits or symbols are read back too (p@ssw0rd).
        let plain = String(core.map { leet[$0] ?? $0 })
        return baseWords.contains(core) || baseWords.contains(plain)
    }

    private static let leet: [Character: Character] = ["@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"]

    /// Six or more neighbouring keys of one keyboard row, left to right or right to left.
    static func hasKeyboardRun(_ folded: String) -> Bool {
        let rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
        let runs = rows.flatMap { row -> [String] in
            let keys = Array(row)
            guard keys.count >= 6 else { return [] }
            return (0...(keys.count - 6)).flatMap { i -> [String] in
                let run = String(keys[i..<(i + 6)])
                return [run, String(run.reversed())]
            }
        }
        return runs.contains { folded.contains($0) }
    }

    /// NFKC, as SP 800-63B recommends: full-width and half-width forms (common with Japanese input methods)
    /// become the same password. `PasswordHasher` applies the same normalisation before hashing and verifying.
    public static func normalize(_ password: String) -> String {
        password.precomposedStringWithCompatibilityMapping
    }

    // MARK: - Repetitive and sequential (SP 800-63B 5.1.1.2: "repetitive or sequential characters")

    /// Three different characters or fewer, or one piece repeated (`abcabcabcabc`, `passwordpassword`): the text
    /// equals itself shifted by a period of at most half its length.
    static func isRepetitive(_ s: [Unicode.Scalar]) -> Bool {
        guard !s.isEmpty else { return false }
        if Set(s).count <= 3 { return true }
        let n = s.count
        for period in 1...max(1, n / 2) where (period..<n).allSatisfy({ s[$0] == s[$0 - period] }) {
            return true
        }
        return false
    }

    /// At most three runs, each of one character repeated or of consecutive characters going one way (`1234`,
    /// `dcba`; between digits 9 → 0 and 0 → 9 continue a run): `123456789012`, `1234abcd5678`, `aaaa1234bbbb`.
    static func isSequential(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 2 else { return false }
        func step(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Int? {
            if let x = a.properties.numericType == .decimal ? Int(String(a)) : nil,
               let y = b.properties.numericType == .decimal ? Int(String(b)) : nil {
                switch (y - x + 10) % 10 {
                case 0: return 0
                case 1: return 1
                case 9: return -1
                default: return nil
                }
            }
            let d = Int(b.value) - Int(a.value)
            return (-1...1).contains(d) ? d : nil
        }
        var runs = 1
        var runStep: Int?
        var i = 1
        while i < s.count {
            let d = step(s[i - 1], s[i])
            if let d, runStep == nil || runStep == d {
                runStep = d
            } else {
                // A new run starts at s[i].
                runs += 1
                runStep = nil
                if runs > 3 { return false }
            }
            i += 1
        }
        return true
    }

    // MARK: - Context-specific words

    /// The product's name, in the spellings a user would type.
    static let productWords = ["tekigo", "適合", "てきごう", "テキゴウ"]

    /// Parts of a domain that are nobody's own word: top-level and generic second-level labels, and host prefixes.
    static let genericDomainLabels: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "int", "biz", "info", "co", "ac", "or", "ne", "go", "ed", "gr", "lg",
        "ad", "www", "mail", "email", "smtp", "mx",
    ]

    /// The whole address, its local part and the local part's pieces split at `.`, `_`, `-` and `+`, and the words
    /// of its domain (each label but the top-level one and generic ones, and their pieces split at `-`), lower-cased.
    static func emailWords(_ email: String) -> [String] {
        let lowered = normalize(email).lowercased().trimmingCharacters(in: .whitespaces)
        let local: Substring
        var domainLabels: [Substring] = []
        if let at = lowered.lastIndex(of: "@") {
            local = lowered[..<at]
            domainLabels = lowered[lowered.index(after: at)...].split(separator: ".").dropLast()
                .filter { !genericDomainLabels.contains(String($0)) }
        } else {
            local = lowered[...]
        }
        var words = [lowered, String(local)]
        words += local.split(whereSeparator: { ".-_+".contains($0) }).map(String.init)
        for label in domainLabels {
            words.append(String(label))
            words += label.split(separator: "-").map(String.init)
        }
        return significant(words)
    }

    /// The display name, the name without spaces, and each space-separated part, lower-cased.
    static func nameWords(_ displayName: String) -> [String] {
        let lowered = normalize(displayName).lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = lowered.split(whereSeparator: { $0.isWhitespace || $0 == "・" }).map(String.init)
        return significant([lowered, parts.joined()] + parts)
    }

    /// Drops words too short to mean anything (refusing every password containing "a" helps nobody):
    /// at least three characters, or two when not ASCII (a two-kanji surname such as 山田 is a whole name).
    private static func significant(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { word in
            let n = word.unicodeScalars.count
            let enough = n >= 3 || (n == 2 && !word.unicodeScalars.allSatisfy(\.isASCII))
            return enough && seen.insert(word).inserted
        }
    }

    // MARK: - Common passwords

    /// Loaded once, on first use.
    private static let bundledCommonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // Failing closed: without the list we would accept "qwerty123456" (SP 800-171 3.5.7).
            fatalError("common-passwords.txt is missing from the TekigoServer resource bundle")
        }
        // The file is NFKC and lower-case already (scripts/make-common-passwords.py); entries may hold spaces.
        var set = Set<String>(minimumCapacity: 48_000)
        for line in text.split(separator: "\n") {
            if line.isEmpty || line.hasPrefix("#") { continue }
            set.insert(String(line))
        }
        return set
    }()
}

/// One reason a password was refused.
public enum PasswordProblem: Error, Sendable, Hashable {
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case common
    case containsEmail
    case containsDisplayName
    case controlCharacter
    /// Spaces only (of any kind: ASCII, ideographic …).
    case blank
    /// One short piece repeated (`aaaaaaaaaaaa`, `abcabcabcabc`), or three different characters or fewer.
    case repetitive
    /// Runs of consecutive characters (`123456789012`, `abcdefghijkl`, `1234abcd5678`).
    case sequential
    /// The product's name (Tekigo, 適合).
    case containsProductName
    /// Administrators only: a breached base word with digits or symbols around it (`password1234`).
    case commonWordWithDigits
    /// Administrators only: six or more neighbouring keys of a keyboard row (`qwerty`, `asdfgh`).
    case keyboardRun
    /// Administrators only: the organization's name.
    case containsOrganizationName

    /// A stable identifier for the JSON API.
    public var code: String {
        switch self {
        case .tooShort: return "too_short"
        case .tooLong: return "too_long"
        case .common: return "common"
        case .containsEmail: return "contains_email"
        case .containsDisplayName: return "contains_display_name"
        case .controlCharacter: return "control_character"
        case .blank: return "blank"
        case .repetitive: return "repetitive"
        case .sequential: return "sequential"
        case .containsProductName: return "contains_product_name"
        case .commonWordWithDigits: return "common_word_with_digits"
        case .keyboardRun: return "keyboard_run"
        case .containsOrganizationName: return "contains_organization_name"
        }
    }

    /// What to tell the user, in Japanese and English.
    public var message: LocalizedText {
        switch self {
        case .tooShort(let minimum):
            return LocalizedText(
                en: "The password must be at least \(minimum) characters long. A passphrase of several words is easiest to remember.",
                ja: "パスワードは\(minimum)文字以上にしてください。複数の単語をつなげたパスフレーズが覚えやすくおすすめです。")
        case .tooLong(let maximum):
            return LocalizedText(
                en: "The password must be at most \(maximum) characters long.",
                ja: "パスワードは\(maximum)文字以内にしてください。")
        case .common:
            return LocalizedText(
                en: "This password is one of the most commonly used passwords. Choose another.",
                ja: "このパスワードはよく使われるパスワードの一覧に含まれています。別のパスワードを選んでください。")
        case .containsEmail:
            return LocalizedText(
                en: "The password must not contain your e-mail address or its user name part.",
                ja: "パスワードにメールアドレス（@より前の部分）を含めないでください。")
        case .containsDisplayName:
            return LocalizedText(
                en: "The password must not contain your name.",
                ja: "パスワードに氏名（表示名）を含めないでください。")
        case .controlCharacter:
            return LocalizedText(
                en: "The password must not contain control characters such as tabs or line breaks.",
                ja: "パスワードにタブや改行などの制御文字を含めないでください。")
        case .blank:
            return LocalizedText(
                en: "The password must not consist of spaces only.",
                ja: "空白だけのパスワードは使えません。")
        case .repetitive:
            return LocalizedText(
                en: "The password repeats the same characters (such as aaaa or abcabc). Choose a passphrase of several words.",
                ja: "同じ文字や文字の並びを繰り返すパスワード（aaaa、abcabc など）は使えません。複数の単語をつなげたパスフレーズにしてください。")
        case .sequential:
            return LocalizedText(
                en: "The password is made of consecutive characters (such as 1234 or abcd). Choose a passphrase of several words.",
                ja: "連続した文字の並び（1234、abcd など）でできたパスワードは使えません。複数の単語をつなげたパスフレーズにしてください。")
        case .containsProductName:
            return LocalizedText(
                en: "The password must not contain the name of this service (Tekigo).",
                ja: "パスワードにこのサービスの名前（Tekigo、適合）を含めないでください。")
        case .commonWordWithDigits:
            return LocalizedText(
                en: "An administrator's password must not be a common word with digits or symbols added (such as password1234). Choose a passphrase of several words.",
                ja: "管理者のパスワードに、よく使われる単語に数字や記号を足しただけのもの（password1234 など）は使えません。複数の単語をつなげたパスフレーズにしてください。")
        case .keyboardRun:
            return LocalizedText(
                en: "An administrator's password must not contain a run of neighbouring keys (such as qwerty or asdfgh).",
                ja: "管理者のパスワードに、キーボードで隣り合うキーの並び（qwerty、asdfgh など）を含めないでください。")
        case .containsOrganizationName:
            return LocalizedText(
                en: "An administrator's password must not contain the organization's name.",
                ja: "管理者のパスワードに組織名を含めないでください。")
        }
    }
}
