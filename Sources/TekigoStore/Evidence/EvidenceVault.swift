import Crypto
import Foundation
import SQLKit

/// What is known about one stored evidence file (never its content).
public struct EvidenceRecord: Sendable, Hashable, Codable {
    public let organizationID: String
    /// SHA-256 of the plaintext, lowercase hex: the file's identity within its organization.
    public let sha256: String
    public let size: Int
    /// The uploaded name, sanitized (`EvidenceVault.sanitizedFilename`); a label, never a path.
    public let filename: String
    public let contentType: String
    public let uploadedBy: String
    public let uploadedAt: String

    public init(organizationID: String, sha256: String, size: Int, filename: String, contentType: String,
                uploadedBy: String, uploadedAt: String) {
        self.organizationID = organizationID
        self.sha256 = sha256
        self.size = size
        self.filename = filename
        self.contentType = contentType
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

public enum EvidenceError: Error, CustomStringConvertible, Equatable {
    /// The file is larger than the vault's limit (bytes).
    case tooLarge(limit: Int)
    /// No evidence with that SHA-256 in this organization.
    case notFound
    /// The sealed bytes did not open, or opened to bytes whose SHA-256 is not the stored one.
    case integrityFailure
    /// Findings (objective ids) of the organization still reference the evidence.
    case referencedBy([String])
    /// Entries of these incidents' timelines (incident ids) cite the evidence: an incident's record is kept whole
    /// (DFARS 252.204-7012(e) preservation; its timeline is the incident's history), so such a file is never deleted.
    case citedByIncidents([String])
    /// The evidence key is missing, malformed or unreadable (never includes the key).
    case badKey(String)
    /// The key file may be read or written by group or others.
    case insecureKeyFile(path: String)

    public var description: String {
        switch self {
        case .tooLarge(let limit):
            return "the file is larger than the evidence size limit of \(Self.bytes(limit)) (\(limit) bytes); "
                + "upload a smaller file (split or compress it), or ask the administrator to raise the limit."
        case .notFound:
            return "no evidence with that SHA-256 exists in this organization; check the hash (64 hexadecimal digits) "
                + "and the organization."
        case .integrityFailure:
            return "the stored evidence failed its integrity check: it was altered in the database, copied from "
                + "another organization, or sealed with a different evidence key. Restore the evidence key "
                + "(evidence.key in the data directory or TEKIGO_EVIDENCE_KEY) or the database from backup, or "
                + "upload the file again."
        case .referencedBy(let objectives):
            return "the evidence is still referenced by the findings for \(objectives.joined(separator: ", ")); "
                + "remove it from those findings first, then delete it."
        case .citedByIncidents(let ids):
            return "the evidence is part of the timeline of incident(s) \(ids.joined(separator: ", ")); an incident's record "
                + "is kept whole (DFARS 252.204-7012(e)), so it cannot be deleted."
        case .badKey(let why):
            return "the evidence encryption key cannot be used: \(why)."
        case .insecureKeyFile(let path):
            return "the evidence key file \(path) is accessible to other users (group or other permission bits are "
                + "set); restrict it with `chmod 600 \(path)` (owned by the user that runs Tekigo) and start again."
        }
    }

    private static func bytes(_ n: Int) -> String {
        if n >= 1024 * 1024, n % (1024 * 1024) == 0 { return "\(n / (1024 * 1024)) MiB" }
        if n >= 1024, n % 1024 == 0 { return "\(n / 1024) KiB" }
        return "\(n) bytes"
    }
}

/// Evidence files, encrypted at rest (SP 800-171 3.13.16) and isolated per organization.
///
/// - Content-addressed: a file is identified by the SHA-256 of its plaintext within its organization, so uploading
///   the same file twice stores it once (the first upload's name and uploader are kept).
/// - Sealed with AES-256-GCM. The associated data binds the ciphertext to its organization and hash, so a sealed
///   blob copied into another organization's row (or under another hash) fails to open.
/// - Every statement is scoped by `organization_id`: one organization can never read, list or delete another's files.
public struct EvidenceVault: Sendable {
    let db: TekigoDatabase
    public let key: EvidenceKey
    public let maxSize: Int

    public init(db: TekigoDatabase, key: EvidenceKey, maxSize: Int = 25 * 1024 * 1024) {
        self.db = db
        self.key = key
        self.maxSize = maxSize
    }

    // MARK: - Operations

    /// Stores a file (or finds the identical one already stored) and returns its record.
    /// - Parameter on: run on this connection (for example inside the caller's transaction, next to its audit
    ///   entry); by default a pooled connection.
    @discardableResult
    public func put(organizationID: String, data: Data, filename: String, contentType: String, uploadedBy: String,
                    on sql: (any SQLDatabase)? = nil) async throws -> EvidenceRecord {
        guard data.count <= maxSize else { throw EvidenceError.tooLarge(limit: maxSize) }
        let sql = sql ?? db.sql
        let sha = Hex.sha256(data)
        // Dedup before sealing and sending up to maxSize bytes to the database.
        if let existing = try await record(organizationID: organizationID, sha256: sha, on: sql) { return existing }
        let sealed = try seal(data, organizationID: organizationID, sha256: sha)
        // Two identical uploads at once: the second insert is ignored and both return the first row.
        try await sql.insert(into: "evidence")
            .columns("organization_id", "sha256", "size", "filename", "content_type", "sealed", "uploaded_by",
                     "uploaded_at")
            .values(SQLBind(organizationID), SQLBind(sha), SQLBind(data.count), SQLBind(Self.sanitizedFilename(filename)),
                    SQLBind(Self.sanitizedContentType(contentType)), SQLBind(sealed), SQLBind(uploadedBy),
                    SQLBind(Timestamp.now()))
            .ignoringConflicts(with: ["organization_id", "sha256"])
            .run()
        guard let stored = try await record(organizationID: organizationID, sha256: sha, on: sql) else {
            // Deleted between the insert and this read.
            throw EvidenceError.notFound
        }
        return stored
    }

    /// The record and the plaintext, after checking that it opens under this organization and hashes to `sha256`.
    public func get(organizationID: String, sha256: String, on sql: (any SQLDatabase)? = nil) async throws
        -> (EvidenceRecord, Data)
    {
        guard let sha = Self.normalizedHash(sha256) else { throw EvidenceError.notFound }
        let sql = sql ?? db.sql
        guard let row = try await sql.select().columns(Self.recordColumns + ["sealed"]).from("evidence")
            .where("organization_id", .equal, organizationID).where("sha256", .equal, sha).first()
        else { throw EvidenceError.notFound }
        let record = try Self.decodeRecord(row)
        let sealed: Data
        do { sealed = try row.decode(column: "sealed", as: Data.self) } catch { throw EvidenceError.integrityFailure }
        let plaintext = try open(sealed, organizationID: organizationID, sha256: sha)
        // AES-GCM already authenticates the bytes and binds them to the hash; re-hashing also catches a row whose
        // hash column and content disagree for any other reason (a bug, a restore mix-up).
        guard Hex.sha256(plaintext) == sha, plaintext.count == record.size else {
            throw EvidenceError.integrityFailure
        }
        return (record, plaintext)
    }

    /// The organization's evidence records, newest first (no content is read or decrypted).
    public func list(organizationID: String, on sql: (any SQLDatabase)? = nil) async throws -> [EvidenceRecord] {
        try await (sql ?? db.sql).select().columns(Self.recordColumns).from("evidence")
            .where("organization_id", .equal, organizationID)
            .orderBy("uploaded_at", .descending).orderBy("sha256")
            .all().map(Self.decodeRecord)
    }

    /// The record alone, or nil.
    public func record(organizationID: String, sha256: String, on sql: (any SQLDatabase)? = nil) async throws
        -> EvidenceRecord?
    {
        guard let sha = Self.normalizedHash(sha256) else { return nil }
        return try await (sql ?? db.sql).select().columns(Self.recordColumns).from("evidence")
            .where("organization_id", .equal, organizationID).where("sha256", .equal, sha)
            .first().map(Self.decodeRecord)
    }

    /// Deletes a file, refusing (`EvidenceError.referencedBy`) while any finding of the organization references it.
    ///
    /// The check and the delete run in one transaction: the caller's when `on` is given (for example with the audit
    /// entry), otherwise a new one.
    ///
    /// References are found by searching the text of `findings.evidence` (a JSON array of `{"location", "sha256"}`)
    /// for the hash with LIKE. SQLite and PostgreSQL share no JSON function (`json_each` vs
    /// `jsonb_array_elements`), and the column is plain TEXT, while a substring search is the same on both and uses
    /// the organization index. It is exact enough: the hash is validated as 64 hexadecimal digits first (so it
    /// holds no LIKE wildcard), 64 hex digits do not occur by chance, and any occurrence — as `sha256` or inside a
    /// `location` — is a reference to this file, so an error can only be on the safe side (refusing). The column
    /// is lowercased first because SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
    public func delete(organizationID: String, sha256: String, on sql: (any SQLDatabase)? = nil) async throws {
        guard let sha = Self.normalizedHash(sha256) else { throw EvidenceError.notFound }
        let body: @Sendable (any SQLDatabase) async throws -> Void = { s in
            let exists = try await s.select().column("sha256").from("evidence")
                .where("organization_id", .equal, organizationID).where("sha256", .equal, sha).first()
            guard exists != nil else { throw EvidenceError.notFound }
            let referencing = try await s.select().column("objective").from("findings")
                .where("organization_id", .equal, organizationID)
                .where(SQLFunction("LOWER", args: SQLColumn("evidence")), .like, SQLBind("%\(sha)%"))
                .all()
            if !referencing.isEmpty {
                let objectives = Set(try referencing.map { try $0.decode(column: "objective", as: String.self) })
                throw EvidenceError.referencedBy(objectives.sortedByRequirement())
            }
            let incidents = try await s.select().column("incident_id").from("incident_timeline")
                .where("organization_id", .equal, organizationID)
                .where(SQLFunction("LOWER", args: SQLColumn("evidence")), .like, SQLBind("%\(sha)%"))
                .all()
            if !incidents.isEmpty {
                throw EvidenceError.citedByIncidents(Set(try incidents.map { try $0.decode(column: "incident_id", as: String.self) }).sorted())
            }
            try await s.delete(from: "evidence")
                .where("organization_id", .equal, organizationID).where("sha256", .equal, sha).run()
        }
        if let sql { try await body(sql) } else { try await db.transaction(body) }
    }

    // MARK: - Sealing

    /// Binds a sealed blob to its organization and hash.
    static func associatedData(organizationID: String, sha256: String) -> Data {
        EvidenceKey.binding("tekigo.evidence.v1", [organizationID, sha256])
    }

    func seal(_ plaintext: Data, organizationID: String, sha256: String) throws -> Data {
        guard let sealed = try key.seal(plaintext, binding: Self.associatedData(organizationID: organizationID, sha256: sha256))
        else { throw EvidenceError.integrityFailure }
        return sealed
    }

    func open(_ sealed: Data, organizationID: String, sha256: String) throws(EvidenceError) -> Data {
        guard let plain = key.unseal(sealed, binding: Self.associatedData(organizationID: organizationID, sha256: sha256)) else {
            throw .integrityFailure
        }
        return plain
    }

    // MARK: - Inputs

    /// The longest stored filename, in UTF-8 bytes (a common file-system limit, kept when the file is downloaded).
    public static let maxFilenameBytes = 255

    /// A display name from an uploaded filename: the last path component only (`/` and `\` both separate), NFC,
    /// without control, format (bidirectional overrides, zero-width) or separator characters, trimmed, at most
    /// `maxFilenameBytes` UTF-8 bytes (the extension is kept when the name is shortened). Never a path: the vault
    /// stores content in the database and uses the name only as a label.
    public static func sanitizedFilename(_ raw: String) -> String {
        let fallback = "evidence"
        let last = raw.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for s in last.unicodeScalars {
            switch s.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                continue
            default:
                scalars.append(s)
            }
        }
        var name = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.allSatisfy({ $0 == "." }) { return fallback }
        if name.utf8.count <= maxFilenameBytes { return name }

        // Keep a short extension; shorten the stem one character at a time (never splitting a character).
        var ext = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let candidate = String(name[dot...])
            if candidate.utf8.count <= 16 {
                ext = candidate
                name = String(name[..<dot])
            }
        }
        while !name.isEmpty, name.utf8.count + ext.utf8.count > maxFilenameBytes { name.removeLast() }
        name = name.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? fallback + ext : name + ext
    }

    /// `type/subtype` in lowercase (parameters dropped), or `application/octet-stream` for anything else, so the
    /// value is safe to send back as a Content-Type header.
    public static func sanitizedContentType(_ raw: String) -> String {
        let fallback = "application/octet-stream"
        let base = raw.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let type = base.trimmingCharacters(in: .whitespaces).lowercased()
        let token = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        guard type.count <= 127, parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(token.contains) })
        else { return fallback }
        return type
    }

    /// Lowercase hex if `s` is a SHA-256 (64 hex digits), else nil.
    static func normalizedHash(_ s: String) -> String? {
        let lower = s.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        return lower
    }

    // MARK: - Rows

    static let recordColumns = ["organization_id", "sha256", "size", "filename", "content_type", "uploaded_by",
                                "uploaded_at"]

    static func decodeRecord(_ row: any SQLRow) throws -> EvidenceRecord {
        EvidenceRecord(
            organizationID: try row.decode(column: "organization_id", as: String.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            size: try row.decode(column: "size", as: Int.self),
            filename: try row.decode(column: "filename", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
            uploadedAt: try row.decode(column: "uploaded_at", as: String.self))
    }
}
