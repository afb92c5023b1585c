import ArgumentParser
import NASSearch

/// The options of `nas search` that define a run; its config.json records them, and `--resume` takes them from there.
struct SearchDefinitionOptions: ParsableArguments {
    @Option(help: "Space name (SearchSpaces/NAME.json) or file.") var space: String?
    @Option(help: "Comma-separated device ids, e.g. pi4,xu4.", transform: DeviceList.parse) var device: DeviceList?
    @Option(parsing: .unconditional, help: "Latency budget: 20ms, or pi4=20ms,xu4=35ms.", transform: LatencyBudget.parse)
    var latency: LatencyBudget?
    @Option(parsing: .unconditional, help: "Energy budget: 300mJ, or pi4=0.5J,….", transform: EnergyBudget.parse)
    var energy: EnergyBudget?
    @Option(parsing: .unconditional, help: "Memory budget: 64MiB, or pi4=1GiB,….", transform: MemoryBudget.parse)
    var memory: MemoryBudget?
    @Option(help: "Comma-separated: quality and DEVICE.METRIC (latency, energy, memory).") var objectives: String?
    @Option(help: "Search algorithm (default: evolution for a single objective or one budgeted device, else nsga2).") var algorithm: AlgorithmArgument?
    @Option(help: "Candidates to evaluate (default \(SearchDefaults.evaluations)).") var evaluations: Int?
    @Option(help: "Seed of every random choice (default \(SearchDefaults.seed)).") var seed: UInt64?
    @Option(help: "params, flops, synflow (default, \(QualitySpec.defaultSynflowResolution)px at most), synflow:full, synflow:N, or external:'COMMAND'.",
            transform: QualityArgument.parse)
    var quality: QualityArgument?
    @Option(name: .customLong("quality-timeout"), help: "Seconds an external quality command may run.") var qualityTimeout: Double?
    @Option(help: "Population of evolution or NSGA-II.") var population: Int?
    @Option(name: .customLong("sample-size"), help: "Tournament sample size of evolution.") var sampleSize: Int?
    @Option(help: "A latency budget is met when the calibrated upper bound at this confidence is within it (default \(SearchDefaults.confidence); 0: the point prediction). Devices without a calibrated bound are checked on the prediction, and the run says so.")
    var confidence: Double?

    /// The options given, as spelled on the command line.
    var given: [String] {
        let values: [(String, Any?)] = [
            ("--space", space), ("--device", device), ("--latency", latency), ("--energy", energy), ("--memory", memory),
            ("--objectives", objectives), ("--algorithm", algorithm), ("--evaluations", evaluations), ("--seed", seed),
            ("--quality", quality), ("--quality-timeout", qualityTimeout), ("--population", population),
            ("--sample-size", sampleSize), ("--confidence", confidence),
        ]
        return values.filter { $0.1 != nil }.map(\.0)
    }

    /// A new run's configuration, with defaults filled in.
    func configuration() throws -> SearchConfiguration {
        let s = try settings()
        let (space, path) = try SearchSpace.locate(space ?? SearchDefaults.space)
        return SearchConfiguration(space: space, spaceSource: path, devices: s.devices, budgets: s.budgets,
                                   objectives: s.objectives, quality: s.quality, settings: s.search,
                                   latencyBounds: LatencyBounds(confidence: s.confidence), created: "")
    }

    /// Everything but the space: every rule between these options, checked without reading a file.
    func settings() throws -> Settings {
        guard let device else { throw ValidationError("--device is required (e.g. --device pi4)") }
        let devices = device.ids
        let budgets = try [latency?.budgets(devices: device), energy?.budgets(devices: device),
                           memory?.budgets(devices: device)].compactMap { $0 }.flatMap { $0 }
        let explicit = try objectives.map { try Objective.parse($0, devices: devices) }
        let algorithm = try algorithmSettings(
            algorithm?.defaults ?? SearchDefaults.algorithm(devices: devices, budgets: budgets, explicitObjectives: explicit))
        let evaluations = evaluations ?? SearchDefaults.evaluations
        try OptionCheck.atLeast(1, evaluations, "--evaluations")
        let confidence = confidence ?? SearchDefaults.confidence
        do { try LatencyBounds.check(confidence: confidence) } catch let e as SearchError { throw ValidationError(e.description) }
        return Settings(devices: devices, budgets: budgets, confidence: confidence,
                        objectives: explicit ?? SearchDefaults.objectives(devices: devices, budgets: budgets),
                        quality: try qualitySpec(),
                        search: SearchSettings(algorithm: algorithm, evaluations: evaluations, seed: seed ?? SearchDefaults.seed))
    }

    /// `defaults` adjusted by `--population` and `--sample-size`, where they apply.
    private func algorithmSettings(_ defaults: AlgorithmSettings) throws -> AlgorithmSettings {
        let algorithm: AlgorithmSettings
        switch defaults {
        case .evolution(let p, let s, let b):
            let pop = population ?? p
            algorithm = .evolution(population: pop, sampleSize: sampleSize ?? min(s, pop), batch: b)
        case .nsga2(let p):
            if sampleSize != nil { throw ValidationError("--sample-size applies to evolution only") }
            algorithm = .nsga2(population: population ?? p)
        case .random:
            if population != nil || sampleSize != nil { throw ValidationError("--population and --sample-size do not apply to random search") }
            algorithm = defaults
        }
        try algorithm.validate()
        return algorithm
    }

    private func qualitySpec() throws -> QualitySpec {
        let quality = self.quality ?? .synflow
        guard let qualityTimeout else { return quality.spec }
        guard quality.isExternal else { throw ValidationError("--quality-timeout applies to --quality external:COMMAND only") }
        try OptionCheck.seconds(qualityTimeout, "--quality-timeout")
        return quality.timed(qualityTimeout)
    }

    /// What the options say about a run, apart from its space.
    struct Settings {
        var devices: [String]
        var budgets: [Budget]
        var confidence: Double
        var objectives: [Objective]
        var quality: QualitySpec
        var search: SearchSettings
    }
}
