import Foundation
import NASArchitecture

/// Measures on the CPU nas runs on, through oneDNN.
public final class HostBackend: MeasurementBackend {
    let context: DNNLContext
    /// Programs needing more memory than this fail instead of being built (nil: no limit).
    public var memoryLimitBytes: Int?
    /// Longest the warm-up and timed runs of one measurement may take (nil: no limit). `nas agent` sets it, so a
    /// peer asking for a million runs of a large network cannot hold the agent for days.
    public var maxRunSeconds: Double?

    public init(memoryLimitBytes: Int? = HostBackend.defaultMemoryLimit()) throws {
        do {
            context = try DNNLContext()
        } catch let e as DNNLError {
            throw MeasurementError.backendFailed("host backend: \(e.description)")
        }
        self.memoryLimitBytes = memoryLimitBytes
    }

    /// 80 % of MemAvailable in /proc/meminfo, or nil when it cannot be read.
    public static func defaultMemoryLimit() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 / 10 * 8 }
        }
        return nil
    }

    public func metadata(settings: MeasurementSettings) throws -> DeviceMetadata {
        applyThreads(settings)
        return DeviceMetadata(deviceID: "host", cpuModel: HostInfo.cpuModel, backend: "host", library: "oneDNN",
                              libraryVersion: DNNLInfo.version, isa: DNNLInfo.isa,
                              threads: settings.threads ?? OpenMP.maxThreads ?? HostInfo.logicalCPUs,
                              logicalCPUs: HostInfo.logicalCPUs)
    }

    private func applyThreads(_ settings: MeasurementSettings) {
        if let t = settings.threads { OpenMP.setThreads(t) }
    }

    // MARK: Building programs

    static func validate(_ w: LayerWorkload) throws {
        func fail(_ m: String) -> MeasurementError { .workloadFailed("\(w.description): \(m)") }
        let positive = [("batch", w.batch), ("in_h", w.inH), ("in_w", w.inW), ("in_c", w.inC), ("out_h", w.outH),
                        ("out_w", w.outW), ("out_c", w.outC), ("kernel_h", w.kernelH), ("kernel_w", w.kernelW),
                        ("stride_h", w.strideH), ("stride_w", w.strideW), ("dilation_h", w.dilationH),
                        ("dilation_w", w.dilationW), ("groups", w.groups)]
        for (name, v) in positive where v < 1 { throw fail("\(name) must be positive, got \(v)") }
        for (name, v) in [("pad_top", w.padTop), ("pad_bottom", w.padBottom), ("pad_left", w.padLeft), ("pad_right", w.padRight)]
            where v < 0 { throw fail("\(name) must not be negative, got \(v)") }
        func expected(_ input: Int, _ k: Int, _ d: Int, _ s: Int, _ p: Int) -> Int {
            (input + p - ((k - 1) * d + 1)) / s + 1
        }
        switch w.kind {
        case .conv2d:
            guard w.inC % w.groups == 0, w.outC % w.groups == 0 else {
                throw fail("in_c \(w.inC) and out_c \(w.outC) must both be divisible by groups \(w.groups)")
            }
            fallthrough
        case .maxPool2d, .avgPool2d:
            let d = w.kind == .conv2d ? (w.dilationH, w.dilationW) : (1, 1)
            let oh = expected(w.inH, w.kernelH, d.0, w.strideH, w.padTop + w.padBottom)
            let ow = expected(w.inW, w.kernelW, d.1, w.strideW, w.padLeft + w.padRight)
            guard oh == w.outH, ow == w.outW, oh >= 1, ow >= 1 else {
                throw fail("output \(w.outH)×\(w.outW) does not follow from the input, kernel, stride, dilation and padding (expected \(oh)×\(ow))")
            }
            if w.kind != .conv2d {
                guard w.outC == w.inC else { throw fail("pooling keeps channels, but in_c \(w.inC) ≠ out_c \(w.outC)") }
                guard w.padTop < w.kernelH, w.padBottom < w.kernelH, w.padLeft < w.kernelW, w.padRight < w.kernelW else {
                    throw fail("pooling padding must be smaller than the window")
                }
            }
        case .dense:
            guard w.inH == 1, w.inW == 1, w.outH == 1, w.outW == 1 else { throw fail("dense workloads have spatial sizes 1") }
        case .add, .concat:
            throw fail(HostBackend.graphsNotYetRun)
        }
    }

    /// Why a graph network or a joining layer is refused, until the backend runs them.
    static let graphsNotYetRun = "the host backend does not run graph networks yet (add and concat layers, or a layer reading other than the layer before it; only chains are measured); their costs can be predicted (nas estimate --device ID), not measured"

    static func spec(for w: LayerWorkload, index: Int = 0) -> HostLayerSpec {
        let op: HostLayerSpec.Op
        switch w.kind {
        case .conv2d: op = .conv(w)
        case .dense: op = .dense(w)
        case .maxPool2d, .avgPool2d: op = .pool(w)
        case .add, .concat: op = .identity // refused by `validate` before any program is built
        }
        return HostLayerSpec(index: index, name: w.description, type: w.kind.rawValue, op: op)
    }

    static func specs(for net: ResolvedNetwork, batch: Int) throws -> [HostLayerSpec] {
        if let joining = net.layers.first(where: { $0.operation.joinsInputs || ($0.sources != [] && $0.sources != [$0.index - 1]) }) {
            throw MeasurementError.workloadFailed("layer \(joining.index) '\(joining.name)': \(graphsNotYetRun)")
        }
        return net.layers.map { layer in
            let op: HostLayerSpec.Op
            switch layer.operation {
            case .conv2d: op = .conv(layer.workload(batch: batch)!)
            case .dense: op = .dense(layer.workload(batch: batch)!)
            case .maxPool2d, .avgPool2d, .globalAvgPool2d: op = .pool(layer.workload(batch: batch)!)
            case .activation(let f): op = .activation(f)
            case .flatten: op = .flatten
            case .identity, .add, .concat: op = .identity // add and concat are refused above
            }
            return HostLayerSpec(index: layer.index, name: layer.name, type: layer.operation.typeName, op: op)
        }
    }

    static func inputDims(_ w: LayerWorkload) -> [Int] {
        w.kind == .dense ? [w.batch, w.inC] : [w.batch, w.inC, w.inH, w.inW]
    }

    func layerProgram(_ w: LayerWorkload, parameters: LayerParameters? = nil) throws -> HostProgram {
        try HostBackend.validate(w)
        return try HostProgram(specs: [HostBackend.spec(for: w)], inputDims: HostBackend.inputDims(w), mode: .layer,
                               context: context, parameters: parameters.map { [0: $0] } ?? [:],
                               memoryLimitBytes: memoryLimitBytes)
    }

    func networkProgram(_ net: ResolvedNetwork, batch: Int, parameters: [Int: LayerParameters] = [:]) throws -> HostProgram {
        let a = net.architecture
        return try HostProgram(specs: try HostBackend.specs(for: net, batch: batch), inputDims: [batch, a.inputC, a.inputH, a.inputW],
                               mode: .network, context: context, parameters: parameters, memoryLimitBytes: memoryLimitBytes)
    }

    // MARK: Running for correctness

    /// Runs one workload once on user-layout input (NHWC, or N×features for dense) and returns its output in user layout.
    public func runLayer(_ w: LayerWorkload, input: [Float], parameters: LayerParameters?) throws -> [Float] {
        let p = try layerProgram(w, parameters: parameters)
        try p.load(input: input)
        try p.run()
        return try p.readOutput()
    }

    /// Runs a network once at `batch` on NHWC input; `parameters` is keyed by layer index.
    public func runNetwork(_ net: ResolvedNetwork, batch: Int, input: [Float], parameters: [Int: LayerParameters]) throws -> [Float] {
        let p = try networkProgram(net, batch: batch, parameters: parameters)
        try p.load(input: input)
        try p.run()
        return try p.readOutput()
    }

    // MARK: Measuring

    private struct Timings {
        /// [repeat][step] nanoseconds.
        var steps: [[UInt64]]
        var totals: [UInt64]
        var energy: Reading
        var power: Reading
        var load: Double?
        var warmupNs: UInt64
        var timedNs: UInt64
    }

    private func time(_ p: HostProgram, settings: MeasurementSettings) throws -> Timings {
        let s = try settings.validated()
        applyThreads(s)
        try p.loadRandomInput()
        let load = HostInfo.loadAverage1m
        let warmupStart = monotonicNanoseconds()
        let clock = RunClock(limitSeconds: maxRunSeconds, runs: s.warmup + s.repeats, start: warmupStart)
        for i in 0..<s.warmup { try p.run(); try clock.check(done: i + 1) }
        let timedStart = monotonicNanoseconds()
        let n = p.steps.count
        var buffer = [UInt64](repeating: 0, count: n * s.repeats)
        var totals = [UInt64](repeating: 0, count: s.repeats)
        var window = EnergyWindow()
        window.begin()
        try buffer.withUnsafeMutableBufferPointer { b in
            for r in 0..<s.repeats {
                let t0 = monotonicNanoseconds()
                try p.run(times: b.baseAddress! + r * n)
                let t1 = monotonicNanoseconds()
                totals[r] = t1 - t0
                try clock.check(done: s.warmup + r + 1, now: t1)
            }
        }
        let timedEnd = monotonicNanoseconds()
        let (energy, power) = window.end(runs: s.repeats)
        let steps = (0..<s.repeats).map { r in Array(buffer[(r * n)..<(r * n + n)]) }
        return Timings(steps: steps, totals: totals, energy: energy, power: power, load: load,
                       warmupNs: timedStart - warmupStart, timedNs: timedEnd - timedStart)
    }

    /// Stops a measurement over `maxRunSeconds`: after the first run when the runs asked for would take over
    /// twice the limit at its pace (a first run is slower than the rest, hence the margin), else as soon as they
    /// exceed it. A single run cannot be interrupted; the memory limit bounds its size.
    private struct RunClock {
        let limitSeconds: Double?
        let runs: Int
        let start: UInt64

        func check(done: Int, now: UInt64 = monotonicNanoseconds()) throws {
            guard let limitSeconds else { return }
            let elapsed = Double(now - start) / 1e9
            let projected = done == 1 ? elapsed * Double(runs) : elapsed
            guard projected > (done == 1 && runs > 1 ? 2 * limitSeconds : limitSeconds) else { return }
            let what = done == 1 ? "\(runs) runs would take about \(Int(projected.rounded(.up))) s" : "\(done) of \(runs) runs took \(Int(elapsed.rounded(.up))) s"
            throw MeasurementError.workloadFailed("\(what), over the limit of \(Int(limitSeconds)) s per measurement; ask for fewer warm-up or timed runs")
        }
    }

    private static func stats(_ ns: [UInt64]) throws -> LatencyStats {
        try LatencyStats(samplesMs: ns.map { Double($0) / 1e6 })
    }

    public func measureLayer(_ w: LayerWorkload, settings: MeasurementSettings) throws -> LayerMeasurement {
        do { try w.checkSize() } catch { throw MeasurementError.workloadFailed("\(error)") }
        let meta = try metadata(settings: settings)
        let p = try wrap(nil) { try self.layerProgram(w) }
        let t = try wrap(nil) { try self.time(p, settings: settings) }
        let memory = p.memoryByLayer[0] ?? MemoryFigures(inputBytes: 0, outputBytes: 0, weightsBytes: 0, scratchpadBytes: 0)
        return LayerMeasurement(workload: w, latency: try HostBackend.stats(t.totals), memory: memory, energyJ: t.energy,
                                powerW: t.power, implementation: p.implementations { _ in true }, metadata: meta,
                                loadAverage1m: t.load)
    }

    public func measureNetwork(_ net: ResolvedNetwork, settings: MeasurementSettings) throws -> NetworkMeasurement {
        let meta = try metadata(settings: settings)
        let name = net.architecture.name
        let setupStart = monotonicNanoseconds()
        let p = try wrap("network '\(name)'") { try self.networkProgram(net, batch: net.batch) }
        let setupNs = monotonicNanoseconds() - setupStart
        let t = try wrap("network '\(name)'") { try self.time(p, settings: settings) }
        let validated = try settings.validated()

        func roleSamples(_ matches: (HostProgram.Role) -> Bool) -> [UInt64]? {
            let idx = p.steps.indices.filter { matches(p.steps[$0].role) }
            guard !idx.isEmpty else { return nil }
            return t.steps.map { row in idx.reduce(0) { $0 + row[$1] } }
        }
        var layers: [NetworkLayerMeasurement] = []
        for (pos, spec) in p.specs.enumerated() {
            let samples = roleSamples { $0 == .layer(pos) }
            layers.append(NetworkLayerMeasurement(
                index: spec.index, name: spec.name, type: spec.type,
                latency: try samples.map(HostBackend.stats),
                fusedInto: p.fusedInto[pos].map { p.specs[$0].index },
                memory: p.memoryByLayer[pos],
                implementation: p.implementations { $0 == .layer(pos) }))
        }
        return NetworkMeasurement(
            name: name, batch: net.batch, latency: try HostBackend.stats(t.totals), layers: layers,
            entryReorder: try roleSamples { $0 == .entry }.map(HostBackend.stats),
            exitReorder: try roleSamples { $0 == .exit }.map(HostBackend.stats),
            peakMemoryBytes: p.peakMemoryBytes, weightsBytes: p.weightsBytes,
            energyJ: t.energy, powerW: t.power, metadata: meta, loadAverage1m: t.load,
            stages: BenchmarkStages(setupSeconds: Double(setupNs) / 1e9, warmupSeconds: Double(t.warmupNs) / 1e9,
                                    timedSeconds: Double(t.timedNs) / 1e9, warmupRuns: validated.warmup, timedRuns: validated.repeats))
    }

    /// Turns library errors into workload failures, prefixed with `what` when given.
    private func wrap<T>(_ what: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as DNNLError {
            throw MeasurementError.workloadFailed(what.map { "\($0): \(e.description)" } ?? e.description)
        } catch MeasurementError.workloadFailed(let m) where what != nil {
            throw MeasurementError.workloadFailed("\(what!): \(m)")
        }
    }
}
