import Crypto
import Foundation

/// One-time recovery codes for when the authenticator app is lost (SP 800-63B look-up secrets, 5.1.2).
///
/// A code is six groups of four, e.g. `k7mq-x3vd-9bnh-fa2w-tr8e-pcuy`, from a 31-character alphabet without
/// the look-alikes 0/o, 1/l/i: 24 × log2(31) ≈ 119 bits. SP 800-63B 5.1.2.2 lets look-up secrets of at least
/// 112 bits be stored with a plain approved hash (SHA-256, as here); shorter ones (three groups would be
/// 59 bits) would need a salted, costly key-derivation function instead. Each code works once.
public enum RecoveryCodes {
    static let alphabet: [Character] = Array("abcdefghjkmnpqrstuvwxyz23456789")
    static let groups = 6
    static let groupLength = 4

    /// `count` new codes: `plain` to show the user once, `hashed` (SHA-256 hex of the normalised code) to store.
    public static func generate(count: Int = 10) -> (plain: [String], hashed: [String]) {
        var rng = SystemRandomNumberGenerator()
        var plain: [String] = []
        var hashed: [String] = []
        while plain.count < count {
            let code = (0..<groups).map { _ in
                String((0..<groupLength).map { _ in alphabet.randomElement(using: &rng)! })
            }.joined(separator: "-")
            let hash = SecureRandom.sha256Hex(normalize(code))
            if hashed.contains(hash) { continue }  // astronomically unlikely; keep the codes distinct anyway
            plain.append(code)
            hashed.append(hash)
        }
        return (plain, hashed)
    }

    /// If `code` matches one of `hashed`, the list without it (store that); nil when it matches none.
    ///
    /// Case, spaces and dashes in the input are ignored. Every stored hash is compared, in constant time.
    public static func consume(_ code: String, hashed: [String]) -> [String]? {
        let normalized = normalize(code)
        guard !normalized.isEmpty else { return nil }
        let digest = SHA256.hash(data: Data(normalized.utf8))
        var matchIndex: Int?
        for (index, stored) in hashed.enumerated() {
            guard let storedBytes = SecureRandom.bytes(fromHex: stored) else { continue }
            if digest == storedBytes, matchIndex == nil {  // Digest == is swift-crypto's constant-time compare
                matchIndex = index
            }
        }
        guard let matchIndex else { return nil }
        var remaining = hashed
        remaining.remove(at: matchIndex)
        return remaining
    }

    /// Lower-case, without whitespace or dashes (ASCII hyphen and the dash look-alikes Japanese input produces).
    static func normalize(_ code: String) -> String {
        let dashes: Set<Character> = ["-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "－"]
        return code.precomposedStringWithCompatibilityMapping.lowercased()
            .filter { !$0.isWhitespace && !dashes.contains($0) }
    }
}
