import Foundation
import Testing
@testable import TekigoCore

/// Issue 15 item 4: a provider's customer responsibility matrix read from CSV, and what it means for SP 800-171
/// requirements through the built-in crosswalk.
@Suite("Responsibility matrix")
struct ResponsibilityMatrixTests {
    func csv(_ s: String) -> Data { Data(s.utf8) }

    @Test("Issue 15 item 4: control ids as matrices write them are normalised (AC-2, AC-02, ac-2(1), AC-2 (1), ac-2.1, parts)")
    func controlIDs() {
        let cases: [(String, String?)] = [
            ("AC-2", "AC-2"), ("AC-02", "AC-2"), ("ac-2(1)", "AC-2(1)"), ("AC-2 (1)", "AC-2(1)"), ("ac-2.1", "AC-2(1)"),
            ("AC-2(a)", "AC-2"), ("AC-2 (1)(a)", "AC-2(1)"), ("ac-2_smt.a", "AC-2"), (" sc-13 ", "SC-13"), ("SC-7(04)", "SC-7(4)"),
            ("XX-2", nil), ("AC-99", nil), ("AC-2(99)", nil), ("AC", nil), ("AC-2x5", nil), ("hello", nil), ("", nil),
        ]
        for (raw, want) in cases { #expect(ControlID.normalized(raw) == want, "\(raw)") }
    }

    @Test("Issue 15 item 4: the usual spellings and the FedRAMP worksheet's forms of a responsibility are read")
    func spellings() {
        let cases: [(String, ControlResponsibility?)] = [
            ("Provider", .provider), ("CSP", .provider), ("Service Provider Corporate", .provider),
            ("Service Provider System Specific", .provider), ("Customer", .customer), ("Configured by Customer (Customer System Specific)", .customer),
            ("Provided by Customer (Customer System Specific)", .customer), ("Shared (Provider and Customer)", .shared),
            ("Shared (Service Provider and Customer Responsibility)", .shared), ("shared", .shared), ("Partial", .shared),
            ("Inherited from pre-existing authorization", .inherited), ("Inherited from pre-existing FedRAMP Authorization", .inherited),
            ("inherited", .inherited), ("Yes", .provider), ("No", .customer), ("事業者", .provider), ("利用者", .customer),
            ("共有", .shared), ("継承", .inherited), ("Not applicable", nil), ("", nil), ("maybe", nil),
        ]
        for (cell, want) in cases { #expect(ControlResponsibility(cell: cell) == want, "\(cell)") }
    }

    @Test("Issue 15 item 4: a CRM worksheet CSV with title rows, quoted text and CRLF is read; the column read is named")
    func worksheet() throws {
        let data = csv("\u{FEFF}Example Cloud — Customer Responsibility Matrix,,\r\n,,\r\n"
                       + "Control ID,Responsibility,Specific Inheritance and Customer Agency/CSP Responsibilities\r\n"
                       + "AC-02,Provider,\"Accounts are managed by the CSP, \"\"including\"\" privileged ones\"\r\n"
                       + "AC-2 (3),Inherited from pre-existing authorization,From the IaaS\r\n"
                       + "Access Control,,\r\n"
                       + "AC-3,Shared (Provider and Customer),\"Line one\nline two\"\r\n"
                       + "SC-13,Customer,Customer keys\r\n")
        let m = try ResponsibilityCSVReader.read(data)
        #expect(m.format == .crmCSV)
        #expect(m.responsibilityColumn == "Responsibility")
        #expect(m.warnings.isEmpty)
        #expect(m.entries.map(\.control) == ["AC-2", "AC-2(3)", "AC-3", "SC-13"])
        #expect(m.entries[0].text == "Accounts are managed by the CSP, \"including\" privileged ones")
        #expect(m.entries[0].source == "row 4")
        #expect(m.entries[2].text == "Line one\nline two")
        #expect(m.byControl == ["AC-2": .provider, "AC-2(3)": .inherited, "AC-3": .shared, "SC-13": .customer])
    }

    @Test("Issue 15 item 4: the CIS worksheet's Control Origination and the CRM's Can Be Inherited from CSP columns are read and named")
    func otherColumns() throws {
        let a = try ResponsibilityCSVReader.read(csv("Control ID,Control Origination,Notes\nAC-2,Service Provider Corporate,x\n"))
        #expect(a.responsibilityColumn == "Control Origination" && a.byControl == ["AC-2": .provider])
        let b = try ResponsibilityCSVReader.read(csv("Control ID,Can Be Inherited from CSP,Description\nAC-2,Yes,\nAC-3,Partial,\nAC-17,No,\n"))
        #expect(b.responsibilityColumn == "Can Be Inherited from CSP")
        #expect(b.byControl == ["AC-2": .provider, "AC-3": .shared, "AC-17": .customer])
    }

    @Test("Issue 15 item 4 (bad input): an unknown control id or responsibility is a warning naming the row; rows of one control combine")
    func badRows() throws {
        let m = try ResponsibilityCSVReader.read(csv("Control ID,Responsibility\nAC-2,Provider\nZZ-9,Provider\nAC-3,perhaps\nAC-2(a),Customer\n"))
        #expect(m.warnings.map(\.location) == ["row 3", "row 4"])
        #expect(m.warnings[0].message.en.contains("ZZ-9") && m.warnings[0].message.ja.contains("ZZ-9"))
        #expect(m.warnings[1].message.en.contains("perhaps"))
        #expect(m.byControl == ["AC-2": .shared])  // a provider row and a customer row of AC-2
        #expect(m.entries[0].source == "row 2, row 5")
    }

    @Test("Issue 15 item 4 (bad input): a file of another shape is a clear error, nothing read")
    func otherShapes() {
        #expect(throws: ResponsibilityMatrixError.empty) { try ResponsibilityCSVReader.read(Data()) }
        #expect(throws: ResponsibilityMatrixError.notText) { try ResponsibilityCSVReader.read(Data([0xFF, 0xFE, 0x00, 0xD8])) }
        #expect(throws: ResponsibilityMatrixError.noControlColumn) { try ResponsibilityCSVReader.read(self.csv("name,price\nwidget,3\n")) }
        #expect(throws: ResponsibilityMatrixError.noResponsibilityColumn(headers: ["Control ID", "Title"])) {
            try ResponsibilityCSVReader.read(self.csv("Control ID,Title\nAC-2,Account Management\n"))
        }
        #expect(throws: ResponsibilityMatrixError.noControls) { try ResponsibilityCSVReader.read(self.csv("Control ID,Responsibility\nQQ-1,Provider\n")) }
        #expect(ResponsibilityMatrixError.noControlColumn.message.ja.contains("Control ID"))
    }

    @Test("Issue 15 item 4: the mapping rule — inherited when every covered mapped control is the provider's, shared when both hold parts, customer when all the customer's")
    func verdictRule() {
        #expect(ResponsibilityMapping.verdict([]) == nil)
        #expect(ResponsibilityMapping.verdict([.provider, .inherited]) == .inherited)
        #expect(ResponsibilityMapping.verdict([.provider, .customer]) == .shared)
        #expect(ResponsibilityMapping.verdict([.shared]) == .shared)
        #expect(ResponsibilityMapping.verdict([.inherited, .shared]) == .shared)
        #expect(ResponsibilityMapping.verdict([.customer, .customer]) == .customer)
    }

    @Test("Issue 15 item 4: controls reach SP 800-171 rev2 and rev3 requirements through the built-in crosswalk only")
    func throughCrosswalk() throws {
        let lib = try BuiltInLibrary.shared
        let byControl: [String: ControlResponsibility] = ["AC-2": .provider, "AC-2(3)": .inherited, "AC-3": .customer, "SC-13": .provider,
                                                          "PE-2": .provider, "PE-3": .provider, "PE-5": .provider]
        let r3 = ResponsibilityMapping.requirements(byControl, catalog: try lib.catalog(.sp800171r3), crosswalk: lib.crosswalk)
        let r3by = Dictionary(uniqueKeysWithValues: r3.map { ($0.requirement, $0) })
        // rev3 03.01.01 maps to AC-2 and three enhancements: the two covered are the provider's.
        #expect(r3by["03.01.01"]?.inheritance == .inherited)
        #expect(r3by["03.01.01"]?.providerControls == ["AC-2", "AC-2(3)"])
        #expect(r3by["03.01.01"]?.uncoveredControls.contains("AC-2(5)") == true)
        #expect(r3by["03.13.11"]?.inheritance == .inherited)
        let r2 = ResponsibilityMapping.requirements(byControl, catalog: try lib.catalog(.sp800171r2), crosswalk: lib.crosswalk)
        let r2by = Dictionary(uniqueKeysWithValues: r2.map { ($0.requirement, $0) })
        // rev2 3.1.1 maps to AC-2 and AC-3 among others: provider AC-2, customer AC-3 → shared.
        #expect(r2by["3.1.1"]?.inheritance == .shared)
        #expect(r2by["3.1.1"]?.customerControls == ["AC-3"])
        #expect(r2by["3.1.1"]?.objectives == ["3.1.1[a]", "3.1.1[b]", "3.1.1[c]", "3.1.1[d]", "3.1.1[e]", "3.1.1[f]"])
        #expect(r2by["3.10.1"]?.inheritance == .inherited)
        #expect(r2by["3.13.11"]?.inheritance == .inherited)
        // A requirement none of whose mapped controls is in the matrix is left out.
        #expect(r2by["3.5.3"] == nil)
        for r in r2 + r3 {
            #expect(Set(r.providerControls + r.sharedControls + r.customerControls + r.uncoveredControls)
                    == Set(ResponsibilityMapping.controls(of: EntryRef(catalog: r.catalog, id: r.requirement), in: lib.crosswalk)))
        }
    }
}
