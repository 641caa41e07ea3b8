/// Official wording read from a file that carries only part of a catalog's text (NIST's CPRT exports: rev2's
/// requirements and 800-171A's objectives are two documents; a trimmed file), laid over the earlier import of the
/// same catalog (issue #17 item 2). What the file has wins; what it lacks is kept: a statement, title or discussion
/// only when the file's is not empty, objectives and parameters by id, methods by name.
extension ImportedCatalog {
    public func merged(with update: ImportedCatalog) -> ImportedCatalog {
        precondition(update.catalog == catalog, "merging text of two catalogs")
        var byID: [String: OfficialText] = [:]
        for t in texts { byID[t.entryID] = t }
        var order = texts.map(\.entryID)
        for u in update.texts {
            guard let old = byID[u.entryID] else {
                byID[u.entryID] = u
                order.append(u.entryID)
                continue
            }
            byID[u.entryID] = old.overlaid(with: u)
        }
        let families = update.families + self.families.filter { f in !update.families.contains { $0.id == f.id } }
        return ImportedCatalog(catalog: catalog, title: update.title, version: update.version, oscalVersion: update.oscalVersion,
                               families: families, texts: order.compactMap { byID[$0] }.sorted { $0.sortOrder < $1.sortOrder })
    }
}

extension OfficialText {
    /// This entry's text with `u`'s laid over it.
    func overlaid(with u: OfficialText) -> OfficialText {
        func pick(_ new: String, _ old: String) -> String { new.isEmpty ? old : new }
        func byKey<T>(_ old: [T], _ new: [T], key: (T) -> String) -> [T] {
            let replacing = Dictionary(new.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            let kept = old.map { replacing[key($0)] ?? $0 }
            let keys = Set(old.map(key))
            return kept + new.filter { !keys.contains(key($0)) }
        }
        return OfficialText(
            catalog: catalog, entryID: entryID, oscalID: pick(u.oscalID, oscalID), title: pick(u.title, title),
            statement: pick(u.statement, statement), guidance: pick(u.guidance, guidance),
            objectives: byKey(objectives, u.objectives, key: \.id), methods: byKey(methods, u.methods, key: \.method),
            parameters: byKey(parameters, u.parameters, key: \.id), family: pick(u.family, family), parent: u.parent ?? parent,
            sortOrder: sortOrder, titleEN: u.titleEN ?? titleEN)
    }
}
