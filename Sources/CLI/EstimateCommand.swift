import ArgumentParser
import NASArchitecture

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "estimate", abstract: "Per-layer analytic figures of an architecture.")
    @Argument(help: "Architecture JSON file.") var architecture: String
    func run() throws {
        let a = try Architecture.load(path: architecture)
        print(try a.resolved().figures().params)
    }
}
