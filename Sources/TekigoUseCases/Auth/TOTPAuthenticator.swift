import ExtrasBase64
import Foundation
import HummingbirdOTP

/// The outcome of checking a TOTP code.
public enum TOTPResult: Sendable, Equatable {
    /// The code is right for `step` (a 30-second time step since the Unix epoch). Store `step` as the
    /// account's last used step, so the same code cannot be used again.
    case accepted(step: Int64)
    /// The code is right but its step was already used (a replay). Refuse it.
    case replayed
    /// Wrong code, malformed code, or unusable secret.
    case invalid
}

/// Time-based one-time passwords (RFC 6238), the second factor for SP 800-171 3.5.3 (multifactor
/// authentication), computed with HummingbirdOTP: HMAC-SHA-1, 6 digits, 30-second steps — the parameters
/// every authenticator app supports.
public enum TOTPAuthenticator {
    public static let digits = 6
    public static let period = 30
    /// Steps accepted either side of the current one, for clock drift (RFC 6238 section 6 recommends at most one).
    public static let allowedDrift: Int64 = 1

    /// A new shared secret: 20 random bytes (160 bits, the key length RFC 4226 recommends), base32 without padding
    /// (32 characters).
    ///
    /// HummingbirdOTP takes the key as a `String` and uses its UTF-8 bytes, and a Swift `String` can only hold
    /// valid UTF-8. So each byte is drawn from 0...127 (7 random bits), which is always valid UTF-8 and decodes
    /// back to exactly the same bytes: 140 bits of entropy, above RFC 4226's 128-bit minimum and SP 800-63B's
    /// 112 bits. The base32 text is what the authenticator app gets; its decoded bytes are the HMAC key.
    public static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        let key = (0..<20).map { _ in UInt8.random(in: 0...0x7F, using: &rng) }
        return String(base32Encoding: key, options: .omitPaddingCharacter)
    }

    /// The `otpauth://` URI for a QR code (Google Authenticator key URI format), e.g.
    /// `otpauth://totp/Tekigo:alice%40example.jp?secret=…&issuer=Tekigo&algorithm=SHA1&digits=6&period=30`.
    public static func provisioningURI(secret: String, account: String, issuer: String = "Tekigo") -> String {
        let label = "\(percentEncode(issuer)):\(percentEncode(account))"
        return "otpauth://totp/\(label)?secret=\(percentEncode(secret))&issuer=\(percentEncode(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    /// Checks `code` against the steps around `at` (current ±1).
    ///
    /// - Parameters:
    ///   - code: what the user typed; spaces are ignored (apps show "123 456").
    ///   - secret: the base32 secret from `newSecret()`.
    ///   - at: the time of the check.
    ///   - lastUsedStep: the step stored after the last successful check (0 when none); a code for this step
    ///     or an earlier one is a replay (SP 800-63B 5.1.4.2 / 5.1.5.2: each OTP accepted only once).
    public static func verify(code: String, secret: String, at: Date, lastUsedStep: Int64) -> TOTPResult {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .invalid }
        guard let key = hmacKey(fromBase32: secret) else { return .invalid }

        let seconds = at.timeIntervalSince1970
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else { return .invalid }
        let current = Int64(seconds / Double(period))

        let totp = TOTP(secret: key, length: digits, timeStep: period, hashFunction: .sha1)
        var acceptedStep: Int64?
        var replayed = false
        // Every candidate is computed and compared, without stopping at the first match.
        for step in (current - allowedDrift)...(current + allowedDrift) where step >= 0 {
            let expected = totp.compute(date: Date(timeIntervalSince1970: Double(step) * Double(period)))
            guard SecureRandom.constantTimeEquals(zeroPadded(expected), typed) else { continue }
            if step > lastUsedStep {
                acceptedStep = step
            } else {
                replayed = true
            }
        }
        if let acceptedStep { return .accepted(step: acceptedStep) }
        return replayed ? .replayed : .invalid
    }

    /// The time step containing `date`.
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    // MARK: - Helpers

    /// The base32 secret decoded into the `String` HummingbirdOTP wants, or nil when it is not base32 or its
    /// bytes are not valid UTF-8 (a `String` could not carry them unchanged, and a silently altered key would
    /// be worse than a refusal).
    static func hmacKey(fromBase32 secret: String) -> String? {
        let cleaned = secret.uppercased().filter { !$0.isWhitespace && $0 != "=" }
        guard !cleaned.isEmpty, let bytes = try? cleaned.base32decoded(), !bytes.isEmpty else { return nil }
        let key = String(decoding: bytes, as: UTF8.self)
        guard key.utf8.elementsEqual(bytes) else { return nil }
        return key
    }

    static func zeroPadded(_ value: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// RFC 3986 unreserved characters only; everything else (including `@`, `+`, `:` and spaces) is escaped.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func percentEncode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}
