import Foundation
import HummingbirdOTP
import Testing
import TekigoCore
@testable import TekigoServer
@testable import TekigoUseCases

@Suite("Auth primitives")
struct AuthPrimitivesTests {
    // MARK: - Password policy

    let policy = PasswordPolicy.standard
    let email = "taro.yamada@example.co.jp"
    let name = "山田 太郎"

    @Test func commonListIsLoaded() {
        #expect(policy.commonPasswordCount > 40_000)
    }

    @Test func tooShortIsRefused() {
        let problems = policy.check("kumo-ame-1", email: email, displayName: name)
        #expect(problems == [.tooShort(minimum: 12)])
        // Eleven characters refused, twelve accepted.
        #expect(policy.check("kumo-ame-tsu", email: email, displayName: name).isEmpty)
        #expect(policy.check("kumo-ame-ts", email: email, displayName: name) == [.tooShort(minimum: 12)])
        // (abcdefghjkmn, twelve nearly consecutive letters, is refused as sequential: PasswordPolicyTests.)
    }

    @Test func tooLongIsRefused() {
        let long = (0..<10).map { "correct horse \($0)" }.joined()  // 150 characters, no piece repeated
        #expect(policy.check(long, email: email, displayName: name) == [.tooLong(maximum: 128)])
    }

    @Test func commonPasswordsAreRefusedCaseInsensitively() {
        // All three are lines of common-passwords.txt and at least 12 characters long.
        for pw in ["qwerty123456", "QWERTY123456", "1qaz2wsx3edc", "LeaveMeAlone"] {
            #expect(policy.check(pw, email: email, displayName: name) == [.common], "\(pw)")
        }
        // Full-width input is NFKC-normalised to the same common password.
        #expect(policy.check("ｑｗｅｒｔｙ１２３４５６", email: email, displayName: name) == [.common])
    }

    @Test func emailAndNameAreRefused() {
        #expect(policy.check("my-Taro.Yamada-secret", email: email, displayName: name).contains(.containsEmail))
        #expect(policy.check("yamada-loves-kumo-2024", email: email, displayName: name) == [.containsEmail])
        #expect(policy.check("わたしは山田です、よろしく", email: email, displayName: name) == [.containsDisplayName])
        #expect(policy.check("blue-sky-Hanako-garden", email: "hk@example.jp", displayName: "Hanako Sato")
                == [.containsDisplayName])
        // Too-short context words are ignored rather than refusing everything containing them.
        #expect(policy.check("ab-correct-horse-battery", email: "ab@example.jp", displayName: "Al").isEmpty)
    }

    @Test func longJapanesePassphraseIsAccepted() {
        let passphrase = "古池や蛙飛び込む水の音、静かな朝"
        #expect(policy.check(passphrase, email: email, displayName: name).isEmpty)
        #expect(policy.check("correct horse battery staple", email: email, displayName: name).isEmpty)
        // No composition rules: lower-case letters and spaces only is fine.
        #expect(policy.check("the quiet river at dawn", email: email, displayName: name).isEmpty)
    }

    @Test func controlCharactersAreRefused() {
        #expect(policy.check("correct\u{0}horse battery", email: email, displayName: name) == [.controlCharacter])
    }

    @Test func messagesInBothLanguages() {
        let all: [PasswordProblem] = [.tooShort(minimum: 12), .tooLong(maximum: 128), .common,
                                      .containsEmail, .containsDisplayName, .controlCharacter]
        for problem in all {
            let text = problem.message
            #expect(!text.en.isEmpty && !text.ja.isEmpty)
            #expect(text.en != text.ja)
            #expect(text.ja.unicodeScalars.contains { !$0.isASCII }, "Japanese text for \(problem)")
            #expect(!problem.code.isEmpty)
        }
        #expect(PasswordProblem.tooShort(minimum: 12).message[.ja].contains("12文字以上"))
        #expect(PasswordProblem.tooShort(minimum: 12).message[.en].contains("at least 12"))
        #expect(Set(all.map(\.code)).count == all.count)
    }

    // MARK: - bcrypt

    @Test func bcryptRoundTrip() async throws {
        let password = "correct horse battery staple"
        let hash = try await PasswordHasher.hash(password)
        #expect(hash.hasPrefix("$2b$12$"))
        #expect(hash.count == 60)
        #expect(await PasswordHasher.verify(password, hash: hash))
        #expect(await PasswordHasher.verify("correct horse battery stapler", hash: hash) == false)
        // bcrypt's C code would stop at a NUL; a NUL-suffixed password must still be refused.
        #expect(await PasswordHasher.verify(password + "\u{0}anything", hash: hash) == false)
        // NFKC: the full-width form of the same password verifies.
        #expect(await PasswordHasher.verify("ｃｏｒｒｅｃｔ horse battery staple", hash: hash))
    }

    @Test func dummyVerifyTakesTimeAndFails() async throws {
        #expect(PasswordHasher.dummyHash.hasPrefix("$2b$12$"))
        let clock = ContinuousClock()
        var result = true
        let elapsed = await clock.measure { result = await PasswordHasher.dummyVerify("whatever-password") }
        #expect(result == false)
        #expect(elapsed > .milliseconds(20), "a cost-12 bcrypt verify should not be instant")
    }

    @Test func nulIsNeverHashedNorVerified() async throws {
        await #expect(throws: PasswordHasher.HashError.containsNUL) {
            _ = try await PasswordHasher.hash("\u{0}correct horse battery")
        }
        #expect(await PasswordHasher.verify("x", hash: "not a bcrypt hash") == false)
    }

    // MARK: - TOTP

    /// RFC 6238 appendix B: SHA-1 key is the ASCII string "12345678901234567890".
    let rfcSecret = String(base32Encoding: Array("12345678901234567890".utf8), options: .omitPaddingCharacter)

    @Test func rfc6238Vector() {
        #expect(rfcSecret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        // The library itself, at 8 digits: 94287082 at T = 59.
        let eight = TOTP(secret: "12345678901234567890", length: 8, timeStep: 30, hashFunction: .sha1)
        #expect(eight.compute(date: Date(timeIntervalSince1970: 59)) == 94287082)
        // Ours, 6 digits: the last six.
        let t59 = Date(timeIntervalSince1970: 59)
        #expect(TOTPAuthenticator.verify(code: "287082", secret: rfcSecret, at: t59, lastUsedStep: 0)
                == .accepted(step: 1))
        #expect(TOTPAuthenticator.verify(code: "287 082", secret: rfcSecret, at: t59, lastUsedStep: 0)
                == .accepted(step: 1))
        #expect(TOTPAuthenticator.verify(code: "287083", secret: rfcSecret, at: t59, lastUsedStep: 0) == .invalid)
        #expect(TOTPAuthenticator.verify(code: "94287082", secret: rfcSecret, at: t59, lastUsedStep: 0) == .invalid)
        #expect(TOTPAuthenticator.verify(code: "28708a", secret: rfcSecret, at: t59, lastUsedStep: 0) == .invalid)
        // T = 1111111109 → 07081804 (8 digits), "081804" with a leading zero kept.
        let t2 = Date(timeIntervalSince1970: 1_111_111_109)
        #expect(TOTPAuthenticator.verify(code: "081804", secret: rfcSecret, at: t2, lastUsedStep: 0)
                == .accepted(step: 37_037_036))
        #expect(TOTPAuthenticator.step(at: t2) == 37_037_036)
    }

    @Test func driftOfOneStepAcceptedTwoRefused() {
        let t = 1_111_111_109.0  // step 37037036, code 081804
        func check(_ offset: Double) -> TOTPResult {
            TOTPAuthenticator.verify(code: "081804", secret: rfcSecret,
                                     at: Date(timeIntervalSince1970: t + offset), lastUsedStep: 0)
        }
        #expect(check(30) == .accepted(step: 37_037_036))   // verifier clock one step ahead
        #expect(check(-30) == .accepted(step: 37_037_036))  // one step behind
        #expect(check(60) == .invalid)
        #expect(check(-60) == .invalid)
    }

    @Test func replayIsRefused() {
        let at = Date(timeIntervalSince1970: 1_111_111_109)
        let first = TOTPAuthenticator.verify(code: "081804", secret: rfcSecret, at: at, lastUsedStep: 0)
        guard case .accepted(let step) = first else {
            Issue.record("expected acceptance, got \(first)")
            return
        }
        #expect(TOTPAuthenticator.verify(code: "081804", secret: rfcSecret, at: at, lastUsedStep: step) == .replayed)
        // Also when replayed a step later, within the drift window.
        #expect(TOTPAuthenticator.verify(code: "081804", secret: rfcSecret, at: at.addingTimeInterval(30),
                                         lastUsedStep: step) == .replayed)
        // A code for an older step than the last used one is refused too.
        #expect(TOTPAuthenticator.verify(code: "081804", secret: rfcSecret, at: at,
                                         lastUsedStep: step + 1) == .replayed)
    }

    @Test func newSecretWorksWithTheLibrary() {
        let secret = TOTPAuthenticator.newSecret()
        #expect(secret.count == 32)
        #expect(secret.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
        #expect(secret != TOTPAuthenticator.newSecret())
        let key = try! #require(TOTPAuthenticator.hmacKey(fromBase32: secret))
        #expect(key.utf8.count == 20)
        let now = Date()
        let code = TOTPAuthenticator.zeroPadded(TOTP(secret: key).compute(date: now))
        #expect(TOTPAuthenticator.verify(code: code, secret: secret, at: now, lastUsedStep: 0)
                == .accepted(step: TOTPAuthenticator.step(at: now)))
        #expect(TOTPAuthenticator.verify(code: code, secret: "not base32!", at: now, lastUsedStep: 0) == .invalid)
    }

    @Test func provisioningURI() {
        let uri = TOTPAuthenticator.provisioningURI(secret: "JBSWY3DPEHPK3PXP", account: "taro+mfa@example.co.jp",
                                                    issuer: "Tekigo")
        #expect(uri == "otpauth://totp/Tekigo:taro%2Bmfa%40example.co.jp?secret=JBSWY3DPEHPK3PXP"
                + "&issuer=Tekigo&algorithm=SHA1&digits=6&period=30")
        let spaced = TOTPAuthenticator.provisioningURI(secret: "AB", account: "a b", issuer: "Tekigo Dev")
        #expect(spaced.hasPrefix("otpauth://totp/Tekigo%20Dev:a%20b?"))
        #expect(spaced.contains("&issuer=Tekigo%20Dev&"))
        #expect(URL(string: uri) != nil)
    }

    // MARK: - Recovery codes

    @Test func recoveryCodesAreSingleUse() throws {
        let (plain, hashed) = RecoveryCodes.generate()
        #expect(plain.count == 10 && hashed.count == 10)
        #expect(Set(plain).count == 10)
        for code in plain {
            #expect(code.wholeMatch(of: /[a-z2-9]{4}(-[a-z2-9]{4}){5}/) != nil, "\(code)")
            #expect(!code.contains { "01lio".contains($0) })
        }
        #expect(hashed.allSatisfy { $0.count == 64 })
        #expect(!hashed.contains(plain[0]))

        let remaining = try #require(RecoveryCodes.consume(plain[3], hashed: hashed))
        #expect(remaining.count == 9)
        #expect(RecoveryCodes.consume(plain[3], hashed: remaining) == nil)  // used up
        // Case, spaces and dashes do not matter.
        let sloppy = " " + plain[5].uppercased().replacingOccurrences(of: "-", with: " ") + " "
        let after = try #require(RecoveryCodes.consume(sloppy, hashed: remaining))
        #expect(after.count == 8)
        #expect(RecoveryCodes.consume(plain[5].replacingOccurrences(of: "-", with: ""), hashed: after) == nil)
        #expect(RecoveryCodes.consume("", hashed: after) == nil)
        #expect(RecoveryCodes.consume("aaaa-bbbb-cccc-dddd-eeee-ffff", hashed: after) == nil)
        #expect(RecoveryCodes.generate(count: 3).plain.count == 3)
    }

    // MARK: - Tokens

    @Test func tokensAreUniqueAndOfTheRightLength() {
        let tokens = (0..<1_000).map { _ in SecureRandom.token() }
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { $0.count == 43 })
        let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(tokens.allSatisfy { $0.allSatisfy(urlSafe.contains) })
        #expect(SecureRandom.token(bytes: 16).count == 22)
        #expect(SecureRandom.token(bytes: 48).count == 64)
    }

    @Test func sha256HexAndComparison() {
        #expect(SecureRandom.sha256Hex("abc")
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureRandom.sha256Hex("").count == 64)
        #expect(SecureRandom.constantTimeEquals("123456", "123456"))
        #expect(!SecureRandom.constantTimeEquals("123456", "123457"))
        #expect(!SecureRandom.constantTimeEquals("123456", "1234567"))
    }
}
