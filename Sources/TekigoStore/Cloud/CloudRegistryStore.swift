import Foundation
import SQLKit
import TekigoCore

// The platform-wide cloud provider registry (migration 20, issue 15 items 1 and 2). The use-case layer
// (`CloudRegistryUseCases`) checks who may and writes the audit entry in the same transaction as `replace` and
// `saveISMAP`. Reads are open to any caller: the registry holds public lists.

/// The FedRAMP Marketplace products of the newest import, their links, what each import changed, and the ISMAP records.
public struct CloudRegistryStore: Sendable {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) { self.db = db }

    /// Results a search returns at most.
    public static let searchLimit = 50

    static let productColumns = """
        package_id, csp, cso, status, impact_level, auth_type, auth_date, annual_assessment, independent_assessor, service_models, \
        deployment_model, agency_authorizations, reuse_count, description, website, import_id
        """

    static func text(_ row: any SQLRow, _ column: String) throws -> String { try row.decode(column: column, as: String.self) }
    static func optionalText(_ row: any SQLRow, _ column: String) throws -> String? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
    }

    static func product(_ row: any SQLRow) throws -> CloudProduct {
        let t = text, o = optionalText
        let models = try t(row, "service_models")
        guard let list = try? JSONDecoder().decode([String].self, from: Data(models.utf8)) else {
            throw CloudRegistryStoreError.corruptRow("service_models '\(models)'")
        }
        return CloudProduct(packageID: try t(row, "package_id"), csp: try t(row, "csp"), cso: try t(row, "cso"), status: try t(row, "status"),
                            impactLevel: try t(row, "impact_level"), authType: try o(row, "auth_type"), authDate: try o(row, "auth_date"),
                            annualAssessment: try o(row, "annual_assessment"), independentAssessor: try o(row, "independent_assessor"),
                            serviceModels: list, deploymentModel: try o(row, "deployment_model"),
                            agencyAuthorizations: try row.decode(column: "agency_authorizations", as: Int.self),
                            reuse: try row.decode(column: "reuse_count", as: Int.self), description: try o(row, "description"),
                            website: try o(row, "website"), importID: try t(row, "import_id"))
    }

    // MARK: - Products

    /// The product with this package id in the newest import; nil when the registry has none.
    public func product(packageID: String, on s: (any SQLDatabase)? = nil) async throws -> CloudProduct? {
        try await (s ?? db.sql).raw("SELECT \(unsafeRaw: Self.productColumns) FROM cloud_products WHERE package_id = \(bind: packageID)")
            .first().map(Self.product)
    }

    /// The products with these package ids that the registry has, by package id.
    public func products(packageIDs: [String], on s: (any SQLDatabase)? = nil) async throws -> [String: CloudProduct] {
        var out: [String: CloudProduct] = [:]
        let unique = Array(Set(packageIDs))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let rows = try await (s ?? db.sql).select().columns(SQLRaw(Self.productColumns)).from("cloud_products")
                .where("package_id", .in, chunk).all()
            for row in rows {
                let p = try Self.product(row)
                out[p.packageID] = p
            }
        }
        return out
    }

    /// How many products the registry holds.
    public func productCount(on s: (any SQLDatabase)? = nil) async throws -> Int {
        try await (s ?? db.sql).raw("SELECT COUNT(*) AS n FROM cloud_products").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Products whose package id, CSP or offering contains every term of `query` (folded by `FedRAMPSearchText`: case
    /// and full-/half-width insensitive, Japanese as typed). An exact package id first, then those starting with the
    /// first term, then by CSP and offering; at most `limit`. An empty query finds nothing.
    public func search(_ query: String, limit: Int = CloudRegistryStore.searchLimit, on s: (any SQLDatabase)? = nil) async throws -> [CloudProduct] {
        let terms = FedRAMPSearchText.terms(query)
        guard let first = terms.first else { return [] }
        var q = SQLQueryString("SELECT \(Self.productColumns) FROM cloud_products WHERE 1 = 1")
        for term in terms {
            q.appendLiteral(" AND search_text LIKE ")
            q.appendInterpolation(bind: "%" + Self.likeEscaped(term) + "%")
            q.appendLiteral(" ESCAPE '\\'")
        }
        q.appendLiteral(" ORDER BY CASE WHEN LOWER(package_id) = ")
        q.appendInterpolation(bind: first)
        q.appendLiteral(" THEN 0 WHEN search_text LIKE ")
        q.appendInterpolation(bind: Self.likeEscaped(first) + "%")
        q.appendLiteral(" ESCAPE '\\' THEN 1 ELSE 2 END, csp, cso, package_id LIMIT ")
        q.appendLiteral(String(max(1, min(limit, 500))))
        return try await (s ?? db.sql).raw(q).all().map(Self.product)
    }

    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func searchText(packageID: String, csp: String, cso: String) -> String {
        FedRAMPSearchText.fold("\(packageID)\n\(csp)\n\(cso)")
    }

    /// The products `packageID` builds on: those whose `leveraged_systems` name it. By CSP and offering.
    public func buildsOn(packageID: String, on s: (any SQLDatabase)? = nil) async throws -> [CloudProduct] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.productColumns) FROM cloud_products WHERE package_id IN (
                SELECT provider_id FROM cloud_product_links WHERE consumer_id = \(bind: packageID)) ORDER BY csp, cso, package_id
            """).all().map(Self.product)
    }

    /// The products built on `packageID`: those its `leveraged_systems` names. By CSP and offering.
    public func builtOnIt(packageID: String, on s: (any SQLDatabase)? = nil) async throws -> [CloudProduct] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.productColumns) FROM cloud_products WHERE package_id IN (
                SELECT consumer_id FROM cloud_product_links WHERE provider_id = \(bind: packageID)) ORDER BY csp, cso, package_id
            """).all().map(Self.product)
    }

    /// How many links between products the registry holds.
    public func linkCount(on s: (any SQLDatabase)? = nil) async throws -> Int {
        try await (s ?? db.sql).raw("SELECT COUNT(*) AS n FROM cloud_product_links").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: - Changes and imports

    static let changeColumns = "id, import_id, package_id, field, old_value, new_value, changed_on, recorded_at"

    static func change(_ row: any SQLRow) throws -> CloudProductChange {
        let field = try text(row, "field")
        guard let f = CloudProductField(rawValue: field) else { throw CloudRegistryStoreError.corruptRow("change field '\(field)'") }
        return CloudProductChange(id: try text(row, "id"), importID: try text(row, "import_id"), packageID: try text(row, "package_id"),
                                  field: f, oldValue: try optionalText(row, "old_value"), newValue: try optionalText(row, "new_value"),
                                  changedOn: try text(row, "changed_on"), recordedAt: try text(row, "recorded_at"))
    }

    /// What imports changed for this product, newest first.
    public func changes(packageID: String, on s: (any SQLDatabase)? = nil) async throws -> [CloudProductChange] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.changeColumns) FROM cloud_product_changes WHERE package_id = \(bind: packageID)
            ORDER BY changed_on DESC, recorded_at DESC, field
            """).all().map(Self.change)
    }

    /// What one import changed, by package id and field.
    public func changes(importID: String, on s: (any SQLDatabase)? = nil) async throws -> [CloudProductChange] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.changeColumns) FROM cloud_product_changes WHERE import_id = \(bind: importID) ORDER BY package_id, field
            """).all().map(Self.change)
    }

    static let importColumns = """
        id, imported_at, imported_by, file_name, file_sha256, file_date, product_count, link_count, warning_count, change_count
        """

    static func importRecord(_ row: any SQLRow) throws -> CloudRegistryImportRecord {
        CloudRegistryImportRecord(id: try text(row, "id"), importedAt: try text(row, "imported_at"), importedBy: try text(row, "imported_by"),
                                  fileName: try text(row, "file_name"), fileSHA256: try text(row, "file_sha256"),
                                  fileDate: try optionalText(row, "file_date"), productCount: try row.decode(column: "product_count", as: Int.self),
                                  linkCount: try row.decode(column: "link_count", as: Int.self),
                                  warningCount: try row.decode(column: "warning_count", as: Int.self),
                                  changeCount: try row.decode(column: "change_count", as: Int.self))
    }

    /// Every import, newest first.
    public func imports(limit: Int = 100, on s: (any SQLDatabase)? = nil) async throws -> [CloudRegistryImportRecord] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.importColumns) FROM cloud_registry_imports ORDER BY imported_at DESC, id DESC LIMIT \(literal: max(1, min(limit, 1000)))
            """).all().map(Self.importRecord)
    }

    /// The newest import, nil before the first.
    public func latestImport(on s: (any SQLDatabase)? = nil) async throws -> CloudRegistryImportRecord? {
        try await imports(limit: 1, on: s).first
    }

    /// One import at a time: on PostgreSQL an exclusive lock on the imports table until the caller's transaction ends
    /// (SQLite's BEGIN IMMEDIATE already serializes writers). `replace` takes it; a caller that reads the registry as
    /// it was before replacing it (the alerts' standings before) takes it first, so no other import slips in between.
    public func lockForImport(on s: any SQLDatabase) async throws {
        if db.engine == .postgres { try await s.raw("LOCK TABLE cloud_registry_imports IN EXCLUSIVE MODE").run() }
    }

    /// Replaces the registry's products and links with `file`'s, in the caller's transaction `s`, and records the import
    /// and what changed per product against the products it replaces (nothing on the first import). The caller adds
    /// the audit entry in the same transaction, so a failure anywhere leaves the previous registry whole.
    public func replace(with file: FedRAMPMarketplaceFile, fileName: String, fileSHA256: String, importedBy: String, now: Date,
                        on s: any SQLDatabase) async throws -> CloudRegistryImportResult {
        try await lockForImport(on: s)
        let importID = UUID().uuidString.lowercased()
        let recordedAt = Timestamp.string(now)
        let changedOn = file.fileDate ?? String(recordedAt.prefix(10))

        // The products being replaced, as the fields a change is recorded for.
        let hadImport = try await s.raw("SELECT id FROM cloud_registry_imports LIMIT 1").first() != nil
        var previous: [String: FedRAMPProduct] = [:]
        if hadImport {
            for row in try await s.raw("""
                SELECT package_id, csp, cso, status, impact_level, annual_assessment, independent_assessor FROM cloud_products
                """).all() {
                let id = try Self.text(row, "package_id")
                previous[id] = FedRAMPProduct(packageID: id, csp: try Self.text(row, "csp"), cso: try Self.text(row, "cso"),
                                              status: try Self.text(row, "status"), impactLevel: try Self.text(row, "impact_level"),
                                              annualAssessment: try Self.optionalText(row, "annual_assessment"),
                                              independentAssessor: try Self.optionalText(row, "independent_assessor"))
            }
        }
        var changes: [CloudProductChange] = []
        if hadImport {
            let current = Dictionary(uniqueKeysWithValues: file.products.map { ($0.packageID, $0) })
            for id in Set(previous.keys).union(current.keys).sorted() {
                for d in CloudProductField.differences(old: previous[id], new: current[id]) {
                    changes.append(CloudProductChange(id: UUID().uuidString.lowercased(), importID: importID, packageID: id, field: d.field,
                                                      oldValue: d.old, newValue: d.new, changedOn: changedOn, recordedAt: recordedAt))
                }
            }
        }
        let links = file.links
        let record = CloudRegistryImportRecord(id: importID, importedAt: recordedAt, importedBy: importedBy, fileName: fileName,
                                               fileSHA256: fileSHA256, fileDate: file.fileDate, productCount: file.products.count,
                                               linkCount: links.count, warningCount: file.warnings.count, changeCount: changes.count)
        try await s.insert(into: "cloud_registry_imports")
            .columns("id", "imported_at", "imported_by", "file_name", "file_sha256", "file_date", "product_count", "link_count",
                     "warning_count", "change_count")
            .values(SQLBind(importID), SQLBind(recordedAt), SQLBind(importedBy), SQLBind(fileName), SQLBind(fileSHA256),
                    SQLBind(file.fileDate), SQLBind(record.productCount), SQLBind(record.linkCount), SQLBind(record.warningCount),
                    SQLBind(record.changeCount)).run()

        try await s.raw("DELETE FROM cloud_product_links").run()
        try await s.raw("DELETE FROM cloud_products").run()
        let encoder = JSONEncoder()
        for start in stride(from: 0, to: file.products.count, by: 200) {
            var insert = s.insert(into: "cloud_products")
                .columns("package_id", "csp", "cso", "status", "impact_level", "auth_type", "auth_date", "annual_assessment",
                         "independent_assessor", "service_models", "deployment_model", "agency_authorizations", "reuse_count",
                         "description", "website", "search_text", "import_id")
            for p in file.products[start..<min(start + 200, file.products.count)] {
                let models = String(decoding: try encoder.encode(p.serviceModels), as: UTF8.self)
                insert = insert.values(SQLBind(p.packageID), SQLBind(p.csp), SQLBind(p.cso), SQLBind(p.status), SQLBind(p.impactLevel),
                                       SQLBind(p.authType), SQLBind(p.authDate), SQLBind(p.annualAssessment), SQLBind(p.independentAssessor),
                                       SQLBind(models), SQLBind(p.deploymentModel), SQLBind(p.agencyAuthorizations), SQLBind(p.reuse),
                                       SQLBind(p.description), SQLBind(p.website),
                                       SQLBind(Self.searchText(packageID: p.packageID, csp: p.csp, cso: p.cso)), SQLBind(importID))
            }
            try await insert.run()
        }
        for start in stride(from: 0, to: links.count, by: 1000) {
            var insert = s.insert(into: "cloud_product_links").columns("provider_id", "consumer_id")
            for l in links[start..<min(start + 1000, links.count)] {
                insert = insert.values(SQLBind(l.provider), SQLBind(l.consumer))
            }
            try await insert.run()
        }
        for start in stride(from: 0, to: changes.count, by: 500) {
            var insert = s.insert(into: "cloud_product_changes")
                .columns("id", "import_id", "package_id", "field", "old_value", "new_value", "changed_on", "recorded_at")
            for c in changes[start..<min(start + 500, changes.count)] {
                insert = insert.values(SQLBind(c.id), SQLBind(c.importID), SQLBind(c.packageID), SQLBind(c.field.rawValue),
                                       SQLBind(c.oldValue), SQLBind(c.newValue), SQLBind(c.changedOn), SQLBind(c.recordedAt))
            }
            try await insert.run()
        }
        return CloudRegistryImportResult(record: record, warnings: file.warnings, changes: changes)
    }

    // MARK: - ISMAP

    static let ismapColumns = """
        registration_number, kind, service_name, provider, scope, control_objectives, audit_start, audit_end, subsequent_events, \
        valid_through, created_at, created_by, updated_at, updated_by
        """

    static func ismapEntry(_ row: any SQLRow) throws -> ISMAPEntry {
        let t = text
        let kind = try t(row, "kind")
        guard let k = ISMAPKind(rawValue: kind) else { throw CloudRegistryStoreError.corruptRow("ISMAP kind '\(kind)'") }
        func day(_ column: String) throws -> Day {
            let v = try t(row, column)
            guard let d = Day(v) else { throw CloudRegistryStoreError.corruptRow("ISMAP \(column) '\(v)'") }
            return d
        }
        let record = ISMAPRecord(registrationNumber: try t(row, "registration_number"), kind: k, serviceName: try t(row, "service_name"),
                                 provider: try t(row, "provider"), scope: try t(row, "scope"), controlObjectives: try t(row, "control_objectives"),
                                 auditPeriodStart: try day("audit_start"), auditPeriodEnd: try day("audit_end"),
                                 subsequentEvents: try t(row, "subsequent_events"))
        return ISMAPEntry(record: record, validThrough: try day("valid_through"), createdAt: try t(row, "created_at"),
                          createdBy: try t(row, "created_by"), updatedAt: try t(row, "updated_at"), updatedBy: try t(row, "updated_by"))
    }

    /// The ISMAP or ISMAP-LIU record with this registration number.
    public func ismapRecord(number: String, on s: (any SQLDatabase)? = nil) async throws -> ISMAPRecord? {
        try await ismapEntry(number: number, on: s)?.record
    }

    /// The same with its validity and who entered it.
    public func ismapEntry(number: String, on s: (any SQLDatabase)? = nil) async throws -> ISMAPEntry? {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.ismapColumns) FROM ismap_records WHERE registration_number = \(bind: number)
            """).first().map(Self.ismapEntry)
    }

    /// The ISMAP records with these registration numbers that the registry has, by number (one query per 500 numbers).
    public func ismapRecords(numbers: [String], on s: (any SQLDatabase)? = nil) async throws -> [String: ISMAPRecord] {
        var out: [String: ISMAPRecord] = [:]
        let unique = Array(Set(numbers))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            for row in try await (s ?? db.sql).select().columns(SQLRaw(Self.ismapColumns)).from("ismap_records")
                .where("registration_number", .in, chunk).all() {
                let r = try Self.ismapEntry(row).record
                out[r.registrationNumber] = r
            }
        }
        return out
    }

    /// Every ISMAP record, or those whose number, service or provider contains every term of `query`; by kind, provider
    /// and service.
    public func ismapEntries(matching query: String = "", on s: (any SQLDatabase)? = nil) async throws -> [ISMAPEntry] {
        var q = SQLQueryString("SELECT \(Self.ismapColumns) FROM ismap_records WHERE 1 = 1")
        for term in FedRAMPSearchText.terms(query) {
            q.appendLiteral(" AND search_text LIKE ")
            q.appendInterpolation(bind: "%" + Self.likeEscaped(term) + "%")
            q.appendLiteral(" ESCAPE '\\'")
        }
        q.appendLiteral(" ORDER BY kind, provider, service_name, registration_number")
        return try await (s ?? db.sql).raw(q).all().map(Self.ismapEntry)
    }

    /// ISMAP records whose validity ends on or before `day` (for reminders), soonest first.
    public func ismapEntries(validThroughOnOrBefore day: Day, on s: (any SQLDatabase)? = nil) async throws -> [ISMAPEntry] {
        try await (s ?? db.sql).raw("""
            SELECT \(unsafeRaw: Self.ismapColumns) FROM ismap_records WHERE valid_through <= \(bind: day.description)
            ORDER BY valid_through, registration_number
            """).all().map(Self.ismapEntry)
    }

    /// Adds or replaces the record with `record`'s registration number (already validated), in the caller's
    /// transaction; returns whether it was new.
    @discardableResult
    public func saveISMAP(_ record: ISMAPRecord, by actor: String, now: Date, on s: any SQLDatabase) async throws -> Bool {
        let at = Timestamp.string(now)
        let search = FedRAMPSearchText.fold("\(record.registrationNumber)\n\(record.serviceName)\n\(record.provider)")
        let validThrough = record.validity.validThrough.description
        let exists = try await s.raw("SELECT registration_number FROM ismap_records WHERE registration_number = \(bind: record.registrationNumber)")
            .first() != nil
        if exists {
            try await s.update("ismap_records")
                .set("kind", to: SQLBind(record.kind.rawValue)).set("service_name", to: SQLBind(record.serviceName))
                .set("provider", to: SQLBind(record.provider)).set("scope", to: SQLBind(record.scope))
                .set("control_objectives", to: SQLBind(record.controlObjectives))
                .set("audit_start", to: SQLBind(record.auditPeriodStart.description)).set("audit_end", to: SQLBind(record.auditPeriodEnd.description))
                .set("subsequent_events", to: SQLBind(record.subsequentEvents)).set("valid_through", to: SQLBind(validThrough))
                .set("search_text", to: SQLBind(search)).set("updated_at", to: SQLBind(at)).set("updated_by", to: SQLBind(actor))
                .where("registration_number", .equal, record.registrationNumber).run()
            return false
        }
        try await s.insert(into: "ismap_records")
            .columns("registration_number", "kind", "service_name", "provider", "scope", "control_objectives", "audit_start", "audit_end",
                     "subsequent_events", "valid_through", "search_text", "created_at", "created_by", "updated_at", "updated_by")
            .values(SQLBind(record.registrationNumber), SQLBind(record.kind.rawValue), SQLBind(record.serviceName), SQLBind(record.provider),
                    SQLBind(record.scope), SQLBind(record.controlObjectives), SQLBind(record.auditPeriodStart.description),
                    SQLBind(record.auditPeriodEnd.description), SQLBind(record.subsequentEvents), SQLBind(validThrough), SQLBind(search),
                    SQLBind(at), SQLBind(actor), SQLBind(at), SQLBind(actor)).run()
        return true
    }

    /// Removes the record; returns whether there was one.
    @discardableResult
    public func deleteISMAP(number: String, on s: any SQLDatabase) async throws -> Bool {
        let had = try await s.raw("SELECT registration_number FROM ismap_records WHERE registration_number = \(bind: number)").first() != nil
        if had { try await s.delete(from: "ismap_records").where("registration_number", .equal, number).run() }
        return had
    }
}
