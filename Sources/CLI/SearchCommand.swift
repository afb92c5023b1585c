import ArgumentParser
import Foundation
import NASMeasurement
import NASSearch
import NASVerification

/// `nas search`: find the best architectures of a space that meet per-device budgets.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a space for architectures that meet per-device budgets (resumable).",
        discussion: """
            Budgets are hard constraints with units: --latency 20ms|500us|0.02s, --energy 0.5J|300mJ, \
            --memory 64MiB|1GiB. One value applies to every --device; DEVICE=VALUE pairs set per-device budgets \
            (--latency pi4=20ms,xu4=35ms). Objectives default to quality plus every budgeted metric; the algorithm \
            defaults to evolution for one device under budgets and NSGA-II for several objectives. Each run writes \
            Runs/<UTC-timestamp>-<slug>/ (docs/search.md); --resume RUN continues an interrupted one exactly.
            """
    )

    @OptionGroup var definition: SearchDefinitionOptions
    @Option(help: "Folder that receives the run folder.") var out = "Runs"
    @Option(help: "Continue the interrupted run in this folder, with its own settings.") var resume: String?
    @Option(help: "Threads that evaluate candidates (results do not depend on it).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Candidates in the final table.") var top = 10

    func validate() throws {
        try OptionCheck.atLeast(1, jobs, "--jobs")
        try OptionCheck.atLeast(1, top, "--top")
        if let resume {
            if let option = definition.given.first {
                throw ValidationError("--resume continues \(resume) with the settings in its config.json; drop \(option)")
            }
        } else {
            _ = try definition.settings()
        }
    }

    func run() throws {
        let run: SearchRun
        let estimators: [any NetworkCostEstimator]
        // Said once the first batch is through: a candidate log that does not read, or does not belong to the
        // run, then fails with its error line alone.
        var resuming: String?
        if let resume {
            run = try SearchRun.open(resume)
            estimators = try makeEstimators(devices: run.configuration.devices)
            resuming = "resuming \(run.directory)\n"
        } else {
            let configuration = try definition.configuration()
            estimators = try makeEstimators(devices: configuration.devices)
            run = try SearchRun.create(configuration, estimators: estimators, in: out)
            FileHandle.standardError.write(Data("run: \(run.directory)\n".utf8))
            if let note = HostDriftNote.line(run.configuration, estimators) { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            for line in run.configuration.latencyBudgetNotes { FileHandle.standardError.write(Data("note: \(line)\n".utf8)) }
        }
        let bar = SearchProgressBar()
        let result = try run.execute(estimators: estimators, jobs: jobs, top: top) { progress in
            if let note = resuming { FileHandle.standardError.write(Data(note.utf8)); resuming = nil }
            bar.update(progress)
        }
        bar.finish()
        try printResult(run: run, result: result, top: top)
    }
}

/// The end-of-run report on standard output: counts, notes, and the top candidates (shared by `search` and `show`).
func printResult(run: SearchRun, result: SearchResult, top: Int) throws {
    let report = RunReport(configuration: run.configuration, result: result, genome: run.genome)
    UncalibratedWarning.emit(run.configuration)
    print(report.headline)
    if let note = run.configuration.qualityNote { print("note: \(note)") }
    if let message = result.infeasibilityMessage {
        throw SearchError("\(message); the run is in \(run.directory)")
    }
    if !result.front.isEmpty {
        print("")
        print(report.topTable(top, directory: run.directory).plain, terminator: "")
    }
}

/// Before a search leans on the host's calibrated bound: whether this machine still runs as it did when it was
/// calibrated (one zoo network of the calibration set re-timed, a fraction of a second); said only when it does not.
enum HostDriftNote {
    static func line(_ configuration: SearchConfiguration, _ estimators: [any NetworkCostEstimator]) -> String? {
        guard configuration.latencyBounds.factors["host"] != nil,
              let predictor = estimators.compactMap({ ($0 as? PredictorCostEstimator)?.predictor }).first(where: { $0.id == "host" }),
              let backend = try? HostBackend(),
              let drift = try? CalibrationDrift.measure(predictor, backend: backend),
              abs(drift.ratio - 1) > 0.05 else { return nil }
        return "host " + drift.line + "; recalibrate with `nas calibrate --device host` if it persists"
    }
}
