import Foundation
import TekigoCore

/// Reads who carries each SP 800-53 control from a provider's OSCAL 1.1 file (issue 15 item 4), as a
/// `ResponsibilityMatrix`:
/// - a system security plan: `system-implementation.leveraged-authorizations` (kept as the provider's authorizations)
///   and, per implemented requirement (and per statement), each by-component's parts — `inherited` and
///   `export.provided` are the provider's side, `satisfied` and `export.responsibilities` the customer's; a
///   `control-origination` prop (FedRAMP's) says it directly. A by-component with none of these describes an
///   implementation, not a division, and is not counted;
/// - a component definition: each component's implemented requirements are what the component (the provider's
///   product) implements — the provider's — unless a `control-origination` or `responsibility` prop says otherwise.
/// Several statements of one control combine (`ControlResponsibility.combined`). A control id that is not SP 800-53
/// rev5's is a warning naming the element; JSON of another shape is `ResponsibilityMatrixError.notOSCAL`.
public enum OSCALResponsibilityReader {
    public static func read(_ data: Data) throws(ResponsibilityMatrixError) -> ResponsibilityMatrix {
        guard !data.isEmpty else { throw .empty }
        let top: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ResponsibilityMatrixError.notOSCAL("not a JSON object")
            }
            top = object
        } catch let e as ResponsibilityMatrixError {
            throw e
        } catch {
            throw .notOSCAL("not JSON")
        }
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type) throws(ResponsibilityMatrixError) -> T {
            do { return try decoder.decode(type, from: data) } catch let DecodingError.keyNotFound(key, ctx) {
                throw .badOSCAL("\(path(ctx.codingPath + [key])) is missing")
            } catch let DecodingError.typeMismatch(_, ctx) {
                throw .badOSCAL("\(path(ctx.codingPath)) has the wrong type")
            } catch let DecodingError.valueNotFound(_, ctx) {
                throw .badOSCAL("\(path(ctx.codingPath)) is null")
            } catch {
                throw .badOSCAL("\(error)")
            }
        }
        if top["system-security-plan"] != nil {
            return try ssp(decode(SSPFile.self).plan)
        }
        if top["component-definition"] != nil {
            return try componentDefinition(decode(ComponentDefinitionFile.self).definition)
        }
        throw .notOSCAL("top-level keys: \(top.keys.sorted().joined(separator: ", "))")
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    static func unknownControl(_ raw: String, at location: String) -> ResponsibilityWarning {
        ResponsibilityWarning(location: location, message: LocalizedText(
            en: "'\(raw)' is not an SP 800-53 rev5 control id; left out.",
            ja: "「\(raw)」は SP 800-53 rev5 の管理策 ID ではないため、取り込みません。"))
    }

    static func origination(_ props: [OSCALProperty]?) -> [ControlResponsibility] {
        (props ?? []).filter { ["control-origination", "responsibility"].contains($0.name) }.compactMap { p in
            switch p.value {
            case "sp-corporate", "sp-system": return .provider
            case "customer-configured", "customer-provided": return .customer
            case "inherited": return .inherited
            case "shared": return .shared
            default: return ControlResponsibility(cell: p.value)
            }
        }
    }

    static func ssp(_ plan: SSP) throws(ResponsibilityMatrixError) -> ResponsibilityMatrix {
        var entries: [ResponsibilityEntry] = []
        var warnings: [ResponsibilityWarning] = []
        for (i, req) in (plan.controlImplementation?.implementedRequirements ?? []).enumerated() {
            let location = "control-implementation.implemented-requirements[\(i)] (\(req.controlID))"
            guard let control = ControlID.normalized(req.controlID) else {
                warnings.append(unknownControl(req.controlID, at: location))
                continue
            }
            for r in origination(req.props) {
                entries.append(ResponsibilityEntry(control: control, responsibility: r, text: "", source: location))
            }
            let components = (req.byComponents ?? []) + (req.statements ?? []).flatMap { $0.byComponents ?? [] }
            for bc in components {
                let source = "\(location) by-component \(bc.uuid ?? bc.componentUUID ?? "")"
                let providerTexts = (bc.inherited ?? []).map { $0.description ?? "" } + (bc.export?.provided ?? []).map { $0.description ?? "" }
                let customerTexts = (bc.satisfied ?? []).map { $0.description ?? "" }
                    + (bc.export?.responsibilities ?? []).map { $0.description ?? "" }
                let hasProvider = !(bc.inherited ?? []).isEmpty || !(bc.export?.provided ?? []).isEmpty
                let hasCustomer = !(bc.satisfied ?? []).isEmpty || !(bc.export?.responsibilities ?? []).isEmpty
                let text = (providerTexts + customerTexts).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    .filter { !$0.isEmpty }.joined(separator: "\n")
                let r: ControlResponsibility?
                switch (hasProvider, hasCustomer) {
                case (true, true): r = .shared
                case (true, false): r = .provider
                case (false, true): r = .customer
                case (false, false): r = origination(bc.props).first
                }
                if let r { entries.append(ResponsibilityEntry(control: control, responsibility: r, text: text, source: source)) }
            }
        }
        let leveraged = (plan.systemImplementation?.leveragedAuthorizations ?? []).map {
            LeveragedAuthorizationInfo(title: $0.title, dateAuthorized: $0.dateAuthorized, partyUUID: $0.partyUUID)
        }
        guard !entries.isEmpty else { throw .noControls }
        return ResponsibilityMatrix(format: .oscalSSP, entries: ResponsibilityMatrix.merged(entries), warnings: warnings,
                                    leveragedAuthorizations: leveraged)
    }

    static func componentDefinition(_ def: ComponentDefinition) throws(ResponsibilityMatrixError) -> ResponsibilityMatrix {
        var entries: [ResponsibilityEntry] = []
        var warnings: [ResponsibilityWarning] = []
        for (ci, component) in (def.components ?? []).enumerated() {
            for (ii, impl) in (component.controlImplementations ?? []).enumerated() {
                for (ri, req) in impl.implementedRequirements.enumerated() {
                    let location = "components[\(ci)].control-implementations[\(ii)].implemented-requirements[\(ri)] (\(req.controlID))"
                    guard let control = ControlID.normalized(req.controlID) else {
                        warnings.append(unknownControl(req.controlID, at: location))
                        continue
                    }
                    let said = origination(req.props)
                    let text = [component.title, req.description].compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
                        .filter { !$0.isEmpty }.joined(separator: ": ")
                    for r in said.isEmpty ? [.provider] : said {
                        entries.append(ResponsibilityEntry(control: control, responsibility: r, text: text, source: location))
                    }
                }
            }
        }
        guard !entries.isEmpty else { throw .noControls }
        return ResponsibilityMatrix(format: .oscalComponentDefinition, entries: ResponsibilityMatrix.merged(entries), warnings: warnings)
    }

    // MARK: - The parts read (everything else in the file is ignored)

    struct SSPFile: Decodable {
        let plan: SSP
        enum CodingKeys: String, CodingKey { case plan = "system-security-plan" }
    }

    struct SSP: Decodable {
        let systemImplementation: SystemImplementation?
        let controlImplementation: ControlImplementation?
        enum CodingKeys: String, CodingKey {
            case systemImplementation = "system-implementation"
            case controlImplementation = "control-implementation"
        }
    }

    struct SystemImplementation: Decodable {
        let leveragedAuthorizations: [Leveraged]?
        enum CodingKeys: String, CodingKey { case leveragedAuthorizations = "leveraged-authorizations" }
    }

    struct Leveraged: Decodable {
        let title: String
        let partyUUID: String?
        let dateAuthorized: String?
        enum CodingKeys: String, CodingKey {
            case title
            case partyUUID = "party-uuid"
            case dateAuthorized = "date-authorized"
        }
    }

    struct ControlImplementation: Decodable {
        let implementedRequirements: [Requirement]?
        enum CodingKeys: String, CodingKey { case implementedRequirements = "implemented-requirements" }
    }

    struct Requirement: Decodable {
        let controlID: String
        let description: String?
        let props: [OSCALProperty]?
        let byComponents: [ByComponent]?
        let statements: [Statement]?
        enum CodingKeys: String, CodingKey {
            case controlID = "control-id"
            case description, props, statements
            case byComponents = "by-components"
        }
    }

    struct Statement: Decodable {
        let byComponents: [ByComponent]?
        enum CodingKeys: String, CodingKey { case byComponents = "by-components" }
    }

    struct Described: Decodable { let description: String? }

    struct Export: Decodable {
        let provided: [Described]?
        let responsibilities: [Described]?
    }

    struct ByComponent: Decodable {
        let uuid: String?
        let componentUUID: String?
        let props: [OSCALProperty]?
        let inherited: [Described]?
        let satisfied: [Described]?
        let export: Export?
        enum CodingKeys: String, CodingKey {
            case uuid, props, inherited, satisfied, export
            case componentUUID = "component-uuid"
        }
    }

    struct ComponentDefinitionFile: Decodable {
        let definition: ComponentDefinition
        enum CodingKeys: String, CodingKey { case definition = "component-definition" }
    }

    struct ComponentDefinition: Decodable { let components: [Component]? }

    struct Component: Decodable {
        let title: String?
        let controlImplementations: [ComponentControlImplementation]?
        enum CodingKeys: String, CodingKey {
            case title
            case controlImplementations = "control-implementations"
        }
    }

    struct ComponentControlImplementation: Decodable {
        let implementedRequirements: [Requirement]
        enum CodingKeys: String, CodingKey { case implementedRequirements = "implemented-requirements" }
    }
}
