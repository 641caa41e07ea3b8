import Foundation
import Testing

/// The architecture issue's rule, as a ratchet while operations move into the use-case layer (TekigoUseCases): no
/// route, page or command-line file writes an audit entry or opens a transaction of its own. The files not moved yet
/// are listed by name; the list may only shrink (a file that no longer needs its place fails the test, so it is
/// taken off), and any other adapter file that starts doing either fails at once.
@Suite("Layering: adapters leave rules, transactions and audit entries to the use-case layer")
struct AdapterLayeringTests {
    /// Adapter files that still hold an operation of their own, with how many audit entries or transactions each has.
    static let notYetMoved: [String: Int] = [:]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func adapterFiles() throws -> [String] {
        var files: [String] = []
        for folder in ["Sources/TekigoServer/Routes", "Sources/TekigoServer/Web", "Sources/tekigo/Commands", "Sources/tekigo"] {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".swift") {
                files.append("\(folder)/\(name)")
            }
        }
        return files.sorted()
    }

    static func operations(in text: String) -> Int {
        ["AuditEvent(", ".transaction {", ".transaction{"].reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }
    }

    @Test("No adapter file writes audit entries or opens transactions, except those still listed (and no more than listed)")
    func adaptersHoldNoOperations() throws {
        let files = try Self.adapterFiles()
        #expect(files.contains("Sources/TekigoServer/Routes/AccountRoutes.swift"), "the adapter folders were not found")
        for file in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            let found = Self.operations(in: text)
            let allowed = Self.notYetMoved[file] ?? 0
            #expect(found <= allowed, "\(file) writes audit entries or opens transactions (\(found)); call a use case instead")
            if let listed = Self.notYetMoved[file] {
                #expect(found == listed, "\(file) now has \(found), not \(listed): lower its entry in notYetMoved (or remove it at 0)")
            }
        }
    }

    @Test("The use-case layer imports neither the HTTP framework nor the command-line parser")
    func useCasesKnowNoAdapters() throws {
        let dir = Self.root.appendingPathComponent("Sources/TekigoUseCases")
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        var checked = 0
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                #expect(!["import Hummingbird", "import HTTPTypes", "import ArgumentParser", "import TekigoServer"].contains(String(line)),
                        "\(name): \(line)")
            }
            checked += 1
        }
        #expect(checked >= 5)
    }
}
