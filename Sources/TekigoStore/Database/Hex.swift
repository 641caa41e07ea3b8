import Crypto
import Foundation

/// Lower-case hexadecimal, the one way Tekigo writes digests (imports, evidence, audit chain, backups, tokens).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of `data` as 64 lower-case hex digits.
    public static func sha256(_ data: Data) -> String { encode(SHA256.hash(data: data)) }
}
