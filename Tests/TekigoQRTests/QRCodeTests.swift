import Foundation
import Testing
import TekigoTestSupport
import TekigoUseCases
@testable import TekigoQR

/// The QR code encoder of the authenticator enrolment page (issue 17 item 6): the standard's worked values, its
/// tables, and a real decoder reading what we draw.
@Suite("QR code encoder (issue 17 item 6)")
struct QRCodeTests {
    @Test("Reed–Solomon: the standard's worked example \"01234567\" in version 1-M gives its ten error correction codewords")
    func reedSolomonNumericExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(data, degree: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("Reed–Solomon: \"HELLO WORLD\" in version 1-M gives the codewords published with the standard's method")
    func reedSolomonHelloWorld() {
        let data: [UInt8] = [0x20, 0x5B, 0x0B, 0x78, 0xD1, 0x72, 0xDC, 0x4D, 0x43, 0x40, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(data, degree: 10) == [0xC4, 0x23, 0x27, 0x77, 0xEB, 0xD7, 0xE7, 0xE2, 0x5D, 0x17])
    }

    @Test("Byte mode: mode 0100, an 8-bit count, the bytes, the terminator, then 0xEC 0x11 pads to version 1-M's 16 codewords")
    func byteModeCodewords() {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(5, count: 8)
        for b in Array("hello".utf8) { bits.append(Int(b), count: 8) }
        // 0100 00000101 01101000 01100101 01101100 01101100 01101111 0000, by hand from the standard's rules.
        #expect(QRCode.padded(bits, capacity: 16)
                == [0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
    }

    @Test("Format information: level M with mask 101 is 100000011001110 (the standard's example); mask 0 is the XOR pattern alone")
    func formatInformation() {
        #expect(QRCode.formatBits(mask: 5) == 0b100000011001110)
        #expect(QRCode.formatBits(mask: 0) == 0b101010000010010)
    }

    @Test("Version information: version 7 is 000111110010010100 and version 40 is 101000110001101001 (the standard's table)")
    func versionInformation() {
        #expect(QRCode.versionBits(7) == 0b000111110010010100)
        #expect(QRCode.versionBits(40) == 0b101000110001101001)
    }

    @Test("Tables: codewords per version, alignment pattern centres and level M's byte capacities as the standard lists them")
    func tables() throws {
        #expect([1, 2, 7, 10, 40].map(QRCode.totalCodewords) == [26, 44, 196, 346, 3706])
        #expect([1, 5, 10, 40].map(QRCode.dataCodewords) == [16, 86, 216, 2334])
        #expect(QRCode.alignmentCentres(1) == [])
        #expect(QRCode.alignmentCentres(2) == [6, 18])
        #expect(QRCode.alignmentCentres(7) == [6, 22, 38])
        #expect(QRCode.alignmentCentres(32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentCentres(40) == [6, 30, 58, 86, 114, 142, 170])
        // Byte-mode capacity at level M: 14, 26, 42, 62, 84, 106, 122, 152, 180, 213 for versions 1 to 10.
        for (version, capacity) in zip(1...10, [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]) {
            #expect(try QRCode(bytes: Array(repeating: 0x61, count: capacity)).version == version)
            #expect(try QRCode(bytes: Array(repeating: 0x61, count: capacity + 1)).version == version + 1)
        }
    }

    @Test("Penalty rules: an all-dark 21×21 square scores 798 (runs) + 1200 (2×2 blocks) + 100 (balance); a finder-like run scores 40 a side")
    func penaltyRules() {
        let dark = Array(repeating: Array(repeating: true, count: 21), count: 21)
        #expect(QRPenalty.score(dark) == 42 * (3 + 16) + 20 * 20 * 3 + 100)
        #expect(QRPenalty.finderLike([true, false, true, true, true, false, true, false, false, false, false]) == 80)
        #expect(QRPenalty.finderLike([false, false, false, false, true, false, true, true, true, false, true, true]) == 40)
        #expect(QRPenalty.finderLike([true, false, true, true, false, false, true, false, false, false, false]) == 0)
        #expect(QRPenalty.runs([true, true, true, true, true, false, false, false, false, false, false, false]) == 3 + 5)
    }

    @Test("The symbol: three finder patterns, timing rows, the dark module and both format copies agree; the lowest-penalty mask is chosen")
    func structure() throws {
        let code = try QRCode(text: "otpauth://totp/Tekigo:a%40example.jp?secret=JBSWY3DPEHPK3PXP&issuer=Tekigo")
        let n = code.size, m = code.modules
        #expect(n == 17 + 4 * code.version)
        for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            for d in -3...3 {
                #expect(m[cy - 3][cx + d] && m[cy + 3][cx + d] && m[cy + d][cx - 3] && m[cy + d][cx + 3], "finder ring at \(cx),\(cy)")
            }
            #expect(!m[cy - 2][cx] && m[cy][cx] && m[cy - 1][cx - 1])
        }
        for i in 8..<(n - 8) {
            #expect(m[6][i] == (i % 2 == 0) && m[i][6] == (i % 2 == 0), "timing at \(i)")
        }
        #expect(m[n - 8][8], "the dark module")
        var first = 0, second = 0
        let firstCopy = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)]
        for (i, (x, y)) in firstCopy.enumerated() where m[y][x] { first |= 1 << i }
        for i in 0..<8 where m[8][n - 1 - i] { second |= 1 << i }
        for i in 8..<15 where m[n - 15 + i][8] { second |= 1 << i }
        #expect(first == QRCode.formatBits(mask: code.mask) && second == first)
        let penalties = try (0..<8).map { try QRPenalty.score(QRCode(bytes: Array("otpauth://totp/Tekigo:a%40example.jp?secret=JBSWY3DPEHPK3PXP&issuer=Tekigo".utf8),
                                                                       forcedMask: $0).modules) }
        #expect(penalties[code.mask] == penalties.min())
    }

    @Test("A text longer than version 40-M holds is refused, saying how long it is and the limit")
    func tooLong() {
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2332, maximum: 2331)) { try QRCode(bytes: Array(repeating: 0x41, count: 2332)) }
        #expect(throws: Never.self) { try QRCode(bytes: Array(repeating: 0x41, count: 2331)) }
        #expect(QRCode.EncodingError.tooLong(bytes: 2332, maximum: 2331).description.contains("at most 2331 bytes"))
    }

    @Test("SVG: a white square with a four-module quiet zone, the label escaped, no style attribute (the pages' CSP)")
    func svgShape() throws {
        let code = try QRCode(text: "HELLO")
        let svg = code.svg(moduleSize: 4, label: "鍵 <\"&>")
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\" width=\"\(side * 4)\""))
        #expect(svg.contains("aria-label=\"鍵 &lt;&quot;&amp;&gt;\""))
        #expect(!svg.contains("style="))
        #expect(svg.contains("M4 4h7v1h-7z"), "the top-left finder's first row starts at the quiet zone's edge")
    }

    @Test("zbarimg reads exactly the otpauth URI back for 60 random secrets, issuers and Japanese account names",
          .enabled(if: QRDecoder.run, "needs zbarimg (scripts/browser.sh) and cairosvg (scripts/validators.sh)"))
    func decodesProvisioningURIs() throws {
        var rng = SystemRandomNumberGenerator()
        let names = ["山田太郎", "佐藤 花子", "たなか・いちろう", "アリス", "鈴木@工場", "admin", "情報システム課 高橋"]
        let domains = ["example.jp", "株式会社テスト.jp", "machine-shop.co.jp"]
        let issuers = ["Tekigo", "適合 試験", "Acme & Co", "東京精機"]
        var uris: [String] = []
        for i in 0..<60 {
            let account = "\(names[i % names.count])\(Int.random(in: 0...999, using: &rng))@\(domains[Int.random(in: 0..<domains.count, using: &rng)])"
            uris.append(TOTPAuthenticator.provisioningURI(secret: TOTPAuthenticator.newSecret(), account: account,
                                                          issuer: issuers[Int.random(in: 0..<issuers.count, using: &rng)]))
        }
        let codes = try uris.map { try QRCode(text: $0) }
        // Japanese names and issuers are percent-encoded (9 bytes a character), so the versions range widely.
        #expect(Set(codes.map(\.version)).count > 1, "\(codes.map(\.version))")
        #expect(Set(codes.map(\.mask)).count > 1, "the penalty picks different masks for different data")
        let decoded = try QRDecoder.decode(codes.map { $0.svg(label: "QR") })
        for (uri, read) in zip(uris, decoded) { #expect(read == uri) }
    }

    @Test("zbarimg reads UTF-8 Japanese text (with the ECI for UTF-8) and every size from version 1 to 12 back exactly",
          .enabled(if: QRDecoder.run, "needs zbarimg (scripts/browser.sh) and cairosvg (scripts/validators.sh)"))
    func decodesUTF8AndVersions() throws {
        let japanese = "otpauth://totp/適合:山田太郎@例え.jp?secret=JBSWY3DPEHPK3PXP&issuer=適合"
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287]
        let texts = [japanese] + capacities.map { n in String((0..<n).map { i in Character(UnicodeScalar(UInt8(0x41 + (i * 7) % 26))) }) }
        let codes = try texts.map { try QRCode(text: $0) }
        #expect(codes.dropFirst().map(\.version) == Array(1...12))
        let decoded = try QRDecoder.decode(codes.map { $0.svg(label: "QR") })
        for (text, read) in zip(texts, decoded) { #expect(read == text) }
    }
}
