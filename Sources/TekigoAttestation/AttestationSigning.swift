import Crypto
import Foundation
import TekigoCore

// Signed attestations: the file a supplier exports and shares, and its offline verification. Pure: no database, no
// network, no files (the store signs with an organization's key and keeps the result; `tekigo attest verify` reads a file
// and calls `AttestationVerifier`).
//
// The file (`tekigo-attestation/1`) is one JSON object with exactly six members:
//
//     {
//       "format": "tekigo-attestation/1",
//       "algorithm": "Ed25519",
//       "keyId": "<first 16 lowercase hex digits of SHA-256 of the raw 32-byte public key>",
//       "publicKey": "<base64 of the raw 32-byte Ed25519 public key>",
//       "payload": <the AttestationPayload object, written in its canonical form>,
//       "signature": "<base64 of the 64-byte Ed25519 signature over the payload's canonical bytes>"
//     }
//
// Tekigo writes the payload as exactly the bytes that were signed (`AttestationPayload.canonicalBytes()`), so anyone
// can cut them out and check the signature with any Ed25519 tool.

/// A signed attestation: a payload, its canonical bytes, and the Ed25519 signature over them with the key that made it.
public struct SignedAttestation: Sendable, Hashable {
    /// The value of `format`.
    public static let format = "tekigo-attestation/1"
    /// The value of `algorithm`.
    public static let algorithm = "Ed25519"

    /// `SignedAttestation.keyID(forPublicKey:)` of `publicKey`.
    public let keyID: String
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: Data
    public let payload: AttestationPayload
    /// `payload.canonicalBytes()`: exactly what the signature covers.
    public let payloadBytes: Data
    /// The 64-byte Ed25519 signature.
    public let signature: Data

    /// A file's parts as stored (the store rebuilds an issued attestation's file from its row).
    package init(keyID: String, publicKey: Data, payload: AttestationPayload, payloadBytes: Data, signature: Data) {
        self.keyID = keyID
        self.publicKey = publicKey
        self.payload = payload
        self.payloadBytes = payloadBytes
        self.signature = signature
    }

    /// A key's id: the first 16 lowercase hexadecimal digits (64 bits) of the SHA-256 of its raw 32-byte public key.
    /// It names a key; it does not vouch for one. Trust is decided on the whole public key (`trustedKeys`).
    public static func keyID(forPublicKey raw: Data) -> String {
        // Lower-case hexadecimal, as TekigoStore's `Hex` writes every digest.
        let digits = Array("0123456789abcdef")
        return String(SHA256.hash(data: raw).prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// Signs the canonical bytes of `payload` (which refuses an invalid payload, so nothing invalid is signed).
    package static func sign(_ payload: AttestationPayload, with key: Curve25519.Signing.PrivateKey) throws -> SignedAttestation {
        let bytes = try payload.canonicalBytes()
        let signature = try key.signature(for: bytes)
        let pub = key.publicKey.rawRepresentation
        return SignedAttestation(keyID: keyID(forPublicKey: pub), publicKey: pub, payload: payload, payloadBytes: bytes,
                                 signature: signature)
    }

    /// The exported file: the six members in the order above, one per line, the payload as its signed bytes, and a
    /// final newline.
    public func encoded() -> Data {
        var out = Data("{\n".utf8)
        func member(_ name: String, _ value: String) {
            out.append(contentsOf: "  \"\(name)\": \"\(value)\",\n".utf8)
        }
        // None of these strings needs escaping: fixed ASCII, hexadecimal and base64.
        member("format", Self.format)
        member("algorithm", Self.algorithm)
        member("keyId", keyID)
        member("publicKey", publicKey.base64EncodedString())
        out.append(contentsOf: "  \"payload\": ".utf8)
        out.append(payloadBytes)
        out.append(contentsOf: ",\n  \"signature\": \"\(signature.base64EncodedString())\"\n}\n".utf8)
        return out
    }
}

// MARK: - Verification

/// What was verified: the payload, and the key that signed it.
public struct VerifiedAttestation: Sendable, Hashable {
    public let payload: AttestationPayload
    public let keyID: String
    /// The raw public key, base64 (as `PublishedKey.publicKey`).
    public let publicKey: String
}

/// Why a file did not verify: which check failed, on which field (a JSON path such as `payload.organization.name`,
/// when one is known), and the reason.
public struct VerificationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The checks, in the order they run.
    public enum Check: String, Sendable, Codable, CaseIterable {
        /// (a) The bytes are strict JSON (no duplicate keys, integers only, valid UTF-8) and one object.
        case parse
        /// (a) Exactly the six members, with the right types, format, algorithm, key and signature encodings.
        case envelope
        /// (b) The payload decodes as an `AttestationPayload` and is valid.
        case payload
        /// (b) The payload object is exactly the canonical form of what it decodes to: nothing added, removed or
        /// written differently.
        case canonical
        /// (c) The Ed25519 signature verifies over the canonical bytes with the file's public key.
        case signature
        /// (d) `keyId` is the fingerprint of the file's public key.
        case keyID = "key-id"
        /// (e) The public key is one of the trusted (published) keys.
        case trust
    }

    public enum Reason: Sendable, Hashable {
        case tooLarge(limit: Int)
        case malformedJSON(offset: Int, String)
        case notAnObject
        case missingField
        case unexpectedField
        case wrongType(expected: String)
        case unsupportedFormat(String)
        case unsupportedAlgorithm(String)
        case invalidPublicKey(String)
        case invalidSignatureEncoding(String)
        case invalidPayload(String)
        case notCanonical(String)
        case signatureMismatch
        case keyIDMismatch(stated: String, fingerprint: String)
        case untrustedKey(keyID: String)
    }

    public let check: Check
    public let field: String?
    public let reason: Reason

    public init(check: Check, field: String?, reason: Reason) {
        self.check = check
        self.field = field
        self.reason = reason
    }

    public var description: String { text(.en) }

    public func text(_ lang: Language) -> String {
        let at = field.map { lang == .ja ? "「\($0)」: " : "\($0): " } ?? ""
        let ja = lang == .ja
        switch reason {
        case .tooLarge(let limit):
            return ja ? "ファイルが大きすぎます（上限 \(limit) バイト）。証明ファイルではありません。"
                : "the file is larger than \(limit) bytes; it is not an attestation file."
        case .malformedJSON(let offset, let why):
            return ja ? "JSON として読めません（\(offset) バイト目: \(why)）。ファイルが壊れているか、改ざんされています。"
                : "not valid JSON at byte \(offset): \(why). The file is damaged or was altered."
        case .notAnObject:
            return ja ? "JSON オブジェクトではありません。証明ファイルではありません。"
                : "the file is not a JSON object; it is not an attestation file."
        case .missingField:
            return ja ? at + "必須の項目がありません。" : at + "a required member is missing."
        case .unexpectedField:
            return ja ? at + "証明ファイルにない項目です。項目の追加は改ざんとみなされます。"
                : at + "not a member of an attestation file; an added member counts as tampering."
        case .wrongType(let expected):
            return ja ? at + "型が違います（\(expected) であるべき）。" : at + "must be \(expected)."
        case .unsupportedFormat(let f):
            return ja ? "形式「\(f)」には対応していません（対応: \(SignedAttestation.format)）。Tekigo を更新してください。"
                : "format '\(f)' is not supported (this Tekigo reads \(SignedAttestation.format)); update Tekigo."
        case .unsupportedAlgorithm(let a):
            return ja ? "署名方式「\(a)」には対応していません（対応: \(SignedAttestation.algorithm)）。"
                : "signature algorithm '\(a)' is not supported (only \(SignedAttestation.algorithm))."
        case .invalidPublicKey(let why):
            return ja ? at + "公開鍵が不正です: \(why)。" : at + "the public key is invalid: \(why)."
        case .invalidSignatureEncoding(let why):
            return ja ? at + "署名の符号化が不正です: \(why)。" : at + "the signature is not well-formed: \(why)."
        case .invalidPayload(let why):
            return ja ? at + "証明の内容が不正です: \(why)" : at + "the attestation payload is invalid: \(why)"
        case .notCanonical(let why):
            return ja ? at + "署名された正規形と一致しません（\(why)）。項目の追加・削除・書き換えは改ざんとみなされます。"
                : at + "does not match the signed canonical form (\(why)); added, removed or rewritten fields count as tampering."
        case .signatureMismatch:
            return ja ? "署名が内容と一致しません。発行後に内容が書き換えられたか、別の鍵で署名されています。"
                : "the signature does not match the payload: the content was changed after signing, or another key signed it."
        case .keyIDMismatch(let stated, let fingerprint):
            return ja ? "鍵 ID「\(stated)」が公開鍵の指紋「\(fingerprint)」と一致しません。"
                : "keyId '\(stated)' is not the public key's fingerprint '\(fingerprint)'."
        case .untrustedKey(let keyID):
            return ja ? "鍵「\(keyID)」は信頼する（公開されている）鍵ではありません。発行元が公開している鍵で確認してください。"
                : "key '\(keyID)' is not one of the trusted (published) keys; check against the keys the issuer publishes."
        }
    }
}

/// The outcome of `AttestationVerifier.verify`.
public enum Verification: Sendable, Hashable {
    case verified(VerifiedAttestation)
    case failed(VerificationFailure)

    public var isValid: Bool { if case .verified = self { return true } else { return false } }
    public var payload: AttestationPayload? { if case .verified(let v) = self { return v.payload } else { return nil } }
    public var failure: VerificationFailure? { if case .failed(let f) = self { return f } else { return nil } }
}

/// Verifies an exported attestation file offline: no database, no network.
///
/// **Rule.** A file verifies iff, in this order:
/// 1. (parse) it is at most 1 MiB of strict JSON (RFC 8259; valid UTF-8, no duplicate keys, integers only, no `-0`,
///    nesting at most 32 deep) whose value is one object;
/// 2. (envelope) that object has exactly the members `format`, `algorithm`, `keyId`, `publicKey`, `payload`,
///    `signature`; `format` is `tekigo-attestation/1`, `algorithm` is `Ed25519`; `publicKey` is canonical base64 of
///    a 32-byte Ed25519 key and `signature` canonical base64 of 64 bytes;
/// 3. (payload) `payload` decodes as an `AttestationPayload` that passes `validate()`;
/// 4. (canonical) the `payload` object, as a JSON value, equals the value of `canonicalBytes()` of what it decodes to:
///    a member added (even `null`), removed or written differently (e.g. an unpadded date, unsorted CAGE codes) fails,
///    naming the member. Comparing the values is the same as comparing their canonical bytes, since the canonical
///    form is a function of the value (strings are compared by their UTF-8 bytes, not by Unicode equivalence);
/// 5. (signature) the Ed25519 signature verifies over those canonical bytes with `publicKey`;
/// 6. (key-id) `keyId` is `SignedAttestation.keyID(forPublicKey:)` of `publicKey`;
/// 7. (trust) when `trustedKeys` is given, `publicKey` is one of them (base64 public keys, compared as raw bytes, as
///    `OrganizationKeys.publicKeys(of:)` publishes them for the payload's organization).
///
/// Only white space between tokens of the file, the order of the envelope's members and how a string's characters
/// are escaped may differ from the exported bytes and still verify: none of them changes a value.
public enum AttestationVerifier {
    public static let maximumSize = 1 << 20

    public static func verify(data: Data, trustedKeys: [String]? = nil) -> Verification {
        do throws(VerificationFailure) {
            return .verified(try check(Array(data), trustedKeys: trustedKeys))
        } catch {
            return .failed(error)
        }
    }

    static func check(_ bytes: [UInt8], trustedKeys: [String]?) throws(VerificationFailure) -> VerifiedAttestation {
        // (a) strict parse
        guard bytes.count <= maximumSize else {
            throw VerificationFailure(check: .parse, field: nil, reason: .tooLarge(limit: maximumSize))
        }
        let root: StrictJSON.Value
        do throws(StrictJSON.Failure) { root = try StrictJSON.parse(bytes) } catch {
            throw VerificationFailure(check: .parse, field: nil, reason: .malformedJSON(offset: error.offset, error.reason))
        }
        guard case .object(let members) = root else {
            throw VerificationFailure(check: .parse, field: nil, reason: .notAnObject)
        }
        let expected = ["format", "algorithm", "keyId", "publicKey", "payload", "signature"]
        for m in members where !expected.contains(m.keyText) {
            throw VerificationFailure(check: .envelope, field: m.keyText, reason: .unexpectedField)
        }
        var byName: [String: StrictJSON.Member] = [:]
        for m in members { byName[m.keyText] = m }
        for name in expected where byName[name] == nil {
            throw VerificationFailure(check: .envelope, field: name, reason: .missingField)
        }
        func string(_ name: String) throws(VerificationFailure) -> String {
            guard case .string(let b) = byName[name]!.value else {
                throw VerificationFailure(check: .envelope, field: name, reason: .wrongType(expected: "a string"))
            }
            return String(decoding: b, as: UTF8.self)
        }
        let format = try string("format"), algorithm = try string("algorithm"), keyID = try string("keyId")
        let publicKeyText = try string("publicKey"), signatureText = try string("signature")
        let payloadMember = byName["payload"]!
        guard case .object = payloadMember.value else {
            throw VerificationFailure(check: .envelope, field: "payload", reason: .wrongType(expected: "an object"))
        }
        guard format == SignedAttestation.format else {
            throw VerificationFailure(check: .envelope, field: "format", reason: .unsupportedFormat(format))
        }
        guard algorithm == SignedAttestation.algorithm else {
            throw VerificationFailure(check: .envelope, field: "algorithm", reason: .unsupportedAlgorithm(algorithm))
        }
        guard let rawKey = canonicalBase64(publicKeyText) else {
            throw VerificationFailure(check: .envelope, field: "publicKey",
                                      reason: .invalidPublicKey("not canonical base64"))
        }
        guard rawKey.count == 32, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey) else {
            throw VerificationFailure(check: .envelope, field: "publicKey",
                                      reason: .invalidPublicKey("an Ed25519 public key is 32 bytes; this is \(rawKey.count)"))
        }
        guard let signature = canonicalBase64(signatureText) else {
            throw VerificationFailure(check: .envelope, field: "signature",
                                      reason: .invalidSignatureEncoding("not canonical base64"))
        }
        guard signature.count == 64 else {
            throw VerificationFailure(check: .envelope, field: "signature",
                                      reason: .invalidSignatureEncoding("an Ed25519 signature is 64 bytes; this is \(signature.count)"))
        }

        // (b) decode, validate, canonicalize, compare
        let payloadBytes = Data(bytes[payloadMember.range])
        let payload: AttestationPayload
        do { payload = try JSONDecoder().decode(AttestationPayload.self, from: payloadBytes) } catch {
            let (path, why) = describe(error)
            throw VerificationFailure(check: .payload, field: path, reason: .invalidPayload(why))
        }
        let canonical: Data
        do throws(SupplyChainError) {
            try payload.validate()
            canonical = try payload.canonicalBytes()
        } catch {
            throw VerificationFailure(check: .payload, field: field(of: error), reason: .invalidPayload(error.description))
        }
        let canonicalValue: StrictJSON.Value
        do throws(StrictJSON.Failure) { canonicalValue = try StrictJSON.parse(Array(canonical)) } catch {
            // Our own writer produced it: cannot happen unless the two disagree on JSON.
            throw VerificationFailure(check: .canonical, field: "payload", reason: .notCanonical(error.reason))
        }
        if let (path, why) = StrictJSON.firstDifference(payloadMember.value, canonicalValue, path: "payload") {
            throw VerificationFailure(check: .canonical, field: path, reason: .notCanonical(why))
        }

        // (c) signature over the canonical bytes
        guard publicKey.isValidSignature(signature, for: canonical) else {
            throw VerificationFailure(check: .signature, field: "signature", reason: .signatureMismatch)
        }
        // (d) key id
        let fingerprint = SignedAttestation.keyID(forPublicKey: rawKey)
        guard keyID == fingerprint else {
            throw VerificationFailure(check: .keyID, field: "keyId", reason: .keyIDMismatch(stated: keyID, fingerprint: fingerprint))
        }
        // (e) trust
        if let trustedKeys, !trustedKeys.contains(where: { Data(base64Encoded: $0) == rawKey }) {
            throw VerificationFailure(check: .trust, field: "publicKey", reason: .untrustedKey(keyID: keyID))
        }
        return VerifiedAttestation(payload: payload, keyID: keyID, publicKey: publicKeyText)
    }

    /// The bytes of `text` if it is base64 exactly as `base64EncodedString()` writes it (padded, no white space,
    /// unused bits zero), so one value has one spelling.
    static func canonicalBase64(_ text: String) -> Data? {
        guard let d = Data(base64Encoded: text), d.base64EncodedString() == text else { return nil }
        return d
    }

    /// A JSON path and a reason from a decoding error.
    static func describe(_ error: any Error) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("payload") { p, k in k.intValue.map { "\(p)[\($0)]" } ?? "\(p).\(k.stringValue)" }
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return (path(c.codingPath + [key]), "missing.")
        case .typeMismatch(let type, let c)?: return (path(c.codingPath), "expected \(type).")
        case .valueNotFound(let type, let c)?: return (path(c.codingPath), "expected \(type), found null.")
        case .dataCorrupted(let c)?: return (path(c.codingPath), c.debugDescription)
        default: return ("payload", String(describing: error))
        }
    }

    /// The payload member a validation error is about.
    static func field(of error: SupplyChainError) -> String {
        let name: String
        switch error {
        case .unsupportedFormatVersion: name = "formatVersion"
        case .emptyAttestationID: name = "id"
        case .invalidIssuedAt, .issuedBeforeAssessment: name = "issuedAt"
        case .emptyOrganizationID: name = "organization.id"
        case .emptyOrganizationName: name = "organization.name"
        case .invalidCAGECode: name = "organization.cageCodes"
        case .invalidUEI: name = "organization.uei"
        case .malformedCorporateNumber, .corporateNumberCheckDigit: name = "organization.corporateNumber"
        case .emptySystemScope: name = "systemScope"
        case .scoreOutOfRange: name = "sprsScore"
        case .unknownCMMCStatus: name = "cmmcStatus"
        case .cmmcCloseoutMismatch: name = "cmmcCloseoutDue"
        case .expiryBeforeAssessment, .expiryBeyondThreeYears: name = "expiresAt"
        case .supersedesItself: name = "supersedes"
        case .detailLevelMismatch, .familyTotalsMismatch: name = "families"
        case .negativeCount(let what): name = what.hasPrefix("totals") ? what : "families"
        default: return "payload"
        }
        return "payload." + name
    }
}
