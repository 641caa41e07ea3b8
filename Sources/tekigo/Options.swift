import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore

/// Options every command takes: the language, and where the data is (`--data-dir`, `--database-url`), which
/// `storage` turns into a place by the one rule of `StorageLocation` and `CommandDatabase` opens.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: .say(ja: "出力の言語: ja 又は en（省略時: LANG / LC_ALL から判断）。", en: "Language of the output: ja or en (default: from LANG / LC_ALL)."))
    var lang: Language?

    @Option(name: .long, help: .say(ja: "Tekigo がデータ（tekigo.sqlite, evidence.key）を置く場所（省略時: $TEKIGO_DATA_DIR、なければ ~/.local/share/tekigo）。", en: "Where Tekigo keeps its data: tekigo.sqlite, evidence.key (default: $TEKIGO_DATA_DIR, else ~/.local/share/tekigo)."))
    var dataDir: String?

    @Option(name: .customLong("database-url"),
            help: .say(ja: "SQLite の代わりに使う PostgreSQL: postgres://user:password@host:port/database（省略時: $TEKIGO_DATABASE_URL、なければデータディレクトリの tekigo.sqlite）。", en: "PostgreSQL instead of SQLite: postgres://user:password@host:port/database (default: $TEKIGO_DATABASE_URL, else tekigo.sqlite in the data directory)."))
    var databaseURL: String?

    var language: Language {
        if let lang { return lang }
        let env = ProcessInfo.processInfo.environment
        return Language(localeIdentifier: env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"])
    }

    /// Where the data directory and the database are (deciding creates nothing).
    var storage: StorageLocation {
        StorageLocation(dataDirectory: dataDir, databaseURL: databaseURL, environment: ProcessInfo.processInfo.environment)
    }
}

extension Language: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("tekigo: " + message + "\n").utf8))
}

/// A failure the user can act on: printed as is, with the exit code it asks for.
struct UserError: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}

/// Runs a command body and turns user errors into a message on stderr and an exit code.
func reporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
        await OpenDatabases.shared.closeAll()
    } catch {
        await OpenDatabases.shared.closeAll()
        try report(error)
    }
}

private func report(_ error: any Error) throws {
    do {
        throw error
    } catch let e as UserError {
        printError(e.message)
        throw ExitCode(e.exitCode)
    } catch let e as LibraryError {
        printError(LibraryErrorText.text(e, HelpLanguage.current))
        throw ExitCode(2)
    } catch let e as ExitCode {
        throw e
    } catch let e as any BilingualError {
        printError(e.message(in: HelpLanguage.current))
        throw ExitCode(1)
    } catch let e as CustomStringConvertible where !(e is CleanExit) {
        printError(e.description)
        throw ExitCode(1)
    }
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}
