import Foundation
import NASArchitecture

/// Something that runs layers and networks for real and reports what they cost.
public protocol MeasurementBackend: AnyObject {
    /// Device, library and threading facts that every measurement from this backend carries.
    func metadata(settings: MeasurementSettings) throws -> DeviceMetadata
    func measureLayer(_ workload: LayerWorkload, settings: MeasurementSettings) throws -> LayerMeasurement
    /// Runs the network at `net.batch` from entry to exit.
    func measureNetwork(_ net: ResolvedNetwork, settings: MeasurementSettings) throws -> NetworkMeasurement
}

/// How many runs to make and on how many threads.
public struct MeasurementSettings: Codable, Hashable, Sendable {
    /// Untimed runs before the timed ones (JIT, OpenMP thread start, caches).
    public var warmup: Int
    /// Timed runs; the latency figures summarise these.
    public var repeats: Int
    /// Threads of the CPU runtime; nil keeps the runtime's default.
    public var threads: Int?

    public init(warmup: Int = 3, repeats: Int = 20, threads: Int? = nil) {
        self.warmup = warmup
        self.repeats = repeats
        self.threads = threads
    }

    /// Most timed or warm-up runs per measurement: a million runs of the smallest layer take minutes; more is a
    /// typo, and the per-run sample buffer would be allocated up front.
    public static let maxRuns = 1_000_000

    /// Most runtime threads: four per logical CPU. Oversubscription beyond that measures the scheduler, and
    /// runtimes abort or crash when asked for tens of thousands of threads.
    public static var maxThreads: Int { 4 * ProcessInfo.processInfo.activeProcessorCount }

    /// The settings, or an error naming the first value out of range and the range. Applied to options from the
    /// command line and to every agent request alike.
    public func validated() throws -> MeasurementSettings {
        guard (0...Self.maxRuns).contains(warmup) else {
            throw MeasurementError.invalidSettings("warmup must be within 0...\(Self.maxRuns), got \(warmup)")
        }
        guard (1...Self.maxRuns).contains(repeats) else {
            throw MeasurementError.invalidSettings("repeats must be within 1...\(Self.maxRuns), got \(repeats)")
        }
        if let t = threads, !(1...Self.maxThreads).contains(t) {
            throw MeasurementError.invalidSettings("threads must be within 1...\(Self.maxThreads) (4 per logical CPU), got \(t)")
        }
        return self
    }
}

public enum MeasurementError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidSettings(String)
    /// The backend cannot run this workload or network (unsupported shape, library refusal, out of memory).
    case workloadFailed(String)
    /// The backend itself is gone or broken (agent died, timed out, spoke nonsense); later requests will fail too.
    case backendFailed(String)

    public var description: String {
        switch self {
        case .invalidSettings(let m): return m
        case .workloadFailed(let m): return m
        case .backendFailed(let m): return m
        }
    }
}

/// A value that some machines can measure and others cannot: never a zero standing in for "unknown".
public enum Reading: Hashable, Sendable, Codable, CustomStringConvertible {
    case measured(Double)
    case unavailable(reason: String)

    public var value: Double? {
        if case .measured(let v) = self { return v }
        return nil
    }

    enum CodingKeys: String, CodingKey { case status, value, reason }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .measured(let v):
            try c.encode("measured", forKey: .status)
            try c.encode(v, forKey: .value)
        case .unavailable(let reason):
            try c.encode("unavailable", forKey: .status)
            try c.encode(reason, forKey: .reason)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let status = try c.decode(String.self, forKey: .status)
        switch status {
        case "measured": self = .measured(try c.decode(Double.self, forKey: .value))
        case "unavailable": self = .unavailable(reason: try c.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c,
                                                   debugDescription: "status must be \"measured\" or \"unavailable\", got \"\(status)\"")
        }
    }

    public var description: String {
        switch self {
        case .measured(let v): return "\(v)"
        case .unavailable(let r): return "unavailable: \(r)"
        }
    }
}

/// Summary of timed runs after outlier removal.
public struct LatencyStats: Codable, Hashable, Sendable {
    /// Median of the kept samples, in milliseconds.
    public var medianMs: Double
    /// Interquartile range of the kept samples.
    public var iqrMs: Double
    public var minMs: Double
    public var maxMs: Double
    /// Timed runs made.
    public var samples: Int
    /// Runs dropped as outliers (outside 1.5·IQR of the quartiles of all runs).
    public var outliers: Int

    public init(medianMs: Double, iqrMs: Double, minMs: Double, maxMs: Double, samples: Int, outliers: Int) {
        self.medianMs = medianMs; self.iqrMs = iqrMs; self.minMs = minMs; self.maxMs = maxMs
        self.samples = samples; self.outliers = outliers
    }

    enum CodingKeys: String, CodingKey {
        case medianMs = "median_ms", iqrMs = "iqr_ms", minMs = "min_ms", maxMs = "max_ms", samples, outliers
    }
}

/// Bytes a layer touches, from the memory descriptors of the layouts the library chose.
public struct MemoryFigures: Codable, Hashable, Sendable {
    public var inputBytes: Int
    public var outputBytes: Int
    /// Weights and bias in the layout the primitive uses.
    public var weightsBytes: Int
    public var scratchpadBytes: Int
    public var totalBytes: Int { inputBytes + outputBytes + weightsBytes + scratchpadBytes }

    public init(inputBytes: Int, outputBytes: Int, weightsBytes: Int, scratchpadBytes: Int) {
        self.inputBytes = inputBytes; self.outputBytes = outputBytes
        self.weightsBytes = weightsBytes; self.scratchpadBytes = scratchpadBytes
    }

    enum CodingKeys: String, CodingKey {
        case inputBytes = "input_bytes", outputBytes = "output_bytes", weightsBytes = "weights_bytes"
        case scratchpadBytes = "scratchpad_bytes", totalBytes = "total_bytes"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputBytes = try c.decode(Int.self, forKey: .inputBytes)
        outputBytes = try c.decode(Int.self, forKey: .outputBytes)
        weightsBytes = try c.decode(Int.self, forKey: .weightsBytes)
        scratchpadBytes = try c.decode(Int.self, forKey: .scratchpadBytes)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputBytes, forKey: .inputBytes)
        try c.encode(outputBytes, forKey: .outputBytes)
        try c.encode(weightsBytes, forKey: .weightsBytes)
        try c.encode(scratchpadBytes, forKey: .scratchpadBytes)
        try c.encode(totalBytes, forKey: .totalBytes)
    }
}

/// Where the numbers come from.
public struct DeviceMetadata: Codable, Hashable, Sendable {
    /// "host" for the machine nas runs on; agents name themselves.
    public var deviceID: String
    public var cpuModel: String
    public var backend: String
    public var library: String
    public var libraryVersion: String
    /// The instruction set the library dispatched to.
    public var isa: String
    public var threads: Int
    public var logicalCPUs: Int

    public init(deviceID: String, cpuModel: String, backend: String, library: String, libraryVersion: String,
                isa: String, threads: Int, logicalCPUs: Int) {
        self.deviceID = deviceID; self.cpuModel = cpuModel; self.backend = backend
        self.library = library; self.libraryVersion = libraryVersion; self.isa = isa
        self.threads = threads; self.logicalCPUs = logicalCPUs
    }

    enum CodingKeys: String, CodingKey {
        case deviceID = "device_id", cpuModel = "cpu_model", backend, library, libraryVersion = "library_version"
        case isa, threads, logicalCPUs = "logical_cpus"
    }
}

/// One layer workload, measured.
public struct LayerMeasurement: Codable, Hashable, Sendable {
    public var workload: LayerWorkload
    public var latency: LatencyStats
    public var memory: MemoryFigures
    /// Joules per run.
    public var energyJ: Reading
    /// Average watts while the timed runs ran.
    public var powerW: Reading
    /// The kernels the library dispatched to, in execution order.
    public var implementation: [String]
    public var metadata: DeviceMetadata
    /// The machine's 1-minute load average just before the timed runs (nil where unknown). Above about zero,
    /// other processes competed for the CPUs and the latencies are likely inflated.
    public var loadAverage1m: Double?

    public init(workload: LayerWorkload, latency: LatencyStats, memory: MemoryFigures, energyJ: Reading, powerW: Reading,
                implementation: [String], metadata: DeviceMetadata, loadAverage1m: Double? = nil) {
        self.workload = workload; self.latency = latency; self.memory = memory
        self.energyJ = energyJ; self.powerW = powerW; self.implementation = implementation; self.metadata = metadata
        self.loadAverage1m = loadAverage1m
    }

    enum CodingKeys: String, CodingKey {
        case workload, latency, memory, energyJ = "energy_j", powerW = "power_w", implementation, metadata
        case loadAverage1m = "load_avg_1m"
    }
}

/// One architecture layer inside a network run.
public struct NetworkLayerMeasurement: Codable, Hashable, Sendable {
    public var index: Int
    public var name: String
    public var type: String
    /// Nil when the layer ran inside another one (fused activation, flatten as a view).
    public var latency: LatencyStats?
    /// The layer index whose primitive computes this layer, when it is fused away.
    public var fusedInto: Int?
    public var memory: MemoryFigures?
    public var implementation: [String]

    public init(index: Int, name: String, type: String, latency: LatencyStats?, fusedInto: Int?, memory: MemoryFigures?,
                implementation: [String]) {
        self.index = index; self.name = name; self.type = type; self.latency = latency
        self.fusedInto = fusedInto; self.memory = memory; self.implementation = implementation
    }

    enum CodingKeys: String, CodingKey {
        case index, name, type, latency, fusedInto = "fused_into", memory, implementation
    }
}

/// A whole network run from entry to exit.
public struct NetworkMeasurement: Codable, Hashable, Sendable {
    public var name: String
    public var batch: Int
    /// End to end: entry reorder, every layer, exit reorder.
    public var latency: LatencyStats
    public var layers: [NetworkLayerMeasurement]
    /// Layout changes at the network's entry and exit (user NHWC to the library's layouts and back).
    public var entryReorder: LatencyStats?
    public var exitReorder: LatencyStats?
    /// Weights of every layer plus, at the worst step, the live input and output activations and the scratchpad.
    public var peakMemoryBytes: Int
    public var weightsBytes: Int
    public var energyJ: Reading
    public var powerW: Reading
    public var metadata: DeviceMetadata
    /// As in `LayerMeasurement`.
    public var loadAverage1m: Double?
    /// Wall time of each stage of this benchmark (set-up, warm-up, timed runs), for the speedup study.
    public var stages: BenchmarkStages?

    public init(name: String, batch: Int, latency: LatencyStats, layers: [NetworkLayerMeasurement],
                entryReorder: LatencyStats?, exitReorder: LatencyStats?, peakMemoryBytes: Int, weightsBytes: Int,
                energyJ: Reading, powerW: Reading, metadata: DeviceMetadata, loadAverage1m: Double? = nil,
                stages: BenchmarkStages? = nil) {
        self.loadAverage1m = loadAverage1m
        self.stages = stages
        self.name = name; self.batch = batch; self.latency = latency; self.layers = layers
        self.entryReorder = entryReorder; self.exitReorder = exitReorder
        self.peakMemoryBytes = peakMemoryBytes; self.weightsBytes = weightsBytes
        self.energyJ = energyJ; self.powerW = powerW; self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case name, batch, latency, layers, entryReorder = "entry_reorder", exitReorder = "exit_reorder"
        case peakMemoryBytes = "peak_memory_bytes", weightsBytes = "weights_bytes"
        case energyJ = "energy_j", powerW = "power_w", metadata, loadAverage1m = "load_avg_1m", stages
    }
}
