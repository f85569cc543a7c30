import ArgumentParser

/// `cobro` — the command-line interface (DESIGN §6 names are stable).
@main
struct Cobro: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cobro",
        abstract: "Cobro: accounts-receivable collections — ledger, imports, reports, API.",
        subcommands: [
            DemoCommand.self, ServeCommand.self, MigrateCommand.self, ImportCommand.self, ReportCommand.self,
            DunningCommand.self, TokenCommand.self, CompanyCommand.self, BenchCommand.self, CollectorsCommand.self, PortfolioCommand.self,
            WorklistCommand.self, UserCommand.self, RetentionCommand.self, AttachmentsCommand.self, WriteOffsCommand.self, AgencyCommand.self, ModelCommand.self,
        ])
}
