import Foundation
import TekigoCore

/// What Tekigo requires of a new password (SP 800-171 3.5.7, following SP 800-63B 5.1.1.2 for memorized secrets).
///
/// - At least 12 characters. SP 800-63B allows 8 for a memorized secret; Tekigo asks for 12 because these
///   accounts can read summaries of Controlled Unclassified Information (assessment results, POA&Ms, system
///   descriptions), so we take the stronger floor. Length counts Unicode code points after NFKC
///   normalisation, as SP 800-63B says (a Japanese passphrase of 12 kana or kanji is 12 characters).
/// - At most 128 characters (SP 800-63B: permit at least 64; the cap only bounds the work per login).
/// - Not one of the 10,000 most common passwords (the bundled `common-passwords.txt`), compared case-insensitively.
/// - Not containing the user's e-mail local part or display name (context-specific words).
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

        if Self.emailWords(email).contains(where: { folded.contains($0) }) {
            problems.append(.containsEmail)
        }
        if Self.nameWords(displayName).contains(where: { folded.contains($0) }) {
            problems.append(.containsDisplayName)
        }
        return problems
    }

    /// NFKC, as SP 800-63B recommends: full-width and half-width forms (common with Japanese input methods)
    /// become the same password. `PasswordHasher` applies the same normalisation before hashing and verifying.
    public static func normalize(_ password: String) -> String {
        password.precomposedStringWithCompatibilityMapping
    }

    // MARK: - Context-specific words

    /// The e-mail local part and its pieces split at `.`, `_`, `-` and `+`, lower-cased.
    static func emailWords(_ email: String) -> [String] {
        let lowered = normalize(email).lowercased().trimmingCharacters(in: .whitespaces)
        let local: Substring
        if let at = lowered.lastIndex(of: "@") { local = lowered[..<at] } else { local = lowered[...] }
        var words = [String(local)]
        words += local.split(whereSeparator: { ".-_+".contains($0) }).map(String.init)
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
        var set = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            set.insert(normalize(entry).lowercased())
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

    /// A stable identifier for the JSON API.
    public var code: String {
        switch self {
        case .tooShort: return "too_short"
        case .tooLong: return "too_long"
        case .common: return "common"
        case .containsEmail: return "contains_email"
        case .containsDisplayName: return "contains_display_name"
        case .controlCharacter: return "control_character"
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
        }
    }
}
