import Foundation

/// The host's figures as the predictors need them, handed in by whoever measured them.
///
/// Reading /proc/cpuinfo and timing a copy is measurement work (NASMeasurement's `HostFacts`); the
/// predictor layer only turns numbers into a `DeviceSpec`, so it can be used, and tested, without them.
public struct HostFigures: Hashable, Sendable {
    public var cpuModel: String
    public var logicalCPUs: Int
    /// Base clock in MHz; turbo is not counted, which is why the physics check allows the host 1.5×.
    public var clockMHz: Double
    /// The vector ISA the FLOP/cycle figure assumes, in words.
    public var isa: String
    public var fp32FlopsPerCycle: Double
    /// Bytes/s, and how the figure was obtained.
    public var memoryBandwidth: Double
    public var bandwidthSource: String
    public var memoryBytes: Double?
    /// Anything a reader of `nas devices` should know about how these figures were obtained.
    public var caveat: String?
    /// This machine as host bundles record theirs; nil where it was not read (then bundles are matched by name).
    public var fingerprint: MachineFingerprint?

    public init(cpuModel: String, logicalCPUs: Int, clockMHz: Double, isa: String, fp32FlopsPerCycle: Double,
                memoryBandwidth: Double, bandwidthSource: String, memoryBytes: Double?, caveat: String? = nil,
                fingerprint: MachineFingerprint? = nil) {
        self.cpuModel = cpuModel; self.logicalCPUs = logicalCPUs; self.clockMHz = clockMHz
        self.isa = isa; self.fp32FlopsPerCycle = fp32FlopsPerCycle
        self.memoryBandwidth = memoryBandwidth; self.bandwidthSource = bandwidthSource
        self.memoryBytes = memoryBytes; self.caveat = caveat; self.fingerprint = fingerprint
    }

    /// Used only where nothing provided the real figures (a library user or a test that never asked the
    /// host to be read): nominal SSE-class figures, marked as such wherever the spec is shown.
    public static let nominal = HostFigures(
        cpuModel: "unknown CPU", logicalCPUs: max(ProcessInfo.processInfo.activeProcessorCount, 1), clockMHz: 2000,
        isa: "unknown (nominal 8 FP32 FLOP/cycle)", fp32FlopsPerCycle: 8,
        memoryBandwidth: 10e9, bandwidthSource: "nominal 10 GB/s (not measured)", memoryBytes: nil,
        caveat: "host figures were not measured in this process: nominal values")
}

extension DeviceSpec {
    /// The host as a device: peak = logical CPUs × clock × FP32 FLOP/cycle, bandwidth as given, TDP unknown.
    public static func host(_ f: HostFigures) -> DeviceSpec {
        let peak = Double(f.logicalCPUs) * f.clockMHz * 1e6 * f.fp32FlopsPerCycle
        var notes = "peak estimated from /proc/cpuinfo with an assumed FLOP/cycle; bandwidth measured; TDP unknown"
        if let caveat = f.caveat { notes = caveat }
        return DeviceSpec(
            id: "host", name: "this machine: \(f.cpuModel), \(f.logicalCPUs) logical CPUs",
            runtime: "nas profile --backend host (oneDNN)",
            peakFlops: peak, memoryBandwidth: f.memoryBandwidth, memoryBytes: f.memoryBytes, tdpWatts: nil,
            sources: ["/proc/cpuinfo: \(f.logicalCPUs) logical CPUs at \(f.clockMHz) MHz, \(f.isa) → \(f.fp32FlopsPerCycle) FP32 FLOP/cycle per CPU (assumption)",
                      "bandwidth: \(f.bandwidthSource)",
                      f.memoryBytes == nil ? "system memory unknown" : "/proc/meminfo MemTotal"],
            notes: notes)
    }

    /// The machine nas runs on: built once, on first use, from the figures `provideHost` installed
    /// (the `nas` executable installs the measured ones at start-up), else from `HostFigures.nominal`.
    public static var host: DeviceSpec { HostSpecStore.shared.built.spec }

    /// This machine's fingerprint, when the host's facts were provided.
    public static var hostFingerprint: MachineFingerprint? { HostSpecStore.shared.built.fingerprint }

    /// Installs how the host's figures are obtained. Call before the first use of `DeviceSpec.host`;
    /// a later call replaces a spec that was not yet built and is ignored once it was.
    public static func provideHost(_ figures: @escaping @Sendable () -> HostFigures) {
        HostSpecStore.shared.install(figures)
    }
}

/// Holds the lazily built host spec. A lock, not a `static let`, because the provider is installed at run time.
private final class HostSpecStore: @unchecked Sendable {
    static let shared = HostSpecStore()
    private let lock = NSLock()
    private var provider: (@Sendable () -> HostFigures)?
    private var cached: (spec: DeviceSpec, fingerprint: MachineFingerprint?)?

    func install(_ p: @escaping @Sendable () -> HostFigures) {
        lock.lock(); defer { lock.unlock() }
        if cached == nil { provider = p }
    }

    var built: (spec: DeviceSpec, fingerprint: MachineFingerprint?) {
        lock.lock(); defer { lock.unlock() }
        if let cached { return cached }
        let figures = provider?() ?? .nominal
        let value = (DeviceSpec.host(figures), figures.fingerprint)
        cached = value
        return value
    }
}
