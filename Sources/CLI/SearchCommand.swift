import ArgumentParser
import Foundation
import NASSearch

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

    @Option(help: "Space name (SearchSpaces/NAME.json) or file.") var space: String?
    @Option(help: "Comma-separated device ids, e.g. pi4,xu4.") var device: String?
    @Option(parsing: .unconditional, help: "Latency budget: 20ms, or pi4=20ms,xu4=35ms.") var latency: String?
    @Option(parsing: .unconditional, help: "Energy budget: 300mJ, or pi4=0.5J,….") var energy: String?
    @Option(parsing: .unconditional, help: "Memory budget: 64MiB, or pi4=1GiB,….") var memory: String?
    @Option(help: "Comma-separated: quality and DEVICE.METRIC (latency, energy, memory).") var objectives: String?
    @Option(help: "random, evolution or nsga2.") var algorithm: String?
    @Option(help: "Candidates to evaluate (default \(SearchDefaults.evaluations)).") var evaluations: Int?
    @Option(help: "Seed of every random choice (default \(SearchDefaults.seed)).") var seed: UInt64?
    @Option(help: "params, flops, synflow (default, \(QualitySpec.defaultSynflowResolution)px at most), synflow:full, synflow:N, or external:'COMMAND'.") var quality: String?
    @Option(name: .customLong("quality-timeout"), help: "Seconds an external quality command may run.") var qualityTimeout: Double?
    @Option(help: "Population of evolution or NSGA-II.") var population: Int?
    @Option(name: .customLong("sample-size"), help: "Tournament sample size of evolution.") var sampleSize: Int?
    @Option(help: "Folder that receives the run folder.") var out = "Runs"
    @Option(help: "Continue the interrupted run in this folder, with its own settings.") var resume: String?
    @Option(help: "Threads that evaluate candidates (results do not depend on it).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Candidates in the final table.") var top = 10

    func run() throws {
        guard jobs >= 1 else { throw SearchError("--jobs must be at least 1, got \(jobs)") }
        guard top >= 1 else { throw SearchError("--top must be at least 1, got \(top)") }
        let run: SearchRun
        let estimators: [any NetworkCostEstimator]
        if let resume {
            let given: [(String, Bool)] = [("--space", space != nil), ("--device", device != nil), ("--latency", latency != nil),
                                           ("--energy", energy != nil), ("--memory", memory != nil), ("--objectives", objectives != nil),
                                           ("--algorithm", algorithm != nil), ("--evaluations", evaluations != nil), ("--seed", seed != nil),
                                           ("--quality", quality != nil), ("--quality-timeout", qualityTimeout != nil),
                                           ("--population", population != nil), ("--sample-size", sampleSize != nil)]
            if let (option, _) = given.first(where: \.1) {
                throw SearchError("--resume continues \(resume) with the settings in its config.json; drop \(option)")
            }
            run = try SearchRun.open(resume)
            estimators = try makeEstimators(devices: run.configuration.devices)
            FileHandle.standardError.write(Data("resuming \(run.directory)\n".utf8))
        } else {
            let configuration = try resolveConfiguration()
            estimators = try makeEstimators(devices: configuration.devices)
            run = try SearchRun.create(configuration, estimators: estimators, in: out)
            FileHandle.standardError.write(Data("run: \(run.directory)\n".utf8))
        }
        let bar = SearchProgressBar()
        let result = try run.execute(estimators: estimators, jobs: jobs, top: top, progress: bar.update)
        bar.finish()
        try printResult(run: run, result: result, top: top)
    }

    /// Everything the command line says about a new run, checked and with defaults filled in.
    func resolveConfiguration() throws -> SearchConfiguration {
        guard let device else { throw SearchError("--device is required (e.g. --device pi4)") }
        let devices = try Budget.parseDevices(device)
        var budgets: [Budget] = []
        for (text, metric) in [(latency, CostMetric.latency), (energy, .energy), (memory, .memory)] {
            if let text { budgets += try Budget.parse(text, metric: metric, devices: devices) }
        }
        let explicit = try objectives.map { try Objective.parse($0, devices: devices) }
        let objectives = explicit ?? SearchDefaults.objectives(devices: devices, budgets: budgets)
        var algorithm = try algorithm.map(AlgorithmSettings.defaults(named:))
            ?? SearchDefaults.algorithm(devices: devices, budgets: budgets, explicitObjectives: explicit)
        switch algorithm {
        case .evolution(let p, let s, let b):
            let pop = population ?? p
            algorithm = .evolution(population: pop, sampleSize: sampleSize ?? min(s, pop), batch: b)
        case .nsga2(let p):
            if sampleSize != nil { throw SearchError("--sample-size applies to evolution only") }
            algorithm = .nsga2(population: population ?? p)
        case .random:
            if population != nil || sampleSize != nil { throw SearchError("--population and --sample-size do not apply to random search") }
        }
        try algorithm.validate()
        let evaluations = evaluations ?? SearchDefaults.evaluations
        guard evaluations >= 1 else { throw SearchError("--evaluations must be at least 1, got \(evaluations)") }
        let spec = try QualitySpec.parse(quality ?? "synflow", timeoutSeconds: qualityTimeout ?? QualitySpec.defaultExternalTimeout)
        if qualityTimeout != nil, case .external = spec {} else if qualityTimeout != nil {
            throw SearchError("--quality-timeout applies to --quality external:COMMAND only")
        }
        let (space, path) = try SearchSpace.locate(space ?? SearchDefaults.space)
        return SearchConfiguration(space: space, spaceSource: path, devices: devices, budgets: budgets, objectives: objectives,
                                   quality: spec, settings: SearchSettings(algorithm: algorithm, evaluations: evaluations,
                                                                           seed: seed ?? SearchDefaults.seed),
                                   created: "")
    }
}

/// The end-of-run report on standard output: counts, notes, and the top candidates (shared by `search` and `show`).
func printResult(run: SearchRun, result: SearchResult, top: Int) throws {
    let report = RunReport(configuration: run.configuration, result: result, genome: run.genome)
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
