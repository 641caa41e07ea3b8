import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The 256-bit AES key that seals evidence files at rest (SP 800-171 3.13.16).
///
/// It comes from `TEKIGO_EVIDENCE_KEY` (base64 of 32 bytes; for containers and secret managers) or, when that is
/// not set, from `<data directory>/evidence.key`, which is created on first run (0600, base64 text, so it can be
/// moved into the environment variable unchanged). Losing the key makes every stored evidence file unreadable:
/// back it up apart from the database.
///
/// The key never appears in a description, a debug print, a mirror or an error message.
public struct EvidenceKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The environment variable that, when set, supplies the key.
    public static let environmentVariable = "TEKIGO_EVIDENCE_KEY"
    /// The key file's name inside the data directory.
    public static let fileName = "evidence.key"

    // SymmetricKey is an immutable value (its SecureBytes storage is copy-on-write and never written after
    // initialisation), but swift-crypto does not declare it Sendable.
    nonisolated(unsafe) let key: SymmetricKey

    /// A key from its 32 raw bytes.
    public init(rawBytes: some ContiguousBytes) throws(EvidenceError) {
        let count = rawBytes.withUnsafeBytes { $0.count }
        guard count == 32 else {
            throw .badKey("an evidence key is 32 bytes (256 bits); this one has \(count)")
        }
        key = SymmetricKey(data: rawBytes)
    }

    init(_ key: SymmetricKey) { self.key = key }

    public var description: String { "EvidenceKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The key from `TEKIGO_EVIDENCE_KEY` if it is set, otherwise from `<dataDirectory>/evidence.key` (created on
    /// first run with 32 random bytes and permissions 0600).
    public static func load(dataDirectory: String, environment: [String: String]) throws(EvidenceError) -> EvidenceKey {
        if let value = environment[environmentVariable] {
            return try fromBase64(value, source: "\(environmentVariable)")
        }
        return try loadOrCreateFile(at: (dataDirectory as NSString).appendingPathComponent(fileName),
                                    directory: dataDirectory)
    }

    /// Parses base64 text (surrounding whitespace and a trailing newline allowed). The value itself is never put
    /// into the error.
    static func fromBase64(_ text: String, source: String) throws(EvidenceError) -> EvidenceKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let howTo = "generate one with `openssl rand -base64 32`"
        guard !trimmed.isEmpty else {
            throw .badKey("\(source) is set but empty; it must be the base64 encoding of 32 random bytes (\(howTo))")
        }
        guard let bytes = Data(base64Encoded: trimmed) else {
            throw .badKey("\(source) is not valid base64; it must be the base64 encoding of 32 random bytes (\(howTo))")
        }
        guard bytes.count == 32 else {
            throw .badKey("\(source) decodes to \(bytes.count) bytes, but an evidence key is exactly 32 bytes (\(howTo))")
        }
        return EvidenceKey(SymmetricKey(data: bytes))
    }

    // MARK: - The key file

    static func loadOrCreateFile(at path: String, directory: String) throws(EvidenceError) -> EvidenceKey {
        if let key = try readFile(at: path) { return key }
        do throws(StoreError) {
            try createPrivateDirectory(directory)
        } catch {
            throw .badKey("\(error)")
        }
        if let key = try createFile(at: path) { return key }
        // Another instance created the file first (O_EXCL lost the race): use its key. Its single write may not be
        // visible for a moment, so a short or empty file is read again briefly before it counts as malformed.
        var attempt = 0
        while true {
            attempt += 1
            do throws(EvidenceError) {
                if let key = try readFile(at: path) { return key }
                throw EvidenceError.badKey("the key file \(path) disappeared while it was being created; start again")
            } catch {
                guard case .badKey = error, attempt < 10 else { throw error }
                usleep(50_000)
            }
        }
    }

    /// The key in an existing file, or nil when there is no file. Refuses a file that group or others may access.
    static func readFile(at path: String) throws(EvidenceError) -> EvidenceKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            if e == ENOENT { return nil }
            throw .badKey("cannot open the key file \(path): \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw .badKey("cannot inspect the key file \(path): \(String(cString: strerror(errno)))")
        }
        guard (Int(st.st_mode) & Int(S_IFMT)) == Int(S_IFREG) else {
            throw .badKey("the key file \(path) is not a regular file")
        }
        // Permissions are checked on the opened file itself, so a symlink is judged by what it points to.
        guard Int(st.st_mode) & 0o077 == 0 else { throw .insecureKeyFile(path: path) }

        var content = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 512)
        while content.count <= 4096 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .badKey("cannot read the key file \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            content.append(contentsOf: buffer[0..<n])
        }
        defer {
            // Do not leave key material lying around in freed memory longer than needed.
            for i in content.indices { content[i] = 0 }
            for i in buffer.indices { buffer[i] = 0 }
        }
        let source = "the key file \(path)"
        if let text = String(bytes: content, encoding: .utf8),
           let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 {
            return EvidenceKey(SymmetricKey(data: data))
        }
        // Also accept a file holding the 32 raw bytes.
        if content.count == 32 { return EvidenceKey(SymmetricKey(data: content)) }
        throw .badKey("\(source) does not hold a base64-encoded 32-byte key (\(content.count) bytes read). "
                      + "If no evidence has been stored yet, delete it and Tekigo creates a new one; otherwise "
                      + "restore it from backup")
    }

    /// Creates the key file with a new random key, or returns nil if the file already exists. The file is created
    /// with O_CREAT|O_EXCL and mode 0600, so it is never readable by others, not even briefly, and never replaces
    /// an existing key.
    static func createFile(at path: String) throws(EvidenceError) -> EvidenceKey? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let e = errno
            if e == EEXIST { return nil }
            throw .badKey("cannot create the key file \(path): \(String(cString: strerror(e)))")
        }
        let key = SymmetricKey(size: .bits256)
        var text = Array((key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n").utf8)
        defer { for i in text.indices { text[i] = 0 } }
        var failure: String?
        // The umask can only have removed bits; make the mode exact anyway.
        if fchmod(fd, 0o600) != 0 { failure = String(cString: strerror(errno)) }
        var written = 0
        while failure == nil, written < text.count {
            let n = text.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
            } else {
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            // Leave no half-written key behind: the next start would refuse it.
            unlink(path)
            throw .badKey("cannot write the key file \(path): \(failure)")
        }
        // Make the new directory entry durable too (best effort).
        let dirFD = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
        return EvidenceKey(key)
    }
}

// MARK: - Sealing with the server key

/// Everything the server seals with this key (evidence files, signing keys, webhook secrets) has one format: a
/// version byte, then AES-GCM's combined form (nonce ‖ ciphertext ‖ tag). The associated data binds the bytes to
/// what they belong to (purpose, organization, object), so a row copied elsewhere does not open.
extension EvidenceKey {
    static let sealFormat: UInt8 = 1

    /// `purpose`, then each part with its length in front (UInt64, big-endian) except the last, which runs to the
    /// end: no two lists of parts give the same bytes.
    static func binding(_ purpose: String, _ parts: [String], lengthPrefixLast: Bool = false) -> Data {
        var out = Data(purpose.utf8)
        for (i, part) in parts.enumerated() {
            let bytes = Data(part.utf8)
            if i < parts.count - 1 || lengthPrefixLast {
                var length = UInt64(bytes.count).bigEndian
                withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
            }
            out.append(bytes)
        }
        return out
    }

    /// nil only when AES-GCM gives no combined form (never with its standard 12-byte nonce).
    public func seal(_ plaintext: Data, binding: Data) throws -> Data? {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: binding).combined else { return nil }
        return Data([Self.sealFormat]) + combined
    }

    /// nil when the bytes were not sealed with this key for this binding, or were altered.
    public func unseal(_ sealed: Data, binding: Data) -> Data? {
        guard sealed.first == Self.sealFormat, let box = try? AES.GCM.SealedBox(combined: sealed.dropFirst()) else { return nil }
        return try? AES.GCM.open(box, using: key, authenticating: binding)
    }
}
