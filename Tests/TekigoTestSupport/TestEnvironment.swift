import Foundation

/// Where the things tests need from outside the package are, and whether tests that need them must run.
///
/// `../shared/data` (NIST's files) and the validators' virtualenv are optional on a developer's machine:
/// tests that need them are skipped with a message when they are absent. CI sets
/// `TEKIGO_REQUIRE_EXTERNALS=1`, which turns that skip into a failure, so the checks always run there.
public enum TestEnvironment {
    /// The package root (three levels above this file).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var externalsRequired: Bool {
        ProcessInfo.processInfo.environment["TEKIGO_REQUIRE_EXTERNALS"] == "1"
    }

    /// `../shared/data` next to the checkout, or `$TEKIGO_SHARED_DATA`.
    public static var sharedDataURL: URL {
        if let env = ProcessInfo.processInfo.environment["TEKIGO_SHARED_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    public static var hasSharedData: Bool {
        FileManager.default.fileExists(atPath: sharedDataURL.appendingPathComponent("SOURCES.md").path)
    }

    /// Enables a test when the shared data exists, or when CI requires it (the test then fails loudly).
    public static var runSharedDataTests: Bool { hasSharedData || externalsRequired }

    /// A file under `../shared/data`; throws a clear error when the data is missing.
    public static func sharedData(_ relative: String) throws -> URL {
        let url = sharedDataURL.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingExternal("shared data file \(url.path) is missing (set TEKIGO_SHARED_DATA)")
        }
        return url
    }

    /// `.venv-validators` made by `scripts/validators.sh`, or `$TEKIGO_VALIDATORS_VENV`.
    public static var validatorsVenv: URL {
        if let env = ProcessInfo.processInfo.environment["TEKIGO_VALIDATORS_VENV"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent(".venv-validators")
    }

    public static var hasValidators: Bool {
        FileManager.default.isExecutableFile(atPath: validatorsVenv.appendingPathComponent("bin/check-jsonschema").path)
    }

    public static var runValidatorTests: Bool { (hasValidators && hasSharedData) || externalsRequired }

    public static func validator(_ name: String) throws -> URL {
        let url = validatorsVenv.appendingPathComponent("bin/\(name)")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw MissingExternal("validator \(url.path) is missing: run scripts/validators.sh")
        }
        return url
    }

    /// The `tekigo` executable that `swift build` / `swift test` made.
    public static func tekigoBinary() throws -> URL {
        try builtExecutable("tekigo", hint: "run `swift build` first")
    }

    /// `tekigo-crash-writer`, the crash-consistency tests' writer (an executable target of the package, not a product:
    /// it is never shipped in `tekigo`).
    public static func crashWriterBinary() throws -> URL {
        try builtExecutable("tekigo-crash-writer", hint: "run `swift build --build-tests` first")
    }

    /// An executable of this package, next to the tests (or in .build/debug).
    static func builtExecutable(_ name: String, hint: String) throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
            Bundle.main.bundleURL.appendingPathComponent(name),
            packageRoot.appendingPathComponent(".build/debug/\(name)"),
        ]
        guard let url = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingExternal("the \(name) binary was not found next to the tests (looked in \(candidates.map(\.path).joined(separator: ", "))); \(hint)")
        }
        return url
    }

    /// A fresh, empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "tekigo-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public struct MissingExternal: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// The result of running a program.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program to completion, feeding `input` (or nothing) on stdin.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                       currentDirectory: URL? = nil, input: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let currentDirectory { p.currentDirectoryURL = currentDirectory }
    // Output goes to files, so a large output never blocks the child on a full pipe.
    let dir = FileManager.default.temporaryDirectory
    let outURL = dir.appendingPathComponent("tekigo-out-\(UUID().uuidString)")
    let errURL = dir.appendingPathComponent("tekigo-err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    p.standardOutput = outHandle
    p.standardError = errHandle
    if let input {
        let inURL = dir.appendingPathComponent("tekigo-in-\(UUID().uuidString)")
        try Data(input.utf8).write(to: inURL)
        p.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        p.standardInput = FileHandle.nullDevice
    }
    try p.run()
    p.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return ProcessResult(status: p.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// `runProcess` on a thread of its own, for programs that run long (the browser test, schemathesis): waiting for
/// them on the Swift concurrency pool (two threads on a two-core machine) would starve every other test running at the
/// same time, servers under test included.
public func runProcessOffPool(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                              currentDirectory: URL? = nil, input: String? = nil) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result {
                try runProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory, input: input)
            })
        }
        thread.start()
    }
}
