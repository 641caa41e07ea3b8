/// A plain-text table that lines up Japanese (double-width) and Latin text. Hand-written because the
/// table libraries in our package set measure width in characters, which misaligns CJK columns.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render(maxColumnWidth: Int = 60) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for r in all {
            for (i, cell) in r.enumerated() where i < widths.count {
                widths[i] = min(maxColumnWidth, max(widths[i], displayWidth(cell)))
            }
        }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, cell in
                let clipped = clip(cell, to: widths[i])
                return i == r.count - 1 ? clipped : clipped + String(repeating: " ", count: widths[i] - displayWidth(clipped))
            }.joined(separator: "  ")
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

/// Columns a string takes in a terminal: East Asian wide and fullwidth characters take two.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : ($1.properties.generalCategory == .nonspacingMark ? 0 : 1)) }
}

private func isWide(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
         0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
        return true
    default:
        return false
    }
}

func clip(_ s: String, to width: Int) -> String {
    if displayWidth(s) <= width { return s }
    var out = ""
    var w = 0
    for ch in s {
        let cw = displayWidth(String(ch))
        if w + cw > width - 1 { break }
        out.append(ch)
        w += cw
    }
    return out + "…"
}

/// Pads to a display width (for label columns in `show`).
func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(0, width - displayWidth(s)))
}

/// RFC 4180 CSV: fields quoted when needed, CRLF line ends. Writing is a few lines, so no library for it.
func csvLine(_ fields: [String]) -> String {
    fields.map { f in
        f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
    }.joined(separator: ",")
}
