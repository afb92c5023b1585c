import ArgumentParser
import Foundation
import NASAnalysis
import NASSearch
import NASSupport

/// `nas explore`: one search, every candidate predicted on every device, and the trade-offs between devices.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore a space across several devices: per-device fronts, the joint front and device transfer.",
        discussion: """
            Runs NSGA-II over quality and every device's predicted latency (predictions are cheap, so every candidate \
            is costed on every device), then reports each device's own front (under that device's budgets), the joint \
            front, the architectures on several devices' fronts, and a device-transfer table of rank correlations with \
            bootstrap 95% intervals: can you search on one device and deploy on another? The run folder gets \
            report.md, report.html and SVG plots.
            """
    )

    @Option(help: "Space name (SearchSpaces/NAME.json) or file.") var space = SearchDefaults.space
    @Option(help: "Comma-separated device ids, at least two (required).", transform: DeviceList.parse) var device: DeviceList?
    @Option(name: .customLong("devices"), help: ArgumentHelp("Old spelling of --device.", visibility: .hidden),
            transform: DeviceList.parse)
    var oldDeviceSpelling: DeviceList?
    @Option(name: .customLong("budget-file"), help: "JSON: {\"pi4\": {\"latency\": \"20ms\"}, …}.") var budgetFile: String?
    @Option(help: "A latency budget is met when the device's upper bound at this confidence is within it (default \(SearchDefaults.confidence); 0: the point prediction), as for nas search.")
    var confidence = SearchDefaults.confidence
    @Option(help: "Candidates to evaluate.") var evaluations = SearchDefaults.evaluations
    @Option(help: "Seed of the search.") var seed: UInt64 = SearchDefaults.seed
    @Option(help: "Quality estimator, as for nas search (default: synflow).", transform: QualityArgument.parse)
    var quality = QualityArgument.synflow
    @Option(help: "Population of NSGA-II.") var population: Int?
    @Option(help: "Bootstrap resamples for the correlation intervals.") var bootstrap = 1000
    @Option(help: "Folder that receives the run folder.") var out = "Runs"
    @Option(help: "Threads that evaluate candidates.") var jobs = ProcessInfo.processInfo.activeProcessorCount

    /// Takes `--devices` as `--device`, then checks the options against each other.
    mutating func validate() throws {
        if device != nil, oldDeviceSpelling != nil { throw ValidationError("give --device once (--devices is its old spelling)") }
        device = device ?? oldDeviceSpelling
        oldDeviceSpelling = nil
        guard let device else { throw ValidationError("--device is required (e.g. --device pi4,xu4)") }
        guard device.devices.count >= 2 else {
            throw ValidationError("--device needs at least two devices to compare (got \(device))")
        }
        try OptionCheck.atLeast(1, evaluations, "--evaluations")
        try OptionCheck.atLeast(100, bootstrap, "--bootstrap")
        try OptionCheck.atLeast(1, jobs, "--jobs")
        do { try LatencyBounds.check(confidence: confidence) } catch let e as SearchError { throw ValidationError(e.description) }
        try algorithm.validate()
    }

    /// NSGA-II over quality and every device's latency.
    var algorithm: AlgorithmSettings { .nsga2(population: population ?? 48) }

    func run() throws {
        let deviceList = device?.ids ?? []
        let budgets = try budgetFile.map { try BudgetFile.load(path: $0, devices: deviceList) } ?? []
        let objectives: [Objective] = [.quality] + deviceList.map { .cost(device: $0, metric: .latency) }
        let (spaceValue, path) = try SearchSpace.locate(space)
        let config = SearchConfiguration(space: spaceValue, spaceSource: path, devices: deviceList, budgets: budgets,
                                         objectives: objectives, quality: quality.spec,
                                         settings: SearchSettings(algorithm: algorithm, evaluations: evaluations, seed: seed),
                                         latencyBounds: LatencyBounds(confidence: confidence), created: "")
        let estimators = try makeEstimators(devices: deviceList)
        let run = try SearchRun.create(config, estimators: estimators, in: out)
        FileHandle.standardError.write(Data("run: \(run.directory)\n".utf8))
        for line in run.configuration.latencyBudgetNotes { FileHandle.standardError.write(Data("note: \(line)\n".utf8)) }
        let bar = SearchProgressBar()
        _ = try run.execute(estimators: estimators, jobs: jobs, progress: bar.update)
        bar.finish()
        try DeviceExploration.report(run: run, bootstrap: bootstrap)
    }
}

/// The multi-device report of an explored run.
enum DeviceExploration {
    static func report(run: SearchRun, bootstrap: Int) throws {
        let config = run.configuration
        let candidates = try run.candidates(repair: false)
        let joint = try ParetoAnalysis(candidates: candidates, objectives: config.objectives)
        let agreement = DeviceAgreement(candidates: candidates, devices: config.devices, metrics: [.latency, .energy], resamples: bootstrap)
        var perDevice: [(device: String, analysis: ParetoAnalysis)] = []
        var fronts: [String: [Candidate]] = [:]
        var feasibility: [String: @Sendable (Candidate) -> Bool] = [:]
        for d in config.devices {
            // The search's own verdict per budget (G, on the calibrated bound where the run has one), this device's only.
            let mine = config.budgets.indices.filter { config.budgets[$0].device == d }
            var options = ParetoAnalysis.Options()
            options.isFeasible = { c in
                mine.allSatisfy { i in i < c.G.count && (c.G[i].map { $0 <= 0 } ?? false) }
            }
            feasibility[d] = options.isFeasible
            let a = try ParetoAnalysis(candidates: candidates, objectives: [.quality, .cost(device: d, metric: .latency)], options: options)
            perDevice.append((d, a))
            fronts[d] = a.firstFront.map { a.candidates[$0] }
        }

        let deviceTable = Table(
            header: ["device", "budgets", "feasible", "front", "best quality", "fastest (ms)", "hypervolume", "predictor"],
            rows: perDevice.map { d, a in
                let budgets = config.budgets.filter { $0.device == d }.map(\.description).joined(separator: "; ")
                let qs = a.firstFront.map { a.natural($0, 0) }, ls = a.firstFront.map { a.natural($0, 1) }
                return [d, budgets.isEmpty ? "none" : budgets, String(a.candidates.count), String(a.firstFront.count),
                        qs.max().map { Quantity.formatNumber($0) } ?? "–", ls.min().map { Quantity.formatNumber($0) } ?? "–",
                        a.firstFront.isEmpty ? "– (no feasible candidate)" : Quantity.formatNumber(a.hypervolume.value, significant: 4),
                        config.estimatorIdentities[d]?["status"] ?? ""]
            },
            rightAligned: [false, false, true, true, true, true, true, false])

        var membership: [Int: [String]] = [:]
        for (d, members) in fronts { for c in members { membership[c.index, default: []].append(d) } }
        let shared = membership.filter { $0.value.count > 1 }.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        let byIndex = Dictionary(uniqueKeysWithValues: candidates.map { ($0.index, $0) })
        let sharedTable = Table(
            header: ["candidate", "on fronts of", "quality"] + config.devices.map { "\($0) ms" },
            rows: shared.prefix(30).map { index, devs in
                let c = byIndex[index]!
                return [String(index), config.devices.filter(devs.contains).joined(separator: ", "), c.quality.map { Quantity.formatNumber($0) } ?? "–"]
                    + config.devices.map { d in c.evaluation.costs[d]?.latencyMs.map { Quantity.formatNumber($0) } ?? "–" }
            },
            rightAligned: [true, false, true] + config.devices.map { _ in true })

        let report = ParetoReport(analysis: joint, agreement: agreement)
        UncalibratedWarning.emit(run.configuration)
        print(report.countsLine)
        print("\nPer-device fronts (quality vs that device's latency, under that device's budgets):")
        print(deviceTable.plain, terminator: "")
        print("\n\(shared.count) architectures are on the fronts of two or more devices" + (shared.isEmpty ? "." : ":"))
        if !shared.isEmpty { print(sharedTable.plain, terminator: "") }
        if let t = report.agreementTable {
            print("\nDevice transfer: rank correlation of predicted cost (bootstrap 95% CI, \(bootstrap) resamples):")
            print(t.plain, terminator: "")
        }

        var writer = RunReportWriter(directory: run.directory, title: "Multi-device exploration: \(config.devices.joined(separator: ", "))")
        writer.section("Settings", .bullets(RunSettings.lines(config)))
        writer.section("Per-device fronts", .paragraph("Each device's own front of quality against its predicted latency, counting only its own budgets."),
                       .table(deviceTable))
        writer.section("Architectures on several fronts",
                       [.paragraph("\(shared.count) architectures are on the fronts of two or more devices.")] + (shared.isEmpty ? [] : [.table(sharedTable)]))
        writer.section("Joint front", .paragraph("Over all objectives (\(config.objectives.map(\.name).joined(separator: ", "))), feasible under every budget."))
        report.addSections(to: &writer)
        RunPlots.add(to: &writer, candidates: candidates, config: config, analysis: joint, fronts: fronts, feasibility: feasibility)
        try writer.write()
        print("\nreport: \(run.directory)/report.md, \(run.directory)/report.html")
    }
}
