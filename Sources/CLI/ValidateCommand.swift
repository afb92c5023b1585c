import ArgumentParser
import Foundation
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSearch
import NASVerification
import NASSupport

/// `nas validate`: the paper's full-network test on a device we can measure.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Predict and measure whole zoo networks layer by layer (Sponner et al.'s full-network test).",
        discussion: """
            For each network and batch size: the per-layer predicted and measured latency (as in the paper's Table 5), \
            the totals, and layers whose measured time exceeds twice the prediction — the signal the paper used to find \
            badly optimised kernels. Ends with the network-level error summary over all networks.
            """
    )

    @Option(help: "Device whose predictor is checked (host, or any device reached through --backend agent:'…'; default: host).",
            transform: DeviceID.parse)
    var device = DeviceID.host
    @Option(help: "zoo (DarkNet-19, VGG-16, MobileNet-v1, AlexNet) or comma-separated architecture files (default: zoo).",
            transform: NetworkSelection.parse)
    var networks = NetworkSelection.zoo
    @Option(help: "Comma-separated batch sizes (default: 1,16).", transform: BatchSizes.parse) var batches = BatchSizes([1, 16])
    @Option(help: "host, or agent:'COMMAND …' (default: host).", transform: BackendArgument.parse) var backend = BackendArgument.host
    @Option(help: "Timed runs per network.") var repeats = 5
    @Option(help: "Untimed runs before timing.") var warmup = 2
    @Option(help: "CPU threads (default: the runtime's; use the thread count the device's predictor was profiled with).") var threads: Int?
    @Option(help: "Also write the tables as Markdown to this file.") var out: String?

    func validate() throws {
        try OptionCheck.backend(backend.choice, canMeasure: device)
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
    }

    func run() throws {
        let choice = backend.choice
        let batchList = batches.sizes
        let files = networks.paths
        let settings = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        let predictor = try PredictorCatalog.load(device: device.id)
        // Every file is read before the warning and before measuring: bad input fails with its one line, at once.
        let loaded = try files.flatMap { file in try batchList.map { batch in try loadNetwork(path: file, batch: batch) } }
        UncalibratedWarning.emit([predictor])
        let backend = try choice.make()
        defer { (backend as? AgentBackend)?.close() }
        var markdown = "# Full-network validation on \(device)\n\npredictor: \(predictor.status); backend: \(choice.description); \(settings.warmup) warm-up, \(settings.repeats) timed runs\n\n"
        var latency: [PredictedMeasured] = [], memory: [PredictedMeasured] = []
        var summaryRows: [[String]] = []
        for network in loaded {
            let batch = network.batch
            FileHandle.standardError.write(Data("measuring \(network.architecture.name) at batch \(batch)\n".utf8))
            let estimate = predictor.estimate(network)
            let measurement = try backend.measureNetwork(network, settings: settings)
            let v = LayerValidation(network: network, estimate: estimate, measurement: measurement)
            let heading = "\(v.network), batch \(batch)"
            print("\n\(heading)\n" + v.table.plain, terminator: "")
            markdown += "## \(heading)\n\n" + v.table.markdown + "\n"
            if let p = v.predictedTotalMs { latency.append(PredictedMeasured(predicted: p, measured: v.measuredTotalMs)) }
            memory.append(PredictedMeasured(predicted: v.predictedMemoryMiB, measured: v.measuredMemoryMiB))
            summaryRows.append([v.network, String(batch), v.predictedTotalMs.map { Quantity.formatNumber($0) } ?? "–",
                                Quantity.formatNumber(v.measuredTotalMs),
                                Quantity.formatNumber(v.predictedMemoryMiB), Quantity.formatNumber(v.measuredMemoryMiB),
                                String(v.rows.filter(\.flagged).count)])
        }
        let summary = Table(header: ["network", "batch", "pred ms", "measured ms", "pred MiB (liveness)", "measured MiB", "layers > 2×"],
                                  rows: summaryRows, rightAligned: [false, true, true, true, true, true, true])
        var lines = ["", "Networks:", summary.plain]
        for (name, pairs) in [("latency", latency), ("memory", memory)] {
            if let s = try? ErrorSummary(pairs) {
                lines.append("\(name): MAPE \(Quantity.formatNumber(s.mape.estimate, significant: 3))% [\(Quantity.formatNumber(s.mape.lower, significant: 3)), \(Quantity.formatNumber(s.mape.upper, significant: 3))], "
                             + "median APE \(Quantity.formatNumber(s.medianAPE.estimate, significant: 3))%, \(Int((s.within10Percent * 100).rounded()))% of networks within ±10%, "
                             + "Kendall τ \(s.kendallTau.map { Quantity.formatNumber($0, significant: 3) } ?? "–") over \(s.count) networks")
            }
        }
        print(lines.joined(separator: "\n"))
        markdown += "## Networks\n\n" + summary.markdown + "\n" + lines.dropFirst(3).map { "- " + $0 }.joined(separator: "\n") + "\n"
        if let out { try AtomicFile.write(markdown, to: out) }
    }
}
