import ArgumentParser
import Foundation
import NASArchitecture
import NASMeasurement

/// `nas profile`: build a predictor dataset by measuring representative layer workloads.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Measure representative layer workloads into a JSON-lines dataset (resumable).",
        discussion: """
            The workloads are the distinct layers of the model zoo (--zoo), augmented as in Sponner et al. 2022: \
            depthwise, grouped and dilated variants of each convolution, other pool sizes over the same inputs, and \
            random dense (in, out) pairs, interleaved by category so that --limit N still mixes every kind. Each \
            workload runs at every --batches size in ascending order; a failure is recorded and skips that \
            workload's larger batches. Lines are appended (docs/profiling-format.md); running the same command \
            again skips every (workload, batch) already in the file.
            """
    )

    @Option(help: "host, or agent:'COMMAND …' for a process speaking the agent protocol (default: host).",
            transform: BackendArgument.parse)
    var backend = BackendArgument.host
    @Option(help: "Dataset to append to (created if missing).") var out: String
    @Option(help: "Comma-separated batch sizes (default: 1,16).", transform: BatchSizes.parse) var batches = BatchSizes([1, 16])
    @Option(help: "Profile only the first N workloads of the catalog.") var limit: Int?
    @Option(name: .customLong("time-budget"), help: "Stop starting new measurements after this long, e.g. 30m, 2h, 1h30m.",
            transform: TimeSpan.parse)
    var timeBudget: TimeSpan?
    @Option(help: "Seed of the augmentation choices and random dense sizes.") var seed: UInt64 = 1
    @Option(help: "Directory of architecture JSON files whose layers are profiled.") var zoo = "SearchSpaces/zoo"
    @Option(help: "Timed runs per measurement.") var repeats = 10
    @Option(help: "Untimed runs before timing.") var warmup = 2
    @Option(help: "CPU threads (default: the runtime's default).") var threads: Int?
    @Option(help: "Seconds an agent may take to answer one request.") var timeout: Double = AgentBackend.defaultTimeout
    @Flag(name: .customLong("dry-run"), help: "List the workloads that would be profiled and stop.") var dryRun = false

    func validate() throws {
        try OptionCheck.atLeast(1, limit, "--limit")
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        try OptionCheck.seconds(timeout, "--timeout")
    }

    func run() throws {
        let sizes = batches.sizes
        let budget = timeBudget?.seconds
        let settings = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        let catalog = WorkloadCatalog.representative(zoo: try WorkloadCatalog.loadZoo(directory: zoo), seed: seed)
        if dryRun {
            for (i, e) in (limit.map { Array(catalog.prefix($0)) } ?? catalog).enumerated() {
                print("\(i + 1)\t\(e.category)\t\(e.workload.description)\t\(e.label)")
            }
            return
        }
        let b = try backend.choice.make(requestTimeout: timeout)
        defer { (b as? AgentBackend)?.close() }
        let profiler = Profiler(backend: b, path: out, options: Profiler.Options(
            batches: sizes, limit: limit, timeBudgetSeconds: budget, settings: settings))
        _ = try profiler.run(catalog: catalog)
    }
}
