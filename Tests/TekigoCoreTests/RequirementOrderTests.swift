import Testing
@testable import TekigoCore

/// Issue 17 item 6: lists of requirements, objectives and plan items are in requirement-number order, not string order.
@Suite("Requirement-number order")
struct RequirementOrderTests {
    @Test("RequirementOrder (issue 17 item 6): 3.2.3 before 3.10.3, 03.02.03 before 03.10.03, 3.1.1[a] before 3.1.1[b], 3.1.9 before 3.1.10")
    func pairs() {
        let inOrder: [(String, String)] = [
            ("3.2.3", "3.10.3"), ("3.1.9", "3.1.10"), ("3.1.1", "3.1.1[a]"), ("3.1.1[a]", "3.1.1[b]"),
            ("3.1.1[f]", "3.1.2[a]"), ("3.1.1[a]", "3.1.10"), ("3.14.7", "3.14.7[a]"),
            ("03.02.03", "03.10.03"), ("03.01.01", "03.01.01.a"), ("03.01.09", "03.01.10"),
            ("A.03.01.01.a[01]", "A.03.01.01.a[02]"), ("A.03.01.01.a[09]", "A.03.01.01.a[10]"),
            ("SR-03.01.01.a", "SR-03.01.01.b"), ("3.1", "3.10"), ("AC-2", "AC-10"), ("AC-2(1)", "AC-2(10)"),
            ("3.1.1", "3.1.1[a]"), ("9", "99999999999999999999999"),
        ]
        for (a, b) in inOrder {
            #expect(RequirementOrder.precedes(a, b), "\(a) before \(b)")
            #expect(!RequirementOrder.precedes(b, a), "\(b) not before \(a)")
        }
        #expect(!RequirementOrder.precedes("3.1.1", "3.1.1"))
        // Equal as numbers (3.1 and 03.01): plain string order decides, so the order is total and deterministic.
        #expect(RequirementOrder.precedes("03.01", "3.1") != RequirementOrder.precedes("3.1", "03.01"))
        #expect(["3.10.3", "3.2.3", "3.1.10", "3.1.9", "3.1.1[b]", "3.1.1[a]"].sortedByRequirement()
            == ["3.1.1[a]", "3.1.1[b]", "3.1.9", "3.1.10", "3.2.3", "3.10.3"])
    }

    @Test("The built-in SP 800-171 rev2 and rev3 catalogs list requirements (and rev2 its objectives) in RequirementOrder (issue 17 item 6)")
    func builtInCatalogsAgree() throws {
        let library = try BuiltInLibrary.shared
        for id in [CatalogID.sp800171r2, .sp800171r3] {
            let c = try library.catalog(id)
            #expect(c.entries.map(\.id) == c.entries.map(\.id).sortedByRequirement(), "\(id) requirements")
            #expect(c.families.map(\.id) == c.families.map(\.id).sortedByRequirement(), "\(id) families")
        }
        // rev2's 800-171A objectives too; rev3's keep SP 800-171A rev3's own order within a requirement (it lists
        // some determination statements out of letter order), so only their requirements are checked there.
        let r2 = try library.catalog(.sp800171r2)
        #expect(r2.objectiveIDs == r2.objectiveIDs.sortedByRequirement())
    }

    @Test("Plan items in requirement-number order whatever order they were stored in (POAMPlanner.ordered; issue 17 item 6)")
    func planItems() throws {
        let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
        let items = ["3.10.3", "3.2.3", "3.1.10", "3.1.9", "3.13.11", "3.3.1"].map { POAMItem(requirement: $0, weakness: "w") }
        #expect(POAMPlanner.ordered(items, catalog: catalog).map(\.requirement)
            == ["3.1.9", "3.1.10", "3.2.3", "3.3.1", "3.10.3", "3.13.11"])
        #expect(["b": 1, "a": 2].sorted(byRequirement: \.key).map(\.key) == ["a", "b"])
    }
}
