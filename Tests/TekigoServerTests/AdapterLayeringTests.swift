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

    /// The store's entry points: a store type named, a membership's or scope's `store`, the server's account store,
    /// raw SQL. Passing the database to a use case is not one (that is how adapters build the use cases).
    static let storeAccess = try! NSRegularExpression(pattern:
        #"\b(AccountStore|TenantStore|MembershipStore|RelationshipStore|AttestationStore|ConsentStore|RollupStore|ReminderStore|"#
        + #"WebhookQueue|JobStore|SQLCatalogStore|EvidenceVault|AuditLog|OrganizationKeys|DemoLoader|SchedulerLease|SupplyChainDirectory|"#
        + #"ThreatIntelStore)\b"#
        + #"|\.store\b|services\.accounts|\.sql\b"#)

    /// Adapter files whose store access is their job rather than an operation's, and why.
    static let storeAccessByDesign: [String: String] = [
        "Sources/tekigo/Context.swift": "opens the database and the catalog store the catalog commands read (composition)",
        "Sources/tekigo/Commands/BackupCommand.swift": "backup and restore copy and check database files as a whole",
        "Sources/tekigo/Commands/BenchCommand.swift": "the benchmark seeds data at store speed and measures the stores themselves",
        "Sources/TekigoServer/Routes/OperationsRoutes.swift": "the readiness probe asks the database itself",
    ]

    /// Adapter files that still reach the store directly for reads, with how many times. The list may only shrink: a
    /// file at fewer accesses fails until its entry is lowered, a file not listed fails at its first access.
    static let storeAccessNotYetMoved: [String: Int] = [:]

    static func storeAccesses(in text: String) -> Int {
        storeAccess.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    @Test("Adapters reach the store only through the use-case layer (except the files listed, by design or not yet moved)")
    func adaptersReachTheStoreThroughUseCases() throws {
        for file in try Self.adapterFiles() where Self.storeAccessByDesign[file] == nil {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            let found = Self.storeAccesses(in: text)
            let allowed = Self.storeAccessNotYetMoved[file] ?? 0
            #expect(found <= allowed, "\(file) reaches the store directly (\(found)); read or write through a use case instead")
            if let listed = Self.storeAccessNotYetMoved[file] {
                #expect(found == listed, "\(file) now has \(found), not \(listed): lower its entry (or remove it at 0)")
            }
        }
        for file in Self.storeAccessByDesign.keys {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(file).path), "\(file) is gone: take it off the list")
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
