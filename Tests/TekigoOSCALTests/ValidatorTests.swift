import Foundation
import Testing
import TekigoTestSupport

/// Files Tekigo ships or writes, checked by the official tools (installed by scripts/validators.sh).
@Suite("Official OSCAL validators", .enabled(if: TestEnvironment.runValidatorTests,
                                              "needs .venv-validators (scripts/validators.sh) and ../shared/data"))
struct ValidatorTests {
    @Test("The README's sample custom catalog validates against NIST's OSCAL 1.1.3 catalog schema and trestle imports it")
    func sampleCatalog() throws {
        let file = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog/jp-sample-catalog.json")
        let schema = try TestEnvironment.sharedData("oscal/schemas/v1.1.3/oscal_catalog_schema.json")
        let check = try runProcess(try TestEnvironment.validator("check-jsonschema"), ["--schemafile", schema.path, file.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("ok -- validation done"))

        let ws = try TestEnvironment.temporaryDirectory("trestle")
        let trestle = try TestEnvironment.validator("trestle")
        #expect(try runProcess(trestle, ["init"], currentDirectory: ws).status == 0)
        let imp = try runProcess(trestle, ["import", "-f", file.path, "-o", "jp-sample"], currentDirectory: ws)
        #expect(imp.status == 0, "\(imp.stdout)\(imp.stderr)")
    }
}
