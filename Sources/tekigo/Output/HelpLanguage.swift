import ArgumentParser
import Foundation
import TekigoCore

/// The language of the command line's help and of its own errors, decided before ArgumentParser parses anything
/// (issue 17 item 6: no English in Japanese mode). ArgumentParser reads `help:` and `abstract:` when it builds the
/// help, which is before `GlobalOptions.language` exists, so the choice is made here by the same rule from the raw
/// arguments: `--lang ja|en` (or `--lang=ja`) anywhere on the line, else LC_ALL, else LANG.
enum HelpLanguage {
    static let current: Language = decide(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)

    static func decide(arguments: [String], environment: [String: String]) -> Language {
        for (i, argument) in arguments.enumerated() {
            if argument.hasPrefix("--lang="), let l = Language(rawValue: String(argument.dropFirst("--lang=".count))) { return l }
            if argument == "--lang", i + 1 < arguments.count, let l = Language(rawValue: arguments[i + 1]) { return l }
        }
        return Language(localeIdentifier: environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"])
    }
}

/// A text of the command line's own in the help language: `say(ja: "…", en: "…")` for `abstract:` and `discussion:`.
func say(ja: String, en: String) -> String {
    HelpLanguage.current == .ja ? ja : en
}

extension ArgumentHelp {
    /// An option's or argument's help in the help language: `@Option(help: .say(ja: "…", en: "…"))`.
    static func say(ja: String, en: String) -> ArgumentHelp {
        ArgumentHelp(HelpLanguage.current == .ja ? ja : en)
    }

    /// The same with a longer explanation and/or the value's name in the usage line (`<range>`), which stays as is.
    static func say(ja: String, en: String, discussionJa: String? = nil, discussionEn: String? = nil,
                    valueName: String? = nil) -> ArgumentHelp {
        let ja_ = HelpLanguage.current == .ja
        return ArgumentHelp(ja_ ? ja : en, discussion: (ja_ ? discussionJa : discussionEn) ?? "", valueName: valueName)
    }
}
