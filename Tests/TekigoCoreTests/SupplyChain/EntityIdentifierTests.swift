import Testing
@testable import TekigoCore

@Suite("Identifiers: 法人番号, CAGE, UEI")
struct EntityIdentifierTests {
    /// Published in the 国税庁 法人番号公表サイト: National Tax Agency, Toyota Motor Corporation, National Diet
    /// Library, and 株式会社FoundingBase (the example worked through in qiita.com/mziyut/items/bab37dbce1c23771c817).
    static let published = ["7000012050002", "1180301018771", "1000011000005", "4011001098993"]

    @Test("法人番号の指定等に関する省令 第2条: published numbers carry 9 − (Σ Pn×Qn mod 9) as their first digit",
          arguments: published)
    func publishedNumbers(number: String) throws {
        try EntityIdentifiers.validateCorporateNumber(number)
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: String(number.dropFirst())) == Int(String(number.first!)))
    }

    @Test("Worked by hand: base 123456789012 → Σ = 2+2+0+18+8+14+6+10+4+6+2+2 = 74, 74 mod 9 = 2, check digit 7")
    func workedExample() throws {
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "123456789012") == 7)
        try EntityIdentifiers.validateCorporateNumber("7123456789012")
        // Weights 1 and 2 from the right: base 000000000001 gives 1 → 8; 000000000010 gives 2 → 7.
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "000000000001") == 8)
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "000000000010") == 7)
        // A sum divisible by 9 gives 9, so the first digit is never 0.
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "000000000000") == 9)
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "000000000009") == 9)
    }

    @Test("A wrong check digit is refused, naming the digit the other twelve give")
    func wrongCheckDigit() {
        #expect(throws: SupplyChainError.corporateNumberCheckDigit("8000012050002", expected: 7)) {
            try EntityIdentifiers.validateCorporateNumber("8000012050002")
        }
        #expect(throws: SupplyChainError.corporateNumberCheckDigit("1180301018772", expected: 9)) {
            try EntityIdentifiers.validateCorporateNumber("1180301018772")
        }
    }

    @Test("Changing one digit of the base is caught unless it swaps 0 and 9 (a difference of 9 vanishes mod 9)")
    func singleDigitErrors() throws {
        for number in Self.published {
            let digits = number.utf8.map { Int($0) - 48 }
            for position in 1..<13 {
                for replacement in 0...9 where replacement != digits[position] {
                    var changed = digits
                    changed[position] = replacement
                    let text = changed.map(String.init).joined()
                    let caught = (try? EntityIdentifiers.validateCorporateNumber(text)) == nil
                    #expect(caught == (abs(replacement - digits[position]) != 9), "\(text)")
                }
            }
        }
    }

    @Test("A 法人番号 is 13 half-width digits: no hyphens, spaces, full-width digits, or 12-digit 会社法人等番号")
    func malformed() {
        for bad in ["700001205000", "70000120500021", "7000-0120-5000", " 7000012050002", "７００００１２０５０００２", "700001205000A"] {
            #expect(throws: SupplyChainError.malformedCorporateNumber(bad)) { try EntityIdentifiers.validateCorporateNumber(bad) }
        }
        #expect(EntityIdentifiers.corporateNumberCheckDigit(base: "00001205000") == nil)
    }

    @Test("CAGE codes are 5 and UEIs 12 capital letters or digits")
    func cageAndUEI() throws {
        try EntityIdentifiers.validateCAGE("1ABC2")
        try EntityIdentifiers.validateCAGE("0XYZ9")
        for bad in ["1abc2", "1ABC", "1ABC23", "1AB-2", "１ABC2"] {
            #expect(throws: SupplyChainError.invalidCAGECode(bad)) { try EntityIdentifiers.validateCAGE(bad) }
        }
        try EntityIdentifiers.validateUEI("ABCDEFGH1234")
        for bad in ["ABCDEFGH123", "ABCDEFGH12345", "abcdefgh1234", "ABCDEFGH 234"] {
            #expect(throws: SupplyChainError.invalidUEI(bad)) { try EntityIdentifiers.validateUEI(bad) }
        }
    }
}
