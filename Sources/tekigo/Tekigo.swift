import ArgumentParser

@main
struct Tekigo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tekigo",
        abstract: say(ja: "Tekigo（適合）— 防衛サプライチェーンのための NIST SP 800-171 / CMMC / 防衛産業サイバーセキュリティ基準への適合支援。", en: "Tekigo (適合) — NIST SP 800-171 / CMMC / 防衛産業サイバーセキュリティ基準 compliance for defense supply chains."),
        version: "0.1.0",
        subcommands: [InitCommand.self, AssessCommand.self, ScoreCommand.self, StatusCommand.self, POAMCommand.self,
                      ExportCommand.self, CatalogCommand.self, ServeCommand.self, MigrateCommand.self,
                      AdminCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self,
                      BenchCommand.self, DemoCommand.self, OrgCommand.self, EvidenceCommand.self,
                      RollupCommand.self, AttestCommand.self, IncidentCommand.self, ExerciseCommand.self, STIXCommand.self,
                      CommunityCommand.self, TAXIICommand.self, CloudCommand.self,
                      RemoteCommand.self, PullCommand.self, PushCommand.self])
}
