import Foundation

/// What the "no English in Japanese mode" tests (issue 17 item 6) look for in a message or a help text.
public enum JapaneseText {
    /// Kana or kanji: what a Japanese message is made of.
    public static func isJapanese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    /// Three ASCII words in a row (single spaces) once quoted literals ('…', `…`) are taken out: English prose.
    public static func englishProse(_ text: String) -> String? {
        let stripped = text.replacingOccurrences(of: #"'[^']*'|`[^`]*`"#, with: "¶", options: .regularExpression)
        guard let r = stripped.range(of: #"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}"#, options: .regularExpression) else { return nil }
        return String(stripped[r])
    }
}
