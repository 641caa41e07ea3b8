extension QRCode {
    /// The symbol as an inline `<svg>` element: a white square with the quiet zone the standard asks for (four
    /// modules on every side) and the dark modules as one path, one rectangle per horizontal run. Only presentation
    /// attributes, no `style` (the pages' Content-Security-Policy allows no inline style). `label` is the text a
    /// screen reader announces (`role="img"`).
    public func svg(moduleSize: Int = 5, quietZone: Int = 4, label: String) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for (y, row) in modules.enumerated() {
            var x = 0
            while x < size {
                guard row[x] else { x += 1; continue }
                var end = x
                while end < size && row[end] { end += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(end - x)v1h-\(end - x)z"
                x = end
            }
        }
        let pixels = side * moduleSize
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" "
            + "height=\"\(pixels)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(Self.escaped(label))\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#ffffff\"/><path d=\"\(path)\" fill=\"#000000\"/></svg>"
    }

    /// Text safe inside an XML attribute.
    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
