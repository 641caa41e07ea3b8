import ArgumentParser
import Foundation
import TekigoCore

/// In-process micro-benchmarks behind the numbers in docs/PERFORMANCE.md. Run on a release build:
/// `swift run -c release tekigo bench`. Not a test: it measures, it does not judge.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure Tekigo's hot paths (see docs/PERFORMANCE.md).", shouldDisplay: false)

    @Option(help: "Repetitions per measurement.") var iterations: Int = 50

    func run() async throws {
        let files = try loadResourceFiles()
        let load = measure(iterations) {
            _ = try? BuiltInLibrary.load(resource: { files[$0] })
        }
        print(report("built-in catalog load (decode all 5 files)", load))
        let library = try BuiltInLibrary.shared
        let refs = library.catalogs[.sp800171r2]!.entries.map(\.ref)
        let paths = measure(iterations) {
            for r in refs { _ = library.crosswalk.paths(from: r, to: .sp80053r5) }
        }
        print(report("map all 110 rev2 requirements to SP 800-53 rev5", paths))

        let catalog = try library.catalog(.sp800171r2)
        let assessments = (0..<100).map { syntheticAssessment(seed: UInt64($0), catalog: catalog) }
        let one = measure(iterations) {
            _ = try? AssessmentReport(assessments[0], library: library)
        }
        print(report("score + SSP/POA&M/CMMC report for one system", one))
        let many = measure(max(3, iterations / 10)) {
            for i in 0..<10_000 { _ = try? SPRSScoring.score(assessments[i % assessments.count], catalog: catalog) }
        }
        print(report("score 10,000 assessments (one core)", many))
    }

    /// A full 320-objective assessment with about one objective in eight not met, deterministic per seed.
    func syntheticAssessment(seed: UInt64, catalog: Catalog) -> Assessment {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs {
            findings[o] = Finding(status: next() % 8 == 0 ? .notMet : (next() % 20 == 0 ? .notApplicable : .met))
        }
        for o in catalog["3.12.4"]!.objectives { findings[o] = Finding(status: .met) }
        return Assessment(organization: Organization(name: "Bench"), system: SystemProfile(name: "S"), date: Day("2026-11-27")!,
                          findings: findings)
    }

    /// The bundled JSON files, read into memory once so the benchmark measures decoding, not the disk.
    func loadResourceFiles() throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in ["sp800-171r2", "sp800-171r3", "sp800-53r5", "csf2", "crosswalks"] {
            guard let url = BuiltInLibrary.resourceURL(name) else { throw UserError("resource \(name) missing") }
            out[name] = try Data(contentsOf: url)
        }
        return out
    }
}

/// Durations of `body`, one per iteration, after one warm-up run.
func measure(_ iterations: Int, _ body: () -> Void) -> [Duration] {
    body()
    let clock = ContinuousClock()
    return (0..<max(1, iterations)).map { _ in clock.measure(body) }
}

func report(_ name: String, _ samples: [Duration]) -> String {
    let ms = samples.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
    func pct(_ p: Double) -> Double { ms[min(ms.count - 1, Int(Double(ms.count - 1) * p))] }
    return String(format: "%-52@ median %8.3f ms   p95 %8.3f ms   (n=%d)", name as NSString, pct(0.5), pct(0.95), ms.count)
}
