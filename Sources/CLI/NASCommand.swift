import ArgumentParser

/// The `nas` command: hardware-aware neural architecture search.
public struct NASCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nas",
        abstract: "Hardware-aware neural architecture search with learnt per-device cost predictors.",
        subcommands: [EstimateCommand.self, TrainCommand.self, CalibrateCommand.self, DevicesCommand.self, PredictorsCommand.self, PredictCommand.self, BenchCommand.self, ProfileCommand.self, AgentCommand.self, SearchCommand.self, ShowCommand.self, ExportCommand.self, SynflowAgreementCommand.self, ParetoCommand.self, ExploreCommand.self, VerifyCommand.self, ValidateCommand.self]
    )
    public init() {}
}
