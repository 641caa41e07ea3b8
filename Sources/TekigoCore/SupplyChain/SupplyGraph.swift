import Foundation

/// One link of a supply chain: `customer` buys from `supplier` (and may flow contract clauses down to it).
public struct SupplyEdge: Sendable, Hashable, Codable, CustomStringConvertible {
    public let customer: String
    public let supplier: String

    public init(customer: String, supplier: String) {
        self.customer = customer
        self.supplier = supplier
    }

    /// `A → B`.
    public var description: String { "\(customer) → \(supplier)" }
}

/// Organizations (by id) linked customer → supplier. Always acyclic: a supplier is never upstream of itself.
/// Several primes may share suppliers; tiers are always counted from one prime (`tiers(from:)`).
public struct SupplyGraph: Sendable, Hashable {
    private var suppliersByCustomer: [String: Set<String>] = [:]
    private var customersBySupplier: [String: Set<String>] = [:]

    public init() {}

    /// A graph of all `edges`, checked one by one as `adding(_:)` does.
    public init(_ edges: [SupplyEdge]) throws(SupplyChainError) {
        for e in edges { try add(e) }
    }

    /// Every link, sorted by customer then supplier.
    public var edges: [SupplyEdge] {
        suppliersByCustomer.keys.sorted().flatMap { c in
            suppliersByCustomer[c, default: []].sorted().map { SupplyEdge(customer: c, supplier: $0) }
        }
    }

    /// Every organization that is an end of some link.
    public var organizations: Set<String> { Set(suppliersByCustomer.keys).union(customersBySupplier.keys) }

    /// Organizations that are nobody's supplier (primes), sorted.
    public var primes: [String] { suppliersByCustomer.keys.filter { customersBySupplier[$0] == nil }.sorted() }

    public func contains(_ edge: SupplyEdge) -> Bool {
        suppliersByCustomer[edge.customer]?.contains(edge.supplier) ?? false
    }

    /// The graph with `edge` added. Rejects empty ids, self-links, duplicates, and links that would close a cycle
    /// (the error names the cycle, `A → B → C → A`).
    public func adding(_ edge: SupplyEdge) throws(SupplyChainError) -> SupplyGraph {
        var g = self
        try g.add(edge)
        return g
    }

    /// The graph without `edge` (unchanged when it is not there). Removing a link never creates a cycle.
    public func removing(_ edge: SupplyEdge) -> SupplyGraph {
        var g = self
        g.suppliersByCustomer[edge.customer]?.remove(edge.supplier)
        if g.suppliersByCustomer[edge.customer]?.isEmpty == true { g.suppliersByCustomer[edge.customer] = nil }
        g.customersBySupplier[edge.supplier]?.remove(edge.customer)
        if g.customersBySupplier[edge.supplier]?.isEmpty == true { g.customersBySupplier[edge.supplier] = nil }
        return g
    }

    private mutating func add(_ edge: SupplyEdge) throws(SupplyChainError) {
        guard !edge.customer.trimmed.isEmpty, !edge.supplier.trimmed.isEmpty else { throw .emptyOrganizationID }
        guard edge.customer != edge.supplier else { throw .selfLink(edge.customer) }
        guard !contains(edge) else { throw .duplicateEdge(edge) }
        // customer → supplier closes a cycle exactly when the customer is already downstream of the supplier.
        if let path = path(from: edge.supplier, to: edge.customer) {
            throw .cycle(edge: edge, path: [edge.customer] + path)
        }
        suppliersByCustomer[edge.customer, default: []].insert(edge.supplier)
        customersBySupplier[edge.supplier, default: []].insert(edge.customer)
    }

    /// The shortest downstream path `from … to` (both included), nil when `to` is not downstream of `from`.
    /// Suppliers are visited in id order, so the path reported is always the same one.
    private func path(from start: String, to target: String) -> [String]? {
        var parent: [String: String] = [:]
        var queue = [start]
        var head = 0
        var seen: Set<String> = [start]
        while head < queue.count {
            let node = queue[head]
            head += 1
            if node == target {
                var path = [node]
                var cur = node
                while let p = parent[cur] { path.append(p); cur = p }
                return path.reversed()
            }
            for next in suppliersByCustomer[node, default: []].sorted() where seen.insert(next).inserted {
                parent[next] = node
                queue.append(next)
            }
        }
        return nil
    }

    /// Direct suppliers, sorted.
    public func suppliers(of id: String) -> [String] { suppliersByCustomer[id, default: []].sorted() }

    /// Direct customers, sorted.
    public func customers(of id: String) -> [String] { customersBySupplier[id, default: []].sorted() }

    /// Every organization downstream of `id` (its suppliers, their suppliers, …), not `id` itself.
    public func descendants(of id: String) -> Set<String> { reach(from: id, along: suppliersByCustomer) }

    /// Every organization upstream of `id` (its customers, their customers, … up to the primes), not `id` itself.
    public func ancestors(of id: String) -> Set<String> { reach(from: id, along: customersBySupplier) }

    private func reach(from start: String, along next: [String: Set<String>]) -> Set<String> {
        var seen: Set<String> = []
        var stack = [start]
        while let node = stack.popLast() {
            for n in next[node, default: []] where seen.insert(n).inserted { stack.append(n) }
        }
        return seen
    }

    /// Each organization downstream of `prime` with its tier: direct suppliers are tier 1, theirs tier 2, and so on.
    /// A supplier reachable along several paths takes the shortest (reachable at tiers 1 and 2 → tier 1).
    /// The prime itself is tier 0; organizations not downstream of it are absent.
    public func tiers(from prime: String) -> [String: Int] {
        var tier: [String: Int] = [prime: 0]
        var queue = [prime]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let next = tier[node]! + 1
            for s in suppliersByCustomer[node, default: []] where tier[s] == nil {
                tier[s] = next
                queue.append(s)
            }
        }
        return tier
    }
}

extension SupplyGraph: Codable {
    /// Decodes a list of links and checks it as `init(_:)` does; a cycle or duplicate is a decoding error.
    public init(from decoder: any Decoder) throws {
        let edges = try decoder.singleValueContainer().decode([SupplyEdge].self)
        do throws(SupplyChainError) { try self.init(edges) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(edges)
    }
}
