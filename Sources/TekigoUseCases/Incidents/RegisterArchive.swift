import Crypto
import Foundation
import TekigoStore

/// The only form in which a malware sample leaves Tekigo (DFARS 252.204-7012(d): samples go to DC3, never run here).
///
/// Why this format: a password-protected ZIP would be the usual choice, but ZIPFoundation (our archive library)
/// writes no encryption, and ZIP's legacy "ZipCrypto" is broken anyway. swift-crypto's AES-256-GCM is already in the
/// stack (the evidence vault uses it), so the sample is sealed with a **one-time random 256-bit key** made for this
/// download alone and shown to the person once (the API response carries it; the page shows it on the warning page
/// and the confirming form sends it back with the download request; Tekigo stores it nowhere).
/// The file cannot be opened, scanned into quarantine or double-clicked by accident: it is ciphertext, named
/// `<sha256>.tekigo-sample`, sent as `application/octet-stream` with `Content-Disposition: attachment`.
///
/// Layout (docs/SECURITY.md, "Incident registers"):
/// `tekigo-sealed-sample/1 sha256=<64 hex> size=<bytes>\n` (ASCII header), then the 12-byte nonce, the ciphertext
/// and the 16-byte tag (AES-GCM's combined form). The header is the associated data, so hash and size cannot be
/// changed without the tag failing. Opening: `IncidentSampleArchive.open(_:keyHex:)`, `tekigo incident open-sample`,
/// or any AES-GCM implementation (Python: `AESGCM(bytes.fromhex(key)).decrypt(body[:12], body[12:], header)`).
public struct IncidentSampleArchive: Sendable {
    public static let magic = "tekigo-sealed-sample/1"

    /// The encrypted file.
    public let data: Data
    /// The one-time key as 64 lowercase hex digits: shown once, stored nowhere.
    public let keyHex: String
    /// `<sha256>.tekigo-sample`: never the sample's own name or extension.
    public let filename: String
    public let sha256: String
    public let size: Int

    static func header(sha256: String, size: Int) -> Data { Data("\(magic) sha256=\(sha256) size=\(size)\n".utf8) }

    /// A fresh random 256-bit key as 64 hex digits (the page shows it before the download it is used for).
    public static func newKeyHex() -> String { SymmetricKey(size: .bits256).withUnsafeBytes { Hex.encode($0) } }

    /// Whether `s` is a key this format takes (64 hex digits).
    public static func isKey(_ s: String) -> Bool { hexBytes(s)?.count == 32 }

    /// Seals `plaintext` (whose hash is `sha256`) under `keyHex`, or a fresh random key when nil.
    public static func seal(_ plaintext: Data, sha256: String, keyHex: String? = nil) throws -> IncidentSampleArchive {
        let key: SymmetricKey
        if let keyHex {
            guard let bytes = hexBytes(keyHex), bytes.count == 32 else { throw IncidentRegisterError.badKey }
            key = SymmetricKey(data: bytes)
        } else {
            key = SymmetricKey(size: .bits256)
        }
        let header = header(sha256: sha256, size: plaintext.count)
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: header).combined else {
            throw RegisterStoreError.sampleIntegrity(sha256)
        }
        let shown = key.withUnsafeBytes { Hex.encode($0) }
        return IncidentSampleArchive(data: header + combined, keyHex: shown, filename: "\(sha256).tekigo-sample", sha256: sha256,
                                     size: plaintext.count)
    }

    /// Opens an archive with its key; nil when the key is wrong or the file was altered, or its bytes do not hash
    /// to the header's SHA-256.
    public static func open(_ archive: Data, keyHex: String) -> Data? {
        guard let newline = archive.firstIndex(of: 0x0A) else { return nil }
        let header = archive[archive.startIndex...newline]
        guard let text = String(data: header, encoding: .ascii), text.hasPrefix(magic + " sha256="),
              let keyBytes = hexBytes(keyHex), keyBytes.count == 32,
              let box = try? AES.GCM.SealedBox(combined: archive[archive.index(after: newline)...]),
              let plain = try? AES.GCM.open(box, using: SymmetricKey(data: keyBytes), authenticating: Data(header)) else { return nil }
        let sha = text.dropFirst((magic + " sha256=").count).prefix(64)
        return Hex.sha256(plain) == String(sha) ? plain : nil
    }

    static func hexBytes(_ s: String) -> [UInt8]? {
        let chars = Array(s.lowercased().utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            default: return nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = v(chars[i]), let lo = v(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
