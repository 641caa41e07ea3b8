import Foundation

/// A real QR decoder for the tests: the SVG is drawn to PNG by cairosvg (PyPI, in the validators' virtualenv,
/// scripts/validators.sh) and read by Debian's `zbarimg` (zbar-tools, scripts/browser.sh). Skipped when either is
/// missing on a developer's machine; required in CI (`TEKIGO_REQUIRE_EXTERNALS=1`).
public enum QRDecoder {
    public static let zbarimg = URL(fileURLWithPath: "/usr/bin/zbarimg")
    public static var python: URL { TestEnvironment.validatorsVenv.appendingPathComponent("bin/python") }

    public static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: zbarimg.path)
            && FileManager.default.isExecutableFile(atPath: python.path)
            && (try? runProcess(python, ["-c", "import cairosvg"]).status) == 0
    }

    public static var run: Bool { installed || TestEnvironment.externalsRequired }

    /// Each SVG drawn at its own size and decoded; one result per SVG (zbarimg's raw text, trailing newline removed).
    public static func decode(_ svgs: [String]) throws -> [String] {
        guard FileManager.default.isExecutableFile(atPath: zbarimg.path) else {
            throw MissingExternal("zbarimg is missing: run scripts/browser.sh (Debian's zbar-tools)")
        }
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw MissingExternal("\(python.path) is missing: run scripts/validators.sh (cairosvg)")
        }
        let dir = try TestEnvironment.temporaryDirectory("tekigo-qr")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, svg) in svgs.enumerated() {
            try Data(svg.utf8).write(to: dir.appendingPathComponent("\(i).svg"))
        }
        let draw = try runProcess(python, ["-c", """
            import cairosvg, sys
            for i in range(int(sys.argv[2])):
                cairosvg.svg2png(url=f"{sys.argv[1]}/{i}.svg", write_to=f"{sys.argv[1]}/{i}.png")
            """, dir.path, "\(svgs.count)"])
        guard draw.status == 0 else { throw MissingExternal("cairosvg failed: \(draw.stderr)") }
        return try svgs.indices.map { i in
            let r = try runProcess(zbarimg, ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", dir.appendingPathComponent("\(i).png").path])
            guard r.status == 0 else { return "<zbarimg status \(r.status): \(r.stderr)>" }
            return r.stdout.hasSuffix("\n") ? String(r.stdout.dropLast()) : r.stdout
        }
    }
}
