import ArgumentParser
import NASSearch

/// `nas show`: the report of a run, finished or not.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a search run's counts and its top candidates.")

    @Argument(help: "Run folder (Runs/<timestamp>-<slug>).") var runDirectory: String
    @Option(help: "Candidates in the table.") var top = 10

    func validate() throws {
        try OptionCheck.atLeast(1, top, "--top")
    }

    func run() throws {
        let r = try SearchRun.open(runDirectory)
        let c = r.configuration
        print("space \(c.space.name), devices \(c.devices.joined(separator: ",")), algorithm \(c.settings.algorithm.name), seed \(c.settings.seed), quality \(c.quality)")
        if !c.budgets.isEmpty { print("budgets: \(c.budgets.map(\.description).joined(separator: "; "))") }
        let result = try r.result()
        if result.candidates.count < c.settings.evaluations {
            print("unfinished: \(result.candidates.count) of \(c.settings.evaluations) evaluations (continue with nas search --resume \(runDirectory)); architecture files are written when it finishes, nas export writes one now")
        }
        try printResult(run: r, result: result, top: top)
    }
}
