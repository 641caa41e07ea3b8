import Foundation

/// Checks for the identifiers an attestation names its organization by.
public enum EntityIdentifiers {
    /// CAGE code: 5 characters, capital letters A–Z and digits (SAM.gov).
    public static func validateCAGE(_ code: String) throws(SupplyChainError) {
        guard isUpperAlphanumeric(code, length: 5) else { throw .invalidCAGECode(code) }
    }

    /// SAM Unique Entity ID: 12 characters, capital letters A–Z and digits.
    public static func validateUEI(_ uei: String) throws(SupplyChainError) {
        guard isUpperAlphanumeric(uei, length: 12) else { throw .invalidUEI(uei) }
    }

    /// 法人番号: 13 half-width digits whose first digit is the check digit of the other twelve
    /// (法人番号の指定等に関する省令 第2条; see `corporateNumberCheckDigit(base:)`).
    public static func validateCorporateNumber(_ number: String) throws(SupplyChainError) {
        let bytes = Array(number.utf8)
        guard bytes.count == 13, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .malformedCorporateNumber(number)
        }
        let expected = corporateNumberCheckDigit(base: String(decoding: bytes[1...], as: UTF8.self))!
        guard Int(bytes[0] - 0x30) == expected else { throw .corporateNumberCheckDigit(number, expected: expected) }
    }

    /// The check digit (検査用数字) for a 12-digit base number (基礎番号, the 会社法人等番号 for companies):
    /// 9 − ((Σ Pₙ × Qₙ) mod 9), where Pₙ is the n-th digit counted from the right and Qₙ is 1 for odd n and 2 for
    /// even n (法人番号の指定等に関する省令 第2条). Always 1…9. Nil when `base` is not 12 ASCII digits.
    public static func corporateNumberCheckDigit(base: String) -> Int? {
        let bytes = Array(base.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var sum = 0
        for (offset, byte) in bytes.reversed().enumerated() {
            let n = offset + 1
            sum += Int(byte - 0x30) * (n % 2 == 1 ? 1 : 2)
        }
        return 9 - sum % 9
    }

    private static func isUpperAlphanumeric(_ s: String, length: Int) -> Bool {
        let bytes = Array(s.utf8)
        return bytes.count == length && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
    }
}
