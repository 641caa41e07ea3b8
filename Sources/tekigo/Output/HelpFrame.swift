import ArgumentParser
import Foundation
import TekigoCore

/// The words ArgumentParser itself writes around our help and in its parse errors (USAGE:, OPTIONS:, "Show help
/// information.", "Error: Missing expected argument …"), in Japanese when the help language is Japanese
/// (issue 17 item 6: no English in Japanese mode).
///
/// A library would normally localize these itself; swift-argument-parser (1.8) has no hook for it, so the finished
/// text is rewritten phrase by phrase from the table below. Every phrase is one the library writes verbatim
/// (Usage/HelpGenerator.swift, Usage/UsageGenerator.swift, Usage/MessageInfo.swift); our own texts are already in
/// Japanese by `say(ja:en:)`, so nothing else in the text matches. If a new library version changes a phrase, the
/// English stays visible and `JapaneseHelpCLITests` fails on it.
enum HelpFrame {
    /// A literal phrase and its Japanese, applied in order.
    static let phrases: [(en: String, ja: String)] = [
        ("OVERVIEW: ", "概要: "),
        ("USAGE: ", "使い方: "),
        ("Usage: ", "使い方: "),
        ("Help:  ", "ヘルプ:  "),
        ("Error: ", "エラー: "),
        ("\nARGUMENTS:\n", "\n引数:\n"),
        ("\nOPTIONS:\n", "\nオプション:\n"),
        ("\nSUBCOMMANDS:\n", "\nサブコマンド:\n"),
        ("Show help information.", "ヘルプを表示します。"),
        ("Show the version.", "バージョンを表示します。"),
        ("Show subcommand help information.", "サブコマンドのヘルプを表示します。"),
        (" (default)\n", " (既定)\n"),
        ("Missing required subcommand.", "サブコマンドを指定してください。"),
        (". Please provide one of the following:", "。次のいずれかを指定してください:"),
        ("Internal error. ", "内部エラーです。"),
    ]

    /// Phrases with a part that varies (a command name, an option, a value), as pattern and template.
    static let patterns: [(pattern: String, template: String)] = [
        (#"See '([^']*) <subcommand>' for detailed help\."#, "詳しいヘルプは '$1 <サブコマンド>' で表示されます。"),
        (#"See '([^']*)' for more information\."#, "詳しくは '$1' を見てください。"),
        // ArgumentParser wraps long help lines, so the space after these words may have become a line break.
        (#"\(default:(\s)"#, "(既定値:$1"),
        (#"\(values:(\s)"#, "(選択肢:$1"),
        (#"; default:(\s)"#, "; 既定値:$1"),
        (#"; default as flag:(\s)"#, "; フラグだけのときの値:$1"),
        (#"Missing expected argument '([^']*)'"#, "引数 '$1' がありません。指定してください"),
        (#"Missing one of: '([^']*)'"#, "次のいずれかを指定してください: '$1'"),
        (#"Unknown option '([^']*)'\. Did you mean '([^']*)'\?"#, "'$1' というオプションはありません。'$2' のことですか?"),
        (#"Unknown option '([^']*)'"#, "'$1' というオプションはありません"),
        (#"Invalid option: (\S+)"#, "無効なオプションです: $1"),
        (#"Missing value for '([^']*)'"#, "'$1' の値がありません"),
        (#"The option '([^']*)' does not take any value, but '([^']*)' was specified\."#,
         "オプション '$1' は値をとりませんが、'$2' が指定されました。"),
        (#"Unexpected argument '([^']*)'"#, "余分な引数 '$1' があります"),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "値 '$1' は '$2' に使えません"),
        (#"The value '([^']*)' is invalid\."#, "値 '$1' は使えません。"),
        (#"\. Please provide one of (.*)\.$"#, "。次のいずれかを指定してください: $1。"),
        (#"Value to be set with (.*) had already been set with (.*)$"#, "$1 で指定する値は、すでに $2 で指定されています"),
    ]

    /// The text in Japanese: ArgumentParser's fixed phrases replaced, everything else unchanged.
    static func japanese(_ text: String) -> String {
        var out = text
        for p in phrases { out = out.replacingOccurrences(of: p.en, with: p.ja) }
        for p in patterns {
            out = out.replacingOccurrences(of: "(?m)" + p.pattern, with: p.template, options: .regularExpression)
        }
        // "… 'a', 'b' or 'c'" / "'a' and 'b'" in a list of allowed values.
        out = out.replacingOccurrences(of: #"' (or|and) '"#, with: "', '", options: .regularExpression)
        return out
    }
}

extension Tekigo {
    /// The entry point: ArgumentParser's own `main()`, except that in Japanese mode its help and parse errors are
    /// printed through `HelpFrame.japanese`. In English mode it is exactly the library's behaviour.
    static func main() async {
        do {
            var command = try parseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard HelpLanguage.current == .ja else { exit(withError: error) }
            let code = exitCode(for: error)
            let text = HelpFrame.japanese(fullMessage(for: error))
            if !text.isEmpty {
                if code == .success {
                    print(text)
                } else {
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                }
            }
            Foundation.exit(code.rawValue)
        }
    }
}
