import Crypto
import Foundation
import TekigoStore

/// Random tokens and their stored form.
///
/// Used for session ids, CSRF tokens, API tokens and one-time setup tokens. The token itself is only ever
/// given to the client; the server stores `sha256Hex(token)`, so a leaked database does not hand out live
/// sessions or API access (SP 800-171 3.5.10: store and transmit only cryptographically protected
/// authenticators). A 32-byte token has 256 bits of entropy, so an unsalted SHA-256 is an adequate
/// one-way function for it (SP 800-63B 5.1.2.2: 112 bits or more may be hashed with an approved hash).
public enum SecureRandom {
    /// `count` bytes from the operating system's CSPRNG (`SystemRandomNumberGenerator`: `getrandom(2)`
    /// on Linux, `arc4random_buf` on Apple platforms).
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "byte count must not be negative")
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }

    /// A random token: `bytes` random bytes as URL-safe base64 without padding
    /// (43 characters for the default 32 bytes).
    public static func token(bytes count: Int = 32) -> String {
        base64URLEncoded(bytes(count))
    }

    /// SHA-256 of the UTF-8 bytes of `s`, as 64 lower-case hex digits.
    public static func sha256Hex(_ s: String) -> String {
        Hex.sha256(Data(s.utf8))
    }

    /// Compares two secrets without leaking, through timing, where they first differ.
    ///
    /// Both sides are hashed and the digests compared with swift-crypto's constant-time digest equality,
    /// so the comparison also does not depend on the inputs' lengths.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }

    // MARK: - Encoding helpers

    static func base64URLEncoded(_ bytes: [UInt8]) -> String {
        var s = Data(bytes).base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// Bytes from lower- or upper-case hex; nil when `s` is not well-formed hex.
    static func bytes(fromHex s: String) -> [UInt8]? {
        let utf8 = Array(s.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
