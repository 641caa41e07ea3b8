import Testing
@testable import TekigoCore

@Suite("Consent and visibility: who may see a supplier's identity and details")
struct VisibilityTests {
    func grant(_ supplier: String, _ viewer: String, onward: Bool = false) -> ConsentGrant {
        ConsentGrant(supplier: supplier, viewer: viewer, onward: onward)
    }

    @Test("Direct grant: the viewer sees the supplier; nobody else does; everyone sees itself")
    func direct() {
        let grants = [grant("S", "V")]
        let v = DetailVisibility(viewer: "V", grants: grants)
        #expect(v.canSee("S"))
        #expect(v.canSee("V"))
        #expect(!v.canSee("W"))
        #expect(!DetailVisibility(viewer: "W", grants: grants).canSee("S"))
        // A grant runs from supplier to viewer only: V's grant to S does not let V see S.
        #expect(!DetailVisibility(viewer: "V", grants: [grant("V", "S", onward: true)]).canSee("S"))
    }

    @Test("Onward chain: S lets C pass its details on, and V may see C, so V may see S (at any depth)")
    func onwardChain() {
        // T → S → C → V: T and S allow onward, C grants V plainly.
        let grants = [grant("T", "S", onward: true), grant("S", "C", onward: true), grant("C", "V")]
        let v = DetailVisibility(viewer: "V", grants: grants)
        #expect(v.visible == ["V", "C", "S", "T"])
        // The onward flag that matters is the supplier's own: C's plain grant to V does not stop S and T.
        // C itself sees S and T too.
        #expect(DetailVisibility(viewer: "C", grants: grants).visible == ["C", "S", "T"])
    }

    @Test("Broken chain: without onward, the supplier's details stop at its direct viewer, and so does everything behind it")
    func brokenChain() {
        let grants = [grant("T", "S", onward: true), grant("S", "C"), grant("C", "V")]
        let v = DetailVisibility(viewer: "V", grants: grants)
        #expect(v.canSee("C"))
        #expect(!v.canSee("S"))
        // T allowed S to pass it on, but V cannot see S, so T stays hidden from V.
        #expect(!v.canSee("T"))
        #expect(DetailVisibility(viewer: "C", grants: grants).visible == ["C", "S", "T"])
    }

    @Test("Revoking a grant hides at once: visibility is recomputed from the grants that remain")
    func revocation() {
        var grants = [grant("T", "S", onward: true), grant("S", "C", onward: true), grant("C", "V")]
        #expect(DetailVisibility(viewer: "V", grants: grants).canSee("T"))
        grants.removeAll { $0 == grant("C", "V") }
        let after = DetailVisibility(viewer: "V", grants: grants)
        #expect(after.visible == ["V"])
        // Revoking the onward permission (re-granting without it) also hides what lay behind.
        grants = [grant("T", "S", onward: true), grant("S", "C"), grant("C", "V")]
        #expect(!DetailVisibility(viewer: "V", grants: grants).canSee("S"))
    }

    @Test("Loops of onward grants terminate and show nothing by themselves")
    func loops() {
        var grants = [grant("A", "B", onward: true), grant("B", "A", onward: true), grant("A", "A", onward: true)]
        #expect(DetailVisibility(viewer: "V", grants: grants).visible == ["V"])
        grants.append(grant("B", "V"))
        #expect(DetailVisibility(viewer: "V", grants: grants).visible == ["V", "A", "B"])
        // A loop through the viewer itself.
        grants = [grant("V", "A", onward: true), grant("A", "V", onward: true)]
        #expect(DetailVisibility(viewer: "V", grants: grants).visible == ["V", "A"])
    }

    @Test("Property: the one-pass walk equals the rule applied until nothing changes, on random grants (seeded)",
          arguments: [UInt64(1), 2, 3, 99, 2026])
    func matchesFixedPoint(seed: UInt64) {
        var rng = SCRandom(seed: seed)
        let ids = (0..<10).map { "O\($0)" }
        for _ in 0..<40 {
            let grants = (0..<Int.random(in: 0...25, using: &rng)).map { _ in
                grant(ids.randomElement(using: &rng)!, ids.randomElement(using: &rng)!, onward: Bool.random(using: &rng))
            }
            for viewer in ids {
                // The rule, literally: S is visible if S granted the viewer, or S granted a visible C with onward.
                var visible: Set<String> = [viewer]
                var changed = true
                while changed {
                    changed = false
                    for g in grants where g.supplier != g.viewer && !visible.contains(g.supplier) {
                        if g.viewer == viewer || (g.onward && visible.contains(g.viewer)) {
                            visible.insert(g.supplier)
                            changed = true
                        }
                    }
                }
                #expect(DetailVisibility(viewer: viewer, grants: grants).visible == visible)
            }
        }
    }
}
