import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// Who asks the registry for a change: the operator at the server (`tekigo cloud …`, actor `cli`) or a signed-in
/// person, who must be a platform administrator to import or to enter ISMAP records (the registry shows in every
/// organization). Anyone signed in reads it.
public struct CloudRegistryCaller: Sendable {
    public let actor: Actor
    public let isPlatformAdmin: Bool

    public init(actor: Actor, isPlatformAdmin: Bool) {
        self.actor = actor
        self.isPlatformAdmin = isPlatformAdmin
    }

    /// The operator at this machine: someone with the database in hand administers the platform already.
    public static let commandLine = CloudRegistryCaller(actor: Actor(id: "cli", sourceIP: "local"), isPlatformAdmin: true)

    public static func person(_ user: UserRecord, sourceIP: String) -> CloudRegistryCaller {
        CloudRegistryCaller(actor: Actor(id: user.id, sourceIP: sourceIP), isPlatformAdmin: user.isPlatformAdmin)
    }
}

/// Why a registry request cannot be done, in both languages and saying what to do.
public enum CloudRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Importing and ISMAP records change what every organization sees: platform administrators only.
    case notPlatformAdmin
    case unreadable(FedRAMPReadError)
    case invalidISMAP(ISMAPRecordError)
    case unknownProduct(String)
    case unknownISMAP(String)
    /// Adding a record whose registration number is entered already (edit that one instead).
    case ismapExists(String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .notPlatformAdmin:
            return LocalizedText(en: "Only a platform administrator imports the FedRAMP Marketplace or enters ISMAP records: the registry is shared by every organization. Ask the server's operator (tekigo admin platform-admin EMAIL).",
                                 ja: "FedRAMP Marketplace の取込みと ISMAP 登録情報の入力はプラットフォーム管理者だけが行えます（レジストリは全組織で共有されます）。サーバーの運用者に依頼してください（tekigo admin platform-admin EMAIL）。")
        case .unreadable(let e): return e.message
        case .invalidISMAP(let e): return e.message
        case .unknownProduct(let id):
            return LocalizedText(en: "The registry has no FedRAMP product '\(id)'; search for it (tekigo cloud search TEXT) or import a newer Marketplace file.",
                                 ja: "レジストリに FedRAMP 製品「\(id)」はありません。検索するか（tekigo cloud search TEXT）、新しい Marketplace ファイルを取り込んでください。")
        case .unknownISMAP(let n):
            return LocalizedText(en: "There is no ISMAP record '\(n)'; tekigo cloud ismap list shows them.",
                                 ja: "ISMAP 登録情報「\(n)」はありません。tekigo cloud ismap list で一覧できます。")
        case .ismapExists(let n):
            return LocalizedText(en: "registrationNumber: the ISMAP record '\(n)' is entered already; open it and edit it instead.",
                                 ja: "registrationNumber: ISMAP 登録情報「\(n)」は入力済みです。その登録情報を開いて編集してください。")
        }
    }
}

/// One product with what it builds on, what is built on it, and what imports changed for it (newest first).
public struct CloudProductDetail: Sendable, Hashable, Codable {
    public let product: CloudProduct
    /// The products this one builds on: those whose `leveraged_systems` name it.
    public let buildsOn: [CloudProduct]
    /// The products built on this one: its `leveraged_systems`.
    public let builtOnIt: [CloudProduct]
    public let changes: [CloudProductChange]
}

/// The platform-wide cloud provider registry (issue 15 items 1 and 2): the FedRAMP Marketplace imported from GSA's
/// `data.json` and ISMAP / ISMAP-LIU registrations entered by hand. Each change is one transaction with its audit
/// entry; an import replaces the products and links whole, so a failed one leaves the previous registry as it was.
public struct CloudRegistryUseCases: Sendable {
    public let db: TekigoDatabase
    public let clock: any WallClock

    public init(db: TekigoDatabase, clock: any WallClock = SystemClock()) {
        self.db = db
        self.clock = clock
    }

    var store: CloudRegistryStore { CloudRegistryStore(db) }

    public static func checkMayChange(_ caller: CloudRegistryCaller) throws(CloudRegistryError) {
        guard caller.isPlatformAdmin else { throw .notPlatformAdmin }
    }

    // MARK: - FedRAMP Marketplace

    /// Reads a Marketplace file without storing anything (pure).
    public func read(_ data: Data) throws(CloudRegistryError) -> FedRAMPMarketplaceFile {
        do { return try FedRAMPMarketplaceReader.read(data) } catch { throw .unreadable(error) }
    }

    /// Imports a Marketplace file: read, then in one transaction the products and links replaced, the import and each
    /// product's changes recorded, and the audit entry (`cloud.registry-imported`, the file's SHA-256). A platform
    /// administrator or the operator only. `progress` hears (step, of) as the import advances.
    public func importMarketplace(_ data: Data, fileName: String, by caller: CloudRegistryCaller,
                                  progress: (@Sendable (Int, Int) async -> Void)? = nil) async throws -> CloudRegistryImportResult {
        try Self.checkMayChange(caller)
        let file = try read(data)
        await progress?(1, 3)
        let digest = Hex.sha256(data)
        let name = String(fileName.split(separator: "/").last ?? "data.json").prefix(200)
        let now = clock.now()
        let store = self.store
        let result = try await db.transaction { s in
            try await store.lockForImport(on: s)
            // The used products' standings before the import: one that leaves the Marketplace alerts only if it met the
            // Moderate baseline before (`CloudChainAlertRule.drops`).
            let before = try await CloudChainStore.usedStandings(on: s)
            let result = try await store.replace(with: file, fileName: String(name), fileSHA256: digest, importedBy: caller.actor.id, now: now, on: s)
            try await CloudAlertFanOut.afterImport(result, before: before, db: db, at: now, on: s)  // issue 15 item 5: alerts in the same transaction
            _ = try await AuditLog(db).append(AuditEvent(actor: caller.actor.id, sourceIP: caller.actor.sourceIP, action: .cloudRegistryImported,
                                                         object: "cloud-registry/import/\(result.record.id)", afterDigest: digest), on: s)
            return result
        }
        await progress?(3, 3)
        return result
    }

    /// Products matching every term of `text` (package id, CSP, offering; case- and width-insensitive).
    public func search(_ text: String, limit: Int = CloudRegistryStore.searchLimit) async throws -> [CloudProduct] {
        try await store.search(text, limit: limit)
    }

    public func product(packageID: String) async throws -> CloudProduct? { try await store.product(packageID: packageID) }

    /// One product with its links and changes; `unknownProduct` when the registry has none.
    public func show(packageID: String) async throws -> CloudProductDetail {
        let id = packageID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let p = try await store.product(packageID: id) else { throw CloudRegistryError.unknownProduct(id) }
        async let on = store.buildsOn(packageID: id)
        async let built = store.builtOnIt(packageID: id)
        async let changes = store.changes(packageID: id)
        return CloudProductDetail(product: p, buildsOn: try await on, builtOnIt: try await built, changes: try await changes)
    }

    public func imports(limit: Int = 100) async throws -> [CloudRegistryImportRecord] { try await store.imports(limit: limit) }
    public func latestImport() async throws -> CloudRegistryImportRecord? { try await store.latestImport() }
    public func productCount() async throws -> Int { try await store.productCount() }

    // MARK: - ISMAP

    /// Enters or replaces an ISMAP / ISMAP-LIU record (validated, naming the field), with its audit entry. `expecting`
    /// `.new` refuses a number entered already (`ismapExists`), `.existing` one not entered (`unknownISMAP`); both are
    /// checked in the same transaction as the write.
    public func saveISMAP(_ record: ISMAPRecord, by caller: CloudRegistryCaller, expecting: ISMAPWrite = .either) async throws -> ISMAPEntry {
        try Self.checkMayChange(caller)
        let r: ISMAPRecord
        do { r = try record.validated() } catch { throw CloudRegistryError.invalidISMAP(error) }
        let now = clock.now()
        let store = self.store
        let data = try Self.canonicalJSON(r)
        return try await db.transaction { s in
            let before = try await store.ismapRecord(number: r.registrationNumber, on: s)
            switch (expecting, before) {
            case (.new, .some): throw CloudRegistryError.ismapExists(r.registrationNumber)
            case (.existing, .none): throw CloudRegistryError.unknownISMAP(r.registrationNumber)
            default: break
            }
            try await store.saveISMAP(r, by: caller.actor.id, now: now, on: s)
            _ = try await AuditLog(db).append(AuditEvent(actor: caller.actor.id, sourceIP: caller.actor.sourceIP, action: .cloudISMAPRecordSaved,
                                                         object: "ismap/\(r.registrationNumber)",
                                                         beforeDigest: try before.map { AuditLog.digest(try Self.canonicalJSON($0)) },
                                                         afterDigest: AuditLog.digest(data)), on: s)
            guard let entry = try await store.ismapEntry(number: r.registrationNumber, on: s) else {
                throw CloudRegistryError.unknownISMAP(r.registrationNumber)
            }
            return entry
        }
    }

    /// Removes an ISMAP record, with its audit entry.
    public func deleteISMAP(number: String, by caller: CloudRegistryCaller) async throws {
        try Self.checkMayChange(caller)
        let store = self.store
        try await db.transaction { s in
            guard try await store.deleteISMAP(number: number, on: s) else { throw CloudRegistryError.unknownISMAP(number) }
            _ = try await AuditLog(db).append(AuditEvent(actor: caller.actor.id, sourceIP: caller.actor.sourceIP, action: .cloudISMAPRecordDeleted,
                                                         object: "ismap/\(number)"), on: s)
        }
    }

    public func ismapEntries(matching query: String = "") async throws -> [ISMAPEntry] { try await store.ismapEntries(matching: query) }

    public func ismapEntry(number: String) async throws -> ISMAPEntry {
        guard let e = try await store.ismapEntry(number: number) else { throw CloudRegistryError.unknownISMAP(number) }
        return e
    }

    static func canonicalJSON(_ record: ISMAPRecord) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(record)
    }
}
