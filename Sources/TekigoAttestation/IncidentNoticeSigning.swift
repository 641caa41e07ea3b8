import Crypto
import Foundation
import TekigoCore

// Signed incident notices (`tekigo-incident-notice/1`, TekigoCore's `IncidentNoticeEnvelope`): signing with an
// organization's Ed25519 key and offline verification of a whole chain of custody. The same construction as signed
// attestations — canonical JSON bytes, Ed25519, the key id as `SignedAttestation.keyID(forPublicKey:)`, the strict
// reader and canonical comparison of `AttestationVerifier` — applied to every layer of the chain.

public enum IncidentNoticeSigning {
    /// Signs the canonical bytes of `payload` (which refuses an invalid payload).
    package static func sign(_ payload: IncidentNoticePayload, with key: Curve25519.Signing.PrivateKey) throws -> IncidentNoticeEnvelope {
        let bytes = try payload.canonicalBytes()
        let signature = try key.signature(for: bytes)
        let pub = key.publicKey.rawRepresentation
        return IncidentNoticeEnvelope(keyId: SignedAttestation.keyID(forPublicKey: pub), publicKey: pub.base64EncodedString(),
                                      payload: payload, signature: signature.base64EncodedString())
    }
}

/// One verified layer of a notice's chain: who signed it, with which key.
public struct VerifiedNoticeLayer: Sendable, Hashable {
    public let tier: Int
    public let sender: String
    public let recipient: String
    public let keyID: String
    /// Base64 raw public key.
    public let publicKey: String
}

/// A notice whose every layer verified: the outermost payload, and the layers from the reporting supplier's (first)
/// to the outermost (last).
public struct VerifiedIncidentNotice: Sendable, Hashable {
    public let envelope: IncidentNoticeEnvelope
    public let layers: [VerifiedNoticeLayer]
    public var payload: IncidentNoticePayload { envelope.payload }
}

/// Why a notice did not verify: the check (as for attestations), the layer's tier when known, the field (a JSON path),
/// and the reason.
public struct IncidentNoticeVerificationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let check: VerificationFailure.Check
    public let field: String?
    public let reason: VerificationFailure.Reason

    public var description: String { text(.en) }
    public var localized: LocalizedText { LocalizedText(en: text(.en), ja: text(.ja)) }

    public func text(_ lang: Language) -> String {
        let ja = lang == .ja
        let at = field.map { ja ? "「\($0)」: " : "\($0): " } ?? ""
        let lead = ja ? "インシデント通知の署名を確認できないため、受け付けませんでした（何も変更していません）。"
            : "The incident notice was refused because it does not verify (nothing was changed): "
        let why: String
        switch reason {
        case .unsupportedFormat(let f):
            why = ja ? "形式「\(f)」はインシデント通知（\(IncidentNoticeEnvelope.format)）ではありません。"
                : "format '\(f)' is not an incident notice (\(IncidentNoticeEnvelope.format))."
        case .unexpectedField:
            why = ja ? at + "インシデント通知にない項目です。項目の追加は改ざんとみなされます。"
                : at + "not a member of an incident notice; an added member counts as tampering."
        case .invalidPayload(let detail):
            why = ja ? at + "通知の内容が不正です: \(detail)" : at + "the notice's content is invalid: \(detail)"
        case .notAnObject:
            why = ja ? "JSON オブジェクトではありません。" : "it is not a JSON object."
        case .tooLarge(let limit):
            why = ja ? "ファイルが大きすぎます（上限 \(limit) バイト）。" : "it is larger than \(limit) bytes."
        case .untrustedKey(let keyID):
            why = ja ? at + "鍵「\(keyID)」は署名した組織が公開している鍵ではありません。"
                : at + "key '\(keyID)' is not one the signing organization publishes."
        default:
            why = VerificationFailure(check: check, field: field, reason: reason).text(lang)
        }
        return lead + why
    }
}

/// Verifies a signed incident notice offline, every layer of its chain.
///
/// **Rule.** A notice verifies iff it is at most 1 MiB of strict JSON and, for the outermost notice and then each
/// notice it passes on (`payload.body.forwarded`), in this order:
/// 1. (envelope) exactly the six members; `format` is `tekigo-incident-notice/1`, `algorithm` `Ed25519`, `publicKey`
///    canonical base64 of 32 bytes, `signature` of 64;
/// 2. (payload) the payload decodes and passes `IncidentNoticePayload.validate()` (which also checks the chain: each
///    notice passed on was addressed to the one passing it on, one tier lower, never back to an organization already
///    in it);
/// 3. (canonical) the payload object is exactly the canonical form of what it decodes to;
/// 4. (signature) the signature verifies over those bytes with `publicKey`;
/// 5. (key-id) `keyId` is the fingerprint of `publicKey`;
/// 6. (trust) when `trustedKeys` is given, `publicKey` is one the layer's `sender` publishes (`trustedKeys[sender]`,
///    base64, as `OrganizationKeys.publicKeys(of:)` lists them).
public enum IncidentNoticeVerifier {
    public static let maximumSize = AttestationVerifier.maximumSize

    public static func verify(data: Data, trustedKeys: [String: [String]]? = nil) -> Result<VerifiedIncidentNotice, IncidentNoticeVerificationFailure> {
        let bytes = Array(data)
        guard bytes.count <= maximumSize else {
            return .failure(IncidentNoticeVerificationFailure(check: .parse, field: nil, reason: .tooLarge(limit: maximumSize)))
        }
        do throws(IncidentNoticeVerificationFailure) {
            let root: StrictJSON.Value
            do throws(StrictJSON.Failure) { root = try StrictJSON.parse(bytes) } catch {
                throw IncidentNoticeVerificationFailure(check: .parse, field: nil, reason: .malformedJSON(offset: error.offset, error.reason))
            }
            var layers: [VerifiedNoticeLayer] = []
            let envelope = try check(root, bytes, path: "", trustedKeys: trustedKeys, layers: &layers)
            return .success(VerifiedIncidentNotice(envelope: envelope, layers: layers))
        } catch {
            return .failure(error)
        }
    }

    /// Checks one envelope (`value`, parsed from `bytes`), then the notice it passes on; appends the layers innermost
    /// first.
    static func check(_ value: StrictJSON.Value, _ bytes: [UInt8], path: String, trustedKeys: [String: [String]]?,
                      layers: inout [VerifiedNoticeLayer]) throws(IncidentNoticeVerificationFailure) -> IncidentNoticeEnvelope {
        func fail(_ check: VerificationFailure.Check, _ field: String?, _ reason: VerificationFailure.Reason) -> IncidentNoticeVerificationFailure {
            IncidentNoticeVerificationFailure(check: check, field: field.map { path + $0 }, reason: reason)
        }
        guard case .object(let members) = value else { throw fail(.parse, nil, .notAnObject) }
        let expected = ["format", "algorithm", "keyId", "publicKey", "payload", "signature"]
        for m in members where !expected.contains(m.keyText) { throw fail(.envelope, m.keyText, .unexpectedField) }
        var byName: [String: StrictJSON.Member] = [:]
        for m in members { byName[m.keyText] = m }
        for name in expected where byName[name] == nil { throw fail(.envelope, name, .missingField) }
        func string(_ name: String) throws(IncidentNoticeVerificationFailure) -> String {
            guard case .string(let b) = byName[name]!.value else { throw fail(.envelope, name, .wrongType(expected: "a string")) }
            return String(decoding: b, as: UTF8.self)
        }
        let format = try string("format"), algorithm = try string("algorithm"), keyID = try string("keyId")
        let publicKeyText = try string("publicKey"), signatureText = try string("signature")
        let payloadMember = byName["payload"]!
        guard case .object(let payloadMembers) = payloadMember.value else {
            throw fail(.envelope, "payload", .wrongType(expected: "an object"))
        }
        guard format == IncidentNoticeEnvelope.format else { throw fail(.envelope, "format", .unsupportedFormat(format)) }
        guard algorithm == IncidentNoticeEnvelope.algorithm else { throw fail(.envelope, "algorithm", .unsupportedAlgorithm(algorithm)) }
        guard let rawKey = AttestationVerifier.canonicalBase64(publicKeyText) else {
            throw fail(.envelope, "publicKey", .invalidPublicKey("not canonical base64"))
        }
        guard rawKey.count == 32, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey) else {
            throw fail(.envelope, "publicKey", .invalidPublicKey("an Ed25519 public key is 32 bytes; this is \(rawKey.count)"))
        }
        guard let signature = AttestationVerifier.canonicalBase64(signatureText) else {
            throw fail(.envelope, "signature", .invalidSignatureEncoding("not canonical base64"))
        }
        guard signature.count == 64 else {
            throw fail(.envelope, "signature", .invalidSignatureEncoding("an Ed25519 signature is 64 bytes; this is \(signature.count)"))
        }

        let payload: IncidentNoticePayload
        do { payload = try JSONDecoder().decode(IncidentNoticePayload.self, from: Data(bytes[payloadMember.range])) } catch {
            let (p, why) = AttestationVerifier.describe(error)
            throw IncidentNoticeVerificationFailure(check: .payload, field: path + p, reason: .invalidPayload(why))
        }
        let canonical: Data
        do throws(IncidentNoticeError) {
            canonical = try payload.canonicalBytes()
        } catch {
            if case .invalid(let field, let why) = error {
                throw IncidentNoticeVerificationFailure(check: .payload, field: path + field, reason: .invalidPayload(why))
            }
            throw fail(.payload, "payload", .invalidPayload(error.description))
        }
        let canonicalValue: StrictJSON.Value
        do throws(StrictJSON.Failure) { canonicalValue = try StrictJSON.parse(Array(canonical)) } catch {
            throw fail(.canonical, "payload", .notCanonical(error.reason))
        }
        if let (p, why) = StrictJSON.firstDifference(payloadMember.value, canonicalValue, path: path + "payload") {
            throw IncidentNoticeVerificationFailure(check: .canonical, field: p, reason: .notCanonical(why))
        }
        guard publicKey.isValidSignature(signature, for: canonical) else { throw fail(.signature, "signature", .signatureMismatch) }
        let fingerprint = SignedAttestation.keyID(forPublicKey: rawKey)
        guard keyID == fingerprint else { throw fail(.keyID, "keyId", .keyIDMismatch(stated: keyID, fingerprint: fingerprint)) }
        if let trustedKeys, !(trustedKeys[payload.sender] ?? []).contains(where: { Data(base64Encoded: $0) == rawKey }) {
            throw fail(.trust, "publicKey", .untrustedKey(keyID: keyID))
        }

        // The notice passed on: its own envelope, checked the same way, from its own bytes in the file.
        if case .forwarded = payload.body {
            guard let body = payloadMembers.first(where: { $0.keyText == "body" }), case .object(let bodyMembers) = body.value,
                  let inner = bodyMembers.first(where: { $0.keyText == "forwarded" }) else {
                throw fail(.payload, "payload.body", .missingField)
            }
            _ = try check(inner.value, bytes, path: path + "payload.body.forwarded.", trustedKeys: trustedKeys, layers: &layers)
        }
        layers.append(VerifiedNoticeLayer(tier: payload.tier, sender: payload.sender, recipient: payload.recipient, keyID: keyID,
                                          publicKey: publicKeyText))
        return IncidentNoticeEnvelope(keyId: keyID, publicKey: publicKeyText, payload: payload, signature: signatureText)
    }
}
