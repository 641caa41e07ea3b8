import Foundation

/// What a completed exercise may give as evidence in an assessment (offered, never set without the user's
/// confirmation): the test of the incident response capability (rev2 3.6.3 — the objective 171A labels 3.6.3[a]; the
/// catalog keeps it as `3.6.3`, a requirement with a single objective — or rev3 A.03.06.03) and the 3.6.1 / 3.6.2
/// (03.06.01 / 03.06.02) objectives its scenario exercised, each with the same evidence text naming the exercise.
public enum ExerciseEvidence {
    /// The objective every exercise tests, per catalog.
    public static let testObjective: [CatalogID: String] = [.sp800171r2: "3.6.3", .sp800171r3: "A.03.06.03"]

    /// Catalogs an exercise can give evidence in.
    public static var catalogs: [CatalogID] { [.sp800171r2, .sp800171r3] }

    /// The objectives offered in an assessment of `catalog`: the test first, then the scenario's in catalog order.
    /// Only objectives the catalog has are offered. Throws for a catalog without a mapping.
    public static func objectives(for scenario: ExerciseScenario, in catalog: Catalog) throws(ExerciseError) -> [(objective: String, requirement: CatalogEntry)] {
        guard let test = testObjective[catalog.id] else { throw .unsupportedCatalog(catalog.id.rawValue) }
        let wanted = Set([test] + scenario.objectives(in: catalog.id))
        var out: [(String, CatalogEntry)] = []
        // The test objective first, then the others as the catalog orders them.
        for entry in catalog.entries where entry.assessmentObjectives.contains(test) { out.append((test, entry)) }
        for entry in catalog.entries {
            for o in entry.assessmentObjectives where o != test && wanted.contains(o) { out.append((o, entry)) }
        }
        return out
    }

    /// The evidence text an objective gets: the exercise, its kind, scenario and completion day, and where its record
    /// is (`link`, a full address of the exercise's page, or its path).
    public static func text(title: String, kind: ExerciseKind, scenario: ExerciseScenario, completedOn: Day, link: String) -> String {
        "演習記録 / Exercise record: \(title) (\(kind.label.ja) / \(kind.label.en); \(scenario.title.ja) / \(scenario.title.en); "
            + "completed \(completedOn)) \(link)"
    }
}
