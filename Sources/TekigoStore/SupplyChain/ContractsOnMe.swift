import SQLKit
import TekigoCore

extension RelationshipStore {
    /// The contracts the acting organization holds as a supplier (its customers set them), by customer and number:
    /// what widens its regime (`ComplianceRegime.effective(contracts:)`, issue 17 item 3).
    public func contractsOnMe() async throws -> [ContractRecord] {
        try await db.sql.select().columns("*").from("contracts").where("supplier_id", .equal, organizationID)
            .orderBy("customer_id").orderBy("number").all()
            .map { try $0.decode(model: ContractRecord.self, with: Self.fromSnake) }
    }
}
