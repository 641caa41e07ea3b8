import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The cloud services' typed models against their templates (issue 15 item 3), as `PageModelTests` checks the others:
/// a sample of each model with every optional present; every name a template reads is a key of its model or the
/// layout, every `{{t.key}}` a message (in both languages), every model key read, no "nil".
@Suite("Cloud service page models")
struct CloudServicePageModelTests {
    static let option = SelectOption(value: "cui", label: "CUI", selected: true)
    static let check = CloudCheck(value: "s1", label: "Mail", checked: true, fieldID: "system-s1")
    static let matrix = CloudMatrixRow(
        serviceRef: "fedramp:FR1", serviceName: "Box", fileName: "crm.csv", format: "CRM (CSV)", column: "Responsibility",
        importedAt: "Dec 6, 2026, 09:00", evidence: "CRM 2026-03", controls: 5,
        counts: [.init(side: "provider", label: "provider", count: 3)], warnings: [.init(location: "row 7", message: "not a control")],
        hasWarnings: true)
    static let samples: [(String, any PageModel)] = [
        ("cloud-service-list", CloudServiceListPage(
            matrices: [matrix], hasMatrices: true,
            services: [.init(name: "Box", url: "/o/o1/cloud/services/c1", ref: "fedramp:FR1", information: "CUI", regimes: ["DFARS"],
                             standingID: "not-met", standing: "Something missing", registry: "FedRAMP Marketplace — Box — FedRAMP Authorized, Moderate",
                             missing: ["(c) …"], systems: "Mail")],
            hasServices: true, canChange: true, addAction: "/o/o1/cloud", refValue: "fedramp:FR1", nameValue: "Box",
            informationOptions: [option], systems: [check], hasSystems: true, systemsURL: "/o/o1/systems", registryURL: "/o/o1/cloud/registry", error: "Bad")),
        ("cloud-service-detail", CloudServiceDetailPage(
            matrix: matrix, matrixAction: "/m", matrixEvidenceValue: "CRM 2026-03", matrixNameValue: "Box", matrixError: "M",
            name: "Box", ref: "fedramp:FR1", registry: "FedRAMP", inRegistry: true, information: "CUI", standingID: "met", standing: "Satisfied",
            systems: ["Mail"], hasSystems: true, note: "note",
            verdicts: [.init(regime: "DFARS", satisfied: true, standing: "Satisfied", basis: "by FedRAMP", missing: ["x"], notes: ["y"])],
            evaluations: [.init(day: "2026-12-06", regime: "DFARS", method: "Marketplace", decision: "meets", ruleSet: "memo",
                                registryStatus: "FedRAMP Authorized, Moderate", evaluatedBy: "Ann", rationale: "why", evidence: "e1")],
            hasEvaluations: true,
            commitments: [.init(kind: "c-incident-reporting", label: "(c)", committed: true, evidence: "MSA §1", evidenced: true)],
            canChange: true, listURL: "/o/o1/cloud", editAction: "/e", version: "1", refValue: "fedramp:FR1", nameValue: "Box",
            informationOptions: [option], regimeChecks: [check], systemChecks: [check], noteValue: "n", deleteAction: "/d",
            evaluationAction: "/v", regimeOptions: [option], methodOptions: [option], ruleSetOptions: [option],
            documents: [.init(field: "doc_ssp", label: "SSP", value: "sha")], meetsChecked: true, assessorValue: "3PAO",
            recognizedChecked: true, percentValue: "100", annualValue: "2026-03-01", poamValue: "operational low 2026-10-01 x",
            rationaleValue: "r", evidenceValue: "e", evaluatedByValue: "Ann", evaluatedOnValue: "2026-12-06", commitmentsAction: "/c",
            commitmentsVersion: "0", editError: "E", evaluationError: "V", commitmentsError: "C")),
    ]

    @Test("Issue 15 items 3 and 4: every cloud service template reads only its model's keys and messages that exist in ja and en; every key is read")
    func everyTemplateNameIsAModelKeyAndEveryModelKeyIsRead() async throws {
        let assets = try await WebAssets.load()
        let layoutNames = try PageModelTests.names(PageModelTests.source("layout"))
        for lang in [Language.ja, .en] {
            let t = assets.messages.table(lang)
            for (template, model) in Self.samples {
                let tree = TemplateTree.merged(model, PageModelTests.layout(t))
                let keys = PageModelTests.keys(tree)
                // The matrix's summary is a partial (cloud-matrix), read in the including template's context.
                let names = try PageModelTests.names(SupplyChainPageTests.sourceWithPartials(template)) + layoutNames
                for name in names {
                    let parts = name.split(separator: ".").map(String.init)
                    if parts[0] == "t" {
                        #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name) in \(lang)")
                    } else {
                        #expect(keys.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                    }
                }
                let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
                for key in PageModelTests.keys(TemplateTree.tree(model)) {
                    #expect(read.contains(key), "\(template): the model's key \(key) is read by no template")
                }
                let html = try #require(assets.templates.render(tree, withTemplate: template))
                #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
            }
        }
    }
}
