import ArgumentParser

/// `tekigo cloud …` (issue 15): the cloud services a supplier's CUI sits in. The registry (FedRAMP Marketplace, ISMAP)
/// is in CloudRegistryCommands.swift; the services an organization uses and responsibility matrices add their
/// subcommands to this list from their own files.
struct CloudCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: say(ja: "クラウドサービス: FedRAMP Marketplace と ISMAP の登録情報、組織が使うサービス。", en: "Cloud services: the FedRAMP Marketplace and ISMAP registry, the services an organization uses."),
        discussion: say(ja: """
            例:
              tekigo cloud import-fedramp marketplace-data-2026-04-28.json
              tekigo cloud search Microsoft
              tekigo cloud show FR1704369518 --format json
              tekigo cloud ismap add --number C23-0001-2 --kind ISMAP --service … --provider … --scope … \\
                --objectives … --audit-start 2024-04-01 --audit-end 2025-03-31
              tekigo cloud ismap list
              tekigo cloud crm import crm.csv --service fedramp:FR1704369518 --org … --evidence "CRM 2026-03"
            """, en: """
            Examples:
              tekigo cloud import-fedramp marketplace-data-2026-04-28.json
              tekigo cloud search Microsoft
              tekigo cloud show FR1704369518 --format json
              tekigo cloud ismap add --number C23-0001-2 --kind ISMAP --service … --provider … --scope … \\
                --objectives … --audit-start 2024-04-01 --audit-end 2025-03-31
              tekigo cloud ismap list
              tekigo cloud crm import crm.csv --service fedramp:FR1704369518 --org … --evidence "CRM 2026-03"
            """),
        subcommands: [
            CloudImportFedRAMP.self, CloudSearch.self, CloudShow.self, CloudISMAPCommand.self,
            CloudServices.self, CloudUse.self,
            CloudCRMCommand.self, CloudInheritCommand.self,
        ])
}
