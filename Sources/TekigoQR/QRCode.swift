// A QR code encoder of our own (ISO/IEC 18004), for the authenticator enrolment page (issue 17 item 6): the
// otpauth:// URI as a picture an authenticator app scans.
//
// Why not a library: none of the packages this project can install offline encodes QR codes (no Swift package in
// the dependency graph does, and the pages must not load a script from elsewhere), and the subset needed is small —
// byte mode, error correction level M, versions 1–40, Reed–Solomon over GF(256), the eight masks chosen by the
// standard's penalty rules, format and version information. Pure: no I/O, no Foundation.

/// A QR code symbol: its modules (true = dark), chosen version and mask.
public struct QRCode: Sendable, Equatable {
    /// 1…40; the symbol is `17 + 4 × version` modules wide.
    public let version: Int
    /// The mask pattern chosen by the lowest penalty (0…7).
    public let mask: Int
    /// `size × size` modules, row by row; true is dark.
    public let modules: [[Bool]]

    public var size: Int { modules.count }

    /// Why a text cannot be encoded.
    public enum EncodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// More bytes than a version-40 symbol at level M holds.
        case tooLong(bytes: Int, maximum: Int)

        public var description: String {
            switch self {
            case .tooLong(let bytes, let maximum):
                return "The text is \(bytes) bytes long; a QR code at error correction level M holds at most \(maximum) bytes. Shorten it."
            }
        }
    }

    /// Encodes `text` as UTF-8 bytes in byte mode at error correction level M, in the smallest version that holds it.
    /// A text with non-ASCII characters is preceded by the ECI designator for UTF-8 (26), so readers do not guess
    /// another character set; an ASCII text (an otpauth:// URI is one: its label is percent-encoded) has none.
    public init(text: String) throws(EncodingError) {
        let bytes = Array(text.utf8)
        try self.init(bytes: bytes, eci: bytes.contains { $0 >= 0x80 } ? 26 : nil)
    }

    /// Encodes `bytes` in byte mode at level M, with an optional ECI designator (0…127), in the smallest version
    /// that holds them; `forcedMask` fixes the mask (tests), otherwise the lowest penalty decides.
    public init(bytes: [UInt8], eci: UInt8? = nil, forcedMask: Int? = nil) throws(EncodingError) {
        let headerBits = (eci == nil ? 0 : 12) + 4
        guard let version = (1...40).first(where: { v in
            headerBits + Self.countBits(v) + bytes.count * 8 <= Self.dataCodewords(v) * 8 && bytes.count < 1 << Self.countBits(v)
        }) else {
            throw .tooLong(bytes: bytes.count, maximum: Self.dataCodewords(40) - 3)
        }
        var bits = BitBuffer()
        if let eci {
            bits.append(0b0111, count: 4)
            bits.append(Int(eci & 0x7F), count: 8)
        }
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: Self.countBits(version))
        for b in bytes { bits.append(Int(b), count: 8) }
        let data = Self.padded(bits, capacity: Self.dataCodewords(version))
        let codewords = Self.interleaved(data, version: version)

        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(codewords)
        let chosen: Int
        if let forcedMask {
            chosen = forcedMask
        } else {
            let penalties = (0..<8).map { matrix.masked($0).penalty }
            chosen = penalties.indices.min { penalties[$0] < penalties[$1] } ?? 0
        }
        let final = matrix.masked(chosen)
        self.version = version
        self.mask = chosen
        self.modules = final.dark
    }

    // MARK: the standard's tables (level M)

    /// Error correction codewords per block at level M, by version (index 0 unused).
    static let eccPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28,
                              28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]
    /// Error correction blocks at level M, by version (index 0 unused).
    static let blocks = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
                         29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49]

    /// The character count indicator's length in byte mode: 8 bits for versions 1–9, 16 from 10.
    static func countBits(_ version: Int) -> Int { version < 10 ? 8 : 16 }

    /// Every codeword of a version (data and error correction): the modules left after the function patterns, / 8.
    static func totalCodewords(_ version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { modules -= 36 }
        }
        return modules / 8
    }

    /// The data codewords of a version at level M.
    static func dataCodewords(_ version: Int) -> Int {
        totalCodewords(version) - eccPerBlock[version] * blocks[version]
    }

    /// The terminator (up to four 0 bits), 0 bits to a byte boundary, then the pad codewords 0xEC and 0x11 in turn.
    static func padded(_ bits: BitBuffer, capacity: Int) -> [UInt8] {
        var bits = bits
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var bytes = bits.bytes
        var pad: UInt8 = 0xEC
        while bytes.count < capacity {
            bytes.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return bytes
    }

    /// Splits the data into the version's blocks (short blocks first), appends each block's Reed–Solomon codewords,
    /// and interleaves: the blocks' data codewords column by column, then their error correction codewords.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let count = blocks[version], ecc = eccPerBlock[version], total = totalCodewords(version)
        let shortBlocks = count - total % count
        let shortLength = total / count - ecc
        var dataBlocks: [[UInt8]] = [], eccBlocks: [[UInt8]] = []
        var start = 0
        for i in 0..<count {
            let length = shortLength + (i < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(block, degree: ecc))
        }
        var out: [UInt8] = []
        for i in 0...shortLength {
            for block in dataBlocks where i < block.count { out.append(block[i]) }
        }
        for i in 0..<ecc {
            for block in eccBlocks { out.append(block[i]) }
        }
        return out
    }

    /// The 15 format bits for level M and `mask`: 5 data bits, a BCH(15,5) remainder, XOR 101010000010010.
    static func formatBits(mask: Int) -> Int {
        let data = 0b00 << 3 | mask  // level M is 00
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        return (data << 10 | rem) ^ 0x5412
    }

    /// The 18 version bits (versions 7 and up): 6 data bits and a BCH(18,6) remainder.
    static func versionBits(_ version: Int) -> Int {
        var rem = version
        for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
        return version << 12 | rem
    }

    /// The rows (and columns) of the alignment patterns' centres.
    static func alignmentCentres(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var centres = [6]
        var position = size - 7
        for _ in 0..<(count - 1) {
            centres.insert(position, at: 1)
            position -= step
        }
        return centres
    }

    /// The mask condition: true where the mask inverts the module at row `y`, column `x`.
    static func masks(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> i & 1 == 1) }
    }

    /// The bits as bytes; the count must be a multiple of 8.
    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the QR code's field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) and
/// the generator polynomial (x − α⁰)(x − α¹)…(x − α^(n−1)).
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product = 0
        for i in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int(b >> i & 1) * Int(a)
        }
        return UInt8(product)
    }

    /// The generator's coefficients, highest degree first, without the leading 1.
    static func generator(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    /// The error correction codewords of one block: the remainder of data(x)·x^degree divided by the generator.
    static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let generator = generator(degree: degree)
        var result = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<degree { result[i] ^= multiply(generator[i], factor) }
        }
        return result
    }
}

/// The symbol while it is drawn: modules and which of them belong to function patterns (never masked).
struct Matrix {
    let version: Int
    var dark: [[Bool]]
    var reserved: [[Bool]]
    var size: Int { dark.count }

    init(version: Int) {
        self.version = version
        let size = 17 + 4 * version
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        reserved = dark
    }

    mutating func set(x: Int, y: Int, _ value: Bool) {
        dark[y][x] = value
        reserved[y][x] = true
    }

    mutating func drawFunctionPatterns() {
        for i in 0..<size {
            set(x: 6, y: i, i % 2 == 0)
            set(x: i, y: 6, i % 2 == 0)
        }
        finder(x: 3, y: 3)
        finder(x: size - 4, y: 3)
        finder(x: 3, y: size - 4)
        let centres = QRCode.alignmentCentres(version)
        for (i, cy) in centres.enumerated() {
            for (j, cx) in centres.enumerated() {
                let last = centres.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(x: cx + dx, y: cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormat(mask: 0)  // reserves the format areas; written again with the chosen mask
        if version >= 7 {
            let bits = QRCode.versionBits(version)
            for i in 0..<18 {
                let bit = bits >> i & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                set(x: a, y: b, bit)
                set(x: b, y: a, bit)
            }
        }
    }

    /// A finder pattern centred on (x, y) with its light separator (clipped at the symbol's edge).
    mutating func finder(x: Int, y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let xx = x + dx, yy = y + dy
                guard (0..<size).contains(xx), (0..<size).contains(yy) else { continue }
                let distance = max(abs(dx), abs(dy))
                set(x: xx, y: yy, distance != 2 && distance != 4)
            }
        }
    }

    /// Both copies of the format information, and the dark module beside the lower-left finder.
    mutating func drawFormat(mask: Int) {
        let bits = QRCode.formatBits(mask: mask)
        func bit(_ i: Int) -> Bool { bits >> i & 1 == 1 }
        for i in 0...5 { set(x: 8, y: i, bit(i)) }
        set(x: 8, y: 7, bit(6))
        set(x: 8, y: 8, bit(7))
        set(x: 7, y: 8, bit(8))
        for i in 9..<15 { set(x: 14 - i, y: 8, bit(i)) }
        for i in 0..<8 { set(x: size - 1 - i, y: 8, bit(i)) }
        for i in 8..<15 { set(x: 8, y: size - 15 + i, bit(i)) }
        set(x: 8, y: size - 8, true)
    }

    /// The codewords' bits in the two-module-wide zigzag from the lower right, skipping the vertical timing column;
    /// modules left over (the remainder bits) stay light.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !reserved[y][x], i < codewords.count * 8 else { continue }
                    dark[y][x] = codewords[i >> 3] >> (7 - i & 7) & 1 == 1
                    i += 1
                }
            }
            right -= 2
        }
    }

    /// The symbol with `mask` applied to every non-function module and its format information written.
    func masked(_ mask: Int) -> Matrix {
        var m = self
        for y in 0..<size {
            for x in 0..<size where !reserved[y][x] && QRCode.masks(mask, x: x, y: y) { m.dark[y][x].toggle() }
        }
        m.drawFormat(mask: mask)
        return m
    }

    var penalty: Int { QRPenalty.score(dark) }
}

/// The standard's four penalty rules for choosing a mask (lower is better).
enum QRPenalty {
    static func score(_ m: [[Bool]]) -> Int {
        let size = m.count
        let columns = (0..<size).map { x in (0..<size).map { y in m[y][x] } }
        var total = 0
        for line in m + columns { total += runs(line) + finderLike(line) }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = m[y][x]
                if c == m[y][x + 1] && c == m[y + 1][x] && c == m[y + 1][x + 1] { total += 3 }
            }
        }
        let dark = m.reduce(0) { $0 + $1.filter { $0 }.count }
        let all = size * size
        total += 10 * (abs(dark * 20 - all * 10) / all)
        return total
    }

    /// Rule 1: each run of five or more modules of one colour in a line scores 3 + (length − 5).
    static func runs(_ line: [Bool]) -> Int {
        var score = 0, length = 1
        for i in 1...line.count {
            if i < line.count && line[i] == line[i - 1] {
                length += 1
            } else {
                if length >= 5 { score += 3 + length - 5 }
                length = 1
            }
        }
        return score
    }

    /// Rule 3: 40 for each dark-light-dark-dark-dark-light-dark pattern (1:1:3:1:1) with four light modules on
    /// either side; modules outside the symbol count as light (the quiet zone).
    static func finderLike(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        func light(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] } }
        var score = 0
        for start in 0...(line.count - pattern.count) where (0..<7).allSatisfy({ line[start + $0] == pattern[$0] }) {
            if light(start - 4..<start) { score += 40 }
            if light(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}
