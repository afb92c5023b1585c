import ArgumentParser
import Foundation
import NASArchitecture
import NASMeasurement
import NASSupport

/// `nas bench`: run a network for real and set the measured figures beside the analytic ones.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure an architecture end to end on a real backend, per layer and in total.",
        discussion: """
            Runs the network layer after layer (oneDNN on this CPU with --backend host, or any agent with \
            --backend agent:'COMMAND …'), after --warmup untimed runs, and reports the median of --repeats timed \
            runs with its interquartile range, next to the analytic MACs and parameters of `nas estimate`. \
            Activations fused into the layer before them show as "fused".
            """
    )

    @Argument(help: "Architecture JSON file.") var architecture: String
    @Option(help: "host, or agent:'COMMAND …' for a process speaking the agent protocol (default: host).",
            transform: BackendArgument.parse)
    var backend = BackendArgument.host
    @Option(help: "Batch size (defaults to the file's batch).") var batch: Int?
    @Option(help: "Timed runs.") var repeats = 20
    @Option(help: "Untimed runs before timing.") var warmup = 3
    @Option(help: "CPU threads (default: the runtime's default, all logical CPUs).") var threads: Int?
    @Option(help: "Seconds an agent may take to answer one request.") var timeout: Double = AgentBackend.defaultTimeout
    @Flag(help: "Print machine-readable JSON instead of a table.") var json = false

    func validate() throws {
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        try OptionCheck.seconds(timeout, "--timeout")
    }

    func run() throws {
        let network = try loadNetwork(path: architecture, batch: batch)
        let settings = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        let b = try backend.choice.make(requestTimeout: timeout)
        defer { (b as? AgentBackend)?.close() }
        let measurement: NetworkMeasurement
        do {
            measurement = try b.measureNetwork(network, settings: settings)
        } catch MeasurementError.workloadFailed(let m) {
            throw MeasurementError.workloadFailed("\(architecture): \(m)")
        }
        let figures = network.figures()
        if json {
            let m = try JSONValue.parse(JSONEncoder.sorted.encode(measurement))
            print(JSONValue.object([
                "backend": .string(backend.description),
                "analytic": AnalyticReport.json(network: network, figures: figures),
                "measurement": m,
            ]).serialized())
        } else {
            print(BenchReport.text(network: network, figures: figures, measurement: measurement, backend: backend.description,
                                       settings: settings))
        }
    }
}

enum BenchReport {
    static func text(network: ResolvedNetwork, figures: NetworkFigures, measurement m: NetworkMeasurement, backend: String,
                     settings: MeasurementSettings) -> String {
        let a = network.architecture
        let meta = m.metadata
        var t = Table(["#", "layer", "type", "output", "MACs", "params", "median ms", "IQR ms", "share", "memory", "kernel"],
                          leftAligned: [1, 2, 3, 10])
        let total = m.latency.medianMs
        let byIndex = Dictionary(m.layers.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        if let e = m.entryReorder {
            t.add(["", "(entry reorder)", "reorder", "", "", "", Formatting.ms(e.medianMs), Formatting.ms(e.iqrMs),
                   share(e.medianMs, total), "", ""])
        }
        for (layer, f) in zip(network.layers, figures.layers) {
            let type = AnalyticReport.typeLabel(layer)
            let lm = byIndex[layer.index]
            let median: String, iqr: String, pct: String
            if let l = lm?.latency {
                median = Formatting.ms(l.medianMs); iqr = Formatting.ms(l.iqrMs); pct = share(l.medianMs, total)
            } else if let into = lm?.fusedInto {
                median = "fused→\(into)"; iqr = ""; pct = ""
            } else {
                median = "view"; iqr = ""; pct = ""
            }
            t.add([String(layer.index), layer.name, type, layer.output.description, Formatting.count(f.macs),
                   Formatting.grouped(f.params), median, iqr, pct, lm?.memory.map { Formatting.bytes($0.totalBytes) } ?? "",
                   lm?.implementation.joined(separator: ", ") ?? ""])
        }
        if let e = m.exitReorder {
            t.add(["", "(exit reorder)", "reorder", "", "", "", Formatting.ms(e.medianMs), Formatting.ms(e.iqrMs),
                   share(e.medianMs, total), "", ""])
        }
        let sumOfParts = m.layers.compactMap(\.latency?.medianMs).reduce(0, +) + (m.entryReorder?.medianMs ?? 0) + (m.exitReorder?.medianMs ?? 0)
        var lines = [
            "\(a.name): input \(a.inputShape), batch \(m.batch), \(network.layers.count) layers",
            "backend \(backend): \(meta.library) \(meta.libraryVersion), ISA \(meta.isa), \(meta.threads) thread\(meta.threads == 1 ? "" : "s"), "
                + "\(meta.cpuModel) (\(meta.logicalCPUs) logical CPUs), device \(meta.deviceID)",
            "", t.text(rule: true), "",
        ]
        let l = m.latency
        lines.append("latency        \(Formatting.ms(l.medianMs)) ms median end to end (IQR \(Formatting.ms(l.iqrMs)) ms, "
                     + "min \(Formatting.ms(l.minMs)), max \(Formatting.ms(l.maxMs)); \(l.samples) runs after \(settings.warmup) warm-up, \(l.outliers) outlier\(l.outliers == 1 ? "" : "s") dropped)")
        lines.append("sum of parts   \(Formatting.ms(sumOfParts)) ms (medians of the rows above)")
        if l.medianMs > 0 {
            let gmacs = Double(figures.macs) / (l.medianMs / 1000) / 1e9
            lines.append("throughput     \(Formatting.fixed(gmacs)) GMAC/s, \(Formatting.fixed(Double(m.batch) / (l.medianMs / 1000), 1)) samples/s")
        }
        lines.append("MACs           \(Formatting.count(figures.macs)) (\(Formatting.grouped(figures.macs)))")
        lines.append("parameters     \(Formatting.grouped(figures.params)) trainable")
        lines.append("weights        \(Formatting.bytes(m.weightsBytes)) measured (library layouts) vs \(Formatting.bytes(figures.weightBytes)) analytic (f32)")
        lines.append("peak memory    \(Formatting.bytes(m.peakMemoryBytes)) measured (weights + worst step's input, output and scratchpad) vs "
                     + "\(Formatting.bytes(figures.peakMemoryBytes)) analytic (tensor liveness)")
        if let load = m.loadAverage1m {
            var note = "load average   \(Formatting.fixed(load)) (1 min, before the timed runs)"
            if load >= 0.5 { note += ": other processes were using the CPUs, so these latencies are likely inflated" }
            lines.append(note)
        }
        lines.append("energy         \(describe(m.energyJ, unit: "J per run"))")
        lines.append("power          \(describe(m.powerW, unit: "W"))")
        return lines.joined(separator: "\n")
    }

    static func share(_ v: Double, _ total: Double) -> String {
        total > 0 ? String(format: "%.1f%%", 100 * v / total) : ""
    }

    static func describe(_ r: Reading, unit: String) -> String {
        switch r {
        case .measured(let v): return String(format: "%.4g %@", v, unit)
        case .unavailable(let reason): return "unavailable: \(reason)"
        }
    }
}
